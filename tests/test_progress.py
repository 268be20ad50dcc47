"""The progress store: atomic saves, every attempt kept, corrupt files set aside intact."""

import errno
import json
import logging
import os
import threading
import warnings

import pytest

from ockit import progress
from ockit.progress import FORMAT, ProgressError, QuizAnswer, Store, atomic_write_text, default_path
from ockit.submission import SubmittedAnswer, now_iso, read_submission


def answer(case="info-alimentaire", axes=("ORG",), **kw):
    return SubmittedAnswer(case=case, axes=tuple(axes), answered_at=now_iso(), **kw)


class TestDefaultPath:
    def test_env_variable_wins(self, store_path):
        """$OCKIT_PROGRESS names the store."""
        assert default_path() == store_path

    def test_without_env_the_user_data_folder_is_used(self, monkeypatch):
        """Without $OCKIT_PROGRESS the store lives in platformdirs' data folder for ockit."""
        import platformdirs

        monkeypatch.delenv("OCKIT_PROGRESS", raising=False)
        expected = platformdirs.user_data_dir("ockit", appauthor=False)
        assert str(default_path().parent) == expected
        assert default_path().name == "progress.json"


class TestAtomicWrite:
    def test_writes_utf8_text_and_creates_the_folder(self, tmp_path):
        """The text lands whole, in UTF-8, folders created on the way."""
        target = tmp_path / "a" / "b" / "f.json"
        atomic_write_text(target, "aîné·es ✓")
        assert target.read_bytes() == "aîné·es ✓".encode("utf-8")

    def test_crash_during_replace_leaves_previous_file_intact(self, tmp_path, monkeypatch):
        """If the final rename fails (a crash), the old file is untouched and no temp file is left."""
        target = tmp_path / "progress.json"
        target.write_text("ancien contenu", encoding="utf-8")

        def crash(src, dst):
            raise OSError("simulated crash")

        monkeypatch.setattr(progress.os, "replace", crash)
        with pytest.raises(OSError, match="simulated crash"):
            atomic_write_text(target, "nouveau contenu")
        assert target.read_text(encoding="utf-8") == "ancien contenu"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["progress.json"]

    def test_crash_during_record_keeps_earlier_attempts(self, store_path, monkeypatch):
        """A save that crashes loses only the attempt being saved, never the earlier ones."""
        store = Store()
        store.record(answer(case="a"))
        before = store_path.read_bytes()
        monkeypatch.setattr(progress.os, "replace", lambda s, d: (_ for _ in ()).throw(OSError("boom")))
        with pytest.raises(OSError):
            store.record(answer(case="b"))
        monkeypatch.undo()
        assert store_path.read_bytes() == before
        assert [a.case for a in Store(store_path).attempts()] == ["a"]


class TestRecord:
    def test_each_record_is_on_disk_at_once(self, store_path):
        """After record() returns, a fresh reader (as after a kernel restart) sees the attempt."""
        store = Store()
        given = answer(axes=("ORG", "DSS"), approach="SOCIOCOM", justification="parce que", attempts=2)
        store.record(given)
        data = json.loads(store_path.read_text(encoding="utf-8"))
        assert data["format"] == FORMAT
        assert data["attempts"] == [given.to_dict()]
        assert Store(store_path).answers() == [given]

    def test_every_attempt_is_kept_and_latest_per_case_wins(self, store_path):
        """All attempts stay in the file; answers() gives the latest per case in first-answered order."""
        store = Store()
        a1 = answer(case="a", axes=("DEV",), attempts=1)
        b1 = answer(case="b", axes=("ORG",), attempts=1)
        a2 = answer(case="a", axes=("DEV", "DSS"), attempts=2)
        for item in (a1, b1, a2):
            store.record(item)
        assert Store(store_path).attempts() == [a1, b1, a2]
        assert Store(store_path).answers() == [a2, b1]
        assert store.last("a") == a2 and store.last("zzz") is None

    def test_two_stores_on_one_file_do_not_overwrite_each_other(self, store_path):
        """Two widgets with their own Store on the same file both keep their attempts."""
        first, second = Store(), Store()
        first.record(answer(case="a"))
        second.record(answer(case="b"))
        first.record(answer(case="c"))
        assert [a.case for a in Store().attempts()] == ["a", "b", "c"]

    def test_concurrent_records_lose_no_attempt(self, store_path):
        """Threads recording at once through several Store objects lose nothing."""
        stores = [Store(), Store(), Store()]
        threads, per_thread = 6, 8

        def work(n):
            for i in range(per_thread):
                stores[n % len(stores)].record(answer(case=f"t{n}-{i}"))

        pool = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        cases = [a.case for a in Store().attempts()]
        assert sorted(cases) == sorted(f"t{n}-{i}" for n in range(threads) for i in range(per_thread))

    def test_record_refuses_something_else_than_an_answer(self, store_path):
        """Passing a dict is a programming error, reported as TypeError."""
        with pytest.raises(TypeError):
            Store().record({"case": "a", "axes": []})


class TestCorruptStore:
    GARBAGE = b"\x00\xffpas du json {{{"

    def test_garbage_is_set_aside_with_its_bytes_and_a_fresh_store_starts(self, store_path):
        """A corrupt file is renamed aside byte for byte, a French warning is set and issued."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(self.GARBAGE)
        with pytest.warns(UserWarning, match="mis de côté"):
            store = Store()
        assert store.aside is not None and store.aside.parent == store_path.parent
        assert store.aside.name.startswith("progress.json.corrompu-")
        assert store.aside.read_bytes() == self.GARBAGE
        assert store.aside.name in store.warning
        assert store.answers() == []
        store.record(answer(case="apres"))
        assert [a.case for a in Store(store_path).answers()] == ["apres"]

    @pytest.mark.parametrize("value", [["SOCIOPOL"], {"x": 1}, 3])
    def test_odd_approach_value_is_damage_not_a_crash(self, store_path, value):
        """An approach that is a list or a mapping sets the store aside instead of raising TypeError."""
        store_path.parent.mkdir(parents=True)
        bad = {"format": FORMAT, "attempts": [{"case": "info-alimentaire", "axes": ["ORG"], "approach": value}]}
        store_path.write_text(json.dumps(bad), encoding="utf-8")
        store = Store(quiet=True)
        assert store.aside is not None and store.answers() == []

    def test_wrong_format_is_also_set_aside(self, store_path):
        """Valid JSON of another format is not taken for progress."""
        store_path.parent.mkdir(parents=True)
        store_path.write_text(json.dumps({"format": "autre/9", "attempts": []}), encoding="utf-8")
        with pytest.warns(UserWarning):
            store = Store()
        assert "autre/9" in store.warning
        assert json.loads(store.aside.read_text(encoding="utf-8"))["format"] == "autre/9"

    def test_file_corrupted_while_in_use_is_set_aside_at_next_record(self, store_path):
        """Garbage written after the store was opened is caught at the next save, not overwritten."""
        store = Store()
        store.record(answer(case="a"))
        store_path.write_bytes(self.GARBAGE)
        with pytest.warns(UserWarning):
            store.record(answer(case="b"))
        assert store.aside.read_bytes() == self.GARBAGE
        assert [a.case for a in Store(store_path).attempts()] == ["b"]

    def test_two_set_asides_in_the_same_second_keep_both_files(self, store_path):
        """A second corrupt file never overwrites the first one set aside."""
        store_path.parent.mkdir(parents=True)
        asides = []
        for garbage in (b"un", b"deux"):
            store_path.write_bytes(garbage)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                asides.append(Store().aside)
        assert asides[0] != asides[1]
        assert {p.read_bytes() for p in asides} == {b"un", b"deux"}

    def test_warning_is_one_clean_sentence_naming_both_files(self, store_path):
        """The notice names the damaged file and where its bytes went, says a fresh store was
        started, and has no period stuck inside a parenthesis nor doubled."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(self.GARBAGE)
        store = Store(quiet=True)
        text = store.warning
        assert str(store_path) in text and str(store.aside) in text
        assert "nouveau fichier de progression a été commencé" in text
        assert ".)" not in text and ".." not in text and ". :" not in text

    def test_setting_aside_logs_in_english_at_debug_level_only(self, store_path, caplog):
        """Nothing at WARNING or above reaches the learner's notebook from the log."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(self.GARBAGE)
        with caplog.at_level(logging.DEBUG, logger="ockit.progress"):
            Store(quiet=True)
        records = [r for r in caplog.records if r.name == "ockit.progress"]
        assert records and all(r.levelno == logging.DEBUG for r in records)

    def test_quiet_store_issues_no_python_warning(self, store_path):
        """Widgets open the store quietly: their French notice is the only one."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(self.GARBAGE)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            store = Store(quiet=True)
        assert store.aside is not None and caught == []

    def test_without_repair_a_corrupt_store_raises_and_is_left_in_place(self, store_path):
        """repair=False (the CLI) reports the problem in French and moves nothing."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(self.GARBAGE)
        with pytest.raises(ProgressError, match="JSON valide"):
            Store(repair=False)
        assert store_path.read_bytes() == self.GARBAGE
        assert not [n for n in os.listdir(store_path.parent) if "corrompu" in n]


class TestExport:
    def test_export_writes_a_valid_submission_of_latest_answers(self, store_path, tmp_path):
        """The exported file reads back as a submission with the latest answer per case."""
        store = Store()
        store.record(answer(case="a", axes=("DEV",)))
        store.record(answer(case="a", axes=("DEV", "ORG"), attempts=2, justification="<b>x</b>"))
        out = store.export(tmp_path / "remise.json", "Camille")
        sub = read_submission(out)
        assert sub.learner == "Camille"
        assert [(a.case, a.axes, a.attempts, a.justification) for a in sub.answers] == \
            [("a", ("DEV", "ORG"), 2, "<b>x</b>")]

    def test_export_of_an_empty_store_says_so(self, store_path, tmp_path):
        """Nothing answered yet: NothingToExport, in French, and no file written."""
        with pytest.raises(progress.NothingToExport, match="aucune réponse"):
            Store().export(tmp_path / "remise.json", "Camille")
        assert not (tmp_path / "remise.json").exists()


class TestUnreadableStore:
    @pytest.mark.parametrize("exc, french", [
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "c'est un dossier"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission refusée"),
        (OSError(errno.EIO, "Input/output error"), "erreur du système (EIO)"),
    ])
    def test_os_errors_are_told_in_french(self, store_path, monkeypatch, exc, french):
        """A file that cannot be read gives a French reason, never the system's English one."""
        store_path.parent.mkdir(parents=True)
        store_path.write_text("{}", encoding="utf-8")

        def refuse(*args, **kwargs):
            raise exc

        monkeypatch.setattr(progress, "read_regular", refuse)
        with pytest.raises(ProgressError) as info:
            Store(repair=False)
        assert french in info.value.reason and exc.strerror not in info.value.reason

    def test_a_store_that_cannot_be_read_now_is_never_set_aside(self, store_path, monkeypatch):
        """A passing read error (permission, I/O) is not damage: even in repair mode the file stays."""
        Store().record(answer())
        before = store_path.read_bytes()

        def refuse(*args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr(progress, "read_regular", refuse)
        with pytest.raises(ProgressError):
            Store(quiet=True)
        monkeypatch.undo()
        assert store_path.read_bytes() == before
        assert not [p for p in store_path.parent.iterdir() if "corrompu" in p.name]

    def test_a_folder_in_place_of_the_store_is_named_as_such(self, store_path):
        """OCKIT_PROGRESS naming a folder: « c'est un dossier », not « Is a directory »."""
        store_path.mkdir(parents=True)
        with pytest.raises(ProgressError) as info:
            Store()
        assert "c'est un dossier" in info.value.reason and "directory" not in info.value.reason


class TestQuizAnswers:
    def quiz(self, question="q1", response="B", correct=False, attempts=1):
        return QuizAnswer("mon-quiz", question, response, correct, attempts, now_iso())

    def test_a_store_written_before_quizzes_still_loads(self, store_path):
        """An old store (no quiz key) loads; recording a quiz check keeps its case attempts."""
        old = answer(case="a")
        store_path.parent.mkdir(parents=True)
        store_path.write_text(json.dumps({"format": FORMAT, "attempts": [old.to_dict()]}), encoding="utf-8")
        store = Store()
        assert store.attempts() == [old] and store.quiz_answers("mon-quiz") == {}
        store.record_quiz(self.quiz())
        assert Store(store_path).attempts() == [old]
        assert json.loads(store_path.read_text(encoding="utf-8"))["format"] == FORMAT

    def test_case_and_quiz_records_keep_each_other(self, store_path):
        """A case save keeps quiz checks and a quiz save keeps case attempts, latest check wins."""
        store = Store()
        store.record_quiz(self.quiz(response="A"))
        store.record(answer(case="a"))
        store.record_quiz(self.quiz(response="B", correct=True, attempts=2))
        store.record_quiz(self.quiz(question="q2", response=["x", "y"]))
        fresh = Store(store_path)
        assert [a.case for a in fresh.attempts()] == ["a"]
        saved = fresh.quiz_answers("mon-quiz")
        assert (saved["q1"].response, saved["q1"].correct, saved["q1"].attempts) == ("B", True, 2)
        assert saved["q2"].response == ["x", "y"] and fresh.quiz_answers("autre") == {}

    def test_case_only_store_is_written_as_before(self, store_path):
        """Without any quiz check, the file holds only format and attempts."""
        Store().record(answer(case="a"))
        assert sorted(json.loads(store_path.read_text(encoding="utf-8"))) == ["attempts", "format"]

    def test_malformed_quiz_items_are_skipped_but_kept(self, store_path):
        """A quiz item the kit does not understand is not restored, and not dropped at the next save."""
        store_path.parent.mkdir(parents=True)
        odd = {"quiz": "mon-quiz", "question": 3}
        store_path.write_text(json.dumps({"format": FORMAT, "attempts": [], "quiz_attempts": [odd]}),
                              encoding="utf-8")
        store = Store()
        assert store.quiz_answers("mon-quiz") == {}
        store.record(answer(case="a"))
        assert json.loads(store_path.read_text(encoding="utf-8"))["quiz_attempts"] == [odd]
