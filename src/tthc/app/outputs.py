"""The files a report run writes, their names, and writing them safely.

Names carry no diacritics or spaces (they travel by e-mail and USB sticks) and
stay short whatever the unit's name; every file is written atomically, the set
under one lock of the output folder; none of the user's input files is ever a
target (`own_inputs`).
"""

from __future__ import annotations

import hashlib
import tempfile
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from tthc.core.model import ReportInput
from tthc.core.pipeline import ReadyReport
from tthc.core.plaintext import render_text
from tthc.infra.libreoffice import OfficeUnavailable, convert, find_soffice
from tthc.infra.own_inputs import OutputIsInput, refuse_own_inputs
from tthc.infra.safe_write import (
    OutputExists,
    folder_lock,
    free_name,
    scratch_prefix,
    write_bytes_atomic,
    write_many_atomic,
)
from tthc.word.report import render_docx
from tthc.workbook.output import build_output_workbook, workbook_bytes

__all__ = [
    "OutputIsInput",
    "ascii_slug",
    "output_stem",
    "pdf_font_notes",
    "report_targets",
    "write_pdf",
    "write_report_outputs",
    "write_word_report",
]


def ascii_slug(text: str) -> str:
    """'xã Bình Giang' -> 'xaBinhGiang': file names without diacritics or spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in "".join(c if c.isalnum() else " " for c in plain).split() if w]
    if not words:
        return "baocao"
    return words[0].lower() + "".join(w[:1].upper() + w[1:] for w in words[1:])


MAX_SLUG = 60  # characters of the unit's name in a file name
MAX_STEM = 120  # bytes of a whole stem: with '.docx' and a temporary's suffix, far below 255


def short_slug(text: str) -> str:
    """`ascii_slug`, cut to `MAX_SLUG` characters when longer.

    A cut slug ends with eight hex digits of a hash of the whole name, so two long
    names that differ only at the end never share a file name; the same name
    always gives the same slug.
    """
    slug = ascii_slug(text)
    if len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    return f"{slug[: MAX_SLUG - 9]}-{digest}"


def output_stem(report: ReportInput, prefix: str = "BaoCaoTTHC") -> str:
    """'BaoCaoTTHC_xaBinhGiang_2026-03', or with both dates for other periods.

    At most `MAX_STEM` bytes (ASCII only): a unit name of thousands of characters
    passes `check`, so it must not make `report` fail with «File name too long».
    """
    period = report.period
    whole_month = period.start.day == 1 and period.next_day().day == 1
    if whole_month and (period.start.year, period.start.month) == (
        period.end.year,
        period.end.month,
    ):
        span = f"{period.start:%Y-%m}"
    else:
        span = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    stem = f"{prefix}_{short_slug(report.unit.full_name)}_{span}"
    if len(stem) > MAX_STEM:  # only a very long prefix can do this: keep the slug, cut it
        stem = f"{prefix[: max(1, MAX_STEM - len(stem) + len(prefix))]}_{stem[len(prefix) + 1 :]}"
    return stem


def report_targets(report: ReportInput, folder: Path, *, pdf: bool = False) -> list[Path]:
    """The files a report run writes into `folder`: .txt, .xlsx, .docx and, asked for, .pdf."""
    stem = output_stem(report)
    suffixes = (".txt", ".xlsx", ".docx", *((".pdf",) if pdf else ()))
    return [folder / f"{stem}{suffix}" for suffix in suffixes]


def write_report_outputs(
    ready: ReadyReport,
    folder: Path,
    *,
    overwrite: bool,
    sources: Iterable[Path] = (),
    word_template: Path | None = None,
    pdf: bool = False,
) -> list[Path]:
    """The text report, the output workbook, the Word report and, asked for, its PDF.

    Every target is checked before anything is written, so a refusal leaves no
    half set of files; none is one of `sources` (the files the run read: raises
    `OutputIsInput`, whatever `overwrite` says). The set is written under the
    folder's lock (`FolderBusy` if another run holds it).
    """
    targets = report_targets(ready.report, folder, pdf=pdf)
    text_path, workbook_path, word_path = targets[:3]
    refuse_own_inputs(targets, [*sources, *([word_template] if word_template else [])])
    for path in targets:
        if path.exists() and not overwrite:
            raise OutputExists(str(path))  # before writing anything: all or nothing
    if pdf and find_soffice() is None:
        raise OfficeUnavailable()
    workbook = build_output_workbook(
        ready.report, ready.indicators, ready.narrative, ready.comparison
    )
    payload = workbook_bytes(workbook)
    document = render_docx(ready.narrative, word_template)
    with folder_lock(folder):
        write_many_atomic(
            [
                (text_path, render_text(ready.narrative).encode("utf-8")),
                (workbook_path, payload),
                (word_path, document),
            ],
            overwrite=overwrite,
        )
        if pdf:
            write_pdf(word_path, targets[3])
    return targets


def pdf_font_notes(document: Path) -> list[str]:
    """What the PDF printed in another font than the Word document asks for, in Vietnamese."""
    from tthc.infra.fonts import INSTALL_HINT, document_fonts, substitute_for

    notes = []
    for family in document_fonts(document.read_bytes()):
        substitute = substitute_for(family)
        if substitute is not None:
            notes.append(
                f"Lưu ý: máy này không có phông «{family}» mà văn bản dùng; bản PDF đã in "
                f"bằng phông «{substitute}» thay thế. Muốn bản PDF đúng phông, hãy "
                f"{INSTALL_HINT}, rồi chạy lại. Tệp Word không bị ảnh hưởng."
            )
    return notes


def write_pdf(document: Path, target: Path) -> None:
    """Convert with LibreOffice in a scratch folder beside the target, then move it into place.

    The scratch folder's name carries the pid, so one a killed run leaves is removed
    by the next (`safe_write.remove_debris`).
    """
    with (
        folder_lock(target.parent),
        tempfile.TemporaryDirectory(prefix=scratch_prefix(), dir=target.parent) as scratch,
    ):
        produced = convert(document, "pdf", Path(scratch))
        write_bytes_atomic(target, produced.read_bytes(), overwrite=True)


def write_word_report(ready: ReadyReport, folder: Path) -> Path:
    """The Word report beside the workbook, under a name no earlier file has (the button's).

    Staff click «Tạo báo cáo» again after each correction; every click keeps the
    reports written before (…_2.docx, …_3.docx), and each file is written atomically.
    """
    target = free_name(folder / f"{output_stem(ready.report)}.docx")
    write_bytes_atomic(target, render_docx(ready.narrative))
    return target
