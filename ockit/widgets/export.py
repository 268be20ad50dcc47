"""Hand in: a name field and a button that writes the learner's submission file."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from .a11y import root
from .common import RUN_HINT, esc, guarded, open_store, warning_html

# Up to this size the hand-in is also offered as a download link carrying the file itself (a
# data: URL, which browsers accept up to a few megabytes): in Voilà, or on a hub without a class
# hand-in folder, it is the learner's only way to take the file out of the server.
DOWNLOAD_LIMIT = 1_500_000


def slug(text: str) -> str:
    """Return a file-name-safe form of a name: no accents, lower case, dashes ("anonyme" if empty)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "anonyme"


def download_link(path: Path) -> str:
    """A link that downloads the hand-in file `path` from the page itself, or "" when the file
    is too big for a link (it then stays only where the status line says)."""
    import base64

    try:
        data = path.read_bytes()
    except OSError:
        return ""
    if len(data) > DOWNLOAD_LIMIT:
        return ""
    href = "data:application/json;base64," + base64.b64encode(data).decode("ascii")
    return (f'<p><a download="{esc(path.name)}" href="{href}">Télécharger ma remise ({esc(path.name)})</a> '
            "pour la garder sur votre ordinateur ou la déposer où votre enseignant·e le demande.</p>")


class ExportPanel:
    """A name field and an "Exporter ma remise" button writing remise-<nom>.json in `folder`."""

    def __init__(self, *, store=None, folder="."):
        import ipywidgets as w

        self.folder = Path(folder)
        self.store, warning = open_store(store)
        self.learner = w.Text(value="", description="Votre nom ou numéro d'étudiant·e",
                              placeholder="p. ex. 20261234", style={"description_width": "initial"},
                              layout=w.Layout(width="auto"))
        self.button = w.Button(description="Exporter ma remise", button_style="primary",
                               tooltip="Écrire le fichier de remise à transmettre à votre enseignant·e")
        self.status = w.HTML(warning_html(warning))
        self.button.on_click(guarded(self.status, "l'exportation de la remise")(self._on_export))
        self.widget = root([self.learner, self.button, self.status])

    def export(self) -> Path | None:
        """Write the submission file and report it in `status`; return its path, or None."""
        from ..progress import NothingToExport

        name = self.learner.value.strip()
        if not name:
            self.status.value = ('<p role="alert">Inscrivez d\'abord votre nom ou votre numéro '
                                 "d'étudiant·e.</p>")
            return None
        if self.store is None:
            self.status.value = warning_html("Aucun fichier de progression n'est disponible : rien à exporter.")
            return None
        from ..handin import HandinError, who

        # Never the learner's name in clear in a file name: the hub account, else a pseudonym.
        target = self.folder / f"remise-{who(name)}.json"
        try:
            out = self.store.export(target, name)
        except NothingToExport:
            self.status.value = ('<p role="alert">Rien à exporter pour l\'instant : faites au moins un '
                                 "exercice (bouton « Vérifier ») avant d'exporter votre remise.</p>")
            return None
        except HandinError as exc:
            self.status.value = (f'<p role="alert">Votre fichier de remise est écrit dans <code>{esc(target)}</code>, '
                                 f"mais il n'a pas pu être déposé dans le dossier de la classe : {esc(exc)}</p>"
                                 + download_link(target))
            return target
        count = len(self.store.answers())
        handed = self.store.last_handin
        tail = (f"Remise déposée dans le dossier de remise de la classe : <code>{esc(handed)}</code>."
                if handed else "Transmettez ce fichier à votre enseignant·e.")
        # The full path: in Voilà there is no file browser to find a bare file name in.
        self.status.value = (f'<p role="status">Remise écrite : <code>{esc(Path(out).resolve())}</code> ({count} '
                             f"réponse{'s' if count > 1 else ''}). {tail}</p>" + download_link(Path(out)))
        return out

    def _on_export(self, _button=None):
        self.export()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Exportation de la remise. {RUN_HINT}"
        return bundle
