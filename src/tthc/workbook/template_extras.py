"""The Chỉ tiêu sheet: inputs of indicators 1.2–1.6 per department, targets."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.utils import get_column_letter, quote_sheetname

from tthc.core.catalogue import Catalogue
from tthc.core.model import (
    ExtraValues,
    ReportInput,
    UnitKind,
)
from tthc.workbook.layout import EXTRA_COLUMNS, SHEETS
from tthc.workbook.style import (
    merge,
    print_setup,
    set_text,
    style_computed,
    style_header,
    style_input,
)
from tthc.workbook.summary_formulas import GridArea, SummaryFormulas
from tthc.workbook.template_parts import (
    COUNT_FORMAT,
    define,
    heading,
    protect,
    validation,
)

__all__ = [
    "extras_sheet",
]


def extras_sheet(
    workbook: Workbook,
    report: ReportInput | None,
    catalogue: Catalogue,
    grid_rows: tuple[int, int],
    kind: UnitKind,
) -> GridArea:
    """Chỉ tiêu; returns where the summary's native formulas find its rows."""
    sheet = workbook.create_sheet(SHEETS["extras"])
    heading(
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
        ("H4:I4", "1.5. Khai thác, sử dụng lại thông tin số hóa"),
        ("J4:K4", "1.6. Phản ánh, kiến nghị"),
    ]
    for ref, text in groups:
        sheet[ref.split(":")[0]] = text
        merge(sheet, ref)
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
    sheet.row_dimensions[5].height = 64

    first, last = grid_rows
    names = list(catalogue.department_names)
    # One home for the grid sums and the convention rule: the summary's native formulas.
    area = GridArea(
        grid_sheet=quote_sheetname(SHEETS["grid"]),
        first=first,
        last=last,
        extras_sheet=quote_sheetname(SHEETS["extras"]),
        first_department=6,
        last_department=6 + len(names) - 1,
        unit_row=6 + len(names),
    )
    native = SummaryFormulas(area)
    qd766 = native.qd766()
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
        in_period = native.count("DE", f"$A{row}", unit_row)
        formulas = {
            4: f"=IF({qd766},{in_period},{native.count('C', f'$A{row}', unit_row)})",
            6: f"=IF({qd766},{in_period},{native.count('HIJ', f'$A{row}', unit_row)})",
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
    define(workbook, "TTHC_EXTRAS", sheet, f"A6:K{row - 1}")
    assert area.unit_row == row - 1  # the unit row closes the table
    # Helper «Có số liệu»: which departments the unit-wide sums take (see summary_formulas).
    style_header(sheet.cell(5, 12, "Có số liệu"))
    for department_row in range(6, 6 + len(names)):
        cell = sheet.cell(department_row, 12, "=" + native.active(department_row))
        style_computed(cell, number_format=COUNT_FORMAT)
    sheet.column_dimensions["L"].width = 10
    assert len(EXTRA_COLUMNS) == 11
    validation(
        sheet,
        "whole",
        f"B6:C{row - 1} E6:E{row - 1} G6:G{row - 1} I6:K{row - 1}",
        operator="greaterThanOrEqual",
        minimum="0",
        prompt="Số nguyên từ 0 trở lên; để trống nếu chưa có số liệu.",
        error="Phải là số nguyên, không âm.",
    )
    # 141 characters: an A4 landscape page at 11 pt; «Có số liệu» (L) stays off the paper.
    sheet.column_dimensions["A"].width = 26
    for column in range(2, 12):
        sheet.column_dimensions[get_column_letter(column)].width = 11.5
    sheet.freeze_panes = "B6"
    print_setup(sheet, "landscape", area=f"A1:K{row - 1}", plain=True)
    protect(sheet)
    return area


# --- Danh mục -----------------------------------------------------------------------
