"""Traceability sheets: which dossiers make each figure of a grid filled from a dossier list.

A reviewer who doubts "Đất đai, (15) = 1" must find the dossier behind it in
one click: each row names a grid cell (with a link to it) and the codes of the
dossiers counted there; dossiers left out of the period are listed too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime

from openpyxl.styles import Alignment, Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.catalogue import field_key
from tthc.core.dossier_model import Dossier
from tthc.core.grid import column_by_number
from tthc.core.model import Period
from tthc.core.vn_format import format_date_short, format_integer
from tthc.workbook.layout import SHEETS
from tthc.workbook.style import FONT_NAME, area_ref, merge, print_setup, set_text, style_header

__all__ = ["OUTSIDE_SHEET", "TRACE_SHEET", "add_trace_sheets"]

TRACE_SHEET = "Nguồn hồ sơ"
OUTSIDE_SHEET = "Hồ sơ ngoài kỳ"
# The listed dossiers stay well within what a report workbook may hold (10.000 rows a sheet).
MAX_LISTED_OUTSIDE = 9_000


def _grid_cells(workbook: Workbook) -> dict[tuple[str, int], str]:
    """(field key, column number) -> cell address on Phụ lục, through TTHC_GRID."""
    ((title, ref),) = list(workbook.defined_names["TTHC_GRID"].destinations)
    cells = workbook[title][ref.replace("$", "")]
    found: dict[tuple[str, int], str] = {}
    for row in cells:
        name = row[0].value
        if not isinstance(name, str) or not name.strip():
            continue
        for offset, cell in enumerate(row[1:15]):
            found[(field_key(name), 3 + offset)] = cell.coordinate
    return found


def add_trace_sheets(
    workbook: Workbook,
    trace: Mapping[tuple[str, int], Sequence[str]],
    outside: Sequence[Dossier],
    reasons: Sequence[str] = (),
    period: Period | None = None,
) -> None:
    """Append the Nguồn hồ sơ and Hồ sơ ngoài kỳ sheets to a filled workbook.

    `reasons` says why each dossier of `outside` is left out (same order), so
    that every dossier of the list is accounted for on one of the two sheets.
    """
    grid_title = SHEETS["grid"]
    cells = _grid_cells(workbook)
    sheet = workbook.create_sheet(TRACE_SHEET)
    headers = ("Lĩnh vực", "Cột", "Ô trên Phụ lục", "Số hồ sơ", "Mã hồ sơ")
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
    row = 2
    order = {key: index for index, key in enumerate(cells)}

    def position(item: tuple[tuple[str, int], Sequence[str]]) -> tuple[int, int]:
        (field, number), _codes = item
        return order.get((field_key(field), number), len(order)), number

    for (field, number), codes in sorted(trace.items(), key=position):
        if not codes:
            continue
        grid_column = column_by_number(number)
        set_text(sheet.cell(row, 1), field)
        sheet.cell(row, 2, f"({number}) {grid_column.label}")
        address = cells.get((field_key(field), number))
        if address is not None:
            link = sheet.cell(row, 3, f"{grid_title}!{address}")
            # An internal link (location), not a URL: Excel jumps to the grid cell.
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"'{grid_title}'!{address}")
            link.font = Font(name=FONT_NAME, color="0563C1", underline="single")
        sheet.cell(row, 4, len(codes))
        set_text(sheet.cell(row, 5), ", ".join(codes))
        sheet.cell(row, 5).alignment = Alignment(wrap_text=True, vertical="top")
        row += 1
    for letter, width in zip("ABCDE", (24, 30, 16, 10, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:E{max(row - 1, 1)}"

    _outside_sheet(workbook.create_sheet(OUTSIDE_SHEET), outside, reasons, period)


def _touches(dossier: Dossier, period: Period | None) -> bool:
    """A dossier whose dates meet the period, or that has none: worth its own line."""
    days = [d for d in (dossier.received, dossier.due, dossier.finished) if d is not None]
    if period is None or not days:
        return True
    return any(period.start <= _day(d) <= period.end for d in days)


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


_WRAPPED = Alignment(vertical="top", wrap_text=True)


def _outside_sheet(
    sheet: Worksheet, outside: Sequence[Dossier], reasons: Sequence[str], period: Period | None
) -> None:
    """How many dossiers were left out for each reason, then those whose dates meet the period.

    Why not every one: a year's export for a March report leaves out some 17.000
    dossiers of other months; listed one by one they bury the few a clerk may
    ask about (received in March and cancelled, finished in February but due in
    March…) and make the workbook too long to open comfortably. The counts
    account for all of them; the list names the ones that touch the period.
    """
    # The reason spans A:C so a long one prints whole; the count stands in D.
    style_header(sheet.cell(1, 1, "Lý do không tính"))
    merge(sheet, "A1:C1")
    style_header(sheet.cell(1, 4, "Số hồ sơ"))
    by_reason = Counter(reasons[: len(outside)])
    row = 2
    for reason, count in by_reason.items():
        set_text(sheet.cell(row, 1), reason)
        merge(sheet, area_ref(row, 1, row, 3))
        sheet.cell(row, 4, count)
        row += 1
    listed = [
        (dossier, reasons[index] if index < len(reasons) else "")
        for index, dossier in enumerate(outside)
        if _touches(dossier, period)
    ][:MAX_LISTED_OUTSIDE]
    row += 1
    note = (
        f"Dưới đây là {format_integer(len(listed))} hồ sơ có ngày tiếp nhận, hẹn trả hoặc kết "
        "thúc trong kỳ (hoặc không có ngày nào); "
        f"{format_integer(len(outside) - len(listed))} hồ sơ khác chỉ được đếm ở bảng trên, "
        "xem danh sách gốc."
    )
    set_text(sheet.cell(row, 1), note)
    sheet.cell(row, 1).alignment = _WRAPPED
    merge(sheet, area_ref(row, 1, row, 6))
    sheet.row_dimensions[row].height = 30  # two lines across the page
    row += 1
    headers = (
        "Mã hồ sơ",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Ngày kết thúc",
        "Dòng trong danh sách",
        "Lý do không tính",
    )
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(row, column, text))
    header_row = row
    sheet.row_dimensions[header_row].height = 30  # «Dòng trong danh sách» on two lines
    for dossier, reason in listed:
        row += 1
        set_text(sheet.cell(row, 1), dossier.code)
        set_text(sheet.cell(row, 2), dossier.field)
        sheet.cell(row, 3, format_date_short(dossier.received) if dossier.received else "")
        sheet.cell(row, 4, format_date_short(dossier.finished) if dossier.finished else "")
        sheet.cell(row, 5, dossier.row)
        set_text(sheet.cell(row, 6), reason)
    # 142 characters, an A4 landscape page at 11 pt; F holds the longest reason whole.
    for letter, width in zip("ABCDEF", (28, 22, 13, 13, 12, 54), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.auto_filter.ref = f"A{header_row}:F{max(row, header_row)}"
    print_setup(sheet, "landscape", title_rows=f"{header_row}:{header_row}")  # one page wide
