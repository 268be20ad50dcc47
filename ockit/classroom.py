"""The instructor side: read a folder of submissions and build the class tables.

`read_class(folder)` reads every `*.json` file of a folder with `ockit.submission`, never
trusting one: a file that cannot be used (bad JSON, another format, an unknown case or code, a
second file from the same learner) is kept aside with its French reason, and the rest is read.
The answers become one pandas DataFrame built in one go; `cases_table` and `agreement_table`
derive the per-case and per-axis tables from it. pandas is imported inside the functions, so
`import ockit` stays light.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .model import AXIS_CODES

ANSWER_COLUMNS = ("learner", "case", "axes", "approach", "jaccard", "reading", "exact")
CASE_COLUMNS = ("case", "title", "answers", "exact_rate", "mean_jaccard", "most_missed",
                "most_extra", "approach_rate",
                # item statistics, as Moodle computes them (see ockit.itemstats)
                "facility", "discrimination", "kappa", "debrief")
AGREEMENT_COLUMNS = ("axis", "kappa")
GRADE_COLUMNS = ("learner", "account", "answered", "exact", "score", "score_all")
# A hand-in file's name (ockit.handin): remise-<who>-<AAAAMMJJTHHMMSS>-<NNN>.json, <who> the hub account.
HANDIN_NAME = re.compile(r"remise-([a-z0-9][a-z0-9._-]*)-\d{8}T\d{6}-\d{3}\.json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run such a cell as a formula
ALL = "ALL"
PSEUDONYM_PREFIX = "apprenant-"
# Public by default, so a pseudonym is stable for everyone using the kit. An instructor who
# does not want a known name to be checkable against a pseudonym sets $OCKIT_PSEUDONYM_SALT
# to a secret of their own (and keeps it, to keep the same pseudonyms from one run to the next).
DEFAULT_SALT = "ockit-pseudonyme-1"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Rejected:
    """A file left out of the report, and why (French)."""

    file: str
    reason: str


@dataclass(frozen=True)
class ClassAnswers:
    """What a folder of submissions yields: the answers table, and the files set aside.

    `answers` has one row per learner and case, with the columns of ANSWER_COLUMNS plus
    `justification`, `approach_key`, `approach_ok` and one boolean column per axis,
    `key_<CODE>` (the axis is in the key) and `chosen_<CODE>` (the learner ticked it).
    """

    answers: object  # pandas.DataFrame
    rejected: tuple[Rejected, ...]
    files: int
    folder: str
    anonymized: bool = False
    accounts: Mapping[str, str] = field(default_factory=dict)  # learner -> hub account (not when anonymized)

    @property
    def learners(self) -> int:
        """The number of learners whose submission was read."""
        return int(self.answers["learner"].nunique()) if len(self.answers) else 0


def pseudonym(name: str, salt: str | None = None) -> str:
    """Return a stable pseudonym for a learner's name, e.g. "apprenant-3f9a0c12d4".

    The name is normalized first (Unicode NFC, case folded, spaces collapsed), so "Marie  Roy"
    and "marie roy" get the same pseudonym. It is the first 10 hex digits of SHA-256 over the
    salt and the name: the same name gives the same pseudonym on every run and machine with the
    same salt. The salt is `salt`, else $OCKIT_PSEUDONYM_SALT, else DEFAULT_SALT (public: with
    it, anyone can check whether a given name hides behind a pseudonym; set a secret salt to
    prevent that).
    """
    salt = salt if salt is not None else os.environ.get("OCKIT_PSEUDONYM_SALT") or DEFAULT_SALT
    normal = " ".join(unicodedata.normalize("NFC", name).casefold().split())
    digest = hashlib.sha256(f"{salt}\x00{normal}".encode("utf-8")).hexdigest()
    return PSEUDONYM_PREFIX + digest[:10]


def salt_is_public() -> bool:
    """True when pseudonyms use DEFAULT_SALT (no $OCKIT_PSEUDONYM_SALT): anyone who knows a
    name can then compute its pseudonym and recognize it in a report."""
    return not os.environ.get("OCKIT_PSEUDONYM_SALT")


def _learner_of(path, root) -> str | None:
    """The learner named in a file set aside, if it can be found cheaply (to keep it out of
    an anonymized report's reasons); None otherwise. Never raises."""
    import json

    from .safeio import read_regular
    from .submission import MAX_FILE_BYTES

    try:
        data = json.loads(read_regular(path, root=root, limit=MAX_FILE_BYTES).decode("utf-8", "replace"))
    except (OSError, ValueError, RecursionError):
        return None
    learner = data.get("learner") if isinstance(data, dict) else None
    return learner if isinstance(learner, str) and learner.strip() else None


def _scrub(text: str, names) -> str:
    """`text` with every word of `names` replaced by « [nom] » (see name_scrubber)."""
    return name_scrubber(names)(text)


def name_scrubber(names) -> Callable[[str], str]:
    """A function that replaces, in a text, every word of `names` of 3 letters or more (and a
    one-word name of 2) by « [nom] », ignoring case and accents' case: a reason or a
    justification that quotes a learner hides the name. Whole words only (« Roy » hides in
    « Jean Roy » but « royaume » stays), and fast for a class of hundreds of names: one pass
    over the text's words, one set lookup each."""
    import re

    words = set()
    for name in names:
        parts = [w for w in re.split(r"[\W_]+", name or "") if w]
        words.update(w.casefold() for w in parts if len(w) >= 3)
        if len(parts) == 1 and len(parts[0]) >= 2:
            words.add(parts[0].casefold())
    if not words:
        return lambda text: text
    word = re.compile(r"[^\W_]+")

    def scrub(text: str) -> str:
        if not any(m.group().casefold() in words for m in word.finditer(text)):
            return text
        return word.sub(lambda m: "[nom]" if m.group().casefold() in words else m.group(), text)

    return scrub


def read_class(folder, course=None, *, anonymize: bool = False,
               progress: Callable[[int, int], None] | None = None,
               columns_read: Callable[[dict], None] | None = None) -> ClassAnswers:
    """Read every `*.json` submission of `folder` (not its subfolders) into a ClassAnswers.

    Files are read in name order, each by the bounded reader of ockit.submission. A file that
    cannot be used is set aside with its reason and never stops the reading: bad JSON, another
    format, an unknown case or code, invalid text, a file too large or too deeply nested, an
    entry that is not a regular file (a FIFO, a folder named `x.json`: never opened), a symlink
    leading out of `folder`. When two files come from the same learner, the one created last
    (field `created`, compared as instants whatever the time zone, then file name) is kept and
    the other is set aside. Within one file, the last answer to a case wins. A file named by
    the hand-in folder (`remise-<account>-…json`, see ockit.handin) belongs to that hub account,
    whatever name was typed in it: the same account is the same learner, and two accounts are
    two learners even with the same name (the report then adds the account to the name).

    Args:
        folder: the folder of submissions.
        course: the loaded course (default: `ockit.load()`); its cases are the answer key.
        anonymize: replace each learner's name by `pseudonym(name)`; files set aside are then
            named « fichier n° N » (their rank in name order), never by their file name, and
            names are scrubbed from reasons and justifications.
        progress: called as progress(done, total) after each file.
        columns_read: called with the answers as plain lists (see answer_columns) once every
            file is read, before pandas is imported and builds the table (the report starts
            drawing its figures from them meanwhile).

    Raises:
        NotADirectoryError: `folder` is not a folder (French message).
    """
    from .safeio import display
    from .submission import SubmissionError, created_instant, read_submission

    if course is None:
        from .data import load

        course = load()
    folder = Path(folder)
    if not folder.is_dir():
        raise NotADirectoryError(f"Dossier de remises introuvable : {folder}. "
                                 "Indiquez le dossier qui contient les fichiers .json des remises.")
    paths = sorted(folder.glob("*.json"))
    # Earlier hand-ins may name a case by an id it had before it was renamed (former_ids).
    former = {old: case.id for case in course.cases.values() for old in case.former_ids}
    known = set(course.cases) | set(former)
    rejected: list[tuple[int, str, str]] = []  # (rank, label, reason)
    kept: dict[str, tuple] = {}  # normalized learner -> (rank key, rank, label, submission)
    oldest = datetime.min.replace(tzinfo=timezone.utc)

    def label(rank, path, learner=None):
        if not anonymize:
            return display(path.name)
        return f"fichier n° {rank}" + (f" ({pseudonym(learner)})" if learner else "")

    for done, path in enumerate(paths, 1):
        try:
            sub = read_submission(path, known_cases=known, root=folder, name=label(done, path))
        except SubmissionError as exc:
            reason = exc.reason
            if anonymize:
                reason = _scrub(reason, [_learner_of(path, folder)])
            rejected.append((done, label(done, path), reason))
        except Exception as exc:  # noqa: BLE001 - one file never stops the report
            log.debug("unexpected error reading %s", path, exc_info=True)
            rejected.append((done, label(done, path), f"fichier inutilisable (erreur inattendue : "
                                                      f"{type(exc).__name__})."))
        else:
            if former and any(a.case in former for a in sub.answers):
                sub = replace(sub, answers=tuple(replace(a, case=former.get(a.case, a.case)) for a in sub.answers))
            account = _account(path.name)
            who = ("compte", account) if account else ("nom", _normal(sub.learner))
            entry = ((created_instant(sub.created) or oldest, path.name), done, label(done, path, sub.learner),
                     sub, account)
            if who in kept:
                older, newer = sorted([kept[who], entry], key=lambda t: t[0])
                kept[who] = newer
                if older[0][0] == newer[0][0]:  # same `created`: kept by file name, not by date
                    why = (f"une autre remise de la même personne ({newer[2]}) porte la même date "
                           "de création; une seule remise par personne compte, celle-ci est retenue.")
                else:
                    why = (f"une autre remise de la même personne ({newer[2]}) est plus récente; "
                           "seule celle-ci est retenue.")
                rejected.append((older[1], older[2], why))
            else:
                kept[who] = entry
        if progress is not None:
            progress(done, len(paths))
    entries = sorted(kept.values(), key=lambda t: t[1])
    subs, accounts = _told_apart([entry[3] for entry in entries], [entry[4] for entry in entries])
    columns = answer_columns(subs, course, anonymize, names=[entry[3].learner for entry in entries])
    if columns_read is not None:
        columns_read(columns)
    answers = _answers_frame(columns)
    rejected.sort()
    return ClassAnswers(answers=answers, rejected=tuple(Rejected(f, r) for _, f, r in rejected),
                        files=len(paths), folder=str(folder), anonymized=anonymize,
                        accounts={} if anonymize else accounts)


def _normal(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def _account(file_name: str) -> str | None:
    """The hub account in a hand-in file's name, or None for a file named otherwise."""
    match = HANDIN_NAME.fullmatch(file_name)
    return match.group(1) if match and not match.group(1).startswith("apprenant-") else None


def _told_apart(subs, accounts) -> tuple[list, dict[str, str]]:
    """The kept submissions, a name shared by several accounts followed by the account
    (« Marie Roy (etu-0002) »), and {learner as shown: account}."""
    from collections import Counter

    shared = Counter(_normal(sub.learner) for sub in subs)
    out, by_learner = [], {}
    for sub, account in zip(subs, accounts):
        if account and shared[_normal(sub.learner)] > 1:
            sub = replace(sub, learner=f"{sub.learner} ({account})")
        out.append(sub)
        if account:
            by_learner[sub.learner] = account
    return out, by_learner


def answer_columns(subs, course, anonymize, names=None) -> dict[str, list]:
    """The answers of the kept submissions as plain lists, one per column of the answers
    table (in its row order), except the per-axis flags: `key_mask` and `chosen_mask` hold
    them as bit masks, bit i for AXIS_CODES[i]. Pure Python: no pandas, no numpy. `names`:
    the names as the learners typed them, hidden from justifications when anonymizing
    (default: each submission's learner)."""
    from .scoring import readings

    order = {cid: i for i, cid in enumerate(course.cases)}
    keys = {cid: frozenset(c.axes) for cid, c in course.cases.items()}
    # Other defensible readings (also_accepted) score as the key does: the best one counts,
    # the key winning ties, as in ockit.scoring.score.
    others = {cid: [(name, frozenset(axes)) for name, axes, *_ in readings(c)[1:]]
              for cid, c in course.cases.items() if c.also_accepted}
    approach_keys = {cid: c.approach.dominant for cid, c in course.cases.items()}
    # Rows sorted by learner, then by the course's case order: learners first (two kept
    # submissions never share a name: read_class adds the account to a shared one), then each
    # one's answers; a stable sort keeps ties as read.
    named = sorted(((pseudonym(sub.learner) if anonymize else sub.learner, sub) for sub in subs),
                   key=lambda pair: pair[0])
    learners, picked = [], []
    # A justification may be signed, or name a classmate: every name of the class is hidden.
    scrub = name_scrubber(names if names is not None else [sub.learner for sub in subs]) if anonymize else None
    for learner, sub in named:
        latest = {a.case: a for a in sub.answers}  # the last answer to a case wins
        if scrub:
            latest = {cid: a if not a.justification else replace(a, justification=scrub(a.justification))
                      for cid, a in latest.items()}
        mine = sorted(latest.values(), key=lambda a: order[a.case])
        picked.extend(mine)
        learners.extend([learner] * len(mine))
    # Everything below runs once per answer (40,000 in the benchmark), column by column.
    # Learners give few distinct answers per case, so everything derived from (case, axes) is
    # computed once and reused; the per-axis flags are kept as bit masks and unpacked with
    # numpy afterwards. Jaccard is computed as in ockit.scoring.jaccard (a key is never empty,
    # so neither is the union).
    bits = {code: 1 << i for i, code in enumerate(AXIS_CODES)}
    memo: dict = {}

    def derive(case, axes):
        key, chosen = keys[case], frozenset(axes)
        best, reading = len(key & chosen) / len(key | chosen), "key"
        for name, other in others.get(case, ()):
            value = len(other & chosen) / len(other | chosen)
            if value > best:
                best, reading = value, name
        derived = memo[(case, axes)] = ("+".join(axes), round(best, 4), chosen == key,
                                        sum(bits[c] for c in key), sum(bits[c] for c in chosen), reading)
        return derived

    case_ids = [a.case for a in picked]
    pairs = [(a.case, a.axes) for a in picked]
    derived = [memo.get(pair) or derive(*pair) for pair in pairs]
    if derived:
        axes_col, scores, exact, key_masks, chosen_masks, matched = map(list, zip(*derived))
    else:
        axes_col, scores, exact, key_masks, chosen_masks, matched = [], [], [], [], [], []
    approaches = [a.approach for a in picked]
    justifications = [a.justification for a in picked]
    akeys = [approach_keys[cid] for cid in case_ids]
    aoks = [None if akey is None or approach is None else approach == akey
            for akey, approach in zip(akeys, approaches)]
    return {"learner": learners, "case": case_ids, "axes": axes_col, "approach": approaches,
            "jaccard": scores, "reading": matched, "exact": exact, "justification": justifications,
            "approach_key": akeys, "approach_ok": aoks, "key_mask": key_masks,
            "chosen_mask": chosen_masks}


def _answers_frame(columns):
    """Build the answers DataFrame from answer_columns, in one go (fast for 40,000 answers)."""
    import numpy as np
    import pandas as pd

    cols = {name: values for name, values in columns.items() if not name.endswith("_mask")}
    key_masks = np.array(columns["key_mask"], dtype=np.int64)
    chosen_masks = np.array(columns["chosen_mask"], dtype=np.int64)
    bits = {code: 1 << i for i, code in enumerate(AXIS_CODES)}
    flags = {**{f"key_{c}": (key_masks & b) != 0 for c, b in bits.items()},
             **{f"chosen_{c}": (chosen_masks & b) != 0 for c, b in bits.items()}}
    frame = pd.DataFrame({**cols, **flags})
    return frame.astype({"jaccard": "float64", "exact": "bool"}) if len(frame) else frame


def cases_table(data: ClassAnswers, course):
    """Return one row per case answered at least once, in the course's order.

    Columns (CASE_COLUMNS): case, title, answers (count), exact_rate (share of answers equal
    to the key), mean_jaccard, most_missed (the key axis most often left out, empty when none
    is), most_extra (the axis most often ticked outside the key, empty when none is), and
    approach_rate (share of right approaches among answers that named one, on cases whose key
    has a dominant approach; empty otherwise). Ties go to the first axis in DEV, DSS, ORG,
    RESP order.
    """
    import pandas as pd

    df = data.answers
    if not len(df):
        return pd.DataFrame(columns=list(CASE_COLUMNS))
    work = df[["case", "exact", "jaccard"]].copy()
    for code in AXIS_CODES:
        work[f"missed_{code}"] = df[f"key_{code}"] & ~df[f"chosen_{code}"]
        work[f"extra_{code}"] = df[f"chosen_{code}"] & ~df[f"key_{code}"]
    work["approach_ok"] = df["approach_ok"].map({True: 1.0, False: 0.0})
    grouped = work.groupby("case", sort=False)
    sums = grouped.sum(numeric_only=True)
    counts = grouped.size()
    approach = grouped["approach_ok"].mean()
    rows = []
    for cid, case in course.cases.items():
        if cid not in counts.index:
            continue
        total = int(counts[cid])
        rows.append({
            "case": cid,
            "title": case.title,
            "answers": total,
            "exact_rate": round(float(sums.at[cid, "exact"]) / total, 4),
            "mean_jaccard": round(float(sums.at[cid, "jaccard"]) / total, 4),
            "most_missed": _top(sums.loc[cid], "missed"),
            "most_extra": _top(sums.loc[cid], "extra"),
            "approach_rate": None if pd.isna(approach[cid]) else round(float(approach[cid]), 4),
        })
    table = pd.DataFrame(rows, columns=list(CASE_COLUMNS[:8]))
    return with_item_statistics(table, df)


def with_item_statistics(table, answers):
    """Return the per-case `table` with the columns of ockit.itemstats.ITEM_COLUMNS added."""
    from .itemstats import item_table

    items = item_table(answers)
    return table.merge(items, on="case", how="left").loc[:, list(CASE_COLUMNS)]


def _top(row, kind) -> str:
    best, count = "", 0
    for code in AXIS_CODES:  # strict > keeps the first code on ties
        if row[f"{kind}_{code}"] > count:
            best, count = code, row[f"{kind}_{code}"]
    return best


def fleiss_kappa(counts) -> float:
    """Fleiss' kappa for items rated into categories by a number of raters that may vary.

    Args:
        counts: one row per item, one column per category; each cell is how many raters put
            the item in that category. Items with fewer than two raters carry no information
            on agreement and are left out.

    Returns:
        kappa = (P̄ - Pₑ) / (1 - Pₑ), where P̄ is the mean over items of the share of agreeing
        rater pairs, and Pₑ = Σⱼ pⱼ² with pⱼ the share of all ratings in category j. This is
        Fleiss (1971) with n_i raters on item i instead of a constant n, the usual extension
        when raters saw different items. NaN when no item has two raters, or when every
        rating falls in one category (Pₑ = 1: agreement by chance is total, kappa undefined).
    """
    import numpy as np

    counts = np.asarray(counts, dtype=float)
    if counts.ndim != 2 or not counts.size:
        return float("nan")
    n = counts.sum(axis=1)
    counts, n = counts[n >= 2], n[n >= 2]
    if not len(n):
        return float("nan")
    agree = ((counts * (counts - 1)).sum(axis=1)) / (n * (n - 1))
    p_bar = agree.mean()
    shares = counts.sum(axis=0) / n.sum()
    p_e = float((shares ** 2).sum())
    if p_e >= 1 - 1e-12:
        return float("nan")
    return float((p_bar - p_e) / (1 - p_e))


def agreement_table(data: ClassAnswers):
    """Return Fleiss' kappa per axis across learners, then one row `axis=ALL`.

    For an axis, each case is an item and each learner who answered it is a rater who
    classifies it as "axis present" or "axis absent" (two categories). Learners answered
    different subsets of cases, so `fleiss_kappa` uses the varying-raters form and leaves out
    cases answered by fewer than two learners. The ALL row pools every (case, axis) pair as
    one item with the same two categories, i.e. agreement on the whole classification,
    weighted by how often each axis comes up. The key plays no part: this is agreement between
    learners, not accuracy. Kappa is NaN (empty in the CSV) when undefined.
    """
    import numpy as np
    import pandas as pd

    df = data.answers
    rows = []
    pooled = []
    if len(df):  # one grouping for the four axes
        grouped = df.groupby("case", sort=False)
        chosen = grouped[[f"chosen_{code}" for code in AXIS_CODES]].sum()
        sizes = grouped.size().to_numpy(dtype=float)
    for code in AXIS_CODES:
        if len(df):
            yes = chosen[f"chosen_{code}"].to_numpy(dtype=float)
            counts = np.column_stack([yes, sizes - yes])
        else:
            counts = np.zeros((0, 2))
        pooled.append(counts)
        rows.append({"axis": code, "kappa": _rounded(fleiss_kappa(counts))})
    rows.append({"axis": ALL, "kappa": _rounded(fleiss_kappa(np.vstack(pooled)))})
    return pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))


def _rounded(value: float) -> float:
    return value if value != value else round(value, 4)  # NaN stays NaN


def learner_scores(data: ClassAnswers):
    """Return each learner's mean Jaccard score over the cases they answered (a Series)."""
    df = data.answers
    if not len(df):
        import pandas as pd

        return pd.Series(dtype=float, name="jaccard")
    return df.groupby("learner")["jaccard"].mean()


def grades_table(data: ClassAnswers):
    """Return one row per learner, ready for a gradebook: GRADE_COLUMNS.

    `answered`: cases answered; `exact`: answers equal to the key; `score`: the mean Jaccard
    score over the cases the learner answered, out of 100 (one decimal); `score_all`: the same
    over every case someone in the class answered, a case left unanswered counting 0 (use it
    when everyone had the same cases to do). The `learner` column is what the learner wrote (a
    student number, if the instructor asked for one) or, with --anonymize, the pseudonym.
    `account`: the hub account the file was handed in from (see `read_class`), empty for a
    file named otherwise and with --anonymize.
    """
    import pandas as pd

    df = data.answers
    if not len(df):
        return pd.DataFrame(columns=list(GRADE_COLUMNS))
    grouped = df.groupby("learner", sort=True)
    class_cases = df["case"].nunique()
    table = pd.DataFrame({"answered": grouped.size(), "exact": grouped["exact"].sum(),
                          "score": (grouped["jaccard"].mean() * 100).round(1),
                          "score_all": (grouped["jaccard"].sum() / class_cases * 100).round(1)})
    table = table.reset_index()
    table["account"] = [data.accounts.get(learner, "") for learner in table["learner"]]
    return table.loc[:, list(GRADE_COLUMNS)]


def spreadsheet_safe(frame, column: str = "learner"):
    """Return `frame` with `column`'s texts that a spreadsheet would take for a formula quoted
    with a leading apostrophe (a learner named « =SOMME(A1) » stays text)."""
    if not len(frame):
        return frame
    values = frame[column].astype(str)
    risky = values.str.startswith(FORMULA_START)
    if not risky.any():
        return frame
    frame = frame.copy()
    frame.loc[risky, column] = "'" + values[risky]
    return frame


def write_tables(data: ClassAnswers, course, out, cases=None, agreement=None) -> dict[str, Path]:
    """Write answers.csv, cases.csv, agreement.csv and grades.csv (UTF-8) into `out`.

    answers.csv has exactly the columns learner, case, axes (codes joined with "+"),
    approach, jaccard, exact. grades.csv is `grades_table`, for a gradebook import (Moodle:
    Notes > Importer > Fichier CSV, matching `learner` to the ID number). `cases` and
    `agreement` are the tables if already computed. Returns the paths by table name.
    """
    from .atomic import atomic_write_text

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    paths = {name: out / f"{name}.csv" for name in ("answers", "cases", "agreement", "grades")}
    df = data.answers
    if len(df):
        answers = spreadsheet_safe(df.loc[:, list(ANSWER_COLUMNS)])
    else:
        import pandas as pd

        answers = pd.DataFrame(columns=list(ANSWER_COLUMNS))
    tables = {"answers": answers,
              "cases": cases_table(data, course) if cases is None else cases,
              "agreement": agreement_table(data) if agreement is None else agreement,
              "grades": spreadsheet_safe(spreadsheet_safe(grades_table(data)), "account")}
    # Each table is built in memory, then written to a temporary file and renamed into place:
    # a failure leaves the previous table, never half of one.
    for name, table in tables.items():
        atomic_write_text(paths[name], csv_text(table), shared=True, durable=False)
    return paths


_CSV_SPECIAL = (",", '"', "\n", "\r")


def csv_text(frame) -> str:
    """Return `frame` (texts, numbers, booleans) as CSV text, exactly as
    `frame.to_csv(index=False, lineterminator="\n")` writes it.

    Missing values (None, NaN) are empty cells, numbers and booleans are written as Python
    writes them, and a cell holding a comma, a quote or a line break is quoted as the csv
    module does. Several times faster than pandas for the 40,000 rows of answers.csv: each
    column becomes a list of texts at once (a memo per number column, whose values repeat),
    and the rows are joined directly when no cell needs quoting.
    """
    import csv
    import io

    columns = [str(name) for name in frame.columns]
    cells = []
    for name in frame.columns:
        series = frame[name]
        if series.dtype.kind in "biuf":
            memo: dict = {}
            values = [memo[v] if v in memo else memo.setdefault(v, "" if v != v else str(v))
                      for v in series.to_numpy().tolist()]
        else:
            values = [v if type(v) is str else "" if v is None or v != v else str(v)
                      for v in series.to_numpy(dtype=object).tolist()]
        cells.append(values)
    everything = "\x00".join(["\x00".join(column) for column in cells] + columns)
    if any(special in everything for special in _CSV_SPECIAL):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(zip(*cells))
        return buffer.getvalue()
    return "".join([",".join(columns), "\n", *(",".join(row) + "\n" for row in zip(*cells))])
