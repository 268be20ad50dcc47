"""YAML from people: loaded safely, within bounds, with every oddity reported rather than guessed.

`load_yaml(path)` reads a file with ockit.safeio's bounded reader and returns its data with the
list of problems found, each a `YamlProblem` (French text, line, field). On top of PyYAML's
safe loader (no Python objects, ever), it reports what PyYAML lets pass:

- an empty file (PyYAML reads it as nothing, and the file would be ignored without a word);
- a key written twice in a mapping (PyYAML silently keeps the last one);
- aliases (`*name`) used more than MAX_ALIASES times, or expanding to more than MAX_NODES
  values, or referring to themselves: the "billion laughs" a 750-byte file can hold;
- nesting deeper than MAX_DEPTH;
- a text holding a character no output can carry (a control character, a lone surrogate,
  U+FFFE): it would break the Moodle XML, the terminal or the HTML page later on.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_BYTES = 1_000_000
MAX_ALIASES = 1000
MAX_NODES = 200_000
MAX_DEPTH = 50


@dataclass(frozen=True)
class YamlProblem:
    """One problem in a YAML file: `what` (French), and where when known."""

    what: str
    line: int | None = None
    field: str | None = None
    case: str | None = None
    found: str | None = None
    fatal: bool = False  # the data cannot be used at all


def _loader_class():
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):
        """The safe loader, noting duplicate keys instead of silently keeping the last."""

        def __init__(self, stream):
            super().__init__(stream)
            self.duplicates: list[tuple[object, int]] = []

        def construct_mapping(self, node, deep=False):
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, _ in node.value:
                    if key_node.tag == "tag:yaml.org,2002:merge":
                        continue
                    try:
                        key = self.construct_object(key_node, deep=True)
                        hash(key)
                    except (yaml.YAMLError, TypeError):
                        continue  # the base class reports an unhashable key itself
                    if key in seen:
                        self.duplicates.append((key, key_node.start_mark.line + 1))
                    seen.add(key)
            return super().construct_mapping(node, deep)

    return Loader


_LOADER = None


def _measure(root) -> tuple[int, int, int, bool]:
    """(alias uses, values once aliases are expanded, depth, has a cycle) of a node graph.

    Iterative, and each node is measured once: the expanded size of a shared node is added, not
    recomputed, so this stays linear in the file even when the expansion is astronomical.
    """
    import yaml

    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    visiting: set[int] = set()
    seen: set[int] = set()
    aliases = 0
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        if done:
            visiting.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
            continue
        if key in visiting:
            return aliases, 0, 0, True
        if key in seen:
            aliases += 1
            continue
        seen.add(key)
        visiting.add(key)
        stack.append((node, True))
        for child in children:
            if id(child) in visiting:
                return aliases, 0, 0, True
            if id(child) in seen:
                aliases += 1
            else:
                stack.append((child, False))
        if aliases > MAX_ALIASES:
            break
    return aliases, size.get(id(root), 0), depth.get(id(root), 0), False


def _where(path: list) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def bad_texts(data) -> list[YamlProblem]:
    """A problem for each text (key or value) of `data` holding a character no output can carry.

    For a list of records, the record's id (or code, or doc) is given as the case.
    """
    from .safeio import bad_character, display

    problems = []
    root_case = data.get("id") if isinstance(data, dict) else None
    stack = [(data, [], display(root_case) if isinstance(root_case, str) else None)]
    while stack:
        value, path, case = stack.pop()
        if isinstance(value, str):
            why = bad_character(value)
            if why:
                problems.append(YamlProblem(f"{why} : retirez-le ou remplacez-le.",
                                            field=_where(path) or None, case=case))
        elif isinstance(value, dict):
            for k, v in value.items():
                if isinstance(k, str) and bad_character(k):
                    problems.append(YamlProblem(f"clé « {display(k)} » : {bad_character(k)}.",
                                                field=_where(path) or None, case=case))
                stack.append((v, path + [k], case))
        elif isinstance(value, (list, tuple)):
            for i, v in enumerate(value):
                item_case = case
                if not path and isinstance(v, dict):
                    found = next((v[k] for k in ("id", "code", "doc") if isinstance(v.get(k), str)), None)
                    item_case = display(found) if found else f"élément n° {i + 1}"
                stack.append((v, path + [i] if path or item_case is None else path, item_case))
    problems.reverse()
    return problems


def load_text(text: str) -> tuple[object, list[YamlProblem]]:
    """Load YAML text within the bounds above; return (data, problems).

    data is None when a fatal problem makes it unusable (syntax, aliases, depth, empty).
    """
    import yaml

    global _LOADER
    if _LOADER is None:
        _LOADER = _loader_class()
    loader = _LOADER(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None, [YamlProblem("fichier vide : il ne contient aucune donnée (seulement des "
                                          "commentaires ou rien).", fatal=True)]
            aliases, nodes, depth, cycle = _measure(node)
            if cycle:
                return None, [YamlProblem("alias YAML (*) qui se contient lui-même : cette structure "
                                          "serait infinie.", fatal=True)]
            if aliases > MAX_ALIASES or nodes > MAX_NODES:
                return None, [YamlProblem(
                    f"trop d'alias YAML (*) : {aliases} emplois, qui donneraient "
                    f"{'plus de ' if not nodes else ''}{nodes or MAX_NODES} valeurs une fois développés "
                    f"(limites : {MAX_ALIASES} alias, {MAX_NODES} valeurs). Écrivez les valeurs en toutes "
                    "lettres.", fatal=True)]
            if depth > MAX_DEPTH:
                return None, [YamlProblem(f"structure imbriquée trop profondément ({depth} niveaux; "
                                          f"limite : {MAX_DEPTH}).", fatal=True)]
            data = loader.construct_document(node)
        except RecursionError:
            return None, [YamlProblem("structure imbriquée trop profondément.", fatal=True)]
        except yaml.YAMLError as exc:
            from .data import yaml_hint

            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 1 if mark is not None else None
            column = f" (colonne {mark.column + 1})" if mark is not None else ""
            return None, [YamlProblem(f"erreur de syntaxe YAML{column} : {yaml_hint(exc)}.", line=line,
                                      fatal=True)]
        problems = [YamlProblem(f"clé « {_key(key)} » écrite deux fois dans la même fiche : seule la "
                                "dernière serait lue. Gardez-en une seule.", line=line)
                    for key, line in loader.duplicates]
    finally:
        loader.dispose()
    return data, problems + bad_texts(data)


def _key(key) -> str:
    from .safeio import display

    return display(str(key))[:60]


def load_yaml(path, *, root=None, limit: int = MAX_BYTES) -> tuple[object, list[YamlProblem]]:
    """Read and load a YAML file from outside; return (data, problems). Never raises for bad content.

    The file is read only if it is a regular file of at most `limit` bytes, inside `root` when
    given (ockit.safeio.read_regular). data is None when the file cannot be used.

    Raises:
        FileNotFoundError: there is no such file (the caller says what was expected).
    """
    from .oserrors import reason
    from .safeio import UnsafeFileError, read_regular

    try:
        raw = read_regular(path, root=root, limit=limit)
    except FileNotFoundError:
        raise
    except UnsafeFileError as exc:
        return None, [YamlProblem(f"{exc.reason}.", fatal=True)]
    except OSError as exc:
        return None, [YamlProblem(f"fichier illisible : {reason(exc)}.", fatal=True)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [YamlProblem("le fichier n'est pas en UTF-8 (enregistrez-le en UTF-8).",
                                  found=f"un octet invalide à la position {exc.start}", fatal=True)]
    return load_text(text)


def load_yaml_or_raise(path, error: type[Exception]):
    """Read a YAML file from outside as load_yaml does and return its data; raise `error` with
    a French message naming the file (and the line of its first problem, or why it cannot be
    read), for the readers that stop at the first problem."""
    from .oserrors import reason

    try:
        data, problems = load_yaml(path)
    except OSError as exc:
        raise error(f"{path} : lecture impossible ({reason(exc)}).") from None
    if problems:
        first = problems[0]
        line = f", ligne {first.line}" if first.line else ""
        raise error(f"{path}{line} : {first.what}")
    return data
