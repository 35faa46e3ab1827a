"""`infra.sheet_markup` answers what `xlsx_parts.sheet_reading` answers, part after part.

The template's sheets are read once in full, then again and again with other value
texts in the same markup: figures, empty values (a formula saved without its result),
text that is no number, shared-string numbers past the table. Each answer must be the
full reading's, whatever the texts.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import sample_data
from strategies import examples
from tthc.core.report_data import load_report
from tthc.infra import sheet_markup
from tthc.infra.sheet_markup import markup_rows, rows_of
from tthc.infra.xlsx_parts import date_styles, sheet_reading
from tthc.workbook.template import build_workbook

_VALUE = re.compile(rb"(<v>)([^<]*)(</v>)")
_TEXTS = st.one_of(
    st.integers(0, 5000).map(lambda n: str(n).encode()),
    st.sampled_from([b"", b"12.5", b"abc", b" ", b"1e3", b"-4", b"99999999"]),
)


@pytest.fixture(scope="module")
def package() -> dict[str, bytes]:
    """The sample's workbook as the template writes it: each part's bytes."""
    loaded = load_report(sample_data())
    assert loaded.report is not None
    buffer = BytesIO()
    build_workbook(loaded.report).save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def sheets(package: dict[str, bytes]) -> dict[str, bytes]:
    return {name: xml for name, xml in package.items() if name.startswith("xl/worksheets/sheet")}


@pytest.fixture(scope="module")
def template_dates(package: dict[str, bytes]) -> frozenset[int]:
    """The template's date styles (Thông tin's period and document dates)."""
    found = date_styles(package["xl/styles.xml"])
    assert found
    return found


def _full(
    xml: bytes, strings: list[str] | None = None, dates: frozenset[int] = frozenset()
) -> object:
    """What the slots must answer: the full reading, row by row."""
    reading = sheet_reading(xml, strings, dates)
    return None if reading is None else rows_of(reading)


def _with_texts(xml: bytes, texts: list[bytes]) -> bytes:
    """The part with its first `<v>` texts replaced in order (the others kept)."""
    queue = iter(texts)
    return _VALUE.sub(lambda m: m.group(1) + next(queue, m.group(2)) + m.group(3), xml)


@given(
    texts=st.lists(_TEXTS, max_size=120),
    strings=st.sampled_from([None, ["a", "b"]]),
    with_dates=st.booleans(),
)
@settings(max_examples=examples(1.0), deadline=None)
def test_other_texts_in_the_same_markup_read_as_in_full(
    sheets: dict[str, bytes],
    template_dates: frozenset[int],
    texts: list[bytes],
    strings: list[str] | None,
    with_dates: bool,
) -> None:
    dates = template_dates if with_dates else frozenset()
    for xml in sheets.values():
        markup_rows(xml, strings, dates)  # learnt from the template's own texts
        other = _with_texts(xml, texts)
        assert markup_rows(other, strings, dates) == _full(other, strings, dates)


def test_each_template_sheet_is_learnt_and_the_next_read_from_it(
    sheets: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet_markup._LEARNT.clear()
    for xml in sheets.values():
        markup_rows(xml, None, frozenset())
    assert len(sheet_markup._LEARNT) == len(sheets)
    assert all(markup is not None for markup in sheet_markup._LEARNT.values())
    grid = next(xml for xml in sheets.values() if b"TTHC_CATALOGUE_FIELDS" in xml)
    emptied = _with_texts(grid, [b""] * 3)  # the first formulas lose their results
    expected = _full(emptied)
    assert isinstance(expected, tuple) and expected[2]  # some formulas now without a result
    calls: list[bytes] = []
    monkeypatch.setattr(sheet_markup, "sheet_reading", lambda xml, *a: calls.append(xml))
    assert markup_rows(emptied, None, frozenset()) == expected  # from the slots alone
    assert calls == []


def test_unusual_markup_goes_the_full_way() -> None:
    """Rich text, a value after an unknown element: never learnt, read in full each time."""
    sheet_markup._LEARNT.clear()
    rich = (
        b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><r><t>H</t></r>'
        b'<r><t>i</t></r></is></c><c r="B1"><v>3</v></c></row></sheetData></worksheet>'
    )
    first = markup_rows(rich, None, frozenset())
    assert first == _full(rich)
    assert list(sheet_markup._LEARNT.values()) == [None]
    other = rich.replace(b"<v>3</v>", b"<v>4</v>")
    assert markup_rows(other, None, frozenset()) == _full(other)


_MARKUP_BITS = st.sampled_from(
    [b"<v>", b"</v>", b"<t>", b"</t>", b"<", b">", b"/", b"v", b"t", b"1", b"<c>", b"</c>"]
)


@given(bits=st.lists(_MARKUP_BITS, max_size=40))
@settings(max_examples=examples(4.0), deadline=None)
def test_a_markup_splits_where_its_part_did(bits: list[bytes]) -> None:
    """The markup (the part with its value texts taken out) is split at the same elements
    as the part: equal markups mean equal pieces, which the memories here and in the file
    check rely on."""
    xml = b"".join(bits)
    parts = sheet_markup._VALUE_TEXT.split(xml)
    markup, texts = sheet_markup.markup_and_texts(xml)
    again = sheet_markup._VALUE_TEXT.split(markup)
    assert len(again) == len(parts)
    assert again[2::4] == [b""] * len(texts)
    del parts[2::4]
    del again[2::4]
    assert again == parts
