"""French column names for the instructor's tables, for display only.

The CSV files (answers.csv, cases.csv, agreement.csv, grades.csv) keep their English column
names: they are a contract with spreadsheets and scripts (see DESIGN.md). A notebook that shows
one of these tables to a person shows it through `en_francais`.
"""

from __future__ import annotations

from .model import AXIS_CODES

COLUMNS = {
    "case": "cas", "title": "titre", "answers": "réponses", "exact_rate": "taux de réponses exactes",
    "mean_jaccard": "Jaccard moyen", "most_missed": "axe le plus oublié",
    "most_extra": "axe le plus ajouté à tort", "approach_rate": "approche juste (taux)",
    "facility": "facilité", "discrimination": "discrimination", "kappa": "kappa",
    "debrief": "à revoir en classe", "axis": "axe", "learner": "apprenant·e", "axes": "axes cochés",
    "approach": "approche choisie", "jaccard": "Jaccard", "reading": "lecture retenue",
    "exact": "exacte", "justification": "justification", "approach_key": "approche de la clé",
    "approach_ok": "approche juste",
    **{f"key_{c}": f"clé {c}" for c in AXIS_CODES}, **{f"chosen_{c}": f"coché {c}" for c in AXIS_CODES},
}


def en_francais(table):
    """Return a copy of a pandas DataFrame with its known columns named in French (values unchanged)."""
    return table.rename(columns={k: v for k, v in COLUMNS.items() if k in table.columns})
