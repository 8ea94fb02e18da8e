"""References: instruments a document cites, by title (《…》) and/or document number,
with the relation the sentence's grammar gives them.

A citation is a title in 《》 naming an instrument (it ends with a document-type
word, instrument_suffixes.txt: 法, 条例, 办法, 通知 …), optionally followed by its
number in brackets — ``《山西省科学技术奖励办法》（晋政发〔2023〕16号）`` — or a
document number on its own.  Not citations: the instrument the document itself
issues (``关于印发《X》的通知`` and ``《X》已经…同意，现印发给你们``), the
document's own number, abbreviations it defines (``（以下简称规划纲要）`` then
``《规划纲要》``), and forms or certificates (《…申请书》, 《…优待证》).

Relation, decided in this order (issue 15):
* ``amended_by`` — the amendment history of the document itself (题注): the citation
  is followed by 第N次修订 / 修正 / 修订 (``2014年2月19日 《国务院关于废止和修改部分行政法规的决定》第一次修订``,
  ``根据…《关于修改〈X条例〉等12件地方性法规的决定》第二次修正``, ``国务院令第707号第四次修订``):
  this document was amended by the cited decision or order;
* ``repeals`` / ``replaces`` — 同时废止 / 废止 / 停止执行 (代替 / 取代) whose object is the
  citation: the citation is one item of the list right before the verb (items joined by
  、，和 及 与, each with its own modifier ``1982年…发布的``), or right after a verb written
  first (决定废止《X》);  a title inside another item's modifier is not repealed;
* ``amends`` — 修改 / 修订 / 补充完善 written before the title in its clause (关于修改《X》的决定);
* ``implements`` — the document is made under the citation: a basis word (根据 / 依据 / 依照 /
  按照 / 参照 / 遵照) before it anywhere in the sentence and the making of this document after
  it (制定本条例, 特制订本办法, 现印发, 作如下规定, 通知如下, 市政府决定…), whatever commas fall
  between (根据宪法和《立法法》…，以及《…决定》，结合本市实际，制定本条例); a basis word
  with the cited policy's 精神 (按照《X》精神); or a policy verb governing it in its clause
  (贯彻落实 / 落实 / 执行 / 遵循 《X》);
* ``cites`` — everything else, including cross-references that apply another instrument to
  a case: 依照《治安管理处罚法》的有关规定处理, 按照《X》的规定处罚.
A citation of an amending decision (关于修改 / 废止…的决定) is never ``amends``, ``repeals`` or
``replaces``: outside an amendment history it ``cites``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.common import alternation, clause_end, clause_start, make_record, read_list
from extractors.doc_numbers import DocNumberMatch, find_doc_numbers
from schemas import Document
from schemas.records_entities import ReferenceRecord

KIND = "doc_references"
EXTRACTOR = "references/v2"

TITLE = regex.compile(r"《(?P<title>[^《》]{1,150})》")
# （以下简称规划纲要） / (以下简称“补贴资金”) / 简称《条例》: abbreviations defined in the text
ALIAS = regex.compile(r"(?:以下)?简称\s*[“\"《「]?(?P<alias>[^”\"》」）)，,。；]{1,20})")
TRAILING_BRACKETS = regex.compile(r"(?:[（(][^（）()]{0,20}[）)])+$")  # （试行）, （2020-2030年）
WHITESPACE = regex.compile(r"\s+")

# Words before a citation in its clause, nearest wins.
PREFIX_TRIGGERS: dict[str, str] = {
    # a basis: implements only when the sentence goes on to make this document (MAKING)
    "根据": "basis", "依据": "basis", "依照": "basis", "按照": "basis", "参照": "basis", "遵照": "basis",
    # policy verbs: the citing document carries out the cited one (为深入贯彻落实《X》, 严格执行《X》)
    "贯彻落实": "implements", "贯彻": "implements", "落实": "implements", "遵循": "implements",
    "执行": "implements",
    # amends: 关于补充完善《…》部分内容的通知, 关于修改《…》的决定
    "补充完善": "amends", "修订": "amends", "修改": "amends", "修正": "amends", "补充": "amends",
    # repeals / replaces written before the title: 决定废止《…》, 代替《…》
    "废止": "repeals", "代替": "replaces", "取代": "replaces", "替代": "replaces",
}
BASIS_WORDS = tuple(word for word, role in PREFIX_TRIGGERS.items() if role == "basis")
SUFFIX_TRIGGERS = regex.compile(
    r"""(?P<repeals>(?:同时|一并|予以|即行)?废止|(?:同时)?停止执行|不再执行)  # 《X》（N）同时废止
        |(?P<replaces>代替|取代|替代)                                        # 《X》…被代替
    """,
    regex.VERBOSE,
)
PREFIX_PATTERN = regex.compile(alternation(PREFIX_TRIGGERS))
BASIS_PATTERN = regex.compile(alternation(BASIS_WORDS))
# 题注 of a regulation: 《…决定》第一次修订, 国务院令第707号第四次修订, 《…决定》第二次修正 (地方性法规),
# 国务院令第651号修订通过 — the cited decision or order amended this document.
HISTORY_AFTER = regex.compile(r"\s*(?P<trigger>(?:第[一二三四五六七八九十\d]+次)?(?:修订|修正)(?!的))")
# A lone order number then 公布 / 发布 (not 发布的《X》): the document's own promulgation, in its 题注
OWN_PROMULGATION_AFTER = regex.compile(r"\s*(?:公布|发布|颁布)(?!的)")
# An amending decision's own title: 国务院关于修改和废止部分行政法规的决定, 关于修改〈X条例〉等12件地方性法规的决定
AMENDING_DECISION = regex.compile(r"关于(?:废止和)?(?:修改|修订|修正|废止)[^《》]*(?:决定|通知)$")
# The sentence goes on to make this document (《立法法》: 根据…，制定本条例), after the citation.
MAKING = regex.compile(
    r"""(?:特|现)?制(?:定|订)(?:了)?\s*(?:本|《)                # 制定本条例 / 特制订本办法 / 我部制定了《…》
       |制(?:定|订)\s*[。；]                                   # …，制定。
       |现(?:予)?(?:印发|发布|公布)                            # 现印发给你们
       |作(?:出)?(?:如下|以下)规定|(?:规定|通知|决定|意见)如下   # 作如下规定 / 现就…通知如下
       |(?:按照|依照)下列规定(?:执行|办理)                      # 根据《国旗法》…，按照下列规定执行：
       |[，,][^，,。；;]{0,12}?决定(?!》)                       # …，市政府决定对退役军人…
    """,
    regex.VERBOSE,
)
# 按照《X》（N）精神: the spirit of a policy, which the measure carries out
SPIRIT_AFTER = regex.compile(r"\s*(?:有关|相关)?(?:文件)?精神")
SENTENCE_BREAKS = "。；;\n"
# Between two items of one list of repealed titles: a connector, then the next item's own
# modifier (1982年8月9日国务院发布的); 《A》《B》 may follow each other directly.
MODIFIER = r"[^。；;《》]*?(?:发布|公布|印发|批准|颁布|下发|制定|修订|修正|通过|施行|实施)的"
LIST_GAP = regex.compile(
    rf"^\s*(?:(?:[、，,]\s*(?:和|及|以及|与|或者)?|和|及|以及|与|或者)\s*(?:{MODIFIER})?)?\s*$"
)
# After the last item, before the verb: （试行）, 等3个文件
LIST_END = regex.compile(r"^\s*(?:[（(][^（）()]{0,20}[）)])?\s*(?:等[\p{Han}\d]{0,8})?\s*$")
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


def find_citations(text: str, numbers: Sequence[DocNumberMatch] | None = None) -> list[Citation]:
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


def _is_list(text: str, spans: list[tuple[int, int]], end: int) -> bool:
    """Whether the citations at ``spans`` (in order) form one list ending at ``end``:
    every gap between them is a connector (plus the next item's modifier) and the
    last gap is empty up to ``end``."""
    for (_, left_end), (right_start, _) in zip(spans, spans[1:], strict=False):
        if not LIST_GAP.match(text[left_end:right_start]):
            return False
    return bool(LIST_END.match(text[spans[-1][1]:end]))


def _spans_between(citations: list[Citation], start: int, end: int) -> list[tuple[int, int]]:
    return [(c.start, c.end) for c in citations if c.start >= start and c.end <= end]


def _sentence(text: str, citation: Citation) -> tuple[int, int]:
    start = clause_start(text, citation.start, breaks=SENTENCE_BREAKS, limit=400)
    return start, clause_end(text, citation.end, breaks=SENTENCE_BREAKS, limit=400)


def history_relation(text: str, citation: Citation) -> tuple[str, str] | None:
    """amended_by: 《…决定》第二次修正 / 国务院令第707号第四次修订 in the document's 题注."""
    match = HISTORY_AFTER.match(text, citation.end)
    return ("amended_by", match["trigger"]) if match else None


def object_relation(text: str, citation: Citation, citations: list[Citation]) -> tuple[str, str] | None:
    """repeals / replaces when the citation is the object of 同时废止 (after it) or 废止 (before it)."""
    _, sentence_end = _sentence(text, citation)
    for tail in SUFFIX_TRIGGERS.finditer(text, citation.end, sentence_end):
        if _is_list(text, _spans_between(citations, citation.start, tail.start()), tail.start()):
            return ("repeals" if tail["repeals"] else "replaces"), tail.group()
    head_start = clause_start(text, citation.start, breaks="。；;：:\n", limit=200)
    verbs = [m for m in PREFIX_PATTERN.finditer(text, head_start, citation.start)
             if PREFIX_TRIGGERS[m.group()] in ("repeals", "replaces")]
    if verbs:
        verb = verbs[-1]
        spans = [(verb.end(), verb.end()), *_spans_between(citations, verb.end(), citation.end)]
        if _is_list(text, spans, citation.end):
            return PREFIX_TRIGGERS[verb.group()], verb.group()
    return None


def basis_relation(text: str, citation: Citation) -> tuple[str, str] | None:
    """implements: 根据《X》…，制定本条例 (a basis word before, the making of this document
    after, anywhere in the sentence), or 按照《X》精神."""
    sentence_start, sentence_end = _sentence(text, citation)
    bases = list(BASIS_PATTERN.finditer(text, sentence_start, citation.start))
    if not bases:
        return None
    if MAKING.search(text, citation.end, sentence_end) or SPIRIT_AFTER.match(text, citation.end):
        return "implements", bases[-1].group()
    return None


def clause_relation(text: str, citation: Citation) -> tuple[str, str] | None:
    """The nearest trigger before the citation in its clause: a policy verb (implements)
    or 修改 / 补充完善 (amends).  A basis word alone is a cross-reference (cites)."""
    head_start = clause_start(text, citation.start, breaks="，,。；;：:\n", limit=120)
    best = None
    for match in PREFIX_PATTERN.finditer(text, head_start, citation.start):
        best = match  # the nearest (last) trigger before the citation
    if not best:
        return None
    role = PREFIX_TRIGGERS[best.group()]
    if role == "implements" or role == "amends" and not text[best.end():citation.start].strip():
        return role, best.group()  # amends only right before its object: 关于修改《X》的决定
    return None


def relation_of(text: str, citation: Citation, citations: list[Citation] | None = None) -> tuple[str, str | None]:
    """(relation, trigger word) for one citation, from the grammar of its sentence."""
    citations = [citation] if citations is None else citations
    if found := history_relation(text, citation):
        return found
    amending = bool(citation.title and AMENDING_DECISION.search(TRAILING_BRACKETS.sub("", citation.title)))
    for rule in (lambda: object_relation(text, citation, citations), lambda: basis_relation(text, citation),
                 lambda: clause_relation(text, citation)):
        found = rule()
        if found and not (amending and found[0] in ("amends", "repeals", "replaces")):
            return found
    return "cites", None


def extract(document: Document) -> list[ReferenceRecord]:
    text = document.text
    aliases = defined_aliases(text)
    own_instrument = clean_title(document.instrument_title) if document.instrument_title else None
    records = []
    citations = find_citations(text)
    for citation in citations:
        if citation.number is not None and citation.number.canonical == document.doc_number:
            continue  # the document's own 发文字号
        if citation.title is None and OWN_PROMULGATION_AFTER.match(text, citation.end):
            continue  # 2018年11月6日 中华人民共和国国务院令第706号公布: the order promulgating this text
        if citation.number is None:
            title = citation.title or ""
            if not is_instrument_title(title) or title in aliases or title == own_instrument:
                continue
        relation, trigger = relation_of(text, citation, citations)
        records.append(make_record(
            ReferenceRecord, document, citation.start, citation.end, EXTRACTOR,
            cited_title=citation.title,
            cited_number=citation.number.canonical if citation.number else None,
            relation=relation, trigger=trigger,
        ))
    return records
