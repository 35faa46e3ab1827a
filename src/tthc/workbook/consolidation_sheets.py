"""The consolidation workbook: Các đơn vị (sortable), Phụ lục tổng hợp, Tệp bị bỏ qua.

Written in openpyxl's write-only mode: a province's 3.321 units make some 80.000
cells on Các đơn vị, which a normal workbook keeps as objects until it is saved
(about 20 MiB more at that size); write-only streams each row out as it is
added, so memory stays flat in the number of units. Rows are therefore added in
order: `_Rows` gathers a row's cells by column and hands the finished rows over.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tthc.core.consolidation import KEY_INDICATORS, Consolidation, KeyIndicator
from tthc.core.grid import COUNT_COLUMNS, TOTAL_LABEL
from tthc.core.labels import TITLES
from tthc.core.model import EXTRA_INPUTS, Period
from tthc.core.vn_format import RateRounding, format_period_label, rate_hundredths
from tthc.workbook.style import (
    FONT_NAME,
    CellValue,
    print_setup,
    set_text,
    style_computed,
    style_header,
    style_label,
    style_title,
)

__all__ = [
    "GRID_SHEET",
    "SET_ASIDE_SHEET",
    "UNITS_SHEET",
    "WORKBOOK_TITLE",
    "consolidation_workbook",
]


def _period(period: Period) -> str:
    return format_period_label(period.start, period.end)


UNITS_SHEET = "Các đơn vị"
GRID_SHEET = "Phụ lục tổng hợp"
SET_ASIDE_SHEET = "Tệp bị bỏ qua"
WORKBOOK_TITLE = "Tổng hợp báo cáo kết quả giải quyết thủ tục hành chính"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"


def _shown_rate(indicator: KeyIndicator, rounding: RateRounding) -> float | str:
    """The rate as the unit's report shows it (cut to hundredths of a percent), or the words."""
    if indicator.rate is None:
        return indicator.text
    return rate_hundredths(indicator.rate, rounding) / 10000


def _verdict(indicator: KeyIndicator) -> str:
    if indicator.verdict is None:
        return ""
    return "Đạt" if indicator.verdict else "Không đạt"


_BODY_FONT = Font(name=FONT_NAME, size=11)
_BODY_ALIGNMENT = Alignment(vertical="center")


class _Rows:
    """A write-only sheet's cells by (row, column), handed over row by row in order."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        self.sheet = sheet
        self.cells: dict[int, dict[int, Cell]] = {}
        self.written = 0  # rows already handed to the sheet

    def cell(self, row: int, column: int, value: CellValue = None) -> Cell:
        if row <= self.written:
            raise ValueError(f"row {row} was already written")  # pragma: no cover
        cells = self.cells.setdefault(row, {})
        cell = cells.get(column)
        if cell is None:
            cell = cells[column] = WriteOnlyCell(self.sheet)
        if value is not None:
            cell.value = value
        return cell

    def flush(self, through: int | None = None) -> None:
        """Hand over every row up to `through` (all rows when None), blank rows included."""
        last = max(self.cells, default=self.written) if through is None else through
        for row in range(self.written + 1, last + 1):
            cells = self.cells.pop(row, {})
            width = max(cells, default=0)
            self.sheet.append([cells.get(column) for column in range(1, width + 1)])
        self.written = max(self.written, last)


def _write_row(
    rows: _Rows, row: int, values: Sequence[CellValue], formats: Mapping[int, str]
) -> None:
    """One table row: text stays text, numbers get their format; styles shared, not rebuilt."""
    for column, value in enumerate(values, 1):
        cell = rows.cell(row, column)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
            if column in formats:
                cell.number_format = formats[column]
        cell.font = _BODY_FONT
        cell.alignment = _BODY_ALIGNMENT


def _units_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(UNITS_SHEET)
    rows = _Rows(sheet)
    headers = ["STT", "Tên đơn vị", "Kỳ báo cáo"]
    formats: dict[int, str] = {}
    for code in KEY_INDICATORS:
        headers += [f"{code}. {TITLES[code]}", f"{code}. Kết quả"]
        formats[len(headers) - 1] = RATE_FORMAT
    headers += [
        "Số hồ sơ giải quyết quá hạn (10)",
        "Số hồ sơ đang giải quyết quá hạn (15)",
        "Số lỗi",
        "Số cảnh báo",
        "Tệp",
    ]
    for column in range(len(headers) - 4, len(headers)):
        formats[column] = COUNT_FORMAT
    # Before the first row: a write-only sheet writes its properties, panes and columns first.
    print_setup(sheet, "landscape", title_rows="1:1")
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 75
    widths = [6, 28, 20, *([16, 11] * len(KEY_INDICATORS)), 14, 14, 8, 10, 50]
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for column, text in enumerate(headers, 1):
        style_header(rows.cell(1, column, text))
    rows.flush()
    for index, unit in enumerate(c.units, 1):
        values: list[CellValue] = [index, unit.unit, _period(unit.period)]
        for code in KEY_INDICATORS:
            indicator = unit.indicators[code]
            values += [_shown_rate(indicator, unit.rate_rounding), _verdict(indicator)]
        values += [unit.late, unit.pending_overdue, unit.errors, unit.warnings, _shown(unit.path)]
        _write_row(rows, index + 1, values, formats)
        rows.flush()  # streamed: nothing of a unit stays in memory
    last = max(1, len(c.units)) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"


def _grid_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(GRID_SHEET)
    rows = _Rows(sheet)
    print_setup(sheet, "landscape", title_rows="4:6")  # before the first row, as above
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 26
    for number in range(3, 17):
        sheet.column_dimensions[get_column_letter(number)].width = 11
    sheet.row_dimensions[5].height = 45
    sheet.row_dimensions[6].height = 30
    sheet.freeze_panes = "C7"
    last_letter = get_column_letter(16)
    title = "PHỤ LỤC TỔNG HỢP KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    if c.period is not None:
        title += f" {_period(c.period).upper()}"
    style_title(rows.cell(1, 1, title))
    sheet.merged_cells.add(f"A1:{last_letter}1")
    set_text(rows.cell(2, 1), f"Tổng hợp từ {len(c.units)} đơn vị (số liệu không có lỗi).")
    style_title(rows.cell(2, 1), size=11, italic=True)
    sheet.merged_cells.add(f"A2:{last_letter}2")
    # Rows 4-6: groups, column names, the form's numbering (1)…(16).
    for ref, text in (("A4:A5", "STT"), ("B4:B5", "Lĩnh vực giải quyết")):
        rows.cell(4, 1 if ref.startswith("A") else 2, text)
        sheet.merged_cells.add(ref)
    groups: dict[str, list[int]] = {}
    for column in COUNT_COLUMNS:
        groups.setdefault(column.group, []).append(column.number)
        rows.cell(5, column.number, column.label)
    for group, numbers in groups.items():
        rows.cell(4, numbers[0], group)
        first, last = get_column_letter(numbers[0]), get_column_letter(numbers[-1])
        sheet.merged_cells.add(f"{first}4:{last}4")
    rows.cell(6, 1, "(1)")
    rows.cell(6, 2, "(2)")
    for column in COUNT_COLUMNS:
        set_text(rows.cell(6, column.number), column.number_label)
    for row in (4, 5, 6):
        for number in range(1, 17):
            style_header(rows.cell(row, number))
    for number in range(1, 17):
        rows.cell(6, number).alignment = Alignment(
            horizontal="center", vertical="center", wrap_text=True
        )
    row = 7
    for index, item in enumerate(c.rows, 1):
        rows.cell(row, 1, index)
        set_text(rows.cell(row, 2), item.field)
        for column in COUNT_COLUMNS:
            rows.cell(row, column.number, item.counts.value(column.number))
        for col in range(1, 17):
            style_computed(rows.cell(row, col), number_format=COUNT_FORMAT)
        row += 1
    total = c.total
    rows.cell(row, 2, TOTAL_LABEL)
    for column in COUNT_COLUMNS:
        rows.cell(row, column.number, total.value(column.number))
    for col in range(1, 17):
        style_computed(rows.cell(row, col), number_format=COUNT_FORMAT, bold=True)
    row += 2
    rows.cell(row, 1, "SỐ LIỆU CÁC CHỈ TIÊU 1.2–1.6 (tổng các đơn vị)")
    style_label(rows.cell(row, 1), bold=True, wrap=False)
    for key, label in EXTRA_INPUTS:
        row += 1
        set_text(rows.cell(row, 2), label)
        style_label(rows.cell(row, 2), wrap=False)
        value = c.extras.get(key)
        cell = rows.cell(row, 6)
        if value is None:
            set_text(cell, "chưa đủ số liệu (có đơn vị chưa nhập)")
        else:
            cell.value = value
            cell.number_format = COUNT_FORMAT
        style_label(cell, wrap=False)
        cell.font = Font(name=FONT_NAME, size=11, bold=value is not None)
    rows.flush()


def _set_aside_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(SET_ASIDE_SHEET)
    rows = _Rows(sheet)
    print_setup(sheet, "landscape", title_rows="1:1")  # before the first row, as above
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (6, 50, 10, 70, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    headers = ("STT", "Tệp", "Xử lý", "Lý do", "Chi tiết")
    for column, text in enumerate(headers, 1):
        style_header(rows.cell(1, column, text))
    items = [
        *(("Bỏ qua", item) for item in c.skipped),
        *(("Từ chối", item) for item in c.refused),
        *(("Không đọc", item) for item in c.not_read),
        *(("Tệp ẩn", item) for item in c.hidden),
    ]
    for index, (what, item) in enumerate(items, 1):
        details = "\n".join(item.details)
        if len(details) > 32_000:  # an Excel cell holds 32.767 characters
            details = details[:32_000] + "\n…"
        _write_row(rows, index + 1, (index, _shown(item.path), what, item.reason, details), {})
        for column in (4, 5):
            rows.cell(index + 1, column).alignment = Alignment(vertical="top", wrap_text=True)
        rows.flush()
    rows.flush()
    sheet.auto_filter.ref = f"A1:E{max(1, len(items)) + 1}"


def _shown(path: Path) -> str:
    """A path as a cell can hold it: a name's undecodable bytes and control characters shown."""
    text = str(path).encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    return "".join(c if c >= " " or c == "\t" else "\ufffd" for c in text)


def consolidation_workbook(c: Consolidation) -> Workbook:
    """Các đơn vị (sortable), Phụ lục tổng hợp (the summed grid), Tệp bị bỏ qua."""
    workbook = Workbook(write_only=True)
    _units_sheet(workbook, c)
    _grid_sheet(workbook, c)
    _set_aside_sheet(workbook, c)
    workbook.properties.title = WORKBOOK_TITLE
    workbook.properties.creator = "tthc"
    return workbook
