"""Executing the course notebooks costs at most 1.5x as much as executing trivial ones.

In ONE pytest process with nbval (as `make test` runs them), this times every notebook of
notebooks/, exercises/ and solutions/, and as many "floor" notebooks that only import ockit,
pandas, matplotlib and ipywidgets. A kernel start and those imports are the floor no lesson can
go under; what a lesson adds on top (loading data, drawing figures, building widgets) must stay
within half of it. Prints both times and the ratio; exits 1 past the limit.

Usage: .venv/bin/python benchmarks/bench_notebooks.py [--limit 1.5]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("notebooks", "exercises", "solutions")
FLOOR_CODE = "import ockit\nimport pandas\nimport matplotlib.pyplot\nimport ipywidgets"


class Timer:
    """A pytest plugin that adds up setup + call + teardown time per notebook file."""

    def __init__(self):
        self.seconds = defaultdict(float)
        self.failed = []

    def pytest_runtest_logreport(self, report):
        # location, not nodeid: a notebook outside the rootdir gets an empty nodeid path.
        self.seconds[report.location[0]] += report.duration
        if report.failed:
            self.failed.append(report.nodeid)


def write_floor(folder: Path, count: int) -> list[Path]:
    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    paths = []
    for i in range(count):
        nb = new_notebook(cells=[new_code_cell(FLOOR_CODE)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        path = folder / f"floor_{i:02d}.ipynb"
        nbformat.write(nb, path)
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=float, default=1.5)
    args = parser.parse_args(argv)
    import pytest

    lessons = sorted(p for f in FOLDERS for p in (ROOT / f).glob("*.ipynb"))
    if not lessons:
        print("Aucun carnet à mesurer.", file=sys.stderr)
        return 1
    os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        os.environ["OCKIT_PROGRESS"] = str(tmp / "progress.json")  # never the learner's real store
        floor_dir = tmp / "floor"
        floor_dir.mkdir()
        floor = write_floor(floor_dir, len(lessons) + 1)
        warmup, floor = floor[0], floor[1:]
        # Interleave lessons and floor notebooks so that neither set gets a warmer machine.
        order = [warmup] + [p for pair in zip(floor, lessons) for p in pair]
        timer = Timer()
        started = time.perf_counter()
        code = pytest.main(["-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
                            "--nbval-sanitize-with", str(ROOT / "tests" / "nbval_sanitize.cfg"),
                            "--rootdir", str(ROOT), *map(str, order)], plugins=[timer])
        wall = time.perf_counter() - started

        def total(paths):
            return sum(v for k, v in timer.seconds.items() if any(k.endswith(p.name) and
                       Path(k).parent.name == p.parent.name for p in paths))

        lesson_time, floor_time = total(lessons), total(floor)
    ratio = lesson_time / floor_time if floor_time else float("inf")
    print(f"\n{len(lessons)} carnets du cours : {lesson_time:.2f} s")
    print(f"{len(floor)} carnets plancher   : {floor_time:.2f} s")
    print(f"rapport : {ratio:.2f} (limite {args.limit:.2f}); durée totale de pytest : {wall:.1f} s")
    if code != 0:
        print(f"pytest a échoué ({len(timer.failed)} cellule(s)) : la mesure n'est pas fiable.", file=sys.stderr)
        return 1
    if ratio > args.limit:
        print(f"Trop lent : les carnets coûtent {ratio:.2f} fois le plancher.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
