"""The class report: three figures and one self-contained French HTML page.

`write_report(folder, out)` reads a folder of submissions (ockit.classroom), writes
answers.csv, cases.csv, agreement.csv and grades.csv, and report.html, whose figures are PNG data URIs so
that the page opens offline, alone, anywhere. Every piece of text that comes from a file
(learner names, justifications, file names, reasons) is HTML-escaped. Figures are drawn with
matplotlib's object API (no pyplot, so no backend or global state is touched), once each, by
ockit.reportfigures: in a second process started before the submissions are read, unless
matplotlib is already loaded here.
"""

from __future__ import annotations

import base64
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .reportfigures import (DRAW, FIGURES, MAX_LABELLED_CASES, FigureError, FigureProcess,  # noqa: F401
                            class_inputs, draw_answers_by_case, draw_confusion, draw_scores,
                            figure_inputs, frame_columns, images_from_inputs, png, scores_inputs,
                            second_core_free)

JUSTIFICATIONS_PER_CASE = 3


@dataclass(frozen=True)
class ReportResult:
    """What `write_report` produced: the files written and what was read."""

    html: Path
    tables: dict
    data: object  # ockit.classroom.ClassAnswers


@contextmanager
def gc_paused():
    """Pause Python's cyclic garbage collector for a block, then restore it as it was.

    Reading a class allocates hundreds of thousands of objects that all live to the end of
    the report (the JSON of each file, 40,000 answers, pandas' and matplotlib's modules): each
    pass of the collector walks them all again and frees almost nothing, for a quarter of the
    report's time beyond importing pandas and matplotlib. Reference counting still frees
    everything that is not in a cycle; the few cycles made meanwhile are collected after.
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What the block allocated goes straight to the oldest generation (freeze, then
            # unfreeze): re-enabled as is, the collector would walk it all at the next
            # allocation (0.2 s after a report); it is examined at the next full collection.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def answers_by_case_figure(data, course):
    """Cases × axes heat map: share of learners who ticked each axis; key cells are framed."""
    return draw_answers_by_case(figure_inputs(data, course)["answers_by_case"])


def confusion_figure(data):
    """Key axis × chosen axis heat map: for answers whose key holds axis K, share that ticked C."""
    return draw_confusion(class_inputs(frame_columns(data))["confusion"])


def scores_figure(data):
    """Histogram of each learner's mean Jaccard score, in percent."""
    return draw_scores(scores_inputs(data)["scores"])


def figures(data, course) -> dict:
    """Return the three report figures by name (FIGURES), as matplotlib Figures."""
    inputs = figure_inputs(data, course)
    return {name: DRAW[name](inputs[name]) for name in FIGURES}


def figure_images(data, course) -> dict[str, bytes]:
    """Return the three report figures as PNG bytes, by name (e.g. for IPython.display.Image)."""
    return images_from_inputs(figure_inputs(data, course))


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:70rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2} td.num{text-align:right} figure{margin:1rem 0}
figure img{max-width:100%;height:auto} .warn{background:#fff4e5} .note{color:#555;font-size:.9rem}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #ccc;white-space:pre-wrap}
"""

CAPTIONS = {
    "answers_by_case": "Figure 1. Pour chaque cas, part des apprenant·es qui ont coché chaque "
                       "axe; les cases encadrées en rouge sont les axes de la clé.",
    "confusion": "Figure 2. Confusions : pour les réponses dont la clé contient l'axe en "
                 "ligne, part de celles qui ont coché l'axe en colonne. La diagonale donne le "
                 "taux de repérage de chaque axe.",
    "scores": "Figure 3. Distribution du score moyen de chaque apprenant·e (indice de Jaccard "
              "entre les axes cochés et ceux de la clé, de 0 à 100 %).",
}


def _pct(value) -> str:
    if value is None or value != value:
        return "—"
    return f"{value * 100:.0f} %".replace(".", ",")


def _num(value) -> str:
    if value is None or value != value:
        return "—"
    return f"{value:.2f}".replace(".", ",")


def _table(headers, rows, numeric=()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(f'<td class="num">{escape(str(v))}</td>' if i in numeric
                        else f"<td>{escape(str(v))}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


PUBLIC_SALT_NOTE = (
    "Ces pseudonymes sont calculés avec le sel public de la trousse : quiconque connaît le nom "
    "d'une personne peut calculer son pseudonyme et la reconnaître dans ce rapport. Pour "
    "l'empêcher, donnez à la variable OCKIT_PSEUDONYM_SALT un secret à vous (gardez-le pour "
    "retrouver les mêmes pseudonymes d'une fois à l'autre), puis relancez le rapport.")
SECRET_SALT_NOTE = ("Pseudonymes calculés avec votre sel secret (variable OCKIT_PSEUDONYM_SALT) : "
                    "sans ce secret, on ne peut pas retrouver une personne à partir de son nom.")


def _salt_note() -> str:
    from .classroom import salt_is_public

    if salt_is_public():
        return f'<p class="warn">{escape(PUBLIC_SALT_NOTE)}</p>'
    return f'<p class="note">{escape(SECRET_SALT_NOTE)}</p>'


def render_html(data, course, images: dict[str, bytes], cases=None, agreement=None, expert=None) -> str:
    """Return the report as one self-contained HTML page, in French; all file text is escaped.

    `expert` (an `ockit.agreement.ExpertAgreement`) adds the class's kappa beside that of a
    double annotation, so a confused class can be told from a hard case.
    """
    from .classroom import agreement_table, cases_table, learner_scores
    from .safeio import display

    cases = cases_table(data, course) if cases is None else cases
    agreement = agreement_table(data) if agreement is None else agreement
    df = data.answers
    scores = learner_scores(data)
    parts = [
        "<!DOCTYPE html>", '<html lang="fr-CA"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Rapport de classe – ockit</title>", f"<style>{CSS}</style></head><body>",
        "<h1>Rapport de classe</h1>",
        f'<p class="note">Dossier lu : {escape(display(Path(data.folder).name or data.folder))}'
        + (" · noms remplacés par des pseudonymes" if data.anonymized else "") + "</p>",
        *([_salt_note()] if data.anonymized else []),
        "<h2>En bref</h2><ul>",
        f"<li>{data.files} fichier(s) .json trouvé(s), {len(data.rejected)} écarté(s)</li>",
        f"<li>{data.learners} apprenant·e(s), {len(df)} réponse(s) sur "
        f"{df['case'].nunique() if len(df) else 0} cas</li>",
    ]
    if len(df):
        parts.append(f"<li>Réponses identiques à la clé : {_pct(df['exact'].mean())}; "
                     f"indice de Jaccard moyen : {_num(df['jaccard'].mean())}; "
                     f"score moyen médian par personne : {_num(scores.median())}</li>")
    parts.append("</ul>")

    parts.append("<h2>Fichiers écartés</h2>")
    if data.rejected:
        parts.append('<p>Ces fichiers n\'ont pas été pris en compte. Demandez une nouvelle remise '
                     "ou corrigez le fichier, puis relancez le rapport.</p>")
        parts.append(_table(("fichier", "raison"), [(r.file, r.reason) for r in data.rejected])
                     .replace("<table>", '<table class="warn">', 1))
    else:
        parts.append("<p>Aucun : tous les fichiers ont été lus.</p>")

    parts.append("<h2>Figures</h2>")
    for name in FIGURES:
        uri = "data:image/png;base64," + base64.b64encode(images[name]).decode("ascii")
        parts.append(f'<figure><img src="{uri}" alt="{escape(CAPTIONS[name])}">'
                     f"<figcaption>{escape(CAPTIONS[name])}</figcaption></figure>")

    parts.append("<h2>Résultats par cas</h2>")
    parts.append(_table(
        ("cas", "titre", "réponses", "identiques à la clé", "Jaccard moyen", "axe le plus oublié",
         "axe ajouté le plus souvent", "bonne approche"),
        [(r.case, r.title, r.answers, _pct(r.exact_rate), _num(r.mean_jaccard),
          r.most_missed or "—", r.most_extra or "—", _pct(r.approach_rate))
         for r in cases.itertuples(index=False)], numeric=(2, 3, 4, 7)))

    parts.append("<h2>Accord entre apprenant·es</h2>")
    parts.append("<p>Kappa de Fleiss, calculé pour chaque axe sur les cas répondus par au moins "
                 "deux personnes (axe coché ou non). Il mesure l'accord des apprenant·es entre "
                 "elles et eux, pas la justesse : 1 = accord parfait, 0 = accord attendu par "
                 "hasard, négatif = moins que le hasard. La ligne ALL regroupe toutes les paires "
                 "cas × axe. « — » : non calculable (trop peu de réponses, ou tout le monde a "
                 "fait le même choix).</p>")
    parts.append(_table(("axe", "kappa"), [(r.axis, _num(r.kappa))
                                            for r in agreement.itertuples(index=False)],
                        numeric=(1,)))
    if expert is not None:
        from .agreement import class_vs_experts_html

        parts.append(class_vs_experts_html(agreement, expert, course))

    parts.append(_item_statistics_section(cases))
    parts.append(_rules_section(df, course))
    parts.append(_justifications(df, course))
    parts.append('<h2>Méthode</h2><p class="note">Le score d\'une réponse est l\'indice de Jaccard : '
                 "le nombre d'axes communs à la réponse et à la clé, divisé par le nombre d'axes "
                 "présents dans l'une ou l'autre. Les tableaux complets sont dans answers.csv, "
                 "cases.csv et agreement.csv, à côté de ce rapport. grades.csv donne à chaque "
                 "apprenant·e deux notes sur 100, prêtes à importer dans un carnet de notes : "
                 "score, sur les cas faits, et score_all, sur tous les cas de la classe (un cas "
                 "non fait vaut 0).</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _item_statistics_section(cases) -> str:
    """Moodle's facility and discrimination per case, their rules, and the cases to discuss."""
    from .itemstats import RULE_DISCRIMINATION, RULE_FACILITY, RULE_KAPPA

    out = ["<h2>Statistiques par cas, comme Moodle les calcule</h2>",
           '<ul class="note">', f"<li>{escape(RULE_FACILITY)}</li>",
           f"<li>{escape(RULE_DISCRIMINATION)}</li>", f"<li>{escape(RULE_KAPPA)}</li>", "</ul>"]
    if not len(cases):
        out.append("<p>Aucune réponse : rien à calculer.</p>")
        return "\n".join(out)

    def disc(value):
        return "—" if value is None or value != value else f"{round(value):d}".replace("-", "−")

    out.append(_table(("cas", "facilité", "discrimination", "accord (kappa)"),
                      [(r.case, _pct(r.facility), disc(r.discrimination), _num(r.kappa))
                       for r in cases.itertuples(index=False)], numeric=(1, 2, 3)))
    flagged = [r for r in cases.itertuples(index=False) if r.debrief]
    out.append("<h3>Cas à reprendre au retour en classe</h3>")
    if flagged:
        out.append("<ul>" + "".join(f"<li><strong>{escape(r.case)}</strong> : {escape(r.debrief)}</li>"
                                    for r in flagged) + "</ul>")
    else:
        out.append("<p>Aucun cas n'a une discrimination négative ni un accord faible.</p>")
    return "\n".join(out)


def _rules_section(df, course) -> str:
    """Which rule scores the axes, and what the class would get under Moodle's and Canvas's."""
    from .itemstats import rule_scores
    from .rules import RULE_LABELS, RULE_TEXT, RULES, examples

    out = ["<h2>Règle de notation des axes, comparée</h2>",
           "<p>Les scores de ce rapport suivent la règle de la trousse. La même réponse vaudrait "
           "autre chose dans Moodle ou Canvas :</p>",
           "<ul>" + "".join(f"<li>{escape(RULE_TEXT[r])}</li>" for r in RULES) + "</ul>"]
    if len(df):
        means = rule_scores(df).mean()
        out.append(_table(("règle", "score moyen de la classe"),
                          [(RULE_LABELS[r], _num(float(means[r]))) for r in RULES], numeric=(1,)))
    rows = []
    for key in (("DEV",), ("DEV", "DSS"), ("DEV", "DSS", "ORG")):
        for label, ticked, scores in examples(key):
            rows.append((" + ".join(key), label, " + ".join(ticked) or "aucun",
                         *(_num(v) for v in scores.as_dict().values())))
    out.append("<p>Exemples (sur 1) :</p>")
    out.append(_table(("clé", "réponse", "axes cochés", *(RULE_LABELS[r] for r in RULES)), rows,
                      numeric=(3, 4, 5)))
    return "\n".join(out)


def _justifications(df, course) -> str:
    """A few justifications per case, from answers that differ from the key (escaped)."""
    out = ["<h2>Justifications à discuter</h2>"]
    if not len(df) or df["justification"].isna().all():
        out.append("<p>Aucune justification dans les remises.</p>")
        return "\n".join(out)
    out.append(f"<p>Au plus {JUSTIFICATIONS_PER_CASE} justifications par cas, tirées de réponses "
               "qui diffèrent de la clé.</p>")
    picked = df.loc[~df["exact"] & df["justification"].notna(), ["case", "learner", "axes", "justification"]]
    picked = picked[picked["justification"].str.strip() != ""]
    picked = picked.groupby("case", sort=False).head(JUSTIFICATIONS_PER_CASE)
    by_case: dict[str, list] = {}  # cases in order of first appearance, as groupby gives them
    for cid, learner, axes, text in zip(*(picked[c].tolist() for c in picked.columns)):
        by_case.setdefault(cid, []).append((learner, axes, text))
    for cid, rows in by_case.items():
        case = course.cases[cid]
        out.append(f"<h3>{escape(case.title)} <small>({escape(cid)}; clé : "
                   f"{escape(' + '.join(case.axes))})</small></h3>")
        for learner, axes, text in rows:
            out.append(f"<p><strong>{escape(learner)}</strong> a coché "
                       f"{escape(axes.replace('+', ' + ') or 'aucun axe')} :</p>"
                       f"<blockquote>{escape(text)}</blockquote>")
    return "\n".join(out)


def write_report(folder, out, course=None, *, anonymize: bool = False, progress=None,
                 experts="kit", separate_process: bool | None = None) -> ReportResult:
    """Read `folder` and write report.html and the four CSV tables (see write_tables) into `out`.

    `experts`: a double-annotation file (format of data/evaluation/blind-2026.yaml) whose
    agreement the report sets beside the class's; "kit" (default) uses the kit's own, None none.
    Raises ockit.agreement.AgreementError (French) when that file cannot be used.

    `separate_process`: draw the figures in a second process (ockit.reportfigures.FigureProcess)
    that imports matplotlib while this one reads the folder; by default, when matplotlib is not
    loaded in this process yet (a command, not a notebook that already drew something) and
    another core is free (on a busy machine the two processes would only compete). If
    that process cannot be started, the figures are drawn here. Raises
    ockit.reportfigures.FigureError (French) when it fails: the CSV tables are written by then,
    and an earlier report.html is left as it was.

    The report builds whatever the folder holds: unusable files are listed with their reason
    in the page (and in `result.data.rejected`), never fatal.
    """
    if separate_process is None:
        separate_process = _draw_apart()
    with gc_paused():
        worker = None
        if separate_process:
            try:
                worker = FigureProcess()
            except OSError:  # no second process here (limits, sandbox): draw in this one
                worker = None
        if worker is None:
            return _write_report(folder, out, course, anonymize, progress, experts, None)
        with worker:
            return _write_report(folder, out, course, anonymize, progress, experts, worker)


def _draw_apart() -> bool:
    """Whether the figures are better drawn in a second process: matplotlib is not loaded yet
    and another core is free (see ockit.reportfigures.second_core_free)."""
    return "matplotlib.figure" not in sys.modules and second_core_free()


def _write_report(folder, out, course, anonymize, progress, experts, worker) -> ReportResult:
    from .classroom import agreement_table, cases_table, read_class, write_tables
    from .atomic import atomic_write_text

    if course is None:
        from .data import load

        course = load()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)  # before the long read: a bad --out fails at once
    # The child draws the heat maps as soon as the files are read, while pandas is imported
    # here and builds the tables; the histogram's means are pandas' (groupby), sent after.
    columns_read = None if worker is None else (
        lambda columns: worker.send(class_inputs(columns, course)))
    data = read_class(folder, course, anonymize=anonymize, progress=progress, columns_read=columns_read)
    if worker is not None:
        worker.send(scores_inputs(data))
    cases, agreement = cases_table(data, course), agreement_table(data)
    tables = write_tables(data, course, out, cases, agreement)
    expert = None
    if experts is not None:
        from .agreement import expert_agreement, read_double

        if experts == "kit":
            from .evaluation import BLIND_FILE

            experts = BLIND_FILE
        expert = expert_agreement(read_double(experts))
    images = figure_images(data, course) if worker is None else worker.images()
    html = render_html(data, course, images, cases, agreement, expert)
    path = out / "report.html"
    # A temporary file renamed into place: a failure never leaves an empty or half page, and
    # an earlier report stays as it was.
    atomic_write_text(path, html, shared=True, durable=False)
    return ReportResult(html=path, tables=tables, data=data)
