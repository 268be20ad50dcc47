"""The course as an app (Voilà), in Chromium, gone through as a learner would (issue #11).

One Voilà server for the whole module (tests/browser/servers.py: `make app`'s command, from a
temporary copy of app/ and notebooks/, with its own progress file), one browser page, and the
tests below in the order a learner goes: home → a lesson and one quiz question → the workshop
(tick an axis, « Vérifier », feedback) → « Mes résultats » shows that answer → axe-core on the
page → « Ma remise » writes a hand-in file valid against ockit/schemas/submission-1.json → a
keyboard-only pass through one case. Each test relies on the ones before it (one learner, one
session): run the module whole.

On every page: no code cell source and no Python repr is visible.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ockit.data import load
from ockit.lessons import lessons
from ockit.quizdata import load_quiz
from ockit.widgets import select_cases
from tests.browser.servers import (
    CHROMIUM_ARGS,
    KERNEL_TIMEOUT,
    REPO,
    UI_TIMEOUT,
    axe_violations,
    describe_violations,
    find_chromium,
    screenshot_on_failure,
    start_voila,
)

COURSE = load()
LESSONS = lessons(REPO / "notebooks")
LEARNER = "Camille Test-Bouchard"
# What code or a Python repr looks like on a page: an import, a call on the kit, empty parentheses,
# a bare float with four decimals or more, an object repr, a figure repr, a list or tuple repr.
CODE_PATTERNS = {
    "import": re.compile(r"\bimport "),
    "ockit.": re.compile(r"\bockit\."),
    "()": re.compile(r"\(\)"),
    "nombre brut": re.compile(r"(?<![\d,.])\d+\.\d{4,}"),
    "<ockit.": re.compile(r"<ockit\."),
    "Figure(": re.compile(r"Figure\("),
    "liste Python": re.compile(r"\[\(?'"),
}
# Known in lessons 01-05 (owned by the content helper, reported to the lead in issue #11): the
# exact text tolerated for now on those lessons' pages. Anything else on any page fails.
KNOWN_IN_LESSONS: dict[str, list[str]] = {}  # nothing tolerated: every lesson shows prose, tables, figures


def code_on_page(text: str, allowed=()) -> list[str]:
    """Return what looks like code or a Python repr in `text`, with some context."""
    found = []
    for name, pattern in CODE_PATTERNS.items():
        for match in pattern.finditer(text):
            around = text[max(0, match.start() - 40):match.end() + 40].replace("\n", " ")
            if not any(a in around for a in allowed):
                found.append(f"{name} : « …{around}… »")
    return found


class App:
    """The one page of the module, on the Voilà server, and the helpers the tests share."""

    def __init__(self, page, server):
        self.page, self.server = page, server
        from playwright.sync_api import expect

        self.expect = expect

    def nav(self, label: str) -> None:
        self.page.get_by_role("button", name=label, exact=True).first.click()

    def exercise(self):
        """The case exercise shown (the innermost kit widget holding the axes group)."""
        return self.page.locator(".ockit-root").filter(
            has=self.page.get_by_role("group", name="Axes de service")).last

    def text(self) -> str:
        return self.page.locator("body").inner_text()

    def assert_no_code(self, where: str, allowed=()) -> None:
        found = code_on_page(self.text(), allowed)
        assert not found, f"Du code ou une représentation Python est visible ({where}) :\n" + "\n".join(found)


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    server = start_voila(tmp_path_factory.mktemp("voila"))
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, timeout=UI_TIMEOUT)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 1600})
                page.set_default_timeout(UI_TIMEOUT)
                page.goto(server.url("/"), wait_until="domcontentloaded", timeout=KERNEL_TIMEOUT)
                yield App(page, server)
            finally:
                browser.close()
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _explain_failure(request, app):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot_on_failure(app.page, app.server, f"echec-{request.node.name}.png")


def first_quiz_lesson():
    lesson = next(lesson for lesson in LESSONS if lesson.quizzes)
    return lesson, load_quiz(lesson.quizzes[0])


def test_home_lists_every_lesson_with_its_progress(app):
    """Does the app open on a home page listing every lesson, with no code shown?"""
    page, expect = app.page, app.expect
    expect(page.get_by_role("heading", name="Parcours en organisation communautaire")).to_be_visible(
        timeout=KERNEL_TIMEOUT)
    for lesson in LESSONS:
        expect(page.get_by_text(lesson.title, exact=False).first).to_be_visible()
    assert page.get_by_role("button", name=re.compile(r"^Ouvrir la leçon")).count() == len(LESSONS)
    expect(page.locator("html")).to_have_attribute("lang", "fr-CA")
    app.assert_no_code("page d'accueil")


def test_a_lesson_shows_its_reading_and_one_quiz_question_is_checked(app):
    """Does a lesson show its reading, with a quiz whose first question can be answered and checked?"""
    page, expect = app.page, app.expect
    lesson, quiz = first_quiz_lesson()
    page.get_by_role("button", name=f"Ouvrir la leçon {lesson.number.lstrip('0')}", exact=True).click()
    expect(page.get_by_role("heading", name=lesson.title).first).to_be_visible(timeout=KERNEL_TIMEOUT)
    question = quiz.questions[0]
    group = page.get_by_role("radiogroup" if question.kind == "single" else "group",
                             name="Question 1 : votre réponse")
    expect(group, "La question 1 du quiz n'est pas un groupe nommé.").to_be_visible(timeout=KERNEL_TIMEOUT)
    choice = group.get_by_role("radio" if question.kind == "single" else "checkbox").first
    choice.check()
    block = group.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]")
    block.get_by_role("button", name="Vérifier", exact=True).click()
    expect(block.get_by_role("status")).to_contain_text(re.compile("Juste|À revoir"))
    app.assert_no_code(f"leçon {lesson.id}", KNOWN_IN_LESSONS.get(lesson.id, ()))
    # Back home, the lesson's progress counts that question (one done out of all it has).
    app.nav("Accueil")
    expect(page.get_by_text(f"{lesson.title} — 1 sur ", exact=False)).to_be_visible()


def test_every_lesson_page_shows_no_code(app):
    """Is every other lesson page free of code and Python reprs (tables, figures, widgets only)?"""
    page, expect = app.page, app.expect
    first, _ = first_quiz_lesson()
    for lesson in LESSONS:
        if lesson.id == first.id:
            continue
        app.nav("Accueil")
        page.get_by_role("button", name=f"Ouvrir la leçon {lesson.number.lstrip('0')}", exact=True).click()
        expect(page.get_by_role("heading", name=lesson.title).first).to_be_visible(timeout=KERNEL_TIMEOUT)
        expect(page.get_by_role("button", name="Retour à l'accueil")).to_be_visible(timeout=KERNEL_TIMEOUT)
        app.assert_no_code(f"leçon {lesson.id}", KNOWN_IN_LESSONS.get(lesson.id, ()))


def workshop_case():
    return COURSE.case(select_cases(COURSE)[0])


def test_a_lesson_key_stays_closed_until_opened(app):
    """Lesson 5's corrigé (collapsed in JupyterLab) is a closed panel in the app: its title shows,
    its text does not, until the learner opens it with the keyboard."""
    page, expect = app.page, app.expect
    lesson = next(x for x in LESSONS if x.number == "05")
    app.nav("Accueil")
    page.get_by_role("button", name="Ouvrir la leçon 5", exact=True).click()
    expect(page.get_by_role("button", name="Retour à l'accueil")).to_be_visible(timeout=KERNEL_TIMEOUT)
    title = page.get_by_text(re.compile(r"^Corrigé des deux cas sourcés"))
    expect(title, f"Pas de panneau « Corrigé » dans la leçon {lesson.id}.").to_be_visible()
    key_text = page.get_by_text("Ouvrez cette section", exact=False)
    expect(key_text, "Le corrigé de la leçon 5 est visible avant qu'on l'ouvre.").to_be_hidden()
    header = page.get_by_role("button", name=re.compile(r"^Corrigé des deux cas sourcés"))
    expect(header, "L'en-tête du corrigé n'est pas un bouton.").to_have_attribute("aria-expanded", "false")
    header.focus()
    expect(header, "L'en-tête du corrigé ne reçoit pas le focus clavier.").to_be_focused()
    page.keyboard.press("Enter")
    expect(header).to_have_attribute("aria-expanded", "true")
    expect(key_text, "La touche Entrée n'ouvre pas le corrigé.").to_be_visible()
    violations = axe_violations(page)
    assert not violations, "axe-core, leçon 5 :\n" + describe_violations(violations)


def test_workshop_shows_verifier_and_feedback(app):
    """Does the workshop page show « Vérifier », and does ticking an axis and clicking it show feedback?"""
    page, expect = app.page, app.expect
    case = workshop_case()
    label = COURSE.axes[case.axes[0]].label
    app.nav("Atelier de classification")
    axes = page.get_by_role("group", name="Axes de service")
    expect(axes, "Les cases des axes ne forment pas un groupe nommé « Axes de service ».").to_be_visible(
        timeout=KERNEL_TIMEOUT)
    exercise = app.exercise()
    check = exercise.get_by_role("button", name="Vérifier", exact=True)
    expect(check).to_be_visible(timeout=KERNEL_TIMEOUT)
    expect(exercise.get_by_role("heading", name=case.title)).to_be_visible()
    expect(exercise.get_by_role("radiogroup", name="Approche dominante")).to_be_visible()
    axes.get_by_role("checkbox", name=label, exact=True).check()
    check.click()
    feedback = exercise.get_by_role("status").filter(has_text="Tentative n° 1")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("Score des axes")
    expect(feedback).to_contain_text("Réponse enregistrée")
    app.assert_no_code("atelier")


def test_results_show_the_answer(app):
    """Does « Mes résultats » show the case just checked, with the axis ticked?"""
    page, expect = app.page, app.expect
    case = workshop_case()
    app.nav("Mes résultats")
    region = page.get_by_role("region", name="Mes résultats")
    expect(region).to_be_visible()
    row = region.locator("tr").filter(has_text=case.title)
    expect(row, f"Le cas « {case.title} » n'est pas dans « Mes résultats ».").to_have_count(1)
    expect(row.locator("td").nth(1)).to_have_text(COURSE.axes[case.axes[0]].short)  # names, as the workshop
    # One try, not the whole key: the workshop held back its reasons, so the table holds back the key.
    key = " + ".join(COURSE.axes[c].short for c in case.axes) if len(case.axes) == 1 else "— (à trouver)"
    expect(row.locator("td").nth(2), "« Axes du corrigé » ne doit pas donner la clé après un seul essai.").to_have_text(key)
    images = region.get_by_role("img")
    expect(images).to_have_count(2)  # results per axis, then mastery per axis and approach
    alt = images.first.get_attribute("alt") or ""
    assert "Vos résultats par axe" in alt and "1 trouvé," in alt, alt
    assert (images.nth(1).get_attribute("alt") or "").strip(), "la figure de maîtrise n'a pas de texte de remplacement"
    app.assert_no_code("mes résultats")


def test_axe_finds_no_serious_violation_in_the_widgets(app):
    """After one check, does axe-core (WCAG 2.1 A and AA) find nothing serious in the kit's widgets?"""
    app.nav("Atelier de classification")
    app.expect(app.exercise().get_by_role("status").filter(has_text="Tentative n° 1")).to_be_visible(
        timeout=KERNEL_TIMEOUT)
    violations = axe_violations(app.page)
    assert not violations, ("axe-core trouve des violations graves dans les widgets de la trousse (app Voilà) :\n"
                            + describe_violations(violations))


def test_hand_in_file_is_written_and_valid(app):
    """Does « Ma remise » write a hand-in file that the submission schema accepts?"""
    import jsonschema

    page, expect = app.page, app.expect
    app.nav("Ma remise")
    button = page.get_by_role("button", name="Exporter ma remise", exact=True)
    expect(button).to_be_visible()
    shown = button.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth, text: b.innerText})")
    assert shown["scroll"] <= shown["client"] + 1 and "…" not in shown["text"], (
        f"Le bouton « Exporter ma remise » n'est pas affiché en entier : {shown}")
    page.get_by_role("textbox", name="Votre nom ou numéro d'étudiant·e").fill(LEARNER)
    button.click()
    status = page.get_by_role("status").filter(has_text="Remise écrite")
    expect(status).to_be_visible()
    written = sorted((app.server.root / "app").glob("remise-*.json"))
    assert len(written) == 1, f"Un fichier de remise attendu dans {app.server.root / 'app'} : {written}"
    data = json.loads(written[0].read_text(encoding="utf-8"))
    schema = json.loads((REPO / "ockit" / "schemas" / "submission-1.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    assert data["learner"] == LEARNER
    assert workshop_case().id in [a["case"] for a in data["answers"]]
    # Voilà has no file browser: the link downloads the file itself, in the browser
    with page.expect_download() as got:
        page.get_by_role("link", name=re.compile("Télécharger ma remise")).click()
    download = got.value
    assert download.suggested_filename == written[0].name
    assert Path(download.path()).read_bytes() == written[0].read_bytes()
    app.assert_no_code("ma remise")


def focused(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement;
        return {tag: el.tagName, type: el.type || '', text: (el.closest('label') || el).innerText || '',
                inRoot: !!el.closest('.ockit-root')};
    }""")


def tab_until(page, reached, tries: int, target: str) -> None:
    """Press Tab until `reached()` is true, at most `tries` times; fail naming `target` otherwise."""
    for _ in range(tries):
        page.keyboard.press("Tab")
        if reached():
            return
    pytest.fail(f"La touche Tab n'atteint pas {target} (focus : {focused(page)}).")


def test_keyboard_only_pass_through_one_case(app):
    """With the keyboard alone: Tab to the axes, Space ticks, arrows choose the approach, Tab to
    « Vérifier », Enter checks, and the feedback appears."""
    page, expect = app.page, app.expect
    app.nav("Atelier de classification")
    page.get_by_role("button", name="Cas suivant ▶", exact=True).first.click()
    case = COURSE.case(select_cases(COURSE)[1])
    expect(page.get_by_role("heading", name=case.title)).to_be_visible()
    axes = page.get_by_role("group", name="Axes de service")
    first_box = axes.get_by_role("checkbox").first
    # Start from the « Aller au cas » list, just above the case, and Tab to the first axis.
    page.get_by_role("combobox", name="Aller au cas").focus()
    tab_until(page, lambda: first_box.evaluate("el => el === document.activeElement"), 10,
              "la première case des axes")
    page.keyboard.press("Space")
    expect(first_box, "La touche Espace ne coche pas la case de l'axe.").to_be_checked()
    # Tab through the other axes to the approach radio group, then arrows move the selection.
    radios = page.get_by_role("radiogroup", name="Approche dominante").get_by_role("radio")
    tab_until(page, lambda: focused(page)["type"] == "radio", 10, "le groupe « Approche dominante »")
    start = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    page.keyboard.press("ArrowDown")
    after = radios.evaluate_all("rs => rs.findIndex(r => r.checked)")
    assert after != start and after >= 0, f"La flèche vers le bas ne change pas l'approche ({start} → {after})."
    assert focused(page)["inRoot"] and focused(page)["type"] == "radio", focused(page)
    check = app.exercise().get_by_role("button", name="Vérifier", exact=True)
    tab_until(page, lambda: check.evaluate("el => el === document.activeElement"), 5, "« Vérifier »")
    page.keyboard.press("Enter")
    feedback = app.exercise().get_by_role("status").filter(has_text="Tentative n° 1")
    expect(feedback, "Entrée sur « Vérifier » n'affiche pas de rétroaction.").to_be_visible()
    expect(feedback).to_contain_text("Approche :")
