"""The class hand-in folder ($OCKIT_HANDIN) and `ockit hub-link`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest

from ockit.commands.hub_link import LinkError, hub_link
from ockit.handin import hand_in, who
from ockit.progress import Store
from ockit.submission import SubmittedAnswer, make_submission, now_iso, read_submission

OCKIT = [sys.executable, "-m", "ockit.cli"]


def run_cli(*args, env=None, drop=()):
    base = {k: v for k, v in os.environ.items() if k not in ("JUPYTERHUB_USER", "OCKIT_HANDIN", *drop)}
    return subprocess.run([*OCKIT, *args], capture_output=True, text=True, env={**base, **(env or {})},
                          timeout=120)


def record(path, case="info-alimentaire", axes=("ORG", "DSS")):
    Store(path).record(SubmittedAnswer(case=case, axes=axes, answered_at=now_iso()))


class TestHandinFolder:
    def test_contract_two_handins_of_a_then_b_read_as_two_learners(self, store_path, tmp_path):
        """OCKIT_HANDIN=DIR export-submission --learner A twice, then B: 3 files, 2 learners."""
        folder = tmp_path / "remises"
        folder.mkdir()
        env = {"OCKIT_HANDIN": str(folder)}
        record(store_path)
        assert run_cli("export-submission", "--learner", "Alice Tremblay", env=env).returncode == 0
        first = {p.name: p.read_bytes() for p in folder.glob("*.json")}
        record(store_path, axes=("DEV",))
        assert run_cli("export-submission", "--learner", "Alice Tremblay", env=env).returncode == 0
        done = run_cli("export-submission", "--learner", "Benoît Roy", env=env)
        assert done.returncode == 0, done.stderr
        files = sorted(folder.glob("*.json"))
        assert len(files) == 3
        for name, content in first.items():  # the first hand-in is still there, unchanged
            assert (folder / name).read_bytes() == content
        assert sorted(read_submission(p).learner for p in files) == ["Alice Tremblay", "Alice Tremblay",
                                                                     "Benoît Roy"]
        for p in files:  # the real name is never in clear in the shared folder's file names
            assert "alice" not in p.name.lower() and "benoit" not in p.name.lower() and "roy" not in p.name
        report = run_cli("class-report", str(folder), "--out", str(tmp_path / "rapport"), "--json")
        assert report.returncode == 0, report.stderr
        summary = json.loads(report.stdout)
        assert summary["learners"] == 2 and summary["files"] == 3
        assert len(summary["rejected"]) == 1  # Alice's earlier hand-in, kept on disk, read as older
        latest = [p for p in files if read_submission(p).learner == "Alice Tremblay"][-1]
        assert summary["rejected"][0]["file"] != latest.name

    def test_hub_user_names_the_file(self, store_path, tmp_path):
        """On a hub, the file is named after $JUPYTERHUB_USER; --out is then optional."""
        folder = tmp_path / "remises"
        folder.mkdir()
        record(store_path)
        done = run_cli("export-submission", "--json", env={"OCKIT_HANDIN": str(folder),
                                                            "JUPYTERHUB_USER": "etu-0042"})
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        (only,) = folder.glob("*.json")
        assert summary["handin"] == str(only) and only.name.startswith("remise-etu-0042-")
        assert read_submission(only).learner == "etu-0042"

    def test_same_second_never_overwrites(self, tmp_path):
        """Hand-ins in the same second get new counters; none replaces another."""
        from datetime import datetime

        when = datetime(2026, 1, 15, 10, 0, 0)
        sub = make_submission("Chloé", [SubmittedAnswer("info-alimentaire", ("ORG",))])
        paths = [hand_in(sub, tmp_path, now=when) for _ in range(3)]
        assert len(set(paths)) == 3 and all(p.exists() for p in paths)
        assert sorted(paths) == paths  # the counter keeps name order = hand-in order
        assert not list(tmp_path.glob(".*.tmp"))

    def test_pseudonym_when_asked_even_on_a_hub(self, monkeypatch):
        monkeypatch.setenv("JUPYTERHUB_USER", "marie.roy@exemple.ca")
        assert who("Marie Roy") == "marie.roy-exemple.ca"
        monkeypatch.setenv("OCKIT_HANDIN_PSEUDONYM", "1")
        assert "marie" not in who("Marie Roy") and who("x").startswith("apprenant-")

    def test_missing_folder_is_a_french_error_and_out_is_kept(self, store_path, tmp_path):
        record(store_path)
        out = tmp_path / "ma-remise.json"
        done = run_cli("export-submission", "--out", str(out), "--learner", "A",
                       env={"OCKIT_HANDIN": str(tmp_path / "absent")})
        assert done.returncode == 1 and "Dossier de remise introuvable" in done.stderr
        assert "Traceback" not in done.stderr and read_submission(out).learner == "A"

    def test_no_out_and_no_folder_is_usage_error(self, store_path):
        record(store_path)
        done = run_cli("export-submission", "--learner", "A")
        assert done.returncode == 2 and "OCKIT_HANDIN" in done.stderr


NOTEBOOK = "notebooks/06_atelier_de_classification.ipynb"


class TestHubLink:
    def test_contract_link(self):
        done = run_cli("hub-link", "--hub", "https://hub.example.org", "--repo",
                       "https://git.example.org/cours.git", "--notebook", NOTEBOOK)
        assert done.returncode == 0, done.stderr
        (link,) = done.stdout.split()
        assert link.startswith("https://hub.example.org/hub/user-redirect/git-pull?")
        query = parse_qs(urlsplit(link).query)
        assert query["repo"] == ["https://git.example.org/cours.git"]
        assert query["urlpath"] == [f"lab/tree/cours/{NOTEBOOK}"] and "branch" not in query
        assert query["targetpath"] == ["cours"]  # nbgitpuller would keep ".git" without it

    def test_branch_base_path_and_encoding(self):
        link = hub_link("https://uni.ca/jupyter/", "https://git.uni.ca/oc/cours-oc", branch="session-h26",
                        notebook="notebooks/un carnet & co.ipynb")
        parts = urlsplit(link)
        assert parts.path == "/jupyter/hub/user-redirect/git-pull"
        assert " " not in link and "&co" not in link and "/" not in parts.query  # all encoded
        query = parse_qs(parts.query)
        assert query == {"repo": ["https://git.uni.ca/oc/cours-oc"], "branch": ["session-h26"],
                         "targetpath": ["cours-oc"],
                         "urlpath": ["lab/tree/cours-oc/notebooks/un carnet & co.ipynb"]}

    def test_json(self):
        done = run_cli("hub-link", "--hub", "http://127.0.0.1:8000", "--repo", "file:///srv/git/cours.git",
                       "--branch", "main", "--json")
        data = json.loads(done.stdout)
        assert data["folder"] == "cours" and data["branch"] == "main" and data["urlpath"] == "lab/tree/cours"
        assert data["link"].startswith("http://127.0.0.1:8000/hub/user-redirect/git-pull?")

    @pytest.mark.parametrize("args, word", [
        (("--hub", "hub.example.org", "--repo", "https://g.org/c.git"), "--hub"),
        (("--hub", "https://h.org/?x=1", "--repo", "https://g.org/c.git"), "--hub"),
        (("--hub", "https://h.org", "--repo", "cours.git"), "--repo"),
        (("--hub", "https://h.org", "--repo", "https://g.org/c.git", "--branch", "a b"), "--branch"),
        (("--hub", "https://h.org", "--repo", "https://g.org/c.git", "--notebook", "../x.ipynb"), "--notebook"),
    ])
    def test_bad_input_is_a_french_error(self, args, word):
        done = run_cli("hub-link", *args)
        assert done.returncode == 1 and word in done.stderr and "Aucun lien" in done.stderr
        assert "Traceback" not in done.stderr and not done.stdout

    def test_library_raises_link_error(self):
        with pytest.raises(LinkError, match="--repo"):
            hub_link("https://h.org", "https://g.org/")
