"""A small linear model over named features: one logistic output per axis, a softmax over the
approaches. Training uses numpy (imported lazily), over a sparse matrix of the rows (Design);
prediction is plain Python over the few features a text has, so `suggest` needs no numpy and
stays fast.

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


class Design:
    """The rows of one training as a sparse matrix (numpy arrays), built once and shared by the
    heads that learn from the same rows, features and weights (the axes and the combinations).

    A text has a few dozen features out of a few thousand: products with the sparse matrix
    cost a fiftieth of the dense ones, and they sum the same products (in another order, so
    the weights agree with a dense fit to about 1e-14; the model file and every prediction
    are the same). The largest eigenvalue (the step of the descent) is computed once per
    design.
    """

    def __init__(self, rows: Sequence[Mapping[str, float]], features: Sequence[str],
                 sample_weight: Sequence[float] | None = None):
        import numpy as np

        self.features = tuple(features)
        index = {f: i for i, f in enumerate(self.features)}
        cols, vals, owner = [], [], []
        for r, row in enumerate(rows):
            for name, v in row.items():
                i = index.get(name)
                if i is not None and v:
                    cols.append(i)
                    vals.append(v)
                    owner.append(r)
        self.n, self.d = len(rows), len(self.features)
        self.cols = np.asarray(cols, dtype=np.intp)
        self.vals = np.asarray(vals, dtype=float)
        self.owner = np.asarray(owner, dtype=np.intp)
        # The entries are stored row after row; a copy ordered column after column serves the
        # transposed products. Each product sums the entries of a row (or a column) in place.
        order = np.argsort(self.cols, kind="stable")
        self._by_row = _Segments(self.cols, self.vals, self.owner, self.n)
        self._by_col = _Segments(self.owner[order], self.vals[order], self.cols[order], self.d)
        sw = np.ones(self.n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
        self.sw = sw / sw.sum()
        self._top = None

    def times(self, v):
        """X @ v, for v of shape (d, m), one output at a time (no BLAS, no threads)."""
        return self._by_row.times(v)

    def times_transposed(self, g):
        """X.T @ g, for g of shape (n, m)."""
        return self._by_col.times(g)

    def dense(self):
        """[X 1]: the rows with a bias column, as a dense array (the reference computation)."""
        import numpy as np

        xb = np.zeros((self.n, self.d + 1))
        xb[self.owner, self.cols] = self.vals
        xb[:, self.d] = 1.0
        return xb

    def top_eigenvalue(self) -> float:
        """The largest eigenvalue of S S.T, S = [X 1] scaled by the square root of the weights.

        By power iteration (S.T S applied through the sparse products), stopped when the
        residual is below 1e-10 of the estimate, which then agrees with LAPACK's dense
        eigvalsh to rounding; LAPACK on the dense matrix when it does not converge.
        """
        import numpy as np

        if self._top is not None:
            return self._top
        sw, d = self.sw, self.d

        def apply(u):  # S.T S u, u = (feature part, bias part)
            z = (self.times(u[:d, None])[:, 0] + u[d]) * sw
            return np.concatenate([self.times_transposed(z[:, None])[:, 0], [z.sum()]])

        u = np.ones(d + 1) / math.sqrt(d + 1)
        top = None
        for _ in range(POWER_ITERATIONS):
            au = apply(u)
            rq = float(u @ au)
            if rq <= 0:
                break
            if float(np.linalg.norm(au - rq * u)) <= POWER_TOLERANCE * rq:
                top = rq
                break
            u = au / np.linalg.norm(au)
        if top is None:
            scaled = self.dense() * np.sqrt(sw)[:, None]
            top = float(np.linalg.eigvalsh(scaled @ scaled.T)[-1])
        self._top = top
        return top


class _Segments:
    """Sparse entries grouped by the output they sum into (`owner`, sorted): out[owner] +=
    vals * a[index]. `np.add.reduceat` sums each group where it lies in memory."""

    def __init__(self, index, vals, owner, length):
        import numpy as np

        self.index, self.vals, self.length = index, vals, length
        counts = np.bincount(owner, minlength=length)
        self.filled = counts > 0
        self.starts = (np.cumsum(counts) - counts)[self.filled]

    def times(self, a):
        import numpy as np

        out = np.zeros((a.shape[1], self.length))
        if len(self.vals):
            # One row of products per output (contiguous), each group summed where it lies.
            products = np.ascontiguousarray(a.T).take(self.index, axis=1)
            products *= self.vals
            out[:, self.filled] = np.add.reduceat(products, self.starts, axis=1)
        return out.T


POWER_ITERATIONS = 2000
POWER_TOLERANCE = 1e-10


def fit_head(kind: str, outputs: Sequence[str], rows: Sequence[Mapping[str, float]] | None,
             targets: Sequence, features: Sequence[str], penalty: Mapping[str, float] = PENALTY,
             iterations: int = ITERATIONS, sample_weight: Sequence[float] | None = None,
             design: Design | None = None) -> Head:
    """Fit one head by accelerated gradient descent on the L2-penalized log loss.

    `targets`: for "binary", one set of outputs per row (those that are on); for "softmax",
    one output per row. Bias terms are not penalized. Deterministic (starts from zero).
    `design`: the rows, features and weights already built (Design), shared between heads;
    then `rows`, `features` and `sample_weight` are taken from it.
    """
    import numpy as np

    if design is None:
        design = Design(rows, features, sample_weight)
    features = design.features
    n, d, m = design.n, design.d, len(outputs)
    y = np.zeros((n, m))
    for r, t in enumerate(targets):
        for k, o in enumerate(outputs):
            y[r, k] = (o in t) if kind == "binary" else (o == t)
    sw = design.sw[:, None]
    lam = np.array([penalty_of(f, penalty) for f in features])[:, None]
    # Lipschitz bound of the gradient: sigmoid and softmax curvature are at most 1/4 and 1/2.
    curvature = 0.25 if kind == "binary" else 0.5
    lip = curvature * design.top_eigenvalue() + float(lam.max())
    step = 1.0 / lip
    # The weights of the features (w) and the biases (b), which are not penalized.
    w, b = np.zeros((d, m)), np.zeros(m)
    v, vb = w.copy(), b.copy()
    t = 1.0
    for _ in range(iterations):
        z = design.times(v) + vb
        if kind == "binary":
            p = 1.0 / (1.0 + np.exp(-z))
        else:
            z = z - z.max(axis=1, keepdims=True)
            p = np.exp(z)
            p /= p.sum(axis=1, keepdims=True)
        residual = (p - y) * sw
        w_next = v - step * (design.times_transposed(residual) + lam * v)
        b_next = vb - step * residual.sum(axis=0)
        t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
        momentum = (t - 1) / t_next
        v = w_next + momentum * (w_next - w)
        vb = b_next + momentum * (b_next - b)
        w, b, t = w_next, b_next, t_next
    w = np.vstack([w, b[None, :]])
    if kind == "softmax":
        w = w - w.mean(axis=1, keepdims=True)  # softmax is unchanged; weights read better
    keep = np.abs(w[:d]).max(axis=1) > 1e-6
    rows_w = w[:d].tolist()
    weights = {f: tuple(rows_w[i]) for i, f in enumerate(features) if keep[i]}
    return Head(kind, tuple(outputs), tuple(float(b) for b in w[d]), weights)
