"""ockit.scoring: the partial-credit rule, code checks and French feedback built from the case."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ockit
from ockit.model import APPROACH_CODES, AXIS_CODES, UnknownCaseError
from ockit.scoring import INVITATION, UnknownCodeError, feedback, jaccard, score

COURSE = ockit.load()
CASE_IDS = sorted(COURSE.cases)
axis_lists = st.lists(st.sampled_from(AXIS_CODES), max_size=6)


class TestJaccardProperties:
    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CASE_IDS), axis_lists)
    def test_score_is_between_0_and_1(self, case_id, axes):
        """The score never leaves [0, 1]."""
        assert 0.0 <= score(case_id, axes, course=COURSE).jaccard <= 1.0

    @settings(max_examples=50, deadline=None)
    @given(st.sampled_from(CASE_IDS))
    def test_the_key_itself_scores_1(self, case_id):
        """Is an answer equal to the key worth exactly 1, with nothing missed or extra?"""
        key = COURSE.cases[case_id].axes
        result = score(case_id, key, COURSE.cases[case_id].approach.dominant, course=COURSE)
        assert (result.jaccard, result.missed, result.extra) == (1.0, (), ())
        assert result.approach_correct in (True, None)

    @settings(max_examples=50, deadline=None)
    @given(st.sampled_from(CASE_IDS))
    def test_empty_answer_scores_0(self, case_id):
        """An answer with no axis is worth 0 and misses the whole key."""
        result = score(case_id, [], course=COURSE)
        assert result.jaccard == 0.0
        assert set(result.missed) == set(COURSE.cases[case_id].axes)

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CASE_IDS), axis_lists, st.randoms(use_true_random=False))
    def test_order_and_repeats_do_not_matter(self, case_id, axes, rng):
        """Shuffling or repeating the chosen codes changes nothing."""
        shuffled = list(axes) + list(axes)
        rng.shuffle(shuffled)
        a, b = score(case_id, axes, course=COURSE), score(case_id, shuffled, course=COURSE)
        assert (a.jaccard, a.correct, a.missed, a.extra) == (b.jaccard, b.correct, b.missed, b.extra)

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CASE_IDS), axis_lists)
    def test_score_follows_the_rule_in_the_docstring(self, case_id, axes):
        """jaccard = best of |correct| / |chosen ∪ reading| over the key and the also_accepted
        readings; correct/missed/extra partition the matched reading ∪ chosen."""
        case = COURSE.cases[case_id]
        chosen = set(axes)
        readings = {"key": set(case.axes)}
        readings.update({f"also_accepted:{i}": set(r.axes) for i, r in enumerate(case.also_accepted, 1)})
        result = score(case_id, axes, course=COURSE)
        key = readings[result.matched_reading]
        assert set(result.correct) == key & chosen
        assert set(result.missed) == key - chosen
        assert set(result.extra) == chosen - key
        best = max(len(r & chosen) / len(r | chosen) for r in readings.values())
        assert result.jaccard == pytest.approx(best)
        assert jaccard(key, chosen) == pytest.approx(best)
        own = set(case.axes)
        assert result.key_jaccard == pytest.approx(len(own & chosen) / len(own | chosen))

    @given(st.sets(st.sampled_from(AXIS_CODES)), st.sets(st.sampled_from(AXIS_CODES)))
    def test_pure_jaccard_is_symmetric(self, a, b):
        """The pure function does not care which side is the key."""
        assert jaccard(a, b) == jaccard(b, a)


class TestUnknownCodes:
    @given(st.text(min_size=1, max_size=8).filter(lambda s: s not in AXIS_CODES))
    def test_unknown_axis_is_a_value_error_naming_the_code_and_the_valid_ones(self, bad):
        """The error is a ValueError, in French, quoting the bad code and every valid code."""
        with pytest.raises(UnknownCodeError) as info:
            score(CASE_IDS[0], ["DEV", bad], course=COURSE)
        assert isinstance(info.value, ValueError)
        message = str(info.value)
        assert f"« {bad} »" in message and "inconnu" in message
        assert all(code in message for code in AXIS_CODES)

    def test_unknown_approach_lists_the_approach_codes(self):
        """A bad approach code is reported with the four approach codes."""
        with pytest.raises(UnknownCodeError) as info:
            score(CASE_IDS[0], ["DEV"], "SOCIOXYZ", course=COURSE)
        assert "SOCIOXYZ" in str(info.value)
        assert all(code in str(info.value) for code in APPROACH_CODES)

    def test_unknown_case_raises_unknown_case_error(self):
        """The case id is checked with the course's own error."""
        with pytest.raises(UnknownCaseError):
            score("pas-un-cas", ["DEV"], course=COURSE)


def _secrets(case):
    """Every text of a case that states (part of) its key."""
    out = [*case.rationale.values(), *case.not_axes.values(), *(r.why for r in case.also_accepted)]
    if case.approach.why:
        out.append(case.approach.why)
    if case.hesitation:
        out.append(case.hesitation)
    return out


class TestFeedback:
    """Staged feedback (issue #16): nothing gives the key away before the learner has tried."""

    def _case_with_extra_and_missed(self):
        case = next(c for c in COURSE.cases.values() if len(c.axes) >= 2 and not c.also_accepted)
        extra = next(c for c in AXIS_CODES if c not in case.rationale)
        return case, extra

    @settings(max_examples=200, deadline=None)
    @given(st.sampled_from(CASE_IDS), axis_lists, st.one_of(st.none(), st.sampled_from(APPROACH_CODES)))
    def test_first_feedback_never_states_a_reason(self, case_id, axes, approach):
        """The first stage quotes no rationale, not_axes, approach reason or hesitation, and
        names no axis the learner did not tick."""
        case = COURSE.cases[case_id]
        result = score(case_id, axes, approach, course=COURSE)
        for text in _secrets(case):
            assert text not in result.feedback
        for code in AXIS_CODES:
            if code not in axes:
                assert COURSE.axes[code].label not in result.feedback
        if approach != case.approach.dominant and case.approach.dominant:
            assert COURSE.approaches[case.approach.dominant].label not in result.feedback

    def test_first_feedback_counts_what_is_missing_and_extra(self):
        """The first stage says how many axes are missing and how many are extra."""
        case, extra = self._case_with_extra_and_missed()
        result = score(case.id, [case.axes[0], extra], course=COURSE)
        n = len(case.axes) - 1
        assert f"Il manque {n} axe" in result.feedback
        assert "1 axe en trop" in result.feedback

    @pytest.mark.parametrize("case_id", CASE_IDS)
    def test_empty_answer_gets_only_an_invitation(self, case_id):
        """No axis ticked: every stage is the invitation to answer, nothing else."""
        result = score(case_id, [], "SOCIOPOL", course=COURSE)
        assert result.feedback == result.full_feedback == INVITATION
        assert feedback(case_id, result, attempt=3, reveal=True) == INVITATION

    def test_stage_is_chosen_by_attempt_and_reveal(self):
        """Attempt 1 gets the first stage; attempt 2 or reveal gets the full one."""
        case, extra = self._case_with_extra_and_missed()
        answer = ([case.axes[0], extra], None)
        first = feedback(case.id, answer, attempt=1, course=COURSE)
        assert first == score(case.id, *answer, course=COURSE).feedback
        assert feedback(case.id, answer, attempt=2, course=COURSE) != first
        full = feedback(case, answer, reveal=True, course=COURSE)
        assert case.rationale[case.axes[1]] in full

    def test_missed_axis_quotes_the_case_rationale_in_full(self):
        """In the full stage each missed axis is named with the reason the case gives for it."""
        case, extra = self._case_with_extra_and_missed()
        result = score(case.id, [extra], course=COURSE)
        for code in case.axes:
            assert COURSE.axes[code].label in result.full_feedback
            assert case.rationale[code] in result.full_feedback

    def test_extra_axis_explains_why_not_in_full(self):
        """An extra axis is explained by the case's not_axes entry, else by the axis's not_fit."""
        case, extra = self._case_with_extra_and_missed()
        result = score(case.id, [*case.axes, extra], course=COURSE)
        why = case.not_axes.get(extra) or COURSE.axes[extra].not_fit
        assert result.extra == (extra,)
        assert " ".join(why.split()) in result.full_feedback
        assert " ".join(why.split()) not in result.feedback

    def test_right_axes_are_acknowledged(self):
        """The feedback opens by saying what was right."""
        case = COURSE.cases[CASE_IDS[0]]
        result = score(case.id, case.axes[:1], course=COURSE)
        assert result.feedback.startswith("Bien vu")

    def test_wrong_approach_is_explained_in_full(self):
        """A wrong approach gets the case's approach explanation, at the second stage only."""
        case = next(c for c in COURSE.cases.values() if c.approach.dominant and c.approach.why
                    and not c.also_accepted)
        wrong = next(a for a in APPROACH_CODES if a != case.approach.dominant)
        result = score(case.id, case.axes, wrong, course=COURSE)
        assert result.approach_correct is False
        assert case.approach.why in result.full_feedback
        assert case.approach.why not in result.feedback

    def test_hard_case_says_it_is_debated(self):
        """On a difficulty-3 case the full feedback cites the case's hesitation."""
        case = next(c for c in COURSE.cases.values() if c.difficulty == 3 and c.hesitation)
        extra = next(c for c in AXIS_CODES if c not in case.rationale) if len(case.axes) < 4 else None
        result = score(case.id, [case.axes[0]] + ([extra] if extra else []), course=COURSE)
        assert case.hesitation in result.full_feedback
        assert case.hesitation not in result.feedback

    def test_easy_case_never_says_it_is_debated(self):
        """The debate paragraph is reserved for hard cases."""
        for case in COURSE.cases.values():
            if case.difficulty < 3:
                assert "Ce cas est discuté" not in score(case.id, ["DEV"], course=COURSE).full_feedback


class TestAlsoAccepted:
    """Debatable cases: another defensible reading scores like the key, and says so."""

    CASES = [c for c in COURSE.cases.values() if c.also_accepted]

    def test_some_cases_record_other_defensible_readings(self):
        assert len(self.CASES) >= 5

    @pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
    def test_each_reading_scores_1_and_is_named(self, case):
        for index, reading in enumerate(case.also_accepted, 1):
            result = score(case.id, reading.axes, reading.approach, course=COURSE)
            assert result.jaccard == 1.0
            if set(reading.axes) != set(case.axes):
                assert result.matched_reading == f"also_accepted:{index}"
                assert result.key_jaccard < 1.0
                assert "Lecture aussi défendable" in result.full_feedback
                assert reading.why in result.full_feedback
                assert reading.why not in result.feedback
                assert "aussi défendable" in result.feedback
            if reading.approach:
                assert result.approach_correct is True

    @pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
    def test_the_key_wins_ties(self, case):
        result = score(case.id, case.axes, case.approach.dominant, course=COURSE)
        assert (result.matched_reading, result.jaccard) == ("key", 1.0)

    def test_default_course_is_the_kit(self):
        """Without course=, the kit's own data is used."""
        case = COURSE.cases[CASE_IDS[0]]
        assert score(case.id, case.axes).jaccard == 1.0


@pytest.mark.parametrize("right", [0, 1, 2])
def test_the_score_line_counts_in_french(right):
    """« 0 axe juste », « 1 axe juste », « 2 axes justes »: French takes the singular below 2."""
    course = ockit.load()
    case = next(c for c in course.cases.values() if len(c.axes) >= 2)
    wrong = [c for c in AXIS_CODES if c not in case.axes]
    chosen = list(case.axes[:right]) or wrong[:1]
    shown = score(case.id, chosen, None).feedback
    words = "axe juste" if right < 2 else "axes justes"
    assert f"soit {right} {words} sur" in shown
