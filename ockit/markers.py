"""Solution regions, recognized exactly as nbgrader's ClearSolutions recognizes them.

nbgrader 0.9 (`nbgrader/preprocessors/clearsolutions.py`) splits a cell's source on "\\n" and
reads it line by line: a line that *contains* the text `BEGIN SOLUTION` (case-sensitive,
anywhere in the line, whatever comes before it: `#`, `###`, `<!--`...) opens a region; otherwise
a line that contains `END SOLUTION` closes it; the marker lines and every line between them are
dropped and replaced by a stub indented like the opening line. A second opening inside a region,
or a region never closed, is an error.

This module follows that reading line for line (it is written anew, not copied), and is
stricter where nbgrader would let an answer through or fail later: a closing marker outside a
region, a line holding both markers, and any line outside a region that *looks like* a marker
but that nbgrader would not strip (`# begin solution`, `BEGIN_SOLUTION`, `### BEGIN HIDDEN TESTS`...) are refused
with a French reason, because the text after it would reach the students.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BEGIN_TEXT = "BEGIN SOLUTION"  # nbgrader's ClearSolutions.begin_solution_delimeter
END_TEXT = "END SOLUTION"  # nbgrader's ClearSolutions.end_solution_delimeter
# Anything a person may have meant as a marker: either word order, any case, any separator,
# and nbgrader's other regions (hidden tests, mark scheme), which the kit does not strip.
_LIKE = re.compile(r"(?i)\b(begin|end|d[ée]but|fin)[\s_\-:]*((of|de|la)[\s_\-]*)*"
                   r"(solutions?|hidden[\s_\-]*tests?|mark[\s_\-]*scheme|r[ée]ponse)\b")


class RegionError(ValueError):
    """Markers in one cell's source that cannot be stripped safely.

    `line` is 1-based; the French `reason` says what is wrong and what to do.
    """

    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(f"ligne {line} : {reason}")


@dataclass(frozen=True)
class Region:
    """One solution region: the 0-based indices of its opening and closing marker lines."""

    begin: int
    end: int


def lines(source: str) -> list[str]:
    """Split a cell's source the way nbgrader does (on "\\n" only, not on every line break)."""
    return source.split("\n")


def is_begin(line: str) -> bool:
    """Does nbgrader read this line as the opening of a solution region?"""
    return BEGIN_TEXT in line


def is_end(line: str) -> bool:
    """Does nbgrader read this line as a closing marker (when it is not an opening one)?"""
    return END_TEXT in line and BEGIN_TEXT not in line


def looks_like_marker(line: str) -> bool:
    """Is this line marker-like (see the module docstring), recognized by nbgrader or not?"""
    return bool(_LIKE.search(line))


def regions(source: str) -> list[Region]:
    """Return the solution regions of a cell's source, in order.

    Raises:
        RegionError: an opening inside an open region, a region never closed, a closing
            marker outside a region, both markers on one line, or a marker-like line that
            nbgrader would not strip.
    """
    found: list[Region] = []
    start = None
    for index, line in enumerate(lines(source)):
        number = index + 1
        if is_begin(line):
            if END_TEXT in line:
                raise RegionError(number, f"la même ligne contient « {BEGIN_TEXT} » et « {END_TEXT} ». "
                                          "Mettez chaque marqueur seul sur sa ligne.")
            if start is not None:
                raise RegionError(number, f"« {BEGIN_TEXT} » alors que la région ouverte à la ligne "
                                          f"{start + 1} n'est pas fermée (régions imbriquées). "
                                          f"Ajoutez « ### {END_TEXT} » avant d'en ouvrir une autre.")
            start = index
        elif is_end(line):
            if start is None:
                raise RegionError(number, f"« {END_TEXT} » sans « {BEGIN_TEXT} » avant lui dans la "
                                          "même cellule.")
            found.append(Region(start, index))
            start = None
        elif start is None and looks_like_marker(line):  # inside a region, everything goes
            raise RegionError(number, f"« {line.strip()[:60]} » ressemble à un marqueur de solution, mais "
                                      "nbgrader ne le reconnaît pas et le texte qui suit serait "
                                      f"montré aux étudiant·es. Écrivez exactement « ### {BEGIN_TEXT} » "
                                      f"et « ### {END_TEXT} » (en majuscules), ou reformulez la ligne.")
    if start is not None:
        raise RegionError(start + 1, f"« {BEGIN_TEXT} » n'a pas de « {END_TEXT} ». Ajoutez la ligne "
                                     f"« ### {END_TEXT} » dans la même cellule.")
    return found


def has_region(source: str) -> bool:
    """Would nbgrader find a solution region in this source (an opening marker line)?"""
    return any(is_begin(line) for line in lines(source))


def indent_of(line: str) -> str:
    """The leading whitespace of a line, which nbgrader gives to the stub it puts there."""
    return re.match(r"\s*", line).group(0)


def replace_regions(source: str, stub) -> str:
    """Return `source` with each region (markers included) replaced by `stub(indent, body)`.

    `stub` receives the opening line's indentation and the list of lines inside the region,
    and returns the lines to put in its place. `regions` is called first, so a source it
    refuses raises RegionError here too.
    """
    found = regions(source)
    src = lines(source)
    out: list[str] = []
    last = 0
    for region in found:
        out.extend(src[last:region.begin])
        out.extend(stub(indent_of(src[region.begin]), src[region.begin + 1:region.end]))
        last = region.end + 1
    out.extend(src[last:])
    return "\n".join(out)
