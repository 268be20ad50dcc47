"""`ockit handout --out fiches.pdf [--cases ID ...] [--key]`: printable case sheets (PDF)."""

import sys

NAME = "handout"
HELP = "imprimer les fiches de cas en PDF (une page par cas), ou leur corrigé avec --key"
ORDER = 75


def add_arguments(parser):
    parser.add_argument("--out", required=True, metavar="FICHIER.pdf",
                        help="fichier PDF à écrire (remplacé s'il existe)")
    parser.add_argument("--cases", nargs="+", metavar="ID",
                        help="identifiants des cas à imprimer, dans cet ordre (par défaut : tous "
                             "les cas, dans l'ordre de l'atelier)")
    parser.add_argument("--key", action="store_true",
                        help="écrire le corrigé (axes dans l'ordre, approche, raisons) au lieu des "
                             "fiches à remplir; à garder à part")


def run(args) -> int:
    from ..handout import HandoutError, select_cases, write_handout
    from ..model import UnknownCaseError
    from . import course_from

    course = course_from(args)
    try:
        cases = select_cases(course, args.cases)
    except UnknownCaseError as exc:
        print(f"Aucun PDF écrit. Option --cases : {exc}", file=sys.stderr)
        return 1
    try:
        out = write_handout(args.out, course, [c.id for c in cases], key=args.key)
    except HandoutError as exc:
        print(f"Aucun PDF écrit. {exc}", file=sys.stderr)
        return 1
    what = "corrigé" if args.key else "fiches"
    print(f"{out} : {what} de {len(cases)} cas.")
    return 0
