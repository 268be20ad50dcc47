"""Exam mode: answers are saved, but correctness and the key are shown only after the hand-in.

An instructor turns it on for a whole class with the environment variable ``OCKIT_EXAM`` (a
JupyterHub sets it for every learner: ``c.Spawner.environment``), or for one notebook with a
first cell ``import ockit.exam; ockit.exam.enable("examen-1")``. Its value names the exam
(``OCKIT_EXAM=examen-1``; ``1`` or ``oui`` name it « examen »): a hand-in unlocks the corrections
of that exam only, so a later exam with the same progress file starts hidden again.

While the exam runs, the widgets say only that an answer was saved; they show no score, no
« Voir la réponse », no results per axis; quiz checks are saved without their correctness, so
the progress file holds nothing of the key either. Once the learner has handed in (the export
button or ``ockit export-submission``), the hand-in is noted beside the progress file, the
answers can no longer be changed, and the corrections are shown.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path

log = logging.getLogger(__name__)

ENV = "OCKIT_EXAM"
_TRUE = {"1", "oui", "yes", "true", "vrai", "on"}
_OFF = {"", "0", "non", "no", "false", "faux", "off"}
DEFAULT = "examen"
_enabled_here: str | None = None

SAVED_ONLY = ("Réponse enregistrée. <strong>Mode examen</strong> : la correction s'affichera après "
              "votre remise (bouton « Exporter ma remise »).")
LOCKED = ("<strong>Remise faite</strong> : en mode examen, vos réponses ne peuvent plus être modifiées. "
          "Voici la correction.")


def enable(name: str = DEFAULT) -> None:
    """Turn exam mode on for this kernel (one notebook), whatever the environment says."""
    global _enabled_here
    _enabled_here = str(name).strip() or DEFAULT


def disable() -> None:
    """Turn off the exam mode set by `enable()` (the environment variable still applies)."""
    global _enabled_here
    _enabled_here = None


def configured() -> str | None:
    """Return the name of the exam in force (by `enable()`, else $OCKIT_EXAM), or None."""
    if _enabled_here:
        return _enabled_here
    value = os.environ.get(ENV, "").strip()
    if value.lower() in _OFF:
        return None
    return DEFAULT if value.lower() in _TRUE else value


def handin_record(store) -> Path | None:
    """Return the file that notes the learner's hand-ins, beside the progress file."""
    path = getattr(store, "path", None)
    return None if path is None else Path(path).with_name(Path(path).stem + "-remises.json")


def _handins(store) -> list:
    from .safeio import UnsafeFileError, read_regular

    record = handin_record(store)
    if record is None:
        return []
    try:
        # Read as untrusted, like the progress file beside it: a FIFO there must not hang.
        data = json.loads(read_regular(record, limit=1_000_000).decode("utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnsafeFileError, ValueError, RecursionError):
        log.debug("unreadable hand-in record %s", record, exc_info=True)
        return []
    times = data.get("handed_in") if isinstance(data, dict) else None
    return [t for t in times if isinstance(t, dict)] if isinstance(times, list) else []


def handed_in(store, name: str | None = None) -> bool:
    """True when the learner of this store has handed in exam `name` (default: the one in force)."""
    name = name or configured()
    return name is not None and any(t.get("exam") == name for t in _handins(store))


def note_handin(store, out) -> None:
    """Note a hand-in made during an exam (no-op outside exam mode); never raises."""
    from .atomic import atomic_write_text

    name = configured()
    record = handin_record(store)
    if name is None or record is None:
        return
    times = _handins(store)
    times.append({"exam": name, "at": datetime.now().astimezone().isoformat(timespec="seconds"),
                  "file": Path(out).name})
    try:
        atomic_write_text(record, json.dumps({"format": "ockit-handins/1", "handed_in": times},
                                             ensure_ascii=False, indent=2) + "\n")
    except OSError:
        pass  # the hand-in itself succeeded; only the unlocking of corrections waits


def hiding(store) -> bool:
    """True while the key must stay hidden: exam mode is set and the learner has not handed in."""
    return configured() is not None and not handed_in(store)


def locked(store) -> bool:
    """True once an exam has been handed in: answers can no longer change."""
    return configured() is not None and handed_in(store)


def hiding_for_default_store() -> bool:
    """`hiding` for the default progress file (the one the widgets use when given none)."""
    if configured() is None:
        return False
    from types import SimpleNamespace

    from .progress import default_path

    return hiding(SimpleNamespace(path=default_path()))


HIDDEN_RESULTS = ("Mode examen : vos résultats par axe et la correction s'afficheront après votre remise "
                  "(bouton « Exporter ma remise »).")
