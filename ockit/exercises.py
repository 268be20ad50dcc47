"""Build the student notebooks (exercises/) from the instructor notebooks (solutions/).

Solutions are nbgrader source notebooks: worked answers sit between `### BEGIN SOLUTION` and
`### END SOLUTION` in cells that carry nbgrader's cell metadata (see ockit.gradermeta), so
instructors who use nbgrader run `nbgrader generate_assignment` on them as they are. Regions
are recognized exactly as nbgrader does (ockit.markers). Building an
exercise is a short ordered list of small steps (PIPELINE), each a function from notebook to
notebook that a test can drive alone. Then the stripped notebook is executed so that its
stored outputs are the ones nbval will find when it reruns it.
"""

from __future__ import annotations

import ast
import copy
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import gradermeta, markers
from .gradermeta import GraderMetadataError  # noqa: F401 - part of this module's errors

BEGIN = f"### {markers.BEGIN_TEXT}"
END = f"### {markers.END_TEXT}"
CODE_PLACEHOLDER = "# VOTRE RÉPONSE ICI"
MARKDOWN_PLACEHOLDER = "_Votre réponse ici._"
ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"
KEEP_NOTEBOOK_METADATA = ("kernelspec", "language_info", "ockit")
KEEP_CELL_METADATA = ("tags", "editable", "deletable")
REMEDY = "Relancez « ockit build-exercises » pour régénérer exercises/."
NO_SOLUTIONS_HINT = ("Les corrigés ne sont pas livrés dans le paquet installé (pip) : lancez la "
                     "commande dans le dossier du cours, celui qui contient solutions/ (le dépôt "
                     "cloné ou tiré par nbgitpuller), ou donnez --solutions DOSSIER.")


def default_folders(cwd=None) -> tuple[Path, Path]:
    """The (solutions, exercises) folders the CLI uses when none is given.

    `solutions/` of the current folder if there is one; otherwise that of the checkout the kit
    runs from (an editable install); otherwise `solutions/` of the current folder, which the
    build then reports missing. An installed wheel has no checkout: its ROOT is site-packages,
    never a place to read corrected notebooks from or write exercises to.
    """
    cwd = Path.cwd() if cwd is None else Path(cwd)
    base = cwd
    if not (cwd / "solutions").is_dir() and (ROOT / "pyproject.toml").is_file() and SOLUTIONS.is_dir():
        base = ROOT
    return base / "solutions", base / "exercises"


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
    """Raise MarkerError unless every cell's solution regions are ones nbgrader strips cleanly.

    Regions are read as nbgrader reads them (see ockit.markers): unbalanced, nested or
    marker-like lines that nbgrader would not strip are refused.
    """
    name = _notebook_name(nb)
    for index, cell in enumerate(nb.cells, 1):
        try:
            markers.regions(_source(cell))
        except markers.RegionError as exc:
            raise MarkerError(name, index, str(exc)) from None
    return nb


def check_grader_metadata(nb):
    """Raise GraderMetadataError unless the notebook's nbgrader cell metadata is valid (v3)."""
    return gradermeta.check_notebook(nb, _notebook_name(nb))


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


def _assigned_before(source_lines: list[str]) -> set[str]:
    """Names the lines before a region already assign at top level (no default needed)."""
    try:
        tree = ast.parse("\n".join(source_lines))
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                for leaf in ast.walk(target):
                    if isinstance(leaf, ast.Name):
                        names.add(leaf.id)
    return names


def _strip_code(source: str) -> str:
    before = markers.lines(source)
    first = next((i for i, line in enumerate(before) if markers.is_begin(line)), len(before))
    known = _assigned_before(before[:first])

    def stub(indent, body):
        defaults = [d for d in default_for("\n".join(b.strip() for b in body))
                    if d.split(" = ")[0] not in known]
        return [indent + CODE_PLACEHOLDER, *(indent + d for d in defaults)]

    return markers.replace_regions(source, stub)


def _strip_markdown(source: str) -> str:
    return markers.replace_regions(source, lambda indent, body: [indent + MARKDOWN_PLACEHOLDER])


def strip_solutions(nb):
    """Replace each marked answer: code by a placeholder and defaults, other cells by a blank to fill.

    A solution cell (nbgrader metadata `solution: true`) without any region is emptied whole,
    as nbgrader does, so that nothing of its answer reaches the exercise.
    """
    for cell in nb.cells:
        source = _source(cell)
        is_solution = ((cell.get("metadata") or {}).get("nbgrader") or {}).get("solution") is True
        if markers.has_region(source):
            cell.source = _strip_code(source) if cell.cell_type == "code" else _strip_markdown(source)
        elif is_solution:
            cell.source = CODE_PLACEHOLDER if cell.cell_type == "code" else MARKDOWN_PLACEHOLDER
    return nb


def _python(source: str) -> str:
    """Cell source as plain Python (IPython magics and shell escapes turned into calls)."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


def check_stripped_code(nb):
    """Raise MarkerError when a stripped code cell would no longer compile.

    A region inside a function body, for instance, may leave the body empty; the error
    names the cell and the line so the instructor can move the markers.
    """
    name = _notebook_name(nb)
    for index, cell in enumerate(nb.cells, 1):
        if cell.cell_type != "code" or CODE_PLACEHOLDER not in _source(cell):
            continue
        try:
            compile(_python(_source(cell)), f"{name}, cellule {index}", "exec")
        except SyntaxError as exc:
            raise MarkerError(name, index, f"une fois la solution retirée, le code ne compile plus "
                                           f"(ligne {exc.lineno} : {exc.msg}). Placez les marqueurs "
                                           "autour d'instructions complètes, ou laissez une instruction "
                                           "(par exemple « pass ») hors de la région.") from None
    return nb


def clear_outputs(nb):
    """Drop the solution's outputs and execution counts: they would give the answers away."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return nb


def drop_attachments(nb):
    """Remove every cell attachment (an image pasted in a solution can show the answer).

    Raises:
        BuildError: a cell kept in the exercise still shows an attachment (`attachment:NAME`);
            put the image in a file beside the notebook instead.
    """
    name = _notebook_name(nb)
    for index, cell in enumerate(nb.cells, 1):
        cell.pop("attachments", None)
        if "attachment:" in _source(cell):
            raise BuildError(f"{name}, cellule {index} : l'exercice montrerait une pièce jointe "
                             "(« attachment: »), que la génération ne recopie jamais (elle peut "
                             "contenir une réponse). Enregistrez l'image dans un fichier à côté du "
                             "carnet et liez ce fichier.")
    return nb


def clean_metadata(nb):
    """Keep only metadata that cannot hold an answer.

    Notebook: KEEP_NOTEBOOK_METADATA (saved widget state, `widgets`, goes). Cells:
    KEEP_CELL_METADATA (nbgrader's, execution times and any extension's metadata go).
    """
    for key in list(nb.metadata):
        if key not in KEEP_NOTEBOOK_METADATA:
            del nb.metadata[key]
    for cell in nb.cells:
        meta = cell.get("metadata") or {}
        cell.metadata = type(meta)({k: v for k, v in meta.items() if k in KEEP_CELL_METADATA})
    return nb


def mark_generated(nb):
    """Record in the metadata that this notebook is generated, and from which solution."""
    meta = dict(nb.metadata.get("ockit", {}))
    meta["generated_from"] = f"solutions/{meta.pop('solution', '')}"
    meta["warning"] = "Fichier généré par « ockit build-exercises » : modifiez plutôt la solution."
    nb.metadata["ockit"] = meta
    return nb


# Order matters: markers and nbgrader metadata are checked before anything is stripped (a
# missing END would otherwise swallow the rest of the cell); the stripped code is compiled
# right after stripping; outputs, attachments and metadata go after stripping so that no trace
# of a solution survives; the notebook is marked generated last, once its metadata is clean.
PIPELINE = (check_markers, check_grader_metadata, strip_solutions, check_stripped_code,
            clear_outputs, drop_attachments, clean_metadata, mark_generated)


def to_exercise(solution_nb, name: str):
    """Run PIPELINE on a copy of a solution notebook and return the exercise notebook."""
    nb = copy.deepcopy(solution_nb)
    nb.metadata.setdefault("ockit", {})["solution"] = name
    for step in PIPELINE:
        nb = step(nb)
    return nb


def _kernel_manager(tmp: Path):
    """A kernel manager over local (IPC) sockets where the system has them, its socket files in `tmp`.

    Over TCP, ipykernel 7 prints an English warning about unencrypted traffic for every notebook
    built, which the instructor reads between the kit's French lines; IPC sockets stay on this
    machine and draw no warning. None (nbclient's default, TCP) elsewhere.
    """
    if os.name != "posix":
        return None
    from jupyter_client.manager import KernelManager

    return KernelManager(kernel_name="python3", transport="ipc", ip=str(tmp / "noyau"))


def execute(nb, cwd: Path, timeout: int = 120):
    """Execute a notebook with nbclient so its stored outputs match what nbval will compute.

    The kernel writes progress to a throwaway file, never to the learner's real store.
    """
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory() as tmp:
        env_before = os.environ.get("OCKIT_PROGRESS")
        km = None
        os.environ["OCKIT_PROGRESS"] = str(Path(tmp) / "progress.json")
        try:
            km = _kernel_manager(Path(tmp))
            NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, km=km,
                           resources={"metadata": {"path": str(cwd)}}).execute()
        finally:
            # nbclient stops only the kernels it made itself: stop this one now, not at our exit.
            if km is not None and km.has_kernel:
                km.shutdown_kernel(now=True)
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
        raise BuildError(f"Dossier des solutions introuvable : {solutions}. {NO_SOLUTIONS_HINT}")
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
        MarkerError: naming the solution notebook and the cell whose markers nbgrader would
            not strip cleanly, or whose stripped code would not compile.
        GraderMetadataError: naming the notebook and the cell whose nbgrader metadata is invalid.
        BuildError: a missing or empty solutions folder, the same folder twice, an
            unreadable solution notebook, an attachment left in view, or a generated
            notebook that fails when executed. In every case exercises/ is left as it was.
    """
    import nbformat

    say = say or (lambda line: None)
    paths = _solution_paths(solutions, exercises)
    # Build every notebook before writing any, so an error leaves exercises/ untouched.
    built = [(path, to_exercise(_read(path), path.name)) for path in paths]
    exercises.parent.mkdir(parents=True, exist_ok=True)
    # Executed and written into a temporary sibling folder (same file system, same relative
    # paths), then moved into exercises/ only once every notebook has succeeded.
    staging = Path(tempfile.mkdtemp(prefix=".exercises-build-", dir=exercises.parent))
    try:
        for number, (path, nb) in enumerate(built, 1):
            if run:
                say(f"Exécution de {path.name} ({number} sur {len(built)})...")
                _execute_or_explain(nb, staging, path.name)
            nbformat.write(nb, staging / path.name)
        exercises.mkdir(parents=True, exist_ok=True)
        written = []
        for path, _ in built:
            os.replace(staging / path.name, exercises / path.name)
            written.append(exercises / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for orphan in sorted(exercises.glob("*.ipynb")):
        if orphan in written:
            continue
        if is_generated(orphan):
            orphan.unlink()  # its solution is gone: a student must not keep a dead exercise
            say(f"Retiré : {orphan} (sa solution n'existe plus).")
        else:
            say(f"Laissé en place : {orphan} (ce carnet n'a pas été produit par ockit build-exercises).")
    return written


def _execute_or_explain(nb, cwd: Path, name: str) -> None:
    from nbclient.exceptions import CellExecutionError, DeadKernelError

    try:
        execute(nb, cwd)
    except CellExecutionError as exc:
        first = str(exc).strip().splitlines()[-1:] or [""]
        raise BuildError(f"{name} : l'exercice généré échoue à l'exécution ({first[0][:200]}). "
                         "Rien n'a été écrit dans exercises/. Vérifiez que les cellules qui suivent "
                         "une réponse retirée fonctionnent avec une réponse vide.") from None
    except (DeadKernelError, TimeoutError, RuntimeError) as exc:
        raise BuildError(f"{name} : l'exécution de l'exercice généré n'a pas abouti "
                         f"({type(exc).__name__}). Rien n'a été écrit dans exercises/.") from None


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
