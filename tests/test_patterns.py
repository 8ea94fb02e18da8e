"""The shared text helpers of schemas.patterns: dates, numerals, document numbers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from extractors.common import cn_number_to_decimal
from schemas.patterns import cn_to_int, cn_to_int_or_none, cn_to_number, date_text_to_date, format_doc_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年8月29日", (date(2024, 8, 29), "day")),
        ("二〇二四年八月二十九日", (date(2024, 8, 29), "day")),
        ("  2024 年 9 月 ", (date(2024, 9, 1), "month")),
        ("2017年", (date(2017, 1, 1), "year")),
        ("2023年7月1号起", (date(2023, 7, 1), "day")),  # the date at the start of the text
        ("2024年13月45日", None),  # no calendar date
        ("第2024条", None),
    ],
)
def test_date_text_to_date(text, expected):
    assert date_text_to_date(text) == expected


def test_numerals_go_through_one_converter():
    assert cn_to_int("二十三") == 23 and cn_to_int("12") == 12 and cn_to_int("两") == 2
    assert cn_to_int("二〇二四") == 2024 == cn_to_int("二零二四")  # a year, digit by digit
    assert cn_to_number("零点五") == 0.5
    assert cn_to_int_or_none("十百") is None and cn_to_int_or_none(None) is None
    assert cn_number_to_decimal("两") == Decimal(2) and cn_number_to_decimal("1,500.50") == Decimal("1500.50")
    with pytest.raises(ValueError):
        cn_number_to_decimal("十百")


def test_format_doc_number():
    assert format_doc_number("忻政发", 2024, 13) == "忻政发〔2024〕13号"
    assert format_doc_number("国务院令", None, 656) == "国务院令第656号"
