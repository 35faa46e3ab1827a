"""Clerk edits made inside LibreOffice itself, read by both readers and by the CLI.

Defects of this kind come from what LibreOffice writes, not from what openpyxl
writes: after a deleted row it adds an empty `<row r="1048576">` (which the row
guard once counted, refusing the file), it shrinks or keeps names its own way, and
it saves the results of every formula. So the sample's workbook is edited here
through LibreOffice's UNO API (`lo_edit.py`, one headless LibreOffice for the whole
module) — a row deleted, TTHC_GRID narrowed in «Manage Names», counts typed below
Tổng cộng — and each file must give the same verdict in `tthc check`'s reader and
in `consolidate`'s fast reader, with the figures the sheet itself shows.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from helpers import run_lo_jobs, sample_data, uno_python
from tthc.cli.commands import run
from tthc.core.catalogue import grid_order
from tthc.core.findings import Severity
from tthc.core.report_data import LoadResult, load_report
from tthc.infra.libreoffice import find_soffice
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

SOFFICE, UNO_PYTHON = find_soffice(), uno_python()
pytestmark = pytest.mark.skipif(
    SOFFICE is None or UNO_PYTHON is None,
    reason="LibreOffice hoặc python3-uno chưa được cài: bỏ qua các sửa đổi làm trong LibreOffice.",
)

GRID, INFO = "Phụ lục", "Thông tin"
SAMPLE = load_report(sample_data()).report
assert SAMPLE is not None
TOTAL = SAMPLE.total.value(3)  # 1.132 dossiers received, as the seed's appendix says
assert TOTAL == 1132
FIRST_ROW, TOTAL_ROW = 8, 50  # where the sample's grid starts and its Tổng cộng row sits
HO_TICH_ROW = FIRST_ROW  # the first field of the sample: 343 dossiers
HO_KINH_DOANH = next(r for r in SAMPLE.rows if r.field == "Hộ kinh doanh")
# The grid lists the sample's fields in its order among the catalogue's (grid_order).
GRID_ORDER = grid_order([r.field for r in SAMPLE.rows], SAMPLE.catalogue.field_names)
HO_KINH_DOANH_ROW = FIRST_ROW + GRID_ORDER.index(HO_KINH_DOANH.field)

# What each file is: the edits LibreOffice makes to the sample's workbook.
EDITS: dict[str, list[dict[str, object]]] = {
    "saved": [],
    "spare-row-deleted": [{"op": "delete_row", "sheet": GRID, "row": TOTAL_ROW - 1}],
    "field-row-deleted": [{"op": "delete_row", "sheet": GRID, "row": HO_TICH_ROW}],
    "grid-narrowed": [
        {
            "op": "set_name",
            "name": "TTHC_GRID",
            "content": f"$'{GRID}'.$B${FIRST_ROW}:$Q${HO_KINH_DOANH_ROW - 1}",
        }
    ],
    "typed-below-total": [
        {"op": "set_cell", "sheet": GRID, "cell": f"B{TOTAL_ROW + 3}", "value": "Đất đai"},
        {"op": "set_cell", "sheet": GRID, "cell": f"D{TOTAL_ROW + 3}", "value": 12},
    ],
    "typed-right-of-grid": [
        {"op": "set_cell", "sheet": GRID, "cell": f"T{HO_TICH_ROW}", "value": 5},
    ],
    "note-on-info": [
        {"op": "set_cell", "sheet": INFO, "cell": "D5", "value": "hỏi lại chị Lan"},
    ],
}


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every file of EDITS, made by one LibreOffice run."""
    folder = tmp_path_factory.mktemp("libreoffice-edits")
    source = folder / "mau.xlsx"
    build_workbook(SAMPLE).save(source)
    targets = {case: folder / f"{case}.xlsx" for case in EDITS}
    jobs = [
        {"source": str(source), "target": str(targets[case]), "ops": ops}
        for case, ops in EDITS.items()
    ]
    assert SOFFICE is not None and UNO_PYTHON is not None
    run_lo_jobs(SOFFICE, UNO_PYTHON, jobs)
    assert all(path.exists() for path in targets.values())
    return targets


def _both(path: Path) -> tuple[LoadResult, LoadResult]:
    return read_workbook(path), read_workbook_fast(path)


def _verdict(result: LoadResult) -> list[tuple[Severity, str, str | None, str | None]]:
    return [(f.severity, f.code, f.location.sheet, f.location.cell) for f in result.findings]


def _same_verdict(path: Path) -> LoadResult:
    """Both readers tell staff the same, word for word, and read the same report."""
    slow, fast = _both(path)
    assert [f.describe() for f in slow.findings] == [f.describe() for f in fast.findings]
    assert slow.report == fast.report
    return slow


def _sheet_xml(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("xl/worksheets/sheet2.xml")  # Phụ lục, the second sheet


def test_a_workbook_libreoffice_saved_reads_clean(made: dict[str, Path]) -> None:
    result = _same_verdict(made["saved"])
    assert result.findings == ()
    assert result.report is not None and result.report.total.value(3) == TOTAL


def test_a_deleted_spare_row_leaves_the_workbook_readable(made: dict[str, Path]) -> None:
    """LibreOffice's empty last row does not count as one of the sheet's rows."""
    path = made["spare-row-deleted"]
    assert b'<row r="1048576"' in _sheet_xml(path)  # the markup that tripped the guard
    result = _same_verdict(path)
    assert result.findings == (), [f.describe() for f in result.findings]
    assert result.report is not None and result.report.total.value(3) == TOTAL


def test_a_deleted_field_row_is_gone_from_sheet_and_report_alike(made: dict[str, Path]) -> None:
    """LibreOffice shrinks the names and the sheet's sums: the report follows the sheet."""
    result = _same_verdict(made["field-row-deleted"])
    assert result.findings == (), [f.describe() for f in result.findings]
    assert result.report is not None
    assert "Hộ tịch" not in [row.field for row in result.report.rows]
    assert result.report.total.value(3) == TOTAL - 343


def test_a_narrowed_grid_name_is_an_error_naming_the_rows_left_out(
    made: dict[str, Path],
) -> None:
    result = _same_verdict(made["grid-narrowed"])
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    left_out = [f for f in errors if f.code == "cell.outside_grid"]
    assert len(left_out) == 1
    assert (left_out[0].location.sheet, left_out[0].location.cell) == (
        GRID,
        f"B{HO_KINH_DOANH_ROW}",
    )
    assert "«Hộ kinh doanh»" in left_out[0].message
    total = [f for f in errors if f.code == "grid.total_disagrees"]
    assert [(f.location.sheet, f.location.cell) for f in total] == [(GRID, f"C{TOTAL_ROW}")]
    assert f"là {TOTAL // 1000}.{TOTAL % 1000:03d}" in total[0].message


def test_report_writes_nothing_for_a_narrowed_grid(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = made["grid-narrowed"].read_bytes()
    out = tmp_path / "ra"
    code = run(["report", str(made["grid-narrowed"]), "--out", str(out)])
    printed = capsys.readouterr()
    assert code != 0
    assert "TTHC_GRID" in printed.out + printed.err
    assert not out.exists() or list(out.iterdir()) == []
    assert made["grid-narrowed"].read_bytes() == before


def test_counts_typed_below_the_total_are_named(made: dict[str, Path]) -> None:
    result = _same_verdict(made["typed-below-total"])
    assert sorted(_verdict(result)) == [
        (Severity.WARNING, "cell.outside_inputs", GRID, f"B{TOTAL_ROW + 3}"),
        (Severity.ERROR, "cell.outside_inputs", GRID, f"D{TOTAL_ROW + 3}"),
    ]


def test_a_number_right_of_the_grid_is_named(made: dict[str, Path]) -> None:
    result = _same_verdict(made["typed-right-of-grid"])
    assert _verdict(result) == [(Severity.ERROR, "cell.outside_inputs", GRID, f"T{HO_TICH_ROW}")]


def test_a_note_beside_the_information_is_a_warning(made: dict[str, Path]) -> None:
    result = _same_verdict(made["note-on-info"])
    assert _verdict(result) == [(Severity.WARNING, "cell.outside_inputs", INFO, "D5")]
    assert result.report is not None  # a note stops nothing


def test_consolidate_skips_the_unit_check_refuses(
    made: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "don-vi"
    folder.mkdir()
    shutil.copy(made["grid-narrowed"], folder / "xa-hep.xlsx")
    shutil.copy(made["spare-row-deleted"], folder / "xa-xoa-dong.xlsx")
    code = run(["consolidate", str(folder), "-o", str(tmp_path / "tong-hop.xlsx")])
    printed = capsys.readouterr().out
    assert code == 1, printed  # written, but not every unit counted: staff must look
    assert "xa-hep.xlsx: Xã Bình Giang: số liệu còn" in printed
    assert "1 đã cộng, 1 không dùng được" in printed
    assert (tmp_path / "tong-hop.xlsx").exists()
