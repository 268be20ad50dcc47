"""Score a learner's answer against a case's key, with feedback in French built from the case.

Partial-credit rule (the course states the same rule to learners):

    score = |axes chosen that are in the key| / |axes chosen ∪ axes of the key|

This is the Jaccard index of the two sets of axes. A perfect answer scores 1; an answer with
no axis scores 0; each missed axis and each extra axis lowers the score by enlarging the
union; the order in which axes are given does not matter. The approach is scored apart, as
right, wrong or not assessed (`approach_correct` is None when the learner gives no approach
or when the case's key has no dominant approach); it never changes the Jaccard score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .model import APPROACH_CODES, AXIS_CODES


class UnknownCodeError(ValueError):
    """An axis or approach code that does not exist; the French message names it and the valid ones."""

    def __init__(self, code, kind: str = "axe", valid: Iterable[str] = AXIS_CODES):
        self.code = code
        self.kind = kind
        self.valid = tuple(valid)
        super().__init__(f"Code d'{kind} inconnu « {code} ». Codes valides : {', '.join(self.valid)}.")


@dataclass(frozen=True)
class Score:
    """The result of scoring one answer: what was right, missed, extra, and why."""

    case: str
    correct: tuple[str, ...]
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    jaccard: float
    approach: str | None
    approach_correct: bool | None
    feedback: str

    def to_dict(self) -> dict:
        """Return the score as JSON-ready data."""
        return {
            "case": self.case,
            "correct": list(self.correct),
            "missed": list(self.missed),
            "extra": list(self.extra),
            "jaccard": self.jaccard,
            "approach": self.approach,
            "approach_correct": self.approach_correct,
            "feedback": self.feedback,
        }


def jaccard(key: Iterable[str], chosen: Iterable[str]) -> float:
    """Return |key ∩ chosen| / |key ∪ chosen|, or 0.0 when both are empty. Order is ignored."""
    key, chosen = set(key), set(chosen)
    union = key | chosen
    return len(key & chosen) / len(union) if union else 0.0


def check_axes(axes) -> tuple[str, ...]:
    """Return `axes` as a tuple of codes, or raise UnknownCodeError on the first bad one."""
    if isinstance(axes, str):
        axes = (axes,)
    axes = tuple(axes)
    for code in axes:
        if code not in AXIS_CODES:
            raise UnknownCodeError(code, "axe", AXIS_CODES)
    return axes


def score(case_id: str, axes, approach: str | None = None, *, course=None) -> Score:
    """Score an answer to one case.

    Args:
        case_id: the id of a case of the course.
        axes: the axis codes the learner chose (any order; duplicates count once).
        approach: the approach code the learner chose, or None.
        course: the loaded Course to score against (default: the kit's, loaded once).

    Returns:
        A Score: `correct`, `missed` and `extra` in the key's order (extras in the reference
        order), `jaccard` per the rule in the module docstring, `approach_correct`, and French
        `feedback` built from the case's rationale, not_axes and hesitation.

    Raises:
        UnknownCaseError: the case id is not in the course.
        UnknownCodeError: an axis or the approach code does not exist.
    """
    if course is None:
        from .data import load

        course = load()
    case = course.case(case_id)
    chosen = set(check_axes(axes))
    if approach is not None and approach not in APPROACH_CODES:
        raise UnknownCodeError(approach, "approche", APPROACH_CODES)
    key = case.axes
    correct = tuple(c for c in key if c in chosen)
    missed = tuple(c for c in key if c not in chosen)
    extra = tuple(c for c in AXIS_CODES if c in chosen and c not in case.rationale)
    union = len(correct) + len(missed) + len(extra)
    value = len(correct) / union if union else 0.0
    dominant = case.approach.dominant
    approach_correct = None if approach is None or dominant is None else approach == dominant
    text = feedback(course, case, correct, missed, extra, value, approach, approach_correct)
    return Score(case.id, correct, missed, extra, value, approach, approach_correct, text)


def feedback(course, case, correct, missed, extra, value, approach, approach_correct) -> str:
    """Return the French feedback paragraphs for a scored answer (see `score`)."""
    axes = course.axes
    parts = []
    if not correct and not extra:
        parts.append("Aucun axe choisi : cochez au moins un axe pour obtenir des points.")
    elif not correct:
        parts.append("Aucun des axes choisis ne fait partie de la lecture attendue.")
    elif not missed and not extra:
        parts.append(f"Bien vu : {_labels(axes, correct)}, c'est la lecture attendue.")
    else:
        parts.append(f"Bien vu : {_labels(axes, correct)}.")
    for code in missed:
        parts.append(f"Axe manqué : {axes[code].label} — {case.rationale[code]}")
    for code in extra:
        why = case.not_axes.get(code) or axes[code].not_fit
        parts.append(f"Axe en trop : {axes[code].label} — {why}")
    parts.append(_approach_feedback(course, case, approach, approach_correct))
    if case.difficulty >= 3 and case.hesitation:
        parts.append(f"Ce cas est discuté : {case.hesitation}")
    shown = f"{value:.2f}".replace(".", ",")  # decimal comma, as written in Quebec
    parts.append(f"Score des axes : {shown} (axes justes ÷ axes choisis ou attendus).")
    return "\n\n".join(p for p in parts if p)


def _approach_feedback(course, case, approach, approach_correct) -> str:
    dominant = case.approach.dominant
    why = f" {case.approach.why}" if case.approach.why else ""
    if approach is None:
        if dominant is None:
            return ""
        return f"Approche : vous n'en avez pas choisi; l'approche {course.approaches[dominant].label} domine.{why}"
    label = course.approaches[approach].label
    if dominant is None:
        return (f"Approche : ce cas ne permet pas de trancher entre les approches; votre choix "
                f"({label}) n'est pas évalué.")
    if approach_correct:
        return f"Approche : bien vu, l'approche {label} domine.{why}"
    if approach in case.approach.secondary:
        return (f"Approche : l'approche {label} est présente, mais c'est l'approche "
                f"{course.approaches[dominant].label} qui domine.{why}")
    return (f"Approche : l'approche {label} n'est pas la plus juste ici — "
            f"{course.approaches[approach].not_fit} L'approche attendue est "
            f"{course.approaches[dominant].label}.{why}")


def _labels(axes, codes) -> str:
    return ", ".join(axes[c].label for c in codes)
