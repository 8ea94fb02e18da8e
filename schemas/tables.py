"""The warehouse tables, described once with SQLAlchemy Core.

``pipeline.store.warehouse`` compiles this ``metadata`` into DuckDB DDL (CREATE TABLE
plus a COMMENT ON for every table and column); ``schemas/warehouse.sql`` is the
same DDL written out for people to read (``gazette schema --sql``), and a test
keeps it in step.  The same ``metadata`` can create a mirror in another
database (``metadata.create_all(postgres_engine)``).

Conventions (ARCHITECTURE.md): plural snake_case tables, ``*_id`` keys, DATE
columns with a ``*_precision`` where the source can be vague, money as
DECIMAL(18,2) yuan, and on every extracted row the provenance columns
``doc_id, article_id, start, end, page, raw, extractor``.  ``start``/``end`` are
character offsets into ``documents.text``.

Every table module (this one and each ``schemas/tables_<topic>.py``) adds its
tables to the same ``metadata`` and declares, beside them, what it contributes
to the load as plain module-level data: ``ROW_BUILDERS`` (table name → function
giving that table's rows for one issue), ``VIEWS`` (``View`` records, created in
order after the tables) and ``POST_LOAD`` (steps run in an issue's load
transaction after its rows are in).  ``schemas/__init__.py`` lists the table
modules in one ordered tuple and combines their contributions.  A table joins
the per-issue load by having a ``doc_id`` or ``issue_id`` column and a row
builder.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from sqlalchemy import (
    ARRAY,
    Column,
    Date,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
)

if TYPE_CHECKING:
    import duckdb

    from schemas.models import Issue

metadata = MetaData()

# Row builders: table name → function(issue) giving that table's rows for one issue.
RowBuilder = Callable[["Issue"], Iterable[dict]]
# A view's SELECT, or a function of the set of existing tables giving its SELECT
# (or None to skip it), so a view can adapt to tables that are not in every build.
ViewSelect = str | Callable[[set[str]], str | None]
# Steps run inside an issue's load transaction after its rows are in, for
# facts that depend on other issues (links between documents, repeals); also
# after an issue's removal (`gazette remove`) or in the load that replaces an
# issue's rows, with None for the issue: the step recomputes over the whole
# warehouse.  Given a newly loaded issue, it recomputes only what that issue can
# change, with the same result (so a load does not grow with the warehouse).
PostLoadStep = Callable[["duckdb.DuckDBPyConnection", "Issue | None"], None]


@dataclass(frozen=True)
class View:
    """A view (re)created after the tables, documented like a table: ``comment``
    and ``columns`` (column → comment) are applied with COMMENT ON.

    With ``parameters`` it is a table macro instead (``CREATE MACRO name(p, …)
    AS TABLE select``, called as ``FROM name(…)``); DuckDB keeps no column
    comments for a macro, so its ``columns`` document it in the data dictionary only."""

    name: str
    select: ViewSelect
    comment: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    parameters: tuple[str, ...] = ()


def _text(name: str, comment: str, **kw) -> Column:
    return Column(name, String, comment=comment, **kw)


def _int(name: str, comment: str, **kw) -> Column:
    return Column(name, Integer, comment=comment, **kw)


def span_columns() -> list[Column]:
    """Offsets and page shared by every row that points into a document's text."""
    return [
        _int("start", "First character, as an offset into documents.text (0-based)."),
        _int("end", "One past the last character, as an offset into documents.text."),
        _int("page", "Page of the source the text came from (physical PDF page; printed page for text input)."),
    ]


issues = Table(
    "issues",
    metadata,
    _text("issue_id", "Stable id: '<gazette>-<year>-<number>' for a gazette issue, the file stem for a single document.", primary_key=True),
    _text("kind", "'gazette' for a whole issue; 'collection' for a file of several documents without cover or 目录 "
          "(a batch of notices, a 政府信息公开 download); 'single' for a file holding one document or regulation."),
    _text("gazette", "Name of the gazette as printed on the cover, e.g. 忻州市人民政府公报."),
    _int("year", "Year of the issue (2024年第5期 → 2024)."),
    _int("number", "Issue number within the year (第5期 → 5)."),
    _int("cumulative_number", "Cumulative issue number (总第57期 → 57)."),
    Column("published_on", Date, comment="Publication date printed on the cover (2024年10月20日出版)."),
    _text("publisher", "Body that runs the gazette (…主办), e.g. 忻州市人民政府办公室."),
    _text("source_path", "Path of the ingested file."),
    _text("source_sha256", "SHA-256 of the ingested file's bytes; re-ingesting identical bytes is a no-op."),
    _text("source_kind", "'pdf' or 'txt'."),
    _int("page_count", "Pages in the source PDF (NULL for text input)."),
    Column("ocr_pages", ARRAY(Integer), comment="Pages whose text came from OCR rather than the text layer."),
    Column("ingested_at", DateTime, comment="When this issue was loaded (UTC)."),
    _text("parser_version", "Version of the parser that produced these rows."),
    Column("warnings", ARRAY(String), comment="Things the parser could not place or had to guess, one message each."),
    comment="One row per ingested source file: a gazette issue or a single document.",
)

toc_entries = Table(
    "toc_entries",
    metadata,
    _text("issue_id", "Issue the table of contents belongs to."),
    _int("seq", "Position in the table of contents, from 1."),
    _text("section", "Section heading the entry sits under, e.g. 【人事任免文件】 → 人事任免文件."),
    _text("title", "Entry title with line breaks and spaces removed."),
    _text("doc_number", "Document number, canonical form (忻政发〔2024〕13号)."),
    _text("doc_number_raw", "Document number as printed (忻政发〔2024〕13 号)."),
    _int("page", "Printed page the entry points to."),
    comment="The issue's table of contents (目录) as printed.",
)

documents = Table(
    "documents",
    metadata,
    _text("doc_id", "Stable id '<issue_id>/dNN', NN the order in the issue.", primary_key=True),
    _text("issue_id", "Issue the document was published in."),
    _int("seq", "Order of the document in the issue, from 1."),
    _text("section", "Section of the issue (from the table of contents), e.g. 忻州市人民政府文件."),
    _text("title", "Title (标题) as printed, line breaks and stray spaces removed: a half-width (试行) stays half-width."),
    _text("title_key", "The title normalised like the text (full-width brackets and punctuation next to Han, （试行）): compare titles on this."),
    _text("doc_number", "Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号. "
          "A regulation's is the order that promulgated the version in force (its 题注's latest 令第N号)."),
    _text("doc_number_raw", "Document number as written in the source."),
    _text("issuer", "Issuing organ (发文机关), from the title, e.g. 忻州市人民政府办公室."),
    _text("doc_type", "Document type (文种), one of the 15 of 《党政机关公文处理工作条例》 (通知, 决定, …), or NULL."),
    _text("recipients", "Principal recipients (主送机关)."),
    _text("instrument_title", "Title of the instrument a notice issues (印发…的通知), e.g. 忻州市突发事件应急预案管理办法."),
    Column("signed_on", Date, comment="Signing date (成文日期); a regulation's, the date of the order that "
           "promulgated the version in force; the first of the month/year when less precise."),
    _text("signed_on_precision", "Precision of signed_on: 'day', 'month' or 'year'."),
    _text("note", "Note (附注), e.g. 此件公开发布."),
    Column("attachments", ARRAY(String), comment="Attachment titles listed after 附件：, in order."),
    _int("page_start", "First page of the document."),
    _int("page_end", "Last page of the document."),
    Column("effective_on", Date, comment="Date the document takes effect: its own 自…(起)施行 date, else its promulgation date for 自发布/印发之日起施行 (else signed_on), else its approval date for 自批准之日起施行; NULL (with a warning) when the text gives no such date."),
    _int("valid_years", "Validity in years where stated (有效期五年, 试行期为三年)."),
    Column("valid_until", Date, comment="Last day of validity: effective_on + valid_years − 1 day."),
    _text("repealed_by", "doc_id of a later document in the warehouse that repeals this one."),
    _text("text", "Full normalised text of the document; every start/end offset points into it."),
    Column("warnings", ARRAY(String), comment="Parser warnings for this document (unplaced text, guesses)."),
    comment="One row per official document (公文) or regulation.",
)

chapters = Table(
    "chapters",
    metadata,
    _text("chapter_id", "Stable id '<doc_id>/chp_N'.", primary_key=True),
    _text("doc_id", "Document the chapter belongs to."),
    _int("part_no", "Number of the enclosing 编, if the document has parts."),
    _int("chapter_no", "Chapter number as an integer (第三章 → 3)."),
    _text("label", "Chapter label as written, e.g. 第三章."),
    _text("title", "Chapter title with inner spaces removed (总 则 → 总则)."),
    *span_columns(),
    comment="Chapters (章) of documents that have them.",
)

sections = Table(
    "sections",
    metadata,
    _text("section_id", "Stable id '<doc_id>/chp_N/sec_M'.", primary_key=True),
    _text("doc_id", "Document the section belongs to."),
    _int("chapter_no", "Enclosing chapter number."),
    _int("section_no", "Section number within the chapter (第二节 → 2)."),
    _text("label", "Section label as written, e.g. 第二节."),
    _text("title", "Section title with inner spaces removed."),
    *span_columns(),
    comment="Sections (节) inside chapters, where a document has them.",
)

articles = Table(
    "articles",
    metadata,
    _text("article_id", "Stable id '<doc_id>/art_N' (art_N-1 for 第N条之一).", primary_key=True),
    _text("doc_id", "Document the article belongs to."),
    _int("chapter_no", "Enclosing chapter number, NULL if the document has no chapters."),
    _int("section_no", "Enclosing section (节) number, if any."),
    _int("article_no", "Article number as an integer (第二十三条 → 23)."),
    _int("sub_no", "For inserted articles 第N条之一 → 1; NULL otherwise."),
    _text("label", "Article label as written, e.g. 第二十三条 or 第十二条之一."),
    _text("text", "Full text of the article, label included."),
    *span_columns(),
    comment="Articles (条) of documents, in order.",
)

clauses = Table(
    "clauses",
    metadata,
    _text("clause_id", "Stable id, e.g. '<article_id>/para_2/item_3/sub_1', or '<doc_id>/pt_2' for a notice's points.", primary_key=True),
    _text("doc_id", "Document the clause belongs to."),
    _text("article_id", "Article the clause belongs to; NULL for the numbered points of a document without articles."),
    _text("parent_id", "Enclosing clause (the 款 of a 项, the 项 of a 目); NULL at the top."),
    _text("kind", "'paragraph' (款), 'item' (项, （一）), 'subitem' (目, 1.), or 'point'/'subpoint'/'subsubpoint' (一、/（一）/1. of a notice)."),
    _int("number", "Number within the parent: position for 款, the written number otherwise."),
    _text("label", "Marker as written, e.g. （三） or 2.; NULL for 款."),
    _text("text", "Text of the clause, including the text of its children."),
    *span_columns(),
    comment="Paragraphs (款), items (项) and sub-items (目) of articles; numbered points of notices.",
)


# ---------------------------------------------------------------------------
# Row builders of the backbone tables


def issue_rows(issue: Issue) -> list[dict]:
    row = issue.model_dump(include={
        "issue_id", "kind", "gazette", "year", "number", "cumulative_number", "published_on", "publisher",
        "source_path", "source_sha256", "source_kind", "page_count", "ocr_pages", "parser_version", "warnings",
    })
    row["ingested_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
    return [row]


def toc_rows(issue: Issue) -> list[dict]:
    return [
        {"issue_id": issue.issue_id, "seq": seq, **entry.model_dump()}
        for seq, entry in enumerate(issue.toc, start=1)
    ]


def document_rows(issue: Issue) -> list[dict]:
    skip = {"pages", "chapters", "sections", "articles", "clauses", "records"}
    return [document.model_dump(exclude=skip) for document in issue.documents]


def chapter_rows(issue: Issue) -> list[dict]:
    return [{"doc_id": d.doc_id, **c.model_dump()} for d in issue.documents for c in d.chapters]


def section_rows(issue: Issue) -> list[dict]:
    return [{"doc_id": d.doc_id, **s.model_dump()} for d in issue.documents for s in d.sections]


def article_rows(issue: Issue) -> list[dict]:
    return [{"doc_id": d.doc_id, **a.model_dump()} for d in issue.documents for a in d.articles]


def clause_rows(issue: Issue) -> list[dict]:
    return [{"doc_id": d.doc_id, **c.model_dump()} for d in issue.documents for c in d.clauses]


ROW_BUILDERS: dict[str, RowBuilder] = {
    issues.name: issue_rows,
    toc_entries.name: toc_rows,
    documents.name: document_rows,
    chapters.name: chapter_rows,
    sections.name: section_rows,
    articles.name: article_rows,
    clauses.name: clause_rows,
}
VIEWS: tuple[View, ...] = ()  # the analysts' views are in schemas/tables_views.py
POST_LOAD: tuple[PostLoadStep, ...] = ()
