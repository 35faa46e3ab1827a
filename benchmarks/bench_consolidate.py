"""A province's consolidation timed: N commune workbooks read, checked and summed.

Run from the project root with the package installed (no pytest needed):

    python benchmarks/bench_consolidate.py [--units 3321] [--workers 2] [--baseline-sample 100]

1. Generates N filled workbooks in a temporary folder (3.321: every commune-level
   unit of the country). One workbook is built with openpyxl from a report of
   7 fields with every extra input filled in; each unit is a copy of it in which
   the input cells' values (unit name, the 77 grid counts, the 7 extra inputs)
   are replaced in the sheet XML by random valid figures, and the package is
   zipped again with the same compression as openpyxl uses. Generation is not
   what is measured.
2. Times `consolidate()` on the folder (the fast reader: sheet XML, calamine for
   unusual parts; a process pool of --workers processes), in a fresh Python process so
   nothing of the generation lingers in it, and checks that every unit was accepted.
3. In the same run, a baseline: the same files read with plain openpyxl
   (`workbook.reader.read_workbook`, which opens each file twice: formulas and
   cached values) and the same checks, in one process. For N above
   --baseline-sample it times an evenly spread sample of that many files and
   extrapolates per file (it says so). The fast reader is timed on the same
   sample in one process as well, so the reader's own gain is shown apart from
   the pool's.
4. Peak memory (ru_maxrss of the process and of its largest worker) of
   `consolidate()` for N and a few smaller N, each in a fresh process, to show
   it stays flat: nothing is kept per unit but a few numbers.

Files are read from the page cache (they were just written): the timing is of
the CPU work, not of a network share or a cold disk.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import replace
from importlib import resources
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from tthc.app.consolidate import _check, consolidate
from tthc.core.grid import DERIVED_COLUMNS, INPUT_COLUMNS, Counts
from tthc.core.model import EXTRA_INPUTS, ExtraInputs, ExtraValues, ReportInput, Unit
from tthc.core.report_data import LoadResult, load_report
from tthc.workbook.calamine_source import FastSource, read_workbook_fast
from tthc.workbook.output import workbook_bytes
from tthc.workbook.reader import grid_fields, read_workbook
from tthc.workbook.summary_formulas import EXTRA_LETTERS
from tthc.workbook.template import build_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from goals import Goal, decimal, seconds

COUNTRY_UNITS = 3321
TARGET_SECONDS = 5.0
TARGET_RATIO = 10.0
MEMORY_SIZES = (100, 1000)  # plus N itself


# --- generation -------------------------------------------------------------------------------


def _base_report() -> ReportInput:
    """The bundled sample with every unit-wide extra input and no per-department ones."""
    text = resources.files("tthc").joinpath("data", "binh_giang_2026_03.json").read_text("utf-8")
    loaded = load_report(json.loads(text))
    assert loaded.report is not None, [f.describe() for f in loaded.findings]
    unit = Unit(loaded.report.unit.kind, "Mẫu")
    extras = ExtraInputs(ExtraValues(**{key: 1 for key, _ in EXTRA_INPUTS}))
    return replace(loaded.report, unit=unit, extras=extras)


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet title -> its part in the package (openpyxl numbers them in order)."""
    workbook = archive.read("xl/workbook.xml").decode("utf-8")
    titles = re.findall(r'<sheet [^>]*name="([^"]*)"', workbook)
    return {title: f"xl/worksheets/sheet{index}.xml" for index, title in enumerate(titles, 1)}


_FORMULA = re.compile(r"<f(?:\s[^>]*)?(?:/>|>[^<]*</f>)")


def _slots(xml: str, cells: dict[str, str]) -> list[str | tuple[str, str, str | None]]:
    """The sheet XML cut around the given cells: literal text, then (slot, start tag,
    formula) pieces; a formula cell keeps its formula and gets its result replaced."""
    found = []
    for ref, slot in cells.items():
        match = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', xml)
        assert match is not None, ref
        style = re.search(r'\ss="(\d+)"', match.group("attrs"))
        formula = _FORMULA.match(match.group("body") or "")
        found.append(
            (
                match.start(),
                match.end(),
                ref,
                slot,
                style.group(1) if style else "0",
                formula.group(0) if formula else None,
            )
        )
    found.sort()
    pieces: list[str | tuple[str, str, str | None]] = []
    position = 0
    for start, end, ref, slot, style, formula in found:
        pieces.append(xml[position:start])
        pieces.append((slot, f'<c r="{ref}" s="{style}"', formula))
        position = end
    pieces.append(xml[position:])
    return pieces


def _fill(pieces: list[str | tuple[str, str, str | None]], values: dict[str, object]) -> bytes:
    out = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        slot, head, formula = piece
        value = values[slot]
        if formula is not None:  # the result Excel would have saved with it
            out.append(f"{head}>{formula}<v>{value}</v></c>")
        elif isinstance(value, str):
            out.append(f'{head} t="inlineStr"><is><t>{escape(value)}</t></is></c>')
        else:
            out.append(f'{head} t="n"><v>{value}</v></c>')
    return "".join(out).encode("utf-8")


def _random_unit(
    rng: random.Random, index: int, fields: int, untouched: Counts
) -> dict[str, object]:
    """Valid figures: (3) = (7) + (13) on every row, numerators within their denominators;
    the sums saved with the formulas as Excel saves them (`untouched`: the sample's rows
    the generation leaves as they are, in the Tổng cộng row)."""
    values: dict[str, object] = {"name": f"Đơn vị {index:04d}"}
    received = in_period = resolved_with_result = 0
    grid_total = untouched
    for row in range(fields):
        online, direct, carried = rng.randint(0, 400), rng.randint(0, 80), rng.randint(0, 6)
        total = online + direct + carried
        pending = rng.randint(0, min(total, 12))
        in_time = rng.randint(0, pending)
        overdue = rng.randint(0, pending - in_time)
        supplement = pending - in_time - overdue
        left = total - pending
        late = rng.randint(0, min(left, 3))
        refused = rng.randint(0, min(left - late, 3))
        withdrawn = rng.randint(0, min(left - late - refused, 2))
        early = rng.randint(0, left - late - refused - withdrawn)
        on_time = left - late - refused - withdrawn - early
        counts = (
            online,
            direct,
            carried,
            early,
            on_time,
            late,
            refused,
            withdrawn,
            in_time,
            overdue,
            supplement,
        )
        for column, value in zip(INPUT_COLUMNS, counts, strict=True):
            values[f"g{row}.{column.number}"] = value
        row_counts = Counts(**{c.key: v for c, v in zip(INPUT_COLUMNS, counts, strict=True)})
        for column in DERIVED_COLUMNS:  # the sums Excel saves with their formulas
            values[f"g{row}.{column.number}"] = row_counts.value(column.number)
        grid_total = grid_total + row_counts
        received += total
        in_period += online + direct
        resolved_with_result += early + on_time + late
    for number in range(3, 17):  # the Tổng cộng row: every column is a sum
        values[f"t.{number}"] = grid_total.value(number)
    with_fee = rng.randint(0, in_period)
    feedback = rng.randint(0, 5)
    values.update(
        with_fee=with_fee,
        paid_online=rng.randint(0, with_fee),
        updated=rng.randint(received * 9 // 10, received),
        digitised=rng.randint(resolved_with_result * 9 // 10, resolved_with_result),
        reused=rng.randint(0, in_period),
        feedback_received=feedback,
        feedback_handled=rng.randint(0, feedback),
    )
    return values


def generate(folder: Path, units: int, seed: int = 2026) -> float:
    """N unit workbooks in `folder`; returns the seconds it took."""
    started = time.perf_counter()
    report = _base_report()
    book = build_workbook(report)
    base = workbook_bytes(book)
    fields = len(report.rows)
    # The grid's first `fields` rows get random figures; the sample's rows below them keep
    # theirs, and count in the Tổng cộng row.
    replaced = set(grid_fields(FastSource.from_bytes(base))[:fields])
    untouched = Counts.total(row.counts for row in report.rows if row.field not in replaced)

    def where(name: str) -> tuple[str, int, int]:
        ((title, ref),) = list(book.defined_names[name].destinations)
        first = ref.replace("$", "").split(":")[0]
        column = ord(first[0]) - 64
        return title, int(first[1:]), column

    info_title, name_row, name_column = where("TTHC_UNIT_NAME")
    grid_title, grid_row, _ = where("TTHC_GRID")
    _total_title, total_row, _ = where("TTHC_GRID_TOTAL")
    extras_title, extras_row, _ = where("TTHC_EXTRAS")
    departments = len(report.catalogue.departments)
    unit_row = extras_row + departments  # the last row of TTHC_EXTRAS: the whole unit
    extra_columns = EXTRA_LETTERS  # Chỉ tiêu's input columns, as the template lays them out
    cells: dict[str, dict[str, str]] = {
        info_title: {f"{chr(64 + name_column)}{name_row}": "name"},
        grid_title: {
            f"{chr(64 + column.number)}{grid_row + row}": f"g{row}.{column.number}"
            for row in range(fields)
            for column in (*INPUT_COLUMNS, *DERIVED_COLUMNS)
        }
        | {f"{chr(64 + number)}{total_row}": f"t.{number}" for number in range(3, 17)},
        extras_title: {f"{letter}{unit_row}": key for key, letter in extra_columns.items()},
    }
    with zipfile.ZipFile(BytesIO(base)) as archive:
        parts = _sheet_parts(archive)
        members = [(info, archive.read(info)) for info in archive.infolist()]
    templates = {
        parts[title]: _slots(
            next(data for info, data in members if info.filename == parts[title]).decode(),
            chosen,
        )
        for title, chosen in cells.items()
    }
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(1, units + 1):
        values = _random_unit(rng, index, fields, untouched)
        target = folder / f"don-vi-{index:04d}.xlsx"
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
            for info, data in members:
                pieces = templates.get(info.filename)
                out.writestr(info.filename, data if pieces is None else _fill(pieces, values))
    return time.perf_counter() - started


# --- measuring --------------------------------------------------------------------------------


def _peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kB on Linux


def measure(folder: Path, limit: int, workers: int | None) -> dict[str, object]:
    """consolidate() on the first `limit` files; run in a fresh process by the parent."""
    from tthc.workbook.consolidation_sheets import consolidation_workbook

    files = sorted(folder.glob("*.xlsx"))[:limit]
    started = time.perf_counter()
    done = consolidate(files, workers=workers)
    seconds = time.perf_counter() - started
    output = workbook_bytes(consolidation_workbook(done))  # what `tthc consolidate` writes
    with_output = time.perf_counter() - started
    return {
        "files": len(files),
        "seconds": seconds,
        "seconds_with_output": with_output,
        "output_bytes": len(output),
        "units": len(done.units),
        "set_aside": len(done.skipped) + len(done.refused),
        "received": done.total.received,
        "peak_self_mib": _peak_mib(resource.RUSAGE_SELF),
        "peak_worker_mib": _peak_mib(resource.RUSAGE_CHILDREN),
    }


def _measure_in_child(folder: Path, limit: int, workers: int | None) -> dict[str, object]:
    command = [sys.executable, __file__, "--measure", str(folder), "--units", str(limit)]
    if workers is not None:
        command += ["--workers", str(workers)]
    completed = subprocess.run(
        command, capture_output=True, text=True, encoding="utf-8", check=False
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    return json.loads(completed.stdout)


def _per_file(read: Callable[[Path], LoadResult], files: list[Path]) -> float:
    """Seconds per file of read + the consolidation's checks, in this process."""
    started = time.perf_counter()
    for path in files:
        checked = _check(path, read(path))
        assert checked.result is not None, checked.problem
    return (time.perf_counter() - started) / len(files)


def _fair_openpyxl(path: Path) -> tuple[str, int, int]:
    """The fair baseline: the file opened once, read-only, cached values only, the same figures.

    The unit's name, the grid's counts and the unit's extra inputs, through the
    defined names, summed; no checks. Anything that consolidates with openpyxl
    does at least this much.
    """
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        figures = 0
        name = ""
        for label in ("TTHC_UNIT_NAME", "TTHC_GRID", "TTHC_EXTRAS"):
            ((title, ref),) = list(book.defined_names[label].destinations)
            first, _, last = ref.replace("$", "").partition(":")
            sheet = book[title]
            bounds = _bounds(first, last or first)
            for row in sheet.iter_rows(*bounds, values_only=True):
                for value in row:
                    if isinstance(value, int | float) and not isinstance(value, bool):
                        figures += int(value)
                    elif label == "TTHC_UNIT_NAME" and value:
                        name = str(value)
        return name, figures, 0
    finally:
        book.close()


def _bounds(first: str, last: str) -> tuple[int, int, int, int]:
    """(min_row, max_row, min_col, max_col) of 'B9:P40' for iter_rows."""
    (c1, r1), (c2, r2) = (_split(first), _split(last))
    return r1, r2, c1, c2


def _split(address: str) -> tuple[int, int]:
    letters = "".join(ch for ch in address if ch.isalpha())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch.upper()) - 64
    return column, int(address[len(letters) :])


def _per_file_plain(read: Callable[[Path], object], files: list[Path]) -> float:
    started = time.perf_counter()
    for path in files:
        read(path)
    return (time.perf_counter() - started) / len(files)


def goals(folder: Path, n: int, workers: int | None, sample_size: int = 100) -> list[Goal]:
    """The issue's three goals for `n` generated files in `folder` (see the module docstring)."""
    run = _measure_in_child(folder, n, workers)
    assert run["units"] == n and run["set_aside"] == 0, run
    one = _measure_in_child(folder, n, 1)
    files = sorted(folder.glob("*.xlsx"))[:n]
    sample = _sample(files, sample_size)
    _per_file(read_workbook_fast, sample[:5])
    _per_file_plain(_fair_openpyxl, sample[:2])
    fair = _per_file_plain(_fair_openpyxl, sample)
    ours_one_worker = one["seconds_with_output"] / n
    ratio = fair / ours_one_worker
    small = _measure_in_child(folder, min(100, n), workers)
    growth = run["peak_self_mib"] / max(small["peak_self_mib"], 1.0)
    label = f"{n:,}".replace(",", ".")
    return [
        Goal(
            f"consolidate {label} workbooks, output workbook included ({workers or 'all'} workers)",
            "< 5 s" if n == COUNTRY_UNITS else f"< 5 s for {COUNTRY_UNITS} (run --units)",
            seconds(run["seconds_with_output"]),
            f"fair openpyxl read-only, 1 process: {seconds(fair * n)} (extrapolated from "
            f"{len(sample)} files)",
            f"{decimal(fair * n / run['seconds_with_output'])}× faster",
            n == COUNTRY_UNITS and run["seconds_with_output"] < TARGET_SECONDS,
        ),
        Goal(
            "consolidate with one worker against the fair openpyxl baseline",
            "≥ 10×",
            f"{decimal(ours_one_worker * 1000, 2)} ms a file "
            f"({seconds(one['seconds_with_output'])} in all)",
            f"openpyxl read-only, data only, opened once: {decimal(fair * 1000, 2)} ms a file",
            f"{decimal(ratio)}×",
            ratio >= TARGET_RATIO,
        ),
        Goal(
            "consolidate memory, flat in the number of files",
            "peak within 1,25× from 100 files",
            f"{decimal(run['peak_self_mib'], 0)} MiB at {label} files",
            f"{decimal(small['peak_self_mib'], 0)} MiB at {small['files']} files",
            f"{decimal(growth, 2)}×",
            growth <= 1.25,
        ),
    ]


def _sample(files: list[Path], size: int) -> list[Path]:
    if len(files) <= size:
        return files
    step = len(files) / size
    return [files[int(i * step)] for i in range(size)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=COUNTRY_UNITS)
    parser.add_argument("--workers", type=int, default=None, help="default: the usable CPUs")
    parser.add_argument("--baseline-sample", type=int, default=100)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder")
    parser.add_argument("--measure", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure is not None:  # the child process of a measurement
        print(json.dumps(measure(args.measure, args.units, args.workers)))
        return 0

    temporary = None
    if args.keep is None:
        temporary = tempfile.mkdtemp(prefix="tthc-consolidate-")
        folder = Path(temporary)
    else:
        folder = args.keep
    try:
        return _run(args, folder)
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


def _run(args: argparse.Namespace, folder: Path) -> int:
    n = args.units
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"Python {sys.version.split()[0]}, {cpus} CPU(s) usable, workers: {args.workers or cpus}, "
        f"load average before: {load:.2f}"
    )
    seconds = generate(folder, n)
    size = sum(p.stat().st_size for p in folder.glob("*.xlsx")) / n / 1024
    print(f"generated {n} workbooks in {seconds:.1f} s ({size:.0f} kB each)")

    run = _measure_in_child(folder, n, args.workers)
    assert run["units"] == n and run["set_aside"] == 0, run
    fast_rate = n / run["seconds"]
    print(
        f"consolidate (fast reader, pool): {run['seconds']:.2f} s for {n} files "
        f"= {fast_rate:,.0f} files/s"
    )

    files = sorted(folder.glob("*.xlsx"))
    sample = _sample(files, args.baseline_sample)
    _per_file(read_workbook_fast, sample[:5])  # warm up both readers
    _per_file(read_workbook, sample[:2])
    fast_one = _per_file(read_workbook_fast, sample)
    slow_one = _per_file(read_workbook, sample)
    note = (
        f"measured on all {len(sample)} files"
        if len(sample) == n
        else f"measured on {len(sample)} of {n} files, extrapolated"
    )
    print(
        f"fast reader + checks, 1 process: {fast_one * 1000:.2f} ms/file "
        f"= {1 / fast_one:,.0f} files/s ({note})"
    )
    print(
        f"openpyxl baseline, 1 process:    {slow_one * 1000:.2f} ms/file "
        f"= {1 / slow_one:,.0f} files/s, {slow_one * n:.1f} s for {n} files ({note})"
    )
    ratio = fast_rate * slow_one
    print(
        f"ratio consolidate / baseline:   {ratio:.1f}x (reader alone: {slow_one / fast_one:.1f}x)"
    )
    if n == COUNTRY_UNITS:
        verdict = "met" if run["seconds"] < TARGET_SECONDS else "NOT met"
        timing = f"{verdict} ({run['seconds']:.2f} s)"
    else:  # a few files do not amortise the pool: no projection from them
        timing = f"not checked (run --units {COUNTRY_UNITS})"
    print(
        f"targets: {COUNTRY_UNITS} files in < {TARGET_SECONDS:.0f} s: {timing}; "
        f">= {TARGET_RATIO:.0f}x the baseline: {'met' if ratio >= TARGET_RATIO else 'NOT met'}"
    )

    print("peak memory of consolidate() (fresh process each):")
    for limit in sorted({s for s in MEMORY_SIZES if s < n} | {n}):
        item = run if limit == n else _measure_in_child(folder, limit, args.workers)
        print(
            f"  {limit:>5} files: {item['seconds']:.2f} s, "
            f"process {item['peak_self_mib']:.0f} MiB, "
            f"largest worker {item['peak_worker_mib']:.0f} MiB"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
