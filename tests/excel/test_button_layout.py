"""The Báo cáo sheet the button fills is the one the CLI writes: one layout, two writers.

The button runs on xlwings' JSON engine, which records each change as an action;
the actions are replayed here onto a small model of the sheet (values, merges,
fonts, alignment, row heights) and compared, row by row, with the Báo cáo sheet
of the CLI's output workbook as openpyxl wrote it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from helpers import sample_data, xlwings_payload
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.excel.button import generate_report
from tthc.workbook.layout import SHEETS
from tthc.workbook.narrative_layout import narrative_layout
from tthc.workbook.output import build_output_workbook
from tthc.workbook.template import build_workbook

xw = pytest.importorskip("xlwings")


@pytest.fixture(autouse=True)
def _remote_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """As in test_macro: the free noncommercial key serves these tests only."""
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))


@dataclass
class _Sheet:
    """What the actions did to one sheet: by (row, column), 1-based as openpyxl counts."""

    values: dict[tuple[int, int], str] = field(default_factory=dict)
    fonts: dict[tuple[int, int], dict[str, object]] = field(default_factory=dict)
    horizontal: dict[tuple[int, int], str] = field(default_factory=dict)
    heights: dict[int, float] = field(default_factory=dict)
    merged: set[tuple[int, int, int, int]] = field(default_factory=set)

    def replay(self, action: dict[str, Any]) -> None:
        top, left = action["start_row"] + 1, action["start_column"] + 1
        rows, columns = action["row_count"], action["column_count"]
        cells = [(top + r, left + c) for r in range(rows) for c in range(columns)]
        func, args = action["func"], action["args"]
        if func == "setValues":
            for r, line in enumerate(action["values"]):
                for c, value in enumerate(line):
                    self.values[(top + r, left + c)] = value
        elif func == "setFontProperty":
            for cell in cells:
                self.fonts.setdefault(cell, {})[args[0]] = args[1]
        elif func == "setHorizontalAlignment":
            for cell in cells:
                self.horizontal[cell] = args[0] if isinstance(args, list) else args
        elif func == "setRowHeight":
            for r in range(rows):
                self.heights[top + r] = args[0]
        elif func == "rangeMerge":
            assert args == [True]  # across: each row its own merge
            for r in range(rows):
                self.merged.add((top + r, left, top + r, left + columns - 1))
        elif func in ("rangeClear", "rangeUnmerge"):
            self.values.clear(), self.fonts.clear(), self.horizontal.clear(), self.merged.clear()


def _button_sheet() -> _Sheet:
    report = load_report(sample_data()).report
    workbook = build_workbook(report)
    payload = xlwings_payload(workbook, xw.__version__)
    payload["client"] = "Office.js"  # the client that takes alignment, as Excel's COM does
    book = xw.Book(json=payload)
    assert generate_report(book).startswith("Đã tạo báo cáo")
    position = workbook.sheetnames.index(SHEETS["narrative"])
    sheet = _Sheet()
    for action in book.json()["actions"]:
        if action.get("sheet_position") == position:
            sheet.replay(action)
    return sheet


def test_the_button_writes_the_báo_cáo_sheet_as_the_cli_does() -> None:
    report = load_report(sample_data()).report
    ready = run_pipeline(LoadResult(report, ())).ready
    assert ready is not None
    cli = build_output_workbook(report, ready.indicators, ready.narrative)[SHEETS["narrative"]]
    button = _button_sheet()
    last = len(narrative_layout(ready.narrative))
    assert max(row for row, _ in button.values) == last
    assert all(cli.cell(row, 1).value in (None, "") for row in range(last + 1, cli.max_row + 1))
    assert button.merged == {
        (r.min_row, r.min_col, r.max_row, r.max_col) for r in cli.merged_cells.ranges
    }
    for row in range(1, last + 1):
        assert button.heights[row] == cli.row_dimensions[row].height, row
        for column in (1, 2):
            if any(m[0] == row and column == 2 for m in button.merged):
                continue  # the right half of a merged row shows nothing
            cell = cli.cell(row, column)
            assert button.values[(row, column)] == (cell.value or ""), (row, column)
            font = button.fonts[(row, column)]
            assert font["name"] == cell.font.name
            assert font["size"] == cell.font.size, (row, column)
            assert font.get("bold", False) == bool(cell.font.bold), (row, column)
            assert font.get("italic", False) == bool(cell.font.italic), (row, column)
            assert button.horizontal[(row, column)].lower() == cell.alignment.horizontal


def test_the_report_text_keeps_its_paragraphs_whole() -> None:
    """One paragraph, one cell (as in the CLI's sheet): nothing is cut at 255 characters."""
    button = _button_sheet()
    report = load_report(sample_data()).report
    ready = run_pipeline(LoadResult(report, ())).ready
    assert ready is not None
    texts = [text.lstrip("\u00a0") for text in button.values.values() if text]
    longest = max(ready.narrative.body, key=lambda paragraph: len(paragraph.text)).text
    assert len(longest) > 255 and longest in texts
    assert "PHÓ GIÁM ĐỐC" in texts and "Nguyễn Xuân Thành" in texts
