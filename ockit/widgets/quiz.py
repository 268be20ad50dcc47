"""The quiz widget: one block per question, each with "Vérifier" and "Voir la réponse".

A wrong answer never gives the key away (see `ockit.quizdata.check`); each check is saved at
once in the progress store and restored when the quiz is shown again.
"""

from __future__ import annotations

from ..quizdata import CHOOSE, Question, QuizResult, answer_text, check, load_quiz, right_items, stored_response
from .. import exam
from .a11y import root
from .common import RUN_HINT, esc, guarded, log, open_store, paragraphs, save_status, warning_html


class QuestionBlock:
    """One question drawn with real controls, its own "Vérifier" and "Voir la réponse" buttons,
    a feedback area and an answer area.

    `store` is the progress Store (None: checks are not saved); `on_warning` is called with the
    store's French warning when a save had to set a damaged file aside.
    """

    def __init__(self, question: Question, quiz_id: str, number: int, *, store=None, on_warning=None):
        import ipywidgets as w

        self.question = question
        self.quiz_id = quiz_id
        self.number = number
        self.store = store
        self.on_warning = on_warning
        self.attempts = 0
        self.group_class = f"ockit-q-{quiz_id}-{number}"
        self.group = (self.group_class, f"Question {number} : votre réponse",
                      "radiogroup" if question.kind == "single" else "group")
        auto = w.Layout(width="auto")
        self.prompt = w.HTML(f"<p><strong>Question {number}.</strong> {esc(question.prompt)}</p>")
        if question.kind == "single":
            self.control = w.RadioButtons(options=[(c, i) for i, c in enumerate(question.choices)],
                                          index=None, description="Votre réponse",
                                          style={"description_width": "initial"}, layout=auto)
            self.control.add_class(self.group_class)
            controls = [self.control]
        elif question.kind == "multiple":
            self.control = [w.Checkbox(value=False, description=c, indent=False, layout=auto)
                            for c in question.choices]
            group = w.VBox(self.control)
            group.add_class(self.group_class)
            controls = [w.HTML("<p><em>Cochez toutes les réponses justes.</em></p>"), group]
        else:
            rights = right_items(question, quiz_id)
            options = [(CHOOSE, "")] + [(r, r) for r in rights]
            self.control = {a: w.Dropdown(options=options, value="", description=a,
                                          style={"description_width": "initial"}, layout=auto)
                            for a, _ in question.pairs}
            controls = list(self.control.values())
        # The description stays "Vérifier" (as for the cases); the tooltip, which the browser
        # exposes as the button's title (accessible description), tells the questions apart.
        self.check_button = w.Button(description="Vérifier", tooltip=f"Vérifier la question {number}")
        self.answer_button = w.Button(description="Voir la réponse",
                                      tooltip=f"Voir la réponse à la question {number}",
                                      layout=w.Layout(display="none"))
        self.feedback = w.HTML("")
        self.answer_box = w.HTML("")
        self.result: QuizResult | None = None
        self.check_button.on_click(guarded(self.feedback, "la vérification")(self._on_check))
        self.answer_button.on_click(guarded(self.answer_box, "l'affichage de la réponse")(self._on_answer))
        self.widget = w.VBox([self.prompt, *controls, w.HBox([self.check_button, self.answer_button]),
                              self.feedback, self.answer_box])

    def response(self):
        """Return the current response in the form `check` takes."""
        if self.question.kind == "single":
            return self.control.value
        if self.question.kind == "multiple":
            return [i for i, box in enumerate(self.control) if box.value]
        return {a: d.value for a, d in self.control.items() if d.value}

    def restore(self, saved) -> bool:
        """Show a saved check (a QuizAnswer) in the controls; return False if nothing applies.

        Choices are matched by text: any that no longer exist in the quiz file are left out.
        """
        response, question = saved.response, self.question
        if question.kind == "single":
            if response not in question.choices:
                return False
            self.control.value = question.choices.index(response)
        elif question.kind == "multiple":
            picked = set(response) if isinstance(response, list) else set()
            if not picked & set(question.choices):
                return False
            for box, text in zip(self.control, question.choices):
                box.value = text in picked
        else:
            if not isinstance(response, dict):
                return False
            rights = {b for _, b in question.pairs}
            found = {a: b for a, b in response.items() if a in self.control and b in rights}
            if not found:
                return False
            for left, drop in self.control.items():
                drop.value = found.get(left, "")
        self.attempts = saved.attempts
        if exam.hiding(self.store):
            self.feedback.value = (f"<p><small>Réponse reprise de votre dernière tentative (n° {saved.attempts}). "
                                   "Mode examen : la correction s'affichera après votre remise.</small></p>")
            return True
        self.answer_button.layout.display = None
        self.result = check(question, self.response())
        mark = "✔ Juste." if self.result.correct else "✘ À revoir."
        self.feedback.value = (f"<p><small>Réponse reprise de votre dernière tentative "
                               f"(n° {saved.attempts}). Modifiez-la et vérifiez de nouveau au besoin."
                               f"</small></p><p>{mark}</p>{paragraphs(self.result.feedback)}")
        return True

    def _on_check(self, _button=None):
        self.answer_box.value = ""  # an earlier key must not sit next to the new feedback
        response = self.response()
        if response is None or response == [] or response == {}:
            self.feedback.value = ('<div role="status" aria-live="polite"><p>Répondez d\'abord à '
                                   "la question, puis cliquez sur « Vérifier ».</p></div>")
            return
        if exam.locked(self.store):
            self.check_button.disabled = True
            self.answer_button.layout.display = None
            self.feedback.value = f'<div role="status" aria-live="polite"><p>{exam.LOCKED}</p></div>'
            return
        self.result = check(self.question, response)
        self.attempts += 1
        hiding = exam.hiding(self.store)
        saved = self._save(response, keep_correct=not hiding)
        if hiding:
            self.feedback.value = (f'<div role="status" aria-live="polite"><p>{exam.SAVED_ONLY}</p>'
                                   f"{saved}</div>")
            return
        self.answer_button.layout.display = None
        mark = "✔ Juste." if self.result.correct else "✘ À revoir."
        hint = ("" if self.result.correct else
                "<p>Vous pouvez aussi cliquer sur « Voir la réponse ».</p>")
        self.feedback.value = (f'<div role="status" aria-live="polite"><p>{mark}</p>'
                               f"{paragraphs(self.result.feedback)}{hint}{saved}</div>")

    def _save(self, response, *, keep_correct: bool = True) -> str:
        """Save this check in the store; return the French status line (HTML).

        In exam mode (`keep_correct` False) the check is saved without its correctness, so the
        progress file tells nothing of the key.
        """
        from ..progress import QuizAnswer
        from ..submission import now_iso

        answer = QuizAnswer(quiz=self.quiz_id, question=self.question.id,
                            response=stored_response(self.question, response),
                            correct=self.result.correct if keep_correct else None, attempts=self.attempts,
                            answered_at=now_iso())
        status = save_status(self.store, lambda: self.store.record_quiz(answer),
                             f"quiz answer {self.quiz_id}/{self.question.id}")
        if self.store is not None and self.on_warning is not None and self.store.warning:
            self.on_warning(self.store.warning)
        return status

    def _on_answer(self, _button=None):
        if exam.hiding(self.store):
            self.answer_box.value = f"<p>{exam.SAVED_ONLY}</p>"
            return
        # answer_text already starts with « Réponse(s) attendue(s) : »: the heading names the question.
        self.answer_box.value = (f"<h4>Corrigé de la question {self.number}</h4>"
                                 f"{paragraphs(answer_text(self.question))}")


class QuizWidget:
    """A quiz from data/quizzes/<quiz_id>.yaml (or `folder`): one block per question.

    Each check is saved at once in the progress store (`store`, else the default one at
    $OCKIT_PROGRESS); the last saved answer of each question is restored when the quiz is
    shown again, and says so.
    """

    def __init__(self, quiz_id: str, *, folder=None, store=None):
        import ipywidgets as w

        self.quiz = load_quiz(quiz_id, folder)
        self.store, warning = open_store(store)
        self._warning_shown = warning
        self.warning = w.HTML(warning_html(warning))
        self.blocks = [QuestionBlock(q, self.quiz.id, n, store=self.store, on_warning=self._show_warning)
                       for n, q in enumerate(self.quiz.questions, 1)]
        self._restore()
        self.widget = root([w.HTML(f"<h3>{esc(self.quiz.title)}</h3>"), self.warning,
                            *(b.widget for b in self.blocks)],
                           groups=[b.group for b in self.blocks if b.question.kind != "matching"])

    def _restore(self) -> None:
        if self.store is None:
            return
        try:
            saved = self.store.quiz_answers(self.quiz.id)
        except Exception:  # noqa: BLE001 - a store problem must not keep the quiz from showing
            log.debug("cannot read previous quiz answers for %s", self.quiz.id, exc_info=True)
            return
        for block in self.blocks:
            if block.question.id in saved:
                try:
                    block.restore(saved[block.question.id])
                except Exception:  # noqa: BLE001 - an odd saved item leaves the question blank
                    log.debug("cannot restore %s/%s", self.quiz.id, block.question.id, exc_info=True)

    def _show_warning(self, text: str) -> None:
        if text != self._warning_shown:
            self._warning_shown = text
            self.warning.value = warning_html(text)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Quiz : {self.quiz.title}. {RUN_HINT}"
        return bundle
