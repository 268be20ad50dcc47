"""French words for the operating system's file errors, for messages meant for people."""

from __future__ import annotations

import errno

REASONS = {
    errno.ENOENT: "fichier ou dossier introuvable",
    errno.EISDIR: "c'est un dossier, alors qu'un fichier est attendu",
    errno.ENOTDIR: "un élément du chemin n'est pas un dossier",
    errno.EEXIST: "un fichier de ce nom existe déjà",
    errno.EACCES: "permission refusée",
    errno.EPERM: "opération non permise",
    errno.ENOSPC: "plus d'espace sur le disque",
    errno.EROFS: "le disque est en lecture seule",
    errno.ENAMETOOLONG: "nom de fichier trop long",
}


def reason(exc: OSError) -> str:
    """The French reason of an OSError, without the path (« permission refusée »)."""
    if exc.errno is None:
        return "erreur du système"
    return REASONS.get(exc.errno, f"erreur du système ({errno.errorcode.get(exc.errno, exc.errno)})")


def describe(exc: OSError) -> str:
    """A French sentence naming the path and the reason of an OSError."""
    where = exc.filename if exc.filename is not None else "un fichier"
    return f"Impossible d'utiliser {where} : {reason(exc)}."
