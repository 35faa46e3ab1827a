"""Words of a column the readers do not know, reported once per word with where they stand.

Why: a system's own status word («Chờ ký số») stands on hundreds of rows; one
finding per row would bury everything else and say the same thing each time.
One finding per word gives its count, the rows, and the exact line to add to
the aliases file so the next run reads it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from tthc.core.findings import Finding, Location, Severity
from tthc.core.vn_format import format_integer

__all__ = ["MAX_LISTED_ROWS", "UnknownWords"]

MAX_LISTED_ROWS = 10


@dataclass
class _Seen:
    word: str
    rows: list[int] = field(default_factory=list)
    first_cell: str | None = None


@dataclass
class UnknownWords:
    """Unknown words of one column (`aliases_key` is its section of the aliases file)."""

    column: str  # the header as the file names it
    aliases_key: str  # "status_words" or "channel_words"
    meanings: str  # the accepted meanings, listed in the message
    example_meaning: str  # the meaning shown in the line to add
    code: str  # the finding code
    sheet: str | None = None
    seen: dict[str, _Seen] = field(default_factory=dict)

    def add(self, word: str, row: int, cell: str | None) -> None:
        entry = self.seen.get(word)
        if entry is None:
            entry = self.seen[word] = _Seen(word, first_cell=cell)
        entry.rows.append(row)

    def findings(self) -> list[Finding]:
        found = []
        for entry in self.seen.values():
            rows = entry.rows
            listed = ", ".join(str(r) for r in rows[:MAX_LISTED_ROWS])
            more = (
                f" và {format_integer(len(rows) - MAX_LISTED_ROWS)} dòng khác"
                if len(rows) > MAX_LISTED_ROWS
                else ""
            )
            line = json.dumps(
                {self.aliases_key: {entry.word: self.example_meaning}}, ensure_ascii=False
            )
            found.append(
                Finding(
                    Severity.ERROR,
                    self.code,
                    f"«{entry.word}» ở cột «{self.column}» không nhận ra, ở "
                    f"{format_integer(len(rows))} dòng (dòng {listed}{more}); các hồ sơ này "
                    f"chưa được tính. Nghĩa được chấp nhận: {self.meanings}. Nếu hệ thống dùng "
                    f"từ này, ghi vào tệp tên cột (--aliases), đổi nghĩa cho đúng: {line}",
                    Location(sheet=self.sheet, cell=entry.first_cell) if self.sheet else Location(),
                )
            )
        return found
