"""The course domain as frozen dataclasses: what the YAML in data/ becomes once validated."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

AXIS_CODES = ("DEV", "DSS", "ORG", "RESP")
APPROACH_CODES = ("SOCIOECO", "SOCIOINST", "SOCIOCOM", "SOCIOPOL")
PROVENANCES = ("source", "inferred", "constructed")
# Where a case's story comes from, apart from where its labels come from (issue #16):
# source -> the summary retells the source; illustration -> the kit wrote the scenario
# (the source only names the example); mixed -> a sourced core plus the kit's illustration.
STORIES = ("source", "illustration", "mixed")
DEFAULT_STORY = {"source": "source", "constructed": "illustration"}
MATCHES = ("full", "partial")
# What a piece of content rests on: None -> the five sources; general-knowledge -> general
# knowledge of the field (said so on screen wherever it is shown).
BASES = (None, "general-knowledge")
# The comparison grid of the approaches (lesson 03): who initiates, purpose, strategy, OC's role.
GRID_FIELDS = ("initiative", "purpose", "strategy", "oc_role")
GRID_LABELS = {"initiative": "Qui amorce la démarche", "purpose": "Ce qu'elle vise",
               "strategy": "Stratégie (consensus ou conflit)", "oc_role": "Rôle de l'OC"}


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
    grid: Mapping[str, str] = field(default_factory=lambda: frozen_map({}))
    basis: str | None = None


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
    basis: str | None = None


@dataclass(frozen=True)
class CaseApproach:
    """The approach key of a case: a dominant code (or None) and secondary codes."""

    dominant: str | None
    secondary: tuple[str, ...] = ()
    why: str | None = None


@dataclass(frozen=True)
class AcceptedReading:
    """Another defensible answer to a case, besides its key, with the kit's reason."""

    axes: tuple[str, ...]
    why: str
    approach: str | None = None


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
    story: str = "source"
    also_accepted: tuple[AcceptedReading, ...] = ()
    former_ids: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    @property
    def axes(self) -> tuple[str, ...]:
        """The key's axis codes, most important first."""
        return tuple(self.rationale)

    def provenance_note(self) -> str:
        """Return the French line that tells a learner where this case comes from.

        It separates where the labels come from (label_provenance) from where the story comes
        from (story), so that an invented scenario is never read as a fact of the source.
        Plain text: escape it before putting it in HTML.
        """
        if self.label_provenance == "constructed" or self.source is None:
            return ("Vignette inventée par la trousse à des fins pédagogiques : les lieux, les "
                    "personnes et les faits sont fictifs.")
        cite = self.source.citation()
        labels = ("Les axes sont ceux que nomme la source; l'approche est déduite par la trousse."
                  if self.label_provenance == "source"
                  else "Les axes et l'approche sont déduits par la trousse.")
        if self.story == "illustration":
            return (f"D'après : {cite} La source ne fait que nommer cet exemple : le récit est une "
                    f"illustration écrite par la trousse, pas un compte rendu. {labels}")
        if self.story == "mixed":
            return (f"Source : {cite} Le récit combine ce que rapporte la source et une "
                    f"illustration écrite par la trousse. {labels}")
        return f"Source : {cite} Le récit reprend la source, dans nos mots. {labels}"

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
            "story": self.story,
            "also_accepted": [{"axes": list(r.axes), "approach": r.approach, "why": r.why}
                              for r in self.also_accepted],
            "former_ids": list(self.former_ids),
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
        """Return a case by id (a former id is accepted, see resolve_case_id), or raise
        UnknownCaseError with a French message listing close ids."""
        return self.cases[self.resolve_case_id(case_id)]

    def resolve_case_id(self, case_id: str) -> str:
        """Return the current id of a case given its id or one of its former ids.

        Earlier submissions and progress files may carry an id a case had before it was
        renamed; read them through this. Raises UnknownCaseError when neither matches.
        """
        if case_id in self.cases:
            return case_id
        for case in self.cases.values():
            if case_id in case.former_ids:
                return case.id
        import difflib

        close = difflib.get_close_matches(str(case_id), list(self.cases), n=3)
        hint = f" Vouliez-vous dire : {', '.join(close)} ?" if close else ""
        raise UnknownCaseError(f"Cas inconnu « {case_id} ».{hint}")

    def case_by_id(self, case_id: str) -> Case:
        """Return a case by its current id or by a former id (same as `case`)."""
        return self.case(case_id)

    @property
    def acts(self) -> Mapping[str, Term]:
        """The 11 actes professionnels, by id."""
        return self.terms.get("actes", frozen_map({}))


class UnknownCaseError(KeyError):
    """Raised when a case id is not in the course."""

    def __str__(self) -> str:  # KeyError quotes its argument; show the French text as is
        return str(self.args[0]) if self.args else ""
