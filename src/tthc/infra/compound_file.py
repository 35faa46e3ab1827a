"""Write a Compound File Binary (MS-CFB) container: the file format of ``vbaProject.bin``.

Reading one is olefile's job (BSD, maintained); olefile cannot add or resize
streams, hence this writer. It writes version 3 (512-byte sectors), the version
Office itself writes for VBA projects:

- streams under 4096 bytes live in the mini stream (64-byte mini sectors, chained
  in the mini FAT), the mini stream itself in the root entry's sectors;
- larger streams get regular sectors; sector chains live in the FAT, whose own
  sectors the header's DIFAT lists (up to 109 of them, ≈ 7 MB, plenty for VBA);
- each storage's children form a red-black tree ordered as CFB requires (shorter
  name first, then case-insensitive): a balanced tree whose deepest, incomplete
  level is red and everything else black, which satisfies the red-black rules.

Timestamps and CLSIDs are left zero, as writers may.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["CompoundFileError", "compound_file"]

_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_SECTOR = 512
_MINI_SECTOR = 64
_MINI_CUTOFF = 4096
_ENTRY = 128
_HEADER_DIFAT = 109
_FREE = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_FAT_SECTOR = 0xFFFFFFFD
_NO_STREAM = 0xFFFFFFFF
_STORAGE, _STREAM, _ROOT = 1, 2, 5
_RED, _BLACK = 0, 1
_MAX_NAME = 31  # UTF-16 code units, the 32nd is the terminating null


class CompoundFileError(ValueError):
    """The streams given cannot be written as a compound file."""


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: dict[str, _Entry] = field(default_factory=dict)
    number: int = 0
    left: int = _NO_STREAM
    right: int = _NO_STREAM
    child: int = _NO_STREAM
    colour: int = _BLACK
    start: int = _END_OF_CHAIN


def _order_key(name: str) -> tuple[int, str]:
    """CFB's order of sibling names: by length, then by upper-case code points."""
    return len(name.encode("utf-16-le")), name.upper()


def compound_file(streams: Mapping[str, bytes]) -> bytes:
    """A compound file holding each stream at its path ("VBA/dir"; storages are implied)."""
    root = _Entry("Root Entry", _ROOT)
    for path, data in streams.items():
        *folders, name = path.split("/")
        parent = root
        for folder in folders:
            parent = parent.children.setdefault(folder, _Entry(folder, _STORAGE))
            if parent.kind != _STORAGE:
                raise CompoundFileError(f"«{folder}» vừa là luồng vừa là thư mục trong {path}")
        if name in parent.children:
            raise CompoundFileError(f"luồng {path} có hai lần")
        parent.children[name] = _Entry(name, _STREAM, bytes(data))
    entries = _number(root)
    for entry in entries:
        if len(entry.name) > _MAX_NAME or not entry.name or "/" in entry.name:
            raise CompoundFileError(f"tên «{entry.name}» không dùng được trong tệp CFB")
        if entry.kind != _STREAM:
            entry.child = _tree(list(entry.children.values()), depth=1, deepest=None)
    return _layout(root, entries)


def _number(root: _Entry) -> list[_Entry]:
    """Every entry in directory order (the root first), each knowing its number."""
    entries = [root]
    pending = [root]
    while pending:
        storage = pending.pop(0)
        for child in sorted(storage.children.values(), key=lambda e: _order_key(e.name)):
            child.number = len(entries)
            entries.append(child)
            if child.kind == _STORAGE:
                pending.append(child)
    return entries


def _tree(siblings: list[_Entry], depth: int, deepest: int | None) -> int:
    """Link the siblings as a balanced red-black tree; the number of its root."""
    if not siblings:
        return _NO_STREAM
    siblings = sorted(siblings, key=lambda e: _order_key(e.name))
    if deepest is None:
        height = len(siblings).bit_length()
        perfect = len(siblings) == (1 << height) - 1
        deepest = 0 if perfect else height
    middle = (len(siblings) - 1) // 2
    node = siblings[middle]
    node.colour = _RED if depth == deepest else _BLACK
    node.left = _tree(siblings[:middle], depth + 1, deepest)
    node.right = _tree(siblings[middle + 1 :], depth + 1, deepest)
    return node.number


def _sectors(size: int, unit: int = _SECTOR) -> int:
    return math.ceil(size / unit)


def _layout(root: _Entry, entries: list[_Entry]) -> bytes:
    streams = [entry for entry in entries if entry.kind == _STREAM]
    small = [entry for entry in streams if len(entry.data) < _MINI_CUTOFF]
    large = [entry for entry in streams if len(entry.data) >= _MINI_CUTOFF]

    mini_stream = bytearray()
    mini_fat: list[int] = []
    for entry in small:
        if not entry.data:
            continue  # an empty stream owns no sector
        count = _sectors(len(entry.data), _MINI_SECTOR)
        entry.start = len(mini_fat)
        mini_fat += [*range(entry.start + 1, entry.start + count), _END_OF_CHAIN]
        mini_stream += entry.data.ljust(count * _MINI_SECTOR, b"\x00")
    root.data = bytes(mini_stream)

    # Everything that takes regular sectors, in file order after the FAT.
    directory = _sectors(len(entries) * _ENTRY)
    mini_fat_sectors = _sectors(len(mini_fat) * 4)
    chains = [directory, mini_fat_sectors, _sectors(len(mini_stream))]
    chains += [_sectors(len(entry.data)) for entry in large]
    used = sum(chains)
    fat_sectors = 1
    while fat_sectors * (_SECTOR // 4) < used + fat_sectors:
        fat_sectors += 1
    if fat_sectors > _HEADER_DIFAT:
        raise CompoundFileError("tệp CFB quá lớn cho bảng DIFAT trong phần đầu tệp")

    fat = [_FAT_SECTOR] * fat_sectors
    starts: list[int] = []
    for count in chains:
        starts.append(len(fat) if count else _END_OF_CHAIN)
        fat += [*range(len(fat) + 1, len(fat) + count), _END_OF_CHAIN] if count else []
    fat += [_FREE] * (fat_sectors * (_SECTOR // 4) - len(fat))
    directory_start, mini_fat_start, mini_stream_start, *large_starts = starts
    root.start = mini_stream_start
    for entry, start in zip(large, large_starts, strict=True):
        entry.start = start

    header = _header(fat_sectors, directory_start, mini_fat_start, mini_fat_sectors)
    body = bytearray(header)
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += _pad(b"".join(_directory_entry(entry) for entry in entries), directory)
    mini_fat_bytes = struct.pack(f"<{len(mini_fat)}I", *mini_fat)
    body += mini_fat_bytes + b"\xff" * (mini_fat_sectors * _SECTOR - len(mini_fat_bytes))
    body += bytes(mini_stream).ljust(_sectors(len(mini_stream)) * _SECTOR, b"\x00")
    for entry in large:
        body += entry.data.ljust(_sectors(len(entry.data)) * _SECTOR, b"\x00")
    return bytes(body)


def _pad(entries: bytes, sectors: int) -> bytes:
    """The directory filled up to whole sectors with unused entries."""
    unused = _directory_entry(_Entry("", 0))
    missing = (sectors * _SECTOR - len(entries)) // _ENTRY
    return entries + unused * missing


def _header(fat_sectors: int, directory: int, mini_fat: int, mini_fat_sectors: int) -> bytes:
    difat = [*range(fat_sectors), *([_FREE] * (_HEADER_DIFAT - fat_sectors))]
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        _SIGNATURE,
        bytes(16),  # CLSID
        0x003E,  # minor version
        0x0003,  # major version 3: 512-byte sectors
        0xFFFE,  # little-endian
        9,  # sector shift: 2**9
        6,  # mini sector shift: 2**6
        bytes(6),
        0,  # directory sectors: must be 0 in version 3
        fat_sectors,
        directory,
        0,  # transaction signature
        _MINI_CUTOFF,
        mini_fat,
        mini_fat_sectors,
        _END_OF_CHAIN,  # no DIFAT sectors beyond the header's 109 entries
        0,
    )
    return header + struct.pack(f"<{_HEADER_DIFAT}I", *difat)


def _directory_entry(entry: _Entry) -> bytes:
    if entry.kind == 0:  # unused slot
        return bytes(64) + struct.pack(
            "<HBBIII16sIQQIQ", 0, 0, 0, _NO_STREAM, _NO_STREAM, _NO_STREAM, bytes(16), 0, 0, 0, 0, 0
        )
    name = (entry.name + "\x00").encode("utf-16-le")
    size = len(entry.data) if entry.kind != _STORAGE else 0
    start = entry.start if entry.kind != _STORAGE else 0
    return name.ljust(64, b"\x00") + struct.pack(
        "<HBBIII16sIQQIQ",
        len(name),
        entry.kind,
        entry.colour,
        entry.left,
        entry.right,
        entry.child,
        bytes(16),  # CLSID
        0,  # state bits
        0,  # created
        0,  # modified
        start,
        size,
    )
