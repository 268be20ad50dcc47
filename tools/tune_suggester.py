"""Choose the suggester's settings by 10-fold cross-validation over the kit's cases and the
training sets of data/training/ (never data/evaluation/). Prints one line per setting tried:
axes micro-F1, exact set and approach accuracy, on the kit's cases and on each training set.

    .venv/bin/python tools/tune_suggester.py
"""

from __future__ import annotations

import itertools
import sys

from ockit.evaluation import metrics
from ockit.features import load_frames
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.suggester import Suggester, load_lexicon
from ockit.training import Settings, training_examples

FOLDS = 10


def out_of_fold(examples, settings):
    """id -> (axis probabilities, approach probabilities, axes with evidence) for every example."""
    lexicon, frames = load_lexicon(), load_frames()[0]
    out = {}
    for k in range(FOLDS):
        held = [e for i, e in enumerate(examples) if i % FOLDS == k]
        rest = [e for i, e in enumerate(examples) if i % FOLDS != k]
        s = Suggester.trained(rest, lexicon=lexicon, frames=frames, settings=settings)
        for e in held:
            got = s.suggest(e.text)
            out[e.id] = (dict(got.scores), tuple(c for c in AXIS_CODES if got.evidence.get(c)))
    return out


def decide(scores, with_evidence, threshold, max_axes):
    ranked = sorted((c for c in AXIS_CODES if c in with_evidence), key=lambda c: -scores[c])
    axes = [c for c in ranked if scores[c] >= threshold][:max_axes] or ranked[:1]
    approach = max(APPROACH_CODES, key=lambda c: scores[c])
    return tuple(axes), approach


def report(examples, oof, threshold, max_axes) -> str:
    parts = []
    for origin in sorted({e.origin for e in examples}):
        group = [e for e in examples if e.origin == origin]
        preds = {e.id: decide(*oof[e.id], threshold, max_axes) for e in group}
        m = metrics(origin, group, preds)
        parts.append(f"{origin}: F1 {m.micro_f1:.3f} exact {m.exact_set:.3f} app {m.approach_accuracy:.3f}")
    return " | ".join(parts)


def main() -> int:
    examples = training_examples()
    base = Settings()
    grid = {"dev_weight": [1.0, 2.0], "axis_w": [0.15, 0.4], "approach_w": [0.05, 0.15]}
    for dev_weight, axis_w, approach_w in itertools.product(*grid.values()):
        settings = Settings(penalty={**base.penalty, "w:": axis_w},
                            approach_penalty={**base.approach_penalty, "w:": approach_w},
                            origin_weight={o: dev_weight for o in {e.origin for e in examples} if o != "kit"})
        oof = out_of_fold(examples, settings)
        for threshold, max_axes in itertools.product([0.4, 0.45, 0.5], [2, 3]):
            print(f"dev_weight={dev_weight} axis_w={axis_w} approach_w={approach_w} thr={threshold} "
                  f"max={max_axes}  " + report(examples, oof, threshold, max_axes), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
