"""Rolling consecutive reports (usually months) into one for a quarter, a half or a year.

Staff write the quarterly and yearly reports from the monthly ones. Doing it by
hand is where the classic mistake happens: summing every column, so that the
dossiers pending at the end of January are counted again as "from the previous
period" in February and the quarter receives more dossiers than ever arrived.
The grid's columns are of two kinds:

- flows — received in the period (4), (5) and resolved (8)–(12) — happen once
  each, so they add up over the months;
- stocks — pending (14)–(16) — are a picture at the end of a period, so the
  quarter's is the last month's; "from the previous period" (6) is the picture
  at the start, so the quarter's is the first month's.

With those rules the rolled-up row satisfies (3) = (7) + (13) exactly when the
months do and each month's (6) equals the previous month's (13); a break in
that continuity is reported, because it makes the quarter's balance fail.

The rollup never invents a figure: an extra input (indicators 1.2–1.6) missing
in any month is missing for the quarter, and periods that overlap or leave a
gap are refused rather than stitched together. The extra inputs add up, except
'updated' (1.3), which counts carried-over dossiers once per month: see
`_combine_scope`.

Findings name the periods the way staff name their files ("tháng 02/2026") and
carry no grid location: the message itself names the field or department,
and no single cell of the inputs is at fault.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta

from tthc.core.catalogue import field_key
from tthc.core.findings import Finding, Severity
from tthc.core.grid import Counts
from tthc.core.model import (
    EXTRA_INPUTS,
    DocumentInfo,
    ExtraInputs,
    ExtraValues,
    FieldRow,
    Period,
    ReportInput,
)
from tthc.core.vn_format import format_date_short, format_integer, format_period_label

__all__ = ["RollupResult", "period_name", "rollup"]

_EXTRA_KEYS: tuple[str, ...] = tuple(key for key, _ in EXTRA_INPUTS)
# Flows add up over the periods; stocks are taken from the first or last one.
_FLOW_FIELDS = ("online", "direct", "early", "on_time", "late", "refused", "withdrawn")
_CLOSING_STOCK_FIELDS = ("pending_in_time", "pending_overdue", "pending_supplement")


@dataclass(frozen=True)
class RollupResult:
    """The rolled-up report, or None when the inputs were refused, and what was found.

    Refusals are ERROR findings and come without a report. WARNINGs (a break in
    carry-over continuity, an 'updated' figure that cannot be summed) come with
    a report, so staff can see the figures and fix the month at fault.
    """

    report: ReportInput | None
    findings: tuple[Finding, ...]

    @property
    def ok(self) -> bool:
        return self.report is not None and not any(
            f.severity is Severity.ERROR for f in self.findings
        )


def period_name(period: Period) -> str:
    """How a message names a period: 'tháng 01/2026', 'quý I năm 2026', 'kỳ từ ngày …'.

    Built on `format_period_label` so the names match the report's own; a
    calendar month is shortened to the 'tháng 02/2026' form staff use when they
    talk about the monthly files, and an arbitrary range gets 'kỳ' in front so
    that 'cuối kỳ từ ngày …' still reads as a sentence.
    """
    label = format_period_label(period.start, period.end)
    month = re.fullmatch(r"tháng (\d{1,2}) năm (\d{4})", label)
    if month:
        return f"tháng {month.group(1)}/{month.group(2)}"
    if label.startswith("từ ngày"):
        return f"kỳ {label}"
    return label


def _error(code: str, message: str) -> Finding:
    return Finding(Severity.ERROR, code, message)


def _refusals(reports: Sequence[ReportInput]) -> list[Finding]:
    """Everything that makes the inputs impossible to roll up honestly (reports sorted)."""
    findings: list[Finding] = []
    if len(reports) < 2:
        have = (
            f"chỉ có báo cáo {period_name(reports[0].period)}" if reports else "chưa có báo cáo nào"
        )
        findings.append(
            _error(
                "rollup.too_few",
                f"Cần ít nhất 02 báo cáo của các kỳ liên tiếp để gộp; {have}.",
            )
        )
        return findings

    first = reports[0]
    first_unit = (field_key(first.unit.kind.value), field_key(first.unit.name))
    for report in reports[1:]:
        unit = (field_key(report.unit.kind.value), field_key(report.unit.name))
        if unit != first_unit:
            findings.append(
                _error(
                    "rollup.unit_mismatch",
                    f"Báo cáo {period_name(report.period)} là của {report.unit.full_name}, "
                    f"khác báo cáo {period_name(first.period)} của {first.unit.full_name}; "
                    "chỉ gộp được báo cáo của cùng một đơn vị.",
                )
            )

    # Compare each report with the furthest end reached so far, not only with its
    # neighbour: a long period that swallows a short one is an overlap, and the
    # days it covers are no gap.
    reach = first
    for report in reports[1:]:
        start, covered_end = report.period.start, reach.period.end
        if start <= covered_end:
            overlap_end = min(covered_end, report.period.end)
            findings.append(
                _error(
                    "rollup.overlap",
                    f"Báo cáo {period_name(reach.period)} và báo cáo "
                    f"{period_name(report.period)} cùng tính các ngày từ "
                    f"{format_date_short(start)} đến {format_date_short(overlap_end)}; "
                    "hồ sơ của những ngày này sẽ bị cộng hai lần, hãy bỏ bớt một báo cáo.",
                )
            )
        elif start > covered_end + timedelta(days=1):
            findings.append(
                _error(
                    "rollup.gap",
                    f"Giữa báo cáo {period_name(reach.period)} và báo cáo "
                    f"{period_name(report.period)} thiếu số liệu từ ngày "
                    f"{format_date_short(covered_end + timedelta(days=1))} đến ngày "
                    f"{format_date_short(start - timedelta(days=1))}; hãy thêm báo cáo "
                    "của khoảng thời gian này.",
                )
            )
        if report.period.end > covered_end:
            reach = report

    for report in reports:
        seen: set[str] = set()
        for row in report.rows:
            key = field_key(row.field)
            if key in seen:
                findings.append(
                    _error(
                        "rollup.duplicate_field",
                        f"Báo cáo {period_name(report.period)} ghi lĩnh vực «{row.field.strip()}» "
                        "nhiều lần; hãy gộp thành một dòng trong báo cáo đó rồi gộp kỳ.",
                    )
                )
            seen.add(key)
    return findings


def _counts_by_field(report: ReportInput) -> dict[str, Counts]:
    return {field_key(row.field): row.counts for row in report.rows}


def _field_names(reports: Iterable[ReportInput]) -> dict[str, str]:
    """field key -> spelling where the field first appears, in order of first appearance."""
    names: dict[str, str] = {}
    for report in reports:
        for row in report.rows:
            names.setdefault(field_key(row.field), row.field)
    return names


def _combine_counts(key: str, by_period: Sequence[dict[str, Counts]]) -> Counts:
    """One field's counts over the periods: flows summed, stocks from the ends."""
    empty = Counts()
    first = by_period[0].get(key, empty)
    last = by_period[-1].get(key, empty)
    values = {
        name: sum(getattr(counts.get(key, empty), name) for counts in by_period)
        for name in _FLOW_FIELDS
    }
    values["carried_over"] = first.carried_over
    values.update({name: getattr(last, name) for name in _CLOSING_STOCK_FIELDS})
    return Counts(**values)


def _continuity_warnings(
    reports: Sequence[ReportInput],
    by_period: Sequence[dict[str, Counts]],
    names: dict[str, str],
) -> list[Finding]:
    """Each field whose pending (13) at one period's end is not the next period's (6)."""
    findings: list[Finding] = []
    empty = Counts()
    for index in range(1, len(reports)):
        before, after = by_period[index - 1], by_period[index]
        before_name = period_name(reports[index - 1].period)
        after_name = period_name(reports[index].period)
        for key, name in names.items():
            if key not in before and key not in after:
                continue
            pending = before.get(key, empty).pending
            carried = after.get(key, empty).carried_over
            if pending == carried:
                continue
            findings.append(
                Finding(
                    Severity.WARNING,
                    "rollup.continuity",
                    f"Lĩnh vực «{name}»: cuối {before_name} còn {format_integer(pending)} hồ sơ "
                    f"đang giải quyết nhưng {after_name} ghi {format_integer(carried)} hồ sơ "
                    "từ kỳ trước. Vì hai số này khác nhau, ở báo cáo gộp lĩnh vực này không "
                    "còn khớp (3) = (7) + (13); hãy sửa báo cáo ghi sai rồi gộp lại.",
                )
            )
    return findings


def _sum_if_all_present(values: Sequence[ExtraValues]) -> dict[str, int | None]:
    """Sum each input over the periods, or None where any period lacks it."""
    combined: dict[str, int | None] = {}
    for key in _EXTRA_KEYS:
        found = [value.get(key) for value in values]
        combined[key] = None if any(v is None for v in found) else sum(v or 0 for v in found)
    return combined


@dataclass(frozen=True)
class _Scope:
    """The unit or one department: how its extra inputs and grid counts are found."""

    label: str  # "toàn xã" or "«Phòng Kinh tế»", for messages
    values: tuple[ExtraValues, ...]  # its extra inputs, one per period
    counts: tuple[Counts, ...]  # its grid total, one per period


def _department_counts(report: ReportInput, department: str) -> Counts:
    """The grid total of the department (matched by name) in one report."""
    canonical = report.catalogue.canonical_department(department)
    return Counts.total(
        row.counts
        for row in report.rows
        if canonical is not None and report.catalogue.department_of(row.field) == canonical
    )


def _combine_scope(scope: _Scope, period: Period) -> tuple[ExtraValues, Finding | None]:
    """The scope's extra inputs over the periods, and a warning when 'updated' cannot be.

    Every input but 'updated' counts each dossier once (when received, paid,
    resolved or digitised), so it adds up. 'updated' is the numerator of 1.3,
    whose denominator (3) includes the dossiers carried over from the previous
    period: a dossier pending across a month end is counted in both months, and
    the sum overstates the quarter (it can exceed the quarter's (3)). It is
    still known exactly in two cases — no dossier carried between the periods
    (nothing counted twice), or every period at 100% (then the whole span is
    too) — and otherwise it is left missing for staff to take from the system.
    """
    combined = _sum_if_all_present(scope.values)
    warning: Finding | None = None
    updated = [value.updated for value in scope.values]
    if combined["updated"] is not None:
        carried_between = sum(counts.carried_over for counts in scope.counts[1:])
        if all(u == c.received for u, c in zip(updated, scope.counts, strict=True)):
            combined["updated"] = scope.counts[0].carried_over + sum(
                c.received_in_period for c in scope.counts
            )
        elif carried_between:
            combined["updated"] = None
            label = dict(EXTRA_INPUTS)["updated"]
            warning = Finding(
                Severity.WARNING,
                "rollup.updated_not_additive",
                f"«{label}» của {scope.label} không cộng được từ các kỳ: mỗi kỳ tính cả hồ "
                f"sơ từ kỳ trước (cột (6)), nên {format_integer(carried_between)} hồ sơ "
                "chuyển kỳ có thể bị đếm hơn một lần. Hãy lấy số của cả "
                f"{period_name(period)} trên hệ thống thông tin giải quyết thủ tục hành "
                "chính và điền vào; chưa điền thì chỉ tiêu 1.3 ghi «chưa có số liệu».",
            )
    return ExtraValues(**combined), warning


def _combine_extras(
    reports: Sequence[ReportInput], period: Period
) -> tuple[ExtraInputs, list[Finding]]:
    """Unit-wide and per-department extra inputs over the periods.

    A department absent from a period's extra inputs counts as missing there,
    so its values become None rather than a partial sum.
    """
    findings: list[Finding] = []
    kind = reports[-1].unit.kind.value
    unit_scope = _Scope(
        f"toàn {kind}",
        tuple(r.extras.unit for r in reports),
        tuple(r.total for r in reports),
    )
    unit, warning = _combine_scope(unit_scope, period)
    if warning is not None:
        findings.append(warning)

    department_names: dict[str, str] = {}
    for report in reports:
        for name in report.extras.departments:
            department_names.setdefault(field_key(name), name)
    departments: dict[str, ExtraValues] = {}
    for key, name in department_names.items():
        values = []
        for report in reports:
            matching = {field_key(d): v for d, v in report.extras.departments.items()}
            values.append(matching.get(key, ExtraValues()))
        scope = _Scope(
            f"«{name}»",
            tuple(values),
            tuple(_department_counts(r, name) for r in reports),
        )
        combined, warning = _combine_scope(scope, period)
        if warning is not None:
            findings.append(warning)
        if not combined.is_empty():
            departments[name] = combined
    return ExtraInputs(unit=unit, departments=departments), findings


def rollup(reports: Sequence[ReportInput]) -> RollupResult:
    """Roll consecutive reports of one unit into a single report over their whole span.

    Inputs may come in any order (files picked in a dialog, shell globs); they
    are sorted by period start. The result is refused — report None, one ERROR
    finding per problem — when fewer than two reports are given, when they are
    of different units, when periods overlap or leave a gap, or when a report
    lists a field twice. Otherwise the rolled-up report takes the unit, signer,
    catalogue, targets, settings and shortcomings of the last report (the most
    recent choices, which staff then adapt for the quarter), an unnumbered
    document dated the day after the new period, and the grid combined field by
    field as the module docstring explains.
    """
    ordered = sorted(reports, key=lambda r: (r.period.start, r.period.end))
    refusals = _refusals(ordered)
    if refusals:
        return RollupResult(None, tuple(refusals))

    first, last = ordered[0], ordered[-1]
    by_period = [_counts_by_field(report) for report in ordered]
    names = _field_names(ordered)
    rows = tuple(
        FieldRow(field=name, counts=_combine_counts(key, by_period)) for key, name in names.items()
    )
    period = Period(first.period.start, last.period.end)
    document = DocumentInfo(
        date=period.next_day(),
        number="",
        symbol=last.document.symbol,
        recipients=last.document.recipients,
    )
    extras, extra_findings = _combine_extras(ordered, period)
    report = replace(
        last,
        period=period,
        document=document,
        rows=rows,
        extras=extras,
        # Derived totals as a source stated them only cross-check that source.
        stated_total={},
    )
    warnings = _continuity_warnings(ordered, by_period, names)
    return RollupResult(report, (*warnings, *extra_findings))
