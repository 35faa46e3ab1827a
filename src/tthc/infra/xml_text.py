"""Escaping text for XML markup and back, as `xml.sax.saxutils` does it.

Why not saxutils itself: importing it imports `urllib.request`, hence `http.client`,
`email` and `ssl` (30–40 ms of start-up on a slow machine) for three string
replacements; every command that reads a workbook or writes a report paid for them.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["escape", "unescape"]


def escape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """`&`, `<` and `>` as entities (then `entities`' keys as their values), for element text."""
    text = text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for plain, entity in (entities or {}).items():
        text = text.replace(plain, entity)
    return text


def unescape(text: str, entities: Mapping[str, str] | None = None) -> str:
    """`&lt;`, `&gt;` (then `entities`' keys) and last `&amp;` back to characters."""
    text = text.replace("&lt;", "<").replace("&gt;", ">")
    for entity, plain in (entities or {}).items():
        text = text.replace(entity, plain)
    return text.replace("&amp;", "&")
