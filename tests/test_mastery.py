"""ockit.mastery and charts.mastery_figure: per-axis hit and correct-rejection rates, per-approach rates."""

from datetime import datetime, timedelta, timezone

import pytest

import ockit
from ockit import charts, mastery
from ockit.progress import Store
from ockit.submission import SubmittedAnswer

COURSE = ockit.load()
CASES = list(COURSE.cases.values())
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=-5)))


def at(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat()


def perfect(case, minutes=0):
    return SubmittedAnswer(case.id, case.axes, case.approach.dominant, answered_at=at(minutes))


def test_first_attempt_counts_a_quick_retry_does_not_a_later_one_does():
    case = CASES[0]
    wrong = SubmittedAnswer(case.id, (), None, answered_at=at(0))
    attempts = [wrong, perfect(case, 1), perfect(case, 60 * 24 * 2), SubmittedAnswer(case.id, case.axes)]
    kept = mastery.counted_attempts(attempts)
    assert kept == [attempts[0], attempts[2]]  # the copy right after the key, and the untimed one, are left out


def test_a_perfect_learner_finds_and_leaves_every_axis():
    m = mastery.mastery([perfect(c, i) for i, c in enumerate(CASES)], COURSE)
    assert m.counted == len(CASES)
    for code in COURSE.axes:
        assert m.found[code].rate == 1 and m.left[code].rate == 1
        assert m.found[code].total == sum(code in c.axes for c in CASES)
        assert m.found[code].total + m.left[code].total == len(CASES)
    for code in COURSE.approaches:
        assert m.chosen[code].right == m.chosen[code].total == sum(c.approach.dominant == code for c in CASES)


def test_a_learner_who_never_ticks_an_axis_is_told_so_per_axis():
    target = "DSS"
    attempts = [SubmittedAnswer(c.id, tuple(a for a in c.axes if a != target) or ("DEV",), None,
                                answered_at=at(i)) for i, c in enumerate(CASES)]
    m = mastery.mastery(attempts, COURSE)
    assert m.found[target].right == 0 < m.found[target].total
    assert m.left[target].rate == 1
    assert all(r.right == 0 for r in m.chosen.values())  # no approach chosen
    text = mastery.describe(m, COURSE)
    assert f"repéré 0 fois sur {m.found[target].total}" in text
    assert all(COURSE.axes[c].label in text for c in COURSE.axes)


def test_unknown_cases_are_skipped_and_the_store_is_read(store_path):
    store = Store(store_path)
    store.record(perfect(CASES[0]))
    store.record(SubmittedAnswer("cas-disparu", ("DEV",), answered_at=at(1)))
    m = mastery.from_store(Store(store_path), COURSE)
    assert m.counted == 1


def test_figure_bars_are_the_rates_and_the_alt_text_says_them():
    half = [perfect(c, i) if i % 2 else SubmittedAnswer(c.id, (), None, answered_at=at(i))
            for i, c in enumerate(CASES[:12])]
    chart = charts.mastery_figure(attempts=half, course=COURSE)
    figure, alt = chart.figure, chart.alt
    m = mastery.mastery(half, COURSE)
    top, bottom = figure.axes
    widths = [p.get_width() for p in top.patches]
    expected = [100 * (r.rate or 0) for code in COURSE.axes for r in (m.found[code], m.left[code])]
    assert widths == pytest.approx(expected)
    assert [p.get_width() for p in bottom.patches] == pytest.approx(
        [100 * (m.chosen[c].rate or 0) for c in COURSE.approaches])
    assert top.get_legend() is None and bottom.get_legend() is None  # labels, not a legend over the bars
    assert alt == mastery.describe(m, COURSE) == repr(chart)
    page = chart._repr_html_()
    assert '<img src="data:image/png;base64,' in page and "alt=" in page
    assert "'" not in page.split('alt="')[1].split('"')[0]  # the apostrophes of the alt text are escaped


def test_figure_with_no_answer_says_so(store_path):
    chart = charts.mastery_figure(Store(store_path), COURSE)
    assert "aucune réponse" in chart.alt.lower()
    assert not chart.figure.axes[0].patches


def test_an_answer_matching_a_defensible_reading_is_not_counted_as_a_miss():
    case = next(c for c in CASES if any(set(r.axes) < set(c.axes) for r in c.also_accepted))
    reading = next(r for r in case.also_accepted if set(r.axes) < set(c for c in case.axes))
    left_out = next(c for c in case.axes if c not in reading.axes)
    answer = SubmittedAnswer(case.id, reading.axes, reading.approach or case.approach.dominant, answered_at=at(0))
    m = mastery.mastery([answer], COURSE)
    assert m.found[left_out].total == 0 and m.left[left_out].right == 1  # the reading does not hold it
    assert all(m.found[c].right == m.found[c].total == 1 for c in reading.axes)
