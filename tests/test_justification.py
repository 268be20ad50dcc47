"""ockit.justification: the learner's own words that point to an axis or an approach, escaped, never a grade."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

import ockit
from ockit.justification import NOT_A_GRADE, feedback, pointers

COURSE = ockit.load()
CASE = COURSE.case("info-alimentaire")


def test_each_phrase_shown_is_the_learners_own_and_points_where_the_suggester_says():
    text = "L'OC soutient la table de quartier et mobilise les citoyens pour défendre leurs droits."
    result = ockit.suggest(text, course=COURSE)
    found = pointers(text, COURSE)
    assert found
    for p in found:
        assert all(phrase in text for phrase in p.phrases)  # verbatim, from the justification
        assert set(p.phrases) <= {" ".join(e.split()) for e in result.evidence[p.code]}
        label = COURSE.axes[p.code].label if p.kind == "axe" else COURSE.approaches[p.code].label
        assert p.label == label


def test_says_whether_the_learner_picked_each_code_and_which_words_the_case_holds():
    text = "La banque alimentaire reste ouverte; la table de quartier suit."
    fb = feedback(text, COURSE, axes=["DEV"], approach="SOCIOCOM", case=CASE)
    by_code = {p.code: p for p in fb.pointers}
    assert by_code["DEV"].picked is True
    assert all(p.picked is False for c, p in by_code.items() if c not in ("DEV", "SOCIOCOM"))
    flags = dict(zip(by_code["DSS"].phrases, by_code["DSS"].from_case))
    assert flags.get("banque alimentaire") is True  # the summary says it
    assert "que vous avez coché" in fb.text and NOT_A_GRADE in fb.text


def test_a_phrase_inside_a_longer_one_is_not_repeated():
    found = pointers("La table de quartier se réunit.", COURSE)
    dev = next(p for p in found if p.code == "DEV")
    assert "table de quartier" in dev.phrases
    assert "quartier" not in dev.phrases and "table" not in dev.phrases


def test_no_grade_no_score_in_any_feedback():
    for text in ("", "   ", "Je ne sais pas.", "La table de quartier mobilise les citoyens."):
        fb = feedback(text, COURSE, axes=["DEV"], approach=None)
        assert not re.search(r"\d+ ?(%|/ ?\d)|score|note :|bonne réponse|mauvaise réponse", fb.text.lower()), text


def test_empty_or_cueless_justification_is_said_kindly():
    assert "pas écrit de justification" in feedback(None, COURSE).text
    assert "Aucun mot" in feedback("Je ne sais pas trop.", COURSE).text


def test_html_in_the_justification_is_escaped():
    hostile = '<img src=x onerror="alert(1)"> table de <b>quartier</b> & citoyens <script>x</script>'
    fb = feedback(hostile, COURSE, axes=["DEV"])
    assert "<img" not in fb.html and "<script" not in fb.html and "<b>" not in fb.html
    assert "&lt;" in fb.html or not any("<" in p for q in fb.pointers for p in q.phrases)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300), st.lists(st.sampled_from(["DEV", "DSS", "ORG", "RESP"]), unique=True))
def test_any_text_gives_well_formed_escaped_html(text, axes):
    fb = feedback(text, COURSE, axes=axes, approach="SOCIOPOL", case=CASE)
    # Only the kit's own tags, and every phrase shown is there escaped.
    assert set(re.findall(r"</?([a-zA-Z]+)", fb.html)) <= {"div", "p", "ul", "li", "em"}
    for p in fb.pointers:
        for phrase in p.phrases:
            assert html.escape(phrase) in fb.html
    assert html.unescape(re.sub(r"<[^>]+>", "", fb.html)).count("«") >= sum(len(p.phrases) for p in fb.pointers)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["table de quartier", "<b>", "citoyens", "droits", "&amp;", "\"'", "é·e",
                                 "locataires", " ", "\n", "!"]), max_size=20).map("".join))
def test_cue_rich_hostile_text_stays_escaped(text):
    fb = feedback(text, COURSE, axes=["DEV"], case=CASE)
    assert "<b>" not in fb.html and '"\'' not in fb.html
