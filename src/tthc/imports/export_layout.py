"""What surrounds a table in a real export: the title block above it, the footer below.

Why: one-stop systems put the unit, «DANH SÁCH HỒ SƠ …», «Từ ngày 01/03/2026
đến ngày 31/03/2026» and a filter line above the header, and «Tổng số: 1.500
hồ sơ», a place and date, «NGƯỜI LẬP BIỂU» and a name below the last row. The
readers use this module to stop at the footer instead of reading it as data,
to check a stated total, and to take the unit and the period from the title
when the command line does not give them.

Texts are compared by `word_key` (no case, no diacritics, no punctuation).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tthc.core.model import Period, UnitKind
from tthc.core.parsing import is_blank
from tthc.core.vn_format import nfc
from tthc.imports.vocabulary import plain_letters, word_key

__all__ = [
    "TitleFacts",
    "is_footer_text",
    "row_texts",
    "stated_total",
    "title_facts",
]

# A footer line starts with one of these (after word_key).
_FOOTER_STARTS = (
    "tong so",
    "tong cong",
    "nguoi lap",
    "nguoi ky",
    "thu truong",
    "giam doc",
    "pho giam doc",
    "kt giam doc",
    "tm uy ban",
    "chu tich",
    "xac nhan",
    "ky ten",
    "ky ghi ro ho ten",
    "noi nhan",
    "ghi chu",
)
_SUM_LINE = re.compile(r"^cong(?: \d+)*$")  # «Cộng», «Cộng: 25»; not «Cộng đồng»
_PLACE_DATE = re.compile(r"\bngay \d{1,2} thang \d{1,2} nam \d{4}\b")
_TOTAL = re.compile(r"^\s*(?:tong so|tong cong|cong)\b\D*?(\d{1,3}(?:[.,]\d{3})+|\d+)")
_NUMBER_SEPARATORS = re.compile(r"[.,]")

_RANGE = re.compile(r"tu ngay (\d{1,2}) (\d{1,2}) (\d{4}) den ngay (\d{1,2}) (\d{1,2}) (\d{4})")
_MONTH = re.compile(r"\bthang (\d{1,2}) (?:nam )?(\d{4})\b")
_QUARTER = re.compile(r"\bquy (i{1,3}|iv|[1-4]) (?:nam )?(\d{4})\b")
_YEAR = re.compile(r"\bnam (\d{4})\b")
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# "UBND XÃ BÌNH GIANG", "của xã Bình Giang", "Phường Đông Hòa": the kind and the name after it.
_UNIT = re.compile(r"(?:^|\s)(xã|phường|đặc khu)\s+([^\s,;:.()–-][^,;:()–]*)", re.IGNORECASE)
_NAME_STOP = re.compile(
    r"\s+(?:[-–]\s|(?:tháng|quý|năm|từ|đến|kỳ|ngày|trên|tỉnh|huyện|thành phố)\b).*$",
    re.IGNORECASE,
)


def row_texts(row: Sequence[object]) -> list[str]:
    """The non-blank cells of a row as texts, in order."""
    texts = []
    for value in row:
        if is_blank(value):
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        texts.append(" ".join(nfc(str(value)).split()))
    return texts


def is_footer_text(texts: Iterable[str]) -> bool:
    """A footer line: «Tổng số: …», «Tổng cộng», a place and date, a signature title."""
    for text in texts:
        key = word_key(text)
        if not key:
            continue
        if _PLACE_DATE.search(key) or _SUM_LINE.match(key):
            return True
        if any(key == start or key.startswith(start + " ") for start in _FOOTER_STARTS):
            return True
    return False


def stated_total(texts: Iterable[str]) -> int | None:
    """N of «Tổng số: 1.500 hồ sơ», «Tổng cộng 1500», or None when the line states none."""
    found = _TOTAL.match(plain_letters(" ".join(texts)))
    return int(_NUMBER_SEPARATORS.sub("", found.group(1))) if found else None


@dataclass(frozen=True)
class TitleFacts:
    """What a title block states: the unit (kind and name) and the period, when it does."""

    kind: UnitKind | None = None
    name: str | None = None
    period: Period | None = None
    period_text: str | None = None  # the words the period was read from, for messages


def _proper(name: str) -> str:
    """«BÌNH GIANG» -> «Bình Giang»: Vietnamese names capitalise each syllable."""
    words = name.split()
    if all(word.upper() == word for word in words):
        return " ".join(word[:1] + word[1:].lower() for word in words)
    return " ".join(words)


def _period(key: str) -> tuple[Period, str] | None:
    if (found := _RANGE.search(key)) is not None:
        d1, m1, y1, d2, m2, y2 = (int(g) for g in found.groups())
        try:
            return Period(date(y1, m1, d1), date(y2, m2, d2)), found.group(0)
        except ValueError:
            return None
    if (found := _MONTH.search(key)) is not None:
        month, year = int(found.group(1)), int(found.group(2))
        if 1 <= month <= 12:
            last = calendar.monthrange(year, month)[1]
            return Period(date(year, month, 1), date(year, month, last)), found.group(0)
    if (found := _QUARTER.search(key)) is not None:
        quarter, year = _QUARTERS[found.group(1)], int(found.group(2))
        first = 3 * quarter - 2
        last = calendar.monthrange(year, first + 2)[1]
        return Period(date(year, first, 1), date(year, first + 2, last)), found.group(0)
    if (found := _YEAR.search(key)) is not None:
        year = int(found.group(1))
        return Period(date(year, 1, 1), date(year, 12, 31)), found.group(0)
    return None


def title_facts(lines: Iterable[str]) -> TitleFacts:
    """The unit and the period a title block states (the first line that states each)."""
    kind: UnitKind | None = None
    name: str | None = None
    period: tuple[Period, str] | None = None
    for line in lines:
        text = nfc(line)
        if name is None and (unit := _UNIT.search(text)) is not None:
            candidate = _NAME_STOP.sub("", unit.group(2)).strip(" .")
            if candidate:
                kind = UnitKind(unit.group(1).lower())
                name = _proper(candidate)
        if period is None:
            period = _period(word_key(text))
    return TitleFacts(kind, name, *(period or (None, None)))
