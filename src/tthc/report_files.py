"""The files a report run writes, their names, and writing them safely.

Names carry no diacritics or spaces (they travel by e-mail and USB sticks);
every file is written atomically; the user's own input file is never a target.
"""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

from .model import ReportInput
from .office import OfficeUnavailable, convert, find_soffice
from .pipeline import PipelineResult
from .plaintext import render_text
from .safe_write import OutputExists, write_bytes_atomic, write_many_atomic
from .word_report import render_docx
from .workbook_output import build_output_workbook, workbook_bytes

__all__ = [
    "OutputIsInput",
    "ascii_slug",
    "output_stem",
    "write_pdf",
    "write_report_outputs",
]


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
    result: PipelineResult,
    folder: Path,
    *,
    overwrite: bool,
    source: Path | None = None,
    word_template: Path | None = None,
    pdf: bool = False,
) -> list[Path]:
    """The text report, the output workbook, the Word report and, asked for, its PDF.

    Every target is checked before anything is written, so a refusal leaves no
    half set of files; the user's input file is never a target.
    """
    assert result.report is not None and result.narrative is not None
    assert result.indicators is not None
    stem = output_stem(result.report)
    text_path = folder / f"{stem}.txt"
    workbook_path = folder / f"{stem}.xlsx"
    word_path = folder / f"{stem}.docx"
    pdf_path = folder / f"{stem}.pdf"
    targets = [text_path, workbook_path, word_path, *([pdf_path] if pdf else [])]
    for path in targets:
        if source is not None and path.resolve() == source.resolve():
            raise OutputIsInput(str(path))
        if path.exists() and not overwrite:
            raise OutputExists(str(path))  # before writing anything: all or nothing
    if pdf and find_soffice() is None:
        raise OfficeUnavailable()
    workbook = build_output_workbook(
        result.report, result.indicators, result.narrative, result.comparison
    )
    payload = workbook_bytes(workbook)
    document = render_docx(result.narrative, word_template)
    write_many_atomic(
        [
            (text_path, render_text(result.narrative).encode("utf-8")),
            (workbook_path, payload),
            (word_path, document),
        ],
        overwrite=overwrite,
    )
    if pdf:
        write_pdf(word_path, pdf_path)
    return targets


def write_pdf(document: Path, target: Path) -> None:
    """Convert with LibreOffice in a scratch folder beside the target, then move it into place."""
    with tempfile.TemporaryDirectory(prefix=".tthc-pdf-", dir=target.parent) as scratch:
        produced = convert(document, "pdf", Path(scratch))
        write_bytes_atomic(target, produced.read_bytes(), overwrite=True)
