"""The quizzes as the notebooks know them: `from ockit.quiz import QuizWidget` keeps working.

The data side (parsing, validation, checking) lives in `ockit.quizdata`; the widget in
`ockit.widgets.quiz`. This module only gathers their public names for the lessons.
"""

from .quizdata import (KINDS, Question, Quiz, QuizError, QuizResult, answer_text, check, list_quizzes,
                       load_quiz, parse_quiz, quiz_folder, right_items, stored_response)
from .widgets.quiz import QuestionBlock, QuizWidget

__all__ = ["KINDS", "Question", "QuestionBlock", "Quiz", "QuizError", "QuizResult", "QuizWidget", "answer_text",
           "check", "list_quizzes", "load_quiz", "parse_quiz", "quiz_folder", "right_items", "stored_response"]
