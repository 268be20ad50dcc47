"""Benchmark: `ockit class-report` on 1,000 submissions of 40 answers, plus malformed files.

Generates the class in a temporary folder (ockit.sample, fixed seed), then times, as
subprocesses in the same run and alternately, three times each, the floor
`python -c "import pandas, matplotlib"` and the report, and compares the medians. Prints
both and the difference; exits 1 if the report takes more than 2 s beyond the floor, if its peak memory (resource.getrusage(RUSAGE_CHILDREN).ru_maxrss) exceeds 500 MB, or
if any malformed file is not named with its reason. When the kit has fewer than 40 cases,
constructed filler cases are written to a temporary --extra folder so each learner answers 40.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

LEARNERS = 1000
ANSWERS = 40
LIMIT_S = 2.0
LIMIT_MB = 500
ROUNDS = 3
MALFORMED = {
    "zz-casse.json": ('{"format": "ockit-submission/1", "answers": [', "JSON invalide"),
    "zz-autre.json": (json.dumps({"format": "autre-outil/3"}), "autre-outil/3"),
    "zz-cas-inconnu.json": (json.dumps({"format": "ockit-submission/1", "learner": "X", "answers": [
        {"case": "cas-fantome-bench", "axes": ["DEV"]}]}), "cas-fantome-bench"),
    "zz-code.json": (None, "QQQ"),  # filled in below with a known case
}


def filler_cases(folder: Path, count: int) -> None:
    """Write `count` constructed cases (clearly labelled as such) into folder/cases."""
    (folder / "cases").mkdir(parents=True)
    for i in range(count):
        case = {"id": f"bench-vignette-{i:02d}", "title": f"Vignette de banc d'essai {i}",
                "territory": "Quartier fictif",
                "summary": "Vignette inventée pour le banc d'essai : une OC soutient un comité.",
                "axes": {"DEV": "Le comité rassemble des gens du quartier autour d'un projet commun."},
                "approach": {"dominant": "SOCIOCOM", "secondary": []}, "acts": ["accompagner"],
                "label_provenance": "constructed", "source": None, "difficulty": 1 + i % 3,
                "hesitation": "Vignette de banc d'essai : aucune hésitation réelle à signaler."}
        (folder / "cases" / f"{case['id']}.yaml").write_text(
            yaml.safe_dump(case, allow_unicode=True), encoding="utf-8")


def timed(argv) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    return time.perf_counter() - start, done


def main() -> int:
    from ockit.data import load
    from ockit.sample import synthetic_submissions

    with tempfile.TemporaryDirectory(prefix="ockit-bench-") as tmp:
        tmp = Path(tmp)
        extra_args: list[str] = []
        kit = load()
        if len(kit.cases) < ANSWERS:
            filler_cases(tmp / "extra", ANSWERS - len(kit.cases))
            extra_args = ["--extra", str(tmp / "extra")]
            course = load(extra=[tmp / "extra"])
        else:
            course = kit
        ids = list(course.cases)[:ANSWERS]
        folder = tmp / "remises"
        folder.mkdir()
        start = time.perf_counter()
        for number, sub in enumerate(synthetic_submissions(course, learners=LEARNERS, seed=1,
                                                           case_ids=ids), 1):
            (folder / f"synthetique-{number:04d}.json").write_text(json.dumps(sub, ensure_ascii=False),
                                                                  encoding="utf-8")
        MALFORMED["zz-code.json"] = (json.dumps({"format": "ockit-submission/1", "learner": "Y",
                                                 "answers": [{"case": ids[0], "axes": ["QQQ"]}]}), "QQQ")
        for name, (text, _) in MALFORMED.items():
            (folder / name).write_text(text, encoding="utf-8")
        print(f"{LEARNERS} remises de {ANSWERS} réponses + {len(MALFORMED)} fichiers défectueux "
              f"générés en {time.perf_counter() - start:.2f} s")

        # Floor and report alternate, ROUNDS times each; medians resist a noisy shared machine.
        ockit = [sys.executable, "-m", "ockit.cli"]
        floors, reports = [], []
        for _ in range(ROUNDS):
            floors.append(timed([sys.executable, "-c", "import pandas, matplotlib"]))
            reports.append(timed([*ockit, "class-report", str(folder), "--out", str(tmp / "out"),
                                  *extra_args]))
        floor_s, floor = statistics.median(t for t, _ in floors), floors[-1][1]
        report_s, report = statistics.median(t for t, _ in reports), reports[-1][1]
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux
        if any(done.returncode for _, done in floors + reports):
            print(floor.stderr, report.stderr[-2000:], file=sys.stderr)
            return 1
        diff = report_s - floor_s
        print("mesures (plancher / rapport), dans l'ordre : "
              + ", ".join(f"{f:.2f} / {r:.2f} s" for (f, _), (r, _) in zip(floors, reports)))
        print(f"plancher (import pandas, matplotlib) : {floor_s:.2f} s (médiane de {ROUNDS})")
        print(f"ockit class-report                    : {report_s:.2f} s (médiane de {ROUNDS})")
        print(f"différence                            : {diff:.2f} s (limite {LIMIT_S:.1f} s)")
        print(f"mémoire maximale (sous-processus)     : {peak_mb:.0f} Mo (limite {LIMIT_MB} Mo)")
        failed = False
        for name, (_, word) in MALFORMED.items():
            named = any(name in line and word in line for line in report.stderr.splitlines())
            html = (tmp / "out" / "report.html").read_text(encoding="utf-8")
            if not named or name not in html:
                print(f"ÉCHEC : {name} n'est pas signalé avec sa raison", file=sys.stderr)
                failed = True
        if diff > LIMIT_S:
            print("ÉCHEC : le rapport dépasse le temps permis", file=sys.stderr)
            failed = True
        if peak_mb > LIMIT_MB:
            print("ÉCHEC : le rapport dépasse la mémoire permise", file=sys.stderr)
            failed = True
        return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
