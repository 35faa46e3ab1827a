"""The compression VBA projects use for module source and the ``dir`` stream (MS-OVBA §2.4.1).

A CompressedContainer is the signature byte 0x01 followed by chunks, each the
compressed form of up to 4096 bytes. A chunk is a two-byte header (size − 3,
signature 0b011, compressed flag) and token sequences: a flag byte, then eight
tokens, each a literal byte or a two-byte CopyToken (offset, length) whose split
between offset and length bits depends on how far into the chunk it stands.

Any valid token stream decompresses to the same text, so the encoder is free in
how it searches for matches: here a hash of the next three bytes and the most
recent candidates, which is far faster in Python than the specification's
exhaustive search and compresses VBA source about as well.
"""

from __future__ import annotations

__all__ = ["OvbaError", "compress", "decompress"]

_SIGNATURE = 0x01
_CHUNK = 4096  # decompressed bytes per chunk
_CHUNK_SIGNATURE = 0b011 << 12
_COMPRESSED_FLAG = 0x8000
_SIZE_MASK = 0x0FFF
_MIN_MATCH = 3
_CANDIDATES = 128  # most recent positions tried per hash; plenty for source text


class OvbaError(ValueError):
    """The bytes are not an MS-OVBA CompressedContainer."""


def _bit_count(difference: int) -> int:
    """Offset bits of a CopyToken `difference` bytes into its chunk (at least 4)."""
    return max((difference - 1).bit_length(), 4)


def compress(data: bytes) -> bytes:
    """`data` as a CompressedContainer (§2.4.1.3.6)."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data, start, min(start + _CHUNK, len(data)))
    return bytes(out)


def _compress_chunk(data: bytes, start: int, end: int) -> bytes:
    body = bytearray()
    recent: dict[bytes, list[int]] = {}
    position = start

    def remember(upto: int) -> None:
        nonlocal position
        while position < upto:
            if position + _MIN_MATCH <= end:
                recent.setdefault(data[position : position + _MIN_MATCH], []).append(position)
            position += 1

    while position < end:
        flag_at = len(body)
        body.append(0)
        flags = 0
        for bit in range(8):
            if position >= end:
                break
            length, offset = _longest_match(data, start, position, end, recent)
            if length >= _MIN_MATCH:
                bits = _bit_count(position - start)
                token = ((offset - 1) << (16 - bits)) | (length - _MIN_MATCH)
                body += token.to_bytes(2, "little")
                flags |= 1 << bit
                remember(position + length)
            else:
                body.append(data[position])
                remember(position + 1)
        body[flag_at] = flags
    if len(body) <= _CHUNK:
        header = _COMPRESSED_FLAG | _CHUNK_SIGNATURE | (len(body) + 2 - 3)
        return header.to_bytes(2, "little") + bytes(body)
    # Incompressible: a raw chunk always holds 4096 bytes, padded with zeros (§2.4.1.3.10).
    raw = data[start:end].ljust(_CHUNK, b"\x00")
    return (_CHUNK_SIGNATURE | (_CHUNK + 2 - 3)).to_bytes(2, "little") + raw


def _longest_match(
    data: bytes, start: int, position: int, end: int, recent: dict[bytes, list[int]]
) -> tuple[int, int]:
    """(length, offset) of the longest earlier copy in this chunk; length 0 if none."""
    if position + _MIN_MATCH > end:
        return 0, 0
    candidates = recent.get(data[position : position + _MIN_MATCH])
    if not candidates:
        return 0, 0
    bits = _bit_count(position - start)
    limit = min((0xFFFF >> bits) + _MIN_MATCH, end - position)
    best_length, best_offset = 0, 0
    for candidate in reversed(candidates[-_CANDIDATES:]):
        length = _MIN_MATCH
        while length < limit and data[candidate + length] == data[position + length]:
            length += 1
        if length > best_length:
            best_length, best_offset = length, position - candidate
            if length == limit:
                break
    return best_length, best_offset


def decompress(container: bytes) -> bytes:
    """The bytes a CompressedContainer holds (§2.4.1.3.1); OvbaError if it is malformed."""
    if not container or container[0] != _SIGNATURE:
        raise OvbaError("thiếu byte đánh dấu 0x01 của vùng nén VBA")
    out = bytearray()
    index = 1
    while index < len(container):
        if index + 2 > len(container):
            raise OvbaError("khối nén VBA bị cắt cụt ở phần đầu khối")
        header = int.from_bytes(container[index : index + 2], "little")
        if header & 0x7000 != _CHUNK_SIGNATURE:
            raise OvbaError(f"khối nén VBA ở byte {index} có chữ ký sai")
        chunk_end = min(index + (header & _SIZE_MASK) + 3, len(container))
        index += 2
        if not header & _COMPRESSED_FLAG:
            out += container[index : index + _CHUNK]
            index += _CHUNK
            continue
        chunk_start = len(out)
        while index < chunk_end:
            flags = container[index]
            index += 1
            for bit in range(8):
                if index >= chunk_end:
                    break
                if not flags >> bit & 1:
                    out.append(container[index])
                    index += 1
                    continue
                if index + 2 > chunk_end:
                    raise OvbaError("mã sao chép của vùng nén VBA bị cắt cụt")
                token = int.from_bytes(container[index : index + 2], "little")
                index += 2
                bits = _bit_count(len(out) - chunk_start)
                length = (token & (0xFFFF >> bits)) + _MIN_MATCH
                offset = (token >> (16 - bits)) + 1
                if offset > len(out) - chunk_start:
                    raise OvbaError("mã sao chép của vùng nén VBA trỏ ra ngoài khối")
                source = len(out) - offset
                for step in range(length):  # byte by byte: a copy may overlap itself
                    out.append(out[source + step])
    return bytes(out)
