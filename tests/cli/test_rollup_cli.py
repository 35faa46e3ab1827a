"""`tthc rollup` end to end: three month workbooks in, the quarter's workbook and report out."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_rollup import quarter_months

from tthc.cli.commands import run
from tthc.workbook.template import build_workbook


@pytest.fixture
def months(tmp_path: Path) -> list[Path]:
    paths = []
    for report in quarter_months():
        path = tmp_path / f"thang-{report.period.start.month}.xlsx"
        build_workbook(report).save(path)
        paths.append(path)
    return paths


def test_rollup_writes_the_quarter_and_its_report(
    months: list[Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "quy" / "Quy1_2026.xlsx"
    assert run(["rollup", *reversed([str(m) for m in months]), "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert f"Đã ghi: {target}" in out
    stem = target.parent / "BaoCaoTTHC_xaHoaPhu_20260101-20260331"
    for suffix in (".docx", ".xlsx", ".txt"):
        assert Path(f"{stem}{suffix}").exists(), suffix
    text = Path(f"{stem}.txt").read_text(encoding="utf-8")
    assert "QUÝ I NĂM 2026" in text
    assert "(từ ngày 01/01/2026 đến ngày 31/3/2026)" in text
    info = load_workbook(target)["Thông tin"]
    assert info["B10"].value.date().isoformat() == "2026-01-01"
    assert info["B11"].value.date().isoformat() == "2026-03-31"
    # The quarter's workbook itself checks clean (its total (3) is 558, test_rollup.py).
    assert run(["check", str(target)]) == 0


def test_rollup_refuses_a_gap(months: list[Path], tmp_path: Path, capsys) -> None:
    target = tmp_path / "Quy.xlsx"
    assert run(["rollup", str(months[0]), str(months[2]), "-o", str(target)]) == 2
    assert "Không cộng dồn được các kỳ này" in capsys.readouterr().err
    assert not target.exists()
