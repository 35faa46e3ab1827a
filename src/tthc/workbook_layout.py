"""The workbook's contract: sheet names, defined names and the order of columns in blocks.

Everything outside the template builder (reader, worksheet functions, macro,
outside tools) finds data through these workbook-scope defined names, never
through cell addresses, so staff may insert rows or move blocks in Excel
without breaking anything. The README lists the names for outside users.
"""

from __future__ import annotations

from .model import Convention
from .vn_format import RateRounding

__all__ = [
    "CONVENTION_LABELS",
    "EXTRA_COLUMNS",
    "GRID_COLUMNS",
    "NAMES",
    "NO",
    "ROUNDING_LABELS",
    "SHEETS",
    "TARGET_COLUMNS",
    "YES",
    "convention_from_label",
    "rounding_from_label",
]

SHEETS = {
    "info": "Thông tin",
    "grid": "Phụ lục",
    "extras": "Chỉ tiêu",
    "catalogue": "Danh mục",
    "summary": "Tổng hợp",
    "narrative": "Báo cáo",
}

# Defined name -> what it holds. Single cells unless stated.
NAMES: dict[str, str] = {
    "TTHC_UNIT_KIND": "Loại đơn vị: xã, phường hoặc đặc khu",
    "TTHC_UNIT_NAME": "Tên đơn vị, ví dụ Bình Giang",
    "TTHC_PARENT_BODY": "Cơ quan chủ quản, ví dụ UBND xã Bình Giang",
    "TTHC_ISSUING_BODY": "Cơ quan ban hành, tên đầy đủ",
    "TTHC_ISSUING_BODY_SHORT": "Tên cơ quan ban hành ở tiêu đề văn bản",
    "TTHC_PLACE": "Địa danh ở dòng ngày tháng",
    "TTHC_PERIOD_START": "Ngày đầu kỳ báo cáo",
    "TTHC_PERIOD_END": "Ngày cuối kỳ báo cáo",
    "TTHC_DOC_NUMBER": "Số báo cáo",
    "TTHC_DOC_SYMBOL": "Ký hiệu báo cáo",
    "TTHC_DOC_DATE": "Ngày báo cáo",
    "TTHC_SIGNER_AUTHORITY": "Thẩm quyền ký",
    "TTHC_SIGNER_TITLE": "Chức vụ người ký",
    "TTHC_SIGNER_NAME": "Họ tên người ký",
    "TTHC_SETTINGS": "4 ô: cách tính, 2.1 chặt, ghi số 01–09, làm tròn tỷ lệ",
    "TTHC_CONVENTION": "Cách tính chỉ tiêu (ô đầu của TTHC_SETTINGS)",
    "TTHC_TARGETS": "Bảng chỉ tiêu giao: mã, tên, so sánh, mức (%)",
    "TTHC_RECIPIENTS": "Nơi nhận, mỗi ô một nơi",
    "TTHC_SHORTCOMINGS": "Tồn tại, hạn chế, mỗi ô một đoạn",
    "TTHC_GRID": "Các dòng lĩnh vực của phụ lục: cột (2)…(16) và phòng chuyên môn",
    "TTHC_GRID_TOTAL": "Dòng Tổng cộng: cột (2)…(16)",
    "TTHC_GRID_CHECK": "Cột kiểm tra của các dòng lĩnh vực",
    "TTHC_EXTRAS": "Bảng số liệu chỉ tiêu 1.2–1.6: các phòng và dòng toàn đơn vị",
    "TTHC_CATALOGUE": "Danh mục: lĩnh vực và phòng chuyên môn",
    "TTHC_CATALOGUE_FIELDS": "Cột lĩnh vực của danh mục",
    "TTHC_CATALOGUE_DEPARTMENTS": "Cột phòng chuyên môn của danh mục",
    "TTHC_SUMMARY": "Bảng tổng hợp chỉ tiêu",
    "TTHC_NARRATIVE": "Ô đầu của trang Báo cáo",
}

# TTHC_GRID: column (2) field, (3)…(16), then the department (looked up in Danh mục).
GRID_COLUMNS: tuple[str, ...] = ("field", *(str(n) for n in range(3, 17)), "department")

# TTHC_EXTRAS: department name, then inputs and the denominators computed by formulas.
EXTRA_COLUMNS: tuple[str, ...] = (
    "department",
    "with_fee",
    "paid_online",
    "denominator_1_3",
    "updated",
    "denominator_1_4",
    "digitised",
    "denominator_1_5",
    "reused",
    "feedback_received",
    "feedback_handled",
)

# TTHC_TARGETS: one row per indicator code.
TARGET_COLUMNS: tuple[str, ...] = ("code", "title", "comparison", "percent")

YES, NO = "Có", "Không"
CONVENTION_LABELS = {Convention.MAU: "Theo mẫu", Convention.QD766: "Theo QĐ 766"}
ROUNDING_LABELS = {RateRounding.TRUNCATE: "Cắt bớt", RateRounding.HALF_UP: "Làm tròn"}


def convention_from_label(label: object) -> Convention | None:
    """'Theo QĐ 766' or 'qd766' -> Convention.QD766; None when not recognised."""
    text = str(label or "").strip().casefold()
    for convention, shown in CONVENTION_LABELS.items():
        if text in (shown.casefold(), convention.value):
            return convention
    return None


def rounding_from_label(label: object) -> RateRounding | None:
    text = str(label or "").strip().casefold()
    for rounding, shown in ROUNDING_LABELS.items():
        if text in (shown.casefold(), rounding.value):
            return rounding
    return None
