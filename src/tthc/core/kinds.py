"""The two choices a command line names: the kind of unit and the indicators' convention.

Apart from `core.model` (which re-exports them) so that building the command line's
parser, and so `tthc --help`, does not import the whole report model.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Convention", "UnitKind"]


class UnitKind(StrEnum):
    XA = "xã"
    PHUONG = "phường"
    DAC_KHU = "đặc khu"


class Convention(StrEnum):
    """Which denominators the indicators use: the report form's (mẫu) or Quyết định 766/QĐ-TTg's.

    'mau' reproduces the reference report; 'qd766' is the national scoring rule
    of Quyết định 766/QĐ-TTg.
    """

    MAU = "mau"
    QD766 = "qd766"

    @property
    def label(self) -> str:
        return "Theo mẫu" if self is Convention.MAU else "Theo QĐ 766"
