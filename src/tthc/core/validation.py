"""Checks on a parsed report: the grid's identities, the fields, the extra inputs.

Parsing (text numbers, blanks, negatives) is done by the readers; this module
checks what only makes sense once the numbers are known. Errors block the
report, warnings are printed with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from tthc.core.catalogue import field_key
from tthc.core.findings import Finding, Location, Severity
from tthc.core.grid import DERIVED_COLUMNS, Counts, column_by_number
from tthc.core.indicators import IndicatorSet, Outcome, compute_indicators
from tthc.core.labels import SHORT_NAMES, indicator_labels
from tthc.core.model import EXTRA_INPUTS, FieldRow, ReportInput
from tthc.core.vn_format import format_integer

__all__ = ["canonicalise_fields", "validate"]

TOTAL_LABEL = "Tổng cộng"
_EXTRA_LABELS = dict(EXTRA_INPUTS)
_INDICATOR_INPUTS = {
    "1.2": ("paid_online", "with_fee"),
    "1.3": ("updated",),
    "1.4": ("digitised",),
    "1.5": ("reused",),
    "1.6": ("feedback_handled", "feedback_received"),
}


def _error(code: str, message: str, where: Location) -> Finding:
    return Finding(Severity.ERROR, code, message, where)


def _warning(code: str, message: str, where: Location) -> Finding:
    return Finding(Severity.WARNING, code, message, where)


def canonicalise_fields(report: ReportInput) -> tuple[ReportInput, tuple[Finding, ...]]:
    """Spell each field as the catalogue does; flag unknown and repeated fields.

    'hộ  tịch' becomes 'Hộ tịch' with a note, so staff see what was understood.
    An unknown field is an error: dropping its dossiers silently would falsify
    every total.
    """
    findings: list[Finding] = []
    rows: list[FieldRow] = []
    seen: dict[str, str] = {}
    for row in report.rows:
        typed = row.field.strip()
        canonical = report.catalogue.canonical_field(typed)
        where = Location(field=typed, column=2)
        if canonical is None:
            findings.append(
                _error(
                    "field.unknown",
                    f"Lĩnh vực «{typed}» không có trong danh mục; hãy sửa tên lĩnh vực "
                    "hoặc thêm lĩnh vực này vào danh mục cho đúng phòng chuyên môn.",
                    where,
                )
            )
            rows.append(replace(row, field=typed))
            continue
        if canonical != typed:
            findings.append(
                _warning(
                    "field.normalised",
                    f"Tên lĩnh vực «{typed}» được hiểu là «{canonical}».",
                    where,
                )
            )
        key = field_key(canonical)
        if key in seen:
            findings.append(
                _error(
                    "field.duplicate",
                    f"Lĩnh vực «{canonical}» xuất hiện nhiều lần; mỗi lĩnh vực chỉ ghi một dòng.",
                    where,
                )
            )
        seen[key] = canonical
        rows.append(replace(row, field=canonical))
    return replace(report, rows=tuple(rows)), tuple(findings)


def _identity_findings(label: str, counts: Counts, stated: Mapping[int, int]) -> list[Finding]:
    findings: list[Finding] = []
    for column in DERIVED_COLUMNS:
        if column.number not in stated:
            continue
        expected = counts.value(column.number)
        if stated[column.number] != expected:
            parts = "+".join(f"({p})" for p in column.parts)
            findings.append(
                _error(
                    f"identity.column{column.number}",
                    f"Cột ({column.number}) ghi {format_integer(stated[column.number])} nhưng "
                    f"{parts} = {format_integer(expected)}.",
                    Location(field=label, column=column.number),
                )
            )
    if counts.received != counts.resolved + counts.pending:
        findings.append(
            _error(
                "identity.balance",
                f"Tổng tiếp nhận (3) = {format_integer(counts.received)} khác đã giải quyết "
                f"(7) = {format_integer(counts.resolved)} cộng đang giải quyết (13) = "
                f"{format_integer(counts.pending)}; cuối kỳ mỗi hồ sơ phải đã giải quyết "
                "hoặc đang giải quyết.",
                Location(field=label, column=3),
            )
        )
    return findings


def _total_findings(report: ReportInput) -> list[Finding]:
    findings: list[Finding] = []
    total = report.total
    for number, stated in sorted(report.stated_total.items()):
        expected = total.value(number)
        if stated != expected:
            column = column_by_number(number)
            findings.append(
                _error(
                    f"identity.total{number}",
                    f"Dòng Tổng cộng cột ({number}) «{column.label}» ghi "
                    f"{format_integer(stated)} nhưng tổng các lĩnh vực là "
                    f"{format_integer(expected)}.",
                    Location(field=TOTAL_LABEL, column=number),
                )
            )
    return findings


def _extra_findings(report: ReportInput, indicators: IndicatorSet) -> list[Finding]:
    findings: list[Finding] = []
    catalogue = report.catalogue
    for name in report.extras.departments:
        if catalogue.canonical_department(name) is None:
            findings.append(
                _error(
                    "extras.department_unknown",
                    f"Phòng «{name}» không có trong danh mục; số liệu chỉ tiêu của phòng này "
                    "không được dùng.",
                    Location(department=name),
                )
            )
    for key, label in EXTRA_INPUTS:
        explicit = report.extras.unit.get(key)
        given = {
            d: v
            for d in indicators.department_order
            if (v := report.extras.for_department(d).get(key)) is not None
        }
        if explicit is not None and given and len(given) == len(indicators.department_order):
            total = sum(given.values())
            if total != explicit:
                findings.append(
                    _error(
                        "extras.sum",
                        f"«{label}» toàn {report.unit.kind.value} ghi "
                        f"{format_integer(explicit)} nhưng tổng "
                        f"các phòng là {format_integer(total)}.",
                        Location(key=f"extra_inputs.unit.{key}"),
                    )
                )
    for code, inputs in _INDICATOR_INPUTS.items():
        result = indicators.unit[code]
        if result.outcome is Outcome.MISSING:
            missing = [i for i in inputs if _unit_value_missing(report, indicators, i)]
            labels = ", ".join(f"«{_EXTRA_LABELS[i]}»" for i in missing)
            findings.append(
                _warning(
                    "extras.missing",
                    f"Chưa có số liệu {labels}; chỉ tiêu {code} ({SHORT_NAMES[code]}) "
                    "sẽ ghi «chưa có số liệu».",
                    # At the unit row's first empty input, not at its label.
                    Location(
                        key=f"extra_inputs.unit.{missing[0]}" if missing else "extra_inputs.unit"
                    ),
                )
            )
    return findings


def _unit_value_missing(report: ReportInput, indicators: IndicatorSet, key: str) -> bool:
    if report.extras.unit.get(key) is not None:
        return False
    return (
        any(report.extras.for_department(d).get(key) is None for d in indicators.department_order)
        or not indicators.department_order
    )


def _ratio_findings(report: ReportInput, indicators: IndicatorSet) -> list[Finding]:
    """A numerator above its denominator is always a typing error."""
    findings: list[Finding] = []
    results = list(indicators.unit.values()) + [
        r for department in indicators.departments.values() for r in department.values()
    ]
    for result in results:
        if result.numerator is None or result.denominator is None:
            continue
        if result.numerator <= result.denominator:
            continue
        labels = indicator_labels(result.code, report.settings)
        kind = report.unit.kind.value
        scope = f"«{result.department}»" if result.department else f"toàn {kind}"
        findings.append(
            _error(
                "indicator.over",
                f"Chỉ tiêu {result.code} ({SHORT_NAMES[result.code]}) của {scope}: "
                f"{labels.numerator} là {format_integer(result.numerator)}, lớn hơn "
                f"{labels.denominator} là {format_integer(result.denominator)} "
                f"(cách tính {_lower_first(report.settings.convention.label)}).",
                Location(department=result.department),
            )
        )
    return findings


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def validate(report: ReportInput) -> tuple[Finding, ...]:
    """Every semantic finding of a parsed report (fields must be canonicalised first)."""
    findings: list[Finding] = []
    if not report.rows:
        findings.append(
            _error("grid.empty", "Phụ lục chưa có lĩnh vực nào.", Location(key="appendix.rows"))
        )
    for row in report.rows:
        findings.extend(_identity_findings(row.field, row.counts, row.stated))
    findings.extend(_total_findings(report))
    indicators = compute_indicators(report)
    findings.extend(_extra_findings(report, indicators))
    findings.extend(_ratio_findings(report, indicators))
    if not report.signer.name:
        findings.append(
            _warning(
                "signer.missing",
                "Chưa có họ tên người ký báo cáo.",
                Location(key="signer.name"),
            )
        )
    if report.document.date < report.period.end:
        findings.append(
            _warning(
                "document.date_early",
                "Ngày báo cáo trước ngày kết thúc kỳ báo cáo.",
                Location(key="document.date"),
            )
        )
    return tuple(findings)
