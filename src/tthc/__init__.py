"""tthc: the monthly administrative-procedure report of a commune service centre.

The public API is small: load a report's inputs, run the pipeline, use the
narrative. Edges (command line, workbook, add-in, Word) build on these.
"""

from __future__ import annotations

__version__ = "0.1.0"

from .catalogue import Catalogue, Department, default_catalogue
from .datafile import LoadResult, dump_report, load_report, read_report_file
from .findings import Finding, Location, Severity
from .grid import Counts
from .indicators import IndicatorResult, IndicatorSet, compute_indicators, indicator_parts
from .model import Convention, ReportInput, Settings
from .narrative import Narrative, build_narrative
from .pipeline import PipelineResult, run_pipeline
from .plaintext import render_text


def main() -> None:
    """Entry point of the Excel add-in's button: `import tthc; tthc.main()` (xlwings RunMain).

    Imported lazily so that `import tthc` stays light for the command line.
    """
    from .macro import run_button

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
