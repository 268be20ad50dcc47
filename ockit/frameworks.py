"""Crosswalk between the establishments' numberings of the axes and the RQIIAC 2020 reference."""

from __future__ import annotations

from .data import load
from .model import Course, Mapping_


class UnknownFrameworkError(KeyError):
    """Raised for a framework id or axis number the data does not define."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _framework(framework_id: str, course: Course):
    try:
        return course.frameworks[framework_id]
    except KeyError:
        known = ", ".join(course.frameworks)
        raise UnknownFrameworkError(
            f"Cadre inconnu « {framework_id} ». Cadres connus : {known}.") from None


def to_reference(framework_id: str, number: int, course: Course | None = None) -> tuple[Mapping_, ...]:
    """Return how axis `number` of a framework maps onto the reference axes.

    >>> [m.axis for m in to_reference("cemtl", 3)]
    ['ORG']
    """
    course = course or load()
    fw = _framework(framework_id, course)
    for axis in fw.axes:
        if axis.number == number:
            return axis.maps_to
    numbers = ", ".join(str(a.number) for a in fw.axes)
    raise UnknownFrameworkError(
        f"Le cadre « {framework_id} » n'a pas d'axe n° {number}. Axes : {numbers}.")


def from_reference(axis_code: str, framework_id: str, course: Course | None = None) -> tuple[tuple[int, str], ...]:
    """Return the (number, match) pairs of a framework's axes that map onto a reference axis."""
    course = course or load()
    fw = _framework(framework_id, course)
    return tuple((a.number, m.match) for a in fw.axes for m in a.maps_to if m.axis == axis_code)


def crosswalk(course: Course | None = None) -> dict:
    """Return the whole crosswalk as JSON-ready data (the `ockit crosswalk --json` contract)."""
    course = course or load()
    return {"frameworks": [
        {"id": fw.id, "title": fw.title, "reference": fw.reference, "source": fw.source,
         "axes": [{"number": a.number, "label": a.label,
                   "maps_to": [{"axis": m.axis, "match": m.match, "why": m.why} for m in a.maps_to]}
                  for a in fw.axes]}
        for fw in course.frameworks.values()]}
