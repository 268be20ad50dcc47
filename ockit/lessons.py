"""The course's lessons, read from its notebooks: titles, reading, quizzes and cases of each.

The notebooks stay the single source of the lessons. The app (`ockit.widgets.journey`) shows
their Markdown as reading and runs their code cells to show the same widgets the notebooks
show; this module only reads them, with no widget.

A lesson's quizzes and cases are found in its code cells (`QuizWidget("id")`,
`CaseExercise("id")`), so a learner's progress per lesson needs no list kept by hand. Cells
tagged ``ockit-lab-only`` (about running cells in JupyterLab, say) are left out of the app.

It also holds the small displays lessons need that have no other home: `approach_grid()`, the
comparison grid of the four approaches (lesson 03) from data/approaches.yaml, and
`general_knowledge_note()`, the French line shown above content that comes from general
knowledge of the field rather than from the five sources. Both return IPython Markdown.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .data import load
from .model import GRID_FIELDS, GRID_LABELS, Course

LAB_ONLY = "ockit-lab-only"
# JupyterLab's metadata for a heading cell shown collapsed (its section hidden until opened).
HEADING_COLLAPSED = "jp-MarkdownHeadingCollapsed"
# Not lessons in the app: the JupyterLab primer, the workshop (the app's own page) and the instructor's.
NOT_LESSONS = ("00_", "06_", "90_")
_QUIZ = re.compile(r"""QuizWidget\(\s*["']([a-z0-9-]+)["']""")
_CASE = re.compile(r"""CaseExercise\(\s*["']([a-z0-9-]+)["']""")
_TITLE = re.compile(r"^#\s+(.+)$", re.MULTILINE)


class LessonError(ValueError):
    """A notebook that cannot be read as a lesson (French message naming the file)."""


@dataclass(frozen=True)
class Cell:
    """One cell of a lesson: `kind` is "markdown" or "code"; `collapsed`: a heading cell that
    JupyterLab shows collapsed (metadata HEADING_COLLAPSED), its section to be opened on demand."""

    kind: str
    source: str
    collapsed: bool = False


@dataclass(frozen=True)
class Lesson:
    """A lesson notebook: its number and title, its cells, and the quizzes and cases it uses."""

    path: Path
    number: str
    title: str
    cells: tuple[Cell, ...]
    quizzes: tuple[str, ...]
    cases: tuple[str, ...]

    @property
    def id(self) -> str:
        return self.path.stem


def notebooks_folder(folder=None) -> Path:
    """Return the notebooks folder: `folder`, $OCKIT_NOTEBOOKS, ./notebooks or ../notebooks."""
    if folder is not None:
        return Path(folder)
    env = os.environ.get("OCKIT_NOTEBOOKS")
    if env:
        return Path(env)
    for candidate in (Path("notebooks"), Path("..") / "notebooks"):
        if candidate.is_dir():
            return candidate
    return Path("notebooks")


def read_lesson(path) -> Lesson:
    """Read one notebook as a lesson.

    Raises:
        LessonError: the file is missing, is not a notebook, or has no title.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        raw_cells = data["cells"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise LessonError(f"{path} : ce carnet est illisible ({type(exc).__name__}).") from None
    cells = []
    for cell in raw_cells:
        if not isinstance(cell, dict) or LAB_ONLY in (cell.get("metadata", {}).get("tags") or []):
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if cell.get("cell_type") in ("markdown", "code") and source.strip():
            collapsed = cell["cell_type"] == "markdown" and (cell.get("metadata") or {}).get(HEADING_COLLAPSED) is True
            cells.append(Cell(cell["cell_type"], source, collapsed))
    title = next((m.group(1).strip() for c in cells if c.kind == "markdown" for m in [_TITLE.search(c.source)] if m),
                 None)
    if title is None:
        raise LessonError(f"{path} : ce carnet n'a pas de titre (une ligne « # Titre »).")
    code = "\n".join(c.source for c in cells if c.kind == "code")
    number = path.stem.split("_", 1)[0]
    return Lesson(path=path, number=number, title=title, cells=tuple(cells),
                  quizzes=tuple(dict.fromkeys(_QUIZ.findall(code))),
                  cases=tuple(dict.fromkeys(_CASE.findall(code))))


def lessons(folder=None) -> list[Lesson]:
    """Return the app's lessons, in the order of their file names."""
    base = notebooks_folder(folder)
    paths = sorted(p for p in base.glob("[0-9][0-9]_*.ipynb") if not p.name.startswith(NOT_LESSONS))
    if not paths:
        raise LessonError(f"{base} : aucun carnet de leçon trouvé (fichiers NN_nom.ipynb). "
                          "Lancez l'application depuis le dossier de la trousse ou définissez OCKIT_NOTEBOOKS.")
    return [read_lesson(p) for p in paths]


@dataclass(frozen=True)
class LessonProgress:
    """How far a learner is in a lesson: questions and cases checked out of those it has."""

    done: int
    total: int

    @property
    def label(self) -> str:
        if self.total == 0:
            return "lecture"
        if self.done == 0:
            return "à faire"
        if self.done >= self.total:
            return "terminée"
        return f"{self.done} sur {self.total}"


def progress(lesson: Lesson, store, quiz_sizes: dict[str, int]) -> LessonProgress:
    """Return the lesson's progress from the store (questions and cases checked at least once)."""
    done = total = 0
    for quiz in lesson.quizzes:
        size = quiz_sizes.get(quiz, 0)
        total += size
        if store is not None:
            done += min(size, len(store.quiz_answers(quiz)))
    total += len(lesson.cases)
    if store is not None and lesson.cases:
        answered = {a.case for a in store.answers()}
        done += sum(1 for c in lesson.cases if c in answered)
    return LessonProgress(done, total)


# -- displays for the lesson notebooks ----------------------------------------------------

GENERAL_KNOWLEDGE = ("Cette section s'appuie sur une connaissance générale du domaine, et non sur "
                     "les cinq sources de la trousse; elle reste volontairement brève.")


def _cell(text: str) -> str:
    """Markdown-table-safe text: no pipe, no line break."""
    return " ".join(str(text).split()).replace("|", "/")


def approach_grid_rows(course: Course | None = None) -> list[dict]:
    """Return one dict per approach: its label, then each grid field's French heading -> text."""
    course = course or load()
    rows = []
    for approach in course.approaches.values():
        row = {"Approche": approach.label}
        for key in GRID_FIELDS:
            row[GRID_LABELS[key]] = approach.grid.get(key, "—")
        rows.append(row)
    return rows


def approach_grid(course: Course | None = None):
    """Return the grid as IPython Markdown: one row per approach, one column per trait."""
    from IPython.display import Markdown

    course = course or load()
    rows = approach_grid_rows(course)
    heads = list(rows[0])
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    lines += ["| " + " | ".join(_cell(row[h]) for h in heads) + " |" for row in rows]
    basis = {a.basis for a in course.approaches.values()}
    note = ("\n\n*Grille de synthèse de la trousse, dans ses mots. Les sources nomment les quatre approches "
            "sans les comparer trait par trait; la grille s'appuie sur la littérature québécoise en "
            "organisation communautaire (le CREMIS cite Bourque, 2012, et Comeau, Bourque et Lachapelle, "
            f"2018, pour d'autres points) : {GENERAL_KNOWLEDGE[0].lower()}{GENERAL_KNOWLEDGE[1:]}*"
            if "general-knowledge" in basis else "")
    return Markdown("\n".join(lines) + note)


def general_knowledge_note():
    """Return the French note that marks general-knowledge content, as IPython Markdown."""
    from IPython.display import Markdown

    return Markdown(f"> *{GENERAL_KNOWLEDGE}*")
