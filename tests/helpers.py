"""Helpers shared by the tests: the bundled sample and one-call pipeline runs."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

from tthc.core.indicators import (
    IndicatorResult,
    Outcome,
    compute_indicators,
    department_counts,
    indicator_parts,
)
from tthc.core.model import INDICATOR_CODES, ReportInput
from tthc.core.pipeline import PipelineResult, run_pipeline
from tthc.core.report_data import LoadResult, load_report
from tthc.core.summary import summary_scopes


def sample_data() -> dict[str, Any]:
    """The March 2026 Bình Giang data file as shipped in the package."""
    text = resources.files("tthc").joinpath("data", "binh_giang_2026_03.json").read_text("utf-8")
    return json.loads(text)


def run_data(data: dict[str, Any]) -> PipelineResult:
    return run_pipeline(load_report(data))


def run_report(report: ReportInput, **settings: Any) -> PipelineResult:
    if settings:
        report = replace(report, settings=replace(report.settings, **settings))
    return run_pipeline(LoadResult(report, ()))


def body_text(result: PipelineResult) -> list[str]:
    assert result.ready is not None, [f.describe() for f in result.findings]
    return [p.text for p in result.ready.narrative.body]


def _sent_by_excel(cell: Any) -> object:
    """A cell as Excel on the web sends it: a formula not calculated yet is blank."""
    if cell.value is None or cell.data_type == "f":
        return ""
    if isinstance(cell.value, dt.datetime):
        return cell.value.isoformat() + ".000Z"
    return cell.value


def xlwings_payload(workbook: Any, xlwings_version: str) -> dict[str, Any]:
    """What Excel sends xlwings' JSON engine for `workbook`: the book the button runs on."""
    sheets = [
        {
            "name": sheet.title,
            "values": [
                [_sent_by_excel(c) for c in row]
                for row in sheet.iter_rows(max_row=sheet.max_row, max_col=sheet.max_column)
            ],
            "pictures": [],
            "tables": [],
        }
        for sheet in workbook.worksheets
    ]
    names = []
    for name, defined in workbook.defined_names.items():
        ((title, ref),) = defined.destinations
        names.append(
            {
                "name": name,
                "sheet_index": workbook.sheetnames.index(title),
                "address": ref.replace("$", ""),
                "book_scope": True,
                "scope_sheet_index": None,
                "scope_sheet_name": None,
            }
        )
    return {
        "client": "Microsoft Office Scripts",
        "version": xlwings_version,
        "book": {"name": "BaoCaoTTHC.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "sheets": sheets,
        "names": names,
    }


# --- LibreOffice through UNO (tests/lo_edit.py) -----------------------------------------

# Pythons that may carry LibreOffice's `uno` module: Debian's python3-uno goes with the
# system Python; LibreOffice's own builds bundle one in their program folder.
_UNO_CANDIDATES = ("/usr/bin/python3", "python3", "/usr/lib/libreoffice/program/python")
LO_EDIT = Path(__file__).with_name("lo_edit.py")


def uno_python() -> str | None:
    """A Python that can `import uno`, or None (LibreOffice's UNO bridge not installed)."""
    for candidate in _UNO_CANDIDATES:
        found = shutil.which(candidate)
        if found is None:
            continue
        probe = subprocess.run([found, "-c", "import uno"], capture_output=True, check=False)
        if probe.returncode == 0:
            return found
    return None


def run_lo_jobs(soffice: str, python: str, jobs: list[dict[str, Any]]) -> None:
    """Run `lo_edit.py`'s jobs in one headless LibreOffice; fail the test on any error."""
    completed = subprocess.run(
        [python, str(LO_EDIT), soffice],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr


# --- what the core says each Tổng hợp row shows ------------------------------------------

MISSING = "chưa có số liệu"  # as the reference report words a missing input
NONE_AROSE = "không phát sinh"


def core_summary(report: ReportInput) -> dict[tuple[str, str], IndicatorResult]:
    """(code, scope label) -> the core's result, for every scope of the Tổng hợp sheet."""
    computed = compute_indicators(report)
    counts = department_counts(report)
    unit_scope, *departments = summary_scopes(report.catalogue, report.unit.kind)
    results: dict[tuple[str, str], IndicatorResult] = {}
    for code in INDICATOR_CODES:
        results[code, unit_scope] = computed.unit[code]
        for department in departments:
            if department in computed.departments:
                results[code, department] = computed.departments[department][code]
                continue
            numerator, denominator = indicator_parts(
                code, counts[department], report.extras.for_department(department), report.settings
            )
            results[code, department] = IndicatorResult(
                code, department, numerator, denominator, report.targets.get(code)
            )
    return results


def shown(result: IndicatorResult) -> tuple[object, object, object, str]:
    """What the Tổng hợp row should show: numerator, denominator, rate, verdict."""
    numerator = MISSING if result.numerator is None else result.numerator
    denominator = MISSING if result.denominator is None else result.denominator
    if result.outcome is Outcome.MISSING:
        rate: object = MISSING
    elif result.outcome is Outcome.NONE_AROSE:
        rate = NONE_AROSE
    else:
        assert result.rate is not None
        rate = float(result.rate)
    verdict = "" if result.verdict is None else "Đạt" if result.verdict else "Không đạt"
    return numerator, denominator, rate, verdict
