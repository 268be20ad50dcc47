"""A learner's answers, saved durably after every check and exported as a submission.

The store is a small versioned JSON file (`{"format": "ockit-progress/1", "attempts": [...]}`)
that keeps every attempt, never just the last, so nothing a learner did is ever lost. Quiz
checks go under an optional key, `"quiz_attempts": [...]` (see `QuizAnswer`); a store without it
(written before quizzes were saved) loads as before, and that key is never exported: the
submission (ockit-submission/1) holds case answers only. A learner's choices in the widgets
(e.g. how the workshop picks the next case) go under another optional key, `"settings": {name:
value}`, strings only; they are never exported either. Every
save rewrites the file atomically (temporary file, fsync, rename), so a crash or a kernel
restart leaves either the old file or the new one, never half of one. A store that cannot be
read is renamed aside, bytes untouched, and a fresh one is started with a French warning. A
store whose JSON is valid but some of whose attempts are not (another program wrote them, an
editor mangled one) keeps its good attempts: a copy of the file is set aside first, bytes
untouched, and the warning says how many were left out. The store is read like any file from
outside (ockit.safeio): a FIFO or a device in its place is refused without being opened, so
nothing hangs. A store that cannot be written says so in French, with what to do, and earlier
answers can still be read.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import stat
import threading
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .atomic import atomic_write_text
from .safeio import UnsafeFileError, clean_text, read_regular
from .submission import SubmissionError, SubmittedAnswer, make_submission, parse_answer, write_submission

FORMAT = "ockit-progress/1"
ENV = "OCKIT_PROGRESS"
ASIDE = "corrompu"
QUIZ_KEY = "quiz_attempts"
SETTINGS_KEY = "settings"
SETTING_MAX_CHARS = 200  # a setting is a name or a code, never a text
MAX_STORE_BYTES = 100_000_000  # years of checks; beyond this the file is not a store
WRITE_REMEDY = ("Vérifiez que vous pouvez écrire dans le dossier {folder} (permissions, espace "
                "disque, disque en lecture seule), ou choisissez un autre fichier avec la variable "
                "OCKIT_PROGRESS. Vos réponses déjà enregistrées restent lisibles.")

log = logging.getLogger(__name__)

# One lock per store file: several Store objects (one per widget) may share a file in a kernel.
_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


class ProgressError(ValueError):
    """The progress store cannot be used; `path` is the file, `reason` says why, in French.

    `damaged` is True when the file was read but its content is not a progress store (bad
    JSON, another format): a widget can set such a file aside. False when it could not be read.
    """

    def __init__(self, path, reason: str, *, damaged: bool = False):
        self.path = Path(path)
        self.reason = reason
        self.damaged = damaged
        super().__init__(f"{self.path} : {reason}")


class StoreNotWritable(ProgressError, OSError):
    """The store cannot be saved (permissions, full or read-only disk); `reason` gives the remedy.

    Also an OSError, as the failed write it reports.
    """


class NothingToExport(ProgressError):
    """The store holds no answer, so there is no submission to write."""


@dataclass(frozen=True)
class QuizAnswer:
    """One quiz check, kept in the store only (never in a submission).

    `response` is what the learner chose, by text so it survives a reordered quiz file: a
    choice (single), a list of choices (multiple) or {left: right} (matching). `correct` is
    None for a check saved in exam mode (`ockit.exam`), which keeps correctness out of the file.
    """

    quiz: str
    question: str
    response: object
    correct: bool | None
    attempts: int = 1
    answered_at: str | None = None

    def to_dict(self) -> dict:
        return {"quiz": self.quiz, "question": self.question, "response": self.response,
                "correct": self.correct, "attempts": self.attempts, "answered_at": self.answered_at}

    @classmethod
    def from_dict(cls, item) -> "QuizAnswer | None":
        """Return the QuizAnswer in a stored item, or None when the item is not one."""
        if not isinstance(item, dict):
            return None
        quiz, question, attempts = item.get("quiz"), item.get("question"), item.get("attempts", 1)
        if not (isinstance(quiz, str) and isinstance(question, str) and attempts.__class__ is int
                and attempts >= 1 and (item.get("correct") is None or isinstance(item.get("correct"), bool))):
            return None
        answered_at = item.get("answered_at")
        return cls(quiz, question, item.get("response"), item["correct"], attempts,
                   answered_at if isinstance(answered_at, str) else None)


def default_path() -> Path:
    """Return $OCKIT_PROGRESS, else progress.json in the user's data folder for ockit."""
    env = os.environ.get(ENV)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("ockit", appauthor=False)) / "progress.json"


def read_attempts(path) -> list[SubmittedAnswer]:
    """Return every attempt in the store at `path`, oldest first ([] if the file does not exist).

    Raises:
        ProgressError: the file cannot be read, is not JSON, or is not an ockit-progress/1 store.
    """
    return read_store(path)[0]


def read_store(path) -> tuple[list[SubmittedAnswer], list]:
    """Return (case attempts, stored quiz items) of the store at `path`; ([], []) if it does not exist.

    Quiz items are returned as stored (dicts), so a save keeps them byte for byte; read them
    with `QuizAnswer.from_dict`. Attempts that cannot be read are left out (see `read_store_checked`).

    Raises:
        ProgressError: the file cannot be read, is not JSON, or is not an ockit-progress/1 store.
    """
    attempts, quiz, _ = read_store_checked(path)
    return attempts, quiz


def read_store_checked(path) -> tuple[list[SubmittedAnswer], list, list[str]]:
    """Return (case attempts, quiz items, French reasons of the items left out) of a store.

    Raises:
        ProgressError: as `read_store`.
    """
    attempts, quiz, _, skipped = _read_contents(Path(path))
    return attempts, quiz, skipped


def _read_contents(path: Path) -> tuple[list[SubmittedAnswer], list, dict[str, str], list[str]]:
    """(case attempts, quiz items, settings, French reasons of the items left out) of a store."""
    try:
        raw = read_regular(path, limit=MAX_STORE_BYTES)
    except FileNotFoundError:
        return [], [], {}, []
    except UnsafeFileError as exc:
        too_big = "volumineux" in exc.reason
        raise ProgressError(path, f"{exc.reason}." + ("" if too_big else
                                  " Donnez à la variable OCKIT_PROGRESS le chemin d'un fichier "
                                  "ordinaire (il sera créé au besoin)."), damaged=too_big) from None
    except OSError as exc:
        from .oserrors import reason

        raise ProgressError(path, f"lecture impossible ({reason(exc)}).") from None
    return _parse(path, raw)


def _parse(path: Path, raw: bytes) -> tuple[list[SubmittedAnswer], list, dict[str, str], list[str]]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # bad UTF-8, bad JSON, or nested beyond the recursion limit
        raise ProgressError(path, "son contenu n'est pas du JSON valide.", damaged=True) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        if not isinstance(found, str):
            found = type(found).__name__
        from .safeio import display

        raise ProgressError(path, f"format « {display(found)[:60]} » non reconnu; attendu « {FORMAT} ».",
                            damaged=True)
    items = data.get("attempts")
    if not isinstance(items, list):
        raise ProgressError(path, "champ attempts absent : il faut une liste de tentatives.", damaged=True)
    quiz = data.get(QUIZ_KEY, [])  # absent from stores written before quizzes were saved
    if not isinstance(quiz, list):
        raise ProgressError(path, f"champ {QUIZ_KEY} : il faut une liste de réponses aux quiz.", damaged=True)
    attempts, skipped = [], []
    for i, item in enumerate(items, 1):
        try:
            attempts.append(parse_answer(item, path.name, i, None))
        except SubmissionError as exc:
            skipped.append(f"tentative {exc.reason}")
    kept_quiz = []
    for i, item in enumerate(quiz, 1):
        try:  # kept as stored, so it must be writable again as it is
            json.dumps(item, ensure_ascii=False).encode("utf-8")
        except (ValueError, RecursionError):
            skipped.append(f"réponse de quiz n° {i} : texte Unicode invalide.")
        else:
            kept_quiz.append(item)
    settings = _settings(data.get(SETTINGS_KEY, {}), skipped)
    return attempts, kept_quiz, settings, skipped


def _settings(found, skipped: list[str]) -> dict[str, str]:
    """The readable settings of a store ({name: value}, strings); the others are told in `skipped`.

    A setting this version does not know is kept as it is, so a newer kit's choices survive."""
    if not isinstance(found, dict):
        skipped.append(f"champ {SETTINGS_KEY} : il faut un dictionnaire de réglages "
                       f"(trouvé : {type(found).__name__}).")
        return {}
    kept = {}
    for name, value in found.items():
        if (isinstance(value, str) and len(name) <= SETTING_MAX_CHARS and len(value) <= SETTING_MAX_CHARS
                and clean_text(name) == name and clean_text(value) == value):
            kept[name] = value
        else:
            from .safeio import display

            skipped.append(f"réglage « {display(name)[:60]} » : il faut un texte court.")
    return kept


def latest(attempts) -> list[SubmittedAnswer]:
    """Return the latest attempt per case, cases in the order they were first answered."""
    by_case: dict[str, SubmittedAnswer] = {}
    for attempt in attempts:
        by_case[attempt.case] = attempt  # keeps the first-seen position, takes the latest value
    return list(by_case.values())


def _serialize(attempts, quiz=(), settings=None) -> str:
    data = {"format": FORMAT, "attempts": [a.to_dict() for a in attempts]}
    if quiz:  # a store with no quiz answer is written exactly as before
        data[QUIZ_KEY] = list(quiz)
    if settings:  # likewise without settings
        data[SETTINGS_KEY] = dict(settings)
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
def _locked(path: Path, *, required: bool = True):
    """Hold the store's lock: a thread lock, plus an OS lock on a side file where available.

    The OS lock keeps two kernels (two notebooks open at once) from overwriting each other's
    attempts; each save re-reads the file under the lock before adding to it. The side file is
    opened without blocking and only if it is a regular file. When it cannot be made (a
    read-only folder), a save raises ProgressError with a remedy, and a read (`required=False`)
    goes on without it: earlier answers stay readable.
    """
    with _thread_lock(path):
        try:
            import fcntl
        except ImportError:  # Windows: the thread lock alone
            yield
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path.with_name(path.name + ".lock"),
                         os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0),
                         0o600)
        except OSError as exc:
            if not required:
                yield
                return
            raise _write_error(path, exc) from None
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StoreNotWritable(path, f"{path.name}.lock n'est pas un fichier ordinaire. "
                                          + WRITE_REMEDY.format(folder=path.parent))
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def _write_error(path: Path, exc: OSError) -> ProgressError:
    from .oserrors import reason

    return StoreNotWritable(path, f"impossible d'enregistrer vos réponses ({reason(exc)}). "
                               + WRITE_REMEDY.format(folder=path.parent))


def _save(path: Path, text: str) -> None:
    try:
        atomic_write_text(path, text)
    except ProgressError:
        raise
    except OSError as exc:
        raise _write_error(path, exc) from None


class Store:
    """A learner's progress file: every attempt kept, the latest per case exported.

    Args:
        path: the JSON file (default: `default_path()`).
        repair: when True (widgets), a corrupt file is renamed aside and a fresh store started,
            with `warning` set. When False (the CLI), it raises ProgressError and touches nothing.
        quiet: when False, setting a file aside also issues `warning` as a UserWarning (for
            callers that show nothing themselves); widgets pass True and show it in French.

    Attributes:
        warning: the French warning about the last file set aside, or None.
        aside: the path of that file, or None.
    """

    def __init__(self, path=None, *, repair: bool = True, quiet: bool = False):
        self.path = Path(path) if path is not None else default_path()
        self.repair = repair
        self.quiet = quiet
        self.warning: str | None = None
        self.aside: Path | None = None
        self.last_handin: Path | None = None  # set by export() when a hand-in folder is set
        with self._reading():
            self._read()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def _reading(self):
        # Saves are atomic renames, so a plain read never sees half a file; the lock is only
        # needed when a read may set a corrupt file aside. Read-only use creates no lock file.
        return _locked(self.path, required=False) if self.repair else nullcontext()

    def _read(self) -> list[SubmittedAnswer]:
        """Read the attempts; in repair mode a corrupt file is set aside. Call under the lock."""
        return self._read_all()[0]

    def _read_all(self) -> tuple[list[SubmittedAnswer], list, dict[str, str]]:
        """Read attempts, quiz items and settings; in repair mode a corrupt file is set aside.
        Call under the lock."""
        try:
            attempts, quiz, settings, skipped = _read_contents(self.path)
        except ProgressError as exc:
            if not self.repair or not exc.damaged or not self.path.is_file():
                raise  # a file that cannot be read right now is never set aside
            self._set_aside(exc)
            return [], [], {}
        if skipped:
            self._keep_good(attempts, quiz, settings, skipped)
        return attempts, quiz, settings

    def _keep_good(self, attempts, quiz, settings, skipped) -> None:
        """Some items of a valid store cannot be read: keep the others, and in repair mode set a
        copy of the file aside (bytes untouched) before rewriting it with the good ones only."""
        count = len(skipped)
        what = (f"{count} élément{'s' if count > 1 else ''} de votre fichier de progression, "
                f"{self.path}, n'{'ont' if count > 1 else 'a'} pas pu être lu{'s' if count > 1 else ''} "
                f"({skipped[0].rstrip(' .')}{'; …' if count > 1 else ''})")
        if self.repair:
            aside = _aside_path(self.path)
            try:
                shutil.copyfile(self.path, aside)
            except OSError as exc:
                raise _write_error(self.path, exc) from None
            self.aside = aside
            self.warning = (f"{what}. Vos autres réponses sont gardées. Une copie intacte du fichier "
                            f"a été mise de côté sous le nom {aside}; montrez-la à votre enseignant·e "
                            "pour récupérer ce qui manque.")
            _save(self.path, _serialize(attempts, quiz, settings))
        else:
            self.warning = f"{what}. Vos autres réponses sont gardées; le fichier n'a pas été modifié."
        log.debug("progress store %s: %d unreadable items", self.path, count)
        if not self.quiet:
            warnings.warn(self.warning, UserWarning, stacklevel=5)

    def _set_aside(self, exc: ProgressError) -> None:
        aside = _aside_path(self.path)
        try:
            os.replace(self.path, aside)
        except OSError as error:
            raise _write_error(self.path, error) from None
        self.aside = aside  # said before the fresh store is written, in case that write fails
        why = exc.reason.rstrip(" .")
        self.warning = (f"Votre fichier de progression, {self.path}, n'a pas pu être lu : {why}. "
                        f"Il a été mis de côté sans modification sous le nom {aside}, et un nouveau "
                        "fichier de progression a été commencé : vos prochaines réponses y seront "
                        "enregistrées. Pour récupérer les anciennes, montrez le fichier mis de côté "
                        "à votre enseignant·e.")
        log.debug("corrupt progress store %s moved to %s: %s", self.path, aside, exc.reason)
        _save(self.path, _serialize([]))
        if not self.quiet:
            warnings.warn(self.warning, UserWarning, stacklevel=4)

    def record(self, answer: SubmittedAnswer) -> None:
        """Add one attempt and save the store at once, atomically.

        The file is re-read under a lock first, so attempts saved meanwhile by another Store
        on the same file (another widget, another kernel) are kept.
        """
        if not isinstance(answer, SubmittedAnswer):
            raise TypeError(f"record() attend un SubmittedAnswer, pas {type(answer).__name__}")
        if answer.justification and clean_text(answer.justification) != answer.justification:
            # A lone surrogate (from a browser) could not be encoded; a control character would
            # be refused on reading: replaced by U+FFFD, the rest of the text is kept.
            from dataclasses import replace

            answer = replace(answer, justification=clean_text(answer.justification))
        with _locked(self.path):
            attempts, quiz, settings = self._read_all()
            attempts.append(answer)
            _save(self.path, _serialize(attempts, quiz, settings))

    def record_quiz(self, answer: QuizAnswer) -> None:
        """Add one quiz check and save the store at once, atomically, like `record`.

        Case attempts are kept as they are, so what `export` writes does not change.
        """
        if not isinstance(answer, QuizAnswer):
            raise TypeError(f"record_quiz() attend un QuizAnswer, pas {type(answer).__name__}")
        item = answer.to_dict()
        try:
            json.dumps(item, ensure_ascii=False).encode("utf-8")
        except ValueError:  # a lone surrogate in a choice's text: not writable
            raise ProgressError(self.path, "cette réponse contient un texte Unicode invalide : "
                                           "elle n'a pas été enregistrée.") from None
        with _locked(self.path):
            attempts, quiz, settings = self._read_all()
            quiz.append(item)
            _save(self.path, _serialize(attempts, quiz, settings))

    def setting(self, name: str, default: str | None = None) -> str | None:
        """Return a learner's saved choice (a short string), or `default` when none is saved."""
        with self._reading():
            return self._read_all()[2].get(name, default)

    def remember(self, name: str, value: str) -> None:
        """Save a learner's choice (a short string) at once, atomically, like `record`.

        Nothing is written when the same value is saved already."""
        if not (isinstance(name, str) and isinstance(value, str) and len(name) <= SETTING_MAX_CHARS
                and len(value) <= SETTING_MAX_CHARS and clean_text(name) == name and clean_text(value) == value):
            raise ValueError(f"remember() attend un nom et une valeur de texte court, pas {name!r} = {value!r}")
        with _locked(self.path):
            attempts, quiz, settings = self._read_all()
            if settings.get(name) == value:
                return
            settings[name] = value
            _save(self.path, _serialize(attempts, quiz, settings))

    def quiz_answers(self, quiz_id: str) -> dict[str, QuizAnswer]:
        """Return the latest saved check of each question of one quiz, by question id."""
        with self._reading():
            items = self._read_all()[1]
        found: dict[str, QuizAnswer] = {}
        for item in items:
            answer = QuizAnswer.from_dict(item)
            if answer is not None and answer.quiz == quiz_id:
                found[answer.question] = answer
        return found

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

    def export(self, out, learner: str, *, handin=None) -> Path:
        """Write the latest answer per case as a submission file (ockit-submission/1).

        When a hand-in folder is set (`handin`, else $OCKIT_HANDIN), the same submission is
        also handed in there as a new file (`ockit.handin.hand_in`); its path is kept in
        `self.last_handin`. `out` may then be None: only the hand-in is written, and returned.

        Raises:
            NothingToExport: the store holds no answer yet.
            ProgressError: the store cannot be read (repair=False).
            HandinError: the hand-in folder cannot take the file (`out` is written already).
        """
        from .handin import hand_in, handin_folder

        answers = self.answers()
        if not answers:
            raise NothingToExport(self.path, "aucune réponse enregistrée pour l'instant : faites "
                                             "au moins un exercice (bouton « Vérifier ») avant "
                                             "d'exporter votre remise.")
        learner = (learner or "").strip()
        if not learner:
            raise ValueError("Indiquez un nom ou un numéro d'étudiant·e pour la remise.")
        submission = make_submission(learner, answers)
        folder = handin_folder(handin)
        self.last_handin = None
        if out is None and folder is None:
            raise ValueError("Indiquez le fichier de remise à écrire (aucun dossier de remise défini).")
        written = write_submission(submission, out) if out is not None else None
        if folder is not None:
            self.last_handin = hand_in(submission, folder)
        from .exam import note_handin

        note_handin(self, written or self.last_handin)  # in exam mode, corrections show from now on
        return written if written is not None else self.last_handin
