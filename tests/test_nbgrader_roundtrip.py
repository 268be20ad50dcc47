"""The solution notebooks through nbgrader itself: generate, release, submit, autograde.

nbgrader 0.9 runs from its own virtualenv (.venv-nbgrader, made by `make nbgrader`, a
prerequisite of `make test`; the fixture makes it if it is missing). The autograder executes
the notebooks with a kernel of the kit's own .venv, declared in a private JUPYTER_PATH, so the
test cells import this worktree's ockit. Three learners hand in: the key, a partial answer and
a blank copy; the gradebook's points must equal what ockit computes for the same answers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import ockit
from ockit import markers
from ockit.scoring import jaccard

ROOT = Path(__file__).resolve().parent.parent
NBGRADER_BIN = ROOT / ".venv-nbgrader" / "bin"
SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
ASSIGNMENT = "devoir1"
COURSE = "ockit"

# What the partial learner writes, per solution cell (grade_id): a code cell's new source.
# Cells not listed keep the released stub (a blank answer).
PARTIAL = {
    "cas1_reponse": 'mes_axes = ["DSS"]\nmon_approche = "SOCIOCOM"',
    "cas2_reponse": 'mes_axes = ["ORG", "DEV"]\nmon_approche = None',
    "question1_reponse": 'nim_3 = ["RESP"]',
}


def _nbgrader_env(tmp: Path) -> dict:
    if not (NBGRADER_BIN / "nbgrader").exists():
        subprocess.run(["make", "-C", str(ROOT), "nbgrader"], check=True)
    kernels = tmp / "jupyter" / "kernels" / "python3"
    kernels.mkdir(parents=True)
    (kernels / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ockit)", "language": "python"}), encoding="utf-8")
    env = dict(os.environ)
    env.update(PATH=f"{NBGRADER_BIN}{os.pathsep}{env.get('PATH', '')}",  # alembic must be on PATH
               JUPYTER_PATH=str(tmp / "jupyter"), JUPYTER_PLATFORM_DIRS="1",
               JUPYTER_CONFIG_DIR=str(tmp / "jupyter-config"), JUPYTER_DATA_DIR=str(tmp / "jupyter-data"),
               OCKIT_PROGRESS=str(tmp / "progress.json"))
    env.pop("VIRTUAL_ENV", None)
    return env


def _nbgrader(env, course: Path, *args: str) -> subprocess.CompletedProcess:
    run = subprocess.run([str(NBGRADER_BIN / "nbgrader"), *args], cwd=course, env=env,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, f"nbgrader {' '.join(args)} a échoué :\n{run.stdout}\n{run.stderr}"
    return run


def _region_text(source: str) -> list[str]:
    """The lines between solution markers of a source, as nbgrader reads them."""
    src = markers.lines(source)
    return [line for r in markers.regions(source) for line in src[r.begin + 1:r.end] if line.strip()]


def _key_source(source: str) -> str:
    """A solution cell's source without its marker lines: what a learner with the key writes."""
    return "\n".join(line for line in markers.lines(source)
                     if not markers.is_begin(line) and not markers.is_end(line))


def _grade_id(cell):
    return (cell.metadata.get("nbgrader") or {}).get("grade_id")


def _fill(released, solution, who: str):
    nb = nbformat.from_dict(json.loads(json.dumps(released)))
    key = {_grade_id(c): c.source for c in solution.cells if _grade_id(c)}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if not meta.get("solution"):
            continue
        if who == "cle":
            cell.source = _key_source(key[meta["grade_id"]])
        elif who == "partiel" and meta["grade_id"] in PARTIAL and cell.cell_type == "code":
            cell.source = PARTIAL[meta["grade_id"]]
    return nb


def _answers(solution, who: str) -> dict[str, object]:
    """Run each solution cell as `who` filled it in; return the names it defines per grade_id."""
    out = {}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if not meta.get("solution") or cell.cell_type != "code":
            continue
        names: dict = {}
        # The part before the markers (the reset to an empty answer) runs in every copy.
        before = markers.lines(cell.source)[:markers.regions(cell.source)[0].begin]
        exec("\n".join(before), names)  # noqa: S102 - the kit's own solution notebooks
        if who == "cle":
            exec(_key_source(cell.source), names)  # noqa: S102
        elif who == "partiel" and meta["grade_id"] in PARTIAL:
            exec(PARTIAL[meta["grade_id"]], names)  # noqa: S102
        out[meta["grade_id"]] = {k: v for k, v in names.items() if not k.startswith("__")}
    return out


def _expected(solution, who: str) -> dict[str, float]:
    """The points ockit gives each autograded cell, computed here without nbgrader."""
    answers = _answers(solution, who)
    expected, last = {}, {}
    for cell in solution.cells:
        meta = cell.metadata.get("nbgrader") or {}
        if meta.get("solution") and meta["grade_id"] in answers:
            last = answers[meta["grade_id"]]
        if not meta.get("grade") or meta.get("solution"):
            continue
        case = re.search(r'ockit\.score\("([^"]+)"', cell.source)
        crosswalk = re.search(r'to_reference\("([^"]+)", (\d+)\)\]\s*\nockit\.jaccard\(attendu, (\w+)\)',
                              cell.source)
        if case:
            axes = last.get("mes_axes")
            expected[meta["grade_id"]] = ockit.score(case.group(1), axes or [], last.get("mon_approche")).jaccard
        elif crosswalk:
            chosen = last.get(crosswalk.group(3))
            key = [m.axis for m in ockit.to_reference(crosswalk.group(1), int(crosswalk.group(2)))]
            expected[meta["grade_id"]] = 0.0 if chosen is None else jaccard(key, chosen)
        else:
            raise AssertionError(f"cellule de test non reconnue : {meta['grade_id']}")
    return expected


GRADEBOOK_DUMP = """
import json, sys
from nbgrader.api import Gradebook
out = {}
with Gradebook(sys.argv[1]) as gb:
    for sub in gb.assignment_submissions(sys.argv[2]):
        for nb in sub.notebooks:
            for grade in nb.grades:
                out.setdefault(sub.student.id, {}).setdefault(nb.name, {})[grade.name] = \\
                    [grade.auto_score, grade.max_score]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A course folder taken through nbgrader; returns (course, released, gradebook, solutions)."""
    tmp = tmp_path_factory.mktemp("nbgrader")
    env = _nbgrader_env(tmp)
    course = tmp / "cours"
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    for path in SOLUTIONS:
        shutil.copy(path, source / path.name)
    exchange = tmp / "echange"
    exchange.mkdir()
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.course_id = {COURSE!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.CourseDirectory.db_url = {'sqlite:///' + str(course / 'gradebook.db')!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        "c.Exchange.path_includes_course = True\n"
        "c.ExecutePreprocessor.timeout = 120\n", encoding="utf-8")
    _nbgrader(env, course, "generate_assignment", ASSIGNMENT)
    _nbgrader(env, course, "release_assignment", ASSIGNMENT)
    released = {p.name: nbformat.read(exchange / COURSE / "outbound" / ASSIGNMENT / p.name, as_version=4)
                for p in SOLUTIONS}
    solutions = {p.name: nbformat.read(p, as_version=4) for p in SOLUTIONS}
    for who in ("cle", "partiel", "vide"):
        folder = course / "submitted" / who / ASSIGNMENT
        folder.mkdir(parents=True)
        for name, nb in released.items():
            nbformat.write(_fill(nb, solutions[name], who), folder / name)
    _nbgrader(env, course, "autograde", ASSIGNMENT, "--create")
    dump = subprocess.run([str(NBGRADER_BIN / "python"), "-c", GRADEBOOK_DUMP,
                           "sqlite:///" + str(course / "gradebook.db"), ASSIGNMENT],
                          env=env, capture_output=True, text=True, check=True)
    return course, released, json.loads(dump.stdout), solutions


def test_every_solution_notebook_is_released(graded):
    """Does generate_assignment accept each solution notebook unchanged, and release it?"""
    course, released, _, _ = graded
    assert sorted(released) == [p.name for p in SOLUTIONS]
    assert sorted(p.name for p in (course / "release" / ASSIGNMENT).glob("*.ipynb")) == sorted(released)


def test_released_notebooks_hold_no_solution(graded):
    """Is no line written between solution markers, nor a marker, left in the released copy?"""
    _, released, _, solutions = graded
    for name, nb in released.items():
        text = json.dumps(nb.cells, ensure_ascii=False)
        assert markers.BEGIN_TEXT not in text and markers.END_TEXT not in text, name
        secret = [line for cell in solutions[name].cells for line in _region_text(cell.source)]
        assert secret, name
        for line in secret:
            assert line.strip() not in text, f"{name} : « {line.strip()} » est dans la version distribuée"
        assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code"), name


@pytest.mark.parametrize("who", ["cle", "partiel", "vide"])
def test_autograde_gives_the_points_ockit_gives(graded, who):
    """Does each autograded cell of the gradebook hold ockit's score for that learner's answer?"""
    _, _, gradebook, solutions = graded
    for name, solution in solutions.items():
        expected = _expected(solution, who)
        grades = gradebook[who][Path(name).stem]
        autograded = {gid: score for gid, (score, _) in grades.items() if gid in expected}
        assert set(autograded) == set(expected), name
        for gid, points in expected.items():
            assert autograded[gid] == pytest.approx(points, abs=1e-9), f"{name}, {gid}"
        manual = {gid for gid in grades if gid not in expected}
        assert all(grades[g][0] is None or grades[g][0] == 0 for g in manual), name


def test_the_three_learners_score_apart(graded):
    """Are the key, the partial answer and the blank given full, partial and no points?"""
    _, _, gradebook, solutions = graded
    totals = {who: sum(s for nb in gradebook[who].values() for s, _ in nb.values() if s)
              for who in ("cle", "partiel", "vide")}
    full = sum(sum(_expected(nb, "cle").values()) for nb in solutions.values())
    assert totals["cle"] == pytest.approx(full) and full == 5
    assert 0 < totals["partiel"] < totals["cle"] and totals["vide"] == 0
