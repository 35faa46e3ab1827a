"""The direct sheet-XML reader gives exactly what python-calamine gives, or steps aside.

`sheet_xml.sheet_values` is a shortcut for speed; calamine is the reference. Each
test compares the two on real workbooks (the template as openpyxl writes it, and the
same workbook saved again by LibreOffice, which uses shared strings and caches every
formula's result) or checks that unusual markup makes the shortcut answer None so the
caller falls back to calamine, never a wrong value.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904
from python_calamine import CalamineWorkbook

from tthc.core.model import ReportInput
from tthc.infra.libreoffice import convert, find_soffice
from tthc.infra.xlsx_parts import (
    HostileMarkup,
    _plain_cells,
    _valued_cells,
    date_styles,
    shared_strings,
    sheet_cells,
    sheet_values,
    uncomputed_formulas,
)
from tthc.workbook.calamine_source import (
    FastSource,
    _calamine_values,
    _error_cells,
    read_workbook_fast,
)
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

SHEET = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<sheetData>{}</sheetData></worksheet>"
)


def _sheet(cells: str) -> bytes:
    return SHEET.format(cells).encode()


def _template_bytes(report: ReportInput) -> bytes:
    buffer = BytesIO()
    build_workbook(report).save(buffer)
    return buffer.getvalue()


def _all_sheets_agree(data: bytes) -> tuple[int, int]:
    """Every sheet: the shortcut's values equal calamine's; returns how many it read, and
    how many of those in one pass over their cells (formula cells included)."""
    source = FastSource.from_bytes(data)
    calamine = CalamineWorkbook.from_filelike(BytesIO(data))
    read = passes = 0
    for title, part in source.contents.sheets.items():
        xml = source.package.part(part, 10_000_000)
        styles = source.contents.styles
        dates = date_styles(source.package.part(styles, 10_000_000)) if styles else frozenset()
        strings_part = source.contents.strings
        strings = (
            shared_strings(source.package.part(strings_part, 10_000_000)) if strings_part else None
        )
        ours = sheet_values(xml, strings, dates)
        one_pass = _plain_cells(xml, strings, dates)
        if one_pass is not None:  # the one pass and the cell-by-cell way agree, formulas too
            assert one_pass[:3] == _valued_cells(xml, strings, dates), title
            assert one_pass[3] in (None, uncomputed_formulas(xml)), title
            passes += one_pass[3] is not None
        rows = calamine.get_sheet_by_name(title).to_python(skip_empty_area=False)
        reference = _calamine_values(rows, _error_cells(xml))
        if ours is not None:
            read += 1
            assert ours[0] == reference[0], title
            assert ours[1] == reference[1], title
    return read, passes


def test_template_as_openpyxl_writes_it(seed_report: ReportInput) -> None:
    data = _template_bytes(seed_report)
    # Every sheet through the shortcut, in one pass: formulas with results included.
    assert _all_sheets_agree(data) == (6, 6)


@pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) chưa được cài: bỏ qua phần đọc sổ tính do LibreOffice lưu.",
)
def test_workbook_saved_by_libreoffice(seed_report: ReportInput, tmp_path: Path) -> None:
    """Shared strings, cached formula results, dates: as a spreadsheet program saves them."""
    source = tmp_path / "filled.xlsx"
    source.write_bytes(_template_bytes(seed_report))
    saved = convert(source, "xlsx", tmp_path / "lo")
    data = saved.read_bytes()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()  # what makes this case different
    read, passes = _all_sheets_agree(data)
    assert read >= 4 and passes >= 1
    fast, slow = read_workbook_fast(saved), read_workbook(saved)
    assert fast.report is not None and fast.report == slow.report
    assert fast.report.period.start == date(2026, 3, 1)
    assert [f.code for f in fast.findings] == [f.code for f in slow.findings]


def test_values_by_type() -> None:
    cells = (
        '<row r="1"><c r="A1" s="1"><v>46082</v></c><c r="B1"><v>2.5</v></c>'
        '<c r="C1" t="b"><v>1</v></c><c r="D1" t="e"><v>#REF!</v></c>'
        '<c r="E1" t="inlineStr"><is><t>a_x000D_b &amp; c</t></is></c>'
        '<c r="F1" t="s"><v>1</v></c><c r="G1" s="1"><v>46082.5</v></c></row>'
        '<row r="3"><c r="A3" t="inlineStr"><is><t></t></is></c><c r="B3"/>'
        '<c r="C3"><f>A1+1</f><v></v></c><c r="D3" t="str"><f>"x"</f><v>x&lt;y</v></c></row>'
    )
    got = sheet_values(_sheet(cells), ["zero", "một"], frozenset({1}))
    assert got == (
        {
            "A1": date(2026, 3, 1),
            "B1": 2.5,
            "C1": True,
            "D1": "#REF!",
            "E1": "a\rb & c",
            "F1": "một",
            "G1": datetime(2026, 3, 1, 12, 0),
            "D3": "x<y",
        },
        3,
    )


def test_a_constant_is_told_from_a_formula_result() -> None:
    """A count typed over a formula is a constant: the reader checks it as stated."""
    cells = (
        '<row r="8"><c r="C8" s="3"><f>D8+E8+F8</f><v>343</v></c>'  # the template's formula
        '<c r="D8"><v>343</v></c>'  # typed
        '<c r="G8" s="3"><f t="shared" si="0"/><v>343</v></c>'  # LibreOffice's shared formula
        '<c r="H8" s="3"><v>344</v></c></row>'  # typed over the formula of (7)
    )
    got = sheet_cells(_sheet(cells), None, frozenset())
    assert got == ({"C8": 343, "D8": 343, "G8": 343, "H8": 344}, 8, frozenset({"C8", "G8"}))
    plain = sheet_cells(_sheet('<row r="1"><c r="A1"><v>5</v></c></row>'), None, frozenset())
    assert plain == ({"A1": 5}, 1, frozenset())


def test_rich_text_and_phonetic_hints() -> None:
    attribute = '<row r="1"><c r="A1" t="inlineStr"><is xml:space="x"><t>a</t></is></c></row>'
    assert sheet_values(_sheet(attribute), None, frozenset()) == ({"A1": "a"}, 1)
    cells = (
        '<row r="2"><c r="B2" t="inlineStr"><is><r><t>Hộ </t></r><r><rPr><b/></rPr>'
        "<t>tịch</t></r><rPh><t>x</t></rPh></is></c></row>"
    )
    assert sheet_values(_sheet(cells), None, frozenset()) == ({"B2": "Hộ tịch"}, 2)


@pytest.mark.parametrize(
    "markup",
    [
        pytest.param('<c s="0" r="A1"><v>5</v></c>', id="address-not-first"),
        pytest.param('<c r="A1" t="s" s="0"><v>0</v></c>', id="type-before-style"),
        pytest.param("<c><v>5</v></c>", id="no-address"),
        pytest.param('<c r="A1" t="d"><v>2026-03-01</v></c>', id="iso-date-type"),
        pytest.param('<c r="A1" t="s"><v>7</v></c>', id="shared-string-out-of-range"),
        pytest.param('<c r="A1"><v xml:space="preserve">5</v><v>6</v></c>', id="two-values"),
    ],
)
def test_unusual_markup_steps_aside(markup: str) -> None:
    assert sheet_values(_sheet(f'<row r="1">{markup}</row>'), ["a"], frozenset()) is None


def test_a_dtd_is_refused_not_expanded() -> None:
    laughs = b'<!DOCTYPE w [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;">]>'
    with pytest.raises(HostileMarkup):
        sheet_values(
            laughs + _sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row>'),
            None,
            frozenset(),
        )
    with pytest.raises(HostileMarkup):
        shared_strings(laughs + b"<sst><si><t>&b;</t></si></sst>")


def test_prefixed_worksheet_steps_aside() -> None:
    xml = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<x:sheetData><x:row r="1"><x:c r="A1"><x:v>5</x:v></x:c></x:row></x:sheetData>'
        b"</x:worksheet>"
    )
    assert sheet_values(xml, None, frozenset()) is None


def test_date_formats_recognised() -> None:
    styles = (
        b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        b'<numFmt numFmtId="165" formatCode="0.##"/>'
        b'<numFmt numFmtId="166" formatCode="&quot;ngay&quot; 0"/>'
        b'<numFmt numFmtId="167" formatCode="[Red]0.00"/></numFmts>'
        b'<cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
        b'<xf numFmtId="165"/><xf numFmtId="166"/><xf numFmtId="167"/><xf numFmtId="22"/>'
        b"</cellXfs></styleSheet>"
    )
    assert date_styles(styles) == frozenset({1, 2, 6})


def test_date1904_workbook_goes_to_calamine(seed_report: ReportInput, tmp_path: Path) -> None:
    """Serial numbers of a 1904 workbook count from another day: calamine knows how."""
    path = tmp_path / "mac.xlsx"
    book = build_workbook(seed_report)
    book.epoch = CALENDAR_MAC_1904
    book.save(path)
    with zipfile.ZipFile(path) as archive:
        assert b'date1904="1"' in archive.read("xl/workbook.xml")
    loaded = read_workbook_fast(path)
    assert loaded.report is not None
    assert loaded.report.period.start == date(2026, 3, 1)


def test_formulas_saved_without_a_result() -> None:
    """Counts typed as formulas that no program computed; an empty text result is none."""
    from tthc.infra.xlsx_parts import sheet_reading

    cells = (
        '<row r="8"><c r="D8" s="3"><f>300+43</f><v></v></c>'  # openpyxl
        '<c r="E8"><f>1+1</f><v/></c>'
        '<c r="F8" t="n"><f>2&amp;3</f></c>'  # a converter: no value element at all
        '<c r="G8" s="3" t="str"><f>IF(A1="","",1)</f><v></v></c>'  # an empty text result
        '<c r="H8"><f>4+4</f><v>8</v></c></row>'  # computed
    )
    expected = {"D8": "300+43", "E8": "1+1", "F8": "2&3"}
    assert uncomputed_formulas(_sheet(cells)) == expected
    assert sheet_reading(_sheet(cells), None, frozenset()) == (
        {"H8": 8},
        8,
        frozenset({"H8"}),
        expected,
    )
    # Another attribute after the type: the cell-by-cell way, the same answer.
    unusual = cells.replace('<c r="E8">', '<c r="E8" cm="1">')
    assert uncomputed_formulas(_sheet(unusual)) == expected
    reading = sheet_reading(_sheet(unusual), None, frozenset())
    assert reading is not None and reading[3] == expected
    assert uncomputed_formulas(_sheet('<row r="1"><c r="A1"><v>1</v></c></row>')) == {}
