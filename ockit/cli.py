"""The `ockit` command: parses arguments and hands them to one module of ockit.commands.

Each module in ockit/commands/ is one verb. It defines NAME, HELP (French, one line),
`add_arguments(parser)` and `run(args) -> int`; this file finds them, so adding a verb never
touches it. Exit codes: 0 success, 1 the data or the input has problems, 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import __version__

# argparse's own words, in French (it looks them up through its module-level `_`).
_FRENCH = {
    "usage: ": "usage : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "un argument est attendu",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s":
        "option ambiguë : %(option)s peut désigner %(matches)s",
}


def _french(message: str) -> str:
    return _FRENCH.get(message, message)


argparse._ = _french  # type: ignore[attr-defined]


def command_modules():
    """Return the command modules of ockit.commands, in their ORDER."""
    from . import commands

    mods = [importlib.import_module(f"ockit.commands.{m.name}")
            for m in pkgutil.iter_modules(commands.__path__) if not m.name.startswith("_")]
    return sorted(mods, key=lambda m: (getattr(m, "ORDER", 50), m.NAME))


def build_parser() -> argparse.ArgumentParser:
    """Return the full parser, one subparser per command module."""
    parser = argparse.ArgumentParser(
        prog="ockit",
        description="Trousse de cours sur l'organisation communautaire en CISSS et CIUSSS.",
        epilog="Aide d'une commande : ockit COMMANDE --help",
    )
    parser.add_argument("--version", action="version", version=f"ockit {__version__}",
                        help="afficher la version et quitter")
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("données")
    group.add_argument("--data", metavar="DOSSIER",
                       help="dossier organisé comme data/, utilisé à la place de celui de la trousse")
    group.add_argument("--extra", metavar="DOSSIER", action="append",
                       help="dossier de cas locaux ajouté à ceux de la trousse "
                            "(aussi : variable OCKIT_EXTRA_DATA); peut être répété")
    subs = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes")
    for module in command_modules():
        sub = subs.add_parser(module.NAME, help=module.HELP, description=module.HELP,
                              parents=[common])
        module.add_arguments(sub)
        sub.set_defaults(run=module.run, quick_exit=getattr(module, "QUICK_EXIT", False))
    return parser


def main(argv=None) -> int:
    """Run one command and return its exit code (what tests and other Python code call)."""
    return _main(argv)[0]


def _main(argv) -> tuple[int, bool]:
    """(exit code, whether the process may end without tearing the interpreter down)."""
    from .data import DataError

    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2, False
    try:
        return args.run(args) or 0, args.quick_exit
    except DataError as exc:
        print(exc.message(), file=sys.stderr)
        return 1, False
    except OSError as exc:  # a path that cannot be read or written: say which, in French
        from .oserrors import describe

        print(describe(exc), file=sys.stderr)
        return 1, False
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130, False


def console() -> None:
    """Entry point of the `ockit` console script and of `python -m ockit.cli`.

    A command whose module sets QUICK_EXIT (class-report) has written and closed all its files
    when it returns; the process then ends at once with os._exit, after flushing stdout and
    stderr, instead of tearing down the interpreter: freeing pandas', matplotlib's and the
    class's hundreds of thousands of objects one by one, and a last full pass of the garbage
    collector, took 0.5 s or more after a report of 1,000 submissions. Not when another
    thread still runs, nor when the output cannot be flushed (then the usual exit reports it).
    """
    import os
    import threading

    code, quick = _main(None)
    if quick and threading.active_count() == 1:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
        else:
            os._exit(code)
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    console()
