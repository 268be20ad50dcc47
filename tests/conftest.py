"""Test-wide setup: no test, and no notebook kernel started by nbval, touches real progress.

OCKIT_PROGRESS is set at import time (before any kernel starts, so the kernels inherit it) to a
file in a fresh temporary folder, unless the caller already chose one.
"""

import os
import tempfile
from pathlib import Path

import pytest

if not os.environ.get("OCKIT_PROGRESS"):
    os.environ["OCKIT_PROGRESS"] = str(Path(tempfile.mkdtemp(prefix="ockit-progress-")) / "progress.json")


@pytest.fixture
def store_path(tmp_path, monkeypatch) -> Path:
    """A progress file of this test's own, also set as $OCKIT_PROGRESS; it does not exist yet."""
    path = tmp_path / "progress" / "progress.json"
    monkeypatch.setenv("OCKIT_PROGRESS", str(path))
    return path


@pytest.fixture(scope="session")
def kit_wheel(tmp_path_factory) -> Path:
    """The kit's wheel, built once per run from a clean copy of the repository (tests/kitenv.py)."""
    from tests.kitenv import build_wheel

    return build_wheel(tmp_path_factory.mktemp("roue"))


@pytest.fixture(scope="session")
def kit_venv(tmp_path_factory, kit_wheel) -> Path:
    """The bin/ folder of a fresh virtualenv where the wheel is installed (tests/kitenv.py)."""
    from tests.kitenv import make_venv

    return make_venv(tmp_path_factory.mktemp("venv") / "kit", kit_wheel)
