"""The faces a learner touches, one module per widget family.

- `case`: classify one case (`ExerciseState`, `CaseExercise`);
- `workshop`: a series of cases (`select_cases`, `Workshop`);
- `quiz`: the quizzes (`QuizWidget`, `QuestionBlock`); their data side is `ockit.quizdata`;
- `export`: the hand-in button (`ExportPanel`);
- `suggest`: the suggestion tool on a description the learner can edit (`SuggestionPanel`);
- `common`: escaping, status lines and guarded handlers shared by all of them.

ipywidgets is imported only inside the widgets' constructors, so importing this package is light.
"""

from .case import DONT_KNOW, CaseExercise, ExerciseState
from .common import error_html, esc, guarded, paragraphs, save_status, warning_html
from .export import ExportPanel, slug
from .quiz import QuestionBlock, QuizWidget
from .suggest import SuggestionPanel
from .workshop import Workshop, select_cases

__all__ = ["DONT_KNOW", "CaseExercise", "ExerciseState", "ExportPanel", "QuestionBlock",
           "QuizWidget", "SuggestionPanel", "Workshop", "error_html", "esc", "guarded", "paragraphs", "save_status",
           "select_cases", "slug", "warning_html"]
