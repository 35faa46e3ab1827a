"""The "Tạo báo cáo" button end to end on xlwings' JSON (remote) engine.

The engine takes the workbook as Excel would send it (sheets of values and the
defined names) and records every write as an action instead of performing
it, so the test sees exactly what the button would change in Excel. Formula
cells are sent blank, as in a workbook Excel has not calculated; the button
recomputes everything from the input cells anyway.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl.workbook.workbook import Workbook

from helpers import sample_data, xlwings_payload
from tthc.core.report_data import load_report
from tthc.excel.button import generate_report
from tthc.workbook.layout import SHEETS
from tthc.workbook.template import build_workbook

xw = pytest.importorskip("xlwings")

INPUT_SHEETS = (SHEETS["info"], SHEETS["grid"], SHEETS["extras"], SHEETS["catalogue"])


@pytest.fixture(autouse=True)
def _remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """xlwings registers its JSON engine at import, only with a license key.

    The free noncommercial key serves these tests only (never the product); when
    xlwings was imported earlier without it, the engine is registered here.
    """
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


def _filled() -> Workbook:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return build_workbook(loaded.report)


def _run(workbook: Workbook) -> tuple[str, list[dict[str, Any]]]:
    book = xw.Book(json=xlwings_payload(workbook, xw.__version__))
    message = generate_report(book)
    return message, book.json()["actions"]


def _sheet(workbook: Workbook, action: dict[str, Any]) -> str:
    return workbook.sheetnames[action["sheet_position"]]


def test_the_button_fills_summary_and_report_and_nothing_else() -> None:
    workbook = _filled()
    message, actions = _run(workbook)
    assert message.startswith("Đã tạo báo cáo: trang «Tổng hợp»")
    writes = [a for a in actions if a["func"] != "alert"]
    assert [a["func"] for a in writes] == ["setValues", "rangeClearContents", "setValues"]
    assert not any(_sheet(workbook, a) in INPUT_SHEETS for a in writes)

    summary = writes[0]
    assert _sheet(workbook, summary) == "Tổng hợp"
    # TTHC_SUMMARY is A5:I36: one column (I) of 32 rows, zero-based row 4, column 8.
    assert (summary["start_row"], summary["start_column"]) == (4, 8)
    assert (summary["row_count"], summary["column_count"]) == (32, 1)
    texts = [row[0] for row in summary["values"]]
    # Hand-checked against the seed: 1.1 toàn xã 1.132/1.132, VP 1.018, KT 75, VHXH 39.
    assert texts[:4] == [
        "100% (1.132/1.132 hồ sơ)",
        "100% (1.018/1.018 hồ sơ)",
        "100% (75/75 hồ sơ)",
        "100% (39/39 hồ sơ)",
    ]
    assert texts[4:8] == ["100% (673/673 hồ sơ)", *["chưa có số liệu"] * 3]  # 1.2 unit-wide
    assert texts[20] == "100% (01/01 phản ánh, kiến nghị)"  # 1.6, toàn xã

    report = writes[2]
    assert _sheet(workbook, report) == "Báo cáo"
    assert (report["start_row"], report["start_column"]) == (0, 0)
    lines = [row[0] for row in report["values"]]
    assert lines[0] == "'UBND XÃ BÌNH GIANG"
    assert "'- Văn phòng HĐND-UBND xã: Đạt 100% (1.018/1.018 hồ sơ). Đạt chỉ tiêu giao." in lines
    assert all(len(line) <= 256 for line in lines)  # 255 characters and the apostrophe
    assert lines[-1] == "'Nguyễn Xuân Thành"
    alert = actions[-1]
    assert alert["func"] == "alert" and alert["args"][1] == "Báo cáo TTHC"


def test_a_workbook_with_errors_gets_a_message_and_no_writes() -> None:
    workbook = _filled()
    grid = workbook["Phụ lục"]
    grid["D9"] = "675 hs"  # Chứng thực, (4)
    grid["K12"] = -1  # Giáo dục, (11)
    message, actions = _run(workbook)
    assert [a["func"] for a in actions] == ["alert"]
    assert message.startswith("Chưa tạo báo cáo vì số liệu còn lỗi.")
    assert "trang «Phụ lục», ô D9" in message
    assert "«675 hs» không phải là số" in message
    assert "trang «Phụ lục», ô K12" in message
    assert actions[0]["args"][0] == message


def test_a_workbook_that_is_not_the_template() -> None:
    from openpyxl import Workbook as NewWorkbook

    message, actions = _run(NewWorkbook())
    assert [a["func"] for a in actions] == ["alert"]
    assert "không có các tên định danh của mẫu báo cáo TTHC" in message


def test_the_button_writes_the_word_report_beside_the_workbook_and_keeps_older_ones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tthc.excel.button

    monkeypatch.setattr(tthc.excel.button, "_book_folder", lambda book: tmp_path)
    first, _ = _run(_filled())
    second, _ = _run(_filled())
    word = tmp_path / "BaoCaoTTHC_xaBinhGiang_2026-03.docx"
    again = tmp_path / "BaoCaoTTHC_xaBinhGiang_2026-03 (2).docx"
    assert f"báo cáo Word {word}" in first
    assert f"báo cáo Word {again}" in second  # the first one, maybe edited, is kept
    assert word.read_bytes()[:2] == b"PK" and again.exists()
