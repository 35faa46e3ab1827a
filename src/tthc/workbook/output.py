"""The output workbook: the filled template with the summary and the narrative as values.

Values, not `=TTHC_…()` formulas, so the file reads right in any spreadsheet
program, on a PC without the add-in, and when printed. The narrative rows are
the same paragraphs as the text file and the Word document.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl.styles import Alignment, Font
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.compare import Comparison, change_sentence
from tthc.core.indicators import (
    IndicatorSet,
)
from tthc.core.model import ReportInput
from tthc.core.narrative import Narrative
from tthc.core.summary import SummaryRow, summary_rows
from tthc.workbook.cached_values import with_cached_values
from tthc.workbook.layout import SHEETS
from tthc.workbook.narrative_layout import COLUMN_WIDTHS, TextLook, narrative_layout
from tthc.workbook.style import FONT_NAME, area_ref, merge, print_setup, set_text, style_header
from tthc.workbook.template import build_workbook

__all__ = [
    "build_output_workbook",
    "select_sheet",
    "workbook_bytes",
]


def _font(look: TextLook) -> Font:
    return Font(name=FONT_NAME, size=look.size, bold=look.bold, italic=look.italic)


def _write_narrative(sheet: Worksheet, narrative: Narrative) -> None:
    """The Báo cáo sheet as `narrative_layout` describes it (the button writes the same)."""
    for letter, width in COLUMN_WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    fonts: dict[TextLook, Font] = {}
    for index, row in enumerate(narrative_layout(narrative), 1):
        cells = [(sheet.cell(index, 1), row.left, row.left_look)]
        if row.merged:
            merge(sheet, area_ref(index, 1, index, 2))
        else:
            cells.append((sheet.cell(index, 2), row.right or "", row.right_look or row.left_look))
        for cell, text, look in cells:
            set_text(cell, text)  # bullet lines start with "-": text, never a formula
            cell.font = fonts.setdefault(look, _font(look))
            cell.alignment = Alignment(horizontal=look.horizontal, vertical="top", wrap_text=True)
        sheet.row_dimensions[index].height = row.height


def _write_summary(sheet: Worksheet, rows: list[SummaryRow]) -> None:
    # Column J checks live figures against the add-in; here every figure is the core's value.
    sheet.cell(4, 10).value = None
    for offset, item in enumerate(rows):
        row = 5 + offset
        sheet.cell(row, 10).value = None
        values = (item.numerator, item.denominator, item.rate, item.target, item.verdict, item.text)
        for column, value in enumerate(values, 4):
            cell = sheet.cell(row, column)
            if isinstance(value, str):
                set_text(cell, value)  # a target "= 100%" is text, not the formula " 100%"
            else:
                cell.value = value


COMPARISON_WIDTHS = (40, 12, 16, 12, 58)


def _write_comparison(workbook: Workbook, report: ReportInput, comparison: Comparison) -> None:
    """A sheet of the changes the report's section 2.3 states, as numbers."""
    sheet = workbook.create_sheet("So sánh", index=workbook.sheetnames.index(SHEETS["narrative"]))
    headers = ("Chỉ tiêu", "Kỳ này", comparison.reference.capitalize(), "Thay đổi", "Trong báo cáo")
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
    for row, change in enumerate(comparison.changes, 2):
        now = float(change.current) if change.rate else int(change.current)
        then = float(change.previous) if change.rate else int(change.previous)
        values = (change.label, now, then, now - then)
        for column, value in enumerate(values, 1):
            cell = sheet.cell(row, column, value)
            if column > 1:
                cell.number_format = "0.00%" if change.rate else "#,##0;-#,##0"
        sentence = sheet.cell(row, 5)
        set_text(sentence, change_sentence(change, comparison.reference, report))
        sentence.alignment = Alignment(wrap_text=True, vertical="top")
    # About 140 characters fit across A4 landscape at 100%: the sentences wrap, nothing shrinks.
    for letter, width in zip("ABCDE", COMPARISON_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet, "landscape", title_rows="1:1")


def build_output_workbook(
    report: ReportInput,
    indicators: IndicatorSet,
    narrative: Narrative,
    comparison: Comparison | None = None,
) -> Workbook:
    """The filled workbook with Tổng hợp and Báo cáo holding values (and So sánh if compared)."""
    workbook = build_workbook(report)
    if comparison is not None:
        _write_comparison(workbook, report, comparison)
    _write_summary(workbook[SHEETS["summary"]], summary_rows(report, indicators))
    _write_narrative(workbook[SHEETS["narrative"]], narrative)
    select_sheet(workbook, SHEETS["narrative"])
    return workbook


def select_sheet(workbook: Workbook, title: str) -> None:
    """Open on one sheet; openpyxl leaves the first tab selected too, which groups them."""
    workbook.active = workbook.sheetnames.index(title)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == title


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file's bytes, for an atomic write, each formula's value stored beside it."""
    buffer = BytesIO()
    workbook.save(buffer)
    return with_cached_values(workbook, buffer.getvalue())
