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
from tthc.core.narrative import Narrative, Role
from tthc.core.summary import SummaryRow, summary_rows
from tthc.workbook.cached_values import with_cached_values
from tthc.workbook.layout import SHEETS
from tthc.workbook.style import FONT_NAME, set_text, style_header
from tthc.workbook.template import build_workbook

__all__ = [
    "build_output_workbook",
    "narrative_rows",
    "select_sheet",
    "workbook_bytes",
]


def narrative_rows(narrative: Narrative) -> list[tuple[str, str, str]]:
    """(style, left text, right text) rows of the Báo cáo sheet, in reading order.

    The header block keeps its two columns (issuing body left, national motto
    right) as in Nghị định 30/2020; every other row spans both columns.
    """
    h = narrative.header
    rows: list[tuple[str, str, str]] = [
        ("header", h.parent_body, h.nation),
        ("header_bold", h.issuing_body, h.motto),
        ("header_number", h.number_line, h.place_date),
        ("blank", "", ""),
        ("title", narrative.title, ""),
        ("subject", narrative.subject, ""),
        ("blank", "", ""),
    ]
    for paragraph in narrative.body:
        if paragraph.role in (Role.HEADING, Role.SUBHEADING):
            rows.append(("heading", paragraph.text, ""))
        else:  # a cell has no first-line indent: no-break spaces stand for the 1 cm
            rows.append(("body", FIRST_LINE_INDENT + paragraph.text, ""))
    rows.append(("blank", "", ""))
    # Room to sign between the title and the name, as in the Word report.
    *titles, name = narrative.signature
    signature = [*titles, *[""] * SIGNING_LINES, name]
    recipients = [narrative.recipients_heading, *narrative.recipients]
    for index in range(max(len(recipients), len(signature))):
        left = recipients[index] if index < len(recipients) else ""
        right = signature[index] if index < len(signature) else ""
        rows.append(("recipients_heading" if index == 0 else "recipient", left, right))
    return rows


_FONTS = {
    "header": (Font(name=FONT_NAME, size=12), Font(name=FONT_NAME, size=12, bold=True)),
    "header_bold": (
        Font(name=FONT_NAME, size=12, bold=True),
        Font(name=FONT_NAME, size=13, bold=True),
    ),
    "header_number": (Font(name=FONT_NAME, size=13), Font(name=FONT_NAME, size=13, italic=True)),
    "title": (Font(name=FONT_NAME, size=14, bold=True), None),
    "subject": (Font(name=FONT_NAME, size=13, bold=True), None),
    "heading": (Font(name=FONT_NAME, size=13, bold=True), None),
    "body": (Font(name=FONT_NAME, size=13), None),
    "recipients_heading": (
        Font(name=FONT_NAME, size=12, bold=True, italic=True),
        Font(name=FONT_NAME, size=13, bold=True),
    ),
    "recipient": (Font(name=FONT_NAME, size=11), Font(name=FONT_NAME, size=13, bold=True)),
    "blank": (Font(name=FONT_NAME, size=11), None),
}
_CENTRED = {"header", "header_bold", "header_number", "title", "subject"}
# Of 13 pt Times New Roman across columns A:B (88 wide) as LibreOffice prints them: about
# 105 fit; fewer are counted so a long paragraph is never cut, and few lines are left blank.
CHARACTERS_PER_LINE = 98
FIRST_LINE_INDENT = "\u00a0" * 8
SIGNING_LINES = 4


def _write_narrative(sheet: Worksheet, narrative: Narrative) -> None:
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 48
    for index, (style, left, right) in enumerate(narrative_rows(narrative), 1):
        left_font, right_font = _FONTS[style]
        cell = sheet.cell(index, 1)
        set_text(cell, left)  # bullet lines start with "-": text, never a formula
        cell.font = left_font
        if right_font is None:
            sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=2)
            horizontal = "center" if style in _CENTRED else "justify"
            cell.alignment = Alignment(horizontal=horizontal, vertical="top", wrap_text=True)
            lines = max(1, -(-len(left) // CHARACTERS_PER_LINE))
        else:
            other = sheet.cell(index, 2)
            set_text(other, right)
            other.font = right_font
            left_align = "center" if style in _CENTRED else "left"
            cell.alignment = Alignment(horizontal=left_align, vertical="top", wrap_text=True)
            other.alignment = Alignment(horizontal="center", vertical="top", wrap_text=True)
            lines = 1
        sheet.row_dimensions[index].height = 18 * lines


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
        set_text(sheet.cell(row, 5), change_sentence(change, comparison.reference, report))
    for letter, width in zip("ABCDE", (44, 12, 16, 12, 90), strict=True):
        sheet.column_dimensions[letter].width = width


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
