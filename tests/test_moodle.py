"""`ockit export moodle`: a Moodle XML question bank that Moodle's importer accepts as is."""

import html
import xml.etree.ElementTree as ET

import pytest

import ockit
from ockit.cli import main
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.moodle import MoodleGradeError, grade, quiz_xml

from .helpers import copy_reference, valid_case, write_case

# Moodle's allowed grades, copied from question_bank::fraction_options_full() (percent).
MOODLE_POSITIVE = [100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
                   16.66667, 14.28571, 12.5, 11.11111, 10, 5]
ALLOWED = [0.0] + [g for p in MOODLE_POSITIVE for g in (p, -p)]


@pytest.fixture(scope="module")
def course():
    return ockit.load()


@pytest.fixture(scope="module")
def bank(course):
    return ET.fromstring(quiz_xml(course))


def questions(root, single):
    return [q for q in root.findall("question[@type='multichoice']") if q.findtext("single") == single]


def text_of(element):
    """The text as a Moodle user sees it: CDATA content, HTML tags dropped, entities decoded."""
    import re

    return html.unescape(re.sub(r"<[^>]+>", " ", element.findtext("text") or ""))


def case_of(question, course, suffix):
    name = question.findtext("name/text")
    return next(c for c in course.cases.values() if name == f"{c.title} – {suffix}")


class TestAxesQuestions:
    def test_one_multiple_answer_question_per_case(self, bank, course):
        """Every case has exactly one multichoice question with single=false."""
        names = [q.findtext("name/text") for q in questions(bank, "false")]
        assert sorted(names) == sorted(f"{c.title} – axes" for c in course.cases.values())

    def test_each_axis_is_an_answer_and_the_key_axes_are_the_positive_ones(self, bank, course):
        """Four answers, one per axis label; positive fractions exactly on the key's axes."""
        labels = {course.axes[c].label: c for c in AXIS_CODES}
        for q in questions(bank, "false"):
            case = case_of(q, course, "axes")
            answers = {labels[a.findtext("text")]: float(a.get("fraction")) for a in q.findall("answer")}
            assert set(answers) == set(AXIS_CODES)
            assert {c for c, f in answers.items() if f > 0} == set(case.axes)
            assert all(f < 0 for c, f in answers.items() if c not in case.axes)

    def test_fractions_are_allowed_grades_and_positives_sum_to_100_as_moodle_checks(self, bank):
        """Every fraction is on Moodle's list; positives round (2 decimals) to 100 %."""
        for q in questions(bank, "false"):
            fractions = [float(a.get("fraction")) for a in q.findall("answer")]
            assert all(any(abs(f - g) < 0.001 for g in ALLOWED) for f in fractions), fractions
            assert round(sum(f for f in fractions if f > 0) / 100, 2) == 1.0

    def test_ticking_every_axis_scores_zero(self, bank):
        """Wrong answers are negative enough that ticking all four boxes earns nothing."""
        for q in questions(bank, "false"):
            assert sum(float(a.get("fraction")) for a in q.findall("answer")) == pytest.approx(0, abs=1e-4)

    def test_feedback_comes_from_the_rationale_or_the_not_fit_text(self, bank, course):
        """A key axis' feedback quotes its rationale; another axis quotes not_axes or not_fit."""
        labels = {course.axes[c].label: c for c in AXIS_CODES}
        for q in questions(bank, "false"):
            case = case_of(q, course, "axes")
            for a in q.findall("answer"):
                code = labels[a.findtext("text")]
                expected = case.rationale.get(code) or case.not_axes.get(code) or course.axes[code].not_fit
                assert expected in " ".join(text_of(a.find("feedback")).split())

    def test_question_text_is_html_with_the_summary(self, bank, course):
        """questiontext is format=html and carries the case's summary."""
        for q in questions(bank, "false"):
            case = case_of(q, course, "axes")
            assert q.find("questiontext").get("format") == "html"
            assert case.summary in " ".join(text_of(q.find("questiontext")).split())


class TestApproachQuestions:
    def test_one_single_answer_question_per_case_with_a_known_approach(self, bank, course):
        """single=true; 100 % on the dominant approach, 0 elsewhere; none when it is unknown."""
        labels = {course.approaches[c].label: c for c in APPROACH_CODES}
        qs = questions(bank, "true")
        expected = [c for c in course.cases.values() if c.approach.dominant]
        assert len(qs) == len(expected)
        for q in qs:
            case = case_of(q, course, "approche")
            answers = {labels[a.findtext("text")]: float(a.get("fraction")) for a in q.findall("answer")}
            assert answers.pop(case.approach.dominant) == 100
            assert set(answers.values()) == {0}


class TestCategoriesAndEscaping:
    def test_questions_follow_the_category_of_their_difficulty(self, bank, course):
        """Each question sits after the category $course$/ockit/Difficulté N of its case."""
        current = None
        for q in bank.findall("question"):
            if q.get("type") == "category":
                current = q.findtext("category/text")
                continue
            suffix = "axes" if q.findtext("single") == "false" else "approche"
            case = case_of(q, course, suffix)
            assert current == f"$course$/ockit/Difficulté {case.difficulty}"

    def test_markup_and_cdata_end_in_case_text_are_escaped(self, tmp_path):
        """A summary with <script>, & and ]]> stays text and the XML stays well formed."""
        data = copy_reference(tmp_path / "data")
        nasty = "Une OC <script>alert(1)</script> & un comité ]]> au quartier, avec des citoyennes."
        write_case(data, valid_case(summary=nasty, title="Titre <b> & ]]>"))
        course = ockit.load(data, extra=())
        root = ET.fromstring(quiz_xml(course))
        q = questions(root, "false")[0]
        raw = q.find("questiontext").findtext("text")
        assert "<script>" not in raw and "&lt;script&gt;" in raw
        assert nasty in text_of(q.find("questiontext"))
        assert q.findtext("name/text") == "Titre <b> & ]]> – axes"

    def test_grade_refuses_a_value_moodle_would_reject(self):
        """37 % is not an allowed grade: MoodleGradeError, in French."""
        with pytest.raises(MoodleGradeError, match="refusée par Moodle"):
            grade(37)
        assert grade(100 / 3) == "33.33333" and grade(-50) == "-50" and grade(12.5) == "12.5"


def test_cli_writes_the_bank(tmp_path, capsys, course):
    """`ockit export moodle --out quiz.xml` writes a parseable bank and exits 0."""
    out = tmp_path / "quiz.xml"
    assert main(["export", "moodle", "--out", str(out)]) == 0
    root = ET.parse(out).getroot()
    assert root.tag == "quiz"
    assert len(questions(root, "false")) == len(course.cases)
    assert str(out) in capsys.readouterr().out
