"""A class on a real JupyterHub, end to end (issue #10), run by the deploy file's configuration.

The hub runs deploy/jupyterhub/jupyterhub_config.py with only paths and the spawner replaced
(tests/hub/conftest.py). The instructor `enseignant` and three learners sign up on /hub/signup;
the instructor approves them on /hub/authorize; each logs in once. Alice, in Chromium through
Playwright, logs in on the hub's login page, opens the workshop (notebook 06) through the link
`ockit hub-link` printed (nbgitpuller pulls the course into her home), runs it, ticks an axis,
clicks « Vérifier », reads the feedback, then hands in with the export button of notebook 07.
Bruno and Chloé pull the course with nbgitpuller and hand in from their own kernels. The
instructor's `ockit class-report` over the hand-in folder then shows three learners, and each
learner's progress file is in that learner's own home. Then the app through the hub (Voilà),
a fourth learner's sign-up and approval in Chromium, and the idle-culler service. All in one
file: pytest-xdist (`--dist loadfile`) runs it on one worker, so one hub serves every test.
"""

from __future__ import annotations

import asyncio
import csv
import json
import re
import secrets
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser.test_workshop_browser import (
    CHROMIUM_ARGS,
    KERNEL_TIMEOUT,
    UI_TIMEOUT,
    find_chromium,
    first_case_and_axis,
    run_workshop,
)
from tests.browser.servers import IDLE, RUN_ALL, RUN_MENU
from tests.hub.conftest import INSTRUCTOR, SPAWN_TIMEOUT, deploy_config, log_in, log_tail, page_message
from ockit.data import load
from ockit.widgets import select_cases
from ockit.scoring import score

WORKSHOP = "notebooks/06_atelier_de_classification.ipynb"
SYNTHESIS = "notebooks/07_synthese_et_auto_evaluation.ipynb"
NAMES = ("Alice Tremblay", "Bruno Gagnon", "Chloé Côté")  # given in the same order as hub.users

KERNEL_CODE = """
import json, os, ockit
from ockit.progress import Store
from ockit.submission import SubmittedAnswer, now_iso
store = Store()
result = ockit.score("info-alimentaire", ["ORG"])
store.record(SubmittedAnswer("info-alimentaire", ("ORG",), answered_at=now_iso()))
out = store.export(None, {name!r})
print(json.dumps({{"handin": str(out), "progress": str(store.path), "kit": ockit.__file__,
                  "notebook": os.path.isfile(os.path.expanduser("~/cours/{notebook}")),
                  "jaccard": result.jaccard}}))
"""


def execute(hub, user: str, code: str) -> str:
    """Run `code` in a new kernel of the learner's server (Jupyter's websocket protocol); stdout."""
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    kernel = json.loads(_post(hub, user, "/api/kernels", {"name": "python3"}))
    url = f"{hub.url.replace('http', 'ws', 1)}/user/{user}/api/kernels/{kernel['id']}/channels"
    msg_id = uuid.uuid4().hex

    async def run() -> str:
        ws = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {hub.token}"},
                                                 connect_timeout=30))
        ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": user,
                       "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        out, error = [], None
        while True:
            raw = await asyncio.wait_for(ws.read_message(), timeout=60)
            assert raw is not None, "Connexion au noyau fermée avant la fin de l'exécution."
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = msg["header"]["msg_type"]
            if kind == "stream":
                out.append(msg["content"]["text"])
            elif kind == "error":
                error = "\n".join(msg["content"]["traceback"])
            elif kind == "execute_reply":
                ws.close()
                assert error is None, f"Erreur dans le noyau de {user} :\n{error}"
                return "".join(out)

    try:
        return asyncio.run(run())
    finally:
        _post(hub, user, f"/api/kernels/{kernel['id']}", None, method="DELETE")


def _post(hub, user, path, body, method="POST") -> bytes:
    import urllib.request

    request = urllib.request.Request(f"{hub.url}/user/{user}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"token {hub.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.read()


class HubLab:
    """What run_workshop (tests/browser) needs: the URL it opens, and failure explanations."""

    def __init__(self, hub, link):
        self.hub, self.link, self.log = hub, link, hub.log

    def url(self, _path: str) -> str:
        return self.link  # the workshop is opened through the nbgitpuller link, every time

    def explain(self, what: str) -> str:
        return self.hub.explain(what)


def run_all_cells(page, expect):
    idle = page.locator(".jp-StatusBar-Widget").get_by_role("button", name=IDLE)
    expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=KERNEL_TIMEOUT)
    expect(idle).to_be_visible(timeout=KERNEL_TIMEOUT)
    page.get_by_role("menuitem", name=RUN_MENU).click()
    page.get_by_role("menuitem", name=RUN_ALL).click()


def browser_learner(hub, user: str, name: str) -> str:
    """Alice's session in Chromium; returns the text the export button showed."""
    from playwright.sync_api import expect, sync_playwright

    case, code, label = first_case_and_axis()
    expected = score(case.id, [code], None)
    link = hub.link(WORKSHOP)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
        page = browser.new_page(viewport={"width": 1400, "height": 2000})
        page.set_default_timeout(UI_TIMEOUT)
        try:
            hub.login(page, user, r"/(hub/spawn|hub/spawn-pending|user/)")
            # First visit of the link: the hub starts her server, nbgitpuller pulls the course.
            page.goto(link, wait_until="domcontentloaded")
            page.wait_for_url(re.compile(r"/lab/tree/cours/notebooks/06_"), timeout=KERNEL_TIMEOUT * 2)
            hub.remember_pid(user)
            run_workshop(page, HubLab(hub, link), case, load(), code, label, expected)

            # ?reset: a fresh workspace holding notebook 07 alone, so the status bar is its kernel's.
            page.goto(f"{hub.url}/user/{user}/lab/tree/cours/{SYNTHESIS}?reset", wait_until="domcontentloaded")
            panel = page.locator(".jp-OutputArea-output").filter(
                has=page.get_by_role("button", name="Exporter ma remise", exact=True))
            # Run only the export cell (the others draw figures: not what is tested here).
            idle = page.locator(".jp-StatusBar-Widget").get_by_role("button", name=IDLE)
            cell = page.locator(".jp-CodeCell").filter(has_text="ExportPanel()")
            expect(cell).to_have_count(1, timeout=KERNEL_TIMEOUT)
            expect(idle).to_be_visible(timeout=KERNEL_TIMEOUT)
            for attempt in (1, 2):  # a cell run before the kernel is connected runs nothing
                cell.locator(".jp-InputArea-editor").click()
                page.keyboard.press("Shift+Enter")
                try:
                    expect(panel).to_have_count(1, timeout=KERNEL_TIMEOUT // 2)
                    break
                except AssertionError:
                    if attempt == 2:
                        raise
            panel.locator("input[type=text]").fill(name)
            panel.get_by_role("button", name="Exporter ma remise", exact=True).click()
            status = panel.get_by_role("status")
            expect(status).to_contain_text("Remise écrite", timeout=UI_TIMEOUT)
            return status.inner_text()
        except BaseException:
            _screenshot(hub, page, f"echec-{user}.png")
            raise
        finally:
            browser.close()


def _screenshot(hub, page, name) -> None:
    """Keep a picture of the page and the hub's last log lines when a browser step fails."""
    shot = hub.root / name
    try:
        page.screenshot(path=str(shot), full_page=True)
        print(f"Capture d'écran de l'échec : {shot}\n{log_tail(hub.log)}")
    except Exception:  # noqa: BLE001 - the screenshot only helps
        pass


def test_a_class_of_three_on_a_real_hub(hub, tmp_path):
    alice, *others = hub.users
    names = dict(zip(hub.users, NAMES))

    def kernel_learner(user):
        hub.start_server(user)
        hub.pull(user)
        return json.loads(execute(hub, user, KERNEL_CODE.format(name=names[user], notebook=WORKSHOP))
                          .strip().splitlines()[-1])

    start = time.monotonic()
    with ThreadPoolExecutor(len(others)) as pool:  # the others work while Alice is in the browser
        futures = {user: pool.submit(kernel_learner, user) for user in others}
        shown = browser_learner(hub, alice, names[alice])
        print(f"navigateur : {time.monotonic() - start:.1f} s")
        results = {user: future.result(timeout=300) for user, future in futures.items()}
    print(f"noyaux : {time.monotonic() - start:.1f} s")
    assert "1 réponse" in shown or "réponses" in shown, shown
    for user, facts in results.items():
        assert facts["notebook"], f"nbgitpuller n'a pas tiré le cours dans le dossier de {user}."
        assert facts["kit"].startswith(str(hub.kit_bin.parent)), f"ockit ne vient pas de la roue : {facts}"
        assert facts["handin"].startswith(str(hub.handin)), facts

    files = sorted(hub.handin.glob("*.json"))
    assert sorted(f.name[len("remise-"):len("remise-") + 8] for f in files) == sorted(hub.users), files
    for name in NAMES:  # no real name in clear in the shared folder
        assert not any(name.split()[0].lower() in f.name for f in files)

    for user in hub.users:  # each learner's progress lives in that learner's own home
        progress = list(hub.home(user).rglob("progress.json"))
        assert len(progress) == 1, f"{user} : {progress}"
        assert json.loads(progress[0].read_text(encoding="utf-8")), progress[0]
    assert (hub.home(alice) / "cours" / WORKSHOP).is_file()

    report = subprocess.run([str(hub.kit_bin / "ockit"), "class-report", str(hub.handin), "--out",
                             str(tmp_path / "rapport"), "--json"], capture_output=True, text=True,
                            timeout=120, cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    summary = json.loads(report.stdout)
    assert summary["learners"] == 3 and summary["files"] == 3 and not summary["rejected"], summary
    # grades.csv names each learner's hub account, from the hand-in file's name (not a typed name).
    with open(tmp_path / "rapport" / "grades.csv", encoding="utf-8", newline="") as handle:
        accounts = {row["learner"]: row["account"] for row in csv.DictReader(handle)}
    assert accounts == {names[user]: user for user in hub.users}, accounts


# The app without code (Voilà) through the same hub (issue #11), in this file for the same reason.
APP = "cours/app/parcours.ipynb"


def test_the_app_through_the_hub(hub):
    """The app without code (Voilà) through the real JupyterHub of tests/hub/conftest.py (issue #11).

    A learner logs in on the hub's login page; her server gets the course with nbgitpuller (into
    ~/cours); she opens the app with Voilà's server extension, at
    /user/<name>/voila/render/cours/app/parcours.ipynb, in a tab of its own, opens the workshop
    page and sees « Vérifier »; ticking an axis and clicking it shows the feedback.

    JupyterHub 4.1+ sends `Content-Security-Policy: frame-ancestors 'none'` with every page of a
    learner's server (jupyterhub issue 4823): Voilà cannot be shown in a frame (JupyterLab's
    « Render with Voilà » preview panel stays blank), but a page opened in its own tab is not
    framed, so the policy does not apply to it. The test checks both: the header is there, and
    the app works.
    """
    from playwright.sync_api import expect, sync_playwright

    user = hub.users[-1]
    hub.start_server(user)
    hub.pull(user)  # the course in ~/cours, as the instructor's nbgitpuller link would put it
    course = load()
    case = course.case(select_cases(course)[0])
    label = course.axes[case.axes[0]].label
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.set_default_timeout(UI_TIMEOUT)
        try:
            hub.login(page, user)
            response = page.goto(f"{hub.url}/user/{user}/voila/render/{APP}", wait_until="domcontentloaded",
                                 timeout=KERNEL_TIMEOUT)
            assert response is not None and response.ok, (
                hub.explain(f"Voilà ne répond pas dans le hub : {response and response.status}"))
            policy = response.headers.get("content-security-policy", "")
            assert "frame-ancestors" in policy, (
                f"Le hub n'envoie plus de Content-Security-Policy frame-ancestors ({policy!r}) : "
                "revoir la section « Déploiement » du README.")
            hub.remember_pid(user)
            expect(page.get_by_role("heading", name="Parcours en organisation communautaire")).to_be_visible(
                timeout=KERNEL_TIMEOUT)
            page.get_by_role("button", name="Atelier de classification", exact=True).click()
            check = page.get_by_role("button", name="Vérifier", exact=True)
            expect(check).to_be_visible(timeout=KERNEL_TIMEOUT)
            page.get_by_role("group", name="Axes de service").get_by_role("checkbox", name=label, exact=True).check()
            check.click()
            expect(page.get_by_role("status").filter(has_text="Tentative n° 1")).to_contain_text("Score des axes")
        except BaseException:
            _screenshot(hub, page, f"echec-voila-{user}.png")
            raise
        finally:
            browser.close()


# The accounts and the idle culler of deploy/jupyterhub/jupyterhub_config.py, on the same hub.
NEW_LEARNER = "etu-0004"  # not one of hub.users: she signs up here, in the browser
CULLED = "essai"  # a named server for the culler (its test timeout spares the default servers)


def common_password(length: int) -> str:
    """A password of NativeAuthenticator's own common-password list, long enough for the length rule."""
    from importlib.util import find_spec

    listed = Path(find_spec("nativeauthenticator").origin).with_name("common-credentials.txt").read_text(
        encoding="utf-8")
    return next(word for word in listed.splitlines() if len(word) >= length and " " not in word)


def test_learners_sign_up_and_wait_for_approval(hub):
    """A learner signs up at /hub/signup with her account id as user name (in Chromium): a password
    shorter than the deploy file's minimum, then one on NativeAuthenticator's list of common
    passwords, are refused and create no account; a good one is taken, but the login page refuses
    her and says the account awaits approval. The instructor (`enseignant`, admin by the deploy
    file) logs in, approves her on the real /hub/authorize page, and her next login starts her server.
    """
    from playwright.sync_api import expect, sync_playwright

    config = deploy_config().NativeAuthenticator
    assert not config.open_signup and config.check_common_password, config
    minimum = config.minimum_password_length
    short, common = secrets.token_urlsafe(16)[:minimum - 1], common_password(minimum)
    good = secrets.token_urlsafe(15)
    user = NEW_LEARNER
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
        learner = browser.new_context().new_page()
        teacher = browser.new_context().new_page()  # a browser context of her own: separate cookies
        for page in (learner, teacher):
            page.set_default_timeout(UI_TIMEOUT)
        try:
            def sign_up(password):
                learner.goto(f"{hub.url}/hub/signup", wait_until="domcontentloaded")
                learner.locator("#username_input").fill(user)
                learner.locator("#password_input").fill(password)
                learner.locator("#password_confirmation_input").fill(password)
                learner.locator("#signup_submit").click()
                alert = learner.get_by_role("alert")
                expect(alert).to_be_visible()
                return " ".join(alert.inner_text().split())

            for refused in (short, common):
                shown = sign_up(refused)
                assert f"at least {minimum} characters" in shown and "not too common" in shown, shown
            # Nothing was created by the refused attempts: the same user name is still free.
            assert "sent to the admin" in sign_up(good)

            def log_in_page(page, name, password, next_url=""):
                page.goto(f"{hub.url}/hub/login{next_url}", wait_until="domcontentloaded")
                page.locator("#username_input").fill(name)
                page.locator("#password_input").fill(password)
                page.locator("#login_submit").click()

            log_in_page(learner, user, good)
            expect(learner.locator(".login_error")).to_contain_text(f"User {user} has not been authorized")
            assert "/hub/login" in learner.url, learner.url

            # The instructor, straight to the authorization page (?next=: no server of her own);
            # the deploy file's admin_users made her account an administrator of the hub.
            assert hub.api("GET", f"/users/{INSTRUCTOR}")["admin"] is True
            log_in_page(teacher, INSTRUCTOR, hub.instructor_password, "?next=%2Fhub%2Fauthorize")
            teacher.wait_for_url(re.compile(r"/hub/authorize"))
            row = teacher.locator(f"tr[id='{user}']")
            expect(row).to_contain_text("No")
            row.get_by_role("button", name="Authorize", exact=True).click()
            expect(teacher.locator(f"tr[id='{user}']")).to_contain_text("Yes")

            log_in_page(learner, user, good)  # the hub starts her server, then sends her to it
            learner.wait_for_url(re.compile(rf"/user/{user}/lab"), timeout=SPAWN_TIMEOUT * 1000,
                                 wait_until="commit")
            hub.remember_pid(user)
            assert hub.api("GET", f"/users/{user}")["servers"][""]["ready"]
        except BaseException:
            _screenshot(hub, learner, f"echec-inscription-{user}.png")
            _screenshot(hub, teacher, f"echec-autorisation-{user}.png")
            raise
        finally:
            browser.close()


def test_the_idle_culler_runs_with_its_role_and_culls(hub):
    """The deploy file's idle-culler service runs (hub API /services, and its process, a child of
    the hub), with the deploy file's command but for the test's short timeout, holds exactly the
    scopes of the role the deploy file gives it (asked of the hub with the service's own token),
    and stops an idle server: the hub's log shows the DELETE made by the idle-culler service."""
    from jupyterhub.scopes import expand_scopes

    config = deploy_config().JupyterHub
    (deployed,) = [s for s in config.services if s["name"] == "idle-culler"]
    (role,) = [r for r in config.load_roles if "idle-culler" in r.get("services", [])]
    services = hub.api("GET", "/services")
    running = services["idle-culler"]
    assert running["roles"] == [role["name"]], running

    def untimed(command):
        timing = ("--timeout=", "--cull-every=", "--cull-default-servers=")
        return [a for a in command if not a.startswith(timing)]

    assert untimed(running["command"]) == untimed(deployed["command"]), running["command"]
    pid = running["pid"]
    assert pid > 0, running
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert b"jupyterhub_idle_culler" in f.read()
    with open(f"/proc/{pid}/stat", encoding="ascii") as f:
        parent = int(f.read().rsplit(")", 1)[1].split()[1])
    assert parent == hub.process.pid, f"Le processus {pid} du culler n'est pas un enfant du hub."

    import urllib.request

    request = urllib.request.Request(f"{hub.url}/hub/api/user",
                                     headers={"Authorization": f"token {hub.culler_token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        identity = json.loads(response.read())
    assert identity["kind"] == "service" and identity["name"] == "idle-culler", identity
    assert sorted(identity["scopes"]) == sorted(expand_scopes(set(role["scopes"]))), identity["scopes"]

    # An idle server goes away by itself.
    user = hub.users[0]
    hub.api("POST", f"/users/{user}/servers/{CULLED}")
    deadline, ready = time.monotonic() + SPAWN_TIMEOUT, False
    while time.monotonic() < deadline:
        server = hub.api("GET", f"/users/{user}")["servers"].get(CULLED)
        ready = ready or bool(server and server.get("ready"))
        if ready and server is None:
            break
        time.sleep(0.3)
    else:
        pytest.fail(hub.explain(f"Le serveur {user}/{CULLED} n'a pas été arrêté (prêt : {ready})."),
                    pytrace=False)
    log = hub.log.read_text(encoding="utf-8", errors="replace")
    assert re.search(rf"DELETE /hub/api/users/{user}/servers/{CULLED} \(idle-culler@", log), hub.explain(
        "Le serveur a disparu, mais pas par le service idle-culler.")
