"""The notebooks name JupyterLab's menus as learners see them: in French (the kit's JupyterLab is in
French, `make install`), never by their English names alone."""

import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# English menu paths a learner would not find in the French interface.
ENGLISH = re.compile(r"\*\*(Run|File|Edit|View|Kernel|Tabs|Settings|Help) ▸")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_menu_paths_are_given_in_french(path):
    """Is every English menu path of a notebook given next to its French name?"""
    for index, cell in enumerate(nbformat.read(path, as_version=4).cells, 1):
        if cell.cell_type != "markdown":
            continue
        for match in ENGLISH.finditer(cell.source):
            around = cell.source[max(0, match.start() - 200):match.end()]
            assert "Exécution ▸" in around or "Fichier ▸" in around or "Noyau ▸" in around, (
                f"{path.name}, cellule {index} : menu en anglais seulement « {match.group(0)} »")
