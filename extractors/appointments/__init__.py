"""Appointments: who was appointed to, removed from, or confirmed in which post.

One ``AppointmentRecord`` per person × post × action, from any document (not
only the 【人事任免文件】 section).  The work is split three ways:

* ``layout``: the text → pieces → list lead-ins, items, and the
  fragments that cut items continue with (line, page and column breaks);
* ``grammar``: one clause → its records (names, verb, posts,
  试用期, 任职时间, （兼）, rank note, 免去其…职务);
* ``lexicon``: post titles, organisation suffixes, surnames, and the bracket
  depth walk the other two cut text with.

Documents without 任/免/聘/辞 are skipped before any of that, so running over
every document of every issue costs next to nothing.
"""

from __future__ import annotations

import regex

from extractors.appointments.grammar import parse_clause
from extractors.appointments.layout import Decision, classify, piece_decision, text_to_pieces
from extractors.appointments.lexicon import split_post
from schemas import Document
from schemas.records_appointments import AppointmentRecord

KIND = "appointments"
EXTRACTOR = "appointments@1"

# Cheap pre-filter: every form needs one of these words.
TRIGGER = regex.compile(r"任命|免去|聘任|聘请|解聘|撤销|辞去|正式任职")


def extract(document: Document) -> list[AppointmentRecord]:
    text = document.text
    if not TRIGGER.search(text):
        return []
    pieces = classify(text_to_pieces(text))
    decision = Decision()
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
        for found in parse_clause(clause, verb)[0]:
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
                    organization=split.organization,
                    title=split.title,
                    rank_note=found.rank_note,
                    probation_months=found.probation_months,
                    tenure_from=found.tenure_from,
                    decided_by=decision.decided_by,
                    decided_on=decision.decided_on,
                )
            )
    return records
