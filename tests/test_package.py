"""The installable package: a wheel built from a clean copy works from any folder.

Contract of issue #10: from a clean copy of the repository, `pip wheel --no-deps . -w DIR`,
installed into a fresh virtualenv (tests/kitenv.py says how its dependencies are provided),
gives an `ockit` whose `ockit validate` exits 0 and whose `ockit cases --json` lists every case,
run from an unrelated folder. The course data then comes from the installed package, never from
the checkout's data/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.kitenv import REPO, venv_env


def run(bin_dir: Path, cwd: Path, *args, **env):
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True,
                          env=venv_env(bin_dir, **env), timeout=120)


def repo_case_ids() -> set[str]:
    return {p.stem for p in (REPO / "data" / "cases").glob("*.yaml")}


def test_wheel_holds_every_data_file(kit_wheel):
    """Every file of data/ that git tracks is in the wheel, under ockit/coursedata/."""
    tracked = subprocess.run(["git", "ls-files", "data"], cwd=REPO, capture_output=True, text=True,
                             check=True).stdout.split()
    names = set(zipfile.ZipFile(kit_wheel).namelist())
    missing = [p for p in tracked if "ockit/coursedata/" + p.removeprefix("data/") not in names]
    assert not missing, f"Fichiers de data/ absents de la roue : {missing}"


def test_wheel_holds_every_module_of_the_kit(kit_wheel):
    """Every .py and schema file of ockit/ that git would commit is in the wheel (a subpackage
    missing from pyproject.toml's list would otherwise only show up on a hub)."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "ockit"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    names = set(zipfile.ZipFile(kit_wheel).namelist())
    missing = [p for p in listed if (REPO / p).is_file() and p not in names]
    assert not missing, f"Fichiers de ockit/ absents de la roue (liste packages de pyproject.toml) : {missing}"


def test_installed_wheel_validates_and_lists_cases_from_anywhere(kit_venv, tmp_path):
    """`ockit validate` exits 0 and `ockit cases --json` lists every case of data/cases/."""
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    done = run(kit_venv, elsewhere, "ockit", "validate")
    assert done.returncode == 0, done.stdout + done.stderr
    listed = run(kit_venv, elsewhere, "ockit", "cases", "--json")
    assert listed.returncode == 0, listed.stderr
    assert {c["id"] for c in json.loads(listed.stdout)} == repo_case_ids()


def test_installed_data_is_the_package_not_the_checkout(kit_venv, tmp_path):
    """KIT_DATA lies inside the venv, the quizzes are found, and the wheel's deps are satisfied."""
    code = ("import ockit, ockit.data, ockit.quiz; print(ockit.__file__); print(ockit.data.KIT_DATA); "
            "print(len(ockit.quiz.list_quizzes()))")
    done = run(kit_venv, tmp_path, "python", "-c", code)
    assert done.returncode == 0, done.stderr
    module, data, quizzes = done.stdout.split("\n")[:3]
    venv = kit_venv.parent.resolve()
    assert Path(module).resolve().is_relative_to(venv), module
    assert Path(data).resolve().is_relative_to(venv), data
    assert int(quizzes) == len(list((REPO / "data" / "quizzes").glob("*.yaml")))
    check = subprocess.run([sys.executable, "-m", "pip", "--python", str(kit_venv / "python"), "check"],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr


def test_extra_and_data_options_still_work_on_the_wheel(kit_venv, tmp_path):
    """--data and OCKIT_EXTRA_DATA still choose other folders with the installed kit."""
    done = run(kit_venv, tmp_path, "ockit", "validate", "--data", str(tmp_path / "absent"))
    assert done.returncode == 1 and "absent" in done.stderr + done.stdout
    extra = tmp_path / "extra" / "cases"
    extra.mkdir(parents=True)
    source = sorted((REPO / "data" / "cases").glob("*.yaml"))[0]
    text = source.read_text(encoding="utf-8").replace(f"id: {source.stem}", "id: cas-local-essai", 1)
    (extra / "cas-local-essai.yaml").write_text(text, encoding="utf-8")
    listed = run(kit_venv, tmp_path, "ockit", "cases", "--json", OCKIT_EXTRA_DATA=str(extra.parent))
    assert listed.returncode == 0, listed.stderr
    assert {c["id"] for c in json.loads(listed.stdout)} == repo_case_ids() | {"cas-local-essai"}


def test_the_suggester_and_its_evaluation_run_from_the_wheel(kit_venv, tmp_path):
    """Do `ockit suggest` (model, frames, hesitations) and the blind set load from the installed package?"""
    done = run(kit_venv, tmp_path, "ockit", "suggest", "--json",
               "Le comité de citoyens du quartier se mobilise avec l'OC pour obtenir du logement social.")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["axes"]
    code = "import ockit.evaluation as e; print(e.BLIND_FILE.is_file(), e.BLIND_FILE)"
    shown = run(kit_venv, tmp_path, "python", "-c", code)
    assert shown.returncode == 0, shown.stderr
    found, path = shown.stdout.split(maxsplit=1)
    assert found == "True" and Path(path.strip()).resolve().is_relative_to(kit_venv.parent.resolve())


def test_build_exercises_from_the_wheel_reads_and_writes_the_current_folder(kit_venv, tmp_path):
    """Outside a checkout, `ockit build-exercises` uses solutions/ and exercises/ of the current
    folder: without solutions/ it says in French what to do; it never writes into site-packages."""
    home = tmp_path / "cours"
    home.mkdir()
    done = run(kit_venv, home, "ockit", "build-exercises", "--no-execute")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(home / "solutions") in done.stderr and "--solutions" in done.stderr, done.stderr
    assert "site-packages" not in done.stderr
    shutil.copytree(REPO / "solutions", home / "solutions")
    done = run(kit_venv, home, "ockit", "build-exercises", "--no-execute")
    assert done.returncode == 0, done.stderr
    built = sorted(p.name for p in (home / "exercises").glob("*.ipynb"))
    assert built == sorted(p.name for p in (REPO / "solutions").glob("*.ipynb"))
    assert not list(kit_venv.parent.glob("lib/python*/site-packages/exercises"))
    assert run(kit_venv, home, "ockit", "build-exercises", "--check").returncode == 0
