"""Reading a filled workbook through its defined names (openpyxl).

The reader turns the workbook into the same raw structure as the data file,
so one loader (`datafile.load_report`) applies the same rules and messages to
both; it keeps a map from every data key and grid coordinate to its cell, so
each finding names the sheet and cell staff must look at. Derived cells are
never trusted: a formula is recomputed, a number typed over a formula is
reported, and a value Excel cached is cross-checked against the recomputation.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils.exceptions import InvalidFileException

from .catalogue import field_key
from .datafile import LoadResult, load_report
from .findings import Finding, Location, Severity
from .grid import INPUT_COLUMNS, column_by_number
from .model import INDICATOR_CODES
from .parsing import is_blank
from .vn_format import format_integer, nfc
from .workbook_blocks import BlockSource, OpenpyxlSource
from .workbook_layout import (
    EXTRA_COLUMNS,
    NO,
    YES,
    convention_from_label,
    rounding_from_label,
)

__all__ = ["read_blocks", "read_workbook"]

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


@dataclass
class _Cells:
    """Where each value came from: data keys, grid coordinates and departments to cells."""

    by_key: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_grid: dict[tuple[str, int], tuple[str, str]] = field(default_factory=dict)
    by_department: dict[str, tuple[str, str]] = field(default_factory=dict)

    def locate(self, finding: Finding) -> Finding:
        where = finding.location
        if where.sheet is not None:
            return finding
        place = None
        if where.key is not None:
            place = self.by_key.get(where.key)
        if place is None and where.field is not None and where.column is not None:
            place = self.by_grid.get((field_key(where.field), where.column))
        if place is None and where.department is not None:
            place = self.by_department.get(field_key(where.department))
        if place is None:
            return finding
        return finding.at(sheet=place[0], cell=place[1])


def _open(path: Path) -> OpenpyxlSource | LoadResult:
    def problem(message: str) -> LoadResult:
        finding = Finding(Severity.ERROR, "file.unreadable", message, Location(key=path.name))
        return LoadResult(None, (finding,))

    if not path.exists():
        return problem("Không tìm thấy tệp.")
    if path.is_dir():
        return problem("Đây là một thư mục, không phải tệp.")
    try:
        return OpenpyxlSource.open(path)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, SyntaxError):
        # SyntaxError: the XML parsers refuse entity expansions ("billion laughs") that way.
        return problem(
            "Không mở được tệp như một sổ tính Excel (.xlsx); tệp hỏng, có mật khẩu hoặc không "
            "phải sổ tính."
        )


def read_workbook(path: Path) -> LoadResult:
    """The report of a filled workbook file; findings carry sheet and cell."""
    opened = _open(path)
    if isinstance(opened, LoadResult):
        return opened
    return read_blocks(opened, path.name)


def read_blocks(book: BlockSource, label: str) -> LoadResult:
    """The report held by a workbook's named blocks, from any engine."""
    missing = [n for n in _REQUIRED_NAMES if n not in book.names()]
    if missing:
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
    loaded = load_report(raw)
    findings += book.findings
    findings += list(loaded.findings)
    if loaded.report is not None:
        findings += _cached_mismatches(loaded, grid_rows)
    located = tuple(cells.locate(f) for f in findings)
    return LoadResult(loaded.report, located, cells.locate)


def _cell(book: BlockSource, name: str) -> tuple[object, str, str] | None:
    block = book.block(name)
    if block is None:
        return None
    return block.first.value, block.sheet, block.first.coordinate


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def _read_info(book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]) -> None:
    for name, (section, key) in _INFO_TEXTS.items():
        found = _cell(book, name)
        if found is None:
            continue
        value, sheet, coordinate = found
        raw[section][key] = _text(value)
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
        items = [_text(row[0].value) for row in block.rows if not is_blank(row[0].value)]
        if len(target) == 2:
            raw[target[0]][target[1]] = items
        else:
            raw[target[0]] = items


def _read_settings(book: BlockSource, raw: dict, findings: list[Finding]) -> None:
    block = book.block("TTHC_SETTINGS")
    if block is None:
        return
    values = [row[0] for row in block.rows]
    settings: dict[str, Any] = {}

    def bad(cell: Any, allowed: str) -> None:
        findings.append(
            Finding(
                Severity.ERROR,
                "settings.invalid",
                f"Giá trị «{cell.value}» không hợp lệ; chọn {allowed}.",
                Location(sheet=block.sheet, cell=cell.coordinate),
            )
        )

    if len(values) >= 1 and not is_blank(values[0].value):
        convention = convention_from_label(values[0].value)
        if convention is None:
            bad(values[0], "«Theo mẫu» hoặc «Theo QĐ 766»")
        else:
            settings["convention"] = convention.value
    for index, key in ((1, "strict_on_time"), (2, "zero_pad")):
        if len(values) > index and not is_blank(values[index].value):
            text = _text(values[index].value)
            if text in (YES, NO):
                settings[key] = text == YES
            else:
                bad(values[index], f"«{YES}» hoặc «{NO}»")
    if len(values) >= 4 and not is_blank(values[3].value):
        rounding = rounding_from_label(values[3].value)
        if rounding is None:
            bad(values[3], "«Cắt bớt» hoặc «Làm tròn»")
        else:
            settings["rate_rounding"] = rounding.value
    raw["settings"] = settings


def _read_targets(book: BlockSource, raw: dict, cells: _Cells) -> None:
    block = book.block("TTHC_TARGETS")
    if block is None:
        return
    sheet = block.sheet
    targets: dict[str, Any] = {}
    for row in block.rows:
        code = _text(row[0].value)
        if code not in INDICATOR_CODES or len(row) < 4:
            continue
        comparison, percent = row[2], row[3]
        cells.by_key[f"targets.{code}"] = (sheet, comparison.coordinate)
        cells.by_key[f"targets.{code}.comparison"] = (sheet, comparison.coordinate)
        cells.by_key[f"targets.{code}.percent"] = (sheet, percent.coordinate)
        if is_blank(comparison.value):
            targets[code] = None
        else:
            targets[code] = {"comparison": _text(comparison.value), "percent": percent.value}
    raw["targets"] = targets


@dataclass(frozen=True)
class _GridRow:
    index: int  # position in the data file's rows
    sheet_row: int
    derived: dict[int, tuple[str, Any]]  # column number -> (cell, the value Excel cached)
    sheet: str


def _read_grid(
    book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]
) -> list[_GridRow]:
    block = book.block("TTHC_GRID")
    rows: list[dict[str, Any]] = []
    kept: list[_GridRow] = []
    if block is not None:
        sheet = block.sheet
        for cells_of_row in block.rows:
            by_number = {2 + offset: cell for offset, cell in enumerate(cells_of_row[:15])}
            inputs = [by_number[c.number].value for c in INPUT_COLUMNS if c.number in by_number]
            if all(is_blank(v) for v in inputs):
                continue
            index = len(rows)
            name_cell = by_number[2]
            name = _text(name_cell.value)
            row: dict[str, Any] = {"field": name}
            key = f"appendix.rows[{index}]"
            cells.by_key[f"{key}.field"] = (sheet, name_cell.coordinate)
            derived: dict[int, tuple[str, Any]] = {}
            name_key = field_key(name)
            for number, cell in by_number.items():
                cells.by_grid[(name_key, number)] = (sheet, cell.coordinate)
                if number == 2:
                    continue
                column = column_by_number(number)
                cells.by_key[f"{key}.{column.key}"] = (sheet, cell.coordinate)
                if not column.is_derived:
                    row[column.key] = "" if cell.value is None else cell.value
                elif cell.typed_over:
                    row[column.key] = cell.value
                    findings.append(_overwritten(sheet, cell.coordinate, number, cell.value))
                else:
                    derived[number] = (cell.coordinate, cell.value)
            kept.append(_GridRow(index, name_cell.row, derived, sheet))
            rows.append(row)
    raw["appendix"] = {"rows": rows}
    total = book.block("TTHC_GRID_TOTAL")
    if total is not None:
        stated: dict[str, Any] = {}
        for offset, cell in enumerate(total.rows[0][1:15]):
            number = 3 + offset
            column = column_by_number(number)
            cells.by_grid[(field_key("Tổng cộng"), number)] = (total.sheet, cell.coordinate)
            cells.by_key[f"appendix.total.{column.key}"] = (total.sheet, cell.coordinate)
            if cell.typed_over and not is_blank(cell.value):
                stated[column.key] = cell.value
                findings.append(_overwritten(total.sheet, cell.coordinate, number, cell.value))
        if stated:
            raw["appendix"]["total"] = stated
    return kept


def _overwritten(sheet: str, coordinate: str, number: int, value: object) -> Finding:
    column = column_by_number(number)
    what = column.number_label if column.is_derived else f"tổng cột ({number})"
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
        label = _text(row[0].value)
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


def _read_catalogue(book: BlockSource, raw: dict, cells: _Cells, findings: list[Finding]) -> None:
    block = book.block("TTHC_CATALOGUE")
    if block is None:
        return
    sheet, rows = block.sheet, block.rows
    mapping: dict[str, list[str]] = {}
    for row in rows:
        if len(row) < 2:
            continue
        field_cell, department_cell = row[0], row[1]
        name, department = _text(field_cell.value), _text(department_cell.value)
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
    if mapping:
        raw["catalogue"] = mapping
        cells.by_key["catalogue"] = (sheet, rows[0][0].coordinate)


def _cached_mismatches(loaded: LoadResult, grid_rows: list[_GridRow]) -> Iterator[Finding]:
    """Where a spreadsheet program saved a value for a derived cell, it must equal ours."""
    assert loaded.report is not None
    for grid_row in grid_rows:
        if grid_row.index >= len(loaded.report.rows):
            continue
        counts = loaded.report.rows[grid_row.index].counts
        for number, (coordinate, cached) in grid_row.derived.items():
            if not isinstance(cached, int | float) or isinstance(cached, bool):
                continue
            expected = counts.value(number)
            if cached != expected:
                yield Finding(
                    Severity.WARNING,
                    "cell.cached_mismatch",
                    f"Giá trị Excel đã lưu là {format_integer(int(cached))} nhưng tính lại được "
                    f"{format_integer(expected)}; hãy mở tệp bằng Excel để tính lại rồi lưu.",
                    Location(sheet=grid_row.sheet, cell=coordinate),
                )
