"""The indicators of sections 1.1–1.6 and 2.1–2.2, for the unit and each department.

Formulas are those of the report form and of Quyết định 766/QĐ-TTg (the two conventions). A result
keeps its numerator and denominator (the text always shows them so a reader
can check), and its verdict compares exact fractions with the target.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from tthc.core.grid import Counts
from tthc.core.model import (
    EXTRA_INPUTS,
    INDICATOR_CODES,
    Convention,
    ExtraValues,
    ReportInput,
    Settings,
    Target,
)

__all__ = [
    "IndicatorResult",
    "IndicatorSet",
    "Outcome",
    "compute_indicators",
    "department_counts",
    "indicator_parts",
    "unit_extras",
]


class Outcome(StrEnum):
    RATE = "rate"  # a rate can be given
    MISSING = "missing"  # an input is missing: "chưa có số liệu"
    NONE_AROSE = "none_arose"  # zero denominator: nothing arose in the period


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    department: str | None  # None for the whole unit
    numerator: int | None
    denominator: int | None
    target: Target | None

    @property
    def outcome(self) -> Outcome:
        if self.denominator == 0:
            return Outcome.NONE_AROSE
        return Outcome.MISSING if self.parts is None else Outcome.RATE

    @property
    def parts(self) -> tuple[int, int] | None:
        """(numerator, denominator) when there is a rate (outcome RATE), else None."""
        if self.numerator is None or self.denominator is None or self.denominator == 0:
            return None
        return self.numerator, self.denominator

    def rate_parts(self) -> tuple[int, int]:
        """(numerator, denominator) of a result the caller knows is a RATE."""
        parts = self.parts
        if parts is None:
            raise ValueError(f"indicator {self.code} has no rate ({self.outcome})")
        return parts

    @property
    def rate(self) -> Fraction | None:
        """The exact rate as a fraction in [0, 1], or None when there is none."""
        parts = self.parts
        return None if parts is None else Fraction(*parts)

    @property
    def verdict(self) -> bool | None:
        """True/False against the target; None without a target or a rate."""
        parts = self.parts
        if self.target is None or parts is None:
            return None
        return self.target.is_met(*parts)


def indicator_parts(
    code: str, counts: Counts, extras: ExtraValues, settings: Settings
) -> tuple[int | None, int | None]:
    """(numerator, denominator) of one indicator for one scope; None = input missing.

    Pure and cheap: the worksheet functions call it once per cell.
    """
    mau = settings.convention is Convention.MAU
    in_period = counts.received_in_period
    if code == "1.1":
        if mau:
            return counts.received - counts.direct, counts.received
        return counts.online, in_period
    if code == "1.2":
        return extras.paid_online, extras.with_fee
    if code == "1.3":
        return extras.updated, counts.received if mau else in_period
    if code == "1.4":
        return extras.digitised, counts.resolved_with_result if mau else in_period
    if code == "1.5":
        return extras.reused, in_period
    if code == "1.6":
        return extras.feedback_handled, extras.feedback_received
    if code == "2.1":
        if not mau:
            within = counts.pending_in_time + counts.pending_supplement
            return counts.resolved - counts.late + within, counts.resolved + counts.pending
        if settings.strict_on_time:
            return counts.early + counts.on_time, counts.resolved
        return counts.resolved - counts.late, counts.resolved
    if code == "2.2":
        return counts.late, counts.resolved
    raise ValueError(f"unknown indicator {code!r}")


def department_counts(report: ReportInput) -> Mapping[str, Counts]:
    """Counts summed per department, in catalogue order; unknown fields are left out."""
    return report.department_totals


def _active_departments(report: ReportInput) -> list[str]:
    """Departments that received dossiers or have extra inputs: the ones the text names."""
    counts = department_counts(report)
    return [
        name
        for name in report.catalogue.department_names
        if not counts[name].is_empty() or not report.extras.for_department(name).is_empty()
    ]


def unit_extras(report: ReportInput) -> ExtraValues:
    """Unit-wide extra inputs: typed unit-wide, else the sum over the departments.

    A sum is used only when every department the report names gave the value;
    otherwise the value is missing, never guessed.
    """
    departments = _active_departments(report)
    values: dict[str, int | None] = {}
    for key, _label in EXTRA_INPUTS:
        explicit = report.extras.unit.get(key)
        if explicit is not None:
            values[key] = explicit
            continue
        parts = [report.extras.for_department(d).get(key) for d in departments]
        if parts and all(p is not None for p in parts):
            values[key] = sum(p for p in parts if p is not None)
        else:
            values[key] = None
    return ExtraValues(**values)


@dataclass(frozen=True)
class IndicatorSet:
    """All indicators of a report: per code, the unit result and the departments' ones."""

    unit: Mapping[str, IndicatorResult]
    departments: Mapping[str, Mapping[str, IndicatorResult]]  # department -> code -> result
    department_order: tuple[str, ...]  # departments the report names, catalogue order

    def for_department(self, code: str) -> list[IndicatorResult]:
        return [self.departments[d][code] for d in self.department_order]


def compute_indicators(report: ReportInput) -> IndicatorSet:
    settings = report.settings
    targets = report.targets
    extras_unit = unit_extras(report)
    unit = {}
    for code in INDICATOR_CODES:
        num, den = indicator_parts(code, report.total, extras_unit, settings)
        unit[code] = IndicatorResult(code, None, num, den, targets.get(code))
    by_department: dict[str, dict[str, IndicatorResult]] = {}
    all_counts = department_counts(report)
    order = tuple(_active_departments(report))
    for name in order:
        extras = report.extras.for_department(name)
        by_department[name] = {}
        for code in INDICATOR_CODES:
            num, den = indicator_parts(code, all_counts[name], extras, settings)
            by_department[name][code] = IndicatorResult(code, name, num, den, targets.get(code))
    return IndicatorSet(unit, by_department, order)
