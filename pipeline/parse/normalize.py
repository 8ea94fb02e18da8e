"""Clean characters and repair lines broken by page and column breaks.

Two pure steps:

* ``clean_line``: unify full/half-width forms and whitespace, drop the
  markdown bullets some PDF converters add.
* ``blocks_to_lines``: glue a block to the previous one when the previous one
  was cut mid-sentence by a page or column break (`管\\n\\n理办法`,
  `忻政\\n\\n办发〔2021〕113号` in the sample) and the next one does not start
  a new unit of the document (a 第X条, a （一）, a date line, a 发文字号 …).

The joined lines keep the page of their first character, and record where
later pages begin so that provenance survives the join.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

import regex

from schemas import Block, Page
from schemas import patterns as p

# Full-width ASCII digits and letters become half-width (NFKC on those only:
# NFKC on the whole text would also turn （） and ，into ASCII, losing the
# distinction GB/T 9704 text relies on).
_FULLWIDTH_ALNUM = regex.compile(r"[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]")
_SPACES = regex.compile(r"[ \t\u00a0\u2002-\u200b\u3000]+")
_SPACE_NO_TAB = regex.compile(r"[ \u00a0\u2002-\u200b\u3000]+")
# ASCII punctuation next to a Han character becomes the full-width form that
# Chinese official text uses, so downstream patterns see one form:
# 各县(市、区)人民政府,忻州经济开发区 → 各县（市、区）人民政府，忻州经济开发区.
# Brackets come in pairs, so on a line with any Han character both halves
# become full-width (率(%) → 率（%）).
_ASCII_TO_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_HAN_CHAR = regex.compile(r"\p{Han}")
_CJK_ADJACENT_PUNCT = regex.compile(
    r"(?<=[\p{Han}”“）（》《、，。：；])[,:;?!]|[,:;?!](?=[\p{Han}“”（《])"
)


def printed_line(text: str) -> str:
    """The line as printed, only its whitespace unified: what a title keeps
    (``clean_line`` would turn a printed (试行) into （试行）)."""
    text = text.replace("\ufeff", "").replace("\r", "")
    return p.BULLET.sub("", _SPACES.sub(" ", text).strip())


def clean_line(text: str) -> str:
    """Unify character forms and whitespace in one line; keep tabs (table cells)."""
    text = text.replace("\ufeff", "").replace("\r", "")
    text = _FULLWIDTH_ALNUM.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    if "\t" in text:
        # A table row keeps its tabs; a row with one filled cell keeps a
        # trailing tab so it still reads as a row (序号 1 of an empty form).
        cells = [_SPACE_NO_TAB.sub(" ", cell).strip() for cell in text.split("\t")]
        while len(cells) > 1 and not cells[-1]:
            cells.pop()
        text = "\t".join(cells) if len(cells) > 1 else (cells[0] + "\t" if cells[0] else "")
    else:
        text = _SPACES.sub(" ", text).strip()
    text = p.BULLET.sub("", text)
    if _HAN_CHAR.search(text):
        text = text.replace("(", "（").replace(")", "）")
        text = _CJK_ADJACENT_PUNCT.sub(lambda m: _ASCII_TO_FULL[m.group()], text)
    return text




@dataclass
class JoinedLine:
    """A logical line after repair, with the page of each of its pieces."""

    text: str
    page: int | None
    # (offset within text, page) where a later page's text begins
    page_breaks: list[tuple[int, int | None]] = field(default_factory=list)
    printed: str = ""  # the same line as printed (``printed_line``), for the title; "" when unknown


def starts_new_unit(text: str) -> bool:
    """Does this line begin a unit that is never the tail of the previous line?"""
    return bool(
        p.HIERARCHY_HEADING.match(text)
        or p.ARTICLE_START.match(text)
        or p.PAREN_ITEM.match(text)
        or p.CN_POINT.match(text)
        or p.DIGIT_ITEM.match(text)
        or p.ATTACHMENT_START.match(text)
        or p.DATE_LINE.match(text)
        or p.DOC_NUMBER_LINE.match(text)
        or p.NOTE_LINE.match(text)
        or p.TOC_SECTION.match(text)
        or p.CLOSING_FORMULA.match(text)
        or p.FULL_TITLE.match(text)
        or p.ORDER_TITLE.match(text)
        or "\t" in text
    )


# A heading-like line: a short unit marker line without sentence punctuation,
# such as 一、优待对象 or 第一章 总则 (the sample's 忻政办函〔2024〕72号).
DEFAULT_SHORT_HEADING_CHARS = 16


def ends_unit(text: str) -> bool:
    """Is this line complete, so that the next line cannot continue it?"""
    if p.ends_sentence(text) or "\t" in text:
        return True
    if not _HAN_CHAR.search(text):  # a stray number or a row of dots: nothing continues it
        return True
    if p.DATE_LINE.match(text) or p.DOC_NUMBER_LINE.match(text) or p.NOTE_LINE.match(text):
        return True
    if p.BLANK_DATE_LINE.match(text):  # a form's 年 月 日 left blank: the form's last line
        return True
    if p.ATTACHMENT_START.match(text) or p.CLOSING_FORMULA.match(text) or p.TOC_SECTION.match(text):
        return True
    if p.HIERARCHY_HEADING.match(text):
        return True
    if len(text) <= DEFAULT_SHORT_HEADING_CHARS and (
        p.CN_POINT.match(text) or p.PAREN_ITEM.match(text) or p.DIGIT_ITEM.match(text)
    ):
        return True
    return False


def should_join(previous: str, following: str, *, following_indented: bool | None = None) -> bool:
    """Was ``following`` split off ``previous`` by a page or column break?"""
    if ends_unit(previous) or starts_new_unit(following):
        return False
    if p.FULL_TITLE.match(previous) and following.endswith(("：", ":")):
        return False  # 标题 then 主送机关 (GB/T 9704-2012 7.3.1-7.3.2): a document with no 发文字号 line
    if following_indented:  # the PDF reader saw a paragraph indent: a new paragraph
        return False
    return True


def blocks_to_lines(blocks: list[Block]) -> list[JoinedLine]:
    """Clean blocks and glue the pieces of broken sentences back together."""
    lines: list[JoinedLine] = []
    for block in blocks:
        text = clean_line(block.text)
        if not text:
            continue
        if lines and should_join(lines[-1].text, text, following_indented=block.indented):
            last = lines[-1]
            if block.page != last.page and block.page is not None:
                last.page_breaks.append((len(last.text), block.page))
            glue = " " if _needs_space(last.text, text) else ""
            last.text = last.text + glue + text
            last.printed = last.printed + glue + printed_line(block.text)
            continue
        lines.append(JoinedLine(text=text, page=block.page, printed=printed_line(block.text)))
    return lines


_LATIN_END = regex.compile(r"[A-Za-z0-9]$")
_LATIN_START = regex.compile(r"^[A-Za-z0-9]")


def _needs_space(left: str, right: str) -> bool:
    return bool(_LATIN_END.search(left) and _LATIN_START.search(right))


def pages_to_blocks(pages: list[Page]) -> list[Block]:
    return [block for page in pages for block in page.blocks]
