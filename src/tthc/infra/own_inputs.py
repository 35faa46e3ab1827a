"""Whether an output would land on one of the command's own inputs.

The first rule of the tool is that nothing the user has is lost: a command
never writes over a file it reads, even with ``--force``. Two names may be one
file in several ways, and each is checked:

- the same path written differently (``./a.xlsx``, ``dir/../a.xlsx``);
- a symbolic link to the input, or an input reached through one;
- a hard link (two names, one file: only the file's identity tells);
- a case-insensitive file system (Windows, macOS, a FAT USB stick), where
  ``BAO CAO.xlsx`` and ``bao cao.xlsx`` are one file.

File identity (device and inode, which ``os.path.samefile`` compares) answers
the last three whenever the output already exists; when it does not exist yet,
it cannot be any input, except through a dangling symlink, which is resolved.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

__all__ = ["OutputIsInput", "first_own_input", "is_same_file", "refuse_own_inputs"]


class OutputIsInput(ValueError):
    """An output would replace a file the user gave as input; str() is the output's path."""

    def __init__(self, output: Path, source: Path) -> None:
        super().__init__(str(output))
        self.output = output
        self.source = source


def is_same_file(output: Path, source: Path) -> bool:
    """Whether writing `output` would replace (or write through) the file `source`."""
    try:
        if output.resolve() == source.resolve():
            return True
    except (OSError, RuntimeError):  # a symlink loop: compare identities below
        pass
    try:
        return os.path.samefile(output, source)
    except (OSError, ValueError):
        return False  # either does not exist (or cannot be looked at): not one file


def first_own_input(output: Path, sources: Iterable[Path | str | None]) -> Path | None:
    """The first of `sources` that `output` would replace, or None."""
    for source in sources:
        if source is None or source == "":
            continue
        if is_same_file(output, Path(source)):
            return Path(source)
    return None


def refuse_own_inputs(outputs: Iterable[Path], sources: Iterable[Path | str | None]) -> None:
    """Raise `OutputIsInput` if any output would replace any source."""
    known = [Path(s) for s in sources if s is not None and s != ""]
    for output in outputs:
        same = first_own_input(output, known)
        if same is not None:
            raise OutputIsInput(output, same)
