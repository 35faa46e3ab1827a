"""MS-OVBA §2.4.1 compression: the specification's own examples, and oletools as a second reader."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import examples
from tthc.excel.ovba_compression import OvbaError, compress, decompress

with warnings.catch_warnings():  # oletools 0.60 uses pyparsing names deprecated in 3.3
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream

# MS-OVBA §3.2.1 "No Compression Example" and §3.2.2 "Normal Compression Example".
SPEC_PLAIN = b"abcdefghijklmnopqrstuv."
SPEC_PLAIN_COMPRESSED = bytes.fromhex(
    "01 19 B0 00 61 62 63 64 65 66 67 68 00 69 6A 6B 6C 6D 6E 6F 70 00 71 72 73 74 75 76 2E"
)
SPEC_NORMAL = b"#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa"
SPEC_NORMAL_COMPRESSED = bytes.fromhex(
    "01 2F B0 00 23 61 61 61 62 63 64 65 82 66 00 70 61 67 68 69 6A 01 38 08 61 6B 6C 00 30 6D"
    "6E 6F 70 06 71 02 70 04 10 72 73 74 75 76 10 77 78 79 7A 00 3C"
)


def _oletools(container: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(container)))


def test_the_specification_s_examples_decompress() -> None:
    assert decompress(SPEC_PLAIN_COMPRESSED) == SPEC_PLAIN
    assert decompress(SPEC_NORMAL_COMPRESSED) == SPEC_NORMAL


def test_text_without_repeats_compresses_as_the_specification_shows() -> None:
    assert compress(SPEC_PLAIN) == SPEC_PLAIN_COMPRESSED


def test_repeats_become_copy_tokens() -> None:
    packed = compress(SPEC_NORMAL)
    assert len(packed) <= len(SPEC_NORMAL_COMPRESSED)  # as tight as the specification's
    assert _oletools(packed) == SPEC_NORMAL


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 8192, 12_345])
def test_chunk_boundaries(size: int) -> None:
    text = (b"Function TTHC_RATE(indicator, grid)\r\n" * 400)[:size]
    packed = compress(text)
    assert decompress(packed) == text
    assert _oletools(packed) == text
    assert len(packed) < max(size, 1) // 2 + 8  # VBA source compresses well


def test_incompressible_data_uses_raw_chunks_padded_to_4096() -> None:
    noise = bytes((i * 2654435761 >> 13) & 0xFF for i in range(5000))
    packed = compress(noise)
    assert len(packed) <= 1 + 2 * (2 + 4096)
    restored = decompress(packed)
    assert restored[:5000] == noise and set(restored[5000:]) <= {0}
    assert _oletools(packed) == restored


@given(
    st.one_of(
        st.binary(max_size=9000),
        st.lists(st.sampled_from([b"a", b"ab", b"End Function\r\n", b" "]), max_size=3000).map(
            b"".join
        ),
    )
)
@settings(max_examples=examples(0.5))
def test_any_bytes_round_trip_and_oletools_agrees(data: bytes) -> None:
    packed = compress(data)
    restored = decompress(packed)
    assert _oletools(packed) == restored
    assert restored[: len(data)] == data
    assert restored == data or len(data) % 4096 > 3640  # only a raw last chunk pads


@pytest.mark.parametrize(
    "container",
    [b"", b"\x02\x19\xb0", b"\x01\x19", b"\x01\x19\x00abc", b"\x01\x03\xb0\x01\x00\x00"],
    ids=["empty", "signature", "cut-header", "chunk-signature", "copy-before-start"],
)
def test_malformed_containers_are_refused(container: bytes) -> None:
    with pytest.raises(OvbaError):
        decompress(container)
