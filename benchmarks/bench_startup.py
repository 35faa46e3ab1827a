"""Start-up and one-shot commands timed as whole processes, against Python's own start.

Run from the project root with the package installed:

    python benchmarks/bench_startup.py [--runs 7] [--months 12]

- `tthc --help` (the parser only: no reader or writer is imported) against
  `python -c pass` in the same run; goal: within 100 ms of Python's start.
- `tthc report` on the sample workbook (Bình Giang, March 2026: .txt, .xlsx and
  .docx written), cold (a new process each time); goal: ≤ 1,5 s.
- `rolled_up` on twelve monthly workbooks (the months of 2026 made from the
  sample) in this process, against reading the same twelve with openpyxl's
  reader (the path `rollup` took before it read each file once); goal: well
  under a second (≤ 0,5 s).

Medians of --runs runs.
"""

from __future__ import annotations

import calendar
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, decimal, median_seconds, milliseconds, run_goals, seconds


def _process(argv: list[str], runs: int) -> float:
    samples = []
    for _ in range(runs + 1):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples[1:])


def _months(folder: Path, count: int = 12) -> list[Path]:
    from tthc.app.inputs import load_sample
    from tthc.core.model import Period
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    report = load_sample().report
    assert report is not None
    paths = []
    for month in range(1, count + 1):
        last = calendar.monthrange(2026, month)[1]
        period = Period(date(2026, month, 1), date(2026, month, last))
        monthly = replace(report, period=period, document=replace(report.document, date=period.end))
        path = folder / f"T{month:02d}.xlsx"
        path.write_bytes(workbook_bytes(build_workbook(monthly)))
        paths.append(path)
    return paths


def measure(runs: int, months: int = 12) -> list[Goal]:
    """The three goals; `months` below 12 only to see that the script runs (the smoke test)."""
    from tthc.app.workflows import rolled_up, valid_report

    python = sys.executable
    bare = _process([python, "-c", "pass"], runs)
    helped = _process([python, "-m", "tthc", "--help"], runs)
    found = []
    found.append(
        Goal(
            "tthc --help",
            "≤ 100 ms more than Python's start",
            f"{milliseconds(helped)} ({milliseconds(helped - bare)} more)",
            f"python -c pass {milliseconds(bare)}",
            f"{decimal(helped / bare)}× Python's start",
            helped - bare <= 0.100,
        )
    )
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = _months(folder, max(1, min(12, months)))
        report = _process(
            [python, "-m", "tthc", "report", str(paths[-1]), "-o", str(folder / "out"), "--force"],
            runs,
        )
        found.append(
            Goal(
                "tthc report, cold (sample workbook: .txt, .xlsx, .docx)",
                "≤ 1,5 s",
                seconds(report),
                f"tthc --help {milliseconds(helped)}",
                f"{decimal(report / helped)}× --help",
                report <= 1.5,
            )
        )
        rolled = median_seconds(lambda: rolled_up(paths), runs)
        openpyxl = median_seconds(lambda: [valid_report(path) for path in paths], max(1, runs // 2))
        found.append(
            Goal(
                f"rollup of {len(paths)} monthly workbooks (read, checked, rolled up)",
                "≤ 0,5 s for 12",
                seconds(rolled),
                f"the {len(paths)} read with openpyxl's reader {seconds(openpyxl)}",
                f"{decimal(openpyxl / rolled)}× faster",
                len(paths) == 12 and rolled <= 0.5,
            )
        )
    return found


def main(argv: list[str] | None = None) -> int:
    # --months below 12 only to try the script (the smoke test)
    return run_goals(measure, __doc__.split("\n\n")[0], 7, argv, months=12)


if __name__ == "__main__":
    sys.exit(main())
