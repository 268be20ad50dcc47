"""A series of cases shown one at a time: `select_cases` picks them, `Workshop` shows them."""

from __future__ import annotations

from .a11y import root
from .case import CaseExercise
from .common import RUN_HINT, esc, guarded, log, open_store, warning_html

MODE_SETTING = "workshop.next_case"  # the store's setting for « Choix du cas suivant »
CASE_SETTING = "workshop.current_case"  # the case shown last, where the series reopens


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
    """A series of cases shown one at a time: previous/next buttons above and below the case, a
    counter, and a list to jump to any case, where the cases already checked are marked « fait ».

    The series opens on the case shown last, if it is not checked yet, else on the first case
    not yet checked (answers are read from the progress store), so a learner who comes back
    carries on where they stopped, in the next-case mode they chose last (both are kept in the
    store's settings). `on_check` callbacks
    (exercise, score) run after every check of any case of the series.

    Raises:
        ValueError: no case matches the filters (French message).
    """

    def __init__(self, case_ids=None, *, difficulty=None, themes=None, store=None, course=None):
        import ipywidgets as w

        if course is None:
            from ..data import load

            course = load()
        self.course = course
        self.case_ids = select_cases(course, case_ids, difficulty=difficulty, themes=themes)
        if not self.case_ids:
            raise ValueError("Aucun cas ne correspond à ces critères (difficulté, thèmes). "
                             "Élargissez les critères ou donnez une liste d'identifiants de cas.")
        self.store, self._warning = open_store(store)
        self._exercises: dict[int, CaseExercise] = {}
        self.on_check: list = []
        self.done = self._done_in_store()
        self.index = 0
        nav = "le changement de cas"
        self.status = w.HTML(warning_html(self._warning) if self.store is None else "")
        self.prev_button = w.Button(description="◀ Cas précédent", tooltip="Cas précédent")
        self.next_button = w.Button(description="Cas suivant ▶", tooltip="Cas suivant")
        self.prev_bottom = w.Button(description="◀ Cas précédent", tooltip="Cas précédent (bas de page)")
        self.next_bottom = w.Button(description="Cas suivant ▶", tooltip="Cas suivant (bas de page)")
        for button, step in ((self.prev_button, -1), (self.prev_bottom, -1)):
            button.on_click(guarded(self.status, nav)(lambda _b, step=step: self.go(self.index + step)))
        for button in (self.next_button, self.next_bottom):
            button.on_click(guarded(self.status, nav)(lambda _b: self.next()))
        self.counter = w.HTML("")
        self.mode = w.ToggleButtons(options=[("Ordre de l'atelier", "order"), ("Selon mes points faibles", "adaptive")],
                                    value="order", description="Choix du cas suivant",
                                    tooltips=["Les cas dans l'ordre de l'atelier",
                                              "Le cas qui travaille l'axe ou l'approche où vous vous trompez le plus"],
                                    style={"description_width": "initial", "button_width": "auto"})
        self.reason = w.HTML("")
        self.mode.value = self._saved_mode()
        self.mode.observe(guarded(self.status, nav)(self._on_mode), names="value")
        self.jump = w.Dropdown(options=self._jump_options(), value=0, description="Aller au cas",
                               style={"description_width": "initial"}, layout=w.Layout(width="auto"))
        self._jumping = False
        self.jump.observe(guarded(self.status, nav)(self._on_jump), names="value")
        self.holder = w.Box([])
        self.widget = root([w.HBox([self.prev_button, self.counter, self.next_button]), self.mode, self.jump,
                            self.reason, self.status, self.holder, w.HBox([self.prev_bottom, self.next_bottom])])
        self.go(self._opening_index())

    def next(self) -> None:
        """Show the next case: the following one, or in « Selon mes points faibles » mode the case
        `ockit.adaptive.propose` picks for the learner's weakest axis or approach, with its reason."""
        from .. import exam

        if self.mode.value != "adaptive" or self.store is None or exam.hiding(self.store):
            self.reason.value = ("<p><em>Mode examen : les cas suivent l'ordre de l'atelier.</em></p>"
                                 if self.mode.value == "adaptive" and exam.hiding(self.store) else "")
            self.go(self.index + 1)
            return
        from ..adaptive import propose

        proposal = propose(self.store.attempts(), self.course, mode="adaptive", case_ids=self.case_ids)
        self.reason.value = f'<p role="status"><em>{esc(proposal.reason)}</em></p>'
        if proposal.case is not None:
            self.go(self.case_ids.index(proposal.case))

    def _setting(self, name: str) -> str | None:
        """A setting saved in the store, or None (no store, none saved, or a store problem)."""
        if self.store is None:
            return None
        try:
            return self.store.setting(name)
        except Exception:  # noqa: BLE001 - a store problem must not keep the workshop from showing
            log.debug("cannot read the setting %s", name, exc_info=True)
            return None

    def _saved_mode(self) -> str:
        """The next-case mode the learner chose last time ("order" by default)."""
        saved = self._setting(MODE_SETTING)
        return saved if saved in {value for _label, value in self.mode.options} else "order"

    def _on_mode(self, change) -> None:
        self.go(self.index)
        if self.store is not None:
            self.store.remember(MODE_SETTING, change["new"])  # a failure shows in the status line

    def _done_in_store(self) -> set[str]:
        if self.store is None:
            return set()
        try:
            former = {old: c.id for c in self.course.cases.values() for old in c.former_ids}
            return {former.get(a.case, a.case) for a in self.store.answers()} & set(self.case_ids)
        except Exception:  # noqa: BLE001 - a store problem must not keep the workshop from showing
            log.debug("cannot read the answers already given", exc_info=True)
            return set()

    def _first_not_done(self) -> int:
        return next((i for i, c in enumerate(self.case_ids) if c not in self.done), 0)

    def _opening_index(self) -> int:
        """Where the series opens: on the case shown last if it is in this series and not yet
        checked (the learner left it there, maybe in « Selon mes points faibles » mode), else on
        the first case not yet checked."""
        saved = self._setting(CASE_SETTING)
        if saved in self.case_ids and saved not in self.done:
            return self.case_ids.index(saved)
        return self._first_not_done()

    def _jump_options(self):
        return [(f"{n}. {self.course.cases[c].title}{' — fait' if c in self.done else ''}", n - 1)
                for n, c in enumerate(self.case_ids, 1)]

    @property
    def current(self) -> CaseExercise:
        """The CaseExercise shown now."""
        return self._exercise(self.index)

    def _exercise(self, index: int) -> CaseExercise:
        if index not in self._exercises:
            # Share one store, so the corrupt-store warning shows once, not per case.
            exercise = CaseExercise(self.case_ids[index], store=self.store, course=self.course)
            exercise.on_check.append(self._checked)
            self._exercises[index] = exercise
        return self._exercises[index]

    def _checked(self, exercise, result) -> None:
        if exercise.case.id not in self.done:
            self.done.add(exercise.case.id)
            self._jumping = True
            try:
                self.jump.options = self._jump_options()
                self.jump.value = self.index
            finally:
                self._jumping = False
            self._show_counter()
        for callback in self.on_check:
            callback(exercise, result)

    def _on_jump(self, change) -> None:
        if not self._jumping and change["new"] is not None and change["new"] != self.index:
            self.go(change["new"])

    def _show_counter(self) -> None:
        done = len(self.done)
        self.counter.value = (f'<p aria-live="polite" style="margin:0 1em">Cas {self.index + 1} '
                              f"sur {len(self.case_ids)} · {done} fait{'s' if done > 1 else ''}</p>")

    def go(self, index: int) -> None:
        """Show the case at `index` (clamped to the series)."""
        self.index = max(0, min(index, len(self.case_ids) - 1))
        self.holder.children = (self.current.widget,)
        self._show_counter()
        self._jumping = True
        try:
            self.jump.value = self.index
        finally:
            self._jumping = False
        first, last = self.index == 0, self.index == len(self.case_ids) - 1
        self.prev_button.disabled = self.prev_bottom.disabled = first
        self.next_button.disabled = self.next_bottom.disabled = last and self.mode.value == "order"
        if self.store is not None:
            try:
                self.store.remember(CASE_SETTING, self.case_ids[self.index])
            except (OSError, ValueError):  # ProgressError is both; the next check's save says why
                log.debug("cannot save the case shown", exc_info=True)

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Atelier de classification : {len(self.case_ids)} cas. {RUN_HINT}"
        return bundle
