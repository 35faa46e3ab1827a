"""Each formula's value, computed from the workbook being written.

openpyxl writes a formula with an empty cached value, so a reader that does not
recalculate (Excel's Protected View and file previews, pandas, a phone's viewer)
sees blanks where the totals and the title are. This evaluator computes, from
the in-memory workbook, what Excel and LibreOffice would store: it walks each
formula's tree (`formula_parser`) with Excel's value rules (`formula_values`),
follows references across sheets and defined names, and remembers each cell's
value. It knows the functions our templates and a clerk's simple edits use; a
cell whose formula needs anything else (another function, an add-in function
such as TTHC_RATE, a reference to another workbook) gets what such a program
without that function would show: `#NAME?` for an unknown function, or no
value at all when the grammar itself is unknown. Where Excel and LibreOffice
differ (LibreOffice counts a TRUE in a range as the number 1), it follows Excel,
the clerk's program; our own workbooks keep logicals out of counted ranges.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.utils.datetime import from_excel

from tthc.workbook.formula_parser import (
    Call,
    Constant,
    Missing,
    Name,
    Node,
    Operation,
    Reference,
    Unsupported,
    parse_formula,
)
from tthc.workbook.formula_values import (
    EMPTY,
    Blank,
    Scalar,
    XlError,
    compare,
    criterion_matcher,
    flatten,
    general_text,
    is_number,
    to_bool,
    to_number,
    to_text,
    typed_cell_value,
)

__all__ = ["formula_results"]

Grid = list[list[Scalar]]


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle of one sheet, as a reference evaluates before a function reads it."""

    sheet: str
    min_col: int
    min_row: int
    max_col: int
    max_row: int

    @property
    def single(self) -> bool:
        return self.min_col == self.max_col and self.min_row == self.max_row


Value = Scalar | Area | Grid


class _Place(NamedTuple):
    """The cell whose formula is being evaluated: relative references start from it."""

    sheet: str
    row: int
    col: int


class _Circular(Exception):
    """A formula that depends on itself; left without a value."""


class _Evaluator:
    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.cells: dict[str, dict[tuple[int, int], object]] = {
            sheet.title: {key: cell.value for key, cell in sheet._cells.items()}
            for sheet in workbook.worksheets
        }
        self.formula_cells = {
            sheet.title: {
                key: cell.value
                for key, cell in sheet._cells.items()
                if cell.data_type == "f" and isinstance(cell.value, str)
            }
            for sheet in workbook.worksheets
        }
        self.results: dict[tuple[str, int, int], Scalar] = {}
        # Each range's values, read once: Tổng hợp's 300 formulas SUMIF over the same few
        # columns of Phụ lục. A value never changes once computed, so neither does a grid.
        # Grids are shared: functions read them and build new lists, never change them.
        self.grids: dict[Area, Grid] = {}
        self.unknown: set[tuple[str, int, int]] = set()
        self.busy: set[tuple[str, int, int]] = set()
        self.names = _defined_names(workbook)

    # --- cells -------------------------------------------------------------------------

    def cell(self, sheet: str, row: int, col: int) -> Scalar:
        key = (sheet, row, col)
        if key in self.results:
            return self.results[key]
        formula = self.formula_cells.get(sheet, {}).get((row, col))
        if formula is None:
            if sheet not in self.cells:
                raise XlError("#REF!")
            try:
                return typed_cell_value(self.cells[sheet].get((row, col)))
            except XlError as error:
                return error
        if key in self.unknown:
            raise Unsupported(f"{sheet}!{row},{col}")
        if key in self.busy:
            raise _Circular(key)
        self.busy.add(key)
        try:
            value = self.top(parse_formula(formula, row, col), sheet, row, col)
        except (Unsupported, _Circular, RecursionError):
            self.unknown.add(key)
            raise
        finally:
            self.busy.discard(key)
        self.results[key] = value
        return value

    def top(self, tree: Node, sheet: str, row: int, col: int) -> Scalar:
        """A formula's stored value: a blank result is 0, a one-cell result its value."""
        try:
            value = self.scalar(self.eval(tree, _Place(sheet, row, col)))
        except XlError as error:
            return error
        return 0 if isinstance(value, Blank) else value

    def area_grid(self, area: Area) -> Grid:
        grid = self.grids.get(area)
        if grid is None:
            grid = self.grids[area] = [
                [self.cell(area.sheet, row, col) for col in range(area.min_col, area.max_col + 1)]
                for row in range(area.min_row, area.max_row + 1)
            ]
        return grid

    # --- shapes --------------------------------------------------------------------------

    def scalar(self, value: Value) -> Scalar:
        if isinstance(value, Area):
            if not value.single:
                raise Unsupported("a range where one value is expected")
            return self.cell(value.sheet, value.min_row, value.min_col)
        if isinstance(value, list):
            if len(value) == 1 and len(value[0]) == 1:
                return value[0][0]
            raise Unsupported("an array where one value is expected")
        return value

    def grid(self, value: Value) -> Grid:
        if isinstance(value, Area):
            return self.area_grid(value)
        if isinstance(value, list):
            return value
        return [[value]]

    def values(self, value: Value) -> Iterator[Scalar]:
        return flatten(self.grid(value))

    # --- evaluation ----------------------------------------------------------------------

    def eval(self, node: Node, place: _Place) -> Value:
        if isinstance(node, Constant):
            if node.error:
                raise XlError(str(node.value))
            return node.value
        if isinstance(node, Reference):
            first_col, first_row = node.first.at(place.row, place.col)
            last_col, last_row = node.last.at(place.row, place.col)
            if min(first_col, first_row, last_col, last_row) < 1:
                raise XlError("#REF!")
            return Area(
                node.sheet or place.sheet,
                min(first_col, last_col),
                min(first_row, last_row),
                max(first_col, last_col),
                max(first_row, last_row),
            )
        if isinstance(node, Name):
            if node.name not in self.names:
                raise XlError("#NAME?")
            return self.names[node.name]
        if isinstance(node, Operation):
            return self.operation(node, place)
        if isinstance(node, Call):
            return self.call(node, place)
        if isinstance(node, Missing):
            return EMPTY
        raise Unsupported(repr(node))

    def operation(self, node: Operation, place: _Place) -> Value:
        left = self.eval(node.left, place)
        if node.right is None:
            if node.operator == "%":
                return _map(left, self, lambda v: to_number(v) / 100)
            if node.operator == "-":
                return _map(left, self, lambda v: -to_number(v))
            return left
        right = self.eval(node.right, place)
        operator = node.operator
        return _broadcast(left, right, self, lambda a, b: _binary(operator, a, b))

    def call(self, node: Call, place: _Place) -> Value:
        lazy = _LAZY.get(node.name)
        if lazy is not None:
            return lazy(self, node.args, place)
        function = _FUNCTIONS.get(node.name)
        if function is None:
            raise XlError("#NAME?")  # what a program without the function (or add-in) shows
        return function(self, [self.eval(arg, place) for arg in node.args])


def _defined_names(workbook: Workbook) -> dict[str, Area]:
    """Workbook-scope names that point at one rectangle (others are left unknown)."""
    names: dict[str, Area] = {}
    for name, definition in workbook.defined_names.items():
        destinations = list(definition.destinations)
        if len(destinations) != 1:
            continue
        title, ref = destinations[0]
        try:
            tree = parse_formula(f"='{title}'!{ref}")
        except Unsupported:
            continue
        if isinstance(tree, Reference):
            (first_col, first_row), (last_col, last_row) = tree.first.at(1, 1), tree.last.at(1, 1)
            names[name.upper()] = Area(
                title,
                min(first_col, last_col),
                min(first_row, last_row),
                max(first_col, last_col),
                max(first_row, last_row),
            )
    return names


def _map(value: Value, evaluator: _Evaluator, op: Callable[[Scalar], Scalar]) -> Value:
    if (isinstance(value, Area) and not value.single) or isinstance(value, list):
        return [[_safe(op, item) for item in row] for row in evaluator.grid(value)]
    return op(evaluator.scalar(value))


def _broadcast(
    left: Value, right: Value, evaluator: _Evaluator, op: Callable[[Scalar, Scalar], Scalar]
) -> Value:
    """An operator on values, element by element when either side is a range or array."""
    left_many = isinstance(left, list) or (isinstance(left, Area) and not left.single)
    right_many = isinstance(right, list) or (isinstance(right, Area) and not right.single)
    if not (left_many or right_many):
        return op(evaluator.scalar(left), evaluator.scalar(right))
    a = evaluator.grid(left) if left_many else None
    b = evaluator.grid(right) if right_many else None
    rows = len(a) if a is not None else len(b)  # type: ignore[arg-type]
    cols = len(a[0]) if a is not None else len(b[0])  # type: ignore[index]
    if a is not None and b is not None and (len(b), len(b[0])) != (rows, cols):
        raise Unsupported("arrays of different shapes")
    one_left = None if a is not None else evaluator.scalar(left)
    one_right = None if b is not None else evaluator.scalar(right)
    return [
        [
            _safe(
                op,
                a[r][c] if a is not None else one_left,  # type: ignore[arg-type]
                b[r][c] if b is not None else one_right,  # type: ignore[arg-type]
            )
            for c in range(cols)
        ]
        for r in range(rows)
    ]


def _safe(op: Callable[..., Scalar], *args: Scalar) -> Scalar:
    try:
        return op(*args)
    except XlError as error:
        return error


def _binary(operator: str, a: Scalar, b: Scalar) -> Scalar:
    if operator == "&":
        return to_text(a) + to_text(b)
    if operator in ("=", "<>", "<", ">", "<=", ">="):
        return compare(a, b, operator)
    x, y = to_number(a), to_number(b)
    if operator == "+":
        return x + y
    if operator == "-":
        return x - y
    if operator == "*":
        return x * y
    if operator == "/":
        if y == 0:
            raise XlError("#DIV/0!")
        return x / y
    if operator == "^":
        try:
            result = float(x) ** float(y)
        except (OverflowError, ZeroDivisionError):
            raise XlError("#NUM!") from None
        if isinstance(result, complex) or not math.isfinite(result):
            raise XlError("#NUM!")
        return result
    raise Unsupported(operator)


# --- functions that choose which arguments to evaluate ---------------------------------

LazyFunction = Callable[[_Evaluator, tuple[Node, ...], _Place], Value]


def _arity(args: tuple[Node, ...] | list[Value], low: int, high: int) -> None:
    if not low <= len(args) <= high:
        raise Unsupported(f"{len(args)} arguments")


def _if(ev: _Evaluator, args: tuple[Node, ...], place: _Place) -> Value:
    _arity(args, 1, 3)
    if to_bool(ev.scalar(ev.eval(args[0], place))):
        return ev.eval(args[1], place) if len(args) > 1 else True
    if len(args) < 3:
        return False
    return ev.eval(args[2], place)


def _iferror(ev: _Evaluator, args: tuple[Node, ...], place: _Place) -> Value:
    _arity(args, 2, 2)
    try:
        value = ev.scalar(ev.eval(args[0], place))
    except XlError:
        return ev.eval(args[1], place)
    if isinstance(value, XlError):
        return ev.eval(args[1], place)
    return value


def _is(test: Callable[[Scalar], bool]) -> LazyFunction:
    def function(ev: _Evaluator, args: tuple[Node, ...], place: _Place) -> Value:
        _arity(args, 1, 1)
        try:
            value = ev.scalar(ev.eval(args[0], place))
        except XlError as error:
            value = error
        return test(value)

    return function


def _choose(ev: _Evaluator, args: tuple[Node, ...], place: _Place) -> Value:
    _arity(args, 2, 255)
    index = int(to_number(ev.scalar(ev.eval(args[0], place))))
    if not 1 <= index < len(args):
        raise XlError("#VALUE!")
    return ev.eval(args[index], place)


_LAZY: dict[str, LazyFunction] = {
    "IF": _if,
    "IFERROR": _iferror,
    "ISNUMBER": _is(is_number),
    "ISTEXT": _is(lambda value: isinstance(value, str)),
    "ISBLANK": _is(lambda value: isinstance(value, Blank)),
    "ISERROR": _is(lambda value: isinstance(value, XlError)),
    "ISNA": _is(lambda value: isinstance(value, XlError) and value.code == "#N/A"),
    "CHOOSE": _choose,
}


# --- functions of evaluated arguments -----------------------------------------------------

Function = Callable[[_Evaluator, list[Value]], Value]


def _numbers_in(ev: _Evaluator, args: list[Value]) -> Iterator[float | int]:
    """What SUM adds: numbers in ranges (text and blanks skipped), any typed argument."""
    for arg in args:
        if isinstance(arg, Area | list):
            for value in ev.values(arg):
                if isinstance(value, XlError):
                    raise value
                if is_number(value):
                    yield value  # type: ignore[misc]
        else:
            yield to_number(arg)


def _sum(ev: _Evaluator, args: list[Value]) -> Value:
    return sum(_numbers_in(ev, args))


def _count(ev: _Evaluator, args: list[Value]) -> Value:
    total = 0
    for arg in args:
        if isinstance(arg, Area | list):
            total += sum(1 for value in ev.values(arg) if is_number(value))
        else:
            try:
                to_number(arg)
            except XlError:
                continue
            total += not isinstance(arg, Blank)
    return total


def _counta(ev: _Evaluator, args: list[Value]) -> Value:
    total = 0
    for arg in args:
        if isinstance(arg, Area | list):
            total += sum(1 for value in ev.values(arg) if not isinstance(value, Blank))
        else:
            total += not isinstance(arg, Blank)
    return total


def _area(value: Value) -> Area:
    if not isinstance(value, Area):
        raise XlError("#VALUE!")
    return value


def _shifted(area: Area, like: Area) -> Area:
    """SUMIF's sum range: its top-left corner, the size of the criteria range."""
    return Area(
        area.sheet,
        area.min_col,
        area.min_row,
        area.min_col + like.max_col - like.min_col,
        area.min_row + like.max_row - like.min_row,
    )


def _sumif(ev: _Evaluator, args: list[Value]) -> Value:
    _arity(args, 2, 3)
    criteria = _area(args[0])
    sums = _shifted(_area(args[2]), criteria) if len(args) == 3 else criteria
    matches = criterion_matcher(ev.scalar(args[1]))
    total: float | int = 0
    for tested, value in zip(ev.values(criteria), ev.values(sums), strict=True):
        if matches(tested):
            if isinstance(value, XlError):
                raise value
            if is_number(value):
                total += value  # type: ignore[operator]
    return total


def _countifs(ev: _Evaluator, args: list[Value]) -> Value:
    if len(args) < 2 or len(args) % 2:
        raise Unsupported("COUNTIFS arguments")
    columns = []
    for at in range(0, len(args), 2):
        area = _area(args[at])
        columns.append((list(ev.values(area)), criterion_matcher(ev.scalar(args[at + 1]))))
    size = len(columns[0][0])
    if any(len(values) != size for values, _ in columns):
        raise XlError("#VALUE!")
    return sum(1 for index in range(size) if all(test(values[index]) for values, test in columns))


def _countif(ev: _Evaluator, args: list[Value]) -> Value:
    _arity(args, 2, 2)
    return _countifs(ev, args)


def _sumproduct(ev: _Evaluator, args: list[Value]) -> Value:
    grids = [ev.grid(arg) for arg in args]
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(grid), len(grid[0])) != shape for grid in grids):
        raise XlError("#VALUE!")
    total: float | int = 0
    for values in zip(*(list(flatten(grid)) for grid in grids), strict=True):
        product: float | int = 1
        for value in values:
            if isinstance(value, XlError):
                raise value
            product *= value if is_number(value) else 0
        total += product
    return total


def _index(ev: _Evaluator, args: list[Value]) -> Value:
    _arity(args, 2, 3)
    area = _area(args[0])
    row = int(to_number(ev.scalar(args[1])))
    col = int(to_number(ev.scalar(args[2]))) if len(args) == 3 else None
    rows, cols = area.max_row - area.min_row + 1, area.max_col - area.min_col + 1
    if col is None:
        if rows == 1:
            row, col = 1, row
        elif cols == 1:
            col = 1
        else:
            raise Unsupported("INDEX without a column on a rectangle")
    if row == 0 or col == 0:
        raise Unsupported("INDEX of a whole row or column")
    if not (1 <= row <= rows and 1 <= col <= cols):
        raise XlError("#REF!")
    return ev.cell(area.sheet, area.min_row + row - 1, area.min_col + col - 1)


def _match(ev: _Evaluator, args: list[Value]) -> Value:
    _arity(args, 2, 3)
    if len(args) < 3 or to_number(ev.scalar(args[2])) != 0:
        raise Unsupported("MATCH other than exact")
    wanted = ev.scalar(args[0])
    if isinstance(wanted, XlError):
        raise wanted
    if isinstance(wanted, Blank) or wanted == "":
        raise XlError("#N/A")
    matches = criterion_matcher(wanted if not isinstance(wanted, str) else "=" + wanted)
    for position, value in enumerate(ev.values(_area(args[1])), 1):
        if matches(value):
            return position
    raise XlError("#N/A")


def _scalars(count: tuple[int, int], body: Callable[..., Scalar]) -> Function:
    """A function of scalar arguments, mapped over an array argument like Excel does."""

    def function(ev: _Evaluator, args: list[Value]) -> Value:
        _arity(args, *count)
        if len(args) == 1 and (
            isinstance(args[0], list) or (isinstance(args[0], Area) and not args[0].single)
        ):
            return [[_safe(body, value) for value in row] for row in ev.grid(args[0])]
        return body(*(ev.scalar(arg) for arg in args))

    return function


def _n(value: Scalar) -> Scalar:
    if isinstance(value, XlError):
        raise value
    if isinstance(value, bool):
        return int(value)
    return value if is_number(value) else 0


def _trim(value: Scalar) -> Scalar:
    return " ".join(part for part in to_text(value).split(" ") if part)


def _date_part(part: str) -> Callable[[Scalar], Scalar]:
    def function(value: Scalar) -> Scalar:
        serial = to_number(value)
        if serial < 0:
            raise XlError("#NUM!")
        moment = from_excel(serial)
        return getattr(moment, part)

    return function


def _text(value: Scalar, pattern: Scalar) -> Scalar:
    code = to_text(pattern)
    if code and set(code) <= {"0"}:
        number = to_number(value)
        rounded = math.floor(abs(number) + 0.5) * (1 if number >= 0 else -1)
        sign = "-" if rounded < 0 else ""
        return sign + str(abs(rounded)).rjust(len(code), "0")
    if code.upper() == "GENERAL":
        return general_text(to_number(value)) if not isinstance(value, str) else value
    raise Unsupported(f"TEXT format {code!r}")


def _mod(number: Scalar, divisor: Scalar) -> Scalar:
    x, y = to_number(number), to_number(divisor)
    if y == 0:
        raise XlError("#DIV/0!")
    return x - y * math.floor(x / y)


def _logical(combine: Callable[[Iterator[bool]], bool]) -> Function:
    def function(ev: _Evaluator, args: list[Value]) -> Value:
        found: list[bool] = []
        for arg in args:
            if isinstance(arg, Area | list):
                for value in ev.values(arg):
                    if isinstance(value, XlError):
                        raise value
                    if isinstance(value, bool | int | float):
                        found.append(bool(value))
            else:
                found.append(to_bool(arg))
        if not found:
            raise XlError("#VALUE!")
        return combine(iter(found))

    return function


def _na(ev: _Evaluator, args: list[Value]) -> Value:
    _arity(args, 0, 0)
    raise XlError("#N/A")


_FUNCTIONS: dict[str, Function] = {
    "SUM": _sum,
    "COUNT": _count,
    "COUNTA": _counta,
    "SUMIF": _sumif,
    "COUNTIF": _countif,
    "COUNTIFS": _countifs,
    "SUMPRODUCT": _sumproduct,
    "INDEX": _index,
    "MATCH": _match,
    "AND": _logical(all),
    "OR": _logical(any),
    "NOT": _scalars((1, 1), lambda value: not to_bool(value)),
    "N": _scalars((1, 1), _n),
    "TRIM": _scalars((1, 1), _trim),
    "UPPER": _scalars((1, 1), lambda value: to_text(value).upper()),
    "LOWER": _scalars((1, 1), lambda value: to_text(value).lower()),
    "LEN": _scalars((1, 1), lambda value: len(to_text(value))),
    "DAY": _scalars((1, 1), _date_part("day")),
    "MONTH": _scalars((1, 1), _date_part("month")),
    "YEAR": _scalars((1, 1), _date_part("year")),
    "TEXT": _scalars((2, 2), _text),
    "MOD": _scalars((2, 2), _mod),
    "ABS": _scalars((1, 1), lambda value: abs(to_number(value))),
    "NA": _na,
}


def formula_results(workbook: Workbook) -> dict[str, dict[tuple[int, int], Scalar]]:
    """Each sheet's formula cells, (row, column) -> the value a spreadsheet would store.

    Cells this evaluator cannot compute (see the module's docstring) are absent, so
    the writer leaves their value empty rather than store a wrong one.
    """
    evaluator = _Evaluator(workbook)
    found: dict[str, dict[tuple[int, int], Scalar]] = {}
    for sheet in workbook.worksheets:
        values = found.setdefault(sheet.title, {})
        for row, col in evaluator.formula_cells[sheet.title]:
            try:
                values[(row, col)] = evaluator.cell(sheet.title, row, col)
            except (Unsupported, _Circular, RecursionError):
                continue
    return found
