"""The submission file a learner hands in (format `ockit-submission/1`), written and read.

The reader never trusts a file: every problem becomes a `SubmissionError` that names the file
and, where it applies, the answer and the field. The JSON schema beside this module
(`schemas/submission-1.json`) documents the format for other tools.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .atomic import atomic_write_text
from .model import APPROACH_CODES, AXIS_CODES

FORMAT = "ockit-submission/1"
SCHEMA_PATH = Path(__file__).with_name("schemas") / "submission-1.json"
MAX_JUSTIFICATION = 20000


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
    """Build a submission from answers (SubmittedAnswer or dicts of the same shape)."""
    from . import __version__

    items = tuple(a if isinstance(a, SubmittedAnswer) else parse_answer(a, "<mémoire>", i, known_cases=None)
                  for i, a in enumerate(answers, 1))
    return Submission(learner=learner, kit_version=kit_version or __version__,
                      created=now_iso(), answers=items)


def write_submission(submission: Submission, out) -> Path:
    """Write a submission as UTF-8 JSON, atomically (a crash never leaves half a file)."""
    out = Path(out)
    atomic_write_text(out, json.dumps(submission.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return out


_AXES = frozenset(AXIS_CODES)
_APPROACHES = frozenset(APPROACH_CODES)


def parse_answer(item, file, index, known_cases) -> SubmittedAnswer:
    """Validate one answer object of a submission or progress file; raise SubmissionError in French."""
    # Runs once per answer (40,000 for a large class): the French messages are only built
    # when something is wrong.
    if not isinstance(item, dict):
        raise SubmissionError(file, f"réponse n° {index} : une réponse doit être un objet JSON.")
    case = item.get("case")
    if not isinstance(case, str) or not case:
        raise SubmissionError(file, f"réponse n° {index} (champ case) : identifiant de cas absent.")
    if known_cases is not None and case not in known_cases:
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ case) : cas inconnu de la trousse.")
    axes = item.get("axes")
    if not isinstance(axes, list) or not all(isinstance(a, str) for a in axes):
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ axes) : "
                                    "il faut une liste de codes d'axes.")
    if not _AXES.issuperset(axes):
        bad = next(a for a in axes if a not in _AXES)
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ axes) : code d'axe inconnu "
                                    f"« {bad} »; codes valides : {', '.join(AXIS_CODES)}.")
    approach = item.get("approach")
    if approach is not None and (not isinstance(approach, str) or approach not in _APPROACHES):
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ approach) : approche inconnue "
                                    f"« {approach} »; codes valides : {', '.join(APPROACH_CODES)}.")
    justification = item.get("justification")
    if justification is not None:
        if not isinstance(justification, str):
            raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ justification) : "
                                        "il faut un texte ou null.")
        if len(justification) > MAX_JUSTIFICATION:
            justification = justification[:MAX_JUSTIFICATION]
    attempts = item.get("attempts", 1)
    if attempts.__class__ is not int or attempts < 1:
        raise SubmissionError(file, f"réponse n° {index}, cas {case} (champ attempts) : "
                                    "il faut un entier positif.")
    answered_at = item.get("answered_at")
    return SubmittedAnswer(case, tuple(dict.fromkeys(axes)), approach, justification, attempts,
                           answered_at if isinstance(answered_at, str) else None)


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
        raise SubmissionError(file, f"format « {fmt} » non reconnu; attendu « {FORMAT} ».")
    learner = data.get("learner")
    if not isinstance(learner, str) or not learner.strip():
        raise SubmissionError(file, "champ learner absent ou vide.")
    answers = data.get("answers")
    if not isinstance(answers, list):
        raise SubmissionError(file, "champ answers absent : il faut une liste de réponses.")
    parsed = tuple(parse_answer(a, file, i, known_cases) for i, a in enumerate(answers, 1))
    return Submission(learner=learner.strip(), kit_version=str(data.get("kit_version", "")),
                      created=str(data.get("created", "")), answers=parsed, file=str(file))


def read_submission(path, known_cases=None) -> Submission:
    """Read and validate a submission file; never executes anything from it.

    Raises:
        SubmissionError: unreadable file, bad JSON (with line), another format, unknown codes.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise SubmissionError(path, "fichier illisible : le texte n'est pas en UTF-8.") from None
    except OSError as exc:
        from .oserrors import reason

        raise SubmissionError(path, f"fichier illisible : {reason(exc)}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SubmissionError(path, f"JSON invalide à la ligne {exc.lineno}, colonne {exc.colno}.") from None
    return parse_submission(data, path.name, known_cases)
