"""Durations and frequencies: validity, deadlines, periods and probation.

* validity — 有效期五年, 有效期为2年, 试行期为三年 (the instrument's own term);
* deadline — 建设期不超过2年, 延续使用时间不超过2年, 15个工作日内, 1个月内;
* period — 每3年至少进行一次演练, 原则上每3年评估一次, 每三年进行一次评估;
* probation — 试用期一年 (公务员法 / 事业单位人事管理条例: 试用期 of a new post).

``enrich`` gives the document ``valid_years`` (its first validity in years) and
``valid_until`` = effective_on + valid_years − 1 day (the last day in force).
"""

from __future__ import annotations

from datetime import date, timedelta

import regex

from extractors.common import NUMBER, SpanSet, cn_number_to_decimal, fits_decimal, make_record, table_line_spans
from schemas import Document, Record
from schemas.patterns import calendar_date
from schemas.records_entities import DurationRecord

KIND = "durations"
EXTRACTOR = "durations/v1"

TIME_UNIT = r"(?P<unit>个工作日|工作日|个月|年|天|日|周|小时)"
CANONICAL_UNIT = {"工作日": "个工作日"}
DURATION = regex.compile(
    rf"""(?P<validity>(?P<vlabel>有效期|试行期|实施期|执行期|施行期)(?:限)?(?:为|是)?\s*(?P<vnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'vunit')})
      | (?P<probation>(?P<plabel>试用期|见习期|任职试用期)(?:为|是)?\s*(?P<pnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'punit')})
      | (?P<period>(?<![\p{{Han}}]期)每\s*(?P<rnum>{NUMBER})?\s*(?:个)?{TIME_UNIT.replace('unit', 'runit')}     # 每3年 … 一次
            (?=[^，,。；;\n]{{0,12}}?(?:[一二两三四五六七八九十\d]+\s*次|复核|复审|评估|考核|审核|换证)))  # 每3年应进行复核
      | (?P<deadline>(?P<dlabel>[\p{{Han}}]{{0,4}}(?:期|时间|期限))(?:为|是)?\s*(?:不超过|不得超过|最长|最多)\s*(?P<dnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'dunit')})
      | (?P<within>(?<![近\d.])(?P<wnum>{NUMBER})\s*{TIME_UNIT.replace('unit', 'wunit')}(?:以内|内))     # 15个工作日内
    """,
    regex.VERBOSE,
)


def _kind_of(match) -> tuple[str, str, str, str | None]:
    """(kind, number, unit, label) of a DURATION match."""
    if match["validity"]:
        return "validity", match["vnum"], match["vunit"], match["vlabel"]
    if match["probation"]:
        return "probation", match["pnum"], match["punit"], match["plabel"]
    if match["period"]:
        return "period", match["rnum"] or "1", match["runit"], None
    if match["deadline"]:
        label = regex.sub(r"^(?:如|但|其|且|并)", "", match["dlabel"])
        return "deadline", match["dnum"], match["dunit"], label
    return "deadline", match["wnum"], match["wunit"], None


def extract(document: Document) -> list[DurationRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    records = []
    for match in DURATION.finditer(text):
        if tables.contains(match.start()):
            continue
        kind, number, unit, label = _kind_of(match)
        try:
            value = cn_number_to_decimal(number)
        except ValueError:
            continue
        if not fits_decimal(value, 18, 4):
            continue
        records.append(make_record(
            DurationRecord, document, match.start(), match.end(), EXTRACTOR,
            kind=kind, value=value, unit=CANONICAL_UNIT.get(unit, unit), label=label,
        ))
    return records


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
