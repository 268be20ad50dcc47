"""The classification workshop in a real browser: JupyterLab + Chromium driven by Playwright.

The test starts JupyterLab on 127.0.0.1 (free port, random token, a temporary root folder holding
a copy of notebooks/06_atelier_de_classification.ipynb, so the repository is never touched; see
tests/browser/servers.py), opens the notebook in Debian's Chromium, runs all cells from the
« Exécuter » menu (JupyterLab is in French, `make install`), ticks an axis, clicks "Vérifier" and
checks that the feedback computed by `ockit.score` is shown. It also checks that the axis labels
are shown whole, that "Vérifier" works from the keyboard, that the Down arrow on an approach
radio button moves the selection and leaves the focus in the widget (JupyterLab's command mode
must not take it), and runs axe-core (WCAG 2.1 A and AA) on the page.

Chromium is Debian's (`make chromium`); Playwright's own browser download is never used. A missing
Chromium is a failure, not a skip: `make test` installs it first.
"""

from __future__ import annotations

import json
import re

import pytest

from ockit.data import load
from ockit.glossary import terms_in
from ockit.scoring import score
from ockit.widgets import select_cases
from tests.browser.servers import (  # noqa: F401 - re-exported: the hub test imports them from here
    CHROMIUM_ARGS,
    IDLE,
    KERNEL_TIMEOUT,
    NOTIFICATION_SETTINGS,
    PORT_ATTEMPTS,
    REPO,
    RUN_ALL,
    RUN_MENU,
    SERVER_TIMEOUT,
    UI_TIMEOUT,
    LabServer,
    PortTaken,
    axe_violations,
    describe_violations,
    find_chromium,
    free_port,
    log_tail,
    start_lab,
)

NOTEBOOK = REPO / "notebooks" / "06_atelier_de_classification.ipynb"
CORRIGE_NOTEBOOK = REPO / "notebooks" / "05_cas_a_la_croisee_des_axes.ipynb"  # its key sits under a collapsed heading


@pytest.fixture
def chromium() -> str:
    return find_chromium()


@pytest.fixture
def lab(tmp_path, chromium) -> LabServer:
    """JupyterLab serving a temporary folder that holds copies of notebooks 06 and 05; always stopped."""
    server = start_lab(tmp_path, [NOTEBOOK, CORRIGE_NOTEBOOK])  # they read nothing relative to their folder
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
                french_interface(page)
                arrow_keys_stay_in_the_widget(page)
                key_stays_collapsed(page, lab)
                violations = axe_violations(page)
                assert not violations, ("axe-core trouve des violations graves dans les widgets de la trousse "
                                        "(atelier dans JupyterLab) :\n" + describe_violations(violations))
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
    kernel_idle = page.locator(".jp-StatusBar-Widget").get_by_role("button", name=IDLE)
    code_cells = sum(cell["cell_type"] == "code" for cell in json.loads(NOTEBOOK.read_text("utf-8"))["cells"])
    page.goto(lab.url(f"/lab/tree/{NOTEBOOK.name}"), wait_until="domcontentloaded")
    try:
        expect(page.locator(".jp-Notebook .jp-Cell").first).to_be_visible(timeout=KERNEL_TIMEOUT)
        # « Exécuter toutes les cellules » issued before the kernel is connected clears the outputs and runs nothing.
        expect(kernel_idle, "Le noyau n'est pas prêt (« Inactif »).").to_be_visible(timeout=KERNEL_TIMEOUT)
    except AssertionError as exc:
        pytest.fail(lab.explain(f"Le carnet {NOTEBOOK.name} ne s'ouvre pas dans JupyterLab, ou son noyau "
                                f"ne démarre pas :\n{exc}"), pytrace=False)

    # Before running: the saved (untrusted) notebook shows no live widget, so no checkbox yet.
    axis_box = page.get_by_role("checkbox", name=label, exact=True)
    assert axis_box.count() == 0, "Une case à cocher d'axe est affichée avant même l'exécution des cellules."

    page.get_by_role("menuitem", name=RUN_MENU).click()
    page.get_by_role("menuitem", name=RUN_ALL).click()
    try:
        expect(axis_box).to_be_visible(timeout=KERNEL_TIMEOUT)
        expect(page.locator(".jp-CodeCell .jp-InputPrompt")).to_have_text(
            [re.compile(r"^\[\d+\]:$")] * code_cells, timeout=KERNEL_TIMEOUT)  # every code cell ran
        expect(kernel_idle).to_be_visible(timeout=KERNEL_TIMEOUT)
    except AssertionError as exc:
        pytest.fail(lab.explain(f"Après « Exécuter toutes les cellules », l'atelier ne s'affiche pas ou le noyau reste "
                                f"occupé :\n{exc}"), pytrace=False)

    workshop = page.locator(".jp-OutputArea-output").filter(has=axis_box)
    expect(workshop, "L'atelier devrait s'afficher une seule fois.").to_have_count(1)
    expect(workshop.get_by_text(case.title, exact=True),
           f"Le premier cas de l'atelier devrait être « {case.title} ».").to_be_visible()
    expect(workshop.get_by_text("Cas 1 sur", exact=False)).to_be_visible()

    # The case's acronyms are explained in a closed disclosure, which the keyboard opens.
    terms = terms_in(f"{case.title} {case.summary}", course)
    assert terms, f"Le premier cas, {case.id}, n'a aucun sigle : choisissez-en un autre pour ce test."
    summary = workshop.locator("details.ockit-glossary > summary")
    expect(summary, "Pas de liste « Sigles et termes de ce cas ».").to_have_count(1)
    meaning = workshop.get_by_text(normalized(terms[0].description)[:60], exact=False)
    expect(meaning, "Le sens des sigles est affiché avant qu'on ouvre la liste.").to_be_hidden()
    summary.focus()
    summary.press("Enter")
    expect(meaning, f"La touche Entrée n'ouvre pas la liste des sigles ({terms[0].label}).").to_be_visible()

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


# Where the focus is and which cell JupyterLab has active: to see whether a key left the widget.
FOCUS_JS = """() => {
    const el = document.activeElement;
    const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
    return {inWidget: !!(el && el.closest('.ockit-root')), type: el ? (el.type || el.tagName) : '',
            activeCell: cells.findIndex(c => c.classList.contains('jp-mod-active')), cells: cells.length,
            editing: !!document.querySelector('.jp-Notebook.jp-mod-editMode')};
}"""


def arrow_keys_stay_in_the_widget(page):
    """The Down arrow on a focused approach radio button selects the next approach; the focus stays
    in the widget and JupyterLab's command mode does not move to another cell or edit the notebook."""
    from playwright.sync_api import expect

    group = page.get_by_role("radiogroup", name="Approche dominante")
    expect(group, "Le groupe des approches n'est pas un groupe radio nommé « Approche dominante ».").to_have_count(1)
    radios = group.get_by_role("radio")
    radios.first.click()  # a learner clicks the first approach, then uses the arrows
    expect(radios.first).to_be_checked()
    before = page.evaluate(FOCUS_JS)
    assert before["inWidget"] and before["type"] == "radio", f"Le bouton radio n'a pas le focus : {before}"
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1), "La flèche vers le bas ne sélectionne pas l'approche suivante.").to_be_checked()
    after = page.evaluate(FOCUS_JS)
    assert after["inWidget"] and after["type"] == "radio", (
        f"Après la flèche vers le bas, le focus a quitté le widget : {before} → {after}")
    assert after["activeCell"] == before["activeCell"], f"JupyterLab a changé de cellule active : {before} → {after}"
    # A single letter (« a » inserts a cell above in command mode) stays in the widget too.
    page.keyboard.press("a")
    page.keyboard.press("ArrowUp")
    expect(radios.first, "La flèche vers le haut ne revient pas à la première approche.").to_be_checked()
    last = page.evaluate(FOCUS_JS)
    assert last["cells"] == before["cells"] and last["inWidget"], (
        f"Une touche tapée dans le widget a modifié le carnet : {before} → {last}")


def key_stays_collapsed(page, lab):
    """Lesson 05's key opens collapsed in JupyterLab (jp-MarkdownHeadingCollapsed): the heading shows,
    with JupyterLab's « hidden cells » button; the key's text shows only once that button is clicked."""
    from playwright.sync_api import expect

    page.goto(lab.url(f"/lab/tree/{CORRIGE_NOTEBOOK.name}"), wait_until="domcontentloaded")
    heading = page.locator(".jp-MarkdownCell").filter(
        has=page.get_by_role("heading", name=re.compile("Corrigé des deux cas sourcés")))
    expect(heading, "Le titre du corrigé de la leçon 05 n'est pas affiché.").to_have_count(1, timeout=KERNEL_TIMEOUT)
    heading.scroll_into_view_if_needed()
    key_text = page.locator(".jp-RenderedMarkdown p", has_text="Ouvrez cette section")
    show = heading.locator(".jp-showHiddenCellsButton")
    expect(show, "JupyterLab n'a pas replié la section du corrigé (pas de bouton des cellules masquées).").to_be_visible()
    expect(key_text, "Le corrigé de la leçon 05 est visible avant qu'on l'ouvre.").to_be_hidden()
    show.click()
    expect(key_text, "Le bouton des cellules masquées n'ouvre pas le corrigé.").to_be_visible()


def french_interface(page):
    """JupyterLab is in French (language pack, `make install`): its menus, and the page's language;
    the kit's widgets say their own content is French as written in Quebec."""
    from playwright.sync_api import expect

    expect(page.get_by_role("menuitem", name="Exécution", exact=True),
           "Le menu « Exécution » est absent : JupyterLab n'est pas en français (overrides.json de make install).",
           ).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", re.compile(r"^fr"))
    expect(page.locator(".ockit-root").first).to_have_attribute("lang", "fr-CA")
