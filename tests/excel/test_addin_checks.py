"""The set-up checks of `tthc addin install`, on Windows PCs laid out in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tthc.excel.addin_checks import Setup, dll_name, setup_problems

VERSION = "0.37.8"


def _setup(interpreter: Path, *, user_base: Path | None = None, bits: int = 64) -> Setup:
    return Setup("win32", interpreter, VERSION, bits, user_base)


def _python(folder: Path, name: str = "pythonw.exe") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"MZ")
    return folder / name


@pytest.fixture(autouse=True)
def _modules_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """win32com exists only on Windows; each test says which modules are missing."""
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        "tthc.excel.addin_checks.importlib.util.find_spec",
        lambda name: object() if name == "win32com" else real(name),
    )


def test_an_all_users_python_with_the_dll_beside_it_is_fine(tmp_path: Path) -> None:
    interpreter = _python(tmp_path / "Python311")
    (interpreter.parent / "xlwings64-0.37.8.dll").write_bytes(b"MZ")
    assert setup_problems(_setup(interpreter)) == []


def test_a_virtual_environment_has_the_dll_one_folder_up(tmp_path: Path) -> None:
    interpreter = _python(tmp_path / "venv" / "Scripts")
    (tmp_path / "venv" / "xlwings64-0.37.8.dll").write_bytes(b"MZ")
    assert setup_problems(_setup(interpreter)) == []


def test_the_dll_name_follows_the_bitness() -> None:
    assert dll_name(_setup(Path("python.exe"), bits=32)) == "xlwings32-0.37.8.dll"
    assert dll_name(_setup(Path("python.exe"))) == "xlwings64-0.37.8.dll"


def test_a_per_user_install_beside_an_all_users_python_is_refused(tmp_path: Path) -> None:
    interpreter = _python(tmp_path / "Program Files" / "Python311")
    user_base = tmp_path / "AppData" / "Roaming" / "Python"
    user_base.mkdir(parents=True)
    (user_base / "xlwings64-0.37.8.dll").write_bytes(b"MZ")
    (problem,) = setup_problems(_setup(interpreter, user_base=user_base))
    assert f"nằm trong {user_base} (cài «--user»" in problem
    assert "«py -m pip install --force-reinstall tthc» (không có --user)" in problem


def test_a_missing_dll_says_how_to_reinstall_xlwings(tmp_path: Path) -> None:
    interpreter = _python(tmp_path / "Python311")
    (problem,) = setup_problems(_setup(interpreter))
    assert "Không thấy thư viện xlwings64-0.37.8.dll" in problem
    assert "xlwings==0.37.8" in problem


def test_the_microsoft_store_python_is_refused(tmp_path: Path) -> None:
    store = tmp_path / "AppData" / "Local" / "Microsoft" / "WindowsApps"
    interpreter = _python(store / "PythonSoftwareFoundation.Python.3.11_qbz5n2kfra8p0")
    (problem,) = setup_problems(_setup(interpreter))
    assert "Microsoft Store" in problem and "python.org" in problem


def test_a_missing_interpreter_is_named(tmp_path: Path) -> None:
    (problem,) = setup_problems(_setup(tmp_path / "gone" / "pythonw.exe"))
    assert f"Không thấy chương trình {tmp_path / 'gone' / 'pythonw.exe'}" in problem


def test_missing_modules_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    interpreter = _python(tmp_path / "Python311")
    (interpreter.parent / "xlwings64-0.37.8.dll").write_bytes(b"MZ")
    monkeypatch.setattr("tthc.excel.addin_checks.importlib.util.find_spec", lambda name: None)
    problems = setup_problems(_setup(interpreter))
    assert len(problems) == 2
    assert "mô-đun tthc.udfs (gói tthc)" in problems[0]
    assert "mô-đun win32com (gói pywin32)" in problems[1]


def test_macos_needs_none_of_this(tmp_path: Path) -> None:
    assert setup_problems(Setup("darwin", tmp_path / "python3", VERSION, 64, None)) == []
