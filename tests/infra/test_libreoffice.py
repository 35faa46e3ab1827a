"""`convert_many`: several files through one start of LibreOffice, refused when names clash."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from tthc.infra.libreoffice import convert_many, find_soffice

pytestmark = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed; .ci/run installs it"
)


def _book(path: Path, value: int) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = value
    sheet["A2"] = "=A1*2"  # openpyxl stores no result: LibreOffice computes it
    workbook.save(path)
    return path


def test_each_file_is_converted_and_returned_in_order(tmp_path: Path) -> None:
    sources = [_book(tmp_path / f"so_{n}.xlsx", n) for n in (3, 7)]
    produced = convert_many(sources, "xlsx", tmp_path / "out")
    assert [p.name for p in produced] == ["so_3.xlsx", "so_7.xlsx"]
    values = [load_workbook(p, data_only=True).active["A2"].value for p in produced]
    assert values == [6, 14]


def test_two_sources_with_one_name_are_refused_before_anything_runs(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    sources = [_book(tmp_path / "a" / "x.xlsx", 1), _book(tmp_path / "b" / "x.xlsx", 2)]
    with pytest.raises(ValueError, match="trùng tên"):
        convert_many(sources, "pdf", tmp_path / "out")
    assert not (tmp_path / "out").exists()
