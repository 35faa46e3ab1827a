"""Findings the CLI tests do not reach: extra inputs, parsing corners, the data-file round trip."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest

from helpers import run_data, sample_data
from tthc.core.findings import Location, Severity
from tthc.core.parsing import parse_count, parse_date, parse_optional_count
from tthc.core.report_data import dump_report, load_report

HERE = Location(field="Hộ tịch", column=4)


def codes(data: dict[str, Any]) -> list[str]:
    return [f.code for f in run_data(data).findings]


def test_the_data_file_round_trips() -> None:
    loaded = load_report(sample_data())
    assert loaded.report is not None
    dumped = dump_report(loaded.report)
    again = load_report(json.loads(json.dumps(dumped, ensure_ascii=False)))
    assert again.findings == ()
    # The Tổng cộng row is a cross-check, not an input: it is not written back.
    assert again.report == replace(loaded.report, stated_total={})
    assert dump_report(again.report) == dumped


def test_unit_figure_must_equal_the_departments_sum() -> None:
    data = sample_data()
    data["extra_inputs"]["unit"]["updated"] = 1130  # departments say 1.018 + 75 + 39 = 1.132
    findings = run_data(data).findings
    [finding] = [f for f in findings if f.code == "extras.sum"]
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "«Số hồ sơ được cập nhật trên hệ thống» toàn xã ghi 1.130 nhưng tổng các phòng là 1.132."
    )


def test_unit_figure_is_used_when_departments_are_silent() -> None:
    data = sample_data()
    data["extra_inputs"]["departments"] = {}
    data["extra_inputs"]["unit"].update(updated=1132, digitised=1124)
    result = run_data(data)
    assert result.ok
    assert result.ready is not None
    assert result.ready.indicators.unit["1.4"].numerator == 1124
    # The department lines then say plainly that their figures are missing.
    assert result.ready.indicators.departments["Phòng Kinh tế"]["1.4"].numerator is None


def test_extra_inputs_of_an_unknown_department() -> None:
    data = sample_data()
    data["extra_inputs"]["departments"]["Phòng Tư pháp"] = {"updated": 1}
    assert "extras.department_unknown" in codes(data)


def test_feedback_handled_above_received() -> None:
    data = sample_data()
    data["extra_inputs"]["unit"]["feedback_handled"] = 2
    assert "indicator.over" in codes(data)


def test_an_empty_grid_is_an_error() -> None:
    data = sample_data()
    data["appendix"]["rows"] = []
    del data["appendix"]["total"]
    assert "grid.empty" in codes(data)


def test_soft_problems_are_warnings() -> None:
    data = sample_data()
    data["signer"]["name"] = ""
    data["document"]["date"] = "2026-03-30"
    result = run_data(data)
    assert result.ok
    assert {f.code for f in result.findings} == {"signer.missing", "document.date_early"}


def test_unknown_keys_are_typos_not_silence() -> None:
    data = sample_data()
    data["appendix"]["rows"][0]["onlin"] = 5
    data["settings"]["convension"] = "qd766"
    findings = load_report(data).findings
    assert [f.location.key for f in findings] == [
        "settings.convension",
        "appendix.rows[0].onlin",
    ]
    assert all(f.severity is Severity.ERROR for f in findings)


def test_document_date_defaults_to_the_day_after_the_period() -> None:
    data = sample_data()
    del data["document"]["date"]
    loaded = load_report(data)
    assert loaded.report is not None
    assert loaded.report.document.date.isoformat() == "2026-04-01"


def test_custom_catalogue_and_targets() -> None:
    data = sample_data()
    data["catalogue"] = {
        "Văn phòng HĐND-UBND": ["Hộ tịch", "Chứng thực"],
        "Phòng Văn hóa - Xã hội": ["Người có công", "Bảo trợ xã hội", "Giáo dục"],
        "Phòng Kinh tế": ["Đất đai", "Hộ kinh doanh"],
    }
    data["targets"] = {"1.1": {"comparison": ">=", "percent": 99.5}}
    result = run_data(data)
    assert result.ok and result.ready is not None
    lines = [p.text for p in result.ready.narrative.body]
    assert "1.1. Tỷ lệ nộp hồ sơ trực tuyến (chỉ tiêu giao ≥ 99,5%)" in lines
    # Department order follows the edited catalogue: VHXH now before KT.
    opening = lines[0]
    assert opening.index("Phòng Văn hóa - Xã hội xã") < opening.index("Phòng Kinh tế xã")


def test_a_field_in_two_departments_is_refused() -> None:
    data = sample_data()
    data["catalogue"] = {"A": ["Hộ tịch"], "B": ["hộ tịch"]}
    loaded = load_report(data)
    assert loaded.report is None
    assert [f.code for f in loaded.findings] == ["catalogue.duplicate"]


@pytest.mark.parametrize(
    ("raw", "value", "code"),
    [
        (12, 12, None),
        (12.0, 12, None),
        ("12", 12, "count.text"),
        ("\u00a01.132\u00a0", 1132, "count.text"),
        ("1,132", None, "count.fraction"),
        ("12.5", None, "count.fraction"),
        ("—", None, "count.not_number"),
        ("#REF!", None, "count.excel_error"),
        ("-3", None, "count.negative"),
        (True, None, "count.not_number"),
        (float("nan"), None, "count.not_number"),
        (None, 0, "count.blank"),
        ("  ", 0, "count.blank"),
    ],
)
def test_count_parsing(raw: object, value: int | None, code: str | None) -> None:
    parsed = parse_count(raw, HERE)
    assert parsed.value == value
    assert [f.code for f in parsed.findings] == ([code] if code else [])


def test_optional_counts_stay_missing_when_blank() -> None:
    assert parse_optional_count(None, HERE).value is None
    assert parse_optional_count("", HERE).findings == ()


@pytest.mark.parametrize(
    ("raw", "iso"),
    [("2026-03-31", "2026-03-31"), ("31/3/2026", "2026-03-31"), ("05.02.2026", "2026-02-05")],
)
def test_date_parsing(raw: str, iso: str) -> None:
    value, findings = parse_date(raw, HERE)
    assert value is not None and value.isoformat() == iso and findings == ()


@pytest.mark.parametrize("raw", ["31/02/2026", "tháng 3", "", None, 45000])
def test_bad_dates(raw: object) -> None:
    value, findings = parse_date(raw, HERE)
    assert value is None
    assert findings[0].code == "date.invalid"
    assert "ngày/tháng/năm" in findings[0].message
