"""One dossier as the provincial one-stop system lists it, after reading.

The reader (`dossier_list`) turns vendor-specific columns into these records;
the classifier (`core.dossier_classification`) turns records into the grid. Keeping the
record small and typed lets each side be tested alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date
from enum import StrEnum

__all__ = ["Channel", "Dossier", "Status"]


class Channel(StrEnum):
    ONLINE = "trực tuyến"  # column (4)
    DIRECT = "trực tiếp"  # column (5)
    POST = "bưu chính"  # column (5) too: "trực tiếp, dịch vụ bưu chính"


class Status(StrEnum):
    RESOLVED = "đã giải quyết"
    REFUSED = "từ chối"
    WITHDRAWN = "rút"
    SUPPLEMENT = "chờ bổ sung"
    PROCESSING = "đang xử lý"
    # Never became a dossier of any period: submitted online and not yet received,
    # refused at the counter, cancelled. Listed among the dossiers left out, not counted.
    NOT_COUNTED = "không tính"


@dataclass(frozen=True)
class Dossier:
    """One row of the dossier list; flags are None when the list has no such column."""

    code: str  # mã hồ sơ
    field: str  # lĩnh vực
    channel: Channel
    received: date | None  # None only for a NOT_COUNTED dossier that was never received
    due: date | None  # ngày hẹn trả
    finished: date | None  # ngày kết thúc xử lý; None while pending
    status: Status
    row: int  # the row in the source list (1-based, header = 1), for messages
    has_fee: bool | None = None
    paid_online: bool | None = None
    updated: bool | None = None  # cập nhật trên hệ thống
    digitised: bool | None = None
    reused: bool | None = None

    @classmethod
    def listed(
        cls,
        code: str,
        field: str,
        channel: Channel,
        received: date | None,
        due: date | None,
        finished: date | None,
        status: Status,
        row: int,
        flags: Mapping[str, bool | None],
    ) -> Dossier:
        """`Dossier(...)` for the reader of a list, a dossier at a time: a frozen
        dataclass sets each of its 13 fields through `object.__setattr__` (about 7 µs a
        dossier, 1,5 s for 200.000); filling the instance dictionary is a third of that.
        `flags` holds some of the flag fields; the others keep their default (None).
        """
        made = object.__new__(cls)
        object.__setattr__(
            made,
            "__dict__",
            {
                "code": code,
                "field": field,
                "channel": channel,
                "received": received,
                "due": due,
                "finished": finished,
                "status": status,
                "row": row,
                **_FLAG_DEFAULTS,
                **flags,
            },
        )
        return made

    def with_field(self, name: str) -> Dossier:
        """This dossier under another field name: `dataclasses.replace` without its cost.

        A year's list is 20.000 dossiers and more, each renamed to the catalogue's
        spelling; `replace` re-runs `__init__` through introspection (about 15 µs a
        dossier), a copy of the instance dictionary does the same in a tenth of it.
        """
        if name == self.field:
            return self
        copy = object.__new__(Dossier)
        copy.__dict__.update(self.__dict__)
        object.__setattr__(copy, "field", name)
        return copy


# The flag fields and their default, for `Dossier.listed`.
_FLAG_DEFAULTS = {
    item.name: item.default for item in fields(Dossier) if item.default is not MISSING
}
