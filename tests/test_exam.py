"""Exam mode: answers saved, nothing of the key shown (widget, page, progress file) before the hand-in."""

from __future__ import annotations

import html
import json

import pytest

from ockit import exam
from ockit.data import load
from ockit.progress import Store
from ockit.widgets import CaseExercise, ExportPanel, QuizWidget

COURSE = load()


def hard_case():
    """A case with two or more axes, an approach and not_axes: plenty of key to leak."""
    for case in sorted(COURSE.cases.values(), key=lambda c: c.id):
        if len(case.axes) >= 2 and case.approach.dominant:
            return case
    raise AssertionError("the corpus has no case with two axes and an approach")


def shown_text(widget) -> str:
    """Every piece of text a widget tree shows: HTML values, descriptions, options."""
    parts = []
    for name in ("value", "description", "tooltip", "placeholder"):
        value = getattr(widget, name, None)
        if isinstance(value, str):
            parts.append(value)
    for label in getattr(widget, "_options_labels", ()) or ():
        parts.append(label)
    for child in getattr(widget, "children", ()):
        parts.append(shown_text(child))
    return "\n".join(parts)


def key_texts(case) -> list[str]:
    texts = [case.rationale[c] for c in case.axes]
    texts += list(case.not_axes.values())
    if case.approach.why:
        texts.append(case.approach.why)
    if case.hesitation:
        texts.append(case.hesitation)
    return [html.escape(t) for t in texts] + texts


@pytest.fixture
def exam_on(monkeypatch):
    monkeypatch.setenv("OCKIT_EXAM", "examen-1")
    exam.disable()
    yield "examen-1"
    exam.disable()


def wrong_first_axis(case):
    return next(c for c in COURSE.axes if c not in case.axes)


class TestBeforeHandIn:
    def test_a_case_check_says_saved_and_nothing_of_the_key(self, exam_on, store_path):
        """After « Vérifier » in exam mode, does the widget show no score, reason or « Voir la réponse »?"""
        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[wrong_first_axis(case)].value = True
        ex.check_button.click()
        shown = shown_text(ex.widget)
        assert "Mode examen" in ex.feedback.value and "Réponse enregistrée" in ex.feedback.value
        for text in key_texts(case):
            assert text not in shown
        assert ex.answer_button.layout.display == "none"
        ex.answer_button.click()  # even if reached some other way
        assert not any(text in ex.answer_box.value for text in key_texts(case))
        assert len(Store().attempts()) == 1

    def test_the_progress_file_holds_no_key_and_no_correctness(self, exam_on, store_path):
        """Does the progress file hold only the learner's choices (no rationale, no quiz correctness)?"""
        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[case.axes[0]].value = True
        ex.check_button.click()
        quiz = QuizWidget("definitions")
        block = next(b for b in quiz.blocks if b.question.kind == "single")
        block.control.value = block.question.answer
        block.check_button.click()
        assert "✔" not in block.feedback.value and "Mode examen" in block.feedback.value
        text = store_path.read_text(encoding="utf-8")
        for reason in key_texts(case):
            assert reason not in text
        stored = json.loads(text)["quiz_attempts"]
        assert [item["correct"] for item in stored] == [None]

    def test_a_restored_answer_shows_no_key(self, exam_on, store_path):
        """Does a case reopened in exam mode restore the choices and still hide the key?"""
        case = hard_case()
        first = CaseExercise(case.id)
        first.checkboxes[case.axes[0]].value = True
        first.check_button.click()
        again = CaseExercise(case.id)
        assert again.checkboxes[case.axes[0]].value is True
        assert again.answer_button.layout.display == "none"
        assert not any(t in shown_text(again.widget) for t in key_texts(case))

    def test_results_are_hidden(self, exam_on, store_path):
        """Are the results per axis (which show the key) hidden until the hand-in?"""
        from ockit import charts

        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[case.axes[0]].value = True
        ex.check_button.click()
        table = charts.results_table()
        assert len(table) == 0 and "Mode examen" in table._repr_html_()


class TestAfterHandIn:
    def hand_in(self, tmp_path):
        panel = ExportPanel(folder=tmp_path)
        panel.learner.value = "Camille"
        panel.button.click()
        assert "Remise écrite" in panel.status.value

    def test_the_corrections_show_and_answers_are_locked(self, exam_on, store_path, tmp_path):
        """After the hand-in, does a case show its correction and refuse a new attempt?"""
        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[case.axes[0]].value = True
        ex.check_button.click()
        self.hand_in(tmp_path)
        after = CaseExercise(case.id)
        assert "Remise faite" in after.feedback.value
        assert after.check_button.disabled and all(b.disabled for b in after.checkboxes.values())
        after.answer_button.click()
        assert html.escape(case.rationale[case.axes[0]]) in after.answer_box.value
        ex.check_button.click()  # the widget opened before the hand-in
        assert "Remise faite" in ex.feedback.value
        assert len(Store().attempts()) == 1

    def test_another_exam_starts_hidden_again(self, exam_on, store_path, tmp_path, monkeypatch):
        """Does handing in exam 1 leave exam 2 (same progress file) hidden?"""
        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[case.axes[0]].value = True
        ex.check_button.click()
        self.hand_in(tmp_path)
        monkeypatch.setenv("OCKIT_EXAM", "examen-2")
        again = CaseExercise(case.id)
        assert again.answer_button.layout.display == "none" and not again.check_button.disabled

    def test_outside_exam_mode_a_hand_in_changes_nothing(self, store_path, tmp_path, monkeypatch):
        """Without exam mode, is the hand-in not noted (a later exam is not unlocked by practice)?"""
        monkeypatch.delenv("OCKIT_EXAM", raising=False)
        case = hard_case()
        ex = CaseExercise(case.id)
        ex.checkboxes[case.axes[0]].value = True
        ex.check_button.click()
        self.hand_in(tmp_path)
        assert not exam.handin_record(Store()).exists()
        monkeypatch.setenv("OCKIT_EXAM", "1")
        assert exam.hiding(Store())


class TestSwitch:
    @pytest.mark.parametrize("value, name", [("1", "examen"), ("oui", "examen"), ("examen-final", "examen-final"),
                                             ("0", None), ("non", None), ("", None)])
    def test_the_environment_variable_names_the_exam(self, value, name, monkeypatch):
        """Does $OCKIT_EXAM turn the mode on (with the exam's name) or off?"""
        monkeypatch.setenv("OCKIT_EXAM", value)
        exam.disable()
        assert exam.configured() == name

    def test_enable_in_a_notebook_turns_it_on_for_the_kernel(self, monkeypatch, store_path):
        """Does ockit.exam.enable() hide the key in this kernel even with no environment variable?"""
        monkeypatch.delenv("OCKIT_EXAM", raising=False)
        try:
            exam.enable("quiz-3")
            quiz = QuizWidget("definitions")
            block = next(b for b in quiz.blocks if b.question.kind == "single")
            block.control.value = block.question.answer
            block.check_button.click()
            assert "Mode examen" in block.feedback.value
        finally:
            exam.disable()
        assert exam.configured() is None


def test_the_mastery_figure_and_the_adaptive_reason_are_hidden(exam_on, store_path):
    """In exam mode, does « Selon mes points faibles » keep the fixed order and the mastery figure say nothing?"""
    from ockit import charts
    from ockit.widgets import Workshop

    shop = Workshop(sorted(COURSE.cases)[:3])
    shop.current.checkboxes["DEV"].value = True
    shop.current.check_button.click()
    shop.mode.value = "adaptive"
    shop.next_button.click()
    assert shop.index == 1 and "Mode examen" in shop.reason.value
    assert "Mode examen" in charts.mastery_figure(Store()).alt


@pytest.mark.parametrize("kind", ["fifo", "garbage", "deep", "folder"])
def test_a_hostile_hand_in_record_never_hangs_nor_unlocks_the_key(kind, exam_on, store_path):
    """A FIFO, bad JSON, deep JSON or a folder beside the progress file: the key stays hidden, answers save."""
    import os

    record = exam.handin_record(Store())
    record.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(record)
    elif kind == "garbage":
        record.write_bytes(b"\xff\xfe{pas du json")
    elif kind == "deep":
        record.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    else:
        record.mkdir()
    assert exam.hiding(Store()) and not exam.handed_in(Store())
    case = hard_case()
    ex = CaseExercise(case.id)
    ex.checkboxes[case.axes[0]].value = True
    ex.check_button.click()
    assert "Mode examen" in ex.feedback.value and len(Store().attempts()) == 1
