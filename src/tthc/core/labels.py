"""Indicator names and the words for their numerators and denominators.

Both the narrative and the validation messages describe indicators; keeping
the words in one place keeps them identical, and lets a message say what a
denominator means under the convention in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from tthc.core.model import Convention, Settings

__all__ = [
    "MISSING_INPUTS",
    "MISSING_TEXT",
    "NONE_AROSE_TEXT",
    "SHORT_NAMES",
    "TITLES",
    "IndicatorLabels",
    "indicator_labels",
    "no_late_text",
]


def no_late_text(pending_overdue: int) -> str:
    """2.2 when no dossier was resolved late: «… quá hạn», or, with dossiers still pending
    past their due date, «… giải quyết quá hạn» (those are told apart). No full stop."""
    return f"Trong kỳ không có hồ sơ {'giải quyết quá hạn' if pending_overdue else 'quá hạn'}"


# What a summary cell shows instead of a number: an input is missing, or nothing arose.
MISSING_TEXT = "chưa có số liệu"
NONE_AROSE_TEXT = "không phát sinh"

SHORT_NAMES = {
    "1.1": "nộp hồ sơ trực tuyến",
    "1.2": "thanh toán trực tuyến",
    "1.3": "cập nhật hồ sơ trên hệ thống",
    "1.4": "số hóa hồ sơ, kết quả giải quyết",
    "1.5": "khai thác, sử dụng lại thông tin số hóa",
    "1.6": "xử lý phản ánh, kiến nghị",
    "2.1": "giải quyết trước hạn, đúng hạn",
    "2.2": "giải quyết quá hạn",
}


@dataclass(frozen=True)
class IndicatorLabels:
    """Numerator and denominator in words, and what 'nothing arose' means."""

    numerator: str
    denominator: str
    nothing: str  # completes "Trong kỳ không phát sinh …"


def indicator_labels(code: str, settings: Settings) -> IndicatorLabels:
    mau = settings.convention is Convention.MAU
    received = "tổng số hồ sơ tiếp nhận" if mau else "số hồ sơ tiếp nhận trong kỳ"
    nothing_received = "hồ sơ tiếp nhận" if mau else "hồ sơ tiếp nhận trong kỳ"
    if code == "1.1":
        return IndicatorLabels("số hồ sơ nộp trực tuyến", received, nothing_received)
    if code == "1.2":
        return IndicatorLabels(
            "số hồ sơ thanh toán trực tuyến", "tổng số hồ sơ có phí, lệ phí", "hồ sơ có phí, lệ phí"
        )
    if code == "1.3":
        return IndicatorLabels(
            "số hồ sơ được cập nhật lên hệ thống thông tin giải quyết thủ tục hành chính",
            received,
            nothing_received,
        )
    if code == "1.4":
        if mau:
            return IndicatorLabels(
                "số hồ sơ được số hóa",
                "số hồ sơ đã giải quyết trước hạn, đúng hạn, quá hạn",
                "hồ sơ đã giải quyết trước hạn, đúng hạn, quá hạn",
            )
        return IndicatorLabels("số hồ sơ được số hóa", received, nothing_received)
    if code == "1.5":
        return IndicatorLabels(
            "số hồ sơ khai thác, sử dụng lại thông tin số hóa",
            "số hồ sơ tiếp nhận trong kỳ",
            "hồ sơ tiếp nhận trong kỳ",
        )
    if code == "1.6":
        return IndicatorLabels(
            "số phản ánh, kiến nghị được xử lý theo quy định",
            "số phản ánh, kiến nghị tiếp nhận",
            "phản ánh, kiến nghị của người dân, doanh nghiệp",
        )
    if code == "2.1":
        if not mau:
            return IndicatorLabels(
                "số hồ sơ giải quyết trước hạn, đúng hạn và đang giải quyết trong hạn",
                "tổng số hồ sơ đã và đang giải quyết",
                "hồ sơ đã và đang giải quyết",
            )
        if settings.strict_on_time:
            return IndicatorLabels(
                "số hồ sơ giải quyết trước hạn, đúng hạn (không tính hồ sơ từ chối, hồ sơ rút)",
                "tổng số hồ sơ đã giải quyết",
                "hồ sơ đã giải quyết",
            )
        return IndicatorLabels(
            "số hồ sơ đã giải quyết trước hạn, đúng hạn",
            "tổng số hồ sơ đã giải quyết",
            "hồ sơ đã giải quyết",
        )
    return IndicatorLabels(
        "số hồ sơ giải quyết quá hạn", "tổng số hồ sơ đã giải quyết", "hồ sơ đã giải quyết"
    )


MISSING_INPUTS = {
    "1.2": "số hồ sơ thanh toán trực tuyến, số hồ sơ có phí, lệ phí",
    "1.3": "số hồ sơ được cập nhật trên hệ thống",
    "1.4": "số hồ sơ được số hóa",
    "1.5": "số hồ sơ khai thác, sử dụng lại thông tin số hóa",
    "1.6": "số phản ánh, kiến nghị tiếp nhận và được xử lý",
}

TITLES = {
    "1.1": "Tỷ lệ nộp hồ sơ trực tuyến",
    "1.2": "Tỷ lệ thanh toán trực tuyến",
    "1.3": "Tỷ lệ hồ sơ giải quyết thủ tục hành chính được cập nhật trên hệ thống",
    "1.4": "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính",
    "1.5": "Tỷ lệ khai thác, sử dụng lại thông tin số hóa",
    "1.6": "Tỷ lệ phản ánh, kiến nghị của người dân, doanh nghiệp được xử lý theo quy định",
    "2.1": "Tỷ lệ hồ sơ đã giải quyết trước hạn, đúng hạn",
    "2.2": "Hồ sơ giải quyết quá hạn",
}
