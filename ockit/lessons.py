"""Small displays for the lesson notebooks that have no other home (issue #16).

`approach_grid()` shows the comparison grid of the four approaches (lesson 03) from
data/approaches.yaml; `general_knowledge_note()` is the French line a lesson shows above
content that comes from general knowledge of the field rather than from the five sources.
Both return IPython Markdown; heavy imports stay inside the functions.
"""

from __future__ import annotations

from .data import load
from .model import GRID_FIELDS, GRID_LABELS, Course

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
    note = ("\n\n*Grille de synthèse de la trousse, dans ses mots, d'après la littérature québécoise "
            "que cite le CREMIS (Bourque, 2012; Comeau, Bourque et Lachapelle, 2018) : "
            f"{GENERAL_KNOWLEDGE[0].lower()}{GENERAL_KNOWLEDGE[1:]}*" if "general-knowledge" in basis else "")
    return Markdown("\n".join(lines) + note)


def general_knowledge_note():
    """Return the French note that marks general-knowledge content, as IPython Markdown."""
    from IPython.display import Markdown

    return Markdown(f"> *{GENERAL_KNOWLEDGE}*")
