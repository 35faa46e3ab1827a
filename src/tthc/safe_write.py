"""Writing output files so that a crash or a full disk never leaves half a file.

Each output goes to a temporary file in the target folder, is flushed to disk,
and is renamed into place in one step; the folder is then flushed too, so the
new name survives a power cut. An existing file is replaced only when the caller
allows it; otherwise the file is put in place with an operation that fails if the
name was taken meanwhile (a hard link on POSIX, a rename on Windows), so another
program creating the same file between our check and our rename is never
overwritten. Nothing the user typed is ever written by the CLI.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = [
    "OutputExists",
    "free_name",
    "write_bytes_atomic",
    "write_many_atomic",
    "write_text_atomic",
]


class OutputExists(FileExistsError):
    """The output exists and overwriting was not allowed."""


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    if path.exists() and not overwrite:
        raise OutputExists(str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp's 0600 would hide it from colleagues
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        _place(temporary, path, overwrite)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


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
    only after all data is safely on disk).
    """
    for path, _data in items:
        if path.exists() and not overwrite:
            raise OutputExists(str(path))
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in items:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(
                prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
            )
            staged.append((temporary, path))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, 0o666 & ~_umask())
        for temporary, path in staged:
            _place(temporary, path, overwrite)
    except BaseException:
        for temporary, _path in staged:
            Path(temporary).unlink(missing_ok=True)
        raise
    for folder in {path.parent for _temporary, path in staged}:
        _sync_folder(folder)
