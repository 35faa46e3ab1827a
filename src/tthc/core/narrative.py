"""The report's text, written once and shown in three places (text file, Excel, Word).

The structure follows the reference report (sections 1.1–1.6, 2.1–2.2, 3) with
its defects corrected: one canonical name per department,
catalogue order everywhere, one sentence shape per indicator, complete
punctuation, every rate with its numerator and denominator, and plain words
when something is missing, did not arise, or missed its target.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tthc.core.catalogue import UNASSIGNED_DEPARTMENT, field_key
from tthc.core.compare import Comparison, change_sentence
from tthc.core.grid import TOTAL_LABEL, Counts
from tthc.core.indicators import IndicatorResult, IndicatorSet, Outcome, department_counts
from tthc.core.labels import MISSING_INPUTS, TITLES, indicator_labels, no_late_text
from tthc.core.model import Convention, ReportInput, Target, UnitKind
from tthc.core.vn_format import (
    format_count,
    format_date_long,
    format_date_short,
    format_fraction,
    format_integer,
    format_percent_value,
    format_period_label,
    format_rate,
)

__all__ = [
    "AppendixRow",
    "AppendixTable",
    "Header",
    "Narrative",
    "Paragraph",
    "Role",
    "Wording",
    "build_narrative",
    "closing_sentence",
    "default_recipients",
    "opening_sentence",
    "recipient_lines",
]


class Role(StrEnum):
    HEADING = "heading"  # "1. …", "2. …": bold
    SUBHEADING = "subheading"  # "1.1. …": bold
    BODY = "body"
    BULLET = "bullet"  # "- …" lines under a body paragraph


@dataclass(frozen=True)
class Paragraph:
    role: Role
    text: str


@dataclass(frozen=True)
class Header:
    """The two-column header block of Nghị định 30/2020."""

    parent_body: str  # "UBND XÃ BÌNH GIANG"
    issuing_body: str  # "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    number_line: str  # "Số:     /BC-TTPVHCC"
    nation: str  # "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto: str  # "Độc lập - Tự do - Hạnh phúc"
    place_date: str  # "Bình Giang, ngày 01 tháng 4 năm 2026"


@dataclass(frozen=True)
class AppendixRow:
    number: str  # STT, "" for the total row
    field: str
    values: tuple[int, ...]  # columns (3)…(16)


@dataclass(frozen=True)
class AppendixTable:
    heading: str  # "PHỤ LỤC"
    title: str  # in capitals
    attachment_line: str  # "(Kèm theo Báo cáo số … ngày … của …)"
    rows: tuple[AppendixRow, ...]
    total: AppendixRow


@dataclass(frozen=True)
class Wording:
    """The parts the fixed sentences are made of, for a Word template that holds them.

    A commune rewords the opening, the closing or the default «Nơi nhận» in its Word
    template; the template keeps these parts as placeholders (see `opening_sentence`).
    """

    unit_kind: str  # "xã"
    issuer: str  # "Trung tâm Phục vụ hành chính công xã Bình Giang"
    departments: str  # "Văn phòng HĐND-UBND xã, Phòng Kinh tế xã và Phòng Văn hóa - Xã hội xã"
    own_recipients: bool  # the workbook lists its own «Nơi nhận» (not the default list)


@dataclass(frozen=True)
class Narrative:
    header: Header
    title: str
    subject: str
    body: tuple[Paragraph, ...]  # the opening, the sections, the closing
    recipients: tuple[str, ...]  # "- Lãnh đạo UBND xã (để b/c);" … "- Lưu: VT."
    signature: tuple[str, ...]  # authority line, title, name
    appendix: AppendixTable
    wording: Wording

    @property
    def recipients_heading(self) -> str:
        return "Nơi nhận:"

    @property
    def sections(self) -> tuple[Paragraph, ...]:
        """The computed part of the body: everything between the opening and the closing."""
        return self.body[1:-1]


class _Writer:
    """Sentence builders sharing the report's settings."""

    def __init__(self, report: ReportInput, indicators: IndicatorSet) -> None:
        self.report = report
        self.indicators = indicators
        self.settings = report.settings
        self.kind = report.unit.kind.value
        self.department_counts = department_counts(report)

    # small pieces -----------------------------------------------------------
    def n(self, value: int) -> str:
        return format_count(value, zero_pad=self.settings.zero_pad)

    def docs(self, value: int) -> str:
        return f"{self.n(value)} hồ sơ"

    def department(self, name: str, *, starts_line: bool = False) -> str:
        """'Phòng Kinh tế xã'; the fields no department claims yet read as what they are."""
        if field_key(name) == field_key(UNASSIGNED_DEPARTMENT):
            return "Các lĩnh vực chưa xếp phòng" if starts_line else "các lĩnh vực chưa xếp phòng"
        return f"{name} {self.kind}"

    def rate(self, result: IndicatorResult) -> str:
        return format_rate(*result.rate_parts(), self.settings.rate_rounding)

    def fraction(self, result: IndicatorResult) -> str:
        return format_fraction(*result.rate_parts(), zero_pad=self.settings.zero_pad)

    def target_text(self, target: Target | None) -> str:
        if target is None:
            return ""
        value = format_percent_value(target.percent, self.settings.rate_rounding)
        return f" (chỉ tiêu giao {target.comparison.value} {value})"

    @staticmethod
    def verdict(result: IndicatorResult) -> str:
        if result.verdict is None:
            return ""
        return " Đạt chỉ tiêu giao." if result.verdict else " Không đạt chỉ tiêu giao."

    def heading(self, code: str) -> Paragraph:
        return Paragraph(
            Role.SUBHEADING,
            f"{code}. {TITLES[code]}{self.target_text(self.report.targets.get(code))}",
        )

    # the two sentence shapes --------------------------------------------------
    def unit_sentence(self, result: IndicatorResult, detail: str = "", noun: str = "hồ sơ") -> str:
        """'Tỷ lệ … của toàn xã đạt 100% (… là 1.132/1.132 hồ sơ). Detail. Đạt chỉ tiêu giao.'

        `detail` is a whole sentence of supporting figures, placed between the
        rate and the verdict so that no parentheses nest.
        """
        code = result.code
        labels = indicator_labels(code, self.settings)
        title = TITLES[code]
        scope = f"của toàn {self.kind}"
        if result.outcome is Outcome.NONE_AROSE:
            return f"Trong kỳ không phát sinh {labels.nothing}."
        if result.outcome is Outcome.MISSING:
            return f"{title} {scope}: chưa có số liệu ({MISSING_INPUTS[code]})."
        explain = f"{labels.numerator}/{labels.denominator} là {self.fraction(result)} {noun}"
        extra = f" {detail}" if detail else ""
        return f"{title} {scope} đạt {self.rate(result)} ({explain}).{extra}{self.verdict(result)}"

    def department_line(self, result: IndicatorResult, detail: str = "") -> Paragraph:
        """'- Văn phòng HĐND-UBND xã: Đạt 100% (1.018/1.018 hồ sơ). Detail. Đạt chỉ tiêu giao.'"""
        assert result.department is not None
        name = self.department(result.department, starts_line=True)
        labels = indicator_labels(result.code, self.settings)
        if result.outcome is Outcome.NONE_AROSE:
            text = f"- {name}: không phát sinh {labels.nothing}."
        elif result.outcome is Outcome.MISSING:
            text = f"- {name}: chưa có số liệu ({MISSING_INPUTS[result.code]})."
        else:
            rest = f" {detail}" if detail else ""
            text = (
                f"- {name}: Đạt {self.rate(result)} ({self.fraction(result)} hồ sơ).{rest}"
                f"{self.verdict(result)}"
            )
        return Paragraph(Role.BULLET, text)

    def with_breakdown(
        self, code: str, unit_text: str, detail_of: object = None
    ) -> list[Paragraph]:
        """The unit paragraph, then one line per department when there is something to split."""
        lines = self.indicators.for_department(code)
        if not lines or self.indicators.unit[code].outcome is Outcome.NONE_AROSE:
            return [Paragraph(Role.BODY, unit_text)]
        paragraphs = [Paragraph(Role.BODY, f"{unit_text} Trong đó:")]
        for result in lines:
            detail = detail_of(result) if callable(detail_of) else ""
            paragraphs.append(self.department_line(result, detail))
        return paragraphs

    # details ------------------------------------------------------------------
    def listing(self, parts: list[tuple[str, int]], *, separator: str = "; ") -> str:
        """'trước hạn 1.124 hồ sơ; từ chối 05 hồ sơ': the parts that are not zero.

        The reference report leaves a zero part out of a breakdown (VHXH's
        digitisation line names only its one refusal), so a clerk has nothing
        to strike: see the README's writing conventions.
        """
        return separator.join(f"{label} {self.docs(value)}" for label, value in parts if value)

    def clause(self, label: str, value: int, parts: list[tuple[str, int]]) -> str:
        """'đã giải quyết 1.131 hồ sơ (trước hạn …)', '' for a zero count."""
        if not value:
            return ""
        breakdown = self.listing(parts)
        return f"{label} {self.docs(value)}" + (f" ({breakdown})" if breakdown else "")

    def intake(self, counts: Counts) -> str:
        """'Hồ sơ tiếp nhận trong kỳ … (trực tuyến …), hồ sơ kỳ trước chuyển qua ….'"""
        channels = [("trực tuyến", counts.online), ("trực tiếp, dịch vụ bưu chính", counts.direct)]
        clauses = [
            self.clause("hồ sơ tiếp nhận trong kỳ", counts.received_in_period, channels),
            self.clause("hồ sơ kỳ trước chuyển qua", counts.carried_over, []),
        ]
        return _sentence(", ".join(c for c in clauses if c))

    def not_counted(self, counts: Counts) -> str:
        """'Không tính vào mẫu số 01 hồ sơ từ chối và 01 hồ sơ rút.', '' when none is left out."""
        parts = [
            f"{self.docs(value)} {label}"
            for label, value in (
                ("từ chối", counts.refused),
                ("rút", counts.withdrawn),
                ("đang giải quyết", counts.pending),
            )
            if value
        ]
        return _sentence(f"không tính vào mẫu số {_join_names(parts)}") if parts else ""

    def counts_of(self, result: IndicatorResult) -> Counts:
        if result.department is None:
            return self.report.total
        return self.department_counts[result.department]


def _section_1(w: _Writer) -> list[Paragraph]:
    mau = w.settings.convention is Convention.MAU
    unit = w.indicators.unit
    total = w.report.total
    out = [
        Paragraph(
            Role.HEADING,
            "1. Kết quả thực hiện một số chỉ tiêu về công tác cải cách, kiểm soát thủ tục "
            "hành chính",
        )
    ]

    out.append(w.heading("1.1"))
    out += w.with_breakdown(
        "1.1",
        w.unit_sentence(unit["1.1"], w.intake(total)),
        lambda r: w.intake(w.counts_of(r)),
    )

    out.append(w.heading("1.2"))
    out += _optional_breakdown(w, "1.2")

    out.append(w.heading("1.3"))
    out += w.with_breakdown("1.3", w.unit_sentence(unit["1.3"]))

    out.append(w.heading("1.4"))
    detail = w.not_counted(total) if mau else ""
    out += w.with_breakdown(
        "1.4",
        w.unit_sentence(unit["1.4"], detail),
        (lambda r: w.not_counted(w.counts_of(r))) if mau else None,
    )

    out.append(w.heading("1.5"))
    out += _optional_breakdown(w, "1.5")

    out.append(w.heading("1.6"))
    result = unit["1.6"]
    parts = result.parts
    if parts is not None and parts[1]:
        text = f"Trong kỳ tiếp nhận {w.n(parts[1])} phản ánh, kiến nghị. " + w.unit_sentence(
            result, noun="phản ánh, kiến nghị"
        )
    else:
        text = w.unit_sentence(result)
    out.append(Paragraph(Role.BODY, text))
    return out


def _optional_breakdown(w: _Writer, code: str) -> list[Paragraph]:
    """1.2 and 1.5 are unit-wide in the reference; split only when departments gave figures."""
    unit_text = w.unit_sentence(w.indicators.unit[code])
    keys = {"1.2": ("paid_online", "with_fee"), "1.5": ("reused",)}[code]
    given = any(
        w.report.extras.for_department(d).get(k) is not None
        for d in w.indicators.department_order
        for k in keys
    )
    if not given:
        return [Paragraph(Role.BODY, unit_text)]
    return w.with_breakdown(code, unit_text)


def _section_2(w: _Writer, comparison: Comparison | None = None) -> list[Paragraph]:
    total = w.report.total
    out = [
        Paragraph(Role.HEADING, f"2. Kết quả giải quyết thủ tục hành chính của {w.kind}"),
        w.heading("2.1"),
    ]
    clauses = [
        w.clause(
            "tổng số hồ sơ tiếp nhận",
            total.received,
            [
                ("tiếp nhận trong kỳ", total.received_in_period),
                ("kỳ trước chuyển qua", total.carried_over),
            ],
        ),
        w.clause(
            "đã giải quyết",
            total.resolved,
            [
                ("trước hạn", total.early),
                ("đúng hạn", total.on_time),
                ("quá hạn", total.late),
                ("từ chối, không giải quyết", total.refused),
                ("hồ sơ rút", total.withdrawn),
            ],
        ),
        w.clause(
            "đang giải quyết",
            total.pending,
            [
                ("trong hạn", total.pending_in_time),
                ("quá hạn", total.pending_overdue),
                ("yêu cầu bổ sung", total.pending_supplement),
            ],
        ),
    ]
    detail = _sentence("; ".join(c for c in clauses if c))
    out += w.with_breakdown("2.1", w.unit_sentence(w.indicators.unit["2.1"], detail))
    out.append(w.heading("2.2"))
    out.append(Paragraph(Role.BODY, _overdue_text(w)))
    if comparison is not None and comparison.changes:
        out.append(Paragraph(Role.SUBHEADING, f"2.3. So sánh với {comparison.reference}"))
        out += [
            Paragraph(Role.BULLET, f"- {change_sentence(c, comparison.reference, w.report)}")
            for c in comparison.changes
        ]
    return out


def _by_department(w: _Writer, column: str) -> str:
    """'Đất đai 03 hồ sơ, Xây dựng 01 hồ sơ (Phòng Kinh tế xã); …' for a count column."""
    groups: list[str] = []
    catalogue = w.report.catalogue
    for department in catalogue.department_names:
        items = [
            f"lĩnh vực {row.field} {w.docs(getattr(row.counts, column))}"
            for row in sorted(w.report.rows, key=lambda r: catalogue.field_order(r.field))
            if catalogue.department_of(row.field) == department and getattr(row.counts, column)
        ]
        if items:
            owner = (
                "chưa xếp phòng"
                if field_key(department) == field_key(UNASSIGNED_DEPARTMENT)
                else w.department(department)
            )
            groups.append(f"{', '.join(items)} ({owner})")
    return "; ".join(groups)


def _overdue_text(w: _Writer) -> str:
    total = w.report.total
    result = w.indicators.unit["2.2"]
    if total.late == 0 and total.pending_overdue == 0:
        return f"{no_late_text(0)}."
    sentences = []
    if total.late:
        sentences.append(
            f"Trong kỳ có {w.docs(total.late)} giải quyết quá hạn, chiếm {w.rate(result)} "
            f"tổng số hồ sơ đã giải quyết ({w.fraction(result)} hồ sơ), gồm: "
            f"{_by_department(w, 'late')}.{w.verdict(result)}"
        )
    else:
        sentences.append(f"{no_late_text(total.pending_overdue)}.")
    if total.pending_overdue:
        sentences.append(
            f"Hiện còn {w.docs(total.pending_overdue)} đang giải quyết đã quá hạn, gồm: "
            f"{_by_department(w, 'pending_overdue')}."
        )
    return " ".join(sentences)


def _section_3(report: ReportInput) -> list[Paragraph]:
    items = []
    for text in report.shortcomings:
        clean = text.strip().lstrip("-+•").strip().rstrip(";,: ")
        if not clean:
            continue  # a bullet mark alone is not a paragraph
        items.append(clean if clean[-1] in ".!?" else clean + ".")
    if not items:
        return []
    return [
        Paragraph(Role.HEADING, "3. Tồn tại, hạn chế"),
        *(Paragraph(Role.BULLET, f"- {item}") for item in items),
    ]


def _sentence(text: str) -> str:
    """The text with a capital first letter and a full stop; '' stays ''."""
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " và " + names[-1]


def default_recipients(kind: UnitKind | str) -> tuple[str, ...]:
    """The «Nơi nhận» of a unit that lists none: the reference report's, «Lưu: VT» last.

    `kind` may be a placeholder's text: the Word template writes this list with
    «{{ cap_hanh_chinh }}» for the unit's kind.
    """
    kind_text = kind.value if isinstance(kind, UnitKind) else kind
    return (
        f"Lãnh đạo UBND {kind_text} (để b/c)",
        f"Các Phòng chuyên môn {kind_text}",
        f"Lãnh đạo TTPVHCC {kind_text}",
        "Lưu: VT",
    )


def recipient_lines(items: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """«Nơi nhận» as printed: «- …;» for each, «- ….» for the last, «Lưu: VT» added last."""
    items = list(items)
    if not items or not items[-1].startswith("Lưu"):
        items.append("Lưu: VT")
    return (*tuple(f"- {item};" for item in items[:-1]), f"- {items[-1]}.")


def _listed_recipients(report: ReportInput) -> list[str]:
    """The recipients the workbook lists, bullets and end marks removed."""
    items = [
        r.strip().lstrip("-+•").strip().rstrip(";.").strip() for r in report.document.recipients
    ]
    return [item for item in items if item]


def _own_recipients(report: ReportInput) -> bool:
    """Whether the unit changed the «Nơi nhận» from the default list the template writes."""
    listed = _listed_recipients(report)
    default = list(default_recipients(report.unit.kind))
    return bool(listed) and listed not in (default, default[:-1])


def _recipients(report: ReportInput) -> tuple[str, ...]:
    return recipient_lines(_listed_recipients(report) or default_recipients(report.unit.kind))


def opening_sentence(unit_kind: str, departments: str, issuer: str) -> str:
    """The body's first paragraph, as the reference report words it."""
    return (
        f"Thực hiện nhiệm vụ Chủ tịch Ủy ban nhân dân {unit_kind} giao về việc đảm bảo "
        "hoàn thành các mục tiêu, chỉ tiêu được giao về công tác cải cách, kiểm soát thủ tục "
        "hành chính. Trên cơ sở số liệu giải quyết thủ tục hành chính của "
        f"{departments}, {issuer} báo cáo tình hình, kết quả thực hiện như sau:"
    )


def closing_sentence(unit_kind: str, issuer: str) -> str:
    """The body's last paragraph, just above «Nơi nhận» and the signature."""
    return (
        f"{issuer} thông báo để Thủ trưởng các phòng chuyên môn và báo cáo Lãnh đạo "
        f"UBND {unit_kind} biết, chỉ đạo, thực hiện và có giải pháp khắc phục, đảm bảo "
        "nhiệm vụ, chỉ tiêu được giao./."
    )


def _appendix(report: ReportInput) -> AppendixTable:
    unit, document = report.unit, report.document
    rows = [r for r in report.rows if not r.counts.is_empty()]

    def values(counts: Counts) -> tuple[int, ...]:
        return tuple(counts.value(number) for number in range(3, 17))

    period = format_period_label(report.period.start, report.period.end)
    return AppendixTable(
        heading="PHỤ LỤC",
        title=(
            f"Tình hình, kết quả giải quyết thủ tục hành chính {period} của {unit.full_name}"
        ).upper(),
        attachment_line=(
            # Blank number: room for the clerk to write it, as in the header's "Số:".
            f"(Kèm theo Báo cáo số {document.number_and_symbol} ngày "
            f"{format_date_short(document.date)} của {unit.issuer})"
        ),
        rows=tuple(
            AppendixRow(str(i), row.field, values(row.counts)) for i, row in enumerate(rows, 1)
        ),
        total=AppendixRow("", TOTAL_LABEL, values(report.total)),
    )


def build_narrative(
    report: ReportInput, indicators: IndicatorSet, comparison: Comparison | None = None
) -> Narrative:
    """The complete report text for a validated report (with 2.3 when compared)."""
    unit, period, document = report.unit, report.period, report.document
    w = _Writer(report, indicators)
    departments = [w.department(d) for d in indicators.department_order]
    wording = Wording(
        unit_kind=unit.kind.value,
        issuer=unit.issuer,
        departments=_join_names(departments) or "các phòng chuyên môn",
        own_recipients=_own_recipients(report),
    )
    opening = opening_sentence(wording.unit_kind, wording.departments, wording.issuer)
    closing = closing_sentence(wording.unit_kind, wording.issuer)
    body = [
        Paragraph(Role.BODY, opening),
        *_section_1(w),
        *_section_2(w, comparison),
        *_section_3(report),
        Paragraph(Role.BODY, closing),
    ]
    header = Header(
        parent_body=unit.parent.upper(),
        issuing_body=unit.issuing_body_short.upper(),
        number_line=f"Số: {document.number_and_symbol}",
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        place_date=f"{unit.place_name}, {format_date_long(document.date)}",
    )
    subject = (
        "Tình hình, kết quả thực hiện một số chỉ tiêu về công tác cải cách, kiểm soát thủ tục "
        "hành chính và giải quyết thủ tục hành chính (từ ngày "
        f"{format_date_short(period.start)} đến ngày {format_date_short(period.end)})"
    )
    signer = report.signer
    signature = tuple(s for s in (signer.authority.upper(), signer.title.upper(), signer.name) if s)
    return Narrative(
        header=header,
        title="BÁO CÁO",
        subject=subject,
        body=tuple(body),
        recipients=_recipients(report),
        signature=signature,
        appendix=_appendix(report),
        wording=wording,
    )


def appendix_cell(value: int) -> str:
    """A number of the appendix table: separators, no padding ('1.132', '8', '0')."""
    return format_integer(value)
