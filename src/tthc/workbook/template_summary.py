"""The Tổng hợp sheet: every indicator as native formulas, the add-in's check, and a chart."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.catalogue import Catalogue
from tthc.core.labels import TITLES
from tthc.core.model import (
    INDICATOR_CODES,
    UnitKind,
)
from tthc.core.summary import summary_scopes
from tthc.workbook.layout import SHEETS
from tthc.workbook.style import (
    FONT_NAME,
    area_ref,
    merge,
    print_setup,
    set_text,
    style_computed,
    style_header,
)
from tthc.workbook.summary_formulas import GridArea, SummaryFormulas
from tthc.workbook.template_parts import (
    COUNT_FORMAT,
    RATE_FORMAT,
    define,
    heading,
    protect,
)

SUMMARY_HEADERS = (
    "Mã",
    "Chỉ tiêu",
    "Phạm vi",
    "Tử số",
    "Mẫu số",
    "Tỷ lệ",
    "Chỉ tiêu giao",
    "Kết quả",
    "Ghi trong báo cáo",
)

__all__ = [
    "SUMMARY_HEADERS",
    "summary_sheet",
]


NO_ADDIN = "cần add-in tthc"  # column J where the add-in is not installed


def summary_sheet(workbook: Workbook, catalogue: Catalogue, kind: UnitKind, area: GridArea) -> None:
    sheet = workbook.create_sheet(SHEETS["summary"])
    heading(
        sheet,
        "TỔNG HỢP CÁC CHỈ TIÊU",
        (
            "Các số tự tính bằng công thức thường: đọc được ở mọi máy, kể cả không có add-in, "
            "trong LibreOffice. Cột J kiểm tra lại bằng hàm TTHC_RATE của add-in; cột «Ghi "
            "trong báo cáo» do nút «Tạo báo cáo» hoặc lệnh tthc report ghi."
        ),
        "I",
    )
    for column, text in enumerate(SUMMARY_HEADERS, 1):
        style_header(sheet.cell(4, column, text))
    scopes = summary_scopes(catalogue, kind)
    native = SummaryFormulas(area)
    style_header(sheet.cell(4, 10, "Kiểm tra bằng add-in"))
    row = 5
    for index, code in enumerate(INDICATOR_CODES, 1):
        first_row = row
        for scope in scopes:
            sheet.cell(row, 1, code)
            if row == first_row:
                sheet.cell(row, 2, TITLES[code])
            set_text(sheet.cell(row, 3), scope)
            args = f"TTHC_GRID,TTHC_EXTRAS,$C{row}"
            numerator, denominator = native.parts(code, f"$C{row}", unit=scope == scopes[0])
            sheet.cell(row, 4, f"={numerator}")
            sheet.cell(row, 5, f"={denominator}")
            sheet.cell(row, 6, f"={native.rate(f'D{row}', f'E{row}')}")
            sheet.cell(
                row,
                7,
                f'=IF(INDEX(TTHC_TARGETS,{index},3)="","",INDEX(TTHC_TARGETS,{index},3)'
                f'&" "&INDEX(TTHC_TARGETS,{index},4)&"%")',
            )
            sheet.cell(row, 8, f"={native.verdict(f'D{row}', f'E{row}', f'F{row}', index)}")
            # Column J: the add-in's own figure beside the native one, an independent check.
            # Without the add-in (LibreOffice, another PC) it says so instead of #NAME?.
            check = f'TTHC_RATE("{code}",{args},TTHC_SETTINGS)'
            sheet.cell(
                row,
                10,
                f'=IFERROR(IF({check}=F{row},"✓","Khác: "&{check}),"{NO_ADDIN}")',
            )
            style_computed(sheet.cell(row, 10))
            for column in range(1, 9):
                style_computed(
                    sheet.cell(row, column),
                    number_format=RATE_FORMAT if column == 6 else COUNT_FORMAT,
                    bold=scope == scopes[0],
                )
            for column in (2, 3):
                sheet.cell(row, column).alignment = Alignment(vertical="center", wrap_text=True)
            # Column I: the figure as the report writes it, filled by the button or the CLI.
            style_computed(sheet.cell(row, 9), bold=scope == scopes[0])
            sheet.cell(row, 9).alignment = Alignment(vertical="center", wrap_text=True)
            sheet.cell(row, 9).protection = Protection(locked=False)
            row += 1
        # The indicator's name once, beside all its scopes: a long name wraps within the
        # merged cell instead of spilling over the rows below it.
        merge(sheet, area_ref(first_row, 2, row - 1, 2))
    define(workbook, "TTHC_SUMMARY", sheet, f"A5:I{row - 1}")
    # A:I, 144 characters, fill an A4 landscape page at 11 pt («chưa có số liệu» fits D:F,
    # «100% (01/01 phản ánh, kiến nghị)» fits I); the add-in check (J) and the chart's
    # data (L…) stay off the paper.
    widths = (6, 28, 20, 13, 13, 13, 10, 9, 32, 16)
    for letter, width in zip("ABCDEFGHIJ", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    last_printed = _chart_block(workbook, sheet, scopes, row + 1)
    sheet.freeze_panes = "A5"
    print_setup(sheet, "landscape", area=f"A1:I{last_printed}")
    protect(sheet)


CHART_CODES = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")  # the indicators with targets


PRINTED_TABLE_COLUMN = 3  # column C: the printed rates table, and the chart below it
CHART_DATA_COLUMN = 12  # column L: the chart's own copy of the table, in hidden columns
NOT_A_FIGURE = "–"  # the printed table's mark for a rate that is missing or did not arise


CHART_ROWS = 18  # rows the chart covers below its table (9 cm at the default height)


def _chart_block(workbook: Workbook, sheet: Worksheet, scopes: list[str], top: int) -> int:
    """Below the summary: a small table of rates by department, and its chart.

    Below rather than beside, so the printed summary keeps a readable size. The
    printed table marks a missing rate «–» (never 0%); the chart draws from a copy
    in hidden columns (`TTHC_CHART_DATA`) where it is #N/A, which a chart leaves
    out, so no bar stands at 0 for a figure nobody gave. (A chart plots text as 0.)
    Returns the last row the chart covers, for the print area.
    """
    sheet.row_breaks.append(Break(id=top - 1))  # table and chart print together on page 2
    printed = PRINTED_TABLE_COLUMN
    _rates_table(sheet, scopes, top, printed, NOT_A_FIGURE)
    data_left = CHART_DATA_COLUMN
    _rates_table(sheet, scopes, top, data_left, None)
    for column in range(data_left, data_left + len(scopes) + 2):
        sheet.column_dimensions[get_column_letter(column)].hidden = True
    bottom = top + len(CHART_CODES)
    define(
        workbook,
        "TTHC_CHART_DATA",
        sheet,
        f"{get_column_letter(data_left)}{top}:{get_column_letter(data_left + len(scopes) + 1)}"
        f"{bottom}",
    )
    note = sheet.cell(
        bottom + 1,
        printed,
        f"«{NOT_A_FIGURE}»: chưa có số liệu, không phát sinh hoặc không có chỉ tiêu giao; biểu "
        "đồ không vẽ cột cho ô đó.",
    )
    note.font = Font(name=FONT_NAME, size=11, italic=True)
    left = data_left
    bars = BarChart()
    bars.type = "col"
    bars.title = "Tỷ lệ đạt được so với chỉ tiêu giao"
    bars.y_axis.number_format = "0%"
    bars.y_axis.scaling.min = 0
    bars.y_axis.scaling.max = 1
    data = Reference(
        sheet, min_col=left + 1, max_col=left + len(scopes), min_row=top, max_row=bottom
    )
    categories = Reference(sheet, min_col=left, min_row=top + 1, max_row=bottom)
    bars.add_data(data, titles_from_data=True)
    bars.set_categories(categories)
    line = LineChart()
    target_ref = Reference(sheet, min_col=left + len(scopes) + 1, min_row=top, max_row=bottom)
    line.add_data(target_ref, titles_from_data=True)
    line.set_categories(categories)
    for series in line.series:  # a target is a level per indicator: a mark, not a curve
        series.smooth = False
        series.graphicalProperties.line.noFill = True
        series.marker.symbol = "dash"
        series.marker.size = 20
        series.marker.graphicalProperties = GraphicalProperties(solidFill="C00000")
        series.marker.graphicalProperties.line.solidFill = "C00000"
    bars += line
    _legible(bars)
    bars.height = 9
    bars.width = 18  # within C:I, the printed columns
    bars.visible_cells_only = False  # its data lie in hidden columns
    sheet.add_chart(bars, f"{get_column_letter(printed)}{bottom + 3}")
    return bottom + 3 + CHART_ROWS


def _legible(chart: BarChart) -> None:
    """Axis labels and legend at 11 pt: the program's default (about 7 pt printed) is too small."""
    for part in (chart.x_axis, chart.y_axis):
        part.txPr = _text_size(1100)
    chart.legend.txPr = _text_size(1100)


def _text_size(hundredths: int) -> RichText:
    properties = CharacterProperties(sz=hundredths)
    return RichText(
        p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)]
    )


def _rates_table(
    sheet: Worksheet, scopes: list[str], top: int, left: int, mark: str | None
) -> None:
    """The rates of 1.1–1.6 by scope, and the target, from column `left`.

    A rate that is not a number (missing, did not arise, no target) shows `mark`,
    or #N/A when `mark` is None (the chart's copy).
    """
    style_header(sheet.cell(top, left, "Chỉ tiêu"))
    for offset, scope in enumerate([*scopes, "Chỉ tiêu giao"], 1):
        header = sheet.cell(top, left + offset)
        set_text(header, scope)  # a department name from Danh mục: the chart's series title
        style_header(header)
    sheet.row_dimensions[top].height = 45
    otherwise = "NA()" if mark is None else f'"{mark}"'
    for index, code in enumerate(CHART_CODES, 1):
        row = top + index
        sheet.cell(row, left, code)
        style_computed(sheet.cell(row, left))
        code_index = INDICATOR_CODES.index(code)
        # (what must be a number, the rate shown): Tổng hợp's F per scope, then the target.
        rates = [f"F{5 + code_index * len(scopes) + offset}" for offset in range(len(scopes))]
        target = f"INDEX(TTHC_TARGETS,{code_index + 1},4)"
        figures = [*((rate, rate) for rate in rates), (target, f"{target}/100")]
        for offset, (tested, shown) in enumerate(figures, 1):
            cell = sheet.cell(row, left + offset, f"=IF(ISNUMBER({tested}),{shown},{otherwise})")
            style_computed(cell, number_format=RATE_FORMAT)
            cell.alignment = Alignment(horizontal="right", vertical="center")


# --- Báo cáo ------------------------------------------------------------------------
