"""The exercise widgets: classify a case, work through a series of cases, export a submission.

State is kept apart from view: `ExerciseState` is a plain object that scores and counts
attempts; `CaseExercise` draws it with real ipywidgets controls (checkboxes, radio buttons,
buttons), so everything works from the keyboard, and forwards clicks to it. Tests set the
controls' `.value`, call `button.click()` and read `.feedback.value`, with no browser.

Rules every handler here follows: it never prints (a headless kernel loses `print` inside an
Output); it sets an HTML widget's value; it catches its own errors, shows a French message and
logs the detail; and it escapes every piece of text it shows (html.escape).

ipywidgets is imported inside the functions and classes that need it, so `import ockit` stays light.
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .model import APPROACH_CODES, AXIS_CODES
from .submission import MAX_JUSTIFICATION, SubmittedAnswer, now_iso

log = logging.getLogger(__name__)

DONT_KNOW = "Je ne sais pas"
_DONT_KNOW_VALUE = "?"  # RadioButtons treat None as "nothing selected", so a sentinel is used
PROVENANCE = {
    "source": "Étiquettes tirées de la source.",
    "inferred": "Étiquettes déduites par la trousse à partir de la source.",
    "constructed": "Vignette construite à des fins pédagogiques (cas fictif).",
}


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


def _label_first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def error_reason(exc: BaseException) -> str:
    """Return why `exc` happened, in French for file errors, with no final period."""
    from .progress import ProgressError

    if isinstance(exc, ProgressError):
        text = exc.reason
    elif isinstance(exc, OSError):
        from .oserrors import reason

        text = reason(exc)
    else:
        text = f"{type(exc).__name__} : {exc}"
    return text.rstrip(" .")


def _open_store(store):
    """Return (store, warning): the given store, or the default one; never raises.

    The default store is quiet: a file set aside is told in the widget (French, once), not
    also as a Python warning printed in the notebook.
    """
    if store is not None:
        return store, store.warning
    from .progress import ProgressError, Store

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


@dataclass
class ExerciseState:
    """What the learner chose for one case and how it went; no widget in here."""

    case_id: str
    axes: tuple[str, ...] = ()
    approach: str | None = None
    justification: str | None = None
    attempts: int = 0
    last_score: object = None

    def check(self, axes, approach=None, justification=None, *, course=None):
        """Record a new attempt with these choices, score it and return the Score."""
        from .scoring import score

        chosen = set(axes)  # once: `axes` may be a one-shot iterator
        self.axes = tuple(c for c in AXIS_CODES if c in chosen)
        self.approach = approach
        text = (justification or "").strip()
        self.justification = text[:MAX_JUSTIFICATION] or None
        self.attempts += 1
        self.last_score = score(self.case_id, self.axes, self.approach, course=course)
        return self.last_score

    def to_answer(self) -> SubmittedAnswer:
        """Return the current attempt as the answer saved in the progress store."""
        return SubmittedAnswer(case=self.case_id, axes=self.axes, approach=self.approach,
                               justification=self.justification, attempts=self.attempts,
                               answered_at=now_iso())


class CaseExercise:
    """Classify one case: tick axes, pick an approach, justify, click "Vérifier".

    Each check is scored with `ockit.score` and saved at once to the progress store.
    "Voir la réponse" appears after a first attempt and shows the key with its reasons.
    A previous answer to the same case found in the store is restored (ticks, approach,
    justification, attempt count), so a kernel restart loses nothing.

    Attributes:
        checkboxes: axis code -> Checkbox whose description is the axis label from data/.
        approach: RadioButtons over the four approaches and "Je ne sais pas".
        justification: optional Textarea.
        check_button, answer_button: the "Vérifier" and "Voir la réponse" buttons.
        feedback: HTML filled after each check. answer_box: HTML filled by "Voir la réponse".
        state: the ExerciseState. store: the progress Store (None if it could not be opened).
        widget: the VBox to display.
    """

    def __init__(self, case_id: str, *, store=None, show_title: bool = True, course=None):
        import ipywidgets as w

        if course is None:
            from .data import load

            course = load()
        self.course = course
        self.case = course.case(case_id)
        self.state = ExerciseState(self.case.id)
        self.store, warning = _open_store(store)
        self._warning_shown = warning
        auto = w.Layout(width="auto")

        self.warning = w.HTML(warning_html(warning))
        self.case_html = w.HTML(self._case_html(show_title))
        self.checkboxes = {
            code: w.Checkbox(value=False, description=axis.label, indent=False, layout=auto,
                             tooltip=axis.label)
            for code, axis in course.axes.items()
        }
        options = [(_label_first_upper(course.approaches[c].label), c) for c in APPROACH_CODES]
        options.append((DONT_KNOW, _DONT_KNOW_VALUE))
        self.approach = w.RadioButtons(options=options, value=_DONT_KNOW_VALUE,
                                       description="Approche dominante",
                                       style={"description_width": "initial"}, layout=auto)
        self.justification = w.Textarea(
            value="", description="Justification (facultative)",
            placeholder="En quelques mots : qu'est-ce qui, dans le cas, appuie votre choix ?",
            style={"description_width": "initial"}, layout=w.Layout(width="95%", height="6em"))
        self.check_button = w.Button(description="Vérifier", button_style="primary",
                                     tooltip="Vérifier ma réponse et l'enregistrer")
        self.answer_button = w.Button(description="Voir la réponse",
                                      tooltip="Afficher les axes et l'approche attendus, avec leurs raisons",
                                      layout=w.Layout(display="none"))
        self.feedback = w.HTML("")
        self.answer_box = w.HTML("")
        self.check_button.on_click(guarded(self.feedback, "la vérification")(self._on_check))
        self.answer_button.on_click(guarded(self.answer_box, "l'affichage de la réponse")(self._on_answer))
        self._restore()
        legend = w.HTML("<p><strong>Axes de service</strong> : cochez tous ceux qui s'appliquent. "
                        "Dans votre justification, dites lequel compte le plus.</p>")
        self.widget = w.VBox([
            self.warning, self.case_html, legend,
            w.VBox(list(self.checkboxes.values())), self.approach, self.justification,
            w.HBox([self.check_button, self.answer_button]), self.feedback, self.answer_box,
        ])

    # -- display -------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        # A short, stable text/plain: nbval compares it, and the widget's own repr lists every value.
        bundle["text/plain"] = f"Exercice de classification : {self.case.id}"
        return bundle

    def __repr__(self) -> str:
        return f"CaseExercise({self.case.id!r})"

    def _case_html(self, show_title: bool) -> str:
        case = self.case
        parts = []
        if show_title:
            parts.append(f"<h3>{esc(case.title)}</h3>")
        parts.append(f"<p><em>Territoire : {esc(case.territory)}</em></p>")
        parts.append(f"<p>{esc(case.summary)}</p>")
        origin = PROVENANCE.get(case.label_provenance, "")
        if case.source is not None:
            origin = f"Source : {case.source.citation()} {origin}"
        parts.append(f"<p><small>{esc(origin)}</small></p>")
        return "".join(parts)

    # -- choices -------------------------------------------------------------------------

    def chosen(self) -> tuple[tuple[str, ...], str | None, str]:
        """Return the ticked axes (reference order), the approach code or None, the justification."""
        axes = tuple(code for code, box in self.checkboxes.items() if box.value)
        approach = None if self.approach.value == _DONT_KNOW_VALUE else self.approach.value
        return axes, approach, self.justification.value

    def _restore(self) -> None:
        if self.store is None:
            return
        try:
            last = self.store.last(self.case.id)
        except Exception:  # noqa: BLE001 - a store problem must not keep the exercise from showing
            log.debug("cannot read previous answer for %s", self.case.id, exc_info=True)
            return
        if last is None:
            return
        for code, box in self.checkboxes.items():
            box.value = code in last.axes
        self.approach.value = last.approach or _DONT_KNOW_VALUE
        self.justification.value = last.justification or ""
        self.state.axes, self.state.approach = last.axes, last.approach
        self.state.justification, self.state.attempts = last.justification, last.attempts
        self.answer_button.layout.display = None
        self.feedback.value = (f"<p><small>Réponse reprise de votre dernière tentative "
                               f"(n° {last.attempts}). Modifiez-la et vérifiez de nouveau au besoin.</small></p>")

    # -- handlers ------------------------------------------------------------------------

    def check(self):
        """Score the current choices, save them, fill the feedback; return the Score (or None)."""
        axes, approach, justification = self.chosen()
        self.answer_box.value = ""  # an earlier key must not sit next to the new feedback
        if not axes:
            self.feedback.value = ('<div role="status" aria-live="polite"><p>Cochez au moins un axe '
                                   "avant de vérifier.</p></div>")
            return None
        result = self.state.check(axes, approach, justification, course=self.course)
        saved = self._save()
        self.answer_button.layout.display = None
        self.feedback.value = self._feedback_html(result, saved)
        return result

    def _on_check(self, _button=None):
        self.check()

    def _save(self) -> str:
        """Save the current attempt; return the French status line (HTML)."""
        status = save_status(self.store, lambda: self.store.record(self.state.to_answer()),
                             f"answer for {self.case.id}")
        if self.store is not None and self.store.warning and self.store.warning != self._warning_shown:
            self._warning_shown = self.store.warning
            self.warning.value = warning_html(self.store.warning)
        return status

    def _feedback_html(self, result, saved: str) -> str:
        head = f"<p><strong>Tentative n° {self.state.attempts}</strong></p>"
        mine = ""
        if self.state.justification:
            mine = (f"<p>Votre justification : « {esc(self.state.justification)} »</p>")
        return (f'<div role="status" aria-live="polite">{head}{paragraphs(result.feedback)}'
                f"{mine}{saved}</div>")

    def answer_html(self) -> str:
        """Return the key of the case as HTML: axes in order with their reasons, then the approach."""
        case, course = self.case, self.course
        rows = "".join(f"<li><strong>{esc(course.axes[c].label)}</strong> : {esc(case.rationale[c])}</li>"
                       for c in case.axes)
        parts = [f"<h4>Réponse attendue</h4><p>Axes, du plus important au moins important :</p><ol>{rows}</ol>"]
        if case.not_axes:
            rows = "".join(f"<li>{esc(course.axes[c].label)} : {esc(why)}</li>" for c, why in case.not_axes.items())
            parts.append(f"<p>Axes écartés :</p><ul>{rows}</ul>")
        dominant = case.approach.dominant
        if dominant:
            text = f"approche {course.approaches[dominant].label}"
            if case.approach.secondary:
                others = ", ".join(course.approaches[c].label for c in case.approach.secondary)
                text += f" (présente aussi : {others})"
        else:
            text = "le cas ne permet pas de désigner une approche dominante"
        why = f" — {esc(case.approach.why)}" if case.approach.why else ""
        parts.append(f"<p><strong>Approche</strong> : {esc(text)}{why}</p>")
        if case.hesitation:
            parts.append(f"<p><strong>Où l'on peut hésiter</strong> : {esc(case.hesitation)}</p>")
        return "".join(parts)

    def _on_answer(self, _button=None):
        self.answer_box.value = self.answer_html()


def select_cases(course, case_ids=None, *, difficulty=None, themes=None) -> list[str]:
    """Return case ids to work through: the given ones, or every case by difficulty then id,
    kept when their difficulty is among `difficulty` and they share a theme with `themes`."""
    if case_ids is not None:
        ids = [course.case(c).id for c in case_ids]  # raises the French UnknownCaseError
    else:
        ids = [c.id for c in sorted(course.cases.values(), key=lambda c: (c.difficulty, c.id))]
    if difficulty is not None:
        wanted = {difficulty} if isinstance(difficulty, int) else set(difficulty)
        ids = [c for c in ids if course.cases[c].difficulty in wanted]
    if themes is not None:
        wanted = {themes} if isinstance(themes, str) else set(themes)
        ids = [c for c in ids if wanted & set(course.cases[c].themes)]
    return ids


class Workshop:
    """A series of cases shown one at a time, with previous/next buttons and a counter.

    Raises:
        ValueError: no case matches the filters (French message).
    """

    def __init__(self, case_ids=None, *, difficulty=None, themes=None, store=None, course=None):
        import ipywidgets as w

        if course is None:
            from .data import load

            course = load()
        self.course = course
        self.case_ids = select_cases(course, case_ids, difficulty=difficulty, themes=themes)
        if not self.case_ids:
            raise ValueError("Aucun cas ne correspond à ces critères (difficulté, thèmes). "
                             "Élargissez les critères ou donnez une liste d'identifiants de cas.")
        self.store, self._warning = _open_store(store)
        self._exercises: dict[int, CaseExercise] = {}
        self.index = 0
        self.prev_button = w.Button(description="◀ Cas précédent", tooltip="Cas précédent")
        self.next_button = w.Button(description="Cas suivant ▶", tooltip="Cas suivant")
        self.counter = w.HTML("")
        self.status = w.HTML(warning_html(self._warning) if self.store is None else "")
        self.holder = w.Box([])
        self.prev_button.on_click(guarded(self.status, "le changement de cas")(lambda _b: self.go(self.index - 1)))
        self.next_button.on_click(guarded(self.status, "le changement de cas")(lambda _b: self.go(self.index + 1)))
        self.widget = w.VBox([w.HBox([self.prev_button, self.counter, self.next_button]),
                              self.status, self.holder])
        self.go(0)

    @property
    def current(self) -> CaseExercise:
        """The CaseExercise shown now."""
        return self._exercise(self.index)

    def _exercise(self, index: int) -> CaseExercise:
        if index not in self._exercises:
            # Share one store, so the corrupt-store warning shows once, not per case.
            self._exercises[index] = CaseExercise(self.case_ids[index], store=self.store, course=self.course)
        return self._exercises[index]

    def go(self, index: int) -> None:
        """Show the case at `index` (clamped to the series)."""
        self.index = max(0, min(index, len(self.case_ids) - 1))
        self.holder.children = (self.current.widget,)
        self.counter.value = (f'<p aria-live="polite" style="margin:0 1em">Cas {self.index + 1} '
                              f"sur {len(self.case_ids)}</p>")
        self.prev_button.disabled = self.index == 0
        self.next_button.disabled = self.index == len(self.case_ids) - 1

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Atelier de classification : {len(self.case_ids)} cas"
        return bundle


def slug(text: str) -> str:
    """Return a file-name-safe form of a name: no accents, lower case, dashes ("anonyme" if empty)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:60] or "anonyme"


class ExportPanel:
    """A name field and an "Exporter ma remise" button writing remise-<nom>.json in `folder`."""

    def __init__(self, *, store=None, folder="."):
        import ipywidgets as w

        self.folder = Path(folder)
        self.store, warning = _open_store(store)
        self.learner = w.Text(value="", description="Votre nom ou numéro d'étudiant·e",
                              placeholder="p. ex. 20261234", style={"description_width": "initial"},
                              layout=w.Layout(width="auto"))
        self.button = w.Button(description="Exporter ma remise", button_style="primary",
                               tooltip="Écrire le fichier de remise à transmettre à votre enseignant·e")
        self.status = w.HTML(warning_html(warning))
        self.button.on_click(guarded(self.status, "l'exportation de la remise")(self._on_export))
        self.widget = w.VBox([self.learner, self.button, self.status])

    def export(self) -> Path | None:
        """Write the submission file and report it in `status`; return its path, or None."""
        from .progress import NothingToExport

        name = self.learner.value.strip()
        if not name:
            self.status.value = ('<p role="alert">Inscrivez d\'abord votre nom ou votre numéro '
                                 "d'étudiant·e.</p>")
            return None
        if self.store is None:
            self.status.value = warning_html("Aucun fichier de progression n'est disponible : rien à exporter.")
            return None
        target = self.folder / f"remise-{slug(name)}.json"
        try:
            out = self.store.export(target, name)
        except NothingToExport:
            self.status.value = ('<p role="alert">Rien à exporter pour l\'instant : faites au moins un '
                                 "exercice (bouton « Vérifier ») avant d'exporter votre remise.</p>")
            return None
        count = len(self.store.answers())
        self.status.value = (f'<p role="status">Remise écrite : <code>{esc(out)}</code> ({count} '
                             f"réponse{'s' if count > 1 else ''}). Transmettez ce fichier à votre "
                             "enseignant·e.</p>")
        return out

    def _on_export(self, _button=None):
        self.export()

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = "Exportation de la remise"
        return bundle
