"""The same answer on the axes, scored by three rules: the kit's, Moodle's and Canvas's.

An answer is a set of ticked axes, compared with the key (the case's axes). Out of 1:

- **kit** (ockit.scoring): Jaccard, |ticked ∩ key| / |ticked ∪ key|; nothing ticked scores 0.
- **moodle**: a Moodle multiple-answer question (`multichoice`, several answers allowed) adds up
  the fractions of the ticked answers and keeps the sum between 0 and 1. The kit's Moodle export
  (ockit.moodle.axis_fractions) gives each key axis 1/k and each other axis −1/(4 − k), k being
  the number of key axes, rounded to the grades Moodle allows, as they are imported.
- **canvas**: Canvas New Quizzes, « Multiple Answer », option « Partial credit with penalty »:
  each key axis ticked earns 1/k, each other axis ticked loses 1/k, axes left unticked neither
  earn nor lose, and the score never goes below 0 (Canvas Instructor Guide, « How do I create a
  Multiple Answer question in New Quizzes? »).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from .model import AXIS_CODES

RULES = ("kit", "moodle", "canvas")
RULE_LABELS = {
    "kit": "trousse (Jaccard)",
    "moodle": "Moodle (fractions)",
    "canvas": "Canvas (crédit partiel avec pénalité)",
}
RULE_TEXT = {
    "kit": "Trousse : axes justes ÷ axes cochés ou attendus (indice de Jaccard); ne rien cocher vaut 0.",
    "moodle": ("Moodle (question à réponses multiples) : somme des fractions des axes cochés, "
               "ramenée entre 0 et 1; chaque axe de la clé vaut 1/k et chaque autre axe −1/(4 − k), "
               "k étant le nombre d'axes de la clé, de sorte que tout cocher vaut 0."),
    "canvas": ("Canvas (« Partial credit with penalty ») : chaque axe de la clé coché rapporte 1/k, "
               "chaque autre axe coché retire 1/k, un axe non coché ne compte pas; jamais moins de 0."),
}


@dataclass(frozen=True)
class RuleScores:
    """One answer's score out of 1 under each rule (see the module docstring)."""

    kit: float
    moodle: float
    canvas: float

    def as_dict(self) -> dict[str, float]:
        """Return {rule: score}, in RULES order."""
        return {"kit": self.kit, "moodle": self.moodle, "canvas": self.canvas}


def kit_score(key: Iterable[str], ticked: Iterable[str]) -> float:
    """The kit's rule: Jaccard (ockit.scoring.jaccard)."""
    from .scoring import jaccard

    return jaccard(key, ticked)


def moodle_score(key: Iterable[str], ticked: Iterable[str]) -> float:
    """Moodle's multiple-answer rule on the kit's exported fractions: sum, clamped to 0–1."""
    from .moodle import axis_fractions

    fractions = axis_fractions(key)
    total = sum(float(fractions[c]) / 100 for c in set(ticked))
    return min(1.0, max(0.0, total))


def canvas_score(key: Iterable[str], ticked: Iterable[str]) -> float:
    """Canvas's partial credit with penalty: ±1/k per ticked axis (k key axes), floor 0."""
    key, ticked = set(key), set(ticked)
    share = 1 / len(key)
    return max(0.0, share * len(ticked & key) - share * len(ticked - key))


def compare(key: Iterable[str], ticked: Iterable[str]) -> RuleScores:
    """Return the three scores of the answer `ticked` for the key `key` (axis codes).

    Raises:
        ValueError: the key is empty, or a code is not an axis (French message).
    """
    key, ticked = tuple(dict.fromkeys(key)), tuple(dict.fromkeys(ticked))
    if not key:
        raise ValueError("Clé vide : un cas a au moins un axe.")
    for code in (*key, *ticked):
        if code not in AXIS_CODES:
            raise ValueError(f"Code d'axe inconnu « {code} ». Codes valides : {', '.join(AXIS_CODES)}.")
    return RuleScores(kit_score(key, ticked), moodle_score(key, ticked), canvas_score(key, ticked))


def examples(key: Iterable[str]) -> list[tuple[str, tuple[str, ...], RuleScores]]:
    """Typical answers for a key, each with its three scores: for the comparison table.

    Returns (French description, ticked axes, scores) for: the key, one key axis missed (when
    the key has two axes or more), one axis too many (when one is left), and every axis ticked.
    """
    key = tuple(c for c in AXIS_CODES if c in set(key))
    others = tuple(c for c in AXIS_CODES if c not in key)
    rows = [("la clé exactement", key)]
    if len(key) > 1:
        rows.append(("un axe de la clé oublié", key[1:]))
    if others:
        rows.append(("un axe en trop", (*key, others[0])))
        rows.append(("un axe juste et un faux seulement", (key[0], others[0])))
    rows.append(("les quatre axes cochés", AXIS_CODES))
    return [(label, ticked, compare(key, ticked)) for label, ticked in rows]


def comparison_table(key: Iterable[str]):
    """Return `examples(key)` as a pandas DataFrame with French column names, for a notebook."""
    import pandas as pd

    return pd.DataFrame([{"réponse": label, "axes cochés": " + ".join(ticked) or "aucun",
                          **{RULE_LABELS[r]: round(v, 2) for r, v in scores.as_dict().items()}}
                         for label, ticked, scores in examples(key)])
