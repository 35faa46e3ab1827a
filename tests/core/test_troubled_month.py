"""A month where things go wrong, built by hand, with the expected sentences written by hand.

xã Tân An, April 2026. The grid (columns (4)(5)(6) | (8)(9)(10)(11)(12) | (14)(15)(16)):

    Hộ tịch         50  30  0 |  60  10  2  1  0 |  5  0  2   (3)=80  (7)=73  (13)=7
    Chứng thực      20 100  0 | 115   5  0  0  0 |  0  0  0   (3)=120 (7)=120 (13)=0
    Đất đai         10   5  5 |   8   2  3  0  1 |  3  2  1   (3)=20  (7)=14  (13)=6
    Bảo trợ xã hội  12   0  0 |  12   0  0  0  0 |  0  0  0   (3)=12  (7)=12  (13)=0

Departments: VP (Hộ tịch + Chứng thực) (3)=200 (5)=130 (7)=193 (10)=2 (8)+(9)+(10)=192;
KT (Đất đai) (3)=20 (5)=5 (7)=14 (10)=3 (8)+(9)+(10)=13; VHXH (Bảo trợ) (3)=12 (7)=12.
Unit: (3)=232, (4)=92, (5)=135, (6)=5, (7)=219, (10)=5, (11)=1, (12)=1, (13)=13, (15)=2.
No payment figures were given (1.2 missing); no feedback arose (1.6 = 0/0).
"""

from __future__ import annotations

from typing import Any

import pytest

from helpers import body_text, run_data

ROWS = [
    ("Hộ tịch", (50, 30, 0, 60, 10, 2, 1, 0, 5, 0, 2)),
    ("Chứng thực", (20, 100, 0, 115, 5, 0, 0, 0, 0, 0, 0)),
    ("Đất đai", (10, 5, 5, 8, 2, 3, 0, 1, 3, 2, 1)),
    ("Bảo trợ xã hội", (12, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0)),
]
KEYS = (
    "online",
    "direct",
    "carried_over",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "pending_in_time",
    "pending_overdue",
    "pending_supplement",
)


def troubled_month() -> dict[str, Any]:
    return {
        "unit": {"kind": "xã", "name": "Tân An"},
        "period": {"start": "2026-04-01", "end": "2026-04-30"},
        "signer": {"name": "Lê Thị Hoa"},
        "targets": {"2.1": {"comparison": "≥", "percent": 90}},
        "appendix": {
            "rows": [
                {"field": name, **dict(zip(KEYS, values, strict=True))} for name, values in ROWS
            ]
        },
        "extra_inputs": {
            "unit": {"reused": 150, "feedback_received": 0, "feedback_handled": 0},
            "departments": {
                "Văn phòng HĐND-UBND": {"updated": 200, "digitised": 180},
                "Phòng Kinh tế": {"updated": 20, "digitised": 13},
                "Phòng Văn hóa - Xã hội": {"updated": 12, "digitised": 12},
            },
        },
    }


@pytest.fixture
def lines() -> list[str]:
    result = run_data(troubled_month())
    assert result.ok, [f.describe() for f in result.findings]
    return body_text(result)


def after(lines: list[str], heading: str, count: int) -> list[str]:
    index = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return lines[index + 1 : index + 1 + count]


def test_missing_payment_input_is_a_warning_not_a_figure() -> None:
    result = run_data(troubled_month())
    missing = [f for f in result.findings if f.code == "extras.missing"]
    assert [f.message for f in missing] == [
        "Chưa có số liệu «Số hồ sơ thanh toán trực tuyến», «Số hồ sơ có phí, lệ phí»; chỉ tiêu "
        "1.2 (thanh toán trực tuyến) sẽ ghi «chưa có số liệu»."
    ]


def test_online_submission_below_target(lines: list[str]) -> None:
    # 232 - 135 = 97 of 232 = 41,810…%; VP 70/200 = 35%; KT 15/20 = 75%; VHXH 12/12.
    assert after(lines, "1.1.", 4) == [
        "Tỷ lệ nộp hồ sơ trực tuyến của toàn xã đạt 41,81% (số hồ sơ nộp trực tuyến/tổng số hồ "
        "sơ tiếp nhận là 97/232 hồ sơ). Hồ sơ tiếp nhận trong kỳ 227 hồ sơ (trực tuyến 92 hồ sơ; "
        "trực tiếp, dịch vụ bưu chính 135 hồ sơ), hồ sơ kỳ trước chuyển qua 05 hồ sơ. Không đạt "
        "chỉ tiêu giao. Trong đó:",
        "- Văn phòng HĐND-UBND xã: Đạt 35% (70/200 hồ sơ). Hồ sơ tiếp nhận trong kỳ 200 hồ sơ "
        "(trực tuyến 70 hồ sơ; trực tiếp, dịch vụ bưu chính 130 hồ sơ). Không đạt chỉ tiêu giao.",
        "- Phòng Kinh tế xã: Đạt 75% (15/20 hồ sơ). Hồ sơ tiếp nhận trong kỳ 15 hồ sơ (trực "
        "tuyến 10 hồ sơ; trực tiếp, dịch vụ bưu chính 05 hồ sơ), hồ sơ kỳ trước chuyển qua 05 "
        "hồ sơ. Đạt chỉ tiêu giao.",
        "- Phòng Văn hóa - Xã hội xã: Đạt 100% (12/12 hồ sơ). Hồ sơ tiếp nhận trong kỳ 12 hồ sơ "
        # Zero parts are left out: no direct intake, nothing carried over.
        "(trực tuyến 12 hồ sơ). Đạt chỉ tiêu giao.",
    ]


def test_payment_says_missing(lines: list[str]) -> None:
    assert after(lines, "1.2.", 1) == [
        "Tỷ lệ thanh toán trực tuyến của toàn xã: chưa có số liệu (số hồ sơ thanh toán trực "
        "tuyến, số hồ sơ có phí, lệ phí)."
    ]


def test_digitisation_with_a_department_under_target(lines: list[str]) -> None:
    # Unit 205 of 217 = 94,470…%; VP 180 of 192 = 93,75%; KT 13/13; VHXH 12/12.
    assert after(lines, "1.4.", 4) == [
        "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính của toàn xã đạt 94,47% (số "
        "hồ sơ được số hóa/số hồ sơ đã giải quyết trước hạn, đúng hạn, quá hạn là 205/217 hồ "
        "sơ). Không tính vào mẫu số 01 hồ sơ từ chối, 01 hồ sơ rút và 13 hồ sơ đang giải quyết. "
        "Không đạt chỉ tiêu giao. Trong đó:",
        "- Văn phòng HĐND-UBND xã: Đạt 93,75% (180/192 hồ sơ). Không tính vào mẫu số 01 hồ sơ "
        "từ chối và 07 hồ sơ đang giải quyết. Không đạt chỉ tiêu giao.",
        "- Phòng Kinh tế xã: Đạt 100% (13/13 hồ sơ). Không tính vào mẫu số 01 hồ sơ rút và 06 "
        "hồ sơ đang giải quyết. Đạt chỉ tiêu giao.",
        # Nothing left out of VHXH's denominator: no clause at all.
        "- Phòng Văn hóa - Xã hội xã: Đạt 100% (12/12 hồ sơ). Đạt chỉ tiêu giao.",
    ]


def test_reuse_and_no_feedback(lines: list[str]) -> None:
    # 150 of (4)+(5) = 227: 66,079…%.
    assert after(lines, "1.5.", 1) == [
        "Tỷ lệ khai thác, sử dụng lại thông tin số hóa của toàn xã đạt 66,07% (số hồ sơ khai "
        "thác, sử dụng lại thông tin số hóa/số hồ sơ tiếp nhận trong kỳ là 150/227 hồ sơ). Đạt "
        "chỉ tiêu giao."
    ]
    assert after(lines, "1.6.", 1) == [
        "Trong kỳ không phát sinh phản ánh, kiến nghị của người dân, doanh nghiệp."
    ]


def test_on_time_with_a_target_and_overdue_named_by_field(lines: list[str]) -> None:
    # 219 - 5 = 214 of 219 = 97,716…%; VP 191/193 = 98,963…%; KT 11/14 = 78,571…%.
    assert after(lines, "2.1.", 4) == [
        "Tỷ lệ hồ sơ đã giải quyết trước hạn, đúng hạn của toàn xã đạt 97,71% (số hồ sơ đã giải "
        "quyết trước hạn, đúng hạn/tổng số hồ sơ đã giải quyết là 214/219 hồ sơ). Tổng số hồ sơ "
        "tiếp nhận 232 hồ sơ (tiếp nhận trong kỳ 227 hồ sơ; kỳ trước chuyển qua 05 hồ sơ); đã "
        "giải quyết 219 hồ sơ (trước hạn 195 hồ sơ; đúng hạn 17 hồ sơ; quá hạn 05 hồ sơ; từ "
        "chối, không giải quyết 01 hồ sơ; hồ sơ rút 01 hồ sơ); đang giải quyết 13 hồ sơ (trong "
        "hạn 08 hồ sơ; quá hạn 02 hồ sơ; yêu cầu bổ sung 03 hồ sơ). Đạt chỉ tiêu giao. Trong đó:",
        "- Văn phòng HĐND-UBND xã: Đạt 98,96% (191/193 hồ sơ). Đạt chỉ tiêu giao.",
        "- Phòng Kinh tế xã: Đạt 78,57% (11/14 hồ sơ). Không đạt chỉ tiêu giao.",
        "- Phòng Văn hóa - Xã hội xã: Đạt 100% (12/12 hồ sơ). Đạt chỉ tiêu giao.",
    ]
    assert "2.1. Tỷ lệ hồ sơ đã giải quyết trước hạn, đúng hạn (chỉ tiêu giao ≥ 90%)" in lines
    # 5 of 219 = 2,283…%; late: Hộ tịch 2, Đất đai 3; pending overdue: Đất đai 2.
    assert after(lines, "2.2.", 1) == [
        "Trong kỳ có 05 hồ sơ giải quyết quá hạn, chiếm 2,28% tổng số hồ sơ đã giải quyết "
        "(05/219 hồ sơ), gồm: lĩnh vực Hộ tịch 02 hồ sơ (Văn phòng HĐND-UBND xã); lĩnh vực Đất "
        "đai 03 hồ sơ (Phòng Kinh tế xã). Hiện còn 02 hồ sơ đang giải quyết đã quá hạn, gồm: "
        "lĩnh vực Đất đai 02 hồ sơ (Phòng Kinh tế xã)."
    ]


def test_no_shortcomings_means_no_section_3(lines: list[str]) -> None:
    assert not any(line.startswith("3.") for line in lines)
    assert lines[-1].endswith("./.")
