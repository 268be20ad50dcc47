"""Accessibility set-up of every kit widget, headless: the root box, the helper and the group names.

What the helper then does in a page (keys kept in the widget, named groups, contrast) is checked
in Chromium by the browser tests, with axe-core.
"""

from __future__ import annotations

import pytest

from ockit.data import load
from ockit.widgets import CaseExercise, ExportPanel, QuizWidget, Workshop
from ockit.widgets.a11y import _enhancer_class

COURSE = load()


def helper_of(widget):
    found = [child for child in widget.children if isinstance(child, _enhancer_class())]
    assert len(found) == 1, "chaque widget de la trousse porte un seul assistant d'accessibilité"
    return found[0]


def classes_below(widget):
    seen = set(getattr(widget, "_dom_classes", ()))
    for child in getattr(widget, "children", ()):
        seen |= classes_below(child)
    return seen


FACES = {
    "case": lambda: CaseExercise(sorted(COURSE.cases)[0]),
    "workshop": lambda: Workshop(sorted(COURSE.cases)[:2]),
    "quiz": lambda: QuizWidget("definitions"),
    "export": lambda: ExportPanel(),
}


@pytest.mark.parametrize("face", FACES)
def test_every_face_has_a_root_with_the_helper(face, store_path):
    """Is each widget's root box marked ockit-root and does it carry the helper?"""
    widget = FACES[face]().widget
    assert "ockit-root" in widget._dom_classes
    helper_of(widget)


@pytest.mark.parametrize("face", FACES)
def test_every_named_group_exists_in_the_widget(face, store_path):
    """Does every group the helper names exist (as a CSS class) among the widget's boxes?"""
    widget = FACES[face]().widget
    present = classes_below(widget)
    for css_class, label, role in helper_of(widget).groups:
        assert css_class in present
        assert label.strip() and role in ("group", "radiogroup")


def test_a_case_names_its_axes_and_its_approach_groups(store_path):
    """Are the axis check boxes a named group and the approaches a named radio group?"""
    groups = {(label, role) for _, label, role in helper_of(CaseExercise(sorted(COURSE.cases)[0]).widget).groups}
    assert groups == {("Axes de service", "group"), ("Approche dominante", "radiogroup")}


def test_quiz_questions_are_named_groups(store_path):
    """Is each single- or multiple-choice question a group named after its number?"""
    quiz = QuizWidget("definitions")
    names = [label for _, label, _ in helper_of(quiz.widget).groups]
    expected = [f"Question {n} : votre réponse" for n, q in enumerate(quiz.quiz.questions, 1) if q.kind != "matching"]
    assert names == expected

