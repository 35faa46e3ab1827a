"""Checks of the grid range for =TTHC_CHECK(): the core's findings, from cell values.

Unlike the worksheet functions that compute indicators, a check must not stop
at the first bad cell: every text number, negative count and broken identity
of the grid is listed, each with its field and column.
"""

from __future__ import annotations

from datetime import date

from tthc.core.catalogue import Catalogue, Department
from tthc.core.findings import Finding, Location
from tthc.core.grid import DERIVED_COLUMNS, INPUT_COLUMNS, Counts
from tthc.core.model import DocumentInfo, FieldRow, Period, ReportInput, Signer, Unit, UnitKind
from tthc.core.parsing import is_blank, parse_count, parse_optional_count
from tthc.core.validation import canonicalise_fields, validate
from tthc.excel.ranges import OUTSIDE_CATALOGUE, as_rows

__all__ = ["grid_findings"]

_GRID_CODES = ("identity.", "field.", "count.", "grid.")


def _catalogue(grid_rows: list[list[object]], catalogue: object) -> Catalogue:
    """From a (field, department) range when given, else from the grid's department column."""
    pairs: list[tuple[str, str]] = []
    if catalogue is not None:
        pairs = [
            (str(r[0]).strip(), str(r[1]).strip())
            for r in as_rows(catalogue)
            if len(r) >= 2 and not is_blank(r[0]) and not is_blank(r[1])
        ]
    else:
        pairs = [
            (str(r[0]).strip(), str(r[15]).strip())
            for r in grid_rows
            if len(r) > 15
            and not is_blank(r[0])
            and not is_blank(r[15])
            and str(r[15]).strip() != OUTSIDE_CATALOGUE
        ]
    order: list[str] = []
    for _field, department in pairs:
        if department not in order:
            order.append(department)
    seen: set[str] = set()
    departments = []
    for name in order:
        fields = []
        for field, department in pairs:
            if department == name and field.casefold() not in seen:
                seen.add(field.casefold())
                fields.append(field)
        departments.append(Department(name, tuple(fields)))
    return Catalogue(tuple(departments))


def grid_findings(grid: object, catalogue: object = None) -> list[Finding]:
    """Every finding about the grid: parsing, fields, identities."""
    rows_in = [[*r, *[None] * (16 - len(r))] for r in as_rows(grid)]
    findings: list[Finding] = []
    rows: list[FieldRow] = []
    for cells in rows_in:
        inputs = [cells[c.number - 2] for c in INPUT_COLUMNS]
        if all(is_blank(v) for v in inputs):
            continue
        field = "" if is_blank(cells[0]) else str(cells[0]).strip()
        values: dict[str, int] = {}
        for column in INPUT_COLUMNS:
            parsed = parse_count(
                cells[column.number - 2], Location(field=field, column=column.number)
            )
            findings.extend(parsed.findings)
            values[column.key] = parsed.value or 0
        stated: dict[int, int] = {}
        for column in DERIVED_COLUMNS:
            parsed = parse_optional_count(cells[column.number - 2], Location(field=field))
            if parsed.value is not None:
                stated[column.number] = parsed.value
        rows.append(FieldRow(field, Counts(**values), stated))
    today = date.today()
    report = ReportInput(
        unit=Unit(UnitKind.XA, "-"),
        period=Period(today, today),
        document=DocumentInfo(date=today),
        signer=Signer(name="-"),
        rows=tuple(rows),
        catalogue=_catalogue(rows_in, catalogue),
    )
    report, field_findings = canonicalise_fields(report)
    findings += field_findings
    findings += [f for f in validate(report) if f.code.startswith(_GRID_CODES)]
    return findings
