"""Build and install the Excel add-in ``tthc.xlam`` (ribbon tab "Báo cáo TTHC").

Why it is built this way:

- The add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` (what ``xlwings
  quickstart NAME --addin --ribbon`` copies) with four parts swapped in the zip.
  Its VBA declares the xlwings DLL of exactly the installed xlwings version, so
  the add-in must be built from the xlwings it runs with.
- The worksheet functions are already inside: the VBA project gets the module
  ``xlwings_udfs`` that xlwings' «Import Functions» would create for
  ``tthc.udfs`` (the text is ``xl/xlwings_udfs.bas``; :mod:`tthc.excel.vba_project`
  writes it per MS-OVBA). No clerk has to trust access to the VBA object model.
- The ribbon button calls the VBA ``RibbonMyAddin.RunMain``, which runs
  ``import NAME; NAME.main()`` where NAME is the add-in's file name without
  extension. Hence the file must be called ``tthc.xlam``.
- The template's VBA reads its settings from a sheet named ``myaddin.conf`` in
  the add-in (``PROJECT_NAME`` is "myaddin" and stays so: it lives in the VBA).
  The template ships that sheet disabled as ``_myaddin.conf``; the build enables
  it and sets "UDF Modules" to ``tthc.udfs``, so that a repeated «Import
  Functions» (the repair path) imports our module, not the default (``tthc``).

Everything else in the zip is copied unchanged, in the template's order and
with its compression method, so Excel sees xlwings' tested file plus our ribbon.
Reading every module back (:func:`vba_modules`) needs ``oletools``, a
test-only dependency; :func:`addin_dll_version` uses the project's own reader.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import re
import sys
import warnings
import zipfile
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree

from tthc.infra.os_messages import os_reason
from tthc.infra.safe_write import write_bytes_atomic
from tthc.infra.xlsx_parts import shared_strings
from tthc.infra.xml_text import escape
from tthc.workbook.layout import ADDIN_FILE_NAME  # RunMain imports the module named like it

if TYPE_CHECKING:
    from tthc.excel.vba_project import ModuleKind

__all__ = [
    "ADDIN_FILE_NAME",
    "CONFIG_SHEET_NAME",
    "CUSTOMUI_NAMESPACE",
    "UDF_MODULES",
    "UDF_VBA_MODULE",
    "AddinBuildError",
    "AddinError",
    "AddinInstallError",
    "addin_bytes",
    "addin_dll_version",
    "addin_install_dir",
    "build_addin",
    "import_functions",
    "installed_xlwings_version",
    "packaged_addin",
    "ribbon_source",
    "template_path",
    "udf_module_source",
    "vba_modules",
]

#: The config sheet the template's VBA reads (PROJECT_NAME & ".conf").
CONFIG_SHEET_NAME = "myaddin.conf"
#: Value of "UDF Modules" on the config sheet: the module holding the =TTHC_…() functions.
UDF_MODULES = "tthc.udfs"
#: The ribbon schema Excel expects with the template's relationship type.
CUSTOMUI_NAMESPACE = "http://schemas.microsoft.com/office/2006/01/customui"

_TEMPLATE_NAME = "quickstart_addin_ribbon.xlam"
_PACKAGE = "tthc.xl"
_RIBBON_RESOURCE = "ribbon.xml"
_UDF_MODULE_RESOURCE = "xlwings_udfs.bas"
#: The VBA module of the worksheet functions, named as xlwings' «Import Functions» names it.
UDF_VBA_MODULE = "xlwings_udfs"
#: Our own VBA, added after xlwings' modules: it moves a workbook's links to another PC's
#: tthc.xlam onto this PC's copy when the workbook opens (see xl/tthc_links.bas).
LINK_VBA_MODULES: tuple[tuple[str, str, ModuleKind], ...] = (
    ("TthcLinkWatcher", "TthcLinkWatcher.cls", "class"),
    ("tthc_links", "tthc_links.bas", "standard"),
)
_VBA_PART = "xl/vbaProject.bin"
_CUSTOMUI_PART = "customUI/customUI.xml"
_WORKBOOK_PART = "xl/workbook.xml"
_CONFIG_SHEET_PART = "xl/worksheets/sheet1.xml"
_SHARED_STRINGS_PART = "xl/sharedStrings.xml"
_DISABLED_CONFIG_SHEET = "_" + CONFIG_SHEET_NAME
_UDF_MODULES_KEY = "UDF Modules"
_SHOW_CONSOLE_KEY = "Show Console"  # a TRUE/FALSE cell: Python's console window while it runs
_UDF_MODULES_ROW = 6
_DLL_VERSION = re.compile(r"xlwings(?:32|64)-(\d+(?:\.\d+)+)\.dll", re.IGNORECASE)
_VB_NAME = re.compile(r'^Attribute VB_Name = "([^"]+)"', re.MULTILINE)

# Where Excel opens add-ins from at start-up (its StartupPath), as `xlwings addin
# install` finds it by asking Excel; the defaults, so no running Excel is needed.
_WINDOWS_XLSTART = ("Microsoft", "Excel", "XLSTART")
_MAC_STARTUP = (
    "Library",
    "Group Containers",
    "UBF8T346G9.Office",
    "User Content.localized",
    "Startup.localized",
    "Excel",
)
# On macOS RunPython goes through AppleScriptTask, which only runs scripts from
# this folder (`xlwings runpython install`, which `xlwings addin install` calls).
_MAC_APPLESCRIPTS = ("Library", "Application Scripts", "com.microsoft.Excel")


class AddinError(Exception):
    """A problem with the add-in; the message is Vietnamese and meant for the user."""


class AddinBuildError(AddinError):
    """The add-in cannot be built (wrong file name, unexpected xlwings template)."""


class AddinInstallError(AddinError):
    """The add-in cannot be installed on this machine."""


# --------------------------------------------------------------------------- sources


def template_path() -> Path:
    """xlwings' ribbon add-in template, from the installed xlwings (its VBA matches its DLL)."""
    import xlwings

    path = Path(xlwings.__file__).parent / _TEMPLATE_NAME
    if not path.is_file():
        raise AddinBuildError(
            f"Không tìm thấy mẫu add-in của xlwings ({path}). "
            "Hãy cài lại gói xlwings đúng phiên bản ghi trong pyproject.toml."
        )
    return path


def installed_xlwings_version() -> str:
    """The installed xlwings version: the DLL version the add-in's VBA must declare."""
    import xlwings

    return str(xlwings.__version__)


def ribbon_source() -> bytes:
    """The ribbon XML shipped as package data (``xl/ribbon.xml`` → ``tthc.xl``)."""
    return resources.files(_PACKAGE).joinpath(_RIBBON_RESOURCE).read_bytes()


def udf_module_source() -> str:
    """The VBA of the worksheet functions (``xl/xlwings_udfs.bas`` → ``tthc.xl``).

    Exactly what xlwings' «Import Functions» writes for ``tthc.udfs``; the tests
    regenerate it with xlwings and compare, so it cannot drift from the Python.
    """
    return _vba_resource(_UDF_MODULE_RESOURCE)


def _vba_resource(name: str) -> str:
    """A VBA source shipped as package data (ASCII, as the add-in's code page 1252 holds it)."""
    return resources.files(_PACKAGE).joinpath(name).read_bytes().decode("ascii")


def packaged_addin() -> Path:
    """The prebuilt ``tthc.xlam`` shipped as package data (may be stale after an upgrade)."""
    return Path(str(resources.files(_PACKAGE).joinpath(ADDIN_FILE_NAME)))


# --------------------------------------------------------------------------- build


def build_addin(
    target: Path, interpreter: dict[str, str] | None = None, *, show_console: bool = False
) -> Path:
    """Write the add-in to ``target`` (which must be named ``tthc.xlam``) and return it.

    The file is written to a temporary file next to ``target`` and renamed into
    place, so a running Excel or a crash never sees half an add-in.
    """
    target = Path(target)
    if target.name != ADDIN_FILE_NAME:
        raise AddinBuildError(
            f"Tệp add-in phải tên là {ADDIN_FILE_NAME} (đang là {target.name!r}): nút "
            "«Tạo báo cáo» chạy mô-đun Python trùng tên tệp add-in, tức là «tthc»."
        )
    write_bytes_atomic(target, addin_bytes(interpreter, show_console=show_console), overwrite=True)
    return target


def this_interpreter(*, console: bool = False) -> dict[str, str]:
    """The config entry naming the Python running this command (the one that has tthc).

    Once the add-in's config sheet is active, its blank interpreter cells would
    win over a per-user config file and Excel would start whatever `python` is
    first on PATH; naming this one avoids "No module named tthc".
    """
    executable = Path(sys.executable)
    if sys.platform.startswith("win"):
        if console:  # python.exe prints into the window "Show Console" opens; pythonw cannot
            return {"Interpreter_Win": str(executable.with_name("python.exe"))}
        windowless = executable.with_name("pythonw.exe")  # no console window flashing
        return {"Interpreter_Win": str(windowless if windowless.exists() else executable)}
    return {"Interpreter_Mac": str(executable)}


def addin_bytes(interpreter: dict[str, str] | None = None, *, show_console: bool = False) -> bytes:
    """The add-in as bytes: the template with the ribbon and the config sheet swapped in.

    `interpreter` ({"Interpreter_Win": path} or {"Interpreter_Mac": path}) names
    the Python that has tthc installed; the shipped add-in leaves it blank.
    `show_console` turns on xlwings' "Show Console" (Python's window and its
    messages while the button runs): for finding a fault, never for daily use.
    The setting must live in the add-in: its config sheet wins over any
    per-user xlwings.conf, so editing that file changes nothing.
    """
    template = template_path()
    ribbon = ribbon_source()
    _check_ribbon(ribbon)
    buffer = io.BytesIO()
    with zipfile.ZipFile(template) as source:
        names = set(source.namelist())
        missing = {
            _CUSTOMUI_PART,
            _WORKBOOK_PART,
            _CONFIG_SHEET_PART,
            _SHARED_STRINGS_PART,
            _VBA_PART,
        }
        if missing - names:
            raise _template_changed(template, f"thiếu {sorted(missing - names)}")
        shared = shared_strings(source.read(_SHARED_STRINGS_PART))
        if shared is None:
            raise _template_changed(template, "bảng chuỗi dùng chung có dạng lạ")
        replaced = {
            _CUSTOMUI_PART: ribbon,
            _WORKBOOK_PART: _enable_config_sheet(source.read(_WORKBOOK_PART), template),
            _CONFIG_SHEET_PART: _set_config_flag(
                _set_config_values(
                    source.read(_CONFIG_SHEET_PART),
                    shared,
                    {_UDF_MODULES_KEY: UDF_MODULES, **(interpreter or {})},
                    template,
                ),
                shared,
                _SHOW_CONSOLE_KEY,
                show_console,
                template,
            ),
            _VBA_PART: _with_functions(source.read(_VBA_PART), template),
        }
        with zipfile.ZipFile(buffer, "w") as out:
            for info in source.infolist():
                data = replaced.get(info.filename)
                if data is None:
                    data = source.read(info)
                # Same name, date, method and extra fields as the template's entry.
                out.writestr(copy.copy(info), data)
    built = buffer.getvalue()
    with zipfile.ZipFile(io.BytesIO(built)) as check:
        bad = check.testzip()
    if bad is not None:  # pragma: no cover - zipfile writing its own output wrong
        raise AddinBuildError(f"Tệp add-in vừa tạo bị hỏng ở mục {bad}.")
    return built


def _with_functions(project: bytes, template: Path) -> bytes:
    """The template's VBA project with the worksheet functions' and the link modules added."""
    from tthc.excel.vba_project import VbaProjectError, with_module

    try:
        project = with_module(project, UDF_VBA_MODULE, udf_module_source())
        for name, resource, kind in LINK_VBA_MODULES:
            project = with_module(project, name, _vba_resource(resource), kind)
        return project
    except VbaProjectError as error:
        raise _template_changed(template, f"dự án VBA: {error}") from error


def _check_ribbon(ribbon: bytes) -> None:
    """Fail here rather than in Excel, which silently drops a malformed ribbon."""
    try:
        root = ElementTree.fromstring(ribbon)
    except ElementTree.ParseError as error:
        raise AddinBuildError(f"Tệp ribbon.xml không phải XML hợp lệ: {error}") from error
    if root.tag != f"{{{CUSTOMUI_NAMESPACE}}}customUI":
        raise AddinBuildError(
            f"Tệp ribbon.xml phải có thẻ gốc customUI trong namespace {CUSTOMUI_NAMESPACE}."
        )


def _template_changed(template: Path, detail: str) -> AddinBuildError:
    return AddinBuildError(
        f"Mẫu add-in của xlwings ({template}) không còn như mong đợi: {detail}. "
        "Có lẽ xlwings đã được nâng cấp; hãy cài đúng phiên bản ghi trong pyproject.toml."
    )


def _enable_config_sheet(workbook_xml: bytes, template: Path) -> bytes:
    """Rename the sheet "_myaddin.conf" to "myaddin.conf": the VBA only reads the latter."""
    old = f'name="{_DISABLED_CONFIG_SHEET}"'.encode()
    if workbook_xml.count(old) != 1:
        raise _template_changed(template, f"không có đúng một trang «{_DISABLED_CONFIG_SHEET}»")
    return workbook_xml.replace(old, f'name="{CONFIG_SHEET_NAME}"'.encode())


def _set_config_values(
    sheet_xml: bytes, strings: list[str], values: dict[str, str], template: Path
) -> bytes:
    """Put each value into column B next to its key in column A of the config sheet.

    Text surgery rather than an XML rewrite, so that every namespace prefix and
    the rest of the part stay byte for byte as Excel wrote them.
    """
    text = sheet_xml.decode("utf-8")
    row_pattern = re.compile(r'<row r="(?P<r>\d+)"(?P<attrs>[^>]*)>(?P<cells>.*?)</row>')
    found: set[str] = set()
    pieces: list[str] = []
    position = 0
    for row in row_pattern.finditer(text):
        number = row["r"]
        key_cell = re.fullmatch(
            rf'<c r="A{number}"(?P<style> s="\d+")? t="s"><v>(?P<index>\d+)</v></c>',
            row["cells"],
        )
        if key_cell is None or int(key_cell["index"]) >= len(strings):
            continue
        key = strings[int(key_cell["index"])]
        if key not in values:
            continue
        found.add(key)
        attrs = re.sub(r'spans="\d+:\d+"', 'spans="1:2"', row["attrs"])
        value_cell = (
            f'<c r="B{number}"{key_cell["style"] or ""} t="inlineStr">'
            f"<is><t>{escape(values[key])}</t></is></c>"
        )
        pieces += [
            text[position : row.start()],
            f'<row r="{number}"{attrs}>{row["cells"]}{value_cell}</row>',
        ]
        position = row.end()
    missing = set(values) - found
    if missing:
        raise _template_changed(
            template,
            f"trang cấu hình không có khóa {sorted(missing)} với ô bên cạnh còn trống",
        )
    return ("".join(pieces) + text[position:]).encode("utf-8")


def _set_config_flag(
    sheet_xml: bytes, strings: list[str], key: str, value: bool, template: Path
) -> bytes:
    """Set the TRUE/FALSE cell in column B next to `key` (text surgery, as above)."""
    if key not in strings:
        raise _template_changed(template, f"trang cấu hình không có khóa «{key}»")
    pattern = re.compile(
        rf'(<c r="A(?P<row>\d+)"(?: s="\d+")? t="s"><v>{strings.index(key)}</v></c>'
        rf'<c r="B(?P=row)"(?: s="\d+")? t="b"><v>)[01](</v></c>)'
    )
    text, found = pattern.subn(rf"\g<1>{int(value)}\g<3>", sheet_xml.decode("utf-8"))
    if found != 1:
        raise _template_changed(template, f"ô đúng/sai của khóa «{key}» không như mong đợi")
    return text.encode("utf-8")


# --------------------------------------------------------------------------- inspect


def vba_modules(path: Path) -> dict[str, str]:
    """The VBA source of each module of an Excel file, by module name (needs oletools).

    Used to check, without Excel, that the ribbon calls procedures that exist
    and that the VBA declares the DLL of the installed xlwings.
    """
    try:
        # oletools 0.60 calls pyparsing names deprecated in pyparsing 3.3: noise, not ours.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from oletools.olevba import VBA_Parser
    except ImportError as error:  # pragma: no cover - oletools is in the test extra
        raise AddinError(
            "Cần gói oletools để đọc mã VBA của add-in: pip install 'tthc[test]'."
        ) from error
    parser = VBA_Parser(str(path))
    try:
        modules: dict[str, str] = {}
        for _container, _stream, file_name, code in parser.extract_macros():
            source = code.replace("\r\n", "\n")
            named = _VB_NAME.search(source)
            modules[named.group(1) if named else Path(file_name).stem] = source
        return modules
    finally:
        parser.close()


def addin_dll_version(path: Path) -> str:
    """The xlwings version whose DLL the add-in's VBA declares (``xlwings64-X.Y.Z.dll``).

    The VBA calls the DLL by that exact file name, which only the same xlwings
    version installs: a mismatch means the button fails in Excel. Read with the
    project's own VBA reader, so no test-only library is needed.
    """
    from tthc.excel.vba_project import VbaProjectError, module_source

    try:
        with zipfile.ZipFile(path) as book:
            code = module_source(book.read(_VBA_PART), "xlwings")
    except (OSError, KeyError, zipfile.BadZipFile, VbaProjectError) as error:
        raise AddinError(f"Không đọc được mã VBA của {path}: {error}") from error
    versions = {match.group(1) for match in _DLL_VERSION.finditer(code)}
    if len(versions) != 1:
        raise AddinError(
            f"Không xác định được phiên bản DLL xlwings trong mã VBA của {path} "
            f"(tìm thấy: {sorted(versions) or 'không có'})."
        )
    return versions.pop()


# --------------------------------------------------------------------------- install


def addin_install_dir() -> Path:
    """Excel's start-up folder for this user: an add-in there opens with every Excel.

    Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART``. macOS (Excel 2016 and
    later): ``~/Library/Group Containers/UBF8T346G9.Office/User
    Content.localized/Startup.localized/Excel``. Other systems have no Excel.
    """
    if sys.platform.startswith("win"):
        appdata = os.environ.get("APPDATA")
        if not appdata:
            raise AddinInstallError(
                "Không tìm thấy thư mục APPDATA của người dùng Windows, "
                "nên không biết thư mục XLSTART của Excel ở đâu."
            )
        return Path(appdata).joinpath(*_WINDOWS_XLSTART)
    if sys.platform == "darwin":
        return Path.home().joinpath(*_MAC_STARTUP)
    raise AddinInstallError(_unsupported_system_message(None))


def install_addin(
    source: Path | None = None, *, show_console: bool = False, repair_functions: bool = False
) -> Path:
    """Put the add-in into Excel's start-up folder and return its path there.

    With no ``source`` the add-in is built fresh from the installed xlwings and
    the packaged ribbon, so its VBA always matches the xlwings DLL in use. The
    installed file is always named ``tthc.xlam`` (the button imports ``tthc``).
    Excel must be closed (or the add-in unloaded) or Windows refuses to replace it.
    """
    if not (sys.platform.startswith("win") or sys.platform == "darwin"):
        raise AddinInstallError(_unsupported_system_message(source))
    if source is not None and not Path(source).is_file():
        raise AddinInstallError(f"Không tìm thấy tệp add-in {source}.")
    if repair_functions and not sys.platform.startswith("win"):
        raise AddinInstallError("--import-functions chỉ chạy được trên Windows có Excel.")
    if source is not None and show_console:
        raise AddinInstallError(
            "--show-console ghi thiết lập vào add-in mới tạo, nên không dùng cùng --from."
        )
    folder = addin_install_dir()
    target = folder / ADDIN_FILE_NAME
    interpreter = this_interpreter(console=show_console)
    _refuse_unworkable_setup(interpreter)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if source is None:
            build_addin(target, interpreter, show_console=show_console)
        else:
            write_bytes_atomic(target, Path(source).read_bytes(), overwrite=True)
        if sys.platform == "darwin":
            _install_mac_applescript()
        if repair_functions:
            import_functions(target)
    except PermissionError as error:
        raise AddinInstallError(
            f"Không ghi được {target}: có thể Excel đang mở add-in này. "
            "Hãy đóng hẳn Excel rồi chạy lại lệnh."
        ) from error
    except OSError as error:
        raise AddinInstallError(
            f"Không cài được add-in vào {folder}: {os_reason(error)}."
        ) from error
    return target


#: What Excel says when «Trust access to the VBA project object model» is off.
_VBA_ACCESS_REFUSED = ("-2146827284", "not trusted", "không được tin cậy")


def import_functions(target: Path) -> Path:
    """Repair path: have Excel itself import the functions into the installed add-in.

    The add-in already holds them; this is for a PC where that module does not
    work. It runs xlwings' own «Import Functions» (`xlwings.udfs.import_udfs`)
    through Excel and saves the add-in, which needs «Trust access to the VBA
    project object model»: where policy forbids it, the message says so.
    """
    if not sys.platform.startswith("win"):
        raise AddinInstallError("--import-functions chỉ chạy được trên Windows có Excel.")
    import xlwings as xw

    try:
        from xlwings.udfs import import_udfs
    except ImportError as error:
        raise AddinInstallError(f"Không nạp được phần hàm của xlwings: {error}") from error
    try:
        app = xw.App(visible=False, add_book=False)
    except Exception as error:
        raise AddinInstallError(f"Không mở được Excel để nạp các hàm: {error}") from error
    try:
        book = app.books.open(str(target))
        try:
            import_udfs(UDF_MODULES, book.api)
        except Exception as error:
            text = str(error)
            if any(mark in text for mark in _VBA_ACCESS_REFUSED):
                raise AddinInstallError(
                    "Excel không cho nạp hàm vào add-in vì mục «Trust access to the VBA project "
                    "object model» đang tắt (File › Options › Trust Center › Trust Center "
                    "Settings › Macro Settings). Nếu máy do cơ quan quản lý khóa mục này, hãy "
                    "dùng add-in như đã cài: các hàm đã có sẵn trong đó."
                ) from error
            raise AddinInstallError(f"Excel không nạp được các hàm: {text}") from error
        book.save()
    finally:
        with contextlib.suppress(Exception):
            app.quit()
    return target


def _refuse_unworkable_setup(interpreter: dict[str, str]) -> None:
    """Refuse, before writing anything, a set-up whose add-in could not start Python."""
    from tthc.excel.addin_checks import current_setup, setup_problems

    path = interpreter.get("Interpreter_Win") or interpreter.get("Interpreter_Mac") or ""
    problems = setup_problems(current_setup(Path(path)))
    if problems:
        listed = "\n".join(f"- {problem}" for problem in problems)
        raise AddinInstallError(f"Chưa cài add-in vì trên máy này nó sẽ không chạy được:\n{listed}")


def _install_mac_applescript() -> None:
    """Copy xlwings' AppleScript where Excel for Mac may run it (as xlwings does)."""
    import xlwings

    script = Path(xlwings.__file__).parent / f"xlwings-{installed_xlwings_version()}.applescript"
    folder = Path.home().joinpath(*_MAC_APPLESCRIPTS)
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / script.name, script.read_bytes(), overwrite=True)


def _unsupported_system_message(source: Path | None) -> str:
    built = Path(source) if source is not None else packaged_addin()
    return (
        "Chỉ cài được add-in của Excel trên Windows hoặc macOS "
        f"(máy này chạy {sys.platform}). Tệp add-in nằm ở: {built}. "
        "Hãy chép tệp đó sang máy có Excel và cài ở đó."
    )
