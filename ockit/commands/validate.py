"""`ockit validate`: check every file of the course data, report every problem."""

import sys

NAME = "validate"
HELP = "vérifier les données du cours (axes, cadres, cas, quiz) et signaler chaque problème"
ORDER = 10


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def run(args) -> int:
    from ..data import REMEDY, validate
    from . import print_json

    problems = validate(args.data, args.extra)
    quiz_problems = _quiz_problems(args.data)
    if args.json:
        print_json({"valid": not (problems or quiz_problems), "problems": [
            {"file": p.file, "case": p.case, "field": p.field, "line": p.line,
             "expected": p.expected, "found": p.found, "message": p.message()} for p in problems]
            + [{"file": file, "case": None, "field": None, "line": None, "expected": None,
                "found": None, "message": message} for file, message in quiz_problems]})
        return 1 if problems or quiz_problems else 0
    if not problems and not quiz_problems:
        from ..data import load

        course = load(args.data, args.extra)
        print(f"Données valides : {len(course.cases)} cas, {len(course.frameworks)} cadres, "
              f"{len(course.acts)} actes professionnels, {_quiz_count(args.data)} quiz.")
        return 0
    messages = [p.message() for p in problems] + [message for _, message in quiz_problems]
    count = len(messages)
    print(f"{count} problème{'s' if count > 1 else ''} trouvé{'s' if count > 1 else ''} :", file=sys.stderr)
    for message in messages:
        print(f"- {message}", file=sys.stderr)
    print(REMEDY, file=sys.stderr)
    return 1


def _quizzes(data):
    from pathlib import Path

    from ..quiz import quiz_folder

    return Path(data) / "quizzes" if data else quiz_folder()


def _quiz_count(data) -> int:
    from ..quiz import list_quizzes

    return len(list_quizzes(_quizzes(data)))


def _quiz_problems(data) -> list[tuple[str, str]]:
    """(file, French message) for every problem in the quizzes of `data` (default: the kit's)."""
    from ..quiz import QuizError, list_quizzes, load_quiz

    folder = _quizzes(data)
    found = []
    for quiz_id in list_quizzes(folder):
        try:
            load_quiz(quiz_id, folder)
        except QuizError as error:
            found += [(error.file, message) for message in error.problems]
        except Exception as error:  # noqa: BLE001 - a quiz file never ends validate in a traceback
            from ..data import shown_path

            file = shown_path(folder / f"{quiz_id}.yaml")
            found.append((file, f"{file} : quiz inutilisable (erreur inattendue : {type(error).__name__})."))
    return found
