"""The shared hand-in folder of a class on a JupyterHub ($OCKIT_HANDIN).

When the hub sets OCKIT_HANDIN=DIR for every learner, each export of a submission (the
« Exporter ma remise » button of notebooks 00 and 07, `ockit export-submission`) also drops
a copy in DIR, under a new file name per hand-in:

    remise-<who>-<AAAAMMJJTHHMMSS>-<NNN>.json

`<who>` is the hub user name ($JUPYTERHUB_USER, an account id the hub already knows), made
file-name safe. Outside a hub, or when $OCKIT_HANDIN_PSEUDONYM is set (for hubs whose user
names are people's names or e-mail addresses), it is the pseudonym of the name
(`ockit.classroom.pseudonym`, « apprenant-3f9a0c12d4 »): the learner's real name is never in
clear in a file name of the shared folder (it stays inside the file, for the instructor).

A file is created exclusively (a hard link of a fully written temporary file, else O_EXCL), so
a hand-in never replaces another learner's file nor the learner's own earlier hand-in; the
counter NNN only moves on when two hand-ins fall in the same second. `ockit class-report DIR`
reads the folder as it is and keeps each learner's latest hand-in.
"""

from __future__ import annotations

import errno
import json
import os
import re
import tempfile
from datetime import datetime
from pathlib import Path

ENV = "OCKIT_HANDIN"
PSEUDONYM_ENV = "OCKIT_HANDIN_PSEUDONYM"
PREFIX = "remise-"
FILE_MODE = 0o640  # the instructor's group reads it (see deploy/jupyterhub/jupyterhub_config.py)
MAX_COUNTER = 999


class HandinError(OSError):
    """The hand-in folder cannot take the file; the French message names the folder."""


def handin_folder(folder=None) -> Path | None:
    """The hand-in folder: `folder`, else $OCKIT_HANDIN, else None (no hand-in folder)."""
    value = folder if folder is not None else os.environ.get(ENV, "").strip()
    return Path(value).expanduser() if value else None


def _safe(text: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", text.casefold()).strip("-.")[:60]


def who(learner: str) -> str:
    """The `<who>` part of a hand-in file name for this learner (never the name in clear)."""
    from .classroom import pseudonym

    user = os.environ.get("JUPYTERHUB_USER", "").strip()
    if user and not os.environ.get(PSEUDONYM_ENV) and _safe(user):
        return _safe(user)
    return pseudonym(user or learner)


def hand_in(submission, folder=None, *, now: datetime | None = None) -> Path:
    """Write `submission` as a new file of the hand-in folder and return its path.

    Raises:
        HandinError: no hand-in folder is set, or it cannot be written (French message).
    """
    target_dir = handin_folder(folder)
    if target_dir is None:
        raise HandinError(f"Aucun dossier de remise : la variable {ENV} n'est pas définie.")
    if not target_dir.is_dir():
        raise HandinError(f"Dossier de remise introuvable : {target_dir} (variable {ENV}). "
                          "Signalez-le à votre enseignant·e; votre remise n'y a pas été déposée.")
    text = json.dumps(submission.to_dict(), ensure_ascii=False, indent=2) + "\n"
    stem = f"{PREFIX}{who(submission.learner)}-{(now or datetime.now()).strftime('%Y%m%dT%H%M%S')}"
    try:
        return _create(target_dir, stem, text.encode("utf-8"))
    except HandinError:
        raise
    except OSError as exc:
        from .oserrors import reason

        raise HandinError(f"Impossible de déposer la remise dans {target_dir} ({reason(exc)}). "
                          "Signalez-le à votre enseignant·e.") from None


def _create(folder: Path, stem: str, data: bytes) -> Path:
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".remise-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, FILE_MODE)
        for counter in range(1, MAX_COUNTER + 1):
            target = folder / f"{stem}-{counter:03d}.json"
            try:
                os.link(tmp, target)  # atomic and exclusive: fails if target exists
                return target
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                                     errno.EMLINK, errno.ENOSYS):
                    raise
                created = _create_exclusive(target, data)  # a filesystem without hard links
                if created:
                    return target
        raise HandinError(f"Trop de remises dans la même seconde dans {folder}; réessayez.")
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass


def _create_exclusive(target: Path, data: bytes) -> bool:
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def notice(path) -> str:
    """The French sentence telling the learner where the hand-in went (plain text)."""
    return f"Remise déposée dans le dossier de remise de la classe : {path}."
