"""The appointments register: table ``appointments`` and views
``appointments_register`` (each record with its document and issue),
``post_holders`` (tenures derived across issues) and ``person_timeline``
(each person's records in date order).  ``person_key`` is recomputed over the
whole warehouse after each load (schemas/person_keys.py).

Tenure rule (``post_holders``): a person holds a post from an appointment (or
the start of tenure written in it: 任职时间从2023年7月算起) until the first later
event that ends it: their removal from the same post, or the appointment of
someone else to the same post where the post has a single holder (a 正职:
局长, 主任, 院长 …; deputies and members are held by several, see
schemas/data/post_titles.txt).  An event's date is the deciding meeting's
date, else the document's signing date, else the issue's publication date.
``held_until`` is the date of the ending event (the holder holds the post on
days ``held_from <= d < held_until``); NULL while the tenure is open.  Posts
are matched on ``post_key`` and people on ``person_key``.  A removal with no
appointment of that person to that post on or before it is a tenure with an
unknown start (``held_from`` NULL, ``held_from_basis`` 'unknown') that ends
at the removal: the register begins somewhere, and the holders it inherits
are still holders.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Table

from schemas.datafiles import SCHEMA_DATA, data_rows
from schemas.person_keys import link_persons
from schemas.tables import PostLoadStep, RowBuilder, View, _int, _text, metadata, span_columns

appointments = Table(
    "appointments",
    metadata,
    _text("doc_id", "Document the record comes from (any document, not only 人事任免文件)."),
    _int("seq", "Order of the record in its document, from 1."),
    _text("person", "Person's name as written, without 同志 or the gender note."),
    _text("gender", "'female' or 'male' where the text marks it after the name (（女）); NULL otherwise."),
    _text("person_key", "One id per person across documents and issues: the name, or name@organ where one name has records in organs that no record links (see person_key_basis). Recomputed over the whole warehouse at each load."),
    _text("person_key_basis", "'name': every record of this name is linked through a shared document or organ, so one person; 'name_and_organs': the name has records in organs no record links, so this id covers one linked set and the others have their own: homonyms, or one person whose move no record shows. Check before merging."),
    _text("action", "'appoint' (任命/聘任/兼任/挂职), 'remove' (免去/解聘/撤销/辞去/不再担任), 'confirm' (试用期满正式任职) or 'nominate' (提名: proposed to the deciding body, holds nothing yet)."),
    Column("concurrent", Boolean, comment="True when the post is held concurrently: （兼） after it, or 兼任."),
    _text("post", "The post as written, without the rank note and （兼）, e.g. 忻州文化研究院（五台山研究院）院长."),
    _text("post_key", "Canonical post: the issuer's place expands a leading 市/县/区/省 (市应急管理局副局长 → 忻州市应急管理局副局长 in a 忻州市 document), short organ names become full (科技局 → 科学技术局, 管委会 → 管理委员会), no 中共, rank note or 兼. Compare posts on this column."),
    _text("organization", "The post minus its title, e.g. 忻州文化研究院（五台山研究院）; NULL when no known title ends the post."),
    _text("title", "The title that ends the post, with an alternative title in brackets, e.g. 院长, 支队长（组长）."),
    _text("rank_note", "Rank written after the post, e.g. 副处级 from （副处级）."),
    _int("probation_months", "Probation in months (试用期一年 → 12); NULL when none is stated."),
    Column("tenure_from", Date, comment="Start of tenure where stated (任职时间从2023年7月算起 → 2023-07-01; first of the month when only the month is given)."),
    _text("decided_by", "Deciding meeting or body as written, with the document it cites: 市人民政府2024年8月23日第43次常务会议; …第二十二次会议（忻人任字〔2024〕8号）."),
    Column("decided_on", Date, comment="Date of the deciding meeting, where the text gives it."),
    Column("secondment", Boolean, comment="True for a 挂职 posting: temporary, the holder keeps their own post."),
    _text("reason", "Why the post is left, as written: 另有任用, 退休, 辞职; NULL when not stated."),
    *span_columns(),
    _text("raw", "The text at start–end: the clause as it stands in documents.text."),
    _text("clause", "The whole clause: raw, with any remainder that a page or column break displaced joined back on."),
    _text("article_id", "Article (条) the clause is in, if the document has articles."),
    _text("extractor", "Extractor and version that produced the row."),
    comment="The appointments register: one row per person × post × action (appoint, remove, confirm, nominate) in any document.",
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
        "seq", "person", "person_key", "person_key_basis", "gender", "action", "concurrent", "post", "post_key",
        "organization", "title", "rank_note", "probation_months", "tenure_from", "decided_by", "decided_on",
        "secondment", "reason", "page", "start", "end", "raw", "clause",
    )},
    "effective_on": "Date the decision took effect: the meeting date, else the signing date, else the issue's publication date.",
}
HOLDER_COLUMNS = {
    "person": "Holder of the post, as written in the record that began the tenure (or ended it, when its start is unknown).",
    "person_key": "The holder's person_key (appointments.person_key): one id per person across documents.",
    "post": "The post as written in that record (appointments.post).",
    "post_key": "Canonical post (appointments.post_key): tenures, removals and successors are matched on it, so 市X and 忻州市X are one post.",
    "organization": "Organisation part of the post.",
    "title": "Title part of the post.",
    "held_from": "Start of the tenure: the stated 任职时间 if any, else the date the appointment took effect; NULL when unknown (held_from_basis 'unknown').",
    "held_from_basis": "'stated' (任职时间从…算起), 'appointment' (the appointment's effective date) or 'unknown': a removal with no appointment in the warehouse, so the tenure is known only to end at held_until.",
    "held_until": "Date of the event that ended the tenure (removal, or a successor to a single-holder post); NULL while it runs. The holder holds the post on days held_from <= d < held_until (any day before held_until when held_from is NULL).",
    "concurrent": "True when the post is held concurrently （兼）.",
    "secondment": "True for a 挂职 posting.",
    "single_holder": "True when the post has one holder at a time (a 正职 title in schemas/data/post_titles.txt).",
    "appointed_by_doc": "Document number of the appointment that began the tenure; NULL when the start is unknown.",
    "ended_by_doc": "Document number of the decision that ended the tenure, if any.",
    "doc_id": "Document of the appointment that began the tenure (of the removal, when the start is unknown).",
    "issue_id": "Issue of that document.",
}
TIMELINE_COLUMNS = {
    "person_key": _column_comment("person_key"),
    "step": "Order of the event in the person's timeline, from 1: by effective_on, then document and order in it.",
    **{name: REGISTER_COLUMNS[name] for name in (
        "person", "person_key_basis", "effective_on", "action", "post", "post_key", "concurrent", "secondment",
        "reason", "probation_months", "tenure_from", "doc_number", "doc_title", "issue_id", "doc_id", "seq",
    )},
}


APPOINTMENTS_REGISTER = View(
    "appointments_register",
    """
    SELECT a.doc_id, d.doc_number, d.title AS doc_title, d.issuer, d.signed_on,
           d.issue_id, i.gazette, i.year AS issue_year, i.number AS issue_number, i.published_on,
           a.seq, a.person, a.person_key, a.person_key_basis, a.gender, a.action, a.concurrent,
           a.post, a.post_key, a.organization, a.title,
           a.rank_note, a.probation_months, a.tenure_from, a.decided_by, a.decided_on, a.secondment, a.reason,
           coalesce(a.decided_on, d.signed_on, i.published_on) AS effective_on,
           a.page, a.start, a."end", a.raw, a.clause
    FROM appointments a
    JOIN documents d USING (doc_id)
    LEFT JOIN issues i ON i.issue_id = d.issue_id
    """,
    comment=(
        "The appointments register: each appointment record (appoint, remove, confirm, nominate) with its "
        "document number, signing date, issue and effective date; person_key and post_key for comparing across documents."
    ),
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
        SELECT r.*, coalesce(r.post_key, r.post) AS pk, coalesce(r.person_key, r.person) AS who,
               regexp_replace(coalesce(r.title, ''), '[（(].*$', '') IN ({single}) AS single_holder
        FROM appointments_register r
        WHERE r.action IN ('appoint', 'confirm', 'remove')
    ),
    starts AS (
        SELECT * FROM events WHERE action IN ('appoint', 'confirm')
    ),
    tenures AS (
        SELECT s.who, s.person, s.post, s.pk, s.organization, s.title, s.single_holder, s.concurrent, s.secondment,
               coalesce(s.tenure_from, s.effective_on) AS held_from,
               CASE WHEN s.tenure_from IS NOT NULL THEN 'stated' ELSE 'appointment' END AS held_from_basis,
               s.effective_on AS appointed_on,
               (SELECT min(e.effective_on) FROM events e
                 WHERE e.pk = s.pk AND e.effective_on > s.effective_on
                   AND ((e.action = 'remove' AND e.who = s.who)
                     OR (e.action IN ('appoint', 'confirm') AND e.who <> s.who AND s.single_holder))
               ) AS held_until,
               s.doc_number AS appointed_by_doc, s.doc_id, s.issue_id
        FROM starts s
    ),
    known_start AS (
        SELECT t.who, t.person, t.post, t.pk, t.organization, t.title, t.held_from, t.held_from_basis, t.held_until,
               t.concurrent, t.secondment, t.single_holder, t.appointed_by_doc,
               (SELECT e.doc_number FROM events e
                 WHERE e.pk = t.pk AND e.effective_on = t.held_until
                   AND ((e.action = 'remove' AND e.who = t.who) OR (e.action <> 'remove' AND e.who <> t.who))
                 ORDER BY e.doc_id, e.seq LIMIT 1) AS ended_by_doc,
               t.doc_id, t.issue_id
        FROM tenures t
        -- a confirmation or a repeated appointment inside a running tenure continues it
        WHERE NOT EXISTS (
            SELECT 1 FROM tenures p
            WHERE p.who = t.who AND p.pk = t.pk
              AND (p.appointed_on < t.appointed_on OR (p.appointed_on = t.appointed_on AND p.doc_id < t.doc_id))
              AND (p.held_until IS NULL OR p.held_until > t.appointed_on)
        )
    ),
    -- a removal with no appointment on record (before it, in the warehouse): a tenure
    -- whose start is unknown and whose end is the removal; the earliest such removal counts
    unknown_start AS (
        SELECT e.who, e.person, e.post, e.pk, e.organization, e.title,
               CAST(NULL AS DATE) AS held_from, 'unknown' AS held_from_basis, e.effective_on AS held_until,
               e.concurrent, e.secondment, e.single_holder, CAST(NULL AS VARCHAR) AS appointed_by_doc,
               e.doc_number AS ended_by_doc, e.doc_id, e.issue_id
        FROM events e
        WHERE e.action = 'remove'
          AND NOT EXISTS (SELECT 1 FROM starts s WHERE s.who = e.who AND s.pk = e.pk AND s.effective_on <= e.effective_on)
        QUALIFY row_number() OVER (PARTITION BY e.who, e.pk ORDER BY e.effective_on, e.doc_id, e.seq) = 1
    )
    SELECT person, who AS person_key, post, pk AS post_key, organization, title, held_from, held_from_basis,
           held_until, concurrent, secondment, single_holder, appointed_by_doc, ended_by_doc, doc_id, issue_id
    FROM (SELECT * FROM known_start UNION ALL BY NAME SELECT * FROM unknown_start)
    """


POST_HOLDERS = View(
    "post_holders",
    _post_holders_sql(),
    comment=(
        "Tenures derived from the register across issues: who held which post (post_key) from when until when; "
        "a removal with no appointment on record is a tenure with an unknown start (held_from NULL) and a known end."
    ),
    columns=HOLDER_COLUMNS,
)

PERSON_TIMELINE = View(
    "person_timeline",
    """
    SELECT coalesce(person_key, person) AS person_key,
           row_number() OVER (PARTITION BY coalesce(person_key, person)
                              ORDER BY effective_on, issue_id, doc_id, seq) AS step,
           person, person_key_basis, effective_on, action, post, post_key, concurrent, secondment, reason,
           probation_months, tenure_from, doc_number, doc_title, issue_id, doc_id, seq
    FROM appointments_register
    ORDER BY person_key, step
    """,
    comment="Each person's appointments, removals, confirmations and nominations in date order (one row per record, numbered by step).",
    columns=TIMELINE_COLUMNS,
)


ROW_BUILDERS: dict[str, RowBuilder] = {appointments.name: appointment_rows}
# post_holders and person_timeline read appointments_register
VIEWS: tuple[View, ...] = (APPOINTMENTS_REGISTER, POST_HOLDERS, PERSON_TIMELINE)
POST_LOAD: tuple[PostLoadStep, ...] = (link_persons,)
