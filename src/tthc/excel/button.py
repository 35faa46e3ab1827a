"""The "Tạo báo cáo" button: the CLI's pipeline on the workbook open in Excel.

`generate_report(book)` reads each named block once, runs the same pipeline
as `tthc report`, and writes only the sheets the tool owns (the text column of
Tổng hợp and the Báo cáo sheet, laid out as the CLI's output workbook lays it
out: `workbook.narrative_layout`); the user's input cells are never touched.
When validation finds errors it writes nothing and tells the user which cells
to fix.

Written so that real workbooks do not break it: error cells (#REF!, #N/A)
arrive as their text (`err_to_str`), so they become findings naming the cell as
in `tthc check` instead of silent zeros; each summary text goes to the row whose
code and scope it belongs to, never by position, and rows the sheet lacks are
named in the message instead of spilling past the range; text goes into cells
formatted as text, so nothing is parsed as a formula and no apostrophe shows.
Whatever fails, the clerk gets a Vietnamese message box and the technical
detail goes to a log file (`run_button`).
"""

from __future__ import annotations

import datetime as dt
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, TypeVar

from tthc.app.outputs import write_word_report
from tthc.core.findings import Finding, Severity
from tthc.core.pipeline import run_pipeline
from tthc.core.summary import SummaryRow, summary_rows
from tthc.workbook.blocks import UNKNOWN, Block, BlockSource, Cell, coordinate
from tthc.workbook.narrative_layout import COLUMN_WIDTHS, LayoutRow, TextLook, narrative_layout
from tthc.workbook.reader import read_blocks
from tthc.workbook.style import FONT_NAME

__all__ = [
    "XlwingsSource",
    "failure_message",
    "generate_report",
    "press",
    "run_button",
    "unprotected",
    "write_narrative_sheet",
]

_Key = TypeVar("_Key")
TITLE = "Báo cáo TTHC"
MAX_LISTED = 12  # findings listed in the message box; the rest are counted
NARRATIVE_CLEAR = "A1:B400"
WORKING = "Đang tạo báo cáo…"
LOG_NAME = "tthc-loi.log"
TEXT_FORMAT = "@"  # Excel keeps what is written as text: no formula, no date, no apostrophe


class XlwingsSource(BlockSource):
    """Named blocks of a live workbook through xlwings: one read per block."""

    def __init__(self, book: Any) -> None:
        super().__init__()
        self.book = book

    def names(self) -> set[str]:
        return {name.name for name in self.book.names}

    def block(self, name: str) -> Block | None:
        if name not in self.names():
            return None
        try:
            target = self.book.names[name].refers_to_range
        except Exception:  # a name pointing nowhere (#REF!) or at several areas
            self.broken(name, "không trỏ tới một vùng ô hợp lệ")
            return None
        # err_to_str: Excel's #REF!, #N/A… arrive as that text (xlwings blanks them by
        # default), so the checks name the cell instead of counting it as 0.
        values = target.options(ndim=2, err_to_str=True).value
        try:
            formulas = target.formula  # COM gives it; the web engine does not
        except NotImplementedError:
            formulas = None
        if isinstance(formulas, str):
            formulas = ((formulas,),)
        rows = []
        for r, row in enumerate(values):
            cells = []
            for c, value in enumerate(row):
                formula: object = UNKNOWN
                if formulas is not None:
                    text = formulas[r][c]
                    formula = text if isinstance(text, str) and text.startswith("=") else None
                cells.append(Cell(coordinate(target.row + r, target.column + c), value, formula))
            rows.append(cells)
        return Block(target.sheet.name, rows)


def _runs(
    rows: list[LayoutRow], key: Callable[[LayoutRow], object]
) -> Iterator[tuple[int, int, object]]:
    """(first index, last index, key) of each run of consecutive rows with the same key."""
    start = 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or key(rows[index]) != key(rows[start]):
            yield start, index - 1, key(rows[start])
            start = index


def _looks(row: LayoutRow) -> tuple[TextLook, TextLook | None]:
    return row.left_look, row.right_look


def write_narrative_sheet(anchor: Any, rows: list[LayoutRow]) -> None:
    """The Báo cáo sheet as the CLI's output workbook has it, from TTHC_NARRATIVE's cell.

    Values go in one call (cells made text first); merges, fonts, alignment and row
    heights one call per run of rows that share them, so a report of 70 rows costs
    a few dozen calls, not one per cell. What was there before (an earlier press)
    is unmerged and cleared first. An engine that cannot set the alignment (Office
    Scripts) leaves the template's.
    """
    sheet = anchor.sheet
    top, left = anchor.row, anchor.column
    area = sheet.range(NARRATIVE_CLEAR)
    area.unmerge()
    area.clear()
    for offset, width in enumerate(COLUMN_WIDTHS.values()):
        sheet.range((top, left + offset)).column_width = width
    target = anchor.resize(len(rows), 2)
    target.number_format = TEXT_FORMAT  # "- Văn phòng …" and "=…" stay text, as written
    target.value = [[row.left, row.right or ""] for row in rows]
    target.font.name = FONT_NAME
    target.wrap_text = True

    def span(first: int, last: int, column: int, width: int = 1) -> Any:
        return sheet.range((top + first, left + column), (top + last, left + column + width - 1))

    for first, last, merged in _runs(rows, lambda row: row.merged):
        if merged:
            span(first, last, 0, 2).merge(across=True)
    for first, last, height in _runs(rows, lambda row: row.height):
        span(first, last, 0, 2).row_height = height
    for first, last, _ in _runs(rows, _looks):
        for column, look in enumerate(_looks(rows[first])):
            if look is None:
                continue
            cells = span(first, last, column)
            cells.font.size = look.size
            if look.bold:  # cleared cells are neither bold nor italic
                cells.font.bold = True
            if look.italic:
                cells.font.italic = True
            with suppress(NotImplementedError):
                cells.horizontal_alignment = look.horizontal
                cells.vertical_alignment = "top"


def _error_message(findings: tuple[Finding, ...]) -> str:
    errors = [f for f in findings if f.severity is Severity.ERROR]
    listed = "\n".join(f"• {f.describe()}" for f in errors[:MAX_LISTED])
    more = len(errors) - MAX_LISTED
    tail = f"\n… và {more} lỗi khác (chạy «tthc check» để xem hết)." if more > 0 else ""
    return (
        "Chưa tạo báo cáo vì số liệu còn lỗi. Hãy sửa các ô sau rồi bấm lại «Tạo báo cáo»:\n"
        f"{listed}{tail}"
    )


def _book_folder(book: Any) -> Path | None:
    """The folder of a saved workbook; None for a new or web workbook."""
    try:
        path = Path(book.fullname)
    except Exception:
        return None
    return path.parent if path.is_absolute() and path.parent.is_dir() else None


def generate_report(book: Any) -> str:
    """Validate the workbook, fill Tổng hợp and Báo cáo, write the report file; the message."""
    source = XlwingsSource(book)
    result = run_pipeline(read_blocks(source, book.name))
    ready = result.ready
    if ready is None:
        message = _error_message(result.findings)
        book.app.alert(message, title=TITLE)
        return message
    summary, unplaced = _write_summary(book, summary_rows(ready.report, ready.indicators))
    anchor = book.names["TTHC_NARRATIVE"].refers_to_range
    sheet = anchor.sheet
    with unprotected(sheet):  # a clerk may have protected it; it is the tool's sheet
        write_narrative_sheet(anchor, narrative_layout(ready.narrative))
    written = [f"trang «{summary.sheet.name}» (cột «Ghi trong báo cáo»)", f"trang «{sheet.name}»"]
    folder = _book_folder(book)
    if folder is not None:
        target = write_word_report(ready, folder)
        written.append(f"báo cáo Word {target}")
    warnings = sum(f.severity is Severity.WARNING for f in result.findings)
    note = f"\nCó {warnings} cảnh báo; chạy «tthc check» để xem." if warnings else ""
    if unplaced:
        note += _unplaced_note(summary.sheet.name, unplaced)
    message = "Đã tạo báo cáo: " + "; ".join(written) + "." + note
    book.app.alert(message, title=TITLE)
    return message


def _key(code: object, scope: object) -> tuple[str, str]:
    return str(code or "").strip(), " ".join(str(scope or "").split()).casefold()


def _write_summary(book: Any, rows: list[SummaryRow]) -> tuple[Any, list[SummaryRow]]:
    """Each text into the TTHC_SUMMARY row of its code and scope; the rows with no place.

    The sheet may hold other rows than the pipeline makes (a department added to
    Danh mục after the workbook was made, rows deleted): matching keeps every text
    on its own row and leaves the rest blank, within the range.
    """
    summary = book.names["TTHC_SUMMARY"].refers_to_range
    cells = summary.options(ndim=2, err_to_str=True).value
    texts = {_key(row.code, row.scope): row for row in rows}
    column = []
    for line in cells:
        row = texts.pop(_key(line[0], line[2]), None) if len(line) > 2 else None
        column.append([row.text if row is not None else ""])
    text_column = summary.columns[-1]
    with unprotected(summary.sheet):
        text_column.number_format = TEXT_FORMAT
        text_column.value = column
    return summary, list(texts.values())


@contextmanager
def unprotected(sheet: Any) -> Iterator[None]:
    """The sheet's protection lifted for the write and put back as the template sets it.

    Only Excel's object model can do this (`sheet.api`, Windows); other engines
    have no protection to lift. The template protects without a password; a
    sheet a clerk protected with one stays protected, and Excel's refusal to
    write then reaches `press` as a failure with its message box.
    """
    try:
        native = sheet.api
        was_protected = bool(native.ProtectContents)
    except Exception:  # engines without the object model (Excel on the web, tests)
        yield
        return
    if not was_protected:
        yield
        return
    native.Unprotect()
    try:
        yield
    finally:
        # What template_parts.protect sets: cells locked, rows and columns resizable.
        native.Protect(
            DrawingObjects=True,
            Contents=True,
            Scenarios=True,
            AllowFormattingColumns=True,
            AllowFormattingRows=True,
            AllowSorting=True,
            AllowFiltering=True,
        )


def _unplaced_note(sheet: str, rows: list[SummaryRow]) -> str:
    listed = "; ".join(f"{row.code} ({row.scope})" for row in rows[:MAX_LISTED])
    more = f" và {len(rows) - MAX_LISTED} dòng khác" if len(rows) > MAX_LISTED else ""
    return (
        f"\nTrang «{sheet}» không có dòng cho {listed}{more}: các chỉ tiêu này chỉ có trong "
        "trang Báo cáo và báo cáo Word. Muốn có đủ dòng, tạo sổ tính mới bằng "
        "«tthc new --from» với sổ tính này."
    )


@contextmanager
def _status(book: Any) -> Iterator[None]:
    """«Đang tạo báo cáo…» in Excel's status bar while the button works (where it has one)."""
    try:
        book.app.status_bar = WORKING
    except Exception:  # engines without a status bar (Excel on the web, tests)
        yield
        return
    try:
        yield
    finally:
        with suppress(Exception):
            book.app.status_bar = None  # Excel's own text again


def _log_failure(book: Any, error: BaseException) -> Path | None:
    """Append the traceback to a log beside the workbook (else in the temp folder)."""
    import tempfile

    folder = _book_folder(book) if book is not None else None
    entry = (
        f"--- {dt.datetime.now().isoformat(timespec='seconds')} "
        f"{getattr(book, 'name', '?')}\n"
        + "".join(traceback.format_exception(type(error), error, error.__traceback__))
    )
    for place in (folder, Path(tempfile.gettempdir())):
        if place is None:
            continue
        log = place / LOG_NAME
        try:
            with log.open("a", encoding="utf-8") as handle:
                handle.write(entry)
        except OSError:
            continue
        return log
    return None


def failure_message(log: Path | None) -> str:
    """What the clerk reads when the button fails for a reason not in the data."""
    where = f" Chi tiết kỹ thuật đã ghi vào tệp {log}." if log is not None else ""
    return (
        "Không tạo được báo cáo do một lỗi ngoài dự kiến; số liệu trong sổ tính không bị "
        f"thay đổi.{where} Hãy lưu sổ tính, đóng Excel, mở lại rồi bấm «Tạo báo cáo» lần "
        "nữa; nếu vẫn lỗi, gửi sổ tính và tệp nhật ký đó cho người hỗ trợ."
    )


def press(book: Any) -> str:
    """The button on `book`: the report, or on any failure a message box and a log entry."""
    try:
        with _status(book):
            return generate_report(book)
    except Exception as error:  # COM errors included: the clerk never sees a traceback
        message = failure_message(_log_failure(book, error))
        with suppress(Exception):
            book.app.alert(message, title=TITLE)
        return message


def run_button() -> None:
    """What the ribbon button runs, on the workbook it was clicked in.

    `Book.caller()` is the workbook RunPython names (the add-in's VBA passes the
    active workbook of the Excel that called, never the add-in itself), which
    stays right with several Excel instances open, unlike `xw.books.active`.
    """
    import xlwings as xw

    press(xw.Book.caller())
