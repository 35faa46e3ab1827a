"""How the Báo cáo sheet lays out the report: one description, two writers.

The CLI writes the sheet with openpyxl (`workbook.output`), the «Tạo báo cáo»
button writes it into the open workbook through xlwings (`excel.button`); both
take their rows from `narrative_layout`, so the sheet a clerk prints looks the
same whichever made it: the header block in two columns as Nghị định 30/2020
sets it, every paragraph one row across both columns with a first-line indent,
room to sign between the title and the name, the row heights estimated from the
text so nothing is cut when printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.core.narrative import Narrative, Role

__all__ = [
    "CHARACTERS_PER_LINE",
    "COLUMN_WIDTHS",
    "FIRST_LINE_INDENT",
    "LINE_HEIGHT",
    "SIGNING_LINES",
    "LayoutRow",
    "TextLook",
    "narrative_layout",
    "narrative_rows",
]

# Of 13 pt Times New Roman across columns A:B (88 wide) as LibreOffice prints them: about
# 105 fit; fewer are counted so a long paragraph is never cut, and few lines are left blank.
CHARACTERS_PER_LINE = 98
FIRST_LINE_INDENT = "\u00a0" * 8  # a cell has no first-line indent: no-break spaces stand in
SIGNING_LINES = 4  # empty lines between the signer's title and name
LINE_HEIGHT = 18  # points per printed line
COLUMN_WIDTHS = {"A": 40, "B": 48}


@dataclass(frozen=True)
class TextLook:
    """A cell's font (always the report's font family) and its horizontal alignment."""

    size: float
    bold: bool = False
    italic: bool = False
    horizontal: str = "left"  # "left", "center" or "justify"


@dataclass(frozen=True)
class LayoutRow:
    """One row of the sheet: a text across A:B (`right` None) or two columns."""

    style: str
    left: str
    left_look: TextLook
    right: str | None = None
    right_look: TextLook | None = None
    height: float = LINE_HEIGHT

    @property
    def merged(self) -> bool:
        return self.right is None


_CENTRE = "center"
# style -> (left look, right look or None for a row across both columns)
_LOOKS: dict[str, tuple[TextLook, TextLook | None]] = {
    "header": (TextLook(12, horizontal=_CENTRE), TextLook(12, bold=True, horizontal=_CENTRE)),
    "header_bold": (
        TextLook(12, bold=True, horizontal=_CENTRE),
        TextLook(13, bold=True, horizontal=_CENTRE),
    ),
    "header_number": (
        TextLook(13, horizontal=_CENTRE),
        TextLook(13, italic=True, horizontal=_CENTRE),
    ),
    "title": (TextLook(14, bold=True, horizontal=_CENTRE), None),
    "subject": (TextLook(13, bold=True, horizontal=_CENTRE), None),
    "heading": (TextLook(13, bold=True, horizontal="justify"), None),
    "body": (TextLook(13, horizontal="justify"), None),
    "recipients_heading": (
        TextLook(12, bold=True, italic=True),
        TextLook(13, bold=True, horizontal=_CENTRE),
    ),
    "recipient": (TextLook(11), TextLook(13, bold=True, horizontal=_CENTRE)),
    "blank": (TextLook(11, horizontal="justify"), None),
}


def narrative_rows(narrative: Narrative) -> list[tuple[str, str, str]]:
    """(style, left text, right text) rows of the Báo cáo sheet, in reading order.

    The header block keeps its two columns (issuing body left, national motto
    right) as in Nghị định 30/2020; every other row spans both columns.
    """
    h = narrative.header
    rows: list[tuple[str, str, str]] = [
        ("header", h.parent_body, h.nation),
        ("header_bold", h.issuing_body, h.motto),
        ("header_number", h.number_line, h.place_date),
        ("blank", "", ""),
        ("title", narrative.title, ""),
        ("subject", narrative.subject, ""),
        ("blank", "", ""),
    ]
    for paragraph in narrative.body:
        if paragraph.role in (Role.HEADING, Role.SUBHEADING):
            rows.append(("heading", paragraph.text, ""))
        else:
            rows.append(("body", FIRST_LINE_INDENT + paragraph.text, ""))
    rows.append(("blank", "", ""))
    # Room to sign between the title and the name, as in the Word report.
    *titles, name = narrative.signature
    signature = [*titles, *[""] * SIGNING_LINES, name]
    recipients = [narrative.recipients_heading, *narrative.recipients]
    for index in range(max(len(recipients), len(signature))):
        left = recipients[index] if index < len(recipients) else ""
        right = signature[index] if index < len(signature) else ""
        rows.append(("recipients_heading" if index == 0 else "recipient", left, right))
    return rows


def narrative_layout(narrative: Narrative) -> list[LayoutRow]:
    """The sheet's rows with their looks and heights (row 1 first)."""
    laid: list[LayoutRow] = []
    for style, left, right in narrative_rows(narrative):
        left_look, right_look = _LOOKS[style]
        if right_look is None:
            lines = max(1, -(-len(left) // CHARACTERS_PER_LINE))
            laid.append(LayoutRow(style, left, left_look, height=LINE_HEIGHT * lines))
        else:
            laid.append(LayoutRow(style, left, left_look, right, right_look))
    return laid
