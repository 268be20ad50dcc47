"""The glossary's acronyms and terms found in a text, so a case can explain the ones it uses.

A label with a capital letter (MRC, CISSS, Olo) is matched as written, as a whole word; a
lowercase term (table de quartier) is matched in any case, with or without a plural « s » on
each word. A label's parenthesis (« pouvoir d'agir (empowerment) ») is not part of the match.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u02bc": "'"})


def _pattern(label: str) -> re.Pattern:
    label = label.split(" (")[0].translate(_APOSTROPHES).strip()
    edge_before, edge_after = r"(?<![\w-])", r"(?![\w-])"
    if any(ch.isupper() for ch in label):
        return re.compile(edge_before + re.escape(label) + edge_after)
    words = [re.escape(word) + ("s?" if len(word) > 2 and word[-1] not in "sx'" else "") for word in label.split()]
    return re.compile(edge_before + r"\s+".join(words) + edge_after, re.IGNORECASE)


@lru_cache(maxsize=8)
def _patterns(entries: tuple) -> tuple:
    return tuple((term, _pattern(term.label)) for term in entries)


def terms_in(text: str, course) -> list:
    """Return the glossary entries (Terms) whose label appears in `text`, in order of first use."""
    entries = tuple(course.terms.get("glossary", {}).values())
    text = (text or "").translate(_APOSTROPHES)
    found = []
    for term, pattern in _patterns(entries):
        match = pattern.search(text)
        if match:
            found.append((match.start(), term))
    return [term for _start, term in sorted(found, key=lambda pair: pair[0])]


def glossary_html(terms) -> str:
    """A closed « Sigles et termes » disclosure listing `terms` with their meaning ("" if none).

    A native <details> element: keyboard and screen readers open it without script."""
    if not terms:
        return ""
    names = ", ".join(html.escape(t.label) for t in terms)
    items = "".join(f"<dt><strong>{html.escape(t.label)}</strong></dt><dd>{html.escape(t.description.strip())}</dd>"
                    for t in terms)
    return (f'<details class="ockit-glossary"><summary>Sigles et termes de ce cas : {names}</summary>'
            f"<dl>{items}</dl></details>")
