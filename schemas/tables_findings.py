"""``parse_findings``: what the structural self-check (pipeline.parse.selfcheck)
found after parsing a file — gaps in the numbering of 条/章/节, an article
holding another's heading, a 目录 entry without its document, a document
without its 发文字号, body lines outside every document.

Per-issue data like the backbone tables: replaced with its issue by the
transactional load.  An empty table on an issue means the parse accounted for
everything the checks look at; ``gazette check`` lists the rows.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table

from schemas.models import Issue
from schemas.tables import PostLoadStep, RowBuilder, View, metadata

parse_findings = Table(
    "parse_findings",
    metadata,
    Column("issue_id", String, comment="Issue (source file) the finding is about."),
    Column("seq", Integer, comment="Order of the finding within its issue, from 1 (file-level checks first, then document by document)."),
    Column("doc_id", String, comment="Document the finding is about; NULL for a finding about the file (目录, lines outside documents)."),
    Column(
        "check_name",
        String,
        comment="Which check (not `check`: a reserved word in DuckDB, unusable unquoted): article_sequence, chapter_sequence, section_sequence (numbers 1..N with no gap), "
        "article_bleed (an article's text holds another article heading), second_article_run (第一条 twice in one document), document_elements (标题/发文字号/发文机关/成文日期 "
        "missing), instrument_end (a regulation's last article does not say when it takes effect), "
        "supplementary_chapter (the 施行 article of a regulation with chapters is not in its 附则 chapter), toc_match (目录 entry "
        "and document not paired one to one), stray_lines (body lines outside every document), "
        "inner_editorial (an editorial page such as the 编委会 list between two documents), "
        "reading_order (a PDF page region the reader could not tell one column from two).",
    ),
    Column(
        "severity",
        String,
        comment="'error': data is probably lost or misattributed (counts are wrong; `gazette ingest --strict` fails); "
        "'warning': a structure the rules did not expect, check it; 'info': worth knowing, nothing lost "
        "(a regulation printed without its 发文字号).",
    ),
    Column("page", Integer, comment="Page the finding points at (physical PDF page, or printed page from the 目录); NULL when unknown."),
    Column("detail", String, comment="What was found, in one sentence, e.g. 'articles jump from 17 to 23: articles 18–22 missing'."),
    comment="Findings of the structural self-check run after every parse: what the parser could not account for.",
)


def finding_rows(issue: Issue) -> list[dict]:
    return [
        {"seq": seq, "check_name": finding.check, **finding.model_dump(exclude={"check"})}
        for seq, finding in enumerate(issue.findings, start=1)
    ]


ROW_BUILDERS: dict[str, RowBuilder] = {parse_findings.name: finding_rows}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = ()
