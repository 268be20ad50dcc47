"""`ockit new-case`: write a commented French template for a local case, to fill in."""

import sys

NAME = "new-case"
HELP = "créer le gabarit commenté d'un cas local (fichier YAML à remplir)"
ORDER = 80


def add_arguments(parser):
    parser.add_argument("case_id", metavar="ID",
                        help="identifiant du cas, en kebab-case (p. ex. cuisine-collective-limoilou)")
    parser.add_argument("--folder", metavar="DOSSIER",
                        help="dossier où écrire ID.yaml (par défaut : cases/ du premier dossier "
                             "--extra ou de OCKIT_EXTRA_DATA, sinon ./cas-locaux/cases/)")


def run(args) -> int:
    from pathlib import Path

    from ..templates import CaseTemplateError, default_folder, write_case_template

    folder = Path(args.folder) if args.folder else default_folder(args.extra)
    try:
        path = write_case_template(args.case_id, folder)
    except CaseTemplateError as exc:
        print(exc, file=sys.stderr)
        return 1
    root = path.parent.parent if path.parent.name == "cases" else path.parent
    print(f"Gabarit écrit : {path}\nRemplissez-le, puis vérifiez-le avec : "
          f"ockit validate --extra {root}")
    return 0
