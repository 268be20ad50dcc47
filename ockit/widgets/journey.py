"""The course as an app with no code (« parcours »), for Voilà: home, lessons, workshop, results, hand-in.

One `Journey` widget holds every page. Pages are built the first time they are opened and kept,
so moving between them never loses what the learner did; every answer is also saved in the
progress store at each « Vérifier » and restored when the app is opened again.

The pages are made of the kit's own widgets, never copies of them:
- a lesson shows the Markdown of its notebook and runs the notebook's code cells, so its
  quizzes, tables and figures are the notebook's (`ockit.lessons` reads the notebooks);
- the workshop is `Workshop`, the results `ockit.charts`, the hand-in `ExportPanel`.
« Mes résultats » is redrawn after every check made anywhere in the app.
"""

from __future__ import annotations

import re

from .a11y import root
from .common import RUN_HINT, esc, guarded, log, open_store, warning_html

PAGES = ("accueil", "atelier", "resultats", "remise")
WORKSHOP_NUMBER = "06"  # the workshop notebook's number: the app lists it there, among the lessons
WORKSHOP_TITLE = "6. Atelier de classification"  # its title there, numbered as the lessons' titles are


# A Markdown link to another notebook of the course: [text](NN_name.ipynb), maybe with an anchor.
_NOTEBOOK_LINK = re.compile(r"\[([^\]\n]+)\]\((\d\d_[A-Za-z0-9_-]+)\.ipynb(?:#[^)\s]*)?\)")


def notebook_links(text: str, titles=None) -> tuple[str, list[str]]:
    """Return the Markdown with its links to course notebooks turned into plain text, and the
    stems of the notebooks they pointed to, in order, once each.

    A link to a notebook file leads nowhere in the app (it serves one notebook); the lesson page
    shows a button to the page instead (`Journey._lesson_page`). A link whose text is the file
    name becomes the title `titles` (stem -> title) gives it, in « »; the workshop's is
    WORKSHOP_TITLE.
    """
    targets: list[str] = []

    def plain(match):
        label, stem = match.group(1), match.group(2)
        if stem not in targets:
            targets.append(stem)
        title = WORKSHOP_TITLE if stem.startswith(f"{WORKSHOP_NUMBER}_") else (titles or {}).get(stem)
        if label.strip("` ") == f"{stem}.ipynb" and title:
            return f"« {title} »"
        return label

    return _NOTEBOOK_LINK.sub(plain, text), targets


_HEADING = re.compile(r"\s*(#{1,6})\s+(.+)")


def _section(heading, following) -> list:
    """The collapsed heading cell and the cells under it, up to the next heading of the same or
    a higher level: what JupyterLab hides under a collapsed heading."""
    level = len(_HEADING.match(heading.source).group(1))
    section = [heading]
    for cell in following:
        found = _HEADING.match(cell.source) if cell.kind == "markdown" else None
        if found and len(found.group(1)) <= level:
            break
        section.append(cell)
    return section


def markdown_html(text: str) -> str:
    """Return a lesson's Markdown as HTML; raw HTML in it is escaped, never run."""
    import mistune

    return mistune.create_markdown(escape=True, plugins=["table", "strikethrough"])(text)


class Journey:
    """The app: a navigation bar and one page shown at a time.

    Attributes:
        pages: page id -> the widget shown for it, built on first visit ("accueil", "atelier",
            "resultats", "remise", and "lecon-<notebook>" for each lesson).
        nav: page id -> its navigation button. holder: the box showing the current page.
        current: the id of the page shown.
    """

    def __init__(self, *, store=None, course=None, notebooks=None, shell=None):
        import ipywidgets as w

        from .. import lessons as lessons_mod

        if course is None:
            from ..data import load

            course = load()
        self.course = course
        self.store, warning = open_store(store)
        self.shell = shell
        self.lessons = lessons_mod.lessons(notebooks)
        self._sizes: dict[str, int] | None = None  # quiz id -> number of questions, read on first use
        self._lessons_by_id = {lesson.id: lesson for lesson in self.lessons}
        self._titles = {lesson.id: lesson.title for lesson in self.lessons}
        self.pages: dict[str, object] = {}
        self._workshop = None
        self.results = None
        self.status = w.HTML(warning_html(warning))
        labels = {"accueil": "Accueil", "atelier": "Atelier de classification", "resultats": "Mes résultats",
                  "remise": "Ma remise"}
        self.nav = {}
        for page, label in labels.items():
            button = w.Button(description=label, tooltip=f"Aller à la page « {label} »")
            button.on_click(guarded(self.status, "le changement de page")(lambda _b, page=page: self.show(page)))
            self.nav[page] = button
        self.holder = w.VBox([])
        self.current = None
        bar = w.HBox(list(self.nav.values()), layout=w.Layout(flex_flow="row wrap"))
        self.widget = root([w.HTML('<h1 style="font-size:1.6em">Parcours en organisation communautaire</h1>'),
                            bar, self.status, self.holder])
        self.show("accueil")

    # -- pages ---------------------------------------------------------------------------

    def show(self, page: str) -> None:
        """Show a page (built on first visit, kept afterwards)."""
        if page not in self.pages:
            self.pages[page] = self._build(page)
        if page == "accueil":
            self._refresh_home()
        if page == "resultats":
            self.refresh_results()
        self.current = page
        for name, button in self.nav.items():
            button.button_style = "primary" if name == page else ""
        self.holder.children = (self.pages[page],)

    def _build(self, page: str):
        if page == "accueil":
            return self._home()
        if page == "atelier":
            return self._workshop_page()
        if page == "resultats":
            return self._results_page()
        if page == "remise":
            return self._export_page()
        if page.startswith("lecon-") and page[6:] in self._lessons_by_id:
            return self._lesson_page(self._lessons_by_id[page[6:]])
        raise ValueError(f"Page inconnue « {page} ».")

    def _home(self):
        import ipywidgets as w

        self._home_rows = w.VBox([])
        intro = w.HTML("<p>Bienvenue! Ce parcours présente l'organisation communautaire (OC) telle qu'elle se "
                       "pratique dans les centres intégrés de santé et de services sociaux du Québec, universitaires "
                       "ou non (CISSS et CIUSSS). Lisez les leçons dans l'ordre, faites "
                       "leurs quiz, puis exercez-vous dans l'<strong>atelier de classification</strong>. Vos "
                       "réponses sont enregistrées à chaque « Vérifier » : vous pouvez fermer la page et "
                       "revenir plus tard.</p><h2 style=\"font-size:1.3em\">Les leçons</h2>")
        return w.VBox([intro, self._home_rows])

    def _refresh_home(self) -> None:
        import ipywidgets as w

        from ..lessons import progress

        if self._sizes is None:  # the quiz files do not change while the app runs: read them once
            self._sizes = self._quiz_sizes()
        sizes = self._sizes
        rows, workshop_listed = [], False
        for lesson in self.lessons:
            try:
                state = progress(lesson, self.store, sizes).label
            except Exception:  # noqa: BLE001 - progress is a hint; the lesson still opens
                log.debug("cannot compute the progress of %s", lesson.id, exc_info=True)
                state = "?"
            button = self._go_button(lesson.id)
            if not workshop_listed and lesson.number > WORKSHOP_NUMBER:
                rows.append(self._workshop_row())
                workshop_listed = True
            rows.append(w.HBox([button, w.HTML(f"<p style=\"margin:0 1em\"><strong>{esc(lesson.title)}</strong>"
                                               f" — {esc(state)}</p>")]))
        if not workshop_listed:
            rows.append(self._workshop_row())
        self._home_rows.children = rows

    def _workshop_row(self):
        """The workshop in the list of lessons, where its notebook's number puts it (6)."""
        import ipywidgets as w

        button = self._go_button(f"{WORKSHOP_NUMBER}_")
        return w.HBox([button, w.HTML(f"<p style=\"margin:0 1em\"><strong>{esc(WORKSHOP_TITLE)}</strong>"
                                      " — classez des cas réels et recevez une rétroaction</p>")])

    def _quiz_sizes(self) -> dict[str, int]:
        from ..quizdata import QuizError, load_quiz

        sizes = {}
        for quiz in {q for lesson in self.lessons for q in lesson.quizzes}:
            try:
                sizes[quiz] = len(load_quiz(quiz).questions)
            except QuizError:
                sizes[quiz] = 0
        return sizes

    def _lesson_page(self, lesson):
        import ipywidgets as w

        home = w.Button(description="Retour à l'accueil", tooltip="Revenir à la liste des leçons")
        home.on_click(guarded(self.status, "le changement de page")(lambda _b: self.show("accueil")))
        return w.VBox([*self._parts(list(lesson.cells), lesson), home])

    def _parts(self, cells: list, lesson) -> list:
        """The widgets of `cells` (consumed), in order: Markdown as HTML with its link buttons,
        code cells run into outputs, and a section JupyterLab shows collapsed as a closed panel."""
        import ipywidgets as w

        parts = []
        while cells:
            cell = cells.pop(0)
            if cell.kind == "markdown" and cell.collapsed and _HEADING.match(cell.source):
                section = _section(cell, cells)
                del cells[:len(section) - 1]
                parts.append(self._collapsed(section, lesson))
            elif cell.kind == "markdown":
                text, targets = notebook_links(cell.source, self._titles)
                parts.append(w.HTML(markdown_html(text)))
                buttons = [b for b in map(self._go_button, targets) if b is not None]
                if buttons:
                    parts.append(w.HBox(buttons, layout=w.Layout(flex_flow="row wrap")))
            else:
                out = w.Output()
                self._run(cell.source, out, lesson)
                parts.append(out)
        return parts

    def _collapsed(self, section, lesson):
        """A section JupyterLab shows collapsed (a corrigé, say), as a closed accordion whose
        title is the section's heading: opened on demand, as in JupyterLab."""
        import ipywidgets as w

        from ..lessons import Cell

        heading = _HEADING.match(section[0].source)
        rest = section[0].source[heading.end():].strip()
        inner = ([Cell("markdown", rest)] if rest else []) + list(section[1:])
        title = re.sub(r"[*_`]", "", heading.group(2)).strip()
        return w.Accordion(children=[w.VBox(self._parts(inner, lesson))], titles=(title,), selected_index=None)

    def _go_button(self, stem: str):
        """The button to the app's page for a notebook (a lesson's stem, or the workshop's), as
        the home page and the lessons show it; None for a notebook with no page in the app."""
        import ipywidgets as w

        if stem.startswith(f"{WORKSHOP_NUMBER}_"):
            page, label, tooltip = "atelier", "Ouvrir l'atelier", "Aller à l'atelier de classification"
            doing = "le changement de page"
        elif stem in self._lessons_by_id:
            lesson = self._lessons_by_id[stem]
            page, label = f"lecon-{stem}", f"Ouvrir la leçon {lesson.number.lstrip('0') or '0'}"
            tooltip, doing = f"Ouvrir la leçon : {lesson.title}", "l'ouverture de la leçon"
        else:
            return None
        button = w.Button(description=label, tooltip=tooltip)
        button.on_click(guarded(self.status, doing)(lambda _b: self.show(page)))
        return button

    def _run(self, source: str, out, lesson) -> None:
        """Run a lesson's code cell, its outputs (widgets, tables, figures) going to `out`."""
        shell = self.shell
        if shell is None:
            from IPython import get_ipython

            shell = get_ipython()
        if shell is None:
            out.outputs = ({"output_type": "stream", "name": "stdout",
                            "text": "Cette partie de la leçon s'affiche dans l'application Voilà ou JupyterLab.\n"},)
            return
        with out:
            result = shell.run_cell(source, store_history=False)
        if not result.success:
            log.warning("a code cell of %s failed: %r", lesson.id, result.error_in_exec or result.error_before_exec)

    def _workshop_page(self):
        import ipywidgets as w

        from .workshop import Workshop

        self._workshop = Workshop(store=self.store, course=self.course)
        self._workshop.on_check.append(lambda _ex, _result: self.refresh_results())
        intro = w.HTML("<p>Classez chaque cas selon les axes de service et l'approche dominante, puis cliquez "
                       "sur « Vérifier ». La liste « Aller au cas » marque les cas déjà faits.</p>")
        return w.VBox([intro, self._workshop.widget])

    def _results_page(self):
        import ipywidgets as w

        self.results = w.HTML("")
        return w.VBox([w.HTML("<p>Vos résultats se mettent à jour après chaque « Vérifier ».</p>"),
                       self.results])

    def refresh_results(self) -> None:
        """Redraw « Mes résultats » from the progress store (no-op until the page exists)."""
        if self.results is None:
            return
        from .. import charts, exam

        if exam.hiding(self.store):
            self.results.value = f"<p>{esc(exam.HIDDEN_RESULTS)}</p>"
            return
        answers = None
        if self.store is not None:
            try:
                answers = self.store.answers()
            except Exception:  # noqa: BLE001 - show the empty view rather than fail
                log.debug("cannot read the answers", exc_info=True)
        if not answers:
            self.results.value = ("<p>Aucune réponse enregistrée pour l'instant : faites quelques cas "
                                       "de l'atelier.</p>")
            return
        figure = charts.results_by_axis_figure(answers, self.course)._repr_html_()
        try:
            figure += charts.mastery_figure(self.store, self.course)._repr_html_()
        except Exception:  # noqa: BLE001 - the mastery view is extra; the results above still show
            log.debug("cannot draw the mastery figure", exc_info=True)
        self.results.value = (f'<div role="region" aria-label="Mes résultats">{figure}'
                                   f"{charts.results_table(answers, self.course)._repr_html_()}</div>")

    def _export_page(self):
        import ipywidgets as w

        from .export import ExportPanel

        panel = ExportPanel(store=self.store)
        return w.VBox([w.HTML("<p>Quand vous avez terminé, écrivez votre fichier de remise et transmettez-le à "
                              "votre enseignant·e.</p>"), panel.widget])

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = f"Parcours en organisation communautaire. {RUN_HINT}"
        return bundle
