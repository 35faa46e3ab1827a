"""Each command imports only what it uses: `--help` none of the heavy libraries,
`check` and `consolidate` no Word library (issue 16: start-up time where the clerk waits).

Run in a fresh interpreter, since this test session has imported everything already.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import sample_data

HEAVY = ("openpyxl", "docx", "docxtpl", "jinja2", "python_calamine", "lxml", "xlwings", "numpy")
# What `xml.sax.saxutils` drags in through urllib.request: no command needs the network.
NETWORK = {"ssl", "http", "email"}
WORD = {"docx", "docxtpl", "jinja2"}

_PROBE = """
import contextlib, io, json, sys
from tthc.cli.commands import run
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = run(sys.argv[2:])
heavy = set(json.loads(sys.argv.pop(1)))
print(json.dumps([code, sorted({m.split('.')[0] for m in sys.modules} & heavy)]))
"""


def imported(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps([*HEAVY, *NETWORK]), *argv],
        capture_output=True,
        text=True,
        check=True,
    )
    code, modules = json.loads(done.stdout.strip().splitlines()[-1])
    return code, set(modules)


def test_help_imports_no_heavy_library() -> None:
    assert imported("--help") == (0, set())
    assert imported("check", "--help") == (0, set())


def test_help_loads_no_writer_and_no_lock() -> None:
    """The lock and atomic writes (socket, tempfile, threading) and the report model wait
    for a command."""
    probe = (
        "import contextlib, io, sys\n"
        "from tthc.cli.commands import run\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    code = run(['--help'])\n"
        "late = {'tthc.infra.safe_write', 'tthc.core.model', 'socket', 'tempfile'}\n"
        "print(code, sorted(late & set(sys.modules)))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.split()[0] == "0"
    assert done.stdout.strip().endswith("[]"), done.stdout


def test_check_of_a_data_file_reads_no_workbook_and_writes_no_word(tmp_path: Path) -> None:
    sample_path = tmp_path / "so-lieu.json"
    sample_path.write_text(json.dumps(sample_data(), ensure_ascii=False), encoding="utf-8")
    code, modules = imported("check", str(sample_path))
    assert code == 0
    assert not modules & {*WORD, "openpyxl", "python_calamine"}


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    from tthc.cli.commands import run

    target = tmp_path / "thang.xlsx"
    assert run(["new", "--kind", "xã", "--name", "Bình Giang", "--period", "2026-03",
                "-o", str(target)]) == 0  # fmt: skip
    return target


def test_check_and_consolidate_of_workbooks_load_no_word_library(
    workbook: Path, tmp_path: Path
) -> None:
    code, modules = imported("check", str(workbook))
    assert code in (0, 1) and not modules & WORD
    assert not modules & NETWORK, modules
    code, modules = imported("consolidate", str(workbook), "-o", str(tmp_path / "th.xlsx"))
    assert not modules & WORD, modules
