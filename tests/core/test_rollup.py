"""Rolling monthly reports into a quarter (tthc.core.rollup).

The fixture is a made-up xã Hòa Phú, January–March 2026, three fields in two
departments, with carry-over continuity holding (each month's (6) is the
previous month's (13)). Every expected figure of the quarter is written out by
hand below, so a test failure shows which rule broke.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tthc.core.catalogue import KINH_TE, VAN_PHONG, default_catalogue
from tthc.core.findings import Severity
from tthc.core.grid import Counts
from tthc.core.model import (
    DocumentInfo,
    ExtraInputs,
    ExtraValues,
    FieldRow,
    Period,
    ReportInput,
    Signer,
    Unit,
    UnitKind,
)
from tthc.core.new_month import month_period
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import LoadResult
from tthc.core.rollup import period_name, rollup

UNIT = Unit(UnitKind.XA, "Hòa Phú")
CATALOGUE = default_catalogue("xã")


def counts(
    online: int,
    direct: int,
    carried: int,
    resolved: tuple[int, int, int, int, int],
    pending: tuple[int, int, int],
) -> Counts:
    """(4), (5), (6), then (8)–(12) and (14)–(16), in the form's column order."""
    early, on_time, late, refused, withdrawn = resolved
    in_time, overdue, supplement = pending
    return Counts(
        online=online,
        direct=direct,
        carried_over=carried,
        early=early,
        on_time=on_time,
        late=late,
        refused=refused,
        withdrawn=withdrawn,
        pending_in_time=in_time,
        pending_overdue=overdue,
        pending_supplement=supplement,
    )


def extras(
    paid: int | None,
    fee: int | None,
    updated: int | None,
    digitised: int | None,
    reused: int | None,
    feedback: tuple[int, int] | None = None,
) -> ExtraValues:
    received, handled = feedback if feedback else (None, None)
    return ExtraValues(
        paid_online=paid,
        with_fee=fee,
        updated=updated,
        digitised=digitised,
        reused=reused,
        feedback_received=received,
        feedback_handled=handled,
    )


def report(
    month: int,
    rows: dict[str, Counts],
    unit_extras: ExtraValues | None = None,
    departments: dict[str, ExtraValues] | None = None,
    *,
    unit: Unit = UNIT,
    period: Period | None = None,
    signer: str = "Nguyễn Văn An",
    shortcomings: tuple[str, ...] = (),
) -> ReportInput:
    period = period or month_period(2026, month)
    return ReportInput(
        unit=unit,
        period=period,
        document=DocumentInfo(
            date=period.next_day(),
            number=f"{month}",
            recipients=(f"Lãnh đạo UBND xã (tháng {month})", "Lưu: VT"),
        ),
        signer=Signer(name=signer),
        rows=tuple(FieldRow(name, c) for name, c in rows.items()),
        catalogue=CATALOGUE,
        extras=ExtraInputs(unit_extras or ExtraValues(), departments or {}),
        shortcomings=shortcomings,
        # A stated total of the month must not leak into the quarter.
        stated_total={3: 999},
    )


# --- January: (3) = (7) + (13) on each row ------------------------------------------
# Hộ tịch     20 + 10 + 2 = 32 = (25+3+0+1+0 = 29) + (2+0+1 = 3)
# Chứng thực  50 + 100 + 0 = 150 = (140+10 = 150) + 0
# Đất đai     1 + 3 + 4 = 8 = (2+1+1+0+1 = 5) + (2+0+1 = 3)
JANUARY = {
    "Hộ tịch": counts(20, 10, 2, (25, 3, 0, 1, 0), (2, 0, 1)),
    "Chứng thực": counts(50, 100, 0, (140, 10, 0, 0, 0), (0, 0, 0)),
    "Đất đai": counts(1, 3, 4, (2, 1, 1, 0, 1), (2, 0, 1)),
}
# --- February: (6) = January's (13) ---------------------------------------------------
# Hộ tịch     15 + 8 + 3 = 26 = (20+2+0+0+1 = 23) + (3+0+0 = 3)
# Chứng thực  40 + 90 + 0 = 130 = (125+5 = 130) + 0
# Đất đai     2 + 2 + 3 = 7 = (1+2+0+1+0 = 4) + (1+1+1 = 3)
FEBRUARY = {
    "Hộ tịch": counts(15, 8, 3, (20, 2, 0, 0, 1), (3, 0, 0)),
    "Chứng thực": counts(40, 90, 0, (125, 5, 0, 0, 0), (0, 0, 0)),
    "Đất đai": counts(2, 2, 3, (1, 2, 0, 1, 0), (1, 1, 1)),
}
# --- March: (6) = February's (13) -----------------------------------------------------
# Hộ tịch     25 + 12 + 3 = 40 = (30+4+1+0+0 = 35) + (4+0+1 = 5)
# Chứng thực  60 + 110 + 0 = 170 = (160+8 = 168) + (2+0+0 = 2)
# Đất đai     3 + 1 + 3 = 7 = (2+1+0+0+1 = 4) + (2+0+1 = 3)
MARCH = {
    "Hộ tịch": counts(25, 12, 3, (30, 4, 1, 0, 0), (4, 0, 1)),
    "Chứng thực": counts(60, 110, 0, (160, 8, 0, 0, 0), (2, 0, 0)),
    "Đất đai": counts(3, 1, 3, (2, 1, 0, 0, 1), (2, 0, 1)),
}

# The quarter, column by column: (4), (5), (8)–(12) add up; (6) is January's;
# (14)–(16) are March's; (3), (7), (13) follow.
#
#              (3)  (4)  (5)  (6) | (7)  (8) (9) (10) (11) (12) | (13) (14) (15) (16)
# Hộ tịch       92   60   30    2 |  87   75   9    1    1    1 |    5    4    0    1
#   (4) 20+15+25=60  (5) 10+8+12=30  (6) Jan 2  (3) 60+30+2=92
#   (8) 25+20+30=75  (9) 3+2+4=9  (10) 0+0+1=1  (11) 1+0+0=1  (12) 0+1+0=1  (7) 87
#   (14)(15)(16) Mar 4, 0, 1  (13) 5;  92 = 87 + 5
# Chứng thực   450  150  300    0 | 448  425  23    0    0    0 |    2    2    0    0
#   (4) 50+40+60=150  (5) 100+90+110=300  (6) Jan 0  (3) 450
#   (8) 140+125+160=425  (9) 10+5+8=23  (7) 448;  (13) Mar 2;  450 = 448 + 2
# Đất đai       16    6    6    4 |  13    5   4    1    1    2 |    3    2    0    1
#   (4) 1+2+3=6  (5) 3+2+1=6  (6) Jan 4  (3) 16
#   (8) 2+1+2=5  (9) 1+2+1=4  (10) 1+0+0=1  (11) 0+1+0=1  (12) 1+0+1=2  (7) 13
#   (14)(15)(16) Mar 2, 0, 1  (13) 3;  16 = 13 + 3
# Tổng cộng    558  216  336    6 | 548  505  36    2    2    3 |   10    8    0    2
#   (6) 6 = January's total (6); (13) 10 = March's total (13); 558 = 548 + 10
QUARTER_COLUMNS = {
    "Hộ tịch": (92, 60, 30, 2, 87, 75, 9, 1, 1, 1, 5, 4, 0, 1),
    "Chứng thực": (450, 150, 300, 0, 448, 425, 23, 0, 0, 0, 2, 2, 0, 0),
    "Đất đai": (16, 6, 6, 4, 13, 5, 4, 1, 1, 2, 3, 2, 0, 1),
}
QUARTER_TOTAL = (558, 216, 336, 6, 548, 505, 36, 2, 2, 3, 10, 8, 0, 2)

# Extra inputs. Per month (3): VP 182/156/210, KT 8/7/7; (8)+(9)+(10): VP 178/152/203,
# KT 4/3/3. "updated" is 100% of (3) every month, "digitised" 100% of (8)+(9)+(10).
# February has no feedback figures; Phòng Kinh tế gives no "reused" in March.
JANUARY_EXTRAS = (
    extras(102, 114, 190, 182, 92, (1, 1)),
    {VAN_PHONG: extras(100, 110, 182, 178, 90), KINH_TE: extras(2, 4, 8, 4, 2)},
)
FEBRUARY_EXTRAS = (
    extras(80, 90, 163, 155, 70),
    {VAN_PHONG: extras(79, 88, 156, 152, 69), KINH_TE: extras(1, 2, 7, 3, 1)},
)
MARCH_EXTRAS = (
    extras(120, 130, 217, 206, 100, (2, 2)),
    {VAN_PHONG: extras(118, 127, 210, 203, 99), KINH_TE: extras(2, 3, 7, 3, None)},
)
# The quarter: sums where all three months have a value, None otherwise; "updated"
# is each scope's quarter (3) because every month was at 100% (558, VP 92+450=542,
# KT 16), not the month sum 570, which counts the 12 carried-over dossiers twice.
QUARTER_UNIT_EXTRAS = extras(102 + 80 + 120, 114 + 90 + 130, 558, 182 + 155 + 206, 92 + 70 + 100)
QUARTER_DEPARTMENT_EXTRAS = {
    VAN_PHONG: extras(100 + 79 + 118, 110 + 88 + 127, 542, 178 + 152 + 203, 90 + 69 + 99),
    KINH_TE: extras(2 + 1 + 2, 4 + 2 + 3, 16, 4 + 3 + 3, None),
}


def quarter_months() -> list[ReportInput]:
    return [
        report(1, JANUARY, *JANUARY_EXTRAS, signer="Trần Thị Bình"),
        report(2, FEBRUARY, *FEBRUARY_EXTRAS),
        report(3, MARCH, *MARCH_EXTRAS, shortcomings=("Tồn tại của tháng 3.",)),
    ]


def grid_only_months() -> list[ReportInput]:
    """The quarter's months without extra inputs, for tests that change the grid.

    Adding dossiers would make the months' "updated" figures fall below 100% and
    bring in a warning unrelated to the grid.
    """
    return [replace(month, extras=ExtraInputs()) for month in quarter_months()]


def columns(c: Counts) -> tuple[int, ...]:
    return tuple(c.value(number) for number in range(3, 17))


def codes(findings: tuple) -> list[str]:
    return [f.code for f in findings]


def test_quarter_grid_field_by_field_and_total() -> None:
    result = rollup(quarter_months())
    assert result.report is not None, [f.describe() for f in result.findings]
    assert result.findings == ()
    quarter = result.report
    assert [row.field for row in quarter.rows] == ["Hộ tịch", "Chứng thực", "Đất đai"]
    for row in quarter.rows:
        assert columns(row.counts) == QUARTER_COLUMNS[row.field], row.field
        assert row.stated == {}
    assert columns(quarter.total) == QUARTER_TOTAL
    assert quarter.stated_total == {}


def test_quarter_document_and_carried_settings() -> None:
    quarter = rollup(quarter_months()).report
    assert quarter is not None
    assert quarter.period == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert quarter.document.date == date(2026, 4, 1)
    assert quarter.document.number == ""
    assert quarter.document.symbol == "BC-TTPVHCC"
    assert quarter.document.recipients == ("Lãnh đạo UBND xã (tháng 3)", "Lưu: VT")
    assert quarter.signer.name == "Nguyễn Văn An"  # the last report's, not January's
    assert quarter.shortcomings == ("Tồn tại của tháng 3.",)
    assert quarter.unit == UNIT
    assert quarter.catalogue == CATALOGUE


def test_quarter_extras_add_up_only_when_every_month_has_them() -> None:
    quarter = rollup(quarter_months()).report
    assert quarter is not None
    assert quarter.extras.unit == QUARTER_UNIT_EXTRAS
    assert quarter.extras.unit.feedback_received is None  # February had none
    assert quarter.extras.unit.feedback_handled is None
    assert dict(quarter.extras.departments) == QUARTER_DEPARTMENT_EXTRAS
    assert quarter.extras.for_department(KINH_TE).reused is None  # March had none


def test_quarter_validates_and_names_the_quarter() -> None:
    quarter = rollup(quarter_months()).report
    assert quarter is not None
    result = run_pipeline(LoadResult(quarter, ()))
    errors = [f.describe() for f in result.findings if f.severity is Severity.ERROR]
    assert errors == []
    assert result.ready is not None
    assert "QUÝ I NĂM 2026" in result.ready.narrative.appendix.title
    assert result.ready.narrative.subject.endswith("(từ ngày 01/01/2026 đến ngày 31/3/2026)")
    # The only warning: 1.6 has no figures, because February gave none.
    assert codes(result.findings) == ["extras.missing"]
    assert "1.6" in result.findings[0].message


def test_input_order_does_not_matter() -> None:
    january, february, march = quarter_months()
    in_order = rollup([january, february, march])
    for shuffled in ([march, january, february], [february, march, january]):
        assert rollup(shuffled) == in_order


def test_refuses_a_gap() -> None:
    january, _february, march = quarter_months()
    result = rollup([march, january])
    assert result.report is None
    assert not result.ok
    assert [(f.severity, f.code) for f in result.findings] == [(Severity.ERROR, "rollup.gap")]
    assert result.findings[0].message == (
        "Giữa báo cáo tháng 01/2026 và báo cáo tháng 3/2026 thiếu số liệu từ ngày 01/02/2026 "
        "đến ngày 28/02/2026; hãy thêm báo cáo của khoảng thời gian này."
    )


def test_refuses_an_overlap() -> None:
    january, february, _march = quarter_months()
    mid_january = replace(february, period=Period(date(2026, 1, 20), date(2026, 2, 28)))
    result = rollup([january, mid_january])
    assert result.report is None
    assert codes(result.findings) == ["rollup.overlap"]
    message = result.findings[0].message
    assert "tháng 01/2026" in message
    assert "từ ngày 20/01/2026 đến ngày 28/02/2026" in message
    assert "20/01/2026 đến 31/01/2026" in message


def test_refuses_the_same_month_twice() -> None:
    january = quarter_months()[0]
    result = rollup([january, january])
    assert result.report is None
    assert codes(result.findings) == ["rollup.overlap"]


def test_refuses_a_different_unit() -> None:
    january, february, _march = quarter_months()
    other = replace(february, unit=Unit(UnitKind.PHUONG, "Hòa Phú"))
    result = rollup([january, other])
    assert result.report is None
    assert codes(result.findings) == ["rollup.unit_mismatch"]
    assert result.findings[0].message == (
        "Báo cáo tháng 02/2026 là của phường Hòa Phú, khác báo cáo tháng 01/2026 của "
        "xã Hòa Phú; chỉ gộp được báo cáo của cùng một đơn vị."
    )
    renamed = replace(february, unit=Unit(UnitKind.XA, "Hòa Bình"))
    assert codes(rollup([january, renamed]).findings) == ["rollup.unit_mismatch"]


def test_unit_name_is_matched_loosely() -> None:
    january, february, _march = quarter_months()
    typed = replace(february, unit=Unit(UnitKind.XA, " hòa  phú"))
    result = rollup([january, typed])
    assert result.report is not None
    assert result.report.unit.name == " hòa  phú"  # the last report's


@pytest.mark.parametrize("count", [0, 1])
def test_refuses_fewer_than_two_reports(count: int) -> None:
    result = rollup(quarter_months()[:count])
    assert result.report is None
    assert [(f.severity, f.code) for f in result.findings] == [(Severity.ERROR, "rollup.too_few")]
    if count == 1:
        assert "chỉ có báo cáo tháng 01/2026" in result.findings[0].message


def test_refuses_a_field_listed_twice() -> None:
    january, february, _march = quarter_months()
    doubled = replace(february, rows=(*february.rows, FieldRow(" đất  đai", Counts(online=1))))
    result = rollup([january, doubled])
    assert result.report is None
    assert codes(result.findings) == ["rollup.duplicate_field"]


def test_continuity_warning_names_field_periods_and_values() -> None:
    january, february, march = quarter_months()
    # February carries 2 land dossiers where January left 3 pending (and takes one
    # more in directly, so February itself still balances).
    broken = dict(FEBRUARY)
    broken["Đất đai"] = counts(2, 3, 2, (1, 2, 0, 1, 0), (1, 1, 1))
    result = rollup([january, replace(february, rows=report(2, broken).rows), march])
    assert result.report is not None
    assert [(f.severity, f.code) for f in result.findings] == [
        (Severity.WARNING, "rollup.continuity")
    ]
    assert result.findings[0].message == (
        "Lĩnh vực «Đất đai»: cuối tháng 01/2026 còn 3 hồ sơ đang giải quyết nhưng "
        "tháng 02/2026 ghi 2 hồ sơ từ kỳ trước. Vì hai số này khác nhau, ở báo cáo gộp "
        "lĩnh vực này không còn khớp (3) = (7) + (13); hãy sửa báo cáo ghi sai rồi gộp lại."
    )
    land = next(r for r in result.report.rows if r.field == "Đất đai").counts
    # (4) 6, (5) 7, (6) 4 -> (3) 17; (7) 13; (13) 3: 17 ≠ 16, off by the 1 dossier.
    assert (land.received, land.resolved, land.pending) == (17, 13, 3)
    pipeline = run_pipeline(LoadResult(result.report, ()))
    assert "identity.balance" in codes(pipeline.findings)


def test_field_only_in_february() -> None:
    january, february, march = grid_only_months()
    # Người có công (Phòng Văn hóa - Xã hội) only in February: 2 + 1 received,
    # 3 resolved on time, nothing pending, so continuity holds both ways.
    new_field = FieldRow("Người có công", counts(2, 1, 0, (0, 3, 0, 0, 0), (0, 0, 0)))
    february = replace(february, rows=(*february.rows, new_field))
    result = rollup([january, february, march])
    assert result.report is not None
    assert result.findings == ()
    rows = {row.field: row.counts for row in result.report.rows}
    assert list(rows)[-1] == "Người có công"  # order of first appearance
    # (3) 3 = (4) 2 + (5) 1 + (6) 0; (7) 3 = (9) 3; (13) 0 (absent in March).
    assert columns(rows["Người có công"]) == (3, 2, 1, 0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0)


def test_field_from_february_keeps_its_march_pending() -> None:
    january, february, march = grid_only_months()
    # Xây dựng from February: Feb 4 received, 2 resolved early, 2 pending in time;
    # Mar carries the 2, receives 1, resolves 1 on time, 2 waiting for supplements.
    feb_row = FieldRow("Xây dựng", counts(1, 3, 0, (2, 0, 0, 0, 0), (2, 0, 0)))
    mar_row = FieldRow("xây  dựng", counts(0, 1, 2, (0, 1, 0, 0, 0), (0, 0, 2)))
    result = rollup(
        [
            january,
            replace(february, rows=(*february.rows, feb_row)),
            replace(march, rows=(*march.rows, mar_row)),
        ]
    )
    assert result.report is not None
    assert result.findings == ()
    rows = {row.field: row.counts for row in result.report.rows}
    assert "xây  dựng" not in rows  # the first spelling is kept
    # (4) 1+0=1, (5) 3+1=4, (6) 0 (absent in January) -> (3) 5;
    # (8) 2, (9) 1 -> (7) 3; (16) 2 from March -> (13) 2; 5 = 3 + 2.
    assert columns(rows["Xây dựng"]) == (5, 1, 4, 0, 3, 2, 1, 0, 0, 0, 2, 0, 0, 2)


def test_field_from_february_pending_dropped_in_march_is_warned() -> None:
    january, february, march = grid_only_months()
    feb_row = FieldRow("Xây dựng", counts(1, 3, 0, (2, 0, 0, 0, 0), (2, 0, 0)))
    result = rollup([january, replace(february, rows=(*february.rows, feb_row)), march])
    assert result.report is not None
    assert codes(result.findings) == ["rollup.continuity"]
    assert result.findings[0].message.startswith(
        "Lĩnh vực «Xây dựng»: cuối tháng 02/2026 còn 2 hồ sơ đang giải quyết nhưng "
        "tháng 3/2026 ghi 0 hồ sơ từ kỳ trước."
    )
    rows = {row.field: row.counts for row in result.report.rows}
    assert rows["Xây dựng"].pending == 0  # absent in March: no stock invented


def test_updated_below_full_with_carry_over_is_left_missing() -> None:
    months = quarter_months()
    # Phòng Kinh tế updated 6 of its 7 February dossiers: the month sum 8+6+7 would
    # count the land dossiers carried into February and March twice.
    february = months[1]
    departments = dict(february.extras.departments)
    departments[KINH_TE] = replace(departments[KINH_TE], updated=6)
    months[1] = replace(
        february,
        extras=ExtraInputs(replace(february.extras.unit, updated=None), departments),
    )
    result = rollup(months)
    assert result.report is not None
    assert codes(result.findings) == ["rollup.updated_not_additive"]
    assert result.findings[0].severity is Severity.WARNING
    assert result.findings[0].message == (
        "«Số hồ sơ được cập nhật trên hệ thống» của «Phòng Kinh tế» không cộng được từ các "
        "kỳ: mỗi kỳ tính cả hồ sơ từ kỳ trước (cột (6)), nên 6 hồ sơ chuyển kỳ có thể bị "
        "đếm hơn một lần. Hãy lấy số của cả quý I năm 2026 trên hệ thống thông tin giải "
        "quyết thủ tục hành chính và điền vào; chưa điền thì chỉ tiêu 1.3 ghi «chưa có số "
        "liệu»."
    )
    assert result.report.extras.for_department(KINH_TE).updated is None
    assert result.report.extras.unit.updated is None  # February's unit value was missing
    assert result.report.extras.for_department(VAN_PHONG).updated == 542


def test_updated_adds_up_without_carry_over() -> None:
    # Chứng thực alone: nothing carried between months, so nothing is counted twice.
    months = [
        report(m, {"Chứng thực": rows["Chứng thực"]}, extras(None, None, u, None, None))
        for m, rows, u in ((1, JANUARY, 149), (2, FEBRUARY, 130), (3, MARCH, 160))
    ]
    result = rollup(months)
    assert result.report is not None
    assert result.findings == ()
    assert result.report.extras.unit.updated == 149 + 130 + 160


def test_period_names() -> None:
    assert period_name(month_period(2026, 2)) == "tháng 02/2026"
    assert period_name(month_period(2026, 11)) == "tháng 11/2026"
    assert period_name(Period(date(2026, 1, 1), date(2026, 3, 31))) == "quý I năm 2026"
    assert period_name(Period(date(2026, 1, 5), date(2026, 2, 4))) == (
        "kỳ từ ngày 05/01/2026 đến ngày 04/02/2026"
    )


def test_non_calendar_periods_roll_up() -> None:
    january, february, _march = quarter_months()
    first = replace(january, period=Period(date(2026, 1, 1), date(2026, 1, 15)))
    second = replace(february, period=Period(date(2026, 1, 16), date(2026, 2, 28)))
    result = rollup([second, first])
    assert result.report is not None
    assert result.report.period == Period(date(2026, 1, 1), date(2026, 2, 28))
    assert result.report.document.date == date(2026, 3, 1)
