"""Quizzes as data: single choice, multiple choice and matching questions, read from YAML and checked.

A quiz lives in data/quizzes/<id>.yaml (format in data/README.md and below). `load_quiz`
validates it and reports every problem at once, each naming the file, the question and the
field, in French. `check` scores a response without any widget; `ockit.widgets.quiz.QuizWidget`
draws one block per question with its own "Vérifier" button and explained feedback.

A wrong answer never gives the key away: the feedback says what is wrong in the learner's own
choices and invites a new try; after a first check, "Voir la réponse" shows the key and the
explanation (`answer_text`). Each check is saved at once in the progress store (as a
`QuizAnswer`, kept apart from the case answers, so the submission file does not change) and
restored when the quiz is shown again, after a kernel restart for instance.

    id: definitions
    title: Quiz : définitions et valeurs
    questions:
      - id: trois-types
        kind: single            # single | multiple | matching
        prompt: ...
        choices: [..., ...]
        answer: 2               # single: 0-based index; multiple: list of indexes
        explanation: ...
      - id: actes-exemples
        kind: matching
        prompt: ...
        pairs: [[gauche, droite], ...]
        explanation: ...
"""

from __future__ import annotations

import os
import random
from dataclasses import dataclass
from pathlib import Path

from .data import KEBAB, KIT_DATA, shown_path
from .text import count_of

KINDS = ("single", "multiple", "matching")
CHOOSE = "— choisir —"


class QuizError(ValueError):
    """A quiz file with problems; `problems` lists each French message (file, question, field)."""

    def __init__(self, file, problems: list[str]):
        self.file = str(file)
        self.problems = list(problems)
        count = len(self.problems)
        head = f"{count} problème{'s' if count > 1 else ''} dans le quiz {self.file} :"
        super().__init__("\n".join([head, *(f"- {p}" for p in self.problems)]))


@dataclass(frozen=True)
class Question:
    """One validated question. `answer` is an index (single) or a tuple of indexes (multiple)."""

    id: str
    kind: str
    prompt: str
    explanation: str
    choices: tuple[str, ...] = ()
    answer: object = None
    pairs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Quiz:
    """A validated quiz."""

    id: str
    title: str
    questions: tuple[Question, ...]
    path: Path | None = None


@dataclass(frozen=True)
class QuizResult:
    """The outcome of checking one response: right or not, and French feedback (plain text)."""

    question: str
    correct: bool
    feedback: str


def quiz_folder(folder=None) -> Path:
    """Return the quizzes folder: `folder`, else $OCKIT_DATA/quizzes, else the kit's data/quizzes."""
    if folder is not None:
        return Path(folder)
    return Path(os.environ.get("OCKIT_DATA") or KIT_DATA) / "quizzes"


def list_quizzes(folder=None) -> list[str]:
    """Return the ids of the quizzes in the folder, sorted."""
    return sorted(p.stem for p in quiz_folder(folder).glob("*.yaml"))


def load_quiz(quiz_id: str, folder=None) -> Quiz:
    """Load and validate <folder>/<quiz_id>.yaml.

    Raises:
        QuizError: the file is missing, is not YAML, or has problems (all listed at once).
    """
    from .data import DataError
    from .safeyaml import load_yaml

    path = quiz_folder(folder) / f"{quiz_id}.yaml"
    shown = shown_path(path)
    try:
        # The shared bounded reader: not a regular file, too large, not UTF-8, bad YAML, empty,
        # duplicate keys, aliases beyond the limit, control characters are all reported.
        data, problems = load_yaml(path, root=quiz_folder(folder))
    except FileNotFoundError:
        known = ", ".join(list_quizzes(folder)) or "aucun"
        raise QuizError(shown, [f"{shown} : fichier introuvable. Quiz disponibles : {known}."]) from None
    if problems:
        raise QuizError(shown, [DataError(shown, p.what, line=p.line, field=p.field, case=p.case,
                                          found=p.found).message() for p in problems])
    return parse_quiz(data, shown, expected_id=quiz_id, path=path)


def _text(value) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else None


def _index(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def parse_quiz(data, file="<quiz>", *, expected_id=None, path=None) -> Quiz:
    """Validate decoded YAML as a quiz; raise QuizError listing every problem."""
    problems: list[str] = []

    def problem(what, question=None, field=None):
        inner = ", ".join(x for x in (question and f"question {question}", field and f"champ {field}") if x)
        problems.append(f"{file}{f' ({inner})' if inner else ''} : {what}")

    if not isinstance(data, dict):
        raise QuizError(file, [f"{file} : le fichier doit décrire un quiz (id, title, questions)."])
    qid = data.get("id")
    if not isinstance(qid, str) or not KEBAB.fullmatch(qid):
        problem("identifiant absent ou mal formé (du kebab-case, p. ex. definitions).", field="id")
    elif expected_id is not None and qid != expected_id:
        problem(f"l'identifiant « {qid} » doit être le nom du fichier, « {expected_id} ».", field="id")
    title = _text(data.get("title"))
    if title is None:
        problem("titre absent ou vide.", field="title")
    raw = data.get("questions")
    if not isinstance(raw, list) or not raw:
        problem("il faut une liste non vide de questions.", field="questions")
        raw = []
    questions, seen = [], set()
    for n, item in enumerate(raw, 1):
        if not isinstance(item, dict):
            problem(f"la question n° {n} n'est pas une fiche (clé: valeur).", field="questions")
            continue
        name = item.get("id")
        if not isinstance(name, str) or not KEBAB.fullmatch(name):
            problem("identifiant absent ou mal formé (du kebab-case).", question=f"n° {n}", field="id")
            name = f"n° {n}"
        elif name in seen:
            problem("identifiant en double.", question=name, field="id")
        seen.add(name)
        question = _question(item, name, lambda what, field: problem(what, question=name, field=field))
        if question is not None:
            questions.append(question)
    if problems:
        raise QuizError(file, problems)
    return Quiz(id=qid, title=title, questions=tuple(questions), path=path)


def _question(item, name, problem) -> Question | None:
    kind = item.get("kind")
    if kind not in KINDS:
        problem(f"type de question inconnu « {kind} »; types valides : {', '.join(KINDS)}.", "kind")
        return None
    prompt, explanation = _text(item.get("prompt")), _text(item.get("explanation"))
    if prompt is None:
        problem("énoncé absent ou vide.", "prompt")
    if explanation is None:
        problem("explication absente ou vide (elle est montrée après la vérification).", "explanation")
    if kind == "matching":
        pairs = item.get("pairs")
        good = isinstance(pairs, list) and len(pairs) >= 2 and all(
            isinstance(p, list) and len(p) == 2 and all(_text(x) for x in p) for p in pairs)
        if not good:
            problem("il faut au moins deux paires [gauche, droite] de textes non vides.", "pairs")
            return None
        pairs = tuple((_text(a), _text(b)) for a, b in pairs)
        for side, label in ((0, "gauche"), (1, "droite")):
            items = [p[side] for p in pairs]
            if len(set(items)) != len(items):
                problem(f"un élément de {label} apparaît deux fois.", "pairs")
                return None
        if prompt is None or explanation is None:
            return None
        return Question(id=name, kind=kind, prompt=prompt, explanation=explanation, pairs=pairs)
    choices = item.get("choices")
    if not isinstance(choices, list) or len(choices) < 2 or not all(_text(c) for c in choices):
        problem("il faut au moins deux choix, chacun un texte non vide.", "choices")
        return None
    choices = tuple(_text(c) for c in choices)
    if len(set(choices)) != len(choices):
        twice = next(c for c in choices if choices.count(c) > 1)
        problem(f"deux choix identiques (« {twice} ») : chaque choix doit être distinct.", "choices")
        return None
    answer = item.get("answer")
    valid = f"un indice de 0 à {len(choices) - 1}"
    if kind == "single":
        if not _index(answer) or not 0 <= answer < len(choices):
            problem(f"réponse invalide « {answer} »; attendu : {valid}.", "answer")
            return None
    else:
        if (not isinstance(answer, list) or not answer or not all(_index(a) for a in answer)
                or not all(0 <= a < len(choices) for a in answer) or len(set(answer)) != len(answer)):
            problem(f"réponse invalide « {answer} »; attendu : une liste non vide d'indices "
                    f"distincts, chacun de 0 à {len(choices) - 1}.", "answer")
            return None
        answer = tuple(sorted(answer))
    if prompt is None or explanation is None:
        return None
    return Question(id=name, kind=kind, prompt=prompt, explanation=explanation,
                    choices=choices, answer=answer)


def right_items(question: Question, quiz_id: str = "") -> list[str]:
    """Return the right-hand items of a matching question in a stable shuffled order.

    The order depends only on the quiz and question ids (a string seed is stable across runs),
    and never equals the key's order, so the answer is not given away by position.
    """
    items = [b for _, b in question.pairs]
    shuffled = items[:]
    random.Random(f"{quiz_id}/{question.id}").shuffle(shuffled)
    if shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled


def check(question: Question, response) -> QuizResult:
    """Check a response: an index (single), indexes (multiple), or {left: right} (matching).

    None, an empty selection or an unmatched item counts as wrong. A right answer's feedback
    ends with the question's explanation. A wrong one says only what is wrong in the learner's
    own choices and invites a new try: it never names a choice or a pair of the key that was
    not chosen, nor shows the explanation (which usually gives the key away); `answer_text`
    does that, on request.
    """
    again = "Essayez de nouveau."
    if question.kind == "single":
        ok = response == question.answer
        if ok:
            head = "Bonne réponse."
        elif _index(response) and 0 <= response < len(question.choices):
            head = (f"« {question.choices[response]} » n'est pas la réponse attendue. Relisez "
                    "l'énoncé, puis essayez de nouveau.")
        else:
            head = f"Choisissez une réponse. {again}"
    elif question.kind == "multiple":
        chosen = set(response or ())
        key = set(question.answer)
        ok = chosen == key
        if ok:
            head = "Bonne réponse : vous avez coché tous les bons choix, et seulement eux."
        else:
            lines = ["Pas tout à fait."]
            extra = [question.choices[i] for i in sorted(chosen - key) if 0 <= i < len(question.choices)]
            missing = len(key - chosen)
            if extra:
                lines.append(("Ce choix ne convient pas : " if len(extra) == 1 else
                              "Ces choix ne conviennent pas : ") + "; ".join(extra) + ".")
            if missing:
                lines.append(f"Il manque encore {count_of(missing, 'bonne réponse', 'bonnes réponses')} "
                             "à cocher.")
            lines.append(again)
            head = "\n\n".join(lines)
    else:
        response = dict(response or {})
        wrong = [(a, response[a]) for a, b in question.pairs if response.get(a) and response[a] != b]
        empty = [a for a, _ in question.pairs if not response.get(a)]
        ok = not wrong and not empty
        if ok:
            head = "Bonne réponse : toutes les associations sont justes."
        else:
            right = len(question.pairs) - len(wrong) - len(empty)
            lines = [f"{count_of(right, 'association juste', 'associations justes')} sur "
                     f"{len(question.pairs)}."]
            if wrong:
                lines.append(("Cette association n'est pas juste : " if len(wrong) == 1 else
                              "Ces associations ne sont pas justes : ")
                             + "; ".join(f"{a} → {b}" for a, b in wrong) + ".")
            if empty:
                lines.append("Encore à associer : " + "; ".join(empty) + ".")
            lines.append(again)
            head = "\n\n".join(lines)
    tail = f"\n\n{question.explanation}" if ok else ""
    return QuizResult(question=question.id, correct=ok, feedback=f"{head}{tail}")


def answer_text(question: Question) -> str:
    """Return the key of a question with its explanation (plain text, paragraphs)."""
    if question.kind == "single":
        head = f"Réponse attendue : {question.choices[question.answer]}."
    elif question.kind == "multiple":
        head = "Réponses attendues : " + "; ".join(question.choices[i] for i in question.answer) + "."
    else:
        head = "Associations attendues : " + "; ".join(f"{a} → {b}" for a, b in question.pairs) + "."
    return f"{head}\n\n{question.explanation}"


def stored_response(question: Question, response):
    """Return a response as saved in the store: by text, so a reordered quiz file still restores."""
    if question.kind == "single":
        return question.choices[response]
    if question.kind == "multiple":
        return [question.choices[i] for i in sorted(response)]
    return dict(response)
