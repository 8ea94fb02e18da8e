"""Money: amounts in yuan as exact decimals, with currency, per-unit and period.

``30万元`` → 300000, ``5亿元`` → 500000000, ``五万元`` → 50000 (units.tsv holds the
multipliers and currencies), ``300元/户`` → per 户, ``每个采暖季补贴300元/户`` →
period 每个采暖季.

Not money, though the characters are there:
* 万元 as a denominator of an indicator: ``万元GDP用水量``, ``万元生产总值能耗``,
  ``立方米/万元``, ``每万元`` — no amount is stated;
* 万 as a count: ``万人次``, ``万吨`` (other units, not 元);
* vague magnitudes: ``数百万元``, ``上千万元``;
* anything inside a table row (the table is doc_tables' business).
"""

from __future__ import annotations

import regex

from extractors.common import (
    NUMBER,
    SpanSet,
    alternation,
    clause_start,
    cn_number_to_decimal,
    fits_decimal,
    make_record,
    normalise_decimal,
    table_line_spans,
    units,
)
from extractors.subject import subject_of
from schemas import Document
from schemas.records_entities import AmountRecord

KIND = "amounts"
EXTRACTOR = "money/v1"

MONEY_UNITS = {w: u for w, u in units().items() if u[2] == "money"}
MONEY = regex.compile(
    rf"""(?<![数几近余\d.,/])(?<!(?<!以)上)              # 数百万元 / 上千万元 are vague; /万元 is a denominator;
                                                       # 5000元以上[3万元]以下: the upper bound of a fine
        (?P<num>{NUMBER})\s*
        (?P<unit>{alternation(MONEY_UNITS)})
        (?!\s*(?:GDP|gdp|生产总值|增加值|产值|工业增加值|地区生产总值))   # 万元GDP用水量: an indicator, not an amount
        (?:\s*[/／]\s*(?P<per>平方米|立方米|千瓦时|人次|人·月|[\p{{Han}}]))?  # 300元/户
    """,
    regex.VERBOSE,
)
# 每个采暖季 / 每年 / 每月 / 每学期 before the amount, in the same clause
PERIOD = regex.compile(r"(?P<period>每(?:个)?(?:采暖季|供暖季|学年|学期|季度|年度|年|月|季|周|天|日))")
# 每户 / 每人 before the amount: a per-unit written in front
PER_BEFORE = regex.compile(r"每(?:个|位|名)?(?P<per>户|人|家|名|亩|平方米|吨|台|套|辆|床)(?![年月季度])")


def extract(document: Document) -> list[AmountRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    records = []
    for match in MONEY.finditer(text):
        if tables.contains(match.start()):
            continue
        try:
            number = cn_number_to_decimal(match["num"])
        except ValueError:
            continue
        _canonical, factor, _kind, currency = MONEY_UNITS[match["unit"]]
        if not fits_decimal(number * factor, 18, 2):
            continue
        head = text[clause_start(text, match.start(), limit=30):match.start()]
        period = PERIOD.search(head)
        per = match["per"]
        if per is None:
            before = PER_BEFORE.search(head)
            per = before["per"] if before else None
        records.append(make_record(
            AmountRecord, document, match.start(), match.end(), EXTRACTOR,
            value_yuan=normalise_decimal(number * factor), currency=currency,
            per_unit=per, period=period["period"] if period else None,
            subject=subject_of(text, match.start(), match.end()),
        ))
    return records
