"""Excel's value semantics for the evaluator: blanks, errors, coercions, comparisons.

The cached value a spreadsheet program would store depends on rules users rarely
think about: a blank cell is 0 in arithmetic and "" in text; text compares greater
than any number and case-insensitively; `&` writes numbers in the General format;
an error travels through every operator until IFERROR or an IS… function stops it.
This module holds those rules once, for `formula_functions` and `formula_evaluator`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from typing import Final

from openpyxl.utils.datetime import to_excel

__all__ = [
    "EMPTY",
    "Blank",
    "Scalar",
    "XlError",
    "compare",
    "criterion_matcher",
    "flatten",
    "general_text",
    "is_number",
    "to_bool",
    "to_number",
    "to_text",
    "typed_cell_value",
]


class Blank:
    """The value of an empty cell: 0, "" or FALSE depending on what reads it."""

    _instance: Blank | None = None

    def __new__(cls) -> Blank:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "EMPTY"


EMPTY: Final = Blank()


class XlError(Exception):
    """An error value (#N/A, #VALUE!, …): raised while it travels, stored as a cell's value."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __eq__(self, other: object) -> bool:
        return isinstance(other, XlError) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


Scalar = float | int | str | bool | Blank | XlError


def typed_cell_value(value: object) -> Scalar:
    """An openpyxl cell value as the evaluator sees it (dates become serial numbers)."""
    if value is None or value == "":
        return EMPTY if value is None else ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime | date | time):
        return to_excel(value)
    raise XlError("#VALUE!")


def is_number(value: Scalar) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def to_number(value: Scalar) -> float | int:
    """A value in arithmetic: blanks 0, logicals 1/0, numeric text its number."""
    if isinstance(value, XlError):
        raise value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Blank):
        return 0
    try:
        number = float(value.strip())
    except ValueError:
        raise XlError("#VALUE!") from None
    if not math.isfinite(number):
        raise XlError("#VALUE!")
    return number


def general_text(number: float | int) -> str:
    """A number as `&` and TEXT's General write it: 15 significant digits, no trailing .0."""
    if isinstance(number, int) or (number.is_integer() and abs(number) < 1e15):
        return str(int(number))
    text = f"{number:.15g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}E{exponent[0]}{int(exponent[1:]):02d}"
    return text


def to_text(value: Scalar) -> str:
    if isinstance(value, XlError):
        raise value
    if isinstance(value, Blank):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return general_text(value)
    return value


def to_bool(value: Scalar) -> bool:
    if isinstance(value, XlError):
        raise value
    if isinstance(value, Blank):
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    raise XlError("#VALUE!")


def _rank(value: Scalar) -> int:
    """Excel orders numbers < text < logicals whatever their values."""
    if isinstance(value, bool):
        return 2
    return 1 if isinstance(value, str) else 0


def compare(left: Scalar, right: Scalar, operator: str) -> bool:
    """`left operator right` as a formula compares (text case-insensitive; blank adapts)."""
    if isinstance(left, XlError):
        raise left
    if isinstance(right, XlError):
        raise right
    if isinstance(left, Blank):
        left = _blank_like(right)
    if isinstance(right, Blank):
        right = _blank_like(left)
    if _rank(left) != _rank(right):
        order = _rank(left) - _rank(right)
    elif isinstance(left, str):
        a, b = left.lower(), str(right).lower()
        order = (a > b) - (a < b)
    else:
        x, y = float(left), float(right)  # type: ignore[arg-type]
        order = (x > y) - (x < y)
    return {
        "=": order == 0,
        "<>": order != 0,
        "<": order < 0,
        ">": order > 0,
        "<=": order <= 0,
        ">=": order >= 0,
    }[operator]


def _blank_like(other: Scalar) -> Scalar:
    if isinstance(other, str):
        return ""
    if isinstance(other, bool):
        return False
    return 0


def flatten(rows: list[list[Scalar]]) -> Iterator[Scalar]:
    for row in rows:
        yield from row


_OPERATOR = re.compile(r"^(<=|>=|<>|=|<|>)?(.*)$", re.DOTALL)


def _wildcard(pattern: str) -> re.Pattern[str] | None:
    """The regular expression of a criterion with * and ? (~ escapes), or None if plain."""
    if not any(mark in pattern for mark in "*?~"):
        return None
    parts: list[str] = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == "~":
            escaped = True
        elif char == "*":
            parts.append(".*")
        elif char == "?":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def criterion_matcher(criterion: Scalar):
    """The test COUNTIF, SUMIF and COUNTIFS apply to each cell for `criterion`."""
    if isinstance(criterion, XlError):
        raise criterion
    if isinstance(criterion, Blank):
        criterion = ""
    if not isinstance(criterion, str):
        target = criterion
        return lambda value: (
            (not isinstance(value, XlError | Blank | str) and _rank(value) == _rank(target))
            and compare(value, target, "=")
        )
    operator, operand = _OPERATOR.match(criterion).groups()  # type: ignore[union-attr]
    operator = operator or "="
    try:
        number: float | None = float(operand) if operand.strip() else None
    except ValueError:
        number = None
    if number is not None:
        return lambda value: (
            (is_number(value) and compare(value, number, operator))
            or (operator == "<>" and not is_number(value))
        )
    if operand == "":
        if operator == "=":
            return lambda value: isinstance(value, Blank) or value == ""
        if operator == "<>":
            return lambda value: not (isinstance(value, Blank) or value == "")
    if operand.upper() in ("TRUE", "FALSE"):
        truth = operand.upper() == "TRUE"
        return lambda value: isinstance(value, bool) and compare(value, truth, operator)
    pattern = _wildcard(operand) if operator in ("=", "<>") else None
    if pattern is not None:
        if operator == "=":
            return lambda value: isinstance(value, str) and pattern.fullmatch(value) is not None
        return lambda value: not (isinstance(value, str) and pattern.fullmatch(value))
    if operator == "<>":
        return lambda value: not (isinstance(value, str) and value.lower() == operand.lower())
    return lambda value: isinstance(value, str) and compare(value, operand, operator)
