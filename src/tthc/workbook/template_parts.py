"""Shared pieces of the template's sheets: sizes, formats, names, validation, headings."""

from __future__ import annotations

from typing import Literal

from openpyxl import Workbook
from openpyxl.utils import quote_sheetname
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from tthc.workbook.layout import TEMPLATE_FILE_NAME
from tthc.workbook.style import (
    merge,
    style_label,
    style_title,
)

__all__ = [
    "CATALOGUE_SPARE_ROWS",
    "CHECK_OK",
    "COUNT_FORMAT",
    "DATE_FORMAT",
    "GRID_FIRST_ROW",
    "RATE_FORMAT",
    "RECIPIENT_ROWS",
    "SHORTCOMING_ROWS",
    "SPARE_ROWS",
    "TEMPLATE_FILE_NAME",
    "define",
    "heading",
    "protect",
    "validation",
]

GRID_FIRST_ROW = 8
SPARE_ROWS = 10
RECIPIENT_ROWS = 10
SHORTCOMING_ROWS = 10
CATALOGUE_SPARE_ROWS = 14  # with the 32 usual fields: one A4 page
COUNT_FORMAT = "#,##0"
RATE_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"
CHECK_OK = "✓"


def define(workbook: Workbook, name: str, sheet: Worksheet, ref: str) -> None:
    """A workbook-scope defined name for an absolute range of one sheet."""
    target = f"{quote_sheetname(sheet.title)}!{absolute_coordinate(ref)}"
    workbook.defined_names[name] = DefinedName(name, attr_text=target)


def validation(
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


def heading(sheet: Worksheet, title: str, note: str, last_column: str) -> None:
    """The sheet's title in row 1 and a one-line instruction in row 2."""
    sheet["A1"] = title
    style_title(sheet["A1"])
    merge(sheet, f"A1:{last_column}1")
    sheet["A2"] = note
    style_label(sheet["A2"])
    merge(sheet, f"A2:{last_column}2")
    sheet.row_dimensions[2].height = 32


def protect(sheet: Worksheet) -> None:
    """Protection without a password: staff can lift it from the Review tab."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False


# --- Thông tin --------------------------------------------------------------------
