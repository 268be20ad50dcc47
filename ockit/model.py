"""The course domain as frozen dataclasses: what the YAML in data/ becomes once validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

AXIS_CODES = ("DEV", "DSS", "ORG", "RESP")
APPROACH_CODES = ("SOCIOECO", "SOCIOINST", "SOCIOCOM", "SOCIOPOL")
PROVENANCES = ("source", "inferred", "constructed")
MATCHES = ("full", "partial")


def frozen_map(items) -> Mapping:
    """Return a read-only mapping that keeps insertion order."""
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Source:
    """A source document the kit cites."""

    doc: str
    publisher: str
    year: int | None
    title: str
    authors: str | None = None

    def citation(self) -> str:
        """Return a short French citation, e.g. "CREMIS (2025). Titre."."""
        who = self.authors or self.publisher
        year = self.year if self.year else "s. d."
        return f"{who} ({year}). {self.title}. {self.publisher}." if self.authors else f"{who} ({year}). {self.title}."


@dataclass(frozen=True)
class Axis:
    """One of the four reference axes of the RQIIAC 2020 framework."""

    code: str
    label: str
    short: str
    definition: str
    indices: tuple[str, ...]
    not_fit: str
    source: str | None = None


@dataclass(frozen=True)
class Approach:
    """One of the four approaches in OC."""

    code: str
    label: str
    definition: str
    indices: tuple[str, ...]
    not_fit: str
    source: str | None = None


@dataclass(frozen=True)
class Mapping_:
    """How one axis of a local framework maps onto one reference axis."""

    axis: str
    match: str
    why: str


@dataclass(frozen=True)
class FrameworkAxis:
    """A numbered axis in an establishment's own framework."""

    number: int
    label: str
    maps_to: tuple[Mapping_, ...]


@dataclass(frozen=True)
class Framework:
    """A numbering of the axes: the reference one or an establishment's."""

    id: str
    title: str
    source: str | None
    reference: bool
    axes: tuple[FrameworkAxis, ...]


@dataclass(frozen=True)
class Term:
    """An item of a term list: an act, a value, a principle, a role, a glossary entry..."""

    id: str
    label: str
    description: str
    source: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class CaseApproach:
    """The approach key of a case: a dominant code (or None) and secondary codes."""

    dominant: str | None
    secondary: tuple[str, ...] = ()
    why: str | None = None


@dataclass(frozen=True)
class Case:
    """A case learners classify; its labels are the answer key."""

    id: str
    title: str
    territory: str
    summary: str
    rationale: Mapping[str, str]
    approach: CaseApproach
    acts: tuple[str, ...]
    label_provenance: str
    source: Source | None
    difficulty: int
    not_axes: Mapping[str, str] = field(default_factory=lambda: frozen_map({}))
    themes: tuple[str, ...] = ()
    hesitation: str | None = None
    inspired_by: str | None = None
    path: Path | None = field(default=None, compare=False)

    @property
    def axes(self) -> tuple[str, ...]:
        """The key's axis codes, most important first."""
        return tuple(self.rationale)

    def to_dict(self) -> dict:
        """Return the case as plain JSON-ready data (the `ockit cases --json` contract)."""
        return {
            "id": self.id,
            "title": self.title,
            "territory": self.territory,
            "summary": self.summary,
            "axes": list(self.axes),
            "rationale": dict(self.rationale),
            "not_axes": dict(self.not_axes),
            "approach": self.approach.dominant,
            "approach_secondary": list(self.approach.secondary),
            "approach_why": self.approach.why,
            "acts": list(self.acts),
            "themes": list(self.themes),
            "label_provenance": self.label_provenance,
            "source": None if self.source is None else {
                "doc": self.source.doc,
                "publisher": self.source.publisher,
                "year": self.source.year,
                "title": self.source.title,
            },
            "difficulty": self.difficulty,
            "hesitation": self.hesitation,
        }


@dataclass(frozen=True)
class Course:
    """All the course content, validated: the single object the rest of the kit reads."""

    sources: Mapping[str, Source]
    axes: Mapping[str, Axis]
    approaches: Mapping[str, Approach]
    frameworks: Mapping[str, Framework]
    terms: Mapping[str, Mapping[str, Term]]
    cases: Mapping[str, Case]
    data_dirs: tuple[Path, ...] = ()

    def case(self, case_id: str) -> Case:
        """Return a case by id, or raise KeyError with a French message listing close ids."""
        try:
            return self.cases[case_id]
        except KeyError:
            import difflib

            close = difflib.get_close_matches(case_id, list(self.cases), n=3)
            hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
            raise UnknownCaseError(f"Cas inconnu « {case_id} ».{hint}") from None

    @property
    def acts(self) -> Mapping[str, Term]:
        """The 11 actes professionnels, by id."""
        return self.terms.get("actes", frozen_map({}))


class UnknownCaseError(KeyError):
    """Raised when a case id is not in the course."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the French text as is
        return str(self.args[0]) if self.args else ""
