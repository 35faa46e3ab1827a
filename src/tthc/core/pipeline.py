"""One pipeline for every entry point: inputs in, findings, indicators and text out.

The CLI, the workbook reader and the Excel macro differ only in where the
`LoadResult` comes from and where the outputs go; everything between is here.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.core.compare import Comparison, compare_reports, continuity_findings
from tthc.core.findings import Finding, has_errors
from tthc.core.indicators import IndicatorSet, compute_indicators
from tthc.core.model import ReportInput
from tthc.core.narrative import Narrative, build_narrative
from tthc.core.report_data import LoadResult
from tthc.core.validation import canonicalise_fields, validate

__all__ = ["PipelineResult", "ReadyReport", "run_pipeline"]


@dataclass(frozen=True)
class ReadyReport:
    """A report no error blocks: the checked input, its figures and its text, all there."""

    report: ReportInput
    indicators: IndicatorSet
    narrative: Narrative
    comparison: Comparison | None = None  # only when an earlier report was given


@dataclass(frozen=True)
class PipelineResult:
    """What the pipeline found; `ready` is present exactly when nothing blocks the report.

    `report` is the input as read (None when it could not be read at all), so a
    caller can still name the unit in a refusal.
    """

    report: ReportInput | None
    findings: tuple[Finding, ...]
    ready: ReadyReport | None = None

    @property
    def ok(self) -> bool:
        return self.ready is not None


def run_pipeline(loaded: LoadResult, previous: ReportInput | None = None) -> PipelineResult:
    """Validate, then compute and write the text only if nothing blocks the report.

    With `previous` (an earlier, valid report of the same unit) the text gains
    a comparison (2.3) and carry-over continuity is checked field by field.
    """
    if loaded.report is None:
        return PipelineResult(None, loaded.findings)
    report, field_findings = canonicalise_fields(loaded.report)
    later = (*field_findings, *validate(report))
    comparison = None
    if previous is not None:
        later = (*later, *continuity_findings(report, previous))
        comparison = compare_reports(report, previous)
    if loaded.locator is not None:
        later = tuple(loaded.locator(f) for f in later)
    findings = (*loaded.findings, *later)
    if has_errors(findings):
        return PipelineResult(report, findings)
    indicators = compute_indicators(report)
    narrative = build_narrative(report, indicators, comparison)
    return PipelineResult(report, findings, ReadyReport(report, indicators, narrative, comparison))
