"""Bad cells, as staff really make them: a catalogue of kinds, each proven.

Every case builds the workbook of the bundled sample (`build_workbook`), spoils it
the way staff (or a program they ran) do, and reads it through both readers: the
openpyxl one of `tthc check` and the add-in, and the fast one of `tthc consolidate`
(`read_workbook_fast`: the sheets' XML, python-calamine for unusual parts; "calamine"
in the test ids). For every case the tool must either refuse the cell with a
Vietnamese finding naming the sheet and the cell, or read the value, say what it
understood, again naming the cell; and never crash. The cell expected is computed
from the template's defined names, not written by hand, so a change of layout moves
the expectation with it.

Where the fast reader cannot see something by nature (it reads values only, never
formula text: it tells a valued formula cell from a constant, but not an empty cell
from a formula that computes ""), the case states what the fast reader does instead
and why. Everywhere else
both readers must tell staff the same, word for word.

Policy for counts typed as text (`tthc.core.parsing`): Vietnamese writes '.' between
thousands and ',' before decimals (1.132; 99,38%). Digits, alone or grouped by '.'
in threes, with any spaces around or between them (plain, non-breaking, zero-width),
are read with a warning ("Số được nhập dưới dạng chữ …, đã hiểu là …"). ',' is a
decimal mark, so '1,132' is 1 point 132, a fraction: an error, never guessed as the
English 1132. '12.5' (a dot not followed by three digits) is no grouping: an error.
A dash ('—'), which tables use for "nothing", is an error asking for 0. '5 hs' and
other text with letters is an error: numbers are not guessed out of words.

`KINDS` is the issue's list (the README cites how many kinds are tested); `CASES` is
the catalogue, each case tied to one kind.
"""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.defined_name import DefinedName

from helpers import sample_data
from tthc.cli.commands import run
from tthc.core.findings import Finding, Severity
from tthc.core.model import ReportInput
from tthc.core.pipeline import PipelineResult, run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.core.vn_format import RateRounding
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.workbook.layout import EXTRA_COLUMNS
from tthc.workbook.reader import read_workbook
from tthc.workbook.template import build_workbook

KINDS: dict[int, str] = {
    1: "text in number cells ('5 hs', '1,132', '1.132', ' 12 ', '—', hidden spaces…)",
    2: "negative and fractional counts",
    3: "Excel error values (#REF!, #DIV/0!, #N/A) in input cells",
    4: "a derived formula cell typed over with a number",
    5: "merged cells and deleted rows in the grid",
    6: "a renamed sheet, a deleted sheet",
    7: "a defined name pointing nowhere (#REF!) or deleted",
    8: "dates typed as text, impossible dates, the end before the start",
    9: "decomposed (NFD) Vietnamese text",
    10: "a field name with stray spaces or another case",
    11: "entries outside the named ranges: below Tổng cộng, right of a table, a narrowed name",
}

Place = tuple[str, str]  # (sheet, cell)
SAMPLE = load_report(sample_data()).report
assert SAMPLE is not None
FIELDS = [row.field for row in SAMPLE.rows]
READERS: dict[str, Callable[[Path], LoadResult]] = {
    "openpyxl": read_workbook,
    "calamine": read_workbook_fast,
}


class Layout:
    """The sample's workbook and the addresses in it, found through its defined names."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook

    def area(self, name: str) -> tuple[str, int, int, int, int]:
        """(sheet, first column, first row, last column, last row) of a defined name."""
        ((title, ref),) = list(self.workbook.defined_names[name].destinations)
        first_col, first_row, last_col, last_row = range_boundaries(ref.replace("$", ""))
        return title, first_col, first_row, last_col, last_row

    def first(self, name: str, down: int = 0, right: int = 0) -> Place:
        title, col, row, _, _ = self.area(name)
        return title, f"{get_column_letter(col + right)}{row + down}"

    def _row(self, name: str, label: str) -> tuple[str, int, int]:
        """(sheet, first column, row) of the row of block `name` whose first cell is `label`."""
        title, col, first, _, last = self.area(name)
        sheet = self.workbook[title]
        row = next(r for r in range(first, last + 1) if sheet.cell(r, col).value == label)
        return title, col, row

    def grid(self, field: str, column: int) -> Place:
        """Column (n) of the form on a field's row; TTHC_GRID starts at column (2)."""
        title, col, row = self._row("TTHC_GRID", field)
        return title, f"{get_column_letter(col + column - 2)}{row}"

    def total(self, column: int, up: int = 0) -> Place:
        """Column (n) of the Tổng cộng row (`up` rows higher once rows are deleted)."""
        title, col, row, _, _ = self.area("TTHC_GRID_TOTAL")
        return title, f"{get_column_letter(col + column - 2)}{row - up}"

    def below_total(self, column: int, down: int) -> Place:
        """Column (n) of the form `down` rows below the Tổng cộng row."""
        title, col, row, _, _ = self.area("TTHC_GRID_TOTAL")
        return title, f"{get_column_letter(col + column - 2)}{row + down}"

    def extras(self, label: str, key: str, right: int = 0) -> Place:
        """An input of Chỉ tiêu: the row of a department or «Toàn xã», the column of `key`."""
        title, col, row = self._row("TTHC_EXTRAS", label)
        return title, f"{get_column_letter(col + EXTRA_COLUMNS.index(key) + right)}{row}"

    def catalogue(self, field: str, *, department: bool = False) -> Place:
        title, col, row = self._row("TTHC_CATALOGUE", field)
        return title, f"{get_column_letter(col + department)}{row}"

    def row_of(self, place: Place) -> int:
        return int("".join(ch for ch in place[1] if ch.isdigit()))

    def put(self, place: Place, value: object) -> None:
        self.workbook[place[0]][place[1]] = value

    def merge(self, first: Place, last: Place) -> None:
        self.workbook[first[0]].merge_cells(f"{first[1]}:{last[1]}")

    def rename_sheet(self, old: str, new: str, *, names_follow: bool) -> None:
        """Rename a sheet; `names_follow` does what Excel does, openpyxl alone does not."""
        self.workbook[old].title = new
        if names_follow:
            for defined in self.workbook.defined_names.values():
                defined.attr_text = defined.attr_text.replace(f"'{old}'!", f"'{new}'!")

    def point(self, name: str, text: str) -> None:
        self.workbook.defined_names[name] = DefinedName(name, attr_text=text)

    def narrow_grid(self, *, to_end_above: str | None = None, rows_fewer: int = 0) -> None:
        """Make TTHC_GRID stop short, as Name Manager lets anyone do (the other names stay)."""
        title, first_col, first_row, last_col, last_row = self.area("TTHC_GRID")
        if to_end_above is not None:
            last_row = self._row("TTHC_GRID", to_end_above)[2] - 1
        last_row -= rows_fewer
        self.point(
            "TTHC_GRID",
            f"'{title}'!${get_column_letter(first_col)}${first_row}:"
            f"${get_column_letter(last_col)}${last_row}",
        )

    def forget(self, name: str) -> None:
        del self.workbook.defined_names[name]


@dataclass(frozen=True)
class Expected:
    severity: Severity
    code: str
    place: Place
    says: str  # a piece of the message


def error(code: str, place: Place, says: str) -> Expected:
    return Expected(Severity.ERROR, code, place, says)


def warning(code: str, place: Place, says: str) -> Expected:
    return Expected(Severity.WARNING, code, place, says)


def nothing(_: Layout) -> None:
    """Read as if clean: the value is normalised and nothing is worth telling."""
    return None


@dataclass(frozen=True)
class Case:
    id: str
    kind: int  # a key of KINDS
    edit: Callable[[Layout], None]
    # The finding, computed on the unspoilt workbook; None: no finding at all.
    expect: Callable[[Layout], Expected | None]
    read: Callable[[ReportInput], object] | None = None  # what a normalised cell gave
    value: object = None
    # The fast reader sees this differently by nature: what it finds instead (see comment).
    fast: Callable[[Layout], Expected | None] | None = None


HO_TICH, CHUNG_THUC = "Hộ tịch", "Chứng thực"
VP = "Văn phòng HĐND-UBND"


def _delete_row_of(layout: Layout, field: str) -> None:
    sheet, _ = layout.first("TTHC_GRID")
    layout.workbook[sheet].delete_rows(layout.row_of(layout.grid(field, 2)))


def _delete_first_rows(layout: Layout) -> None:
    sheet, cell = layout.first("TTHC_GRID")
    layout.workbook[sheet].delete_rows(layout.row_of((sheet, cell)), 2)


def _row(report: ReportInput, field: str) -> object:
    return next(row.counts for row in report.rows if row.field == field)


def _date_typed_by_excel(layout: Layout) -> None:
    """What Excel makes of '1/3' typed into a count cell: a date, shown as one."""
    sheet, cell = layout.grid(HO_TICH, 4)
    layout.workbook[sheet][cell] = datetime(2026, 3, 1)
    layout.workbook[sheet][cell].number_format = "dd/mm/yyyy"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


CASES: tuple[Case, ...] = (
    # 1. Text in number cells.
    Case(
        "text-with-a-word-5-hs",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), "5 hs"),
        lambda b: error("count.not_number", b.grid(HO_TICH, 4), "«5 hs» không phải là số"),
    ),
    Case(
        "text-decimal-comma-1,132",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), "1,132"),
        lambda b: error("count.fraction", b.grid(HO_TICH, 4), "phân cách hàng nghìn bằng dấu chấm"),
    ),
    Case(
        "text-decimal-dot-12.5",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), "12.5"),
        lambda b: error("count.fraction", b.grid(HO_TICH, 4), "«12.5» không phải là số nguyên"),
    ),
    Case(
        "text-thousands-dot-1.018",
        1,
        lambda b: b.put(b.extras(VP, "updated"), "1.018"),
        lambda b: warning("count.text", b.extras(VP, "updated"), "«1.018», đã hiểu là 1018"),
        read=lambda r: r.extras.departments[VP].updated,
        value=1018,
    ),
    Case(
        "text-thousands-space-1 018",
        1,
        lambda b: b.put(b.extras(VP, "updated"), "1 018"),
        lambda b: warning("count.text", b.extras(VP, "updated"), "đã hiểu là 1018"),
        read=lambda r: r.extras.departments[VP].updated,
        value=1018,
    ),
    Case(
        "text-spaces-around",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), " 343 "),
        lambda b: warning("count.text", b.grid(HO_TICH, 4), "«343», đã hiểu là 343"),
        read=lambda r: _row(r, HO_TICH).online,
        value=343,
    ),
    Case(
        "text-non-breaking-space",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), "343\u00a0"),
        lambda b: warning("count.text", b.grid(HO_TICH, 4), "đã hiểu là 343"),
        read=lambda r: _row(r, HO_TICH).online,
        value=343,
    ),
    Case(
        "text-zero-width-space",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), "343\u200b"),
        lambda b: warning("count.text", b.grid(HO_TICH, 4), "«343», đã hiểu là 343"),
        read=lambda r: _row(r, HO_TICH).online,
        value=343,
    ),
    Case(
        "text-em-dash",
        1,
        lambda b: b.put(b.grid(HO_TICH, 5), "—"),
        lambda b: error("count.not_number", b.grid(HO_TICH, 5), "hãy nhập 0"),
    ),
    Case(
        "boolean-true",
        1,
        lambda b: b.put(b.grid(HO_TICH, 4), True),
        lambda b: error("count.not_number", b.grid(HO_TICH, 4), "(TRUE)"),
    ),
    Case(
        "date-made-by-excel-in-a-count",
        1,
        _date_typed_by_excel,
        lambda b: error("count.not_number", b.grid(HO_TICH, 4), "Ô chứa ngày giờ (01/03/2026)"),
    ),
    # 2. Negative and fractional counts.
    Case(
        "negative",
        2,
        lambda b: b.put(b.grid(HO_TICH, 10), -3),
        lambda b: error("count.negative", b.grid(HO_TICH, 10), "đang là -3"),
    ),
    Case(
        "negative-text",
        2,
        lambda b: b.put(b.grid(HO_TICH, 10), " -3 "),
        lambda b: error("count.negative", b.grid(HO_TICH, 10), "đang là -3"),
    ),
    Case(
        "fraction",
        2,
        lambda b: b.put(b.grid(HO_TICH, 4), 2.5),
        lambda b: error("count.fraction", b.grid(HO_TICH, 4), "không được là 2,5"),
    ),
    Case(
        "fraction-in-extras",
        2,
        lambda b: b.put(b.extras("Toàn xã", "with_fee"), 673.5),
        lambda b: error("count.fraction", b.extras("Toàn xã", "with_fee"), "673,5"),
    ),
    # 3. Excel error values.
    Case(
        "error-ref-in-count",
        3,
        lambda b: b.put(b.grid(HO_TICH, 4), "#REF!"),
        lambda b: error("count.excel_error", b.grid(HO_TICH, 4), "đang báo lỗi #REF!"),
    ),
    Case(
        "error-div0-in-count",
        3,
        lambda b: b.put(b.grid(HO_TICH, 8), "#DIV/0!"),
        lambda b: error("count.excel_error", b.grid(HO_TICH, 8), "đang báo lỗi #DIV/0!"),
    ),
    Case(
        "error-na-in-extras",
        3,
        lambda b: b.put(b.extras(VP, "digitised"), "#N/A"),
        lambda b: error("count.excel_error", b.extras(VP, "digitised"), "#N/A"),
    ),
    Case(
        "error-in-unit-name",
        3,
        lambda b: b.put(b.first("TTHC_UNIT_NAME"), "#REF!"),
        lambda b: error("cell.excel_error", b.first("TTHC_UNIT_NAME"), "đang báo lỗi #REF!"),
    ),
    Case(
        "error-in-catalogue",
        3,
        lambda b: b.put(b.catalogue(HO_TICH, department=True), "#REF!"),
        lambda b: error(
            "cell.excel_error", b.catalogue(HO_TICH, department=True), "đang báo lỗi #REF!"
        ),
    ),
    Case(
        "error-in-formula-cell",
        3,
        lambda b: b.put(b.grid(HO_TICH, 3), "#REF!"),
        lambda b: error("count.excel_error", b.grid(HO_TICH, 3), "đang báo lỗi #REF!"),
    ),
    # 4. A formula typed over.
    Case(
        "typed-over-row",
        4,
        lambda b: b.put(b.grid(HO_TICH, 3), 344),
        lambda b: error("identity.column3", b.grid(HO_TICH, 3), "Cột (3) ghi 344"),
    ),
    Case(
        "typed-over-with-the-right-value",
        4,
        lambda b: b.put(b.grid(HO_TICH, 3), 343),
        lambda b: warning(
            "cell.formula_overwritten", b.grid(HO_TICH, 3), "đã bị ghi đè bằng «343»"
        ),
    ),
    Case(
        "formula-deleted-from-a-derived-cell",
        4,
        lambda b: b.put(b.grid(HO_TICH, 3), None),
        lambda b: warning(
            "cell.formula_missing",
            b.grid(HO_TICH, 3),
            "vốn là công thức (3)=(4)+(5)+(6) nhưng đang",
        ),
        # Values only: an empty cell is what a formula computing "" leaves; the fast
        # reader recomputes it without a word (a warning less, the same verdict).
        fast=nothing,
    ),
    Case(
        "count-typed-as-a-formula-never-computed",
        4,
        lambda b: b.put(b.grid(HO_TICH, 4), "=300+43"),
        lambda b: error(
            "cell.formula_uncomputed", b.grid(HO_TICH, 4), "chứa công thức «=300+43» nhưng"
        ),
    ),
    Case(
        "typed-over-total",
        4,
        lambda b: b.put(b.total(3), 5),
        lambda b: error("identity.total3", b.total(3), "ghi 5 nhưng tổng các lĩnh vực là 1.132"),
    ),
    # 5. Merged cells and deleted rows in the grid.
    Case(
        "merged-across-inputs",
        5,
        lambda b: b.merge(b.grid(HO_TICH, 10), b.grid(HO_TICH, 11)),
        lambda b: error("cell.merged", b.grid(HO_TICH, 11), "bị gộp vào vùng"),
    ),
    Case(
        "merged-field-names",
        5,
        lambda b: b.merge(b.grid(HO_TICH, 2), b.grid(CHUNG_THUC, 2)),
        lambda b: error("cell.merged", b.grid(CHUNG_THUC, 2), "Hãy bỏ gộp ô"),
    ),
    Case(
        "merged-total-row",
        5,
        lambda b: b.merge(b.total(3), b.total(4)),
        lambda b: warning("cell.merged", b.total(4), "Chương trình tự tính lại ô này"),
    ),
    # openpyxl's delete_rows moves cells but leaves every defined name where it was
    # (test_deleting_rows_leaves_the_names_behind): TTHC_GRID then covers Tổng cộng.
    Case(
        "deleted-row",
        5,
        lambda b: _delete_row_of(b, CHUNG_THUC),
        lambda b: error("grid.total_inside", b.total(2, up=1), "vùng này đã lệch"),
    ),
    Case(
        "deleted-first-rows",
        5,
        _delete_first_rows,
        lambda b: error("grid.total_inside", b.total(2, up=2), "vùng này đã lệch"),
    ),
    # 6. A renamed sheet, a deleted sheet.
    Case(
        "renamed-sheet-as-excel-does",
        6,
        lambda b: b.rename_sheet("Phụ lục", "PL", names_follow=True),
        nothing,
        read=lambda r: [row.field for row in r.rows],
        value=FIELDS,
    ),
    Case(
        "renamed-sheet-names-left-behind",
        6,
        lambda b: b.rename_sheet("Phụ lục", "PL", names_follow=False),
        lambda b: error(
            "workbook.name_broken", b.first("TTHC_GRID"), "có trang «PL» không có trong mẫu"
        ),
    ),
    Case(
        "deleted-sheet",
        6,
        lambda b: b.workbook.remove(b.workbook["Chỉ tiêu"]),
        lambda b: error(
            "workbook.name_broken", b.first("TTHC_EXTRAS"), "trang «Chỉ tiêu» không còn"
        ),
    ),
    # 7. A defined name pointing nowhere, or deleted.
    Case(
        "name-ref",
        7,
        lambda b: b.point("TTHC_GRID", "#REF!"),
        lambda b: error("workbook.name_broken", b.first("TTHC_GRID"), "Tên định danh TTHC_GRID"),
    ),
    Case(
        "name-ref-after-its-rows-deleted",  # what Excel writes; openpyxl's reader crashed
        7,
        lambda b: b.point("TTHC_GRID_TOTAL", "'Phụ lục'!#REF!"),
        lambda b: error(
            "workbook.name_broken", b.first("TTHC_GRID_TOTAL"), "Tên định danh TTHC_GRID_TOTAL"
        ),
    ),
    Case(
        "name-ref-after-its-sheet-deleted",
        7,
        lambda b: b.point("TTHC_PERIOD_START", "#REF!$B$10"),
        lambda b: error("workbook.name_broken", b.first("TTHC_PERIOD_START"), "TTHC_PERIOD_START"),
    ),
    Case(
        "name-deleted-required",
        7,
        lambda b: b.forget("TTHC_PERIOD_END"),
        lambda b: error("workbook.name_missing", b.first("TTHC_PERIOD_END"), "thiếu tên định danh"),
    ),
    Case(
        "name-deleted-extras",  # was silent: every indicator 1.2–1.6 «chưa có số liệu»
        7,
        lambda b: b.forget("TTHC_EXTRAS"),
        lambda b: error("workbook.name_missing", b.first("TTHC_EXTRAS"), "TTHC_EXTRAS"),
    ),
    Case(
        "name-deleted-settings",  # was silent: the default convention replaced the chosen one
        7,
        lambda b: b.forget("TTHC_SETTINGS"),
        lambda b: error("workbook.name_missing", b.first("TTHC_SETTINGS"), "TTHC_SETTINGS"),
    ),
    # 8. Dates.
    Case(
        "date-text-dd/mm/yyyy",
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_START"), "01/03/2026"),
        lambda b: warning(
            "date.text", b.first("TTHC_PERIOD_START"), "đã hiểu là ngày 01 tháng 3 năm 2026"
        ),
        read=lambda r: r.period.start,
        value=date(2026, 3, 1),
    ),
    Case(
        "date-text-d-m-yyyy",
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_START"), "1-3-2026"),
        lambda b: warning(
            "date.text", b.first("TTHC_PERIOD_START"), "«1-3-2026», đã hiểu là ngày 01 tháng 3"
        ),
        read=lambda r: r.period.start,
        value=date(2026, 3, 1),
    ),
    Case(
        "date-impossible",
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_END"), "31/02/2026"),
        lambda b: error(
            "date.invalid", b.first("TTHC_PERIOD_END"), "tháng 2 năm 2026 không có ngày 31"
        ),
    ),
    Case(
        "date-month-only",
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_START"), "tháng 3"),
        lambda b: error("date.invalid", b.first("TTHC_PERIOD_START"), "«tháng 3»"),
    ),
    Case(
        "date-text-iso",  # nothing to choose in 2026-03-01: read silently
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_START"), "2026-03-01"),
        nothing,
        read=lambda r: r.period.start,
        value=date(2026, 3, 1),
    ),
    Case(
        "date-end-before-start",
        8,
        lambda b: b.put(b.first("TTHC_PERIOD_END"), datetime(2026, 2, 28)),
        lambda b: error("period.order", b.first("TTHC_PERIOD_END"), "trước ngày bắt đầu"),
    ),
    # 9. Decomposed Unicode: looks the same, so nothing to tell; it must simply match.
    Case(
        "nfd-unit-name",
        9,
        lambda b: b.put(b.first("TTHC_UNIT_NAME"), nfd("Bình Giang")),
        nothing,
        read=lambda r: r.unit.name,
        value="Bình Giang",
    ),
    Case(
        "nfd-field-name",
        9,
        lambda b: b.put(b.grid("Người có công", 2), nfd("Người có công")),
        nothing,
        read=lambda r: [row.field for row in r.rows],
        value=FIELDS,
    ),
    Case(
        "nfd-department-label",
        9,
        lambda b: b.put(b.extras(VP, "department"), nfd(VP)),
        nothing,
        read=lambda r: r.extras.departments[VP].updated,
        value=1018,
    ),
    Case(
        "nfd-setting-choice",  # was refused: «Làm tròn» did not match «Làm tròn»
        9,
        lambda b: b.put(b.first("TTHC_SETTINGS", down=3), nfd("Làm tròn")),
        nothing,
        read=lambda r: r.settings.rate_rounding,
        value=RateRounding.HALF_UP,
    ),
    # 10. Field names as people type them.
    Case(
        "field-stray-spaces-lower-case",
        10,
        lambda b: b.put(b.grid("Đất đai", 2), "  đất   đai "),
        lambda b: warning(
            "field.normalised", b.grid("Đất đai", 2), "«đất   đai» được hiểu là «Đất đai»"
        ),
        read=lambda r: [row.field for row in r.rows],
        value=FIELDS,
    ),
    Case(
        "field-upper-case",
        10,
        lambda b: b.put(b.grid(HO_TICH, 2), "HỘ TỊCH"),
        lambda b: warning("field.normalised", b.grid(HO_TICH, 2), "được hiểu là «Hộ tịch»"),
        read=lambda r: [row.field for row in r.rows],
        value=FIELDS,
    ),
    Case(
        "field-without-diacritics",  # diacritics make the word: never guessed
        10,
        lambda b: b.put(b.grid("Đất đai", 2), "Dat dai"),
        lambda b: error("field.unknown", b.grid("Đất đai", 2), "«Dat dai» không có trong danh mục"),
    ),
    # 11. Entries outside every named range: read by nobody, so they must be named.
    Case(
        "count-typed-below-the-total",
        11,
        lambda b: b.put(b.below_total(4, 3), 12),
        lambda b: error("cell.outside_inputs", b.below_total(4, 3), "không được tính vào báo cáo"),
    ),
    Case(
        "field-typed-below-the-total",  # text: a note, perhaps; said, not refused
        11,
        lambda b: b.put(b.below_total(2, 3), "Đất đai"),
        lambda b: warning("cell.outside_inputs", b.below_total(2, 3), "«Đất đai», nằm ngoài"),
    ),
    Case(
        "number-right-of-the-grid",
        11,
        lambda b: b.put(b.grid(HO_TICH, 20), 5),  # column T, past Phòng chuyên môn and Kiểm tra
        lambda b: error("cell.outside_inputs", b.grid(HO_TICH, 20), "Ô T8 ghi «5»"),
    ),
    Case(
        "number-right-of-the-extras",
        11,
        lambda b: b.put(b.extras("Phòng Kinh tế", "feedback_handled", right=2), 3),
        lambda b: error(
            "cell.outside_inputs",
            b.extras("Phòng Kinh tế", "feedback_handled", right=2),
            "không được tính vào báo cáo",
        ),
    ),
    Case(
        "note-beside-the-info",
        11,
        lambda b: b.put(b.first("TTHC_UNIT_NAME", right=1), "hỏi lại chị Lan"),
        lambda b: warning(
            "cell.outside_inputs", b.first("TTHC_UNIT_NAME", right=1), "«hỏi lại chị Lan»"
        ),
    ),
    Case(
        "grid-name-narrowed-over-filled-rows",  # the issue's 65 dossiers of Hộ kinh doanh
        11,
        lambda b: b.narrow_grid(to_end_above="Hộ kinh doanh"),
        lambda b: error(
            "cell.outside_grid", b.grid("Hộ kinh doanh", 2), "ngoài vùng tên định danh TTHC_GRID"
        ),
    ),
    Case(
        "grid-name-narrowed-over-spare-rows",  # nothing left out: nothing to tell
        11,
        lambda b: b.narrow_grid(rows_fewer=2),
        nothing,
    ),
)


@dataclass(frozen=True)
class Made:
    path: Path
    expected: Expected | None
    fast: Expected | None


_MADE: dict[tuple[Path, str], Made] = {}
_RESULTS: dict[tuple[Path, str, str], PipelineResult] = {}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bad-cells")


def _made(case: Case, folder: Path) -> Made:
    """The spoilt workbook of a case, built once; expectations from the unspoilt layout."""
    key = (folder, case.id)
    if key not in _MADE:
        layout = Layout(build_workbook(SAMPLE))
        expected = case.expect(layout)
        fast = case.fast(layout) if case.fast is not None else expected
        case.edit(layout)
        path = folder / (re.sub(r"[^\w.-]", "_", case.id) + ".xlsx")
        layout.workbook.save(path)
        _MADE[key] = Made(path, expected, fast)
    return _MADE[key]


def _result(case: Case, reader: str, folder: Path) -> PipelineResult:
    key = (folder, case.id, reader)
    if key not in _RESULTS:
        _RESULTS[key] = run_pipeline(READERS[reader](_made(case, folder).path))
    return _RESULTS[key]


_VIETNAMESE = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.IGNORECASE
)
_NOT_FOR_STAFF = re.compile(
    r"\b(?:the|is|not|error|invalid|cell|sheet|value|None|True|False|Traceback|Exception|"
    r"datetime)\b"
)


def _fit_for_staff(findings: tuple[Finding, ...]) -> None:
    """Every finding names its sheet and cell, in Vietnamese, without program words."""
    for finding in findings:
        where = finding.location
        assert where.sheet and where.cell, finding
        assert f"trang «{where.sheet}», ô {where.cell}" in finding.describe()
        assert _VIETNAMESE.search(finding.message), finding.message
        assert not _NOT_FOR_STAFF.search(finding.message), finding.message


def _params() -> list[object]:
    return [
        pytest.param(case, reader, id=f"{case.id}-{reader}") for case in CASES for reader in READERS
    ]


def test_every_kind_of_the_issue_has_cases() -> None:
    assert {case.kind for case in CASES} == set(KINDS)
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize(("case", "reader"), _params())
def test_bad_cell(case: Case, reader: str, folder: Path) -> None:
    made = _made(case, folder)
    result = _result(case, reader, folder)  # never raises: that is the first half
    expected = made.fast if reader == "calamine" else made.expected
    _fit_for_staff(result.findings)
    if expected is None:
        assert result.findings == (), [f.describe() for f in result.findings]
        assert result.ok
    else:
        sheet, cell = expected.place
        found = [
            f
            for f in result.findings
            if (f.severity, f.code, f.location.sheet, f.location.cell)
            == (expected.severity, expected.code, sheet, cell)
        ]
        assert found, [f.describe() for f in result.findings]
        assert any(expected.says in f.message for f in found), [f.message for f in found]
        # A normalised value goes into the report; a refused one stops it.
        assert result.ok is (expected.severity is Severity.WARNING), [
            f.describe() for f in result.findings if f.severity is Severity.ERROR
        ]
    if case.read is not None:
        assert result.report is not None
        assert case.read(result.report) == case.value


def _parity_params() -> list[object]:
    # A case with its own `fast` expectation differs by nature, as that case says.
    return [pytest.param(case, id=case.id) for case in CASES if case.fast is None]


@pytest.mark.parametrize("case", _parity_params())
def test_both_readers_tell_the_same(case: Case, folder: Path) -> None:
    """Where the fast reader sees what openpyxl sees, staff are told the same, word for word."""
    fast, slow = _result(case, "calamine", folder), _result(case, "openpyxl", folder)
    assert fast.findings == slow.findings
    assert fast.report == slow.report


CLI_CASES = (
    "text-with-a-word-5-hs",
    "error-ref-in-count",
    "typed-over-total",
    "merged-across-inputs",
    "deleted-row",
    "renamed-sheet-names-left-behind",
    "name-ref-after-its-rows-deleted",
    "name-deleted-extras",
    "date-end-before-start",
    "field-without-diacritics",
)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in CLI_CASES], ids=lambda c: c.id)
def test_check_names_the_cell(case: Case, folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    made = _made(case, folder)
    assert made.expected is not None
    code = run(["check", str(made.path)])
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert code != 0
    sheet, cell = made.expected.place
    assert f"Lỗi — trang «{sheet}», ô {cell}" in said, said
    assert made.expected.says in said
    assert "Traceback" not in said and "Lỗi ngoài dự kiến" not in said, said


def test_check_in_a_real_process_shows_no_traceback(folder: Path) -> None:
    """The name Excel leaves after its rows are deleted crashed the openpyxl reader."""
    case = next(c for c in CASES if c.id == "name-ref-after-its-rows-deleted")
    made = _made(case, folder)
    assert made.expected is not None
    done = subprocess.run(
        [sys.executable, "-m", "tthc", "check", str(made.path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=120,
    )
    assert done.returncode == 2  # no report can be read without the Tổng cộng row
    assert "Traceback" not in done.stdout + done.stderr
    sheet, cell = made.expected.place
    assert f"trang «{sheet}», ô {cell}" in done.stdout


def test_deleting_rows_leaves_the_names_behind() -> None:
    """What `delete_rows` does: cells move up, defined names and formulas stay put.

    Excel would shrink TTHC_GRID and move TTHC_GRID_TOTAL; openpyxl (and tools built
    on it) leave both where they were, so the grid's name now covers the Tổng cộng row
    and the total's name a blank row: the reader reports both ("deleted-row").
    """
    layout = Layout(build_workbook(SAMPLE))
    names = {n: d.attr_text for n, d in layout.workbook.defined_names.items()}
    total_sheet, total_label = layout.first("TTHC_GRID_TOTAL")
    _delete_row_of(layout, CHUNG_THUC)
    assert {n: d.attr_text for n, d in layout.workbook.defined_names.items()} == names
    sheet = layout.workbook[total_sheet]
    moved = layout.row_of((total_sheet, total_label)) - 1
    assert sheet[f"B{moved}"].value == "Tổng cộng"
    assert layout.area("TTHC_GRID")[4] == moved  # the grid's last row is now the total
    assert sheet[total_label].value is None


def test_stray_verdicts_kept_per_value_and_type() -> None:
    """Verdicts are kept for the cells judged before, told apart by type: 1 is a count
    typed astray (an error), TRUE is not (a warning), though `1 == True`."""
    from tthc.workbook import stray_cells

    template = stray_cells._template()
    grid = template.areas["TTHC_GRID"]
    total = template.areas["TTHC_GRID_TOTAL"]
    extras = template.areas["TTHC_EXTRAS"]
    title = grid.sheet
    far = f"{stray_cells.column_letters(grid.last_column + 6)}{total.first_row + 3}"

    def verdict(value: object) -> list[tuple[Severity, str]]:
        found = stray_cells._judged_once(title, [(far, value)], template, grid, total, extras)
        return [(f.severity, f.code) for f in found]

    for _ in range(2):  # the second time from what was kept
        assert verdict(1) == [(Severity.ERROR, "cell.outside_inputs")]
        assert verdict(True) == [(Severity.WARNING, "cell.outside_inputs")]
