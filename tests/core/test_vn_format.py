"""Vietnamese writing conventions, checked against hand-written values."""

from datetime import date
from fractions import Fraction

import pytest

from tthc.core.vn_format import (
    RateRounding,
    format_count,
    format_date_long,
    format_date_short,
    format_fraction,
    format_integer,
    format_percent_value,
    format_period_label,
    format_rate,
    nfc,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, "0"), (7, "7"), (999, "999"), (1000, "1.000"), (1132, "1.132"), (1234567, "1.234.567")],
)
def test_integers_group_thousands_with_dots(value: int, expected: str) -> None:
    assert format_integer(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0, "0"), (1, "01"), (7, "07"), (9, "09"), (10, "10"), (1132, "1.132")]
)
def test_counts_in_running_text_pad_one_to_nine(value: int, expected: str) -> None:
    assert format_count(value) == expected


def test_padding_is_a_setting() -> None:
    assert format_count(7, zero_pad=False) == "7"
    assert format_fraction(1, 1) == "01/01"
    assert format_fraction(1, 1, zero_pad=False) == "1/1"
    assert format_fraction(1018, 1018) == "1.018/1.018"


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1132, 1132, "100%"),
        (1124, 1131, "99,38%"),  # 99,3810…
        (1, 2, "50%"),  # no trailing zeros: at most two decimals
        (1, 4, "25%"),
        (3, 8, "37,5%"),  # 37,50 -> 37,5
        (0, 5, "0%"),
        (99999, 100000, "99,99%"),  # 99,999% is truncated, never shown as 100%
        (2, 3, "66,66%"),  # truncated, not rounded to 66,67
        (1124, 1130, "99,46%"),  # 99,4690…: truncation (the "99,47%" is rounded)
    ],
)
def test_rates_truncate_to_two_decimals(numerator: int, denominator: int, expected: str) -> None:
    assert format_rate(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (2, 3, "66,67%"),
        (1124, 1130, "99,47%"),
        (1014, 1018, "99,61%"),
        (72, 74, "97,3%"),
        (38, 39, "97,44%"),
        (99999, 100000, "99,99%"),  # half-up still never shows 100% below 100%
        (1, 1, "100%"),
    ],
)
def test_half_up_rounding_when_a_province_asks_for_it(
    numerator: int, denominator: int, expected: str
) -> None:
    assert format_rate(numerator, denominator, RateRounding.HALF_UP) == expected


def test_a_zero_denominator_is_not_a_rate() -> None:
    with pytest.raises(ValueError):
        format_rate(0, 0)


def test_target_percentages() -> None:
    assert format_percent_value(Fraction(60), RateRounding.TRUNCATE) == "60%"
    assert format_percent_value(Fraction("97.5"), RateRounding.TRUNCATE) == "97,5%"


@pytest.mark.parametrize(
    ("day", "long", "short"),
    [
        (date(2026, 4, 1), "ngày 01 tháng 4 năm 2026", "01/4/2026"),
        (date(2026, 2, 5), "ngày 05 tháng 02 năm 2026", "05/02/2026"),
        (date(2026, 1, 31), "ngày 31 tháng 01 năm 2026", "31/01/2026"),
        (date(2026, 12, 10), "ngày 10 tháng 12 năm 2026", "10/12/2026"),
        (date(2026, 3, 31), "ngày 31 tháng 3 năm 2026", "31/3/2026"),
    ],
)
def test_dates_follow_decree_30(day: date, long: str, short: str) -> None:
    assert format_date_long(day) == long
    assert format_date_short(day) == short


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 3, 1), date(2026, 3, 31), "tháng 3 năm 2026"),
        (date(2026, 2, 1), date(2026, 2, 28), "tháng 02 năm 2026"),
        (date(2026, 1, 1), date(2026, 3, 31), "quý I năm 2026"),
        (date(2026, 10, 1), date(2026, 12, 31), "quý IV năm 2026"),
        (date(2026, 1, 1), date(2026, 6, 30), "6 tháng đầu năm 2026"),
        (date(2026, 7, 1), date(2026, 12, 31), "6 tháng cuối năm 2026"),
        (date(2026, 1, 1), date(2026, 9, 30), "9 tháng đầu năm 2026"),
        (date(2026, 1, 1), date(2026, 12, 31), "năm 2026"),
        (date(2026, 3, 1), date(2026, 3, 15), "từ ngày 01/3/2026 đến ngày 15/3/2026"),
        (date(2026, 2, 1), date(2026, 4, 30), "từ ngày 01/02/2026 đến ngày 30/4/2026"),
        (date(2025, 12, 1), date(2026, 1, 31), "từ ngày 01/12/2025 đến ngày 31/01/2026"),
    ],
)
def test_period_labels(start: date, end: date, label: str) -> None:
    assert format_period_label(start, end) == label


def test_nfc_joins_decomposed_vietnamese() -> None:
    decomposed = "Đa\u0301t đai"  # 'á' typed as a + combining acute
    assert nfc(decomposed) == "Đát đai"
    assert len(nfc("Hô\u0323 ti\u0323ch")) == len("Hộ tịch")
