"""`ockit crosswalk`: how each establishment's numbering maps onto the RQIIAC 2020 axes."""

NAME = "crosswalk"
HELP = "afficher la correspondance entre les numérotations des axes et le cadre du RQIIAC (2020)"
ORDER = 30


def add_arguments(parser):
    parser.add_argument("--json", action="store_true", help="sortie en JSON")


def run(args) -> int:
    from ..frameworks import crosswalk
    from . import course_from, print_json

    data = crosswalk(course_from(args))
    if args.json:
        print_json(data)
        return 0
    match = {"full": "complète", "partial": "partielle"}
    for fw in data["frameworks"]:
        print(f"{fw['title']} ({fw['id']})")
        for axis in fw["axes"]:
            targets = ", ".join(f"{m['axis']} ({match[m['match']]})" for m in axis["maps_to"])
            print(f"  {axis['number']}. {axis['label']} → {targets}")
            for m in axis["maps_to"]:
                print(f"       {m['axis']} : {m['why']}")
        print()
    return 0
