"""The structural self-check run at the end of every parse: what the parse
could not account for, as ``ParseFinding`` records (table ``parse_findings``).

Each check is one small function over a document (``DOCUMENT_CHECKS``) or over
the whole file (``FILE_CHECKS``) and returns its findings.  They test what the
rules of Chinese official documents promise, so a lost page or a line read out
of order leaves a trace:

* 《立法法》第六十五条: 章, 节 and 条 are numbered in sequence from 一, so a
  gap, a repeat or a first number other than 一 means a heading was lost or
  read out of order (第X条之一 is an inserted article, not a repeat);
* a printed article heading (第X条 and a space at a line start) inside the text
  of another article is a unit the parser could not open in sequence: a page
  out of order, a repeated number, or two documents glued together;
* GB/T 9704-2012 §7: a document has a 标题, a 发文字号, a 发文机关 and a 成文日期;
  a regulation of the national corpus (a 行政法规 printed without its
  promulgating order) legitimately has no 发文字号, so that is only ``info``;
* the 目录 lists every document once, and every document is in the 目录;
* one instrument per document: a second 第一条 means a second instrument or
  two documents glued together;
* every body line belongs to a document (back matter aside), and the editorial
  pages (编委会, 简介) come after the last document;
* a page whose columns the PDF reader could not tell apart for sure may be
  read out of order (``Page.warnings``);
* the last article of a regulation says when it takes effect (施行/生效): an
  instrument that ends without it has probably lost its last page;
* a regulation divided into chapters puts that 施行 article in its last
  chapter, 附则 (the 附则 of 《立法技术规范（试行）》: 用语含义, 参照执行,
  解释, 施行日期): when the chapter holding it has another title, the 附则
  heading was probably lost and its articles counted in the chapter before
  (439 of the 441 regulations of the national corpus that have chapters and
  a 施行 article follow the rule; the other two are reported).

Severities: ``error`` — data is probably lost or misattributed (counts are
wrong); ``warning`` — a structure the rules did not expect, check it;
``info`` — worth knowing, nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import regex

from schemas import Document, TocEntry
from schemas import patterns as p
from schemas.models import ParseFinding, Severity


@dataclass(frozen=True)
class StrayLine:
    """A body line that no document took."""

    text: str
    page: int | None


@dataclass(frozen=True)
class ParseContext:
    """What the segmenter knows beyond the Issue: which 目录 entry each document
    matched (index into ``toc``, None for none) and the lines no document took."""

    issue_id: str
    kind: str  # Issue.kind
    toc: Sequence[TocEntry] = ()
    toc_matches: Sequence[int | None] = ()
    stray_lines: Sequence[StrayLine] = field(default_factory=tuple)
    inner_editorial: Sequence[StrayLine] = field(default_factory=tuple)  # first lines of editorial pages between documents
    page_warnings: Sequence[tuple[int, str]] = ()  # (page, Page.warnings entry): what the PDF reader was unsure of


def _finding(context: ParseContext, check: str, severity: Severity, detail: str, *,
             doc: Document | None = None, page: int | None = None) -> ParseFinding:
    return ParseFinding(issue_id=context.issue_id, doc_id=doc.doc_id if doc else None, check=check,
                        severity=severity, page=page if page is not None else (doc.page_start if doc else None),
                        detail=detail)


# ---------------------------------------------------------------------------
# Numbering: 条, 章, 节 run 1..N


def _gaps(numbers: Sequence[int]) -> list[tuple[int, int]]:
    """(previous, next) wherever ``numbers`` (1..N expected) does not go up by one; previous 0 at the start."""
    return [(before, after) for before, after in zip([0, *numbers], numbers, strict=False) if after != before + 1]


def check_article_sequence(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """第一条 … 第N条 with no gap (inserted 第X条之一 aside)."""
    numbers = [a.article_no for a in doc.articles if a.sub_no is None]
    pages = {a.article_no: a.page for a in doc.articles}
    return [
        _finding(context, "article_sequence", "error",
                 f"articles jump from {before or 'the start'} to {after}: {_missing('article', before, after)} missing "
                 "(heading or page lost, or read out of order)", doc=doc, page=pages.get(after))
        for before, after in _gaps(numbers)
    ]


def _missing(unit: str, before: int, after: int) -> str:
    """'article 3', 'articles 3–5', or 'nothing' when the numbers go back (read out of order)."""
    if after <= before:
        return f"{unit} {after} repeated or out of order, nothing"
    return f"{unit} {before + 1}" if after - before == 2 else f"{unit}s {before + 1}–{after - 1}"


def check_chapter_sequence(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """第一章 … 第N章 with no gap; a lost first heading keeps the later chapters and is reported here."""
    numbers = [c.chapter_no for c in doc.chapters]
    pages = {c.chapter_no: c.page for c in doc.chapters}
    return [
        _finding(context, "chapter_sequence", "error",
                 f"chapters jump from {before or 'the start'} to {after}: heading of {_missing('chapter', before, after)} missing",
                 doc=doc, page=pages.get(after))
        for before, after in _gaps(numbers)
    ]


def check_section_sequence(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """第一节 … 第N节 within each chapter."""
    findings = []
    for chapter_no in dict.fromkeys(s.chapter_no for s in doc.sections):
        sections = [s for s in doc.sections if s.chapter_no == chapter_no]
        for before, after in _gaps([s.section_no for s in sections]):
            findings.append(_finding(
                context, "section_sequence", "error",
                f"chapter {chapter_no}: sections jump from {before or 'the start'} to {after}", doc=doc,
                page=next(s.page for s in sections if s.section_no == after)))
    return findings


# A printed article heading at a line start: 第X条 (之Y) and a space, as headings are laid out.
_PRINTED_ARTICLE = regex.compile(rf"^第(?P<num>{p.NUM})条(?:之{p.CN_NUM})?[ \u3000]", regex.MULTILINE)


def check_article_bleed(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """The text of one article never holds another article's heading at a line start."""
    findings = []
    for article in doc.articles:
        body = article.text.split("\n", 1)[1] if "\n" in article.text else ""
        if match := _PRINTED_ARTICLE.search(body):
            findings.append(_finding(
                context, "article_bleed", "error",
                f"{article.label} holds the heading {match.group().strip()} out of sequence "
                "(a repeated number, pages out of order, or two documents glued together)",
                doc=doc, page=article.page))
    return findings


_FIRST_ARTICLE = regex.compile(r"^第(?:一|1)条[ \u3000]", regex.MULTILINE)


def check_second_article_run(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """One instrument per document: a second 第一条 heading (in an attachment, or
    after the last article) is a second instrument, or two documents glued together."""
    starts = [m.start() for m in _FIRST_ARTICLE.finditer(doc.text)]
    if len(starts) < 2:
        return []
    return [_finding(context, "second_article_run", "warning",
                     f"第一条 starts {len(starts)} times: a second instrument in this document, or two documents glued together",
                     doc=doc, page=doc.page_at(starts[1]))]


# ---------------------------------------------------------------------------
# The elements of a document (GB/T 9704-2012 §7)

# An instrument's title (《立法法》; 《行政法规制定程序条例》第五条): a regulation
# printed on its own carries no 发文字号 of its own.
_INSTRUMENT_TITLE = regex.compile(r"(?:条例|规定|办法|细则|规则|决定|章程|准则|法)(?:[（(][^）)]{1,12}[）)])?$")


def is_standalone_instrument(doc: Document, context: ParseContext) -> bool:
    """A file holding one instrument with articles (a regulation of the national corpus)."""
    return context.kind == "single" and bool(doc.articles) and bool(_INSTRUMENT_TITLE.search(doc.title or ""))


def check_elements(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """标题, 发文字号, 发文机关, 成文日期: each present, or a finding saying which is not."""
    standalone = is_standalone_instrument(doc, context)
    missing: list[tuple[str, Severity]] = []
    if not doc.title:
        missing.append(("title (标题)", "error"))
    if not doc.doc_number:
        missing.append(("number (发文字号)", "info" if standalone else "warning"))
    if not doc.issuer:
        missing.append(("issuer (发文机关)", "info" if standalone else "warning"))
    if not doc.signed_on:
        missing.append(("date (成文日期)", "info" if standalone else "warning"))
    return [_finding(context, "document_elements", severity, f"no {what} found", doc=doc) for what, severity in missing]


# The clause that ends a regulation: when it takes effect (本条例自…起施行, …生效).
_IN_FORCE = regex.compile(r"施行|生效|起执行|实施之日|废止")


def check_instrument_end(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """A standalone regulation's last article says when it takes effect; if not, its end may be lost."""
    if not is_standalone_instrument(doc, context) or _IN_FORCE.search(doc.articles[-1].text):
        return []
    return [_finding(context, "instrument_end", "warning",
                     f"the last article ({doc.articles[-1].label}) does not say when the instrument takes effect: "
                     "its last articles or page may be lost", doc=doc, page=doc.articles[-1].page)]


# The title of the chapter of supplementary provisions (第X章 附则; titles are stored without spaces).
_SUPPLEMENTARY = "附则"


def check_supplementary_chapter(doc: Document, context: ParseContext) -> list[ParseFinding]:
    """With chapters, the 施行 article (the last article, saying when the
    instrument takes effect) sits in a chapter titled 附则.  A lost last
    heading leaves no gap in the numbering, but its articles then read as
    the end of the chapter before, whose title is not 附则."""
    if len(doc.chapters) < 2 or not doc.articles or not _IN_FORCE.search(doc.articles[-1].text):
        return []
    last = doc.articles[-1]
    chapter = next((c for c in reversed(doc.chapters) if c.chapter_no == last.chapter_no), None)  # 编 may restart 章
    if chapter is None or _SUPPLEMENTARY in chapter.title:
        return []
    return [_finding(context, "supplementary_chapter", "warning",
                     f"{last.label}, which says when the instrument takes effect, is in {chapter.label} {chapter.title}, "
                     f"not in a chapter {_SUPPLEMENTARY}: the heading of the last chapter may be lost",
                     doc=doc, page=last.page)]


# ---------------------------------------------------------------------------
# The whole file


def check_toc(documents: Sequence[Document], context: ParseContext) -> list[ParseFinding]:
    """Every 目录 entry matched to one document, every document to its entry."""
    if not context.toc:
        return []
    findings = []
    matches = list(context.toc_matches)
    for index, entry in enumerate(context.toc):
        count = matches.count(index)
        if count != 1:
            name = entry.doc_number or entry.title
            detail = f"目录 entry {name} (p. {entry.page}) " + ("has no document in the body" if count == 0 else f"matched {count} documents")
            findings.append(_finding(context, "toc_match", "error", detail, page=entry.page))
    for doc, match in zip(documents, matches, strict=True):
        if match is None:
            findings.append(_finding(context, "toc_match", "error", f"document {doc.doc_number or doc.title} is not in the 目录", doc=doc))
    return findings


def check_stray_lines(documents: Sequence[Document], context: ParseContext) -> list[ParseFinding]:
    """No body line left outside a document."""
    if not context.stray_lines:
        return []
    first = context.stray_lines[0]
    return [_finding(context, "stray_lines", "error",
                     f"{len(context.stray_lines)} body line(s) belong to no document, the first: {first.text[:40]}",
                     page=first.page)]


def check_inner_editorial(documents: Sequence[Document], context: ParseContext) -> list[ParseFinding]:
    """An editorial page (编委会, 简介) belongs at the back of an issue; one between two
    documents ends the document before it, which is right for an inserted page but cuts
    off text when the page was only mentioned: worth a look."""
    return [
        _finding(context, "inner_editorial", "warning",
                 f"editorial page between documents ({line.text[:30]}): the document before it ends there",
                 page=line.page)
        for line in context.inner_editorial
    ]


def check_reading_order(documents: Sequence[Document], context: ParseContext) -> list[ParseFinding]:
    """What the PDF reader could not decide for sure on a page (pipeline.read.layout.region_warnings:
    a band that may be one column or two): the text of that band may be read out of order."""
    return [_finding(context, "reading_order", "warning", warning, page=page) for page, warning in context.page_warnings]


DocumentCheck = Callable[[Document, ParseContext], list[ParseFinding]]
FileCheck = Callable[[Sequence[Document], ParseContext], list[ParseFinding]]

DOCUMENT_CHECKS: tuple[DocumentCheck, ...] = (
    check_elements, check_chapter_sequence, check_section_sequence, check_article_sequence,
    check_article_bleed, check_second_article_run, check_instrument_end, check_supplementary_chapter,
)
FILE_CHECKS: tuple[FileCheck, ...] = (check_toc, check_stray_lines, check_inner_editorial, check_reading_order)


def issue_to_findings(documents: Sequence[Document], context: ParseContext) -> list[ParseFinding]:
    """Every check over the parsed documents, file checks first."""
    findings = [finding for check in FILE_CHECKS for finding in check(documents, context)]
    for doc in documents:
        findings.extend(finding for check in DOCUMENT_CHECKS for finding in check(doc, context))
    return findings


def has_errors(findings: Sequence[ParseFinding]) -> bool:
    return any(f.severity == "error" for f in findings)
