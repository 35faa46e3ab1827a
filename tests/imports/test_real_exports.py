"""Exports as the one-stop systems produce them, read without hand edits (issue 15).

The dossier lists come from `export_fixtures` (three public layouts, ~1.500
dossiers each, expected grid from how each dossier was drawn); the Biểu 06
table with two source sections is written here with figures checked by hand.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from export_fixtures import UNASSIGNED_FIELD, generate, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from strategies import examples
from tthc.app.workflows import dossier_month, written_errors
from tthc.cli.commands import run as main
from tthc.core.catalogue import UNASSIGNED_DEPARTMENT
from tthc.core.findings import Severity
from tthc.core.grid import Counts
from tthc.core.model import Period, UnitKind
from tthc.imports.dossier_list import read_dossiers
from tthc.imports.export_layout import title_facts
from tthc.imports.form_tables import import_report
from tthc.workbook.output import workbook_bytes
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
LAYOUTS = ("national", "opencps", "tandan")


@pytest.fixture(scope="module", params=LAYOUTS)
def exported(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    layout = request.param
    export = generate(layout)
    path = write(layout, tmp_path_factory.mktemp(layout), export)
    return layout, export, path


def test_every_dossier_lands_where_the_form_puts_it(exported) -> None:
    layout, export, path = exported
    month = dossier_month(path, MARCH, kind=UnitKind.XA, name="Bình Giang")
    rows = {row.field: row.counts for row in month.report.rows}
    assert rows == export.expected, layout
    counted = sum(counts.received for counts in rows.values())
    assert counted + len(month.classified.outside) == len(export.dossiers)  # all accounted for
    assert len(month.classified.outside) == export.left_out
    assert all(month.classified.outside_reasons)
    assert month.report.catalogue.department_of(UNASSIGNED_FIELD) == UNASSIGNED_DEPARTMENT
    assert month.report.catalogue.department_of("Hộ kinh doanh") == "Phòng Kinh tế"
    assert not [f for f in month.findings if f.severity is Severity.ERROR]
    codes = sorted({f.code for f in month.findings})
    assert codes == ["dossier.outside_period", "fields.unassigned"], (layout, codes)


def test_the_title_block_states_the_unit_and_the_period(exported) -> None:
    layout, _export, path = exported
    facts = title_facts(read_dossiers(path).title)
    assert (facts.kind, facts.name, facts.period) == (UnitKind.XA, "Bình Giang", MARCH), layout


def test_the_written_month_passes_check(exported, tmp_path: Path) -> None:
    layout, _export, path = exported
    target = tmp_path / "thang-3.xlsx"
    code = main(
        ["dossiers", str(path), "--period", "2026-03", "--name", "Bình Giang", "-o", str(target)]
    )
    assert code == 0, layout
    assert main(["check", str(target)]) == 0


def test_a_stated_total_that_differs_is_a_warning(tmp_path: Path) -> None:
    export = generate("tandan", count=40)
    path = write("tandan", tmp_path, export)
    text = path.read_text(encoding="utf-8-sig").replace("Tổng số: 40 hồ sơ", "Tổng số: 41 hồ sơ")
    path.write_text(text, encoding="utf-8-sig")
    found = [f for f in read_dossiers(path).findings if f.code == "dossiers.stated_total"]
    assert len(found) == 1 and found[0].severity is Severity.WARNING
    assert "ghi tổng số 41 hồ sơ nhưng bảng có 40 dòng hồ sơ" in found[0].message


# --- Biểu 06 with two source sections ----------------------------------------------------

# (STT, name, (3)…(13)); sections carry their subtotals, as the exports print them.
SECTIONS_TABLE: list[tuple[object, str, list[int]]] = [
    ("I", "Trên Hệ thống các Bộ, ngành", [21, 13, 7, 1, 16, 10, 5, 1, 5, 4, 1]),
    (1, "Hộ tịch", [16, 10, 5, 1, 13, 8, 4, 1, 3, 2, 1]),
    (2, "Thành lập và hoạt động của hộ kinh doanh", [5, 3, 2, 0, 3, 2, 1, 0, 2, 2, 0]),
    ("II", "Trên Hệ thống thông tin giải quyết TTHC tỉnh", [43, 24, 17, 2, 34, 21, 12, 1, 9, 7, 2]),
    (1, "Hộ tịch", [30, 20, 10, 0, 25, 15, 10, 0, 5, 4, 1]),
    (2, "Đất đai", [12, 4, 6, 2, 8, 5, 2, 1, 4, 3, 1]),
    (3, "Thi đua, khen thưởng", [1, 0, 1, 0, 1, 1, 0, 0, 0, 0, 0]),
]
SECTIONS_TOTAL = [64, 37, 24, 3, 50, 31, 17, 2, 14, 11, 3]
# By hand: Hộ tịch = 16+30 received; online 10+20, direct 5+10, carried 1+0, early 8+15,
# on time 4+10, late 1+0, pending in time 2+4, overdue 1+1.
SECTIONS_EXPECTED = {
    "Hộ tịch": Counts(
        online=30, direct=15, carried_over=1, early=23, on_time=14, late=1,
        pending_in_time=6, pending_overdue=2,
    ),
    "Hộ kinh doanh": Counts(online=3, direct=2, early=2, on_time=1, pending_in_time=2),
    "Đất đai": Counts(
        online=4, direct=6, carried_over=2, early=5, on_time=2, late=1,
        pending_in_time=3, pending_overdue=1,
    ),
    "Thi đua khen thưởng": Counts(direct=1, early=1),
}  # fmt: skip


def bieu06_with_sections(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bieu06"
    sheet.append(["UBND XÃ BÌNH GIANG"])
    sheet.append(["Biểu số 06: TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"])
    sheet.append(["Kỳ báo cáo: Tháng 3 năm 2026"])
    sheet.append(["STT", "Lĩnh vực, công việc giải quyết theo cấp", "Tổng số", "Trực tuyến",
                  "Trực tiếp, dịch vụ bưu chính", "Từ kỳ trước", "Tổng số", "Trả trước hạn",
                  "Trả đúng hạn", "Trả quá hạn", "Tổng số", "Chưa đến hạn", "Quá hạn"])  # fmt: skip
    sheet.append(["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)",
                  "(8)", "(9)", "(10)", "(11)=(12)+(13)", "(12)", "(13)"])  # fmt: skip
    for stt, name, figures in SECTIONS_TABLE:
        sheet.append([stt, name, *figures])
    sheet.append(["TỔNG CỘNG", None, *SECTIONS_TOTAL])
    sheet.append([None, "Người lập biểu"])
    book.save(path)
    return path


def test_a_field_listed_in_two_sections_is_summed(tmp_path: Path) -> None:
    report, findings = import_report(bieu06_with_sections(tmp_path / "b06.xlsx"), None, None, None)
    assert report is not None, [f.describe() for f in findings]
    assert {row.field: row.counts for row in report.rows} == SECTIONS_EXPECTED
    assert (report.unit.kind, report.unit.name, report.period) == (UnitKind.XA, "Bình Giang", MARCH)
    merged = [f for f in findings if f.code == "import.merged_rows"]
    assert [f.message for f in merged] == [
        "Lĩnh vực «Hộ tịch» có ở 2 phần của bảng («Trên Hệ thống các Bộ, ngành», «Trên Hệ "
        "thống thông tin giải quyết TTHC tỉnh»), ghi là «Hộ tịch»: đã cộng các dòng này thành "
        "một dòng của phụ lục."
    ]
    assert not [f for f in findings if f.code in {"import.total_mismatch", "fields.unassigned"}]
    assert written_errors(workbook_bytes(build_workbook(report)), "b06-nhap.xlsx") == ()


def test_import_without_name_and_period_writes_a_workbook_check_accepts(tmp_path: Path) -> None:
    source = bieu06_with_sections(tmp_path / "b06.xlsx")
    target = tmp_path / "nhap.xlsx"
    assert main(["import", str(source), "-o", str(target)]) == 0
    assert main(["check", str(target)]) == 0


def test_import_names_the_option_when_the_title_states_no_unit(tmp_path: Path, capsys) -> None:
    source = bieu06_with_sections(tmp_path / "b06.xlsx")
    book = load_workbook(source)
    book.active["A1"] = None
    book.save(source)
    target = tmp_path / "nhap.xlsx"
    assert main(["import", str(source), "-o", str(target), "--period", "2026-03"]) != 0
    assert "hãy ghi tên bằng --name" in capsys.readouterr().out
    assert not target.exists()


# --- property: what the commands write passes check, or they write nothing ---------------

# Damage a real export may carry: words no system list knows, a missing or impossible
# date, a status contradicting the dates, a code listed twice, a blank field.
DAMAGE = ("unknown_status", "no_received", "bad_date", "done_unfinished", "twice", "no_field")


def damaged(export_rows: list[list[str]], damage: list[tuple[int, str]]) -> list[list[str]]:
    rows = [list(row) for row in export_rows]
    for index, kind in damage:
        row = rows[index % len(rows)]
        if kind == "unknown_status":
            row[8] = "Chờ ký số"
        elif kind == "no_received":
            row[5] = ""
        elif kind == "bad_date":
            row[6] = "31/02/2026"
        elif kind == "done_unfinished":
            row[7], row[8] = "", "Đã trả kết quả"
        elif kind == "twice":
            rows.append(list(row))
            rows[-1][4] = "Trực tiếp" if row[4] != "Trực tiếp" else "Trực tuyến"
        else:
            row[3] = ""
    return rows


@given(
    seed=st.integers(0, 10_000),
    count=st.integers(1, 40),
    damage=st.lists(st.tuples(st.integers(0, 1_000), st.sampled_from(DAMAGE)), max_size=3),
)
@settings(
    max_examples=examples(0.12),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_dossiers_writes_a_month_check_accepts_or_nothing(
    seed: int, count: int, damage: list[tuple[int, str]], tmp_path_factory
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    path = write("tandan", folder, generate("tandan", count=count, seed=seed))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle, delimiter=";"))
    title, header, body, total = lines[0], lines[1], lines[2:-1], lines[-1]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows([title, header, *damaged(body, damage), total])
    target = folder / "thang.xlsx"
    code = main(
        ["dossiers", str(path), "--period", "2026-03", "--name", "Bình Giang", "-o", str(target)]
    )
    if code == 0:
        assert main(["check", str(target)]) == 0
    else:
        assert not target.exists()


def test_dossiers_takes_unit_and_period_from_the_title(tmp_path: Path) -> None:
    path = write("national", tmp_path, generate("national", count=60))
    target = tmp_path / "thang.xlsx"
    assert main(["dossiers", str(path), "-o", str(target)]) == 0
    report = read_workbook(target).report
    assert report is not None
    assert (report.unit.kind, report.unit.name, report.period) == (UnitKind.XA, "Bình Giang", MARCH)


def test_dossiers_names_the_option_a_title_does_not_answer(tmp_path: Path, capsys) -> None:
    path = write("tandan", tmp_path, generate("tandan", count=5))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    path.write_text("\n".join(["DANH SÁCH HỒ SƠ", *lines[1:]]) + "\n", encoding="utf-8-sig")
    target = tmp_path / "thang.xlsx"
    assert main(["dossiers", str(path), "--period", "2026-03", "-o", str(target)]) != 0
    assert "Cần --from SỔ_TÍNH_THÁNG_TRƯỚC hoặc --name" in capsys.readouterr().err
    assert not target.exists()


IMPORT_NAMES = (
    "Hộ tịch",
    "Thành lập và hoạt động của hộ kinh doanh",
    "Thi đua, khen thưởng",
    "Đất đai",
    "Khoáng sản",
    UNASSIGNED_FIELD,
    "",  # a row with figures and no name: an error, so nothing may be written
)


@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 1),  # section
            st.sampled_from(IMPORT_NAMES),
            st.lists(st.integers(0, 30), min_size=11, max_size=11),  # (3)…(13), as typed
        ),
        min_size=1,
        max_size=6,
    ),
    titled=st.booleans(),
)
@settings(
    max_examples=examples(0.2),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_import_writes_a_workbook_check_accepts_or_nothing(
    rows: list[tuple[int, str, list[int]]], titled: bool, tmp_path_factory
) -> None:
    folder = tmp_path_factory.mktemp("import")
    book = Workbook()
    sheet = book.active
    if titled:
        sheet.append(["UBND XÃ BÌNH GIANG"])
        sheet.append(["Kỳ báo cáo: Tháng 3 năm 2026"])
    sheet.append(["(1)", "(2)", "(3)=(4)+(5)+(6)", "(4)", "(5)", "(6)", "(7)=(8)+(9)+(10)",
                  "(8)", "(9)", "(10)", "(11)=(12)+(13)", "(12)", "(13)"])  # fmt: skip
    sections = ("Trên Hệ thống các Bộ, ngành", "Trên Hệ thống thông tin giải quyết TTHC tỉnh")
    for section in (0, 1):
        chosen = [r for r in rows if r[0] == section]
        if not chosen:
            continue
        sheet.append(["I" if section == 0 else "II", sections[section]])
        for number, (_section, name, figures) in enumerate(chosen, 1):
            # Any figures: stated totals that disagree are warnings, the parts are used.
            sheet.append([number, name or None, *figures])
    sheet.append(["TỔNG CỘNG"])
    source = folder / "bieu06.xlsx"
    book.save(source)
    target = folder / "nhap.xlsx"
    code = main(["import", str(source), "-o", str(target)])
    if code == 0:
        assert main(["check", str(target)]) == 0
    else:
        assert not target.exists()


def test_a_year_of_dossiers_leaves_a_short_useful_outside_sheet(tmp_path: Path) -> None:
    """A year's export for one month: counts by reason for all, lines for those near it."""
    export = generate("national", count=300)
    path = write("national", tmp_path, export)
    target = tmp_path / "thang.xlsx"
    assert main(["dossiers", str(path), "-o", str(target)]) == 0
    sheet = load_workbook(target)["Hồ sơ ngoài kỳ"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[0] == "Mã hồ sơ")
    # The summary above the list: the reason (merged over A:C) and its count in D.
    counted = {row[0]: row[3] for row in rows[1:header] if isinstance(row[3], int)}
    assert sum(counted.values()) == export.left_out  # every dossier left out is counted
    listed = rows[header + 1 :]
    by_code = {d.code: d for d in export.dossiers}
    for row in listed:  # each listed one has a date in March, or none at all
        dossier = by_code[row[0]]
        days = [d for d in (dossier.received, dossier.due, dossier.finished) if d]
        assert not days or any(MARCH.start <= d <= MARCH.end for d in days), row
    near = [
        d
        for d in export.dossiers
        if d.scenario[0] in ("received_after", "closed_before", "never_received")
        and (
            not [x for x in (d.received, d.due, d.finished) if x]
            or any(MARCH.start <= x <= MARCH.end for x in (d.received, d.due, d.finished) if x)
        )
    ]
    assert len(listed) == len(near)
