"""Benchmark: `suggest` per case (after the first call) and `score` per answer.

Floors measured in the same run: for suggest, one normalization pass over the same texts
(ockit.text.normalize); for score, one dict lookup of the case per answer. Prints absolute
times and the ratio to each floor. Exits 1 if suggest takes more than 5 ms per case or score
more than 1 ms per answer, each with a 2x margin for noisy machines (10 ms, 2 ms).
"""

from __future__ import annotations

import random
import sys
import time

import ockit
from ockit.model import AXIS_CODES, APPROACH_CODES
from ockit.scoring import score
from ockit.suggester import case_text, suggest
from ockit.text import normalize

SUGGEST_MS = 5.0
SCORE_MS = 1.0
MARGIN = 2.0
ANSWERS = 40_000


def per_call_ms(fn, items, repeat=3) -> float:
    """Best-of-`repeat` mean time per item, in milliseconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for item in items:
            fn(item)
        best = min(best, (time.perf_counter() - start) / len(items))
    return best * 1000


def main() -> int:
    course = ockit.load()
    texts = [case_text(c) for c in course.cases.values()]
    suggest(texts[0])  # first call loads the lexicon and trains on the corpus

    floor_s = per_call_ms(normalize, texts)
    sugg = per_call_ms(suggest, texts)

    rng = random.Random(7)
    ids = list(course.cases)
    answers = [(rng.choice(ids), rng.sample(AXIS_CODES, rng.randint(0, 3)), rng.choice(APPROACH_CODES + (None,)))
               for _ in range(ANSWERS)]
    cases = course.cases
    floor_c = per_call_ms(lambda a: cases[a[0]], answers, repeat=1)
    sc = per_call_ms(lambda a: score(a[0], a[1], a[2], course=course), answers, repeat=1)

    print(f"suggest : {sugg:.3f} ms par cas ({len(texts)} cas); plancher (normalisation) "
          f"{floor_s:.3f} ms; ratio {sugg / floor_s:.1f}; cible {SUGGEST_MS} ms")
    print(f"score   : {sc:.4f} ms par réponse ({ANSWERS} réponses); plancher (recherche du cas) "
          f"{floor_c:.4f} ms; ratio {sc / floor_c:.0f}; cible {SCORE_MS} ms")
    failed = []
    if sugg > SUGGEST_MS * MARGIN:
        failed.append("suggest")
    if sc > SCORE_MS * MARGIN:
        failed.append("score")
    if failed:
        print("ÉCHEC : cible largement dépassée pour " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
