"""Reading the one-stop system's dossier list: one list, four spellings, the same records."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

import tthc.imports.dossier_list as dossier_list
from tthc.core.dossier_model import Channel, Dossier, Status
from tthc.core.findings import Severity, has_errors
from tthc.imports.dossier_list import (
    DEFAULT_ALIASES,
    MAX_FINDINGS_PER_KIND,
    DossierList,
    header_key,
    read_dossiers,
)
from tthc.imports.dossier_values import read_channel, read_flag, read_status
from tthc.imports.vocabulary import builtin_vocabulary

ON, DI, PO = Channel.ONLINE, Channel.DIRECT, Channel.POST
RES, REF, WD, SUP, PROC = (
    Status.RESOLVED,
    Status.REFUSED,
    Status.WITHDRAWN,
    Status.SUPPLEMENT,
    Status.PROCESSING,
)
T, F = True, False


def d(month: int, day: int) -> date:
    return date(2026, month, day)


# The hand-made list: every channel, every status, every flag both ways, a carried-over
# dossier (received in February), pending ones without a finished date, one without a due date.
# code, field, channel, received, due, finished, status, fee, paid online, updated, digitised,
# reused
EXPECTED: list[tuple] = [
    ("000.00.12.H01-260220-0001", "Đất đai", ON, d(2, 20), d(3, 5), d(3, 4), RES, T, T, T, T, T),
    ("H02", "Hộ tịch", DI, d(3, 2), d(3, 2), d(3, 2), RES, F, F, F, F, F),
    ("H03", "Chứng thực", PO, d(3, 3), d(3, 10), d(3, 12), RES, T, F, T, F, F),
    ("H04", "Đất đai", DI, d(3, 4), d(3, 18), d(3, 9), REF, F, F, T, T, F),
    ("H05", "Hộ tịch", ON, d(3, 5), d(3, 6), d(3, 5), WD, F, F, F, F, F),
    ("H06", "Xây dựng", DI, d(3, 6), d(3, 20), None, SUP, T, F, T, T, T),
    ("H07", "Đất đai", ON, d(3, 2), d(3, 16), None, PROC, T, T, T, T, F),
    ("H08", "Chứng thực", PO, d(3, 25), None, None, PROC, F, F, F, F, F),
    ("H09", "Hộ tịch", ON, d(3, 10), d(3, 13), d(3, 12), RES, T, T, T, T, T),
    ("H10", "Tư pháp", DI, d(3, 30), d(4, 14), None, PROC, F, F, T, F, F),
]
FLAGS = ("has_fee", "paid_online", "updated", "digitised", "reused")


def expected_records(first_row: int = 2, flags: bool = True) -> tuple[Dossier, ...]:
    records = []
    for number, values in enumerate(EXPECTED, first_row):
        code, field, channel, received, due, finished, status, *flag_values = values
        extra = dict(zip(FLAGS, flag_values, strict=True)) if flags else {}
        records.append(
            Dossier(code, field, channel, received, due, finished, status, number, **extra)
        )
    return tuple(records)


def vn(value: date | None) -> str:
    return "" if value is None else f"{value.day:02d}/{value.month:02d}/{value.year}"


# --- the four spellings of the same list -------------------------------------------------------

CSV_BOM_HEADERS = [
    "STT",
    "Mã hồ sơ",
    "Lĩnh vực",
    "Kênh",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc",
    "Trạng thái",
    "Có phí",
    "Thanh toán trực tuyến",
    "Cập nhật hệ thống",
    "Số hóa",
    "Tái sử dụng",
    "Người nộp",
]
CSV_BOM_CHANNELS = {ON: "Trực tuyến", DI: "Trực tiếp", PO: "Bưu chính"}
CSV_BOM_STATUSES = [
    "Đã giải quyết",
    "Đúng hạn",
    "Đã trả kết quả",
    "Từ chối",
    "Công dân rút",
    "Chờ bổ sung",
    "Đang xử lý",
    "Tiếp nhận",
    "Hoàn thành",
    "Đang giải quyết",
]


def csv_bom_rows() -> list[list[object]]:
    rows: list[list[object]] = [CSV_BOM_HEADERS]
    for i, (code, field, channel, rec, due, fin, _, *flags) in enumerate(EXPECTED):
        words = ["Có" if flag else ("Không" if i % 2 else "") for flag in flags]
        row = [i + 1, code, field, CSV_BOM_CHANNELS[channel], vn(rec), vn(due), vn(fin)]
        rows.append([*row, CSV_BOM_STATUSES[i], *words, f"Công dân {i + 1}"])
    return rows


CSV_SEMICOLON_HEADERS = [
    "STT",
    "Số hồ sơ",
    "TenLinhVuc",
    "Hình thức nộp",
    "Ngày nhận",
    "Hạn xử lý",
    "Ngày trả kết quả",
    "TinhTrang",
    "Phí lệ phí",
    "TTTT",
    "Đồng bộ",
    "SoHoa",
    "Khai thác lại",
]
CSV_SEMICOLON_CHANNELS = [
    "online",
    "tại quầy",
    "BCCI",
    "Trực tiếp tại Bộ phận Một cửa",
    "TT",
    "2",
    "Nộp trực tuyến toàn trình",
    "Dịch vụ bưu chính công ích",
    "Online",
    "tai quay",
]
CSV_SEMICOLON_STATUSES = [
    "Hoàn thành",
    "Trước hạn",
    "Giải quyết xong",
    "Không giải quyết",
    "Rút hồ sơ",
    "Yêu cầu bổ sung",
    "Đang giải quyết",
    "Mới tiếp nhận",
    "Đã xử lý",
    "Chưa giải quyết",
]


def csv_semicolon_rows() -> list[list[object]]:
    rows: list[list[object]] = [CSV_SEMICOLON_HEADERS]
    for i, (code, field, _, rec, due, fin, _, fee, paid, *flags) in enumerate(EXPECTED):
        finished = f"{vn(fin)} 16:45" if fin else ""
        due_text = "" if due is None else f"{due.day}/{due.month}/{due.year}"
        fee_text = "50.000" if fee else "0"
        paid_text = "Đã thanh toán" if paid else "Chưa thanh toán"
        marks = ["x" if flag else "" for flag in flags]
        row = [i + 1, code, f" {field}  ", CSV_SEMICOLON_CHANNELS[i], rec.isoformat()]
        rows.append([*row, due_text, finished, CSV_SEMICOLON_STATUSES[i], fee_text, paid_text])
        rows[-1].extend(marks)
    return rows


VENDOR_HEADERS = [
    "MaHoSo",
    "TenLinhVuc",
    "KenhThucHien",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "TrangThaiHoSo",
    "CoPhi",
    "ThanhToanTrucTuyen",
    "DongBo",
    "SoHoa",
    "TaiSuDung",
]
VENDOR_CHANNELS = {ON: 1, DI: 2, PO: 3}
VENDOR_STATUSES = [
    "Đã trả kết quả",
    "ĐÃ GIẢI QUYẾT",
    "Đã giải quyết (trễ hạn)",
    "Từ chối giải quyết",
    "Rút",
    "Bổ sung hồ sơ",
    "Đang thụ lý",
    "Chờ xử lý",
    "Đã trả",
    "Đã tiếp nhận",
]


def vendor_rows() -> list[list[object]]:
    rows: list[list[object]] = [VENDOR_HEADERS]
    for i, (code, field, channel, rec, due, fin, _, *flags) in enumerate(EXPECTED):
        # Received: a date-time cell, or (H03) an Excel serial number without a date format.
        received: object = datetime(rec.year, rec.month, rec.day, 8, 30)
        if code == "H03":
            received = (rec - date(1899, 12, 30)).days
        finished = None if fin is None else datetime(fin.year, fin.month, fin.day, 16, 0)
        values = [int(flag) if i % 2 else flag for flag in flags]  # 1/0 and TRUE/FALSE
        row = [code, field, VENDOR_CHANNELS[channel], received, due, finished]
        rows.append([*row, VENDOR_STATUSES[i], *values])
    return rows


PLAIN_HEADERS = [
    "Ma ho so",
    "Linh vuc",
    "Kenh",
    "Ngay tiep nhan",
    "Ngay hen tra",
    "NGAY KET THUC",
    "Trang thai",
    "Co phi",
    "Thanh toan truc tuyen",
    "Cap nhat he thong",
    "So hoa",
    "Tai su dung",
]
PLAIN_CHANNELS = {ON: "truc tuyen", DI: "TRỰC TIẾP", PO: "buu chinh"}
PLAIN_STATUSES = [
    "da giai quyet",
    "dung han",
    "hoan thanh",
    "tu choi",
    "cong dan rut",
    "cho bo sung",
    "dang xu ly",
    "tiep nhan",
    "xu ly xong",
    "chua tra ket qua",
]
PLAIN_TRUE = ("yes", "đã", "true", "Y", "x")
PLAIN_FALSE = ("no", "false", "chưa", "", "Không")


def plain_rows() -> list[list[object]]:
    rows: list[list[object]] = [
        ["UBND XÃ BÌNH GIANG"],
        ["DANH SÁCH HỒ SƠ TIẾP NHẬN THÁNG 3/2026"],
        PLAIN_HEADERS,
    ]
    for i, (code, field, channel, rec, due, fin, _, *flags) in enumerate(EXPECTED):
        received: object = rec if i % 2 else f"{rec.day:02d}-{rec.month:02d}-{rec.year}"
        words = [(PLAIN_TRUE if flag else PLAIN_FALSE)[(i + n) % 5] for n, flag in enumerate(flags)]
        row = [code, field, PLAIN_CHANNELS[channel], received, due, fin, PLAIN_STATUSES[i]]
        rows.append([*row, *words])
    return rows


def write_csv(path: Path, rows: list[list[object]], *, delimiter: str = ",", encoding: str) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows]
    )
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def cp1258(text: str) -> bytes:
    """Text as Windows-1258 stores it: â, ê, ơ… precomposed, tone marks as combining marks."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        base, *marks = unicodedata.normalize("NFD", char)
        for mark in marks:  # 'ậ' = 'â' + dot below: compose the mark cp1258 has a letter for
            letter = unicodedata.normalize("NFC", base + mark)
            rest = "".join(m for m in marks if m != mark)
            try:
                out += (letter + rest).encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def write_xlsx(path: Path, rows: list[list[object]], *, sheets: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    first = book.active
    assert first is not None
    for name in sheets:  # sheets before the list (instructions, a cover page)
        book.create_sheet(name, 0).append([f"{name}: không phải danh sách"])
    first.title = "Danh sách"
    for row in rows:
        first.append(row)
    for row in first.iter_rows():
        for cell in row:
            if isinstance(cell.value, date) and not isinstance(cell.value, datetime):
                cell.number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def assert_clean(result: DossierList) -> None:
    assert not result.findings, [f.describe() for f in result.findings]


# --- the same records from every spelling ------------------------------------------------------


def test_csv_with_bom(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", csv_bom_rows(), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_dossiers(path)
    assert_clean(result)
    assert result.records == expected_records()
    assert result.columns["code"] == "Mã hồ sơ"
    assert result.columns["reused"] == "Tái sử dụng"
    assert result.header_row == 1
    assert result.sheet is None


def test_csv_without_bom_with_semicolons(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", csv_semicolon_rows(), delimiter=";", encoding="utf-8")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = read_dossiers(path)
    assert_clean(result)
    assert result.records == expected_records()
    assert result.columns == {
        "code": "Số hồ sơ",
        "field": "TenLinhVuc",
        "channel": "Hình thức nộp",
        "received": "Ngày nhận",
        "due": "Hạn xử lý",
        "finished": "Ngày trả kết quả",
        "status": "TinhTrang",
        "has_fee": "Phí lệ phí",
        "paid_online": "TTTT",
        "updated": "Đồng bộ",
        "digitised": "SoHoa",
        "reused": "Khai thác lại",
    }


def test_xlsx_with_vendor_codes(tmp_path: Path) -> None:
    result = read_dossiers(write_xlsx(tmp_path / "ds.xlsx", vendor_rows()))
    assert_clean(result)
    assert result.records == expected_records()
    assert result.columns["code"] == "MaHoSo"
    assert result.sheet == "Danh sách"


def test_xlsx_without_diacritics_below_title_rows(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "ds.xlsx", plain_rows(), sheets=("Hướng dẫn",))
    result = read_dossiers(path)
    assert_clean(result)
    assert result.header_row == 3
    assert result.sheet == "Danh sách"
    # Row numbers are the sheet's: the first dossier sits on row 4.
    assert result.records == expected_records(first_row=4)
    assert [replace(r, row=r.row - 2) for r in result.records] == list(expected_records())


def test_all_four_spellings_give_identical_records(tmp_path: Path) -> None:
    lists = [
        read_dossiers(write_csv(tmp_path / "a.csv", csv_bom_rows(), encoding="utf-8-sig")),
        read_dossiers(
            write_csv(tmp_path / "b.csv", csv_semicolon_rows(), delimiter=";", encoding="utf-8")
        ),
        read_dossiers(write_xlsx(tmp_path / "c.xlsx", vendor_rows())),
        read_dossiers(write_xlsx(tmp_path / "d.xlsx", plain_rows())),
    ]
    shifted = [
        tuple(replace(r, row=r.row - (result.header_row or 1) + 1) for r in result.records)
        for result in lists
    ]
    assert shifted[0] == shifted[1] == shifted[2] == shifted[3] == expected_records()
    covered = {(r.channel, r.status) for r in shifted[0]}
    assert {c for c, _ in covered} == set(Channel)
    assert {s for _, s in covered} == set(Status) - {Status.NOT_COUNTED}
    for flag in FLAGS:
        assert {getattr(r, flag) for r in shifted[0]} == {True, False}


def test_xlsm_tab_delimited_and_windows_1258_lists(tmp_path: Path) -> None:
    xlsm = read_dossiers(write_xlsx(tmp_path / "ds.xlsm", vendor_rows()))
    assert xlsm.records == expected_records()
    tabs = write_csv(tmp_path / "tab.csv", csv_bom_rows(), delimiter="\t", encoding="utf-8")
    assert read_dossiers(tabs).records == expected_records()
    # Excel's plain "CSV" on Vietnamese Windows: code page 1258, tone marks as combining marks.
    legacy = write_csv(tmp_path / "cp1258.csv", csv_bom_rows(), encoding="utf-8")
    legacy.write_bytes(cp1258(legacy.read_text(encoding="utf-8")))
    result = read_dossiers(legacy)
    assert result.records == expected_records()
    assert [f.code for f in result.findings] == ["dossiers.encoding"]
    assert result.findings[0].severity is Severity.WARNING
    assert "Windows-1258" in result.findings[0].message


def test_flags_absent_are_none(tmp_path: Path) -> None:
    rows = [row[:8] for row in csv_bom_rows()]  # STT … Trạng thái: no flag column
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert_clean(result)
    assert result.records == expected_records(flags=False)
    assert all(getattr(r, flag) is None for r in result.records for flag in FLAGS)
    assert not set(FLAGS) & set(result.columns)


def test_one_flag_present_the_others_none(tmp_path: Path) -> None:
    rows = [[*row[:8], row[11]] for row in csv_bom_rows()]  # … Trạng thái, Số hóa
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert_clean(result)
    assert [r.digitised for r in result.records] == [row[10] for row in EXPECTED]
    assert all(r.has_fee is None and r.reused is None for r in result.records)


def test_empty_rows_are_skipped(tmp_path: Path) -> None:
    rows = csv_bom_rows()
    rows.insert(3, [""] * len(CSV_BOM_HEADERS))
    rows.insert(6, [])
    rows.append([" "] * 4)
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert_clean(result)
    assert [r.code for r in result.records] == [row[0] for row in EXPECTED]
    assert [r.row for r in result.records] == [2, 3, 5, 6, 8, 9, 10, 11, 12, 13]


# --- columns -----------------------------------------------------------------------------------


def test_a_missing_column_is_an_error_naming_it(tmp_path: Path) -> None:
    rows = [row[:7] + row[8:] for row in csv_bom_rows()]  # no Trạng thái
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == ()
    assert [f.code for f in result.findings] == ["dossiers.missing_column"]
    finding = result.findings[0]
    assert finding.severity is Severity.ERROR
    assert "«Trạng thái» (status)" in finding.message
    assert "«TrangThaiHoSo»" in finding.message  # what it looked for
    assert "«Mã hồ sơ», «Lĩnh vực», «Kênh»" in finding.message  # what it found
    # The option to use and the line to write, with a header the reader did not place.
    unplaced = [
        h
        for h in rows[0]
        if header_key(h) not in {header_key(n) for names in DEFAULT_ALIASES.values() for n in names}
    ]
    assert unplaced
    assert finding.message.endswith(f'--aliases TỆP, ví dụ: {{"status": ["{unplaced[0]}"]}}')


def test_each_missing_column_has_its_own_error(tmp_path: Path) -> None:
    rows = [[row[1], row[2], row[3], row[4]] for row in csv_bom_rows()]
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == ()
    missing = [f.message for f in result.findings if f.code == "dossiers.missing_column"]
    assert len(missing) == 3
    for label in ("Ngày hẹn trả", "Ngày kết thúc", "Trạng thái"):
        assert any(f"«{label}»" in message for message in missing)
    assert result.columns == {
        "code": "Mã hồ sơ",
        "field": "Lĩnh vực",
        "channel": "Kênh",
        "received": "Ngày tiếp nhận",
    }


def test_no_header_row(tmp_path: Path) -> None:
    path = tmp_path / "ds.csv"
    path.write_text("Báo cáo tháng 3\nkhông có gì ở đây\n", encoding="utf-8")
    result = read_dossiers(path)
    assert result.records == ()
    assert [f.code for f in result.findings] == ["dossiers.no_header"]
    assert "«Báo cáo tháng 3»" in result.findings[0].message
    book = read_dossiers(write_xlsx(tmp_path / "ds.xlsx", [["Không có danh sách"]]))
    assert [f.code for f in book.findings] == ["dossiers.no_header"]


def test_a_duplicate_column_keeps_the_leftmost(tmp_path: Path) -> None:
    rows = [[*row, row[1]] for row in csv_bom_rows()]
    rows[0][-1] = "MaHoSo"
    rows[1][-1] = "khác"
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == expected_records()
    assert [f.code for f in result.findings] == ["dossiers.duplicate_column"]
    assert result.findings[0].severity is Severity.WARNING
    assert "cột B và cột O" in result.findings[0].message


def custom_header_rows() -> list[list[object]]:
    rows = csv_bom_rows()
    rows[0] = ["STT", "Mã HS", *CSV_BOM_HEADERS[2:]]
    return rows


def test_a_custom_alias_file_adds_a_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", custom_header_rows(), encoding="utf-8-sig")
    without = read_dossiers(path)
    assert without.records == ()
    assert [f.code for f in without.findings] == ["dossiers.missing_column"]
    assert "«Mã hồ sơ»" in without.findings[0].message
    assert "«Mã HS»" in without.findings[0].message  # listed among the headers found

    aliases = tmp_path / "cot.json"
    aliases.write_text(json.dumps({"code": ["Mã HS"]}, ensure_ascii=False), encoding="utf-8")
    result = read_dossiers(path, aliases)
    assert_clean(result)
    assert result.records == expected_records()
    assert result.columns["code"] == "Mã HS"
    # The defaults still apply beside the added name.
    default = write_csv(tmp_path / "default.csv", csv_bom_rows(), encoding="utf-8-sig")
    assert read_dossiers(default, aliases).records == expected_records()


def test_alias_file_problems_are_errors_and_the_rest_applies(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", custom_header_rows(), encoding="utf-8-sig")
    aliases = tmp_path / "cot.json"
    config = {"code": ["Mã HS"], "ma_ho_so": ["Mã"], "field": "Ngành", "status": [3]}
    aliases.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    result = read_dossiers(path, aliases)
    assert result.records == expected_records()
    problems = [f for f in result.findings if f.code == "dossiers.aliases"]
    assert [f.severity for f in problems] == [Severity.ERROR, Severity.ERROR]
    assert "«ma_ho_so»" in problems[0].message
    assert "code, field, channel" in problems[0].message
    assert "«status»" in problems[1].message


def test_alias_file_collision_and_bad_json(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "ds.csv", csv_bom_rows(), encoding="utf-8-sig")
    aliases = tmp_path / "cot.json"
    aliases.write_text('{"field": ["Ma ho so"]}', encoding="utf-8")
    result = read_dossiers(path, aliases)
    assert result.records == expected_records()  # the clash is ignored, Mã hồ sơ stays the code
    assert [f.code for f in result.findings] == ["dossiers.aliases"]
    assert "«Mã hồ sơ» (code)" in result.findings[0].message

    aliases.write_text('{"code": ["Mã HS"', encoding="utf-8")
    result = read_dossiers(path, aliases)
    assert result.records == expected_records()
    assert [f.code for f in result.findings] == ["dossiers.aliases"]
    missing = read_dossiers(path, tmp_path / "khong-co.json")
    assert [f.code for f in missing.findings] == ["dossiers.aliases"]


def test_default_aliases_are_distinct_and_documented() -> None:
    owners: dict[str, str] = {}
    for key, names in DEFAULT_ALIASES.items():
        for name in names:
            assert owners.setdefault(header_key(name), key) == key, name
    doc = dossier_list.__doc__ or ""
    plain_doc = " ".join(doc.split())
    for names in DEFAULT_ALIASES.values():
        for name in names:
            assert name in plain_doc, name
    assert header_key("Mã hồ sơ (*)") == header_key("MA_HO_SO") == header_key("MaHoSo")


# --- values ------------------------------------------------------------------------------------


def bad_rows() -> list[list[object]]:
    rows = csv_bom_rows()
    rows[3][4] = "32/03/2026"  # H03: received
    rows[5][7] = "Quá hạn"  # H05: status
    rows[6][3] = "Fax"  # H06: channel
    rows[7][11] = "chắc vậy"  # H07: Số hóa
    rows[8][2] = ""  # H08: field
    rows[9][1] = ""  # H09 has no code
    return rows


def test_bad_values_are_errors_naming_row_and_code(tmp_path: Path) -> None:
    result = read_dossiers(write_csv(tmp_path / "ds.csv", bad_rows(), encoding="utf-8-sig"))
    assert has_errors(result.findings)
    assert all(f.severity is Severity.ERROR for f in result.findings)
    messages = {f.code: f.message for f in result.findings}
    assert list(messages) == [  # unknown words come last, one finding per word
        "dossiers.date",
        "dossiers.flag",
        "dossiers.missing_value",
        "dossiers.status",
        "dossiers.channel",
    ]
    assert messages["dossiers.date"].startswith("Dòng 4, hồ sơ «H03»: cột «Ngày tiếp nhận»:")
    assert "«32/03/2026» không hợp lệ" in messages["dossiers.date"]
    assert messages["dossiers.status"].startswith(
        "«Quá hạn» ở cột «Trạng thái» không nhận ra, ở 1 dòng (dòng 6)"
    )
    assert messages["dossiers.channel"].startswith(
        "«Fax» ở cột «Kênh» không nhận ra, ở 1 dòng (dòng 7)"
    )
    assert messages["dossiers.flag"].startswith("Dòng 8, hồ sơ «H07»: giá trị «chắc vậy»")
    assert "cột «Số hóa»" in messages["dossiers.flag"]
    missing = [f.message for f in result.findings if f.code == "dossiers.missing_value"]
    assert missing == [
        "Dòng 9, hồ sơ «H08»: thiếu lĩnh vực (cột «Lĩnh vực»).",
        "Dòng 10 (không có mã hồ sơ): thiếu mã hồ sơ.",
    ]
    # Rows with an error are left out; the others are read.
    assert [r.code for r in result.records] == ["000.00.12.H01-260220-0001", "H02", "H04", "H10"]


def test_errors_in_a_workbook_point_at_the_cell(tmp_path: Path) -> None:
    rows = plain_rows()
    rows[5][6] = "không hoàn thành"  # H03 on sheet row 6, status in column G
    rows[6][3] = "2026"  # H04 on row 7: a year, not a date
    result = read_dossiers(write_xlsx(tmp_path / "ds.xlsx", rows))
    by_code = {f.code: f for f in result.findings}
    status = by_code["dossiers.status"]
    assert status.message.startswith(
        "«không hoàn thành» ở cột «Trang thai» không nhận ra, ở 1 dòng (dòng 6)"
    )
    assert (status.location.sheet, status.location.cell) == ("Danh sách", "G6")
    assert status.describe().startswith("Lỗi — trang «Danh sách», ô G6: «không hoàn thành»")
    date_finding = by_code["dossiers.date"]
    assert date_finding.message.startswith("Dòng 7, hồ sơ «H04»: cột «Ngay tiep nhan»")
    assert date_finding.location.cell == "D7"
    assert len(result.records) == 8


def test_numbers_outside_the_serial_range_are_not_dates(tmp_path: Path) -> None:
    rows = vendor_rows()
    rows[1][3] = 2026
    result = read_dossiers(write_xlsx(tmp_path / "ds.xlsx", rows))
    assert [f.code for f in result.findings] == ["dossiers.date"]
    assert "«2026» không phải là ngày" in result.findings[0].message


def test_duplicate_codes(tmp_path: Path) -> None:
    rows = csv_bom_rows()
    rows.append(list(rows[2]))  # H02 again, the same
    changed = list(rows[3])
    changed[7] = "Từ chối"
    rows.append(changed)  # H03 again, another status
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == expected_records()
    assert [(f.code, f.severity) for f in result.findings] == [
        ("dossiers.duplicate_code", Severity.WARNING),
        ("dossiers.duplicate_code", Severity.ERROR),
    ]
    assert result.findings[0].message.startswith("Dòng 12, hồ sơ «H02»: mã hồ sơ trùng với dòng 3")
    assert "Dòng 13, hồ sơ «H03»" in result.findings[1].message


def test_many_identical_problems_are_summed_up(tmp_path: Path) -> None:
    rows: list[list[object]] = [CSV_BOM_HEADERS[1:8]]
    rows += [[f"X{i}", "", "Trực tuyến", "1/3/2026", "", "", "Đang xử lý"] for i in range(30)]
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == ()
    assert len(result.findings) == MAX_FINDINGS_PER_KIND + 1
    last = result.findings[-1]
    assert last.severity is Severity.ERROR
    assert last.message == "Còn 10 dòng khác có cùng vấn đề ở cột «Lĩnh vực» (không liệt kê hết)."


def test_an_unknown_word_is_reported_once_with_its_rows_and_the_line_to_add(
    tmp_path: Path,
) -> None:
    rows: list[list[object]] = [CSV_BOM_HEADERS[1:8]]
    rows += [[f"X{i}", "Đất đai", "fax", "1/3/2026", "", "", "Chờ ký số"] for i in range(30)]
    result = read_dossiers(write_csv(tmp_path / "ds.csv", rows, encoding="utf-8-sig"))
    assert result.records == ()
    assert [f.code for f in result.findings] == ["dossiers.status", "dossiers.channel"]
    status, channel = (f.message for f in result.findings)
    assert status.startswith(
        "«Chờ ký số» ở cột «Trạng thái» không nhận ra, ở 30 dòng "
        "(dòng 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 và 20 dòng khác); các hồ sơ này chưa được tính."
    )
    assert status.endswith('{"status_words": {"Chờ ký số": "đang xử lý"}}')
    assert channel.endswith('{"channel_words": {"fax": "trực tuyến"}}')
    # The line it suggests, written to an aliases file, is what the reader then needs.
    aliases = tmp_path / "ten-cot.json"
    aliases.write_text(
        '{"status_words": {"Chờ ký số": "đang xử lý"}, "channel_words": {"fax": "trực tiếp"}}',
        encoding="utf-8",
    )
    read = read_dossiers(tmp_path / "ds.csv", aliases)
    assert read.findings == ()
    assert {(r.status, r.channel) for r in read.records} == {(Status.PROCESSING, Channel.DIRECT)}


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("Trực tuyến", ON),
        ("TRUC TUYEN", ON),
        ("online", ON),
        ("TT", ON),
        ("1", ON),
        ("Trực tiếp", DI),
        ("Tại quầy", DI),
        ("2", DI),
        ("Bưu chính", PO),
        ("BCCI", PO),
        ("3", PO),
        ("Trực tuyến hoặc bưu chính", None),
        ("4", None),
    ],
)
def test_channel_words(word: str, channel: Channel | None) -> None:
    assert read_channel(word) is channel


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Đã giải quyết", RES),
        ("Hoàn thành trễ hạn", RES),
        ("Đúng hạn", RES),
        ("Từ chối", REF),
        ("Không giải quyết", REF),
        ("Rút", WD),
        ("Công dân rút hồ sơ", WD),
        ("Chờ bổ sung", SUP),
        ("Yêu cầu bổ sung", SUP),
        ("Đang xử lý", PROC),
        ("Chưa hoàn thành", PROC),
        ("Tiếp nhận", PROC),
        ("Không hoàn thành", None),
        ("Quá hạn", None),
        ("Chờ trả kết quả", None),
    ],
)
def test_status_words(word: str, status: Status | None) -> None:
    assert read_status(word) is status


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        ("Có", True),
        ("x", True),
        ("X", True),
        (1, True),
        (1.0, True),
        ("true", True),
        ("Yes", True),
        ("Đã", True),
        ("đã số hóa", True),
        (True, True),
        ("không", False),
        ("0", False),
        (0, False),
        ("false", False),
        ("No", False),
        ("", False),
        (None, False),
        ("Chưa số hóa", False),
        (False, False),
        ("chắc vậy", None),
        (2, None),
    ],
)
def test_flag_words(value: object, flag: bool | None) -> None:
    read, readable = read_flag(value, amounts=False)
    assert (read if readable else None) is flag


def test_fee_amounts() -> None:
    assert read_flag("50.000", amounts=True) == (True, True)
    assert read_flag(50000, amounts=True) == (True, True)
    assert read_flag("0", amounts=True) == (False, True)
    assert read_flag("50.000", amounts=False) == (None, False)


# --- files that cannot be read -------------------------------------------------------------------


def test_files_that_cannot_be_read_give_a_finding(tmp_path: Path) -> None:
    missing = read_dossiers(tmp_path / "khong-co.xlsx")
    assert [f.code for f in missing.findings] == ["dossiers.file"]
    assert "khong-co.xlsx" in missing.findings[0].message

    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    result = read_dossiers(broken)
    assert result.records == ()
    assert [f.code for f in result.findings] == ["dossiers.file"]

    other = tmp_path / "ds.pdf"
    other.write_bytes(b"%PDF-1.4")
    assert [f.code for f in read_dossiers(other).findings] == ["dossiers.file"]
    assert [f.code for f in read_dossiers(tmp_path).findings] == ["dossiers.file"]


def test_the_sheet_with_every_required_column_is_read(tmp_path: Path) -> None:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Tổng hợp"
    summary.append(["Lĩnh vực", "Trạng thái", "Số hồ sơ đã nhận"])  # names two of our columns
    summary.append(["Đất đai", "Đã giải quyết", 3])
    listing = book.create_sheet("DS")
    for row in vendor_rows():
        listing.append(row)
    book.save(tmp_path / "ds.xlsx")
    result = read_dossiers(tmp_path / "ds.xlsx")
    assert_clean(result)
    assert result.sheet == "DS"
    assert result.records == expected_records()


def test_a_partial_header_names_the_sheet_and_what_is_missing(tmp_path: Path) -> None:
    rows = [row[:3] for row in vendor_rows()]  # MaHoSo, TenLinhVuc, KenhThucHien
    result = read_dossiers(write_xlsx(tmp_path / "ds.xlsx", rows))
    assert result.records == ()
    assert result.sheet == "Danh sách"
    missing = [f for f in result.findings if f.code == "dossiers.missing_column"]
    assert [f.message.split("»")[0] for f in missing] == [
        "Không tìm thấy cột «Ngày tiếp nhận",
        "Không tìm thấy cột «Ngày hẹn trả",
        "Không tìm thấy cột «Ngày kết thúc",
        "Không tìm thấy cột «Trạng thái",
    ]
    assert all(f.location.sheet == "Danh sách" for f in missing)
    assert "«MaHoSo», «TenLinhVuc», «KenhThucHien»" in missing[0].message


@pytest.mark.parametrize(
    ("word", "status"),
    [  # the words real systems write (issue 15), read through the built-in vocabulary
        ("Dừng xử lý", PROC),
        ("Tạm dừng", PROC),
        ("Yêu cầu thực hiện nghĩa vụ tài chính", PROC),
        ("Chờ thanh toán", PROC),
        ("Mới đăng ký", Status.NOT_COUNTED),
        ("Không được tiếp nhận", Status.NOT_COUNTED),
        ("Chờ tiếp nhận", Status.NOT_COUNTED),  # once silently counted as received, pending
        ("Hồ sơ chờ tiếp nhận trực tuyến", Status.NOT_COUNTED),  # by the phrase rule
        ("Từ chối tiếp nhận", Status.NOT_COUNTED),
        ("Đã hủy", Status.NOT_COUNTED),
        ("Chờ trả kết quả", RES),
        ("Trả lại hồ sơ", WD),
        ("Đã bổ sung", PROC),
        ("Yêu cầu bổ sung giấy tờ", SUP),
        ("ĐÃ TRẢ KẾT QUẢ", RES),
        ("Quá hạn", None),
    ],
)
def test_status_words_of_real_systems(word: str, status: Status | None) -> None:
    assert read_status(word, builtin_vocabulary()) is status


@pytest.mark.parametrize(
    ("word", "channel"),
    [
        ("Nộp trực tuyến", ON),
        ("Qua bưu chính công ích", PO),
        ("Trực tiếp tại bộ phận một cửa", DI),
        ("Dịch vụ công trực tuyến", ON),
    ],
)
def test_channel_words_of_real_systems(word: str, channel: Channel) -> None:
    assert read_channel(word, builtin_vocabulary()) is channel


def test_the_vocabulary_file_names_a_source_for_every_entry() -> None:
    raw = json.loads(
        (Path(dossier_list.__file__).parents[1] / "data" / "vocabulary.json").read_text("utf-8")
    )
    for section in ("fields", "statuses", "channels"):
        assert raw[section], section
        for entry in raw[section]:
            assert entry["source"].strip(), entry
    vocabulary = builtin_vocabulary()
    assert len(vocabulary.statuses) == len(raw["statuses"])  # no two words share a key
    assert len(vocabulary.channels) == len(raw["channels"])
    assert len(vocabulary.fields) == len(raw["fields"])


def test_the_readme_lists_every_word_of_the_vocabulary_with_its_meaning() -> None:
    """Staff read the README, not the JSON: each status word in its meaning's row."""
    raw = json.loads(
        (Path(dossier_list.__file__).parents[1] / "data" / "vocabulary.json").read_text("utf-8")
    )
    readme = (Path(dossier_list.__file__).parents[3] / "README.md").read_text("utf-8")
    rows = {
        line.split("|")[1].strip(): line for line in readme.splitlines() if line.startswith("| ")
    }
    for entry in raw["statuses"]:
        assert f"«{entry['word']}»" in rows[entry["status"]], entry
    for entry in raw["channels"]:
        assert f"«{entry['word']}»" in rows[entry["channel"]], entry
    for entry in raw["fields"]:
        assert f"| {entry['name']} | {entry['field']} |" in readme, entry
