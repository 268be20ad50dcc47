"""Shared test helpers: a throwaway copy of data/ with cases written from dicts."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from ockit.data import KIT_DATA

REPO = Path(__file__).resolve().parent.parent
SOURCES = REPO.parent / "shared" / "sources"


def copy_reference(dest: Path, with_cases: bool = False) -> Path:
    """Copy the kit's data/ into dest (without cases unless asked) and return it."""
    shutil.copytree(KIT_DATA, dest, ignore=None if with_cases else shutil.ignore_patterns("cases"))
    (dest / "cases").mkdir(exist_ok=True)
    return dest


def small_kit(dest: Path, cases: int) -> Path:
    """A copy of the kit's data/ in dest holding only its first `cases` cases (by file name)."""
    copy_reference(dest)
    for path in sorted((KIT_DATA / "cases").glob("*.yaml"))[:cases]:
        shutil.copy(path, dest / "cases" / path.name)
    return dest


def valid_case(case_id: str = "cas-test", **changes) -> dict:
    """Return a minimal valid case as a dict; keyword arguments replace fields."""
    case = {
        "id": case_id,
        "title": "Un cas d'essai",
        "territory": "Quartier d'essai",
        "summary": "Une OC accompagne un comité de citoyennes et citoyens qui veut ouvrir une halte-garderie.",
        "axes": {"DEV": "Le comité rassemble des gens du quartier autour d'un projet qu'ils portent ensemble."},
        "approach": {"dominant": "SOCIOCOM", "secondary": []},
        "acts": ["accompagner", "mobiliser"],
        "label_provenance": "constructed",
        "source": None,
        "difficulty": 1,
    }
    case.update(changes)
    return case


def write_case(data_dir: Path, case: dict, name: str | None = None) -> Path:
    """Write a case dict as YAML into data_dir/cases/<name or id>.yaml."""
    path = data_dir / "cases" / f"{name or case['id']}.yaml"
    path.write_text(yaml.safe_dump(case, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def words(text: str) -> list[str]:
    """Lower-cased words with punctuation removed (apostrophes and hyphens split words)."""
    import re

    return re.findall(r"[^\W_]+", text.lower())


def source_shingles(n: int = 12) -> set[tuple[str, ...]]:
    """Every run of n consecutive words in the source documents."""
    runs = set()
    for path in sorted(SOURCES.glob("*.txt")):
        w = words(path.read_text(encoding="utf-8"))
        runs.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    return runs


def copied_runs(text: str, shingles: set, n: int = 12) -> list[str]:
    """Runs of n words of `text` that also appear in the sources."""
    w = words(text)
    return [" ".join(w[i:i + n]) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in shingles]
