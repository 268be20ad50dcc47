"""An explainable suggester: from a French description, propose axes and an approach, with the
phrases of the text that support each one.

Two sources of evidence are added up per code:

1. the cue lexicon of data/cues.yaml (hand-written, weighted practitioner vocabulary, matched on
   normalized word sequences, see ockit.text);
2. optionally, word weights learned from the course's cases (a smoothed log-odds of each word
   appearing in cases with the code versus without it). They count only for words present in
   the text, and each one that counts is shown as evidence, so nothing is hidden.

Every piece of evidence is a verbatim span of the text. This module is named `suggester`, not
`suggest`, so that the submodule never shadows the function `ockit.suggest`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping

from .data import KIT_DATA
from .model import APPROACH_CODES, AXIS_CODES, frozen_map
from .text import BOUNDARY, fold, normalize_word, stem, tokens

DATA_DIR = KIT_DATA
CUES_FILE = DATA_DIR / "cues.yaml"
# Files whose French text (definitions, indices, cue phrases) is the domain vocabulary: the
# learned part only weighs words found there, so that place names, publishers and filler words
# that happen to recur in the course's cases (Sherbrooke, reportage, parmi) are never learned.
DOMAIN_FILES = (DATA_DIR / "axes.yaml", DATA_DIR / "approaches.yaml", CUES_FILE)
CODES = AXIS_CODES + APPROACH_CODES

# Decision constants, chosen by leave-one-out on the whole corpus (`ockit evaluate`), never
# on a single case. An axis is kept when its score reaches RATIO of the top axis's score.
RATIO = 0.4
# How much one repeated occurrence of a cue adds (a cue found three times is not three cues).
REPEAT_BONUS = 0.25
MAX_REPEATS = 2
# At most this many axes (None: no cap). Cases rarely need more than two axes.
MAX_AXES = 2
# Weight of the i-th strongest cue of a code is multiplied by DECAY ** i.
DECAY = 0.85
# Scale of the learned word weights relative to lexicon weights (0 disables them), and how
# many learned words per code may count: only the strongest, so one long text cannot pile up
# small weights.
LEARNED_SCALE = 0.25
LEARNED_TOP = 6
# Codes that get learned weights: the axes only. With a dozen cases per approach, learned
# approach words were mostly noise (collectif, transport, résidant) and lowered leave-one-out
# approach accuracy (0.904 without them, 0.865 with); approaches rest on the lexicon alone.
LEARNED_CODES = AXIS_CODES
LEARNED_MIN_DF = 3  # a word must appear in at least this many cases with the code
LEARNED_MIN_WEIGHT = 1.0  # log-odds: the word is at least e times likelier with the code
LEARNED_MIN_LEN = 5  # shorter stems are mostly function words (peut, tel, sans, mois)


def _decimal(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


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
    """One cue (or learned word) found in a text: where, and how much it weighs."""

    code: str
    cue: str
    span: tuple[int, int]
    text: str
    weight: float


@dataclass(frozen=True)
class Suggestion:
    """What the suggester proposes for a text.

    `axes`: axis codes, best first (empty only when the text holds no cue at all);
    `scores`: code -> score for the four axes and the four approaches;
    `approach`: the approach code with the highest score (the corpus's most frequent one when
    no approach cue is found); `evidence`: code -> the phrases of the text that support it,
    strongest first, each a verbatim substring of the text.
    """

    axes: tuple[str, ...]
    scores: Mapping[str, float]
    approach: str | None
    evidence: Mapping[str, tuple[str, ...]]
    text: str = field(default="", repr=False)
    # code -> the phrases of `evidence` that no lexicon cue matched: words learned from the
    # course's cases (frequent in the cases carrying that code), shown apart from the cues.
    learned: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False)

    def explain(self, course=None) -> str:
        """Return the suggestion as French text: axes and approach, each with its evidence.

        Lexicon cues and words learned from the cases are listed apart. `course` gives the
        French labels (default: ockit.load()).
        """
        if course is None:
            from .data import load

            course = load()
        if not self.axes:
            return ("Aucun indice trouvé dans ce texte : décrivez ce que l'OC fait, avec qui, sur "
                    "quel territoire et dans quel but, puis réessayez.")
        lines = ["Axes suggérés (du plus au moins probable) :"]
        for code in self.axes:
            lines.append(f"  {code}  {course.axes[code].label} (score {_decimal(self.scores[code])})")
            lines.extend(self._evidence_lines(code))
        lines.append("")
        if self.approach:
            lines.append(f"Approche suggérée : {course.approaches[self.approach].label} ({self.approach}, "
                         f"score {_decimal(self.scores[self.approach])})")
            lines.extend(self._evidence_lines(self.approach) or
                         ["        indices : aucun indice propre; approche la plus fréquente du corpus"])
        lines.append("")
        lines.append("Une suggestion n'est pas une réponse : vérifiez-la avec les définitions des axes "
                     "et des approches.")
        return "\n".join(lines)

    def _evidence_lines(self, code) -> list[str]:
        learned = set(self.learned.get(code, ()))
        cues = [e for e in self.evidence.get(code, ()) if e not in learned][:6]
        words = [e for e in self.evidence.get(code, ()) if e in learned][:6]
        quoted = lambda phrases: " · ".join(f"« {' '.join(e.split())} »" for e in phrases)  # noqa: E731
        lines = []
        if cues:
            lines.append("        indices : " + quoted(cues))
        if words:
            lines.append("        mots fréquents dans les cas de la trousse qui portent ce code : " + quoted(words))
        return lines

    @property
    def approach_is_default(self) -> bool:
        """True when no cue of the text supports `approach`: it is the corpus's most frequent."""
        return self.approach is not None and not self.evidence.get(self.approach)

    def to_dict(self) -> dict:
        """Return the suggestion as JSON-ready data (the `ockit suggest --json` contract).

        `approach_basis` says why the approach was chosen: "cues" (see its evidence),
        "default" (no cue found: the corpus's most frequent approach) or null (no approach).
        """
        return {
            "axes": list(self.axes),
            "approach": self.approach,
            "approach_basis": None if self.approach is None else
            ("default" if self.approach_is_default else "cues"),
            "scores": {c: round(s, 3) for c, s in self.scores.items()},
            "evidence": {c: list(v) for c, v in self.evidence.items()},
            "learned_evidence": {c: list(v) for c, v in self.learned.items()},
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
                    cues.append(_make_cue(path, code, str(phrase), weight))
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


def _make_cue(path, code, phrase, weight) -> Cue:
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


@dataclass(frozen=True)
class LearnedWeights:
    """Per-code word weights learned from cases, and the vocabulary they were learned from."""

    weights: Mapping[str, Mapping[str, float]]
    vocabulary: frozenset
    prior_approach: str | None


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for k, v in node.items() for s in _strings(k) + _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@lru_cache(maxsize=4)
def domain_vocabulary(paths: tuple = DOMAIN_FILES) -> frozenset:
    """Return the stems of the words of `paths` (YAML files) that learning may weigh.

    Only words written in lower case count: proper nouns (Sherbrooke, Argenteuil) name the
    examples of a definition, not the field.
    """
    import yaml

    out = set()
    for path in paths:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        for text in _strings(data):
            out.update(t.stem for t in tokens(text)
                       if t.stem != BOUNDARY and text[t.start].islower())
    return frozenset(out)


def learn(cases, text_of=None, vocabulary: frozenset | None = None) -> LearnedWeights:
    """Learn word weights from cases: smoothed log-odds of document frequency, positive only.

    Only words found in at least LEARNED_MIN_DF cases carrying the code are kept, so that a
    word peculiar to one case is never learned, and only words of `vocabulary` (default: the
    domain vocabulary, see domain_vocabulary), so that nothing outside the field's own words
    is learned. The vocabulary comes from definitions and cues, never from cases.
    """
    from .text import words as bag

    text_of = text_of or case_text
    allowed = domain_vocabulary() if vocabulary is None else vocabulary
    docs = [(set(bag(text_of(c))), c) for c in cases]
    vocab = frozenset().union(*(d for d, _ in docs)) if docs else frozenset()
    weights = {}
    n = len(docs)
    for code in CODES:
        pos = [d for d, c in docs if _has(c, code)]
        if code not in LEARNED_CODES or not pos or len(pos) == n:
            weights[code] = frozen_map({})
            continue
        neg = [d for d, c in docs if not _has(c, code)]
        df_pos, df_neg = _df(pos), _df(neg)
        table = {}
        for w, dp in df_pos.items():
            if dp < LEARNED_MIN_DF or len(w) < LEARNED_MIN_LEN or w not in allowed:
                continue
            p = (dp + 0.5) / (len(pos) + 1)
            q = (df_neg.get(w, 0) + 0.5) / (len(neg) + 1)
            lo = math.log(p / q)
            if lo >= LEARNED_MIN_WEIGHT:
                table[w] = lo
        weights[code] = frozen_map(table)
    counts = {}
    for c in cases:
        if c.approach.dominant:
            counts[c.approach.dominant] = counts.get(c.approach.dominant, 0) + 1
    prior = max(APPROACH_CODES, key=lambda a: (counts.get(a, 0), -APPROACH_CODES.index(a))) if counts else None
    return LearnedWeights(frozen_map(weights), vocab, prior)


def _has(case, code) -> bool:
    return code in case.rationale if code in AXIS_CODES else case.approach.dominant == code


def _df(docs) -> dict[str, int]:
    df: dict[str, int] = {}
    for d in docs:
        for w in d:
            df[w] = df.get(w, 0) + 1
    return df


def case_text(case) -> str:
    """The text of a case that the suggester reads: its summary (what a learner reads)."""
    return case.summary


class Suggester:
    """A lexicon plus, optionally, learned word weights; `suggest(text)` is pure and fast."""

    def __init__(self, lexicon: Lexicon | None = None, learned: LearnedWeights | None = None, *,
                 ratio: float = RATIO, learned_scale: float = LEARNED_SCALE, decay: float = DECAY,
                 max_axes: int | None = MAX_AXES):
        self.lexicon = lexicon or load_lexicon()
        self.learned = learned
        self.ratio = ratio
        self.learned_scale = learned_scale
        self.decay = decay
        self.max_axes = max_axes

    @classmethod
    def trained(cls, cases, **kw) -> "Suggester":
        """Return a suggester whose learned part comes from `cases` only."""
        return cls(learned=learn(list(cases)), **kw)

    def suggest(self, text: str) -> Suggestion:
        """Return the suggestion for a French text (see Suggestion for the fields)."""
        toks = tokens(text)
        hits = self.lexicon.hits(toks)
        if self.learned is not None and self.learned_scale > 0:
            hits += self._learned_hits(toks)
        parts: dict[str, list[float]] = {c: [] for c in CODES}
        evidence: dict[str, dict[str, tuple[float, str]]] = {c: {} for c in CODES}
        from_lexicon: set[tuple[str, str]] = set()
        seen: dict[tuple[str, str], int] = {}
        for h in hits:
            key = (h.code, h.cue)
            count = seen.get(key, 0)
            seen[key] = count + 1
            if count == 0:
                parts[h.code].append(h.weight)
            elif count <= MAX_REPEATS:
                parts[h.code].append(h.weight * REPEAT_BONUS)
            shown = text[h.span[0]:h.span[1]]
            if not h.cue.startswith("~"):
                from_lexicon.add((h.code, fold(shown)))
            best = evidence[h.code].get(fold(shown))
            if best is None or best[0] < h.weight:
                evidence[h.code][fold(shown)] = (h.weight, shown)
        # Each further cue counts a little less than the one before, so that a text piling up
        # one axis's vocabulary does not drown a second axis that is clearly present.
        scores = {c: float(sum(w * self.decay ** i for i, w in enumerate(sorted(ws, reverse=True))))
                  for c, ws in parts.items()}
        axes = self._decide_axes(scores)
        approach = self._decide_approach(scores)
        ev = {c: tuple(s for _, s in sorted(evidence[c].values(), key=lambda p: -p[0]))
              for c in CODES if evidence[c]}
        learned = {c: tuple(s for s in shown if (c, fold(s)) not in from_lexicon) for c, shown in ev.items()}
        return Suggestion(tuple(axes), frozen_map(scores), approach, frozen_map(ev), text,
                          frozen_map({c: v for c, v in learned.items() if v}))

    def _learned_hits(self, toks) -> list[Hit]:
        first: dict[str, object] = {}
        for t in toks:
            if t.stem != BOUNDARY and t.stem not in first:
                first[t.stem] = t
        out = []
        for code, table in self.learned.weights.items():
            found = sorted(((table[w], t) for w, t in first.items() if w in table),
                           key=lambda p: -p[0])[:LEARNED_TOP]
            for weight, t in found:
                out.append(Hit(code, "~" + t.stem, (t.start, t.end), "", weight * self.learned_scale))
        return out

    def _decide_axes(self, scores) -> list[str]:
        ranked = sorted(AXIS_CODES, key=lambda c: (-scores[c], AXIS_CODES.index(c)))
        top = scores[ranked[0]]
        if top <= 0:
            return []
        kept = [c for c in ranked if scores[c] > 0 and scores[c] >= self.ratio * top]
        return kept[: self.max_axes] if self.max_axes else kept

    def _decide_approach(self, scores) -> str | None:
        ranked = sorted(APPROACH_CODES, key=lambda c: (-scores[c], APPROACH_CODES.index(c)))
        if scores[ranked[0]] > 0:
            best = scores[ranked[0]]
            tied = [c for c in ranked if scores[c] == best]
            prior = self.learned.prior_approach if self.learned else None
            return prior if prior in tied else ranked[0]
        return self.learned.prior_approach if self.learned else None


_TRAINED: dict[int, tuple[object, Suggester]] = {}


def default_suggester(course=None) -> Suggester:
    """Return the suggester trained on `course` (default: the kit's), built once per course."""
    if course is None:
        from .data import load

        course = load()
    # Course holds mappings and is not hashable: cache by identity, keeping the course alive
    # so that its id cannot be reused by another object.
    cached = _TRAINED.get(id(course))
    if cached is None or cached[0] is not course:
        cached = (course, Suggester.trained(course.cases.values()))
        _TRAINED[id(course)] = cached
    return cached[1]


def suggest(text: str, *, course=None) -> Suggestion:
    """Suggest axes and an approach for a French description of an OC intervention.

    Args:
        text: the description, in French.
        course: a loaded Course whose cases train the learned part (default: the kit's).

    Returns:
        A Suggestion: `axes` best first, `scores`, `approach` and `evidence` (code -> phrases
        of the text). Every suggested axis has at least one piece of evidence.
    """
    if not isinstance(text, str):
        raise TypeError(f"suggest() attend un texte (str), pas {type(text).__name__}.")
    return default_suggester(course).suggest(text)
