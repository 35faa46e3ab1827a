"""The Danh mục sheet: fields and the departments that handle them."""

from __future__ import annotations

from openpyxl import Workbook

from tthc.core.catalogue import Catalogue
from tthc.workbook.layout import SHEETS
from tthc.workbook.style import (
    print_setup,
    set_text,
    style_header,
    style_input,
)
from tthc.workbook.template_parts import (
    CATALOGUE_SPARE_ROWS,
    define,
    heading,
    protect,
)

__all__ = [
    "catalogue_sheet",
]


def catalogue_sheet(workbook: Workbook, catalogue: Catalogue) -> None:
    sheet = workbook.create_sheet(SHEETS["catalogue"])
    heading(
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
    define(workbook, "TTHC_CATALOGUE", sheet, f"A5:B{row - 1}")
    define(workbook, "TTHC_CATALOGUE_FIELDS", sheet, f"A5:A{row - 1}")
    define(workbook, "TTHC_CATALOGUE_DEPARTMENTS", sheet, f"B5:B{row - 1}")
    # 92 characters: an A4 portrait page at 11 pt, neither shrunk nor enlarged to fit.
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 54
    sheet.freeze_panes = "A5"
    print_setup(sheet, "portrait", title_rows="4:4", plain=True)
    protect(sheet)


# --- Tổng hợp -----------------------------------------------------------------------
