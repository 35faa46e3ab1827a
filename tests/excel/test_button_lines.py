"""The Báo cáo sheet the button fills follows the output workbook's rules (one layout)."""

from __future__ import annotations

from helpers import sample_data
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import load_report
from tthc.excel.button import narrative_lines


def test_button_lines_are_indented_and_leave_room_to_sign() -> None:
    result = run_pipeline(load_report(sample_data()))
    assert result.ready is not None
    lines = narrative_lines(result.ready.narrative)
    indent = "\u00a0" * 8
    opening = next(line for line in lines if "Thực hiện nhiệm vụ" in line)
    assert opening.startswith(indent)
    assert "1.1. Tỷ lệ nộp hồ sơ trực tuyến (chỉ tiêu giao ≥ 60%)" in lines  # headings flush
    title = lines.index("PHÓ GIÁM ĐỐC")
    assert lines[title + 1 :] == ["", "", "", "", "Nguyễn Xuân Thành"]
