"""A worksheet's cell values read straight from its XML part, for the common shape.

Consolidating a province means reading thousands of small workbooks, and a general
parser (python-calamine) spends most of its time on what the reader never needs: the
Phụ lục sheet's long check formulas are two thirds of its XML. Cells with a value
are few (a commune fills a handful of grid rows), so one regular expression that
jumps from one valued cell to the next (skipping formula text in C) reads a sheet in
a fraction of the time.

This reader only handles the shape every spreadsheet program we know writes: an
unprefixed SpreadsheetML part whose cells each carry their address (`r="B8"`) as
first attribute and whose values are plain `<v>` or `<is>` elements. It checks that
shape by counting (every `<c>`, `<v>` and `<is>` of the part must be accounted for)
and answers None when anything differs, so the caller falls back to calamine rather
than read a cell wrong. Values come out as calamine gives them to the reader: whole
numbers as int, other numbers as float, numbers in a date format as date (datetime
when there is a time of day), text with XML and `_xHHHH_` escapes resolved, booleans
as bool, an error cell as its text ('#REF!'). Empty cells and empty text are absent.
"""

from __future__ import annotations

import html
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from xml.etree import ElementTree

__all__ = [
    "MAX_COLUMN",
    "MAX_ROW",
    "HostileMarkup",
    "PartTooLarge",
    "SheetValues",
    "area_bounds",
    "cell_position",
    "column_letters",
    "column_number",
    "date_styles",
    "hidden_by_merges",
    "inflate_packed",
    "is_calamine_panic",
    "member_span",
    "merged_ranges",
    "shared_strings",
    "sheet_cells",
    "sheet_reading",
    "sheet_values",
    "uncomputed_formulas",
]


MAX_ROW, MAX_COLUMN = 1_048_576, 16_384  # the size of a sheet in every .xlsx program
_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def column_number(letters: str) -> int:
    """'A' -> 1, 'AB' -> 28, 'XFD' -> 16384; '' -> 0."""
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


@lru_cache(maxsize=MAX_COLUMN)
def column_letters(number: int) -> str:
    """1 -> 'A', 28 -> 'AB'; cached, as every cell address of a sheet asks again."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@lru_cache(maxsize=16384)
def cell_position(address: str) -> tuple[int, int]:
    """'B8' or '$B$8' -> (8, 2): row, then column. ValueError for anything else."""
    match = _A1.fullmatch(address)
    if match is None:
        raise ValueError(address)
    return int(match.group(2)), column_number(match.group(1))


@lru_cache(maxsize=1024)
def area_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """'$B$8:$Q$49' -> (first column, first row, last column, last row), 1-based.

    None for what no template names: a whole row or column, a reference outside
    the sheet, anything that is not one cell or one rectangle.
    """
    corners = []
    for part in ref.split(":"):
        match = _A1.fullmatch(part)
        if match is None:
            return None
        corners.append((column_number(match.group(1)), int(match.group(2))))
    if len(corners) > 2:
        return None
    (col_a, row_a), (col_b, row_b) = corners[0], corners[-1]
    area = (min(col_a, col_b), min(row_a, row_b), max(col_a, col_b), max(row_a, row_b))
    if area[0] < 1 or area[1] < 1 or area[2] > MAX_COLUMN or area[3] > MAX_ROW:
        return None
    return area


class PartTooLarge(Exception):
    """A zip member unpacks to more bytes than the reader allows."""


def member_span(data: bytes, info: zipfile.ZipInfo) -> tuple[int, int]:
    """Where a member's compressed bytes lie in the file: (begin, end).

    Found from the local header, as the spreadsheet engines find them (the
    directory's copy of the name and extra field may differ). ValueError when
    the header is missing or the member runs past the end of the file.
    """
    start = info.header_offset
    header = data[start : start + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise ValueError("no local header")
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    begin = start + 30 + name_length + extra_length
    end = begin + info.compress_size
    if end > len(data):
        raise ValueError("past the end of the file")
    return begin, end


def inflate_packed(packed: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
    """A member's bytes unpacked in one go, never more than `limit` of them.

    PartTooLarge past `limit` (the directory's size may lie, so the output is
    capped, not trusted); ValueError for a compression method no .xlsx uses.
    """
    if info.file_size > limit:
        raise PartTooLarge
    if info.compress_type == zipfile.ZIP_STORED:
        unpacked = packed
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        unpacked = zlib.decompressobj(-zlib.MAX_WBITS).decompress(packed, limit + 1)
    else:
        raise ValueError("unknown compression")
    if len(unpacked) > limit:
        raise PartTooLarge
    return unpacked


def is_calamine_panic(problem: BaseException) -> bool:
    """A Rust panic inside calamine, which reaches Python as pyo3's PanicException.

    It is a BaseException, not an Exception: a malformed file, not a reason to stop
    the program, so every reader that hands a foreign file to calamine asks this.
    """
    return type(problem).__name__ == "PanicException"


class HostileMarkup(Exception):
    """A part declares a DTD or entities, which no spreadsheet program writes."""


SheetValues = dict[str, object]  # 'B8' -> value, only cells that hold one

# A value, found by its literal prefix (fast in the regex engine): the cell it belongs to
# is the nearest `<c r="` before it. Cells without a value (most of a template: empty
# inputs, formulas without a cached result) are never visited.
_NUMBER_VALUE = re.compile(rb"<v(?:\s[^>]*)?>([^<]+)</v>")
# The common case in one pass: a cell as spreadsheet programs write it, its value after
# its start tag or after its formula (whose text holds no `<`: markup in it is escaped).
# A cell without a value matches too (`<v></v>`, `<v/>` or nothing before `</c>`): a formula
# there was saved without its result (`uncomputed_formulas`).
_PLAIN_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?>'
    rb"(<f(?:\s[^>]*)?(?:/>|>[^<]*+</f>))?"  # possessive: no backtracking into formula text
    rb"(?:<v>([^<]+)</v>|(<is>)<t>([^<]*)</t></is>|(?:<v></v>|<v/>)?(?=</c>))"
)
# A cell's start tag as spreadsheet programs write it: address, style, type, the rest.
_CELL_TAG = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]+)")?(?: t="([A-Za-z]+)")?([^>]*)>'
)
_PLAIN_INLINE_VALUE = re.compile(rb"<is><t(?:\s[^>]*)?>([^<]*)</t></is>")
_INLINE_VALUE = re.compile(rb"<is(?:\s[^>]*)?>(.*?)</is>", re.DOTALL)  # rich text: several runs
_TEXT_RUN = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)</t>")
_PHONETIC = re.compile(rb"<rPh\b.*?</rPh>", re.DOTALL)
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_EPOCH = datetime(1899, 12, 30)  # serial 0 of the 1900 date system, as Excel counts

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# Built-in number formats that show a date or a time (ECMA-376 §18.8.30).
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), 27, 30, 36, *range(45, 48), 50, 57})
_QUOTED_OR_BRACKETED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def _is_date_format(code: str) -> bool:
    """A format code showing a date or time: y, m, d, h or s outside quotes and brackets."""
    bare = _QUOTED_OR_BRACKETED.sub("", code).lower()
    return any(letter in bare for letter in "ymdhs") and "general" not in bare


def date_styles(styles_xml: bytes | None) -> frozenset[int]:
    """Indexes of the cell formats (`s="…"`) that show numbers as dates."""
    if not styles_xml:
        return frozenset()
    root = ElementTree.fromstring(styles_xml)
    custom = {
        int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
        for fmt in root.iterfind(f"{_MAIN_NS}numFmts/{_MAIN_NS}numFmt")
    }
    found = set()
    for index, xf in enumerate(root.iterfind(f"{_MAIN_NS}cellXfs/{_MAIN_NS}xf")):
        number = int(xf.get("numFmtId", "0"))
        code = custom.get(number)
        if (code is not None and _is_date_format(code)) or (
            code is None and number in _BUILTIN_DATE_FORMATS
        ):
            found.add(index)
    return frozenset(found)


@lru_cache(maxsize=8192)
def _text(raw: bytes) -> str:
    """A text element's content, unescaped; cached: labels and names recur in every file."""
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


@lru_cache(maxsize=8192)
def _rich_text(body: bytes) -> str:
    """The text of an `<is>` or `<si>` element: its runs joined, phonetic hints left out."""
    if b"<rPh" in body:
        body = _PHONETIC.sub(b"", body)
    return "".join(_text(run) for run in _TEXT_RUN.findall(body))


def shared_strings(xml: bytes) -> list[str] | None:
    """The shared-string table (Excel keeps every text there); None if unusual."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise HostileMarkup
    if b"<sst" not in xml or xml.count(b"<si>") != xml.count(b"<si"):
        return None
    return [_rich_text(item) for item in re.findall(rb"<si>(.*?)</si>", xml, re.DOTALL)]


def _date(serial: float) -> date:
    moment = _EPOCH + timedelta(days=serial)
    return moment.date() if serial == int(serial) else moment


def _number(raw: bytes) -> int | float:
    if raw.isdigit():
        return int(raw)
    number = float(raw)
    return int(number) if number.is_integer() else number


def _cell_at(xml: bytes, position: int) -> tuple[str, int, bytes | None, bytes | None, int] | None:
    """Address, row, style and type of the cell whose value starts at `position`, and
    where its start tag ends (a formula, if any, lies between there and the value).

    None when the markup is not the usual shape (attributes in another order, a cell
    without its address, a value outside any cell): the caller then falls back.
    """
    start = xml.rfind(b"<c ", 0, position)
    if start < 0:
        return None
    tag = _CELL_TAG.match(xml, start)
    if tag is None or tag.end() > position or xml.find(b"</c>", tag.end(), position) >= 0:
        return None
    column, row, style, kind, rest = tag.groups()
    if rest and (b" t=" in rest or b" s=" in rest or rest.endswith(b"/")):
        return None
    return (column + row).decode("ascii"), int(row), style, kind, tag.end()


def _typed(
    raw: bytes,
    kind: bytes | None,
    style: bytes | None,
    strings: Sequence[str] | None,
    dates: frozenset[int],
) -> object:
    """A `<v>` element's value by the cell's type; raises LookupError if unusual."""
    if kind is None or kind == b"n":
        value = _number(raw)
        if style is not None and dates and int(style) in dates:
            return _date(value)
        return value
    if kind == b"s":
        if strings is None or not raw.isdigit() or int(raw) >= len(strings):
            raise LookupError
        return strings[int(raw)]
    if kind in (b"str", b"inlineStr", b"e"):
        return _text(raw)
    if kind == b"b":
        return raw.strip() in (b"1", b"true")
    raise LookupError  # 'd' (ISO date) or a type we do not know


def sheet_values(
    xml: bytes, strings: Sequence[str] | None, dates: frozenset[int]
) -> tuple[SheetValues, int] | None:
    """Each valued cell of a sheet part and the last row holding one; None if unusual.

    `strings` is the shared-string table (None if the workbook has none; it is only
    looked into when a cell refers to it, so it may load lazily), `dates` the date
    cell formats. None means: read this sheet with a general parser instead.
    """
    cells = sheet_cells(xml, strings, dates)
    return None if cells is None else (cells[0], cells[1])


def sheet_cells(
    xml: bytes, strings: Sequence[str] | None, dates: frozenset[int]
) -> tuple[SheetValues, int, frozenset[str]] | None:
    """`sheet_values`, and which of the valued cells hold a formula (the others are constants).

    A count typed over a formula is a constant: the reader must take it as stated (and
    check it), not as a stale result to recompute, the same verdict openpyxl gives.
    """
    reading = sheet_reading(xml, strings, dates)
    return None if reading is None else reading[:3]


SheetReading = tuple[SheetValues, int, frozenset[str], dict[str, str]]


def sheet_reading(
    xml: bytes, strings: Sequence[str] | None, dates: frozenset[int]
) -> SheetReading | None:
    """`sheet_cells`, and the formulas saved without a result (`uncomputed_formulas`),
    from the same pass where the part is of the usual shape."""
    data_at = xml.find(b"<sheetData")
    # A DTD can only stand before the root element, hence before the sheet data.
    head = xml if data_at < 0 else xml[:data_at]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise HostileMarkup  # OOXML parts never carry a DTD: an entity bomb, or worse
    if data_at < 0:
        return None  # no unprefixed sheet data: a namespace prefix, or not a worksheet
    try:
        quick = _plain_cells(xml, strings, dates)
        if quick is not None:
            values, last_row, formulas, uncomputed = quick
            return (
                values,
                last_row,
                formulas,
                (uncomputed if uncomputed is not None else uncomputed_formulas(xml)),
            )
        slow = _valued_cells(xml, strings, dates)
        return None if slow is None else (*slow, uncomputed_formulas(xml))
    except (LookupError, ValueError, OverflowError, UnicodeDecodeError):
        return None


def _plain_cells(
    xml: bytes, strings: Sequence[str] | None, dates: frozenset[int]
) -> tuple[SheetValues, int, frozenset[str], dict[str, str] | None] | None:
    """One pass over the cells, formula or not; None unless it saw every value of the part.

    A formula's text is skipped over, not parsed: which cells have one is all the
    reader needs (a count typed over a formula is a constant), except for a formula
    saved without its result, whose text the message quotes. Those are answered too
    when the pass saw every end `uncomputed_formulas` looks for, else None for them.
    """
    matches = _PLAIN_CELL.findall(xml)
    numbers = sum(1 for match in matches if match[5])
    inline = sum(1 for match in matches if match[6])
    # Every value element ends in `</v>` or `</is>`; those ending `></v>` are empty. So
    # the pass saw every value if it matched all the others (each of its matches has a
    # non-empty `<v>` or an `<is>`): three scans of the part, no parsing.
    values_in_part = xml.count(b"</v>") - xml.count(b"></v>")
    if numbers != values_in_part or inline != xml.count(b"</is>"):
        return None  # a value with attributes, rich text, attributes in another order
    values: SheetValues = {}
    formulas: list[str] = []
    unfinished: list[tuple[str, bytes, bytes]] = []
    last_row = 0
    for column, row_text, style, kind, formula, number, is_inline, text in matches:
        if not number and not is_inline:
            if formula.endswith(b"</f>"):  # a formula, and no value after it
                unfinished.append(((column + row_text).decode("ascii"), kind, formula))
            continue
        value = (
            _typed(number, kind or None, style or None, strings, dates) if number else _text(text)
        )
        if value == "":
            continue
        coordinate = (column + row_text).decode("ascii")
        if coordinate in values:
            return None  # one cell twice: not a file a spreadsheet program wrote
        values[coordinate] = value
        if formula:
            formulas.append(coordinate)
        row = int(row_text)
        if row > last_row:
            last_row = row
    return values, last_row, frozenset(formulas), _unfinished(xml, unfinished)


def _unfinished(xml: bytes, cells: list[tuple[str, bytes, bytes]]) -> dict[str, str] | None:
    """`uncomputed_formulas` from the pass's formula cells without a value, if they are
    all the part's (each end `uncomputed_formulas` looks for is one of them); else None."""
    if len(cells) != sum(xml.count(end) for end in _UNCOMPUTED_ENDS):
        return None
    found = {
        coordinate: _text(_FORMULA_TEXT.match(formula).group(1))  # type: ignore[union-attr]
        for coordinate, kind, formula in cells
        if kind in (b"", b"n")
    }
    if len(found) != sum(1 for _, kind, _ in cells if kind in (b"", b"n")):
        return None  # one cell twice: the cell-by-cell way decides as it always did
    return found


def _valued_cells(
    xml: bytes, strings: Sequence[str] | None, dates: frozenset[int]
) -> tuple[SheetValues, int, frozenset[str]] | None:
    """Every value found by its element, its cell found backwards from it."""
    values: SheetValues = {}
    formulas: set[str] = set()
    last_row = 0
    found: list[tuple[int, bytes | str]] = [
        (match.start(), match.group(1)) for match in _NUMBER_VALUE.finditer(xml)
    ]
    inline_start = len(found)
    plain = [(m.start(), _text(m.group(1))) for m in _PLAIN_INLINE_VALUE.finditer(xml)]
    if len(plain) == xml.count(b"<is"):
        found.extend(plain)
    else:
        found.extend((m.start(), _rich_text(m.group(1))) for m in _INLINE_VALUE.finditer(xml))
        if len(found) - inline_start != xml.count(b"<is"):
            return None
    for index, (position, raw) in enumerate(found):
        cell = _cell_at(xml, position)
        if cell is None:
            return None
        coordinate, row, style, kind, tag_end = cell
        if index >= inline_start:
            value: object = raw
        else:
            value = _typed(raw, kind, style, strings, dates)  # type: ignore[arg-type]
        if value == "":
            continue
        if coordinate in values:
            return None
        values[coordinate] = value
        if xml.find(b"<f", tag_end, position) >= 0:
            formulas.add(coordinate)
        if row > last_row:
            last_row = row
    return values, last_row, frozenset(formulas)


# The end of a formula cell saved without its result: openpyxl writes `<v></v>` or
# `<v/>` after the formula, some converters nothing at all. Excel and LibreOffice
# always write the result (an empty text result as `t="str"` with an empty `<v>`).
_UNCOMPUTED_ENDS = (b"</f><v></v></c>", b"</f><v/></c>", b"</f></c>")
_FORMULA_TEXT = re.compile(rb"<f(?:\s[^>]*)?>([^<]*)</f>")


def uncomputed_formulas(xml: bytes) -> dict[str, str]:
    """Formula cells saved without a result, by address: their formula text.

    A count typed as a formula (`=300+43`) into a workbook a program saved without
    computing it has no value to read; taken for a blank it would count 0 and drop
    dossiers, so the reader must say so. Only a substring search per kind of end:
    a workbook Excel or LibreOffice saved has none of them.
    """
    found: dict[str, str] = {}
    for end in _UNCOMPUTED_ENDS:
        at = xml.find(end)
        while at >= 0:
            start = xml.rfind(b"<c ", 0, at)
            tag = _CELL_TAG.match(xml, start) if start >= 0 else None
            if tag is not None and tag.group(4) in (None, b"n"):
                formula = _FORMULA_TEXT.search(xml, tag.end(), at + 4)
                text = _text(formula.group(1)) if formula is not None else ""
                found[(tag.group(1) + tag.group(2)).decode("ascii")] = text
            at = xml.find(end, at + len(end))
    return found


_MERGE = re.compile(
    rb"""<(?:[\w.-]+:)?mergeCell\s+ref=["']([A-Za-z]{1,3}\d+:[A-Za-z]{1,3}\d+)["']"""
)


def merged_ranges(xml: bytes) -> tuple[tuple[int, int, int, int, str], ...]:
    """The sheet's merged ranges; the list stands near the end of the part, if at all."""
    start = xml.find(b"mergeCell")
    if start < 0:
        return ()
    return _parse_merges(xml[max(start - 16, 0) : xml.rfind(b"mergeCell") + 64])


def hidden_by_merges(
    merges: Sequence[tuple[int, int, int, int, str]], bounds: tuple[int, int, int, int]
) -> Iterator[tuple[int, int, str]]:
    """(row, column, "D8:E8") for each cell of `bounds` (first column, first row, last
    column, last row) that a merged range hides: all but each range's top-left cell.

    Excel shows the top-left value across the range and keeps nothing in the others:
    a count typed "into" a merged cell is not there, which the readers must say.
    """
    first_col, first_row, last_col, last_row = bounds
    for left, top, right, bottom, text in merges:
        if right < first_col or left > last_col or bottom < first_row or top > last_row:
            continue
        for row in range(max(top, first_row), min(bottom, last_row) + 1):
            for column in range(max(left, first_col), min(right, last_col) + 1):
                if (row, column) != (top, left):
                    yield row, column, text


@lru_cache(maxsize=256)
def _parse_merges(section: bytes) -> tuple[tuple[int, int, int, int, str], ...]:
    """Cached: every workbook of a template has the same merges, byte for byte."""
    found = []
    for match in _MERGE.finditer(section):
        text = match.group(1).decode("ascii").upper()
        area = area_bounds(text)
        if area is not None:
            found.append((*area, text))
    return tuple(found)
