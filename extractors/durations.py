"""Durations and frequencies: validity, deadlines, windows, periods and probation.

* validity — 有效期五年, 有效期为2年, 试行期为三年 (the instrument's own term);
* deadline — something must be done within it: 应当在15个工作日内作出决定, 1个月内; and the
  longest a named period may last: 建设期不超过2年, 临时占用的时间不得超过一年;
* window — a span within which something is forbidden, exempt or valid, not a time limit
  to act: 交付使用后十年内…不得挖掘, 五年内免征, 1年内不得再次申请, 六个月内有效
  (a prohibition, exemption or validity word in the clause after the span, or opening
  the next clause);
* period — 每3年至少进行一次演练, 原则上每3年评估一次, 每三年进行一次评估;
* probation — 试用期一年 (公务员法 / 事业单位人事管理条例: 试用期 of a new post).

A span starts at a word: a named period's label (建设期, 临时占用的时间) is widened or
narrowed to jieba's word boundaries, never 临【时占用的时间不得超过一年】.

``enrich`` gives the document ``valid_years`` (its first validity in years) and
``valid_until`` = effective_on + valid_years − 1 day (the last day in force).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import regex

from extractors.common import (
    NUMBER,
    SpanSet,
    clause_end,
    clause_start,
    cn_number_to_decimal,
    fits_decimal,
    make_record,
    table_line_spans,
)
from schemas import Document, Record
from schemas.patterns import calendar_date
from schemas.records_entities import DurationRecord
from schemas.tokens import jieba_tokenizer

KIND = "durations"
EXTRACTOR = "durations/v2"

TIME_UNIT = r"(?P<unit>个工作日|工作日|个月|年|天|日|周|小时)"
CANONICAL_UNIT = {"工作日": "个工作日"}
# The forms, in the order they are tried at one position (the first that matches there wins).
VALIDITY = rf"""(?P<validity>(?P<vlabel>有效期|试行期|实施期|执行期|施行期)(?:限)?(?:为|是)?\s*(?P<vnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'vunit')})"""
PROBATION = rf"""(?P<probation>(?P<plabel>试用期|见习期|任职试用期)(?:为|是)?\s*(?P<pnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'punit')})"""
PERIOD = rf"""(?P<period>(?<![\p{{Han}}]期)每\s*(?P<rnum>{NUMBER})?\s*(?:个)?{TIME_UNIT.replace('unit', 'runit')}     # 每3年 … 一次
            (?=[^，,。；;\n]{{0,12}}?(?:[一二两三四五六七八九十\d]+\s*次|复核|复审|评估|考核|审核|换证)))  # 每3年应进行复核"""
# A named period's longest length: 建设期不超过2年 (label, 为/是, spaces, one of DEADLINE_WORDS).
DEADLINE_WORDS = r"不超过|不得超过|最长|最多"
DEADLINE_FORM = rf"""(?P<deadline>(?P<dlabel>[\p{{Han}}]{{0,4}}(?:期|时间|期限))(?:为|是)?\s*(?:{DEADLINE_WORDS})\s*(?P<dnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'dunit')})"""
WITHIN = rf"""(?P<within>(?<![近\d.])(?P<wnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'wunit')}(?:以内|内))     # 15个工作日内"""
# Every form in one alternation: what the extractor finds is defined as DURATION.finditer;
# ``duration_matches`` finds the same faster (see there).
DURATION = regex.compile("\n|".join((VALIDITY, PROBATION, PERIOD, DEADLINE_FORM, WITHIN)), regex.VERBOSE)
NOT_DEADLINE = regex.compile("\n|".join((VALIDITY, PROBATION, PERIOD, WITHIN)), regex.VERBOSE)
DEADLINE = regex.compile(DEADLINE_FORM, regex.VERBOSE)
DEADLINE_WORD = regex.compile(DEADLINE_WORDS)
SPACES_BEFORE = regex.compile(r"(?r)\s*")  # read backwards: the spaces that end text[:k]
# The most characters a deadline has before its word, spaces aside: a label of four Han
# characters, 期限, 为.
MAX_BEFORE_WORD = 4 + 2 + 1


# What is forbidden, exempt or valid within an N年内 span (城市道路管理条例: 交付使用后五年内不得挖掘;
# 税法: 五年内免征; 有效期: 10年内有效).  Right after the span (均/仍 between) any of them;
# further on in the clause only the strong ones, and not where a modal before the span makes
# it a time limit to act (应当自受理之日起6个月内作出批准或者不予批准的决定).
WINDOW_RIGHT_AFTER = regex.compile(r"\s*(?:均|仍|都|内)?\s*(?:不得|禁止|严禁|不准|不予|不再|免征|免予|免收|免缴|暂免|减半|减征|有效)")
WINDOW_IN_CLAUSE = regex.compile(r"不得|禁止|严禁|不准|免征|免予|免收|免缴|暂免")
MODAL_BEFORE = regex.compile(r"应当|应|须|必须|可以")
LABEL_PREFIXES = regex.compile(r"^(?:如|但|其|且|并|和|或)+")
MAX_LABEL = 8


def _kind_of(match) -> tuple[str, str, str, str | None]:
    """(kind, number, unit, label) of a DURATION match; the within-form is 'deadline' here
    and may become 'window' (window_or_deadline)."""
    if _group(match, "validity"):
        return "validity", match["vnum"], match["vunit"], match["vlabel"]
    if _group(match, "probation"):
        return "probation", match["pnum"], match["punit"], match["plabel"]
    if _group(match, "period"):
        return "period", match["rnum"] or "1", match["runit"], None
    if _group(match, "deadline"):
        return "deadline", match["dnum"], match["dunit"], match["dlabel"]
    return "deadline", match["wnum"], match["wunit"], None


def _group(match: regex.Match, name: str) -> str | None:
    """Group ``name`` of a match of DURATION, NOT_DEADLINE or DEADLINE (None where its pattern has none)."""
    return match[name] if name in match.re.groupindex else None


def duration_matches(text: str) -> Iterator[regex.Match]:
    """The matches of ``DURATION.finditer(text)`` (the same spans, the same form each),
    found faster: the deadline form, which may start at any Han character, is tried only
    just before one of its words (``deadline_search``), and the other forms by one regex.
    At one position the forms keep DURATION's order: a deadline wins over a within-form
    there and loses to the three before it."""
    other, deadline = NOT_DEADLINE.search(text), deadline_search(text, 0)
    while other or deadline:
        takes_deadline = deadline is not None and (
            other is None or deadline.start() < other.start()
            or (deadline.start() == other.start() and other["within"] is not None)
        )
        found = deadline if takes_deadline else other
        yield found
        pos = found.end()
        # a match that starts at or after ``pos`` is still the first from there
        if other is not None and other.start() < pos:
            other = NOT_DEADLINE.search(text, pos)
        if deadline is not None and deadline.start() < pos:
            deadline = deadline_search(text, pos)


def deadline_search(text: str, pos: int) -> regex.Match | None:
    """``DEADLINE.search(text, pos)``, trying only the positions a deadline can start at:
    at most MAX_BEFORE_WORD characters and a run of spaces before one of its words.
    Those windows start further on for each later word (its spaces follow the word
    before), so the first position that matches is the first match."""
    tried = pos  # every start before this one has been tried
    for word in DEADLINE_WORD.finditer(text, pos):
        at = word.start()
        spaces = SPACES_BEFORE.match(text, 0, at)
        for start in range(max(tried, spaces.start() - MAX_BEFORE_WORD), at + 1):
            match = DEADLINE.match(text, start)
            if match:
                return match
        tried = max(tried, at + 1)
    return None


def window_or_deadline(text: str, start: int, end: int) -> str:
    """'window' when what follows an N年内 span forbids, exempts or validates, else 'deadline'."""
    if WINDOW_RIGHT_AFTER.match(text, end):
        return "window"
    stop = clause_end(text, end, breaks="，,。；;\n", limit=40)
    # 交付使用后十年内，不得挖掘: the span closes its clause and the next one opens with the prohibition
    if not text[end:stop].strip() and stop < len(text) and text[stop] in "，," and WINDOW_RIGHT_AFTER.match(text, stop + 1):
        return "window"
    head = clause_start(text, start, breaks="，,。；;\n", limit=40)
    if WINDOW_IN_CLAUSE.search(text, end, stop) and not MODAL_BEFORE.search(text, head, start):
        return "window"
    return "deadline"


def word_aligned_start(text: str, start: int, end: int) -> int:
    """``start`` moved to a jieba word boundary: back to the start of the word it cuts
    (临|时占用 → 临时占用) while the label stays within MAX_LABEL characters, else forward
    to the next word, then past leading conjunctions (如, 但, 其)."""
    floor = clause_start(text, start, breaks="，,。；;：:\n、", limit=MAX_LABEL)
    offset = start
    for _, word_start, word_end in jieba_tokenizer().tokenize(text[floor:end]):
        word_start, word_end = word_start + floor, word_end + floor
        if word_start < start < word_end:
            offset = word_start if end - word_start <= MAX_LABEL else word_end
            break
    prefix = LABEL_PREFIXES.match(text, offset)
    return prefix.end() if prefix else offset


def _record(document: Document, text: str, match) -> DurationRecord | None:
    kind, number, unit, label = _kind_of(match)
    try:
        value = cn_number_to_decimal(number)
    except ValueError:
        return None
    if not fits_decimal(value, 18, 4):
        return None
    start = match.start()
    if _group(match, "deadline"):
        start = word_aligned_start(text, match.start("dlabel"), match.end("dlabel"))
        label = text[start:match.end("dlabel")]
    elif _group(match, "within"):
        kind = window_or_deadline(text, match.start(), match.end())
    return make_record(
        DurationRecord, document, start, match.end(), EXTRACTOR,
        kind=kind, value=value, unit=CANONICAL_UNIT.get(unit, unit), label=label,
    )


def extract(document: Document) -> list[DurationRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    return [r for match in duration_matches(text)
            if not tables.contains(match.start()) and (r := _record(document, text, match))]


def add_years(start: date, years: int) -> date:
    """``start`` + ``years`` calendar years (29 February → 28 February)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


# 有效期至2027年12月31日: an end date written out wins over one computed from 有效期N年.
VALID_UNTIL = regex.compile(r"有效期(?:至|到|截至)\s*(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")


def enrich(document: Document, records: dict[str, list[Record]]) -> dict:
    """valid_years and valid_until from the first validity stated in whole years
    (a positive number), or valid_until from an end date written out."""
    update: dict = {}
    if (until := VALID_UNTIL.search(document.text)) and (end := calendar_date(until["y"], until["m"], until["d"])):
        update["valid_until"] = end
    validity = [
        r for r in records.get(KIND, [])
        if getattr(r, "kind", None) == "validity" and r.unit == "年" and r.value > 0 and r.value == int(r.value)
    ]
    if not validity:
        return update
    years = int(validity[0].value)
    update["valid_years"] = years
    if "valid_until" in update:
        return update
    # effective_on as set by dates.enrich, which runs before this (extractors.EXTRACTOR_MODULES)
    if document.effective_on is not None:
        update["valid_until"] = add_years(document.effective_on, years) - timedelta(days=1)
    return update
