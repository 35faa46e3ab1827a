"""Operating-system errors told in Vietnamese.

Python's `OSError.strerror` is the C library's English text ("No space left on
device"); staff need to read what happened and what to do. The original text is
kept in brackets for whoever supports them.
"""

from __future__ import annotations

import errno

__all__ = ["os_reason"]

_REASONS = {
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EDQUOT: "đã dùng hết dung lượng được cấp trên ổ đĩa",
    errno.EACCES: "không có quyền ghi (thư mục chỉ cho đọc, hoặc tệp đang mở trong Excel/Word)",
    errno.EPERM: "hệ điều hành không cho phép thao tác này",
    errno.EROFS: "ổ đĩa hoặc thư mục chỉ cho đọc",
    errno.ENOENT: "không tìm thấy tệp hoặc thư mục",
    errno.EISDIR: "đây là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "tên tệp hoặc đường dẫn quá dài",
    errno.EBUSY: "tệp đang được chương trình khác dùng",
    errno.ETXTBSY: "tệp đang được chương trình khác dùng",
    errno.EMFILE: "đang mở quá nhiều tệp cùng lúc",
    errno.EIO: "lỗi đọc/ghi của ổ đĩa",
    errno.EEXIST: "tệp đã có",
}
# Windows reports a file held open by Excel as winerror 32 (sharing violation) or 33.
_WINDOWS_REASONS = {
    32: "tệp đang mở trong chương trình khác (Excel, Word…)",
    33: "tệp đang bị chương trình khác khoá",
    112: "ổ đĩa đã đầy",
}


def os_reason(problem: OSError) -> str:
    """Why the system refused, in Vietnamese, e.g. 'ổ đĩa đã đầy (No space left on device)'."""
    reason = _WINDOWS_REASONS.get(getattr(problem, "winerror", None) or -1)
    if reason is None:
        reason = _REASONS.get(problem.errno or -1)
    original = problem.strerror or (str(problem) if not problem.args else str(problem.args[-1]))
    if reason is None:
        number = f" số {problem.errno}" if problem.errno else ""
        return f"lỗi hệ thống{number} ({original})"
    return f"{reason} ({original})" if original else reason
