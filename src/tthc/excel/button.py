"""The "Tạo báo cáo" button: the CLI's pipeline on the workbook open in Excel.

`generate_report(book)` reads each named block once, runs the same pipeline
as `tthc report`, and writes only the sheets the tool owns (the text column of
Tổng hợp and the Báo cáo sheet), each with one call; the user's input cells
are never touched. When validation finds errors it writes nothing and tells
the user which cells to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tthc.app.outputs import write_word_report
from tthc.core.cell_text import split_for_cells
from tthc.core.findings import Finding, Severity
from tthc.core.narrative import Narrative
from tthc.core.pipeline import run_pipeline
from tthc.core.summary import summary_rows
from tthc.workbook.blocks import UNKNOWN, Block, BlockSource, Cell, coordinate
from tthc.workbook.reader import read_blocks
from tthc.workbook.style import typed_text

__all__ = ["XlwingsSource", "generate_report", "narrative_lines", "run_button"]

TITLE = "Báo cáo TTHC"
MAX_LISTED = 12  # findings listed in the message box; the rest are counted
NARRATIVE_CLEAR = "A1:B400"


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
        values = target.options(ndim=2).value
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


def narrative_lines(n: Narrative) -> list[str]:
    """The report as one column of lines, each short enough for a cell."""
    h = n.header
    lines = [h.parent_body, h.issuing_body, h.number_line, h.nation, h.motto, h.place_date, ""]
    lines += [n.title, n.subject, ""]
    lines += [p.text for p in n.body]
    lines += ["", n.recipients_heading, *n.recipients, "", *n.signature]
    return [piece for line in lines for piece in (split_for_cells(line) or [""])]


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
    rows = summary_rows(ready.report, ready.indicators)
    summary = book.names["TTHC_SUMMARY"].refers_to_range
    text_column = summary.resize(len(rows), summary.columns.count).columns[-1]
    text_column.value = [[row.text] for row in rows]
    anchor = book.names["TTHC_NARRATIVE"].refers_to_range
    sheet = anchor.sheet
    sheet.range(NARRATIVE_CLEAR).clear_contents()
    lines = narrative_lines(ready.narrative)
    # Excel parses what it is given like typed input: "- Văn phòng …" or a shortcoming
    # "=HYPERLINK(…)" would become a formula. The text prefix keeps every line text.
    anchor.resize(len(lines), 1).value = [[typed_text(line)] for line in lines]
    written = [f"trang «{summary.sheet.name}» (cột «Ghi trong báo cáo»)", f"trang «{sheet.name}»"]
    folder = _book_folder(book)
    if folder is not None:
        target = write_word_report(ready, folder)
        written.append(f"báo cáo Word {target}")
    warnings = sum(f.severity is Severity.WARNING for f in result.findings)
    note = f"\nCó {warnings} cảnh báo; chạy «tthc check» để xem." if warnings else ""
    message = "Đã tạo báo cáo: " + "; ".join(written) + "." + note
    book.app.alert(message, title=TITLE)
    return message


def run_button() -> None:
    """What the ribbon button runs: the user's workbook is the active one, not the add-in."""
    import xlwings as xw

    generate_report(xw.books.active)
