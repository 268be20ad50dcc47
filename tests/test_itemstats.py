"""Item statistics per case (facility, discrimination as Moodle computes them) and the debrief flags.

Each expected figure is recomputed here from its definition: by hand on a small class, and with
plain Python loops (statistics module) on a full class read back from answers.csv.
"""

import csv
import json
import math
import statistics

import pytest

import ockit
from ockit import itemstats
from ockit.classroom import CASE_COLUMNS
from ockit.model import AXIS_CODES
from ockit.report import write_report
from ockit.sample import synthetic_submissions
from ockit.submission import FORMAT


@pytest.fixture(scope="module")
def course():
    return ockit.load()


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def submission(learner, answers):
    return {"format": FORMAT, "learner": learner, "kit_version": "0.1.0",
            "created": "2026-11-23T10:00:00-05:00", "answers": answers}


def write_class(folder, subs):
    folder.mkdir(parents=True)
    for number, sub in enumerate(subs):
        (folder / f"r{number:04d}.json").write_text(json.dumps(sub, ensure_ascii=False), encoding="utf-8")


def single_axis_cases(course, count):
    """Cases whose key is one axis, so a mark is 1 (the key), 0.5 (key + one more) or 0."""
    return [c for c in course.cases.values() if len(c.axes) == 1][:count]


def answer(case, mark):
    other = [c for c in AXIS_CODES if c not in case.axes]
    axes = {1.0: list(case.axes), 0.5: [*case.axes, other[0]], 0.0: [other[0]]}[mark]
    return {"case": case.id, "axes": axes, "approach": None}


class TestSmallClassByHand:
    """Three learners, two one-axis cases, marks chosen so every figure is computed by hand."""

    MARKS = {"A": (1.0, 1.0), "B": (0.5, 0.0), "C": (0.0, 0.5)}

    @pytest.fixture
    def cases_csv(self, tmp_path, course):
        x, y = single_axis_cases(course, 2)
        write_class(tmp_path / "in", [submission(who, [answer(x, mx), answer(y, my)])
                                      for who, (mx, my) in self.MARKS.items()])
        write_report(tmp_path / "in", tmp_path / "out", course)
        return {r["case"]: r for r in rows(tmp_path / "out" / "cases.csv")}, x, y

    def test_cases_csv_has_the_new_columns(self, cases_csv):
        """Does cases.csv carry facility and discrimination beside the earlier columns?"""
        table, _, _ = cases_csv
        assert tuple(next(iter(table.values())).keys()) == CASE_COLUMNS
        assert {"facility", "discrimination"} <= set(CASE_COLUMNS)

    def test_facility_is_the_mean_mark(self, cases_csv):
        """Facility of x = (1 + 0.5 + 0) / 3 = 0.5, and of y = (1 + 0 + 0.5) / 3 = 0.5."""
        table, x, y = cases_csv
        assert float(table[x.id]["facility"]) == pytest.approx(0.5, abs=1e-4)
        assert float(table[y.id]["facility"]) == pytest.approx(0.5, abs=1e-4)

    def test_discrimination_by_hand(self, cases_csv):
        """x = (1, .5, 0), rest = y = (1, 0, .5): deviations (.5, 0, -.5) and (.5, -.5, 0),
        cov = .25 / 2 = .125, both variances .5 / 2 = .25, so 100 × .125 / .25 = 50."""
        table, x, y = cases_csv
        assert float(table[x.id]["discrimination"]) == pytest.approx(50, abs=0.01)
        assert float(table[y.id]["discrimination"]) == pytest.approx(50, abs=0.01)


class TestMatrixRules:
    def test_negative_discrimination(self):
        """Marks (1, 0) on a case and (0, 1) on the other: the rest runs against it, −100."""
        _, disc = itemstats.facility_discrimination([[1.0, 0.0], [0.0, 1.0]])
        assert disc.tolist() == pytest.approx([-100.0, -100.0])

    def test_undefined_when_everyone_has_the_same_mark(self):
        """Is discrimination empty (NaN) when a case's marks do not vary, as in Moodle?"""
        facility, disc = itemstats.facility_discrimination([[1.0, 0.0], [1.0, 1.0], [1.0, 0.5]])
        assert facility.tolist() == pytest.approx([1.0, 0.5])
        assert math.isnan(disc[0]) and math.isnan(disc[1])  # the rest of case 2 is case 1: constant

    def test_undefined_with_one_learner(self):
        _, disc = itemstats.facility_discrimination([[1.0, 0.5]])
        assert all(math.isnan(v) for v in disc)

    def test_an_unanswered_case_counts_zero(self, tmp_path, course):
        """Does a learner who skipped a case count 0 for it, as Moodle counts an empty answer?"""
        x, y = single_axis_cases(course, 2)
        write_class(tmp_path / "in", [submission("A", [answer(x, 1.0), answer(y, 1.0)]),
                                      submission("B", [answer(x, 1.0)])])
        write_report(tmp_path / "in", tmp_path / "out", course)
        table = {r["case"]: r for r in rows(tmp_path / "out" / "cases.csv")}
        assert float(table[y.id]["facility"]) == pytest.approx(0.5)  # (1 + 0) / 2
        assert float(table[x.id]["facility"]) == pytest.approx(1.0)


class TestDebrief:
    def test_negative_discrimination_is_flagged_in_french(self):
        reason = itemstats.debrief_reason(-12.0, 0.8)
        assert "Discrimination négative" in reason and "−12,0" in reason and "Accord" not in reason

    def test_low_agreement_is_flagged(self):
        reason = itemstats.debrief_reason(30.0, 0.05)
        assert "Accord faible" in reason and "0,05" in reason

    def test_nothing_to_flag(self):
        assert itemstats.debrief_reason(40.0, 0.9) == ""
        assert itemstats.debrief_reason(float("nan"), float("nan")) == ""

    def test_report_lists_the_flagged_case_with_its_reason(self, tmp_path, course):
        """Is a case with negative discrimination named, with its reason, in report.html?"""
        x, y = single_axis_cases(course, 2)
        write_class(tmp_path / "in", [submission("A", [answer(x, 1.0), answer(y, 0.0)]),
                                      submission("B", [answer(x, 0.0), answer(y, 1.0)])])
        result = write_report(tmp_path / "in", tmp_path / "out", course)
        html = result.html.read_text(encoding="utf-8")
        assert "Cas à reprendre au retour en classe" in html and "Discrimination négative" in html
        assert itemstats.RULE_FACILITY.split(" : ")[0] in html and "n − 1" in html
        assert "Règle de notation des axes, comparée" in html and "Partial credit with penalty" in html


def independent(answers_rows):
    """Facility and discrimination per case from answers.csv rows, with plain loops."""
    learners = sorted({r["learner"] for r in answers_rows})
    cases = list(dict.fromkeys(r["case"] for r in answers_rows))
    mark = {(r["learner"], r["case"]): float(r["jaccard"]) for r in answers_rows}
    out = {}
    for case in cases:
        own = [mark.get((who, case), 0.0) for who in learners]
        rest = [sum(mark.get((who, c), 0.0) for c in cases if c != case) for who in learners]
        n = len(learners)
        mo, mr = statistics.fmean(own), statistics.fmean(rest)
        cov = sum((a - mo) * (b - mr) for a, b in zip(own, rest)) / (n - 1)
        disc = 100 * cov / math.sqrt(statistics.variance(own) * statistics.variance(rest))
        out[case] = (mo / 1.0, disc)
    return out


def test_full_class_matches_the_formulas_recomputed_from_answers_csv(tmp_path, course):
    """On 60 learners who all answered every case, does cases.csv match the formulas within
    0.01 (facility) and 1 point (discrimination), recomputed from answers.csv's jaccard?"""
    write_class(tmp_path / "in", synthetic_submissions(course, learners=60, seed=7))
    write_report(tmp_path / "in", tmp_path / "out", course)
    answers = rows(tmp_path / "out" / "answers.csv")
    assert len(answers) == 60 * len(course.cases)
    expected = independent(answers)
    table = {r["case"]: r for r in rows(tmp_path / "out" / "cases.csv")}
    assert set(table) == set(expected)
    for case, (facility, disc) in expected.items():
        assert float(table[case]["facility"]) == pytest.approx(facility, abs=0.01), case
        assert float(table[case]["discrimination"]) == pytest.approx(disc, abs=1), case
