"""Named blocks of a workbook, whatever engine reads them.

The reader needs, for each defined name, the cells it covers: their address,
what they show, and whether they hold a formula. openpyxl (the CLI) and
xlwings (the Excel button) answer that differently; each gives `Block`s here
so one reader serves both, and the macro reads every block with one call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.findings import Finding, Location, Severity

__all__ = [
    "UNKNOWN",
    "Area",
    "Block",
    "BlockSource",
    "Cell",
    "OpenpyxlSource",
    "stored_values",
]

UNKNOWN = object()  # the engine cannot tell whether the cell holds a formula


class Cell(NamedTuple):
    """One cell of a block. A named tuple: a province reads thousands of workbooks of
    hundreds of cells each, and tuples are several times cheaper to make than dataclasses."""

    coordinate: str  # "C8"
    value: object  # what was typed, or the formula's last computed value (None if unknown)
    formula: object = None  # the formula text, None for a constant, UNKNOWN if not known
    # The merged range hiding this cell ("D8:E8"), when it is not that range's top-left
    # cell: Excel shows the top-left value across the range and keeps nothing of its own
    # here. None when the cell is not hidden, or the engine cannot tell.
    merged: str | None = None

    @property
    def row(self) -> int:
        return int("".join(ch for ch in self.coordinate if ch.isdigit()))

    @property
    def is_formula(self) -> bool:
        return isinstance(self.formula, str)

    @property
    def typed_over(self) -> bool:
        """A constant where the template has a formula (only when the engine can tell)."""
        return self.formula is None


@dataclass(frozen=True)
class Block:
    sheet: str
    rows: list[list[Cell]]

    @property
    def first(self) -> Cell:
        return self.rows[0][0]


class Area(NamedTuple):
    """Where a defined name points: its sheet and corners, 1-based."""

    sheet: str
    first_column: int
    first_row: int
    last_column: int
    last_row: int

    def holds(self, column: int, row: int) -> bool:
        return (
            self.first_column <= column <= self.last_column
            and self.first_row <= row <= self.last_row
        )


def coordinate(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


@dataclass
class BlockSource:
    """Base of the engines: what names exist, each name's block, broken names as findings."""

    findings: list[Finding] = field(default_factory=list)

    def names(self) -> set[str]:
        raise NotImplementedError

    def block(self, name: str) -> Block | None:
        raise NotImplementedError

    def area(self, name: str) -> Area | None:
        """Where a name points, without reading its cells; None if broken or unknown.

        Engines that cannot tell answer None, and the cells outside the names are
        then not looked for.
        """
        return None

    def sheet_cells(self, title: str) -> dict[str, object] | None:
        """Every cell of a sheet that shows something (a formula: its last result).

        None when the engine cannot list them; empty text counts as nothing.
        """
        return None

    def sheet_titles(self) -> set[str] | None:
        """The workbook's sheet names, to suggest which sheet was renamed; None if unknown.

        Engines that know them keep them in `sheet_names` (the calamine source does).
        """
        titles = getattr(self, "sheet_names", None)
        return set(titles) if titles is not None else None

    def broken(self, name: str, what: str) -> None:
        """Record a defined name that leads nowhere; the reader adds where it should lead.

        Staff cannot guess that a "name" is involved: the message says what usually
        breaks one (a sheet deleted or renamed by a program that does not update
        names, rows or columns deleted) and how to mend it without retyping.
        """
        self.findings.append(
            Finding(
                Severity.ERROR,
                "workbook.name_broken",
                f"Tên định danh {name} {what}, nên chương trình không biết đọc số liệu ở đâu "
                "(thường do trang bị xóa hoặc đổi tên, hoặc dòng, cột chứa vùng này bị xóa). "
                f"Hãy mở Công thức › Quản lý tên (Formulas › Name Manager) cho {name} trỏ lại "
                "đúng vùng như trong mẫu, hoặc nhập lại số liệu vào mẫu BaoCaoTTHC.xlsx.",
                Location(key=name),
            )
        )


class OpenpyxlSource(BlockSource):
    """A saved .xlsx opened twice: the formulas as written and the values last cached."""

    def __init__(self, formulas: Workbook, cached: Workbook) -> None:
        super().__init__()
        self.formulas = formulas
        self.cached = cached

    @classmethod
    def open(cls, path: Path) -> OpenpyxlSource:
        return cls(load_workbook(path, data_only=False), load_workbook(path, data_only=True))

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
        try:
            first_column, first_row, last_column, last_row = range_boundaries(ref.replace("$", ""))
        except (ValueError, TypeError):
            return None
        if None in (first_column, first_row, last_column, last_row):
            return None  # a whole column or row: no spreadsheet template names one
        return Area(title, first_column, first_row, last_column, last_row)  # type: ignore[arg-type]

    def sheet_cells(self, title: str) -> dict[str, object] | None:
        if title not in self.cached.sheetnames:
            return None
        return {
            cell.coordinate: cell.value
            for row in self.cached[title].iter_rows()
            for cell in row
            if cell.value is not None and cell.value != ""
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
                    out.append(Cell(cell.coordinate, cached[cell.coordinate].value, written))
                else:
                    out.append(Cell(cell.coordinate, written, None))
            rows.append(out)
        return Block(title, rows)


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
