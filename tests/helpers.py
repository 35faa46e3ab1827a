"""Helpers shared by the tests: the bundled sample and one-call pipeline runs."""

from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from typing import Any

from tthc.datafile import LoadResult, load_report
from tthc.model import ReportInput
from tthc.pipeline import PipelineResult, run_pipeline


def sample_data() -> dict[str, Any]:
    """The March 2026 Bình Giang data file as shipped in the package."""
    text = resources.files("tthc").joinpath("data", "binh_giang_2026_03.json").read_text("utf-8")
    return json.loads(text)


def run_data(data: dict[str, Any]) -> PipelineResult:
    return run_pipeline(load_report(data))


def run_report(report: ReportInput, **settings: Any) -> PipelineResult:
    if settings:
        report = replace(report, settings=replace(report.settings, **settings))
    return run_pipeline(LoadResult(report, ()))


def body_text(result: PipelineResult) -> list[str]:
    assert result.narrative is not None, [f.describe() for f in result.findings]
    return [p.text for p in result.narrative.body]
