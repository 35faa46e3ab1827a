"""From dossier records to the grid: classify each dossier of a list into one cell per group.

The provincial one-stop system holds one record per dossier (`Dossier`); this
module turns such a list into the month's appendix grid, the per-department
extra inputs of indicators 1.2–1.5, and a trace of which dossiers make each
cell. It reads no file (that is `dossier_list`) and writes none.

Classification rules
--------------------

All dates compare by calendar day (a time of day, if the list has one, is
ignored). The period runs from its first day to its last day, both included
(for March 2026: 01/3/2026 to 31/3/2026).

1. Which dossiers belong to the period.

   - Received after the last day of the period: outside the period.
   - Received before the first day and finished before the first day: outside
     the period (it was closed last period), whatever its status says.
   - Every other dossier belongs to the period: it was received in the period,
     or it was received earlier and was still open on the first day.

   - Status "không tính" (never received: «Mới đăng ký», «Chờ tiếp nhận»,
     «Không được tiếp nhận», cancelled «Đã hủy»): outside the period too,
     whatever its dates; it never became a dossier of any period.

   Dossiers outside the period are not counted; they are returned in
   `outside` (with the reason of each in `outside_reasons`) and named in one
   warning with their number and codes, never dropped silently.

2. Received columns (one of them for every dossier that belongs):

   - received before the first day: (6) "từ kỳ trước";
   - received in the period through the online channel (trực tuyến): (4);
   - received in the period in person (trực tiếp) or by post (bưu chính): (5).

3. Resolved columns, for a dossier whose finished date (ngày kết thúc xử lý)
   falls within the period and whose status is a final one:

   - status "từ chối" (refused): (11);
   - status "rút" (withdrawn by the applicant): (12);
   - status "đã giải quyết" (resolved): finished before the due date (ngày hẹn
     trả) → (8) trước hạn; on the due date → (9) đúng hạn; after it → (10)
     quá hạn.

4. Pending columns, for every other dossier that belongs: it is unfinished at
   the end of the period. A dossier finished after the last day of the period
   counts as unfinished at the period end too.

   - status "chờ bổ sung" (waiting for supplements): (16);
   - otherwise, due date on or after the last day of the period (not past the
     period end): (14) trong hạn;
   - otherwise (due date before the last day): (15) quá hạn.

   The status is read as the status at the period end, so the list should be
   exported soon after it. A dossier finished after the period end already
   carries its final status; it goes to (14) or (15) by its due date.

5. Dossiers that cannot be classified are errors naming the dossier's code and
   its row in the list, and are not counted in the grid (`rejected`):

   - finished before it was received, or due before it was received;
   - a finished date with a pending status (chờ bổ sung, đang xử lý);
   - a final status (đã giải quyết, từ chối, rút) without a finished date;
   - no due date where one is needed: resolved in the period (to choose
     between (8), (9) and (10)), or unfinished at the period end and not
     waiting for supplements (to choose between (14) and (15));
   - a code already used by an earlier row of the list (counting it twice
     would inflate every total).

   Dossiers outside the period are not checked: a mistake in a dossier of
   another month does not block this month's report.

6. Fields. Each field (lĩnh vực) is spelled as the catalogue spells it
   ("hộ  tịch" counts as "Hộ tịch"). A field not in the catalogue keeps its
   name, gets its own row after the catalogue's fields, and is an error naming
   its dossiers' codes: the user adds it to the catalogue or corrects it.
   Rows come in catalogue order, one per field with at least one counted
   dossier.

7. Extra inputs of indicators 1.2–1.5, per department, from the flags of the
   counted dossiers. Each flag is counted over the dossiers that make its
   indicator's population:

   - with_fee (carries a fee) and paid_online: dossiers received in the period,
     (4)+(5);
   - updated (cập nhật trên hệ thống): every dossier of (3) = (4)+(5)+(6);
   - digitised (số hóa hồ sơ, kết quả): dossiers resolved with a result,
     (8)+(9)+(10);
   - reused (khai thác, sử dụng lại thông tin số hóa): dossiers received in the
     period, (4)+(5).

   A department's value is the number of those dossiers whose flag is true.
   It is empty (None, "chưa có số liệu") when any of those dossiers has no
   value for the flag (the list has no such column, or the cell is empty),
   and also when the population is empty and no dossier of the whole list
   carries the flag. It is never filled in as 100% by default. A dossier
   marked paid online but carrying no fee is a warning. Unit-wide values are
   left empty: the indicators sum the departments. The feedback inputs of 1.6
   do not come from dossiers and stay empty.

8. Trace. For every row and every input column (4)–(6), (8)–(16), `trace`
   gives the codes of the dossiers counted there, in list order (an empty
   tuple for an empty cell), so a reviewer can go from "Đất đai, (15) = 1"
   to the dossier behind it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import overload

from tthc.core.catalogue import Catalogue, field_key
from tthc.core.dossier_model import Channel, Dossier, Status
from tthc.core.findings import Finding, Location, Severity
from tthc.core.grid import INPUT_COLUMNS, Counts
from tthc.core.model import ExtraInputs, ExtraValues, FieldRow, Period
from tthc.core.vn_format import format_date_short, format_integer, nfc

__all__ = ["FLAG_POPULATIONS", "Classification", "classify", "columns_of", "outside_reason"]

INPUT_NUMBERS: tuple[int, ...] = tuple(c.number for c in INPUT_COLUMNS)
_KEY_OF = {c.number: c.key for c in INPUT_COLUMNS}

_FINAL = frozenset({Status.RESOLVED, Status.REFUSED, Status.WITHDRAWN})
_PENDING = frozenset({Status.SUPPLEMENT, Status.PROCESSING})

# Which columns make the population each flag is counted over (rule 7).
_IN_PERIOD = frozenset({4, 5})
_ALL_RECEIVED = frozenset({4, 5, 6})
_WITH_RESULT = frozenset({8, 9, 10})
FLAG_POPULATIONS: dict[str, frozenset[int]] = {
    "with_fee": _IN_PERIOD,  # flag has_fee
    "paid_online": _IN_PERIOD,
    "updated": _ALL_RECEIVED,
    "digitised": _WITH_RESULT,
    "reused": _IN_PERIOD,
}
_FLAG_ATTRIBUTE = {
    "with_fee": "has_fee",
    "paid_online": "paid_online",
    "updated": "updated",
    "digitised": "digitised",
    "reused": "reused",
}

# Messages list at most this many codes; the full lists are in the result.
CODES_SHOWN = 20


@dataclass(frozen=True)
class Classification:
    """The grid, extra inputs and trace made from a dossier list, and what was found."""

    rows: tuple[FieldRow, ...]
    extras: ExtraInputs
    trace: dict[tuple[str, int], tuple[str, ...]]  # (field, column) -> dossier codes
    outside: tuple[Dossier, ...]  # dossiers not belonging to the period
    findings: tuple[Finding, ...]
    rejected: tuple[Dossier, ...] = ()  # belong to the period but cannot be classified
    outside_reasons: tuple[str, ...] = ()  # why each of `outside` is left out, in order


@overload
def _day(value: date) -> date: ...
@overload
def _day(value: None) -> None: ...
@overload
def _day(value: date | None) -> date | None: ...
def _day(value: date | None) -> date | None:
    """The calendar day of a date or datetime (a datetime never equals a date)."""
    if isinstance(value, datetime):
        return value.date()
    return value


def _codes_text(codes: Sequence[str]) -> str:
    shown = ", ".join(codes[:CODES_SHOWN])
    rest = len(codes) - CODES_SHOWN
    if rest > 0:
        return f"{shown} và {format_integer(rest)} hồ sơ khác"
    return shown


def _who(dossier: Dossier) -> str:
    return f"Hồ sơ «{dossier.code}» (dòng {dossier.row} của danh sách)"


def outside_reason(dossier: Dossier, period: Period) -> str | None:
    """Why a dossier is not counted in the period (rule 1), or None when it belongs."""
    if dossier.status is Status.NOT_COUNTED:
        return "chưa được tiếp nhận, không được tiếp nhận hoặc đã hủy"
    received, finished = _day(dossier.received), _day(dossier.finished)
    assert received is not None  # the reader requires it of every other status
    if received > period.end:
        return f"tiếp nhận sau ngày {format_date_short(period.end)}"
    if received < period.start and finished is not None and finished < period.start:
        return f"đã kết thúc trước ngày {format_date_short(period.start)}"
    return None


def columns_of(
    dossier: Dossier, period: Period
) -> tuple[tuple[int, int] | None, list[tuple[str, str]]]:
    """The (received column, outcome column) of a dossier that belongs to the period.

    Returns (None, problems) when it cannot be classified; each problem is
    (finding code, Vietnamese message). Call only for dossiers in the period.
    """
    received = _day(dossier.received)
    due = _day(dossier.due)
    finished = _day(dossier.finished)
    assert received is not None
    problems: list[tuple[str, str]] = []
    who = _who(dossier)
    if finished is not None and finished < received:
        problems.append(
            (
                "dossier.finished_before_received",
                f"{who} có ngày kết thúc xử lý {format_date_short(finished)} trước ngày "
                f"tiếp nhận {format_date_short(received)}.",
            )
        )
    if due is not None and due < received:
        problems.append(
            (
                "dossier.due_before_received",
                f"{who} có ngày hẹn trả {format_date_short(due)} trước ngày tiếp nhận "
                f"{format_date_short(received)}.",
            )
        )
    if finished is not None and dossier.status in _PENDING:
        problems.append(
            (
                "dossier.finished_but_pending",
                f"{who} có ngày kết thúc xử lý {format_date_short(finished)} nhưng trạng thái "
                f"là «{dossier.status.value}».",
            )
        )
    if finished is None and dossier.status in _FINAL:
        problems.append(
            (
                "dossier.no_finished_date",
                f"{who} có trạng thái «{dossier.status.value}» nhưng thiếu ngày kết thúc xử lý.",
            )
        )
    if problems:
        return None, problems

    if received < period.start:
        received_column = 6
    elif dossier.channel is Channel.ONLINE:
        received_column = 4
    else:
        received_column = 5

    if finished is not None and finished <= period.end:  # final status, finished in period
        if dossier.status is Status.REFUSED:
            return (received_column, 11), []
        if dossier.status is Status.WITHDRAWN:
            return (received_column, 12), []
        if due is None:
            return None, [
                (
                    "dossier.no_due_date",
                    f"{who} đã giải quyết trong kỳ nhưng thiếu ngày hẹn trả, nên không xác "
                    "định được trước hạn, đúng hạn hay quá hạn.",
                )
            ]
        if finished < due:
            return (received_column, 8), []
        return (received_column, 9 if finished == due else 10), []

    # Unfinished at the period end (no finished date, or finished after the end).
    if dossier.status is Status.SUPPLEMENT:
        return (received_column, 16), []
    if due is None:
        return None, [
            (
                "dossier.no_due_date",
                f"{who} chưa giải quyết xong đến ngày {format_date_short(period.end)} nhưng "
                "thiếu ngày hẹn trả, nên không xác định được trong hạn hay quá hạn.",
            )
        ]
    return (received_column, 14 if due >= period.end else 15), []


@dataclass
class _FieldTally:
    name: str
    department: str | None
    cells: dict[int, list[str]]

    @classmethod
    def new(cls, name: str, department: str | None) -> _FieldTally:
        return cls(name, department, {number: [] for number in INPUT_NUMBERS})

    def counts(self) -> Counts:
        return Counts(**{_KEY_OF[n]: len(codes) for n, codes in self.cells.items()})


def _flags_present(records: Iterable[Dossier]) -> set[str]:
    present: set[str] = set()
    for dossier in records:
        for key, attribute in _FLAG_ATTRIBUTE.items():
            if key not in present and getattr(dossier, attribute) is not None:
                present.add(key)
        if len(present) == len(_FLAG_ATTRIBUTE):
            break
    return present


def _department_extras(members: list[tuple[Dossier, int, int]], present: set[str]) -> ExtraValues:
    """Count each flag over its population; None when any member lacks the flag."""
    values: dict[str, int | None] = {}
    for key, population in FLAG_POPULATIONS.items():
        attribute = _FLAG_ATTRIBUTE[key]
        flags = [
            getattr(dossier, attribute)
            for dossier, received_column, outcome_column in members
            if received_column in population or outcome_column in population
        ]
        if not flags:
            values[key] = 0 if key in present else None
        elif any(flag is None for flag in flags):
            values[key] = None
        else:
            values[key] = sum(1 for flag in flags if flag)
    return ExtraValues(**values)


def classify(records: Sequence[Dossier], period: Period, catalogue: Catalogue) -> Classification:
    """Classify a dossier list for one period: the grid rows, extras, trace and findings."""
    findings: list[Finding] = []
    outside: list[Dossier] = []
    rejected: list[Dossier] = []
    tallies: dict[str, _FieldTally] = {}  # field key -> tally, first-seen order
    names: dict[str, tuple[str, str | None]] = {}  # raw field text -> (key, department)
    members: dict[str, list[tuple[Dossier, int, int]]] = {}  # department -> counted dossiers
    codes_seen: dict[str, int] = {}
    paid_without_fee: list[str] = []

    reasons: list[str] = []
    for dossier in records:
        reason = outside_reason(dossier, period)
        if reason is not None:
            outside.append(dossier)
            reasons.append(reason)
            continue
        resolved = names.get(dossier.field)
        if resolved is None:
            canonical = catalogue.canonical_field(dossier.field)
            name = canonical or " ".join(nfc(dossier.field).split())
            key = field_key(name)
            department = catalogue.department_of(canonical) if canonical else None
            names[dossier.field] = resolved = (key, department)
            if key not in tallies:
                tallies[key] = _FieldTally.new(name, department)
        key, department = resolved
        tally = tallies[key]

        if dossier.code in codes_seen:
            rejected.append(dossier)
            findings.append(
                Finding(
                    Severity.ERROR,
                    "dossier.duplicate_code",
                    f"{_who(dossier)} trùng mã với hồ sơ ở dòng {codes_seen[dossier.code]}; "
                    "mỗi hồ sơ chỉ được tính một lần.",
                    Location(field=tally.name),
                )
            )
            continue
        codes_seen[dossier.code] = dossier.row

        pair, problems = columns_of(dossier, period)
        if pair is None:
            rejected.append(dossier)
            findings.extend(
                Finding(Severity.ERROR, code, message, Location(field=tally.name))
                for code, message in problems
            )
            continue
        received_column, outcome_column = pair
        tally.cells[received_column].append(dossier.code)
        tally.cells[outcome_column].append(dossier.code)
        if department is not None:
            members.setdefault(department, []).append((dossier, received_column, outcome_column))
        if dossier.paid_online and dossier.has_fee is False and received_column in _IN_PERIOD:
            paid_without_fee.append(dossier.code)

    counted = [t for t in tallies.values() if any(t.cells[n] for n in INPUT_NUMBERS)]
    known = sorted(
        (t for t in counted if t.department is not None),
        key=lambda t: catalogue.field_order(t.name),
    )
    unknown = [t for t in counted if t.department is None]
    rows = tuple(FieldRow(t.name, t.counts()) for t in (*known, *unknown))
    trace = {
        (t.name, number): tuple(t.cells[number])
        for t in (*known, *unknown)
        for number in INPUT_NUMBERS
    }

    for tally in unknown:
        codes = [c for n in (4, 5, 6) for c in tally.cells[n]]
        findings.append(
            Finding(
                Severity.ERROR,
                "dossier.unknown_field",
                f"Lĩnh vực «{tally.name}» không có trong danh mục nên không biết thuộc phòng "
                f"chuyên môn nào ({format_integer(len(codes))} hồ sơ: {_codes_text(codes)}); "
                "hãy sửa tên lĩnh vực trong danh sách hoặc thêm lĩnh vực này vào danh mục.",
                Location(field=tally.name, column=2),
            )
        )

    present = _flags_present(records)
    departments = {
        name: _department_extras(members[name], present)
        for name in catalogue.department_names
        if name in members
    }
    extras = ExtraInputs(ExtraValues(), departments)

    if paid_without_fee:
        findings.append(
            Finding(
                Severity.WARNING,
                "dossier.paid_without_fee",
                f"{format_integer(len(paid_without_fee))} hồ sơ được đánh dấu thanh toán trực "
                f"tuyến nhưng không có phí, lệ phí: {_codes_text(paid_without_fee)}.",
            )
        )
    if outside:
        counted_reasons = Counter(reasons)
        summary = "; ".join(
            f"{format_integer(count)} hồ sơ {reason}" for reason, count in counted_reasons.items()
        )
        codes = [d.code for d in outside]
        findings.append(
            Finding(
                Severity.WARNING,
                "dossier.outside_period",
                f"{format_integer(len(outside))} hồ sơ không thuộc kỳ báo cáo nên không được "
                f"tính ({summary}): {_codes_text(codes)}. Xem trang «Hồ sơ ngoài kỳ».",
            )
        )
    return Classification(
        rows, extras, trace, tuple(outside), tuple(findings), tuple(rejected), tuple(reasons)
    )
