"""A worksheet part read from the reading of another of the same markup.

A province's workbooks come from one template and one field list: their input sheets
differ in the figures and names typed, rarely in anything else. Split at the text of
its value elements (`<v>…</v>`, `<t>…</t>`), a part gives its markup (the part with
those texts taken out) and its texts. Everything
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
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tthc.infra.xlsx_parts import (
    SheetReading,
    _cell_at,
    _number,
    _text,
    _typed,
    cell_position,
    sheet_reading,
    uncomputed_formulas,
)

__all__ = ["Markup", "Rows", "RowsReading", "Split", "markup_and_texts", "markup_rows", "rows_of"]

_VALUE_TEXT = re.compile(rb"(<[vt]>)([^<]*)(</[vt]>)")
# What may stand between a cell's start tag and its `<v>`: nothing, or its formula.
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)")
_KEPT = 16


# How a slot's text becomes its value, decided once per slot from its cell's type and
# style (the date styles are part of the key): exactly what `xlsx_parts._typed` does.
_NUMBER, _SHARED, _TEXT, _OTHER = range(4)


@dataclass(frozen=True)
class _Slot:
    """How to read one value text: whose cell, of what type, and what an empty one means."""

    coordinate: str
    row: int
    column: int
    kind: bytes | None
    style: bytes | None
    inline: bool  # `<is><t>…</t></is>`, else `<v>…</v>`
    formula: bool
    uncomputed: str | None  # the formula's text, if an empty value means «saved without result»
    conversion: int = _OTHER  # set by `_learnt`


@dataclass(frozen=True)
class _Markup:
    slots: tuple[_Slot, ...]
    fixed_uncomputed: dict[str, str]  # formulas saved without a value element at all
    # The slots' indexes row by row, rows in the order of the part.
    by_row: tuple[tuple[int, tuple[int, ...]], ...] = ()


# A part's markup: the part with the text of each value element taken out (`<v></v>`).
# One bytes object, so the memories here and in the file check hash it once and compare
# it in one pass. It determines the pieces a split gives: the texts taken out hold no
# `<`, so in the markup the pattern matches where it matched in the part, and there only
# (a match ends in `</v>` or `</t>` and starts at the nearest `<v>` or `<t>` before it,
# with no `<` between; taking out such runs creates no new one and removes none).
Markup = bytes
# A part split at its value texts: its markup, and the texts in order.
Split = tuple[Markup, list[bytes]]
# A sheet's valued cells row by row: row -> (column, address, value, holds a formula) of
# each, in the part's order; the last row holding a value; the formulas saved without a
# result. What a block reader wants: it visits only the rows and cells that hold a value.
Rows = dict[int, list[tuple[int, str, object, bool]]]
RowsReading = tuple[Rows, int, dict[str, str]]
_LEARNT: dict[tuple[Markup, frozenset[int]], _Markup | None] = {}


def markup_and_texts(xml: bytes) -> Split:
    """A part split at the text of its value elements (one pass in C): its markup, and the
    texts in order. Two parts of one markup differ only inside those elements."""
    parts = _VALUE_TEXT.split(xml)
    texts = parts[2::4]
    del parts[2::4]
    return b"".join(parts), texts


def rows_of(reading: SheetReading) -> RowsReading:
    """A `sheet_reading` answer row by row (see `Rows`)."""
    values, last_row, formulas, uncomputed = reading
    rows: Rows = {}
    for coordinate, value in values.items():
        row, column = cell_position(coordinate)
        entry = (column, coordinate, value, coordinate in formulas)
        entries = rows.get(row)
        if entries is None:
            rows[row] = [entry]
        else:
            entries.append(entry)
    return rows, last_row, uncomputed


def markup_rows(
    xml: bytes,
    strings: Sequence[str] | None,
    dates: frozenset[int],
    split: Split | None = None,
) -> RowsReading | None:
    """`rows_of(sheet_reading(xml, strings, dates))`, from the learnt slots where the
    markup is known; None where `sheet_reading` answers None.

    `split` is `markup_and_texts(xml)` when the caller has it already (the file check
    made it): the part is not split twice.
    """
    markup_of_part, texts = markup_and_texts(xml) if split is None else split
    key = (markup_of_part, dates)
    markup = _LEARNT.get(key, _UNSEEN)
    if markup is _UNSEEN:
        full = sheet_reading(xml, strings, dates)  # a hostile part raises here, before any entry
        if len(_LEARNT) >= _KEPT:  # the oldest goes: a province's few markups stay
            del _LEARNT[next(iter(_LEARNT))]
        _LEARNT[key] = _learnt(xml, texts, full, strings, dates)
        return None if full is None else rows_of(full)
    if markup is not None:
        try:
            return _read(markup, texts, strings, dates)  # type: ignore[arg-type]
        except (LookupError, ValueError, OverflowError, UnicodeDecodeError):
            pass
    full = sheet_reading(xml, strings, dates)
    return None if full is None else rows_of(full)


_UNSEEN = object()


def _read(
    markup: _Markup, texts: Sequence[bytes], strings: Sequence[str] | None, dates: frozenset[int]
) -> RowsReading:
    if len(texts) != len(markup.slots):
        raise ValueError("another markup")  # cannot be: the key holds the markup
    slots = markup.slots
    rows: Rows = {}
    uncomputed = dict(markup.fixed_uncomputed)
    last_row = 0
    for row, members in markup.by_row:
        entries = []
        for index in members:
            text = texts[index]
            slot = slots[index]
            if not text:
                if slot.uncomputed is not None:
                    uncomputed[slot.coordinate] = slot.uncomputed
                continue
            conversion = slot.conversion
            if conversion == _NUMBER:
                value: object = _number(text)
            elif conversion == _TEXT:
                value = _text(text)
                if value == "":
                    continue
            else:
                value = _typed(text, slot.kind, slot.style, strings, dates)
                if value == "":
                    continue
            entries.append((slot.column, slot.coordinate, value, slot.formula))
        if entries:
            rows[row] = entries
            if row > last_row:
                last_row = row
    return rows, last_row, uncomputed


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
    grouped: dict[int, list[int]] = {}
    for index, slot in enumerate(slots):
        grouped.setdefault(slot.row, []).append(index)
    markup = _Markup(
        tuple(replace(slot, conversion=_conversion(slot, dates)) for slot in slots),
        fixed,
        tuple((row, tuple(members)) for row, members in grouped.items()),
    )
    try:
        if _read(markup, texts, strings, dates) != rows_of(full):
            return None
    except (LookupError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    return markup


def _conversion(slot: _Slot, dates: frozenset[int]) -> int:
    """Which branch of `xlsx_parts._typed` the slot's texts take, whatever they say."""
    if slot.inline:
        return _TEXT
    kind = slot.kind
    if kind is None or kind == b"n":
        if slot.style is not None and dates and int(slot.style) in dates:
            return _OTHER  # a date: `_typed` makes it one
        return _NUMBER
    if kind in (b"str", b"inlineStr", b"e"):
        return _TEXT
    return _OTHER  # shared strings (the table may load lazily), booleans, the unknown


def _slot(xml: bytes, match: re.Match[bytes]) -> _Slot | None:
    """The slot of one value text, or None if it is not a cell's plain value."""
    cell = _cell_at(xml, match.start())
    if cell is None:
        return None
    coordinate, row, style, kind, tag_end = cell
    column = cell_position(coordinate)[1]
    between = xml[tag_end : match.start()]
    if match.group(1) == b"<t>":
        if between != b"<is>" or not xml.startswith(b"</is></c>", match.end()):
            return None
        return _Slot(coordinate, row, column, kind, style, True, False, None)
    if not xml.startswith(b"</c>", match.end()):
        return None
    formula = _FORMULA.fullmatch(between) if between else None
    if between and formula is None:
        return None
    uncomputed = None
    if formula is not None and formula.group(1) is not None and kind in (None, b"n"):
        uncomputed = _text(formula.group(1))
    return _Slot(coordinate, row, column, kind, style, False, formula is not None, uncomputed)
