"""A learner's mastery of each axis and each approach, from the attempts in the progress store.

For an axis, two rates tell different things and are kept apart:

- *found* (hit rate): among the cases whose key holds the axis, the share where the learner
  ticked it;
- *left* (correct rejection rate): among the cases whose key does not hold it, the share
  where the learner left it unticked.

For an approach, *chosen* is the share of the cases whose key has that dominant approach where
the learner chose it (cases with no dominant approach are not counted).

An attempt is scored as the exercise scores it (`ockit.scoring.score`): against the key, or
against a defensible reading the case also accepts (`also_accepted`) when the answer is closer
to it; the axes of that reading are the ones that "apply".

Which attempts count: after « Vérifier » the learner knows what was right and, from the second
try, the reasons, so a second attempt at once measures the feedback more than the learner.
So each case counts its first attempt, and then only attempts made at least
`gap` (default 12 hours) after the previous attempt at the same case: a case redone days
later measures what the learner remembers. Attempts without a time after the first are left
out. Answers to cases the course no longer has are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Mapping

from .model import APPROACH_CODES, AXIS_CODES
from .text import count_of

GAP = timedelta(hours=12)


@dataclass(frozen=True)
class Rate:
    """`right` times out of `total`; `rate` is None when there was no occasion yet."""

    right: int
    total: int

    @property
    def rate(self) -> float | None:
        return self.right / self.total if self.total else None

    @property
    def wrong(self) -> int:
        return self.total - self.right


@dataclass(frozen=True)
class Mastery:
    """Per-axis and per-approach rates over the counted attempts (see the module docstring)."""

    found: Mapping[str, Rate]      # axis -> ticked when in the key
    left: Mapping[str, Rate]       # axis -> left unticked when not in the key
    chosen: Mapping[str, Rate]     # approach -> chosen when it is the key's dominant one
    counted: int                   # attempts counted

    def to_dict(self) -> dict:
        def rates(m):
            return {c: {"right": r.right, "total": r.total} for c, r in m.items()}
        return {"found": rates(self.found), "left": rates(self.left), "chosen": rates(self.chosen),
                "counted": self.counted}


def parse_time(value):
    """Return an ISO 8601 time as an aware datetime (local time if naive), or None."""
    if not value:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return stamp if stamp.tzinfo else stamp.astimezone()


def counted_attempts(attempts, gap: timedelta = GAP) -> list:
    """Return the attempts that measure mastery: each case's first, then those `gap` later."""
    last_seen: dict[str, object] = {}
    kept = []
    for attempt in attempts:
        when = parse_time(attempt.answered_at)
        if attempt.case not in last_seen:
            kept.append(attempt)
        else:
            before = last_seen[attempt.case]
            if when is not None and before is not None and when - before >= gap:
                kept.append(attempt)
        last_seen[attempt.case] = when
    return kept


def mastery(attempts, course, gap: timedelta = GAP) -> Mastery:
    """Return the learner's Mastery from all their attempts, oldest first (Store.attempts())."""
    found = {c: [0, 0] for c in AXIS_CODES}
    left = {c: [0, 0] for c in AXIS_CODES}
    chosen = {c: [0, 0] for c in APPROACH_CODES}
    counted = 0
    for attempt in counted_attempts(attempts, gap):
        case = course.cases.get(attempt.case)
        if case is None:
            continue
        counted += 1
        result = _score(case, attempt, course)
        reading = set(result.correct) | set(result.missed)  # the key, or the accepted reading matched
        ticked = set(attempt.axes)
        for code in AXIS_CODES:
            if code in reading:
                found[code][1] += 1
                found[code][0] += code in ticked
            else:
                left[code][1] += 1
                left[code][0] += code not in ticked
        dominant = case.approach.dominant
        if dominant in chosen:
            chosen[dominant][1] += 1
            chosen[dominant][0] += result.approach_correct is True
    as_rates = lambda m: {c: Rate(*v) for c, v in m.items()}  # noqa: E731
    return Mastery(as_rates(found), as_rates(left), as_rates(chosen), counted)


def _score(case, attempt, course):
    """Score an attempt as the exercise does (the key, or a defensible reading it accepts)."""
    from .scoring import score

    return score(case.id, attempt.axes, attempt.approach, course=course)


def from_store(store=None, course=None, gap: timedelta = GAP) -> Mastery:
    """Return the Mastery of a progress Store (default: the learner's own store)."""
    if store is None:
        from .progress import Store

        store = Store()
    if course is None:
        from .data import load

        course = load()
    return mastery(store.attempts(), course, gap)


def _pct(rate: Rate) -> str:
    return f"{round(rate.rate * 100)} %" if rate.total else "pas encore de cas"


def describe(m: Mastery, course) -> str:
    """Return the mastery in French sentences, one per axis and approach (the figure's alt text)."""
    if not m.counted:
        return ("Vos résultats par axe et par approche : aucune réponse enregistrée pour "
                "l'instant. Faites d'abord quelques cas de l'atelier.")
    lines = [f"Vos résultats par axe et par approche, sur {count_of(m.counted, 'réponse comptée', 'réponses comptées')} "
             "(premier essai de chaque cas, et les cas refaits plus tard)."]
    for code in AXIS_CODES:
        f, le = m.found[code], m.left[code]
        lines.append(f"Axe {course.axes[code].label} : repéré {f.right} fois sur {f.total} quand il "
                     f"s'applique ({_pct(f)}); écarté {le.right} fois sur {le.total} quand il ne "
                     f"s'applique pas ({_pct(le)}).")
    for code in APPROACH_CODES:
        c = m.chosen[code]
        lines.append(f"Approche {course.approaches[code].label} : choisie {c.right} fois sur {c.total} "
                     f"quand elle domine ({_pct(c)}).")
    return "\n".join(lines)
