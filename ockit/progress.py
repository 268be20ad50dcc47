"""A learner's answers, saved durably after every check and exported as a submission.

The store is a small versioned JSON file (`{"format": "ockit-progress/1", "attempts": [...]}`)
that keeps every attempt, never just the last, so nothing a learner did is ever lost. Every
save rewrites the file atomically (temporary file, fsync, rename), so a crash or a kernel
restart leaves either the old file or the new one, never half of one. A store that cannot be
read is renamed aside, bytes untouched, and a fresh one is started with a French warning.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import warnings
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

from .submission import SubmissionError, SubmittedAnswer, _answer, make_submission, write_submission

FORMAT = "ockit-progress/1"
ENV = "OCKIT_PROGRESS"
ASIDE = "corrompu"

log = logging.getLogger(__name__)

# One lock per store file: several Store objects (one per widget) may share a file in a kernel.
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class ProgressError(ValueError):
    """The progress store cannot be used; `path` is the file, `reason` says why, in French."""

    def __init__(self, path, reason: str):
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"{self.path} : {reason}")


class NothingToExport(ProgressError):
    """The store holds no answer, so there is no submission to write."""


def default_path() -> Path:
    """Return $OCKIT_PROGRESS, else progress.json in the user's data folder for ockit."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("ockit", appauthor=False)) / "progress.json"


def atomic_write_text(path, text: str) -> None:
    """Write `text` (UTF-8) to `path` so that readers see the old file or the new one, never a mix.

    The text goes to a temporary file in the same folder, is flushed and fsynced, then renamed
    over `path` with os.replace. If anything fails, the temporary file is removed and the
    previous file is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the directory entry is on disk (POSIX).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def read_attempts(path) -> list[SubmittedAnswer]:
    """Return every attempt in the store at `path`, oldest first ([] if the file does not exist).

    Raises:
        ProgressError: the file cannot be read, is not JSON, or is not an ockit-progress/1 store.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise ProgressError(path, f"fichier de progression illisible ({exc.strerror or exc}).") from None
    return _parse(path, raw)


def _parse(path: Path, raw: bytes) -> list[SubmittedAnswer]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ProgressError(path, "le fichier de progression n'est pas du JSON valide.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise ProgressError(path, f"format « {found} » non reconnu; attendu « {FORMAT} ».")
    items = data.get("attempts")
    if not isinstance(items, list):
        raise ProgressError(path, "champ attempts absent : il faut une liste de tentatives.")
    try:
        return [_answer(item, path.name, i, None) for i, item in enumerate(items, 1)]
    except SubmissionError as exc:
        raise ProgressError(path, exc.reason) from None


def latest(attempts) -> list[SubmittedAnswer]:
    """Return the latest attempt per case, cases in the order they were first answered."""
    by_case: dict[str, SubmittedAnswer] = {}
    for attempt in attempts:
        by_case[attempt.case] = attempt  # keeps the first-seen position, takes the latest value
    return list(by_case.values())


def _serialize(attempts) -> str:
    data = {"format": FORMAT, "attempts": [a.to_dict() for a in attempts]}
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _aside_path(path: Path) -> Path:
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    candidate = path.with_name(f"{path.name}.{ASIDE}-{stamp}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.{ASIDE}-{stamp}-{n}")
        n += 1
    return candidate


def _thread_lock(path: Path) -> threading.Lock:
    key = os.path.abspath(path)
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


@contextmanager
def _locked(path: Path):
    """Hold the store's lock: a thread lock, plus an OS lock on a side file where available.

    The OS lock keeps two kernels (two notebooks open at once) from overwriting each other's
    attempts; each save re-reads the file under the lock before adding to it.
    """
    with _thread_lock(path):
        try:
            import fcntl
        except ImportError:  # Windows: the thread lock alone
            yield
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path.with_name(path.name + ".lock"), "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


class Store:
    """A learner's progress file: every attempt kept, the latest per case exported.

    Args:
        path: the JSON file (default: `default_path()`).
        repair: when True (widgets), a corrupt file is renamed aside and a fresh store started,
            with `warning` set and a `UserWarning` issued. When False (the CLI), it raises
            ProgressError and touches nothing.

    Attributes:
        warning: the French warning about the last file set aside, or None.
        aside: the path of that file, or None.
    """

    def __init__(self, path=None, *, repair: bool = True):
        self.path = Path(path) if path is not None else default_path()
        self.repair = repair
        self.warning: str | None = None
        self.aside: Path | None = None
        with self._reading():
            self._read()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _reading(self):
        # Saves are atomic renames, so a plain read never sees half a file; the lock is only
        # needed when a read may set a corrupt file aside. Read-only use creates no lock file.
        return _locked(self.path) if self.repair else nullcontext()

    def _read(self) -> list[SubmittedAnswer]:
        """Read the attempts; in repair mode a corrupt file is set aside. Call under the lock."""
        try:
            return read_attempts(self.path)
        except ProgressError as exc:
            if not self.repair or not self.path.is_file():
                raise
            self._set_aside(exc)
            return []

    def _set_aside(self, exc: ProgressError) -> None:
        aside = _aside_path(self.path)
        os.replace(self.path, aside)
        atomic_write_text(self.path, _serialize([]))
        self.aside = aside
        self.warning = (f"Votre fichier de progression était illisible ({exc.reason}) : il a été "
                        f"mis de côté, intact, sous le nom « {aside.name} », et un nouveau fichier "
                        "a été commencé. Vos prochaines réponses y seront enregistrées. "
                        "Montrez l'ancien fichier à votre enseignant·e si vous voulez le récupérer.")
        log.warning("corrupt progress store %s moved to %s: %s", self.path, aside, exc.reason)
        warnings.warn(self.warning, UserWarning, stacklevel=4)

    def record(self, answer: SubmittedAnswer) -> None:
        """Add one attempt and save the store at once, atomically.

        The file is re-read under a lock first, so attempts saved meanwhile by another Store
        on the same file (another widget, another kernel) are kept.
        """
        if not isinstance(answer, SubmittedAnswer):
            raise TypeError(f"record() attend un SubmittedAnswer, pas {type(answer).__name__}")
        with _locked(self.path):
            attempts = self._read()
            attempts.append(answer)
            atomic_write_text(self.path, _serialize(attempts))

    def attempts(self) -> list[SubmittedAnswer]:
        """Return every attempt saved, oldest first."""
        with self._reading():
            return self._read()

    def answers(self) -> list[SubmittedAnswer]:
        """Return the latest attempt per case, in the order the cases were first answered."""
        return latest(self.attempts())

    def last(self, case_id: str) -> SubmittedAnswer | None:
        """Return the latest attempt for one case, or None."""
        found = None
        for attempt in self.attempts():
            if attempt.case == case_id:
                found = attempt
        return found

    def export(self, out, learner: str) -> Path:
        """Write the latest answer per case as a submission file (ockit-submission/1).

        Raises:
            NothingToExport: the store holds no answer yet.
            ProgressError: the store cannot be read (repair=False).
        """
        answers = self.answers()
        if not answers:
            raise NothingToExport(self.path, "aucune réponse enregistrée pour l'instant : faites "
                                             "au moins un exercice (bouton « Vérifier ») avant "
                                             "d'exporter votre remise.")
        learner = (learner or "").strip()
        if not learner:
            raise ValueError("Indiquez un nom ou un numéro d'étudiant·e pour la remise.")
        return write_submission(make_submission(learner, answers), out)
