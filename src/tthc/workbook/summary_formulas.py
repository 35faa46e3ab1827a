"""Tổng hợp's figures as native Excel formulas: the same rules as `core.indicators`.

Why native: a workbook travels (e-mailed to the district, opened in LibreOffice,
on a PC without the add-in). Formulas that call the add-in show `#NAME?` there,
and Excel saves them as links to the add-in's path on the PC that saved them.
So the figures (numerator, denominator, rate, verdict) are plain formulas over
the grid, Chỉ tiêu and the settings; the `=TTHC_…()` functions run beside them
as an independent cross-check (template_summary) and write the report's text.

Each function returns formula text (without "=") for one row of the sheet;
`scope` is the cell holding the row's scope, `unit` says whether it is the
whole unit. Rules, as `indicator_parts` and `IndicatorResult` state them:

- counts come from the input columns (4)…(16), summed over the grid (the unit)
  or over the rows whose department column is the scope (SUMIF);
- extra inputs (1.2–1.6) come from the scope's Chỉ tiêu row, «chưa có số liệu» when
  empty (what `=TTHC_PART` shows too);
  the unit's from its own row, else the sum over the departments that have
  data when every one of them gave the value (the helper column «Có số liệu»);
- the rate is «không phát sinh» when the denominator is 0, «chưa có số liệu»
  when an input is missing, else numerator / denominator;
- the verdict compares numerator × 100 with percent × denominator, exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.core.entries import CONVENTION_LABELS, YES
from tthc.core.labels import MISSING_TEXT, NONE_AROSE_TEXT
from tthc.core.model import Convention

__all__ = ["GridArea", "SummaryFormulas"]

# Input columns of the grid sheet: (4)…(6), (8)…(12), (14)…(16).
_ONLINE, _DIRECT, _CARRIED = "D", "E", "F"
_EARLY, _ON_TIME, _LATE, _REFUSED, _WITHDRAWN = "H", "I", "J", "K", "L"
_IN_TIME, _OVERDUE, _SUPPLEMENT = "N", "O", "P"
_DEPARTMENT = "Q"
INPUT_LETTERS = "DEFHIJKLNOP"

# Chỉ tiêu's input columns by key, as template_extras lays them out.
EXTRA_LETTERS = {
    "with_fee": "B",
    "paid_online": "C",
    "updated": "E",
    "digitised": "G",
    "reused": "I",
    "feedback_received": "J",
    "feedback_handled": "K",
}
ACTIVE_LETTER = "L"  # Chỉ tiêu's helper column: 1 when the department has any data


@dataclass(frozen=True)
class GridArea:
    """Where the inputs are: the grid's rows and Chỉ tiêu's department and unit rows."""

    grid_sheet: str  # quoted sheet name, e.g. 'Phụ lục'
    first: int
    last: int
    extras_sheet: str
    first_department: int
    last_department: int  # below first_department - 1 when there is none
    unit_row: int


@dataclass(frozen=True)
class SummaryFormulas:
    """The formula texts of one Tổng hợp row."""

    area: GridArea

    # --- counts -------------------------------------------------------------------
    def _column(self, letter: str) -> str:
        a = self.area
        return f"{a.grid_sheet}!${letter}${a.first}:${letter}${a.last}"

    def count(self, letters: str, scope: str, unit: bool) -> str:
        """The sum of grid columns `letters` over the scope (the unit: every row).

        Chỉ tiêu's «Mẫu số» columns use it too, so both sheets sum the same way.
        """
        terms = []
        for letter in letters:
            if unit:
                terms.append(f"SUM({self._column(letter)})")
            else:
                terms.append(f"SUMIF({self._column(_DEPARTMENT)},{scope},{self._column(letter)})")
        return "+".join(terms) if len(terms) > 1 else terms[0]

    # --- extras ---------------------------------------------------------------------
    def _extra_cells(self, key: str, first: int, last: int) -> str:
        letter = EXTRA_LETTERS[key]
        return f"{self.area.extras_sheet}!${letter}${first}:${letter}${last}"

    def _extra(self, key: str, scope: str, unit: bool) -> str:
        a = self.area
        letter = EXTRA_LETTERS[key]
        if unit:
            own = f"{a.extras_sheet}!${letter}${a.unit_row}"
            if a.last_department < a.first_department:
                return f'IF({own}="","{MISSING_TEXT}",{own})'
            active = (
                f"{a.extras_sheet}!${ACTIVE_LETTER}${a.first_department}:"
                f"${ACTIVE_LETTER}${a.last_department}"
            )
            values = self._extra_cells(key, a.first_department, a.last_department)
            summed = (
                f'IF(AND(SUM({active})>0,COUNTIFS({active},1,{values},"")=0),'
                f'SUMIF({active},1,{values}),"{MISSING_TEXT}")'
            )
            return f'IF({own}<>"",{own},{summed})'
        names = f"{a.extras_sheet}!$A${a.first_department}:$A${a.last_department}"
        values = self._extra_cells(key, a.first_department, a.last_department)
        if a.last_department < a.first_department:
            return f'"{MISSING_TEXT}"'
        found = f"INDEX({values},MATCH({scope},{names},0))"
        return f'IFERROR(IF({found}="","{MISSING_TEXT}",{found}),"{MISSING_TEXT}")'

    # --- settings -------------------------------------------------------------------
    @staticmethod
    def qd766() -> str:
        """True when the convention cell says QĐ 766, by its label or key, as the core reads it."""
        label = CONVENTION_LABELS[Convention.QD766]
        return f'OR(TRIM(TTHC_CONVENTION)="{label}",TRIM(TTHC_CONVENTION)="qd766")'

    @staticmethod
    def _strict() -> str:
        return f'TRIM(INDEX(TTHC_SETTINGS,2))="{YES}"'

    # --- the parts --------------------------------------------------------------------
    def parts(self, code: str, scope: str, unit: bool) -> tuple[str, str]:
        """(numerator, denominator) formula texts of indicator `code`."""
        c = lambda letters: f"({self.count(letters, scope, unit)})"  # noqa: E731
        x = lambda key: f"({self._extra(key, scope, unit)})"  # noqa: E731
        qd = self.qd766()
        in_period = c(_ONLINE + _DIRECT)
        received = c(_ONLINE + _DIRECT + _CARRIED)
        resolved = c(_EARLY + _ON_TIME + _LATE + _REFUSED + _WITHDRAWN)
        if code == "1.1":
            return (
                f"IF({qd},{c(_ONLINE)},{c(_ONLINE + _CARRIED)})",
                f"IF({qd},{in_period},{received})",
            )
        if code == "1.2":
            return x("paid_online"), x("with_fee")
        if code == "1.3":
            return x("updated"), f"IF({qd},{in_period},{received})"
        if code == "1.4":
            return x("digitised"), f"IF({qd},{in_period},{c(_EARLY + _ON_TIME + _LATE)})"
        if code == "1.5":
            return x("reused"), in_period
        if code == "1.6":
            return x("feedback_handled"), x("feedback_received")
        if code == "2.1":
            not_late = c(_EARLY + _ON_TIME + _REFUSED + _WITHDRAWN)
            within = c(_EARLY + _ON_TIME + _REFUSED + _WITHDRAWN + _IN_TIME + _SUPPLEMENT)
            pending = c(_IN_TIME + _OVERDUE + _SUPPLEMENT)
            return (
                f"IF({qd},{within},IF({self._strict()},{c(_EARLY + _ON_TIME)},{not_late}))",
                f"IF({qd},{resolved}+{pending},{resolved})",
            )
        if code == "2.2":
            return c(_LATE), resolved
        raise ValueError(f"unknown indicator {code!r}")

    @staticmethod
    def rate(numerator: str, denominator: str) -> str:
        """The rate cell, from the numerator and denominator cells (e.g. "D5", "E5")."""
        return (
            f'IF(AND(ISNUMBER({denominator}),{denominator}=0),"{NONE_AROSE_TEXT}",'
            f'IF(OR(NOT(ISNUMBER({numerator})),NOT(ISNUMBER({denominator}))),"{MISSING_TEXT}",'
            f"{numerator}/{denominator}))"
        )

    @staticmethod
    def verdict(numerator: str, denominator: str, rate: str, target_row: int) -> str:
        """«Đạt»/«Không đạt» against TTHC_TARGETS' row; blank without a target or a rate."""
        comparison = f"INDEX(TTHC_TARGETS,{target_row},3)"
        percent = f"INDEX(TTHC_TARGETS,{target_row},4)"
        left, right = f"{numerator}*100", f"{percent}*{denominator}"
        met = (
            f'IF({comparison}="≥",{left}>={right},'
            f'IF({comparison}="≤",{left}<={right},{left}={right}))'
        )
        return (
            f'IF(OR(ISTEXT({rate}),TRIM({comparison})="",NOT(ISNUMBER({percent}))),"",'
            f'IF({met},"Đạt","Không đạt"))'
        )

    def active(self, row: int) -> str:
        """Chỉ tiêu's «Có số liệu» of a department row: 1 when it has counts or inputs."""
        a = self.area
        scope = f"{a.extras_sheet}!$A{row}"
        counts = self.count(INPUT_LETTERS, scope, unit=False)
        inputs = ",".join(f"{letter}{row}" for letter in EXTRA_LETTERS.values())
        return f"IF(OR(({counts})>0,COUNT({inputs})>0),1,0)"
