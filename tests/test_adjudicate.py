"""tools/adjudicate_labels.py: the key of a labelled set is the majority of three labels, and the
sets stored in data/ hold exactly that key beside the three labels it came from."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ockit.data import KIT_DATA
from ockit.model import AXIS_CODES

REPO = Path(__file__).resolve().parents[1]
TOOL = REPO / "tools" / "adjudicate_labels.py"


def run(tmp_path, writer, first, second, *extra):
    cases = [{"id": f"c{i}", "title": "t", "kind": "constructed", "region": "r", "known": None,
              "description": "Une description.", "writer_label": {**w, "why": "w"}} for i, w in enumerate(writer)]
    paths = []
    for name, labels in (("cases", cases), ("a1", [{"id": f"c{i}", **lab} for i, lab in enumerate(first)]),
                         ("a2", [{"id": f"c{i}", **lab} for i, lab in enumerate(second)])):
        paths.append(tmp_path / f"{name}.yaml")
        paths[-1].write_text(yaml.safe_dump(labels, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out.yaml"
    out.unlink(missing_ok=True)  # a failed run must not leave the previous run's output to read
    done = subprocess.run([sys.executable, str(TOOL), *map(str, paths), "--out", str(out), *extra],
                          capture_output=True, text=True)
    return done, (yaml.safe_load(out.read_text(encoding="utf-8")) if out.exists() else None)


def lab(axes, approach):
    return {"axes": axes, "approach": approach}


def test_axes_by_majority_in_mean_rank_order_and_approach_by_majority(tmp_path):
    done, got = run(tmp_path,
                    [lab(["DSS", "DEV"], "SOCIOPOL"), lab(["ORG"], "SOCIOECO")],
                    [lab(["DEV", "DSS", "ORG"], "SOCIOCOM"), lab(["ORG", "RESP"], "SOCIOCOM")],
                    [lab(["DEV", "DSS"], "SOCIOCOM"), lab(["RESP", "ORG"], "SOCIOINST")])
    assert done.returncode == 0, done.stderr
    first, second = got["cases"]
    # DSS ranks 0+1+1 = 2, DEV 1+0+0 = 1: DEV first; ORG has one vote only.
    assert first["label"] == {"axes": ["DEV", "DSS"], "approach": "SOCIOCOM", "why": "w"}
    # ORG (0+0+1) before RESP (4+1+0); a three-way approach tie goes to the writer, and is counted.
    assert second["label"]["axes"] == ["ORG", "RESP"] and second["label"]["approach"] == "SOCIOECO"
    assert got["agreement"]["three_way_approach_ties"] == 1
    assert first["writer"] == lab(["DSS", "DEV"], "SOCIOPOL")


def test_agreement_of_identical_annotators_is_one_and_of_opposed_ones_below(tmp_path):
    same = [lab(["DEV"], "SOCIOCOM"), lab(["DSS", "ORG"], "SOCIOPOL")]
    _, got = run(tmp_path, same, same, same, "--key-field", "key")
    a = got["agreement"]["a1_vs_a2"]
    assert a["axes_micro_f1"] == a["exact"] == a["approach"] == 1.0
    assert "key" in got["cases"][0] and "label" not in got["cases"][0]
    _, got = run(tmp_path, same, same, [lab(["RESP"], "SOCIOINST"), lab(["DSS"], "SOCIOPOL")])
    a = got["agreement"]["a1_vs_a2"]
    # pairs: (DEV vs RESP) tp 0 fp 1 fn 1; (DSS,ORG vs DSS) tp 1 fp 1 -> F1 = 2/(2+2+1) = 0.4
    assert a["axes_micro_f1"] == 0.4 and a["exact"] == 0.0 and a["approach"] == 0.5


def test_a_bad_code_is_named_with_its_file_and_case(tmp_path):
    done, got = run(tmp_path, [lab(["DEV"], "SOCIOCOM")], [lab(["XYZ"], "SOCIOCOM")], [lab(["DEV"], "SOCIOCOM")])
    assert done.returncode != 0 and got is None
    assert "a1.yaml" in done.stderr and "c0" in done.stderr and "axes" in done.stderr


def adjudicated_sets() -> list[Path]:
    """The stored sets that keep their three labels (the adjudicated format: a dict with cases)."""
    out = []
    for path in sorted((KIT_DATA / "training").glob("*.yaml")) + sorted((KIT_DATA / "evaluation").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and "writer" in data["cases"][0]:
            out.append(path)
    return out


def test_the_new_sets_keep_their_three_labels():
    names = {p.name for p in adjudicated_sets()}
    assert {"rapports-2026.yaml", "journal-2026.yaml", "presse-2026.yaml", "blind-2026.yaml",
            "blind-2026-b.yaml"} <= names


@pytest.mark.parametrize("path", adjudicated_sets(), ids=lambda p: p.name)
def test_stored_keys_are_the_majority_of_their_three_labels(path):
    """Recomputed with plain counting: an axis is in the key iff two of the three labels hold it,
    and the approach is the one two of them give (else the writer's)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for case in data["cases"]:
        key = case.get("label") or case.get("key")
        labels = [case["writer"], case["annotator_1"], case["annotator_2"]]
        votes = {c: sum(c in lab["axes"] for lab in labels) for c in AXIS_CODES}
        rank = {c: sum(lab["axes"].index(c) if c in lab["axes"] else 4 for lab in labels) for c in AXIS_CODES}
        expected = {c for c, v in votes.items() if v >= 2} or {min(AXIS_CODES, key=lambda c: (-votes[c], rank[c]))}
        assert set(key["axes"]) == expected, (path.name, case["id"])
        approaches = [lab["approach"] for lab in labels]
        common = [a for a in approaches if approaches.count(a) >= 2]
        assert key["approach"] == (common[0] if common else approaches[0]), (path.name, case["id"])


@pytest.mark.parametrize("path", adjudicated_sets(), ids=lambda p: p.name)
def test_stored_agreement_of_the_two_annotators_is_what_their_labels_give(path):
    """The header's annotator agreement (quoted in the READMEs), recounted with plain loops."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    pairs = [(c["annotator_1"], c["annotator_2"]) for c in data["cases"]]
    tp = sum(len(set(a["axes"]) & set(b["axes"])) for a, b in pairs)
    differ = sum(len(set(a["axes"]) ^ set(b["axes"])) for a, b in pairs)
    stated = data["agreement"]["a1_vs_a2"]
    assert stated["axes_micro_f1"] == pytest.approx(2 * tp / (2 * tp + differ), abs=6e-4)
    assert stated["exact"] == pytest.approx(sum(set(a["axes"]) == set(b["axes"]) for a, b in pairs) / len(pairs), abs=6e-4)
    assert stated["approach"] == pytest.approx(sum(a["approach"] == b["approach"] for a, b in pairs) / len(pairs), abs=6e-4)
    assert data["agreement"]["n"] == len(pairs)
