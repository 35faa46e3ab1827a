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
from tthc.excel.addin import LINK_VBA_MODULES, UDF_VBA_MODULE, build_addin, vba_modules
from tthc.excel.vba_project import VbaProjectError, module_source, with_module
from tthc.infra.libreoffice import find_soffice

with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    from oletools.olevba import decompress_stream

XL = Path(__file__).parents[2] / "xl"
SHIPPED = XL / "xlwings_udfs.bas"
XLWINGS_MODULES = {"ThisWorkbook", "Dictionary", "RibbonMyAddin", "Sheet2", "xlwings"}
#: Ours, in the order they are added: name → (source file in xl/, MODULETYPE record id).
OURS = {UDF_VBA_MODULE: ("xlwings_udfs.bas", 0x0021)} | {
    name: (resource, {"standard": 0x0021, "class": 0x0022}[kind])
    for name, resource, kind in LINK_VBA_MODULES
}
MODULE_NAME, MODULE_STREAM_NAME, MODULE_OFFSET = 0x0019, 0x001A, 0x0031
MODULE_TYPES = {0x0021, 0x0022}
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
    assert set(ours) == XLWINGS_MODULES | set(OURS)
    for name in XLWINGS_MODULES:
        assert ours[name] == template[name], f"xlwings' module {name} changed"
    for name, (resource, _kind) in OURS.items():
        assert ours[name] == (XL / resource).read_text(encoding="ascii"), name
    assert 'TTHC_RATE = XLPy.CallUDF("tthc.udfs", "TTHC_RATE"' in ours[UDF_VBA_MODULE]


def test_the_project_carries_no_performance_cache(built: Path) -> None:
    """MS-OVBA for writers: _VBA_PROJECT Version 0xFFFF and nothing after it, offsets 0."""
    streams = _streams(_project(built))
    assert streams["VBA/_VBA_PROJECT"] == bytes.fromhex("CC61FFFF000000")
    assert not [path for path in streams if "__SRP_" in path]
    records = _dir_records(_project(built))
    offsets = [int.from_bytes(data, "little") for kind, data in records if kind == MODULE_OFFSET]
    assert offsets == [0] * (len(XLWINGS_MODULES) + len(OURS))
    for kind, data in records:  # so each module stream is its compressed source alone
        if kind == MODULE_STREAM_NAME:
            assert streams[f"VBA/{data.decode('cp1252')}"][0] == 0x01


def test_every_list_of_modules_names_the_new_ones(built: Path) -> None:
    project = _project(built)
    records = _dir_records(project)
    names = [data.decode("cp1252") for kind, data in records if kind == MODULE_NAME]
    assert names[-len(OURS) :] == list(OURS)
    assert len(names) == len(XLWINGS_MODULES) + len(OURS)
    types = [kind for kind, _data in records if kind in MODULE_TYPES]
    assert types[-len(OURS) :] == [kind for _resource, kind in OURS.values()]
    count = next(data for kind, data in records if kind == PROJECT_MODULES)
    assert int.from_bytes(count, "little") == len(names)
    assert records[-1] == (0x0010, b"")  # the dir stream's Terminator
    streams = _streams(project)
    listed = streams["PROJECT"].decode("cp1252").split("\r\n")
    entries = b""
    for name, (_resource, kind) in OURS.items():
        assert f"{'Class' if kind == 0x0022 else 'Module'}={name}" in listed
        assert f"{name}=0, 0, 0, 0, C" in listed  # [Workspace]
        entries += name.encode() + b"\x00" + name.encode("utf-16-le") + b"\x00\x00"
    assert streams["PROJECTwm"].endswith(entries + b"\x00\x00")


def test_adding_the_module_again_replaces_it() -> None:
    template = _project(addin.template_path())
    once = with_module(template, UDF_VBA_MODULE, SHIPPED.read_text(encoding="ascii"))
    changed = 'Attribute VB_Name = "xlwings_udfs"\nFunction X()\nEnd Function\n'
    twice = with_module(once, UDF_VBA_MODULE, changed)
    assert module_source(twice, UDF_VBA_MODULE) == changed.replace("\n", "\r\n")
    assert [d for k, d in _dir_records(twice) if k == MODULE_NAME].count(b"xlwings_udfs") == 1
    listed = _streams(twice)["PROJECT"].decode("cp1252").split("\r\n")
    assert listed.count(f"Module={UDF_VBA_MODULE}") == 1
    restored = with_module(twice, UDF_VBA_MODULE, SHIPPED.read_text(encoding="ascii"))
    assert restored == once


def test_a_class_module_added_again_is_listed_once_as_a_class() -> None:
    source = 'Attribute VB_Name = "Watcher"\nPrivate Sub Class_Initialize()\nEnd Sub\n'
    once = with_module(_project(addin.template_path()), "Watcher", source, "class")
    twice = with_module(once, "Watcher", source, "class")
    assert twice == once
    listed = _streams(twice)["PROJECT"].decode("cp1252").split("\r\n")
    assert listed.count("Class=Watcher") == 1 and "Module=Watcher" not in listed
    as_standard = with_module(twice, "Watcher", source)  # the same name, now a .bas
    listed = _streams(as_standard)["PROJECT"].decode("cp1252").split("\r\n")
    assert "Module=Watcher" in listed and "Class=Watcher" not in listed
    assert [k for k, _d in _dir_records(as_standard) if k in MODULE_TYPES][-1] == 0x0021


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
        with_module(_project(addin.template_path()), name, source)


def test_a_file_that_is_no_vba_project_is_refused() -> None:
    with pytest.raises(VbaProjectError, match="không phải tệp CFB"):
        with_module(b"PK\x03\x04 not a compound file", "M", 'Attribute VB_Name = "M"\n')


SOFFICE, UNO_PYTHON = find_soffice(), uno_python()


@pytest.mark.skipif(
    SOFFICE is None or UNO_PYTHON is None,
    reason="LibreOffice hoặc python3-uno chưa được cài: bỏ qua phần đọc VBA qua LibreOffice.",
)
def test_libreoffice_imports_our_modules(built: Path, tmp_path: Path) -> None:
    """Calc imports the project as the Basic library «MyAddin» with the same sources and kinds.

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
    assert set(library) == XLWINGS_MODULES | set(OURS)
    for name, (resource, kind) in OURS.items():
        # LibreOffice turns the Attribute lines into its own header lines, naming the kind.
        lines = library[name].replace("\r\n", "\n").split("\n")
        module_type = "VBAClassModule" if kind == 0x0022 else "VBAModule"
        assert lines[0] == f"Rem Attribute VBA_ModuleType={module_type}", name
        body = [
            line for line in lines[1:] if line not in {"Option VBASupport 1", "Option ClassModule"}
        ]
        expected = [
            line
            for line in (XL / resource).read_text(encoding="ascii").split("\n")
            if not line.startswith("Attribute ")
        ]
        assert "\n".join(body).strip() == "\n".join(expected).strip(), name
