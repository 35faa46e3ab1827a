"""The Báo cáo sheet: rows ready for the text the button writes."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from tthc.workbook.layout import SHEETS
from tthc.workbook.style import (
    FONT_NAME,
    print_setup,
    style_paragraph,
)
from tthc.workbook.template_parts import (
    define,
)

NARRATIVE_PLACEHOLDER = (
    "Trang này được điền khi bấm nút «Tạo báo cáo» trên thanh công cụ TTHC hoặc khi chạy lệnh "
    "«tthc report»."
)

__all__ = [
    "NARRATIVE_PLACEHOLDER",
    "NARRATIVE_ROWS",
    "narrative_sheet",
]


NARRATIVE_ROWS = 250  # rows pre-formatted for the text the button writes


def narrative_sheet(workbook: Workbook) -> Worksheet:
    """The report text, one paragraph a row; not protected: it belongs to the tool's output."""
    sheet = workbook.create_sheet(SHEETS["narrative"])
    sheet.column_dimensions["A"].width = 88
    for row in range(1, NARRATIVE_ROWS + 1):
        style_paragraph(sheet.cell(row, 1))
    sheet["A1"] = NARRATIVE_PLACEHOLDER
    sheet["A1"].font = Font(name=FONT_NAME, size=12, italic=True)
    define(workbook, "TTHC_NARRATIVE", sheet, "A1")
    print_setup(sheet, "portrait")
    return sheet


# --- the whole workbook ----------------------------------------------------------------
