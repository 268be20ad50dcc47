"""One module per `ockit` verb; see ockit.cli for the contract each module follows."""


def course_from(args):
    """Load the course for a command, honouring its --data and --extra options."""
    from ..data import load

    return load(getattr(args, "data", None), getattr(args, "extra", None))


def print_json(obj) -> None:
    """Print JSON the way every command does: UTF-8 text, indented."""
    import json

    print(json.dumps(obj, ensure_ascii=False, indent=2))
