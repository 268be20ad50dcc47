"""`ockit export-submission`: writes the submission from the store; clear French failures."""

import json
import os
import subprocess
import sys

from ockit.progress import Store
from ockit.submission import SubmittedAnswer, now_iso, read_submission

OCKIT = [sys.executable, "-m", "ockit.cli"]


def run_cli(*args, env=None):
    return subprocess.run([*OCKIT, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=120)


def record(path, case="info-alimentaire", axes=("ORG", "DSS"), **kw):
    Store(path).record(SubmittedAnswer(case=case, axes=axes, answered_at=now_iso(), **kw))


class TestExportSubmission:
    def test_writes_latest_answers_for_the_named_learner(self, store_path, tmp_path):
        """The file holds the latest answer per case and the learner given."""
        record(store_path, axes=("ORG",))
        record(store_path, axes=("ORG", "DSS"), attempts=2, approach="SOCIOCOM")
        out = tmp_path / "remise.json"
        done = run_cli("export-submission", "--out", str(out), "--learner", "Kim")
        assert done.returncode == 0, done.stderr
        assert "1 réponse" in done.stdout
        sub = read_submission(out)
        assert sub.learner == "Kim"
        assert [(a.axes, a.attempts, a.approach) for a in sub.answers] == [(("ORG", "DSS"), 2, "SOCIOCOM")]

    def test_default_learner_is_user_then_anonyme(self, store_path, tmp_path):
        """Without --learner: $USER, or "anonyme" when USER is empty."""
        record(store_path)
        out = tmp_path / "r.json"
        assert run_cli("export-submission", "--out", str(out), env={"USER": "alexis"}).returncode == 0
        assert read_submission(out).learner == "alexis"
        assert run_cli("export-submission", "--out", str(out), env={"USER": "", "USERNAME": ""}).returncode == 0
        assert read_submission(out).learner == "anonyme"

    def test_help_is_french_and_names_the_default_learner(self):
        """The help says what the default learner is."""
        done = run_cli("export-submission", "--help")
        assert done.returncode == 0
        assert "USER" in done.stdout and "anonyme" in done.stdout

    def test_nothing_to_export_exits_1_with_a_message(self, store_path, tmp_path):
        """An empty or missing store: exit 1, French message, no file."""
        out = tmp_path / "remise.json"
        done = run_cli("export-submission", "--out", str(out))
        assert done.returncode == 1
        assert "aucune réponse" in done.stderr
        assert not out.exists()

    def test_unreadable_store_exits_1_and_is_left_untouched(self, store_path, tmp_path):
        """A corrupt store: exit 1 naming the file; the CLI moves nothing (only widgets repair)."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(b"n'importe quoi")
        out = tmp_path / "remise.json"
        done = run_cli("export-submission", "--out", str(out))
        assert done.returncode == 1
        assert str(store_path) in done.stderr and "JSON" in done.stderr
        assert store_path.read_bytes() == b"n'importe quoi" and not out.exists()

    def test_corrupt_store_message_tells_the_next_step(self, store_path, tmp_path):
        """Beyond the problem, the message says the file is kept and what to do next."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(b"n'importe quoi")
        done = run_cli("export-submission", "--out", str(tmp_path / "remise.json"))
        assert done.returncode == 1
        assert "laissé tel quel" in done.stderr and "ouvrez un exercice" in done.stderr
        assert "sans l'effacer" in done.stderr and "fichier neuf" in done.stderr
        assert store_path.read_bytes() == b"n'importe quoi"

    def test_folder_in_place_of_the_store_is_told_in_french(self, store_path, tmp_path):
        """A folder at OCKIT_PROGRESS: French reason and where to look, no set-aside promise."""
        store_path.mkdir(parents=True)
        done = run_cli("export-submission", "--out", str(tmp_path / "remise.json"))
        assert done.returncode == 1
        assert "c'est un dossier" in done.stderr and "OCKIT_PROGRESS" in done.stderr
        assert "Is a directory" not in done.stderr and "ouvrez un exercice" not in done.stderr

    def test_out_naming_a_folder_is_told_in_french(self, store_path, tmp_path):
        record(store_path)
        result = run_cli("export-submission", "--out", str(tmp_path), env={"OCKIT_PROGRESS": str(store_path)})
        assert result.returncode == 1
        assert "c'est un dossier" in result.stderr and "directory" not in result.stderr

    def test_progress_option_overrides_the_environment(self, store_path, tmp_path):
        """--progress reads another store than $OCKIT_PROGRESS."""
        other = tmp_path / "autre.json"
        record(other, case="marche-sante")
        out = tmp_path / "remise.json"
        done = run_cli("export-submission", "--out", str(out), "--progress", str(other), "--json")
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["answers"] == 1
        assert [a.case for a in read_submission(out).answers] == ["marche-sante"]

    def test_exported_file_matches_the_published_schema(self, store_path, tmp_path):
        """What we write validates against ockit/schemas/submission-1.json (the format others read)."""
        jsonschema = __import__("pytest").importorskip("jsonschema")
        from ockit.submission import SCHEMA_PATH

        record(store_path, approach="SOCIOPOL", justification="« guillemets » & <balises>")
        record(store_path, case="marche-sante", axes=("DEV",))
        out = tmp_path / "remise.json"
        assert run_cli("export-submission", "--out", str(out)).returncode == 0
        schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        jsonschema.validate(json.loads(out.read_text(encoding="utf-8")), schema)

    def test_missing_store_is_not_created_by_exporting(self, store_path, tmp_path):
        """Exporting only reads: with no store yet, no folder or file appears."""
        assert run_cli("export-submission", "--out", str(tmp_path / "r.json")).returncode == 1
        assert not store_path.parent.exists()
