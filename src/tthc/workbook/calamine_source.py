"""Reading many filled workbooks fast: named blocks straight from the sheet XML.

A province consolidates the workbooks of its communes: thousands of files
where openpyxl needs tens of milliseconds each. This source reads the defined
names from `xl/workbook.xml` (a small part, size-capped, parsed with the standard
library: expat resolves no external entity and refuses entity expansion bombs)
and each sheet's cell values with `infra.xlsx_parts` (python-calamine for a part of
unusual shape), and hands the same `read_blocks` the same `Block`s as openpyxl
would.

It sees values only (for a formula: the value last cached by the program that
saved the file), never the formula text: a valued formula cell carries
`formula=UNKNOWN`, a valued cell without a formula `formula=None` (a number typed
over a formula is a constant to check, as in the openpyxl reader), a formula
saved without its result (openpyxl saves so) its text, so a count typed as a
formula is never taken for a blank. Empty cells carry `UNKNOWN`: whether a
formula was deleted there is not looked for. An error cell
(#REF!…) comes as its text, as openpyxl gives it (on the calamine path, which
reads it as blank, the part is searched for error cells). Numbers come as ints
when whole, dates as date or datetime objects, both of which `parse_date` takes;
cells hidden by a merge are marked. Sheets are parsed on first use; the Tổng hợp
and Báo cáo sheets, which the reader never needs, are never parsed.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import NamedTuple
from xml.etree import ElementTree

import python_calamine

from tthc.core.findings import Finding, Location, Severity
from tthc.core.report_data import LoadResult
from tthc.infra.package_guard import TEMPLATE, Refused, check_workbook
from tthc.infra.sheet_markup import Rows, RowsReading, Split, markup_rows, rows_of
from tthc.infra.xlsx_parts import (
    HostileMarkup,
    PartTooLarge,
    SheetValues,
    area_bounds,
    cell_position,
    column_letters,
    date_styles,
    hidden_by_merges,
    inflate_packed,
    is_calamine_panic,
    member_span,
    merged_ranges,
    shared_strings,
    uncomputed_formulas,
)
from tthc.infra.xml_text import unescape
from tthc.workbook.blocks import UNKNOWN, Area, Block, BlockSource, Cell
from tthc.workbook.notices import file_notices
from tthc.workbook.reader import CANNOT_OPEN, IS_FOLDER, NOT_FOUND, read_blocks, with_notices

__all__ = [
    "FastSource",
    "WorkbookUnreadable",
    "read_workbook_fast",
]

MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # all parts together, once unzipped
MAX_WORKBOOK_PART_BYTES = 2 * 1024 * 1024  # xl/workbook.xml: sheet list and names
# One sheet's XML: the template's largest (Phụ lục) is about 110 kB; a sheet of a million
# rows is about 40 MB. 8 MB leaves room for long catalogues and pasted notes.
MAX_SHEET_PART_BYTES = 8 * 1024 * 1024
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


# 'Phụ lục'!$B$8:$Q$49, Sheet1!A1: one area of one sheet.
_REFERENCE = re.compile(
    r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!,\s]+))!"
    r"(?P<cells>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)"
)
# A <c> element of a sheet part (any namespace prefix), self-closing or with a body.
_XML_CELL = re.compile(rb"<(?:[\w.-]+:)?c\s([^>]*?)(?:/>|>(.*?)</(?:[\w.-]+:)?c>)", re.DOTALL)
_ERROR_HINT = re.compile(rb"""t=["']e["']""")  # what spreadsheet programs write; fast to find
_ERROR_TYPE = re.compile(rb"""(?:^|\s)t\s*=\s*["']e["']""")
_XML_REF = re.compile(rb"""\br\s*=\s*["']([A-Za-z]{1,3}\d+)["']""")
_XML_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)</")


class WorkbookUnreadable(Exception):
    """The file cannot be read as a workbook; the message is for staff, in Vietnamese."""


@lru_cache(maxsize=256)
def _coordinates(
    first_col: int, first_row: int, last_col: int, last_row: int
) -> tuple[tuple[str, ...], ...]:
    """The cells' addresses, row by row; the same for every workbook of the template."""
    letters = [column_letters(c) for c in range(first_col, last_col + 1)]
    return tuple(
        tuple(f"{letter}{row}" for letter in letters) for row in range(first_row, last_row + 1)
    )


class _Package:
    """The workbook's zip: its parts unpacked straight from the file's bytes, size-capped.

    zipfile reads the directory; a part is then one slice and one inflate, without
    zipfile's per-member file object (a third of the cost of looking for error cells).
    """

    def __init__(
        self,
        data: bytes,
        infos: Sequence[zipfile.ZipInfo] = (),
        unpacked: Mapping[str, tuple[bytes, Split]] | None = None,
    ) -> None:
        """`infos` and `unpacked`: the directory and the parts the file check read, if it
        did (`package_guard.Checked`), so that nothing is parsed or inflated twice."""
        self.data = data
        self.unpacked: Mapping[str, tuple[bytes, Split]] = unpacked or {}
        if not infos:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                infos = archive.infolist()
        self.members = {info.filename: info for info in infos}
        if sum(info.file_size for info in self.members.values()) > MAX_UNPACKED_BYTES:
            raise WorkbookUnreadable(CANNOT_OPEN)

    def packed(self, name: str) -> tuple[bytes, zipfile.ZipInfo]:
        """One part as stored in the zip (compressed), and its directory entry."""
        info = self.members.get(name)
        if info is None:
            raise WorkbookUnreadable(CANNOT_OPEN)
        try:
            begin, end = member_span(self.data, info)
        except ValueError:
            raise WorkbookUnreadable(CANNOT_OPEN) from None
        return self.data[begin:end], info

    def part(self, name: str, limit: int, too_large: str = CANNOT_OPEN) -> bytes:
        """One part, refused above `limit` bytes with `too_large` (its header's size may lie)."""
        packed, info = self.packed(name)
        if name in self.unpacked and info.file_size <= limit:  # that size, CRC checked
            return self.unpacked[name][0]
        return self.inflate(packed, info, limit, too_large)

    @staticmethod
    def inflate(
        packed: bytes, info: zipfile.ZipInfo, limit: int, too_large: str = CANNOT_OPEN
    ) -> bytes:
        """A part's bytes unpacked, refused above `limit` bytes."""
        try:
            return inflate_packed(packed, info, limit)
        except PartTooLarge:
            raise WorkbookUnreadable(too_large) from None
        except (ValueError, zlib.error):
            raise WorkbookUnreadable(CANNOT_OPEN) from None


def _xml(data: bytes) -> ElementTree.Element:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        raise WorkbookUnreadable(CANNOT_OPEN) from None


class _Contents(NamedTuple):
    """What `xl/workbook.xml` and its relations say about the package."""

    sheets: dict[str, str]  # sheet title -> its part
    names: dict[str, str]  # workbook-scope defined name -> its text
    styles: str | None  # the styles part (which cell formats are dates)
    strings: str | None  # the shared-string part
    date1904: bool  # serial numbers count from 1904 (old Mac workbooks)
    # Where each defined name points (`FastSource._destination`), worked out on first use:
    # it depends on the names and the sheet titles alone, both of this part.
    destinations: dict[str, Area | str | None]


def _part_path(target: str) -> str:
    return posixpath.normpath(target[1:] if target.startswith("/") else f"xl/{target}")


def _contents(package: _Package) -> _Contents:
    """Each sheet's part in the package, the defined names, the styles and strings parts."""
    return _parse_contents(
        package.part("xl/workbook.xml", MAX_WORKBOOK_PART_BYTES),
        package.part("xl/_rels/workbook.xml.rels", MAX_WORKBOOK_PART_BYTES),
    )


@lru_cache(maxsize=64)
def _parse_contents(workbook_xml: bytes, relations_xml: bytes) -> _Contents:
    """Cached: every workbook made from one template has the same two parts, byte for byte.

    Callers must not change the dictionaries of the result (but for filling in
    `destinations`).
    """
    root = _xml(workbook_xml)
    relations = _xml(relations_xml)
    targets = {rel.get("Id"): rel.get("Target", "") for rel in relations}
    by_type = {rel.get("Type", "").rsplit("/", 1)[-1]: rel.get("Target", "") for rel in relations}
    parts: dict[str, str] = {}
    for sheet in root.iterfind(f"{_MAIN_NS}sheets/{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"))
        if target:
            parts[sheet.get("name", "")] = _part_path(target)
    names: dict[str, str] = {}
    for defined in root.iterfind(f"{_MAIN_NS}definedNames/{_MAIN_NS}definedName"):
        name = defined.get("name")
        if not name or defined.get("localSheetId") is not None:
            continue  # a sheet-scope name (print titles …) is not one of the template's
        names.setdefault(name, (defined.text or "").strip())
    properties = root.find(f"{_MAIN_NS}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "0") in ("1", "true")
    styles = by_type.get("styles")
    strings = by_type.get("sharedStrings")
    return _Contents(
        parts,
        names,
        _part_path(styles) if styles else None,
        _part_path(strings) if strings else None,
        date1904,
        {},
    )


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


_date_styles = lru_cache(maxsize=64)(date_styles)  # one styles part per template, mostly
_new_cell = tuple.__new__  # Cell(...) without the named tuple's Python-level __new__
_CELL_DEFAULTS = tuple(Cell._field_defaults[name] for name in Cell._fields[3:])


@lru_cache(maxsize=4096)
def _blank_row(coordinates: tuple[str, ...]) -> tuple[Cell, ...]:
    """An empty row of a block: the same cells for every workbook of the template."""
    return tuple(Cell(coordinate, None, UNKNOWN) for coordinate in coordinates)


def _calamine_values(
    rows: Sequence[Sequence[object]], errors: dict[str, str]
) -> tuple[SheetValues, int]:
    """calamine's rows (from A1) as the valued cells by address, errors put back."""
    values: SheetValues = {}
    for row_index, row in enumerate(rows, 1):
        for column_index, raw in enumerate(row, 1):
            if raw == "":
                continue
            if raw.__class__ is float and raw.is_integer():
                raw = int(raw)
            values[f"{column_letters(column_index)}{row_index}"] = raw
    for coordinate, text in errors.items():
        values.setdefault(coordinate, text)
    return values, len(rows)


class _LazyStrings(Sequence[str]):
    """The shared-string table, read when a cell first refers to it.

    Workbooks written by openpyxl (and the template) have none; Excel and LibreOffice
    keep every text there.
    """

    def __init__(self, package: _Package, part: str | None) -> None:
        self._package = package
        self._part = part
        self._strings: list[str] | None = None
        self.used = 0  # how many times a cell looked into the table

    def _table(self) -> list[str]:
        self.used += 1
        if self._strings is None:
            table = None
            if self._part is not None and self._part in self._package.members:
                table = shared_strings(self._package.part(self._part, MAX_SHEET_PART_BYTES))
            self._strings = table or []
        return self._strings

    def __len__(self) -> int:
        return len(self._table())

    def __getitem__(self, index: int) -> str:  # type: ignore[override]
        return self._table()[index]


# Sheets parsed from parts seen before, by the part's packed bytes (exact, not a hash).
_PARSED: OrderedDict[tuple[object, ...], _Sheet] = OrderedDict()
_PARSED_KEPT = 32


class _Sheet(NamedTuple):
    rows: Rows  # row -> (column, address, value, holds a formula) of each valued cell
    last_row: int  # the last row holding a value
    merges: tuple[tuple[int, int, int, int, str], ...]  # merged ranges: corners and text
    uncomputed: dict[str, str]  # formula cells saved without a result: their formula text
    # Whether the rows tell formulas from constants (a count typed over a formula); not
    # when calamine read the sheet: it cannot tell.
    formulas_known: bool
    # The blocks made from these cells, by area. A sheet the same in every file (Danh
    # mục) is one `_Sheet` shared by the files, and so are its blocks: nothing changes
    # a block once made.
    blocks: dict[tuple[int, int, int, int], Block]


def _hide_merged(
    rows: list[list[Cell]],
    area: tuple[int, int, int, int],
    merges: tuple[tuple[int, int, int, int, str], ...],
) -> None:
    """Mark the block's cells hidden by a merge (see `xlsx_parts.hidden_by_merges`)."""
    first_col, first_row = area[0], area[1]
    for row, column, text in hidden_by_merges(merges, area):
        cells = rows[row - first_row]
        index = column - first_col
        cells[index] = cells[index]._replace(value=None, merged=text)


class FastSource(BlockSource):
    """Named blocks of a workbook read from its XML (calamine for unusual parts).

    Values only: cells carry `formula=UNKNOWN`, but for formulas saved without a result.
    """

    def __init__(self, data: bytes, package: _Package, contents: _Contents) -> None:
        super().__init__()
        self.data = data
        self.package = package
        self.contents = contents
        self.defined = contents.names
        self.sheet_names = set(contents.sheets)
        self._names = set(contents.names)
        self._sheets: dict[str, _Sheet] = {}
        self._dates: frozenset[int] | None = None
        self._strings = _LazyStrings(package, contents.strings)
        self._calamine: python_calamine.CalamineWorkbook | None = None
        self.notices: tuple[Finding, ...] = ()  # links, macros: `workbook.notices`

    @classmethod
    def open(cls, path: Path) -> FastSource:
        """Open a workbook file; `WorkbookUnreadable` (Vietnamese message) if it is not one."""
        if not path.exists():
            raise WorkbookUnreadable(NOT_FOUND)
        if path.is_dir():
            raise WorkbookUnreadable(IS_FOLDER)
        try:  # the same checks, caps and messages as `workbook.reader`
            checked = check_workbook(path, TEMPLATE, CANNOT_OPEN)
        except Refused as refused:
            raise WorkbookUnreadable(str(refused)) from None
        source = cls.from_bytes(checked.data, checked.infos, checked.unpacked)
        source.notices = file_notices(path.name, checked)
        return source

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        infos: Sequence[zipfile.ZipInfo] = (),
        unpacked: Mapping[str, tuple[bytes, Split]] | None = None,
    ) -> FastSource:
        """The workbook in `data`; `infos` and `unpacked` are what the file check found
        (`package_guard.Checked`), so nothing is read twice."""
        try:
            package = _Package(data, infos, unpacked)
            contents = _contents(package)
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError) as problem:
            raise WorkbookUnreadable(CANNOT_OPEN) from problem
        return cls(data, package, contents)

    def names(self) -> set[str]:
        return self._names

    def _sheet(self, title: str) -> _Sheet:
        """A sheet's valued cells, last row and merged ranges, read once."""
        loaded = self._sheets.get(title)
        if loaded is None:
            try:
                loaded = self._read_sheet(title)
            except (python_calamine.CalamineError, zlib.error, ValueError, OSError) as problem:
                raise WorkbookUnreadable(CANNOT_OPEN) from problem
            except ElementTree.ParseError as problem:
                raise WorkbookUnreadable(CANNOT_OPEN) from problem
            self._sheets[title] = loaded
        return loaded

    def _read_sheet(self, title: str) -> _Sheet:
        part = self.contents.sheets[title]
        packed, info = self.package.packed(part)
        dates = self._date_formats()
        # A part identical byte for byte to one read before (the Danh mục sheet of every
        # workbook of a province) gives the same cells: no need to unpack and parse it.
        key = (packed, info.compress_type, info.file_size, dates, self.contents.date1904)
        known = _PARSED.get(key)
        if known is not None:
            _PARSED.move_to_end(key)
            return known
        too_large = (
            f"Trang «{title}» quá lớn (hơn {MAX_SHEET_PART_BYTES // 1024 // 1024} MB dữ "
            "liệu, có thể hàng triệu dòng) so với một sổ tính báo cáo TTHC; hãy kiểm tra "
            "lại tệp."
        )
        split = None
        if part in self.package.unpacked and info.file_size <= MAX_SHEET_PART_BYTES:
            xml, split = self.package.unpacked[part]
        else:
            xml = self.package.inflate(packed, info, MAX_SHEET_PART_BYTES, too_large)
        strings_used = self._strings.used
        read = None if self.contents.date1904 else self._from_xml(xml, dates, split)
        shareable = read is not None and self._strings.used == strings_used
        if read is None:
            values, last_row = self._from_calamine(title, xml)
            # Row by row as the slots give them; calamine cannot tell formulas from
            # constants, so none is flagged and `formulas_known` is False.
            reading = (values, last_row, frozenset[str](), uncomputed_formulas(xml))
            rows, last_row, uncomputed = rows_of(reading)
        else:
            rows, last_row, uncomputed = read
        loaded = _Sheet(rows, last_row, merged_ranges(xml), uncomputed, read is not None, {})
        if shareable:  # its cells came from this part alone, not from the shared strings
            _PARSED[key] = loaded
            if len(_PARSED) > _PARSED_KEPT:
                _PARSED.popitem(last=False)
        return loaded

    def _date_formats(self) -> frozenset[int]:
        if self._dates is None:
            styles = self.contents.styles
            if styles is not None and styles in self.package.members:
                self._dates = _date_styles(self.package.part(styles, MAX_WORKBOOK_PART_BYTES))
            else:
                self._dates = frozenset()
        return self._dates

    def _from_xml(
        self, xml: bytes, dates: frozenset[int], split: Split | None
    ) -> RowsReading | None:
        try:
            return markup_rows(xml, self._strings, dates, split)
        except HostileMarkup:
            raise WorkbookUnreadable(CANNOT_OPEN) from None

    def _from_calamine(self, title: str, xml: bytes) -> tuple[SheetValues, int]:
        if self._calamine is None:
            self._calamine = python_calamine.CalamineWorkbook.from_filelike(BytesIO(self.data))
        rows = self._calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
        return _calamine_values(rows, _error_cells(xml))

    def _destination(self, name: str) -> Area | str | None:
        """Where a name points, or what is wrong with it (for `broken`); None if absent."""
        known = self.contents.destinations
        if name in known:
            return known[name]
        found = known[name] = self._find_destination(name)
        return found

    def _find_destination(self, name: str) -> Area | str | None:
        text = self.defined.get(name)
        if text is None:
            return None
        if "#REF!" in text:
            # What Excel writes when the cells or sheet a name covered are deleted.
            return "trỏ tới vùng ô đã bị xóa (#REF!)"
        match = _REFERENCE.fullmatch(text)
        if match is None:
            return "không trỏ tới đúng một vùng ô"
        quoted = match.group("quoted")
        title = quoted.replace("''", "'") if quoted is not None else match.group("plain")
        if title not in self.sheet_names:
            return f"trỏ tới trang «{title}» không còn trong sổ tính"
        area = area_bounds(match.group("cells"))
        if area is None:
            return f"trỏ tới vùng «{match.group('cells')}» không hợp lệ"
        return Area(title, *area)

    def area(self, name: str) -> Area | None:
        destination = self._destination(name)
        return destination if isinstance(destination, Area) else None

    def sheet_cells(self, title: str) -> dict[str, object] | None:
        if title not in self.sheet_names:
            return None
        return {
            coordinate: value
            for cells in self._sheet(title).rows.values()
            for _column, coordinate, value, _formula in cells
        }

    def block(self, name: str) -> Block | None:
        destination = self._destination(name)
        if not isinstance(destination, Area):
            if destination is not None:
                self.broken(name, destination)
            return None
        title, first_col, first_row, last_col, last_row = destination
        sheet = self._sheet(title)
        corners = (first_col, first_row, last_col, last_row)
        made = sheet.blocks.get(corners)
        if made is None:
            made = sheet.blocks[corners] = self._block(sheet, destination)
        return made

    def _block(self, sheet: _Sheet, destination: Area) -> Block:
        title, first_col, first_row, last_col, last_row = destination
        by_row, sheet_rows, merges, uncomputed, formulas_known = sheet[:5]
        if first_col == last_col and first_row == last_row:
            hidden = _hidden_cells(merges)
            if hidden is not None:  # one cell (the Thông tin fields): no block to build
                return Block(title, [[self._one_cell(sheet, first_col, first_row, hidden)]])
        # Rows past the sheet's last one hold nothing: a name reaching far beyond them is
        # cut there (keeping one row) rather than made into a million empty cells.
        last_row = min(last_row, max(first_row, sheet_rows))
        rows: list[list[Cell]] = []
        for number, coordinates in enumerate(
            _coordinates(first_col, first_row, last_col, last_row), first_row
        ):
            row = list(_blank_row(coordinates))
            for column, coordinate, value, is_formula in by_row.get(number, ()):
                if first_col <= column <= last_col:
                    formula = UNKNOWN if is_formula or not formulas_known else None
                    row[column - first_col] = _new_cell(
                        Cell, (coordinate, value, formula, *_CELL_DEFAULTS)
                    )
            rows.append(row)
        for coordinate, formula in uncomputed.items():
            row_number, column = cell_position(coordinate)
            if first_row <= row_number <= last_row and first_col <= column <= last_col:
                cells = rows[row_number - first_row]
                cells[column - first_col] = Cell(coordinate, None, formula)
        if merges:
            _hide_merged(rows, (first_col, first_row, last_col, last_row), merges)
        return Block(title, rows)

    @staticmethod
    def _one_cell(sheet: _Sheet, column: int, row: int, hidden: dict[tuple[int, int], str]) -> Cell:
        """`block`'s one cell of a one-cell name, as the general way would give it."""
        by_row, _rows, _merges, uncomputed, formulas_known = sheet[:5]
        coordinate = _coordinates(column, row, column, row)[0][0]
        cell = _blank_row((coordinate,))[0]
        for at, _address, value, is_formula in by_row.get(row, ()):
            if at == column:
                formula = UNKNOWN if is_formula or not formulas_known else None
                cell = Cell(coordinate, value, formula)
        if coordinate in uncomputed:
            cell = Cell(coordinate, None, uncomputed[coordinate])
        text = hidden.get((row, column))
        return cell if text is None else cell._replace(value=None, merged=text)


_MOST_HIDDEN = 10_000  # merged cells beyond which a sheet's blocks mark them the general way


@lru_cache(maxsize=64)
def _hidden_cells(
    merges: tuple[tuple[int, int, int, int, str], ...],
) -> dict[tuple[int, int], str] | None:
    """(row, column) -> "D8:E8" for each cell a merge hides (`xlsx_parts.hidden_by_merges`,
    the later range winning as in `_hide_merged`); None if too many to list. Cached: the
    merges of a template's sheet are the same ranges in every file. Not to be changed."""
    if (
        sum((right - left + 1) * (bottom - top + 1) for left, top, right, bottom, _ in merges)
        > _MOST_HIDDEN
    ):
        return None
    hidden: dict[tuple[int, int], str] = {}
    if merges:
        corners = tuple(zip(*(merge[:4] for merge in merges), strict=True))
        bounds = (min(corners[0]), min(corners[1]), max(corners[2]), max(corners[3]))
        for row, column, text in hidden_by_merges(merges, bounds):
            hidden[(row, column)] = text
    return hidden


def read_workbook_fast(path: Path) -> LoadResult:
    """`workbook.reader.read_workbook` through python-calamine; never raises on a bad file."""
    try:
        source = FastSource.open(path)
        return with_notices(read_blocks(source, path.name), source.notices)
    except WorkbookUnreadable as problem:
        message = str(problem)
    except BaseException as problem:
        if not is_calamine_panic(problem):
            raise
        message = CANNOT_OPEN
    finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
    return LoadResult(None, (finding,))
