"""`ockit suggest "texte"`: propose axes and an approach for a description, with the evidence."""

import sys

NAME = "suggest"
HELP = "suggérer des axes et une approche pour une description, avec les indices trouvés"
ORDER = 40


def add_arguments(parser):
    parser.add_argument("texte", nargs="?",
                        help="la description de l'intervention, en français (« - » ou rien : "
                             "lire l'entrée standard)")
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def run(args) -> int:
    from ..suggester import suggest
    from . import course_from, print_json

    text = args.texte
    if text is None or text == "-":
        text = sys.stdin.read()
    if not text.strip():
        print("Texte vide : donnez une description entre guillemets ou par l'entrée standard.",
              file=sys.stderr)
        return 2
    course = course_from(args)
    result = suggest(text, course=course)
    if args.json:
        print_json(result.to_dict())
    else:
        print(result.explain(course))
    return 0
