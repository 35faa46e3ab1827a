"""Everything one report needs, as typed plain data.

The model knows nothing about files: the data file, the workbook and the
add-in each build a `ReportInput` and hand it to the same pipeline. Values are
already parsed (counts are ints, dates are dates); the readers turn what people
typed into these types and report what they could not.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property

from tthc.core.catalogue import Catalogue
from tthc.core.grid import Counts
from tthc.core.kinds import Convention, UnitKind
from tthc.core.vn_format import RateRounding

__all__ = [
    "EXTRA_INPUTS",
    "INDICATOR_CODES",
    "Comparison",
    "Convention",
    "DocumentInfo",
    "ExtraInputs",
    "ExtraValues",
    "FieldRow",
    "Period",
    "ReportInput",
    "Settings",
    "Signer",
    "Target",
    "Unit",
    "UnitKind",
    "default_targets",
]

INDICATOR_CODES: tuple[str, ...] = ("1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1", "2.2")


class Comparison(StrEnum):
    AT_LEAST = "≥"
    EQUAL = "="
    AT_MOST = "≤"


@dataclass(frozen=True)
class Target:
    """A target such as '≥ 60%' or '= 100%'; compared on exact fractions."""

    comparison: Comparison
    percent: Fraction

    def is_met(self, numerator: int, denominator: int) -> bool:
        """numerator × 100 against percent × denominator, never a rounded rate."""
        left = Fraction(numerator * 100)
        right = self.percent * denominator
        if self.comparison is Comparison.AT_LEAST:
            return left >= right
        if self.comparison is Comparison.AT_MOST:
            return left <= right
        return left == right


def default_targets() -> dict[str, Target | None]:
    """The targets the reference report states; 2.1 and 2.2 carry none there."""
    at_least, equal = Comparison.AT_LEAST, Comparison.EQUAL
    return {
        "1.1": Target(at_least, Fraction(60)),
        "1.2": Target(at_least, Fraction(60)),
        "1.3": Target(equal, Fraction(100)),
        "1.4": Target(equal, Fraction(100)),
        "1.5": Target(at_least, Fraction(50)),
        "1.6": Target(equal, Fraction(100)),
        "2.1": None,
        "2.2": None,
    }


@dataclass(frozen=True)
class Unit:
    """The commune-level unit and the bodies named in the document header."""

    kind: UnitKind
    name: str  # "Bình Giang"
    parent_body: str = ""  # "UBND xã Bình Giang"; derived when empty
    issuing_body: str = ""  # "Trung tâm Phục vụ hành chính công xã Bình Giang"; derived
    issuing_body_short: str = "Trung tâm Phục vụ hành chính công"  # as in the header block
    place: str = ""  # place on the date line; the unit name when empty

    @property
    def full_name(self) -> str:
        return f"{self.kind.value} {self.name}"

    @property
    def parent(self) -> str:
        return self.parent_body or f"UBND {self.full_name}"

    @property
    def issuer(self) -> str:
        return self.issuing_body or f"Trung tâm Phục vụ hành chính công {self.full_name}"

    @property
    def place_name(self) -> str:
        return self.place or self.name


@dataclass(frozen=True)
class Period:
    """Any date range, both ends included; usually a calendar month."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def next_day(self) -> date:
        return self.end + timedelta(days=1)


@dataclass(frozen=True)
class Signer:
    authority: str = "KT. GIÁM ĐỐC"  # thẩm quyền ký
    title: str = "PHÓ GIÁM ĐỐC"
    name: str = ""


@dataclass(frozen=True)
class DocumentInfo:
    """Number, symbol and date of the report, and who receives it."""

    date: date
    number: str = ""  # left blank until the clerk registers the document
    symbol: str = "BC-TTPVHCC"
    recipients: tuple[str, ...] = ()

    @property
    def number_and_symbol(self) -> str:
        """'15/BC-TTPVHCC', or ' /BC-TTPVHCC' with room for the clerk to write the number."""
        return f"{self.number}/{self.symbol}" if self.number else f"    /{self.symbol}"


@dataclass(frozen=True)
class FieldRow:
    """One field (lĩnh vực) of the grid: its counts and any totals the source stated.

    `stated` holds derived columns ((3), (7), (13)) as found in the source, e.g.
    cached formula values or a typed-over total, so validation can compare them
    with the recomputed values.
    """

    field: str
    counts: Counts
    stated: Mapping[int, int] = dataclasses.field(default_factory=dict)


EXTRA_INPUTS: tuple[tuple[str, str], ...] = (
    ("paid_online", "Số hồ sơ thanh toán trực tuyến"),
    ("with_fee", "Số hồ sơ có phí, lệ phí"),
    ("updated", "Số hồ sơ được cập nhật trên hệ thống"),
    ("digitised", "Số hồ sơ được số hóa hồ sơ, kết quả"),
    ("reused", "Số hồ sơ khai thác, sử dụng lại thông tin số hóa"),
    ("feedback_received", "Số phản ánh, kiến nghị tiếp nhận"),
    ("feedback_handled", "Số phản ánh, kiến nghị được xử lý theo quy định"),
)


@dataclass(frozen=True)
class ExtraValues:
    """Inputs of indicators 1.2–1.6 that the grid cannot give; None = not provided."""

    paid_online: int | None = None  # 1.2 numerator
    with_fee: int | None = None  # 1.2 denominator
    updated: int | None = None  # 1.3 numerator
    digitised: int | None = None  # 1.4 numerator
    reused: int | None = None  # 1.5 numerator
    feedback_received: int | None = None  # 1.6 denominator
    feedback_handled: int | None = None  # 1.6 numerator

    def get(self, key: str) -> int | None:
        value: int | None = getattr(self, key)
        return value

    def is_empty(self) -> bool:
        return all(self.get(key) is None for key, _ in EXTRA_INPUTS)


@dataclass(frozen=True)
class ExtraInputs:
    """Unit-wide values and, where the report breaks them down, per-department ones."""

    unit: ExtraValues = ExtraValues()
    departments: Mapping[str, ExtraValues] = dataclasses.field(default_factory=dict)

    def for_department(self, department: str) -> ExtraValues:
        return self.departments.get(department, ExtraValues())


@dataclass(frozen=True)
class Settings:
    convention: Convention = Convention.MAU
    strict_on_time: bool = False  # 2.1 counts only (8)+(9) as on time
    zero_pad: bool = True  # "02 hồ sơ"
    rate_rounding: RateRounding = RateRounding.TRUNCATE


@dataclass(frozen=True)
class ReportInput:
    """All inputs of one report; the pipeline computes everything else from it."""

    unit: Unit
    period: Period
    document: DocumentInfo
    signer: Signer
    rows: tuple[FieldRow, ...]
    catalogue: Catalogue
    extras: ExtraInputs = ExtraInputs()
    targets: Mapping[str, Target | None] = dataclasses.field(default_factory=default_targets)
    settings: Settings = Settings()
    shortcomings: tuple[str, ...] = ()  # section 3 "Tồn tại, hạn chế", one paragraph each
    # The source's Tổng cộng row as found (cached values, a typed-over total).
    stated_total: Mapping[int, int] = dataclasses.field(default_factory=dict)

    @cached_property
    def total(self) -> Counts:
        """The Tổng cộng row; computed once, as validation and indicators ask for it often."""
        return Counts.total(row.counts for row in self.rows)

    @cached_property
    def department_totals(self) -> Mapping[str, Counts]:
        """Counts summed per department, in catalogue order; unknown fields are left out.

        Computed once (callers must not change it): validation, the indicators, the
        unit's extra inputs and the narrative each ask for them.
        """
        result = {name: Counts() for name in self.catalogue.department_names}
        for row in self.rows:
            department = self.catalogue.department_of(row.field)
            if department is not None:
                result[department] = result[department] + row.counts
        return result  # a dict, typed read-only: a report stays picklable
