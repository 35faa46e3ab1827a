"""The report period's name as a worksheet formula, for cells that must follow the dates live.

`core.vn_format.format_period_label` names a period in the report («tháng 3 năm
2026», «quý I năm 2026», «từ ngày 01/3/2026 đến ngày 15/3/2026»); the workbook's
titles need the same words while staff type the dates, with or without the add-in.
Only functions Excel and LibreOffice compute alike: DAY, MONTH, YEAR, MOD, CHOOSE
and TEXT with the locale-free format "00" (a date format code such as "dd/mm/yyyy"
is translated by Excel's locale, so it is never used).
"""

from __future__ import annotations

__all__ = ["period_label_formula"]


def _date(cell: str) -> str:
    """'01/3/2026', '05/02/2026': day padded, months 1–2 padded (Nghị định 30/2020)."""
    return f'TEXT(DAY({cell}),"00")&"/"&IF(MONTH({cell})<3,"0","")&MONTH({cell})&"/"&YEAR({cell})'


def period_label_formula(start: str, end: str) -> str:
    """The formula (without '=') naming the period from `start` to `end`; '' if not dates."""
    first, last, year = f"MONTH({start})", f"MONTH({end})", f"YEAR({start})"
    month = f'IF({first}<3,"0","")&{first}'
    dates = f'"từ ngày "&{_date(start)}&" đến ngày "&{_date(end)}'
    named = (
        f'IF({first}={last},"tháng "&{month}&" năm "&{year},'
        f"IF(AND(MOD({first}-1,3)=0,{last}={first}+2),"
        f'"quý "&CHOOSE(({first}+2)/3,"I","II","III","IV")&" năm "&{year},'
        f'IF(AND({first}=1,{last}=6),"6 tháng đầu năm "&{year},'
        f'IF(AND({first}=7,{last}=12),"6 tháng cuối năm "&{year},'
        f'IF(AND({first}=1,{last}=9),"9 tháng đầu năm "&{year},'
        f'IF(AND({first}=1,{last}=12),"năm "&{year},{dates}))))))'
    )
    whole_months = f"AND(DAY({start})=1,DAY({end}+1)=1,{year}=YEAR({end}))"
    return (
        f'IF(OR(NOT(ISNUMBER({start})),NOT(ISNUMBER({end}))),"",IF({whole_months},{named},{dates}))'
    )
