"""The data-entry workbook evaluated without Excel, and the worksheet functions called directly.

The workbook built from the sample is saved, read back and its native formulas
computed by tthc's formula evaluator (`workbook.formula_evaluator`, itself checked
against LibreOffice's recalculation in test_workbook_libreoffice.py). Every figure
of the Tổng hợp sheet and the native formulas of Phụ lục and Chỉ tiêu are compared
with the core (`compute_indicators`) and with figures taken by hand from the
reference report, under both conventions and for any generated month. The
worksheet functions are called directly, with what Excel via xlwings passes them
(2-D lists, floats, None for blanks).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl.utils.cell import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

from helpers import MISSING, NONE_AROSE, core_summary, sample_data, shown
from strategies import examples, reports
from tthc.core.model import Convention, ReportInput
from tthc.core.report_data import load_report
from tthc.core.summary import summary_scopes
from tthc.udfs import TTHC_NUMBER, TTHC_PART, TTHC_RATE, TTHC_VERDICT
from tthc.workbook.formula_evaluator import formula_results
from tthc.workbook.formula_values import Blank, XlError
from tthc.workbook.layout import EXTRA_COLUMNS
from tthc.workbook.template import GRID_FIRST_ROW, build_workbook

CHECK_OK = "✓"
UDF_NAMES = ("TTHC_PART", "TTHC_RATE", "TTHC_VERDICT", "TTHC_NUMBER")
VP = "Văn phòng HĐND-UBND"
KT = "Phòng Kinh tế"
VHXH = "Phòng Văn hóa - Xã hội"
UNIT = "Toàn xã"


# --- the workbook evaluated ------------------------------------------------------------


@dataclass(frozen=True)
class Evaluated:
    """A saved workbook, its formulas as written and the values one engine computed."""

    report: ReportInput
    book: Workbook = field(repr=False)  # as saved: formulas, not values
    computed: Callable[[str, int, int], object] = field(repr=False)

    def value(self, sheet: str, row: int, column: int) -> object:
        """The computed value of one formula cell (None for a blank, plain Python types)."""
        return self.computed(sheet, row, column)

    def label(self, sheet: str, row: int, column: int) -> object:
        """A typed-in cell, read from the saved file."""
        return self.book[sheet].cell(row, column).value

    def area(self, name: str) -> tuple[str, int, int, int, int]:
        """(sheet, first column, first row, last column, last row) of a defined name."""
        ((sheet, ref),) = list(self.book.defined_names[name].destinations)
        first_column, first_row, last_column, last_row = range_boundaries(ref.replace("$", ""))
        assert first_column and first_row and last_column and last_row
        return sheet, first_column, first_row, last_column, last_row


def _evaluate(report: ReportInput, directory: Path, name: str) -> Evaluated:
    """The workbook saved, read back and its native formulas computed by tthc's evaluator.

    The evaluator is checked against a LibreOffice recalculation of the same workbooks
    (test_workbook_libreoffice.py); it is fast enough for a property over many months.
    It computes no add-in function: the figures checked here are native formulas.
    """
    path = directory / f"{name}.xlsx"
    build_workbook(report).save(path)
    book = openpyxl.load_workbook(path)
    results = formula_results(book)

    def computed(sheet: str, row: int, column: int) -> object:
        where = f"{sheet}!{get_column_letter(column)}{row}"
        assert (row, column) in results[sheet], f"{where} was not computed"
        value = results[sheet][row, column]
        assert not isinstance(value, XlError), f"{where} is {value}"
        return None if isinstance(value, Blank) else value

    return Evaluated(report, book, computed)


@pytest.fixture(scope="module")
def seed() -> ReportInput:
    """The bundled sample, as the `seed_report` fixture gives it, once per module."""
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report


def _qd766_report(report: ReportInput) -> ReportInput:
    """The seed under QĐ 766; 1.3's denominator is then (4)+(5), so `updated` follows it."""
    updated = {VP: 1018, KT: 74, VHXH: 38}
    departments = {
        name: replace(values, updated=updated[name])
        for name, values in report.extras.departments.items()
    }
    return replace(
        report,
        settings=replace(report.settings, convention=Convention.QD766),
        extras=replace(report.extras, departments=departments),
    )


@pytest.fixture(scope="module")
def mau_book(seed: ReportInput, tmp_path_factory: pytest.TempPathFactory) -> Evaluated:
    return _evaluate(seed, tmp_path_factory.mktemp("workbook"), "mau")


@pytest.fixture(scope="module")
def qd766_book(seed: ReportInput, tmp_path_factory: pytest.TempPathFactory) -> Evaluated:
    return _evaluate(_qd766_report(seed), tmp_path_factory.mktemp("workbook"), "qd766")


BOOKS = ("mau_book", "qd766_book")


# --- what the core says ----------------------------------------------------------------


def _summary(book: Evaluated) -> dict[tuple[str, str], tuple[object, object, object, object]]:
    """(code, scope) -> the computed (D, E, F, H) of each Tổng hợp row."""
    sheet, first_column, first_row, _last_column, last_row = book.area("TTHC_SUMMARY")
    rows = {}
    for row in range(first_row, last_row + 1):
        code = book.label(sheet, row, first_column)
        scope = book.label(sheet, row, first_column + 2)
        assert isinstance(code, str) and isinstance(scope, str)
        assert (code, scope) not in rows, f"row {row} repeats {code} / {scope}"
        rows[code, scope] = tuple(book.value(sheet, row, first_column + c) for c in (3, 4, 5, 7))
    return rows


# --- the module-scoped report is the conftest one -------------------------------------------


def test_module_sample_is_the_seed_report(seed: ReportInput, seed_report: ReportInput) -> None:
    assert seed == seed_report


# --- Tổng hợp ------------------------------------------------------------------------------


@pytest.mark.parametrize("book_name", BOOKS)
def test_every_summary_row_equals_the_core(book_name: str, request: pytest.FixtureRequest) -> None:
    book: Evaluated = request.getfixturevalue(book_name)
    summary = _summary(book)
    expected = core_summary(book.report)
    assert set(summary) == set(expected)
    wrong = []
    for key, result in expected.items():
        want = shown(result)
        got = summary[key]
        same_rate = (
            got[2] == pytest.approx(want[2]) if isinstance(want[2], float) else got[2] == want[2]
        )
        if got[:2] != want[:2] or not same_rate or got[3] != want[3]:
            wrong.append((key, got, want))
    assert not wrong


HAND_MAU = {  # (code, scope): numerator, denominator, verdict; the reference report's figures
    ("1.1", UNIT): (1132, 1132, "Đạt"),
    ("1.1", VP): (1018, 1018, "Đạt"),
    ("1.1", KT): (75, 75, "Đạt"),
    ("1.1", VHXH): (39, 39, "Đạt"),
    ("1.2", UNIT): (673, 673, "Đạt"),
    ("1.3", UNIT): (1132, 1132, "Đạt"),
    ("1.4", UNIT): (1124, 1124, "Đạt"),
    ("1.4", VP): (1014, 1014, "Đạt"),
    ("1.4", KT): (72, 72, "Đạt"),
    ("1.4", VHXH): (38, 38, "Đạt"),
    ("1.6", UNIT): (1, 1, "Đạt"),
    ("2.1", UNIT): (1131, 1131, ""),
    ("2.1", VP): (1018, 1018, ""),
    ("2.1", KT): (74, 74, ""),
    ("2.1", VHXH): (39, 39, ""),
    ("2.2", UNIT): (0, 1131, ""),
}


@pytest.mark.parametrize(("key", "figures"), HAND_MAU.items(), ids=lambda v: str(v))
def test_summary_matches_the_reference_report(
    mau_book: Evaluated, key: tuple[str, str], figures: tuple[int, int, str]
) -> None:
    numerator, denominator, rate, verdict = _summary(mau_book)[key]
    assert (numerator, denominator, verdict) == figures
    assert rate == pytest.approx(figures[0] / figures[1])


def test_summary_marks_missing_inputs(mau_book: Evaluated) -> None:
    """1.2 and 1.5 are typed unit-wide in the seed: no department figure is invented."""
    summary = _summary(mau_book)
    assert summary["1.2", VP] == (MISSING, MISSING, MISSING, "")
    assert summary["1.5", KT] == (MISSING, 74, MISSING, "")
    assert summary["1.5", UNIT] == (1130, 1130, 1.0, "Đạt")


def test_summary_under_qd766(qd766_book: Evaluated) -> None:
    summary = _summary(qd766_book)
    assert summary["1.1", UNIT] == (1130, 1130, 1.0, "Đạt")
    numerator, denominator, rate, verdict = summary["1.4", UNIT]
    assert (numerator, denominator, verdict) == (1124, 1130, "Không đạt")  # target = 100%
    assert rate == pytest.approx(1124 / 1130)
    assert summary["1.3", UNIT] == (1130, 1130, 1.0, "Đạt")
    assert summary["1.3", KT] == (74, 74, 1.0, "Đạt")
    assert summary["2.1", UNIT][:2] == (1132, 1132)  # (7)-(10)+(14)+(16) over (7)+(13)


# --- Phụ lục -------------------------------------------------------------------------------


def test_grid_formulas_equal_the_core_counts(mau_book: Evaluated) -> None:
    book, report = mau_book, mau_book.report
    sheet, field_column, first, last_column, last = book.area("TTHC_GRID")
    assert (first, field_column, last_column) == (GRID_FIRST_ROW, 2, 17)
    check_sheet, check_column, check_first, _, check_last = book.area("TTHC_GRID_CHECK")
    assert (check_sheet, check_first, check_last) == (sheet, first, last)
    by_field = {row.field: row.counts for row in report.rows}
    used = []
    for row in range(first, last + 1):
        name = book.label(sheet, row, field_column)
        counts = by_field.get(name) if isinstance(name, str) else None
        derived = [book.value(sheet, row, number) for number in (3, 7, 13)]
        check = book.value(sheet, row, check_column)
        if counts is None:
            assert (derived, check) == (["", "", ""], ""), f"unused row {row} ({name})"
            continue
        used.append(name)
        assert derived == [counts.received, counts.resolved, counts.pending], name
        assert check == CHECK_OK, f"row {row} ({name}): {check}"
    assert used == [row.field for row in report.rows]


def test_grid_total_row_equals_the_core_total(mau_book: Evaluated) -> None:
    book, total = mau_book, mau_book.report.total
    sheet, first_column, row, last_column, last_row = book.area("TTHC_GRID_TOTAL")
    assert (first_column, last_column, last_row) == (2, 16, row)
    assert book.label(sheet, row, 2) == "Tổng cộng"
    got = {number: book.value(sheet, row, number) for number in range(3, 17)}
    assert got == {number: total.value(number) for number in range(3, 17)}
    assert (got[3], got[7], got[13]) == (1132, 1131, 1)  # the reference report's Tổng cộng


# --- Chỉ tiêu ------------------------------------------------------------------------------

DENOMINATOR_COLUMNS = {
    "1.3": "denominator_1_3",
    "1.4": "denominator_1_4",
    "1.5": "denominator_1_5",
}


def _extras_denominators(book: Evaluated) -> dict[tuple[str, str], object]:
    sheet, first_column, first_row, _last_column, last_row = book.area("TTHC_EXTRAS")
    values = {}
    for row in range(first_row, last_row + 1):
        scope = book.label(sheet, row, first_column)
        assert isinstance(scope, str)
        for code, key in DENOMINATOR_COLUMNS.items():
            column = first_column + EXTRA_COLUMNS.index(key)
            values[code, scope] = book.value(sheet, row, column)
    return values


@pytest.mark.parametrize("book_name", BOOKS)
def test_extras_denominators_equal_the_core(book_name: str, request: pytest.FixtureRequest) -> None:
    book: Evaluated = request.getfixturevalue(book_name)
    got = _extras_denominators(book)
    core = core_summary(book.report)
    assert got == {key: core[key].denominator for key in got}
    scopes = {scope for _code, scope in got}
    assert scopes == set(summary_scopes(book.report.catalogue, book.report.unit.kind))


def test_extras_denominators_by_hand(mau_book: Evaluated, qd766_book: Evaluated) -> None:
    mau = _extras_denominators(mau_book)
    # theo mẫu: 1.3 over (3), 1.4 over (8)+(9)+(10), 1.5 over (4)+(5)
    assert [mau["1.3", s] for s in (VP, KT, VHXH, UNIT)] == [1018, 75, 39, 1132]
    assert [mau["1.4", s] for s in (VP, KT, VHXH, UNIT)] == [1014, 72, 38, 1124]
    assert [mau["1.5", s] for s in (VP, KT, VHXH, UNIT)] == [1018, 74, 38, 1130]
    qd766 = _extras_denominators(qd766_book)
    for code in DENOMINATOR_COLUMNS:  # QĐ 766: all three over (4)+(5)
        assert [qd766[code, s] for s in (VP, KT, VHXH, UNIT)] == [1018, 74, 38, 1130]


# --- the worksheet functions called directly ----------------------------------------------


def _grid_row(field: str, department: str, *counts: float | str | None) -> list[object]:
    """A TTHC_GRID row: field, (3)…(16) with the derived (3), (7), (13) left blank, department.

    `counts` are the eleven inputs (4), (5), (6), (8)…(12), (14), (15), (16).
    """
    c4, c5, c6, c8, c9, c10, c11, c12, c14, c15, c16 = counts
    return [field, None, c4, c5, c6, None, c8, c9, c10, c11, c12, None, c14, c15, c16, department]


# Hộ tịch (VP): received 12 (10 online, 2 direct), resolved 12 (9 early, 1 on time,
# 1 late, 1 refused). Đất đai (KT): received 8 (3, 4, 1 carried over), resolved 6
# (4 early, 2 late), pending 2 (1 within time, 1 overdue).
GRID = [
    _grid_row("Hộ tịch", VP, 10.0, 2.0, None, 9.0, 1.0, 1.0, 1.0, None, None, None, None),
    _grid_row("Đất đai", KT, 3.0, 4.0, 1.0, 4.0, None, 2.0, None, None, 1.0, 1.0, None),
    [None] * 16,
    ["", *[""] * 15],
]
# department, with_fee, paid_online, (den. 1.3), updated, (den. 1.4), digitised,
# (den. 1.5), reused, feedback_received, feedback_handled
EXTRAS = [
    [VP, None, None, 12.0, 12.0, 11.0, 10.0, 12.0, None, None, None],
    [KT, None, None, 8.0, 7.0, 6.0, 6.0, 7.0, None, None, None],
    [UNIT, 5.0, 4.0, 20.0, None, 17.0, None, 19.0, 10.0, 0.0, None],
]
SETTINGS = ["Theo mẫu", "Không", "Có", "Cắt bớt"]
TARGETS = [
    ["1.1", "", "≥", 60.0],
    ["1.2", "", "≥", 60.0],
    ["1.3", "", "=", 100.0],
    ["1.4", "", "=", 100.0],
    ["1.5", "", "≥", 50.0],
    ["1.6", "", "=", 100.0],
    ["2.1", "", "≥", 80.0],
    ["2.2", "", None, None],
]

PLAIN_CASES = [  # code, scope, numerator, denominator, rate, verdict against TARGETS
    ("1.1", None, 14, 20, 0.7, "Đạt"),
    ("1.1", "", 14, 20, 0.7, "Đạt"),
    ("1.1", UNIT, 14, 20, 0.7, "Đạt"),
    ("1.1", VP, 10, 12, 10 / 12, "Đạt"),
    ("1.1", KT, 4, 8, 0.5, "Không đạt"),
    ("1.1", "Đất đai", 4, 8, 0.5, "Không đạt"),
    ("1.1", "  hộ  TỊCH ", 10, 12, 10 / 12, "Đạt"),
    ("1.2", None, 4, 5, 0.8, "Đạt"),
    ("1.2", VP, MISSING, MISSING, MISSING, ""),
    ("1.3", UNIT, 19, 20, 0.95, "Không đạt"),  # unit updated = sum over the departments
    ("1.3", VP, 12, 12, 1.0, "Đạt"),
    ("1.3", KT, 7, 8, 0.875, "Không đạt"),
    ("1.3", "Đất đai", MISSING, 8, MISSING, ""),  # no inputs per field
    ("1.4", None, 16, 17, 16 / 17, "Không đạt"),
    ("1.4", KT, 6, 6, 1.0, "Đạt"),
    ("1.5", UNIT, 10, 19, 10 / 19, "Đạt"),
    ("1.5", VP, MISSING, 12, MISSING, ""),
    ("1.6", UNIT, MISSING, 0, NONE_AROSE, ""),
    ("2.1", UNIT, 15, 18, 15 / 18, "Đạt"),
    ("2.1", KT, 4, 6, 4 / 6, "Không đạt"),
    ("2.2", UNIT, 3, 18, 3 / 18, ""),
    (1.1, KT, 4, 8, 0.5, "Không đạt"),  # a code typed as a number
    (2.1, VP, 11, 12, 11 / 12, "Đạt"),
]


@pytest.mark.parametrize(
    ("code", "scope", "numerator", "denominator", "rate", "verdict"), PLAIN_CASES
)
def test_functions_by_scope(
    code: object,
    scope: object,
    numerator: object,
    denominator: object,
    rate: object,
    verdict: str,
) -> None:
    assert TTHC_PART(code, "numerator", GRID, EXTRAS, scope, SETTINGS) == numerator
    assert TTHC_PART(code, "denominator", GRID, EXTRAS, scope, SETTINGS) == denominator
    got = TTHC_RATE(code, GRID, EXTRAS, scope, SETTINGS)
    assert got == (pytest.approx(rate) if isinstance(rate, float) else rate)
    assert TTHC_VERDICT(code, GRID, EXTRAS, scope, TARGETS, SETTINGS) == verdict


def test_part_accepts_vietnamese_part_names() -> None:
    assert TTHC_PART("1.1", "tử số", GRID, EXTRAS, VP, SETTINGS) == 10
    assert TTHC_PART("1.1", "mẫu số", GRID, EXTRAS, VP, SETTINGS) == 12


def test_default_targets_and_settings() -> None:
    """Without a targets table 2.1 carries no target; without settings the convention is mẫu."""
    assert TTHC_VERDICT("2.1", GRID, EXTRAS, UNIT, None, SETTINGS) == ""
    assert TTHC_VERDICT("1.1", GRID, EXTRAS, UNIT, None, SETTINGS) == "Đạt"
    assert TTHC_RATE("1.1", GRID) == pytest.approx(0.7)
    assert TTHC_RATE("1.1", GRID, EXTRAS, UNIT, None) == pytest.approx(0.7)


def test_functions_under_qd766_and_strict() -> None:
    qd766 = ["Theo QĐ 766", "Không", "Có", "Cắt bớt"]
    assert TTHC_PART("1.1", "numerator", GRID, EXTRAS, UNIT, qd766) == 13  # (4)
    assert TTHC_PART("1.1", "denominator", GRID, EXTRAS, UNIT, qd766) == 19  # (4)+(5)
    assert TTHC_RATE("1.3", GRID, EXTRAS, UNIT, qd766) == pytest.approx(1.0)
    assert TTHC_VERDICT("1.3", GRID, EXTRAS, UNIT, TARGETS, qd766) == "Đạt"
    # 2.1: (7)-(10)+(14)+(16) over (7)+(13)
    assert TTHC_PART("2.1", "numerator", GRID, EXTRAS, UNIT, qd766) == 16
    assert TTHC_PART("2.1", "denominator", GRID, EXTRAS, UNIT, qd766) == 20
    assert TTHC_RATE("1.1", GRID, EXTRAS, UNIT, "Theo QĐ 766") == pytest.approx(13 / 19)
    strict = ["Theo mẫu", "Có", "Có", "Cắt bớt"]
    assert TTHC_PART("2.1", "numerator", GRID, EXTRAS, UNIT, strict) == 14  # (8)+(9)


def _with_cell(row: int, column: int, value: object) -> list[list[object]]:
    grid = [list(cells) for cells in GRID]
    grid[row][column] = value
    return grid


ERROR_CASES = {
    "unknown code": ("9.9", GRID, EXTRAS, UNIT, SETTINGS, TARGETS),
    "blank code": ("", GRID, EXTRAS, UNIT, SETTINGS, TARGETS),
    "unknown scope": ("1.1", GRID, EXTRAS, "Phòng Y tế", SETTINGS, TARGETS),
    "text in a count": ("1.1", _with_cell(0, 2, "5 hs"), EXTRAS, UNIT, SETTINGS, TARGETS),
    "negative count": ("2.1", _with_cell(1, 6, -1.0), EXTRAS, KT, SETTINGS, TARGETS),
    "fractional count": ("2.1", _with_cell(1, 6, 2.5), EXTRAS, UNIT, SETTINGS, TARGETS),
    "text in extras": ("1.3", GRID, [[VP, None, None, 12.0, "nhiều"]], VP, SETTINGS, TARGETS),
    "unknown convention": ("1.1", GRID, EXTRAS, UNIT, ["Theo ý tôi"], TARGETS),
    "bad target": ("1.1", GRID, EXTRAS, UNIT, SETTINGS, [["1.1", "", "≥", "sáu mươi"]]),
}


@pytest.mark.parametrize("case", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_bad_input_gives_an_error_text(case: tuple[Any, ...]) -> None:
    code, grid, extras, scope, settings, targets = case
    results = [
        TTHC_PART(code, "numerator", grid, extras, scope, settings),
        TTHC_PART(code, "denominator", grid, extras, scope, settings),
        TTHC_RATE(code, grid, extras, scope, settings),
        TTHC_VERDICT(code, grid, extras, scope, targets, settings),
    ]
    if case is ERROR_CASES["bad target"]:  # only the verdict reads the targets
        results = results[-1:]
    for result in results:
        assert isinstance(result, str) and result.startswith("Lỗi:"), result


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The grids the worksheet functions parse from now on, one entry a parse (an empty
    cache of four sets of ranges)."""
    from tthc.excel import ranges

    found: list[object] = []
    real = ranges._parse

    def counted(*arguments: object) -> object:
        found.append(arguments[0])
        return real(*arguments)  # type: ignore[arg-type]

    monkeypatch.setattr(ranges, "_parse", counted)
    monkeypatch.setattr(ranges, "_RECENT", ranges._RecentRanges(4))
    return found


def test_equal_ranges_are_parsed_once_whatever_the_lists(parses: list[object]) -> None:
    """Excel hands each call fresh lists: equal values reuse one parse; a changed value, a
    TRUE where 1 stood (equal to Python's `==`) or an edit of the lists after the call
    do not reach a stale one."""

    def fresh(grid: list[list[object]]) -> list[list[object]]:
        return [list(row) for row in grid]

    for _ in range(3):
        assert TTHC_PART("1.1", "numerator", fresh(GRID), EXTRAS, UNIT, SETTINGS) == 14
    assert len(parses) == 1
    passed = fresh(GRID)
    assert TTHC_PART("1.1", "numerator", passed, EXTRAS, UNIT, SETTINGS) == 14
    passed[0][2] = 20.0  # the caller's list changed after the call: its key was taken before
    assert TTHC_PART("1.1", "numerator", fresh(GRID), EXTRAS, UNIT, SETTINGS) == 14
    assert len(parses) == 1
    # Hộ tịch's (4): 10 -> 11, so 1.1's numerator (3)-(5) for the unit: 14 -> 15.
    assert TTHC_PART("1.1", "numerator", _with_cell(0, 2, 11.0), EXTRAS, UNIT, SETTINGS) == 15
    assert len(parses) == 2
    one = _with_cell(0, 3, 1.0)  # Hộ tịch's (5): 2 -> 1, so (3) for the unit: 20 -> 19
    assert TTHC_PART("1.1", "denominator", one, EXTRAS, UNIT, SETTINGS) == 19
    true = _with_cell(0, 3, True)  # TRUE typed instead: no count, whatever `==` says
    assert true == one
    result = TTHC_PART("1.1", "denominator", true, EXTRAS, UNIT, SETTINGS)
    assert isinstance(result, str) and result.startswith("Lỗi:"), result
    assert len(parses) == 4


def test_the_verdict_reuses_the_grid_parsed_for_the_other_functions(
    parses: list[object],
) -> None:
    """TTHC_VERDICT alone passes the targets: the grid is parsed once for all four
    functions, and other targets give the verdict they call for."""
    assert TTHC_RATE("1.1", GRID, EXTRAS, KT, SETTINGS) == pytest.approx(0.5)
    assert TTHC_VERDICT("1.1", GRID, EXTRAS, KT, TARGETS, SETTINGS) == "Không đạt"  # 50% < 60%
    lower = [["1.1", "", "≥", 40.0], *TARGETS[1:]]
    assert TTHC_VERDICT("1.1", GRID, EXTRAS, KT, lower, SETTINGS) == "Đạt"
    assert TTHC_VERDICT("1.1", GRID, EXTRAS, KT, TARGETS, SETTINGS) == "Không đạt"
    assert len(parses) == 1
    bad = [["1.1", "", "≥", "sáu mươi"]]
    result = TTHC_VERDICT("1.1", GRID, EXTRAS, KT, bad, SETTINGS)
    assert isinstance(result, str) and result.startswith("Lỗi:"), result


def test_unknown_part_gives_an_error_text() -> None:
    result = TTHC_PART("1.1", "tỷ lệ", GRID, EXTRAS, UNIT, SETTINGS)
    assert isinstance(result, str) and result.startswith("Lỗi:")


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1132.0, "integer", "1.132"),
        (1132.0, "count", "1.132"),
        (7.0, None, "07"),
        (0.0, "count", "0"),
        (12.0, "integer", "12"),
        (0.99999, "rate", "99,99%"),
        (0.9938, "rate", "99,38%"),
        (1.0, "rate", "100%"),
    ],
)
def test_number(value: float, kind: str | None, text: str) -> None:
    result = TTHC_NUMBER(value) if kind is None else TTHC_NUMBER(value, kind)
    assert result == text


@pytest.mark.parametrize(
    ("value", "kind"), [("x", "count"), (2.5, "count"), ("#DIV/0!", "integer")]
)
def test_number_rejects_what_is_not_a_count(value: object, kind: str) -> None:
    result = TTHC_NUMBER(value, kind)
    assert isinstance(result, str) and result.startswith("Lỗi:")


# --- any valid month: the native figures equal the core's -----------------------------------


@given(report=reports())
@settings(
    max_examples=examples(0.1),  # 5 months in the quick profile, under a second each
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_native_summary_equals_the_core_for_any_month(
    report: ReportInput, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Conventions, strict 2.1, targets, blank and department-only inputs, as generated."""
    book = _evaluate(report, tmp_path_factory.mktemp("month"), "thang")
    summary = _summary(book)
    wrong = []
    for key, result in core_summary(report).items():
        want, got = shown(result), summary[key]
        same_rate = (
            got[2] == pytest.approx(want[2]) if isinstance(want[2], float) else got[2] == want[2]
        )
        if got[:2] != want[:2] or not same_rate or (got[3] or "") != want[3]:
            wrong.append((key, got, want))
    assert wrong == []
