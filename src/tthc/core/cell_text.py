"""The narrative cut to fit worksheet cells, for =TTHC_TEXT().

A classic Excel UDF returning a string longer than 255 characters shows
#VALUE!, so long paragraphs are split at sentence ends (or, failing that, at
a space) into consecutive cells of a spilled column.
"""

from __future__ import annotations

from tthc.core.narrative import Narrative, Role

__all__ = ["CELL_LIMIT", "section_paragraphs", "split_for_cells"]

CELL_LIMIT = 255


def split_for_cells(text: str, limit: int = CELL_LIMIT) -> list[str]:
    """Pieces of at most `limit` characters, cut after '. ' or '; ' where possible."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind(". "), window.rfind("; "), window.rfind(": "))
        cut = cut + 1 if cut > limit // 3 else window.rfind(" ")
        if cut <= 0:
            cut = limit
        pieces.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        pieces.append(rest)
    return pieces


def section_paragraphs(narrative: Narrative, section: str) -> list[str]:
    """The paragraphs of one section ('1', '1.4', '2', '3') with its heading.

    A blank section gives sections 1, 2 and 3 together: the opening and closing
    paragraphs name the unit, which the worksheet functions do not receive.
    """
    body = narrative.body
    wanted = section.strip().rstrip(".")
    if not wanted or wanted.casefold() in ("all", "toàn văn", "tất cả"):
        return [p.text for p in body[1:-1]]
    depth = wanted.count(".")
    out: list[str] = []
    inside = False
    for paragraph in body:
        heading = paragraph.role in (Role.HEADING, Role.SUBHEADING)
        number = paragraph.text.split(" ", 1)[0].rstrip(".") if heading else ""
        if heading and number == wanted:
            inside = True
        elif heading and inside and number.count(".") <= depth:
            break
        elif not heading and inside and paragraph is body[-1]:
            break  # the closing paragraph belongs to no section
        if inside:
            out.append(paragraph.text)
    return out
