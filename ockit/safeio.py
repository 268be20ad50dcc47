"""Reading files nobody vouches for, and writing outputs that are never left half done.

Every file a learner or an instructor hands the kit (a submission, a case, a quiz, a progress
store) is read through `read_regular`: it is opened only if it is a regular file (a FIFO, a
device or a folder named like a file is refused without being opened for reading, so nothing
hangs), only if it stays inside the folder it was found in (a symlink pointing elsewhere is
refused), and only up to a size limit. `bad_character` and `display` keep text that cannot be
shown, encoded or put in XML out of every output. (Outputs are written by ockit.atomic, so a
reader sees the old file or the new one, never a mix, never an empty file.)
"""

from __future__ import annotations

import os
import re
import stat


class UnsafeFileError(OSError):
    """A file that is not read: not a regular file, outside its folder, or too large.

    `reason` is the French reason, without the path.
    """

    def __init__(self, path, reason: str):
        self.reason = reason
        super().__init__(reason)
        self.filename = str(path)

    def __str__(self) -> str:
        return self.reason


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "c'est un dossier, pas un fichier"
    if stat.S_ISFIFO(mode):
        return "c'est un tube nommé (FIFO), pas un fichier ordinaire"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "c'est un périphérique, pas un fichier ordinaire"
    if stat.S_ISSOCK(mode):
        return "c'est un connecteur (socket), pas un fichier ordinaire"
    return "ce n'est pas un fichier ordinaire"


def _megabytes(limit: int) -> str:
    return f"{round(limit / 1_000_000, 1):g} Mo".replace(".", ",")


def inside(path, root) -> bool:
    """True when `path`, symlinks resolved, lies inside the folder `root` (resolved too)."""
    real, base = os.path.realpath(path), os.path.realpath(root)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def check_regular(path, *, root=None, limit: int | None = None) -> os.stat_result:
    """Return the stat of `path` if it may be read; never opens it.

    Raises:
        FileNotFoundError: nothing there (or a dangling symlink).
        UnsafeFileError: not a regular file, a symlink leaving `root`, or over `limit` bytes.
    """
    if root is not None and os.path.islink(path) and not inside(path, root):
        raise UnsafeFileError(path, "lien symbolique qui sort du dossier "
                                    f"{display(os.fspath(root))} : refusé, le fichier n'a pas été lu")
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise UnsafeFileError(path, f"{_kind(info.st_mode)} : ignoré sans être lu")
    if limit is not None and info.st_size > limit:
        raise UnsafeFileError(path, f"fichier trop volumineux ({_megabytes(info.st_size)}; "
                                    f"limite : {_megabytes(limit)})")
    return info


def read_regular(path, *, root=None, limit: int | None = None) -> bytes:
    """Return the bytes of `path`, read only if it is a regular file within `root` and `limit`.

    The file is checked with os.stat before it is opened, then opened with O_NONBLOCK and checked
    again on the open descriptor (a file swapped for a FIFO in between cannot block the read).

    Raises:
        FileNotFoundError, PermissionError, OSError: as the system says.
        UnsafeFileError: see `check_regular`; also a file that grew past `limit` while read.
    """
    check_regular(path, root=root, limit=limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafeFileError(path, f"{_kind(info.st_mode)} : ignoré sans être lu")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            # Ask for the size the file has (a read of `limit` bytes would allocate them all),
            # then for whatever it may have grown by, still within the limit.
            want = info.st_size + 1 if limit is None else min(info.st_size, limit) + 1
            data = handle.read(want)
            if len(data) == want:
                data += handle.read() if limit is None else handle.read(limit + 1 - len(data))
    finally:
        os.close(fd)
    if limit is not None and len(data) > limit:
        raise UnsafeFileError(path, f"fichier trop volumineux (limite : {_megabytes(limit)})")
    return data


# What no output can carry: C0 controls but tab, newline and carriage return; DEL and the C1
# controls (invisible, and some terminals act on them); lone surrogates (no UTF-8 encoding);
# U+FFFE and U+FFFF (not characters; not allowed in XML 1.0).
_BAD = BAD_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_BAD_IN_LINE = BAD_IN_LINE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def bad_character(text: str, *, multiline: bool = True) -> str | None:
    """Return a French description of the first character of `text` no output can carry, or None.

    With multiline=False, tab, newline and carriage return (and the Unicode line and paragraph
    separators) are refused too: for a name or an identifier.
    """
    found = (_BAD if multiline else _BAD_IN_LINE).search(text)
    if found is None:
        return None
    char = found.group()
    code = f"U+{ord(char):04X}"
    if "\ud800" <= char <= "\udfff":
        what = "moitié de paire de substitution isolée (texte Unicode invalide)"
    elif char in "\ufffe\uffff":
        what = "non-caractère Unicode"
    elif char in "\t\n\r\u2028\u2029":
        what = "saut de ligne ou tabulation"
    else:
        what = "caractère de contrôle invisible"
    return f"caractère interdit {code} ({what}) à la position {found.start() + 1}"


_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    """True when `text` holds a lone surrogate: it is not valid Unicode and has no UTF-8 form."""
    return _SURROGATE.search(text) is not None


def clean_text(text: str) -> str:
    """`text` with every character `bad_character` refuses (tab, newline and carriage return
    are kept) replaced by U+FFFD, the replacement character."""
    return text if _BAD.search(text) is None else _BAD.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def display(text: str) -> str:
    """`text` made safe to print or write in UTF-8: surrogates (undecodable bytes of a file
    name) become U+FFFD, control characters become « ? »."""
    if _BAD_IN_LINE.search(text) is None:
        return text
    # Any surrogate (an undecodable byte of a file name, or a lone "\ud800" written in JSON)
    # has no UTF-8 form: each becomes U+FFFD.
    return _BAD_IN_LINE.sub("?", _SURROGATE.sub("\ufffd", text))


# A cheap scan for the nesting depth of JSON, run before json.loads so a file of 100,000
# brackets is refused without recursing: strings are blanked out (a bracket inside a text does
# not count), then only the brackets are kept.
_JSON_STRING = re.compile(r'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]++")
_STEP = str.maketrans({"[": "1", "{": "1", "]": "0", "}": "0"})


def json_too_deep(text: str, limit: int) -> bool:
    """True when the JSON `text` nests arrays and objects deeper than `limit`."""
    if text.count("[") + text.count("{") <= limit:
        return False
    depth = 0
    for step in _NOT_BRACKET.sub("", _JSON_STRING.sub('""', text)).translate(_STEP):
        if step == "1":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False
