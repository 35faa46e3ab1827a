"""Named blocks of a workbook, whatever engine reads them.

The reader needs, for each defined name, the cells it covers: their address,
what they show, and whether they hold a formula. openpyxl
(`openpyxl_source`), calamine (`calamine_source`) and xlwings (the Excel button)
answer that differently; each gives `Block`s here so one reader serves them all.
This module imports no engine, so the fast reader does not load openpyxl.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from tthc.core.findings import Finding, Location, Severity
from tthc.infra.xlsx_parts import column_letters

__all__ = [
    "UNKNOWN",
    "Area",
    "Block",
    "BlockSource",
    "Cell",
    "coordinate",
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
    """(8, 2) -> 'B8'."""
    return f"{column_letters(column)}{row}"


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
