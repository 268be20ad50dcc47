"""The same answer under the kit's, Moodle's and Canvas's rules, computed by hand."""

import itertools
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

import ockit
from ockit import moodle, rules
from ockit.itemstats import rule_scores
from ockit.model import AXIS_CODES

# (key, ticked, kit, moodle, canvas), each figure worked out by hand:
#   kit = right / (ticked ∪ key); moodle = Σ fractions (key axis 1/k, other −1/(4−k), as
#   imported: 0.3333333 for a third), clamped 0–1; canvas = (right − wrong) / k, floor 0.
HAND = [
    (("DEV",), (), 0, 0, 0),
    (("DEV",), ("DEV",), 1, 1, 1),
    (("DEV", "DSS"), ("DEV",), 1 / 2, 1 / 2, 1 / 2),
    (("DEV", "DSS"), ("DEV", "DSS", "ORG"), 2 / 3, 1 - 1 / 2, 1 - 1 / 2),
    (("DEV",), ("DEV", "DSS"), 1 / 2, 1 - 0.3333333, 0),
    (("DEV",), ("DSS",), 0, 0, 0),
    (("DEV", "DSS", "ORG"), AXIS_CODES, 3 / 4, 0, 1 - 1 / 3),
    (("DEV", "DSS", "ORG"), ("DEV", "DSS"), 2 / 3, 2 * 0.3333333, 2 / 3),
    (AXIS_CODES, ("DEV",), 1 / 4, 1 / 4, 1 / 4),
    (("ORG", "RESP"), ("ORG", "DEV"), 1 / 3, 1 / 2 - 1 / 2, 0),
]


@pytest.mark.parametrize("key, ticked, kit, moodle_, canvas", HAND)
def test_three_rules_by_hand(key, ticked, kit, moodle_, canvas):
    """Does compare() give the hand-computed score under each rule?"""
    got = rules.compare(key, ticked)
    assert (got.kit, got.moodle, got.canvas) == pytest.approx((kit, moodle_, canvas), abs=1e-6)


def test_kit_rule_is_ockit_score():
    """Is the kit's rule the Jaccard that ockit.score gives for a real case?"""
    course = ockit.load()
    for case in list(course.cases.values())[:5]:
        for n in range(5):
            for ticked in itertools.combinations(AXIS_CODES, n):
                assert rules.compare(case.axes, ticked).kit == ockit.score(case.id, ticked).jaccard


def test_unknown_code_and_empty_key_are_refused():
    with pytest.raises(ValueError, match="QQQ"):
        rules.compare(("DEV",), ("QQQ",))
    with pytest.raises(ValueError, match="Clé vide"):
        rules.compare((), ("DEV",))


def test_vectorized_scores_equal_compare_on_every_key_and_answer():
    """Does the report's vectorized rule_scores agree with compare() on all 15 × 16 pairs?"""
    subsets = [c for n in range(5) for c in itertools.combinations(AXIS_CODES, n)]
    pairs = [(k, t) for k in subsets if k for t in subsets]
    frame = pd.DataFrame({**{f"key_{c}": [c in k for k, _ in pairs] for c in AXIS_CODES},
                          **{f"chosen_{c}": [c in t for _, t in pairs] for c in AXIS_CODES}})
    got = rule_scores(frame)
    for i, (key, ticked) in enumerate(pairs):
        want = rules.compare(key, ticked).as_dict()
        assert got.iloc[i].to_dict() == pytest.approx(want, abs=1e-9), (key, ticked)


def test_each_moodle_question_says_which_rule_moodle_applies():
    """Does every question's general feedback state Moodle's rule, in French, with its fractions?"""
    course = ockit.load()
    root = ET.fromstring(moodle.quiz_xml(course))
    questions = [q for q in root.iter("question") if q.get("type") == "multichoice"]
    assert questions
    for q in questions:
        text = q.find("generalfeedback/text").text
        assert "Règle de Moodle pour cette question" in text, q.find("name/text").text
        if q.find("single").text == "false":
            fractions = {a.get("fraction") for a in q.iter("answer")}
            positive = next(f for f in fractions if not f.startswith("-") and f != "0")
            assert "+" + positive.replace(".", ",") in text and "Jaccard" in text
