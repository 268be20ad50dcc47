"""The progress store, treated as untrusted: bad attempts among good ones, stores that are not
files, stores that cannot be written. Nothing already saved is ever lost."""

from __future__ import annotations

import errno
import json
import os

import pytest

from ockit import progress
from ockit.progress import FORMAT, ProgressError, Store, StoreNotWritable
from ockit.submission import SubmittedAnswer, now_iso


def answer(case="info-alimentaire", axes=("ORG",), **kw):
    return SubmittedAnswer(case=case, axes=tuple(axes), answered_at=now_iso(), **kw)


GOOD = [answer(case="a").to_dict(), answer(case="b", axes=("DEV", "DSS")).to_dict()]
BAD_ATTEMPTS = {
    "not-an-object": 3,
    "no-case": {"axes": ["ORG"]},
    "axis-code": {"case": "a", "axes": ["ZQX"]},
    "axes-not-a-list": {"case": "a", "axes": "ORG"},
    "approach-list": {"case": "a", "axes": ["ORG"], "approach": ["SOCIOPOL"]},
    "attempts-zero": {"case": "a", "axes": ["ORG"], "attempts": 0},
    "attempts-bool": {"case": "a", "axes": ["ORG"], "attempts": True},
    "justification-number": {"case": "a", "axes": ["ORG"], "justification": 12},
    "surrogate": {"case": "a", "axes": ["ORG"], "justification": "\ud800"},
    "case-control": {"case": "a\x1b", "axes": ["ORG"]},
    "too-long": {"case": "a", "axes": ["ORG"], "justification": "x" * 20001},
}


def _store_text(attempts, quiz=None):
    data = {"format": FORMAT, "attempts": attempts}
    if quiz is not None:
        data["quiz_attempts"] = quiz
    return json.dumps(data, ensure_ascii=True)  # \ud800 stays an escape, as another program would write it


class TestBadAttempts:
    @pytest.mark.parametrize("name", list(BAD_ATTEMPTS))
    def test_good_attempts_are_kept_and_a_copy_is_set_aside(self, store_path, name):
        """One bad attempt among good ones: the good ones stay, a French warning says so, the bytes are kept aside."""
        store_path.parent.mkdir(parents=True)
        original = _store_text([GOOD[0], BAD_ATTEMPTS[name], GOOD[1]])
        store_path.write_text(original, encoding="utf-8")
        with pytest.warns(UserWarning):
            store = Store()
        assert [a.case for a in store.attempts()] == ["a", "b"]
        assert "n'a pas pu être lu" in store.warning and str(store.aside) in store.warning
        assert store.aside.read_text(encoding="utf-8") == original  # nothing lost
        store.record(answer(case="c"))
        assert [a.case for a in Store(store_path).attempts()] == ["a", "b", "c"]

    @pytest.mark.parametrize("name", list(BAD_ATTEMPTS))
    def test_read_only_use_keeps_the_good_attempts_and_touches_nothing(self, store_path, name):
        store_path.parent.mkdir(parents=True)
        original = _store_text([GOOD[0], BAD_ATTEMPTS[name]])
        store_path.write_text(original, encoding="utf-8")
        store = Store(repair=False, quiet=True)
        assert [a.case for a in store.answers()] == ["a"] and "n'a pas été modifié" in store.warning
        assert store_path.read_text(encoding="utf-8") == original
        assert sorted(p.name for p in store_path.parent.iterdir()) == ["progress.json"]

    def test_an_unwritable_quiz_item_is_left_out_but_kept_aside(self, store_path):
        store_path.parent.mkdir(parents=True)
        good_quiz = {"quiz": "q", "question": "q1", "response": "A", "correct": True}
        store_path.write_text(_store_text(GOOD, [good_quiz, {"quiz": "q", "response": "\udc00"}]), encoding="utf-8")
        store = Store(quiet=True)
        assert set(store.quiz_answers("q")) == {"q1"} and store.aside is not None
        store.record(answer(case="c"))
        assert [a.case for a in Store(store_path).attempts()] == ["a", "b", "c"]

    @pytest.mark.parametrize("content", ["[" * 100_000, '{"format": "ockit-progress/1", "attempts": ' + "[" * 50_000])
    def test_deeply_nested_json_is_damage_not_a_crash(self, store_path, content):
        store_path.parent.mkdir(parents=True)
        store_path.write_text(content, encoding="utf-8")
        store = Store(quiet=True)
        assert store.aside.read_text(encoding="utf-8") == content and store.answers() == []


BAD_SETTINGS = {
    "not-a-mapping": ["workshop.next_case", "adaptive"],
    "number-value": {"workshop.next_case": 3},
    "nested-value": {"workshop.next_case": {"mode": "adaptive"}},
    "long-value": {"workshop.next_case": "x" * 201},
    "control-in-name": {"workshop\x1b.next_case": "adaptive"},
    "surrogate-value": {"workshop.next_case": "\ud800"},
}


class TestBadSettings:
    @pytest.mark.parametrize("name", list(BAD_SETTINGS))
    def test_bad_settings_keep_every_answer_and_a_copy(self, store_path, name):
        """A mangled settings record: attempts and quiz answers stay, a copy is set aside, a French warning says so."""
        store_path.parent.mkdir(parents=True)
        quiz = [{"quiz": "q", "question": "q1", "response": "A", "correct": True}]
        data = json.loads(_store_text(GOOD, quiz))
        data["settings"] = BAD_SETTINGS[name]
        original = json.dumps(data, ensure_ascii=True)
        store_path.write_text(original, encoding="utf-8")
        store = Store(quiet=True)
        assert "réglage" in store.warning and str(store.aside) in store.warning
        assert store.aside.read_text(encoding="utf-8") == original  # nothing lost
        assert [a.case for a in store.attempts()] == ["a", "b"] and set(store.quiz_answers("q")) == {"q1"}
        assert store.setting("workshop.next_case", "order") == "order"
        store.remember("workshop.next_case", "adaptive")
        again = Store(store_path)
        assert again.setting("workshop.next_case") == "adaptive" and again.warning is None
        assert [a.case for a in again.attempts()] == ["a", "b"]

    def test_settings_survive_answers_and_unknown_ones_are_kept(self, store_path):
        """A saved choice survives later checks, and a setting this version does not know is not dropped."""
        store_path.parent.mkdir(parents=True)
        data = json.loads(_store_text(GOOD))
        data["settings"] = {"a.future.setting": "on"}
        store_path.write_text(json.dumps(data), encoding="utf-8")
        store = Store()
        store.remember("workshop.next_case", "adaptive")
        store.record(answer(case="c"))
        store.record_quiz(progress.QuizAnswer("q", "q1", "A", True))
        saved = json.loads(store_path.read_text(encoding="utf-8"))["settings"]
        assert saved == {"a.future.setting": "on", "workshop.next_case": "adaptive"}

    def test_a_store_without_settings_is_written_as_before(self, store_path):
        Store().record(answer(case="a"))
        assert "settings" not in json.loads(store_path.read_text(encoding="utf-8"))

    @pytest.mark.parametrize("value", [3, "x" * 201, "\x00"])
    def test_remember_refuses_what_could_not_be_read_back(self, store_path, value):
        with pytest.raises(ValueError):
            Store().remember("workshop.next_case", value)
        assert not store_path.exists()


class TestNotAFile:
    @pytest.mark.parametrize("kind", ["fifo", "device"])
    def test_a_store_that_is_not_a_regular_file_is_refused_without_hanging(self, store_path, kind):
        """OCKIT_PROGRESS naming a FIFO or a device: a French reason with a remedy, never opened."""
        store_path.parent.mkdir(parents=True)
        if kind == "fifo":
            os.mkfifo(store_path)
        else:
            store_path.symlink_to("/dev/zero")
        for repair in (True, False):
            with pytest.raises(ProgressError) as info:
                Store(repair=repair, quiet=True)
            assert "fichier ordinaire" in info.value.reason and "OCKIT_PROGRESS" in info.value.reason
        assert store_path.is_fifo() or store_path.is_symlink()  # left as it was

    def test_a_fifo_in_place_of_the_lock_file_does_not_hang_a_save(self, store_path):
        Store().record(answer(case="a"))
        lock = store_path.with_name(store_path.name + ".lock")
        lock.unlink()
        os.mkfifo(lock)
        with pytest.raises(StoreNotWritable) as info:
            Store(repair=False).record(answer(case="b"))
        assert "Vos réponses déjà enregistrées restent lisibles" in info.value.reason
        assert [a.case for a in Store(store_path, repair=False).attempts()] == ["a"]


class TestCannotWrite:
    @pytest.mark.parametrize("error, french", [(errno.EACCES, "permission refusée"), (errno.ENOSPC, "plus d'espace"),
                                               (errno.EROFS, "lecture seule")])
    def test_a_failed_save_says_why_and_what_to_do_and_reading_still_works(self, store_path, monkeypatch, error, french):
        """The save fails in French, with a remedy; the earlier answers still read, in repair mode too."""
        Store().record(answer(case="a"))
        before = store_path.read_bytes()
        real_open = os.open

        def refuse(path, flags, *args):
            if str(path).endswith(".lock") or flags & os.O_CREAT:
                raise OSError(error, os.strerror(error), str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(progress.os, "open", refuse)
        store = Store(quiet=True)  # repair mode reads without the lock it cannot take
        assert [a.case for a in store.attempts()] == ["a"]
        with pytest.raises(StoreNotWritable) as info:
            store.record(answer(case="b"))
        assert french in info.value.reason and "OCKIT_PROGRESS" in info.value.reason
        assert isinstance(info.value, OSError)  # callers that catch OSError still do
        monkeypatch.undo()
        assert store_path.read_bytes() == before
