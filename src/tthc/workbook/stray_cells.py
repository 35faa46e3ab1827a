"""Cells typed on an input sheet outside every place the program reads.

The reader finds data through the template's defined names only. A count typed
below Tổng cộng, a number in a column right of the grid, or a filled row left out
when `TTHC_GRID` was narrowed in «Name Manager» / «Manage Names» would then be
ignored without a word, and the report would miss those dossiers. This module
lists what such a workbook shows outside the names and outside the template's own
labels and formulas, so the reader can name each cell.

A number (or digits typed as text) outside the names on a sheet of counts (Phụ
lục, Chỉ tiêu) is an error, since dossiers may be missing from the report; so is
anything in a row of the appendix between the grid's first row and Tổng cộng
(those rows are fields). Other text (a note beside the table) and anything on the
Thông tin and Danh mục sheets is a warning. Template cells are recognised by
position: the header rows as they are in the template, the rows from Tổng cộng
down shifted with it (the grid grows and shrinks with the catalogue and with rows
inserted or deleted), and the STT column along the grid.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from tthc.core.findings import Finding, Location, Severity
from tthc.infra.xlsx_parts import area_bounds, cell_position, column_letters
from tthc.workbook.blocks import Area, BlockSource
from tthc.workbook.layout import NAMES, SHEETS

__all__ = ["stray_cells", "template_areas"]

_FORMULA = object()  # a template cell holding a formula: whatever it shows is the template's
_COUNT_SHEETS = frozenset({SHEETS["grid"], SHEETS["extras"]})
_INPUT_SHEETS = (SHEETS["info"], SHEETS["grid"], SHEETS["extras"], SHEETS["catalogue"])
_DIGITS = re.compile(r"[\d.,\s\u00a0]*\d[\d.,\s\u00a0]*")
_SHOWN = 60  # characters of a stray text quoted in a message
_LISTED = 4  # cells named in one finding; the others are counted
_TALL_AREA = 2_000  # rows of a name beyond which `_cover` does not map it row by row


@dataclass(frozen=True)
class _Template:
    """The template's cells outside its names, by sheet, and where its grid sits."""

    cells: dict[str, dict[tuple[int, int], object]]  # sheet -> (column, row) -> text or formula
    areas: dict[str, Area]  # name -> where it points in the template
    grid_first_row: int
    total_row: int
    grid_check_column: int


@lru_cache(maxsize=1)
def _template() -> _Template:
    """Built once per process, the first time a workbook needs it (see `template_areas`)."""
    from tthc.workbook.template import build_workbook  # heavy, and needed only here

    workbook = build_workbook()
    named: dict[str, Area] = {}
    for name, defined in workbook.defined_names.items():
        ((title, ref),) = list(defined.destinations)
        bounds = area_bounds(ref)
        assert bounds is not None, ref  # the template's own names are rectangles
        named[name] = Area(title, *bounds)
    cells: dict[str, dict[tuple[int, int], object]] = {}
    for title in _INPUT_SHEETS:
        areas = [area for area in named.values() if area.sheet == title]
        cells[title] = {
            (cell.column, cell.row): _FORMULA if cell.data_type == "f" else _normal(cell.value)
            for row in workbook[title].iter_rows()
            for cell in row
            if cell.value is not None
            and cell.value != ""
            and not any(area.holds(cell.column, cell.row) for area in areas)
        }
    return _Template(
        cells,
        named,
        grid_first_row=named["TTHC_GRID"].first_row,
        total_row=named["TTHC_GRID_TOTAL"].first_row,
        grid_check_column=named["TTHC_GRID_CHECK"].first_column,
    )


def template_areas() -> dict[str, Area]:
    """Where each defined name points in a fresh template (one build per process)."""
    return _template().areas


def _normal(value: object) -> str:
    """Text compared the way staff see it: composed, spaces collapsed, any case."""
    text = unicodedata.normalize("NFC", str(value))
    return " ".join(text.split()).casefold()


def _is_count(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and _DIGITS.fullmatch(value) is not None


def stray_cells(book: BlockSource) -> list[Finding]:
    """A finding for each cell shown on an input sheet outside the names and the template."""
    found = {name: book.area(name) for name in NAMES}
    areas = [area for area in found.values() if area is not None]
    grid, total, extras = found["TTHC_GRID"], found["TTHC_GRID_TOTAL"], found["TTHC_EXTRAS"]
    findings: list[Finding] = []
    template: _Template | None = None
    if None in found.values():
        # A name deleted or broken is reported by the reader; the cells it covered in
        # the template are where staff will mend it, not cells typed astray.
        template = _template()
        areas += [
            template.areas[n] for n, area in found.items() if area is None and n in template.areas
        ]
    for title in _INPUT_SHEETS:
        shown = book.sheet_cells(title)
        if not shown:
            continue
        covered, tall = _cover(tuple(area for area in areas if area.sheet == title))
        outside = [
            (coordinate, value)
            for coordinate, value in shown.items()
            if coordinate not in covered
            and not (tall and any(area.holds(*_position(coordinate)) for area in tall))
        ]
        if not outside:
            continue
        template = template or _template()
        findings += _judged_once(title, outside, template, grid, total, extras)
    return findings


@lru_cache(maxsize=64)
def _cover(areas: tuple[Area, ...]) -> tuple[frozenset[str], tuple[Area, ...]]:
    """The addresses of `areas`' cells, and the areas too tall to list (whole columns).

    A sheet shows hundreds of cells, and the areas of a province's workbooks are the
    same in every file: each cell is then one set lookup by its address.
    """
    tall = tuple(area for area in areas if area.last_row - area.first_row > _TALL_AREA)
    covered = frozenset(
        f"{column_letters(column)}{row}"
        for area in areas
        if area not in tall
        for column in range(area.first_column, area.last_column + 1)
        for row in range(area.first_row, area.last_row + 1)
    )
    return covered, tall


# The verdicts on a sheet's stray cells, by what they depend on: a province's workbooks
# show the same template labels outside the names, file after file.
_JUDGED: dict[tuple[object, ...], tuple[Finding, ...]] = {}
_JUDGED_KEPT = 64


def _judged_once(
    title: str,
    outside: list[tuple[str, object]],
    template: _Template,
    grid: Area | None,
    total: Area | None,
    extras: Area | None,
) -> tuple[Finding, ...]:
    """`_judged`, kept for cells and areas judged before (values with their types)."""
    try:
        key = (title, tuple((c, v.__class__, v) for c, v in outside), grid, total, extras)
        known = _JUDGED.get(key)
    except TypeError:  # a value that cannot be a key: not from a reader
        return tuple(_judged(title, outside, template, grid, total, extras))
    if known is None:
        known = tuple(_judged(title, outside, template, grid, total, extras))
        if len(_JUDGED) >= _JUDGED_KEPT:
            _JUDGED.pop(next(iter(_JUDGED)))
        _JUDGED[key] = known
    return known


@lru_cache(maxsize=4096)
def _position(coordinate: str) -> tuple[int, int]:
    """'T8' -> (20, 8): column, then row."""
    row, column = cell_position(coordinate)
    return column, row


def _judged(
    title: str,
    outside: list[tuple[str, object]],
    template: _Template,
    grid: Area | None,
    total: Area | None,
    extras: Area | None,
) -> Iterator[Finding]:
    """The stray cells judged, one finding per row and kind (a pasted row is one slip)."""
    own = template.cells.get(title, {})
    on_grid_sheet = title == SHEETS["grid"] and grid is not None and grid.sheet == title
    total_row = total.first_row if total is not None and total.sheet == title else None
    shift = total_row - template.total_row if total_row is not None else 0
    grid_columns = range(grid.first_column, grid.last_column + 1) if grid is not None else range(0)
    groups: dict[tuple[int, str], list[tuple[str, object]]] = {}
    for coordinate, value in sorted(outside, key=lambda item: _position(item[0])[::-1]):
        column, row = _position(coordinate)
        in_rows = total_row is not None and template.grid_first_row <= row < total_row
        if on_grid_sheet and in_rows and column in (1, template.grid_check_column):
            continue  # STT and the per-row check: formulas of the template
        if on_grid_sheet and in_rows and column in grid_columns:
            kind = "grid"  # a field's row the name leaves out
        else:
            at = (
                (column, row - shift)
                if total_row is not None and row >= total_row
                else _extras_position(column, row, extras, template)
                if title == SHEETS["extras"]
                else (column, row)
            )
            expected = own.get(at)
            if expected is _FORMULA or (expected is not None and expected == _normal(value)):
                continue
            kind = "count" if title in _COUNT_SHEETS and _is_count(value) else "text"
        groups.setdefault((row, kind), []).append((coordinate, value))
    left_out = [cell for (_row, kind), cells in groups.items() if kind == "grid" for cell in cells]
    if left_out:  # rows a narrowed name leaves out: one slip, however many rows
        yield _in_grid_rows(title, left_out, grid)
    for (_row, kind), cells in groups.items():
        if kind != "grid":
            yield _outside(title, cells, serious=kind == "count")


def _extras_position(
    column: int, row: int, extras: Area | None, template: _Template
) -> tuple[int, int]:
    """Where a Chỉ tiêu cell sits in the template, whatever the number of departments.

    One row per department, then the unit's: a unit with four departments has the
    per-department formulas (column L, «Có số liệu») on four rows where the template
    has three, and everything below one row lower.
    """
    own = template.areas["TTHC_EXTRAS"]
    if extras is None or extras.sheet != own.sheet:
        return column, row
    if extras.first_row <= row < extras.last_row:
        return column, own.first_row
    if row >= extras.last_row:
        return column, row - (extras.last_row - own.last_row)
    return column, row


def _quoted(value: object) -> str:
    """The value as staff typed it: a date as dd/mm/yyyy (both engines give date objects)."""
    if isinstance(value, datetime | date):
        text = value.strftime("%d/%m/%Y")
    elif isinstance(value, float):
        text = f"{value:g}".replace(".", ",")
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _listed(cells: list[tuple[str, object]]) -> str:
    """«Ô S10 ghi «5»» or «Các ô S10, T10 ghi «5», «6»», at most a few named."""
    named = cells[:_LISTED]
    addresses = ", ".join(coordinate for coordinate, _ in named)
    values = ", ".join(f"«{_quoted(value)}»" for _, value in named)
    more = f" (và {len(cells) - _LISTED} ô khác)" if len(cells) > _LISTED else ""
    if len(cells) == 1:
        return f"Ô {addresses} ghi {values}"
    return f"Các ô {addresses}{more} ghi {values}"


def _in_grid_rows(title: str, cells: list[tuple[str, object]], grid: Area | None) -> Finding:
    rows = sorted({_position(coordinate)[1] for coordinate, _ in cells})
    fields = [
        f"«{_quoted(value)}»"
        for coordinate, value in cells
        if _position(coordinate)[0] == 2 and not _is_count(value)
    ]
    which = f"Dòng {rows[0]}" if len(rows) == 1 else f"{len(rows)} dòng, từ dòng {rows[0]}"
    if fields:
        more = f" và {len(fields) - _LISTED} lĩnh vực khác" if len(fields) > _LISTED else ""
        which += f" (lĩnh vực {', '.join(fields[:_LISTED])}{more})"
    where = ""
    if grid is not None:
        where = (
            f" (hiện là {column_letters(grid.first_column)}{grid.first_row}:"
            f"{column_letters(grid.last_column)}{grid.last_row})"
        )
    return Finding(
        Severity.ERROR,
        "cell.outside_grid",
        f"{which} có số liệu trong bảng phụ lục nhưng nằm ngoài vùng tên định danh "
        f"TTHC_GRID{where}, nên không được tính vào báo cáo. Hãy mở Công thức › Quản lý tên "
        "(Formulas › Name Manager) cho TTHC_GRID trỏ tới đủ các dòng lĩnh vực, từ dòng đầu "
        "bảng tới ngay trên dòng Tổng cộng, hoặc chuyển số liệu vào các dòng của bảng.",
        Location(sheet=title, cell=cells[0][0]),
    )


def _outside(title: str, cells: list[tuple[str, object]], *, serious: bool) -> Finding:
    where = Location(sheet=title, cell=cells[0][0])
    if serious:
        return Finding(
            Severity.ERROR,
            "cell.outside_inputs",
            f"{_listed(cells)}, nằm ngoài các vùng nhập của mẫu, nên số liệu này không được tính "
            "vào báo cáo. Hãy chuyển số liệu vào đúng dòng, đúng cột của bảng (hoặc xoá đi nếu "
            "không cần).",
            where,
        )
    return Finding(
        Severity.WARNING,
        "cell.outside_inputs",
        f"{_listed(cells)}, nằm ngoài các vùng nhập của mẫu, nên chương trình không đọc nội "
        "dung này; nếu đó là số liệu của báo cáo, hãy chuyển vào đúng ô.",
        where,
    )
