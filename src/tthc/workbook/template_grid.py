"""The Phụ lục sheet: the 16-column grid staff fill in, its totals and per-row checks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.catalogue import Catalogue, field_key, grid_order
from tthc.core.grid import COUNT_COLUMNS, INPUT_COLUMNS, TOTAL_LABEL
from tthc.core.model import (
    ReportInput,
)
from tthc.workbook.layout import OUTSIDE_CATALOGUE, SHEETS
from tthc.workbook.style import (
    FONT_NAME,
    merge,
    print_setup,
    set_text,
    style_computed,
    style_header,
    style_input,
    style_title,
)
from tthc.workbook.template_parts import (
    CHECK_OK,
    COUNT_FORMAT,
    GRID_FIRST_ROW,
    SPARE_ROWS,
    define,
    protect,
    validation,
)

__all__ = [
    "grid_sheet",
]


def _grid_rows(
    report: ReportInput | None,
    catalogue: Catalogue,
    carried: Mapping[str, int] | None,
    listed: Sequence[str] | None,
) -> list[tuple[str, dict]]:
    """Rows to list, in the unit's order (`catalogue.grid_order`), then the spare rows.

    A filled month's fields are the report's rows, in its order. For a new month,
    `listed` is the previous month's fields in its order and `carried` each field's
    dossiers still pending at its end: they open the month in column (6), all else
    blank. Either way the catalogue's other fields sit where the walk puts them, so
    the order does not change from one month to the next.
    """
    values: dict[str, dict] = {}
    if carried is not None:
        values = {field_key(name): {6: count} for name, count in carried.items()}
        listed = [*(listed or ()), *carried]
    elif report:
        values = {
            field_key(row.field): {c.number: row.counts.value(c.number) for c in INPUT_COLUMNS}
            for row in report.rows
        }
        listed = [row.field for row in report.rows]
    order = grid_order(listed or (), catalogue.field_names)
    rows = [(name, values.get(field_key(name), {})) for name in order]
    rows += [("", {})] * SPARE_ROWS
    return rows


def _fold_rows_without_dossiers(sheet: Worksheet, first: int, has_dossiers: list[bool]) -> None:
    """A filled month prints the rows the Word appendix lists; the others fold away.

    Fields without dossiers this period and the spare rows are grouped and collapsed
    (the «+» beside Tổng cộng opens them for typing), so paper shows only numbered
    rows, as in the report. A new month or the empty template keeps every row open.
    """
    start = None
    for offset, used in enumerate([*has_dossiers, True]):
        if not used and start is None:
            start = offset
        elif used and start is not None:
            sheet.row_dimensions.group(first + start, first + offset - 1, hidden=True)
            start = None


def _number_formula(first: int, row: int) -> str:
    """STT as the Word appendix numbers its rows: only rows with a dossier, 1, 2, 3…

    A valid row has a dossier exactly when its (3) is above 0 ((3) = (7) + (13)), so a
    blank or all-zero row gets no number (and a filled month folds it away): no empty
    numbered row reaches the paper.
    """
    return f'IF(N(C{row})=0,"",COUNTIF(C${first}:C{row},">0"))'


def _grid_header(sheet: Worksheet) -> None:
    headers = [
        ("A4:A6", "STT"),
        ("B4:B6", "Lĩnh vực giải quyết"),
        ("C4:F4", "Số lượng hồ sơ tiếp nhận"),
        ("G4:L4", "Số lượng hồ sơ đã giải quyết"),
        ("M4:P4", "Số lượng hồ sơ đang giải quyết"),
        ("C5:C6", "Tổng số"),
        ("D5:E5", "Trong kỳ"),
        ("D6", "Trực tuyến"),
        ("E6", "Trực tiếp, dịch vụ bưu chính"),
        ("F5:F6", "Từ kỳ trước"),
        ("Q4:Q6", "Phòng chuyên môn"),
        ("R4:R6", "Kiểm tra"),
    ]
    for column in COUNT_COLUMNS:
        if column.number >= 7:
            letter = get_column_letter(column.number)
            headers.append((f"{letter}5:{letter}6", column.label))
    for ref, text in headers:
        first = ref.split(":")[0]
        sheet[first] = text
        if ":" in ref:
            merge(sheet, ref)
        for row in sheet[ref] if ":" in ref else [[sheet[ref]]]:
            for cell in row:
                style_header(cell)
    labels = ["(1)", "(2)", *(c.number_label for c in COUNT_COLUMNS), "", ""]
    for index, text in enumerate(labels, 1):
        # "(7)=(8)+(9)+(10)+(11)+(12)" breaks after "=" rather than inside a number.
        cell = sheet.cell(7, index, text.replace("=", "=\n"))
        style_header(cell)
        cell.font = Font(name=FONT_NAME, size=10, italic=True)


def grid_sheet(
    workbook: Workbook,
    report: ReportInput | None,
    catalogue: Catalogue,
    carried: Mapping[str, int] | None = None,
    listed: Sequence[str] | None = None,
) -> tuple[int, int]:
    sheet = workbook.create_sheet(SHEETS["grid"])
    sheet["A1"] = "PHỤ LỤC"
    style_title(sheet["A1"])
    merge(sheet, "A1:P1")
    # The Word appendix's title: «… THỦ TỤC HÀNH CHÍNH THÁNG 3 NĂM 2026 CỦA XÃ BÌNH GIANG».
    sheet["A2"] = (
        '="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"&IF(TTHC_PERIOD_LABEL="",""," "'
        '&UPPER(TTHC_PERIOD_LABEL))&" CỦA "&UPPER(TTHC_UNIT_KIND)&" "&UPPER(TTHC_UNIT_NAME)'
    )
    style_title(sheet["A2"], size=12)
    merge(sheet, "A2:P2")
    _grid_header(sheet)
    rows = _grid_rows(report, catalogue, carried, listed)
    first = GRID_FIRST_ROW
    last = first + len(rows) - 1
    total = last + 1
    for offset, (field, values) in enumerate(rows):
        r = first + offset
        used = f"COUNT(D{r}:F{r},H{r}:L{r},N{r}:P{r})"
        sheet.cell(r, 1, f"={_number_formula(first, r)}")
        style_computed(sheet.cell(r, 1))
        sheet.cell(r, 1).alignment = Alignment(horizontal="center", vertical="center")
        name = sheet.cell(r, 2)
        set_text(name, field)
        style_input(name)
        for column in INPUT_COLUMNS:  # sheet column index = the form's column number
            cell = sheet.cell(r, column.number, values.get(column.number))
            style_input(cell, number_format=COUNT_FORMAT)
        sheet[f"C{r}"] = f'=IF({used}=0,"",D{r}+E{r}+F{r})'
        sheet[f"G{r}"] = f'=IF({used}=0,"",SUM(H{r}:L{r}))'
        sheet[f"M{r}"] = f'=IF({used}=0,"",SUM(N{r}:P{r}))'
        for letter in "CGM":
            style_computed(sheet[f"{letter}{r}"], number_format=COUNT_FORMAT, bold=True)
        sheet[f"Q{r}"] = (
            f'=IF(TRIM(B{r})="","",IFERROR(INDEX(TTHC_CATALOGUE_DEPARTMENTS,'
            f'MATCH(TRIM(B{r}),TTHC_CATALOGUE_FIELDS,0)),"{OUTSIDE_CATALOGUE}"))'
        )
        style_computed(sheet[f"Q{r}"])
        sheet[f"R{r}"] = _check_formula(r, used)
        style_computed(sheet[f"R{r}"])
    if report is not None and carried is None:
        _fold_rows_without_dossiers(
            sheet, first, [bool(values) and any(values.values()) for _, values in rows]
        )
    sheet.cell(total, 1, "")
    sheet.cell(total, 2, TOTAL_LABEL)
    for number in range(1, 19):
        style_computed(sheet.cell(total, number), number_format=COUNT_FORMAT, bold=True)
    for number in range(3, 17):
        letter = get_column_letter(number)
        sheet.cell(total, number, f"=SUM({letter}{first}:{letter}{last})")
    sheet[f"R{total}"] = (
        f'=IF(N(C{total})<>N(G{total})+N(M{total}),"(3)≠(7)+(13).",'
        f'IF(SUMPRODUCT((LEN(R{first}:R{last})>0)*(R{first}:R{last}<>"{CHECK_OK}"))>0,'
        f'"Có dòng sai.","{CHECK_OK}"))'
    )
    define(workbook, "TTHC_GRID", sheet, f"B{first}:Q{last}")
    define(workbook, "TTHC_GRID_TOTAL", sheet, f"B{total}:P{total}")
    define(workbook, "TTHC_GRID_CHECK", sheet, f"R{first}:R{last}")
    red = PatternFill("solid", start_color="F8CBAD", end_color="F8CBAD")
    sheet.conditional_formatting.add(
        f"A{first}:R{total}",
        FormulaRule(
            formula=[f'AND($R{first}<>"",$R{first}<>"{CHECK_OK}")'],
            fill=red,
            font=Font(color="9C0006", bold=True),
        ),
    )
    validation(
        sheet,
        "whole",
        f"D{first}:F{last} H{first}:L{last} N{first}:P{last}",
        operator="greaterThanOrEqual",
        minimum="0",
        prompt="Số hồ sơ: số nguyên từ 0 trở lên.",
        error="Số hồ sơ phải là số nguyên, không âm (ví dụ 1132).",
    )
    validation(
        sheet,
        "list",
        f"B{first}:B{last}",
        formula="TTHC_CATALOGUE_FIELDS",
        prompt="Chọn lĩnh vực trong danh mục; lĩnh vực mới thì thêm vào trang Danh mục trước.",
        error="Lĩnh vực này chưa có trong trang Danh mục.",
        warn_only=True,
    )
    # The form's 16 columns fill an A4 landscape page at 11 pt (about 144 characters
    # between the margins); Phòng chuyên môn and Kiểm tra help on screen, off the paper.
    widths = {"A": 4.5, "B": 22, "Q": 22, "R": 26}
    for number in range(1, 19):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = widths.get(letter, 8)
    sheet.row_dimensions[6].height = 60
    sheet.row_dimensions[7].height = 56  # "(8)+(9)+(10)+(11)+(12)" on four lines
    sheet.freeze_panes = f"C{first}"
    print_setup(sheet, "landscape", title_rows="4:7", area=f"A1:P{total}", plain=True)
    protect(sheet)
    return first, last


def _check_formula(r: int, used: str) -> str:
    """Which identity a row breaks, in words; ✓ when all hold, blank for an unused row.

    A row is in use as soon as one input cell holds anything (a number or a slip
    such as '5 hs'); a pre-listed field with no figures stays quiet.
    """
    problems = (
        f'IF(TRIM(B{r})="","Thiếu tên lĩnh vực. ","")'
        f'&IF(Q{r}="{OUTSIDE_CATALOGUE}","Lĩnh vực ngoài danh mục. ","")'
        f'&IF(N(C{r})<>N(D{r})+N(E{r})+N(F{r}),"(3)≠(4)+(5)+(6). ","")'
        f'&IF(N(G{r})<>SUM(H{r}:L{r}),"(7)≠(8)+…+(12). ","")'
        f'&IF(N(M{r})<>SUM(N{r}:P{r}),"(13)≠(14)+(15)+(16). ","")'
        f'&IF(N(C{r})<>N(G{r})+N(M{r}),"(3)≠(7)+(13). ","")'
        f'&IF(COUNTIF(D{r}:P{r},"<0")>0,"Có số âm. ","")'
        f'&IF(COUNTA(D{r}:F{r},H{r}:L{r},N{r}:P{r})>{used},"Có ô không phải số. ","")'
    )
    return (
        f"=IFERROR(IF({used}+COUNTA(D{r}:F{r},H{r}:L{r},N{r}:P{r})=0,"
        f'IF(Q{r}="{OUTSIDE_CATALOGUE}","Lĩnh vực ngoài danh mục.",""),'
        f'IF(TRIM({problems})="","{CHECK_OK}",TRIM({problems}))),"Có ô không phải số.")'
    )


# --- Chỉ tiêu -----------------------------------------------------------------------
