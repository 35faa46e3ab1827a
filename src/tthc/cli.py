"""The `tthc` command line: the same pipeline as the Excel button, headless.

Exit codes: 0 no errors, 1 the input has errors (findings printed), 2 the
input or the command cannot be used at all. No traceback ever reaches the
user: unexpected failures print a Vietnamese message (set TTHC_DEBUG=1 to see
the traceback while developing).
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
import unicodedata
from dataclasses import replace
from importlib import resources
from pathlib import Path

from . import __version__, cli_i18n
from .datafile import LoadResult, load_report, read_report_file
from .findings import Finding, Location, Severity
from .model import Convention, ReportInput
from .pipeline import PipelineResult, run_pipeline
from .plaintext import render_text
from .safe_write import OutputExists, write_text_atomic

__all__ = ["main"]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNUSABLE = 2
SAMPLE_NAME = "binh_giang_2026_03.json"
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def ascii_slug(text: str) -> str:
    """'xã Bình Giang' -> 'xaBinhGiang': file names without diacritics or spaces."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = [w for w in "".join(c if c.isalnum() else " " for c in plain).split() if w]
    return (
        words[0].lower() + "".join(w[:1].upper() + w[1:] for w in words[1:]) if words else "baocao"
    )


def output_stem(report: ReportInput, prefix: str = "BaoCaoTTHC") -> str:
    """'BaoCaoTTHC_xaBinhGiang_2026-03', or with both dates for other periods."""
    period = report.period
    month_end = period.next_day().day == 1 and period.start.day == 1
    if month_end and (period.start.year, period.start.month) == (period.end.year, period.end.month):
        span = f"{period.start:%Y-%m}"
    else:
        span = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    return f"{prefix}_{ascii_slug(report.unit.full_name)}_{span}"


def load_input(path: Path) -> LoadResult:
    """A data file now; workbooks arrive with the template."""
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        finding = Finding(
            Severity.ERROR,
            "file.unsupported",
            "Phiên bản này chưa đọc được sổ tính Excel; hãy dùng tệp số liệu .json "
            "(xem README, mục «Tệp số liệu»).",
            Location(key=path.name),
        )
        return LoadResult(None, (finding,))
    return read_report_file(path)


def _apply_overrides(loaded: LoadResult, args: argparse.Namespace) -> LoadResult:
    if loaded.report is None:
        return loaded
    settings = loaded.report.settings
    if getattr(args, "convention", None):
        settings = replace(settings, convention=Convention(args.convention))
    if getattr(args, "strict_on_time", False):
        settings = replace(settings, strict_on_time=True)
    return LoadResult(replace(loaded.report, settings=settings), loaded.findings)


def _print_findings(findings: tuple[Finding, ...]) -> None:
    ordered = sorted(findings, key=lambda f: f.severity is not Severity.ERROR)
    for finding in ordered:
        _out(finding.describe())
    errors = sum(f.severity is Severity.ERROR for f in findings)
    warnings = len(findings) - errors
    if not findings:
        _out("Không phát hiện lỗi hay cảnh báo nào.")
    else:
        _out(f"Kết quả kiểm tra: {errors} lỗi, {warnings} cảnh báo.")


def _exit_code(result: PipelineResult) -> int:
    if result.report is None:
        return EXIT_UNUSABLE
    return EXIT_OK if result.ok else EXIT_FINDINGS


def _run(path: Path, args: argparse.Namespace) -> PipelineResult:
    return run_pipeline(_apply_overrides(load_input(path), args))


def cmd_check(args: argparse.Namespace) -> int:
    result = _run(Path(args.input), args)
    _print_findings(result.findings)
    return _exit_code(result)


def _write_outputs(result: PipelineResult, folder: Path, *, overwrite: bool) -> list[Path]:
    assert result.report is not None and result.narrative is not None
    target = folder / f"{output_stem(result.report)}.txt"
    write_text_atomic(target, render_text(result.narrative), overwrite=overwrite)
    return [target]


def _report_and_write(result: PipelineResult, folder: Path, *, overwrite: bool) -> int:
    if result.findings:
        _print_findings(result.findings)
    if not result.ok:
        _err("Chưa tạo báo cáo vì còn lỗi; hãy sửa các ô nêu trên rồi chạy lại.")
        return _exit_code(result)
    try:
        written = _write_outputs(result, folder, overwrite=overwrite)
    except OutputExists as exists:
        _err(f"Tệp {exists} đã có; thêm --force để ghi đè hoặc chọn thư mục khác bằng -o.")
        return EXIT_UNUSABLE
    except OSError as problem:
        _err(f"Không ghi được vào thư mục {folder}: {problem.strerror or problem}.")
        return EXIT_UNUSABLE
    for path in written:
        _out(f"Đã ghi: {path}")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    path = Path(args.input)
    result = _run(path, args)
    folder = Path(args.out) if args.out else path.resolve().parent
    return _report_and_write(result, folder, overwrite=args.force)


def load_sample() -> LoadResult:
    """The bundled March 2026 Bình Giang data (the reference report's appendix)."""
    import json

    text = resources.files("tthc").joinpath("data", SAMPLE_NAME).read_text(encoding="utf-8")
    return load_report(json.loads(text))


def cmd_demo(args: argparse.Namespace) -> int:
    folder = Path(args.out)
    result = run_pipeline(load_sample())
    code = _report_and_write(result, folder, overwrite=True)
    if code == EXIT_OK:
        assert result.report is not None
        sample = folder / f"{output_stem(result.report, 'SoLieu')}.json"
        text = resources.files("tthc").joinpath("data", SAMPLE_NAME).read_text(encoding="utf-8")
        write_text_atomic(sample, text, overwrite=True)
        _out(f"Đã ghi: {sample}")
    return code


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

    demo = commands.add_parser(
        "demo",
        help="chạy thử với số liệu mẫu tháng 3/2026 của xã Bình Giang",
        description="Lập báo cáo mẫu từ số liệu tháng 3/2026 của xã Bình Giang (có sẵn trong "
        "chương trình) và ghi vào thư mục chỉ định.",
    )
    demo.add_argument(
        "--out",
        default="tthc-demo",
        metavar="THƯ_MỤC",
        help="thư mục ghi kết quả (mặc định ./tthc-demo)",
    )
    demo.set_defaults(handler=cmd_demo)

    check = commands.add_parser(
        "check",
        help="kiểm tra số liệu, liệt kê lỗi và cảnh báo",
        description="Kiểm tra tệp số liệu: các đẳng thức của phụ lục, lĩnh vực, số liệu chỉ "
        "tiêu. Mã thoát 0 nếu không có lỗi, 1 nếu có lỗi, 2 nếu không dùng được tệp.",
    )
    check.add_argument("input", metavar="TỆP", help="tệp số liệu báo cáo (.json)")
    _add_settings_options(check)
    check.set_defaults(handler=cmd_check)

    report = commands.add_parser(
        "report",
        help="kiểm tra số liệu và viết báo cáo",
        description="Kiểm tra tệp số liệu rồi viết báo cáo (văn bản .txt). Khi còn lỗi, không "
        "ghi tệp nào và liệt kê các lỗi cần sửa.",
    )
    report.add_argument("input", metavar="TỆP", help="tệp số liệu báo cáo (.json)")
    report.add_argument(
        "-o",
        "--out",
        metavar="THƯ_MỤC",
        help="thư mục ghi báo cáo (mặc định: thư mục của tệp số liệu)",
    )
    report.add_argument("--force", action="store_true", help="ghi đè tệp báo cáo đã có cùng tên")
    _add_settings_options(report)
    report.set_defaults(handler=cmd_report)

    for sub in (parser, demo, check, report):
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "hiện hướng dẫn này rồi thoát"
    return parser


def run(argv: list[str] | None = None) -> int:
    """Parse and dispatch; returns the exit code instead of exiting (for tests)."""
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
    try:
        return int(args.handler(args))
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


def main() -> int:
    return run()


if __name__ == "__main__":
    sys.exit(main())
