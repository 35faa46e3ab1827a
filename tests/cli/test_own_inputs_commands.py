"""No command ever writes over one of its own inputs, even with --force.

For every command that reads a file of the user's, each input in turn is made to
be one of the files the command would write: named by the same path, by a
``./`` variant, through a symbolic link and through a hard link, each with and
without ``--force``. Every time the command refuses with exit code 2 and a
Vietnamese message naming the output, and nothing at all changes on disk: the
input keeps its bytes and its mtime, and no other file appears.

`demo` and `template` read nothing of the user's, so they have no input to protect.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pytest
from test_rollup import quarter_months

from helpers import sample_data
from tthc.cli.commands import run
from tthc.core.report_data import load_report
from tthc.workbook.output import workbook_bytes
from tthc.workbook.template import build_workbook

VARIANTS = ("same", "dot", "symlink", "hardlink")
REFUSED = "không ghi đè tệp đầu vào, kể cả khi có --force"
MARCH_STEM = "BaoCaoTTHC_xaHoaPhu_2026-03"  # `report` of the quarter's March
QUARTER_STEM = "BaoCaoTTHC_xaHoaPhu_20260101-20260331"  # `rollup` of the quarter


# --- inputs, made once and copied ------------------------------------------------------


@cache
def seed_workbook() -> bytes:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return workbook_bytes(build_workbook(loaded.report))


@cache
def month_workbooks() -> tuple[bytes, bytes, bytes]:
    january, february, march = (workbook_bytes(build_workbook(r)) for r in quarter_months())
    return january, february, march


def seed_json() -> bytes:
    return json.dumps(sample_data(), ensure_ascii=False).encode("utf-8")


def dossier_list() -> bytes:
    return "Mã hồ sơ,Lĩnh vực,Kênh tiếp nhận,Ngày tiếp nhận\n".encode("utf-8-sig")


def tree(root: Path) -> dict[str, tuple[bool, int, int]]:
    """Every entry under `root`: whether a symlink, its size and mtime (not following links)."""
    found = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        found[str(path.relative_to(root))] = (path.is_symlink(), info.st_size, info.st_mtime_ns)
    return found


# --- naming the input as an output -----------------------------------------------------


def as_output_file(source: Path, variant: str, cwd: Path) -> str:
    """An -o naming `source` (which exists) another way; makes the link if one is needed."""
    if variant == "same":
        return str(source)
    if variant == "dot":
        return f".{os.sep}{source.relative_to(cwd)}"
    link = source.with_name(f"lien-ket-{variant}{source.suffix}")
    if variant == "symlink":
        link.symlink_to(source)
    else:
        os.link(source, link)
    return str(link)


def input_in_folder(
    tmp_path: Path, variant: str, folder: Path, name: str, content: bytes
) -> tuple[Path, str]:
    """The input, and the -o folder in which the command's output `name` is that input.

    same/dot: the input itself lies in `folder` under the output's name (dot spells the
    folder as './…/.'); symlink/hardlink: the input lies elsewhere and `folder/name` is
    a link to it.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if variant in {"same", "dot"}:
        source = folder / name
        source.write_bytes(content)
        spelled = str(folder) if variant == "same" else f".{os.sep}{folder.relative_to(tmp_path)}"
        return source, spelled + (f"{os.sep}." if variant == "dot" else "")
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir(exist_ok=True)
    source = elsewhere / f"nguon{Path(name).suffix}"
    source.write_bytes(content)
    if variant == "symlink":
        (folder / name).symlink_to(source)
    else:
        os.link(source, folder / name)
    return source, str(folder)


# --- the cases: (argv without --force, the input to protect) ---------------------------

Setup = Callable[[Path, str], tuple[list[str], Path]]


def months(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for number, content in enumerate(month_workbooks(), start=1):
        path = folder / f"thang-{number}.xlsx"
        path.write_bytes(content)
        paths.append(path)
    return paths


def new_from(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "Thang3.xlsx"
    source.write_bytes(seed_workbook())
    return ["new", "--from", str(source), "-o", as_output_file(source, variant, tmp)], source


def new_data(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "so-lieu.json"
    source.write_bytes(seed_json())
    return ["new", "--data", str(source), "-o", as_output_file(source, variant, tmp)], source


def export(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "SoLieu.xlsx"
    source.write_bytes(seed_workbook())
    return ["export", str(source), "-o", as_output_file(source, variant, tmp)], source


def rollup_out(tmp: Path, variant: str) -> tuple[list[str], Path]:
    paths = months(tmp / "thang")
    target = as_output_file(paths[1], variant, tmp)
    return ["rollup", *map(str, paths), "-o", target], paths[1]


def rollup_report(tmp: Path, variant: str) -> tuple[list[str], Path]:
    """January is named like the .xlsx report that rollup writes beside -o."""
    january, february, march = month_workbooks()
    folder = tmp / "quy"
    source, spelled = input_in_folder(tmp, variant, folder, f"{QUARTER_STEM}.xlsx", january)
    others = []
    for number, content in ((2, february), (3, march)):
        (tmp / f"thang-{number}.xlsx").write_bytes(content)
        others.append(str(tmp / f"thang-{number}.xlsx"))
    target = f"{spelled}{os.sep}Quy1_2026.xlsx"
    return ["rollup", str(source), *others, "-o", target], source


def import_(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "xuat-tu-he-thong.xlsx"
    source.write_bytes(seed_workbook())
    target = as_output_file(source, variant, tmp)
    return ["import", str(source), "-o", target, "--name", "Bình Giang", "--period", "2026-03"], (
        source
    )


def dossiers_list(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "ho-so.csv"
    source.write_bytes(dossier_list())
    target = as_output_file(source, variant, tmp)
    return ["dossiers", str(source), "--period", "2026-03", "--name", "Bình Giang", "-o", target], (
        source
    )


def dossiers_from(tmp: Path, variant: str) -> tuple[list[str], Path]:
    listing = tmp / "ho-so.csv"
    listing.write_bytes(dossier_list())
    source = tmp / "Thang2.xlsx"
    source.write_bytes(seed_workbook())
    target = as_output_file(source, variant, tmp)
    argv = ["dossiers", str(listing), "--period", "2026-04", "--from", str(source), "-o", target]
    return argv, source


def dossiers_aliases(tmp: Path, variant: str) -> tuple[list[str], Path]:
    listing = tmp / "ho-so.csv"
    listing.write_bytes(dossier_list())
    source = tmp / "ten-cot.json"
    source.write_bytes(b'{"Ma ho so": "code"}')
    target = as_output_file(source, variant, tmp)
    argv = ["dossiers", str(listing), "--period", "2026-03", "--name", "Bình Giang"]
    return [*argv, "--aliases", str(source), "-o", target], source


def consolidate(tmp: Path, variant: str) -> tuple[list[str], Path]:
    source = tmp / "binh-giang.xlsx"
    source.write_bytes(seed_workbook())
    return ["consolidate", str(source), "-o", as_output_file(source, variant, tmp)], source


def report_input(tmp: Path, variant: str) -> tuple[list[str], Path]:
    march = month_workbooks()[2]
    source, folder = input_in_folder(tmp, variant, tmp / "bao-cao", f"{MARCH_STEM}.xlsx", march)
    return ["report", str(source), "-o", folder], source


def report_input_beside(tmp: Path, variant: str) -> tuple[list[str], Path]:
    """No -o: the outputs go beside the input, and one of them is the input itself.

    same/dot: the input is named like the .xlsx report; symlink: the input is reached
    through a link, and the report goes beside the file linked to, which is named like
    it; hardlink: the .xlsx report's name beside the input is a hard link to it.
    """
    march = month_workbooks()[2]
    if variant in {"same", "dot"}:
        source = tmp / f"{MARCH_STEM}.xlsx"
        source.write_bytes(march)
        return ["report", str(source) if variant == "same" else f".{os.sep}{source.name}"], source
    if variant == "symlink":
        (tmp / "that-su").mkdir()
        source = tmp / "that-su" / f"{MARCH_STEM}.xlsx"
        source.write_bytes(march)
        (tmp / "lien-ket.xlsx").symlink_to(source)
        return ["report", str(tmp / "lien-ket.xlsx")], source
    source = tmp / "thang-3.xlsx"
    source.write_bytes(march)
    os.link(source, tmp / f"{MARCH_STEM}.xlsx")
    return ["report", str(source)], source


def report_compare(tmp: Path, variant: str) -> tuple[list[str], Path]:
    _january, february, march = month_workbooks()
    (tmp / "thang-3.xlsx").write_bytes(march)
    source, folder = input_in_folder(tmp, variant, tmp / "bao-cao", f"{MARCH_STEM}.xlsx", february)
    argv = ["report", str(tmp / "thang-3.xlsx"), "--compare", str(source), "-o", folder]
    return argv, source


def report_word_template(tmp: Path, variant: str) -> tuple[list[str], Path]:
    (tmp / "thang-3.xlsx").write_bytes(month_workbooks()[2])
    template = b"PK the clerk's own letterhead"
    source, folder = input_in_folder(tmp, variant, tmp / "bao-cao", f"{MARCH_STEM}.docx", template)
    argv = ["report", str(tmp / "thang-3.xlsx"), "--word-template", str(source), "-o", folder]
    return argv, source


CASES: dict[str, Setup] = {
    "new --from": new_from,
    "new --data": new_data,
    "export": export,
    "rollup -o": rollup_out,
    "rollup report beside -o": rollup_report,
    "import": import_,
    "dossiers list": dossiers_list,
    "dossiers --from": dossiers_from,
    "dossiers --aliases": dossiers_aliases,
    "consolidate": consolidate,
    "report input": report_input,
    "report beside input": report_input_beside,
    "report --compare": report_compare,
    "report --word-template": report_word_template,
}


@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("case", list(CASES))
def test_no_command_writes_over_its_input(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    case: str,
    variant: str,
    force: bool,
) -> None:
    monkeypatch.chdir(tmp_path)  # for the './…' spellings
    argv, source = CASES[case](tmp_path, variant)
    before_input = (source.read_bytes(), source.stat().st_mtime_ns)
    before = tree(tmp_path)

    code = run([*argv, *(["--force"] if force else [])])

    captured = capsys.readouterr()
    message = captured.out + captured.err
    assert code == 2, message
    assert "Tệp kết quả " in captured.err and REFUSED in captured.err, message
    assert "Traceback" not in message and "Lỗi ngoài dự kiến" not in message
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before_input
    assert tree(tmp_path) == before  # nothing written, no link replaced, no lock, no temporary


def test_the_message_names_the_output_and_the_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "SoLieu.xlsx"
    source.write_bytes(seed_workbook())
    link = tmp_path / "BanSao.json"
    link.symlink_to(source)
    assert run(["export", str(source), "-o", str(link), "--force"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"Tệp kết quả {link} trùng với sổ tính đầu vào {source}; không ghi đè tệp đầu vào, kể "
        "cả khi có --force. Hãy chọn tên khác bằng -o."
    )


def test_report_names_the_role_of_the_input_it_refuses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args, source = report_word_template(tmp_path, "hardlink")
    assert run([*args, "--force"]) == 2
    err = capsys.readouterr().err
    assert f"trùng với mẫu văn bản Word (--word-template) {source}" in err
    assert "Hãy chọn thư mục khác bằng -o." in err


def test_rollup_never_writes_its_report_over_its_own_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o named like the .xlsx report rollup writes beside it: refused before writing either."""
    paths = months(tmp_path / "thang")
    target = tmp_path / f"{QUARTER_STEM}.xlsx"
    before = tree(tmp_path)
    assert run(["rollup", *map(str, paths), "-o", str(target), "--force"]) == 2
    assert "trùng với sổ tính của cả kỳ (-o)" in capsys.readouterr().err
    assert tree(tmp_path) == before


def test_rollup_refuses_an_existing_report_before_writing_its_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """All or nothing: without --force, one report file already there stops the whole set."""
    paths = months(tmp_path / "thang")
    (tmp_path / f"{QUARTER_STEM}.docx").write_bytes(b"edited by hand")
    target = tmp_path / "Quy1.xlsx"
    assert run(["rollup", *map(str, paths), "-o", str(target)]) == 2
    assert "đã có; thêm --force" in capsys.readouterr().err
    assert not target.exists()
    assert run(["rollup", *map(str, paths), "-o", str(target), "--force"]) == 0
    capsys.readouterr()
    assert target.exists() and (tmp_path / f"{QUARTER_STEM}.docx").read_bytes()[:2] == b"PK"


def test_the_same_commands_still_write_when_the_output_is_another_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The refusal is for the input only: a distinct -o is written, and the input kept."""
    source = tmp_path / "SoLieu.xlsx"
    source.write_bytes(seed_workbook())
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    assert run(["export", str(source), "-o", str(tmp_path / "xuat.json")]) == 0
    assert run(["new", "--from", str(source), "-o", str(tmp_path / "Thang4.xlsx")]) == 0
    paths = months(tmp_path / "thang")
    assert run(["rollup", *map(str, paths), "-o", str(tmp_path / "quy" / "Quy1.xlsx")]) == 0
    capsys.readouterr()
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before
    assert (tmp_path / "quy" / f"{QUARTER_STEM}.txt").exists()
