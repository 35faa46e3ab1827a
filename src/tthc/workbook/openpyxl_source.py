"""The block source of a saved .xlsx opened with openpyxl: the CLI's reader.

Opened twice, as openpyxl must: once for the formulas as written, once for the
values the spreadsheet program last cached. The second pass is read-only (no cell
objects, styles or merged ranges bound: about a third of a full load), the values
kept by coordinate.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from tthc.infra.xlsx_parts import area_bounds
from tthc.workbook.blocks import Area, Block, BlockSource, Cell

__all__ = ["OpenpyxlSource", "cached_values", "stored_values"]


class OpenpyxlSource(BlockSource):
    """A saved .xlsx opened twice: the formulas as written and the values last cached."""

    def __init__(self, formulas: Workbook, cached: dict[str, dict[str, object]]) -> None:
        super().__init__()
        self.formulas = formulas
        self.cached = cached  # sheet title -> coordinate -> the value last cached

    @classmethod
    def open(cls, path: Path) -> OpenpyxlSource:
        return cls(load_workbook(path, data_only=False), cached_values(path))

    def names(self) -> set[str]:
        return set(self.formulas.defined_names)

    def sheet_titles(self) -> set[str] | None:
        return set(self.formulas.sheetnames)

    def _destination(self, name: str) -> tuple[str, str] | str | None:
        """A name's sheet and range, or what is wrong with it (for `broken`); None if absent."""
        defined = self.formulas.defined_names.get(name)
        if defined is None:
            return None
        if "#REF!" in (defined.attr_text or ""):
            # What Excel writes when the cells or sheet a name covered are deleted:
            # "#REF!", "'Phụ lục'!#REF!" or "#REF!$B$50:$P$50".
            return "trỏ tới vùng ô đã bị xóa (#REF!)"
        destinations = list(defined.destinations)
        if len(destinations) != 1:
            return "không trỏ tới đúng một vùng ô"
        title, ref = destinations[0]
        if title not in self.formulas.sheetnames:
            return f"trỏ tới trang «{title}» không còn trong sổ tính"
        return title, ref

    def area(self, name: str) -> Area | None:
        destination = self._destination(name)
        if not isinstance(destination, tuple):
            return None
        title, ref = destination
        bounds = area_bounds(ref)  # None for a whole row or column: no template names one
        return None if bounds is None else Area(title, *bounds)

    def sheet_cells(self, title: str) -> dict[str, object] | None:
        if title not in self.cached:
            return None
        return {
            coordinate: value
            for coordinate, value in self.cached[title].items()
            if value is not None and value != ""
        }

    def block(self, name: str) -> Block | None:
        destination = self._destination(name)
        if not isinstance(destination, tuple):
            if destination is not None:
                self.broken(name, destination)
            return None
        title, ref = destination
        sheet, cached = self.formulas[title], self.cached[title]
        try:
            cells = sheet[ref.replace("$", "")]
        except (ValueError, IndexError):  # openpyxl raises either for a malformed range
            self.broken(name, f"trỏ tới vùng «{ref}» không hợp lệ")
            return None
        if not isinstance(cells, tuple):
            cells = ((cells,),)
        elif cells and not isinstance(cells[0], tuple):
            cells = (cells,)
        rows = []
        for row in cells:
            out = []
            for cell in row:
                if isinstance(cell, MergedCell):
                    out.append(Cell(cell.coordinate, None, None, _merged_range(sheet, cell)))
                    continue
                written = cell.value
                # By the cell's type, not its text: a name typed as text "=…" is text.
                if cell.data_type == "f":
                    out.append(Cell(cell.coordinate, cached.get(cell.coordinate), written))
                else:
                    out.append(Cell(cell.coordinate, written, None))
            rows.append(out)
        return Block(title, rows)


def cached_values(path: Path) -> dict[str, dict[str, object]]:
    """Each sheet's cached values by coordinate, from one read-only pass.

    The sheets' `<dimension>` is not trusted (other programs write it wrong, and a
    read-only sheet stops there), so every row the part holds is read.
    """
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        found: dict[str, dict[str, object]] = {}
        for sheet in workbook.worksheets:
            values = found.setdefault(sheet.title, {})
            if not isinstance(sheet, ReadOnlyWorksheet):  # a chartsheet holds no cells
                continue
            sheet.reset_dimensions()
            for row_number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                for column_number, value in enumerate(row, start=1):
                    if value is not None:
                        values[f"{get_column_letter(column_number)}{row_number}"] = value
        return found
    finally:
        workbook.close()


def _merged_range(sheet: Worksheet, cell: MergedCell) -> str:
    """The merged range that hides `cell` ("D8:E8"); only called for hidden cells."""
    for merged in sheet.merged_cells.ranges:
        if cell.coordinate in merged:
            return merged.coord
    return cell.coordinate  # openpyxl made it a MergedCell, so a range holds it


def stored_values(workbook: Workbook, name: str) -> list[list[object]]:
    """A defined name's cells as openpyxl holds them (formulas as their text)."""
    ((title, ref),) = list(workbook.defined_names[name].destinations)
    cells = workbook[title][ref.replace("$", "")]
    if not isinstance(cells, tuple):
        return [[cells.value]]
    if cells and not isinstance(cells[0], tuple):
        cells = (cells,)
    return [[cell.value for cell in row] for row in cells]
