"""The field → department catalogue (danh mục lĩnh vực).

Each field of procedures belongs to one specialised department of the commune
(Nghị định 150/2025). Provinces differ at the edges, so the catalogue is data
the user may edit; the defaults are the usual departments of a commune. Department order in
the catalogue is the order every section of the report uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache

from tthc.core.vn_format import nfc

__all__ = [
    "UNASSIGNED_DEPARTMENT",
    "Catalogue",
    "Department",
    "default_catalogue",
    "field_key",
    "grid_order",
]

VAN_PHONG = "Văn phòng HĐND-UBND"
KINH_TE = "Phòng Kinh tế"
KINH_TE_PHUONG = "Phòng Kinh tế, Hạ tầng và Đô thị"
VAN_HOA_XA_HOI = "Phòng Văn hóa - Xã hội"
#: Where a field read from an export goes when nothing says which department handles it.
UNASSIGNED_DEPARTMENT = "Chưa xếp phòng"

_VAN_PHONG_FIELDS = (
    "Hộ tịch",
    "Chứng thực",
    "Nuôi con nuôi",
    "Hòa giải cơ sở",
    "Trợ giúp pháp lý",
    "Bồi thường nhà nước",
)
_KINH_TE_FIELDS = (
    "Đất đai",
    "Hộ kinh doanh",
    "Kinh tế hợp tác",
    "Môi trường",
    "Tài nguyên nước",
    "Xây dựng",
    "Quy hoạch",
    "Giao thông",
    "Nông nghiệp",
    "Lâm nghiệp",
    "Thủy lợi",
    "Phòng chống thiên tai",
    "Công thương",
    "Tài chính",
)
_VAN_HOA_XA_HOI_FIELDS = (
    "Người có công",
    "Bảo trợ xã hội",
    "Giáo dục",
    "Lao động - việc làm",
    "Thi đua khen thưởng",
    "Tôn giáo",
    "Dân tộc",
    "Văn hóa",
    "Gia đình",
    "Thể thao",
    "Y tế",
    "Trẻ em",
)


@lru_cache(maxsize=4096)
def field_key(name: str) -> str:
    """The matching key of a field or department name.

    Staff type 'hộ  tịch ' or paste NFD text from another system; both must find
    'Hộ tịch'. Case, surrounding and repeated spaces, and Unicode form are
    ignored; diacritics are not (Đất đai and Dat dai are different words).
    """
    return re.sub(r"\s+", " ", nfc(name)).strip().casefold()


@dataclass(frozen=True)
class Department:
    """A specialised department and the fields it handles, in display order."""

    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Catalogue:
    """An ordered list of departments; each field belongs to exactly one."""

    departments: tuple[Department, ...]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for department in self.departments:
            for name in department.fields:
                key = field_key(name)
                if key in seen:
                    raise ValueError(
                        f"Lĩnh vực «{name}» có trong danh mục của cả «{seen[key]}» "
                        f"và «{department.name}»."
                    )
                seen[key] = department.name

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Iterable[str]]) -> Catalogue:
        """Build from {department: [fields]} keeping the mapping's order.

        The same lists give the same catalogue (it is immutable), made once: every
        workbook of a province carries the same Danh mục, and a catalogue learns
        where each field belongs on first use.
        """
        pairs = tuple((name, tuple(fields)) for name, fields in mapping.items())
        if cls is not Catalogue:
            return cls(_departments(pairs))
        return _catalogue(pairs)

    def adding(self, field: str, department: str) -> Catalogue:
        """This catalogue with `field` added at the end of `department` (a new one if absent).

        Why: a field read from an export that the unit's catalogue lacks must still
        land somewhere the clerk sees it, in the department the vocabulary gives or
        in «Chưa xếp phòng», instead of refusing the whole month.
        """
        if self.department_of(field) is not None:
            return self
        departments = list(self.departments)
        for index, existing in enumerate(departments):
            if field_key(existing.name) == field_key(department):
                departments[index] = Department(existing.name, (*existing.fields, field))
                return Catalogue(tuple(departments))
        return Catalogue((*departments, Department(department, (field,))))

    def to_mapping(self) -> dict[str, list[str]]:
        return {d.name: list(d.fields) for d in self.departments}

    @property
    def department_names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.departments)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f for d in self.departments for f in d.fields)

    @cached_property
    def _fields_by_key(self) -> dict[str, tuple[str, str]]:
        """field key -> (field as the catalogue spells it, its department), built once."""
        return {
            field_key(field): (field, department.name)
            for department in self.departments
            for field in department.fields
        }

    @cached_property
    def _field_positions(self) -> dict[str, int]:
        return {field_key(f): index for index, f in enumerate(self.field_names)}

    def canonical_field(self, name: str) -> str | None:
        """The catalogue's spelling of a field typed by a person, or None if unknown."""
        found = self._fields_by_key.get(field_key(name))
        return found[0] if found else None

    def canonical_department(self, name: str) -> str | None:
        key = field_key(name)
        for department in self.departments:
            if field_key(department.name) == key:
                return department.name
        return None

    def department_of(self, field: str) -> str | None:
        found = self._fields_by_key.get(field_key(field))
        return found[1] if found else None

    def field_order(self, field: str) -> int:
        """Position of a field in catalogue order (unknown fields sort last)."""
        return self._field_positions.get(field_key(field), len(self._field_positions))


def grid_order(listed: Sequence[str], fields: Sequence[str]) -> list[str]:
    """The appendix's rows: the `listed` fields in their order, the catalogue's others among them.

    `listed` are the fields a month has figures for, in the order its grid showed them;
    `fields` the catalogue's. Walking the catalogue, a field not listed takes its
    catalogue place, and a listed one brings out every listed field before it. So the
    listed fields keep their order, the others keep theirs, and the order a workbook
    shows is the order the next month's workbook gets (the same walk gives it back),
    month after month; a listed field the catalogue lacks goes at the end.
    """
    keys = [field_key(name) for name in listed]
    wanted = set(keys)
    order: list[str] = []
    done: set[str] = set()
    at = 0
    for name in fields:
        key = field_key(name)
        if key in done:
            continue
        if key in wanted:
            while key not in done:
                done.add(keys[at])
                order.append(listed[at])
                at += 1
        else:
            done.add(key)
            order.append(name)
    for name, key in zip(listed[at:], keys[at:], strict=True):
        if key not in done:
            done.add(key)
            order.append(name)
    return order


def default_catalogue(unit_kind: str) -> Catalogue:
    """The usual catalogue for a xã, phường or đặc khu.

    A phường's economic department is 'Phòng Kinh tế, Hạ tầng và Đô thị'; the
    fields are the same.
    """
    economic = KINH_TE_PHUONG if unit_kind == "phường" else KINH_TE
    return Catalogue(
        (
            Department(VAN_PHONG, _VAN_PHONG_FIELDS),
            Department(economic, _KINH_TE_FIELDS),
            Department(VAN_HOA_XA_HOI, _VAN_HOA_XA_HOI_FIELDS),
        )
    )


def _departments(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[Department, ...]:
    return tuple(
        Department(nfc(name).strip(), tuple(nfc(f).strip() for f in fields))
        for name, fields in pairs
    )


@lru_cache(maxsize=64)
def _catalogue(pairs: tuple[tuple[str, tuple[str, ...]], ...]) -> Catalogue:
    """`Catalogue.from_mapping`, cached (a duplicate field raises, and is not cached)."""
    return Catalogue(_departments(pairs))
