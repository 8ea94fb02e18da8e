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

from decimal import Decimal
from typing import NamedTuple

import regex

from extractors import thresholds
from extractors.common import (
    NUMBER,
    SpanSet,
    alternation,
    clause_end,
    clause_start,
    cn_number_to_decimal,
    fits_decimal,
    make_record,
    normalise_decimal,
    table_line_spans,
    units,
)
from extractors.money_roles import CLAUSE_BREAKS, MONEY_WORD, role_of
from extractors.subject import subject_of
from extractors.subject.walk import subject_after
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
PERIOD = regex.compile(r"(?P<period>每(?:个)?(?:采暖季|供暖季|学年|学期|季度|年度|年|月|季|周|天|日|小时|分钟))")
# 每 + a unit or measure word before the amount, in the same clause: the per-unit
# written in front (每户, 每株, 每平方米, 每个墓穴, 每处（张）).  Measure words of
# the 《现代汉语》 量词 kind and units of measure; 每年/每月… are periods (PERIOD).
PER_BEFORE = regex.compile(
    r"""每
        (?:(?P<verb>\p{Han}{2})(?:一|1))?               # 每使用一名童工, 每载运一人, 每逾期1日: per counted act
        (?:一(?=\p{Han}))?                               # 每一车辆
        (?P<per>平方公里|平方米|立方米|千瓦时|公顷|公斤|千克|公里|人次|米|亩|吨    # units of measure: 每平方米, 每吨
          |[个位名只头株棵处具张件台套辆艘间座块根条份宗项批户人家床次匹尾羽箱袋笔]  # 量词: 每株, 每具, 每人, 每次, 每笔
          |(?<=一)(?P<noun>[\p{Han}]{2})(?=[\p{Han}]{0,1}[\d零〇一二两三四五六七八九十百千万]|不|处)  # 每一车辆不超过
          |(?<=\p{Han}{2}1)[日天])                     # 每逾期1日
        (?:[（(](?P<alt>[\p{Han}]{1,3})[）)])?      # 每处（张）: an alternative measure in brackets
    """,
    regex.VERBOSE,
)
# After a general measure word, the noun it counts is the denominator: 每个墓穴, 每名旅客
GENERAL_MEASURES = set("个位名只头张件台辆艘间座处项")
PERIOD_WORDS = regex.compile(r"采暖季|供暖季|学年|学期|季度|年度|年|月|季|周|天|日|小时|分钟")
# Nouns after a measure word that are the thing's attribute, not the thing: 每件价值在700元以上
ATTRIBUTES = regex.compile(r"价值|金额|数额|费用|标准|收入|面积|价格")
# A 每X inside a subject is the denominator, not what the money is: 每株, 泊位每小时
PER_IN_SUBJECT = regex.compile(r"每\p{Han}{0,4}?(?:处|株|件|个|只|具|人|次|小时|日|天|月|年|车辆)(?:[（(]\p{Han}{1,3}[）)])?处?")
# A bare lower bound before a range's upper bound that carries the unit:
# 处[五千]以上一万元以下罚款, [5]至10万元 (《民法典》第一千二百五十九条 ranges)
BARE_LOW = regex.compile(
    rf"""(?<![\d.,零〇一二两三四五六七八九十百千万亿第])
        (?P<num>{NUMBER})                           # 五千: no unit of its own
        \s*(?:以上|至|到|－|—|~|-)\s*$             # joined to the upper bound
    """,
    regex.VERBOSE,
)


# The money word after an amount (past a range's upper bound and 的) names what the
# money is: 处一百元至一千元罚款, 给予最先举报人1000元至1万元的奖励, 各处5万元以上20万元以下的罚款
MONEY_OBJECT = regex.compile(
    rf"""(?:以上|以下|以内)?\s*(?:人民币)?                         # the bound's own suffix / currency
        (?:\s*(?:至|到|、|－|—|~|-)?\s*{NUMBER}\s*(?:{alternation(MONEY_UNITS)})  # the upper bound
           (?:以上|以下|以内)?\s*(?:人民币)?)?
        \s*的?\s*
        (?P<word>罚款|罚金|违约金|滞纳金|赔偿金|奖励|奖金|补助|补贴|资助)   # the money word
    """,
    regex.VERBOSE,
)


def money_object(text: str, end: int) -> str | None:
    """The money word the amount ending at ``end`` measures (see ``MONEY_OBJECT``)."""
    match = MONEY_OBJECT.match(text, end)
    return match["word"] if match else None


def noun_after(text: str) -> str | None:
    """The noun right after a general measure word (个墓穴 → 墓穴), from jieba's tags."""
    from schemas.tokens import jieba_tagger

    nouns = []
    for pair in jieba_tagger().cut(text[:8]):
        if not pair.flag.startswith("n") or PERIOD_WORDS.fullmatch(pair.word) or ATTRIBUTES.fullmatch(pair.word) or MONEY_WORD.search(pair.word):
            break
        nouns.append(pair.word)
    return "".join(nouns) or None


def per_unit_before(head: str) -> str | None:
    """The nearest 每X denominator in ``head`` (the clause before the amount)."""
    for match in reversed(list(PER_BEFORE.finditer(head))):
        per = match["per"]
        if match["verb"] and not match["per"]:
            continue
        if per in GENERAL_MEASURES and not match["alt"]:
            noun = noun_after(head[match.end():])
            if noun:
                return noun
            if per == "个":
                continue  # 每个 needs its noun: 每个勘查年度 is a period, not a unit
        if PERIOD_WORDS.match(head, match.end()) and per in "个":
            continue
        return per + (f"（{match['alt']}）" if match["alt"] else "")
    return None


class Found(NamedTuple):
    """One amount found in the text: span, value and currency."""

    start: int
    end: int
    value: Decimal
    currency: str
    per: str | None


def lower_bound(number: Decimal, factor: Decimal, upper: Decimal) -> Decimal:
    """A bare lower bound in the upper bound's unit: 5至10万元 → 5万 (the magnitude is
    shared); 五千以上一万元 → 5000 (五千万 would exceed the upper bound, so 五千 is
    already the whole number, in 元)."""
    return number * factor if number * factor < upper else number


def amounts_in(text: str) -> list[Found]:
    """Every amount, with the lower bound of a range that inherits the upper bound's unit."""
    found = []
    for match in MONEY.finditer(text):
        try:
            number = cn_number_to_decimal(match["num"])
        except ValueError:
            continue
        _canonical, factor, _kind, currency = MONEY_UNITS[match["unit"]]
        low = BARE_LOW.search(text, max(0, match.start() - 12), match.start())
        if low:
            try:
                found.append(Found(low.start("num"), low.end("num"), lower_bound(cn_number_to_decimal(low["num"]), factor, number * factor),
                                   currency, match["per"]))
            except ValueError:
                pass
        found.append(Found(match.start(), match.end(), number * factor, currency, match["per"]))
    return found


def comparisons(document: Document) -> list[tuple[int, int, str, str]]:
    """(start, end, op, threshold_id) of every threshold on money in ``document``."""
    return [(bound.match.start(), bound.match.end(), bound.op, thresholds.threshold_id(document.doc_id, bound.match.start()))
            for bound in thresholds.bounds_in(document.text) if bound.unit == "元"]


def comparison_of(found: Found, spans: list[tuple[int, int, str, str]]) -> tuple[str | None, str | None]:
    """(op, threshold_id) of the threshold whose value is the amount ``found``."""
    for start, end, op, threshold_id in spans:
        if start <= found.start and found.end <= end:
            return op, threshold_id
    return None, None


def subject_without_denominator(text: str, found: Found, subject: str | None, per: str | None) -> str | None:
    """The subject with its 每X taken out: the words before it (非法开垦林地每平方米 →
    非法开垦林地, the offence), else after it (每件价值 → 价值); when nothing is left, the
    object after the amount (处每株…罚款 → 罚款), else the unit (每株 → 株)."""
    if not subject or "每" not in subject:
        return subject
    before = subject[:subject.index("每")].rstrip("或和及与")  # 非法开垦林地每平方米 → the offence
    after = PER_IN_SUBJECT.sub("", subject)  # 每件价值 → 价值
    for rest in (before, after):
        if len(rest) >= 2 and "每" not in rest:
            return rest
    return subject_after(text, found.end) or per


def extract(document: Document) -> list[AmountRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    compared = comparisons(document)
    records = []
    for found in amounts_in(text):
        if tables.contains(found.start) or not fits_decimal(found.value, 18, 2):
            continue
        head = text[clause_start(text, found.start, limit=30):found.start]
        period = PERIOD.search(head)
        per = found.per or per_unit_before(head)
        op, threshold_id = comparison_of(found, compared)
        after = text[found.end:clause_end(text, found.end, breaks=CLAUSE_BREAKS + "、", limit=20)]
        records.append(make_record(
            AmountRecord, document, found.start, found.end, EXTRACTOR,
            value_yuan=normalise_decimal(found.value), currency=found.currency,
            per_unit=per, period=period["period"] if period else None,
            subject=(money_object(text, found.end) if per is None else None)  # 处X每平方米N元罚款: X
            or subject_without_denominator(text, found, subject_of(text, found.start, found.end), per),
            role=role_of(head, after, op), threshold_id=threshold_id,
        ))
    return records
