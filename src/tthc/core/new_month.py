"""Starting a report: a blank one for a unit and month, or the month after a previous one.

Carrying over is the one figure staff most often get wrong by hand: this
month's (6) "from the previous period" must equal last month's (13) pending,
field by field. The unit, signer, targets, settings and catalogue carry over too.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import replace
from datetime import date

from tthc.core.catalogue import default_catalogue
from tthc.core.model import DocumentInfo, ExtraInputs, Period, ReportInput, Signer, Unit, UnitKind

__all__ = ["blank_report", "following_month", "month_period", "next_month_report", "parse_month"]


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def parse_month(text: str) -> Period | None:
    """'2026-04', '04/2026' or '4/2026' as the calendar month; None if not a month."""
    match = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", text) or None
    if match:
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = re.fullmatch(r"\s*(\d{1,2})[/.](\d{4})\s*", text)
        if not match:
            return None
        month, year = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    return month_period(year, month)


def following_month(period: Period) -> Period:
    """The calendar month after the one the period ends in."""
    year, month = period.end.year, period.end.month
    return month_period(year + month // 12, month % 12 + 1)


def blank_report(kind: UnitKind, name: str, period: Period) -> ReportInput:
    """A report with no figures yet: what `tthc new` fills in from the command line."""
    return ReportInput(
        unit=Unit(kind, name),
        period=period,
        document=DocumentInfo(date=period.next_day()),
        signer=Signer(),
        rows=(),
        catalogue=default_catalogue(kind.value),
    )


def next_month_report(
    previous: ReportInput, period: Period | None = None
) -> tuple[ReportInput, dict[str, int]]:
    """The next report of the same unit, and each field's pending (13) to carry into (6)."""
    period = period or following_month(previous.period)
    carried = {row.field: row.counts.pending for row in previous.rows if row.counts.pending}
    document = replace(previous.document, number="", date=period.next_day())
    report = replace(
        previous,
        period=period,
        document=document,
        rows=(),
        extras=ExtraInputs(),
        shortcomings=(),
        stated_total={},
    )
    return report, carried
