"""The benchmarks still run (a smoke test: no timing is asserted, timings live in benchmarks/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("script", "arguments", "expected"),
    [
        ("bench_udfs.py", ["--runs", "2"], "full-sheet recalculation"),
        ("bench_dossiers.py", ["--dossiers", "500"], ""),
        ("bench_consolidate.py", ["--units", "20", "--baseline-sample", "3"], "files/s"),
        ("bench_button.py", ["--runs", "1"], "goal ≤ 150 ms"),
        ("bench_startup.py", ["--runs", "1", "--months", "2"], "rollup of 2 monthly workbooks"),
    ],
)
def test_benchmark_runs(script: str, arguments: list[str], expected: str) -> None:
    completed = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *arguments],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    assert expected in completed.stdout


def test_the_runner_of_all_benchmarks_starts() -> None:
    """`python -m benchmarks` imports every benchmark (the full run takes minutes)."""
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--help"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=ROOT,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    assert "--quick" in completed.stdout
