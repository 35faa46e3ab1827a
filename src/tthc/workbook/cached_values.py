"""Storing each formula's computed value in the saved .xlsx, beside the formula.

openpyxl saves a formula cell as ``<c r="A2"><f>…</f><v></v></c>``: a program that
does not recalculate shows it blank. After openpyxl has written the file, this
module puts the value `formula_evaluator` computed into each such ``<v>`` (with
the cell type a spreadsheet program writes for it: ``t="str"`` for text, ``"b"``
for a logical, ``"e"`` for an error), and leaves every other byte as it was. Excel
still recalculates on opening (openpyxl asks it to, with ``fullCalcOnLoad``), so
the stored values serve readers that do not: previews, Protected View, pandas.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

from openpyxl import Workbook
from openpyxl.utils import column_index_from_string

from tthc.workbook.formula_evaluator import formula_results
from tthc.workbook.formula_values import Blank, Scalar, XlError

__all__ = ["with_cached_values"]

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# A formula cell as openpyxl writes it without a value (attributes before any t=).
_UNCACHED = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"((?: s="[0-9]+")?)><f>([^<]*)</f><v(?:></v>|\s*/>)</c>'
)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part's path inside the archive."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PACKAGE_REL}Relationship")
    }
    parts: dict[str, str] = {}
    for sheet in book.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        parts[sheet.get("name", "")] = posixpath.normpath(path)
    return parts


def _escape(text: str) -> bytes:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").encode("utf-8")


def _cached(value: Scalar) -> tuple[bytes, bytes]:
    """(t attribute, <v> content) for a computed value."""
    if isinstance(value, XlError):
        return b' t="e"', value.code.encode("ascii")
    if isinstance(value, bool):
        return b' t="b"', b"1" if value else b"0"
    if isinstance(value, str):
        return b' t="str"', _escape(value)
    if isinstance(value, Blank):
        return b"", b"0"
    if isinstance(value, float) and value.is_integer():
        return b"", str(int(value)).encode("ascii")
    return b"", repr(value).encode("ascii")


def _fill(xml: bytes, values: dict[tuple[int, int], Scalar]) -> bytes:
    def replace(match: re.Match[bytes]) -> bytes:
        letters, row, style, formula = match.groups()
        key = (int(row), column_index_from_string(letters.decode("ascii")))
        if key not in values:
            return match.group(0)
        kind, content = _cached(values[key])
        return (
            b'<c r="'
            + letters
            + row
            + b'"'
            + style
            + kind
            + b"><f>"
            + formula
            + b"</f><v>"
            + content
            + b"</v></c>"
        )

    return _UNCACHED.sub(replace, xml)


def with_cached_values(workbook: Workbook, saved: bytes) -> bytes:
    """`saved` (openpyxl's bytes of `workbook`) with every computable formula's value stored."""
    results = formula_results(workbook)
    if not any(results.values()):
        return saved
    source = zipfile.ZipFile(io.BytesIO(saved))
    parts = {path: results.get(title, {}) for title, path in _sheet_parts(source).items()}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if parts.get(info.filename):
                data = _fill(data, parts[info.filename])
            target.writestr(info, data)
    return out.getvalue()
