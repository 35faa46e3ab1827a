"""Turning the values of the workbook's named ranges into the core's model.

Worksheet functions receive ranges as 2-D lists (Excel numbers are floats,
blanks are None or ""); this module reads them with the block layouts of
`workbook.layout`, so a function is a pure function of the ranges passed in and
Excel's recalculation stays right.
"""

from __future__ import annotations

import dataclasses
import pickle
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tthc.core.catalogue import Catalogue, Department, field_key
from tthc.core.entries import SETTINGS, settings_from_cells, target_entry
from tthc.core.findings import Finding, Location, Severity
from tthc.core.grid import INPUT_COLUMNS, Counts
from tthc.core.indicators import unit_extras
from tthc.core.model import (
    INDICATOR_CODES,
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
from tthc.core.parsing import ParsedCount, cell_text, is_blank, parse_count, parse_optional_count
from tthc.core.report_data import settings_section, targets_section
from tthc.workbook.layout import EXTRA_COLUMNS, OUTSIDE_CATALOGUE

__all__ = [
    "RangeError",
    "ScopedReport",
    "as_rows",
    "flat_cells",
    "read_settings",
    "read_targets",
    "scoped_report",
]


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


def _count(value: object, field: str, column: int) -> int:
    """A grid count by the readers' rule (`parse_count`): blank is 0, text numbers read.

    What Excel sends for a typed count (a whole float ≥ 0, or nothing) is taken as
    it is; anything else goes through `parse_count`, which names the cell on error.
    """
    if value is None:
        return 0
    if isinstance(value, float) and value.is_integer() and value >= 0:
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return _checked(parse_count(value, Location(field=field, column=column)))


def _optional_count(value: object, where: Location) -> int | None:
    return _checked(parse_optional_count(value, where))


def _checked(parsed: ParsedCount) -> Any:
    for finding in parsed.findings:
        if finding.severity is Severity.ERROR:
            raise RangeError(_capitalised(f"{finding.location.describe()}: {finding.message}"))
    return parsed.value


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def read_settings(values: object) -> Settings:
    """The TTHC_SETTINGS cells (convention, strict 2.1, zero padding, rounding) or one label.

    The cells go through the same rules as in `tthc check` (`entries`, then the data
    file's), so an entry the check refuses is an error here too, in the same words.
    """
    section, problems = settings_from_cells(flat_cells(values))
    if problems:
        first = problems[0]
        raise RangeError(f"{SETTINGS[first.index].title}: {first.message}")
    settings, findings = settings_section(section)
    _raise_first(findings)
    return settings


def read_targets(values: object) -> dict[str, Target | None]:
    """The TTHC_TARGETS table: code, title, comparison, percent; a blank comparison = none."""
    section: dict[str, object] = {}
    for row in as_rows(values):
        code = cell_text(row[0]) if row else ""
        if len(row) >= 4 and code in INDICATOR_CODES:
            section[code] = target_entry(row[2], row[3])
    targets, findings = targets_section(section)
    _raise_first(findings)
    return targets


def _raise_first(findings: Sequence[Finding]) -> None:
    """The first error of a section, named as the data file names it (e.g. chỉ tiêu 2.1)."""
    for finding in findings:
        if finding.severity is Severity.ERROR:
            key = finding.location.key or ""
            code = key.split(".")[1] if key.startswith("targets.") else None
            where = f"Chỉ tiêu giao {code}" if code else "Thiết lập"
            raise RangeError(f"{where}: {finding.message}")


def _grid(values: object) -> tuple[list[FieldRow], dict[str, str | None]]:
    """Field rows and each field's department from TTHC_GRID (field, (3)…(16), department)."""
    rows: list[FieldRow] = []
    departments: dict[str, str | None] = {}
    for cells in as_rows(values):
        cells = [*cells, *[None] * (16 - len(cells))]
        field = "" if is_blank(cells[0]) else str(cells[0]).strip()
        counts = {c.key: _count(cells[c.number - 2], field, c.number) for c in INPUT_COLUMNS}
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
        values_ = {k: _optional_count(cells[k], Location(department=name)) for k in keys}
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
    """A report rebuilt from ranges, which part of it a cell asks about, and that part's inputs."""

    report: ReportInput
    department: str | None  # None: the whole unit (or a field, see `field`)
    field: str | None
    counts: Counts  # the grid summed over the scope
    extras: ExtraValues  # the scope's inputs of 1.2–1.6 (none for a single field)


# Excel recalculates Tổng hợp with 128 calls that pass the same ranges: each set of
# range values is parsed once and reused, found by the values themselves (a worksheet
# function has no other state, so equal values must give the equal report).
_CACHED_RANGES = 16


@dataclass
class _Parsed:
    report: ReportInput
    names: list[str]
    scopes: dict[str, ScopedReport] = dataclasses.field(default_factory=dict)


class _RecentRanges:
    """The last sets of range values parsed, each with its parse, found by their pickle.

    Excel hands each of the 128 calls fresh lists, so any key is built anew on every
    call: a pickle is one pass in C (a key of tuples takes three: building, hashing,
    comparing), and unlike `==` it tells TRUE from 1.0 (a count typed as TRUE is no
    count) while equal bytes always unpickle to equal values of the same types. A
    value that cannot be pickled (not from Excel) is parsed without reuse; a parse
    that raises is not kept.

    The targets table, which only TTHC_VERDICT passes, is kept apart: the verdict's
    calls reuse the report the other functions' calls parsed from the same grid.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[bytes, _Parsed] = OrderedDict()
        self.targeted: OrderedDict[tuple[bytes, bytes], _Parsed] = OrderedDict()

    def parsed(
        self, grid: object, extras: object, settings: object, targets: object, kind: object
    ) -> _Parsed:
        try:
            key = pickle.dumps((grid, extras, settings, kind), protocol=5)
            targets_key = None if targets is None else pickle.dumps(targets, protocol=5)
        except Exception:  # an object Excel would never pass (a COM object, a lambda)
            return _parse(grid, extras, settings, targets, kind)
        base = self._kept(self.entries, key, lambda: _parse(grid, extras, settings, None, kind))
        if targets_key is None:
            return base
        return self._kept(self.targeted, (key, targets_key), lambda: _with_targets(base, targets))

    def _kept(
        self, entries: OrderedDict[Any, _Parsed], key: object, make: Callable[[], _Parsed]
    ) -> _Parsed:
        found = entries.get(key)
        if found is not None:
            entries.move_to_end(key)
            return found
        made = make()
        entries[key] = made
        if len(entries) > self.size:
            entries.popitem(last=False)
        return made

    def clear(self) -> None:
        self.entries.clear()
        self.targeted.clear()


def _with_targets(base: _Parsed, targets: object) -> _Parsed:
    """The parsed report under a targets table (its scopes are summed again on demand)."""
    return _Parsed(dataclasses.replace(base.report, targets=read_targets(targets)), base.names)


_RECENT = _RecentRanges(_CACHED_RANGES)


def _parse(
    grid: object, extras: object, settings: object, targets: object, kind: object
) -> _Parsed:
    rows, departments_of = _grid(grid)
    unit_inputs, department_extras, order = _extras(extras)
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
        extras=ExtraInputs(unit_inputs, department_extras),
        targets=read_targets(targets) if targets is not None else default_targets(),
        settings=read_settings(settings),
    )
    return _Parsed(report, names)


def _scope(parsed: _Parsed, wanted: str) -> ScopedReport:
    report = parsed.report
    if not wanted or wanted.casefold().startswith("toàn"):
        return ScopedReport(report, None, None, report.total, unit_extras(report))
    for name in parsed.names:
        if field_key(name) == field_key(wanted):
            counts = Counts.total(
                r.counts for r in report.rows if report.catalogue.department_of(r.field) == name
            )
            return ScopedReport(report, name, None, counts, report.extras.for_department(name))
    for row in report.rows:
        if field_key(row.field) == field_key(wanted):
            counts = Counts.total(r.counts for r in report.rows if r.field == row.field)
            return ScopedReport(report, None, row.field, counts, ExtraValues())
    raise RangeError(f"Không có phòng chuyên môn hay lĩnh vực «{wanted}».")


def scoped_report(
    grid: object,
    extras: object = None,
    scope: object = None,
    settings: object = None,
    targets: object = None,
    kind: object = None,
) -> ScopedReport:
    """A minimal ReportInput from the ranges a worksheet function was given.

    Parsed once per distinct set of range values (`_RECENT`); a range that
    cannot be parsed raises `RangeError` on every call, as it must.
    """
    parsed = _RECENT.parsed(grid, extras, settings, targets, kind)
    wanted = "" if is_blank(scope) else str(scope).strip()
    found = parsed.scopes.get(wanted)
    if found is None:
        found = parsed.scopes[wanted] = _scope(parsed, wanted)
    return found


def scope_counts(scoped: ScopedReport) -> Counts:
    return scoped.counts


def field_names(rows: Sequence[FieldRow]) -> list[str]:
    return [r.field for r in rows]
