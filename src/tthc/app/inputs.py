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
ACCEPTED = (
    "sổ tính làm từ mẫu BaoCaoTTHC (.xlsx, .xlsm) hoặc tệp số liệu .json (lệnh «tthc export»)"
)
# Files staff pick by mistake, often the tool's own outputs: said for what they are.
OTHER_KINDS = {
    ".docx": "văn bản Word",
    ".doc": "văn bản Word",
    ".pdf": "tệp PDF",
    ".txt": "tệp văn bản",
    ".csv": "tệp CSV",
    ".zip": "tệp nén",
}


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
    if suffix in OTHER_KINDS:
        return _file_problem(
            path, f"Đây là {OTHER_KINDS[suffix]}, không phải số liệu báo cáo. Hãy chọn {ACCEPTED}."
        )
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
        return _file_problem(
            path,
            f"Tệp không phải tệp số liệu JSON (không đọc được như văn bản). Hãy chọn {ACCEPTED}.",
        )
    except OSError as problem:
        return _file_problem(path, f"Không đọc được tệp ({os_reason(problem)}).")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as problem:
        return _file_problem(
            path,
            f"Tệp không đúng định dạng JSON (dòng {problem.lineno}, cột {problem.colno}). "
            f"Chương trình đọc {ACCEPTED}.",
        )
    return load_report(data)


def _file_problem(path: Path, message: str) -> LoadResult:
    finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
    return LoadResult(None, (finding,))
