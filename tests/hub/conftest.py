"""A real JupyterHub for the end-to-end tests of tests/hub/ (module-scoped, reusable).

The `hub` fixture starts JupyterHub (PyPI) with configurable-http-proxy (npm, `make hub-proxy`)
on 127.0.0.1 and free ports, the built-in DummyAuthenticator with a shared password, and
SimpleLocalProcessSpawner: every learner's server runs as this test's user (no Unix accounts
to create), with its own HOME under a temporary folder. The learners' environment is the
virtualenv of tests/kitenv.py, where the kit is installed from its wheel; the course is served
to nbgitpuller from a bare git repository (file://) made from a clean copy of the checkout.

Every process is stopped by its PID on teardown, also when a test fails: the learners' servers
(PIDs read from the hub's API) and the proxy (its PID file) by process group, then the hub's
whole process group.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.browser import servers
from tests.browser.servers import free_port
from tests.kitenv import REPO, clean_copy

CHP = REPO / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
DEV_PREFIX = Path(sys.prefix)  # the kit's .venv: JupyterLab's assets and server extensions live here
HUB_TIMEOUT = 60  # seconds for the hub to answer
SPAWN_TIMEOUT = 90  # seconds for one learner's server to be ready
USERS = ("etu-0001", "etu-0002", "etu-0003")  # hub user names are account ids, not names


def log_tail(path: Path, lines: int = 60) -> str:
    """The hub's log is longer than a lab's: 60 lines by default."""
    return servers.log_tail(path, lines)


def bare_course_repo(where: Path) -> str:
    """A bare git repository (branch main) holding a clean copy of the checkout; its file:// URL."""
    work = clean_copy(where / "cours-travail")
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", "-c", "init.defaultBranch=main"]
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "Cours"]):
        subprocess.run([*git, *args], cwd=work, check=True, capture_output=True, timeout=120)
    bare = where / "git" / "cours.git"
    subprocess.run(["git", "clone", "-q", "--bare", str(work), str(bare)], check=True, capture_output=True,
                   timeout=120)
    return bare.as_uri()


@dataclass
class Hub:
    """A running hub: its URL, the service token, the learners and where their files go."""

    url: str
    token: str
    password: str
    users: tuple[str, ...]
    homes: Path
    handin: Path
    repo_url: str
    kit_bin: Path
    log: Path
    process: subprocess.Popen
    root: Path
    pids: set = field(default_factory=set)

    def explain(self, what: str) -> str:
        return f"{what}\n--- fin du journal du hub ({self.log}) ---\n{log_tail(self.log)}"

    def api(self, method: str, path: str, body=None, timeout: float = 30):
        """Call the hub's REST API with the service token; return the decoded JSON (or None)."""
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(f"{self.url}/hub/api{path}", data=data, method=method,
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read().decode("utf-8")
        return json.loads(text) if text.strip() else None

    def user_get(self, user: str, path: str, timeout: float = 60) -> bytes:
        """GET a path of a learner's own server, authenticated with the service token."""
        request = urllib.request.Request(f"{self.url}/user/{user}{path}",
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read()

    def home(self, user: str) -> Path:
        return self.homes / user

    def request_server(self, user: str) -> None:
        """Ask the hub to start a learner's server (returns at once; see start_server)."""
        try:
            self.api("POST", f"/users/{user}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running or already pending
                raise

    def start_server(self, user: str) -> None:
        """Start a learner's server through the API and wait until the hub says it is ready."""
        self.request_server(user)
        deadline = time.monotonic() + SPAWN_TIMEOUT
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{user}")["servers"].get("")
            if server and server.get("ready"):
                self.remember_pid(user)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.5)
        pytest.fail(self.explain(f"Le serveur de {user} n'est pas prêt après {SPAWN_TIMEOUT} s."), pytrace=False)

    def remember_pid(self, user: str) -> None:
        try:
            server = self.api("GET", f"/users/{user}")["servers"].get("") or {}
        except (OSError, ValueError):
            return
        pid = (server.get("state") or {}).get("pid")
        if pid:
            self.pids.add(int(pid))

    def pull(self, user: str, branch: str = "main") -> None:
        """Pull the course into a learner's home with nbgitpuller's own handler (event stream)."""
        query = urlencode({"repo": self.repo_url, "targetpath": "cours", "branch": branch})
        stream = self.user_get(user, f"/git-pull/api?{query}", timeout=120).decode("utf-8")
        events = [json.loads(line[5:]) for line in stream.splitlines() if line.startswith("data:")]
        assert events and events[-1].get("phase") == "finished", f"nbgitpuller pour {user} : {events[-3:]}"

    def login(self, page, user: str, then: str = r"/(hub/|user/)") -> None:
        """Log `user` in through the hub's own login page, in a Playwright page."""
        import re

        from tests.browser.servers import KERNEL_TIMEOUT

        page.goto(f"{self.url}/hub/login", wait_until="domcontentloaded")
        page.locator("#username_input").fill(user)
        page.locator("#password_input").fill(self.password)
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(then), timeout=KERNEL_TIMEOUT)

    def link(self, notebook: str) -> str:
        """The link `ockit hub-link` prints for this hub, the course repository and a notebook."""
        done = subprocess.run([str(self.kit_bin / "ockit"), "hub-link", "--hub", self.url, "--repo",
                               self.repo_url, "--branch", "main", "--notebook", notebook],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


def hub_config(root: Path, port: int, token: str, password: str, kit_bin: Path, homes: Path,
               handin: Path) -> str:
    env = {
        "PATH": f"{kit_bin}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
        "VIRTUAL_ENV": str(kit_bin.parent),
        "PYTHONPATH": "",
        "OCKIT_HANDIN": str(handin),
        "JUPYTER_PLATFORM_DIRS": "1",
        # The wheel's venv borrows JupyterLab's assets and server extensions from the kit's .venv
        # (tests/kitenv.py): point Jupyter at them, as a shared hub environment would hold them.
        "JUPYTERLAB_DIR": str(DEV_PREFIX / "share" / "jupyter" / "lab"),
        "JUPYTER_PATH": str(DEV_PREFIX / "share" / "jupyter"),
        "JUPYTER_CONFIG_PATH": str(DEV_PREFIX / "etc" / "jupyter"),
        "PYTHONUNBUFFERED": "1",
    }
    args = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        args.append("--allow-root")
    config = {
        "JupyterHub": {
            "bind_url": f"http://127.0.0.1:{port}",
            "hub_bind_url": f"http://127.0.0.1:{free_port()}",
            "authenticator_class": "jupyterhub.auth.DummyAuthenticator",
            "spawner_class": "jupyterhub.spawner.SimpleLocalProcessSpawner",
            "db_url": f"sqlite:///{root / 'jupyterhub.sqlite'}",
            "cookie_secret_file": str(root / "jupyterhub_cookie_secret"),
            "pid_file": str(root / "jupyterhub.pid"),
            "services": [{"name": "enseignant", "api_token": token}],
            "load_roles": [{"name": "enseignant", "services": ["enseignant"],
                            "scopes": ["admin:users", "admin:servers", "access:servers", "list:users"]}],
            "cleanup_servers": True,
        },
        "ConfigurableHTTPProxy": {"command": [str(CHP)], "api_url": f"http://127.0.0.1:{free_port()}",
                                  "pid_file": str(root / "proxy.pid")},
        "Authenticator": {"allow_all": True},
        "DummyAuthenticator": {"password": password},
        "SimpleLocalProcessSpawner": {"home_dir_template": str(homes / "{username}")},
        "Spawner": {"cmd": [str(kit_bin / "python"), "-m", "jupyterhub.singleuser"], "args": args,
                    "default_url": "/lab", "environment": env, "start_timeout": SPAWN_TIMEOUT,
                    "http_timeout": SPAWN_TIMEOUT},
    }
    lines = ["c = get_config()  # noqa: F821"]
    for section, values in config.items():
        lines += [f"c.{section}.{key} = {value!r}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


def stop_group(pid: int, grace: float = 15, process: subprocess.Popen | None = None) -> None:
    """SIGTERM the process group of `pid`, wait, then SIGKILL it (only processes we started).

    `process`: our own child, reaped with poll() (a zombie still answers kill(pid, 0))."""
    def alive() -> bool:
        if process is not None:
            return process.poll() is None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    try:
        group = os.getpgid(pid)
    except ProcessLookupError:
        return
    if group == os.getpgid(0):  # never signal the test's own group
        group = None
    try:
        os.killpg(group, signal.SIGTERM) if group else os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not alive():
            return
        time.sleep(0.2)
    try:
        os.killpg(group, signal.SIGKILL) if group else os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_hub(root: Path, kit_bin: Path, users=USERS, extra_config: str = "") -> Hub:
    """Start a hub in `root` (its config, database, logs, homes and hand-in folder go there).

    `extra_config`: Python lines appended to the generated jupyterhub_config.py (e.g. for a
    Voilà test: c.Spawner.default_url, more services). Stop it with stop_hub, always."""
    if not os.access(CHP, os.X_OK):
        pytest.fail(f"configurable-http-proxy est introuvable ({CHP}) : lancez `make hub-proxy`.", pytrace=False)
    homes, handin = root / "homes", root / "remises"
    homes.mkdir()
    handin.mkdir()
    token, password = secrets.token_hex(24), secrets.token_hex(8)
    port = free_port()
    (root / "jupyterhub_config.py").write_text(
        hub_config(root, port, token, password, kit_bin, homes, handin) + extra_config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("OCKIT_PROGRESS", "OCKIT_HANDIN", "PYTHONPATH")}
    repo_url = bare_course_repo(root)
    log = root / "jupyterhub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(root / "jupyterhub_config.py")],
                                   cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", token, password, tuple(users), homes, handin,
              repo_url, kit_bin, log, process, root)
    try:
        deadline = time.monotonic() + HUB_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(hub.explain(f"JupyterHub s'est arrêté au démarrage (code {process.returncode})."),
                            pytrace=False)
            try:
                hub.api("GET", "/", timeout=5)
                break
            except (OSError, ValueError):
                if time.monotonic() > deadline:
                    pytest.fail(hub.explain(f"JupyterHub ne répond pas après {HUB_TIMEOUT} s."), pytrace=False)
                time.sleep(0.3)
        hub.api("POST", "/users", {"usernames": list(users)})
    except BaseException:
        stop_hub(hub)
        raise
    return hub


def stop_hub(hub: Hub) -> None:
    for user in hub.users:
        hub.remember_pid(user)
    proxy_pid = None
    try:
        proxy_pid = int((hub.root / "proxy.pid").read_text().strip())
    except (OSError, ValueError):
        pass
    stop_group(hub.process.pid, grace=25, process=hub.process)  # the hub stops the learners' servers and the proxy
    for pid in sorted(hub.pids) + ([proxy_pid] if proxy_pid else []):
        stop_group(pid)
    try:
        hub.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="session")  # one hub for every hub test: starting one costs tens of seconds
def hub(tmp_path_factory, kit_venv):
    """A running JupyterHub with three learners (USERS) created through its REST API."""
    hub = None
    try:
        hub = start_hub(tmp_path_factory.mktemp("hub"), kit_venv)
        yield hub
    finally:
        if hub is not None:
            stop_hub(hub)
