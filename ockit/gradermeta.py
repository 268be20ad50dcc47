"""nbgrader cell metadata (schema version 3), checked before an exercise is built.

The solution notebooks are nbgrader source notebooks as they are: each cell nbgrader must
know carries `metadata.nbgrader = {grade, solution, locked, points, grade_id,
schema_version: 3}`. The rules below are those of nbgrader 0.9's `nbgraderformat/v3.json`
and `v3.py` (read there, written anew here), plus two conventions of the kit that
`nbgrader generate_assignment` relies on:

- a cell holding a solution region is a solution cell (nbgrader refuses the assignment
  otherwise: « Solution region detected in a non-solution cell »);
- an autograded test cell (grade, not solution) is locked, so its partial-credit expression
  cannot be edited away by a student.

Every problem is reported in French naming the notebook and the cell.
"""

from __future__ import annotations

import re

from . import markers

SCHEMA_VERSION = 3
KEYS = {"schema_version", "grade", "locked", "solution", "task", "grade_id", "points",
        "checksum", "cell_type"}
REQUIRED = ("schema_version", "grade", "locked", "solution")
GRADE_ID = re.compile(r"[a-zA-Z0-9_\-]*")  # used with fullmatch: "$" would let a final newline through


class GraderMetadataError(ValueError):
    """A solution notebook cell whose nbgrader metadata nbgrader would refuse.

    `notebook` and `cell` (1-based) say where; the French `reason` says what to fix.
    """

    def __init__(self, notebook: str, cell: int, reason: str):
        self.notebook = notebook
        self.cell = cell
        self.reason = reason
        super().__init__(f"{notebook}, cellule {cell} : {reason}")


def cell_problems(cell) -> list[str]:
    """Return the French problems of one cell's nbgrader metadata (empty when valid or absent)."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else source
    meta = (cell.get("metadata") or {}).get("nbgrader")
    if meta is None:
        if markers.has_region(source):
            return ["la cellule contient une région de solution, mais pas de métadonnées nbgrader "
                    "(« metadata.nbgrader » avec « solution: true » et un « grade_id »); "
                    "nbgrader refuserait le devoir."]
        return []
    if not isinstance(meta, dict):
        return ["« metadata.nbgrader » doit être un objet JSON."]
    problems = []
    missing = [k for k in REQUIRED if k not in meta]
    if missing:
        problems.append(f"champs nbgrader manquants : {', '.join(missing)}.")
    extra = sorted(set(meta) - KEYS)
    if extra:
        problems.append(f"champs nbgrader inconnus du schéma 3 : {', '.join(extra)}.")
    if meta.get("schema_version") != SCHEMA_VERSION:
        problems.append(f"« schema_version » vaut {meta.get('schema_version')!r}; attendu : 3 "
                        "(nbgrader 0.9). Ouvrez le carnet avec nbgrader pour le mettre à jour.")
    for key in ("grade", "locked", "solution", "task"):
        if key in meta and not isinstance(meta[key], bool):
            problems.append(f"« {key} » doit valoir true ou false, pas {meta[key]!r}.")
    grade, solution, locked = (meta.get(k) is True for k in ("grade", "solution", "locked"))
    task = meta.get("task") is True
    grade_id = meta.get("grade_id")
    if grade or solution or locked:
        if not isinstance(grade_id, str) or not grade_id:
            problems.append("« grade_id » manquant ou vide : nbgrader en exige un pour toute cellule "
                            "notée, de solution ou verrouillée.")
        elif not GRADE_ID.fullmatch(grade_id):
            problems.append(f"« grade_id » {grade_id!r} : seuls lettres sans accent, chiffres, « _ » "
                            "et « - » sont permis.")
    if grade:
        points = meta.get("points")
        if isinstance(points, bool) or not isinstance(points, (int, float)) or points < 0:
            problems.append(f"« points » vaut {points!r}; une cellule notée a un nombre de points ≥ 0.")
        elif not solution and cell.get("cell_type") == "code" and not locked:
            problems.append("une cellule de test autocorrigée doit être verrouillée (« locked: true ») "
                            "pour que la personne étudiante ne puisse pas modifier son calcul de points.")
    if not task and cell.get("cell_type") == "markdown" and grade != solution:
        problems.append("une cellule markdown notée doit être à la fois « grade » et « solution » "
                        "(réponse corrigée à la main), comme nbgrader l'exige.")
    if task and cell.get("cell_type") != "markdown":
        problems.append("une cellule « task » de nbgrader doit être une cellule markdown.")
    if markers.has_region(source) and not solution:
        problems.append("la cellule contient une région de solution mais n'est pas marquée "
                        "« solution: true »; nbgrader refuserait le devoir.")
    return problems


def check_notebook(nb, name: str):
    """Raise GraderMetadataError at the first cell whose nbgrader metadata is invalid.

    Also refuses two cells with the same `grade_id`. Returns `nb` unchanged.
    """
    seen: dict[str, int] = {}
    for index, cell in enumerate(nb.cells, 1):
        problems = cell_problems(cell)
        if problems:
            raise GraderMetadataError(name, index, " ".join(problems))
        meta = (cell.get("metadata") or {}).get("nbgrader") or {}
        if any(meta.get(k) for k in ("grade", "solution", "locked")):
            grade_id = meta["grade_id"]
            if grade_id in seen:
                raise GraderMetadataError(name, index, f"« grade_id » {grade_id!r} déjà utilisé à la "
                                                       f"cellule {seen[grade_id]}; chaque id est unique.")
            seen[grade_id] = index
    return nb
