"""The CLI contract of the foundation: validate, cases --json, crosswalk --json, French help."""

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml

from ockit.cli import command_modules, main
from ockit.data import KIT_DATA, load

OCKIT = [sys.executable, "-m", "ockit.cli"]


def run_cli(*args, env=None):
    return subprocess.run([*OCKIT, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


class TestValidate:
    def test_kit_data_is_valid(self, capsys):
        """The kit's own data validates with exit 0."""
        assert main(["validate"]) == 0
        assert "Données valides" in capsys.readouterr().out

    def test_bad_axis_code_in_copy_names_file_and_code(self, tmp_path):
        """A copy of data/ with one unknown axis code exits 1 naming the file and the code."""
        copy = tmp_path / "data"
        shutil.copytree(KIT_DATA, copy)
        victim = sorted((copy / "cases").glob("*.yaml"))[0]
        case = yaml.safe_load(victim.read_text(encoding="utf-8"))
        first = next(iter(case["axes"]))
        case["axes"] = {("ZQX" if k == first else k): v for k, v in case["axes"].items()}
        victim.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = run_cli("validate", "--data", str(copy))
        assert result.returncode == 1
        assert victim.name in result.stderr
        assert "ZQX" in result.stderr

    def test_every_problem_listed(self, tmp_path):
        """Two broken cases in a copy are both listed."""
        copy = tmp_path / "data"
        shutil.copytree(KIT_DATA, copy)
        victims = sorted((copy / "cases").glob("*.yaml"))[:2]
        for victim in victims:
            case = yaml.safe_load(victim.read_text(encoding="utf-8"))
            case["difficulty"] = 9
            victim.write_text(yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")
        result = run_cli("validate", "--data", str(copy), "--json")
        assert result.returncode == 1
        files = {p["file"].rsplit("/", 1)[-1] for p in json.loads(result.stdout)["problems"]}
        assert files == {v.name for v in victims}

    def test_broken_quiz_is_reported_with_question_and_field(self, tmp_path):
        """A quiz whose answer points past its choices fails validation, naming file and question."""
        copy = tmp_path / "data"
        shutil.copytree(KIT_DATA, copy)
        victim = copy / "quizzes" / "definitions.yaml"
        quiz = yaml.safe_load(victim.read_text(encoding="utf-8"))
        question = next(q for q in quiz["questions"] if q["kind"] == "single")
        question["answer"] = 99
        victim.write_text(yaml.safe_dump(quiz, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = run_cli("validate", "--data", str(copy))
        assert result.returncode == 1
        assert "definitions.yaml" in result.stderr and question["id"] in result.stderr
        assert "answer" in result.stderr


class TestCasesJson:
    def test_items_follow_the_contract(self):
        """`ockit cases --json` prints every case with the contract's fields and types."""
        result = run_cli("cases", "--json")
        assert result.returncode == 0
        items = json.loads(result.stdout)
        course = load()
        assert [i["id"] for i in items] == list(course.cases)
        for item in items:
            assert isinstance(item["title"], str) and isinstance(item["summary"], str)
            assert item["axes"] and set(item["axes"]) == set(item["rationale"])
            assert item["approach"] is None or item["approach"] in course.approaches
            assert item["label_provenance"] in {"source", "inferred", "constructed"}
            assert item["source"] is None or isinstance(item["source"], dict)
            if item["label_provenance"] == "constructed":
                assert item["source"] is None

    def test_axes_keep_the_order_of_the_yaml(self):
        """Axes are listed in the order of importance the case file gives."""
        items = {i["id"]: i for i in json.loads(run_cli("cases", "--json").stdout)}
        for path in KIT_DATA.glob("cases/*.yaml"):
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
            assert items[raw["id"]]["axes"] == list(raw["axes"])

    def test_table_lists_every_case(self):
        """`ockit cases --table` shows one line per case with its axes."""
        out = run_cli("cases", "--table").stdout
        for case in load().cases.values():
            line = next(l for l in out.splitlines() if l.startswith(case.id + " "))
            assert "+".join(case.axes) in line


@pytest.fixture(scope="module")
def frameworks():
    result = run_cli("crosswalk", "--json")
    assert result.returncode == 0
    return {f["id"]: f for f in json.loads(result.stdout)["frameworks"]}


class TestCrosswalk:
    def test_shape(self, frameworks):
        """Each framework has numbered axes mapped with axis, match and why."""
        assert set(frameworks) >= {"rqiiac-2020", "ciusss-nim", "cemtl"}
        for fw in frameworks.values():
            assert fw["title"] and fw["axes"]
            for axis in fw["axes"]:
                assert isinstance(axis["number"], int) and axis["label"]
                for m in axis["maps_to"]:
                    assert m["axis"] in {"DEV", "DSS", "ORG", "RESP"}
                    assert m["match"] in {"full", "partial"} and len(m["why"].split()) >= 5

    def test_follows_the_sources(self, frameworks):
        """NIM axe 2 and CEMTL axe 3 are ORG; CEMTL axe 2 is DSS; NIM axe 3 is RESP and DSS."""
        def targets(fid, number):
            axis = next(a for a in frameworks[fid]["axes"] if a["number"] == number)
            return {m["axis"] for m in axis["maps_to"]}

        assert targets("ciusss-nim", 2) == {"ORG"}
        assert targets("cemtl", 3) == {"ORG"}
        assert targets("cemtl", 2) == {"DSS"}
        assert targets("ciusss-nim", 3) == {"RESP", "DSS"}
        assert targets("ciusss-nim", 1) == targets("cemtl", 1) == {"DEV"}

    def test_reference_maps_onto_itself(self, frameworks):
        """Each RQIIAC 2020 axis maps fully onto exactly one reference code, all four covered."""
        ref = frameworks["rqiiac-2020"]["axes"]
        codes = [m["axis"] for a in ref for m in a["maps_to"] if m["match"] == "full"]
        assert sorted(codes) == ["DEV", "DSS", "ORG", "RESP"]


class TestHelp:
    def test_every_command_has_french_help(self):
        """Every verb's --help is in French (no argparse English left)."""
        for module in command_modules():
            result = run_cli(module.NAME, "--help")
            assert result.returncode == 0, module.NAME
            assert "usage : " in result.stdout and "afficher cette aide" in result.stdout
            assert not re.search(r"show this help|positional arguments", result.stdout)

    def test_usage_error_is_french_and_exit_2(self):
        """An unknown option exits 2 with a French error."""
        result = run_cli("cases", "--nope")
        assert result.returncode == 2
        assert "erreur" in result.stderr


class TestImport:
    def test_file_errors_are_french_not_tracebacks(self, tmp_path):
        """Writing to a folder's name: exit 1, the path and a French reason, no traceback."""
        result = run_cli("export", "moodle", "--out", str(tmp_path))
        assert result.returncode == 1
        assert str(tmp_path) in result.stderr and "c'est un dossier" in result.stderr
        assert "Traceback" not in result.stderr

    def test_import_ockit_is_light(self):
        """`import ockit` imports neither pandas, matplotlib nor ipywidgets."""
        code = ("import sys, ockit; heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'yaml') "
                "if m in sys.modules]; print(','.join(heavy))")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
        assert out.strip() == ""
