"""A province's consolidation: the fast reader, the batch, what is set aside, the workbook."""

from __future__ import annotations

import os
import re
import zipfile
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

import tthc.app.consolidate as consolidation
from helpers import run_report
from tthc.app.consolidate import consolidate
from tthc.core.catalogue import default_catalogue
from tthc.core.consolidation import Consolidation, KeyIndicator, UnitResult
from tthc.core.grid import Counts
from tthc.core.model import (
    DocumentInfo,
    ExtraInputs,
    ExtraValues,
    FieldRow,
    Period,
    ReportInput,
    Signer,
    Unit,
    UnitKind,
)
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.workbook.consolidation_sheets import consolidation_workbook
from tthc.workbook.output import workbook_bytes
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

ROOT = Path(__file__).resolve().parents[2]
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))


def counts(*values: int) -> Counts:
    """The eleven typed-in columns in the form's order: (4) (5) (6) (8)…(12) (14) (15) (16)."""
    names = (
        "online",
        "direct",
        "carried_over",
        "early",
        "on_time",
        "late",
        "refused",
        "withdrawn",
        "pending_in_time",
        "pending_overdue",
        "pending_supplement",
    )
    return Counts(**dict(zip(names, values, strict=True)))


def report(
    name: str, rows: dict[str, Counts], extras: ExtraValues, period: Period = MARCH
) -> ReportInput:
    return ReportInput(
        unit=Unit(UnitKind.XA, name),
        period=period,
        document=DocumentInfo(date=period.next_day()),
        signer=Signer(name="Nguyễn Văn An"),
        rows=tuple(FieldRow(field, c) for field, c in rows.items()),
        catalogue=default_catalogue("xã"),
        extras=ExtraInputs(unit=extras),
    )


def extras(*values: int | None) -> ExtraValues:
    """with_fee, paid_online, updated, digitised, reused, feedback received, handled."""
    keys = (
        "with_fee",
        "paid_online",
        "updated",
        "digitised",
        "reused",
        "feedback_received",
        "feedback_handled",
    )
    return ExtraValues(**dict(zip(keys, values, strict=True)))


#                  (4) (5) (6)  (8) (9) (10) (11) (12)  (14) (15) (16)
# A  Hộ tịch        10   5   1    8   4    1    1    0     1    1    0   (3)=16 (7)=14 (13)=2
# A  Đất đai         3   7   2    2   3    2    0    1     2    1    1   (3)=12 (7)=8  (13)=4
# B  Hộ tịch        20   0   0   15   5    0    0    0     0    0    0   (3)=20 (7)=20 (13)=0
# B  Chứng thực     30  10   0   35   2    1    1    1     0    0    0   (3)=40 (7)=40 (13)=0
# C  Đất đai         1   4   3    1   2    1    0    0     1    2    1   (3)=8  (7)=4  (13)=4
# C  Người có công   0   6   0    2   2    0    0    0     2    0    0   (3)=6  (7)=4  (13)=2
UNIT_A = report(
    "An Bình",
    {
        "Hộ tịch": counts(10, 5, 1, 8, 4, 1, 1, 0, 1, 1, 0),
        "Đất đai": counts(3, 7, 2, 2, 3, 2, 0, 1, 2, 1, 1),
    },
    # received 28, resolved with a result (8)+(9)+(10) 20, received in the period 25
    extras(10, 6, 28, 20, 5, 2, 2),
)
UNIT_B = report(
    "Bình Minh",
    {
        "Hộ tịch": counts(20, 0, 0, 15, 5, 0, 0, 0, 0, 0, 0),
        "Chứng thực": counts(30, 10, 0, 35, 2, 1, 1, 1, 0, 0, 0),
    },
    extras(30, 30, 60, 58, 10, 0, 0),  # received 60, with a result 58
)
UNIT_C = report(
    "Cẩm Giang",
    {
        "Đất đai": counts(1, 4, 3, 1, 2, 1, 0, 0, 1, 2, 1),
        "Người có công": counts(0, 6, 0, 2, 2, 0, 0, 0, 2, 0, 0),
    },
    extras(4, 1, 14, 8, None, 1, 1),  # "reused" not given: a warning, and no sum for it
)
# Sums by field, in the order fields first appear (files are read in name order a, b, c):
#  Hộ tịch       = A + B: 30  5  1  23  9  1  1  0   1  1  0   (3)=36  (7)=34 (13)=2
#  Đất đai       = A + C:  4 11  5   3  5  3  0  1   3  3  2   (3)=20  (7)=12 (13)=8
#  Chứng thực    = B:     30 10  0  35  2  1  1  1   0  0  0   (3)=40  (7)=40 (13)=0
#  Người có công = C:      0  6  0   2  2  0  0  0   2  0  0   (3)=6   (7)=4  (13)=2
#  Tổng cộng:             64 32  6  63 18  5  2  2   6  4  2   (3)=102 (7)=90 (13)=12
EXPECTED_ROWS = [
    ("Hộ tịch", counts(30, 5, 1, 23, 9, 1, 1, 0, 1, 1, 0)),
    ("Đất đai", counts(4, 11, 5, 3, 5, 3, 0, 1, 3, 3, 2)),
    ("Chứng thực", counts(30, 10, 0, 35, 2, 1, 1, 1, 0, 0, 0)),
    ("Người có công", counts(0, 6, 0, 2, 2, 0, 0, 0, 2, 0, 0)),
]


def small(name: str, received: int, resolved: int, period: Period = MARCH) -> ReportInput:
    """One field, Hộ tịch: `received` online, `resolved` early, nothing pending."""
    row = counts(received, 0, 0, resolved, 0, 0, 0, 0, 0, 0, 0)
    return report(name, {"Hộ tịch": row}, extras(0, 0, received, resolved, received, 0, 0), period)


def save(path: Path, item: ReportInput) -> Path:
    path.write_bytes(workbook_bytes(build_workbook(item)))
    return path


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder as a province receives it: three good units and everything that goes wrong."""
    folder = tmp_path_factory.mktemp("tinh")
    save(folder / "a-an-binh.xlsx", UNIT_A)
    save(folder / "b-binh-minh.xlsx", UNIT_B)
    save(folder / "c-cam-giang.xlsx", UNIT_C)
    (folder / "d-hong.xlsx").write_bytes(bytes(range(256)) * 20)  # random bytes
    (folder / "e-van-ban.xlsx").write_text("Báo cáo tháng 3\n", encoding="utf-8")
    save(folder / "f-dong-son-thang-4.xlsx", small("Đông Sơn", 1, 1, APRIL))
    # The same unit again (typed in lower case with an extra space): refused, A is kept.
    save(folder / "g-an-binh-gui-lai.xlsx", small("an  bình", 5, 5))
    Workbook().save(folder / "h-so-tinh-khac.xlsx")
    save(folder / "i-gia-loc.xlsx", small("Gia Lộc", 5, 3))  # (3) = 5 but (7) + (13) = 3
    (folder / "~$a-an-binh.xlsx").write_bytes(b"\x00" * 165)  # Excel's lock file: ignored
    (folder / "ghi-chu.txt").write_text("không phải sổ tính", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def done(province: Path) -> Consolidation:
    return consolidate([province], workers=1)


def test_fast_reader_equals_openpyxl_reader_on_the_sample(tmp_path: Path, seed_report) -> None:
    path = save(tmp_path / "mau.xlsx", seed_report)
    fast, slow = read_workbook_fast(path), read_workbook(path)
    assert fast.report is not None
    assert fast.report == slow.report
    assert fast.findings == slow.findings
    assert fast.report.period == seed_report.period  # dates came through as dates


def test_each_workbooks_own_catalogue_is_read(tmp_path: Path, seed_report) -> None:
    """Danh mục read the same block after block is remembered; a workbook whose Danh mục
    differs (a department renamed) gets its own, as openpyxl's reader reads it."""
    mapping = seed_report.catalogue.to_mapping()
    first_department = next(iter(mapping))
    renamed = {
        ("Phòng Đổi Tên" if name == first_department else name): fields
        for name, fields in mapping.items()
    }
    own = replace(seed_report, catalogue=type(seed_report.catalogue).from_mapping(renamed))
    paths = [
        save(tmp_path / "mau.xlsx", seed_report),
        save(tmp_path / "doi-ten.xlsx", own),
        save(tmp_path / "mau-lai.xlsx", seed_report),
    ]
    for path, expected in zip(paths, (seed_report, own, seed_report), strict=True):
        fast, slow = read_workbook_fast(path), read_workbook(path)
        assert fast.report is not None and slow.report is not None
        assert fast.report.catalogue == slow.report.catalogue == expected.catalogue
        assert fast.findings == slow.findings
    assert "Phòng Đổi Tên" in own.catalogue.department_names


def test_one_cell_names_read_as_the_general_way(
    tmp_path: Path, seed_report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A name of one cell skips the block building; it must give the cell the general way
    gives: hidden by a merge, a formula saved without its result, a typed constant."""
    from tthc.workbook import calamine_source

    book = build_workbook(seed_report)
    places = {}
    for name in ("TTHC_UNIT_NAME", "TTHC_PERIOD_START", "TTHC_SIGNER_NAME"):
        ((title, ref),) = list(book.defined_names[name].destinations)
        places[name] = (title, ref.replace("$", ""))
    title, unit_cell = places["TTHC_UNIT_NAME"]
    book[title].merge_cells(f"A{unit_cell[1:]}:{unit_cell}")  # hides the unit's name
    title, start_cell = places["TTHC_PERIOD_START"]
    book[title][start_cell] = "=DATE(2026,3,1)"  # openpyxl saves it without a result
    path = tmp_path / "mot-o.xlsx"
    book.save(path)  # openpyxl's own save: formulas without their results
    source = calamine_source.FastSource.open(path)
    names = sorted(
        name
        for name in source.names()
        if isinstance(area := source.area(name), calamine_source.Area)
        and area.first_column == area.last_column
        and area.first_row == area.last_row
    )
    assert len(names) > 10
    quick = {name: source.block(name) for name in names}
    monkeypatch.setattr(calamine_source, "_hidden_cells", lambda merges: None)
    calamine_source._PARSED.clear()  # else the same sheet, and its blocks, come back
    general = calamine_source.FastSource.open(path)
    assert quick == {name: general.block(name) for name in names}
    assert quick["TTHC_UNIT_NAME"].first.merged is not None
    assert quick["TTHC_PERIOD_START"].first.formula == "DATE(2026,3,1)"


def test_fast_reader_takes_the_checks_unpacked_parts(
    tmp_path: Path, seed_report, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file check inflates and splits each input sheet once; the reader reads that.

    A workbook of bytes never seen (a new unit name) so no memory of earlier parts
    answers for it; the report is the openpyxl reader's all the same.
    """
    from tthc.infra import package_guard, sheet_markup
    from tthc.workbook import calamine_source

    unique = replace(seed_report, unit=replace(seed_report.unit, name="Tân Độc Nhất"))
    path = save(tmp_path / "mot-lan.xlsx", unique)
    splits: list[int] = []
    inflated: list[str] = []
    real_split, real_inflate = sheet_markup.markup_and_texts, calamine_source.inflate_packed

    def split(xml: bytes) -> sheet_markup.Split:
        splits.append(len(xml))
        return real_split(xml)

    def inflate(packed: bytes, info: zipfile.ZipInfo, limit: int) -> bytes:
        inflated.append(info.filename)
        return real_inflate(packed, info, limit)

    monkeypatch.setattr(sheet_markup, "markup_and_texts", split)
    monkeypatch.setattr(package_guard, "markup_and_texts", split)
    monkeypatch.setattr(calamine_source, "inflate_packed", inflate)
    # Nothing remembered from other tests: the check inflates every part it sees.
    package_guard._SCANNED.clear()
    calamine_source._PARSED.clear()
    fast = read_workbook_fast(path)
    assert fast.report is not None and fast.report == read_workbook(path).report
    assert not [name for name in inflated if name.startswith("xl/worksheets/")]
    assert splits and len(splits) == len(set(splits))  # no part split twice


@pytest.mark.parametrize(
    "number_format",
    ['[$-42A]dd" tháng "mm" năm "yyyy', "d/m/yy;@", "yyyy-mm-dd hh:mm", "General"],
)
def test_dates_under_any_number_format(tmp_path: Path, number_format: str) -> None:
    """calamine gives dates as date objects, openpyxl as datetimes: both read the same."""
    book = build_workbook(UNIT_A)
    for name in ("TTHC_PERIOD_START", "TTHC_PERIOD_END", "TTHC_DOC_DATE"):
        ((title, ref),) = list(book.defined_names[name].destinations)
        book[title][ref.replace("$", "")].number_format = number_format
    path = tmp_path / "ngay.xlsx"
    path.write_bytes(workbook_bytes(book))
    fast, slow = read_workbook_fast(path), read_workbook(path)
    assert fast.report == slow.report and fast.findings == slow.findings
    if number_format != "General":  # a date shown as a number is not a date to either reader
        assert fast.report is not None and fast.report.period == MARCH


def test_fast_reader_equals_openpyxl_reader_on_findings(province: Path) -> None:
    """Same findings, same cells, for data with errors, a broken file and a foreign workbook."""
    for name in ("i-gia-loc.xlsx", "d-hong.xlsx", "e-van-ban.xlsx", "h-so-tinh-khac.xlsx"):
        fast, slow = read_workbook_fast(province / name), read_workbook(province / name)
        assert fast.findings == slow.findings, name
        assert fast.report == slow.report, name
    missing = province / "khong-co.xlsx"
    assert read_workbook_fast(missing).findings == read_workbook(missing).findings
    assert read_workbook_fast(province).findings == read_workbook(province).findings  # a folder


def test_an_error_in_a_count_cell_is_an_error_not_a_blank(tmp_path: Path) -> None:
    """calamine reads #REF! as an empty cell; the fast reader finds it in the sheet itself."""
    path = save(tmp_path / "loi-ref.xlsx", UNIT_A)
    with zipfile.ZipFile(path) as archive:
        parts = {info: archive.read(info) for info in archive.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in parts.items():
            if info.filename == "xl/worksheets/sheet2.xml":  # Phụ lục; D8: Hộ tịch, (4)
                cell = re.search(rb'<c r="D8"[^>]*>.*?</c>', data)
                assert cell is not None
                error = b'<c r="D8" s="15" t="e"><f>#REF!+1</f><v>#REF!</v></c>'
                data = data.replace(cell.group(0), error)
            archive.writestr(info, data)
    fast, slow = read_workbook_fast(path), read_workbook(path)
    assert fast.findings == slow.findings
    errors = [f for f in fast.findings if f.code == "count.excel_error"]
    assert [(f.location.sheet, f.location.cell) for f in errors] == [("Phụ lục", "D8")]
    done = consolidate([path])
    assert done.units == ()
    assert any("#REF!" in line for line in done.skipped[0].details)


def test_totals_by_field(done: Consolidation) -> None:
    assert [(row.field, row.counts) for row in done.rows] == EXPECTED_ROWS
    assert (done.total.received, done.total.resolved, done.total.pending) == (102, 90, 12)
    assert done.period == MARCH
    # Extra inputs: A + B + C where all three gave a value; C gave no "reused".
    assert done.extras == ExtraValues(
        with_fee=44,
        paid_online=37,
        updated=102,
        digitised=86,
        reused=None,
        feedback_received=3,
        feedback_handled=3,
    )


def test_units_and_their_indicators(done: Consolidation) -> None:
    assert [u.unit for u in done.units] == ["xã An Bình", "xã Bình Minh", "xã Cẩm Giang"]
    a, b, c = done.units
    # A, convention "theo mẫu": 1.1 = ((3) - (5)) / (3) = (28 - 12) / 28, below the 60% target.
    assert a.indicators["1.1"] == KeyIndicator(16, 28, Fraction(16, 28), False)
    assert a.indicators["1.3"] == KeyIndicator(28, 28, Fraction(1), True)
    assert a.indicators["1.4"] == KeyIndicator(20, 20, Fraction(1), True)
    # 2.1 = ((7) - (10)) / (7) = (22 - 3) / 22; the sample targets give 2.1 none.
    assert a.indicators["2.1"] == KeyIndicator(19, 22, Fraction(19, 22), None)
    assert b.indicators["1.1"] == KeyIndicator(50, 60, Fraction(50, 60), True)
    assert (a.late, a.pending_overdue, b.late, b.pending_overdue) == (3, 2, 1, 0)
    assert (c.late, c.pending_overdue) == (1, 2)
    assert [(u.errors, u.warnings) for u in done.units] == [(0, 0), (0, 0), (0, 1)]
    # The same figures as the unit's own report.
    for unit, item in zip(done.units, (UNIT_A, UNIT_B, UNIT_C), strict=True):
        own = run_report(item).ready.indicators
        assert own is not None
        for code, figure in unit.indicators.items():
            mine = own.unit[code]
            assert (figure.numerator, figure.denominator) == (mine.numerator, mine.denominator)
            assert (figure.rate, figure.verdict) == (mine.rate, mine.verdict)


def test_every_bad_file_is_reported_and_the_batch_goes_on(
    done: Consolidation, province: Path
) -> None:
    skipped = {item.path.name: item for item in done.skipped}
    refused = {item.path.name: item for item in done.refused}
    assert sorted(skipped) == [
        "d-hong.xlsx",
        "e-van-ban.xlsx",
        "h-so-tinh-khac.xlsx",
        "i-gia-loc.xlsx",
    ]
    assert sorted(refused) == ["f-dong-son-thang-4.xlsx", "g-an-binh-gui-lai.xlsx"]
    assert skipped["d-hong.xlsx"].reason.startswith("Không mở được tệp như một sổ tính Excel")
    assert skipped["e-van-ban.xlsx"].reason == skipped["d-hong.xlsx"].reason
    assert "không có các tên định danh của mẫu" in skipped["h-so-tinh-khac.xlsx"].reason
    errors = skipped["i-gia-loc.xlsx"]
    assert errors.reason.startswith("Xã Gia Lộc: số liệu còn 1 lỗi")
    assert "chưa được cộng" in errors.reason
    assert len(errors.details) == 1 and "Hộ tịch" in errors.details[0]
    assert "trang «Phụ lục»" in errors.details[0]  # the cell staff must look at
    period = refused["f-dong-son-thang-4.xlsx"].reason
    assert "tháng 4 năm 2026" in period and "tháng 3 năm 2026" in period
    duplicate = refused["g-an-binh-gui-lai.xlsx"].reason
    assert str(province / "a-an-binh.xlsx") in duplicate
    assert str(province / "g-an-binh-gui-lai.xlsx") in duplicate
    assert duplicate.startswith("Trùng đơn vị xã An Bình") and "«xã an  bình»" in duplicate
    # Lock files and other files of the folder are not read at all, but listed with a reason.
    everything = [*done.units, *done.skipped, *done.refused]
    assert not any(i.path.name.startswith("~$") or i.path.suffix == ".txt" for i in everything)
    assert sorted(item.path.name for item in done.not_read) == ["ghi-chu.txt", "~$a-an-binh.xlsx"]
    assert done.entries == 11  # every entry of the folder


def test_majority_period_wins_over_the_first_file(tmp_path: Path) -> None:
    save(tmp_path / "1-thang-4.xlsx", small("Đông Sơn", 1, 1, APRIL))
    save(tmp_path / "2.xlsx", UNIT_A)
    save(tmp_path / "3.xlsx", UNIT_B)
    done = consolidate([tmp_path], workers=1)
    assert done.period == MARCH
    assert [u.unit for u in done.units] == ["xã An Bình", "xã Bình Minh"]
    assert [r.path.name for r in done.refused] == ["1-thang-4.xlsx"]


def test_files_and_folders_missing_files_and_repeats(tmp_path: Path, province: Path) -> None:
    a = province / "a-an-binh.xlsx"
    done = consolidate([a, tmp_path / "khong-co.xlsx", province / "b-binh-minh.xlsx", a])
    assert [u.path.name for u in done.units] == ["a-an-binh.xlsx", "b-binh-minh.xlsx"]
    assert [(s.path.name, s.reason) for s in done.skipped] == [
        ("khong-co.xlsx", "Không tìm thấy tệp.")
    ]
    empty = consolidate([tmp_path])
    assert empty.units == () and empty.rows == () and empty.period is None


def test_a_pool_gives_the_same_result(
    province: Path, done: Consolidation, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(consolidation, "POOL_THRESHOLD", 2)
    pooled = consolidate([province], workers=2, progress=True)
    assert pooled == done
    assert "Đọc sổ tính" in capsys.readouterr().err  # the progress bar, on stderr


_READ_ONE = consolidation._read_one


def _read_or_die(path: Path) -> consolidation._Read:
    """A reader that kills its process on one file, as a crash in native code would."""
    if path.name == "d-hong.xlsx":
        os._exit(3)
    return _READ_ONE(path)


def test_a_worker_that_dies_costs_only_its_file(
    province: Path, done: Consolidation, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(consolidation, "POOL_THRESHOLD", 2)
    monkeypatch.setattr(consolidation, "_read_one", _read_or_die)
    survived = consolidate([province], workers=2)
    assert survived.units == done.units and survived.refused == done.refused
    reasons = {item.path.name: item.reason for item in survived.skipped}
    assert reasons["d-hong.xlsx"] == consolidation.CRASHED
    assert len(reasons) == len(done.skipped)


def test_the_consolidation_workbook(done: Consolidation, tmp_path: Path) -> None:
    path = tmp_path / "tong-hop.xlsx"
    path.write_bytes(workbook_bytes(consolidation_workbook(done)))
    book = load_workbook(path)
    assert book.sheetnames == ["Các đơn vị", "Phụ lục tổng hợp", "Tệp bị bỏ qua"]

    units = book["Các đơn vị"]
    headers = [cell.value for cell in units[1]]
    assert headers[:3] == ["STT", "Tên đơn vị", "Kỳ báo cáo"]
    assert headers[3:5] == ["1.1. Tỷ lệ nộp hồ sơ trực tuyến", "1.1. Kết quả"]
    assert units.auto_filter.ref == f"A1:P{1 + len(done.units)}"
    assert units.freeze_panes == "C2"
    row = [cell.value for cell in units[2]]
    assert row[:5] == [1, "xã An Bình", "tháng 3 năm 2026", 0.5714, "Không đạt"]  # 57,14% cut
    assert units["D2"].number_format == "0.00%"
    assert row[-5:-1] == [3, 2, 0, 0]  # late (10), pending overdue (15), errors, warnings
    assert [units.cell(r, 2).value for r in range(2, 5)] == [u.unit for u in done.units]

    grid = book["Phụ lục tổng hợp"]
    labels = [grid.cell(r, 2).value for r in range(7, 12)]
    assert labels == ["Hộ tịch", "Đất đai", "Chứng thực", "Người có công", "Tổng cộng"]
    numbers = [grid.cell(6, c).value for c in (1, 2, 3, 16)]
    assert numbers == ["(1)", "(2)", "(3)=(4)+(5)+(6)", "(16)"]
    total = [grid.cell(11, c).value for c in range(3, 17)]
    assert total == [102, 64, 32, 6, 90, 63, 18, 5, 2, 2, 12, 6, 4, 2]
    assert grid.cell(7, 3).value == 36  # Hộ tịch (3): a number, not a formula

    aside = book["Tệp bị bỏ qua"]
    listed = {aside.cell(r, 2).value: aside.cell(r, 3).value for r in range(2, aside.max_row + 1)}
    assert len(listed) == len(done.skipped) + len(done.refused) + len(done.not_read) == 8
    assert listed[str(done.refused[0].path)] == "Từ chối"
    assert listed[str(done.not_read[0].path)] == "Không đọc"  # the entries not read, too
    assert aside.auto_filter.ref == "A1:E9"


def test_text_starting_with_equals_stays_text(tmp_path: Path) -> None:
    line = UnitResult(
        path=tmp_path / "=x.xlsx",
        unit="xã =SUM(A1)",
        period=MARCH,
        indicators={c: KeyIndicator(None, None, None, None) for c in consolidation.KEY_INDICATORS},
        late=0,
        pending_overdue=0,
        errors=0,
        warnings=0,
    )
    c = Consolidation(
        units=(line,),
        skipped=(),
        refused=(),
        rows=(FieldRow("=1+1", Counts()),),
        extras=ExtraValues(),
        period=MARCH,
    )
    path = tmp_path / "tong-hop.xlsx"
    path.write_bytes(workbook_bytes(consolidation_workbook(c)))
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)
    book = load_workbook(path)
    assert book["Các đơn vị"]["D2"].value == "chưa có số liệu"
