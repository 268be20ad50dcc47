"""ockit.adaptive: the proposed case trains the learner's weakest axis or approach, and says why."""

from datetime import datetime, timedelta, timezone

import pytest

import ockit
from ockit import adaptive
from ockit.mastery import mastery
from ockit.submission import SubmittedAnswer

COURSE = ockit.load()
CASES = list(COURSE.cases.values())
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=-5)))


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def learner_missing(axis):
    """A simulated learner who gets every case right except that they never tick `axis`."""
    def answer(case, minutes):
        axes = tuple(a for a in case.axes if a != axis)
        return SubmittedAnswer(case.id, axes, case.approach.dominant, answered_at=at(minutes))
    return answer


def simulate(answer, steps, mode="adaptive"):
    """Run the workshop for `steps` cases; return, per step, (proposal, base rate of the axis)."""
    attempts, log = [], []
    now = T0 + timedelta(minutes=steps + 1)
    for step in range(steps):
        proposal = adaptive.propose(attempts, COURSE, mode=mode, now=now)
        pool = adaptive.candidates(attempts, COURSE, now)
        log.append((proposal, pool))
        attempts.append(answer(COURSE.case(proposal.case), step))
    return attempts, log


@pytest.mark.parametrize("axis", ["DSS", "ORG"])
def test_after_repeated_misses_proposed_cases_carry_the_axis_more_often_than_chance(axis):
    steps = 20
    _, log = simulate(learner_missing(axis), steps)
    # Chance: the share of the remaining cases whose key holds the axis, at each step.
    chance = sum(sum(axis in c.axes for c in pool) / len(pool) for _, pool in log) / steps
    carried = sum(axis in COURSE.case(p.case).axes for p, _ in log) / steps
    assert carried > chance + 0.2, (carried, chance)
    # Once the miss is seen, the reason names the axis and the record behind it.
    named = [p for p, _ in log if p.skill is not None]
    assert named and all(p.skill.code == axis and p.skill.kind == "found" for p in named)
    assert COURSE.axes[axis].label in named[-1].reason and "oublié" in named[-1].reason


def test_the_reason_states_the_learners_own_record():
    attempts, log = simulate(learner_missing("DSS"), 10)
    proposal = adaptive.propose(attempts, COURSE, now=T0 + timedelta(minutes=11))
    record = mastery(attempts, COURSE).found["DSS"]
    assert f"que vous avez oublié {record.wrong} fois sur {record.total}" in proposal.reason
    assert proposal.reason.startswith("Cas proposé pour travailler l'axe Actions sur les déterminants")


def test_fixed_order_stays_available_and_is_the_start():
    first = CASES[0].id
    assert adaptive.propose([], COURSE).case == first  # nothing known yet: the workshop's order
    _, log = simulate(learner_missing("DSS"), 8, mode="order")
    assert [p.case for p, _ in log] == [c.id for c in CASES[:8]]
    assert all(p.skill is None and "ordre" in p.reason for p, _ in log)


def test_a_case_failed_long_ago_comes_back_but_not_one_failed_just_now_nor_one_right():
    failed, right = CASES[0], CASES[1]
    wrong = SubmittedAnswer(failed.id, (), None, answered_at=at(0))
    ok = SubmittedAnswer(right.id, right.axes, right.approach.dominant, answered_at=at(0))
    soon = adaptive.candidates([wrong, ok], COURSE, now=T0 + timedelta(hours=1))
    later = adaptive.candidates([wrong, ok], COURSE, now=T0 + timedelta(days=4))
    assert failed not in soon and failed in later
    assert right not in soon and right not in later


def test_nothing_left_says_so():
    attempts = [SubmittedAnswer(c.id, c.axes, c.approach.dominant, answered_at=at(i)) for i, c in enumerate(CASES)]
    proposal = adaptive.propose(attempts, COURSE, now=T0 + timedelta(days=30))
    assert proposal.case is None and "tous les cas" in proposal.reason


def test_weak_approach_is_trained_too():
    def answer(case, minutes):  # right axes, never the sociopolitical approach
        approach = "SOCIOCOM" if case.approach.dominant == "SOCIOPOL" else case.approach.dominant
        return SubmittedAnswer(case.id, case.axes, approach, answered_at=at(minutes))
    _, log = simulate(answer, 25)
    trained = [p for p, _ in log if p.skill is not None]
    assert trained and all(COURSE.case(p.case).approach.dominant == "SOCIOPOL" for p in trained)
    assert "l'approche sociopolitique" in trained[0].reason


def test_unknown_mode_is_a_french_error():
    with pytest.raises(ValueError, match="Mode inconnu"):
        adaptive.propose([], COURSE, mode="hasard")


def test_a_workshop_series_restricts_the_proposals_and_sets_the_order():
    series = [c.id for c in CASES if c.difficulty == 1][:6]
    attempts = []
    for step in range(len(series)):
        proposal = adaptive.propose(attempts, COURSE, case_ids=series, now=T0 + timedelta(minutes=99))
        assert proposal.case in series
        attempts.append(learner_missing("DSS")(COURSE.case(proposal.case), step))
    assert sorted(a.case for a in attempts) == sorted(series)
    assert adaptive.propose([], COURSE, case_ids=series[::-1], mode="order").case == series[-1]
    assert adaptive.propose(attempts, COURSE, case_ids=series, now=T0 + timedelta(minutes=99)).case is None
