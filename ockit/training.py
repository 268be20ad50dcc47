"""What the suggester learns from, and how: labelled examples, the model, its file.

Training examples are the kit's cases (their summaries) and the training sets of
data/training/ (descriptions written outside the kit, see data/training/README.md). Nothing
here ever reads data/evaluation/: the held-out sets stay apart from everything learned.

The trained model lives in data/model/suggester.json with a fingerprint of what it was trained
on; `tools/train_suggester.py` rewrites it, and a test checks that it is current.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .features import FRAMES_FILE, extract, load_frames
from .linear import Design, Head, fit_head
from .data import KIT_DATA  # the kit's data/, also when installed from a wheel
from .model import APPROACH_CODES, AXIS_CODES

DATA_DIR = KIT_DATA
TRAINING_DIR = DATA_DIR / "training"
MODEL_FILE = DATA_DIR / "model" / "suggester.json"
MODEL_FORMAT = "ockit-suggester-model/2"

# Decision settings, chosen by cross-writer validation (tools/cross_writer.py: each training set
# predicted by a model trained on the others), never on one case and never on data/evaluation/.
AXIS_THRESHOLD = 0.45
MAX_AXES = 3
WORD_MIN_DF = 2  # a word must occur in this many training texts to get a weight
# L2 penalty per feature family and head (see ockit.linear.PENALTY).
AXIS_PENALTY = {"lex:": 0.02, "rel:": 0.02, "frame:": 0.2, "w:": 0.01}
APPROACH_PENALTY = {"lex:": 0.1, "frame:": 0.05, "w:": 0.02}
APPROACH_TEMPERATURE = 0.4
# How much the learned combination of axes (which axes the labelled cases give together, for a
# text like this one) counts beside each axis's own probability when choosing the set of axes
# (0: each axis decided alone against the threshold). See ockit.suggester.choose_axes.
COMBINATION_WEIGHT = 0.5
COMBINATION_PENALTY = {"lex:": 0.02, "rel:": 0.02, "frame:": 0.2, "w:": 0.01}


# The labellers whose own readings a set may keep beside its key (tools/adjudicate_labels.py).
LABELLERS = ("writer", "annotator_1", "annotator_2")


class TrainingDataError(ValueError):
    """A malformed training file: names the file, the case and the field, in French."""


@dataclass(frozen=True)
class Example:
    """One labelled description: what a model learns from or is measured on."""

    id: str
    text: str
    axes: tuple[str, ...]
    approach: str | None
    origin: str = "kit"
    extra_text: str = field(default="", repr=False)  # rationales, for baselines that read them
    # Each labeller's own reading, when the set keeps it (tools/adjudicate_labels.py writes
    # "writer", "annotator_1" and "annotator_2" beside the key): labeller -> (axes, approach).
    # Never learned; ockit.evaluation.labeller_agreement compares the suggester with each.
    votes: Mapping[str, tuple[tuple[str, ...], str | None]] = field(default_factory=dict, repr=False,
                                                                     compare=False)


def kit_examples(course) -> list[Example]:
    """The course's cases as examples (summary as text; rationales kept as extra text)."""
    out = []
    for c in course.cases.values():
        extra = " ".join(list(c.rationale.values()) + ([c.approach.why] if c.approach.why else []))
        out.append(Example(c.id, c.summary, tuple(c.rationale), c.approach.dominant, "kit", extra))
    return out


def read_examples(path: Path, origin: str) -> list[Example]:
    """Read a YAML list of labelled descriptions (the format of data/training/*.yaml).

    Each item: id, description (or text), label (or key): {axes: [codes], approach: code or
    null, why: text}, and, when the set keeps them, each labeller's own reading (writer,
    annotator_1, annotator_2: {axes, approach}). Raises TrainingDataError naming the file, the
    case and the field.
    """
    from .safeyaml import load_yaml_or_raise

    path = Path(path)
    # Read as untrusted, like every YAML from outside (a held-out set is often someone else's
    # file): bounded size, UTF-8, no alias bomb, no deep nesting, no duplicate key.
    data = load_yaml_or_raise(path, TrainingDataError)
    items = data.get("cases") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise TrainingDataError(f"{path} : attendu une liste de cas (ou une clé « cases »).")
    out = []
    for i, item in enumerate(items):
        where = f"{path} (cas {item.get('id', i + 1) if isinstance(item, dict) else i + 1}"
        if not isinstance(item, dict):
            raise TrainingDataError(f"{where}) : attendu un dictionnaire.")
        text = item.get("description") or item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise TrainingDataError(f"{where}, champ description) : texte manquant.")
        key_field = "label" if "label" in item or "key" not in item else "key"
        label = item.get(key_field) or {}
        axes, approach = _reading(label, where, key_field)
        why = label.get("why") or ""
        votes = {name: _reading(item[name], where, name) for name in LABELLERS if name in item}
        out.append(Example(str(item.get("id", i + 1)), text, axes, approach, origin,
                           why if isinstance(why, str) else "", votes))
    return out


def _reading(label, where: str, name: str) -> tuple[tuple[str, ...], str | None]:
    """The (axes, approach) of one label block, checked; `name` is its field in the file."""
    if not isinstance(label, dict):
        raise TrainingDataError(f"{where}, champ {name}) : attendu axes et approach.")
    axes = label.get("axes")
    if isinstance(axes, dict):
        axes = list(axes)
    if isinstance(axes, str):
        axes = [axes]
    if not isinstance(axes, list) or not axes or any(a not in AXIS_CODES for a in axes):
        raise TrainingDataError(f"{where}, champ {name}.axes) : attendu des codes parmi "
                                f"{', '.join(AXIS_CODES)}, trouvé {axes!r}.")
    approach = label.get("approach")
    if isinstance(approach, dict):
        approach = approach.get("dominant")
    if approach is not None and approach not in APPROACH_CODES:
        raise TrainingDataError(f"{where}, champ {name}.approach) : attendu un code parmi "
                                f"{', '.join(APPROACH_CODES)}, trouvé {approach!r}.")
    return tuple(axes), approach


def training_files(folder: Path | None = None) -> list[Path]:
    """The training sets of `folder` (default data/training/*.yaml), in name order."""
    folder = Path(folder or TRAINING_DIR)
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []


def training_examples(course=None, folder: Path | None = None) -> list[Example]:
    """Everything the default suggester learns from: the course's cases, then data/training/."""
    if course is None:
        from .data import load

        course = load()
    out = kit_examples(course)
    for path in training_files(folder):
        out.extend(read_examples(path, path.stem))
    return out


@dataclass(frozen=True)
class Settings:
    """Everything that shapes training, recorded in the model file."""

    penalty: Mapping[str, float] = field(default_factory=lambda: dict(AXIS_PENALTY))
    approach_penalty: Mapping[str, float] = field(default_factory=lambda: dict(APPROACH_PENALTY))
    # How much one example of each origin counts (kit cases, or a training set by its file name).
    origin_weight: Mapping[str, float] = field(default_factory=dict)
    # Weight of each example's rationale text (why the key says so) as an extra approach example.
    rationale_weight: float = 0.0
    # The regularized softmax is under-confident: its logits are divided by this temperature,
    # chosen by cross-validation to minimize the log loss of out-of-fold predictions.
    approach_temperature: float = APPROACH_TEMPERATURE
    word_min_df: int = WORD_MIN_DF
    axis_threshold: float = AXIS_THRESHOLD
    max_axes: int = MAX_AXES
    iterations: int = 400
    combination_weight: float = COMBINATION_WEIGHT
    combination_penalty: Mapping[str, float] = field(default_factory=lambda: dict(COMBINATION_PENALTY))

    def to_dict(self) -> dict:
        return {"penalty": dict(self.penalty), "approach_penalty": dict(self.approach_penalty),
                "origin_weight": dict(self.origin_weight), "rationale_weight": self.rationale_weight,
                "approach_temperature": self.approach_temperature,
                "word_min_df": self.word_min_df,
                "axis_threshold": self.axis_threshold, "max_axes": self.max_axes,
                "iterations": self.iterations, "combination_weight": self.combination_weight,
                "combination_penalty": dict(self.combination_penalty)}


@dataclass(frozen=True)
class TrainedModel:
    """The heads, the decision settings and the fingerprint of the training data.

    `axes`: one probability per axis; `approach`: a softmax over the four approaches;
    `combinations`: a softmax over the sets of axes the labelled cases show (outputs named
    like "DEV+DSS", codes in AXIS_CODES order), or None (each axis then decided alone).
    """

    axes: Head
    approach: Head
    settings: Settings
    fingerprint: str
    counts: Mapping[str, int]
    combinations: Head | None = None

    def to_dict(self) -> dict:
        return {"format": MODEL_FORMAT, "fingerprint": self.fingerprint, "trained_on": dict(self.counts),
                "settings": self.settings.to_dict(), "axes": self.axes.to_dict(),
                "approach": self.approach.to_dict(),
                "combinations": self.combinations.to_dict() if self.combinations else None}

    @classmethod
    def from_dict(cls, d) -> "TrainedModel":
        s = d["settings"]
        combos = d.get("combinations")
        return cls(Head.from_dict(d["axes"]), Head.from_dict(d["approach"]),
                   Settings(s["penalty"], s["approach_penalty"], s["origin_weight"], s["rationale_weight"],
                            s["approach_temperature"], s["word_min_df"],
                            s["axis_threshold"], s["max_axes"], s["iterations"],
                            s["combination_weight"], s["combination_penalty"]),
                   d["fingerprint"], d.get("trained_on", {}),
                   Head.from_dict(combos) if combos else None)


def fingerprint(examples: Iterable[Example], settings: Settings, lexicon_files: Sequence[Path]) -> str:
    """A digest of the examples, the settings and the lexicon files: equal means same model."""
    h = hashlib.sha256()
    for e in sorted(examples, key=lambda e: (e.origin, e.id)):
        h.update(json.dumps([e.origin, e.id, e.text, list(e.axes), e.approach]).encode())
    h.update(json.dumps(settings.to_dict(), sort_keys=True).encode())
    for path in lexicon_files:
        h.update(Path(path).read_bytes())
    return h.hexdigest()


def train(examples: Sequence[Example], lexicon, frames, settings: Settings | None = None,
          lexicon_files: Sequence[Path] = ()) -> TrainedModel:
    """Fit the axis head and the approach head on `examples` (and nothing else)."""
    settings = settings or Settings()
    rows = [extract(e.text, lexicon, frames).values for e in examples]
    df: dict[str, int] = {}
    for row in rows:
        for name in row:
            df[name] = df.get(name, 0) + 1
    features = sorted(n for n, k in df.items() if not n.startswith("w:") or k >= settings.word_min_df)
    weight = [settings.origin_weight.get(e.origin, 1.0) for e in examples]
    # The axes and the combinations learn from the same rows: their sparse matrix and its
    # largest eigenvalue are computed once.
    design = Design(rows, features, weight)
    axes = fit_head("binary", AXIS_CODES, None, [set(e.axes) for e in examples], features,
                    settings.penalty, settings.iterations, design=design)
    labelled = [(r, e.approach, w) for r, e, w in zip(rows, examples, weight) if e.approach]
    if settings.rationale_weight > 0:
        labelled += [(extract(e.extra_text, lexicon, frames).values, e.approach, w * settings.rationale_weight)
                     for e, w in zip(examples, weight) if e.approach and e.extra_text]
    approach = fit_head("softmax", APPROACH_CODES, [r for r, _, _ in labelled], [a for _, a, _ in labelled],
                        features, settings.approach_penalty, settings.iterations, [w for _, _, w in labelled])
    approach = replace(approach, temperature=settings.approach_temperature)
    combinations = None
    if settings.combination_weight > 0:
        targets = [combination_name(e.axes) for e in examples]
        outputs = sorted(set(targets), key=lambda n: (n.count("+"), n))
        if len(outputs) > 1:
            combinations = fit_head("softmax", outputs, None, targets, features,
                                    settings.combination_penalty, settings.iterations, design=design)
    counts: dict[str, int] = {}
    for e in examples:
        counts[e.origin] = counts.get(e.origin, 0) + 1
    fp = fingerprint(examples, settings, lexicon_files) if lexicon_files else ""
    return TrainedModel(axes, approach, settings, fp, counts, combinations)


def combination_name(axes: Iterable[str]) -> str:
    """The name of a set of axes as an output of the combinations head: "DEV+DSS"."""
    chosen = set(axes)
    return "+".join(c for c in AXIS_CODES if c in chosen)


def lexicon_files() -> tuple[Path, Path]:
    from .suggester import CUES_FILE

    return (CUES_FILE, FRAMES_FILE)


def load_model(path: Path | None = None) -> TrainedModel | None:
    """Read the stored model (default data/model/suggester.json), or None when there is none."""
    path = Path(path or MODEL_FILE)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != MODEL_FORMAT:
        return None
    try:
        return TrainedModel.from_dict(data)
    except (KeyError, TypeError, ValueError):
        return None  # an older layout: treated as stale, retrained


def save_model(model: TrainedModel, path: Path | None = None) -> None:
    """Write `model` as JSON (default data/model/suggester.json)."""
    path = Path(path or MODEL_FILE)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(model.to_dict(), ensure_ascii=False, indent=0, sort_keys=False) + "\n",
                    encoding="utf-8")


def build_default(course=None, settings: Settings | None = None):
    """Train on `course`'s cases plus data/training/, with the kit's lexicon and frames."""
    from .suggester import load_lexicon

    examples = training_examples(course)
    frames, _ = load_frames()
    return train(examples, load_lexicon(), frames, settings, lexicon_files())
