"""A small linear model over named features: one logistic output per axis, a softmax over the
approaches. Training uses numpy (imported lazily); prediction is plain Python over the few
features a text has, so `suggest` needs no numpy and stays fast.

The model is plain data (feature name -> one weight per output), saved as JSON, so that every
weight can be read, shown and checked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

# L2 penalty per feature family: hand-written lexicon and frame features are few and trusted,
# word features are many and must earn their weight across several cases.
PENALTY = {"lex:": 0.02, "frame:": 0.05, "w:": 0.15}
ITERATIONS = 400


def penalty_of(name: str, penalty: Mapping[str, float]) -> float:
    for prefix, lam in penalty.items():
        if name.startswith(prefix):
            return lam
    return max(penalty.values())


@dataclass(frozen=True)
class Head:
    """One group of outputs: `kind` "binary" (independent sigmoids) or "softmax"."""

    kind: str
    outputs: tuple[str, ...]
    bias: tuple[float, ...]
    weights: Mapping[str, tuple[float, ...]]
    temperature: float = 1.0

    def __post_init__(self):
        # Softmax logits are unchanged by a constant per feature: what pushes towards one
        # output is its weight against the mean of the outputs. Computed once, for speed.
        if self.kind == "softmax":
            centered = {n: tuple(v - sum(w) / len(w) for v in w) for n, w in self.weights.items()}
        else:
            centered = self.weights
        object.__setattr__(self, "_pushes", centered)

    def logits(self, values: Mapping[str, float]) -> list[float]:
        z = list(self.bias)
        for name, x in values.items():
            w = self.weights.get(name)
            if w is not None:
                for k, wk in enumerate(w):
                    z[k] += wk * x
        return [v / self.temperature for v in z]

    def probabilities(self, values: Mapping[str, float]) -> dict[str, float]:
        z = self.logits(values)
        if self.kind == "binary":
            return {o: _sigmoid(v) for o, v in zip(self.outputs, z)}
        top = max(z)
        e = [math.exp(v - top) for v in z]
        s = sum(e)
        return {o: v / s for o, v in zip(self.outputs, e)}

    def contributions(self, values: Mapping[str, float], output: str) -> dict[str, float]:
        """Return feature -> its push towards `output` (for a softmax, against the mean output)."""
        return self.all_contributions(values)[output]

    def all_contributions(self, values: Mapping[str, float]) -> dict[str, dict[str, float]]:
        """Return output -> {feature: its non-zero push towards that output}, in one pass."""
        pushes, t = self._pushes, self.temperature
        present = [(name, x, pushes[name]) for name, x in values.items() if name in pushes]
        return {o: {name: w[k] * x / t for name, x, w in present if w[k] * x}
                for k, o in enumerate(self.outputs)}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "outputs": list(self.outputs), "bias": [round(b, 6) for b in self.bias],
                "temperature": round(self.temperature, 4),
                "weights": {n: [round(v, 6) for v in w] for n, w in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, d) -> "Head":
        return cls(d["kind"], tuple(d["outputs"]), tuple(float(b) for b in d["bias"]),
                   {n: tuple(float(v) for v in w) for n, w in d["weights"].items()},
                   float(d.get("temperature", 1.0)))


def logit(p: float) -> float:
    """The log-odds of a probability (clipped away from 0 and 1)."""
    p = min(max(p, 1e-9), 1 - 1e-9)
    return math.log(p / (1 - p))


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def fit_head(kind: str, outputs: Sequence[str], rows: Sequence[Mapping[str, float]],
             targets: Sequence, features: Sequence[str], penalty: Mapping[str, float] = PENALTY,
             iterations: int = ITERATIONS, sample_weight: Sequence[float] | None = None) -> Head:
    """Fit one head by accelerated gradient descent on the L2-penalized log loss.

    `targets`: for "binary", one set of outputs per row (those that are on); for "softmax",
    one output per row. Bias terms are not penalized. Deterministic (starts from zero).
    """
    import numpy as np

    index = {f: i for i, f in enumerate(features)}
    n, d, m = len(rows), len(features), len(outputs)
    x = np.zeros((n, d))
    for r, row in enumerate(rows):
        for name, v in row.items():
            i = index.get(name)
            if i is not None:
                x[r, i] = v
    y = np.zeros((n, m))
    for r, t in enumerate(targets):
        for k, o in enumerate(outputs):
            y[r, k] = (o in t) if kind == "binary" else (o == t)
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    sw = sw / sw.sum()
    lam = np.array([penalty_of(f, penalty) for f in features])[:, None]
    xb = np.hstack([x, np.ones((n, 1))])
    lam_b = np.vstack([lam, np.zeros((1, 1))])
    # Lipschitz bound of the gradient: sigmoid and softmax curvature are at most 1/4 and 1/2.
    curvature = 0.25 if kind == "binary" else 0.5
    scaled = xb * np.sqrt(sw)[:, None]
    lip = curvature * float(np.linalg.eigvalsh(scaled @ scaled.T)[-1]) + float(lam.max())
    step = 1.0 / lip
    w = np.zeros((d + 1, m))
    v = w.copy()
    t = 1.0
    for _ in range(iterations):
        z = xb @ v
        if kind == "binary":
            p = 1.0 / (1.0 + np.exp(-z))
        else:
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        grad = xb.T @ ((p - y) * sw[:, None]) + lam_b * v
        w_next = v - step * grad
        t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
        v = w_next + ((t - 1) / t_next) * (w_next - w)
        w, t = w_next, t_next
    if kind == "softmax":
        w = w - w.mean(axis=1, keepdims=True)  # softmax is unchanged; weights read better
    keep = np.abs(w[:d]).max(axis=1) > 1e-6
    rows_w = w[:d].tolist()
    weights = {f: tuple(rows_w[i]) for f, i in index.items() if keep[i]}
    return Head(kind, tuple(outputs), tuple(float(b) for b in w[d]), weights)
