"""Regular expressions for the structure of Chinese official documents.

Shared by normalize (to know where a line may not be joined to the previous
one) and segment (to find documents, chapters, articles and points).  Each
pattern cites the rule or the document that needed it.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import regex

from schemas.models import DatePrecision

# Chinese numerals as they appear in 章/节/条 labels (《立法法》: 编、章、节、条 are
# numbered in Chinese numerals) and in 成文日期 written before 2012 (二〇二四年).
CN_DIGITS = "一二三四五六七八九十百千零〇两壹贰叁肆伍陆柒捌玖拾佰"
CN_NUM = rf"[{CN_DIGITS}]+"
NUM = rf"(?:[{CN_DIGITS}]+|\d+)"  # some local documents number articles 第3条

# Punctuation that ends a sentence or a list item.  A line ending in one of
# these is a finished paragraph; any other ending means the line was cut by a
# page or column break (`管\n\n理办法` in the sample) and continues below.
TERMINAL_PUNCT = "。；;！!？?：:…"
CLOSERS = "”’」』）)】〕》"

# ---------------------------------------------------------------------------
# Line-start markers of the hierarchy.  A line starting with one of these
# begins a new unit, so it is never glued to the line before it.

HIERARCHY_HEADING = regex.compile(
    rf"""^第(?P<num>{NUM})(?P<unit>[编章节])   # 第一章 / 第二节 / 第一编 (《立法法》第六十五条)
         (?:[\s\u3000]*(?P<title>[^。；;，,]{{0,40}}))?$  # short title, no sentence punctuation
    """,
    regex.VERBOSE,
)

ARTICLE_START = regex.compile(
    rf"""^第(?P<num>{NUM})条                     # 第十二条
         (?:之(?P<sub>{CN_NUM}))?                 # 第十二条之一: inserted by an amending document
         (?P<sep>[\s\u3000]+|(?=[^\s的规所中和或及、，,。；]|$))  # a space, or text that is not a cross-reference (第三条规定…)
    """,
    regex.VERBOSE,
)

# （一） items (项) and points; both bracket widths occur in one issue.
PAREN_ITEM = regex.compile(rf"^[（(](?P<num>{CN_NUM})[）)]")
# 一、 points of a notice
CN_POINT = regex.compile(rf"^(?P<num>{CN_NUM})[、.．]")
# 1. / 1、 / 1． sub-items (目); not 1.5 or 2024年
DIGIT_ITEM = regex.compile(r"^(?P<num>\d{1,2})(?:[.．、](?!\d)|\s*[）)])")

# 附件 (GB/T 9704-2012 7.3.4), and the 附表/附录 that regulations append (the
# corpus's 易制毒化学品管理条例 ends with 附表 and a list of 1．2．… entries).
ATTACHMENT_START = regex.compile(r"^附\s*(?:件|表|录)\s*[\d一二三四五六七八九十]*\s*(?:[:：]|$|\d)")
BULLET = regex.compile(r"^[-•·▪●◦]\s+")  # markdown-style bullets left by PDF→text converters

# 成文日期: Arabic since 2012 (2024年8月29日), Chinese numerals before (二〇二四年八月二十九日).
DATE_LINE = regex.compile(
    r"""^[\s\u3000]*
        (?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年
        \s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月
        (?:\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*日)?
        [\s\u3000]*$""",
    regex.VERBOSE,
)

# A form's date line left blank for the applicant (年　月　日, ____年__月__日,
# often with （单位盖章） after it): the last line of a 申请表 / 承诺书 attached
# to a notice.  It is complete (nothing continues it) and never part of a title.
BLANK_DATE_LINE = regex.compile(
    r"""^[\s\u3000_＿]*年[\s\u3000_＿]+月[\s\u3000_＿]+日   # 年 月 日 with blanks, no numbers
        (?:[\s\u3000]*[（(][^）)]{1,10}[）)])?[\s\u3000]*$   # （单位盖章）/（签字）
    """,
    regex.VERBOSE,
)

# 发文字号 = 机关代字 + 〔年份〕 + 顺序号 + 号 (GB/T 9704-2012 7.2.4).  Real text
# also writes [2024], ［2024］, （2024）, 【2024】 and puts spaces inside
# (忻政发〔2024〕13 号 in the sample's table of contents).
DOC_NUMBER = regex.compile(
    r"""(?P<code>\p{Han}{1,14}?)\s*                       # 机关代字: 忻政办发, 晋科监发, 国办发
        [〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]  # 〔2024〕 in any bracket
        \s*第?\s*(?P<serial>\d{1,5})\s*号                   # 13号 / 13 号
    """,
    regex.VERBOSE,
)
# Government orders keep 第: 忻州市人民政府令第15号, 中华人民共和国国务院令第656号.
ORDER_NUMBER = regex.compile(r"(?P<code>\p{Han}{1,20}令)\s*第\s*(?P<serial>\d{1,5})\s*号")
# The same shape without its groups, to build larger patterns from (a joint order's several).
ORDER_TEXT = r"\p{Han}{1,20}令\s*第\s*\d{1,5}\s*号"

# A line holding only a 发文字号.  Gazettes often print it in brackets under
# the title: （晋政函〔2024〕21号）, as 国务院公报 does.
DOC_NUMBER_LINE = regex.compile(
    rf"^[\s\u3000]*[（(]?[\s\u3000]*(?:{DOC_NUMBER.pattern}|{ORDER_NUMBER.pattern})[\s\u3000]*[）)]?[\s\u3000]*$",
    regex.VERBOSE,
)

# The 15 document types of 《党政机关公文处理工作条例》(2012) 第八条, longest first
# so that 命令 wins over 令.
DOC_TYPES = ("决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复", "议案", "纪要", "函", "令")


# A complete document title on one line: issuer(s) 关于 subject 的 文种
# (GB/T 9704-2012 7.3.1), e.g. 山西省人民政府办公厅关于印发…办法的通知.
FULL_TITLE = regex.compile(
    r"^\p{Han}[\p{Han}、\s]{1,40}?关于.{2,80}?(?:的)?(?:"
    + "|".join(t for t in DOC_TYPES if t != "令")
    + r")(?:[（(][^）)]{1,10}[）)])?$"
)
# 山西省人民政府令 / 中华人民共和国国务院令: the title line of a government order.
ORDER_TITLE = regex.compile(r"^\p{Han}{2,30}令$")

# Table of contents: an entry ends with leader dots and a page number,
# `忻政发〔2024〕13 号..... (2)` or `…………… (25)`.
TOC_LEADER = regex.compile(
    r"""^(?P<text>.*?)[\s\u3000]*
        (?:\.{2,}|…{1,}|·{3,}|—{3,}|-{4,})[\s\u3000.…·]*   # leader dots of any kind
        [（(]?\s*(?P<page>\d{1,4})\s*[）)]?[\s\u3000]*$     # page, bracketed or not
    """,
    regex.VERBOSE,
)
TOC_HEADING = regex.compile(r"^目[\s\u3000]*录$")
TOC_SECTION = regex.compile(r"^[【\[［](?P<name>[^】\]］]{2,30})[】\]］]$")

# 附注 (GB/T 9704-2012 7.3.6) such as （此件公开发布）.
NOTE_LINE = regex.compile(r"^[（(](?P<note>此件[^）)]{2,20}|[^）)]{0,10}公开[^）)]{0,10})[）)]$")

# Closing formulas that end the body of a notice (特此通知, 此复 …).
CLOSING_FORMULA = regex.compile(r"^(?:特此(?:通知|通告|公告|批复|函告|函复|报告|决定)|此复|专此报告)[。.]?$")


class NumeralError(ValueError):
    """Text that is no numeral (第十百条, an OCR slip)."""


@lru_cache(maxsize=4096)
def cn_to_number(numeral: str) -> int | float:
    """The value of a Chinese numeral, by cn2an: 二十三 → 23, 两百 → 200,
    二〇二四 (a year, digit by digit) → 2024, 零点五 → 0.5.

    The one place numerals are converted (``cn_to_int`` here, and the decimal
    amounts of ``extractors.common``).  Raises ``NumeralError`` (a ValueError).
    """
    import cn2an  # here, not at the top: 0.1 s of import that a PDF's reader processes do without

    try:
        return cn2an.cn2an(numeral.strip().replace("两", "二"), "smart")
    except (ValueError, KeyError, IndexError, TypeError) as error:
        raise NumeralError(f"not a numeral: {numeral!r}") from error


@lru_cache(maxsize=4096)
def cn_to_int(numeral: str) -> int:
    """第二十三条 → 23.  Arabic digits pass through; cn2an does the Chinese."""
    numeral = numeral.strip()
    if numeral.isdigit() and numeral.isascii():
        return int(numeral)
    return int(cn_to_number(numeral))


def cn_to_int_or_none(numeral: str | None) -> int | None:
    """``cn_to_int`` for text that may be malformed (第十百条, OCR slips): None, not an error."""
    if not numeral:
        return None
    try:
        return cn_to_int(numeral)
    except ValueError:
        return None


def calendar_date(year: int | str | None, month: int | str | None, day: int | str | None = 1) -> date | None:
    """A date from written parts (Arabic or Chinese numerals); None when the
    parts are no calendar date (2024年13月45日, an OCR slip) — never an error."""
    parts = [part if isinstance(part, int) else cn_to_int_or_none(part) for part in (year, month, day or 1)]
    if any(part is None for part in parts):
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


# A written date: 2024年8月29日 (Arabic, since 2012), 二〇二四年八月二十九日 (Chinese
# numerals, 成文日期 before 2012), 2024年9月, 2017年; 号 for 日 in informal text.
DATE_TEXT = regex.compile(
    r"""[\s\u3000]*
        (?P<y>\d{4}|[〇零一二三四五六七八九]{4})\s*年                 # 2024年 / 二〇二四年
        (?:\s*(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})\s*月        # 8月 / 八月
           (?:\s*(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号])?  # 29日 / 二十九日 / 29号
        )?
    """,
    regex.VERBOSE,
)

def date_text_to_date(text: str) -> tuple[date, DatePrecision] | None:
    """The date written at the start of ``text`` and how precise it is:
    2024年8月29日 → (2024-08-29, 'day'), 二〇二四年九月 → (2024-09-01, 'month'),
    2017年 → (2017-01-01, 'year').  None when ``text`` does not start with a
    date or its parts are no calendar date (2024年13月45日)."""
    match = DATE_TEXT.match(text)
    if not match:
        return None
    value = calendar_date(match["y"], match["m"] or 1, match["d"] or 1)
    if value is None:
        return None
    return value, ("day" if match["d"] else "month" if match["m"] else "year")


def format_doc_number(code: str, year: int | None, serial: int) -> str:
    """The canonical spelling of a 发文字号 (GB/T 9704-2012 7.2.4): 忻政发〔2024〕13号;
    an order number has no year: 国务院令第656号."""
    if year is None:
        return f"{code}第{serial}号"
    return f"{code}〔{year}〕{serial}号"


def compact(text: str) -> str:
    """Remove all whitespace: titles broken over lines, 总 则 → 总则."""
    return "".join(text.split())


def ends_sentence(text: str) -> bool:
    """True when ``text`` ends with sentence punctuation (possibly inside quotes/brackets)."""
    stripped = text.rstrip()
    while stripped and stripped[-1] in CLOSERS:
        if stripped[-1] in "）)" and stripped.endswith(("）", ")")) and _balanced_paren_line(stripped):
            return True
        stripped = stripped[:-1]
    return bool(stripped) and stripped[-1] in TERMINAL_PUNCT


def _balanced_paren_line(text: str) -> bool:
    """A line that is one bracketed unit, like （此件公开发布） or (总第57期)."""
    return text[:1] in "（(" and text[-1:] in "）)"
