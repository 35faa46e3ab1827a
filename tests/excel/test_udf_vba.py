"""What Excel gets from xlwings' "Import Functions" for `tthc.udfs`, produced on Linux.

On Windows, "Import Functions" runs `xlwings.udfs.import_udfs`: it imports the
UDF module with the real `@xw.func`/`@xw.arg`/`@xw.ret` decorators, writes a
VBA module of wrappers (`generate_vba_wrapper`) that `VBComponents.Import`
loads into the add-in, then registers each function's help texts with
`Application.MacroOptions`. Here the four Windows-only modules that
`xlwings/udfs.py` imports (pythoncom, pywintypes, win32com, win32com.client)
are stubbed, the decorators are the Windows ones, and a fake workbook records
what Excel would receive. The module is pinned in xl/xlwings_udfs.bas (which the
add-in carries), the help texts in tests/golden/udfs.bas, and
the rules Excel imposes are checked on their own: ASCII names, arguments as in
Python, Vietnamese help texts of at most 255 characters.

Regenerate the golden file only after reviewing the difference:
TTHC_UPDATE_GOLDEN=1 pytest tests/excel/test_udf_vba.py
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import xlwings

import tthc
from tthc import udfs
from tthc.excel import addin
from tthc.excel.addin import ADDIN_FILE_NAME, UDF_MODULES

GOLDEN = Path(__file__).parents[1] / "golden" / "udfs.bas"
SHIPPED = Path(__file__).parents[2] / "xl" / "xlwings_udfs.bas"  # built into tthc.xlam
WINDOWS_ONLY = ("pythoncom", "pywintypes", "win32com", "win32com.client")
XLWINGS_DEFAULT_ARG_DOC = "Positional argument "  # what xlwings writes when no doc is given
UPDATE_HINT = (
    "review the VBA and help texts xlwings now writes, then regenerate the golden file: "
    "TTHC_UPDATE_GOLDEN=1 pytest tests/excel/test_udf_vba.py"
)


# --- running xlwings' "Import Functions" against a fake workbook ----------------------------


class _ComError(Exception):
    """Stands in for pywintypes.com_error."""


def _windows_stubs() -> dict[str, types.ModuleType]:
    """Just what `xlwings/udfs.py` touches at import time (and in `import_udfs`)."""
    pythoncom = types.ModuleType("pythoncom")
    pythoncom.CoInitialize = lambda: None  # type: ignore[attr-defined]  # executor initializer
    pywintypes = types.ModuleType("pywintypes")
    pywintypes.com_error = _ComError  # type: ignore[attr-defined]
    win32com = types.ModuleType("win32com")
    client = types.ModuleType("win32com.client")
    client.Dispatch = lambda *args: None  # type: ignore[attr-defined]
    win32com.client = client  # type: ignore[attr-defined]
    return {
        "pythoncom": pythoncom,
        "pywintypes": pywintypes,
        "win32com": win32com,
        "win32com.client": client,
    }


class _Components:
    """`VBProject.VBComponents`: the module is not there yet; Import reads the .bas file."""

    def __init__(self) -> None:
        self.imported: bytes | None = None

    def __call__(self, name: str) -> Any:
        raise _ComError(name)

    def Remove(self, component: Any) -> None:
        raise AssertionError("nothing to remove")

    def Import(self, path: str) -> None:
        self.imported = Path(path).read_bytes()


@dataclass
class _Application:
    Version: str = "16.0"
    macro_options: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def MacroOptions(self, macro: str, **options: Any) -> None:
        self.macro_options.append((macro, options))

    def Run(self, *args: Any) -> None:
        raise AssertionError(f"fallback import should not be needed: {args}")


class _Workbook:
    """The add-in as `import_udfs` sees it (xlwings uses ActiveWorkbook for an .xlam)."""

    def __init__(self) -> None:
        self.Name = ADDIN_FILE_NAME
        self.Application = _Application()
        self.VBProject = types.SimpleNamespace(VBComponents=_Components())


@dataclass(frozen=True)
class Imported:
    """`tthc.udfs` as Windows loads it, and what Excel received from "Import Functions"."""

    module: types.ModuleType
    bas: str  # the VBA module handed to VBComponents.Import
    bas_bytes: bytes
    macro_options: list[tuple[str, dict[str, Any]]]


def _fresh_udfs_module() -> types.ModuleType:
    """A new copy of tthc.udfs, decorated by whatever xlwings.func/arg/ret are now."""
    path = Path(tthc.__file__).parent / "excel" / "functions.py"
    spec = importlib.util.spec_from_file_location(UDF_MODULES, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def imported() -> Iterator[Imported]:
    saved = sys.modules.copy()
    had_udfs_attribute = "udfs" in vars(xlwings)
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, stub in _windows_stubs().items():
                patch.setitem(sys.modules, name, stub)
            xl_udfs = importlib.import_module("xlwings.udfs")
            # What xlwings/__init__.py binds on Windows instead of the no-op decorators.
            patch.setattr(xlwings, "func", xl_udfs.xlfunc)
            patch.setattr(xlwings, "arg", xl_udfs.xlarg)
            patch.setattr(xlwings, "ret", xl_udfs.xlret)
            patch.setattr(xlwings, "script", xl_udfs.xlsub)
            patch.setattr(xl_udfs, "__pro__", False)  # no embedded code, no config sheet
            module = _fresh_udfs_module()
            # get_udf_module would import through COM; hand it the module directly.
            patch.setitem(
                xl_udfs.udf_modules,
                UDF_MODULES,
                {"filename": module.__file__, "filetime": None, "module": module},
            )
            book = _Workbook()
            xl_udfs.import_udfs(UDF_MODULES, book)
    finally:
        # Drop the stubs and what was imported on top of them (xlwings.udfs); standard
        # modules it pulled in (asyncio, concurrent.futures) are real and stay loaded, as
        # re-importing C-backed modules such as _asyncio later would be asking for trouble.
        for name in set(sys.modules) - set(saved):
            if name in WINDOWS_ONLY or name == "xlwings" or name.startswith("xlwings."):
                del sys.modules[name]
        sys.modules.update(saved)
        if not had_udfs_attribute and "udfs" in vars(xlwings):
            delattr(xlwings, "udfs")
    data = book.VBProject.VBComponents.imported
    assert data is not None, "import_udfs did not import a VBA module"
    text = data.decode("utf-8").replace("\r\n", "\n")
    yield Imported(module, text, data, book.Application.macro_options)


def test_fixture_leaves_no_stub_behind(imported: Imported) -> None:
    assert not any(name in sys.modules for name in WINDOWS_ONLY)
    assert "xlwings.udfs" not in sys.modules
    assert not hasattr(udfs.TTHC_RATE, "__xlfunc__")  # the package's own module is untouched
    assert xlwings.func(udfs.TTHC_RATE) is udfs.TTHC_RATE  # the no-op decorator again


def test_the_stubbed_modules_are_the_windows_only_imports() -> None:
    """If an xlwings upgrade imports another Windows-only module, the stubs must follow."""
    source = Path(xlwings.__file__).with_name("udfs.py").read_text(encoding="utf-8")
    top_level: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Import):
            top_level.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top_level.add(node.module)

    def missing(name: str) -> bool:
        try:
            return importlib.util.find_spec(name) is None
        except ModuleNotFoundError:  # the parent package is missing
            return True

    assert {name for name in top_level if missing(name)} == {
        "pythoncom",
        "pywintypes",
        "win32com.client",  # and so its package win32com, stubbed too
    }


# --- the golden file -----------------------------------------------------------------------


def _render(imported: Imported) -> str:
    """The golden text: a version line, then the MacroOptions as comments.

    The VBA module itself is pinned by xl/xlwings_udfs.bas, which the add-in carries.
    """
    lines = [
        f'\' xlwings {xlwings.__version__}: what "Import Functions" writes for {UDF_MODULES} '
        f"into {ADDIN_FILE_NAME}.",
        "' Snapshot made by tests/excel/test_udf_vba.py. The VBA module (VBComponents.Import)",
        "' is xl/xlwings_udfs.bas, built into the add-in and checked by the same test.",
        "' --- Application.MacroOptions: the Function Wizard's help texts ---",
    ]
    for macro, options in imported.macro_options:
        info = getattr(imported.module, macro.rsplit("!", 1)[1]).__xlfunc__
        names = [arg["name"] for arg in info["args"] if not arg["vba"]]
        lines.append(f"' {macro}")
        lines.append(f"'     Description: {options['Description']}")
        lines.append(f"'     Category: {options['Category']}")
        descriptions = options["ArgumentDescriptions"] or []
        assert len(descriptions) == len(names)
        for name, text in zip(names, descriptions, strict=True):
            lines.append(f"'     {name}: {text}")
    return "\n".join(lines) + "\n"


def _golden_version() -> str:
    first = GOLDEN.read_text(encoding="utf-8").split("\n", 1)[0]
    match = re.match(r"' xlwings (\S+):", first)
    assert match, f"{GOLDEN.name} has no version line; {UPDATE_HINT}"
    return match.group(1)


def test_golden_vba(imported: Imported) -> None:
    text = _render(imported)
    if os.environ.get("TTHC_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    golden = GOLDEN.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert text == golden, UPDATE_HINT


def test_the_shipped_module_is_what_xlwings_imports(imported: Imported) -> None:
    """The add-in carries xlwings' own «Import Functions» text, so the two cannot drift."""
    if os.environ.get("TTHC_UPDATE_GOLDEN"):
        SHIPPED.write_text(imported.bas, encoding="ascii", newline="\n")
    assert SHIPPED.read_text(encoding="ascii") == imported.bas, (
        f"{SHIPPED.name} differs from what xlwings now imports; {UPDATE_HINT}, then rebuild "
        "xl/tthc.xlam"
    )
    assert addin.udf_module_source() == imported.bas  # the copy installed as package data


def test_xlwings_version_matches_the_golden_file() -> None:
    made_with = _golden_version()
    assert xlwings.__version__ == made_with, (
        f"xlwings {xlwings.__version__} is installed but {GOLDEN.name} was made with "
        f"xlwings {made_with}: {UPDATE_HINT}"
    )


def test_the_vba_module_is_ascii(imported: Imported) -> None:
    """VBA modules are read in the ANSI code page: anything else would be mangled."""
    assert imported.bas_bytes.isascii()
    assert imported.bas.startswith('Attribute VB_Name = "xlwings_udfs"\n')


# --- names and arguments -------------------------------------------------------------------

# VBA keywords a parameter name must not be (case does not matter in VBA).
VBA_KEYWORDS = frozenset(
    word.casefold()
    for word in re.findall(
        r"\w+",
        """
        And As Boolean ByRef ByVal Call Case Const Currency Date Dim Do Double Each Else
        ElseIf End Enum Erase Error Exit False For Function Get GoTo If In Integer Is Let
        Like Long Loop Me Mod Name New Next Not Nothing Object On Optional Or ParamArray
        Private Property Public ReDim Resume Select Set Single Static Step Stop String Sub
        Then To True Type Until Variant Wend While With Xor
        """,
    )
)

_SIGNATURE = re.compile(r"^(Function|Sub) (\w+)\((.*)\)$", re.MULTILINE)


def _vba_signatures(bas: str) -> dict[str, tuple[str, list[tuple[str, bool]]]]:
    """name -> (Function or Sub, [(argument, optional)]) as declared in the VBA module."""
    signatures = {}
    for kind, name, arguments in _SIGNATURE.findall(bas):
        parsed = []
        for argument in filter(None, (a.strip() for a in arguments.split(","))):
            optional = argument.startswith("Optional ")
            parsed.append((argument.removeprefix("Optional "), optional))
        assert name not in signatures, f"{name} declared twice"
        signatures[name] = (kind, parsed)
    return signatures


def test_exported_names_are_the_module_s_ascii_functions(imported: Imported) -> None:
    signatures = _vba_signatures(imported.bas)
    assert sorted(signatures) == sorted(udfs.__all__)
    for name, (kind, arguments) in signatures.items():
        assert name.isascii() and re.fullmatch(r"TTHC_[A-Z]+", name), name
        assert kind == "Function", f"{name} would be imported as a Sub"
        for argument, _optional in arguments:
            assert argument.casefold() not in VBA_KEYWORDS, f"{name}({argument})"


@pytest.mark.parametrize("name", udfs.__all__)
def test_vba_arguments_match_the_python_signature(imported: Imported, name: str) -> None:
    _kind, arguments = _vba_signatures(imported.bas)[name]
    parameters = inspect.signature(getattr(udfs, name)).parameters.values()
    expected = [(p.name, p.default is not inspect.Parameter.empty) for p in parameters]
    assert arguments == expected
    assert all(argument.isascii() for argument, _optional in arguments)
    names = ", ".join(argument for argument, _optional in arguments)
    # Both calls into Python (Excel and the #Else branch) pass the same arguments in order.
    calls = re.findall(
        rf'XLPy\.CallUDF\("{re.escape(UDF_MODULES)}", "{name}", Array\((.*?)\)', imported.bas
    )
    assert calls == [names, names]


# --- help texts ----------------------------------------------------------------------------


def _vietnamese(text: str) -> bool:
    return any(character.isalpha() and not character.isascii() for character in text)


def _help_texts(module: types.ModuleType) -> list[tuple[str, str]]:
    """(where, text) for every docstring and argument doc that reaches the Function Wizard."""
    texts = []
    for name in udfs.__all__:
        info = getattr(module, name).__xlfunc__
        texts.append((name, info["ret"]["doc"]))
        texts += [(f"{name}({arg['name']})", arg["doc"]) for arg in info["args"]]
    return texts


def test_help_texts_are_vietnamese_and_fit(imported: Imported) -> None:
    texts = _help_texts(imported.module)
    assert len(texts) == sum(
        1 + len(inspect.signature(getattr(udfs, n)).parameters) for n in udfs.__all__
    )
    for where, text in texts:
        assert not text.startswith(XLWINGS_DEFAULT_ARG_DOC), f"{where} has no help text"
        assert _vietnamese(text), f"{where}: {text!r} is not Vietnamese"
        assert len(text) <= 255, f"{where}: {len(text)} characters, Excel cuts at 255"


def test_macro_options_carry_the_whole_help_texts(imported: Imported) -> None:
    """Nothing is cut by xlwings' [:255]: Excel shows the docstrings as written."""
    by_name = {macro.rsplit("!", 1)[1]: options for macro, options in imported.macro_options}
    assert sorted(by_name) == sorted(udfs.__all__)
    for name, options in by_name.items():
        function = getattr(udfs, name)
        assert options["Description"] == function.__doc__
        info = getattr(imported.module, name).__xlfunc__
        assert options["ArgumentDescriptions"] == [arg["doc"] for arg in info["args"]]
        assert all(macro.startswith(f"'{ADDIN_FILE_NAME}'!") for macro, _ in imported.macro_options)


# --- what xlwings does with the type hints on Windows --------------------------------------


def _conversion_lookups(module: types.ModuleType) -> list[tuple[str, Any, Callable[..., Any]]]:
    """(where, convert, accessor) as `xlwings.conversion.read`/`write` look them up."""
    from xlwings.conversion import accessors

    lookups = []
    for name in udfs.__all__:
        info = getattr(module, name).__xlfunc__
        for arg in info["args"]:
            convert = arg["options"].get("convert")
            lookups.append(
                (f"{name}({arg['name']}) read", convert, accessors.get(convert, convert))
            )
        convert = info["ret"]["options"].get("convert")
        lookups.append((f"{name} write", convert, accessors.get(convert, convert)))
    return lookups


def test_every_argument_and_result_has_a_registered_converter(imported: Imported) -> None:
    broken = [
        (where, convert)
        for where, convert, accessor in _conversion_lookups(imported.module)
        if convert is not None
        and not hasattr(accessor, "reader" if where.endswith("read") else "router")
    ]
    assert not broken


def test_every_cell_argument_receives_error_cells_as_their_text(imported: Imported) -> None:
    """#REF!, #N/A… must reach Python as text: xlwings' default turns them into None,
    which the functions would count as an empty cell while `tthc check` flags it."""
    blanked = [
        f"{name}({arg['name']})"
        for name in udfs.__all__
        for arg in getattr(imported.module, name).__xlfunc__["args"]
        if not arg["vba"]
        and not arg["options"].get("err_to_str")
        and arg["name"] not in ("indicator", "part", "section", "kind")  # typed codes
    ]
    assert blanked == []
