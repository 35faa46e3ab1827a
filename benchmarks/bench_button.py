"""The «Tạo báo cáo» button timed warm, the Word report written, against the pipeline alone.

Run from the project root with the package and its test extra installed:

    python benchmarks/bench_button.py [--runs 15]

The filled sample workbook (Bình Giang, March 2026) is sent to
`tthc.excel.button.generate_report` as Excel sends it through xlwings' JSON
engine (the test suite's payload builder, `tests/helpers.py`): the blocks are
read, the pipeline runs, Tổng hợp and Báo cáo are written and the .docx is
written to a scratch folder, as the button does beside a saved workbook. Warm:
the first call is not counted (Excel keeps the Python process alive between
clicks). The baseline is the pipeline alone on the same report
(`run_pipeline`), measured in the same run. Goal: ≤ 150 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))  # the payload builder the tests use
sys.path.insert(0, str(ROOT / "benchmarks"))

from goals import Goal, decimal, median_seconds, milliseconds, run_goals  # noqa: E402

GOAL_SECONDS = 0.150


def measure(runs: int) -> list[Goal]:
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")  # the JSON engine, dev only
    import xlwings as xw

    from helpers import sample_data, xlwings_payload
    from tthc.core.pipeline import run_pipeline
    from tthc.core.report_data import LoadResult, load_report
    from tthc.excel import button
    from tthc.workbook.template import build_workbook

    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    report = load_report(sample_data()).report
    assert report is not None
    payload = xlwings_payload(build_workbook(report), xw.__version__)
    with tempfile.TemporaryDirectory() as folder:
        button._book_folder = lambda book: Path(folder)  # as beside a saved workbook

        def click() -> str:
            return button.generate_report(xw.Book(json=payload))

        message = click()
        assert "báo cáo Word" in message, message  # the .docx was written
        spent = median_seconds(click, runs)
    pipeline = median_seconds(lambda: run_pipeline(LoadResult(report, ())), runs)
    return [
        Goal(
            "button «Tạo báo cáo», .docx written (warm)",
            "≤ 150 ms",
            milliseconds(spent),
            f"pipeline alone {milliseconds(pipeline)}",
            f"{decimal(spent / pipeline)}× the pipeline",
            spent <= GOAL_SECONDS,
        )
    ]


def main(argv: list[str] | None = None) -> int:
    return run_goals(measure, __doc__.split("\n\n")[0], 15, argv)


if __name__ == "__main__":
    sys.exit(main())
