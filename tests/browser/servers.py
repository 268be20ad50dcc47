"""Servers and browser helpers shared by the browser tests (JupyterLab, Voilà, axe-core).

Every server runs on 127.0.0.1 on a free port picked at run time (another one is tried if the
port is taken between finding and binding it), from a temporary folder, with Jupyter's own
files out of $HOME, and is stopped by its PID (SIGTERM, then SIGKILL) by the fixture that
started it, also when the test fails.

Chromium is Debian's (`make chromium`); Playwright's own browser download is never used. A
missing Chromium or axe-core is a failure, not a skip: `make test` installs both first.
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

REPO = Path(__file__).resolve().parents[2]
SERVER_TIMEOUT = 60  # seconds for a server to answer
PORT_ATTEMPTS = 3  # a port found free can be taken before the server binds it: try another
KERNEL_TIMEOUT = 60_000  # milliseconds for the cells to run and a widget to show
UI_TIMEOUT = 30_000  # milliseconds for the page and for one click's effect
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# Same settings as the overrides.json written by `make install`: no news, no update check.
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}
# axe-core from npm, installed by `make test` (target `axe`) into .venv/node.
AXE_JS = REPO / ".venv" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# JupyterLab's menu and status names in the kit's locale (French, see `make install`), with the
# English ones as a fallback for a JupyterLab run without the language pack.
RUN_MENU = re.compile(r"^(Exécution|Run)$")
RUN_ALL = re.compile(r"^(Exécuter toutes les cellules|Run All Cells)$")
IDLE = re.compile(r"\|\s*(Inactif|Idle)$")


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
    """The free port found was taken by another process before the server could bind it."""


class Server:
    """A server process of a test's own: its URL, token (may be empty), root folder and log file."""

    name = "le serveur"
    status_path = "/"

    def __init__(self, process: subprocess.Popen, port: int, token: str, root: Path, log: Path):
        self.process, self.port, self.token, self.root, self.log = process, port, token, root, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}?token={self.token}" if self.token else f"{self.base}{path}"

    def explain(self, what: str) -> str:
        """Return a French failure message followed by the tail of the server log."""
        return f"{what}\n--- fin du journal de {self.name} ({self.log}) ---\n{log_tail(self.log)}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_TIMEOUT
        last = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                if "already in use" in log_tail(self.log).lower():
                    raise PortTaken(self.port)
                pytest.fail(self.explain(f"{self.name} s'est arrêté au démarrage (code {self.process.returncode})."),
                            pytrace=False)
            try:
                with urllib.request.urlopen(self.url(self.status_path), timeout=5) as response:
                    response.read()
                return
            except (OSError, ValueError) as exc:  # URLError is an OSError
                last = exc
                time.sleep(0.25)
        pytest.fail(self.explain(f"{self.name} ne répond pas après {SERVER_TIMEOUT} s ({last})."), pytrace=False)

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


class LabServer(Server):
    """A JupyterLab process of a test's own."""

    name = "JupyterLab"
    status_path = "/api/status"


class VoilaServer(Server):
    """A Voilà process of a test's own, serving one notebook at its root URL."""

    name = "Voilà"
    status_path = "/"


def jupyter_env(tmp_path: Path) -> dict:
    """The environment of a test's Jupyter server: progress file and Jupyter's files in tmp_path."""
    private = tmp_path / "jupyter"  # Jupyter's own files, out of the served folder and of $HOME
    settings = private / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True, exist_ok=True)
    (settings / "notification.jupyterlab-settings").write_text(json.dumps(NOTIFICATION_SETTINGS), encoding="utf-8")
    return dict(os.environ,
                JUPYTER_PLATFORM_DIRS="1",
                OCKIT_PROGRESS=str(tmp_path / "progression" / "progress.json"),
                JUPYTER_CONFIG_DIR=str(private / "config"),
                JUPYTER_DATA_DIR=str(private / "data"),
                JUPYTER_RUNTIME_DIR=str(private / "runtime"),
                JUPYTERLAB_SETTINGS_DIR=str(private / "settings"),
                JUPYTERLAB_WORKSPACES_DIR=str(private / "workspaces"),
                PYTHONUNBUFFERED="1")


def start(kind: type[Server], make_command, *, env: dict, cwd: Path, root: Path, log: Path,
          token: str = "") -> Server:
    """Start a server with `make_command(port)` on a free port (retried if taken); wait until it answers."""
    for attempt in range(1, PORT_ATTEMPTS + 1):
        port = free_port()
        with open(log, "wb") as out:
            process = subprocess.Popen(make_command(port), env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                       stdout=out, stderr=subprocess.STDOUT)
        server = kind(process, port, token, root, log)
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
        return server
    raise AssertionError("unreachable")


def start_lab(tmp_path: Path, notebooks) -> LabServer:
    """JupyterLab serving a temporary folder holding copies of `notebooks` (the repository is never touched)."""
    root = tmp_path / "racine"
    root.mkdir()
    for notebook in notebooks:
        shutil.copy2(notebook, root / Path(notebook).name)
    env = jupyter_env(tmp_path)
    token = secrets.token_hex(24)

    def command(port):
        args = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
                "--LabApp.news_url=None",
                "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
        if os.geteuid() == 0:
            args.append("--allow-root")
        return args

    return start(LabServer, command, env=env, cwd=root, root=root, log=tmp_path / "jupyterlab.log", token=token)


def start_voila(tmp_path: Path) -> VoilaServer:
    """Voilà serving the app (app/parcours.ipynb) as `make app` does, from a temporary copy of the
    kit's app/ and notebooks/ folders, so the lessons are found and the hand-in is written there."""
    root = tmp_path / "trousse"
    (root / "app").mkdir(parents=True)
    shutil.copy2(REPO / "app" / "parcours.ipynb", root / "app" / "parcours.ipynb")
    shutil.copytree(REPO / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "remise-*.json"))
    env = jupyter_env(tmp_path)

    def command(port):
        return [sys.executable, "-m", "voila", "app/parcours.ipynb", "--Voila.ip=127.0.0.1", f"--port={port}",
                "--no-browser", "--show_tracebacks=False"]

    return start(VoilaServer, command, env=env, cwd=root, root=root, log=tmp_path / "voila.log")


def axe_js() -> Path:
    """Return the path of axe-core's script, or fail (never skip) with the French fix."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core est introuvable ({AXE_JS}) : installez-le avec `make axe` "
                    "(npm install --prefix .venv/node axe-core@4), puis relancez `make test`.", pytrace=False)
    return AXE_JS


# Runs axe-core's WCAG 2.1 A and AA rules on the page; returns each violation with the nodes
# that are inside a kit widget (`.ockit-root`).
AXE_RUN_JS = """async (tags) => {
    const results = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.filter(n => {
            const el = document.querySelector(n.target[0]);
            return el && el.closest('.ockit-root');
        }).map(n => ({target: n.target.join(' '), impact: n.impact, summary: n.failureSummary})),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """Run axe-core on `page`; return the serious or critical violations inside the kit's widgets."""
    page.add_script_tag(path=str(axe_js()))
    found = page.evaluate(AXE_RUN_JS, AXE_TAGS)
    serious = []
    for violation in found:
        nodes = [n for n in violation["nodes"] if (n["impact"] or violation["impact"]) in ("serious", "critical")]
        if nodes:
            serious.append({**violation, "nodes": nodes})
    return serious


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}) : {v['help']}")
        for node in v["nodes"]:
            summary = " / ".join(line.strip() for line in (node["summary"] or "").splitlines() if line.strip())
            lines.append(f"    · {node['target']} — {summary}")
    return "\n".join(lines)


def screenshot_on_failure(page, server: Server, name: str = "echec.png") -> None:
    """Save a full-page screenshot beside the server log and print the log's tail (called on failure)."""
    shot = server.log.parent / name
    try:
        page.screenshot(path=str(shot), full_page=True)
        print(f"Capture d'écran de l'échec : {shot}")
    except Exception:  # noqa: BLE001 - the screenshot only helps; keep the real error
        pass
    print(server.explain("(échec du test)"))
