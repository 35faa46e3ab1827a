"""The PDF's font: the one the Word report asks for, or a said substitute (infra.fonts)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from helpers import sample_data
from tthc.app.outputs import pdf_font_notes
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import load_report
from tthc.infra.fonts import document_fonts, substitute_for
from tthc.word.report import render_docx


@pytest.fixture(scope="module")
def report_docx() -> bytes:
    result = run_pipeline(load_report(sample_data()))
    assert result.ready is not None
    return render_docx(result.ready.narrative)


def _fake_fc_match(folder: Path, answer: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """An `fc-match` on PATH that answers `answer` for any font, as fontconfig would."""
    tool = folder / "fc-match"
    tool.write_text(f"#!/bin/sh\nprintf '%s' '{answer}'\n", encoding="utf-8")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")


def test_the_report_is_set_in_times_new_roman_only(report_docx: bytes) -> None:
    # The template's unused styles (Word's «Macro Text» is Courier) do not count.
    assert document_fonts(report_docx) == ["Times New Roman"]


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for fc-match")
def test_a_substitute_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_fc_match(tmp_path, "Liberation Serif", monkeypatch)
    assert substitute_for("Times New Roman") == "Liberation Serif"


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for fc-match")
def test_the_font_itself_is_no_substitute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_fc_match(tmp_path, "Times New Roman,Times New Roman Regular", monkeypatch)
    assert substitute_for("times new roman") is None


def test_without_fontconfig_nothing_is_claimed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", "")
    assert substitute_for("Times New Roman") is None


@pytest.mark.skipif(os.name != "posix", reason="a shell script stands in for fc-match")
def test_the_note_says_which_font_and_how_to_install_it(
    report_docx: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = tmp_path / "BaoCao.docx"
    document.write_bytes(report_docx)
    _fake_fc_match(tmp_path, "Liberation Serif", monkeypatch)
    (note,) = pdf_font_notes(document)
    assert "không có phông «Times New Roman»" in note
    assert "phông «Liberation Serif» thay thế" in note
    assert "ttf-mscorefonts-installer" in note
    _fake_fc_match(tmp_path, "Times New Roman", monkeypatch)
    assert pdf_font_notes(document) == []
