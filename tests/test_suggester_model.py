"""The model behind the suggester: its file, its features, negation, hesitation, and the wall
between what it learns from and the blind set."""

import builtins
import os
import itertools
import json
import math
import pathlib

import pytest
from dataclasses import replace
from hypothesis import given, settings
from hypothesis import strategies as st

import ockit
from ockit import training
from ockit.evaluation import EVALUATION_DIR, read_blind
from ockit.features import extract, load_frames
from ockit.hesitation import APPROACH_MARGIN, AXIS_MARGIN, detect, load_hesitations
from ockit.linear import Head
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.suggester import Suggester, case_text, load_lexicon, suggest
from ockit.text import tokens

COURSE = ockit.load()
LEXICON = load_lexicon()
FRAMES, FRAME_LABELS = load_frames()


def constructed_model(approach_weights, axis_bias=(-3.0, -3.0, -3.0, -3.0), axis_weights=None):
    """A TrainedModel written by hand: only the given features carry weight."""
    axes = Head("binary", AXIS_CODES, tuple(axis_bias), axis_weights or {"lex:DEV": (4.0, 0.0, 0.0, 0.0)})
    approach = Head("softmax", APPROACH_CODES, (0.0,) * 4, approach_weights)
    return training.TrainedModel(axes, approach, training.Settings(), "", {})


@pytest.fixture(scope="module")
def spied_training(tmp_path_factory):
    """One full training of the default model (the slowest step of this file, about 15 s),
    with every file it reads recorded: returns (model, paths read). Shared by the tests that
    need a fresh training."""
    seen = []
    real_open, real_text, real_bytes = builtins.open, pathlib.Path.read_text, pathlib.Path.read_bytes
    real_os_open = os.open

    def spy_open(file, *a, **k):
        seen.append(str(file))
        return real_open(file, *a, **k)

    def spy_text(self, *a, **k):
        seen.append(str(self))
        return real_text(self, *a, **k)

    def spy_bytes(self, *a, **k):
        seen.append(str(self))
        return real_bytes(self, *a, **k)

    def spy_os_open(file, *a, **k):  # the bounded reader (ockit.safeio) opens with os.open
        seen.append(str(file))
        return real_os_open(file, *a, **k)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "open", spy_os_open)
        mp.setattr(builtins, "open", spy_open)
        mp.setattr(pathlib.Path, "read_text", spy_text)
        mp.setattr(pathlib.Path, "read_bytes", spy_bytes)
        ockit.data.clear_cache()
        load_lexicon.cache_clear()
        load_frames.cache_clear()
        try:
            model = training.build_default()
        finally:
            ockit.data.clear_cache()
    return model, list(seen)


class TestModelFile:
    def test_stored_model_is_trained_on_the_current_data(self):
        """data/model/suggester.json carries the fingerprint of today's cases, training sets,
        lexicon, frames and settings (rerun tools/train_suggester.py when this fails)."""
        stored = training.load_model()
        assert stored is not None
        current = training.fingerprint(training.training_examples(COURSE), training.Settings(),
                                       training.lexicon_files())
        assert stored.fingerprint == current

    def test_stored_model_equals_a_fresh_training(self, spied_training):
        """Training is deterministic: retraining gives the stored weights."""
        fresh, stored = spied_training[0], training.load_model()
        assert fresh.combinations is not None and stored.combinations is not None
        assert fresh.combinations.outputs == stored.combinations.outputs
        for head in ("axes", "approach", "combinations"):
            a, b = getattr(fresh, head), getattr(stored, head)
            assert set(a.weights) == set(b.weights)
            for name in a.weights:
                assert a.weights[name] == pytest.approx(b.weights[name], abs=1e-4)

    def test_every_weight_names_a_known_feature(self):
        """Features are lexicon codes (absolute or relative to the top axis), frames of
        data/frames.yaml, or lower-case words."""
        stored = training.load_model()
        for head in (stored.axes, stored.approach, stored.combinations):
            for name in head.weights:
                family, _, rest = name.partition(":")
                assert (family == "lex" and rest in AXIS_CODES + APPROACH_CODES
                        or family == "rel" and rest in AXIS_CODES
                        or family == "frame" and rest in FRAME_LABELS
                        or family == "w" and rest and rest == rest.lower()), name

    def test_a_stale_model_file_is_not_used(self, tmp_path, monkeypatch, spied_training):
        """A model file whose fingerprint does not match the data is retrained, not trusted."""
        from ockit import suggester

        bogus = constructed_model({"lex:SOCIOPOL": (0.0, 0.0, 0.0, 9.0)})
        path = tmp_path / "suggester.json"
        training.save_model(bogus, path)
        monkeypatch.setattr(training, "MODEL_FILE", path)
        monkeypatch.setattr(suggester, "_TRAINED", {})
        calls = []

        def train(examples, *args, **kwargs):  # the same training, done once for this file
            calls.append(list(examples))
            return spied_training[0]

        monkeypatch.setattr(training, "train", train)
        got = suggester.default_suggester(COURSE)
        assert len(calls) == 1 and [e.id for e in calls[0]] == [e.id for e in training.training_examples(COURSE)]
        assert got.model is spied_training[0]
        assert got.model.fingerprint != bogus.fingerprint
        assert set(got.model.approach.weights) != set(bogus.approach.weights)


class TestTrainingNeverReadsTheBlindSet:
    def test_training_reads_cases_and_training_sets_but_nothing_under_evaluation(self, spied_training,
                                                                                  monkeypatch, tmp_path):
        """With every file read recorded, training opens data/training/ and never data/evaluation/."""
        seen = list(spied_training[1])
        assert any(str(training.TRAINING_DIR) in p for p in seen), "the spy records reads"
        assert any("/cases/" in p for p in seen)
        assert not any(str(EVALUATION_DIR) in p for p in seen)
        # a spy of the same kind does see a held-out file when the evaluation reads one
        blind = tmp_path / "evaluation" / "blind.yaml"
        blind.parent.mkdir()
        blind.write_text("- id: x\n  description: Une table de quartier.\n  key: {axes: [DEV], approach: SOCIOCOM}\n",
                         encoding="utf-8")
        opened = []
        real_os_open = os.open
        monkeypatch.setattr(os, "open", lambda file, *a, **k: opened.append(str(file)) or real_os_open(file, *a, **k))
        assert read_blind(blind)[0].axes == ("DEV",)
        assert str(blind) in opened

    def test_training_sets_do_not_repeat_blind_descriptions(self):
        """No description of any blind set is also a training text (both sets are stored)."""
        from ockit.evaluation import blind_files

        files = blind_files()
        assert {p.name for p in files} >= {"blind-2026.yaml", "blind-2026-b.yaml"}, (
            "les ensembles à l'aveugle doivent être rangés dans le dépôt")
        trained = {" ".join(e.text.split()) for e in training.training_examples(COURSE)}
        for path in files:
            blind = {" ".join(e.text.split()) for e in read_blind(path)}
            assert blind and not blind & trained, path.name


DEV_TEXTS = [e.text for e in training.training_examples(COURSE) if e.origin != "kit"]


class TestEvidence:
    @settings(max_examples=40, deadline=None)
    @given(st.sampled_from(DEV_TEXTS or ["Une table de quartier."]))
    def test_every_axis_and_approach_has_phrases_of_the_text(self, text):
        """On descriptions written outside the kit: each axis has evidence; all of it is verbatim."""
        result = suggest(text)
        assert result.axes
        assert len(result.axes) <= training.Settings().max_axes
        for code in result.axes:
            assert result.evidence.get(code)
        for code, phrases in result.evidence.items():
            assert all(p in text for p in phrases)
            assert set(result.learned.get(code, ())) <= set(phrases)
        for code, frames in result.frames.items():
            for frame, phrases in frames.items():
                assert frame in FRAME_LABELS and all(p in text for p in phrases)

    def test_probabilities_are_probabilities(self):
        """Axis probabilities lie in [0, 1]; approach probabilities sum to 1."""
        result = suggest(DEV_TEXTS[0] if DEV_TEXTS else "Une coopérative.")
        assert all(0.0 <= result.scores[c] <= 1.0 for c in AXIS_CODES + APPROACH_CODES)
        assert sum(result.scores[c] for c in APPROACH_CODES) == pytest.approx(1.0)


def plain_cues(lexicon):
    return [c for c in lexicon.cues if "*" not in c.phrase and len(c.words) >= 1]


class TestNegation:
    @pytest.mark.parametrize("negation", ["sans {}", "ne vise pas {}", "aucun {}", "ni {}"])
    def test_a_negated_cue_is_no_evidence(self, negation):
        """« sans X », « ne ... pas X »: the cue X no longer counts; written plainly, it does."""
        checked = 0
        for cue in plain_cues(LEXICON)[::7] + plain_cues(FRAMES)[::5]:
            plain = f"Le projet vise {cue.phrase} et rien d'autre."
            negated = f"Le projet {negation.format(cue.phrase)} et rien d'autre."
            spans_plain = {plain[a:b] for v in extract(plain, LEXICON, FRAMES).spans.values() for a, b in v}
            if cue.phrase not in spans_plain:
                continue  # a longer cue took the span; not this test's concern
            checked += 1
            spans_neg = {negated[a:b] for v in extract(negated, LEXICON, FRAMES).spans.values() for a, b in v}
            assert cue.phrase not in spans_neg, (negation, cue.phrase)
        assert checked > 20

    def test_restrictive_ne_que_is_not_a_negation(self):
        """« ne fait qu'appuyer » restricts, it does not negate « appuyer »... nor what follows."""
        text = "L'établissement ne fait que financer le comité de citoyens."
        spans = {text[a:b] for v in extract(text, LEXICON, FRAMES).spans.values() for a, b in v}
        assert "comité de citoyens" in spans


class TestHesitation:
    def test_close_approaches_are_named_with_what_decides(self):
        """Two approach cues of equal pull: the suggestion hesitates, names both, says what decides."""
        model = constructed_model({"lex:SOCIOCOM": (0.0, 0.0, 2.0, 0.0), "lex:SOCIOPOL": (0.0, 0.0, 0.0, 2.0)})
        s = Suggester(model, LEXICON, FRAMES)
        text = "Dans le quartier, l'entraide grandit et une pétition circule."
        result = s.suggest(text)
        assert result.scores["SOCIOCOM"] == pytest.approx(result.scores["SOCIOPOL"], abs=0.05)
        found = [h for h in result.hesitations if h.kind == "approach"]
        assert found and set(found[0].codes) == {"SOCIOCOM", "SOCIOPOL"}
        assert found[0].decides == load_hesitations()[0][frozenset(("SOCIOCOM", "SOCIOPOL"))]
        out = result.explain(COURSE)
        assert "hésite entre" in out and found[0].decides in out
        assert COURSE.approaches["SOCIOCOM"].label in out and COURSE.approaches["SOCIOPOL"].label in out
        data = result.to_dict()
        assert data["hesitant"] and {"SOCIOCOM", "SOCIOPOL"} == set(data["hesitations"][0]["codes"])

    def test_a_clear_lead_is_not_a_hesitation(self):
        """One approach far ahead: no approach hesitation."""
        model = constructed_model({"lex:SOCIOCOM": (0.0, 0.0, 6.0, 0.0)})
        result = Suggester(model, LEXICON, FRAMES).suggest("Dans le quartier, l'entraide grandit.")
        assert result.approach == "SOCIOCOM"
        assert not [h for h in result.hesitations if h.kind == "approach"]

    def test_an_axis_at_the_threshold_is_a_hesitation(self):
        """An axis whose probability sits on the threshold is named, with its deciding text."""
        # DEV's bias is the threshold's log-odds and its cue weighs almost nothing: a text with a
        # DEV cue scores just above the threshold; DSS, with a strong cue, is kept for sure.
        t = training.Settings().axis_threshold
        model = constructed_model({"lex:SOCIOCOM": (0.0, 0.0, 6.0, 0.0)},
                                  axis_bias=(math.log(t / (1 - t)), -3, -3, -3),
                                  axis_weights={"lex:DEV": (0.05, 0.0, 0.0, 0.0),
                                                "lex:DSS": (0.0, 8.0, 0.0, 0.0)})
        result = Suggester(model, LEXICON, FRAMES).suggest(
            "Dans le quartier, l'entraide grandit contre la pauvreté.")
        assert result.axes[0] == "DSS" and result.scores["DEV"] == pytest.approx(t, abs=0.02)
        axis = [h for h in result.hesitations if h.kind == "axis"]
        assert [h.codes for h in axis] == [("DEV",)]
        assert axis[0].decides == load_hesitations()[1]["DEV"]

    def test_the_only_axis_with_evidence_is_no_close_call(self):
        """An axis that would be kept anyway (the only one the text supports: at least one axis
        is always proposed) is not called a hesitation, even at the threshold."""
        t = training.Settings().axis_threshold
        model = constructed_model({"lex:SOCIOCOM": (0.0, 0.0, 6.0, 0.0)},
                                  axis_bias=(math.log(t / (1 - t)), -3, -3, -3),
                                  axis_weights={"lex:DEV": (0.05, 0.0, 0.0, 0.0)})
        result = Suggester(model, LEXICON, FRAMES).suggest("Dans le quartier, l'entraide grandit.")
        assert result.axes == ("DEV",)
        assert not [h for h in result.hesitations if h.kind == "axis"]

    @given(st.lists(st.floats(0.0, 1.0), min_size=8, max_size=8))
    def test_detect_hesitates_exactly_when_the_top_two_are_close(self, values):
        """The approach hesitation appears iff the top two approaches are within the margin."""
        probs = dict(zip(AXIS_CODES + APPROACH_CODES, values))
        top = sorted((probs[c] for c in APPROACH_CODES), reverse=True)
        found = detect(probs, 0.5)
        assert any(h.kind == "approach" for h in found) == (top[0] - top[1] < APPROACH_MARGIN)
        for h in found:
            if h.kind == "axis":  # by default the margin is the axis's own log-odds
                p = min(max(probs[h.codes[0]], 1e-9), 1 - 1e-9)
                assert abs(math.log(p / (1 - p))) < AXIS_MARGIN

    def test_every_pair_and_axis_has_a_deciding_text(self):
        """data/hesitations.yaml covers the six approach pairs and the four axes."""
        pairs, axes = load_hesitations()
        assert set(pairs) == {frozenset(p) for p in itertools.combinations(APPROACH_CODES, 2)}
        assert set(axes) == set(AXIS_CODES)
        assert all(len(t.split()) >= 12 for t in list(pairs.values()) + list(axes.values()))


class TestCombinations:
    """Which axes go together: the combinations head and the decision that uses it."""

    SETTINGS = training.Settings()

    @staticmethod
    def threshold_rule(probs, with_evidence, threshold, max_axes):
        """The rule without combinations, written out plainly: every axis with evidence at or
        above the threshold (at most max_axes, most probable first), else the most probable."""
        ranked = sorted(with_evidence, key=lambda c: (-probs[c], AXIS_CODES.index(c)))
        return tuple([c for c in ranked if probs[c] >= threshold][:max_axes] or ranked[:1])

    @given(st.lists(st.floats(0.001, 0.999), min_size=4, max_size=4),
           st.lists(st.booleans(), min_size=4, max_size=4), st.integers(1, 3))
    def test_without_combinations_it_is_the_threshold_rule(self, values, has, most):
        from ockit.suggester import choose_axes

        probs = dict(zip(AXIS_CODES, values))
        with_evidence = [c for c, h in zip(AXIS_CODES, has) if h]
        settings = replace(self.SETTINGS, max_axes=most)
        for combos, weight in (({}, 0.5), ({"DEV": 0.5, "DEV+DSS": 0.5}, 0.0)):
            got = choose_axes(probs, with_evidence, combos, replace(settings, combination_weight=weight))
            assert got == self.threshold_rule(probs, with_evidence, settings.axis_threshold, most)

    def test_a_likely_combination_brings_in_an_axis_below_the_threshold(self):
        from ockit.suggester import choose_axes

        probs = {"DEV": 0.3, "DSS": 0.9, "ORG": 0.1, "RESP": 0.1}
        s = replace(self.SETTINGS, axis_threshold=0.4, combination_weight=0.5)
        assert choose_axes(probs, AXIS_CODES, {"DSS": 0.1, "DEV+DSS": 0.8}, s) == ("DSS", "DEV")
        assert choose_axes(probs, AXIS_CODES, {"DSS": 0.8, "DEV+DSS": 0.1}, s) == ("DSS",)

    @given(st.lists(st.floats(0.001, 0.999), min_size=4, max_size=4),
           st.lists(st.booleans(), min_size=4, max_size=4),
           st.dictionaries(st.sampled_from(["DEV", "DSS", "DEV+DSS", "DEV+ORG", "DSS+ORG+RESP",
                                            "DEV+DSS+ORG+RESP"]), st.floats(0.001, 1.0)))
    def test_it_proposes_only_axes_with_evidence_and_at_most_max_axes(self, values, has, combos):
        from ockit.suggester import axis_margins, choose_axes, decide_axes

        probs = dict(zip(AXIS_CODES, values))
        with_evidence = [c for c, h in zip(AXIS_CODES, has) if h]
        got = choose_axes(probs, with_evidence, combos, self.SETTINGS)
        assert set(got) <= set(with_evidence) and len(got) <= self.SETTINGS.max_axes
        assert bool(got) == bool(with_evidence)
        assert list(got) == sorted(got, key=lambda c: (-probs[c], AXIS_CODES.index(c)))
        margins = axis_margins(probs, with_evidence, combos, self.SETTINGS)
        assert decide_axes(probs, with_evidence, combos, self.SETTINGS) == (got, margins)
        # A kept axis has a margin of at least zero, a dropped one at most zero (zero: a tie).
        assert all(margins[c] >= 0 for c in got)
        assert all(m <= 0 for c, m in margins.items() if c not in got)

    def test_the_head_learns_the_sets_the_cases_show(self):
        examples = [training.Example(f"x{i}", text, axes, "SOCIOCOM") for i, (text, axes) in enumerate([
            ("Le comité du quartier se concerte avec la table.", ("DEV",)),
            ("La table de quartier lutte contre la pauvreté.", ("DEV", "DSS")),
            ("Le conseil d'administration de l'organisme revoit sa gouvernance.", ("ORG",)),
            ("Le comité de quartier appuie l'organisme contre la pauvreté.", ("DSS", "DEV")),
        ])]
        model = training.train(examples, LEXICON, FRAMES)
        assert set(model.combinations.outputs) == {"DEV", "DEV+DSS", "ORG"}
        again = training.TrainedModel.from_dict(json.loads(json.dumps(model.to_dict())))
        assert again.combinations.outputs == model.combinations.outputs
        assert set(again.combinations.weights) == set(model.combinations.weights)
        for name, w in model.combinations.weights.items():
            assert again.combinations.weights[name] == pytest.approx(w, abs=1e-4)
        off = training.train(examples, LEXICON, FRAMES, replace(training.Settings(), combination_weight=0.0))
        assert off.combinations is None

    def test_the_explanation_says_what_the_combinations_changed(self):
        """An axis brought in under the threshold, or left out above it, is named with its
        probability and the threshold; nothing is said when the combinations changed nothing."""
        from ockit.suggester import Suggestion

        scores = {"DEV": 0.3, "DSS": 0.9, "ORG": 0.6, "RESP": 0.1, **{c: 0.25 for c in APPROACH_CODES}}
        evidence = {"DEV": ("quartier",), "DSS": ("pauvreté",), "ORG": ("organisme",)}
        changed = Suggestion(("DSS", "DEV"), scores, "SOCIOCOM", evidence, threshold=0.45,
                             combination=0.49, alone=("DSS", "ORG")).explain(COURSE)
        assert "DSS + DEV a une probabilité de 49 %" in changed
        assert "DEV est retenu à 30 %, sous le seuil de 45 %" in changed
        assert f"ORG ({COURSE.axes['ORG'].label}, 60 %) est écarté bien qu'au-dessus du seuil de 45 %" in changed
        same = Suggestion(("DSS", "ORG"), scores, "SOCIOCOM", evidence, threshold=0.45,
                          combination=0.49, alone=("ORG", "DSS")).explain(COURSE)
        assert "Combinaison d'axes" not in same and "écarté bien" not in same

    def test_a_set_the_cases_never_show_is_not_forced_out(self):
        """Sets missing from the combinations head count as the rarest one: two weak axes are
        not forced on the learner because only their pair was seen."""
        from ockit.suggester import choose_axes

        probs = {"DEV": 0.01, "DSS": 0.01, "ORG": 0.0, "RESP": 0.0}
        s = replace(self.SETTINGS, axis_threshold=0.45, combination_weight=0.5)
        assert choose_axes(probs, ["DEV", "DSS"], {"DEV+DSS": 0.01, "ORG": 0.99}, s) == ("DEV",)

    def test_just_under_the_threshold_is_dropped_as_by_the_threshold_rule(self):
        from ockit.suggester import choose_axes

        t = self.SETTINGS.axis_threshold
        probs = {"DEV": 0.9, "DSS": math.nextafter(t, 0), "ORG": t, "RESP": 0.0}
        for weight in (0.0, self.SETTINGS.combination_weight):
            got = choose_axes(probs, AXIS_CODES, {}, replace(self.SETTINGS, combination_weight=weight))
            assert got == ("DEV", "ORG")

    @pytest.mark.parametrize("combinations", ["absent", None])
    def test_a_model_file_without_combinations_decides_axis_by_axis(self, tmp_path, combinations):
        """A stored model of the older format is not used (retrained); one without the head
        still suggests, each axis against the threshold."""
        stored = training.load_model()
        data = stored.to_dict()
        old = {**data, "format": "ockit-suggester-model/1"}
        path = tmp_path / "old.json"
        path.write_text(json.dumps(old), encoding="utf-8")
        assert training.load_model(path) is None
        if combinations == "absent":
            del data["combinations"]
        else:
            data["combinations"] = combinations
        path.write_text(json.dumps(data), encoding="utf-8")
        model = training.load_model(path)
        assert model is not None and model.combinations is None
        result = Suggester(model, LEXICON, FRAMES).suggest(case_text(COURSE.cases["marche-sante"]))
        ranked = [c for c in sorted(AXIS_CODES, key=lambda c: -result.scores[c]) if c in result.evidence]
        expected = [c for c in ranked if result.scores[c] >= model.settings.axis_threshold][:3] or ranked[:1]
        assert list(result.axes) == expected and result.combination is None


class TestSpeedOfOneText:
    def test_one_suggestion_does_not_retrain(self):
        """The default suggester is built once: the second call reuses the same model."""
        from ockit.suggester import default_suggester

        assert default_suggester(COURSE) is default_suggester(COURSE)
        assert tokens("x") is not None


def test_notebook_07_shows_a_hesitation_where_its_text_says_so():
    """Lesson 07 tells learners that the suggester says when it hesitates, right after its
    example: the suggester must hesitate on that example's description (change the example if
    a retrained model no longer does)."""
    import ast
    import json

    from tests.helpers import REPO

    nb = json.loads((REPO / "notebooks" / "07_synthese_et_auto_evaluation.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    said = [i for i, c in enumerate(cells) if c["cell_type"] == "markdown"
            and "Quand l'outil de suggestion hésite" in "".join(c["source"])]
    assert said, "la leçon 07 n'annonce plus les hésitations de l'outil de suggestion"
    example = next(c for c in reversed(cells[:said[0]]) if c["cell_type"] == "code")
    tree = ast.parse("".join(example["source"]))
    description = next(n.args[0].value for n in ast.walk(tree) if isinstance(n, ast.Call)
                       and getattr(n.func, "id", "") == "SuggestionPanel")
    got = ockit.suggest(description)
    assert any(h.kind == "approach" for h in got.hesitations)
    assert got.approach in next(h.codes for h in got.hesitations if h.kind == "approach")


def test_a_frame_names_a_repeated_phrase_once():
    text = ("Des parents du quartier se réunissent. Les parents veulent une halte-garderie; "
            "l'OC anime les rencontres des parents.")
    got = ockit.suggest(text)
    for code, frames in got.frames.items():
        for frame, phrases in frames.items():
            assert len(phrases) == len(set(phrases)), (code, frame, phrases)
    assert any("parents" in p for frames in got.frames.values() for ps in frames.values() for p in ps)


def test_naming_decision_makers_is_not_a_rights_frame():
    """Naming the conseil municipal is not a conflict: the frame for that needs a claim
    (a petition, a demand); a decision-making body alone is its own frame."""
    lexicon = ockit.suggester.load_lexicon()
    named = extract("Le comité attend la réponse du conseil municipal.", lexicon, FRAMES)
    assert "frame:decideurs" in named.values
    assert "frame:conflit_droits" not in named.values
    claimed = extract("Le comité dépose une pétition au conseil municipal.", lexicon, FRAMES)
    assert {"frame:decideurs", "frame:conflit_droits"} <= set(claimed.values)
