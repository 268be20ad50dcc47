"""An explainable suggester: from a French description, propose axes and an approach, with the
phrases of the text that support each one, and say when it hesitates.

The suggestion comes from a small linear model (ockit.linear) over interpretable features
(ockit.features): the weight of the hand-written cues of data/cues.yaml for each code, the
frames of data/frames.yaml (who initiated the action, a conflict or rights frame), and words
whose weights were learned from labelled descriptions (ockit.training). Every feature is tied
to spans of the text, so each code's evidence is the list of phrases whose features push
towards it: the lexicon's cues, shown apart from what was learned from cases.

Every piece of evidence is a verbatim span of the text. This module is named `suggester`, not
`suggest`, so that the submodule never shadows the function `ockit.suggest`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .data import KIT_DATA
from .linear import logit
from .model import APPROACH_CODES, AXIS_CODES, frozen_map
from .text import BOUNDARY, fold, normalize_word, tokens

DATA_DIR = KIT_DATA
CUES_FILE = DATA_DIR / "cues.yaml"
CODES = AXIS_CODES + APPROACH_CODES
# At most this many phrases shown per code and per kind of evidence, and kept per code.
SHOWN = 6
EVIDENCE_MAX = 15


def _percent(p: float) -> str:
    return f"{round(100 * p)} %"


class CueError(ValueError):
    """A problem in data/cues.yaml: names the file, the code and the cue, in French."""


@dataclass(frozen=True)
class Cue:
    """One phrase of the lexicon: its normalized words (a trailing * marks a prefix)."""

    phrase: str
    code: str
    weight: float
    words: tuple[str, ...]


@dataclass(frozen=True)
class Hit:
    """One cue found in a text: where, and how much it weighs."""

    code: str
    cue: str
    span: tuple[int, int]
    text: str
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """What the suggester proposes for a text.

    `axes`: axis codes, best first, each with evidence (empty when the text holds none);
    `scores`: code -> probability (each axis on its own; the four approaches sum to 1);
    `approach`: the most probable approach; `evidence`: code -> the phrases of the text that
    push towards it, strongest first (at most EVIDENCE_MAX), each a verbatim substring of the
    text; `learned`: the
    part of `evidence` that comes from what was learned from cases rather than from the
    lexicon; `hesitations`: where the suggester is unsure, with what would decide.
    """

    axes: tuple[str, ...]
    scores: Mapping[str, float]
    approach: str | None
    evidence: Mapping[str, tuple[str, ...]]
    text: str = field(default="", repr=False)
    learned: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)
    hesitations: tuple = ()
    threshold: float = 0.5
    # code -> {frame of data/frames.yaml: the phrases of `evidence` that revealed it}
    frames: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict, repr=False)
    # How often the labelled cases give exactly these axes together, for a text like this one
    # (the learned combinations head), or None when the axes were decided one by one.
    combination: float | None = None
    # The axes the threshold alone would give (each axis on its own): where they differ from
    # `axes`, the learned combinations decided, and explain() says so.
    alone: tuple[str, ...] | None = None

    @property
    def hesitant(self) -> bool:
        """True when the suggester says it hesitates on the approach or on an axis."""
        return bool(self.hesitations)

    def explain(self, course=None) -> str:
        """Return the suggestion as French text: axes, approach, evidence and hesitations.

        Lexicon cues and words learned from the cases are listed apart. `course` gives the
        French labels (default: ockit.load()).
        """
        if course is None:
            from .data import load

            course = load()
        if not self.axes:
            return ("Aucun indice trouvé dans ce texte : décrivez ce que l'OC fait, avec qui, sur "
                    "quel territoire et dans quel but, puis réessayez.")
        lines = ["Axes suggérés, du plus au moins probable (chaque axe est jugé à part : les probabilités ne "
                 "s'additionnent pas) :"]
        for code in self.axes:
            lines.append(f"  {code}  {course.axes[code].label} (probabilité {_percent(self.scores[code])})")
            lines.extend(self._evidence_lines(code))
        lines.extend(self._combination_lines(course))
        lines.append("")
        if self.approach:
            lines.append(f"Approche suggérée : {course.approaches[self.approach].label} ({self.approach}, "
                         f"probabilité {_percent(self.scores[self.approach])})")
            lines.extend(self._evidence_lines(self.approach) or
                         ["        indices : aucun indice propre; approche la plus fréquente des cas appris"])
        for h in self.hesitations:
            lines.append("")
            if h.kind == "approach":
                a, b = h.codes
                lines.append(f"L'outil de suggestion hésite entre {course.approaches[a].label} ({a}, "
                             f"{_percent(h.probabilities[0])}) et {course.approaches[b].label} "
                             f"({b}, {_percent(h.probabilities[1])}).")
            else:
                (a,) = h.codes
                verdict = "retenu de justesse" if a in self.axes else "écarté de justesse"
                lines.append(f"L'outil de suggestion hésite sur l'axe {a} ({course.axes[a].label}, "
                             f"{_percent(h.probabilities[0])}; seuil {_percent(self.threshold)}) : {verdict}.")
            if h.decides:
                lines.append("        pour trancher : " + h.decides)
        lines.append("")
        lines.append("Une suggestion n'est pas une réponse : vérifiez-la avec les définitions des axes "
                     "et des approches.")
        return "\n".join(lines)

    def _combination_lines(self, course) -> list[str]:
        """What the learned combinations changed, against each axis alone at the threshold."""
        if self.alone is None or self.combination is None or set(self.alone) == set(self.axes):
            return []
        t = _percent(self.threshold)
        lines = [f"  Combinaison d'axes : dans les exemples classés qui ressemblent à ce texte, {' + '.join(self.axes)} a une "
                 f"probabilité de {_percent(self.combination)}."]
        for code in self.axes:
            if code not in self.alone:
                lines.append(f"        {code} est retenu à {_percent(self.scores[code])}, sous le seuil de {t}, "
                             "car ces cas le donnent souvent avec les autres axes retenus.")
        for code in self.alone:
            if code not in self.axes:
                lines.append(f"        {code} ({course.axes[code].label}, {_percent(self.scores[code])}) est écarté "
                             f"bien qu'au-dessus du seuil de {t}, car ces cas le donnent rarement avec les "
                             "axes retenus.")
        return lines

    def _evidence_lines(self, code) -> list[str]:
        from .features import load_frames

        labels = load_frames()[1]
        framed = self.frames.get(code, {})
        learned = set(self.learned.get(code, ()))
        in_frames = {p for ps in framed.values() for p in ps}
        cues = [e for e in self.evidence.get(code, ()) if e not in learned and e not in in_frames][:SHOWN]
        words = [e for e in self.evidence.get(code, ()) if e in learned and e not in in_frames][:SHOWN]
        quoted = lambda phrases: " · ".join(f"« {' '.join(e.split())} »" for e in phrases)  # noqa: E731
        lines = []
        if cues:
            lines.append("        indices : " + quoted(cues))
        for frame, phrases in framed.items():
            lines.append(f"        cadre : {labels.get(frame, frame)} ({quoted(phrases[:SHOWN])})")
        if words:
            lines.append("        mots appris des exemples classés : " + quoted(words))
        return lines

    @property
    def approach_is_default(self) -> bool:
        """True when nothing in the text supports `approach`: it comes from the prior alone."""
        return self.approach is not None and not self.evidence.get(self.approach)

    @property
    def approach_basis(self) -> str | None:
        """"cues", "learned", "default" or None: what the approach rests on (see `to_dict`)."""
        if self.approach is None:
            return None
        if self.approach_is_default:
            return "default"
        said = set(self.evidence.get(self.approach, ())) - set(self.learned.get(self.approach, ()))
        return "cues" if said or self.frames.get(self.approach) else "learned"

    def to_dict(self) -> dict:
        """Return the suggestion as JSON-ready data (the `ockit suggest --json` contract).

        `approach_basis` says why the approach was chosen: "cues" (lexicon cues or a frame of
        the text support it, see its evidence), "learned" (only words learned from the labelled
        cases), "default" (nothing in the text: the most frequent approach) or null (no approach).
        `scores` are probabilities; `hesitations` lists where the suggester is unsure.
        """
        return {
            "axes": list(self.axes),
            "approach": self.approach,
            "approach_basis": self.approach_basis,
            "scores": {c: round(s, 3) for c, s in self.scores.items()},
            "axis_threshold": self.threshold,
            "combination": None if self.combination is None else round(self.combination, 3),
            "axes_alone": None if self.alone is None else list(self.alone),
            "evidence": {c: list(v) for c, v in self.evidence.items()},
            "learned_evidence": {c: list(v) for c, v in self.learned.items()},
            "frame_evidence": {c: {f: list(p) for f, p in v.items()} for c, v in self.frames.items()},
            "hesitant": self.hesitant,
            "hesitations": [h.to_dict() for h in self.hesitations],
        }


class Lexicon:
    """The cue lexicon, indexed for a single left-to-right pass over a text's tokens."""

    def __init__(self, cues: Iterable[Cue]):
        # Two spellings of one cue (élus, élu·es) normalize alike: keep one, the heavier.
        unique: dict[tuple[str, tuple[str, ...]], Cue] = {}
        for cue in cues:
            key = (cue.code, cue.words)
            if key not in unique or unique[key].weight < cue.weight:
                unique[key] = cue
        self.cues = tuple(unique.values())
        # Index by first word: exact stems in a dict, prefixes by their first three letters.
        self._exact: dict[str, list[Cue]] = {}
        self._prefix: dict[str, list[Cue]] = {}
        for cue in self.cues:
            first = cue.words[0]
            if first.endswith("*"):
                self._prefix.setdefault(first[:3], []).append(cue)
            else:
                self._exact.setdefault(first, []).append(cue)

    @classmethod
    def from_yaml(cls, path: Path | str = CUES_FILE) -> "Lexicon":
        """Read a lexicon file (format in its header comment). Raises CueError if malformed."""
        import yaml

        path = Path(path)
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        cues = []
        for section, codes in (("axes", AXIS_CODES), ("approaches", APPROACH_CODES)):
            block = data.get(section) or {}
            for code, phrases in block.items():
                if code not in codes:
                    raise CueError(f"{path} (section {section}) : code inconnu « {code} ». "
                                   f"Codes valides : {', '.join(codes)}.")
                for phrase, weight in (phrases or {}).items():
                    cues.append(make_cue(path, code, str(phrase), weight))
        return cls(cues)

    def hits(self, toks) -> list[Hit]:
        """Return every cue occurrence in a token list (from ockit.text.tokens)."""
        found = []
        n = len(toks)
        for i, tok in enumerate(toks):
            if tok.stem == BOUNDARY:
                continue
            for cue in self._exact.get(tok.stem, []) + self._prefix.get(tok.plain[:3], []):
                k = len(cue.words)
                if i + k > n:
                    continue
                if all(_word_matches(w, toks[i + j]) for j, w in enumerate(cue.words)):
                    found.append(Hit(cue.code, cue.phrase, (tok.start, toks[i + k - 1].end),
                                     "", cue.weight))
        return found


def make_cue(path, code, phrase, weight) -> Cue:
    if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not 0 < weight <= 5:
        raise CueError(f"{path} ({code}, « {phrase} ») : poids invalide {weight!r}. "
                       "Attendu : un nombre entre 1 et 3 (au plus 5).")
    words = []
    for tok in tokens(phrase):
        if tok.stem == BOUNDARY:
            continue
        raw = phrase[tok.start:tok.end]
        if phrase[tok.end:tok.end + 1] == "*":
            prefix = fold(raw)
            if len(prefix) < 3:
                raise CueError(f"{path} ({code}, « {phrase} ») : un préfixe doit avoir au moins "
                               "trois lettres avant l'astérisque.")
            words.append(prefix + "*")
        else:
            words.append(normalize_word(raw))
    if not words:
        raise CueError(f"{path} ({code}, « {phrase} ») : l'expression ne contient que des petits "
                       "mots ignorés (de, la, les...). Ajoutez un mot porteur de sens.")
    return Cue(phrase, code, float(weight), tuple(words))


def _word_matches(word: str, tok) -> bool:
    if tok.stem == BOUNDARY:
        return False
    if word.endswith("*"):
        return tok.plain.startswith(word[:-1])
    return tok.stem == word


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Return the lexicon of `path` (default data/cues.yaml), read once and cached."""
    return Lexicon.from_yaml(path or CUES_FILE)


def case_text(case) -> str:
    """The text of a case that the suggester reads: its summary (what a learner reads)."""
    return case.summary


class Suggester:
    """A trained model plus the lexicons it reads; `suggest(text)` is pure and fast."""

    def __init__(self, model, lexicon: Lexicon | None = None, frames=None):
        from .features import load_frames

        self.model = model
        self.lexicon = lexicon or load_lexicon()
        self.frames = frames if frames is not None else load_frames()[0]

    @classmethod
    def trained(cls, examples, *, lexicon: Lexicon | None = None, frames=None, settings=None) -> "Suggester":
        """Return a suggester trained on `examples` (ockit.training.Example) only."""
        from .features import load_frames
        from .training import train

        lexicon = lexicon or load_lexicon()
        frames = frames if frames is not None else load_frames()[0]
        return cls(train(list(examples), lexicon, frames, settings), lexicon, frames)

    def suggest(self, text: str) -> Suggestion:
        """Return the suggestion for a French text (see Suggestion for the fields)."""
        from .features import extract_uncached
        from .hesitation import detect
        from .training import combination_name

        feats = extract_uncached(text, self.lexicon, self.frames)
        model = self.model
        probs = dict(model.axes.probabilities(feats.values))
        probs.update(model.approach.probabilities(feats.values))
        evidence, learned, framed = {}, {}, {}
        keys: dict = {}  # span -> (phrase, folded phrase), shared by the eight codes
        pushes = model.axes.all_contributions(feats.values)
        pushes.update(model.approach.all_contributions(feats.values))
        for code in CODES:
            ev, lrn, frm = self._evidence(text, feats, pushes[code], code, keys)
            if ev:
                evidence[code] = ev
            if lrn:
                learned[code] = lrn
            if frm:
                framed[code] = frozen_map(frm)
        threshold = model.settings.axis_threshold
        combos = model.combinations.probabilities(feats.values) if model.combinations else {}
        with_evidence = [c for c in AXIS_CODES if c in evidence]
        axes, margins = decide_axes(probs, with_evidence, combos, model.settings)
        approach = max(APPROACH_CODES, key=lambda c: (probs[c], -APPROACH_CODES.index(c)))
        hesitations = detect(probs, threshold, axis_margins=margins) if axes else ()
        combination = combos.get(combination_name(axes)) if axes and combos else None
        alone = choose_axes(probs, with_evidence, {}, model.settings) if combos else None
        return Suggestion(tuple(axes), frozen_map(probs), approach, frozen_map(evidence), text,
                          frozen_map(learned), hesitations, threshold, frozen_map(framed), combination,
                          alone)

    @staticmethod
    def _evidence(text, feats, contributions, code, keys):
        """Phrases behind the features that push towards `code`, strongest first.

        Returns (all phrases, learned phrases, {frame: phrases}). A code's own lexicon cues
        are the lexicon's evidence; frames (data/frames.yaml) are listed by frame; words, and
        other codes' cues whose pull towards `code` was learned, are the learned evidence.
        """

        def phrase_of(span):
            got = keys.get(span)
            if got is None:
                phrase = text[span[0]:span[1]]
                got = keys[span] = (phrase, " ".join(phrase.lower().split()))
            return got

        seen, shown, learned, frames = set(), [], [], {}
        own = {phrase_of(sp)[1] for sp in feats.spans.get("lex:" + code, ())}
        for name, c in sorted(contributions.items(), key=lambda p: -p[1]):
            if c <= 0 or len(shown) >= EVIDENCE_MAX:
                break
            is_frame = name.startswith("frame:")
            for span in feats.spans.get(name, ()):
                phrase, key = phrase_of(span)
                if is_frame:  # a frame lists each phrase once, however often the text repeats it
                    listed = frames.setdefault(name[len("frame:"):], [])
                    if phrase not in listed:
                        listed.append(phrase)
                if key in seen:
                    continue
                seen.add(key)
                shown.append(phrase)
                if not is_frame and key not in own:
                    learned.append(phrase)
        return tuple(shown), tuple(learned), {k: tuple(v) for k, v in frames.items()}


def choose_axes(probs: Mapping[str, float], with_evidence: Sequence[str],
                combinations: Mapping[str, float], settings) -> tuple[str, ...]:
    """The axes to propose, most probable first, among those with evidence in the text.

    Each axis has its own probability p; on its own it is kept when p reaches the threshold t.
    The labelled cases also teach which axes go together for a text like this one (the
    combinations head: a probability q for each set of axes they show; a set they never show
    counts as the rarest they do). The chosen set S maximizes
        sum over c in S of [logit(p_c) - logit(t)]  +  w * log q(S)
    over the non-empty sets of at most `max_axes` axes with evidence. With w = 0 (or no
    combinations) this is the threshold rule alone. At least one axis with evidence is kept.
    """
    return _best(_scored_sets(probs, with_evidence, combinations, settings), probs)


def axis_margins(probs: Mapping[str, float], with_evidence: Sequence[str],
                 combinations: Mapping[str, float], settings) -> dict[str, float]:
    """For each axis with evidence, how far the decision is from flipping, in log-odds: the
    best score of a set that holds the axis minus the best score of a set without it (see
    choose_axes). Positive: kept; near zero: a close call (ockit.hesitation.detect)."""
    return _margins(_scored_sets(probs, with_evidence, combinations, settings))


def decide_axes(probs: Mapping[str, float], with_evidence: Sequence[str],
                combinations: Mapping[str, float], settings) -> tuple[tuple[str, ...], dict[str, float]]:
    """choose_axes and axis_margins together, the candidate sets scored once."""
    scored = _scored_sets(probs, with_evidence, combinations, settings)
    return _best(scored, probs), _margins(scored)


def _best(scored, probs) -> tuple[str, ...]:
    if not scored:
        return ()
    # On a tie the larger set wins: an axis exactly at the threshold is kept.
    best = max(scored, key=lambda pair: (pair[1], len(pair[0])))[0]
    return tuple(c for c in sorted(best, key=lambda c: (-probs[c], AXIS_CODES.index(c))))


def _margins(scored) -> dict[str, float]:
    out = {}
    for code in {c for chosen, _ in scored for c in chosen}:
        inside = max(v for chosen, v in scored if code in chosen)
        outside = max((v for chosen, v in scored if code not in chosen), default=-math.inf)
        out[code] = inside - outside
    return out


def _scored_sets(probs, with_evidence, combinations, settings) -> list[tuple[frozenset, float]]:
    allowed = [c for c in AXIS_CODES if c in set(with_evidence)]
    t, w, most = settings.axis_threshold, settings.combination_weight, settings.max_axes
    gain = {c: _gain(probs[c], t) for c in allowed}
    learned = w > 0 and bool(combinations)
    rarest = min(combinations.values()) if learned else 1.0
    out = []
    for k in range(1, min(most, len(allowed)) + 1):
        for chosen in itertools.combinations(allowed, k):  # in AXIS_CODES order, as the names
            score = sum(gain[c] for c in chosen)
            if learned:
                q = combinations.get("+".join(chosen), rarest)
                score += w * math.log(max(q, 1e-12))
            out.append((frozenset(chosen), score))
    return out


def _gain(p: float, t: float) -> float:
    """logit(p) - logit(t), with its sign kept where rounding would give 0 (p just under t)."""
    g = logit(p) - logit(t)
    return min(g, -1e-12) if p < t else max(g, 0.0)


_TRAINED: dict[int, tuple[object, Suggester]] = {}


def default_suggester(course=None) -> Suggester:
    """Return the suggester for `course` (default: the kit's), built once per course.

    The stored model (data/model/suggester.json) is used when it was trained on exactly the
    course's cases and data/training/; otherwise (local cases added, or a stale file) the
    model is trained now, on the same data.
    """
    from .features import load_frames
    from .training import Settings, fingerprint, lexicon_files, load_model, train, training_examples

    if course is None:
        from .data import load

        course = load()
    # Course holds mappings and is not hashable: cache by identity, keeping the course alive
    # so that its id cannot be reused by another object.
    cached = _TRAINED.get(id(course))
    if cached is None or cached[0] is not course:
        examples = training_examples(course)
        stored = load_model()
        settings = Settings()
        if stored is None or stored.fingerprint != fingerprint(examples, settings, lexicon_files()):
            stored = train(examples, load_lexicon(), load_frames()[0], settings, lexicon_files())
        cached = (course, Suggester(stored))
        _TRAINED[id(course)] = cached
    return cached[1]


def suggest(text: str, *, course=None) -> Suggestion:
    """Suggest axes and an approach for a French description of an OC intervention.

    Args:
        text: the description, in French.
        course: a loaded Course whose cases (with data/training/) train the model (default:
            the kit's; its stored model is used).

    Returns:
        A Suggestion: `axes` best first, `scores` (probabilities), `approach`, `evidence`
        (code -> phrases of the text), `learned` and `hesitations`. Every suggested axis has
        at least one piece of evidence.
    """
    if not isinstance(text, str):
        raise TypeError(f"suggest() attend un texte (str), pas {type(text).__name__}.")
    return default_suggester(course).suggest(text)
