"""The appointments register: table ``appointments`` and views
``appointments_register`` (each record with its document and issue) and
``post_holders`` (tenures derived across issues).

Tenure rule (``post_holders``): a person holds a post from an appointment (or
the start of tenure written in it: 任职时间从2023年7月算起) until the first later
event that ends it: their removal from the same post, or the appointment of
someone else to the same post where the post has a single holder (a 正职:
局长, 主任, 院长 …; deputies and members are held by several, see
schemas/data/post_titles.txt).  An event's date is the deciding meeting's
date, else the document's signing date, else the issue's publication date.
``held_until`` is the date of the ending event (the holder holds the post on
days ``held_from <= d < held_until``); NULL while the tenure is open.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Table

from schemas.datafiles import SCHEMA_DATA, data_rows
from schemas.tables import PostLoadStep, RowBuilder, View, _int, _text, metadata, span_columns

appointments = Table(
    "appointments",
    metadata,
    _text("doc_id", "Document the record comes from (any document, not only 人事任免文件)."),
    _int("seq", "Order of the record in its document, from 1."),
    _text("person", "Person's name as written, without 同志 or the gender note."),
    _text("gender", "'female' or 'male' where the text marks it after the name (（女）); NULL otherwise."),
    _text("action", "'appoint' (任命/聘任), 'remove' (免去/解聘/撤销/辞去) or 'confirm' (试用期满正式任职)."),
    Column("concurrent", Boolean, comment="True when the post is held concurrently: （兼） after it, or 兼任."),
    _text("post", "The post as written, without the rank note and （兼）, e.g. 忻州文化研究院（五台山研究院）院长."),
    _text("organization", "The post minus its title, e.g. 忻州文化研究院（五台山研究院）; NULL when no known title ends the post."),
    _text("title", "The title that ends the post, with an alternative title in brackets, e.g. 院长, 支队长（组长）."),
    _text("rank_note", "Rank written after the post, e.g. 副处级 from （副处级）."),
    _int("probation_months", "Probation in months (试用期一年 → 12); NULL when none is stated."),
    Column("tenure_from", Date, comment="Start of tenure where stated (任职时间从2023年7月算起 → 2023-07-01; first of the month when only the month is given)."),
    _text("decided_by", "Deciding meeting or body as written, with the document it cites: 市人民政府2024年8月23日第43次常务会议; …第二十二次会议（忻人任字〔2024〕8号）."),
    Column("decided_on", Date, comment="Date of the deciding meeting, where the text gives it."),
    *span_columns(),
    _text("raw", "The text at start–end: the clause as it stands in documents.text."),
    _text("clause", "The whole clause: raw, with any remainder that a page or column break displaced joined back on."),
    _text("article_id", "Article (条) the clause is in, if the document has articles."),
    _text("extractor", "Extractor and version that produced the row."),
    comment="The appointments register: one row per person × post × action (appoint, remove, confirm) in any document.",
)


def appointment_rows(issue) -> list[dict]:
    names = [column.name for column in appointments.columns]
    rows = []
    for document in issue.documents:
        for record in document.records.get("appointments", []):
            data = record.model_dump()
            rows.append({name: data.get(name) for name in names})
    return rows


def _column_comment(name: str) -> str:
    return appointments.columns[name].comment


REGISTER_COLUMNS = {
    "doc_id": _column_comment("doc_id"),
    "doc_number": "Document number of the deciding document (忻政任〔2024〕21号).",
    "doc_title": "Title of the deciding document.",
    "issuer": "Issuing organ of the document.",
    "signed_on": "Signing date (成文日期) of the document.",
    "issue_id": "Issue the document was published in.",
    "gazette": "Gazette the issue belongs to.",
    "issue_year": "Year of the issue.",
    "issue_number": "Number of the issue within its year.",
    "published_on": "Publication date of the issue.",
    **{name: _column_comment(name) for name in (
        "seq", "person", "gender", "action", "concurrent", "post", "organization", "title", "rank_note",
        "probation_months", "tenure_from", "decided_by", "decided_on", "page", "start", "end", "raw", "clause",
    )},
    "effective_on": "Date the decision took effect: the meeting date, else the signing date, else the issue's publication date.",
}
HOLDER_COLUMNS = {
    "person": "Holder of the post.",
    "post": "The post as written (appointments.post).",
    "organization": "Organisation part of the post.",
    "title": "Title part of the post.",
    "held_from": "Start of the tenure: the stated 任职时间 if any, else the date the appointment took effect.",
    "held_until": "Date of the event that ended the tenure (removal, or a successor to a single-holder post); NULL while it runs. The holder holds the post on days held_from <= d < held_until.",
    "concurrent": "True when the post is held concurrently （兼）.",
    "single_holder": "True when the post has one holder at a time (a 正职 title in schemas/data/post_titles.txt).",
    "appointed_by_doc": "Document number of the appointment that began the tenure.",
    "ended_by_doc": "Document number of the decision that ended the tenure, if any.",
    "doc_id": "Document of the appointment that began the tenure.",
    "issue_id": "Issue of that document.",
}


APPOINTMENTS_REGISTER = View(
    "appointments_register",
    """
    SELECT a.doc_id, d.doc_number, d.title AS doc_title, d.issuer, d.signed_on,
           d.issue_id, i.gazette, i.year AS issue_year, i.number AS issue_number, i.published_on,
           a.seq, a.person, a.gender, a.action, a.concurrent, a.post, a.organization, a.title,
           a.rank_note, a.probation_months, a.tenure_from, a.decided_by, a.decided_on,
           coalesce(a.decided_on, d.signed_on, i.published_on) AS effective_on,
           a.page, a.start, a."end", a.raw, a.clause
    FROM appointments a
    JOIN documents d USING (doc_id)
    LEFT JOIN issues i ON i.issue_id = d.issue_id
    """,
    comment="The appointments register: each appointment record with its document number, signing date and issue.",
    columns=REGISTER_COLUMNS,
)


POST_TITLES = SCHEMA_DATA / "post_titles.txt"


def _single_holder_titles() -> list[str]:
    """Titles marked 'single' in schemas/data/post_titles.txt (shared with extractors/appointments)."""
    return sorted(row[0] for row in data_rows(POST_TITLES) if len(row) == 2 and row[1] == "single")


def _post_holders_sql() -> str:
    single = ", ".join("'" + title + "'" for title in _single_holder_titles())
    return f"""
    WITH events AS (
        SELECT r.*,
               regexp_replace(coalesce(r.title, ''), '[（(].*$', '') IN ({single}) AS single_holder
        FROM appointments_register r
    ),
    starts AS (
        SELECT * FROM events WHERE action IN ('appoint', 'confirm')
    ),
    tenures AS (
        SELECT s.person, s.post, s.organization, s.title, s.single_holder, s.concurrent,
               coalesce(s.tenure_from, s.effective_on) AS held_from,
               s.effective_on AS appointed_on,
               (SELECT min(e.effective_on) FROM events e
                 WHERE e.post = s.post AND e.effective_on > s.effective_on
                   AND ((e.action = 'remove' AND e.person = s.person)
                     OR (e.action IN ('appoint', 'confirm') AND e.person <> s.person AND s.single_holder))
               ) AS held_until,
               s.doc_number AS appointed_by_doc, s.doc_id, s.issue_id
        FROM starts s
    )
    SELECT t.person, t.post, t.organization, t.title, t.held_from, t.held_until,
           t.concurrent, t.single_holder, t.appointed_by_doc,
           (SELECT e.doc_number FROM events e
             WHERE e.post = t.post AND e.effective_on = t.held_until
               AND ((e.action = 'remove' AND e.person = t.person) OR (e.action <> 'remove' AND e.person <> t.person))
             ORDER BY e.doc_id, e.seq LIMIT 1) AS ended_by_doc,
           t.doc_id, t.issue_id
    FROM tenures t
    -- a confirmation or a repeated appointment inside a running tenure continues it
    WHERE NOT EXISTS (
        SELECT 1 FROM tenures p
        WHERE p.person = t.person AND p.post = t.post
          AND (p.appointed_on < t.appointed_on OR (p.appointed_on = t.appointed_on AND p.doc_id < t.doc_id))
          AND (p.held_until IS NULL OR p.held_until > t.appointed_on)
    )
    """


POST_HOLDERS = View(
    "post_holders",
    _post_holders_sql(),
    comment="Tenures derived from the register: who held which post from when until when (see schemas/tables_appointments.py).",
    columns=HOLDER_COLUMNS,
)


ROW_BUILDERS: dict[str, RowBuilder] = {appointments.name: appointment_rows}
VIEWS: tuple[View, ...] = (APPOINTMENTS_REGISTER, POST_HOLDERS)  # post_holders reads appointments_register
POST_LOAD: tuple[PostLoadStep, ...] = ()
