"""The MS-CFB writer: olefile reads back every stream, and the directory obeys the specification."""

from __future__ import annotations

import io
import struct

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import examples
from tthc.infra.compound_file import CompoundFileError, compound_file

NO_STREAM = 0xFFFFFFFF
RED, BLACK = 0, 1


def _read_back(data: bytes) -> dict[str, bytes]:
    # DEFECT_INCORRECT: olefile raises on anything the specification calls incorrect.
    container = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        return {"/".join(p): container.openstream(p).read() for p in container.listdir()}
    finally:
        container.close()


def _directory(data: bytes) -> list[dict[str, object]]:
    """The directory entries, parsed here without olefile (header, FAT, chain)."""
    first_directory = struct.unpack_from("<I", data, 48)[0]
    fat_sectors = struct.unpack_from("<109I", data, 76)
    fat: list[int] = []
    for sector in fat_sectors:
        if sector != NO_STREAM:
            fat += struct.unpack_from("<128I", data, 512 * (sector + 1))
    raw = b""
    sector = first_directory
    while sector < 0xFFFFFFFA:
        raw += data[512 * (sector + 1) : 512 * (sector + 2)]
        sector = fat[sector]
    entries = []
    for offset in range(0, len(raw), 128):
        name_length, kind, colour, left, right, child = struct.unpack_from(
            "<HBBIII", raw, offset + 64
        )
        name = raw[offset : offset + max(name_length - 2, 0)].decode("utf-16-le")
        entries.append(
            {"name": name, "kind": kind, "colour": colour, "left": left, "right": right,
             "child": child}
        )  # fmt: skip
    return entries


def _key(name: str) -> tuple[int, str]:
    return len(name), name.upper()


def _check_tree(entries: list[dict[str, object]], root: int) -> tuple[int, list[str]]:
    """(black height, names in order) of a sibling tree; asserts the red-black rules."""
    if root == NO_STREAM:
        return 1, []
    node = entries[root]
    left, right = int(node["left"]), int(node["right"])  # type: ignore[call-overload]
    if node["colour"] == RED:
        for child in (left, right):
            assert child == NO_STREAM or entries[child]["colour"] == BLACK, "red under red"
    left_height, left_names = _check_tree(entries, left)
    right_height, right_names = _check_tree(entries, right)
    assert left_height == right_height, "unequal black heights"
    names = [*left_names, str(node["name"]), *right_names]
    assert [_key(n) for n in names] == sorted(_key(n) for n in names), "siblings out of order"
    return left_height + (node["colour"] == BLACK), names


def _check_directory(data: bytes) -> None:
    entries = _directory(data)
    assert entries[0]["name"] == "Root Entry" and entries[0]["kind"] == 5
    for entry in entries:
        if entry["kind"] in (1, 5):
            child = int(entry["child"])  # type: ignore[call-overload]
            assert child == NO_STREAM or entries[child]["colour"] == BLACK, "red tree root"
            _check_tree(entries, child)


NAMES = st.text(alphabet="abcXYZ_09", min_size=1, max_size=12)
SIZES = st.sampled_from([0, 1, 63, 64, 65, 511, 512, 4095, 4096, 4097, 20_000])


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(["", "VBA/", "VBA/sub/", "_VBA_PROJECT_CUR/"]), NAMES).map(
            "".join
        ),
        SIZES,
        min_size=1,
        max_size=30,
    )
)
@settings(max_examples=examples(0.5), deadline=None)
def test_every_stream_reads_back_and_the_directory_is_a_red_black_tree(
    layout: dict[str, int],
) -> None:
    streams = {path: bytes([len(path) % 251]) * size for path, size in layout.items()}
    streams = {p: d for p, d in streams.items() if not any(o.startswith(p + "/") for o in streams)}
    data = compound_file(streams)
    assert len(data) % 512 == 0
    assert _read_back(data) == streams
    _check_directory(data)


def test_a_vba_project_shape_reads_back() -> None:
    streams = {
        "PROJECT": b'ID="{0}"\r\nModule=A\r\n',
        "PROJECTwm": b"A\x00A\x00\x00\x00\x00\x00",
        "VBA/_VBA_PROJECT": bytes.fromhex("CC61FFFF000000"),
        "VBA/dir": b"\x01" + bytes(700),
        "VBA/A": b"\x01" + bytes(5000),  # above the mini-stream cutoff: regular sectors
    }
    data = compound_file(streams)
    assert data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
    assert struct.unpack_from("<HH", data, 24) == (0x003E, 3)  # version 3, 512-byte sectors
    assert _read_back(data) == streams
    _check_directory(data)


@pytest.mark.parametrize(
    ("streams", "message"),
    [
        ({"A": b"1", "A/B": b"2"}, "vừa là luồng vừa là thư mục"),
        ({"x" * 32: b""}, "không dùng được"),
    ],
)
def test_impossible_layouts_are_refused(streams: dict[str, bytes], message: str) -> None:
    with pytest.raises(CompoundFileError, match=message):
        compound_file(streams)
