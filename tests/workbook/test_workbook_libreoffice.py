"""The workbook as LibreOffice computes and prints it.

The workbooks are saved here as openpyxl writes them, formulas without values,
so that LibreOffice must recalculate: that is what a user without Excel (or
without our add-in) gets, and the reference the values our writer stores
(`workbook_bytes`, computed without LibreOffice) are checked against. LibreOffice
headless does that here: the native formulas of the Phụ lục and Chỉ tiêu sheets
must agree with the core, the per-row checks must name the broken identity, no
cell may show an error value, and the printout must stay the same number of
pages and keep its Vietnamese text intact.

Slow parts (building, each LibreOffice conversion) run once per module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import column_index_from_string, range_boundaries

from formula_cases import CASES, DATA_SHEET, FORMULA_COLUMN, cases_workbook
from helpers import MISSING, core_summary, sample_data, shown
from tthc.core.grid import Counts
from tthc.core.indicators import department_counts, indicator_parts
from tthc.core.labels import TITLES
from tthc.core.model import Convention, ExtraValues, ReportInput
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.core.vn_format import format_period_label
from tthc.infra.libreoffice import convert, convert_many, find_soffice, pdf_page_count, pdf_to_png
from tthc.workbook.layout import SHEETS
from tthc.workbook.output import build_output_workbook, workbook_bytes
from tthc.workbook.period_formula import period_label_formula
from tthc.workbook.template import build_workbook

pytestmark = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) chưa được cài: bỏ qua phần tính lại và in thử workbook.",
)

needs_poppler = pytest.mark.skipif(
    any(shutil.which(tool) is None for tool in ("pdftoppm", "pdfinfo", "pdftotext")),
    reason="poppler-utils (pdftoppm, pdfinfo, pdftotext) chưa được cài: bỏ qua phần in thử.",
)

CHECK_OK = "✓"
ERROR_LITERALS = ("#NAME?", "#VALUE!", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!")
# The add-in's worksheet functions, which LibreOffice cannot know.
UDF_CALL = re.compile(r"\bTTHC_[A-Z_]+\(")
UDF_COLUMNS = ("J",)  # Tổng hợp's check column; the figures D…H are native formulas

# What LibreOffice prints, sheet by sheet, each page A4 at 11 pt: Thông tin's lists take a
# second page; Phụ lục of the empty template lists the 32 catalogue fields and the spare
# rows (two pages), a filled month only its fields with dossiers (the others fold away);
# Tổng hợp is the summary, then the chart with its table.
PAGES_BY_SHEET = {
    "info": 2,
    "grid": 1,
    "extras": 1,
    "catalogue": 1,
    "summary": 2,
    "narrative": 1,
}
PAGES = {
    "empty": {**PAGES_BY_SHEET, "grid": 2},
    "filled": PAGES_BY_SHEET,
    "output": {**PAGES_BY_SHEET, "narrative": 2},  # the report text takes two pages
}
LANDSCAPE = {"grid", "extras", "summary"}  # the others print portrait
# Helper columns that help on screen and must not reach the paper.
OFF_PAPER = {
    "grid": ("Phòng chuyên môn", "Kiểm tra"),
    "extras": ("Có số liệu",),
    "summary": ("Kiểm tra bằng add-in", "cần add-in"),
}
# The first line of each sheet's printout, to tell which pages belong to which sheet.
PAGE_TITLES = {
    "info": "THÔNG TIN BÁO CÁO",
    "grid": "PHỤ LỤC",
    "extras": "SỐ LIỆU CÁC CHỈ TIÊU",
    "catalogue": "DANH MỤC LĨNH VỰC",
    "summary": "TỔNG HỢP CÁC CHỈ TIÊU",
    "narrative": "Trang này được điền",
}
OUTPUT_NARRATIVE_TITLE = "UBND XÃ BÌNH GIANG"  # the output's Báo cáo starts with the header


# --- fixtures: build, save and convert once -------------------------------------------


@pytest.fixture(scope="module")
def report() -> ReportInput:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report


def _qd766(report: ReportInput) -> ReportInput:
    return replace(report, settings=replace(report.settings, convention=Convention.QD766))


def _strict(report: ReportInput) -> ReportInput:
    return replace(report, settings=replace(report.settings, strict_on_time=True))


def _no_unit_extras(report: ReportInput) -> ReportInput:
    """Only the departments' inputs of 1.2–1.6: the unit's figures are their sums."""
    return replace(report, extras=replace(report.extras, unit=ExtraValues()))


def _grid_bounds(workbook: Workbook, name: str) -> tuple[str, int, int, int, int]:
    """(sheet title, min col, min row, max col, max row) of a workbook-scope defined name."""
    ((title, ref),) = list(workbook.defined_names[name].destinations)
    min_col, min_row, max_col, max_row = range_boundaries(ref.replace("$", ""))
    return title, min_col, min_row, max_col, max_row


def _row_of(workbook: Workbook, field: str) -> int:
    title, min_col, min_row, _, max_row = _grid_bounds(workbook, "TTHC_GRID")
    sheet = workbook[title]
    for row in range(min_row, max_row + 1):
        if sheet.cell(row, min_col).value == field:
            return row
    raise AssertionError(f"{field!r} is not in TTHC_GRID")


# Three typical slips (see _break) and the check text each must produce.
BROKEN_CHECKS = {
    "Đất đai": "(3)≠(4)+(5)+(6). (3)≠(7)+(13).",
    "Giáo dục": "Có số âm.",
    "Hộ kinh doanh": "(3)≠(7)+(13).",
}


def _break(workbook: Workbook) -> None:
    """Type the slips of BROKEN_CHECKS into a filled workbook.

    - Đất đai: (3) typed over with 11 although (4)+(5)+(6) = 10, which also breaks (3)=(7)+(13).
    - Giáo dục: (8) = -1 and (11) = 2, so (7) still equals (3) and only the sign is wrong.
    - Hộ kinh doanh: (14) = 2 pending although all 65 were resolved: (3) ≠ (7)+(13).
    """
    sheet = workbook[SHEETS["grid"]]
    sheet[f"C{_row_of(workbook, 'Đất đai')}"] = 11
    education = _row_of(workbook, "Giáo dục")
    sheet[f"H{education}"] = -1
    sheet[f"K{education}"] = 2
    sheet[f"N{_row_of(workbook, 'Hộ kinh doanh')}"] = 2


# Periods whose names the workbook's formulas must spell as `format_period_label` does.
PERIODS = {
    "quarter": (date(2026, 1, 1), date(2026, 3, 31)),
    "february": (date(2026, 2, 1), date(2026, 2, 28)),
    "range": (date(2026, 2, 5), date(2026, 3, 20)),
    "half": (date(2026, 7, 1), date(2026, 12, 31)),
    "year": (date(2026, 1, 1), date(2026, 12, 31)),
    "across-years": (date(2025, 12, 1), date(2026, 1, 31)),
}


def _periods_workbook(report: ReportInput) -> Workbook:
    """The filled workbook with a sheet of PERIODS: start, end, the label's formula on them.

    One workbook for all periods (each LibreOffice conversion costs about a second); the
    formula is the one TTHC_PERIOD_LABEL holds, on other cells.
    """
    workbook = build_workbook(report)
    sheet = workbook.create_sheet("Kỳ")
    for row, (start, end) in enumerate(PERIODS.values(), 1):
        sheet.cell(row, 1, start)
        sheet.cell(row, 2, end)
        sheet.cell(row, 3, f"={period_label_formula(f'A{row}', f'B{row}')}")
    return workbook


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory, report: ReportInput) -> dict[str, Path]:
    """The workbooks as openpyxl writes them: formulas without values."""
    folder = tmp_path_factory.mktemp("built")
    broken = build_workbook(report)
    _break(broken)
    result = run_pipeline(LoadResult(report, ()))
    assert result.ready is not None
    workbooks = {
        "empty": build_workbook(),
        "filled": build_workbook(report),
        "qd766": build_workbook(_qd766(report)),
        "strict": build_workbook(_strict(report)),
        "department-extras": build_workbook(_no_unit_extras(report)),
        "broken": broken,
        "output": build_output_workbook(report, result.ready.indicators, result.ready.narrative),
        "periods": _periods_workbook(report),
        "cases": cases_workbook(),
    }
    paths = {}
    for variant, workbook in workbooks.items():
        paths[variant] = folder / f"{variant}.xlsx"
        workbook.save(paths[variant])
    return paths


@pytest.fixture(scope="module")
def recalculated(
    tmp_path_factory: pytest.TempPathFactory, saved: dict[str, Path]
) -> dict[str, Workbook]:
    """Each workbook recalculated by LibreOffice (xlsx -> xlsx into another folder)."""
    folder = tmp_path_factory.mktemp("recalculated")
    produced = convert_many(list(saved.values()), "xlsx", folder)  # one LibreOffice start
    return {
        variant: load_workbook(path, data_only=True)
        for variant, path in zip(saved, produced, strict=True)
    }


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, saved: dict[str, Path]) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    variants = ("empty", "filled", "output")
    produced = convert_many([saved[variant] for variant in variants], "pdf", folder)
    return dict(zip(variants, produced, strict=True))


def _page_texts(pdf: Path) -> list[str]:
    """The text of each page; pdftotext ends every page with a form feed."""
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    )
    pages = result.stdout.split("\f")
    assert pages[-1].strip() == ""
    return pages[:-1]


def _sheet_of_pages(texts: list[str]) -> list[str]:
    """Which sheet each page belongs to: a page without a title continues the previous one."""
    owners: list[str] = []
    titles = {**PAGE_TITLES, "output_narrative": OUTPUT_NARRATIVE_TITLE}
    for text in texts:
        found = [key for key, title in titles.items() if text.lstrip().startswith(title)]
        found = ["narrative" if key == "output_narrative" else key for key in found]
        assert found or owners, f"the first page has no known title: {text[:80]!r}"
        owners.append(found[0] if found else owners[-1])
    return owners


def _blank(value: object) -> bool:
    return value is None or value == ""


# --- 1. native formulas against the core ------------------------------------------------


def test_grid_rows_match_the_core(recalculated: dict[str, Workbook], report: ReportInput) -> None:
    workbook = recalculated["filled"]
    title, first_col, first, _, last = _grid_bounds(workbook, "TTHC_GRID")
    check_title, check_col, check_first, _, check_last = _grid_bounds(workbook, "TTHC_GRID_CHECK")
    assert (title, first_col, check_title, check_first, check_last) == (
        SHEETS["grid"],
        column_index_from_string("B"),
        SHEETS["grid"],
        first,
        last,
    )
    sheet = workbook[title]
    at = {sheet[f"B{r}"].value: r for r in range(first, last + 1)}
    listed = [
        r
        for r in range(first, last + 1)
        if sheet[f"B{r}"].value in {row.field for row in report.rows}
    ]
    assert [sheet[f"B{r}"].value for r in listed] == [row.field for row in report.rows]
    for row in report.rows:
        r = at[row.field]
        got = {n: sheet.cell(r, n).value for n in (3, 7, 13)}  # column index = form column
        assert got == {n: row.counts.value(n) for n in (3, 7, 13)}, row.field
        assert sheet[f"Q{r}"].value == report.catalogue.department_of(row.field)
        assert sheet.cell(r, check_col).value == CHECK_OK, row.field
    for r in (r for r in range(first, last + 1) if r not in listed):
        field = sheet[f"B{r}"].value
        where = f"{title}!{r} {field!r}"
        assert all(_blank(sheet[f"{letter}{r}"].value) for letter in "CGM"), where
        assert _blank(sheet.cell(r, check_col).value), where
        if _blank(field):
            assert _blank(sheet[f"Q{r}"].value), where
        else:
            assert sheet[f"Q{r}"].value == report.catalogue.department_of(field), where


def test_total_row_matches_the_core(recalculated: dict[str, Workbook], report: ReportInput) -> None:
    workbook = recalculated["filled"]
    title, min_col, row, max_col, _ = _grid_bounds(workbook, "TTHC_GRID_TOTAL")
    sheet = workbook[title]
    assert (min_col, max_col) == (2, 16)
    assert sheet.cell(row, min_col).value == "Tổng cộng"
    got = {n: sheet.cell(row, n).value for n in range(3, 17)}
    assert got == {n: report.total.value(n) for n in range(3, 17)}
    assert got[3] == 1132
    _, check_col, _, _, _ = _grid_bounds(workbook, "TTHC_GRID_CHECK")
    assert sheet.cell(row, check_col).value == CHECK_OK


@pytest.mark.parametrize("variant", ["filled", "qd766"])
def test_extras_denominators_match_the_core(
    recalculated: dict[str, Workbook], report: ReportInput, variant: str
) -> None:
    if variant == "qd766":
        report = _qd766(report)
    workbook = recalculated[variant]
    title, _, first, _, last = _grid_bounds(workbook, "TTHC_EXTRAS")
    sheet = workbook[title]
    unit_label = f"Toàn {report.unit.kind.value}"
    by_department = department_counts(report)
    labels = []
    for r in range(first, last + 1):
        label = sheet[f"A{r}"].value
        labels.append(label)
        counts: Counts = report.total if label == unit_label else by_department[label]
        for code, letter in (("1.3", "D"), ("1.4", "F"), ("1.5", "H")):
            _, denominator = indicator_parts(code, counts, ExtraValues(), report.settings)
            assert sheet[f"{letter}{r}"].value == denominator, (variant, label, code)
    assert labels == [*report.catalogue.department_names, unit_label]


def test_grid_title_names_the_unit_and_the_period(
    recalculated: dict[str, Workbook], report: ReportInput
) -> None:
    """Phụ lục's title is the Word appendix's, period included, however the period runs."""
    result = run_pipeline(LoadResult(report, ()))
    assert result.ready is not None
    title = recalculated["filled"][SHEETS["grid"]]["A2"].value
    assert title == result.ready.narrative.appendix.title
    assert title == (
        "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 3 NĂM 2026 CỦA XÃ BÌNH GIANG"
    )
    expected = {  # by hand, Nghị định 30/2020's dates: day padded, months 1–2 padded
        "quarter": "quý I năm 2026",
        "february": "tháng 02 năm 2026",
        "range": "từ ngày 05/02/2026 đến ngày 20/3/2026",
        "half": "6 tháng cuối năm 2026",
        "year": "năm 2026",
        "across-years": "từ ngày 01/12/2025 đến ngày 31/01/2026",
    }
    periods = recalculated["periods"]["Kỳ"]
    for row, (name, (start, end)) in enumerate(PERIODS.items(), 1):
        label = periods.cell(row, 3).value
        assert label == expected[name] == format_period_label(start, end), name
    # And the wiring: the March label on Thông tin, and the title built on it.
    workbook = recalculated["filled"]
    label_title, column, row, _, _ = _grid_bounds(workbook, "TTHC_PERIOD_LABEL")
    assert workbook[label_title].cell(row, column).value == "tháng 3 năm 2026"


def _in_name(workbook: Workbook, name: str, title: str, cell: Any) -> bool:
    """Whether `cell` of sheet `title` lies in the range a defined name points to."""
    if name not in workbook.defined_names:
        return False
    area_title, first_col, first_row, last_col, last_row = _grid_bounds(workbook, name)
    return (
        area_title == title
        and first_col <= cell.column <= last_col
        and first_row <= cell.row <= last_row
    )


def _error_cells(formulas: Workbook, values: Workbook) -> Iterator[tuple[str, str, object]]:
    """(sheet, cell, value) of every error value outside the add-in's function cells."""
    for sheet in values.worksheets:
        source = formulas[sheet.title]
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                is_error = cell.data_type == "e" or (
                    isinstance(value, str)
                    and (value in ERROR_LITERALS or value.startswith(("Err:", "###")))
                )
                if not is_error:
                    continue
                formula = source[cell.coordinate].value
                if isinstance(formula, str) and UDF_CALL.search(formula):
                    continue
                if value == "#N/A" and _in_name(values, "TTHC_CHART_DATA", sheet.title, cell):
                    continue  # the chart's hidden copy: #N/A is how a chart skips a rate
                yield sheet.title, cell.coordinate, value


@pytest.mark.parametrize("variant", ["empty", "filled", "qd766"])
def test_no_error_values_after_recalculation(
    saved: dict[str, Path], recalculated: dict[str, Workbook], variant: str
) -> None:
    formulas = load_workbook(saved[variant])
    assert list(_error_cells(formulas, recalculated[variant])) == []


REPORTS = {
    "filled": lambda report: report,
    "qd766": _qd766,
    "strict": _strict,
    "department-extras": _no_unit_extras,
}


@pytest.mark.parametrize("variant", sorted(REPORTS))
def test_the_summary_shows_the_core_s_figures_without_the_add_in(
    report: ReportInput, recalculated: dict[str, Workbook], variant: str
) -> None:
    """LibreOffice has no tthc add-in: Tổng hợp's native formulas still give every figure.

    Tử số, Mẫu số, Tỷ lệ and Kết quả equal the core's on every row (a missing input
    reads «chưa có số liệu», never 0%), and the add-in's check column says it is
    missing instead of showing #NAME?.
    """
    sheet = recalculated[variant][SHEETS["summary"]]
    expected = core_summary(REPORTS[variant](report))
    wrong = []
    for row in range(5, 5 + len(expected)):
        key = (str(sheet[f"A{row}"].value), str(sheet[f"C{row}"].value))
        got = tuple(sheet[f"{letter}{row}"].value for letter in "DEFH")
        want = shown(expected[key])
        got = (*got[:3], got[3] or "")
        same_rate = (
            got[2] == pytest.approx(want[2]) if isinstance(want[2], float) else got[2] == want[2]
        )
        if got[:2] != want[:2] or not same_rate or got[3] != want[3]:
            wrong.append((key, got, want))
        assert sheet[f"J{row}"].value == "cần add-in tthc"
    assert wrong == []
    assert any(shown(result)[2] == MISSING for result in expected.values())  # some are missing


def test_unit_extras_are_the_departments_sum(recalculated: dict[str, Workbook]) -> None:
    """By hand from the seed: 1.4's digitised dossiers are 1.014 + 72 + 38 = 1.124."""
    sheet = recalculated["department-extras"][SHEETS["summary"]]
    row = next(
        r
        for r in range(5, 37)
        if (sheet[f"A{r}"].value, sheet[f"C{r}"].value) == ("1.4", "Toàn xã")
    )
    assert (sheet[f"D{row}"].value, sheet[f"E{row}"].value) == (1124, 1124)


def test_only_the_summary_calls_the_add_in(saved: dict[str, Path]) -> None:
    """The error scan skips =TTHC_…() cells: make sure that is exactly Tổng hợp's column J."""
    formulas = load_workbook(saved["filled"])
    calls = {
        (sheet.title, cell.column_letter)
        for sheet in formulas.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and UDF_CALL.search(cell.value)
    }
    assert calls == {(SHEETS["summary"], letter) for letter in UDF_COLUMNS}
    output = load_workbook(saved["output"])  # values only: nothing asks for the add-in
    assert not [
        (sheet.title, cell.coordinate)
        for sheet in output.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and UDF_CALL.search(cell.value)
    ]


@pytest.mark.parametrize("variant", ["empty", "filled"])
def test_chart_table_never_shows_a_missing_rate_as_a_figure(
    recalculated: dict[str, Workbook], variant: str
) -> None:
    """The chart's small table (below the summary): each rate as Tổng hợp's column F has it;
    a rate that is not a number (missing, did not arise, no target) shows «–» in the printed
    table and is #N/A in the chart's hidden copy (TTHC_CHART_DATA), which a chart leaves out:
    never 0%, never a bar at 0."""
    workbook = recalculated[variant]
    sheet = workbook[SHEETS["summary"]]
    top = next(r for r in range(1, sheet.max_row + 1) if sheet[f"C{r}"].value == "Chỉ tiêu")
    assert top > 36  # below the 32 summary rows, so the summary prints at a readable size
    data_title, data_left, data_top, data_right, data_bottom = _grid_bounds(
        workbook, "TTHC_CHART_DATA"
    )
    assert (data_title, data_top, data_bottom) == (SHEETS["summary"], top, top + 6)
    hidden = {
        column
        for dimension in sheet.column_dimensions.values()
        if dimension.hidden and dimension.min is not None
        for column in range(dimension.min, (dimension.max or dimension.min) + 1)
    }
    assert set(range(data_left, data_right + 1)) <= hidden
    width = data_right - data_left  # scopes and the target
    rates = {
        (str(sheet[f"A{r}"].value), str(sheet[f"C{r}"].value)): sheet[f"F{r}"].value
        for r in range(5, top)
        if sheet[f"A{r}"].value
    }
    scopes = [sheet.cell(top, 3 + offset).value for offset in range(1, width)]
    marks = 0
    for row in range(top + 1, top + 7):  # six charted indicators: 1.1-1.6 carry targets
        code = str(sheet[f"C{row}"].value)
        assert sheet.cell(row, data_left).value == code
        for offset, scope in enumerate(scopes, 1):
            rate = rates[(code, str(scope))]
            shown_value = sheet.cell(row, 3 + offset).value
            charted = sheet.cell(row, data_left + offset).value
            if isinstance(rate, int | float):
                assert shown_value == pytest.approx(rate) and charted == pytest.approx(rate)
            else:
                marks += 1
                assert shown_value == "–", (code, scope, shown_value)
                assert charted == "#N/A", (code, scope, charted)
    assert marks > 0  # departments give no payment figures in either variant


# --- 2. the check column names what is wrong ---------------------------------------------


def test_check_column_names_each_broken_identity(
    recalculated: dict[str, Workbook], report: ReportInput
) -> None:
    workbook = recalculated["broken"]
    sheet = workbook[SHEETS["grid"]]
    for row in report.rows:
        expected = BROKEN_CHECKS.get(row.field, CHECK_OK)
        assert sheet[f"R{_row_of(workbook, row.field)}"].value == expected, row.field
    title, _, total, _, _ = _grid_bounds(workbook, "TTHC_GRID_TOTAL")
    assert title == SHEETS["grid"]
    # (3) = 1.133 but (7)+(13) = 1.131+3: the total row reports its own identity first.
    assert sheet[f"R{total}"].value == "(3)≠(7)+(13)."
    assert sheet[f"R{total}"].value != CHECK_OK


# --- 3. rendering ---------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("variant", sorted(PAGES))
def test_page_count_is_stable(pdfs: dict[str, Path], variant: str) -> None:
    pdf = pdfs[variant]
    owners = _sheet_of_pages(_page_texts(pdf))
    assert pdf_page_count(pdf) == len(owners) == sum(PAGES[variant].values())
    assert {key: owners.count(key) for key in PAGES_BY_SHEET} == PAGES[variant]
    assert owners == sorted(owners, key=list(PAGES_BY_SHEET).index)  # sheets in order


def _words(pdf: Path, page: int) -> tuple[tuple[float, float], list[tuple[float, str]]]:
    """(page width, height) and each word's box height in points, from pdftotext -bbox."""
    page_text = str(page)
    result = subprocess.run(
        ["pdftotext", "-bbox", "-f", page_text, "-l", page_text, str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
        encoding="utf-8",
    )
    size = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', result.stdout)
    assert size is not None
    words = [
        (float(m.group(2)) - float(m.group(1)), m.group(3))
        for m in re.finditer(
            r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<', result.stdout
        )
    ]
    return (float(size.group(1)), float(size.group(2))), words


# A word's box is its font's ascent plus descent: 1,03 times the size for the Times New
# Roman metrics (Liberation Serif), measured on the Word report's 13 pt body.
BOX_PER_POINT = 1.03
SMALLEST_POINTS = 10


@needs_poppler
@pytest.mark.parametrize("variant", sorted(PAGES))
def test_every_sheet_prints_legibly_as_the_form(pdfs: dict[str, Path], variant: str) -> None:
    """Each page: A4 in its sheet's orientation, every word at 10 pt or more (fit-to-width
    shrank Phụ lục to about 7 pt before), and no helper column on the paper."""
    pdf = pdfs[variant]
    texts = _page_texts(pdf)
    for page, (text, owner) in enumerate(zip(texts, _sheet_of_pages(texts), strict=True), 1):
        (width, height), words = _words(pdf, page)
        assert sorted((round(width), round(height))) == [595, 842], (page, width, height)
        assert (width > height) is (owner in LANDSCAPE), (page, owner)
        small = [word for box, word in words if box / BOX_PER_POINT < SMALLEST_POINTS - 0.05]
        assert small == [], (page, owner, small[:10])
        for helper in OFF_PAPER.get(owner, ()):
            assert helper not in text, (page, owner, helper)


@needs_poppler
def test_a_filled_month_prints_only_the_fields_with_dossiers(
    pdfs: dict[str, Path], report: ReportInput
) -> None:
    """Phụ lục as the Word appendix lists it: numbered 1–7, the 25 fields without dossiers
    and the spare rows folded away (still in the file, one «+» from the screen)."""
    for variant in ("filled", "output"):
        texts = _page_texts(pdfs[variant])
        grid = texts[_sheet_of_pages(texts).index("grid")]
        listed = [row.field for row in report.rows if not row.counts.is_empty()]
        assert len(listed) == 7
        assert all(field in grid for field in listed)
        unused = [f for f in report.catalogue.field_names if f not in listed]
        assert len(unused) == 25
        assert [field for field in unused if field in grid] == []


@needs_poppler
def test_page_images_are_rendered(
    pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    pdf = pdfs["filled"]
    grid_page = _sheet_of_pages(_page_texts(pdf)).index("grid") + 1
    folder = tmp_path_factory.mktemp("png")
    first = pdf_to_png(pdf, folder, first=1, last=1)
    grid = pdf_to_png(pdf, folder, first=grid_page, last=grid_page)
    assert len(first) == 1 and len(grid) == 1
    for image in (*first, *grid):
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert image.stat().st_size > 10_000, image  # a blank A4 page at 60 dpi is ~2 kB


@needs_poppler
def test_printed_text_keeps_vietnamese_and_shows_no_errors(pdfs: dict[str, Path]) -> None:
    texts = _page_texts(pdfs["filled"])
    owners = _sheet_of_pages(texts)
    whole = "\n".join(texts)
    assert "Bình Giang" in whole
    assert "Tổng cộng" in whole
    grid = texts[owners.index("grid")]
    assert "1.132" in grid or "1,132" in grid  # thousands separator follows the locale
    # The Word appendix's title, period included.
    title = "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÁNG 3 NĂM 2026 CỦA XÃ BÌNH GIANG"
    assert title in grid
    assert "###" not in whole  # a number too wide for its column
    for text, owner in zip(texts, owners, strict=True):
        if owner != "summary":  # the add-in cells show #NAME? without the add-in
            assert not any(error in text for error in (*ERROR_LITERALS, "Err:")), owner


@needs_poppler
def test_every_printed_page_has_content_and_the_catalogue_is_one_page_wide(
    pdfs: dict[str, Path],
) -> None:
    texts = _page_texts(pdfs["empty"])
    owners = _sheet_of_pages(texts)
    blank = [page for page, text in enumerate(texts, 1) if not text.strip()]
    assert blank == []
    assert owners.count("catalogue") <= 2


@needs_poppler
def test_summary_prints_whole_indicator_names(pdfs: dict[str, Path], report: ReportInput) -> None:
    texts = _page_texts(pdfs["filled"])
    summary = " ".join(texts[_sheet_of_pages(texts).index("summary")].split())
    # Each name once, in a cell merged beside its scopes, wrapped there (so its lines
    # interleave with the cells beside it in the extracted text), never clipped: a word
    # cut off at the cell's edge would be missing from the page.
    words = summary.split()
    missing = {
        code: [word for word in title.split() if word not in words]
        for code, title in TITLES.items()
    }
    assert missing == {code: [] for code in TITLES}


@needs_poppler
def test_the_output_workbook_prints_its_summary_and_report(pdfs: dict[str, Path]) -> None:
    """The file `tthc report` writes: values instead of add-in formulas, the report text."""
    texts = _page_texts(pdfs["output"])
    owners = _sheet_of_pages(texts)
    whole = "\n".join(texts)
    assert not any(error in whole for error in (*ERROR_LITERALS, "Err:"))
    summary = " ".join(texts[owners.index("summary")].split())
    assert "Đạt" in summary and "chưa có số liệu" in summary
    narrative = [t for t, o in zip(texts, owners, strict=True) if o == "narrative"]
    report_text = " ".join("\n".join(narrative).split())
    for figure in (
        "1.018/1.018 hồ sơ",
        "1.124/1.124 hồ sơ",
        "01/01 phản ánh, kiến nghị",
        "Đạt chỉ tiêu giao.",
        "ngày 01 tháng 4 năm 2026",
        "Nguyễn Xuân Thành",
    ):
        assert figure in report_text, figure


def test_the_output_workbook_recalculates_without_errors(
    saved: dict[str, Path], recalculated: dict[str, Workbook]
) -> None:
    formulas = load_workbook(saved["output"])
    assert list(_error_cells(formulas, recalculated["output"])) == []


def _same(stored: object, recalculated: object) -> bool:
    if isinstance(stored, int | float) and isinstance(recalculated, int | float):
        return stored == pytest.approx(recalculated, rel=1e-12, abs=1e-12)
    return stored == recalculated or (stored in (None, "") and recalculated in (None, ""))


@pytest.mark.parametrize(
    "variant", ["empty", "filled", "qd766", "strict", "broken", "output", "periods", "cases"]
)
def test_stored_values_equal_libreoffice_recalculation(
    saved: dict[str, Path], recalculated: dict[str, Workbook], variant: str
) -> None:
    """Every value the writer stores (computed by the evaluator, no LibreOffice) is what
    LibreOffice computes from the same formulas; the formula cases' expectations too."""
    formulas = load_workbook(saved[variant])
    stored = load_workbook(BytesIO(workbook_bytes(formulas)), data_only=True)
    theirs = recalculated[variant]
    compared = 0
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type != "f" or (variant == "cases" and cell.column != FORMULA_COLUMN):
                    continue
                ours = stored[sheet.title][cell.coordinate].value
                lo = theirs[sheet.title][cell.coordinate].value
                assert _same(ours, lo), (sheet.title, cell.coordinate, ours, lo, cell.value[:90])
                compared += 1
    assert compared > (len(CASES) - 1 if variant == "cases" else 300)
    if variant == "cases":  # LibreOffice agrees with the rules the unit tests hold
        sheet = theirs[DATA_SHEET]
        for row, (formula, expected) in enumerate(CASES, 1):
            value = sheet.cell(row, FORMULA_COLUMN).value
            shown = expected.code if hasattr(expected, "code") else expected
            assert _same(value, shown), (formula, value, shown)


def test_stale_cached_values_are_reported(saved: dict[str, Path], tmp_path: Path) -> None:
    """A file a spreadsheet program saved carries cached results; they are cross-checked.

    LibreOffice saves the recalculated sample with its cached (3) for Hộ tịch = 343;
    the test then edits (4) in the sheet XML to 344 without recalculating, as a
    program that writes values but not formulas would.
    """
    import zipfile

    from tthc.workbook.reader import read_workbook

    recalculated = convert(saved["filled"], "xlsx", tmp_path / "lo")
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(recalculated) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet2.xml":  # Phụ lục, the second sheet
                text = data.decode("utf-8")
                edited = re.sub(r'(<c r="D8"[^>]*><v>)343(</v>)', r"\g<1>344\g<2>", text)
                assert edited != text
                data = edited.encode("utf-8")
            target.writestr(item, data)
    findings = read_workbook(stale).findings
    stale_cells = [
        (f.location.sheet, f.location.cell) for f in findings if f.code == "cell.cached_mismatch"
    ]
    assert ("Phụ lục", "C8") in stale_cells
    message = next(f.message for f in findings if f.code == "cell.cached_mismatch")
    assert message.startswith("Giá trị Excel đã lưu là 343 nhưng tính lại được 344")
