"""Where a report's inputs come from: a data file, a workbook, or the bundled sample."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tthc.core.findings import Finding, Location, Severity
from tthc.core.report_data import LoadResult, load_report, read_report_file
from tthc.workbook.reader import read_workbook

__all__ = ["SAMPLE_NAME", "load_input", "load_sample", "sample_text"]

SAMPLE_NAME = "binh_giang_2026_03.json"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
UNSUPPORTED_SUFFIXES = {".xls", ".xlsb", ".ods"}


def load_input(path: Path) -> LoadResult:
    """A data file (.json) or a workbook made from the template (.xlsx, .xlsm)."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return read_workbook(path)
    if suffix in UNSUPPORTED_SUFFIXES:
        finding = Finding(
            Severity.ERROR,
            "file.unsupported",
            f"Chưa đọc được tệp {suffix}; hãy mở bằng Excel hoặc LibreOffice và lưu lại dạng "
            ".xlsx.",
            Location(key=path.name),
        )
        return LoadResult(None, (finding,))
    return read_report_file(path)


def sample_text() -> str:
    """The bundled March 2026 Bình Giang data file (the reference report's appendix)."""
    return resources.files("tthc").joinpath("data", SAMPLE_NAME).read_text(encoding="utf-8")


def load_sample() -> LoadResult:
    return load_report(json.loads(sample_text()))
