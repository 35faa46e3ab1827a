"""Reading many filled workbooks fast: named blocks through python-calamine.

A province consolidates the workbooks of its communes: thousands of files
where openpyxl needs tens of milliseconds each. python-calamine parses a
sheet in about a millisecond but knows nothing of defined names, so this
source reads them itself from `xl/workbook.xml` (a small part, size-capped,
parsed with the standard library: expat resolves no external entity and
refuses entity expansion bombs) and hands the same `read_blocks` the same
`Block`s as openpyxl would.

calamine gives each cell's value only (for a formula: the value last cached by
the program that saved the file, none for a file openpyxl saved), never the
formula text: cells carry `formula=UNKNOWN`, so the reader does not look for
numbers typed over formulas and cross-checks cached values where there are
some. calamine reads a cell holding an Excel error (#REF!…) as blank, so each
sheet's part is also searched for error cells, which the reader must report.
Numbers come as floats (whole ones are given as ints, as openpyxl does), dates
as date or datetime objects, both of which `parse_date` takes. Sheets are
parsed on first use; the Tổng hợp and Báo cáo sheets, which the reader never
needs, are never parsed.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

import python_calamine
from openpyxl.utils import get_column_letter

from .datafile import LoadResult
from .findings import Finding, Location, Severity
from .workbook_blocks import UNKNOWN, Block, BlockSource, Cell
from .workbook_reader import read_blocks

__all__ = [
    "MAX_FILE_BYTES",
    "CalamineSource",
    "WorkbookUnreadable",
    "read_workbook_fast",
]

MAX_FILE_BYTES = 20 * 1024 * 1024  # a commune's workbook is about 35 kB
MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts together, once unzipped
MAX_WORKBOOK_PART_BYTES = 2 * 1024 * 1024  # xl/workbook.xml: sheet list and names
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"

# The messages of workbook_reader, so both readers tell staff the same thing.
NOT_FOUND = "Không tìm thấy tệp."
IS_FOLDER = "Đây là một thư mục, không phải tệp."
CANNOT_OPEN = (
    "Không mở được tệp như một sổ tính Excel (.xlsx); tệp hỏng, có mật khẩu hoặc không "
    "phải sổ tính."
)

# 'Phụ lục'!$B$8:$Q$49, Sheet1!A1: one area of one sheet.
_REFERENCE = re.compile(
    r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!,\s]+))!"
    r"(?P<cells>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)"
)
_CELL = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
# A <c> element of a sheet part (any namespace prefix), self-closing or with a body.
_XML_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_ERROR_HINT = re.compile(rb"""t=["']e["']""")  # what spreadsheet programs write; fast to find
_ERROR_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_XML_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}\d+)["']""")
_XML_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</")
_MAX_ROW, _MAX_COLUMN = 1_048_576, 16_384


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook; the message is for staff, in Vietnamese."""


def _column_index(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def _area(cells: str) -> tuple[int, int, int, int] | None:
    """'$B$8:$Q$49' -> (first column, first row, last column, last row), 1-based."""
    corners = []
    for part in cells.split(":"):
        match = _CELL.fullmatch(part)
        if match is None:
            return None
        corners.append((_column_index(match.group(1)), int(match.group(2))))
    (col_a, row_a), (col_b, row_b) = corners[0], corners[-1]
    area = (min(col_a, col_b), min(row_a, row_b), max(col_a, col_b), max(row_a, row_b))
    if area[0] < 1 or area[1] < 1 or area[2] > _MAX_COLUMN or area[3] > _MAX_ROW:
        return None
    return area


@lru_cache(maxsize=256)
def _coordinates(
    first_col: int, first_row: int, last_col: int, last_row: int
) -> tuple[tuple[str, ...], ...]:
    """The cells' addresses, row by row; the same for every workbook of the template."""
    letters = [get_column_letter(c) for c in range(first_col, last_col + 1)]
    return tuple(
        tuple(f"{letter}{row}" for letter in letters) for row in range(first_row, last_row + 1)
    )


class _Package:
    """The workbook's zip: its parts unpacked straight from the file's bytes, size-capped.

    zipfile reads the directory; a part is then one slice and one inflate, without
    zipfile's per-member file object (a third of the cost of looking for error cells).
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        with zipfile.ZipFile(BytesIO(data)) as archive:
            self.members = {info.filename: info for info in archive.infolist()}
        if sum(info.file_size for info in self.members.values()) > MAX_UNPACKED_BYTES:
            raise WorkbookUnreadable(CANNOT_OPEN)

    def part(self, name: str, limit: int) -> bytes:
        """One part, refused above `limit` bytes (its header's size may lie)."""
        info = self.members.get(name)
        if info is None or info.file_size > limit:
            raise WorkbookUnreadable(CANNOT_OPEN)
        start = info.header_offset
        header = self.data[start : start + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            raise WorkbookUnreadable(CANNOT_OPEN)
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        begin = start + 30 + name_length + extra_length
        packed = self.data[begin : begin + info.compress_size]
        if info.compress_type == zipfile.ZIP_STORED:
            unpacked = packed
        elif info.compress_type == zipfile.ZIP_DEFLATED:
            unpacked = zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, limit + 1)
        else:
            raise WorkbookUnreadable(CANNOT_OPEN)
        if len(unpacked) > limit:
            raise WorkbookUnreadable(CANNOT_OPEN)
        return unpacked


def _xml(data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise WorkbookUnreadable(CANNOT_OPEN) from None


def _contents(package: _Package) -> tuple[dict[str, str], dict[str, str]]:
    """Each sheet's part in the package, and the workbook-scope defined names' texts."""
    root = _xml(package.part("xl/workbook.xml", MAX_WORKBOOK_PART_BYTES))
    relations = _xml(package.part("xl/_rels/workbook.xml.rels", MAX_WORKBOOK_PART_BYTES))
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    parts: dict[str, str] = {}
    for sheet in root.iterfind(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"))
        if target:
            path = target[1:] if target.startswith("/") else f"xl/{target}"
            parts[sheet.get("name", "")] = posixpath.normpath(path)
    names: dict[str, str] = {}
    for defined in root.iterfind(f"{_MAIN_NS}definedNames/{_MAIN_NS}definedName"):
        name = defined.get("name")
        if not name or defined.get("localSheetId") is not None:
            continue  # a sheet-scope name (print titles …) is not one of the template's
        names.setdefault(name, (defined.text or "").strip())
    return parts, names


def _error_cells(xml: bytes) -> dict[str, str]:
    """Cells holding an Excel error ('#REF!'…), which calamine reads as blank.

    A count that shows #REF! must be reported as such, as the openpyxl reader
    does, not taken for an empty cell counted as 0. Most sheets have none, and
    one substring search over the part tells.
    """
    if _ERROR_HINT.search(xml) is None:
        return {}
    found: dict[str, str] = {}
    for cell in _XML_CELL.finditer(xml):
        attributes = cell.group(1)
        if not _ERROR_TYPE.search(attributes):
            continue
        where = _XML_REF.search(attributes)
        value = _XML_VALUE.search(cell.group(2) or b"")
        if where is not None and value is not None:
            found[where.group(1).decode("ascii").upper()] = unescape(value.group(1).decode())
    return found


class CalamineSource(BlockSource):
    """Named blocks of a workbook read with python-calamine: values only, formulas unknown."""

    def __init__(
        self,
        workbook: python_calamine.CalamineWorkbook,
        names: dict[str, str],
        package: _Package | None = None,
        parts: dict[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.workbook = workbook
        self.defined = names
        self.sheet_names = set(workbook.sheet_names)
        self._names = set(names)
        self._package = package  # for the sheets' error cells
        self._parts = parts or {}
        self._sheets: dict[str, tuple[list[list[object]], dict[str, str]]] = {}

    @classmethod
    def open(cls, path: Path) -> CalamineSource:
        """Open a workbook file; `WorkbookUnreadable` (Vietnamese message) if it is not one."""
        if not path.exists():
            raise WorkbookUnreadable(NOT_FOUND)
        if path.is_dir():
            raise WorkbookUnreadable(IS_FOLDER)
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise WorkbookUnreadable(
                    f"Tệp quá lớn ({size / 1024 / 1024:.0f} MB) so với một sổ tính báo cáo TTHC; "
                    "hãy kiểm tra lại tệp."
                )
            data = path.read_bytes()
        except OSError as problem:
            raise WorkbookUnreadable(CANNOT_OPEN) from problem
        return cls.from_bytes(data)

    @classmethod
    def from_bytes(cls, data: bytes) -> CalamineSource:
        try:
            package = _Package(data)
            parts, names = _contents(package)
            workbook = python_calamine.CalamineWorkbook.from_filelike(BytesIO(data))
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as problem:
            raise WorkbookUnreadable(CANNOT_OPEN) from problem
        except python_calamine.CalamineError as problem:
            raise WorkbookUnreadable(CANNOT_OPEN) from problem
        return cls(workbook, names, package, parts)

    def names(self) -> set[str]:
        return self._names

    def _sheet(self, title: str) -> tuple[list[list[object]], dict[str, str]]:
        """A sheet's values from A1 (indexes are addresses) and its error cells, parsed once."""
        loaded = self._sheets.get(title)
        if loaded is None:
            try:
                rows = self.workbook.get_sheet_by_name(title).to_python(skip_empty_area=False)
                part = self._parts.get(title)
                errors: dict[str, str] = {}
                if self._package is not None and part is not None:
                    errors = _error_cells(self._package.part(part, MAX_UNPACKED_BYTES))
            except (python_calamine.CalamineError, zlib.error, ValueError, OSError) as problem:
                raise WorkbookUnreadable(CANNOT_OPEN) from problem
            loaded = self._sheets[title] = (rows, errors)
        return loaded

    def block(self, name: str) -> Block | None:
        text = self.defined.get(name)
        if text is None:
            return None
        match = _REFERENCE.fullmatch(text)
        if match is None:
            self.broken(name, "không trỏ tới đúng một vùng ô")
            return None
        quoted = match.group("quoted")
        title = quoted.replace("''", "'") if quoted is not None else match.group("plain")
        if title not in self.sheet_names:
            self.broken(name, f"trỏ tới trang «{title}» không còn trong sổ tính")
            return None
        area = _area(match.group("cells"))
        if area is None:
            self.broken(name, f"trỏ tới vùng «{match.group('cells')}» không hợp lệ")
            return None
        data, errors = self._sheet(title)
        first_col, first_row, last_col, last_row = area
        # Rows past the sheet's last one hold nothing: a name reaching far beyond them is
        # cut there (keeping one row) rather than made into a million empty cells.
        last_row = min(last_row, max(first_row, len(data)))
        coordinates = _coordinates(first_col, first_row, last_col, last_row)
        rows: list[list[Cell]] = []
        for row, names in enumerate(coordinates, first_row - 1):
            values = data[row] if row < len(data) else ()
            width = len(values)
            out = []
            for index, coordinate in enumerate(names, first_col - 1):
                raw = values[index] if index < width else None
                if raw == "":
                    raw = errors.get(coordinate) if errors else None
                elif raw.__class__ is float and raw.is_integer():
                    raw = int(raw)
                out.append(Cell(coordinate, raw, UNKNOWN))
            rows.append(out)
        return Block(title, rows)


def read_workbook_fast(path: Path) -> LoadResult:
    """`workbook_reader.read_workbook` through python-calamine; never raises on a bad file."""
    try:
        source = CalamineSource.open(path)
        return read_blocks(source, path.name)
    except WorkbookUnreadable as problem:
        message = str(problem)
    except BaseException as problem:
        # A Rust panic inside calamine on a malformed part reaches Python as pyo3's
        # PanicException, a BaseException: one bad file, not a reason to stop.
        if type(problem).__name__ != "PanicException":
            raise
        message = CANNOT_OPEN
    finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
    return LoadResult(None, (finding,))
