"""A class on JupyterHub: time to the first feedback, memory per learner, learners per machine.

Runs the hub of tests/hub/ (deploy/jupyterhub/jupyterhub_config.py with NativeAuthenticator and
the idle culler, configurable-http-proxy, SimpleLocalProcessSpawner instead of SystemdSpawner,
the kit installed from its wheel into a fresh venv, nbgitpuller, Chromium through Playwright):

- time: from the hub's start (with the learner's sign-up and approval) to the first feedback
  of « Vérifier » in the browser (log in, open the workshop through the `ockit hub-link` link,
  which starts the server and pulls the course, run the notebook, tick an axis, click). Floor,
  same run: the start of a bare JupyterLab server from the same venv, until it answers /api/status.
- memory: the resident memory (RSS, summed over the learner's server and its kernel, read in
  /proc) with the workshop running. Floor, same run: the RSS of that bare JupyterLab server.
  RSS counts shared pages in full for every process, so it overestimates: the capacity is
  conservative. Also printed: PSS (shared pages split between processes).
- capacity: how many learners' servers fit in a 24 GiB machine, keeping 2 GiB for the
  system, the hub and the proxy. Exits 1 below --min-learners (default 30, the smallest class).

Usage: .venv/bin/python benchmarks/bench_hub.py [--min-learners 30]   (needs `make hub-proxy`)
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.hub.conftest import free_port, start_hub, stop_group, stop_hub  # noqa: E402
from tests.kitenv import build_wheel, make_venv  # noqa: E402

MACHINE_GIB = 24
RESERVED_GIB = 2
TIMEOUT = 120_000  # milliseconds


def tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in KiB summed over `pid` and its descendants."""
    rss = pss = 0
    for p in tree(pid):
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss, pss


def first_feedback(hub, user: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    from tests.browser.test_workshop_browser import CHROMIUM_ARGS, find_chromium, first_case_and_axis
    from tests.hub.test_hub_class import WORKSHOP, run_all_cells

    _, _, label = first_case_and_axis()
    link = hub.link(WORKSHOP)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 2000})
            page.set_default_timeout(TIMEOUT)
            page.goto(f"{hub.url}/hub/login", wait_until="domcontentloaded")
            page.locator("#username_input").fill(user)
            page.locator("#password_input").fill(hub.password)
            page.locator("#login_submit").click()
            page.wait_for_url(re.compile(r"/(hub/spawn|hub/spawn-pending|user/)"))
            page.goto(link, wait_until="domcontentloaded")
            page.wait_for_url(re.compile(r"/lab/tree/cours/notebooks/06_"))
            box = page.get_by_role("checkbox", name=label, exact=True)
            for attempt in (1, 2):
                run_all_cells(page, expect)
                try:
                    expect(box).to_be_visible(timeout=TIMEOUT // 2)
                    break
                except AssertionError:
                    if attempt == 2:
                        raise
            box.click()
            page.get_by_role("button", name="Vérifier", exact=True).click()
            expect(page.get_by_role("status").filter(has_text="Tentative n° 1")).to_be_visible(timeout=TIMEOUT)
        finally:
            browser.close()


def bare_lab(kit_bin: Path, root: Path, env: dict) -> tuple[float, tuple[int, int]]:
    """Start a bare JupyterLab from the kit's venv: (seconds to /api/status, (RSS, PSS) KiB)."""
    port, token = free_port(), secrets.token_hex(16)
    command = [str(kit_bin / "python"), "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    start = time.monotonic()
    process = subprocess.Popen(command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    try:
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() - start > 120:
                    raise RuntimeError("JupyterLab nu ne démarre pas.")
                time.sleep(0.1)
        seconds = time.monotonic() - start
        time.sleep(2)  # let it settle, as the learner's server has
        return seconds, memory_kib(process.pid)
    finally:
        stop_group(process.pid, process=process)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-learners", type=int, default=30)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-hub-") as tmp:
        tmp = Path(tmp)
        kit_bin = make_venv(tmp / "venv", build_wheel(tmp / "roue"))
        env = {k: v for k, v in os.environ.items() if k not in ("OCKIT_PROGRESS", "PYTHONPATH")}
        env.update(JUPYTERLAB_DIR=str(Path(sys.prefix) / "share" / "jupyter" / "lab"),
                   JUPYTER_PATH=str(Path(sys.prefix) / "share" / "jupyter"),
                   JUPYTER_CONFIG_PATH=str(Path(sys.prefix) / "etc" / "jupyter"),
                   JUPYTER_PLATFORM_DIRS="1", HOME=str(tmp / "home-nu"),
                   PATH=f"{kit_bin}{os.pathsep}{os.environ.get('PATH', '')}")
        (tmp / "nu").mkdir()
        floor_seconds, (floor_rss, floor_pss) = bare_lab(kit_bin, tmp / "nu", env)
        root = tmp / "hub"
        root.mkdir()
        user = "etu-0001"
        start = time.monotonic()
        hub = start_hub(root, kit_bin, users=(user,))
        try:
            first_feedback(hub, user)
            to_feedback = time.monotonic() - start
            time.sleep(2)
            hub.remember_pid(user)
            (pid,) = hub.pids
            user_rss, user_pss = memory_kib(pid)
        finally:
            stop_hub(hub)
    usable_kib = (MACHINE_GIB - RESERVED_GIB) * 1024 * 1024
    learners = usable_kib // user_rss
    print(f"Démarrage du hub -> première rétroaction dans le navigateur : {to_feedback:.1f} s; "
          f"plancher (JupyterLab nu jusqu'à /api/status) : {floor_seconds:.1f} s; "
          f"rapport : {to_feedback / floor_seconds:.1f}")
    print(f"Mémoire d'un·e apprenant·e (serveur + noyau, atelier en cours) : RSS {user_rss / 1024:.0f} Mio "
          f"(PSS {user_pss / 1024:.0f} Mio); plancher (JupyterLab nu) : RSS {floor_rss / 1024:.0f} Mio; "
          f"rapport : {user_rss / floor_rss:.2f}")
    print(f"Machine de {MACHINE_GIB} Gio ({RESERVED_GIB} Gio gardés pour le système et le hub) : "
          f"{learners} apprenant·es simultané·es (selon la RSS; {usable_kib // user_pss} selon la PSS)")
    if learners < args.min_learners:
        print(f"Moins de {args.min_learners} apprenant·es : trop gourmand.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
