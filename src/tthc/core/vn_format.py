"""Vietnamese writing conventions for numbers, rates and dates.

Administrative documents follow fixed habits: '.' groups
thousands, ',' marks decimals, percent signs carry no space, small counts in
running text are zero-padded ("02 hồ sơ"), and dates follow Nghị định 30/2020
("ngày 01 tháng 4 năm 2026"). Every piece of generated text goes through this
module so the habits hold everywhere at once.
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

__all__ = [
    "RateRounding",
    "format_count",
    "format_date_long",
    "format_date_short",
    "format_fraction",
    "format_integer",
    "format_percent_value",
    "format_period_label",
    "format_rate",
    "nfc",
    "rate_hundredths",
]


class RateRounding(StrEnum):
    """How a rate is cut to two decimals for display.

    Truncation is the default because it keeps the shown figure consistent with
    the verdict: a rate shown as 60% has truly reached 60%, and 99,999% never
    shows as 100%. Some provinces round; the half-up mode still never shows
    100% for a rate below it.
    """

    TRUNCATE = "truncate"
    HALF_UP = "half_up"


def nfc(text: str) -> str:
    """Normalise to NFC so that 'ế' typed on a Mac equals 'ế' typed on Windows."""
    return unicodedata.normalize("NFC", text)


def format_integer(value: int) -> str:
    """1234567 -> '1.234.567'; negative numbers keep their sign."""
    sign = "-" if value < 0 else ""
    return sign + f"{abs(value):,}".replace(",", ".")


def format_count(value: int, *, zero_pad: bool = True) -> str:
    """A count in running text: 1–9 padded by local habit ('07'), 0 stays '0'."""
    if zero_pad and 1 <= value <= 9:
        return f"0{value}"
    return format_integer(value)


def format_fraction(numerator: int, denominator: int, *, zero_pad: bool = True) -> str:
    """'1.018/1.018', '01/01': the numerator/denominator pair a reader can check."""
    return (
        f"{format_count(numerator, zero_pad=zero_pad)}/"
        f"{format_count(denominator, zero_pad=zero_pad)}"
    )


def rate_hundredths(value: Fraction, rounding: RateRounding) -> int:
    """The rate in hundredths of a percent, cut per the rounding rule.

    Public because a consolidation workbook stores the shown rate as a number: the same
    cut as the text, so a cell and its sentence never disagree.
    """
    scaled = value * 100 * 100
    if rounding is RateRounding.TRUNCATE:
        return scaled.numerator // scaled.denominator
    half_up = (scaled + Fraction(1, 2)).__floor__()
    if half_up >= 100 * 100 and scaled < 100 * 100:
        return 100 * 100 - 1
    return half_up


def format_percent_value(percent: Fraction | int, rounding: RateRounding) -> str:
    """A percentage (already ×100) as '99,38%', at most two decimals, no trailing zeros."""
    hundredths = rate_hundredths(Fraction(percent) / 100, rounding)
    whole, decimals = divmod(abs(hundredths), 100)
    sign = "-" if hundredths < 0 else ""
    text = sign + format_integer(whole)
    if decimals:
        text += "," + f"{decimals:02d}".rstrip("0")
    return text + "%"


def format_rate(
    numerator: int, denominator: int, rounding: RateRounding = RateRounding.TRUNCATE
) -> str:
    """numerator/denominator as a Vietnamese percentage: 1124/1131 -> '99,38%'.

    The denominator must be positive: a zero denominator means nothing arose,
    which is a sentence, not a rate.
    """
    if denominator <= 0:
        raise ValueError("a rate needs a positive denominator")
    return format_percent_value(Fraction(numerator * 100, denominator), rounding)


def format_date_long(day: date) -> str:
    """'ngày 01 tháng 4 năm 2026': days below 10 and months 1–2 padded (NĐ 30/2020)."""
    return f"ngày {day.day:02d} tháng {_month(day.month)} năm {day.year}"


def format_date_short(day: date) -> str:
    """'01/4/2026', '05/02/2026': the in-text form of the same rule."""
    return f"{day.day:02d}/{_month(day.month)}/{day.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month <= 2 else str(month)


_ROMAN_QUARTERS = ("I", "II", "III", "IV")


def format_period_label(start: date, end: date) -> str:
    """How a report names its period: 'tháng 3 năm 2026', 'quý I năm 2026', 'năm 2026'…

    Whole calendar months, quarters, halves, nine months and years get their
    usual names; any other range is written out with both dates.
    """
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months and start.year == end.year:
        first, last = start.month, end.month
        if first == last:
            return f"tháng {_month(first)} năm {start.year}"
        if (first - 1) % 3 == 0 and last == first + 2:
            return f"quý {_ROMAN_QUARTERS[(first - 1) // 3]} năm {start.year}"
        if (first, last) == (1, 6):
            return f"6 tháng đầu năm {start.year}"
        if (first, last) == (7, 12):
            return f"6 tháng cuối năm {start.year}"
        if (first, last) == (1, 9):
            return f"9 tháng đầu năm {start.year}"
        if (first, last) == (1, 12):
            return f"năm {start.year}"
    return f"từ ngày {format_date_short(start)} đến ngày {format_date_short(end)}"
