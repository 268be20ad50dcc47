"""Benchmark: one training of the suggester, as `ockit evaluate` runs it (59 leave-one-out
trainings and one per training set, each on ~840 examples).

Floor measured in the same run: extracting the features of every training text anew
(ockit.features.extract_uncached), a fixed pure-Python workload of the same machine. The
workload: a leave-one-out round of N trainings (the kit's first N cases left out in turn; the
features memoized, as in `ockit evaluate`). Floor and trainings alternate, the medians are
compared. Prints the time of one training, the floor, their ratio and the estimated time of
`ockit evaluate`; exits 1 if the ratio exceeds LIMIT (measured on the development machine:
22 with the former dense training, 3 to 4.5 with the sparse one; LIMIT leaves a 2x margin for
noisy machines and still fails a return to the dense products).

    .venv/bin/python benchmarks/bench_evaluate.py [N]     # N trainings (default 3)
"""

from __future__ import annotations

import statistics
import sys
import time

LIMIT = 8.0
TRAININGS = 3


def main(argv=None) -> int:
    import ockit
    from ockit.features import extract, extract_uncached, load_frames
    from ockit.suggester import load_lexicon
    from ockit.training import train, training_examples, training_files

    argv = sys.argv[1:] if argv is None else argv
    count = int(argv[0]) if argv else TRAININGS
    course = ockit.load()
    examples = training_examples(course)
    kit = [e for e in examples if e.origin == "kit"]
    lexicon, frames = load_lexicon(), load_frames()[0]
    for e in examples:  # warm the memo, as the first training of `ockit evaluate` does
        extract(e.text, lexicon, frames)
    floors, trainings = [], []
    for i in range(count):
        start = time.perf_counter()
        for e in examples:
            extract_uncached(e.text, lexicon, frames)
        floors.append(time.perf_counter() - start)
        left_out = kit[i % len(kit)]
        start = time.perf_counter()
        train([e for e in examples if e is not left_out], lexicon, frames)
        trainings.append(time.perf_counter() - start)
    floor, one = statistics.median(floors), statistics.median(trainings)
    total = len(course.cases) + len(training_files())
    print(f"un entraînement ({len(examples) - 1} exemples) : {one:.2f} s (médiane de {count}); "
          f"plancher (extraction des traits de {len(examples)} textes) {floor:.2f} s; "
          f"ratio {one / floor:.2f}; limite {LIMIT}")
    print(f"ockit evaluate : {total} entraînements, environ {total * one / 60:.1f} min sur cette machine")
    if one / floor > LIMIT:
        print("ÉCHEC : l'entraînement dépasse la limite", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
