"""Reading one cell of a dossier list: channel, status, flag and date values.

Why apart from the list reader: the words are the part that differs most
between one-stop systems, and each rule here is tested word by word. Every
reader is a pure function of the cell's value (and of the vocabulary, for
channel and status), so the list reader can memoise them per distinct value.

Channel and status: a word of the vocabulary (the clerk's aliases file, then
`data/vocabulary.json`) must equal the whole cell; failing that, the phrase
rules below look for the form's words inside a longer text.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from tthc.core.dossier_model import Channel, Status
from tthc.core.findings import Location
from tthc.core.parsing import is_blank, parse_date
from tthc.core.vn_format import nfc
from tthc.imports.vocabulary import Vocabulary, word_key

__all__ = [
    "CHANNEL_HELP",
    "FLAG_HELP",
    "STATUS_HELP",
    "read_channel",
    "read_date",
    "read_flag",
    "read_status",
    "shown",
]

STATUS_HELP = "đã giải quyết, từ chối, rút, chờ bổ sung, đang xử lý, không tính"
CHANNEL_HELP = "trực tuyến (1), trực tiếp (2), bưu chính (3)"
FLAG_HELP = "có/không, x hoặc để trống, 1/0"

_CHANNEL_NUMBERS = {"1": Channel.ONLINE, "2": Channel.DIRECT, "3": Channel.POST}
_CHANNEL_PHRASES: tuple[tuple[Channel, tuple[str, ...]], ...] = (
    (Channel.ONLINE, ("truc tuyen", "online", "tt")),
    (Channel.DIRECT, ("truc tiep", "tai quay")),
    (Channel.POST, ("buu chinh", "bcci")),
)
# The first matching rule wins; "không tính" comes first so that «Chờ tiếp nhận»
# is never read as received ("tiếp nhận") nor «Từ chối tiếp nhận» as refused.
_STATUS_RULES: tuple[tuple[Status, tuple[str, ...]], ...] = (
    (
        Status.NOT_COUNTED,
        (
            "cho tiep nhan",
            "chua tiep nhan",
            "khong duoc tiep nhan",
            "khong tiep nhan",
            "tu choi tiep nhan",
            "moi dang ky",
            "da huy",
            "huy ho so",
        ),
    ),
    (Status.REFUSED, ("tu choi", "khong giai quyet", "khong duoc giai quyet")),
    (Status.WITHDRAWN, ("rut",)),
    (Status.SUPPLEMENT, ("bo sung",)),
    (
        Status.PROCESSING,
        (
            "dang xu ly",
            "dang giai quyet",
            "dang thu ly",
            "cho xu ly",
            "tiep nhan",
            "chua giai quyet",
            "chua xu ly",
            "chua hoan thanh",
            "chua tra ket qua",
        ),
    ),
    (
        Status.RESOLVED,
        (
            "da giai quyet",
            "giai quyet xong",
            "hoan thanh",
            "da tra ket qua",
            "da tra",
            "da xu ly",
            "xu ly xong",
            "dung han",
            "truoc han",
        ),
    ),
)
_NEGATIONS = ("khong", "chua")
_TRUE_WORDS = frozenset({"co", "x", "1", "true", "yes", "y", "da"})
_FALSE_WORDS = frozenset({"khong", "0", "false", "no", "n", "chua"})

_EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_MIN, _SERIAL_MAX = 36526, 73050  # 1/1/2000 … 31/12/2099
_TIME = re.compile(r"\s+\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[ap]m)?$", re.IGNORECASE)
_LEADING_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s+")
_AMOUNT = re.compile(r"\d{1,3}(?:[.,]\d{3})*|\d+")
_SPACES = re.compile(r"\s+")


def shown(value: object) -> str:
    """A cell as a message quotes it: 12.0 -> '12', spaces collapsed, NFC."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return _SPACES.sub(" ", nfc(str(value))).strip()


def _has_phrase(words: str, phrase: str) -> bool:
    return f" {phrase} " in f" {words} "


def _number_text(value: object) -> str | None:
    """'1' for 1, 1.0 and '1'; None for other values."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return str(int(value))
    return None


def read_channel(value: object, vocabulary: Vocabulary | None = None) -> Channel | None:
    """The channel a cell names, or None when it names none or two."""
    number = _number_text(value)
    if number is not None:
        return _CHANNEL_NUMBERS.get(number)
    if not isinstance(value, str):
        return None
    if vocabulary is not None and (known := vocabulary.channel(value)) is not None:
        return known
    words = word_key(value)
    if words in _CHANNEL_NUMBERS:
        return _CHANNEL_NUMBERS[words]
    found = {
        channel
        for channel, phrases in _CHANNEL_PHRASES
        if any(_has_phrase(words, phrase) for phrase in phrases)
    }
    return found.pop() if len(found) == 1 else None


def read_status(value: object, vocabulary: Vocabulary | None = None) -> Status | None:
    """The status a cell names, or None when no word or rule names it.

    A text with "không" or "chưa" that no rule names with that word («không
    hoàn thành») is not guessed.
    """
    if not isinstance(value, str):
        return None
    if vocabulary is not None and (known := vocabulary.status(value)) is not None:
        return known
    words = word_key(value)
    for status, phrases in _STATUS_RULES:
        for phrase in phrases:
            if _has_phrase(words, phrase):
                negated = any(
                    _has_phrase(words, word) and not _has_phrase(phrase, word)
                    for word in _NEGATIONS
                )
                return None if negated else status
    return None


def read_flag(value: object, amounts: bool) -> tuple[bool | None, bool]:
    """(flag, readable); a blank cell is False. With `amounts`, 50.000 reads as True."""
    if is_blank(value):
        return False, True
    if isinstance(value, bool):
        return value, True
    if isinstance(value, int | float):
        if value == 0 or value == 1:
            return bool(value), True
        if amounts and value > 0:
            return True, True
        return None, False
    if not isinstance(value, str):
        return None, False
    words = word_key(value)
    if words in _TRUE_WORDS or words.startswith(("co ", "da ")):
        return True, True
    if words in _FALSE_WORDS or words.startswith(("khong ", "chua ")):
        return False, True
    if amounts:
        text = value.strip().removesuffix("đ").removesuffix("đồng").strip()
        if _AMOUNT.fullmatch(text):
            return int(re.sub(r"[.,]", "", text)) > 0, True
    return None, False


def read_date(value: object) -> tuple[date | None, str | None]:
    """(date, None) or (None, message) for a non-blank value."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if _SERIAL_MIN <= value < _SERIAL_MAX + 1:
            return _EXCEL_EPOCH + timedelta(days=int(value)), None
        return None, (
            f"Giá trị «{shown(value)}» không phải là ngày; nhập theo dạng ngày/tháng/năm, "
            "ví dụ 31/3/2026."
        )
    if isinstance(value, str):
        text = value.strip()
        parsed, problems = parse_date(text, Location())
        if parsed is None:
            shorter = _LEADING_TIME.sub("", _TIME.sub("", text))
            if shorter != text:
                parsed, _ = parse_date(shorter, Location())
        if parsed is not None:
            return parsed, None
        return None, problems[0].message
    parsed, problems = parse_date(value, Location())
    if parsed is None:
        return None, problems[0].message if problems else "Ngày không hợp lệ."
    return parsed, None
