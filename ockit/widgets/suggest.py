"""The suggestion tool as a widget: a description to edit, a « Suggérer » button, the explanation.

In the app (Voilà) a lesson's code is hidden, so a description written in a code cell could be
neither read nor changed; here it sits in a text box, and the explanation of
`ockit.Suggestion.explain` is shown as text (paragraphs and lists), not as a block of code.
"""

from __future__ import annotations

import re

from .a11y import root
from .common import esc, guarded


def explanation_html(text: str) -> str:
    """`Suggestion.explain()` as escaped HTML: a paragraph per line, and the lines indented
    under a heading (its evidence, what would decide) as a list under it."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        items: list[str] = []
        for line in block.splitlines():
            if line.startswith("      ") and out:  # evidence under the line above
                items.append(f"<li>{esc(line.strip())}</li>")
                continue
            if items:
                out.append(f"<ul>{''.join(items)}</ul>")
                items = []
            out.append(f"<p>{esc(line.strip())}</p>")
        if items:
            out.append(f"<ul>{''.join(items)}</ul>")
    return "".join(out)


class SuggestionPanel:
    """A text box holding `description`, a « Suggérer » button, and the tool's explanation.

    The explanation of the starting description shows at once; the learner may replace the
    text by a situation of their own and ask again. `text_plain` (what nbval compares, and what
    a plain-text front end shows) is the explanation of the starting description.
    """

    def __init__(self, description: str = "", *, course=None):
        import ipywidgets as w

        self.course = course
        self.text = w.Textarea(value=description.strip(), description="Description à analyser",
                               placeholder="Décrivez une action : ce que fait l'OC, avec qui, où et dans quel but.",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="95%", height="9em"))
        self.button = w.Button(description="Suggérer", button_style="primary",
                               tooltip="Demander à l'outil de suggestion de classer cette description")
        self.output = w.HTML("")
        self.button.on_click(guarded(self.output, "la suggestion")(lambda _b: self.suggest()))
        self.widget = root([self.text, self.button, self.output])
        self.text_plain = self.suggest() if self.text.value else ""

    def suggest(self) -> str:
        """Show the explanation of the text in the box; return it as plain text."""
        from ..suggester import suggest

        text = self.text.value.strip()
        if not text:
            self.output.value = '<p role="alert">Écrivez d\'abord une description dans la zone de texte.</p>'
            return ""
        explained = suggest(text).explain(self.course)
        self.output.value = f'<div role="status" aria-live="polite">{explanation_html(explained)}</div>'
        return explained

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = self.text_plain
        return bundle
