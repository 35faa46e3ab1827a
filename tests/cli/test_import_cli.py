"""`tthc import` end to end: the seed's grid in a foreign workbook becomes our filled workbook."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_form_import import bieu06_workbook, seed_workbook

from tthc.cli.commands import run


def test_import_the_seed_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = seed_workbook(tmp_path / "xuat-tu-he-thong.xlsx")
    target = tmp_path / "BaoCaoTTHC.xlsx"
    args = ["import", str(source), "-o", str(target), "--name", "Bình Giang", "--period", "2026-03"]
    assert run(args) == 0
    assert f"Đã ghi: {target}" in capsys.readouterr().out
    # The imported workbook holds the seed's appendix: check reports the missing extras only.
    assert run(["check", str(target)]) == 0
    out = capsys.readouterr().out
    assert "Lỗi" not in out
    assert run(["export", str(target), "-o", str(tmp_path / "so-lieu.json")]) == 0
    data = (tmp_path / "so-lieu.json").read_text(encoding="utf-8")
    assert '"field": "Hộ tịch"' in data and '"online": 343' in data


def test_import_a_13_column_form_says_what_it_could_not_map(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = bieu06_workbook(tmp_path / "bieu06.xlsx")
    target = tmp_path / "moi.xlsx"
    args = ["import", str(source), "-o", str(target), "--name", "An Phú", "--period", "04/2026"]
    assert run(args) == 0
    assert "Biểu 13 cột không tách hồ sơ từ chối, hồ sơ rút, hồ sơ chờ bổ sung" in (
        capsys.readouterr().out
    )


def test_import_without_a_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    source = tmp_path / "trong.xlsx"
    Workbook().save(source)
    target = tmp_path / "moi.xlsx"
    args = ["import", str(source), "-o", str(target), "--name", "X", "--period", "2026-04"]
    assert run(args) == 2
    assert not target.exists()
    capsys.readouterr()
