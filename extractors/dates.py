"""Dates: every written date with its precision, its role and, when the date is another
document's, that document (``subject_doc``).

Forms: 2024年8月29日 (day), 2023年7月 (month), 2017年 / 1985年度 (year), and the Chinese
numerals of 成文日期 before 2012: 二〇二四年八月二十九日, 一九九○年 (GB/T 9704-2012 7.3.5.1).
Dates inside tables (the 2020年/2025年 column heads of an indicator table) are the
table's, not the text's.

Roles, from the words right after the date (and 自 / 从 / 于 right before it):
* signed — the 成文日期 line of the document (a line holding only the date);
* effective — 自2024年10月1日起施行 / 执行 / 实施 / 生效, with or without 起
  (本条例自2021年7月1日施行, 自2001年8月1日零时起施行, 自1985年度起施行), and the 题注 of a
  regulation: 2009年1月1日 施行, 公告公布2015年11月1日施行;
* published — the promulgation of the document: 2014年11月24日 中华人民共和国国务院令第656号公布,
  1985年2月8日 国务院发布, 2017年11月22日 中华人民共和国国务院令第692号;
* approved — 1980年5月9日 国务院批准;
* meeting — 2024年8月23日第43次常务会议, 2024年8月29日…常务委员会第二十二次会议;
* amended — the date of a decision or order that amended the document, in its amendment
  history: 2014年2月19日 《国务院关于废止和修改部分行政法规的决定》第一次修订;
* tenure_start — 任职时间从2023年7月算起;
* issued — 2016年6月20日印发的《…》 (the date another document was issued).

``subject_doc`` is the cited document a date belongs to: the title the date's phrase
modifies (1987年3月27日国务院发布的《企业债券管理暂行条例》同时废止; 经…会议通过的《X条例》),
or the decision or order of an amendment-history entry (…会议《关于修改〈X条例〉的决定》第二次修正,
国务院令第707号第四次修订).  Such a date is never this document's signed or effective date.

``enrich`` sets the document's ``effective_on``: its own last effective date written in the
text; else, where the text says it takes effect on publication (自印发 / 下发 / 公布 / 发布之日起,
发布之日施行, 公布施行, 发布施行), the promulgation of the version in force (``own_promulgation_date``:
a revision promulgated by a new order is a new publication), else the signing date; else, for 自批准之日起施行, its approval date.  When the text says so but no
date anchors it, the document gets a warning instead of a guess.
"""

from __future__ import annotations

from datetime import date

import regex

from extractors.common import SpanSet, make_record, table_line_spans
from schemas import Document, Record
from schemas.patterns import ORDER_TEXT, date_text_to_date
from schemas.records_entities import DateRecord

KIND = "dates"
EXTRACTOR = "dates/v2"

# ○ (U+25CB) stands for 〇 in older typesetting: 一九九○年八月一日
CN_DIGIT = "〇○零一二三四五六七八九"
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
TAKE_EFFECT = r"(?:正式)?(?:施行|执行|实施|生效|试行|启用)"
# 自2024年10月1日起施行 / 从…起执行 / 于…起实施 / 自2021年7月1日施行 (no 起) / 自2001年8月1日零时起施行
EFFECTIVE_BEFORE = regex.compile(r"(?:自|从|于)\s*$")
EFFECTIVE_AFTER = regex.compile(rf"^\s*度?\s*(?:之日)?\s*(?:零时|0时)?\s*起?\s*{TAKE_EFFECT}")
# 题注: 2009年1月1日 施行 / 公告公布2015年11月1日施行 — the date right before 施行, not 施行的《X》
BARE_EFFECTIVE_AFTER = regex.compile(r"^\s*(?:起\s*)?施行(?![的前后以])")
# 2014年11月24日 中华人民共和国国务院令第656号公布 / 1985年2月8日 国务院发布 / …令第692号 (nothing after)
PUBLISHED_AFTER = regex.compile(
    r"""^(?:(?![前后已以内]|(?:19|20)\d{2}\s*年)[^，,。；;\n《》]){0,40}?  # the organ, not 1993年12月31日前已…,
                                                        # nor the next event's (…批准修订1986年3月1日 交通部发布)
        (?:(?:公布|发布|颁布)(?![的施])                                   # …发布 (not 发布的《X》, 发布施行的)
          |令\s*第\s*\d+\s*号(?!\s*(?:第[一二三四五六七八九十]+次)?修[订正])(?![的发公颁]))  # …令第692号
    """,
    regex.VERBOSE,
)
APPROVED_AFTER = regex.compile(r"^(?:(?![前后已以内]|(?:19|20)\d{2}\s*年)[^，,。；;\n《》]){0,20}?批准(?![的、修])")
# 2024年8月23日第43次常务会议; …召开的…会议 (no sentence punctuation in between)
MEETING_AFTER = regex.compile(r"^(?:(?!(?:19|20)\d{2}\s*年)[^，,。；;\n]){0,40}?第\s*[\d一二三四五六七八九十百]+\s*次[^，,。；;\n]{0,12}?会议")
TENURE_BEFORE = regex.compile(r"任职时间\s*(?:从|自)\s*$")
ISSUED_AFTER = regex.compile(r"^\s*(?:印发|发布|公布|下发|颁布)的")
# …国务院发布的《X》 / 公布施行的《X》: a publishing verb in the modifier of a cited title
ISSUED_IN_MODIFIER = regex.compile(r"[^。；;\n《》]{0,80}?(?:印发|发布|公布|下发|颁布)(?:施行|实施)?的\s*《")
# A date in an amendment-history entry: 《…决定》第一次修订 / 会议《…决定》第二次修正 / 国务院令第707号第四次修订
HISTORY_AFTER = regex.compile(
    r"""^(?:(?!(?:19|20)\d{2}\s*年)[^，,。；;\n《》]){0,60}?       # not across the next entry's date
        (?:《(?P<title>[^《》]{1,150})》|(?P<number>[^，,。；;\n《》\d]{0,30}令\s*第\s*\d+\s*号))
        \s*(?:第[一二三四五六七八九十\d]+次)?修[订正]
    """,
    regex.VERBOSE,
)
# The date is in the modifier of a cited title: 1987年3月27日国务院发布的《X》, 经…会议通过的《X》,
# 国务院1997年3月17日批准，国家旅游局、公安部1997年7月1日发布的《X》
MODIFIES_TITLE = regex.compile(r"^[^。；;\n《》]{0,80}?的\s*《(?P<title>[^《》]{1,150})》")
# 本通知自印发之日起施行 / 发布之日施行 / 由政务院通过后公布施行 / 由交通部发布施行: on publication
FROM_ISSUE = regex.compile(
    rf"""(?:自|从)\s*(?:修订)?(?:印发|下发|公布|发布|颁布|签发|发文)\s*之日起\s*{TAKE_EFFECT}
        |(?:印发|下发|公布|发布|颁布)之日\s*{TAKE_EFFECT}
        |(?:公布|发布|颁布)施行
    """,
    regex.VERBOSE,
)
FROM_APPROVAL = regex.compile(rf"自[^，,。；;\n]{{0,10}}?批准之日起\s*{TAKE_EFFECT}")


def match_to_date(match) -> tuple[date, str] | None:
    """(value, precision) of a DATE match; None when it is no calendar date."""
    return date_text_to_date(match.group().replace("○", "〇"))


SPACES = regex.compile(r"\s+")


def subject_doc_of(text: str, end: int) -> str | None:
    """The cited document whose date this is, from the words right after the date."""
    after = text[end:end + 240]
    if found := HISTORY_AFTER.match(after):
        return SPACES.sub("", found["title"] or found["number"])
    if found := MODIFIES_TITLE.match(after):
        return SPACES.sub("", found["title"])
    return None


def role_of(text: str, start: int, end: int, line_only: bool) -> str | None:
    before = text[max(0, start - 12):start]
    after = text[end:end + 60]
    if line_only:
        return "signed"
    if TENURE_BEFORE.search(before):
        return "tenure_start"
    if EFFECTIVE_BEFORE.search(before) and EFFECTIVE_AFTER.match(after) or BARE_EFFECTIVE_AFTER.match(after):
        return "effective"
    if MEETING_AFTER.match(after):
        return "meeting"
    if HISTORY_AFTER.match(text[end:end + 240]):
        return "amended"
    if ISSUED_AFTER.match(after):
        return "issued"
    if APPROVED_AFTER.match(after):
        return "approved"
    if PUBLISHED_AFTER.match(after):
        return "published"
    return None


def _date_record(document: Document, text: str, match, tables: SpanSet) -> DateRecord | None:
    if tables.contains(match.start()):
        return None
    parsed = match_to_date(match)
    if parsed is None:
        return None
    value, precision = parsed
    line_start = text.rfind("\n", 0, match.start()) + 1
    line_end = text.find("\n", match.end())
    line_end = len(text) if line_end < 0 else line_end
    line_only = not text[line_start:match.start()].strip() and not text[match.end():line_end].strip() and precision != "year"
    role = role_of(text, match.start(), match.end(), line_only)
    subject_doc = None if line_only else subject_doc_of(text, match.end())
    if subject_doc is not None and role in (None, "effective", "published") and ISSUED_IN_MODIFIER.match(text, match.end()):
        role = "issued"  # 1980年7月5日公布施行的《X》, 1987年3月27日国务院发布的《X》: the cited document's
    return make_record(DateRecord, document, match.start(), match.end(), EXTRACTOR,
                       value=value, precision=precision, role=role, subject_doc=subject_doc)


def extract(document: Document) -> list[DateRecord]:
    text = document.text
    tables = SpanSet(table_line_spans(text))
    records = [r for match in DATE.finditer(text) if (r := _date_record(document, text, match, tables))]
    for match in YEAR_RANGE_START.finditer(text):
        if not tables.contains(match.start()):
            records.append(make_record(DateRecord, document, match.start("y"), match.end("y"), EXTRACTOR,
                                       value=date(int(match["y"]), 1, 1), precision="year", role=None))
    records.sort(key=lambda r: r.start)
    return records


# 本规定自1995年5月1日起施行 (the document's own statement) rather than a later date for some
# of its addressees in the next sentence (事业单位最迟应当自1996年1月1日起施行)
OWN_STATEMENT_BEFORE = regex.compile(r"本[\p{Han}]{1,8}?(?:自|从|于)\s*$")


def _own(records: list[Record], role: str) -> list[DateRecord]:
    return [r for r in records if getattr(r, "role", None) == role and getattr(r, "subject_doc", None) is None]


# The subject of an amendment-history entry that is an order, not a decision's title: 中华人民共和国
# 国务院令第707号 (个人所得税法实施条例), a joint one 中华人民共和国国务院、中华人民共和国中央军事委员会令第689号.
REVISING_ORDER = regex.compile(rf"(?:\p{{Han}}{{1,20}}、)*{ORDER_TEXT}")


def own_promulgation_date(records: list[Record]) -> date | None:
    """When the version in force was promulgated: the last of the document's own ``published``
    dates and of its revisions promulgated by an order (国务院令第707号第四次修订: an ``amended``
    date whose subject is the order, 《行政法规制定程序条例》第二十七条), not by an amending decision
    (《国务院关于修改…的决定》修订 leaves the text's own publication where it was)."""
    promulgated = _own(records, "published") + [
        r for r in records
        if getattr(r, "role", None) == "amended" and REVISING_ORDER.fullmatch(getattr(r, "subject_doc", None) or "")
    ]
    return max((r.value for r in promulgated), default=None)


def own_effective_date(document: Document, records: list[Record]) -> date | None:
    """The 题注's effective date (2009年1月1日 施行), else the last 本X自…施行, else the last effective date."""
    effective = _own(records, "effective")
    if not effective:
        return None
    text = document.text
    header = [r for r in effective if BARE_EFFECTIVE_AFTER.match(text, r.end)]
    stated = [r for r in effective if OWN_STATEMENT_BEFORE.search(text[max(0, r.start - 12):r.start])]
    return (header or stated or effective)[-1 if not header else 0].value


def enrich(document: Document, records: dict[str, list[Record]]) -> dict:
    """effective_on from the text (see the module docstring); a warning when the text
    says when the document takes effect but gives no date to anchor it."""
    found = records.get(KIND, [])
    if (effective := own_effective_date(document, found)) is not None:
        return {"effective_on": effective}
    anchor, rule = None, None
    if FROM_ISSUE.search(document.text):
        anchor, rule = own_promulgation_date(found) or document.signed_on, "on publication"
    elif FROM_APPROVAL.search(document.text):
        approved = _own(found, "approved")
        anchor, rule = (approved[0].value if approved else None), "on approval"
    if anchor is not None:
        return {"effective_on": anchor}
    if rule is not None:
        warning = f"dates: the text says it takes effect {rule}, but gives no such date; effective_on left empty"
        return {"warnings": [*document.warnings, warning]}
    return {}
