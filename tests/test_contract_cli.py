"""The contract, checked as written: no `ockit` command prints a Python traceback for a file a
learner or an instructor hands it; it says what is wrong in French (exit 1), or sets the file
aside and goes on (class-report). Each command runs as a real subprocess, with a time limit, so
a FIFO that would hang it fails the test instead of the suite."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from .test_hostile_data import BILLION_LAUGHS

TIMEOUT = 120


def run(*args, env=None, cwd=None):
    environ = {**os.environ, **(env or {})}
    done = subprocess.run([sys.executable, "-m", "ockit.cli", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env=environ, cwd=cwd)
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-3000:]
    return done


HOSTILE_CASES = {
    "vide": "",
    "cle-en-double": "id: cle-en-double\nid: cle-en-double\n",
    "controle": 'id: controle\ntitle: "\\x1b[2J"\n',
    "substitution": 'id: substitution\ntitle: "\\ud800"\n',
    "rires": BILLION_LAUGHS,
    "profond": "[" * 100_000,
    "types": "id: types\ntitle: [1]\nsummary: 2026-01-01\naxes: {DEV: !!binary aGVsbG8=}\napproach: !!set {a}\n"
             "acts: [[x]]\nsource: {doc: [1]}\ndifficulty: true\nthemes: {a: 1}\nlabel_provenance: [x]\n",
    "python": "!!python/object/apply:os.system [echo pirate]\n",
    "latin1": "id: latin1\ntitle: Hélène\n".encode("latin-1"),
    "fifo": None,
    "dossier": None,
}


def _hostile_extra(folder, names):
    (folder / "cases").mkdir(parents=True)
    for name in names:
        path = folder / "cases" / f"{name}.yaml"
        content = HOSTILE_CASES[name]
        if name == "fifo":
            os.mkfifo(path)
        elif name == "dossier":
            path.mkdir()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def test_validate_names_each_hostile_case_file(tmp_path):
    """validate over every hostile case file at once: exit 1, a French line naming each file."""
    extra = _hostile_extra(tmp_path / "extra", list(HOSTILE_CASES))
    done = run("validate", "--extra", str(extra))
    assert done.returncode == 1 and "problèmes trouvés" in done.stderr
    for name in HOSTILE_CASES:
        assert f"{name}.yaml" in done.stderr, name


def test_validate_json_lists_every_hostile_file(tmp_path):
    """validate --json over all of them at once: valid JSON on stdout, one entry at least per file."""
    extra = _hostile_extra(tmp_path / "extra", list(HOSTILE_CASES))
    done = run("validate", "--json", "--extra", str(extra))
    report = json.loads(done.stdout)
    assert done.returncode == 1 and report["valid"] is False
    for name in HOSTILE_CASES:
        assert any(f"{name}.yaml" in p["file"] for p in report["problems"]), name


@pytest.mark.parametrize("command", [["cases"], ["crosswalk"], ["suggest", "une table de quartier"],
                                     ["evaluate"], ["export", "moodle", "--out", "banque.xml"]])
def test_every_data_command_refuses_hostile_cases_in_french(tmp_path, command):
    """Every command that loads the course: exit 1 and the French list of problems."""
    extra = _hostile_extra(tmp_path / "extra", list(HOSTILE_CASES))
    done = run(*command, "--extra", str(extra), cwd=tmp_path)
    assert done.returncode == 1 and "problèmes dans les données" in done.stderr
    assert not (tmp_path / "banque.xml").exists()


def test_class_report_sets_hostile_submissions_aside_and_reports_the_others(tmp_path):
    """class-report: the hostile files are named with a French reason, the report holds the good one."""
    import ockit

    case = next(iter(ockit.load().cases))
    folder = tmp_path / "remises"
    folder.mkdir()
    good = {"format": "ockit-submission/1", "learner": "Alex", "kit_version": "0.1.0",
            "created": "2026-11-23T10:00:00-05:00", "answers": [{"case": case, "axes": ["ORG"]}]}
    (folder / "bon.json").write_text(json.dumps(good), encoding="utf-8")
    (folder / "surrogate.json").write_text(json.dumps({**good, "learner": "\ud800"}), encoding="utf-8")
    (folder / "profond.json").write_text("[" * 100_000, encoding="utf-8")
    (folder / "gros.json").write_text('"' + "x" * 10_100_000 + '"', encoding="utf-8")
    (folder / "latin1.json").write_bytes('{"learner": "Hélène"}'.encode("latin-1"))
    os.mkfifo(folder / "tube.json")
    (folder / "dossier.json").mkdir()
    (folder / "nom-\udcff.json".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_text(
        "{", encoding="utf-8")
    out = tmp_path / "rapport"
    out.mkdir()
    (out / "report.html").write_text("ancien rapport", encoding="utf-8")
    done = run("class-report", str(folder), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Fichier écarté") == 7
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "1 apprenant·e(s)" in html and "ancien rapport" not in html


@pytest.mark.parametrize("kind", ["fifo", "folder", "garbage", "deep", "other-format", "device"])
def test_export_submission_refuses_a_hostile_store_in_french(tmp_path, kind):
    """export-submission over a hostile progress store: exit 1, French reason and remedy, the store untouched."""
    store = tmp_path / "progress.json"
    content = {"garbage": "\x00\xff pas du json", "deep": "[" * 100_000,
               "other-format": json.dumps({"format": {"x": [1]}, "attempts": []})}.get(kind)
    if kind == "fifo":
        os.mkfifo(store)
    elif kind == "folder":
        store.mkdir()
    elif kind == "device":
        store.symlink_to("/dev/zero")
    else:
        store.write_text(content, encoding="utf-8", errors="surrogateescape")
    done = run("export-submission", "--out", str(tmp_path / "remise.json"), "--learner", "Kim",
               env={"OCKIT_PROGRESS": str(store)})
    assert done.returncode == 1 and "Rien n'a été exporté" in done.stderr
    assert not (tmp_path / "remise.json").exists()
    if content is not None:
        assert store.read_text(encoding="utf-8", errors="surrogateescape") == content


def test_export_submission_keeps_good_attempts_of_a_partly_bad_store(tmp_path):
    store = tmp_path / "progress.json"
    store.write_text(json.dumps({"format": "ockit-progress/1", "attempts": [
        {"case": "info-alimentaire", "axes": ["ORG"]}, {"case": "x", "axes": ["ZQX"]}]}), encoding="utf-8")
    done = run("export-submission", "--out", str(tmp_path / "remise.json"), "--learner", "Kim",
               env={"OCKIT_PROGRESS": str(store)})
    assert done.returncode == 0 and "Attention" in done.stderr
    assert len(json.loads((tmp_path / "remise.json").read_text(encoding="utf-8"))["answers"]) == 1


@pytest.mark.parametrize("case_id", ["mon-cas\n", "mon-cas\nid: autre", "x" * 5000, "a\x1bb", "../../etc"])
def test_new_case_refuses_hostile_ids_in_french(tmp_path, case_id):
    done = run("new-case", case_id, "--folder", str(tmp_path / "cas"))
    assert done.returncode == 1 and "refusé" in done.stderr
    assert not (tmp_path / "cas").exists() or not any((tmp_path / "cas").iterdir())
