"""The classification workshop in a real browser: JupyterLab + Chromium driven by Playwright.

The test starts JupyterLab on 127.0.0.1 (free port, random token, a temporary root folder holding
a copy of notebooks/06_atelier_de_classification.ipynb, so the repository is never touched), opens
the notebook in Debian's Chromium, runs all cells from the "Run" menu, ticks an axis, clicks
"Vérifier" and checks that the feedback computed by `ockit.score` is shown. It also checks that the
axis labels are shown whole and that "Vérifier" works from the keyboard.

Chromium is Debian's (`make chromium`); Playwright's own browser download is never used. A missing
Chromium is a failure, not a skip: `make test` installs it first.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from ockit.data import load
from ockit.scoring import score
from ockit.widgets import select_cases

REPO = Path(__file__).resolve().parents[2]
NOTEBOOK = REPO / "notebooks" / "06_atelier_de_classification.ipynb"
SERVER_TIMEOUT = 60  # seconds for JupyterLab to answer /api/status
PORT_ATTEMPTS = 3  # a port found free can be taken before JupyterLab binds it: try another
KERNEL_TIMEOUT = 60_000  # milliseconds for "Run All Cells" to finish and the widget to show
UI_TIMEOUT = 30_000  # milliseconds for the page and for one click's effect
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Same settings as the overrides.json written by `make install`: no news, no update check.
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}


def find_chromium() -> str:
    """Return the path of Debian's Chromium, or fail (never skip) with the French fix."""
    for candidate in (shutil.which("chromium"), "/usr/bin/chromium"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    pytest.fail("Chromium est introuvable : le test dans un navigateur en a besoin. Installez-le avec "
                "`make chromium` (ou `bash tools/ensure-chromium.sh`), puis relancez `make test`.",
                pytrace=False)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(journal du serveur illisible : {exc})"
    return "\n".join(text.splitlines()[-lines:])


class PortTaken(Exception):
    """The free port found was taken by another process before JupyterLab could bind it."""


class LabServer:
    """A JupyterLab process of this test's own: its URL, token, root folder and log file."""

    def __init__(self, process: subprocess.Popen, port: int, token: str, root: Path, log: Path):
        self.process, self.port, self.token, self.root, self.log = process, port, token, root, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}"

    def explain(self, what: str) -> str:
        """Return a French failure message followed by the tail of the server log."""
        return f"{what}\n--- fin du journal de JupyterLab ({self.log}) ---\n{log_tail(self.log)}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "already in use" in log_tail(self.log).lower():
                    raise PortTaken(self.port)
                pytest.fail(self.explain(f"JupyterLab s'est arrêté au démarrage (code {self.process.returncode})."),
                            pytrace=False)
            try:
                with urllib.request.urlopen(self.url("/api/status"), timeout=5) as response:
                    json.load(response)
                return
            except (OSError, ValueError) as exc:  # URLError is an OSError
                last = exc
                time.sleep(0.25)
        pytest.fail(self.explain(f"JupyterLab ne répond pas après {SERVER_TIMEOUT} s ({last})."), pytrace=False)

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM (it then shuts its kernels down), wait, then SIGKILL."""
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:  # keep the test's own failure, not this one
                pass


@pytest.fixture
def chromium() -> str:
    return find_chromium()


@pytest.fixture
def lab(tmp_path, chromium) -> LabServer:
    """JupyterLab serving a temporary folder that holds a copy of notebook 06; always stopped."""
    root = tmp_path / "racine"
    root.mkdir()
    shutil.copy2(NOTEBOOK, root / NOTEBOOK.name)  # the notebook reads nothing relative to its folder
    private = tmp_path / "jupyter"  # Jupyter's own files, out of the served folder and of $HOME
    settings = private / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(NOTIFICATION_SETTINGS), encoding="utf-8")
    env = dict(os.environ,
               JUPYTER_PLATFORM_DIRS="1",
               OCKIT_PROGRESS=str(tmp_path / "progression" / "progress.json"),
               JUPYTER_CONFIG_DIR=str(private / "config"),
               JUPYTER_DATA_DIR=str(private / "data"),
               JUPYTER_RUNTIME_DIR=str(private / "runtime"),
               JUPYTERLAB_SETTINGS_DIR=str(private / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(private / "workspaces"),
               PYTHONUNBUFFERED="1")
    token = secrets.token_hex(24)
    log = tmp_path / "jupyterlab.log"
    for attempt in range(1, PORT_ATTEMPTS + 1):
        port = free_port()
        command = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                   "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                   f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                   "--LabApp.news_url=None",
                   "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        with open(log, "wb") as out:
            process = subprocess.Popen(command, env=env, cwd=root, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT)
        server = LabServer(process, port, token, root, log)
        try:
            server.wait_ready()
        except PortTaken:
            server.stop()
            if attempt == PORT_ATTEMPTS:
                pytest.fail(server.explain(f"Aucun port libre après {PORT_ATTEMPTS} essais."), pytrace=False)
            continue
        except BaseException:
            server.stop()
            raise
        break
    try:
        yield server
    finally:
        server.stop()


# Returns why the text of a checkbox label would not show whole: zero size, an ellipsis, text
# hidden by an ancestor that clips (overflow not visible), or text past the cell's output area.
CLIPPING_JS = """label => {
    const text = label.querySelector('span') || label;
    const r = text.getBoundingClientRect();
    const problems = [];
    if (r.width <= 0 || r.height <= 0) problems.push('texte de taille nulle');
    const output = label.closest('.jp-OutputArea-output');
    for (let el = text; el && el !== output; el = el.parentElement) {
        const style = getComputedStyle(el);
        const name = el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
        const clips = style.overflowX !== 'visible' || style.textOverflow === 'ellipsis';
        if (clips && el.scrollWidth > el.clientWidth + 1) problems.push('texte coupé dans ' + name);
        const box = el.getBoundingClientRect();
        if (clips && (r.left < box.left - 1 || r.right > box.right + 1)) problems.push('texte hors de ' + name);
    }
    if (output && r.right > output.getBoundingClientRect().right + 1) problems.push('texte hors de la zone de sortie');
    return problems;
}"""


def first_case_and_axis():
    """The case the workshop shows first, and the first axis of its key (code, French label)."""
    course = load()
    case = course.case(select_cases(course)[0])
    code = case.axes[0]
    return case, code, course.axes[code].label


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_workshop_in_chromium(lab, chromium):
    from playwright.sync_api import sync_playwright

    case, code, label = first_case_and_axis()
    course = load()
    expected = score(case.id, [code], None)  # the radio buttons start on "Je ne sais pas"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.set_default_timeout(UI_TIMEOUT)
            try:
                run_workshop(page, lab, case, course, code, label, expected)
            except BaseException:
                shot = lab.log.parent / "echec.png"
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"Capture d'écran de l'échec : {shot}")
                except Exception:  # noqa: BLE001 - the screenshot only helps; keep the real error
                    pass
                print(f"--- fin du journal de JupyterLab ({lab.log}) ---\n{log_tail(lab.log)}")
                raise
        finally:
            browser.close()


def run_workshop(page, lab, case, course, code, label, expected):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    # The status bar reads "<kernel> | Idle" only once the kernel is connected and idle.
    kernel_idle = page.locator(".jp-StatusBar-Widget").get_by_role("button", name=re.compile(r"\|\s*Idle$"))
    code_cells = sum(cell["cell_type"] == "code" for cell in json.loads(NOTEBOOK.read_text("utf-8"))["cells"])
    page.goto(lab.url(f"/lab/tree/{NOTEBOOK.name}"), wait_until="domcontentloaded")
    try:
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=KERNEL_TIMEOUT)
        # "Run All Cells" issued before the kernel is connected clears the outputs and runs nothing.
        expect(kernel_idle, "Le noyau n'est pas prêt (« Idle »).").to_be_visible(timeout=KERNEL_TIMEOUT)
    except AssertionError as exc:
        pytest.fail(lab.explain(f"Le carnet {NOTEBOOK.name} ne s'ouvre pas dans JupyterLab, ou son noyau "
                                f"ne démarre pas :\n{exc}"), pytrace=False)

    # Before running: the saved (untrusted) notebook shows no live widget, so no checkbox yet.
    axis_box = page.get_by_role("checkbox", name=label, exact=True)
    assert axis_box.count() == 0, "Une case à cocher d'axe est affichée avant même l'exécution des cellules."

    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    try:
        expect(axis_box).to_be_visible(timeout=KERNEL_TIMEOUT)
        expect(page.locator(".jp-CodeCell .jp-InputPrompt")).to_have_text(
            [re.compile(r"^\[\d+\]:$")] * code_cells, timeout=KERNEL_TIMEOUT)  # every code cell ran
        expect(kernel_idle).to_be_visible(timeout=KERNEL_TIMEOUT)
    except AssertionError as exc:
        pytest.fail(lab.explain(f"Après « Run All Cells », l'atelier ne s'affiche pas ou le noyau reste "
                                f"occupé :\n{exc}"), pytrace=False)

    workshop = page.locator(".jp-OutputArea-output").filter(has=axis_box)
    expect(workshop, "L'atelier devrait s'afficher une seule fois.").to_have_count(1)
    expect(workshop.get_by_text(case.title, exact=True),
           f"Le premier cas de l'atelier devrait être « {case.title} ».").to_be_visible()
    expect(workshop.get_by_text("Cas 1 sur", exact=False)).to_be_visible()

    # One checkbox per axis, each named by its full French label, shown whole (not cut off).
    for axis in course.axes.values():
        box = workshop.get_by_role("checkbox", name=axis.label, exact=True)
        expect(box, f"Pas de case à cocher nommée « {axis.label} ».").to_have_count(1)
        expect(box).not_to_be_checked()
        shown = box.locator("xpath=ancestor::label[1]")
        expect(shown).to_have_text(axis.label)
        problems = shown.evaluate(CLIPPING_JS)
        assert not problems, f"Le libellé de l'axe « {axis.label} » n'est pas affiché en entier : {problems}"

    check = workshop.get_by_role("button", name="Vérifier", exact=True)
    feedback = workshop.get_by_role("status")
    expect(check).to_be_visible()
    expect(feedback, "Une rétroaction est affichée avant le clic sur « Vérifier ».").to_have_count(0)
    expect(workshop.get_by_role("button", name="Voir la réponse", exact=True)).to_be_hidden()

    # Tick one axis with the mouse and click "Vérifier": the feedback of ockit.score shows up.
    axis_box.click()
    expect(axis_box, f"La case « {label} » ne se coche pas au clic.").to_be_checked()
    check.click()
    try:
        expect(feedback).to_contain_text("Tentative n° 1", timeout=UI_TIMEOUT)
    except AssertionError as exc:
        pytest.fail(lab.explain(f"Aucune rétroaction après le clic sur « Vérifier » :\n{exc}"), pytrace=False)
    shown_text = normalized(feedback.inner_text())
    for paragraph in re.split(r"\n\s*\n", expected.feedback):
        assert normalized(paragraph) in shown_text, (
            f"La rétroaction affichée ne contient pas ce passage attendu de ockit.score :\n"
            f"« {normalized(paragraph)} »\nTexte affiché :\n« {shown_text} »")
    assert "Score des axes" in shown_text and "Réponse enregistrée" in shown_text, shown_text
    expect(workshop.get_by_role("button", name="Voir la réponse", exact=True)).to_be_visible()

    # Keyboard: "Vérifier" can be focused and activated with Enter, then with Space.
    check.focus()
    expect(check, "Le bouton « Vérifier » ne peut pas recevoir le focus clavier.").to_be_focused()
    check.press("Enter")
    try:
        expect(feedback).to_contain_text("Tentative n° 2", timeout=UI_TIMEOUT)
    except (AssertionError, PlaywrightTimeout) as exc:
        pytest.fail(f"La touche Entrée sur « Vérifier » ne relance pas la vérification :\n{exc}", pytrace=False)
    check.focus()
    check.press("Space")
    expect(feedback, "La touche Espace sur « Vérifier » ne relance pas la vérification.").to_contain_text(
        "Tentative n° 3", timeout=UI_TIMEOUT)
