"""Typed records passed between the pipeline's stages.

These pydantic models are the contracts of the pipeline:

    pages (PDF/OCR/text)  ->  ``Page``/``Block``
    normalize             ->  ``NormalizedText`` (one string plus page spans)
    segment               ->  ``Issue`` with ``Document``s, each with its hierarchy
    extractors/*          ->  one ``*Record`` type per entity kind (see ``schemas.records``)

Offsets: every ``start``/``end`` in a document's hierarchy or in an extracted
record is a character offset into that document's ``text`` (``Document.text``),
half-open ``[start, end)``.  ``Document.page_at(offset)`` gives the page.

Identifiers are stable path-style strings in the manner of bluebell
(laws-africa): ``<issue_id>/d03`` for a document, ``<doc_id>/art_12`` for an
article (``art_12-1`` for 第十二条之一), ``<article_id>/para_2/item_3/sub_1``
for the 款/项/目 below it.  Re-parsing the same bytes gives the same ids.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

PARSER_VERSION = "0.3.1"  # bump when parsing or extraction changes: older loads are parsed again

DatePrecision = Literal["day", "month", "year"]
SourceKind = Literal["pdf", "txt"]
ClauseKind = Literal["paragraph", "item", "subitem", "point", "subpoint", "subsubpoint"]


class Block(BaseModel):
    """One logical line of a page: a paragraph (PDF, joined by geometry) or a text line."""

    text: str
    page: int | None = None
    # Geometry hints from the PDF reader; None for plain text.
    indented: bool | None = None  # first line starts about two characters in (GB/T 9704 paragraph)
    centered: bool | None = None  # headings and titles are centred


class OcrLine(BaseModel):
    """One line recognised by OCR: its text, box (PDF points, from the top-left
    of the page) and the recogniser's confidence (0–1)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    confidence: float


class Page(BaseModel):
    """A page of the source, in reading order, running headers/footers removed."""

    number: int  # 1-based physical page in the source file
    printed_number: int | None = None  # the page number printed in the footer, if found
    blocks: list[Block] = Field(default_factory=list)
    ocr: bool = False
    ocr_confidence: float | None = None  # mean line confidence, weighted by characters
    ocr_lines: list[OcrLine] = Field(default_factory=list)  # provenance of OCR'd text
    columns: int = 1
    # What the reader could not decide for sure on this page (pipeline.read.layout.region_warnings:
    # a band that may be one column or two), one sentence each; for the parse self-check.
    warnings: list[str] = Field(default_factory=list)


class PageInfo(BaseModel):
    """What the reader learnt about one page of the source (kept on the Issue)."""

    page: int
    printed_number: int | None = None
    columns: int = 1
    ocr: bool = False
    ocr_confidence: float | None = None
    low_confidence: bool = False  # OCR'd with a confidence below pipeline.read.ocr.DEFAULT_LOW_CONFIDENCE
    ocr_lines: list[OcrLine] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # Page.warnings: what the reader was unsure of


class PageSpan(BaseModel):
    """Characters ``[start, end)`` of a text came from page ``page``."""

    page: int
    start: int
    end: int


class Line(BaseModel):
    """A normalised logical line with its offsets in the issue text."""

    text: str
    start: int
    end: int
    page: int | None = None


class TocEntry(BaseModel):
    section: str | None = None
    title: str
    doc_number: str | None = None
    doc_number_raw: str | None = None
    page: int | None = None


class Chapter(BaseModel):
    chapter_id: str
    part_no: int | None = None  # 编, rare in 行政法规
    chapter_no: int
    label: str  # 第一章
    title: str  # 总则 (spaces inside removed)
    start: int
    end: int
    page: int | None = None


class Section(BaseModel):
    """节 inside a 章 (《立法法》第六十五条)."""

    section_id: str
    chapter_no: int | None
    section_no: int
    label: str
    title: str
    start: int
    end: int
    page: int | None = None


class Article(BaseModel):
    """条.  ``article_no`` is the integer; 第十二条之一 has ``article_no=12, sub_no=1``."""

    article_id: str
    chapter_no: int | None = None
    section_no: int | None = None
    article_no: int
    sub_no: int | None = None
    label: str  # 第十二条 / 第十二条之一
    text: str
    start: int
    end: int
    page: int | None = None


class Clause(BaseModel):
    """款 (paragraph), 项 (item, （一）), 目 (subitem, 1.) of an article, or the
    numbered points (一、 / （一） / 1.) of a document without articles."""

    clause_id: str
    article_id: str | None
    parent_id: str | None
    kind: ClauseKind
    number: int
    label: str | None  # the marker as written: （一）, 1., 一、; None for 款
    text: str
    start: int
    end: int
    page: int | None = None


class Record(BaseModel):
    """Base of every extracted record: where it was found.

    Each extractor subclasses this with its own typed fields (schemas/records_*.py).
    ``extra='allow'`` lets a record read back from data/parsed/*.json keep its
    fields even where the reader only knows the base class.
    """

    model_config = ConfigDict(extra="allow")

    doc_id: str
    article_id: str | None = None
    start: int
    end: int
    page: int | None = None
    raw: str
    extractor: str


class Document(BaseModel):
    doc_id: str
    issue_id: str
    seq: int
    section: str | None = None
    title: str | None = None  # as printed, spaces removed: (试行) stays half-width
    title_key: str | None = None  # the title normalised like the text (（试行）): for matching across spellings
    doc_number: str | None = None
    doc_number_raw: str | None = None
    issuer: str | None = None
    doc_type: str | None = None
    recipients: str | None = None
    instrument_title: str | None = None
    signed_on: date | None = None
    signed_on_precision: DatePrecision | None = None
    note: str | None = None
    attachments: list[str] = Field(default_factory=list)
    page_start: int | None = None
    page_end: int | None = None
    effective_on: date | None = None
    valid_years: int | None = None
    valid_until: date | None = None
    repealed_by: str | None = None
    text: str
    pages: list[PageSpan] = Field(default_factory=list)
    chapters: list[Chapter] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    clauses: list[Clause] = Field(default_factory=list)
    # extractor kind → its records (extractors.REGISTRY fills this).  SerializeAsAny:
    # write each record's own fields (a subclass of Record), not just the base's.
    records: dict[str, list[SerializeAsAny[Record]]] = Field(default_factory=dict)
    warnings: list[str] = Field(default_factory=list)

    def page_at(self, offset: int) -> int | None:
        """The page the character at ``offset`` of ``text`` came from."""
        if not self.pages:
            return self.page_start
        starts = [span.start for span in self.pages]
        index = max(0, bisect.bisect_right(starts, offset) - 1)
        return self.pages[index].page

    def article_at(self, offset: int) -> Article | None:
        """The article whose text contains ``offset``, if any."""
        for article in self.articles:
            if article.start <= offset < article.end:
                return article
        return None


Severity = Literal["error", "warning", "info"]


class ParseFinding(BaseModel):
    """What the structural self-check (pipeline.parse.selfcheck) found wrong or
    doubtful in a parse: a gap in the article numbers, a 目录 entry with no
    document, a document without its 发文字号 …  ``error``: data is probably
    lost or misattributed; ``warning``: a structure the rules did not expect;
    ``info``: worth knowing, nothing lost (a regulation has no 发文字号)."""

    issue_id: str
    doc_id: str | None = None  # None: the finding is about the file (目录, lines outside documents)
    check: str  # the check's name, e.g. article_sequence
    severity: Severity
    page: int | None = None
    detail: str


class Issue(BaseModel):
    """One source file: a gazette issue, a collection (several documents without
    cover or 目录), or a single document/regulation."""

    issue_id: str
    kind: Literal["gazette", "collection", "single"]
    gazette: str | None = None
    year: int | None = None
    number: int | None = None
    cumulative_number: int | None = None
    published_on: date | None = None
    publisher: str | None = None
    source_path: str
    source_sha256: str
    source_kind: SourceKind
    page_count: int | None = None
    ocr_pages: list[int] = Field(default_factory=list)
    pages: list[PageInfo] = Field(default_factory=list)  # PDF input only
    parsed_at: datetime | None = None
    parser_version: str = PARSER_VERSION
    toc: list[TocEntry] = Field(default_factory=list)
    documents: list[Document] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    findings: list[ParseFinding] = Field(default_factory=list)  # the structural self-check
