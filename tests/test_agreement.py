"""ockit.agreement: two experts' agreement per axis and on the approach, and the class beside it."""

import math
from itertools import product
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ockit
from ockit import agreement
from ockit.classroom import fleiss_kappa

COURSE = ockit.load()
SYNTHETIC = Path(__file__).parent / "fixtures" / "blind" / "synthetic.yaml"


def item(i, a1, a2, ap1=None, ap2=None):
    return {"id": f"c{i}", "annotator_1": {"axes": a1, "approach": ap1},
            "annotator_2": {"axes": a2, "approach": ap2}}


def test_cohen_kappa_of_the_textbook_table():
    """20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no: pₒ = 0.7, pₑ = 0.5, kappa = (0.7 - 0.5) / 0.5 = 0.4, by hand."""
    cells = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    result = agreement.cohen_kappa([a for a, _ in cells], [b for _, b in cells])
    assert result.kappa == pytest.approx(0.4) and result.percent == pytest.approx(0.7) and result.n == 50


@given(st.lists(st.tuples(st.sampled_from("abc"), st.sampled_from("abc")), min_size=1, max_size=40))
def test_cohen_kappa_matches_its_definition_and_bounds(pairs):
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    result = agreement.cohen_kappa(first, second)
    n = len(pairs)
    p_o = sum(a == b for a, b in pairs) / n
    p_e = sum((first.count(k) / n) * (second.count(k) / n) for k in "abc")
    assert result.percent == pytest.approx(p_o)
    if p_e < 1:
        assert result.kappa == pytest.approx((p_o - p_e) / (1 - p_e))
        assert -1 - 1e-9 <= result.kappa <= 1 + 1e-9
    else:
        assert result.kappa is None
    if first == second and p_e < 1:
        assert result.kappa == pytest.approx(1)


def test_two_raters_fleiss_and_cohen_agree_when_marginals_match():
    """With equal marginals, Cohen's kappa equals Scott's pi, which is Fleiss's kappa for two raters."""
    first = [True, True, False, False, True, False]
    second = [True, False, True, False, True, False]  # three yes each
    counts = [[int(a) + int(b), 2 - int(a) - int(b)] for a, b in zip(first, second)]
    assert agreement.cohen_kappa(first, second).kappa == pytest.approx(fleiss_kappa(counts))


def test_synthetic_file_per_axis_and_least_agreed():
    items = agreement.read_double(SYNTHETIC)
    result = agreement.expert_agreement(items)
    assert result.n == len(items) == 6
    for code in ("DEV", "DSS", "ORG", "RESP"):
        first = [code in i.first.axes for i in items]
        second = [code in i.second.axes for i in items]
        assert result.axes[code].percent == pytest.approx(sum(a == b for a, b in zip(first, second)) / 6)
        assert len(agreement.disagreements(items, code)) == sum(a != b for a, b in zip(first, second))
    kappas = {c: a.kappa for c, a in result.axes.items() if a.kappa is not None}
    assert result.least_agreed == min(kappas, key=kappas.get)
    assert result.approach.percent == pytest.approx(4 / 6)  # syn-3 and syn-5 differ
    text = agreement.describe(result, COURSE)
    assert "Les mêmes 6 cas" in text and COURSE.axes[result.least_agreed].label in text
    assert len(agreement.expert_table(result, COURSE)) == 5


def test_perfect_agreement_is_kappa_one_and_undefined_when_nobody_varies():
    items = agreement.parse_double([item(i, ["DEV"] if i % 2 else ["ORG"], ["DEV"] if i % 2 else ["ORG"],
                                         "SOCIOCOM", "SOCIOCOM") for i in range(6)])
    result = agreement.expert_agreement(items)
    assert result.axes["DEV"].kappa == pytest.approx(1) and result.axes["DEV"].percent == 1
    assert result.axes["RESP"].kappa is None  # neither expert ever ticked RESP
    assert result.approach.kappa is None


@pytest.mark.parametrize("data, words", [
    ([], "liste non vide"),
    ([item(1, ["DEV"], ["XYZ"])], "champ annotator_2"),
    ([item(1, ["DEV"], ["DEV"], "SOCIOFOO")], "approche inconnue"),
    ([item(1, ["DEV"], ["DEV"]), item(1, ["DEV"], ["DEV"])], "en double"),
    ([{"id": "c1", "annotator_1": {"axes": ["DEV"]}}], "champ annotator_2"),
    (["pas un objet"], "élément n° 1"),
])
def test_bad_files_are_french_errors_naming_the_case_and_field(data, words):
    with pytest.raises(agreement.AgreementError, match=words):
        agreement.parse_double(data, "double.yaml")


def test_unreadable_yaml_names_the_file(tmp_path):
    bad = tmp_path / "double.yaml"
    bad.write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(agreement.AgreementError, match="double.yaml.*YAML"):
        agreement.read_double(bad)
    with pytest.raises(agreement.AgreementError, match="introuvable"):
        agreement.read_double(tmp_path / "absent.yaml")


def test_class_beside_experts_reads_a_confused_class_and_a_hard_axis():
    import pandas as pd

    items = agreement.read_double(SYNTHETIC)
    experts = agreement.expert_agreement(items)
    ek = {c: a.kappa for c, a in experts.axes.items()}
    high = max((c for c in ek if ek[c] is not None), key=ek.get)
    class_kappa = {code: (ek[code] - 0.5 if code == high else ek[code]) if ek[code] is not None else math.nan
                   for code in ek}
    table = pd.DataFrame([{"axis": c, "kappa": k} for c, k in class_kappa.items()] + [{"axis": "ALL", "kappa": 0.1}])
    page = agreement.class_vs_experts_html(table, experts, COURSE)
    assert page.count("<tr>") == 1 + 4
    row = page.split(f"<td>{high} – ")[1].split("</tr>")[0]
    assert "bien moins que les deux annotations" in row
    assert "Les mêmes 6 cas" in page
    assert agreement.reading(0.2, 0.25) == agreement.reading(0.25, 0.2)  # close: same reading
    assert "divise même" in agreement.reading(0.2, 0.25)
    assert "non comparable" in agreement.reading(math.nan, 0.5)


def test_hesitation_is_shown_after_the_answer_for_hard_cases_only():
    hard = [c for c in COURSE.cases.values() if c.difficulty == 3 and c.hesitation]
    assert hard
    for case in COURSE.cases.values():
        note = agreement.hesitation_note(case)
        if case in hard:
            assert case.hesitation.strip() in note and note.startswith("Ce cas est discuté")
        else:
            assert note is None


def test_every_pair_of_yes_no_votes_is_counted_once():
    labels = list(product([True, False], repeat=2))
    result = agreement.cohen_kappa([a for a, _ in labels], [b for _, b in labels])
    assert sum(result.table.values()) == 4 and set(result.table) == set(labels)


def test_cli_prints_french_figures_and_json(tmp_path, capsys):
    import json

    from ockit.cli import main

    assert main(["agreement", str(SYNTHETIC)]) == 0
    out = capsys.readouterr().out
    assert "Les mêmes 6 cas" in out and "kappa de Cohen" in out
    assert main(["agreement", str(SYNTHETIC), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = agreement.expert_agreement(agreement.read_double(SYNTHETIC))
    assert data["n"] == 6 and data["least_agreed"] == expected.least_agreed
    assert data["disagreements"]["approach"] == ["syn-3", "syn-5"]
    bad = tmp_path / "double.yaml"
    bad.write_text("- id: x\n  annotator_1: {axes: [NOPE]}\n", encoding="utf-8")
    assert main(["agreement", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "cas x" in err and "Traceback" not in err


def test_tied_least_agreed_axes_are_all_named():
    # DEV and DSS each split once out of four, ORG and RESP never: a tie on the lowest kappa.
    data = [item(1, ["DEV", "DSS"], ["DEV", "DSS"]), item(2, ["DEV"], ["DSS"]), item(3, ["ORG"], ["ORG"]),
            item(4, ["RESP"], ["RESP"]), item(5, ["DSS", "ORG"], ["DEV", "ORG"]), item(6, [], ["RESP"]),
            item(7, ["RESP"], [])]
    result = agreement.expert_agreement(agreement.parse_double(data))
    kappas = {c: round(a.kappa, 3) for c, a in result.axes.items()}
    lowest = [c for c in kappas if kappas[c] == min(kappas.values())]
    assert list(result.least_agreed_axes) == lowest
    if len(lowest) > 1:
        assert "à égalité" in agreement.describe(result, COURSE)


def test_main_axis_and_exact_agreement():
    items = agreement.read_double(SYNTHETIC)
    result = agreement.expert_agreement(items)
    # In the synthetic set, every pair of annotations names the same axis first.
    assert result.first_axis.percent == 1
    assert result.exact == pytest.approx(sum(i.first.axes == i.second.axes for i in items) / len(items))
    assert "Axe principal" in agreement.describe(result, COURSE)
    swapped = agreement.parse_double([item(1, ["DEV", "DSS"], ["DSS", "DEV"]), item(2, ["ORG"], ["ORG"])])
    both = agreement.expert_agreement(swapped)
    assert both.exact == 1 and both.first_axis.percent == 0.5  # same sets, not the same main axis


def test_an_annotation_file_is_read_as_untrusted(tmp_path):
    """Are an alias bomb, a duplicate key and a FIFO refused with a French AgreementError, never hung?"""
    import os

    from ockit.agreement import AgreementError, read_double

    bomb = tmp_path / "bombe.yaml"
    bomb.write_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefgh", "bcdefghi")), encoding="utf-8")
    twice = tmp_path / "double-cle.yaml"
    twice.write_text("cases: []\ncases: []\n", encoding="utf-8")
    fifo = tmp_path / "tube.yaml"
    os.mkfifo(fifo)
    for path in (bomb, twice, fifo):
        with pytest.raises(AgreementError, match=path.name):
            read_double(path)
