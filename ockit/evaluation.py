"""Leave-one-out evaluation of the suggester against a naive-Bayes baseline.

For each case, every method is trained on all the other cases (the case being predicted is
never part of anything learned) and then predicts that case's axes and approach from its text.
Axes are scored with micro-F1 over (case, axis) pairs and per-axis F1; the approach with
accuracy over the cases whose key names a dominant approach.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from .model import APPROACH_CODES, AXIS_CODES


class NaiveBayes:
    """A plain bag-of-words multinomial naive Bayes, small and dependency-free.

    Axes: one binary classifier per axis (present / absent), keeping every axis whose
    posterior exceeds one half, and at least the most probable one. Approach: one multiclass
    classifier over the cases that have a dominant approach. Laplace smoothing (alpha = 1).
    """

    def __init__(self, alpha: float = 1.0):
        self.alpha = alpha
        self.vocabulary: frozenset = frozenset()

    def fit(self, cases, text_of: Callable | None = None) -> "NaiveBayes":
        """Learn from `cases` (only these); returns self."""
        from .suggester import case_text
        from .text import words

        text_of = text_of or case_text
        docs = [(words(text_of(c)), c) for c in cases]
        self.vocabulary = frozenset(w for d, _ in docs for w in d)
        self._axis = {code: self._train([(d, code in c.rationale) for d, c in docs])
                      for code in AXIS_CODES}
        labelled = [(d, c.approach.dominant) for d, c in docs if c.approach.dominant]
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
    """Leave-one-out results of one method."""

    method: str
    micro_f1: float
    axis_f1: Mapping[str, float]
    approach_accuracy: float
    cases: int
    approach_cases: int
    predictions: Mapping[str, tuple[tuple[str, ...], str | None]]

    def to_dict(self) -> dict:
        return {
            "method": self.method,
            "micro_f1": round(self.micro_f1, 4),
            "axis_f1": {c: round(v, 4) for c, v in self.axis_f1.items()},
            "approach_accuracy": round(self.approach_accuracy, 4),
            "cases": self.cases,
            "approach_cases": self.approach_cases,
        }


def metrics(method: str, cases: Sequence, predictions: Mapping) -> Metrics:
    """Return micro-F1, per-axis F1 and approach accuracy of `predictions` (id -> (axes, approach))."""
    tp = {c: 0 for c in AXIS_CODES}
    fp = dict(tp)
    fn = dict(tp)
    right = judged = 0
    for case in cases:
        axes, approach = predictions[case.id]
        for code in AXIS_CODES:
            truth, guess = code in case.rationale, code in axes
            tp[code] += truth and guess
            fp[code] += guess and not truth
            fn[code] += truth and not guess
        if case.approach.dominant:
            judged += 1
            right += approach == case.approach.dominant
    f1 = {c: _f1(tp[c], fp[c], fn[c]) for c in AXIS_CODES}
    micro = _f1(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return Metrics(method, micro, f1, right / judged if judged else 0.0, len(cases), judged,
                   dict(predictions))


def _f1(tp, fp, fn) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def leave_one_out(course=None, *, suggester_options: Mapping | None = None) -> dict[str, Metrics]:
    """Run leave-one-out for the suggester and the naive-Bayes baseline on `course`'s cases.

    Returns {"suggester": Metrics, "naive_bayes": Metrics}.
    """
    from .suggester import Suggester, case_text, load_lexicon

    if course is None:
        from .data import load

        course = load()
    cases = list(course.cases.values())
    lexicon = load_lexicon()
    ours, base = {}, {}
    for i, case in enumerate(cases):
        rest = cases[:i] + cases[i + 1:]
        s = Suggester.trained(rest, lexicon=lexicon, **(suggester_options or {}))
        got = s.suggest(case_text(case))
        ours[case.id] = (got.axes, got.approach)
        base[case.id] = NaiveBayes().fit(rest).predict(case_text(case))
    return {"suggester": metrics("suggester", cases, ours),
            "naive_bayes": metrics("naive_bayes", cases, base)}
