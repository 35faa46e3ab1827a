"""Excel formulas as trees, for the evaluator that stores each formula's value.

openpyxl's tokenizer splits a formula into operands, operators and function
brackets; this module turns that token list into a tree with Excel's operator
precedence (unary minus binds tighter than ``^``, then ``%``, ``^``, ``* /``,
``+ -``, ``&``, comparisons), so `formula_evaluator` only walks it. The grammar
is what spreadsheet users type and what our templates write; anything else (array
constants, the space intersection operator, structured references) raises
`Unsupported`, and the caller leaves that cell's value to the spreadsheet program.

A template repeats one formula down 42 rows with only its relative references
moved, so references are kept relative to the formula's own cell (as Excel's R1C1
notation does) and a formula is parsed once per *shape*: its text with each
relative reference written as an offset (`_shape`). Text in quotes and quoted
sheet names are part of the shape as they are, so two formulas share a tree only
when they differ in nothing but where their references point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

__all__ = [
    "Call",
    "Constant",
    "Corner",
    "Missing",
    "Name",
    "Node",
    "Operation",
    "Reference",
    "Unsupported",
    "parse_formula",
]


class Unsupported(Exception):
    """A formula outside the grammar this evaluator knows."""


@dataclass(frozen=True, slots=True)
class Constant:
    """A number, text, logical or error literal (errors as their text, e.g. '#N/A')."""

    value: float | str | bool
    error: bool = False


@dataclass(frozen=True, slots=True)
class Corner:
    """One corner of a reference: a relative part is an offset from the formula's cell."""

    col: int
    row: int
    col_fixed: bool  # $A: an absolute column number
    row_fixed: bool  # A$1: an absolute row number

    def at(self, row: int, col: int) -> tuple[int, int]:
        """(column, row) for a formula in cell (row, col)."""
        return (
            self.col if self.col_fixed else col + self.col,
            self.row if self.row_fixed else row + self.row,
        )


@dataclass(frozen=True, slots=True)
class Reference:
    """A cell or rectangle, on `sheet` (None: the formula's own sheet)."""

    sheet: str | None
    first: Corner
    last: Corner


@dataclass(frozen=True, slots=True)
class Name:
    """A defined name (TTHC_GRID, …), resolved when evaluated."""

    name: str


@dataclass(frozen=True, slots=True)
class Call:
    """A function call; `name` upper case, without the `_xlfn.` prefix."""

    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    """An infix operator, a unary minus/plus (`right` None) or a postfix % (`right` None)."""

    operator: str
    left: Node
    right: Node | None = None


@dataclass(frozen=True, slots=True)
class Missing:
    """An omitted argument, as in IF(A1,,1)."""


Node = Constant | Reference | Name | Call | Operation | Missing

# Binding power of each infix operator; higher binds tighter.
_INFIX = {
    "=": 1,
    "<>": 1,
    "<": 1,
    ">": 1,
    "<=": 1,
    ">=": 1,
    "&": 2,
    "+": 3,
    "-": 3,
    "*": 4,
    "/": 4,
    "^": 5,
}
_PERCENT = 6
_PREFIX = 7


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


_CELL = re.compile(r"(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})")


def _corner(text: str, row: int, col: int) -> Corner:
    """'A1', '$A1', 'A$1' or '$A$1' in a formula of cell (row, col), kept relative."""
    match = _CELL.fullmatch(text)
    if match is None:
        raise ValueError(text)
    col_mark, letters, row_mark, digits = match.groups()
    number, line = _column(letters.upper()), int(digits)
    return Corner(
        number if col_mark else number - col,
        line if row_mark else line - row,
        bool(col_mark),
        bool(row_mark),
    )


def _operand(token: Token, row: int, col: int) -> Node:
    value = token.value
    if token.subtype == Token.NUMBER:
        return Constant(float(value))
    if token.subtype == Token.TEXT:
        return Constant(value[1:-1].replace('""', '"'))
    if token.subtype == Token.LOGICAL:
        return Constant(value.upper() == "TRUE")
    if token.subtype == Token.ERROR:
        return Constant(value.upper(), error=True)
    sheet: str | None = None
    if "!" in value:
        sheet, value = value.rsplit("!", 1)
        if sheet.startswith("'"):
            sheet = sheet[1:-1].replace("''", "'")
        if sheet.startswith("["):
            raise Unsupported(token.value)  # another workbook
    try:
        first, _, last = value.partition(":")
        start = _corner(first, row, col)
        return Reference(sheet, start, _corner(last, row, col) if last else start)
    except ValueError:
        if sheet is None and value.replace("_", "").replace(".", "").isalnum():
            return Name(value.upper())
        raise Unsupported(token.value) from None


class _Parser:
    """Precedence climbing over the token list (whitespace tokens dropped)."""

    def __init__(self, tokens: list[Token], row: int, col: int) -> None:
        self.tokens = [token for token in tokens if token.type != Token.WSPACE]
        self.at = 0
        self.row, self.col = row, col

    def peek(self) -> Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise Unsupported("formula ends too early")
        self.at += 1
        return token

    def expression(self, floor: int = 0) -> Node:
        left = self.prefix()
        while True:
            token = self.peek()
            if token is None:
                return left
            if token.type == Token.OP_POST:
                self.at += 1
                left = Operation("%", left)
                continue
            if token.type != Token.OP_IN or token.value not in _INFIX:
                return left
            power = _INFIX[token.value]
            if power <= floor:
                return left
            self.at += 1
            # ^ is left-associative in Excel, as are all the others.
            left = Operation(token.value, left, self.expression(power))

    def prefix(self) -> Node:
        token = self.take()
        if token.type == Token.OP_PRE:
            operand = self.prefix()
            while (nxt := self.peek()) is not None and nxt.type == Token.OP_POST:
                self.at += 1
                operand = Operation("%", operand)
            return Operation(token.value, operand)
        if token.type == Token.OPERAND:
            return _operand(token, self.row, self.col)
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            inner = self.expression()
            close = self.take()
            if close.type != Token.PAREN:
                raise Unsupported("unbalanced parenthesis")
            return inner
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            return self.call(token.value[:-1].upper().removeprefix("_XLFN."))
        raise Unsupported(f"unexpected {token.value!r}")

    def call(self, name: str) -> Call:
        args: list[Node] = []
        nxt = self.peek()
        if nxt is not None and nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE:
            self.at += 1
            return Call(name, ())
        while True:
            nxt = self.peek()
            if nxt is not None and (
                (nxt.type == Token.SEP and nxt.subtype == Token.ARG)
                or (nxt.type == Token.FUNC and nxt.subtype == Token.CLOSE)
            ):
                args.append(Missing())
            else:
                args.append(self.expression())
            token = self.take()
            if token.type == Token.FUNC and token.subtype == Token.CLOSE:
                return Call(name, tuple(args))
            if not (token.type == Token.SEP and token.subtype == Token.ARG):
                raise Unsupported(f"unexpected {token.value!r} in {name}")


# A cell reference outside quotes: not part of a name (TTHC_X1), a function (LOG10(),
# a number (1E5) or an unquoted sheet name (Sheet1!).
_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9_.$])(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(!])"
)
_QUOTED = re.compile(r"(\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*')")
_shapes: dict[str, Node] = {}
_SHAPES_KEPT = 20_000


def _shape(formula: str, row: int, col: int) -> str:
    """The formula with each relative part of a reference as an offset from (row, col)."""

    def offset(match: re.Match[str]) -> str:
        col_mark, letters, row_mark, digits = match.groups()
        number, line = _column(letters.upper()), int(digits)
        return (
            f"{col_mark or '~'}{number if col_mark else number - col}"
            f"{row_mark or '~'}{line if row_mark else line - row}|"
        )

    parts = _QUOTED.split(formula)
    return "".join(
        part if index % 2 else _REFERENCE.sub(offset, part) for index, part in enumerate(parts)
    )


def parse_formula(formula: str, row: int = 1, col: int = 1) -> Node:
    """The tree of a formula in cell (row, col) as the cell holds it ('=SUM(A1:A3)').

    Raises `Unsupported` for what the grammar does not cover. Formulas of one shape
    (see the module's docstring) share one tree.
    """
    key = _shape(formula, row, col)
    tree = _shapes.get(key)
    if tree is None:
        tree = _parse(formula, row, col)
        if len(_shapes) >= _SHAPES_KEPT:
            _shapes.clear()
        _shapes[key] = tree
    return tree


def _parse(formula: str, row: int, col: int) -> Node:
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError as problem:
        raise Unsupported(str(problem)) from None
    parser = _Parser(tokens, row, col)
    tree = parser.expression()
    if parser.peek() is not None:
        raise Unsupported(f"unexpected {parser.peek().value!r}")  # type: ignore[union-attr]
    return tree
