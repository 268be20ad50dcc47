"""`ockit export moodle`: the cases as a question bank for another platform (Moodle XML)."""

NAME = "export"
HELP = "exporter les cas en banque de questions (moodle : format XML de Moodle)"
ORDER = 70
FORMATS = ("moodle",)


def add_arguments(parser):
    parser.add_argument("format", choices=FORMATS, metavar="FORMAT",
                        help="format de la banque : moodle (XML de Moodle, à importer dans la "
                             "banque de questions d'un cours)")
    parser.add_argument("--out", metavar="FICHIER", default="quiz.xml",
                        help="fichier à écrire (par défaut : quiz.xml)")
    parser.add_argument("--difficulty", type=_difficulty, action="append",
                        metavar="N", help="n'exporter que les cas de cette difficulté (1, 2 ou 3; "
                                          "peut être répété)")


def _difficulty(text: str) -> int:
    import argparse

    if text.strip() not in ("1", "2", "3"):
        raise argparse.ArgumentTypeError(f"difficulté invalide « {text} » : il faut 1, 2 ou 3")
    return int(text)


def run(args) -> int:
    from ..moodle import approach_question, write_quiz
    from . import course_from

    course = course_from(args)
    cases = [c for c in course.cases.values()
             if not args.difficulty or c.difficulty in args.difficulty]
    path = write_quiz(args.out, course, cases)
    approaches = sum(1 for c in cases if approach_question(c, course))
    print(f"Banque Moodle écrite : {path} ({len(cases)} questions sur les axes, {approaches} sur "
          "l'approche). Dans Moodle : Banque de questions > Importer > format XML Moodle.")
    return 0
