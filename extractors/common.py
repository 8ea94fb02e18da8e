"""Helpers shared by the entity extractors: data files, numbers, records, spans.

Pure functions; the reference lists they read live in ``extractors/data/``.
"""

from __future__ import annotations

import bisect
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import regex

from schemas import Document, Record
from schemas.datafiles import data_lines
from schemas.patterns import cn_to_number

DATA = Path(__file__).parent / "data"
R = TypeVar("R", bound=Record)

# Chinese numerals without 万/亿, so that 五万元 reads as 五 + 万元 and the unit
# carries the multiplier (units.tsv); 二〇二四 (digit by digit) is included.
CN_NUMERAL = r"[零〇一二两三四五六七八九十百千]+"
ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
NUMBER = rf"(?:{ARABIC}|{CN_NUMERAL}(?:点[零〇一二三四五六七八九]+)?)"


# ---------------------------------------------------------------------------
# data files


def _data_lines(name: str) -> list[str]:
    return data_lines(DATA / name)


@lru_cache(maxsize=None)
def read_list(name: str) -> tuple[str, ...]:
    """A one-item-per-line data file, comments (#) and blank lines dropped."""
    return tuple(line.strip() for line in _data_lines(name))


@lru_cache(maxsize=None)
def read_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """A tab-separated data file as rows of stripped fields."""
    return tuple(tuple(field.strip() for field in line.split("\t")) for line in _data_lines(name))


@lru_cache(maxsize=1)
def units() -> dict[str, tuple[str, Decimal, str, str]]:
    """written unit → (canonical unit, factor, kind, currency) from units.tsv."""
    table = {}
    for row in read_tsv("units.tsv"):
        written, canonical, factor, kind = row[:4]
        currency = row[4] if len(row) > 4 else ""
        table[written] = (canonical, Decimal(factor), kind, currency)
    return table


def alternation(words) -> str:
    """A regex alternation of ``words``, longest first, each escaped."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True))


# ---------------------------------------------------------------------------
# numbers

FRACTION = regex.compile(rf"^(?P<den>{NUMBER})分之(?P<num>{NUMBER})$")


def cn_number_to_decimal(text: str) -> Decimal:
    """'15' / '1,500' / '2.5' / '十五' / '两' / '二〇二四' / '零点五' → Decimal.

    Arabic numbers keep their written decimals; Chinese ones go through the
    shared converter (``schemas.patterns.cn_to_number``).  Raises ValueError
    when ``text`` is not a number.
    """
    text = text.strip().replace(",", "")
    if not text:
        raise ValueError("empty number")
    if not text.isascii():
        if text[0] in "百千":
            text = "一" + text  # 百年以上: a leading 一 may be left out before 百/千, as before 十
        return Decimal(str(cn_to_number(text)))
    try:
        return Decimal(text)
    except InvalidOperation as error:
        raise ValueError(f"not a number: {text!r}") from error


def fraction_to_ratio(text: str) -> Decimal:
    """三分之二 → 0.6667 (four places, half up); 半数 / 一半 → 0.5."""
    if text in ("半数", "一半", "过半", "过半数"):
        return Decimal("0.5")
    match = FRACTION.match(text)
    if not match:
        raise ValueError(f"not a fraction: {text!r}")
    den = cn_number_to_decimal(match["den"])
    num = cn_number_to_decimal(match["num"])
    if den == 0:
        raise ValueError("zero denominator")
    return (num / den).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def fits_decimal(value, precision: int = 18, scale: int = 2) -> bool:
    """Whether ``value`` fits a DECIMAL(precision, scale) column.  A number
    too large for any real amount (99999999999999999999亿元, an OCR slip) is
    not a fact worth a row, and must not fail the issue's load."""
    if value is None:
        return True
    return abs(Decimal(str(value))) < Decimal(10) ** (precision - scale)


def normalise_decimal(value: Decimal) -> Decimal:
    """Drop a trailing exponent/zeros so 5E+8 prints as 500000000."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


# ---------------------------------------------------------------------------
# records and spans


def make_record(cls: type[R], document: Document, start: int, end: int, extractor: str, **fields) -> R:
    """A record of type ``cls`` for ``document.text[start:end]`` with its provenance."""
    article = document.article_at(start)
    return cls(
        doc_id=document.doc_id,
        article_id=article.article_id if article else None,
        start=start,
        end=end,
        page=document.page_at(start),
        raw=document.text[start:end],
        extractor=extractor,
        **fields,
    )


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, newline excluded."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


@lru_cache(maxsize=4)
def table_line_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Lines that are rows of a table: the text layer separates cells with tabs.

    A row of 忻政办函〔2024〕68号's indicator table reads
    ``5 森林覆盖率（%）\\t14.42\\t16.26\\t18.99\\t约束性``.  Entities inside
    tables (万元GDP, <78) are the table's business, not the entity tables'.
    Cached per text: five extractors ask for the same document's.
    """
    return tuple((s, e) for s, e in line_spans(text) if "\t" in text[s:e])


class SpanSet:
    """Sorted, non-overlapping spans with a fast ``contains(offset)``."""

    def __init__(self, spans: list[tuple[int, int]]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def contains(self, offset: int) -> bool:
        index = bisect.bisect_right(self.starts, offset) - 1
        return index >= 0 and self.spans[index][0] <= offset < self.spans[index][1]


CLAUSE_BREAK = "，,。；;：:\n！!？?"


def clause_start(text: str, offset: int, breaks: str = CLAUSE_BREAK, limit: int = 80) -> int:
    """Offset just after the last clause break before ``offset`` (at most ``limit`` back)."""
    floor = max(0, offset - limit)
    for index in range(offset - 1, floor - 1, -1):
        if text[index] in breaks:
            return index + 1
    return floor


def clause_end(text: str, offset: int, breaks: str = CLAUSE_BREAK, limit: int = 80) -> int:
    """Offset of the first clause break at or after ``offset`` (at most ``limit`` on)."""
    ceiling = min(len(text), offset + limit)
    for index in range(offset, ceiling):
        if text[index] in breaks:
            return index
    return ceiling
