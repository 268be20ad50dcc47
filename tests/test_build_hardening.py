"""build-exercises against careless and hostile solution notebooks.

Regions are recognized as nbgrader's ClearSolutions recognizes them (the text `BEGIN SOLUTION`
anywhere in a line); anything marker-like the build would not strip is refused with nothing
written; attachments, saved widget state, outputs and answer-holding metadata never reach an
exercise. The contract asserted throughout: no text between markers, no attachment and no
widget state of a solution appears in the generated exercise.
"""

from __future__ import annotations

import json
import string

import nbformat
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from ockit import exercises as ex
from ockit import gradermeta, markers
from ockit.cli import main

SECRET = "REPONSE-SECRETE-7Q"
WIDGET_STATE = {"application/vnd.jupyter.widget-state+json": {
    "state": {"abc": {"model_name": "CheckboxModel", "state": {"description": SECRET, "value": True}}},
    "version_major": 2, "version_minor": 0}}


def solution_meta(cell, number=1):
    markdown = cell.cell_type != "code"
    cell.metadata["nbgrader"] = {"grade": markdown, "solution": True, "locked": False,
                                 "grade_id": f"reponse{number}", "schema_version": 3,
                                 **({"points": 1} if markdown else {})}
    return cell


def notebook(*cells):
    nb = new_notebook(cells=list(cells))
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def build_one(tmp_path, nb, name="essai.ipynb"):
    """Write `nb` as the only solution, build without executing, return the exercise's JSON text."""
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir(exist_ok=True)
    nbformat.write(nb, sol / name)
    ex.build(sol, exo, run=False)
    return (exo / name).read_text(encoding="utf-8")


def refused(tmp_path, nb, error=ValueError):
    """Assert the build refuses `nb`, and that an earlier exercise is left exactly as it was."""
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir(exist_ok=True)
    exo.mkdir(exist_ok=True)
    (exo / "essai.ipynb").write_text("ancien exercice", encoding="utf-8")
    nbformat.write(nb, sol / "essai.ipynb")
    with pytest.raises(error) as info:
        ex.build(sol, exo, run=False)
    assert (exo / "essai.ipynb").read_text(encoding="utf-8") == "ancien exercice"
    assert not list(tmp_path.glob(".exercises-build-*")), "dossier temporaire laissé en place"
    return info.value


# -- markers nbgrader strips: each variant is stripped, its answer never shown ----------------

BEGIN_LINES = ["### BEGIN SOLUTION", "# BEGIN SOLUTION", "#BEGIN SOLUTION", "BEGIN SOLUTION",
               "## BEGIN SOLUTION ##", "    ### BEGIN SOLUTION", "\t# BEGIN SOLUTION",
               "# >>> BEGIN SOLUTION <<<", "### BEGIN SOLUTION   ", "### BEGIN SOLUTION\r",
               "# BEGIN SOLUTIONS", "#### BEGIN SOLUTION (cas 1)"]
END_LINES = ["### END SOLUTION", "# END SOLUTION", "END SOLUTION", "    ### END SOLUTION",
             "# END SOLUTION #", "### END SOLUTION\r", "#END SOLUTION fin"]
MD_BEGIN = ["### BEGIN SOLUTION", "BEGIN SOLUTION", "<!-- BEGIN SOLUTION -->", "**BEGIN SOLUTION**"]
MD_END = ["### END SOLUTION", "END SOLUTION", "<!-- END SOLUTION -->", "**END SOLUTION**"]


@pytest.mark.parametrize("begin", BEGIN_LINES)
@pytest.mark.parametrize("end", END_LINES)
def test_code_marker_variants_are_stripped(tmp_path, begin, end):
    """Is every marker nbgrader accepts in a code cell stripped, with its answer?"""
    indent = markers.indent_of(begin)
    cell = solution_meta(new_code_cell(f"x = 0\n{begin}\n{indent}mes_axes = ['{SECRET}']\n{end}\nprint(x)"))
    if indent:  # an indented region needs a block around it to stay valid Python
        cell.source = f"if True:\n{cell.source.replace('x = 0', indent + 'x = 0').replace('print(x)', indent + 'pass')}"
    text = build_one(tmp_path, notebook(cell))
    assert SECRET not in text and markers.BEGIN_TEXT not in text and markers.END_TEXT not in text
    assert ex.CODE_PLACEHOLDER in text


@pytest.mark.parametrize("begin", MD_BEGIN)
@pytest.mark.parametrize("end", MD_END)
def test_markdown_marker_variants_are_stripped(tmp_path, begin, end):
    cell = solution_meta(new_markdown_cell(f"**Votre réponse :**\n\n{begin}\n{SECRET} parce que...\n{end}"))
    text = build_one(tmp_path, notebook(cell))
    assert SECRET not in text and ex.MARKDOWN_PLACEHOLDER in text


def test_nbgrader_reading_is_followed_line_for_line():
    """Does replace_regions drop exactly the lines nbgrader drops (markers and body), keeping the rest?"""
    source = "a\n  # BEGIN SOLUTION x\n  b\n  # END SOLUTION y\nc\nBEGIN SOLUTION\nd\nEND SOLUTION"
    out = markers.replace_regions(source, lambda indent, body: [indent + "STUB"])
    assert out.split("\n") == ["a", "  STUB", "c", "STUB"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=st.text(alphabet=string.ascii_letters + " #/*<>!-=", max_size=12),
       after=st.text(alphabet=string.ascii_letters + " #/*<>!-=", max_size=12),
       secret=st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=30),
       markdown=st.booleans())
def test_random_marker_decorations_never_leak(tmp_path_factory, before, after, secret, markdown):
    """Whatever surrounds the marker text, is the answer absent from the exercise or the build refused?"""
    tmp = tmp_path_factory.mktemp("hyp")
    secret = "Z" + secret  # never a substring of the notebook's fixed text
    begin, end = f"{before}BEGIN SOLUTION{after}", f"{before}END SOLUTION{after}"
    body = f"{secret}" if markdown else f"mes_axes = '{secret}'"
    cell = new_markdown_cell(f"{begin}\n{body}\n{end}") if markdown else new_code_cell(f"{begin}\n{body}\n{end}")
    solution_meta(cell)
    try:
        text = build_one(tmp, notebook(cell))
    except (ex.MarkerError, ex.BuildError, gradermeta.GraderMetadataError):
        assert not (tmp / "exercises" / "essai.ipynb").exists()
        return
    assert secret not in text


# -- marker-like text the build would not strip: refused, nothing written --------------------

LOOKALIKES = ["# begin solution", "### Begin Solution", "### BEGIN_SOLUTION", "### BEGIN-SOLUTION",
              "### BEGIN  SOLUTION", "### BEGIN HIDDEN TESTS", "### BEGIN MARK SCHEME",
              "# DÉBUT SOLUTION", "# début de la réponse"]


@pytest.mark.parametrize("line", LOOKALIKES)
@pytest.mark.parametrize("kind", ["code", "markdown"])
def test_lookalike_markers_are_refused(tmp_path, line, kind):
    """A marker nbgrader would not see would leave the answer in view: is it refused, naming the cell?"""
    make = new_code_cell if kind == "code" else new_markdown_cell
    nb = notebook(new_markdown_cell("# Titre"), make(f"{line}\nx = '{SECRET}'\n### END SOLUTION"))
    error = refused(tmp_path, nb)
    assert "cellule 2" in str(error) and "essai.ipynb" in str(error)


STRUCTURE = {
    "sans fin": "### BEGIN SOLUTION\nx = 1",
    "fin seule": "x = 1\n### END SOLUTION",
    "imbriquées": "### BEGIN SOLUTION\n### BEGIN SOLUTION\nx = 1\n### END SOLUTION\n### END SOLUTION",
    "même ligne": "x = 1  # BEGIN SOLUTION y = 2 END SOLUTION",
    "corps vide": "def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION",
    "indentation": "def f():\n### BEGIN SOLUTION\n    return 1\n### END SOLUTION\nprint(f())",
    "bloc coupé": "for i in range(3):\n    ### BEGIN SOLUTION\n    print(i)\n### END SOLUTION",
}


@pytest.mark.parametrize("source", STRUCTURE.values(), ids=STRUCTURE.keys())
def test_unstrippable_regions_are_refused(tmp_path, source):
    """Unbalanced, nested or code-breaking regions: a French error naming the cell, nothing written."""
    error = refused(tmp_path, notebook(solution_meta(new_code_cell(source))), ex.MarkerError)
    assert error.cell == 1 and "essai.ipynb" in str(error)


def test_stripped_code_that_compiles_is_accepted(tmp_path):
    """A region inside a function body that leaves a statement behind is fine."""
    cell = solution_meta(new_code_cell("def f():\n    r = []\n    ### BEGIN SOLUTION\n    r = [1]\n"
                                       "    ### END SOLUTION\n    return r\n%time f()"))
    assert "r = [1]" not in build_one(tmp_path, notebook(cell))


# -- nbgrader metadata -------------------------------------------------------------------------

BAD_META = {
    "aucune": None,
    "pas solution": {"grade": False, "solution": False, "locked": False, "schema_version": 3},
    "version 1": {"grade": False, "solution": True, "locked": False, "grade_id": "a", "schema_version": 1},
    "grade_id vide": {"grade": False, "solution": True, "locked": False, "grade_id": "", "schema_version": 3},
    "grade_id accentué": {"grade": False, "solution": True, "locked": False, "grade_id": "réponse",
                          "schema_version": 3},
    "points manquants": {"grade": True, "solution": True, "locked": False, "grade_id": "a", "schema_version": 3},
    "clé inconnue": {"grade": False, "solution": True, "locked": False, "grade_id": "a", "schema_version": 3,
                     "answer": SECRET},
    "booléen texte": {"grade": False, "solution": "yes", "locked": False, "grade_id": "a", "schema_version": 3},
}


@pytest.mark.parametrize("meta", BAD_META.values(), ids=BAD_META.keys())
def test_invalid_nbgrader_metadata_is_refused(tmp_path, meta):
    """Is a solution cell nbgrader would refuse reported in French, naming notebook and cell?"""
    cell = new_code_cell(f"### BEGIN SOLUTION\nx = '{SECRET}'\n### END SOLUTION")
    if meta is not None:
        cell.metadata["nbgrader"] = meta
    error = refused(tmp_path, notebook(new_markdown_cell("# T"), cell), gradermeta.GraderMetadataError)
    assert (error.notebook, error.cell) == ("essai.ipynb", 2)


def test_unlocked_test_cell_and_markdown_solution_without_grade_are_refused():
    test_cell = new_code_cell("1.0")
    test_cell.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": False, "points": 1,
                                      "grade_id": "t", "schema_version": 3}
    assert any("verrouillée" in p for p in gradermeta.cell_problems(test_cell))
    md = new_markdown_cell("### BEGIN SOLUTION\nx\n### END SOLUTION")
    md.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False, "grade_id": "m",
                               "schema_version": 3}
    assert any("markdown" in p for p in gradermeta.cell_problems(md))


def test_duplicate_grade_ids_are_refused():
    a, b = (solution_meta(new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")) for _ in "ab")
    with pytest.raises(gradermeta.GraderMetadataError, match="déjà utilisé à la cellule 1"):
        gradermeta.check_notebook(notebook(a, b), "essai.ipynb")


def test_command_names_notebook_and_cell_for_bad_metadata(tmp_path, capsys):
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    nbformat.write(notebook(new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")), sol / "ex9.ipynb")
    code = main(["build-exercises", "--no-execute", "--solutions", str(sol), "--exercises", str(exo)])
    err = capsys.readouterr().err
    assert code == 1 and "ex9.ipynb, cellule 1" in err and "nbgrader" in err and "Traceback" not in err


# -- what is never carried over ----------------------------------------------------------------

def test_attachments_widget_state_outputs_and_metadata_are_dropped(tmp_path):
    """No attachment, saved widget state, output or answer-holding metadata reaches the exercise."""
    md = solution_meta(new_markdown_cell(f"### BEGIN SOLUTION\n![clé](attachment:cle.png)\n### END SOLUTION"))
    md["attachments"] = {"cle.png": {"image/png": "aGVsbG8=" + SECRET}}
    code = solution_meta(new_code_cell(f"### BEGIN SOLUTION\nx = '{SECRET}'\n### END SOLUTION"), 2)
    code.outputs = [new_output("stream", text=SECRET), new_output("display_data", data=WIDGET_STATE)]
    code.execution_count = 3
    code.metadata.update({"tags": ["nbval-ignore-output"], "ockit_answer": SECRET,
                          "execution": {"iopub.status.idle": "x"}, "jupyter": {"source_hidden": True}})
    plain = new_markdown_cell("Consigne")
    plain["attachments"] = {"logo.png": {"image/png": SECRET}}
    nb = notebook(md, code, plain)
    nb.metadata["widgets"] = WIDGET_STATE
    nb.metadata["celltoolbar"] = "Create Assignment"
    nb.metadata["answers"] = SECRET
    text = build_one(tmp_path, nb)
    assert SECRET not in text and "attachments" not in text and "widget-state" not in text
    built = json.loads(text)
    assert set(built["metadata"]) == {"kernelspec", "ockit"}
    assert built["cells"][1]["metadata"] == {"tags": ["nbval-ignore-output"]}
    assert built["cells"][1]["outputs"] == [] and built["cells"][1]["execution_count"] is None


def test_an_attachment_still_shown_is_refused(tmp_path):
    """A kept cell that shows `attachment:` would show a broken image: is it refused with a remedy?"""
    cell = new_markdown_cell("Voyez le schéma : ![s](attachment:schema.png)")
    cell["attachments"] = {"schema.png": {"image/png": "aGVsbG8="}}
    error = refused(tmp_path, notebook(cell), ex.BuildError)
    assert "pièce jointe" in str(error) and "cellule 1" in str(error)


# -- all or nothing ----------------------------------------------------------------------------

def test_one_bad_notebook_leaves_every_exercise_untouched(tmp_path):
    """If the second of two notebooks fails, is the first's exercise not replaced either?"""
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    exo.mkdir()
    nbformat.write(notebook(solution_meta(new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION"))),
                   sol / "a.ipynb")
    nbformat.write(notebook(solution_meta(new_code_cell("### BEGIN SOLUTION\nx = 1"))), sol / "b.ipynb")
    (exo / "a.ipynb").write_text("ancien a", encoding="utf-8")
    with pytest.raises(ex.MarkerError, match="b.ipynb"):
        ex.build(sol, exo, run=False)
    assert (exo / "a.ipynb").read_text(encoding="utf-8") == "ancien a"


def test_a_notebook_that_fails_when_executed_writes_nothing(tmp_path):
    """An exercise that raises when run is refused in French; exercises/ and no staging folder remain."""
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    exo.mkdir()
    (exo / "essai.ipynb").write_text("ancien", encoding="utf-8")
    nbformat.write(notebook(solution_meta(new_code_cell("### BEGIN SOLUTION\nx = 1\n### END SOLUTION")),
                            new_code_cell("1 / x")), sol / "essai.ipynb")
    with pytest.raises(ex.BuildError, match="échoue à l'exécution"):
        ex.build(sol, exo)
    assert (exo / "essai.ipynb").read_text(encoding="utf-8") == "ancien"
    assert not list(tmp_path.glob(".exercises-build-*"))


# -- the kit's own notebooks -------------------------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
SOLUTION_FILES = sorted((ROOT / "solutions").glob("*.ipynb"))


@pytest.mark.parametrize("solution", SOLUTION_FILES, ids=[p.name for p in SOLUTION_FILES])
def test_committed_exercise_holds_no_line_of_its_solution(solution):
    """Is every line between markers (as nbgrader reads them) absent from the committed exercise,
    with no attachment and no widget state?"""
    nb = nbformat.read(solution, as_version=4)
    secret = []
    for cell in nb.cells:
        src = markers.lines(cell.source)
        secret += [line.strip() for r in markers.regions(cell.source) for line in src[r.begin + 1:r.end]
                   if line.strip()]
    assert secret, solution.name
    text = (ROOT / "exercises" / solution.name).read_text(encoding="utf-8")
    for line in secret:
        assert json.dumps(line, ensure_ascii=False)[1:-1] not in text, f"{solution.name} : « {line} »"
    built = json.loads(text)
    assert "widgets" not in built["metadata"]
    assert not any("attachments" in c for c in built["cells"])
    assert not any("nbgrader" in c.get("metadata", {}) for c in built["cells"])


def test_marker_like_prose_inside_a_region_is_stripped_not_refused(tmp_path):
    """A model answer may say « la fin de la réponse »: inside a region it goes with the rest."""
    cell = solution_meta(new_markdown_cell(f"### BEGIN SOLUTION\nÀ la fin de la réponse, {SECRET}.\n"
                                           "### END SOLUTION"))
    assert SECRET not in build_one(tmp_path, notebook(cell))
