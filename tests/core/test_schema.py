"""The data file's JSON Schema and the loader agree on what a data file is.

`data/report.schema.json` is what editors and other tools see; `load_report` is
what the program does. These tests keep the two from drifting: the same
documents pass both, the same broken documents fail both, and every object
lists exactly the keys the loader reads.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import fields
from fractions import Fraction
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tthc.core.findings import Finding, Severity
from tthc.core.grid import COUNT_COLUMNS, DERIVED_COLUMNS, INPUT_COLUMNS
from tthc.core.model import (
    EXTRA_INPUTS,
    INDICATOR_CODES,
    Comparison,
    Convention,
    Settings,
    Signer,
    Target,
    Unit,
    UnitKind,
)
from tthc.core.report_data import FORMAT_NAME, FORMAT_VERSION, dump_report, load_report, schema_path
from tthc.core.vn_format import RateRounding

SAMPLE_NAME = "binh_giang_2026_03.json"
UNKNOWN_KEY_MESSAGE = "Mục không có trong mẫu tệp số liệu"
DEPARTMENT = "Phòng Kinh tế"

Document = dict[str, Any]
Change = Callable[[Document], object]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(schema_path().read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator(schema: dict[str, Any]) -> Draft202012Validator:
    # Formats are asserted so that "format": "date" rejects impossible dates.
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def sample_data() -> Document:
    return json.loads(schema_path().with_name(SAMPLE_NAME).read_text(encoding="utf-8"))


@pytest.fixture
def sample(sample_data: Document) -> Document:
    return copy.deepcopy(sample_data)


def loader_errors(document: object) -> list[Finding]:
    return [f for f in load_report(document).findings if f.severity is Severity.ERROR]


def schema_errors(validator: Draft202012Validator, document: object) -> list[str]:
    return [f"{e.json_path}: {e.message}" for e in validator.iter_errors(document)]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow local $refs to the definition that holds the keywords."""
    while "$ref" in node:
        assert node["$ref"].startswith("#/$defs/"), node["$ref"]
        node = schema["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def schema_object(schema: dict[str, Any], path: tuple[str | int, ...]) -> dict[str, Any]:
    """The schema of the object at a document path; ints index arrays."""
    node = resolve(schema, schema)
    for step in path:
        if isinstance(step, int):
            node = resolve(schema, node["items"])
        elif step in node.get("properties", {}):
            node = resolve(schema, node["properties"][step])
        else:
            node = resolve(schema, node["additionalProperties"])
    return node


def finding_key(path: tuple[str | int, ...]) -> str:
    """The dotted key the loader uses for a document path, e.g. 'appendix.rows[0]'."""
    key = ""
    for step in path:
        key += f"[{step}]" if isinstance(step, int) else (f".{step}" if key else step)
    return key


def at(document: Document, path: tuple[str | int, ...]) -> Any:
    for step in path:
        document = document[step]
    return document


# --- the schema itself ------------------------------------------------------------


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict[str, Any]) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_schema_ships_next_to_the_sample() -> None:
    assert schema_path().is_file()
    assert schema_path().parent.joinpath(SAMPLE_NAME).is_file()


def test_every_property_is_documented(schema: dict[str, Any]) -> None:
    undocumented: list[str] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, dict):
            for name, prop in node.get("properties", {}).items():
                if not (prop.get("title") and prop.get("description")):
                    undocumented.append(f"{where}/{name}")
            for key, child in node.items():
                walk(child, f"{where}/{key}")
        elif isinstance(node, list):
            for index, child in enumerate(node):
                walk(child, f"{where}/{index}")

    walk(schema, "#")
    assert undocumented == []


@pytest.mark.parametrize("column", COUNT_COLUMNS, ids=lambda c: c.key)
@pytest.mark.parametrize("where", [("appendix", "rows", 0), ("appendix", "total")])
def test_count_descriptions_name_the_form_column(
    schema: dict[str, Any], where: tuple[str | int, ...], column: Any
) -> None:
    description = schema_object(schema, where)["properties"][column.key]["description"]
    assert description.startswith(f"Column ({column.number}) of the appendix: ")
    assert column.label in description
    if column.is_derived:
        assert column.number_label in description
        assert "cross-checks" in description


def test_constants_and_enums_match_the_code(schema: dict[str, Any]) -> None:
    top = schema["properties"]
    assert top["format"]["const"] == FORMAT_NAME
    assert top["version"]["const"] == FORMAT_VERSION
    assert schema_object(schema, ("unit",))["properties"]["kind"]["enum"] == [
        k.value for k in UnitKind
    ]
    settings = schema_object(schema, ("settings",))["properties"]
    assert settings["convention"]["enum"] == [*(c.value for c in Convention), None]
    assert settings["rate_rounding"]["enum"] == [*(r.value for r in RateRounding), None]
    comparisons = schema["$defs"]["target"]["properties"]["comparison"]["enum"]
    assert comparisons == ["≥", ">=", "=", "≤", "<="]
    assert {c.value for c in Comparison} <= set(comparisons)


# --- key lists: schema properties == what the loader reads ----------------------------

LOADER_KEYS: dict[str, tuple[tuple[str | int, ...], set[str]]] = {
    "row": (
        ("appendix", "rows", 0),
        {"field", *(c.key for c in INPUT_COLUMNS), *(c.key for c in DERIVED_COLUMNS)},
    ),
    "total": (("appendix", "total"), {c.key for c in (*INPUT_COLUMNS, *DERIVED_COLUMNS)}),
    "unit": (("unit",), {f.name for f in fields(Unit)}),
    "settings": (("settings",), {f.name for f in fields(Settings)}),
    "signer": (("signer",), {f.name for f in fields(Signer)}),
    "document": (("document",), {"number", "symbol", "date", "recipients"}),
    "extra values (unit)": (("extra_inputs", "unit"), {key for key, _ in EXTRA_INPUTS}),
    "extra values (department)": (
        ("extra_inputs", "departments", DEPARTMENT),
        {key for key, _ in EXTRA_INPUTS},
    ),
    "targets": (("targets",), set(INDICATOR_CODES)),
    "period": (("period",), {"start", "end"}),
}


@pytest.mark.parametrize("name", LOADER_KEYS)
def test_schema_properties_equal_the_loader_keys(schema: dict[str, Any], name: str) -> None:
    path, expected = LOADER_KEYS[name]
    node = schema_object(schema, path)
    assert set(node["properties"]) == expected
    assert node["additionalProperties"] is False


# Every object whose unknown keys the loader reports; catalogue and
# extra_inputs.departments are keyed by names and accept anything.
STRICT_OBJECTS: list[tuple[str | int, ...]] = [
    (),
    ("unit",),
    ("period",),
    ("document",),
    ("signer",),
    ("settings",),
    ("targets",),
    ("appendix",),
    ("appendix", "rows", 0),
    ("appendix", "total"),
    ("extra_inputs",),
    ("extra_inputs", "unit"),
    ("extra_inputs", "departments", DEPARTMENT),
]


@pytest.mark.parametrize("path", STRICT_OBJECTS, ids=lambda p: finding_key(p) or "top")
def test_loader_accepts_exactly_the_schema_properties(
    schema: dict[str, Any], sample: Document, path: tuple[str | int, ...]
) -> None:
    """Probe the loader itself: each schema key is known to it, a made-up one is not."""
    node = schema_object(schema, path)
    assert node["additionalProperties"] is False
    if path and isinstance(path[-1], str):  # e.g. targets, which the sample leaves out
        at(sample, path[:-1]).setdefault(path[-1], {})
    target = at(sample, path)
    for name in node["properties"]:
        target.setdefault(name, None)
    target["bogus_key"] = 1
    prefix = finding_key(path)
    flagged = {
        f.location.key
        for f in load_report(sample).findings
        if f.message.startswith(UNKNOWN_KEY_MESSAGE)
    }
    assert flagged == {f"{prefix}.bogus_key" if prefix else "bogus_key"}


@pytest.mark.parametrize(
    "path", [("catalogue",), ("extra_inputs", "departments")], ids=lambda p: ".".join(p)
)
def test_name_keyed_objects_accept_any_key(schema: dict[str, Any], path: tuple[str, ...]) -> None:
    node = schema_object(schema, path)
    assert "properties" not in node
    assert isinstance(node["additionalProperties"], dict)


# --- documents both accept ----------------------------------------------------------


def test_sample_validates(validator: Draft202012Validator, sample: Document) -> None:
    assert schema_errors(validator, sample) == []
    assert loader_errors(sample) == []


def test_dump_of_the_loaded_sample_validates(
    validator: Draft202012Validator, sample: Document
) -> None:
    report = load_report(sample).report
    assert report is not None
    assert schema_errors(validator, dump_report(report)) == []


def test_dump_with_fractional_and_missing_targets_validates(
    validator: Draft202012Validator, sample: Document
) -> None:
    sample["targets"] = {"1.1": {"comparison": "<=", "percent": 33.5}, "2.1": None}
    sample["extra_inputs"] = {"unit": {}, "departments": {DEPARTMENT: {}}}
    sample["shortcomings"] = []
    report = load_report(sample).report
    assert report is not None
    assert report.targets["1.1"] == Target(Comparison.AT_MOST, Fraction("33.5"))
    dumped = dump_report(report)
    assert schema_errors(validator, dumped) == []
    assert dumped["targets"]["2.1"] is None


def _row(sample: Document) -> Document:
    return sample["appendix"]["rows"][0]


LENIENT: dict[str, Change] = {
    "count typed as text with dot thousands": lambda d: _row(d).update(online="1.132"),
    "count typed with spaces": lambda d: _row(d).update(online=" 1 132 "),
    "count as whole float": lambda d: _row(d).update(online=343.0),
    "blank counts": lambda d: _row(d).update(direct=None, late="", refused="  "),
    "input counts left out": lambda d: [_row(d).pop(c.key) for c in INPUT_COLUMNS[1:]],
    "derived counts stated": lambda d: _row(d).update(received=343, resolved="343", pending=""),
    "total with text and blanks": lambda d: d["appendix"]["total"].update(
        received="1.132", direct=None
    ),
    "total null": lambda d: d["appendix"].update(total=None),
    "Vietnamese dates": lambda d: d["period"].update(start="1/3/2026", end=" 31.03.2026 "),
    "Vietnamese document date": lambda d: d["document"].update(date="01-04-2026"),
    "no format, version or $schema": lambda d: [d.pop("format"), d.pop("version")],
    "$schema reference": lambda d: d.update({"$schema": "./report.schema.json"}),
    "optional sections null": lambda d: d.update(
        document=None, signer=None, settings=None, targets=None, catalogue=None, extra_inputs=None
    ),
    "optional sections absent": lambda d: [
        d.pop(k) for k in ("document", "signer", "settings", "extra_inputs", "shortcomings")
    ],
    "optional texts null": lambda d: [
        d["unit"].update(parent_body=None, place=None),
        d["signer"].update(authority=None),
        d["document"].update(number=None, symbol=None),
    ],
    "settings null choices": lambda d: d["settings"].update(convention=None, rate_rounding=None),
    "other settings": lambda d: d["settings"].update(convention="qd766", rate_rounding="half_up"),
    "targets in ASCII and none": lambda d: d.update(
        targets={
            "1.1": {"comparison": ">=", "percent": 70},
            "1.3": {"percent": 99.5},
            "2.2": {"comparison": "<=", "percent": 0},
            "2.1": None,
        }
    ),
    "custom catalogue": lambda d: d.update(
        catalogue={
            "Văn phòng HĐND-UBND": ["Hộ tịch", "Chứng thực"],
            "Phòng Kinh tế": ["Đất đai", "Hộ kinh doanh"],
            "Phòng Văn hóa - Xã hội": ["Người có công", "Bảo trợ xã hội", "Giáo dục"],
        }
    ),
    "extra values blank": lambda d: d["extra_inputs"]["unit"].update(paid_online=None, reused=""),
    "empty rows": lambda d: d["appendix"].update(rows=[], total=None),
}


@pytest.mark.parametrize("change", LENIENT.values(), ids=LENIENT.keys())
def test_lenient_documents_pass_both(
    validator: Draft202012Validator, sample: Document, change: Change
) -> None:
    change(sample)
    assert schema_errors(validator, sample) == []
    result = load_report(sample)
    assert [f.describe() for f in result.findings if f.severity is Severity.ERROR] == []
    assert result.report is not None


def test_minimal_document_passes_both(validator: Draft202012Validator) -> None:
    document = {
        "unit": {"kind": "phường", "name": "Ba Đình"},
        "period": {"start": "2026-03-01", "end": "2026-03-31"},
        "appendix": {"rows": [{"field": "Hộ tịch", "online": 1, "early": 1}]},
    }
    assert schema_errors(validator, document) == []
    assert loader_errors(document) == []
    assert load_report(document).report is not None


# --- documents both reject ----------------------------------------------------------

BROKEN: dict[str, Change] = {
    # the cases named in the brief
    "unknown key in a row": lambda d: _row(d).update(onlin=3),
    "unknown top-level key": lambda d: d.update(targetz={}),
    "bad unit kind": lambda d: d["unit"].update(kind="thị trấn"),
    "bad convention": lambda d: d["settings"].update(convention="theo mẫu"),
    "negative integer count": lambda d: _row(d).update(late=-1),
    "missing unit": lambda d: d.pop("unit"),
    # structure
    "missing period": lambda d: d.pop("period"),
    "missing appendix": lambda d: d.pop("appendix"),
    "unit null": lambda d: d.update(unit=None),
    "not an object": lambda d: d.clear() or d.update(unit=["xã"]),
    "unknown key in unit": lambda d: d["unit"].update(province="Hà Nội"),
    "unknown key in period": lambda d: d["period"].update(month=3),
    "unknown key in document": lambda d: d["document"].update(signed=True),
    "unknown key in signer": lambda d: d["signer"].update(position="x"),
    "unknown key in settings": lambda d: d["settings"].update(zero_padding=True),
    "unknown key in appendix": lambda d: d["appendix"].update(rows_total={}),
    "unknown key in total": lambda d: d["appendix"]["total"].update(field="Tổng cộng"),
    "unknown key in extra_inputs": lambda d: d["extra_inputs"].update(units={}),
    "unknown key in extra values": lambda d: d["extra_inputs"]["unit"].update(paid=1),
    "unknown key in a department": lambda d: d["extra_inputs"]["departments"][DEPARTMENT].update(
        digitized=1
    ),
    "unknown target code": lambda d: d.update(targets={"1.7": None}),
    "unknown key in a target": lambda d: d.update(targets={"1.1": {"percent": 60, "op": "≥"}}),
    "rows not a list": lambda d: d["appendix"].update(rows={"field": "Hộ tịch"}),
    "row not an object": lambda d: d["appendix"]["rows"].append("Hộ tịch"),
    "row without field": lambda d: _row(d).pop("field"),
    "row with blank field": lambda d: _row(d).update(field="  "),
    "total not an object": lambda d: d["appendix"].update(total=1132),
    "department values null": lambda d: d["extra_inputs"]["departments"].update({DEPARTMENT: None}),
    "departments null": lambda d: d["extra_inputs"].update(departments=None),
    "extra unit null": lambda d: d["extra_inputs"].update(unit=None),
    "catalogue fields not a list": lambda d: d.update(catalogue={DEPARTMENT: "Đất đai"}),
    # values
    "format of another file": lambda d: d.update(format="other"),
    "unsupported version": lambda d: d.update(version=2),
    "missing unit kind": lambda d: d["unit"].pop("kind"),
    "blank unit name": lambda d: d["unit"].update(name=" "),
    "unit name not text": lambda d: d["unit"].update(name=42),
    "text not a string": lambda d: d["signer"].update(name=["Nguyễn Xuân Thành"]),
    "bad rate rounding": lambda d: d["settings"].update(rate_rounding="round"),
    "flag not a boolean": lambda d: d["settings"].update(strict_on_time="yes"),
    "flag null": lambda d: d["settings"].update(zero_pad=None),
    "recipients not a list": lambda d: d["document"].update(recipients="Lưu: VT"),
    "shortcomings null": lambda d: d.update(shortcomings=None),
    "shortcomings not texts": lambda d: d.update(shortcomings=[1, 2]),
    "negative count as text": lambda d: _row(d).update(late="-3"),
    "fraction count": lambda d: _row(d).update(online=12.5),
    "decimal comma count": lambda d: _row(d).update(online="12,5"),
    "count with words": lambda d: _row(d).update(online="5 hs"),
    "Excel error count": lambda d: _row(d).update(online="#REF!"),
    "boolean count": lambda d: _row(d).update(online=True),
    "bad grouping": lambda d: _row(d).update(online="1.13"),
    "negative derived count": lambda d: _row(d).update(received=-1),
    "negative total": lambda d: d["appendix"]["total"].update(online=-1),
    "text extra value": lambda d: d["extra_inputs"]["unit"].update(with_fee="nhiều"),
    "impossible ISO date": lambda d: d["period"].update(end="2026-02-30"),
    "date in another format": lambda d: d["period"].update(start="2026/03/01"),
    "date as a number": lambda d: d["period"].update(start=20260301),
    "missing period end": lambda d: d["period"].pop("end"),
    "document date null": lambda d: d["document"].update(date=None),
    "target above 100": lambda d: d.update(targets={"1.1": {"percent": 120}}),
    "target below 0": lambda d: d.update(targets={"1.1": {"percent": -1}}),
    "target percent as text": lambda d: d.update(targets={"1.1": {"percent": "60"}}),
    "target without percent": lambda d: d.update(targets={"1.1": {"comparison": "≥"}}),
    "bad comparison": lambda d: d.update(targets={"1.1": {"comparison": ">", "percent": 60}}),
    "target not an object": lambda d: d.update(targets={"1.1": 60}),
}


@pytest.mark.parametrize("change", BROKEN.values(), ids=BROKEN.keys())
def test_broken_documents_fail_both(
    validator: Draft202012Validator, sample: Document, change: Change
) -> None:
    change(sample)
    assert schema_errors(validator, sample) != []
    assert loader_errors(sample) != []


@pytest.mark.parametrize("document", [[], "tthc-report", None, 1], ids=repr)
def test_non_object_documents_fail_both(validator: Draft202012Validator, document: object) -> None:
    assert schema_errors(validator, document) != []
    assert loader_errors(document) != []


# --- disagreements once found, now fixed in the loader ----------------------------------

LOADER_TOO_LENIENT: dict[str, Change] = {
    # The section is there but empty: no report comes back, and no finding says why.
    "empty unit": lambda d: d.update(unit={}),
    "empty period": lambda d: d.update(period={}),
    # A null comparison silently keeps the default target instead of being reported.
    "null comparison": lambda d: d.update(targets={"1.1": {"comparison": None, "percent": 99}}),
    # `version != 1` lets `true` through, since True == 1 in Python.
    "version true": lambda d: d.update(version=True),
}


@pytest.mark.parametrize("change", LOADER_TOO_LENIENT.values(), ids=LOADER_TOO_LENIENT.keys())
def test_loader_rejects_what_the_schema_rejects(
    validator: Draft202012Validator, sample: Document, change: Change
) -> None:
    change(sample)
    assert schema_errors(validator, sample) != []
    assert loader_errors(sample) != []
