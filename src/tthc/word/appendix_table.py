"""The appendix table of the Word report, written as WordprocessingML in one pass.

Why not python-docx's table API: it looks a style up by name in the whole
styles part on every `paragraph.style = …` and rebuilds the cell grid on every
`table.cell()`, which made this 16-column table cost half a second, most of
the time the «Tạo báo cáo» button takes. Here the style ids are resolved once
and the table is one string of XML, the same elements python-docx would write
(three merged heading rows, the column-number row, repeated on each page; rows
that never split; fixed widths), parsed once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from lxml import etree

from tthc.core.grid import COUNT_COLUMNS, Column
from tthc.core.narrative import AppendixRow, AppendixTable, appendix_cell
from tthc.infra.xml_text import escape

__all__ = ["APPENDIX_COLUMNS_MM", "appendix_table", "wrap_label"]

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


def _twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


_WIDTHS = tuple(_twips(mm) for mm in APPENDIX_COLUMNS_MM)


def wrap_label(label: str) -> str:
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


def _run(text: str, bold: bool) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    parts = "<w:br/>".join(f"<w:t>{escape(line)}</w:t>" for line in text.split("\n"))
    return f"<w:r>{properties}{parts if text else ''}</w:r>"


def _cell(
    first: int,
    text: str,
    style: str,
    *,
    span: int = 1,
    align: str = "center",
    bold: bool = False,
    merge: str | None = None,
) -> str:
    """A cell starting at grid column `first`; `merge` 'restart' opens a vertical merge."""
    width = sum(_WIDTHS[first : first + span])
    properties = f'<w:tcW w:type="dxa" w:w="{width}"/>'
    if span > 1:
        properties += f'<w:gridSpan w:val="{span}"/>'
    if merge == "restart":
        properties += '<w:vMerge w:val="restart"/>'
    properties += '<w:vAlign w:val="center"/>'
    paragraph = (
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{align}"/></w:pPr>'
        f"{_run(text, bold)}</w:p>"
    )
    return f"<w:tc><w:tcPr>{properties}</w:tcPr>{paragraph}</w:tc>"


def _merged_below(first: int) -> str:
    """A cell continuing the vertical merge of the cell above."""
    width = f'<w:tcW w:type="dxa" w:w="{_WIDTHS[first]}"/>'
    return f"<w:tc><w:tcPr>{width}<w:vMerge/></w:tcPr><w:p/></w:tc>"


def _row(cells: Iterable[str], *, header: bool) -> str:
    repeat = "<w:tblHeader/>" if header else ""
    return f"<w:tr><w:trPr><w:cantSplit/>{repeat}</w:trPr>{''.join(cells)}</w:tr>"


def _header_rows(heading: str, body: str) -> list[str]:
    """Three heading rows merged as on the form, then the column-number row."""
    top = [
        _cell(0, "STT", heading, merge="restart"),
        _cell(1, "Lĩnh vực giải quyết", heading, merge="restart"),
    ]
    middle = [_merged_below(0), _merged_below(1)]
    bottom = [_merged_below(0), _merged_below(1)]
    position = 2
    for group, columns in _groups(COUNT_COLUMNS):
        top.append(_cell(position, group, heading, span=len(columns)))
        in_period = [c for c in columns if c.number in _IN_PERIOD_COLUMNS]
        for column in columns:
            if column.number in _IN_PERIOD_COLUMNS:
                if column is in_period[0]:
                    middle.append(_cell(position, _IN_PERIOD, heading, span=len(in_period)))
                bottom.append(_cell(position, column.label, heading))
            else:
                middle.append(_cell(position, column.label, heading, merge="restart"))
                bottom.append(_merged_below(position))
            position += 1
    numbers = ["(1)", "(2)", *(wrap_label(c.number_label) for c in COUNT_COLUMNS)]
    number_row = [_cell(index, text, body) for index, text in enumerate(numbers)]
    return [_row(cells, header=True) for cells in (top, middle, bottom, number_row)]


def _data_row(row: AppendixRow, body: str, *, bold: bool = False) -> str:
    cells = [
        _cell(0, row.number, body, bold=bold),
        _cell(1, row.field, body, align="center" if bold else "left", bold=bold),
    ]
    cells += [
        _cell(index, appendix_cell(value), body, align="right", bold=bold)
        for index, value in enumerate(row.values, 2)
    ]
    return _row(cells, header=False)


def appendix_table(appendix: AppendixTable, style_ids: Mapping[str, str]) -> etree._Element:
    """The `w:tbl` element of the appendix; `style_ids` gives 'table' and 'header' style ids."""
    body, heading = style_ids["table"], style_ids["header"]
    margin = _twips(_CELL_MARGIN_MM)
    borders = "".join(
        f'<w:{edge} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    properties = (
        f'<w:tblPr><w:tblW w:type="dxa" w:w="{_twips(sum(APPENDIX_COLUMNS_MM))}"/>'
        f'<w:jc w:val="center"/><w:tblBorders>{borders}</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/>'
        f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" '
        'w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr>'
    )
    grid = "".join(f'<w:gridCol w:w="{width}"/>' for width in _WIDTHS)
    rows = [
        *_header_rows(heading, body),
        *(_data_row(row, body) for row in appendix.rows),
        _data_row(appendix.total, body, bold=True),
    ]
    xml = f"<w:tbl {nsdecls('w')}>{properties}<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    return parse_xml(xml)
