"""`tthc addin bundle`: the offline set-up folder, with pip faked (and for real when online)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pytest

from tthc.excel.addin_bundle import (
    PYTHON_VERSIONS,
    AddinBundleError,
    bundle,
    install_script,
    windows_only_requirements,
)


def _wheel(folder: Path, name: str, requires: Sequence[str] = ()) -> Path:
    path = folder / f"{name}-1.0-py3-none-any.whl"
    metadata = "Metadata-Version: 2.1\nName: " + name + "\n"
    metadata += "".join(f"Requires-Dist: {line}\n" for line in requires)
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"{name}-1.0.dist-info/METADATA", metadata)
    return path


class FakePip:
    """Records every pip command; `download` drops the wheels PyPI would give."""

    def __init__(self, fail_on: str | None = None) -> None:
        self.commands: list[list[str]] = []
        self.fail_on = fail_on

    def __call__(self, command: Sequence[str]) -> subprocess.CompletedProcess[str]:
        command = list(command)
        self.commands.append(command)
        version = command[command.index("--python-version") + 1]
        if version == self.fail_on:
            return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution")
        dest = Path(command[command.index("--dest") + 1])
        if any(arg.endswith(".whl") for arg in command):  # tthc and what it needs
            _wheel(dest, "xlwings", ['pywin32>=224; platform_system == "Windows"'])
            _wheel(
                dest, "tqdm", ['colorama; platform_system == "Windows"', "pytest; extra == 'dev'"]
            )
        if "pywin32>=224" in command:
            _wheel(dest, "pywin32")
        return subprocess.CompletedProcess(command, 0, "", "")


@pytest.fixture
def own_wheel(tmp_path: Path) -> Path:
    folder = tmp_path / "dist"
    folder.mkdir()
    return _wheel(folder, "tthc", ["xlwings==0.37.8"])


def test_the_folder_holds_the_wheels_the_script_and_a_guide(
    tmp_path: Path, own_wheel: Path
) -> None:
    pip = FakePip()
    target = bundle(tmp_path / "cai_tthc", project=own_wheel, run=pip)
    assert sorted(p.name for p in target.iterdir()) == ["HUONG_DAN.txt", "install.cmd", "wheels"]
    assert (target / "wheels" / own_wheel.name).read_bytes() == own_wheel.read_bytes()
    assert (target / "install.cmd").read_bytes() == install_script().encode("utf-8")
    assert "bấm đúp vào install.cmd" in (target / "HUONG_DAN.txt").read_text(encoding="utf-8")


def test_pip_downloads_windows_wheels_for_each_python_and_the_windows_only_needs(
    tmp_path: Path, own_wheel: Path
) -> None:
    pip = FakePip()
    bundle(tmp_path / "cai_tthc", project=own_wheel, run=pip)
    first, second = pip.commands[: len(PYTHON_VERSIONS)], pip.commands[len(PYTHON_VERSIONS) :]
    for command, version in zip(first, PYTHON_VERSIONS, strict=True):
        assert command[:4] == [sys.executable, "-m", "pip", "download"]
        assert "--only-binary=:all:" in command
        assert command[command.index("--platform") + 1] == "win_amd64"
        assert command[command.index("--python-version") + 1] == version
        assert command[-1].endswith(own_wheel.name)
    # pip skips «platform_system == "Windows"» from Linux: a second round asks for them.
    assert [command[-2:] for command in second] == [["colorama", "pywin32>=224"]] * len(
        PYTHON_VERSIONS
    )


def test_windows_only_requirements_ignore_extras_and_other_platforms(tmp_path: Path) -> None:
    _wheel(tmp_path, "a", ['pywin32>=224; platform_system == "Windows"', "b>=1"])
    _wheel(tmp_path, "c", ["d; sys_platform == 'win32'", 'e; sys_platform == "darwin"'])
    _wheel(tmp_path, "f", ['g; platform_system == "Windows" and extra == "dev"'])
    assert windows_only_requirements(tmp_path) == {"pywin32>=224", "d"}


def test_the_install_script_installs_offline_then_the_addin() -> None:
    script = install_script()
    assert script.endswith("\r\n") and "\n" not in script.replace("\r\n", "")  # cmd wants CR LF
    lines = script.split("\r\n")
    assert lines[:3] == ["@echo off", "chcp 65001 >nul", 'cd /d "%~dp0"']
    install = next(line for line in lines if "pip install" in line)
    assert "--no-index --find-links wheels" in install and install.endswith("|| goto :loi")
    assert "py -3 -m tthc addin install || goto :loi" in lines
    assert lines.index("py -3 -m tthc addin install || goto :loi") > lines.index(install)
    assert ":khong_co_python" in lines and ":loi" in lines


def test_an_existing_folder_and_a_failed_download_are_refused(
    tmp_path: Path, own_wheel: Path
) -> None:
    (tmp_path / "co_roi").mkdir()
    with pytest.raises(AddinBundleError, match="đã có"):
        bundle(tmp_path / "co_roi", project=own_wheel, run=FakePip())
    with pytest.raises(AddinBundleError, match=r"cho Python 3\.12 trên Windows"):
        bundle(tmp_path / "moi", project=own_wheel, run=FakePip(fail_on="3.12"))
    assert not (tmp_path / "moi").exists()  # nothing half-made is left behind


@pytest.mark.skipif(
    not os.environ.get("TTHC_NETWORK_TESTS"),
    reason="Tải thật từ PyPI chỉ chạy khi đặt TTHC_NETWORK_TESTS=1 (cần mạng).",
)
def test_a_real_bundle_resolves_offline_for_windows(tmp_path: Path) -> None:
    target = bundle(tmp_path / "cai_tthc")
    for version in PYTHON_VERSIONS:
        report = tmp_path / f"report-{version}.json"
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--dry-run", "--no-index", "--find-links",
             str(target / "wheels"), "--platform", "win_amd64", "--python-version", version,
             "--implementation", "cp", "--only-binary=:all:", "--target", str(tmp_path / "t"),
             "--report", str(report), "tthc", "pywin32", "colorama"],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        names = {
            item["metadata"]["name"].lower() for item in json.loads(report.read_text())["install"]
        }
        assert {"tthc", "xlwings", "pywin32", "openpyxl", "python-docx"} <= names
