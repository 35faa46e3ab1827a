"""Cell styles of the workbook: one look for inputs, headers and computed cells.

Input cells are tinted and unlocked, everything else stays locked under sheet
protection without a password, so staff see at a glance where to type and can
still lift the protection when they need to.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import copy
from typing import Any, Literal
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

# A cell as `Worksheet.cell()` hands it out: the stubs cannot tell that the cells
# we style are never the covered part of a merged range.
AnyCell = Cell | MergedCell
# What the tool writes into a cell.
CellValue = str | int | float | None

__all__ = [
    "COMPUTED_FILL",
    "FONT_NAME",
    "INPUT_FILL",
    "AnyCell",
    "CellValue",
    "area_ref",
    "merge",
    "print_setup",
    "set_text",
    "style_computed",
    "style_header",
    "style_input",
    "style_label",
    "style_paragraph",
    "style_title",
]

FONT_NAME = "Times New Roman"
INPUT_FILL = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
HEADER_FILL = PatternFill("solid", start_color="D9E1F2", end_color="D9E1F2")
COMPUTED_FILL = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def set_text(cell: AnyCell, value: str) -> None:
    """Write text that must stay text, whatever it starts with (openpyxl workbooks).

    openpyxl stores a str starting with "=" as a formula and one such as "#N/A"
    as an error value. A unit name, a field, a "Tồn tại, hạn chế" paragraph or a
    target "= 100%" is text someone wrote: a formula there would run in the
    reader's spreadsheet (formula injection) or show "#NAME?". Forcing the string
    type writes an inline string holding the literal text, which no spreadsheet
    program evaluates; "+…", "-…" and "@…" are safe that way too.
    """
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


# Per workbook, (look, the cell's style before) -> the style indices after: openpyxl
# hashes every Font, Fill, Border and Alignment into the workbook's lists on each
# assignment (≈0,1 ms an attribute, 7.800 of them per workbook), so the first cell of
# a look pays for that and the others copy its indices, as openpyxl's own sheet copy does.
_LOOKS: WeakKeyDictionary[Workbook, dict[tuple[object, ...], StyleArray]] = WeakKeyDictionary()


def _give_look(cell: AnyCell, look: tuple[object, ...], apply: Callable[[AnyCell], None]) -> None:
    """Style `cell` as `apply` would, reusing the result for every cell of the same look."""
    workbook = cell.parent.parent
    if not isinstance(workbook, Workbook):  # a cell of no workbook: nothing to share
        apply(cell)
        return
    styled: Any = cell  # `_style` (None until first styled) is not in the stubs
    before: StyleArray | None = styled._style
    key = (*look, tuple(before) if before is not None else ())
    known = _LOOKS.setdefault(workbook, {})
    after = known.get(key)
    if after is None:
        apply(cell)
        known[key] = copy(styled._style)
    else:
        styled._style = copy(after)


def area_ref(first_row: int, first_column: int, last_row: int, last_column: int) -> str:
    """ "B9:B16" for rows 9–16 of column 2."""
    return (
        f"{get_column_letter(first_column)}{first_row}:{get_column_letter(last_column)}{last_row}"
    )


def merge(sheet: Worksheet, ref: str) -> None:
    """`sheet.merge_cells(ref)`, with the same cells, borders and protection as a result.

    openpyxl's own merge gives every cell of the range the top-left cell's protection and
    each edge cell its border side, one style assignment (and hash) per cell; here a
    cell's look is taken from the look cache, keyed by the sides it gets, so a 40-row
    merge costs what a one-row merge does.
    """
    merged = MergedCellRange(sheet, ref)  # the top-left cell takes the bottom-right's sides
    sheet.merged_cells.add(merged)
    start: Any = merged.start_cell  # `_style` is not in the stubs
    border, protection = start.border, start.protection
    look = tuple(start._style) if start._style is not None else ()
    sides = {
        name: getattr(border, name)
        for name in ("top", "left", "right", "bottom")
        if getattr(border, name).style is not None
    }
    edges = {name: set(getattr(merged, name)) for name in sides}
    cells: Any = sheet  # `_cells` (the sheet's cell store) is not in the stubs
    for row, column in merged.cells:
        if (row, column) == (merged.min_row, merged.min_col):
            continue
        cell = MergedCell(sheet, row=row, column=column)
        cells._cells[row, column] = cell
        own = tuple(name for name in sides if (row, column) in edges[name])

        def apply(target: AnyCell, own: tuple[str, ...] = own) -> None:
            for name in own:
                current: Any = target.border  # a StyleProxy; its sum is a Border
                target.border = current + Border(**{name: sides[name]})
            target.protection = copy(protection)

        _give_look(cell, ("merged", own, look), apply)


def style_input(cell: AnyCell, *, number_format: str | None = None, wrap: bool = False) -> None:
    def apply(target: AnyCell) -> None:
        target.fill = INPUT_FILL
        target.protection = Protection(locked=False)
        target.border = BORDER
        target.font = Font(name=FONT_NAME, size=11)
        target.alignment = Alignment(vertical="center", wrap_text=wrap)
        if number_format:
            target.number_format = number_format

    _give_look(cell, ("input", number_format, wrap), apply)


def style_computed(cell: AnyCell, *, number_format: str | None = None, bold: bool = False) -> None:
    def apply(target: AnyCell) -> None:
        target.fill = COMPUTED_FILL
        target.border = BORDER
        target.font = Font(name=FONT_NAME, size=11, bold=bold)
        target.alignment = Alignment(vertical="center")
        if number_format:
            target.number_format = number_format

    _give_look(cell, ("computed", number_format, bold), apply)


def style_header(cell: AnyCell) -> None:
    def apply(target: AnyCell) -> None:
        target.fill = HEADER_FILL
        target.border = BORDER
        target.font = Font(name=FONT_NAME, size=11, bold=True)
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    _give_look(cell, ("header",), apply)


def style_label(cell: AnyCell, *, bold: bool = False, wrap: bool = True) -> None:
    def apply(target: AnyCell) -> None:
        target.font = Font(name=FONT_NAME, size=11, bold=bold)
        target.alignment = Alignment(vertical="center", wrap_text=wrap)

    _give_look(cell, ("label", bold, wrap), apply)


def style_title(cell: AnyCell, *, size: int = 13, italic: bool = False) -> None:
    def apply(target: AnyCell) -> None:
        target.font = Font(name=FONT_NAME, size=size, bold=not italic, italic=italic)
        target.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    _give_look(cell, ("title", size, italic), apply)


def style_paragraph(cell: AnyCell, *, size: int = 13) -> None:
    """A row of report text: wrapped at the top, stored as text ("- Văn phòng …" stays text)."""

    def apply(target: AnyCell) -> None:
        target.font = Font(name=FONT_NAME, size=size)
        target.alignment = Alignment(vertical="top", wrap_text=True)
        target.number_format = "@"

    _give_look(cell, ("paragraph", size), apply)


def print_setup(
    sheet: Worksheet,
    orientation: Literal["portrait", "landscape"],
    *,
    title_rows: str | None = None,
    area: str | None = None,
    plain: bool = False,
) -> None:
    """A4, one page wide, as many pages tall as needed; `title_rows` repeat on every page.

    Margins of 12,7 mm a side (1,5 cm top and bottom) leave the sheets' widths room to
    print at their own size: each sheet's columns are sized for that page. `area` is
    the print area, which leaves helper columns off the paper. `plain` prints without
    the cells' fill colours (the yellow of entry cells is for the screen).
    """
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # also on a write-only sheet
    sheet.page_setup.orientation = orientation
    sheet.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    if area is not None:
        sheet.print_area = area
    if plain:
        sheet.page_setup.blackAndWhite = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows is not None:
        sheet.print_title_rows = title_rows
