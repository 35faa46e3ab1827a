"""What each benchmark reports: goal, figure, a baseline measured in the same run, ratio.

Why one shape: the README's performance section quotes this output, so each line
must say by itself whether its goal is met and against what it was measured.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Goal", "decimal", "median_seconds", "milliseconds", "run_goals", "seconds"]


@dataclass(frozen=True)
class Goal:
    """One measured goal, e.g. «the button ≤ 150 ms»."""

    name: str
    goal: str  # what is asked, e.g. "≤ 150 ms"
    figure: str  # what was measured, e.g. "62 ms"
    baseline: str  # what it was measured against in the same run
    ratio: str  # figure against baseline, or the speed-up
    met: bool

    def line(self) -> str:
        verdict = "met" if self.met else "NOT met"
        return (
            f"{self.name}: goal {self.goal}; measured {self.figure}; baseline {self.baseline}; "
            f"ratio {self.ratio} — {verdict}"
        )


def median_seconds(function: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` calls (one call first, not counted, to warm caches)."""
    function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def decimal(value: float, digits: int = 1) -> str:
    """12.5 -> '12,5': figures are printed as the README writes them."""
    return f"{value:.{digits}f}".replace(".", ",")


def milliseconds(value: float) -> str:
    return f"{decimal(value * 1000)} ms"


def seconds(value: float) -> str:
    return f"{decimal(value, 2)} s"


def run_goals(
    measure: Callable[..., list[Goal]],
    description: str,
    runs: int,
    argv: list[str] | None,
    **options: int,
) -> int:
    """A benchmark script's command line: `--runs N`, then each goal's line; exits 0.

    `options`: further whole-number options (name -> default), given to `measure` by name.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=runs)
    for name, default in options.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    args = parser.parse_args(argv)
    chosen = {name: getattr(args, name) for name in options}
    for goal in measure(max(1, args.runs), **chosen):
        print(goal.line())
    return 0
