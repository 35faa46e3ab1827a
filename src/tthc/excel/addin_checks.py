"""Will the add-in run on this PC? The checks `tthc addin install` and `status` make.

Why each check: the button and the functions start Python from Excel through
xlwings' VBA, which needs, at run time,

- an interpreter Excel may start: the Microsoft Store's Python lives in a folder
  («WindowsApps») that other programs cannot run from, so Excel fails silently;
- xlwings' DLL (``xlwings64-<version>.dll``) where the VBA looks for it: the
  interpreter's folder, or the one above it (a virtual environment). A per-user
  ``pip install --user`` beside an all-users Python puts it under
  ``%APPDATA%\\Python`` instead, where the VBA never looks;
- the modules it imports: ``tthc.udfs`` and, on Windows, pywin32's ``win32com``.

Each problem is one Vietnamese sentence saying what is wrong and what to do.
The checks only look (paths, imports); they start nothing.
"""

from __future__ import annotations

import importlib.util
import site
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Setup", "current_setup", "dll_name", "setup_problems"]


@dataclass(frozen=True)
class Setup:
    """What the checks look at; tests build one for a PC they cannot be."""

    platform: str
    interpreter: Path  # what the add-in's config sheet will name (pythonw.exe, python.exe)
    xlwings_version: str
    bits: int  # of this Python: Excel loads the DLL of its own bitness
    user_base: Path | None  # where `pip install --user` puts data files


def current_setup(interpreter: Path) -> Setup:
    """This machine, for the add-in that will start `interpreter`."""
    from tthc.excel.addin import installed_xlwings_version

    user_base = getattr(site, "USER_BASE", None)
    return Setup(
        platform=sys.platform,
        interpreter=interpreter,
        xlwings_version=installed_xlwings_version(),
        bits=struct.calcsize("P") * 8,
        user_base=Path(user_base) if user_base else None,
    )


def dll_name(setup: Setup) -> str:
    """The DLL file the add-in's VBA declares for this bitness and xlwings version."""
    return f"xlwings{64 if setup.bits == 64 else 32}-{setup.xlwings_version}.dll"


def _is_store_python(path: Path) -> bool:
    return any(part.casefold() == "windowsapps" for part in path.parts)


def setup_problems(setup: Setup) -> list[str]:
    """Why the add-in would fail here, one sentence each; empty when it can work."""
    if not setup.platform.startswith("win"):
        return []  # macOS runs Python through AppleScript: no DLL, no Store
    problems: list[str] = []
    interpreter = setup.interpreter
    if _is_store_python(interpreter):
        problems.append(
            f"Python ở {interpreter} là bản cài từ Microsoft Store: Excel không được phép chạy "
            "bản này nên nút «Tạo báo cáo» sẽ không làm gì. Hãy cài Python từ python.org "
            "(đánh dấu «Add python.exe to PATH»), cài lại tthc bằng Python đó rồi chạy lại lệnh."
        )
        return problems
    if not interpreter.is_file():
        problems.append(
            f"Không thấy chương trình {interpreter}, mà add-in sẽ gọi nó để chạy Python. Hãy "
            "cài lại Python từ python.org rồi cài lại tthc."
        )
        return problems
    dll = dll_name(setup)
    places = [interpreter.parent / dll, interpreter.parent.parent / dll]
    if not any(place.is_file() for place in places):
        per_user = setup.user_base is not None and (setup.user_base / dll).is_file()
        if per_user:
            problems.append(
                f"Thư viện {dll} của xlwings nằm trong {setup.user_base} (cài «--user» cho "
                f"riêng người dùng), nhưng add-in chỉ tìm nó cạnh {interpreter.name} trong "
                f"{interpreter.parent}. Hãy cài lại cho cả máy: mở Command Prompt bằng «Run "
                "as administrator», chạy «py -m pip install --force-reinstall tthc» (không "
                "có --user), hoặc cài tthc trong một môi trường ảo (py -m venv)."
            )
        else:
            problems.append(
                f"Không thấy thư viện {dll} của xlwings trong {interpreter.parent} hay thư mục "
                "trên nó, nơi add-in tìm. Hãy cài lại xlwings: «py -m pip install "
                f"--force-reinstall xlwings=={setup.xlwings_version}»."
            )
    for module, package in (("tthc.udfs", "tthc"), ("win32com", "pywin32")):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            problems.append(
                f"Python này không có mô-đun {module} (gói {package}), mà add-in cần. Hãy chạy "
                f"«py -m pip install {package}» bằng đúng Python này rồi chạy lại lệnh."
            )
    return problems
