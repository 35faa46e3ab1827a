"""The appendix grid: its 16 columns, the counts of one row and their identities.

Columns are numbered exactly as on the form staff know, (1)…(16); (3), (7) and
(13) are derived, the other count columns are typed in. Every other module
(data file, workbook, Word table) takes its column list from here so that the
numbering cannot drift between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

__all__ = [
    "COUNT_COLUMNS",
    "DERIVED_COLUMNS",
    "INPUT_COLUMNS",
    "TOTAL_LABEL",
    "Column",
    "Counts",
    "column_by_key",
    "column_by_number",
]

TOTAL_LABEL = "Tổng cộng"  # the label of the grid's total row, in the form and every message


@dataclass(frozen=True)
class Column:
    """One numbered column of the appendix form."""

    number: int
    key: str  # identifier used in the data file and in code
    label: str  # Vietnamese heading of the column, as on the form
    group: str  # the top-level heading it sits under
    parts: tuple[int, ...] = ()  # for a derived column: the columns it sums

    @property
    def is_derived(self) -> bool:
        return bool(self.parts)

    @property
    def number_label(self) -> str:
        """'(3)=(4)+(5)+(6)' for a derived column, '(4)' otherwise: the form's number row."""
        if not self.parts:
            return f"({self.number})"
        return f"({self.number})=" + "+".join(f"({p})" for p in self.parts)


RECEIVED = "Số lượng hồ sơ tiếp nhận"
RESOLVED = "Số lượng hồ sơ đã giải quyết"
PENDING = "Số lượng hồ sơ đang giải quyết"

_COLUMNS: tuple[Column, ...] = (
    Column(3, "received", "Tổng số", RECEIVED, (4, 5, 6)),
    Column(4, "online", "Trực tuyến", RECEIVED),
    Column(5, "direct", "Trực tiếp, dịch vụ bưu chính", RECEIVED),
    Column(6, "carried_over", "Từ kỳ trước", RECEIVED),
    Column(7, "resolved", "Tổng số", RESOLVED, (8, 9, 10, 11, 12)),
    Column(8, "early", "Trước hạn", RESOLVED),
    Column(9, "on_time", "Đúng hạn", RESOLVED),
    Column(10, "late", "Quá hạn", RESOLVED),
    Column(11, "refused", "Từ chối, không giải quyết", RESOLVED),
    Column(12, "withdrawn", "Hồ sơ rút", RESOLVED),
    Column(13, "pending", "Tổng số", PENDING, (14, 15, 16)),
    Column(14, "pending_in_time", "Trong hạn", PENDING),
    Column(15, "pending_overdue", "Quá hạn", PENDING),
    Column(16, "pending_supplement", "Yêu cầu bổ sung", PENDING),
)

COUNT_COLUMNS: tuple[Column, ...] = _COLUMNS
INPUT_COLUMNS: tuple[Column, ...] = tuple(c for c in _COLUMNS if not c.is_derived)
DERIVED_COLUMNS: tuple[Column, ...] = tuple(c for c in _COLUMNS if c.is_derived)
_BY_NUMBER = {c.number: c for c in _COLUMNS}
_BY_KEY = {c.key: c for c in _COLUMNS}


def column_by_number(number: int) -> Column:
    return _BY_NUMBER[number]


def column_by_key(key: str) -> Column:
    return _BY_KEY[key]


@dataclass(frozen=True)
class Counts:
    """The eleven typed-in counts of one grid row; derived columns are properties.

    Derived values are always recomputed, never read: a workbook saved by
    openpyxl has no cached formula values, and a typed-over total must be
    caught rather than trusted.
    """

    online: int = 0  # (4)
    direct: int = 0  # (5)
    carried_over: int = 0  # (6)
    early: int = 0  # (8)
    on_time: int = 0  # (9)
    late: int = 0  # (10)
    refused: int = 0  # (11)
    withdrawn: int = 0  # (12)
    pending_in_time: int = 0  # (14)
    pending_overdue: int = 0  # (15)
    pending_supplement: int = 0  # (16)

    @property
    def received(self) -> int:
        """(3) = (4)+(5)+(6)."""
        return self.online + self.direct + self.carried_over

    @property
    def received_in_period(self) -> int:
        """(4)+(5): dossiers received during the period itself."""
        return self.online + self.direct

    @property
    def resolved(self) -> int:
        """(7) = (8)+(9)+(10)+(11)+(12)."""
        return self.early + self.on_time + self.late + self.refused + self.withdrawn

    @property
    def resolved_with_result(self) -> int:
        """(8)+(9)+(10): resolved with a result, i.e. neither refused nor withdrawn."""
        return self.early + self.on_time + self.late

    @property
    def pending(self) -> int:
        """(13) = (14)+(15)+(16)."""
        return self.pending_in_time + self.pending_overdue + self.pending_supplement

    def value(self, number: int) -> int:
        """The value of column (number), derived or typed in."""
        value: int = getattr(self, column_by_number(number).key)
        return value

    def is_empty(self) -> bool:
        return all(getattr(self, name) == 0 for name in _COUNT_FIELDS)

    def __add__(self, other: Counts) -> Counts:
        # Spelled out: a province adds up thousands of rows, and this is several times
        # faster than a loop over the fields (a test checks it covers every field).
        return Counts(
            self.online + other.online,
            self.direct + other.direct,
            self.carried_over + other.carried_over,
            self.early + other.early,
            self.on_time + other.on_time,
            self.late + other.late,
            self.refused + other.refused,
            self.withdrawn + other.withdrawn,
            self.pending_in_time + other.pending_in_time,
            self.pending_overdue + other.pending_overdue,
            self.pending_supplement + other.pending_supplement,
        )

    @staticmethod
    def total(rows: Iterable[Counts]) -> Counts:
        """The column sums of many rows (the Tổng cộng row)."""
        result = Counts()
        for row in rows:
            result = result + row
        return result


_COUNT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Counts))  # in declaration order
