"""`ockit export-submission`: write the learner's saved answers as a submission file."""

import os
import sys

NAME = "export-submission"
HELP = "écrire le fichier de remise à partir des réponses enregistrées par les exercices"
ORDER = 60


def default_learner() -> str:
    """Return $JUPYTERHUB_USER (on a hub), else $USER (or $USERNAME on Windows), else "anonyme"."""
    return (os.environ.get("JUPYTERHUB_USER") or os.environ.get("USER") or os.environ.get("USERNAME")
            or "").strip() or "anonyme"


def next_step(exc) -> str:
    """Return what to do after a ProgressError, in French (" ..." or "" when there is no store)."""
    from ..progress import NothingToExport

    if isinstance(exc, NothingToExport):
        return ""
    if getattr(exc, "damaged", False):
        return (" Ce fichier est laissé tel quel : rien n'y a été changé. Pour repartir, ouvrez un "
                "exercice dans un carnet : la trousse mettra ce fichier de côté (sans l'effacer) et "
                "repartira d'un fichier neuf; vos nouvelles réponses pourront ensuite être exportées. "
                "Pour récupérer les anciennes, montrez le fichier mis de côté à votre enseignant·e.")
    return (" Rien n'y a été changé. Vérifiez le chemin donné par l'option --progress ou par la "
            "variable OCKIT_PROGRESS, puis relancez la commande.")


def add_arguments(parser):
    parser.add_argument("--out", metavar="FICHIER",
                        help="fichier de remise à écrire (JSON, format ockit-submission/1); "
                             "facultatif quand la variable OCKIT_HANDIN nomme le dossier de remise "
                             "de la classe, où une copie est alors toujours déposée sous un nouveau nom")
    parser.add_argument("--learner", metavar="NOM",
                        help="nom ou numéro d'étudiant·e inscrit dans la remise "
                             "(par défaut : la variable USER, sinon « anonyme »)")
    parser.add_argument("--progress", metavar="FICHIER",
                        help="fichier de progression à lire (par défaut : la variable "
                             "OCKIT_PROGRESS, sinon progress.json dans le dossier de données "
                             "de l'utilisateur·rice)")
    parser.add_argument("--json", action="store_true",
                        help="afficher un résumé en JSON (fichier, apprenant·e, nombre de réponses)")


def run(args) -> int:
    from ..progress import ProgressError, Store
    from ..submission import SubmissionError
    from . import print_json

    from ..handin import ENV, HandinError, handin_folder, notice

    learner = (args.learner or "").strip() or default_learner()
    if not args.out and handin_folder() is None:
        print(f"Rien n'a été exporté : indiquez le fichier à écrire avec --out FICHIER, ou le dossier "
              f"de remise de la classe avec la variable {ENV}.", file=sys.stderr)
        return 2
    try:
        # repair=False: exporting only reads; a damaged file is reported, never moved.
        store = Store(args.progress, repair=False, quiet=True)
        answers = store.answers()
        if store.warning:
            print(f"Attention : {store.warning}", file=sys.stderr)
        out = store.export(args.out, learner)
    except HandinError as exc:
        done = f"La remise a été écrite dans {args.out}, mais n'a pas été déposée. " if args.out else ""
        print(f"{done}{exc}", file=sys.stderr)
        return 1
    except ProgressError as exc:
        print(f"Rien n'a été exporté. {exc.path} : {exc.reason}{next_step(exc)}", file=sys.stderr)
        return 1
    except SubmissionError as exc:  # a learner name the reader would refuse (too long, control characters)
        print(f"Rien n'a été exporté : {exc.reason} Corrigez l'option --learner (au plus "
              "200 caractères, sans caractère de contrôle), puis relancez la commande.", file=sys.stderr)
        return 1
    except OSError as exc:
        from ..oserrors import reason

        print(f"Rien n'a été exporté : impossible d'écrire la remise dans {args.out} ({reason(exc)}).",
              file=sys.stderr)
        return 1
    if args.json:
        print_json({"file": str(out), "learner": learner, "answers": len(answers),
                    "progress": str(store.path),
                    "handin": str(store.last_handin) if store.last_handin else None})
    else:
        count = len(answers)
        print(f"Remise écrite dans {out} : {count} réponse{'s' if count > 1 else ''} "
              f"(apprenant·e : {learner}).")
        if store.last_handin and args.out:
            print(notice(store.last_handin))
    return 0
