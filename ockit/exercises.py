"""Build the student notebooks (exercises/) from the instructor notebooks (solutions/).

Solutions mark their worked answers the nbgrader way, between `### BEGIN SOLUTION` and
`### END SOLUTION`, so instructors who use nbgrader can reuse them as they are. Building an
exercise is a short ordered list of small steps (PIPELINE), each a function from notebook to
notebook that a test can drive alone. Then the stripped notebook is executed so that its
stored outputs are the ones nbval will find when it reruns it.
"""

from __future__ import annotations

import ast
import copy
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

BEGIN = "### BEGIN SOLUTION"
END = "### END SOLUTION"
CODE_PLACEHOLDER = "# VOTRE RÉPONSE ICI"
MARKDOWN_PLACEHOLDER = "_Votre réponse ici._"
ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
REMEDY = "Relancez « ockit build-exercises » pour régénérer exercises/."


class MarkerError(ValueError):
    """A solution notebook whose BEGIN/END SOLUTION markers do not pair up.

    `notebook` and `cell` (1-based) say where; the French message says what to fix.
    """

    def __init__(self, notebook: str, cell: int, reason: str):
        self.notebook = notebook
        self.cell = cell
        self.reason = reason
        super().__init__(f"{notebook}, cellule {cell} : {reason}")


class BuildError(ValueError):
    """A folder or notebook that the build cannot use; the French message names it."""


@dataclass(frozen=True)
class Stale:
    """One exercise file that does not match what its solution would build."""

    exercise: Path
    reason: str


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _notebook_name(nb) -> str:
    return nb.metadata.get("ockit", {}).get("solution", "<carnet>")


# -- the steps ----------------------------------------------------------------------------


def check_markers(nb):
    """Raise MarkerError unless every BEGIN SOLUTION has its END, unnested, in the same cell."""
    name = _notebook_name(nb)
    for index, cell in enumerate(nb.cells, 1):
        open_line = None
        for lineno, line in enumerate(_source(cell).splitlines(), 1):
            mark = line.strip()
            if mark == BEGIN:
                if open_line is not None:
                    raise MarkerError(name, index, f"« {BEGIN} » à la ligne {lineno} alors que celui "
                                                   f"de la ligne {open_line} n'est pas fermé. "
                                                   f"Ajoutez « {END} » avant d'en ouvrir un autre.")
                open_line = lineno
            elif mark == END:
                if open_line is None:
                    raise MarkerError(name, index, f"« {END} » à la ligne {lineno} sans « {BEGIN} » "
                                                   "avant lui dans la même cellule.")
                open_line = None
        if open_line is not None:
            raise MarkerError(name, index, f"« {BEGIN} » à la ligne {open_line} n'a pas de « {END} ». "
                                           "Ajoutez la ligne de fin dans la même cellule.")
    return nb


def default_for(solution_code: str) -> list[str]:
    """Return harmless assignments that keep a stripped cell running.

    Each name the solution assigns at top level gets an empty value of the same kind
    (list -> [], number -> 0, dict -> {}, anything else, text included, -> None), so later
    cells that read `mes_axes` or `mon_approche` still run and show the feedback for an empty
    answer (None is how the library spells "no answer").
    """
    try:
        tree = ast.parse(solution_code)
    except SyntaxError:
        return []
    empty = {ast.List: "[]", ast.Dict: "{}", ast.Tuple: "()", ast.Set: "set()"}
    out = []
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)):
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        value = node.value
        if isinstance(value, ast.Constant) and isinstance(value.value, (int, float)) \
                and not isinstance(value.value, bool):
            default = "0"
        else:
            default = empty.get(type(value), "None")
        for target in targets:
            if isinstance(target, ast.Name):
                line = f"{target.id} = {default}"
                if line not in out:
                    out.append(line)
    return out


def _strip_code(source: str) -> str:
    lines, block, indent, out = source.splitlines(), None, "", []
    for line in lines:
        mark = line.strip()
        if mark == BEGIN:
            block, indent = [], line[: len(line) - len(line.lstrip())]
        elif mark == END:
            out.append(indent + CODE_PLACEHOLDER)
            out.extend(indent + d for d in default_for("\n".join(b.strip() for b in block)))
            block = None
        elif block is not None:
            block.append(line)
        else:
            out.append(line)
    return "\n".join(out)


def _strip_markdown(source: str) -> str:
    out, inside = [], False
    for line in source.splitlines():
        mark = line.strip()
        if mark == BEGIN:
            inside = True
            out.append(MARKDOWN_PLACEHOLDER)
        elif mark == END:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def strip_solutions(nb):
    """Replace each marked answer: code by a placeholder and defaults, markdown by a blank line to fill."""
    for cell in nb.cells:
        source = _source(cell)
        if BEGIN not in source:
            continue
        cell.source = _strip_code(source) if cell.cell_type == "code" else _strip_markdown(source)
    return nb


def clear_outputs(nb):
    """Drop the solution's outputs and execution counts: they would give the answers away."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def mark_generated(nb):
    """Record in the metadata that this notebook is generated, and from which solution."""
    meta = dict(nb.metadata.get("ockit", {}))
    meta["generated_from"] = f"solutions/{meta.pop('solution', '')}"
    meta["warning"] = "Fichier généré par « ockit build-exercises » : modifiez plutôt la solution."
    nb.metadata["ockit"] = meta
    return nb


# Order matters: markers are checked before anything is stripped (a missing END would
# otherwise swallow the rest of the cell), and outputs are cleared after stripping so that
# no trace of a solution's output survives.
PIPELINE = (check_markers, strip_solutions, clear_outputs, mark_generated)


def to_exercise(solution_nb, name: str):
    """Run PIPELINE on a copy of a solution notebook and return the exercise notebook."""
    nb = copy.deepcopy(solution_nb)
    nb.metadata.setdefault("ockit", {})["solution"] = name
    for step in PIPELINE:
        nb = step(nb)
    return nb


def execute(nb, cwd: Path, timeout: int = 120):
    """Execute a notebook with nbclient so its stored outputs match what nbval will compute.

    The kernel writes progress to a throwaway file, never to the learner's real store.
    """
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        env_before = os.environ.get("OCKIT_PROGRESS")
        os.environ["OCKIT_PROGRESS"] = str(Path(tmp) / "progress.json")
        try:
            NotebookClient(nb, timeout=timeout, kernel_name="python3",
                           resources={"metadata": {"path": str(cwd)}}).execute()
        finally:
            if env_before is None:
                os.environ.pop("OCKIT_PROGRESS", None)
            else:
                os.environ["OCKIT_PROGRESS"] = env_before
    return nb


# -- the folder-level operations -----------------------------------------------------------


def _read(path: Path):
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises JSON, validation and OS errors of many kinds
        raise BuildError(f"{path} : carnet illisible ({_why(exc)}). Ouvrez-le dans JupyterLab "
                         "pour le réparer, ou retirez-le du dossier.") from None


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError):
        from .oserrors import reason

        return reason(exc)
    if isinstance(exc, UnicodeDecodeError):
        return "le texte n'est pas en UTF-8"
    if "JSON" in type(exc).__name__ or isinstance(exc, ValueError):
        return "ce n'est pas un carnet Jupyter valide"
    return type(exc).__name__


def _solution_paths(solutions: Path, exercises: Path) -> list[Path]:
    """The solution notebooks, after checking that the two folders make sense."""
    if not solutions.is_dir():
        raise BuildError(f"Dossier des solutions introuvable : {solutions}.")
    if exercises.exists() and exercises.resolve() == solutions.resolve():
        raise BuildError(f"Le dossier des exercices ({exercises}) doit être distinct de celui des "
                         "solutions : les réponses seraient écrasées.")
    paths = sorted(solutions.glob("*.ipynb"))
    if not paths:
        raise BuildError(f"Aucun carnet .ipynb dans {solutions} : rien à générer.")
    return paths


def is_generated(path: Path) -> bool:
    """Was this notebook written by `build` (it records its solution in its metadata)?"""
    import json

    try:
        meta = json.loads(path.read_text(encoding="utf-8")).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return False
    return isinstance(meta, dict) and "generated_from" in (meta.get("ockit") or {})


def build(solutions: Path = SOLUTIONS, exercises: Path = EXERCISES, *, run: bool = True,
          say=None) -> list[Path]:
    """Write exercises/<name> for every solutions/<name>; return the files written.

    An exercise whose solution is gone is removed, but only if `build` wrote it (see
    is_generated): any other notebook in `exercises` is left in place with a warning.

    Args:
        say: called with a French progress line before each notebook is executed and for
            each file removed or left in place (e.g. `print`).

    Raises:
        MarkerError: naming the solution notebook and the cell whose markers do not pair up.
        BuildError: a missing or empty solutions folder, the same folder twice, or an
            unreadable solution notebook.
    """
    import nbformat

    say = say or (lambda line: None)
    paths = _solution_paths(solutions, exercises)
    # Build every notebook before writing any, so an error leaves exercises/ untouched.
    built = [(path, to_exercise(_read(path), path.name)) for path in paths]
    exercises.mkdir(parents=True, exist_ok=True)
    written = []
    for number, (path, nb) in enumerate(built, 1):
        if run:
            say(f"Exécution de {path.name} ({number} sur {len(built)})...")
            execute(nb, exercises)
        out = exercises / path.name
        nbformat.write(nb, out)
        written.append(out)
    for orphan in sorted(exercises.glob("*.ipynb")):
        if orphan in written:
            continue
        if is_generated(orphan):
            orphan.unlink()  # its solution is gone: a student must not keep a dead exercise
            say(f"Retiré : {orphan} (sa solution n'existe plus).")
        else:
            say(f"Laissé en place : {orphan} (ce carnet n'a pas été produit par ockit build-exercises).")
    return written


def _shape(nb) -> list[tuple]:
    # What --check compares: outputs legitimately differ once executed, sources and tags must not.
    return [(c.cell_type, _source(c), tuple(c.get("metadata", {}).get("tags", []))) for c in nb.cells]


def check(solutions: Path = SOLUTIONS, exercises: Path = EXERCISES) -> list[Stale]:
    """Return the exercise files that are missing, orphaned or out of date (empty when fresh)."""
    stale = []
    names = set()
    for path in _solution_paths(solutions, exercises):
        names.add(path.name)
        target = exercises / path.name
        if not target.exists():
            stale.append(Stale(target, "absent"))
            continue
        expected = _shape(to_exercise(_read(path), path.name))
        try:
            found = _shape(_read(target))
        except BuildError:
            stale.append(Stale(target, "carnet illisible"))
            continue
        if expected != found:
            stale.append(Stale(target, f"ne correspond plus à solutions/{path.name}"))
    for path in sorted(exercises.glob("*.ipynb")) if exercises.is_dir() else ():
        if path.name not in names and is_generated(path):  # build leaves other notebooks alone
            stale.append(Stale(path, "n'a plus de solution correspondante dans solutions/"))
    return stale
