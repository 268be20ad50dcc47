"""What every widget of the kit shares: escaping, French status and error lines, guarded handlers.

Rules every handler follows: it never prints (a headless kernel loses `print` inside an
Output); it sets an HTML widget's value; it catches its own errors, shows a French message and
logs the detail; and it escapes every piece of text it shows (html.escape).
"""

from __future__ import annotations

import html
import logging
import re

log = logging.getLogger("ockit.widgets")

# The text a notebook shows in place of a widget whose cell has not been run in this session.
RUN_HINT = "Exécutez la cellule (Maj+Entrée) pour l'afficher."


def esc(text) -> str:
    """Return `text` HTML-escaped (quotes included); None becomes an empty string."""
    return html.escape("" if text is None else str(text), quote=True)


def paragraphs(text: str) -> str:
    """Return plain text with blank-line-separated paragraphs as escaped HTML <p> elements."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    return "".join(f"<p>{esc(p)}</p>" for p in parts)


def error_html(exc: BaseException, doing: str) -> str:
    """Return the French message shown when a handler fails; the detail goes to the log."""
    detail = f"{type(exc).__name__} : {exc}"
    return ('<div role="alert" class="ockit-erreur" style="color:#a00000">'
            f"<p><strong>Oups, une erreur est survenue pendant {esc(doing)}.</strong> "
            "Rien n'a été perdu de ce qui était déjà enregistré. Réessayez; si l'erreur "
            "revient, montrez ce message à votre enseignant·e.</p>"
            f"<p><small>Détail technique : {esc(detail)}</small></p></div>")


def warning_html(text: str | None) -> str:
    """Return a visible French warning block, or "" when there is nothing to say."""
    if not text:
        return ""
    return (f'<div role="alert" class="ockit-avertissement" style="border-left:4px solid #c77700;'
            f'padding-left:8px"><p><strong>Attention.</strong> {esc(text)}</p></div>')


def save_status(store, record, what: str) -> str:
    """Run `record()` to save one check in `store`; return the French status line (HTML).

    Nothing raised by the save escapes: the learner is told, in French, that the answer was
    not saved and why; the detail is logged at debug level under `what`.
    """
    if store is None:
        return ("<p><strong>Cette réponse n'a pas été enregistrée</strong> (fichier de progression "
                "indisponible).</p>")
    try:
        record()
    except Exception as exc:  # noqa: BLE001 - the learner must know the answer is not saved
        log.debug("cannot save %s", what, exc_info=True)
        return (f"<p><strong>Attention : cette réponse n'a pas pu être enregistrée</strong> "
                f"({esc(error_reason(exc))}).</p>")
    return "<p><small>Réponse enregistrée.</small></p>"


def guarded(target, doing: str):
    """Return a decorator for click handlers: any error shows in `target` (an HTML widget)
    as a French message, and its detail is logged."""

    def wrap(action):
        def handler(*args):
            try:
                return action(*args)
            except Exception as exc:  # noqa: BLE001 - a widget callback must never fail silently
                log.exception("ockit widget handler failed during %s", doing)  # a bug: keep the traceback
                target.value = error_html(exc, doing)
            return None

        return handler

    return wrap


def label_first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def error_reason(exc: BaseException) -> str:
    """Return why `exc` happened, in French for file errors, with no final period."""
    from ..progress import ProgressError

    if isinstance(exc, ProgressError):
        text = exc.reason
    elif isinstance(exc, OSError):
        from ..oserrors import reason

        text = reason(exc)
    else:
        text = f"{type(exc).__name__} : {exc}"
    return text.rstrip(" .")


def open_store(store):
    """Return (store, warning): the given store, or the default one; never raises.

    The default store is quiet: a file set aside is told in the widget (French, once), not
    also as a Python warning printed in the notebook.
    """
    if store is not None:
        return store, store.warning
    from ..progress import ProgressError, Store

    try:
        store = Store(quiet=True)
    except (ProgressError, OSError) as exc:
        log.debug("cannot open the progress store", exc_info=True)
        where = getattr(exc, "path", None) or getattr(exc, "filename", None)
        where = f" {where}" if where else ""
        return None, ("Vos réponses ne pourront pas être enregistrées pendant cette séance : "
                      f"le fichier de progression{where} est inutilisable : {error_reason(exc)}. "
                      "Vérifiez la variable OCKIT_PROGRESS ou parlez-en à votre enseignant·e.")
    return store, store.warning
