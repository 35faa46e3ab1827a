"""Untrusted files: what communes send must never crash or hang a reader.

Every hostile file is built here, small on disk: a zip bomb, an XML entity bomb,
a sheet of a million rows, an external link, a macro-enabled workbook, a
password-protected (encrypted, OLE) workbook and files that are no workbook at
all. Each goes through every reader that applies; each must give a Vietnamese
ERROR finding (or, in a consolidation, a reason to set it aside) within a time
budget, and the good workbook next to it in the batch must still be summed.
Every reader now behaves on every case; a regression fails here.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest

from tthc.app.consolidate import consolidate
from tthc.core.findings import Severity
from tthc.core.model import ReportInput
from tthc.imports.dossier_list import read_dossiers
from tthc.imports.form_tables import import_grid
from tthc.workbook.calamine_source import _contents, _Package, read_workbook_fast
from tthc.workbook.output import workbook_bytes
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

BUDGET = 20.0  # seconds, per reader call
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
BOMB_SIZE = 2_000_000_000  # unpacked bytes of the bomb's sheet; below 2 GiB, so no zip64
CHUNK = 1 << 20


def _vietnamese(text: str) -> bool:
    return any(char in VIETNAMESE for char in text.lower())


# --- building the files ------------------------------------------------------------------------


def _hostile_report(report: ReportInput) -> ReportInput:
    """The sample with another unit name, so it never collides with the good workbook."""
    return replace(report, unit=replace(report.unit, name="Thôn Lạ"))


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _grid_part(data: bytes) -> str:
    """The sheet part holding the template's TTHC_GRID."""
    parts, names = _contents(_Package(data))[:2]  # the sheets' parts, the defined names
    sheet = names["TTHC_GRID"].split("!")[0].strip("'").replace("''", "'")
    return parts[sheet]


def _raw_zip(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip from already deflated members: (name, packed, crc, unpacked size, method)."""
    out = BytesIO()
    central = BytesIO()
    for name, packed, crc, size, method in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0,
                crc,
                len(packed),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(packed)
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0,
                crc,
                len(packed),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(encoded)
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack(
            "<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), start, 0
        )
    )
    return out.getvalue()


def zip_bomb(template: bytes) -> bytes:
    """The template whose grid sheet unpacks to 2 GB: its rows, then spaces, then its end.

    The spaces are deflated once (a full flush resets the compressor, so every
    megabyte packs to the same kilobyte) and the block repeated: the file is
    about 2 MB and building it costs one CRC pass.
    """
    parts = _parts(template)
    target = _grid_part(template)
    sheet = parts[target]
    cut = sheet.index(b"</sheetData>")
    head, tail = sheet[:cut], sheet[cut:]
    filler_count = (BOMB_SIZE - len(head) - len(tail)) // CHUNK
    spaces = b" " * CHUNK
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed_head = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(spaces) + packer.flush(zlib.Z_FULL_FLUSH)
    packed_tail = packer.compress(tail) + packer.flush(zlib.Z_FINISH)
    crc = zlib.crc32(head)
    for _ in range(filler_count):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + filler_count * CHUNK + len(tail)
    members = []
    for name, content in parts.items():
        if name == target:
            packed = packed_head + block * filler_count + packed_tail
            members.append((name, packed, crc, size, zipfile.ZIP_DEFLATED))
        else:
            deflate = zlib.compressobj(6, zlib.DEFLATED, -15)
            packed = deflate.compress(content) + deflate.flush()
            members.append((name, packed, zlib.crc32(content), len(content), zipfile.ZIP_DEFLATED))
    return _raw_zip(members)


LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE lolz [\n'
    '<!ENTITY lol "lol">\n'
    + "".join(
        f'<!ENTITY lol{i} "' + (f"&lol{i - 1 if i > 1 else ''};" * 10) + '">\n'
        for i in range(1, 10)
    )
    + "]>\n"
).encode()


def entity_bomb(template: bytes, where: str) -> bytes:
    """Billion laughs: a DTD of nested entities, one used in the workbook part or a sheet."""
    parts = _parts(template)
    name = "xl/workbook.xml" if where == "workbook" else _grid_part(template)
    body = parts[name]
    body = body[body.index(b"?>") + 2 :].lstrip() if body.startswith(b"<?xml") else body
    if where == "workbook":
        body = body.replace(
            b"</definedNames>", b'<definedName name="LOL">"&lol9;"</definedName></definedNames>', 1
        )
    else:
        body = body.replace(
            b"</sheetData>",
            b'<row r="60000"><c r="A60000" t="inlineStr"><is><t>&lol9;</t>'
            b"</is></c></row></sheetData>",
            1,
        )
    parts[name] = LAUGHS + body
    return _zip(parts)


def huge_sheet(template: bytes, rows: int = 1_000_000) -> bytes:
    """The template whose grid sheet declares A1:Q1000000 and holds a tiny cell on every row."""
    parts = _parts(template)
    name = _grid_part(template)
    sheet = parts[name]
    last = max(int(r) for r in __import__("re").findall(rb'<row r="(\d+)"', sheet))
    sheet = __import__("re").sub(
        rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:Q1000000"/>', sheet, count=1
    )
    extra = b"".join(
        b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (r, r) for r in range(last + 1, rows + 1)
    )
    parts[name] = sheet.replace(b"</sheetData>", extra + b"</sheetData>", 1)
    return _zip(parts)


def external_link(template: bytes, target: Path) -> bytes:
    """A link to another workbook, and the grid's first count a formula reading [1]Sheet1!A1."""
    import re

    parts = _parts(template)
    parts["xl/externalLinks/externalLink1.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="{MAIN_NS}" '
        f'xmlns:r="{REL_NS}"><externalBook r:id="rId1"><sheetNames><sheetName val="Sheet1"/>'
        '</sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1"><cell r="A1"><v>7</v>'
        "</cell></row></sheetData></sheetDataSet></externalBook></externalLink>"
    ).encode()
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
        'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" '
        f'Target="{target.as_uri()}" TargetMode="External"/></Relationships>'
    ).encode()
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/externalLink" Target="externalLinks/externalLink1.xml"/></Relationships>',
    )
    book = parts["xl/workbook.xml"]
    parts["xl/workbook.xml"] = book.replace(
        b"</sheets>",
        b'</sheets><externalReferences><externalReference xmlns:r="'
        + REL_NS.encode()
        + b'" r:id="rIdX1"/></externalReferences>',
        1,
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    names = _contents(_Package(template))[1]
    first = re.search(r"\$?([A-Z]+)\$?(\d+)", names["TTHC_GRID"].split("!")[1])
    assert first is not None
    cell = f"{chr(ord(first.group(1)) + 2)}{first.group(2)}".encode()  # column (4), first row
    grid = _grid_part(template)
    sheet, count = re.subn(
        rb'<c r="' + cell + rb'"([^>]*?)(?:/>|>.*?</c>)',
        b'<c r="' + cell + b'"><f>[1]Sheet1!A1</f><v>7</v></c>',
        parts[grid],
        count=1,
        flags=re.DOTALL,
    )
    assert count == 1
    parts[grid] = sheet
    return _zip(parts)


MACRO = b'Attribute VB_Name = "Module1"\r\nSub Auto_Open()\r\n Shell "touch PWNED"\r\nEnd Sub\r\n'


def macro_enabled(template: bytes) -> bytes:
    """An .xlsm: the template with a vbaProject.bin (an auto-open macro's text, as bytes)."""
    parts = _parts(template)
    parts["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + MACRO * 64
    types = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    parts["[Content_Types].xml"] = types.replace(
        b"</Types>",
        b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/'
        b'vbaProject" Target="vbaProject.bin"/></Relationships>',
    )
    return _zip(parts)


def encrypted() -> bytes:
    """What Excel writes for a workbook with a password: an OLE compound file, not a zip."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[24:34] = bytes.fromhex("3e000300feff09000600")
    return bytes(header) + b"EncryptionInfo\x00EncryptedPackage\x00" + b"\x00" * 3584


def not_a_workbook(kind: str) -> bytes:
    if kind == "pdf":
        return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
    if kind == "random":
        import random

        return random.Random(7).randbytes(8192)
    return b""


# --- running a reader: in a child process, timed, its memory measured ---------------------------

MEMORY_BUDGET_MB = 500
READERS = ("read_workbook", "read_workbook_fast", "import_grid", "read_dossiers", "consolidate")
_SERVER = r"""
import json, os, resource, select, signal, sys, time
from pathlib import Path

# Every reader imported once; each request then runs in a fork of this process, so a
# hang or a memory blow-up stays in that fork, and no request pays for the imports.
from tthc.app.consolidate import consolidate
from tthc.workbook.reader import read_workbook
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.imports.form_tables import import_grid
from tthc.imports.dossier_list import read_dossiers

READERS = {"read_workbook": read_workbook, "read_workbook_fast": read_workbook_fast,
           "import_grid": import_grid, "read_dossiers": read_dossiers}
budget, limit = float(sys.argv[1]), int(sys.argv[2])


def run(reader, path):
    start = time.monotonic()
    out = {"exception": None, "read": False, "errors": [], "units": [], "skipped": []}
    try:
        if reader == "consolidate":
            c = consolidate([path], workers=1)
            out["units"] = [u.path.name for u in c.units]
            out["skipped"] = [[s.path.name, s.reason] for s in (*c.skipped, *c.refused)]
        else:
            result = READERS[reader](path)
            out["read"] = bool(getattr(result, "report", None) or getattr(result, "rows", None)
                               or getattr(result, "records", None))
            out["errors"] = [f.message for f in result.findings if f.severity.name == "ERROR"]
    except BaseException as problem:
        out["exception"] = f"{type(problem).__name__}: {str(problem)[:200]}"
    out["seconds"] = time.monotonic() - start
    out["memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return out


for line in sys.stdin:
    reader, path = line.rstrip("\n").split("\t")
    path = Path(path)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        quiet = os.open(os.devnull, os.O_RDWR)
        os.dup2(quiet, 0)  # the requests and replies stay the server's own
        os.dup2(quiet, 1)
        os.chdir(path.parent)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        with os.fdopen(write_end, "w") as pipe:
            pipe.write(json.dumps(run(reader, path)))
        os._exit(0)
    os.close(write_end)
    started, chunks = time.monotonic(), []
    while True:
        left = budget - (time.monotonic() - started)
        ready, _, _ = select.select([read_end], [], [], max(0.0, left))
        if not ready:  # past the budget: the reader hangs
            os.kill(pid, signal.SIGKILL)
            reply = {"hung": True, "seconds": time.monotonic() - started}
            break
        chunk = os.read(read_end, 1 << 16)
        if not chunk:
            text = b"".join(chunks).decode()
            reply = {"hung": False, **json.loads(text)} if text else {
                "hung": False, "exception": "the reader's process died", "seconds": 0.0,
                "memory_mb": 0}
            break
        chunks.append(chunk)
    os.close(read_end)
    os.waitpid(pid, 0)
    print(json.dumps(reply), flush=True)
"""


class ReaderServer:
    """One child process that runs each reader call in a fork of itself (see `_SERVER`).

    A fork keeps a hang or a memory blow-up from taking the test run down: its address
    space is capped and it is killed at the time budget (a hang is then reported as
    such). Forking a process that has imported the readers once saves a Python start
    and the imports for each of the fifty calls.
    """

    def __init__(self) -> None:
        limit = 2 * MEMORY_BUDGET_MB * 1024 * 1024
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER, str(BUDGET), str(limit)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )

    def run(self, reader: str, path: Path) -> dict:
        """What one reader gave on one file, its time and peak memory, or that it hung."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(f"{reader}\t{path}\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, f"the reader server stopped (exit code {self.process.poll()})"
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def readers() -> Iterator[ReaderServer]:
    server = ReaderServer()
    try:
        yield server
    finally:
        server.close()


# --- the cases ----------------------------------------------------------------------------------

CASES = (
    "zip_bomb",
    "entity_bomb_workbook",
    "entity_bomb_sheet",
    "huge_sheet",
    "external_link",
    "macro",
    "encrypted",
    "pdf",
    "random",
    "empty",
)
READ_OR_REFUSE = {"macro", "external_link"}  # a clean read is fine too: nothing is executed


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory, seed_report_module: ReportInput) -> Path:
    """Every hostile file, built once, each in a folder of its own."""
    root = tmp_path_factory.mktemp("hostile")
    template = workbook_bytes(build_workbook(_hostile_report(seed_report_module)))
    builders = {
        "zip_bomb": ("xlsx", lambda: zip_bomb(template)),
        "entity_bomb_workbook": ("xlsx", lambda: entity_bomb(template, "workbook")),
        "entity_bomb_sheet": ("xlsx", lambda: entity_bomb(template, "sheet")),
        "huge_sheet": ("xlsx", lambda: huge_sheet(template)),
        "external_link": ("xlsx", lambda: external_link(template, root / "secret.xlsx")),
        "macro": ("xlsm", lambda: macro_enabled(template)),
        "encrypted": ("xlsx", encrypted),
        "pdf": ("xlsx", lambda: not_a_workbook("pdf")),
        "random": ("xlsx", lambda: not_a_workbook("random")),
        "empty": ("xlsx", lambda: not_a_workbook("empty")),
    }
    for case, (suffix, build) in builders.items():
        folder = root / case
        folder.mkdir()
        (folder / f"b_{case}.{suffix}").write_bytes(build())
    return root


@pytest.fixture(scope="module")
def seed_report_module() -> ReportInput:
    from helpers import sample_data
    from tthc.core.report_data import load_report

    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report


def _params() -> list:
    return [
        pytest.param(case, reader, id=f"{case}-{reader}") for case in CASES for reader in READERS
    ]


@pytest.mark.parametrize(("case", "reader"), _params())
def test_hostile_file_is_refused_calmly(
    hostile: Path,
    seed_report_module: ReportInput,
    readers: ReaderServer,
    case: str,
    reader: str,
    tmp_path: Path,
) -> None:
    folder = hostile / case
    (path,) = folder.glob("b_*")
    if reader == "consolidate":
        good = folder / "a_good.xlsx"
        if not good.exists():
            good.write_bytes(workbook_bytes(build_workbook(seed_report_module)))
        before = sorted(p.name for p in folder.iterdir())
        got = readers.run(reader, folder)
        assert not got["hung"], f"hung past {BUDGET} s"
        assert got["exception"] is None, got["exception"]
        assert got["seconds"] < BUDGET, got["seconds"]
        assert got["memory_mb"] < MEMORY_BUDGET_MB, got["memory_mb"]
        assert "a_good.xlsx" in got["units"], got  # the batch goes on
        set_aside = dict(got["skipped"])
        if case in READ_OR_REFUSE and path.name in got["units"]:
            pass  # read cleanly, nothing run
        else:
            assert path.name in set_aside, got
            assert _vietnamese(set_aside[path.name]), set_aside[path.name]
        assert sorted(p.name for p in folder.iterdir()) == before  # nothing written, no PWNED
        return
    before = sorted(p.name for p in folder.iterdir())
    got = readers.run(reader, path)
    assert not got["hung"], f"hung past {BUDGET} s"
    assert got["exception"] is None, got["exception"]
    assert got["seconds"] < BUDGET, got["seconds"]
    assert got["memory_mb"] < MEMORY_BUDGET_MB, got["memory_mb"]
    if case in READ_OR_REFUSE and got["read"] and not got["errors"]:
        pass  # read cleanly: the macro is only bytes, the link is never followed
    else:
        assert got["errors"], got
        assert all(_vietnamese(message) for message in got["errors"]), got["errors"]
    assert sorted(p.name for p in folder.iterdir()) == before
    assert not (hostile / "secret.xlsx").exists()


def test_bomb_declares_two_gigabytes(hostile: Path) -> None:
    """The bomb is what it claims: small on disk, 2 GB once unpacked."""
    (path,) = (hostile / "zip_bomb").glob("b_*")
    assert path.stat().st_size < 5_000_000
    with zipfile.ZipFile(path) as archive:
        assert sum(i.file_size for i in archive.infolist()) > BOMB_SIZE - CHUNK


def test_in_process_readers_on_small_hostile_files(hostile: Path) -> None:
    """The cheap cases also run in this process, so a child's isolation hides nothing."""
    for case in ("pdf", "random", "empty", "encrypted", "entity_bomb_workbook"):
        (path,) = (hostile / case).glob("b_*")
        start = time.monotonic()
        found = read_workbook_fast(path).findings
        assert [f.severity for f in found] == [Severity.ERROR]
        assert read_workbook(path).findings[0].severity is Severity.ERROR
        assert import_grid(path).findings[0].severity is Severity.ERROR
        assert read_dossiers(path).findings[-1].severity is Severity.ERROR
        assert consolidate([path], workers=1).skipped
        assert time.monotonic() - start < BUDGET


# --- what staff are told of a file read all the same ------------------

NOTICES = {
    "external_link": ("file.external_links", "có liên kết tới 1 tệp khác («secret.xlsx»)"),
    "macro": ("file.macros", "có macro (VBA). Chương trình chỉ đọc số liệu trong các ô"),
}


@pytest.mark.parametrize("case", sorted(NOTICES))
@pytest.mark.parametrize("reader", ["check", "consolidate"])
def test_links_and_macros_are_told_by_both_readers(
    hostile: Path, case: str, reader: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`check` (openpyxl) and `consolidate` (the fast reader) give the same warning."""
    from tthc.cli.commands import run

    (path,) = (hostile / case).glob("b_*")
    code, says = NOTICES[case]
    loaded = (read_workbook if reader == "check" else read_workbook_fast)(path)
    (notice,) = [f for f in loaded.findings if f.code == code]
    assert notice.severity is Severity.WARNING
    assert f"Sổ tính «{path.name}» {says}" in notice.message
    if reader == "check":
        assert run(["check", str(path)]) in (0, 1)  # a warning, never a refusal
        assert says in capsys.readouterr().out
