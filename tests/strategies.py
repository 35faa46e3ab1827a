"""Hypothesis strategies shared by the property tests and the template fuzz.

One home for what a valid month looks like: Vietnamese names, grid rows that keep
(3) = (7) + (13), extra inputs whose numerators never exceed their denominators
and whose unit-wide values equal the departments' sums, targets, periods and whole
reports. A test that needs a variant composes these pieces instead of copying them.
"""

from __future__ import annotations

import calendar
import unicodedata
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import settings
from hypothesis import strategies as st

from tthc.core.catalogue import Catalogue, default_catalogue
from tthc.core.grid import Counts
from tthc.core.model import (
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
from tthc.core.vn_format import RateRounding


def examples(share: float) -> int:
    """`share` of the active profile's example count (at least one).

    Read when a test module is imported, after the profile is chosen, so the
    relative cost of the properties stays the same in every profile.
    """
    return max(1, round(settings.default.max_examples * share))


# --------------------------------------------------------------------------- Vietnamese text


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


_ONSETS = ("", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph")
_ONSETS += ("qu", "s", "t", "th", "tr", "v", "x")
_VOWELS = tuple("aăâeêioôơuưy")
_TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền, sắc, hỏi, ngã, nặng
_CODAS = ("", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u")


@st.composite
def syllables(draw: st.DrawFn) -> str:
    """One Vietnamese-looking syllable in NFC, tone mark and all: 'Bình', 'Đắc', 'Quỳ'."""
    parts = [draw(st.sampled_from(p)) for p in (_ONSETS, _VOWELS, _TONES, _CODAS)]
    return nfc("".join(parts))


def words(min_size: int = 1, max_size: int = 4) -> st.SearchStrategy[str]:
    """Capitalised syllables joined by spaces, as unit and person names are written."""
    return st.lists(syllables(), min_size=min_size, max_size=max_size).map(
        lambda items: " ".join(w[:1].upper() + w[1:] for w in items)
    )


# Any printable text: no control characters (openpyxl refuses them), surrogates or unassigned
# code points (not valid XML), at most a few dozen characters.
printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Cn")), min_size=1, max_size=30
)

# --------------------------------------------------------------------------- valid reports

small_count = st.integers(0, 12)
count = st.one_of(st.just(0), small_count, small_count, st.integers(0, 3000))


@st.composite
def row_counts(draw: st.DrawFn) -> Counts:
    """One row with (3) = (7) + (13): draw where the dossiers ended, then split the intake."""
    if draw(st.integers(0, 6)) == 0:
        return Counts()
    resolved = [draw(count) for _ in range(5)]
    pending = [draw(count) for _ in range(3)]
    received = sum(resolved) + sum(pending)
    cut_a, cut_b = sorted((draw(st.integers(0, received)), draw(st.integers(0, received))))
    online, direct, carried_over = draw(st.permutations([cut_a, cut_b - cut_a, received - cut_b]))
    return Counts(online, direct, carried_over, *resolved, *pending)


def _grid_denominators(counts: Counts, convention: Convention) -> dict[str, int]:
    """Denominators of 1.3, 1.4, 1.5: their numerators may not exceed them."""
    mau = convention is Convention.MAU
    return {
        "updated": counts.received if mau else counts.received_in_period,
        "digitised": counts.resolved_with_result if mau else counts.received_in_period,
        "reused": counts.received_in_period,
    }


def _optional(values: st.SearchStrategy[int]) -> st.SearchStrategy[int | None]:
    return st.one_of(st.none(), values)


def _within(upper: int) -> st.SearchStrategy[int]:
    """0..upper, often exactly 0 or upper (the edges of every verdict)."""
    return st.one_of(st.sampled_from(sorted({0, upper})), st.integers(0, upper))


@st.composite
def department_values(draw: st.DrawFn, counts: Counts, convention: Convention) -> ExtraValues:
    dens = _grid_denominators(counts, convention)
    with_fee = draw(_optional(count))
    received = draw(_optional(st.integers(0, 6)))
    return ExtraValues(
        paid_online=draw(_optional(_within(with_fee if with_fee is not None else 60))),
        with_fee=with_fee,
        updated=draw(_optional(_within(dens["updated"]))),
        digitised=draw(_optional(_within(dens["digitised"]))),
        reused=draw(_optional(_within(dens["reused"]))),
        feedback_received=received,
        feedback_handled=draw(_optional(_within(received if received is not None else 6))),
    )


def _unit_pair(
    draw: st.DrawFn, derived_num: int | None, derived_den: int | None, free: int
) -> tuple[int | None, int | None]:
    """Unit-wide (numerator, denominator) of 1.2 or 1.6 whose effective values keep num ≤ den.

    Where every department gave a value the unit-wide one must be their sum (or blank, and the
    sum is used), since validation compares them.
    """
    if derived_den is not None:
        den = draw(st.sampled_from([None, derived_den]))
    else:
        low = derived_num or 0
        den = draw(_optional(st.integers(low, low + free)))
    effective = den if den is not None else derived_den
    if derived_num is not None:
        return draw(st.sampled_from([None, derived_num])), den
    return draw(_optional(_within(effective if effective is not None else free))), den


@st.composite
def extra_inputs(
    draw: st.DrawFn, rows: tuple[FieldRow, ...], catalogue: Catalogue, convention: Convention
) -> ExtraInputs:
    """Inputs of 1.2–1.6 unit-wide, per department, both or none, valid by construction."""
    by_department: dict[str, Counts] = {}
    for row in rows:
        department = catalogue.department_of(row.field)
        assert department is not None
        by_department[department] = by_department.get(department, Counts()) + row.counts
    where = draw(st.sampled_from(["none", "unit", "departments", "both"]))
    departments: dict[str, ExtraValues] = {}
    if where in ("departments", "both"):
        for name, counts in by_department.items():
            if draw(st.booleans()):
                departments[name] = draw(department_values(counts, convention))
    if where in ("none", "departments"):
        return ExtraInputs(ExtraValues(), departments)
    active = [
        d
        for d in catalogue.department_names
        if (d in by_department and not by_department[d].is_empty())
        or not departments.get(d, ExtraValues()).is_empty()
    ]

    def derived(key: str) -> int | None:
        parts = [departments.get(d, ExtraValues()).get(key) for d in active]
        if not parts or any(p is None for p in parts):
            return None
        return sum(p for p in parts if p is not None)

    total = Counts.total(row.counts for row in rows)
    dens = _grid_denominators(total, convention)
    values: dict[str, int | None] = {}
    for key in ("updated", "digitised", "reused"):
        value = derived(key)
        if value is not None:
            values[key] = draw(st.sampled_from([None, value]))
        else:
            values[key] = draw(_optional(_within(dens[key])))
    values["paid_online"], values["with_fee"] = _unit_pair(
        draw, derived("paid_online"), derived("with_fee"), 1500
    )
    values["feedback_handled"], values["feedback_received"] = _unit_pair(
        draw, derived("feedback_handled"), derived("feedback_received"), 6
    )
    return ExtraInputs(ExtraValues(**values), departments)


target_values = st.one_of(
    st.none(),
    st.builds(
        Target,
        st.sampled_from(list(Comparison)),
        st.integers(0, 10_000).map(lambda k: Fraction(k, 100)),
    ),
    # The edges where "≥ 0%" is always met and "= 100%" needs every dossier.
    st.builds(
        Target, st.sampled_from(list(Comparison)), st.sampled_from([Fraction(0), Fraction(100)])
    ),
)


@st.composite
def targets(draw: st.DrawFn) -> dict[str, Target | None]:
    result = default_targets()
    for code in INDICATOR_CODES:
        if draw(st.integers(0, 2)) == 0:
            result[code] = draw(target_values)
    return result


EARLIEST_DAY = date(2000, 1, 1)  # the template's data validation: no date before it


@st.composite
def periods(draw: st.DrawFn) -> Period:
    """A calendar month mostly, any range sometimes; from 2000, the template's date floor."""
    if draw(st.booleans()):
        year, month = draw(st.integers(2000, 2099)), draw(st.integers(1, 12))
        return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))
    start = draw(st.dates(EARLIEST_DAY, date(2099, 12, 31)))
    return Period(start, start + timedelta(days=draw(st.integers(0, 400))))


settings_values = st.builds(
    Settings,
    convention=st.sampled_from(list(Convention)),
    strict_on_time=st.booleans(),
    zero_pad=st.booleans(),
    rate_rounding=st.sampled_from(list(RateRounding)),
)


def grid_rows(
    catalogue: Catalogue, max_fields: int = 12
) -> st.SearchStrategy[tuple[FieldRow, ...]]:
    """A few distinct fields of the catalogue, each with a valid row."""
    fields = st.lists(
        st.sampled_from(catalogue.field_names), min_size=1, max_size=max_fields, unique=True
    )
    return fields.flatmap(
        lambda names: st.tuples(*(row_counts().map(lambda c, n=n: FieldRow(n, c)) for n in names))
    )


@st.composite
def reports(draw: st.DrawFn) -> ReportInput:
    """A random month the validator must accept, as staff would fill the template."""
    kind = draw(st.sampled_from(list(UnitKind)))
    catalogue = default_catalogue(kind.value)
    report_settings = draw(settings_values)
    rows = draw(grid_rows(catalogue))
    name = draw(words())
    full = f"{kind.value} {name}"
    unit = Unit(
        kind=kind,
        name=draw(st.sampled_from([name, nfd(name)])),  # NFD as pasted from another system
        parent_body=draw(st.sampled_from(["", f"UBND {full}"])),
        issuing_body=draw(st.sampled_from(["", f"Trung tâm Phục vụ hành chính công {full}"])),
        place=draw(st.sampled_from(["", name])),
    )
    period = draw(periods())
    recipients = tuple(draw(st.lists(words(2, 6), max_size=3)))
    early_or_late = period.end + timedelta(days=draw(st.integers(-3, 20)))  # early: a warning
    document = DocumentInfo(
        date=max(early_or_late, EARLIEST_DAY),
        number=draw(st.sampled_from(["", "15", "102"])),
        recipients=recipients,
    )
    bullets = st.tuples(st.sampled_from(["", "- ", "+ ", "• "]), words(3, 12))
    shortcomings = tuple(p + w + "." for p, w in draw(st.lists(bullets, max_size=3)))
    return ReportInput(
        unit=unit,
        period=period,
        document=document,
        signer=Signer(name=draw(st.one_of(st.just(""), words(2, 4)))),
        rows=rows,
        catalogue=catalogue,
        extras=draw(extra_inputs(rows, catalogue, report_settings.convention)),
        targets=draw(targets()),
        settings=report_settings,
        shortcomings=shortcomings,
    )
