"""The Word report as LibreOffice prints it: pages, text with diacritics, fonts, images.

Skipped, with the reason shown, on a machine without LibreOffice or poppler.
The page images were looked at by a person when this test was written; the
assertions pin what was seen then (page count, landscape appendix, where the
signature falls) so that a layout change shows up here first.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from helpers import sample_data
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.infra.libreoffice import convert, find_soffice, pdf_page_count, pdf_to_png
from tthc.word.report import render_docx

_MISSING = [
    name
    for name, found in (
        ("soffice", find_soffice()),
        *((tool, shutil.which(tool)) for tool in ("pdftoppm", "pdftotext", "pdfinfo", "pdffonts")),
    )
    if found is None
]
pytestmark = pytest.mark.skipif(
    bool(_MISSING), reason=f"cần LibreOffice và poppler-utils; thiếu: {', '.join(_MISSING)}"
)

EXPECTED_PAGES = 5  # 4 portrait pages of report, 1 landscape page of appendix


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    narrative = run_pipeline(LoadResult(loaded.report, ())).ready.narrative
    assert narrative is not None
    folder = tmp_path_factory.mktemp("word_pdf")
    source = folder / "BaoCaoTTHC_2026_03.docx"
    source.write_bytes(render_docx(narrative))
    return convert(source, "pdf", folder / "pdf")


def _text(pdf: Path, page: int | None = None) -> str:
    command = ["pdftotext", "-enc", "UTF-8"]
    if page is not None:
        command += ["-f", str(page), "-l", str(page)]
    result = subprocess.run(
        [*command, str(pdf), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    )
    return result.stdout


def _flat(text: str) -> str:
    return " ".join(text.split())


def _page_size(pdf: Path, page: int) -> tuple[float, float]:
    result = subprocess.run(
        ["pdfinfo", "-f", str(page), "-l", str(page), str(pdf)],
        capture_output=True,
        check=True,
        text=True,
    )
    match = re.search(rf"^Page\s+{page} size:\s*([\d.]+) x ([\d.]+) pts", result.stdout, re.M)
    assert match, result.stdout
    return float(match.group(1)), float(match.group(2))


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_page_count(pdf: Path) -> None:
    assert pdf_page_count(pdf) == EXPECTED_PAGES


def test_key_figures_with_diacritics(pdf: Path) -> None:
    text = _flat(_text(pdf))
    for expected in (
        "1.018/1.018 hồ sơ",
        "Đạt chỉ tiêu giao.",
        "Nguyễn Xuân Thành",
        "PHỤ LỤC",
        "Tổng cộng",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Bình Giang, ngày 01 tháng 4 năm 2026",
        "Nơi nhận:",
        "- Lưu: VT.",
        "1.132",
    ):
        assert expected in text, expected


def test_a4_portrait_then_landscape_appendix(pdf: Path) -> None:
    last = pdf_page_count(pdf)
    for page in range(1, last):
        width, height = _page_size(pdf, page)
        assert (round(width), round(height)) == (595, 842), page
    width, height = _page_size(pdf, last)
    assert width > height
    assert (round(width), round(height)) == (842, 595)
    appendix = _flat(_text(pdf, last))
    assert "PHỤ LỤC" in appendix and "Tổng cộng" in appendix and "Hộ kinh doanh" in appendix
    assert "PHỤ LỤC" not in _flat(_text(pdf, last - 1))


def test_page_numbers_and_signature_placement(pdf: Path) -> None:
    last = pdf_page_count(pdf)
    first_lines = [_text(pdf, page).strip().splitlines()[0].strip() for page in range(1, last + 1)]
    assert first_lines[0] != "1"  # no number on page 1
    assert first_lines[1:] == [str(page) for page in range(2, last + 1)]
    signature_page = _flat(_text(pdf, last - 1))
    # the signature never stands alone: the closing paragraph goes with it
    assert "Nguyễn Xuân Thành" in signature_page and "Nơi nhận:" in signature_page
    assert "chỉ tiêu được giao./." in signature_page


def test_only_times_compatible_fonts(pdf: Path) -> None:
    """Vietnamese letters render in Times (or its metric twin), never in a fallback font."""
    result = subprocess.run(["pdffonts", str(pdf)], capture_output=True, check=True, text=True)
    names = [line.split()[0] for line in result.stdout.splitlines()[2:] if line.strip()]
    assert names
    for name in names:
        family = name.split("+", 1)[-1]
        assert re.match(r"(TimesNewRoman|Times|LiberationSerif|Tinos)", family), name


def test_page_images(pdf: Path, tmp_path: Path) -> None:
    last = pdf_page_count(pdf)
    first = pdf_to_png(pdf, tmp_path, resolution=80, first=1, last=1)
    appendix = pdf_to_png(pdf, tmp_path, resolution=80, first=last, last=last)
    assert len(first) == 1 and len(appendix) == 1
    width, height = _png_size(first[0])
    assert width < height and width == pytest.approx(210 / 25.4 * 80, abs=2)
    width, height = _png_size(appendix[0])
    assert width > height and width == pytest.approx(297 / 25.4 * 80, abs=2)
    # a blank A4 page at 80 dpi compresses to a few kB; these carry text and a table
    assert first[0].stat().st_size > 40_000
    assert appendix[0].stat().st_size > 20_000
