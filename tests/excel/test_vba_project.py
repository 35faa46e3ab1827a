"""The built add-in's VBA project: the worksheet functions inside, laid out per MS-OVBA.

Read back by three independent readers: oletools (module sources), olefile plus a
record walk written here (streams, the `dir` records), and LibreOffice, which
imports the project into a Basic library as Calc opens the file.
"""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
from pathlib import Path

import olefile
import pytest

from helpers import run_lo_jobs, uno_python
from tthc.excel import addin
from tthc.excel.addin import UDF_VBA_MODULE, build_addin, vba_modules
from tthc.excel.vba_project import VbaProjectError, module_source, with_standard_module
from tthc.infra.libreoffice import find_soffice

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream

SHIPPED = Path(__file__).parents[2] / "xl" / "xlwings_udfs.bas"
XLWINGS_MODULES = {"ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings"}
MODULE_NAME, MODULE_STREAM_NAME, MODULE_OFFSET = 0x0019, 0x001A, 0x0031
PROJECT_MODULES, PROJECT_VERSION = 0x000F, 0x0009


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_addin(tmp_path_factory.mktemp("addin") / "tthc.xlam")


def _project(path: Path) -> bytes:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/vbaProject.bin")


def _streams(project: bytes) -> dict[str, bytes]:
    container = olefile.OleFileIO(io.BytesIO(project), raise_defects=olefile.DEFECT_INCORRECT)
    try:
        return {"/".join(p): container.openstream(p).read() for p in container.listdir()}
    finally:
        container.close()


def _dir_records(project: bytes) -> list[tuple[int, bytes]]:
    """(id, data) of each record of the `dir` stream, decompressed by oletools."""
    data = bytes(decompress_stream(bytearray(_streams(project)["VBA/dir"])))
    records, index = [], 0
    while index < len(data):
        kind, size = struct.unpack_from("<HI", data, index)
        size = 6 if kind == PROJECT_VERSION else size  # the one record whose Size lies
        records.append((kind, data[index + 6 : index + 6 + size]))
        index += 6 + size
    return records


def test_the_functions_module_is_inside_next_to_xlwings_own(built: Path) -> None:
    ours, template = vba_modules(built), vba_modules(addin.template_path())
    assert set(template) == XLWINGS_MODULES
    assert set(ours) == XLWINGS_MODULES | {UDF_VBA_MODULE}
    for name in XLWINGS_MODULES:
        assert ours[name] == template[name], f"xlwings' module {name} changed"
    assert ours[UDF_VBA_MODULE] == SHIPPED.read_text(encoding="ascii")
    assert 'TTHC_RATE = XLPy.CallUDF("tthc.udfs", "TTHC_RATE"' in ours[UDF_VBA_MODULE]


def test_the_project_carries_no_performance_cache(built: Path) -> None:
    """MS-OVBA for writers: _VBA_PROJECT Version 0xFFFF and nothing after it, offsets 0."""
    streams = _streams(_project(built))
    assert streams["VBA/_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    assert not [path for path in streams if "__SRP_" in path]
    records = _dir_records(_project(built))
    offsets = [int.from_bytes(data, "little") for kind, data in records if kind == MODULE_OFFSET]
    assert offsets == [0] * (len(XLWINGS_MODULES) + 1)
    for kind, data in records:  # so each module stream is its compressed source alone
        if kind == MODULE_STREAM_NAME:
            assert streams[f"VBA/{data.decode('cp1252')}"][0] == 0x01


def test_every_list_of_modules_names_the_new_one(built: Path) -> None:
    project = _project(built)
    records = _dir_records(project)
    names = [data.decode("cp1252") for kind, data in records if kind == MODULE_NAME]
    assert names[-1] == UDF_VBA_MODULE and len(names) == len(XLWINGS_MODULES) + 1
    count = next(data for kind, data in records if kind == PROJECT_MODULES)
    assert int.from_bytes(count, "little") == len(names)
    assert records[-1] == (0x0010, b"")  # the dir stream's Terminator
    streams = _streams(project)
    listed = streams["PROJECT"].decode("cp1252").split("\r\n")
    assert f"Module={UDF_VBA_MODULE}" in listed
    assert f"{UDF_VBA_MODULE}=0, 0, 0, 0, C" in listed  # [Workspace]
    wide = UDF_VBA_MODULE.encode("utf-16-le")
    assert streams["PROJECTwm"].endswith(UDF_VBA_MODULE.encode() + b"\x00" + wide + b"\x00" * 4)


def test_adding_the_module_again_replaces_it() -> None:
    template = _project(addin.template_path())
    once = with_standard_module(template, UDF_VBA_MODULE, SHIPPED.read_text(encoding="ascii"))
    changed = 'Attribute VB_Name = "xlwings_udfs"\nFunction X()\nEnd Function\n'
    twice = with_standard_module(once, UDF_VBA_MODULE, changed)
    assert module_source(twice, UDF_VBA_MODULE) == changed.replace("\n", "\r\n")
    assert [d for k, d in _dir_records(twice) if k == MODULE_NAME].count(b"xlwings_udfs") == 1
    listed = _streams(twice)["PROJECT"].decode("cp1252").split("\r\n")
    assert listed.count(f"Module={UDF_VBA_MODULE}") == 1
    restored = with_standard_module(twice, UDF_VBA_MODULE, SHIPPED.read_text(encoding="ascii"))
    assert restored == once


@pytest.mark.parametrize(
    ("name", "source", "message"),
    [
        ("2bad", 'Attribute VB_Name = "2bad"\n', "không hợp lệ"),
        ("Good", "Function X()\nEnd Function\n", "Attribute VB_Name"),
        ("Viet", 'Attribute VB_Name = "Viet"\n\' Tổng hợp\n', "ngoài bảng mã"),
    ],
)
def test_a_module_that_cannot_be_stored_is_refused(name: str, source: str, message: str) -> None:
    with pytest.raises(VbaProjectError, match=message):
        with_standard_module(_project(addin.template_path()), name, source)


def test_a_file_that_is_no_vba_project_is_refused() -> None:
    with pytest.raises(VbaProjectError, match="không phải tệp CFB"):
        with_standard_module(b"PK\x03\x04 not a compound file", "M", 'Attribute VB_Name = "M"\n')


SOFFICE, UNO_PYTHON = find_soffice(), uno_python()


@pytest.mark.skipif(
    SOFFICE is None or UNO_PYTHON is None,
    reason="LibreOffice hoặc python3-uno chưa được cài: bỏ qua phần đọc VBA qua LibreOffice.",
)
def test_libreoffice_imports_the_functions_module(built: Path, tmp_path: Path) -> None:
    """Calc imports the project as the Basic library «MyAddin» with the same source.

    LibreOffice 7 does not open the add-in content type, so the copy it opens is
    relabelled as a macro-enabled workbook; the VBA project inside is the same bytes.
    """
    copy = tmp_path / "tthc.xlsm"
    with zipfile.ZipFile(built) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b".addin.macroEnabled.", b".sheet.macroEnabled.")
            target.writestr(info, data)
    found = tmp_path / "basic.json"
    assert SOFFICE is not None and UNO_PYTHON is not None
    run_lo_jobs(SOFFICE, UNO_PYTHON, [{"source": str(copy), "ops": [
        {"op": "read_basic", "into": str(found)}]}])  # fmt: skip
    library = json.loads(found.read_text(encoding="utf-8"))["MyAddin"]
    assert set(library) == XLWINGS_MODULES | {UDF_VBA_MODULE}
    # LibreOffice turns the Attribute lines into its own two header lines.
    header = ["Rem Attribute VBA_ModuleType=VBAModule", "Option VBASupport 1"]
    lines = library[UDF_VBA_MODULE].replace("\r\n", "\n").split("\n")
    assert lines[:2] == header
    expected = [
        line
        for line in SHIPPED.read_text(encoding="ascii").split("\n")
        if not line.startswith("Attribute ")
    ]
    assert "\n".join(lines[2:]).rstrip() == "\n".join(expected).rstrip()
