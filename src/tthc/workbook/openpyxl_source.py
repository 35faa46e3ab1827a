"""The block source of a saved .xlsx opened with openpyxl: the CLI's reader.

Opened twice, as openpyxl must: once for the formulas as written, once for the
values the spreadsheet program last cached. Both passes are read-only: openpyxl
then makes no cell objects, binds no style or merged range (a full load spends most
of its time there), and parses a sheet only when asked, so the Tổng hợp and Báo cáo
sheets, which the reader never needs, are never parsed. Merged ranges come from
the sheet's XML, as the fast reader takes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from openpyxl import load_workbook
from openpyxl.utils.cell import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from tthc.infra.xlsx_parts import area_bounds, hidden_by_merges, merged_ranges
from tthc.workbook.blocks import Area, Block, BlockSource, Cell

__all__ = ["OpenpyxlSource", "stored_values"]


class _Written(NamedTuple):
    """A cell as saved: its value, or its formula's text when `is_formula`."""

    value: object
    is_formula: bool


class _Sheet(NamedTuple):
    written: dict[str, _Written]  # coordinate -> what the file holds there
    cached: dict[str, object]  # coordinate -> the value last cached (formulas: their result)
    merges: tuple[tuple[int, int, int, int, str], ...]  # (left, top, right, bottom, "D8:E8")


class OpenpyxlSource(BlockSource):
    """A saved .xlsx opened read-only twice: the formulas as written and the values cached."""

    def __init__(self, formulas: Workbook, cached: Workbook) -> None:
        super().__init__()
        self.formulas = formulas
        self.cached = cached
        self._sheets: dict[str, _Sheet | None] = {}

    @classmethod
    def open(cls, path: Path) -> OpenpyxlSource:
        formulas = load_workbook(path, read_only=True, data_only=False)
        try:
            return cls(formulas, load_workbook(path, read_only=True, data_only=True))
        except BaseException:
            formulas.close()
            raise

    def close(self) -> None:
        """Release the file (a read-only workbook keeps its archive open)."""
        self.formulas.close()
        self.cached.close()

    def names(self) -> set[str]:
        return set(self.formulas.defined_names)

    def sheet_titles(self) -> set[str] | None:
        return set(self.formulas.sheetnames)

    def _sheet(self, title: str) -> _Sheet | None:
        """One sheet's cells, parsed on first use; None for a chartsheet or no such sheet."""
        if title not in self._sheets:
            self._sheets[title] = self._parse(title)
        return self._sheets[title]

    def _parse(self, title: str) -> _Sheet | None:
        if title not in self.formulas.sheetnames:
            return None
        sheet, stored = self.formulas[title], self.cached[title]
        if not isinstance(sheet, ReadOnlyWorksheet) or not isinstance(stored, ReadOnlyWorksheet):
            return None
        # A sheet's <dimension> is not trusted: other programs write it wrong, and a
        # read-only sheet would stop there.
        sheet.reset_dimensions()
        stored.reset_dimensions()
        written = {
            cell.coordinate: _Written(cell.value, cell.data_type == "f")
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        }
        cached: dict[str, object] = {
            f"{get_column_letter(column)}{row_number}": value
            for row_number, row in enumerate(stored.iter_rows(values_only=True), start=1)
            for column, value in enumerate(row, start=1)
            if value is not None
        }
        return _Sheet(written, cached, merged_ranges(self._part(sheet)))

    def _part(self, sheet: ReadOnlyWorksheet) -> bytes:
        """The sheet's XML (size-capped by the package guard before openpyxl saw it).

        openpyxl's read-only objects keep their archive and part path in attributes its
        stubs do not declare.
        """
        workbook: Any = self.formulas
        part: Any = sheet
        data: bytes = workbook._archive.read(part._worksheet_path)
        return data

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
        sheet = self._sheet(title)
        if sheet is None:
            return None
        return {
            coordinate: value
            for coordinate, value in sheet.cached.items()
            if value is not None and value != ""
        }

    def block(self, name: str) -> Block | None:
        destination = self._destination(name)
        if not isinstance(destination, tuple):
            if destination is not None:
                self.broken(name, destination)
            return None
        title, ref = destination
        bounds = area_bounds(ref)
        sheet = self._sheet(title)
        if bounds is None or sheet is None:
            self.broken(name, f"trỏ tới vùng «{ref}» không hợp lệ")
            return None
        first_col, first_row, last_col, last_row = bounds
        hidden = {
            f"{get_column_letter(column)}{row}": text
            for row, column, text in hidden_by_merges(sheet.merges, bounds)
        }
        letters = [get_column_letter(column) for column in range(first_col, last_col + 1)]
        rows = []
        for row in range(first_row, last_row + 1):
            out = []
            for letter in letters:
                coordinate = f"{letter}{row}"
                merge = hidden.get(coordinate)
                written = sheet.written.get(coordinate)
                if merge is not None:
                    out.append(Cell(coordinate, None, None, merge))
                elif written is None:
                    out.append(Cell(coordinate, None, None))
                elif written.is_formula:
                    # By the cell's type, not its text: a name typed as text "=…" is text.
                    out.append(Cell(coordinate, sheet.cached.get(coordinate), written.value))
                else:
                    out.append(Cell(coordinate, written.value, None))
            rows.append(out)
        return Block(title, rows)


def stored_values(workbook: Workbook, name: str) -> list[list[object]]:
    """A defined name's cells as openpyxl holds them (formulas as their text)."""
    ((title, ref),) = list(workbook.defined_names[name].destinations)
    cells = workbook[title][ref.replace("$", "")]
    if not isinstance(cells, tuple):
        return [[cells.value]]
    if cells and not isinstance(cells[0], tuple):
        cells = (cells,)
    return [[cell.value for cell in row] for row in cells]
