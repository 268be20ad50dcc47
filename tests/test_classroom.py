"""The class report: reading a folder of submissions, the CSV tables, kappa, and the HTML page."""

import csv
import json
import re

import pytest

import ockit
from ockit.classroom import (ANSWER_COLUMNS, agreement_table, fleiss_kappa, pseudonym,
                             read_class)
from ockit.cli import main
from ockit.data import KIT_DATA
from ockit.model import AXIS_CODES
from ockit.report import write_report
from ockit.submission import FORMAT

REPO_SAMPLE = KIT_DATA / "sample_class"


@pytest.fixture(scope="module")
def course():
    return ockit.load()


def other_axis(key):
    return next(c for c in AXIS_CODES if c not in key)


def submission(learner, answers, created="2026-11-23T10:00:00-05:00"):
    return {"format": FORMAT, "learner": learner, "kit_version": "0.1.0", "created": created,
            "answers": answers}


def write(folder, name, data):
    folder.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (folder / name).write_text(text, encoding="utf-8")


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def two_cases(course):
    first, second = list(course.cases.values())[:2]
    return first, second


class TestTables:
    def test_answers_csv_has_the_contract_columns_and_one_row_per_learner_and_case(self, tmp_path, course, two_cases):
        """answers.csv has exactly the agreed columns, axes joined with '+'."""
        a, b = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [
            {"case": a.id, "axes": list(a.axes), "approach": None},
            {"case": b.id, "axes": list(b.axes) + [other_axis(b.axes)], "approach": None}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        table = rows(tmp_path / "out" / "answers.csv")
        assert tuple(table[0].keys()) == ANSWER_COLUMNS == ("learner", "case", "axes", "approach", "jaccard", "reading",
                                                            "exact")
        by_case = {r["case"]: r for r in table}
        assert len(table) == 2
        assert by_case[a.id]["axes"] == "+".join(a.axes)
        assert by_case[a.id]["exact"] == "True" and float(by_case[a.id]["jaccard"]) == 1.0
        extra = len(b.axes) / (len(b.axes) + 1)
        assert by_case[b.id]["exact"] == "False"
        assert float(by_case[b.id]["jaccard"]) == pytest.approx(extra, abs=1e-4)

    def test_cases_csv_names_most_missed_and_most_extra_axis(self, tmp_path, course, two_cases):
        """Per case: count, exact rate, mean Jaccard, most missed and most added axis."""
        a, _ = two_cases
        missed = a.axes[0]
        added = other_axis(a.axes)
        chosen = [c for c in a.axes if c != missed] + [added]
        for i in range(3):
            write(tmp_path / "in", f"s{i}.json", submission(f"P{i}", [{"case": a.id, "axes": chosen}]))
        write(tmp_path / "in", "s9.json", submission("P9", [{"case": a.id, "axes": list(a.axes)}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        (row,) = rows(tmp_path / "out" / "cases.csv")
        j = (len(a.axes) - 1) / (len(a.axes) + 1)
        assert row["case"] == a.id and int(row["answers"]) == 4
        assert float(row["exact_rate"]) == pytest.approx(0.25)
        assert float(row["mean_jaccard"]) == pytest.approx((3 * j + 1) / 4, abs=1e-4)
        assert (row["most_missed"], row["most_extra"]) == (missed, added)

    def test_grades_csv_gives_each_learner_the_mean_of_their_answers_out_of_100(self, tmp_path, course, two_cases):
        """grades.csv: one row per learner; score = 100 × mean of that learner's jaccard in answers.csv."""
        a, b = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": list(a.axes)},
                                                             {"case": b.id, "axes": ["DEV", "ORG", "DSS", "RESP"]}]))
        write(tmp_path / "in", "y.json", submission("Bea", [{"case": a.id, "axes": list(a.axes)}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        answers = rows(tmp_path / "out" / "answers.csv")
        grades = {r["learner"]: r for r in rows(tmp_path / "out" / "grades.csv")}
        assert list(rows(tmp_path / "out" / "grades.csv")[0]) == ["learner", "account", "answered", "exact",
                                                                  "score", "score_all"]
        assert {r["account"] for r in grades.values()} == {""}  # not hand-in file names
        assert set(grades) == {"Alex", "Bea"}
        for name, grade in grades.items():
            mine = [float(r["jaccard"]) for r in answers if r["learner"] == name]
            assert int(grade["answered"]) == len(mine)
            assert float(grade["score"]) == pytest.approx(100 * sum(mine) / len(mine), abs=0.05)
        assert float(grades["Bea"]["score"]) == 100 and int(grades["Bea"]["exact"]) == 1
        assert float(grades["Alex"]["score"]) < 100
        # score_all counts the case Bea left unanswered as 0, over the two cases of the class.
        assert float(grades["Bea"]["score_all"]) == 50
        alex = [float(r["jaccard"]) for r in answers if r["learner"] == "Alex"]
        assert float(grades["Alex"]["score_all"]) == pytest.approx(100 * sum(alex) / 2, abs=0.05)

    def test_one_hub_account_is_one_learner_whatever_name_was_typed(self, tmp_path, course, two_cases):
        """Hand-ins from account etu-0001 typed « Marie Roy », then « marie-eve roy »: one learner (the latest),
        and grades.csv gives the account, for a gradebook that matches on it."""
        a, _ = two_cases
        write(tmp_path / "in", "remise-etu-0001-20261123T100000-000.json",
              submission("Marie Roy", [{"case": a.id, "axes": ["DEV"]}], created="2026-11-23T10:00:00-05:00"))
        write(tmp_path / "in", "remise-etu-0001-20261124T090000-000.json",
              submission("marie-eve roy", [{"case": a.id, "axes": list(a.axes)}], created="2026-11-24T09:00:00-05:00"))
        write(tmp_path / "in", "remise-etu-0002-20261123T100000-000.json",
              submission("Léo", [{"case": a.id, "axes": ["DEV"]}]))
        data = read_class(tmp_path / "in", course)
        assert data.learners == 2
        assert [r.file for r in data.rejected] == ["remise-etu-0001-20261123T100000-000.json"]
        assert "plus récente" in data.rejected[0].reason
        write_report(tmp_path / "in", tmp_path / "out", course)
        grades = {r["learner"]: r for r in rows(tmp_path / "out" / "grades.csv")}
        assert {k: v["account"] for k, v in grades.items()} == {"marie-eve roy": "etu-0001", "Léo": "etu-0002"}
        assert float(grades["marie-eve roy"]["score"]) == 100

    def test_two_accounts_with_the_same_name_are_two_learners(self, tmp_path, course, two_cases):
        """Two people named « Marie Roy », two accounts: both kept, told apart by their account."""
        a, _ = two_cases
        for account in ("etu-0001", "etu-0002"):
            write(tmp_path / "in", f"remise-{account}-20261123T100000-000.json",
                  submission("Marie Roy", [{"case": a.id, "axes": ["DEV"] if account.endswith("1") else list(a.axes)}]))
        data = read_class(tmp_path / "in", course)
        assert data.rejected == () and data.learners == 2
        write_report(tmp_path / "in", tmp_path / "out", course)
        grades = {r["learner"]: r["account"] for r in rows(tmp_path / "out" / "grades.csv")}
        assert grades == {"Marie Roy (etu-0001)": "etu-0001", "Marie Roy (etu-0002)": "etu-0002"}

    def test_anonymized_tables_never_carry_the_account(self, tmp_path, course, two_cases):
        a, _ = two_cases
        write(tmp_path / "in", "remise-etu-0042-20261123T100000-000.json",
              submission("Marie Roy", [{"case": a.id, "axes": ["DEV"], "justification": "Marie Roy, etu-0042"}]))
        main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--anonymize"])
        grades = rows(tmp_path / "out" / "grades.csv")
        assert [r["account"] for r in grades] == [""] and grades[0]["learner"].startswith("apprenant-")
        for table in ("answers", "grades"):
            assert "Marie Roy" not in (tmp_path / "out" / f"{table}.csv").read_text(encoding="utf-8")

    def test_names_a_spreadsheet_would_run_as_formulas_are_quoted(self, tmp_path, course, two_cases):
        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("=HYPERLINK(\"http://x\")", [{"case": a.id, "axes": ["DEV"]}]))
        write(tmp_path / "in", "y.json", submission("Anne-Marie", [{"case": a.id, "axes": ["DEV"]}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        for table in ("answers", "grades"):
            names = {r["learner"] for r in rows(tmp_path / "out" / f"{table}.csv")}
            assert names == {"'=HYPERLINK(\"http://x\")", "Anne-Marie"}

    def test_agreement_csv_has_one_row_per_axis_and_an_all_row(self, tmp_path, course, two_cases):
        """agreement.csv: columns axis, kappa; one row per axis code, then ALL."""
        a, b = two_cases
        for i in range(3):
            write(tmp_path / "in", f"s{i}.json", submission(f"P{i}", [
                {"case": a.id, "axes": list(a.axes)}, {"case": b.id, "axes": list(b.axes)}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        table = rows(tmp_path / "out" / "agreement.csv")
        assert list(table[0].keys()) == ["axis", "kappa"]
        assert [r["axis"] for r in table] == [*AXIS_CODES, "ALL"]

    def test_last_of_two_files_from_one_learner_is_kept(self, tmp_path, course, two_cases):
        """Two files from the same learner: the later one counts, the other is listed."""
        a, _ = two_cases
        write(tmp_path / "in", "old.json", submission("Alex Roy", [{"case": a.id, "axes": [other_axis(a.axes)]}],
                                                      created="2026-11-01T10:00:00-05:00"))
        write(tmp_path / "in", "new.json", submission("alex  roy", [{"case": a.id, "axes": list(a.axes)}],
                                                      created="2026-11-20T10:00:00-05:00"))
        data = read_class(tmp_path / "in", course)
        assert list(data.answers["exact"]) == [True]
        assert [r.file for r in data.rejected] == ["old.json"]
        assert "new.json" in data.rejected[0].reason


    @pytest.mark.parametrize("frame", [
        {"learner": ["Alex", "Béa, « la grande »", 'Dit "Chuck"', "Ligne\nbrisée", "Retour\rchariot", ""],
         "score": [0.1 + 0.2, 1e-05, 1e16, float("nan"), 100.0, -0.0],
         "exact": [True, False, True, False, True, False],
         "answered": [1, 2, 3, 40, 0, -7],
         "approach_ok": [None, True, False, None, True, 0.5]},
        {"case": ["a", "b"], "rate": [None, 0.25], "kappa": [float("nan"), 0.3333]},
        {"axis": [], "kappa": []},
    ], ids=["texts-to-quote", "missing-values", "empty"])
    def test_csv_text_writes_what_pandas_writes(self, frame):
        """Every cell kind of the tables (quoted texts, NaN, None, floats, ints, booleans) as pandas' to_csv."""
        import pandas as pd

        from ockit.classroom import csv_text

        table = pd.DataFrame(frame)
        if table.columns[0] == "case":
            table["rate"] = table["rate"].astype(object)
        assert csv_text(table) == table.to_csv(index=False, lineterminator="\n")

    def test_csv_text_writes_the_sample_class_tables_as_pandas_does(self, course):
        """The four tables of a real class, and its whole answers frame (justifications too)."""
        from ockit.classroom import cases_table, csv_text, grades_table

        data = read_class(REPO_SAMPLE, course)
        for table in (data.answers, grades_table(data), cases_table(data, course), agreement_table(data)):
            assert csv_text(table) == table.to_csv(index=False, lineterminator="\n")


class TestFleissKappa:
    def test_matches_the_published_worked_example(self):
        """Fleiss' kappa on the classic 10 items × 5 categories × 14 raters example is 0.210."""
        counts = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
                  [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
                  [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]
        assert fleiss_kappa(counts) == pytest.approx(0.210, abs=0.001)

    def test_varying_raters_per_item_follow_the_pairwise_formula(self):
        """With 2, 3 and 2 raters, kappa is (P̄ - Pe)/(1 - Pe) computed by hand: 118/216."""
        assert fleiss_kappa([[2, 0], [1, 2], [0, 2]]) == pytest.approx(118 / 216)

    def test_items_with_a_single_rater_are_left_out(self):
        """An item rated once is dropped, from the pairs and from the category shares alike."""
        base = [[2, 0], [1, 2], [0, 2]]
        assert fleiss_kappa(base + [[1, 0]]) == pytest.approx(fleiss_kappa(base))
        assert fleiss_kappa([[1, 0], [0, 1]]) != fleiss_kappa([[1, 0], [0, 1]])  # NaN: no pairs

    def test_perfect_agreement_on_both_categories_is_one(self):
        """Everyone agrees, and both categories occur: kappa is 1."""
        assert fleiss_kappa([[3, 0], [0, 3], [3, 0]]) == pytest.approx(1.0)

    def test_learners_who_all_agree_get_kappa_one_per_axis(self, tmp_path, course, two_cases):
        """Identical answers from every learner give kappa 1 on axes that vary across cases."""
        a, b = two_cases
        for i in range(4):
            write(tmp_path / "in", f"s{i}.json", submission(f"P{i}", [
                {"case": a.id, "axes": ["DEV"]}, {"case": b.id, "axes": ["DSS"]}]))
        table = agreement_table(read_class(tmp_path / "in", course)).set_index("axis")["kappa"]
        assert table["DEV"] == pytest.approx(1.0) and table["DSS"] == pytest.approx(1.0)
        assert table["ORG"] != table["ORG"]  # nobody ever ticks ORG: undefined (NaN)
        assert table["ALL"] == pytest.approx(1.0)


class TestReport:
    def test_malformed_files_are_named_with_their_reason_and_the_report_builds(self, tmp_path, course, two_cases, capsys):
        """Bad JSON, another format, unknown case, unknown code: listed in HTML and on stderr."""
        a, _ = two_cases
        folder = tmp_path / "in"
        write(folder, "bon.json", submission("Alex", [{"case": a.id, "axes": list(a.axes)}]))
        write(folder, "casse.json", '{"format": "ockit-submission/1", "answers": [')
        write(folder, "autre.json", {"format": "autre/9"})
        write(folder, "inconnu.json", submission("B", [{"case": "cas-absent-zzz", "axes": ["DEV"]}]))
        write(folder, "code.json", submission("C", [{"case": a.id, "axes": ["ZQX"]}]))
        code = main(["class-report", str(folder), "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert code == 0
        for name, word in [("casse.json", "JSON invalide"), ("autre.json", "autre/9"),
                           ("inconnu.json", "cas-absent-zzz"), ("code.json", "ZQX")]:
            assert re.search(re.escape(name) + r".*" + re.escape(word), err), (name, err)
            assert name in html and word in html
        assert "bon.json" not in err
        assert len(rows(tmp_path / "out" / "answers.csv")) == 1

    def test_script_in_learner_text_is_never_unescaped(self, tmp_path, course, two_cases):
        """A <script> in a justification or a name shows as text, never as a tag."""
        a, _ = two_cases
        evil = "<script>alert('x')</script>"
        write(tmp_path / "in", "x.json", submission(f"Nom {evil}", [
            {"case": a.id, "axes": [other_axis(a.axes)], "justification": f"Voici {evil} & co"}]))
        write(tmp_path / "in", f"f{evil[:7]}.json", "pas du json")
        write_report(tmp_path / "in", tmp_path / "out", course)
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert "<script" not in html
        assert "&lt;script&gt;alert(" in html
        assert "&amp; co" in html

    def test_report_is_self_contained_french_with_three_embedded_figures(self, tmp_path, course, two_cases):
        """report.html embeds its three PNG figures as data URIs and loads nothing else."""
        a, b = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": list(a.axes)},
                                                             {"case": b.id, "axes": ["DEV"]}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert '<html lang="fr' in html
        assert len(re.findall(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]+"', html)) == 3
        assert not re.search(r'(src|href)="(https?:)?//', html)

    def test_empty_folder_still_builds_a_report(self, tmp_path, course):
        """No submission at all: the page and the three tables are still written."""
        (tmp_path / "in").mkdir()
        write_report(tmp_path / "in", tmp_path / "out", course)
        assert (tmp_path / "out" / "report.html").is_file()
        assert rows(tmp_path / "out" / "answers.csv") == []

    def test_missing_folder_exits_1_with_a_french_message(self, tmp_path, capsys):
        """A folder that does not exist: exit code 1 and a message naming it."""
        assert main(["class-report", str(tmp_path / "absent"), "--out", str(tmp_path / "o")]) == 1
        assert "introuvable" in capsys.readouterr().err

    def test_folder_without_submissions_or_a_file_is_refused_before_writing(self, tmp_path, capsys):
        """No .json in the folder, or a file given as the folder: exit 1, French reason, nothing written."""
        (tmp_path / "vide").mkdir()
        (tmp_path / "remise.json").write_text("{}", encoding="utf-8")
        for folder, words in ((tmp_path / "vide", "Aucun fichier .json"),
                              (tmp_path / "remise.json", "n'est pas un dossier")):
            assert main(["class-report", str(folder), "--out", str(tmp_path / "o")]) == 1
            assert words in capsys.readouterr().err
        assert not (tmp_path / "o").exists()

    def test_hand_ins_in_subfolders_are_pointed_at_without_naming_them(self, tmp_path, capsys, two_cases):
        """One subfolder per account and no .json on top: exit 1, the subfolders counted, the
        copy command given, no account name printed."""
        a, _ = two_cases
        for account in ("matricule-123", "matricule-456"):
            write(tmp_path / "remises" / account, "r.json", submission("Alex", [{"case": a.id, "axes": ["DEV"]}]))
        assert main(["class-report", str(tmp_path / "remises"), "--out", str(tmp_path / "o"), "--anonymize"]) == 1
        err = capsys.readouterr().err
        assert "2 sous-dossier(s)" in err and "/*/*.json" in err and "matricule" not in err
        assert not (tmp_path / "o").exists()

    def test_out_that_is_a_file_is_refused(self, tmp_path, capsys, two_cases):
        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": ["DEV"]}]))
        (tmp_path / "o").write_text("à garder", encoding="utf-8")
        assert main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "o")]) == 1
        assert "n'est pas un dossier" in capsys.readouterr().err
        assert (tmp_path / "o").read_text(encoding="utf-8") == "à garder"

    def test_long_runs_report_progress_on_stderr_in_french(self, tmp_path, course, two_cases, capsys):
        """Forty files: progress lines at each tenth, ending at 100 %."""
        a, _ = two_cases
        for i in range(40):
            write(tmp_path / "in", f"s{i:02d}.json", submission(f"P{i}", [{"case": a.id, "axes": ["DEV"]}]))
        main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
        lines = [l for l in capsys.readouterr().err.splitlines() if l.startswith("Lecture des remises")]
        assert len(lines) == 10 and "100 %" in lines[-1] and "40 fichiers sur 40" in lines[-1]


    @pytest.mark.parametrize("enabled", [True, False])
    def test_the_garbage_collector_is_left_as_it_was_even_on_failure(self, tmp_path, course, two_cases,
                                                                    capsys, enabled):
        """The report pauses the cyclic collector while it runs, and restores its state after,
        also when the report fails (here: an unusable double annotation)."""
        import gc

        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": ["DEV"]}]))
        (tmp_path / "experts.yaml").write_text("pas: [une, annotation", encoding="utf-8")
        (gc.enable if enabled else gc.disable)()
        try:
            write_report(tmp_path / "in", tmp_path / "out", course)
            assert gc.isenabled() is enabled
            assert main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "o"),
                         "--experts", str(tmp_path / "experts.yaml")]) == 1
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


    def test_figures_draw_unhinted_text_and_leave_matplotlib_settings_as_they_were(self, course, two_cases,
                                                                                  tmp_path):
        import matplotlib

        from ockit.report import figures, png

        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": ["DEV"]}]))
        fig = figures(read_class(tmp_path / "in", course), course)["answers_by_case"]
        with matplotlib.rc_context({"text.hinting": "force_autohint"}):
            picture = png(fig)
            assert matplotlib.rcParams["text.hinting"] == "force_autohint"
            with matplotlib.rc_context({"text.hinting": "no_hinting"}):
                unhinted = png(fig)
        assert picture.startswith(b"\x89PNG") and picture == unhinted

    def test_the_command_ends_quickly_with_everything_written_and_flushed(self, tmp_path, two_cases):
        """`python -m ockit.cli class-report` ends with os._exit once the report is written:
        exit code, stdout, stderr and every file are all there, for a success and a failure."""
        import subprocess
        import sys

        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": ["DEV"]}]))
        write(tmp_path / "in", "casse.json", '{"format": "ockit-submission/1", "answers": [')
        (tmp_path / "experts.yaml").write_text("pas: [une, annotation", encoding="utf-8")
        command = [sys.executable, "-m", "ockit.cli", "class-report", str(tmp_path / "in")]
        done = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True)
        assert done.returncode == 0 and "Rapport écrit" in done.stdout, done.stderr
        assert "casse.json" in done.stderr and "JSON invalide" in done.stderr
        assert (tmp_path / "out" / "report.html").read_text(encoding="utf-8").endswith("</html>")
        assert len(rows(tmp_path / "out" / "answers.csv")) == 1
        failed = subprocess.run([*command, "--out", str(tmp_path / "o2"), "--experts",
                                 str(tmp_path / "experts.yaml")], capture_output=True, text=True)
        assert failed.returncode == 1 and "Double annotation inutilisable" in failed.stderr


class TestAnonymize:
    def test_names_are_replaced_by_stable_pseudonyms(self, tmp_path, course, two_cases):
        """--anonymize: no name in the outputs; the same name maps to the same pseudonym twice."""
        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Marie-Ève Tremblay", [
            {"case": a.id, "axes": [other_axis(a.axes)], "justification": "parce que"}]))
        write(tmp_path / "in", "y.json", submission("Jean Roy", [{"case": a.id, "axes": ["DEV"]}]))
        for run in ("out1", "out2"):
            main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / run), "--anonymize"])
        outputs = [(tmp_path / run / f).read_text(encoding="utf-8")
                   for run in ("out1", "out2") for f in ("report.html", "answers.csv")]
        assert not any("Tremblay" in text or "Jean Roy" in text for text in outputs)
        first = {r["learner"] for r in rows(tmp_path / "out1" / "answers.csv")}
        second = {r["learner"] for r in rows(tmp_path / "out2" / "answers.csv")}
        assert first == second == {pseudonym("Marie-Ève Tremblay"), pseudonym("Jean Roy")}
        assert all(re.fullmatch(r"apprenant-[0-9a-f]{10}", p) for p in first)

    def test_a_classmate_named_in_a_justification_is_hidden_too(self, tmp_path, course, two_cases):
        """--anonymize hides every name of the class in every justification, not only the
        author's own; ordinary words that merely contain a name stay as written."""
        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Marie-Ève Tremblay", [
            {"case": a.id, "axes": [other_axis(a.axes)],
             "justification": "Discuté avec jean ROY et Tremblay; voir le royaume des axes."}]))
        write(tmp_path / "in", "y.json", submission("Jean Roy", [
            {"case": a.id, "axes": ["DEV"], "justification": "Comme Marie-Ève l'a dit."}]))
        main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--anonymize"])
        for f in ("report.html", "answers.csv"):
            text = (tmp_path / "out" / f).read_text(encoding="utf-8")
            for name in ("Roy", "jean", "Tremblay", "Marie", "Ève"):
                assert not re.search(rf"\b{name}\b", text, re.IGNORECASE), (f, name)
        html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert "Discuté avec [nom] [nom] et [nom]; voir le royaume des axes." in html
        assert "Comme [nom]-[nom] l&#x27;a dit." in html

    def test_pseudonym_ignores_case_and_spacing_but_depends_on_the_salt(self):
        """Same person written differently: same pseudonym; another salt: another one."""
        assert pseudonym("Marie  Roy") == pseudonym("marie roy")
        assert pseudonym("Marie Roy") != pseudonym("Marie Rox")
        assert pseudonym("Marie Roy", salt="secret") != pseudonym("Marie Roy")


class TestSampleClass:
    def test_bundled_sample_is_labelled_synthetic_and_reads_with_known_rejections(self, course):
        """data/sample_class: synthetic names, a README, and only the four defective files set aside."""
        readme = (REPO_SAMPLE / "README.md").read_text(encoding="utf-8")
        assert "inventées" in readme and "synthétique" in readme
        assert all(p.name.startswith("synthetique-") for p in REPO_SAMPLE.glob("*.json"))
        data = read_class(REPO_SAMPLE, course)
        assert sorted(r.file for r in data.rejected) == sorted(
            ["synthetique-casse-json.json", "synthetique-autre-format.json",
             "synthetique-cas-inconnu.json", "synthetique-code-inconnu.json"]), \
            "Régénérez l'échantillon : python -m ockit.sample data/sample_class"
        assert all(name.startswith("Personne synthétique") for name in data.answers["learner"])

    def test_generator_is_deterministic_for_a_seed(self, tmp_path, course):
        """Two runs with the same seed write identical files; another seed differs."""
        from ockit.sample import write_sample

        texts = []
        for run, seed in (("a", 7), ("b", 7), ("c", 8)):
            write_sample(tmp_path / run, course, learners=3, seed=seed)
            texts.append({p.name: p.read_text(encoding="utf-8") for p in (tmp_path / run).iterdir()})
        assert texts[0] == texts[1] != texts[2]

    def test_bundled_sample_is_up_to_date_with_the_cases(self, tmp_path, course):
        """The bundled files are exactly what the generator writes for today's cases."""
        from ockit.sample import write_sample

        write_sample(tmp_path, course)
        fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
        bundled = {p.name: p.read_text(encoding="utf-8") for p in REPO_SAMPLE.iterdir()}
        assert fresh == bundled, "Échantillon périmé. Régénérez-le : python -m ockit.sample data/sample_class"


class TestFairKeysAndRenamedCases:
    def test_an_answer_naming_a_case_by_its_former_id_counts_for_that_case(self, tmp_path, course):
        """Issue #16: does a hand-in made before a vignette was renamed still count for it?"""
        case = next(c for c in course.cases.values() if c.former_ids)
        write(tmp_path, "a.json", submission("Alex", [{"case": case.former_ids[0], "axes": list(case.axes)}]))
        data = read_class(tmp_path, course=course)
        assert not data.rejected
        assert list(data.answers["case"]) == [case.id] and list(data.answers["jaccard"]) == [1.0]

    def test_a_defensible_reading_scores_like_the_key_in_the_class_tables(self, tmp_path, course):
        """Issue #16: is an answer equal to an also_accepted reading scored 1, and the reading named?"""
        found = [(c, n, r) for c in course.cases.values() for n, r in enumerate(c.also_accepted, 1)
                 if set(r.axes) != set(c.axes)]
        case, number, reading = found[0]
        write(tmp_path, "a.json", submission("Alex", [{"case": case.id, "axes": list(reading.axes)}]))
        answers = read_class(tmp_path, course=course).answers
        assert list(answers["jaccard"]) == [1.0]
        assert list(answers["reading"]) == [f"also_accepted:{number}"]
        assert list(answers["exact"]) == [False]  # exact still means: the key itself
        assert ockit.score(case.id, reading.axes).jaccard == 1.0


class TestExpertsBesideTheClass:
    def test_the_report_sets_the_class_kappa_beside_the_double_annotation(self, tmp_path, course, two_cases):
        """Issue #14: does report.html show the class's kappa beside the two annotations' kappa, per axis?"""
        a, b = two_cases
        for n, learner in enumerate(("Alex", "Bea", "Cyd")):
            write(tmp_path / "in", f"{n}.json", submission(learner, [
                {"case": a.id, "axes": list(a.axes)}, {"case": b.id, "axes": list(b.axes[:1])}]))
        write_report(tmp_path / "in", tmp_path / "out", course)
        page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
        assert "La classe et la double annotation" in page and "kappa entre les deux annotations" in page

    def test_an_unusable_annotation_file_is_a_french_error(self, tmp_path, course, two_cases, capsys):
        """Does --experts with a broken file exit 1 with a French message and no traceback?"""
        a, _ = two_cases
        write(tmp_path / "in", "x.json", submission("Alex", [{"case": a.id, "axes": list(a.axes)}]))
        (tmp_path / "bad.yaml").write_text("- pas: une double annotation\n", encoding="utf-8")
        assert main(["class-report", str(tmp_path / "in"), "--out", str(tmp_path / "out"),
                     "--experts", str(tmp_path / "bad.yaml")]) == 1
        err = capsys.readouterr().err
        assert "Double annotation inutilisable" in err and "Traceback" not in err
