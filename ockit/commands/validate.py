"""`ockit validate`: check every file of the course data, report every problem."""

import sys

NAME = "validate"
HELP = "vérifier les données du cours (axes, cadres, cas) et signaler chaque problème"
ORDER = 10


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def run(args) -> int:
    from ..data import REMEDY, validate
    from . import print_json

    problems = validate(args.data, args.extra)
    if args.json:
        print_json({"valid": not problems, "problems": [
            {"file": p.file, "case": p.case, "field": p.field, "line": p.line,
             "expected": p.expected, "found": p.found, "message": p.message()} for p in problems]})
        return 1 if problems else 0
    if not problems:
        from ..data import load

        course = load(args.data, args.extra)
        print(f"Données valides : {len(course.cases)} cas, {len(course.frameworks)} cadres, "
              f"{len(course.acts)} actes professionnels.")
        return 0
    count = len(problems)
    print(f"{count} problème{'s' if count > 1 else ''} trouvé{'s' if count > 1 else ''} :", file=sys.stderr)
    for problem in problems:
        print(f"- {problem.message()}", file=sys.stderr)
    print(REMEDY, file=sys.stderr)
    return 1
