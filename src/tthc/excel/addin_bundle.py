"""`tthc addin bundle -o DIR`: a folder that sets up tthc on a Windows PC with no internet.

Commune PCs are often offline. pip can download Windows wheels from any
machine (``--platform win_amd64 --only-binary=:all:``), so the folder carries
tthc's wheel and every dependency for each supported Python version, plus an
``install.cmd`` that installs from the folder only (``--no-index``) and then
runs ``tthc addin install``. Set-up on the PC is: copy the folder, double-click.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

from tthc.excel.addin import AddinError
from tthc.infra.safe_write import write_bytes_atomic

__all__ = [
    "PYTHON_VERSIONS",
    "AddinBundleError",
    "bundle",
    "install_script",
    "pip_download_commands",
    "windows_only_requirements",
]

#: CPython versions the bundle carries wheels for (tthc needs 3.11 or later).
PYTHON_VERSIONS = ("3.11", "3.12", "3.13")
PLATFORM = "win_amd64"  # Excel 64-bit on 64-bit Windows, the normal case today
WHEELS = "wheels"
SCRIPT = "install.cmd"
README = "HUONG_DAN.txt"

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]


class AddinBundleError(AddinError):
    """The bundle cannot be made; the message is Vietnamese."""


def _run(command: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(command), capture_output=True, text=True, check=False)


def pip_download_commands(requirements: Sequence[str], target: Path) -> list[list[str]]:
    """One `pip download` per Python version of the requirements and their dependencies."""
    return [
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--only-binary=:all:",
            "--platform",
            PLATFORM,
            "--implementation",
            "cp",
            "--python-version",
            version,
            "--dest",
            str(target),
            *requirements,
        ]
        for version in PYTHON_VERSIONS
    ]


_WINDOWS_MARKER = re.compile(
    r"""(platform_system\s*==\s*["']Windows["']|sys_platform\s*==\s*["']win32["']"""
    r"""|os_name\s*==\s*["']nt["'])"""
)


def windows_only_requirements(wheels: Path) -> set[str]:
    """Requirements the wheels declare for Windows only (xlwings' pywin32, tqdm's colorama).

    pip evaluates markers such as ``platform_system == "Windows"`` on the machine
    it runs on, even with ``--platform``, so from Linux it skips them; they are
    read from each wheel's metadata and downloaded in a second round.
    """
    found: set[str] = set()
    for wheel in wheels.glob("*.whl"):
        with zipfile.ZipFile(wheel) as archive:
            metadata = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
            if not metadata:
                continue
            text = archive.read(metadata[0]).decode("utf-8", "replace")
        for line in text.splitlines():
            if not line.startswith("Requires-Dist:") or ";" not in line:
                continue
            requirement, marker = line[len("Requires-Dist:") :].split(";", 1)
            if "extra" not in marker and _WINDOWS_MARKER.search(marker):
                found.add(requirement.strip().replace(" ", ""))
    return found


def install_script() -> str:
    """install.cmd: install from the folder only, then put the add-in into Excel.

    UTF-8 code page first so the Vietnamese messages show; `py` is the
    python.org launcher, which picks the newest installed Python 3.
    """
    lines = [
        "@echo off",
        "chcp 65001 >nul",
        'cd /d "%~dp0"',
        "echo Đang cài chương trình tthc từ thư mục này (không cần mạng)...",
        "where py >nul 2>nul || goto :khong_co_python",
        f"py -3 -m pip install --no-index --find-links {WHEELS} --upgrade tthc || goto :loi",
        "echo Đang cài add-in vào Excel (hãy đóng Excel trước)...",
        "py -3 -m tthc addin install || goto :loi",
        "echo.",
        "echo Đã cài xong. Mở lại Excel: có thẻ «Báo cáo TTHC» với nút «Tạo báo cáo».",
        "pause",
        "exit /b 0",
        ":khong_co_python",
        "echo Máy chưa có Python. Hãy cài Python 3.11 trở lên từ python.org (đánh dấu «Add",
        "echo python.exe to PATH»), rồi bấm đúp lại vào install.cmd.",
        "pause",
        "exit /b 1",
        ":loi",
        "echo.",
        "echo Cài chưa được: xem thông báo ở trên. Đóng Excel rồi bấm đúp lại vào install.cmd;",
        "echo nếu vẫn lỗi, chụp màn hình này gửi người hỗ trợ.",
        "pause",
        "exit /b 1",
    ]
    return "\r\n".join(lines) + "\r\n"


def _guide() -> str:
    versions = ", ".join(PYTHON_VERSIONS)
    return (
        "CÀI TTHC TRÊN MÁY KHÔNG CÓ MẠNG\r\n\r\n"
        "1. Cài Python (bản " + versions + ", 64-bit) từ python.org nếu máy chưa có; ở màn hình "
        "đầu tiên đánh dấu «Add python.exe to PATH».\r\n"
        "2. Đóng Excel.\r\n"
        "3. Chép cả thư mục này vào máy, bấm đúp vào install.cmd.\r\n"
        "4. Mở lại Excel: có thẻ «Báo cáo TTHC» với nút «Tạo báo cáo».\r\n\r\n"
        f"Thư mục {WHEELS} chứa chương trình tthc và các thư viện nó cần cho Windows 64-bit.\r\n"
    )


def _project_wheel(folder: Path, run: Runner, project: Path | None) -> Path:
    """tthc's own wheel: the given one, else built from the source tree this runs from."""
    if project is not None and project.suffix == ".whl":
        return project
    root = project or Path(__file__).resolve().parents[3]
    if not (root / "pyproject.toml").is_file():
        raise AddinBundleError(
            "Không tìm thấy mã nguồn tthc (pyproject.toml) để đóng gói; hãy chỉ tệp .whl của "
            "tthc bằng --wheel."
        )
    done = run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(folder), str(root)])
    wheels = sorted(folder.glob("tthc-*.whl"))
    if done.returncode != 0 or not wheels:
        raise AddinBundleError(f"Không tạo được gói tthc từ {root}:\n{done.stderr[-2000:]}")
    return wheels[-1]


def bundle(target: Path, *, project: Path | None = None, run: Runner = _run) -> Path:
    """Write the offline set-up folder `target` (which must not exist yet); return it."""
    target = Path(target)
    if target.exists():
        raise AddinBundleError(f"{target} đã có; hãy chọn một thư mục mới.")
    with tempfile.TemporaryDirectory(prefix="tthc-bundle-") as scratch:
        staging = Path(scratch) / "bundle"
        wheels = staging / WHEELS
        wheels.mkdir(parents=True)
        own = _project_wheel(Path(scratch), run, project)
        shutil.copy2(own, wheels / own.name)
        wanted = [str(wheels / own.name)]
        asked: set[str] = set()
        while wanted:  # a Windows-only dependency may have its own: until nothing is new
            for command in pip_download_commands(wanted, wheels):
                done = run(command)
                if done.returncode != 0:
                    version = command[command.index("--python-version") + 1]
                    raise AddinBundleError(
                        f"Không tải được các thư viện cho Python {version} trên Windows (cần "
                        f"mạng tới PyPI):\n{done.stderr[-2000:]}"
                    )
            asked.update(wanted)
            wanted = sorted(windows_only_requirements(wheels) - asked)
        write_bytes_atomic(staging / SCRIPT, install_script().encode("utf-8"), overwrite=False)
        write_bytes_atomic(staging / README, _guide().encode("utf-8"), overwrite=False)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(staging), str(target))
    return target
