"""What a clerk picks or types in the settings and targets cells, as the data file's values.

The workbook shows settings as words from a list («Theo mẫu», «Có», «Cắt bớt») and a
target as a sign and a percent. Both workbook readers and the worksheet functions turn
those cells into the data file's `settings` and `targets` sections here, and the data
file's rules (`report_data`) then judge them, so one entry gets one verdict, in the same
words, whichever path reads it. Every label is matched after NFC and trimming and ignores
case: «có» is «Có», as «theo mẫu» already was «Theo mẫu».
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from tthc.core.model import Convention
from tthc.core.parsing import cell_text, is_blank
from tthc.core.vn_format import RateRounding

__all__ = [
    "CONVENTION_LABELS",
    "NO",
    "ROUNDING_LABELS",
    "SETTINGS",
    "YES",
    "EntryProblem",
    "Setting",
    "convention_from_label",
    "rounding_from_label",
    "settings_from_cells",
    "target_entry",
]

_Choice = TypeVar("_Choice")

YES, NO = "Có", "Không"
CONVENTION_LABELS = {Convention.MAU: "Theo mẫu", Convention.QD766: "Theo QĐ 766"}
ROUNDING_LABELS = {RateRounding.TRUNCATE: "Cắt bớt", RateRounding.HALF_UP: "Làm tròn"}
_FLAG_LABELS = {True: YES, False: NO}


def _match(label: object, choices: Mapping[_Choice, str]) -> _Choice | None:
    """The value whose label (or the data file's own spelling of it) the cell holds."""
    text = cell_text(label).casefold()
    for value, shown in choices.items():
        if text == shown.casefold() or (isinstance(value, str) and text == value.casefold()):
            return value
    return None


def convention_from_label(label: object) -> Convention | None:
    """'Theo QĐ 766' or 'qd766' -> Convention.QD766; None when not recognised."""
    return _match(label, CONVENTION_LABELS)


def rounding_from_label(label: object) -> RateRounding | None:
    """'Làm tròn' or 'half_up' -> RateRounding.HALF_UP; None when not recognised."""
    return _match(label, ROUNDING_LABELS)


@dataclass(frozen=True)
class Setting:
    """One settings cell: its data-file key, the words it offers, and their values."""

    key: str
    title: str  # the row's label on the Thông tin sheet
    choices: dict[Any, str]

    def value_of(self, label: object) -> object | None:
        """The data file's value for a label (the enum's value, or a bool); None if unknown."""
        value = _match(label, self.choices)
        return value.value if isinstance(value, Convention | RateRounding) else value

    @property
    def allowed(self) -> str:
        return " hoặc ".join(f"«{shown}»" for shown in self.choices.values())


# In the order of the TTHC_SETTINGS cells.
SETTINGS: tuple[Setting, ...] = (
    Setting("convention", "Cách tính chỉ tiêu", dict(CONVENTION_LABELS)),
    Setting(
        "strict_on_time", "Chỉ tiêu 2.1 chỉ tính hồ sơ trước hạn, đúng hạn", dict(_FLAG_LABELS)
    ),
    Setting("zero_pad", "Ghi số 1–9 thành 01–09 trong báo cáo", dict(_FLAG_LABELS)),
    Setting("rate_rounding", "Làm tròn tỷ lệ", dict(ROUNDING_LABELS)),
)


@dataclass(frozen=True)
class EntryProblem:
    """A cell whose entry is not one of the choices: its position in the range, and why."""

    index: int
    message: str


def settings_from_cells(
    values: Sequence[object],
) -> tuple[dict[str, object], tuple[EntryProblem, ...]]:
    """The data file's `settings` section from the TTHC_SETTINGS cells, in their order.

    A blank cell means the default and is left out; an entry that is none of the choices
    is a problem (and also left out), so a reader can name the cell.
    """
    section: dict[str, object] = {}
    problems: list[EntryProblem] = []
    for index, (setting, raw) in enumerate(zip(SETTINGS, values, strict=False)):
        if is_blank(raw):
            continue
        value = setting.value_of(raw)
        if value is None:
            message = f"Giá trị «{cell_text(raw)}» không hợp lệ; chọn {setting.allowed}."
            problems.append(EntryProblem(index, message))
        else:
            section[setting.key] = value
    return section, tuple(problems)


def target_entry(comparison: object, percent: object) -> dict[str, object] | None:
    """One TTHC_TARGETS row as the data file's target; a blank sign means no target."""
    if is_blank(comparison):
        return None
    return {"comparison": cell_text(comparison), "percent": percent}
