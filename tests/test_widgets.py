"""The exercise widgets, driven headless: set `.value`, call `.click()`, read `.feedback.value`."""

import html
import json
import logging
import subprocess
import sys
import warnings

import pytest

from ockit.data import load
from ockit.model import APPROACH_CODES, AXIS_CODES
from ockit.progress import Store
from ockit.widgets import CaseExercise, ExerciseState, ExportPanel, Workshop, slug

COURSE = load()


def case_with(min_axes=1, **where):
    """The first case (by id) with at least `min_axes` key axes and matching attributes."""
    for case in sorted(COURSE.cases.values(), key=lambda c: c.id):
        if len(case.axes) >= min_axes and all(getattr(case, k) == v for k, v in where.items()):
            return case
    pytest.skip(f"no case with {min_axes} axes and {where} in data/")


def tick(exercise, codes):
    for code, box in exercise.checkboxes.items():
        box.value = code in codes


class TestControls:
    def test_one_checkbox_per_axis_labelled_with_the_data_label(self, store_path):
        """Each axis checkbox's description is course.axes[code].label, shown whole."""
        ex = CaseExercise(case_with().id)
        assert list(ex.checkboxes) == list(AXIS_CODES)
        for code, box in ex.checkboxes.items():
            assert box.description == COURSE.axes[code].label
            assert box.indent is False and box.layout.width == "auto"

    def test_buttons_and_approach_choices(self, store_path):
        """"Vérifier" is exact; the approaches come from data/ plus "Je ne sais pas"."""
        ex = CaseExercise(case_with().id)
        assert ex.check_button.description == "Vérifier"
        assert ex.answer_button.description == "Voir la réponse"
        labels = [label.lower() for label, _ in ex.approach.options]
        assert labels[:-1] == [COURSE.approaches[c].label.lower() for c in APPROACH_CODES]
        assert labels[-1] == "je ne sais pas"
        assert ex.approach.description and ex.justification.description

    def test_case_text_is_shown(self, store_path):
        """Title, territory and summary of the case appear, escaped."""
        case = case_with()
        shown = CaseExercise(case.id).case_html.value
        for text in (case.title, case.territory, case.summary):
            assert html.escape(text) in shown

    def test_constructed_case_says_it_is_fictional(self, store_path):
        """An invented vignette is never presented as real."""
        case = next((c for c in COURSE.cases.values() if c.label_provenance == "constructed"), None)
        if case is None:
            pytest.skip("no constructed case in data/ yet")
        assert "fictif" in CaseExercise(case.id).case_html.value

    def test_answer_button_is_offered_only_after_a_first_attempt(self, store_path):
        """"Voir la réponse" is hidden until the learner has checked once."""
        case = case_with()
        ex = CaseExercise(case.id)
        assert ex.answer_button.layout.display == "none"
        tick(ex, case.axes[:1])
        ex.check_button.click()
        assert ex.answer_button.layout.display != "none"

    def test_import_ockit_does_not_import_ipywidgets(self):
        """Widgets stay lazy: a fresh `import ockit` leaves ipywidgets unloaded."""
        code = "import sys, ockit; ockit.load; print('ipywidgets' in sys.modules)"
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        assert out.stdout.strip() == "False"


class TestFeedback:
    def test_first_check_counts_missed_axes_without_naming_them(self, store_path):
        """Issue #16: the first feedback says how many axes are missing, never which nor why."""
        case = case_with(min_axes=2)
        ex = CaseExercise(case.id)
        tick(ex, case.axes[:1])
        ex.check_button.click()
        assert f"Il manque {len(case.axes) - 1} axe" in ex.feedback.value
        for code in case.axes[1:]:
            assert html.escape(COURSE.axes[code].label) not in ex.feedback.value
            assert html.escape(case.rationale[code]) not in ex.feedback.value
        assert ex.state.last_score.missed == case.axes[1:]
        assert html.escape(case.rationale[case.axes[1]]) in html.escape(ex.state.last_score.full_feedback)

    def test_the_reasons_come_with_the_second_try(self, store_path):
        """Issue #16: after a first check counted the missing axis, the second try names it with its reason."""
        case = case_with(min_axes=2)
        ex = CaseExercise(case.id)
        tick(ex, case.axes[:1])
        ex.check_button.click()
        missing = case.axes[1]
        assert html.escape(case.rationale[missing]) not in ex.feedback.value
        ex.check_button.click()
        assert html.escape(case.rationale[missing]) in ex.feedback.value

    def test_a_defensible_reading_scores_and_is_named(self, store_path):
        """Does an answer equal to an also_accepted reading score 1 and say « lecture aussi défendable »?"""
        found = [(c, r) for c in sorted(COURSE.cases.values(), key=lambda c: c.id) for r in c.also_accepted
                 if set(r.axes) != set(c.axes)]
        assert found, "the corpus records no other defensible reading with other axes than the key"
        case, reading = found[0]
        ex = CaseExercise(case.id)
        tick(ex, reading.axes)
        result = ex.check()
        assert result.jaccard == 1.0 and result.matched_reading != "key"
        assert "aussi défendable" in ex.feedback.value
        ex.answer_button.click()
        assert "Lecture aussi défendable" in ex.answer_box.value and html.escape(reading.why) in ex.answer_box.value

    def test_extra_axis_is_counted(self, store_path):
        """An axis ticked outside the key is counted in the first feedback, its reason kept for later."""
        case = case_with()
        extra = next(c for c in AXIS_CODES if c not in case.axes)
        ex = CaseExercise(case.id)
        tick(ex, (*case.axes, extra))
        ex.check_button.click()
        assert "1 axe en trop" in ex.feedback.value
        assert html.escape(COURSE.axes[extra].label) in html.escape(ex.state.last_score.full_feedback)

    def test_justification_is_escaped(self, store_path):
        """Learner text shows as text: a <script> comes back escaped, never as markup."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.justification.value = "<script>alert('x')</script> & co"
        ex.check_button.click()
        assert "<script>" not in ex.feedback.value
        assert html.escape("<script>alert('x')</script> & co") in ex.feedback.value

    def test_no_axis_ticked_asks_for_one_and_counts_no_attempt(self, store_path):
        """Clicking with nothing ticked explains what to do; nothing is scored or saved."""
        ex = CaseExercise(case_with().id)
        ex.check_button.click()
        assert "Cochez au moins un axe" in ex.feedback.value
        assert ex.state.attempts == 0 and not store_path.exists()

    def test_attempts_count_up(self, store_path):
        """Each check is one more attempt, shown in the feedback."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.check_button.click()
        ex.check_button.click()
        assert ex.state.attempts == 2 and "Tentative n° 2" in ex.feedback.value

    def test_see_the_answer_shows_key_axes_reasons_and_approach(self, store_path):
        """"Voir la réponse" lists each key axis with its rationale and the approach with its why."""
        case = case_with(min_axes=2)
        ex = CaseExercise(case.id)
        tick(ex, case.axes[:1])
        ex.check_button.click()
        ex.answer_button.click()
        shown = ex.answer_box.value
        for code in case.axes:
            assert html.escape(COURSE.axes[code].label) in shown
            assert html.escape(case.rationale[code]) in shown
        if case.approach.dominant:
            assert html.escape(COURSE.approaches[case.approach.dominant].label) in shown
        if case.approach.why:
            assert html.escape(case.approach.why) in shown

    def test_next_check_clears_the_answer_shown(self, store_path):
        """A key shown by "Voir la réponse" does not stay next to the feedback of a new check."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes[:1])
        ex.check_button.click()
        ex.answer_button.click()
        assert ex.answer_box.value
        tick(ex, case.axes)
        ex.check_button.click()
        assert ex.answer_box.value == "" and "Tentative n° 2" in ex.feedback.value

    def test_error_in_handler_is_shown_in_french_and_logged(self, store_path, monkeypatch, caplog):
        """A failure inside the click handler shows a French message and logs the traceback."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)

        def broken(*a, **k):
            raise RuntimeError("panne simulée")

        monkeypatch.setattr(ExerciseState, "check", broken)
        with caplog.at_level(logging.ERROR, logger="ockit.widgets"):
            ex.check_button.click()
        assert "erreur est survenue" in ex.feedback.value
        assert "panne simulée" in ex.feedback.value
        assert any(r.exc_info for r in caplog.records)


class TestState:
    def test_state_scores_without_widgets(self):
        """ExerciseState alone scores an answer and builds the saved answer."""
        case = case_with()
        state = ExerciseState(case.id)
        result = state.check(reversed(case.axes), None, "  ", course=COURSE)
        assert result.jaccard == 1.0
        answer = state.to_answer()
        assert answer.axes == tuple(c for c in AXIS_CODES if c in case.axes)
        assert answer.justification is None and answer.attempts == 1 and answer.answered_at


class TestProgress:
    def test_each_check_is_saved_at_once(self, store_path):
        """After a click the store on disk holds the answer with its approach and justification."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.approach.value = APPROACH_CODES[1]
        ex.justification.value = "mon idée"
        ex.check_button.click()
        saved = Store(store_path).answers()
        assert [(a.case, set(a.axes), a.approach, a.justification, a.attempts) for a in saved] == \
            [(case.id, set(case.axes), APPROACH_CODES[1], "mon idée", 1)]

    def test_dont_know_is_saved_as_no_approach(self, store_path):
        """"Je ne sais pas" is stored as approach null."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.check_button.click()
        assert Store(store_path).answers()[0].approach is None

    def test_previous_answer_is_restored_after_a_restart(self, store_path):
        """A new exercise on the same case (a kernel restart) shows the saved choices and counts on."""
        case = case_with()
        first = CaseExercise(case.id)
        tick(first, case.axes[:1])
        first.justification.value = "avant"
        first.check_button.click()
        again = CaseExercise(case.id)
        assert {c for c, b in again.checkboxes.items() if b.value} == set(case.axes[:1])
        assert again.justification.value == "avant"
        again.check_button.click()
        assert Store(store_path).attempts()[-1].attempts == 2

    def test_a_restored_answer_shows_the_verdict_it_got_and_no_more(self, store_path):
        """After a reload the learner sees again whether the answer was right, at the stage of
        that attempt: a first try's verdict, never the key's reasons."""
        from ockit.widgets.common import paragraphs

        case = next(c for c in COURSE.cases.values() if len(c.axes) >= 2)
        first = CaseExercise(case.id)
        tick(first, case.axes[:1])
        got = first.check()
        again = CaseExercise(case.id)
        assert "Réponse reprise" in again.feedback.value
        assert paragraphs(got.feedback_for(1)) in again.feedback.value
        for reason in case.rationale.values():
            assert html.escape(reason) not in again.feedback.value

    def test_garbage_store_does_not_break_the_widget(self, store_path):
        """Garbage at $OCKIT_PROGRESS is set aside intact, a French warning shows, new answers are saved."""
        garbage = b"\x89PNG pas du tout du JSON \xff"
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(garbage)
        case = case_with()
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            ex = CaseExercise(case.id)
        assert "mis de côté" in ex.warning.value
        tick(ex, case.axes)
        ex.check_button.click()
        assert "Réponse enregistrée" in ex.feedback.value
        asides = [p for p in store_path.parent.iterdir() if ".corrompu-" in p.name]
        assert [p.read_bytes() for p in asides] == [garbage]
        assert [a.case for a in Store(store_path).answers()] == [case.id]

    def test_garbage_store_prints_no_python_warning_nor_log_line(self, store_path, caplog):
        """The widget's French notice is the only one: no UserWarning, no WARNING log line in the
        learner's notebook."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(b"{{{")
        with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
            warnings.simplefilter("always")
            ex = CaseExercise(case_with().id)
        assert "mis de côté" in ex.warning.value
        assert [str(w.message) for w in caught] == []
        assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

    def test_unusable_store_is_explained_in_french(self, store_path):
        """A folder in place of the store: the widget says so in French, not « Is a directory »."""
        store_path.mkdir(parents=True)
        ex = CaseExercise(case_with().id)
        assert ex.store is None
        shown = html.unescape(ex.warning.value)
        assert "c'est un dossier" in shown and "directory" not in shown and ".)" not in shown

    def test_garbage_written_while_open_is_reported_at_next_check(self, store_path):
        """Corruption after the widget opened shows the warning at the next check, answer saved."""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.check_button.click()
        store_path.write_bytes(b"{{{")
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            ex.check_button.click()
        assert "mis de côté" in ex.warning.value
        assert Store(store_path).answers()[0].attempts == 2

    def test_a_failed_save_is_told_to_the_learner(self, store_path, monkeypatch):
        """If saving fails, the feedback still shows and says the answer was not saved."""
        case = case_with()
        ex = CaseExercise(case.id)
        monkeypatch.setattr(Store, "record", lambda self, a: (_ for _ in ()).throw(OSError(28, "disque plein")))
        tick(ex, case.axes)
        ex.check_button.click()
        assert "pas pu être enregistrée" in ex.feedback.value
        assert html.escape(COURSE.axes[case.axes[0]].label) in ex.feedback.value

    def test_tick_and_check_in_one_process_export_in_another(self, tmp_path):
        """The contract: an answer checked in one process is exported by `ockit export-submission`
        run in a new process with the same OCKIT_PROGRESS."""
        import os

        case = case_with(min_axes=2)
        store, out = tmp_path / "p" / "progress.json", tmp_path / "remise.json"
        env = {**os.environ, "OCKIT_PROGRESS": str(store)}
        script = (
            "from ockit.widgets import CaseExercise\n"
            f"ex = CaseExercise({case.id!r})\n"
            f"for code in {list(case.axes[:1])!r}: ex.checkboxes[code].value = True\n"
            "ex.justification.value = 'première idée'\n"
            "ex.check_button.click()\n"
            "assert 'Réponse enregistrée' in ex.feedback.value, ex.feedback.value\n"
        )
        subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=120)
        done = subprocess.run([sys.executable, "-m", "ockit.cli", "export-submission", "--out", str(out),
                               "--learner", "Camille"], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        data = json.loads(out.read_text(encoding="utf-8"))
        assert data["learner"] == "Camille"
        assert [(a["case"], a["axes"], a["justification"]) for a in data["answers"]] == \
            [(case.id, list(case.axes[:1]), "première idée")]


class TestWorkshop:
    def test_counter_and_navigation(self, store_path):
        """Next and previous move through the cases; the counter says "Cas n sur N"."""
        ids = sorted(COURSE.cases)[:3]
        shop = Workshop(ids)
        assert shop.current.case.id == ids[0] and "Cas 1 sur 3" in shop.counter.value
        assert shop.prev_button.description == "◀ Cas précédent" and shop.prev_button.disabled
        shop.next_button.click()
        shop.next_button.click()
        assert shop.current.case.id == ids[2] and "Cas 3 sur 3" in shop.counter.value
        assert shop.next_button.disabled
        shop.prev_button.click()
        assert shop.current.case.id == ids[1]

    def test_choices_survive_navigation(self, store_path):
        """Going away and back shows the same exercise, ticks kept."""
        ids = sorted(COURSE.cases)[:2]
        shop = Workshop(ids)
        shop.current.checkboxes["DEV"].value = True
        shop.next_button.click()
        shop.prev_button.click()
        assert shop.current.checkboxes["DEV"].value is True

    def test_a_learner_who_comes_back_starts_at_the_first_case_not_done(self, store_path):
        """After checks of cases 1 and 2, a new workshop opens on case 3, and the list marks 1 and 2 « fait »."""
        ids = sorted(COURSE.cases)[:4]
        shop = Workshop(ids)
        for _ in range(2):
            shop.current.checkboxes["DEV"].value = True
            shop.current.check_button.click()
            shop.next_button.click()
        again = Workshop(ids)
        assert again.current.case.id == ids[2] and "Cas 3 sur 4" in again.counter.value
        labels = [label for label, _ in again.jump.options]
        assert [label.endswith("— fait") for label in labels] == [True, True, False, False]
        assert "2 faits" in again.counter.value

    def test_the_list_jumps_to_any_case_and_marks_a_new_check(self, store_path):
        """Choosing a case in « Aller au cas » shows it; checking it marks it « fait » at once."""
        ids = sorted(COURSE.cases)[:5]
        shop = Workshop(ids)
        shop.jump.value = 3
        assert shop.current.case.id == ids[3] and "Cas 4 sur 5" in shop.counter.value
        shop.current.checkboxes["ORG"].value = True
        shop.current.check_button.click()
        assert shop.jump.options[3][0].endswith("— fait") and shop.jump.value == 3
        assert "1 fait" in shop.counter.value

    def test_previous_and_next_are_also_below_the_case(self, store_path):
        """The buttons below the case move like those above and are disabled at the ends."""
        ids = sorted(COURSE.cases)[:2]
        shop = Workshop(ids)
        assert shop.prev_bottom.disabled and not shop.next_bottom.disabled
        shop.next_bottom.click()
        assert shop.current.case.id == ids[1] and shop.next_bottom.disabled and shop.next_button.disabled
        shop.prev_bottom.click()
        assert shop.current.case.id == ids[0]

    def test_on_check_callbacks_hear_every_case_of_the_series(self, store_path):
        """Do the workshop's on_check callbacks run after a check of any of its cases?"""
        ids = sorted(COURSE.cases)[:2]
        shop = Workshop(ids)
        heard = []
        shop.on_check.append(lambda exercise, result: heard.append((exercise.case.id, result.jaccard)))
        shop.current.checkboxes["DEV"].value = True
        shop.current.check_button.click()
        shop.next_button.click()
        shop.current.checkboxes["DSS"].value = True
        shop.current.check_button.click()
        assert [case for case, _ in heard] == ids

    def test_difficulty_filter_keeps_only_that_level(self, store_path):
        """difficulty=n keeps the cases of that level, easiest-first order otherwise."""
        level = min(c.difficulty for c in COURSE.cases.values())
        shop = Workshop(difficulty=level)
        assert shop.case_ids == sorted(c.id for c in COURSE.cases.values() if c.difficulty == level)

    def test_no_matching_case_is_a_french_error(self, store_path):
        """Filters that match nothing raise ValueError in French."""
        with pytest.raises(ValueError, match="Aucun cas"):
            Workshop(themes=["theme-qui-n-existe-pas"])


def one_answer_without_a_hub(monkeypatch):
    """Outside a hub and without a class hand-in folder, one case answered right (so there is
    something to hand in)."""
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    monkeypatch.delenv("OCKIT_HANDIN", raising=False)
    case = case_with()
    ex = CaseExercise(case.id)
    tick(ex, case.axes)
    ex.check_button.click()


class TestExportPanel:
    def test_export_writes_a_file_whose_name_is_not_the_learner_s(self, store_path, tmp_path, monkeypatch):
        """Issue #15: the panel writes remise-<pseudonym>.json; the name is inside, never in the file name."""
        one_answer_without_a_hub(monkeypatch)
        panel = ExportPanel(folder=tmp_path)
        panel.learner.value = "Élise <Tremblay>"
        panel.button.click()
        [out] = list(tmp_path.glob("remise-*.json"))
        assert "elise" not in out.name.lower() and "tremblay" not in out.name.lower()
        assert json.loads(out.read_text(encoding="utf-8"))["learner"] == "Élise <Tremblay>"
        assert "Remise écrite" in panel.status.value and "<Tremblay>" not in panel.status.value

    def test_status_names_the_file_by_its_full_path(self, store_path, tmp_path, monkeypatch):
        """In Voilà there is no file browser: does the status line give the folder, not only the file name?"""
        monkeypatch.chdir(tmp_path)
        one_answer_without_a_hub(monkeypatch)
        panel = ExportPanel()  # the default folder, ".", as in the app and notebook 07
        panel.learner.value = "Camille Roy"
        panel.button.click()
        [out] = list(tmp_path.glob("remise-*.json"))
        assert f"<code>{out.resolve()}</code>" in panel.status.value, panel.status.value

    def test_the_status_offers_the_file_itself_as_a_download(self, store_path, tmp_path, monkeypatch):
        """Without a file browser (Voilà) the learner must be able to take the file away: does the
        status line carry a download link whose content is the file written, byte for byte?"""
        import base64
        import html
        import re

        from ockit.widgets import export

        one_answer_without_a_hub(monkeypatch)
        panel = ExportPanel(folder=tmp_path)
        panel.learner.value = "Camille Roy"
        panel.button.click()
        [out] = list(tmp_path.glob("remise-*.json"))
        link = re.search(r'<a download="([^"]+)" href="data:application/json;base64,([^"]+)">', panel.status.value)
        assert link, panel.status.value
        assert html.unescape(link.group(1)) == out.name
        assert base64.b64decode(link.group(2)) == out.read_bytes()
        # a file too big for a link is only named, never half offered
        monkeypatch.setattr(export, "DOWNLOAD_LIMIT", out.stat().st_size - 1)
        panel.button.click()
        assert "Remise écrite" in panel.status.value and "<a download" not in panel.status.value

    def test_on_a_hub_the_file_is_named_for_the_account_and_handed_in(self, store_path, tmp_path, monkeypatch):
        """With JUPYTERHUB_USER and OCKIT_HANDIN, is the hand-in folder named in the status line?"""
        handin = tmp_path / "remises"
        handin.mkdir()
        monkeypatch.setenv("JUPYTERHUB_USER", "etu042")
        monkeypatch.setenv("OCKIT_HANDIN", str(handin))
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes)
        ex.check_button.click()
        panel = ExportPanel(folder=tmp_path)
        panel.learner.value = "Camille Roy"
        panel.button.click()
        assert (tmp_path / "remise-etu042.json").is_file()
        [handed] = list(handin.glob("remise-etu042-*.json"))
        assert "dossier de remise de la classe" in panel.status.value and handed.name in panel.status.value

    def test_empty_name_or_empty_store_is_explained(self, store_path, tmp_path):
        """No name, then no answer: each gets a French message and no file."""
        panel = ExportPanel(folder=tmp_path)
        panel.button.click()
        assert "Inscrivez" in panel.status.value
        panel.learner.value = "Camille"
        panel.button.click()
        assert "Rien à exporter" in panel.status.value
        assert list(tmp_path.glob("remise-*.json")) == []

    def test_slug_is_ascii_and_never_empty(self):
        """Names become safe file names."""
        assert slug("Anne-Marie Côté") == "anne-marie-cote"
        assert slug("!!!") == "anonyme"


class TestAdaptiveWorkshop:
    def test_weak_points_mode_proposes_a_case_that_trains_the_missed_axis(self, store_path):
        """After DSS is missed again and again, does « Selon mes points faibles » propose a DSS case, saying why?"""
        with_dss = [c.id for c in sorted(COURSE.cases.values(), key=lambda c: c.id) if "DSS" in c.axes]
        without = [c.id for c in sorted(COURSE.cases.values(), key=lambda c: c.id) if "DSS" not in c.axes]
        ids = with_dss[:3] + without[:6] + with_dss[3:6]
        shop = Workshop(ids)
        for index in range(3):  # three DSS cases answered without DSS
            shop.go(index)
            others = [c for c in COURSE.cases[ids[index]].axes if c != "DSS"] or ["DEV"]
            tick(shop.current, others)
            shop.current.check_button.click()
        shop.mode.value = "adaptive"
        shop.next_button.click()
        assert "DSS" in COURSE.cases[shop.current.case.id].axes
        assert shop.current.case.id not in ids[:3]
        assert COURSE.axes["DSS"].label in html.unescape(shop.reason.value)

    def test_the_chosen_mode_is_there_again_after_a_reload(self, store_path):
        """A learner picks « Selon mes points faibles », reloads the notebook: is it still picked, and does it work?"""
        ids = sorted(COURSE.cases)[:4]
        shop = Workshop(ids)
        assert shop.mode.value == "order"
        shop.mode.value = "adaptive"
        again = Workshop(ids)  # a new kernel: nothing but the progress file carries the choice
        assert again.mode.value == "adaptive" and again.status.value == ""
        again.next_button.click()
        assert again.reason.value  # the adaptive pick says why
        again.mode.value = "order"
        assert Workshop(ids).mode.value == "order"

    def test_a_reload_reopens_the_case_left_unchecked(self, store_path):
        """Left on case 3 without checking it (after checking case 1): the reload reopens case 3; once
        case 3 is checked, a reload opens the first case not yet checked (case 2)."""
        ids = sorted(COURSE.cases)[:4]
        shop = Workshop(ids)
        tick(shop.current, COURSE.cases[ids[0]].axes)
        shop.current.check_button.click()
        shop.go(2)
        assert Workshop(ids).index == 2
        tick(shop.current, COURSE.cases[ids[2]].axes)
        shop.current.check_button.click()
        assert Workshop(ids).index == 1
        assert Workshop([ids[0], ids[3]]).index == 1  # another series: the case left is not in it

    def test_an_unknown_saved_mode_falls_back_to_the_workshop_order(self, store_path):
        """A mode this version does not offer (edited file, newer kit) opens in order, without an error."""
        Store().remember("workshop.next_case", "<script>hasard</script>")
        shop = Workshop(sorted(COURSE.cases)[:3])
        assert shop.mode.value == "order" and shop.status.value == ""

    def test_a_mode_that_cannot_be_saved_says_so_and_still_applies(self, store_path, monkeypatch):
        """The progress file cannot be written: the mode still changes, and the status line says why in French."""
        shop = Workshop(sorted(COURSE.cases)[:3])

        def refuse(*_args, **_kw):
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr("ockit.progress.atomic_write_text", refuse)
        shop.mode.value = "adaptive"
        assert shop.mode.value == "adaptive"
        assert "enregistrer" in html.unescape(shop.status.value)

    def test_the_fixed_order_stays_available(self, store_path):
        """In « Ordre de l'atelier » mode, does « Cas suivant » still go to the next case in order?"""
        ids = sorted(COURSE.cases)[:3]
        shop = Workshop(ids)
        shop.next_button.click()
        assert shop.index == 1 and shop.reason.value == ""

    def test_a_justification_gets_feedback_on_its_own_words(self, store_path):
        """Does the feedback say which words of the justification point to an axis, escaped?"""
        case = case_with()
        ex = CaseExercise(case.id)
        tick(ex, case.axes[:1])
        ex.justification.value = "Le comité de citoyens se mobilise pour le logement <b>social</b>"
        ex.check_button.click()
        assert "<b>social</b>" not in ex.feedback.value
        shown = html.unescape(ex.feedback.value)
        assert "renvoient à un axe" in shown and COURSE.axes["DSS"].label in shown
        assert "ne note pas votre justification" in shown


class TestSuggestionPanel:
    DESCRIPTION = ("Des locataires d'un immeuble insalubre se regroupent; l'organisatrice communautaire "
                   "les aide à documenter les moisissures et à préparer une rencontre avec la ville.")

    def test_the_explanation_shows_as_text_with_its_evidence_as_lists(self):
        """In the app the code is hidden: the description is in a text box, the explanation in paragraphs."""
        from ockit.suggester import suggest
        from ockit.widgets import SuggestionPanel

        panel = SuggestionPanel(self.DESCRIPTION)
        assert panel.text.value == self.DESCRIPTION
        explained = suggest(self.DESCRIPTION).explain()
        shown = panel.output.value
        assert "<pre" not in shown and "<li>" in shown and shown.count("<p>") >= 3
        first = explained.splitlines()[0]
        assert html.escape(first) in shown
        evidence = next(line.strip() for line in explained.splitlines() if line.startswith("        "))
        assert f"<li>{html.escape(evidence)}</li>" in shown
        assert panel._repr_mimebundle_()["text/plain"] == explained

    def test_a_new_description_gets_its_own_suggestion_escaped(self):
        from ockit.widgets import SuggestionPanel

        panel = SuggestionPanel(self.DESCRIPTION)
        before = panel.output.value
        panel.text.value = "<script>x</script> Une table de quartier réunit les organismes pour un plan d'action."
        panel.button.click()
        assert panel.output.value != before and "<script>" not in panel.output.value

    def test_an_empty_box_asks_for_a_description(self):
        from ockit.widgets import SuggestionPanel

        panel = SuggestionPanel(self.DESCRIPTION)
        panel.text.value = "   "
        panel.button.click()
        assert "Écrivez d'abord une description" in html.unescape(panel.output.value)
