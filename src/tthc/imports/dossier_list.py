"""Reading the one-stop system's per-dossier list into `Dossier` records.

The provincial one-stop information system exports one row per dossier, as a
workbook (.xlsx, .xlsm; .xls, .xlsb and .ods are read too) or as a CSV file.
Each vendor names the columns its own way; this module finds the header row,
recognises each column by a table of aliases, reads every value into a
`Dossier` (`dossier_model`) and reports every doubt as a Vietnamese finding.
It never raises on bad content: a row it cannot read is left out of the
records and named (row number and dossier code) in an ERROR finding.

Files
-----

- Workbooks are read with python-calamine. The first sheet whose header row
  names every required column is used (failing that, the sheet naming most of
  them, and the findings say what is missing); the header row may lie below
  title rows (the first 30 rows are searched: the row naming the most columns
  wins). Values are read as the file stores them (for a formula: its last
  result); a cell showing an Excel error (#N/A…) reads as blank.
- CSV files are read as UTF-8 (with or without BOM). A file that is not valid
  UTF-8 is read as Windows-1258 (the Vietnamese code page of Excel's plain
  "CSV" on Vietnamese Windows) with a WARNING. The delimiter is whichever of
  ",", ";" and tab gives a recognisable header row.
- Row numbers (`Dossier.row`, messages) are those a spreadsheet shows: the
  sheet's row for a workbook, the record's line for a CSV file. With the header
  on the first row, the header is row 1 and the first dossier row 2.
- Rows that are entirely blank are skipped; so are the rows above the header.
- Caps (`package_guard.DOSSIER_LIST`): before calamine sees a workbook, its bytes
  are checked; an encrypted (password-protected) workbook, a zip bomb, or a sheet
  of more than 201,000 rows (or reaching beyond about 5 million cells from A1) is
  refused with an ERROR naming the file and what is wrong. A year of a large
  commune is about 20,000 dossiers: the caps leave ten times that, and stop only
  files that would make calamine hang or take gigabytes. The cap counts
  dossiers: 200,000 dossier rows (`MAX_DOSSIERS`) are read whatever title block
  and footer surround them; one more is an ERROR. A CSV file is held to the
  same 64 MB on disk and 201,000 lines.

Column headers
--------------

Headers are compared after Unicode NFC normalisation, without case, without
diacritics (đ = d) and without spaces, underscores or punctuation: "Mã hồ sơ",
"MA HO SO", "Ma_ho_so", "MaHoSo" and "Mã hồ sơ (*)" are the same header.
The aliases recognised by default (`DEFAULT_ALIASES`):

=============  ========================  ===========================================
key            column                    aliases
=============  ========================  ===========================================
code           Mã hồ sơ                  Mã hồ sơ, MaHoSo, Số hồ sơ, Mã số hồ sơ,
                                         Số biên nhận, DossierNo
field          Lĩnh vực                  Lĩnh vực, TenLinhVuc, LinhVuc, Tên lĩnh vực,
                                         Lĩnh vực TTHC
channel        Kênh nộp                  Kênh, Kênh nộp, Kênh tiếp nhận, Hình thức nộp,
                                         Hình thức tiếp nhận, KenhThucHien, HinhThuc,
                                         Loại tiếp nhận, Kênh thực hiện,
                                         Hình thức nộp hồ sơ
received       Ngày tiếp nhận            Ngày tiếp nhận, NgayTiepNhan, Ngày nhận,
                                         Ngày nộp, Ngày tiếp nhận hồ sơ, ReceiveDate
due            Ngày hẹn trả              Ngày hẹn trả, NgayHenTra, Hạn xử lý,
                                         Ngày hẹn trả kết quả, Hạn giải quyết,
                                         Hạn trả kết quả, DueDate
finished       Ngày kết thúc             Ngày kết thúc, NgayKetThucXuLy, Ngày trả kết quả,
                                         Ngày hoàn thành, Ngày kết thúc xử lý,
                                         Ngày có kết quả, NgayCoKetQua, FinishDate
status         Trạng thái                Trạng thái, TrangThaiHoSo, TinhTrang,
                                         Tình trạng hồ sơ, Trạng thái hồ sơ, Tình trạng,
                                         Trạng thái xử lý
has_fee        Có phí                    Có phí, Phí lệ phí, CoPhi
paid_online    Thanh toán trực tuyến     Thanh toán trực tuyến, ThanhToanTrucTuyen, TTTT
updated        Cập nhật hệ thống         Cập nhật hệ thống, DongBo, Đồng bộ,
                                         Cập nhật lên hệ thống
digitised      Số hóa                    Số hóa, SoHoa, Đã số hóa
reused         Tái sử dụng               Tái sử dụng, Khai thác lại, TaiSuDung
=============  ========================  ===========================================

Required columns: code, field, channel, received, due, finished, status (due
and finished may be blank in a row: no due date, not finished yet). A missing
required column gives one ERROR per column, naming it, the aliases looked for
and the headers found; no record is read then. The five flag columns are
optional: a flag whose column is absent is None in every record ("chưa có số
liệu" downstream), never False. Other columns (STT, names, addresses…) are
ignored. When two columns match the same key, the leftmost is used (WARNING).

More column names, and the words of the status and channel columns, come
from the clerk's JSON aliases file (`aliases_file`); an unknown key, a value
that is not a list of texts, or an alias that already names another column is
an ERROR finding; the rest of the file still applies.

The table and what surrounds it
-------------------------------

Real exports carry a title block above the header (the unit, «DANH SÁCH HỒ
SƠ …», «Từ ngày … đến ngày …», a filter line): those rows are kept as
`DossierList.title` (`export_layout.title_facts` reads the unit and the period
from them). Below the header, a row without a date in the received column is
not a dossier when

- it is a footer line (`export_layout.is_footer_text`: «Tổng số: 1.500 hồ
  sơ», «Tổng cộng», «Cộng», a place and date «…, ngày 05 tháng 4 năm 2026»,
  «NGƯỜI LẬP BIỂU», «THỦ TRƯỞNG ĐƠN VỊ», «Nơi nhận»…): the table ends there,
  and every row below it (the signer's name included) is left alone; a
  dossier-like row with a code below it is named in a WARNING, never read
  silently;
- it has neither a dossier code nor a date (group headings «Lĩnh vực: Hộ
  tịch», blank spacer rows), or it repeats the header (a printed page's
  title row): skipped.

Where the footer states a total («Tổng số: N hồ sơ»), it is compared with the
number of dossier rows of the table, and a difference is a WARNING.

Values
------

`dossier_values` reads each cell: channel and status words go first through
the vocabulary (the aliases file's ``status_words`` and ``channel_words``,
then the built-in `data/vocabulary.json`, each entry with its source; the
README lists them with the reasoning), then through the phrase rules there.
A status or channel word that nothing names is reported once per word, with
its count, its rows and the exact line to add to the aliases file
(`unknown_words`); those rows are not read. A dossier whose status means
"không tính" (never received: «Mới đăng ký», «Chờ tiếp nhận», «Không được
tiếp nhận», «Đã hủy») may have no received date.

- **Flags**: "có", "x", "1", "true", "yes", "y", "đã", or a text starting with
  "có " or "đã " ("đã thanh toán") → True; "không", "0", "false", "no", "n",
  "chưa", a text starting with "không " or "chưa ", or a blank cell → False.
  Excel's TRUE/FALSE count too. In the fee column an amount counts as well
  (50.000 → True, 0 → False).
- **Dates**: what `parsing.parse_date` reads (date cells, "31/3/2026",
  "31-03-2026", "2026-03-31"), a time after or before the date
  ("31/03/2026 08:15", "08:15 31/03/2026"),
  and Excel serial numbers between 36526 (1/1/2000) and 73050 (31/12/2099).
  The received date is required (but for "không tính"); a blank due or
  finished date is None.
- **Code and field** are kept as written (NFC, spaces collapsed); numbers in
  the code column become their digits. A dossier code listed twice is read
  once: a WARNING when both rows are identical, an ERROR otherwise. Field
  names are matched to the catalogue later (`field_names`).

Dates are not checked against each other here (finished before received…):
the classifier (`core.dossier_classification`) does that with the period in hand.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TypeVar, cast

from tthc.core.dossier_model import Dossier, Status
from tthc.core.findings import Finding, Location, Severity
from tthc.core.parsing import is_blank
from tthc.core.vn_format import format_integer, nfc
from tthc.imports.aliases_file import Aliases, load_aliases
from tthc.imports.dossier_columns import (
    COLUMN_LABELS,
    DEFAULT_ALIASES,
    FLAG_COLUMNS,
    REQUIRED_COLUMNS,
    header_key,
)
from tthc.imports.dossier_values import (
    CHANNEL_HELP,
    FLAG_HELP,
    read_channel,
    read_date,
    read_flag,
    read_status,
    shown,
)
from tthc.imports.export_layout import is_footer_text, row_texts, stated_total
from tthc.imports.unknown_words import UnknownWords
from tthc.imports.vocabulary import Vocabulary, builtin_vocabulary
from tthc.infra.os_messages import os_reason
from tthc.infra.package_guard import (
    DOSSIER_LIST,
    MAX_DOSSIERS,
    Refused,
    check_workbook,
    read_capped,
    too_many_rows,
)
from tthc.infra.xlsx_parts import column_letters, is_calamine_panic

__all__ = [
    "COLUMN_LABELS",
    "DEFAULT_ALIASES",
    "FLAG_COLUMNS",
    "REQUIRED_COLUMNS",
    "DossierList",
    "header_key",
    "load_aliases",
    "read_dossiers",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
HEADER_SCAN_ROWS = 30  # the header row must lie within the first rows of a sheet
MIN_HEADER_MATCHES = 2  # a row naming fewer of our columns is not taken for the header
MAX_FINDINGS_PER_KIND = 20  # then one finding counts the rest of the same problem
_Result = TypeVar("_Result")
_CSV_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class DossierList:
    """What a dossier list holds: the readable records and every doubt about the file."""

    records: tuple[Dossier, ...]
    findings: tuple[Finding, ...]
    columns: dict[str, str] = field(default_factory=dict)  # our key -> the header found
    sheet: str | None = None  # the sheet read (workbooks only)
    header_row: int | None = None  # the header's row number (1-based)
    title: tuple[str, ...] = ()  # the text lines above the header (unit, period, filters)
    fields: dict[str, str] = field(default_factory=dict)  # the aliases file's field names


def _alias_index(aliases: Mapping[str, Sequence[str]]) -> dict[str, str]:
    return {header_key(name): key for key, names in aliases.items() for name in names}


# --- finding the header ---------------------------------------------------------------------


@dataclass
class _Header:
    row: int  # 0-based index of the header row
    columns: dict[str, int]  # our key -> 0-based column index (the leftmost match)
    headers: list[str]  # every non-blank header text of the row, in order
    duplicates: list[tuple[str, int, int]]  # key, column kept, column ignored

    @property
    def score(self) -> int:
        return len(self.columns)


def _match_header(rows: Sequence[Sequence[object]], index: Mapping[str, str]) -> _Header | None:
    best: _Header | None = None
    for number, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        columns: dict[str, int] = {}
        headers: list[str] = []
        duplicates: list[tuple[str, int, int]] = []
        for position, value in enumerate(row):
            if not isinstance(value, str) or not value.strip():
                continue
            headers.append(shown(value))
            key = index.get(header_key(value))
            if key is None:
                continue
            if key in columns:
                duplicates.append((key, columns[key], position))
            else:
                columns[key] = position
        if columns and (best is None or len(columns) > best.score):
            best = _Header(number, columns, headers, duplicates)
    return best


# --- reading rows ---------------------------------------------------------------------------


@dataclass
class _Reporter:
    """Findings with a cap per kind, so a systematic problem does not bury the others."""

    sheet: str | None
    findings: list[Finding] = field(default_factory=list)
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    severities: dict[tuple[str, str], Severity] = field(default_factory=dict)

    def row(
        self,
        severity: Severity,
        code: str,
        key: str,
        label: str,
        message: str,
        row: int,
        column: int | None,
    ) -> None:
        kind = (code, key)
        seen = self.counts.get(kind, 0) + 1
        self.counts[kind] = seen
        self.labels[kind] = label
        if severity is Severity.ERROR or kind not in self.severities:
            self.severities[kind] = severity
        if seen > MAX_FINDINGS_PER_KIND:
            return
        where = Location()
        if self.sheet is not None:
            cell = f"{column_letters(column + 1)}{row}" if column is not None else None
            where = Location(sheet=self.sheet, cell=cell)
        self.findings.append(Finding(severity, code, message, where))

    def close(self) -> list[Finding]:
        for (code, key), seen in self.counts.items():
            if seen > MAX_FINDINGS_PER_KIND:
                rest = seen - MAX_FINDINGS_PER_KIND
                self.findings.append(
                    Finding(
                        self.severities[(code, key)],
                        code,
                        f"Còn {rest} dòng khác có cùng vấn đề ở cột «{self.labels[(code, key)]}» "
                        "(không liệt kê hết).",
                        Location(sheet=self.sheet) if self.sheet else Location(),
                    )
                )
        return self.findings


def _cached(function: Callable[[object], _Result]) -> Callable[[object], _Result]:
    """Memoise on the value and its type (1 and True must not share an entry)."""
    cache: dict[tuple[type, object], _Result] = {}

    def lookup(value: object) -> _Result:
        try:
            marker = (value.__class__, value)
            return cache[marker]
        except KeyError:
            result = cache[marker] = function(value)
            return result
        except TypeError:  # an unhashable value: not from a reader, but never raise
            return function(value)

    return lookup


_DateReader = Callable[[object], tuple[date | None, str | None]]


def _is_date_like(value: object, date_of: _DateReader) -> bool:
    """Whether a cell holds a date; `date_of` is the row loop's memoised `read_date`,
    so a text date is parsed once, here and when the row is read."""
    if isinstance(value, date | datetime):
        return True
    if is_blank(value):
        return False
    return date_of(value)[0] is not None


def _not_a_dossier(
    row: Sequence[object], code_at: int, date_columns: Sequence[int], date_of: _DateReader
) -> bool:
    """A row of the table that holds no dossier: no code and no date (a group heading…)."""
    return is_blank(row[code_at]) and not any(
        _is_date_like(row[at], date_of) for at in date_columns
    )


@dataclass
class _Footer:
    """Where the table ended and what its footer states."""

    row: int | None = None  # the shown row number of the first footer line
    total: int | None = None  # «Tổng số: N hồ sơ»
    total_row: int | None = None
    skipped_dossiers: list[int] = field(default_factory=list)  # dossier-like rows below it


def _read_rows(
    rows: Sequence[Sequence[object]],
    header: _Header,
    reporter: _Reporter,
    row_offset: int,
    vocabulary: Vocabulary,
) -> tuple[list[Dossier], _Footer, int]:
    """Dossiers from the rows below the header, the footer, and how many dossier rows there were.

    `row_offset` + index = the shown row number. The table ends at the first
    footer line (`export_layout.is_footer_text`) of a row holding no date;
    rows without a code and a date above it are headings, not dossiers.
    """
    columns = header.columns
    labels = {key: shown(rows[header.row][position]) for key, position in columns.items()}
    code_at = columns["code"]
    field_at = columns["field"]
    channel_at = columns["channel"]
    received_at = columns["received"]
    due_at = columns["due"]
    finished_at = columns["finished"]
    status_at = columns["status"]
    date_columns = (received_at, due_at, finished_at)
    flags = [(key, columns[key]) for key in FLAG_COLUMNS if key in columns]
    header_code = header_key(labels["code"])

    channel_of = _cached(lambda value: read_channel(value, vocabulary))
    status_of = _cached(lambda value: read_status(value, vocabulary))
    date_of = _cached(read_date)
    field_of = _cached(lambda value: "" if is_blank(value) else shown(value))
    flag_of = _cached(lambda value: read_flag(value, amounts=False))
    fee_of = _cached(lambda value: read_flag(value, amounts=True))
    unknown_status = UnknownWords(
        labels["status"],
        "status_words",
        "đã giải quyết, từ chối, rút, chờ bổ sung, đang xử lý, không tính",
        "đang xử lý",
        "dossiers.status",
        reporter.sheet,
    )
    unknown_channel = UnknownWords(
        labels["channel"],
        "channel_words",
        CHANNEL_HELP,
        "trực tuyến",
        "dossiers.channel",
        reporter.sheet,
    )

    def cell(column: int, number: int) -> str | None:
        return f"{column_letters(column + 1)}{number}" if reporter.sheet is not None else None

    records: list[Dossier] = []
    footer = _Footer()
    dossier_rows = 0
    first_row: dict[str, tuple[int, tuple[object, ...]]] = {}
    width_needed = max(columns.values()) + 1
    for index in range(header.row + 1, len(rows)):
        row = rows[index]
        if len(row) < width_needed:
            row = list(row) + [None] * (width_needed - len(row))
        number = index + row_offset
        raw_code = row[code_at]
        code_blank = is_blank(raw_code)
        if code_blank and all(is_blank(value) for value in row):
            continue
        if not _is_date_like(row[received_at], date_of):
            texts = row_texts(row)
            if is_footer_text(texts):
                if footer.row is None:
                    footer.row = number
                if footer.total is None and (total := stated_total(texts)) is not None:
                    footer.total, footer.total_row = total, number
                continue
            if _not_a_dossier(row, code_at, date_columns, date_of):
                continue  # a heading, a filter line, a page's repeated title
            if not code_blank and header_key(shown(raw_code)) == header_code:
                continue  # the header repeated on each printed page
        if footer.row is not None:  # the signer's name and the like: not dossiers
            if not code_blank and _is_date_like(row[received_at], date_of):
                footer.skipped_dossiers.append(number)
            continue
        dossier_rows += 1
        if dossier_rows > MAX_DOSSIERS:
            reporter.findings.append(
                Finding(
                    Severity.ERROR,
                    "dossiers.too_many",
                    f"Danh sách có hơn {format_integer(MAX_DOSSIERS)} hồ sơ (dòng {number}); hãy "
                    "xuất từng quý hoặc từng tháng rồi chạy lại.",
                    Location(sheet=reporter.sheet) if reporter.sheet else Location(),
                )
            )
            break
        problems = 0
        code = "" if code_blank else shown(raw_code)
        who = f"Dòng {number}, hồ sơ «{code}»" if code else f"Dòng {number} (không có mã hồ sơ)"

        def problem(key: str, kind: str, text: str, number: int = number) -> None:
            nonlocal problems
            problems += 1
            reporter.row(Severity.ERROR, kind, key, labels[key], text, number, columns.get(key))

        if not code:
            problem("code", "dossiers.missing_value", f"{who}: thiếu mã hồ sơ.")

        field_name = field_of(row[field_at])
        if not field_name:
            problem(
                "field",
                "dossiers.missing_value",
                f"{who}: thiếu lĩnh vực (cột «{labels['field']}»).",
            )

        raw = row[channel_at]
        channel = None
        if is_blank(raw):
            problem(
                "channel",
                "dossiers.missing_value",
                f"{who}: thiếu kênh nộp (cột «{labels['channel']}»).",
            )
        else:
            channel = channel_of(raw)
            if channel is None:
                problems += 1
                unknown_channel.add(shown(raw), number, cell(channel_at, number))

        raw = row[status_at]
        status = None
        if is_blank(raw):
            problem(
                "status",
                "dossiers.missing_value",
                f"{who}: thiếu trạng thái (cột «{labels['status']}»).",
            )
        else:
            status = status_of(raw)
            if status is None:
                problems += 1
                unknown_status.add(shown(raw), number, cell(status_at, number))

        dates: dict[str, date | None] = {}
        for key, position in (
            ("received", received_at),
            ("due", due_at),
            ("finished", finished_at),
        ):
            raw = row[position]
            if is_blank(raw):
                dates[key] = None
                # A dossier never received («Mới đăng ký», «Đã hủy») has no such date.
                if key == "received" and status is not Status.NOT_COUNTED:
                    problem(
                        key,
                        "dossiers.missing_value",
                        f"{who}: thiếu ngày tiếp nhận (cột «{labels[key]}»).",
                    )
                continue
            kind = raw.__class__
            value: date | None
            if kind is datetime:  # what a date-time cell gives: no need to look further
                value, message = cast(datetime, raw).date(), None
            elif kind is date:
                value, message = cast(date, raw), None
            else:
                value, message = date_of(raw)
            dates[key] = value
            if message is not None:
                message = message[:1].lower() + message[1:]
                problem(key, "dossiers.date", f"{who}: cột «{labels[key]}»: {message}")

        flag_values: dict[str, bool | None] = {}
        for key, position in flags:
            raw = row[position]
            flag, readable = (fee_of if key == "has_fee" else flag_of)(raw)
            if not readable:
                problem(
                    key,
                    "dossiers.flag",
                    f"{who}: giá trị «{shown(raw)}» ở cột «{labels[key]}» không nhận ra; "
                    f"dùng {FLAG_HELP}.",
                )
            flag_values[key] = flag

        if problems:
            continue
        values = (field_name, channel, *dates.values(), status, *flag_values.values())
        if code in first_row:
            earlier, earlier_values = first_row[code]
            same = earlier_values == values
            reporter.row(
                Severity.WARNING if same else Severity.ERROR,
                "dossiers.duplicate_code",
                "code",
                labels["code"],
                f"{who}: mã hồ sơ trùng với dòng {earlier}"
                + (
                    " (cùng nội dung); hồ sơ chỉ được tính một lần."
                    if same
                    else " nhưng khác nội dung; hồ sơ chỉ được tính theo dòng "
                    f"{earlier}, hãy kiểm tra lại danh sách."
                ),
                number,
                code_at,
            )
            continue
        first_row[code] = (number, values)
        assert channel is not None and status is not None
        records.append(
            Dossier.listed(
                code,
                field_name,
                channel,
                dates["received"],
                dates["due"],
                dates["finished"],
                status,
                number,
                flag_values,
            )
        )
    reporter.findings.extend(unknown_status.findings())
    reporter.findings.extend(unknown_channel.findings())
    return records, footer, dossier_rows


def _footer_findings(footer: _Footer, dossier_rows: int, sheet: str | None) -> list[Finding]:
    """The stated total checked against the rows read; dossiers left below the footer."""
    where = Location(sheet=sheet) if sheet else Location()
    found: list[Finding] = []
    if footer.total is not None and footer.total != dossier_rows:
        found.append(
            Finding(
                Severity.WARNING,
                "dossiers.stated_total",
                f"Dòng {footer.total_row} của danh sách ghi tổng số {format_integer(footer.total)} "
                f"hồ sơ nhưng bảng có {format_integer(dossier_rows)} dòng hồ sơ; hãy kiểm tra "
                "tệp xuất có đủ các trang, hay bộ lọc khi xuất có khác không.",
                where,
            )
        )
    if footer.skipped_dossiers:
        listed = ", ".join(str(n) for n in footer.skipped_dossiers[:10])
        found.append(
            Finding(
                Severity.WARNING,
                "dossiers.below_footer",
                f"{format_integer(len(footer.skipped_dossiers))} dòng có mã hồ sơ nằm dưới dòng "
                f"cuối bảng (dòng {footer.row}) nên không được đọc: dòng {listed}"
                + ("…" if len(footer.skipped_dossiers) > 10 else "")
                + ". Nếu đó là hồ sơ, hãy đưa chúng lên trên dòng tổng.",
                where,
            )
        )
    return found


def _check_header(
    header: _Header, reporter: _Reporter, aliases: Mapping[str, Sequence[str]]
) -> bool:
    """Findings about the header: duplicate columns (warning), missing required ones (error)."""
    found = ", ".join(f"«{text}»" for text in header.headers) or "(không có)"
    where = Location(sheet=reporter.sheet) if reporter.sheet else Location()
    for key, kept, ignored in header.duplicates:
        reporter.findings.append(
            Finding(
                Severity.WARNING,
                "dossiers.duplicate_column",
                f"Có hai cột «{COLUMN_LABELS[key]}» (cột {column_letters(kept + 1)} và cột "
                f"{column_letters(ignored + 1)}); dùng cột {column_letters(kept + 1)}.",
                where,
            )
        )
    missing = [key for key in REQUIRED_COLUMNS if key not in header.columns]
    index = _alias_index(aliases)
    unmatched = [text for text in header.headers if header_key(text) not in index]
    for key in missing:
        accepted = ", ".join(f"«{name}»" for name in aliases[key])
        reporter.findings.append(
            Finding(
                Severity.ERROR,
                "dossiers.missing_column",
                f"Không tìm thấy cột «{COLUMN_LABELS[key]}» ({key}) ở dòng tiêu đề "
                f"(dòng {header.row + 1}); tên cột được chấp nhận: {accepted}. Các cột có "
                f"trong danh sách: {found}. Nếu cột mang tên khác, ghi tên đó vào một tệp JSON "
                f"rồi chạy lại với --aliases TỆP, ví dụ: "
                + json.dumps({key: [unmatched[0] if unmatched else "Tên cột"]}, ensure_ascii=False),
                where,
            )
        )
    return not missing


def _no_header(name: str, rows: Sequence[Sequence[object]]) -> Finding:
    first = next((row for row in rows if not all(is_blank(v) for v in row)), [])
    first_texts = ", ".join(f"«{shown(v)}»" for v in first if not is_blank(v)) or "(trống)"
    needed = ", ".join(f"«{COLUMN_LABELS[key]}»" for key in REQUIRED_COLUMNS)
    return Finding(
        Severity.ERROR,
        "dossiers.no_header",
        f"Không tìm thấy dòng tiêu đề của danh sách hồ sơ trong «{name}» ({HEADER_SCAN_ROWS} "
        f"dòng đầu); cần các cột {needed}. Dòng đầu tiên có chữ: {first_texts}.",
        Location(key=name),
    )


def _from_rows(
    rows: Sequence[Sequence[object]],
    header: _Header,
    sheet: str | None,
    aliases: Aliases,
    earlier: Iterable[Finding],
) -> DossierList:
    reporter = _Reporter(sheet)
    reporter.findings.extend(earlier)
    columns = {key: shown(rows[header.row][at]) for key, at in header.columns.items()}
    title = tuple(" ".join(texts) for row in rows[: header.row] if (texts := row_texts(row)))
    records: list[Dossier] = []
    if _check_header(header, reporter, aliases.columns):
        vocabulary = builtin_vocabulary().extended(
            statuses=aliases.statuses, channels=aliases.channels
        )
        records, footer, dossier_rows = _read_rows(rows, header, reporter, 1, vocabulary)
        reporter.findings.extend(_footer_findings(footer, dossier_rows, sheet))
    return DossierList(
        tuple(records),
        tuple(reporter.close()),
        columns,
        sheet,
        header.row + 1,
        title,
        aliases.fields,
    )


# --- files ----------------------------------------------------------------------------------


def _failure(path: Path, message: str, earlier: Iterable[Finding] = ()) -> DossierList:
    finding = Finding(Severity.ERROR, "dossiers.file", message, Location(key=path.name))
    return DossierList((), (*earlier, finding))


def _read_workbook(
    path: Path,
    index: Mapping[str, str],
    aliases: Aliases,
    earlier: list[Finding],
) -> DossierList:
    import python_calamine

    cannot_open = (
        f"Không mở được tệp «{path.name}» như một sổ tính; tệp hỏng, có mật khẩu hoặc không "
        "phải sổ tính."
    )
    try:  # calamine caps neither what it inflates nor how far a sheet reaches
        check_workbook(path, DOSSIER_LIST, cannot_open)
    except Refused as refused:
        return _failure(path, str(refused), earlier)
    candidates: list[tuple[int, str, _Header | None, list]] = []
    chosen: tuple[str, _Header, list] | None = None
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        try:
            for position, name in enumerate(book.sheet_names):
                try:
                    sheet = book.get_sheet_by_index(position)
                    top = sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)
                except Exception:  # a chart sheet or one calamine cannot read: no list there
                    continue
                header = _match_header(top, index)
                candidates.append((position, name, header, top))
                if header is not None and all(key in header.columns for key in REQUIRED_COLUMNS):
                    chosen = (name, header, sheet.to_python(skip_empty_area=False))
                    break
            else:
                # No sheet has every required column: the first that names most of ours,
                # so the findings say which columns are missing there.
                named = [c for c in candidates if c[2] is not None]
                if named:
                    best = max(named, key=lambda c: c[2].score)  # type: ignore[union-attr]
                    position, name, header, top = best
                    assert header is not None
                    if header.score >= MIN_HEADER_MATCHES:
                        top = book.get_sheet_by_index(position).to_python(skip_empty_area=False)
                    chosen = (name, header, top)
        finally:
            book.close()
    except BaseException as problem:  # any engine error on a foreign file is a finding
        if not isinstance(problem, Exception) and not is_calamine_panic(problem):
            raise
        return _failure(path, cannot_open, earlier)
    if chosen is None:
        first = candidates[0][3] if candidates else []
        return DossierList((), (*earlier, _no_header(path.name, first)))
    name, header, rows = chosen
    return _from_rows(rows, header, name, aliases, earlier)


def _decode_csv(path: Path, data: bytes, earlier: list[Finding]) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1258", errors="replace")
        earlier.append(
            Finding(
                Severity.WARNING,
                "dossiers.encoding",
                f"Tệp «{path.name}» không phải bảng mã UTF-8; đã đọc theo bảng mã Windows-1258 "
                "(tiếng Việt). Hãy kiểm tra các chữ có dấu, hoặc lưu lại tệp dạng «CSV UTF-8».",
                Location(key=path.name),
            )
        )
    return nfc(text)


def _read_csv(
    path: Path,
    index: Mapping[str, str],
    aliases: Aliases,
    earlier: list[Finding],
) -> DossierList:
    try:
        data = read_capped(path, DOSSIER_LIST)
    except Refused as refused:
        return _failure(path, str(refused), earlier)
    except OSError as problem:
        return _failure(path, f"Không đọc được tệp «{path.name}» ({os_reason(problem)}).", earlier)
    text = _decode_csv(path, data, earlier)
    try:
        best: tuple[int, str, _Header | None] | None = None
        for delimiter in _CSV_DELIMITERS:
            top = []
            for row in csv.reader(io.StringIO(text), delimiter=delimiter):
                top.append(row)
                if len(top) >= HEADER_SCAN_ROWS:
                    break
            header = _match_header(top, index)
            score = header.score if header else 0
            if best is None or score > best[0]:
                best = (score, delimiter, header)
        assert best is not None
        score, delimiter, header = best
        if header is None:
            top = list(csv.reader(io.StringIO(text[:65536])))
            return DossierList((), (*earlier, _no_header(path.name, top)))
        rows: list[list[str]] = []
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            if len(rows) >= DOSSIER_LIST.rows:  # the cap of a sheet holds for a CSV list too
                return _failure(path, too_many_rows(path.name, None, DOSSIER_LIST), earlier)
            rows.append(row)
    except csv.Error as problem:
        return _failure(path, f"Không đọc được tệp CSV «{path.name}» ({problem}).", earlier)
    return _from_rows(rows, header, None, aliases, earlier)


def read_dossiers(path: Path, aliases_file: Path | None = None) -> DossierList:
    """Read a dossier list (.xlsx/.xlsm/.xls/.xlsb/.ods or .csv); never raises on bad content.

    `aliases_file` is an optional JSON file of extra column names, added to
    `DEFAULT_ALIASES`. Records hold only the rows read without error; every
    problem is a finding (Vietnamese, naming the column or the row and code).
    """
    path = Path(path)
    aliases = load_aliases(aliases_file)
    earlier = list(aliases.findings)
    index = _alias_index(aliases.columns)
    if not path.exists():
        return _failure(path, f"Không tìm thấy tệp «{path.name}».", earlier)
    if path.is_dir():
        return _failure(path, f"«{path.name}» là một thư mục, không phải tệp.", earlier)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, index, aliases, earlier)
    if suffix in CSV_SUFFIXES:
        return _read_csv(path, index, aliases, earlier)
    return _failure(
        path,
        f"Không đọc được tệp «{path.name}»: chỉ nhận sổ tính (.xlsx, .xlsm, .xls, .xlsb, .ods) "
        "hoặc tệp .csv.",
        earlier,
    )
