"""tthc: the monthly administrative-procedure report of a commune service centre.

The public API is small: load a report's inputs, run the pipeline, use the
narrative. Edges (command line, workbook, add-in, Word) build on these.
"""

from __future__ import annotations

__version__ = "0.1.0"

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The public API, imported on first use (PEP 562): the command line starts with
# `import tthc`, and `tthc --help` must not pay for the readers and writers.
_PUBLIC: dict[str, str] = {
    "read_report_file": "tthc.app.inputs",
    "Catalogue": "tthc.core.catalogue",
    "Department": "tthc.core.catalogue",
    "default_catalogue": "tthc.core.catalogue",
    "Finding": "tthc.core.findings",
    "Location": "tthc.core.findings",
    "Severity": "tthc.core.findings",
    "Counts": "tthc.core.grid",
    "IndicatorResult": "tthc.core.indicators",
    "IndicatorSet": "tthc.core.indicators",
    "compute_indicators": "tthc.core.indicators",
    "indicator_parts": "tthc.core.indicators",
    "Convention": "tthc.core.model",
    "ReportInput": "tthc.core.model",
    "Settings": "tthc.core.model",
    "Narrative": "tthc.core.narrative",
    "build_narrative": "tthc.core.narrative",
    "PipelineResult": "tthc.core.pipeline",
    "ReadyReport": "tthc.core.pipeline",
    "run_pipeline": "tthc.core.pipeline",
    "render_text": "tthc.core.plaintext",
    "LoadResult": "tthc.core.report_data",
    "dump_report": "tthc.core.report_data",
    "load_report": "tthc.core.report_data",
}

if TYPE_CHECKING:
    from tthc.app.inputs import read_report_file
    from tthc.core.catalogue import Catalogue, Department, default_catalogue
    from tthc.core.findings import Finding, Location, Severity
    from tthc.core.grid import Counts
    from tthc.core.indicators import (
        IndicatorResult,
        IndicatorSet,
        compute_indicators,
        indicator_parts,
    )
    from tthc.core.model import Convention, ReportInput, Settings
    from tthc.core.narrative import Narrative, build_narrative
    from tthc.core.pipeline import PipelineResult, ReadyReport, run_pipeline
    from tthc.core.plaintext import render_text
    from tthc.core.report_data import LoadResult, dump_report, load_report


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'tthc' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def main() -> None:
    """Entry point of the Excel add-in's button: `import tthc; tthc.main()` (xlwings RunMain).

    Imported lazily so that `import tthc` stays light for the command line.
    """
    from tthc.excel.button import run_button

    run_button()


__all__ = [
    "Catalogue",
    "Convention",
    "Counts",
    "Department",
    "Finding",
    "IndicatorResult",
    "IndicatorSet",
    "LoadResult",
    "Location",
    "Narrative",
    "PipelineResult",
    "ReadyReport",
    "ReportInput",
    "Settings",
    "Severity",
    "__version__",
    "build_narrative",
    "compute_indicators",
    "default_catalogue",
    "dump_report",
    "indicator_parts",
    "load_report",
    "main",
    "read_report_file",
    "render_text",
    "run_pipeline",
]
