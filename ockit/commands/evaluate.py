"""`ockit evaluate`: leave-one-out on the cases, the suggester beside a naive-Bayes baseline."""

NAME = "evaluate"
HELP = ("évaluer le suggesteur par validation croisée « un cas laissé de côté », "
        "à côté d'un classifieur bayésien naïf")
ORDER = 45


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def table(results, axes) -> str:
    """Return the side-by-side French table of leave-one-out results."""
    ours, base = results["suggester"], results["naive_bayes"]
    rows = [("mesure", "suggesteur", "bayésien naïf")]
    rows.append(("axes : F1 micro", _p(ours.micro_f1), _p(base.micro_f1)))
    for code in axes:
        rows.append((f"  F1 {code}", _p(ours.axis_f1[code]), _p(base.axis_f1[code])))
    rows.append(("approche : exactitude", _p(ours.approach_accuracy), _p(base.approach_accuracy)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    out = [f"Validation « un cas laissé de côté » sur {ours.cases} cas "
           f"({ours.approach_cases} avec une approche dominante) :", ""]
    out += ["  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
            for r in rows]
    out += ["", "Chaque cas est prédit par des modèles appris sur tous les autres cas seulement."]
    return "\n".join(out)


def _p(x: float) -> str:
    return f"{x:.3f}".replace(".", ",")


def run(args) -> int:
    from ..evaluation import leave_one_out
    from . import course_from, print_json

    course = course_from(args)
    if len(course.cases) < 2:
        print("Il faut au moins deux cas pour une validation croisée.")
        return 1
    results = leave_one_out(course)
    if args.json:
        print_json({name: m.to_dict() for name, m in results.items()})
    else:
        print(table(results, list(course.axes)))
    return 0
