"""The consolidation workbook: Các đơn vị (sortable), Phụ lục tổng hợp, Tệp bị bỏ qua."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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


def _write_row(
    sheet: Worksheet, row: int, values: Sequence[CellValue], formats: Mapping[int, str]
) -> None:
    """One table row: text stays text, numbers get their format; styles shared, not rebuilt."""
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column)
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
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
    for index, unit in enumerate(c.units, 1):
        values: list[CellValue] = [index, unit.unit, _period(unit.period)]
        for code in KEY_INDICATORS:
            indicator = unit.indicators[code]
            values += [_shown_rate(indicator, unit.rate_rounding), _verdict(indicator)]
        values += [unit.late, unit.pending_overdue, unit.errors, unit.warnings, _shown(unit.path)]
        _write_row(sheet, index + 1, values, formats)
    last = max(1, len(c.units)) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 75
    widths = [6, 28, 20, *([16, 11] * len(KEY_INDICATORS)), 14, 14, 8, 10, 50]
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    print_setup(sheet, "landscape", title_rows="1:1")


def _grid_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(GRID_SHEET)
    last_letter = get_column_letter(16)
    title = "PHỤ LỤC TỔNG HỢP KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    if c.period is not None:
        title += f" {_period(c.period).upper()}"
    sheet["A1"] = title
    style_title(sheet["A1"])
    sheet.merge_cells(f"A1:{last_letter}1")
    set_text(sheet["A2"], f"Tổng hợp từ {len(c.units)} đơn vị (số liệu không có lỗi).")
    style_title(sheet["A2"], size=11, italic=True)
    sheet.merge_cells(f"A2:{last_letter}2")
    # Rows 4-6: groups, column names, the form's numbering (1)…(16).
    for ref, text in (("A4:A5", "STT"), ("B4:B5", "Lĩnh vực giải quyết")):
        sheet[ref.split(":")[0]] = text
        sheet.merge_cells(ref)
    groups: dict[str, list[int]] = {}
    for column in COUNT_COLUMNS:
        groups.setdefault(column.group, []).append(column.number)
        sheet.cell(5, column.number, column.label)
    for group, numbers in groups.items():
        sheet.cell(4, numbers[0], group)
        sheet.merge_cells(start_row=4, start_column=numbers[0], end_row=4, end_column=numbers[-1])
    sheet.cell(6, 1, "(1)")
    sheet.cell(6, 2, "(2)")
    for column in COUNT_COLUMNS:
        set_text(sheet.cell(6, column.number), column.number_label)
    for row in (4, 5, 6):
        for number in range(1, 17):
            style_header(sheet.cell(row, number))
    row = 7
    for index, item in enumerate(c.rows, 1):
        sheet.cell(row, 1, index)
        set_text(sheet.cell(row, 2), item.field)
        for column in COUNT_COLUMNS:
            sheet.cell(row, column.number, item.counts.value(column.number))
        for col in range(1, 17):
            style_computed(sheet.cell(row, col), number_format=COUNT_FORMAT)
        row += 1
    total = c.total
    sheet.cell(row, 2, TOTAL_LABEL)
    for column in COUNT_COLUMNS:
        sheet.cell(row, column.number, total.value(column.number))
    for col in range(1, 17):
        style_computed(sheet.cell(row, col), number_format=COUNT_FORMAT, bold=True)
    row += 2
    sheet.cell(row, 1, "SỐ LIỆU CÁC CHỈ TIÊU 1.2–1.6 (tổng các đơn vị)")
    style_label(sheet.cell(row, 1), bold=True, wrap=False)
    for key, label in EXTRA_INPUTS:
        row += 1
        set_text(sheet.cell(row, 2), label)
        style_label(sheet.cell(row, 2), wrap=False)
        value = c.extras.get(key)
        cell = sheet.cell(row, 6)
        if value is None:
            set_text(cell, "chưa đủ số liệu (có đơn vị chưa nhập)")
        else:
            cell.value = value
            cell.number_format = COUNT_FORMAT
        style_label(cell, wrap=False)
        cell.font = Font(name=FONT_NAME, size=11, bold=value is not None)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 26
    for number in range(3, 17):
        sheet.column_dimensions[get_column_letter(number)].width = 11
    sheet.row_dimensions[5].height = 45
    sheet.row_dimensions[6].height = 30
    for cell in sheet[6]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "C7"
    print_setup(sheet, "landscape", title_rows="4:6")


def _set_aside_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(SET_ASIDE_SHEET)
    headers = ("STT", "Tệp", "Xử lý", "Lý do", "Chi tiết")
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
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
        _write_row(sheet, index + 1, (index, _shown(item.path), what, item.reason, details), {})
        for column in (4, 5):
            sheet.cell(index + 1, column).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.auto_filter.ref = f"A1:E{max(1, len(items)) + 1}"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (6, 50, 10, 70, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet, "landscape", title_rows="1:1")


def _shown(path: Path) -> str:
    """A path as a cell can hold it: a name's undecodable bytes and control characters shown."""
    text = str(path).encode("utf-8", "replace").decode("utf-8")  # lone surrogates become "?"
    return "".join(c if c >= " " or c == "\t" else "\ufffd" for c in text)


def consolidation_workbook(c: Consolidation) -> Workbook:
    """Các đơn vị (sortable), Phụ lục tổng hợp (the summed grid), Tệp bị bỏ qua."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    _units_sheet(workbook, c)
    _grid_sheet(workbook, c)
    _set_aside_sheet(workbook, c)
    workbook.properties.title = WORKBOOK_TITLE
    workbook.properties.creator = "tthc"
    workbook.active = 0
    return workbook
