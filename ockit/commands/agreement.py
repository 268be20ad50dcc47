"""`ockit agreement DOUBLE.yaml`: how far two annotators agree, per axis and on the approach."""

import sys

NAME = "agreement"
HELP = ("accord entre deux annotations indépendantes des mêmes cas (kappa de Cohen et "
        "pourcentage d'accord, par axe et pour l'approche)")
ORDER = 65


def add_arguments(parser):
    parser.add_argument("fichier", metavar="FICHIER.yaml",
                        help="cas annotés deux fois : liste d'objets id, description, key, "
                             "annotator_1 {axes, approach}, annotator_2 {axes, approach}")
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def run(args) -> int:
    from ..agreement import AgreementError, describe, disagreements, expert_agreement, read_double
    from . import course_from, print_json

    try:
        items = read_double(args.fichier)
    except AgreementError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    result = expert_agreement(items)
    if args.json:
        def one(a):
            return {"kappa": None if a.kappa is None else round(a.kappa, 4),
                    "percent": round(a.percent, 4), "n": a.n}
        print_json({"n": result.n, "axes": {c: one(a) for c, a in result.axes.items()},
                    "approach": one(result.approach), "first_axis": one(result.first_axis),
                    "exact": round(result.exact, 4), "least_agreed": result.least_agreed,
                    "least_agreed_axes": list(result.least_agreed_axes),
                    "disagreements": {c: [i.id for i in disagreements(items, c)]
                                      for c in [*result.axes, "approach"]}})
        return 0
    course = course_from(args)
    print(describe(result, course))
    for code in result.least_agreed_axes:
        ids = ", ".join(i.id for i in disagreements(items, code))
        print(f"Cas où les deux annotations diffèrent sur l'axe {code} : {ids}.")
    return 0
