"""What staff should know about a workbook that is read all the same: external links and macros.

`package_guard` lets through a workbook that links to other files or carries
macros: links are common (a sheet copied from another workbook keeps them) and a
macro is only bytes to a reader that never runs one. But a linked value may be
stale, and a workbook with macros from outside is how harm comes to an office,
so every reader (check, report, consolidate, import) says so, in the same words.
"""

from __future__ import annotations

from tthc.core.findings import Finding, Location, Severity
from tthc.infra.package_guard import Checked
from tthc.workbook.layout import ADDIN_FILE_NAME

__all__ = ["file_notices"]


def _linked(name: str, links: tuple[str, ...]) -> Finding:
    """The values read are those last saved: no linked file is ever opened to refresh them."""
    named = ", ".join(f"«{link}»" for link in links if link)
    return Finding(
        Severity.WARNING,
        "file.external_links",
        f"Sổ tính «{name}» có liên kết tới {len(links)} tệp khác"
        + (f" ({named})" if named else "")
        + ": số liệu lấy từ các tệp đó là giá trị được lưu lần cuối trong sổ tính, chương "
        "trình không mở các tệp được liên kết. Hãy kiểm tra lại các số liệu này (hoặc trong "
        "Excel cập nhật liên kết, ngắt liên kết rồi lưu lại).",
        Location(key=name),
    )


def _macros(name: str) -> Finding:
    return Finding(
        Severity.WARNING,
        "file.macros",
        f"Sổ tính «{name}» có macro (VBA). Chương trình chỉ đọc số liệu trong các ô, không "
        "bao giờ chạy macro; nhưng nếu không rõ macro này từ đâu, đừng bật macro khi mở tệp "
        "bằng Excel. Có thể lưu lại dạng «Sổ làm việc Excel (.xlsx)» để bỏ macro.",
        Location(key=name),
    )


def _data_links(links: tuple[str, ...]) -> tuple[str, ...]:
    """The links to files values come from: not the one to the add-in.

    Excel saves every =TTHC_…() call of a workbook as a link to tthc.xlam (where
    the function lives, e.g. «[1]!TTHC_RATE(…)»); no value is taken from it, so
    a clerk's workbook saved with the add-in is not a workbook with stale links.
    """
    return tuple(link for link in links if link.casefold() != ADDIN_FILE_NAME.casefold())


def file_notices(name: str, checked: Checked) -> tuple[Finding, ...]:
    """The warnings for a workbook `package_guard.check_workbook` let through."""
    found: list[Finding] = []
    links = _data_links(checked.links)
    if links:
        found.append(_linked(name, links))
    if checked.macros:
        found.append(_macros(name))
    return tuple(found)
