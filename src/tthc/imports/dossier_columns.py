"""The columns of a dossier list: their keys, the names systems give them, how headers match.

Why apart: the aliases file (`aliases_file`) and the reader (`dossier_list`)
both need the same table, and the README documents it from here.
"""

from __future__ import annotations

import re

from tthc.imports.vocabulary import plain_letters

__all__ = [
    "COLUMN_LABELS",
    "DEFAULT_ALIASES",
    "FLAG_COLUMNS",
    "REQUIRED_COLUMNS",
    "header_key",
]

DEFAULT_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("Mã hồ sơ", "MaHoSo", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận", "DossierNo"),
    "field": ("Lĩnh vực", "TenLinhVuc", "LinhVuc", "Tên lĩnh vực", "Lĩnh vực TTHC"),
    "channel": (
        "Kênh",
        "Kênh nộp",
        "Kênh tiếp nhận",
        "Hình thức nộp",
        "Hình thức tiếp nhận",
        "KenhThucHien",
        "HinhThuc",
        "Loại tiếp nhận",
        "Kênh thực hiện",
        "Hình thức nộp hồ sơ",
    ),
    "received": (
        "Ngày tiếp nhận",
        "NgayTiepNhan",
        "Ngày nhận",
        "Ngày nộp",
        "Ngày tiếp nhận hồ sơ",
        "ReceiveDate",
    ),
    "due": (
        "Ngày hẹn trả",
        "NgayHenTra",
        "Hạn xử lý",
        "Ngày hẹn trả kết quả",
        "Hạn giải quyết",
        "Hạn trả kết quả",
        "DueDate",
    ),
    "finished": (
        "Ngày kết thúc",
        "NgayKetThucXuLy",
        "Ngày trả kết quả",
        "Ngày hoàn thành",
        "Ngày kết thúc xử lý",
        "Ngày có kết quả",
        "NgayCoKetQua",
        "FinishDate",
    ),
    "status": (
        "Trạng thái",
        "TrangThaiHoSo",
        "TinhTrang",
        "Tình trạng hồ sơ",
        "Trạng thái hồ sơ",
        "Tình trạng",
        "Trạng thái xử lý",
    ),
    "has_fee": ("Có phí", "Phí lệ phí", "CoPhi"),
    "paid_online": ("Thanh toán trực tuyến", "ThanhToanTrucTuyen", "TTTT"),
    "updated": ("Cập nhật hệ thống", "DongBo", "Đồng bộ", "Cập nhật lên hệ thống"),
    "digitised": ("Số hóa", "SoHoa", "Đã số hóa"),
    "reused": ("Tái sử dụng", "Khai thác lại", "TaiSuDung"),
}

# How each column is named in messages.
COLUMN_LABELS: dict[str, str] = {
    "code": "Mã hồ sơ",
    "field": "Lĩnh vực",
    "channel": "Kênh nộp",
    "received": "Ngày tiếp nhận",
    "due": "Ngày hẹn trả",
    "finished": "Ngày kết thúc",
    "status": "Trạng thái",
    "has_fee": "Có phí",
    "paid_online": "Thanh toán trực tuyến",
    "updated": "Cập nhật hệ thống",
    "digitised": "Số hóa",
    "reused": "Tái sử dụng",
}

REQUIRED_COLUMNS = ("code", "field", "channel", "received", "due", "finished", "status")
FLAG_COLUMNS = ("has_fee", "paid_online", "updated", "digitised", "reused")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """The matching key of a header: 'Mã hồ sơ (*)', 'MA_HO_SO', 'MaHoSo' -> 'mahoso'."""
    return _NON_ALNUM.sub("", plain_letters(text))
