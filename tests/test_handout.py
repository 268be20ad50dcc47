"""`ockit handout`: printable case sheets and their key, checked in the PDF itself.

The PDFs are printed by the real headless Chromium, then read back with poppler's pdftotext
(text, page by page) and pdftoppm (pixels), both installed by tools/ensure-chromium.sh.
Text is compared with all whitespace removed: a title or a reason wraps over lines, and the
sheets use non-breaking spaces that pdftotext gives back as plain ones.
"""

import dataclasses
import html
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ockit import handout
from ockit.data import load

COURSE = load()
CASES = list(COURSE.cases.values())
OCKIT = [sys.executable, "-m", "ockit.cli"]


def run_cli(*args, env=None):
    return subprocess.run([*OCKIT, *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=300)


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pages_of(pdf) -> list[str]:
    """The text of each page of a PDF (pdftotext ends each page with a form feed)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


def page_count(pdf) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def key_texts(case):
    """Every text of the key of a case: its axis reasons, not_axes reasons and approach reason."""
    return [*case.rationale.values(), *case.not_axes.values(), *([case.approach.why] if case.approach.why else [])]


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "fiches.pdf"
    result = run_cli("handout", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    out = tmp_path_factory.mktemp("handout") / "corrige.pdf"
    result = run_cli("handout", "--key", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


def test_one_page_per_case_each_with_its_own_title_and_no_answer(sheets):
    pages = pages_of(sheets)
    assert page_count(sheets) == len(CASES) == len(pages)
    titles = [flat(c.title) for c in CASES]
    for case, page in zip(CASES, pages):
        text = flat(page)
        assert flat(case.title) in text, case.id
        # another title may be named in the summary (Marche Santé cites Projet Ensemble): not a title
        rest = text.replace(flat(case.summary), "")
        others = [t for t in titles if t != flat(case.title) and t not in flat(case.title) and t in rest]
        assert not others, (case.id, others)
        for answer in key_texts(case):
            assert flat(answer)[:80] not in text, (case.id, answer[:40])


def test_nothing_is_cut_the_whole_summary_and_answer_space_are_on_the_page(sheets):
    """Each page holds its case's whole summary, the answer space and its page number."""
    pages = pages_of(sheets)
    for n, (case, page) in enumerate(zip(CASES, pages), 1):
        text = flat(page)
        assert flat(case.summary) in text, case.id
        for code in ("DEV", "DSS", "ORG", "RESP"):
            assert flat(COURSE.axes[code].label) in text
        for approach in COURSE.approaches.values():
            assert flat(approach.label) in text
        assert "Justification" in page
        assert flat(f"Page {n} sur {len(CASES)}") in text
        if case.label_provenance == "constructed":
            assert flat(handout.FICTIONAL) in text
        else:
            assert flat(case.source.citation()) in text and ("Source:" in text or "D'après:" in text)


def test_key_holds_every_reason_in_the_order_of_the_key(key):
    text = flat("".join(pages_of(key)))
    for case in CASES:
        assert flat(case.title) in text
        positions = [text.find(flat(why)) for why in case.rationale.values()]
        assert all(p >= 0 for p in positions), case.id
        assert positions == sorted(positions), case.id  # axes, most important first
        if case.approach.why:
            assert flat(case.approach.why) in text
        for why in case.not_axes.values():
            assert flat(why) in text, case.id
        for reading in getattr(case, "also_accepted", ()):
            assert flat(reading.why) in text, case.id
        if case.hesitation:
            assert flat(case.hesitation) in text


def test_cases_option_gives_exactly_those_cases_in_that_order(tmp_path):
    out = tmp_path / "deux.pdf"
    result = run_cli("handout", "--cases", "info-alimentaire", "marche-sante", "--out", str(out))
    assert result.returncode == 0, result.stderr
    pages = pages_of(out)
    assert page_count(out) == 2
    wanted = [COURSE.case("info-alimentaire"), COURSE.case("marche-sante")]
    for case, page in zip(wanted, pages):
        assert flat(case.title) in flat(page)
    text = flat("".join(pages))
    for case in wanted:  # Marche Santé's summary names Projet Ensemble: not a title
        text = text.replace(flat(case.summary), "")
    assert not [c.id for c in CASES if c not in wanted and flat(c.title) in text]
    assert flat("Page 2 sur 2") in text


def test_longest_summary_and_a_longer_one_still_fit_on_one_page(tmp_path):
    """The longest case of the kit, and a made-up one longer than the 200-word limit, one page each."""
    longest = max(CASES, key=lambda c: (len(c.summary), len(c.title)))
    words = longest.summary.split()
    stretched = dataclasses.replace(
        longest, id="long-test", title=longest.title + " : " + longest.title,
        summary=" ".join(words + words[: max(0, 240 - len(words))]))
    out = handout.write_pdf(handout.sheets_html([longest, stretched], COURSE), tmp_path / "long.pdf")
    assert page_count(out) == 2
    pages = pages_of(out)
    assert flat(stretched.summary) in flat(pages[1])
    assert "Justification" in pages[1]


def test_page_png_has_clean_margins_and_ink_inside(sheets, tmp_path):
    """Render page 1 and the page of the longest case: ink inside, nothing printed in the margins."""
    from PIL import Image

    longest = max(range(len(CASES)), key=lambda i: len(CASES[i].summary)) + 1
    for n in (1, longest):
        prefix = tmp_path / f"page{n}"
        subprocess.run(["pdftoppm", "-f", str(n), "-l", str(n), "-r", "50", "-png", "-singlefile",
                        str(sheets), str(prefix)], check=True)
        image = Image.open(f"{prefix}.png").convert("L")
        width, height = image.size
        assert (width, height) == (425, 550)  # US Letter at 50 dpi
        margin = 20  # 10 mm at 50 dpi: the page margins are 16-18 mm
        for box in ((0, 0, width, margin), (0, 0, margin, height), (width - margin, 0, width, height)):
            assert image.crop(box).getextrema()[0] > 240, (n, box)  # no ink: nothing cut at an edge
        assert image.crop((margin, margin, width - margin, height - margin)).getextrema()[0] < 100


def test_unknown_case_is_a_french_error_and_writes_nothing(tmp_path, capsys):
    from ockit.cli import main

    out = tmp_path / "x.pdf"
    assert main(["handout", "--cases", "info-alimentaire", "info-alimentair", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "info-alimentair" in err and "Cas inconnu" in err and "Vouliez-vous dire" in err
    assert not out.exists()


def test_missing_chromium_is_a_french_error_and_keeps_the_old_pdf(tmp_path, capsys, monkeypatch):
    from ockit.cli import main

    out = tmp_path / "x.pdf"
    out.write_bytes(b"ancien")
    monkeypatch.setenv(handout.CHROMIUM_ENV, str(tmp_path / "pas-de-chromium"))
    assert main(["handout", "--out", str(out)]) == 1
    assert "Chromium est introuvable" in capsys.readouterr().err
    assert out.read_bytes() == b"ancien"


def test_chromium_failure_is_reported(tmp_path):
    fake = tmp_path / "faux-chromium"
    fake.write_text("#!/bin/sh\necho 'plantage simulé' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(handout.HandoutError, match="code 3"):
        handout.write_pdf("<p>x</p>", tmp_path / "x.pdf", chromium=str(fake))
    assert not (tmp_path / "x.pdf").exists()


def test_chromium_that_hangs_is_stopped_with_a_french_error(tmp_path):
    import time

    fake = tmp_path / "chromium-bloque"
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")
    fake.chmod(0o755)
    start = time.monotonic()
    with pytest.raises(handout.HandoutError, match="en 1 seconde;"):
        handout.write_pdf("<p>x</p>", tmp_path / "x.pdf", chromium=str(fake), timeout=1)
    assert time.monotonic() - start < 30  # the whole process group was ended, children included
    assert not (tmp_path / "x.pdf").exists()


def test_sheet_html_is_french_and_escapes_case_text():
    case = dataclasses.replace(CASES[0], title="<script>alert(1)</script> : titre", territory="A & B")
    page = handout.sheets_html([case], COURSE)
    assert '<html lang="fr-CA">' in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "&lt;/script&gt;\u00a0: titre" in page and "A &amp; B" in page
    assert "Territoire\u00a0:" in page


def test_key_shows_also_accepted_when_a_case_has_it():
    case = CASES[0]

    class WithAlso:  # a case carrying the optional field, whatever its exact shape
        def __getattr__(self, name):
            return getattr(case, name)
        also_accepted = [{"axes": ["RESP"], "why": "Lecture <défendable>"}]

    page = handout.key_html([WithAlso()], COURSE)
    assert "Aussi accepté" in page and "Lecture &lt;défendable&gt;" in page
    assert html.escape(COURSE.axes["RESP"].label) in page
    assert "Aussi accepté" not in handout.key_html([case], COURSE)


@given(st.text())
def test_french_spacing_is_idempotent_and_leaves_no_breakable_space_before_colon(text):
    once = handout.french(text)
    assert handout.french(once) == once
    assert " :" not in once and "« " not in once and " »" not in once
    assert re.sub(r"[\s\u00a0\u202f]", "", once) == re.sub(r"[\s\u00a0\u202f]", "", text)
