"""Turning what people typed into counts and dates, with a finding for every doubt.

Staff type '1.132' as text, leave cells blank, paste '5 hs' or '12,5'. Each
reader (data file, workbook, add-in) passes raw values through here, so every
source gets the same rules and the same Vietnamese messages.

The policy for counts typed as text follows Vietnamese writing, where '.'
groups thousands and ',' marks decimals (1.132; 99,38%):

- digits, optionally grouped by '.' in threes ('1.132', '12.500'), with any
  spaces, non-breaking or invisible characters around or between them, are
  read as that whole number, with a warning naming the cell;
- ',' is a decimal mark, so '1,132' and '12,5' are fractions: an error, never
  guessed to be 1132 as an English-language habit would have it; '12.5' (a dot
  not followed by three digits) is no grouping either: an error;
- a lone dash ('-', '–', '—'), which tables use for "nothing", is an error that
  asks for 0: the program does not decide that a dash means zero;
- anything else with letters ('5 hs') is an error: the number is not guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time

from tthc.core.findings import Finding, Location, Severity
from tthc.core.vn_format import nfc

__all__ = [
    "ParsedCount",
    "cell_text",
    "excel_error",
    "is_blank",
    "parse_count",
    "parse_date",
    "parse_optional_count",
]

_PLAIN_DIGITS = re.compile(r"\d+")
_GROUPED_DIGITS = re.compile(r"\d{1,3}(\.\d{3})+")
# Spaces of every kind, and the invisible characters text pasted from the web or a
# chat carries (zero-width space and joiners, word joiner, byte-order mark).
_SPACES = re.compile(r"[\s\u00a0\u202f\u200b\u200c\u200d\u2060\ufeff]+")
_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_DASHES = {"-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212"}
_EXCEL_ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#N/A", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}


def excel_error(value: object) -> str | None:
    """The error a cell shows ('#REF!'…), or None.

    Both workbook readers give an error cell as its text, so a text cell that
    shows #REF! must be caught by whoever reads it, never taken for a name.
    """
    if isinstance(value, str):
        text = value.strip().upper()
        if text in _EXCEL_ERRORS:
            return text
    return None


def cell_text(value: object) -> str:
    """A cell's content as the text a label is compared with: NFC, trimmed, 5.0 as «5».

    A label pasted in decomposed Unicode looks exactly like the list's and must match it;
    a code typed into a number cell (Excel keeps 2 as 2.0) must read as «2».
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return nfc(str(value)).strip()


def is_blank(value: object) -> bool:
    """An empty cell: nothing, or only spaces (non-breaking ones too)."""
    return value is None or (isinstance(value, str) and not value.strip())


@dataclass(frozen=True)
class ParsedCount:
    value: int | None
    findings: tuple[Finding, ...] = ()


def _error(code: str, message: str, where: Location) -> ParsedCount:
    return ParsedCount(None, (Finding(Severity.ERROR, code, message, where),))


def parse_optional_count(raw: object, where: Location) -> ParsedCount:
    """A count that may be absent: blank gives None with no finding.

    Used for the extra inputs, where a blank means "not known yet" and the
    indicator is then reported as missing rather than computed from a zero.
    """
    if raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw)):
        return ParsedCount(None)
    return _parse_present(raw, where)


def parse_count(raw: object, where: Location) -> ParsedCount:
    """A grid count: blank means 0 (with a warning), anything else must be a whole number ≥ 0."""
    if raw is None or (isinstance(raw, str) and not _SPACES.sub("", raw)):
        warning = Finding(
            Severity.WARNING,
            "count.blank",
            "Ô để trống, được tính là 0.",
            where,
        )
        return ParsedCount(0, (warning,))
    return _parse_present(raw, where)


def _parse_present(raw: object, where: Location) -> ParsedCount:
    if isinstance(raw, bool):  # Excel's TRUE/FALSE, or true/false in a data file
        shown = "TRUE" if raw else "FALSE"
        return _error(
            "count.not_number",
            f"Ô ghi giá trị đúng/sai ({shown}), không phải là số hồ sơ.",
            where,
        )
    if isinstance(raw, int):
        return _check_range(raw, where)
    if isinstance(raw, float):
        if math.isnan(raw) or math.isinf(raw):
            return _error("count.not_number", "Giá trị không phải là số.", where)
        if not raw.is_integer():
            shown = str(raw).replace(".", ",")
            return _error(
                "count.fraction",
                f"Số hồ sơ phải là số nguyên, không được là {shown}.",
                where,
            )
        return _check_range(int(raw), where)
    if isinstance(raw, str):
        return _parse_text(raw, where)
    if isinstance(raw, date | time):
        # Excel turns "1/3" or "1-3" typed into a number cell into a date.
        shown = f"{raw:%d/%m/%Y}" if isinstance(raw, date) else f"{raw:%H:%M}"
        return _error(
            "count.not_number",
            f"Ô chứa ngày giờ ({shown}), không phải số hồ sơ; Excel tự đổi những gì gõ như "
            "«1/3» hay «1-3» thành ngày. Hãy định dạng ô là số (Number) rồi nhập lại.",
            where,
        )
    return _error("count.not_number", f"Giá trị «{raw}» không phải là số.", where)


def _check_range(value: int, where: Location) -> ParsedCount:
    if value < 0:
        return _error("count.negative", f"Số hồ sơ không được âm (đang là {value}).", where)
    return ParsedCount(value)


def _parse_text(raw: str, where: Location) -> ParsedCount:
    """A count typed as text, under the policy of the module docstring."""
    text = _SPACES.sub("", nfc(raw))
    shown = _INVISIBLE.sub("", raw).strip()  # what staff see in the cell
    if text.upper() in _EXCEL_ERRORS:
        return _error(
            "count.excel_error",
            f"Ô đang báo lỗi {text.upper()}; hãy nhập lại số hồ sơ.",
            where,
        )
    if text in _DASHES:
        return _error(
            "count.not_number",
            f"«{shown}» không phải là số; nếu không có hồ sơ nào, hãy nhập 0.",
            where,
        )
    if text.startswith("-") and _PLAIN_DIGITS.fullmatch(text[1:]):
        return _error("count.negative", f"Số hồ sơ không được âm (đang là {text}).", where)
    if _PLAIN_DIGITS.fullmatch(text) or _GROUPED_DIGITS.fullmatch(text):
        value = int(text.replace(".", ""))
        note = Finding(
            Severity.WARNING,
            "count.text",
            f"Số được nhập dưới dạng chữ «{shown}», đã hiểu là {value}.",
            where,
        )
        return ParsedCount(value, (note,))
    if re.fullmatch(r"\d+,\d+", text) or re.fullmatch(r"\d+\.\d+", text):
        return _error(
            "count.fraction",
            f"«{shown}» không phải là số nguyên; số hồ sơ phải là số nguyên, "
            "phân cách hàng nghìn bằng dấu chấm (ví dụ 1.132).",
            where,
        )
    return _error(
        "count.not_number",
        f"«{shown}» không phải là số; chỉ nhập chữ số (ví dụ 1.132).",
        where,
    )


def parse_date(raw: object, where: Location) -> tuple[date | None, tuple[Finding, ...]]:
    """A date from a date object, ISO text '2026-03-31' or Vietnamese text '31/3/2026'."""
    if isinstance(raw, datetime):
        return raw.date(), ()
    if isinstance(raw, date):
        return raw, ()
    if isinstance(raw, str):
        text = raw.strip()
        try:
            return date.fromisoformat(text), ()
        except ValueError:
            pass
        try:  # "2026-03-01T00:00:00.000Z", as Excel on the web sends dates
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date(), ()
        except ValueError:
            pass
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day), ()
            except ValueError:
                # Written as a date, but no such day: say that, not "use the format".
                reason = (
                    f"tháng {month} năm {year} không có ngày {day}"
                    if 1 <= month <= 12
                    else f"không có tháng {month}"
                )
                finding = Finding(
                    Severity.ERROR,
                    "date.invalid",
                    f"Ngày «{text}» không hợp lệ: {reason} (đọc theo ngày/tháng/năm); "
                    "hãy kiểm tra lại ngày và tháng.",
                    where,
                )
                return None, (finding,)
    shown = "trống" if raw is None or raw == "" else f"«{raw}»"
    finding = Finding(
        Severity.ERROR,
        "date.invalid",
        f"Ngày {shown} không hợp lệ; nhập theo dạng ngày/tháng/năm, ví dụ 31/3/2026.",
        where,
    )
    return None, (finding,)
