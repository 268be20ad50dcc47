"""The class report's figures drawn in a second process: same pictures, French errors, no
process left behind, nothing already written lost."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

import ockit
from ockit import report, reportfigures
from ockit.classroom import read_class
from ockit.cli import main
from ockit.reportfigures import FigureError, FigureProcess
from ockit.submission import FORMAT


@pytest.fixture(scope="module")
def course():
    return ockit.load()


@pytest.fixture
def folder(tmp_path, course):
    """Three learners on the first three cases, one broken file."""
    folder = tmp_path / "in"
    folder.mkdir()
    cases = list(course.cases.values())[:3]
    for number, (learner, shift) in enumerate((("Alex", 0), ("Béa", 1), ("Chloé", 2))):
        answers = [{"case": case.id, "axes": ["DEV", "DSS", "ORG", "RESP"][(i + shift) % 4:][:2],
                    "approach": None, "justification": f"Parce que {learner}."}
                   for i, case in enumerate(cases)]
        (folder / f"{number}.json").write_text(json.dumps(
            {"format": FORMAT, "learner": learner, "kit_version": "0.1.0",
             "created": "2026-11-23T10:00:00-05:00", "answers": answers}), encoding="utf-8")
    (folder / "casse.json").write_text('{"format": "ockit-submission/1", "answers": [', encoding="utf-8")
    return folder


@pytest.fixture(params=["fork", "spawn"])
def method(request, monkeypatch):
    """Each test that takes it runs with both ways of starting the child."""
    monkeypatch.setattr(reportfigures, "start_method", lambda: request.param)
    return request.param


@pytest.fixture
def started(monkeypatch):
    """Every FigureProcess started during the test, to check that each one has ended."""
    workers = []
    original = FigureProcess.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        workers.append(self)

    monkeypatch.setattr(FigureProcess, "__init__", init)
    return workers


def _ended(pid) -> bool:
    """True when process `pid` is gone or a zombie (ended, waiting for its parent to reap it)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            return any(line.split()[1] == "Z" for line in handle if line.startswith("State:"))
    except FileNotFoundError:
        return True


# How a child can fail, for each start method: a spawned child runs _CHILD, a forked one
# runs _serve_on (patched here, the fork copies the patch).
FAILURES = {
    "exit": ("import sys; sys.exit(3)", lambda source, channel: os._exit(3), "code de sortie 3"),
    "killed": ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)",
               lambda source, channel: os.kill(os.getpid(), signal.SIGKILL), "signal 9"),
    "garbage": ("import sys; sys.stdout.buffer.write(b'pas du pickle')",
                lambda source, channel: (channel.write(b"pas du pickle"), channel.flush(), os._exit(0)),
                "code de sortie 0"),
}


def _failing_child(monkeypatch, method, failure):
    program, serve, _ = FAILURES[failure]
    if method == "spawn":
        monkeypatch.setattr(reportfigures, "_CHILD", program)
    else:
        monkeypatch.setattr(reportfigures, "_serve_on", serve)


class TestSameReport:
    def test_the_second_process_draws_the_pictures_this_process_draws(self, tmp_path, course, folder,
                                                                      method, started):
        """Apart or here, the page (figures included, as data URIs) and the tables are the same bytes."""
        apart = write_report_files(folder, tmp_path / "apart", course, True)
        here = write_report_files(folder, tmp_path / "here", course, False)
        assert len(started) == 1 and started[0].returncode == 0
        assert (started[0]._popen is None) is (method == "fork")
        assert apart == here and b"data:image/png;base64,iVBOR" in apart["report.html"]

    def test_images_from_inputs_are_the_report_figures(self, course, folder, method):
        """What the child draws from the plain inputs is the figure the report module draws."""
        data = read_class(folder, course)
        inputs = report.figure_inputs(data, course)
        with FigureProcess(method) as worker:
            worker.send(inputs)
            images = worker.images()
        assert set(images) == set(report.FIGURES)
        assert images == {name: report.png(fig) for name, fig in report.figures(data, course).items()}

    def test_by_default_a_command_draws_apart_and_a_notebook_that_loaded_matplotlib_here(self, monkeypatch):
        """The choice follows whether matplotlib is already loaded here, and a free core."""
        import matplotlib.figure  # noqa: F401

        monkeypatch.setattr(report, "second_core_free", lambda: True)
        assert report._draw_apart() is False
        code = ("import sys; from ockit import report; report.second_core_free = lambda: {free}; "
                "sys.exit(0 if report._draw_apart() else 1)")
        assert subprocess.run([sys.executable, "-c", code.format(free=True)]).returncode == 0
        assert subprocess.run([sys.executable, "-c", code.format(free=False)]).returncode == 1

    @pytest.mark.parametrize("loadavg, cores, free", [
        ("0.52 0.40 0.31 1/180 4242", 2, True),     # quiet: only this process runs
        ("1.30 0.90 0.70 1/180 4242", 2, True),     # busy a moment ago, idle now
        ("0.40 0.90 0.70 2/180 4242", 2, True),     # another task now, idle over the minute
        ("2.90 2.50 2.10 3/190 4242", 2, False),    # another job holds the other core
        ("2.90 2.50 2.10 3/190 4242", 4, True),     # ... but two cores are left
        ("0.10 0.10 0.10 1/90 4242", 1, False),     # a single core: nothing to gain
        ("illisible", 2, True),                     # unknown load: assume the core is free
    ])
    def test_a_second_process_only_when_another_core_is_free(self, loadavg, cores, free):
        """/proc/loadavg's one-minute load and running tasks decide, against the cores."""
        assert reportfigures.second_core_free(loadavg, cores) is free


def write_report_files(folder, out, course, apart):
    report.write_report(folder, out, course, separate_process=apart)
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


class TestInputs:
    @pytest.fixture
    def synthetic(self, tmp_path, course):
        from ockit.sample import synthetic_submissions

        folder = tmp_path / "synth"
        folder.mkdir()
        for number, sub in enumerate(synthetic_submissions(course, learners=120, seed=7, per_learner=9)):
            (folder / f"{number:03d}.json").write_text(json.dumps(sub), encoding="utf-8")
        return folder

    @pytest.mark.parametrize("which", ["sample", "synthetic", "empty"])
    def test_heat_maps_from_plain_lists_are_what_pandas_computes(self, course, synthetic, tmp_path, which):
        """Shares per case and confusion shares from the plain columns, to the last bit, as the
        answers table gives them with pandas (groupby mean, key × chosen product)."""
        import numpy as np

        from ockit.classroom import answer_columns
        from ockit.data import KIT_DATA
        from ockit.model import AXIS_CODES

        folder = {"sample": KIT_DATA / "sample_class", "synthetic": synthetic, "empty": tmp_path / "vide"}[which]
        folder.mkdir(exist_ok=True)
        seen = []
        data = read_class(folder, course, columns_read=seen.append)
        assert len(seen) == 1 and set(answer_columns([], course, False)) == set(seen[0])
        inputs = reportfigures.class_inputs(seen[0], course)
        df = data.answers
        cases = [cid for cid in course.cases if cid in set(df["case"])]
        assert inputs["answers_by_case"]["cases"] == cases
        assert inputs["answers_by_case"]["keys"] == [[c in course.cases[cid].axes for c in AXIS_CODES]
                                                     for cid in cases]
        if not len(df):
            assert inputs["confusion"]["shares"] is None and inputs["answers_by_case"]["shares"] == []
            return
        chosen_columns = [f"chosen_{c}" for c in AXIS_CODES]
        shares = df.groupby("case")[chosen_columns].mean().reindex(cases).to_numpy(dtype=float)
        assert np.array_equal(np.asarray(inputs["answers_by_case"]["shares"]), shares)
        key = df[[f"key_{c}" for c in AXIS_CODES]].to_numpy(dtype=float)
        chosen = df[chosen_columns].to_numpy(dtype=float)
        totals = key.sum(axis=0)[:, None]
        expected = np.divide(key.T @ chosen, totals, out=np.full((4, 4), np.nan), where=totals > 0)
        assert np.array_equal(np.asarray(inputs["confusion"]["shares"]), expected, equal_nan=True)
        again = reportfigures.figure_inputs(data, course)  # from the table, as notebooks draw them
        assert again["answers_by_case"] == inputs["answers_by_case"]
        assert np.array_equal(np.asarray(again["confusion"]["shares"]), expected, equal_nan=True)


class TestFailures:
    @pytest.mark.parametrize("failure", FAILURES)
    def test_a_child_that_dies_gives_a_french_error_and_keeps_what_was_written(
            self, tmp_path, course, folder, monkeypatch, method, started, failure):
        """Tables written, the earlier page left whole, the child reaped, a French message."""
        words = FAILURES[failure][2]
        _failing_child(monkeypatch, method, failure)
        out = tmp_path / "out"
        out.mkdir()
        (out / "report.html").write_text("<p>rapport précédent</p>", encoding="utf-8")
        with pytest.raises(FigureError) as info:
            report.write_report(folder, out, course, separate_process=True)
        message = str(info.value)
        assert message.startswith("Les figures du rapport n'ont pas pu être dessinées") and words in message
        assert (out / "report.html").read_text(encoding="utf-8") == "<p>rapport précédent</p>"
        assert "Alex" in (out / "answers.csv").read_text(encoding="utf-8")
        assert {p.name for p in out.iterdir()} == {"report.html", "answers.csv", "cases.csv",
                                                   "agreement.csv", "grades.csv"}
        assert len(started) == 1 and started[0].returncode is not None

    def test_an_error_while_drawing_is_named_in_the_french_message(self, tmp_path, course, folder,
                                                                   monkeypatch, method):
        """The child's exception comes back by type and message."""
        def broken(columns, course):
            inputs = reportfigures.class_inputs(columns, course)
            inputs["confusion"] = {"shares": "pas un tableau"}
            return inputs

        monkeypatch.setattr(report, "class_inputs", broken)
        with pytest.raises(FigureError) as info:
            report.write_report(folder, tmp_path / "out", course, separate_process=True)
        assert "a rencontré une erreur (" in str(info.value) and "Error" in str(info.value)

    def test_the_command_says_it_in_french_and_exits_1(self, tmp_path, folder, monkeypatch, capsys, method,
                                                        started):
        """`ockit class-report`: exit 1, the French message and what was kept, no traceback."""
        _failing_child(monkeypatch, method, "exit")
        monkeypatch.setattr(report, "_draw_apart", lambda: True)
        out = tmp_path / "out"
        assert main(["class-report", str(folder), "--out", str(out)]) == 1
        err = capsys.readouterr().err
        assert "Les figures du rapport n'ont pas pu être dessinées" in err
        assert f"Les tableaux CSV sont écrits dans {out}; report.html n'a pas été modifié" in err
        assert "Traceback" not in err and not (out / "report.html").exists()
        assert (out / "grades.csv").exists() and started[0].returncode is not None

    def test_an_error_in_this_process_ends_the_child(self, tmp_path, course, folder, monkeypatch, method,
                                                     started):
        """The child is killed and reaped when the report fails before asking for the figures."""
        def failing(*args, **kwargs):
            raise OSError(28, "No space left on device")

        monkeypatch.setattr("ockit.classroom.write_tables", failing)
        with pytest.raises(OSError):
            report.write_report(folder, tmp_path / "out", course, separate_process=True)
        assert len(started) == 1 and started[0].returncode is not None

    def test_no_second_process_means_the_figures_are_drawn_here(self, tmp_path, course, folder, monkeypatch):
        """A process that cannot be started (limits, sandbox) is no failure."""
        def refuse(self):
            raise OSError(11, "Resource temporarily unavailable")

        monkeypatch.setattr(FigureProcess, "__init__", refuse)
        report.write_report(folder, tmp_path / "out", course, separate_process=True)
        assert "data:image/png;base64,iVBOR" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


class TestNoOrphan:
    @pytest.mark.parametrize("how", ["fork", "spawn"])
    def test_the_child_ends_when_its_parent_dies(self, tmp_path, how):
        """A parent killed outright (SIGKILL: no cleanup) leaves no child drawing on."""
        code = ("import os, sys; from ockit.reportfigures import FigureProcess; "
                f"p = FigureProcess({how!r}); print(p._pid, flush=True); sys.stdin.read()")
        parent = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        child = int(parent.stdout.readline())
        assert not _ended(child)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 30
        while not _ended(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _ended(child)

    def test_closing_without_sending_ends_the_child(self, method):
        """close() before send(): the child is ended and reaped at once."""
        worker = FigureProcess()
        worker.close()
        assert worker.returncode is not None and _ended(worker._pid)
        with pytest.raises(ValueError):
            worker.images()

    def test_a_command_forks_and_a_threaded_process_spawns(self):
        """fork only where it is safe: Linux, one thread (a Jupyter kernel has several)."""
        import threading

        code = "from ockit.reportfigures import start_method; print(start_method())"
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert done.stdout.strip() == ("fork" if sys.platform.startswith("linux") else "spawn")
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        try:
            assert reportfigures.start_method() == "spawn"
        finally:
            stop.set()
            thread.join()
