"""`ockit class-report`: the class report (HTML, figures, CSV tables) from a folder of submissions."""

import sys

NAME = "class-report"
HELP = "produire le rapport de classe (HTML et tableaux CSV) à partir d'un dossier de remises"
ORDER = 60
PROGRESS_FROM = 20  # files; below this a run is short and a progress line is noise
QUICK_EXIT = True  # every file is written and closed when run() returns (see ockit.cli.console)


def add_arguments(parser):
    parser.add_argument("folder", metavar="DOSSIER", help="dossier qui contient les remises (*.json)")
    parser.add_argument("--out", metavar="DOSSIER", required=True,
                        help="dossier où écrire report.html, answers.csv, cases.csv, agreement.csv et "
                             "grades.csv (une note sur 100 par apprenant·e)")
    parser.add_argument("--anonymize", action="store_true",
                        help="remplacer les noms par des pseudonymes stables (apprenant-xxxxxxxxxx) "
                             "partout : rapport, tableaux CSV, terminal, --json; les fichiers écartés "
                             "sont désignés par un numéro (fichier n° N), jamais par leur nom. Le "
                             "pseudonyme est tiré du nom et d'un sel : par défaut le sel public de la "
                             "trousse, avec lequel quiconque connaît un nom peut retrouver son "
                             "pseudonyme; donnez un secret à la variable OCKIT_PSEUDONYM_SALT pour "
                             "l'empêcher (gardez-le pour garder les mêmes pseudonymes)")
    parser.add_argument("--experts", metavar="FICHIER", default="kit",
                        help="double annotation dont l'accord est mis à côté de celui de la classe "
                             "(par défaut, celle de la trousse : data/evaluation/blind-2026.yaml)")
    parser.add_argument("--json", action="store_true", help="résumé en JSON sur la sortie standard")


def _progress():
    """Return a callback printing a French line on stderr at each further 10 % of the files."""
    shown = [0]

    def report(done, total):
        if total < PROGRESS_FROM:
            return
        tenth = done * 10 // total
        if tenth > shown[0]:
            shown[0] = tenth
            print(f"Lecture des remises : {tenth * 10} % ({done} fichiers sur {total})",
                  file=sys.stderr, flush=True)

    return report


def _printable(text: str) -> str:
    """Drop control characters a foreign file could use to garble the terminal."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def run(args) -> int:
    from ..report import gc_paused, write_report
    from . import course_from, print_json

    with gc_paused():  # the course's YAML too (see gc_paused)
        return _run(args, course_from(args), write_report, print_json)


def _run(args, course, write_report, print_json) -> int:
    from pathlib import Path

    folder, out = Path(args.folder), Path(args.out)
    problem, remedy = None, " Indiquez le dossier qui contient les fichiers .json des remises."
    if not folder.exists():
        problem = f"Dossier de remises introuvable : {folder}."
    elif not folder.is_dir():
        problem = f"{folder} n'est pas un dossier."
    elif not any(folder.glob("*.json")):
        problem = f"Aucun fichier .json dans {folder} : rien à mettre dans un rapport."
        # One folder per person (Kubernetes' {username} volumes): say so, never naming them
        # (a subfolder's name is an account, and --anonymize prints no name).
        nested = sum(1 for sub in folder.iterdir() if sub.is_dir() and any(sub.glob("*.json")))
        if nested:
            problem += (f" {nested} sous-dossier(s) en contiennent, mais seul le premier niveau est "
                        f"lu : copiez d'abord les remises dans un même dossier (p. ex. "
                        f"cp {folder}/*/*.json remises-classe/), puis donnez ce dossier.")
            remedy = ""
    if problem:
        print(f"{problem}{remedy}", file=sys.stderr)
        return 1
    if out.exists() and not out.is_dir():
        print(f"{out} existe déjà et n'est pas un dossier : choisissez un autre nom pour --out.",
              file=sys.stderr)
        return 1
    from ..agreement import AgreementError
    from ..reportfigures import FigureError

    try:
        result = write_report(args.folder, args.out, course, anonymize=args.anonymize,
                              progress=_progress(), experts=args.experts)
    except AgreementError as exc:
        print(f"Double annotation inutilisable ({args.experts}) : {exc}", file=sys.stderr)
        return 1
    except FigureError as exc:
        print(f"{exc} Les tableaux CSV sont écrits dans {out}; report.html n'a pas été modifié. "
              "Relancez la commande; si l'erreur revient, signalez-la avec ce message.", file=sys.stderr)
        return 1
    data = result.data
    for rejected in data.rejected:
        print(f"Fichier écarté : {_printable(rejected.file)} : {_printable(rejected.reason)}",
              file=sys.stderr)
    if args.json:
        print_json({"report": str(result.html), "tables": {k: str(v) for k, v in result.tables.items()},
                    "files": data.files, "learners": data.learners, "answers": len(data.answers),
                    "rejected": [{"file": r.file, "reason": r.reason} for r in data.rejected]})
    else:
        print(f"Rapport écrit : {result.html} ({data.learners} apprenant·es, {len(data.answers)} "
              f"réponses, {len(data.rejected)} fichier(s) écarté(s)).")
    return 0
