"""Outputs written as a set, debris cleaned, short names, quiet broken pipes.

- Item 7: two runs into one folder never leave a mixed set. A run holds the
  folder's `.tthc.lock` while it writes; the other refuses with a Vietnamese
  message, exit code 2, having written nothing. A dead writer's lock is taken over.
- Item 8a: a killed run's temporaries (`.NAME.tthc-<pid>.<rand>.tmp`, PDF scratch
  folders) are removed by the next run into the folder; a live process's are not.
- Item 11: a unit name of 32.000 characters gives file names the system accepts;
  a closed standard output (`tthc check x | head -1`) ends the command quietly.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from test_rollup import quarter_months

from helpers import sample_data
from tthc.app.outputs import MAX_STEM, output_stem, report_targets
from tthc.cli.commands import run
from tthc.core.model import ReportInput
from tthc.core.report_data import load_report
from tthc.infra import safe_write
from tthc.infra.safe_write import (
    LOCK_NAME,
    FolderBusy,
    folder_lock,
    remove_debris,
    write_bytes_atomic,
    write_many_atomic,
)
from tthc.workbook.template import build_workbook

STEM = "BaoCaoTTHC_xaBinhGiang_2026-03"
REPORT_NAMES = (f"{STEM}.txt", f"{STEM}.xlsx", f"{STEM}.docx")
BUSY = "đang được một lần chạy khác ghi; hãy đợi rồi chạy lại."


# --- helpers ----------------------------------------------------------------------------


def data_file(folder: Path, name: str = "so-lieu.json", marker: str | None = None) -> Path:
    data = sample_data()
    if marker is not None:
        data["shortcomings"] = [f"Tồn tại riêng của lần chạy RUN-{marker}."]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(root)): (p.lstat().st_size, p.lstat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def live_pid() -> Iterator[int]:
    """The pid of another process that stays alive for the test."""
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    try:
        yield child.pid
    finally:
        child.kill()
        child.wait(timeout=30)


def dead_pid() -> int:
    """The pid of a process that has exited and been reaped."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=30)
    assert not safe_write.pid_alive(child.pid)
    return child.pid


def lock_of(folder: Path, pid: int, host: str | None = None, age: float = 0) -> Path:
    """A lock file as another run leaves it: its pid, host and start time."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = folder / LOCK_NAME
    lock.write_text(f"{pid} {host or socket.gethostname()} {time.time():.0f} 00ff\n")
    if age:
        stamp = time.time() - age
        os.utime(lock, (stamp, stamp))
    return lock


# --- item 7: one writer per folder -----------------------------------------------------------


def test_a_report_into_a_folder_another_run_is_writing_writes_nothing(
    tmp_path: Path, live_pid: int, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    out = tmp_path / "ra"
    out.mkdir()
    for name in REPORT_NAMES:
        (out / name).write_bytes(b"the other run's " + name.encode())
    lock_of(out, live_pid)
    before = tree(out)

    assert run(["report", str(source), "-o", str(out), "--force"]) == 2
    captured = capsys.readouterr()
    assert f"Thư mục {out} {BUSY}" in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert tree(out) == before  # not a byte written, the other run's lock untouched


def test_a_lock_held_by_another_thread_is_respected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The race made deterministic: a writer holds the folder while the command runs."""
    source = data_file(tmp_path)
    out = tmp_path / "ra"
    holding, release = threading.Event(), threading.Event()

    def writer() -> None:
        with folder_lock(out):
            holding.set()
            release.wait(timeout=60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(timeout=30)
        before = tree(out)
        assert run(["report", str(source), "-o", str(out), "--force"]) == 2
        assert BUSY in capsys.readouterr().err
        assert tree(out) == before
    finally:
        release.set()
        thread.join(timeout=30)
    assert not (out / LOCK_NAME).exists()  # released by its holder
    assert run(["report", str(source), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_NAMES)


@pytest.mark.parametrize(
    "command", ["template", "export", "new", "demo", "rollup", "dossiers", "import"]
)
def test_every_writing_command_respects_the_lock(
    tmp_path: Path, live_pid: int, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    source = data_file(tmp_path / "vao")
    workbook = tmp_path / "vao" / "SoLieu.xlsx"
    assert run(["new", "--data", str(source), "-o", str(workbook)]) == 0
    months = []
    for report in quarter_months()[:2]:
        months.append(tmp_path / "vao" / f"thang-{report.period.start.month}.xlsx")
        build_workbook(report).save(months[-1])
    out = tmp_path / "ra"
    lock_of(out, live_pid)
    before = tree(out)
    argv = {
        "template": ["template", "-o", str(out / "Mau.xlsx")],
        "export": ["export", str(workbook), "-o", str(out / "x.json")],
        "new": ["new", "--data", str(source), "-o", str(out / "x.xlsx")],
        "demo": ["demo", "--out", str(out)],
        "rollup": ["rollup", *map(str, months), "-o", str(out / "Quy.xlsx")],
        "import": [
            "import",
            str(workbook),
            "-o",
            str(out / "x.xlsx"),
            "--name",
            "Bình Giang",
            "--period",
            "2026-03",
        ],
        "dossiers": [
            "dossiers",
            str(_dossier_list(tmp_path / "vao" / "ho-so.csv")),
            "--period",
            "2026-03",
            "--name",
            "Bình Giang",
            "-o",
            str(out / "x.xlsx"),
        ],
    }[command]
    capsys.readouterr()
    assert run(argv) == 2
    captured = capsys.readouterr()
    assert BUSY in captured.err, captured.out + captured.err
    assert "Lỗi ngoài dự kiến" not in captured.err
    assert tree(out) == before


def _dossier_list(path: Path) -> Path:
    header = "Mã hồ sơ,Lĩnh vực,Kênh tiếp nhận,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc,Trạng thái"
    row = "HS1,Hộ tịch,Trực tuyến,02/03/2026,05/03/2026,04/03/2026,Đã trả kết quả"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8-sig")
    return path


def test_a_dead_writers_lock_is_taken_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    out = tmp_path / "ra"
    lock_of(out, dead_pid())
    assert run(["report", str(source), "-o", str(out)]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_NAMES)  # lock gone too


def test_stale_locks_by_age_and_host(tmp_path: Path, live_pid: int) -> None:
    # Another machine's lock (a network share): its pid says nothing here, only its age.
    fresh = lock_of(tmp_path / "a", 12345, host="may-khac")
    with pytest.raises(FolderBusy):
        write_bytes_atomic(tmp_path / "a" / "x.txt", b"x")
    assert fresh.exists() and not (tmp_path / "a" / "x.txt").exists()
    lock_of(tmp_path / "b", 12345, host="may-khac", age=safe_write.STALE_LOCK_SECONDS + 60)
    write_bytes_atomic(tmp_path / "b" / "x.txt", b"x")
    # A live local pid, but a lock older than any write takes: pid reused, taken over.
    lock_of(tmp_path / "c", live_pid, age=safe_write.STALE_LOCK_SECONDS + 60)
    write_many_atomic([(tmp_path / "c" / "x.txt", b"x"), (tmp_path / "c" / "y.txt", b"y")])
    for folder in ("b", "c"):
        assert not (tmp_path / folder / LOCK_NAME).exists()
        assert (tmp_path / folder / "x.txt").read_bytes() == b"x"


def test_the_lock_is_reentrant_in_one_thread_and_released_on_failure(tmp_path: Path) -> None:
    with folder_lock(tmp_path):
        write_bytes_atomic(tmp_path / "a.txt", b"a")  # the set's own writes go through
        write_many_atomic([(tmp_path / "b.txt", b"b")])
        assert (tmp_path / LOCK_NAME).exists()
    assert not (tmp_path / LOCK_NAME).exists()
    with pytest.raises(safe_write.OutputExists), folder_lock(tmp_path):
        write_bytes_atomic(tmp_path / "a.txt", b"again")
    assert not (tmp_path / LOCK_NAME).exists()


RACER = """
import sys
from tthc.cli.commands import run
sys.exit(run(["report", sys.argv[1], "-o", sys.argv[2], "--force"]))
"""


def test_two_report_force_racing_never_leave_a_mixed_set(tmp_path: Path) -> None:
    """Two real processes, started together, twice: each set is one run's, whole."""
    inputs = [data_file(tmp_path, f"{marker}.json", marker) for marker in ("MOT", "HAI")]
    out = tmp_path / "ra"
    for _round in range(2):
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(source), str(out)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for source in inputs
        ]
        results = [(p.wait(timeout=120), p.communicate()) for p in racers]
        codes = [code for code, _streams in results]
        assert 0 in codes, results
        for code, (_stdout, stderr) in results:
            assert code == 0 or (code == 2 and BUSY in stderr), stderr
        text = (out / f"{STEM}.txt").read_text(encoding="utf-8")
        winner = "RUN-MOT" if "RUN-MOT" in text else "RUN-HAI"
        assert winner in text
        for name in REPORT_NAMES[1:]:
            assert _mentions(out / name, winner), name  # ASCII: the XML may escape the rest
        assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_NAMES)


def _mentions(path: Path, text: str) -> bool:
    """Whether an .xlsx/.docx (a zip of XML parts) holds the ASCII `text`."""
    with zipfile.ZipFile(path) as archive:
        return any(text.encode() in archive.read(name) for name in archive.namelist())


# --- item 8a: debris of killed runs --------------------------------------------------------


def test_the_next_write_removes_what_killed_runs_left(tmp_path: Path, live_pid: int) -> None:
    dead = dead_pid()
    debris = [
        tmp_path / f".{STEM}.xlsx.tthc-{dead}.k3j9x_2a.tmp",
        tmp_path / f".{STEM}.docx.tthc-{dead}.00000000.tmp",
        tmp_path / f".tthc.lock.{dead}.0123456789abcdef.stale",
    ]
    for path in debris:
        path.write_bytes(b"half a file")
    scratch = tmp_path / f".tthc-pdf-{dead}-abcd_123"
    scratch.mkdir()
    (scratch / "BaoCao.pdf").write_bytes(b"%PDF half")
    old = tmp_path / f".{STEM}.txt.tthc-{live_pid}.zzzzzzzz.tmp"  # pid reused since
    old.write_bytes(b"x")
    stamp = time.time() - safe_write.DEBRIS_SECONDS - 60
    os.utime(old, (stamp, stamp))
    kept = [
        tmp_path / f".{STEM}.xlsx.tthc-{live_pid}.abcdefgh.tmp",  # a live writer's
        tmp_path / f".{STEM}.xlsx.tthc-{os.getpid()}.abcdefgh.tmp",  # our own
        tmp_path / f".{STEM}.xlsx.k1ll3d00.tmp",  # not named by us: never ours to delete
        tmp_path / f".BaoCao.tthc-{dead}.tmp.docx",  # looks alike, is not
        tmp_path / f"BaoCao.tthc-{dead}.abcdefgh.tmp",  # not hidden: a user's file
    ]
    for path in kept:
        path.write_bytes(b"keep")

    write_bytes_atomic(tmp_path / "Mau.xlsx", b"new")

    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in kept] + ["Mau.xlsx"]
    )


def test_the_cli_cleans_the_folder_it_writes_into(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leftover = tmp_path / f".Mau.xlsx.tthc-{dead_pid()}.q1w2e3r4.tmp"
    leftover.write_bytes(b"PK half a workbook")
    assert run(["template", "-o", str(tmp_path / "Mau.xlsx")]) == 0
    capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Mau.xlsx"]


def test_temporaries_say_whose_they_are(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real = safe_write._place

    def spy(temporary: str, path: Path, overwrite: bool) -> None:
        seen.append(Path(temporary).name)
        real(temporary, path, overwrite)

    monkeypatch.setattr(safe_write, "_place", spy)
    write_bytes_atomic(tmp_path / "BaoCao.docx", b"d")
    (name,) = seen
    assert name.startswith(f".BaoCao.docx.tthc-{os.getpid()}.") and name.endswith(".tmp")
    assert safe_write.is_debris(name, 0) is False  # ours, alive
    assert remove_debris(tmp_path) == []


# --- item 11: long unit names, broken pipes -------------------------------------------------


def _named(name: str) -> ReportInput:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    report = loaded.report
    return replace(report, unit=replace(report.unit, name=name))


def test_a_long_unit_name_gives_a_short_deterministic_readable_stem() -> None:
    assert output_stem(_named("Bình Giang")) == STEM
    long_name = "Bình Giang " * 3000  # 33.000 characters: check accepts it
    stem = output_stem(_named(long_name))
    assert len(stem.encode()) <= MAX_STEM
    assert stem.startswith("BaoCaoTTHC_xaBinhGiangBinhGiang") and stem.endswith("_2026-03")
    assert stem == output_stem(_named(long_name))  # the same name, the same file
    other = output_stem(_named(long_name + "Mới"))  # differs only far past the cut
    assert other != stem and len(other) == len(stem)
    assert output_stem(_named("Bình Giang"), "SoLieu") == "SoLieu_xaBinhGiang_2026-03"


def test_files_named_after_a_long_unit_can_be_written(tmp_path: Path) -> None:
    targets = report_targets(_named("Bình Giang " * 3000), tmp_path, pdf=True)
    write_many_atomic([(path, b"x") for path in targets])  # temporaries' names included
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in targets)


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tthc", *args]


def _check_into(stdout: Any, source: Path) -> subprocess.CompletedProcess[str]:
    """`tthc check source` in a child whose standard output is `stdout`; stderr captured."""
    return subprocess.run(
        _command("check", str(source)),
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
    )


def test_a_closed_standard_output_ends_quietly(tmp_path: Path) -> None:
    """`tthc check x | head -1` after head has gone: no «Lỗi ngoài dự kiến», code 141."""
    source = data_file(tmp_path)
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first line
    try:
        done = _check_into(writer, source)
    finally:
        os.close(writer)
    assert done.returncode == 141
    assert done.stderr == ""  # not a word: no traceback, no "Exception ignored"


def test_a_pipe_closed_halfway_ends_quietly(tmp_path: Path) -> None:
    """The reader takes one line and leaves, as `head -1` does, while findings still come."""
    data = sample_data()
    for row in data["appendix"]["rows"]:
        row["online"] = str(row["online"])  # text numbers: one warning each, many lines
    source = tmp_path / "so-lieu.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    child = subprocess.Popen(
        _command("check", str(source)), stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()
    stderr = child.stderr.read().decode()
    child.stderr.close()
    code = child.wait(timeout=120)
    assert first
    assert "Lỗi ngoài dự kiến" not in stderr and "Traceback" not in stderr, stderr
    assert code in {0, 1, 141}  # 141 when the rest met the closed pipe; it may all fit first


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_said_on_standard_error(tmp_path: Path) -> None:
    source = data_file(tmp_path)
    with open("/dev/full", "w") as full:
        done = _check_into(full, source)
    assert done.returncode == 2
    assert done.stderr.startswith("Không ghi được kết quả ra màn hình hoặc tệp: ổ đĩa đã đầy")
    assert "Lỗi ngoài dự kiến" not in done.stderr and "Exception ignored" not in done.stderr
