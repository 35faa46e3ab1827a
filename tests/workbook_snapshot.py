"""A comparable picture of a workbook: what a person and Excel see, not its bytes.

Two .xlsx files with equal snapshots have the same sheets, cells, formulas,
defined names, validations, conditional formats, protection and cell styles;
zip timestamps and XML attribute order do not matter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook


def workbook_snapshot(path: Path) -> dict[str, Any]:
    workbook = load_workbook(path)
    snapshot: dict[str, Any] = {
        "sheets": workbook.sheetnames,
        "names": {name: d.attr_text for name, d in workbook.defined_names.items()},
    }
    for sheet in workbook.worksheets:
        cells = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None and not cell.has_style:
                    continue
                cells[cell.coordinate] = (
                    cell.value,
                    cell.number_format,
                    cell.font.b,
                    cell.font.i,
                    cell.fill.fgColor.rgb if cell.fill.fill_type else None,
                    cell.protection.locked,
                    cell.alignment.wrap_text,
                )
        snapshot[sheet.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "validations": sorted(
                (str(v.sqref), v.type, v.formula1, v.formula2, v.operator, v.prompt, v.error)
                for v in sheet.data_validations.dataValidation
            ),
            "conditional": sorted(
                (str(rng.sqref), tuple(rule.formula or ()))
                for rng in sheet.conditional_formatting
                for rule in rng.rules
            ),
            "protected": sheet.protection.sheet,
            "freeze": sheet.freeze_panes,
            "widths": {k: v.width for k, v in sheet.column_dimensions.items() if v.width},
            "orientation": sheet.page_setup.orientation,
            "print_titles": sheet.print_title_rows,
            "charts": len(sheet._charts),
        }
    return snapshot
