"""Export the cases as a Moodle XML question bank, importable into Moodle as is.

Per case, in a category per difficulty (`$course$/ockit/Difficulté N`; Moodle 3.5 and later
file it under the course's "top" category):

- one multiple-answer question on the axes (`multichoice`, `<single>false</single>`): the four
  axes are the answers; each key axis is worth 100/k % (k key axes) and each other axis
  -100/(4-k) %, so that ticking every box scores 0 (Moodle never goes below 0 for a question).
  Every value is one of Moodle's allowed grades (MOODLE_GRADES, the list of
  `question_bank::fraction_options_full()`; the importer accepts a value within 0.001 % of
  one). With three key axes each is worth 33.33333 and they sum to 99.99999: Moodle rounds
  the sum to two decimals before checking that it is 100 %, so it accepts it.
- one single-answer question on the approach, for cases whose dominant approach is known: the
  dominant approach is worth 100 %, the others 0 %.

Each question's general feedback ends with a French sentence saying how Moodle grades it (the
sum of the ticked fractions, kept between 0 and 100 %, beside the kit's Jaccard rule; see
ockit.rules for the three rules compared). Each answer carries feedback from the case's own texts: the rationale for a key axis, the
case's `not_axes` text (else the axis' general `not_fit`) for another axis, the approach's
`why` or `not_fit`. All HTML goes in CDATA sections; text from the data is HTML-escaped first,
so an ampersand or a `<` in a summary shows as written.
"""

from __future__ import annotations

from html import escape as _html_escape
from pathlib import Path

from .model import APPROACH_CODES, AXIS_CODES


def xml_escape(text: str) -> str:
    """xml.sax.saxutils.escape, imported when first needed: a class report uses this module's
    grading rules, never its XML export, and xml.sax pulls in urllib, http and email."""
    from xml.sax.saxutils import escape

    return escape(text)


# Moodle's allowed grades, in percent (question_bank::fraction_options_full(), plus 0).
_POSITIVE = (100, 90, 83.33333, 80, 75, 70, 66.66667, 60, 50, 40, 33.33333, 30, 25, 20,
             16.66667, 14.28571, 12.5, 11.11111, 10, 5)
MOODLE_GRADES = (*_POSITIVE, 0, *(-g for g in reversed(_POSITIVE)))
TOLERANCE = 0.001  # percent; Moodle compares fractions (0..1) within 0.00001
CATEGORY = "$course$/ockit/Difficulté {}"
FEEDBACK = {
    "correct": "Bonne réponse : vous avez retenu exactement les axes de la clé.",
    "partial": "Réponse en partie juste. Relisez la rétroaction de chaque axe.",
    "incorrect": "Ce n'est pas la clé. Relisez la rétroaction de chaque axe, puis le résumé du cas.",
}


AXES_RULE = ("Règle de Moodle pour cette question : la note est la somme des pourcentages des "
             "axes cochés (chaque axe de la clé vaut {key} %, chaque autre axe {other} %), "
             "ramenée entre 0 et 100 %; tout cocher vaut donc 0. La trousse, elle, donne axes justes "
             "÷ axes cochés ou attendus (indice de Jaccard) : les deux notes peuvent différer.")
AXES_RULE_ALL = ("Règle de Moodle pour cette question : la note est la somme des pourcentages des "
                 "axes cochés (chaque axe vaut {key} %). La trousse, elle, donne axes justes ÷ axes "
                 "cochés ou attendus (indice de Jaccard) : les deux notes peuvent différer.")
APPROACH_RULE = ("Règle de Moodle pour cette question : une seule réponse; l'approche dominante vaut "
                 "100 %, toute autre 0 %.")


class MoodleGradeError(ValueError):
    """A grade Moodle would refuse at import (not in its list of allowed grades)."""


def grade(percent: float) -> str:
    """Return `percent` written as the allowed Moodle grade it equals, e.g. "33.33333".

    Raises:
        MoodleGradeError: no allowed grade lies within TOLERANCE of `percent`.
    """
    for allowed in MOODLE_GRADES:
        if abs(percent - allowed) < TOLERANCE:
            return str(int(allowed)) if float(allowed).is_integer() else f"{allowed:.5f}".rstrip("0")
    raise MoodleGradeError(f"Note {percent} % refusée par Moodle : les notes permises sont "
                           f"{', '.join(str(g) for g in MOODLE_GRADES)}.")


def escape(text: str) -> str:
    """HTML-escape element text (&, <, >); quotes stay as written, they are not in attributes."""
    return _html_escape(text, quote=False)


def cdata(text: str) -> str:
    """Wrap text in a CDATA section; a `]]>` inside is split so it cannot close it early."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text(tag: str, html: str, fmt: str = "html") -> str:
    return f'<{tag} format="{fmt}"><text>{cdata(html)}</text></{tag}>'


def _name(text: str) -> str:
    return f"<name><text>{xml_escape(text)}</text></name>"


def _para(text: str | None) -> str:
    return f"<p>{escape(text)}</p>" if text else ""


def _source_note(case) -> str:
    if case.label_provenance == "constructed" or case.source is None:
        return "Vignette pédagogique inventée (cas construit pour le cours)."
    return f"Source : {case.source.citation()}"


def _question_text(case, ask: str) -> str:
    where = f" ({escape(case.territory)})" if case.territory else ""
    return (f"<p><strong>{escape(case.title)}</strong>{where}</p>{_para(case.summary)}"
            f"<p><em>{escape(ask)}</em></p>")


def axis_fractions(key) -> dict[str, str]:
    """Return {axis code: Moodle grade} for a case whose key holds the axes `key`.

    Key axes share 100 %; the other axes share -100 %, so ticking all four scores 0.
    """
    key = [c for c in AXIS_CODES if c in set(key)]
    others = [c for c in AXIS_CODES if c not in key]
    out = {c: grade(100 / len(key)) for c in key}
    out.update({c: grade(-100 / len(others)) for c in others})
    return out


def axes_rule(key) -> str:
    """The French sentence, for the general feedback, saying how Moodle grades the axes question."""
    fractions = axis_fractions(key)
    in_key = [c for c in AXIS_CODES if c in set(key)]
    shown_key = "+" + fractions[in_key[0]].replace(".", ",")
    if len(in_key) == len(AXIS_CODES):
        return AXES_RULE_ALL.format(key=shown_key)
    other = next(c for c in AXIS_CODES if c not in in_key)
    return AXES_RULE.format(key=shown_key, other=fractions[other].replace(".", ",").replace("-", "−"))


def axes_question(case, course) -> str:
    """Return the multiple-answer question on the axes of `case`, as a Moodle XML element."""
    fractions = axis_fractions(case.axes)
    answers = []
    for code in AXIS_CODES:
        axis = course.axes[code]
        if code in case.rationale:
            why = f"Oui. {case.rationale[code]}"
        else:
            why = f"Non. {case.not_axes.get(code) or axis.not_fit}"
        answers.append(f'<answer fraction="{fractions[code]}" format="html">'
                       f"<text>{cdata(escape(axis.label))}</text>"
                       f'{_text("feedback", _para(why))}</answer>')
    key = " + ".join(course.axes[c].label for c in case.axes)
    general = (_para(f"Clé : {key}.") + _para(case.hesitation) + _para(_source_note(case))
               + _para(axes_rule(case.axes)))
    return "\n".join([
        '<question type="multichoice">',
        _name(f"{case.title} – axes"),
        _text("questiontext", _question_text(
            case, "Quels axes de service du cadre de référence du RQIIAC (2020) cette "
                  "intervention touche-t-elle ? Cochez tous ceux qui s'appliquent.")),
        _text("generalfeedback", general),
        "<defaultgrade>1</defaultgrade>", "<penalty>0.3333333</penalty>", "<hidden>0</hidden>",
        "<single>false</single>", "<shuffleanswers>true</shuffleanswers>",
        "<answernumbering>none</answernumbering>",
        _text("correctfeedback", _para(FEEDBACK["correct"])),
        _text("partiallycorrectfeedback", _para(FEEDBACK["partial"])),
        _text("incorrectfeedback", _para(FEEDBACK["incorrect"])),
        "<shownumcorrect/>",
        *answers,
        "</question>",
    ])


def approach_question(case, course) -> str | None:
    """Return the single-answer question on the approach, or None when the key has none."""
    dominant = case.approach.dominant
    if dominant is None:
        return None
    answers = []
    for code in APPROACH_CODES:
        approach = course.approaches[code]
        if code == dominant:
            why = f"Oui. {case.approach.why or approach.definition}"
        elif code in case.approach.secondary:
            why = ("Cette approche est présente dans le cas, mais elle n'y domine pas. "
                   f"{approach.not_fit}")
        else:
            why = f"Non. {approach.not_fit}"
        answers.append(f'<answer fraction="{grade(100 if code == dominant else 0)}" format="html">'
                       f"<text>{cdata(escape(approach.label))}</text>"
                       f'{_text("feedback", _para(why))}</answer>')
    general = _para(f"Approche dominante : {course.approaches[dominant].label}.") + _para(case.approach.why) + _para(APPROACH_RULE)
    return "\n".join([
        '<question type="multichoice">',
        _name(f"{case.title} – approche"),
        _text("questiontext", _question_text(case, "Quelle approche domine dans cette intervention ?")),
        _text("generalfeedback", general),
        "<defaultgrade>1</defaultgrade>", "<penalty>0.3333333</penalty>", "<hidden>0</hidden>",
        "<single>true</single>", "<shuffleanswers>true</shuffleanswers>",
        "<answernumbering>abc</answernumbering>",
        _text("correctfeedback", _para("Bonne réponse.")),
        _text("partiallycorrectfeedback", _para("Réponse en partie juste.")),
        _text("incorrectfeedback", _para("Ce n'est pas l'approche qui domine dans ce cas.")),
        *answers,
        "</question>",
    ])


def _category(difficulty: int) -> str:
    path = CATEGORY.format(difficulty)
    return (f'<question type="category"><category><text>{xml_escape(path)}</text></category>'
            "</question>")


def quiz_xml(course, cases=None) -> str:
    """Return the whole question bank as Moodle XML text (UTF-8 declared).

    Args:
        course: the loaded course.
        cases: the cases to export (default: all), grouped by difficulty, in course order.
    """
    cases = list(course.cases.values()) if cases is None else list(cases)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<quiz>"]
    for difficulty in sorted({c.difficulty for c in cases}):
        parts.append(f"<!-- Difficulté {difficulty} -->")
        parts.append(_category(difficulty))
        for case in (c for c in cases if c.difficulty == difficulty):
            parts.append(axes_question(case, course))
            approach = approach_question(case, course)
            if approach:
                parts.append(approach)
    parts.append("</quiz>")
    return "\n".join(parts) + "\n"


def write_quiz(out, course=None, cases=None) -> Path:
    """Write the Moodle XML question bank to `out` and return its path."""
    if course is None:
        from .data import load

        course = load()
    from .atomic import atomic_write_text

    out = Path(out)
    atomic_write_text(out, quiz_xml(course, cases), shared=True)  # never half a bank
    return out
