"""A worksheet part read from the reading of another of the same markup.

A province's workbooks come from one template and one field list: their input sheets
differ in the figures and names typed, rarely in anything else. Split at the text of
its value elements (`<v>…</v>`, `<t>…</t>`), a part gives its markup (the pieces
between those texts, with the elements' own tags) and its texts. Everything
`xlsx_parts.sheet_reading` answers depends on the markup alone (each value's address,
type, style, formula) but for the texts themselves, so the first part of a markup is
read in full and its slots learnt; the next ones only have their texts typed.

The slots are learnt only when each text is the value of a cell of the usual shape,
and kept only when reading the learning part through them gives exactly its full
reading; any error while typing a text sends the part the full way, which decides
as it always did (None: the caller falls back to calamine).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from tthc.infra.xlsx_parts import (
    SheetReading,
    _cell_at,
    _text,
    _typed,
    sheet_reading,
    uncomputed_formulas,
)

__all__ = ["Markup", "Split", "markup_and_texts", "markup_reading"]

_VALUE_TEXT = re.compile(rb"(<[vt]>)([^<]*)(</[vt]>)")
# What may stand between a cell's start tag and its `<v>`: nothing, or its formula.
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)")
_KEPT = 16


@dataclass(frozen=True)
class _Slot:
    """How to read one value text: whose cell, of what type, and what an empty one means."""

    coordinate: str
    row: int
    kind: bytes | None
    style: bytes | None
    inline: bool  # `<is><t>…</t></is>`, else `<v>…</v>`
    formula: bool
    uncomputed: str | None  # the formula's text, if an empty value means «saved without result»


@dataclass(frozen=True)
class _Markup:
    slots: tuple[_Slot, ...]
    fixed_uncomputed: dict[str, str]  # formulas saved without a value element at all


# A part's markup: the pieces between its value texts, and the value elements' own tags.
Markup = tuple[tuple[bytes, ...], tuple[bytes, ...], tuple[bytes, ...]]
# A part split at its value texts: its markup, and the texts in order.
Split = tuple[Markup, list[bytes]]
_LEARNT: OrderedDict[tuple[Markup, frozenset[int]], _Markup | None] = OrderedDict()


def markup_and_texts(xml: bytes) -> Split:
    """A part split at the text of its value elements (one pass in C): its markup, and the
    texts in order. Two parts of one markup differ only inside those elements."""
    parts = _VALUE_TEXT.split(xml)
    return (tuple(parts[0::4]), tuple(parts[1::4]), tuple(parts[3::4])), parts[2::4]


def markup_reading(
    xml: bytes,
    strings: Sequence[str] | None,
    dates: frozenset[int],
    split: Split | None = None,
) -> SheetReading | None:
    """`sheet_reading(xml, strings, dates)`, from the learnt slots where the markup is known.

    `split` is `markup_and_texts(xml)` when the caller has it already (the file check
    made it): the part is not split twice.
    """
    markup_of_part, texts = markup_and_texts(xml) if split is None else split
    key = (markup_of_part, dates)
    if key in _LEARNT:
        _LEARNT.move_to_end(key)
        markup = _LEARNT[key]
        if markup is not None:
            try:
                return _read(markup, texts, strings, dates)
            except (LookupError, ValueError, OverflowError, UnicodeDecodeError):
                pass
        return sheet_reading(xml, strings, dates)
    full = sheet_reading(xml, strings, dates)  # a hostile part raises here, before any entry
    _LEARNT[key] = _learnt(xml, texts, full, strings, dates)
    if len(_LEARNT) > _KEPT:
        _LEARNT.popitem(last=False)
    return full


def _read(
    markup: _Markup, texts: Sequence[bytes], strings: Sequence[str] | None, dates: frozenset[int]
) -> SheetReading:
    values: dict[str, object] = {}
    formulas: list[str] = []
    uncomputed = dict(markup.fixed_uncomputed)
    last_row = 0
    for slot, text in zip(markup.slots, texts, strict=True):
        if not text:
            if slot.uncomputed is not None:
                uncomputed[slot.coordinate] = slot.uncomputed
            continue
        value = _text(text) if slot.inline else _typed(text, slot.kind, slot.style, strings, dates)
        if value == "":
            continue
        values[slot.coordinate] = value
        if slot.formula:
            formulas.append(slot.coordinate)
        if slot.row > last_row:
            last_row = slot.row
    return values, last_row, frozenset(formulas), uncomputed


def _learnt(
    xml: bytes,
    texts: Sequence[bytes],
    full: SheetReading | None,
    strings: Sequence[str] | None,
    dates: frozenset[int],
) -> _Markup | None:
    """The slots of this part's markup, if each text is a cell's value of the usual shape
    and reading through them gives `full`; else None (the markup goes the full way)."""
    if full is None:
        return None
    slots: list[_Slot] = []
    for match in _VALUE_TEXT.finditer(xml):
        slot = _slot(xml, match)
        if slot is None:
            return None
        slots.append(slot)
    coordinates = [slot.coordinate for slot in slots]
    if len(set(coordinates)) != len(coordinates):
        return None  # one cell with two values: not a shape to learn
    by_slot = {slot.coordinate for slot in slots if slot.uncomputed is not None}
    fixed = {c: text for c, text in uncomputed_formulas(xml).items() if c not in by_slot}
    markup = _Markup(tuple(slots), fixed)
    try:
        if _read(markup, texts, strings, dates) != full:
            return None
    except (LookupError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return markup


def _slot(xml: bytes, match: re.Match[bytes]) -> _Slot | None:
    """The slot of one value text, or None if it is not a cell's plain value."""
    cell = _cell_at(xml, match.start())
    if cell is None:
        return None
    coordinate, row, style, kind, tag_end = cell
    between = xml[tag_end : match.start()]
    if match.group(1) == b"<t>":
        if between != b"<is>" or not xml.startswith(b"</is></c>", match.end()):
            return None
        return _Slot(coordinate, row, kind, style, True, False, None)
    if not xml.startswith(b"</c>", match.end()):
        return None
    formula = _FORMULA.fullmatch(between) if between else None
    if between and formula is None:
        return None
    uncomputed = None
    if formula is not None and formula.group(1) is not None and kind in (None, b"n"):
        uncomputed = _text(formula.group(1))
    return _Slot(coordinate, row, kind, style, False, formula is not None, uncomputed)
