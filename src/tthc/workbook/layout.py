"""The workbook's contract: sheet names, defined names and the order of columns in blocks.

Everything outside the template builder (reader, worksheet functions, macro,
outside tools) finds data through these workbook-scope defined names, never
through cell addresses, so staff may insert rows or move blocks in Excel
without breaking anything. The README lists the names for outside users.
"""

from __future__ import annotations

__all__ = [
    "ADDIN_FILE_NAME",
    "EXTRA_COLUMNS",
    "GRID_COLUMNS",
    "NAMES",
    "OUTSIDE_CATALOGUE",
    "SHEETS",
    "TARGET_COLUMNS",
    "TEMPLATE_FILE_NAME",
]

# The add-in's file name. The button imports the module named like it (so it is fixed),
# and Excel saves each =TTHC_…() call of a workbook as a link to this file.
ADDIN_FILE_NAME = "tthc.xlam"
#: The workbook template's file name, in templates/ and as `tthc template` writes it.
TEMPLATE_FILE_NAME = "BaoCaoTTHC.xlsx"

# What the grid's helper column «Phòng chuyên môn» shows for a field the catalogue lacks;
# the worksheet functions recognise it.
OUTSIDE_CATALOGUE = "(ngoài danh mục)"

SHEETS = {
    "info": "Thông tin",
    "grid": "Phụ lục",
    "extras": "Chỉ tiêu",
    "catalogue": "Danh mục",
    "summary": "Tổng hợp",
    "narrative": "Báo cáo",
}

# Defined name -> what it holds (for developers and outside tools; single cells unless stated).
NAMES: dict[str, str] = {
    "TTHC_UNIT_KIND": "unit kind: xã, phường or đặc khu",
    "TTHC_UNIT_NAME": "unit name, e.g. Bình Giang",
    "TTHC_PARENT_BODY": "parent body, e.g. UBND xã Bình Giang (blank: derived)",
    "TTHC_ISSUING_BODY": "issuing body, full name (blank: derived)",
    "TTHC_ISSUING_BODY_SHORT": "issuing body as printed in the header block",
    "TTHC_PLACE": "place name of the date line (blank: the unit name)",
    "TTHC_PERIOD_START": "first day of the period (a date)",
    "TTHC_PERIOD_END": "last day of the period (a date)",
    "TTHC_PERIOD_LABEL": (
        "the period as the report names it («tháng 3 năm 2026»), a formula on the two dates"
    ),
    "TTHC_DOC_NUMBER": "report number (blank until registered)",
    "TTHC_DOC_SYMBOL": "report symbol, e.g. BC-TTPVHCC",
    "TTHC_DOC_DATE": "report date (blank: the day after the period)",
    "TTHC_SIGNER_AUTHORITY": "signing authority line, e.g. KT. GIÁM ĐỐC",
    "TTHC_SIGNER_TITLE": "signer's title, e.g. PHÓ GIÁM ĐỐC",
    "TTHC_SIGNER_NAME": "signer's name",
    "TTHC_SETTINGS": "4 cells: convention, strict 2.1 (Có/Không), zero padding, rounding",
    "TTHC_CONVENTION": "the convention cell (first cell of TTHC_SETTINGS)",
    "TTHC_TARGETS": "targets table: code, title, comparison (≥ = ≤ or blank), percent",
    "TTHC_RECIPIENTS": "recipients (nơi nhận), one per cell",
    "TTHC_SHORTCOMINGS": "section 3 paragraphs, one per cell",
    "TTHC_GRID": "field rows of the appendix: column (2) field, (3)…(16), department",
    "TTHC_GRID_TOTAL": "the Tổng cộng row: (2) label, (3)…(16)",
    "TTHC_GRID_CHECK": "per-row check column (✓, blank, or what is broken)",
    "TTHC_EXTRAS": "inputs of 1.2–1.6: one row per department, then the unit row",
    "TTHC_CATALOGUE": "catalogue: field, department",
    "TTHC_CATALOGUE_FIELDS": "catalogue field column",
    "TTHC_CATALOGUE_DEPARTMENTS": "catalogue department column",
    "TTHC_SUMMARY": (
        "summary: code, title, scope, numerator, denominator, rate, target, verdict, "
        "text as in the report"
    ),
    "TTHC_CHART_DATA": (
        "the chart's data: rates 1.1–1.6 by scope and the target, #N/A where a rate is "
        "missing or did not arise (a chart leaves #N/A out); hidden columns, the printed "
        "table beside shows «–»"
    ),
    "TTHC_NARRATIVE": "first cell of the narrative sheet",
}

# TTHC_GRID: column (2) field, (3)…(16), then the department (looked up in Danh mục).
GRID_COLUMNS: tuple[str, ...] = ("field", *(str(n) for n in range(3, 17)), "department")

# TTHC_EXTRAS: department name, then inputs and the denominators computed by formulas.
EXTRA_COLUMNS: tuple[str, ...] = (
    "department",
    "with_fee",
    "paid_online",
    "denominator_1_3",
    "updated",
    "denominator_1_4",
    "digitised",
    "denominator_1_5",
    "reused",
    "feedback_received",
    "feedback_handled",
)

# TTHC_TARGETS: one row per indicator code.
TARGET_COLUMNS: tuple[str, ...] = ("code", "title", "comparison", "percent")
