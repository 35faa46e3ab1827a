"""The look cache and the cached merge give cells exactly the styles openpyxl would.

`style._give_look` copies style indices from the first cell of a look, and
`style.merge` replays what `Worksheet.merge_cells` does to a range's cells; both
lean on openpyxl's internals, so a change there must show here, cell by cell.
"""

from __future__ import annotations

from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from tthc.workbook.style import BORDER, merge, style_computed, style_header, style_input

_THICK = Side(style="medium", color="000000")


def _look(cell: Any) -> tuple[object, ...]:
    """The cell's style as plain objects (openpyxl's proxies do not compare by value)."""
    parts = ("font", "fill", "border", "alignment", "protection")
    return (*(copy(getattr(cell, name)) for name in parts), cell.number_format)


def _plain_styles(workbook: Workbook) -> None:
    """The same looks as the style functions give, assigned the way openpyxl documents."""
    sheet = workbook.active
    assert sheet is not None
    for row in range(1, 6):
        cell = sheet.cell(row, 1)
        cell.fill = PatternFill("solid", start_color="FFF2CC", end_color="FFF2CC")
        cell.protection = Protection(locked=False)
        cell.border = BORDER
        cell.font = Font(name="Times New Roman", size=11)
        cell.alignment = Alignment(vertical="center", wrap_text=False)
        cell.number_format = "#,##0"


def test_a_cached_look_equals_the_assigned_one() -> None:
    cached, plain = Workbook(), Workbook()
    sheet = cached.active
    assert sheet is not None
    for row in range(1, 6):
        style_input(sheet.cell(row, 1), number_format="#,##0")
    _plain_styles(plain)
    other = plain.active
    assert other is not None
    for row in range(1, 6):
        assert _look(sheet.cell(row, 1)) == _look(other.cell(row, 1))
    # A look applied over another style starts from that style, not from the cached one.
    sheet["B1"].number_format = "0.00%"
    style_computed(sheet["B1"])
    style_computed(sheet["B2"])
    assert sheet["B1"].number_format == "0.00%"
    assert sheet["B2"].number_format == "General"


def test_merge_gives_every_cell_what_merge_cells_gives() -> None:
    ranges = ("B2:E6", "G2:G9", "A10:C10", "E12:F13")
    ours, theirs = Workbook(), Workbook()
    for workbook, merging in ((ours, "tthc"), (theirs, "openpyxl")):
        sheet = workbook.active
        assert sheet is not None
        for index, ref in enumerate(ranges):
            start = sheet[ref.split(":")[0]]
            (style_input if index % 2 else style_header)(start)  # unlocked, or locked
            end = sheet[ref.split(":")[1]]
            end.border = Border(right=_THICK, bottom=_THICK)  # merge takes these sides too
            if merging == "tthc":
                merge(sheet, ref)
            else:
                sheet.merge_cells(ref)
    mine, reference = ours.active, theirs.active
    assert mine is not None and reference is not None
    assert sorted(str(r) for r in mine.merged_cells.ranges) == sorted(ranges)
    for row in range(1, 15):
        for column in range(1, 9):
            a, b = mine.cell(row, column), reference.cell(row, column)
            assert type(a) is type(b), (row, column)
            assert _look(a) == _look(b), (row, column)
