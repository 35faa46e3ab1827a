"""The narrative as a plain UTF-8 text file: the report readable anywhere, and diffable."""

from __future__ import annotations

import textwrap

from tthc.core.grid import COUNT_COLUMNS
from tthc.core.narrative import AppendixRow, Narrative, appendix_cell

__all__ = ["render_text"]

_WIDTH = 100


def _centre(text: str) -> str:
    """Centre a line, wrapping long ones (the subject line) onto several centred lines."""
    return "\n".join(line.center(_WIDTH).rstrip() for line in textwrap.wrap(text, _WIDTH - 10))


def _table(rows: list[AppendixRow], total: AppendixRow) -> list[str]:
    header = ["STT", "Lĩnh vực giải quyết", *(c.number_label.split("=")[0] for c in COUNT_COLUMNS)]
    body = [[r.number, r.field, *(appendix_cell(v) for v in r.values)] for r in (*rows, total)]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        parts = [cells[0].rjust(widths[0]), cells[1].ljust(widths[1])]
        parts += [cell.rjust(width) for cell, width in zip(cells[2:], widths[2:], strict=True)]
        return "  ".join(parts).rstrip()

    legend = [f"{c.number_label}: {c.group.lower()}, {c.label.lower()}" for c in COUNT_COLUMNS]
    return [line(header), *(line(cells) for cells in body), "", *legend]


def render_text(narrative: Narrative) -> str:
    """Header, body, recipients, signature and appendix in reading order."""
    h = narrative.header
    lines = [
        h.parent_body,
        h.issuing_body,
        h.number_line,
        "",
        h.nation,
        h.motto,
        h.place_date,
        "",
        _centre(narrative.title),
        _centre(narrative.subject),
        "",
    ]
    for paragraph in narrative.body:
        lines += [paragraph.text, ""]
    lines.append(narrative.recipients_heading)
    lines += list(narrative.recipients)
    lines.append("")
    lines += [line.rjust(_WIDTH // 2 + len(line) // 2) for line in narrative.signature]
    appendix = narrative.appendix
    lines += [
        "",
        "",
        _centre(appendix.heading),
        _centre(appendix.title),
        _centre(appendix.attachment_line),
        "",
        *_table(list(appendix.rows), appendix.total),
    ]
    return "\n".join(lines).rstrip() + "\n"
