"""One rule for each input: the same entry gets the same verdict, in the same words, on
every path that reads it: the data file, the openpyxl reader (`tthc check`, `report`),
the calamine reader (`consolidate`) and the worksheet functions (`=TTHC_RATE(…)`).

Each case types one value into the sample's workbook and hands the same value to a
function the way Excel passes a range; a value the readers refuse must make the function
answer «Lỗi: …» with the readers' own message, and a value they accept must change the
function's result as it changes the report's.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries

from helpers import sample_data
from tthc.core.findings import Finding, Severity
from tthc.core.model import ReportInput
from tthc.core.report_data import LoadResult, load_report
from tthc.udfs import TTHC_PART, TTHC_VERDICT
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

READERS = {"openpyxl": read_workbook, "calamine": read_workbook_fast}


@pytest.fixture(scope="module")
def seed() -> ReportInput:
    report = load_report(sample_data()).report
    assert report is not None
    return report


def _area(workbook: Workbook, name: str) -> tuple[str, int, int, int, int]:
    ((title, ref),) = list(workbook.defined_names[name].destinations)
    first_col, first_row, last_col, last_row = range_boundaries(ref.replace("$", ""))
    return title, first_col, first_row, last_col, last_row


def _values(workbook: Workbook, name: str) -> list[list[object]]:
    """A named range's values as xlwings hands them to a function (numbers as floats)."""
    title, c1, r1, c2, r2 = _area(workbook, name)
    sheet = workbook[title]
    rows = []
    for row in sheet.iter_rows(min_row=r1, max_row=r2, min_col=c1, max_col=c2, values_only=True):
        rows.append(
            [float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in row]
        )
    return rows


@dataclass(frozen=True)
class Typed:
    """A workbook with one entry typed, as both readers and a function see it."""

    loaded: dict[str, LoadResult]
    ranges: dict[str, list[list[object]]]
    cell: tuple[str, str]


def _typed(
    seed: ReportInput, tmp_path: Path, name: str, down: int, right: int, value: object
) -> Typed:
    workbook = build_workbook(seed)
    title, col, row, _, _ = _area(workbook, name)
    cell = f"{get_column_letter(col + right)}{row + down}"
    workbook[title][cell] = value
    path = tmp_path / "typed.xlsx"
    workbook.save(path)
    ranges = {
        n: _values(workbook, n)
        for n in ("TTHC_GRID", "TTHC_EXTRAS", "TTHC_SETTINGS", "TTHC_TARGETS")
    }
    return Typed({k: read(path) for k, read in READERS.items()}, ranges, (title, cell))


def _errors_at(loaded: LoadResult, cell: tuple[str, str]) -> list[Finding]:
    return [
        f
        for f in loaded.findings
        if f.severity is Severity.ERROR and (f.location.sheet, f.location.cell) == cell
    ]


# A flag cell (strict 2.1): every label is matched ignoring case, on every path.
FLAG_CASES = [
    ("có", True),
    ("KHÔNG", False),
    ("  Có ", True),
    ("Co\u0301", True),  # «Có» typed in decomposed Unicode (a Mac, a paste from the web)
    ("Có lẽ", None),
    ("x", None),
    (1, None),
]


@pytest.mark.parametrize(("value", "strict"), FLAG_CASES, ids=[repr(c[0]) for c in FLAG_CASES])
def test_a_settings_entry_gets_one_verdict(
    seed: ReportInput, tmp_path: Path, value: object, strict: bool | None
) -> None:
    typed = _typed(seed, tmp_path, "TTHC_SETTINGS", 1, 0, value)
    grid, extras, settings = (
        typed.ranges[n] for n in ("TTHC_GRID", "TTHC_EXTRAS", "TTHC_SETTINGS")
    )
    numerator = TTHC_PART("2.1", "numerator", grid, extras, None, settings)
    for reader, loaded in typed.loaded.items():
        errors = _errors_at(loaded, typed.cell)
        if strict is None:
            assert [e.code for e in errors] == ["settings.invalid"], reader
            assert isinstance(numerator, str) and numerator.startswith("Lỗi:")
            assert numerator.endswith(errors[0].message), (numerator, errors[0].message)
        else:
            assert errors == [], reader
            assert loaded.report is not None and loaded.report.settings.strict_on_time is strict
    if strict is not None:
        # Strict 2.1 leaves out refused and withdrawn dossiers: (8)+(9) instead of (8)+(9)+(10)...
        expected = TTHC_PART(
            "2.1",
            "numerator",
            grid,
            extras,
            None,
            ["Theo mẫu", "Có" if strict else "Không", "Có", "Cắt bớt"],
        )
        assert numerator == expected


# A target's percent: the data file's rule (a number from 0 to 100) on every path.
PERCENT_CASES = [(60.0, True), (0, True), ("sáu mươi", False), (101, False), (-1, False)]


@pytest.mark.parametrize(
    ("value", "accepted"), PERCENT_CASES, ids=[repr(c[0]) for c in PERCENT_CASES]
)
def test_a_target_entry_gets_one_verdict(
    seed: ReportInput, tmp_path: Path, value: object, accepted: bool
) -> None:
    typed = _typed(seed, tmp_path, "TTHC_TARGETS", 0, 3, value)  # 1.1's percent
    grid, extras, settings, targets = (
        typed.ranges[n] for n in ("TTHC_GRID", "TTHC_EXTRAS", "TTHC_SETTINGS", "TTHC_TARGETS")
    )
    verdict = TTHC_VERDICT("1.1", grid, extras, None, targets, settings)
    data = sample_data()
    data.setdefault("targets", {})["1.1"] = {"comparison": "≥", "percent": value}
    from_file = load_report(data)
    file_errors = [f for f in from_file.findings if f.severity is Severity.ERROR]
    for reader, loaded in typed.loaded.items():
        errors = [f for f in loaded.findings if f.severity is Severity.ERROR]
        if accepted:
            assert errors == [] and file_errors == [], reader
            assert verdict in ("Đạt", "Không đạt")
        else:
            assert [e.message for e in errors] == [f.message for f in file_errors], reader
            assert [e.location.cell for e in errors] == [typed.cell[1]], reader
            assert isinstance(verdict, str) and verdict.endswith(errors[0].message), verdict


# A grid count: `parse_count`'s rule, text numbers included, on every path.
# "#REF!", "#N/A": error cells, as openpyxl, calamine and xlwings (err_to_str) give them.
COUNT_CASES = [
    ("12", 12),
    ("1.200", 1200),
    (" 7 ", 7),
    ("5 hs", None),
    (-1, None),
    (2.5, None),
    ("#REF!", None),
    ("#N/A", None),
]


@pytest.mark.parametrize(("value", "count"), COUNT_CASES, ids=[repr(c[0]) for c in COUNT_CASES])
def test_a_count_entry_gets_one_verdict(
    seed: ReportInput, tmp_path: Path, value: object, count: int | None
) -> None:
    typed = _typed(seed, tmp_path, "TTHC_GRID", 0, 2, value)  # first field, column (4)
    grid, extras, settings = (
        typed.ranges[n] for n in ("TTHC_GRID", "TTHC_EXTRAS", "TTHC_SETTINGS")
    )
    field = grid[0][0]
    denominator = TTHC_PART("1.1", "denominator", grid, extras, field, settings)
    data = sample_data()
    data["appendix"]["rows"][0]["online"] = value
    from_file = load_report(data)
    for reader, loaded in (*typed.loaded.items(), ("data file", from_file)):
        errors = [
            f
            for f in loaded.findings
            if f.severity is Severity.ERROR and f.code.startswith("count.")
        ]
        if count is None:
            assert len(errors) == 1, (reader, loaded.findings)
            assert isinstance(denominator, str) and denominator.endswith(errors[0].message)
        else:
            assert errors == [], reader
            assert loaded.report is not None
            assert loaded.report.rows[0].counts.online == count
    if count is not None:
        row = seed.rows[0].counts
        assert denominator == count + row.direct + row.carried_over
