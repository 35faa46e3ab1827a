"""The Word report read back with python-docx: content, layout and the template.

The text must be the narrative's, in order, and the reviewed golden text must
all be there; the layout is the one Nghị định 30/2020 sets;
the committed template must be exactly what `build_word_template()` makes.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.table import Table, _Row
from docx.text.paragraph import Paragraph
from lxml import etree

from helpers import sample_data
from tthc.core.grid import COUNT_COLUMNS
from tthc.core.narrative import Narrative, Role, appendix_cell
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.word.report import (
    TEMPLATE_KEYS,
    TemplateError,
    default_template_bytes,
    render_docx,
    signature_parts,
    template_placeholders,
)
from tthc.word.template import (
    FONT_NAME,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_RULE,
    build_word_template,
)

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "binh_giang_2026_03.txt"
COMMITTED = ROOT / "templates" / "BaoCaoTTHC.docx"
OLD_TEMPLATE = ROOT / "tests" / "word" / "templates" / "BaoCaoTTHC-thang-11-2026.docx"


# --- fixtures and helpers ------------------------------------------------------


def _narrative(**report_changes: object) -> Narrative:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    report = replace(loaded.report, **report_changes) if report_changes else loaded.report
    result = run_pipeline(LoadResult(report, ()))
    assert result.ready is not None, [f.describe() for f in result.findings]
    return result.ready.narrative


def _open(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def narrative() -> Narrative:
    return _narrative()


@pytest.fixture(scope="module")
def docx_bytes(narrative: Narrative) -> bytes:
    return render_docx(narrative)


@pytest.fixture(scope="module")
def doc(docx_bytes: bytes) -> DocumentObject:
    return _open(docx_bytes)


def _blocks(doc: DocumentObject) -> list[Paragraph | Table]:
    return list(doc.iter_inner_content())


def _texts(paragraphs: list[Paragraph]) -> list[str]:
    """Texts of the paragraphs that show something (rules and spacers left out)."""
    return [p.text for p in paragraphs if p.text]


def _body_paragraphs(doc: DocumentObject, narrative: Narrative) -> list[Paragraph]:
    """The paragraphs between the subject (and its rule) and the signature table."""
    blocks = _blocks(doc)
    start = next(
        i for i, b in enumerate(blocks) if isinstance(b, Paragraph) and b.text == narrative.subject
    )
    end = next(i for i in range(start, len(blocks)) if isinstance(blocks[i], Table))
    between = blocks[start + 1 : end]
    assert all(isinstance(b, Paragraph) for b in between)
    return [b for b in between if isinstance(b, Paragraph) and b.style.name != STYLE_RULE]


def _header_table(doc: DocumentObject) -> Table:
    first = _blocks(doc)[0]
    assert isinstance(first, Table)
    return first


def _signature_table(doc: DocumentObject) -> Table:
    return doc.tables[1]


def _appendix_table(doc: DocumentObject) -> Table:
    return doc.tables[-1]


def _all_text(doc: DocumentObject) -> str:
    """Every paragraph of the body, tables included, one a line."""
    return "\n".join(Paragraph(p, doc._body).text for p in doc.element.body.iter(qn("w:p")))


def _only_run(paragraph: Paragraph):
    runs = [r for r in paragraph.runs if r.text]
    assert len(runs) == 1, paragraph.text
    return runs[0]


def _size(paragraph: Paragraph) -> float:
    run = _only_run(paragraph)
    size = run.font.size or paragraph.style.font.size
    assert size is not None, paragraph.text
    return size.pt


def _paragraph(doc_or_cell, text: str) -> Paragraph:
    return next(p for p in doc_or_cell.paragraphs if p.text == text)


def _row_layout(row: _Row) -> list[tuple[str, int, str | None]]:
    """(text, columns spanned, vertical merge) of each real cell (w:tc) of a row."""
    layout = []
    for tc in row._tr.tc_lst:
        vmerge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
        state = None if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
        text = "\n".join(Paragraph(p, row).text for p in tc.iter(qn("w:p")))
        layout.append((text, tc.grid_span, state))
    return layout


def _is_bold(run, paragraph: Paragraph) -> bool:
    return bool(run.font.bold or paragraph.style.font.bold)


# --- content -------------------------------------------------------------------


def test_body_paragraphs_are_the_narrative_in_order(
    doc: DocumentObject, narrative: Narrative
) -> None:
    paragraphs = _body_paragraphs(doc, narrative)
    assert [p.text for p in paragraphs] == [p.text for p in narrative.body]
    for paragraph, source in zip(paragraphs, narrative.body, strict=True):
        heading = source.role in (Role.HEADING, Role.SUBHEADING)
        assert paragraph.style.name == (STYLE_HEADING if heading else STYLE_BODY)


def test_header_block_holds_the_header_fields(doc: DocumentObject, narrative: Narrative) -> None:
    h = narrative.header
    table = _header_table(doc)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells
    assert _texts(top_left.paragraphs) == [h.parent_body, h.issuing_body]
    assert _texts(top_right.paragraphs) == [h.nation, h.motto]
    assert _texts(bottom_left.paragraphs) == [h.number_line]
    assert _texts(bottom_right.paragraphs) == [h.place_date]
    # borderless
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"nil"}


def test_title_subject_signature_and_recipients(doc: DocumentObject, narrative: Narrative) -> None:
    texts = [p.text for p in doc.paragraphs]
    assert texts.index(narrative.title) + 1 == texts.index(narrative.subject)
    left, right = _signature_table(doc).rows[0].cells
    assert _texts(left.paragraphs) == [narrative.recipients_heading, *narrative.recipients]
    assert _texts(right.paragraphs) == list(narrative.signature)
    assert narrative.signature == ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Xuân Thành")


def test_document_contains_every_line_of_the_reviewed_golden_text(doc: DocumentObject) -> None:
    lines = GOLDEN.read_text("utf-8").splitlines()
    title = next(i for i, line in enumerate(lines) if line.strip() == "BÁO CÁO")
    start = lines.index("", title)  # the blank line after the (wrapped) subject
    end = lines.index("Nơi nhận:")
    body = [line for line in lines[start:end] if line.strip()]
    assert len(body) > 30
    text = _all_text(doc)
    missing = [line for line in body if line not in text]
    assert missing == []
    recipients_and_signature = [line.strip() for line in lines[end:] if line.strip()][:8]
    for line in recipients_and_signature:
        assert line in text


def test_appendix_heading_lines(doc: DocumentObject, narrative: Narrative) -> None:
    appendix = narrative.appendix
    texts = [p.text for p in doc.paragraphs]
    at = texts.index(appendix.heading)
    assert texts[at : at + 3] == [appendix.heading, appendix.title, appendix.attachment_line]
    heading, title, attachment = doc.paragraphs[at : at + 3]
    for paragraph in (heading, title, attachment):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert _only_run(heading).font.bold and _only_run(title).font.bold
    assert _only_run(attachment).font.italic
    assert appendix.title == appendix.title.upper()


def test_signature_without_authority_line() -> None:
    narrative = replace(_narrative(), signature=("GIÁM ĐỐC", "Trần Văn Bình"))
    doc = _open(render_docx(narrative))
    _, right = _signature_table(doc).rows[0].cells
    assert _texts(right.paragraphs) == ["GIÁM ĐỐC", "Trần Văn Bình"]


@pytest.mark.parametrize(
    ("lines", "parts"),
    [
        (
            ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Xuân Thành"),
            ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Xuân Thành"),
        ),
        (("GIÁM ĐỐC", "Nguyễn Xuân Thành"), ("", "GIÁM ĐỐC", "Nguyễn Xuân Thành")),
        (("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "")),
        (("GIÁM ĐỐC",), ("", "GIÁM ĐỐC", "")),
        ((), ("", "", "")),
    ],
)
def test_signature_parts(lines: tuple[str, ...], parts: tuple[str, str, str]) -> None:
    assert signature_parts(lines) == parts


def test_shortcomings_stay_literal_text() -> None:
    typed = (
        "=SUM(A1:A3) chưa được cập nhật",
        "- +84 912 345 678 không liên lạc được",
        "Hồ sơ <b>đất đai</b> & “chứng thực” {{ x }} {% if y %} còn chậm",
    )
    narrative = _narrative(shortcomings=typed)
    bullets = [p.text for p in narrative.body if p.text.startswith("- =SUM")]
    assert bullets == ["- =SUM(A1:A3) chưa được cập nhật."]
    data = render_docx(narrative)
    doc = _open(data)
    assert [p.text for p in _body_paragraphs(doc, narrative)] == [p.text for p in narrative.body]
    text = _all_text(doc)
    assert "- =SUM(A1:A3) chưa được cập nhật." in text
    assert "- +84 912 345 678 không liên lạc được." in text
    assert "- Hồ sơ <b>đất đai</b> & “chứng thực” {{ x }} {% if y %} còn chậm." in text
    document_xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
    assert b"fldSimple" not in document_xml and b"instrText" not in document_xml


def test_no_template_tags_left(docx_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as archive:
        for name in archive.namelist():
            if name.endswith(".xml"):
                text = archive.read(name).decode("utf-8")
                for tag in ("{{", "}}", "{%", "%}"):
                    assert tag not in text, (name, tag)


def test_core_properties_stay_in_their_namespace(docx_bytes: bytes) -> None:
    """docxcompose rebinds python-docx's `cp:` prefix; the report must not suffer from it."""
    core = etree.fromstring(zipfile.ZipFile(io.BytesIO(docx_bytes)).read("docProps/core.xml"))
    allowed = {
        "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
    }
    tags = [child.tag for child in core]
    assert {etree.QName(tag).namespace for tag in tags} <= allowed
    assert len(tags) == len(set(tags))
    core_ns = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
    assert core.findtext(f"{{{core_ns}}}lastModifiedBy") == "tthc"


# --- layout ----------------------------------------------------------------------


def _assert_margins(section) -> None:
    assert section.top_margin.mm == pytest.approx(20, abs=0.1)
    assert section.bottom_margin.mm == pytest.approx(20, abs=0.1)
    assert section.left_margin.mm == pytest.approx(30, abs=0.1)
    assert section.right_margin.mm == pytest.approx(15, abs=0.1)


def test_sections_a4_portrait_then_landscape(doc: DocumentObject) -> None:
    assert len(doc.sections) == 2
    first, second = doc.sections
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert first.page_width.mm == pytest.approx(210, abs=0.1)
    assert first.page_height.mm == pytest.approx(297, abs=0.1)
    _assert_margins(first)
    assert second.orientation == WD_ORIENT.LANDSCAPE
    assert second.page_width > second.page_height
    assert second.page_width.mm == pytest.approx(297, abs=0.1)
    assert second.page_height.mm == pytest.approx(210, abs=0.1)
    _assert_margins(second)
    assert second.start_type == 2  # WD_SECTION.NEW_PAGE


def test_times_new_roman_everywhere(doc: DocumentObject) -> None:
    normal = doc.styles["Normal"]
    assert normal.font.name == FONT_NAME
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{attribute}")) == FONT_NAME
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    default_fonts = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert default_fonts.get(qn("w:eastAsia")) == FONT_NAME
    assert not any("Theme" in key or "theme" in key for key in default_fonts.attrib)
    assert str(normal.font.color.rgb) == "000000"
    # nothing in the document names another font
    xml = doc.element.xml
    assert set(re.findall(r'w:ascii="([^"]+)"', xml)) <= {FONT_NAME}


def test_header_block_formatting(doc: DocumentObject, narrative: Narrative) -> None:
    h = narrative.header
    table = _header_table(doc)
    top_left, top_right = table.rows[0].cells
    bottom_left, bottom_right = table.rows[1].cells
    cases = [
        (top_left, h.parent_body, (13, 13), False, False),
        (top_left, h.issuing_body, (13, 13), True, False),
        (bottom_left, h.number_line, (13, 13), False, False),
        (top_right, h.nation, (12, 13), True, False),
        (top_right, h.motto, (13, 14), True, False),
        (bottom_right, h.place_date, (13, 14), False, True),
    ]
    for cell, text, (low, high), bold, italic in cases:
        paragraph = _paragraph(cell, text)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER, text
        assert low <= _size(paragraph) <= high, text
        run = _only_run(paragraph)
        assert bool(run.font.bold) is bold, text
        assert bool(run.font.italic) is italic, text
    # a short rule right under the issuing body and under the motto
    for cell, text in ((top_left, h.issuing_body), (top_right, h.motto)):
        paragraphs = cell.paragraphs
        index = [p.text for p in paragraphs].index(text)
        rule = paragraphs[index + 1]
        assert rule.style.name == STYLE_RULE and rule.text == ""
        assert rule.paragraph_format.left_indent > Cm(1)


def test_rule_style_draws_a_bottom_border(doc: DocumentObject) -> None:
    ppr = doc.styles[STYLE_RULE].element.pPr
    bottom = ppr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert bottom.get(qn("w:val")) == "single"


def test_title_and_subject_formatting(doc: DocumentObject, narrative: Narrative) -> None:
    title = _paragraph(doc, narrative.title)
    subject = _paragraph(doc, narrative.subject)
    for paragraph, (low, high) in ((title, (14, 14)), (subject, (13, 14))):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert _only_run(paragraph).font.bold
        assert low <= _size(paragraph) <= high
    paragraphs = doc.paragraphs
    after_subject = paragraphs[[p.text for p in paragraphs].index(narrative.subject) + 1]
    assert after_subject.style.name == STYLE_RULE


def test_body_styles(doc: DocumentObject) -> None:
    body = doc.styles[STYLE_BODY]
    fmt = body.paragraph_format
    assert body.font.size >= Pt(13)
    assert fmt.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= fmt.first_line_indent <= Cm(1.27) + 100
    assert fmt.space_after >= Pt(6)
    assert 1.0 <= fmt.line_spacing <= 1.5
    heading = doc.styles[STYLE_HEADING]
    assert heading.font.bold
    assert heading.base_style.name == STYLE_BODY


def test_recipients_and_signature_formatting(doc: DocumentObject, narrative: Narrative) -> None:
    left, right = _signature_table(doc).rows[0].cells
    heading = _paragraph(left, narrative.recipients_heading)
    run = _only_run(heading)
    assert run.font.bold and run.font.italic and _size(heading) == 12
    for line in narrative.recipients:
        assert _size(_paragraph(left, line)) == 11
    for line in narrative.signature:
        paragraph = _paragraph(right, line)
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert _only_run(paragraph).font.bold
        assert 13 <= _size(paragraph) <= 14
    empty = [p for p in right.paragraphs if not p.text]
    assert len(empty) >= 3  # room to sign


def test_page_numbers_from_page_two(doc: DocumentObject) -> None:
    first, second = doc.sections
    assert first.different_first_page_header_footer  # w:titlePg
    assert first._sectPr.find(qn("w:titlePg")) is not None
    header_xml = first.header._element.xml
    assert "PAGE" in "".join(first.header._element.itertext())
    assert 'w:fldCharType="begin"' in header_xml
    assert first.header.paragraphs[0].alignment in (WD_ALIGN_PARAGRAPH.CENTER, None)
    assert first.header.paragraphs[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    first_page = first.first_page_header
    assert not first_page.is_linked_to_previous
    assert all(p.text == "" for p in first_page.paragraphs)
    assert "fldChar" not in first_page._element.xml
    # the appendix pages use the same numbered header, on their first page too
    assert second.header.is_linked_to_previous
    assert not second.different_first_page_header_footer


# --- the appendix table ------------------------------------------------------------

RECEIVED, RESOLVED, PENDING = (
    "Số lượng hồ sơ tiếp nhận",
    "Số lượng hồ sơ đã giải quyết",
    "Số lượng hồ sơ đang giải quyết",
)


def test_appendix_table_header_as_on_the_form(doc: DocumentObject) -> None:
    table = _appendix_table(doc)
    assert len(table.columns) == 16
    assert len(table._tbl.tblGrid.findall(qn("w:gridCol"))) == 16
    rows = table.rows
    assert _row_layout(rows[0]) == [
        ("STT", 1, "restart"),
        ("Lĩnh vực giải quyết", 1, "restart"),
        (RECEIVED, 4, None),
        (RESOLVED, 6, None),
        (PENDING, 4, None),
    ]
    assert _row_layout(rows[1]) == [
        ("", 1, "continue"),
        ("", 1, "continue"),
        ("Tổng số", 1, "restart"),
        ("Trong kỳ", 2, None),
        ("Từ kỳ trước", 1, "restart"),
        ("Tổng số", 1, "restart"),
        ("Trước hạn", 1, "restart"),
        ("Đúng hạn", 1, "restart"),
        ("Quá hạn", 1, "restart"),
        ("Từ chối, không giải quyết", 1, "restart"),
        ("Hồ sơ rút", 1, "restart"),
        ("Tổng số", 1, "restart"),
        ("Trong hạn", 1, "restart"),
        ("Quá hạn", 1, "restart"),
        ("Yêu cầu bổ sung", 1, "restart"),
    ]
    third = _row_layout(rows[2])
    assert [text for text, _, _ in third if text] == ["Trực tuyến", "Trực tiếp, dịch vụ bưu chính"]
    assert len(third) == 16
    # the same labels as everywhere else in tthc
    labels = [text for text, _, _ in _row_layout(rows[1])[2:]]
    expected = [c.label for c in COUNT_COLUMNS if c.number not in (4, 5)]
    assert [t for t in labels if t != "Trong kỳ"] == expected
    numbers = [cell.text.replace("\n", "") for cell in rows[3].cells]
    assert numbers == ["(1)", "(2)", *(c.number_label for c in COUNT_COLUMNS)]
    assert numbers[2] == "(3)=(4)+(5)+(6)"
    # header rows repeat on a new page; no row breaks across pages
    for index, row in enumerate(rows):
        trPr = row._tr.trPr
        assert trPr.find(qn("w:cantSplit")) is not None
        assert (trPr.find(qn("w:tblHeader")) is not None) is (index < 4)


def test_appendix_table_rows(doc: DocumentObject, narrative: Narrative) -> None:
    table = _appendix_table(doc)
    appendix = narrative.appendix
    assert len(appendix.rows) == 7
    assert len(table.rows) == 3 + 1 + 7 + 1
    for row, source in zip(table.rows[4:], (*appendix.rows, appendix.total), strict=True):
        expected = [source.number, source.field, *(appendix_cell(v) for v in source.values)]
        assert [cell.text for cell in row.cells] == expected
        for cell in row.cells[2:]:
            assert cell.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    total = table.rows[-1]
    assert total.cells[1].text == "Tổng cộng"
    assert total.cells[2].text == "1.132"
    for cell in total.cells[1:]:
        paragraph = cell.paragraphs[0]
        assert all(_is_bold(run, paragraph) for run in paragraph.runs if run.text)
    assert not any(
        run.font.bold
        for row in table.rows[4:-1]
        for cell in row.cells
        for run in cell.paragraphs[0].runs
    )


def test_appendix_table_fits_a_landscape_page(doc: DocumentObject) -> None:
    table = _appendix_table(doc)
    widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    total_mm = sum(widths) / 1440 * 25.4
    section = doc.sections[1]
    usable = Length(section.page_width - section.left_margin - section.right_margin).mm
    assert usable == pytest.approx(252, abs=0.2)
    assert usable - 5 <= total_mm <= usable
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.tag.split("}")[1] for b in borders} == {
        "top",
        "left",
        "bottom",
        "right",
        "insideH",
        "insideV",
    }
    assert {b.get(qn("w:val")) for b in borders} == {"single"}
    for row in table.rows:
        for cell in row.cells:
            size = cell.paragraphs[0].style.font.size
            assert Pt(10) <= size <= Pt(11)


# --- the template ------------------------------------------------------------------


def test_placeholders_of_the_committed_template_are_the_renderers_keys() -> None:
    assert template_placeholders(COMMITTED.read_bytes()) <= set(TEMPLATE_KEYS)
    assert template_placeholders(build_word_template()) <= set(TEMPLATE_KEYS)
    assert template_placeholders(OLD_TEMPLATE.read_bytes()) <= set(TEMPLATE_KEYS)


def _normalised_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", parts["docProps/core.xml"]
    )
    return parts


def test_committed_template_is_what_the_code_generates() -> None:
    committed = _normalised_parts(COMMITTED.read_bytes())
    fresh = _normalised_parts(build_word_template())
    assert sorted(committed) == sorted(fresh)
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert stale == [], "templates/BaoCaoTTHC.docx is stale: run `python -m tthc.word.template`"


def test_default_template_without_a_source_tree(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, narrative: Narrative
) -> None:
    """An installed package ships no .docx: the template is built in memory."""
    monkeypatch.setattr(
        "tthc.word.report.source_tree_template", lambda: tmp_path / "BaoCaoTTHC.docx"
    )
    assert _normalised_parts(default_template_bytes()) == _normalised_parts(build_word_template())
    doc = _open(render_docx(narrative))
    assert [p.text for p in _body_paragraphs(doc, narrative)] == [p.text for p in narrative.body]


def test_a_restyled_template_is_used(tmp_path: Path, narrative: Narrative) -> None:
    """A commune's copy changes the look, not the content."""
    template = _open(build_word_template())
    template.styles[STYLE_BODY].font.size = Pt(13)
    path = tmp_path / "mau.docx"
    template.save(str(path))
    doc = _open(render_docx(narrative, path))
    assert doc.styles[STYLE_BODY].font.size == Pt(13)
    assert [p.text for p in _body_paragraphs(doc, narrative)] == [p.text for p in narrative.body]


def test_a_template_without_the_styles_is_refused(tmp_path: Path, narrative: Narrative) -> None:
    path = tmp_path / "trong.docx"
    Document().save(str(path))
    with pytest.raises(TemplateError, match="TTHC"):
        render_docx(narrative, path)


@pytest.mark.parametrize("which", ["template", "report"])
def test_properties_are_in_schema_order(which: str, docx_bytes: bytes) -> None:
    """Word, unlike LibreOffice, refuses a file whose pPr/rPr/tblPr children are out of order."""
    from tthc.word.template import _CHILD_ORDER  # the order python-docx itself does not know

    data = COMMITTED.read_bytes() if which == "template" else docx_bytes
    disordered = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not (name.startswith("word/") and name.endswith(".xml")):
                continue
            root = etree.fromstring(archive.read(name))
            for parent_tag, order in _CHILD_ORDER.items():
                rank = {qn(tag): index for index, tag in enumerate(order)}
                for parent in root.iter(qn(parent_tag)):
                    ranks = [rank.get(child.tag, -1) for child in parent]
                    if parent_tag != "w:trPr" and (-1 in ranks or ranks != sorted(ranks)):
                        disordered.append((name, [etree.QName(c).localname for c in parent]))
    assert disordered == []
