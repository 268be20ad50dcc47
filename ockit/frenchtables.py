"""French column names for the instructor's tables, for display only.

The CSV files (answers.csv, cases.csv, agreement.csv, grades.csv) keep their English column
names: they are a contract with spreadsheets and scripts (see DESIGN.md). A notebook that shows
one of these tables to a person shows it through `en_francais`.
"""

from __future__ import annotations

from .model import AXIS_CODES

# One name per column of answers.csv, cases.csv, agreement.csv and the item statistics.
COLUMNS = {
    "case": "cas", "title": "titre", "answers": "réponses", "exact_rate": "taux de réponses exactes",
    "mean_jaccard": "Jaccard moyen", "most_missed": "axe le plus oublié",
    "most_extra": "axe le plus ajouté à tort", "approach_rate": "taux d'approche juste",
    "facility": "indice de facilité", "discrimination": "indice de discrimination", "kappa": "kappa",
    "debrief": "à revoir en classe", "axis": "axe", "learner": "apprenant·e", "axes": "axes cochés",
    "approach": "approche choisie", "jaccard": "Jaccard", "reading": "lecture retenue",
    "exact": "réponse exacte", "justification": "justification", "approach_key": "approche de la clé",
    "approach_ok": "approche juste",
    **{f"key_{c}": f"clé {c}" for c in AXIS_CODES}, **{f"chosen_{c}": f"coché {c}" for c in AXIS_CODES},
}


# grades.csv (ockit.classroom.grades_table): one row per learner, where `exact` is a count.
GRADE_COLUMNS = {"learner": "apprenant·e", "account": "compte", "answered": "cas répondus", "exact": "réponses exactes",
                 "score": "note sur 100 (cas répondus)", "score_all": "note sur 100 (tous les cas de la classe)"}


def en_francais(table):
    """Return a copy of a pandas DataFrame with its known columns named in French (values unchanged).

    A table with the columns of grades.csv gets the gradebook's names (its `exact` counts answers).
    """
    names = GRADE_COLUMNS if "answered" in table.columns else COLUMNS
    return table.rename(columns={k: v for k, v in names.items() if k in table.columns})
