"""The Thông tin sheet: unit, period, document, signer, settings, recipients, shortcomings."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.entries import CONVENTION_LABELS, NO, ROUNDING_LABELS, SETTINGS, YES
from tthc.core.labels import TITLES
from tthc.core.model import (
    INDICATOR_CODES,
    DocumentInfo,
    ReportInput,
    Settings,
    Signer,
    Target,
    UnitKind,
    default_targets,
)
from tthc.core.narrative import default_recipients
from tthc.workbook.layout import SHEETS
from tthc.workbook.period_formula import period_label_formula
from tthc.workbook.style import (
    area_ref,
    merge,
    print_setup,
    set_text,
    style_computed,
    style_header,
    style_input,
    style_label,
    style_title,
)
from tthc.workbook.template_parts import (
    DATE_FORMAT,
    RECIPIENT_ROWS,
    SHORTCOMING_ROWS,
    define,
    protect,
    validation,
)

__all__ = [
    "default_recipients",
    "info_sheet",
]


def info_sheet(workbook: Workbook, report: ReportInput | None, kind: UnitKind) -> None:
    sheet = workbook.create_sheet(SHEETS["info"])
    # 93 characters: the width of an A4 portrait page at 11 pt, so it prints unshrunk.
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 42
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 9
    sheet["A1"] = "THÔNG TIN BÁO CÁO"
    style_title(sheet["A1"])
    merge(sheet, "A1:D1")
    sheet["A2"] = "Nhập vào các ô màu vàng. Các ô khác do chương trình tính."
    style_label(sheet["A2"])
    merge(sheet, "A2:D2")

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
    rows: dict[str, int] = {}
    for defined, label, value, number_format in values:
        rows[defined] = row
        sheet.cell(row, 1, label)
        style_label(sheet.cell(row, 1))
        cell = sheet.cell(row, 2)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
        style_input(cell, number_format=number_format)
        define(workbook, defined, sheet, f"B{row}")
        row += 1
    validation(
        sheet,
        "list",
        "B4",
        formula='"xã,phường,đặc khu"',
        prompt="Chọn xã, phường hoặc đặc khu.",
        error="Chỉ chọn xã, phường hoặc đặc khu.",
    )
    _period_label(workbook, sheet, rows["TTHC_PERIOD_START"])
    validation(
        sheet,
        "date",
        f"B{rows['TTHC_PERIOD_START']}:B{rows['TTHC_PERIOD_END']}",
        operator="greaterThan",
        minimum="36526",
        prompt="Nhập ngày dạng ngày/tháng/năm, ví dụ 01/03/2026.",
        error="Ô này phải là một ngày (ngày/tháng/năm).",
    )
    validation(
        sheet,
        "date",
        f"B{rows['TTHC_DOC_DATE']}",
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
        validation(
            sheet,
            "list",
            f"B{row}",
            formula=options,
            prompt=prompt,
            error="Chỉ chọn một giá trị trong danh sách.",
        )
        row += 1
    define(workbook, "TTHC_SETTINGS", sheet, f"B{first_setting}:B{row - 1}")
    define(workbook, "TTHC_CONVENTION", sheet, f"B{first_setting}")

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
    define(workbook, "TTHC_TARGETS", sheet, f"A{first_target}:D{row - 1}")
    validation(
        sheet,
        "list",
        f"C{first_target}:C{row - 1}",
        formula='"≥,=,≤"',
        prompt="≥ (từ … trở lên), = (đúng bằng) hoặc ≤; để trống nếu không giao.",
        error="Chỉ chọn ≥, = hoặc ≤.",
    )
    validation(
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
        "NƠI NHẬN (mỗi ô một nơi; «Lưu: VT» luôn ở cuối, thiếu thì tự thêm)",
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
    print_setup(sheet, "portrait", plain=True)
    protect(sheet)


def _period_label(workbook: Workbook, sheet: Worksheet, row: int) -> None:
    """Beside the two dates: the period as the report names it («tháng 3 năm 2026»).

    `TTHC_PERIOD_LABEL`, which the Phụ lục title uses; the same names as
    `core.vn_format.format_period_label`, in formulas Excel and LibreOffice share.
    """
    cell = sheet.cell(row, 3, f"={period_label_formula('TTHC_PERIOD_START', 'TTHC_PERIOD_END')}")
    style_computed(cell)
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    merge(sheet, area_ref(row, 3, row + 1, 4))
    define(workbook, "TTHC_PERIOD_LABEL", sheet, f"C{row}")


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
    define(workbook, defined, sheet, f"B{first}:B{row - 1}")
    return row


# --- Phụ lục ------------------------------------------------------------------------
