"""The course notebooks are written in the kit's own words and read like lessons.

Every notebook of notebooks/, solutions/ and exercises/ is checked: no markdown cell repeats
12 or more consecutive words of a source document, and each has a title, an objectives
section, a recap and a sources section.
"""

import os
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = Path(os.environ.get("OCKIT_SOURCES", "/work/shared/sources"))
RUN = 12
NOTEBOOKS = sorted(p for folder in ("notebooks", "solutions", "exercises")
                   for p in (ROOT / folder).glob("*.ipynb"))
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]


def words(text: str) -> list[str]:
    """Lower-case words with punctuation removed; apostrophes split elisions (l'OC -> l oc)."""
    text = unicodedata.normalize("NFC", text.lower()).replace("’", "'")
    return re.findall(r"[^\W_]+", text)


def runs(tokens: list[str], n: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


@pytest.fixture(scope="module")
def source_runs():
    files = sorted(SOURCES.glob("*.txt"))
    if not files:
        pytest.skip(f"sources introuvables dans {SOURCES}")
    out = set()
    for path in files:
        out |= runs(words(path.read_text(encoding="utf-8")))
    return out


def markdown_cells(path):
    nb = nbformat.read(path, as_version=4)
    return [(i, c.source) for i, c in enumerate(nb.cells, 1) if c.cell_type == "markdown"]


def headings(path) -> list[str]:
    return [line.lstrip("#").strip().lower() for _, src in markdown_cells(path)
            for line in src.splitlines() if line.startswith("#")]


class TestCopyDetector:
    def test_runs_ignore_case_and_punctuation(self):
        """Does the comparison see through case, commas and apostrophes?"""
        a = words("L'OC, dit-elle : « Nous œuvrons ».")
        assert a == ["l", "oc", "dit", "elle", "nous", "œuvrons"]

    def test_a_copied_sentence_is_caught(self, source_runs):
        """Would a sentence lifted from a source be reported?"""
        text = (SOURCES / "003_0f96a090f432995c.txt").read_text(encoding="utf-8")
        lifted = " ".join(words(text)[200:200 + RUN])
        assert runs(words(lifted.upper() + ".")) & source_runs


def test_there_are_notebooks_to_check():
    """Are the lessons and the solutions there at all?"""
    assert any(p.parent.name == "notebooks" for p in NOTEBOOKS)
    assert any(p.parent.name == "solutions" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_markdown_copies_no_run_of_twelve_source_words(path, source_runs):
    """Does no markdown cell repeat 12 consecutive words of a source document?"""
    copied = []
    for index, source in markdown_cells(path):
        for run in runs(words(source)) & source_runs:
            copied.append(f"cellule {index} : « {' '.join(run)} »")
    assert not copied, "Passages copiés des sources (reformulez-les) :\n" + "\n".join(sorted(copied))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_reads_like_a_lesson(path):
    """Has the notebook a title, objectives, a recap and its sources?"""
    cells = markdown_cells(path)
    assert cells and cells[0][1].lstrip().startswith("# "), "la première cellule doit être le titre (# ...)"
    found = headings(path)
    for what, pattern in (("objectifs", r"^objectifs"), ("récapitulatif", r"^(récapitulatif|en résumé)"),
                          ("sources", r"^(sources|références)")):
        assert any(re.search(pattern, h) for h in found), f"section « {what} » absente de {path.name}"
