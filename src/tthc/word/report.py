"""The report as a Word document: the narrative poured into the docxtpl template.

`render_docx(narrative)` fills the template's placeholders (`TEMPLATE_KEYS`)
with the narrative's header, title, subject, recipients and signature, and
inserts two docxtpl subdocuments: the body paragraphs (`{{p body }}`) and the
16-column appendix table (`{{p appendix_table }}`). Text is written as plain
runs and Jinja-escaped, never parsed: a shortcoming that begins with "=" or
contains "{{" or "<" prints as typed.

Which template is used:

1. the `template` path given by the caller (a commune's restyled copy);
2. otherwise, in a source checkout, the committed `templates/BaoCaoTTHC.docx`
   next to `src/` (what a person restyles and commits);
3. otherwise (an installed package, which ships no .docx) the same template
   built in memory by `tthc.word_template.build_word_template()`. Both are the
   same document: a test compares the committed file with the generated one,
   so there is one source of the template and no copy in the package data.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm
from docx.table import Table, _Cell
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from tthc.core.grid import COUNT_COLUMNS, Column
from tthc.core.narrative import AppendixRow, Narrative, Role, appendix_cell
from tthc.infra.os_messages import os_reason
from tthc.infra.package_guard import Refused, read_limited
from tthc.word.template import (
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_TABLE,
    STYLE_TABLE_HEADER,
    build_word_template,
    core_properties_namespace,
    set_child,
    source_tree_template,
)

__all__ = [
    "APPENDIX_COLUMNS_MM",
    "TEMPLATE_KEYS",
    "TemplateError",
    "default_template_bytes",
    "render_docx",
    "signature_parts",
    "template_placeholders",
]

TEMPLATE_KEYS: frozenset[str] = frozenset(
    {
        "parent_body",
        "issuing_body",
        "number_line",
        "nation",
        "motto",
        "place_date",
        "title",
        "subject",
        "body",
        "recipients_heading",
        "recipients",
        "authority",
        "signer_title",
        "signer_name",
        "appendix_heading",
        "appendix_title",
        "appendix_attachment",
        "appendix_table",
    }
)

_STYLE_OF_ROLE = {
    Role.HEADING: STYLE_HEADING,
    Role.SUBHEADING: STYLE_HEADING,
    Role.BODY: STYLE_BODY,
    Role.BULLET: STYLE_BODY,
}
_REQUIRED_STYLES = (STYLE_HEADING, STYLE_BODY, STYLE_TABLE, STYLE_TABLE_HEADER)

# Column widths of the appendix in mm: STT, field, then (3)…(16). The totals
# (3), (7), (13) are wider for their "(7)=(8)+…" number labels. The sum stays
# within the 252 mm of a landscape A4 page between 30 and 15 mm margins.
_TOTAL_MM = 20.0
_COUNT_MM = 13.3
APPENDIX_COLUMNS_MM: tuple[float, ...] = (
    10.0,
    35.5,
    *(_TOTAL_MM if c.is_derived else _COUNT_MM for c in COUNT_COLUMNS),
)
_CELL_MARGIN_MM = 1.0
# (4) and (5) sit under a "Trong kỳ" heading: the form's third header row.
_IN_PERIOD = "Trong kỳ"
_IN_PERIOD_COLUMNS = (4, 5)
_LABEL_LINE = 10  # characters of a number label per line, e.g. "(13)=(14)+"
_AUTHORITY_PREFIXES = ("KT.", "TM.", "TL.", "TUQ.", "Q.", "K/T", "T/M")


MAX_TEMPLATE_BYTES = 64 * 1024 * 1024  # a letterhead template with images: a few MB


class TemplateError(ValueError):
    """The Word template lacks something the renderer needs."""


# --- template ------------------------------------------------------------------


def default_template_bytes() -> bytes:
    """The committed template in a source checkout, else the same template built in memory."""
    committed = source_tree_template()
    if committed.is_file() and (committed.parents[1] / "pyproject.toml").is_file():
        return committed.read_bytes()
    return build_word_template()


def template_placeholders(template_bytes: bytes) -> set[str]:
    """The Jinja variables a template uses (docxtpl's undeclared variables)."""
    template = DocxTemplate(io.BytesIO(template_bytes))
    return set(template.get_undeclared_template_variables())


def _check_template(template: DocxTemplate) -> None:
    names = {style.name for style in template.docx.styles}
    missing = [name for name in _REQUIRED_STYLES if name not in names]
    if missing:
        raise TemplateError(
            "Mẫu Word thiếu kiểu đoạn văn: " + ", ".join(f"“{m}”" for m in missing) + "."
        )


# --- context -------------------------------------------------------------------


def _is_caps(text: str) -> bool:
    return text == text.upper()


def signature_parts(signature: tuple[str, ...]) -> tuple[str, str, str]:
    """(authority, title, name) from the narrative's signature lines.

    The narrative drops empty lines, so two lines are either title and name (the
    head signs: "GIÁM ĐỐC", "Nguyễn Văn A") or authority and title with no name
    yet ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"). Authority and title are in capitals,
    a name is not, and an authority line starts with "KT.", "TM.", "TL."…
    """
    lines = tuple(signature)
    if len(lines) >= 3:
        return lines[0], lines[1], " ".join(lines[2:])
    if len(lines) == 2:
        first, second = lines
        if _is_caps(second) and first.startswith(_AUTHORITY_PREFIXES):
            return first, second, ""
        return "", first, second
    if len(lines) == 1:
        return ("", lines[0], "") if _is_caps(lines[0]) else ("", "", lines[0])
    return "", "", ""


def _body(template: DocxTemplate, narrative: Narrative) -> Any:
    subdoc = template.new_subdoc()
    out = None
    for paragraph in narrative.body:
        out = subdoc.add_paragraph(style=_STYLE_OF_ROLE[paragraph.role])
        out.add_run(paragraph.text)
    if out is not None:
        # The signature block never stands alone on a page: the closing paragraph goes with it.
        out.paragraph_format.keep_with_next = True
    return subdoc


def _twips(mm: float) -> str:
    return str(round(mm / 25.4 * 1440))


def _table_properties(table: Table) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tblPr = table._tbl.tblPr
    set_child(tblPr, "w:tblW", w=_twips(sum(APPENDIX_COLUMNS_MM)), type="dxa")
    borders = set_child(tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_child(borders, f"w:{edge}", val="single", sz="4", space="0", color="000000")
    margins = set_child(tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        set_child(margins, f"w:{side}", w=_twips(_CELL_MARGIN_MM), type="dxa")
    for column, width in zip(table.columns, APPENDIX_COLUMNS_MM, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, APPENDIX_COLUMNS_MM, strict=True):
            cell.width = Mm(width)


def _write(
    cell: _Cell,
    text: str,
    *,
    style: str = STYLE_TABLE,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    bold: bool = False,
) -> None:
    """Text into a cell's one paragraph; '\\n' becomes a line break."""
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    paragraph.paragraph_format.alignment = align
    run = paragraph.add_run(text)
    if bold:
        run.font.bold = True
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _wrap_label(label: str) -> str:
    """'(7)=(8)+(9)+(10)+(11)+(12)' on lines that fit its column, broken after '=' or '+'."""
    pieces: list[str] = []
    current = ""
    for char in label:
        current += char
        if char in "=+":
            pieces.append(current)
            current = ""
    pieces.append(current)
    lines: list[str] = []
    for piece in pieces:
        if lines and len(lines[-1]) + len(piece) <= _LABEL_LINE:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def _groups(columns: Iterable[Column]) -> list[tuple[str, list[Column]]]:
    """Consecutive columns sharing a top-level heading, in form order."""
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        if groups and groups[-1][0] == column.group:
            groups[-1][1].append(column)
        else:
            groups.append((column.group, [column]))
    return groups


def _header_rows(table: Table) -> None:
    """Three heading rows merged as on the form, then the column-number row."""
    header = STYLE_TABLE_HEADER
    for index, text in ((0, "STT"), (1, "Lĩnh vực giải quyết")):
        _write(table.cell(0, index).merge(table.cell(2, index)), text, style=header)
    index = 2
    for group, columns in _groups(COUNT_COLUMNS):
        first, last = index, index + len(columns) - 1
        _write(table.cell(0, first).merge(table.cell(0, last)), group, style=header)
        for offset, column in enumerate(columns):
            position = index + offset
            if column.number in _IN_PERIOD_COLUMNS:
                _write(table.cell(2, position), column.label, style=header)
            else:
                merged = table.cell(1, position).merge(table.cell(2, position))
                _write(merged, column.label, style=header)
        index = last + 1
    period = [2 + COUNT_COLUMNS.index(c) for c in COUNT_COLUMNS if c.number in _IN_PERIOD_COLUMNS]
    in_period = table.cell(1, period[0]).merge(table.cell(1, period[-1]))
    _write(in_period, _IN_PERIOD, style=header)

    numbers = ["(1)", "(2)", *(_wrap_label(c.number_label) for c in COUNT_COLUMNS)]
    for cell, text in zip(table.rows[3].cells, numbers, strict=True):
        _write(cell, text)


def _data_row(cells: tuple[_Cell, ...], row: AppendixRow, *, bold: bool = False) -> None:
    _write(cells[0], row.number, bold=bold)
    field_align = WD_ALIGN_PARAGRAPH.CENTER if bold else WD_ALIGN_PARAGRAPH.LEFT
    _write(cells[1], row.field, align=field_align, bold=bold)
    for cell, value in zip(cells[2:], row.values, strict=True):
        _write(cell, appendix_cell(value), align=WD_ALIGN_PARAGRAPH.RIGHT, bold=bold)


def _appendix_table(template: DocxTemplate, narrative: Narrative) -> Any:
    appendix = narrative.appendix
    subdoc = template.new_subdoc()
    header_rows = 4  # three heading rows and the column-number row
    rows = header_rows + len(appendix.rows) + 1
    table = subdoc.add_table(rows=rows, cols=len(APPENDIX_COLUMNS_MM))
    _table_properties(table)
    for number, row in enumerate(table.rows):
        trPr = row._tr.get_or_add_trPr()
        set_child(trPr, "w:cantSplit")
        if number < header_rows:
            set_child(trPr, "w:tblHeader")  # repeated at the top of a new page
    _header_rows(table)
    for row, cells in zip(appendix.rows, table.rows[header_rows:-1], strict=True):
        _data_row(tuple(cells.cells), row)
    _data_row(tuple(table.rows[-1].cells), appendix.total, bold=True)
    return subdoc


def _context(template: DocxTemplate, narrative: Narrative) -> dict[str, Any]:
    header = narrative.header
    authority, signer_title, signer_name = signature_parts(narrative.signature)
    context: dict[str, Any] = {
        "parent_body": header.parent_body,
        "issuing_body": header.issuing_body,
        "number_line": header.number_line,
        "nation": header.nation,
        "motto": header.motto,
        "place_date": header.place_date,
        "title": narrative.title,
        "subject": narrative.subject,
        "body": _body(template, narrative),
        "recipients_heading": narrative.recipients_heading,
        "recipients": list(narrative.recipients),
        "authority": authority,
        "signer_title": signer_title,
        "signer_name": signer_name,
        "appendix_heading": narrative.appendix.heading,
        "appendix_title": narrative.appendix.title,
        "appendix_attachment": narrative.appendix.attachment_line,
        "appendix_table": _appendix_table(template, narrative),
    }
    assert set(context) == TEMPLATE_KEYS
    return context


# The core properties are limited to 255 characters each (python-docx refuses more,
# Word shows no more): a very long unit name is cut there, the document keeps it whole.
_PROPERTY_CHARS = 255


def _property(text: str) -> str:
    return text if len(text) <= _PROPERTY_CHARS else text[: _PROPERTY_CHARS - 1] + "…"


def _template_bytes(template: Path) -> bytes:
    """The user's Word template; `TemplateError` (for staff) when it cannot be read."""
    try:
        return read_limited(template, MAX_TEMPLATE_BYTES, "một mẫu văn bản Word")
    except Refused as refused:
        raise TemplateError(str(refused)) from None
    except FileNotFoundError:
        raise TemplateError(f"Không tìm thấy tệp «{template.name}».") from None
    except OSError as problem:
        raise TemplateError(
            f"Không đọc được tệp «{template.name}» ({os_reason(problem)})."
        ) from None


def _open_template(source: bytes, name: str) -> DocxTemplate:
    document = DocxTemplate(io.BytesIO(source))
    try:
        document.init_docx()
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, etree.LxmlError) as problem:
        raise TemplateError(
            f"Tệp «{name}» không phải văn bản Word (.docx) đọc được; hãy mở bằng Word, lưu lại "
            "dạng «Tài liệu Word (.docx)» rồi thử lại."
        ) from problem
    return document


def render_docx(narrative: Narrative, template: Path | None = None) -> bytes:
    """The complete report as .docx bytes (see the module docstring for the template used)."""
    if template is None:
        document = _open_template(default_template_bytes(), "mẫu mặc định")
    else:
        document = _open_template(_template_bytes(Path(template)), Path(template).name)
    _check_template(document)
    context = _context(document, narrative)
    out = io.BytesIO()
    with core_properties_namespace():
        # Autoescape: values are XML-escaped text; the subdocuments are inserted as markup.
        document.render(context, jinja_env=Environment(autoescape=True))
        properties = document.docx.core_properties
        properties.title = _property(f"{narrative.title} {narrative.subject}")
        properties.subject = _property(narrative.appendix.title)
        properties.author = _property(narrative.header.issuing_body)
        properties.last_modified_by = "tthc"
        properties.comments = ""
        properties.revision = 1
        now = datetime.now(UTC).replace(microsecond=0)
        properties.created = now
        properties.modified = now
        document.save(out)
    return out.getvalue()
