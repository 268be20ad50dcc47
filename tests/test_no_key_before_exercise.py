"""Issue #16: nothing gives a case's key away before the learner has answered it.

Every notebook of notebooks/, exercises/ and solutions/ is walked in order. For each exercise on
a case (a `CaseExercise("id")` or `score("id", ...)` call), nothing displayed above it, neither a
markdown cell nor a stored output, may state the case's key: a run of 12 words of one of its
axis rationales, rejected-axis reasons, approach reason, hesitation or other defensible readings,
or a passage that names the case together with all its key axes or with its dominant approach
(an approach's example case stated as an answer). The approach definitions name no case at all.
"""

import html
import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

import ockit

ROOT = Path(__file__).resolve().parent.parent
COURSE = ockit.load()
NOTEBOOKS = sorted(p for folder in ("notebooks", "exercises", "solutions")
                   for p in (ROOT / folder).glob("*.ipynb"))
IDS = [str(p.relative_to(ROOT)) for p in NOTEBOOKS]
EXERCISE = re.compile(r"""(?:CaseExercise|score)\(\s*["']([a-z0-9-]+)["']""")
RUN = 12


def words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", html.unescape(text).lower()).replace("’", "'")
    text = re.sub(r"<[^>]+>", " ", text)
    return re.findall(r"[^\W_]+", text)


def runs(tokens, n=RUN):
    return {tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def case_name(case) -> str:
    """The name a text would use for a case: its title up to a parenthesis or a colon."""
    return " ".join(words(re.split(r"\s[(:–—]", case.title)[0]))


def key_texts(case) -> list[str]:
    out = [*case.rationale.values(), *case.not_axes.values(), *(r.why for r in case.also_accepted)]
    out += [t for t in (case.approach.why, case.hesitation) if t]
    return out


def displayed(cell) -> list[str]:
    """What a learner sees of a cell: a markdown cell's text, a code cell's stored outputs."""
    if cell.cell_type == "markdown":
        return [cell.source]
    out = []
    for output in cell.get("outputs", []):
        if "text" in output:
            out.append("".join(output["text"]) if isinstance(output["text"], list) else output["text"])
        for mime in ("text/plain", "text/markdown", "text/html"):
            value = output.get("data", {}).get(mime)
            if value:
                out.append("".join(value) if isinstance(value, list) else value)
    return out


def chunks(text: str) -> list[str]:
    """Paragraphs, list items and table rows: the units in which an answer is stated."""
    return [c for c in re.split(r"\n\s*\n|\n\s*[-*] |\n\d+\. |<tr|<li|\n\|", text) if c.strip()]


def leaks(case, texts: list[str]) -> list[str]:
    """Return what, in `texts`, states the key of `case`."""
    found = []
    secret = set()
    for text in key_texts(case):
        secret |= runs(words(text))
    name = case_name(case)
    dominant = COURSE.approaches[case.approach.dominant].label if case.approach.dominant else None
    axis_codes = {c.lower() for c in case.axes}
    for text in texts:
        tokens = words(text)
        if runs(tokens) & secret:
            found.append(f"justification du cas « {case.id} » : « {' '.join(sorted(runs(tokens) & secret)[0])} »")
        for chunk in chunks(text):
            joined = " ".join(words(chunk))
            if not name or f" {name} " not in f" {joined} ":
                continue
            tokens = set(words(chunk))
            if axis_codes <= tokens:
                found.append(f"axes de « {case.id} » donnés avec son nom : « {chunk.strip()[:120]} »")
            if dominant and dominant in joined:
                found.append(f"approche de « {case.id} » donnée avec son nom : « {chunk.strip()[:120]} »")
    return found


def notebook_leaks(nb) -> list[str]:
    problems, seen = [], []
    for index, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            for case_id in EXERCISE.findall(cell.source):
                case = COURSE.case(case_id)
                problems += [f"cellule {index} ({case_id}) : {p}" for p in leaks(case, seen)]
        seen += displayed(cell)
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_no_key_is_displayed_above_its_exercise(path):
    nb = nbformat.read(path, as_version=4)
    problems = notebook_leaks(nb)
    assert not problems, "Clé donnée avant l'exercice :\n" + "\n".join(problems)


def test_approach_definitions_name_no_case():
    """An approach's definition (or grid) never names its example case."""
    for approach in COURSE.approaches.values():
        text = " " + " ".join(words(" ".join([approach.definition, *approach.grid.values()]))) + " "
        for case in COURSE.cases.values():
            name = case_name(case)
            if len(name) > 4:
                assert f" {name} " not in text, (approach.code, case.id)


class TestTheDetectorCanFail:
    CASE = COURSE.cases["info-alimentaire"]

    def _nb(self, above: str):
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_markdown_cell(above),
                    nbformat.v4.new_code_cell('CaseExercise("info-alimentaire")')]
        return nb

    def test_a_rationale_above_is_caught(self):
        assert notebook_leaks(self._nb("Rappel : " + self.CASE.rationale["ORG"]))

    def test_labels_stated_with_the_name_are_caught(self):
        assert notebook_leaks(self._nb("- Info Alimentaire : d'abord **ORG**, puis **DSS**."))

    def test_the_approach_with_the_name_is_caught(self):
        label = COURSE.approaches[self.CASE.approach.dominant].label
        assert notebook_leaks(self._nb(f"On peut y voir Info Alimentaire, approche {label}."))

    def test_the_same_text_below_is_allowed(self):
        nb = self._nb("Rien ici.")
        nb.cells.append(nbformat.v4.new_markdown_cell("- Info Alimentaire : d'abord **ORG**, puis **DSS**."))
        assert not notebook_leaks(nb)

    def test_an_output_above_is_read(self):
        nb = self._nb("Rien ici.")
        cell = nbformat.v4.new_code_cell("print(x)")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=self.CASE.rationale["DSS"])]
        nb.cells.insert(0, cell)
        assert notebook_leaks(nb)


EXERCISES = sorted((ROOT / "exercises").glob("*.ipynb"))


@pytest.mark.parametrize("path", EXERCISES, ids=[p.name for p in EXERCISES])
def test_exercises_with_empty_answers_print_no_rationale(path):
    """The stored outputs of exercises/ (answers left empty; nbval checks they are current)
    contain no run of 12 words of any case's axis rationale."""
    secret = set()
    for case in COURSE.cases.values():
        for text in case.rationale.values():
            secret |= runs(words(text))
    nb = nbformat.read(path, as_version=4)
    for index, cell in enumerate(nb.cells, 1):
        if cell.cell_type == "code":
            for text in displayed(cell):
                assert not runs(words(text)) & secret, f"{path.name}, cellule {index}"


@pytest.mark.parametrize("case_id", sorted(COURSE.cases))
def test_an_empty_answer_prints_no_rationale(case_id):
    """What an exercise prints for an empty answer (score(...).feedback) names no reason."""
    from ockit.scoring import INVITATION

    assert ockit.score(case_id, [], None).feedback == INVITATION


def test_every_corrige_section_opens_collapsed():
    """A « Corrigé » section of a lesson sits under a heading JupyterLab shows collapsed (and the app
    shows as a closed panel): the learner opens it, it is not in plain view under the exercises."""
    heading = re.compile(r"^\s*#{1,6}\s+Corrigé", re.IGNORECASE)
    open_ones = [f"{path.name}, cellule {i}" for path in sorted((ROOT / "notebooks").glob("*.ipynb"))
                 for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
                 if cell.cell_type == "markdown" and heading.match(cell.source)
                 and cell.metadata.get("jp-MarkdownHeadingCollapsed") is not True]
    assert not open_ones, f"sections « Corrigé » non repliées : {open_ones}"
