"""`tthc consolidate`: every entry of a folder is accounted for, and no input is written over.

A province's folder holds more than the units' .xlsx files: an .xls or .ods a
commune sent, a subfolder, a link to a file since moved, a FIFO, a note, Excel's
lock file, .DS_Store. Each is either read or named with its reason (or counted
among the hidden files), the last line adds them all up, and the consolidation's
«Tệp bị bỏ qua» sheet lists them. The output may be none of the inputs, even
with --force: not a file given, nor any file of a folder given, under any name.
"""

from __future__ import annotations

import os
import re
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import sample_data
from tthc.app import consolidate as consolidation
from tthc.cli.commands import run
from tthc.core.report_data import load_report
from tthc.workbook.output import workbook_bytes
from tthc.workbook.template import build_workbook

POSIX = pytest.mark.skipif(os.name != "posix", reason="FIFOs and symlinks as on Linux/macOS")


@pytest.fixture(scope="module")
def workbook_bytes_of() -> dict[str, bytes]:
    """A good workbook for each of three communes (the sample's figures)."""
    made = {}
    for name in ("Bình Giang", "Tân An", "Hoà Bình"):
        data = sample_data()
        data["unit"] = {"kind": "xã", "name": name}
        report = load_report(data).report
        assert report is not None
        made[name] = workbook_bytes(build_workbook(report))
    return made


@pytest.fixture(autouse=True)
def never_hang() -> Iterator[None]:
    """A test that opened a FIFO would wait for ever: fail it after 60 s instead."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def stop(_signal: int, _frame: object) -> None:
        raise TimeoutError("the command hung (a FIFO opened? a link loop followed?)")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, 60)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _mixed_folder(root: Path, books: dict[str, bytes]) -> Path:
    """One good workbook, and one of every other kind of entry a folder can hold."""
    folder = root / "cac-xa"
    folder.mkdir()
    (folder / "binh-giang.xlsx").write_bytes(books["Bình Giang"])
    (folder / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    (folder / "tan-an.ods").write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    sub = folder / "thang-truoc"
    sub.mkdir()
    (sub / "tan-an.xlsx").write_bytes(books["Tân An"])
    os.symlink(folder / "da-chuyen-di.xlsx", folder / "lien-ket-hong.xlsx")
    os.mkfifo(folder / "ong.xlsx")
    (folder / "ghi-chu.txt").write_text("nhớ gửi lại", encoding="utf-8")
    (folder / "~$binh-giang.xlsx").write_bytes(b"\x00" * 165)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


EXPECTED_REASONS = {
    "cu.xls": "Định dạng .xls chưa được hỗ trợ: hãy mở bằng Excel hoặc LibreOffice và lưu "
    "thành .xlsx.",
    "tan-an.ods": "Định dạng .ods chưa được hỗ trợ: hãy mở bằng Excel hoặc LibreOffice và lưu "
    "thành .xlsx.",
    "thang-truoc": "Thư mục con, chưa đọc (thêm --recursive để đọc cả thư mục con).",
    "lien-ket-hong.xlsx": "Liên kết tới tệp không còn.",
    "ong.xlsx": "Không phải tệp thông thường (đường ống FIFO); tệp không được mở.",
    "ghi-chu.txt": "Không phải sổ tính (chỉ đọc tệp .xlsx, .xlsm).",
    "~$binh-giang.xlsx": consolidation.EXCEL_LOCK,
}


@POSIX
def test_every_entry_of_a_folder_is_accounted_for(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _mixed_folder(tmp_path, workbook_bytes_of)
    target = tmp_path / "TongHop.xlsx"
    assert run(["consolidate", str(folder), "-o", str(target)]) == 1  # entries set aside
    lines = capsys.readouterr().out.splitlines()
    for name, reason in EXPECTED_REASONS.items():
        assert f"Bỏ qua {folder / name}: {reason}" in lines, name
    assert "Đã tổng hợp 1 đơn vị." in lines
    assert lines[-1] == (
        "Tổng cộng 9 mục: 1 đã cộng, 7 không đọc (không phải sổ tính .xlsx, .xlsm hoặc không "
        "đọc được, xem trên), 1 tệp ẩn, tệp hệ thống."
    )
    assert not any(".DS_Store" in line for line in lines[:-1])  # counted, not one line each
    aside = load_workbook(target)["Tệp bị bỏ qua"]
    rows = {
        Path(aside.cell(r, 2).value).name: (aside.cell(r, 3).value, aside.cell(r, 4).value)
        for r in range(2, aside.max_row + 1)
    }
    assert rows == {
        **{name: ("Không đọc", reason) for name, reason in EXPECTED_REASONS.items()},
        ".DS_Store": ("Tệp ẩn", consolidation.SYSTEM_FILE),
    }


@POSIX
def test_recursive_reads_the_subfolders(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _mixed_folder(tmp_path, workbook_bytes_of)
    deeper = folder / "thang-truoc" / "quy-1"
    deeper.mkdir()
    (deeper / "hoa-binh.xlsx").write_bytes(workbook_bytes_of["Hoà Bình"])
    target = tmp_path / "TongHop.xlsx"
    assert run(["consolidate", str(folder), "-r", "-o", str(target)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert "Đã tổng hợp 3 đơn vị." in lines
    assert not any("thang-truoc:" in line for line in lines)  # read, not set aside
    assert lines[-1].startswith("Tổng cộng 10 mục: 3 đã cộng, 6 không đọc")
    units = load_workbook(target)["Các đơn vị"]
    # Depth first, by name: thang-truoc/quy-1/ comes before thang-truoc/tan-an.xlsx.
    assert [units.cell(r, 2).value for r in range(2, 5)] == [
        "xã Bình Giang",
        "xã Hoà Bình",
        "xã Tân An",
    ]
    assert units.cell(3, 16).value == str(deeper / "hoa-binh.xlsx")


@POSIX
def test_link_loops_do_not_hang_and_a_file_counts_once(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes]
) -> None:
    folder = tmp_path / "vong"
    sub = folder / "con"
    sub.mkdir(parents=True)
    good = folder / "binh-giang.xlsx"
    good.write_bytes(workbook_bytes_of["Bình Giang"])
    os.symlink(folder, sub / "ve-thu-muc-cha")  # a loop through the parent
    os.symlink("tu-tro", folder / "tu-tro")  # a link to itself
    os.symlink(good, folder / "lien-ket.xlsx")  # the same file under a second name…
    os.link(good, sub / "lien-ket-cung.xlsx")  # …and a third, a hard link
    done = consolidation.consolidate([folder, good], workers=1, recursive=True)
    assert [u.unit for u in done.units] == ["xã Bình Giang"]
    assert done.skipped == () and done.refused == () and done.hidden == ()
    reasons = {item.path.relative_to(tmp_path).as_posix(): item.reason for item in done.not_read}
    first = f"Cùng một tệp với «{good}», đã tính một lần."
    assert reasons == {
        "vong/con/lien-ket-cung.xlsx": first,
        "vong/con/ve-thu-muc-cha": consolidation.SAME_FOLDER.format(first=folder),
        "vong/lien-ket.xlsx": first,
        "vong/tu-tro": consolidation.LINK_LOOP,
        "vong/binh-giang.xlsx": first,  # named again on the command line
    }
    assert done.entries == 6


def test_hidden_and_system_files_are_counted_apart(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "binh-giang.xlsx").write_bytes(workbook_bytes_of["Bình Giang"])
    (tmp_path / "Thumbs.db").write_bytes(b"\x00")
    (tmp_path / "desktop.ini").write_text("[.ShellClassInfo]", encoding="utf-8")
    (tmp_path / "._binh-giang.xlsx").write_bytes(b"\x00\x05\x16\x07")  # macOS on a USB stick
    (tmp_path / ".TongHop.xlsx.k3j9x_2a.tmp").write_bytes(b"PK")  # an interrupted write
    (tmp_path / ".an").mkdir()
    done = consolidation.consolidate([tmp_path], workers=1)
    assert [u.unit for u in done.units] == ["xã Bình Giang"] and done.not_read == ()
    assert {item.path.name: item.reason for item in done.hidden} == {
        "Thumbs.db": consolidation.SYSTEM_FILE,
        "desktop.ini": consolidation.SYSTEM_FILE,
        "._binh-giang.xlsx": consolidation.MAC_RESOURCE,
        ".TongHop.xlsx.k3j9x_2a.tmp": consolidation.TEMPORARY,
        ".an": consolidation.HIDDEN,
    }
    target = tmp_path.parent / f"{tmp_path.name}-TongHop.xlsx"
    assert run(["consolidate", str(tmp_path), "-o", str(target)]) == 0  # nothing set aside
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Tổng cộng 6 mục: 1 đã cộng, 5 tệp ẩn, tệp hệ thống."
    )


@POSIX
def test_files_given_by_name_are_never_opened_unless_regular(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "binh-giang.xlsx"
    good.write_bytes(workbook_bytes_of["Bình Giang"])
    os.mkfifo(tmp_path / "ong.xlsx")
    os.symlink(tmp_path / "khong-con.xlsx", tmp_path / "hong.xlsx")
    (tmp_path / "cu.ods").write_bytes(b"PK")
    names = ["binh-giang.xlsx", "ong.xlsx", "hong.xlsx", "cu.ods", "khong-co.xlsx"]
    target = tmp_path / "out" / "TongHop.xlsx"
    target.parent.mkdir()
    assert run(["consolidate", *(str(tmp_path / n) for n in names), "-o", str(target)]) == 1
    out = capsys.readouterr().out
    assert f"Bỏ qua {tmp_path / 'ong.xlsx'}: Không phải tệp thông thường" in out
    assert f"Bỏ qua {tmp_path / 'hong.xlsx'}: Liên kết tới tệp không còn." in out
    assert f"Bỏ qua {tmp_path / 'cu.ods'}: Định dạng .ods chưa được hỗ trợ" in out
    assert f"Bỏ qua {tmp_path / 'khong-co.xlsx'}: Không tìm thấy tệp." in out
    assert out.splitlines()[-1].startswith("Tổng cộng 5 mục: 1 đã cộng, 1 không dùng được")


def test_a_consolidation_in_its_own_folder_is_named_at_the_next_run(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    """Writing into the folder is fine (no input there has that name); the next run says what
    the file is, and refuses to write over it, since it is now an entry of the folder."""
    (tmp_path / "binh-giang.xlsx").write_bytes(workbook_bytes_of["Bình Giang"])
    target = tmp_path / "TongHop.xlsx"
    assert run(["consolidate", str(tmp_path), "-o", str(target)]) == 0
    capsys.readouterr()
    elsewhere = tmp_path.parent / f"{tmp_path.name}-lan-2.xlsx"
    assert run(["consolidate", str(tmp_path), "-o", str(elsewhere)]) == 1
    out = capsys.readouterr().out
    assert f"Bỏ qua {target}: {consolidation.CONSOLIDATION_FILE}" in out
    assert "Đã tổng hợp 1 đơn vị." in out
    before = target.read_bytes()
    assert run(["consolidate", str(tmp_path), "-o", str(target), "--force"]) == 2
    assert "là một tệp đầu vào" in capsys.readouterr().err
    assert target.read_bytes() == before


# --- the output is never an input -------------------------------------------------------------


def _variants(folder: Path, kind: str) -> tuple[Path, Path]:
    """(the input that would be lost, the -o that names it) for one way of naming a file."""
    unit = folder / "binh-giang.xlsx"
    if kind == "same path":
        return unit, unit
    if kind == "./ variant":
        return unit, folder / "." / "con" / ".." / "binh-giang.xlsx"
    if kind == "symlink":
        link = folder.parent / "lien-ket.xlsx"
        link.symlink_to(unit)
        return unit, link
    if kind == "hard link":
        link = folder.parent / "lien-ket-cung.xlsx"
        os.link(unit, link)
        return unit, link
    if kind == "another file of the folder":
        note = folder / "ghi-chu.txt"
        note.write_text("nhớ gửi lại", encoding="utf-8")
        return note, note
    raise AssertionError(kind)


KINDS = ["same path", "./ variant", "symlink", "hard link"]
# (the way -o names the input, how the input is given): only a folder has other files.
CASES = [(kind, given) for kind in KINDS for given in ("folder", "file")]
CASES.append(("another file of the folder", "folder"))


@pytest.mark.parametrize("force", [False, True], ids=["without --force", "with --force"])
@pytest.mark.parametrize(("kind", "given"), CASES)
def test_the_output_is_never_an_input(
    tmp_path: Path,
    workbook_bytes_of: dict[str, bytes],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    kind: str,
    given: str,
    force: bool,
) -> None:
    if kind in ("symlink", "hard link") and os.name != "posix":
        pytest.skip("links are made as on Linux/macOS")
    folder = tmp_path / "cac-xa"
    (folder / "con").mkdir(parents=True)
    (folder / "binh-giang.xlsx").write_bytes(workbook_bytes_of["Bình Giang"])
    (folder / "tan-an.xlsx").write_bytes(workbook_bytes_of["Tân An"])
    lost, out = _variants(folder, kind)
    before = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
    read = []
    monkeypatch.setattr(consolidation, "_read_one", lambda path: read.append(path))
    inputs = [str(folder)] if given == "folder" else [str(folder / "binh-giang.xlsx")]
    assert run(["consolidate", *inputs, "-o", str(out), *(["--force"] if force else [])]) == 2
    err = capsys.readouterr().err
    assert f"Tệp kết quả {out} là một tệp đầu vào" in err
    assert "kể cả khi có --force" in err
    if str(out) != str(lost):
        assert f"chính là tệp {lost}" in err
    assert read == []  # refused before any workbook was read
    assert {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()} == before
    assert not [p for p in tmp_path.rglob("*.tmp")]  # nor a temporary file left behind


def test_an_existing_output_is_refused_before_reading(
    tmp_path: Path, workbook_bytes_of: dict[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    """Not an input, but there already: without --force nothing is read (5.000 files…)."""
    folder = tmp_path / "cac-xa"
    folder.mkdir()
    (folder / "binh-giang.xlsx").write_bytes(workbook_bytes_of["Bình Giang"])
    target = tmp_path / "TongHop.xlsx"
    target.write_bytes(b"old")
    assert run(["consolidate", str(folder), "-o", str(target)]) == 2
    captured = capsys.readouterr()
    assert "đã có; thêm --force" in captured.err and captured.out == ""
    assert target.read_bytes() == b"old"
    assert run(["consolidate", str(folder), "-o", str(target), "--force"]) == 0
    assert load_workbook(target).sheetnames[0] == "Các đơn vị"


def test_help_names_the_recursive_option(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["consolidate", "--help"]) == 0
    text = capsys.readouterr().out
    assert re.search(r"-r, --recursive", text) and "thư mục con" in text
    assert sys.version_info >= (3, 11)
