"""Text that must stay text: no formula injection in anything the tool writes.

A unit name, a "Tồn tại, hạn chế" paragraph, a field or department name, a
signer, a dossier code… is text someone typed. When it starts with "=", "+",
"-" or "@" it must reach every workbook, the report sheet the Excel button
fills and the Word file as that text: never a formula that runs in the
reader's spreadsheet (=HYPERLINK to a phishing site, a DDE "=cmd|…" call) and
never a computed number. Each writer is driven through its public entry point
(the CLI commands, the button on xlwings' JSON engine) and its output is read
at the lowest level: the sheet XML of the .xlsx and word/document.xml.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from test_form_import import seed_workbook

from helpers import sample_data, xlwings_payload
from tthc.cli.commands import run
from tthc.core.catalogue import default_catalogue
from tthc.core.narrative import Narrative
from tthc.core.pipeline import run_pipeline
from tthc.core.report_data import load_report
from tthc.infra.libreoffice import convert, find_soffice
from tthc.workbook.layout import SHEETS
from tthc.workbook.narrative_layout import narrative_layout, narrative_rows
from tthc.workbook.style import set_text
from tthc.workbook.template import build_workbook

PAYLOADS = (
    '=HYPERLINK("http://x","a")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "=1+1",
)
each_payload = pytest.mark.parametrize("payload", PAYLOADS)
# The commands that write a whole report set (a second or more each) take one payload
# of each kind: a formula with quotes and a comma (CSV quoting), a signed sum, a
# function call after "@". Every writer goes through `set_text`, which the quicker tests
# (new, the button) try with all six.
KINDS_OF_PAYLOAD = (PAYLOADS[0], PAYLOADS[3], PAYLOADS[4])
each_kind_of_payload = pytest.mark.parametrize("payload", KINDS_OF_PAYLOAD)

RENAMED_DEPARTMENT = "Phòng Kinh tế"  # the catalogue department that takes the payload's name
RENAMED_FIELD = "Hộ tịch"  # the first appendix row and a catalogue field, likewise

# The free-text inputs of Thông tin, by defined name.
TEXT_INPUTS = (
    "TTHC_UNIT_NAME",
    "TTHC_PARENT_BODY",
    "TTHC_ISSUING_BODY",
    "TTHC_ISSUING_BODY_SHORT",
    "TTHC_PLACE",
    "TTHC_DOC_SYMBOL",
    "TTHC_SIGNER_AUTHORITY",
    "TTHC_SIGNER_TITLE",
    "TTHC_SIGNER_NAME",
    "TTHC_RECIPIENTS",
    "TTHC_SHORTCOMINGS",
)

# --- reading an .xlsx at the XML level --------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass(frozen=True)
class XmlCell:
    kind: str  # "formula" (has an <f>), "text" (a string cell), or "other" (number, error…)
    text: str  # the formula, the string, or the raw <v>


@dataclass(frozen=True)
class Xlsx:
    sheets: dict[str, dict[str, XmlCell]]  # sheet title -> cell reference -> cell
    names: dict[str, tuple[str, str]]  # defined name -> (sheet title, first cell)

    def cell(self, name: str) -> XmlCell | None:
        """The first cell of a defined name."""
        title, ref = self.names[name]
        return self.sheets[title].get(ref)

    def texts(self, title: str) -> list[str]:
        return [c.text for c in self.sheets[title].values() if c.kind == "text"]

    def formulas(self) -> Iterator[tuple[str, str, str]]:
        for title, cells in self.sheets.items():
            for ref, cell in cells.items():
                if cell.kind == "formula":
                    yield title, ref, cell.text


def _text_of(element: ElementTree.Element) -> str:
    return "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))


def _cell(c: ElementTree.Element, shared: list[str]) -> XmlCell:
    """One <c> as stored: an <f> makes it a formula, whatever else it holds."""
    formula, kind, value = c.find(f"{_MAIN}f"), c.get("t", "n"), c.find(f"{_MAIN}v")
    raw = (value.text or "") if value is not None else ""
    if formula is not None:
        return XmlCell("formula", formula.text or "")
    if kind == "inlineStr":
        inline = c.find(f"{_MAIN}is")
        return XmlCell("text", "" if inline is None else _text_of(inline))
    if kind == "s":
        return XmlCell("text", shared[int(raw)])
    if kind == "str":
        return XmlCell("text", raw)
    return XmlCell("other", raw)


def read_xlsx(path: Path) -> Xlsx:
    """Every cell of every sheet as stored, with its kind, and the defined names."""
    with zipfile.ZipFile(path) as archive:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {
            r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PACKAGE_REL}Relationship")
        }
        shared: list[str] = []
        if "xl/sharedStrings.xml" in archive.namelist():
            table = ElementTree.fromstring(archive.read("xl/sharedStrings.xml"))
            shared = [_text_of(item) for item in table.iter(f"{_MAIN}si")]
        sheets: dict[str, dict[str, XmlCell]] = {}
        for sheet in book.iter(f"{_MAIN}sheet"):
            target = targets[sheet.get(f"{_REL}id")]
            part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
            xml = ElementTree.fromstring(archive.read(part))
            sheets[sheet.get("name", "")] = {
                c.get("r", ""): _cell(c, shared) for c in xml.iter(f"{_MAIN}c")
            }
        names: dict[str, tuple[str, str]] = {}
        for defined in book.iter(f"{_MAIN}definedName"):
            title, _, ref = (defined.text or "").rpartition("!")
            first = ref.replace("$", "").split(":")[0]
            names[defined.get("name", "")] = (title.strip("'").replace("''", "'"), first)
    return Xlsx(sheets, names)


def assert_no_formula_from(book: Xlsx, payload: str) -> None:
    """No formula anywhere holds the payload: the tool's own formulas never contain it."""
    needles = {payload.removeprefix("="), payload.upper().removeprefix("=")}
    for title, ref, formula in book.formulas():
        assert not any(needle in formula for needle in needles), (title, ref, formula)


def assert_text(cell: XmlCell | None, expected: str) -> None:
    assert cell == XmlCell("text", expected)


def _row(ref: str) -> int:
    return int(re.sub(r"[A-Z]+", "", ref))


def assert_inputs_hold(book: Xlsx, payload: str) -> None:
    """The filled data-entry workbook: every free-text input is the payload, as text."""
    for name in TEXT_INPUTS:
        assert_text(book.cell(name), payload)
    assert_text(book.cell("TTHC_GRID"), payload)  # the first appendix row's field
    for sheet in ("extras", "catalogue", "summary"):  # department and field names
        assert payload in book.texts(SHEETS[sheet]), sheet
    summary = book.sheets[SHEETS["summary"]]
    rows = [_row(ref) for ref, c in summary.items() if c.text == "Chỉ tiêu giao"]
    chart_header = max(rows)  # the table below the summary that the chart draws
    headers = [c for ref, c in summary.items() if _row(ref) == chart_header]
    assert XmlCell("text", payload) in headers  # the department's series title of the chart
    assert_no_formula_from(book, payload)


# --- inputs -----------------------------------------------------------------------------


def payload_data(payload: str, *, april: bool = False) -> dict[str, Any]:
    """The sample month with every free-text input, a field and a department set to `payload`.

    March is the sample; April follows it: what March left pending opens each field.
    """
    data = sample_data()
    data["unit"].update(
        name=payload,
        parent_body=payload,
        issuing_body=payload,
        issuing_body_short=payload,
        place=payload,
    )
    data["document"].update(symbol=payload, recipients=[payload])
    data["signer"] = {"authority": payload, "title": payload, "name": payload}
    data["shortcomings"] = [payload]
    data["appendix"]["rows"][0]["field"] = payload
    data["catalogue"] = {
        (payload if name == RENAMED_DEPARTMENT else name): [
            payload if field == RENAMED_FIELD else field for field in fields
        ]
        for name, fields in default_catalogue("xã").to_mapping().items()
    }
    departments = data["extra_inputs"]["departments"]
    departments[payload] = departments.pop(RENAMED_DEPARTMENT)
    if april:
        data["period"] = {"start": "2026-04-01", "end": "2026-04-30"}
        data["document"]["date"] = "2026-05-04"
        for row in data["appendix"]["rows"]:
            if row["field"] == "Người có công":  # March left 0 pending here, not 1
                row["online"] += row["carried_over"]
                row["carried_over"] = 0
        del data["appendix"]["total"]
    return data


def write_data(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def only(folder: Path, pattern: str) -> Path:
    (found,) = sorted(folder.glob(pattern))
    return found


# --- the data-entry workbook: tthc new, --data, --from ------------------------------------


@each_payload
def test_new_with_a_unit_name(tmp_path: Path, payload: str) -> None:
    target = tmp_path / "moi.xlsx"
    assert run(["new", f"--name={payload}", "--period", "2026-04", "-o", str(target)]) == 0
    book = read_xlsx(target)
    assert_text(book.cell("TTHC_UNIT_NAME"), payload)
    assert_no_formula_from(book, payload)


@each_payload
def test_new_from_a_data_file(tmp_path: Path, payload: str) -> None:
    data = write_data(tmp_path / "so-lieu.json", payload_data(payload))
    target = tmp_path / "moi.xlsx"
    assert run(["new", "--data", str(data), "-o", str(target)]) == 0
    assert_inputs_hold(read_xlsx(target), payload)


@each_kind_of_payload
def test_new_month_from_the_previous_workbook(tmp_path: Path, payload: str) -> None:
    """Read back and written again: the previous month's text carries over as text."""
    previous = tmp_path / "thang3.xlsx"
    data = write_data(tmp_path / "so-lieu.json", payload_data(payload))
    assert run(["new", "--data", str(data), "-o", str(previous)]) == 0
    target = tmp_path / "thang4.xlsx"
    assert run(["new", "--from", str(previous), "-o", str(target)]) == 0
    book = read_xlsx(target)
    for name in TEXT_INPUTS[:-1]:  # "Tồn tại, hạn chế" starts blank in a new month
        assert_text(book.cell(name), payload)
    assert payload in book.texts(SHEETS["catalogue"])
    assert_no_formula_from(book, payload)


@each_kind_of_payload
def test_export_reads_the_text_back(tmp_path: Path, payload: str) -> None:
    """The reader side: text typed as text into the input cells is read as that text."""
    data = payload_data(payload)
    workbook = tmp_path / "so-tinh.xlsx"
    source = write_data(tmp_path / "vao.json", data)
    assert run(["new", "--data", str(source), "-o", str(workbook)]) == 0
    exported = tmp_path / "ra.json"
    assert run(["export", str(workbook), "-o", str(exported)]) == 0
    back = json.loads(exported.read_text(encoding="utf-8"))
    for key in ("name", "parent_body", "issuing_body", "issuing_body_short", "place"):
        assert back["unit"][key] == payload
    assert back["document"]["symbol"] == payload
    assert back["signer"] == data["signer"]
    assert back["shortcomings"] == [payload]
    assert payload in back["document"]["recipients"]
    assert back["appendix"]["rows"][0]["field"] == payload
    assert back["catalogue"][payload] == data["catalogue"][payload]


# --- the report: tthc report (workbook, So sánh, Word) and tthc rollup ---------------------


def _report(tmp_path: Path, payload: str) -> tuple[Path, Narrative]:
    """`tthc report` of the payload's April compared with its March: the folder, the text."""
    april, march = payload_data(payload, april=True), payload_data(payload)
    current = write_data(tmp_path / "thang4.json", april)
    previous = write_data(tmp_path / "thang3.json", march)
    folder = tmp_path / "out"
    args = ["report", str(current), "--compare", str(previous), "-o", str(folder)]
    assert run(args) == 0
    result = run_pipeline(load_report(april), previous=load_report(march).report)
    assert result.ready is not None
    return folder, result.ready.narrative


def shortcoming(narrative: Narrative) -> str:
    """The "Tồn tại, hạn chế" paragraph as the report writes it ("- " and a full stop)."""
    body = [p.text for p in narrative.body]
    return body[body.index("3. Tồn tại, hạn chế") + 1]


@each_kind_of_payload
def test_report_workbook(tmp_path: Path, payload: str) -> None:
    """Inputs, Tổng hợp, So sánh, and Báo cáo: each row of the narrative, as text."""
    folder, narrative = _report(tmp_path, payload)
    book = read_xlsx(only(folder, "*.xlsx"))
    assert_inputs_hold(book, payload)
    assert book.texts("So sánh")  # compared: the sheet is there, checked for formulas too
    cells = book.sheets[SHEETS["narrative"]]
    for index, (_style, left, right) in enumerate(narrative_rows(narrative), 1):
        if left:
            assert_text(cells.get(f"A{index}"), left)
        if right:
            assert_text(cells.get(f"B{index}"), right)
    assert payload in book.texts(SHEETS["narrative"])  # the signer's name, on its own
    assert shortcoming(narrative) in [t.lstrip("\u00a0") for t in book.texts(SHEETS["narrative"])]


@each_kind_of_payload
def test_report_word_file(tmp_path: Path, payload: str) -> None:
    """The literal text in document.xml; no field (fldSimple, instrText) made of it."""
    folder, narrative = _report(tmp_path, payload)
    with zipfile.ZipFile(only(folder, "*.docx")) as archive:
        document = archive.read("word/document.xml")
        parts = {n: archive.read(n) for n in archive.namelist() if n.endswith(".xml")}
    paragraphs = [
        "".join(t.text or "" for t in p.iter(f"{_WORD}t"))
        for p in ElementTree.fromstring(document).iter(f"{_WORD}p")
    ]
    assert payload in paragraphs  # the signer's name, a paragraph of its own
    assert shortcoming(narrative) in paragraphs
    for tag in (b"fldSimple", b"instrText", b"fldChar"):
        assert tag not in document
    for name, xml in parts.items():  # the page number is the template's only field
        for instruction in ElementTree.fromstring(xml).iter(f"{_WORD}instrText"):
            assert (instruction.text or "").strip() == "PAGE", name


def test_targets_stay_text_in_the_output_summary(tmp_path: Path) -> None:
    """A target "= 100%" (1.3, 1.4, 1.6) was written as the formula " 100%", showing 100%."""
    folder = tmp_path / "out"
    data = write_data(tmp_path / "d.json", sample_data())
    assert run(["report", str(data), "-o", str(folder)]) == 0
    summary = read_xlsx(only(folder, "*.xlsx")).sheets[SHEETS["summary"]]
    targets = [summary.get(f"G{row}") for row in range(5, 37)]
    assert XmlCell("text", "= 100%") in targets and XmlCell("text", "≥ 60%") in targets
    assert all(cell is None or cell.kind == "text" for cell in targets)


@each_kind_of_payload
def test_rollup(tmp_path: Path, payload: str) -> None:
    march = write_data(tmp_path / "t3.json", payload_data(payload))
    april = write_data(tmp_path / "t4.json", payload_data(payload, april=True))
    target = tmp_path / "quy.xlsx"
    assert run(["rollup", str(march), str(april), "-o", str(target)]) == 0
    assert_inputs_hold(read_xlsx(target), payload)
    output = read_xlsx(only(tmp_path, "BaoCaoTTHC_*.xlsx"))
    assert_inputs_hold(output, payload)
    assert payload in output.texts(SHEETS["narrative"])


# --- tthc consolidate, tthc dossiers, tthc import -------------------------------------------

DOSSIER_HEADERS = (
    "Mã hồ sơ",
    "Lĩnh vực",
    "Kênh tiếp nhận",
    "Ngày tiếp nhận",
    "Ngày hẹn trả",
    "Ngày kết thúc",
    "Trạng thái",
)


@each_kind_of_payload
def test_consolidate(tmp_path: Path, payload: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The summed grid's field, and file names as given (a file may be named anything)."""
    monkeypatch.chdir(tmp_path)
    name = payload.replace("/", "_")  # a file name cannot hold "/"
    data = write_data(tmp_path / "so-lieu.json", payload_data(payload))
    assert run(["new", "--data", str(data), "-o", "don-vi.xlsx"]) == 0
    Path("don-vi.xlsx").rename(f"{name}.xlsx")  # "-o -2+3.xlsx" would read as an option
    Path(f"{name} hỏng.xlsx").write_bytes(b"not a workbook")
    args = ["consolidate", "-o", "tong-hop.xlsx", "--", f"{name}.xlsx", f"{name} hỏng.xlsx"]
    assert run(args) == 1  # the broken file is set aside
    book = read_xlsx(tmp_path / "tong-hop.xlsx")
    units = book.sheets["Các đơn vị"]
    assert_text(units.get("B2"), f"xã {payload}")
    assert XmlCell("text", f"{name}.xlsx") in units.values()
    assert payload in book.texts("Phụ lục tổng hợp")
    assert_text(book.sheets["Tệp bị bỏ qua"].get("B2"), f"{name} hỏng.xlsx")
    assert_no_formula_from(book, payload)
    assert_no_formula_from(book, name)


@each_kind_of_payload
def test_dossiers(tmp_path: Path, payload: str) -> None:
    """Dossier codes and fields of the list: on Nguồn hồ sơ and Hồ sơ ngoài kỳ as text."""
    listing = tmp_path / "ho-so.csv"
    with listing.open("w", encoding="utf-8-sig", newline="") as stream:
        rows = csv.writer(stream)
        rows.writerow(DOSSIER_HEADERS)
        march = ("05/03/2026", "10/03/2026", "06/03/2026", "đã giải quyết")
        # Finished in February, due in March: outside the period, listed since it touches it.
        february = ("05/02/2026", "10/03/2026", "06/02/2026", "đã giải quyết")
        rows.writerow((f"{payload}-01", "Hộ tịch", "trực tuyến", *march))  # codes are unique
        rows.writerow((payload, payload, "trực tuyến", *february))  # outside the period
    target = tmp_path / "thang3.xlsx"
    args = ["dossiers", str(listing), "--period", "2026-03", f"--name={payload}", "-o", str(target)]
    assert run(args) == 0
    book = read_xlsx(target)
    assert_text(book.cell("TTHC_UNIT_NAME"), payload)
    assert_text(book.sheets["Nguồn hồ sơ"].get("E2"), f"{payload}-01")  # counted in (4)
    outside = book.sheets["Hồ sơ ngoài kỳ"]  # counts by reason on rows 2…, the list below
    assert_text(outside.get("A6"), payload)
    assert_text(outside.get("B6"), payload)
    assert_no_formula_from(book, payload)


@each_kind_of_payload
def test_import(tmp_path: Path, payload: str) -> None:
    """A field name of the system's export, typed as text there, stays text here."""
    source = seed_workbook(tmp_path / "xuat.xlsx")
    workbook = load_workbook(source)
    (cell,) = [c for row in workbook["PL 03-2026"].iter_rows() for c in row if c.value == "Hộ tịch"]
    set_text(cell, payload)
    workbook.save(source)
    target = tmp_path / "moi.xlsx"
    args = ["import", str(source), "-o", str(target), f"--name={payload}", "--period", "2026-03"]
    assert run(args) == 0
    book = read_xlsx(target)
    assert_text(book.cell("TTHC_UNIT_NAME"), payload)
    # The renamed field keeps its place among the catalogue's (grid_order): in column B.
    title, _first = book.names["TTHC_GRID"]
    grid = book.sheets[title]
    (where,) = [ref for ref, cell in grid.items() if cell.text == payload]
    assert re.fullmatch(r"B\d+", where)
    assert_text(grid[where], payload)
    assert_no_formula_from(book, payload)


# --- the "Tạo báo cáo" button on xlwings' JSON engine ---------------------------------------


@each_payload
def test_the_button(payload: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every range it writes is made a text range first, so Excel stores the text as given.

    A cell formatted as text («@») takes "=…", "-…", "01" or "1/3" as text, as a
    typed entry; no apostrophe is needed, so none shows in the cell.
    """
    xw = pytest.importorskip("xlwings")
    from tthc.excel.button import generate_report

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")  # as in test_macro: tests only
    if "remote" not in [engine.name for engine in xw.engines]:
        from xlwings.pro import _xlremote

        xw.engines.add(xw.Engine(impl=_xlremote.engine))
    loaded = load_report(payload_data(payload))
    assert loaded.report is not None
    workbook = build_workbook(loaded.report)
    book = xw.Book(json=xlwings_payload(workbook, xw.__version__))
    message = generate_report(book)
    assert message.startswith("Đã tạo báo cáo"), message
    actions = book.json()["actions"]
    writes = [a for a in actions if a["func"] == "setValues"]
    for write in writes:  # the same range set to text just before it is written
        before = actions[actions.index(write) - 1]
        assert before["func"] == "setNumberFormat" and before["args"] == ["@"]
        place = ("sheet_position", "start_row", "start_column", "row_count", "column_count")
        assert [before[k] for k in place] == [write[k] for k in place]
    report = writes[-1]
    assert workbook.sheetnames[report["sheet_position"]] == SHEETS["narrative"]
    written = [text for row in report["values"] for text in row]
    result = run_pipeline(loaded)
    assert result.ready is not None
    layout = narrative_layout(result.ready.narrative)
    assert report["values"] == [[row.left, row.right or ""] for row in layout]
    assert payload in written  # the signer's name, exactly as typed
    assert shortcoming(result.ready.narrative) in [t.lstrip("\u00a0") for t in written]
    summary = [row[0] for row in writes[0]["values"]]
    assert not any(payload in text for text in summary)  # column I: figures only


# --- LibreOffice: what it shows, and what it saves ------------------------------------------

needs_soffice = pytest.mark.skipif(
    find_soffice() is None,
    reason="LibreOffice (soffice) chưa được cài: bỏ qua phần xem ô văn bản qua LibreOffice.",
)
MIXED_INPUTS = TEXT_INPUTS[:6]  # unit name … place, the document's symbol: one payload each


def mixed_data() -> dict[str, Any]:
    """The sample with a different payload in each of the first six text inputs."""
    data = sample_data()
    data["unit"].update(
        name=PAYLOADS[0],
        parent_body=PAYLOADS[1],
        issuing_body=PAYLOADS[2],
        issuing_body_short=PAYLOADS[3],
        place=PAYLOADS[4],
    )
    data["document"]["symbol"] = PAYLOADS[5]
    return data


@needs_soffice
def test_libreoffice_shows_the_text_not_a_result(tmp_path: Path) -> None:
    """Thông tin of a report's workbook, as LibreOffice opens, recalculates and exports it."""
    folder = tmp_path / "out"
    data = write_data(tmp_path / "d.json", mixed_data())
    assert run(["report", str(data), "-o", str(folder)]) == 0
    workbook = only(folder, "*.xlsx")
    places = read_xlsx(workbook).names
    assert {places[name][0] for name in MIXED_INPUTS} == {SHEETS["info"]}  # the first sheet
    exported = convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    with exported.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))  # LibreOffice exports the first sheet
    for name, payload in zip(MIXED_INPUTS, PAYLOADS, strict=True):
        row = int(places[name][1].removeprefix("B"))
        assert rows[row - 1][1] == payload, name


@needs_soffice
def test_text_saved_by_a_spreadsheet_program_reads_back_as_text(tmp_path: Path) -> None:
    """The reader side: the workbook as LibreOffice saves it (shared strings), then exported."""
    source = tmp_path / "moi.xlsx"
    data = write_data(tmp_path / "d.json", mixed_data())
    assert run(["new", "--data", str(data), "-o", str(source)]) == 0
    saved = convert(source, "xlsx", tmp_path / "luu")
    stored = read_xlsx(saved)
    for name, payload in zip(MIXED_INPUTS, PAYLOADS, strict=True):
        assert_text(stored.cell(name), payload)
    exported = tmp_path / "ra.json"
    assert run(["export", str(saved), "-o", str(exported)]) == 0
    back = json.loads(exported.read_text(encoding="utf-8"))
    unit = back["unit"]
    read = (
        unit["name"],
        unit["parent_body"],
        unit["issuing_body"],
        unit["issuing_body_short"],
        unit["place"],
        back["document"]["symbol"],
    )
    assert read == PAYLOADS
