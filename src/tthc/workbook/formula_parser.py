"""Excel formulas as trees, for the evaluator that stores each formula's value.

openpyxl's tokenizer splits a formula into operands, operators and function
brackets; this module turns that token list into a tree with Excel's operator
precedence (unary minus binds tighter than ``^``, then ``%``, ``^``, ``* /``,
``+ -``, ``&``, comparisons), so `formula_evaluator` only walks it. The grammar
is what spreadsheet users type and what our templates write; anything else (array
constants, the space intersection operator, structured references) raises
`Unsupported`, and the caller leaves that cell's value to the spreadsheet program.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError

__all__ = [
    "Call",
    "Constant",
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
class Reference:
    """A cell or rectangle, on `sheet` (None: the formula's own sheet)."""

    sheet: str | None
    min_col: int
    min_row: int
    max_col: int
    max_row: int


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


def _cell(text: str) -> tuple[int, int]:
    """(column, row) of 'A1' or '$A$1'."""
    text = text.replace("$", "").upper()
    split = len(text) - len(text.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if split == 0 or split == len(text) or not text[split:].isdigit():
        raise ValueError(text)
    return _column(text[:split]), int(text[split:])


def _operand(token: Token) -> Node:
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
        min_col, min_row = _cell(first)
        max_col, max_row = _cell(last) if last else (min_col, min_row)
    except ValueError:
        if sheet is None and value.replace("_", "").replace(".", "").isalnum():
            return Name(value.upper())
        raise Unsupported(token.value) from None
    return Reference(
        sheet,
        min(min_col, max_col),
        min(min_row, max_row),
        max(min_col, max_col),
        max(min_row, max_row),
    )


class _Parser:
    """Precedence climbing over the token list (whitespace tokens dropped)."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = [token for token in tokens if token.type != Token.WSPACE]
        self.at = 0

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
            return _operand(token)
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


@lru_cache(maxsize=4096)
def parse_formula(formula: str) -> Node:
    """The tree of a formula as a cell holds it ('=SUM(A1:A3)'); `Unsupported` otherwise."""
    try:
        tokens = Tokenizer(formula).items
    except TokenizerError as problem:
        raise Unsupported(str(problem)) from None
    parser = _Parser(tokens)
    tree = parser.expression()
    if parser.peek() is not None:
        raise Unsupported(f"unexpected {parser.peek().value!r}")  # type: ignore[union-attr]
    return tree
