"""`ockit cases`: list the cases, as JSON or as a table for an instructor."""

NAME = "cases"
HELP = "lister les cas du cours (tableau lisible ou JSON)"
ORDER = 20


def add_arguments(parser):
    out = parser.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="sortie en JSON (liste de cas)")
    out.add_argument("--table", action="store_true", help="tableau lisible (par défaut)")


def table(cases) -> str:
    """Return a fixed-width French table of cases: id, title, axes, approach, provenance, difficulty."""
    headers = ("id", "titre", "axes", "approche", "provenance", "diff.")
    rows = [(c.id, c.title if len(c.title) <= 48 else c.title[:47] + "…", "+".join(c.axes),
             c.approach.dominant or "—", c.label_provenance, str(c.difficulty)) for c in cases]
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip()  # noqa: E731
    return "\n".join([line(headers), line(tuple("-" * w for w in widths)), *map(line, rows),
                      f"{len(rows)} cas"])


def run(args) -> int:
    from . import course_from, print_json

    course = course_from(args)
    cases = list(course.cases.values())
    if args.json:
        print_json([c.to_dict() for c in cases])
    else:
        print(table(cases))
    return 0
