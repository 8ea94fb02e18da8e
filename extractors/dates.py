"""Dates: every written date with its precision and, where the sentence says, its role.

Forms: 2024年8月29日 (day), 2023年7月 (month), 2017年 (year), and the Chinese
numerals of 成文日期 before 2012: 二〇二四年八月二十九日 (GB/T 9704-2012 7.3.5.1).
Dates inside tables (the 2020年/2025年 column heads of an indicator table) are the
table's, not the text's.

Roles:
* signed — the 成文日期 line of the document (a line holding only the date);
* effective — 自2024年10月1日起施行 / 执行 / 实施 / 生效;
* meeting — 2024年8月23日第43次常务会议, 2024年8月29日…常务委员会第二十二次会议;
* tenure_start — 任职时间从2023年7月算起;
* issued — 2016年6月20日印发的《…》 (the date of another document).

``enrich`` sets the document's ``effective_on``: the effective date written in the
text, else the signing date where the text says 自印发之日起 / 自下发之日起 /
自公布之日起 / 自发布之日起 (the day the document was issued is its 成文日期).
"""

from __future__ import annotations

from datetime import date

import regex

from extractors.common import SpanSet, make_record, table_line_spans
from schemas import Document, Record
from schemas.patterns import date_text_to_date
from schemas.records_entities import DateRecord

KIND = "dates"
EXTRACTOR = "dates/v1"

CN_DIGIT = "〇零一二三四五六七八九"
DATE = regex.compile(
    rf"""(?<![\d{CN_DIGIT}])
        (?:(?P<y>(?:19|20)\d{{2}})|(?P<cy>[{CN_DIGIT}]{{4}}))\s*年          # 2024年 / 二〇二四年
        (?:\s*(?P<m>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*月             # 8月 / 八月
           (?:\s*(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})\s*[日号])?    # 29日 (号 in informal text)
        )?
    """,
    regex.VERBOSE,
)
# 2020-2030年: the first year of a range carries its 年 on the second
YEAR_RANGE_START = regex.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-－—–~～至到]\s*(?=(?:19|20)\d{2}\s*年)")
# 自2024年10月1日起施行 / 从…起执行 / 于…起实施
EFFECTIVE_BEFORE = regex.compile(r"(?:自|从|于)\s*$")
EFFECTIVE_AFTER = regex.compile(r"^\s*(?:之日)?\s*起\s*(?:正式)?(?:施行|执行|实施|生效|试行|启用)")
# 2024年8月23日第43次常务会议; …召开的…会议 (no sentence punctuation in between)
MEETING_AFTER = regex.compile(r"^[^，,。；;\n]{0,40}?第\s*[\d一二三四五六七八九十百]+\s*次[^，,。；;\n]{0,12}?会议")
TENURE_BEFORE = regex.compile(r"任职时间\s*(?:从|自)\s*$")
ISSUED_AFTER = regex.compile(r"^\s*(?:印发|发布|公布|下发|颁布)的")
# 本通知自印发之日起施行: effective on the signing date
FROM_ISSUE = regex.compile(r"自\s*(?:印发|下发|公布|发布|颁布|签发|发文)\s*之日起\s*(?:施行|执行|实施|生效|试行)")


def match_to_date(match) -> tuple[date, str] | None:
    """(value, precision) of a DATE match; None when it is no calendar date."""
    return date_text_to_date(match.group())


def role_of(text: str, start: int, end: int, line_only: bool) -> str | None:
    before = text[max(0, start - 12):start]
    after = text[end:end + 60]
    if line_only:
        return "signed"
    if TENURE_BEFORE.search(before):
        return "tenure_start"
    if EFFECTIVE_BEFORE.search(before) and EFFECTIVE_AFTER.match(after):
        return "effective"
    if MEETING_AFTER.match(after):
        return "meeting"
    if ISSUED_AFTER.match(after):
        return "issued"
    return None


def extract(document: Document) -> list[DateRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    records = []
    for match in DATE.finditer(text):
        if tables.contains(match.start()):
            continue
        parsed = match_to_date(match)
        if parsed is None:
            continue
        value, precision = parsed
        line_start = text.rfind("\n", 0, match.start()) + 1
        line_end = text.find("\n", match.end())
        line_end = len(text) if line_end < 0 else line_end
        line_only = not text[line_start:match.start()].strip() and not text[match.end():line_end].strip() and precision != "year"
        role = role_of(text, match.start(), match.end(), line_only)
        records.append(make_record(DateRecord, document, match.start(), match.end(), EXTRACTOR,
                                   value=value, precision=precision, role=role))
    for match in YEAR_RANGE_START.finditer(text):
        if not tables.contains(match.start()):
            records.append(make_record(DateRecord, document, match.start("y"), match.end("y"), EXTRACTOR,
                                       value=date(int(match["y"]), 1, 1), precision="year", role=None))
    records.sort(key=lambda r: r.start)
    return records


def enrich(document: Document, records: dict[str, list[Record]]) -> dict:
    """effective_on from the text: a written effective date, else 自印发之日起 = signing date."""
    effective = [r for r in records.get(KIND, []) if getattr(r, "role", None) == "effective"]
    if effective:
        return {"effective_on": effective[-1].value}
    if document.signed_on and FROM_ISSUE.search(document.text):
        return {"effective_on": document.signed_on}
    return {}
