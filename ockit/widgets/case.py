"""Classify one case: `ExerciseState` (plain state, no widget) and `CaseExercise` (its view).

`CaseExercise` draws the state with real ipywidgets controls (checkboxes, radio buttons,
buttons), so everything works from the keyboard, and forwards clicks to it. Tests set the
controls' `.value`, call `button.click()` and read `.feedback.value`, with no browser.
ipywidgets is imported inside the classes, so `import ockit` stays light.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import APPROACH_CODES, AXIS_CODES
from ..submission import MAX_JUSTIFICATION, SubmittedAnswer, now_iso
from .. import exam
from .a11y import root
from .common import RUN_HINT, esc, guarded, label_first_upper, log, open_store, paragraphs, save_status, warning_html

DONT_KNOW = "Je ne sais pas"
_DONT_KNOW_VALUE = "?"  # RadioButtons treat None as "nothing selected", so a sentinel is used


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
        from ..scoring import score

        chosen = set(axes)  # once: `axes` may be a one-shot iterator
        self.axes = tuple(c for c in AXIS_CODES if c in chosen)
        self.approach = approach
        text = (justification or "").strip()
        self.justification = text[:MAX_JUSTIFICATION] or None
        self.attempts += 1
        self.last_score = score(self.case_id, self.axes, self.approach, course=course)
        return self.last_score

    def rescore(self, *, course=None):
        """Score the current choices again without counting an attempt (a restored answer)."""
        from ..scoring import score

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
            from ..data import load

            course = load()
        self.course = course
        self.case = course.case(case_id)
        self.state = ExerciseState(self.case.id)
        self.store, warning = open_store(store)
        self._warning_shown = warning
        auto = w.Layout(width="auto")

        self.warning = w.HTML(warning_html(warning))
        self.case_html = w.HTML(self._case_html(show_title))
        self.checkboxes = {
            code: w.Checkbox(value=False, description=axis.label, indent=False, layout=auto,
                             tooltip=axis.label)
            for code, axis in course.axes.items()
        }
        options = [(label_first_upper(course.approaches[c].label), c) for c in APPROACH_CODES]
        options.append((DONT_KNOW, _DONT_KNOW_VALUE))
        self.approach = w.RadioButtons(options=options, value=_DONT_KNOW_VALUE,
                                       description="Approche dominante",
                                       style={"description_width": "initial"}, layout=auto)
        self.justification = w.Textarea(
            value="", description="Justification (facultative)",
            placeholder="En quelques mots : qu'est-ce qui, dans le cas, appuie votre choix?",
            style={"description_width": "initial"}, layout=w.Layout(width="95%", height="6em"))
        self.check_button = w.Button(description="Vérifier", button_style="primary",
                                     tooltip="Vérifier ma réponse et l'enregistrer")
        self.answer_button = w.Button(description="Voir la réponse",
                                      tooltip="Afficher les axes et l'approche attendus, avec leurs raisons",
                                      layout=w.Layout(display="none"))
        self.feedback = w.HTML("")
        self.answer_box = w.HTML("")
        self.on_check: list = []  # callables(exercise, score) run after each saved check (the results view)
        self.check_button.on_click(guarded(self.feedback, "la vérification")(self._on_check))
        self.answer_button.on_click(guarded(self.answer_box, "l'affichage de la réponse")(self._on_answer))
        self._restore()
        legend = w.HTML("<p><strong>Axes de service</strong> : cochez tous ceux qui s'appliquent. "
                        "Dans votre justification, dites lequel compte le plus.</p>")
        axes_box = w.VBox(list(self.checkboxes.values()))
        axes_box.add_class("ockit-axes")
        self.approach.add_class("ockit-approach")
        self.widget = root([
            self.warning, self.case_html, legend, axes_box, self.approach, self.justification,
            w.HBox([self.check_button, self.answer_button]), self.feedback, self.answer_box,
        ], groups=[("ockit-axes", "Axes de service", "group"),
                   ("ockit-approach", "Approche dominante", "radiogroup")])

    # -- display -------------------------------------------------------------------------

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        # A short, stable text/plain: nbval compares it, and the widget's own repr lists every value.
        bundle["text/plain"] = f"Exercice de classification : {self.case.id}. {RUN_HINT}"
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
        from ..glossary import glossary_html, terms_in

        parts.append(glossary_html(terms_in(f"{case.title} {case.summary}", self.course)))
        parts.append(f"<p><small>{esc(case.provenance_note())}</small></p>")
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
            for old in self.case.former_ids:  # answered before the case was renamed
                if last is None:
                    last = self.store.last(old)
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
        if exam.hiding(self.store):
            self.feedback.value = (f"<p><small>Réponse reprise de votre dernière tentative (n° {last.attempts}). "
                                   "Mode examen : la correction s'affichera après votre remise.</small></p>")
            return
        self.answer_button.layout.display = None
        if exam.locked(self.store):
            self._lock()
            result = self.state.rescore(course=self.course)
            self.feedback.value = (f'<div role="status"><p>{exam.LOCKED}</p>'
                                   f"{paragraphs(result.full_feedback)}</div>")
            return
        # The verdict the learner saw after that attempt, at the same stage (first try: what is
        # right and how many axes are missing or extra; reasons from the second try on).
        result = self.state.rescore(course=self.course)
        self.feedback.value = (f"<p><small>Réponse reprise de votre dernière tentative "
                               f"(n° {last.attempts}). Modifiez-la et vérifiez de nouveau au besoin.</small></p>"
                               f"{paragraphs(result.feedback_for(last.attempts))}")

    def _lock(self) -> None:
        """After an exam's hand-in: the answer can be read, not changed."""
        for control in (*self.checkboxes.values(), self.approach, self.justification, self.check_button):
            control.disabled = True

    # -- handlers ------------------------------------------------------------------------

    def check(self):
        """Score the current choices, save them, fill the feedback; return the Score (or None)."""
        axes, approach, justification = self.chosen()
        self.answer_box.value = ""  # an earlier key must not sit next to the new feedback
        if not axes:
            self.feedback.value = ('<div role="status" aria-live="polite"><p>Cochez au moins un axe '
                                   "avant de vérifier.</p></div>")
            return None
        if exam.locked(self.store):
            self._lock()
            self.answer_button.layout.display = None
            self.feedback.value = f'<div role="status" aria-live="polite"><p>{exam.LOCKED}</p></div>'
            return None
        result = self.state.check(axes, approach, justification, course=self.course)
        saved = self._save()
        if exam.hiding(self.store):
            self.answer_button.layout.display = "none"
            self.feedback.value = (f'<div role="status" aria-live="polite"><p><strong>Tentative n° '
                                   f"{self.state.attempts}</strong></p><p>{exam.SAVED_ONLY}</p>{saved}</div>")
        else:
            self.answer_button.layout.display = None
            self.feedback.value = self._feedback_html(result, saved)
        for callback in self.on_check:
            callback(self, result)
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
            from ..justification import feedback as justification_feedback

            # Which of the learner's own words point to an axis or an approach (not graded).
            mine = (f"<p>Votre justification : « {esc(self.state.justification)} »</p>"
                    + justification_feedback(self.state.justification, self.course, axes=self.state.axes,
                                             approach=self.state.approach, case=self.case).html)
        # Staged: the first check says what is right and how many axes are missing or extra;
        # the reasons come at the second try (or with « Voir la réponse »).
        text = result.feedback_for(self.state.attempts)
        return (f'<div role="status" aria-live="polite">{head}{paragraphs(text)}'
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
        if case.also_accepted:
            rows = "".join(
                f"<li>{esc(' + '.join(course.axes[c].label for c in r.axes))}"
                f"{esc(', approche ' + course.approaches[r.approach].label) if r.approach else ''}"
                f" : {esc(r.why)}</li>" for r in case.also_accepted)
            parts.append(f"<p><strong>Lecture aussi défendable</strong> (notée comme le corrigé) :</p><ul>{rows}</ul>")
        if case.hesitation:
            parts.append(f"<p><strong>Où l'on peut hésiter</strong> : {esc(case.hesitation)}</p>")
        return "".join(parts)

    def _on_answer(self, _button=None):
        if exam.hiding(self.store):
            self.answer_box.value = f"<p>{exam.SAVED_ONLY}</p>"
            return
        self.answer_box.value = self.answer_html()
