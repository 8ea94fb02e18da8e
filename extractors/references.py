"""References: instruments a document cites, by title (《…》) and/or document number,
with the relation the sentence gives them.

A citation is a title in 《》 naming an instrument (it ends with a document-type
word, instrument_suffixes.txt: 法, 条例, 办法, 通知 …), optionally followed by its
number in brackets — ``《山西省科学技术奖励办法》（晋政发〔2023〕16号）`` — or a
document number on its own.  Not citations: the instrument the document itself
issues (``关于印发《X》的通知`` and ``《X》已经…同意，现印发给你们``), the
document's own number, abbreviations it defines (``（以下简称规划纲要）`` then
``《规划纲要》``), and forms or certificates (《…申请书》, 《…优待证》).

Relation, from the words around the citation (《党政机关公文处理工作条例》 usage):
* after it in the same clause: ``同时废止`` / ``废止`` / ``停止执行`` → repeals;
  ``代替`` / ``取代`` → replaces (``《A》（N1）、《B》（N2）同时废止`` repeals both);
* before it in the same clause, the nearest of: 根据 / 依据 / 按照 / 为贯彻落实 /
  遵循 / 参照 … → implements; 补充完善 / 修订 / 修改 → amends; 废止 → repeals;
  代替 → replaces;
* otherwise cites.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.common import alternation, clause_end, clause_start, make_record, read_list
from extractors.doc_numbers import DocNumberMatch, find_doc_numbers
from schemas import Document
from schemas.records_entities import ReferenceRecord

KIND = "doc_references"
EXTRACTOR = "references/v1"

TITLE = regex.compile(r"《(?P<title>[^《》]{1,150})》")
# （以下简称规划纲要） / (以下简称“补贴资金”) / 简称《条例》: abbreviations defined in the text
ALIAS = regex.compile(r"(?:以下)?简称\s*[“\"《「]?(?P<alias>[^”\"》」）)，,。；]{1,20})")
TRAILING_BRACKETS = regex.compile(r"(?:[（(][^（）()]{0,20}[）)])+$")  # （试行）, （2020-2030年）
WHITESPACE = regex.compile(r"\s+")

# Words before a citation, nearest wins.  The relation names of issue 3.
PREFIX_TRIGGERS: dict[str, str] = {
    # implements: the citing document is made under / to carry out the cited one
    "根据": "implements", "依据": "implements", "依照": "implements", "按照": "implements",
    "贯彻落实": "implements", "贯彻": "implements", "落实": "implements", "遵循": "implements",
    "遵照": "implements", "执行": "implements", "参照": "implements",
    # amends: 关于补充完善《…》部分内容的通知, 关于修改《…》的决定
    "补充完善": "amends", "修订": "amends", "修改": "amends", "修正": "amends", "补充": "amends",
    # repeals / replaces written before the title: 决定废止《…》, 代替《…》
    "废止": "repeals", "代替": "replaces", "取代": "replaces", "替代": "replaces",
}
SUFFIX_TRIGGERS = regex.compile(
    r"""(?P<repeals>(?:同时|一并|予以|即行)?废止|(?:同时)?停止执行|不再执行)  # 《X》（N）同时废止
        |(?P<replaces>代替|取代|替代)                                        # 本办法代替《X》 written after: 《X》…被代替
    """,
    regex.VERBOSE,
)
PREFIX_PATTERN = regex.compile(alternation(PREFIX_TRIGGERS))
OPENERS = "（(［[〔【"


@dataclass
class Citation:
    start: int
    end: int
    title: str | None
    number: DocNumberMatch | None


@lru_cache(maxsize=1)
def _instrument_suffixes() -> tuple[str, ...]:
    return read_list("instrument_suffixes.txt")


def clean_title(title: str) -> str:
    """Whitespace left by line breaks removed: 《忻州市冬季清洁取暖运行补贴 资金管理办法》."""
    return WHITESPACE.sub("", title)


def is_instrument_title(title: str) -> bool:
    """True when ``title`` names a law, regulation or document (not a form or a certificate)."""
    core = TRAILING_BRACKETS.sub("", title)
    return core.endswith(_instrument_suffixes())


def defined_aliases(text: str) -> set[str]:
    return {m["alias"].strip() for m in ALIAS.finditer(text)}


def find_citations(text: str, numbers: list[DocNumberMatch] | None = None) -> list[Citation]:
    """Titles (paired with a number in brackets right after them) and lone numbers."""
    numbers = find_doc_numbers(text) if numbers is None else numbers
    by_start = {n.start: n for n in numbers}
    used: set[int] = set()
    citations: list[Citation] = []
    for match in TITLE.finditer(text):
        number = None
        index = match.end()
        while index < len(text) and text[index] in " \u3000":
            index += 1
        if index < len(text) and text[index] in OPENERS:
            number = by_start.get(index + 1)
        end = match.end()
        if number is not None:
            used.add(number.start)
            end = number.end
            if end < len(text) and text[end] in "）)］]】":
                end += 1
        citations.append(Citation(match.start(), end, clean_title(match["title"]), number))
    for number in numbers:
        if number.start not in used:
            citations.append(Citation(number.start, number.end, None, number))
    citations.sort(key=lambda c: c.start)
    return citations


def relation_of(text: str, citation: Citation) -> tuple[str, str | None]:
    """(relation, trigger word) for one citation, from the words in its clause."""
    tail_end = clause_end(text, citation.end, breaks="，,。；;\n")
    tail = SUFFIX_TRIGGERS.search(text, citation.end, tail_end)
    if tail:
        return ("repeals" if tail["repeals"] else "replaces"), tail.group()
    head_start = clause_start(text, citation.start, breaks="，,。；;：:\n", limit=120)
    best = None
    for match in PREFIX_PATTERN.finditer(text, head_start, citation.start):
        best = match  # the nearest (last) trigger before the citation
    if best:
        return PREFIX_TRIGGERS[best.group()], best.group()
    return "cites", None


def extract(document: Document) -> list[ReferenceRecord]:
    text = document.text
    aliases = defined_aliases(text)
    own_instrument = clean_title(document.instrument_title) if document.instrument_title else None
    records = []
    for citation in find_citations(text):
        if citation.number is not None and citation.number.canonical == document.doc_number:
            continue  # the document's own 发文字号
        if citation.number is None:
            title = citation.title or ""
            if not is_instrument_title(title) or title in aliases or title == own_instrument:
                continue
        relation, trigger = relation_of(text, citation)
        records.append(make_record(
            ReferenceRecord, document, citation.start, citation.end, EXTRACTOR,
            cited_title=citation.title,
            cited_number=citation.number.canonical if citation.number else None,
            relation=relation, trigger=trigger,
        ))
    return records
