"""The `tthc` command line: the same pipeline as the Excel button, headless.

Exit codes: 0 no errors, 1 the input has errors (findings printed), 2 the
input or the command cannot be used at all (an output that would replace one of
the command's own inputs, even with --force; an output folder another run is
writing into). No traceback ever reaches the user: unexpected failures print a
Vietnamese message (set TTHC_DEBUG=1 to see the traceback while developing).
Standard output closed by its reader (``tthc check x | head -1``) is not a
failure: the command stops quietly with 141, as a program killed by SIGPIPE
does in a shell.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from tthc import __version__
from tthc.workbook.layout import TEMPLATE_FILE_NAME

if TYPE_CHECKING:  # only in annotations: the commands import their modules when they run
    from tthc.app.workflows import InvalidInputs
    from tthc.core.findings import Finding
    from tthc.core.model import Period
    from tthc.core.pipeline import PipelineResult
    from tthc.infra.own_inputs import OutputIsInput
from tthc.cli import i18n as cli_i18n
from tthc.core.kinds import Convention, UnitKind
from tthc.infra.os_messages import os_reason

__all__ = ["main", "run"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: what a shell reports for `yes | head -1`

# What each input is called when an output would replace it.
DATA_INPUT = "tệp số liệu đầu vào"
COMPARE_INPUT = "tệp kỳ trước (--compare)"
WORD_TEMPLATE_INPUT = "mẫu văn bản Word (--word-template)"
PREVIOUS_INPUT = "sổ tính tháng trước (--from)"
WORKBOOK_INPUT = "sổ tính đầu vào"
ROLLUP_INPUT = "tệp đầu vào"
ROLLUP_WORKBOOK = "sổ tính của cả kỳ (-o) của lần chạy này"
IMPORT_INPUT = "sổ tính nguồn"
DOSSIER_LIST_INPUT = "danh sách hồ sơ đầu vào"
ALIASES_INPUT = "tệp tên cột (--aliases)"

Inputs = Sequence[tuple[str, "Path | str | None"]]  # (what it is, its path)


class UsageProblem(Exception):
    """A command-line value that cannot be used; the message is Vietnamese."""


class _OutputStreamFailed(Exception):
    """Standard output cannot be written (closed by its reader, a full disk): not a bug."""

    def __init__(self, problem: OSError) -> None:
        super().__init__(str(problem))
        self.problem = problem


def _out(text: str = "") -> None:
    try:
        print(text, flush=True)
    except OSError as problem:  # not an OSError any more: no write handler may misread it
        raise _OutputStreamFailed(problem) from None


def _err(text: str) -> None:
    with suppress(OSError, ValueError):  # standard error is gone too: nobody is left to tell
        print(text, file=sys.stderr, flush=True)


def _same_file_message(output: Path, role: str, source: Path, *, other: str) -> str:
    """«Tệp kết quả X trùng với tệp số liệu đầu vào [Y]; không ghi đè …»."""
    named = "" if str(source) == str(output) else f" {source}"
    return (
        f"Tệp kết quả {output} trùng với {role}{named}; không ghi đè tệp đầu vào, kể cả khi "
        f"có --force. Hãy chọn {other} bằng -o."
    )


def _refuse_own_inputs(outputs: Iterable[Path], inputs: Inputs, *, other: str = "tên khác") -> None:
    """Never write over a file the command reads, even with --force (raises UsageProblem).

    One rule for every command (`own_inputs.is_same_file`: the same path written
    another way, a symlink, a hard link, a case-insensitive file system). Called
    before anything is written, and before the heavy reading wherever the output's
    name does not depend on what is read.
    """
    from tthc.infra.own_inputs import OutputIsInput, refuse_own_inputs

    try:
        refuse_own_inputs(outputs, [source for _role, source in inputs])
    except OutputIsInput as same:
        message = _same_file_message(same.output, _role_of(same, inputs), same.source, other=other)
        raise UsageProblem(message) from None


def _role_of(same: OutputIsInput, inputs: Inputs) -> str:
    for role, source in inputs:
        if source is not None and source != "" and Path(source) == same.source:
            return role
    return "tệp đầu vào"


@contextmanager
def _writing_into(folder: Path) -> Iterator[None]:
    """Hold the folder's lock while a command writes its set of outputs (see safe_write).

    `FolderBusy` goes up to `run`, which says so; the writes in the block explain
    their own failures.
    """
    from tthc.infra.safe_write import folder_lock

    with ExitStack() as stack:
        try:
            stack.enter_context(folder_lock(folder))
        except OSError as problem:  # the folder itself cannot be made
            raise UsageProblem(f"Không ghi được vào {folder}: {os_reason(problem)}.") from None
        yield


def _print_findings(findings: tuple[Finding, ...]) -> None:
    from tthc.core.findings import Severity

    ordered = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
    for finding in ordered:
        _out(finding.describe())
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        _out("Không phát hiện lỗi hay cảnh báo nào.")
    else:
        _out(f"Kết quả kiểm tra: {errors} lỗi, {warnings} cảnh báo.")


def _print_per_file(invalid: InvalidInputs) -> None:
    """Each input file's errors under its name, then what the command did not do."""
    for path, findings in invalid.per_file:
        _out(f"Tệp {path}:")
        _print_findings(findings)
    if invalid.message:
        _err(invalid.message)


def _exit_code(result: PipelineResult) -> int:
    if result.report is None:
        return EXIT_UNUSABLE
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _run(path: Path, args: argparse.Namespace) -> PipelineResult:
    from tthc.app.workflows import Stopped, checked_report

    compare = getattr(args, "compare", None)
    convention = getattr(args, "convention", None)
    try:
        return checked_report(
            path,
            compare=Path(compare) if compare else None,
            convention=Convention(convention) if convention else None,
            strict_on_time=getattr(args, "strict_on_time", False),
        )
    except Stopped as stopped:
        _print_findings(stopped.findings)
        raise UsageProblem(stopped.message) from None


def _write(path: Path, data: bytes, *, overwrite: bool) -> None:
    """Write one output, or explain in Vietnamese why not (raises UsageProblem)."""
    from tthc.infra.safe_write import FolderBusy, OutputExists, write_bytes_atomic

    try:
        write_bytes_atomic(path, data, overwrite=overwrite)
    except FolderBusy as busy:
        raise UsageProblem(str(busy)) from None
    except OutputExists as exists:
        raise UsageProblem(
            f"Tệp {exists} đã có; thêm --force để ghi đè hoặc chọn tên khác."
        ) from None
    except OSError as problem:
        raise UsageProblem(f"Không ghi được tệp {path}: {os_reason(problem)}.") from None


def cmd_check(args: argparse.Namespace) -> int:
    result = _run(Path(args.input), args)
    _print_findings(result.findings)
    return _exit_code(result)


def _report_and_write(
    result: PipelineResult,
    folder: Path,
    *,
    overwrite: bool,
    inputs: Inputs,
    word_template: Path | None = None,
    pdf: bool = False,
    instead: str = "thư mục khác",
) -> int:
    from tthc.app.outputs import write_report_outputs
    from tthc.infra.libreoffice import OfficeUnavailable
    from tthc.infra.own_inputs import OutputIsInput
    from tthc.infra.safe_write import FolderBusy, OutputExists
    from tthc.word.report import TemplateError

    if result.findings:
        _print_findings(result.findings)
    if result.ready is None:
        _err("Chưa tạo báo cáo vì còn lỗi; hãy sửa các ô nêu trên rồi chạy lại.")
        return _exit_code(result)
    try:
        written = write_report_outputs(
            result.ready,
            folder,
            overwrite=overwrite,
            sources=[Path(source) for _role, source in inputs if source],
            word_template=word_template,
            pdf=pdf,
        )
    except OutputIsInput as same:
        _err(_same_file_message(same.output, _role_of(same, inputs), same.source, other=instead))
        return EXIT_UNUSABLE
    except FolderBusy as busy:
        _err(str(busy))
        return EXIT_UNUSABLE
    except OutputExists as exists:
        _err(f"Tệp {exists} đã có; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o.")
        return EXIT_UNUSABLE
    except OfficeUnavailable as missing:
        _err(f"{missing} Chưa ghi tệp nào; bỏ --pdf để chỉ ghi báo cáo Word.")
        return EXIT_UNUSABLE
    except TemplateError as problem:
        _err(f"Mẫu văn bản Word không dùng được: {problem}")
        return EXIT_UNUSABLE
    except OSError as problem:
        where = problem.filename or folder
        _err(
            f"Không ghi được {where}: {os_reason(problem)}. Nếu tệp đang mở trong Excel "
            "hay Word, hãy đóng tệp rồi chạy lại; các tệp đã có vẫn giữ nguyên."
        )
        return EXIT_UNUSABLE
    except RuntimeError as problem:  # LibreOffice failed while making the PDF
        _err(str(problem))
        return EXIT_UNUSABLE
    for path in written:
        _out(f"Đã ghi: {path}")
    if pdf:
        from tthc.app.outputs import pdf_font_notes

        for note in pdf_font_notes(written[2]):
            _out(note)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    """Read, check, write the set; none of the set may be the input, --compare or the template.

    The names of the set depend on the unit and period read, so the input is read
    first; the refusal still comes before anything is written.
    """
    path = Path(args.input)
    template = Path(args.word_template) if args.word_template else None
    inputs = [
        (DATA_INPUT, path),
        (COMPARE_INPUT, args.compare),
        (WORD_TEMPLATE_INPUT, template),
    ]
    result = _run(path, args)
    folder = Path(args.out) if args.out else path.resolve().parent
    return _report_and_write(
        result, folder, overwrite=args.force, inputs=inputs, word_template=template, pdf=args.pdf
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """The bundled sample's report set, data file and workbook, written as one set.

    It reads nothing of the user's; like every other command it does not replace
    files already there (a clerk may have typed into the sample workbook) unless
    --force is given. LibreOffice's PDF takes most of its time: it says so first.
    """
    from tthc.app.inputs import load_sample, sample_text
    from tthc.app.outputs import output_stem
    from tthc.core.pipeline import run_pipeline
    from tthc.infra.libreoffice import find_soffice
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    folder = Path(args.out)
    result = run_pipeline(load_sample())
    if result.report is None:
        return _exit_code(result)
    report_stem, data_stem = (
        output_stem(result.report, "BaoCaoTTHC"),
        output_stem(result.report, "SoLieu"),
    )
    pdf = find_soffice() is not None
    names = [
        f"{report_stem}.{kind}" for kind in ("txt", "xlsx", "docx", *(("pdf",) if pdf else ()))
    ]
    names += [f"{data_stem}.json", f"{data_stem}.xlsx"]
    existing = [name for name in names if (folder / name).exists()]
    if existing and not args.force:
        raise UsageProblem(
            f"Thư mục {folder} đã có {', '.join(existing)} (lần chạy thử trước, có thể đã sửa); "
            "thêm --force để ghi đè hoặc chọn --out thư mục khác."
        )
    _out("Đang lập báo cáo mẫu (xã Bình Giang, tháng 3/2026)…")
    if pdf:
        _out("Bản PDF do LibreOffice tạo, có thể mất vài chục giây.")
    with _writing_into(folder):
        code = _report_and_write(result, folder, overwrite=True, inputs=(), pdf=pdf)
        if code != EXIT_OK:
            return code
        data = folder / f"{data_stem}.json"
        from tthc.infra.safe_write import write_bytes_atomic, write_text_atomic

        write_text_atomic(data, sample_text(), overwrite=True)
        _out(f"Đã ghi: {data}")
        workbook = folder / f"{data_stem}.xlsx"
        write_bytes_atomic(workbook, workbook_bytes(build_workbook(result.report)), overwrite=True)
        _out(f"Đã ghi: {workbook}")
    if not pdf:
        _out("Chưa có LibreOffice nên chưa tạo bản PDF; cài LibreOffice rồi chạy lại để có PDF.")
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    target = Path(args.out)
    _write(target, workbook_bytes(build_workbook(kind=UnitKind(args.kind))), overwrite=args.force)
    _out(f"Đã ghi: {target}")
    return EXIT_OK


def _month_option(text: str | None) -> Period | None:
    """The month a --period option names; None when it is not given (UsageProblem if bad)."""
    from tthc.core.new_month import parse_month

    if text is None:
        return None
    period = parse_month(text)
    if period is None:
        raise UsageProblem(f"Tháng «{text}» không hợp lệ; ghi dạng 2026-04 hoặc 04/2026.")
    return period


def cmd_new(args: argparse.Namespace) -> int:
    from tthc.app.workflows import Stopped, new_month
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    target = Path(args.out)
    _refuse_own_inputs([target], [(PREVIOUS_INPUT, args.previous), (DATA_INPUT, args.data)])
    period = _month_option(args.period or None)
    try:
        made = new_month(
            data=Path(args.data) if args.data else None,
            previous=Path(args.previous) if args.previous else None,
            kind=UnitKind(args.kind),
            name=args.name,
            period=period,
        )
    except ValueError:
        raise UsageProblem(
            "Cần --data TỆP_SỐ_LIỆU, hoặc --from SỔ_TÍNH_THÁNG_TRƯỚC, hoặc cả --name và "
            '--period (ví dụ: --kind xã --name "Bình Giang" --period 2026-04).'
        ) from None
    except Stopped as stopped:
        _print_findings(stopped.findings)
        return EXIT_UNUSABLE
    workbook = build_workbook(made.report, carried=made.carried, listed=made.listed)
    _write(target, workbook_bytes(workbook), overwrite=args.force)
    _out(f"Đã ghi: {target}")
    if made.carried:
        moved = ", ".join(f"{name} {count}" for name, count in made.carried.items())
        _out(f"Đã chuyển hồ sơ đang giải quyết cuối kỳ trước sang cột (6): {moved}.")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from tthc.app.inputs import load_input
    from tthc.core.report_data import dump_report
    from tthc.workbook.reader import read_workbook

    source = Path(args.input)
    target = Path(args.out)
    _refuse_own_inputs([target], [(WORKBOOK_INPUT, source)])
    loaded = (
        read_workbook(source) if source.suffix.lower() in {".xlsx", ".xlsm"} else load_input(source)
    )
    if loaded.findings:
        _print_findings(loaded.findings)
    if loaded.report is None:
        return EXIT_UNUSABLE
    text = json.dumps(dump_report(loaded.report), ensure_ascii=False, indent=2) + "\n"
    _write(target, text.encode("utf-8"), overwrite=args.force)
    _out(f"Đã ghi: {target}")
    return EXIT_OK


def cmd_rollup(args: argparse.Namespace) -> int:
    """The period's workbook at -o and its report set beside it, written as one set.

    None of them may be an input (checked for -o before reading, for the report
    files, whose names come from what is read, before writing anything), and no
    report file may be the -o workbook itself.
    """
    from tthc.app.outputs import report_targets
    from tthc.app.workflows import InvalidInputs, Stopped, rolled_up
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    target = Path(args.out)
    inputs: list[tuple[str, Path | str | None]] = [(ROLLUP_INPUT, n) for n in args.inputs]
    _refuse_own_inputs([target], inputs)
    try:
        rolled = rolled_up([Path(name) for name in args.inputs])
    except InvalidInputs as invalid:
        _print_per_file(invalid)
        return EXIT_FINDINGS
    except Stopped as stopped:
        _print_findings(stopped.findings)
        _err(stopped.message)
        return EXIT_UNUSABLE
    if rolled.findings:
        _print_findings(rolled.findings)
    folder = target.resolve().parent
    result = rolled.result
    written = [(ROLLUP_WORKBOOK, target), *inputs]
    if result.ready is not None:
        reports_out = report_targets(result.ready.report, folder)
        _refuse_own_inputs(reports_out, written)
        if not args.force:
            for path in (target, *reports_out):
                if path.exists():
                    raise UsageProblem(
                        f"Tệp {path} đã có; thêm --force để ghi đè hoặc chọn tên khác bằng -o."
                    )
    with _writing_into(folder):
        _write(target, workbook_bytes(build_workbook(rolled.report)), overwrite=args.force)
        _out(f"Đã ghi: {target}")
        return _report_and_write(
            result, folder, overwrite=args.force, inputs=written, instead="tên khác"
        )


def cmd_import(args: argparse.Namespace) -> int:
    from tthc.imports.aliases_file import load_aliases
    from tthc.imports.form_tables import import_report
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook

    period = _month_option(args.period)
    target = Path(args.out)
    _refuse_own_inputs([target], [(IMPORT_INPUT, args.input), (ALIASES_INPUT, args.aliases)])
    aliases = load_aliases(Path(args.aliases) if args.aliases else None)
    if aliases.findings:
        _print_findings(aliases.findings)
        return EXIT_FINDINGS
    report, findings = import_report(
        Path(args.input),
        UnitKind(args.kind) if args.kind else None,
        args.name,
        period,
        aliases.fields,
    )
    if findings:
        _print_findings(findings)
    if report is None:
        return EXIT_UNUSABLE
    return _write_proven(target, workbook_bytes(build_workbook(report)), overwrite=args.force)


def _write_proven(target: Path, data: bytes, *, overwrite: bool) -> int:
    """Write a workbook built from another file, only if `tthc check` finds no error in it."""
    from tthc.app.workflows import written_errors

    errors = written_errors(data, target.name)
    if errors:
        _print_findings(errors)
        _err(
            "Chưa ghi sổ tính: sổ tính tạo ra từ tệp này còn lỗi như trên (lệnh «tthc check» "
            "sẽ báo các lỗi đó). Hãy sửa tệp nguồn hoặc tệp tên cột rồi chạy lại."
        )
        return EXIT_FINDINGS
    _write(target, data, overwrite=overwrite)
    _out(f"Đã ghi: {target}")
    _out("Hãy mở sổ tính, kiểm tra lại số liệu đã nhập, điền trang Thông tin và Chỉ tiêu.")
    return EXIT_OK


def cmd_consolidate(args: argparse.Namespace) -> int:
    from tthc.app.consolidate import accounting, consolidate, output_refusal, scan_inputs
    from tthc.workbook.consolidation_sheets import consolidation_workbook
    from tthc.workbook.output import workbook_bytes

    target = Path(args.out)
    scan = scan_inputs([Path(p) for p in args.inputs], recursive=args.recursive)
    refusal = output_refusal(target, scan, force=args.force)
    if refusal is not None:
        raise UsageProblem(refusal)
    # The progress bar is for a person watching a long run, not for logs and pipes.
    progress = sys.stderr.isatty()
    done = consolidate(scan, workers=args.workers, progress=progress)
    for item in (*done.skipped, *done.refused, *done.not_read):
        _out(f"Bỏ qua {item.path}: {item.reason}")
    if not done.units:
        _out(accounting(done))
        _err("Không có sổ tính nào dùng được nên chưa ghi tệp tổng hợp.")
        return EXIT_UNUSABLE
    _write(target, workbook_bytes(consolidation_workbook(done)), overwrite=args.force)
    _out(f"Đã tổng hợp {len(done.units)} đơn vị.")
    _out(f"Đã ghi: {target}")
    _out(accounting(done))
    return EXIT_FINDINGS if (done.skipped or done.refused or done.not_read) else EXIT_OK


def cmd_dossiers(args: argparse.Namespace) -> int:
    from tthc.app.workflows import InvalidInputs, Stopped, dossier_month
    from tthc.workbook.output import workbook_bytes
    from tthc.workbook.template import build_workbook
    from tthc.workbook.trace_sheets import add_trace_sheets

    period = _month_option(args.period)
    target = Path(args.out)
    _refuse_own_inputs(
        [target],
        [
            (DOSSIER_LIST_INPUT, args.input),
            (PREVIOUS_INPUT, args.previous),
            (ALIASES_INPUT, args.aliases),
        ],
    )
    try:
        month = dossier_month(
            Path(args.input),
            period,
            previous=Path(args.previous) if args.previous else None,
            kind=UnitKind(args.kind) if args.kind else None,
            name=args.name,
            aliases=Path(args.aliases) if args.aliases else None,
        )
    except InvalidInputs as invalid:  # last month's workbook
        _print_per_file(invalid)
        return EXIT_FINDINGS
    except Stopped as stopped:
        _print_findings(stopped.findings)
        _err(stopped.message)
        return EXIT_FINDINGS
    if month.findings:
        _print_findings(month.findings)
    workbook = build_workbook(month.report)
    add_trace_sheets(
        workbook,
        month.classified.trace,
        month.classified.outside,
        month.classified.outside_reasons,
        month.report.period,
    )
    _out(f"Đã đọc {month.records} hồ sơ; {len(month.classified.outside)} hồ sơ ngoài kỳ.")
    return _write_proven(target, workbook_bytes(workbook), overwrite=args.force)


def cmd_addin_build(args: argparse.Namespace) -> int:
    from tthc.excel.addin import AddinError, build_addin

    try:
        target = build_addin(Path(args.out))
    except AddinError as problem:
        raise UsageProblem(str(problem)) from None
    _out(f"Đã ghi: {target}")
    return EXIT_OK


def cmd_addin_install(args: argparse.Namespace) -> int:
    from tthc.excel.addin import AddinError, install_addin

    try:
        target = install_addin(
            Path(args.source) if args.source else None,
            show_console=args.show_console,
            repair_functions=args.import_functions,
        )
    except AddinError as problem:
        raise UsageProblem(str(problem)) from None
    _out(f"Đã cài add-in vào {target}.")
    if args.show_console:
        _out(
            "Add-in sẽ mở cửa sổ dòng lệnh của Python khi chạy, để xem thông báo lỗi. Tìm xong "
            "lỗi thì chạy lại «tthc addin install» (không có --show-console) để tắt."
        )
    _out("Mở lại Excel: thẻ «Báo cáo TTHC» có nút «Tạo báo cáo». Xem README, mục Add-in Excel.")
    return EXIT_OK


def cmd_addin_bundle(args: argparse.Namespace) -> int:
    from tthc.excel.addin_bundle import AddinBundleError, bundle

    _out("Đang tải các gói cho Windows (cần mạng tới PyPI, vài phút)...")
    try:
        target = bundle(Path(args.out), project=Path(args.wheel) if args.wheel else None)
    except AddinBundleError as problem:
        raise UsageProblem(str(problem)) from None
    _out(f"Đã ghi: {target}")
    _out("Chép cả thư mục sang máy cần cài, đóng Excel, bấm đúp vào install.cmd.")
    return EXIT_OK


def cmd_addin_status(args: argparse.Namespace) -> int:
    from tthc.excel.addin_status import addin_status

    status = addin_status()
    for line in status.lines:
        _out(line)
    return EXIT_OK if status.ok else EXIT_FINDINGS


def _add_settings_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--convention",
        choices=[c.value for c in Convention],
        help="cách tính chỉ tiêu: «mau» theo mẫu báo cáo (mặc định) hoặc «qd766» theo "
        "Quyết định 766/QĐ-TTg; ghi đè thiết lập trong tệp số liệu",
    )
    parser.add_argument(
        "--strict-on-time",
        action="store_true",
        help="chỉ tiêu 2.1 chỉ tính hồ sơ trước hạn, đúng hạn (8)+(9), không tính hồ sơ "
        "từ chối, hồ sơ rút",
    )


def _add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help="ghi đè tệp đã có cùng tên")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tthc",
        description="Lập báo cáo tình hình, kết quả giải quyết thủ tục hành chính hằng tháng "
        "của Trung tâm Phục vụ hành chính công cấp xã: kiểm tra số liệu phụ lục, tính các chỉ "
        "tiêu và viết báo cáo.",
        epilog="Mã thoát: 0 không có lỗi; 1 số liệu có lỗi; 2 không dùng được tệp hoặc lệnh.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"tthc {__version__}",
        help="hiện số phiên bản rồi thoát",
    )
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="Các lệnh")
    commands.required = True
    kinds = [k.value for k in UnitKind]

    demo = commands.add_parser(
        "demo",
        help="chạy thử với số liệu mẫu tháng 3/2026 của xã Bình Giang",
        description="Lập báo cáo mẫu từ số liệu tháng 3/2026 của xã Bình Giang (có sẵn trong "
        "chương trình): báo cáo Word .docx (và PDF khi có LibreOffice), .txt, sổ tính kết quả "
        ".xlsx, sổ tính số liệu mẫu và tệp số liệu.",
    )
    demo.add_argument(
        "-o",
        "--out",
        default="tthc-demo",
        metavar="THƯ_MỤC",
        help="thư mục ghi kết quả (mặc định ./tthc-demo)",
    )
    demo.add_argument("--force", action="store_true", help="ghi đè kết quả của lần chạy thử trước")
    demo.set_defaults(handler=cmd_demo)

    check = commands.add_parser(
        "check",
        help="kiểm tra số liệu, liệt kê lỗi và cảnh báo",
        description="Kiểm tra sổ tính (.xlsx) hoặc tệp số liệu (.json): các đẳng thức của phụ "
        "lục, lĩnh vực, số liệu chỉ tiêu; mỗi lỗi ghi rõ trang và ô. Mã thoát 0 nếu không có "
        "lỗi, 1 nếu có lỗi, 2 nếu không dùng được tệp.",
    )
    check.add_argument("input", metavar="TỆP", help="sổ tính (.xlsx) hoặc tệp số liệu (.json)")
    check.add_argument(
        "--compare",
        metavar="KỲ_TRƯỚC",
        help="sổ tính hoặc tệp số liệu của kỳ trước: kiểm tra thêm số hồ sơ chuyển kỳ",
    )
    _add_settings_options(check)
    check.set_defaults(handler=cmd_check)

    report = commands.add_parser(
        "report",
        help="kiểm tra số liệu và viết báo cáo",
        description="Kiểm tra rồi viết báo cáo: văn bản Word .docx trình bày theo Nghị định "
        "30/2020, sổ tính kết quả .xlsx (trang Tổng hợp và Báo cáo ghi sẵn giá trị), bản .txt "
        "và, với --pdf, bản PDF. Không bao giờ sửa tệp đầu vào. Khi còn lỗi, không ghi tệp nào "
        "và liệt kê các ô cần sửa.",
    )
    report.add_argument("input", metavar="TỆP", help="sổ tính (.xlsx) hoặc tệp số liệu (.json)")
    report.add_argument(
        "-o",
        "--out",
        metavar="THƯ_MỤC",
        help="thư mục ghi báo cáo (mặc định: thư mục của tệp đầu vào)",
    )
    report.add_argument(
        "--pdf", action="store_true", help="ghi thêm bản PDF của báo cáo Word (cần LibreOffice)"
    )
    report.add_argument(
        "--compare",
        metavar="KỲ_TRƯỚC",
        help="sổ tính hoặc tệp số liệu của kỳ trước (hoặc cùng kỳ năm trước): báo cáo thêm mục "
        "so sánh và kiểm tra số hồ sơ chuyển kỳ",
    )
    report.add_argument(
        "--word-template",
        metavar="TỆP_DOCX",
        help="mẫu văn bản Word đã chỉnh (mặc định: mẫu templates/BaoCaoTTHC.docx)",
    )
    _add_force(report)
    _add_settings_options(report)
    report.set_defaults(handler=cmd_report)

    template = commands.add_parser(
        "template",
        help="tạo sổ tính mẫu trống để nhập số liệu",
        description="Tạo sổ tính mẫu nhập liệu (các trang Thông tin, Phụ lục, Chỉ tiêu, Danh "
        "mục, Tổng hợp, Báo cáo) với danh mục lĩnh vực thường gặp của loại đơn vị.",
    )
    template.add_argument(
        "-o",
        "--out",
        default=TEMPLATE_FILE_NAME,
        metavar="TỆP",
        help=f"tệp sổ tính (mặc định {TEMPLATE_FILE_NAME})",
    )
    template.add_argument("--kind", choices=kinds, default="xã", help="loại đơn vị (mặc định xã)")
    _add_force(template)
    template.set_defaults(handler=cmd_template)

    new = commands.add_parser(
        "new",
        help="tạo sổ tính cho một kỳ báo cáo mới",
        description="Tạo sổ tính cho một kỳ mới: từ tệp số liệu (--data), từ sổ tính tháng "
        "trước (--from: chuyển số hồ sơ đang giải quyết (13) sang cột (6), giữ thông tin đơn "
        "vị, người ký, chỉ tiêu giao), hoặc trống với --kind, --name, --period.",
    )
    new.add_argument("-o", "--out", required=True, metavar="TỆP", help="tệp sổ tính sẽ tạo")
    new.add_argument("--data", metavar="TỆP_SỐ_LIỆU", help="điền sẵn từ tệp số liệu .json")
    new.add_argument(
        "--from",
        dest="previous",
        metavar="SỔ_TÍNH_THÁNG_TRƯỚC",
        help="sổ tính (.xlsx) của tháng trước",
    )
    new.add_argument("--kind", choices=kinds, default="xã", help="loại đơn vị (mặc định xã)")
    new.add_argument("--name", metavar="TÊN", help="tên đơn vị, ví dụ «Bình Giang»")
    new.add_argument("--period", metavar="THÁNG", help="tháng báo cáo, ví dụ 2026-04")
    _add_force(new)
    new.set_defaults(handler=cmd_new)

    export = commands.add_parser(
        "export",
        help="xuất số liệu của sổ tính ra tệp .json",
        description="Đọc sổ tính đã nhập và ghi tệp số liệu .json (mô tả trong README).",
    )
    export.add_argument("input", metavar="SỔ_TÍNH", help="sổ tính (.xlsx)")
    export.add_argument("-o", "--out", required=True, metavar="TỆP", help="tệp .json sẽ ghi")
    _add_force(export)
    export.set_defaults(handler=cmd_export)

    roll = commands.add_parser(
        "rollup",
        help="cộng dồn các tháng thành báo cáo quý, 6 tháng, năm",
        description="Cộng dồn các kỳ liên tiếp của cùng một đơn vị: số tiếp nhận trong kỳ và "
        "đã giải quyết cộng lại, «từ kỳ trước» lấy của kỳ đầu, «đang giải quyết» lấy của kỳ "
        "cuối. Ghi sổ tính của cả kỳ và báo cáo (Word, sổ tính kết quả, .txt) cạnh nó.",
    )
    roll.add_argument("inputs", nargs="+", metavar="TỆP", help="sổ tính hoặc tệp số liệu")
    roll.add_argument(
        "-o",
        "--out",
        required=True,
        metavar="TỆP",
        help="sổ tính của cả kỳ sẽ tạo, ví dụ Quy1_2026.xlsx",
    )
    _add_force(roll)
    roll.set_defaults(handler=cmd_rollup)

    consolidate_parser = commands.add_parser(
        "consolidate",
        help="tổng hợp sổ tính của nhiều đơn vị cùng kỳ",
        description="Cộng số liệu của nhiều đơn vị cùng kỳ theo lĩnh vực, ghi sổ tính tổng "
        "hợp có một dòng cho mỗi đơn vị (chỉ tiêu, đạt/không đạt, lỗi). Tệp hỏng, không phải "
        "mẫu, khác kỳ hoặc trùng đơn vị được nêu rõ và bỏ qua; mọi mục trong thư mục (tệp "
        ".xls/.ods, thư mục con, liên kết hỏng, tệp khoá, tệp ẩn…) đều được kể ra hoặc đếm. "
        "Tệp kết quả không bao giờ ghi đè một tệp đầu vào.",
    )
    consolidate_parser.add_argument(
        "inputs", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="sổ tính hoặc thư mục chứa sổ tính"
    )
    consolidate_parser.add_argument(
        "-o", "--out", required=True, metavar="TỆP", help="sổ tính tổng hợp sẽ tạo"
    )
    consolidate_parser.add_argument(
        "--workers",
        type=int,
        metavar="SỐ",
        help="số tiến trình đọc song song (mặc định: theo số lõi)",
    )
    consolidate_parser.add_argument(
        "-r",
        "--recursive",
        action="store_true",
        help="đọc cả sổ tính trong các thư mục con (mặc định chỉ đọc các tệp nằm ngay trong "
        "thư mục, thư mục con được nêu là chưa đọc)",
    )
    _add_force(consolidate_parser)
    consolidate_parser.set_defaults(handler=cmd_consolidate)

    importer = commands.add_parser(
        "import",
        help="nhập bảng phụ lục theo mẫu (16 cột hoặc Biểu 06 13 cột) từ sổ tính khác",
        description="Tìm bảng phụ lục trong một sổ tính bất kỳ (theo dòng đánh số cột), đọc "
        "các dòng lĩnh vực đến dòng Tổng cộng và tạo sổ tính mẫu đã điền; nêu rõ phần không "
        "chuyển được.",
    )
    importer.add_argument("input", metavar="NGUỒN", help="sổ tính có bảng phụ lục")
    importer.add_argument("-o", "--out", required=True, metavar="TỆP", help="sổ tính sẽ tạo")
    importer.add_argument(
        "--kind",
        choices=kinds,
        help="loại đơn vị (mặc định: theo tiêu đề của bảng, không có thì xã)",
    )
    importer.add_argument(
        "--name", metavar="TÊN", help="tên đơn vị (mặc định: theo tiêu đề của bảng)"
    )
    importer.add_argument(
        "--period",
        metavar="THÁNG",
        help="tháng báo cáo, ví dụ 2026-04 (mặc định: theo tiêu đề của bảng)",
    )
    importer.add_argument(
        "--aliases",
        metavar="TỆP_JSON",
        help="tên lĩnh vực của hệ thống ứng với danh mục (mục «fields», xem README)",
    )
    _add_force(importer)
    importer.set_defaults(handler=cmd_import)

    dossiers = commands.add_parser(
        "dossiers",
        help="lập sổ tính của tháng từ danh sách hồ sơ của hệ thống một cửa",
        description="Đọc danh sách hồ sơ (.xlsx hoặc .csv, mỗi dòng một hồ sơ), xếp từng hồ sơ "
        "vào đúng cột của phụ lục theo ngày tiếp nhận, ngày hẹn trả, ngày kết thúc và trạng "
        "thái, đếm số liệu chỉ tiêu 1.2–1.5 từ các cột đánh dấu, và tạo sổ tính của tháng kèm "
        "trang «Nguồn hồ sơ» cho biết mỗi số gồm những hồ sơ nào.",
    )
    dossiers.add_argument("input", metavar="DANH_SÁCH", help="danh sách hồ sơ (.xlsx, .csv)")
    dossiers.add_argument(
        "--period",
        metavar="THÁNG",
        help="ví dụ 2026-03 (mặc định: theo tiêu đề của danh sách, hoặc tháng sau --from)",
    )
    dossiers.add_argument("-o", "--out", required=True, metavar="TỆP", help="sổ tính sẽ tạo")
    dossiers.add_argument(
        "--from",
        dest="previous",
        metavar="SỔ_TÍNH_THÁNG_TRƯỚC",
        help="lấy thông tin đơn vị từ sổ tính tháng trước, kiểm tra chuyển kỳ",
    )
    dossiers.add_argument(
        "--kind",
        choices=kinds,
        help="loại đơn vị (mặc định: theo tiêu đề của danh sách, không có thì xã)",
    )
    dossiers.add_argument(
        "--name",
        metavar="TÊN",
        help="tên đơn vị (khi không có --from; mặc định: theo tiêu đề của danh sách)",
    )
    dossiers.add_argument(
        "--aliases", metavar="TỆP_JSON", help="tên cột bổ sung của hệ thống một cửa (xem README)"
    )
    _add_force(dossiers)
    dossiers.set_defaults(handler=cmd_dossiers)

    addin = commands.add_parser(
        "addin",
        help="tạo hoặc cài add-in Excel (nút «Tạo báo cáo», các hàm =TTHC_…())",
        description="Add-in Excel tthc.xlam (nút «Tạo báo cáo» và các hàm =TTHC_…() có sẵn "
        "trong đó): «build» tạo tệp từ mẫu add-in của xlwings; «install» kiểm tra máy rồi cài "
        "vào thư mục khởi động của Excel (Windows, macOS); «status» cho biết đã cài gì, ở đâu; "
        "«bundle» tạo thư mục cài cho máy không có mạng.",
    )
    addin_commands = addin.add_subparsers(dest="addin_command", metavar="VIỆC", title="Các việc")
    addin_commands.required = True
    build = addin_commands.add_parser(
        "build", help="tạo tệp tthc.xlam", description="Tạo tệp add-in tthc.xlam."
    )
    build.add_argument(
        "-o",
        "--out",
        default="tthc.xlam",
        metavar="TỆP",
        help="tệp add-in (phải tên là tthc.xlam; mặc định ./tthc.xlam)",
    )
    build.set_defaults(handler=cmd_addin_build)
    install = addin_commands.add_parser(
        "install",
        help="cài add-in vào Excel",
        description="Cài add-in vào thư mục khởi động của Excel, ghi sẵn đường dẫn của Python "
        "đang chạy lệnh này để nút «Tạo báo cáo» tìm được chương trình. Hãy đóng Excel trước.",
    )
    install.add_argument(
        "--from", dest="source", metavar="TỆP", help="cài tệp tthc.xlam có sẵn thay vì tạo mới"
    )
    install.add_argument(
        "--show-console",
        action="store_true",
        help="mở cửa sổ dòng lệnh của Python mỗi khi add-in chạy, để xem thông báo lỗi (chỉ "
        "dùng khi tìm lỗi; cài lại không có tùy chọn này để tắt)",
    )
    install.add_argument(
        "--import-functions",
        action="store_true",
        help="sửa khi các hàm =TTHC_…() báo lỗi: nhờ Excel nạp lại các hàm vào add-in (cần bật "
        "«Trust access to the VBA project object model»)",
    )
    install.set_defaults(handler=cmd_addin_install)
    status = addin_commands.add_parser(
        "status",
        help="xem add-in đã cài chưa, ở đâu, sẽ gọi Python nào",
        description="Cho biết add-in đã cài vào Excel chưa và ở đâu, được tạo cho phiên bản "
        "xlwings nào, có sẵn các hàm =TTHC_…() không, sẽ gọi Python nào và Python đó có chạy "
        "được add-in không. Chỉ đọc tệp, không chạy gì.",
    )
    status.set_defaults(handler=cmd_addin_status)
    bundle = addin_commands.add_parser(
        "bundle",
        help="tạo thư mục cài đặt cho máy Windows không có mạng",
        description="Ghi một thư mục gồm gói tthc và mọi thư viện nó cần cho Windows 64-bit "
        "(Python 3.11–3.13) cùng tệp install.cmd: chép thư mục sang máy không có mạng, bấm "
        "đúp vào install.cmd là cài xong. Lệnh này cần mạng tới PyPI.",
    )
    bundle.add_argument("-o", "--out", required=True, metavar="THƯ_MỤC", help="thư mục mới")
    bundle.add_argument(
        "--wheel", metavar="TỆP", help="tệp .whl của tthc (mặc định: tạo từ mã nguồn đang chạy)"
    )
    bundle.set_defaults(handler=cmd_addin_bundle)

    subs = (
        parser,
        demo,
        check,
        report,
        template,
        new,
        export,
        roll,
        consolidate_parser,
        importer,
        dossiers,
    )
    for sub in (*subs, addin, build, install, status, bundle):
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "hiện hướng dẫn này rồi thoát"
    return parser


def run(argv: list[str] | None = None) -> int:
    """Parse and dispatch; returns the exit code instead of exiting (for tests).

    Standard output closed by its reader (a pipe into `head`) ends the command
    quietly with `EXIT_BROKEN_PIPE` (141, the shell's code for a program killed by
    SIGPIPE): nothing was wrong with the input, and the reader has what it wanted.
    Standard output that cannot be written for another reason (a full disk behind
    `> file`) is said on standard error, with exit code 2. Either way what is left
    in the buffer is dropped, so Python's exit does not fail on it again.
    """
    cli_i18n.install()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if reconfigure is not None and encoding != "utf8":
            reconfigure(encoding="utf-8", errors="replace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    # Imported once the command is known: its lock and temporary files (socket, shutil,
    # tempfile, threading) are not needed to print the help.
    from tthc.infra.safe_write import FolderBusy

    try:
        return int(args.handler(args))
    except UsageProblem as problem:
        _err(str(problem))
        return EXIT_UNUSABLE
    except FolderBusy as busy:
        _err(str(busy))
        return EXIT_UNUSABLE
    except (_OutputStreamFailed, BrokenPipeError) as failed:
        cause = failed.problem if isinstance(failed, _OutputStreamFailed) else failed
        _drop_standard_output()
        if isinstance(cause, BrokenPipeError):
            return EXIT_BROKEN_PIPE
        _err(f"Không ghi được kết quả ra màn hình hoặc tệp: {os_reason(cause)}.")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        _err("Đã dừng theo yêu cầu.")
        return 130
    except Exception as problem:  # the last line of defence: never show a traceback
        if os.environ.get("TTHC_DEBUG"):
            traceback.print_exc()
        _err(
            "Lỗi ngoài dự kiến, chưa tạo báo cáo: "
            f"{type(problem).__name__}: {problem}. Hãy gửi tệp số liệu và thông báo này cho "
            "bộ phận hỗ trợ."
        )
        return EXIT_UNUSABLE


def _drop_standard_output() -> None:
    """Point standard output at the null device: the unwritable rest is thrown away."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (a test's capture): nothing will flush it at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)


def main() -> int:
    return run()


if __name__ == "__main__":
    sys.exit(main())
