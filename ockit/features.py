"""Interpretable features of a French description, each tied to the spans of text it comes from.

Three families, all computed in one pass over the text's tokens (see ockit.text):

- `lex:CODE`: the weight of the cues of data/cues.yaml found for an axis or an approach
  (the hand-written lexicon), a diminishing sum so that one vocabulary piled up does not drown
  the rest;
- `frame:NAME`: who initiated the action and how it is framed (data/frames.yaml): a programme
  of the establishment, a demand from an organization, citizens, an economic activity, a
  conflict or rights frame;
- `w:STEM`: a word written in lower case (a stem, see ockit.text.stem): its weight is learned
  from the training cases, never written by hand.

A cue or a word under a negation (« sans », « ne ... pas », « aucun », « ni ») is dropped:
« sans programme de santé publique » is no evidence of a programme.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Mapping

from .data import KIT_DATA  # the kit's data/, also when installed from a wheel
from .model import AXIS_CODES
from .text import BOUNDARY, fold, is_stopword, tokens

DATA_DIR = KIT_DATA
FRAMES_FILE = DATA_DIR / "frames.yaml"

# Words that negate what follows them in the same sentence, and how many content words they
# reach. « ne ... que » and « non seulement » restrict rather than negate.
NEGATORS = frozenset({"ne", "n", "pas", "sans", "aucun", "aucune", "ni", "jamais", "non", "nullement"})
NEGATION_REACH = 3
NOT_NEGATING_NEXT = frozenset({"que", "qu", "seulement", "plus", "loin", "moins"})
# Diminishing sum of the cue weights of one code: the i-th strongest counts DECAY ** i.
DECAY = 0.85
# Learned words: at least this long (shorter stems are mostly function words), and not one of
# these frequent words that say nothing of the field.
MIN_WORD_LEN = 4
NOT_LEARNED = frozenset("""
afin ainsi alors aussi autre autres avant apres avec bien cela chaque comme dans depuis donc
dont elle elles entre etait etre fait faire font leur leurs lors mais meme ou peut peuvent
plus pour quand sans selon sont tant tous tout toute toutes tres vers cette ceux celle celles
chez aupres autour celui notamment plusieurs deux trois quatre cinq premier premiere aussi
fictif fictive fictifs fictives
""".split())  # the last line: the marks of an invented place say nothing of the field


@dataclass(frozen=True)
class Extracted:
    """The features of one text: name -> value, and name -> the spans of text behind it."""

    values: Mapping[str, float]
    spans: Mapping[str, tuple[tuple[int, int], ...]]
    negated: tuple[tuple[int, int], ...] = ()


def negated_starts(text: str, toks=None) -> frozenset:
    """Return the start offsets of the words of `text` that a negation reaches.

    `toks`: the tokens of `text` with stopwords kept, if already computed.
    """
    out = set()
    toks = tokens(text, keep_stopwords=True) if toks is None else toks
    for i, tok in enumerate(toks):
        if tok.plain not in NEGATORS:
            continue
        nxt = toks[i + 1].plain if i + 1 < len(toks) else ""
        if nxt in NOT_NEGATING_NEXT:
            continue
        if tok.plain in ("ne", "n") and _restrictive(toks, i):
            continue
        reach = 0
        for later in toks[i + 1:]:
            if later.stem == BOUNDARY or reach >= NEGATION_REACH:
                break
            if later.plain in NEGATORS:
                continue
            out.add(later.start)
            if len(later.plain) > 3:
                reach += 1
    return frozenset(out)


def _restrictive(toks, i) -> bool:
    """« ne fait que », « n'a qu'un »: a « que » comes before any « pas », so nothing is negated."""
    for later in toks[i + 1:i + 4]:
        if later.stem == BOUNDARY or later.plain in NEGATORS:
            return False
        if later.plain in ("que", "qu"):
            return True
    return False


class FrameError(ValueError):
    """A problem in data/frames.yaml: names the file, the frame and the phrase, in French."""


@lru_cache(maxsize=4)
def load_frames(path: str | None = None):
    """Return (Lexicon of frame cues, {frame: French label}) read from data/frames.yaml."""
    import yaml

    from .suggester import Lexicon, make_cue

    path = Path(path or FRAMES_FILE)
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    cues, labels = [], {}
    for name, block in (data.get("frames") or {}).items():
        if not isinstance(block, dict) or not isinstance(block.get("cues"), dict):
            raise FrameError(f"{path} (cadre {name}) : attendu « label » et « cues » "
                             "(une liste « expression: poids »).")
        labels[name] = str(block.get("label") or name)
        for phrase, weight in block["cues"].items():
            cues.append(make_cue(path, name, str(phrase), weight))
    return Lexicon(cues), labels


def _diminishing(weights) -> float:
    return float(sum(w * DECAY ** i for i, w in enumerate(sorted(weights, reverse=True))))


_CACHE: dict = {}
_CACHE_SIZE = 4096


def extract(text: str, lexicon, frames) -> Extracted:
    """Return the features of `text` given the cue lexicon and the frame lexicon (memoized:
    cross-validation extracts the same texts again and again)."""
    key = (text, lexicon, frames)
    got = _CACHE.get(key)
    if got is None:
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        got = _CACHE[key] = extract_uncached(text, lexicon, frames)
    return got


def extract_uncached(text: str, lexicon, frames) -> Extracted:
    """Return the features of `text` (no memo: `suggest` measures this, the benchmark times it)."""
    every = tokens(text, keep_stopwords=True)
    negated = negated_starts(text, every)
    toks = [t for t in every if t.stem == BOUNDARY or not is_stopword(t.plain)]
    values: dict[str, float] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    dropped = []
    for prefix, lex in (("lex:", lexicon), ("frame:", frames)):
        weights: dict[str, dict[str, float]] = {}
        for h in lex.hits(toks):
            if h.span[0] in negated:
                dropped.append(h.span)
                continue
            name = prefix + h.code
            # One cue counts once per text, at its best weight.
            per_cue = weights.setdefault(name, {})
            per_cue[h.cue] = max(per_cue.get(h.cue, 0.0), h.weight)
            spans.setdefault(name, [])
            if h.span not in spans[name]:
                spans[name].append(h.span)
        raw = {name: _diminishing(per_cue.values()) for name, per_cue in weights.items()}
        for name, total in raw.items():
            values[name] = math.log1p(total)
        if prefix == "lex:":
            # Each code's cues against the strongest axis: the
            # lexicon's own decision rule, « keep what comes close to the first ».
            for kind in (AXIS_CODES,):
                top = max((raw.get("lex:" + c, 0.0) for c in kind), default=0.0)
                for c in kind:
                    if raw.get("lex:" + c) and top > 0:
                        values["rel:" + c] = raw["lex:" + c] / top
                        spans["rel:" + c] = spans["lex:" + c]
    for tok in toks:
        if (tok.stem == BOUNDARY or len(tok.plain) < MIN_WORD_LEN or tok.start in negated
                or tok.plain in NOT_LEARNED or tok.plain in NEGATORS):
            continue
        if not text[tok.start].islower():
            continue  # proper nouns and acronyms name examples, not the field
        name = "w:" + tok.stem
        if name not in values:
            values[name] = 1.0
            spans[name] = [(tok.start, tok.end)]
    return Extracted(values, {k: tuple(v) for k, v in spans.items()}, tuple(dropped))


def shown(text: str, span: tuple[int, int]) -> str:
    """The verbatim piece of `text` at `span`."""
    return text[span[0]:span[1]]


def same_phrase(a: str, b: str) -> bool:
    """Whether two shown phrases are the same once accents and case are ignored."""
    return fold(" ".join(a.split())) == fold(" ".join(b.split()))
