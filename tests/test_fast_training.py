"""The fast training path (sparse products, a shared design, features extracted once and reused
across the trainings of `ockit evaluate`) gives what a training from scratch gives, and the
progress of `ockit evaluate` says how far it is and how long is left."""

import io
import json
import math
import re

import numpy as np
import pytest

import ockit
from ockit import features as feats
from ockit import training
from ockit.commands.evaluate import Progress, duration, progress_line, time_left
from ockit.features import extract_uncached, load_frames
from ockit.linear import Design, penalty_of
from ockit.model import AXIS_CODES
from ockit.suggester import Lexicon, Suggester, load_lexicon
from tests.helpers import small_kit

COURSE = ockit.load()
LEXICON = load_lexicon()
FRAMES = load_frames()[0]


def dense_fit_head(kind, outputs, rows, targets, features, penalty, iterations, sample_weight=None):
    """The training as it was before the fast path: dense matrices, BLAS products, LAPACK's
    eigenvalue, the bias as one more column (the reference the fast path must agree with)."""
    index = {f: i for i, f in enumerate(features)}
    n, d, m = len(rows), len(features), len(outputs)
    x = np.zeros((n, d))
    for r, row in enumerate(rows):
        for name, v in row.items():
            if name in index:
                x[r, index[name]] = v
    y = np.array([[(o in t) if kind == "binary" else (o == t) for o in outputs] for t in targets], dtype=float)
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    sw = sw / sw.sum()
    lam = np.array([penalty_of(f, penalty) for f in features])[:, None]
    xb = np.hstack([x, np.ones((n, 1))])
    lam_b = np.vstack([lam, np.zeros((1, 1))])
    scaled = xb * np.sqrt(sw)[:, None]
    lip = (0.25 if kind == "binary" else 0.5) * float(np.linalg.eigvalsh(scaled @ scaled.T)[-1]) + float(lam.max())
    w = np.zeros((d + 1, m))
    v, t = w.copy(), 1.0
    for _ in range(iterations):
        z = xb @ v
        if kind == "binary":
            p = 1.0 / (1.0 + np.exp(-z))
        else:
            p = np.exp(z - z.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
        w_next = v - (xb.T @ ((p - y) * sw[:, None]) + lam_b * v) / lip
        t_next = (1 + math.sqrt(1 + 4 * t * t)) / 2
        v = w_next + ((t - 1) / t_next) * (w_next - w)
        w, t = w_next, t_next
    if kind == "softmax":
        w = w - w.mean(axis=1, keepdims=True)
    return w[:d], w[d]


def from_scratch(examples, lexicon, frames, settings):
    """The weights of a training that reuses nothing: features extracted anew, dense fit."""
    rows = [extract_uncached(e.text, lexicon, frames).values for e in examples]
    df = {}
    for row in rows:
        for name in row:
            df[name] = df.get(name, 0) + 1
    names = sorted(n for n, k in df.items() if not n.startswith("w:") or k >= settings.word_min_df)
    w, b = dense_fit_head("binary", AXIS_CODES, rows, [set(e.axes) for e in examples], names,
                          settings.penalty, settings.iterations)
    return names, w, b


@pytest.fixture(scope="module")
def subset():
    """A small training set (kit cases and one training set's first texts) and held-out texts."""
    kit = training.kit_examples(COURSE)
    other = training.read_examples(training.training_files()[0], "autre")
    return kit[:24] + other[:24], kit[24:34] + other[24:34]


def half_lexicon():
    """Another lexicon than the kit's (every other cue): the features of a text change."""
    return Lexicon(LEXICON.cues[::2])


class TestSameAsFromScratch:
    SETTINGS = training.Settings(iterations=150)

    def test_reused_features_and_sparse_fit_predict_as_a_training_from_scratch(self, subset):
        """Trained with the kit's lexicon, then with another one (the feature memo is warm
        from the first): each suggester predicts the held-out texts as a training that
        extracts every feature anew and fits densely, and its axis weights agree to 1e-9."""
        learn, held = subset
        for lexicon in (LEXICON, half_lexicon()):
            fast = Suggester.trained(learn, lexicon=lexicon, frames=FRAMES, settings=self.SETTINGS)
            names, w, b = from_scratch(learn, lexicon, FRAMES, self.SETTINGS)
            head = fast.model.axes
            assert set(head.weights) == {n for n, row in zip(names, w) if np.abs(row).max() > 1e-6}
            for name, row in zip(names, w):
                if name in head.weights:
                    assert head.weights[name] == pytest.approx(tuple(row), abs=1e-9)
            assert head.bias == pytest.approx(tuple(b), abs=1e-9)
            reference = Suggester(training.TrainedModel(_head_of(names, w, b), fast.model.approach,
                                                        fast.model.settings, "", {}, fast.model.combinations),
                                  lexicon, FRAMES)
            for e in held:
                assert fast.suggest(e.text).axes == reference.suggest(e.text).axes, e.id

    def test_the_feature_memo_tells_lexicons_apart(self, subset):
        """What a memoized extraction returns is what an extraction anew returns, for the
        kit's lexicon and for another one, asked in turn."""
        learn, _ = subset
        other = half_lexicon()
        for lexicon in (LEXICON, other, LEXICON):
            for e in learn[:10]:
                assert feats.extract(e.text, lexicon, FRAMES).values == extract_uncached(e.text, lexicon, FRAMES).values


def _head_of(names, w, b):
    from ockit.linear import Head

    rows = w.tolist()
    return Head("binary", AXIS_CODES, tuple(float(x) for x in b),
                {n: tuple(r) for n, r in zip(names, rows) if max(abs(x) for x in r) > 1e-6})


@pytest.fixture(scope="module")
def design(subset):
    """The subset as a Design, with unequal sample weights: (design, rows, feature names)."""
    learn, _ = subset
    rows = [extract_uncached(e.text, LEXICON, FRAMES).values for e in learn]
    names = sorted({n for row in rows for n in row})
    weights = [1.0 + (i % 3) for i in range(len(rows))]
    return Design(rows, names, weights), rows, names


class TestDesign:
    def test_sparse_products_are_the_dense_products(self, design):
        design, rows, names = design
        dense = design.dense()[:, :-1]
        assert dense.shape == (len(rows), len(names))
        assert dense[0, names.index(next(iter(rows[0])))] == rows[0][next(iter(rows[0]))]
        rng = np.random.default_rng(3)
        v, g = rng.normal(size=(len(names), 5)), rng.normal(size=(len(rows), 5))
        assert np.allclose(design.times(v), dense @ v, rtol=0, atol=1e-12)
        assert np.allclose(design.times_transposed(g), dense.T @ g, rtol=0, atol=1e-12)

    def test_the_step_eigenvalue_is_lapacks(self, design):
        design = design[0]
        scaled = design.dense() * np.sqrt(design.sw)[:, None]
        assert design.top_eigenvalue() == pytest.approx(float(np.linalg.eigvalsh(scaled @ scaled.T)[-1]), rel=1e-12)


class FakeClock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class TestProgress:
    def test_the_line_gives_the_count_and_the_time_left(self):
        """12 of 59 done in 24 s: 47 left at 2 s each."""
        line = progress_line("Un cas laissé de côté", 12, 59, 24.0)
        got = re.fullmatch(r"Un cas laissé de côté : 12/59, environ (\d+) min (\d+) s restantes", line)
        assert got, line
        assert abs(int(got[1]) * 60 + int(got[2]) - 47 * 2) <= 5

    @pytest.mark.parametrize("seconds", [0.2, 7, 59.4, 61, 95, 599, 3599, 3600, 5000])
    def test_durations_read_back_to_what_they_say(self, seconds):
        text = duration(seconds)
        got = re.fullmatch(r"(?:(\d+) h (\d\d) min|(\d+) min(?: (\d+) s)?|(\d+) s)", text)
        assert got, text
        h, hm, m, ms, s = (int(x) if x else 0 for x in got.groups())
        assert abs(h * 3600 + hm * 60 + m * 60 + ms + s - seconds) <= (30 if h else 2.5 if m else 1)

    def test_no_time_left_before_the_first_step_or_after_the_last(self):
        assert time_left(0.0, 0, 59) is None and time_left(30.0, 59, 59) is None
        assert "terminé" in progress_line("Par rédacteur", 13, 13, 30.0)

    def test_on_a_terminal_each_stage_is_one_line_rewritten_in_place(self):
        out, clock = io.StringIO(), FakeClock()
        progress = Progress(out, live=True, clock=clock)
        progress.say("Un cas laissé de côté : 3 modèles à entraîner, un par cas de la trousse…")
        progress.begin("Un cas laissé de côté")
        for done in range(4):
            progress.cases(done, 3)
            clock.now += 10
        lines = out.getvalue().split("\n")
        assert len(lines) == 3 and lines[2] == ""  # the header, the stage's one line, the end
        drawn = lines[1].split("\r")[1:]
        assert [d.split(" : ")[1][:3] for d in drawn] == ["0/3", "1/3", "2/3", "3/3"]
        assert "environ 20 s restantes" in drawn[1] and "environ 10 s restantes" in drawn[2]
        assert "terminé en 30 s" in drawn[3]

    def test_elsewhere_a_line_every_ten_cases_with_the_time_left(self):
        out, clock = io.StringIO(), FakeClock()
        progress = Progress(out, clock=clock)  # a StringIO is no terminal
        assert not progress.live
        progress.begin("Un cas laissé de côté")
        for done in range(26):
            progress.cases(done, 25)
            clock.now += 2
        lines = out.getvalue().splitlines()
        assert len(lines) == 2 and "\r" not in out.getvalue()
        assert lines[0].startswith("  10 cas sur 25, environ 30 s restantes")
        assert lines[1].startswith("  20 cas sur 25, environ 10 s restantes")


class TestEvaluateCommandProgress:
    def test_json_stays_pure_json_when_stderr_is_a_terminal(self, tmp_path, monkeypatch, capsys):
        """With a terminal on stderr, the live progress lines go there, never to stdout."""
        import sys

        import yaml

        from ockit.cli import main

        small = tmp_path / "training"
        small.mkdir()
        dev = yaml.safe_load((training.TRAINING_DIR / "dev-2026.yaml").read_text(encoding="utf-8"))
        (small / "un.yaml").write_text(yaml.safe_dump(dev[:5], allow_unicode=True), encoding="utf-8")
        (small / "deux.yaml").write_text(yaml.safe_dump(dev[5:10], allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(training, "TRAINING_DIR", small)
        copy = small_kit(tmp_path / "data", 4)

        class Terminal(io.StringIO):
            def isatty(self):
                return True

        err = Terminal()
        monkeypatch.setattr(sys, "stderr", err)
        assert main(["evaluate", "--json", "--no-blind", "--data", str(copy)]) == 0
        out = capsys.readouterr().out
        assert set(json.loads(out)) == {"loo", "un", "deux"}
        assert "\r" not in out and "restantes" not in out
        text = err.getvalue()
        assert "\rUn cas laissé de côté : 4/4, terminé en" in text
        assert re.search(r"\rUn cas laissé de côté : 2/4, environ \d+( min( \d+ s)?| s) restantes", text)
        assert "\rPar rédacteur : 2/2, terminé en" in text
