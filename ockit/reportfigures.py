"""The class report's three figures, drawn in this process or in a second one.

Each figure is drawn from a few numbers that `figure_inputs` takes out of the answers table
(the share of learners who ticked each axis of each case, the key's axes, the confusion
shares, each learner's mean score): the drawing needs neither pandas nor the course.

`FigureProcess` draws them in a second Python process, started before the submissions are
read: a fork of this one on Linux (numpy and the kit already loaded), a fresh interpreter
elsewhere or when threads run. It imports matplotlib (about half a second) while this process
reads the files; it draws the heat maps, counted from the plain answers (`class_inputs`),
while this one imports pandas, and the histogram while the tables are written: with a free
second core the figures then cost almost nothing on top of the rest. Only plain numbers,
texts and PNG bytes cross over, pickled through two pipes; the child draws exactly what
`images_from_inputs` draws here. It ends on its own when this process closes its input or
dies, and `FigureProcess.close` (on leaving its `with` block, error or not) kills a child
that is still running and waits for it, so none is left behind.
"""

from __future__ import annotations

import io
import os
import sys

from .model import AXIS_CODES

FIGURES = ("answers_by_case", "confusion", "scores")
MAX_LABELLED_CASES = 30  # the per-case heat map prints its percentages up to this many cases


class FigureError(RuntimeError):
    """The figures could not be drawn (French message, for the instructor)."""


# --- What the figures show --------------------------------------------------------------

def class_inputs(columns, course=None) -> dict:
    """The heat maps' inputs from the answers as plain lists (ockit.classroom.answer_columns:
    `case`, `key_mask`, `chosen_mask`), in pure Python: they are known before pandas is loaded.

    answers_by_case: the cases answered (course order), for each the share of its answers that
    ticked each axis, and the key's axes. confusion: for answers whose key holds axis K, the
    share that ticked axis C (NaN: no such answer); None without answers. Without `course`,
    confusion only.
    """
    from collections import Counter

    axes = range(len(AXIS_CODES))
    per_case: dict[str, list[int]] = {}  # case -> [answers, ticks of each axis]
    counts = [[0 for _ in axes] for _ in axes]
    totals = [0 for _ in axes]
    # Few distinct (case, key, choice) triples: count them, then add up per axis.
    for (case, key, chosen), n in Counter(zip(columns["case"], columns["key_mask"],
                                              columns["chosen_mask"])).items():
        row = per_case.setdefault(case, [0 for _ in range(len(AXIS_CODES) + 1)])
        row[0] += n
        for j in axes:
            if chosen >> j & 1:
                row[j + 1] += n
        for k in axes:
            if key >> k & 1:
                totals[k] += n
                for j in axes:
                    if chosen >> j & 1:
                        counts[k][j] += n
    confusion = None
    if columns["case"]:
        confusion = [[counts[k][j] / totals[k] if totals[k] else float("nan") for j in axes]
                     for k in axes]
    inputs = {"confusion": {"shares": confusion}}
    if course is not None:
        cases = [cid for cid in course.cases if cid in per_case]
        inputs["answers_by_case"] = {
            "cases": cases,
            "shares": [[per_case[cid][j + 1] / per_case[cid][0] for j in axes] for cid in cases],
            "keys": [[code in course.cases[cid].axes for code in AXIS_CODES] for cid in cases]}
    return inputs


def scores_inputs(data) -> dict:
    """The histogram's input: each learner's mean Jaccard score, in percent (pandas)."""
    from .classroom import learner_scores

    scores = learner_scores(data)
    return {"scores": {"percents": scores.to_numpy() * 100 if len(scores) else None}}


def frame_columns(data) -> dict[str, list]:
    """`case`, `key_mask` and `chosen_mask` (see class_inputs) from the answers table."""
    import numpy as np

    df = data.answers
    masks = {}
    for kind in ("key", "chosen"):
        mask = np.zeros(len(df), dtype=np.int64)
        for i, code in enumerate(AXIS_CODES):
            mask |= df[f"{kind}_{code}"].to_numpy(dtype=np.int64) << i
        masks[f"{kind}_mask"] = mask.tolist()
    return {"case": df["case"].tolist(), **masks}


def figure_inputs(data, course) -> dict:
    """What the three figures are drawn from, by name (FIGURES): numbers and texts only."""
    return {**class_inputs(frame_columns(data), course), **scores_inputs(data)}


# --- Drawing (matplotlib's object API: no pyplot, no backend or global state touched) ------

def _figure(width, height, margins=(0.14, 0.14, 0.88, 0.9)):
    """A Figure with fixed margins (left, bottom, right, top): cheaper than a layout engine."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100)
    left, bottom, right, top = margins
    fig.subplots_adjust(left=left, bottom=bottom, right=right, top=top)
    return fig


def _empty(fig, ax, text="Aucune réponse à afficher."):
    ax.set_axis_off()
    ax.text(0.5, 0.5, text, ha="center", va="center", fontsize=12)
    return fig


def draw_answers_by_case(inputs):
    """Cases × axes heat map: share of learners who ticked each axis; key cells are framed."""
    import numpy as np
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    cases, shares = inputs["cases"], np.asarray(inputs["shares"], dtype=float)
    height = max(3.0, 0.32 * len(cases) + 1.6)
    # Room on the left for the longest case id at 7 pt (about 0.06 in per character).
    left = min(0.6, (0.35 + 0.06 * max((len(c) for c in cases), default=0)) / 8)
    fig = _figure(8, height, margins=(left, 0.8 / height, 0.82, 1 - 0.45 / height))
    ax = fig.add_subplot()
    if not cases:
        return _empty(fig, ax)
    image = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    # One collection for all the key frames: far cheaper to draw than a patch per cell.
    frames = [Rectangle((j - 0.5, i - 0.5), 1, 1) for i, key in enumerate(inputs["keys"])
              for j, in_key in enumerate(key) if in_key]
    ax.add_collection(PatchCollection(frames, facecolor="none", edgecolor="#c0392b", linewidth=2))
    if len(cases) <= MAX_LABELLED_CASES:  # beyond that the numbers are too small to read
        for i in range(len(cases)):
            for j in range(len(AXIS_CODES)):
                value = shares[i, j]
                ax.text(j, i, f"{value:.0%}".replace("%", " %"), ha="center", va="center",
                        fontsize=7, color="white" if value > 0.6 else "black")
    ax.set_xticks(np.arange(len(AXIS_CODES)), AXIS_CODES)
    ax.set_yticks(np.arange(len(cases)), cases, fontsize=7)
    ax.set_title("Axes cochés par cas (cadre rouge : axe de la clé)", y=1.0)
    fig.colorbar(image, ax=ax, label="part des apprenant·es", shrink=0.8)
    return fig


def draw_confusion(inputs):
    """Key axis × chosen axis heat map (see confusion_inputs)."""
    import numpy as np

    fig = _figure(6, 4.8, margins=(0.12, 0.12, 0.98, 0.92))
    ax = fig.add_subplot()
    if inputs["shares"] is None:
        return _empty(fig, ax)
    shares = np.asarray(inputs["shares"], dtype=float)
    image = ax.imshow(shares, cmap="Oranges", vmin=0, vmax=1, interpolation="nearest")
    for i in range(len(AXIS_CODES)):
        for j in range(len(AXIS_CODES)):
            if not np.isnan(shares[i, j]):
                ax.text(j, i, f"{shares[i, j]:.0%}".replace("%", " %"), ha="center", va="center",
                        fontsize=9, color="white" if shares[i, j] > 0.6 else "black")
    ax.set_xticks(np.arange(len(AXIS_CODES)), AXIS_CODES)
    ax.set_yticks(np.arange(len(AXIS_CODES)), AXIS_CODES)
    ax.set_xlabel("axe coché par l'apprenant·e")
    ax.set_ylabel("axe de la clé")
    ax.set_title("Confusions entre axes", y=1.0)
    fig.colorbar(image, ax=ax, label="part des réponses", shrink=0.8)
    return fig


def draw_scores(inputs):
    """Histogram of each learner's mean Jaccard score, in percent."""
    percents = inputs["percents"]
    fig = _figure(6, 3.6, margins=(0.1, 0.14, 0.97, 0.9))
    ax = fig.add_subplot()
    if percents is None:
        return _empty(fig, ax)
    ax.hist(percents, bins=[i * 10 for i in range(11)], color="#2e86c1", edgecolor="white")
    ax.set_xlim(0, 100)
    ax.set_xlabel("score moyen (indice de Jaccard, en %)")
    ax.set_ylabel("nombre d'apprenant·es")
    ax.set_title("Distribution des scores", y=1.0)
    return fig


DRAW = {"answers_by_case": draw_answers_by_case, "confusion": draw_confusion, "scores": draw_scores}


def png(fig) -> bytes:
    """Return a figure as PNG bytes (no timestamp in the metadata, so runs are comparable).

    Text is drawn without font hinting, as matplotlib's own image tests draw it: matplotlib
    sets the font size again before each glyph, and with hinting FreeType then reruns the
    font's hinting program, which made glyphs 2 to 4 times slower to draw (the heat map has
    over a thousand). Unhinted glyphs are as legible, a little softer.

    zlib level 3 instead of Pillow's 6: on these flat-coloured figures it compresses faster
    (0.04 s instead of 0.07 s for the heat map) and smaller.
    """
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"text.hinting": "no_hinting"}):
        fig.savefig(buf, format="png", metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def images_from_inputs(inputs: dict) -> dict[str, bytes]:
    """Draw the three figures from `figure_inputs`, as PNG bytes by name (FIGURES)."""
    return {name: png(DRAW[name](inputs[name])) for name in FIGURES}


# --- The second process --------------------------------------------------------------------

def second_core_free(loadavg: str | None = None, cores: int | None = None) -> bool:
    """Whether a second process would have a core of its own: at least two cores for this
    process, and neither now nor over the last minute are the others busy (Linux's
    /proc/loadavg: the 1-minute load and the tasks running now, this one included). A second
    process on a machine whose other cores are taken only competes with this one: it then
    costs its own start and imports on top. True when the load cannot be read (not Linux).
    `loadavg` and `cores` are for tests.
    """
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2:
        return False
    if loadavg is None:
        try:
            with open("/proc/loadavg", encoding="ascii") as handle:
                loadavg = handle.read()
        except OSError:
            return True
    try:
        fields = loadavg.split()
        minute, running = float(fields[0]), int(fields[3].split("/")[0])
    except (IndexError, ValueError):
        return True
    others_now = running - 1  # this process is running: it is reading the file
    return not (others_now >= cores - 1 and minute >= cores - 1)


# The child's program: the parent's sys.path (so it imports this very kit, wherever it is
# installed), then `_serve`.
_CHILD = ("import sys, json; sys.path[:] = json.loads(sys.argv[1]); "
          "from ockit.reportfigures import _serve; _serve()")


def start_method() -> str:
    """How FigureProcess starts its child: "fork" on Linux when this process runs a single
    thread (the child is then a copy of this one: numpy and the kit are already loaded, so it
    only imports matplotlib), "spawn" otherwise (a fresh interpreter: threads, as in a Jupyter
    kernel, do not survive a fork safely, and other systems discourage forking)."""
    import threading

    if sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1:
        return "fork"
    return "spawn"


class FigureProcess:
    """A second Python process that draws the report's figures (see the module docstring).

    Use it as a context manager: `send(inputs)` as soon as some inputs are known (several
    times: a figure is drawn as soon as its inputs arrive), `images()` when the PNGs are
    needed. `method`: "fork" or "spawn" (default: start_method()). Raises OSError when the
    process cannot be started.
    """

    def __init__(self, method: str | None = None):
        method = method or start_method()
        self._sent: set[str] = set()
        self._pid = None
        self._code = None
        if method == "fork":
            self._fork()
        else:
            self._spawn()

    def _spawn(self):
        import json
        import subprocess

        if not sys.executable:  # an embedded interpreter: no Python to start
            raise FileNotFoundError("sys.executable is empty")
        process = subprocess.Popen(
            [sys.executable, "-c", _CHILD, json.dumps(sys.path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._pid, self._to_child, self._from_child = process.pid, process.stdin, process.stdout
        self._popen = process

    def _fork(self):
        import numpy  # noqa: F401 - loaded once, shared with the child instead of imported twice

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (to_child_r, to_child_w, from_child_r, from_child_w):
                os.close(fd)
            raise
        if pid == 0:  # the child: never returns into the parent's code
            try:
                os.close(to_child_w)
                os.close(from_child_r)
                devnull = os.open(os.devnull, os.O_RDWR)
                for fd in (0, 1, 2):  # nothing of the parent's terminal or output
                    os.dup2(devnull, fd)
                _serve_on(os.fdopen(to_child_r, "rb"), os.fdopen(from_child_w, "wb"))
            finally:
                os._exit(0)
        os.close(to_child_r)
        os.close(from_child_w)
        self._pid, self._popen = pid, None
        self._to_child, self._from_child = os.fdopen(to_child_w, "wb"), os.fdopen(from_child_r, "rb")

    @property
    def returncode(self):
        """The child's exit code (negative: the signal that ended it), None while it runs."""
        return self._popen.returncode if self._popen is not None else self._code

    def _wait(self, block: bool = True):
        if self._popen is not None:
            return self._popen.wait() if block else self._popen.poll()
        if self._code is None:
            pid, status = os.waitpid(self._pid, 0 if block else os.WNOHANG)
            if pid:
                self._code = os.waitstatus_to_exitcode(status)
        return self._code

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def send(self, inputs: dict) -> None:
        """Give the child some of the figures' inputs, by name; it draws them at once. Once
        every figure of FIGURES has been given, the child's input is closed."""
        import pickle

        self._sent.update(inputs)
        try:
            pickle.dump(inputs, self._to_child, protocol=pickle.HIGHEST_PROTOCOL)
            self._to_child.flush()
            if set(FIGURES) <= self._sent:
                self._to_child.close()
        except OSError:  # the child is gone: images() says how it ended
            pass

    def images(self) -> dict[str, bytes]:
        """Wait for the child's PNGs, by name. Raises FigureError (French) if it failed."""
        import pickle

        if not set(FIGURES) <= self._sent:
            raise ValueError("send() must give every figure's inputs before images()")
        reply = self._from_child.read()
        code = self._wait()
        try:
            answer = pickle.loads(reply) if reply else None
        except Exception:  # noqa: BLE001 - a truncated reply: the child died while writing
            answer = None
        if isinstance(answer, dict) and "error" in answer:
            raise FigureError("Les figures du rapport n'ont pas pu être dessinées : le processus "
                              f"qui les dessine a rencontré une erreur ({answer['error']}).")
        if code != 0 or not isinstance(answer, dict) or "images" not in answer:
            how = f"signal {-code}" if code < 0 else f"code de sortie {code}"
            raise FigureError("Les figures du rapport n'ont pas pu être dessinées : le processus "
                              f"qui les dessine s'est arrêté sans les rendre ({how}).")
        return answer["images"]

    def close(self) -> None:
        """End the child if it still runs, and wait for it (never leaves a process behind)."""
        import signal

        for pipe in (self._to_child, self._from_child):
            try:
                pipe.close()
            except OSError:
                pass
        if self._wait(block=False) is None:
            try:
                os.kill(self._pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self._wait()


def _warm_up() -> None:
    """Import what drawing needs and draw one small text: the font and the PNG encoder are
    then loaded while the parent is still reading the submissions."""
    import matplotlib.figure  # noqa: F401
    from matplotlib.collections import PatchCollection  # noqa: F401
    from matplotlib.patches import Rectangle  # noqa: F401

    fig = _figure(1, 1)
    fig.text(0.5, 0.5, "Axes 0 %")
    png(fig)


def _serve() -> None:
    """The spawned child's main: the protocol of _serve_on on stdin and stdout (a copy of it:
    whatever a library prints goes to stderr)."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    _serve_on(sys.stdin.buffer, channel)


def _serve_on(source, channel) -> None:
    """The child's work: warm up, read pickled inputs from `source` and draw them until every
    figure is drawn, write the pickled reply ({"images": ...} or {"error": "Type: message"})
    to `channel`, and end at once."""
    import gc
    import pickle
    import signal

    # Nothing drawn here outlives this short process: the cyclic collector would only walk
    # matplotlib's objects again and again (a quarter of the drawing time), as in gc_paused.
    gc.disable()
    # Ctrl-C reaches the whole process group: the parent handles it and ends this process.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _warm_up()
        images: dict[str, bytes] = {}
        while len(images) < len(FIGURES):  # each message: some figures' inputs, by name
            for name, inputs in pickle.load(source).items():
                images[name] = png(DRAW[name](inputs))
        reply = {"images": {name: images[name] for name in FIGURES}}
    except BaseException as exc:  # noqa: BLE001 - every failure goes back to the parent
        reply = {"error": f"{type(exc).__name__}: {exc}"}
    try:
        pickle.dump(reply, channel, protocol=pickle.HIGHEST_PROTOCOL)
        channel.flush()
    except OSError:  # the parent is gone
        pass
    os._exit(0)  # nothing to tear down: the parent waits for this exit
