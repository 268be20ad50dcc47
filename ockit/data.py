"""Load and validate the course content in data/ (plus an instructor's extra folder).

Every problem is collected, not just the first, and each one names the file, the case, the
field, what was expected and what was found, in French, because instructors read them.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

from .model import (
    APPROACH_CODES,
    AXIS_CODES,
    BASES,
    DEFAULT_STORY,
    GRID_FIELDS,
    MATCHES,
    PROVENANCES,
    STORIES,
    AcceptedReading,
    Approach,
    Axis,
    Case,
    CaseApproach,
    Course,
    Framework,
    FrameworkAxis,
    Mapping_,
    Source,
    Term,
    frozen_map,
)

DATA_PACKAGE = "ockit.coursedata"  # data/ of the repository, shipped inside the package


def kit_data() -> Path:
    """Return the kit's own data folder as a real path on disk.

    The course data is package data (`ockit.coursedata`, mapped onto the repository's data/ by
    pyproject.toml), found with importlib.resources, so a wheel, `pip install .` and the
    editable install of `make install` all find it. A namespace package gives a
    MultiplexedPath: its children are real paths. A package that is not on disk (a zip) is
    copied once to a temporary folder, removed when the process ends. A bare source checkout
    run without installing falls back to data/ beside the package.
    """
    from importlib import resources

    try:
        root = resources.files(DATA_PACKAGE)
    except ModuleNotFoundError:
        return Path(__file__).resolve().parent.parent / "data"
    if isinstance(root, Path):
        return root
    probe = root.joinpath("axes.yaml")
    if isinstance(probe, Path):
        return probe.parent
    return _copied(root)


def _copied(root) -> Path:
    import atexit
    import shutil
    import tempfile

    target = Path(tempfile.mkdtemp(prefix="ockit-data-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)

    def copy(node, dest: Path) -> None:
        for child in node.iterdir():
            if child.is_dir():
                (dest / child.name).mkdir()
                copy(child, dest / child.name)
            else:
                (dest / child.name).write_bytes(child.read_bytes())

    copy(root, target)
    return target


KIT_DATA = kit_data()
TERM_FILES = (
    "definitions",
    "interventions",
    "values",
    "principles",
    "nim_types",
    "actes",
    "roles",
    "glossary",
)
# Always used with fullmatch: with match and "$", "mon-cas\n" would pass ($ matches before a
# final newline).
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
REMEDY = "Corrigez ce qui est signalé, puis vérifiez avec « ockit validate »."


class DataError(ValueError):
    """A problem in the course data: names the file, the case, the field, expected and found."""

    def __init__(self, file, what, *, case=None, field=None, expected=None, found=None, line=None):
        from .safeio import display

        # Found values come from the file: whatever their YAML type, they are kept as short,
        # printable text, so the message and `validate --json` can always show them.
        self.file = display(str(file))
        self.what = what
        self.case = None if case is None else display(case if isinstance(case, str) else _found(case))
        self.field = field
        self.expected = expected
        self.found = None if found is None else display(found if isinstance(found, str) else _found(found))
        self.line = line
        super().__init__(self.message())

    def message(self) -> str:
        """Return the French message, e.g. `data/cases/x.yaml (cas x, champ axes) : ...`."""
        where = [self.file + (f", ligne {self.line}" if self.line else "")]
        inner = []
        if self.case:
            inner.append(f"cas {self.case}")
        if self.field:
            inner.append(f"champ {self.field}")
        head = where[0] + (f" ({', '.join(inner)})" if inner else "")
        text = f"{head} : {self.what}"
        if self.found is not None:
            text += f" Trouvé : {self.found}."
        if self.expected is not None:
            text += f" Attendu : {self.expected}."
        return text


class DataErrors(DataError):
    """Several data problems at once; `problems` lists each `DataError`."""

    def __init__(self, problems: list[DataError]):
        self.problems = list(problems)
        first = self.problems[0]
        super().__init__(first.file, first.what, case=first.case, field=first.field,
                         expected=first.expected, found=first.found, line=first.line)

    def message(self) -> str:
        count = len(self.problems)
        head = f"{count} problème{'s' if count > 1 else ''} dans les données :"
        return "\n".join([head] + [f"- {p.message()}" for p in self.problems] + [REMEDY])


def shown_path(path) -> str:
    """The path as the user will recognize it: relative below the current folder, else absolute."""
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    # abspath, not resolve: a symlink is shown by its own name, not by where it leads
    return os.path.abspath(path) if rel.startswith("..") else rel


KINDS = {"NoneType": "rien", "list": "une liste", "dict": "une fiche (clé: valeur)", "str": "un texte",
         "int": "un nombre", "float": "un nombre", "bool": "un booléen (true/false)",
         "date": "une date", "datetime": "une date et heure", "bytes": "des données binaires",
         "set": "un ensemble (!!set)", "tuple": "une liste"}


def _found(value, limit: int = 60) -> str:
    """A value as the YAML author wrote it (not Python's repr): rien, « texte », [a, b]..."""
    from .safeio import display

    if value is None:
        return "rien"
    if isinstance(value, str):
        return f"« {display(value[:limit])}{'…' if len(value) > limit else ''} »"
    if isinstance(value, (list, tuple)) and not value:
        return "une liste vide"
    if isinstance(value, (list, tuple, dict)):
        import json

        try:
            text = json.dumps(value, ensure_ascii=False, default=str, skipkeys=True)
        except (TypeError, ValueError, RecursionError):
            text = _kind(value)
        return display(text[:limit]) + ("…" if len(text) > limit else "")
    if isinstance(value, bytes):
        return "des données binaires (!!binary)"
    return display(str(value).lower() if isinstance(value, bool) else str(value))[:limit]


def _kind(value) -> str:
    return KINDS.get(type(value).__name__, type(value).__name__)


YAML_HINTS = (
    ("mapping values are not allowed", "deux-points inattendu : vérifiez l'indentation, ou mettez "
                                        "entre guillemets un texte qui contient « : »"),
    ("could not find expected ':'", "il manque un deux-points (clé: valeur)"),
    ("cannot start any token", "caractère interdit en début de valeur (une tabulation? indentez "
                               "avec des espaces; un texte qui commence par @ ou ` va entre guillemets)"),
    ("did not find expected key", "indentation incohérente"),
    ("expected <block end>", "indentation incohérente"),
    ("did not find expected '-'", "indentation incohérente dans une liste"),
    ("found unexpected end of stream", "guillemet ou crochet non fermé"),
    ("found duplicate anchor", "ancre YAML (&) en double"),
    ("found undefined alias", "alias YAML (*) sans ancre : mettez entre guillemets un texte qui "
                              "commence par *"),
)


def yaml_hint(exc) -> str:
    """A French explanation of a PyYAML syntax error (PyYAML's own text is English)."""
    text = " ".join(str(getattr(exc, attr, "") or "") for attr in ("problem", "context"))
    for needle, hint in YAML_HINTS:
        if needle in text:
            return hint
    return "vérifiez l'indentation, les deux-points et les guillemets"


def _codes(codes) -> str:
    return ", ".join(codes)


class _Reader:
    """Accumulates problems while turning YAML into model objects."""

    def __init__(self):
        self.problems: list[DataError] = []
        self.root: Path | None = None  # the folder being read; symlinks may not leave it

    def guarded(self, path, read, default, *args):
        """`read(path, *args)`, or `default` with a problem if it fails in a way not foreseen:
        a file never stops the others from being checked, and never prints a traceback."""
        try:
            return read(path, *args)
        except Exception as exc:  # noqa: BLE001 - every file from outside is checked, whatever it holds
            import logging

            logging.getLogger(__name__).debug("unexpected error reading %s", path, exc_info=True)
            self.problem(path, f"fichier inutilisable (erreur inattendue : {type(exc).__name__}).")
            return default

    def problem(self, path, what, **kw):
        self.problems.append(DataError(shown_path(path), what, **kw))

    def yaml(self, path: Path, root=None):
        """The data of a YAML file, or None; every problem of the file is recorded (ockit.safeyaml)."""
        from .safeyaml import load_yaml

        try:
            data, problems = load_yaml(path, root=root)
        except FileNotFoundError:
            self.problem(path, "fichier manquant.")
            return None
        for p in problems:
            self.problem(path, p.what, line=p.line, field=p.field, case=p.case, found=p.found)
        return data

    def text(self, path, obj, key, *, case=None, required=True):
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(path, "champ obligatoire absent ou vide.", case=case, field=key,
                             expected="un texte")
            return None
        if not isinstance(value, str):
            self.problem(path, "ce champ doit être un texte.", case=case, field=key,
                         expected="un texte", found=_found(value))
            return None
        return " ".join(value.split())

    def optional(self, path, obj, key, kinds, expected, *, case=None, field=None):
        """obj[key] when it is None or one of `kinds` (bool never counts as int); else a problem."""
        value = obj.get(key)
        if value is None or (isinstance(value, kinds) and not (isinstance(value, bool) and bool not in kinds)):
            return value
        self.problem(path, "valeur du mauvais type.", case=case, field=field or key,
                     expected=expected, found=_found(value))
        return None

    def optional_text(self, path, obj, key, *, case=None, field=None):
        value = self.optional(path, obj, key, (str,), "un texte ou rien", case=case, field=field)
        return " ".join(value.split()) or None if isinstance(value, str) else None

    def text_list(self, path, obj, key, *, case=None, what="une liste de textes"):
        value = obj.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(path, "il faut une liste de textes.", case=case, field=key, expected=what,
                         found=_found(value))
            return ()
        return tuple(value)

    def items(self, path, data, what):
        if data is None:
            return []
        if not isinstance(data, list):
            self.problem(path, f"le fichier doit contenir une liste de {what}.",
                         found=_kind(data))
            return []
        good = []
        for index, item in enumerate(data, 1):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problem(path, f"l'élément n° {index} n'est pas une fiche (clé: valeur).",
                             found=_found(item))
        return good

    # -- reference content -------------------------------------------------------------

    def sources(self, path) -> dict[str, Source]:
        out = {}
        for n, item in enumerate(self.items(path, self.yaml(path, self.root), "sources"), 1):
            doc = item.get("doc")
            if not isinstance(doc, str) or not doc.strip():
                self.problem(path, f"la source n° {n} n'a pas d'identifiant de document.", field="doc",
                             expected="un texte, p. ex. 000_7a0da44498516742", found=_found(doc))
                continue
            title = self.text(path, item, "title", case=doc)
            publisher = self.optional_text(path, item, "publisher", case=doc)
            authors = self.optional_text(path, item, "authors", case=doc)
            year = self.optional(path, item, "year", (int,), "une année (nombre entier) ou null", case=doc)
            if title is None:
                continue
            if doc in out:
                self.problem(path, "identifiant de document en double.", case=doc, field="doc", found=doc)
                continue
            out[doc] = Source(doc=doc, publisher=publisher or "", year=year, title=title, authors=authors)
        return out

    def coded(self, path, valid, kind):
        """Read axes.yaml or approaches.yaml into {code: fields}."""
        out = {}
        before = len(self.problems)
        for item in self.items(path, self.yaml(path, self.root), kind):
            code = item.get("code")
            if not isinstance(code, str) or code not in valid:
                self.problem(path, f"code inconnu {_found(code)}.", field="code",
                             expected=_codes(valid), found=code)
                continue
            fields = {k: self.text(path, item, k, case=code) for k in ("label", "definition", "not_fit")}
            indices = item.get("indices") or []
            if not isinstance(indices, list) or not all(isinstance(i, str) for i in indices):
                self.problem(path, "les indices doivent être une liste de textes.", case=code,
                             field="indices", found=_found(indices))
                indices = []
            fields["indices"] = tuple(indices)
            fields["source"] = self.optional_text(path, item, "source", case=code)
            if kind == "axes":
                fields["short"] = self.text(path, item, "short", case=code, required=False) or fields["label"]
            else:
                fields["grid"] = self.grid(path, item, code)
                fields["basis"] = item.get("basis")
                if fields["basis"] not in BASES:
                    self.problem(path, "fondement inconnu.", case=code, field="basis",
                                 expected=_codes(BASES[1:]) + " ou rien", found=_found(fields["basis"]))
            if None in (fields["label"], fields["definition"], fields["not_fit"]):
                continue
            out[code] = fields
        missing = [c for c in valid if c not in out]
        if missing and len(self.problems) == before:
            self.problem(path, f"il manque des codes : {_codes(missing)}.", expected=_codes(valid))
        return out

    def grid(self, path, item, code):
        grid = item.get("grid")
        if grid is None:
            return frozen_map({})
        if (not isinstance(grid, dict) or set(grid) - set(GRID_FIELDS)
                or not all(isinstance(v, str) or v is None for v in grid.values())):
            self.problem(path, "la grille doit avoir les champs prévus.", case=code, field="grid",
                         expected=_codes(GRID_FIELDS), found=_found(grid))
            return frozen_map({})
        return frozen_map((k, " ".join(str(grid[k]).split())) for k in GRID_FIELDS if grid.get(k))

    def frameworks(self, path, axes) -> dict[str, Framework]:
        out = {}
        for n, item in enumerate(self.items(path, self.yaml(path, self.root), "cadres"), 1):
            fid = item.get("id")
            if not isinstance(fid, str) or not KEBAB.fullmatch(fid):
                self.problem(path, f"le cadre n° {n} n'a pas d'identifiant valide.", field="id",
                             expected="du kebab-case, p. ex. ciusss-nim", found=_found(fid))
                continue
            title = self.text(path, item, "title", case=fid)
            source = self.optional_text(path, item, "source", case=fid)
            reference = self.optional(path, item, "reference", (bool,), "true ou false", case=fid)
            raw_axes = item.get("axes")
            if not isinstance(raw_axes, list) or not raw_axes:
                self.problem(path, "il faut une liste d'axes numérotés.", case=fid, field="axes",
                             expected="une liste de fiches number, label, maps_to", found=_found(raw_axes))
                raw_axes = []
            faxes = []
            for i, ax in enumerate(raw_axes, 1):
                if not isinstance(ax, dict):
                    self.problem(path, f"l'axe n° {i} n'est pas une fiche (clé: valeur).", case=fid,
                                 field="axes", found=_found(ax))
                    continue
                number = ax.get("number")
                raw_maps = ax.get("maps_to")
                field = f"axes[{number if isinstance(number, int) else i}].maps_to"
                if not isinstance(raw_maps, list):
                    self.problem(path, "il faut une liste de correspondances.", case=fid, field=field,
                                 expected="une liste de fiches axis, match, why", found=_found(raw_maps))
                    raw_maps = []
                maps = []
                for m in raw_maps:
                    if not isinstance(m, dict):
                        self.problem(path, "une correspondance doit être une fiche axis, match, why.",
                                     case=fid, field=field, found=_found(m))
                        continue
                    if not isinstance(m.get("axis"), str) or m.get("axis") not in axes:
                        self.problem(path, f"axe de référence inconnu {_found(m.get('axis'))}.",
                                     case=fid, field=field, expected=_codes(AXIS_CODES),
                                     found=m.get("axis"))
                        continue
                    if not isinstance(m.get("match"), str) or m.get("match") not in MATCHES:
                        self.problem(path, "correspondance inconnue.", case=fid, field=field,
                                     expected=_codes(MATCHES), found=m.get("match"))
                        continue
                    why = self.text(path, m, "why", case=fid)
                    if why:
                        maps.append(Mapping_(axis=m["axis"], match=m["match"], why=why))
                if isinstance(number, bool) or not isinstance(number, int) or not maps:
                    self.problem(path, "chaque axe numéroté doit avoir un numéro et au moins une correspondance.",
                                 case=fid, field="axes", found=_found(number))
                    continue
                faxes.append(FrameworkAxis(number=number, label=self.text(path, ax, "label", case=fid) or "",
                                           maps_to=tuple(maps)))
            if title is None:
                continue
            if fid in out:
                self.problem(path, "identifiant de cadre en double.", case=fid, field="id", found=fid)
                continue
            out[fid] = Framework(id=fid, title=title, source=source,
                                 reference=bool(reference), axes=tuple(faxes))
        return out

    def terms(self, path) -> dict[str, Term]:
        out = {}
        for item in self.items(path, self.yaml(path, self.root), "termes"):
            tid = item.get("id")
            if not isinstance(tid, str) or not KEBAB.fullmatch(tid):
                self.problem(path, "identifiant absent ou mal formé.", field="id",
                             expected="du kebab-case, p. ex. etablir-des-liaisons", found=_found(tid))
                continue
            if tid in out:
                self.problem(path, "identifiant en double.", case=tid, field="id", found=tid)
                continue
            label = self.text(path, item, "label", case=tid)
            description = self.text(path, item, "description", case=tid)
            source = self.optional_text(path, item, "source", case=tid)
            group = self.optional_text(path, item, "group", case=tid)
            if label and description:
                basis = item.get("basis")
                if basis not in BASES:
                    self.problem(path, "fondement inconnu.", case=tid, field="basis",
                                 expected="general-knowledge ou rien", found=_found(basis))
                out[tid] = Term(id=tid, label=label, description=description, source=source, group=group,
                                basis=basis)
        return out

    # -- cases ---------------------------------------------------------------------------

    def case(self, path: Path, sources, acts) -> Case | None:
        data = self.yaml(path, self.root)
        if data is None:
            return None
        if not isinstance(data, dict):
            self.problem(path, "un cas doit être une fiche (clé: valeur).", found=_kind(data))
            return None
        before = len(self.problems)
        cid = data.get("id")
        if cid != path.stem:
            self.problem(path, "l'identifiant doit être identique au nom du fichier.", case=cid,
                         field="id", expected=path.stem, found=cid)
        if not isinstance(cid, str) or not KEBAB.fullmatch(cid):
            self.problem(path, "identifiant mal formé.", case=cid, field="id",
                         expected="du kebab-case (minuscules, chiffres, traits d'union)", found=_found(cid))
            return None
        title = self.text(path, data, "title", case=cid)
        summary = self.text(path, data, "summary", case=cid)
        territory = self.text(path, data, "territory", case=cid, required=False) or ""
        rationale = self.axis_texts(path, data, "axes", cid, required=True)
        not_axes = self.axis_texts(path, data, "not_axes", cid, required=False)
        for code in set(not_axes) & set(rationale):
            self.problem(path, f"l'axe « {code} » est à la fois dans axes et dans not_axes.",
                         case=cid, field="not_axes")
        approach = self.approach(path, data.get("approach"), cid)
        case_acts = data.get("acts")
        if not isinstance(case_acts, list) or not case_acts:
            self.problem(path, "il faut une liste d'actes professionnels.", case=cid, field="acts",
                         expected="des identifiants tirés d'actes.yaml", found=_found(case_acts))
            case_acts = []
        for act in case_acts:
            if not isinstance(act, str) or act not in acts:
                self.problem(path, f"acte inconnu {_found(act)}.", case=cid, field="acts",
                             expected=_codes(sorted(acts)) or "un identifiant tiré d'actes.yaml", found=act)
        provenance = data.get("label_provenance")
        if provenance not in PROVENANCES:
            self.problem(path, "provenance des étiquettes inconnue.", case=cid,
                         field="label_provenance", expected=_codes(PROVENANCES), found=provenance)
        source = self.case_source(path, data, cid, provenance, sources)
        difficulty = data.get("difficulty")
        if isinstance(difficulty, bool) or not isinstance(difficulty, int) or difficulty not in (1, 2, 3):
            self.problem(path, "difficulté invalide.", case=cid, field="difficulty",
                         expected="1, 2 ou 3", found=_found(difficulty))
        hesitation = self.text(path, data, "hesitation", case=cid, required=difficulty == 3)
        themes = data.get("themes") or []
        if not isinstance(themes, list) or not all(isinstance(t, str) and KEBAB.fullmatch(t) for t in themes):
            self.problem(path, "les thèmes doivent être une liste d'identifiants en kebab-case.", case=cid,
                         field="themes", expected="p. ex. [logement, aines]", found=_found(themes))
            themes = []
        inspired_by = self.optional_text(path, data, "inspired_by", case=cid)
        story = self.story(path, data, cid, provenance)
        also_accepted = self.accepted(path, data, cid, rationale)
        former_ids = self.former(path, data, cid)
        if len(self.problems) > before:
            return None
        return Case(id=cid, title=title, territory=territory, summary=summary,
                    rationale=frozen_map(rationale), not_axes=frozen_map(not_axes),
                    approach=approach, acts=tuple(case_acts), label_provenance=provenance,
                    source=source, difficulty=difficulty, themes=tuple(str(t) for t in themes),
                    hesitation=hesitation, inspired_by=inspired_by, story=story,
                    also_accepted=also_accepted, former_ids=former_ids, path=path)

    def story(self, path, data, cid, provenance) -> str:
        value = data.get("story")
        if value is None and provenance in DEFAULT_STORY:
            return DEFAULT_STORY[provenance]
        if value not in STORIES:
            what = ("un cas aux étiquettes déduites (inferred) doit dire d'où vient son récit."
                    if value is None else "origine du récit inconnue.")
            self.problem(path, what, case=cid, field="story", expected=_codes(STORIES),
                         found=_found(value))
            return "source"
        if provenance == "constructed" and value != "illustration":
            self.problem(path, "le récit d'une vignette inventée est une illustration.", case=cid,
                         field="story", expected="illustration", found=value)
        return value

    def accepted(self, path, data, cid, rationale) -> tuple[AcceptedReading, ...]:
        value = data.get("also_accepted")
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, "also_accepted doit être une liste de lectures.", case=cid,
                         field="also_accepted", expected="- {axes: [DEV, RESP], why: ...}",
                         found=_found(value))
            return ()
        out = []
        for index, item in enumerate(value, 1):
            field = f"also_accepted[{index}]"
            if not isinstance(item, dict):
                self.problem(path, "une lecture doit être une fiche avec axes et why.", case=cid,
                             field=field, found=_found(item))
                continue
            axes = item.get("axes")
            if isinstance(axes, str):
                axes = [axes]
            if not isinstance(axes, list) or not axes:
                self.problem(path, "il faut au moins un axe.", case=cid, field=f"{field}.axes",
                             expected=f"une liste de codes parmi {_codes(AXIS_CODES)}", found=_found(axes))
                continue
            bad = [a for a in axes if not isinstance(a, str) or a not in AXIS_CODES]
            if bad:
                self.problem(path, f"axe inconnu {_found(bad[0])}.", case=cid, field=f"{field}.axes",
                             expected=f"un des codes {_codes(AXIS_CODES)}", found=bad[0])
                continue
            if set(axes) == set(rationale) and item.get("approach") is None:
                self.problem(path, "cette lecture est identique à la clé.", case=cid,
                             field=f"{field}.axes", found=", ".join(axes))
            approach = item.get("approach")
            if approach is not None and (not isinstance(approach, str) or approach not in APPROACH_CODES):
                self.problem(path, f"approche inconnue {_found(approach)}.", case=cid,
                             field=f"{field}.approach",
                             expected=f"un des codes {_codes(APPROACH_CODES)} ou null", found=approach)
            why = item.get("why")
            if not isinstance(why, str) or len(why.split()) < 10:
                self.problem(path, "chaque lecture défendable dit pourquoi (au moins 10 mots).",
                             case=cid, field=f"{field}.why", found=_found(why))
                continue
            out.append(AcceptedReading(axes=tuple(dict.fromkeys(axes)), why=" ".join(why.split()),
                                       approach=approach))
        return tuple(out)

    def former(self, path, data, cid) -> tuple[str, ...]:
        value = data.get("former_ids")
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem(path, "former_ids doit être une liste d'identifiants.", case=cid,
                         field="former_ids", found=_found(value))
            return ()
        out = []
        for old in value:
            if not isinstance(old, str) or not KEBAB.fullmatch(old) or old == cid:
                self.problem(path, "ancien identifiant mal formé.", case=cid, field="former_ids",
                             expected="du kebab-case, différent de l'identifiant actuel", found=_found(old))
            else:
                out.append(old)
        return tuple(out)

    def axis_texts(self, path, data, key, cid, *, required):
        value = data.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or (required and not value):
            self.problem(path, "il faut au moins un axe, chacun avec sa justification.", case=cid,
                         field=key, expected="une fiche code: justification, p. ex. ORG: ...",
                         found=_found(value))
            return {}
        out = {}
        for code, why in value.items():
            if not isinstance(code, str) or code not in AXIS_CODES:
                self.problem(path, f"axe inconnu {_found(code)}.", case=cid, field=key,
                             expected=f"un des codes {_codes(AXIS_CODES)}", found=code)
            elif not isinstance(why, str) or not why.strip():
                self.problem(path, f"l'axe « {code} » n'a pas de justification.", case=cid,
                             field=f"{key}.{code}", expected="une phrase qui dit pourquoi")
            else:
                out[code] = " ".join(why.split())
        return out

    def approach(self, path, value, cid) -> CaseApproach:
        if value is None or not isinstance(value, dict):
            self.problem(path, "il faut une fiche approach avec dominant (ou null) et secondary.",
                         case=cid, field="approach", found=_found(value))
            return CaseApproach(dominant=None)
        dominant = value.get("dominant")
        if dominant is not None and (not isinstance(dominant, str) or dominant not in APPROACH_CODES):
            self.problem(path, f"approche inconnue {_found(dominant)}.", case=cid, field="approach.dominant",
                         expected=f"un des codes {_codes(APPROACH_CODES)} ou null", found=dominant)
        secondary = value.get("secondary") or []
        if not isinstance(secondary, list):
            secondary = [secondary]
        for code in secondary:
            if not isinstance(code, str) or code not in APPROACH_CODES:
                self.problem(path, f"approche inconnue {_found(code)}.", case=cid,
                             field="approach.secondary", expected=_codes(APPROACH_CODES), found=code)
        why = self.optional_text(path, value, "why", case=cid, field="approach.why")
        return CaseApproach(dominant=dominant, secondary=tuple(secondary), why=why)

    def case_source(self, path, data, cid, provenance, sources):
        value = data.get("source")
        if provenance == "constructed":
            if value is not None:
                self.problem(path, "une vignette inventée (constructed) ne cite pas de source.",
                             case=cid, field="source", expected="null", found=_found(value))
            return None
        if not isinstance(value, dict) or not value.get("doc"):
            self.problem(path, "un cas réel doit citer sa source.", case=cid, field="source",
                         expected="une fiche avec doc, publisher, year, title", found=_found(value))
            return None
        doc = value["doc"]
        if not isinstance(doc, str) or doc not in sources:
            self.problem(path, f"document source inconnu {_found(doc)}.", case=cid, field="source.doc",
                         expected=_codes(sorted(sources)), found=doc)
            return None
        known = sources[doc]
        publisher = self.optional_text(path, value, "publisher", case=cid, field="source.publisher")
        title = self.optional_text(path, value, "title", case=cid, field="source.title")
        year = self.optional(path, value, "year", (int,), "une année (nombre entier) ou null", case=cid,
                             field="source.year")
        return Source(doc=doc, publisher=publisher or known.publisher,
                      year=year if "year" in value else known.year, title=title or known.title,
                      authors=known.authors)


def _not_a_folder(path: Path, what: str) -> str:
    return f"{what} introuvable." if not path.exists() else "ce chemin n'est pas un dossier."


def _read(data_dir: Path, extra_dirs: tuple[Path, ...]):
    reader = _Reader()
    reader.root = data_dir
    if not data_dir.is_dir():
        reader.problem(data_dir, _not_a_folder(data_dir, "dossier de données"),
                       expected="un dossier comme data/")
        return reader, None
    need = ["sources", "axes", "approaches", "frameworks", *TERM_FILES]
    for name in need:
        path = data_dir / f"{name}.yaml"
        if not (path.exists() or path.is_symlink()):  # a FIFO or a folder is named by the reader
            reader.problem(path, "fichier manquant.")
    if reader.problems:
        return reader, None
    if reader.problems:
        return reader, None
    sources = reader.guarded(data_dir / "sources.yaml", reader.sources, {})
    axes = {c: Axis(code=c, **f) for c, f in
            reader.guarded(data_dir / "axes.yaml", reader.coded, {}, AXIS_CODES, "axes").items()}
    approaches = {c: Approach(code=c, **f) for c, f in
                  reader.guarded(data_dir / "approaches.yaml", reader.coded, {}, APPROACH_CODES,
                                 "approches").items()}
    frameworks = reader.guarded(data_dir / "frameworks.yaml", reader.frameworks, {}, axes)
    terms = {name: frozen_map(reader.guarded(data_dir / f"{name}.yaml", reader.terms, {}))
             for name in TERM_FILES}
    acts = terms["actes"]
    cases: dict[str, Case] = {}
    for folder in (data_dir, *extra_dirs):
        reader.root = folder  # a symlink leading out of this folder is refused
        if folder != data_dir:
            if not folder.is_dir():
                reader.problem(folder, _not_a_folder(folder, "dossier de données supplémentaire"),
                               expected="un dossier avec cases/ et, au besoin, frameworks.yaml")
                continue
            extra_fw = folder / "frameworks.yaml"
            if extra_fw.exists() or extra_fw.is_symlink():
                for fid, fw in reader.guarded(extra_fw, reader.frameworks, {}, axes).items():
                    if fid in frameworks:
                        reader.problem(extra_fw, "ce cadre existe déjà.", case=fid, field="id", found=fid)
                    else:
                        frameworks[fid] = fw
        for path in sorted((folder / "cases").glob("*.yaml")):
            case = reader.guarded(path, reader.case, None, sources, acts)
            if case is None:
                continue
            if case.id in cases:
                reader.problem(path, "identifiant de cas en double.", case=case.id, field="id",
                               found=f"déjà défini dans {shown_path(cases[case.id].path)}")
                continue
            cases[case.id] = case
    _check_former_ids(reader, cases)
    course = Course(sources=frozen_map(sources), axes=frozen_map(axes),
                    approaches=frozen_map(approaches), frameworks=frozen_map(frameworks),
                    terms=frozen_map(terms), cases=frozen_map(cases),
                    data_dirs=(data_dir, *extra_dirs))
    return reader, course


FILE_KINDS = ("case", "sources", "axes", "approaches", "frameworks", "terms")


def check_file(path, kind: str, course: Course) -> tuple[object, list[DataError]]:
    """Read one data file of `kind` (FILE_KINDS) against a loaded course, as `validate` would.

    Returns what the file yields (a Case or None for "case", a dict by id otherwise) and its
    problems. Never raises for what the file holds. Handy to check one file quickly (the tests
    run every kind of hostile value through it).
    """
    path = Path(path)
    reader = _Reader()
    reader.root = path.parent
    readers = {
        "case": lambda p: reader.case(p, course.sources, course.acts),
        "sources": reader.sources,
        "axes": lambda p: reader.coded(p, AXIS_CODES, "axes"),
        "approaches": lambda p: reader.coded(p, APPROACH_CODES, "approches"),
        "frameworks": lambda p: reader.frameworks(p, course.axes),
        "terms": reader.terms,
    }
    result = reader.guarded(path, readers[kind], None)
    return result, reader.problems


def _check_former_ids(reader, cases) -> None:
    """A former id must point to one case only and must not be another case's current id."""
    seen: dict[str, str] = {}
    for case in cases.values():
        for old in case.former_ids:
            if old in cases:
                reader.problem(case.path, "cet ancien identifiant est celui d'un autre cas.",
                               case=case.id, field="former_ids", found=old)
            elif old in seen:
                reader.problem(case.path, "cet ancien identifiant est déjà revendiqué.", case=case.id,
                               field="former_ids", found=f"{old} (déjà dans {seen[old]})")
            else:
                seen[old] = case.id


def extra_folders(extra=None) -> list[str]:
    """The extra data folders as given: `extra` (a list, or one path string with os.pathsep
    between folders), else $OCKIT_EXTRA_DATA, else none."""
    if extra is None:
        extra = os.environ.get("OCKIT_EXTRA_DATA") or ()
    if isinstance(extra, (str, os.PathLike)):
        extra = [p for p in str(extra).split(os.pathsep) if p]
    return [str(p) for p in extra]


def data_dirs(data_dir=None, extra=None) -> tuple[Path, tuple[Path, ...]]:
    """The data folder and the extra folders a command reads, resolved."""
    base = Path(data_dir or os.environ.get("OCKIT_DATA") or KIT_DATA).resolve()
    return base, tuple(Path(p).resolve() for p in extra_folders(extra))


def validate(data_dir=None, extra=None) -> list[DataError]:
    """Return every problem in the data (empty list when valid). Never raises DataError."""
    base, extras = data_dirs(data_dir, extra)
    reader, _ = _read(base, extras)
    return reader.problems


def load(data_dir=None, extra=None) -> Course:
    """Load and validate the course once; later calls with the same folders reuse it.

    Args:
        data_dir: a folder laid out like data/ (default: $OCKIT_DATA, else the kit's).
        extra: one or more extra folders of local cases (default: $OCKIT_EXTRA_DATA).

    Raises:
        DataErrors: listing every problem found.
    """
    return _load(*data_dirs(data_dir, extra))


@lru_cache(maxsize=8)
def _load(base: Path, extras: tuple[Path, ...]) -> Course:
    reader, course = _read(base, extras)
    if reader.problems:
        raise DataErrors(reader.problems)
    return course


def clear_cache() -> None:
    """Forget loaded data, e.g. after editing a case in a running notebook."""
    _load.cache_clear()

