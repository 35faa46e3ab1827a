"""The summary table: every indicator for the unit and each department, as plain values.

The Tổng hợp sheet of the output workbook, the Excel button and the tests all
need the same rows; the `=TTHC_…()` formulas compute the same numbers live.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.core.catalogue import Catalogue
from tthc.core.indicators import (
    IndicatorResult,
    IndicatorSet,
    Outcome,
    department_counts,
    indicator_parts,
)
from tthc.core.labels import MISSING_TEXT, NONE_AROSE_TEXT, no_late_text
from tthc.core.model import INDICATOR_CODES, ReportInput, UnitKind
from tthc.core.vn_format import format_fraction, format_percent_value, format_rate

__all__ = ["SummaryRow", "summary_rows", "summary_scopes"]


@dataclass(frozen=True)
class SummaryRow:
    code: str
    scope: str  # "Toàn xã" or a department
    numerator: int | str  # int, or MISSING_TEXT
    denominator: int | str
    rate: float | str  # float in [0, 1], MISSING_TEXT or NONE_AROSE_TEXT
    target: str  # "≥ 60%", or "" without a target
    verdict: str  # "Đạt", "Không đạt" or ""
    text: str  # as the report writes it: "100% (1.018/1.018 hồ sơ)"


def summary_scopes(catalogue: Catalogue, kind: UnitKind) -> list[str]:
    """The scopes of the summary: the whole unit first, then each department."""
    return [f"Toàn {kind.value}", *catalogue.department_names]


def _result(
    report: ReportInput, indicators: IndicatorSet, code: str, scope: str | None
) -> IndicatorResult:
    if scope is None:
        return indicators.unit[code]
    if scope in indicators.departments:
        return indicators.departments[scope][code]
    counts = department_counts(report)[scope]
    numerator, denominator = indicator_parts(
        code, counts, report.extras.for_department(scope), report.settings
    )
    return IndicatorResult(code, scope, numerator, denominator, report.targets.get(code))


def _text(result: IndicatorResult, report: ReportInput) -> str:
    if result.outcome is Outcome.MISSING:
        return MISSING_TEXT
    if result.outcome is Outcome.NONE_AROSE:
        return NONE_AROSE_TEXT
    numerator, denominator = result.rate_parts()
    if result.code == "2.2" and numerator == 0:
        # The report's own words (section 2.2), not «0% (0/1.131 hồ sơ)».
        counts = (
            report.total
            if result.department is None
            else department_counts(report)[result.department]
        )
        return no_late_text(counts.pending_overdue)
    settings = report.settings
    noun = "phản ánh, kiến nghị" if result.code == "1.6" else "hồ sơ"
    rate = format_rate(numerator, denominator, settings.rate_rounding)
    fraction = format_fraction(numerator, denominator, zero_pad=settings.zero_pad)
    return f"{rate} ({fraction} {noun})"


def summary_rows(report: ReportInput, indicators: IndicatorSet) -> list[SummaryRow]:
    """One row per indicator and scope, in the order of the Tổng hợp sheet."""
    rows = []
    scopes = summary_scopes(report.catalogue, report.unit.kind)
    for code in INDICATOR_CODES:
        target = report.targets.get(code)
        target_text = (
            ""
            if target is None
            else f"{target.comparison.value} "
            f"{format_percent_value(target.percent, report.settings.rate_rounding)}"
        )
        for index, scope in enumerate(scopes):
            result = _result(report, indicators, code, None if index == 0 else scope)
            if result.outcome is Outcome.MISSING:
                rate: float | str = MISSING_TEXT
            elif result.outcome is Outcome.NONE_AROSE:
                rate = NONE_AROSE_TEXT
            else:
                rate = float(result.rate) if result.rate is not None else ""
            verdict = "" if result.verdict is None else ("Đạt" if result.verdict else "Không đạt")
            rows.append(
                SummaryRow(
                    code=code,
                    scope=scope,
                    numerator=MISSING_TEXT if result.numerator is None else result.numerator,
                    denominator=MISSING_TEXT if result.denominator is None else result.denominator,
                    rate=rate,
                    target=target_text,
                    verdict=verdict,
                    text=_text(result, report),
                )
            )
    return rows
