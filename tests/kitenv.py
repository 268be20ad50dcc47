"""The kit as a learner's hub gets it: a wheel built from a clean copy, in a virtualenv of its own.

`build_wheel` copies the files git would commit (tracked, plus new files not ignored) to a fresh
folder, so nothing of the working tree's data/, .venv or caches can leak in, and runs
`python -m pip wheel --no-deps . -w DIR` there. `make_venv` creates a new virtualenv WITHOUT
--system-site-packages and installs the wheel into it with --no-deps. To keep `make test`
fast and offline, the wheel's dependencies are not downloaded again: a `.pth` file puts the
site-packages of the kit's own .venv AFTER the new venv's own (so `import ockit` finds the
wheel, never the editable checkout, whose finder is not loaded), and `pip check` then confirms
that every dependency the wheel declares is satisfied by them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def clean_copy(dest: Path) -> Path:
    """Copy the files git would commit (tracked and new, not ignored) into dest."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=REPO, capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode("utf-8").split("\0")):
        source = REPO / rel
        if not source.is_file():  # deleted in the working tree
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
    return dest


def build_wheel(workdir: Path) -> Path:
    """Build the kit's wheel from a clean copy of the repository; return the .whl path."""
    source = clean_copy(workdir / "source")
    dist = workdir / "dist"
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--disable-pip-version-check",
                           "-q", ".", "-w", str(dist)], cwd=source, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, f"pip wheel a échoué :\n{done.stdout}\n{done.stderr}"
    wheels = sorted(dist.glob("ockit-*.whl"))
    assert len(wheels) == 1, f"Une roue ockit attendue dans {dist}, trouvé : {wheels}"
    return wheels[0]


def make_venv(where: Path, wheel: Path) -> Path:
    """A fresh virtualenv holding the wheel; return its bin/ folder."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=120)
    bin_dir = where / "bin"
    py = bin_dir / "python"
    purelib = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    (Path(purelib) / "zz-ockit-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n",
                                                          encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(py), "--disable-pip-version-check", "-q"]
    done = subprocess.run([*pip, "install", "--no-deps", "--no-index", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"Installation de la roue impossible :\n{done.stdout}\n{done.stderr}"
    return bin_dir


def venv_env(bin_dir: Path, **extra) -> dict:
    """The environment to run the venv's commands: its bin/ first, nothing of the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "OCKIT_DATA")}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env.update(extra)
    return env
