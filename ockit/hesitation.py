"""When the suggester hesitates, and what would decide: the French texts of data/hesitations.yaml.

The suggester hesitates between two approaches when their probabilities are close, and on an
axis when its decision is close to flipping (its probability near the threshold, once the
learned combinations of axes are taken into account). Each hesitation names the codes and says, in
the kit's words, what in a description would tip the balance.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from .data import KIT_DATA  # the kit's data/, also when installed from a wheel
from .linear import logit
from .model import APPROACH_CODES, AXIS_CODES

HESITATIONS_FILE = KIT_DATA / "hesitations.yaml"
# The suggester says it hesitates when the two most probable approaches are closer than
# APPROACH_MARGIN, or when the decision on an axis is within AXIS_MARGIN (log-odds) of flipping
# (ockit.suggester.axis_margins). Checked on cross-writer predictions (each training set
# predicted by a model trained on the others; `tools/cross_writer.py --hesitations`: the kit's 59
# cases and 13 sets, 839 texts): the approach margin flags 8 % of cases, wrong 43 % of the time
# against 8 % for the others; the axis margin flags 11 % of axis decisions, wrong 37 % of the
# time against 11 %.
APPROACH_MARGIN = 0.4
AXIS_MARGIN = 0.7


class HesitationError(ValueError):
    """A problem in data/hesitations.yaml, in French, naming the file and the entry."""


@dataclass(frozen=True)
class Hesitation:
    """The suggester is unsure: `kind` "approach" (two codes) or "axis" (one code)."""

    kind: str
    codes: tuple[str, ...]
    probabilities: tuple[float, ...]
    decides: str

    def to_dict(self) -> dict:
        return {"kind": self.kind, "codes": list(self.codes),
                "probabilities": [round(p, 3) for p in self.probabilities], "decides": self.decides}


@lru_cache(maxsize=4)
def load_hesitations(path: str | None = None) -> tuple[Mapping[frozenset, str], Mapping[str, str]]:
    """Return ({frozenset of two approach codes: text}, {axis code: text}); checks completeness."""
    import yaml

    path = Path(path or HESITATIONS_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = {}
    for item in data.get("approaches") or []:
        codes = item.get("between") if isinstance(item, dict) else None
        if (not isinstance(codes, list) or len(codes) != 2 or not set(codes) <= set(APPROACH_CODES)
                or codes[0] == codes[1]):
            raise HesitationError(f"{path} (approches) : « between » doit nommer deux approches "
                                  f"différentes parmi {', '.join(APPROACH_CODES)}; trouvé {codes!r}.")
        if not isinstance(item.get("decides"), str) or not item["decides"].strip():
            raise HesitationError(f"{path} (approches {codes[0]}/{codes[1]}) : texte « decides » manquant.")
        pairs[frozenset(codes)] = " ".join(item["decides"].split())
    axes = {}
    for code, text in (data.get("axes") or {}).items():
        if code not in AXIS_CODES:
            raise HesitationError(f"{path} (axes) : code inconnu « {code} »; codes valides : "
                                  f"{', '.join(AXIS_CODES)}.")
        axes[code] = " ".join(str(text).split())
    return pairs, axes


def detect(probabilities: Mapping[str, float], threshold: float, *,
           approach_margin: float = APPROACH_MARGIN, axis_margin: float = AXIS_MARGIN,
           axis_margins: Mapping[str, float] | None = None) -> tuple[Hesitation, ...]:
    """Return the hesitations that `probabilities` (code -> probability) call for.

    `axis_margins`: axis code -> how far the decision on that axis is from flipping, in
    log-odds (ockit.suggester.axis_margins); by default each axis's own log-odds against the
    threshold's. An axis is a close call when its margin is under `axis_margin`.
    """
    pairs, axis_texts = load_hesitations()
    out = []
    ranked = sorted(APPROACH_CODES, key=lambda c: -probabilities.get(c, 0.0))
    a, b = ranked[0], ranked[1]
    pa, pb = probabilities.get(a, 0.0), probabilities.get(b, 0.0)
    if pa - pb < approach_margin:
        out.append(Hesitation("approach", (a, b), (pa, pb), pairs.get(frozenset((a, b)), "")))
    if axis_margins is None:  # each axis alone against the threshold
        axis_margins = {c: logit(probabilities.get(c, 0.0)) - logit(threshold) for c in AXIS_CODES}
    for code in AXIS_CODES:
        if code in axis_margins and abs(axis_margins[code]) < axis_margin:
            out.append(Hesitation("axis", (code,), (probabilities.get(code, 0.0),), axis_texts.get(code, "")))
    return tuple(out)

