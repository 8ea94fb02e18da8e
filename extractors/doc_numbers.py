"""Document numbers (发文字号): every 机关代字〔年份〕顺序号号 and …令第N号 in a text.

GB/T 9704-2012 7.2.4: 发文字号 = 机关代字 + 年份 (in 〔〕) + 发文顺序号 + 号, e.g.
忻政办发〔2024〕34号.  Real text also writes [] ［］ () （） 【】, puts spaces and line
breaks inside (``忻政发〔2024〕13 号``, ``晋科监发〔2020〕27\\n\\n号``) and splits
the code across a page break (``忻政\\n\\n办发〔2021〕113号``).

The year-and-serial core is found first; the 机关代字 is then read backwards from
the bracket.  Where the code starts is the hard part (``按照忻政发〔2024〕13号``):
the longest suffix of the preceding characters that is a known code
(issuer_codes.tsv) or a code the region/body rules can read (regions.tsv,
bodies.tsv) wins; otherwise the code starts after the last stop word
(doc_number_stopwords.txt).  Known codes may span a line break; unknown ones
may not, since the line above is usually the document's title.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.common import CN_NUMERAL, make_record, read_list, read_tsv
from schemas import Document
from schemas.patterns import cn_to_int_or_none, format_doc_number
from schemas.records_entities import DocNumberRecord

KIND = "doc_numbers"
EXTRACTOR = "doc_numbers/v1"
MAX_CODE = 12  # 机关代字 longer than this are not codes (中华人民共和国国务院令 is an order, below)

# The 〔年份〕顺序号号 core of a 发文字号.
NUMBER_CORE = regex.compile(
    r"""(?P<open>[〔\[［(（【])[ \t\u3000]*        # any bracket: 〔 [ ［ ( （ 【 all occur (ARCHITECTURE.md)
        (?P<year>(?:19|20)\d{2})[ \t\u3000]*      # 年份, four digits
        [〕\]］)）】]\s*                           # closing bracket; a line break may follow (PDF text)
        第?\s*(?P<serial>\d{1,5})\s*号             # 顺序号 + 号; 27\n\n号 in the sample
    """,
    regex.VERBOSE,
)

# Government orders keep 第 and have no year: 忻州市人民政府令第15号, 国务院令第七百号.
ORDER_CORE = regex.compile(
    rf"""令\s*第\s*(?P<serial>\d{{1,5}}|{CN_NUMERAL})\s*号   # …令第15号
    """,
    regex.VERBOSE,
)
HAN = regex.compile(r"\p{Han}")


SPACES = regex.compile(r"\s+")


@dataclass(frozen=True)
class DocNumberMatch:
    start: int
    end: int
    code: str
    year: int | None
    serial: int
    canonical: str


# ---------------------------------------------------------------------------
# issuer codes → organs


@lru_cache(maxsize=1)
def known_codes() -> dict[str, str]:
    return {row[0]: row[1] for row in read_tsv("issuer_codes.tsv") if len(row) >= 2}


@lru_cache(maxsize=1)
def _regions() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in read_tsv("regions.tsv")}


@lru_cache(maxsize=1)
def _bodies() -> dict[str, tuple[str, str]]:
    # an empty body (晋发 = 中共山西省委) is a line starting with a tab
    return {body: (province, city) for body, province, city in read_tsv("bodies.tsv")}


def _strip_type_suffix(code: str) -> str:
    """晋政办发 → 晋政办; 忻人任字 → 忻人 (字 then 任)."""
    suffixes = read_list("doc_type_suffixes.txt")
    stripped = True
    while stripped:
        stripped = False
        for suffix in suffixes:
            if code.endswith(suffix) and len(code) > len(suffix):
                code = code[: -len(suffix)]
                stripped = True
                break
    return code


@lru_cache(maxsize=8192)
def code_to_organ(code: str) -> str | None:
    """The organ a 机关代字 stands for: the list first, then the rules (cached: the
    number finder asks about every suffix of the Han run before each number).

    Rules (issuer_codes.tsv header): region prefix (晋 = 山西省, 忻 = 忻州市) +
    body (政 = 人民政府, 政办 = 人民政府办公厅/办公室, 科 = 科学技术厅/局) +
    type suffix (发, 函, 字, 规, 任 …).
    """
    code = SPACES.sub("", code)
    known = known_codes().get(code)
    if known:
        return known
    regions, bodies = _regions(), _bodies()
    for size in (2, 1):
        region = regions.get(code[:size])
        if region is None:
            continue
        name, level = region
        rest = code[size:]
        for candidate in (rest, _strip_type_suffix(rest)) if rest else ("",):
            if candidate in bodies and (candidate or rest in read_list("doc_type_suffixes.txt")):
                province, city = bodies[candidate]
                template = province if level == "province" else city
                return template.replace("{r}", name)
    return None


def code_is_plausible(code: str) -> bool:
    return code in known_codes() or code_to_organ(code) is not None


# ---------------------------------------------------------------------------
# finding numbers


def _han_run_before(text: str, end: int) -> list[tuple[int, str]]:
    """(offset, char) of the Han characters right before ``end``, newest last.

    Spaces and line breaks between them are skipped (a split code), anything else
    stops the run.  Each entry also records whether a line break was crossed.
    """
    chars: list[tuple[int, str]] = []
    index = end - 1
    while index >= 0 and len(chars) < MAX_CODE + 8:
        ch = text[index]
        if HAN.match(ch):
            chars.append((index, ch))
        elif ch in " \t\u3000\n\r":
            pass
        else:
            break
        index -= 1
    chars.reverse()
    return chars


def _after_last_gap(text: str, run: list[tuple[int, str]]) -> int:
    """Index into ``run`` just after the last whitespace between two of its characters."""
    for i in range(len(run) - 1, 0, -1):
        if run[i][0] - run[i - 1][0] > 1:
            return i
    return 0


def _code_start(text: str, run: list[tuple[int, str]]) -> int | None:
    """Index into ``run`` where the 机关代字 begins, or None if there is none."""
    if len(run) < 2:
        return None
    joined = "".join(ch for _, ch in run)
    # 1. the longest suffix that is a known or rule-readable code (may cross a line break)
    for size in range(min(len(joined), MAX_CODE), 1, -1):
        if code_is_plausible(joined[-size:]):
            return len(run) - size
    # 2. otherwise stay after the last space or line break (the line above is the
    #    title; 2024年1月1日 国务院令第1号 is a date) and cut after the last stop word
    first = _after_last_gap(text, run)
    local = joined[first:]
    cut = 0
    for word in read_list("doc_number_stopwords.txt"):
        position = local.rfind(word)
        if position >= 0:
            cut = max(cut, position + len(word))
    start = first + cut
    if len(run) - start < 2 or len(run) - start > 8:
        return None
    return start


@lru_cache(maxsize=4)
def find_doc_numbers(text: str) -> tuple[DocNumberMatch, ...]:
    """Every 发文字号 and order number in ``text``, in order of appearance (cached per
    text: ``references`` reads the same document's next)."""
    found: list[DocNumberMatch] = []
    for match in NUMBER_CORE.finditer(text):
        run = _han_run_before(text, match.start())
        first = _code_start(text, run)
        if first is None:
            continue
        code = "".join(ch for _, ch in run[first:])
        year, serial = int(match["year"]), int(match["serial"])
        found.append(DocNumberMatch(run[first][0], match.end(), code, year, serial, format_doc_number(code, year, serial)))
    for match in ORDER_CORE.finditer(text):
        run = _han_run_before(text, match.start() + 1)  # include 令
        if len(run) < 2:
            continue
        # an order's code is its issuer + 令; stop at the line and at stop words
        first = _code_start_order(text, run)
        if first is None:
            continue
        code = "".join(ch for _, ch in run[first:])
        serial = cn_to_int_or_none(match["serial"])
        if serial is None:
            continue
        found.append(DocNumberMatch(run[first][0], match.end(), code, None, serial, format_doc_number(code, None, serial)))
    found.sort(key=lambda m: m.start)
    return tuple(found)


def _code_start_order(text: str, run: list[tuple[int, str]]) -> int | None:
    joined = "".join(ch for _, ch in run)
    start = _after_last_gap(text, run)
    # not 和: 中华人民共和国国务院令
    for word in ("以", "由", "经", "的", "公布", "发布", "根据", "依据", "按照"):
        position = joined.rfind(word, start, len(joined) - 1)
        if position >= 0:
            start = max(start, position + len(word))
    return start if len(run) - start >= 2 else None


def extract(document: Document) -> list[DocNumberRecord]:
    own = document.doc_number
    return [
        make_record(
            DocNumberRecord, document, m.start, m.end, EXTRACTOR,
            code=m.code, year=m.year, serial=m.serial, canonical=m.canonical,
            # an order number names its issuer in full: 忻州市人民政府令 → 忻州市人民政府
            organ=m.code.removesuffix("令") if m.year is None else code_to_organ(m.code),
            own=m.canonical == own,
        )
        for m in find_doc_numbers(document.text)
    ]
