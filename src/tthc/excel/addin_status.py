"""`tthc addin status`: what is installed, where, and which Python it will start.

Why: when the button does nothing, the first questions are whether Excel has
the add-in at all, whether it was built for the xlwings installed now (its VBA
loads the DLL of one exact version), whether the functions are inside it, and
which Python it will start. Each answer is read from the files, nothing runs.
"""

from __future__ import annotations

import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from tthc.excel.addin import (
    ADDIN_FILE_NAME,
    UDF_VBA_MODULE,
    AddinError,
    addin_dll_version,
    addin_install_dir,
    installed_xlwings_version,
    packaged_addin,
)
from tthc.excel.addin_checks import current_setup, setup_problems
from tthc.infra.xlsx_parts import shared_strings
from tthc.infra.xml_text import unescape

__all__ = ["AddinStatus", "addin_status", "config_values"]

_CELL = re.compile(
    r'<c r="(?P<ref>[A-Z]+\d+)"(?P<attrs>[^>]*)>'
    r"(?:<v>(?P<v>[^<]*)</v>|<is><t[^>]*>(?P<t>[^<]*)</t></is>)</c>"
)
_TYPE = re.compile(r'\bt="(\w+)"')


@dataclass(frozen=True)
class AddinStatus:
    """The lines to print, and whether everything checked out."""

    lines: list[str]
    ok: bool


def config_values(path: Path) -> dict[str, str]:
    """The add-in's config sheet (myaddin.conf) as key → value text ("" when blank)."""
    with zipfile.ZipFile(path) as book:
        strings = shared_strings(book.read("xl/sharedStrings.xml")) or []
        sheet = book.read("xl/worksheets/sheet1.xml").decode("utf-8")
    cells: dict[str, str] = {}
    for match in _CELL.finditer(sheet):
        kind = _TYPE.search(match["attrs"])
        if kind is not None and kind.group(1) == "s" and match["v"] is not None:
            cells[match["ref"]] = strings[int(match["v"])]
        else:
            cells[match["ref"]] = unescape(match["t"] if match["t"] is not None else match["v"])
    return {
        text: cells.get(f"B{ref[1:]}", "")
        for ref, text in cells.items()
        if ref.startswith("A") and ref[1:].isdigit()
    }


def _has_functions(path: Path) -> bool:
    from tthc.excel.vba_project import VbaProjectError, module_source

    try:
        with zipfile.ZipFile(path) as book:
            module_source(book.read("xl/vbaProject.bin"), UDF_VBA_MODULE)
    except (VbaProjectError, KeyError):
        return False
    return True


def addin_status() -> AddinStatus:
    """Where the add-in is (or would be), what it holds, and whether it can run here."""
    lines: list[str] = []
    ok = True
    try:
        folder: Path | None = addin_install_dir()
    except AddinError as problem:
        folder = None
        lines.append(str(problem))
    installed = folder / ADDIN_FILE_NAME if folder is not None else None
    if installed is not None and installed.is_file():
        lines.append(f"Add-in đã cài: {installed}")
        shown = installed
    else:
        if installed is not None:
            lines.append(f"Chưa cài add-in (không có {installed}); chạy «tthc addin install».")
            ok = False
        shown = packaged_addin()
        lines.append(f"Add-in kèm theo chương trình: {shown}")
    try:
        built_for = addin_dll_version(shown)
    except AddinError as problem:
        lines.append(str(problem))
        return AddinStatus(lines, False)
    running = installed_xlwings_version()
    if built_for == running:
        lines.append(f"Tạo cho xlwings {built_for}, đúng bản đang cài.")
    else:
        lines.append(
            f"Tạo cho xlwings {built_for} nhưng máy đang có xlwings {running}: nút sẽ không "
            "chạy. Chạy lại «tthc addin install»."
        )
        ok = False
    if _has_functions(shown):
        lines.append("Các hàm =TTHC_…() có sẵn trong add-in.")
    else:
        lines.append("Add-in không có các hàm =TTHC_…(); chạy lại «tthc addin install».")
        ok = False
    settings = config_values(shown)
    key = "Interpreter_Mac" if sys.platform == "darwin" else "Interpreter_Win"
    interpreter = settings.get(key, "")
    if not interpreter:
        lines.append("Python add-in sẽ gọi: «pythonw» đầu tiên trên PATH (chưa ghi đường dẫn).")
    else:
        lines.append(f"Python add-in sẽ gọi: {interpreter}")
        for reason in setup_problems(current_setup(Path(interpreter))):
            lines.append(f"- {reason}")
            ok = False
    if settings.get("Show Console") == "1":
        lines.append("Đang bật cửa sổ dòng lệnh của Python (--show-console).")
    return AddinStatus(lines, ok)
