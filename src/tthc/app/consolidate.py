"""A province's consolidation: the workbooks of many communes read, checked and summed.

Each file is read with the fast reader (python-calamine, `workbook.calamine_source`) and
checked by the same rules as a single report; only units whose data has no
error are summed. Nothing aborts the batch: a file that cannot be read, is not
the template, has errors, belongs to another period or repeats a unit already
taken is set aside with a Vietnamese reason, and the rest is consolidated.

The check per unit is the pipeline's (`canonicalise_fields`, `validate`) and
the unit-wide indicators are `indicator_parts` on the unit's totals, as
`compute_indicators` gives them; the narrative, which a consolidation does
not print, is not written. Many files are read in a process pool, in chunks:
on 2 cores that halves the wall time (see benchmarks/README.md).

Every entry of a folder given is accounted for (`scan_inputs`): read as a
workbook, or left out with its reason (an .xls or .ods file, a subfolder
without `recursive`, a dangling link, a FIFO or other special file, a lock
file, a second name of a file already counted, any other file), or counted
among the hidden and system files (.DS_Store, Thumbs.db, a temporary file of
an interrupted write). Entries are told apart by `os.scandir` and `os.stat`
alone: nothing is opened before it is known to be a regular file.

The workers die with the consolidation that started them, even when it is
killed with SIGKILL: on Linux the kernel kills them (PR_SET_PDEATHSIG), and
everywhere a thread in each worker watches the parent and ends the worker
when it is gone.
"""

from __future__ import annotations

import contextlib
import errno
import multiprocessing
import multiprocessing.connection
import os
import re
import signal
import stat
import sys
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from tthc.core.catalogue import field_key
from tthc.core.consolidation import (
    KEY_INDICATORS,
    Consolidation,
    KeyIndicator,
    SetAside,
    UnitResult,
)
from tthc.core.findings import Finding, Severity
from tthc.core.grid import Counts
from tthc.core.indicators import indicator_parts, unit_extras
from tthc.core.model import EXTRA_INPUTS, ExtraValues, FieldRow, Period
from tthc.core.report_data import LoadResult
from tthc.core.validation import canonicalise_fields, validate
from tthc.core.vn_format import format_period_label
from tthc.infra.os_messages import os_reason
from tthc.infra.own_inputs import first_own_input
from tthc.infra.package_guard import special_kind
from tthc.workbook.calamine_source import read_workbook_fast
from tthc.workbook.consolidation_sheets import (
    GRID_SHEET,
    SET_ASIDE_SHEET,
    UNITS_SHEET,
    WORKBOOK_TITLE,
)

__all__ = [
    "KEY_INDICATORS",
    "Consolidation",
    "KeyIndicator",
    "Scan",
    "SetAside",
    "UnitResult",
    "accounting",
    "consolidate",
    "expand_paths",
    "output_refusal",
    "scan_inputs",
]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# A pool pays from about this many files (measured on 2 cores): forked workers start at
# once, spawned ones (Windows, macOS) import the package first, about 0,3 s each.
POOL_THRESHOLD = 16
SPAWN_POOL_THRESHOLD = 200
CHUNKS_PER_WORKER = 8  # chunks small enough for an even load and a lively progress bar
MAX_CHUNK = 64
CRASHED = (
    "Tệp làm dừng đột ngột chương trình đọc (tệp hỏng theo cách lạ); hãy mở tệp bằng Excel, "
    "lưu lại rồi gửi lại."
)
# Why an entry of a folder is not read (one sentence each, as the reader's reasons are).
OTHER_SPREADSHEETS = (".xls", ".xlsb", ".xlt", ".xltx", ".xltm", ".ods", ".ots", ".fods")
UNSUPPORTED = (
    "Định dạng {suffix} chưa được hỗ trợ: hãy mở bằng Excel hoặc LibreOffice và lưu thành .xlsx."
)
SUBFOLDER = "Thư mục con, chưa đọc (thêm --recursive để đọc cả thư mục con)."
DANGLING = "Liên kết tới tệp không còn."
LINK_LOOP = "Liên kết vòng (liên kết trỏ về chính nó), không trỏ tới tệp nào."
SPECIAL = "Không phải tệp thông thường ({kind}); tệp không được mở."
NOT_WORKBOOK = "Không phải sổ tính (chỉ đọc tệp .xlsx, .xlsm)."
EXCEL_LOCK = (
    "Tệp khoá của Excel đang mở sổ tính: có sổ tính trong thư mục đang mở trong Excel, hãy "
    "lưu và đóng sổ tính rồi chạy lại (nếu không ai mở thì có thể xoá tệp này)."
)
LIBREOFFICE_LOCK = (
    "Tệp khoá của LibreOffice đang mở sổ tính «{name}»: hãy lưu và đóng sổ tính rồi chạy lại "
    "(nếu không ai mở thì có thể xoá tệp này)."
)
SAME_FILE = "Cùng một tệp với «{first}», đã tính một lần."
SAME_FOLDER = "Thư mục đã đọc (cùng thư mục với «{first}», có thể qua liên kết vòng)."
TOO_DEEP = "Thư mục lồng quá sâu (hơn {depth} cấp), chưa đọc."
CONSOLIDATION_FILE = (
    "Sổ tính tổng hợp (do lệnh tthc consolidate tạo), không phải sổ tính của một đơn vị."
)
# Hidden and system files: counted apart, never read.
HIDDEN = "Tệp ẩn."
SYSTEM_FILE = "Tệp hệ thống của Windows hoặc macOS, không phải sổ tính."
MAC_RESOURCE = "Tệp phụ do macOS tạo (bắt đầu bằng «._»), không phải sổ tính."
TEMPORARY = "Tệp tạm của một lần ghi bị ngắt giữa chừng (có thể xoá)."
SYSTEM_NAMES = frozenset(
    {
        ".ds_store",
        "thumbs.db",
        "ehthumbs.db",
        "ehthumbs_vista.db",
        "desktop.ini",
        "icon\r",
        "$recycle.bin",
        "system volume information",
    }
)
_TEMPORARY_NAME = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # safe_write's ".TongHop.xlsx.k3j…tmp"
_HIDDEN_ATTRIBUTES = 0x2 | 0x4  # Windows: FILE_ATTRIBUTE_HIDDEN, FILE_ATTRIBUTE_SYSTEM
MAX_DEPTH = 64
# How often a worker looks whether its parent is still there (the portable fallback).
WATCH_SECONDS = 0.5
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class _Read:
    """What one file gives, small enough to send back from a worker process."""

    path: Path
    problem: SetAside | None = None
    key: tuple[str, str] = ("", "")  # (kind, field_key(name)): the unit's identity
    result: UnitResult | None = None
    rows: tuple[FieldRow, ...] = ()
    extras: ExtraValues = field(default_factory=ExtraValues)


# --- reading one file ------------------------------------------------------------------------


def _errors(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity is Severity.ERROR]


def _unusable(path: Path, loaded: LoadResult) -> _Read:
    errors = _errors(loaded.findings)
    if len(errors) == 1 and errors[0].code in ("file.unreadable", "workbook.not_template"):
        return _Read(path, SetAside(path, errors[0].message))
    details = tuple(f.describe() for f in errors)
    reason = f"Không đọc được báo cáo trong sổ tính: {len(errors)} lỗi (xem chi tiết)."
    return _Read(path, SetAside(path, reason, details))


def _read_one(path: Path) -> _Read:
    """Read and check one workbook; never raises, whatever the file holds."""
    try:
        return _check(path, read_workbook_fast(path))
    except Exception as problem:  # one strange file must not stop a province
        reason = (
            f"Lỗi không lường trước khi đọc tệp ({type(problem).__name__}); hãy mở tệp bằng "
            "Excel, lưu lại rồi gửi lại."
        )
        return _Read(path, SetAside(path, reason))


def _check(path: Path, loaded: LoadResult) -> _Read:
    """The pipeline's checks (without the narrative) and the unit's figures."""
    if loaded.report is None:
        return _unusable(path, loaded)
    report, field_findings = canonicalise_fields(loaded.report)
    later = (*field_findings, *validate(report))
    if loaded.locator is not None:
        later = tuple(loaded.locator(f) for f in later)
    findings = (*loaded.findings, *later)
    errors = _errors(findings)
    name = report.unit.full_name
    if errors:
        reason = (
            f"{name[:1].upper()}{name[1:]}: số liệu còn {len(errors)} lỗi; đơn vị chưa được "
            "cộng vào tổng hợp (sửa rồi gửi lại)."
        )
        return _Read(path, SetAside(path, reason, tuple(f.describe() for f in errors)))
    total = report.total
    extras = unit_extras(report)
    indicators = {}
    for code in KEY_INDICATORS:
        numerator, denominator = indicator_parts(code, total, extras, report.settings)
        rate = None
        verdict = None
        if numerator is not None and denominator:
            rate = Fraction(numerator, denominator)
            target = report.targets.get(code)
            verdict = None if target is None else target.is_met(numerator, denominator)
        indicators[code] = KeyIndicator(numerator, denominator, rate, verdict)
    result = UnitResult(
        path=path,
        unit=name,
        period=report.period,
        indicators=indicators,
        late=total.late,
        pending_overdue=total.pending_overdue,
        errors=0,
        warnings=sum(f.severity is Severity.WARNING for f in findings),
        rate_rounding=report.settings.rate_rounding,
    )
    key = (report.unit.kind.value, field_key(report.unit.name))
    return _Read(path, None, key, result, report.rows, extras)


def _read_chunk(paths: Sequence[Path]) -> list[_Read]:
    return [_read_one(path) for path in paths]


# --- the batch -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scan:
    """What the paths given hold: the workbooks to read, and every other entry with its reason.

    Nothing is opened to tell: only `os.scandir` and `os.stat`, so a FIFO or a
    socket in a folder is named, never read (opening a FIFO waits for ever).
    """

    files: tuple[Path, ...]  # to read, in order: files given, then each folder's by name
    not_read: tuple[SetAside, ...]  # left out with a reason, never opened
    hidden: tuple[SetAside, ...]  # hidden and system files: counted apart, never opened
    folders: tuple[Path, ...]  # the folders looked into

    @property
    def entries(self) -> int:
        return len(self.files) + len(self.not_read) + len(self.hidden)

    def paths(self) -> Iterator[Path]:
        """Every path given or found: none of them may be written over (see `own_inputs`)."""
        yield from self.folders
        yield from self.files
        for item in (*self.not_read, *self.hidden):
            yield item.path


def expand_paths(paths: Iterable[Path], *, recursive: bool = False) -> list[Path]:
    """The workbooks to read: files as given, a folder's .xlsx/.xlsm files sorted by name.

    See `scan_inputs` for what is left out and why; a file named twice is read once.
    """
    return list(scan_inputs(paths, recursive=recursive).files)


def output_refusal(target: Path, scan: Scan, *, force: bool) -> str | None:
    """Why the consolidation may not write `target` (a Vietnamese sentence), or None.

    Asked after the scan (stat only, nothing opened) and before any reading: the
    output may be none of the inputs, even with --force, and an existing output
    needs --force. The CLI and any other caller state the same reason.
    """
    if not os.path.lexists(target):
        return None
    same = first_own_input(target, scan.paths())
    if same is not None:
        named = "" if str(same) == str(target) else f" (chính là tệp {same})"
        where = ", ở ngoài thư mục đang tổng hợp" if scan.folders else ""
        return (
            f"Tệp kết quả {target} là một tệp đầu vào của lần tổng hợp này{named}; không "
            f"ghi đè tệp đầu vào, kể cả khi có --force. Hãy chọn tên khác bằng -o{where}."
        )
    if not force:
        return f"Tệp {target} đã có; thêm --force để ghi đè hoặc chọn tên khác."
    return None


def scan_inputs(paths: Iterable[Path], *, recursive: bool = False) -> Scan:
    """Every entry of the paths given, each read as a workbook or set aside with its reason.

    A folder gives its entries in name order; with `recursive` its subfolders too
    (each folder once, whatever links lead to it), else each subfolder is named as
    not read. A file reached twice (named twice, a link, a hard link) is read once
    and the second name is listed. A file given by name is read whatever its
    suffix (the reader then says what it is), unless it is not a regular file, an
    .xls/.ods workbook or a lock file.
    """
    scanner = _Scanner(recursive)
    for path in paths:
        scanner.given(Path(path))
    return Scan(
        tuple(scanner.files), tuple(scanner.not_read), tuple(scanner.hidden), tuple(scanner.folders)
    )


Identity = tuple[int, int] | str


def _identity(status: os.stat_result, path: Path) -> Identity:
    """Device and inode: one file under any name (a link, a hard link, another case)."""
    if status.st_ino:
        return (status.st_dev, status.st_ino)
    with contextlib.suppress(OSError):  # Windows: DirEntry.stat() has no inode
        full = os.stat(path)
        if full.st_ino:
            return (full.st_dev, full.st_ino)
    return os.path.normcase(os.path.realpath(path))


def _hidden_reason(name: str, entry: os.DirEntry[str]) -> str | None:
    """Why an entry is a hidden or system file, or None when it is not one."""
    folded = name.casefold()
    if folded in SYSTEM_NAMES:
        return SYSTEM_FILE
    if name.startswith("._"):
        return MAC_RESOURCE
    if name.startswith("."):
        return TEMPORARY if _TEMPORARY_NAME.match(folded) else HIDDEN
    if os.name == "nt":  # the hidden or system attribute (free on Windows: no extra call)
        with contextlib.suppress(OSError):
            attributes = getattr(entry.stat(follow_symlinks=False), "st_file_attributes", 0)
            if attributes & _HIDDEN_ATTRIBUTES:
                return HIDDEN
    return None


def _by_name(name: str) -> str | None:
    """Why a regular file is not read, from its name alone, or None to read it."""
    if name.startswith("~$"):
        return EXCEL_LOCK
    if name.startswith(".~lock.") and name.endswith("#"):
        return LIBREOFFICE_LOCK.format(name=name[len(".~lock.") : -1])
    suffix = Path(name).suffix.lower()
    if suffix in OTHER_SPREADSHEETS:
        return UNSUPPORTED.format(suffix=suffix)
    return None


class _Scanner:
    """The walk of `scan_inputs`: what was found so far, and which files and folders were seen."""

    def __init__(self, recursive: bool) -> None:
        self.recursive = recursive
        self.files: list[Path] = []
        self.not_read: list[SetAside] = []
        self.hidden: list[SetAside] = []
        self.folders: list[Path] = []
        self.seen_files: dict[Identity, Path] = {}
        self.seen_folders: dict[Identity, Path] = {}

    def _leave(self, path: Path, reason: str) -> None:
        self.not_read.append(SetAside(path, reason))

    def _unreachable(self, path: Path, problem: OSError, *, link: bool) -> None:
        if isinstance(problem, FileNotFoundError) and link:
            self._leave(path, DANGLING)
        elif problem.errno == errno.ELOOP:
            self._leave(path, LINK_LOOP)
        elif isinstance(problem, FileNotFoundError):
            self._leave(path, "Tệp đã bị xoá hoặc đổi tên trong lúc đọc thư mục.")
        else:
            self._leave(path, f"Không xem được tệp: {os_reason(problem)}.")

    def given(self, path: Path) -> None:
        """A path from the command line: a folder to look into, or a file to read."""
        try:
            status = os.stat(path)
        except OSError as problem:
            if isinstance(problem, FileNotFoundError) and not os.path.islink(path):
                self.files.append(path)  # the reader says «Không tìm thấy tệp.»
            else:
                self._unreachable(path, problem, link=os.path.islink(path))
            return
        if stat.S_ISDIR(status.st_mode):
            self._folder(path, status, 0)
        elif not stat.S_ISREG(status.st_mode):
            self._leave(path, SPECIAL.format(kind=special_kind(status.st_mode)))
        elif (reason := _by_name(path.name)) is not None:
            self._leave(path, reason)
        else:
            self._file(path, status)

    def _file(self, path: Path, status: os.stat_result) -> None:
        identity = _identity(status, path)
        first = self.seen_files.get(identity)
        if first is not None:
            self._leave(path, SAME_FILE.format(first=first))
            return
        self.seen_files[identity] = path
        self.files.append(path)

    def _folder(self, folder: Path, status: os.stat_result, depth: int) -> None:
        identity = _identity(status, folder)
        first = self.seen_folders.get(identity)
        if first is not None:
            self._leave(folder, SAME_FOLDER.format(first=first))
            return
        self.seen_folders[identity] = folder
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as problem:
            reason = (
                "không có quyền mở thư mục"
                if isinstance(problem, PermissionError)
                else os_reason(problem)
            )
            self._leave(folder, f"Không đọc được danh sách tệp trong thư mục: {reason}.")
            return
        self.folders.append(folder)
        for entry in entries:
            self._entry(folder, entry, depth)

    def _entry(self, folder: Path, entry: os.DirEntry[str], depth: int) -> None:
        name = entry.name
        path = folder / name
        reason = _by_name(name) if name.startswith(("~$", ".~lock.")) else None
        if reason is not None:  # a lock file says a workbook is open: not to be hidden
            self._leave(path, reason)
            return
        hidden = _hidden_reason(name, entry)
        if hidden is not None:
            self.hidden.append(SetAside(path, hidden))
            return
        try:
            status = entry.stat()  # follows a link; a stat, never an open
        except OSError as problem:
            self._unreachable(path, problem, link=entry.is_symlink())
            return
        if stat.S_ISDIR(status.st_mode):
            if not self.recursive:
                self._leave(path, SUBFOLDER)
            elif depth + 1 > MAX_DEPTH:
                self._leave(path, TOO_DEEP.format(depth=MAX_DEPTH))
            else:
                self._folder(path, status, depth + 1)
        elif not stat.S_ISREG(status.st_mode):
            self._leave(path, SPECIAL.format(kind=special_kind(status.st_mode)))
        elif (reason := _by_name(name)) is not None:
            self._leave(path, reason)
        elif Path(name).suffix.lower() in WORKBOOK_SUFFIXES:
            self._file(path, status)
        else:
            self._leave(path, NOT_WORKBOOK)


def _workers(requested: int | None) -> int:
    if requested is not None:
        return max(1, requested)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _pool_threshold() -> int:
    """How many files a pool needs to pay, for the start method the pool will use."""
    method = multiprocessing.get_start_method(allow_none=True)
    method = method or multiprocessing.get_all_start_methods()[0]  # the platform's default
    return POOL_THRESHOLD if method == "fork" else SPAWN_POOL_THRESHOLD


def _ask_for_death_signal() -> None:
    """Linux: have the kernel send this process SIGKILL when its parent dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):  # no libc, no prctl: the watching thread remains
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        no = ctypes.c_ulong(0)
        libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), no, no, no)


def _parent_gone(ppid: int, sentinel: int | None, timeout: float) -> bool:
    """Whether the parent has died: its sentinel is signalled, or this process was re-parented.

    The sentinel (`multiprocessing.parent_process()`) is a pipe whose far end only
    the parent holds (POSIX) or the parent's process handle (Windows).
    """
    if sentinel is not None:
        try:
            if multiprocessing.connection.wait([sentinel], timeout):
                return True
        except (OSError, ValueError):
            time.sleep(timeout)
    else:
        time.sleep(timeout)
    return os.name == "posix" and os.getppid() != ppid


def _watch_parent(ppid: int, sentinel: int | None) -> None:
    while not _parent_gone(ppid, sentinel, WATCH_SECONDS):
        pass
    os._exit(1)


def _worker_start(parent: int, forked: bool) -> None:
    """A reading process's start: it dies with the consolidation, even one killed by SIGKILL.

    On Linux the kernel kills it (PR_SET_PDEATHSIG); the parent may have died
    before that was asked, which the parent pid tells. Everywhere, a thread
    watches the parent and ends the process when the parent is gone. Ctrl-C is
    the parent's to handle: it stops the pool (`_read_all`).
    """
    with contextlib.suppress(Exception):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    ppid = os.getppid()
    _ask_for_death_signal()
    sentinel = getattr(multiprocessing.parent_process(), "sentinel", None)
    if (os.name == "posix" and forked and ppid != parent) or _parent_gone(ppid, sentinel, 0):
        os._exit(1)
    watcher = threading.Thread(
        target=_watch_parent, args=(ppid, sentinel), name="tthc-parent", daemon=True
    )
    watcher.start()


def _pool(workers: int) -> ProcessPoolExecutor:
    """A pool whose workers die with this process (see `_worker_start`)."""
    context = multiprocessing.get_context()
    forked = context.get_start_method() == "fork"
    return ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_start,
        initargs=(os.getpid(), forked),
    )


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (Ctrl-C, an error): cancel what waits, kill what runs."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.kill()


@contextlib.contextmanager
def _running(workers: int) -> Iterator[ProcessPoolExecutor]:
    """A pool shut down normally when done, stopped at once when interrupted."""
    pool = _pool(workers)
    try:
        yield pool
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _read_all(files: list[Path], workers: int, progress: bool) -> Iterator[_Read]:
    bar = None
    try:
        if workers > 1 and len(files) >= _pool_threshold():
            size = max(1, min(MAX_CHUNK, len(files) // (workers * CHUNKS_PER_WORKER)))
            chunks = [files[i : i + size] for i in range(0, len(files), size)]
            done = 0
            with _running(workers) as pool:
                results = pool.map(_read_chunk, chunks)  # workers start here, before any thread
                bar = _bar(len(files), progress)
                try:
                    for chunk in results:
                        yield from chunk
                        done += len(chunk)
                        if bar is not None:
                            bar.update(len(chunk))
                except BrokenProcessPool:
                    pass  # a worker died (a crash in a native library): go on file by file
            for read in _isolated(files[done:]):
                yield read
                if bar is not None:
                    bar.update(1)
        else:
            bar = _bar(len(files), progress)
            for path in files:
                yield _read_one(path)
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()


def _isolated(files: list[Path]) -> Iterator[_Read]:
    """Each file in a process of its own, so a file that kills its reader costs only itself.

    Only used after a worker died, which a Python exception never causes: slow and rare.
    """
    for path in files:
        with _running(1) as pool:
            try:
                read = pool.submit(_read_one, path).result()
            except BrokenProcessPool:
                read = _Read(path, SetAside(path, CRASHED))
        yield read  # outside the pool: the consumer may stop here


def _bar(total: int, progress: bool) -> Any:
    """A tqdm bar on stderr, or None; tqdm is imported only when asked for."""
    if not progress:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="tệp", desc="Đọc sổ tính", file=sys.stderr)


@dataclass
class _PeriodSum:
    """The units of one period, summed as they come: the consolidation if that period wins.

    Kept per period so that nothing but the running sums and one line per unit
    stays in memory, whatever the number of files.
    """

    units: list[tuple[int, UnitResult]] = field(default_factory=list)
    taken: dict[tuple[str, str], tuple[Path, str]] = field(default_factory=dict)
    duplicates: list[tuple[int, UnitResult, SetAside]] = field(default_factory=list)
    rows: dict[str, tuple[str, Counts]] = field(default_factory=dict)
    extras: dict[str, int | None] = field(default_factory=dict)

    def add(self, index: int, read: _Read) -> None:
        result = read.result
        assert result is not None
        first = self.taken.get(read.key)
        if first is not None:
            first_path, first_unit = first
            spelt = "" if result.unit == first_unit else f" (tệp này ghi «{result.unit}»)"
            reason = (
                f"Trùng đơn vị {first_unit}, đã lấy từ tệp «{first_path}»; tệp "
                f"«{read.path}»{spelt} không được cộng."
            )
            self.duplicates.append((index, result, SetAside(read.path, reason)))
            return
        self.taken[read.key] = (read.path, result.unit)
        self.units.append((index, result))
        for row in read.rows:
            key = field_key(row.field)
            name, counts = self.rows.get(key, (row.field, Counts()))
            self.rows[key] = (name, counts + row.counts)
        for key, _label in EXTRA_INPUTS:  # a sum only while every unit gives the value
            value, so_far = read.extras.get(key), self.extras.get(key, 0)
            self.extras[key] = None if value is None or so_far is None else so_far + value


def _is_consolidation_workbook(path: Path) -> bool:
    """Whether a workbook that is not the template is one `consolidation_workbook` wrote.

    A consolidation written into the folder it sums is in the folder at the next
    run: it is named for what it is, not as a foreign workbook. Its title and
    sheets tell, read from the package's small parts only (never more than 1 MB).
    """
    try:
        with zipfile.ZipFile(path) as archive:
            parts = []
            for name in ("docProps/core.xml", "xl/workbook.xml"):
                with contextlib.suppress(KeyError), archive.open(name) as part:
                    parts.append(part.read(1_000_000).decode("utf-8", "replace"))
    except Exception:  # not a zip, a zip bomb's header, anything: not ours
        return False
    text = "".join(parts)
    sheets = all(f'name="{sheet}"' in text for sheet in (UNITS_SHEET, GRID_SHEET, SET_ASIDE_SHEET))
    return sheets or f">{WORKBOOK_TITLE}<" in text


def consolidate(
    paths: Sequence[Path] | Scan,
    *,
    workers: int | None = None,
    progress: bool = False,
    recursive: bool = False,
) -> Consolidation:
    """Read every workbook, check each unit, sum those without errors.

    `paths` are files or folders (a folder's .xlsx/.xlsm files, sorted; with
    `recursive`, its subfolders' too), or what `scan_inputs` found in them; every
    other entry is listed in `not_read` or `hidden`, with its reason. The
    period is the one most units report (a unit sent twice counts once; the
    period seen first wins a tie); a unit of another period is refused, and so
    is a unit already taken from an earlier file (same kind and name).
    `workers`: the number of processes (default: the usable CPUs; 1 reads in
    this process).
    """
    scan = paths if isinstance(paths, Scan) else scan_inputs(paths, recursive=recursive)
    files = list(scan.files)
    skipped: list[SetAside] = []
    by_period: dict[Period, _PeriodSum] = {}
    for index, read in enumerate(_read_all(files, _workers(workers), progress)):
        if read.problem is not None or read.result is None:
            aside = read.problem or SetAside(read.path, "Không đọc được tệp.")
            if not aside.details and _is_consolidation_workbook(read.path):
                aside = SetAside(read.path, CONSOLIDATION_FILE)
            skipped.append(aside)
            continue
        by_period.setdefault(read.result.period, _PeriodSum()).add(index, read)
    if not by_period:
        return Consolidation(
            (), tuple(skipped), (), (), ExtraValues(), None, scan.not_read, scan.hidden
        )
    period, chosen = max(by_period.items(), key=lambda item: len(item[1].taken))
    refused = [(index, aside) for index, _result, aside in chosen.duplicates]
    for other, lost in by_period.items():
        if other == period:
            continue
        everyone = [*lost.units, *((index, result) for index, result, _ in lost.duplicates)]
        for index, result in everyone:
            theirs = format_period_label(result.period.start, result.period.end)
            ours = format_period_label(period.start, period.end)
            reason = (
                f"{_capital(result.unit)} báo cáo {theirs}, khác kỳ tổng hợp {ours}; "
                "tệp không được cộng."
            )
            refused.append((index, SetAside(result.path, reason)))
    return Consolidation(
        units=tuple(result for _index, result in chosen.units),
        skipped=tuple(skipped),
        refused=tuple(aside for _index, aside in sorted(refused, key=lambda item: item[0])),
        rows=tuple(FieldRow(name, counts) for name, counts in chosen.rows.values()),
        extras=ExtraValues(**{key: chosen.extras.get(key) for key, _label in EXTRA_INPUTS}),
        period=period,
        not_read=scan.not_read,
        hidden=scan.hidden,
    )


def accounting(c: Consolidation) -> str:
    """The last line a consolidation prints: every entry looked at, and what became of it."""
    parts = [f"{len(c.units)} đã cộng"]
    for items, what in (
        (c.skipped, "không dùng được (tệp hỏng, không đúng mẫu hoặc còn lỗi)"),
        (c.refused, "từ chối (khác kỳ hoặc trùng đơn vị)"),
        (c.not_read, "không đọc (không phải sổ tính .xlsx, .xlsm hoặc không đọc được, xem trên)"),
        (c.hidden, "tệp ẩn, tệp hệ thống"),
    ):
        if items:
            parts.append(f"{len(items)} {what}")
    return f"Tổng cộng {c.entries} mục: {', '.join(parts)}."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
