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

    from ..templates import CaseTemplateError, check_case_id, default_folder, write_case_template

    try:
        check_case_id(args.case_id)  # before the id is used in any path
    except CaseTemplateError as exc:
        print(exc, file=sys.stderr)
        return 1
    folder = Path(args.folder) if args.folder else default_folder(args.extra)
    taken = _taken_by(args, args.case_id)
    if taken:
        print(f"L'identifiant « {args.case_id} » est déjà pris : {taken}. Choisissez-en un autre : "
              "deux cas ne peuvent porter le même identifiant.", file=sys.stderr)
        return 1
    try:
        path = write_case_template(args.case_id, folder)
    except CaseTemplateError as exc:
        print(exc, file=sys.stderr)
        return 1
    root = path.parent.parent if path.parent.name == "cases" else path.parent
    print(f"Gabarit écrit : {path}\nRemplissez-le, puis vérifiez-le avec : "
          f"ockit validate --extra {root}")
    return 0


def _taken_by(args, case_id):
    """Where `case_id` is already used: a case file of the kit's data or of an extra folder.

    File names are enough (a case's id is its file name), so half-filled local cases, which
    would not load yet, never stop a new template from being written.
    """
    from ..data import data_dirs

    base, extras = data_dirs(args.data, args.extra)
    for folder in (base, *extras):
        path = folder / "cases" / f"{case_id}.yaml"
        if path.exists():
            return str(path)
    return None
