"""Feedback on a learner's justification: which of their own words point to an axis or an approach.

After « Vérifier », the learner sees the phrases of their justification that the suggester's
cue lexicon recognizes (`ockit.suggest(text).evidence`), grouped by the axis or approach they
point to, and whether they ticked that axis or chose that approach. It is not a grade: the
lexicon knows some words of the trade, not what makes a justification good, and the text says
so. Words the suggester only learned from the kit's cases (`Suggestion.learned`) are left out
by default: they are frequent in cases, not evidence.

The coupling with the suggester is two attributes of its Suggestion: `evidence` (code ->
verbatim phrases of the text) and, optionally, `learned` (the same for learned words).
Everything shown is HTML-escaped, the learner's phrases first of all.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from .model import APPROACH_CODES, AXIS_CODES

MAX_PHRASES = 6  # per code, strongest first
NOT_A_GRADE = ("Ce repérage ne note pas votre justification : il montre seulement les mots que la "
               "trousse reconnaît comme des indices. Une bonne justification relie ces mots à ce que "
               "l'OC fait dans le cas.")


@dataclass(frozen=True)
class Pointer:
    """Phrases of the justification that point to one axis or approach."""

    code: str
    kind: str  # "axe" | "approche"
    label: str
    phrases: tuple[str, ...]
    picked: bool | None  # the learner ticked / chose it; None when the answer is not given
    from_case: tuple[bool, ...] = ()  # per phrase: the case's own text says it too


@dataclass(frozen=True)
class JustificationFeedback:
    """The feedback, as data (`pointers`), escaped HTML (`html`) and plain French text (`text`)."""

    pointers: tuple[Pointer, ...]
    html: str
    text: str


def _without_parts(phrases) -> list[str]:
    """Drop a phrase that is part of a longer one kept (« quartier » beside « table de quartier »)."""
    from .text import normalize

    norm = {p: f" {normalize(p)} " for p in phrases}
    return [p for p in phrases
            if not any(q != p and norm[p] != norm[q] and norm[p] in norm[q] for q in phrases)]


def pointers(justification: str | None, course=None, *, axes=None, approach=None,
             learned: bool = False, case=None) -> tuple[Pointer, ...]:
    """Return what the justification's words point to: axes first (reference order), then approaches.

    Args:
        justification: the learner's text (None or blank gives no pointer).
        course: the loaded course (default: the kit's).
        axes, approach: the learner's answer, to say whether each pointed code was picked.
        learned: also count the words the suggester learned from the cases.
        case: the case answered; each phrase then says whether the case's text holds it too.
    """
    if not justification or not justification.strip():
        return ()
    if course is None:
        from .data import load

        course = load()
    from .suggester import suggest

    result = suggest(justification, course=course)
    skip = {} if learned else (getattr(result, "learned", None) or {})
    from .text import normalize

    chosen_axes = None if axes is None else set(axes)
    case_words = f" {normalize(case.title + ' . ' + case.summary)} " if case is not None else ""
    out = []
    for code in AXIS_CODES + APPROACH_CODES:
        left_out = set(skip.get(code, ()))
        phrases = [p for p in result.evidence.get(code, ()) if p not in left_out]
        phrases = _without_parts(list(dict.fromkeys(" ".join(p.split()) for p in phrases)))[:MAX_PHRASES]
        if not phrases:
            continue
        in_case = tuple(f" {normalize(p)} " in case_words for p in phrases) if case_words else ()
        if code in AXIS_CODES:
            picked = None if chosen_axes is None else code in chosen_axes
            out.append(Pointer(code, "axe", course.axes[code].label, tuple(phrases), picked, in_case))
        else:
            picked = None if axes is None and approach is None else approach == code
            out.append(Pointer(code, "approche", course.approaches[code].label, tuple(phrases), picked,
                               in_case))
    return tuple(out)


def _quoted(p: Pointer) -> str:
    marks = p.from_case or (False,) * len(p.phrases)
    return ", ".join(f"«\u00a0{phrase}\u00a0»" + (" (mots du cas)" if mark else "")
                     for phrase, mark in zip(p.phrases, marks))


def _target(p: Pointer) -> str:
    if p.kind == "axe":
        text = f"l'axe {p.label} ({p.code})"
        if p.picked is not None:
            text += ", que vous avez coché" if p.picked else ", que vous n'avez pas coché"
    else:
        text = f"l'approche {p.label}"
        if p.picked is not None:
            text += ", que vous avez choisie" if p.picked else ", que vous n'avez pas choisie"
    return text


def feedback(justification: str | None, course=None, *, axes=None, approach=None,
             learned: bool = False, case=None) -> JustificationFeedback:
    """Return the feedback on a justification, ready to show after « Vérifier » (see the module).

    Give the learner's `axes` and `approach` to say whether each code pointed to was picked,
    and the `case` to mark the phrases the case's own text holds (« mots du cas »).
    """
    found = pointers(justification, course, axes=axes, approach=approach, learned=learned, case=case)
    if not justification or not justification.strip():
        text = ("Vous n'avez pas écrit de justification. La prochaine fois, notez les mots du cas "
                "qui vous ont fait choisir : la trousse vous montrera ceux qu'elle reconnaît.")
        return JustificationFeedback((), f'<p class="ockit-justification">{escape(text)}</p>', text)
    if not found:
        text = ("Aucun mot de votre justification ne correspond aux indices que la trousse "
                "reconnaît. Ce n'est pas une erreur : vos mots peuvent être justes sans figurer "
                "dans son lexique. " + NOT_A_GRADE)
        return JustificationFeedback((), f'<p class="ockit-justification">{escape(text)}</p>', text)
    head = "Dans votre justification, ces mots renvoient à un axe ou à une approche :"
    lines = [f"{_quoted(p)} → {_target(p)}" for p in found]
    text = "\n".join([head, *(f"- {line}" for line in lines), NOT_A_GRADE])
    items = "".join(f"<li>{escape(line)}</li>" for line in lines)
    page = (f'<div class="ockit-justification"><p>{escape(head)}</p><ul>{items}</ul>'
            f'<p><em>{escape(NOT_A_GRADE)}</em></p></div>')
    return JustificationFeedback(found, page, text)
