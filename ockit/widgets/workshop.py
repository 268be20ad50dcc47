"""A series of cases shown one at a time: `select_cases` picks them, `Workshop` shows them."""

from __future__ import annotations

from .case import CaseExercise
from .common import guarded, open_store, warning_html


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
            from ..data import load

            course = load()
        self.course = course
        self.case_ids = select_cases(course, case_ids, difficulty=difficulty, themes=themes)
        if not self.case_ids:
            raise ValueError("Aucun cas ne correspond à ces critères (difficulté, thèmes). "
                             "Élargissez les critères ou donnez une liste d'identifiants de cas.")
        self.store, self._warning = open_store(store)
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
