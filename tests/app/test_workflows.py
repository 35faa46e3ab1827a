"""The workflows of `app.workflows`, called directly as the CLI and any other caller do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tthc.app.workflows import (
    InvalidInputs,
    Stopped,
    checked_report,
    dossier_month,
    new_month,
    rolled_up,
    valid_report,
    written_errors,
)
from tthc.core.findings import Severity
from tthc.core.model import Convention, ReportInput, UnitKind
from tthc.core.new_month import parse_month
from tthc.workbook.output import workbook_bytes
from tthc.workbook.template import build_workbook


def _data_file(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "SoLieu.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_checked_report_applies_the_command_line_settings(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    path = _data_file(tmp_path, seed_data)
    plain = checked_report(path)
    assert plain.ready is not None
    assert plain.ready.report.settings.convention is Convention.MAU
    # The seed's extras fit the form's denominators, not QĐ 766's: read, not ready.
    overridden = checked_report(path, convention=Convention.QD766, strict_on_time=True)
    assert overridden.report is not None
    assert overridden.report.settings.convention is Convention.QD766
    assert overridden.report.settings.strict_on_time is True


def test_an_unusable_earlier_report_stops_before_the_input_is_read(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    path = _data_file(tmp_path, seed_data)
    missing = tmp_path / "ThangTruoc.json"
    with pytest.raises(Stopped) as stopped:
        checked_report(path, compare=missing)
    assert stopped.value.unusable
    assert str(missing) in stopped.value.message
    assert stopped.value.findings, "the reason is given as a finding"


def test_valid_report_gives_the_errors_of_a_file_with_errors(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    data = json.loads(json.dumps(seed_data))
    data["appendix"]["rows"][0]["online"] = -5  # a count below zero is an error
    with pytest.raises(Stopped) as stopped:
        valid_report(_data_file(tmp_path, data))
    assert stopped.value.findings
    assert all(f.severity is Severity.ERROR for f in stopped.value.findings)
    assert any(
        "rows[0].online" in f.describe() or f.location.key == "appendix.rows[0].online"
        for f in stopped.value.findings
    ), [f.describe() for f in stopped.value.findings]


def test_new_month_from_last_months_workbook_carries_each_fields_pending(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    seed = checked_report(_data_file(tmp_path, seed_data))
    assert seed.ready is not None
    workbook = tmp_path / "Thang3.xlsx"
    workbook.write_bytes(workbook_bytes(build_workbook(seed.ready.report)))
    made = new_month(previous=workbook)
    # (13) = (14) + (15) + (16), straight from the sample's rows.
    expected = {}
    for row in seed_data["appendix"]["rows"]:
        pending = row["pending_in_time"] + row["pending_overdue"] + row["pending_supplement"]
        if pending:
            expected[row["field"]] = pending
    assert made.carried == expected
    assert made.report.period == parse_month("2026-04")
    assert made.report.rows == ()


def test_new_month_needs_a_source_or_a_name() -> None:
    with pytest.raises(ValueError):
        new_month(kind=UnitKind.XA, name="Tân An")  # no period
    made = new_month(kind=UnitKind.XA, name="Tân An", period=parse_month("2026-05"))
    assert made.report.unit.name == "Tân An" and made.carried is None


def test_a_dossier_list_with_errors_stops_with_them(tmp_path: Path) -> None:
    listing = tmp_path / "HoSo.csv"
    listing.write_text(
        "Mã hồ sơ,Lĩnh vực,Kênh nộp,Ngày tiếp nhận,Hạn xử lý,Ngày hoàn thành,Trạng thái\n"
        "H1,Hộ tịch,Trực tuyến,không phải ngày,,,Đang xử lý\n",
        encoding="utf-8",
    )
    period = parse_month("2026-03")
    assert period is not None
    with pytest.raises(Stopped) as stopped:
        dossier_month(listing, period, kind=UnitKind.XA, name="Bình Giang")
    assert any(f.code == "dossiers.date" for f in stopped.value.findings)
    assert "danh sách hồ sơ còn lỗi" in stopped.value.message


def test_rolled_up_names_every_file_with_errors(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    bad = json.loads(json.dumps(seed_data))
    bad["appendix"]["rows"][0]["online"] = -5
    first = _data_file(tmp_path, bad)
    second = tmp_path / "Khong_co.json"
    with pytest.raises(InvalidInputs) as stopped:
        rolled_up([first, second])
    assert [path for path, _found in stopped.value.per_file] == [first, second]
    assert all(found for _path, found in stopped.value.per_file)


def test_two_months_roll_up_into_one_period(tmp_path: Path, seed_data: dict[str, Any]) -> None:
    april = json.loads(json.dumps(seed_data))
    april["period"] = {"start": "2026-04-01", "end": "2026-04-30"}
    april["document"]["date"] = "2026-05-02"
    (tmp_path / "a").mkdir()
    march_path = _data_file(tmp_path, seed_data)
    april_path = _data_file(tmp_path / "a", april)
    rolled = rolled_up([april_path, march_path])  # any order
    assert rolled.report.period.start.isoformat() == "2026-03-01"
    assert rolled.report.period.end.isoformat() == "2026-04-30"
    # Dossiers resolved in either month count once each: twice the sample's (8).
    early = sum(row["early"] for row in seed_data["appendix"]["rows"])
    assert sum(row.counts.early for row in rolled.report.rows) == 2 * early


def test_a_dossier_month_on_a_faulty_last_month_names_that_file(
    tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    bad = json.loads(json.dumps(seed_data))
    bad["appendix"]["rows"][0]["online"] = -5
    previous = _data_file(tmp_path, bad)
    listing = tmp_path / "HoSo.csv"
    listing.write_text(
        "Mã hồ sơ,Lĩnh vực,Kênh nộp,Ngày tiếp nhận,Hạn xử lý,Ngày hoàn thành,Trạng thái\n",
        encoding="utf-8",
    )
    period = parse_month("2026-04")
    assert period is not None
    with pytest.raises(InvalidInputs) as stopped:
        dossier_month(listing, period, previous=previous)
    ((path, findings),) = stopped.value.per_file
    assert path == previous
    assert findings and all(f.severity is Severity.ERROR for f in findings)


def test_the_proof_of_a_written_workbook_says_what_check_says(
    seed_report: ReportInput, tmp_path: Path
) -> None:
    """`written_errors` reads with the fast reader; `tthc check` with openpyxl's: on a
    workbook whose rows do not add up both name the same errors at the same cells."""
    from dataclasses import replace

    from tthc.core.pipeline import run_pipeline
    from tthc.workbook.reader import read_workbook

    first = seed_report.rows[0]
    broken = replace(first, counts=replace(first.counts, online=first.counts.online + 5))
    report = replace(seed_report, rows=(broken, *seed_report.rows[1:]))
    data = workbook_bytes(build_workbook(report))
    proof = written_errors(data, "thang-3.xlsx")
    path = tmp_path / "thang-3.xlsx"
    path.write_bytes(data)
    checked = [
        f for f in run_pipeline(read_workbook(path)).findings if f.severity is Severity.ERROR
    ]
    assert proof, "a row that does not add up is an error"
    assert [(f.code, f.location) for f in proof] == [(f.code, f.location) for f in checked]
    assert written_errors(workbook_bytes(build_workbook(seed_report)), "thang-3.xlsx") == ()
