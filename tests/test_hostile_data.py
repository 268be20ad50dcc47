"""Course data from an instructor, treated as untrusted: every YAML type in every field, broken
files of every kind, and random Unicode in every text that reaches HTML or Moodle XML.

Each problem must be a French line naming the file (and the case and field where they apply),
never a traceback; what validation accepts must export to XML a standard parser reads.
"""

from __future__ import annotations

import copy
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from html import escape
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ockit
from ockit.data import DataError, check_file, frozen_map, validate
from ockit.moodle import quiz_xml
from ockit.quizdata import QuizError, load_quiz

from .helpers import copy_reference, valid_case

# One value of each type YAML can hold, written as YAML text (so !!binary, !!set, dates and
# timestamps reach the reader as PyYAML builds them).
YAML_VALUES = {
    "null": "null", "true": "true", "false": "false", "zero": "0", "negative": "-3", "big": "99999999999999999999",
    "float": "1.5", "inf": ".inf", "nan": ".nan", "empty-text": '""', "blank-text": '"   "',
    "text": '"un texte"', "kebab": "mon-cas", "code": "DEV", "date": "2026-01-01",
    "timestamp": "2026-01-01T10:00:00Z", "binary": "!!binary aGVsbG8=", "set": "!!set {a, b}",
    "omap": "!!omap [a: 1]", "empty-list": "[]", "list": "[1, [2]]", "text-list": "[a, b]",
    "empty-map": "{}", "map": "{a: 1}", "nested": "{a: {b: [c, {d: e}]}}", "int-keys": "{1: a, 2: b}",
    "date-keys": "{2026-01-01: a}",
}


def _paths(value, prefix=()):
    """Every path (tuple of keys and indexes) into a nested dict/list, the root's children first."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield prefix + (key,)
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield prefix + (i,)
            yield from _paths(child, prefix + (i,))


MARK = "@@VALEUR@@"


def _with(data, path, marker=MARK):
    out = copy.deepcopy(data)
    node = out
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = marker
    return out


def _yaml_with(data, path, yaml_value: str) -> str:
    """`data` as YAML text with the value at `path` replaced by the YAML text `yaml_value`."""
    text = yaml.safe_dump(_with(data, path), allow_unicode=True, sort_keys=False, default_flow_style=True,
                          width=10_000)
    assert text.count(MARK) == 1
    return text.replace(MARK, yaml_value)


def _label(path) -> str:
    return ".".join(str(p) for p in path)


@pytest.fixture(scope="module")
def course():
    return ockit.load()


@pytest.fixture(scope="module")
def reference_records():
    """One record of each reference file, as the kit ships it."""
    from ockit.data import KIT_DATA

    def first(name):
        return yaml.safe_load((KIT_DATA / f"{name}.yaml").read_text(encoding="utf-8"))[0]

    framework = first("frameworks")
    framework["axes"] = framework["axes"][:1]  # one numbered axis has every field the others have
    approach = first("approaches")
    return {"sources": first("sources"), "frameworks": framework, "terms": first("actes"),
            "axes": first("axes"), "approaches": approach}


def _assert_french_problems(problems, file_name):
    """Every problem is a DataError whose message names the file, in French, from known checks."""
    assert problems, "aucun problème signalé"
    for problem in problems:
        assert isinstance(problem, DataError)
        message = problem.message()
        assert file_name in message
        assert "inattendue" not in message, message  # a real check, not the last-resort guard
        assert "Traceback" not in message and "Error" not in message


def _exports(course, case):
    """The course with `case` added exports to well-formed Moodle XML and escaped HTML."""
    one = replace(course, cases=frozen_map({**course.cases, case.id: case}))
    root = ET.fromstring(quiz_xml(one, [case]).encode("utf-8"))
    assert root.tag == "quiz"
    from ockit.report import _table  # the report's table cells: text escaped, UTF-8 encodable

    html = _table(("cas", "titre"), [(case.id, case.title)])
    assert escape(case.title) in html
    html.encode("utf-8")


CASE = valid_case("cas-hostile", territory="Quartier", not_axes={"ORG": "Pas un soutien à un organisme."},
                  approach={"dominant": "SOCIOCOM", "secondary": ["SOCIOPOL"], "why": "Parce que."},
                  themes=["logement"], hesitation="Aucune.", inspired_by="000_7a0da44498516742",
                  story="illustration", former_ids=["ancien-cas-hostile"],
                  also_accepted=[{"axes": ["ORG"], "approach": "SOCIOPOL",
                                  "why": "Une lecture défendable, car le comité devient un organisme en cours de route."}])
CASE_PATHS = list(_paths(CASE))


class TestEveryTypeInEveryField:
    @pytest.mark.parametrize("path", CASE_PATHS, ids=_label)
    def test_case_field(self, tmp_path, course, path):
        """Any YAML value in any field of a case: French problems naming the field, or a case that exports."""
        folder = tmp_path / "cases"
        folder.mkdir()
        file = folder / "cas-hostile.yaml"
        for name, value in YAML_VALUES.items():
            file.write_text(_yaml_with(CASE, path, value), encoding="utf-8")
            case, problems = check_file(file, "case", course)
            if problems:
                _assert_french_problems(problems, "cas-hostile.yaml")
                assert case is None, name
            else:
                _exports(course, case)

    @pytest.mark.parametrize("kind", ["sources", "frameworks", "terms", "axes", "approaches"])
    def test_reference_field(self, tmp_path, course, reference_records, kind):
        """Any YAML value in any field of a source, a framework, a term or an axis: French problems only."""
        record = reference_records[kind]
        file = tmp_path / f"{kind}.yaml"
        for path in _paths(record):
            for name, value in YAML_VALUES.items():
                file.write_text("- " + _yaml_with(record, path, value), encoding="utf-8")
                result, problems = check_file(file, kind, course)
                if problems:
                    _assert_french_problems(problems, f"{kind}.yaml")

    QUIZ = {"id": "essai", "title": "Essai", "questions": [
        {"id": "q1", "kind": "single", "prompt": "Laquelle?", "choices": ["a", "b"], "answer": 1,
         "explanation": "Parce que."},
        {"id": "q2", "kind": "matching", "prompt": "Associez.", "pairs": [["a", "b"], ["c", "d"]],
         "explanation": "Ainsi."}]}

    @pytest.mark.parametrize("path", list(_paths(QUIZ)), ids=_label)
    def test_quiz_field(self, tmp_path, path):
        """Any YAML value in any field of a quiz: a QuizError with French lines, or a quiz that loads."""
        for name, value in YAML_VALUES.items():
            (tmp_path / "essai.yaml").write_text(_yaml_with(self.QUIZ, path, value), encoding="utf-8")
            try:
                quiz = load_quiz("essai", tmp_path)
            except QuizError as error:
                assert error.problems and all("essai.yaml" in p for p in error.problems), (name, error)
            else:
                assert quiz.questions


def _write(path: Path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")


BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{c}: &{c} [{', '.join([f'*{p}'] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi"))

# Broken files of every kind, each with the words its problem must be told with.
BROKEN = {
    "vide": ("", "fichier vide"),
    "commentaires": ("# rien que des commentaires\n", "fichier vide"),
    "cle-en-double": ("id: cle-en-double\ntitle: Un\ntitle: Deux\n", "écrite deux fois"),
    "controle": ('id: controle\ntitle: "a\\x01b"\n', "U+0001"),
    "echappement": ('id: echappement\nsummary: "\\e[31m"\n', "U+001B"),
    "non-caractere": ('id: non-caractere\ntitle: "\\uFFFE"\n', "U+FFFE"),
    "substitution": ('id: substitution\ntitle: "\\ud800"\n', "YAML"),
    "latin1": ("id: latin1\ntitle: Hélène\n".encode("latin-1"), "UTF-8"),
    "rires": (BILLION_LAUGHS, "alias"),
    "alias-recursif": ("a: &a [*a]\n", "se contient lui-même"),
    "profond": ("a: " + "[" * 60 + "]" * 60 + "\n", "imbriquée"),
    "tres-profond": ("[" * 100_000, "YAML"),
    "trop-gros": ("title: " + "x" * 1_100_000 + "\n", "trop volumineux"),
    "syntaxe": ("id: [\n", "syntaxe YAML"),
    "deux-documents": ("a: 1\n---\nb: 2\n", "syntaxe YAML"),
    "objet-python": ("!!python/object/apply:os.system [echo hi]\n", "syntaxe YAML"),
}


@pytest.fixture(scope="module")
def shared_data(tmp_path_factory):
    """A copy of the kit's reference data (no cases), shared: the tests only read it."""
    return copy_reference(tmp_path_factory.mktemp("reference") / "data")


class TestBrokenFiles:
    @pytest.mark.parametrize("name", list(BROKEN))
    def test_broken_case_file_is_reported_as_such(self, tmp_path, shared_data, name):
        """Each broken local case is one French problem naming the file, with its own reason."""
        data = shared_data
        extra = tmp_path / "extra"
        (extra / "cases").mkdir(parents=True)
        content, words = BROKEN[name]
        _write(extra / "cases" / f"{name}.yaml", content)
        problems = validate(data, [extra])
        mine = [p.message() for p in problems if f"{name}.yaml" in p.file]
        assert any(words in m for m in mine), (name, mine)
        assert not any("inattendue" in m for m in mine)

    @pytest.mark.parametrize("name", ["fifo", "dossier", "lien-externe", "peripherique"])
    def test_entries_that_are_not_regular_files_are_named_and_skipped(self, tmp_path, shared_data, name):
        """A FIFO, a folder, a device or a symlink leaving the folder, named like a case: named, never read."""
        data = shared_data
        extra = tmp_path / "extra"
        (extra / "cases").mkdir(parents=True)
        target = extra / "cases" / f"{name}.yaml"
        outside = tmp_path / "ailleurs.yaml"
        outside.write_text(yaml.safe_dump(valid_case(name)), encoding="utf-8")
        {"fifo": lambda: os.mkfifo(target), "dossier": lambda: target.mkdir(),
         "lien-externe": lambda: target.symlink_to(outside),
         "peripherique": lambda: target.symlink_to("/dev/zero")}[name]()
        problems = [p.message() for p in validate(data, [extra]) if f"{name}.yaml" in p.file]
        words = {"fifo": "tube nommé", "dossier": "dossier", "lien-externe": "lien symbolique",
                 "peripherique": "lien symbolique"}[name]
        assert len(problems) == 1 and words in problems[0], problems

    def test_a_fifo_in_place_of_a_reference_file_does_not_hang(self, tmp_path):
        """frameworks.yaml replaced by a FIFO: named, and validate returns."""
        data = copy_reference(tmp_path / "data")
        (data / "frameworks.yaml").unlink()
        os.mkfifo(data / "frameworks.yaml")
        problems = [p.message() for p in validate(data)]
        assert any("frameworks.yaml" in m and "tube nommé" in m for m in problems)

    def test_an_ordinary_anchor_and_merge_still_load(self, tmp_path, course):
        """A few aliases (YAML's own way to repeat a text) are fine: only expansion bombs are refused."""
        file = tmp_path / "cas-alias.yaml"
        case = valid_case("cas-alias")
        text = yaml.safe_dump(case, allow_unicode=True, sort_keys=False)
        text = text.replace("title: Un cas d'essai", "title: &titre Un cas d'essai") + "hesitation: *titre\n"
        file.write_text(text, encoding="utf-8")
        loaded, problems = check_file(file, "case", course)
        assert problems == [] and loaded.hesitation == loaded.title


# Random text for every field a case's text reaches: HTML (widgets, report) and Moodle XML.
ODD = list("\x00\x01\x08\x0b\x1b\x7f\x85\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800\udfff<>&\"'") + ["]]>", "\r\n"]
TEXTS = st.lists(st.one_of(st.characters(exclude_categories=()), st.sampled_from(ODD)),
                 min_size=1, max_size=30).map("".join)
TEXT_FIELDS = [("title",), ("territory",), ("summary",), ("hesitation",), ("axes", "DEV"),
               ("not_axes", "ORG"), ("approach", "why")]


def _yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar that PyYAML reads back exactly (escapes for the rest)."""
    out = []
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= code < 0x7F or (0xA0 <= code < 0xD800 and code not in (0x2028, 0x2029)) or \
                0xE000 <= code < 0xFFFE and code != 0xFEFF or code >= 0x10000:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


class TestRandomUnicode:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(field=st.sampled_from(TEXT_FIELDS), text=TEXTS)
    def test_any_text_is_refused_by_name_or_exports(self, tmp_path_factory, course, field, text):
        """Random Unicode in a case's text: refused with the field named, or exported as well-formed XML."""
        folder = tmp_path_factory.mktemp("cas")
        file = folder / "cas-hostile.yaml"
        file.write_text(_yaml_with(CASE, field, _yaml_quoted(text)), encoding="utf-8")
        case, problems = check_file(file, "case", course)
        if problems:
            _assert_french_problems(problems, "cas-hostile.yaml")
        else:
            _exports(course, case)


class TestExistingDataIsUntouched:
    def test_kit_data_still_validates(self):
        """The hardened reader accepts the kit's own data as before (nothing saved is lost)."""
        assert validate() == []
