"""Issue #16: the crosswalk keeps its own rule, and santé publique is read one way everywhere."""

import json
import subprocess
import sys

import pytest

import ockit
from ockit.data import load

COURSE = load()


@pytest.fixture(scope="module")
def crosswalk():
    out = subprocess.run([sys.executable, "-m", "ockit.cli", "crosswalk", "--json"],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def test_a_partial_match_says_where_the_rest_goes(crosswalk):
    """A local axis mapping `partial` onto a reference axis maps onto at least one other."""
    for framework in crosswalk["frameworks"]:
        for axis in framework["axes"]:
            targets = {m["axis"] for m in axis["maps_to"]}
            for m in axis["maps_to"]:
                if m["match"] == "partial":
                    assert targets - {m["axis"]}, (framework["id"], axis["number"], m["axis"])


def test_every_local_axis_naming_sante_publique_splits_between_resp_and_dss():
    """The kit's single rule: programme work -> RESP, collective action on conditions -> DSS."""
    named = [(fw.id, ax) for fw in COURSE.frameworks.values() if not fw.reference
             for ax in fw.axes if "santé publique" in ax.label.lower()]
    assert len(named) >= 2
    for fid, ax in named:
        assert {m.axis for m in ax.maps_to} == {"RESP", "DSS"}, (fid, ax.number)


def test_the_cemtl_4_quiz_key_agrees_with_the_crosswalk():
    """The quiz says CEMTL axe 4 is partial because part of it falls in DSS, as the data does."""
    from ockit.quiz import load_quiz

    quiz = load_quiz("crosswalk")
    question = next(q for q in quiz.questions if q.id == "cemtl-4")
    key = question.choices[question.answer]
    assert "DSS" in key
    assert "DSS" in {m.axis for m in ockit.to_reference("cemtl", 4)}


def test_no_case_text_says_the_nim_puts_sante_publique_with_the_determinants_only():
    """The old contradictory reading (santé publique ranged with the determinants, hence not
    RESP) is gone from the cases' texts."""
    for case in COURSE.cases.values():
        text = " ".join([*case.rationale.values(), *case.not_axes.values(), case.hesitation or ""])
        assert "range avec les déterminants" not in text, case.id


def test_general_knowledge_is_marked():
    """Content beyond the five sources says so: approaches' grid and unsourced glossary terms."""
    assert all(a.basis == "general-knowledge" for a in COURSE.approaches.values() if a.grid)
    for term in COURSE.terms["glossary"].values():
        if term.source is None:
            assert term.basis == "general-knowledge", term.id
    assert "sante-quebec" in COURSE.terms["glossary"]
