"""Comparison with the previous month, every change figure checked by hand.

April 2026 is the troubled month of tests/core/test_troubled_month.py (xã Tân An):
(3)=232, (4)+(5)=227, (7)=219, (10)=5, (15)=2; 1.1 = 97/232; 1.4 = 205/217;
2.1 = 214/219. March 2026, built below:

    Hộ tịch         40 30 0 | 65  5 0 0 0 | 0 0 0   (3)=70  (7)=70  (13)=0
    Chứng thực      20 90 0 | 110 0 0 0 0 | 0 0 0   (3)=110 (7)=110 (13)=0
    Đất đai          8  4 3 |  7  1 1 0 0 | 3 1 2   (3)=15  (7)=9   (13)=6
    Bảo trợ xã hội  10  0 0 | 10  0 0 0 0 | 0 0 0   (3)=10  (7)=10  (13)=0

March totals: (3)=205, (4)+(5)=202, (5)=124, (7)=199, (10)=1, (15)=1,
(8)+(9)+(10)=199 (nothing refused or withdrawn) with 180 digitised. April's Đất đai
opens with (6)=5 although March ended with 6 pending: a broken carry-over.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from test_troubled_month import KEYS, troubled_month

from tthc.cli.commands import run

MARCH = [
    ("Hộ tịch", (40, 30, 0, 65, 5, 0, 0, 0, 0, 0, 0)),
    ("Chứng thực", (20, 90, 0, 110, 0, 0, 0, 0, 0, 0, 0)),
    ("Đất đai", (8, 4, 3, 7, 1, 1, 0, 0, 3, 1, 2)),
    ("Bảo trợ xã hội", (10, 0, 0, 10, 0, 0, 0, 0, 0, 0, 0)),
]


def march() -> dict[str, Any]:
    return {
        "unit": {"kind": "xã", "name": "Tân An"},
        "period": {"start": "2026-03-01", "end": "2026-03-31"},
        "signer": {"name": "Lê Thị Hoa"},
        "appendix": {
            "rows": [
                {"field": name, **dict(zip(KEYS, values, strict=True))} for name, values in MARCH
            ]
        },
        "extra_inputs": {"unit": {"digitised": 180}},
    }


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    previous, current = tmp_path / "thang3.json", tmp_path / "thang4.json"
    previous.write_text(json.dumps(march(), ensure_ascii=False), encoding="utf-8")
    current.write_text(json.dumps(troubled_month(), ensure_ascii=False), encoding="utf-8")
    return previous, current


def test_the_report_compares_with_last_month(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous, current = files
    out = tmp_path / "out"
    assert run(["report", str(current), "--compare", str(previous), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert (
        "Cảnh báo — lĩnh vực «Đất đai», cột (6): Cuối tháng 3 năm 2026 còn 6 hồ sơ đang giải "
        "quyết (cột 13) nhưng kỳ này ghi 5 hồ sơ từ kỳ trước (cột 6)." in printed.splitlines()
    )
    text = (out / "BaoCaoTTHC_xaTanAn_2026-04.txt").read_text(encoding="utf-8")
    section = text[text.index("2.3. So sánh với tháng trước") :].split("\n\n")
    assert section[1:9] == [
        # 232 - 205 = 27; 27/205 = 13,170…%
        "- Tổng số hồ sơ tiếp nhận 232 hồ sơ, tăng 27 hồ sơ (13,17%) so với tháng trước "
        "(205 hồ sơ).",
        # 227 - 202 = 25; 25/202 = 12,376…%
        "- Số hồ sơ tiếp nhận trong kỳ 227 hồ sơ, tăng 25 hồ sơ (12,37%) so với tháng trước "
        "(202 hồ sơ).",
        # 219 - 199 = 20; 20/199 = 10,050…%
        "- Số hồ sơ đã giải quyết 219 hồ sơ, tăng 20 hồ sơ (10,05%) so với tháng trước "
        "(199 hồ sơ).",
        "- Số hồ sơ giải quyết quá hạn 05 hồ sơ, tăng 04 hồ sơ (400%) so với tháng trước "
        "(01 hồ sơ).",
        "- Số hồ sơ đang giải quyết quá hạn 02 hồ sơ, tăng 01 hồ sơ (100%) so với tháng trước "
        "(01 hồ sơ).",
        # 97/232 - 81/205 = 1.093/47.560 = 2,298… points; 81/205 = 39,512…%
        "- Tỷ lệ nộp hồ sơ trực tuyến 41,81%, tăng 2,29 điểm phần trăm so với tháng trước "
        "(39,51%).",
        # 205/217 - 180/199 = 1.735/43.183 = 4,017… points; 180/199 = 90,452…%
        "- Tỷ lệ số hóa hồ sơ, kết quả giải quyết 94,47%, tăng 4,01 điểm phần trăm so với "
        "tháng trước (90,45%).",
        # 214/219 - 198/199 = -776/43.581 = -1,780… points; 198/199 = 99,497…%
        "- Tỷ lệ hồ sơ giải quyết trước hạn, đúng hạn 97,71%, giảm 1,78 điểm phần trăm so với "
        "tháng trước (99,49%).",
    ]
    from openpyxl import load_workbook

    sheet = load_workbook(out / "BaoCaoTTHC_xaTanAn_2026-04.xlsx")["So sánh"]
    assert [c.value for c in sheet[2]][:4] == ["Tổng số hồ sơ tiếp nhận", 232, 205, 27]
    # It prints on A4 landscape at its own size: one page wide, its columns fitting the page.
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    assert sheet.print_title_rows == "$1:$1"
    widths = [sheet.column_dimensions[letter].width for letter in "ABCDE"]
    assert sum(widths) <= 140 and sheet.cell(2, 5).alignment.wrap_text


def test_check_reports_the_broken_carry_over(
    files: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    previous, current = files
    assert run(["check", str(current), "--compare", str(previous)]) == 0
    assert "cột (6): Cuối tháng 3 năm 2026 còn 6 hồ sơ" in capsys.readouterr().out


def test_a_previous_file_with_errors_cannot_be_compared(
    files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    previous, current = files
    broken = march()
    broken["appendix"]["rows"][0]["early"] = 99  # (3) ≠ (7)+(13)
    previous.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    assert run(["report", str(current), "--compare", str(previous), "-o", str(tmp_path)]) == 2
    assert "Không so sánh được với" in capsys.readouterr().err


def test_same_period_last_year_is_named_so() -> None:
    from dataclasses import replace
    from datetime import date

    from tthc.core.compare import reference_label
    from tthc.core.model import Period
    from tthc.core.report_data import load_report

    now = load_report(troubled_month()).report
    assert now is not None
    last_year = replace(now, period=Period(date(2025, 4, 1), date(2025, 4, 30)))
    assert reference_label(now, last_year) == "cùng kỳ năm trước"
    other = replace(now, period=Period(date(2026, 1, 1), date(2026, 1, 31)))
    assert reference_label(now, other) == "kỳ tháng 01 năm 2026"
