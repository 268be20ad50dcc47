"""Score a learner's answer against a case's key, with feedback in French built from the case.

Partial-credit rule (the course states the same rule to learners):

    score = |axes chosen that are in the key| / |axes chosen ∪ axes of the key|

This is the Jaccard index of the two sets of axes. A perfect answer scores 1; an answer with
no axis scores 0; each missed axis and each extra axis lowers the score by enlarging the
union; the order in which axes are given does not matter. The approach is scored apart, as
right, wrong or not assessed (`approach_correct` is None when the learner gives no approach
or when the case's key has no dominant approach); it never changes the Jaccard score.

Debatable cases list other defensible readings (`also_accepted`); an answer is scored against
the key and against each of them, and keeps the best (the key wins ties). `Score.matched_reading`
says which one: "key", or "also_accepted:1", "also_accepted:2"...

Feedback comes in two stages, so that nothing gives the key away before the learner has tried:

- `Score.feedback` (the first stage, also `Score.first_feedback`): what is right, and only how
  many axes are missing or extra, never which ones nor why; whether the approach is right,
  without naming the expected one. An empty answer gets only an invitation to answer.
- `Score.full_feedback`: the reasons (each missed or extra axis with its rationale, the expected
  approach, the hesitation of a debated case, the defensible reading that was matched).

`feedback(case, answer, attempt=1, reveal=False)` picks the stage: the first attempt gets the
first stage; a second attempt, or « Voir la réponse » (reveal=True), gets the full one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .model import APPROACH_CODES, AXIS_CODES
from .text import count_of


class UnknownCodeError(ValueError):
    """An axis or approach code that does not exist; the French message names it and the valid ones."""

    def __init__(self, code, kind: str = "axe", valid: Iterable[str] = AXIS_CODES):
        self.code = code
        self.kind = kind
        self.valid = tuple(valid)
        super().__init__(f"Code d'{kind} inconnu « {code} ». Codes valides : {', '.join(self.valid)}.")


@dataclass(frozen=True)
class Score:
    """The result of scoring one answer: what was right, missed, extra, and why.

    `correct`, `missed` and `extra` are measured against the matched reading (the key unless an
    also_accepted reading scores higher); `key_jaccard` is the score against the key alone.
    `feedback` is the first-stage text (safe to show before the learner has seen the key);
    `full_feedback` gives the reasons.
    """

    case: str
    correct: tuple[str, ...]
    missed: tuple[str, ...]
    extra: tuple[str, ...]
    jaccard: float
    approach: str | None
    approach_correct: bool | None
    feedback: str
    full_feedback: str = ""
    matched_reading: str = "key"
    matched_why: str | None = None
    key_jaccard: float | None = None
    empty: bool = False

    @property
    def first_feedback(self) -> str:
        """The first-stage feedback (same as `feedback`)."""
        return self.feedback

    def feedback_for(self, attempt: int = 1, reveal: bool = False) -> str:
        """The feedback to show for this attempt number (1-based), or when the key is revealed."""
        if self.empty:
            return self.feedback
        return self.full_feedback if reveal or attempt >= FULL_FEEDBACK_FROM else self.feedback

    def to_dict(self) -> dict:
        """Return the score as JSON-ready data."""
        return {
            "case": self.case,
            "correct": list(self.correct),
            "missed": list(self.missed),
            "extra": list(self.extra),
            "jaccard": self.jaccard,
            "key_jaccard": self.key_jaccard,
            "matched_reading": self.matched_reading,
            "approach": self.approach,
            "approach_correct": self.approach_correct,
            "feedback": self.feedback,
            "full_feedback": self.full_feedback,
        }


# From this attempt on, the feedback gives the reasons, and with them the key (`feedback_for`).
FULL_FEEDBACK_FROM = 2


INVITATION = ("Cochez au moins un axe (et, si vous le pouvez, une approche), puis vérifiez : "
              "la rétroaction porte sur votre réponse.")


def jaccard(key: Iterable[str], chosen: Iterable[str]) -> float:
    """Return |key ∩ chosen| / |key ∪ chosen|, or 0.0 when both are empty. Order is ignored."""
    key, chosen = set(key), set(chosen)
    union = key | chosen
    return len(key & chosen) / len(union) if union else 0.0


def check_axes(axes) -> tuple[str, ...]:
    """Return `axes` as a tuple of codes, or raise UnknownCodeError on the first bad one."""
    if axes is None:
        return ()
    if isinstance(axes, str):
        axes = (axes,)
    axes = tuple(axes)
    for code in axes:
        if code not in AXIS_CODES:
            raise UnknownCodeError(code, "axe", AXIS_CODES)
    return axes


def readings(case) -> list[tuple[str, tuple[str, ...], str | None, str | None]]:
    """The readings an answer is scored against: (name, axes, approach, why), key first."""
    out = [("key", case.axes, case.approach.dominant, None)]
    for index, r in enumerate(case.also_accepted, 1):
        out.append((f"also_accepted:{index}", r.axes, r.approach or case.approach.dominant, r.why))
    return out


def score(case_id: str, axes, approach: str | None = None, *, course=None) -> Score:
    """Score an answer to one case.

    Args:
        case_id: the id of a case of the course (a former id is accepted too).
        axes: the axis codes the learner chose (any order; duplicates count once; None = none).
        approach: the approach code the learner chose, or None.
        course: the loaded Course to score against (default: the kit's, loaded once).

    Returns:
        A Score: `jaccard` is the best of the key and of the case's also_accepted readings
        (`matched_reading` names it, `key_jaccard` keeps the key's own score); `correct`,
        `missed` and `extra` against that reading (extras in the reference order);
        `approach_correct`; French `feedback` (first stage) and `full_feedback`.

    Raises:
        UnknownCaseError: the case id is not in the course.
        UnknownCodeError: an axis or the approach code does not exist.
    """
    if course is None:
        from .data import load

        course = load()
    case = course.case_by_id(case_id)
    chosen = set(check_axes(axes))
    if approach is not None and approach not in APPROACH_CODES:
        raise UnknownCodeError(approach, "approche", APPROACH_CODES)
    best = None
    for name, key, dominant, why in readings(case):
        value = jaccard(key, chosen)
        rank = (value, approach is not None and approach == dominant)
        if best is None or rank > best[0]:
            best = (rank, name, key, dominant, why, value)
    _, name, key, dominant, why, value = best
    key_value = jaccard(case.axes, chosen)
    correct = tuple(c for c in key if c in chosen)
    missed = tuple(c for c in key if c not in chosen)
    extra = tuple(c for c in AXIS_CODES if c in chosen and c not in key)
    # The approach is right when it is the key's, or the one an also_accepted reading names.
    accepted = {case.approach.dominant} | {r.approach for r in case.also_accepted if r.approach}
    accepted.discard(None)
    approach_correct = None if approach is None or not accepted else approach in accepted
    parts = dict(course=course, case=case, correct=correct, missed=missed, extra=extra, value=value,
                 approach=approach, approach_correct=approach_correct, reading=name, reading_why=why,
                 dominant=dominant)
    empty = not chosen
    first = INVITATION if empty else _first_text(**parts)
    full = INVITATION if empty else _full_text(**parts)
    return Score(case.id, correct, missed, extra, value, approach, approach_correct, first,
                 full_feedback=full, matched_reading=name, matched_why=why, key_jaccard=key_value,
                 empty=empty)


def feedback(case, answer, *, attempt: int = 1, reveal: bool = False, course=None) -> str:
    """Return the French feedback to show for an answer, by stage.

    Args:
        case: a Case or a case id (current or former).
        answer: a Score from `score`, or an (axes, approach) pair, or a list of axis codes.
        attempt: the learner's attempt number on this case, from 1. Attempt 1 gets the first
            stage (what is right, how many axes are missing or extra); attempt 2 and later get
            the reasons.
        reveal: True when the learner asked for the answer (« Voir la réponse »): full text.

    An empty answer always gets only an invitation to answer.
    """
    if not isinstance(answer, Score):
        axes, approach = (answer if isinstance(answer, tuple) and len(answer) == 2
                          else (answer, None))
        answer = score(getattr(case, "id", case), axes, approach, course=course)
    return answer.feedback_for(attempt, reveal)


def _score_line(value, correct, missed, extra) -> str:
    """The axes score in words: right axes out of the axes at stake (ticked or expected)."""
    shown = f"{value:.2f}".replace(".", ",")  # decimal comma, as written in Quebec
    right, at_stake = len(correct), len(correct) + len(missed) + len(extra)
    return (f"Score des axes : {shown} sur 1, soit {count_of(right, 'axe juste', 'axes justes')} sur "
            f"{count_of(at_stake, 'axe en jeu', 'axes en jeu')} (ceux que vous avez cochés et ceux "
            "qu'attend la lecture retenue).")


def _reading_line(reading, full_text: bool, why) -> str:
    if reading == "key":
        return ""
    if not full_text:
        return ("Votre réponse correspond à une lecture aussi défendable que celle de la trousse; "
                "la rétroaction suivante en donne la raison.")
    return f"Lecture aussi défendable : {why}"


def _right_line(axes, correct, missed, extra, reading) -> str:
    """The opening of both feedback stages: which chosen axes are right."""
    if not correct:
        return "Aucun des axes choisis ne fait partie de la lecture attendue."
    if not missed and not extra and reading == "key":
        return f"Bien vu : {_labels(axes, correct)}, c'est la lecture attendue."
    return f"Bien vu : {_labels(axes, correct)}."


def _first_text(*, course, case, correct, missed, extra, value, approach, approach_correct,
                reading, reading_why, dominant) -> str:
    """First stage: what is right, how many axes are missing or extra, never which nor why."""
    axes = course.axes
    parts = [_right_line(axes, correct, missed, extra, reading)]
    if missed:
        parts.append(f"Il manque {count_of(len(missed), 'axe', 'axes')} à votre réponse.")
    if extra:
        parts.append(f"Votre réponse compte {count_of(len(extra), 'axe', 'axes')} en trop.")
    parts.append(_reading_line(reading, False, reading_why))
    if approach is None:
        if dominant is not None:
            parts.append("Approche : vous n'en avez pas choisi; essayez d'en nommer une.")
    elif dominant is None:
        parts.append("Approche : ce cas ne permet pas de trancher entre les approches; votre "
                     "choix n'est pas évalué.")
    elif approach_correct:
        parts.append(f"Approche : bien vu, l'approche {course.approaches[approach].label} domine.")
    elif approach in case.approach.secondary:
        parts.append(f"Approche : l'approche {course.approaches[approach].label} est présente, "
                     "mais ce n'est pas elle qui domine.")
    else:
        parts.append(f"Approche : l'approche {course.approaches[approach].label} n'est pas celle "
                     "qui domine ici.")
    if missed or extra or (approach is not None and approach_correct is False):
        parts.append("Relisez le cas et réessayez : la deuxième vérification (ou « Voir la "
                     "réponse ») donne les raisons.")
    parts.append(_score_line(value, correct, missed, extra))
    return "\n\n".join(p for p in parts if p)


def _full_text(*, course, case, correct, missed, extra, value, approach, approach_correct,
               reading, reading_why, dominant) -> str:
    """Full stage: every missed or extra axis with its reason, the approach, the hesitation."""
    axes = course.axes
    parts = [_right_line(axes, correct, missed, extra, reading)]
    parts.append(_reading_line(reading, True, reading_why))
    for code in missed:
        why = case.rationale.get(code) or axes[code].definition
        parts.append(f"Axe manqué : {axes[code].label} — {' '.join(why.split())}")
    for code in extra:
        why = case.not_axes.get(code) or axes[code].not_fit
        parts.append(f"Axe en trop : {axes[code].label} — {' '.join(why.split())}")
    parts.append(_approach_feedback(course, case, approach, approach_correct))
    if case.difficulty >= 3 and case.hesitation:
        parts.append(f"Ce cas est discuté : {case.hesitation}")
    parts.append(_score_line(value, correct, missed, extra))
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
        if approach != dominant:
            return (f"Approche : l'approche {label} se défend avec cette lecture; la trousse retient "
                    f"l'approche {course.approaches[dominant].label}.{why}")
        return f"Approche : bien vu, l'approche {label} domine.{why}"
    if approach in case.approach.secondary:
        return (f"Approche : l'approche {label} est présente, mais c'est l'approche "
                f"{course.approaches[dominant].label} qui domine.{why}")
    return (f"Approche : l'approche {label} n'est pas la plus juste ici — "
            f"{course.approaches[approach].not_fit} L'approche attendue est "
            f"{course.approaches[dominant].label}.{why}")


def _labels(axes, codes) -> str:
    return ", ".join(axes[c].label for c in codes)
