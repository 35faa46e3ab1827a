"""What a consolidation of many units' workbooks found: the units, the files left out, sums.

Plain values, so the workflow that reads the files (`app.consolidate`) and the
workbook that shows them (`workbook.consolidation_sheets`) share them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from tthc.core.grid import Counts
from tthc.core.labels import MISSING_TEXT, NONE_AROSE_TEXT
from tthc.core.model import ExtraValues, FieldRow, Period
from tthc.core.vn_format import RateRounding

__all__ = ["KEY_INDICATORS", "Consolidation", "KeyIndicator", "SetAside", "UnitResult"]

KEY_INDICATORS: tuple[str, ...] = ("1.1", "1.3", "1.4", "2.1")


@dataclass(frozen=True)
class KeyIndicator:
    """One unit-wide indicator: numerator, denominator, exact rate, verdict against the target."""

    numerator: int | None
    denominator: int | None
    rate: Fraction | None  # None when an input is missing or nothing arose
    verdict: bool | None  # None without a target or a rate

    @property
    def text(self) -> str:
        """What a cell shows when there is no rate."""
        if self.denominator == 0:
            return NONE_AROSE_TEXT
        return MISSING_TEXT if self.rate is None else ""


@dataclass(frozen=True)
class UnitResult:
    """A unit taken into the consolidation."""

    path: Path
    unit: str  # full name: "xã Bình Giang"
    period: Period
    indicators: Mapping[str, KeyIndicator]  # "1.1", "1.3", "1.4", "2.1"
    late: int  # column (10): resolved after the deadline
    pending_overdue: int  # column (15): still pending, past the deadline
    errors: int
    warnings: int
    rate_rounding: RateRounding = RateRounding.TRUNCATE  # how the unit shows its rates


@dataclass(frozen=True)
class SetAside:
    """A file left out: unreadable, not the template, errors, other period, repeated unit."""

    path: Path
    reason: str  # one Vietnamese sentence
    details: tuple[str, ...] = ()  # the errors, as printed for a single report


@dataclass(frozen=True)
class Consolidation:
    units: tuple[UnitResult, ...]
    skipped: tuple[SetAside, ...]  # could not be used: unreadable, not ours, errors
    refused: tuple[SetAside, ...]  # usable but not taken: another period, a repeated unit
    rows: tuple[FieldRow, ...]  # per field, summed over the units, first-appearance order
    extras: ExtraValues  # summed where every unit has the value, else None
    period: Period | None  # the period of the consolidation (None without units)
    not_read: tuple[SetAside, ...] = ()  # entries not read: an .xls, a subfolder, a lock file…
    hidden: tuple[SetAside, ...] = ()  # hidden and system files, counted apart

    @property
    def total(self) -> Counts:
        return Counts.total(row.counts for row in self.rows)

    @property
    def entries(self) -> int:
        """Every entry looked at; each is a unit, skipped, refused, not read or hidden."""
        parts = (self.units, self.skipped, self.refused, self.not_read, self.hidden)
        return sum(len(part) for part in parts)
