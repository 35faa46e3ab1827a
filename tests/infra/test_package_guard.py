"""The pre-flight check of workbook files: real bytes in, real outcomes out.

Every file here is built byte by byte or by the programs that write them
(openpyxl, the template, msoffcrypto for a password): an OLE header, a zip whose
directory lies about a part's size, a deflate bomb, a sheet too long or reaching
too far, a link to another workbook; and the readers that use the check are run
on some of them.
"""

from __future__ import annotations

import io
import random
import struct
import tracemalloc
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from helpers import sample_data
from strategies import examples
from tthc.core.findings import Severity
from tthc.core.model import ReportInput
from tthc.core.report_data import load_report
from tthc.imports import dossier_list
from tthc.imports.dossier_list import read_dossiers
from tthc.imports.form_tables import import_grid
from tthc.infra.package_guard import (
    DOSSIER_LIST,
    FORM_EXPORT,
    TEMPLATE,
    Checked,
    Limits,
    Refused,
    _beyond,
    _ole_names,
    _Scan,
    check_workbook,
)
from tthc.workbook.output import workbook_bytes
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

CANNOT = "Không mở được tệp (thông báo riêng của trình đọc)."
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_END, _FREE, _FAT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


@pytest.fixture(scope="module")
def template() -> bytes:
    """A filled workbook of the template, as `tthc template`/`tthc demo` write it."""
    report = load_report(sample_data()).report
    assert isinstance(report, ReportInput)
    return workbook_bytes(build_workbook(report))


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _refusal(path: Path, limits: Limits) -> str:
    with pytest.raises(Refused) as refused:
        check_workbook(path, limits, CANNOT)
    return str(refused.value)


# --- building files -----------------------------------------------------------------------


def compound_file(streams: list[str]) -> bytes:
    """A minimal valid OLE compound file (MS-CFB v3) whose root holds empty `streams`.

    Header, one FAT sector, one directory sector: what olefile and calamine
    open, so the check is tested on the structure, not on a byte pattern.
    """
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    struct.pack_into("<5H", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    # directory sectors (v3: 0), FAT sectors, first directory sector, transaction,
    # mini-stream cutoff, first mini-FAT sector, mini-FAT sectors, first DIFAT sector
    struct.pack_into("<8L", header, 40, 0, 1, 1, 0, 4096, _END, 0, _END)
    struct.pack_into("<109L", header, 76, 0, *([_FREE] * 108))
    fat = struct.pack("<128L", _FAT, _END, *([_FREE] * 126))

    def entry(name: str, kind: int, child: int = _NONE, right: int = _NONE) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\0\0"
        raw[: len(encoded)] = encoded
        struct.pack_into("<HBB3L", raw, 64, len(encoded), kind, 1, _NONE, right, child)
        struct.pack_into("<LQ", raw, 116, _END, 0)
        return bytes(raw)

    entries = [entry("Root Entry", 5, child=1 if streams else _NONE)]
    for number, name in enumerate(streams, 1):
        entries.append(entry(name, 2, right=number + 1 if number < len(streams) else _NONE))
    directory = b"".join(entries).ljust(512, b"\0")
    assert len(directory) == 512, "four entries at most in this builder"
    return bytes(header) + fat + directory


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size rewritten in both its headers (CRC kept)."""
    out = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    struct.pack_into("<L", out, info.header_offset + 22, size)
    at = out.index(b"PK\x01\x02")
    while at >= 0:
        name_length = struct.unpack_from("<H", out, at + 28)[0]
        if bytes(out[at + 46 : at + 46 + name_length]) == name.encode():
            struct.pack_into("<L", out, at + 24, size)
            return bytes(out)
        at = out.find(b"PK\x01\x02", at + 46)
    raise AssertionError(name)


def with_part(data: bytes, name: str, content: bytes) -> bytes:
    """The zip with one more part (deflated)."""
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def rewrite(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The zip with one part changed (every part deflated again)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


def sheet_workbook(fill: dict[str, object], title: str = "Danh sách") -> bytes:
    """A one-sheet workbook written by openpyxl with the given cells."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for address, value in fill.items():
        sheet[address] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- what passes --------------------------------------------------------------------------


@pytest.mark.parametrize("limits", [TEMPLATE, FORM_EXPORT, DOSSIER_LIST], ids=lambda x: x.what)
def test_the_template_workbook_passes(tmp_path: Path, template: bytes, limits: Limits) -> None:
    path = _write(tmp_path, "BaoCaoTTHC.xlsx", template)
    assert check_workbook(path, limits, CANNOT) == Checked("zip", ())


def test_an_excel_97_workbook_goes_on_only_to_readers_of_xls(tmp_path: Path) -> None:
    data = compound_file(["Workbook", "SummaryInformation"])
    olefile = pytest.importorskip("olefile")
    assert olefile.OleFileIO(data).exists("Workbook")  # a real compound file
    path = _write(tmp_path, "so-lieu.xls", data)
    assert check_workbook(path, FORM_EXPORT, CANNOT) == Checked("xls")
    assert check_workbook(path, DOSSIER_LIST, CANNOT) == Checked("xls")
    message = _refusal(path, TEMPLATE)
    assert "«so-lieu.xls»" in message and "Excel 97–2003 (.xls)" in message


# --- OLE files that are no workbook to read -----------------------------------------------


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    path = _write(tmp_path, "mat-khau.xlsx", compound_file(["EncryptionInfo", "EncryptedPackage"]))
    for limits in (TEMPLATE, FORM_EXPORT, DOSSIER_LIST):
        message = _refusal(path, limits)
        assert message.startswith("Tệp «mat-khau.xlsx» được mã hoá bằng mật khẩu")


def test_a_workbook_encrypted_by_an_office_program(tmp_path: Path, template: bytes) -> None:
    """What Excel writes for «Mã hoá bằng mật khẩu», made by msoffcrypto's encryptor."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    olefile = pytest.importorskip("olefile")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(template)).encrypt("mật khẩu", out)
    data = out.getvalue()
    listed = {"/".join(entry).casefold() for entry in olefile.OleFileIO(data).listdir()}
    names = _ole_names(data)
    assert names is not None
    assert {name.split("/")[-1] for name in listed} <= names  # the same directory
    path = _write(tmp_path, "BaoCao.xlsx", data)
    assert "được mã hoá bằng mật khẩu" in _refusal(path, FORM_EXPORT)


def test_a_bare_ole_header_never_reaches_an_engine(tmp_path: Path) -> None:
    """The header alone (as in the untrusted-files test): no directory to follow."""
    header = bytearray(512)
    header[:8] = OLE_MAGIC
    header[24:34] = bytes.fromhex("3e000300feff09000600")
    bare = bytes(header) + b"\x00" * 3584
    assert _ole_names(bare) is None
    message = _refusal(_write(tmp_path, "hong.xls", bare), FORM_EXPORT)
    assert message.startswith("Tệp «hong.xls» là tệp Office dạng cũ")
    hinted = bytes(header) + b"EncryptionInfo\x00EncryptedPackage\x00" + b"\x00" * 3584
    assert "mã hoá bằng mật khẩu" in _refusal(_write(tmp_path, "b.xlsx", hinted), FORM_EXPORT)


def test_another_office_document_is_no_workbook(tmp_path: Path) -> None:
    path = _write(tmp_path, "van-ban.xls", compound_file(["WordDocument", "1Table"]))
    assert "không phải sổ tính Excel" in _refusal(path, DOSSIER_LIST)


# --- sizes ----------------------------------------------------------------------------------


def test_empty_and_foreign_files(tmp_path: Path) -> None:
    assert _refusal(_write(tmp_path, "rong.xlsx", b""), TEMPLATE) == (
        "Tệp «rong.xlsx» trống (0 byte), không phải sổ tính."
    )
    assert _refusal(_write(tmp_path, "a.xlsx", b"%PDF-1.7\n"), TEMPLATE) == CANNOT
    assert _refusal(_write(tmp_path, "b.xlsx", b"PK\x03\x04 not a zip"), TEMPLATE) == CANNOT


def test_a_file_over_the_size_cap(tmp_path: Path, template: bytes) -> None:
    small = replace(TEMPLATE, file_bytes=10_000)
    message = _refusal(_write(tmp_path, "lon.xlsx", template), small)
    size = -(-len(template) // 1024)
    assert message.startswith(f"Tệp «lon.xlsx» quá lớn ({size} kB, tối đa 10 kB đối với một")


def test_declared_sizes_over_the_cap_are_refused_before_inflating(
    tmp_path: Path, template: bytes
) -> None:
    data = patch_declared_size(template, "xl/styles.xml", 2_000_000_000)
    message = _refusal(_write(tmp_path, "bom.xlsx", data), TEMPLATE)
    assert message.startswith("Tệp «bom.xlsx» khi giải nén lớn hơn 100 MB")


@pytest.mark.parametrize("declared", [100, 10_000_000])
def test_a_part_whose_declared_size_lies(tmp_path: Path, template: bytes, declared: int) -> None:
    """A CRC-correct part that inflates to more (or less) than its headers say."""
    data = with_part(template, "xl/media/image1.png", bytes(range(256)) * 4096)  # 1 MB
    path = _write(
        tmp_path, "noi-doi.xlsx", patch_declared_size(data, "xl/media/image1.png", declared)
    )
    assert _refusal(path, TEMPLATE) == CANNOT


def test_a_deflate_bomb_part_is_inflated_in_pieces_and_stopped(
    tmp_path: Path, template: bytes
) -> None:
    """64 MB of zeros declared as 1 kB: stopped at the part cap, never held whole."""
    zeros = bytes(64 * 1024 * 1024)
    data = patch_declared_size(
        with_part(template, "xl/media/bom.bin", zeros), "xl/media/bom.bin", 1024
    )
    path = _write(tmp_path, "bom.xlsx", data)
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        message = _refusal(path, replace(TEMPLATE, part_bytes=8 * 1024 * 1024))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert message.startswith("Tệp «bom.xlsx» khi giải nén lớn hơn 8 MB")
    assert peak < 8 * 1024 * 1024  # pieces of 1 MB, not the 64 MB


def test_a_damaged_part_is_refused(tmp_path: Path, template: bytes) -> None:
    data = bytearray(template)
    with zipfile.ZipFile(io.BytesIO(template)) as archive:
        info = archive.getinfo("xl/styles.xml")
    name_length, extra_length = struct.unpack_from("<HH", data, info.header_offset + 26)
    data[info.header_offset + 30 + name_length + extra_length + 20] ^= 0xFF  # deflate data
    assert _refusal(_write(tmp_path, "hong.xlsx", bytes(data)), TEMPLATE) == CANNOT


def test_too_many_parts_and_twin_parts(tmp_path: Path, template: bytes) -> None:
    message = _refusal(_write(tmp_path, "nhieu.xlsx", template), replace(TEMPLATE, parts=5))
    assert message.startswith("Tệp «nhieu.xlsx» có quá nhiều thành phần")
    with pytest.warns(UserWarning, match="Duplicate name"):
        twins = with_part(template, "xl/workbook.xml", b"<workbook/>")
    assert _refusal(_write(tmp_path, "doi.xlsx", twins), TEMPLATE) == CANNOT


# --- sheets -------------------------------------------------------------------------------


def test_a_sheet_with_too_many_rows_is_named(tmp_path: Path) -> None:
    data = sheet_workbook({f"A{row}": row for row in range(1, 102)})
    path = _write(tmp_path, "ds.xlsx", data)
    assert check_workbook(path, replace(TEMPLATE, rows=101), CANNOT) == Checked("zip", ())
    message = _refusal(path, replace(TEMPLATE, rows=100))
    assert message.startswith("Trang «Danh sách» của tệp «ds.xlsx» có hơn 100 dòng")


def test_one_far_cell_is_refused_before_an_engine_builds_the_grid(tmp_path: Path) -> None:
    """calamine would allocate XFD5000 (82 million cells) and abort the process."""
    path = _write(tmp_path, "xa.xlsx", sheet_workbook({"A1": "STT", "XFD5000": 1}))
    message = _refusal(path, DOSSIER_LIST)
    assert message.startswith("Trang «Danh sách» của tệp «xa.xlsx» có dữ liệu hoặc ô gộp")
    assert "tới ô XFD5000" in message
    result = read_workbook(path)
    assert [f.severity for f in result.findings] == [Severity.ERROR]
    assert "XFD5000" in result.findings[0].message


def test_a_huge_merged_range_counts(tmp_path: Path) -> None:
    """openpyxl makes a cell for each cell of a merged range."""
    data = rewrite(
        sheet_workbook({"A1": 1}),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b"</sheetData>",
            b'</sheetData><mergeCells count="1"><mergeCell ref="B2:Z100000"/></mergeCells>',
        ),
    )
    path = _write(tmp_path, "gop.xlsx", data)
    assert "tới ô Z100000" in _refusal(path, TEMPLATE)


SHEET_XML = (
    b'<?xml version="1.0"?><x:worksheet xmlns:x="main"><x:sheetData>'
    b'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
    b"<row><c t='s'><v>2</v></c></row>"  # no row number: counted all the same
    b"<row\tr = '7' spans=\"1:3\"><c r='C7'/></row>"  # a styled empty cell: no content
    b'<row r="8"/>'
    b'<row r="9"><c r="B9"><f>SUM(A1:A8)</f></c></row>'  # a formula is content
    b'<row r="1048576" customFormat="false" ht="12.8" hidden="false"></row>'  # LibreOffice
    b"</x:sheetData><mergeCells><mergeCell ref='D2:E40'/></mergeCells>"
    b'<rowBreaks count="1"/></x:worksheet>'
)
DRAWING_XML = b"<xdr:from><xdr:col>3</xdr:col><xdr:row>5</xdr:row></xdr:from>"


def test_the_scan_reads_rows_and_corners_whatever_the_pieces() -> None:
    whole = _Scan()
    whole.feed(SHEET_XML)
    whole.close()
    # Rows with content: 1, the unnumbered one and 9; empty rows (7, 8, LibreOffice's
    # 1048576) count for nothing, but C7 is a cell all the same and the merge reaches row 40.
    assert (whole.rows, whole.last_row, whole.far_row, whole.far_column) == (3, 9, 40, 5)
    generator = random.Random(7)
    for _ in range(50):
        scan, at = _Scan(), 0
        while at < len(SHEET_XML):
            step = generator.randint(1, 12)
            scan.feed(SHEET_XML[at : at + step])
            at += step
        scan.close()
        assert (scan.rows, scan.last_row, scan.far_row, scan.far_column) == (3, 9, 40, 5)
    drawing = _Scan()
    drawing.feed(DRAWING_XML)
    drawing.close()
    assert drawing.rows == 0  # a drawing's anchor row is no sheet row


def test_a_cell_is_found_across_pieces_and_long_runs_of_spaces() -> None:
    """Pieces of 1 MB, as inflated: a far cell cut in two, or lost in spaces, still counts."""
    spaces = b" " * (3 << 20)
    for filler in (spaces, spaces[:-7]):
        for cell, last_row in ((b'<c r="XFD5000"><v>1</v></c>', 5000), (b'<c r="XFD5000"/>', 1)):
            xml = b"<sheetData><row r='1'>" + filler + cell + spaces + b"</row>"
            scan = _Scan()
            for at in range(0, len(xml), 1 << 20):
                scan.feed(xml[at : at + (1 << 20)])
            scan.close()
            # An empty cell is no row with content, but still the farthest cell.
            assert (scan.rows, scan.last_row) == (1, last_row)
            assert (scan.far_row, scan.far_column) == (5000, 16384)
    endless = _Scan()
    endless.feed(b'<row r="1" x="' + spaces[: (1 << 20) - 100])
    with pytest.raises(ValueError, match="tag longer"):
        endless.feed(spaces[:200])


# --- the readers --------------------------------------------------------------------------


def test_readers_name_a_password_protected_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "mat-khau.xlsx", compound_file(["EncryptionInfo", "EncryptedPackage"]))
    for findings in (
        import_grid(path).findings,
        read_dossiers(path).findings,
        read_workbook(path).findings,
    ):
        assert [f.severity for f in findings] == [Severity.ERROR]
        assert findings[0].message.startswith("Tệp «mat-khau.xlsx» được mã hoá bằng mật khẩu")


def test_an_xls_file_still_goes_to_calamine(tmp_path: Path) -> None:
    """An Excel 97 file passes the check; this one holds no sheet, so no grid is found."""
    path = _write(tmp_path, "bieu.xls", compound_file(["Workbook"]))
    assert [f.code for f in import_grid(path).findings] == ["import.no_grid"]


def test_import_warns_of_links_to_other_workbooks(tmp_path: Path, template: bytes) -> None:
    target = "file:///C:/Users/van-thu/S%E1%BB%91%20li%E1%BB%87u%20th%C3%A1ng%203.xlsx"
    data = with_part(template, "xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    data = with_part(
        data,
        "xl/externalLinks/_rels/externalLink1.xml.rels",
        b'<Relationships><Relationship Id="rId1" Type="externalLinkPath" Target="'
        + target.encode()
        + b'" TargetMode="External"/></Relationships>',
    )
    path = _write(tmp_path, "lien-ket.xlsx", data)
    assert check_workbook(path, FORM_EXPORT, CANNOT).links == ("Số liệu tháng 3.xlsx",)
    result = import_grid(path)
    assert result.rows
    warning = result.findings[0]
    assert (warning.severity, warning.code) == (Severity.WARNING, "file.external_links")
    assert "liên kết tới 1 tệp khác («Số liệu tháng 3.xlsx»)" in warning.message
    assert "giá trị được lưu lần cuối" in warning.message


def _linked_to(data: bytes, number: int, target: str) -> bytes:
    data = with_part(data, f"xl/externalLinks/externalLink{number}.xml", b"<externalLink/>")
    return with_part(
        data,
        f"xl/externalLinks/_rels/externalLink{number}.xml.rels",
        b'<Relationships><Relationship Id="rId1" Type="externalLinkPath" Target="'
        + target.encode()
        + b'" TargetMode="External"/></Relationships>',
    )


def test_the_add_in_s_own_link_is_no_stale_data(tmp_path: Path, template: bytes) -> None:
    """Excel saves each =TTHC_…() call as a link to tthc.xlam («[1]!TTHC_RATE(…)»).

    A clerk's workbook saved with the add-in must not be told its figures may be
    stale: no value comes from the add-in. A link to a data file still is told.
    """
    addin = "file:///C:\\Users\\van-thu\\AppData\\Roaming\\Microsoft\\Excel\\XLSTART\\TTHC.xlam"
    saved = _write(tmp_path, "luu-trong-excel.xlsx", _linked_to(template, 1, addin))
    assert check_workbook(saved, FORM_EXPORT, CANNOT).links == ("TTHC.xlam",)
    assert not [f for f in read_workbook(saved).findings if f.code == "file.external_links"]
    both = _linked_to(_linked_to(template, 1, addin), 2, "file:///D:/so-lieu/thang-3.xlsx")
    linked = _write(tmp_path, "co-lien-ket.xlsx", both)
    (warning,) = [f for f in read_workbook(linked).findings if f.code == "file.external_links"]
    assert "liên kết tới 1 tệp khác («thang-3.xlsx»)" in warning.message
    assert "tthc.xlam" not in warning.message.casefold()


def test_a_csv_list_is_capped_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lines = ["Mã hồ sơ,Lĩnh vực,Kênh nộp,Ngày tiếp nhận,Ngày hẹn trả,Ngày kết thúc,Trạng thái"]
    lines += [
        f"H{n},Hộ tịch,Trực tuyến,02/03/2026,05/03/2026,04/03/2026,Đã giải quyết" for n in range(20)
    ]
    path = _write(tmp_path, "ds.csv", "\n".join(lines).encode("utf-8"))
    assert len(read_dossiers(path).records) == 20
    monkeypatch.setattr(dossier_list, "DOSSIER_LIST", replace(DOSSIER_LIST, rows=15))
    (finding,) = read_dossiers(path).findings
    assert finding.severity is Severity.ERROR
    assert finding.message.startswith("Tệp «ds.csv» có hơn 15 dòng")
    monkeypatch.setattr(dossier_list, "DOSSIER_LIST", replace(DOSSIER_LIST, file_bytes=100))
    (finding,) = read_dossiers(path).findings
    assert finding.message.startswith("Tệp «ds.csv» quá lớn")


def test_a_dossier_workbook_over_its_row_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "ds.xlsx", sheet_workbook({f"A{row}": row for row in range(1, 40)}))
    monkeypatch.setattr(dossier_list, "DOSSIER_LIST", replace(DOSSIER_LIST, rows=30))
    finding = read_dossiers(path).findings[-1]
    assert (finding.severity, finding.code) == (Severity.ERROR, "dossiers.file")
    assert "Trang «Danh sách» của tệp «ds.xlsx» có hơn 30 dòng" in finding.message


def test_a_part_scanned_before_gives_the_same_verdict_under_each_cap(tmp_path: Path) -> None:
    """Parts are scanned once per identical bytes and caps (a province's common parts)."""
    from tthc.infra import package_guard

    book = Workbook()
    for row in range(1, 61):
        book.active.cell(row, 1, row)
    path = tmp_path / "sixty.xlsx"
    book.save(path)
    roomy, tight = replace(TEMPLATE, rows=100), replace(TEMPLATE, rows=50)
    package_guard._SCANNED.clear()
    check_workbook(path, roomy, "x")
    kept = len(package_guard._SCANNED)
    assert kept > 0
    check_workbook(path, roomy, "x")  # the same bytes: no new entry, the same verdict
    assert len(package_guard._SCANNED) == kept
    sizes = []
    for _ in range(2):  # a tighter cap is another key, and the refused sheet is never kept
        with pytest.raises(Refused, match="50"):
            check_workbook(path, tight, "x")
        sizes.append(len(package_guard._SCANNED))
    assert kept < sizes[0] == sizes[1]  # the parts that passed, kept once under the new cap


def _prefixed(xml: bytes) -> bytes:
    """The same sheet with a namespace prefix on every row and cell tag (`<x:row>`,
    `<x:c>`): the scan must then take its general patterns, not the plain twins."""
    for tag in (b"row", b"c"):
        xml = xml.replace(b"<" + tag + b" ", b"<x:" + tag + b" ")
        xml = xml.replace(b"<" + tag + b">", b"<x:" + tag + b">")
        xml = xml.replace(b"</" + tag + b">", b"</x:" + tag + b">")
    return xml


def _scanned_numbers(xml: bytes, row_limit: int | None = None) -> tuple[int, int, int, int]:
    scan = _Scan(row_limit)
    scan.feed(xml)
    scan.close()
    return scan.rows, scan.last_row, scan.far_row, scan.far_column


_ADDRESS = st.tuples(st.sampled_from(["A", "M", "Z", "AA", "XFD", ""]), st.integers(0, 250_000))


@given(
    rows=st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(1, 250_000)),  # the row's number, if written
            st.lists(
                st.tuples(
                    _ADDRESS,
                    st.sampled_from(["value", "styled", "formula"]),
                    st.sampled_from(['"', "'", '" ']),  # quotes; a space inside
                    st.booleans(),  # the address first, or after the style
                ),
                max_size=4,
            ),
        ),
        max_size=12,
    ),
    row_limit=st.sampled_from([None, 1_000, 200_000]),
)
@settings(max_examples=examples(1.0), deadline=None)
def test_the_plain_patterns_find_what_the_general_ones_find(
    rows: list[tuple[int | None, list]], row_limit: int | None
) -> None:
    """Cells out of their row, far below it, unnumbered rows, single quotes, attributes in
    another order: the scan of plain markup equals that of the same markup with a prefix."""
    pieces = [b"<sheetData>"]
    for number, cells in rows:
        pieces.append(b"<row>" if number is None else b'<row r="%d">' % number)
        for (letters, row), kind, quote, address_first in cells:
            address = b"r=%s%s%d%s" % (quote[0].encode(), letters.encode(), row, quote[0].encode())
            if quote == '" ':
                address = b'r=" %s%d"' % (letters.encode(), row)
            attributes = address + b' s="3"' if address_first else b's="3" ' + address
            body = {"value": b"<v>1</v>", "formula": b"<f>A1</f><v>2</v>", "styled": None}[kind]
            pieces.append(b"<c " + attributes + (b"/>" if body is None else b">" + body + b"</c>"))
        pieces.append(b"</row>")
    plain = b"".join(pieces) + b"</sheetData>"
    assert _scanned_numbers(plain, row_limit) == _scanned_numbers(_prefixed(plain), row_limit)


def test_a_far_cell_in_an_early_row_is_found_by_the_plain_patterns() -> None:
    """The plain twin only looks for cells beyond the highest row with content: one there,
    or a row number with leading zeros, or an unnumbered row, sends it the exact way."""
    body = b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in range(1, 300))
    far = b'<row r="5"><c r="B1048576" s="1"/></row>'
    assert _scanned_numbers(b"<sheetData>" + body + far + b"</sheetData>")[2:] == (1048576, 2)
    zeros = b'<row r="6"><c r="C000001048"><v>1</v></c></row>'
    assert _scanned_numbers(b"<sheetData>" + body + zeros + b"</sheetData>")[1:] == (1048, 1048, 3)
    assert _scanned_numbers(b"<sheetData>" + body + b"</sheetData>") == (299, 299, 299, 1)


@pytest.mark.parametrize("bound", [1, 9, 10, 99, 100, 909, 1000, 20013, 199_999, 201_000])
def test_cells_beyond_a_row_are_told_exactly(bound: int) -> None:
    """`_beyond(n)` finds a cell tag iff its row is past n (leading zeros: always)."""
    pattern = _beyond(bound)
    numbers = {*range(max(bound - 1100, 1), bound + 1100), bound * 10, bound * 10 + 9, 10**9 - 1}
    for number in numbers:
        for letters in ("A", "XFD", ""):
            found = pattern.search(b'<c r="%s%d" s="1"/>' % (letters.encode(), number))
            assert (found is not None) == (number > bound), (bound, number)
    assert pattern.search(b'<c r="A0%d"/>' % bound) is not None  # sent the exact way


def test_a_part_of_known_markup_is_not_scanned_again_but_another_markup_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Units of one province: other figures and names, the same markup, one scan. A cell
    added far away, or a row more, is other markup: scanned, and refused past a cap."""
    from tthc.infra import package_guard

    def unit(path: Path, figures: int, far: str | None = None) -> Path:
        book = Workbook()
        sheet = book.active
        sheet["A1"] = f"UBND xã số {figures}"
        for row in range(2, 40):
            sheet.cell(row, 2, figures * row)
        if far is not None:
            sheet[far] = 1
        book.save(path)
        return path

    scans: list[int] = []
    real_feed = package_guard._Scan.feed

    def counted(self: _Scan, piece: bytes) -> None:
        if b"<sheetData" in piece:
            scans.append(len(piece))
        real_feed(self, piece)

    monkeypatch.setattr(package_guard._Scan, "feed", counted)
    package_guard._SKELETONS.clear()
    first = check_workbook(unit(tmp_path / "a.xlsx", 7), TEMPLATE, CANNOT)
    assert len(scans) == 1
    second = check_workbook(unit(tmp_path / "b.xlsx", 123), TEMPLATE, CANNOT)
    assert len(scans) == 1  # other bytes, same markup: taken from the first scan
    assert first.data != second.data
    narrow = replace(TEMPLATE, cells=2_000)  # 39 rows x 2 columns pass, a far cell does not
    check_workbook(unit(tmp_path / "c.xlsx", 5), narrow, CANNOT)
    with pytest.raises(Refused, match="Z100"):
        check_workbook(unit(tmp_path / "d.xlsx", 5, far="Z100"), narrow, CANNOT)
    short = replace(TEMPLATE, rows=39)
    check_workbook(unit(tmp_path / "e.xlsx", 9), short, CANNOT)
    with pytest.raises(Refused, match="39"):
        check_workbook(unit(tmp_path / "f.xlsx", 9, far="B40"), short, CANNOT)
