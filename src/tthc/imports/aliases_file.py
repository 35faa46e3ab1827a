"""The clerk's aliases file: more column names, status and channel words, field names.

Why: no built-in list knows every vendor. One small JSON file, passed with
``--aliases``, teaches the readers what a system writes::

    {
      "code": ["Mã HS", "Số biên nhận"],
      "status_words": {"Chờ ký số": "đang xử lý", "Đã chuyển trả": "rút"},
      "channel_words": {"Nộp qua ứng dụng": "trực tuyến"},
      "fields": {"Thi đua - Khen thưởng": "Thi đua khen thưởng",
                 "Khoáng sản": "Phòng Kinh tế"}
    }

- a column key (`dossier_columns.DEFAULT_ALIASES`) lists more names of that
  column; they are added to the defaults;
- ``status_words`` maps a word of the status column to one of the meanings
  "đã giải quyết", "từ chối", "rút", "chờ bổ sung", "đang xử lý", "không tính";
- ``channel_words`` maps a word of the channel column to "trực tuyến",
  "trực tiếp" or "bưu chính";
- ``fields`` maps a field name of the export to a field of the catalogue
  (renamed to it) or to a department (the field keeps its name, in that
  department). Checked against the catalogue by `field_names`.

Every problem is an ERROR finding naming the key; the rest of the file still
applies. The clerk's words win over the built-in vocabulary.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from tthc.core.dossier_model import Channel, Status
from tthc.core.findings import Finding, Location, Severity
from tthc.core.vn_format import nfc
from tthc.imports.dossier_columns import COLUMN_LABELS, DEFAULT_ALIASES, header_key
from tthc.imports.vocabulary import CHANNEL_MEANINGS, STATUS_MEANINGS
from tthc.infra.package_guard import Refused, read_limited

__all__ = ["MAX_ALIASES_FILE_BYTES", "Aliases", "load_aliases"]

MAX_ALIASES_FILE_BYTES = 1024 * 1024
_VALUE_KEYS = ("status_words", "channel_words", "fields")
_Meaning = TypeVar("_Meaning", Status, Channel)


@dataclass(frozen=True)
class Aliases:
    """What the aliases file adds, merged with the defaults, and the file's problems."""

    columns: dict[str, tuple[str, ...]]
    statuses: dict[str, Status] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    fields: dict[str, str] = field(default_factory=dict)  # export's name -> field or department
    findings: tuple[Finding, ...] = ()


def _defaults() -> dict[str, tuple[str, ...]]:
    return {key: tuple(names) for key, names in DEFAULT_ALIASES.items()}


def load_aliases(aliases_file: Path | None) -> Aliases:
    """The default column names plus those of the JSON file, its words, and its problems."""
    columns = _defaults()
    if aliases_file is None:
        return Aliases(columns)
    where = Location(key=aliases_file.name)
    findings: list[Finding] = []

    def error(message: str) -> None:
        findings.append(Finding(Severity.ERROR, "dossiers.aliases", message, where))

    try:
        raw = read_limited(aliases_file, MAX_ALIASES_FILE_BYTES, "một tệp tên cột")
        data = json.loads(raw.decode("utf-8-sig"))
    except Refused as refused:  # too large, a FIFO or device, no right to read
        error(str(refused))
        return Aliases(columns, findings=tuple(findings))
    except FileNotFoundError:
        error(f"Không tìm thấy tệp tên cột «{aliases_file.name}».")
        return Aliases(columns, findings=tuple(findings))
    except (OSError, UnicodeDecodeError, ValueError) as problem:
        error(
            f"Không đọc được tệp tên cột «{aliases_file.name}» ({problem}); tệp phải là JSON "
            'dạng {"code": ["Mã HS"]}.'
        )
        return Aliases(columns, findings=tuple(findings))
    if not isinstance(data, dict):
        error(
            f"Tệp tên cột «{aliases_file.name}» phải là một đối tượng JSON, "
            'ví dụ {"code": ["Mã HS"]}.'
        )
        return Aliases(columns, findings=tuple(findings))

    owner = {header_key(name): key for key, names in columns.items() for name in names}
    known = ", ".join((*DEFAULT_ALIASES, *_VALUE_KEYS))
    for key, names in data.items():
        if key in _VALUE_KEYS:
            continue
        if key not in DEFAULT_ALIASES:
            error(
                f"Khoá «{key}» trong tệp tên cột không phải là cột nào; các khoá hợp lệ: {known}."
            )
            continue
        if isinstance(names, str):
            names = [names]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            error(f"Mục «{key}» trong tệp tên cột phải là một danh sách tên cột (chuỗi chữ).")
            continue
        added: list[str] = []
        for name in names:
            matching = header_key(name)
            if not matching:
                error(f"Tên cột «{name}» của mục «{key}» trống hoặc chỉ có dấu câu.")
                continue
            other = owner.get(matching)
            if other is not None and other != key:
                error(
                    f"Tên cột «{name}» của mục «{key}» đã là tên của cột «{COLUMN_LABELS[other]}» "
                    f"({other}); bỏ qua."
                )
                continue
            owner[matching] = key
            added.append(nfc(name).strip())
        columns[key] = columns[key] + tuple(added)

    statuses = _meaning_words(data.get("status_words"), "status_words", STATUS_MEANINGS, error)
    channels = _meaning_words(data.get("channel_words"), "channel_words", CHANNEL_MEANINGS, error)
    example = '{"Thi đua - Khen thưởng": "Thi đua khen thưởng"}'
    fields = _section(data.get("fields"), "fields", example, error)
    return Aliases(columns, statuses, channels, fields, tuple(findings))


def _section(section: object, key: str, example: str, error: Callable[[str], None]) -> dict:
    """A {word: text} section as given, or {} with an error when it is not one."""
    if section is None:
        return {}
    if not isinstance(section, dict):
        error(f"Mục «{key}» trong tệp tên cột phải là một đối tượng JSON, ví dụ {example}.")
        return {}
    kept = {}
    for word, text in section.items():
        if not isinstance(text, str) or not text.strip() or not word.strip():
            error(f"Mục «{key}»: «{word}» phải có giá trị là một chuỗi chữ, ví dụ {example}.")
            continue
        kept[nfc(word).strip()] = nfc(text).strip()
    return kept


def _meaning_words(
    section: object, key: str, meanings: Mapping[str, _Meaning], error: Callable[[str], None]
) -> dict[str, _Meaning]:
    """A {word: meaning} section; each meaning must be one of `meanings`' keys."""
    found: dict[str, _Meaning] = {}
    accepted = ", ".join(f"«{m}»" for m in meanings)
    for word, text in _section(section, key, '{"Chờ ký số": "đang xử lý"}', error).items():
        chosen = meanings.get(text.casefold())
        if chosen is None:
            error(f"Mục «{key}»: «{word}» ghi «{text}»; chỉ nhận một trong: {accepted}.")
            continue
        found[word] = chosen
    return found
