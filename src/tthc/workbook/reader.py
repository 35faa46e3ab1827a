"""Reading a filled workbook through its defined names (openpyxl).

The reader turns the workbook into the same raw structure as the data file,
so one loader (`core.report_data.load_report`) applies the same rules and messages to
both; it keeps a map from every data key and grid coordinate to its cell, so
each finding names the sheet and cell staff must look at. Derived cells are
never trusted: a formula is recomputed, a number typed over a formula is
reported, and a value Excel cached is cross-checked against the recomputation.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tthc.core.catalogue import field_key
from tthc.core.entries import settings_from_cells, target_entry
from tthc.core.findings import Finding, Location, Severity
from tthc.core.grid import INPUT_COLUMNS, TOTAL_LABEL, column_by_number
from tthc.core.model import INDICATOR_CODES
from tthc.core.parsing import cell_text, excel_error, is_blank, parse_date
from tthc.core.report_data import LoadResult, load_report
from tthc.core.vn_format import format_date_long, format_integer
from tthc.infra.package_guard import TEMPLATE, Refused, check_workbook
from tthc.infra.xlsx_parts import column_letters
from tthc.workbook.blocks import Block, BlockSource, Cell
from tthc.workbook.layout import EXTRA_COLUMNS, SHEETS
from tthc.workbook.notices import file_notices
from tthc.workbook.stray_cells import stray_cells, template_areas

if TYPE_CHECKING:
    from tthc.workbook.openpyxl_source import OpenpyxlSource

__all__ = [
    "grid_fields",
    "read_blocks",
    "read_workbook",
    "read_workbook_and_order",
    "with_notices",
]

_REQUIRED_NAMES = (
    "TTHC_UNIT_KIND",
    "TTHC_UNIT_NAME",
    "TTHC_PERIOD_START",
    "TTHC_PERIOD_END",
    "TTHC_GRID",
    "TTHC_GRID_TOTAL",
)
_INFO_TEXTS = {
    "TTHC_UNIT_KIND": ("unit", "kind"),
    "TTHC_UNIT_NAME": ("unit", "name"),
    "TTHC_PARENT_BODY": ("unit", "parent_body"),
    "TTHC_ISSUING_BODY": ("unit", "issuing_body"),
    "TTHC_ISSUING_BODY_SHORT": ("unit", "issuing_body_short"),
    "TTHC_PLACE": ("unit", "place"),
    "TTHC_DOC_NUMBER": ("document", "number"),
    "TTHC_DOC_SYMBOL": ("document", "symbol"),
    "TTHC_SIGNER_AUTHORITY": ("signer", "authority"),
    "TTHC_SIGNER_TITLE": ("signer", "title"),
    "TTHC_SIGNER_NAME": ("signer", "name"),
}
_INFO_DATES = {
    "TTHC_PERIOD_START": ("period", "start"),
    "TTHC_PERIOD_END": ("period", "end"),
    "TTHC_DOC_DATE": ("document", "date"),
}
_EXTRA_INPUT_KEYS = tuple(
    k for k in EXTRA_COLUMNS if k != "department" and not k.startswith("denominator")
)
# Every name the reader reads, and the data keys its cells give. All of them are in every
# template since the first, so once a workbook is recognised as one (it has some of the
# required names), a missing or broken one is damage to report, never a reason to fall
# back silently to a default (a default catalogue or convention changes the figures).
_NAME_KEYS: dict[str, tuple[str, ...]] = {
    **{name: (f"{section}.{key}",) for name, (section, key) in _INFO_TEXTS.items()},
    **{name: (f"{section}.{key}",) for name, (section, key) in _INFO_DATES.items()},
    "TTHC_SETTINGS": ("settings",),
    "TTHC_TARGETS": ("targets",),
    "TTHC_RECIPIENTS": ("document.recipients",),
    "TTHC_SHORTCOMINGS": ("shortcomings",),
    "TTHC_GRID": ("appendix.rows",),
    "TTHC_GRID_TOTAL": ("appendix.total",),
    "TTHC_EXTRAS": ("extra_inputs.unit",),
    "TTHC_CATALOGUE": ("catalogue",),
}


# Findings about the whole unit that carry no place of their own (a data file needs
# none: "của toàn xã" says it), and the row of the workbook they are about.
_UNIT_SCOPED = {"indicator.over": "extra_inputs.unit"}


@dataclass
class _Cells:
    """Where each value came from: data keys, grid coordinates and departments to cells."""

    by_key: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_grid: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    by_department: dict[str, tuple[str, str]] = field(default_factory=dict)
    grid_end: tuple[str, int] | None = None  # the sheet and last row of TTHC_GRID
    grid_area: str | None = None  # TTHC_GRID's cells as staff read them: "B8:Q49"
    total_row: tuple[str, int] | None = None  # the sheet and row of TTHC_GRID_TOTAL

    def grid_detached(self) -> bool:
        """TTHC_GRID no longer ends just above the Tổng cộng row (a name narrowed by hand).

        The sheet's total then sums rows the name leaves out: its saved figures are
        evidence of dossiers the report would miss, not a stale cache.
        """
        if self.grid_end is None or self.total_row is None:
            return False
        return self.grid_end[0] == self.total_row[0] and self.grid_end[1] + 1 < self.total_row[1]

    # Grid cells whose emptiness is already explained (hidden by a merge, a formula the
    # saving program never computed): not also reported as "blank, counted as 0".
    explained: set[tuple[str, str]] = field(default_factory=set)

    def locate(self, finding: Finding) -> Finding:
        where = finding.location
        if where.sheet is not None:
            return finding
        place = None
        key = where.key
        while place is None and key:  # «extra_inputs.unit.reused», else its row
            place = self.by_key.get(key)
            key = key.rpartition(".")[0]
        if place is None and where.field is not None and where.column is not None:
            place = self.by_grid.get((field_key(where.field), where.column))
        if place is None and where.department is not None:
            place = self.by_department.get(field_key(where.department))
        if place is None and finding.code in _UNIT_SCOPED and where == Location():
            place = self.by_key.get(_UNIT_SCOPED[finding.code])
        if place is None:
            return finding
        return finding.at(sheet=place[0], cell=place[1])


# What staff are told about a file that is no workbook; the fast reader says the same.
NOT_FOUND = "Không tìm thấy tệp."
IS_FOLDER = "Đây là một thư mục, không phải tệp."
CANNOT_OPEN = (
    "Không mở được tệp như một sổ tính Excel (.xlsx); tệp hỏng, có mật khẩu hoặc không "
    "phải sổ tính."
)


def _open(path: Path) -> tuple[OpenpyxlSource, tuple[Finding, ...]] | LoadResult:
    """The workbook for openpyxl and what staff should know of the file, or why not opened.

    openpyxl trusts the file (it inflates every part whole, reads a million rows
    twice, makes a cell for every cell of a merged range), so `package_guard`
    looks at the bytes first, with the caps of one commune's report workbook.
    openpyxl is imported here, so the calamine path never loads it.
    """
    from openpyxl.utils.exceptions import InvalidFileException

    from tthc.workbook.openpyxl_source import OpenpyxlSource

    def problem(message: str) -> LoadResult:
        finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
        return LoadResult(None, (finding,))

    if not path.exists():
        return problem(NOT_FOUND)
    if path.is_dir():
        return problem(IS_FOLDER)
    try:
        checked = check_workbook(path, TEMPLATE, CANNOT_OPEN)
        return OpenpyxlSource.open(path), file_notices(path.name, checked)
    except Refused as refused:
        return problem(str(refused))
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError):
        # SyntaxError: the XML parsers refuse entity expansions ("billion laughs") that way.
        return problem(CANNOT_OPEN)


def with_notices(loaded: LoadResult, notices: tuple[Finding, ...]) -> LoadResult:
    """`loaded` with the file's notices (links, macros) first."""
    if not notices:
        return loaded
    return replace(loaded, findings=(*notices, *loaded.findings))


def read_workbook(path: Path) -> LoadResult:
    """The report of a filled workbook file; findings carry sheet and cell."""
    opened = _open(path)
    if isinstance(opened, LoadResult):
        return opened
    book, notices = opened
    try:
        return with_notices(read_blocks(book, path.name), notices)
    finally:
        book.close()


def read_workbook_and_order(path: Path) -> tuple[LoadResult, tuple[str, ...]]:
    """`read_workbook`, and the field names of Phụ lục's rows in the sheet's order.

    The report keeps only rows with figures; the next month's workbook must list every
    field where this one listed it (`catalogue.grid_order`), empty rows included.
    """
    opened = _open(path)
    if isinstance(opened, LoadResult):
        return opened, ()
    book, notices = opened
    try:
        return with_notices(read_blocks(book, path.name), notices), grid_fields(book)
    finally:
        book.close()


def grid_fields(book: BlockSource) -> tuple[str, ...]:
    """Each named row of TTHC_GRID, top to bottom (a «Tổng cộng» inside it left out)."""
    block = book.block("TTHC_GRID")
    if block is None:
        return ()
    names = (cell_text(row[0].value) for row in block.rows)
    total = field_key(TOTAL_LABEL)
    return tuple(name for name in names if name and field_key(name) != total)


def read_blocks(book: BlockSource, label: str) -> LoadResult:
    """The report held by a workbook's named blocks, from any engine."""
    names = book.names()
    missing = [n for n in _REQUIRED_NAMES if n not in names]
    if len(missing) == len(_REQUIRED_NAMES):
        finding = Finding(
            Severity.ERROR,
            "workbook.not_template",
            "Sổ tính không có các tên định danh của mẫu báo cáo TTHC ("
            + ", ".join(missing)
            + "); hãy nhập số liệu vào mẫu BaoCaoTTHC.xlsx (lệnh «tthc template»).",
            Location(key=label),
        )
        return LoadResult(None, (finding,))
    cells = _Cells()
    raw: dict[str, Any] = {"unit": {}, "period": {}, "document": {}, "signer": {}}
    findings: list[Finding] = []
    _read_info(book, raw, cells, findings)
    grid_rows = _read_grid(book, raw, cells, findings)
    _read_extras(book, raw, cells)
    _read_catalogue(book, raw, cells, findings)
    findings += stray_cells(book)
    structure = _structure_findings(book, names, cells)
    unusable = {f.location.key for f in structure} & set(_REQUIRED_NAMES)
    if unusable:
        # Without the unit, the period or the grid there is no report to check: the
        # loader would only add echoes of the same damage ("Thiếu tên đơn vị"…).
        located = tuple(cells.locate(f) for f in (*structure, *findings))
        return LoadResult(None, located)
    loaded = load_report(raw)
    findings += structure
    findings += list(loaded.findings)
    if loaded.report is not None:
        findings += _cached_mismatches(loaded, grid_rows, cells)
    kept = [
        f
        for f in (cells.locate(f) for f in findings)
        if not (f.code == "count.blank" and (f.location.sheet, f.location.cell) in cells.explained)
    ]
    return LoadResult(loaded.report, tuple(_blanks_by_row(kept)), cells.locate)


def _blanks_by_row(findings: list[Finding]) -> list[Finding]:
    """One «Ô để trống» warning per grid row, naming its blank cells, not one per cell.

    A clerk who types a row's two figures and leaves the rest blank (a new month) would
    otherwise read nine warnings for one row; where the row's first warning stood.
    """
    rows: dict[tuple[str | None, str | None], list[Finding]] = {}
    for finding in findings:
        if finding.code == "count.blank" and finding.location.cell:
            where = finding.location
            rows.setdefault((where.sheet, where.field), []).append(finding)
    merged: list[Finding] = []
    for finding in findings:
        group = rows.get((finding.location.sheet, finding.location.field))
        if finding.code != "count.blank" or not finding.location.cell or group is None:
            merged.append(finding)
            continue
        if finding is not group[0]:
            continue
        if len(group) == 1:
            merged.append(finding)
            continue
        columns = ", ".join(f"({f.location.column})" for f in group)
        addresses = ", ".join(str(f.location.cell) for f in group)
        merged.append(
            Finding(
                Severity.WARNING,
                "count.blank",
                f"{len(group)} ô để trống (cột {columns}: ô {addresses}), được tính là 0.",
                replace(finding.location, column=None),
            )
        )
    return merged


@lru_cache(maxsize=1)
def _template_homes() -> dict[str, tuple[str, str]]:
    """Where each defined name starts in a fresh template: its sheet and first cell.

    When a name is missing or broken, this is where staff should look (and where
    the name must point again). First cells do not depend on the unit's catalogue,
    except the Tổng cộng row's, which `_home` takes from the grid when it can. The
    template is built once per process (the same one `stray_cells` compares with),
    and only when a workbook needs it.
    """
    return {
        name: (area.sheet, f"{column_letters(area.first_column)}{area.first_row}")
        for name, area in template_areas().items()
    }


def _home(name: str, cells: _Cells) -> tuple[str, str] | None:
    if name == "TTHC_GRID_TOTAL" and cells.grid_end is not None:
        sheet, last_row = cells.grid_end
        return sheet, f"B{last_row + 1}"
    return _template_homes().get(name)


def _structure_findings(book: BlockSource, names: set[str], cells: _Cells) -> list[Finding]:
    """Missing and broken defined names, each pointing at the place the template has it.

    A finding about a name alone ("TTHC_GRID is broken") gives staff nowhere to look;
    the sheet and cell where the name belongs do, and the data keys read through the
    name are pointed there too, so the findings that follow name a cell as well.
    """
    titles = book.sheet_titles()
    foreign = sorted(titles - set(SHEETS.values())) if titles is not None else []
    found: list[Finding] = []
    for name in _NAME_KEYS:
        if name not in names:
            found.append(
                Finding(
                    Severity.ERROR,
                    "workbook.name_missing",
                    f"Sổ tính thiếu tên định danh {name} của mẫu (có thể đã bị xóa), nên "
                    "chương trình không đọc được số liệu ở đây. Hãy mở Công thức › Quản lý "
                    f"tên (Formulas › Name Manager) và đặt lại tên {name} cho vùng bắt đầu ở "
                    "ô này như trong mẫu, hoặc nhập lại số liệu vào mẫu BaoCaoTTHC.xlsx.",
                    Location(key=name),
                )
            )
    found += book.findings
    located: list[Finding] = []
    for finding in found:
        defined = finding.location.key
        home = None
        if finding.code in ("workbook.name_missing", "workbook.name_broken") and defined:
            home = _home(defined, cells)
        if defined is None or home is None:
            located.append(finding)
            continue
        sheet, cell = home
        message = finding.message
        if finding.code == "workbook.name_broken":
            message += f" Theo mẫu, vùng của {defined} bắt đầu ở ô này."
        if titles is not None and sheet not in titles and foreign:
            shown = ", ".join(f"«{title}»" for title in foreign)
            message += (
                f" Sổ tính có trang {shown} không có trong mẫu: nếu đó là trang «{sheet}» "
                f"đã bị đổi tên, hãy đặt lại tên «{sheet}»."
            )
        for key in _NAME_KEYS.get(defined, ()):
            cells.by_key.setdefault(key, (sheet, cell))
        located.append(replace(finding, message=message).at(sheet=sheet, cell=cell))
    return located


def _cell(book: BlockSource, name: str) -> tuple[object, str, str] | None:
    block = book.block(name)
    if block is None:
        return None
    return block.first.value, block.sheet, block.first.coordinate


def _error_cell(value: object, sheet: str, coordinate: str) -> Finding | None:
    """A text cell showing #REF!, #N/A…: an error, never a unit or field called '#REF!'."""
    shown = excel_error(value)
    if shown is None:
        return None
    return Finding(
        Severity.ERROR,
        "cell.excel_error",
        f"Ô đang báo lỗi {shown} thay cho nội dung cần ghi; hãy nhập lại nội dung của ô.",
        Location(sheet=sheet, cell=coordinate),
    )


def _read_info(book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]) -> None:
    for name, (section, key) in _INFO_TEXTS.items():
        found = _cell(book, name)
        if found is None:
            continue
        value, sheet, coordinate = found
        error = _error_cell(value, sheet, coordinate)
        if error is not None:
            findings.append(error)
            value = None  # reported; the loader then says what is missing, if anything
        raw[section][key] = cell_text(value)
        cells.by_key[f"{section}.{key}"] = (sheet, coordinate)
    for name, (section, key) in _INFO_DATES.items():
        found = _cell(book, name)
        if found is None:
            continue
        value, sheet, coordinate = found
        cells.by_key[f"{section}.{key}"] = (sheet, coordinate)
        if name == "TTHC_DOC_DATE" and is_blank(value):
            continue  # defaults to the day after the period
        raw[section][key] = value
        if isinstance(value, str):
            findings.extend(_text_date(value, sheet, coordinate))
    if not raw["document"].get("symbol"):
        raw["document"].pop("symbol", None)
    for section in ("signer",):
        for key in ("authority", "title"):
            if not raw[section].get(key):
                raw[section].pop(key, None)
    _read_settings(book, raw, findings)
    _read_targets(book, raw, cells)
    for name, target in (
        ("TTHC_RECIPIENTS", ("document", "recipients")),
        ("TTHC_SHORTCOMINGS", ("shortcomings",)),
    ):
        block = book.block(name)
        if block is None:
            continue
        items = [cell_text(row[0].value) for row in block.rows if not is_blank(row[0].value)]
        if len(target) == 2:
            raw[target[0]][target[1]] = items
        else:
            raw[target[0]] = items


def _text_date(value: str, sheet: str, coordinate: str) -> list[Finding]:
    """A date cell holding text: say which day the text was taken for.

    '01/03/2026' typed where Excel did not make it a date (a text cell, or an Excel
    set to another country's order) is read day first, as Vietnamese dates are
    written; staff must see that reading, since 1 March and 3 January look alike.
    Text that is no date is left to the loader, which reports it.
    """
    day, problems = parse_date(value, Location(sheet=sheet, cell=coordinate))
    if day is None or problems or value.strip() == day.isoformat():
        return []  # not a date (the loader says so), or ISO 2026-03-31: nothing to choose
    return [
        Finding(
            Severity.WARNING,
            "date.text",
            f"Ngày được nhập dưới dạng chữ «{value.strip()}», đã hiểu là "
            f"{format_date_long(day)} (đọc theo ngày/tháng/năm); nên nhập ngày vào ô định "
            "dạng ngày.",
            Location(sheet=sheet, cell=coordinate),
        )
    ]


def _read_settings(book: BlockSource, raw: dict, findings: list[Finding]) -> None:
    block = book.block("TTHC_SETTINGS")
    if block is None:
        return
    cells = [row[0] for row in block.rows]
    raw["settings"], problems = settings_from_cells([cell.value for cell in cells])
    findings.extend(
        Finding(
            Severity.ERROR,
            "settings.invalid",
            problem.message,
            Location(sheet=block.sheet, cell=cells[problem.index].coordinate),
        )
        for problem in problems
    )


def _read_targets(book: BlockSource, raw: dict, cells: _Cells) -> None:
    block = book.block("TTHC_TARGETS")
    if block is None:
        return
    sheet = block.sheet
    targets: dict[str, Any] = {}
    for row in block.rows:
        code = cell_text(row[0].value)
        if code not in INDICATOR_CODES or len(row) < 4:
            continue
        comparison, percent = row[2], row[3]
        cells.by_key[f"targets.{code}"] = (sheet, comparison.coordinate)
        cells.by_key[f"targets.{code}.comparison"] = (sheet, comparison.coordinate)
        cells.by_key[f"targets.{code}.percent"] = (sheet, percent.coordinate)
        targets[code] = target_entry(comparison.value, percent.value)
    raw["targets"] = targets


@dataclass(frozen=True)
class _GridRow:
    # Position among the report's rows; -1 for a row without a field name (the loader
    # leaves it out), None for the Tổng cộng row.
    index: int | None
    sheet_row: int
    derived: dict[int, tuple[str, Any]]  # column number -> (cell, the value Excel cached)
    sheet: str


# Where each typed-in column sits in a row of TTHC_GRID (column (2), the field, is 0).
_INPUT_OFFSETS = tuple(column.number - 2 for column in INPUT_COLUMNS)


# Columns (3) to (16) of a grid row, after the field in (2).
_GRID_COLUMNS = tuple(column_by_number(number) for number in range(3, 17))


@lru_cache(maxsize=4096)
def _grid_keys(name_key: str) -> tuple[tuple[str, int], ...]:
    """The `_Cells.by_grid` keys of a row's cells (2) to (16): one field's in every file."""
    return tuple((name_key, number) for number in range(2, 17))


@lru_cache(maxsize=512)
def _row_keys(index: int) -> tuple[str, ...]:
    """The `_Cells.by_key` keys of the cells of the report's row `index`, (2) to (16)."""
    key = f"appendix.rows[{index}]"
    return (f"{key}.field", *(f"{key}.{column.key}" for column in _GRID_COLUMNS))


def _read_grid(
    book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]
) -> list[_GridRow]:
    block = book.block("TTHC_GRID")
    rows: list[dict[str, Any]] = []
    kept: list[_GridRow] = []
    if block is not None:
        sheet = block.sheet
        cells.grid_end = (sheet, block.rows[-1][0].row)
        cells.grid_area = f"{block.first.coordinate}:{block.rows[-1][-1].coordinate}"
        cells.by_key["appendix.rows"] = (sheet, block.first.coordinate)
        total_key = field_key(TOTAL_LABEL)
        named = 0
        for cells_of_row in block.rows:
            name_cell = cells_of_row[0]
            name = cell_text(name_cell.value)
            if field_key(name) == total_key:
                findings.append(_total_inside_grid(block, name_cell))
                continue  # its figures are the sums of the rows above, not a field's
            width = min(len(cells_of_row), 15)
            inputs = [cells_of_row[i] for i in _INPUT_OFFSETS if i < width]
            values = [c.value for c in inputs]
            if values.count(None) == len(values) or all(is_blank(v) for v in values):
                # A named row whose only figure a merge has hidden is still in use: its
                # loss must be reported, not the row skipped as empty.
                merged = [c.merged for c in inputs]
                if merged.count(None) == len(merged) or is_blank(name_cell.value):
                    continue  # most pre-listed fields: nothing typed this period
            in_grid = cells_of_row[:15]
            index = len(rows)
            row: dict[str, Any] = {"field": name}
            # The loader leaves a row without a field name out of the report, so the rows
            # after it sit one place earlier there: the cached-value checks follow that.
            in_report = -1 if not name else named
            named += 1 if name else 0
            places = [(sheet, cell.coordinate) for cell in in_grid]
            cells.by_grid.update(zip(_grid_keys(field_key(name)), places, strict=False))
            cells.by_key.update(zip(_row_keys(index), places, strict=False))
            derived: dict[int, tuple[str, Any]] = {}
            if name_cell.merged is not None:
                findings.append(_merged(sheet, name_cell, 2))
                cells.explained.add((sheet, name_cell.coordinate))
            for cell, column in zip(in_grid[1:], _GRID_COLUMNS, strict=False):  # a narrow block
                number = column.number
                if cell.merged is not None:
                    findings.append(_merged(sheet, cell, number))
                    cells.explained.add((sheet, cell.coordinate))
                if not column.is_derived:
                    row[column.key] = "" if cell.value is None else cell.value
                    if cell.is_formula and cell.value is None:
                        findings.append(_uncomputed(sheet, cell))
                        cells.explained.add((sheet, cell.coordinate))
                elif cell.merged is not None:
                    continue  # no formula left, nothing stated: recomputed like any other
                elif cell.typed_over:
                    row[column.key] = cell.value
                    findings.append(_overwritten(sheet, cell.coordinate, number, cell.value))
                else:
                    derived[number] = (cell.coordinate, cell.value)
            kept.append(_GridRow(in_report, name_cell.row, derived, sheet))
            rows.append(row)
    raw["appendix"] = {"rows": rows}
    total = book.block("TTHC_GRID_TOTAL")
    if total is not None:
        label_cell = total.rows[0][0]
        cells.total_row = (total.sheet, label_cell.row)
        if field_key(cell_text(label_cell.value)) != field_key(TOTAL_LABEL):
            findings.append(_total_misplaced(total.sheet, label_cell))
            return kept  # whatever that row holds, it is not the stated total
        stated: dict[str, Any] = {}
        derived_total: dict[int, tuple[str, Any]] = {}
        for offset, cell in enumerate(total.rows[0][1:15]):
            number = 3 + offset
            column = column_by_number(number)
            cells.by_grid[(field_key(TOTAL_LABEL), number)] = (total.sheet, cell.coordinate)
            cells.by_key[f"appendix.total.{column.key}"] = (total.sheet, cell.coordinate)
            if cell.merged is not None:
                findings.append(_merged(total.sheet, cell, number, total_row=True))
            elif cell.typed_over and not is_blank(cell.value):
                stated[column.key] = cell.value
                findings.append(_overwritten(total.sheet, cell.coordinate, number, cell.value))
            elif not cell.typed_over:
                derived_total[number] = (cell.coordinate, cell.value)
        if stated:
            raw["appendix"]["total"] = stated
        kept.append(_GridRow(None, label_cell.row, derived_total, total.sheet))
    return kept


def _total_disagrees(
    sheet: str, disagreeing: list[tuple[str, int, int, int]], cells: _Cells
) -> Finding:
    """One error for the Tổng cộng row whose figures the rows of TTHC_GRID do not make."""
    assert cells.total_row is not None
    coordinate, number, shown, counted = disagreeing[0]
    more = f" (và {len(disagreeing) - 1} cột khác)" if len(disagreeing) > 1 else ""
    return Finding(
        Severity.ERROR,
        "grid.total_disagrees",
        f"Dòng Tổng cộng của trang ghi cột ({number}) là {format_integer(shown)}{more}, nhưng "
        f"các dòng trong vùng tên định danh TTHC_GRID ({cells.grid_area}) cộng lại chỉ được "
        f"{format_integer(counted)}: vùng này không còn kéo tới ngay trên dòng Tổng cộng (dòng "
        f"{cells.total_row[1]}), nên có dòng lĩnh vực bị bỏ ngoài báo cáo. Hãy mở Công thức › "
        f"Quản lý tên (Formulas › Name Manager) cho TTHC_GRID trỏ tới hết dòng "
        f"{cells.total_row[1] - 1}.",
        Location(sheet=sheet, cell=coordinate),
    )


def _total_inside_grid(block: Block, name_cell: Cell) -> Finding:
    """The Tổng cộng row inside TTHC_GRID: the name no longer ends above it.

    Rows deleted by a program that moves cells but not defined names (openpyxl,
    some converters) leave TTHC_GRID covering the total row; Excel would have
    shrunk the name.
    """
    return Finding(
        Severity.ERROR,
        "grid.total_inside",
        f"Dòng «{TOTAL_LABEL}» nằm trong vùng các lĩnh vực (tên định danh TTHC_GRID): "
        "vùng này đã lệch, thường do dòng bị xóa bằng một chương trình "
        "không cập nhật tên định danh. Hãy mở Công thức › Quản lý tên (Formulas › Name "
        f"Manager) cho TTHC_GRID kết thúc ở dòng ngay trên dòng «{TOTAL_LABEL}» và "
        f"TTHC_GRID_TOTAL trỏ tới dòng «{TOTAL_LABEL}», hoặc nhập lại số liệu vào mẫu.",
        Location(sheet=block.sheet, cell=name_cell.coordinate),
    )


def _total_misplaced(sheet: str, label_cell: Cell) -> Finding:
    shown = cell_text(label_cell.value)
    what = f"ghi «{shown}»" if shown else "để trống"
    return Finding(
        Severity.ERROR,
        "grid.total_misplaced",
        f"Tên định danh TTHC_GRID_TOTAL phải trỏ tới dòng «{TOTAL_LABEL}» nhưng ô này {what}: "
        "vùng đã lệch, thường do dòng bị xóa hoặc chèn bằng một chương trình không cập nhật "
        "tên định danh. Hãy mở Công thức › Quản lý tên (Formulas › Name Manager) cho "
        f"TTHC_GRID_TOTAL trỏ lại dòng «{TOTAL_LABEL}», hoặc nhập lại số liệu vào mẫu.",
        Location(sheet=sheet, cell=label_cell.coordinate),
    )


def _merged(sheet: str, cell: Cell, number: int, *, total_row: bool = False) -> Finding:
    """A grid cell hidden by a merge: Excel keeps only the range's top-left value.

    An input or field name hidden so has lost what staff typed there (an error);
    a formula cell is recomputed anyway (a warning, so the sheet gets mended).
    """
    derived = total_row or (number > 2 and column_by_number(number).is_derived)
    head = (
        f"Ô {cell.coordinate} bị gộp vào vùng {cell.merged} nên không còn giá trị riêng "
        "(Excel chỉ giữ giá trị của ô đầu vùng gộp)."
    )
    if derived:
        return Finding(
            Severity.WARNING,
            "cell.merged",
            f"{head} Chương trình tự tính lại ô này; hãy bỏ gộp ô (Trang đầu › Gộp và Căn "
            "giữa, Home › Merge & Center) và khôi phục công thức (dùng lại mẫu).",
            Location(sheet=sheet, cell=cell.coordinate),
        )
    return Finding(
        Severity.ERROR,
        "cell.merged",
        f"{head} Hãy bỏ gộp ô (Trang đầu › Gộp và Căn giữa, Home › Merge & Center) rồi "
        "nhập lại số liệu của ô này.",
        Location(sheet=sheet, cell=cell.coordinate),
    )


def _uncomputed(sheet: str, cell: Cell) -> Finding:
    """A formula typed into an input cell, saved without its result (openpyxl, some converters).

    Its figure is unknown: counting it as a blank 0 would drop dossiers.
    """
    formula = "=" + str(cell.formula).lstrip("=")  # openpyxl keeps the '=', the XML does not
    return Finding(
        Severity.ERROR,
        "cell.formula_uncomputed",
        f"Ô này chứa công thức «{formula}» nhưng tệp không lưu kết quả đã tính (tệp được "
        "lưu bằng chương trình không tính công thức), nên không biết số hồ sơ. Hãy mở tệp "
        "bằng Excel hoặc LibreOffice, lưu lại rồi thử lại, hoặc nhập thẳng con số vào ô.",
        Location(sheet=sheet, cell=cell.coordinate),
    )


def _overwritten(sheet: str, coordinate: str, number: int, value: object) -> Finding:
    column = column_by_number(number)
    what = column.number_label if column.is_derived else f"tổng cột ({number})"
    if is_blank(value):  # a row inserted without copying the formulas, or the formula deleted
        return Finding(
            Severity.WARNING,
            "cell.formula_missing",
            f"Ô này vốn là công thức {what} nhưng đang để trống (thường do chèn dòng mà không "
            "chép công thức, hoặc công thức bị xoá); chương trình tự tính lại, hãy chép công "
            "thức từ dòng bên trên (hoặc dùng lại mẫu).",
            Location(sheet=sheet, cell=coordinate),
        )
    return Finding(
        Severity.WARNING,
        "cell.formula_overwritten",
        f"Ô này vốn là công thức {what} nhưng đã bị ghi đè bằng «{value}»; chương trình tự "
        "tính lại và đối chiếu, hãy khôi phục công thức (dùng lại mẫu).",
        Location(sheet=sheet, cell=coordinate),
    )


def _read_extras(book: BlockSource, raw: dict, cells: _Cells) -> None:
    block = book.block("TTHC_EXTRAS")
    if block is None:
        return
    sheet, rows = block.sheet, block.rows
    unit: dict[str, Any] = {}
    departments: dict[str, dict[str, Any]] = {}
    for row in rows:
        label = cell_text(row[0].value)
        if not label:
            continue
        by_key = dict(zip(EXTRA_COLUMNS, row, strict=False))
        is_unit = label.casefold().startswith("toàn")
        values = {
            k: by_key[k].value
            for k in _EXTRA_INPUT_KEYS
            if k in by_key and not is_blank(by_key[k].value)
        }
        prefix = "extra_inputs.unit" if is_unit else f"extra_inputs.departments.{label}"
        cells.by_key[prefix] = (sheet, row[0].coordinate)
        cells.by_department[field_key(label)] = (sheet, row[0].coordinate)
        for k in _EXTRA_INPUT_KEYS:
            if k in by_key:
                cells.by_key[f"{prefix}.{k}"] = (sheet, by_key[k].coordinate)
        if is_unit:
            unit = values
        elif values:
            departments[label] = values
    raw["extra_inputs"] = {"unit": unit, "departments": departments}


# The catalogue read from a block, by the block: an engine hands every workbook whose
# Danh mục is the same the same block (`calamine_source`), and reading a few hundred
# cells of names was a tenth of such a workbook's time. The block is kept with its
# reading, so its id names no other block while the entry lasts.
_CATALOGUES: dict[
    int, tuple[Block, tuple[tuple[str, tuple[str, ...]], ...], tuple[Finding, ...]]
] = {}
_CATALOGUES_KEPT = 8


def _read_catalogue(book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]) -> None:
    block = book.block("TTHC_CATALOGUE")
    if block is None:
        return
    known = _CATALOGUES.get(id(block))
    if known is None or known[0] is not block:
        mapping: dict[str, list[str]] = {}
        found: list[Finding] = []
        _catalogue_of(block, mapping, found)
        pairs = tuple((department, tuple(names)) for department, names in mapping.items())
        known = (block, pairs, tuple(found))
        if len(_CATALOGUES) >= _CATALOGUES_KEPT:
            del _CATALOGUES[next(iter(_CATALOGUES))]
        _CATALOGUES[id(block)] = known
    _, pairs, found_before = known
    findings.extend(found_before)
    if pairs:
        raw["catalogue"] = {department: list(names) for department, names in pairs}
        cells.by_key["catalogue"] = (block.sheet, block.rows[0][0].coordinate)


def _catalogue_of(block: Block, mapping: dict[str, list[str]], findings: list[Finding]) -> None:
    """The departments' fields the block lists, and what is wrong in it."""
    sheet, rows = block.sheet, block.rows
    for row in rows:
        if len(row) < 2:
            continue
        field_cell, department_cell = row[0], row[1]
        errors = [
            found
            for cell in (field_cell, department_cell)
            if (found := _error_cell(cell.value, sheet, cell.coordinate)) is not None
        ]
        if errors:  # not a field or department called "#REF!"
            findings.extend(errors)
            continue
        name, department = cell_text(field_cell.value), cell_text(department_cell.value)
        if not name and not department:
            continue
        if not name or not department:
            findings.append(
                Finding(
                    Severity.ERROR,
                    "catalogue.incomplete",
                    "Dòng danh mục phải có cả lĩnh vực và phòng chuyên môn.",
                    Location(
                        sheet=sheet, cell=(department_cell if name else field_cell).coordinate
                    ),
                )
            )
            continue
        mapping.setdefault(department, []).append(name)


def _cached_mismatches(
    loaded: LoadResult, grid_rows: list[_GridRow], cells: _Cells
) -> Iterator[Finding]:
    """Where a spreadsheet program saved a value for a derived cell, it must equal ours.

    The Tổng cộng row is checked too: through calamine, which sees no formulas, a
    total typed over its formula shows only here. When TTHC_GRID stops short of it,
    a total that disagrees is an error: the sheet counts rows the name leaves out.
    """
    assert loaded.report is not None
    detached = cells.grid_detached()
    disagreeing: list[tuple[str, int, int, int]] = []  # the total's cells: shown, counted
    for grid_row in grid_rows:
        if grid_row.index is None:
            counts = loaded.report.total
        elif 0 <= grid_row.index < len(loaded.report.rows):
            counts = loaded.report.rows[grid_row.index].counts
        else:
            continue
        for number, (coordinate, cached) in grid_row.derived.items():
            if cached.__class__ is int or cached.__class__ is float:
                pass  # the usual saved result: no error text to look for
            elif (shown := excel_error(cached)) is not None:
                yield Finding(
                    Severity.WARNING,
                    "cell.formula_error",
                    f"Công thức của ô này đang báo lỗi {shown}; chương trình tự tính lại được "
                    f"{format_integer(counts.value(number))}, nhưng hãy khôi phục công thức "
                    "(dùng lại mẫu) để sổ tính hiện đúng.",
                    Location(sheet=grid_row.sheet, cell=coordinate),
                )
                continue
            if not isinstance(cached, int | float) or isinstance(cached, bool):
                continue
            expected = counts.value(number)
            if cached != expected and detached and grid_row.index is None:
                disagreeing.append((coordinate, number, int(cached), expected))
            elif cached != expected:
                yield Finding(
                    Severity.WARNING,
                    "cell.cached_mismatch",
                    f"Giá trị Excel đã lưu là {format_integer(int(cached))} nhưng tính lại được "
                    f"{format_integer(expected)}; hãy mở tệp bằng Excel để tính lại rồi lưu.",
                    Location(sheet=grid_row.sheet, cell=coordinate),
                )
        if disagreeing:
            yield _total_disagrees(grid_row.sheet, disagreeing, cells)
            disagreeing = []
