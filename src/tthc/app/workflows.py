"""The workflows the command line runs, without its printing or its exit codes.

Each function reads what a command names, runs the core, and returns what came
of it (or raises `Stopped` with the findings that stop it); the CLI prints and
chooses the exit code, the Excel button shows a dialog. Writing the outputs is
`app.outputs`' job.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tthc.app.inputs import load_input, read_report_file
from tthc.core.compare import continuity_findings
from tthc.core.findings import Finding, Severity, has_errors
from tthc.core.model import Convention, Period, ReportInput, UnitKind
from tthc.core.new_month import blank_report, next_month_report
from tthc.core.pipeline import PipelineResult, run_pipeline
from tthc.core.report_data import LoadResult

if TYPE_CHECKING:
    from tthc.core.dossier_classification import Classification

__all__ = [
    "DossierMonth",
    "InvalidInputs",
    "NewMonth",
    "RolledUp",
    "Stopped",
    "checked_report",
    "dossier_month",
    "new_month",
    "rolled_up",
    "valid_report",
    "written_errors",
]


class Stopped(Exception):
    """A workflow cannot go on; `findings` say why, `unusable` if an input is no file at all.

    `message` is the sentence for staff after the findings, or empty when the
    findings say it all.
    """

    def __init__(
        self, message: str, findings: tuple[Finding, ...] = (), *, unusable: bool = False
    ) -> None:
        super().__init__(message)
        self.message = message
        self.findings = findings
        self.unusable = unusable


class InvalidInputs(Stopped):
    """Some of several input files are unusable or have errors; `per_file` says which."""

    def __init__(self, message: str, per_file: tuple[tuple[Path, tuple[Finding, ...]], ...]):
        super().__init__(message, tuple(f for _path, found in per_file for f in found))
        self.per_file = per_file


def with_settings(
    loaded: LoadResult, *, convention: Convention | None = None, strict_on_time: bool = False
) -> LoadResult:
    """The input with the settings a command line overrides (the file keeps its own)."""
    if loaded.report is None:
        return loaded
    settings = loaded.report.settings
    if convention is not None:
        settings = replace(settings, convention=convention)
    if strict_on_time:
        settings = replace(settings, strict_on_time=True)
    return replace(loaded, report=replace(loaded.report, settings=settings))


def written_errors(data: bytes, name: str) -> tuple[Finding, ...]:
    """The errors `tthc check` would report on a workbook about to be written as `name`.

    Why: a command that builds a workbook from someone else's file (an export, a
    dossier list) must never leave behind a file that `check` then rejects; it
    reads its own output back first, in a scratch folder, with the same caps and
    checks. It takes the consolidation's reader (the sheets' XML, held by the
    tests to openpyxl's findings, and by the dossier command's property test to
    what `check` says of its output): on a year's list that is 0,02 s instead of
    0,35 s for openpyxl's.
    """
    import tempfile

    from tthc.workbook.calamine_source import read_workbook_fast

    with tempfile.TemporaryDirectory(prefix="tthc-proof-") as scratch:
        path = Path(scratch) / Path(name).name
        path.write_bytes(data)
        result = run_pipeline(read_workbook_fast(path))
    return tuple(f for f in result.findings if f.severity is Severity.ERROR)


def valid_report(path: Path, *, fast: bool = False) -> ReportInput:
    """A usable, error-free report from a file; `Stopped` with its errors otherwise.

    `fast` reads a workbook with the consolidation's reader (its sheets' XML, one
    pass over the file), which the tests hold to the same findings as openpyxl's.
    """
    if fast and path.suffix.lower() in (".xlsx", ".xlsm"):
        from tthc.workbook.calamine_source import read_workbook_fast

        result = run_pipeline(read_workbook_fast(path))
    else:
        result = run_pipeline(load_input(path))
    if result.ready is None:
        errors = tuple(f for f in result.findings if f.severity is Severity.ERROR)
        raise Stopped("", errors, unusable=result.report is None)
    return result.ready.report


def checked_report(
    path: Path,
    *,
    compare: Path | None = None,
    convention: Convention | None = None,
    strict_on_time: bool = False,
) -> PipelineResult:
    """The input checked (and, with `compare`, set beside the earlier report).

    The earlier report must itself be usable and free of errors: `Stopped` with
    its findings otherwise, before the input is read.
    """
    previous = None
    if compare is not None:
        result = run_pipeline(load_input(compare))
        if result.ready is None:
            raise Stopped(
                f"Không so sánh được với {compare}: tệp kỳ trước không đọc được hoặc còn lỗi "
                "(xem trên).",
                result.findings,
                unusable=True,
            )
        previous = result.ready.report
    loaded = with_settings(load_input(path), convention=convention, strict_on_time=strict_on_time)
    return run_pipeline(loaded, previous)


@dataclass(frozen=True)
class NewMonth:
    """The report a new workbook starts from, and the pending dossiers carried into (6)."""

    report: ReportInput
    carried: dict[str, int] | None = None
    listed: tuple[str, ...] = ()  # the previous month's grid: every field, in its order


def new_month(
    *,
    data: Path | None = None,
    previous: Path | None = None,
    kind: UnitKind | None = None,
    name: str | None = None,
    period: Period | None = None,
) -> NewMonth:
    """What `tthc new` fills the template with: a data file, last month's workbook or a name.

    `Stopped` (unusable) with the reader's findings when the file cannot be read;
    ValueError when none of the three is given (the CLI says how to call it).
    """
    listed: tuple[str, ...] = ()
    if data is not None:
        loaded = read_report_file(data)
    elif previous is not None:
        from tthc.workbook.reader import read_workbook_and_order  # openpyxl: only on this path

        loaded, listed = read_workbook_and_order(previous)
    elif kind is not None and name and period is not None:
        return NewMonth(blank_report(kind, name, period))
    else:
        raise ValueError("a data file, last month's workbook, or kind, name and period")
    if loaded.report is None:
        raise Stopped("", loaded.findings, unusable=True)
    if previous is not None:  # the month after the one read, its pending carried over
        report, carried = next_month_report(loaded.report, period)
        return NewMonth(report, carried, listed)
    report = loaded.report if period is None else replace(loaded.report, period=period)
    return NewMonth(report)


@dataclass(frozen=True)
class DossierMonth:
    """A month counted from a dossier list: its report, and where each figure came from."""

    report: ReportInput
    classified: Classification
    records: int  # dossiers read from the list
    findings: tuple[Finding, ...]  # warnings only: an error raises `Stopped`


def dossier_month(
    listing: Path,
    period: Period | None,
    *,
    previous: Path | None = None,
    kind: UnitKind | None = None,
    name: str | None = None,
    aliases: Path | None = None,
) -> DossierMonth:
    """The month's grid and extras counted from a dossier list, on last month's workbook
    (carry-over checked against it) or on a blank report of the named unit.

    Where `period`, or the unit's `kind` and `name` (without `previous`), are
    None, the list's title block says them («UBND xã Bình Giang», «Từ ngày
    01/03/2026 đến ngày 31/03/2026»); a title that does not is `Stopped`, naming
    the option to give. `InvalidInputs` with the errors of last month's file,
    `Stopped` with those of the list.
    """
    from tthc.core.dossier_classification import classify
    from tthc.imports.dossier_list import read_dossiers
    from tthc.imports.export_layout import title_facts
    from tthc.imports.field_names import resolve_fields

    listed = read_dossiers(listing, aliases)
    facts = title_facts(listed.title)
    period = period or facts.period
    earlier: ReportInput | None = None
    if previous is not None:
        try:
            earlier = valid_report(previous)
        except Stopped as stopped:
            raise InvalidInputs("", ((previous, stopped.findings),)) from None
        base, _carried = next_month_report(earlier, period)
        period = base.period
    else:
        name = name or facts.name
        if not name:
            raise Stopped(
                "Cần --from SỔ_TÍNH_THÁNG_TRƯỚC hoặc --name TÊN_ĐƠN_VỊ (và --kind): tiêu đề "
                "của danh sách không ghi tên đơn vị.",
                listed.findings,
            )
        if period is None:
            raise Stopped(
                "Cần --period THÁNG (ví dụ 2026-03): tiêu đề của danh sách không ghi kỳ "
                "(«Từ ngày … đến ngày …» hoặc «Tháng 3 năm 2026»).",
                listed.findings,
            )
        base = blank_report(kind or facts.kind or UnitKind.XA, name, period)
    names = resolve_fields(Counter(d.field for d in listed.records), base.catalogue, listed.fields)
    records = [d.with_field(names.name(d.field)) for d in listed.records]
    base = replace(base, catalogue=names.catalogue)
    classified = classify(records, period, base.catalogue)
    findings = (*listed.findings, *names.findings, *classified.findings)
    if earlier is not None:
        counted = replace(base, rows=classified.rows)
        findings = (*findings, *continuity_findings(counted, earlier))
    if has_errors(findings):
        raise Stopped("Chưa tạo sổ tính vì danh sách hồ sơ còn lỗi (xem trên).", findings)
    report = replace(base, rows=classified.rows, extras=classified.extras)
    return DossierMonth(report, classified, len(listed.records), findings)


@dataclass(frozen=True)
class RolledUp:
    """Several periods of one unit as one: the report, checked, and the roll-up's warnings."""

    result: PipelineResult
    report: ReportInput
    findings: tuple[Finding, ...]


def rolled_up(paths: Sequence[Path]) -> RolledUp:
    """The months (or quarters) in `paths` rolled into one period and checked.

    Every file must be usable and free of errors (`InvalidInputs` names each that
    is not); periods that do not join up are `Stopped` with the roll-up's findings.
    """
    from tthc.core.rollup import rollup

    reports: list[ReportInput] = []
    invalid: list[tuple[Path, tuple[Finding, ...]]] = []
    for path in paths:
        try:
            reports.append(valid_report(path, fast=True))
        except Stopped as stopped:
            invalid.append((path, stopped.findings))
    if invalid:
        raise InvalidInputs(
            "Chưa cộng dồn vì có tệp còn lỗi (xem trên); hãy sửa rồi chạy lại.", tuple(invalid)
        )
    rolled = rollup(reports)
    if rolled.report is None:
        raise Stopped(
            "Không cộng dồn được các kỳ này (xem trên).", tuple(rolled.findings), unusable=True
        )
    result = run_pipeline(LoadResult(rolled.report, ()))
    return RolledUp(result, rolled.report, tuple(rolled.findings))
