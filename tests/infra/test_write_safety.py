"""Never lose the user's data: killed writers, refusals, read-only folders, full disks, locks.

Every output goes through `tthc.infra.safe_write.write_bytes_atomic` (a temporary file
in the same folder, flushed, fsynced and renamed into place). These tests break
that path the ways real machines do and check, byte for byte, that every file
that existed before is still there as it was, and that the user gets a
Vietnamese message and exit code 2 instead of a traceback.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from helpers import sample_data
from tthc.cli.commands import run
from tthc.infra import safe_write
from tthc.infra.safe_write import OutputExists, free_name, write_bytes_atomic

STEM = "BaoCaoTTHC_xaBinhGiang_2026-03"
REPORT_NAMES = (f"{STEM}.txt", f"{STEM}.xlsx", f"{STEM}.docx")
PREVIOUS = b"PREVIOUS VERSION \x00\x01\x02 " * 4096  # known bytes, not a valid output


# --- helpers ----------------------------------------------------------------------


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.glob(".*.tmp"))


def data_file(folder: Path, name: str = "so-lieu.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(sample_data(), ensure_ascii=False), encoding="utf-8")
    return path


def input_workbook(folder: Path, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    """The seed as the user's filled workbook, made through `tthc new --data`."""
    folder.mkdir(parents=True, exist_ok=True)
    source = data_file(folder, "nguon.json")
    target = folder / name
    assert run(["new", "--data", str(source), "-o", str(target)]) == 0
    source.unlink()
    capsys.readouterr()
    return target


def existing_reports(folder: Path) -> dict[str, bytes]:
    """Earlier report outputs the user may have edited by hand."""
    folder.mkdir(parents=True, exist_ok=True)
    previous = {}
    for name in REPORT_NAMES:
        content = f"bản cũ đã sửa tay: {name}".encode() + PREVIOUS
        (folder / name).write_bytes(content)
        previous[name] = content
    return previous


def assert_unchanged(folder: Path, previous: dict[str, bytes]) -> None:
    for name, content in previous.items():
        assert (folder / name).read_bytes() == content, f"{name} was changed"


def errors(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    return captured.out + captured.err


def assert_vietnamese_failure(message: str) -> None:
    assert "Traceback" not in message
    assert "Lỗi ngoài dự kiến" not in message  # handled, not the last line of defence
    assert "Không ghi được" in message, message


# --- (1) a writer killed halfway ----------------------------------------------------

CHILD = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    from tthc.infra import safe_write

    target, mode, size = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    real_fdopen, real_fsync = os.fdopen, os.fsync


    class SlowStream:
        # The real file object, but write() goes chunk by chunk and says when it is halfway.
        def __init__(self, raw):
            self.raw = raw

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.raw.close()

        def write(self, data):
            view = memoryview(data)
            chunk = max(1024, len(view) // 64)
            for start in range(0, len(view), chunk):
                self.raw.write(view[start : start + chunk])
                self.raw.flush()
                if start >= len(view) // 2 and mode == "mid-write":
                    print("HALFWAY", flush=True)
                    time.sleep(0.05)
            return len(view)

        def flush(self):
            self.raw.flush()

        def fileno(self):
            return self.raw.fileno()


    def hanging_fsync(fd):
        real_fsync(fd)
        print("HALFWAY", flush=True)  # all data in the temporary file, not renamed yet
        time.sleep(3600)


    os.fdopen = lambda fd, *args, **kwargs: SlowStream(real_fdopen(fd, *args, **kwargs))
    if mode == "before-rename":
        os.fsync = hanging_fsync
    if sys.argv[4] == "library":
        safe_write.write_bytes_atomic(target, b"N" * size, overwrite=True)
    else:
        from tthc.cli.commands import run

        sys.exit(run(["template", "-o", str(target), "--force"]))
    print("FINISHED", flush=True)
    """
)


def kill_while_writing(target: Path, mode: str, via: str, size: int) -> list[Path]:
    """Run the writer in a child, SIGKILL it once it is halfway; the temporaries left."""
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(target), mode, str(size), via],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline()  # blocks until the child is halfway (or dies)
        assert line.strip() == "HALFWAY", (line, child.stderr.read() if child.stderr else "")
        left = temporaries(target.parent)
        assert left, "the child should be writing a temporary file beside the target"
        assert all(p.stat().st_size > 0 for p in left)
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait(timeout=30)
        for stream in (child.stdout, child.stderr):
            if stream is not None:
                stream.close()
    assert child.returncode == -signal.SIGKILL
    return temporaries(target.parent)


@pytest.mark.parametrize("mode", ["mid-write", "before-rename"])
@pytest.mark.parametrize(
    ("via", "name", "size"),
    [
        ("library", "BaoCaoTTHC_xaBinhGiang_2026-03.xlsx", 200 * 1024 * 1024),
        ("cli-template", "Mau_NhapLieu.xlsx", 0),
    ],
)
def test_a_writer_killed_halfway_leaves_the_previous_file_byte_for_byte(
    tmp_path: Path, mode: str, via: str, name: str, size: int
) -> None:
    target = tmp_path / name
    target.write_bytes(PREVIOUS)
    before = target.stat()

    left = kill_while_writing(target, mode, via, size)

    assert target.read_bytes() == PREVIOUS  # byte for byte
    assert target.stat().st_ino == before.st_ino  # the very same file, never renamed over
    # What a kill leaves behind is hidden and clearly temporary, never the target's name.
    assert len(left) == 1
    leftover = left[0]
    assert leftover.name.startswith(f".{name}.tthc-") and leftover.name.endswith(".tmp")
    assert leftover.read_bytes() != PREVIOUS
    # The killed writer also leaves its folder lock, with its (now dead) pid in it.
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [name, leftover.name, safe_write.LOCK_NAME]
    )

    # The next write is not confused by the leftover: it still sees the target as existing,
    # replaces exactly the target, and numbers a fresh copy after the target, not the leftover.
    with pytest.raises(OutputExists):
        write_bytes_atomic(target, b"new")
    assert free_name(target) == tmp_path / f"{target.stem} (2){target.suffix}"
    write_bytes_atomic(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new"
    # It took the dead writer's lock over and removed its debris: the folder is clean again.
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_a_leftover_temporary_is_not_taken_for_an_output_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A killed run's `.name.xyz.tmp` neither blocks the next report nor is overwritten by it."""
    source = data_file(tmp_path)
    leftover = tmp_path / f".{STEM}.xlsx.k1ll3d.tmp"
    leftover.write_bytes(b"half a workbook")
    assert run(["report", str(source)]) == 0
    capsys.readouterr()
    assert leftover.read_bytes() == b"half a workbook"
    assert all((tmp_path / name).stat().st_size > 0 for name in REPORT_NAMES)
    assert temporaries(tmp_path) == [leftover]


# --- (2) an existing output is replaced only with --force ---------------------------


def test_report_never_overwrites_existing_outputs_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    out = tmp_path / "ket-qua"
    previous = existing_reports(out)
    mtimes = {name: (out / name).stat().st_mtime_ns for name in REPORT_NAMES}

    assert run(["report", str(source), "-o", str(out)]) == 2
    message = errors(capsys)
    assert "đã có; thêm --force" in message and "Traceback" not in message
    assert_unchanged(out, previous)
    assert {name: (out / name).stat().st_mtime_ns for name in REPORT_NAMES} == mtimes
    assert temporaries(out) == []

    assert run(["report", str(source), "-o", str(out), "--force"]) == 0
    capsys.readouterr()
    for name, content in previous.items():
        assert (out / name).read_bytes() != content
    assert "1.018/1.018 hồ sơ" in (out / f"{STEM}.txt").read_text(encoding="utf-8")
    assert (out / f"{STEM}.xlsx").read_bytes()[:2] == b"PK"
    assert (out / f"{STEM}.docx").read_bytes()[:2] == b"PK"
    assert temporaries(out) == []


def test_report_refuses_all_when_only_one_output_exists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """All or nothing: one earlier output blocks the whole set, nothing new is written."""
    source = data_file(tmp_path)
    out = tmp_path / "ket-qua"
    out.mkdir()
    (out / f"{STEM}.docx").write_bytes(PREVIOUS)
    assert run(["report", str(source), "-o", str(out)]) == 2
    assert "--force" in errors(capsys)
    assert sorted(p.name for p in out.iterdir()) == [f"{STEM}.docx"]
    assert (out / f"{STEM}.docx").read_bytes() == PREVIOUS


@pytest.mark.parametrize("command", ["template", "new", "export"])
def test_single_file_commands_never_overwrite_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    workbook = input_workbook(tmp_path / "vao", capsys, "SoLieu.xlsx")
    target = tmp_path / ("out.json" if command == "export" else "out.xlsx")
    target.write_bytes(PREVIOUS)
    argv = {
        "template": ["template", "-o", str(target)],
        "new": ["new", "--name", "Bình Giang", "--period", "2026-04", "-o", str(target)],
        "export": ["export", str(workbook), "-o", str(target)],
    }[command]

    assert run(argv) == 2
    message = errors(capsys)
    assert f"Tệp {target} đã có; thêm --force" in message and "Traceback" not in message
    assert target.read_bytes() == PREVIOUS

    assert run([*argv, "--force"]) == 0
    capsys.readouterr()
    assert target.read_bytes() != PREVIOUS
    assert temporaries(tmp_path) == []


# --- (3) the user's input is never written -----------------------------------------


@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_the_users_input_is_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    folder = tmp_path / "cua-toi"
    if kind == "json":
        folder.mkdir()
        source = data_file(folder)
    else:
        source = input_workbook(folder, capsys, "SoLieu_thang3.xlsx")
    before = snapshot(source)
    time.sleep(0.01)  # a write would now give a different mtime

    assert run(["check", str(source)]) == 0
    assert run(["report", str(source)]) == 0  # outputs beside the input
    assert run(["report", str(source), "--force"]) == 0
    assert run(["report", str(source), "-o", str(tmp_path / "khac")]) == 0
    if kind == "xlsx":
        assert run(["export", str(source), "-o", str(tmp_path / "xuat.json")]) == 0
        assert run(["export", str(source), "-o", str(folder / "xuat.json"), "--force"]) == 0
    capsys.readouterr()

    assert snapshot(source) == before
    assert temporaries(folder) == []


def test_report_refuses_to_replace_an_input_named_like_its_output_even_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = input_workbook(tmp_path, capsys, f"{STEM}.xlsx")
    before = snapshot(source)
    assert run(["report", str(source), "--force"]) == 2
    message = errors(capsys)
    assert "trùng với tệp số liệu đầu vào" in message and "Traceback" not in message
    assert snapshot(source) == before
    assert not (tmp_path / f"{STEM}.txt").exists()  # refused before writing anything


def test_export_with_force_never_replaces_its_own_input_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = input_workbook(tmp_path, capsys, "SoLieu.xlsx")
    before = snapshot(source)
    code = run(["export", str(source), "-o", str(source), "--force"])
    capsys.readouterr()
    assert snapshot(source) == before
    assert code == 2


def test_new_with_force_never_replaces_the_previous_month_it_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = input_workbook(tmp_path, capsys, "Thang3.xlsx")
    before = snapshot(source)
    code = run(["new", "--from", str(source), "-o", str(source), "--force"])
    capsys.readouterr()
    assert snapshot(source) == before
    assert code == 2


# --- (4) a read-only output folder --------------------------------------------------


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    (folder / f"{STEM}.txt").write_bytes(PREVIOUS)
    folder.chmod(0o555)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip(
                "chmod 0o555 does not stop this user from writing (running as root, uid "
                f"{os.geteuid()}): a read-only folder cannot be made here; "
                "test_read_only_folder_simulated covers the same path with EACCES"
            )
        yield folder
    finally:
        folder.chmod(0o755)


def test_read_only_folder_gives_a_vietnamese_message(
    tmp_path: Path, read_only_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    assert run(["report", str(source), "-o", str(read_only_folder), "--force"]) == 2
    assert_vietnamese_failure(errors(capsys))
    assert run(["template", "-o", str(read_only_folder / "Mau.xlsx")]) == 2
    assert_vietnamese_failure(errors(capsys))
    assert sorted(p.name for p in read_only_folder.iterdir()) == [f"{STEM}.txt"]
    assert (read_only_folder / f"{STEM}.txt").read_bytes() == PREVIOUS


def _refuse_temporaries(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """What a read-only folder does to mkstemp, for users whom chmod cannot stop (root)."""
    real = tempfile.mkstemp

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        if Path(kwargs.get("dir") or ".").resolve() == folder.resolve():
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(folder))
        return real(*args, **kwargs)

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", mkstemp)


@pytest.mark.parametrize("command", ["report", "template", "export"])
def test_read_only_folder_simulated(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    workbook = input_workbook(tmp_path / "vao", capsys, "SoLieu.xlsx")
    folder = tmp_path / "chi-doc"
    previous = existing_reports(folder)
    (folder / "out.xlsx").write_bytes(PREVIOUS)
    (folder / "out.json").write_bytes(PREVIOUS)
    _refuse_temporaries(monkeypatch, folder)
    argv = {
        "report": ["report", str(workbook), "-o", str(folder), "--force"],
        "template": ["template", "-o", str(folder / "out.xlsx"), "--force"],
        "export": ["export", str(workbook), "-o", str(folder / "out.json"), "--force"],
    }[command]
    assert run(argv) == 2
    assert_vietnamese_failure(errors(capsys))
    assert_unchanged(folder, previous)
    assert (folder / "out.xlsx").read_bytes() == PREVIOUS
    assert (folder / "out.json").read_bytes() == PREVIOUS
    assert temporaries(folder) == []


# --- (5) a full disk ----------------------------------------------------------------


def _disk_full(monkeypatch: pytest.MonkeyPatch, where: str, after: int = 0) -> None:
    """ENOSPC from the `after`+1-th atomic write on: in fsync, or halfway through write()."""
    calls = {"n": 0}
    enospc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    if where == "fsync":
        real_fsync = os.fsync

        def fsync(fd: int) -> None:
            calls["n"] += 1
            if calls["n"] > after:
                raise enospc
            real_fsync(fd)

        monkeypatch.setattr(safe_write.os, "fsync", fsync)
    else:
        real_fdopen = os.fdopen

        class FillsUp:
            def __init__(self, raw: Any) -> None:
                self.raw = raw

            def __enter__(self) -> FillsUp:
                return self

            def __exit__(self, *exc: object) -> None:
                self.raw.close()

            def write(self, data: bytes) -> int:
                calls["n"] += 1
                if calls["n"] > after:
                    self.raw.write(data[: len(data) // 2])  # the disk fills up halfway
                    self.raw.flush()
                    raise enospc
                return int(self.raw.write(data))

            def flush(self) -> None:
                self.raw.flush()

            def fileno(self) -> int:
                return int(self.raw.fileno())

        def fdopen(fd: int, *args: Any, **kwargs: Any) -> Any:
            return FillsUp(real_fdopen(fd, *args, **kwargs))

        monkeypatch.setattr(safe_write.os, "fdopen", fdopen)


@pytest.mark.parametrize("where", ["fsync", "write"])
@pytest.mark.parametrize("command", ["report", "template", "export"])
def test_full_disk_gives_a_vietnamese_message_and_keeps_the_previous_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
    where: str,
) -> None:
    workbook = input_workbook(tmp_path / "vao", capsys, "SoLieu.xlsx")
    folder = tmp_path / "ra"
    previous = existing_reports(folder)
    (folder / "out.xlsx").write_bytes(PREVIOUS)
    (folder / "out.json").write_bytes(PREVIOUS)
    argv = {
        "report": ["report", str(workbook), "-o", str(folder), "--force"],
        "template": ["template", "-o", str(folder / "out.xlsx"), "--force"],
        "export": ["export", str(workbook), "-o", str(folder / "out.json"), "--force"],
    }[command]
    _disk_full(monkeypatch, where)

    assert run(argv) == 2
    message = errors(capsys)
    assert_vietnamese_failure(message)
    assert "ổ đĩa đã đầy" in message  # the reason, in Vietnamese
    assert os.strerror(errno.ENOSPC) in message  # and as the system said it, for support
    assert_unchanged(folder, previous)
    assert (folder / "out.xlsx").read_bytes() == PREVIOUS
    assert (folder / "out.json").read_bytes() == PREVIOUS
    assert temporaries(folder) == []
    assert temporaries(tmp_path / "vao") == []


def test_full_disk_on_a_later_report_file_leaves_every_earlier_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    folder = tmp_path / "ra"
    previous = existing_reports(folder)
    _disk_full(monkeypatch, "fsync", after=1)  # the .txt goes through, the .xlsx does not
    assert run(["report", str(source), "-o", str(folder), "--force"]) == 2
    assert_vietnamese_failure(errors(capsys))
    assert temporaries(folder) == []
    assert_unchanged(folder, previous)


# --- (6) a file locked by Excel -----------------------------------------------------


def _locked(monkeypatch: pytest.MonkeyPatch, locked: Path) -> None:
    """Windows refuses to replace a file Excel holds open: os.replace raises PermissionError."""
    real_replace: Callable[..., None] = os.replace

    def replace(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
        if Path(dst).resolve() == locked.resolve():
            raise PermissionError(
                errno.EACCES,
                "The process cannot access the file because it is being used by another process",
                str(dst),
            )
        real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(safe_write.os, "replace", replace)


@pytest.mark.parametrize("command", ["report", "template", "export"])
def test_a_file_locked_by_excel_gives_a_clear_message_and_stays_intact(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    workbook = input_workbook(tmp_path / "vao", capsys, "SoLieu.xlsx")
    folder = tmp_path / "ra"
    previous = existing_reports(folder)
    (folder / "out.xlsx").write_bytes(PREVIOUS)
    (folder / "out.json").write_bytes(PREVIOUS)
    locked, argv = {
        "report": (
            folder / f"{STEM}.txt",  # the first output written, so nothing is replaced
            ["report", str(workbook), "-o", str(folder), "--force"],
        ),
        "template": (folder / "out.xlsx", ["template", "-o", str(folder / "out.xlsx"), "--force"]),
        "export": (
            folder / "out.json",
            ["export", str(workbook), "-o", str(folder / "out.json"), "--force"],
        ),
    }[command]
    _locked(monkeypatch, locked)

    assert run(argv) == 2
    message = errors(capsys)
    assert_vietnamese_failure(message)
    assert "being used by another process" in message
    assert "tệp đang mở trong Excel/Word" in message
    assert_unchanged(folder, previous)
    assert (folder / "out.xlsx").read_bytes() == PREVIOUS
    assert (folder / "out.json").read_bytes() == PREVIOUS
    assert temporaries(folder) == []


def test_report_names_the_locked_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = data_file(tmp_path)
    folder = tmp_path / "ra"
    existing_reports(folder)
    locked = folder / f"{STEM}.xlsx"
    _locked(monkeypatch, locked)
    assert run(["report", str(source), "-o", str(folder), "--force"]) == 2
    assert locked.name in errors(capsys)


# --- (7) another program takes the name meanwhile; the folder is flushed ----------------------


def test_a_name_taken_between_check_and_rename_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another program creates the output while ours is being written: theirs stays."""
    target = tmp_path / "BaoCao.xlsx"
    real_fsync = safe_write.os.fsync

    def fsync_and_race(descriptor: int) -> None:
        real_fsync(descriptor)
        if not target.exists():
            target.write_bytes(b"written by another program")

    monkeypatch.setattr(safe_write.os, "fsync", fsync_and_race)
    with pytest.raises(OutputExists):
        write_bytes_atomic(target, b"ours")
    assert target.read_bytes() == b"written by another program"
    assert temporaries(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="a folder cannot be flushed on Windows")
def test_the_folder_is_flushed_after_the_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    flushed: list[str] = []
    real_fsync = safe_write.os.fsync

    def recording_fsync(descriptor: int) -> None:
        flushed.append("folder" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file")
        real_fsync(descriptor)

    monkeypatch.setattr(safe_write.os, "fsync", recording_fsync)
    write_bytes_atomic(tmp_path / "a.txt", b"a")
    assert flushed == ["file", "folder"]  # the data first, then the new name
    flushed.clear()
    safe_write.write_many_atomic([(tmp_path / "b.txt", b"b"), (tmp_path / "c.txt", b"c")])
    assert flushed == ["file", "file", "folder"]
