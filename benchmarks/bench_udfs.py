"""The Tổng hợp sheet's worksheet functions timed in Python, called as Excel would call them.

Run from the project root with the package installed (no pytest needed):

    python benchmarks/bench_udfs.py [--runs 20]

The seed's ranges are built once from the filled workbook (`build_workbook`),
with the values Excel's own formulas would give (taken from the core). One
"recalculation" is every formula cell of Tổng hợp that calls the add-in: the
32 rows (8 indicators x 4 scopes) x 4 functions = 128 calls, as Excel calls
them after a clerk edits a cell: the functions parse a set of range values
once and reuse it for every call with the same values, so each timed
recalculation starts with that cache emptied (the edit), and the first call
pays for parsing. The baseline is
`compute_indicators` on the same report: the least work any implementation
must do once per recalculation. Both are timed with time.perf_counter, in
alternation (so both see the same machine load); the median of --runs runs
is reported.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from tthc.core.grid import INPUT_COLUMNS
from tthc.core.indicators import compute_indicators
from tthc.core.labels import MISSING_TEXT
from tthc.core.model import INDICATOR_CODES, ReportInput
from tthc.core.report_data import load_report
from tthc.core.summary import summary_scopes
from tthc.excel import ranges as range_parsing
from tthc.udfs import TTHC_PART, TTHC_RATE, TTHC_VERDICT
from tthc.workbook.openpyxl_source import stored_values
from tthc.workbook.template import build_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, decimal

CALLS_PER_ROW = 4  # PART numerator, PART denominator, RATE, VERDICT
DERIVED = {3: "received", 7: "resolved", 13: "pending"}


def _seed() -> ReportInput:
    text = resources.files("tthc").joinpath("data", "binh_giang_2026_03.json").read_text("utf-8")
    loaded = load_report(json.loads(text))
    assert loaded.report is not None, [f.describe() for f in loaded.findings]
    return loaded.report


def _excel(value: object) -> object:
    """A cell as xlwings passes it: numbers as floats; formula cells are filled in by the caller."""
    if isinstance(value, str) and value.startswith("="):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def seed_ranges(report: ReportInput) -> dict[str, object]:
    """TTHC_GRID, TTHC_EXTRAS, TTHC_SETTINGS, TTHC_TARGETS of the filled workbook, as values."""
    book = build_workbook(report)
    counts = {row.field: row.counts for row in report.rows}
    grid = []
    for cells in stored_values(book, "TTHC_GRID"):
        row = [_excel(v) for v in cells]
        field = str(cells[0] or "").strip()
        used = any(isinstance(row[c.number - 2], float) for c in INPUT_COLUMNS)
        for number, key in DERIVED.items():  # IF(COUNT(inputs)=0,"",sum)
            row[number - 2] = float(getattr(counts[field], key)) if used else ""
        department = report.catalogue.department_of(field) if field else ""
        row[15] = department or ("(ngoài danh mục)" if field else "")
        grid.append(row)
    return {
        "grid": grid,
        # The denominator columns are formulas; the functions do not read them.
        "extras": [[_excel(v) for v in row] for row in stored_values(book, "TTHC_EXTRAS")],
        "settings": [row[0] for row in stored_values(book, "TTHC_SETTINGS")],
        "targets": [[_excel(v) for v in row] for row in stored_values(book, "TTHC_TARGETS")],
    }


def summary_sheet(
    report: ReportInput, ranges: dict[str, object]
) -> tuple[list[tuple[str, str]], Callable[[], list[tuple[object, ...]]]]:
    """The (code, scope) rows of Tổng hợp and one recalculation of their 4 add-in formulas."""
    grid, extras = ranges["grid"], ranges["extras"]
    settings, targets = ranges["settings"], ranges["targets"]
    rows = [
        (code, scope)
        for code in INDICATOR_CODES
        for scope in summary_scopes(report.catalogue, report.unit.kind)
    ]

    def recalculate() -> list[tuple[object, ...]]:
        range_parsing._RECENT.clear()  # a cell was edited: the ranges are new values
        return [
            (
                TTHC_PART(code, "numerator", grid, extras, scope, settings),
                TTHC_PART(code, "denominator", grid, extras, scope, settings),
                TTHC_RATE(code, grid, extras, scope, settings),
                TTHC_VERDICT(code, grid, extras, scope, targets, settings),
            )
            for code, scope in rows
        ]

    return rows, recalculate


def _check(report: ReportInput, rows: list[tuple[str, str]], values: list) -> None:
    """The sheet must show the core's unit-wide figures, or the timing means nothing."""
    unit_scope = summary_scopes(report.catalogue, report.unit.kind)[0]
    unit = compute_indicators(report).unit
    for (code, scope), shown in zip(rows, values, strict=True):
        assert not any(isinstance(v, str) and v.startswith("Lỗi") for v in shown), shown
        if scope == unit_scope:
            core = (unit[code].numerator, unit[code].denominator)
            assert shown[:2] == tuple(MISSING_TEXT if v is None else v for v in core), code


def _seconds(function: Callable[[], object], repeat: int = 1) -> float:
    """The time of one call, averaged over `repeat` calls."""
    start = time.perf_counter()
    for _ in range(repeat):
        function()
    return (time.perf_counter() - start) / repeat


def _medians(
    sheet: Callable[[], object], baseline: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Median times of both, measured in alternation so both see the same machine load."""
    sheet_samples, baseline_samples = [], []
    for _ in range(runs):
        sheet_samples.append(_seconds(sheet))
        baseline_samples.append(_seconds(baseline, repeat=20))
    return statistics.median(sheet_samples), statistics.median(baseline_samples)


GOAL_MICROSECONDS = 50.0


def measure(runs: int) -> list[Goal]:
    """The per-call figure of a recalculation after an edit, against compute_indicators."""
    report = _seed()
    rows, recalculate = summary_sheet(report, seed_ranges(report))
    calls = len(rows) * CALLS_PER_ROW
    _check(report, rows, recalculate())
    recalculate()
    sheet, baseline = _medians(recalculate, lambda: compute_indicators(report), runs)
    per_call = sheet / calls * 1e6
    return [
        Goal(
            f"worksheet function, one of the {calls} calls recalculating Tổng hợp",
            "≤ 50 µs a call",
            f"{decimal(per_call)} µs ({decimal(sheet * 1000, 2)} ms the sheet)",
            f"compute_indicators {decimal(baseline * 1000, 3)} ms",
            f"{decimal(sheet / baseline)}× compute_indicators for the sheet",
            per_call <= GOAL_MICROSECONDS,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs (default 20)")
    args = parser.parse_args(argv)

    report = _seed()
    ranges = seed_ranges(report)
    rows, recalculate = summary_sheet(report, ranges)
    calls = len(rows) * CALLS_PER_ROW
    _check(report, rows, recalculate())

    recalculate()  # warm-up
    sheet, baseline = _medians(recalculate, lambda: compute_indicators(report), args.runs)

    print(
        f"Tổng hợp: {len(rows)} rows x {CALLS_PER_ROW} functions = {calls} calls per recalculation"
    )
    print(f"  median of {args.runs} runs, Python {sys.version.split()[0]}")
    print(f"  full-sheet recalculation : {sheet * 1000:8.2f} ms")
    print(
        f"  per call                 : {sheet / calls * 1e6:8.1f} µs ({calls / sheet:,.0f} calls/s)"
    )
    print(f"  baseline compute_indicators: {baseline * 1000:6.3f} ms")
    print(f"  ratio sheet / baseline   : {sheet / baseline:8.0f}x")
    print(f"  ratio one call / baseline: {sheet / calls / baseline:8.1f}x")
    for goal in measure(args.runs):
        print(goal.line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
