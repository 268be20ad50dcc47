"""Item statistics per case, computed as Moodle's quiz statistics compute them.

Moodle's `question/classes/statistics/questions/calculator.php` (read there, written anew here
with numpy) works on one mark per attempt and question. Transposed to a class report: a
learner is an attempt, a case is a question, the mark is the answer's `jaccard` (0 to 1, so the
maximum mark is 1), and a learner who did not answer a case counts with the mark 0 for it, as
Moodle counts a question left unanswered in an attempt (its fraction is empty, which adds 0).

- facility = mean mark / maximum mark (Moodle: markaverage / maxmark), 0 to 1;
- discrimination = 100 × cov(mark, rest) / √(var(mark) × var(rest)), where the rest of the test
  is the learner's total minus this case's mark, and the variances and the covariance divide
  by n − 1 (Moodle: discriminationindex); empty when fewer than two learners or when either
  variance is 0, as Moodle leaves it empty then.

Two signals are flagged for the debrief, each with its reason in French: a negative
discrimination, and a low agreement between learners on the case's axes (Fleiss' kappa over
the four axes of the case, `ockit.classroom.fleiss_kappa`, below LOW_KAPPA).
"""

from __future__ import annotations

from .model import AXIS_CODES

ITEM_COLUMNS = ("facility", "discrimination", "kappa", "debrief")
LOW_KAPPA = 0.2  # below "slight" agreement in Landis and Koch's (1977) reading of kappa
RULE_FACILITY = ("Facilité : moyenne des scores (Jaccard, de 0 à 1) de toutes les personnes de la "
                 "classe sur ce cas, divisée par le score maximal (1); un cas non fait compte 0, "
                 "comme une question laissée sans réponse dans Moodle.")
RULE_DISCRIMINATION = ("Discrimination : 100 × la corrélation entre le score du cas et le reste du "
                       "test (la somme des scores de la personne sur les autres cas), variances et "
                       "covariance divisées par n − 1, comme l'indice de discrimination de Moodle; "
                       "de −100 à 100, « — » si moins de deux personnes ou si tout le monde a le "
                       "même score.")
RULE_KAPPA = ("Accord : kappa de Fleiss sur les quatre axes du cas (coché ou non), entre les "
              "personnes qui ont fait le cas; 1 = accord parfait, 0 = accord dû au hasard.")


def mark_matrix(answers):
    """Return (learners, cases, marks): the learner × case matrix of jaccard, 0 where unanswered.

    Cases are in order of first appearance; answers must hold one row per learner and case.
    """
    import numpy as np
    import pandas as pd

    learner_codes, learners = pd.factorize(answers["learner"], sort=True)
    case_codes, cases = pd.factorize(answers["case"], sort=False)
    marks = np.zeros((len(learners), len(cases)))
    marks[learner_codes, case_codes] = answers["jaccard"].to_numpy(dtype=float)
    return list(learners), list(cases), marks


def facility_discrimination(marks):
    """Return (facility, discrimination) arrays, one value per column of `marks` (see the module).

    `marks` is a learners × cases array of marks between 0 and 1. Undefined values are NaN.
    """
    import numpy as np

    marks = np.asarray(marks, dtype=float)
    n = marks.shape[0]
    facility = marks.mean(axis=0) if n else np.full(marks.shape[1], np.nan)
    discrimination = np.full(marks.shape[1], np.nan)
    if n > 1:
        rest = marks.sum(axis=1, keepdims=True) - marks
        dm, dr = marks - marks.mean(axis=0), rest - rest.mean(axis=0)
        cov = (dm * dr).sum(axis=0) / (n - 1)
        product = (dm ** 2).sum(axis=0) / (n - 1) * (dr ** 2).sum(axis=0) / (n - 1)
        defined = product > 1e-15  # Moodle: empty when either variance is 0
        discrimination[defined] = 100 * cov[defined] / np.sqrt(product[defined])
    return facility, discrimination


def case_kappas(answers) -> dict:
    """Return {case: Fleiss' kappa over its four axes} among the learners who answered it."""
    import numpy as np

    from .classroom import fleiss_kappa

    grouped = answers.groupby("case", sort=False)
    yes = grouped[[f"chosen_{c}" for c in AXIS_CODES]].sum().to_numpy(dtype=float)
    size = grouped.size()
    return {cid: fleiss_kappa(np.column_stack([row, n - row]))
            for cid, row, n in zip(size.index, yes, size.to_numpy(dtype=float))}


def debrief_reason(discrimination: float, kappa: float) -> str:
    """The French reason to discuss a case after the exercise, or "" when nothing stands out."""
    reasons = []
    if discrimination == discrimination and discrimination < 0:
        shown = f"{discrimination:.1f}".replace(".", ",").replace("-", "−")
        reasons.append(f"Discrimination négative ({shown}) : les personnes qui réussissent le reste "
                       "du test réussissent moins bien ce cas. Relisez la clé et le résumé du cas, "
                       "puis demandez à la classe ce qui l'a menée ailleurs.")
    if kappa == kappa and round(kappa, 2) < LOW_KAPPA:  # judged as shown, to two decimals
        shown = f"{round(kappa, 2) + 0.0:.2f}".replace(".", ",").replace("-", "−")
        reasons.append(f"Accord faible entre apprenant·es (kappa {shown}) : la classe se partage sur "
                       "les axes de ce cas; confrontez les lectures en groupe.")
    return " ".join(reasons)


def item_table(answers):
    """Return one row per case answered at least once: case and ITEM_COLUMNS (a DataFrame).

    facility (4 decimals) and discrimination (2 decimals) follow the module's rules; kappa
    (4 decimals) is the case's agreement; debrief is `debrief_reason` (empty when none).
    """
    import pandas as pd

    if not len(answers):
        return pd.DataFrame(columns=["case", *ITEM_COLUMNS])
    _, cases, marks = mark_matrix(answers)
    facility, discrimination = facility_discrimination(marks)
    kappas = case_kappas(answers)
    rows = []
    for cid, fac, disc in zip(cases, facility, discrimination):
        kappa = kappas.get(cid, float("nan"))
        rows.append({"case": cid, "facility": round(float(fac), 4),
                     "discrimination": float("nan") if disc != disc else round(float(disc), 2),
                     "kappa": kappa if kappa != kappa else round(kappa, 4),
                     "debrief": debrief_reason(float(disc), kappa)})
    return pd.DataFrame(rows, columns=["case", *ITEM_COLUMNS])


def rule_scores(answers):
    """Return the answers' scores under each rule of ockit.rules, as a DataFrame (kit, moodle, canvas).

    Vectorized over the `key_<CODE>` and `chosen_<CODE>` columns; equal to ockit.rules.compare
    row by row.
    """
    import numpy as np
    import pandas as pd

    from .moodle import grade

    key = np.column_stack([answers[f"key_{c}"].to_numpy(dtype=bool) for c in AXIS_CODES])
    chosen = np.column_stack([answers[f"chosen_{c}"].to_numpy(dtype=bool) for c in AXIS_CODES])
    k = key.sum(axis=1)
    hits = (key & chosen).sum(axis=1)
    wrong = (chosen & ~key).sum(axis=1)
    union = (key | chosen).sum(axis=1)
    n = len(AXIS_CODES)
    per_key = np.array([0.0] + [float(grade(100 / j)) / 100 for j in range(1, n + 1)])
    per_other = np.array([0.0] + [float(grade(-100 / (n - j))) / 100 if j < n else 0.0
                                  for j in range(1, n + 1)])
    safe_k = np.maximum(k, 1)
    return pd.DataFrame({
        "kit": np.where(union > 0, hits / np.maximum(union, 1), 0.0),
        "moodle": np.clip(hits * per_key[k] + wrong * per_other[k], 0.0, 1.0),
        "canvas": np.maximum(0.0, (hits - wrong) / safe_k),
    }, index=answers.index)
