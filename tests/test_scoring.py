"""ockit.scoring: the partial-credit rule, code checks and French feedback built from the case."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ockit
from ockit.model import APPROACH_CODES, AXIS_CODES, UnknownCaseError
from ockit.scoring import UnknownCodeError, jaccard, score

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
        """jaccard = |correct| / |chosen ∪ key|, and correct/missed/extra partition that union."""
        key, chosen = set(COURSE.cases[case_id].axes), set(axes)
        result = score(case_id, axes, course=COURSE)
        assert set(result.correct) == key & chosen
        assert set(result.missed) == key - chosen
        assert set(result.extra) == chosen - key
        expected = len(key & chosen) / len(key | chosen)
        assert result.jaccard == pytest.approx(expected)
        assert jaccard(key, chosen) == pytest.approx(expected)

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


class TestFeedback:
    def _case_with_extra_and_missed(self):
        for case in COURSE.cases.values():
            others = [c for c in AXIS_CODES if c not in case.rationale]
            if others:
                return case, others[0]
        pytest.skip("every case uses all four axes")

    def test_missed_axis_quotes_the_case_rationale(self):
        """Each missed axis is named with the reason the case gives for it."""
        case, _ = self._case_with_extra_and_missed()
        result = score(case.id, [], course=COURSE)
        for code in case.axes:
            assert COURSE.axes[code].label in result.feedback
            assert case.rationale[code] in result.feedback

    def test_extra_axis_explains_why_not(self):
        """An extra axis is explained by the case's not_axes entry, else by the axis's not_fit."""
        case, extra = self._case_with_extra_and_missed()
        result = score(case.id, [*case.axes, extra], course=COURSE)
        why = case.not_axes.get(extra) or COURSE.axes[extra].not_fit
        assert result.extra == (extra,)
        assert why in result.feedback

    def test_right_axes_are_acknowledged(self):
        """The feedback opens by saying what was right."""
        case = COURSE.cases[CASE_IDS[0]]
        result = score(case.id, case.axes[:1], course=COURSE)
        assert result.feedback.startswith("Bien vu")

    def test_wrong_approach_is_explained(self):
        """A wrong approach gets the case's approach explanation."""
        case = next((c for c in COURSE.cases.values() if c.approach.dominant and c.approach.why), None)
        if case is None:
            pytest.skip("no case explains its approach")
        wrong = next(a for a in APPROACH_CODES if a != case.approach.dominant)
        result = score(case.id, case.axes, wrong, course=COURSE)
        assert result.approach_correct is False
        assert case.approach.why in result.feedback

    def test_hard_case_says_it_is_debated(self):
        """On a difficulty-3 case the feedback cites the case's hesitation."""
        case = next((c for c in COURSE.cases.values() if c.difficulty == 3 and c.hesitation), None)
        if case is None:
            pytest.skip("no difficulty-3 case yet")
        assert case.hesitation in score(case.id, [], course=COURSE).feedback

    def test_easy_case_never_says_it_is_debated(self):
        """The debate paragraph is reserved for hard cases."""
        for case in COURSE.cases.values():
            if case.difficulty < 3:
                assert "Ce cas est discuté" not in score(case.id, [], course=COURSE).feedback

    def test_default_course_is_the_kit(self):
        """Without course=, the kit's own data is used."""
        case = COURSE.cases[CASE_IDS[0]]
        assert score(case.id, case.axes).jaccard == 1.0
