"""Property tests over random valid reports.

The strategy `reports()` builds a `ReportInput` directly from the model's
dataclasses, valid by construction: every grid row satisfies (3) = (7) + (13),
every extra input lies within its denominator under the drawn convention, and
unit-wide extras agree with the departments' sum whenever the validator would
compare them. The properties then check what must hold for *any* such report:
no blocking finding, the grid identities, exact verdicts, honest displayed
rates, clean text, a lossless data file and the zero-padding setting.
"""

from __future__ import annotations

import calendar
import json
import re
import unicodedata
from dataclasses import fields, replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tthc.core.catalogue import default_catalogue
from tthc.core.findings import Severity
from tthc.core.grid import Counts
from tthc.core.indicators import IndicatorResult, Outcome
from tthc.core.model import (
    EXTRA_INPUTS,
    INDICATOR_CODES,
    Comparison,
    Convention,
    DocumentInfo,
    ExtraInputs,
    ExtraValues,
    FieldRow,
    Period,
    ReportInput,
    Settings,
    Signer,
    Target,
    Unit,
    UnitKind,
    default_targets,
)
from tthc.core.narrative import Role
from tthc.core.pipeline import PipelineResult, run_pipeline
from tthc.core.plaintext import render_text
from tthc.core.report_data import LoadResult, dump_report, load_report
from tthc.core.vn_format import RateRounding, format_rate

PROPERTY_SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --------------------------------------------------------------------------- data pools


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


UNIT_NAMES = tuple(_nfc(n) for n in ("Bình Giang", "Tân An", "Phú Quốc", "Hòa Bình", "Vân Đồn"))
SIGNERS = tuple(_nfc(n) for n in ("Nguyễn Xuân Thành", "Trần Thị Mai", "Lê Văn An", "Phạm Hà"))
SHORTCOMING_SENTENCES = tuple(
    _nfc(s)
    for s in (
        "Hệ thống giải quyết TTHC giữa các Bộ không đồng nhất về giao diện",
        "Phần lớn công dân chưa nộp hồ sơ trực tuyến",
        "Việc số hóa hồ sơ, kết quả còn chậm; đường truyền không ổn định",
        "Một số thủ tục liên thông còn phức tạp",
    )
)
RECIPIENT_ITEMS = ("Lãnh đạo UBND {k} (để b/c)", "Các Phòng chuyên môn {k}", "Văn phòng {k}")

# Counts: mostly small (so 1–9 padding and zero denominators show up), sometimes in
# the thousands (so '.' grouping shows up).
small_count = st.integers(0, 12)
count = st.one_of(st.just(0), small_count, small_count, st.integers(0, 2500))


# --------------------------------------------------------------------------- strategies


@st.composite
def row_counts(draw: st.DrawFn) -> Counts:
    """One grid row with (3) = (7) + (13): draw what ended up where, then split intake."""
    if draw(st.integers(0, 5)) == 0:
        return Counts()  # an all-zero field
    early, on_time, late, refused, withdrawn = (draw(count) for _ in range(5))
    in_time, overdue, supplement = (draw(count) for _ in range(3))
    received = early + on_time + late + refused + withdrawn + in_time + overdue + supplement
    cut_a, cut_b = sorted((draw(st.integers(0, received)), draw(st.integers(0, received))))
    pieces = [cut_a, cut_b - cut_a, received - cut_b]
    online, direct, carried_over = draw(st.permutations(pieces))
    return Counts(
        online=online,
        direct=direct,
        carried_over=carried_over,
        early=early,
        on_time=on_time,
        late=late,
        refused=refused,
        withdrawn=withdrawn,
        pending_in_time=in_time,
        pending_overdue=overdue,
        pending_supplement=supplement,
    )


def _up_to(draw: st.DrawFn, upper: int, *, optional: bool = True) -> int | None:
    """None (missing) or a value in [0, upper], often exactly 0 or upper."""
    values = st.one_of(st.sampled_from(sorted({0, upper})), st.integers(0, upper))
    return draw(st.one_of(st.none(), values) if optional else values)


def _denominators(counts: Counts, convention: Convention) -> dict[str, int]:
    """Grid denominators of the extras 1.3, 1.4 and 1.5."""
    mau = convention is Convention.MAU
    return {
        "updated": counts.received if mau else counts.received_in_period,
        "digitised": counts.resolved_with_result if mau else counts.received_in_period,
        "reused": counts.received_in_period,
    }


def _pair(draw: st.DrawFn, num_upper_if_free: int = 60) -> tuple[int | None, int | None]:
    """(numerator, denominator) of an input-only indicator: numerator ≤ denominator."""
    denominator = draw(st.one_of(st.none(), st.just(0), small_count, st.integers(0, 1500)))
    upper = denominator if denominator is not None else num_upper_if_free
    return _up_to(draw, upper), denominator


@st.composite
def department_extras(draw: st.DrawFn, counts: Counts, convention: Convention) -> ExtraValues:
    dens = _denominators(counts, convention)
    paid_online, with_fee = _pair(draw)
    handled, received = _pair(draw, 5)
    return ExtraValues(
        paid_online=paid_online,
        with_fee=with_fee,
        updated=_up_to(draw, dens["updated"]),
        digitised=_up_to(draw, dens["digitised"]),
        reused=_up_to(draw, dens["reused"]),
        feedback_received=received,
        feedback_handled=handled,
    )


def _department_sum(key: str, active: list[str], extras: dict[str, ExtraValues]) -> int | None:
    """What the package derives unit-wide: the sum when every named department gave it."""
    parts = [extras.get(d, ExtraValues()).get(key) for d in active]
    if not parts or any(p is None for p in parts):
        return None
    return sum(p for p in parts if p is not None)


def _unit_value(draw: st.DrawFn, derived: int | None, upper: int) -> int | None:
    """A unit-wide value: when the departments' sum exists it must be that sum (or absent)."""
    if derived is not None:
        return draw(st.sampled_from([None, derived]))
    return _up_to(draw, upper)


def _unit_pair(
    draw: st.DrawFn, derived_num: int | None, derived_den: int | None, free_upper: int
) -> tuple[int | None, int | None]:
    """Unit-wide (numerator, denominator) whose effective values keep numerator ≤ denominator."""
    if derived_den is not None:
        den = draw(st.sampled_from([None, derived_den]))
    else:
        low = derived_num or 0
        den = draw(st.one_of(st.none(), st.integers(low, low + free_upper)))
    effective_den = den if den is not None else derived_den
    if derived_num is not None:
        num = draw(st.sampled_from([None, derived_num]))
    else:
        num = _up_to(draw, effective_den if effective_den is not None else free_upper)
    return num, den


target_value = st.one_of(
    st.none(),
    st.builds(
        Target,
        st.sampled_from(list(Comparison)),
        st.integers(0, 10_000).map(lambda k: Fraction(k, 100)),
    ),
    st.builds(
        Target, st.sampled_from(list(Comparison)), st.sampled_from([Fraction(0), Fraction(100)])
    ),
)


@st.composite
def targets(draw: st.DrawFn) -> dict[str, Target | None]:
    result = default_targets()
    for code in INDICATOR_CODES:
        if draw(st.integers(0, 3)) == 0:
            result[code] = draw(target_value)
    return result


@st.composite
def periods(draw: st.DrawFn) -> Period:
    if draw(st.booleans()):
        year, month = draw(st.integers(2020, 2035)), draw(st.integers(1, 12))
        last = calendar.monthrange(year, month)[1]
        return Period(date(year, month, 1), date(year, month, last))
    start = draw(st.dates(date(2020, 1, 1), date(2035, 12, 31)))
    return Period(start, start + timedelta(days=draw(st.integers(0, 400))))


@st.composite
def shortcomings(draw: st.DrawFn) -> tuple[str, ...]:
    items = []
    for _ in range(draw(st.integers(0, 3))):
        prefix = draw(st.sampled_from(["", "- ", "+ ", "• "]))
        suffix = draw(st.sampled_from(["", ".", ";", ",", ":"]))
        items.append(prefix + draw(st.sampled_from(SHORTCOMING_SENTENCES)) + suffix)
    return tuple(items)


@st.composite
def reports(draw: st.DrawFn, kind: UnitKind | None = None) -> ReportInput:
    """A random report that the validator must accept."""
    kind = kind if kind is not None else draw(st.sampled_from(list(UnitKind)))
    catalogue = default_catalogue(kind.value)
    report_settings = draw(
        st.builds(
            Settings,
            convention=st.sampled_from(list(Convention)),
            strict_on_time=st.booleans(),
            zero_pad=st.booleans(),
            rate_rounding=st.sampled_from(list(RateRounding)),
        )
    )
    convention = report_settings.convention

    fields = draw(
        st.lists(st.sampled_from(catalogue.field_names), min_size=1, max_size=8, unique=True)
    )
    rows = tuple(FieldRow(field, draw(row_counts())) for field in fields)

    by_department: dict[str, Counts] = {}
    for row in rows:
        department = catalogue.department_of(row.field)
        assert department is not None
        by_department[department] = by_department.get(department, Counts()) + row.counts

    # Per-department extras, only for departments that have rows (possibly all zero).
    department_values: dict[str, ExtraValues] = {}
    for department in catalogue.department_names:
        if department in by_department and draw(st.integers(0, 2)) > 0:
            counts = by_department[department]
            department_values[department] = draw(department_extras(counts, convention))

    # The departments the report names: counts or extras present (as the package decides).
    active = [
        d
        for d in catalogue.department_names
        if (d in by_department and not by_department[d].is_empty())
        or not department_values.get(d, ExtraValues()).is_empty()
    ]
    total = Counts.total(row.counts for row in rows)
    unit_dens = _denominators(total, convention)
    derived = {key: _department_sum(key, active, department_values) for key, _ in EXTRA_INPUTS}
    paid_online, with_fee = _unit_pair(draw, derived["paid_online"], derived["with_fee"], 1500)
    handled, received = _unit_pair(
        draw, derived["feedback_handled"], derived["feedback_received"], 5
    )
    unit_values = ExtraValues(
        paid_online=paid_online,
        with_fee=with_fee,
        updated=_unit_value(draw, derived["updated"], unit_dens["updated"]),
        digitised=_unit_value(draw, derived["digitised"], unit_dens["digitised"]),
        reused=_unit_value(draw, derived["reused"], unit_dens["reused"]),
        feedback_received=received,
        feedback_handled=handled,
    )

    name = draw(st.sampled_from(UNIT_NAMES))
    full = f"{kind.value} {name}"
    unit = Unit(
        kind=kind,
        name=name,
        parent_body=draw(st.sampled_from(["", f"UBND {full}"])),
        issuing_body=draw(st.sampled_from(["", f"Trung tâm Phục vụ hành chính công {full}"])),
        place=draw(st.sampled_from(["", name])),
    )
    period = draw(periods())
    recipients: tuple[str, ...] = ()
    if draw(st.booleans()):
        items = draw(st.lists(st.sampled_from(RECIPIENT_ITEMS), min_size=1, max_size=3))
        recipients = tuple(_nfc(i.format(k=kind.value)) for i in items)
        if draw(st.booleans()):
            recipients += ("Lưu: VT",)
    document = DocumentInfo(
        date=period.next_day() + timedelta(days=draw(st.integers(0, 15))),
        number=draw(st.sampled_from(["", "15", "102"])),
        recipients=recipients,
    )
    return ReportInput(
        unit=unit,
        period=period,
        document=document,
        signer=Signer(name=draw(st.sampled_from(SIGNERS))),
        rows=rows,
        catalogue=catalogue,
        extras=ExtraInputs(unit_values, department_values),
        targets=draw(targets()),
        settings=report_settings,
        shortcomings=draw(shortcomings()),
    )


# --------------------------------------------------------------------------- helpers


def _run(report: ReportInput) -> PipelineResult:
    result = run_pipeline(LoadResult(report, ()))
    errors = [f.describe() for f in result.findings if f.severity is Severity.ERROR]
    assert not errors, errors
    assert result.narrative is not None and result.indicators is not None
    return result


def _all_results(result: PipelineResult) -> list[IndicatorResult]:
    assert result.indicators is not None
    indicators = result.indicators
    return [
        *indicators.unit.values(),
        *(r for department in indicators.departments.values() for r in department.values()),
    ]


def _exact_verdict(target: Target, numerator: int, denominator: int) -> bool:
    left, right = Fraction(numerator * 100), target.percent * denominator
    if target.comparison is Comparison.AT_LEAST:
        return left >= right
    if target.comparison is Comparison.AT_MOST:
        return left <= right
    return left == right


def _parse_rate(text: str) -> Fraction:
    assert text.endswith("%") and not text.endswith(" %"), text
    number = text[:-1].replace(".", "").replace(",", ".")
    assert len(number.partition(".")[2]) <= 2, text
    return Fraction(number)


def _section(body: list[tuple[Role, str]], start: str, end: str) -> list[tuple[Role, str]]:
    first = next(i for i, (_, t) in enumerate(body) if t.startswith(start))
    last = next(i for i, (_, t) in enumerate(body) if t.startswith(end))
    return body[first + 1 : last]


# --------------------------------------------------------------------------- properties


@PROPERTY_SETTINGS
@given(reports())
def test_valid_report_has_no_error_and_a_narrative(report: ReportInput) -> None:
    """1. A valid report passes validation and gets its text."""
    result = _run(report)
    assert result.ok
    assert result.narrative is not None and result.narrative.body


@PROPERTY_SETTINGS
@given(reports())
def test_grid_identities_hold_on_rows_and_total(report: ReportInput) -> None:
    """2. (3)=(4)+(5)+(6), (7)=(8)+…+(12), (13)=(14)+(15)+(16), (3)=(7)+(13); total = sums."""
    result = _run(report)
    assert result.narrative is not None
    appendix = result.narrative.appendix
    for row in (*appendix.rows, appendix.total):
        v = dict(zip(range(3, 17), row.values, strict=True))
        assert v[3] == v[4] + v[5] + v[6], row
        assert v[7] == v[8] + v[9] + v[10] + v[11] + v[12], row
        assert v[13] == v[14] + v[15] + v[16], row
        assert v[3] == v[7] + v[13], row
    sums = tuple(sum(column) for column in zip(*(r.values for r in appendix.rows), strict=True))
    if appendix.rows:
        assert appendix.total.values == sums
    else:
        assert appendix.total.values == (0,) * 14
    for row in report.rows:
        c = row.counts
        assert c.received == c.online + c.direct + c.carried_over
        assert c.resolved == c.early + c.on_time + c.late + c.refused + c.withdrawn
        assert c.pending == c.pending_in_time + c.pending_overdue + c.pending_supplement
        assert c.received == c.resolved + c.pending


@PROPERTY_SETTINGS
@given(reports())
def test_rates_are_fractions_and_verdicts_are_exact(report: ReportInput) -> None:
    """3. 0 ≤ rate ≤ 1; verdict = exact comparison; zero denominator = nothing arose."""
    for result in _all_results(_run(report)):
        if result.denominator == 0:
            assert result.outcome is Outcome.NONE_AROSE
            assert result.verdict is None and result.rate is None
            continue
        if result.outcome is Outcome.MISSING:
            assert result.numerator is None or result.denominator is None
            assert result.verdict is None
            continue
        assert result.outcome is Outcome.RATE
        assert result.numerator is not None and result.denominator is not None
        assert result.rate is not None and 0 <= result.rate <= 1
        assert result.rate == Fraction(result.numerator, result.denominator)
        if result.target is None:
            assert result.verdict is None
        else:
            expected = _exact_verdict(result.target, result.numerator, result.denominator)
            assert result.verdict is expected


def _check_displayed_rate(numerator: int, denominator: int, rounding: RateRounding) -> None:
    text = format_rate(numerator, denominator, rounding)
    shown = _parse_rate(text)
    exact = Fraction(numerator * 100, denominator)
    assert 0 <= shown <= 100, text
    if text == "100%":
        assert numerator == denominator, (numerator, denominator, text)
    if numerator == denominator:
        assert text == "100%"
    if rounding is RateRounding.TRUNCATE:
        assert shown <= exact < shown + Fraction(1, 100), (numerator, denominator, text)
    else:
        assert abs(shown - exact) <= Fraction(1, 100), (numerator, denominator, text)


@PROPERTY_SETTINGS
@given(reports())
def test_displayed_rates_of_a_report_are_honest(report: ReportInput) -> None:
    """4. Every rate the report shows lies in [0, 100], is 100% only when exact, never inflated."""
    for result in _all_results(_run(report)):
        if result.outcome is Outcome.RATE:
            assert result.numerator is not None and result.denominator is not None
            _check_displayed_rate(
                result.numerator, result.denominator, report.settings.rate_rounding
            )


@settings(max_examples=400, deadline=None)
@given(
    st.integers(1, 10**7).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))),
    st.sampled_from(list(RateRounding)),
)
def test_displayed_rate_of_any_fraction_is_honest(
    pair: tuple[int, int], rounding: RateRounding
) -> None:
    """4 (format level). Including near-100% fractions such as 99.999/100.000."""
    numerator, denominator = pair
    _check_displayed_rate(numerator, denominator, rounding)
    if denominator > 1:
        _check_displayed_rate(denominator - 1, denominator, rounding)


FORBIDDEN = ("None", "nan", "% %", "{", "}", "  %", "..")


@PROPERTY_SETTINGS
@given(reports())
def test_rendered_text_is_clean(report: ReportInput) -> None:
    """5. No placeholders or defects of the seed; the unit kind's words; catalogue order."""
    result = _run(report)
    assert result.narrative is not None and result.indicators is not None
    text = render_text(result.narrative)
    for bad in FORBIDDEN:
        assert bad not in text, (bad, text)

    kind = report.unit.kind
    if kind is UnitKind.XA:
        assert "thành phố" not in text
    others = [k for k in UnitKind if k is not kind]
    for other in others:
        assert f"toàn {other.value}" not in text, other
    if any(r.outcome is not Outcome.NONE_AROSE for r in result.indicators.unit.values()):
        assert f"toàn {kind.value}" in text

    body = [(p.role, p.text) for p in result.narrative.body]
    for role, paragraph in body:
        if role in (Role.BODY, Role.BULLET):
            assert paragraph.endswith((".", ":", "./.")), paragraph

    section_11 = _section(body, "1.1. ", "1.2. ")
    names = [
        name
        for role, line in section_11
        if role is Role.BULLET
        for name in report.catalogue.department_names
        if line.startswith(f"- {name} {kind.value}:")
    ]
    assert len(names) == len([r for r, _ in section_11 if r is Role.BULLET])
    if result.indicators.unit["1.1"].denominator:  # under QĐ 766 only (4)+(5) counts
        assert names == list(result.indicators.department_order)
        order = report.catalogue.department_names
        assert names == sorted(names, key=order.index)
        with_dossiers = {
            report.catalogue.department_of(row.field)
            for row in report.rows
            if not row.counts.is_empty()
        }
        assert with_dossiers <= set(names)


SPACING_DEFECTS = (" ,", " .", " ;", " :", "  ", "( ", " )", ",,", ";;", "()", ",.", ";.", ":.")


def _spacing_defects(text: str) -> list[str]:
    return [bad for bad in SPACING_DEFECTS if bad in text]


@PROPERTY_SETTINGS
@given(reports())
def test_body_spacing_and_punctuation(report: ReportInput) -> None:
    """5b. No stray spaces or doubled/empty punctuation; NFC text.

    Restricted to reports that name at least one department; the report that names
    none is the known defect of the test below.
    """
    result = _run(report)
    assert result.narrative is not None and result.indicators is not None
    assume(result.indicators.department_order)
    for paragraph in result.narrative.body:
        assert not _spacing_defects(paragraph.text), paragraph.text
    for line in result.narrative.recipients:
        assert not _spacing_defects(line), line
    text = render_text(result.narrative)
    assert unicodedata.is_normalized("NFC", text)


def _without_dossiers(report: ReportInput) -> ReportInput:
    """The same report with every count zero and no extra inputs: a quiet month."""
    rows = tuple(replace(row, counts=Counts()) for row in report.rows)
    return replace(report, rows=rows, extras=ExtraInputs())


@PROPERTY_SETTINGS
@given(reports().map(_without_dossiers))
def test_opening_of_a_report_without_dossiers(report: ReportInput) -> None:
    """5c. A valid all-zero report still gets a clean opening paragraph."""
    result = _run(report)
    assert result.narrative is not None
    opening = result.narrative.body[0].text
    assert not _spacing_defects(opening), opening


BULLET_ONLY = st.sampled_from(["-", "+", "•", "- ;", "+ ,"])


@PROPERTY_SETTINGS
@given(reports(), st.lists(BULLET_ONLY, min_size=1, max_size=2))
def test_bullet_only_shortcomings_give_no_empty_bullet(
    report: ReportInput, marks: list[str]
) -> None:
    """5d. Section 3 never prints an empty bullet."""
    report = replace(report, shortcomings=(*report.shortcomings, *marks))
    result = _run(report)
    assert result.narrative is not None
    for paragraph in result.narrative.body:
        if paragraph.role is Role.BULLET:
            assert paragraph.text.endswith((".", ":")), paragraph.text
            assert paragraph.text.lstrip("- ").rstrip(".").strip(), paragraph.text


@PROPERTY_SETTINGS
@given(reports())
def test_data_file_round_trip(report: ReportInput) -> None:
    """6. dump → JSON text → load gives back an equal report, without findings."""
    loaded = load_report(json.loads(json.dumps(dump_report(report), ensure_ascii=False)))
    assert loaded.findings == ()
    assert loaded.report == report


PADDING_MISSING = re.compile(r"(?<![\d.,])[1-9] hồ sơ")
PADDING_PRESENT = re.compile(r"(?<![\d.,])0[1-9] hồ sơ")


@PROPERTY_SETTINGS
@given(reports())
def test_zero_padding_follows_the_setting(report: ReportInput) -> None:
    """7. '02 hồ sơ' with zero_pad on, '2 hồ sơ' with it off; thousands groups untouched.

    The look-behind also guards the 'off' pattern: '1.205 hồ sơ' contains '05 hồ sơ'
    as a thousands group, which is not padding.
    """
    result = _run(report)
    assert result.narrative is not None
    body = "\n".join(p.text for p in result.narrative.body)
    if report.settings.zero_pad:
        assert not PADDING_MISSING.findall(body), PADDING_MISSING.findall(body)
    else:
        assert not PADDING_PRESENT.findall(body), PADDING_PRESENT.findall(body)


@given(
    st.lists(st.integers(0, 10**6), min_size=11, max_size=11),
    st.lists(st.integers(0, 10**6), min_size=11, max_size=11),
)
def test_counts_addition_adds_every_field_and_only_its_own(a: list[int], b: list[int]) -> None:
    """`Counts.__add__` spells the fields out for speed; none may be missed or swapped."""
    assert len(fields(Counts)) == 11
    total = Counts(*a) + Counts(*b)
    for field, x, y in zip(fields(Counts), a, b, strict=True):
        assert getattr(total, field.name) == x + y, field.name
