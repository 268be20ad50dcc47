"""Quizzes: loading and validation with French errors, checking each kind, the widget headless."""

import html
import json
import re
import warnings
from pathlib import Path

import pytest
import yaml

from ockit.progress import QuizAnswer, Store
from ockit.quiz import QuizError, QuizWidget, answer_text, check, list_quizzes, load_quiz, right_items

FIXTURES = Path(__file__).parent / "fixtures" / "quizzes"
RAW = yaml.safe_load((FIXTURES / "essai-definitions.yaml").read_text(encoding="utf-8"))


def question(kind):
    quiz = load_quiz("essai-definitions", FIXTURES)
    return next(q for q in quiz.questions if q.kind == kind)


def write(tmp_path, data, name="mon-quiz"):
    (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


class TestLoad:
    def test_fixture_loads_with_every_question(self):
        """A valid quiz loads; ids, kinds and texts come through."""
        quiz = load_quiz("essai-definitions", FIXTURES)
        assert quiz.id == RAW["id"] and quiz.title == RAW["title"]
        assert [(q.id, q.kind) for q in quiz.questions] == [(q["id"], q["kind"]) for q in RAW["questions"]]

    def test_every_problem_is_reported_with_file_question_and_field(self):
        """The broken fixture yields one message per bad question, each naming file, question and field."""
        with pytest.raises(QuizError) as info:
            load_quiz("essai-erreurs", FIXTURES)
        problems = info.value.problems
        assert len(problems) == 3
        assert all("essai-erreurs.yaml" in p for p in problems)
        assert "question reponse-hors-limites, champ answer" in problems[0]
        assert "question type-inconnu, champ kind" in problems[1] and "vrai-faux" in problems[1]
        assert "question sans-explication, champ explanation" in problems[2]

    def test_id_must_match_file_name(self, tmp_path):
        """A quiz whose id differs from its file name is refused, naming both."""
        write(tmp_path, {**RAW, "id": "autre-nom"})
        with pytest.raises(QuizError, match="autre-nom.*mon-quiz"):
            load_quiz("mon-quiz", tmp_path)

    @pytest.mark.parametrize("change, field", [
        ({"answer": [0, 0]}, "answer"),
        ({"answer": []}, "answer"),
        ({"choices": ["seul"]}, "choices"),
        ({"prompt": "  "}, "prompt"),
    ])
    def test_bad_multiple_question_names_the_field(self, tmp_path, change, field):
        """Duplicate or empty answers, too few choices, an empty prompt: each names its field."""
        bad = {**RAW["questions"][1], **change}
        write(tmp_path, {**RAW, "id": "mon-quiz", "questions": [bad]})
        with pytest.raises(QuizError) as info:
            load_quiz("mon-quiz", tmp_path)
        assert f"question {bad['id']}, champ {field}" in str(info.value)

    def test_two_identical_choices_are_refused(self, tmp_path):
        """Answers are saved by choice text, so two identical choices would restore ambiguously."""
        bad = {**RAW["questions"][0], "choices": ["Même texte", "Autre", "Même texte"], "answer": 1}
        write(tmp_path, {**RAW, "id": "mon-quiz", "questions": [bad]})
        with pytest.raises(QuizError, match="champ choices.*identiques"):
            load_quiz("mon-quiz", tmp_path)

    def test_matching_with_duplicate_right_item_is_refused(self, tmp_path):
        """Two pairs with the same right-hand item make the matching ambiguous."""
        bad = {**RAW["questions"][2], "pairs": [["A", "x"], ["B", "x"]]}
        write(tmp_path, {**RAW, "id": "mon-quiz", "questions": [bad]})
        with pytest.raises(QuizError, match="champ pairs"):
            load_quiz("mon-quiz", tmp_path)

    def test_duplicate_question_ids_are_refused(self, tmp_path):
        """Two questions with one id are reported."""
        write(tmp_path, {**RAW, "id": "mon-quiz", "questions": [RAW["questions"][0]] * 2})
        with pytest.raises(QuizError, match="en double"):
            load_quiz("mon-quiz", tmp_path)

    def test_missing_quiz_lists_the_available_ones(self):
        """An unknown id says which quizzes exist."""
        with pytest.raises(QuizError, match="essai-definitions"):
            load_quiz("inexistant", FIXTURES)

    def test_bad_yaml_gives_the_line(self, tmp_path):
        """A YAML syntax error names the file and line."""
        (tmp_path / "mon-quiz.yaml").write_text("id: a\ntitle: [pas fermé\n", encoding="utf-8")
        with pytest.raises(QuizError, match="mon-quiz.yaml, ligne"):
            load_quiz("mon-quiz", tmp_path)

    def test_kit_quizzes_all_load(self):
        """Every quiz in data/quizzes/ is valid (none yet is fine)."""
        for quiz_id in list_quizzes():
            assert load_quiz(quiz_id).questions


class TestCheck:
    def test_single_right_and_wrong(self):
        """The key's index is right, with the explanation; another is wrong, says so and invites a
        new try without naming the right choice or showing the explanation (no second try else)."""
        q = question("single")
        right = check(q, RAW["questions"][0]["answer"])
        assert right.correct and q.explanation in right.feedback
        chosen = (q.answer + 1) % len(q.choices)
        wrong = check(q, chosen)
        assert not wrong.correct
        assert "essayez de nouveau" in wrong.feedback.lower() and q.choices[chosen] in wrong.feedback
        assert q.choices[q.answer] not in wrong.feedback and q.explanation not in wrong.feedback

    def test_multiple_needs_all_and_only_the_right_ones(self):
        """Exactly the key is right; an extra choice is named, a missing one only counted."""
        q = question("multiple")
        key = RAW["questions"][1]["answer"]
        assert check(q, list(reversed(key))).correct
        partial = check(q, key[:1])
        assert not partial.correct and q.choices[key[1]] not in partial.feedback
        assert "essayez de nouveau" in partial.feedback.lower()
        other = next(i for i in range(len(q.choices)) if i not in key)
        extra = check(q, [*key, other])
        assert not extra.correct and q.choices[other] in extra.feedback

    def test_matching_right_and_wrong(self):
        """All pairs right is right; a swapped pair is named as chosen, never with its key match."""
        q = question("matching")
        pairs = dict(RAW["questions"][2]["pairs"])
        assert check(q, pairs).correct
        (a, ra), (b, rb) = list(pairs.items())[:2]
        swapped = check(q, {**pairs, a: rb, b: ra})
        assert not swapped.correct and f"{a} → {rb}" in swapped.feedback
        assert f"{a} → {ra}" not in swapped.feedback

    def test_partly_matched_question_does_not_reveal_the_pairs_not_chosen(self):
        """Only one pair chosen: the other left items are named as still to match, their right
        items never appear."""
        q = question("matching")
        (a, ra), *rest = q.pairs
        partial = check(q, {a: ra})
        assert not partial.correct
        for left, right in rest:
            assert left in partial.feedback and right not in partial.feedback

    def test_answer_text_gives_the_key_and_the_explanation(self):
        """What "Voir la réponse" shows: every key item and the explanation."""
        for kind in ("single", "multiple", "matching"):
            q = question(kind)
            text = answer_text(q)
            keys = ([q.choices[q.answer]] if kind == "single" else
                    [q.choices[i] for i in q.answer] if kind == "multiple" else
                    [f"{a} → {b}" for a, b in q.pairs])
            assert all(k in text for k in keys) and q.explanation in text

    def test_right_items_are_stably_shuffled_and_complete(self):
        """The right-hand list is the same every time, holds every item, and is not the key's order."""
        q = question("matching")
        order = right_items(q, "essai-definitions")
        assert order == right_items(q, "essai-definitions")
        assert sorted(order) == sorted(b for _, b in q.pairs)
        assert order != [b for _, b in q.pairs]


@pytest.mark.usefixtures("store_path")  # a progress file of its own: checks are restored from it
class TestWidget:
    def test_one_block_per_question_each_with_its_verifier_button(self):
        """The widget draws one block per question with a "Vérifier" button."""
        widget = QuizWidget("essai-definitions", folder=FIXTURES)
        assert len(widget.blocks) == len(RAW["questions"])
        assert all(b.check_button.description == "Vérifier" for b in widget.blocks)

    def test_each_verifier_button_names_its_question(self):
        """Screen readers can tell the buttons apart: the tooltip (title) names the question."""
        widget = QuizWidget("essai-definitions", folder=FIXTURES)
        tips = [b.check_button.tooltip for b in widget.blocks]
        assert tips == [f"Vérifier la question {n}" for n in range(1, len(widget.blocks) + 1)]

    def test_wrong_answer_offers_a_second_try_and_then_the_answer(self):
        """A wrong check hides the key; "Voir la réponse" appears after it and shows the key,
        which the next check clears."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        q = block.question
        assert block.answer_button.layout.display == "none"
        block.control.value = (q.answer + 1) % len(q.choices)
        block.check_button.click()
        assert "À revoir" in block.feedback.value
        assert html.escape(q.choices[q.answer]) not in block.feedback.value
        assert block.answer_button.layout.display != "none"
        assert block.answer_button.tooltip == "Voir la réponse à la question 1"
        block.answer_button.click()
        assert html.escape(q.choices[q.answer]) in block.answer_box.value
        assert html.escape(q.explanation) in block.answer_box.value
        block.control.value = q.answer
        block.check_button.click()
        assert block.answer_box.value == "" and "Juste" in block.feedback.value

    def test_the_key_is_headed_once_not_twice(self):
        """Does « Voir la réponse » say « attendue(s) » once: a heading naming the question, then the key?"""
        widget = QuizWidget("essai-definitions", folder=FIXTURES)
        for number, block in enumerate(widget.blocks, 1):
            block.answer_button.click()
            text = html.unescape(re.sub(r"<[^>]+>", " ", block.answer_box.value))
            assert text.count("attendue") == 1, text
            assert f"<h4>Corrigé de la question {number}</h4>" in block.answer_box.value

    def test_single_choice_click(self):
        """Picking the key and clicking shows "Juste" and the explanation."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        block.control.value = block.question.answer
        block.check_button.click()
        assert "Juste" in block.feedback.value
        assert html.escape(block.question.explanation) in block.feedback.value

    def test_multiple_choice_click_wrong(self):
        """Ticking one wrong box gives "À revoir"."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[1]
        wrong = next(i for i in range(len(block.control)) if i not in block.question.answer)
        block.control[wrong].value = True
        block.check_button.click()
        assert "À revoir" in block.feedback.value

    def test_matching_dropdowns_labelled_by_left_items(self):
        """Each dropdown is labelled by its left item; choosing the key is right."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[2]
        assert list(block.control) == [a for a, _ in block.question.pairs]
        for left, right in block.question.pairs:
            block.control[left].value = right
        block.check_button.click()
        assert "Juste" in block.feedback.value

    def test_clicking_without_answering_asks_for_an_answer(self):
        """No selection: a French prompt, not a wrong mark."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        block.check_button.click()
        assert "Répondez d'abord" in html.unescape(block.feedback.value) and block.result is None


class TestSaveAndRestore:
    def test_each_check_is_saved_at_once_in_the_store(self, store_path):
        """After a click a fresh Store on the file (a kernel restart) holds the check."""
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        block.control.value = block.question.answer
        block.check_button.click()
        assert "Réponse enregistrée" in block.feedback.value
        saved = Store(store_path).quiz_answers("essai-definitions")
        assert list(saved) == [block.question.id]
        assert saved[block.question.id].correct and saved[block.question.id].attempts == 1

    def test_last_answer_of_each_question_is_restored_and_says_so(self, store_path):
        """A new QuizWidget shows the last checked answer of every kind, marked « Réponse reprise »,
        with "Voir la réponse" offered and the attempt count going on."""
        first = QuizWidget("essai-definitions", folder=FIXTURES)
        single, multiple, matching = first.blocks
        q1 = single.question
        single.control.value = (q1.answer + 1) % len(q1.choices)
        single.check_button.click()
        single.control.value = q1.answer
        single.check_button.click()
        multiple.control[multiple.question.answer[0]].value = True
        multiple.check_button.click()
        left, right = matching.question.pairs[0]
        matching.control[left].value = right
        matching.check_button.click()

        again = QuizWidget("essai-definitions", folder=FIXTURES)
        b1, b2, b3 = again.blocks
        assert b1.control.value == q1.answer
        assert [box.value for box in b2.control] == [i == multiple.question.answer[0]
                                                       for i in range(len(b2.control))]
        assert {a: d.value for a, d in b3.control.items() if d.value} == {left: right}
        for block in again.blocks:
            assert "Réponse reprise" in block.feedback.value
            assert block.answer_button.layout.display != "none"
        assert "n° 2" in b1.feedback.value
        # the verdict of the last check comes back with the answer
        assert "✔ Juste." in b1.feedback.value and "✘" not in b1.feedback.value
        b1.check_button.click()
        assert Store(store_path).quiz_answers("essai-definitions")[q1.id].attempts == 3

    def test_unchecked_questions_are_not_marked_restored(self, store_path):
        """Only questions with a saved check say « Réponse reprise »."""
        first = QuizWidget("essai-definitions", folder=FIXTURES)
        first.blocks[0].control.value = 0
        first.blocks[0].check_button.click()
        again = QuizWidget("essai-definitions", folder=FIXTURES)
        assert "Réponse reprise" in again.blocks[0].feedback.value
        right = first.blocks[0].question.answer == 0
        assert ("✔ Juste." if right else "✘ À revoir.") in again.blocks[0].feedback.value
        assert [b.feedback.value for b in again.blocks[1:]] == ["", ""]
        assert again.blocks[1].answer_button.layout.display == "none"

    def test_saved_choice_no_longer_in_the_quiz_is_not_restored(self, store_path):
        """A saved answer whose choice was since removed from the file leaves the question blank."""
        q = question("single")
        Store(store_path).record_quiz(QuizAnswer("essai-definitions", q.id, "un choix retiré", False))
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        assert block.control.value is None and block.feedback.value == ""

    def test_odd_saved_items_leave_the_questions_blank(self, store_path):
        """Saved responses of the wrong shape (a hand-edited file) never break the quiz."""
        store = Store(store_path)
        for q, response in zip(load_quiz("essai-definitions", FIXTURES).questions, ([1], [{"a": 1}], [["x"]])):
            store.record_quiz(QuizAnswer("essai-definitions", q.id, response, False))
        widget = QuizWidget("essai-definitions", folder=FIXTURES)
        assert [b.feedback.value for b in widget.blocks] == ["", "", ""]

    def test_quiz_checks_do_not_change_the_exported_submission(self, store_path, tmp_path):
        """The submission holds the same case answers with or without quiz checks in the store."""
        from ockit.submission import SubmittedAnswer, now_iso, read_submission

        store = Store(store_path)
        store.record(SubmittedAnswer(case="info-alimentaire", axes=("ORG",), answered_at=now_iso()))
        before = read_submission(store.export(tmp_path / "avant.json", "Kim")).answers
        block = QuizWidget("essai-definitions", folder=FIXTURES).blocks[0]
        block.control.value = block.question.answer
        block.check_button.click()
        assert Store(store_path).quiz_answers("essai-definitions")
        after = read_submission(Store(store_path).export(tmp_path / "apres.json", "Kim")).answers
        assert after == before
        data = json.loads((tmp_path / "apres.json").read_text(encoding="utf-8"))
        assert sorted(data) == ["answers", "created", "format", "kit_version", "learner"]

    def test_corrupt_store_is_told_once_in_french_without_python_warning(self, store_path):
        """A damaged store is set aside with the widget's French notice, no UserWarning printed."""
        store_path.parent.mkdir(parents=True)
        store_path.write_bytes(b"{{{")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            widget = QuizWidget("essai-definitions", folder=FIXTURES)
        assert "mis de côté" in widget.warning.value
        assert [str(w.message) for w in caught] == []
