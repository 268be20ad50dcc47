"""Printable case sheets for the classroom: HTML pages printed to PDF by headless Chromium.

`sheets_html(cases, course)` gives one page per case, with the case (title, territory,
summary, where it comes from) and a space to answer (the four axes and the four approaches to
tick, lines for the justification), and no answer key. `key_html(cases, course)` gives the key
apart: axes in order of importance with their reasons, the approach and why, and the other
readings the kit accepts when a case lists them. `write_pdf(html, out)` prints a page with
Chromium (`--print-to-pdf`), which works offline.

Typography follows French usage as written in Quebec (`french`): a non-breaking space before
the colon and inside guillemets, a narrow non-breaking space before ; ? ! when the text puts a
space there (the OQLF accepts either that or no space; the kit's own text is kept as written).
Page numbers come from CSS @page margin boxes, which Chromium prints since version 131.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from html import escape
from pathlib import Path

from .model import APPROACH_CODES, AXIS_CODES

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space
TIMEOUT = 120  # seconds; a first Chromium start on a loaded machine takes about 10 s
CHROMIUM_ENV = "OCKIT_CHROMIUM"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--no-default-browser-check",
                 "--no-pdf-header-footer")
FICTIONAL = "Vignette pédagogique (cas fictif)"
_LINES = '<div class="line"></div>' * 24  # more than a page holds; .lines shows those that fit


class HandoutError(RuntimeError):
    """The PDF could not be written; the message says why, in French."""


# -- French typography ------------------------------------------------------------------------

_SPACE = r"[ \u00a0\u202f\t]"
_SPACED_COLON = re.compile(_SPACE + r"+:")
_GLUED_COLON = re.compile(r"(?<=\S):(?=\s|$)")
_BEFORE_TALL = re.compile(_SPACE + r"+([;?!])")
_OPEN_QUOTE = re.compile(r"«" + _SPACE + "*")
_CLOSE_QUOTE = re.compile(_SPACE + r"*»")


def french(text: str) -> str:
    """Return `text` with French spacing: NBSP before « : » and inside « », NNBSP before ; ? !.

    A colon glued to the word before it (« note: ») gets its space; a colon inside a word or a
    time (« 10:30 », « http://») is left alone. Before ; ? ! a space already there becomes a
    narrow non-breaking one; none is added where the text has none (Quebec usage allows both).
    """
    # Guillemets first: the space they add may follow a colon, which then gets its own.
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    text = _SPACED_COLON.sub(NBSP + ":", text)
    text = _GLUED_COLON.sub(NBSP + ":", text)
    return _BEFORE_TALL.sub(NNBSP + r"\1", text)


_HYPHENATED = re.compile(r"[^\s<>]*\w-\w[^\s<>]*")


def _t(text) -> str:
    """Escape for HTML, apply French spacing, and keep hyphenated words on one line.

    A line never ends at the hyphen of « Centre-Sud » or « socio-institutionnelle »: the word
    reads better whole, and a PDF reader's text extraction would take such a hyphen for a
    hyphenation and join the halves. (The entities escape() makes hold no space.)
    """
    text = french(escape(" ".join(str(text).split())))
    return _HYPHENATED.sub(lambda m: f'<span class="nw">{m.group(0)}</span>', text)


# -- Pages --------------------------------------------------------------------------------------

CSS = """
@page {
  size: Letter;
  margin: 16mm 18mm 18mm 18mm;
  @bottom-center { content: "Page " counter(page) " sur " counter(pages);
                   font: 9pt "DejaVu Sans", "Liberation Sans", sans-serif; color: #444; }
  @bottom-right { content: "ockit"; font: 8pt "DejaVu Sans", sans-serif; color: #777; }
}
html { font: 10.5pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #111; }
body { margin: 0; }
.nw { white-space: nowrap; }
h1 { font-size: 15pt; margin: 0 0 2mm 0; line-height: 1.25; }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm 0; }
.meta { color: #333; margin: 0 0 1mm 0; font-size: 9.5pt; }
.head { display: flex; justify-content: space-between; font-size: 9pt; color: #444;
        border-bottom: 0.4pt solid #888; padding-bottom: 1mm; margin-bottom: 3mm; }
.summary { text-align: left; margin: 2mm 0 2mm 0; }
.sheet { break-after: page; height: 244mm; display: flex; flex-direction: column; }
.sheet:last-child { break-after: auto; }
.answer, .sheet h1, .summary, .keycase, .keycase > * { break-inside: avoid; }
.answer { border: 0.6pt solid #555; border-radius: 2mm; padding: 1mm 4mm 3mm 4mm; margin-top: 2mm;
          flex: 1 1 auto; display: flex; flex-direction: column; min-height: 96mm; }
.lines { flex: 1 1 0; min-height: 22mm; overflow: hidden; }  /* as many whole lines as fit */
.line { height: 7.5mm; border-bottom: 0.6pt solid #777; }
.who { margin: 2mm 0 0 0; }
.who span { display: inline-block; width: 70mm; border-bottom: 0.5pt solid #555; }
.choices { list-style: none; padding: 0; margin: 0; columns: 2; column-gap: 8mm; }
.choices li { break-inside: avoid; margin: 0 0 1.6mm 0; padding-left: 7mm; text-indent: -7mm; }
.sheet > * { flex: 0 0 auto; }
.sheet > .answer { flex: 1 1 auto; }
.box { display: inline-block; width: 4.6mm; height: 4.6mm; border: 0.7pt solid #222;
       vertical-align: -1.2mm; margin-right: 2.2mm; text-indent: 0; }
.rank { display: inline-block; width: 7mm; border-bottom: 0.5pt solid #555; margin-left: 1mm; }
.hint { font-size: 8.5pt; color: #444; margin: 0 0 1.5mm 0; }
.keycase { margin: 0 0 6mm 0; padding-bottom: 3mm; border-bottom: 0.4pt solid #aaa; }
.keycase h2 { font-size: 12pt; margin-top: 1mm; }
.keycase ol, .keycase ul { margin: 1mm 0 1mm 0; padding-left: 6mm; }
.keycase li { margin-bottom: 1mm; }
.label { font-weight: bold; }
.discuss { background: #f3f3f3; padding: 1.5mm 3mm; }
"""


def source_line(case) -> str:
    """« Source : … » for a case from a source, « Vignette pédagogique (cas fictif) » otherwise.

    A case whose story the kit wrote around an example the source only names (`story:
    illustration`, where the data has that field) says « D'après : … » and so.
    """
    if case.label_provenance == "constructed" or case.source is None:
        return FICTIONAL
    cite = case.source.citation()
    story = getattr(case, "story", "source")
    if story == "illustration":
        return f"D'après : {cite} Récit écrit par la trousse à partir d'un exemple de la source."
    if story == "mixed":
        return f"Source : {cite} Récit complété par la trousse."
    return f"Source : {cite}"


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html>\n<html lang="fr-CA"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title><style>{CSS}</style></head><body>\n{body}\n</body></html>\n")


def sheet(case, course, number: int | None = None, total: int | None = None) -> str:
    """Return the HTML of one case sheet: the case and a space to answer, no key."""
    where = f"Cas {number} sur {total}" if number and total else "Cas"
    axes = "".join(f'<li><span class="box"></span>{_t(course.axes[c].label)}</li>'
                   for c in AXIS_CODES if c in course.axes)
    approaches = "".join(f'<li><span class="box"></span>Approche {_t(course.approaches[c].label)}</li>'
                         for c in APPROACH_CODES if c in course.approaches)
    return (
        f'<section class="sheet" data-case="{escape(case.id)}">'
        f'<div class="head"><span>{where}</span><span>{escape(case.id)}</span></div>'
        f"<h1>{_t(case.title)}</h1>"
        f'<p class="meta"><span class="label">{_t("Territoire :")}</span> {_t(case.territory)}</p>'
        f'<p class="meta">{_t(source_line(case))}</p>'
        f'<p class="summary">{_t(case.summary)}</p>'
        f'<div class="answer">'
        f'<p class="who">{_t("Nom ou équipe :")} <span>&nbsp;</span></p>'
        f"<h2>{_t('Axes de service (un ou plusieurs)')}</h2>"
        f'<p class="hint">{_t("Inscrivez dans la case de chaque axe retenu son rang : 1 pour le plus important, puis 2, 3...")}</p>'
        f'<ul class="choices">{axes}</ul>'
        f"<h2>{_t('Approche dominante (cochez-en une)')}</h2>"
        f'<ul class="choices">{approaches}</ul>'
        f"<h2>{_t('Justification : les indices du texte qui appuient votre choix')}</h2>"
        f'<div class="lines">{_LINES}</div></div></section>'
    )


def sheets_html(cases, course) -> str:
    """Return the whole handout (one sheet per case, in the given order) as one HTML page."""
    cases = list(cases)
    body = "\n".join(sheet(c, course, i, len(cases)) for i, c in enumerate(cases, 1))
    return _page("Fiches de cas – ockit", body)


def _also_accepted(case, course) -> str:
    """The other readings the kit accepts, when the case lists them (`also_accepted`, optional)."""
    extra = getattr(case, "also_accepted", None)
    if not extra:
        return ""
    items = []
    for item in extra if isinstance(extra, (list, tuple)) else [extra]:
        if isinstance(item, str):
            items.append(_t(item))
            continue
        axes = getattr(item, "axes", None) or (item.get("axes") if isinstance(item, dict) else None)
        why = getattr(item, "why", None) or (item.get("why") if isinstance(item, dict) else None)
        approach = getattr(item, "approach", None) or (item.get("approach") if isinstance(item, dict) else None)
        bits = []
        if axes:
            bits.append(" + ".join(_t(course.axes[a].label) if a in course.axes else _t(a) for a in axes))
        if approach:
            bits.append("approche " + (_t(course.approaches[approach].label) if approach in course.approaches
                                       else _t(approach)))
        text = ", ".join(bits) or _t(str(item))
        items.append(text + (f" — {_t(why)}" if why else ""))
    return (f'<p class="label">{_t("Aussi accepté :")}</p><ul>'
            + "".join(f"<li>{i}</li>" for i in items) + "</ul>")


def key_entry(case, course, number: int | None = None) -> str:
    """Return the HTML of one case's key: axes in order with their reasons, approach and why."""
    axes = "".join(f'<li><span class="label">{_t(course.axes[c].label)}</span> ({escape(c)}) — '
                   f"{_t(why)}</li>" for c, why in case.rationale.items())
    ap = case.approach
    if ap.dominant:
        approach = f"{course.approaches[ap.dominant].label} (dominante)"
        if ap.secondary:
            also = ", ".join(course.approaches[c].label for c in ap.secondary)
            approach += f"; aussi présente{'s' if len(ap.secondary) > 1 else ''} : {also}"
    else:
        approach = "Le cas ne permet pas de trancher entre les approches."
    why = f" {_t(ap.why)}" if ap.why else ""
    ruled_out = "".join(f'<li><span class="label">{_t(course.axes[c].label)}</span> ({escape(c)}) — '
                        f"{_t(why)}</li>" for c, why in case.not_axes.items() if c in course.axes)
    ruled_out = (f'<p class="label">{_t("Axes tentants, mais écartés :")}</p><ul>{ruled_out}</ul>'
                 if ruled_out else "")
    discuss = (f'<p class="discuss"><span class="label">{_t("Cas discuté :")}</span> {_t(case.hesitation)}</p>'
               if case.hesitation else "")
    head = f"{number}. " if number else ""
    return (f'<section class="keycase" data-case="{escape(case.id)}">'
            f"<h2>{head}{_t(case.title)} <small>({escape(case.id)})</small></h2>"
            f'<p class="label">{_t("Axes, du plus au moins important :")}</p><ol>{axes}</ol>{ruled_out}'
            f'<p><span class="label">{_t("Approche :")}</span> {_t(approach)}.{why}</p>'
            f"{_also_accepted(case, course)}{discuss}</section>")


def key_html(cases, course) -> str:
    """Return the key of the handout (cases in the same order and numbering) as one HTML page."""
    body = ("<h1>Corrigé des fiches de cas</h1>"
            f'<p class="meta">{_t("À garder par la personne enseignante : les fiches ne contiennent pas les réponses.")}</p>'
            + "\n".join(key_entry(c, course, i) for i, c in enumerate(cases, 1)))
    return _page("Corrigé des fiches de cas – ockit", body)


# -- PDF ----------------------------------------------------------------------------------------


def find_chromium() -> str:
    """Return the Chromium executable ($OCKIT_CHROMIUM, else the first on PATH, else /usr/bin).

    Raises:
        HandoutError: no Chromium found, with how to install it (in French).
    """
    env = os.environ.get(CHROMIUM_ENV)
    candidates = [env] if env else [*map(shutil.which, CHROMIUM_NAMES), "/usr/bin/chromium"]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK) and Path(candidate).is_file():
            return candidate
    where = f" (variable {CHROMIUM_ENV} : {env})" if env else ""
    raise HandoutError(f"Chromium est introuvable{where} : il sert à produire le PDF. Installez-le "
                       "(« sudo apt-get install chromium » ou « make chromium »), ou donnez son "
                       f"chemin dans la variable {CHROMIUM_ENV}.")


def write_pdf(html_text: str, out, *, chromium: str | None = None, timeout: float = TIMEOUT) -> Path:
    """Print an HTML page to the PDF `out` with headless Chromium; return `out`.

    The page and a throwaway browser profile live in a temporary folder, removed afterwards.
    The PDF is written beside `out` first and renamed over it, so a failed print never leaves
    half a file or spoils an older PDF of the same name.

    Raises:
        HandoutError: Chromium is missing, fails, takes longer than `timeout` seconds, or
            writes no PDF (French message).
    """
    out = Path(out)
    exe = chromium or find_chromium()
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ockit-handout-") as tmp:
        page = Path(tmp) / "page.html"
        page.write_text(html_text, encoding="utf-8")
        pdf = Path(tmp) / "page.pdf"
        command = [exe, *CHROMIUM_ARGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                   f"--print-to-pdf={pdf}", page.resolve().as_uri()]
        done = _run(command, exe, timeout)
        if done.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
            last = (done.stderr or "").strip().splitlines()[-1:] or ["aucun message"]
            raise HandoutError(f"Chromium n'a pas produit le PDF (code {done.returncode}). "
                               f"Dernier message : {last[0]}")
        fd, partial = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        os.close(fd)
        try:
            shutil.copyfile(pdf, partial)
            os.replace(partial, out)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return out


def _run(command, exe, timeout) -> subprocess.CompletedProcess:
    """Run Chromium in its own process group, so that a timeout ends its helper processes too."""
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True, errors="replace",
                                start_new_session=True)
    except OSError as exc:
        raise HandoutError(f"Chromium ({exe}) n'a pas pu être lancé : {exc.strerror or exc}.") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        if hasattr(os, "killpg"):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        else:  # pragma: no cover - Windows
            proc.kill()
        proc.communicate()
        unit = "seconde" if timeout < 2 else "secondes"
        raise HandoutError(f"Chromium n'a pas produit le PDF en {timeout:g} {unit}; "
                           "réessayez quand la machine sera moins occupée.") from None
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def select_cases(course, ids=None) -> list:
    """Return the cases named by `ids` (in that order, duplicates once), or all cases.

    Raises:
        UnknownCaseError: an id is not a case of the course (French message with close ids).
    """
    if not ids:
        return list(course.cases.values())
    return [course.case(cid) for cid in dict.fromkeys(ids)]


def write_handout(out, course, ids=None, *, key: bool = False, **kw) -> Path:
    """Write the case sheets (or, with `key`, their key) for `ids` (default: every case) to `out`."""
    cases = select_cases(course, ids)
    return write_pdf(key_html(cases, course) if key else sheets_html(cases, course), out, **kw)
