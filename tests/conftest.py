"""Fixtures (the bundled sample as data and as a report) and the Hypothesis profiles.

Profiles: `quick` (loaded by default: every property runs, with a modest number of
examples, so the README's test command stays within minutes) and `thorough` (for long
runs before a release: `python -m pytest --hypothesis-profile=thorough`). A property's
own count is a share of the profile's `max_examples` (see `strategies.examples`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from helpers import sample_data
from tthc.core.model import ReportInput
from tthc.core.report_data import load_report

# The suite starts a few hundred Python processes (the CLI, capped readers, racing
# writers). Where PYTHONDONTWRITEBYTECODE is set (some CI images set it), each of them
# would compile the package anew, ≈0,2 s a process; the tests let Python keep its
# bytecode, for this process, the xdist workers and every child they start.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

# Tests live in one folder per layer (core/, workbook/, cli/, …). Some reuse another
# folder's builders by module name (`from test_rollup import quarter_months`), so every
# folder is importable before any test module is collected.
for _folder in sorted(Path(__file__).parent.iterdir()):
    if any(_folder.glob("test_*.py")) and str(_folder) not in sys.path:
        sys.path.insert(0, str(_folder))

_COMMON = {
    "deadline": None,  # workbooks are written and read: timings vary with the machine
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
    "print_blob": True,  # a failure prints the blob that reproduces it
}
settings.register_profile("quick", max_examples=50, **_COMMON)
settings.register_profile("thorough", max_examples=1000, **_COMMON)
# `--hypothesis-profile NAME` is applied after this file is imported, so it wins.
settings.load_profile("quick")


@pytest.fixture
def seed_data() -> dict[str, Any]:
    return sample_data()


@pytest.fixture
def seed_report() -> ReportInput:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report


# pytest-xdist (`--dist loadscope`) hands whole modules to the two workers in the order
# they are collected; a long module handed out last keeps one worker busy while the
# other idles. These, the longest (a few to 35 s each), go first; the rest follow in
# their usual order.
_LONG_MODULES = (
    "test_text_stays_text.py",
    "test_workbook_libreoffice.py",
    "test_bad_cells.py",
    "test_write_safety.py",
    "test_untrusted_files.py",
    "test_cli.py",
    "test_output_sets.py",
    "test_properties.py",
    "test_real_exports.py",
    "test_benchmarks_smoke.py",
    "test_workbook_io.py",
    "test_fuzz_template.py",
    "test_own_inputs_commands.py",
    "test_libreoffice_edits.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: index for index, name in enumerate(_LONG_MODULES)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))
