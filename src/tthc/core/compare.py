"""This period against another: changes in dossiers and rates, and carry-over continuity.

Directors ask "more or fewer than last month?" before anything else; the
comparison answers in absolute numbers and percent (counts) or percentage
points (rates), with the earlier figure in brackets so it can be checked. It
also checks the one link between consecutive months: each field's pending
dossiers at the end of the previous period are this period's (6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from tthc.core.catalogue import field_key
from tthc.core.findings import Finding, Location, Severity
from tthc.core.indicators import IndicatorSet, Outcome, compute_indicators
from tthc.core.model import ReportInput
from tthc.core.vn_format import (
    format_count,
    format_percent_value,
    format_period_label,
    format_rate,
)

__all__ = [
    "Change",
    "Comparison",
    "change_sentence",
    "compare_reports",
    "continuity_findings",
    "reference_label",
]

_COUNTS = (
    ("received", "Tổng số hồ sơ tiếp nhận"),
    ("received_in_period", "Số hồ sơ tiếp nhận trong kỳ"),
    ("resolved", "Số hồ sơ đã giải quyết"),
    ("late", "Số hồ sơ giải quyết quá hạn"),
    ("pending_overdue", "Số hồ sơ đang giải quyết quá hạn"),
)
_RATES = (
    ("1.1", "Tỷ lệ nộp hồ sơ trực tuyến"),
    ("1.4", "Tỷ lệ số hóa hồ sơ, kết quả giải quyết"),
    ("2.1", "Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn"),
)


@dataclass(frozen=True)
class Change:
    """One figure now and then; `rate` tells counts (hồ sơ) from rates (%)."""

    label: str
    current: Fraction | int
    previous: Fraction | int
    rate: bool = False


@dataclass(frozen=True)
class Comparison:
    reference: str  # "tháng trước", "cùng kỳ năm trước", or "kỳ tháng 01 năm 2026"
    changes: tuple[Change, ...]


def reference_label(current: ReportInput, previous: ReportInput) -> str:
    """How the text names the earlier period."""
    if previous.period.end + timedelta(days=1) == current.period.start:
        label = format_period_label(current.period.start, current.period.end)
        if label.startswith("tháng "):
            return "tháng trước"
        if label.startswith("quý "):
            return "quý trước"
        return "kỳ trước"
    same_last_year = (
        previous.period.start.replace(year=previous.period.start.year + 1) == current.period.start
        and previous.period.end.month == current.period.end.month
        and previous.period.end.day == current.period.end.day
    )
    if same_last_year:
        return "cùng kỳ năm trước"
    return f"kỳ {format_period_label(previous.period.start, previous.period.end)}"


def _rate(indicators: IndicatorSet, code: str) -> Fraction | None:
    result = indicators.unit[code]
    return result.rate if result.outcome is Outcome.RATE else None


def compare_reports(current: ReportInput, previous: ReportInput) -> Comparison:
    """The changes the text states: counts of the whole unit and its main rates."""
    changes: list[Change] = []
    now, then = current.total, previous.total
    for attribute, label in _COUNTS:
        changes.append(Change(label, getattr(now, attribute), getattr(then, attribute)))
    now_rates, then_rates = compute_indicators(current), compute_indicators(previous)
    for code, label in _RATES:
        a, b = _rate(now_rates, code), _rate(then_rates, code)
        if a is not None and b is not None:
            changes.append(Change(label, a, b, rate=True))
    return Comparison(reference_label(current, previous), tuple(changes))


def change_sentence(change: Change, reference: str, current: ReportInput) -> str:
    """One change in words, the earlier figure in brackets so a reader can check it.

    'Tổng số hồ sơ tiếp nhận 1.132 hồ sơ, tăng 45 hồ sơ (4,14%) so với tháng trước
    (1.087 hồ sơ).' — the percentage is relative to the earlier count; rates change
    by percentage points.
    """
    settings = current.settings
    if change.rate:
        now = Fraction(change.current) * 100
        then = Fraction(change.previous) * 100
        shown_now = format_percent_value(now, settings.rate_rounding)
        shown_then = format_percent_value(then, settings.rate_rounding)
        difference = now - then
        if difference == 0:
            return f"{change.label} {shown_now}, không đổi so với {reference}."
        verb = "tăng" if difference > 0 else "giảm"
        points = format_percent_value(abs(difference), settings.rate_rounding).rstrip("%")
        return (
            f"{change.label} {shown_now}, {verb} {points} điểm phần trăm so với {reference} "
            f"({shown_then})."
        )
    now_count, then_count = int(change.current), int(change.previous)

    def docs(value: int) -> str:
        return f"{format_count(value, zero_pad=settings.zero_pad)} hồ sơ"

    count_difference = now_count - then_count
    if count_difference == 0:
        return f"{change.label} {docs(now_count)}, không đổi so với {reference}."
    count_verb = "tăng" if count_difference > 0 else "giảm"
    relative = (
        f" ({format_rate(abs(count_difference), then_count, settings.rate_rounding)})"
        if then_count
        else ""
    )
    return (
        f"{change.label} {docs(now_count)}, {count_verb} {docs(abs(count_difference))}"
        f"{relative} so với {reference} ({docs(then_count)})."
    )


def continuity_findings(current: ReportInput, previous: ReportInput) -> tuple[Finding, ...]:
    """Each field whose (6) this period differs from its (13) at the end of the previous one."""
    if previous.period.end + timedelta(days=1) != current.period.start:
        return ()
    before = {field_key(r.field): r for r in previous.rows}
    now = {field_key(r.field): r for r in current.rows}
    findings = []
    for key in [*before, *(k for k in now if k not in before)]:
        pending = before[key].counts.pending if key in before else 0
        carried = now[key].counts.carried_over if key in now else 0
        if pending == carried:
            continue
        name = (now.get(key) or before[key]).field
        previous_label = format_period_label(previous.period.start, previous.period.end)
        findings.append(
            Finding(
                Severity.WARNING,
                "continuity.carry_over",
                f"Cuối {previous_label} còn {pending} hồ sơ đang giải quyết (cột 13) nhưng kỳ "
                f"này ghi {carried} hồ sơ từ kỳ trước (cột 6).",
                Location(field=name, column=6),
            )
        )
    return tuple(findings)
