"""The class report (report.html) opened in Chromium as an instructor would, from a hostile class.

Learner names, justifications and file names hold HTML and event handlers: in the browser no
script runs, no dialog opens, no element carries an event attribute, nothing is fetched, and
axe-core finds no WCAG 2.1 A/AA violation on the whole page (not only inside kit widgets).
"""

from __future__ import annotations

import json

import pytest

import ockit
from ockit.submission import FORMAT
from tests.browser.servers import AXE_TAGS, CHROMIUM_ARGS, UI_TIMEOUT, axe_js, find_chromium

ATTACK = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
ALL_VIOLATIONS_JS = """async (tags) => {
    const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return r.violations.map(v => `${v.id} (${v.impact}) : ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
}"""


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    """report.html of a class of three with HTML everywhere, and a broken file named with HTML."""
    from ockit.report import write_report

    course = ockit.load()
    cases = sorted(course.cases)[:3]
    root = tmp_path_factory.mktemp("report")
    folder, out = root / "remises", root / "rapport"
    folder.mkdir()
    for n, learner in enumerate(["Kim Roy", ATTACK, "Alex <b>Gras</b>"]):
        answers = [{"case": cid, "axes": ["ORG"], "approach": None, "justification": f"{ATTACK} {n}"}
                   for cid in cases]
        (folder / f"remise-{n}.json").write_text(json.dumps(
            {"format": FORMAT, "learner": learner, "kit_version": "0.1.0",
             "created": "2026-11-23T10:00:00-05:00", "answers": answers}), encoding="utf-8")
    (folder / "<img src=x onerror=alert(3)>.json").write_text("{", encoding="utf-8")
    write_report(folder, out, course)
    return out / "report.html"


def test_report_runs_no_learner_html_and_passes_axe(report_page):
    """Escaped learner text is shown as text; axe-core reports no WCAG 2.1 AA violation."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
        try:
            page = browser.new_page()
            dialogs, fetched = [], []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: fetched.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            page.goto(report_page.as_uri())
            page.wait_for_load_state("load")
            found = page.evaluate("""() => ({
                scripts: document.scripts.length,
                handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                text: document.body.innerText})""")
            assert dialogs == [] and fetched == [] and found["scripts"] == 0 and found["handlers"] == 0
            assert ATTACK in found["text"] and "<img src=x onerror=alert(3)>.json" in found["text"]
            assert "Alex <b>Gras</b>" in found["text"]
            page.add_script_tag(path=str(axe_js()))
            violations = page.evaluate(ALL_VIOLATIONS_JS, AXE_TAGS)
            assert violations == [], "\n".join(violations)
        finally:
            browser.close()
