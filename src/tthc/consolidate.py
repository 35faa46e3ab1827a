"""A province's consolidation: the workbooks of many communes read, checked and summed.

Each file is read with the fast reader (python-calamine, `fast_source`) and
checked by the same rules as a single report; only units whose data has no
error are summed. Nothing aborts the batch: a file that cannot be read, is not
the template, has errors, belongs to another period or repeats a unit already
taken is set aside with a Vietnamese reason, and the rest is consolidated.

The check per unit is the pipeline's (`canonicalise_fields`, `validate`) and
the unit-wide indicators are `indicator_parts` on the unit's totals, as
`compute_indicators` gives them; the narrative, which a consolidation does
not print, is not written. Many files are read in a process pool, in chunks:
on 2 cores that halves the wall time (see benchmarks/README.md).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .catalogue import field_key
from .datafile import LoadResult
from .fast_source import read_workbook_fast
from .findings import Finding, Severity
from .grid import COUNT_COLUMNS, Counts
from .indicators import indicator_parts, unit_extras
from .labels import MISSING_TEXT, NONE_AROSE_TEXT, TITLES
from .model import EXTRA_INPUTS, ExtraValues, FieldRow, Period
from .validation import canonicalise_fields, validate
from .vn_format import RateRounding, _hundredths, format_period_label
from .workbook_style import (
    FONT_NAME,
    set_text,
    style_computed,
    style_header,
    style_label,
    style_title,
)

__all__ = [
    "KEY_INDICATORS",
    "Consolidation",
    "KeyIndicator",
    "SetAside",
    "UnitResult",
    "consolidate",
    "consolidation_workbook",
    "expand_paths",
]

KEY_INDICATORS: tuple[str, ...] = ("1.1", "1.3", "1.4", "2.1")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# A pool pays from about this many files (measured on 2 cores): forked workers start at
# once, spawned ones (Windows, macOS) import the package first, about 0,3 s each.
POOL_THRESHOLD = 16
SPAWN_POOL_THRESHOLD = 200
CHUNKS_PER_WORKER = 8  # chunks small enough for an even load and a lively progress bar
MAX_CHUNK = 64
CRASHED = (
    "Tệp làm dừng đột ngột chương trình đọc (tệp hỏng theo cách lạ); hãy mở tệp bằng Excel, "
    "lưu lại rồi gửi lại."
)


@dataclass(frozen=True)
class KeyIndicator:
    """One unit-wide indicator: numerator, denominator, exact rate, verdict against the target."""

    numerator: int | None
    denominator: int | None
    rate: Fraction | None  # None when an input is missing or nothing arose
    verdict: bool | None  # None without a target or a rate

    @property
    def text(self) -> str:
        """What a cell shows when there is no rate."""
        if self.denominator == 0:
            return NONE_AROSE_TEXT
        return MISSING_TEXT if self.rate is None else ""


@dataclass(frozen=True)
class UnitResult:
    """A unit taken into the consolidation."""

    path: Path
    unit: str  # full name: "xã Bình Giang"
    period: Period
    indicators: Mapping[str, KeyIndicator]  # "1.1", "1.3", "1.4", "2.1"
    late: int  # column (10): resolved after the deadline
    pending_overdue: int  # column (15): still pending, past the deadline
    errors: int
    warnings: int
    rate_rounding: RateRounding = RateRounding.TRUNCATE  # how the unit shows its rates


@dataclass(frozen=True)
class SetAside:
    """A file left out: unreadable, not the template, errors, other period, repeated unit."""

    path: Path
    reason: str  # one Vietnamese sentence
    details: tuple[str, ...] = ()  # the errors, as printed for a single report


@dataclass(frozen=True)
class Consolidation:
    units: tuple[UnitResult, ...]
    skipped: tuple[SetAside, ...]  # could not be used: unreadable, not ours, errors
    refused: tuple[SetAside, ...]  # usable but not taken: another period, a repeated unit
    rows: tuple[FieldRow, ...]  # per field, summed over the units, first-appearance order
    extras: ExtraValues  # summed where every unit has the value, else None
    period: Period | None  # the period of the consolidation (None without units)

    @property
    def total(self) -> Counts:
        return Counts.total(row.counts for row in self.rows)


@dataclass(frozen=True)
class _Read:
    """What one file gives, small enough to send back from a worker process."""

    path: Path
    problem: SetAside | None = None
    key: tuple[str, str] = ("", "")  # (kind, field_key(name)): the unit's identity
    result: UnitResult | None = None
    rows: tuple[FieldRow, ...] = ()
    extras: ExtraValues = field(default_factory=ExtraValues)


# --- reading one file ------------------------------------------------------------------------


def _errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def _unusable(path: Path, loaded: LoadResult) -> _Read:
    errors = _errors(loaded.findings)
    if len(errors) == 1 and errors[0].code in ("file.unreadable", "workbook.not_template"):
        return _Read(path, SetAside(path, errors[0].message))
    details = tuple(f.describe() for f in errors)
    reason = f"Không đọc được báo cáo trong sổ tính: {len(errors)} lỗi (xem chi tiết)."
    return _Read(path, SetAside(path, reason, details))


def _read_one(path: Path) -> _Read:
    """Read and check one workbook; never raises, whatever the file holds."""
    try:
        return _check(path, read_workbook_fast(path))
    except Exception as problem:  # one strange file must not stop a province
        reason = (
            f"Lỗi không lường trước khi đọc tệp ({type(problem).__name__}); hãy mở tệp bằng "
            "Excel, lưu lại rồi gửi lại."
        )
        return _Read(path, SetAside(path, reason))


def _check(path: Path, loaded: LoadResult) -> _Read:
    """The pipeline's checks (without the narrative) and the unit's figures."""
    if loaded.report is None:
        return _unusable(path, loaded)
    report, field_findings = canonicalise_fields(loaded.report)
    later = (*field_findings, *validate(report))
    if loaded.locator is not None:
        later = tuple(loaded.locator(f) for f in later)
    findings = (*loaded.findings, *later)
    errors = _errors(findings)
    name = report.unit.full_name
    if errors:
        reason = (
            f"{name[:1].upper()}{name[1:]}: số liệu còn {len(errors)} lỗi; đơn vị chưa được "
            "cộng vào tổng hợp (sửa rồi gửi lại)."
        )
        return _Read(path, SetAside(path, reason, tuple(f.describe() for f in errors)))
    total = report.total
    extras = unit_extras(report)
    indicators = {}
    for code in KEY_INDICATORS:
        numerator, denominator = indicator_parts(code, total, extras, report.settings)
        rate = None
        verdict = None
        if numerator is not None and denominator:
            rate = Fraction(numerator, denominator)
            target = report.targets.get(code)
            verdict = None if target is None else target.is_met(numerator, denominator)
        indicators[code] = KeyIndicator(numerator, denominator, rate, verdict)
    result = UnitResult(
        path=path,
        unit=name,
        period=report.period,
        indicators=indicators,
        late=total.late,
        pending_overdue=total.pending_overdue,
        errors=0,
        warnings=sum(f.severity is Severity.WARNING for f in findings),
        rate_rounding=report.settings.rate_rounding,
    )
    key = (report.unit.kind.value, field_key(report.unit.name))
    return _Read(path, None, key, result, report.rows, extras)


def _read_chunk(paths: Sequence[Path]) -> list[_Read]:
    return [_read_one(path) for path in paths]


# --- the batch -------------------------------------------------------------------------------


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder gives its .xlsx/.xlsm files, sorted by name.

    Excel's lock files ("~$Bao cao.xlsx", present while a workbook is open) are
    not workbooks and are left out; a file named twice is read once.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        inside = _workbooks_in(path) if path.is_dir() else [(path, path.resolve())]
        for item, identity in inside:
            if identity not in seen:
                seen.add(identity)
                found.append(item)
    return found


def _workbooks_in(folder: Path) -> list[tuple[Path, Path]]:
    """A folder's workbooks, sorted by name, each with the real path that identifies it.

    The folder is resolved once; only a link inside it is resolved on its own (a
    province's folder holds thousands of files, and resolving each costs three calls).
    """
    real_folder = folder.resolve()
    inside = []
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if Path(name).suffix.lower() not in WORKBOOK_SUFFIXES or name.startswith("~$"):
                continue
            if not entry.is_file():
                continue
            item = folder / name
            identity = item.resolve() if entry.is_symlink() else real_folder / name
            inside.append((item, identity))
    return sorted(inside)


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _pool_threshold() -> int:
    """How many files a pool needs to pay, for the start method the pool will use."""
    method = multiprocessing.get_start_method(allow_none=True)
    method = method or multiprocessing.get_all_start_methods()[0]  # the platform's default
    return POOL_THRESHOLD if method == "fork" else SPAWN_POOL_THRESHOLD


def _read_all(files: list[Path], workers: int, progress: bool) -> Iterator[_Read]:
    bar = None
    try:
        if workers > 1 and len(files) >= _pool_threshold():
            size = max(1, min(MAX_CHUNK, len(files) // (workers * CHUNKS_PER_WORKER)))
            chunks = [files[i : i + size] for i in range(0, len(files), size)]
            done = 0
            with ProcessPoolExecutor(max_workers=workers) as pool:
                results = pool.map(_read_chunk, chunks)  # workers start here, before any thread
                bar = _bar(len(files), progress)
                try:
                    for chunk in results:
                        yield from chunk
                        done += len(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
                except BrokenProcessPool:
                    pass  # a worker died (a crash in a native library): go on file by file
            for read in _isolated(files[done:]):
                yield read
                if bar is not None:
                    bar.update(1)
        else:
            bar = _bar(len(files), progress)
            for path in files:
                yield _read_one(path)
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()


def _isolated(files: list[Path]) -> Iterator[_Read]:
    """Each file in a process of its own, so a file that kills its reader costs only itself.

    Only used after a worker died, which a Python exception never causes: slow and rare.
    """
    for path in files:
        with ProcessPoolExecutor(max_workers=1) as pool:
            try:
                yield pool.submit(_read_one, path).result()
            except BrokenProcessPool:
                yield _Read(path, SetAside(path, CRASHED))


def _bar(total: int, progress: bool) -> Any:
    """A tqdm bar on stderr, or None; tqdm is imported only when asked for."""
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="tệp", desc="Đọc sổ tính", file=sys.stderr)


@dataclass
class _PeriodSum:
    """The units of one period, summed as they come: the consolidation if that period wins.

    Kept per period so that nothing but the running sums and one line per unit
    stays in memory, whatever the number of files.
    """

    units: list[tuple[int, UnitResult]] = field(default_factory=list)
    taken: dict[tuple[str, str], tuple[Path, str]] = field(default_factory=dict)
    duplicates: list[tuple[int, UnitResult, SetAside]] = field(default_factory=list)
    rows: dict[str, tuple[str, Counts]] = field(default_factory=dict)
    extras: dict[str, int | None] = field(default_factory=dict)

    def add(self, index: int, read: _Read) -> None:
        result = read.result
        assert result is not None
        first = self.taken.get(read.key)
        if first is not None:
            first_path, first_unit = first
            spelt = "" if result.unit == first_unit else f" (tệp này ghi «{result.unit}»)"
            reason = (
                f"Trùng đơn vị {first_unit}, đã lấy từ tệp «{first_path}»; tệp "
                f"«{read.path}»{spelt} không được cộng."
            )
            self.duplicates.append((index, result, SetAside(read.path, reason)))
            return
        self.taken[read.key] = (read.path, result.unit)
        self.units.append((index, result))
        for row in read.rows:
            key = field_key(row.field)
            name, counts = self.rows.get(key, (row.field, Counts()))
            self.rows[key] = (name, counts + row.counts)
        for key, _label in EXTRA_INPUTS:  # a sum only while every unit gives the value
            value, so_far = read.extras.get(key), self.extras.get(key, 0)
            self.extras[key] = None if value is None or so_far is None else so_far + value


def consolidate(
    paths: Sequence[Path], *, workers: int | None = None, progress: bool = False
) -> Consolidation:
    """Read every workbook, check each unit, sum those without errors.

    `paths` are files or folders (a folder's .xlsx/.xlsm files, sorted). The
    period is the one most units report (a unit sent twice counts once; the
    period seen first wins a tie); a unit of another period is refused, and so
    is a unit already taken from an earlier file (same kind and name).
    `workers`: the number of processes (default: the usable CPUs; 1 reads in
    this process).
    """
    files = expand_paths(paths)
    skipped: list[SetAside] = []
    by_period: dict[Period, _PeriodSum] = {}
    for index, read in enumerate(_read_all(files, _workers(workers), progress)):
        if read.problem is not None or read.result is None:
            skipped.append(read.problem or SetAside(read.path, "Không đọc được tệp."))
            continue
        by_period.setdefault(read.result.period, _PeriodSum()).add(index, read)
    if not by_period:
        return Consolidation((), tuple(skipped), (), (), ExtraValues(), None)
    period, chosen = max(by_period.items(), key=lambda item: len(item[1].taken))
    refused = [(index, aside) for index, _result, aside in chosen.duplicates]
    for other, lost in by_period.items():
        if other == period:
            continue
        everyone = [*lost.units, *((index, result) for index, result, _ in lost.duplicates)]
        for index, result in everyone:
            reason = (
                f"{_capital(result.unit)} báo cáo {_period(result.period)}, khác kỳ tổng hợp "
                f"{_period(period)}; tệp không được cộng."
            )
            refused.append((index, SetAside(result.path, reason)))
    return Consolidation(
        units=tuple(result for _index, result in chosen.units),
        skipped=tuple(skipped),
        refused=tuple(aside for _index, aside in sorted(refused, key=lambda item: item[0])),
        rows=tuple(FieldRow(name, counts) for name, counts in chosen.rows.values()),
        extras=ExtraValues(**{key: chosen.extras.get(key) for key, _label in EXTRA_INPUTS}),
        period=period,
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _period(period: Period) -> str:
    return format_period_label(period.start, period.end)


# --- the consolidation workbook -----------------------------------------------------------

UNITS_SHEET = "Các đơn vị"
GRID_SHEET = "Phụ lục tổng hợp"
SET_ASIDE_SHEET = "Tệp bị bỏ qua"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"


def _shown_rate(indicator: KeyIndicator, rounding: RateRounding) -> object:
    """The rate as the unit's report shows it (cut to hundredths of a percent), or the words."""
    if indicator.rate is None:
        return indicator.text
    return _hundredths(indicator.rate, rounding) / 10000


def _print_setup(sheet: Worksheet, title_rows: str) -> None:
    """A4 landscape, one page wide, the header repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = title_rows


def _verdict(indicator: KeyIndicator) -> str:
    if indicator.verdict is None:
        return ""
    return "Đạt" if indicator.verdict else "Không đạt"


_BODY_FONT = Font(name=FONT_NAME, size=11)
_BODY_ALIGNMENT = Alignment(vertical="center")


def _write_row(
    sheet: Worksheet, row: int, values: Sequence[object], formats: Mapping[int, str]
) -> None:
    """One table row: text stays text, numbers get their format; styles shared, not rebuilt."""
    for column, value in enumerate(values, 1):
        cell = sheet.cell(row, column)
        if isinstance(value, str):
            set_text(cell, value)
        else:
            cell.value = value
            if column in formats:
                cell.number_format = formats[column]
        cell.font = _BODY_FONT
        cell.alignment = _BODY_ALIGNMENT


def _units_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(UNITS_SHEET)
    headers = ["STT", "Tên đơn vị", "Kỳ báo cáo"]
    formats: dict[int, str] = {}
    for code in KEY_INDICATORS:
        headers += [f"{code}. {TITLES[code]}", f"{code}. Kết quả"]
        formats[len(headers) - 1] = RATE_FORMAT
    headers += [
        "Số hồ sơ giải quyết quá hạn (10)",
        "Số hồ sơ đang giải quyết quá hạn (15)",
        "Số lỗi",
        "Số cảnh báo",
        "Tệp",
    ]
    for column in range(len(headers) - 4, len(headers)):
        formats[column] = COUNT_FORMAT
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
    for index, unit in enumerate(c.units, 1):
        values: list[object] = [index, unit.unit, _period(unit.period)]
        for code in KEY_INDICATORS:
            indicator = unit.indicators[code]
            verdict = (
                "" if indicator.verdict is None else "Đạt" if indicator.verdict else "Không đạt"
            )
            values += [_shown_rate(indicator, unit.rate_rounding), verdict]
        values += [unit.late, unit.pending_overdue, unit.errors, unit.warnings, str(unit.path)]
        _write_row(sheet, index + 1, values, formats)
    last = max(1, len(c.units)) + 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{last}"
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 75
    widths = [6, 28, 20, *([16, 11] * len(KEY_INDICATORS)), 14, 14, 8, 10, 50]
    for column, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    _print_setup(sheet, "1:1")


def _grid_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(GRID_SHEET)
    last_letter = get_column_letter(16)
    title = "PHỤ LỤC TỔNG HỢP KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    if c.period is not None:
        title += f" {_period(c.period).upper()}"
    sheet["A1"] = title
    style_title(sheet["A1"])
    sheet.merge_cells(f"A1:{last_letter}1")
    set_text(sheet["A2"], f"Tổng hợp từ {len(c.units)} đơn vị (số liệu không có lỗi).")
    style_title(sheet["A2"], size=11, italic=True)
    sheet.merge_cells(f"A2:{last_letter}2")
    # Rows 4-6: groups, column names, the form's numbering (1)…(16).
    for ref, text in (("A4:A5", "STT"), ("B4:B5", "Lĩnh vực giải quyết")):
        sheet[ref.split(":")[0]] = text
        sheet.merge_cells(ref)
    groups: dict[str, list[int]] = {}
    for column in COUNT_COLUMNS:
        groups.setdefault(column.group, []).append(column.number)
        sheet.cell(5, column.number, column.label)
    for group, numbers in groups.items():
        sheet.cell(4, numbers[0], group)
        sheet.merge_cells(start_row=4, start_column=numbers[0], end_row=4, end_column=numbers[-1])
    sheet.cell(6, 1, "(1)")
    sheet.cell(6, 2, "(2)")
    for column in COUNT_COLUMNS:
        set_text(sheet.cell(6, column.number), column.number_label)
    for row in (4, 5, 6):
        for column in range(1, 17):
            style_header(sheet.cell(row, column))
    row = 7
    for index, item in enumerate(c.rows, 1):
        sheet.cell(row, 1, index)
        set_text(sheet.cell(row, 2), item.field)
        for column in COUNT_COLUMNS:
            sheet.cell(row, column.number, item.counts.value(column.number))
        for col in range(1, 17):
            style_computed(sheet.cell(row, col), number_format=COUNT_FORMAT)
        row += 1
    total = c.total
    sheet.cell(row, 2, "Tổng cộng")
    for column in COUNT_COLUMNS:
        sheet.cell(row, column.number, total.value(column.number))
    for col in range(1, 17):
        style_computed(sheet.cell(row, col), number_format=COUNT_FORMAT, bold=True)
    row += 2
    sheet.cell(row, 1, "SỐ LIỆU CÁC CHỈ TIÊU 1.2–1.6 (tổng các đơn vị)")
    style_label(sheet.cell(row, 1), bold=True, wrap=False)
    for key, label in EXTRA_INPUTS:
        row += 1
        set_text(sheet.cell(row, 2), label)
        style_label(sheet.cell(row, 2), wrap=False)
        value = c.extras.get(key)
        cell = sheet.cell(row, 6)
        if value is None:
            set_text(cell, "chưa đủ số liệu (có đơn vị chưa nhập)")
        else:
            cell.value = value
            cell.number_format = COUNT_FORMAT
        style_label(cell, wrap=False)
        cell.font = Font(name=FONT_NAME, size=11, bold=value is not None)
    sheet.column_dimensions["A"].width = 5
    sheet.column_dimensions["B"].width = 26
    for column in range(3, 17):
        sheet.column_dimensions[get_column_letter(column)].width = 11
    sheet.row_dimensions[5].height = 45
    sheet.row_dimensions[6].height = 30
    for cell in sheet[6]:
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.freeze_panes = "C7"
    _print_setup(sheet, "4:6")


def _set_aside_sheet(workbook: Workbook, c: Consolidation) -> None:
    sheet = workbook.create_sheet(SET_ASIDE_SHEET)
    headers = ("STT", "Tệp", "Xử lý", "Lý do", "Chi tiết")
    for column, text in enumerate(headers, 1):
        style_header(sheet.cell(1, column, text))
    items = [("Bỏ qua", s) for s in c.skipped] + [("Từ chối", r) for r in c.refused]
    for index, (what, item) in enumerate(items, 1):
        details = "\n".join(item.details)
        if len(details) > 32_000:  # an Excel cell holds 32.767 characters
            details = details[:32_000] + "\n…"
        _write_row(sheet, index + 1, (index, str(item.path), what, item.reason, details), {})
        for column in (4, 5):
            sheet.cell(index + 1, column).alignment = Alignment(vertical="top", wrap_text=True)
    sheet.auto_filter.ref = f"A1:E{max(1, len(items)) + 1}"
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDE", (6, 50, 10, 70, 90), strict=True):
        sheet.column_dimensions[letter].width = width
    _print_setup(sheet, "1:1")


def consolidation_workbook(c: Consolidation) -> Workbook:
    """Các đơn vị (sortable), Phụ lục tổng hợp (the summed grid), Tệp bị bỏ qua."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _units_sheet(workbook, c)
    _grid_sheet(workbook, c)
    _set_aside_sheet(workbook, c)
    workbook.properties.title = "Tổng hợp báo cáo kết quả giải quyết thủ tục hành chính"
    workbook.properties.creator = "tthc"
    workbook.active = 0
    return workbook
