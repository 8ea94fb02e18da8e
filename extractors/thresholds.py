"""Thresholds: comparisons with a subject, an operator, a value and a unit.

《民法典》第一千二百五十九条: 以上, 以下, 以内 and 届满 include the number; 不满,
超过 and 以外 exclude it.  Hence:

* N以上 / 不少于 / 不低于 / 至少 / 达到 / 达 / 最低限额为 → ``>=`` (inclusive);
* N以下 / N以内 / N内 / 不超过 / 不高于 / 不得超过 / 最多 / 最高限额为 → ``<=`` (inclusive);
* 超过 / 高于 / 多于 / N以外 → ``>``; 少于 / 低于 / 未达到 / 不满 / 不足 → ``<``.

Values are canonical: money in 元 (500万元 → 5000000), percentages in % (百分之二十
→ 20), fractions as a ratio (三分之二 → 0.6667, 半数 → 0.5); other units as
written (人, 平方米, 周岁, 年, 个月, 天, 个工作日; 名 → 人, units.tsv).  A
deadline such as 15个工作日内 is a threshold on time (<= 15 个工作日).

Not thresholds: 近3年内 (a look-back window), 较大及以上 (no number), rows of a table.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import regex

from extractors.common import (
    NUMBER,
    SpanSet,
    alternation,
    cn_number_to_decimal,
    fits_decimal,
    fraction_to_ratio,
    make_record,
    normalise_decimal,
    table_line_spans,
    units,
)
from extractors.subject.heads import action_of, counted_noun
from extractors.subject.walk import reading_of, subject_after
from schemas import Document
from schemas.records_entities import ThresholdRecord

KIND = "thresholds"
EXTRACTOR = "thresholds/v1"

# comparison word → (op, inclusive)
PREFIX_OPS: dict[str, tuple[str, bool]] = {
    "不少于": (">=", True), "不低于": (">=", True), "不小于": (">=", True), "至少": (">=", True),
    "最少": (">=", True), "最低限额为": (">=", True), "达到": (">=", True), "达": (">=", True), "满": (">=", True),
    "不超过": ("<=", True), "不得超过": ("<=", True), "不高于": ("<=", True), "不大于": ("<=", True),
    "不多于": ("<=", True), "最多": ("<=", True), "最长": ("<=", True), "最高": ("<=", True),
    "最高限额为": ("<=", True),
    "超过": (">", False), "高于": (">", False), "多于": (">", False), "大于": (">", False),
    "少于": ("<", False), "低于": ("<", False), "小于": ("<", False), "未达到": ("<", False),
    "不满": ("<", False), "未满": ("<", False), "不足": ("<", False),
}
SUFFIX_OPS: dict[str, tuple[str, bool]] = {
    "及以上": (">=", True), "以上": (">=", True), "届满": (">=", True),
    "及以下": ("<=", True), "以下": ("<=", True), "以内": ("<=", True), "范围内": ("<=", True), "内": ("<=", True),
    "以外": (">", False),
}
UNITS = units()
THRESHOLD = regex.compile(
    rf"""(?<![近\d.])                                        # 近三年内 is a look-back window, not a limit
        (?:(?P<pre>{alternation(PREFIX_OPS)})\s*(?:延长|延期|增加|减少)?\s*)?   # 不少于 / 最多延长
        (?:
            百分之(?P<pct_cn>{NUMBER})                         # 百分之二十 → 20 %
          | (?P<frac>{NUMBER}分之{NUMBER}|半数|过半数|一半)     # 三分之二 / 半数 → ratio
          | (?P<num>{NUMBER})\s*(?P<unit>{alternation(UNITS)})? # 15人 / 500万元 / 50%
        )
        (?P<post>{alternation(SUFFIX_OPS)})?                    # 以上 / 以下 / 以内 / 内
    """,
    regex.VERBOSE,
)
TIME_KINDS = {"time"}
# A number with a measure word right before a noun modifies that noun (两架以上航空器,
# 二层以上住宅, 五百吨级以上船舶, 百年以上树龄): the noun is the subject.  Grades (级)
# rank the noun before them (专业技能三级以下) and money names its own object.
COUNTED_KINDS = {"count", "time", "tonnage"}
FINES = {"罚款", "罚金"}
COUNT_SUFFIXES = {"以上", "以下", "及以上", "及以下"}
# bare N + 以上/以下 without a unit reads only for ratios and percentages; 第X条 and
# 一、二等奖 are no thresholds.
ORDINAL_BEFORE = regex.compile(r"第\s*$")


def match_to_value(match) -> tuple[Decimal, str | None] | None:
    """(canonical value, canonical unit) of a THRESHOLD match."""
    if match["pct_cn"]:
        return cn_number_to_decimal(match["pct_cn"]), "%"
    if match["frac"]:
        return fraction_to_ratio(match["frac"]), "ratio"
    number = cn_number_to_decimal(match["num"])
    unit = match["unit"]
    if unit is None:
        return None
    canonical, factor, _kind, _currency = UNITS[unit]
    return normalise_decimal(number * factor), canonical


def op_of(match) -> tuple[str, bool, str] | None:
    """(op, inclusive, keyword); a written prefix wins over 以上 when both are there
    (达50万元以上 → >=), except 不满/不足 … which already carry the strict sense."""
    pre, post = match["pre"], match["post"]
    if post == "内":
        unit = match["unit"]
        if not unit or UNITS[unit][2] not in TIME_KINDS:
            return None  # 内 bounds time: 15个工作日内, 2年内; 5人内 is not written
    if pre and post:
        op, inclusive = PREFIX_OPS[pre] if PREFIX_OPS[pre][0] != SUFFIX_OPS[post][0] and not PREFIX_OPS[pre][1] else SUFFIX_OPS[post]
        return op, inclusive, pre + "…" + post
    if pre:
        return (*PREFIX_OPS[pre], pre)
    if post:
        return (*SUFFIX_OPS[post], post)
    return None


def counted_subject(text: str, match) -> str | None:
    """The noun a count modifies directly (see ``COUNTED_KINDS``), or None."""
    unit = match["unit"]
    if match["pre"] or match["post"] not in COUNT_SUFFIXES or not unit or UNITS[unit][2] not in COUNTED_KINDS:
        return None
    return counted_noun(text, match.end(), verb_first=UNITS[unit][2] not in TIME_KINDS)


def is_time(match) -> bool:
    return bool(match["unit"]) and UNITS[match["unit"]][2] in TIME_KINDS


def reading_around(text: str, match, unit: str | None):
    """The subject reading of ``match`` (``unit``: its canonical unit), with the
    constructions that name the subject after the number or inside it: a counted
    noun, a fine bounded by a multiple or a share, the action a duration measures."""
    reading = reading_of(text, match.start(), match.end(), time=is_time(match))
    counted = counted_subject(text, match)
    if counted:
        return reading._replace(subject=counted, note=None)
    if unit in ("倍", "%"):
        # 并处违法所得1倍以上5倍以下的罚款, 另处货物价值30%以下罚款: a multiple or a
        # share of a value bounds the fine, not the value
        after = subject_after(text, match.end())
        if after and (unit == "倍" or after in FINES):
            return reading._replace(subject=after, note=None)
    elif is_time(match) and match["post"] != "内" and reading.subject:
        return reading._replace(subject=action_of(reading.subject))
    return reading


def threshold_id(doc_id: str, start: int) -> str:
    """A threshold's id: its document and offset (stable while the text is)."""
    return f"{doc_id}@{start}"


class Bound(NamedTuple):
    """A threshold found in the text, before its subject is read."""

    match: regex.Match
    op: str
    inclusive: bool
    keyword: str
    value: Decimal
    unit: str | None


@lru_cache(maxsize=4)
def bounds_in(text: str) -> tuple[Bound, ...]:
    """Every threshold of ``text`` outside table rows (cached per text: ``money`` asks
    for the bounds on money of the document ``extract`` reads next)."""
    tables = SpanSet(table_line_spans(text))
    return tuple(bound for match in THRESHOLD.finditer(text)
                 if not tables.contains(match.start()) and (bound := match_to_bound(text, match)))


def match_to_bound(text: str, match: regex.Match) -> Bound | None:
    """The bound a THRESHOLD match states, or None where it states none."""
    if not (match["pre"] or match["post"]):
        return None
    if ORDINAL_BEFORE.search(text, max(0, match.start() - 2), match.start()):
        return None
    if match["pre"] == "满" and not match["post"]:
        return None  # 满 alone (试用期满, 满1年的) is a condition, not a bound; 届满 is the suffix
    operation = op_of(match)
    if operation is None:
        return None
    try:
        parsed = match_to_value(match)
    except ValueError:
        return None
    if parsed is None or not fits_decimal(parsed[0], 18, 4):
        return None
    return Bound(match, *operation, *parsed)


def extract(document: Document) -> list[ThresholdRecord]:
    text = document.text
    records = []
    for bound in bounds_in(text):
        match, start = bound.match, bound.match.start()
        reading = reading_around(text, match, bound.unit)
        records.append(make_record(
            ThresholdRecord, document, start, match.end(), EXTRACTOR,
            threshold_id=threshold_id(document.doc_id, start),
            subject=reading.subject, anchor=reading.anchor, subject_note=reading.note,
            op=bound.op, value=bound.value, unit=bound.unit,
            inclusive=bound.inclusive, keyword=bound.keyword,
        ))
    return records
