"""TTHC_CHECK, TTHC_TEXT and TTHC_NUMBER called the way Excel calls them, on the seed's ranges.

The filled workbook is built from the bundled sample; its named ranges are
read back and turned into the values Excel would hand the functions through
xlwings: numbers as floats, blanks as None, a formula that gives "" as "",
and an error cell (#VALUE!) as its text (the functions ask xlwings for err_to_str).
The workbook's own formulas — (3), (7), (13) and the department looked up in
Danh mục — are evaluated here by the same rules as Excel, so no spreadsheet
engine is needed. The formulas as a whole are checked against Excel semantics
in test_workbook_formulas.py; this module is about the three text functions.

Figures taken by hand from the seed's appendix: Tổng cộng (3) = 1.132,
(4) = 1.130, (6) = 2, (7) = 1.131, (8) = 1.124, (10) = 0, (13) = 1; Văn phòng
HĐND-UBND = Hộ tịch 343 + Chứng thực 675 = 1.018 received.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest

from helpers import sample_data
from tthc.core.cell_text import CELL_LIMIT, section_paragraphs
from tthc.core.grid import INPUT_COLUMNS
from tthc.core.model import ReportInput
from tthc.core.narrative import Narrative
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.excel.grid_checks import grid_findings
from tthc.udfs import TTHC_CHECK, TTHC_NUMBER, TTHC_TEXT
from tthc.workbook.openpyxl_source import stored_values
from tthc.workbook.template import build_workbook

VP = "Văn phòng HĐND-UBND"
KT = "Phòng Kinh tế"
VHXH = "Phòng Văn hóa - Xã hội"
OUTSIDE_CATALOGUE = "(ngoài danh mục)"
DERIVED = {3: (4, 5, 6), 7: (8, 9, 10, 11, 12), 13: (14, 15, 16)}


# --- the seed's ranges as Excel would pass them -----------------------------------------------


def _index(number: int) -> int:
    """Position of the form's column (number) in a TTHC_GRID row (B = (2) … P = (16), Q)."""
    return number - 2


def _cell(value: object) -> object:
    """A constant cell as xlwings passes it: every number is a float."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _is_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith("=")


def excel_grid(stored: list[list[object]], catalogue: list[list[object]]) -> list[list[object]]:
    """TTHC_GRID's values after Excel recalculates its formulas (see _grid_sheet).

    (3) = IF(COUNT(inputs)=0,"",D+E+F): "+" fails on text, #VALUE! reaches Python as text.
    (7), (13) = IF(COUNT(inputs)=0,"",SUM(…)): SUM skips text.
    Department = "" for a blank field, else MATCH in Danh mục (case-insensitive) or
    "(ngoài danh mục)". A derived cell typed over holds the typed value.
    """
    departments = {
        str(field).strip().casefold(): department
        for field, department in catalogue
        if field and department
    }
    values = []
    for cells in stored:
        row = [None if _is_formula(v) else _cell(v) for v in cells]
        inputs = [row[_index(c.number)] for c in INPUT_COLUMNS]
        used = sum(isinstance(v, float) for v in inputs)
        for total, parts in DERIVED.items():
            if not _is_formula(cells[_index(total)]):
                continue
            addends = [row[_index(p)] for p in parts]
            if used == 0:
                row[_index(total)] = ""
            elif total == 3 and any(isinstance(v, str) for v in addends):
                row[_index(total)] = "#VALUE!"  # as err_to_str delivers it
            else:
                row[_index(total)] = sum(v for v in addends if isinstance(v, float))
        field = str(cells[0] or "").strip()
        if _is_formula(cells[15]):
            row[15] = "" if not field else departments.get(field.casefold(), OUTSIDE_CATALOGUE)
        values.append(row)
    return values


@dataclass(frozen=True)
class Ranges:
    """What the worksheet functions receive for each named range of the filled workbook."""

    stored_grid: list[list[object]]  # as saved, formulas included, to edit then evaluate
    grid: list[list[object]]
    extras: list[list[object]]
    settings: list[object]  # a one-column range without ndim=2 comes as a flat list
    targets: list[list[object]]
    kind: object
    catalogue: list[list[object]]
    shortcomings: list[list[object]]

    def with_grid(self, edits: dict[tuple[str, int], object]) -> list[list[object]]:
        """The grid after typing into cells: {(field, column number): value}, recalculated."""
        stored = [list(row) for row in self.stored_grid]
        for (field, number), value in edits.items():
            (row,) = [r for r in stored if r[0] == field]
            row[_index(number)] = value
        return excel_grid(stored, self.catalogue)

    def text(self, section: object, kind: object = None) -> Any:
        return TTHC_TEXT(
            section,
            self.grid,
            self.extras,
            self.targets,
            self.settings,
            kind or self.kind,
            self.shortcomings,
        )


def _extras_values(stored: list[list[object]], grid: list[list[object]]) -> list[list[object]]:
    """TTHC_EXTRAS under "Theo mẫu": the denominators SUMIF the grid by department."""

    def total(department: str | None, number: int) -> float:
        return sum(
            r[_index(number)]
            for r in grid
            if isinstance(r[_index(number)], float) and department in (None, r[15])
        )

    values = []
    for cells in stored:
        row = [_cell(v) for v in cells]
        department = None if str(cells[0]).startswith("Toàn") else str(cells[0])
        row[3] = total(department, 3)  # 1.3 over (3)
        row[5] = total(department, 8) + total(department, 9) + total(department, 10)  # 1.4
        row[7] = total(department, 4) + total(department, 5)  # 1.5 over (4)+(5)
        values.append(row)
    return values


def _load_seed() -> ReportInput:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    return loaded.report


@pytest.fixture(scope="module")
def seed() -> ReportInput:
    return _load_seed()


@pytest.fixture(scope="module")
def ranges(seed: ReportInput) -> Ranges:
    book = build_workbook(seed)
    stored = stored_values(book, "TTHC_GRID")
    catalogue = [[_cell(v) for v in row] for row in stored_values(book, "TTHC_CATALOGUE")]
    grid = excel_grid(stored, catalogue)
    (kind,) = stored_values(book, "TTHC_UNIT_KIND")[0]
    return Ranges(
        stored_grid=stored,
        grid=grid,
        extras=_extras_values(stored_values(book, "TTHC_EXTRAS"), grid),
        settings=[row[0] for row in stored_values(book, "TTHC_SETTINGS")],
        targets=[[_cell(v) for v in row] for row in stored_values(book, "TTHC_TARGETS")],
        kind=kind,
        catalogue=catalogue,
        shortcomings=[[_cell(v) for v in row] for row in stored_values(book, "TTHC_SHORTCOMINGS")],
    )


@pytest.fixture(scope="module")
def narrative(seed: ReportInput) -> Narrative:
    result = run_pipeline(LoadResult(seed, ()))
    assert result.ready is not None
    return result.ready.narrative


def test_module_seed_is_the_conftest_seed(seed: ReportInput, seed_report: ReportInput) -> None:
    assert seed == seed_report


def test_the_ranges_hold_the_seed(ranges: Ranges, seed: ReportInput) -> None:
    """The evaluated grid agrees with the core and with the appendix read by hand."""
    used = {row[0]: row for row in ranges.grid if isinstance(row[_index(3)], float)}
    assert list(used) == [row.field for row in seed.rows]
    for row in seed.rows:
        cells = used[row.field]
        assert [cells[_index(n)] for n in (3, 7, 13)] == [
            row.counts.received,
            row.counts.resolved,
            row.counts.pending,
        ]
    totals = [sum(row[_index(n)] for row in used.values()) for n in (3, 4, 6, 7, 8, 13)]
    assert totals == [1132, 1130, 2, 1131, 1124, 1]
    department = {row[0]: row[15] for row in used.values()}
    assert department == {
        "Hộ tịch": VP,
        "Chứng thực": VP,
        "Người có công": VHXH,
        "Bảo trợ xã hội": VHXH,
        "Giáo dục": VHXH,
        "Đất đai": KT,
        "Hộ kinh doanh": KT,
    }
    assert used["Hộ tịch"][_index(3)] + used["Chứng thực"][_index(3)] == 1018  # 343 + 675
    unused = [row for row in ranges.grid if row[0] not in used]
    assert unused and all(row[_index(3)] == "" for row in unused)
    assert ranges.settings == ["Theo mẫu", "Không", "Có", "Cắt bớt"]
    assert ranges.kind == "xã"
    assert [row[3] for row in ranges.extras] == [1018, 75, 39, 1132]  # 1.3 denominators


# --- TTHC_CHECK ------------------------------------------------------------------------------


def test_check_is_ok_for_the_seed(ranges: Ranges) -> None:
    assert TTHC_CHECK(ranges.grid) == [["OK"]]
    assert TTHC_CHECK(ranges.grid, ranges.catalogue) == [["OK"]]


SLIPS = {
    ("Hộ tịch", 3): 999.0,  # typed over the formula of (3); (4)+(5)+(6) = 343
    ("Chứng thực", 4): "5 hs",  # a text in (4); (3) = D+E+F becomes #VALUE!
    ("Đất đai", 12): -1.0,  # a negative in (12)
}


@pytest.mark.parametrize("catalogue", [False, True], ids=["department column", "catalogue"])
def test_check_lists_every_finding(ranges: Ranges, catalogue: bool) -> None:
    grid = ranges.with_grid(SLIPS)
    result = TTHC_CHECK(grid, ranges.catalogue if catalogue else None)
    assert isinstance(result, list) and all(isinstance(row, list) for row in result)
    assert all(len(row) == 1 for row in result), "one finding per row, one cell wide"
    texts = [row[0] for row in result]
    assert all(isinstance(t, str) and len(t) <= CELL_LIMIT for t in texts)
    findings = grid_findings(grid, ranges.catalogue if catalogue else None)
    assert texts == [f.describe() for f in findings]  # none needed cutting
    assert all("lĩnh vực «" in t and "cột (" in t for t in texts), texts

    def about(field: str, column: int) -> list[str]:
        return [t for t in texts if f"«{field}», cột ({column}):" in t]

    (typed_over,) = about("Hộ tịch", 3)
    assert typed_over.startswith("Lỗi") and "999" in typed_over and "343" in typed_over
    (text,) = about("Chứng thực", 4)
    assert text.startswith("Lỗi") and "«5 hs»" in text
    (negative,) = about("Đất đai", 12)
    assert negative.startswith("Lỗi") and "-1" in negative
    untouched = ("Người có công", "Bảo trợ xã hội", "Giáo dục", "Hộ kinh doanh")
    assert not [t for t in texts if any(f"«{f}»" in t for f in untouched)]


def test_check_cuts_a_long_finding_into_cells(ranges: Ranges) -> None:
    """A 300-character field name: its finding spans several cells, none over 255."""
    name = "Lĩnh vực " + "rất dài " * 37
    stored = [list(row) for row in ranges.stored_grid]
    spare = next(i for i, row in enumerate(stored) if not row[0])
    stored[spare][0] = name
    for number in (4, 8):  # one dossier received online, resolved early
        stored[spare][_index(number)] = 1
    grid = excel_grid(stored, ranges.catalogue)
    assert grid[spare][15] == OUTSIDE_CATALOGUE
    texts = [row[0] for row in TTHC_CHECK(grid)]
    assert all(len(t) <= CELL_LIMIT for t in texts)
    (outside,) = [f for f in grid_findings(grid) if "không có trong danh mục" in f.describe()]
    assert len(outside.describe()) > CELL_LIMIT
    first = next(i for i, t in enumerate(texts) if outside.describe().startswith(t))
    pieces = texts[first:]
    joined = [" ".join(pieces[:n]) for n in range(1, len(pieces) + 1)]
    assert outside.describe() in joined


# --- TTHC_TEXT -------------------------------------------------------------------------------


def _regroup(cells: object, paragraphs: list[str]) -> list[list[str]]:
    """Consecutive cells whose pieces, joined by a space, give back each paragraph."""
    assert isinstance(cells, list), cells
    assert all(isinstance(row, list) and len(row) == 1 for row in cells)
    pieces = [row[0] for row in cells]
    groups: list[list[str]] = []
    start = 0
    for paragraph in paragraphs:
        end = start + 1
        while end <= len(pieces) and " ".join(pieces[start:end]) != paragraph:
            end += 1
        assert end <= len(pieces), f"no run of cells gives back: {paragraph[:80]}…"
        groups.append(pieces[start:end])
        start = end
    assert start == len(pieces), f"cells left over: {pieces[start:]}"
    return groups


@pytest.mark.parametrize("section", ["1.1", "1.4", "1.6", "2"])
def test_text_equals_the_narrative_section(
    ranges: Ranges, narrative: Narrative, section: str
) -> None:
    paragraphs = section_paragraphs(narrative, section)
    assert paragraphs[0].startswith(f"{section}. ")
    cells = ranges.text(section)
    groups = _regroup(cells, paragraphs)
    assert all(len(piece) <= CELL_LIMIT for group in groups for piece in group)
    long = [p for p in paragraphs if len(p) > CELL_LIMIT]
    # 1.4, 1.6 and 2 hold paragraphs over 255 characters in the seed: they must be split.
    assert bool(long) is (section != "1.1"), [len(p) for p in paragraphs]
    assert all(len(group) > 1 for p, group in zip(paragraphs, groups, strict=True) if p in long)


def test_text_figures_by_hand(ranges: Ranges) -> None:
    def section(code: str) -> str:
        return " ".join(row[0] for row in ranges.text(code))

    online = section("1.1")
    assert "của toàn xã đạt 100%" in online
    assert "1.132/1.132 hồ sơ" in online  # (3)-(5) = 1.132 - 0 over (3) = 1.132
    assert "Hồ sơ tiếp nhận trong kỳ 1.130 hồ sơ" in online  # (4)+(5) = 1.130 + 0
    assert "kỳ trước chuyển qua 02 hồ sơ" in online  # (6) = 2, padded
    assert "- Văn phòng HĐND-UBND xã: Đạt 100% (1.018/1.018 hồ sơ)." in online  # 343 + 675
    assert "- Phòng Kinh tế xã: Đạt 100% (75/75 hồ sơ)." in online  # Đất đai 10 + HKD 65
    assert "- Phòng Văn hóa - Xã hội xã: Đạt 100% (39/39 hồ sơ)." in online  # 8 + 30 + 1
    digitised = section("1.4")
    assert "1.124/1.124 hồ sơ" in digitised  # (8)+(9)+(10) = 1.124 + 0 + 0
    assert "- Văn phòng HĐND-UBND xã: Đạt 100% (1.014/1.014 hồ sơ)." in digitised  # 340 + 674
    resolved = section("2")
    assert "1.131/1.131 hồ sơ" in resolved  # (7)-(10) = 1.131 - 0 over (7)
    assert "Trong kỳ không có hồ sơ quá hạn." in resolved  # (10) = (15) = 0


def test_text_cells_fit_for_every_section(ranges: Ranges) -> None:
    for section in ("", "1", "1.2", "1.3", "1.5", "1.6", "2.1", "2.2"):
        cells = ranges.text(section)
        assert isinstance(cells, list), (section, cells)
        assert all(len(row) == 1 and 0 < len(row[0]) <= CELL_LIMIT for row in cells), section


def test_text_section_typed_as_a_number(ranges: Ranges) -> None:
    """Excel passes 1.4 or 2 typed in a cell as floats."""
    assert ranges.text(1.4) == ranges.text("1.4")
    assert ranges.text(2.0) == ranges.text("2")


def test_text_for_a_phuong(ranges: Ranges) -> None:
    cells = ranges.text("1.1", kind="phường")
    text = " ".join(row[0] for row in cells)
    assert "của toàn phường đạt 100%" in text
    assert "- Văn phòng HĐND-UBND phường: Đạt 100% (1.018/1.018 hồ sơ)." in text
    assert not re.search(r"\bxã\b", text), text  # "Xã hội" is capitalised
    assert ranges.text("2", kind="phường")[0] == [
        "2. Kết quả giải quyết thủ tục hành chính của phường"
    ]


@pytest.mark.parametrize("section", ["9", "1.9", "4.1", "mục ba"])
def test_unknown_section_gives_an_error_text(ranges: Ranges, section: str) -> None:
    result = ranges.text(section)
    assert isinstance(result, str) and result.startswith("Lỗi:"), result
    assert len(result) <= CELL_LIMIT


def test_unknown_unit_kind_gives_an_error_text(ranges: Ranges) -> None:
    result = ranges.text("1.1", kind="tỉnh")
    assert isinstance(result, str) and result.startswith("Lỗi:") and "tỉnh" in result


def test_text_section_3_equals_the_narrative(ranges: Ranges, narrative: Narrative) -> None:
    paragraphs = section_paragraphs(narrative, "3")
    assert paragraphs[0] == "3. Tồn tại, hạn chế" and len(paragraphs) == 4
    _regroup(ranges.text("3"), paragraphs)


def test_whole_text_names_no_placeholder_unit(ranges: Ranges) -> None:
    cells = ranges.text("")
    assert not [row[0] for row in cells if "công xã - " in row[0]]


# --- TTHC_NUMBER (cases not in test_workbook_formulas.py) ------------------------------------


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1124 / 1131, "rate", "99,38%"),  # the seed's strict 2.1: (8)+(9) over (7)
        (1124 / 1130, "rate", "99,46%"),  # 1.4 under QĐ 766: 99,469…%, truncated
        (0.29, "rate", "29%"),  # 0.29 * 100 is 28.999… in floats; must not print 28,99%
        (0.6, "rate", "60%"),
        (0.005, "rate", "0,5%"),  # trailing zero dropped
        (0.0001, "rate", "0,01%"),
        (0.00009, "rate", "0%"),  # truncated, never rounded up
        (0.0, "rate", "0%"),
        (1.5, "rate", "150%"),
        (1.0, " RATE ", "100%"),  # kind is trimmed and case-insensitive
        (1132.0, "Integer", "1.132"),
        (1234567.0, "integer", "1.234.567"),
        (9.0, "count", "09"),
        (10.0, "count", "10"),
        (1.0, "", "01"),  # a blank kind cell means count
        (2.0, None, "02"),
        (5, "count", "05"),  # a Python int, as a VBA caller may pass
        (1018.0, "count", "1.018"),
    ],
)
def test_number_edge_cases(value: object, kind: object, text: str) -> None:
    assert TTHC_NUMBER(value, kind) == text


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (True, "count"),  # a TRUE cell is no count
        (False, "rate"),
        (2.0000001, "integer"),
        (float("nan"), "count"),  # never from Excel, but no traceback either
        (float("inf"), "rate"),
        ([[1.0, 2.0]], "count"),  # a range instead of one cell
        ("#N/A", "count"),  # an error cell, as err_to_str delivers it
        ("#REF!", "rate"),
    ],
)
def test_number_error_texts(value: object, kind: str) -> None:
    result = TTHC_NUMBER(value, kind)
    assert isinstance(result, str) and result.startswith("Lỗi:"), result
    assert len(result) <= CELL_LIMIT


@pytest.mark.parametrize("value", [None, ""])
def test_an_empty_cell_shows_nothing(value: object) -> None:
    assert TTHC_NUMBER(value) == ""  # not «None», not 0


def test_error_text_fits_in_a_cell_even_for_a_long_input() -> None:
    result = TTHC_NUMBER("x" * 300)
    assert isinstance(result, str) and result.startswith("Lỗi:")
    assert len(result) <= CELL_LIMIT
