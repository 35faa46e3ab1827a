"""The Word template's wording belongs to the commune; the figures belong to the program.

The shipped template holds the opening and closing sentences, «Nơi nhận:» and
its default list as ordinary text, with Vietnamese placeholders for what is
computed. These tests edit a copy as a clerk would in Word (python-docx here),
render it, and check that the edits reach the report with the placeholders
filled while the computed sections stay the program's; and that a template made
before the placeholders had Vietnamese names (the November 2026 template,
committed under tests/word/templates/) still gives the same report.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from docx.document import Document as DocumentObject
from docx.shared import Pt

from helpers import sample_data
from tthc.core.model import ReportInput
from tthc.core.narrative import Narrative
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.word.report import render_docx, template_placeholders
from tthc.word.template import PLACEHOLDERS, STYLE_BODY, build_word_template

OLD_TEMPLATE = Path(__file__).parent / "templates" / "BaoCaoTTHC-thang-11-2026.docx"


def _report(**document_changes: object) -> ReportInput:
    report = load_report(sample_data()).report
    assert report is not None
    if document_changes:
        report = replace(report, document=replace(report.document, **document_changes))
    return report


def _narrative(report: ReportInput) -> Narrative:
    ready = run_pipeline(LoadResult(report, ())).ready
    assert ready is not None
    return ready.narrative


@pytest.fixture(scope="module")
def narrative() -> Narrative:
    return _narrative(_report())


def _open(data: bytes) -> DocumentObject:
    return Document(io.BytesIO(data))


def _body_texts(doc: DocumentObject, narrative: Narrative) -> list[str]:
    """The texts between the subject and the signature table (rules and spacers left out)."""
    texts: list[str] = []
    started = False
    for block in doc.iter_inner_content():
        if not hasattr(block, "text"):  # a table: the header block, then the signature
            if started:
                break
            continue
        if started and block.text:
            texts.append(block.text)
        started = started or block.text == narrative.subject
    return texts


def _recipients(doc: DocumentObject) -> list[str]:
    left = doc.tables[1].rows[0].cells[0]
    return [p.text for p in left.paragraphs if p.text]


def test_the_template_speaks_vietnamese() -> None:
    """Every placeholder has a Vietnamese name and a meaning; no English name is left."""
    used = template_placeholders(build_word_template())
    assert used == set(PLACEHOLDERS)
    assert all(name.isascii() and name.islower() for name in used)
    assert all(PLACEHOLDERS[name] for name in used)


def test_the_fixed_sentences_are_text_in_the_template() -> None:
    """A clerk opening the template reads the opening, closing and recipients as written."""
    paragraphs = [p.text for p in _open(build_word_template()).paragraphs]
    opening = next(text for text in paragraphs if text.startswith("Thực hiện nhiệm vụ"))
    assert "Ủy ban nhân dân {{ cap_hanh_chinh }} giao" in opening
    assert opening.endswith("{{ don_vi_bao_cao }} báo cáo tình hình, kết quả thực hiện như sau:")
    assert any(text.endswith("đảm bảo nhiệm vụ, chỉ tiêu được giao./.") for text in paragraphs)
    assert "PHỤ LỤC" in paragraphs
    recipients = _recipients(_open(build_word_template()))
    assert recipients[0] == "Nơi nhận:"
    assert "- Lãnh đạo UBND {{ cap_hanh_chinh }} (để b/c);" in recipients
    assert "- Lưu: VT." in recipients


def test_the_default_template_prints_what_the_text_report_says(narrative: Narrative) -> None:
    doc = _open(render_docx(narrative))
    assert _body_texts(doc, narrative) == [p.text for p in narrative.body]
    assert _recipients(doc) == [narrative.recipients_heading, *narrative.recipients]


def _restyled(tmp_path: Path) -> Path:
    """The README's example: a commune rewords the opening, closing and recipients."""
    template = _open(build_word_template())
    for paragraph in template.paragraphs:
        if paragraph.text.startswith("Thực hiện nhiệm vụ"):
            paragraph.text = (
                "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân "
                "{{ cap_hanh_chinh }}, {{ don_vi_bao_cao }} báo cáo kết quả tháng như sau:"
            )
        elif paragraph.text.endswith("được giao./."):
            paragraph.text = "Trên đây là báo cáo của {{ don_vi_bao_cao }}./."
    left = template.tables[1].rows[0].cells[0]
    for paragraph in left.paragraphs:
        if paragraph.text.startswith("- Lưu"):
            paragraph.insert_paragraph_before("- Văn phòng Đảng ủy {{ cap_hanh_chinh }};")
    template.styles[STYLE_BODY].font.size = Pt(13)
    path = tmp_path / "mau-cua-xa.docx"
    template.save(str(path))
    return path


def test_a_reworded_template_keeps_its_words_and_gets_the_figures(
    tmp_path: Path, narrative: Narrative
) -> None:
    doc = _open(render_docx(narrative, _restyled(tmp_path)))
    body = _body_texts(doc, narrative)
    assert body[0] == (
        "Thực hiện Kế hoạch số 15/KH-UBND ngày 10/01/2026 của Ủy ban nhân dân xã, Trung tâm "
        "Phục vụ hành chính công xã Bình Giang báo cáo kết quả tháng như sau:"
    )
    assert body[1:-1] == [p.text for p in narrative.sections]  # the figures are the program's
    assert body[-1] == "Trên đây là báo cáo của Trung tâm Phục vụ hành chính công xã Bình Giang./."
    assert "- Văn phòng Đảng ủy xã;" in _recipients(doc)
    assert doc.styles[STYLE_BODY].font.size == Pt(13)


def test_a_units_own_recipients_replace_the_templates_list(tmp_path: Path) -> None:
    """Recipients changed on Thông tin win; the default list there leaves the template's."""
    own = _narrative(_report(recipients=("Thường trực Đảng ủy xã", "Lưu: VT")))
    doc = _open(render_docx(own, _restyled(tmp_path)))
    assert _recipients(doc) == ["Nơi nhận:", "- Thường trực Đảng ủy xã;", "- Lưu: VT."]
    default = _narrative(
        _report(
            recipients=(
                "Lãnh đạo UBND xã (để b/c)",
                "Các Phòng chuyên môn xã",
                "Lãnh đạo TTPVHCC xã",
                "Lưu: VT",
            )
        )
    )
    assert not default.wording.own_recipients
    assert "- Văn phòng Đảng ủy xã;" in _recipients(
        _open(render_docx(default, _restyled(tmp_path)))
    )


def test_a_template_with_the_english_names_still_works(narrative: Narrative) -> None:
    """The November 2026 template: {{ subject }}, {{p body }}, {{ recipients }}, …"""
    assert "body" in template_placeholders(OLD_TEMPLATE.read_bytes())
    old = _open(render_docx(narrative, OLD_TEMPLATE))
    new = _open(render_docx(narrative))
    assert _body_texts(old, narrative) == _body_texts(new, narrative)
    assert _recipients(old) == _recipients(new)
    texts = [p.text for p in old.paragraphs if p.text]
    assert texts == [p.text for p in new.paragraphs if p.text]
    assert not any("{{" in text for text in texts)


def test_the_readme_explains_every_placeholder() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    for name in PLACEHOLDERS:
        assert f"`{{{{ {name} }}}}`" in readme or f"`{{{{p {name} }}}}`" in readme, name
