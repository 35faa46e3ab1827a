"""`tthc consolidate` end to end: a folder of unit workbooks, one bad file, the summary workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import sample_data
from tthc.cli.commands import run
from tthc.core.report_data import load_report
from tthc.workbook.template import build_workbook


def test_consolidate_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "cac-xa"
    folder.mkdir()
    for name in ("Bình Giang", "Tân An"):
        data = sample_data()
        data["unit"] = {"kind": "xã", "name": name}
        report = load_report(data).report
        assert report is not None
        build_workbook(report).save(folder / f"{name}.xlsx")
    (folder / "hong.xlsx").write_bytes(b"not a workbook")
    target = tmp_path / "TongHop.xlsx"
    assert run(["consolidate", str(folder), "-o", str(target)]) == 1  # one file set aside
    out = capsys.readouterr().out
    assert "Đã tổng hợp 2 đơn vị." in out
    assert f"Bỏ qua {folder / 'hong.xlsx'}" in out
    workbook = load_workbook(target)
    assert {"Các đơn vị", "Phụ lục tổng hợp", "Tệp bị bỏ qua"} <= set(workbook.sheetnames)
    grid = workbook["Phụ lục tổng hợp"]
    values = [c.value for row in grid.iter_rows() for c in row]
    assert 2264 in values  # twice the seed's 1.132 received


def test_nothing_usable_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "TongHop.xlsx"
    assert run(["consolidate", str(tmp_path / "khong-co"), "-o", str(target)]) == 2
    captured = capsys.readouterr()
    assert "Không tìm thấy tệp" in captured.out
    assert "chưa ghi tệp tổng hợp" in captured.err
    assert not target.exists()
