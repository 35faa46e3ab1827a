"""The workbook as staff use it: template, new month, export, findings by cell, output workbook."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from helpers import sample_data
from tthc.cli.commands import run
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import dump_report, load_report
from tthc.workbook.narrative_layout import narrative_rows
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook
from workbook_snapshot import workbook_snapshot

ROOT = Path(__file__).resolve().parents[2]


def canonical_sample() -> dict[str, Any]:
    """The sample data file as `dump_report` writes it (defaults spelled out)."""
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return dump_report(loaded.report)


@pytest.fixture
def filled(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    data = tmp_path / "so-lieu.json"
    data.write_text(json.dumps(sample_data(), ensure_ascii=False), encoding="utf-8")
    workbook = tmp_path / "thang-3.xlsx"
    assert run(["new", "-o", str(workbook), "--data", str(data)]) == 0
    capsys.readouterr()
    return workbook


def test_committed_template_matches_the_code(tmp_path: Path) -> None:
    fresh = tmp_path / "BaoCaoTTHC.xlsx"
    assert run(["template", "-o", str(fresh)]) == 0
    assert workbook_snapshot(fresh) == workbook_snapshot(ROOT / "templates" / "BaoCaoTTHC.xlsx")


def test_template_structure() -> None:
    workbook = load_workbook(ROOT / "templates" / "BaoCaoTTHC.xlsx")
    assert workbook.sheetnames == [
        "Thông tin",
        "Phụ lục",
        "Chỉ tiêu",
        "Danh mục",
        "Tổng hợp",
        "Báo cáo",
    ]
    grid = workbook["Phụ lục"]
    # The seed's headings, with the misspelt "Thực tuyến/Thực tiếp" corrected.
    assert grid["C4"].value == "Số lượng hồ sơ tiếp nhận"
    assert grid["D5"].value == "Trong kỳ"
    assert grid["D6"].value == "Trực tuyến"
    assert grid["E6"].value == "Trực tiếp, dịch vụ bưu chính"
    assert grid["K5"].value == "Từ chối, không giải quyết"
    assert grid["P5"].value == "Yêu cầu bổ sung"
    assert [grid.cell(7, c).value.replace("\n", "") for c in (1, 2, 3, 7, 13)] == [
        "(1)",
        "(2)",
        "(3)=(4)+(5)+(6)",
        "(7)=(8)+(9)+(10)+(11)+(12)",
        "(13)=(14)+(15)+(16)",
    ]
    assert "C4:F4" in {str(r) for r in grid.merged_cells.ranges}
    # Pre-listed fields of a xã's catalogue, formulas in (3), (7), (13), inputs unlocked.
    assert grid["B8"].value == "Hộ tịch"
    assert grid["C8"].value.startswith("=IF(")
    assert grid["D8"].protection.locked is False
    assert grid["C8"].protection.locked is True
    assert grid.protection.sheet is True and not grid.protection.password
    total_row = int(workbook.defined_names["TTHC_GRID_TOTAL"].attr_text.split("$")[-1])
    assert grid[f"B{total_row}"].value == "Tổng cộng"
    assert grid[f"C{total_row}"].value == f"=SUM(C8:C{total_row - 1})"
    assert grid.page_setup.orientation == "landscape"
    names = set(workbook.defined_names)
    for name in (
        "TTHC_GRID",
        "TTHC_EXTRAS",
        "TTHC_SETTINGS",
        "TTHC_TARGETS",
        "TTHC_CATALOGUE",
        "TTHC_SUMMARY",
        "TTHC_NARRATIVE",
        "TTHC_UNIT_NAME",
    ):
        assert name in names
    summary = workbook["Tổng hợp"]
    # The figures are native formulas (any spreadsheet program computes them); the add-in's
    # function checks them in column J, and a PC without it reads «cần add-in tthc».
    figures = "".join(str(summary[f"{c}5"].value) for c in "DEFGH")
    assert re.search(r"TTHC_[A-Z_]+\(", figures) is None  # names such as TTHC_GRID, no calls
    assert summary["F5"].value.startswith("=IF(AND(ISNUMBER(E5),E5=0),")
    assert summary["J5"].value == (
        '=IFERROR(IF(TTHC_RATE("1.1",TTHC_GRID,TTHC_EXTRAS,$C5,TTHC_SETTINGS)=F5,"✓",'
        '"Khác: "&TTHC_RATE("1.1",TTHC_GRID,TTHC_EXTRAS,$C5,TTHC_SETTINGS)),"cần add-in tthc")'
    )


def test_phuong_template_names_its_departments(tmp_path: Path) -> None:
    path = tmp_path / "phuong.xlsx"
    assert run(["template", "-o", str(path), "--kind", "phường"]) == 0
    workbook = load_workbook(path)
    assert workbook["Thông tin"]["B4"].value == "phường"
    departments = {c.value for c in workbook["Chỉ tiêu"]["A"] if c.value}
    assert "Phòng Kinh tế, Hạ tầng và Đô thị" in departments
    assert "Toàn phường" in departments


def test_data_file_to_workbook_and_back(filled: Path, tmp_path: Path) -> None:
    exported = tmp_path / "xuat.json"
    assert run(["export", str(filled), "-o", str(exported)]) == 0
    assert json.loads(exported.read_text(encoding="utf-8")) == canonical_sample()


def test_a_wrong_sheet_dimension_loses_no_row(filled: Path, tmp_path: Path) -> None:
    """Other programs write <dimension> wrong; the read-only reader must not stop there."""
    shrunk = tmp_path / "kich-thuoc-sai.xlsx"
    with zipfile.ZipFile(filled) as source, zipfile.ZipFile(shrunk, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1"/>', data)
            target.writestr(info, data)
    with zipfile.ZipFile(shrunk) as archive:
        assert b'<dimension ref="A1"/>' in archive.read("xl/worksheets/sheet2.xml")
    original, damaged = read_workbook(filled), read_workbook(shrunk)
    assert damaged.findings == original.findings == ()
    assert damaged.report == original.report


def test_the_filled_workbook_checks_clean(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", str(filled)]) == 0
    assert capsys.readouterr().out.strip() == "Không phát hiện lỗi hay cảnh báo nào."


def test_from_previous_month_carries_pending_into_column_6(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    april = tmp_path / "thang-4.xlsx"
    assert run(["new", "-o", str(april), "--from", str(filled)]) == 0
    # March's only pending dossier: Đất đai (13) = 1 (seed appendix).
    assert "Đất đai 1" in capsys.readouterr().out
    workbook = load_workbook(april)
    grid = workbook["Phụ lục"]
    row = _row_named(grid, "Đất đai")
    assert grid[f"F{row}"].value == 1  # (6) from the previous period
    assert grid[f"D{row}"].value is None  # everything else left for staff to type
    assert [grid[f"F{r}"].value for r in range(8, 50) if r != row] == [None] * 41
    info = workbook["Thông tin"]
    assert info["B5"].value == "Bình Giang"
    assert info["B10"].value.date().isoformat() == "2026-04-01"
    assert info["B11"].value.date().isoformat() == "2026-04-30"
    assert info["B17"].value == "Nguyễn Xuân Thành"
    extras = workbook["Chỉ tiêu"]
    assert extras["E6"].value is None  # last month's inputs do not leak into this month


def _row_named(sheet: Any, field: str) -> int:
    return next(r for r in range(8, 60) if sheet[f"B{r}"].value == field)


def _fields(path: Path) -> list[str]:
    """Phụ lục's field column, top to bottom, up to Tổng cộng."""
    grid = load_workbook(path)["Phụ lục"]
    names: list[str] = []
    for row in range(8, 80):
        value = grid[f"B{row}"].value
        if value == "Tổng cộng":
            return names
        names.append(value or "")
    raise AssertionError("no Tổng cộng row")


def test_three_months_in_a_row_keep_the_unit_s_order(filled: Path, tmp_path: Path) -> None:
    """`new --from` twice: the rows stay where March had them (no carried field jumps to the
    top); a field typed into a spare row in April stays at that place in May."""
    march = _fields(filled)
    # March as the seed lists it: Hộ tịch, Chứng thực first, VHXH's fields before Đất đai.
    assert march[:2] == ["Hộ tịch", "Chứng thực"]
    assert march.index("Người có công") < march.index("Đất đai") < march.index("Hộ kinh doanh")
    april = tmp_path / "thang-4.xlsx"
    assert run(["new", "-o", str(april), "--from", str(filled)]) == 0
    assert _fields(april) == march
    # April: figures for a field March did not use, and a new field in the first spare row.
    workbook = load_workbook(april)
    grid = workbook["Phụ lục"]
    spare = 8 + march.index("")
    grid[f"B{spare}"] = "Thi đua, khen thưởng"
    for row in (_row_named(grid, "Nuôi con nuôi"), spare):
        grid[f"D{row}"] = 2
        grid[f"I{row}"] = 2
    for row in (_row_named(grid, "Hộ tịch"), _row_named(grid, "Đất đai")):
        grid[f"D{row}"] = 5
        grid[f"I{row}"] = 5
        grid[f"F{row}"] = grid[f"F{row}"].value  # Đất đai's carried dossier stays
    dat_dai = _row_named(grid, "Đất đai")
    grid[f"I{dat_dai}"] = 6  # 5 received + 1 carried, all resolved on time
    catalogue = workbook["Danh mục"]
    free = next(r for r in range(5, 60) if not catalogue[f"A{r}"].value)
    catalogue[f"A{free}"] = "Thi đua, khen thưởng"
    catalogue[f"B{free}"] = "Văn phòng HĐND-UBND"
    workbook.save(april)
    april_fields = _fields(april)
    may = tmp_path / "thang-5.xlsx"
    assert run(["new", "-o", str(may), "--from", str(april)]) == 0
    may_fields = _fields(may)
    assert may_fields[: len(march)] == april_fields[: len(march)]
    # The new field keeps its April place, after the catalogue's fields.
    assert may_fields.index("Thi đua, khen thưởng") == april_fields.index("Thi đua, khen thưởng")
    assert [f for f in may_fields if f] == [f for f in april_fields if f]


def test_new_blank_month(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "moi.xlsx"
    args = ["new", "-o", str(path), "--kind", "phường", "--name", "Hòa Bình", "--period", "2026-04"]
    assert run(args) == 0
    info = load_workbook(path)["Thông tin"]
    assert (info["B4"].value, info["B5"].value) == ("phường", "Hòa Bình")
    assert run(["new", "-o", str(tmp_path / "x.xlsx"), "--name", "A", "--period", "2026-13"]) == 2
    assert "Tháng «2026-13» không hợp lệ" in capsys.readouterr().err
    assert run(args) == 2  # exists: never overwritten without --force
    assert "--force" in capsys.readouterr().err


def _break(path: Path) -> Path:
    """Slips staff really make, in the filled sample workbook."""
    workbook = load_workbook(path)
    grid = workbook["Phụ lục"]
    rows = {grid.cell(r, 2).value: r for r in range(8, 60)}
    grid[f"C{rows['Hộ tịch']}"] = 344  # typed over the (3) formula
    grid[f"D{rows['Chứng thực']}"] = "675 hs"  # text in a number cell
    grid[f"K{rows['Giáo dục']}"] = -1  # negative count
    grid[f"N{rows['Bảo trợ xã hội']}"] = 2  # pending: (3) ≠ (7)+(13)
    spare = next(r for r in range(8, 60) if grid.cell(r, 2).value is None)
    grid[f"B{spare}"] = "Thú y"
    grid[f"D{spare}"] = 3
    grid[f"H{spare}"] = 3
    broken = path.with_name("bi-loi.xlsx")
    workbook.save(broken)
    return broken


def test_findings_name_sheet_and_cell(filled: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _break(filled)
    assert run(["check", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()

    def line_for(cell: str) -> str:
        matches = [line for line in out if f"trang «Phụ lục», ô {cell}" in line]
        assert matches, (cell, out)
        return " ".join(matches)

    # Rows in the filled workbook keep the data file's order among the catalogue's fields
    # (catalogue.grid_order): Hộ tịch 8, Chứng thực 9, then the catalogue's Nuôi con nuôi,
    # Hòa giải cơ sở, Trợ giúp pháp lý, Bồi thường nhà nước (10–13), Người có công 14,
    # Bảo trợ xã hội 15, Giáo dục 16, Đất đai 17; the first spare row after the catalogue.
    assert "Ô này vốn là công thức (3)=(4)+(5)+(6) nhưng đã bị ghi đè bằng «344»" in line_for("C8")
    assert "Cột (3) ghi 344 nhưng (4)+(5)+(6) = 343." in line_for("C8")
    assert "«675 hs» không phải là số" in line_for("D9")
    assert "Số hồ sơ không được âm (đang là -1)." in line_for("K16")
    assert "Tổng tiếp nhận (3) = 30 khác đã giải quyết (7) = 30 cộng đang giải quyết (13) = 2" in (
        line_for("C15")
    )
    assert "Lĩnh vực «Thú y» không có trong danh mục" in " ".join(out)
    assert any("Thú y" in line and "ô B" in line for line in out)


def test_report_writes_an_output_workbook_with_values(
    filled: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = filled.read_bytes()
    out = tmp_path / "ket-qua"
    assert run(["report", str(filled), "-o", str(out)]) == 0
    assert filled.read_bytes() == before  # the user's file is never written
    capsys.readouterr()
    output = load_workbook(out / "BaoCaoTTHC_xaBinhGiang_2026-03.xlsx")
    summary = output["Tổng hợp"]
    rows = {(summary.cell(r, 1).value, summary.cell(r, 3).value): r for r in range(5, 37)}
    # Figures checked by hand from the seed's appendix (see test_seed_report).
    r = rows[("1.1", "Toàn xã")]
    assert [summary.cell(r, c).value for c in (4, 5, 6, 7, 8)] == [1132, 1132, 1.0, "≥ 60%", "Đạt"]
    r = rows[("1.4", "Văn phòng HĐND-UBND")]
    assert [summary.cell(r, c).value for c in (4, 5, 8)] == [1014, 1014, "Đạt"]
    r = rows[("2.1", "Phòng Kinh tế")]
    assert [summary.cell(r, c).value for c in (4, 5, 7, 8)] == [74, 74, None, None]  # no target
    r = rows[("1.2", "Phòng Kinh tế")]
    assert summary.cell(r, 6).value == "chưa có số liệu"  # 1.2 was given unit-wide only
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=TTHC")
        for row in summary.iter_rows()
        for c in row
    )
    sheet = output["Báo cáo"]
    cells = [
        (sheet.cell(i, 1).value or "", sheet.cell(i, 2).value or "")
        for i in range(1, sheet.max_row + 1)
    ]
    result = run_pipeline(read_workbook(filled))
    assert result.ready is not None
    expected = [(left, right) for _style, left, right in narrative_rows(result.ready.narrative)]
    assert cells[: len(expected)] == expected
    assert set(cells[len(expected) :]) <= {("", "")}  # nothing after the signature
    texts = [left for left, _right in cells]
    assert cells[0] == ("UBND XÃ BÌNH GIANG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert cells[2][1] == "Bình Giang, ngày 01 tháng 4 năm 2026"
    indent = "\u00a0" * 8  # a cell has no first-line indent: no-break spaces stand for it
    bullet = next(i for i, t in enumerate(texts, 1) if t.startswith(f"{indent}- Văn phòng"))
    assert sheet.cell(bullet, 1).data_type == "s"  # "- …" stays text, not a formula
    assert next(t for t in texts if "Thực hiện nhiệm vụ" in t).startswith(indent)
    # Room to sign: four empty lines between «PHÓ GIÁM ĐỐC» and the signer's name.
    right = [r for _left, r in cells]
    title = right.index("PHÓ GIÁM ĐỐC")
    assert right[title + 1 : title + 6] == ["", "", "", "", "Nguyễn Xuân Thành"]


def test_report_never_writes_over_its_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    source = tmp_path / "BaoCaoTTHC_xaBinhGiang_2026-03.xlsx"
    build_workbook(loaded.report).save(source)
    before = source.read_bytes()
    assert run(["report", str(source), "--force"]) == 2
    assert "trùng với tệp số liệu đầu vào" in capsys.readouterr().err
    assert source.read_bytes() == before


def _cell(workbook: Any, name: str) -> str:
    return workbook.defined_names[name].attr_text.split("!")[1].replace("$", "")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda wb: wb.remove(wb["Danh mục"]), "TTHC_CATALOGUE trỏ tới trang «Danh mục» không còn"),
        (
            lambda wb: wb["Thông tin"].__setitem__(_cell(wb, "TTHC_CONVENTION"), "Theo ý tôi"),
            "trang «Thông tin», ô B20: Giá trị «Theo ý tôi» không hợp lệ",
        ),
    ],
)
def test_damaged_workbooks_are_explained(
    filled: Path, mutate: Any, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = load_workbook(filled)
    mutate(workbook)
    workbook.save(filled)
    code = run(["check", str(filled)])
    assert code in (1, 2)
    assert message in capsys.readouterr().out


def test_a_foreign_workbook_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import Workbook

    path = tmp_path / "khac.xlsx"
    Workbook().save(path)
    assert run(["check", str(path)]) == 2
    assert "không có các tên định danh của mẫu báo cáo TTHC" in capsys.readouterr().out


def test_every_defined_name_is_documented_and_present() -> None:
    from tthc.workbook.layout import NAMES

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    workbook = load_workbook(ROOT / "templates" / "BaoCaoTTHC.xlsx")
    assert set(workbook.defined_names) == set(NAMES)
    for name in NAMES:
        assert f"| `{name}` | `{workbook.defined_names[name].attr_text}` |" in readme, name


def test_a_new_month_s_blank_cells_give_one_warning_a_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two figures typed into Hộ tịch, the other nine inputs left blank: one warning naming
    the nine cells, not nine; a missing 1.2–1.6 input is pointed at its empty cell on the
    unit row of Chỉ tiêu (row 9), not at the row's label in A9."""
    path = tmp_path / "thang-4.xlsx"
    assert run(["new", "-o", str(path), "--name", "Tân An", "--period", "2026-04"]) == 0
    workbook = load_workbook(path)
    grid = workbook["Phụ lục"]
    row = _row_named(grid, "Hộ tịch")
    grid[f"D{row}"] = 5
    grid[f"H{row}"] = 5
    workbook.save(path)
    capsys.readouterr()
    assert run(["check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    blank = [line for line in out if "để trống" in line]
    assert blank == [
        f"Cảnh báo — trang «Phụ lục», ô E{row} (lĩnh vực «Hộ tịch»): 9 ô để trống (cột (5), "
        f"(6), (9), (10), (11), (12), (14), (15), (16): ô E{row}, F{row}, I{row}, J{row}, "
        f"K{row}, L{row}, N{row}, O{row}, P{row}), được tính là 0."
    ]
    missing = [line for line in out if "Chưa có số liệu" in line]
    # Chỉ tiêu's unit row: B with_fee, C paid_online, E updated, G digitised, I reused, K handled.
    assert [line.split(":")[0] for line in missing] == [
        f"Cảnh báo — trang «Chỉ tiêu», ô {cell}" for cell in ("C9", "E9", "G9", "I9", "K9")
    ]
