"""A real JupyterHub for the end-to-end tests of tests/hub/ (session-scoped, reusable).

The `hub` fixture runs deploy/jupyterhub/jupyterhub_config.py itself: the generated config
loads it first (traitlets' load_subconfig), then overrides only what cannot run here or must
point into the test's temporary folder: the addresses and paths (bind URLs, database, cookie
secret, PID files), the spawner (SimpleLocalProcessSpawner instead of SystemdSpawner: no
systemd here, so every learner's server runs as this test's user, with its own HOME under the
temporary folder), Spawner.cmd and the paths of Spawner.environment (the virtualenv of
tests/kitenv.py, where the kit is installed from its wheel), a service token for the test's own
API calls, and the idle culler's timeout (seconds, not an hour, and for named servers only, so
that test_the_idle_culler_culls sees it cull without stopping the class's servers).
NativeAuthenticator runs as deployed: the instructor account `enseignant` (admin_users of the
deploy file) signs up on /hub/signup, each learner signs up with an account id as user name, is
refused at login until the instructor approves the account on /hub/authorize, then logs in.
The course is served to nbgitpuller from a bare git repository (file://) made from a clean copy
of the checkout.

Every process is stopped by its PID on teardown, also when a test fails: the learners' servers
(PIDs read from the hub's API) and the proxy (its PID file) by process group, then the hub's
whole process group (its services, the idle culler among them, are its children).
"""

from __future__ import annotations

import html
import json
import os
import re
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
DEPLOY_CONFIG = REPO / "deploy" / "jupyterhub" / "jupyterhub_config.py"
INSTRUCTOR = "enseignant"  # c.Authenticator.admin_users of the deploy file
CULL_TIMEOUT = 4  # seconds of inactivity before the culler stops a named server (the deploy: 3600)
DEV_PREFIX = Path(sys.prefix)  # the kit's .venv: JupyterLab's assets and server extensions live here
HUB_TIMEOUT = 60  # seconds for the hub to answer
SPAWN_TIMEOUT = 90  # seconds for one learner's server to be ready
USERS = ("etu-0001", "etu-0002", "etu-0003")  # hub user names are account ids, not names


def deploy_config():
    """The deploy file as traitlets reads it (what the hub loads first), for the tests to compare."""
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader(DEPLOY_CONFIG.name, str(DEPLOY_CONFIG.parent)).load_config()


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
    password: str  # every learner's (one strong random password: the tests log in as each)
    instructor_password: str
    culler_token: str
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
        page.locator("#password_input").fill(self.instructor_password if user == INSTRUCTOR else self.password)
        page.locator("#login_submit").click()
        page.wait_for_url(re.compile(then), timeout=KERNEL_TIMEOUT)

    def link(self, notebook: str) -> str:
        """The link `ockit hub-link` prints for this hub, the course repository and a notebook."""
        done = subprocess.run([str(self.kit_bin / "ockit"), "hub-link", "--hub", self.url, "--repo",
                               self.repo_url, "--branch", "main", "--notebook", notebook],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


def hub_config(root: Path, port: int, token: str, culler_token: str, kit_bin: Path, homes: Path,
               handin: Path) -> str:
    """The test's jupyterhub_config.py: the deploy file, then the overrides listed in the docstring."""
    env = {
        "PATH": f"{kit_bin}{os.pathsep}/usr/local/bin{os.pathsep}/usr/bin{os.pathsep}/bin",
        "VIRTUAL_ENV": str(kit_bin.parent),
        "PYTHONPATH": "",
        "OCKIT_HANDIN": str(handin),
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
    scopes = ["admin:users", "admin:servers", "access:servers", "list:users", "list:services",
              "read:services", "read:roles:services"]
    return f"""c = get_config()  # noqa: F821
# The deployed configuration itself (load_subconfig silently skips a missing file: start_hub
# checks that it exists).
load_subconfig({DEPLOY_CONFIG.name!r}, {str(DEPLOY_CONFIG.parent)!r})  # noqa: F821

# Addresses and paths: 127.0.0.1 on free ports, everything in the test's temporary folder.
c.JupyterHub.bind_url = {f"http://127.0.0.1:{port}"!r}
c.JupyterHub.hub_bind_url = {f"http://127.0.0.1:{free_port()}"!r}
c.JupyterHub.db_url = {f"sqlite:///{root / 'jupyterhub.sqlite'}"!r}
c.JupyterHub.cookie_secret_file = {str(root / "jupyterhub_cookie_secret")!r}
c.JupyterHub.pid_file = {str(root / "jupyterhub.pid")!r}
c.JupyterHub.cleanup_servers = True
c.ConfigurableHTTPProxy.command = {[str(CHP)]!r}
c.ConfigurableHTTPProxy.api_url = {f"http://127.0.0.1:{free_port()}"!r}
c.ConfigurableHTTPProxy.pid_file = {str(root / "proxy.pid")!r}

# The spawner: SystemdSpawner needs systemd as PID 1 and root, which this machine does not
# give; SimpleLocalProcessSpawner runs each learner's server as this test's user, in a home of
# its own under the temporary folder (no memory or CPU limit, no dynamic user).
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
# The learners' environment: the wheel's virtualenv instead of /opt/ockit. The deploy file's
# other variables (JUPYTER_PLATFORM_DIRS) and Spawner.default_url stay as they are.
c.Spawner.cmd = {[str(kit_bin / "python"), "-m", "jupyterhub.singleuser"]!r}
c.Spawner.args = {args!r}
c.Spawner.environment.update({env!r})
c.Spawner.http_timeout = {SPAWN_TIMEOUT}  # two cores shared with other test runs

# The test's own API calls (create servers, read the services), as a service with a token.
c.JupyterHub.services.append({{"name": "tests", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{"name": "tests", "services": ["tests"], "scopes": {scopes!r}}})

# The deploy file's idle culler, with its role unchanged; only its timing is shortened, and it
# leaves default servers alone (the class's servers), so that a named server is culled in
# seconds. Its token is set here so the test can ask the hub what that token may do.
culler = [s for s in c.JupyterHub.services if s["name"] == "idle-culler"]
assert len(culler) == 1, "le fichier de déploiement ne déclare plus le service idle-culler"
culler = culler[0]
assert any(a.startswith("--timeout=") for a in culler["command"]), culler["command"]
culler["command"] = [a for a in culler["command"] if not a.startswith(("--timeout=", "--cull-every="))] + [
    "--timeout={CULL_TIMEOUT}", "--cull-every=1", "--cull-default-servers=False"]
culler["api_token"] = {culler_token!r}
c.JupyterHub.allow_named_servers = True
"""


def page_message(text: str) -> str:
    """The text of the alert (signup page) or the login error (login page) of a hub page."""
    match = (re.search(r'role="alert">(.*?)</div>', text, re.S)
             or re.search(r'class="login_error">(.*?)</p>', text, re.S))
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split()) if match else ""


def _xsrf(session, url: str) -> str:
    response = session.get(url, timeout=30)
    response.raise_for_status()
    match = re.search(r'name="_xsrf" value="([^"]+)"', response.text)
    assert match, f"Pas de jeton _xsrf dans le formulaire de {url}"
    return match.group(1)


def sign_up(hub_url: str, user: str, password: str, confirmation: str | None = None) -> str:
    """Sign `user` up on the hub's own /hub/signup form, as a new visitor; the page's message."""
    import requests  # a dependency of JupyterHub

    with requests.Session() as session:
        url = f"{hub_url}/hub/signup"
        data = {"_xsrf": _xsrf(session, url), "username": user, "signup_password": password,
                "signup_password_confirmation": password if confirmation is None else confirmation}
        response = session.post(url, data=data, timeout=60)
        response.raise_for_status()
        return page_message(response.text)


def log_in(hub_url: str, user: str, password: str):
    """Log in on /hub/login with a new session; (session, response), redirects not followed.

    A success is a redirect (302) with the hub's login cookie; a refusal is the login page again."""
    import requests

    session = requests.Session()
    url = f"{hub_url}/hub/login"
    response = session.post(url, data={"_xsrf": _xsrf(session, url), "username": user, "password": password},
                            allow_redirects=False, timeout=60)
    return session, response


def approve(hub_url: str, instructor_session, user: str) -> None:
    """The instructor follows the « Authorize » link of `user`'s row on the real /hub/authorize page."""
    page = instructor_session.get(f"{hub_url}/hub/authorize", timeout=30)
    page.raise_for_status()
    row = re.search(rf'<tr[^>]*id={re.escape(user)}>(.*?)</tr>', page.text, re.S)
    assert row, f"{user} n'est pas dans la page /hub/authorize"
    link = re.search(r'href="([^"]+)"[^>]*>\s*Authorize\s*<', row.group(1))
    assert link, f"Pas de bouton « Authorize » pour {user} : {row.group(1)}"
    instructor_session.get(f"{hub_url}{link.group(1)}", timeout=30).raise_for_status()


def enrol(hub: "Hub", users) -> None:
    """The instructor signs up first (admin by the deploy file, so authorized at once), then each
    learner signs up, the instructor approves the account on /hub/authorize, and the learner
    logs in once, which creates the hub's user (the redirect to their server is not followed).
    test_learners_sign_up_and_wait_for_approval checks, in Chromium, what a learner sees between."""
    message = sign_up(hub.url, INSTRUCTOR, hub.instructor_password)
    assert "successful" in message, hub.explain(f"Inscription de {INSTRUCTOR} : {message}")
    instructor, response = log_in(hub.url, INSTRUCTOR, hub.instructor_password)
    assert response.status_code == 302, hub.explain(f"{INSTRUCTOR} ne peut pas se connecter : "
                                                    f"{page_message(response.text)}")
    with instructor:
        for user in users:
            message = sign_up(hub.url, user, hub.password)
            assert "sent to the admin" in message, hub.explain(f"Inscription de {user} : {message}")
            approve(hub.url, instructor, user)
            session, response = log_in(hub.url, user, hub.password)
            session.close()
            assert response.status_code == 302, hub.explain(
                f"{user}, approuvé·e, ne peut pas se connecter : {page_message(response.text)}")


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
    if not DEPLOY_CONFIG.is_file():
        pytest.fail(f"Le fichier de déploiement est introuvable : {DEPLOY_CONFIG}", pytrace=False)
    homes, handin = root / "homes", root / "remises"
    homes.mkdir()
    handin.mkdir()
    token, culler_token = secrets.token_hex(24), secrets.token_hex(24)
    password, instructor_password = secrets.token_urlsafe(15), secrets.token_urlsafe(15)
    port = free_port()
    (root / "jupyterhub_config.py").write_text(
        hub_config(root, port, token, culler_token, kit_bin, homes, handin) + extra_config, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("OCKIT_PROGRESS", "OCKIT_HANDIN", "PYTHONPATH")}
    repo_url = bare_course_repo(root)
    log = root / "jupyterhub.log"
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(root / "jupyterhub_config.py")],
                                   cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    hub = Hub(f"http://127.0.0.1:{port}", token, password, instructor_password, culler_token, tuple(users),
              homes, handin, repo_url, kit_bin, log, process, root)
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
        enrol(hub, users)
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
    services = set()  # the idle culler runs in a session of its own: a hub that dies leaves it behind
    try:
        services = {s["pid"] for s in (hub.api("GET", "/services", timeout=10) or {}).values() if s.get("pid")}
    except (OSError, ValueError):
        pass
    stop_group(hub.process.pid, grace=25, process=hub.process)  # the hub stops the learners' servers and the proxy
    for pid in sorted(hub.pids | services) + ([proxy_pid] if proxy_pid else []):
        stop_group(pid)
    try:
        hub.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="session")  # one hub for every hub test: starting one costs tens of seconds
def hub(tmp_path_factory, kit_venv):
    """The deploy config's JupyterHub, with three learners (USERS) signed up and approved."""
    hub = None
    try:
        hub = start_hub(tmp_path_factory.mktemp("hub"), kit_venv)
        yield hub
    finally:
        if hub is not None:
            stop_hub(hub)
