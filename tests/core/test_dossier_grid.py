"""Classifying a dossier list into the grid: a hand-checked month and the seed's round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from tthc.core.catalogue import default_catalogue
from tthc.core.dossier_classification import Classification, classify
from tthc.core.dossier_model import Channel, Dossier, Status
from tthc.core.findings import Severity
from tthc.core.grid import INPUT_COLUMNS, Counts
from tthc.core.indicators import Outcome
from tthc.core.model import ExtraValues, ReportInput
from tthc.core.new_month import month_period
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult

MARCH = month_period(2026, 3)
CATALOGUE = default_catalogue("xã")
VP = "Văn phòng HĐND-UBND"
KT = "Phòng Kinh tế"
VHXH = "Phòng Văn hóa - Xã hội"

ON, DIR, POST = Channel.ONLINE, Channel.DIRECT, Channel.POST
RES, REF, WDR = Status.RESOLVED, Status.REFUSED, Status.WITHDRAWN
SUP, PRO = Status.SUPPLEMENT, Status.PROCESSING


def day(month: int, number: int) -> date:
    return date(2026, month, number)


# The hand-made list: code, field, channel, received, due, finished, status, then the
# flags (has_fee, paid_online, updated, digitised, reused). The comment gives the cells
# each dossier lands in, worked out by hand from the rules in dossier_grid's docstring.
T, F, N = True, False, None
# fmt: off
HAND = [
    # Hộ tịch (Văn phòng): flags present. HT02 finished on its due date; HT09 due on the
    # period's last day is still within time.
    ("HT01", "Hộ tịch", ON, day(3, 2), day(3, 5), day(3, 3), RES, F, F, T, T, T),    # (4) (8)
    ("HT02", "Hộ tịch", ON, day(3, 4), day(3, 6), day(3, 6), RES, F, F, T, T, T),    # (4) (9)
    ("HT03", "Hộ tịch", DIR, day(3, 9), day(3, 11), day(3, 13), RES, T, F, T, T, F),  # (5) (10)
    ("HT04", "Hộ tịch", POST, day(3, 10), day(3, 12), day(3, 11), RES, F, F, T, T, F),  # (5) (8)
    ("HT05", "Hộ tịch", ON, day(3, 16), day(3, 18), day(3, 17), REF, F, F, T, F, T),  # (4) (11)
    ("HT06", "Hộ tịch", ON, day(3, 20), day(4, 2), None, PRO, F, F, F, F, F),        # (4) (14)
    ("HT07", "Hộ tịch", DIR, day(2, 25), day(3, 2), day(3, 2), RES, F, F, T, T, T),  # (6) (9)
    ("HT08", "Hộ tịch", ON, day(3, 30), day(3, 31), None, SUP, F, F, T, T, F),       # (4) (16)
    ("HT09", "Hộ tịch", ON, day(3, 31), day(3, 31), None, PRO, F, F, T, F, F),       # (4) (14)
    # Chứng thực (Văn phòng): flags present. CT07 received in April and CT08 finished in
    # February are outside the period.
    ("CT01", "Chứng thực", ON, day(3, 2), day(3, 3), day(3, 2), RES, T, T, T, T, T),   # (4) (8)
    ("CT02", "Chứng thực", ON, day(3, 5), day(3, 6), day(3, 5), RES, T, T, T, T, T),   # (4) (8)
    ("CT03", "Chứng thực", DIR, day(3, 12), day(3, 13), day(3, 12), WDR, T, F, T, F, F),  # (5) (12)
    ("CT04", "Chứng thực", POST, day(3, 18), day(3, 19), day(3, 19), RES, T, F, T, F, F),  # (5) (9)
    # CT05 finished in April, after its due date: pending overdue at the period end.
    ("CT05", "Chứng thực", ON, day(3, 25), day(3, 26), day(4, 2), RES, T, T, T, T, T),  # (4) (15)
    ("CT06", "Chứng thực", ON, day(3, 27), day(3, 30), None, PRO, T, F, T, F, T),      # (4) (15)
    ("CT07", "Chứng thực", ON, day(4, 1), day(4, 2), day(4, 2), RES, T, T, T, T, T),   # outside
    ("CT08", "Chứng thực", ON, day(2, 20), day(2, 23), day(2, 23), RES, T, T, T, T, T),  # outside
    # Đất đai (Phòng Kinh tế): the list has no flags for it
    ("DD01", "Đất đai", DIR, day(2, 10), day(3, 10), day(3, 9), RES, N, N, N, N, N),   # (6) (8)
    ("DD02", "Đất đai", DIR, day(2, 15), day(3, 16), None, PRO, N, N, N, N, N),        # (6) (15)
    ("DD03", "Đất đai", ON, day(3, 3), day(3, 24), day(3, 24), RES, N, N, N, N, N),    # (4) (9)
    ("DD04", "Đất đai", ON, day(3, 5), day(3, 26), day(3, 20), RES, N, N, N, N, N),    # (4) (8)
    ("DD05", "Đất đai", DIR, day(3, 6), day(3, 27), day(3, 30), RES, N, N, N, N, N),   # (5) (10)
    ("DD06", "Đất đai", POST, day(3, 9), day(3, 30), day(3, 12), REF, N, N, N, N, N),  # (5) (11)
    ("DD07", "Đất đai", ON, day(3, 11), day(4, 1), day(3, 25), WDR, N, N, N, N, N),    # (4) (12)
    ("DD08", "Đất đai", ON, day(3, 17), day(4, 7), None, SUP, N, N, N, N, N),          # (4) (16)
    ("DD09", "Đất đai", DIR, day(3, 23), day(4, 13), None, PRO, N, N, N, N, N),        # (5) (14)
    # DD10 finished before it was received: an error, not counted anywhere.
    ("DD10", "Đất đai", ON, day(3, 20), day(4, 10), day(3, 15), RES, N, N, N, N, N),   # rejected
    ("DD11", "Đất đai", ON, day(2, 26), day(3, 19), None, SUP, N, N, N, N, N),         # (6) (16)
    ("DD12", "Đất đai", POST, day(3, 2), day(3, 23), day(3, 23), REF, N, N, N, N, N),  # (5) (11)
    # DD13 from January, finished in April after its due date: (6), pending overdue.
    ("DD13", "Đất đai", ON, day(1, 15), day(2, 5), day(4, 3), RES, N, N, N, N, N),     # (6) (15)
]
# fmt: on

# Every cell by hand. Columns:        (4) (5) (6)  (8) (9) (10) (11) (12)  (14) (15) (16)
# Hộ tịch:    (4) HT01 02 05 06 08 09 = 6; (5) HT03 04 = 2; (6) HT07 = 1        -> (3) = 9
#             (8) HT01 04 = 2; (9) HT02 07 = 2; (10) HT03 = 1; (11) HT05 = 1; (12) 0 -> (7) = 6
#             (14) HT06 09 = 2; (15) 0; (16) HT08 = 1                           -> (13) = 3
# Chứng thực: (4) CT01 02 05 06 = 4; (5) CT03 04 = 2; (6) 0                     -> (3) = 6
#             (8) CT01 02 = 2; (9) CT04 = 1; (10) 0; (11) 0; (12) CT03 = 1      -> (7) = 4
#             (14) 0; (15) CT05 06 = 2; (16) 0                                  -> (13) = 2
# Đất đai:    (4) DD03 04 07 08 = 4; (5) DD05 06 09 12 = 4; (6) DD01 02 11 13 = 4 -> (3) = 12
#             (8) DD01 04 = 2; (9) DD03 = 1; (10) DD05 = 1; (11) DD06 12 = 2; (12) DD07 = 1
#                                                                               -> (7) = 7
#             (14) DD09 = 1; (15) DD02 13 = 2; (16) DD08 11 = 2                 -> (13) = 5
EXPECTED = {
    #              4  5  6  8  9 10 11 12 14 15 16
    "Hộ tịch": (6, 2, 1, 2, 2, 1, 1, 0, 2, 0, 1),
    "Chứng thực": (4, 2, 0, 2, 1, 0, 0, 1, 0, 2, 0),
    "Đất đai": (4, 4, 4, 2, 1, 1, 2, 1, 1, 2, 2),
}
EXPECTED_DERIVED = {  # (3), (7), (13)
    "Hộ tịch": (9, 6, 3),
    "Chứng thực": (6, 4, 2),
    "Đất đai": (12, 7, 5),
}


def hand_list() -> list[Dossier]:
    result = []
    for index, item in enumerate(HAND):
        code, field, channel, received, due, finished, status, *flags = item
        fee, paid, updated, digitised, reused = flags
        result.append(
            Dossier(
                code, field, channel, received, due, finished, status, index + 2,
                has_fee=fee, paid_online=paid, updated=updated, digitised=digitised,
                reused=reused,
            )
        )  # fmt: skip
    return result


@pytest.fixture(scope="module")
def hand() -> Classification:
    return classify(hand_list(), MARCH, CATALOGUE)


def cells(counts: Counts) -> tuple[int, ...]:
    return tuple(counts.value(column.number) for column in INPUT_COLUMNS)


def test_every_cell_of_the_hand_list(hand: Classification) -> None:
    # Catalogue order: Văn phòng's fields, then Phòng Kinh tế's.
    assert [row.field for row in hand.rows] == ["Hộ tịch", "Chứng thực", "Đất đai"]
    for row in hand.rows:
        assert cells(row.counts) == EXPECTED[row.field], row.field
        derived = (row.counts.received, row.counts.resolved, row.counts.pending)
        assert derived == EXPECTED_DERIVED[row.field], row.field
        assert row.counts.received == row.counts.resolved + row.counts.pending  # (3)=(7)+(13)
    total = Counts.total(row.counts for row in hand.rows)
    assert cells(total) == (14, 8, 5, 6, 4, 2, 3, 2, 3, 4, 3)
    assert total.received == 27 == total.resolved + total.pending
    # 30 dossiers = 27 counted + 2 outside + 1 rejected.
    assert [d.code for d in hand.outside] == ["CT07", "CT08"]
    assert [d.code for d in hand.rejected] == ["DD10"]


def test_hand_list_findings(hand: Classification) -> None:
    errors = [f for f in hand.findings if f.severity is Severity.ERROR]
    warnings = [f for f in hand.findings if f.severity is Severity.WARNING]
    assert [f.code for f in errors] == ["dossier.finished_before_received"]
    assert errors[0].message == (
        "Hồ sơ «DD10» (dòng 28 của danh sách) có ngày kết thúc xử lý 15/3/2026 trước "
        "ngày tiếp nhận 20/3/2026."
    )
    assert errors[0].location.field == "Đất đai"
    assert [f.code for f in warnings] == ["dossier.outside_period"]
    assert warnings[0].message == (
        "2 hồ sơ không thuộc kỳ báo cáo nên không được tính (1 hồ sơ tiếp nhận sau ngày "
        "31/3/2026; 1 hồ sơ đã kết thúc trước ngày 01/3/2026): CT07, CT08. Xem trang "
        "«Hồ sơ ngoài kỳ»."
    )


def test_hand_list_extras(hand: Classification) -> None:
    # Văn phòng, counted dossiers: HT01–HT09, CT01–CT06 (15 = its (3)).
    # Received in the period ((4)+(5)): all but HT07 -> 14 dossiers.
    #   has_fee true: HT03, CT01–CT06 -> 7; paid_online true: CT01, CT02, CT05 -> 3;
    #   reused true: HT01, HT02, HT05, CT01, CT02, CT05, CT06 -> 7 (HT07 true but carried over).
    # updated over all 15: all true except HT06 -> 14.
    # digitised over (8)+(9)+(10) = HT01, HT02, HT03, HT04, HT07, CT01, CT02, CT04:
    #   all true except CT04 -> 7 (HT08 is digitised but pending: not counted).
    # Outside dossiers CT07, CT08 have every flag true and count nowhere.
    assert hand.extras.departments[VP] == ExtraValues(
        paid_online=3, with_fee=7, updated=14, digitised=7, reused=7
    )
    # Phòng Kinh tế: the list gives no flag for Đất đai -> nothing, never 100%.
    assert hand.extras.departments[KT] == ExtraValues()
    assert list(hand.extras.departments) == [VP, KT]  # no dossier of Văn hóa - Xã hội
    assert hand.extras.unit == ExtraValues()


def test_hand_list_trace(hand: Classification) -> None:
    assert hand.trace[("Đất đai", 15)] == ("DD02", "DD13")
    assert hand.trace[("Đất đai", 6)] == ("DD01", "DD02", "DD11", "DD13")
    assert hand.trace[("Hộ tịch", 9)] == ("HT02", "HT07")
    assert hand.trace[("Chứng thực", 12)] == ("CT03",)
    assert hand.trace[("Chứng thực", 6)] == ()
    assert hand.trace[("Hộ tịch", 5)] == ("HT03", "HT04")
    # One entry per row and input column, and each agrees with its cell.
    assert len(hand.trace) == 3 * 11
    for row in hand.rows:
        for column in INPUT_COLUMNS:
            codes = hand.trace[(row.field, column.number)]
            assert len(codes) == row.counts.value(column.number)
    assert not any("DD10" in codes for codes in hand.trace.values())


def one(code: str = "X1", **changes: object) -> Dossier:
    base = Dossier(code, "Hộ tịch", ON, day(3, 2), day(3, 5), day(3, 3), RES, 2)
    return replace(base, **changes)


def test_contradictions_are_errors_naming_code_and_row() -> None:
    records = [
        one("A1", finished=day(3, 4), status=PRO, row=2),  # finished date, pending status
        one("A2", finished=None, status=RES, row=3),  # resolved without a finished date
        one("A3", due=None, row=4),  # resolved without a due date
        one("A4", due=day(3, 1), row=5),  # due before received
        one("A5", finished=None, due=None, status=PRO, row=6),  # pending, no due date
        one("A1", row=7),  # duplicate code
        one("A6", finished=None, due=None, status=SUP, row=8),  # fine: waiting, clock stopped
        one("A7", finished=None, due=None, status=REF, row=9),  # refused without finished date
    ]
    result = classify(records, MARCH, CATALOGUE)
    assert [(f.severity, f.code) for f in result.findings] == [
        (Severity.ERROR, "dossier.finished_but_pending"),
        (Severity.ERROR, "dossier.no_finished_date"),
        (Severity.ERROR, "dossier.no_due_date"),
        (Severity.ERROR, "dossier.due_before_received"),
        (Severity.ERROR, "dossier.no_due_date"),
        (Severity.ERROR, "dossier.duplicate_code"),
        (Severity.ERROR, "dossier.no_finished_date"),
    ]
    for finding, row in zip(result.findings, (2, 3, 4, 5, 6, 7, 9), strict=True):
        assert f"dòng {row} của danh sách" in finding.message
    assert "thiếu ngày hẹn trả" in result.findings[2].message
    assert [d.code for d in result.rejected] == ["A1", "A2", "A3", "A4", "A5", "A1", "A7"]
    assert cells(result.rows[0].counts) == (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)


def test_unknown_field_keeps_its_name_and_is_an_error() -> None:
    records = [
        one("K1", field="  hộ   tịch "),
        one("K2", field="Lĩnh vực lạ"),
        one("K3", field="Lĩnh vực lạ", channel=DIR, finished=None, status=PRO),
    ]
    result = classify(records, MARCH, CATALOGUE)
    assert [row.field for row in result.rows] == ["Hộ tịch", "Lĩnh vực lạ"]
    assert cells(result.rows[1].counts) == (1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0)
    (error,) = result.findings
    assert error.severity is Severity.ERROR and error.code == "dossier.unknown_field"
    assert "«Lĩnh vực lạ»" in error.message and "K2, K3" in error.message
    assert result.trace[("Lĩnh vực lạ", 5)] == ("K3",)
    assert list(result.extras.departments) == [VP]  # the unknown field has no department


def test_datetimes_compare_by_calendar_day() -> None:
    # Finished at 17:30 on the due date is on time; received 23:59 on the last day counts.
    records = [
        one("D1", due=day(3, 5), finished=datetime(2026, 3, 5, 17, 30)),
        one("D2", received=datetime(2026, 3, 31, 23, 59), due=day(4, 2), finished=None,
            status=PRO),
    ]  # fmt: skip
    result = classify(records, MARCH, CATALOGUE)
    assert result.findings == ()
    assert result.trace[("Hộ tịch", 9)] == ("D1",)
    assert result.trace[("Hộ tịch", 14)] == ("D2",)


def test_flag_population_empty() -> None:
    # A department with nothing resolved: digitised is 0 when the list has the column
    # (the indicator then says nothing arose), empty when the list has no such column.
    pending = one("P1", finished=None, status=PRO, due=day(4, 9), digitised=True)
    with_column = classify([pending], MARCH, CATALOGUE).extras.departments[VP]
    assert with_column.digitised == 0 and with_column.updated is None
    without = classify([replace(pending, digitised=None)], MARCH, CATALOGUE)
    assert without.extras.departments[VP].digitised is None


def test_paid_online_without_fee_is_a_warning() -> None:
    result = classify([one("F1", has_fee=False, paid_online=True)], MARCH, CATALOGUE)
    (warning,) = result.findings
    assert warning.severity is Severity.WARNING and "F1" in warning.message


def test_many_outside_codes_are_shortened() -> None:
    records = [one(f"O{i:03d}", received=day(4, 1), due=day(4, 3), finished=None,
                   status=PRO, row=i + 2) for i in range(25)]  # fmt: skip
    result = classify(records, MARCH, CATALOGUE)
    assert result.rows == () and len(result.outside) == 25
    (warning,) = result.findings
    assert warning.message.startswith("25 hồ sơ không thuộc kỳ báo cáo")
    assert "O019 và 5 hồ sơ khác." in warning.message


# --- The seed's March 2026 grid, round trip from 1.132 generated dossiers ----------------

MARCH_1 = day(3, 1)


def generate_seed_list(report: ReportInput, **flags: bool | None) -> list[Dossier]:
    """Dossiers consistent with the seed's appendix, one per dossier it counts.

    Per field: (6) dossiers received in February and still open on 1 March, (4) online
    and (5) direct received in March (days 1–20). Each gets an outcome column, and dates
    that give it: (8) finished two days before its due date, (9) on it, (10) two days
    after; (11) refused, (12) withdrawn; (14) open, due 3 April; (15) open, due 25 March;
    (16) waiting for supplements.
    """
    records: list[Dossier] = []
    for row in report.rows:
        c = row.counts
        receipts = [6] * c.carried_over + [4] * c.online + [5] * c.direct
        outcomes = (
            [8] * c.early + [9] * c.on_time + [10] * c.late + [11] * c.refused
            + [12] * c.withdrawn + [14] * c.pending_in_time + [15] * c.pending_overdue
            + [16] * c.pending_supplement
        )  # fmt: skip
        assert len(receipts) == len(outcomes)
        for index, (receipt, outcome) in enumerate(zip(receipts, outcomes, strict=True)):
            if receipt == 6:
                received, channel = day(2, 10 + index % 15), DIR
            else:
                received = day(3, 1 + index % 20)
                channel = ON if receipt == 4 else (DIR, POST)[index % 2]
            start = max(received, MARCH_1)
            finished: date | None = start + timedelta(days=3)
            status = RES
            if outcome == 8:
                due = finished + timedelta(days=2)
            elif outcome == 9:
                due = finished
            elif outcome == 10:
                due = finished - timedelta(days=2)
            elif outcome in (11, 12):
                due = finished + timedelta(days=5)
                status = REF if outcome == 11 else WDR
            else:
                finished = None
                due = {14: day(4, 3), 15: day(3, 25), 16: day(3, 28)}[outcome]
                status = SUP if outcome == 16 else PRO
            records.append(
                Dossier(
                    f"BG-2603-{len(records) + 1:05d}", row.field, channel, received, due,
                    finished, status, len(records) + 2,
                    **{name: flags.get(name) for name in
                       ("has_fee", "paid_online", "updated", "digitised", "reused")},
                )
            )  # fmt: skip
    return records


def test_seed_grid_round_trip(seed_report: ReportInput) -> None:
    records = generate_seed_list(seed_report)
    assert len(records) == 1132
    result = classify(records, MARCH, default_catalogue("xã"))
    assert result.findings == () and result.outside == () and result.rejected == ()
    seed = {row.field: row.counts for row in seed_report.rows}
    got = {row.field: row.counts for row in result.rows}
    assert list(got) == [f for f in CATALOGUE.field_names if f in seed]  # catalogue order
    assert set(got) == set(seed)
    for field, counts in seed.items():
        for column in INPUT_COLUMNS:
            number = column.number
            assert got[field].value(number) == counts.value(number), (field, number)
        assert got[field] == counts
    total = Counts.total(got.values())
    assert (total.received, total.resolved, total.pending) == (1132, 1131, 1)
    assert result.trace[("Đất đai", 14)] == tuple(
        d.code for d in records if d.field == "Đất đai" and d.status is PRO
    )


def _indicator(result, code: str, department: str | None = None) -> tuple[int | None, ...]:
    indicators = result.ready.indicators
    found = (
        indicators.unit[code] if department is None else indicators.departments[department][code]
    )
    return found.numerator, found.denominator


def test_seed_extras_with_every_flag_true(seed_report: ReportInput) -> None:
    flags = dict.fromkeys(("has_fee", "paid_online", "updated", "digitised", "reused"), True)
    records = generate_seed_list(seed_report, **flags)
    result = classify(records, MARCH, default_catalogue("xã"))
    # Văn phòng: Hộ tịch 343 + Chứng thực 675 = 1.018 received, all in March;
    # resolved with a result (8)+(9)+(10) = 340 + 674 = 1.014.
    assert result.extras.departments[VP] == ExtraValues(
        paid_online=1018, with_fee=1018, updated=1018, digitised=1014, reused=1018
    )
    # Kinh tế: (3) = 10 + 65 = 75, of which 74 in March; with a result 7 + 65 = 72.
    assert result.extras.departments[KT] == ExtraValues(
        paid_online=74, with_fee=74, updated=75, digitised=72, reused=74
    )
    # Văn hóa - Xã hội: (3) = 8 + 30 + 1 = 39, 38 in March; with a result 8 + 30 = 38.
    assert result.extras.departments[VHXH] == ExtraValues(
        paid_online=38, with_fee=38, updated=39, digitised=38, reused=38
    )
    report = replace(seed_report, rows=result.rows, extras=result.extras)
    run = run_pipeline(LoadResult(report, ()))
    assert run.ok, [f.describe() for f in run.findings]
    assert _indicator(run, "1.3") == (1132, 1132)
    assert _indicator(run, "1.3", VP) == (1018, 1018)
    assert _indicator(run, "1.3", KT) == (75, 75)
    assert _indicator(run, "1.3", VHXH) == (39, 39)
    assert _indicator(run, "1.4") == (1124, 1124)
    assert _indicator(run, "1.4", VP) == (1014, 1014)
    assert _indicator(run, "1.4", KT) == (72, 72)
    assert _indicator(run, "1.4", VHXH) == (38, 38)
    for code in ("1.2", "1.3", "1.4", "1.5"):
        assert run.ready.indicators.unit[code].rate == 1, code
    assert _indicator(run, "1.5") == (1130, 1130)
    text = "\n".join(p.text for p in run.ready.narrative.body)
    assert "1.014/1.014" in text


def test_seed_without_flags_is_missing_not_full(seed_report: ReportInput) -> None:
    result = classify(generate_seed_list(seed_report), MARCH, default_catalogue("xã"))
    assert all(values == ExtraValues() for values in result.extras.departments.values())
    run = run_pipeline(LoadResult(replace(seed_report, rows=result.rows, extras=result.extras), ()))
    assert run.ok
    for code in ("1.2", "1.3", "1.4", "1.5"):
        assert run.ready.indicators.unit[code].outcome is Outcome.MISSING, code


def test_with_field_is_replace_with_another_field_name() -> None:
    """The renaming shortcut gives what `dataclasses.replace` gives, and leaves the original."""
    flagged = Dossier(
        "H1", "hộ tịch", ON, day(3, 2), day(3, 5), None, RES, 7, has_fee=True, reused=False
    )
    renamed = flagged.with_field("Hộ tịch")
    assert renamed == replace(flagged, field="Hộ tịch")
    assert renamed.has_fee is True and renamed.reused is False and renamed.row == 7
    assert flagged.field == "hộ tịch"
    assert flagged.with_field("hộ tịch") is flagged
    with pytest.raises(AttributeError):
        renamed.field = "Chứng thực"  # type: ignore[misc]


def test_listed_is_the_constructor() -> None:
    """The reader's constructor gives the dossier `Dossier(...)` gives, flags or none."""
    for flags in ({}, {"has_fee": True, "digitised": False}):
        quick = Dossier.listed("H2", "Hộ tịch", DIR, day(3, 1), day(3, 4), None, RES, 9, flags)
        slow = Dossier("H2", "Hộ tịch", DIR, day(3, 1), day(3, 4), None, RES, 9, **flags)
        assert quick == slow and hash(quick) == hash(slow) and repr(quick) == repr(slow)
        with pytest.raises(AttributeError):
            quick.row = 10  # type: ignore[misc]
