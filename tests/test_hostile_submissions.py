"""What students hand in, treated as untrusted: random JSON, broken files of every kind, names
that must stay hidden, and texts that must reach HTML and CSV intact and escaped.

The contract: a bad file is set aside with a French reason and never stops the report; the
report is written whole or not at all; with --anonymize no name shows anywhere.
"""

from __future__ import annotations

import csv
import json
import os
from html import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ockit
from ockit.cli import main
from ockit.submission import (FORMAT, MAX_ANSWERS, MAX_JUSTIFICATION, MAX_LEARNER, Submission,
                              SubmissionError, make_submission, read_submission)


@pytest.fixture(scope="module")
def course():
    return ockit.load()


@pytest.fixture(scope="module")
def case_id(course):
    return next(iter(course.cases))


def good(case_id, learner="Kim Roy", created="2026-11-23T10:00:00-05:00", **answer):
    return {"format": FORMAT, "learner": learner, "kit_version": "0.1.0", "created": created,
            "answers": [{"case": case_id, "axes": ["ORG"], **answer}]}


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
                    max_leaves=12)
FIELDS = ["format", "learner", "kit_version", "created", "answers", "case", "axes", "approach",
          "justification", "attempts", "answered_at"]


def _set(sub, field, value):
    if field in sub:
        sub[field] = value
    else:
        sub["answers"][0][field] = value
    return sub


class TestRandomJson:
    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(value=JSON)
    def test_any_json_document_is_a_submission_or_a_french_reason(self, tmp_path, case_id, value):
        """A file holding any JSON value: read, or refused with a SubmissionError naming the file."""
        path = tmp_path / "remise.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        try:
            sub = read_submission(path, known_cases={case_id})
        except SubmissionError as exc:
            assert exc.file == "remise.json" and exc.reason
        else:
            assert isinstance(sub, Submission)

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(field=st.sampled_from(FIELDS), value=JSON)
    def test_any_json_value_in_any_field(self, tmp_path, case_id, field, value):
        """Any JSON value in any field: read (and writable again), or refused naming the file."""
        path = tmp_path / "remise.json"
        path.write_text(json.dumps(_set(good(case_id), field, value)), encoding="utf-8")
        try:
            sub = read_submission(path, known_cases={case_id})
        except SubmissionError as exc:
            assert exc.file == "remise.json" and exc.reason.endswith(".")
        else:  # what the reader accepts, the writer writes and the reader reads back
            again = make_submission(sub.learner, sub.answers)
            json.dumps(again.to_dict(), ensure_ascii=False).encode("utf-8")


ANSWER_FIELDS = ["case", "axes", "approach", "justification", "attempts", "answered_at"]
# Values near the edges of what an answer may hold, beside any JSON value.
EDGE_VALUES = ["", "DEV", "QQQ", "SOCIOCOM", "x" * 101, "x" * (MAX_JUSTIFICATION + 1),
                         "a\tb", "a\x00b", "a\x85b", "\ud800", "\u2028", "é", "2026-11-23T10:00:00-05:00",
                         ["DEV"], ["DEV", "DEV"], ["RESP", "DEV"], ["DEV", 1], [["DEV"]], [],
                         True, 0, 1, 2, 1.0, None, {"DEV": 1}]
EDGES = st.sampled_from(EDGE_VALUES)


class TestFastPath:
    """A class report checks most answers by a fast path (ockit.submission._well_formed): it
    must accept nothing parse_answer refuses, and give the same answer when it accepts."""

    @staticmethod
    def _same_as_parse_answer(item, case_id):
        from ockit.submission import _well_formed, parse_answer

        fast = _well_formed(item, {case_id, ""})
        try:
            slow = parse_answer(item, "remise.json", 1, {case_id, ""})
        except Exception:  # noqa: BLE001 - whatever parse_answer refuses, however it says so
            assert fast is None, item
        else:
            assert fast is None or (fast == slow and type(fast.axes) is tuple), item
        return fast

    @staticmethod
    def _answer(case_id):
        return {"case": case_id, "axes": ["DEV", "ORG"], "approach": "SOCIOCOM",
                "justification": "Parce que.", "attempts": 2, "answered_at": "2026-11-23T10:00:00-05:00"}

    def test_every_edge_value_in_every_field(self, case_id):
        assert self._same_as_parse_answer(self._answer(case_id), case_id) is not None
        for field in ANSWER_FIELDS:
            self._same_as_parse_answer({k: v for k, v in self._answer(case_id).items() if k != field}, case_id)
            for value in EDGE_VALUES:
                self._same_as_parse_answer({**self._answer(case_id), field: value}, case_id)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(changes=st.dictionaries(st.sampled_from(ANSWER_FIELDS), EDGES | JSON, max_size=4),
           dropped=st.sets(st.sampled_from(ANSWER_FIELDS), max_size=2))
    def test_fast_path_is_as_strict_as_parse_answer(self, case_id, changes, dropped):
        item = {**self._answer(case_id), **changes}
        for field in dropped:
            item.pop(field, None)
        self._same_as_parse_answer(item, case_id)

    def test_fast_path_and_report_agree_on_a_repaired_justification(self, case_id):
        """A control character in a justification is replaced, not refused, by either path."""
        sub = {"format": FORMAT, "learner": "Kim", "answers": [
            {"case": case_id, "axes": ["ORG"], "justification": "a\x01b"},
            {"case": case_id, "axes": ["DEV", "DEV"], "answered_at": "\x1b[31m"}]}
        from ockit.submission import parse_submission

        parsed = parse_submission(sub, "remise.json", {case_id})
        assert parsed.answers[0].justification == "a\ufffdb"
        assert parsed.answers[1].axes == ("DEV",) and parsed.answers[1].answered_at is None


# Hostile files, each with the words its French reason must hold.
def hostile(case_id):
    base = good(case_id)
    return {
        "surrogate-learner": (json.dumps(good(case_id, learner="\ud800")), "U+D800"),
        "surrogate-justification": (json.dumps(good(case_id, justification="ok \udfff")), "U+DFFF"),
        "surrogate-case": (json.dumps({**base, "answers": [{"case": "\ud800", "axes": ["ORG"]}]}), "U+D800"),
        "surrogate-created": (json.dumps(good(case_id, created="\ud800")), "champ created"),
        "surrogate-approach": (json.dumps({**base, "answers": [{"case": case_id, "axes": ["ORG"],
                                                                "approach": "\ud800"}]}), "champ approach"),
        "nul-learner": (json.dumps(good(case_id, learner="Kim\x00")), "U+0000"),
        "escape-learner": (json.dumps(good(case_id, learner="\x1b[31mKim")), "U+001B"),
        "newline-learner": (json.dumps(good(case_id, learner="Kim\nRoy")), "saut de ligne"),
        "long-learner": (json.dumps(good(case_id, learner="K" * (MAX_LEARNER + 1))), "trop long"),
        "long-justification": (json.dumps(good(case_id, justification="x" * (MAX_JUSTIFICATION + 1))),
                               "trop long"),
        "long-case": (json.dumps({**base, "answers": [{"case": "c" * 500, "axes": ["ORG"]}]}), "trop long"),
        "too-many-answers": (json.dumps({**base, "answers": base["answers"] * (MAX_ANSWERS + 1)}), "limite"),
        "deep": ("[" * 100_000 + "]" * 100_000, "imbriqué"),
        "deep-inside": (json.dumps(base)[:-1] + ', "x": ' + "[" * 50_000 + "]" * 50_000 + "}", "imbriqué"),
        "huge": ('{"learner": "' + "x" * 10_123_440 + '"}', "trop volumineux (10,1 Mo; limite : 10 Mo)"),
        "not-utf8": ('{"learner": "Hélène"}'.encode("latin-1"), "UTF-8"),
        "broken": ('{"format": "ockit-submission/1", "answers": [', "JSON invalide"),
        "empty": ("", "fichier vide"),
        "blank": (" \n\t\n", "fichier vide"),
        "number-learner": (json.dumps(good(case_id, learner=12345)), "champ learner : il faut un texte"),
        "other-format": (json.dumps({"format": {"a": [1]}}), "non reconnu"),
        "number-created": (json.dumps(good(case_id, created=20261123)), "champ created"),
        "list-version": (json.dumps({**base, "kit_version": [1, 2]}), "champ kit_version"),
    }


HOSTILE_NAMES = list(hostile("x"))


def _write(path, content):
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", errors="surrogatepass")


@pytest.fixture
def no_figures(monkeypatch):
    """The report without drawing its figures (matplotlib takes most of its time; they are not
    what these tests are about)."""
    from ockit import report

    monkeypatch.setattr(report, "figure_images", lambda data, course: {name: b"" for name in report.FIGURES})
    monkeypatch.setattr(report, "_draw_apart", lambda: False)  # nor in a second process


class TestHostileFiles:
    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_reader_refuses_with_its_french_reason(self, tmp_path, case_id, name):
        """Each kind of hostile file is a SubmissionError whose reason says what is wrong."""
        content, words = hostile(case_id)[name]
        path = tmp_path / f"{name}.json"
        _write(path, content)
        with pytest.raises(SubmissionError) as info:
            read_submission(path, known_cases={case_id})
        assert words in info.value.reason and info.value.file == f"{name}.json"

    @pytest.mark.parametrize("name", HOSTILE_NAMES)
    def test_one_hostile_file_never_stops_the_report_nor_empties_an_earlier_one(self, tmp_path, course,
                                                                                case_id, name, no_figures):
        """The report lists the good files' results and the hostile one's reason; the old report is replaced whole."""
        folder, out = tmp_path / "in", tmp_path / "out"
        folder.mkdir()
        out.mkdir()
        (out / "report.html").write_text("<p>rapport précédent</p>", encoding="utf-8")
        (folder / "bon.json").write_text(json.dumps(good(case_id, learner="Alex Bon")), encoding="utf-8")
        content, words = hostile(case_id)[name]
        _write(folder / f"{name}.json", content)
        from ockit.report import write_report

        result = write_report(folder, out, course)
        html = (out / "report.html").read_text(encoding="utf-8")
        assert "1 apprenant·e(s)" in html and f"{name}.json" in html and escape(words, quote=False) in html
        assert "Alex Bon" in (out / "answers.csv").read_text(encoding="utf-8")
        assert [r.file for r in result.data.rejected] == [f"{name}.json"]
        assert list(result.data.answers["learner"]) == ["Alex Bon"]

    @pytest.mark.parametrize("kind", ["fifo", "folder", "symlink-out", "device"])
    def test_entries_that_are_not_regular_files_are_named_and_never_opened(self, tmp_path, course, case_id, kind):
        """A FIFO, a folder, a device or a symlink leading out, named x.json: listed, skipped, nothing hangs."""
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "bon.json").write_text(json.dumps(good(case_id)), encoding="utf-8")
        outside = tmp_path / "ailleurs.json"
        outside.write_text(json.dumps(good(case_id, learner="Hors Dossier")), encoding="utf-8")
        target = folder / "x.json"
        {"fifo": lambda: os.mkfifo(target), "folder": lambda: target.mkdir(),
         "symlink-out": lambda: target.symlink_to(outside), "device": lambda: target.symlink_to("/dev/zero")}[kind]()
        from ockit.classroom import read_class

        data = read_class(folder, course)
        (rejected,) = data.rejected
        words = {"fifo": "tube nommé", "folder": "dossier", "symlink-out": "lien symbolique",
                 "device": "lien symbolique"}[kind]
        assert rejected.file == "x.json" and words in rejected.reason
        assert list(data.answers["learner"]) == ["Kim Roy"]

    def test_a_failure_while_writing_leaves_the_earlier_report_intact(self, tmp_path, course, case_id, monkeypatch,
                                                                      no_figures):
        """The page is built before anything is replaced: a crash keeps the old report.html, and no temporary file."""
        from ockit import report

        folder, out = tmp_path / "in", tmp_path / "out"
        folder.mkdir()
        (folder / "bon.json").write_text(json.dumps(good(case_id)), encoding="utf-8")
        report.write_report(folder, out, course)
        before = {p.name: p.read_bytes() for p in out.iterdir()}

        def broken(*args, **kwargs):
            raise MemoryError("simulée")

        monkeypatch.setattr(report, "render_html", broken)
        with pytest.raises(MemoryError):
            report.write_report(folder, out, course)
        assert {p.name: p.read_bytes() for p in out.iterdir()}["report.html"] == before["report.html"]
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


class TestDuplicates:
    def test_created_times_compare_as_instants_across_time_zones(self, tmp_path, course, case_id):
        """10:00-05:00 (15:00 UTC) is later than 14:00+00:00, although it sorts first as text."""
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "a.json").write_text(json.dumps(good(case_id, created="2026-11-23T10:00:00-05:00",
                                                       justification="plus récente")), encoding="utf-8")
        (folder / "b.json").write_text(json.dumps(good(case_id, created="2026-11-23T14:00:00+00:00",
                                                       justification="plus ancienne")), encoding="utf-8")
        from ockit.classroom import read_class

        data = read_class(folder, course)
        assert list(data.answers["justification"]) == ["plus récente"]
        assert [r.file for r in data.rejected] == ["b.json"] and "a.json" in data.rejected[0].reason

    def test_two_hand_ins_created_at_the_same_instant_are_not_called_newer(self, tmp_path, course, case_id):
        """Same learner, same `created`: the one set aside is not said to be older (it is not)."""
        from ockit.classroom import read_class

        (tmp_path / "a.json").write_text(json.dumps(good(case_id)), encoding="utf-8")
        (tmp_path / "b.json").write_text(json.dumps(good(case_id)), encoding="utf-8")
        (rejected,) = read_class(tmp_path, course).rejected
        assert "plus récente" not in rejected.reason and "même date" in rejected.reason

    def test_a_time_that_is_not_iso_counts_as_oldest(self, tmp_path, course, case_id):
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "a.json").write_text(json.dumps(good(case_id, created="hier", justification="x")), encoding="utf-8")
        (folder / "b.json").write_text(json.dumps(good(case_id, created="2020-01-01T00:00:00Z",
                                                       justification="y")), encoding="utf-8")
        from ockit.classroom import read_class

        assert list(read_class(folder, course).answers["justification"]) == ["y"]


NAMES = ("Julie", "Lavoie", "Marc", "Tremblay")


class TestAnonymity:
    def _folder(self, tmp_path, case_id):
        folder = tmp_path / "in"
        folder.mkdir()
        (folder / "Julie Lavoie.json").write_text('{"learner": "Julie Lavoie", oops', encoding="utf-8")
        (folder / "Marc Tremblay (1).json").write_text(json.dumps(good(case_id, learner="Marc Tremblay",
                                                                       created="2026-01-01T00:00:00Z")),
                                                       encoding="utf-8")
        (folder / "Marc Tremblay (2).json").write_text(json.dumps(good(
            case_id, learner="Marc Tremblay", created="2026-02-01T00:00:00Z", axes=["DEV", "RESP", "DSS"],
            justification="Signé : Marc Tremblay")), encoding="utf-8")
        (folder / "Julie Lavoie 2.json").write_text(json.dumps({**good(case_id, learner="Julie Lavoie"),
                                                               "answers": [{"case": "julie-lavoie", "axes": []}]}),
                                                    encoding="utf-8")
        os.mkfifo(folder / "Julie Lavoie tube.json")
        return folder

    @pytest.mark.parametrize("salt", [None, "secret-du-cours"])
    def test_no_name_anywhere_with_anonymize(self, tmp_path, case_id, capsys, monkeypatch, salt, no_figures):
        """Report, CSVs, stdout (--json), stderr: no name from inside a file or from a file's name."""
        if salt:
            monkeypatch.setenv("OCKIT_PSEUDONYM_SALT", salt)
        else:
            monkeypatch.delenv("OCKIT_PSEUDONYM_SALT", raising=False)
        folder, out = self._folder(tmp_path, case_id), tmp_path / "out"
        assert main(["class-report", str(folder), "--out", str(out), "--anonymize", "--json"]) == 0
        captured = capsys.readouterr()
        texts = {"stdout": captured.out, "stderr": captured.err,
                 **{p.name: p.read_text(encoding="utf-8") for p in out.iterdir()}}
        for where, text in texts.items():
            for name in NAMES:
                assert name.casefold() not in text.casefold(), (where, name)
        summary = json.loads(captured.out)
        assert len(summary["rejected"]) == 4
        assert all(r["file"].startswith("fichier n° ") for r in summary["rejected"])
        html = texts["report.html"]
        if salt:
            assert "sel secret" in html
        else:
            assert "sel public" in html and "OCKIT_PSEUDONYM_SALT" in html

    def test_without_anonymize_files_are_named(self, tmp_path, case_id, capsys, no_figures):
        folder, out = self._folder(tmp_path, case_id), tmp_path / "out"
        assert main(["class-report", str(folder), "--out", str(out)]) == 0
        assert "Julie Lavoie.json" in (out / "report.html").read_text(encoding="utf-8")
        assert "sel public" not in (out / "report.html").read_text(encoding="utf-8")

    def test_help_documents_the_salt(self, capsys):
        with pytest.raises(SystemExit):
            main(["class-report", "--help"])
        text = " ".join(capsys.readouterr().out.split())
        assert "OCKIT_PSEUDONYM_SALT" in text and "sel public" in text


TEXT = st.lists(st.one_of(st.characters(exclude_categories=()),
                          st.sampled_from(list("=+-@\t\r\n\x00\x1b\ufffe<>&\"'") + ["<script>", "]]>"])),
                min_size=1, max_size=40).map("".join)


class TestRandomUnicodeToHtmlAndCsv:
    @settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(learner=TEXT, justification=TEXT)
    def test_any_name_and_justification_reach_html_and_csv_intact_or_are_refused(self, tmp_path_factory, course,
                                                                                 case_id, learner, justification):
        """Random Unicode: refused with a French reason, or shown escaped in HTML and read back from the CSV."""
        from ockit.classroom import read_class, write_tables
        from ockit.report import FIGURES, render_html

        folder = tmp_path_factory.mktemp("in")
        text = "Parce que " + justification
        (folder / "r.json").write_text(json.dumps(good(case_id, learner=learner, justification=text,
                                                       axes=["DEV", "DSS", "ORG", "RESP"])),
                                       encoding="utf-8")
        data = read_class(folder, course)
        html = render_html(data, course, {name: b"" for name in FIGURES})  # figures play no part here
        html.encode("utf-8")
        if data.rejected:
            assert data.rejected[0].reason.endswith(".") and not len(data.answers)
            return
        name = learner.strip()
        assert escape(name) in html and "<script>" not in html
        assert escape(data.answers["justification"][0]) in html
        write_tables(data, course, folder / "out")
        with open(folder / "out" / "grades.csv", encoding="utf-8", newline="") as handle:
            (row,) = list(csv.DictReader(handle))
        assert row["learner"] in (name, "'" + name)


class TestWriter:
    def test_the_writer_refuses_what_the_reader_would(self):
        """A name over 200 characters or with a control character is refused before anything is written."""
        for bad in ("K" * (MAX_LEARNER + 1), "Kim\x07", "\ud800", "  "):
            with pytest.raises(SubmissionError):
                make_submission(bad, [])

    def test_justifications_are_kept_writable(self, tmp_path, case_id):
        """A lone surrogate (from a browser) or a control character becomes U+FFFD; the rest is kept."""
        sub = make_submission("Kim", [{"case": case_id, "axes": ["DEV"], "justification": "a\ud800b\x07c"}])
        assert sub.answers[0].justification == "a\ufffdb\ufffdc"

    def test_export_submission_refuses_a_long_learner_in_french(self, tmp_path, store_path, capsys):
        from ockit.progress import Store
        from ockit.submission import SubmittedAnswer

        Store().record(SubmittedAnswer(case="info-alimentaire", axes=("ORG",)))
        code = main(["export-submission", "--out", str(tmp_path / "r.json"), "--learner", "K" * 300])
        assert code == 1 and "Rien n'a été exporté" in capsys.readouterr().err
        assert not (tmp_path / "r.json").exists()


class TestSchemaLimits:
    def test_the_reader_enforces_the_published_schema_limits(self):
        """The limits in schemas/submission-1.json are the ones the reader and the writer apply."""
        from ockit import submission

        schema = json.loads(submission.SCHEMA_PATH.read_text(encoding="utf-8"))
        props = schema["properties"]
        answer = props["answers"]["items"]["properties"]
        assert props["learner"]["maxLength"] == submission.MAX_LEARNER
        assert props["answers"]["maxItems"] == submission.MAX_ANSWERS
        assert answer["justification"]["maxLength"] == submission.MAX_JUSTIFICATION
        assert {props["kit_version"]["maxLength"], props["created"]["maxLength"], answer["case"]["maxLength"],
                answer["answered_at"]["maxLength"]} == {submission.MAX_SHORT}
