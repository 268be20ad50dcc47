"""ockit.glossary: the acronyms and terms a case uses, explained beside it (never the key)."""

from __future__ import annotations

import html
import re

from ockit.data import load
from ockit.glossary import glossary_html, terms_in
from ockit.widgets import CaseExercise

COURSE = load()
# Acronyms a kit case may use without a glossary entry, and why.
UNEXPLAINED = {
    "CATCRN": "the source does not spell it out, and the case says so",
    "CV": "everyday French",
}


def labels(text):
    return [t.label for t in terms_in(text, COURSE)]


class TestTermsIn:
    def test_acronyms_are_whole_words_as_written(self):
        """MRC is found as a word, not inside another one, and not in lower case."""
        assert labels("La MRC de Kamouraska appuie le projet.") == ["MRC"]
        assert labels("Les mrc et les MRCs ne comptent pas; pas plus que CAS ou Canada.") == []

    def test_terms_match_in_any_case_with_plurals_and_curly_apostrophes(self):
        assert "table de quartier" in labels("Deux Tables de quartier se rencontrent.")
        assert "pouvoir d'agir (empowerment)" in labels("Elles gagnent du pouvoir d\u2019agir.")

    def test_terms_come_in_order_of_first_use(self):
        assert labels("Le CLSC, la MRC puis le CISSS; encore le CLSC.") == ["CLSC", "MRC", "CISSS"]

    def test_every_acronym_of_the_kit_cases_is_explained(self):
        """A case that uses an acronym the glossary lacks fails here, naming the case."""
        known = {t.label for t in COURSE.terms["glossary"].values()}
        missing = {}
        for case in COURSE.cases.values():
            for word in re.findall(r"(?<![\w-])[A-ZÉÈ][A-ZÉÈ0-9]+\+?(?![\w-])", f"{case.title} {case.summary}"):
                if word not in known and word not in UNEXPLAINED:
                    missing.setdefault(word, case.id)
        assert not missing, f"sigles sans entrée dans data/glossary.yaml : {missing}"

    def test_no_glossary_entry_names_an_axis_or_an_approach(self):
        """The glossary shows before the answer: it must not hint at the key by naming one."""
        names = ([a.label.lower() for a in COURSE.axes.values()] + [a.short.lower() for a in COURSE.axes.values()]
                 + [a.label.lower() for a in COURSE.approaches.values()])
        for term in COURSE.terms["glossary"].values():
            assert not [n for n in names if n in term.description.lower()], term.id


class TestShown:
    def test_a_case_shows_the_meaning_of_its_acronyms_in_a_closed_disclosure(self):
        case = next(c for c in sorted(COURSE.cases.values(), key=lambda c: c.id) if "MRC" in c.summary)
        shown = CaseExercise(case.id).case_html.value
        block = re.search(r'<details class="ockit-glossary"><summary>(.*?)</summary>(.*?)</details>', shown, re.S)
        assert block and "MRC" in block.group(1)
        assert html.escape(COURSE.terms["glossary"]["mrc"].description.strip()) in block.group(2)
        assert "<details open" not in shown

    def test_a_text_without_terms_shows_nothing(self):
        assert glossary_html(terms_in("Un texte sans sigle.", COURSE)) == ""

    def test_labels_and_meanings_are_escaped(self):
        from ockit.model import Term

        out = glossary_html([Term("x", "<b>X</b>", "a <script>b</script>")])
        assert "<script>" not in out and "<b>X</b>" not in out and "&lt;script&gt;" in out

