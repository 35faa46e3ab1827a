"""Files that are no files of data, and files the user may not read.

Opening a FIFO for reading waits for a writer forever, and a device never ends:
before this, `tthc check rong.xlsx` on a FIFO hung every command. Each command
is run in a thread; should it hang, the test writes into the FIFO to free it and
fails, so a regression is a red test, not a frozen suite. A file the user has no
right to read is said to be so, not called damaged; a Word template that is no
Word document is a message, not «Lỗi ngoài dự kiến»; and a unit name of 32.000
characters still makes a report (the document's properties hold 255 at most).
"""

from __future__ import annotations

import errno
import json
import os
import re
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from test_own_inputs_commands import seed_json, seed_workbook

from helpers import sample_data
from tthc.cli.commands import run
from tthc.infra.package_guard import read_limited
from tthc.workbook.reader import read_workbook

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="this system has no FIFOs")

FIFO_WORDS = "là đường ống FIFO, không phải tệp dữ liệu lưu trên ổ đĩa"
HANG_SECONDS = 30


def run_unhung(arguments: list[str], fifo: Path) -> int:
    """`tthc …` in a thread; a run still waiting after HANG_SECONDS fails the test."""
    outcome: list[int] = []
    worker = threading.Thread(target=lambda: outcome.append(run(arguments)), daemon=True)
    worker.start()
    worker.join(HANG_SECONDS)
    if worker.is_alive():
        with fifo.open("wb"):  # a writer comes and goes: the reader sees the end and returns
            pass
        worker.join(HANG_SECONDS)
        pytest.fail(f"tthc {' '.join(arguments)} hung on the FIFO {fifo.name}")
    return outcome[0]


def _dossiers(source: Path, folder: Path, *more: str) -> list[str]:
    """`tthc dossiers` of a list into the output folder."""
    return [
        "dossiers",
        str(source),
        *more,
        "--period",
        "2026-03",
        "--name",
        "X",
        "-o",
        str(folder / "ra.xlsx"),
    ]


Command = Callable[[Path, Path], list[str]]  # (the FIFO, a folder for outputs) -> arguments

COMMANDS: dict[str, tuple[str, Command]] = {
    "check a workbook": ("rong.xlsx", lambda f, d: ["check", str(f)]),
    "check a data file": ("rong.json", lambda f, d: ["check", str(f)]),
    "report a workbook": ("rong.xlsx", lambda f, d: ["report", str(f), "-o", str(d)]),
    "report --compare": (
        "thang2.xlsx",
        lambda f, d: ["report", str(d / "so-lieu.json"), "--compare", str(f), "-o", str(d)],
    ),
    "report --word-template": (
        "mau.docx",
        lambda f, d: ["report", str(d / "so-lieu.json"), "--word-template", str(f), "-o", str(d)],
    ),
    "export": ("rong.xlsx", lambda f, d: ["export", str(f), "-o", str(d / "ra.json")]),
    "import": (
        "phu-luc.xlsx",
        lambda f, d: [
            "import",
            str(f),
            "-o",
            str(d / "ra.xlsx"),
            "--name",
            "Bình Giang",
            "--period",
            "2026-03",
        ],
    ),
    "dossiers from a CSV list": (
        "ho-so.csv",
        lambda f, d: _dossiers(f, d),
    ),
    "dossiers from a workbook list": (
        "ho-so.xlsx",
        lambda f, d: _dossiers(f, d),
    ),
    "dossiers --aliases": (
        "ten-cot.json",
        lambda f, d: _dossiers(d / "ho-so.csv", d, "--aliases", str(f)),
    ),
    "rollup": (
        "thang1.json",
        lambda f, d: ["rollup", str(f), str(d / "so-lieu.json"), "-o", str(d / "quy.xlsx")],
    ),
}


@pytest.mark.parametrize("case", sorted(COMMANDS))
def test_a_fifo_is_refused_at_once(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    name, arguments = COMMANDS[case]
    fifo = tmp_path / name
    os.mkfifo(fifo)
    out = tmp_path / "ra"
    out.mkdir()
    (out / "so-lieu.json").write_bytes(seed_json())
    (out / "ho-so.csv").write_text("Mã hồ sơ,Ngày tiếp nhận\n", encoding="utf-8")
    before = sorted(p.name for p in out.iterdir())

    code = run_unhung(arguments(fifo, out), fifo)

    said = capsys.readouterr()
    err = said.out + said.err  # `check` lists its findings on stdout
    assert code != 0
    assert f"«{name}» {FIFO_WORDS}" in err
    assert "Lỗi ngoài dự kiến" not in err
    assert sorted(p.name for p in out.iterdir()) == before  # nothing written


def test_a_device_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    device = Path(os.devnull)
    assert run(["check", str(device)]) == 2
    said = capsys.readouterr()
    assert f"«{device.name}» là tệp thiết bị, không phải tệp dữ liệu" in said.out + said.err


def test_read_limited_never_opens_a_fifo(tmp_path: Path) -> None:
    from tthc.infra.package_guard import Refused

    fifo = tmp_path / "so-lieu.json"
    os.mkfifo(fifo)
    with pytest.raises(Refused, match="đường ống"):
        read_limited(fifo, 1024, "một tệp số liệu")
    with pytest.raises(IsADirectoryError):
        read_limited(tmp_path, 1024, "một tệp số liệu")


def _deny(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    """Reading `denied` fails as it does for a user without the right (tests may run as root)."""
    real_open = os.open

    def guarded_open(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if Path(os.fsdecode(path)).resolve() == denied.resolve():  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", guarded_open)


@pytest.mark.parametrize("suffix", [".xlsx", ".json"])
def test_a_file_without_the_right_to_read_is_not_called_damaged(
    suffix: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"so-lieu{suffix}"
    source.write_bytes(seed_workbook() if suffix == ".xlsx" else seed_json())
    _deny(monkeypatch, source)

    assert run(["check", str(source)]) == 2

    said = capsys.readouterr()
    err = said.out + said.err
    assert f"Không có quyền đọc tệp «{source.name}»" in err
    assert "hỏng" not in err


def test_the_workbook_reader_names_the_missing_right(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "so-lieu.xlsx"
    source.write_bytes(seed_workbook())
    _deny(monkeypatch, source)
    loaded = read_workbook(source)
    assert loaded.report is None
    assert [f.message for f in loaded.findings] == [
        "Không có quyền đọc tệp «so-lieu.xlsx»; hãy kiểm tra quyền truy cập của tệp (hoặc "
        "đóng chương trình đang khoá tệp) rồi thử lại."
    ]


def test_a_word_template_that_is_no_word_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "so-lieu.json"
    data.write_bytes(seed_json())
    template = tmp_path / "mau.docx"
    template.write_text("không phải Word", encoding="utf-8")
    out = tmp_path / "ra"

    code = run(["report", str(data), "--word-template", str(template), "-o", str(out)])

    err = capsys.readouterr().err
    assert code == 2
    assert "Mẫu văn bản Word không dùng được: Tệp «mau.docx» không phải văn bản Word" in err
    assert "Lỗi ngoài dự kiến" not in err
    assert not out.exists() or not any(out.iterdir())


def test_a_unit_name_of_32000_characters_still_makes_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = sample_data()
    name = "Bình Giang " * 2910  # 32.010 characters
    data["unit"]["name"] = name
    data["unit"]["parent_body"] = f"UBND xã {name}"
    source = tmp_path / "so-lieu.json"
    source.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "ra"

    code = run(["report", str(source), "-o", str(out)])

    err = capsys.readouterr().err
    assert code == 0, err
    (document,) = out.glob("*.docx")
    assert len(document.name.encode("utf-8")) <= 255
    with zipfile.ZipFile(document) as package:
        core = package.read("docProps/core.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    subject = core.split("<dc:subject>", 1)[1].split("</dc:subject>", 1)[0]
    assert len(subject) == 255 and subject.endswith("BÌNH …")  # the appendix title, cut
    text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", body))
    assert name.strip().upper() in text  # the report keeps it whole (the appendix's title)
