"""The Word template of the report, generated entirely by code (python-docx).

`build_word_template()` gives `templates/BaoCaoTTHC.docx`: a docxtpl (Jinja2)
template laid out as Nghị định 30/2020/NĐ-CP, Phụ lục I asks.
A commune restyles it in Word without Python: fonts, sizes, spacing, a logo in
the header block, and the wording of the fixed text, which is ordinary text in
the template: the opening and closing paragraphs, «Nơi nhận:» and its default
list, «PHỤ LỤC». What is computed is a placeholder with a Vietnamese name a
clerk can read (`{{ trich_yeu }}`, `{{p noi_dung }}`, …: `PLACEHOLDERS`, whose
meanings the README lists); the renderer also fills the English names of
earlier templates (`tthc.word.report.ENGLISH_PLACEHOLDERS`). The fixed
sentences are written here from the core's own functions with placeholders for
their parts, so the default template says word for word what the text report
says. The paragraph styles the renderer applies by name (`STYLE_HEADING`,
`STYLE_BODY`, `STYLE_TABLE`, `STYLE_TABLE_HEADER`) must stay: restyling them in
Word restyles every report.

Layout: section 1 is A4 portrait (210×297 mm; margins 20/20/30/15 mm) with the
two-column header block, the title and subject, the body, and the signature
block with the recipients; page numbers are centred in the header from page 2.
Section 2 starts on a new page, A4 landscape with the same margins, and holds
the appendix heading and table. Short horizontal rules are empty paragraphs of
the style `STYLE_RULE` (a bottom border) whose left and right indents set
their length, so they can be lengthened in Word by dragging the indents.

Regenerate the committed file with `python -m tthc.word.template`; a test
checks that it equals what this module builds.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import nsmap, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Cm, Length, Mm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from tthc.core.narrative import (
    closing_sentence,
    default_recipients,
    opening_sentence,
    recipient_lines,
)
from tthc.infra.safe_write import write_bytes_atomic

__all__ = [
    "FONT_NAME",
    "PAGE_MARGINS",
    "PLACEHOLDERS",
    "STYLE_BODY",
    "STYLE_HEADING",
    "STYLE_RULE",
    "STYLE_TABLE",
    "STYLE_TABLE_HEADER",
    "WORD_TEMPLATE_FILE_NAME",
    "build_word_template",
    "core_properties_namespace",
    "set_child",
    "source_tree_template",
    "write_word_template",
]

WORD_TEMPLATE_FILE_NAME = "BaoCaoTTHC.docx"
FONT_NAME = "Times New Roman"

# The template's placeholders and what each holds, in the clerk's words (the README's table).
PLACEHOLDERS: dict[str, str] = {
    "co_quan_chu_quan": "tên cơ quan chủ quản, chữ in hoa («UBND XÃ BÌNH GIANG»)",
    "co_quan_ban_hanh": "tên cơ quan ban hành, chữ in hoa («TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG»)",
    "so_ky_hieu": "dòng số và ký hiệu («Số:     /BC-TTPVHCC»)",
    "quoc_hieu": "quốc hiệu",
    "tieu_ngu": "tiêu ngữ",
    "dia_danh_ngay_thang": "địa danh và ngày tháng («Bình Giang, ngày 01 tháng 4 năm 2026»)",
    "ten_loai_van_ban": "tên loại văn bản («BÁO CÁO»)",
    "trich_yeu": "trích yếu, có kỳ báo cáo",
    "cap_hanh_chinh": "cấp của đơn vị: «xã», «phường» hoặc «đặc khu»",
    "don_vi_bao_cao": "tên đầy đủ của đơn vị báo cáo («Trung tâm Phục vụ hành chính công xã …»)",
    "cac_phong_chuyen_mon": "các phòng có số liệu, nối bằng dấu phẩy và «và»",
    "noi_dung": "phần nội dung tính từ số liệu: mục 1, 2 và 3 (cả đoạn, giữ riêng một dòng)",
    "noi_nhan_rieng": "nơi nhận ghi ở trang Thông tin, khi đơn vị đã sửa danh sách mặc định",
    "quyen_han_ky": "quyền hạn ký («KT. GIÁM ĐỐC»), có thể trống",
    "chuc_vu_nguoi_ky": "chức vụ người ký («PHÓ GIÁM ĐỐC»)",
    "ho_ten_nguoi_ky": "họ tên người ký",
    "ten_phu_luc": "tên phụ lục, chữ in hoa, có kỳ báo cáo",
    "kem_theo_bao_cao": "dòng «(Kèm theo Báo cáo số … ngày … của …)»",
    "bang_phu_luc": "bảng phụ lục 16 cột (cả đoạn, giữ riêng một dòng)",
}
RECIPIENTS_HEADING = "Nơi nhận:"
APPENDIX_HEADING = "PHỤ LỤC"

# Paragraph styles the renderer uses by name (ASCII style ids, Vietnamese names).
STYLE_HEADING = "TTHC Đề mục"
STYLE_BODY = "TTHC Nội dung"
STYLE_TABLE = "TTHC Bảng"
STYLE_TABLE_HEADER = "TTHC Bảng tiêu đề"
STYLE_RULE = "TTHC Kẻ ngang"
STYLE_PAGE_NUMBER = "TTHC Số trang"
_STYLE_IDS = {
    STYLE_BODY: "TTHCNoiDung",
    STYLE_HEADING: "TTHCDeMuc",
    STYLE_TABLE: "TTHCBang",
    STYLE_TABLE_HEADER: "TTHCBangTieuDe",
    STYLE_RULE: "TTHCKeNgang",
    STYLE_PAGE_NUMBER: "TTHCSoTrang",
}

# A4 and the margins of Nghị định 30/2020 (top, bottom, left, right).
PAGE_WIDTH = Mm(210)
PAGE_HEIGHT = Mm(297)
PAGE_MARGINS = {"top": Mm(20), "bottom": Mm(20), "left": Mm(30), "right": Mm(15)}
TEXT_WIDTH_MM = 210 - 30 - 15  # 165 mm in portrait
HEADER_COLUMNS_MM = (65, 100)  # issuing body | national title
SIGNATURE_COLUMNS_MM = (80, 85)  # recipients | signature

# Fixed so that the generated file does not change from run to run.
_TEMPLATE_DATE = datetime(2026, 1, 1, tzinfo=UTC)


_CORE_PROPERTIES_NS = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"


@contextmanager
def core_properties_namespace() -> Iterator[None]:
    """python-docx's own `cp:` namespace while a document is built, rendered or saved.

    docxcompose, which docxtpl imports for subdocuments, rebinds python-docx's
    process-wide `nsmap["cp"]` to the custom-properties namespace
    (docxcompose#101, docxtpl#471). A core property set meanwhile (keywords,
    last modified by, revision…) is then written twice, once in the wrong
    namespace, and Word reports the file as unreadable. The binding is put
    back afterwards so that docxcompose keeps working as it expects.
    """
    saved = nsmap.get("cp")
    nsmap["cp"] = _CORE_PROPERTIES_NS
    try:
        yield
    finally:
        if saved is not None:
            nsmap["cp"] = saved


# --- small XML helpers -------------------------------------------------------

# Child order of the few elements this module and the renderer add to: Word
# rejects a file whose children are out of schema order (LibreOffice does not).
_CHILD_ORDER: dict[str, tuple[str, ...]] = {
    parent: tuple(f"w:{name}" for name in children.split())
    for parent, children in {
        "w:tblPr": """tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize
            tblStyleColBandSize tblW jc tblCellSpacing tblInd tblBorders shd tblLayout
            tblCellMar tblLook tblCaption tblDescription tblPrChange""",
        "w:pPr": """pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr
            suppressLineNumbers pBdr shd tabs suppressAutoHyphens kinsoku wordWrap
            overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid
            spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection
            textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange""",
        "w:rPr": """ins del moveFrom moveTo rStyle rFonts b bCs i iCs caps smallCaps strike
            dstrike outline shadow emboss imprint noProof snapToGrid vanish webHidden color
            spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl
            cs em lang eastAsianLayout specVanish oMath""",
        "w:pBdr": "top left bottom right between bar",
        "w:tblBorders": "top left bottom right insideH insideV",
        "w:tblCellMar": "top left bottom right",
        "w:trPr": "cantSplit trHeight tblHeader",
    }.items()
}


def _prefixed(element: BaseOxmlElement) -> str:
    namespace, _, local = element.tag.rpartition("}")
    return f"w:{local}" if namespace == "{" + nsmap["w"] else element.tag


def set_child(parent: BaseOxmlElement, tag: str, **attributes: str) -> BaseOxmlElement:
    """The child `tag` of `parent` (inserted in schema order if absent), `w:` attributes set."""
    found = parent.find(qn(tag))
    child = cast(BaseOxmlElement, OxmlElement(tag) if found is None else found)
    if found is None:
        order = _CHILD_ORDER.get(_prefixed(parent), ())
        later = {qn(t) for t in order[order.index(tag) + 1 :]} if tag in order else set()
        successor = next((c for c in parent if c.tag in later), None)
        if successor is None:
            parent.append(child)
        else:
            successor.addprevious(child)
    for name, value in attributes.items():
        child.set(qn(f"w:{name}"), value)
    return child


def _times(rpr: BaseOxmlElement) -> None:
    """Times New Roman for every script, no theme font overriding it."""
    fonts = set_child(rpr, "w:rFonts")
    for theme in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        if qn(f"w:{theme}") in fonts.attrib:
            del fonts.attrib[qn(f"w:{theme}")]
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attribute}"), FONT_NAME)


def _bottom_border(ppr: BaseOxmlElement) -> None:
    borders = set_child(ppr, "w:pBdr")
    set_child(borders, "w:bottom", val="single", sz="6", space="1", color="000000")


def _no_borders(table: Table) -> None:
    tblPr = table._tbl.tblPr
    borders = set_child(tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        set_child(borders, f"w:{edge}", val="nil")


def _fixed_widths(table: Table, widths_mm: tuple[float, ...]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    tblPr = table._tbl.tblPr
    set_child(tblPr, "w:tblW", w=str(round(sum(widths_mm) / 25.4 * 1440)), type="dxa")


# --- document-wide settings and styles --------------------------------------


def _defaults(document: DocumentObject) -> None:
    """Times New Roman 14 pt, black, Vietnamese, no spacing: the base of every style."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _times(rpr)
    set_child(rpr, "w:sz", val="28")
    set_child(rpr, "w:szCs", val="28")
    set_child(rpr, "w:lang", val="vi-VN", eastAsia="en-US", bidi="ar-SA")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    set_child(ppr, "w:spacing", after="0", line="240", lineRule="auto")

    normal = document.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    _times(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = True


def _paragraph_style(document: DocumentObject, name: str, base: str = "Normal"):
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = _STYLE_IDS[name]
    style.base_style = document.styles[base]
    style.quick_style = True
    style.hidden = False
    style.unhide_when_used = False
    return style


def _styles(document: DocumentObject) -> None:
    body = _paragraph_style(document, STYLE_BODY)
    body.font.size = Pt(14)
    fmt = body.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True

    heading = _paragraph_style(document, STYLE_HEADING, STYLE_BODY)
    heading.font.bold = True
    heading.paragraph_format.keep_with_next = True
    heading.next_paragraph_style = body

    table = _paragraph_style(document, STYLE_TABLE)
    table.font.size = Pt(11)
    fmt = table.paragraph_format
    fmt.space_before = Pt(2)
    fmt.space_after = Pt(2)
    fmt.line_spacing = 1.0

    table_header = _paragraph_style(document, STYLE_TABLE_HEADER, STYLE_TABLE)
    table_header.font.size = Pt(10)
    table_header.font.bold = True
    table_header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    rule = _paragraph_style(document, STYLE_RULE)
    rule.font.size = Pt(2)
    fmt = rule.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3)
    fmt.keep_with_next = True
    _bottom_border(rule.element.get_or_add_pPr())

    page_number = _paragraph_style(document, STYLE_PAGE_NUMBER)
    page_number.font.size = Pt(13)
    page_number.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER


# --- content helpers ---------------------------------------------------------


def _paragraph(
    container: DocumentObject | _Cell,
    text: str = "",
    *,
    size: float | None = None,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    before: float = 0,
    after: float = 0,
    reuse_first: bool = False,
) -> Paragraph:
    """A paragraph holding one run of `text` (a placeholder, usually), spaces preserved."""
    if reuse_first and isinstance(container, _Cell) and not container.paragraphs[0].runs:
        paragraph = container.paragraphs[0]
    else:
        paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    if align is not None:
        fmt.alignment = align
    if before:
        fmt.space_before = Pt(before)
    if after:
        fmt.space_after = Pt(after)
    if text:
        run = paragraph.add_run(text)
        run.font.bold = bold or None
        run.font.italic = italic or None
        if size is not None:
            run.font.size = Pt(size)
        run._r.find(qn("w:t")).set(qn("xml:space"), "preserve")
    return paragraph


def _rule(container: DocumentObject | _Cell, width_mm: float, length_mm: float) -> Paragraph:
    """A short centred horizontal rule `length_mm` long in a space `width_mm` wide."""
    paragraph = container.add_paragraph(style=STYLE_RULE)
    indent = Mm(max(width_mm - length_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = indent
    paragraph.paragraph_format.right_indent = indent
    return paragraph


def _cell_text_width(width_mm: float) -> float:
    """The width available to text in a table cell of the default cell margins (1.9 mm)."""
    return width_mm - 2 * 1.905


def _header_block(document: DocumentObject) -> None:
    left_mm, right_mm = HEADER_COLUMNS_MM
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    _fixed_widths(table, HEADER_COLUMNS_MM)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells

    _paragraph(top_left, "{{ co_quan_chu_quan }}", size=13, reuse_first=True)
    _paragraph(top_left, "{{ co_quan_ban_hanh }}", size=13, bold=True)
    _rule(top_left, _cell_text_width(left_mm), 24)  # a third to a half of the line above

    _paragraph(top_right, "{{ quoc_hieu }}", size=12, bold=True, reuse_first=True)
    _paragraph(top_right, "{{ tieu_ngu }}", size=13, bold=True)
    _rule(top_right, _cell_text_width(right_mm), 56)  # as long as the motto

    # The number and the place/date share a row so that they line up even when
    # the issuing body wraps onto a second line.
    _paragraph(bottom_left, "{{ so_ky_hieu }}", size=13, before=6, reuse_first=True)
    _paragraph(
        bottom_right, "{{ dia_danh_ngay_thang }}", size=14, italic=True, before=6, reuse_first=True
    )


def _title_block(document: DocumentObject) -> None:
    _paragraph(document, "{{ ten_loai_van_ban }}", size=14, bold=True, before=24)
    _paragraph(document, "{{ trich_yeu }}", size=14, bold=True)
    rule = _rule(document, TEXT_WIDTH_MM, 50)
    rule.paragraph_format.space_after = Pt(12)


def _body_block(document: DocumentObject) -> None:
    """The opening sentence, the computed sections, the closing sentence.

    The two sentences are the core's, with placeholders for the unit's parts, so
    that a commune rewords them here and the default template prints them exactly
    as the text report does.
    """
    opening = opening_sentence(
        "{{ cap_hanh_chinh }}", "{{ cac_phong_chuyen_mon }}", "{{ don_vi_bao_cao }}"
    )
    document.add_paragraph(opening, style=STYLE_BODY)
    _paragraph(document, "{{p noi_dung }}", align=None)
    closing = document.add_paragraph(
        closing_sentence("{{ cap_hanh_chinh }}", "{{ don_vi_bao_cao }}"), style=STYLE_BODY
    )
    # The signature block never stands alone on a page: the closing paragraph goes with it.
    closing.paragraph_format.keep_with_next = True


def _signature_block(document: DocumentObject) -> None:
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, SIGNATURE_COLUMNS_MM)
    row = table.rows[0]
    set_child(row._tr.get_or_add_trPr(), "w:cantSplit")
    # 12 pt above both columns, whether or not the authority line ("KT. GIÁM ĐỐC") is there.
    margins = set_child(table._tbl.tblPr, "w:tblCellMar")
    set_child(margins, "w:top", w="240", type="dxa")
    set_child(margins, "w:left", w="0", type="dxa")  # "Nơi nhận:" flush with the body text
    left, right = row.cells
    left_align = WD_ALIGN_PARAGRAPH.LEFT

    _paragraph(
        left,
        RECIPIENTS_HEADING,
        size=12,
        bold=True,
        italic=True,
        align=left_align,
        reuse_first=True,
    )
    # The unit's own list (Thông tin) if it changed the default; else the template's lines,
    # which a commune edits here like any text.
    _paragraph(left, "{%p if noi_nhan_rieng %}", align=left_align)
    _paragraph(left, "{%p for dong in noi_nhan_rieng %}", align=left_align)
    _paragraph(left, "{{ dong }}", size=11, align=left_align)
    _paragraph(left, "{%p endfor %}", align=left_align)
    _paragraph(left, "{%p else %}", align=left_align)
    for line in recipient_lines(default_recipients("{{ cap_hanh_chinh }}")):
        _paragraph(left, line, size=11, align=left_align)
    _paragraph(left, "{%p endif %}", align=left_align)

    _paragraph(right, "{%p if quyen_han_ky %}", reuse_first=True)
    _paragraph(right, "{{ quyen_han_ky }}", size=14, bold=True)
    _paragraph(right, "{%p endif %}")
    _paragraph(right, "{{ chuc_vu_nguoi_ky }}", size=14, bold=True)
    for _ in range(4):  # room to sign and stamp
        _paragraph(right, size=14)
    _paragraph(right, "{{ ho_ten_nguoi_ky }}", size=14, bold=True, before=12)


def _page_numbers(document: DocumentObject) -> None:
    """PAGE centred in the header from page 2; an empty header on page 1."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty first-page header
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph.style = document.styles[STYLE_PAGE_NUMBER]
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2")):
        run = paragraph.add_run()
        if kind is not None:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    paragraph.add_run()._r.append(end)


def _page(section, *, landscape: bool) -> None:
    if landscape:
        # python-docx does not swap the dimensions when the orientation changes.
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = PAGE_HEIGHT, PAGE_WIDTH
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side, length in PAGE_MARGINS.items():
        setattr(section, f"{side}_margin", length)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    section.gutter = Length(0)


def _tiny(paragraph: Paragraph) -> None:
    """Make an empty structural paragraph 1 pt high, so that it never spills onto a page."""
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(1)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    mark = set_child(paragraph._p.get_or_add_pPr(), "w:rPr")
    set_child(mark, "w:sz", val="2")
    set_child(mark, "w:szCs", val="2")


def _appendix(document: DocumentObject) -> None:
    new = document.add_section(WD_SECTION.NEW_PAGE)
    _tiny(document.paragraphs[-1])  # the paragraph that holds section 1's break
    _page(new, landscape=True)
    new.different_first_page_header_footer = False  # the appendix's first page is numbered
    _paragraph(document, APPENDIX_HEADING, size=14, bold=True)
    _paragraph(document, "{{ ten_phu_luc }}", size=14, bold=True)
    _paragraph(document, "{{ kem_theo_bao_cao }}", size=14, italic=True, after=12)
    _paragraph(document, "{{p bang_phu_luc }}", align=None)
    _tiny(_paragraph(document, align=None))  # a document must not end with a table


def _properties(document: DocumentObject) -> None:
    properties = document.core_properties
    properties.title = "Báo cáo kết quả giải quyết thủ tục hành chính (mẫu)"
    properties.subject = "Mẫu Word của báo cáo TTHC hằng tháng, dùng với tthc"
    properties.author = "tthc"
    properties.last_modified_by = "tthc"
    properties.comments = (
        # docxtpl renders these properties as Jinja too: no braces here.
        "Sửa phông chữ, cỡ chữ, giãn dòng, logo tùy ý; giữ nguyên các trường trong "
        "ngoặc nhọn kép và tên các kiểu đoạn văn TTHC."
    )
    properties.keywords = "TTHC"
    properties.revision = 1
    properties.created = _TEMPLATE_DATE
    properties.modified = _TEMPLATE_DATE
    properties.last_printed = _TEMPLATE_DATE
    package = document.part.package
    for rId, relationship in list(package.rels.items()):
        if relationship.reltype == RT.THUMBNAIL:  # python-docx's picture of a blank page
            package.rels.pop(rId)


def build_word_template() -> bytes:
    """The report template as .docx bytes."""
    with core_properties_namespace():
        return _build()


def _build() -> bytes:
    document = Document()
    _defaults(document)
    _styles(document)
    _page(document.sections[0], landscape=False)
    _header_block(document)
    _title_block(document)
    _body_block(document)
    _signature_block(document)
    _page_numbers(document)
    _appendix(document)
    _properties(document)
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def source_tree_template() -> Path:
    """Where the committed template lives in a source checkout: `templates/BaoCaoTTHC.docx`."""
    return Path(__file__).resolve().parents[3] / "templates" / WORD_TEMPLATE_FILE_NAME


def write_word_template(path: Path | None = None, *, overwrite: bool = True) -> Path:
    """Write the template (by default over the committed `templates/BaoCaoTTHC.docx`)."""
    target = source_tree_template() if path is None else Path(path)
    write_bytes_atomic(target, build_word_template(), overwrite=overwrite)
    return target


def main(argv: list[str] | None = None) -> int:
    """`python -m tthc.word.template [PATH]`: regenerate the Word template."""
    args = sys.argv[1:] if argv is None else argv
    target = write_word_template(Path(args[0]) if args else None)
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
