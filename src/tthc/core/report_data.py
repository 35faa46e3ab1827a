"""The report data file: a report's inputs as JSON, and back.

The format is described by `data/report.schema.json` (JSON Schema 2020-12,
shipped in the package and explained in the README). Reading is lenient where
people are (text numbers, blank cells, NFD text) and strict where typos hide
(unknown keys are errors), and never raises on bad content: every problem
becomes a Vietnamese finding that names the key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from tthc.core.catalogue import Catalogue, default_catalogue
from tthc.core.findings import Finding, Location, Severity
from tthc.core.grid import DERIVED_COLUMNS, INPUT_COLUMNS, TOTAL_LABEL, Counts, column_by_key
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
from tthc.core.parsing import parse_count, parse_date, parse_optional_count
from tthc.core.vn_format import RateRounding, nfc

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "LoadResult",
    "dump_report",
    "load_report",
    "schema_path",
    "settings_section",
    "targets_section",
    "write_report_file",
]

EARLIEST_DAY = date(2000, 1, 1)  # the template's data validation: no report is older
# What openpyxl (and the XML of a cell) cannot hold: C0 controls but tab, line feed, return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# A month's data file is about 20 kB; a year of a large commune's catalogue with notes
# stays far below this.
FORMAT_NAME = "tthc-report"
FORMAT_VERSION = 1
_EXTRA_KEYS = tuple(key for key, _ in EXTRA_INPUTS)
_COMPARISONS = {"≥": "≥", ">=": "≥", "=": "=", "≤": "≤", "<=": "≤"}


def schema_path() -> Path:
    return Path(__file__).parents[1] / "data" / "report.schema.json"


@dataclass(frozen=True)
class LoadResult:
    """The report, when the file was usable, and everything found on the way.

    `locator` refines later findings (from validation) with the sheet and cell
    the value came from, when the source was a workbook.
    """

    report: ReportInput | None
    findings: tuple[Finding, ...]
    locator: Callable[[Finding], Finding] | None = None


class _Reader:
    """Walks the JSON tree collecting findings instead of raising."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.reported: set[str] = set()  # sections already reported missing or malformed

    def error(self, key: str, message: str, code: str = "file.structure") -> None:
        self.findings.append(Finding(Severity.ERROR, code, message, Location(key=key)))

    def section(
        self, data: Mapping[str, Any], key: str, *, required: bool = True
    ) -> dict[str, Any]:
        value = data.get(key)
        if value is None:
            if required:
                self.error(key, "Thiếu mục này trong tệp số liệu.")
                self.reported.add(key)
            return {}
        if not isinstance(value, dict):
            self.error(key, "Mục này phải là một đối tượng {…}.")
            self.reported.add(key)
            return {}
        return value

    def unknown_keys(self, data: Mapping[str, Any], allowed: Collection[str], key: str) -> None:
        for name in data:
            if name not in allowed:
                where = f"{key}.{name}" if key else name
                self.error(where, "Mục không có trong mẫu tệp số liệu (gõ nhầm tên?).")

    def text(self, data: Mapping[str, Any], name: str, key: str, default: str = "") -> str:
        value = data.get(name, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.error(f"{key}.{name}", "Giá trị phải là chuỗi chữ.")
            return default
        return self.printable(value, f"{key}.{name}" if key else name)

    def printable(self, value: str, key: str, *, strip: bool = True) -> str:
        """NFC text without control characters, which no workbook cell may hold.

        Word's Shift+Enter (U+000B) pasted into a paragraph, or a `_x0007_` escape in a
        workbook another program wrote, would otherwise pass every check and then stop the
        writer of the output workbook. Each becomes a space, and staff are told.
        """
        text = nfc(value).strip() if strip else nfc(value)
        if _CONTROL.search(text) is None:
            return text
        self.findings.append(
            Finding(
                Severity.WARNING,
                "text.control_character",
                "Đoạn chữ có ký tự điều khiển không in được (thường do chép từ Word hoặc "
                "chương trình khác); đã thay bằng dấu cách.",
                Location(key=key),
            )
        )
        cleaned = _CONTROL.sub(" ", text)
        return cleaned.strip() if strip else cleaned

    def flag(self, data: Mapping[str, Any], name: str, key: str, default: bool) -> bool:
        value = data.get(name, default)
        if not isinstance(value, bool):
            self.error(f"{key}.{name}", "Giá trị phải là true hoặc false.")
            return default
        return value

    def texts(self, data: Mapping[str, Any], name: str, key: str) -> tuple[str, ...]:
        value = data.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.error(f"{key}.{name}" if key else name, "Giá trị phải là danh sách các chuỗi chữ.")
            return ()
        where = f"{key}.{name}" if key else name
        return tuple(
            self.printable(v, f"{where}[{index}]") for index, v in enumerate(value) if v.strip()
        )

    def day(self, raw: object, key: str) -> date | None:
        value, findings = parse_date(raw, Location(key=key))
        self.findings.extend(findings)
        if value is not None and value < EARLIEST_DAY:
            # The workbook's own validation asks for a date from 2000 on: an earlier one is
            # a number typed into a date cell (Excel shows 5 as 05/01/1900), not a period.
            self.findings.append(
                Finding(
                    Severity.ERROR,
                    "date.invalid",
                    f"Ngày {value:%d/%m/%Y} trước năm 2000 nên không thể là ngày của báo cáo; "
                    "có lẽ một con số đã được gõ vào ô ngày (Excel hiểu số 5 là ngày "
                    "05/01/1900). Hãy nhập lại ngày, ví dụ 31/3/2026.",
                    Location(key=key),
                )
            )
            return None
        return value

    def choice(self, raw: object, options: dict[str, Any], key: str, default: Any) -> Any:
        if raw is None:
            return default
        if isinstance(raw, str) and nfc(raw).strip() in options:
            return options[nfc(raw).strip()]
        allowed = ", ".join(f"«{o}»" for o in options)
        self.error(key, f"Giá trị «{raw}» không hợp lệ; chọn một trong: {allowed}.")
        return default


def load_report(data: object) -> LoadResult:
    """Build a ReportInput from parsed JSON, with findings for everything doubtful."""
    reader = _Reader()
    if not isinstance(data, dict):
        reader.error("", "Tệp số liệu phải là một đối tượng JSON {…}.")
        return LoadResult(None, tuple(reader.findings))
    if data.get("format", FORMAT_NAME) != FORMAT_NAME:
        reader.error("format", f"Đây không phải tệp số liệu báo cáo TTHC («{FORMAT_NAME}»).")
    version = data.get("version", FORMAT_VERSION)
    if isinstance(version, bool) or version != FORMAT_VERSION:
        reader.error(
            "version", f"Phiên bản tệp {version!r} chưa được hỗ trợ (cần {FORMAT_VERSION})."
        )
    reader.unknown_keys(
        data,
        (
            "$schema",
            "format",
            "version",
            "unit",
            "period",
            "document",
            "signer",
            "settings",
            "targets",
            "catalogue",
            "appendix",
            "extra_inputs",
            "shortcomings",
        ),
        "",
    )
    unit = _read_unit(reader, reader.section(data, "unit"))
    period = _read_period(reader, reader.section(data, "period"))
    settings = _read_settings(reader, reader.section(data, "settings", required=False))
    targets = _read_targets(reader, reader.section(data, "targets", required=False))
    catalogue = _read_catalogue(reader, data.get("catalogue"), unit)
    rows, stated_total = _read_appendix(reader, reader.section(data, "appendix"))
    extras = _read_extras(reader, reader.section(data, "extra_inputs", required=False))
    signer_data = reader.section(data, "signer", required=False)
    reader.unknown_keys(signer_data, ("authority", "title", "name"), "signer")
    signer = Signer(
        authority=reader.text(signer_data, "authority", "signer", Signer.authority),
        title=reader.text(signer_data, "title", "signer", Signer.title),
        name=reader.text(signer_data, "name", "signer"),
    )
    document = _read_document(reader, reader.section(data, "document", required=False), period)
    shortcomings = reader.texts(data, "shortcomings", "") if "shortcomings" in data else ()
    if unit is None or period is None or document is None or catalogue is None:
        return LoadResult(None, tuple(reader.findings))
    report = ReportInput(
        unit=unit,
        period=period,
        document=document,
        signer=signer,
        rows=rows,
        catalogue=catalogue,
        extras=extras,
        targets=targets,
        settings=settings,
        shortcomings=shortcomings,
        stated_total=stated_total,
    )
    return LoadResult(report, tuple(reader.findings))


def _read_unit(reader: _Reader, data: dict[str, Any]) -> Unit | None:
    reader.unknown_keys(
        data, ("kind", "name", "parent_body", "issuing_body", "issuing_body_short", "place"), "unit"
    )
    kind = reader.choice(data.get("kind"), {k.value: k for k in UnitKind}, "unit.kind", None)
    checked = "unit" not in reader.reported
    if checked and data.get("kind") is None:
        reader.error("unit.kind", "Thiếu loại đơn vị (xã, phường hoặc đặc khu).")
    name = reader.text(data, "name", "unit")
    if checked and not name:
        reader.error("unit.name", "Thiếu tên đơn vị (ví dụ Bình Giang).")
    if kind is None or not name:
        return None
    return Unit(
        kind=kind,
        name=name,
        parent_body=reader.text(data, "parent_body", "unit"),
        issuing_body=reader.text(data, "issuing_body", "unit"),
        issuing_body_short=reader.text(data, "issuing_body_short", "unit", Unit.issuing_body_short),
        place=reader.text(data, "place", "unit"),
    )


def _read_period(reader: _Reader, data: dict[str, Any]) -> Period | None:
    if "period" in reader.reported:
        return None
    reader.unknown_keys(data, ("start", "end"), "period")
    start = reader.day(data.get("start"), "period.start")
    end = reader.day(data.get("end"), "period.end")
    if start is None or end is None:
        return None
    if end < start:
        reader.error(
            "period.end",
            f"Ngày kết thúc kỳ báo cáo ({end:%d/%m/%Y}) trước ngày bắt đầu ({start:%d/%m/%Y}).",
            "period.order",
        )
        return None
    return Period(start, end)


def _read_document(
    reader: _Reader, data: dict[str, Any], period: Period | None
) -> DocumentInfo | None:
    reader.unknown_keys(data, ("number", "symbol", "date", "recipients"), "document")
    if "date" in data:
        day = reader.day(data.get("date"), "document.date")
    else:
        day = period.next_day() if period else None
    if day is None:
        return None
    return DocumentInfo(
        date=day,
        number=reader.text(data, "number", "document"),
        symbol=reader.text(data, "symbol", "document", DocumentInfo.symbol) or DocumentInfo.symbol,
        recipients=reader.texts(data, "recipients", "document"),
    )


def settings_section(section: Mapping[str, Any]) -> tuple[Settings, tuple[Finding, ...]]:
    """The `settings` section judged alone, as a worksheet function given TTHC_SETTINGS needs."""
    reader = _Reader()
    settings = _read_settings(reader, dict(section))
    return settings, tuple(reader.findings)


def targets_section(
    section: Mapping[str, Any],
) -> tuple[dict[str, Target | None], tuple[Finding, ...]]:
    """The `targets` section judged alone, as a worksheet function given TTHC_TARGETS needs."""
    reader = _Reader()
    targets = _read_targets(reader, dict(section))
    return targets, tuple(reader.findings)


def _read_settings(reader: _Reader, data: dict[str, Any]) -> Settings:
    reader.unknown_keys(
        data, ("convention", "strict_on_time", "zero_pad", "rate_rounding"), "settings"
    )
    return Settings(
        convention=reader.choice(
            data.get("convention"),
            {c.value: c for c in Convention},
            "settings.convention",
            Convention.MAU,
        ),
        strict_on_time=reader.flag(data, "strict_on_time", "settings", False),
        zero_pad=reader.flag(data, "zero_pad", "settings", True),
        rate_rounding=reader.choice(
            data.get("rate_rounding"),
            {r.value: r for r in RateRounding},
            "settings.rate_rounding",
            RateRounding.TRUNCATE,
        ),
    )


def _read_targets(reader: _Reader, data: dict[str, Any]) -> dict[str, Target | None]:
    targets = default_targets()
    reader.unknown_keys(data, INDICATOR_CODES, "targets")
    for code in INDICATOR_CODES:
        if code not in data:
            continue
        key = f"targets.{code}"
        raw = data[code]
        if raw is None:
            targets[code] = None
            continue
        if not isinstance(raw, dict) or set(raw) - {"comparison", "percent"}:
            reader.error(key, 'Chỉ tiêu phải có dạng {"comparison": "≥", "percent": 60}.')
            continue
        raw_comparison = raw.get("comparison", "≥")
        if raw_comparison is None:
            reader.error(f"{key}.comparison", "Thiếu phép so sánh của chỉ tiêu (≥, = hoặc ≤).")
            continue
        comparison = reader.choice(raw_comparison, _COMPARISONS, f"{key}.comparison", None)
        percent = raw.get("percent")
        if (
            isinstance(percent, bool)
            or not isinstance(percent, int | float)
            or not (0 <= percent <= 100)
        ):
            reader.error(f"{key}.percent", "Mức chỉ tiêu phải là số phần trăm từ 0 đến 100.")
            continue
        if comparison is not None:
            targets[code] = _target(comparison, percent.__class__.__name__, percent)
    return targets


@lru_cache(maxsize=256)
def _target(comparison: str, _kind: str, percent: float) -> Target:
    """A stated target; the same few in every workbook of a province (parsing the
    percent as an exact fraction is the costly part). The type is in the key: 60 and
    60.0 are one target, but each is made from its own text."""
    return Target(Comparison(comparison), Fraction(str(percent)))


def _read_catalogue(reader: _Reader, raw: object, unit: Unit | None) -> Catalogue | None:
    if raw is None:
        return default_catalogue(unit.kind.value if unit else "xã")
    if not isinstance(raw, dict) or not all(
        isinstance(fields, list) and all(isinstance(f, str) for f in fields)
        for fields in raw.values()
    ):
        reader.error("catalogue", 'Danh mục phải có dạng {"Tên phòng": ["Lĩnh vực", …]}.')
        return None
    try:
        return Catalogue.from_mapping(raw)
    except ValueError as problem:
        reader.error("catalogue", str(problem), "catalogue.duplicate")
        return None


_ROW_KEYS = frozenset(("field", *(c.key for c in INPUT_COLUMNS), *(c.key for c in DERIVED_COLUMNS)))


def _read_counts(
    reader: _Reader, data: dict[str, Any], key: str, field: str | None
) -> tuple[Counts, dict[int, int]]:
    reader.unknown_keys(data, _ROW_KEYS, key)
    values: dict[str, int] = {}
    for column in INPUT_COLUMNS:
        raw = data.get(column.key)
        if raw.__class__ is int and raw >= 0:  # the usual count: nothing to say about it
            values[column.key] = raw
            continue
        where = Location(field=field, column=column.number, key=f"{key}.{column.key}")
        parsed = parse_count(raw, where)
        reader.findings.extend(parsed.findings)
        values[column.key] = parsed.value if parsed.value is not None else 0
    stated: dict[int, int] = {}
    for column in DERIVED_COLUMNS:
        if data.get(column.key) is None:
            continue
        where = Location(field=field, column=column.number, key=f"{key}.{column.key}")
        parsed = parse_optional_count(data[column.key], where)
        reader.findings.extend(parsed.findings)
        if parsed.value is not None:
            stated[column.number] = parsed.value
    return Counts(**values), stated


def _read_appendix(
    reader: _Reader, data: dict[str, Any]
) -> tuple[tuple[FieldRow, ...], dict[int, int]]:
    reader.unknown_keys(data, ("rows", "total"), "appendix")
    raw_rows = data.get("rows", [])
    if not isinstance(raw_rows, list):
        reader.error("appendix.rows", "Danh sách lĩnh vực phải là một mảng […].")
        raw_rows = []
    rows = []
    for index, raw in enumerate(raw_rows):
        key = f"appendix.rows[{index}]"
        if not isinstance(raw, dict):
            reader.error(key, "Mỗi dòng lĩnh vực phải là một đối tượng {…}.")
            continue
        field = raw.get("field")
        if not isinstance(field, str) or not field.strip():
            reader.error(f"{key}.field", "Thiếu tên lĩnh vực.")
            # Its figures are not counted, but a slip among them is said now, in the
            # same round as the missing name (blank cells are no news in such a row).
            scratch = _Reader()
            _read_counts(scratch, raw, key, None)
            reader.findings.extend(f for f in scratch.findings if f.severity is Severity.ERROR)
            continue
        # Not stripped: stray spaces are the catalogue's to report and mend.
        field = reader.printable(field, f"{key}.field", strip=False)
        counts, stated = _read_counts(reader, raw, key, field.strip())
        rows.append(FieldRow(field, counts, stated))
    stated_total: dict[int, int] = {}
    total = data.get("total")
    if isinstance(total, dict):
        reader.unknown_keys(
            total, tuple(c.key for c in (*INPUT_COLUMNS, *DERIVED_COLUMNS)), "appendix.total"
        )
        for key_name, raw_value in total.items():
            if raw_value is None or key_name not in {
                c.key for c in (*INPUT_COLUMNS, *DERIVED_COLUMNS)
            }:
                continue
            column = column_by_key(key_name)
            where = Location(
                field=TOTAL_LABEL, column=column.number, key=f"appendix.total.{key_name}"
            )
            parsed = parse_optional_count(raw_value, where)
            reader.findings.extend(parsed.findings)
            if parsed.value is not None:
                stated_total[column.number] = parsed.value
    elif total is not None:
        reader.error("appendix.total", "Dòng Tổng cộng phải là một đối tượng {…}.")
    return tuple(rows), stated_total


def _read_extra_values(
    reader: _Reader, data: object, key: str, department: str | None
) -> ExtraValues:
    if not isinstance(data, dict):
        reader.error(key, "Mục này phải là một đối tượng {…}.")
        return ExtraValues()
    reader.unknown_keys(data, _EXTRA_KEYS, key)
    values: dict[str, int | None] = {}
    for name in _EXTRA_KEYS:
        parsed = parse_optional_count(
            data.get(name), Location(key=f"{key}.{name}", department=department)
        )
        reader.findings.extend(parsed.findings)
        values[name] = parsed.value
    return ExtraValues(**values)


def _read_extras(reader: _Reader, data: dict[str, Any]) -> ExtraInputs:
    reader.unknown_keys(data, ("unit", "departments"), "extra_inputs")
    unit = _read_extra_values(reader, data.get("unit", {}), "extra_inputs.unit", None)
    departments: dict[str, ExtraValues] = {}
    raw_departments = data.get("departments", {})
    if not isinstance(raw_departments, dict):
        reader.error("extra_inputs.departments", "Mục này phải là một đối tượng {…}.")
        raw_departments = {}
    for name, values in raw_departments.items():
        clean = nfc(name).strip()
        departments[clean] = _read_extra_values(
            reader, values, f"extra_inputs.departments.{clean}", clean
        )
    return ExtraInputs(unit, departments)


def dump_report(report: ReportInput) -> dict[str, Any]:
    """The data file for a report; `load_report` reads it back to an equal report.

    Only inputs are written: derived columns and the Tổng cộng row are
    cross-checks of a source, recomputed on every run, so the reloaded report
    equals the original except for its (empty) `stated` values.
    """

    def target(value: Target | None) -> dict[str, Any] | None:
        if value is None:
            return None
        percent = value.percent
        number: int | float = int(percent) if percent.denominator == 1 else float(percent)
        return {"comparison": value.comparison.value, "percent": number}

    def extra(values: ExtraValues) -> dict[str, int]:
        return {k: v for k in _EXTRA_KEYS if (v := values.get(k)) is not None}

    def row(item: FieldRow) -> dict[str, Any]:
        result: dict[str, Any] = {"field": item.field}
        result.update({c.key: item.counts.value(c.number) for c in INPUT_COLUMNS})
        return result

    unit = report.unit
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "unit": {
            "kind": unit.kind.value,
            "name": unit.name,
            "parent_body": unit.parent_body,
            "issuing_body": unit.issuing_body,
            "issuing_body_short": unit.issuing_body_short,
            "place": unit.place,
        },
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "document": {
            "number": report.document.number,
            "symbol": report.document.symbol,
            "date": report.document.date.isoformat(),
            "recipients": list(report.document.recipients),
        },
        "signer": {
            "authority": report.signer.authority,
            "title": report.signer.title,
            "name": report.signer.name,
        },
        "settings": {
            "convention": report.settings.convention.value,
            "strict_on_time": report.settings.strict_on_time,
            "zero_pad": report.settings.zero_pad,
            "rate_rounding": report.settings.rate_rounding.value,
        },
        "targets": {code: target(report.targets.get(code)) for code in INDICATOR_CODES},
        "catalogue": report.catalogue.to_mapping(),
        "appendix": {"rows": [row(r) for r in report.rows]},
        "extra_inputs": {
            "unit": extra(report.extras.unit),
            "departments": {
                name: extra(values) for name, values in report.extras.departments.items()
            },
        },
        "shortcomings": list(report.shortcomings),
    }


def write_report_file(report: ReportInput) -> str:
    """The data file's text: UTF-8 JSON, Vietnamese kept readable (not \\u-escaped)."""
    return json.dumps(dump_report(report), ensure_ascii=False, indent=2) + "\n"
