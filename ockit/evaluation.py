"""Honest evaluation of the suggester, beside a naive-Bayes baseline.

Three measurements, each predicting texts that nothing it learned from contained:

- leave-one-out on the kit's cases: each case is predicted by a model trained on every other
  case (and on data/training/, which holds no kit case);
- cross-writer validation on each training set of data/training/: every set was written by
  someone else, so each is predicted by a model trained on the kit's cases and the *other*
  sets, never on its own writer's texts (`cross_validate` keeps the older k-fold split);
- the blind sets of data/evaluation/ (every *.yaml there), predicted by the model trained on
  everything it may learn from. Training never reads that folder.

The baseline is a plain multinomial naive Bayes trained on the kit's case summaries and
rationales only (the kit's own texts), measured on the same cases.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Mapping, Sequence

from .data import KIT_DATA  # the kit's data/, also when installed from a wheel
from .model import APPROACH_CODES, AXIS_CODES

EVALUATION_DIR = KIT_DATA / "evaluation"
BLIND_FILE = EVALUATION_DIR / "blind-2026.yaml"


def blind_files(folder: Path | None = None) -> list[Path]:
    """The held-out sets of `folder` (default data/evaluation/*.yaml), in name order."""
    folder = Path(folder or EVALUATION_DIR)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


FOLDS = 10


class NaiveBayes:
    """A plain bag-of-words multinomial naive Bayes, small and dependency-free.

    Axes: one binary classifier per axis (present / absent), keeping every axis whose
    posterior exceeds one half, and at least the most probable one. Approach: one multiclass
    classifier over the examples that have an approach. Laplace smoothing (alpha = 1).
    """

    def __init__(self, alpha: float = 1.0, *, with_rationales: bool = True):
        self.alpha = alpha
        self.with_rationales = with_rationales
        self.vocabulary: frozenset = frozenset()

    def fit(self, examples) -> "NaiveBayes":
        """Learn from `examples` (ockit.training.Example; only these); returns self."""
        from .text import words

        docs = [(words(e.text + (" " + e.extra_text if self.with_rationales else "")), e) for e in examples]
        self.vocabulary = frozenset(w for d, _ in docs for w in d)
        self._axis = {code: self._train([(d, code in e.axes) for d, e in docs]) for code in AXIS_CODES}
        labelled = [(d, e.approach) for d, e in docs if e.approach]
        self._approach = self._train(labelled) if labelled else None
        return self

    def _train(self, pairs):
        classes = sorted({y for _, y in pairs}, key=str)
        counts = {y: {} for y in classes}
        totals = {y: 0 for y in classes}
        priors = {}
        for y in classes:
            priors[y] = math.log(sum(1 for _, t in pairs if t == y) / len(pairs))
        for doc, y in pairs:
            table = counts[y]
            for w in doc:
                table[w] = table.get(w, 0) + 1
            totals[y] += len(doc)
        v = len(self.vocabulary) or 1
        return {"classes": classes, "counts": counts, "totals": totals, "priors": priors, "v": v}

    def _log_posteriors(self, model, doc) -> dict:
        out = {}
        for y in model["classes"]:
            table, denom = model["counts"][y], model["totals"][y] + self.alpha * model["v"]
            lp = model["priors"][y]
            for w in doc:
                if w in self.vocabulary:
                    lp += math.log((table.get(w, 0) + self.alpha) / denom)
            out[y] = lp
        return out

    def predict(self, text: str) -> tuple[tuple[str, ...], str | None]:
        """Return (axes, approach) for a text."""
        from .text import words

        doc = words(text)
        probs = {}
        for code, model in self._axis.items():
            if model["classes"] == [True]:
                probs[code] = 1.0
                continue
            if True not in model["classes"]:
                probs[code] = 0.0
                continue
            lp = self._log_posteriors(model, doc)
            diff = lp.get(False, -math.inf) - lp[True]
            probs[code] = 1.0 / (1.0 + math.exp(min(diff, 700)))
        axes = [c for c in AXIS_CODES if probs[c] > 0.5]
        if not axes:
            axes = [max(AXIS_CODES, key=lambda c: probs[c])]
        axes.sort(key=lambda c: -probs[c])
        approach = None
        if self._approach:
            lp = self._log_posteriors(self._approach, doc)
            approach = max(lp, key=lp.get)
        return tuple(axes), approach


@dataclass(frozen=True)
class Metrics:
    """Results of one method on one set of examples."""

    method: str
    micro_f1: float
    axis_f1: Mapping[str, float]
    axis_recall: Mapping[str, float]
    exact_set: float
    approach_accuracy: float
    approach_recall: Mapping[str, float]
    confusion: Mapping[str, Mapping[str, int]]  # key approach -> predicted approach -> count
    cases: int
    approach_cases: int
    predictions: Mapping[str, tuple[tuple[str, ...], str | None]]

    def to_dict(self) -> dict:
        r = lambda x: None if x is None else round(x, 4)  # noqa: E731
        return {
            "method": self.method,
            "cases": self.cases,
            "approach_cases": self.approach_cases,
            "micro_f1": r(self.micro_f1),
            "exact_set": r(self.exact_set),
            "axis_f1": {c: r(v) for c, v in self.axis_f1.items()},
            "axis_recall": {c: r(v) for c, v in self.axis_recall.items()},
            "approach_accuracy": r(self.approach_accuracy),
            "approach_recall": {c: r(v) for c, v in self.approach_recall.items()},
            "approach_confusion": {k: dict(v) for k, v in self.confusion.items()},
        }


def metrics(method: str, examples: Sequence, predictions: Mapping) -> Metrics:
    """Return the metrics of `predictions` (id -> (axes, approach)) against `examples`' keys.

    `examples` need `id`, `axes` and `approach` (an Example, or a Case through as_example).
    Axes: micro-F1 over (case, axis) pairs, per-axis F1 and recall, exact-set accuracy.
    Approach: accuracy over the examples with a key, per-approach recall, confusion matrix.
    """
    tp = {c: 0 for c in AXIS_CODES}
    fp = dict(tp)
    fn = dict(tp)
    exact = right = judged = 0
    confusion = {a: {b: 0 for b in APPROACH_CODES} for a in APPROACH_CODES}
    for ex in examples:
        axes, approach = predictions[ex.id]
        key = set(ex.axes)
        exact += set(axes) == key
        for code in AXIS_CODES:
            truth, guess = code in key, code in axes
            tp[code] += truth and guess
            fp[code] += guess and not truth
            fn[code] += truth and not guess
        if ex.approach:
            judged += 1
            right += approach == ex.approach
            if approach in APPROACH_CODES:
                confusion[ex.approach][approach] += 1
    f1 = {c: _f1(tp[c], fp[c], fn[c]) for c in AXIS_CODES}
    recall = {c: tp[c] / (tp[c] + fn[c]) if tp[c] + fn[c] else None for c in AXIS_CODES}
    a_recall = {a: confusion[a][a] / sum(confusion[a].values()) if sum(confusion[a].values()) else None
                for a in APPROACH_CODES}
    micro = _f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    n = len(examples)
    return Metrics(method, micro, f1, recall, exact / n if n else 0.0,
                   right / judged if judged else 0.0, a_recall, confusion, n, judged, dict(predictions))


def _f1(tp, fp, fn) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def as_example(case):
    """A Case (or anything with id, rationale, approach.dominant, summary) as an Example."""
    from .training import Example

    extra = " ".join(list(case.rationale.values()) + ([case.approach.why] if getattr(case.approach, "why", None) else []))
    return Example(case.id, case.summary, tuple(case.rationale), case.approach.dominant, "kit", extra)


def _context(course):
    from .features import load_frames
    from .suggester import load_lexicon
    from .training import kit_examples, training_examples

    if course is None:
        from .data import load

        course = load()
    kit = kit_examples(course)
    extra = [e for e in training_examples(course) if e.origin != "kit"]
    return course, kit, extra, load_lexicon(), load_frames()[0]


def _predict(suggester, examples) -> dict:
    out = {}
    for e in examples:
        got = suggester.suggest(e.text)
        out[e.id] = (got.axes, got.approach)
    return out


def leave_one_out(course=None, *, settings=None, training=None,
                  progress: Callable[[int, int], None] | None = None) -> dict[str, Metrics]:
    """Leave-one-out on the kit's cases: each is predicted by a model trained without it.

    The suggester also learns from `training` (default: the sets of data/training/); the
    baseline learns from the other kit cases' summaries and rationales only. `progress(done,
    total)` is called before each case. Returns {"suggester": Metrics, "naive_bayes": Metrics}.
    """
    from .suggester import Suggester

    course, kit, extra, lexicon, frames = _context(course)
    extra = extra if training is None else list(training)
    ours, base = {}, {}
    for i, ex in enumerate(kit):
        if progress:
            progress(i, len(kit))
        rest = kit[:i] + kit[i + 1:]
        s = Suggester.trained(rest + extra, lexicon=lexicon, frames=frames, settings=settings)
        ours.update(_predict(s, [ex]))
        base[ex.id] = NaiveBayes().fit(rest).predict(ex.text)
    return {"suggester": metrics("suggester", kit, ours),
            "naive_bayes": metrics("naive_bayes", kit, base)}


def cross_validate(examples, *, course=None, folds: int = FOLDS, settings=None) -> dict[str, Metrics]:
    """K-fold cross-validation on `examples` (a training set): each fold is predicted by a
    model trained on the kit's cases and the other folds. The baseline learns from the kit's
    cases only (summaries and rationales), as everywhere.
    """
    from .suggester import Suggester

    course, kit, _, lexicon, frames = _context(course)
    examples = list(examples)
    nb = NaiveBayes().fit(kit)
    ours = {}
    for k in range(folds):
        held = [e for i, e in enumerate(examples) if i % folds == k]
        rest = [e for i, e in enumerate(examples) if i % folds != k]
        if not held:
            continue
        s = Suggester.trained(kit + rest, lexicon=lexicon, frames=frames, settings=settings)
        ours.update(_predict(s, held))
    base = {e.id: nb.predict(e.text) for e in examples}
    return {"suggester": metrics("suggester", examples, ours),
            "naive_bayes": metrics("naive_bayes", examples, base)}


def cross_writer(sets: Mapping[str, Sequence], *, course=None, settings=None,
                 progress: Callable[[str, int, int], None] | None = None) -> dict[str, dict[str, Metrics]]:
    """Cross-writer validation: each set of `sets` (name -> examples, one writer each) is
    predicted by a model trained on the kit's cases and the other sets only. The baseline
    learns from the kit's cases (summaries and rationales), as everywhere. `progress(name,
    done, total)` is called before each set. Returns {set name: {"suggester": Metrics,
    "naive_bayes": Metrics}}.
    """
    course, kit, _, lexicon, frames = _context(course)
    nb = NaiveBayes().fit(kit)
    out = {}
    before = (lambda k, n: progress(n, k, len(sets))) if progress else None
    for name, held, s in trained_without_each(sets, always=kit, lexicon=lexicon, frames=frames,
                                              settings=settings, before=before):
        out[name] = {"suggester": metrics("suggester", held, _predict(s, held)),
                     "naive_bayes": metrics("naive_bayes", held, {e.id: nb.predict(e.text) for e in held})}
    return out


def trained_without_each(sets: Mapping[str, Sequence], *, always: Sequence = (), lexicon=None, frames=None,
                         settings=None, before: Callable[[int, str], None] | None = None):
    """For each set of `sets` (name -> examples), yield (name, its examples, a Suggester trained
    on `always` and the other sets only): never on a text of the set it will predict.
    `before(index, name)` is called before each training."""
    from .suggester import Suggester

    for index, (name, held) in enumerate(sets.items()):
        if before:
            before(index, name)
        rest = [e for other, examples in sets.items() if other != name for e in examples]
        yield name, list(held), Suggester.trained(list(always) + rest, lexicon=lexicon, frames=frames,
                                                  settings=settings)


def read_blind(path: Path | str = BLIND_FILE):
    """Read a held-out set (id, description, key{axes, approach}) as Examples."""
    from .training import read_examples

    return read_examples(Path(path), "blind")


def held_out(path: Path | str = BLIND_FILE, course=None, *, examples=None) -> dict[str, Metrics]:
    """Measure on a held-out set: the suggester as shipped (trained on everything it may
    learn from), and the baseline trained on the kit's summaries and rationales.
    `examples`: the set already read from `path` (read_blind), if the caller has it."""
    from .suggester import default_suggester

    course, kit, _, _, _ = _context(course)
    examples = read_blind(path) if examples is None else list(examples)
    ours = _predict(default_suggester(course), examples)
    nb = NaiveBayes().fit(kit)
    base = {e.id: nb.predict(e.text) for e in examples}
    return {"suggester": metrics("suggester", examples, ours),
            "naive_bayes": metrics("naive_bayes", examples, base)}


def labeller_agreement(examples, predictions: Mapping) -> dict[str, dict[str, Metrics]]:
    """The suggester as one more person labelling: each labeller whose own reading the set
    keeps (Example.votes: writer, annotator_1, annotator_2) serves in turn as the reference,
    and the suggester's `predictions` (id -> (axes, approach)) and every other labeller's
    reading are scored against it, on the examples that keep all the readings.

    The key is the labellers' majority, so scoring against it favours them; against one
    labeller at a time, the suggester and another person are measured the same way.
    Returns {reference: {"suggester": Metrics, other labeller: Metrics}}, or {} when no
    example keeps every reading.
    """
    from .training import LABELLERS, Example

    kept = [e for e in examples if all(name in e.votes for name in LABELLERS)]
    if not kept:
        return {}
    out = {}
    for ref in LABELLERS:
        as_key = [Example(e.id, e.text, *e.votes[ref]) for e in kept]
        row = {"suggester": metrics("suggester", as_key, {e.id: predictions[e.id] for e in kept})}
        for other in LABELLERS:
            if other != ref:
                row[other] = metrics(other, as_key, {e.id: e.votes[other] for e in kept})
        out[ref] = row
    return out


def pooled(parts) -> tuple[list, dict]:
    """Examples and predictions of several sets as one: `parts` is [(set name, examples,
    predictions)]; ids are prefixed by the set's name so that two sets never collide."""
    examples, predictions = [], {}
    for name, group, preds in parts:
        for e in group:
            examples.append(replace(e, id=f"{name}/{e.id}"))
            predictions[f"{name}/{e.id}"] = preds[e.id]
    return examples, predictions
