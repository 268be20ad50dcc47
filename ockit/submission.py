"""The submission file a learner hands in (format `ockit-submission/1`), written and read.

The reader never trusts a file: every problem becomes a `SubmissionError` that names the file
and, where it applies, the answer and the field. It is bounded: a file is read only if it is a
regular file under MAX_FILE_BYTES, nested within Python's recursion limit, with every text valid
Unicode, free of control characters and within the lengths of the JSON schema beside this module
(`schemas/submission-1.json`, which documents the format for other tools). The writer holds
itself to the same limits, so what it writes always reads back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import permutations
from pathlib import Path

from .atomic import atomic_write_text
from .model import APPROACH_CODES, AXIS_CODES
from .safeio import BAD_IN_LINE, BAD_TEXT, bad_character, clean_text, has_surrogate

FORMAT = "ockit-submission/1"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "submission-1.json"
# The limits of the schema (maxLength, maxItems), in one place for the reader and the writer.
MAX_JUSTIFICATION = 20000
MAX_LEARNER = 200
MAX_SHORT = 100  # case id, kit_version, created, answered_at
MAX_ANSWERS = 2000
MAX_FILE_BYTES = 10_000_000  # 40 answers at the 20,000-character cap fit well under this


class SubmissionError(ValueError):
    """A submission file that cannot be used, with a French reason naming where."""

    def __init__(self, file, reason: str):
        self.file = str(file)
        self.reason = reason
        super().__init__(f"{self.file} : {reason}")


@dataclass(frozen=True)
class SubmittedAnswer:
    """One answer of a submission, as the learner gave it."""

    case: str
    axes: tuple[str, ...]
    approach: str | None = None
    justification: str | None = None
    attempts: int = 1
    answered_at: str | None = None

    def to_dict(self) -> dict:
        return {"case": self.case, "axes": list(self.axes), "approach": self.approach,
                "justification": self.justification, "attempts": self.attempts,
                "answered_at": self.answered_at}


@dataclass(frozen=True)
class Submission:
    """A learner's whole submission."""

    learner: str
    kit_version: str
    created: str
    answers: tuple[SubmittedAnswer, ...]
    file: str | None = None

    def to_dict(self) -> dict:
        return {"format": FORMAT, "learner": self.learner, "kit_version": self.kit_version,
                "created": self.created, "answers": [a.to_dict() for a in self.answers]}


def now_iso() -> str:
    """Return the local time as ISO 8601 with its UTC offset, to the second."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


def make_submission(learner: str, answers, kit_version: str | None = None) -> Submission:
    """Build a submission from answers (SubmittedAnswer or dicts of the same shape).

    Raises:
        SubmissionError: a learner name the reader would refuse (empty, over MAX_LEARNER
            characters, control characters), or an answer it would refuse.
    """
    from . import __version__

    learner = learner.strip() if isinstance(learner, str) else learner
    _check_learner(learner, "<remise>")
    items = tuple(parse_answer(_writable(a), "<remise>", i, known_cases=None) for i, a in enumerate(answers, 1))
    return Submission(learner=learner, kit_version=kit_version or __version__,
                      created=now_iso(), answers=items)


def _writable(answer) -> dict:
    """An answer as the writer keeps it: its justification cut at MAX_JUSTIFICATION characters,
    with what no file can carry (a lone surrogate, a control character) replaced by U+FFFD."""
    item = dict(answer.to_dict() if isinstance(answer, SubmittedAnswer) else answer)
    if isinstance(item.get("justification"), str):
        item["justification"] = clean_text(item["justification"][:MAX_JUSTIFICATION])
    return item


def write_submission(submission: Submission, out) -> Path:
    """Write a submission as UTF-8 JSON, atomically (a crash never leaves half a file)."""
    out = Path(out)
    atomic_write_text(out, json.dumps(submission.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return out


# The per-answer checks call the compiled searches directly: they run 40,000 times a report.
_bad_text = BAD_TEXT.search
_bad_in_line = BAD_IN_LINE.search
_AXES = frozenset(AXIS_CODES)
_APPROACHES = frozenset(APPROACH_CODES)


def _text_problem(value: str, limit: int, *, multiline: bool = False) -> str | None:
    """Why a text of a submission cannot be kept (French), or None."""
    if len(value) > limit:
        return f"texte trop long ({len(value)} caractères; limite : {limit})"
    return bad_character(value, multiline=multiline)


def _check_learner(learner, file) -> None:
    if learner is not None and not isinstance(learner, str):
        raise SubmissionError(file, "champ learner : il faut un texte (le nom ou le numéro de la personne).")
    if not isinstance(learner, str) or not learner.strip():
        raise SubmissionError(file, "champ learner absent ou vide.")
    problem = _text_problem(learner, MAX_LEARNER)
    if problem:
        raise SubmissionError(file, f"champ learner : {problem}.")


# Every list of distinct axis codes, in any order, with the tuple parse_answer makes of it:
# a well-formed `axes` field is checked and normalized by one dictionary lookup.
_AXES_LISTS = {p: p for k in range(len(AXIS_CODES) + 1) for p in permutations(AXIS_CODES, k)}


def _well_formed(item, known_cases) -> SubmittedAnswer | None:
    """The answer `item` gives, when it passes every check of parse_answer without needing a
    message or a repair; None otherwise (parse_answer then finds what is wrong, or repairs it).

    Runs once per answer of a class (40,000 in the benchmark): each test is the cheapest one
    that accepts exactly what parse_answer accepts, or less.
    """
    if item.__class__ is not dict:
        return None
    get = item.get
    case = get("case")
    if case.__class__ is not str or not case or case not in known_cases:  # a kit's ids are short and clean
        return None
    axes = get("axes")
    if axes.__class__ is not list:
        return None
    try:
        "".join(axes)  # TypeError unless every code is a text, as parse_answer requires
        axes = _AXES_LISTS.get(tuple(axes))
    except TypeError:
        return None
    if axes is None:  # an unknown code, or one given twice
        return None
    approach = get("approach")
    if approach is not None and (approach.__class__ is not str or approach not in _APPROACHES):
        return None
    justification = get("justification")
    if justification is not None and (justification.__class__ is not str
                                      or len(justification) > MAX_JUSTIFICATION
                                      or _bad_text(justification)):
        return None
    attempts = get("attempts", 1)
    if attempts.__class__ is not int or attempts < 1:
        return None
    answered_at = get("answered_at")
    if answered_at is not None and (answered_at.__class__ is not str or len(answered_at) > MAX_SHORT
                                    or not (answered_at.isascii() and answered_at.isprintable())):
        return None
    return SubmittedAnswer(case, axes, approach, justification, attempts, answered_at)


def parse_answer(item, file, index, known_cases) -> SubmittedAnswer:
    """Validate one answer object of a submission or progress file; raise SubmissionError in French."""
    # Runs once per answer (40,000 for a large class): the French messages are only built
    # when something is wrong.
    if not isinstance(item, dict):
        raise SubmissionError(file, f"réponse n° {index} : une réponse doit être un objet JSON.")
    case = item.get("case")
    if not isinstance(case, str) or not case:
        raise SubmissionError(file, f"réponse n° {index} (champ case) : identifiant de cas absent.")
    if known_cases is None or case not in known_cases:  # a kit's case id needs no more checks
        if len(case) > MAX_SHORT or _bad_in_line(case):
            raise SubmissionError(file, f"réponse n° {index} (champ case) : "
                                        f"{_text_problem(case, MAX_SHORT)}.")
        if known_cases is not None:
            raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ case) : "
                                        "cas inconnu de la trousse.")
    axes = item.get("axes")
    if not isinstance(axes, list) or not all(isinstance(a, str) for a in axes):
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ axes) : "
                                    "il faut une liste de codes d'axes.")
    if not _AXES.issuperset(axes):
        bad = next(a for a in axes if a not in _AXES)
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ axes) : code d'axe inconnu "
                                    f"« {_shown(bad)} »; codes valides : {', '.join(AXIS_CODES)}.")
    approach = item.get("approach")
    if approach is not None and (not isinstance(approach, str) or approach not in _APPROACHES):
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ approach) : approche inconnue "
                                    f"« {_shown(approach)} »; codes valides : {', '.join(APPROACH_CODES)}.")
    justification = item.get("justification")
    if justification is not None:
        if not isinstance(justification, str):
            raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ justification) : "
                                        "il faut un texte ou null.")
        if len(justification) > MAX_JUSTIFICATION or (
                _bad_text(justification) and has_surrogate(justification)):
            raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ justification) : "
                                        f"{_text_problem(justification, MAX_JUSTIFICATION, multiline=True)}.")
        if _bad_text(justification):  # an invisible control character is not worth a rejection
            justification = clean_text(justification)
    attempts = item.get("attempts", 1)
    if attempts.__class__ is not int or attempts < 1:
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ attempts) : "
                                    "il faut un entier positif.")
    answered_at = item.get("answered_at")
    if isinstance(answered_at, str) and (len(answered_at) > MAX_SHORT or not (
            answered_at.isascii() and answered_at.isprintable()) and _bad_in_line(answered_at)):
        answered_at = None  # informative only: a bad date is dropped, never shown
    return SubmittedAnswer(case, tuple(dict.fromkeys(axes)), approach, justification, attempts,
                           answered_at if isinstance(answered_at, str) else None)


def _shown(value, limit: int = 40) -> str:
    """A found value, short and printable, for a French reason."""
    from .safeio import display

    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)[:limit + 1]
    text = display(text)
    return text[:limit] + ("…" if len(text) > limit else "")


def created_instant(created: str) -> datetime | None:
    """The `created` time of a submission as an aware instant, or None when it is not ISO 8601.

    A time written without its UTC offset is taken as local time, as `now_iso` would have written it.
    """
    try:
        when = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        return None
    return when.astimezone() if when.tzinfo is None else when.astimezone(timezone.utc)


def parse_submission(data, file="<données>", known_cases=None) -> Submission:
    """Validate already-decoded JSON as a submission.

    Args:
        data: the decoded JSON value.
        file: the name to report in errors.
        known_cases: ids the kit knows; an answer to another case is an error. None skips it.

    Raises:
        SubmissionError: the first problem found, naming the file, the answer and the field.
    """
    if not isinstance(data, dict):
        raise SubmissionError(file, "le contenu n'est pas un objet JSON de remise.")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise SubmissionError(file, f"format « {_shown(fmt)} » non reconnu; attendu « {FORMAT} ».")
    learner = data.get("learner")
    _check_learner(learner, file)
    texts = {}
    for key in ("kit_version", "created"):
        value = data.get(key, "")
        if not isinstance(value, str):
            raise SubmissionError(file, f"champ {key} : il faut un texte.")
        problem = _text_problem(value, MAX_SHORT)
        if problem:
            raise SubmissionError(file, f"champ {key} : {problem}.")
        texts[key] = value
    answers = data.get("answers")
    if not isinstance(answers, list):
        raise SubmissionError(file, "champ answers absent : il faut une liste de réponses.")
    if len(answers) > MAX_ANSWERS:
        raise SubmissionError(file, f"champ answers : {len(answers)} réponses, plus que la limite "
                                    f"de {MAX_ANSWERS}.")
    if known_cases is None:
        parsed = tuple(parse_answer(a, file, i, known_cases) for i, a in enumerate(answers, 1))
    else:  # the usual case, a class report: most answers take the fast path
        parsed = tuple([_well_formed(a, known_cases) or parse_answer(a, file, i, known_cases)
                        for i, a in enumerate(answers, 1)])
    return Submission(learner=learner.strip(), kit_version=texts["kit_version"],
                      created=texts["created"], answers=parsed, file=str(file))


def decode_json(raw: bytes, file, *, limit_depth: int | None = None):
    """Decode untrusted JSON bytes, bounded in nesting depth; problems as SubmissionError.

    JSON nested beyond Python's recursion limit (a file of 100,000 brackets) is refused: the
    decoder's RecursionError is caught here, for this file alone, so it costs nothing on good
    files. `limit_depth` adds a scan before decoding for a stricter limit (ockit.safeio.json_too_deep,
    about a third of the decoding time: not worth it for a class of 1,000 files).

    Raises:
        SubmissionError: not UTF-8, nested too deeply, or not JSON (with line).
    """
    from .safeio import json_too_deep

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(file, "fichier illisible : le texte n'est pas en UTF-8.") from None
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte order mark some editors add
    if not text.strip():
        raise SubmissionError(file, "fichier vide : ce n'est pas une remise (demandez-la de nouveau).")
    if limit_depth is not None and json_too_deep(text, limit_depth):
        raise SubmissionError(file, f"JSON imbriqué trop profondément (plus de {limit_depth} "
                                    "niveaux de crochets ou d'accolades) : ce n'est pas une remise.")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(file, f"JSON invalide à la ligne {exc.lineno}, colonne {exc.colno}.") from None
    except RecursionError:
        raise SubmissionError(file, "JSON imbriqué trop profondément (des milliers de crochets ou "
                                    "d'accolades les uns dans les autres) : ce n'est pas une remise.") from None


def read_submission(path, known_cases=None, *, root=None, name=None) -> Submission:
    """Read and validate a submission file; never executes anything from it.

    Args:
        path: the file. It is read only if it is a regular file of at most MAX_FILE_BYTES.
        known_cases: ids the kit knows (see parse_submission).
        root: the folder the file was found in; a symlink leading out of it is refused.
        name: the name to report in errors (default: the file's name).

    Raises:
        SubmissionError: unreadable file, not a regular file, too large, bad JSON (with line),
            too deeply nested, another format, unknown codes, invalid text.
    """
    from .safeio import display, read_regular

    path = Path(path)
    shown = name if name is not None else display(path.name)
    try:
        raw = read_regular(path, root=root, limit=MAX_FILE_BYTES)
    except OSError as exc:
        from .oserrors import reason
        from .safeio import UnsafeFileError

        why = exc.reason if isinstance(exc, UnsafeFileError) else f"fichier illisible : {reason(exc)}"
        raise SubmissionError(shown, f"{why}.") from None
    return parse_submission(decode_json(raw, shown), shown, known_cases)
