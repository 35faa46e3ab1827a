"""The field names of an export, matched to the unit's catalogue.

Why: an export names fields as its system does («Thành lập và hoạt động của
hộ kinh doanh», «Thi đua, khen thưởng»); the form, its Danh mục and the report
name them as the catalogue does. A name nothing knows must not refuse the
month either: it gets its own row in a department «Chưa xếp phòng», with a
warning that says how to assign it, and the report is right about it.

For each distinct name, the first rule that applies:

1. the clerk's aliases file (``"fields": {"name": "field or department"}``):
   a field of the catalogue renames it; a department of the catalogue keeps the
   name, as a new field of that department; anything else is an ERROR;
2. the catalogue itself, ignoring case, Unicode form, spacing and punctuation
   (`vocabulary.loose_key`): the catalogue's spelling;
3. the built-in vocabulary (`data/vocabulary.json`): the form's field it names,
   in the catalogue's department of that field, or, when the unit's catalogue
   lacks the field, added to the vocabulary's department (the unit's economic
   department for «Phòng Kinh tế» in a phường) or to «Chưa xếp phòng» when the
   catalogue has no such department;
4. otherwise: the name as written, a new field of «Chưa xếp phòng» (WARNING).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from tthc.core.catalogue import (
    KINH_TE,
    KINH_TE_PHUONG,
    UNASSIGNED_DEPARTMENT,
    Catalogue,
    field_key,
)
from tthc.core.findings import Finding, Location, Severity
from tthc.core.vn_format import format_integer, nfc
from tthc.imports.vocabulary import Vocabulary, builtin_vocabulary, loose_key

__all__ = ["FieldNames", "resolve_fields"]


@dataclass(frozen=True)
class FieldNames:
    """The catalogue with every field of the export in it, and each name's catalogue spelling."""

    catalogue: Catalogue
    renames: dict[str, str]  # the export's name -> the catalogue's field
    findings: tuple[Finding, ...]

    def name(self, raw: str) -> str:
        return self.renames.get(raw, raw)


def _department(catalogue: Catalogue, wanted: str) -> str | None:
    """The catalogue's department named `wanted` (Kinh tế also as a phường's)."""
    found = catalogue.canonical_department(wanted)
    if found is None and field_key(wanted) == field_key(KINH_TE):
        found = catalogue.canonical_department(KINH_TE_PHUONG)
    return found


def _clean(name: str) -> str:
    return " ".join(nfc(name).split())


def resolve_fields(
    counts: Mapping[str, int],
    catalogue: Catalogue,
    mapping: Mapping[str, str] | None = None,
    vocabulary: Vocabulary | None = None,
    counted_as: str = "hồ sơ",
) -> FieldNames:
    """Match each field name (with its number of dossiers, or of rows) to `catalogue`."""
    vocabulary = vocabulary or builtin_vocabulary()
    clerk = {loose_key(name): target for name, target in (mapping or {}).items()}
    loose_catalogue = {loose_key(f): f for f in catalogue.field_names}
    renames: dict[str, str] = {}
    findings: list[Finding] = []
    unassigned: list[tuple[str, int]] = []

    def place(raw: str, field: str, department: str) -> None:
        nonlocal catalogue
        catalogue = catalogue.adding(field, department)
        loose_catalogue[loose_key(field)] = catalogue.canonical_field(field) or field
        renames[raw] = catalogue.canonical_field(field) or field

    for raw, count in counts.items():
        key = loose_key(raw)
        if key in clerk:
            target = clerk[key]
            if (field := loose_catalogue.get(loose_key(target))) is not None:
                renames[raw] = field
            elif (department := _department(catalogue, target)) is not None:
                place(raw, _clean(raw), department)
            else:
                departments = ", ".join(f"«{d}»" for d in catalogue.department_names)
                findings.append(
                    Finding(
                        Severity.ERROR,
                        "fields.mapping",
                        f"Tệp tên cột ghi lĩnh vực «{raw}» là «{target}», nhưng «{target}» không "
                        f"phải lĩnh vực hay phòng chuyên môn nào của danh mục; các phòng: "
                        f"{departments}.",
                        Location(field=raw),
                    )
                )
            continue
        if (field := loose_catalogue.get(key)) is not None:
            renames[raw] = field
            continue
        entry = vocabulary.field_entry(raw)
        if entry is not None:
            if (field := loose_catalogue.get(loose_key(entry.field))) is not None:
                renames[raw] = field
            else:
                department = _department(catalogue, entry.department)
                place(raw, entry.field, department or UNASSIGNED_DEPARTMENT)
                if department is None:
                    unassigned.append((raw, count))
            continue
        place(raw, _clean(raw), UNASSIGNED_DEPARTMENT)
        unassigned.append((raw, count))

    for raw, count in unassigned:
        line = json.dumps({"fields": {raw: "Phòng Kinh tế"}}, ensure_ascii=False)
        findings.append(
            Finding(
                Severity.WARNING,
                "fields.unassigned",
                f"Lĩnh vực «{raw}» ({format_integer(count)} {counted_as}) không có trong danh "
                f"mục nên được xếp vào phòng «{UNASSIGNED_DEPARTMENT}». Để xếp đúng phòng: trên "
                f"trang Danh mục của sổ tính vừa tạo, chuyển lĩnh vực này sang phòng chuyên môn "
                f"đúng; hoặc ghi vào tệp tên cột (--aliases) rồi chạy lại, đổi tên phòng cho "
                f"đúng: {line}",
                Location(field=renames.get(raw, raw)),
            )
        )
    return FieldNames(catalogue, renames, tuple(findings))
