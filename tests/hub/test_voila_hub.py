"""The app without code (Voilà) through the real JupyterHub of tests/hub/conftest.py (issue #11).

MERGE NOTE: this file is tests/hub/test_voila_hub.py once the `hub` branch (tests/hub/, its
`hub` fixture) is merged; it is kept here, under a name pytest does not collect, until then.

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

from __future__ import annotations


from ockit.data import load
from ockit.widgets import select_cases
from tests.browser.servers import CHROMIUM_ARGS, KERNEL_TIMEOUT, UI_TIMEOUT, find_chromium
from tests.hub.conftest import log_tail

APP = "cours/app/parcours.ipynb"


def test_the_app_through_the_hub(hub):
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
            shot = hub.root / f"echec-voila-{user}.png"
            try:
                page.screenshot(path=str(shot), full_page=True)
                print(f"Capture d'écran de l'échec : {shot}\n{log_tail(hub.log)}")
            except Exception:  # noqa: BLE001 - the screenshot only helps
                pass
            raise
        finally:
            browser.close()
