"""`tthc dossiers` end to end: a CSV of the seed's 1.132 dossiers becomes the March workbook."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from test_dossier_grid import generate_seed_list

from tthc.cli.commands import run
from tthc.core.dossier_model import Dossier
from tthc.core.model import ReportInput
from tthc.workbook.reader import read_workbook

HEADERS = (
    "Mã hồ sơ",
    "Lĩnh vực",
    "Kênh tiếp nhận",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc",
    "Trạng thái",
    "Có phí",
    "Thanh toán trực tuyến",
    "Cập nhật hệ thống",
    "Số hóa",
    "Tái sử dụng",
)


def _day(value: object) -> str:
    return value.strftime("%d/%m/%Y") if value else ""  # type: ignore[attr-defined]


def _flag(value: bool | None) -> str:
    return "" if value is None else ("có" if value else "không")


def write_csv(path: Path, records: list[Dossier]) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        for d in records:
            writer.writerow(
                (
                    d.code,
                    d.field,
                    d.channel.value,
                    _day(d.received),
                    _day(d.due),
                    _day(d.finished),
                    d.status.value,
                    _flag(d.has_fee),
                    _flag(d.paid_online),
                    _flag(d.updated),
                    _flag(d.digitised),
                    _flag(d.reused),
                )
            )
    return path


def test_the_seed_month_from_its_dossier_list(
    seed_report: ReportInput, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = {
        "has_fee": True,
        "paid_online": True,
        "updated": True,
        "digitised": True,
        "reused": True,
    }
    listing = write_csv(tmp_path / "ho-so.csv", generate_seed_list(seed_report, **flags))
    target = tmp_path / "thang3.xlsx"
    args = [
        "dossiers",
        str(listing),
        "--period",
        "2026-03",
        "--name",
        "Bình Giang",
        "-o",
        str(target),
    ]
    assert run(args) == 0
    out = capsys.readouterr().out
    assert "Đã đọc 1132 hồ sơ; 0 hồ sơ ngoài kỳ." in out
    loaded = read_workbook(target)
    assert loaded.report is not None
    got = {row.field: row.counts for row in loaded.report.rows}
    assert got == {row.field: row.counts for row in seed_report.rows}  # the seed's grid exactly
    workbook = load_workbook(target)
    trace = workbook["Nguồn hồ sơ"]
    first = [c.value for c in trace[2]]
    assert first[0] == "Hộ tịch" and first[1] == "(4) Trực tuyến" and first[3] == 343
    assert trace["C2"].hyperlink.location == "'Phụ lục'!D8"
    assert "Hồ sơ ngoài kỳ" in workbook.sheetnames
    # Staff finish the month as usual: the workbook reports, 1.4 counted from the flags.
    assert run(["report", str(target), "-o", str(tmp_path / "out")]) == 0
    text = (tmp_path / "out" / "BaoCaoTTHC_xaBinhGiang_2026-03.txt").read_text(encoding="utf-8")
    assert "- Văn phòng HĐND-UBND xã: Đạt 100% (1.014/1.014 hồ sơ)." in text


def test_a_list_with_a_missing_column(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    listing = tmp_path / "thieu.csv"
    listing.write_text("Mã hồ sơ;Lĩnh vực\nA1;Hộ tịch\n", encoding="utf-8")
    target = tmp_path / "x.xlsx"
    args = ["dossiers", str(listing), "--period", "2026-03", "--name", "X", "-o", str(target)]
    assert run(args) == 1
    captured = capsys.readouterr()
    assert "Ngày tiếp nhận" in captured.out
    assert not target.exists()
