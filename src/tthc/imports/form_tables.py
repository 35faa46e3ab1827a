"""Importing the appendix grid from any workbook laid out like the form.

Communes rarely type the grid from scratch: the provincial one-stop system
exports it to Excel, either as the seed's 16-column form or as the national
13-column "Biểu 06" (Thông tư 01/2020/TT-VPCP), with title rows above, merged
two-level headers, blank spacer columns, with or without an STT column. This
module finds that grid in any sheet and turns it into `FieldRow`s.

How the grid is found, in order:

1. the column-number row: a row whose non-blank cells all read as column
   numbers, strictly increasing, at least ten of them: "(1)", "(2)",
   "(3)=(4)+(5)+(6)", "(3) = (4)+(5)+(6)", plain "(3)", or "3", "3=4+5+6".
   The numbering is taken relative to the form: a form without STT that
   numbers "Lĩnh vực" as (1) is shifted back into place by the first formula
   cell, or by the position of the "Lĩnh vực" header. 16 or 13 columns is
   decided by the formulas ("(7)=(8)+…+(12)" against "(7)=(8)+(9)+(10)"),
   then by the header words that only the 16-column form has ("Từ chối",
   "Hồ sơ rút", "Yêu cầu bổ sung"), then by the count of numbered columns;
2. failing that, the header texts: a "Lĩnh vực" cell and, to its right, the
   lowest header text of each column read left to right as "Tổng số",
   "Trực tuyến" (or the misspelt "Thực tuyến"), "Trực tiếp", "Từ kỳ trước",
   "Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", then "Từ chối", "Hồ sơ rút",
   "Tổng số", "Trong hạn", "Quá hạn", "Yêu cầu bổ sung" (16 columns) or
   "Tổng số", "Trong hạn", "Quá hạn" (13 columns).

Field rows run from below the header to the "Tổng cộng" row ("TỔNG CỘNG",
"Cộng", …, compared without case or diacritics); rows without a single figure
(blank rows, fields listed with empty cells, group headings) are skipped. Every
count goes through `parse_count`, so findings match the other readers. The
form's own totals and its "Tổng cộng" row are compared with the recomputed
sums and differences reported as warnings naming the cell; the imported rows
carry no stated totals, so the rest of the pipeline works from the typed-in
columns only.

Workbooks are read with python-calamine when it is installed (.xlsx, .xlsm,
.xls, .xlsb, .ods), otherwise with openpyxl (.xlsx, .xlsm). Nothing here
raises on bad content: every problem is a Vietnamese finding. Before either
engine sees the file, `package_guard` checks its bytes (`FORM_EXPORT` caps):
a password-protected workbook, a zip bomb, a sheet of more than 50,000 rows
or a file that is no workbook is refused with an ERROR; a real .xls goes on.
A workbook linked to other files is read with the values it last saved, and a
WARNING asks staff to check them (no linked file is ever opened).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from tthc.core.findings import Finding, Location, Severity, has_errors
from tthc.core.grid import TOTAL_LABEL, Counts
from tthc.core.model import FieldRow, Period, ReportInput, UnitKind
from tthc.core.new_month import blank_report
from tthc.core.parsing import is_blank, parse_count
from tthc.core.vn_format import format_integer, nfc
from tthc.imports.export_layout import row_texts, title_facts
from tthc.imports.field_names import resolve_fields
from tthc.infra.package_guard import FORM_EXPORT, Refused, check_workbook
from tthc.infra.xlsx_parts import column_letters, is_calamine_panic
from tthc.workbook.notices import file_notices

__all__ = ["ImportResult", "import_grid", "import_report"]

_COUNT_KEYS = tuple(f.name for f in fields(Counts))


# --- the two layouts ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    name: str  # "16" or "13"
    inputs: Mapping[int, str]  # column number of the form -> Counts field
    derived: Mapping[int, tuple[int, ...]]  # total column -> the columns it sums
    tokens: tuple[str, ...]  # header words of columns (3)… left to right

    @property
    def last(self) -> int:
        return 2 + len(self.tokens)

    def label(self, number: int) -> str:
        """'(7)' on our form, '(7) của biểu 13 cột' on the national one."""
        return f"({number})" if self.name == "16" else f"({number}) của biểu 13 cột"

    def column(self, number: int) -> int | None:
        """The grid column a finding may name: only the 16-column numbers are ours."""
        return number if self.name == "16" else None


_LAYOUT_16 = _Layout(
    "16",
    {
        4: "online",
        5: "direct",
        6: "carried_over",
        8: "early",
        9: "on_time",
        10: "late",
        11: "refused",
        12: "withdrawn",
        14: "pending_in_time",
        15: "pending_overdue",
        16: "pending_supplement",
    },
    {3: (4, 5, 6), 7: (8, 9, 10, 11, 12), 13: (14, 15, 16)},
    (
        "total",
        "online",
        "direct",
        "carried",
        "total",
        "early",
        "on_time",
        "late",
        "refused",
        "withdrawn",
        "total",
        "in_time",
        "late",
        "supplement",
    ),
)
_LAYOUT_13 = _Layout(
    "13",
    {
        4: "online",
        5: "direct",
        6: "carried_over",
        8: "early",
        9: "on_time",
        10: "late",
        12: "pending_in_time",
        13: "pending_overdue",
    },
    {3: (4, 5, 6), 7: (8, 9, 10), 11: (12, 13)},
    (
        "total",
        "online",
        "direct",
        "carried",
        "total",
        "early",
        "on_time",
        "late",
        "total",
        "in_time",
        "late",
    ),
)
_LAYOUTS = {"16": _LAYOUT_16, "13": _LAYOUT_13}
_ONLY_16 = frozenset({"refused", "withdrawn", "supplement"})
_COLUMN_NAMES_16 = {
    4: "Trực tuyến",
    5: "Trực tiếp, dịch vụ bưu chính",
    6: "Từ kỳ trước",
    8: "Trước hạn",
    9: "Đúng hạn",
    10: "Quá hạn",
    11: "Từ chối, không giải quyết",
    12: "Hồ sơ rút",
    14: "Trong hạn",
    15: "Quá hạn",
    16: "Yêu cầu bổ sung",
}
_COLUMN_NAMES_13 = {
    4: "Trực tuyến",
    5: "Trực tiếp, dịch vụ bưu chính",
    6: "Từ kỳ trước",
    8: "Trước hạn",
    9: "Đúng hạn",
    10: "Quá hạn",
    12: "Trong hạn",
    13: "Quá hạn",
}
_MISSING_IN_13 = (
    "Biểu 13 cột không tách hồ sơ từ chối, hồ sơ rút, hồ sơ chờ bổ sung: cột (11) «Từ chối, "
    "không giải quyết», (12) «Hồ sơ rút» và (16) «Yêu cầu bổ sung» của phụ lục được để 0. "
    "Theo Thông tư 01/2020/TT-VPCP, hồ sơ từ chối, rút thường đã nằm trong cột «Đúng hạn» và "
    "hồ sơ chờ bổ sung trong cột «Trong hạn» (đang giải quyết) của biểu 13 cột; nếu biết số "
    "liệu, hãy tách lại trong sổ tính."
)


# --- the result --------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    """The field rows found, which form they came from, and everything doubtful.

    `layout` is "16" or "13" ("" when no grid was found); `sheet` names the
    sheet the grid was read from.
    """

    rows: tuple[FieldRow, ...]
    layout: str
    sheet: str
    findings: tuple[Finding, ...]
    sections: tuple[str, ...] = ()  # the source section of each row ("" when none), in order
    title: tuple[str, ...] = ()  # the text lines above the grid (unit, period)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not has_errors(self.findings)


# --- reading the sheets ------------------------------------------------------------------


@dataclass(frozen=True)
class _Sheet:
    """One sheet as plain values: rows from row 1, columns from A, None for blank."""

    name: str
    rows: list[list[object]]

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def value(self, row: int, column: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= column < len(self.rows[row]):
            return self.rows[row][column]
        return None


def _clean(value: object) -> object:
    if isinstance(value, str):
        return nfc(value) if value.strip() else None
    return value


def _read_calamine(path: Path) -> list[_Sheet]:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    sheets: list[_Sheet] = []
    for name in book.sheet_names:
        try:
            data = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception:  # a chart sheet or a sheet the engine cannot read: no grid there
            continue
        sheets.append(_Sheet(name, [[_clean(v) for v in row] for row in data]))
    return sheets


def _read_openpyxl(path: Path) -> list[_Sheet]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheets: list[_Sheet] = []
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # exports often state a wrong used range
            rows = [
                [_clean(v) for v in row]
                for row in sheet.iter_rows(min_row=1, min_col=1, values_only=True)
            ]
            sheets.append(_Sheet(sheet.title, rows))
        return sheets
    finally:
        book.close()


def _read_sheets(path: Path) -> list[_Sheet]:
    """python-calamine when installed (it also reads .xls and .ods), else openpyxl.

    Only for a file `package_guard.check_workbook` let through: neither engine
    caps what it inflates or how far a sheet reaches.
    """
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return _read_openpyxl(path)
    return _read_calamine(path)


# --- recognising texts -------------------------------------------------------------------


def _plain(value: object) -> str:
    """Lower case without diacritics or punctuation: 'TỔNG CỘNG:' -> 'tong cong'."""
    if not isinstance(value, str):
        return ""
    decomposed = unicodedata.normalize("NFD", value)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = text.casefold().replace("đ", "d")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _is_total_label(value: object) -> bool:
    text = _plain(value)
    return text in {"tong cong", "cong", "tong", "tong so"} or text.startswith("tong cong ")


_ROMAN = re.compile(r"^(?:[ivx]{1,4}|[a-d])$")
_SECTION_STARTS = ("tren he thong", "he thong", "tren cong", "cong dich vu cong", "nguon ")


def _section_name(cells: list[object], name: object) -> str | None:
    """The heading of a source section («I. Trên Hệ thống thông tin giải quyết TTHC tỉnh»).

    Biểu 06 exports list the fields once per source system; a section's row is
    numbered I, II… (or A, B…) and names the system, not a field.
    """
    if not isinstance(name, str) or not name.strip():
        return None
    numbered = any(_ROMAN.match(_plain(c)) for c in cells if isinstance(c, str))
    text = _plain(name)
    if numbered or text.startswith(_SECTION_STARTS):
        return " ".join(name.split())
    return None


def _is_name_header(value: object) -> bool:
    text = _plain(value)
    return "linh vuc" in text and len(text) <= 60


def _token(value: object) -> str | None:
    """What a column heading means, in the order the checks must run."""
    text = f" {_plain(value)} "
    checks = (
        ("supplement", (" bo sung ",)),
        ("refused", (" tu choi ", " khong giai quyet ")),
        ("withdrawn", (" rut ",)),
        ("early", (" truoc han ",)),
        ("on_time", (" dung han ",)),
        ("in_time", (" trong han ", " chua den han ", " chua qua han ")),
        ("late", (" qua han ",)),
        ("carried", (" ky truoc ", " chuyen qua ", " chuyen sang ")),
        ("online", (" tuyen ",)),
        ("direct", (" tiep ", " buu chinh ")),
        ("total", (" tong ",)),
    )
    for token, needles in checks:
        if any(needle in text for needle in needles):
            return token
    return None


@dataclass(frozen=True)
class _Label:
    """One cell of the column-number row."""

    column: int
    number: int
    parts: tuple[int, ...]


_LABEL_TEXT = re.compile(r"\(?(\d{1,2})\)?(?:=(.+))?")
_LABEL_PARTS = re.compile(r"\(?\d{1,2}\)?(?:\+\(?\d{1,2}\)?)*")


def _number_label(value: object, column: int) -> _Label | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        return _Label(column, value, ()) if 1 <= value <= 40 else None
    if not isinstance(value, str):
        return None
    text = re.sub(r"\s+", "", value)
    match = _LABEL_TEXT.fullmatch(text)
    if not match or text.count("(") != text.count(")"):
        return None
    number, rest = int(match.group(1)), match.group(2)
    if not 1 <= number <= 40:
        return None
    if rest is None:
        return _Label(column, number, ())
    if not _LABEL_PARTS.fullmatch(rest):
        return None
    return _Label(column, number, tuple(int(p) for p in re.findall(r"\d+", rest)))


def _number_row(sheet: _Sheet, row: int) -> list[_Label] | None:
    """The row's labels if every non-blank cell is a column number, increasing, ten or more."""
    cells = sheet.rows[row]
    present = [(c, v) for c, v in enumerate(cells) if not is_blank(v)]
    if len(present) < 10:
        return None
    labels: list[_Label] = []
    for column, value in present:
        label = _number_label(value, column)
        if label is None or (labels and label.number <= labels[-1].number):
            return None
        labels.append(label)
    marked = any(isinstance(v, str) and "(" in v for _, v in present)
    if not marked and not any(label.parts for label in labels):
        # bare numbers only: the run 1, 2, 3… (or 2, 3…) and nothing else, not a row of data
        numbers = [label.number for label in labels]
        if numbers[0] > 2 or numbers != list(range(numbers[0], numbers[0] + len(numbers))):
            return None
    return labels


def _looks_numeric(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and bool(re.fullmatch(r"[\d.\s\u00a0]*\d[\d.\s\u00a0]*", value))


def _coordinate(row: int, column: int) -> str:
    return f"{column_letters(column + 1)}{row + 1}"


# --- locating the grid -------------------------------------------------------------------


@dataclass
class _Grid:
    sheet: _Sheet
    layout: _Layout
    name_column: int
    columns: dict[int, int]  # number on the form -> sheet column
    first_row: int  # first row below the header
    anchor: str  # a cell of the header, for findings about the grid as a whole
    findings: list[Finding] = field(default_factory=list)


def _leaves(sheet: _Sheet, top: int, bottom: int, columns: range) -> dict[int, tuple[str, int]]:
    """Each column's lowest header text in rows top..bottom-1 (merged cells keep their anchor)."""
    found: dict[int, tuple[str, int]] = {}
    for column in columns:
        for row in range(bottom - 1, top - 1, -1):
            value = sheet.value(row, column)
            if isinstance(value, str) and value.strip() and _number_label(value, 0) is None:
                found[column] = (value, row)
                break
    return found


def _header_top(sheet: _Sheet, number_row: int, span: range) -> int:
    """The first header row above the number row: the 'Lĩnh vực' row, or up to a blank row."""
    for row in range(number_row - 1, max(number_row - 8, 0) - 1, -1):
        if any(_is_name_header(sheet.value(row, c)) for c in span):
            return row
    top = number_row
    while top > max(number_row - 4, 0) and any(not is_blank(sheet.value(top - 1, c)) for c in span):
        top -= 1
    return top


def _text_column(sheet: _Sheet, first_row: int, columns: list[int]) -> int | None:
    """The first of the leading columns whose cells below are mostly words: the field names."""
    for column in columns[:3]:
        texts = numbers = 0
        for row in range(first_row, min(first_row + 40, sheet.height)):
            value = sheet.value(row, column)
            if is_blank(value) or _is_total_label(value):
                continue
            if isinstance(value, str) and not _looks_numeric(value):
                texts += 1
            else:
                numbers += 1
        if texts and texts >= numbers:
            return column
    return None


def _grid_from_numbers(sheet: _Sheet, row: int, labels: list[_Label]) -> _Grid | Finding:
    anchor = _coordinate(row, labels[0].column)
    # the grid's own columns, and the one before them for a field column left unnumbered;
    # titles beside the grid are not headers
    left = max(labels[0].column - 1, 0)
    span = range(labels[0].column, labels[-1].column + 1)
    top = _header_top(sheet, row, span)
    leaves = _leaves(sheet, top, row, range(left, span.stop))
    by_column = {label.column: label for label in labels}
    named = [c for c, (text, _) in sorted(leaves.items()) if _is_name_header(text)]
    name_column = next((c for c in named if c in span), named[0] if named else None)
    if name_column is None:
        name_column = _text_column(sheet, row + 1, sorted({left, *by_column}))
    formula = next((label for label in labels if label.parts), None)
    if formula is not None:
        offset = formula.number - 3
    elif name_column is not None and name_column in by_column:
        offset = by_column[name_column].number - 2
    elif name_column is not None:
        after = [label for label in labels if label.column > name_column]
        offset = after[0].number - 3 if after else labels[0].number - 1
    else:
        offset = labels[0].number - 1
    if name_column is None:
        name_column = next((lab.column for lab in labels if lab.number - offset == 2), None)
    if name_column is None:
        return Finding(
            Severity.ERROR,
            "import.no_name_column",
            "Thấy hàng số thứ tự cột nhưng không xác định được cột (2) «Lĩnh vực giải quyết».",
            Location(sheet=sheet.name, cell=anchor),
        )
    counted = [lab for lab in labels if lab.column > name_column and lab.number - offset >= 3]
    by_number: dict[int, _Label] = {}
    for label in counted:
        by_number.setdefault(label.number - offset, label)
    tokens = {_token(leaves[lab.column][0]) for lab in counted if lab.column in leaves}

    formula_layout = None
    resolved = by_number.get(7)
    if resolved is not None and len(resolved.parts) in (3, 5):
        formula_layout = "16" if len(resolved.parts) == 5 else "13"
    elif 13 in by_number and len(by_number[13].parts) == 3:
        formula_layout = "16"
    elif 11 in by_number and len(by_number[11].parts) == 2:
        formula_layout = "13"
    header_layout = None
    if tokens & _ONLY_16:
        header_layout = "16"
    elif tokens & {"early", "on_time"}:
        header_layout = "13"
    highest = max(by_number, default=0)
    count_layout = "16" if highest >= 14 else "13" if highest >= 11 else None
    chosen = formula_layout or header_layout or count_layout
    if chosen is None:
        return Finding(
            Severity.ERROR,
            "import.too_few_columns",
            f"Hàng số thứ tự cột chỉ có đến cột ({highest}); biểu phải có 13 hoặc 16 cột.",
            Location(sheet=sheet.name, cell=anchor),
        )
    layout = _LAYOUTS[chosen]
    grid = _Grid(sheet, layout, name_column, {}, row + 1, anchor)
    if formula_layout and header_layout and formula_layout != header_layout:
        grid.findings.append(
            Finding(
                Severity.WARNING,
                "import.layout_conflict",
                f"Công thức ở hàng số thứ tự cột là của biểu {formula_layout} cột nhưng tiêu đề "
                f"lại giống biểu {header_layout} cột; đã đọc theo biểu {formula_layout} cột.",
                Location(sheet=sheet.name, cell=anchor),
            )
        )
    for label in counted:
        number = label.number - offset
        cell = _coordinate(row, label.column)
        if number > layout.last:
            grid.findings.append(_ignored_column(sheet, cell, sheet.value(row, label.column)))
        elif number in grid.columns:
            grid.findings.append(
                Finding(
                    Severity.WARNING,
                    "import.column_duplicate",
                    f"Số thứ tự cột {layout.label(number)} xuất hiện lần thứ hai; "
                    "cột này bị bỏ qua.",
                    Location(sheet=sheet.name, cell=cell),
                )
            )
        else:
            grid.columns[number] = label.column
    return _check_inputs(grid)


def _ignored_column(sheet: _Sheet, cell: str, head: object) -> Finding:
    return Finding(
        Severity.WARNING,
        "import.column_ignored",
        f"Cột «{head}» không thuộc biểu phụ lục; số liệu của cột này không được nhập.",
        Location(sheet=sheet.name, cell=cell),
    )


def _check_inputs(grid: _Grid) -> _Grid | Finding:
    names = _COLUMN_NAMES_16 if grid.layout.name == "16" else _COLUMN_NAMES_13
    missing = [n for n in grid.layout.inputs if n not in grid.columns]
    if not missing:
        return grid
    listed = ", ".join(f"({n}) «{names[n]}»" for n in missing)
    return Finding(
        Severity.ERROR,
        "import.column_missing",
        f"Bảng theo biểu {grid.layout.name} cột nhưng thiếu cột {listed}; không nhập được.",
        Location(sheet=grid.sheet.name, cell=grid.anchor),
    )


def _header_bottom(sheet: _Sheet, top: int, name_column: int) -> int:
    """The last header row below the 'Lĩnh vực' cell: before names, numbers or the total."""
    bottom = top
    for row in range(top + 1, min(top + 6, sheet.height)):
        cells = sheet.rows[row]
        right = cells[name_column + 1 :]
        name = sheet.value(row, name_column)
        present = [v for v in right if not is_blank(v)]
        labelled = sum(_number_label(v, 0) is not None for v in present)
        if _number_label(name, 0) is not None and labelled >= max(5, len(present) // 2):
            bottom = row  # a numbering row the strict check refused: part of the header
            continue
        if not is_blank(name) or any(_is_total_label(v) for v in cells[: name_column + 1]):
            break
        if any(_looks_numeric(v) for v in right):
            break
        bottom = row
    return bottom


def _match(tokens: list[str | None], layout: _Layout) -> bool:
    if len(tokens) < len(layout.tokens):
        return False
    unknown = 0
    for found, expected in zip(tokens, layout.tokens, strict=False):
        if found is None:
            unknown += 1
        elif found != expected:
            return False
    return unknown <= 2


def _grid_from_headers(sheet: _Sheet) -> _Grid | None:
    for row in range(min(sheet.height, 200)):
        for column, value in enumerate(sheet.rows[row]):
            if not _is_name_header(value):
                continue
            bottom = _header_bottom(sheet, row, column)
            leaves = _leaves(sheet, row, bottom + 1, range(column + 1, sheet.width))
            heads = sorted(leaves.items())
            tokens = [_token(text) for _, (text, _) in heads]
            layout = next((lay for lay in (_LAYOUT_16, _LAYOUT_13) if _match(tokens, lay)), None)
            if layout is None:
                continue
            anchor = _coordinate(row, column)
            grid = _Grid(sheet, layout, column, {}, bottom + 1, anchor)
            for index, (col, (text, head_row)) in enumerate(heads):
                cell = _coordinate(head_row, col)
                if index >= len(layout.tokens):
                    grid.findings.append(_ignored_column(sheet, cell, text))
                    continue
                number = index + 3
                grid.columns[number] = col
                if tokens[index] is None:
                    grid.findings.append(
                        Finding(
                            Severity.WARNING,
                            "import.header_unrecognised",
                            f"Không nhận ra tiêu đề cột «{text}»; theo vị trí, đã hiểu là cột "
                            f"{layout.label(number)}.",
                            Location(sheet=sheet.name, cell=cell),
                        )
                    )
            return grid
    return None


# --- reading the rows --------------------------------------------------------------------


def _field_name(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", nfc(str(value))).strip()


def _stated(raw: object, where: Location, what: str) -> tuple[int | None, list[Finding]]:
    """A total the form states: its value, or a warning when it is not a number."""
    parsed = parse_count(raw, where)
    if parsed.value is not None:
        return parsed.value, []
    warning = Finding(
        Severity.WARNING,
        "import.total_unreadable",
        f"Ô tổng {what} ghi «{raw}», không phải là số; không đối chiếu được.",
        where,
    )
    return None, [warning]


def _grid_end(grid: _Grid) -> tuple[int, bool]:
    """The 'Tổng cộng' row, or else the row after the last figure: (row, found the total).

    A second grid below (its 'Lĩnh vực' header or column-number row) ends this one too.
    """
    last = grid.first_row - 1
    for row in range(grid.first_row, grid.sheet.height):
        cells = grid.sheet.rows[row][: grid.name_column + 1]
        if any(_is_total_label(v) for v in cells):
            return row, True
        name = grid.sheet.value(row, grid.name_column)
        if _is_name_header(name) or _number_row(grid.sheet, row) is not None:
            break
        if any(not is_blank(grid.sheet.value(row, c)) for c in grid.columns.values()):
            last = row
    return last + 1, False


def _read_rows(grid: _Grid) -> tuple[list[FieldRow], list[Finding], list[str]]:
    sheet, layout = grid.sheet, grid.layout
    findings = list(grid.findings)
    end, has_total = _grid_end(grid)
    total_row = end if has_total else None
    if total_row is None:
        findings.append(
            Finding(
                Severity.WARNING,
                "import.no_total",
                f"Không thấy dòng «{TOTAL_LABEL}» dưới bảng; đã đọc đến dòng cuối có số liệu "
                f"(dòng {end}) và không đối chiếu được tổng.",
                Location(sheet=sheet.name, cell=grid.anchor),
            )
        )
    rows: list[FieldRow] = []
    sections: list[str] = []
    section = ""
    values_of_rows: list[dict[int, int]] = []
    unknown: set[int] = set()  # columns with a cell that is not a number: no total check
    for row in range(grid.first_row, end):
        name_raw = sheet.value(row, grid.name_column)
        heading = _section_name(sheet.rows[row][: grid.name_column], name_raw)
        if heading is not None:
            section = heading  # its figures, if any, are the section's subtotal: not a field
            continue
        cells = {n: sheet.value(row, c) for n, c in grid.columns.items()}
        if all(is_blank(v) for v in cells.values()):
            continue  # a blank row, a field listed without figures, a heading: nothing to lose
        if is_blank(name_raw):
            findings.append(
                Finding(
                    Severity.ERROR,
                    "import.row_unnamed",
                    "Dòng có số liệu nhưng không có tên lĩnh vực ở cột (2); hãy ghi tên lĩnh "
                    "vực hoặc xóa dòng.",
                    Location(sheet=sheet.name, cell=_coordinate(row, grid.name_column)),
                )
            )
            continue
        name = _field_name(name_raw)
        values: dict[int, int] = {}
        bad: set[int] = set()
        for number in layout.inputs:
            where = Location(
                field=name,
                column=layout.column(number),
                sheet=sheet.name,
                cell=_coordinate(row, grid.columns[number]),
            )
            parsed = parse_count(cells[number], where)
            findings.extend(parsed.findings)
            if parsed.value is None:
                bad.add(number)
            values[number] = parsed.value or 0
        unknown |= bad
        for number, parts in layout.derived.items():
            if number not in grid.columns or is_blank(cells[number]):
                continue
            where = Location(
                field=name,
                column=layout.column(number),
                sheet=sheet.name,
                cell=_coordinate(row, grid.columns[number]),
            )
            stated, notes = _stated(cells[number], where, layout.label(number))
            findings.extend(notes)
            if stated is None or bad & set(parts):
                continue
            expected = sum(values[p] for p in parts)
            if stated != expected:
                findings.append(
                    Finding(
                        Severity.WARNING,
                        "import.stated_mismatch",
                        f"Cột {layout.label(number)} ghi {format_integer(stated)} nhưng "
                        + "+".join(f"({p})" for p in parts)
                        + f" = {format_integer(expected)}; chương trình dùng các cột thành phần.",
                        where,
                    )
                )
        counts = Counts(**{key: values[n] for n, key in layout.inputs.items()})
        rows.append(FieldRow(name, counts))
        sections.append(section)
        values_of_rows.append(values)
    if total_row is not None:
        findings.extend(_total_findings(grid, total_row, values_of_rows, unknown))
    if not rows and not has_errors(findings):
        findings.append(
            Finding(
                Severity.ERROR,
                "import.no_rows",
                "Bảng phụ lục không có dòng lĩnh vực nào có số liệu.",
                Location(sheet=sheet.name, cell=grid.anchor),
            )
        )
    return rows, findings, sections


def _total_findings(
    grid: _Grid, row: int, values_of_rows: list[dict[int, int]], unknown: set[int]
) -> list[Finding]:
    sheet, layout = grid.sheet, grid.layout
    findings: list[Finding] = []
    for number in sorted(grid.columns):
        raw = sheet.value(row, grid.columns[number])
        if is_blank(raw):
            continue
        where = Location(
            field=TOTAL_LABEL,
            column=layout.column(number),
            sheet=sheet.name,
            cell=_coordinate(row, grid.columns[number]),
        )
        stated, notes = _stated(raw, where, layout.label(number))
        findings.extend(notes)
        parts = layout.derived.get(number, (number,))
        if stated is None or unknown & set(parts):
            continue
        expected = sum(values[p] for values in values_of_rows for p in parts)
        if stated != expected:
            findings.append(
                Finding(
                    Severity.WARNING,
                    "import.total_mismatch",
                    f"Dòng «{TOTAL_LABEL}» cột {layout.label(number)} ghi "
                    f"{format_integer(stated)} nhưng tổng các lĩnh vực là "
                    f"{format_integer(expected)}.",
                    where,
                )
            )
    return findings


# --- entry points ------------------------------------------------------------------------


_CANNOT_OPEN = (
    "Không mở được tệp như một sổ tính (.xlsx, .xls, .ods); tệp hỏng, có mật khẩu hoặc không "
    "phải sổ tính."
)


def _failure(code: str, message: str, where: Location) -> ImportResult:
    return ImportResult((), "", "", (Finding(Severity.ERROR, code, message, where),))


def import_grid(path: Path) -> ImportResult:
    """The appendix grid of any workbook laid out like the 16- or 13-column form."""
    path = Path(path)
    where = Location(key=path.name)
    if not path.exists():
        return _failure("import.unreadable", "Không tìm thấy tệp.", where)
    if path.is_dir():
        return _failure("import.unreadable", "Đây là một thư mục, không phải tệp.", where)
    try:
        checked = check_workbook(path, FORM_EXPORT, _CANNOT_OPEN)
    except Refused as refused:
        return _failure("import.unreadable", str(refused), where)
    try:
        sheets = _read_sheets(path)
    except BaseException as problem:  # any engine error on a foreign file is a finding
        if not isinstance(problem, Exception) and not is_calamine_panic(problem):
            raise
        return _failure("import.unreadable", _CANNOT_OPEN, where)
    number_rows = [
        (sheet, row, labels)
        for sheet in sheets
        for row in range(sheet.height)
        if (labels := _number_row(sheet, row)) is not None
    ]
    chosen: _Grid | None = None
    first_error: Finding | None = None
    for sheet, row, labels in number_rows:
        located = _grid_from_numbers(sheet, row, labels)
        if isinstance(located, _Grid):
            chosen = located
            break
        first_error = first_error or located
    if chosen is None:
        chosen = next((g for s in sheets if (g := _grid_from_headers(s)) is not None), None)
    if chosen is None:
        if first_error is not None:
            return ImportResult((), "", "", (first_error,))
        return _failure(
            "import.no_grid",
            "Không tìm thấy bảng phụ lục trong sổ tính: cần hàng số thứ tự cột «(1)», «(2)», "
            "«(3)=(4)+(5)+(6)»… hoặc hàng tiêu đề có «Lĩnh vực», «Tổng số», «Trực tuyến», "
            "«Trước hạn», «Đúng hạn», «Quá hạn».",
            where,
        )
    rows, findings, sections = _read_rows(chosen)
    title = tuple(
        " ".join(texts)
        for values in chosen.sheet.rows[: chosen.first_row]
        if (texts := row_texts(values))
    )
    findings[:0] = file_notices(path.name, checked)
    if chosen.layout.name == "13":
        findings.insert(
            0,
            Finding(
                Severity.WARNING,
                "import.layout13",
                _MISSING_IN_13,
                Location(sheet=chosen.sheet.name, cell=chosen.anchor),
            ),
        )
    for sheet, row, labels in number_rows:
        if sheet is chosen.sheet and row == chosen.first_row - 1:
            continue
        findings.append(
            Finding(
                Severity.WARNING,
                "import.other_grid",
                f"Còn một bảng khác có hàng số thứ tự cột; chỉ nhập bảng ở trang "
                f"«{chosen.sheet.name}», ô {chosen.anchor}.",
                Location(sheet=sheet.name, cell=_coordinate(row, labels[0].column)),
            )
        )
    return ImportResult(
        tuple(rows),
        chosen.layout.name,
        chosen.sheet.name,
        tuple(findings),
        tuple(sections),
        title,
    )


def _merged(
    rows: tuple[FieldRow, ...], sections: tuple[str, ...], rename: Callable[[str], str]
) -> tuple[list[FieldRow], list[Finding]]:
    """One row per field of the catalogue: rows naming the same field are summed.

    Biểu 06 lists a field once per source system («Trên Hệ thống các Bộ, ngành»,
    «Trên Hệ thống thông tin giải quyết TTHC tỉnh»); the form has one row per field.
    """
    grouped: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        grouped.setdefault(rename(row.field), []).append(index)
    merged: list[FieldRow] = []
    findings: list[Finding] = []
    for name, indexes in grouped.items():
        counts = [rows[i].counts for i in indexes]
        total = counts[0]
        for more in counts[1:]:
            total = Counts(**{k: getattr(total, k) + getattr(more, k) for k in _COUNT_KEYS})
        merged.append(FieldRow(name, total))
        if len(indexes) > 1:
            named = [sections[i] for i in indexes if i < len(sections) and sections[i]]
            where = (
                "ở "
                + format_integer(len(indexes))
                + " phần của bảng ("
                + ", ".join(f"«{n}»" for n in dict.fromkeys(named))
                + ")"
                if len(set(named)) == len(indexes)
                else f"ở {format_integer(len(indexes))} dòng của bảng"
            )
            written = ", ".join(dict.fromkeys(f"«{rows[i].field}»" for i in indexes))
            findings.append(
                Finding(
                    Severity.WARNING,
                    "import.merged_rows",
                    f"Lĩnh vực «{name}» có {where}, ghi là {written}: đã cộng các dòng này "
                    "thành một dòng của phụ lục.",
                    Location(field=name),
                )
            )
    return merged, findings


def import_report(
    path: Path,
    kind: UnitKind | str | None,
    name: str | None,
    period: Period | None,
    fields: Mapping[str, str] | None = None,
) -> tuple[ReportInput | None, tuple[Finding, ...]]:
    """A new report of the unit and period holding the imported grid; None on any error.

    The unit's kind, name and the period come from the arguments, or, where an
    argument is None, from the title above the grid. Field names go through
    `field_names.resolve_fields` (the clerk's `fields` mapping, the catalogue,
    the national vocabulary, «Chưa xếp phòng»), and rows naming the same field
    (one per source section of a Biểu 06) are summed.
    """
    result = import_grid(path)
    if not result.rows or has_errors(result.findings):
        return None, result.findings
    facts = title_facts(result.title)
    findings = list(result.findings)
    where = Location(sheet=result.sheet)
    unit_kind = UnitKind(kind) if kind else (facts.kind or UnitKind.XA)
    unit_name = nfc(name).strip() if name else facts.name
    if unit_name is None:
        findings.append(
            Finding(
                Severity.ERROR,
                "import.no_unit",
                "Tiêu đề của bảng không ghi tên đơn vị (ví dụ «UBND xã Bình Giang»); hãy ghi "
                "tên bằng --name.",
                where,
            )
        )
    chosen_period = period or facts.period
    if chosen_period is None:
        findings.append(
            Finding(
                Severity.ERROR,
                "import.no_period",
                "Tiêu đề của bảng không ghi kỳ báo cáo (ví dụ «Tháng 3 năm 2026» hoặc «Từ ngày "
                "01/03/2026 đến ngày 31/03/2026»); hãy ghi kỳ bằng --period.",
                where,
            )
        )
    if unit_name is None or chosen_period is None:
        return None, tuple(findings)
    report = blank_report(unit_kind, unit_name, chosen_period)
    counts: dict[str, int] = {}
    for row in result.rows:
        counts[row.field] = counts.get(row.field, 0) + 1
    names = resolve_fields(counts, report.catalogue, fields, counted_as="dòng")
    rows, merged = _merged(result.rows, result.sections, names.name)
    findings += [*names.findings, *merged]
    if has_errors(findings):
        return None, tuple(findings)
    return replace(report, rows=tuple(rows), catalogue=names.catalogue), tuple(findings)
