"""Every benchmark in one command: each goal, the figure, a same-run baseline, the ratio.

    python -m benchmarks            # the full set (a few minutes on 2 cores)
    python -m benchmarks --quick    # smaller sizes, to see that everything runs

Run from the project root with the package and its test extra installed. The
README's performance section quotes the output of the full set; `--quick`
skips the 200.000-dossier list and consolidates 300 workbooks, not 3.321, so
its consolidation line cannot meet the 3.321-workbook goal. Exits 0 either way:
the goals are reported, never asserted.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_button  # noqa: E402
import bench_consolidate  # noqa: E402
import bench_dossiers  # noqa: E402
import bench_startup  # noqa: E402
import bench_udfs  # noqa: E402
from goals import Goal  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a minute or so")
    args = parser.parse_args(argv)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Python {platform.python_version()}, {cpus} CPU(s), {platform.platform()}")
    found: list[Goal] = []

    def report(goals: list[Goal]) -> None:
        for goal in goals:
            print(goal.line(), flush=True)
        found.extend(goals)

    report(bench_button.measure(5 if args.quick else 15))
    report(bench_udfs.measure(5 if args.quick else 20))
    report(bench_startup.measure(3 if args.quick else 7))
    report(bench_dossiers.goals(1 if args.quick else 3, large=not args.quick))
    units = 300 if args.quick else bench_consolidate.COUNTRY_UNITS
    with tempfile.TemporaryDirectory(prefix="tthc-bench-") as folder:
        bench_consolidate.generate(Path(folder), units)
        report(bench_consolidate.goals(Path(folder), units, None))
    met = sum(goal.met for goal in found)
    print(f"{met} of {len(found)} goals met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
