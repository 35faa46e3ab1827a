"""Importing the appendix grid from foreign workbooks (16-column seed form, 13-column Biểu 06).

Every workbook here is written by the test with openpyxl in a layout that is
NOT our template: title rows above, merged two-level headers, offsets, blank
rows and columns, with and without STT or a column-number row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from tthc.core.findings import Finding, Severity, has_errors
from tthc.core.grid import Counts
from tthc.core.model import ReportInput, UnitKind
from tthc.core.new_month import month_period
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult
from tthc.imports import form_tables as form_import
from tthc.imports.form_tables import import_grid, import_report
from tthc.workbook.template import build_workbook

# --- the seed's appendix, typed by hand from seeds/000_f267351bf8412226.txt --------------

# columns (3)…(16) exactly as the seed prints them, its derived totals included
SEED_ROWS: list[tuple[str, list[object]]] = [
    ("Hộ tịch", [343, 343, 0, 0, 343, 340, 0, 0, 3, 0, 0, 0, 0, 0]),
    ("Chứng thực", [675, 675, 0, 0, 675, 674, 0, 0, 0, 1, 0, 0, 0, 0]),
    ("Người có công", [8, 7, 0, 1, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("Bảo trợ xã hội", [30, 30, 0, 0, 30, 30, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("Giáo dục", [1, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
    ("Đất đai", [10, 9, 0, 1, 9, 7, 0, 0, 1, 1, 1, 1, 0, 0]),
    ("Hộ kinh doanh", [65, 65, 0, 0, 65, 65, 0, 0, 0, 0, 0, 0, 0, 0]),
]
# the seed's total row, with its thousands typed as text the way the seed shows them
SEED_TOTAL: list[object] = ["1.132", "1.130", 0, 2, "1.131", "1.124", 0, 0, 5, 2, 1, 1, 0, 0]

# what the import must give: the eleven typed-in columns of each field
SEED_EXPECTED: list[tuple[str, Counts]] = [
    ("Hộ tịch", Counts(online=343, early=340, refused=3)),
    ("Chứng thực", Counts(online=675, early=674, withdrawn=1)),
    ("Người có công", Counts(online=7, carried_over=1, early=8)),
    ("Bảo trợ xã hội", Counts(online=30, early=30)),
    ("Giáo dục", Counts(online=1, refused=1)),
    (
        "Đất đai",
        Counts(online=9, carried_over=1, early=7, refused=1, withdrawn=1, pending_in_time=1),
    ),
    ("Hộ kinh doanh", Counts(online=65, early=65)),
]

SEED_NUMBERS = [
    "(1)",
    "(2)",
    "(3)=(4)+(5)+(6)",
    "(4)",
    "(5)",
    "(6)",
    "(7)=(8)+(9)+(10)+(11)+(12)",
    "(8)",
    "(9)",
    "(10)",
    "(11)",
    "(12)",
    "(13)=(14)+(15)+(16)",
    "(14)",
    "(15)",
    "(16)",
]
NUMBER_STYLES = {
    "seed": SEED_NUMBERS,
    "spaced": [s.replace("=", " = ").replace("+", " + ") for s in SEED_NUMBERS],
    "plain": [f"({n})" for n in range(1, 17)],
    "bare": list(range(1, 17)),
}


def _put(
    ws: Worksheet, row: int, column: int, value: object, merge_to: tuple[int, int] | None = None
) -> None:
    ws.cell(row=row, column=column, value=value)
    if merge_to:
        ws.merge_cells(
            start_row=row, start_column=column, end_row=merge_to[0], end_column=merge_to[1]
        )


def _titles(ws: Worksheet, left: int) -> None:
    """Two title rows above the grid, as the seed's appendix has."""
    _put(ws, 2, left, "PHỤ LỤC", (2, left + 15))
    _put(
        ws,
        3,
        left,
        "Tình hình, kết quả giải quyết thủ tục hành chính tháng 03 năm 2026 của xã Bình Giang",
        (3, left + 15),
    )
    _put(ws, 4, left, "(Kèm theo Báo cáo số: /BC-TTPVHCC ngày 01/4/2026)", (4, left + 15))


def write_seed_grid(
    ws: Worksheet,
    top: int = 6,
    left: int = 2,
    *,
    numbers: list[object] | None = SEED_NUMBERS,
    rows: list[tuple[str, list[object]]] = SEED_ROWS,
    total: list[object] | None = SEED_TOTAL,
    total_label: str = "Tổng cộng",
) -> int:
    """The seed's 16-column grid with its misspelt header; returns the total row's number."""
    _titles(ws, left)
    c = left  # STT, then (2) at c+1, (3) at c+2 … (16) at c+15
    h1, h2, h3 = top, top + 1, top + 2
    _put(ws, h1, c, "STT", (h3, c))
    _put(ws, h1, c + 1, "Lĩnh vực giải quyết", (h3, c + 1))
    _put(ws, h1, c + 2, "Số lượng hồ sơ tiếp nhận", (h1, c + 5))
    _put(ws, h2, c + 2, "Tổng số", (h3, c + 2))
    _put(ws, h2, c + 3, "Trong kỳ", (h2, c + 4))
    _put(ws, h3, c + 3, "Thực tuyến")
    _put(ws, h3, c + 4, "Thực tiếp, dịch vụ bưu chính")
    _put(ws, h2, c + 5, "Từ kỳ trước", (h3, c + 5))
    _put(ws, h1, c + 6, "Số lượng hồ sơ đã giải quyết", (h1, c + 11))
    leaves = ["Tổng số", "Trước hạn", "Đúng hạn", "Quá hạn", "Từ chối, không giải quyết"]
    for offset, text in enumerate([*leaves, "Hồ sơ rút"]):
        _put(ws, h2, c + 6 + offset, text, (h3, c + 6 + offset))
    _put(ws, h1, c + 12, "Số lượng hồ sơ đang giải quyết", (h1, c + 15))
    for offset, text in enumerate(["Tổng số", "Trong hạn", "Quá hạn", "Yêu cầu bổ sung"]):
        _put(ws, h2, c + 12 + offset, text, (h3, c + 12 + offset))
    row = h3 + 1
    if numbers is not None:
        for offset, label in enumerate(numbers):
            ws.cell(row=row, column=c + offset, value=label)
        row += 1
    for index, (name, values) in enumerate(rows, start=1):
        ws.cell(row=row, column=c, value=index)
        ws.cell(row=row, column=c + 1, value=name)
        for offset, value in enumerate(values):
            ws.cell(row=row, column=c + 2 + offset, value=value)
        row += 1
    if total is not None:
        _put(ws, row, c, total_label, (row, c + 1))
        for offset, value in enumerate(total):
            ws.cell(row=row, column=c + 2 + offset, value=value)
    return row


def seed_workbook(path: Path, **options: object) -> Path:
    """The seed grid on the SECOND sheet, starting at B6, below the report's text."""
    book = Workbook()
    first = book.active
    first.title = "Báo cáo"
    first["A1"] = "BÁO CÁO Kết quả giải quyết thủ tục hành chính tháng 3 năm 2026"
    first["A3"] = "Tiếp nhận 1.132 hồ sơ, giải quyết 1.131 hồ sơ."
    write_seed_grid(book.create_sheet("PL 03-2026"), **options)  # type: ignore[arg-type]
    book.save(path)
    return path


def as_pairs(rows: tuple) -> list[tuple[str, Counts]]:
    return [(row.field, row.counts) for row in rows]


def errors(findings: tuple[Finding, ...]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


# --- (a) the seed's 16-column grid -------------------------------------------------------


def test_seed_grid_in_a_foreign_layout_imports_every_number(tmp_path: Path) -> None:
    result = import_grid(seed_workbook(tmp_path / "phu-luc.xlsx"))
    assert result.layout == "16"
    assert result.sheet == "PL 03-2026"
    assert as_pairs(result.rows) == SEED_EXPECTED
    assert result.findings == ()
    assert all(row.stated == {} for row in result.rows)


def test_seed_grid_matches_the_bundled_sample(tmp_path: Path, seed_report: ReportInput) -> None:
    result = import_grid(seed_workbook(tmp_path / "phu-luc.xlsx"))
    assert as_pairs(result.rows) == as_pairs(seed_report.rows)


@pytest.mark.parametrize("style", sorted(NUMBER_STYLES))
def test_number_row_styles(tmp_path: Path, style: str) -> None:
    path = seed_workbook(tmp_path / f"{style}.xlsx", numbers=NUMBER_STYLES[style])
    result = import_grid(path)
    assert (result.layout, result.findings) == ("16", ())
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_header_texts_alone_find_the_grid(tmp_path: Path) -> None:
    """No column-number row: the misspelt 'Thực tuyến' headers are recognised."""
    result = import_grid(seed_workbook(tmp_path / "no-numbers.xlsx", numbers=None))
    assert (result.layout, result.sheet, result.findings) == ("16", "PL 03-2026", ())
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_openpyxl_engine_reads_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(form_import, "_read_sheets", form_import._read_openpyxl)
    result = import_grid(seed_workbook(tmp_path / "phu-luc.xlsx"))
    assert (result.layout, result.findings) == ("16", ())
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_import_report_gives_the_seed_totals(tmp_path: Path) -> None:
    path = seed_workbook(tmp_path / "phu-luc.xlsx")
    report, findings = import_report(path, UnitKind.XA, "Bình Giang", month_period(2026, 3))
    assert report is not None and findings == ()
    assert report.unit.full_name == "xã Bình Giang"
    result = run_pipeline(LoadResult(report, ()))
    assert not has_errors(result.findings), [f.describe() for f in result.findings]
    assert result.report is not None
    total = result.report.total
    assert total.received == 1132
    assert total.received_in_period == 1130
    assert total.carried_over == 2
    assert total.resolved == 1131
    assert total.early == 1124
    assert (total.refused, total.withdrawn, total.pending, total.late) == (5, 2, 1, 0)
    assert result.ready is not None
    on_time = result.ready.indicators.unit["2.1"]
    assert (on_time.numerator, on_time.denominator) == (1131, 1131)
    online = result.ready.indicators.unit["1.1"]
    assert (online.numerator, online.denominator) == (1132, 1132)


# --- (b) the national 13-column Biểu 06 ---------------------------------------------------

# made-up figures: field, (3)…(13) as the 13-column form prints them
BIEU06_ROWS: list[tuple[str, list[object]]] = [
    ("Hộ tịch", [155, 120, 30, 5, 142, 100, 40, 2, 13, 10, 3]),
    ("Chứng thực", [450, 400, 50, 0, 450, 440, 10, 0, 0, 0, 0]),
    ("Đất đai", [26, 12, 8, 6, 16, 10, 5, 1, 10, 7, 3]),
]
BIEU06_TOTAL: list[object] = [631, 532, 88, 11, 608, 550, 55, 3, 23, 17, 6]
BIEU06_EXPECTED: list[tuple[str, Counts]] = [
    (
        "Hộ tịch",
        Counts(
            online=120,
            direct=30,
            carried_over=5,
            early=100,
            on_time=40,
            late=2,
            pending_in_time=10,
            pending_overdue=3,
        ),
    ),
    ("Chứng thực", Counts(online=400, direct=50, early=440, on_time=10)),
    (
        "Đất đai",
        Counts(
            online=12,
            direct=8,
            carried_over=6,
            early=10,
            on_time=5,
            late=1,
            pending_in_time=7,
            pending_overdue=3,
        ),
    ),
]


def write_bieu06(
    ws: Worksheet,
    top: int = 4,
    *,
    stt: bool = True,
    numbered: bool = True,
    total_label: str = "TỔNG CỘNG",
) -> None:
    """Biểu 06: title row, merged 3-level header, a blank spacer column after (6), a blank row."""
    ws.cell(row=1, column=1, value="Biểu số 06")
    ws.cell(row=2, column=1, value="TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CẤP XÃ")
    # sheet columns of form columns (1)…(13); column H is a blank spacer
    place = {n: n for n in range(1, 7)} | {n: n + 1 for n in range(7, 14)}
    if not stt:
        place = {n: c - 1 for n, c in place.items() if n != 1}
    h1, h2, h3 = top, top + 1, top + 2
    if stt:
        _put(ws, h1, place[1], "STT", (h3, place[1]))
    _put(ws, h1, place[2], "Lĩnh vực, công việc giải quyết theo cấp", (h3, place[2]))
    _put(ws, h1, place[3], "Số hồ sơ nhận giải quyết", (h1, place[6]))
    _put(ws, h2, place[3], "Tổng số", (h3, place[3]))
    _put(ws, h2, place[4], "Trong kỳ", (h2, place[5]))
    _put(ws, h3, place[4], "Trực tuyến")
    _put(ws, h3, place[5], "Trực tiếp, dịch vụ bưu chính")
    _put(ws, h2, place[6], "Từ kỳ trước", (h3, place[6]))
    _put(ws, h1, place[7], "Kết quả giải quyết", (h1, place[13]))
    _put(ws, h2, place[7], "Số hồ sơ đã giải quyết", (h2, place[10]))
    _put(ws, h2, place[11], "Số hồ sơ đang giải quyết", (h2, place[13]))
    leaves = {7: "Tổng số", 8: "Trả trước hạn", 9: "Trả đúng hạn", 10: "Trả quá hạn"}
    leaves |= {11: "Tổng số", 12: "Chưa đến hạn", 13: "Quá hạn"}
    for number, text in leaves.items():
        _put(ws, h3, place[number], text)
    row = h3 + 1
    if numbered:
        shift = 0 if stt else 1  # without STT the form numbers 'Lĩnh vực' as (1)
        labels = {1: "(1)", 2: "(2)", 3: "(3) = (4)+(5)+(6)", 7: "(7) = (8)+(9)+(10)"}
        labels |= {11: "(11) = (12)+(13)"}
        for number, column in place.items():
            text = re.sub(
                r"\((\d+)\)",
                lambda m: f"({int(m.group(1)) - shift})",
                labels.get(number, f"({number})"),
            )
            ws.cell(row=row, column=column, value=text)
        row += 1
    for index, (name, values) in enumerate(BIEU06_ROWS, start=1):
        if index == 3:
            row += 1  # a blank row inside the grid
        if stt:
            ws.cell(row=row, column=place[1], value=index)
        ws.cell(row=row, column=place[2], value=name)
        for number, value in zip(range(3, 14), values, strict=True):
            ws.cell(row=row, column=place[number], value=value)
        row += 1
    ws.cell(row=row, column=min(place.values()), value=total_label)
    for number, value in zip(range(3, 14), BIEU06_TOTAL, strict=True):
        ws.cell(row=row, column=place[number], value=value)
    ws.cell(row=row + 2, column=place[2], value="Người lập biểu")


def bieu06_workbook(path: Path, **options: object) -> Path:
    book = Workbook()
    write_bieu06(book.active, **options)  # type: ignore[arg-type]
    book.active.title = "Bieu06"
    book.save(path)
    return path


def test_bieu06_13_columns_map_onto_ours(tmp_path: Path) -> None:
    result = import_grid(bieu06_workbook(tmp_path / "bieu06.xlsx"))
    assert (result.layout, result.sheet) == ("13", "Bieu06")
    assert as_pairs(result.rows) == BIEU06_EXPECTED
    assert [f.code for f in result.findings] == ["import.layout13"]
    (warning,) = result.findings
    assert warning.severity is Severity.WARNING
    assert warning.message.startswith(
        "Biểu 13 cột không tách hồ sơ từ chối, hồ sơ rút, hồ sơ chờ bổ sung: "
    )
    assert warning.location.sheet == "Bieu06"


@pytest.mark.parametrize(
    ("options", "label"),
    [
        ({"stt": False}, "no STT, numbered from (1)"),
        ({"numbered": False}, "header texts only"),
        ({"numbered": False, "stt": False}, "header texts only, no STT"),
        ({"total_label": "Cộng"}, "'Cộng' total row"),
    ],
)
def test_bieu06_variants(tmp_path: Path, options: dict, label: str) -> None:
    result = import_grid(bieu06_workbook(tmp_path / "bieu06.xlsx", **options))
    assert result.layout == "13", label
    assert as_pairs(result.rows) == BIEU06_EXPECTED, label
    assert [f.code for f in result.findings] == ["import.layout13"], label


def test_bieu06_import_report_runs_clean(tmp_path: Path) -> None:
    path = bieu06_workbook(tmp_path / "bieu06.xlsx")
    report, findings = import_report(path, "phường", "Bình Giang", month_period(2026, 3))
    assert report is not None and not has_errors(findings)
    assert report.total.received == 631 and report.total.pending == 23
    result = run_pipeline(LoadResult(report, ()))
    assert not has_errors(result.findings), [f.describe() for f in result.findings]


# --- (c) the form's own totals disagree with its columns ---------------------------------


def test_stated_totals_that_differ_are_warned_with_their_cell(tmp_path: Path) -> None:
    rows = [(name, list(values)) for name, values in SEED_ROWS]
    rows[0][1][0] = 344  # Hộ tịch (3): the form says 344, (4)+(5)+(6) = 343
    total = list(SEED_TOTAL)
    total[1] = "1.131"  # Tổng cộng (4): the form says 1.131, the fields sum to 1.130
    path = seed_workbook(tmp_path / "sai-tong.xlsx", rows=rows, total=total)
    result = import_grid(path)
    assert as_pairs(result.rows) == SEED_EXPECTED  # typed-in columns win
    found = {(f.code, f.location.sheet, f.location.cell) for f in result.findings}
    assert found == {
        ("import.stated_mismatch", "PL 03-2026", "D10"),
        ("import.total_mismatch", "PL 03-2026", "E17"),
    }
    assert all(f.severity is Severity.WARNING for f in result.findings)
    by_code = {f.code: f for f in result.findings}
    assert "344" in by_code["import.stated_mismatch"].message
    assert "(4)+(5)+(6) = 343" in by_code["import.stated_mismatch"].message
    assert "1.131" in by_code["import.total_mismatch"].message
    assert "1.130" in by_code["import.total_mismatch"].message
    assert "ô D10" in by_code["import.stated_mismatch"].describe()


def test_bieu06_total_row_mismatch_names_the_cell(tmp_path: Path) -> None:
    path = bieu06_workbook(tmp_path / "bieu06.xlsx")
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    # the total row is the row holding "TỔNG CỘNG"; its (11) pending total is in column L
    total_row = next(r for r in range(1, 30) if sheet.cell(r, 1).value == "TỔNG CỘNG")
    sheet.cell(total_row, 12).value = 24  # (11) = 24, the fields sum to 23
    book.save(path)
    result = import_grid(path)
    mismatches = [f for f in result.findings if f.code == "import.total_mismatch"]
    assert [(f.location.cell, f.location.column) for f in mismatches] == [(f"L{total_row}", None)]
    assert "(11) của biểu 13 cột" in mismatches[0].message


def test_missing_total_row_is_a_warning(tmp_path: Path) -> None:
    result = import_grid(seed_workbook(tmp_path / "khong-tong.xlsx", total=None))
    assert as_pairs(result.rows) == SEED_EXPECTED
    assert [f.code for f in result.findings] == ["import.no_total"]


# --- (d) nothing to import -----------------------------------------------------------------


def test_workbook_without_a_grid_is_an_error(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Danh sách cán bộ"
    for row in range(2, 15):
        sheet.cell(row, 1, row - 1)
        sheet.cell(row, 2, f"Cán bộ {row}")
        sheet.cell(row, 3, 1000 + row)
    path = tmp_path / "khac.xlsx"
    book.save(path)
    result = import_grid(path)
    assert (result.rows, result.layout) == ((), "")
    assert [(f.severity, f.code) for f in result.findings] == [(Severity.ERROR, "import.no_grid")]
    report, findings = import_report(path, UnitKind.XA, "Bình Giang", month_period(2026, 3))
    assert report is None and has_errors(findings)


@pytest.mark.parametrize("content", [b"STT;Linh vuc;Tong so\n", b"PK\x03\x04 broken zip"])
def test_a_file_that_is_no_workbook_is_an_error_not_an_exception(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(content)
    result = import_grid(path)
    assert result.rows == ()
    assert [(f.severity, f.code) for f in result.findings] == [
        (Severity.ERROR, "import.unreadable")
    ]


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = import_grid(tmp_path / "khong-co.xlsx")
    assert [f.code for f in result.findings] == ["import.unreadable"]


# --- (e) cells people typed ---------------------------------------------------------------


def test_text_numbers_are_read_and_junk_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    rows: list[tuple[str, list[object]]] = [
        ("Chứng thực", ["1.132", "1.132", 0, 0, "1.132", "1.132", 0, 0, 0, 0, 0, 0, 0, 0]),
        ("Đất đai", [10, 5, "5 hs", 0, 10, 10, 0, 0, 0, 0, 0, 0, 0, 0]),
    ]
    path = seed_workbook(tmp_path / "go-tay.xlsx", rows=rows, total=None)
    result = import_grid(path)
    assert as_pairs(result.rows)[0] == ("Chứng thực", Counts(online=1132, early=1132))
    text_notes = [f for f in result.findings if f.code == "count.text"]
    assert [(f.location.cell, f.severity) for f in text_notes] == [
        ("E10", Severity.WARNING),
        ("I10", Severity.WARNING),
    ]
    junk = errors(result.findings)
    assert [(f.code, f.location.sheet, f.location.cell) for f in junk] == [
        ("count.not_number", "PL 03-2026", "F11")
    ]
    assert junk[0].location.field == "Đất đai" and junk[0].location.column == 5
    assert "5 hs" in junk[0].message
    report, findings = import_report(path, UnitKind.XA, "Bình Giang", month_period(2026, 3))
    assert report is None and junk[0] in findings


def test_blank_rows_and_label_only_rows(tmp_path: Path) -> None:
    """Blank rows and rows that name a field or group but hold no figure are skipped."""
    rows: list[tuple[str, list[object]]] = [
        ("Văn phòng HĐND-UBND", [None] * 14),
        *SEED_ROWS[:2],
    ]
    path = tmp_path / "nhom.xlsx"
    book = Workbook()
    write_seed_grid(book.active, rows=rows, total=None)
    book.active.insert_rows(12)  # a blank row between Hộ tịch and Chứng thực
    book.save(path)
    result = import_grid(path)
    assert as_pairs(result.rows) == SEED_EXPECTED[:2]
    assert [(f.code, f.location.cell) for f in result.findings] == [("import.no_total", "B9")]


def test_a_row_with_numbers_but_no_field_is_an_error(tmp_path: Path) -> None:
    rows = [*SEED_ROWS[:1], ("", list(SEED_ROWS[1][1]))]
    result = import_grid(seed_workbook(tmp_path / "thieu-ten.xlsx", rows=rows, total=None))
    assert [(f.code, f.location.cell) for f in errors(result.findings)] == [
        ("import.row_unnamed", "C11")
    ]


def test_a_second_grid_is_named_and_not_imported(tmp_path: Path) -> None:
    book = Workbook()
    write_seed_grid(book.active)
    book.active.title = "Tháng 3"
    write_bieu06(book.create_sheet("Bieu06"))
    path = tmp_path / "hai-bang.xlsx"
    book.save(path)
    result = import_grid(path)
    assert (result.layout, result.sheet) == ("16", "Tháng 3")
    assert as_pairs(result.rows) == SEED_EXPECTED
    assert [(f.code, f.location.sheet, f.location.cell) for f in result.findings] == [
        ("import.other_grid", "Bieu06", "A7")
    ]


def test_a_column_beyond_the_form_is_ignored_with_a_warning(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    write_seed_grid(sheet)
    sheet["R8"] = "Ghi chú"
    sheet["R9"] = "(17)"
    sheet["R10"] = "chuyển phòng"
    path = tmp_path / "ghi-chu.xlsx"
    book.save(path)
    result = import_grid(path)
    assert as_pairs(result.rows) == SEED_EXPECTED
    assert [(f.code, f.location.cell) for f in result.findings] == [("import.column_ignored", "R9")]


def test_our_own_workbook_is_a_form_too(tmp_path: Path, seed_report: ReportInput) -> None:
    """The data-entry workbook (formulas without cached values, every catalogue field listed)."""
    path = tmp_path / "BaoCaoTTHC.xlsx"
    build_workbook(seed_report).save(path)
    result = import_grid(path)
    assert (result.layout, result.findings) == ("16", ())
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_a_number_row_with_a_stray_note_falls_back_to_the_headers(tmp_path: Path) -> None:
    book = Workbook()
    write_seed_grid(book.active)
    book.active["T9"] = "ghi chú"  # the row no longer reads as a column-number row
    path = tmp_path / "ghi-chu.xlsx"
    book.save(path)
    result = import_grid(path)
    assert result.layout == "16"
    assert [(f.code, f.location.cell) for f in result.findings] == [("import.column_ignored", "T9")]
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_without_a_field_header_the_name_column_is_found_from_the_rows(tmp_path: Path) -> None:
    book = Workbook()
    write_seed_grid(book.active)
    book.active["C6"] = "Nội dung"
    path = tmp_path / "noi-dung.xlsx"
    book.save(path)
    result = import_grid(path)
    assert (result.layout, result.findings) == ("16", ())
    assert as_pairs(result.rows) == SEED_EXPECTED


def test_two_grids_on_one_sheet_without_totals_stay_apart(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    write_seed_grid(sheet, total=None)
    write_seed_grid(sheet, top=20, total=None)  # last month's grid further down
    path = tmp_path / "hai-thang.xlsx"
    book.save(path)
    result = import_grid(path)
    assert as_pairs(result.rows) == SEED_EXPECTED
    assert [(f.code, f.location.cell) for f in result.findings] == [
        ("import.no_total", "B9"),
        ("import.other_grid", "B23"),
    ]
