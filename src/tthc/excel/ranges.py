"""Turning the values of the workbook's named ranges into the core's model.

Worksheet functions receive ranges as 2-D lists (Excel numbers are floats,
blanks are None or ""); this module reads them with the block layouts of
`workbook_layout`, so a function is a pure function of the ranges passed in and
Excel's recalculation stays right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from tthc.core.catalogue import Catalogue, Department, field_key
from tthc.core.grid import INPUT_COLUMNS, Counts
from tthc.core.model import (
    INDICATOR_CODES,
    Comparison,
    DocumentInfo,
    ExtraInputs,
    ExtraValues,
    FieldRow,
    Period,
    ReportInput,
    Settings,
    Signer,
    Target,
    Unit,
    UnitKind,
    default_targets,
)
from tthc.core.parsing import is_blank
from tthc.workbook.layout import (
    EXTRA_COLUMNS,
    NO,
    YES,
    convention_from_label,
    rounding_from_label,
)

__all__ = [
    "RangeError",
    "ScopedReport",
    "as_rows",
    "flat_cells",
    "read_settings",
    "read_targets",
    "scoped_report",
]

OUTSIDE_CATALOGUE = "(ngoài danh mục)"


class RangeError(ValueError):
    """A range holds something a function cannot use; the message is Vietnamese."""


def as_rows(values: object) -> list[list[object]]:
    """Any range value (scalar, 1-D or 2-D list) as a list of rows."""
    if values is None:
        return []
    if not isinstance(values, list | tuple):
        return [[values]]
    if values and not isinstance(values[0], list | tuple):
        return [list(values)]
    return [list(row) for row in values]


def flat_cells(values: object) -> list[object]:
    """Every cell of a range value (scalar, 1-D or 2-D), row by row."""
    return [cell for row in as_rows(values) for cell in row]


def _count(value: object, where: str) -> int:
    if is_blank(value):
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RangeError(f"{where}: «{value}» không phải là số.")
    if value < 0 or float(value) != int(value):
        raise RangeError(f"{where}: {value} không phải số nguyên không âm.")
    return int(value)


def _optional_count(value: object, where: str) -> int | None:
    return None if is_blank(value) else _count(value, where)


def read_settings(values: object) -> Settings:
    """The TTHC_SETTINGS cells (convention, strict 2.1, zero padding, rounding) or one label."""
    cells = flat_cells(values)
    convention = convention_from_label(cells[0]) if cells else None
    if cells and not is_blank(cells[0]) and convention is None:
        raise RangeError(f"Cách tính «{cells[0]}» không hợp lệ (Theo mẫu hoặc Theo QĐ 766).")
    settings = Settings()
    if convention is not None:
        settings = Settings(convention=convention)
    if len(cells) >= 4:
        rounding = rounding_from_label(cells[3]) or settings.rate_rounding
        settings = Settings(
            convention=settings.convention,
            strict_on_time=str(cells[1]).strip() == YES,
            zero_pad=str(cells[2]).strip() != NO,
            rate_rounding=rounding,
        )
    return settings


def read_targets(values: object) -> dict[str, Target | None]:
    """The TTHC_TARGETS table: code, title, comparison, percent; a blank comparison = none."""
    targets = default_targets()
    for row in as_rows(values):
        if len(row) < 4 or str(row[0]).strip() not in INDICATOR_CODES:
            continue
        code = str(row[0]).strip()
        comparison, percent = row[2], row[3]
        if is_blank(comparison):
            targets[code] = None
            continue
        sign = {">=": "≥", "<=": "≤"}.get(str(comparison).strip(), str(comparison).strip())
        if sign not in {c.value for c in Comparison} or not isinstance(percent, int | float):
            raise RangeError(f"Chỉ tiêu giao của {code} không hợp lệ.")
        targets[code] = Target(Comparison(sign), Fraction(str(percent)))
    return targets


def _grid(values: object) -> tuple[list[FieldRow], dict[str, str | None]]:
    """Field rows and each field's department from TTHC_GRID (field, (3)…(16), department)."""
    rows: list[FieldRow] = []
    departments: dict[str, str | None] = {}
    for cells in as_rows(values):
        cells = [*cells, *[None] * (16 - len(cells))]
        field = "" if is_blank(cells[0]) else str(cells[0]).strip()
        counts = {
            c.key: _count(cells[c.number - 2], f"Lĩnh vực «{field}», cột ({c.number})")
            for c in INPUT_COLUMNS
        }
        if not field and not any(counts.values()):
            continue
        department = None if is_blank(cells[15]) else str(cells[15]).strip()
        if department == OUTSIDE_CATALOGUE:
            department = None
        rows.append(FieldRow(field, Counts(**counts)))
        departments[field] = department
    return rows, departments


def _extras(values: object) -> tuple[ExtraValues, dict[str, ExtraValues], list[str]]:
    """Department rows then the unit row of TTHC_EXTRAS; denominator columns are skipped."""
    rows = [r for r in as_rows(values) if r and not is_blank(r[0])]
    keys = [k for k in EXTRA_COLUMNS if k != "department" and not k.startswith("denominator")]
    parsed: list[tuple[str, ExtraValues]] = []
    for row in rows:
        name = str(row[0]).strip()
        cells = dict(zip(EXTRA_COLUMNS, [*row, *[None] * len(EXTRA_COLUMNS)], strict=False))
        values_ = {k: _optional_count(cells[k], f"Chỉ tiêu, «{name}»") for k in keys}
        parsed.append((name, ExtraValues(**values_)))
    unit = ExtraValues()
    departments: dict[str, ExtraValues] = {}
    order: list[str] = []
    for name, extra in parsed:
        if name.casefold().startswith("toàn"):
            unit = extra
        else:
            departments[name] = extra
            order.append(name)
    return unit, departments, order


def _kind(value: object) -> UnitKind:
    """'xã', 'phường' or 'đặc khu' (default xã): only the wording of the text depends on it."""
    if is_blank(value):
        return UnitKind.XA
    text = str(value).strip().casefold()
    for kind in UnitKind:
        if kind.value == text:
            return kind
    raise RangeError(f"Loại đơn vị «{value}» không hợp lệ (xã, phường hoặc đặc khu).")


@dataclass(frozen=True)
class ScopedReport:
    """A report rebuilt from ranges, and which part of it a cell asks about."""

    report: ReportInput
    department: str | None  # None: the whole unit (or a field, see `field`)
    field: str | None


def scoped_report(
    grid: object,
    extras: object = None,
    scope: object = None,
    settings: object = None,
    targets: object = None,
    kind: object = None,
) -> ScopedReport:
    """A minimal ReportInput from the ranges a worksheet function was given."""
    rows, departments_of = _grid(grid)
    unit_extras, department_extras, order = _extras(extras)
    names: list[str] = list(order)
    for department in departments_of.values():
        if department and department not in names:
            names.append(department)
    catalogue = Catalogue(
        tuple(
            Department(name, tuple(f for f, d in departments_of.items() if d == name and f))
            for name in names
        )
    )
    today = date.today()
    report = ReportInput(
        unit=Unit(_kind(kind), "-"),
        period=Period(today, today),
        document=DocumentInfo(date=today),
        signer=Signer(),
        rows=tuple(rows),
        catalogue=catalogue,
        extras=ExtraInputs(unit_extras, department_extras),
        targets=read_targets(targets) if targets is not None else default_targets(),
        settings=read_settings(settings),
    )
    wanted = "" if is_blank(scope) else str(scope).strip()
    if not wanted or wanted.casefold().startswith("toàn"):
        return ScopedReport(report, None, None)
    for name in names:
        if field_key(name) == field_key(wanted):
            return ScopedReport(report, name, None)
    for row in rows:
        if field_key(row.field) == field_key(wanted):
            return ScopedReport(report, None, row.field)
    raise RangeError(f"Không có phòng chuyên môn hay lĩnh vực «{wanted}».")


def scope_counts(scoped: ScopedReport) -> Counts:
    report = scoped.report
    if scoped.field is not None:
        return Counts.total(r.counts for r in report.rows if r.field == scoped.field)
    if scoped.department is None:
        return report.total
    return Counts.total(
        r.counts
        for r in report.rows
        if report.catalogue.department_of(r.field) == scoped.department
    )


def field_names(rows: Sequence[FieldRow]) -> list[str]:
    return [r.field for r in rows]
