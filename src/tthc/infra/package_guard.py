"""Checking a workbook file before a spreadsheet engine is let near it.

Communes send files by e-mail, chat and USB stick; any of them may be damaged,
mislabelled or built to hurt. The engines trust the file:

- openpyxl and python-calamine inflate a part whole, whatever its size, so a
  2 MB zip that unpacks to 2 GB ("zip bomb") takes minutes and gigabytes; and a
  zip's declared sizes may lie, so only inflating with a limit tells the truth;
- calamine builds a sheet as a dense grid from A1 to the farthest cell: one
  cell at XFD5000 makes it ask for 2.6 GB and abort the whole process, one at
  A1048576 costs half a gigabyte; openpyxl makes a cell object for every cell
  of a merged range, and a million rows twice over (formulas, then values);
- calamine does not return on a damaged OLE compound file, and a workbook
  saved with a password is exactly that: an OLE file holding the encrypted
  zip, not a zip.

`check_workbook` looks at the bytes first, cheaply, and refuses what no
commune's file looks like, with a message for staff (Vietnamese, naming the
file and what is wrong). A zip is checked in full: its directory (number of
parts, no duplicates, only stored or deflated parts, no zip encryption), the
sizes it declares, then every part inflated in pieces with a limit (the
declared size must match, the CRC too); each XML part is scanned on the way for
its rows and its farthest cell (row and cell tags and merged ranges), without
building any tree. An OLE file is told apart by the streams of its directory:
"EncryptionInfo"/"EncryptedPackage" is a password-protected workbook, a
"Workbook" or "Book" stream an Excel 97–2003 (.xls) file, which only readers
that read .xls accept; anything else is refused. Any other file is no workbook.

Each reader states its caps (`Limits`): the template's reader and the form
import read one commune's workbook of tens of rows, the dossier list reads up
to a year of a large commune's dossiers. Binary sheets (.xlsb, the BIFF
records of an .xls) and OpenDocument sheets are held to the byte caps only.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
import stat
import struct
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

from tthc.core.vn_format import format_integer
from tthc.infra.sheet_markup import Markup, Split, markup_and_texts
from tthc.infra.xlsx_parts import column_letters, column_number, member_span

__all__ = [
    "DOSSIER_LIST",
    "FORM_EXPORT",
    "MAX_DOSSIERS",
    "TEMPLATE",
    "Checked",
    "Limits",
    "Refused",
    "check_workbook",
    "no_permission",
    "not_a_file",
    "read_capped",
    "read_limited",
    "special_kind",
    "too_many_rows",
]

_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one reader accepts: sizes in bytes, rows and cells per sheet."""

    what: str  # the file in messages: "một sổ tính báo cáo", …
    file_bytes: int  # the file on disk
    unpacked_bytes: int  # all parts of the zip together, inflated
    part_bytes: int  # any one part, inflated
    parts: int  # parts in the zip's directory
    rows: int  # rows of a sheet: the highest row number or the number of rows
    cells: int  # a sheet's grid from A1 to its farthest cell (rows x columns)
    legacy: bool = False  # an Excel 97-2003 (.xls) file may go on to the engine


# A commune's workbook of the template: about 35 kB, its largest sheet 250 rows,
# 110 kB of XML. The caps leave room for images pasted in and for a sheet forty
# times longer, and stop well before openpyxl (which reads the file twice and
# makes a cell object for every cell of a merged range) runs for seconds.
TEMPLATE = Limits(
    what="một sổ tính báo cáo",
    file_bytes=20 * _MB,
    unpacked_bytes=100 * _MB,
    part_bytes=32 * _MB,  # a 10,000-row sheet as wide as the grid is about 22 MB
    parts=2_000,
    rows=10_000,
    cells=200_000,  # 10,000 rows x 20 columns
)

# A form exported by the one-stop system, or any workbook holding one: tens of
# rows, but it may sit next to other sheets, so five times the template's
# room. calamine reads 50,000 rows in a fraction of a second; a dense grid of
# 2 million cells is about 64 MB in calamine, as much again in Python.
FORM_EXPORT = Limits(
    what="một sổ tính phụ lục",
    file_bytes=20 * _MB,
    unpacked_bytes=200 * _MB,  # as calamine_source.MAX_UNPACKED_BYTES
    part_bytes=64 * _MB,
    parts=2_000,
    rows=50_000,
    cells=2_000_000,
    legacy=True,
)

# The one-stop system's list of dossiers: one row per dossier, a year of a large
# commune is 20,000 rows and more; ten times that is still read. A row of 20
# columns is about 1 kB of sheet XML, so 200,000 rows may take 200-350 MB once
# inflated (inline strings are longer) and 30 MB zipped. 5 million cells is
# 200,000 rows of 25 columns; a sparse sheet reaching farther would make
# calamine allocate its whole grid (32 bytes a cell) before Python sees a row.
# The cap counts dossiers: 200,000 of them plus room for a title block, the
# header and a footer (`MAX_DOSSIERS`, checked by the reader on the table itself).
MAX_DOSSIERS = 200_000
_LIST_FRAME_ROWS = 1_000
DOSSIER_LIST = Limits(
    what="một danh sách hồ sơ",
    file_bytes=64 * _MB,  # also the cap of a CSV list (about 300 bytes a row)
    unpacked_bytes=512 * _MB,
    part_bytes=384 * _MB,
    parts=2_000,
    rows=MAX_DOSSIERS + _LIST_FRAME_ROWS,
    cells=5_000_000 + 25 * _LIST_FRAME_ROWS,
    legacy=True,
)


class Refused(Exception):
    """The file must not reach the engine; the message is for staff, in Vietnamese."""


@dataclass(frozen=True)
class Checked:
    """A file that may go on to the engine, and what staff should know about it."""

    kind: str  # "zip" (.xlsx, .xlsm, .xlsb, .ods) or "xls" (Excel 97-2003)
    links: tuple[str, ...] = ()  # one name per linked workbook ("" when unnamed)
    macros: bool = False  # a macro-enabled workbook (.xlsm) or one holding a VBA project
    data: bytes = field(
        default=b"", repr=False, compare=False
    )  # the bytes checked: read once, not twice
    # The zip's directory, as the check read it (a reader need not parse it again).
    infos: tuple[zipfile.ZipInfo, ...] = field(default=(), repr=False, compare=False)
    # XML parts the check inflated whole (CRC and size verified): each part's bytes and
    # their split at the value texts (`sheet_markup.markup_and_texts`), so the reader
    # neither inflates nor splits them again. Parts the check took from its memory of
    # identical bytes are not here.
    unpacked: Mapping[str, tuple[bytes, Split]] = field(
        default_factory=dict, repr=False, compare=False
    )


# --- messages -----------------------------------------------------------------------------


def _megabytes(size: int) -> str:
    """Rounded up: a file just over a 20 MB cap reads «21 MB», never «20 MB»."""
    if size < _MB:
        return f"{format_integer(-(-size // 1024))} kB"
    return f"{format_integer(-(-size // _MB))} MB"


def _too_large(name: str, size: int, max_bytes: int, what: str) -> str:
    return (
        f"Tệp «{name}» quá lớn ({_megabytes(size)}, tối đa {_megabytes(max_bytes)} đối "
        f"với {what}); hãy kiểm tra lại tệp."
    )


def _bomb(name: str, limit: int, limits: Limits) -> str:
    return (
        f"Tệp «{name}» khi giải nén lớn hơn {_megabytes(limit)}, quá lớn đối với {limits.what}: "
        "tệp hỏng hoặc được tạo ra để làm treo máy; chương trình không đọc tệp này."
    )


def _sheet(name: str, sheet: str | None) -> str:
    return f"Trang «{sheet}» của tệp «{name}»" if sheet else f"Một trang của tệp «{name}»"


def too_many_rows(name: str, sheet: str | None, limits: Limits) -> str:
    """The message for a sheet (or a CSV file, `sheet` None) longer than `limits` allow."""
    where = _sheet(name, sheet) if sheet is not None else f"Tệp «{name}»"
    return (
        f"{where} có hơn {format_integer(limits.rows)} dòng, quá nhiều đối với {limits.what}; "
        "hãy xoá các dòng thừa hoặc chép bảng cần dùng sang một tệp mới rồi thử lại."
    )


def _too_wide(name: str, sheet: str | None, corner: str, limits: Limits) -> str:
    return (
        f"{_sheet(name, sheet)} có dữ liệu hoặc ô gộp trải tới ô {corner}, quá rộng đối với "
        f"{limits.what} (tối đa {format_integer(limits.cells)} ô tính từ ô A1); hãy xoá các "
        "ô thừa (trong Excel, Ctrl+End đưa tới ô cuối) rồi thử lại."
    )


def _too_many_parts(name: str) -> str:
    return (
        f"Tệp «{name}» có quá nhiều thành phần so với một sổ tính; tệp hỏng hoặc không phải "
        "sổ tính."
    )


def _encrypted(name: str) -> str:
    return (
        f"Tệp «{name}» được mã hoá bằng mật khẩu; hãy mở tệp bằng Excel, gỡ mật khẩu "
        "(Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu, xoá mật khẩu), lưu lại "
        "rồi thử lại."
    )


def _legacy(name: str) -> str:
    return (
        f"Tệp «{name}» là sổ tính Excel 97–2003 (.xls); hãy mở bằng Excel, lưu lại dạng "
        "«Sổ làm việc Excel (.xlsx)» rồi thử lại."
    )


def _old_office(name: str) -> str:
    return (
        f"Tệp «{name}» là tệp Office dạng cũ nhưng không phải sổ tính Excel đọc được (tệp hỏng, "
        "có mật khẩu hoặc là loại tệp khác); hãy mở bằng Excel, lưu lại dạng .xlsx rồi thử lại."
    )


def _empty(name: str) -> str:
    return f"Tệp «{name}» trống (0 byte), không phải sổ tính."


# --- the file -----------------------------------------------------------------------------


def special_kind(mode: int) -> str | None:
    """What a non-regular file is, in words for staff; None for a regular file.

    Also `consolidate`'s words for the folder entries it does not open.
    """
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISFIFO(mode):
        return "đường ống FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "tệp thiết bị"
    return "loại tệp đặc biệt"


def not_a_file(name: str, kind: str) -> str:
    """The message for a path that is no file of data (a FIFO, a device, a folder…)."""
    return (
        f"«{name}» là {kind}, không phải tệp dữ liệu lưu trên ổ đĩa; chương trình không đọc "
        "được. Hãy chọn đúng tệp rồi thử lại."
    )


def no_permission(name: str) -> str:
    """The message for a file the user may not read: no damage, only rights."""
    return (
        f"Không có quyền đọc tệp «{name}»; hãy kiểm tra quyền truy cập của tệp (hoặc đóng "
        "chương trình đang khoá tệp) rồi thử lại."
    )


def read_limited(path: Path, max_bytes: int, what: str) -> bytes:
    """A regular file's bytes, at most `max_bytes`; `Refused` (a message for staff) else.

    Opening a FIFO waits for a writer forever and a device never ends, so the
    kind of file is looked at before it is opened, and again on the open file
    (opened without blocking, in case it was swapped in between). A file the
    user may not read is said to be so, not called damaged. A folder is
    `IsADirectoryError`, as `open` says, and any other `OSError` is left to the
    caller, which knows how it tells staff.
    """
    name = path.name or str(path)
    try:
        mode = path.stat().st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
        kind = special_kind(mode)
        if kind is not None:
            raise Refused(not_a_file(name, kind))
        descriptor = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    except PermissionError as problem:
        raise Refused(no_permission(name)) from problem
    with open(descriptor, "rb") as handle:  # builtin open: a descriptor, not a path
        status = os.fstat(handle.fileno())
        kind = special_kind(status.st_mode)
        if kind is not None:
            raise Refused(not_a_file(name, kind))
        size = status.st_size
        if size > max_bytes:
            raise Refused(_too_large(name, size, max_bytes, what))
        if _NONBLOCK:
            os.set_blocking(handle.fileno(), True)
        data = handle.read(size + 1)  # read(n) sets n bytes aside: the size, not the cap
        if len(data) > size:  # it grew since
            data += handle.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise Refused(_too_large(name, len(data), max_bytes, what))
    return data


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # POSIX only; Windows has no FIFOs to hang on


def read_capped(path: Path, limits: Limits) -> bytes:
    """The file's bytes under `limits.file_bytes` (see `read_limited`)."""
    return read_limited(path, limits.file_bytes, limits.what)


def check_workbook(path: Path, limits: Limits, cannot_open: str) -> Checked:
    """Whether `path` may be handed to a spreadsheet engine; `Refused` says why not.

    `cannot_open` is the reader's own message for a file that is damaged or no
    workbook at all, so each reader keeps telling staff what it always told.
    """
    try:
        data = read_capped(path, limits)
    except OSError as problem:
        raise Refused(cannot_open) from problem
    name = path.name or str(path)
    if not data:
        raise Refused(_empty(name))
    if data.startswith(_OLE_MAGIC):
        kind = _ole_kind(data)
        if kind == "encrypted":
            raise Refused(_encrypted(name))
        if kind == "xls":
            if not limits.legacy:
                raise Refused(_legacy(name))
            return Checked("xls", data=data)
        raise Refused(_old_office(name))
    if not data.startswith(b"PK"):
        raise Refused(cannot_open)
    unpacked: dict[str, tuple[bytes, Split]] = {}
    infos = _check_zip(name, data, limits, cannot_open, unpacked)
    return Checked(
        "zip",
        _links(data, infos),
        _has_macros(path, data, infos),
        data,
        tuple(infos),
        unpacked,
    )


# --- OLE compound files -------------------------------------------------------------------

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_STREAMS = frozenset({"encryptioninfo", "encryptedpackage"})
_WORKBOOK_STREAMS = frozenset({"workbook", "book"})
_SPECIAL = 0xFFFFFFFA  # sector numbers from here up are no sector: end of chain, free…


def _ole_kind(data: bytes) -> str:
    """'encrypted', 'xls' or 'other': what an OLE compound file's directory holds."""
    names = _ole_names(data)
    if names is None:
        # A directory that cannot be followed: only the stream names, in the
        # file's own UTF-16 or as plain text (a damaged or minimal writer),
        # may still tell an encrypted workbook.
        for stream in ("EncryptionInfo", "EncryptedPackage"):
            if stream.encode("utf-16-le") in data or stream.encode("ascii") in data:
                return "encrypted"
        return "other"
    if names & _ENCRYPTION_STREAMS:
        return "encrypted"
    if names & _WORKBOOK_STREAMS:
        return "xls"
    return "other"


def _ole_names(data: bytes) -> set[str] | None:
    """The (case-folded) names of a compound file's directory; None if it cannot be read.

    [MS-CFB]: a 512-byte header, then sectors of 512 or 4096 bytes; the header
    lists the first 109 FAT sectors, a chain of DIFAT sectors the others; the
    FAT chains the directory's sectors; a directory entry is 128 bytes, its name
    UTF-16 with its byte length (terminator included) at byte 64 and its type
    (1 storage, 2 stream, 5 root) at byte 66. Every chain is bounded by the
    number of sectors in the file, so a looping or lying file ends the walk.
    """
    if len(data) < 512:
        return None
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        return None
    size = 1 << shift
    total = (len(data) - size) // size  # sectors after the header (itself one sector)
    if total <= 0:
        return None

    def sector(number: int) -> bytes:
        start = (number + 1) * size
        return data[start : start + size]

    fat_count, first_directory = struct.unpack_from("<LL", data, 44)
    first_difat, difat_count = struct.unpack_from("<LL", data, 68)
    fat_sectors = [n for n in struct.unpack_from("<109L", data, 76) if n < _SPECIAL]
    difat, seen = first_difat, 0
    while difat < min(total, _SPECIAL) and seen < min(difat_count, total):
        entries = struct.unpack(f"<{size // 4}L", sector(difat))
        fat_sectors += [n for n in entries[:-1] if n < _SPECIAL]
        difat, seen = entries[-1], seen + 1
    fat: list[int] = []
    for number in fat_sectors[: min(fat_count, total)]:
        if number < total:
            fat += struct.unpack(f"<{size // 4}L", sector(number))
    names: set[str] = set()
    number, steps = first_directory, 0
    while number < min(total, _SPECIAL) and steps <= total:
        block = sector(number)
        for start in range(0, len(block) - 127, 128):
            length, kind = struct.unpack_from("<HB", block, start + 64)
            if kind in (1, 2, 5) and 2 <= length <= 64 and length % 2 == 0:
                raw = block[start : start + length - 2]
                names.add(raw.decode("utf-16-le", errors="replace").casefold())
        number = fat[number] if number < len(fat) else _SPECIAL
        steps += 1
    return names or None


# --- zip packages -------------------------------------------------------------------------

_CHUNK = 1 << 20  # inflated bytes handled at a time
_CENTRAL = b"PK\x01\x02"
_LONGEST_TAG = _CHUNK  # an unfinished tag is carried to the next piece up to this long

# The patterns below take a tag with any namespace prefix (`<x:row …>`); each has a
# twin for markup without one, as every spreadsheet program writes it. The twin starts
# with a literal (`<row`, `<c r="`), which the regex engine finds by a fast search
# instead of trying the prefix at every `<` of the part: on a 20.000-row list that is
# most of the scan's time. `_Scan._search` takes the twins only where no tag can
# carry a prefix (the piece holds no `:c` nor `:row`), so both find the same.
_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"


@dataclass(frozen=True)
class _RowPatterns:
    """A sheet's row tags: all, those without content, and their numbers."""

    # A sheet's row tag; the drawing's anchor <xdr:row>5</xdr:row> holds a number, a
    # sheet's row never does.
    row: re.Pattern[bytes]
    # A row without content: self-closed, empty, or holding only cells without a value
    # (a style). LibreOffice writes `<row r="1048576" …></row>` after a row is deleted;
    # such a row costs no reader anything and must not count.
    empty: re.Pattern[bytes]
    # A row's number (<row r="12" …>), quotes either way.
    number: re.Pattern[bytes]


def _row_patterns(prefix: bytes) -> _RowPatterns:
    return _RowPatterns(
        re.compile(rb"<" + prefix + rb"row(?=[\s/>])[^>]*>(?!\s*\d)"),
        re.compile(
            rb"<" + prefix + rb"row(?=[\s/>])[^>]*?(?:/>|(?<!/)>\s*"
            rb"(?:<" + prefix + rb"c(?=[\s/>])[^>]*/>\s*)*</" + prefix + rb"row>)"
        ),
        re.compile(rb"<" + prefix + rb"row\s[^>]*?(?<![\w:.-])r\s*=\s*[\"']\s*(\d{1,9})"),
    )


_ROWS_ANY = _row_patterns(_PREFIX)
_ROWS_PLAIN = _row_patterns(b"")
_ROW = _ROWS_ANY.row
# The address of a cell (<c r="AB12" …>), quotes either way.
_CELL_ADDRESS = re.compile(
    rb"<" + _PREFIX + rb"c\s[^>]*?(?<![\w:.-])r\s*=\s*[\"']\s*([A-Za-z]{0,3})(\d{1,9})"
)
# Its twin for cells whose address is their first attribute, in double quotes: the
# column letters (`_cells_reach` looks for rows beyond a bound with `_beyond`).
_PLAIN_CELL_START = b'<c r="'
_PLAIN_CELL_LETTERS = re.compile(rb'<c r="\s*([A-Za-z]{0,3})\d')
_OTHER_CELL_START = re.compile(rb"<c[\t\n\r]")


def _greater_than(bound: int) -> bytes:
    """A pattern of the digit runs whose first digits read more than `bound`.

    Longer runs than `bound` has digits (leading zeros included: they only send the
    caller to the exact way), or as long and larger: 20013 gives `\\d{6}|[3-9]\\d{4}|`
    `2[1-9]\\d{3}|20[1-9]\\d{2}|200[2-9]\\d{1}|2001[4-9]\\d{0}`.
    """
    digits = str(bound)
    choices = [rb"\d{%d}" % (len(digits) + 1)]
    for at, digit in enumerate(digits):
        if digit != "9":
            rest = len(digits) - at - 1
            choices.append(
                digits[:at].encode() + b"[%d-9]" % (int(digit) + 1) + (rb"\d{%d}" % rest)
            )
    return b"|".join(choices)


@lru_cache(maxsize=64)
def _beyond(bound: int) -> re.Pattern[bytes]:
    """A plain cell tag whose row number is beyond `bound`."""
    return re.compile(rb'<c r="\s*[A-Za-z]{0,3}(?:' + _greater_than(bound) + rb")")


def _cells_reach(text: bytes, bound: int, *, prefixed_cells: bool) -> tuple[set[bytes], int]:
    """The distinct column letters of the cells' addresses in `text`, and their highest row;
    where no cell lies beyond `bound` (a row known to be there), `bound` stands for it.

    A sheet has thousands of cells but few distinct columns: only the letters are
    collected. The plain twin answers when every cell tag starts with its address in
    double quotes and gave one match; then the rows are only searched beyond `bound`,
    and only if one is there are they all read. Anything else (a prefix, single
    quotes, another attribute first, a malformed address) takes the general pattern.
    `prefixed_cells`: whether `text` holds `:c`, where a prefixed cell tag may be.
    """
    if not prefixed_cells and _OTHER_CELL_START.search(text) is None:
        plain = text.count(_PLAIN_CELL_START)
        if plain == text.count(b"<c "):
            letters = _PLAIN_CELL_LETTERS.findall(text)
            if len(letters) == plain:
                if not letters:
                    return set(), 0
                if bound > 0 and _beyond(bound).search(text) is None:
                    return set(letters), bound
    addresses = _CELL_ADDRESS.findall(text)
    if not addresses:
        return set(), 0
    letters_found, rows_found = zip(*addresses, strict=True)
    return set(letters_found), _highest(set(rows_found))


# The start of a cell's content: its value, inline text or formula.
_CONTENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)(?=[\s/>])")
# A merged range, whose every cell openpyxl makes: <mergeCell ref="A1:XFD1048576"/>.
_MERGE = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?(?<![\w:.-])ref\s*=\s*[\"']([^\"']*)"
)
_CORNER = re.compile(rb"\$?([A-Za-z]{1,3})\$?(\d{1,9})")


# A cell with content: its start tag not self-closed, then its value, text or formula.
_CONTENT_CELL = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?(?<![\w:.-])r\s*=\s*[\"']\s*[A-Za-z]{0,3}(\d{1,9})"
    rb"[^>]*(?<!/)>\s*<(?:[A-Za-z_][\w.-]*:)?(?:v|is|f)(?=[\s/>])"
)
_ROW_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?row>")


def _last_row_tag(text: bytes, end: int) -> int | None:
    """Where the last row tag before `end` starts, if that row is not closed before `end`."""
    at = text.rfind(b"row", 0, end)
    while at > 0:
        start = text.rfind(b"<", 0, at)
        if start < 0:
            return None
        tag = _ROW.match(text, start)
        if tag is not None and tag.end() <= end:
            if tag.group().endswith(b"/>") or _ROW_END.search(text, tag.end(), end):
                return None
            return start
        at = text.rfind(b"row", 0, start)
    return None


def _highest(numbers: set[bytes]) -> int:
    """The largest of row numbers written in digits (leading zeros allowed)."""
    return max((int(number) for number in numbers), default=0)


class _Scan:
    """The rows and the farthest cell of one XML part, fed in pieces as it is inflated.

    Rows are counted by their tags (a row may omit its number) and by the
    highest row number of a cell with content or of a row that is not empty, so
    an empty row far down (LibreOffice writes one after a row is deleted) counts
    for nothing; the farthest corner takes in every cell (a styled empty cell is
    still a cell to openpyxl) and the merged ranges. A piece ending inside a tag,
    or inside a row not yet closed, is searched up to there, and the rest is carried
    to the next piece, so no tag and no empty row is cut in two; a tag longer than
    `_LONGEST_TAG` (no spreadsheet program writes one) is `ValueError`. The text
    after a piece's last tag is not carried: a run of spaces in a bomb costs nothing.

    `row_limit`: the rows a sheet may have. Cells with content are looked for only
    in a piece whose cells reach beyond it: they lie among all cells, so below the
    limit they cannot tip `exceeded`, and the second pass over every cell is saved.
    """

    def __init__(self, row_limit: int | None = None) -> None:
        self.row_limit = row_limit
        self.rows = 0  # row tags of rows with content
        self.last_row = 0  # highest row number of a cell with content or a row not empty
        self.far_row = 0  # … or of any cell, or of a merged range's corner
        self.far_column = 0  # highest column of a cell or a merged range's corner
        self._carry = b""

    def feed(self, piece: bytes) -> None:
        text = self._carry + piece
        start = text.rfind(b"<")
        if start >= 0 and text.find(b">", start) < 0:  # the last tag is cut
            if len(text) - start > _LONGEST_TAG:
                raise ValueError("a tag longer than any spreadsheet program writes")
        else:
            start = len(text)
        row = _last_row_tag(text, start)
        if row is not None and len(text) - row <= _LONGEST_TAG:
            start = row  # an open row: whether it is empty shows in the next piece
        self._carry = text[start:]
        self._search(text[:start])

    def close(self) -> None:
        self._search(self._carry)
        self._carry = b""

    def _search(self, text: bytes) -> None:
        if not text:
            return
        prefixed_cells = b":c" in text
        patterns = _ROWS_ANY if prefixed_cells or b":row" in text else _ROWS_PLAIN
        rows = patterns.row.findall(text)
        empty = patterns.empty.findall(text) if rows else ()
        self.rows += len(rows) - len(empty)
        row_numbers = set(patterns.number.findall(b"".join(rows))) if rows else set()
        if empty:
            row_numbers -= set(patterns.number.findall(b"".join(empty)))
        content_rows = _highest(row_numbers)
        # Cells are far more than rows: below the highest row with content, a cell's
        # row changes nothing (the far corner takes the larger of the two).
        letters, highest = _cells_reach(text, content_rows, prefixed_cells=prefixed_cells)
        if letters:
            self._reach(letters, highest)
            beyond = self.row_limit is None or highest > self.row_limit
            if beyond and _CONTENT.search(text):
                content_rows = max(content_rows, _highest(set(_CONTENT_CELL.findall(text))))
        self.last_row = max(self.last_row, content_rows)
        self.far_row = max(self.far_row, content_rows)
        merges = _MERGE.findall(text) if b"mergeCell" in text else ()  # most parts have none
        for reference in merges:
            corners = _CORNER.findall(reference)
            if corners:
                corner_letters, numbers = zip(*corners, strict=True)
                self._reach(set(corner_letters), _highest(set(numbers)))

    def _reach(self, letters: set[bytes], row: int) -> None:
        self.far_row = max(self.far_row, row)
        self.far_column = max(
            self.far_column, *(column_number(text.decode("ascii")) for text in letters)
        )

    def exceeded(self, limits: Limits) -> bool:
        """Whether the sheet has more rows than `limits` take (inflating can stop there)."""
        return max(self.rows, self.last_row) > limits.rows

    def too_wide(self, limits: Limits) -> str | None:
        """The farthest corner's address when the grid from A1 to it is beyond `limits`."""
        column = max(self.far_column, 1)
        if self.far_row * column > limits.cells:
            return f"{column_letters(column)}{self.far_row}"
        return None


class _Stop(Exception):
    """Inflating a part stops early: it is too large, or its sheet too long."""


class _TooLong(_Stop):
    """The sheet being inflated has more rows than the reader takes."""


def _inflate(data: bytes, info: zipfile.ZipInfo, limit: int, take: Callable[[bytes], None]) -> int:
    """Inflate one part in pieces, each handed to `take`; its true size, at most `limit`.

    The compressed bytes are found from the local header, as the engines find
    them, and inflated whatever size the directory declares: past `limit`
    bytes `_Stop`, on a damaged part `ValueError` (or `zlib.error`).
    """
    begin, end = member_span(data, info)
    view = memoryview(data)
    produced, crc = 0, 0

    def handle(piece: bytes) -> None:
        nonlocal produced, crc
        produced += len(piece)
        if produced > limit:
            raise _Stop
        crc = zlib.crc32(piece, crc)
        take(piece)

    if info.compress_type == zipfile.ZIP_STORED:
        for at in range(begin, end, _CHUNK):
            handle(bytes(view[at : min(at + _CHUNK, end)]))
    else:
        inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        at = begin
        while not inflater.eof:
            if inflater.unconsumed_tail:
                source: bytes | memoryview = inflater.unconsumed_tail
            elif at < end:
                source = view[at : min(at + _CHUNK, end)]
                at += _CHUNK
            else:
                source = b""
            piece = inflater.decompress(source, _CHUNK)
            if not piece and not source:
                break
            handle(piece)
        if not inflater.eof:
            raise ValueError("the deflate stream ends early")
    if crc != info.CRC:
        raise ValueError("bad CRC")
    return produced


def _scanned(data: bytes, info: zipfile.ZipInfo, limit: int, limits: Limits, scan: _Scan) -> int:
    """Inflate an XML part through `scan`, stopping as soon as its sheet is too long."""

    def take(piece: bytes) -> None:
        scan.feed(piece)
        if scan.exceeded(limits):
            raise _TooLong

    size = _inflate(data, info, limit, take)
    scan.close()
    return size


# Parts scanned before, by their packed bytes: a province's workbooks come from one
# template, so their styles, theme, Danh mục, chart and drawing parts are the same
# bytes in every file. The same bytes give the same scan, so it is done once.
_SCANNED: OrderedDict[tuple[bytes, int, int, int, int, int], tuple[int, int, int, int, int]] = (
    OrderedDict()
)
_SCANNED_KEPT = 64
_SCANNED_MAX_PACKED = 1 * _MB  # larger parts are scanned each time: memory stays small

# Parts scanned before, by their markup: the input sheets of a province's workbooks
# differ in their figures and names, rarely in anything else. Split at the text of each
# value element (`<v>…</v>`, `<t>…</t>`), a part gives its markup: the part with those
# texts taken out, the elements' own tags kept (`sheet_markup.markup_and_texts`). Every
# pattern of the scan starts at a `<` and stops at the end of a tag, and those texts
# hold no `<`: two parts of one markup scan alike, whatever the texts say. Only parts
# inflated in one piece (`_CHUNK`).
_SKELETONS: OrderedDict[tuple[Markup, int | None, int], tuple[int, int, int, int]] = OrderedDict()
_SKELETONS_KEPT = 16


def _scanned_once(
    data: bytes,
    info: zipfile.ZipInfo,
    limit: int,
    limits: Limits,
    scan: _Scan,
    unpacked: dict[str, tuple[bytes, Split]],
) -> int:
    """`_scanned`, or the result of a scan of the same packed bytes or the same markup
    under the same caps.

    Only scans that passed are kept (a refusal raises before), and each key holds all
    that the outcome depends on: the bytes (or the markup), how they are packed, the
    sizes and CRC the directory states, the part's allowance and the row caps.
    """
    begin, end = member_span(data, info)
    if end - begin > _SCANNED_MAX_PACKED:
        return _scanned(data, info, limit, limits, scan)
    key = (data[begin:end], info.compress_type, info.file_size, info.CRC, limit, limits.rows)
    known = _SCANNED.get(key)
    if known is not None:
        _SCANNED.move_to_end(key)
        size, scan.rows, scan.last_row, scan.far_row, scan.far_column = known
        return size
    size = _scanned_by_markup(data, info, limit, limits, scan, unpacked)
    _SCANNED[key] = (size, scan.rows, scan.last_row, scan.far_row, scan.far_column)
    if len(_SCANNED) > _SCANNED_KEPT:
        _SCANNED.popitem(last=False)
    return size


def _scanned_by_markup(
    data: bytes,
    info: zipfile.ZipInfo,
    limit: int,
    limits: Limits,
    scan: _Scan,
    unpacked: dict[str, tuple[bytes, Split]],
) -> int:
    """`_scanned` for a part of at most one piece, through `_SKELETONS`; the part's bytes
    and split go to `unpacked` once it has passed."""
    if info.file_size > _CHUNK:
        return _scanned(data, info, limit, limits, scan)
    pieces: list[bytes] = []
    try:
        size = _inflate(data, info, min(limit, _CHUNK), pieces.append)
    except _Stop:  # larger than its directory entry says: the piecewise way tells why
        return _scanned(data, info, limit, limits, scan)
    text = b"".join(pieces)
    split = markup_and_texts(text)
    key = (split[0], scan.row_limit, limits.rows)
    known = _SKELETONS.get(key)
    if known is not None:
        _SKELETONS.move_to_end(key)
        scan.rows, scan.last_row, scan.far_row, scan.far_column = known
    else:
        scan.feed(text)
        scan.close()
        if scan.exceeded(limits):
            raise _TooLong
        _SKELETONS[key] = (scan.rows, scan.last_row, scan.far_row, scan.far_column)
        if len(_SKELETONS) > _SKELETONS_KEPT:
            _SKELETONS.popitem(last=False)
    if size == info.file_size:  # else refused by the caller
        unpacked[info.filename] = (text, split)
    return size


def _small_part(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """A small part's bytes (the workbook's lists), None if damaged or over `_SMALL`."""
    pieces: list[bytes] = []
    try:
        _inflate(data, info, _SMALL, pieces.append)
    except (_Stop, ValueError, zlib.error):
        return None
    return b"".join(pieces)


def _check_zip(
    name: str,
    data: bytes,
    limits: Limits,
    cannot_open: str,
    unpacked: dict[str, tuple[bytes, Split]],
) -> list[zipfile.ZipInfo]:
    """Refuse a zip beyond `limits`; its parts, each checked (see `Checked.unpacked`)."""
    # zipfile makes an object per directory entry: count the entries' signatures first.
    if data.count(_CENTRAL) > limits.parts:
        raise Refused(_too_many_parts(name))
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            infos = archive.infolist()
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,  # "zip file version 6.7": what no spreadsheet program writes
        ValueError,
        OSError,
        EOFError,
    ) as problem:
        raise Refused(cannot_open) from problem
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise Refused(cannot_open)  # two parts of one name: engines may read either
    for info in infos:
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise Refused(cannot_open)  # what no spreadsheet program writes
    if sum(info.file_size for info in infos) > limits.unpacked_bytes:
        raise Refused(_bomb(name, limits.unpacked_bytes, limits))
    total = 0
    for info in infos:
        limit = min(limits.part_bytes, limits.unpacked_bytes - total)
        scan = _Scan(limits.rows)
        try:
            if info.filename.lower().endswith(".xml"):
                size = _scanned_once(data, info, limit, limits, scan, unpacked)
            else:
                size = _inflate(data, info, limit, lambda piece: None)
        except _TooLong:
            raise Refused(
                too_many_rows(name, _sheet_title(data, infos, info) or "", limits)
            ) from None
        except _Stop:
            raise Refused(_bomb(name, limit, limits)) from None
        except (ValueError, zlib.error) as problem:
            raise Refused(cannot_open) from problem
        if size != info.file_size:
            raise Refused(cannot_open)  # the directory lies about the part
        total += size
        corner = scan.too_wide(limits)
        if corner is not None:
            raise Refused(_too_wide(name, _sheet_title(data, infos, info), corner, limits))
    return infos


_SMALL = 2 * _MB  # the workbook's list of sheets, a relations part: looked at when refusing
_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\s[^>]*>")
_NAME = re.compile(rb"""(?<![\w:.-])name\s*=\s*["']([^"']*)["']""")
_RID = re.compile(rb"""(?<![\w.-])[\w.-]+:id\s*=\s*["']([^"']*)["']""")
_RELATION = re.compile(rb"<(?:[\w.-]+:)?Relationship\s[^>]*>")
_ID = re.compile(rb"""(?<![\w:.-])Id\s*=\s*["']([^"']*)["']""")
_TARGET = re.compile(rb"""(?<![\w:.-])Target\s*=\s*["']([^"']*)["']""")


def _unescape(text: bytes) -> str:
    from tthc.infra.xml_text import unescape

    return unescape(text.decode("utf-8", errors="replace"), {"&quot;": '"', "&apos;": "'"})


def _sheet_title(data: bytes, infos: list[zipfile.ZipInfo], part: zipfile.ZipInfo) -> str | None:
    """The title staff see of the sheet stored in `part`, for a message; None if unknown."""
    parts = {info.filename: info for info in infos}
    book, relations = parts.get("xl/workbook.xml"), parts.get("xl/_rels/workbook.xml.rels")
    if book is None or relations is None:
        return None
    sheets, targets = _small_part(data, book), _small_part(data, relations)
    if sheets is None or targets is None:
        return None
    by_id: dict[bytes, str] = {}
    for relation in _RELATION.findall(targets):
        key, target = _ID.search(relation), _TARGET.search(relation)
        if key is not None and target is not None:
            path = _unescape(target.group(1))
            path = path[1:] if path.startswith("/") else f"xl/{path}"
            by_id[key.group(1)] = posixpath.normpath(path)
    for sheet in _SHEET.findall(sheets):
        title, key = _NAME.search(sheet), _RID.search(sheet)
        if title is not None and key is not None and by_id.get(key.group(1)) == part.filename:
            return _unescape(title.group(1))
    return None


_MACRO_SUFFIXES = (".xlsm", ".xltm", ".xlam")
_MACRO_CONTENT = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)


def _has_macros(path: Path, data: bytes, infos: list[zipfile.ZipInfo]) -> bool:
    """Whether the workbook is macro-enabled: by its name, its VBA part or its content types.

    Nothing reads or runs the macros; staff are told, since a file from outside
    with macros is how harm comes (`workbook.notices`).
    """
    if path.suffix.lower() in _MACRO_SUFFIXES:
        return True
    if any(posixpath.basename(info.filename).lower() == "vbaproject.bin" for info in infos):
        return True
    types = next((info for info in infos if info.filename == "[Content_Types].xml"), None)
    text = _small_part(data, types) if types is not None else None
    return text is not None and _MACRO_CONTENT.search(text) is not None


def _links(data: bytes, infos: list[zipfile.ZipInfo]) -> tuple[str, ...]:
    """One name per external link part: the file the workbook takes values from."""
    parts = {info.filename: info for info in infos}
    found: list[str] = []
    for part in sorted(parts):
        folder, base = posixpath.split(part)
        if folder != "xl/externalLinks" or not base.lower().endswith(".xml"):
            continue
        target = ""
        relations = parts.get(f"{folder}/_rels/{base}.rels")
        text = _small_part(data, relations) if relations is not None else None
        match = _TARGET.search(text) if text is not None else None
        if match is not None:
            target = posixpath.basename(unquote(_unescape(match.group(1))).replace("\\", "/"))
        found.append(target)
    return tuple(found)
