"""The reading processes of a consolidation die with it, even when it is killed with kill -9.

A consolidation killed while its pool is reading (the clerk closes the window, the
system's out-of-memory killer, `kill -9`) must not leave its workers running for
ever. The test starts a real consolidation in a process of its own, waits until
its workers are there, kills it with SIGKILL and looks the workers up in /proc:
Linux only (elsewhere it is skipped, and says why).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from helpers import sample_data
from tthc.core.report_data import load_report
from tthc.workbook.output import workbook_bytes
from tthc.workbook.template import build_workbook

PROC = Path("/proc")

pytestmark = pytest.mark.skipif(
    not (sys.platform.startswith("linux") and (PROC / "self" / "stat").exists()),
    reason="the processes are looked up in /proc, which only Linux has",
)

# A consolidation whose pool reads slowly, so that it is surely killed mid-run: each file
# takes a fifth of a second (the reader patched here, with "fork", is the one the workers
# run). "kernel": as it runs on Linux; "thread": without PR_SET_PDEATHSIG, the thread that
# watches the parent alone.
SCRIPT = textwrap.dedent(
    """
    import multiprocessing
    import sys
    import time
    from pathlib import Path

    import tthc.app.consolidate as consolidation

    multiprocessing.set_start_method("fork")
    real = consolidation._read_one

    def slow(path):
        time.sleep(0.2)
        return real(path)

    consolidation._read_one = slow
    if sys.argv[2] == "thread":  # the portable fallback alone, as on macOS and Windows
        consolidation._ask_for_death_signal = lambda: None
    consolidation.POOL_THRESHOLD = consolidation.SPAWN_POOL_THRESHOLD = 2
    consolidation.consolidate([Path(sys.argv[1])], workers=2)
    """
)


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(parent pid, state, start time) of a process, or None once it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (command) "
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every process below `root`, each with its start time (to tell a reused pid)."""
    parents: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        seen = _stat(int(entry.name))
        if seen is not None:
            parents.setdefault(seen[0], []).append(int(entry.name))
            started[int(entry.name)] = seen[2]
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found and child in started:
                found[child] = started[child]
                todo.append(child)
    return found


def _alive(pid: int, started: int) -> bool:
    seen = _stat(pid)
    return seen is not None and seen[2] == started and seen[1] not in ("Z", "X")


@pytest.mark.parametrize("way", ["kernel", "thread"])
def test_workers_die_when_the_consolidation_is_killed(tmp_path: Path, way: str) -> None:
    report = load_report(sample_data()).report
    assert report is not None
    data = workbook_bytes(build_workbook(report))
    folder = tmp_path / "cac-xa"
    folder.mkdir()
    for number in range(60):  # 60 files at 0,2 s on 2 workers: 6 s, far more than needed
        (folder / f"{number:03}.xlsx").write_bytes(data)
    script = tmp_path / "run.py"
    script.write_text(SCRIPT, encoding="utf-8")
    parent = subprocess.Popen(
        [sys.executable, str(script), str(folder), way],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: dict[int, int] = {}
    try:
        deadline = time.monotonic() + 30
        while len(workers) < 2 and time.monotonic() < deadline:
            assert parent.poll() is None, parent.stderr.read().decode() if parent.stderr else ""
            workers = _descendants(parent.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the pool never started"
        time.sleep(0.5)  # the workers are reading now
        assert parent.poll() is None, "the consolidation ended before it could be killed"
        workers = _descendants(parent.pid)
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        deadline = time.monotonic() + 5
        left = workers
        while left and time.monotonic() < deadline:
            time.sleep(0.1)
            left = {pid: start for pid, start in left.items() if _alive(pid, start)}
        assert not left, f"workers still running after their parent was killed: {sorted(left)}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid, start in workers.items():  # never leave any behind, whatever happened
            if _alive(pid, start):
                os.kill(pid, signal.SIGKILL)
