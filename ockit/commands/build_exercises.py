"""`ockit build-exercises`: write exercises/ from solutions/, or check that it is up to date."""

import sys

NAME = "build-exercises"
HELP = "générer les carnets d'exercices (exercises/) à partir des solutions (solutions/)"
ORDER = 60


def add_arguments(parser):
    parser.add_argument("--check", action="store_true",
                        help="ne rien écrire; échouer si exercises/ n'est plus à jour")
    parser.add_argument("--no-execute", action="store_true",
                        help="ne pas exécuter les carnets générés (leurs sorties resteront vides)")
    parser.add_argument("--solutions", metavar="DOSSIER", help="dossier des solutions (défaut : solutions/ du dossier courant, "
                        "sinon celui du dépôt de la trousse)")
    parser.add_argument("--exercises", metavar="DOSSIER", help="dossier des exercices (défaut : exercises/ à côté du dossier des solutions)")


def run(args) -> int:
    from pathlib import Path

    from .. import exercises as ex
    from ..data import shown_path

    default_solutions, default_exercises = ex.default_folders()
    solutions = Path(args.solutions) if args.solutions else default_solutions
    # Without --exercises, exercises/ sits beside the solutions folder that was read.
    exercises = Path(args.exercises) if args.exercises else (
        solutions.parent / "exercises" if args.solutions else default_exercises)
    try:
        if args.check:
            stale = ex.check(solutions, exercises)
            for item in stale:
                print(f"Exercice périmé : {shown_path(item.exercise)} ({item.reason}).", file=sys.stderr)
            if stale:
                print(ex.REMEDY, file=sys.stderr)
                return 1
            print(f"{shown_path(exercises)} est à jour ({len(list(solutions.glob('*.ipynb')))} carnets).")
            return 0
        written = ex.build(solutions, exercises, run=not args.no_execute,
                           say=lambda line: print(line, file=sys.stderr, flush=True))
    except ex.MarkerError as exc:
        print(f"Marqueurs de solution invalides : {exc}", file=sys.stderr)
        return 1
    except ex.GraderMetadataError as exc:
        print(f"Métadonnées nbgrader invalides : {exc}", file=sys.stderr)
        return 1
    except ex.BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written:
        print(f"Écrit : {shown_path(path)}")
    return 0
