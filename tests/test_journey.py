"""The app without code (« parcours »), driven headless, and the lessons it reads from the notebooks."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest

from ockit.data import load
from ockit.lessons import LAB_ONLY, LessonError, lessons, progress, read_lesson
from ockit.progress import QuizAnswer, Store
from ockit.quizdata import load_quiz
from ockit.submission import now_iso
from ockit.widgets.journey import Journey, markdown_html

REPO = Path(__file__).resolve().parents[1]
COURSE = load()


class FakeShell:
    """Records the code cells the app runs, in order; every run succeeds."""

    def __init__(self):
        self.ran: list[str] = []

    def run_cell(self, source, store_history=False):
        self.ran.append(source)

        class Result:
            success = True
            error_in_exec = error_before_exec = None

        return Result()


def write_lesson(folder: Path, name: str, cells) -> Path:
    nb = nbformat.v4.new_notebook()
    for kind, source, *tags in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "markdown" else nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = list(tags)
        nb.cells.append(cell)
    path = folder / name
    nbformat.write(nb, path)
    return path


@pytest.fixture
def lesson_folder(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_lesson(folder, "01_essai.ipynb", [
        ("markdown", "# 1. Une leçon d'essai\n\nTexte <script>alert(1)</script> **gras**."),
        ("markdown", "Exécutez la cellule dans JupyterLab.", LAB_ONLY),
        ("code", 'from ockit.quiz import QuizWidget\n\nQuizWidget("definitions")'),
        ("code", 'from ockit.widgets import CaseExercise\nCaseExercise("marche-sante")'),
    ])
    write_lesson(folder, "06_atelier.ipynb", [("markdown", "# 6. Atelier")])
    write_lesson(folder, "00_prise_en_main.ipynb", [("markdown", "# 0. Prise en main")])
    return folder


class TestLessons:
    def test_quizzes_and_cases_are_found_in_the_code_cells(self, lesson_folder):
        """Are a lesson's quizzes and cases read from its QuizWidget/CaseExercise calls?"""
        lesson = read_lesson(lesson_folder / "01_essai.ipynb")
        assert lesson.title == "1. Une leçon d'essai"
        assert lesson.quizzes == ("definitions",) and lesson.cases == ("marche-sante",)

    def test_lab_only_cells_and_non_lessons_are_left_out(self, lesson_folder):
        """Are cells tagged ockit-lab-only, the primer, the workshop and the instructor's notebook left out?"""
        found = lessons(lesson_folder)
        assert [lesson.id for lesson in found] == ["01_essai"]
        assert not any("JupyterLab" in cell.source for cell in found[0].cells)

    def test_a_notebook_without_title_is_named_in_french(self, tmp_path):
        """Does a notebook with no « # Titre » line raise a French error naming the file?"""
        path = write_lesson(tmp_path, "02_sans_titre.ipynb", [("markdown", "Pas de titre ici.")])
        with pytest.raises(LessonError, match="02_sans_titre.ipynb.*titre"):
            read_lesson(path)

    def test_a_broken_notebook_is_named_in_french(self, tmp_path):
        """Does a file that is not a notebook raise a French error naming it, not a traceback?"""
        path = tmp_path / "03_casse.ipynb"
        path.write_text("{pas du json", encoding="utf-8")
        with pytest.raises(LessonError, match="03_casse.ipynb.*illisible"):
            read_lesson(path)

    def test_every_course_notebook_reads_as_a_lesson(self):
        """Does every lesson notebook of the kit have a title and only known quizzes and cases?"""
        found = lessons(REPO / "notebooks")
        assert found
        for lesson in found:
            for quiz in lesson.quizzes:
                load_quiz(quiz)  # raises QuizError if the notebook names an unknown quiz
            for case in lesson.cases:
                COURSE.case(case)

    def test_progress_counts_questions_and_cases_checked(self, lesson_folder, store_path):
        """Does a lesson's progress move from « à faire » as its questions are checked?"""
        lesson = read_lesson(lesson_folder / "01_essai.ipynb")
        size = len(load_quiz("definitions").questions)
        store = Store()
        assert progress(lesson, store, {"definitions": size}).label == "à faire"
        question = load_quiz("definitions").questions[0]
        store.record_quiz(QuizAnswer(quiz="definitions", question=question.id, response=question.choices[0],
                                     correct=False, attempts=1, answered_at=now_iso()))
        state = progress(lesson, store, {"definitions": size})
        assert (state.done, state.total) == (1, size + 1)
        assert state.label == f"1 sur {size + 1}"


class TestMarkdown:
    def test_raw_html_in_a_lesson_is_escaped(self):
        """Is raw HTML in a lesson's Markdown shown as text, never run?"""
        out = markdown_html("Texte <script>alert(1)</script> et **gras**")
        assert "<script>" not in out and html.escape("<script>") in out and "<strong>gras</strong>" in out


class TestJourney:
    def journey(self, lesson_folder, shell=None):
        return Journey(store=Store(), course=COURSE, notebooks=lesson_folder, shell=shell or FakeShell())

    def test_home_lists_each_lesson_with_a_button_and_its_progress(self, lesson_folder, store_path):
        """Does the home page show one « Ouvrir » button per lesson, with its title and progress?"""
        app = self.journey(lesson_folder)
        rows = app.pages["accueil"].children[1].children
        assert len(rows) == 2
        button, text = rows[0].children
        assert button.description == "Ouvrir la leçon 1"
        assert "Une leçon d&#x27;essai" in text.value and "à faire" in text.value

    def test_home_lists_the_workshop_at_its_place_among_the_lessons(self, lesson_folder, store_path):
        """Does the home page show the workshop (notebook 06) between lessons 5 and 7, not skip it?"""
        for name in ("05_avant.ipynb", "07_apres.ipynb"):
            write_lesson(lesson_folder, name, [("markdown", f"# {name[1]}. Leçon {name[1]}")])
        app = self.journey(lesson_folder)
        rows = app.pages["accueil"].children[1].children
        names = [row.children[0].description for row in rows]
        assert names == ["Ouvrir la leçon 1", "Ouvrir la leçon 5", "Ouvrir l'atelier", "Ouvrir la leçon 7"]
        rows[2].children[0].click()
        assert app.current == "atelier"

    def test_links_to_notebooks_become_buttons_to_their_page(self, lesson_folder, store_path):
        """Does a link to another notebook, dead in the app, become plain text and a button to its page?"""
        write_lesson(lesson_folder, "02_suite.ipynb", [
            ("markdown", "# 2. La suite\n\nRelisez [`01_essai.ipynb`](01_essai.ipynb#haut), puis faites "
                         "[l'atelier](06_atelier.ipynb) et [la prise en main](00_prise_en_main.ipynb). "
                         "L'atelier, [`06_atelier.ipynb`](06_atelier.ipynb), attend.")])
        app = self.journey(lesson_folder)
        app.show("lecon-02_suite")
        page = app.holder.children[0]
        text = page.children[0].value
        assert ".ipynb" not in text and "<a " not in text and "« 1. Une leçon d'essai »" in text
        assert "L'atelier, « 6. Atelier de classification », attend" in html.unescape(text)
        buttons = page.children[1].children
        assert [b.description for b in buttons] == ["Ouvrir la leçon 1", "Ouvrir l'atelier"]
        buttons[0].click()
        assert app.current == "lecon-01_essai"

    def test_a_section_jupyterlab_shows_collapsed_stays_closed_in_the_app(self, lesson_folder, store_path):
        """A corrigé under a heading collapsed in JupyterLab (text and code) is a closed panel in the app."""
        path = write_lesson(lesson_folder, "02_suite.ipynb", [
            ("markdown", "# 2. La suite"),
            ("markdown", "## Corrigé (à ouvrir *après* l'exercice)"),
            ("markdown", "La clé : **ORG** puis DSS <script>x</script>."),
            ("code", "print('tableau du corrigé')"),
            ("markdown", "### Détail\n\nAussi caché."),
            ("markdown", "## Sources\n\nVisibles.")])
        nb = nbformat.read(path, as_version=4)
        nb.cells[1].metadata["jp-MarkdownHeadingCollapsed"] = True
        nbformat.write(nb, path)
        shell = FakeShell()
        app = self.journey(lesson_folder, shell)
        app.show("lecon-02_suite")
        children = app.holder.children[0].children
        (panel,) = [c for c in children if type(c).__name__ == "Accordion"]
        assert panel.selected_index is None and panel.titles == ("Corrigé (à ouvrir après l'exercice)",)
        inside = panel.children[0].children
        texts = [c.value for c in inside if hasattr(c, "value") and isinstance(c.value, str)]
        assert any("<strong>ORG</strong>" in t and "<script>" not in t for t in texts)
        assert any("Aussi caché" in t for t in texts)
        assert shell.ran == ["print('tableau du corrigé')"] and type(inside[1]).__name__ == "Output"
        after = children[children.index(panel) + 1]
        assert "Visibles" in after.value

    def test_a_lesson_shows_its_markdown_and_runs_its_code_in_order(self, lesson_folder, store_path):
        """Does a lesson page run the notebook's code cells (not the lab-only ones) in order?"""
        shell = FakeShell()
        app = self.journey(lesson_folder, shell)
        app.show("lecon-01_essai")
        assert shell.ran == ['from ockit.quiz import QuizWidget\n\nQuizWidget("definitions")',
                             'from ockit.widgets import CaseExercise\nCaseExercise("marche-sante")']
        shown = app.holder.children[0]
        assert "<strong>gras</strong>" in shown.children[0].value

    def test_pages_are_kept_when_moving_between_them(self, lesson_folder, store_path):
        """Is what the learner did on a page still there after visiting another page?"""
        app = self.journey(lesson_folder)
        app.show("atelier")
        page = app.holder.children[0]
        case = app._workshop.current
        case.checkboxes[COURSE.case(case.case.id).axes[0]].value = True
        app.show("accueil")
        app.show("atelier")
        assert app.holder.children[0] is page
        assert app._workshop.current.checkboxes[case.case.axes[0]].value is True

    def test_results_update_after_every_check(self, lesson_folder, store_path):
        """Does « Mes résultats » show a case right after « Vérifier », with no cell re-run?"""
        app = self.journey(lesson_folder)
        app.show("resultats")
        assert "Aucune réponse" in app.results.value
        app.show("atelier")
        exercise = app._workshop.current
        exercise.checkboxes[exercise.case.axes[0]].value = True
        exercise.check_button.click()
        assert html.escape(exercise.case.title) in app.results.value
        assert 'alt="Vos résultats par axe.' in app.results.value

    def test_answers_are_restored_in_a_new_app(self, lesson_folder, store_path):
        """Does a learner who closes the app and comes back find the workshop answer restored?"""
        app = self.journey(lesson_folder)
        app.show("atelier")
        exercise = app._workshop.current
        exercise.checkboxes[exercise.case.axes[0]].value = True
        exercise.check_button.click()
        again = self.journey(lesson_folder)
        again.show("atelier")
        assert exercise.case.id in again._workshop.done
        restored = again._workshop._exercise(app._workshop.case_ids.index(exercise.case.id))
        assert restored.checkboxes[exercise.case.axes[0]].value is True

    def test_the_hand_in_page_has_the_export_button(self, lesson_folder, store_path):
        """Does « Ma remise » hold the export button?"""
        app = self.journey(lesson_folder)
        app.show("remise")
        page = app.holder.children[0]
        buttons = [w for w in page.children[1].children if getattr(w, "description", "") == "Exporter ma remise"]
        assert buttons

    def test_the_current_page_is_marked_in_the_navigation(self, lesson_folder, store_path):
        """Is the button of the page shown styled apart from the others?"""
        app = self.journey(lesson_folder)
        app.show("resultats")
        assert app.nav["resultats"].button_style == "primary"
        assert all(b.button_style == "" for name, b in app.nav.items() if name != "resultats")
