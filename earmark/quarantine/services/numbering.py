"""The numbers of the four forms of 动物检疫合格证明: the province's two digits, the form's digit
(1 动物A, 2 动物B, 3 产品A, 4 产品B), the year's two digits and seven of sequence, taken in the
caller's transaction (a refused issue gives its number back)."""

from __future__ import annotations

from datetime import date

from earmark.core.sequences import sequence_take
from earmark.regions.provinces import own_province

FORM_DIGITS = {"A": "1", "B": "2", "product_A": "3", "product_B": "4"}


def certificate_number(form: str, today: date) -> str:
    province = own_province()[:2]
    digit = FORM_DIGITS[form]
    year = today.strftime("%y")
    sequence = sequence_take(f"certificate:{province}:{digit}:{year}")
    return f"{province}{digit}{year}{sequence:07d}"
