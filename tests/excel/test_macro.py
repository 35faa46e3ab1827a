"""The "Tạo báo cáo" button end to end on xlwings' JSON (remote) engine.

The engine takes the workbook as Excel would send it (sheets of values and the
defined names) and records every write as an action instead of performing
it, so the test sees exactly what the button would change in Excel. Formula
cells are sent blank, as in a workbook Excel has not calculated; the button
recomputes everything from the input cells anyway.
"""

from __future__ import annotations

from contextlib import nullcontext
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
    values = [a for a in writes if a["func"] == "setValues"]
    assert len(values) == 2  # Tổng hợp's text column, then the Báo cáo sheet: one call each
    for write in values:  # each text range is made a text range first: Excel parses nothing
        before = writes[writes.index(write) - 1]
        assert before["func"] == "setNumberFormat" and before["args"] == ["@"]
    # Only the tool's two sheets change; the Báo cáo sheet's layout: see test_button_layout.
    assert {_sheet(workbook, a) for a in writes} == {"Tổng hợp", "Báo cáo"}
    assert not any(_sheet(workbook, a) in INPUT_SHEETS for a in writes)
    summary_sheet = [a for a in writes if _sheet(workbook, a) == "Tổng hợp"]
    assert [a["func"] for a in summary_sheet] == ["setNumberFormat", "setValues"]
    writes = values

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

    report = writes[1]
    assert _sheet(workbook, report) == "Báo cáo"
    assert (report["start_row"], report["start_column"]) == (0, 0)
    lines = [row[0].lstrip("\u00a0") for row in report["values"]]  # less the indent
    assert report["values"][0] == ["UBND XÃ BÌNH GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert "- Văn phòng HĐND-UBND xã: Đạt 100% (1.018/1.018 hồ sơ). Đạt chỉ tiêu giao." in lines
    assert report["values"][-1] == ["", "Nguyễn Xuân Thành"]
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


def _summary_keys(workbook: Workbook) -> list[tuple[str, str]]:
    sheet = workbook["Tổng hợp"]
    return [(str(sheet.cell(row, 1).value), str(sheet.cell(row, 3).value)) for row in range(5, 37)]


def test_a_department_added_to_danh_muc_keeps_every_text_on_its_own_row(tmp_path: Path) -> None:
    """One more department: 40 results for the 32 rows made with the workbook.

    Written by position, the texts of «Văn hóa - Xã hội» would land on the new
    department's rows and eight would spill below the table.
    """
    workbook = _filled()
    catalogue = workbook["Danh mục"]
    row = next(r for r in range(5, 57) if not catalogue.cell(r, 1).value)  # a spare row
    catalogue.cell(row, 1).value = "An ninh trật tự"
    catalogue.cell(row, 2).value = "Công an xã"
    message, actions = _run(workbook)
    assert message.startswith("Đã tạo báo cáo")
    assert "không có dòng cho 1.1 (Công an xã); 1.2 (Công an xã)" in message
    assert "tthc new --from" in message
    summary = next(a for a in actions if a["func"] == "setValues")
    assert (summary["start_row"], summary["row_count"]) == (4, 32)  # within TTHC_SUMMARY
    written = dict(zip(_summary_keys(workbook), [row[0] for row in summary["values"]], strict=True))
    # The same workbook through tthc check's reader: the reference for every row.
    from tthc.core.pipeline import run_pipeline
    from tthc.core.summary import summary_rows
    from tthc.workbook.openpyxl_source import OpenpyxlSource
    from tthc.workbook.reader import read_blocks

    workbook.save(tmp_path / "mau.xlsx")
    source = OpenpyxlSource.open(tmp_path / "mau.xlsx")
    ready = run_pipeline(read_blocks(source, "mau.xlsx")).ready
    assert ready is not None
    expected = {(r.code, r.scope): r.text for r in summary_rows(ready.report, ready.indicators)}
    assert {key: expected[key] for key in written} == written
    assert written[("1.1", "Toàn xã")] == "100% (1.132/1.132 hồ sơ)"  # the seed's total
    assert written[("1.1", "Phòng Văn hóa - Xã hội")] == "100% (39/39 hồ sơ)"  # as the seed
    assert written[("1.1", "Phòng Kinh tế")] == "100% (75/75 hồ sơ)"
    assert written[("1.2", "Toàn xã")] == "100% (673/673 hồ sơ)"  # not 1.1's new row


@pytest.mark.parametrize(
    ("sheet", "cell", "error"),
    [("Phụ lục", "H8", "#REF!"), ("Phụ lục", "D9", "#N/A"), ("Chỉ tiêu", None, "#DIV/0!")],
)
def test_error_cells_are_findings_naming_the_cell(sheet: str, cell: str | None, error: str) -> None:
    """xlwings blanks error values unless asked; the button asks, as tthc check sees them."""
    workbook = _filled()
    if cell is None:  # the first input of the indicator table (TTHC_EXTRAS)
        target = workbook.defined_names["TTHC_EXTRAS"].attr_text.split("!")[1]
        cell = target.split(":")[0].replace("$", "")
        column = ord(cell[0]) - ord("A") + 2
        cell = f"{chr(ord('A') + column - 1)}{cell[1:]}"
    workbook[sheet][cell] = error
    assert workbook[sheet][cell].data_type == "e"  # an error cell, as Excel stores it
    message, actions = _run(workbook)
    assert [a["func"] for a in actions] == ["alert"]
    assert message.startswith("Chưa tạo báo cáo vì số liệu còn lỗi.")
    assert f"trang «{sheet}», ô {cell}" in message
    assert error in message


def test_a_failure_inside_ends_in_a_vietnamese_message_and_a_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tthc.excel.button
    from tthc.excel.button import press

    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("COM: (-2147352567, 'Exception occurred.')")

    monkeypatch.setattr(tthc.excel.button, "run_pipeline", broken)
    monkeypatch.setattr(tthc.excel.button, "_book_folder", lambda book: tmp_path)
    book = xw.Book(json=xlwings_payload(_filled(), xw.__version__))
    message = press(book)
    actions = book.json()["actions"]
    assert [a["func"] for a in actions] == ["alert"]  # nothing written into the workbook
    assert actions[0]["args"][0] == message
    assert message.startswith("Không tạo được báo cáo do một lỗi ngoài dự kiến")
    log = tmp_path / "tthc-loi.log"
    assert f"Chi tiết kỹ thuật đã ghi vào tệp {log}" in message
    assert "Traceback" not in message and "RuntimeError" not in message
    logged = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: COM: (-2147352567" in logged
    press(book)  # a second failure is added to the same log
    assert log.read_text(encoding="utf-8").count("\nRuntimeError: COM") == 2


class _NativeSheet:
    """The slice of Excel's Worksheet object `unprotected` uses, recording the calls."""

    def __init__(self, protected: bool) -> None:
        self.ProtectContents = protected
        self.calls: list[tuple[str, dict[str, object]]] = []

    def Unprotect(self) -> None:
        self.calls.append(("Unprotect", {}))
        self.ProtectContents = False

    def Protect(self, **options: object) -> None:
        self.calls.append(("Protect", options))
        self.ProtectContents = True


class _Sheet:
    def __init__(self, native: _NativeSheet) -> None:
        self.api = native


@pytest.mark.parametrize("fails", [False, True])
def test_a_protected_sheet_is_unprotected_for_the_write_and_protected_again(fails: bool) -> None:
    from tthc.excel.button import unprotected

    native = _NativeSheet(protected=True)
    seen: list[bool] = []
    with pytest.raises(RuntimeError) if fails else nullcontext(), unprotected(_Sheet(native)):
        seen.append(native.ProtectContents)
        if fails:
            raise RuntimeError("Excel refused the write")
    assert seen == [False]  # written while unprotected
    assert [name for name, _ in native.calls] == ["Unprotect", "Protect"]
    options = native.calls[1][1]
    assert options["Contents"] is True and options["AllowFormattingColumns"] is True
    assert native.ProtectContents  # protected again, even after a failure


def test_an_unprotected_sheet_and_an_engine_without_the_object_model_are_left_alone() -> None:
    from tthc.excel.button import unprotected

    native = _NativeSheet(protected=False)
    with unprotected(_Sheet(native)):
        pass
    assert native.calls == []  # a sheet the clerk left open stays open
    with unprotected(object()):  # no .api at all: xlwings' JSON engine, Excel on the web
        pass


def test_a_field_added_in_a_spare_row_counts_in_its_department(tmp_path: Path) -> None:
    """A field typed below the others, its department taken from a new Danh mục row."""
    workbook = _filled()
    catalogue = workbook["Danh mục"]
    spare = next(r for r in range(5, 57) if not catalogue.cell(r, 1).value)
    catalogue.cell(spare, 1).value = "An ninh trật tự"
    catalogue.cell(spare, 2).value = "Phòng Kinh tế"
    grid = workbook["Phụ lục"]
    row = next(r for r in range(8, 50) if not grid.cell(r, 2).value)
    grid.cell(row, 2).value = "An ninh trật tự"
    for column, value in zip("DEFHIJKLNOP", (4, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0), strict=True):
        grid[f"{column}{row}"] = value  # 4 received online, 4 resolved early
    message, actions = _run(workbook)
    assert message.startswith("Đã tạo báo cáo") and "không có dòng" not in message
    summary = next(a for a in actions if a["func"] == "setValues")
    written = dict(zip(_summary_keys(workbook), [r[0] for r in summary["values"]], strict=True))
    # By hand from the seed: 1.132 + 4 dossiers unit-wide, 75 + 4 in Phòng Kinh tế.
    assert "/1.136 hồ sơ)" in written[("1.1", "Toàn xã")]
    assert "/79 hồ sơ)" in written[("1.1", "Phòng Kinh tế")]
    assert written[("1.1", "Văn phòng HĐND-UBND")] == "100% (1.018/1.018 hồ sơ)"  # unchanged
