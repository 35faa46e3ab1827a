"""Worksheet functions for Excel through xlwings: =TTHC_RATE(…) and friends.

Each function is a pure function of the ranges passed in (no hidden reads of
the workbook), so Excel's recalculation stays right, and cheap enough for a
sheet full of them. On Linux the xlwings decorators leave plain callables, so
the tests call them directly. Names are ASCII (Excel's rule); help texts are
Vietnamese and appear in Excel's Function Wizard.

A function never lets a Python error reach a cell: bad input comes back as a
short Vietnamese text starting with "Lỗi:".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from functools import wraps
from typing import Any, TypeVar

import xlwings as xw

from tthc.core.cell_text import CELL_LIMIT, section_paragraphs, split_for_cells
from tthc.core.indicators import (
    IndicatorResult,
    Outcome,
    compute_indicators,
    indicator_parts,
)
from tthc.core.labels import MISSING_TEXT, NONE_AROSE_TEXT
from tthc.core.model import INDICATOR_CODES
from tthc.core.narrative import build_narrative
from tthc.core.vn_format import RateRounding, format_count, format_integer, format_percent_value
from tthc.excel.grid_checks import grid_findings
from tthc.excel.ranges import RangeError, ScopedReport, flat_cells, scoped_report

__all__ = [
    "TTHC_CHECK",
    "TTHC_NUMBER",
    "TTHC_PART",
    "TTHC_RATE",
    "TTHC_TEXT",
    "TTHC_VERDICT",
]

F = TypeVar("F", bound=Callable[..., Any])

_DOC_INDICATOR = 'Mã chỉ tiêu: "1.1" … "1.6", "2.1", "2.2".'
_DOC_GRID = "Vùng các dòng lĩnh vực của phụ lục (tên định danh TTHC_GRID)."
_DOC_EXTRAS = "Vùng số liệu chỉ tiêu 1.2–1.6 (TTHC_EXTRAS); bỏ trống nếu không cần."
_DOC_SCOPE = "Phòng chuyên môn hoặc lĩnh vực; bỏ trống hoặc «Toàn xã» cho toàn đơn vị."
_DOC_SETTINGS = "Thiết lập (TTHC_SETTINGS) hoặc chữ «Theo mẫu»/«Theo QĐ 766»; mặc định theo mẫu."


def _safe(function: F) -> F:
    """Turn any failure into a Vietnamese text in the cell, never a traceback."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except RangeError as problem:
            return f"Lỗi: {problem}"[:CELL_LIMIT]
        except Exception as problem:  # a cell must never show a traceback
            return f"Lỗi: {type(problem).__name__}: {problem}"[:CELL_LIMIT]

    return wrapper  # type: ignore[return-value]


def _code(indicator: Any) -> str:
    code = str(indicator).strip()
    if isinstance(indicator, float):  # Excel passes 1.1 typed as a number
        code = f"{indicator:.1f}"
    if code not in INDICATOR_CODES:
        raise RangeError(f"Mã chỉ tiêu «{indicator}» không có; dùng 1.1 … 1.6, 2.1, 2.2.")
    return code


def _result(
    indicator: Any,
    grid: Any,
    extras: Any,
    scope: Any,
    settings: Any,
    targets: Any = None,
) -> IndicatorResult:
    code = _code(indicator)
    scoped: ScopedReport = scoped_report(grid, extras, scope, settings, targets)
    report = scoped.report
    numerator, denominator = indicator_parts(code, scoped.counts, scoped.extras, report.settings)
    return IndicatorResult(
        code, scoped.department, numerator, denominator, report.targets.get(code)
    )


@_safe
@xw.func(category="TTHC")
@xw.arg("indicator", doc=_DOC_INDICATOR)
@xw.arg("part", doc="«numerator» (tử số) hoặc «denominator» (mẫu số).")
@xw.arg("grid", ndim=2, err_to_str=True, doc=_DOC_GRID)
@xw.arg("extras", ndim=2, err_to_str=True, doc=_DOC_EXTRAS)
@xw.arg("scope", err_to_str=True, doc=_DOC_SCOPE)
@xw.arg("settings", err_to_str=True, doc=_DOC_SETTINGS)
def TTHC_PART(
    indicator: Any,
    part: Any,
    grid: Any,
    extras: Any = None,
    scope: Any = None,
    settings: Any = None,
) -> Any:
    """Tử số hoặc mẫu số của một chỉ tiêu, để bảng tổng hợp ghi «1.018/1.018»."""
    result = _result(indicator, grid, extras, scope, settings)
    wanted = str(part).strip().casefold()
    if wanted in ("numerator", "tu_so", "tử số"):
        value = result.numerator
    elif wanted in ("denominator", "mau_so", "mẫu số"):
        value = result.denominator
    else:
        raise RangeError(f"Phần «{part}» không có; dùng numerator hoặc denominator.")
    return MISSING_TEXT if value is None else value


@_safe
@xw.func(category="TTHC")
@xw.arg("indicator", doc=_DOC_INDICATOR)
@xw.arg("grid", ndim=2, err_to_str=True, doc=_DOC_GRID)
@xw.arg("extras", ndim=2, err_to_str=True, doc=_DOC_EXTRAS)
@xw.arg("scope", err_to_str=True, doc=_DOC_SCOPE)
@xw.arg("settings", err_to_str=True, doc=_DOC_SETTINGS)
def TTHC_RATE(
    indicator: Any,
    grid: Any,
    extras: Any = None,
    scope: Any = None,
    settings: Any = None,
) -> Any:
    """Tỷ lệ của một chỉ tiêu (định dạng ô là %), cho toàn đơn vị, một phòng hoặc một lĩnh vực."""
    result = _result(indicator, grid, extras, scope, settings)
    if result.outcome is Outcome.MISSING:
        return MISSING_TEXT
    if result.outcome is Outcome.NONE_AROSE:
        return NONE_AROSE_TEXT
    numerator, denominator = result.rate_parts()
    return numerator / denominator


@_safe
@xw.func(category="TTHC")
@xw.arg("indicator", doc=_DOC_INDICATOR)
@xw.arg("grid", ndim=2, err_to_str=True, doc=_DOC_GRID)
@xw.arg("extras", ndim=2, err_to_str=True, doc=_DOC_EXTRAS)
@xw.arg("scope", err_to_str=True, doc=_DOC_SCOPE)
@xw.arg("targets", ndim=2, err_to_str=True, doc="Bảng chỉ tiêu giao (TTHC_TARGETS).")
@xw.arg("settings", err_to_str=True, doc=_DOC_SETTINGS)
def TTHC_VERDICT(
    indicator: Any,
    grid: Any,
    extras: Any = None,
    scope: Any = None,
    targets: Any = None,
    settings: Any = None,
) -> str:
    """«Đạt» / «Không đạt» so với chỉ tiêu giao; để trống khi không có chỉ tiêu hoặc tỷ lệ."""
    result = _result(indicator, grid, extras, scope, settings, targets)
    if result.verdict is None:
        return ""
    return "Đạt" if result.verdict else "Không đạt"


@_safe
@xw.func(category="TTHC")
@xw.arg("value", err_to_str=True, doc="Số hồ sơ hoặc tỷ lệ (0,9938 là 99,38%).")
@xw.arg("kind", doc="«count» (mặc định, 02), «integer» (1.132) hoặc «rate» (99,38%).")
def TTHC_NUMBER(value: Any, kind: Any = "count") -> str:
    """Một số viết theo cách Việt Nam: «1.132», «02», «99,38%»."""
    wanted = str(kind or "count").strip().casefold()
    if value is None or value == "":
        return ""  # an empty cell shows nothing, never «None» or 0
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise RangeError(f"«{value}» không phải là số.")
    if wanted == "rate":
        return format_percent_value(Fraction(str(value)) * 100, RateRounding.TRUNCATE)
    if float(value) != int(value):
        raise RangeError(f"{value} không phải số nguyên.")
    if wanted == "integer":
        return format_integer(int(value))
    return format_count(int(value))


@_safe
@xw.func(category="TTHC")
@xw.arg("grid", ndim=2, err_to_str=True, doc=_DOC_GRID)
@xw.arg(
    "catalogue",
    ndim=2,
    err_to_str=True,
    doc="Danh mục (TTHC_CATALOGUE); bỏ trống thì dùng cột phòng của phụ lục.",
)
def TTHC_CHECK(grid: Any, catalogue: Any = None) -> Any:
    """Các lỗi, cảnh báo của phụ lục, mỗi dòng một ô; «OK» khi không có gì."""
    findings = grid_findings(grid, catalogue)
    if not findings:
        return [["OK"]]
    return [[piece] for f in findings for piece in split_for_cells(f.describe())]


@_safe
@xw.func(category="TTHC")
@xw.arg("section", doc="Mục: «1», «1.1» … «2.2», «3»; bỏ trống cho cả mục 1, 2 và 3.")
@xw.arg("grid", ndim=2, err_to_str=True, doc=_DOC_GRID)
@xw.arg("extras", ndim=2, err_to_str=True, doc=_DOC_EXTRAS)
@xw.arg("targets", ndim=2, err_to_str=True, doc="Bảng chỉ tiêu giao (TTHC_TARGETS).")
@xw.arg("settings", err_to_str=True, doc=_DOC_SETTINGS)
@xw.arg("kind", doc="Loại đơn vị: xã, phường hoặc đặc khu (TTHC_UNIT_KIND).")
@xw.arg(
    "shortcomings",
    ndim=2,
    err_to_str=True,
    doc="Các đoạn «Tồn tại, hạn chế» (TTHC_SHORTCOMINGS), cho mục 3.",
)
def TTHC_TEXT(
    section: Any,
    grid: Any,
    extras: Any = None,
    targets: Any = None,
    settings: Any = None,
    kind: Any = None,
    shortcomings: Any = None,
) -> Any:
    """Một mục của báo cáo, mỗi đoạn một ô (đoạn dài được cắt dưới 255 ký tự)."""
    wanted = "" if section is None else str(section)
    if isinstance(section, float):
        wanted = f"{section:g}"
    scoped = scoped_report(grid, extras, None, settings, targets, kind)
    paragraphs_of_section_3 = tuple(
        str(cell).strip()
        for cell in flat_cells(shortcomings)
        if cell is not None and str(cell).strip()
    )
    report = replace(scoped.report, shortcomings=paragraphs_of_section_3)
    narrative = build_narrative(report, compute_indicators(report))
    paragraphs = section_paragraphs(narrative, wanted)
    if not paragraphs:
        raise RangeError(f"Không có mục «{section}» trong báo cáo.")
    return [[piece] for text in paragraphs for piece in split_for_cells(text)]
