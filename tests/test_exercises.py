"""Building exercises/ from solutions/: each pipeline step, staleness, marker errors, twins."""

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from ockit import exercises as ex
from ockit import markers
from ockit.cli import main

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_FILES = sorted((ROOT / "solutions").glob("*.ipynb"))


def notebook(*cells, name="essai.ipynb"):
    """A solution notebook; each cell holding a region gets nbgrader's solution metadata."""
    for number, cell in enumerate(cells, 1):
        if markers.has_region(cell.source) and "nbgrader" not in cell.metadata:
            markdown = cell.cell_type == "markdown"
            cell.metadata["nbgrader"] = {"grade": markdown, "solution": True, "locked": False,
                                         "grade_id": f"reponse{number}", "schema_version": 3,
                                         **({"points": 1} if markdown else {})}
    nb = new_notebook(cells=list(cells))
    nb.metadata["ockit"] = {"solution": name}
    return nb


def solution_folder(tmp_path, *cells):
    sol, exo = tmp_path / "solutions", tmp_path / "exercises"
    sol.mkdir()
    nbformat.write(notebook(*cells), sol / "essai.ipynb")
    return sol, exo


CODE = new_code_cell
MD = new_markdown_cell


class TestCheckMarkers:
    def test_paired_markers_pass(self):
        """Is a notebook whose markers pair up returned unchanged?"""
        nb = notebook(CODE(f"x = 1\n{ex.BEGIN}\ny = 2\n{ex.END}"))
        assert ex.check_markers(nb) is nb

    def test_missing_end_names_notebook_and_cell(self):
        """Is an error raised, naming the notebook and the cell, when END is missing?"""
        nb = notebook(MD("# Titre"), CODE("a = 1"), CODE(f"{ex.BEGIN}\nmes_axes = ['ORG']"),
                      name="ex9_oubli.ipynb")
        with pytest.raises(ex.MarkerError) as info:
            ex.check_markers(nb)
        assert (info.value.notebook, info.value.cell) == ("ex9_oubli.ipynb", 3)
        assert "ex9_oubli.ipynb" in str(info.value) and "cellule 3" in str(info.value)
        assert ex.END in str(info.value)

    def test_end_without_begin_is_an_error(self):
        """Is a stray END marker reported?"""
        with pytest.raises(ex.MarkerError):
            ex.check_markers(notebook(CODE(f"x = 1\n{ex.END}")))

    def test_nested_begin_is_an_error(self):
        """Is a BEGIN inside an open block reported?"""
        with pytest.raises(ex.MarkerError):
            ex.check_markers(notebook(MD(f"{ex.BEGIN}\na\n{ex.BEGIN}\nb\n{ex.END}")))


class TestStripSolutions:
    def test_code_answer_becomes_placeholder_and_defaults(self):
        """Is the code between markers replaced by the placeholder and empty values of the same kind?"""
        nb = notebook(CODE(f"avant = 0\n{ex.BEGIN}\nmes_axes = ['ORG', 'DSS']\n"
                           f"mon_approche = 'SOCIOCOM'\nn = 3\n{ex.END}\nprint(mes_axes)"))
        source = ex.strip_solutions(nb).cells[0].source
        assert "ORG" not in source and "SOCIOCOM" not in source and ex.BEGIN not in source
        assert source.splitlines() == ["avant = 0", ex.CODE_PLACEHOLDER, "mes_axes = []",
                                       "mon_approche = None", "n = 0", "print(mes_axes)"]

    def test_stripped_code_still_runs(self):
        """Does the stripped cell, then the cell that reads its names, run without error?"""
        nb = notebook(CODE(f"{ex.BEGIN}\nmes_axes = ['ORG']\nmon_approche = 'SOCIOCOM'\n{ex.END}"))
        namespace = {}
        exec(ex.strip_solutions(nb).cells[0].source, namespace)  # noqa: S102 - our own test input
        exec("result = (list(mes_axes), mon_approche)", namespace)  # noqa: S102
        assert namespace["result"] == ([], None)

    def test_indentation_is_kept(self):
        """Does a block inside a function keep its indentation?"""
        nb = notebook(CODE(f"def f():\n    {ex.BEGIN}\n    r = [1]\n    {ex.END}\n    return r"))
        assert ex.strip_solutions(nb).cells[0].source.splitlines()[1:3] == \
            [f"    {ex.CODE_PLACEHOLDER}", "    r = []"]

    def test_markdown_answer_becomes_blank_to_fill(self):
        """Is a model answer in markdown replaced by the French placeholder, keeping the prompt?"""
        nb = notebook(MD(f"**Votre réponse :**\n\n{ex.BEGIN}\nParce que l'OC...\n{ex.END}"))
        source = ex.strip_solutions(nb).cells[0].source
        assert "Parce que" not in source
        assert source.splitlines() == ["**Votre réponse :**", "", ex.MARKDOWN_PLACEHOLDER]

    def test_cells_without_markers_are_untouched(self):
        """Are cells with no answer left exactly as they were?"""
        nb = notebook(CODE("import ockit"), MD("## Question"))
        assert [c.source for c in ex.strip_solutions(nb).cells] == ["import ockit", "## Question"]


class TestClearOutputsAndMark:
    def test_outputs_and_counts_are_dropped(self):
        """Are a solution's outputs, which would give answers away, removed?"""
        cell = CODE("print('ORG')")
        cell.outputs = [nbformat.v4.new_output("stream", text="ORG\n")]
        cell.execution_count = 4
        out = ex.clear_outputs(notebook(cell)).cells[0]
        assert (out.outputs, out.execution_count) == ([], None)

    def test_generated_notebook_names_its_solution(self):
        """Does the metadata say the file is generated, and from which solution?"""
        meta = ex.mark_generated(notebook(name="ex1.ipynb")).metadata["ockit"]
        assert meta["generated_from"] == "solutions/ex1.ipynb" and "build-exercises" in meta["warning"]


class TestPipeline:
    def test_checking_markers_comes_first(self):
        """Are markers checked before anything is stripped?"""
        assert ex.PIPELINE[0] is ex.check_markers
        assert ex.PIPELINE.index(ex.strip_solutions) < ex.PIPELINE.index(ex.clear_outputs)

    def test_to_exercise_leaves_the_solution_intact(self):
        """Does building an exercise never modify the solution notebook itself?"""
        nb = notebook(CODE(f"{ex.BEGIN}\nx = [1]\n{ex.END}"))
        ex.to_exercise(nb, "a.ipynb")
        assert "x = [1]" in nb.cells[0].source


class TestBuildAndCheck:
    def test_check_is_clean_after_build(self, tmp_path):
        """Is exercises/ reported fresh right after a build?"""
        sol, exo = solution_folder(tmp_path, CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"))
        ex.build(sol, exo, run=False)
        assert ex.check(sol, exo) == []

    def test_editing_a_solution_makes_its_exercise_stale(self, tmp_path):
        """Does --check notice a solution edited after the build?"""
        sol, exo = solution_folder(tmp_path, CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"))
        ex.build(sol, exo, run=False)
        nbformat.write(notebook(CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"), MD("## Nouvelle question")),
                       sol / "essai.ipynb")
        assert [s.exercise.name for s in ex.check(sol, exo)] == ["essai.ipynb"]

    def test_outputs_alone_do_not_make_an_exercise_stale(self, tmp_path):
        """Are stored outputs (which execution fills in) ignored by --check?"""
        sol, exo = solution_folder(tmp_path, CODE("print(1)"))
        ex.build(sol, exo, run=False)
        nb = nbformat.read(exo / "essai.ipynb", as_version=4)
        nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
        nbformat.write(nb, exo / "essai.ipynb")
        assert ex.check(sol, exo) == []

    def test_changed_tags_make_an_exercise_stale(self, tmp_path):
        """Are cell tags (nbval-ignore-output...) compared?"""
        sol, exo = solution_folder(tmp_path, CODE("print(1)"))
        ex.build(sol, exo, run=False)
        nb = nbformat.read(exo / "essai.ipynb", as_version=4)
        nb.cells[0].metadata["tags"] = ["nbval-skip"]
        nbformat.write(nb, exo / "essai.ipynb")
        assert len(ex.check(sol, exo)) == 1

    def test_missing_solutions_folder_is_refused_and_nothing_is_deleted(self, tmp_path):
        """A typo in --solutions must not empty the exercises folder."""
        sol, exo = solution_folder(tmp_path, CODE("x = 1"))
        ex.build(sol, exo, run=False)
        for bad in (tmp_path / "typo", tmp_path / "vide"):
            if bad.name == "vide":
                bad.mkdir()
            with pytest.raises(ex.BuildError, match=bad.name):
                ex.build(bad, exo, run=False)
            with pytest.raises(ex.BuildError, match=bad.name):
                ex.check(bad, exo)
        assert (exo / "essai.ipynb").exists()

    def test_same_folder_twice_is_refused(self, tmp_path):
        sol, _ = solution_folder(tmp_path, CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"))
        with pytest.raises(ex.BuildError, match="distinct"):
            ex.build(sol, sol, run=False)
        assert ex.BEGIN in nbformat.read(sol / "essai.ipynb", as_version=4).cells[0].source

    def test_only_generated_orphans_are_removed(self, tmp_path):
        """An orphan written by build goes; a notebook of the instructor's own stays."""
        sol, exo = solution_folder(tmp_path, CODE("x = 1"))
        ex.build(sol, exo, run=False)
        (exo / "essai.ipynb").rename(exo / "ancien.ipynb")
        nbformat.write(notebook(), exo / "le-mien.ipynb")
        lines = []
        ex.build(sol, exo, run=False, say=lines.append)
        assert not (exo / "ancien.ipynb").exists() and (exo / "le-mien.ipynb").exists()
        assert any("le-mien.ipynb" in line for line in lines)
        assert ex.check(sol, exo) == []  # the notebook left in place does not make the folder stale

    def test_unreadable_solution_is_named(self, tmp_path, capsys):
        """A broken .ipynb in solutions/ gives a French message naming it, not a traceback."""
        sol, exo = solution_folder(tmp_path, CODE("x = 1"))
        (sol / "casse.ipynb").write_text("{pas du json", encoding="utf-8")
        code = main(["build-exercises", "--no-execute", "--solutions", str(sol), "--exercises", str(exo)])
        err = capsys.readouterr().err
        assert code == 1 and "casse.ipynb" in err and "illisible" in err
        assert not exo.exists() or not list(exo.glob("*.ipynb"))

    def test_missing_and_orphan_exercises_are_stale(self, tmp_path):
        """Are a missing exercise and an exercise without solution both reported?"""
        sol, exo = solution_folder(tmp_path, CODE("x = 1"))
        exo.mkdir()
        nbformat.write(ex.to_exercise(notebook(), "orphelin.ipynb"), exo / "orphelin.ipynb")  # generated
        assert sorted(s.exercise.name for s in ex.check(sol, exo)) == ["essai.ipynb", "orphelin.ipynb"]

    def test_build_prints_no_kernel_warning(self, tmp_path):
        """The command shows the instructor no English warning from the kernels, nor leaves them running."""
        import subprocess
        import sys

        sol, exo = solution_folder(tmp_path, CODE("print('ok')"))
        done = subprocess.run([str(Path(sys.executable).parent / "ockit"), "build-exercises", "--solutions",
                               str(sol), "--exercises", str(exo)], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert "WARNING" not in done.stdout + done.stderr, done.stderr
        assert [o.get("text") for o in nbformat.read(exo / "essai.ipynb", as_version=4).cells[0].outputs] == ["ok\n"]
        assert not [p for p in tmp_path.rglob("*") if "noyau" in p.name or "kernel-ipc" in p.name]

    def test_build_executes_so_outputs_are_stored(self, tmp_path):
        """Does the built exercise carry the outputs of its own (stripped) code?"""
        sol, exo = solution_folder(tmp_path, CODE(f"{ex.BEGIN}\nmes_axes = ['ORG']\n{ex.END}"),
                                   CODE("print(len(mes_axes))"))
        ex.build(sol, exo)
        cell = nbformat.read(exo / "essai.ipynb", as_version=4).cells[1]
        assert [o.get("text") for o in cell.outputs] == ["0\n"]


class TestCommand:
    def test_check_exits_non_zero_naming_the_stale_file(self, tmp_path, capsys):
        """Does `ockit build-exercises --check` fail with a French message naming the file?"""
        sol, exo = solution_folder(tmp_path, CODE("x = 1"))
        code = main(["build-exercises", "--check", "--solutions", str(sol), "--exercises", str(exo)])
        err = capsys.readouterr().err
        assert code == 1 and "essai.ipynb" in err and "périmé" in err

    def test_build_then_check_succeeds(self, tmp_path, capsys):
        """Does the command build (without executing) and then pass its own check?"""
        sol, exo = solution_folder(tmp_path, CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"))
        args = ["--solutions", str(sol), "--exercises", str(exo)]
        assert main(["build-exercises", "--no-execute", *args]) == 0
        assert main(["build-exercises", "--check", *args]) == 0

    def test_missing_marker_is_a_clear_error(self, tmp_path, capsys):
        """Does a missing END marker stop the build with the notebook and cell named, writing nothing?"""
        sol, exo = solution_folder(tmp_path, MD("# T"), CODE(f"{ex.BEGIN}\nx = 1"))
        code = main(["build-exercises", "--no-execute", "--solutions", str(sol), "--exercises", str(exo)])
        err = capsys.readouterr().err
        assert code == 1 and "essai.ipynb" in err and "cellule 2" in err
        assert not list(exo.glob("*.ipynb"))


@pytest.mark.parametrize("solution", SOLUTION_FILES, ids=[p.name for p in SOLUTION_FILES])
def test_every_solution_has_its_exercise_twin(solution):
    """Has each solution notebook its student version in exercises/?"""
    assert (ROOT / "exercises" / solution.name).exists(), \
        f"exercises/{solution.name} manque : lancez « ockit build-exercises »."


def test_solutions_hold_answers_and_exercises_do_not():
    """Does each solution mark at least one answer, and its exercise hide all of them?"""
    assert SOLUTION_FILES, "solutions/ est vide"
    for path in SOLUTION_FILES:
        assert ex.BEGIN in path.read_text(encoding="utf-8"), path.name
        twin = ROOT / "exercises" / path.name
        if twin.exists():
            assert ex.BEGIN not in twin.read_text(encoding="utf-8"), twin.name


def test_committed_exercises_are_up_to_date():
    """Is exercises/ fresh, as `ockit build-exercises --check` would say?"""
    stale = ex.check()
    assert not stale, "; ".join(f"{s.exercise.name} : {s.reason}" for s in stale) + ". " + ex.REMEDY


class TestDefaultFolders:
    """Where build-exercises reads and writes when no folder is given."""

    @pytest.fixture
    def installed(self, tmp_path, monkeypatch):
        """The kit as a wheel installs it: its ROOT (site-packages) is no checkout."""
        site = tmp_path / "site-packages"
        site.mkdir()
        monkeypatch.setattr(ex, "ROOT", site)
        monkeypatch.setattr(ex, "SOLUTIONS", site / "solutions")
        monkeypatch.setattr(ex, "EXERCISES", site / "exercises")
        home = tmp_path / "cours"
        home.mkdir()
        monkeypatch.chdir(home)
        return site, home

    def test_installed_kit_uses_the_current_folder(self, installed, capsys):
        """Are solutions/ and exercises/ of the current folder used, never the install folder?"""
        site, home = installed
        sol, _ = solution_folder(home, CODE(f"{ex.BEGIN}\nx = 1\n{ex.END}"))
        assert main(["build-exercises", "--no-execute"]) == 0
        assert (home / "exercises" / "essai.ipynb").is_file() and not (site / "exercises").exists()

    def test_installed_kit_without_solutions_says_what_to_do(self, installed, capsys):
        """No solutions/ here: exit 1, the folder looked for and the --solutions option named."""
        site, home = installed
        assert main(["build-exercises", "--no-execute"]) == 1
        err = capsys.readouterr().err
        assert "solutions" in err and "--solutions" in err and str(site) not in err

    def test_exercises_default_beside_the_solutions_given(self, installed, capsys):
        """--solutions alone: exercises/ is written beside that folder."""
        site, home = installed
        (home / "ailleurs").mkdir()
        sol, _ = solution_folder(home / "ailleurs", CODE("x = 1"))
        assert main(["build-exercises", "--no-execute", "--solutions", str(sol)]) == 0
        assert (sol.parent / "exercises" / "essai.ipynb").is_file() and not (site / "exercises").exists()

    def test_a_checkout_keeps_its_own_folders(self, tmp_path, monkeypatch):
        """Run from elsewhere, an editable install still uses its checkout's solutions/."""
        monkeypatch.chdir(tmp_path)
        assert ex.default_folders() == (ex.ROOT / "solutions", ex.ROOT / "exercises")
