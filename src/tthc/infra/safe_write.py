"""Writing output files so that a crash or a full disk never leaves half a file.

Each output goes to a temporary file in the target folder, is flushed to disk,
and is renamed into place in one step; the folder is then flushed too, so the
new name survives a power cut. An existing file is replaced only when the caller
allows it; otherwise the file is put in place with an operation that fails if the
name was taken meanwhile (a hard link on POSIX, a rename on Windows), so another
program creating the same file between our check and our rename is never
overwritten. Nothing the user typed is ever written by the CLI.

Two more promises, for runs that meet in one folder or die in it:

- **One writer per folder.** While a run writes, it holds ``.tthc.lock`` in the
  output folder: a file created with ``O_CREAT | O_EXCL`` (atomic on every
  system, Windows and network shares included) that holds the writer's pid,
  host name and start time. A second run that finds it refuses with
  `FolderBusy` before writing anything, so two ``report --force`` never leave
  the .docx of one input beside the .xlsx of the other. A lock whose writer is
  gone (same host, pid no longer alive) or that is older than
  `STALE_LOCK_SECONDS` is taken over. The lock is re-entrant within one thread,
  so a whole set (`folder_lock` around several writes) is one critical section.
- **Debris is cleaned up.** Temporary files are named
  ``.NAME.tthc-<pid>.<random>.tmp`` (and PDF scratch folders
  ``.tthc-pdf-<pid>-<random>``): a run killed with ``kill -9`` or a power cut
  leaves such a name behind, and the next run that takes the folder's lock
  removes every one whose pid is no longer alive, or that is older than
  `DEBRIS_SECONDS`. Temporaries of a live process are left alone, and so is
  every file not named by this module.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path

__all__ = [
    "DEBRIS_SECONDS",
    "LOCK_NAME",
    "STALE_LOCK_SECONDS",
    "FolderBusy",
    "OutputExists",
    "folder_lock",
    "free_name",
    "is_debris",
    "pid_alive",
    "remove_debris",
    "scratch_prefix",
    "temporary_prefix",
    "write_bytes_atomic",
    "write_many_atomic",
    "write_text_atomic",
]

LOCK_NAME = ".tthc.lock"
# Writing a set of outputs takes seconds (a PDF through LibreOffice at most its 180 s
# timeout): a lock this old belongs to no live writer, whatever its pid says.
STALE_LOCK_SECONDS = 15 * 60
# A temporary file this old is debris even if its pid was taken by another process since.
DEBRIS_SECONDS = 12 * 60 * 60
_NAME_BYTES = 150  # of the output's name kept in its temporary's name (a name is 255 bytes)
_TEMPORARY = re.compile(r"^\..+\.tthc-(\d+)\.[a-z0-9_]{8}\.tmp$")
_SCRATCH = re.compile(r"^\.tthc-pdf-(\d+)-[a-z0-9_]{8}$")
_STALE_ASIDE = re.compile(r"^\.tthc\.lock\.(\d+)\.[0-9a-f]{16}\.stale$")
_held = threading.local()  # folder key -> how many times this thread holds its lock


class OutputExists(FileExistsError):
    """The output exists and overwriting was not allowed."""


class FolderBusy(Exception):
    """Another run is writing into the folder; str() is the Vietnamese message for the user.

    Not an OSError on purpose: nothing failed on the disk, and handlers that explain
    OSErrors (``Không ghi được …``) must not misreport it.
    """

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"Thư mục {folder} đang được một lần chạy khác ghi; hãy đợi rồi chạy lại. Chưa "
            f"ghi tệp nào. (Nếu chắc không còn lần chạy nào khác, hãy xoá tệp {LOCK_NAME} "
            "trong thư mục đó.)"
        )
        self.folder = folder


# --- names of temporaries, and finding the debris of killed runs ---------------------------


def temporary_prefix(path: Path) -> str:
    """'.NAME.tthc-<pid>.': what a temporary for `path` starts with (mkstemp adds 8 chars)."""
    name = path.name.encode("utf-8")[:_NAME_BYTES].decode("utf-8", "ignore")
    return f".{name}.tthc-{os.getpid()}."


def scratch_prefix() -> str:
    """'.tthc-pdf-<pid>-': the prefix of a scratch folder beside the outputs."""
    return f".tthc-pdf-{os.getpid()}-"


def pid_alive(pid: int) -> bool:
    """Whether process `pid` exists on this machine (never signals or harms it)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _windows_pid_alive(pid)
    try:
        os.kill(pid, 0)  # signal 0: only asks whether it exists (on POSIX, not Windows!)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return False
    return True


if sys.platform == "win32":
    import ctypes

    def _windows_pid_alive(pid: int) -> bool:
        # os.kill(pid, 0) would *terminate* the process on Windows: ask the kernel instead.
        kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
        kernel32.OpenProcess.restype = ctypes.c_void_p
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
        try:
            code = ctypes.c_ulong()
            if not kernel32.GetExitCodeProcess(ctypes.c_void_p(handle), ctypes.byref(code)):
                return True
            return code.value == 259  # STILL_ACTIVE
        finally:
            kernel32.CloseHandle(ctypes.c_void_p(handle))


def is_debris(name: str, age_seconds: float) -> bool:
    """Whether `name` in a folder is what a killed run of this tool left behind.

    Only names this module makes qualify; one of a live process (this one included)
    is left alone unless it is older than `DEBRIS_SECONDS`.
    """
    for pattern in (_TEMPORARY, _SCRATCH, _STALE_ASIDE):
        match = pattern.match(name)
        if match is not None:
            return age_seconds > DEBRIS_SECONDS or not pid_alive(int(match.group(1)))
    return False


def remove_debris(folder: Path) -> list[Path]:
    """Remove what killed runs left in `folder` (see `is_debris`); the paths removed.

    Best effort: an entry that cannot be removed (in use on Windows, no permission)
    is left for a later run; nothing else in the folder is touched.
    """
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith("."):
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if not is_debris(entry.name, age):
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


# --- one writer per folder -------------------------------------------------------------------


def _key(folder: Path) -> str:
    return os.path.normcase(os.path.realpath(folder))


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's `LOCK_NAME` while the block writes; raise `FolderBusy` if taken.

    Creates the folder if needed. Re-entrant within a thread (a set written under one
    lock may call the single-file writers). The debris of killed runs is removed once
    the lock is ours. Where no lock file can be made at all (a read-only folder), the
    block runs unlocked: its own writes then fail with the real reason.
    """
    folder.mkdir(parents=True, exist_ok=True)
    held: dict[str, int] = _held.__dict__.setdefault("folders", {})
    key = _key(folder)
    if held.get(key):
        held[key] += 1
        try:
            yield
        finally:
            held[key] -= 1
        return
    token = _acquire(folder)
    held[key] = 1
    try:
        if token is not None:
            remove_debris(folder)
        yield
    finally:
        del held[key]
        if token is not None:
            _release(folder / LOCK_NAME, token)


def _acquire(folder: Path) -> bytes | None:
    """Create the lock file; its content (our token), or None when none can be made."""
    lock = folder / LOCK_NAME
    token = f"{os.getpid()} {socket.gethostname()} {time.time():.0f} {os.urandom(8).hex()}"
    content = token.encode("utf-8")
    # O_BINARY: Windows would otherwise translate bytes, and the lock would not read back as ours.
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0)
    for _attempt in range(5):
        try:
            descriptor = os.open(lock, flags, 0o644)
        except FileExistsError:
            if _take_over_if_stale(lock):
                continue
            raise FolderBusy(folder) from None
        except OSError:
            return None
        try:
            os.write(descriptor, content)
        finally:
            os.close(descriptor)
        return content
    raise FolderBusy(folder)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return b""  # a folder or an unreadable file of that name: judged by its age only


def _is_stale(content: bytes, age_seconds: float) -> bool:
    if age_seconds > STALE_LOCK_SECONDS:
        return True
    fields = content.decode("utf-8", "replace").split()
    if len(fields) < 2 or not fields[0].isdigit():
        return False  # being written this very moment, or not ours to judge
    return fields[1] == socket.gethostname() and not pid_alive(int(fields[0]))


def _take_over_if_stale(lock: Path) -> bool:
    """Move a dead writer's lock out of the way; whether to try creating ours again.

    The lock is renamed aside (only one of two racing runs can do that) and read
    again: if what was moved is not the lock judged stale, a live writer's fresh
    lock was moved, and it is put back.
    """
    seen = _read(lock)
    if seen is None:
        return True  # released meanwhile
    try:
        age = time.time() - lock.stat().st_mtime
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if not _is_stale(seen, age):
        return False
    aside = lock.with_name(f"{LOCK_NAME}.{os.getpid()}.{os.urandom(8).hex()}.stale")
    try:
        os.rename(lock, aside)
    except FileNotFoundError:
        return True  # another run took it over first: try again, fairly
    except OSError:
        return False
    if _read(aside) == seen:
        aside.unlink(missing_ok=True)
        return True
    try:
        _place(str(aside), lock, overwrite=False)  # give the live writer its lock back
    except OSError:
        aside.unlink(missing_ok=True)
    return False


def _release(lock: Path, token: bytes) -> None:
    """Remove the lock if it is still ours (a takeover after a long stall may have replaced it)."""
    if _read(lock) == token:
        # Left behind if this fails: the next run sees our pid is gone and takes it over.
        with suppress(OSError):
            lock.unlink()


# --- writing ------------------------------------------------------------------------------------


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    if path.exists() and not overwrite:
        raise OutputExists(str(path))
    with folder_lock(path.parent):
        temporary = _stage(path, data)
        try:
            _place(temporary, path, overwrite)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)


def _stage(path: Path, data: bytes) -> str:
    """`data` on disk in a temporary beside `path` (see `temporary_prefix`); its name.

    The temporary is removed again if the data cannot be written whole.
    """
    handle, temporary = tempfile.mkstemp(
        prefix=temporary_prefix(path), suffix=".tmp", dir=path.parent
    )
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide it from colleagues
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def _place(temporary: str, path: Path, overwrite: bool) -> None:
    """Rename the finished temporary file to `path`; never over a file unless allowed."""
    if overwrite:
        os.replace(temporary, path)
        return
    if os.name == "nt":
        try:
            os.rename(temporary, path)  # Windows: fails if `path` exists
        except FileExistsError:
            raise OutputExists(str(path)) from None
        return
    try:
        os.link(temporary, path)  # fails if `path` exists, in one step
    except FileExistsError:
        raise OutputExists(str(path)) from None
    except OSError:
        # A file system without hard links (a FAT USB stick, some network shares):
        # check once more and rename; the window is as small as we can make it.
        if path.exists():
            raise OutputExists(str(path)) from None
        os.replace(temporary, path)
        return
    os.unlink(temporary)


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entry list, so a rename survives a power cut (POSIX only)."""
    if os.name == "nt":
        return  # Windows has no folder handle to flush; NTFS journals the rename
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the data itself is on disk
    finally:
        os.close(descriptor)


def write_text_atomic(path: Path, text: str, *, overwrite: bool = False) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def free_name(path: Path) -> Path:
    """`path`, or 'name (2).ext', 'name (3).ext' … : the first name not taken yet.

    For outputs written without asking (the Excel button): an earlier report a
    person may have edited is kept, never replaced.
    """
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate


def write_many_atomic(items: list[tuple[Path, bytes]], *, overwrite: bool = False) -> None:
    """Write a set of files all or nothing: every temporary file first, then the renames.

    A full disk or a locked file while the temporaries are written leaves every
    existing output as it was (a failed rename part way is still possible, but
    only after all data is safely on disk). Each folder written into is locked for
    the whole set (`folder_lock`), so two runs never interleave their files.
    """
    for path, _data in items:
        if path.exists() and not overwrite:
            raise OutputExists(str(path))
    staged: list[tuple[str, Path]] = []
    with ExitStack() as locks:
        for folder in sorted({_key(path.parent): path.parent for path, _ in items}.values()):
            locks.enter_context(folder_lock(folder))
        try:
            for path, data in items:
                staged.append((_stage(path, data), path))
            for temporary, path in staged:
                _place(temporary, path, overwrite)
        except BaseException:
            for temporary, _path in staged:
                Path(temporary).unlink(missing_ok=True)
            raise
        for folder in {path.parent for _temporary, path in staged}:
            _sync_folder(folder)
