"""Write a file so that readers see the old content or the new one, never a mix."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write_text(path, text: str, *, shared: bool = False, durable: bool = True) -> None:
    """Write `text` (UTF-8) to `path` so that readers see the old file or the new one, never a mix.

    The text goes to a temporary file in the same folder, is flushed and fsynced, then renamed
    over `path` with os.replace. If anything fails (the text cannot be encoded, the disk is full),
    the temporary file is removed and the previous file is left as it was. The file is private
    to its owner (a learner's answers), unless `shared` (a report): then it gets the permissions
    a newly created file would get. `durable=False` skips the fsyncs (a report that can be
    rebuilt): the rename still means a reader never sees half a file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():  # said of the path given, not of the temporary file
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    data = text.encode("utf-8")  # before anything is created: a text that cannot be written fails here
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            if shared and hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o666 & ~_umask())
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError) and exc.filename == tmp:
            exc.filename, exc.filename2 = str(path), None  # name the file the user asked for
        raise
    if durable:
        _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    # The rename itself is durable only once the directory entry is on disk (POSIX).
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
