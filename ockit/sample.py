"""A synthetic class: made-up submissions to try the class report on, reproducibly.

Nothing here comes from real learners. Names, file names and the README say so. Each made-up
learner has a skill level; on each case they keep each key axis or miss it, and add other
axes, with chances that depend on that skill and on the case's difficulty (a case's tempting
`not_axes` are added more often, as real learners do). All draws come from one
`random.Random(seed)`, so the same seed and the same cases give the same files.

Regenerate the bundled sample with `python -m ockit.sample data/sample_class`.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from .model import APPROACH_CODES, AXIS_CODES
from .submission import FORMAT

SEED = 2026
LEARNERS = 24
NAME = "Personne synthétique {:02d}"
FILE = "synthetique-{:02d}.json"
DAY = "2026-11-23"

# Made-up reasons a learner might give for ticking an axis (our own words).
REASONS = {
    "DEV": "le projet rassemble les gens et les organismes du quartier autour d'un enjeu commun",
    "DSS": "on cherche à changer une condition de vie qui pèse sur la santé",
    "ORG": "un organisme demande un coup de main pour son propre fonctionnement",
    "RESP": "les équipes de l'établissement sont mises dans le coup",
}
MALFORMED = {
    # file name -> text: one of each kind of problem the report must survive
    "synthetique-casse-json.json": '{"format": "ockit-submission/1", "learner": "Personne synthétique 98",\n'
                                   '  "answers": [\n',
    "synthetique-autre-format.json": json.dumps({"format": "autre-outil/2", "nom": "Personne synthétique 97",
                                                 "reponses": []}, ensure_ascii=False, indent=2),
}
README = """# Classe synthétique (données inventées)

Ce dossier contient des **remises inventées**, produites par `ockit/sample.py` avec une graine
fixe ({seed}). Aucune ne vient d'une vraie personne : les noms (« Personne synthétique 01 »,
...) et les noms de fichiers (`synthetique-*.json`) le rappellent.

Elles servent à essayer le rapport de classe sans données réelles :

```
ockit class-report data/sample_class --out rapport-essai
```

Quelques fichiers sont volontairement défectueux, pour montrer comment le rapport les signale
sans s'arrêter :

- `synthetique-casse-json.json` : un JSON tronqué;
- `synthetique-autre-format.json` : un fichier d'un autre outil;
- `synthetique-cas-inconnu.json` : une réponse à un cas qui n'existe pas dans la trousse;
- `synthetique-code-inconnu.json` : un code d'axe qui n'existe pas.

Une des justifications contient une balise `<script>` : le rapport doit l'afficher comme du
texte, sans l'exécuter.

Pour régénérer le dossier (après l'ajout ou le retrait de cas, par exemple) :

```
python -m ockit.sample data/sample_class
```
"""


def _answer(rng: random.Random, case, skill: float, minute: int) -> dict:
    difficulty = case.difficulty
    key = set(case.axes)
    chosen = []
    for code in AXIS_CODES:
        if code in key:
            if rng.random() >= (1 - skill) * (0.25 + 0.2 * difficulty):
                chosen.append(code)
        else:
            chance = (1 - skill) * (0.08 + 0.08 * difficulty)
            if code in case.not_axes:
                chance *= 3
            if rng.random() < chance:
                chosen.append(code)
    if not chosen:
        chosen.append(rng.choice(AXIS_CODES))
    dominant = case.approach.dominant
    draw = rng.random()
    if draw < 0.1:
        approach = None
    elif dominant and draw < 0.1 + 0.9 * skill:
        approach = dominant
    elif case.approach.secondary and rng.random() < 0.5:
        approach = rng.choice(case.approach.secondary)
    else:
        approach = rng.choice(APPROACH_CODES)
    justification = None
    if rng.random() < 0.7:
        justification = "J'ai retenu " + " et ".join(
            f"{code}, parce que {REASONS[code]}" for code in chosen) + "."
    return {"case": case.id, "axes": chosen, "approach": approach, "justification": justification,
            "attempts": 1 + int(rng.random() > skill) + int(rng.random() > skill),
            "answered_at": f"{DAY}T{9 + minute // 60:02d}:{minute % 60:02d}:00-05:00"}


def synthetic_submissions(course, *, learners: int = LEARNERS, seed: int = SEED,
                          case_ids=None, per_learner: int | None = None) -> list[dict]:
    """Return `learners` made-up submissions (as JSON-ready dicts) over the course's cases.

    Args:
        course: the loaded course; its cases give the key the answers are drawn around.
        learners: how many made-up learners.
        seed: the seed of the one random generator used.
        case_ids: the cases to answer (default: all, in course order).
        per_learner: how many cases each learner answers (default: all of `case_ids`); each
            learner then answers a random subset, in course order.
    """
    from . import __version__

    rng = random.Random(seed)
    ids = list(case_ids or course.cases)
    out = []
    for number in range(1, learners + 1):
        skill = rng.uniform(0.35, 0.95)
        if per_learner is None or per_learner >= len(ids):
            chosen_ids = ids
        else:
            picked = set(rng.sample(ids, per_learner))
            chosen_ids = [cid for cid in ids if cid in picked]
        answers = [_answer(rng, course.cases[cid], skill, minute)
                   for minute, cid in enumerate(chosen_ids)]
        out.append({"format": FORMAT, "learner": NAME.format(number), "kit_version": __version__,
                    "created": f"{DAY}T12:{number % 60:02d}:00-05:00", "answers": answers})
    return out


def write_sample(folder, course=None, *, learners: int = LEARNERS, seed: int = SEED,
                 case_ids=None, per_learner: int | None = None, malformed: bool = True,
                 readme: bool = True) -> list[Path]:
    """Write a synthetic class into `folder` and return the files written.

    Writes `synthetique-NN.json` per learner, plus (with `malformed`) four defective files of
    the kinds listed in README (bad JSON, another format, unknown case, unknown axis code) and
    a `<script>` in one justification, and (with `readme`) README.md. Files of an earlier run
    named `synthetique-*.json` are removed first, so the folder matches the seed exactly.
    """
    if course is None:
        from .data import load

        course = load()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("synthetique-*.json"):
        old.unlink()
    subs = synthetic_submissions(course, learners=learners, seed=seed, case_ids=case_ids,
                                 per_learner=per_learner)
    written = []
    if malformed and subs:
        # On an answer that differs from the key, so the report's excerpts show it.
        answers = subs[min(2, len(subs) - 1)]["answers"]
        wrong = [a for a in answers if set(a["axes"]) != set(course.cases[a["case"]].axes)]
        for answer in (wrong or answers)[:1]:
            answer["justification"] = ("La balise <script>alert('rapport')</script> doit rester "
                                       "du texte, et <b>ceci</b> aussi.")
    for number, sub in enumerate(subs, 1):
        path = folder / FILE.format(number)
        path.write_text(json.dumps(sub, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written.append(path)
    if malformed:
        bad = dict(MALFORMED)
        first = next(iter(course.cases))
        bad["synthetique-cas-inconnu.json"] = json.dumps(
            {"format": FORMAT, "learner": "Personne synthétique 96", "kit_version": "0.1.0",
             "created": f"{DAY}T13:00:00-05:00",
             "answers": [{"case": "cas-qui-n-existe-pas", "axes": ["DEV"]}]},
            ensure_ascii=False, indent=1)
        bad["synthetique-code-inconnu.json"] = json.dumps(
            {"format": FORMAT, "learner": "Personne synthétique 95", "kit_version": "0.1.0",
             "created": f"{DAY}T13:05:00-05:00",
             "answers": [{"case": first, "axes": ["DEV", "ZZZ"]}]},
            ensure_ascii=False, indent=1)
        for name, text in bad.items():
            path = folder / name
            path.write_text(text + ("" if text.endswith("\n") else "\n"), encoding="utf-8")
            written.append(path)
    if readme:
        path = folder / "README.md"
        path.write_text(README.format(seed=seed), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":  # pragma: no cover
    import sys

    target = sys.argv[1] if len(sys.argv) > 1 else "data/sample_class"
    files = write_sample(target)
    print(f"{len(files)} fichiers écrits dans {target} (classe synthétique, graine {SEED}).")
