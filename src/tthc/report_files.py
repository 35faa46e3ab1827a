"""The files a report run writes, their names, and writing them safely.

Names carry no diacritics or spaces (they travel by e-mail and USB sticks);
every file is written atomically; the user's own input file is never a target.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from .model import ReportInput
from .pipeline import PipelineResult
from .plaintext import render_text
from .safe_write import OutputExists, write_bytes_atomic, write_text_atomic
from .workbook_output import build_output_workbook, workbook_bytes

__all__ = ["OutputIsInput", "ascii_slug", "output_stem", "write_report_outputs"]


def ascii_slug(text: str) -> str:
    """'xã Bình Giang' -> 'xaBinhGiang': file names without diacritics or spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in "".join(c if c.isalnum() else " " for c in plain).split() if w]
    if not words:
        return "baocao"
    return words[0].lower() + "".join(w[:1].upper() + w[1:] for w in words[1:])


def output_stem(report: ReportInput, prefix: str = "BaoCaoTTHC") -> str:
    """'BaoCaoTTHC_xaBinhGiang_2026-03', or with both dates for other periods."""
    period = report.period
    whole_month = period.start.day == 1 and period.next_day().day == 1
    if whole_month and (period.start.year, period.start.month) == (
        period.end.year,
        period.end.month,
    ):
        span = f"{period.start:%Y-%m}"
    else:
        span = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return f"{prefix}_{ascii_slug(report.unit.full_name)}_{span}"


class OutputIsInput(ValueError):
    """An output would replace the file the user gave as input."""


def write_report_outputs(
    result: PipelineResult, folder: Path, *, overwrite: bool, source: Path | None = None
) -> list[Path]:
    """The text report and the output workbook; refuses to write over `source`."""
    assert result.report is not None and result.narrative is not None
    assert result.indicators is not None
    stem = output_stem(result.report)
    text_path = folder / f"{stem}.txt"
    workbook_path = folder / f"{stem}.xlsx"
    for path in (text_path, workbook_path):
        if source is not None and path.resolve() == source.resolve():
            raise OutputIsInput(str(path))
        if path.exists() and not overwrite:
            raise OutputExists(str(path))  # before writing anything: all or nothing
    workbook = build_output_workbook(result.report, result.indicators, result.narrative)
    payload = workbook_bytes(workbook)
    write_text_atomic(text_path, render_text(result.narrative), overwrite=overwrite)
    write_bytes_atomic(workbook_path, payload, overwrite=overwrite)
    return [text_path, workbook_path]
