"""ockit.evaluation: held-out cases stay out of training, and the metrics are right."""

import json

import pytest

import ockit
from ockit.evaluation import NaiveBayes, as_example, cross_validate, metrics
from ockit.features import load_frames
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.suggester import load_lexicon
from ockit.text import words
from ockit.training import Example, kit_examples, train
from tests.helpers import small_kit

COURSE = ockit.load()
KIT = kit_examples(COURSE)


def unique_words(example, pool):
    """Words of this example's text that no other text of `pool` contains."""
    others = set().union(*(set(words(e.text)) for e in pool if e is not example))
    return set(words(example.text)) - others


class TestHeldOut:
    def test_models_trained_without_a_case_never_saw_its_unique_words(self):
        """Trained on the kit minus X, neither model holds X's words that are X's alone."""
        example = max(KIT, key=lambda e: len(unique_words(e, KIT)))
        own = unique_words(example, KIT)
        assert own, "some case has words of its own"
        rest = [e for e in KIT if e is not example]
        nb = NaiveBayes(with_rationales=False).fit(rest)
        model = train(rest + [rest[0], rest[1]], load_lexicon(), load_frames()[0])
        learned = {n[2:] for head in (model.axes, model.approach) for n in head.weights if n.startswith("w:")}
        assert not own & nb.vocabulary
        assert not own & learned
        # and trained with it (twice, to pass the minimum count), they do see them
        assert own <= NaiveBayes().fit(KIT).vocabulary
        model = train(KIT + [example], load_lexicon(), load_frames()[0])
        learned = {n[2:] for head in (model.axes, model.approach) for n in head.weights if n.startswith("w:")}
        assert own & learned

    def test_cross_validation_predicts_every_example_once(self):
        """Each example of a training set is predicted by a model trained without its fold."""
        examples = [Example(f"t{i}", e.text, e.axes, e.approach, "t") for i, e in enumerate(KIT[:12])]
        results = cross_validate(examples, course=COURSE, folds=4)
        assert set(results) == {"suggester", "naive_bayes"}
        for m in results.values():
            assert set(m.predictions) == {e.id for e in examples}
            assert sum(sum(row.values()) for row in m.confusion.values()) == m.approach_cases


    def test_cross_writer_never_trains_on_the_set_it_predicts(self, monkeypatch):
        """Each set is predicted by a model trained on the kit and the other sets only."""
        from ockit import evaluation
        from ockit.suggester import Suggester

        sets = {name: [Example(f"{name}{i}", e.text, e.axes, e.approach, name) for i, e in enumerate(KIT[k:k + 5])]
                for name, k in (("a", 0), ("b", 5), ("c", 10))}
        seen = []
        real = Suggester.trained.__func__

        def spy(cls, examples, **kw):
            examples = list(examples)
            seen.append({e.id for e in examples})
            return real(cls, examples, **kw)

        monkeypatch.setattr(Suggester, "trained", classmethod(spy))
        results = evaluation.cross_writer(sets, course=COURSE)
        assert list(results) == ["a", "b", "c"] and len(seen) == 3
        for (name, examples), used in zip(sets.items(), seen):
            own = {e.id for e in examples}
            others = {e.id for n, ex in sets.items() if n != name for e in ex}
            assert not own & used and others <= used
            assert set(results[name]["suggester"].predictions) == own


def ex(i, axes, approach):
    return Example(str(i), "", tuple(axes), approach)


class TestMetrics:
    def test_micro_f1_counts_pairs(self):
        """2 cases: tp=2, fp=1, fn=1 over (case, axis) pairs gives F1 = 4/6."""
        cases = [ex("a", ["DEV", "DSS"], "SOCIOCOM"), ex("b", ["ORG"], None)]
        preds = {"a": (("DEV",), "SOCIOCOM"), "b": (("ORG", "RESP"), "SOCIOPOL")}
        m = metrics("x", cases, preds)
        assert m.micro_f1 == pytest.approx(4 / 6)
        assert m.axis_f1["DEV"] == 1.0 and m.axis_f1["DSS"] == 0.0 and m.axis_f1["RESP"] == 0.0
        assert (m.approach_accuracy, m.approach_cases) == (1.0, 1)

    def test_exact_set_recall_and_confusion(self):
        """Exact set ignores order; recall per class; the confusion matrix sums to the judged cases."""
        cases = [ex(1, ["DEV", "DSS"], "SOCIOCOM"), ex(2, ["ORG"], "SOCIOPOL"), ex(3, ["RESP"], "SOCIOPOL")]
        preds = {"1": (("DSS", "DEV"), "SOCIOCOM"), "2": (("ORG", "DEV"), "SOCIOCOM"), "3": (("RESP",), "SOCIOPOL")}
        m = metrics("x", cases, preds)
        assert m.exact_set == pytest.approx(2 / 3)
        assert m.axis_recall["DEV"] == 1.0 and m.axis_recall["ORG"] == 1.0
        assert m.approach_recall["SOCIOPOL"] == 0.5 and m.approach_recall["SOCIOECO"] is None
        assert m.confusion["SOCIOPOL"]["SOCIOCOM"] == 1 and m.confusion["SOCIOPOL"]["SOCIOPOL"] == 1
        assert sum(sum(r.values()) for r in m.confusion.values()) == 3

    def test_naive_bayes_learns_an_obvious_split(self):
        """Trained on clearly separated texts, the baseline predicts the matching label."""
        cases = [Example(str(i), t, (ax,), ap)
                 for i, (t, ax, ap) in enumerate([
                     ("logement loyer logement", "DSS", "SOCIOPOL"),
                     ("loyer logement salubrité", "DSS", "SOCIOPOL"),
                     ("conseil administration règlements", "ORG", "SOCIOCOM"),
                     ("règlements conseil gouvernance", "ORG", "SOCIOCOM")])]
        nb = NaiveBayes().fit(cases)
        assert nb.predict("un loyer et un logement") == (("DSS",), "SOCIOPOL")
        assert nb.predict("la gouvernance du conseil")[0][0] == "ORG"
        assert set(nb.predict("x")[0]) <= set(AXIS_CODES)

    def test_baseline_reads_rationales_when_told(self):
        """The baseline trained with rationales knows words only the rationales hold."""
        e = as_example(COURSE.cases[next(iter(COURSE.cases))])
        only_why = set(words(e.extra_text)) - set(words(e.text))
        assert only_why <= NaiveBayes().fit([e]).vocabulary
        assert not only_why & NaiveBayes(with_rationales=False).fit([e]).vocabulary


def voted(i, key, writer, a1, a2):
    """An example whose set keeps each labeller's reading: (axes, approach) each."""
    votes = {"writer": writer, "annotator_1": a1, "annotator_2": a2}
    return Example(str(i), "", tuple(key[0]), key[1], "t", votes={n: (tuple(v[0]), v[1]) for n, v in votes.items()})


class TestLabellerAgreement:
    CASES = [
        # key, writer, annotator 1, annotator 2
        voted(1, (["DEV"], "SOCIOCOM"), (["DEV"], "SOCIOCOM"), (["DEV"], "SOCIOCOM"), (["DEV", "DSS"], "SOCIOPOL")),
        voted(2, (["ORG"], "SOCIOECO"), (["ORG", "DEV"], "SOCIOECO"), (["ORG"], "SOCIOECO"), (["ORG"], "SOCIOECO")),
    ]
    PREDICTED = {"1": (("DEV",), "SOCIOPOL"), "2": (("ORG",), "SOCIOECO")}

    def test_each_labeller_is_the_reference_in_turn(self):
        """Against the writer: the suggester finds DEV and ORG (tp 2) and misses DEV of case 2
        (fn 1): F1 4/5; annotator 2 adds DSS to case 1 and misses DEV of case 2: F1 4/6."""
        from ockit.evaluation import labeller_agreement

        got = labeller_agreement(self.CASES, self.PREDICTED)
        assert set(got) == {"writer", "annotator_1", "annotator_2"}
        writer = got["writer"]
        assert set(writer) == {"suggester", "annotator_1", "annotator_2"}
        assert writer["suggester"].micro_f1 == pytest.approx(4 / 5)
        assert writer["suggester"].approach_accuracy == pytest.approx(1 / 2)
        assert writer["annotator_2"].micro_f1 == pytest.approx(4 / 6)
        assert writer["annotator_1"].exact_set == pytest.approx(1 / 2)
        # annotator 1 read both cases as the suggester did, but for the approach of case 1
        a1 = got["annotator_1"]["suggester"]
        assert (a1.micro_f1, a1.exact_set, a1.approach_accuracy) == (1.0, 1.0, 0.5)

    def test_the_table_puts_each_reference_on_its_row(self):
        from ockit.commands.evaluate import labeller_table
        from ockit.evaluation import labeller_agreement

        text = labeller_table({"ens-x": labeller_agreement(self.CASES, self.PREDICTED)})
        rows = [[c.strip() for c in line.split("  ") if c.strip()] for line in text.splitlines()
                if line.startswith("ens-x")]
        # set, cases, reference, suggester, writer, annotator 1, annotator 2
        assert rows[0][1:] == ["2", "rédaction", "0,800 / 0,500 / 0,500", "—", "0,800 / 0,500 / 1,000",
                               "0,667 / 0,000 / 0,500"]
        assert [r[2] for r in rows] == ["rédaction", "annotation 1", "annotation 2"]
        assert text.count("—") == 3

    def test_sets_without_every_reading_give_nothing(self):
        from ockit.evaluation import labeller_agreement

        bare = [Example("1", "", ("DEV",), "SOCIOCOM")]
        assert labeller_agreement(bare, {"1": (("DEV",), "SOCIOCOM")}) == {}

    def test_pooled_sets_never_mix_two_cases_with_the_same_id(self):
        from ockit.evaluation import pooled

        examples, predictions = pooled([("a", self.CASES, self.PREDICTED), ("b", self.CASES, self.PREDICTED)])
        assert len(examples) == 4 and len(predictions) == 4
        assert all(e.votes for e in examples)

    def test_readings_are_read_and_checked(self, tmp_path):
        from ockit.training import TrainingDataError, read_examples

        good = tmp_path / "ok.yaml"
        good.write_text("- id: x\n  description: Un texte.\n  key: {axes: [DEV], approach: SOCIOCOM}\n"
                        "  writer: {axes: [DEV, DSS], approach: SOCIOPOL}\n", encoding="utf-8")
        (e,) = read_examples(good, "b")
        assert e.votes == {"writer": (("DEV", "DSS"), "SOCIOPOL")} and e.axes == ("DEV",)
        bad = tmp_path / "bad.yaml"
        bad.write_text("- id: x\n  description: Un texte.\n  key: {axes: [DEV], approach: SOCIOCOM}\n"
                       "  annotator_2: {axes: [NOPE], approach: SOCIOCOM}\n", encoding="utf-8")
        with pytest.raises(TrainingDataError, match=r"bad.yaml \(cas x, champ annotator_2.axes\)"):
            read_examples(bad, "b")
        bad.write_text("- id: x\n  description: Un texte.\n  key: [DEV]\n", encoding="utf-8")
        with pytest.raises(TrainingDataError, match=r"cas x, champ key\)"):
            read_examples(bad, "b")


class TestEvaluateCommand:
    def test_json_reports_each_set_side_by_side(self, tmp_path, capsys, monkeypatch):
        """`ockit evaluate --json --blind F` on a small copy of the data: LOO, each training
        set's CV and the blind set, each with both methods, recall and the confusion matrix."""
        import yaml

        from ockit import training
        from ockit.cli import main

        small = tmp_path / "training"
        small.mkdir()
        dev = yaml.safe_load((training.TRAINING_DIR / "dev-2026.yaml").read_text(encoding="utf-8"))
        (small / "petit.yaml").write_text(yaml.safe_dump(dev[:10], allow_unicode=True), encoding="utf-8")
        monkeypatch.setattr(training, "TRAINING_DIR", small)

        copy = small_kit(tmp_path / "data", 6)
        blind = tmp_path / "blind.yaml"
        blind.write_text(
            "- id: b1\n  description: Des locataires font signer une pétition au conseil municipal.\n"
            "  key: {axes: [DSS], approach: SOCIOPOL}\n"
            "- id: b2\n  description: Le conseil d'administration révise ses règlements généraux.\n"
            "  key: {axes: [ORG], approach: SOCIOCOM}\n"
            "  writer: {axes: [ORG], approach: SOCIOCOM}\n  annotator_1: {axes: [ORG, DEV], approach: SOCIOCOM}\n"
            "  annotator_2: {axes: [ORG], approach: SOCIOECO}\n", encoding="utf-8")
        assert main(["evaluate", "--json", "--data", str(copy), "--blind", str(blind)]) == 0
        captured = capsys.readouterr()
        out = json.loads(captured.out)  # progress goes to stderr: stdout is JSON only
        assert "Un cas laissé de côté : 6 modèles" in captured.err
        assert "1/1 : petit" in captured.err and "À l'aveugle : blind.yaml" in captured.err
        assert set(out) == {"loo", "petit", "aveugle:blind"}
        for name, result in out.items():
            for method in ("suggester", "naive_bayes"):
                m = result[method]
                assert set(m["axis_recall"]) == set(AXIS_CODES)
                assert set(m["approach_recall"]) == set(APPROACH_CODES)
                assert sum(sum(r.values()) for r in m["approach_confusion"].values()) == m["approach_cases"]
        assert out["loo"]["suggester"]["cases"] == 6 and out["aveugle:blind"]["suggester"]["cases"] == 2
        assert out["aveugle:blind"]["file"] == str(blind)
        # b2 keeps every labeller's reading (b1 does not): each labeller is the reference in turn
        labellers = out["aveugle:blind"]["labellers"]
        assert set(labellers) == {"writer", "annotator_1", "annotator_2"}
        assert labellers["writer"]["annotator_1"]["micro_f1"] == pytest.approx(2 / 3, abs=1e-4)
        assert labellers["writer"]["annotator_2"]["approach_accuracy"] == 0.0
        assert labellers["annotator_1"]["suggester"]["cases"] == 1
        assert "labellers" not in out["petit"]  # dev-2026 keeps the writer's label only

    @pytest.mark.parametrize("content, words", [
        (b"\xff\xfe pas de l'UTF-8", "UTF-8"),
        (("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
          for p, c in zip("abcdefgh", "bcdefghi"))).encode(), "alias"),
        (b"- id: x\n  id: y\n  description: texte\n  key: {axes: [DEV], approach: SOCIOCOM}\n", "deux fois"),
        (b"cases: 5\n", "liste de cas"),
    ], ids=["not-utf8", "alias-bomb", "duplicate-key", "not-a-list"])
    def test_a_hostile_blind_file_is_refused_in_french_before_any_long_work(self, tmp_path, capsys, monkeypatch,
                                                                           content, words):
        from ockit import evaluation
        from ockit.cli import main

        def never(*args, **kwargs):
            raise AssertionError("la validation a commencé avant la lecture du fichier")

        monkeypatch.setattr(evaluation, "leave_one_out", never)
        bad = tmp_path / "aveugle.yaml"
        bad.write_bytes(content)
        assert main(["evaluate", "--blind", str(bad)]) == 1
        err = capsys.readouterr().err
        assert str(bad) in err and words in err and "Traceback" not in err

    def test_missing_blind_file_is_reported_in_french(self, tmp_path, capsys):
        from ockit.cli import main

        assert main(["evaluate", "--blind", str(tmp_path / "absent.yaml")]) == 1
        assert "introuvable" in capsys.readouterr().err
