"""Formulas whose stored values follow Excel's less obvious rules, with their values.

Each expected value is Excel's documented behaviour (blank cells, text against
numbers, criteria with wildcards, error travel, operator precedence). The unit
tests check the evaluator against them without any spreadsheet program; the
LibreOffice tests recalculate the same workbook and check LibreOffice agrees, so
an expectation written wrong here cannot pass silently.
"""

from __future__ import annotations

from datetime import date

from openpyxl import Workbook
from openpyxl.workbook.defined_name import DefinedName

from tthc.workbook.formula_values import XlError

DATA_SHEET = "Dữ liệu"
# Column A of the data sheet, from row 1; None leaves the cell blank.
# No logical in A: LibreOffice counts TRUE in a range as the number 1 where Excel skips
# it (COUNT, SUMIF, …), and the evaluator follows Excel; TRUE sits alone in B2.
DATA: list[object] = [5, "abc", None, 0, -2, "Đất Đai", 2.5, "12"]
DAY_CELL = "B1"
DAY = date(2026, 3, 1)
TRUE_CELL = "B2"

CASES: list[tuple[str, object]] = [
    ("=A1+A3", 5),
    ("=A3", 0),
    ('=A3=""', True),
    ("=A3=0", True),
    ("=A2>A1", True),
    ('=A6="đất đai"', True),
    ('=A1&"x"', "5x"),
    ('=A7&""', "2.5"),
    ("=A2+1", XlError("#VALUE!")),
    ('=IFERROR(A2+1,"lỗi")', "lỗi"),
    ("=A8+1", 13),
    ("=N(A2)+N(A1)", 5),
    (f"={TRUE_CELL}+1", 2),
    (f'=IF({TRUE_CELL},"có","không")', "có"),
    ("=COUNT(A1:A8)", 4),
    ("=COUNTA(A1:A8)", 7),
    ('=COUNTIF(A1:A8,">0")', 2),
    ('=COUNTIF(A1:A8,"đất*")', 1),
    ('=COUNTIF(A1:A8,"")', 1),
    ('=COUNTIF(A1:A8,"<>abc")', 7),
    ("=COUNTIF(A1:A8,5)", 1),
    ('=SUMIF(A1:A8,">0")', 7.5),
    ('=SUMIF(A1:A8,"<>abc",A1:A8)', 5.5),
    ('=COUNTIFS(A1:A8,">-5",A1:A8,"<3")', 3),
    ('=MATCH("ĐẤT ĐAI",A1:A8,0)', 6),
    ('=MATCH("x",A1:A8,0)', XlError("#N/A")),
    ("=INDEX(A1:A8,2)", "abc"),
    ("=INDEX(A1:A8,3)", 0),
    ('=TRIM("  a   b ")', "a b"),
    ("=UPPER(A6)", "ĐẤT ĐAI"),
    ('=TEXT(7,"00")', "07"),
    (f'=DAY({DAY_CELL})&"/"&MONTH({DAY_CELL})&"/"&YEAR({DAY_CELL})', "1/3/2026"),
    (f"=DAY({DAY_CELL}+31)", 1),
    ("=MOD(-7,3)", 2),
    ('=CHOOSE(2,"I","II","III")', "II"),
    ("=-2^2", 4),
    ("=2^3*2", 16),
    ("=10%+1", 1.1),
    ("=1/0", XlError("#DIV/0!")),
    ("=SUMPRODUCT((A1:A8>0)*(A1:A8<10))", 2),
    ('=SUMPRODUCT((LEN(A1:A8)>0)*(A1:A8<>"abc"))', 6),
    ("=ISNUMBER(A8)", False),
    ("=ISTEXT(A8)", True),
    ("=AND(A1>0,A5<0)", True),
    ("=NOT(A1)", False),
    ('=IF(A1>3,"lớn")', "lớn"),
    ('=IF(A1>9,"lớn")', False),
    ("=LEN(A6)", 7),
    ("=NA()", XlError("#N/A")),
    ("=ISNUMBER(NA())", False),
    ("=SUM(DULIEU)", 5.5),
    ('=TTHC_RATE("1.1")', XlError("#NAME?")),
    ('=IFERROR(TTHC_RATE("1.1"),"cần add-in")', "cần add-in"),
    ("=C1*2", 10),  # another formula's value
    (f"='{DATA_SHEET}'!A1*3", 15),  # a quoted sheet name
]
# Formulas the evaluator leaves without a stored value (the program computes them).
UNCOMPUTED = ["=SUM({1,2})", "=F2+1"]  # an array constant; F2 refers to itself
FORMULA_COLUMN = 3  # C: CASES; E: their text; F: UNCOMPUTED


def cases_workbook() -> Workbook:
    """One sheet: DATA in column A, CASES in column C (row i+1), UNCOMPUTED in F."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    for row, value in enumerate(DATA, 1):
        if value is not None:
            sheet.cell(row, 1, value)
    sheet[DAY_CELL] = DAY
    sheet[TRUE_CELL] = True
    for row, (formula, _) in enumerate(CASES, 1):
        sheet.cell(row, FORMULA_COLUMN, formula)
        sheet.cell(row, 5, formula[1:])  # the formula as text, for a reader of the file
    for row, formula in enumerate(UNCOMPUTED, 1):
        sheet.cell(row, 6, formula)
    workbook.defined_names["DULIEU"] = DefinedName("DULIEU", attr_text=f"'{DATA_SHEET}'!$A$1:$A$8")
    return workbook
