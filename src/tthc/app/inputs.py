"""Where a report's inputs come from: a data file, a workbook, or the bundled sample."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tthc.core.findings import Finding, Location, Severity
from tthc.core.report_data import LoadResult, load_report
from tthc.infra.os_messages import os_reason
from tthc.infra.package_guard import Refused, read_limited

__all__ = ["SAMPLE_NAME", "load_input", "load_sample", "read_report_file", "sample_text"]

SAMPLE_NAME = "binh_giang_2026_03.json"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm"}
UNSUPPORTED_SUFFIXES = {".xls", ".xlsb", ".ods"}
MAX_DATA_FILE_BYTES = 20 * 1024 * 1024


def load_input(path: Path) -> LoadResult:
    """A data file (.json) or a workbook made from the template (.xlsx, .xlsm)."""
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        from tthc.workbook.reader import read_workbook  # openpyxl: only when a workbook is read

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


def read_report_file(path: Path) -> LoadResult:
    """Read a data file; an unreadable or non-JSON file is a finding, not an exception."""
    try:
        text = read_limited(path, MAX_DATA_FILE_BYTES, "một tệp số liệu").decode("utf-8-sig")
    except Refused as refused:  # a FIFO or device, too large, no right to read
        return _file_problem(path, str(refused))
    except FileNotFoundError:
        return _file_problem(path, "Không tìm thấy tệp.")
    except IsADirectoryError:
        return _file_problem(path, "Đây là một thư mục, không phải tệp.")
    except UnicodeDecodeError:
        return _file_problem(path, "Tệp không phải văn bản UTF-8 (JSON).")
    except OSError as problem:
        return _file_problem(path, f"Không đọc được tệp ({os_reason(problem)}).")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        return _file_problem(
            path,
            f"Tệp không đúng định dạng JSON (dòng {problem.lineno}, cột {problem.colno}).",
        )
    return load_report(data)


def _file_problem(path: Path, message: str) -> LoadResult:
    finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
    return LoadResult(None, (finding,))
