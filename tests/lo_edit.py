"""Clerk edits made inside LibreOffice itself, for the tests (run by a Python that has `uno`).

openpyxl cannot stand in for LibreOffice: the defects that matter come from what
LibreOffice writes when a clerk deletes a row, narrows a name in «Manage Names»
or types below the total (an empty `<row r="1048576">`, shifted ranges, its own
way of storing names). This script starts one private headless LibreOffice,
applies every requested edit through the UNO API, stores each result as .xlsx
with LibreOffice's own filter and stops LibreOffice again.

Usage: `python3 lo_edit.py SOFFICE < edits.json`, where edits.json is a list of
`{"source": path, "target": path, "ops": [...]}` and each op is one of

- `{"op": "delete_row", "sheet": name, "row": n}` (1-based, like the row header),
  the sheet's protection (no password in the template) lifted first as a clerk would,
- `{"op": "set_name", "name": name, "content": "$'Sheet'.$B$8:$Q$48"}` (Calc syntax),
- `{"op": "set_cell", "sheet": name, "cell": "C60", "value": 5 or "text"}`,
- `{"op": "read_basic", "into": path}`: the source of every module of every Basic
  library of the document (LibreOffice imports a file's VBA project as the library
  named like the project), written to `path` as JSON {library: {module: source}}.

A job without "target" is only read, not stored.

It is standalone on purpose: the system Python that carries `uno` does not
have the project installed.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

_CONNECT_SECONDS = 60


def _property(name: str, value: object) -> PropertyValue:
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def _start(soffice: str, profile: Path, pipe: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _connect(pipe: str, office: subprocess.Popen[bytes]):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    deadline = time.monotonic() + _CONNECT_SECONDS
    while True:
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            break
        except NoConnectException:
            if office.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("LibreOffice did not accept a connection") from None
            time.sleep(0.25)
    return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)


def _sheet(document, name: str):
    """A sheet, its protection lifted first (it has no password), as a clerk must."""
    sheet = document.Sheets.getByName(name)
    if sheet.isProtected():
        sheet.unprotect("")
    return sheet


def _apply(document, op: dict) -> None:
    kind = op["op"]
    if kind == "delete_row":
        _sheet(document, op["sheet"]).Rows.removeByIndex(op["row"] - 1, 1)
    elif kind == "set_name":
        document.NamedRanges.getByName(op["name"]).setContent(op["content"])
    elif kind == "set_cell":
        cell = _sheet(document, op["sheet"]).getCellRangeByName(op["cell"])
        value = op["value"]
        if isinstance(value, str):
            cell.setString(value)
        else:
            cell.setValue(value)
    elif kind == "read_basic":
        libraries = document.BasicLibraries
        found = {}
        for name in libraries.getElementNames():
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            found[name] = {
                module: library.getByName(module) for module in library.getElementNames()
            }
        Path(op["into"]).write_text(json.dumps(found), encoding="utf-8")
    else:
        raise SystemExit(f"unknown edit {kind!r}")


def _edit(desktop, job: dict) -> None:
    source = Path(job["source"]).resolve().as_uri()
    document = desktop.loadComponentFromURL(source, "_blank", 0, (_property("Hidden", True),))
    try:
        for op in job["ops"]:
            _apply(document, op)
        if "target" in job:
            document.calculateAll()
            target = Path(job["target"]).resolve().as_uri()
            document.storeToURL(target, (_property("FilterName", "Calc MS Excel 2007 XML"),))
    finally:
        document.close(True)


def main() -> None:
    soffice = sys.argv[1]
    jobs = json.load(sys.stdin)
    with tempfile.TemporaryDirectory(prefix="lo-edit-") as scratch:
        pipe = f"tthc_tests_{Path(scratch).name}"
        office = _start(soffice, Path(scratch) / "profile", pipe)
        try:
            desktop = _connect(pipe, office)
            for job in jobs:
                _edit(desktop, job)
            # The bridge drops as LibreOffice quits: whatever it raises then is no failure.
            with contextlib.suppress(Exception):
                desktop.terminate()
            office.wait(timeout=60)
        finally:
            if office.poll() is None:
                office.kill()
                office.wait()


if __name__ == "__main__":
    main()
