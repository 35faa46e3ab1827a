"""Add a module to a VBA project (``vbaProject.bin``) as MS-OVBA lays it out.

Why: the worksheet functions must be inside the shipped add-in, so that a clerk
never has to run xlwings' «Import Functions» (which needs «Trust access to the
VBA project object model», often forbidden on managed PCs). The module is the
text xlwings' import writes (``xl/xlwings_udfs.bas``, checked against xlwings
by the tests); the other modules are kept as they are.

What changes in the project (MS-OVBA §2.3), and nothing else:

- ``VBA/<module>``: the new module stream, its source compressed (§2.4.1);
- ``VBA/dir``: one more MODULE record and PROJECTMODULES' count + 1;
- ``PROJECT`` and ``PROJECTwm``: the module's name (``Module=`` for a standard
  module, ``Class=`` for a class module);
- performance caches are dropped, as the specification asks of writers:
  ``_VBA_PROJECT`` becomes the seven bytes of Version 0xFFFF, every module
  stream keeps only its compressed source (MODULEOFFSET 0), and the ``__SRP_``
  streams go. Excel then compiles the project from source on first open, which
  is what makes one file work in every Excel version and bitness.
"""

from __future__ import annotations

import io
import re
import struct
from dataclasses import dataclass
from typing import Literal

from tthc.excel.ovba_compression import OvbaError, compress, decompress
from tthc.infra.compound_file import compound_file

__all__ = ["ModuleKind", "VbaProjectError", "module_source", "with_module"]

ModuleKind = Literal["standard", "class"]
"""A procedural (.bas) or a class (.cls) module: the two kinds a text file can add."""

# dir stream record ids (MS-OVBA §2.3.4.2)
_PROJECTCODEPAGE = 0x0003
_PROJECTVERSION = 0x0009  # its Size field says 4, yet 6 bytes follow
_PROJECTMODULES = 0x000F
_TERMINATOR = 0x0010
_MODULENAME = 0x0019
_MODULESTREAMNAME = 0x001A
_MODULEOFFSET = 0x0031
_MODULE_TERMINATOR = 0x002B
_MODULETYPE = {"standard": 0x0021, "class": 0x0022}  # §2.3.4.2.3.2.8: procedural / class
_PROJECT_LINE = {"standard": "Module", "class": "Class"}  # §2.3.1.7 and §2.3.1.9

# _VBA_PROJECT for writers (§2.3.4.1): Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00,
# Reserved3 (undefined, 0x0000 here), and no PerformanceCache.
_VBA_PROJECT_STREAM = bytes.fromhex("CC61FFFF000000")
_SRP_STREAM = re.compile(r"^VBA/__SRP_\d+$")
_MODULE_LINE = re.compile(r"^(Module|Document|Class|BaseClass|Package)=", re.IGNORECASE)


class VbaProjectError(ValueError):
    """The VBA project cannot be read or changed; the message says what was found."""


@dataclass(frozen=True)
class _Record:
    kind: int
    data: bytes

    def encode(self) -> bytes:
        size = 4 if self.kind == _PROJECTVERSION else len(self.data)
        return struct.pack("<HI", self.kind, size) + self.data


def _records(stream: bytes) -> list[_Record]:
    records: list[_Record] = []
    index = 0
    while index < len(stream):
        if index + 6 > len(stream):
            raise VbaProjectError("luồng dir của dự án VBA bị cắt cụt")
        kind, size = struct.unpack_from("<HI", stream, index)
        if kind == _PROJECTVERSION:
            size = 6
        data = stream[index + 6 : index + 6 + size]
        if len(data) != size:
            raise VbaProjectError(f"bản ghi 0x{kind:04X} của luồng dir bị cắt cụt")
        records.append(_Record(kind, data))
        index += 6 + size
    return records


def _streams_of(project: bytes) -> dict[str, bytes]:
    import olefile

    try:
        container = olefile.OleFileIO(io.BytesIO(project))
    except OSError as error:
        raise VbaProjectError(f"vbaProject.bin không phải tệp CFB: {error}") from error
    try:
        return {
            "/".join(path): container.openstream(path).read()
            for path in container.listdir(streams=True, storages=False)
        }
    finally:
        container.close()


def _opened(project: bytes) -> tuple[dict[str, bytes], list[_Record], str]:
    """(streams, dir records, code page) of a project; VbaProjectError when unreadable."""
    streams = _streams_of(project)
    if "VBA/dir" not in streams:
        raise VbaProjectError("dự án VBA thiếu luồng VBA/dir")
    try:
        records = _records(decompress(streams["VBA/dir"]))
    except OvbaError as error:
        raise VbaProjectError(f"luồng dir của dự án VBA: {error}") from error
    return streams, records, _codepage(records)


def _codepage(records: list[_Record]) -> str:
    for record in records:
        if record.kind == _PROJECTCODEPAGE:
            return f"cp{int.from_bytes(record.data, 'little')}"
    raise VbaProjectError("luồng dir không ghi bảng mã (PROJECTCODEPAGE)")


def _split(records: list[_Record]) -> tuple[list[_Record], list[list[_Record]], list[_Record]]:
    """(records up to the first MODULE, each MODULE's records, what follows: the Terminator)."""
    head: list[_Record] = []
    modules: list[list[_Record]] = []
    tail: list[_Record] = []
    module: list[_Record] | None = None
    for record in records:
        if record.kind == _MODULENAME:
            module = []
            modules.append(module)
        if module is not None:
            module.append(record)
            if record.kind == _MODULE_TERMINATOR:
                module = None
        else:
            (tail if modules else head).append(record)
    if [r.kind for r in head].count(_PROJECTMODULES) != 1 or not modules or module is not None:
        raise VbaProjectError("luồng dir không có dạng PROJECTMODULES … MODULE … như MS-OVBA")
    if [r.kind for r in tail] != [_TERMINATOR]:
        raise VbaProjectError("luồng dir không kết thúc bằng bản ghi Terminator")
    return head, modules, tail


def _field(module: list[_Record], kind: int) -> bytes:
    for record in module:
        if record.kind == kind:
            return record.data
    raise VbaProjectError(f"một mô-đun trong luồng dir thiếu bản ghi 0x{kind:04X}")


def _text(module: list[_Record], kind: int, encoding: str) -> str:
    return _field(module, kind).decode(encoding)


def _offset(module: list[_Record]) -> int:
    return int.from_bytes(_field(module, _MODULEOFFSET), "little")


def _module_records(name: str, encoding: str, kind: ModuleKind) -> list[_Record]:
    """The MODULE record of a module (§2.3.4.2.3.2), as Office writes it."""
    mbcs, unicode = name.encode(encoding), name.encode("utf-16-le")
    return [
        _Record(_MODULENAME, mbcs),
        _Record(0x0047, unicode),  # MODULENAMEUNICODE
        _Record(_MODULESTREAMNAME, mbcs),
        _Record(0x0032, unicode),  # its Unicode half
        _Record(0x001C, b""),  # MODULEDOCSTRING
        _Record(0x0048, b""),  # its Unicode half
        _Record(_MODULEOFFSET, struct.pack("<I", 0)),
        _Record(0x001E, struct.pack("<I", 0)),  # MODULEHELPCONTEXT
        _Record(0x002C, struct.pack("<H", 0xFFFF)),  # MODULECOOKIE, 0xFFFF on write
        _Record(_MODULETYPE[kind], b""),
        _Record(_MODULE_TERMINATOR, b""),
    ]


def with_module(project: bytes, name: str, source: str, kind: ModuleKind = "standard") -> bytes:
    """The VBA project with `source` as module `name` of `kind` (replacing one so named).

    `source` is the module's text as VBA stores it, its first line
    ``Attribute VB_Name = "<name>"`` (a .bas file as exported; a .cls file
    without the ``VERSION 1.0 CLASS``/``BEGIN … END`` header, which the
    exporter adds and the module stream does not hold); line ends become
    CR LF as VBA stores them.
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,30}", name):
        raise VbaProjectError(f"tên mô-đun VBA «{name}» không hợp lệ")
    if not source.startswith(f'Attribute VB_Name = "{name}"'):
        raise VbaProjectError(f"mã của mô-đun {name} phải mở đầu bằng Attribute VB_Name")
    streams, records, encoding = _opened(project)
    for required in ("PROJECT", "PROJECTwm", "VBA/_VBA_PROJECT"):
        if required not in streams:
            raise VbaProjectError(f"dự án VBA thiếu luồng {required}")
    try:
        code = source.replace("\r\n", "\n").replace("\n", "\r\n").encode(encoding)
    except UnicodeEncodeError as error:
        raise VbaProjectError(f"mã mô-đun {name} có ký tự ngoài bảng mã {encoding}") from error

    head, modules, tail = _split(records)
    kept: list[list[_Record]] = []
    dropped = False
    for module in modules:
        stream = f"VBA/{_text(module, _MODULESTREAMNAME, encoding)}"
        if stream not in streams:
            raise VbaProjectError(f"dự án VBA thiếu luồng mô-đun {stream}")
        if _text(module, _MODULENAME, encoding).lower() == name.lower():
            del streams[stream]  # replaced below
            dropped = True
            continue
        streams[stream] = streams[stream][_offset(module) :]
        kept.append(
            [
                _Record(_MODULEOFFSET, struct.pack("<I", 0)) if r.kind == _MODULEOFFSET else r
                for r in module
            ]
        )
    kept.append(_module_records(name, encoding, kind))
    head = [
        _Record(_PROJECTMODULES, struct.pack("<H", len(kept))) if r.kind == _PROJECTMODULES else r
        for r in head
    ]
    flat = [*head, *(record for module in kept for record in module), *tail]

    streams = {path: data for path, data in streams.items() if not _SRP_STREAM.match(path)}
    streams["VBA/_VBA_PROJECT"] = _VBA_PROJECT_STREAM
    streams["VBA/dir"] = compress(b"".join(record.encode() for record in flat))
    streams[f"VBA/{name}"] = compress(code)
    streams["PROJECT"] = _project_stream(
        streams["PROJECT"], f"{_PROJECT_LINE[kind]}={name}", name, encoding, replacing=dropped
    )
    streams["PROJECTwm"] = _names_stream(streams["PROJECTwm"], name, encoding, replacing=dropped)
    return compound_file(streams)


def _project_stream(
    stream: bytes, line: str, name: str, encoding: str, *, replacing: bool
) -> bytes:
    """PROJECT (§2.3.1) naming the module (`line`) after the others, and in [Workspace]."""
    lines = stream.decode(encoding).split("\r\n")
    if replacing:
        lines = [
            text
            for text in lines
            if not (_MODULE_LINE.match(text) and text.split("=", 1)[1].lower() == name.lower())
            and not text.lower().startswith(f"{name.lower()}=")
        ]
    last_module = max((i for i, text in enumerate(lines) if _MODULE_LINE.match(text)), default=-1)
    if last_module < 0:
        raise VbaProjectError("luồng PROJECT không liệt kê mô-đun nào")
    lines.insert(last_module + 1, line)
    if "[Workspace]" in lines:
        at = lines.index("[Workspace]") + 1
        while at < len(lines) and lines[at] and not lines[at].startswith("["):
            at += 1
        lines.insert(at, f"{name}=0, 0, 0, 0, C")
    return "\r\n".join(lines).encode(encoding)


def _names_stream(stream: bytes, name: str, encoding: str, *, replacing: bool) -> bytes:
    """PROJECTwm (§2.3.3): each module's name in the code page and in UTF-16, then 0x0000."""
    entry = name.encode(encoding) + b"\x00" + name.encode("utf-16-le") + b"\x00\x00"
    if not stream.endswith(b"\x00\x00"):
        raise VbaProjectError("luồng PROJECTwm không kết thúc bằng 0x0000")
    body = stream[:-2]
    if replacing:
        body = body.replace(entry, b"")
    return body + entry + b"\x00\x00"


def module_source(project: bytes, name: str) -> str:
    """The source text of module `name` (CR LF line ends), read back from the project."""
    streams, records, encoding = _opened(project)
    for module in _split(records)[1]:
        if _text(module, _MODULENAME, encoding) == name:
            path = f"VBA/{_text(module, _MODULESTREAMNAME, encoding)}"
            if path not in streams:
                raise VbaProjectError(f"dự án VBA thiếu luồng mô-đun {path}")
            try:
                return decompress(streams[path][_offset(module) :]).decode(encoding)
            except OvbaError as error:
                raise VbaProjectError(f"luồng {path} của dự án VBA: {error}") from error
    raise VbaProjectError(f"dự án VBA không có mô-đun {name}")
