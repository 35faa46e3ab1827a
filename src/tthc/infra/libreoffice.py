"""The one place that runs LibreOffice headless and the poppler PDF tools.

LibreOffice is an optional outside program: it recalculates a workbook written
by openpyxl (which stores formulas without values), turns a workbook into PDF
for printing, and lets the tests see what a user without Excel (or without the
tthc add-in) would get. Everything that shells out to it goes through here so that the
awkward parts (a private user profile, forced recalculation, timeouts, the
silent failures of `--convert-to`) are handled once.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = [
    "OfficeUnavailable",
    "convert",
    "convert_many",
    "find_soffice",
    "pdf_page_count",
    "pdf_to_png",
]

# LibreOffice keeps cached formula results of an .xlsx/.ods by default ("never
# recalculate" on load), so a workbook saved by Excel with stale values would be
# converted stale. A fresh profile seeded with these settings always recalculates.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" \
oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_NOT_INSTALLED = (
    "Không tìm thấy LibreOffice (lệnh soffice) trên máy này. Hãy cài LibreOffice "
    "(https://vi.libreoffice.org) rồi thử lại."
)


class OfficeUnavailable(RuntimeError):
    """LibreOffice (or a PDF tool it goes with) is not installed on this machine."""

    def __init__(self, message: str = _NOT_INSTALLED) -> None:
        super().__init__(message)


def find_soffice() -> str | None:
    """Path of the LibreOffice command, or None: callers decide whether that is fatal."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def _require(tool: str) -> str:
    """Path of a poppler-utils command; OfficeUnavailable when it is missing."""
    path = shutil.which(tool)
    if path is None:
        raise OfficeUnavailable(
            f"Không tìm thấy lệnh {tool} (gói poppler-utils) trên máy này. "
            "Hãy cài poppler-utils rồi thử lại."
        )
    return path


def _kill_tree(process: subprocess.Popen[str]) -> None:
    """End a process we started together with everything it started."""
    if os.name == "nt":  # no process groups: let Windows walk the tree from our child's id
        subprocess.run(
            ["taskkill", "/F", "/T", "/PID", str(process.pid)],
            capture_output=True,
            check=False,
        )
        return
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.killpg(process.pid, signal.SIGKILL)


def _run(command: list[str], timeout: float, what: str) -> subprocess.CompletedProcess[str]:
    """Run a command in its own process group so a timeout can end all its children.

    soffice is a shell wrapper that starts soffice.bin; killing only the wrapper
    would leave a hung office process behind holding the profile.
    """
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        encoding="utf-8",
        errors="replace",
        start_new_session=os.name != "nt",
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(process)
        process.communicate()
        raise RuntimeError(
            f"{what} không xong sau {timeout:g} giây nên đã bị dừng. "
            "Hãy đóng các cửa sổ LibreOffice đang treo rồi thử lại."
        ) from None
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def _tail(text: str, lines: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def convert(source: Path, fmt: str, outdir: Path, *, timeout: float = 180) -> Path:
    """Convert `source` with LibreOffice to `fmt` ("pdf", "xlsx", "xlsx:Calc MS Excel 2007 XML").

    Formulas are recalculated on load, so converting xlsx -> xlsx into another
    folder is how a workbook written by openpyxl gets its values. Each run uses
    a private, throw-away user profile: concurrent runs (tests, a user's open
    LibreOffice window) would otherwise fight over the profile lock and the
    second one would exit silently without converting anything.

    Returns the produced file, `outdir/<source stem>.<extension>`.
    """
    return convert_many([source], fmt, outdir, timeout=timeout)[0]


def convert_many(
    sources: Sequence[Path], fmt: str, outdir: Path, *, timeout: float = 180
) -> list[Path]:
    """`convert` for several files with one start of LibreOffice (a start costs about a second).

    The sources must have different names (each becomes `outdir/<stem>.<extension>`);
    the produced files are returned in the order of `sources`.
    """
    soffice = find_soffice()
    if soffice is None:
        raise OfficeUnavailable()
    extension = fmt.split(":", 1)[0].strip().lower()
    if not extension:
        raise ValueError(f"Định dạng đích không hợp lệ: {fmt!r}.")
    outdir = Path(outdir).resolve()
    resolved = [Path(source).resolve() for source in sources]
    targets = [outdir / f"{source.stem}.{extension}" for source in resolved]
    if len(set(targets)) != len(targets):
        raise ValueError("Các tệp nguồn trùng tên nên sẽ ghi đè kết quả của nhau.")
    for source, target in zip(resolved, targets, strict=True):
        if not source.is_file():
            raise FileNotFoundError(f"Không có tệp {source}.")
        if target == source:
            # LibreOffice cannot overwrite the document it has open: it fails or truncates.
            raise ValueError(
                f"Tệp kết quả sẽ ghi đè lên chính tệp nguồn {source.name}; "
                "hãy chọn thư mục đích khác thư mục chứa tệp nguồn."
            )
    outdir.mkdir(parents=True, exist_ok=True)
    for target in targets:
        target.unlink(missing_ok=True)  # a stale copy would hide a failed conversion
    names = ", ".join(source.name for source in resolved)
    with tempfile.TemporaryDirectory(prefix="tthc-lo-", ignore_cleanup_errors=True) as profile:
        settings = Path(profile, "user", "registrymodifications.xcu")
        settings.parent.mkdir(parents=True)
        settings.write_text(_PROFILE_SETTINGS, encoding="utf-8")
        command = [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--convert-to",
            fmt,
            "--outdir",
            str(outdir),
            *(str(source) for source in resolved),
        ]
        result = _run(
            command, timeout * len(resolved), f"LibreOffice chuyển {names} sang {extension}"
        )
    # soffice often exits 0 after a failure ("Error: source file could not be
    # loaded"), so the produced files are the only reliable sign of success.
    missing = [s.name for s, t in zip(resolved, targets, strict=True) if not t.is_file()]
    if result.returncode != 0 or missing:
        detail = _tail(result.stderr + "\n" + result.stdout)
        raise RuntimeError(
            f"LibreOffice không chuyển được {', '.join(missing) or names} sang {extension} "
            f"(mã thoát {result.returncode})." + (f"\n{detail}" if detail else "")
        )
    return targets


def pdf_to_png(
    pdf: Path,
    outdir: Path,
    *,
    resolution: int = 60,
    first: int | None = None,
    last: int | None = None,
) -> list[Path]:
    """Render pages of `pdf` to `outdir/<stem>-<page>.png` with pdftoppm, in page order.

    Used to look at what a printed workbook really looks like; a low default
    resolution keeps the images small enough to review page by page. Only the
    images of the requested pages are replaced, so several ranges of one PDF
    can be rendered into the same folder.
    """
    pdftoppm = _require("pdftoppm")
    pdf = Path(pdf).resolve()
    outdir = Path(outdir).resolve()
    outdir.mkdir(parents=True, exist_ok=True)
    prefix = outdir / pdf.stem
    pattern = re.compile(re.escape(pdf.stem) + r"-(\d+)\.png")

    low, high = first or 1, last or 10**9

    def pages() -> list[Path]:
        """Images of the requested pages already in `outdir`, in page order."""
        numbered = []
        for path in outdir.iterdir():
            match = pattern.fullmatch(path.name)
            if match and low <= int(match.group(1)) <= high:
                numbered.append((int(match.group(1)), path))
        return [path for _, path in sorted(numbered)]

    # pdftoppm pads page numbers to the width of the page count ("-1" or "-01"), so an
    # earlier render of another PDF of the same name could leave a differently named copy.
    for stale in pages():
        stale.unlink()
    command = [pdftoppm, "-png", "-r", str(resolution)]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    command += [str(pdf), str(prefix)]
    result = _run(command, 120, f"Chuyển {pdf.name} thành ảnh")
    if result.returncode != 0:
        raise RuntimeError(
            f"Không chuyển được {pdf.name} thành ảnh (mã thoát {result.returncode}).\n"
            + _tail(result.stderr)
        )
    return pages()


def pdf_page_count(pdf: Path) -> int:
    """Number of pages of `pdf`, read from pdfinfo; no PDF library needed."""
    pdfinfo = _require("pdfinfo")
    result = _run([pdfinfo, str(pdf)], 60, f"Đọc thông tin {Path(pdf).name}")
    match = re.search(r"^Pages:\s*(\d+)\s*$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or match is None:
        raise RuntimeError(
            f"Không đọc được số trang của {Path(pdf).name}.\n" + _tail(result.stderr)
        )
    return int(match.group(1))
