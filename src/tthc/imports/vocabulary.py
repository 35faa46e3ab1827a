"""The words of the one-stop systems: field names, status and channel words.

Why: exports name things as their system does. The national catalogue says
«Thành lập và hoạt động của hộ kinh doanh» where the commune form says «Hộ kinh
doanh»; the national portal's statuses («Mới đăng ký», «Dừng xử lý», «Yêu cầu
thực hiện nghĩa vụ tài chính»…) are none of the form's five. The built-in list
(`data/vocabulary.json`, each entry with its source) maps them to the form's
meanings; a clerk adds more in the aliases file (`load_aliases`), and those win.

Matching:

- field names ignore case, Unicode form (NFC/NFD), spacing and punctuation, but
  not diacritics («Thi đua, khen thưởng» = «thi đua khen thưởng»; «Dat dai» is
  not «Đất đai»): `loose_key`;
- status and channel words ignore case, diacritics, spacing and punctuation, as
  the reader's rules always have (`word_key`), and must equal the whole cell.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

from tthc.core.dossier_model import Channel, Status
from tthc.core.vn_format import nfc

__all__ = [
    "CHANNEL_MEANINGS",
    "STATUS_MEANINGS",
    "FieldEntry",
    "Vocabulary",
    "builtin_vocabulary",
    "loose_key",
    "plain_letters",
    "word_key",
]

#: The words a clerk writes for a status's meaning (aliases file, messages).
STATUS_MEANINGS: dict[str, Status] = {status.value: status for status in Status}
CHANNEL_MEANINGS: dict[str, Channel] = {channel.value: channel for channel in Channel}

_PUNCTUATION = re.compile(r"[\W_]+")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def loose_key(text: str) -> str:
    """A field name's matching key: 'Thi đua,  Khen thưởng' -> 'thi đua khen thưởng'."""
    return " ".join(_PUNCTUATION.sub(" ", nfc(text).casefold()).split())


def plain_letters(text: str) -> str:
    """Lower case, no diacritics, đ as d, punctuation kept: 'Tổng số: 1.500' -> 'tong so: 1.500'.

    The one base of every comparison that ignores diacritics (words, headers, footers).
    """
    decomposed = unicodedata.normalize("NFD", nfc(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().replace("đ", "d")


def word_key(text: str) -> str:
    """A status or channel word's key: 'Chờ  bổ sung.' -> 'cho bo sung'."""
    return _NON_ALNUM.sub(" ", plain_letters(text)).strip()


@dataclass(frozen=True)
class FieldEntry:
    """A field name of an export, the form's field it is, and that field's usual department."""

    name: str
    field: str
    department: str
    source: str


@dataclass(frozen=True)
class Vocabulary:
    """Field names, status words and channel words, each by its matching key."""

    fields: dict[str, FieldEntry]
    statuses: dict[str, Status]
    channels: dict[str, Channel]

    def field_entry(self, name: str) -> FieldEntry | None:
        return self.fields.get(loose_key(name))

    def status(self, word: str) -> Status | None:
        return self.statuses.get(word_key(word))

    def channel(self, word: str) -> Channel | None:
        return self.channels.get(word_key(word))

    def extended(
        self,
        *,
        statuses: dict[str, Status] | None = None,
        channels: dict[str, Channel] | None = None,
    ) -> Vocabulary:
        """This vocabulary with the clerk's words added; theirs win over the built-in ones."""
        return Vocabulary(
            self.fields,
            {**self.statuses, **{word_key(w): s for w, s in (statuses or {}).items()}},
            {**self.channels, **{word_key(w): c for w, c in (channels or {}).items()}},
        )


@cache
def builtin_vocabulary() -> Vocabulary:
    """The vocabulary shipped in ``tthc/data/vocabulary.json``, read once."""
    raw = json.loads(resources.files("tthc").joinpath("data/vocabulary.json").read_text("utf-8"))
    fields = {
        loose_key(entry["name"]): FieldEntry(
            nfc(entry["name"]), nfc(entry["field"]), nfc(entry["department"]), entry["source"]
        )
        for entry in raw["fields"]
    }
    statuses = {
        word_key(entry["word"]): STATUS_MEANINGS[entry["status"]] for entry in raw["statuses"]
    }
    channels = {
        word_key(entry["word"]): CHANNEL_MEANINGS[entry["channel"]] for entry in raw["channels"]
    }
    return Vocabulary(fields, statuses, channels)
