"""Print the axis-first x dominant-approach table of the kit's corpus (issue #16).

For each reference axis, count the cases that list it first and, among them, how many have
each dominant approach; flag any axis with at least MIN_CASES such cases where one approach
covers more than MAX_SHARE of them (the rule tests/test_corpus.py checks).

    .venv/bin/python tools/axis_approach_table.py [--json]
"""

from __future__ import annotations

import json
import sys
from collections import Counter

from ockit.data import load
from ockit.model import APPROACH_CODES, AXIS_CODES

MIN_CASES = 8
MAX_SHARE = 0.70


def table(course=None) -> dict[str, Counter]:
    """Return {axis: Counter(dominant approach or None)} over the cases listing the axis first."""
    course = course or load()
    out = {code: Counter() for code in AXIS_CODES}
    for case in course.cases.values():
        out[case.axes[0]][case.approach.dominant] += 1
    return out


def offenders(counts: dict[str, Counter]) -> list[tuple[str, str, int, int]]:
    """Return (axis, approach, n, total) where one approach follows the axis too often."""
    bad = []
    for axis, counter in counts.items():
        total = sum(counter.values())
        if total >= MIN_CASES:
            approach, n = counter.most_common(1)[0]
            if n / total > MAX_SHARE:
                bad.append((axis, approach, n, total))
    return bad


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    counts = table()
    if "--json" in argv:
        print(json.dumps({a: {str(k): v for k, v in c.items()} for a, c in counts.items()}, indent=1))
        return 0
    cols = list(APPROACH_CODES) + [None]
    print("axe 1er  " + "".join(f"{str(c or 'aucune'):>10}" for c in cols) + "     total  max %")
    for axis, counter in counts.items():
        total = sum(counter.values())
        top = max(counter.values()) / total if total else 0
        print(f"{axis:<8}" + "".join(f"{counter.get(c, 0):>10}" for c in cols) + f"{total:>10}  {top:5.0%}")
    print(f"{len(load().cases)} cas")
    for axis, approach, n, total in offenders(counts):
        print(f"TROP PRÉVISIBLE : {axis} premier -> {approach} dans {n}/{total} cas")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
