"""Written workbooks carry each formula's value, computed without any spreadsheet program.

A clerk's Windows PC rarely has LibreOffice, and Excel's Protected View, file
previews and pandas show the stored value, not a recalculation. These tests read
the written files with openpyxl (``data_only=True``: the stored values only) and
check the values against the seed, the core and Excel's rules (formula_cases);
tests/workbook/test_workbook_libreoffice.py checks them against LibreOffice.
"""

from __future__ import annotations

import re
import zipfile
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from formula_cases import CASES, DATA_SHEET, FORMULA_COLUMN, UNCOMPUTED, cases_workbook
from helpers import sample_data
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.workbook.formula_parser import parse_formula
from tthc.workbook.formula_values import XlError
from tthc.workbook.layout import SHEETS
from tthc.workbook.output import build_output_workbook, workbook_bytes
from tthc.workbook.template import build_workbook


def _stored(workbook: Workbook) -> Workbook:
    return load_workbook(BytesIO(workbook_bytes(workbook)), data_only=True)


def _formula_cells(workbook: Workbook) -> list[tuple[str, str]]:
    return [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


@pytest.fixture(scope="module")
def seed_books() -> dict[str, Workbook]:
    report = load_report(sample_data()).report
    assert report is not None
    ready = run_pipeline(LoadResult(report, ())).ready
    assert ready is not None
    return {
        "template": build_workbook(),
        "filled": build_workbook(report),
        "output": build_output_workbook(report, ready.indicators, ready.narrative),
    }


_FORMULA_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>[^<]*</f><v>([^<]*)</v></c>')


@pytest.mark.parametrize("variant", ["template", "filled", "output"])
def test_every_formula_has_a_stored_value(seed_books: dict[str, Workbook], variant: str) -> None:
    """No formula cell is saved without its value; an empty result is stored as empty text."""
    built = seed_books[variant]
    data = workbook_bytes(built)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        parts = [archive.read(name) for name in archive.namelist() if "worksheets/sheet" in name]
    formulas = sum(part.count(b"<f>") for part in parts)
    assert formulas == len(_formula_cells(built)) > 300
    stored = [match for part in parts for match in _FORMULA_CELL.findall(part)]
    assert len(stored) == formulas
    unvalued = [
        ref for ref, attributes, value in stored if not value and b't="str"' not in attributes
    ]
    assert unvalued == []
    reread = load_workbook(BytesIO(data))  # the formulas themselves are kept
    assert _formula_cells(reread) == _formula_cells(built)


def test_seed_figures_are_stored(seed_books: dict[str, Workbook]) -> None:
    """The figures the seed prints (checked by hand): 1.132 received, 1.131 resolved, 1 pending."""
    stored = _stored(seed_books["filled"])
    grid = stored[SHEETS["grid"]]
    total = next(row for row in range(8, 60) if grid.cell(row, 2).value == "Tổng cộng")
    assert (grid.cell(total, 3).value, grid.cell(total, 7).value, grid.cell(total, 13).value) == (
        1132,
        1131,
        1,
    )
    assert grid["A2"].value == (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 3 NĂM 2026 CỦA XÃ BÌNH GIANG"
    )
    assert stored[SHEETS["info"]]["C10"].value == "tháng 3 năm 2026"
    summary = stored[SHEETS["summary"]]
    first = [summary.cell(5, column).value for column in range(1, 9)]
    assert first == ["1.1", "Tỷ lệ nộp hồ sơ trực tuyến", "Toàn xã", 1132, 1132, 1, "≥ 60%", "Đạt"]


def test_formulas_follow_excel_rules() -> None:
    """Blanks, text against numbers, criteria, errors, precedence: see formula_cases."""
    stored = _stored(cases_workbook())[DATA_SHEET]
    for row, (formula, expected) in enumerate(CASES, 1):
        value = stored.cell(row, FORMULA_COLUMN).value
        if isinstance(expected, XlError):
            assert value == expected.code, formula
        elif isinstance(expected, float):
            assert value == pytest.approx(expected), formula
        else:
            assert value == expected and type(value) is type(expected), formula


def test_formulas_beyond_the_evaluator_are_left_to_the_spreadsheet() -> None:
    """An array constant or a circular reference: no value stored rather than a wrong one."""
    data = workbook_bytes(cases_workbook())
    stored = load_workbook(BytesIO(data), data_only=True)[DATA_SHEET]
    assert [stored.cell(row, 6).value for row in range(1, len(UNCOMPUTED) + 1)] == [None, None]
    with zipfile.ZipFile(BytesIO(data)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml")
    assert xml.count(b"</f><v></v></c>") + xml.count(b"</f><v /></c>") == len(UNCOMPUTED)


def test_one_parse_per_shape_only_when_nothing_but_references_moved() -> None:
    """A formula copied down shares its tree; a different text or absolute row does not."""
    first = parse_formula('=SUM(D8:F8)&"D8"', 8, 1)
    assert parse_formula('=SUM(D9:F9)&"D8"', 9, 1) is first  # copied one row down
    assert parse_formula('=SUM(D9:F9)&"D9"', 9, 1) is not first  # the text differs
    fixed = parse_formula("=SUM($D$8:F8)", 8, 1)
    assert parse_formula("=SUM($D$8:F9)", 9, 1) is fixed
    assert parse_formula("=SUM($D$9:F9)", 9, 1) is not fixed  # another absolute row
    assert parse_formula("='Q1'!A1", 1, 1) is not parse_formula("='Q2'!A1", 1, 1)
