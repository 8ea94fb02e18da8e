"""Which documents are in force on a day: the table macro ``documents_in_force(day)``.

A document is in force on ``day`` when all three hold:

* it has started: ``in_force_from <= day``, where ``in_force_from`` is the
  date it states it takes effect (``documents.effective_on``: 自…起施行,
  自印发之日起 = signed_on), else its signing date (a notice that states no
  date of effect applies from when it is issued; ``effective_stated`` says
  which).  A document with neither date counts as started (``in_force_from``
  NULL says so) rather than being dropped;
* its validity has not run out: ``valid_until`` (有效期…, the last day) is
  NULL or on or after ``day``.  A document that states no validity period is
  open-ended (most 通知 and 办法 state none);
* it has not been repealed by then: ``repealed_by`` is NULL, or the
  repealing document took effect after ``day`` (``repealed_on``: its
  effective date, else its signing date: …同时废止 takes effect with the
  document that says it).  A repeal whose date is unknown excludes the
  document on every day.

Only documents in the warehouse are known: a repeal by a document that was
never ingested is invisible here.
"""

from __future__ import annotations

from schemas.tables import PostLoadStep, RowBuilder, View, documents


def _documents_column(name: str) -> str:
    return documents.columns[name].comment


DOCUMENTS_IN_FORCE_SQL = """
SELECT d.doc_id, d.issue_id, d.seq, d.section, d.doc_number, d.title, d.issuer, d.doc_type,
       d.signed_on, d.effective_on,
       coalesce(d.effective_on, d.signed_on) AS in_force_from,
       d.effective_on IS NOT NULL AS effective_stated,
       d.valid_until,
       d.repealed_by,
       r.doc_number AS repealed_by_number,
       coalesce(r.effective_on, r.signed_on) AS repealed_on
FROM documents d
LEFT JOIN documents r ON r.doc_id = d.repealed_by
WHERE coalesce(coalesce(d.effective_on, d.signed_on) <= CAST(day AS DATE), true)
  AND (d.valid_until IS NULL OR d.valid_until >= CAST(day AS DATE))
  AND (d.repealed_by IS NULL OR coalesce(r.effective_on, r.signed_on) > CAST(day AS DATE))
"""

DOCUMENTS_IN_FORCE = View(
    "documents_in_force",
    DOCUMENTS_IN_FORCE_SQL,
    comment=(
        "Table macro documents_in_force(day): the documents in force on that day (a DATE or 'YYYY-MM-DD'): started "
        "(effective_on, else signed_on), validity not run out (no valid_until = open-ended), not repealed by a "
        "document in the warehouse that took effect on or before the day."
    ),
    columns={
        **{name: _documents_column(name) for name in (
            "doc_id", "issue_id", "seq", "section", "doc_number", "title", "issuer", "doc_type",
            "signed_on", "effective_on", "valid_until", "repealed_by",
        )},
        "in_force_from": "First day in force: effective_on, else signed_on; NULL when the document gives neither.",
        "effective_stated": "True when the document states when it takes effect (effective_on); false when in_force_from is its signing date.",
        "repealed_by_number": "Document number of the repealing document, if any.",
        "repealed_on": "Day the repeal takes effect: the repealing document's effective_on, else its signed_on (NULL: unknown).",
    },
    parameters=("day",),
)

ROW_BUILDERS: dict[str, RowBuilder] = {}
VIEWS: tuple[View, ...] = (DOCUMENTS_IN_FORCE,)
POST_LOAD: tuple[PostLoadStep, ...] = ()
