"""The report as a Word document: the narrative poured into the docxtpl template.

`render_docx(narrative)` fills the template's placeholders (`PLACEHOLDERS`, in
Vietnamese) with the narrative's header, title, subject, the parts of the fixed
sentences, the recipients and the signature, and inserts two XML fragments
where docxtpl's `{{p }}` tags stand: the computed sections (`{{p noi_dung }}`) and
the 16-column appendix table (`{{p bang_phu_luc }}`). Text is written as plain runs and
Jinja-escaped, never parsed: a shortcoming that begins with "=" or contains
"{{" or "<" prints as typed.

Templates made before the placeholders had Vietnamese names keep working: their
English names (`ENGLISH_PLACEHOLDERS`) are filled too, `{{p body }}` with the
whole body (opening and closing included, as those templates did not hold them)
and `{{ recipients }}` with the full «Nơi nhận» list.

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
import re
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.text.paragraph import Paragraph as DocxParagraph
from docxtpl import DocxTemplate
from jinja2 import Environment
from lxml import etree

from tthc.core.narrative import Narrative, Paragraph, Role
from tthc.infra.os_messages import os_reason
from tthc.infra.package_guard import Refused, read_limited
from tthc.word.appendix_table import appendix_table
from tthc.word.template import (
    APPENDIX_HEADING,
    PLACEHOLDERS,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_TABLE,
    STYLE_TABLE_HEADER,
    build_word_template,
    core_properties_namespace,
    source_tree_template,
)

__all__ = [
    "ENGLISH_PLACEHOLDERS",
    "TEMPLATE_KEYS",
    "TemplateError",
    "default_template_bytes",
    "render_docx",
    "signature_parts",
    "template_placeholders",
]

# The names of templates made before December 2026, still filled for them.
ENGLISH_PLACEHOLDERS: frozenset[str] = frozenset(
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
TEMPLATE_KEYS: frozenset[str] = frozenset(PLACEHOLDERS) | ENGLISH_PLACEHOLDERS

_STYLE_OF_ROLE = {
    Role.HEADING: STYLE_HEADING,
    Role.SUBHEADING: STYLE_HEADING,
    Role.BODY: STYLE_BODY,
    Role.BULLET: STYLE_BODY,
}
_REQUIRED_STYLES = (STYLE_HEADING, STYLE_BODY, STYLE_TABLE, STYLE_TABLE_HEADER)

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


class _Fragment:
    """Body XML for a `{{p name }}` tag: what docxtpl's Subdoc gives, without a package.

    A Subdoc opens python-docx's default document from disk to hold a few paragraphs
    (≈ 10 ms each, three a report); docxtpl only uses its body's XML, as text.
    """

    def __init__(self) -> None:
        self.body: Any = parse_xml(f"<w:body {nsdecls('w')}/>")

    def add_paragraph(self) -> DocxParagraph:
        parent: Any = None  # a paragraph's parent is only asked for parts (images, links)
        return DocxParagraph(self.body._add_p(), parent)

    def __str__(self) -> str:
        return _BODY_TAG.sub("", etree.tostring(self.body, encoding="unicode"))

    def __html__(self) -> str:
        """Markup as it is: the report is rendered with autoescape on for the text."""
        return str(self)


_BODY_TAG = re.compile(r"</?w:body[^>]*>")


def _paragraphs(paragraphs: tuple[Paragraph, ...], ids: dict[str, str], *, last: bool) -> _Fragment:
    """The XML of `paragraphs`, each in its role's style.

    `last`: these end the body (an old template's `{{p body }}`), so the last one is
    kept with the signature block, which must never stand alone on a page.
    """
    fragment = _Fragment()
    out = None
    for paragraph in paragraphs:
        out = fragment.add_paragraph()
        out._p.get_or_add_pPr().style = ids[_STYLE_OF_ROLE[paragraph.role]]
        out.add_run(paragraph.text)
    if out is not None and last:
        out.paragraph_format.keep_with_next = True
    return fragment


def _style_ids(template: DocxTemplate) -> dict[str, str]:
    """The template's style id of each style the renderer uses, looked up once.

    python-docx resolves a style name by scanning the whole styles part each
    time it is assigned; the body and the table assign one to every paragraph.
    """
    styles = template.docx.styles
    return {name: styles[name].style_id for name in _REQUIRED_STYLES}


def _appendix_table(narrative: Narrative, ids: dict[str, str]) -> _Fragment:
    fragment = _Fragment()
    style_ids = {"table": ids[STYLE_TABLE], "header": ids[STYLE_TABLE_HEADER]}
    fragment.body._insert_tbl(appendix_table(narrative.appendix, style_ids))
    return fragment


def _uses(template: DocxTemplate, name: str) -> bool:
    """Whether the template's text mentions `name` (to build only the fragments it uses)."""
    return name in template.get_xml()


def _context(template: DocxTemplate, narrative: Narrative) -> dict[str, Any]:
    header = narrative.header
    wording = narrative.wording
    authority, signer_title, signer_name = signature_parts(narrative.signature)
    ids = _style_ids(template)
    sections = (
        _paragraphs(narrative.sections, ids, last=False) if _uses(template, "noi_dung") else None
    )
    body = _paragraphs(narrative.body, ids, last=True) if _uses(template, "body") else None
    table = _appendix_table(narrative, ids)
    vietnamese: dict[str, Any] = {
        "co_quan_chu_quan": header.parent_body,
        "co_quan_ban_hanh": header.issuing_body,
        "so_ky_hieu": header.number_line,
        "quoc_hieu": header.nation,
        "tieu_ngu": header.motto,
        "dia_danh_ngay_thang": header.place_date,
        "ten_loai_van_ban": narrative.title,
        "trich_yeu": narrative.subject,
        "cap_hanh_chinh": wording.unit_kind,
        "don_vi_bao_cao": wording.issuer,
        "cac_phong_chuyen_mon": wording.departments,
        "noi_dung": sections,
        "noi_nhan_rieng": list(narrative.recipients) if wording.own_recipients else [],
        "quyen_han_ky": authority,
        "chuc_vu_nguoi_ky": signer_title,
        "ho_ten_nguoi_ky": signer_name,
        "ten_phu_luc": narrative.appendix.title,
        "kem_theo_bao_cao": narrative.appendix.attachment_line,
        "bang_phu_luc": table,
    }
    english: dict[str, Any] = {
        "parent_body": header.parent_body,
        "issuing_body": header.issuing_body,
        "number_line": header.number_line,
        "nation": header.nation,
        "motto": header.motto,
        "place_date": header.place_date,
        "title": narrative.title,
        "subject": narrative.subject,
        "body": body,
        "recipients_heading": narrative.recipients_heading,
        "recipients": list(narrative.recipients),
        "authority": authority,
        "signer_title": signer_title,
        "signer_name": signer_name,
        "appendix_heading": APPENDIX_HEADING,
        "appendix_title": narrative.appendix.title,
        "appendix_attachment": narrative.appendix.attachment_line,
        "appendix_table": table,
    }
    assert set(vietnamese) == set(PLACEHOLDERS) and set(english) == ENGLISH_PLACEHOLDERS
    return {**english, **vietnamese}


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
        # Autoescape: values are XML-escaped text; the fragments are inserted as markup.
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
