"""Build a labelled set from a writer's cases and two independent annotations.

    .venv/bin/python tools/adjudicate_labels.py CASES.yaml ANN1.yaml ANN2.yaml --out SET.yaml \
        [--about "..."] [--key-field label|key]

CASES.yaml: the writer's list (id, title, kind, region, known, description, writer_label{axes,
approach, why}). ANN1/ANN2: lists of {id, axes, approach, why}, written from the texts alone.
The key is, per axis, the majority of the three (axes ordered by mean rank, an absent axis
ranking last) and, for the approach, the majority (a three-way tie goes to the writer, and is
counted). Agreement between the two annotators (the ceiling), and of each with the key, is
written at the top of the output with kappa per axis. Training sets use --key-field label
(the format of data/training/), held-out sets --key-field key (data/evaluation/).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

AXES = ("DEV", "DSS", "ORG", "RESP")
APPROACHES = ("SOCIOECO", "SOCIOINST", "SOCIOCOM", "SOCIOPOL")


def _f1(pairs) -> float:
    tp = fp = fn = 0
    for a, b in pairs:
        tp += len(set(a) & set(b))
        fp += len(set(a) - set(b))
        fn += len(set(b) - set(a))
    return round(2 * tp / (2 * tp + fp + fn), 3) if tp else 0.0


def _kappa(x, y) -> float | None:
    n = len(x)
    po = sum(a == b for a, b in zip(x, y)) / n
    cats = set(x) | set(y)
    pe = sum((x.count(c) / n) * (y.count(c) / n) for c in cats)
    return round((po - pe) / (1 - pe), 3) if pe < 1 else None


def agreement(first, second) -> dict:
    """Agreement of two label lists ({axes, approach} each), in the format of the sets' headers."""
    return {"axes_micro_f1": _f1([(a["axes"], b["axes"]) for a, b in zip(first, second)]),
            "exact": round(sum(set(a["axes"]) == set(b["axes"]) for a, b in zip(first, second)) / len(first), 3),
            "approach": round(sum(a["approach"] == b["approach"] for a, b in zip(first, second)) / len(first), 3),
            "approach_kappa": _kappa([a["approach"] for a in first], [b["approach"] for b in second]),
            "axis_kappa": {c: _kappa([c in a["axes"] for a in first], [c in b["axes"] for b in second])
                           for c in AXES}}


def _check(label, where) -> dict:
    axes, approach = label.get("axes"), label.get("approach")
    if not isinstance(axes, list) or not axes or any(a not in AXES for a in axes) or len(set(axes)) != len(axes):
        sys.exit(f"{where} : champ axes invalide ({axes!r}).")
    if approach not in APPROACHES:
        sys.exit(f"{where} : champ approach invalide ({approach!r}).")
    return {"axes": list(axes), "approach": approach}


def adjudicate(labels) -> tuple[dict, bool]:
    """The key of three labels (writer first) and whether the approach was a three-way tie."""
    votes = {c: sum(c in lab["axes"] for lab in labels) for c in AXES}
    rank = {c: sum(lab["axes"].index(c) if c in lab["axes"] else len(AXES) for lab in labels) for c in AXES}
    axes = sorted((c for c in AXES if votes[c] >= 2), key=lambda c: (rank[c], AXES.index(c)))
    if not axes:  # no axis has two votes: the one with the best mean rank
        axes = [min(AXES, key=lambda c: (-votes[c], rank[c], AXES.index(c)))]
    approaches = [lab["approach"] for lab in labels]
    best = max(APPROACHES, key=approaches.count)
    tie = approaches.count(best) == 1
    return {"axes": axes, "approach": approaches[0] if tie else best}, tie


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases")
    ap.add_argument("annotations", nargs=2)
    ap.add_argument("--out", required=True)
    ap.add_argument("--about", default="")
    ap.add_argument("--key-field", choices=("label", "key"), default="label")
    args = ap.parse_args(argv)
    cases = yaml.safe_load(Path(args.cases).read_text(encoding="utf-8"))
    notes = [{item["id"]: item for item in yaml.safe_load(Path(p).read_text(encoding="utf-8"))}
             for p in args.annotations]
    ids = [c["id"] for c in cases]
    for path, got in zip(args.annotations, notes):
        if set(got) != set(ids):
            sys.exit(f"{path} : identifiants différents de {args.cases} "
                     f"(manquants {sorted(set(ids) - set(got))[:5]}, en trop {sorted(set(got) - set(ids))[:5]}).")
    out_cases, writer, first, second, keys, ties = [], [], [], [], [], 0
    for c in cases:
        w = _check(c["writer_label"], f"{args.cases} ({c['id']}, writer_label)")
        a1 = _check(notes[0][c["id"]], f"{args.annotations[0]} ({c['id']})")
        a2 = _check(notes[1][c["id"]], f"{args.annotations[1]} ({c['id']})")
        key, tie = adjudicate([w, a1, a2])
        ties += tie
        writer.append(w), first.append(a1), second.append(a2), keys.append(key)
        item = {k: c[k] for k in ("id", "title", "kind", "region", "known", "description") if k in c}
        item["description"] = " ".join(item["description"].split())
        if args.key_field == "label":
            item["label"] = {**key, "why": c["writer_label"].get("why", "")}
        else:
            item["key"] = key
        item.update({"writer": w, "annotator_1": a1, "annotator_2": a2})
        out_cases.append(item)
    header = {"about": " ".join(args.about.split()), "agreement": {
        "n": len(cases), "three_way_approach_ties": ties,
        "a1_vs_a2": agreement(first, second),
        "annotator_1_vs_key": agreement(first, keys), "annotator_2_vs_key": agreement(second, keys),
        "writer_vs_key": agreement(writer, keys)}, "cases": out_cases}
    Path(args.out).write_text(yaml.safe_dump(header, allow_unicode=True, sort_keys=False, width=110),
                              encoding="utf-8")
    a = header["agreement"]["a1_vs_a2"]
    print(f"{args.out}: {len(cases)} cas; annotateurs entre eux F1 {a['axes_micro_f1']} exact {a['exact']} "
          f"approche {a['approach']}; égalités d'approche {ties}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
