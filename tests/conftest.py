"""Fixtures: the bundled sample (the reference report's appendix) as data and as a report."""

from __future__ import annotations

from typing import Any

import pytest

from helpers import sample_data
from tthc.core.model import ReportInput
from tthc.core.report_data import load_report


@pytest.fixture
def seed_data() -> dict[str, Any]:
    return sample_data()


@pytest.fixture
def seed_report() -> ReportInput:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report
