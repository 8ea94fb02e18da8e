"""Appointments: who was appointed to, removed from, or confirmed in which post.

One ``AppointmentRecord`` per person × post × action, from any document (not
only the 【人事任免文件】 section).  The work is split three ways:

* ``layout``: the text → pieces → list lead-ins, items, and the
  fragments that cut items continue with (line, page and column breaks);
* ``grammar``: one clause → its records (names, verb, posts,
  试用期, 任职时间, （兼）, rank note, 免去其…职务);
* ``lexicon``: post titles, organisation suffixes, surnames, and the bracket
  depth walk the other two cut text with.
* ``post_key``: the canonical post (the issuer's place for a leading 市/县/区,
  full organ names), so 市应急管理局副局长 and 忻州市应急管理局副局长 are one post.

Documents without 任/免/聘/辞 are skipped before any of that, and so is each clause
without a verb of the grammar's forms (``grammar.PROSE_WORDS``), so running over every
document of every issue costs next to nothing.
"""

from __future__ import annotations

import regex

from extractors.appointments.grammar import parse_clause
from extractors.appointments.layout import Decision, classify, piece_decision, text_to_pieces
from extractors.appointments.lexicon import split_post
from extractors.appointments.post_key import issuer_places, post_to_key
from extractors.doc_numbers import code_to_organ
from schemas import Document
from schemas.records_appointments import AppointmentRecord

KIND = "appointments"
EXTRACTOR = "appointments@1"

# Cheap pre-filter: every form needs one of these words (决定： opens a list whose
# items may carry only 任: 张三任市教育局局长).
TRIGGER = regex.compile(r"任命|免去|聘任|聘请|解聘|撤销|辞去|正式任职|提名|挂职|兼任|不再担任|决定[：:]")


def extract(document: Document) -> list[AppointmentRecord]:
    text = document.text
    if not TRIGGER.search(text):
        return []
    pieces = classify(text_to_pieces(text))
    if not any(piece.kind == "item" for piece in pieces):
        return []  # records come from items only; the deciding body matters only before one
    decision = Decision()
    places = issuer_places(document_issuer(document))
    records: list[AppointmentRecord] = []
    for piece in pieces:
        if piece.kind in ("lead_in", "item", "prose"):
            found = piece_decision(piece.text)
            if found:
                decision = found
        if piece.kind != "item":
            continue
        verb = None if piece.list_verb == "任免" else piece.list_verb
        clause = piece.clause
        for found in parse_clause(clause, verb, in_list=piece.list_verb is not None)[0]:
            split = split_post(found.post)
            article = document.article_at(piece.start)
            records.append(
                AppointmentRecord(
                    doc_id=document.doc_id,
                    article_id=article.article_id if article else None,
                    start=piece.start,
                    end=piece.end,
                    page=document.page_at(piece.start),
                    raw=text[piece.start : piece.end],
                    clause=clause,
                    extractor=EXTRACTOR,
                    seq=len(records) + 1,
                    person=found.person,
                    gender=found.gender,
                    action=found.action,
                    verb=found.verb,
                    concurrent=found.concurrent,
                    post=found.post,
                    post_key=post_to_key(found.post, places).key,
                    organization=split.organization,
                    title=split.title,
                    rank_note=found.rank_note,
                    probation_months=found.probation_months,
                    tenure_from=found.tenure_from,
                    decided_by=decision.decided_by,
                    decided_on=decision.decided_on,
                    secondment=found.secondment,
                    reason=found.reason,
                )
            )
    return records


def document_issuer(document: Document) -> str | None:
    """The issuing organ: from the title (segment), else the organ the 机关代字 of
    the document number stands for (忻政任〔2024〕21号 → 忻州市人民政府)."""
    if document.issuer:
        return document.issuer
    if document.doc_number and "〔" in document.doc_number:
        return code_to_organ(document.doc_number.split("〔")[0])
    return None


def enrich(document: Document, records: dict[str, list]) -> dict:
    """A warning for each post whose leading 市/县/区/省 the issuer's place could not
    expand: its post_key keeps the abbreviation, so it may join another place's post."""
    places = issuer_places(document_issuer(document))
    unresolved = sorted({
        record.post for record in records.get(KIND, [])
        if post_to_key(record.post, places).unresolved
    })
    if not unresolved:
        return {}
    place = "、".join(places) or "unknown"
    warnings = [
        f"appointments: post {post}: its leading {post[0]} is not a place of the issuer ({place}); post_key keeps it as written"
        for post in unresolved
    ]
    return {"warnings": [*document.warnings, *warnings]}
