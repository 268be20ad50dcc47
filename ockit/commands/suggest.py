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


def render(suggestion, course) -> str:
    """Return the suggestion as French text: axes, approach, and the cues behind each."""
    s = suggestion
    if not s.axes:
        return ("Aucun indice trouvé dans ce texte : décrivez ce que l'OC fait, avec qui, sur "
                "quel territoire et dans quel but, puis réessayez.")
    lines = ["Axes suggérés (du plus au moins probable) :"]
    for code in s.axes:
        lines.append(f"  {code}  {course.axes[code].label} (score {_num(s.scores[code])})")
        lines.extend(_evidence_lines(s, code))
    lines.append("")
    if s.approach:
        lines.append(f"Approche suggérée : {course.approaches[s.approach].label} ({s.approach}, "
                     f"score {_num(s.scores[s.approach])})")
        lines.extend(_evidence_lines(s, s.approach) or
                     ["        indices : aucun indice propre; approche la plus fréquente du corpus"])
    lines.append("")
    lines.append("Une suggestion n'est pas une réponse : vérifiez-la avec les définitions des axes "
                 "et des approches.")
    return "\n".join(lines)


def _evidence_lines(s, code) -> list[str]:
    """The cues of the lexicon, then the words learned from the cases, for one code."""
    learned = set(s.learned.get(code, ()))
    cues = [e for e in s.evidence.get(code, ()) if e not in learned][:6]
    words = [e for e in s.evidence.get(code, ()) if e in learned][:6]
    lines = []
    if cues:
        lines.append("        indices : " + " · ".join(f"« {e} »" for e in cues))
    if words:
        lines.append("        mots fréquents dans les cas de la trousse qui portent ce code : "
                     + " · ".join(f"« {e} »" for e in words))
    return lines


def _num(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


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
        print(render(result, course))
    return 0
