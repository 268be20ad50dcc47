"""How far two independent annotations of the same cases agree, and a class's agreement beside it.

The issue calls them "experts"; the French text says « deux annotations indépendantes », since
who annotated is the data's to say, not the code's.

A double-annotated set is a YAML list (or a mapping with a `cases` list) of items:

    - id: some-case
      description: ...
      key: {axes: [DSS, ORG], approach: SOCIOCOM}
      annotator_1: {axes: [DSS], approach: SOCIOCOM}
      annotator_2: {axes: [DSS, ORG], approach: null}

`read_double(path)` reads it, never trusting it (French errors naming the file, the item and
the field). `expert_agreement(items)` gives, per axis, Cohen's kappa and the percent agreement
between the two annotators (each item is a yes/no decision: is the axis there?), and the same
on the dominant approach (one choice among the four, or « non tranchée »). `class_vs_experts_html`
is the class report's section that sets the class's Fleiss kappa per axis beside the experts'
figure, so that an instructor tells a confused class from a hard axis. `hesitation_note(case)`
is the text shown, after the learner has answered, for a hard case that says why it is discussed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .model import APPROACH_CODES, AXIS_CODES

ANNOTATORS = ("annotator_1", "annotator_2")
NONE = "aucune"  # the approach category of a null approach
# Below this gap, a class kappa is read as « close to the experts' » (both on the same scale).
CLOSE = 0.15


class AgreementError(ValueError):
    """A double-annotation file that cannot be used; the French message names where."""


@dataclass(frozen=True)
class Annotation:
    axes: frozenset
    approach: str | None
    first: str | None = None  # the axis listed first: the annotator's main axis


@dataclass(frozen=True)
class DoubleItem:
    id: str
    description: str
    key: Annotation | None
    first: Annotation
    second: Annotation


@dataclass(frozen=True)
class Agreement:
    """Agreement of two raters on one decision: kappa (None when undefined), percent, size."""

    kappa: float | None
    percent: float
    n: int
    table: dict  # (label_1, label_2) -> count


@dataclass(frozen=True)
class ExpertAgreement:
    axes: dict        # axis code -> Agreement (yes/no per item)
    approach: Agreement
    n: int            # items
    first_axis: Agreement | None = None  # on the axis each annotation lists first
    exact: float = float("nan")          # share of items with the very same set of axes

    @property
    def least_agreed_axes(self) -> tuple[str, ...]:
        """The axes with the lowest kappa, several when tied (kappas equal to 3 decimals)."""
        defined = {c: round(a.kappa, 3) for c, a in self.axes.items() if a.kappa is not None}
        if not defined:
            return ()
        low = min(defined.values())
        return tuple(c for c in AXIS_CODES if defined.get(c) == low)

    @property
    def least_agreed(self) -> str | None:
        """The first of `least_agreed_axes` in the reference order, or None."""
        return (self.least_agreed_axes or (None,))[0]


def _annotation(value, file, item_id, field) -> Annotation:
    where = f"{file} (cas {item_id}, champ {field})"
    if not isinstance(value, dict):
        raise AgreementError(f"{where} : il faut un objet avec axes et approach.")
    axes = value.get("axes")
    if not isinstance(axes, list) or not all(isinstance(a, str) for a in axes):
        raise AgreementError(f"{where} : axes doit être une liste de codes d'axes.")
    bad = [a for a in axes if a not in AXIS_CODES]
    if bad:
        raise AgreementError(f"{where} : code d'axe inconnu « {bad[0]} »; codes valides : "
                             f"{', '.join(AXIS_CODES)}.")
    approach = value.get("approach")
    if approach is not None and approach not in APPROACH_CODES:
        raise AgreementError(f"{where} : approche inconnue « {approach} »; codes valides : "
                             f"{', '.join(APPROACH_CODES)} (ou null).")
    return Annotation(frozenset(axes), approach, axes[0] if axes else None)


def parse_double(data, file="<données>") -> list[DoubleItem]:
    """Validate decoded YAML as a double-annotated set (see the module docstring)."""
    if isinstance(data, dict):
        data = data.get("cases", data.get("items"))
    if not isinstance(data, list) or not data:
        raise AgreementError(f"{file} : il faut une liste non vide de cas annotés deux fois.")
    items, seen = [], set()
    for n, raw in enumerate(data, 1):
        if not isinstance(raw, dict):
            raise AgreementError(f"{file} (élément n° {n}) : chaque élément doit être un objet.")
        item_id = raw.get("id")
        if not isinstance(item_id, str) or not item_id:
            raise AgreementError(f"{file} (élément n° {n}, champ id) : identifiant absent.")
        if item_id in seen:
            raise AgreementError(f"{file} (cas {item_id}, champ id) : identifiant en double.")
        seen.add(item_id)
        first, second = (_annotation(raw.get(f), file, item_id, f) for f in ANNOTATORS)
        key = _annotation(raw["key"], file, item_id, "key") if raw.get("key") is not None else None
        description = raw.get("description")
        items.append(DoubleItem(item_id, description if isinstance(description, str) else "",
                                key, first, second))
    return items


def read_double(path) -> list[DoubleItem]:
    """Read a double-annotated YAML file. Raises AgreementError (French) if it cannot be used.

    The file may come from an instructor: it is read as untrusted (ockit.safeyaml: a regular
    file of bounded size, no alias bomb, no duplicate key, no control character).
    """
    from .safeyaml import load_yaml_or_raise

    path = Path(path)
    return parse_double(load_yaml_or_raise(path, AgreementError), path)


def cohen_kappa(first, second) -> Agreement:
    """Cohen's kappa and percent agreement of two raters' labels on the same items.

    kappa = (pₒ - pₑ) / (1 - pₑ), pₒ the share of items where they agree, pₑ = Σₖ p₁ₖ p₂ₖ the
    agreement expected if each rater labelled at random with their own frequencies. None when
    pₑ = 1 (both raters always gave the same single label: agreement by chance is total).
    """
    first, second = list(first), list(second)
    if len(first) != len(second):
        raise ValueError("les deux listes d'annotations n'ont pas la même longueur")
    n = len(first)
    table = Counter(zip(first, second))
    if not n:
        return Agreement(None, float("nan"), 0, {})
    p_o = sum(c for (a, b), c in table.items() if a == b) / n
    one, two = Counter(first), Counter(second)
    p_e = sum(one[k] * two[k] for k in one) / (n * n)
    kappa = None if p_e >= 1 - 1e-12 else (p_o - p_e) / (1 - p_e)
    return Agreement(kappa, p_o, n, dict(table))


def expert_agreement(items) -> ExpertAgreement:
    """Agreement of the two annotators, per axis (present or not) and on the approach."""
    items = list(items)
    axes = {code: cohen_kappa([code in i.first.axes for i in items], [code in i.second.axes for i in items])
            for code in AXIS_CODES}
    approach = cohen_kappa([i.first.approach or NONE for i in items], [i.second.approach or NONE for i in items])
    first = cohen_kappa([i.first.first or NONE for i in items], [i.second.first or NONE for i in items])
    exact = sum(i.first.axes == i.second.axes for i in items) / len(items) if items else float("nan")
    return ExpertAgreement(axes, approach, len(items), first, exact)


def disagreements(items, code: str) -> list[DoubleItem]:
    """The items where the two annotators disagree on axis `code` (or on the approach: "approach")."""
    if code == "approach":
        return [i for i in items if i.first.approach != i.second.approach]
    return [i for i in items if (code in i.first.axes) != (code in i.second.axes)]


def _num(value) -> str:
    return "—" if value is None or value != value else f"{value:.2f}".replace(".", ",")


def _pct(value) -> str:
    return "—" if value is None or value != value else f"{round(value * 100)} %"


def describe(result: ExpertAgreement, course) -> str:
    """Return the experts' agreement in French sentences, with the size of the set."""
    lines = [f"Les mêmes {result.n} cas ont été classés deux fois, de façon indépendante "
             "(deux annotations à l'aveugle)."]
    for code, a in result.axes.items():
        lines.append(f"Axe {course.axes[code].label} : d'accord sur {_pct(a.percent)} des cas "
                     f"(kappa de Cohen {_num(a.kappa)}).")
    a = result.approach
    lines.append(f"Approche dominante : d'accord sur {_pct(a.percent)} des cas (kappa {_num(a.kappa)}).")
    if result.first_axis is not None:
        lines.append(f"Axe principal (le premier nommé) : d'accord sur {_pct(result.first_axis.percent)} "
                     f"des cas; exactement les mêmes axes : {_pct(result.exact)} des cas.")
    least = _least(result, course)
    if least:
        lines.append(least)
    return "\n".join(lines)


def _least(result: ExpertAgreement, course) -> str:
    axes = result.least_agreed_axes
    if not axes:
        return ""
    if len(axes) == 1:
        return f"L'axe le moins consensuel est {course.axes[axes[0]].label}."
    names = ", ".join(course.axes[c].label for c in axes[:-1]) + f" et {course.axes[axes[-1]].label}"
    return f"Les axes les moins consensuels, à égalité, sont {names}."


def expert_table(result: ExpertAgreement, course):
    """Return the experts' agreement as a charts.Table: one row per axis, then the approach."""
    from .charts import Table

    rows = [{"Décision": f"Axe {code} – {course.axes[code].label}", "Accord": _pct(a.percent),
             "Kappa de Cohen": _num(a.kappa), "Cas": a.n} for code, a in result.axes.items()]
    a = result.approach
    rows.append({"Décision": "Approche dominante", "Accord": _pct(a.percent), "Kappa de Cohen": _num(a.kappa),
                 "Cas": a.n})
    return Table(rows, ["Décision", "Accord", "Kappa de Cohen", "Cas"])


def reading(class_kappa, expert_kappa) -> str:
    """How to read a class kappa beside the experts' one on the same axis (French)."""
    undefined = lambda v: v is None or v != v  # noqa: E731
    if undefined(class_kappa) or undefined(expert_kappa):
        return "non comparable (kappa non calculable)"
    if class_kappa < expert_kappa - CLOSE:
        return "la classe s'accorde bien moins que les deux annotations : axe à reprendre en classe"
    if class_kappa > expert_kappa + CLOSE:
        return "la classe s'accorde plus que les deux annotations : vérifier qu'elle voit les nuances"
    if expert_kappa < 0.4:
        return "proche des deux annotations, et l'axe divise même celles-ci : à discuter comme tel"
    return "proche des deux annotations"


def class_vs_experts_html(class_agreement, expert: ExpertAgreement, course) -> str:
    """The class report's section: the class's Fleiss kappa per axis beside the experts' kappa.

    Args:
        class_agreement: the DataFrame of `classroom.agreement_table` (columns axis, kappa).
        expert: the experts' agreement (`expert_agreement(read_double(...))`).
    """
    by_axis = {row.axis: row.kappa for row in class_agreement.itertuples(index=False)}
    rows = []
    for code in AXIS_CODES:
        ek = expert.axes[code].kappa
        ck = by_axis.get(code)
        cells = [f"<td>{escape(code + ' – ' + course.axes[code].label)}</td>"]
        cells += [f'<td class="num">{escape(v)}</td>' for v in (_num(ck), _num(ek), _pct(expert.axes[code].percent))]
        cells.append(f"<td>{escape(reading(ck, ek))}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    head = "".join(f"<th>{escape(h)}</th>" for h in (
        "axe", "kappa de la classe (Fleiss)", "kappa entre les deux annotations (Cohen)",
        "accord entre les deux annotations", "lecture"))
    least = _least(expert, course)
    least_text = f" {least}" if least else ""
    return (
        "<h2>La classe et la double annotation</h2>"
        f"<p>Les mêmes {expert.n} cas ont été classés deux fois, de façon indépendante, à partir "
        "des définitions des sources. Le kappa entre ces deux annotations dit jusqu'où un axe prête "
        "à discussion même avec les définitions en main. Un kappa de classe bien plus bas signale "
        "une classe qui hésite là où les deux annotations s'entendent; un kappa bas des deux "
        "côtés, un axe difficile en soi."
        f"{escape(least_text)}</p>"
        + f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
        '<p class="note">Les deux kappas sont sur la même échelle (1 = accord parfait, 0 = accord '
        "attendu par hasard), mais ne portent pas sur les mêmes cas : une comparaison indicative, "
        f"à lire avec l'écart de {_num(CLOSE)} retenu ici.</p>"
    )


def hesitation_note(case) -> str | None:
    """The text to show after the learner has answered a hard case (difficulty 3), or None.

    Shown only once the learner has answered: read before, it would give the answer away.
    """
    if getattr(case, "difficulty", 0) < 3 or not getattr(case, "hesitation", None):
        return None
    return "Ce cas est discuté, même entre personnes expérimentées : " + case.hesitation.strip()
