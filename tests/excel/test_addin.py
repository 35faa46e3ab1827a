"""The Excel add-in, checked without Excel: zip, ribbon, VBA contract, config sheet, install.

Excel is not available here, so each link of the chain "ribbon button → VBA →
Python" is checked on its own: the ribbon names a VBA procedure that exists,
that procedure imports the module named after the add-in file, the file is
tthc.xlam and `tthc.main` exists; the VBA declares the DLL of the installed
xlwings; the config sheet the VBA reads points "UDF Modules" at `tthc.udfs`.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
import types
import zipfile
from importlib import resources
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

import pytest
import xlwings
from packaging.requirements import Requirement

import tthc
from tthc.excel import addin, addin_checks
from tthc.excel.addin import (
    ADDIN_FILE_NAME,
    CUSTOMUI_NAMESPACE,
    AddinBuildError,
    AddinInstallError,
    addin_dll_version,
    build_addin,
    install_addin,
    installed_xlwings_version,
    vba_modules,
)

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "xl" / ADDIN_FILE_NAME
UI = f"{{{CUSTOMUI_NAMESPACE}}}"
SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
VIETNAMESE = re.compile(r"[\u00C0-\u1EF9]")  # letters with Vietnamese diacritics
CHANGED_PARTS = {
    "customUI/customUI.xml",
    "xl/workbook.xml",
    "xl/worksheets/sheet1.xml",
    "xl/vbaProject.bin",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / ADDIN_FILE_NAME)


@pytest.fixture(scope="module")
def vba(built: Path) -> dict[str, str]:
    return vba_modules(built)


@pytest.fixture(scope="module")
def ribbon(built: Path) -> ElementTree.Element:
    with zipfile.ZipFile(built) as book:
        return ElementTree.fromstring(book.read("customUI/customUI.xml"))


def entries(path: Path) -> list[tuple[str, int, bytes]]:
    """Each zip entry's name, compression method and uncompressed bytes, in order."""
    with zipfile.ZipFile(path) as book:
        return [(info.filename, info.compress_type, book.read(info)) for info in book.infolist()]


def _same_but_interpreter(installed: Path, built: Path, key: str) -> None:
    """An installed add-in names the Python that ran the install; nothing else differs."""
    different = [
        mine[0]
        for mine, shipped in zip(entries(installed), entries(built), strict=True)
        if mine != shipped
    ]
    assert different == ["xl/worksheets/sheet1.xml"]
    _name, values = config_sheet(installed)
    interpreter = Path(values[key])
    assert interpreter.parent == Path(sys.executable).parent
    assert config_sheet(built)[1].get(key, "") == ""  # the shipped add-in leaves it blank
    assert values["UDF Modules"] == "tthc.udfs"


@pytest.fixture(autouse=True)
def _a_pc_where_the_addin_can_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Install tests fake Windows on Linux, where xlwings' DLL never is: the set-up
    checks have their own tests (test_addin_checks.py) and one below."""
    monkeypatch.setattr(addin_checks, "setup_problems", lambda setup: [])


def config_sheet(path: Path) -> tuple[str, dict[str, str]]:
    """The add-in's only sheet: its name and its column A → column B values as text."""
    with zipfile.ZipFile(path) as book:
        workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        shared = [
            "".join(t.text or "" for t in si.iter(f"{SHEET_NS}t"))
            for si in ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
        ]
        (sheet,) = workbook.iter(f"{SHEET_NS}sheet")
        targets = {
            rel.get("Id"): rel.get("Target") for rel in rels.iter(f"{PKG_REL_NS}Relationship")
        }
        part = ElementTree.fromstring(book.read("xl/" + targets[sheet.get(f"{REL_NS}id")]))
    values: dict[str, str] = {}
    for cell in part.iter(f"{SHEET_NS}c"):
        kind = cell.get("t")
        if kind == "s":
            values[cell.get("r")] = shared[int(cell.findtext(f"{SHEET_NS}v"))]
        elif kind == "inlineStr":
            values[cell.get("r")] = "".join(t.text or "" for t in cell.iter(f"{SHEET_NS}t"))
        else:
            values[cell.get("r")] = cell.findtext(f"{SHEET_NS}v") or ""
    rows = {ref[1:]: text for ref, text in values.items() if ref.startswith("A")}
    return sheet.get("name"), {key: values.get(f"B{row}", "") for row, key in rows.items()}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- the file


def test_built_addin_is_a_valid_zip_with_the_templates_entries(built: Path) -> None:
    with zipfile.ZipFile(built) as book:
        assert book.testzip() is None
    ours, template = entries(built), entries(addin.template_path())
    assert [(name, method) for name, method, _ in ours] == [
        (name, method) for name, method, _ in template
    ]
    changed = {
        name for (name, _, data), (_, _, old) in zip(ours, template, strict=True) if data != old
    }
    assert changed == CHANGED_PARTS


def test_the_file_must_be_named_after_the_module_runmain_imports(tmp_path: Path) -> None:
    with pytest.raises(AddinBuildError, match=re.escape("tthc.xlam")):
        build_addin(tmp_path / "TTHC-addin.xlam")
    assert list(tmp_path.iterdir()) == []


def test_committed_addin_equals_a_fresh_build(built: Path) -> None:
    assert COMMITTED.is_file(), (
        "xl/tthc.xlam is missing: build it with tthc.excel.addin.build_addin"
    )
    assert entries(COMMITTED) == entries(built), (
        "xl/tthc.xlam is stale: rebuild it with tthc.excel.addin.build_addin(Path('xl/tthc.xlam'))"
    )


# --------------------------------------------------------------------------- ribbon


def test_ribbon_is_the_readable_source(built: Path) -> None:
    with zipfile.ZipFile(built) as book:
        assert book.read("customUI/customUI.xml") == (ROOT / "xl" / "ribbon.xml").read_bytes()


def test_ribbon_has_the_report_tab_and_button(ribbon: ElementTree.Element) -> None:
    assert ribbon.tag == f"{UI}customUI"
    (tab,) = ribbon.iter(f"{UI}tab")
    assert tab.get("label") == "Báo cáo TTHC"
    (group,) = tab.iter(f"{UI}group")
    assert group.get("label") == "Báo cáo"
    (button,) = group.iter(f"{UI}button")
    assert button.get("label") == "Tạo báo cáo"
    assert button.get("size") == "large"
    assert button.get("imageMso") == "MacroPlay"
    for tip in ("screentip", "supertip"):
        text = button.get(tip) or ""
        assert VIETNAMESE.search(text), f"{tip} should be Vietnamese: {text!r}"
    assert "Tổng hợp" in button.get("supertip", "")


def test_every_ribbon_action_is_a_procedure_of_the_vba(
    ribbon: ElementTree.Element, vba: dict[str, str]
) -> None:
    actions = [el.get("onAction") for el in ribbon.iter() if el.get("onAction")]
    assert actions == ["RibbonMyAddin.RunMain"]
    for action in actions:
        module, procedure = action.split(".")
        assert module in vba, f"no VBA module {module}: {sorted(vba)}"
        signature = rf"^\s*(Public\s+)?Sub\s+{procedure}\s*\(\s*control\s+As\s+IRibbonControl\s*\)"
        assert re.search(signature, vba[module], re.MULTILINE | re.IGNORECASE), vba[module]


def test_runmain_imports_the_module_named_after_the_addin_file(
    built: Path, vba: dict[str, str]
) -> None:
    code = vba["RibbonMyAddin"]
    assert re.search(
        r"mymodule = Left\(ThisWorkbook\.Name, \(InStrRev\(ThisWorkbook\.Name, \"\.\"", code
    ), code
    assert 'RunPython "import " & mymodule & ";" & mymodule & ".main()"' in code
    assert built.name == "tthc.xlam"
    assert built.stem == tthc.__name__


def test_the_module_runmain_imports_has_a_main() -> None:
    module = importlib.import_module(Path(ADDIN_FILE_NAME).stem)
    assert callable(getattr(module, "main", None)), (
        "the ribbon button runs `import tthc; tthc.main()`, but tthc has no callable main"
    )


# --------------------------------------------------------------------------- VBA settings


def test_config_sheet_is_enabled_and_names_the_udf_module(built: Path, vba: dict[str, str]) -> None:
    # The VBA reads its settings from the sheet PROJECT_NAME & ".conf" of the add-in.
    assert 'Public Const PROJECT_NAME As String = "myaddin"' in vba["xlwings"]
    assert 'Sheets(PROJECT_NAME & ".conf")' in vba["xlwings"]
    name, settings = config_sheet(built)
    assert name == "myaddin.conf"
    assert settings["UDF Modules"] == "tthc.udfs"
    # Everything else stays as xlwings ships it.
    assert {key: value for key, value in settings.items() if key != "UDF Modules"} == {
        key: value
        for key, value in config_sheet(addin.template_path())[1].items()
        if key != "UDF Modules"
    }
    assert callable(importlib.import_module(settings["UDF Modules"]).TTHC_RATE)


def test_vba_declares_the_dll_of_the_installed_and_required_xlwings(built: Path) -> None:
    installed = installed_xlwings_version()
    assert installed == xlwings.__version__
    assert addin_dll_version(built) == installed
    assert addin_dll_version(COMMITTED) == installed
    (required,) = [
        Requirement(spec)
        for spec in pyproject()["project"]["dependencies"]
        if Requirement(spec).name == "xlwings"
    ]
    assert required.specifier.contains(installed, prereleases=True), (installed, str(required))


# --------------------------------------------------------------------------- packaging


def test_package_data_carries_the_addin_and_its_ribbon() -> None:
    folder = resources.files("tthc.xl")
    assert folder.joinpath("ribbon.xml").read_bytes() == (ROOT / "xl" / "ribbon.xml").read_bytes()
    assert folder.joinpath(ADDIN_FILE_NAME).read_bytes() == COMMITTED.read_bytes()
    for name in ("tthc_links.bas", "TthcLinkWatcher.cls"):  # what build_addin adds from them
        assert folder.joinpath(name).read_bytes() == (ROOT / "xl" / name).read_bytes()


def test_explicit_package_list_names_every_package() -> None:
    setuptools = pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"": "src", "tthc.xl": "xl"}
    expected = {"tthc.xl"} | {
        ".".join(init.parent.relative_to(ROOT / "src").parts)
        for init in (ROOT / "src" / "tthc").rglob("__init__.py")
    }
    assert set(setuptools["packages"]) == expected
    shipped = {path.name for path in (ROOT / "xl").iterdir() if path.is_file()} - {"__init__.py"}
    assert {"ribbon.xml", ADDIN_FILE_NAME, "xlwings_udfs.bas", "tthc_links.bas"} <= shipped
    assert set(setuptools["package-data"]["tthc.xl"]) == shipped  # every file of xl/ installed


# --------------------------------------------------------------------------- install


def test_install_is_refused_where_there_is_no_excel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    with pytest.raises(AddinInstallError) as raised:
        install_addin()
    message = str(raised.value)
    assert "Chỉ cài được add-in của Excel trên Windows hoặc macOS" in message
    assert str(addin.packaged_addin()) in message


def test_install_on_windows_builds_into_xlstart(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built: Path
) -> None:
    # Only sys.platform is faked: faking os.name too would make pathlib build
    # WindowsPath objects, which cannot exist on Linux.
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    installed = install_addin()
    assert installed == tmp_path / "Microsoft" / "Excel" / "XLSTART" / "tthc.xlam"
    _same_but_interpreter(installed, built, "Interpreter_Win")


def test_install_on_windows_copies_a_given_addin_under_its_fixed_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    installed = install_addin(built)
    assert installed == tmp_path / "roaming" / "Microsoft" / "Excel" / "XLSTART" / "tthc.xlam"
    assert installed.read_bytes() == built.read_bytes()
    with pytest.raises(AddinInstallError, match="Không tìm thấy tệp add-in"):
        install_addin(tmp_path / "missing.xlam")


def test_install_on_windows_needs_appdata(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("APPDATA", raising=False)
    with pytest.raises(AddinInstallError, match="APPDATA"):
        install_addin()


def test_install_on_macos_uses_excels_startup_folder_and_applescript(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    installed = install_addin()
    startup = tmp_path / "Library/Group Containers/UBF8T346G9.Office"
    assert installed == startup / "User Content.localized/Startup.localized/Excel/tthc.xlam"
    _same_but_interpreter(installed, built, "Interpreter_Mac")
    script = f"xlwings-{xlwings.__version__}.applescript"
    assert (tmp_path / "Library/Application Scripts/com.microsoft.Excel" / script).is_file()


def test_addin_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tthc.cli.commands import run

    target = tmp_path / "tthc.xlam"
    assert run(["addin", "build", "-o", str(target)]) == 0
    assert f"Đã ghi: {target}" in capsys.readouterr().out
    assert entries(target) == entries(Path(__file__).parents[2] / "xl" / "tthc.xlam")
    assert run(["addin", "build", "-o", str(tmp_path / "khac.xlam")]) == 2
    assert "phải tên là tthc.xlam" in capsys.readouterr().err
    if sys.platform.startswith("linux"):
        assert run(["addin", "install"]) == 2
        assert "Chỉ cài được add-in của Excel trên Windows hoặc macOS" in capsys.readouterr().err


def test_show_console_is_set_in_the_addin_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, built: Path
) -> None:
    """The add-in's config sheet wins over xlwings.conf, so the switch must be in it."""
    assert config_sheet(built)[1]["Show Console"] == "0"  # shipped: no console window
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    installed = install_addin(show_console=True)
    settings = config_sheet(installed)[1]
    assert settings["Show Console"] == "1"
    assert Path(settings["Interpreter_Win"]).name == "python.exe"  # pythonw prints nowhere
    assert settings["UDF Modules"] == "tthc.udfs"
    assert [k for k, v in settings.items() if v != config_sheet(built)[1][k]] == [
        "Interpreter_Win",
        "Show Console",
    ]
    with pytest.raises(AddinInstallError, match="không dùng cùng --from"):
        install_addin(built, show_console=True)


def test_install_refuses_a_pc_where_the_addin_could_not_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    seen: list[addin_checks.Setup] = []

    def problems(setup: addin_checks.Setup) -> list[str]:
        seen.append(setup)
        return ["Python ở C:\\…\\WindowsApps là bản cài từ Microsoft Store."]

    monkeypatch.setattr(addin_checks, "setup_problems", problems)
    with pytest.raises(AddinInstallError) as raised:
        install_addin()
    assert str(raised.value).startswith("Chưa cài add-in vì trên máy này nó sẽ không chạy được:")
    assert "- Python ở C:" in str(raised.value)
    assert seen[0].interpreter.parent == Path(sys.executable).parent  # the one it would name
    assert not (tmp_path / "Microsoft").exists()  # nothing written


# --------------------------------------------------------------------------- status


def test_status_reports_an_installed_addin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli.commands import run

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    assert run(["addin", "status"]) == 1  # nothing installed yet
    assert "Chưa cài add-in" in capsys.readouterr().out
    installed = install_addin()
    assert run(["addin", "status"]) == 0
    out = capsys.readouterr().out
    assert f"Add-in đã cài: {installed}" in out
    assert f"Tạo cho xlwings {xlwings.__version__}, đúng bản đang cài." in out
    assert "Các hàm =TTHC_…() có sẵn trong add-in." in out
    assert f"Python add-in sẽ gọi: {Path(sys.executable)}" in out


def test_status_flags_an_addin_built_for_another_xlwings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli.commands import run

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    install_addin()
    import tthc.excel.addin_status

    monkeypatch.setattr(tthc.excel.addin_status, "installed_xlwings_version", lambda: "0.99.0")
    assert run(["addin", "status"]) == 1
    out = capsys.readouterr().out
    assert "nhưng máy đang có xlwings 0.99.0: nút sẽ không chạy" in out


def test_status_names_the_template_s_interpreter_problems(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tthc.cli.commands import run

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("APPDATA", str(tmp_path))
    install_addin()
    import tthc.excel.addin_status

    monkeypatch.setattr(
        tthc.excel.addin_status, "setup_problems", lambda setup: [f"Không thấy {setup.interpreter}"]
    )
    assert run(["addin", "status"]) == 1
    assert f"- Không thấy {Path(sys.executable)}" in capsys.readouterr().out


# --------------------------------------------------------------------------- repair path


class _FakeBook:
    def __init__(self, path: str, log: list[str]) -> None:
        self.api = f"COM workbook {Path(path).name}"
        self.log = log
        log.append(f"open {path}")

    def save(self) -> None:
        self.log.append("save")


class _FakeApp:
    """What `import_functions` asks of xlwings' App, recording it."""

    log: ClassVar[list[str]] = []

    def __init__(self, visible: bool, add_book: bool) -> None:
        assert (visible, add_book) == (False, False)
        self.books = types.SimpleNamespace(open=lambda path: _FakeBook(path, self.log))

    def quit(self) -> None:
        self.log.append("quit")


def _fake_excel(monkeypatch: pytest.MonkeyPatch, error: Exception | None) -> list[str]:
    log: list[str] = []
    _FakeApp.log = log

    def import_udfs(modules: str, workbook: object) -> None:
        log.append(f"import {modules} into {workbook}")
        if error is not None:
            raise error

    monkeypatch.setattr(xlwings, "App", _FakeApp)
    monkeypatch.setitem(sys.modules, "xlwings.udfs", types.SimpleNamespace(import_udfs=import_udfs))
    monkeypatch.setattr(sys, "platform", "win32")
    return log


def test_import_functions_runs_xlwings_import_through_excel_and_saves(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = _fake_excel(monkeypatch, None)
    monkeypatch.setenv("APPDATA", str(tmp_path))
    installed = install_addin(repair_functions=True)
    assert log == [
        f"open {installed}",
        "import tthc.udfs into COM workbook tthc.xlam",
        "save",
        "quit",
    ]


def test_import_functions_explains_a_vba_access_policy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    refused = Exception(-2146827284, "Programmatic access to Visual Basic Project is not trusted")
    log = _fake_excel(monkeypatch, refused)
    with pytest.raises(AddinInstallError) as raised:
        addin.import_functions(tmp_path / "tthc.xlam")
    assert "«Trust access to the VBA project object model» đang tắt" in str(raised.value)
    assert "các hàm đã có sẵn trong đó" in str(raised.value)
    assert log[-1] == "quit" and "save" not in log  # Excel closed, nothing saved


def test_import_functions_needs_windows(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")  # Excel for Mac has no VBA import to drive
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    with pytest.raises(AddinInstallError, match="chỉ chạy được trên Windows"):
        install_addin(repair_functions=True)
    assert not any(tmp_path.iterdir())  # refused before anything was written
