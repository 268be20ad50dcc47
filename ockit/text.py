"""French-aware normalization: accents, case, elisions, inclusive and plural/feminine forms.

Every token keeps the character span it came from, so a match found on normalized tokens can
be shown to the learner as a verbatim piece of the original text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A word: letters, optionally followed by inclusive endings joined by a middle dot
# (citoyen·nes, aîné·es) or by a period glued to a short ending (intervenant.es). Apostrophes
# and hyphens end a word, which splits elisions (l'organisme) and compounds (programmes-services).
_WORD = re.compile(
    r"[^\W\d_]+(?:[·•‧⋅∙][^\W\d_]+)*"
    r"(?:\.(?:e|es|s|ne|nes|le|les|trice|trices|rice|rices|euse|euses|ère|ères)\b(?!\.?[^\W\d_]))?"
    r"|[.!?;:]"
)
_INCLUSIVE = re.compile(r"[·•‧⋅∙.].*", re.DOTALL)  # to the end of the word, whatever it holds
# Sentence punctuation becomes a boundary that multi-word cues never cross.
BOUNDARY = "|"

# Function words dropped before matching, so that "table de quartier" also matches
# "tables du quartier" and "conseil d'administration" matches "conseil d’administration".
# Elided forms (l', d', qu', j', n', s', c', m', t', jusqu', lorsqu', puisqu') are listed here:
# the tokenizer has already cut them off at the apostrophe.
STOPWORDS = frozenset("""
a au aux avec c ce ces cet cette d dans de des du elle elles en et eux il ils j jusqu l la le
les leur leurs lorsqu m ma mes mon n ne ou par pas pour puisqu qu que qui s sa se ses son sur
t ta te tes ton un une y est sont ont a ete etre avoir plus tout tous toute toutes
""".split())

# Feminine endings folded onto the masculine (one rule per word, longest first).
_SUFFIXES = (
    ("euse", "eur"),
    ("rice", "eur"),
    ("enne", "en"),
    ("onne", "on"),
    ("elle", "el"),
    ("ette", "et"),
    ("ive", "if"),
    ("ere", "er"),
)


@dataclass(frozen=True)
class Token:
    """A normalized word with its span [start, end) in the original text."""

    stem: str
    start: int
    end: int
    plain: str = ""  # accent-free, lower-case, before stemming (for prefix cues)


def fold(text: str) -> str:
    """Return `text` lower-cased without accents or ligatures (é -> e, œ -> oe, ’ -> ')."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("’", "'").replace("ʼ", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def stem(word: str) -> str:
    """Return a light French stem of a folded word: plural, then feminine, then final -e.

    Only endings are touched, and only on words longer than three letters, so that the same
    rule applied to a cue and to a text brings their plural and feminine forms together
    (organisatrices -> organisateur, sociaux -> social, collectives -> collectif).
    """
    if len(word) <= 3:
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word.endswith(("s", "x")):
        word = word[:-1]
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            word = word[: -len(suffix)] + repl
            break
    bare = word.rstrip("e")
    return bare if len(bare) >= 3 else word


def normalize_word(word: str) -> str:
    """Return the stem of one word as written (accents, case and inclusive endings removed)."""
    return stem(_INCLUSIVE.sub("", fold(word)))


def tokens(text: str, *, keep_stopwords: bool = False) -> list[Token]:
    """Return the normalized words of `text`, with sentence boundaries as BOUNDARY tokens.

    Stopwords (and elided articles and pronouns) are dropped unless `keep_stopwords`.
    """
    out: list[Token] = []
    for m in _WORD.finditer(text):
        raw = m.group()
        if raw in ".!?;:":
            if out and out[-1].stem != BOUNDARY:
                out.append(Token(BOUNDARY, m.start(), m.end(), BOUNDARY))
            continue
        plain, stemmed = _plain_and_stem(raw)
        if not plain or (not keep_stopwords and is_stopword(plain)):
            continue
        out.append(Token(stemmed, m.start(), m.end(), plain))
    return out


def is_stopword(plain: str) -> bool:
    """Whether a folded word is dropped before matching (see STOPWORDS)."""
    return plain in STOPWORDS or len(plain) == 1


@lru_cache(maxsize=65536)
def _plain_and_stem(raw: str) -> tuple[str, str]:
    # Words recur across texts: normalizing each spelling once keeps suggest fast.
    plain = _INCLUSIVE.sub("", fold(raw))
    return plain, stem(plain)


def words(text: str) -> list[str]:
    """Return the stems of `text` without boundaries: the bag of words the models learn from."""
    return [t.stem for t in tokens(text) if t.stem != BOUNDARY]


def normalize(text: str) -> str:
    """Return `text` as space-separated stems (handy to see what the matcher sees)."""
    return " ".join(words(text))


def count_of(n: int, one: str, many: str) -> str:
    """« 0 axe juste », « 1 axe juste », « 2 axes justes »: French takes the singular below 2."""
    return f"{n} {one if abs(n) < 2 else many}"
