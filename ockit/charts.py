"""Figures and tables the lessons show: the crosswalk of numberings and a learner's own results.

The figures are matplotlib Figures, closed in pyplot before they are returned: pyplot's
automatic display at the end of a cell would otherwise show a figure a second time in some
kernels, so a notebook cell shows one by ending with the call (`charts.crosswalk_figure()`).

The tables are `Table` objects with French column names: they show every cell in full (pandas
would cut long explanations at 50 characters), as a wrapping HTML table in a notebook and as
one block of labelled lines per row in plain text, which nbval compares. `Table.frame` gives
the pandas DataFrame for further work. pandas and matplotlib are imported inside the functions.
"""

from __future__ import annotations

import html
import textwrap

from .data import load
from .model import AXIS_CODES, Course
from .text import count_of

MATCH_FR = {"full": "complète", "partial": "partielle"}
RESULT_KINDS = ("hits", "misses", "extras")
RESULT_FR = {"hits": "axes trouvés", "misses": "axes oubliés", "extras": "axes en trop"}


class Table:
    """A small table that displays every cell in full, in HTML and in plain text.

    Attributes:
        columns: the column names, in order.
        rows: one tuple of cell texts per row.
        empty: the sentence shown instead of the table when there is no row.
    """

    WIDTH = 100  # plain-text line width; longer cells wrap under their label

    def __init__(self, rows, columns, empty: str = "Aucune ligne."):
        self.columns = tuple(columns)
        self.rows = [tuple("" if row.get(c) is None else str(row.get(c)) for c in self.columns) for row in rows]
        self.empty = empty

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def frame(self):
        """The table as a pandas DataFrame (same columns, same rows)."""
        import pandas as pd

        return pd.DataFrame(self.rows, columns=list(self.columns))

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p><em>{html.escape(self.empty)}</em></p>"
        cell = 'style="text-align:left; vertical-align:top; white-space:normal; padding:4px 8px"'
        head = "".join(f"<th {cell}>{html.escape(c)}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td {cell}>{html.escape(v)}</td>" for v in row) + "</tr>"
                       for row in self.rows)
        return (f'<table class="ockit-table" style="border-collapse:collapse">'
                f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")

    def __repr__(self) -> str:
        if not self.rows:
            return self.empty
        width = max(len(c) for c in self.columns) + 3
        blocks = []
        for n, row in enumerate(self.rows, 1):
            lines = [f"[{n}]"]
            for column, value in zip(self.columns, row):
                label = f"  {column} :".ljust(width + 2)
                wrapped = textwrap.wrap(value, self.WIDTH - len(label)) or [""]
                lines.append(label + wrapped[0])
                lines.extend(" " * len(label) + more for more in wrapped[1:])
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)


def crosswalk_table(course: Course | None = None) -> Table:
    """Return the crosswalk as a Table: one row per (local axis, reference axis) pair."""
    course = course or load()
    rows = [{"Cadre": fw.title, "N°": axis.number, "Axe local": axis.label,
             "Axe de référence": f"{m.axis} – {course.axes[m.axis].label}",
             "Correspondance": MATCH_FR[m.match], "Pourquoi": m.why}
            for fw in course.frameworks.values() if not fw.reference
            for axis in fw.axes for m in axis.maps_to]
    return Table(rows, ["Cadre", "N°", "Axe local", "Axe de référence", "Correspondance", "Pourquoi"])


class Chart:
    """A matplotlib Figure with its French text alternative, for learners who do not see it.

    A notebook or the app shows it as an <img> carrying `alt` (text/html), with the PNG beside
    it for other front ends and the alternative as its plain text. Every other attribute is the
    figure's (`chart.axes`, `chart.savefig(...)`), so code written for a Figure keeps working.
    """

    def __init__(self, figure, alt: str):
        self.figure = figure
        self.alt = alt

    def __getattr__(self, name):
        return getattr(self.figure, name)

    def png(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
        return buffer.getvalue()

    def _repr_html_(self) -> str:
        import base64

        data = base64.b64encode(self.png()).decode("ascii")
        return (f'<figure style="margin:0"><img src="data:image/png;base64,{data}" '
                f'alt="{html.escape(self.alt, quote=True)}" style="max-width:100%;height:auto"></figure>')

    def _repr_mimebundle_(self, **kwargs):
        import base64

        return {"text/html": self._repr_html_(), "image/png": base64.b64encode(self.png()).decode("ascii"),
                "text/plain": self.alt}

    def __repr__(self) -> str:
        return self.alt


def crosswalk_alt(course: Course | None = None) -> str:
    """Return the French text alternative of `crosswalk_figure`."""
    course = course or load()
    parts = []
    for fw in sorted(course.frameworks.values(), key=lambda fw: not fw.reference):
        links = "; ".join(
            f"axe {a.number} vers " + " et ".join(f"{m.axis}{' (partiel)' if m.match == 'partial' else ''}"
                                                  for m in a.maps_to)
            for a in fw.axes)
        parts.append(f"{fw.title} : {links}")
    return "Correspondance des numérotations avec les axes du RQIIAC (2020). " + ". ".join(parts) + "."


def crosswalk_figure(course: Course | None = None):
    """Return a Chart: one column per numbering, one row per reference axis.

    Each cell names the local axis number(s) that map onto that reference axis; a full match
    is drawn solid, a partial one hatched, and an empty cell means no local axis maps there.
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    course = course or load()
    frameworks = sorted(course.frameworks.values(), key=lambda fw: not fw.reference)
    codes = [c for c in AXIS_CODES if c in course.axes]
    fig, ax = plt.subplots(figsize=(3.2 * len(frameworks) + 3.2, 0.95 * len(codes) + 1.4))
    colours = {"full": "#4c8bbf", "partial": "#f2c14e"}
    for col, fw in enumerate(frameworks):
        for row, code in enumerate(codes):
            links = [(a.number, m.match) for a in fw.axes for m in a.maps_to if m.axis == code]
            y = len(codes) - 1 - row
            if not links:
                ax.add_patch(Rectangle((col, y), 0.96, 0.9, facecolor="#eeeeee", edgecolor="white"))
                continue
            partial = any(match == "partial" for _, match in links)
            ax.add_patch(Rectangle((col, y), 0.96, 0.9, facecolor=colours["partial" if partial else "full"],
                                   hatch="//" if partial else None, edgecolor="white"))
            text = " + ".join(f"axe {n}" + (" (partiel)" if match == "partial" else "") for n, match in links)
            ax.text(col + 0.48, y + 0.45, text, ha="center", va="center", fontsize=9,
                    bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 2})
    ax.set_xlim(0, len(frameworks))
    ax.set_ylim(0, len(codes))
    ax.set_xticks([i + 0.48 for i in range(len(frameworks))])
    ax.set_xticklabels([_wrap(fw.title, 22) for fw in frameworks], fontsize=9)
    ax.xaxis.tick_top()
    ax.set_yticks([len(codes) - 1 - i + 0.45 for i in range(len(codes))])
    ax.set_yticklabels([f"{c}\n{_wrap(course.axes[c].short, 24)}" for c in codes], fontsize=9)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.legend(handles=[Patch(facecolor=colours["full"], label="correspondance complète"),
                       Patch(facecolor=colours["partial"], hatch="//", label="correspondance partielle")],
              loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=2, frameon=False, fontsize=9)
    ax.set_title("Les trois numérotations ramenées aux axes du RQIIAC (2020)", pad=36, fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, crosswalk_alt(course))


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _answers(answers):
    if answers is not None:
        return list(answers)
    from .progress import Store

    return Store().answers()


def results_by_axis(answers=None, course: Course | None = None) -> dict[str, dict[str, int]]:
    """Count, per reference axis, the learner's hits, misses and extras over their answers.

    A hit is an axis both chosen and in the key, a miss is in the key but not chosen, an
    extra is chosen but not in the key. Answers to cases the course no longer has are skipped.

    Args:
        answers: SubmittedAnswer-like objects (`.case`, `.axes`); None reads Store().answers().
        course: the course whose keys to use (default: ockit.load()).
    """
    course = course or load()
    counts = {code: dict.fromkeys(RESULT_KINDS, 0) for code in AXIS_CODES}
    for answer in _answers(answers):
        case = course.cases.get(answer.case)
        if case is None:
            continue
        key, chosen = set(case.axes), set(answer.axes)
        for code in AXIS_CODES:
            if code in key and code in chosen:
                counts[code]["hits"] += 1
            elif code in key:
                counts[code]["misses"] += 1
            elif code in chosen:
                counts[code]["extras"] += 1
    return counts


TO_FIND = "— (à trouver)"


def results_table(answers=None, course: Course | None = None) -> Table:
    """Return the learner's answers as a Table: case, chosen axes, key, approach, attempts.

    The key of a case shows only once the workshop has shown it: from the attempt whose
    feedback gives the reasons (`scoring.FULL_FEEDBACK_FROM`), or when the learner found it. Until
    then it reads TO_FIND, so that this table never gives away what the workshop holds back.
    """
    from .exam import HIDDEN_RESULTS, hiding_for_default_store
    from .scoring import FULL_FEEDBACK_FROM

    if hiding_for_default_store():
        return Table([], ["Cas"], empty=HIDDEN_RESULTS)
    course = course or load()
    # Names, as the workshop shows them, not codes; a code the course does not know stays as is.
    axis = {code: a.short for code, a in course.axes.items()}
    approach = {code: a.label for code, a in course.approaches.items()}
    rows = []
    for answer in _answers(answers):
        case = course.cases.get(answer.case)
        dominant = case.approach.dominant if case else None
        shown = answer.attempts >= FULL_FEEDBACK_FROM
        key_axes = (" + ".join(axis.get(c, c) for c in case.axes)
                    if shown or set(answer.axes) == set(case.axes) else TO_FIND) if case else "?"
        key_approach = ((approach.get(dominant, dominant) or "non tranchée")
                        if shown or (dominant and answer.approach == dominant) else TO_FIND) if case else "?"
        rows.append({"Cas": case.title if case else answer.case,
                     "Vos axes": " + ".join(axis.get(c, c) for c in answer.axes) or "—",
                     "Axes du corrigé": key_axes,
                     "Votre approche": approach.get(answer.approach, answer.approach) or "—",
                     "Approche du corrigé": key_approach,
                     "Essais": answer.attempts})
    columns = ["Cas", "Vos axes", "Axes du corrigé", "Votre approche", "Approche du corrigé", "Essais"]
    return Table(rows, columns, empty="Aucune réponse enregistrée pour l'instant : faites d'abord un exercice.")


def results_by_axis_figure(answers=None, course: Course | None = None):
    """Return a bar Chart of the learner's hits, misses and extras per axis, with its text alternative.

    With no answers yet, the figure says so instead of drawing empty bars.
    """
    import matplotlib.pyplot as plt

    from .exam import hiding_for_default_store

    course = course or load()
    hidden = hiding_for_default_store()
    answers = [] if hidden else _answers(answers)  # read the store once, for the bars and their alt text
    counts = results_by_axis(answers, course)
    fig, ax = plt.subplots(figsize=(8, 3.8))
    codes = list(counts)
    if not any(sum(c.values()) for c in counts.values()):
        empty = ("Mode examen : vos résultats s'afficheront\naprès votre remise." if hidden else
                 "Aucune réponse enregistrée pour l'instant :\nfaites d'abord l'atelier.")
        ax.text(0.5, 0.5, empty, ha="center", va="center", fontsize=11, transform=ax.transAxes)
        ax.set_axis_off()
        plt.close(fig)
        return Chart(fig, empty.replace("\n", " "))
    colours = {"hits": "#3a923a", "misses": "#d9822b", "extras": "#b03a2e"}
    width = 0.26
    for i, kind in enumerate(RESULT_KINDS):
        xs = [j + (i - 1) * width for j in range(len(codes))]
        ax.bar(xs, [counts[c][kind] for c in codes], width, label=RESULT_FR[kind], color=colours[kind])
    ax.set_xticks(range(len(codes)))
    ax.set_xticklabels([f"{c}\n{_wrap(course.axes[c].short, 18)}" for c in codes], fontsize=9)
    ax.set_ylabel("nombre de cas")
    ax.yaxis.get_major_locator().set_params(integer=True)
    # Beside the plot, never over a bar.
    ax.legend(frameon=False, fontsize=9, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_title("Vos résultats par axe", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, results_alt(answers, course))


def results_alt(answers=None, course: Course | None = None) -> str:
    """Return the French text alternative of `results_by_axis_figure` (what the bars say)."""
    course = course or load()
    counts = results_by_axis(answers, course)
    if not any(sum(c.values()) for c in counts.values()):
        return "Graphique vide : aucune réponse enregistrée pour l'instant."
    parts = [f"{course.axes[c].label} : {count_of(n['hits'], 'trouvé', 'trouvés')}, "
             f"{count_of(n['misses'], 'oublié', 'oubliés')}, {n['extras']} en trop"
             for c, n in counts.items()]
    return "Vos résultats par axe. " + "; ".join(parts) + "."


class Sentence:
    """A short French text that a notebook shows as a paragraph, and nbval as the same plain text."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text

    def _repr_html_(self) -> str:
        return f"<p>{html.escape(self.text)}</p>"


def _decimal(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")  # decimal comma, as written in Quebec


def score_explained(case_id: str, axes, course: Course | None = None) -> Sentence:
    """Return, as a French sentence, how `ockit.score` computes the axis score of an answer.

    The sentence names the chosen axes, those of the reading scored against (the key, or the
    case's other defensible reading that scores higher), the right ones and the union, then
    gives the fraction and its value with a decimal comma (never a bare float).
    """
    from .scoring import readings, score

    course = course or load()
    result = score(case_id, axes, course=course)
    case = course.case_by_id(case_id)
    reading = {name: key for name, key, *_ in readings(case)}[result.matched_reading]
    who = ("le corrigé retient" if result.matched_reading == "key"
           else "une autre lecture défendable du cas retient")
    chosen = [c for c in AXIS_CODES if c in set(result.correct) | set(result.extra)]
    union = [c for c in AXIS_CODES if c in set(result.correct) | set(result.missed) | set(result.extra)]
    right = len(result.correct)

    def codes(items) -> str:
        return " + ".join(items) or "aucun"

    approx = "=" if round(result.jaccard, 2) == result.jaccard else "≈"
    ticked = f"vous cochez {codes(chosen)}" if chosen else "vous ne cochez aucun axe"
    return Sentence(f"Cas « {case.title} » : {ticked}; {who} {codes(reading)}. "
                    f"Axes justes : {right} ({codes(result.correct)}); union de vos axes et de ceux du "
                    f"corrigé : {len(union)} ({codes(union)}). Score des axes : {right} ÷ {len(union)} "
                    f"{approx} {_decimal(result.jaccard)}.")


# -- small views of the reference content, so that notebook cells stay one line ------------


def show_terms(kind: str, course: Course | None = None):
    """Return an IPython Markdown list of a term list of data/ (e.g. "definitions", "values").

    Raises:
        KeyError: with a French message listing the known lists.
    """
    from IPython.display import Markdown

    course = course or load()
    if kind not in course.terms:
        raise KeyError(f"Liste de termes inconnue « {kind} ». Listes : {', '.join(course.terms)}.")
    return Markdown("\n".join(f"- **{t.label}** : {t.description}" for t in course.terms[kind].values()))


def show_axes(course: Course | None = None):
    """Return an IPython Markdown view of the four reference axes with their definitions."""
    from IPython.display import Markdown

    course = course or load()
    return Markdown("\n\n".join(f"**{a.code} – {a.label}**  \n{a.definition}" for a in course.axes.values()))


def show_approaches(course: Course | None = None):
    """Return an IPython Markdown view of the four approaches with their definitions."""
    from IPython.display import Markdown

    course = course or load()
    return Markdown("\n\n".join(f"**Approche {a.label}** ({a.code})  \n{a.definition}"
                                for a in course.approaches.values()))


def show_mapping(framework: str, number: int, course: Course | None = None):
    """Return, as IPython Markdown, where one local axis goes in the reference framework."""
    from IPython.display import Markdown

    from .frameworks import to_reference

    course = course or load()
    fw = course.frameworks[framework]
    axis = next(a for a in fw.axes if a.number == number)
    lines = [f"**Axe {number} – {axis.label}** ({fw.title}) :"]
    for m in to_reference(framework, number, course=course):
        kind = "correspondance complète" if m.match == "full" else "correspondance partielle"
        lines.append(f"- vers **{m.axis}** ({course.axes[m.axis].label}), {kind}")
    return Markdown("\n".join(lines))


def show_acts(case_id: str, course: Course | None = None):
    """Return, as IPython Markdown, the professional acts a case's OC performed."""
    from IPython.display import Markdown

    course = course or load()
    case = course.case(case_id)
    return Markdown(f"Actes posés dans « {case.title} » :\n\n"
                    + "\n".join(f"- {course.acts[a].label}" for a in case.acts))


def show_cases(case_ids, course: Course | None = None):
    """Return an IPython Markdown view of cases: title, territory and summary, no answer key."""
    from IPython.display import Markdown

    course = course or load()
    cases = [course.case(cid) for cid in case_ids]
    return Markdown("\n\n".join(f"**{c.title}** ({c.territory})  \n{c.summary}" for c in cases))


def approaches_table(case_ids, course: Course | None = None) -> Table:
    """Return a Table of cases with their dominant and secondary approaches and why."""
    course = course or load()
    label = {code: a.label for code, a in course.approaches.items()}
    rows = []
    for cid in case_ids:
        case = course.case(cid)
        ap = case.approach
        rows.append({"Cas": case.title,
                     "Approche dominante": label.get(ap.dominant, "non tranchée"),
                     "Approches secondaires": ", ".join(label[c] for c in ap.secondary) or "—",
                     "Pourquoi": ap.why or ""})
    return Table(rows, ["Cas", "Approche dominante", "Approches secondaires", "Pourquoi"])


# -- mastery per axis and per approach (« Mes résultats ») ---------------------------------


# Okabe-Ito blue and orange (safe for the common colour-vision deficiencies), the green darkened
# so that white text on it reaches 4.5:1; the two axis rates are told apart by hatching too, and
# every bar carries its figures in text, so colour is never the only cue.
MASTERY_COLOURS = {"found": "#0072B2", "left": "#E69F00", "chosen": "#00785A"}


def mastery_figure(store=None, course: Course | None = None, *, attempts=None) -> Chart:
    """Return the learner's mastery per axis and per approach as a Chart (figure + alt text).

    Top: for each axis, how often it was ticked when it applies and left when it does not.
    Bottom: for each approach, how often it was chosen when it dominates. Rates come from
    `ockit.mastery` (first attempt of each case, and cases redone later). `attempts` (a list of
    SubmittedAnswer, oldest first) may be given instead of a store, for tests and reports.
    """
    import matplotlib.pyplot as plt

    from . import exam
    from . import mastery as mastery_

    course = course or load()
    if attempts is None:
        if store is None:
            from .progress import Store

            store = Store()
        if exam.hiding(store):
            fig, ax = plt.subplots(figsize=(8, 1.6))
            ax.text(0.5, 0.5, "Mode examen : votre maîtrise par axe s'affichera après votre remise.",
                    ha="center", va="center", fontsize=11, transform=ax.transAxes)
            ax.set_axis_off()
            plt.close(fig)
            return Chart(fig, exam.HIDDEN_RESULTS)
        attempts = store.attempts()
    m = mastery_.mastery(list(attempts), course)
    alt = mastery_.describe(m, course)
    if not m.counted:
        fig, ax = plt.subplots(figsize=(8, 2.2))
        ax.text(0.5, 0.5, "Aucune réponse enregistrée pour l'instant :\nfaites d'abord l'atelier.",
                ha="center", va="center", fontsize=11, transform=ax.transAxes)
        ax.set_axis_off()
        plt.close(fig)
        return Chart(fig, alt)
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8.6, 7.4), gridspec_kw={"height_ratios": [8, 4]})
    rows = []
    for code in AXIS_CODES:
        rows.append((f"{course.axes[code].short}\nrepéré quand il s'applique", m.found[code], "found"))
        rows.append(("écarté quand il ne s'applique pas", m.left[code], "left"))
    _rate_bars(top, rows, "Les axes : repérer l'axe quand il s'applique, l'écarter sinon", gap_every=2)
    rows = [(f"{course.approaches[c].label}\nchoisie quand elle domine", m.chosen[c], "chosen")
            for c in course.approaches]
    _rate_bars(bottom, rows, "Les approches : choisir celle qui domine")
    fig.suptitle(f"Vos résultats par axe et par approche ({count_of(m.counted, 'réponse comptée', 'réponses comptées')})",
                 fontsize=11)
    fig.tight_layout()
    plt.close(fig)
    return Chart(fig, alt)


def _rate_bars(ax, rows, title, gap_every: int = 0):
    """Horizontal bars of rates (0-100 %), labelled with « n sur N » at their end."""
    hatches = {"found": "", "left": "//", "chosen": ""}
    ys, y = [], 0.0
    for i, _ in enumerate(rows):
        if gap_every and i and i % gap_every == 0:
            y += 0.5  # a little space between axes
        ys.append(y)
        y += 1
    for yy, (_, rate, kind) in zip(ys, rows):
        value = 100 * rate.rate if rate.total else 0
        ax.barh(yy, value, height=0.78, color=MASTERY_COLOURS[kind], hatch=hatches[kind],
                edgecolor="white" if kind != "left" else "#7a5500", linewidth=0.6)
        text = (f"{rate.right} sur {rate.total} ({round(value)} %)" if rate.total else "pas encore de cas")
        inside = rate.total and value > 62
        ax.text(value - 1.5 if inside else value + 1.5, yy, text, va="center",
                ha="right" if inside else "left", fontsize=8.5,
                color="white" if inside and kind != "left" else "#111111",
                bbox=None if not inside or kind != "left" else
                {"facecolor": "white", "edgecolor": "none", "pad": 1})
    ax.set_yticks(ys)
    ax.set_yticklabels([label for label, _, _ in rows], fontsize=8.5)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xticklabels(["0 %", "25 %", "50 %", "75 %", "100 %"], fontsize=8.5)
    ax.set_title(title, fontsize=10, loc="left")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
