"""The data-entry workbook, generated entirely by code (openpyxl).

`build_workbook()` gives the empty template for a unit kind; given a report it
gives the same workbook filled in (used by `tthc new --data`, the demo and the
output workbook). Native Excel formulas compute (3), (7), (13), the totals,
the per-row checks and the Chỉ tiêu denominators, so the sheet stays live on a
PC without Python; the Tổng hợp sheet calls the add-in's `=TTHC_…()` functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Literal

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.catalogue import Catalogue, default_catalogue
from tthc.core.entries import CONVENTION_LABELS, NO, ROUNDING_LABELS, SETTINGS, YES
from tthc.core.grid import COUNT_COLUMNS, INPUT_COLUMNS, TOTAL_LABEL
from tthc.core.labels import TITLES
from tthc.core.model import (
    INDICATOR_CODES,
    Convention,
    DocumentInfo,
    ExtraValues,
    ReportInput,
    Settings,
    Signer,
    Target,
    UnitKind,
    default_targets,
)
from tthc.core.summary import summary_scopes
from tthc.workbook.layout import EXTRA_COLUMNS, SHEETS
from tthc.workbook.style import (
    FONT_NAME,
    print_setup,
    set_text,
    style_computed,
    style_header,
    style_input,
    style_label,
    style_title,
)

__all__ = ["GRID_FIRST_ROW", "SPARE_ROWS", "TEMPLATE_FILE_NAME", "build_workbook"]

TEMPLATE_FILE_NAME = "BaoCaoTTHC.xlsx"
GRID_FIRST_ROW = 8
SPARE_ROWS = 10
RECIPIENT_ROWS = 10
SHORTCOMING_ROWS = 10
CATALOGUE_SPARE_ROWS = 20
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"
OUTSIDE_CATALOGUE = "(ngoài danh mục)"
CHECK_OK = "✓"


def _define(workbook: Workbook, name: str, sheet: Worksheet, ref: str) -> None:
    """A workbook-scope defined name for an absolute range of one sheet."""
    target = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(ref)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=target)


def _validation(
    sheet: Worksheet,
    kind: Literal["whole", "decimal", "list", "date", "custom"],
    ref: str,
    *,
    formula: str | None = None,
    operator: Literal["between", "greaterThan", "greaterThanOrEqual"] | None = None,
    minimum: str | None = None,
    maximum: str | None = None,
    prompt: str,
    error: str,
    warn_only: bool = False,
) -> None:
    rule = DataValidation(
        type=kind,
        formula1=formula if formula is not None else minimum,
        formula2=maximum,
        operator=operator,
        allow_blank=True,
        showInputMessage=True,
        showErrorMessage=True,
        promptTitle="Hướng dẫn",
        prompt=prompt,
        errorTitle="Giá trị không hợp lệ",
        error=error,
        errorStyle="warning" if warn_only else "stop",
    )
    for part in ref.split():  # space-separated ranges
        rule.add(part)
    sheet.add_data_validation(rule)


def _heading(sheet: Worksheet, title: str, note: str, last_column: str) -> None:
    """The sheet's title in row 1 and a one-line instruction in row 2."""
    sheet["A1"] = title
    style_title(sheet["A1"])
    sheet.merge_cells(f"A1:{last_column}1")
    sheet["A2"] = note
    style_label(sheet["A2"])
    sheet.merge_cells(f"A2:{last_column}2")
    sheet.row_dimensions[2].height = 32


def _protect(sheet: Worksheet) -> None:
    """Protection without a password: staff can lift it from the Review tab."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False


# --- Thông tin --------------------------------------------------------------------


def _info_sheet(workbook: Workbook, report: ReportInput | None, kind: UnitKind) -> None:
    sheet = workbook.create_sheet(SHEETS["info"])
    sheet.column_dimensions["A"].width = 44
    sheet.column_dimensions["B"].width = 62
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 12
    sheet["A1"] = "THÔNG TIN BÁO CÁO"
    style_title(sheet["A1"])
    sheet.merge_cells("A1:D1")
    sheet["A2"] = "Nhập vào các ô màu vàng. Các ô khác do chương trình tính."
    style_label(sheet["A2"])
    sheet.merge_cells("A2:D2")

    unit = report.unit if report else None
    document = report.document if report else DocumentInfo(date=date.today())
    signer = report.signer if report else Signer()
    settings = report.settings if report else Settings()
    period = report.period if report else None
    name = unit.name if unit else ""
    values: list[tuple[str, str, object, str | None]] = [
        ("TTHC_UNIT_KIND", "Loại đơn vị", (unit.kind if unit else kind).value, None),
        ("TTHC_UNIT_NAME", "Tên đơn vị (ví dụ: Bình Giang)", name, None),
        (
            "TTHC_PARENT_BODY",
            "Cơ quan chủ quản (để trống: «UBND xã …»)",
            unit.parent_body if unit else "",
            None,
        ),
        (
            "TTHC_ISSUING_BODY",
            "Cơ quan ban hành, tên đầy đủ (để trống: tự ghi)",
            unit.issuing_body if unit else "",
            None,
        ),
        (
            "TTHC_ISSUING_BODY_SHORT",
            "Tên cơ quan ban hành ở tiêu đề",
            unit.issuing_body_short if unit else "Trung tâm Phục vụ hành chính công",
            None,
        ),
        (
            "TTHC_PLACE",
            "Địa danh ở dòng ngày tháng (để trống: tên đơn vị)",
            unit.place if unit else "",
            None,
        ),
        ("TTHC_PERIOD_START", "Kỳ báo cáo từ ngày", period.start if period else None, DATE_FORMAT),
        ("TTHC_PERIOD_END", "Kỳ báo cáo đến ngày", period.end if period else None, DATE_FORMAT),
        ("TTHC_DOC_NUMBER", "Số báo cáo (để trống cho văn thư ghi)", document.number, None),
        ("TTHC_DOC_SYMBOL", "Ký hiệu báo cáo", document.symbol, None),
        ("TTHC_DOC_DATE", "Ngày báo cáo", document.date if report else None, DATE_FORMAT),
        ("TTHC_SIGNER_AUTHORITY", "Thẩm quyền ký (ví dụ: KT. GIÁM ĐỐC)", signer.authority, None),
        ("TTHC_SIGNER_TITLE", "Chức vụ người ký", signer.title, None),
        ("TTHC_SIGNER_NAME", "Họ tên người ký", signer.name, None),
    ]
    row = 4
    for defined, label, value, number_format in values:
        sheet.cell(row, 1, label)
        style_label(sheet.cell(row, 1))
        cell = sheet.cell(row, 2)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
        style_input(cell, number_format=number_format)
        _define(workbook, defined, sheet, f"B{row}")
        row += 1
    _validation(
        sheet,
        "list",
        "B4",
        formula='"xã,phường,đặc khu"',
        prompt="Chọn xã, phường hoặc đặc khu.",
        error="Chỉ chọn xã, phường hoặc đặc khu.",
    )
    _validation(
        sheet,
        "date",
        "B10:B11",
        operator="greaterThan",
        minimum="36526",
        prompt="Nhập ngày dạng ngày/tháng/năm, ví dụ 01/03/2026.",
        error="Ô này phải là một ngày (ngày/tháng/năm).",
    )
    _validation(
        sheet,
        "date",
        "B14",
        operator="greaterThan",
        minimum="36526",
        prompt="Nhập ngày báo cáo dạng ngày/tháng/năm.",
        error="Ô này phải là một ngày (ngày/tháng/năm).",
    )

    row += 1
    sheet.cell(row, 1, "THIẾT LẬP")
    style_label(sheet.cell(row, 1), bold=True)
    row += 1
    # Titles and choices come from core.entries, which every reader matches them against.
    shown = {
        "convention": CONVENTION_LABELS[settings.convention],
        "strict_on_time": YES if settings.strict_on_time else NO,
        "zero_pad": YES if settings.zero_pad else NO,
        "rate_rounding": ROUNDING_LABELS[settings.rate_rounding],
    }
    prompts = {
        "convention": "Theo mẫu: như báo cáo mẫu. Theo QĐ 766: cách chấm điểm của Quyết định "
        "766/QĐ-TTg.",
        "strict_on_time": "Có: không tính hồ sơ từ chối, hồ sơ rút là đúng hạn.",
        "zero_pad": "Có: «02 hồ sơ» theo thói quen địa phương.",
        "rate_rounding": "Cắt bớt: 99,999% ghi 99,99% (khuyên dùng). Làm tròn: lên hoặc xuống.",
    }
    settings_rows = [
        (s.title, shown[s.key], '"' + ",".join(s.choices.values()) + '"', prompts[s.key])
        for s in SETTINGS
    ]
    first_setting = row
    for label, value, options, prompt in settings_rows:
        sheet.cell(row, 1, label)
        style_label(sheet.cell(row, 1))
        cell = sheet.cell(row, 2, value)
        style_input(cell)
        _validation(
            sheet,
            "list",
            f"B{row}",
            formula=options,
            prompt=prompt,
            error="Chỉ chọn một giá trị trong danh sách.",
        )
        row += 1
    _define(workbook, "TTHC_SETTINGS", sheet, f"B{first_setting}:B{row - 1}")
    _define(workbook, "TTHC_CONVENTION", sheet, f"B{first_setting}")

    row += 1
    sheet.cell(row, 1, "CHỈ TIÊU GIAO")
    style_label(sheet.cell(row, 1), bold=True)
    row += 1
    for column, heading in enumerate(("Chỉ tiêu", "Tên chỉ tiêu", "So sánh", "Mức (%)"), 1):
        sheet.cell(row, column, heading)
        style_header(sheet.cell(row, column))
    row += 1
    targets = report.targets if report else default_targets()
    first_target = row
    for code in INDICATOR_CODES:
        target: Target | None = targets.get(code)
        sheet.cell(row, 1, code)
        style_computed(sheet.cell(row, 1))
        sheet.cell(row, 2, TITLES[code])
        style_computed(sheet.cell(row, 2))
        sheet.cell(row, 2).alignment = Alignment(vertical="center", wrap_text=True)
        style_input(sheet.cell(row, 3))
        style_input(sheet.cell(row, 4), number_format="0.##")
        if target is not None:
            sheet.cell(row, 3, target.comparison.value)
            percent = target.percent
            sheet.cell(row, 4, int(percent) if percent.denominator == 1 else float(percent))
        row += 1
    _define(workbook, "TTHC_TARGETS", sheet, f"A{first_target}:D{row - 1}")
    _validation(
        sheet,
        "list",
        f"C{first_target}:C{row - 1}",
        formula='"≥,=,≤"',
        prompt="≥ (từ … trở lên), = (đúng bằng) hoặc ≤; để trống nếu không giao.",
        error="Chỉ chọn ≥, = hoặc ≤.",
    )
    _validation(
        sheet,
        "decimal",
        f"D{first_target}:D{row - 1}",
        operator="between",
        minimum="0",
        maximum="100",
        prompt="Mức chỉ tiêu, từ 0 đến 100 (%).",
        error="Mức chỉ tiêu phải từ 0 đến 100.",
    )

    recipients = list(document.recipients or default_recipients(kind))
    row = _list_block(
        workbook,
        sheet,
        row + 1,
        "NƠI NHẬN (mỗi ô một nơi; tự thêm «Lưu: VT»)",
        "TTHC_RECIPIENTS",
        recipients,
        RECIPIENT_ROWS,
    )
    shortcomings = list(report.shortcomings) if report else []
    _list_block(
        workbook,
        sheet,
        row + 1,
        "TỒN TẠI, HẠN CHẾ (mỗi ô một đoạn)",
        "TTHC_SHORTCOMINGS",
        shortcomings,
        SHORTCOMING_ROWS,
        height=60,
    )
    sheet.freeze_panes = "A4"
    print_setup(sheet, "portrait")
    _protect(sheet)


def _list_block(
    workbook: Workbook,
    sheet: Worksheet,
    row: int,
    title: str,
    defined: str,
    items: Sequence[str],
    size: int,
    height: float | None = None,
) -> int:
    sheet.cell(row, 1, title)
    style_label(sheet.cell(row, 1), bold=True)
    row += 1
    first = row
    for index in range(max(size, len(items))):
        sheet.cell(row, 1, f"{index + 1}.")
        style_label(sheet.cell(row, 1))
        cell = sheet.cell(row, 2)
        if index < len(items):
            set_text(cell, items[index])
        style_input(cell, wrap=True)
        if height:
            sheet.row_dimensions[row].height = height
        row += 1
    _define(workbook, defined, sheet, f"B{first}:B{row - 1}")
    return row


# --- Phụ lục ------------------------------------------------------------------------


def _grid_rows(
    report: ReportInput | None, catalogue: Catalogue, carried: Mapping[str, int] | None
) -> list[tuple[str, dict]]:
    """Rows to list: the report's rows in its order, then the rest of the catalogue, blank.

    For a new month, `carried` gives each field's dossiers still pending at the end
    of the previous month: they open the month in column (6), all else blank.
    """
    rows: list[tuple[str, dict]] = []
    seen = set()
    if carried is not None:
        for name, count in carried.items():
            rows.append((name, {6: count}))
            seen.add(name.casefold())
    elif report:
        for row in report.rows:
            values = {c.number: row.counts.value(c.number) for c in INPUT_COLUMNS}
            rows.append((row.field, values))
            seen.add(row.field.casefold())
    rows += [(f, {}) for f in catalogue.field_names if f.casefold() not in seen]
    rows += [("", {})] * SPARE_ROWS
    return rows


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
            sheet.merge_cells(ref)
        for row in sheet[ref] if ":" in ref else [[sheet[ref]]]:
            for cell in row:
                style_header(cell)
    labels = ["(1)", "(2)", *(c.number_label for c in COUNT_COLUMNS), "", ""]
    for index, text in enumerate(labels, 1):
        # "(7)=(8)+(9)+(10)+(11)+(12)" breaks after "=" rather than inside a number.
        cell = sheet.cell(7, index, text.replace("=", "=\n"))
        style_header(cell)
        cell.font = Font(name=FONT_NAME, size=8, italic=True)


def _grid_sheet(
    workbook: Workbook,
    report: ReportInput | None,
    catalogue: Catalogue,
    carried: Mapping[str, int] | None = None,
) -> tuple[int, int]:
    sheet = workbook.create_sheet(SHEETS["grid"])
    sheet["A1"] = "PHỤ LỤC"
    style_title(sheet["A1"])
    sheet.merge_cells("A1:R1")
    sheet["A2"] = (
        '="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH CỦA "&UPPER(TTHC_UNIT_KIND)&" "'
        "&UPPER(TTHC_UNIT_NAME)"
    )
    style_title(sheet["A2"], size=12)
    sheet.merge_cells("A2:R2")
    _grid_header(sheet)
    rows = _grid_rows(report, catalogue, carried)
    first = GRID_FIRST_ROW
    last = first + len(rows) - 1
    total = last + 1
    for offset, (field, values) in enumerate(rows):
        r = first + offset
        used = f"COUNT(D{r}:F{r},H{r}:L{r},N{r}:P{r})"
        sheet.cell(r, 1, f'=IF(B{r}="","",ROW()-{first - 1})')
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
    _define(workbook, "TTHC_GRID", sheet, f"B{first}:Q{last}")
    _define(workbook, "TTHC_GRID_TOTAL", sheet, f"B{total}:P{total}")
    _define(workbook, "TTHC_GRID_CHECK", sheet, f"R{first}:R{last}")
    red = PatternFill("solid", start_color="F8CBAD", end_color="F8CBAD")
    sheet.conditional_formatting.add(
        f"A{first}:R{total}",
        FormulaRule(
            formula=[f'AND($R{first}<>"",$R{first}<>"{CHECK_OK}")'],
            fill=red,
            font=Font(color="9C0006", bold=True),
        ),
    )
    _validation(
        sheet,
        "whole",
        f"D{first}:F{last} H{first}:L{last} N{first}:P{last}",
        operator="greaterThanOrEqual",
        minimum="0",
        prompt="Số hồ sơ: số nguyên từ 0 trở lên.",
        error="Số hồ sơ phải là số nguyên, không âm (ví dụ 1132).",
    )
    _validation(
        sheet,
        "list",
        f"B{first}:B{last}",
        formula="TTHC_CATALOGUE_FIELDS",
        prompt="Chọn lĩnh vực trong danh mục; lĩnh vực mới thì thêm vào trang Danh mục trước.",
        error="Lĩnh vực này chưa có trong trang Danh mục.",
        warn_only=True,
    )
    widths = {"A": 5, "B": 24, "Q": 22, "R": 26}
    for number in range(1, 19):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = widths.get(letter, 9.5)
    sheet.row_dimensions[6].height = 45
    sheet.row_dimensions[7].height = 36
    sheet.freeze_panes = f"C{first}"
    sheet.print_title_rows = "4:7"
    print_setup(sheet, "landscape")
    _protect(sheet)
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


def _extras_sheet(
    workbook: Workbook,
    report: ReportInput | None,
    catalogue: Catalogue,
    grid_rows: tuple[int, int],
    kind: UnitKind,
) -> None:
    sheet = workbook.create_sheet(SHEETS["extras"])
    _heading(
        sheet,
        "SỐ LIỆU CÁC CHỈ TIÊU 1.2–1.6",
        (
            "Chỉ nhập các ô màu vàng. Cột «Mẫu số» tự tính từ trang Phụ lục theo cách tính đã "
            "chọn. Chỉ tiêu 1.2, 1.5, 1.6 nhập ở dòng toàn đơn vị là đủ; 1.3, 1.4 nhập theo "
            "từng phòng."
        ),
        "K",
    )
    groups = [
        ("A4:A5", "Phòng chuyên môn"),
        ("B4:C4", "1.2. Thanh toán trực tuyến"),
        ("D4:E4", "1.3. Cập nhật trên hệ thống"),
        ("F4:G4", "1.4. Số hóa hồ sơ, kết quả"),
        ("H4:I4", "1.5. Khai thác, sử dụng lại dữ liệu số hóa"),
        ("J4:K4", "1.6. Phản ánh, kiến nghị"),
    ]
    for ref, text in groups:
        sheet[ref.split(":")[0]] = text
        sheet.merge_cells(ref)
        for row in sheet[ref]:
            for cell in row:
                style_header(cell)
    subheads = [
        "Số hồ sơ có phí, lệ phí",
        "Số hồ sơ thanh toán trực tuyến",
        "Mẫu số (tự tính)",
        "Số hồ sơ được cập nhật",
        "Mẫu số (tự tính)",
        "Số hồ sơ được số hóa",
        "Mẫu số (tự tính)",
        "Số hồ sơ sử dụng lại",
        "Số phản ánh, kiến nghị tiếp nhận",
        "Số được xử lý theo quy định",
    ]
    for column, text in enumerate(subheads, 2):
        style_header(sheet.cell(5, column, text))
    sheet.row_dimensions[4].height = 32
    sheet.row_dimensions[5].height = 48

    first, last = grid_rows
    grid = quote_sheetname(SHEETS["grid"])

    def col(letter: str) -> str:
        return f"{grid}!${letter}${first}:${letter}${last}"

    qd766 = f'TTHC_CONVENTION="{CONVENTION_LABELS[Convention.QD766]}"'
    names = list(catalogue.department_names)
    scopes = [*names, f"Toàn {kind.value}"]
    row = 6
    for index, scope in enumerate(scopes):
        unit_row = index == len(names)
        extras = (
            report.extras.unit
            if report and unit_row
            else report.extras.for_department(scope)
            if report
            else ExtraValues()
        )
        label = sheet.cell(row, 1)
        set_text(label, scope)
        style_computed(label, bold=unit_row)

        def total(letter: str, row: int = row, unit_row: bool = unit_row) -> str:
            if unit_row:
                return f"SUM({col(letter)})"
            return f"SUMIF({col('Q')},$A{row},{col(letter)})"

        in_period = f"{total('D')}+{total('E')}"
        formulas = {
            4: f"=IF({qd766},{in_period},{total('C')})",
            6: f"=IF({qd766},{in_period},{total('H')}+{total('I')}+{total('J')})",
            8: f"={in_period}",
        }
        inputs = {
            2: extras.with_fee,
            3: extras.paid_online,
            5: extras.updated,
            7: extras.digitised,
            9: extras.reused,
            10: extras.feedback_received,
            11: extras.feedback_handled,
        }
        for column in range(2, 12):
            cell = sheet.cell(row, column)
            if column in formulas:
                cell.value = formulas[column]
                style_computed(cell, number_format=COUNT_FORMAT)
            else:
                cell.value = inputs[column]
                style_input(cell, number_format=COUNT_FORMAT)
        row += 1
    _define(workbook, "TTHC_EXTRAS", sheet, f"A6:K{row - 1}")
    assert len(EXTRA_COLUMNS) == 11
    _validation(
        sheet,
        "whole",
        f"B6:C{row - 1} E6:E{row - 1} G6:G{row - 1} I6:K{row - 1}",
        operator="greaterThanOrEqual",
        minimum="0",
        prompt="Số nguyên từ 0 trở lên; để trống nếu chưa có số liệu.",
        error="Phải là số nguyên, không âm.",
    )
    sheet.column_dimensions["A"].width = 32
    for column in range(2, 12):
        sheet.column_dimensions[get_column_letter(column)].width = 13
    sheet.freeze_panes = "B6"
    print_setup(sheet, "landscape")
    _protect(sheet)


# --- Danh mục -----------------------------------------------------------------------


def _catalogue_sheet(workbook: Workbook, catalogue: Catalogue) -> None:
    sheet = workbook.create_sheet(SHEETS["catalogue"])
    _heading(
        sheet,
        "DANH MỤC LĨNH VỰC THEO PHÒNG CHUYÊN MÔN",
        (
            "Sửa được: thêm lĩnh vực mới vào các dòng trống. Thứ tự phòng trong báo cáo là thứ tự "
            "xuất hiện đầu tiên trong cột «Phòng chuyên môn»."
        ),
        "B",
    )
    style_header(sheet.cell(4, 1, "Lĩnh vực"))
    style_header(sheet.cell(4, 2, "Phòng chuyên môn"))
    pairs = [(f, d.name) for d in catalogue.departments for f in d.fields]
    pairs += [("", "")] * CATALOGUE_SPARE_ROWS
    row = 5
    for field, department in pairs:
        set_text(sheet.cell(row, 1), field)
        set_text(sheet.cell(row, 2), department)
        style_input(sheet.cell(row, 1))
        style_input(sheet.cell(row, 2))
        row += 1
    _define(workbook, "TTHC_CATALOGUE", sheet, f"A5:B{row - 1}")
    _define(workbook, "TTHC_CATALOGUE_FIELDS", sheet, f"A5:A{row - 1}")
    _define(workbook, "TTHC_CATALOGUE_DEPARTMENTS", sheet, f"B5:B{row - 1}")
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 40
    sheet.freeze_panes = "A5"
    sheet.print_title_rows = "4:4"
    print_setup(sheet, "portrait")
    _protect(sheet)


# --- Tổng hợp -----------------------------------------------------------------------

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


def _summary_sheet(workbook: Workbook, catalogue: Catalogue, kind: UnitKind) -> None:
    sheet = workbook.create_sheet(SHEETS["summary"])
    _heading(
        sheet,
        "TỔNG HỢP CÁC CHỈ TIÊU",
        (
            "Tính tự động bằng các hàm =TTHC_…() của add-in tthc (cần Excel có add-in). Tệp kết "
            "quả do «Tạo báo cáo» hoặc lệnh tthc report tạo ra ghi sẵn giá trị."
        ),
        "I",
    )
    for column, text in enumerate(SUMMARY_HEADERS, 1):
        style_header(sheet.cell(4, column, text))
    scopes = summary_scopes(catalogue, kind)
    row = 5
    for index, code in enumerate(INDICATOR_CODES, 1):
        for scope in scopes:
            sheet.cell(row, 1, code)
            sheet.cell(row, 2, TITLES[code])
            set_text(sheet.cell(row, 3), scope)
            args = f"TTHC_GRID,TTHC_EXTRAS,$C{row}"
            sheet.cell(row, 4, f'=TTHC_PART("{code}","numerator",{args},TTHC_SETTINGS)')
            sheet.cell(row, 5, f'=TTHC_PART("{code}","denominator",{args},TTHC_SETTINGS)')
            sheet.cell(row, 6, f'=TTHC_RATE("{code}",{args},TTHC_SETTINGS)')
            sheet.cell(
                row,
                7,
                f'=IF(INDEX(TTHC_TARGETS,{index},3)="","",INDEX(TTHC_TARGETS,{index},3)'
                f'&" "&INDEX(TTHC_TARGETS,{index},4)&"%")',
            )
            sheet.cell(row, 8, f'=TTHC_VERDICT("{code}",{args},TTHC_TARGETS,TTHC_SETTINGS)')
            for column in range(1, 9):
                style_computed(
                    sheet.cell(row, column),
                    number_format=RATE_FORMAT if column == 6 else COUNT_FORMAT,
                    bold=scope == scopes[0],
                )
            sheet.cell(row, 2).alignment = Alignment(vertical="center", wrap_text=True)
            # Column I: the figure as the report writes it, filled by the button or the CLI.
            style_computed(sheet.cell(row, 9), bold=scope == scopes[0])
            sheet.cell(row, 9).protection = Protection(locked=False)
            row += 1
    _define(workbook, "TTHC_SUMMARY", sheet, f"A5:I{row - 1}")
    widths = (6, 56, 24, 13, 13, 13, 12, 11, 26)
    for letter, width in zip("ABCDEFGHI", widths, strict=True):
        sheet.column_dimensions[letter].width = width
    _chart_block(sheet, scopes, row + 1)
    sheet.freeze_panes = "A5"
    print_setup(sheet, "landscape")
    _protect(sheet)


CHART_CODES = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6")  # the indicators with targets


def _chart_block(sheet: Worksheet, scopes: list[str], top: int) -> None:
    """Below the summary: a small table of rates by department, and its chart.

    Below rather than beside, so the printed summary keeps a readable size.
    """
    left = 3  # column C
    sheet.row_breaks.append(Break(id=top - 1))  # table and chart print together on page 2
    style_header(sheet.cell(top, left, "Chỉ tiêu"))
    for offset, scope in enumerate([*scopes, "Chỉ tiêu giao"], 1):
        header = sheet.cell(top, left + offset)
        set_text(header, scope)  # a department name from Danh mục: the chart's series title
        style_header(header)
    sheet.row_dimensions[top].height = 45
    for index, code in enumerate(CHART_CODES, 1):
        row = top + index
        sheet.cell(row, left, code)
        style_computed(sheet.cell(row, left))
        code_index = INDICATOR_CODES.index(code)
        for offset in range(len(scopes)):
            summary_row = 5 + code_index * len(scopes) + offset
            cell = sheet.cell(row, left + offset + 1, f"=IFERROR(N(F{summary_row}),0)")
            style_computed(cell, number_format=RATE_FORMAT)
        target = sheet.cell(
            row,
            left + len(scopes) + 1,
            f"=IFERROR(N(INDEX(TTHC_TARGETS,{code_index + 1},4))/100,0)",
        )
        style_computed(target, number_format=RATE_FORMAT)
    bottom = top + len(CHART_CODES)
    bars = BarChart()
    bars.type = "col"
    bars.title = "Tỷ lệ đạt được so với chỉ tiêu giao"
    bars.y_axis.title = "Tỷ lệ"
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
    bars.height = 9
    bars.width = 24
    sheet.add_chart(bars, f"{get_column_letter(left)}{bottom + 2}")


# --- Báo cáo ------------------------------------------------------------------------

NARRATIVE_PLACEHOLDER = (
    "Trang này được điền khi bấm nút «Tạo báo cáo» trên thanh công cụ TTHC hoặc khi chạy lệnh "
    "«tthc report»."
)


NARRATIVE_ROWS = 250  # rows pre-formatted for the text the button writes


def _narrative_sheet(workbook: Workbook) -> Worksheet:
    """The report text, one paragraph a row; not protected: it belongs to the tool's output."""
    sheet = workbook.create_sheet(SHEETS["narrative"])
    sheet.column_dimensions["A"].width = 88
    for row in range(1, NARRATIVE_ROWS + 1):
        cell = sheet.cell(row, 1)
        cell.font = Font(name=FONT_NAME, size=13)
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        cell.number_format = "@"  # "- Văn phòng …" stays text when Excel receives it
    sheet["A1"] = NARRATIVE_PLACEHOLDER
    sheet["A1"].font = Font(name=FONT_NAME, size=12, italic=True)
    _define(workbook, "TTHC_NARRATIVE", sheet, "A1")
    print_setup(sheet, "portrait")
    return sheet


# --- the whole workbook ----------------------------------------------------------------


def default_recipients(kind: UnitKind) -> tuple[str, ...]:
    return (
        f"Lãnh đạo UBND {kind.value} (để b/c)",
        f"Các Phòng chuyên môn {kind.value}",
        f"Lãnh đạo TTPVHCC {kind.value}",
        "Lưu: VT",
    )


def build_workbook(
    report: ReportInput | None = None,
    *,
    kind: UnitKind = UnitKind.XA,
    carried: Mapping[str, int] | None = None,
) -> Workbook:
    """The data-entry workbook: empty for `kind`, or filled with `report`.

    With `carried`, the grid opens a new month instead: each field's pending
    dossiers of the previous month in (6), the report's own rows ignored.
    """
    if report is not None:
        kind = report.unit.kind
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    catalogue = report.catalogue if report else default_catalogue(kind.value)
    _info_sheet(workbook, report, kind)
    grid_rows = _grid_sheet(workbook, report, catalogue, carried)
    _extras_sheet(workbook, report, catalogue, grid_rows, kind)
    _catalogue_sheet(workbook, catalogue)
    _summary_sheet(workbook, catalogue, kind)
    _narrative_sheet(workbook)
    workbook.properties.title = "Báo cáo kết quả giải quyết thủ tục hành chính"
    workbook.properties.creator = "tthc"
    workbook.active = 0
    return workbook
