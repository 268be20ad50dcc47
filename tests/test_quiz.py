"""Quizzes: loading and validation with French errors, checking each kind, the widget headless."""

import html
from pathlib import Path

import pytest
import yaml

from ockit.quiz import QuizError, QuizWidget, check, list_quizzes, load_quiz, right_items

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
        """The key's index is right; another is wrong and the feedback names the right choice."""
        q = question("single")
        assert check(q, RAW["questions"][0]["answer"]).correct
        wrong = check(q, (q.answer + 1) % len(q.choices))
        assert not wrong.correct
        assert q.choices[q.answer] in wrong.feedback and q.explanation in wrong.feedback

    def test_multiple_needs_all_and_only_the_right_ones(self):
        """Exactly the key is right; a missing or an extra choice is named."""
        q = question("multiple")
        key = RAW["questions"][1]["answer"]
        assert check(q, list(reversed(key))).correct
        partial = check(q, key[:1])
        assert not partial.correct and q.choices[key[1]] in partial.feedback
        other = next(i for i in range(len(q.choices)) if i not in key)
        extra = check(q, [*key, other])
        assert not extra.correct and q.choices[other] in extra.feedback

    def test_matching_right_and_wrong(self):
        """All pairs right is right; a swapped pair is named with its correct match."""
        q = question("matching")
        pairs = dict(RAW["questions"][2]["pairs"])
        assert check(q, pairs).correct
        (a, ra), (b, rb) = list(pairs.items())[:2]
        swapped = check(q, {**pairs, a: rb, b: ra})
        assert not swapped.correct and f"{a} → {ra}" in swapped.feedback

    def test_right_items_are_stably_shuffled_and_complete(self):
        """The right-hand list is the same every time, holds every item, and is not the key's order."""
        q = question("matching")
        order = right_items(q, "essai-definitions")
        assert order == right_items(q, "essai-definitions")
        assert sorted(order) == sorted(b for _, b in q.pairs)
        assert order != [b for _, b in q.pairs]


class TestWidget:
    def test_one_block_per_question_each_with_its_verifier_button(self):
        """The widget draws one block per question with a "Vérifier" button."""
        widget = QuizWidget("essai-definitions", folder=FIXTURES)
        assert len(widget.blocks) == len(RAW["questions"])
        assert all(b.check_button.description == "Vérifier" for b in widget.blocks)

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
