"""The command line: every bad input of the core issue gives its message and exit code.

Each case starts from the seed's data, breaks one thing the way staff do, and
runs `tthc check` and `tthc report` as a user would (through `cli.run`, and the
installed console script for the end-to-end cases).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from helpers import sample_data
from tthc.cli.commands import run


def write(tmp_path: Path, data: Any, name: str = "so-lieu.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def row(data: dict[str, Any], field: str) -> dict[str, Any]:
    return next(r for r in data["appendix"]["rows"] if r["field"] == field)


def check(tmp_path: Path, data: Any, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = run(["check", str(write(tmp_path, data))])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


# --- the seed itself --------------------------------------------------------------


def test_check_of_the_seed_passes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(tmp_path, sample_data(), capsys)
    assert code == 0
    assert out.strip() == "Không phát hiện lỗi hay cảnh báo nào."


def test_report_writes_the_text_beside_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write(tmp_path, sample_data())
    assert run(["report", str(source)]) == 0
    written = tmp_path / "BaoCaoTTHC_xaBinhGiang_2026-03.txt"
    assert f"Đã ghi: {written}" in capsys.readouterr().out
    text = written.read_text(encoding="utf-8")
    assert "1.018/1.018 hồ sơ" in text
    # A second run refuses to overwrite without --force, and leaves the file as it was.
    written.write_text("bản đã sửa tay", encoding="utf-8")
    assert run(["report", str(source)]) == 2
    assert "--force" in capsys.readouterr().err
    assert written.read_text(encoding="utf-8") == "bản đã sửa tay"
    assert run(["report", str(source), "--force"]) == 0
    assert written.read_text(encoding="utf-8") == text


def test_report_to_another_folder_with_another_convention(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_data()
    for values, updated in zip(
        data["extra_inputs"]["departments"].values(), (1018, 74, 38), strict=True
    ):
        values["updated"] = updated  # in-period dossiers only, as QĐ 766 counts them
    source = write(tmp_path, data)
    out = tmp_path / "ket-qua"
    assert run(["report", str(source), "-o", str(out), "--convention", "qd766"]) == 0
    text = (out / "BaoCaoTTHC_xaBinhGiang_2026-03.txt").read_text(encoding="utf-8")
    assert "đạt 99,46% (" in text  # 1.124/1.130
    capsys.readouterr()


def test_demo_writes_the_report_and_its_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["demo", "--out", str(tmp_path / "demo")]) == 0
    out = capsys.readouterr().out
    report = tmp_path / "demo" / "BaoCaoTTHC_xaBinhGiang_2026-03.txt"
    data = tmp_path / "demo" / "SoLieu_xaBinhGiang_2026-03.json"
    assert f"Đã ghi: {report}" in out and f"Đã ghi: {data}" in out
    for name in (
        "BaoCaoTTHC_xaBinhGiang_2026-03.xlsx",
        "BaoCaoTTHC_xaBinhGiang_2026-03.docx",
        "SoLieu_xaBinhGiang_2026-03.xlsx",
    ):
        assert f"Đã ghi: {tmp_path / 'demo' / name}" in out
    pdf = tmp_path / "demo" / "BaoCaoTTHC_xaBinhGiang_2026-03.pdf"
    if __import__("shutil").which("soffice"):
        assert f"Đã ghi: {pdf}" in out
    else:
        assert "Chưa có LibreOffice nên chưa tạo bản PDF" in out
    golden = Path(__file__).parents[1] / "golden" / "binh_giang_2026_03.txt"
    assert report.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")
    # The data file and the filled workbook written beside it check clean.
    assert run(["check", str(data)]) == 0
    assert run(["check", str(tmp_path / "demo" / "SoLieu_xaBinhGiang_2026-03.xlsx")]) == 0
    # Running the demo again leaves what is there (a clerk may have typed into the sample
    # workbook) and says --force; with it the outputs are replaced.
    sample = tmp_path / "demo" / "SoLieu_xaBinhGiang_2026-03.xlsx"
    before = sample.read_bytes()
    capsys.readouterr()
    assert run(["demo", "--out", str(tmp_path / "demo")]) == 2
    refused = capsys.readouterr().err
    assert "SoLieu_xaBinhGiang_2026-03.xlsx" in refused and "--force" in refused
    assert sample.read_bytes() == before
    assert run(["demo", "--out", str(tmp_path / "demo"), "--force"]) == 0
    assert "Đang lập báo cáo mẫu" in capsys.readouterr().out


# --- each bad input of "Validation" -------------------------------------------------


def _broken(change: str) -> dict[str, Any]:
    data = sample_data()
    if change == "row_identity":
        row(data, "Hộ tịch")["received"] = 344
    elif change == "balance":
        row(data, "Đất đai")["pending_in_time"] = 2
    elif change == "total":
        data["appendix"]["total"]["received"] = 1133
    elif change == "negative":
        row(data, "Giáo dục")["refused"] = -1
    elif change == "fraction":
        row(data, "Giáo dục")["refused"] = 1.5
    elif change == "text_unit":
        row(data, "Giáo dục")["refused"] = "5 hs"
    elif change == "unknown_field":
        data["appendix"]["rows"].append({"field": "Thú y", "online": 1, "early": 1})
    elif change == "duplicate_field":
        data["appendix"]["rows"].append(dict(row(data, "Hộ tịch")))
    elif change == "numerator_over":
        data["extra_inputs"]["unit"]["paid_online"] = 700
    elif change == "dept_numerator_over":
        data["extra_inputs"]["departments"]["Phòng Kinh tế"]["digitised"] = 73
    return data


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            "row_identity",
            "Lỗi — lĩnh vực «Hộ tịch», cột (3): Cột (3) ghi 344 nhưng (4)+(5)+(6) = 343.",
        ),
        (
            "balance",
            "Lỗi — lĩnh vực «Đất đai», cột (3): Tổng tiếp nhận (3) = 10 khác đã giải quyết (7) = "
            "9 cộng đang giải quyết (13) = 2; cuối kỳ mỗi hồ sơ phải đã giải quyết hoặc đang giải "
            "quyết.",
        ),
        (
            "total",
            "Lỗi — dòng «Tổng cộng», cột (3): Dòng Tổng cộng cột (3) «Tổng số» ghi 1.133 nhưng "
            "tổng các lĩnh vực là 1.132.",
        ),
        (
            "negative",
            "Lỗi — lĩnh vực «Giáo dục», cột (11), mục «appendix.rows[4].refused»: Số hồ sơ không "
            "được âm (đang là -1).",
        ),
        (
            "fraction",
            "Lỗi — lĩnh vực «Giáo dục», cột (11), mục «appendix.rows[4].refused»: Số hồ sơ phải "
            "là số nguyên, không được là 1,5.",
        ),
        (
            "text_unit",
            "Lỗi — lĩnh vực «Giáo dục», cột (11), mục «appendix.rows[4].refused»: «5 hs» không "
            "phải là số; chỉ nhập chữ số (ví dụ 1.132).",
        ),
        (
            "unknown_field",
            "Lỗi — lĩnh vực «Thú y», cột (2): Lĩnh vực «Thú y» không có trong danh mục; hãy sửa "
            "tên lĩnh vực hoặc thêm lĩnh vực này vào danh mục cho đúng phòng chuyên môn.",
        ),
        (
            "duplicate_field",
            "Lỗi — lĩnh vực «Hộ tịch», cột (2): Lĩnh vực «Hộ tịch» xuất hiện nhiều lần; mỗi lĩnh "
            "vực chỉ ghi một dòng.",
        ),
        (
            "numerator_over",
            "Lỗi: Chỉ tiêu 1.2 (thanh toán trực tuyến) của toàn xã: số hồ sơ thanh toán trực "
            "tuyến là 700, lớn hơn tổng số hồ sơ có phí, lệ phí là 673 (cách tính theo mẫu).",
        ),
        (
            "dept_numerator_over",
            "Lỗi — «Phòng Kinh tế»: Chỉ tiêu 1.4 (số hóa hồ sơ, kết quả giải quyết) của «Phòng "
            "Kinh tế»: số hồ sơ được số hóa là 73, lớn hơn số hồ sơ đã giải quyết trước hạn, đúng "
            "hạn, quá hạn là 72 (cách tính theo mẫu).",
        ),
    ],
)
def test_errors_block_the_report(
    change: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = check(tmp_path, _broken(change), capsys)
    assert code == 1
    assert expected in out.splitlines(), out
    source = write(tmp_path, _broken(change), "bad.json")
    assert run(["report", str(source), "-o", str(tmp_path / "out")]) == 1
    assert "Chưa tạo báo cáo vì còn lỗi" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_text_numbers_are_read_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_data()
    row(data, "Chứng thực")["online"] = "675"
    data["appendix"]["rows"][0]["online"] = " 343 "
    data["appendix"]["total"]["received"] = "1.132"  # "1.132" means 1132
    code, out = check(tmp_path, data, capsys)
    assert code == 0
    assert (
        "Cảnh báo — dòng «Tổng cộng», cột (3), mục «appendix.total.received»: Số được nhập dưới "
        "dạng chữ «1.132», đã hiểu là 1132." in out.splitlines()
    )
    assert "Kết quả kiểm tra: 0 lỗi, 3 cảnh báo." in out


def test_blank_cells_count_as_zero_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_data()
    row(data, "Giáo dục")["pending_supplement"] = None
    del row(data, "Giáo dục")["withdrawn"]
    code, out = check(tmp_path, data, capsys)
    assert code == 0
    assert (
        "Cảnh báo — lĩnh vực «Giáo dục», cột (16), mục «appendix.rows[4].pending_supplement»: Ô "
        "để trống, được tính là 0." in out.splitlines()
    )
    assert "cột (12)" in out


def test_missing_extra_input_is_reported_and_never_invented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_data()
    for values in data["extra_inputs"]["departments"].values():
        del values["digitised"]
    del data["extra_inputs"]["unit"]["reused"]
    code, out = check(tmp_path, data, capsys)
    assert code == 0  # a warning: the report can still be written
    assert "chỉ tiêu 1.4 (số hóa hồ sơ, kết quả giải quyết) sẽ ghi «chưa có số liệu»." in out
    assert "chỉ tiêu 1.5 (khai thác, sử dụng lại thông tin số hóa) sẽ ghi" in out
    source = write(tmp_path, data, "thieu.json")
    assert run(["report", str(source)]) == 0
    text = (tmp_path / "BaoCaoTTHC_xaBinhGiang_2026-03.txt").read_text(encoding="utf-8")
    assert (
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của toàn xã: chưa có số liệu "
        "(số hồ sơ được số hóa)." in text
    )
    assert "- Phòng Kinh tế xã: chưa có số liệu (số hồ sơ được số hóa)." in text
    capsys.readouterr()


def test_field_names_are_normalised(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample_data()
    row(data, "Hộ tịch")["field"] = "  hộ  TỊCH "
    row(data, "Đất đai")["field"] = "Đa\u0302\u0301t đai"  # NFD, as pasted from a Mac
    row(data, "Chứng thực")["field"] = "Chư\u0301ng thư\u0323c"  # NFD
    code, out = check(tmp_path, data, capsys)
    assert code == 0
    assert "Tên lĩnh vực «hộ  TỊCH» được hiểu là «Hộ tịch»." in out
    assert "Kết quả kiểm tra: 0 lỗi, 1 cảnh báo." in out  # NFD text is simply NFC


# --- unusable inputs and usage: exit 2 ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{ not json", "Tệp không đúng định dạng JSON (dòng 1, cột 3). Chương trình đọc sổ tính"),
        ("[1, 2]", "Tệp số liệu phải là một đối tượng JSON {…}."),
        ('{"unit": {"kind": "thành phố", "name": "X"}}', "Giá trị «thành phố» không hợp lệ"),
    ],
)
def test_unusable_files_exit_2(
    content: str, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert run(["check", str(path)]) == 2
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("BaoCao.docx", b"PK\x03\x04word", "Đây là văn bản Word, không phải số liệu báo cáo."),
        ("BaoCao.pdf", b"%PDF-1.7", "Đây là tệp PDF, không phải số liệu báo cáo."),
        ("so-lieu.dat", b"\xff\xfe\x00", "Tệp không phải tệp số liệu JSON"),
    ],
)
def test_a_file_of_another_kind_is_named_with_what_is_accepted(
    name: str, content: bytes, expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tthc check BaoCao.docx` (the tool's own output picked by mistake) says what it is and
    which files the commands read, instead of «Tệp không phải văn bản UTF-8 (JSON)»."""
    path = tmp_path / name
    path.write_bytes(content)
    assert run(["check", str(path)]) == 2
    out = capsys.readouterr().out
    assert expected in out
    assert "sổ tính làm từ mẫu BaoCaoTTHC (.xlsx, .xlsm) hoặc tệp số liệu .json" in out


def test_end_before_start_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = sample_data()
    data["period"] = {"start": "2026-03-31", "end": "2026-03-01"}
    code, out = check(tmp_path, data, capsys)
    assert code == 2
    assert "Ngày kết thúc kỳ báo cáo (01/03/2026) trước ngày bắt đầu (31/03/2026)." in out


def test_missing_file_and_workbook_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["check", str(tmp_path / "khong-co.json")]) == 2
    assert "Không tìm thấy tệp." in capsys.readouterr().out
    workbook = tmp_path / "BaoCao.xlsx"
    workbook.write_bytes(b"PK")
    assert run(["report", str(workbook)]) == 2
    assert "Không mở được tệp như một sổ tính Excel (.xlsx)" in capsys.readouterr().out
    old = tmp_path / "BaoCao.xls"
    old.write_bytes(b"\xd0\xcf")
    assert run(["check", str(old)]) == 2
    assert "Chưa đọc được tệp .xls" in capsys.readouterr().out


def test_usage_errors_are_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check"]) == 2
    err = capsys.readouterr().err
    assert "Cách dùng:" in err
    assert "lỗi: thiếu tham số bắt buộc: TỆP" in err
    assert run(["lam-gi-do"]) == 2
    assert "lựa chọn 'lam-gi-do' không hợp lệ" in capsys.readouterr().err


@pytest.mark.parametrize("command", [[], ["demo"], ["check"], ["report"]])
def test_help_is_vietnamese(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert run([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cách dùng: tthc")
    assert "hiện hướng dẫn này rồi thoát" in out
    assert "show this help" not in out and "usage:" not in out


def test_the_installed_command_never_shows_a_traceback(tmp_path: Path) -> None:
    """End to end through a new interpreter: an output folder that is a file."""
    blocker = tmp_path / "ket-qua"
    blocker.write_text("", encoding="utf-8")
    source = write(tmp_path, sample_data())
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("TTHC_DEBUG", None)
    completed = subprocess.run(
        [sys.executable, "-m", "tthc", "report", str(source), "-o", str(blocker)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        check=False,
    )
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr + completed.stdout
    assert "Không ghi được" in completed.stderr and "ket-qua" in completed.stderr


# --- the Word report and its PDF ----------------------------------------------------


def test_report_writes_the_word_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    source = write(tmp_path, sample_data())
    assert run(["report", str(source), "-o", str(tmp_path / "out")]) == 0
    word = tmp_path / "out" / "BaoCaoTTHC_xaBinhGiang_2026-03.docx"
    assert f"Đã ghi: {word}" in capsys.readouterr().out
    text = "\n".join(p.text for p in Document(str(word)).paragraphs)
    assert "- Văn phòng HĐND-UBND xã: Đạt 100% (1.018/1.018 hồ sơ). Đạt chỉ tiêu giao." in text


def test_pdf_needs_libreoffice_and_writes_nothing_without_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import tthc.app.outputs

    monkeypatch.setattr(tthc.app.outputs, "find_soffice", lambda: None)
    source = write(tmp_path, sample_data())
    out = tmp_path / "out"
    assert run(["report", str(source), "-o", str(out), "--pdf"]) == 2
    err = capsys.readouterr().err
    assert "Không tìm thấy LibreOffice" in err and "bỏ --pdf" in err
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.skipif(
    __import__("shutil").which("soffice") is None,
    reason="LibreOffice (soffice) chưa được cài: bỏ qua phần xuất PDF.",
)
def test_report_with_pdf(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path, sample_data())
    assert run(["report", str(source), "-o", str(tmp_path / "out"), "--pdf"]) == 0
    pdf = tmp_path / "out" / "BaoCaoTTHC_xaBinhGiang_2026-03.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "BaoCaoTTHC_xaBinhGiang_2026-03.docx",
        "BaoCaoTTHC_xaBinhGiang_2026-03.pdf",
        "BaoCaoTTHC_xaBinhGiang_2026-03.txt",
        "BaoCaoTTHC_xaBinhGiang_2026-03.xlsx",
    ]  # no scratch files left behind
    capsys.readouterr()


def test_a_word_template_without_our_styles_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from docx import Document

    template = tmp_path / "mau-khac.docx"
    Document().save(str(template))
    source = write(tmp_path, sample_data())
    args = ["report", str(source), "-o", str(tmp_path / "out"), "--word-template", str(template)]
    assert run(args) == 2
    assert "Mẫu văn bản Word không dùng được" in capsys.readouterr().err
