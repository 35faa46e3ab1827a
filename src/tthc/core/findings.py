"""Validation findings: what is wrong, how badly, and where the user must look.

A finding is plain data so the CLI can print it, the workbook can list it in a
cell and a test can compare it. Its location starts as a field and a column of
the grid (or a key of the data file); readers that know cells (the workbook)
fill in the sheet and the cell, so the message names the place staff typed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

__all__ = ["Finding", "Location", "Severity", "has_errors"]


class Severity(StrEnum):
    """'lỗi' blocks the report; 'cảnh báo' is shown but does not."""

    ERROR = "lỗi"
    WARNING = "cảnh báo"


@dataclass(frozen=True)
class Location:
    """Where a finding points: grid coordinates, a data-file key, and/or a cell."""

    field: str | None = None  # a field (lĩnh vực) of the grid, or "Tổng cộng"
    column: int | None = None  # a column number (1)…(16) of the grid
    key: str | None = None  # a dotted key of the data file, e.g. "unit.name"
    department: str | None = None  # a department, for the extra inputs
    sheet: str | None = None
    cell: str | None = None

    def describe(self) -> str:
        """The place in words, e.g. 'trang «Phụ lục», ô D7 (lĩnh vực «Đất đai», cột (3))'."""
        grid: list[str] = []
        if self.field is not None:
            grid.append(
                "dòng «Tổng cộng»" if self.field == "Tổng cộng" else f"lĩnh vực «{self.field}»"
            )
        if self.department is not None:
            grid.append(f"«{self.department}»")
        if self.column is not None:
            grid.append(f"cột ({self.column})")
        if self.key is not None and self.sheet is None:
            grid.append(f"mục «{self.key}»")
        grid_text = ", ".join(grid)
        if self.sheet is not None:
            cell = f"trang «{self.sheet}»" + (f", ô {self.cell}" if self.cell else "")
            return f"{cell} ({grid_text})" if grid_text else cell
        return grid_text


@dataclass(frozen=True)
class Finding:
    severity: Severity
    code: str  # stable identifier for tests and tooling, e.g. "identity.received"
    message: str  # plain Vietnamese sentence, ending with a full stop
    location: Location = Location()

    def at(self, **changes: Any) -> Finding:
        """The same finding with its location refined (sheet, cell, …)."""
        return replace(self, location=replace(self.location, **changes))

    def describe(self) -> str:
        """'Lỗi — lĩnh vực «Đất đai», cột (3): …' as printed to the user."""
        place = self.location.describe()
        head = self.severity.value.capitalize()
        return f"{head} — {place}: {self.message}" if place else f"{head}: {self.message}"


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
