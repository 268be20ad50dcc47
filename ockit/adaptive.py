"""Adaptive practice: which case to propose next so that it trains the learner's weakest point.

A *skill* is one of: finding an axis when it applies (`found`), leaving an axis when it does not
(`left`), choosing an approach when it dominates (`chosen`); `ockit.mastery` counts, for each,
how often the learner got it right. The weakest skill is the one with the highest smoothed error
rate, (errors + 0.5) / (occasions + 2), among skills the learner got wrong at least once: the
smoothing lets 3 misses out of 4 outrank a single miss out of 1.

Candidates are the cases not done yet, and the cases whose latest attempt was not the key and
is older than `RETRY_AFTER` (a case failed long ago is worth redoing; one failed a minute ago
only asks to copy the key just shown). Each candidate is valued for the weakest skill:

- `found` on axis X: a case whose key holds X (more if X comes first in the key);
- `left` on axis X: a case where X is tempting but ruled out (X in its `not_axes`), else any
  case without X;
- `chosen` for approach Y: a case whose dominant approach is Y.

The other weak skills break ties, then the workshop's fixed order; so a learner with no error
yet, or no attempt, gets the fixed order, which stays available as `mode="order"`. The reason
is said in French (« pour travailler l'axe …, que vous avez oublié 3 fois sur 4 »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from .mastery import GAP, parse_time, mastery

RETRY_AFTER = timedelta(days=3)
MODES = ("adaptive", "order")


@dataclass(frozen=True)
class Skill:
    """One thing a learner can get right or wrong: (kind, code), with their record."""

    kind: str  # "found" | "left" | "chosen"
    code: str
    wrong: int
    total: int

    @property
    def weakness(self) -> float:
        return (self.wrong + 0.5) / (self.total + 2)


@dataclass(frozen=True)
class Proposal:
    """The case proposed next (`case` is None when nothing is left) and why, in French."""

    case: str | None
    reason: str
    skill: Skill | None = None
    mode: str = "adaptive"


def skills(attempts, course, gap: timedelta = GAP) -> list[Skill]:
    """Return every skill the learner got wrong at least once, weakest first."""
    m = mastery(attempts, course, gap)
    found = [Skill("found", c, r.wrong, r.total) for c, r in m.found.items()]
    left = [Skill("left", c, r.wrong, r.total) for c, r in m.left.items()]
    chosen = [Skill("chosen", c, r.wrong, r.total) for c, r in m.chosen.items()]
    order = found + left + chosen
    weak = [s for s in order if s.wrong]
    return sorted(weak, key=lambda s: (-s.weakness, order.index(s)))


def _failed(case, attempt, course) -> bool:
    """Not the key (nor a reading the case accepts), or not an accepted approach."""
    from .scoring import score

    result = score(case.id, attempt.axes, attempt.approach, course=course)
    return result.jaccard < 1 or (case.approach.dominant is not None and result.approach_correct is not True)


def _series(course, case_ids):
    return list(course.cases.values()) if case_ids is None else [course.case(c) for c in case_ids]


def candidates(attempts, course, now: datetime | None = None, retry_after: timedelta = RETRY_AFTER,
               case_ids=None) -> list:
    """Return the cases worth proposing, in the fixed order: not done, or failed long ago.

    `case_ids` restricts the series (a workshop on some cases only) and gives its order.
    """
    now = now or datetime.now().astimezone()
    latest = {}
    for attempt in attempts:
        latest[attempt.case] = attempt
    out = []
    for case in _series(course, case_ids):
        attempt = latest.get(case.id)
        if attempt is None:
            out.append(case)
            continue
        when = parse_time(attempt.answered_at)
        if _failed(case, attempt, course) and when is not None and now - when >= retry_after:
            out.append(case)
    return out


def value(case, skill: Skill) -> float:
    """How well `case` trains `skill`, from 0 (not at all) to 1."""
    if skill.kind == "found":
        if skill.code not in case.rationale:
            return 0.0
        return 1.0 if case.axes[0] == skill.code else 0.85
    if skill.kind == "left":
        if skill.code in case.rationale:
            return 0.0
        return 1.0 if skill.code in case.not_axes else 0.6
    return 1.0 if case.approach.dominant == skill.code else 0.0


def reason(skill: Skill, course) -> str:
    """The French reason for training `skill` (« pour travailler l'axe …, que vous avez … »)."""
    times = f"{skill.wrong} fois sur {skill.total}"
    if skill.kind == "found":
        return f"pour travailler l'axe {course.axes[skill.code].label}, que vous avez oublié {times}"
    if skill.kind == "left":
        return (f"pour travailler l'axe {course.axes[skill.code].label}, que vous avez coché à tort "
                f"{times}")
    return (f"pour travailler l'approche {course.approaches[skill.code].label}, que vous n'avez pas "
            f"reconnue {times}")


def propose(attempts, course, *, mode: str = "adaptive", now: datetime | None = None,
            gap: timedelta = GAP, retry_after: timedelta = RETRY_AFTER, case_ids=None) -> Proposal:
    """Return the case to do next and why.

    Args:
        attempts: every attempt of the learner, oldest first (`Store.attempts()`).
        course: the loaded course.
        mode: "adaptive" (train the weakest skill) or "order" (the workshop's fixed order).
        now: the current time (default: now), to tell a case failed long ago.
        case_ids: the workshop's series of cases, in its order (default: every case). The
            weak skills are measured on all the learner's attempts, the proposal is taken here.
    """
    if mode not in MODES:
        raise ValueError(f"Mode inconnu « {mode} ». Modes possibles : {', '.join(MODES)}.")
    attempts = list(attempts)
    pool = candidates(attempts, course, now, retry_after, case_ids)
    if not pool:
        return Proposal(None, "Vous avez fait tous les cas, et aucun cas manqué n'est à reprendre "
                              "pour l'instant. Revenez dans quelques jours pour reprendre ceux que "
                              "vous avez manqués.", None, mode)
    order = {c.id: i for i, c in enumerate(_series(course, case_ids))}
    weak = skills(attempts, course, gap) if mode == "adaptive" else []
    if weak:
        top = weak[0]
        best = max(pool, key=lambda c: (value(c, top), sum(value(c, s) * s.weakness for s in weak[1:]),
                                        -order[c.id]))
        if value(best, top) > 0:
            return Proposal(best.id, f"Cas proposé {reason(top, course)}.", top, mode)
    first = min(pool, key=lambda c: order[c.id])
    why = ("Cas suivant dans l'ordre de l'atelier." if mode == "order" or not weak else
           "Cas suivant dans l'ordre de l'atelier : aucun cas restant n'entraîne mieux vos points faibles.")
    return Proposal(first.id, why, None, mode)
