"""Cost of `import ockit` against the floor of a bare interpreter, measured in the same run.

Goal (issue 1/5): `import ockit` takes at most 0.15 s more than `python -c pass`.
Each command runs several times, alternating, and the medians are compared, because the
machine is shared and noisy. Exit 1 when the goal is missed.
"""

import statistics
import subprocess
import sys
import time

RUNS = 15
GOAL = 0.15


def once(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - start


def main() -> int:
    floor, kit = [], []
    for _ in range(RUNS):
        floor.append(once("pass"))
        kit.append(once("import ockit"))
    f, k = statistics.median(floor), statistics.median(kit)
    print(f"python -c pass      : {f * 1000:7.1f} ms (médiane de {RUNS})")
    print(f"python -c 'import ockit': {k * 1000:7.1f} ms")
    print(f"surcoût : {(k - f) * 1000:.1f} ms (objectif ≤ {GOAL * 1000:.0f} ms); ratio {k / f:.2f}")
    return 0 if k - f <= GOAL else 1


if __name__ == "__main__":
    sys.exit(main())
