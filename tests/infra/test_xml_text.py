"""`infra.xml_text` escapes and unescapes exactly as `xml.sax.saxutils` (which it replaces to
spare every command the import of urllib.request, http.client and ssl)."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import examples
from tthc.infra.xml_text import escape, unescape

_PIECES = st.sampled_from(["&", "<", ">", "&amp;", "&lt;", "&gt;", "&quot;", '"', "'", "Hộ tịch"])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=3)), max_size=12).map("".join)


@given(text=_TEXT)
@settings(max_examples=examples(1.0))
def test_as_saxutils_does(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert unescape(text) == saxutils.unescape(text)
    quotes = {"&quot;": '"', "&apos;": "'"}
    assert unescape(text, quotes) == saxutils.unescape(text, quotes)
    assert escape(text, {'"': "&quot;"}) == saxutils.escape(text, {'"': "&quot;"})
    assert unescape(escape(text)) == text


def test_by_hand() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert unescape("&amp;lt;") == "&lt;"  # the ampersand last: one level only
