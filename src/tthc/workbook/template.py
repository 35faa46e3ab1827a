"""The data-entry workbook, generated entirely by code (openpyxl).

`build_workbook()` gives the empty template for a unit kind; given a report it
gives the same workbook filled in (used by `tthc new --data`, the demo and the
output workbook). Native Excel formulas compute (3), (7), (13), the totals,
the per-row checks and the Chỉ tiêu denominators, so the sheet stays live on a
PC without Python; the Tổng hợp sheet calls the add-in's `=TTHC_…()` functions.
"""

from collections.abc import Mapping, Sequence

from openpyxl import Workbook

from tthc.core.catalogue import default_catalogue
from tthc.core.model import ReportInput, UnitKind
from tthc.workbook.template_catalogue import catalogue_sheet
from tthc.workbook.template_extras import extras_sheet
from tthc.workbook.template_grid import grid_sheet
from tthc.workbook.template_info import default_recipients, info_sheet
from tthc.workbook.template_narrative import NARRATIVE_PLACEHOLDER, NARRATIVE_ROWS, narrative_sheet
from tthc.workbook.template_parts import GRID_FIRST_ROW, SPARE_ROWS, TEMPLATE_FILE_NAME
from tthc.workbook.template_summary import summary_sheet

__all__ = [
    "GRID_FIRST_ROW",
    "NARRATIVE_PLACEHOLDER",
    "NARRATIVE_ROWS",
    "SPARE_ROWS",
    "TEMPLATE_FILE_NAME",
    "build_workbook",
    "default_recipients",
]


def build_workbook(
    report: ReportInput | None = None,
    *,
    kind: UnitKind = UnitKind.XA,
    carried: Mapping[str, int] | None = None,
    listed: Sequence[str] | None = None,
) -> Workbook:
    """The data-entry workbook: empty for `kind`, or filled with `report`.

    With `carried`, the grid opens a new month instead: each field's pending
    dossiers of the previous month in (6), the report's own rows ignored, and
    `listed` the previous month's fields in its order (the rows keep that order).
    """
    if report is not None:
        kind = report.unit.kind
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    catalogue = report.catalogue if report else default_catalogue(kind.value)
    info_sheet(workbook, report, kind)
    grid_rows = grid_sheet(workbook, report, catalogue, carried, listed)
    area = extras_sheet(workbook, report, catalogue, grid_rows, kind)
    catalogue_sheet(workbook, catalogue)
    summary_sheet(workbook, catalogue, kind, area)
    narrative_sheet(workbook)
    workbook.properties.title = "Báo cáo kết quả giải quyết thủ tục hành chính"
    workbook.properties.creator = "tthc"
    workbook.active = 0
    return workbook
