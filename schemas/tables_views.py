"""Views for analysts' common questions, over the backbone and entity tables.

``VIEWS`` lists them in creation order; ``pipeline.store.warehouse.create_views``
creates them after the tables (and after the views of the modules listed before
this one in ``schemas.TABLE_MODULES``) and skips, without error, a view whose
tables are not in this build (the entity tables come from the extractor modules).  ``document_index`` is
given as a function of the tables that exist: its entity counts are NULL
for an entity table that is missing, so its columns never change.

VIEW_DOCS describes every view (and its columns) for the data dictionary
(`gazette schema`, README).
"""

from __future__ import annotations

from schemas.tables import PostLoadStep, RowBuilder, View

# Entity tables counted per document in document_index: table → (column, SQL counting one document's rows).
ENTITY_COUNTS: dict[str, tuple[str, str]] = {
    "doc_numbers": ("n_doc_numbers", "count(*)"),
    "doc_references": ("n_references", "count(*)"),
    "dates": ("n_dates", "count(*)"),
    "amounts": ("n_amounts", "count(*)"),
    "thresholds": ("n_thresholds", "count(*)"),
    "durations": ("n_durations", "count(*)"),
    "doc_tables": ("n_tables", "count(DISTINCT table_no)"),
    "appointments": ("n_appointments", "count(*)"),
}

VIEW_DOCS: dict[str, str] = {
    "document_index": (
        "One row per document: issue, gazette, order, number, title, issuer, type, dates, pages, whether repealed, "
        "and counts of chapters, articles, clauses and of each entity (n_amounts, n_appointments, …; "
        "NULL when that entity table is not in this build)."
    ),
    "money_by_document": (
        "One row per document and currency with amounts: n_amounts, lump_sum_yuan (sum of the money paid or charged, "
        "neither per unit nor per period, criteria left out) and lump_sum_by_role, n_rates (amounts per unit/period, "
        "never summed), n_criteria and criteria (conditions on the applicant: listed, never summed), min_yuan, "
        "max_yuan, subjects."
    ),
    "thresholds_by_subject": (
        "One row per threshold subject and unit: how many thresholds and documents, the smallest and largest value, "
        "the operators used, and every threshold as {doc_number, op, value, inclusive}."
    ),
    "citations": (
        "The citation graph: one edge per citing document, cited target and relation, with the number of mentions; "
        "to_doc_id is NULL when the cited document is not in the warehouse."
    ),
    "repeal_chain": (
        "One row per repealed document: the document that repealed it, the chain of successors (doc_ids, oldest first) "
        "and the document now in force at the end of the chain."
    ),
}


def document_index_sql(tables: set[str]) -> str:
    """document_index over the backbone, with a count for each entity table that exists."""
    joins, columns = [], []
    for table, (column, count) in ENTITY_COUNTS.items():
        if table in tables:
            joins.append(f"LEFT JOIN (SELECT doc_id, {count} AS n FROM {table} GROUP BY doc_id) {column} USING (doc_id)")
            columns.append(f"coalesce({column}.n, 0) AS {column}")
        else:
            columns.append(f"CAST(NULL AS BIGINT) AS {column}")
    entity_columns = ",\n       ".join(columns)
    entity_joins = "\n".join(joins)
    return f"""
SELECT d.doc_id, d.issue_id, i.gazette, i.year AS issue_year, i.number AS issue_number, d.seq,
       d.section, d.doc_number, d.title, d.issuer, d.doc_type, d.signed_on, d.effective_on, d.valid_until,
       d.page_start, d.page_end, d.repealed_by, length(d.text) AS n_chars,
       coalesce(n_chapters.n, 0) AS n_chapters,
       coalesce(n_articles.n, 0) AS n_articles,
       coalesce(n_clauses.n, 0) AS n_clauses,
       {entity_columns}
FROM documents d
JOIN issues i USING (issue_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM chapters GROUP BY doc_id) n_chapters USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM articles GROUP BY doc_id) n_articles USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM clauses GROUP BY doc_id) n_clauses USING (doc_id)
{entity_joins}
"""


# Spending is summed per role, lump sums only; a rate (per unit / per period) is
# counted, never summed; a criterion (a condition on the applicant) is listed apart.
MONEY_BY_DOCUMENT = """
WITH a AS (
    SELECT *, coalesce(role, 'other') = 'criterion' AS is_criterion,
           per_unit IS NOT NULL OR period IS NOT NULL AS is_rate
    FROM amounts
),
per_role AS (
    SELECT doc_id, currency, coalesce(role, 'other') AS role, sum(value_yuan) AS yuan
    FROM a WHERE NOT is_criterion AND NOT is_rate
    GROUP BY ALL
)
SELECT d.doc_id, d.issue_id, d.seq, d.doc_number, d.title, a.currency,
       count(*) AS n_amounts,
       sum(a.value_yuan) FILTER (WHERE NOT a.is_criterion AND NOT a.is_rate) AS lump_sum_yuan,
       (SELECT list({'role': r.role, 'yuan': r.yuan} ORDER BY r.role) FROM per_role r
        WHERE r.doc_id = d.doc_id AND r.currency = a.currency) AS lump_sum_by_role,
       count(*) FILTER (WHERE a.is_rate AND NOT a.is_criterion) AS n_rates,
       count(*) FILTER (WHERE a.is_criterion) AS n_criteria,
       list({'subject': a.subject, 'yuan': a.value_yuan, 'threshold_id': a.threshold_id} ORDER BY a.start)
           FILTER (WHERE a.is_criterion) AS criteria,
       min(a.value_yuan) FILTER (WHERE NOT a.is_criterion) AS min_yuan,
       max(a.value_yuan) FILTER (WHERE NOT a.is_criterion) AS max_yuan,
       list(DISTINCT a.subject ORDER BY a.subject) FILTER (WHERE a.subject IS NOT NULL AND NOT a.is_criterion) AS subjects
FROM a
JOIN documents d USING (doc_id)
GROUP BY d.doc_id, d.issue_id, d.seq, d.doc_number, d.title, a.currency
"""

THRESHOLDS_BY_SUBJECT = """
SELECT t.subject, t.unit,
       count(*) AS n_thresholds,
       count(DISTINCT t.doc_id) AS n_documents,
       min(t.value) AS min_value,
       max(t.value) AS max_value,
       list(DISTINCT t.op ORDER BY t.op) AS ops,
       list({'doc_id': t.doc_id, 'doc_number': d.doc_number, 'op': t.op, 'value': t.value, 'inclusive': t.inclusive}
            ORDER BY d.doc_id, t.start) AS thresholds
FROM thresholds t
JOIN documents d USING (doc_id)
GROUP BY t.subject, t.unit
"""

CITATIONS = """
SELECT r.doc_id AS from_doc_id,
       f.doc_number AS from_doc_number,
       f.title AS from_title,
       r.cited_doc_id AS to_doc_id,
       coalesce(t.doc_number, any_value(r.cited_number)) AS to_doc_number,
       coalesce(t.title, any_value(r.cited_title)) AS to_title,
       r.relation,
       count(*) AS mentions,
       min(r.start) AS first_start
FROM doc_references r
JOIN documents f ON f.doc_id = r.doc_id
LEFT JOIN documents t ON t.doc_id = r.cited_doc_id
GROUP BY r.doc_id, f.doc_number, f.title, r.cited_doc_id, t.doc_number, t.title, r.relation,
         CASE WHEN r.cited_doc_id IS NULL THEN coalesce(r.cited_number, r.cited_title) END
"""

REPEAL_CHAIN = """
WITH RECURSIVE chain(start_id, doc_id, depth, path) AS (
    SELECT doc_id, repealed_by, 1, [doc_id, repealed_by]
    FROM documents WHERE repealed_by IS NOT NULL
    UNION ALL
    SELECT c.start_id, d.repealed_by, c.depth + 1, list_append(c.path, d.repealed_by)
    FROM chain c JOIN documents d ON d.doc_id = c.doc_id
    WHERE d.repealed_by IS NOT NULL AND NOT list_contains(c.path, d.repealed_by)
),
longest AS (SELECT start_id, arg_max(path, depth) AS path, max(depth) AS depth FROM chain GROUP BY start_id)
SELECT s.doc_id, s.doc_number, s.title, s.signed_on,
       s.repealed_by, r.doc_number AS repealed_by_number, r.title AS repealed_by_title, r.signed_on AS repealed_on,
       l.path AS chain, l.depth,
       l.path[-1] AS in_force_doc_id, n.doc_number AS in_force_doc_number, n.title AS in_force_title
FROM longest l
JOIN documents s ON s.doc_id = l.start_id
LEFT JOIN documents r ON r.doc_id = s.repealed_by
LEFT JOIN documents n ON n.doc_id = l.path[-1]
"""

def _documents_column(name: str) -> str:
    from schemas.tables import documents

    return documents.columns[name].comment


# Column meanings for the data dictionary; columns copied from documents keep its comments.
_DOC = {name: _documents_column(name) for name in (
    "doc_id", "issue_id", "seq", "section", "doc_number", "title", "issuer", "doc_type", "signed_on",
    "effective_on", "valid_until", "page_start", "page_end", "repealed_by",
)}
VIEW_COLUMNS: dict[str, dict[str, str]] = {
    "document_index": {
        **_DOC,
        "gazette": "Gazette the issue belongs to.",
        "issue_year": "Year of the issue.",
        "issue_number": "Number of the issue within its year.",
        "n_chars": "Length of the document's text in characters.",
        "n_chapters": "Chapters (章) in the document.",
        "n_articles": "Articles (条) in the document.",
        "n_clauses": "Rows of clauses (款/项/目, or points) in the document.",
        **{column: f"Rows of {table} for the document (NULL when that table is not in this build)."
           for table, (column, _) in ENTITY_COUNTS.items()},
    },
    "money_by_document": {
        **{k: _DOC[k] for k in ("doc_id", "issue_id", "seq", "doc_number", "title")},
        "currency": "Currency of the amounts (CNY for 元).",
        "n_amounts": "Money amounts in the document in this currency.",
        "lump_sum_yuan": "Sum of the money paid or charged (every role but criterion), neither per unit nor per period, in yuan.",
        "lump_sum_by_role": "The same sum per role, as [{role, yuan}] (award, subsidy, grant, fee, fine, budget, other).",
        "n_rates": "Amounts paid per unit or per period (300元/户, 每个采暖季…): counted, never summed.",
        "n_criteria": "Amounts that are conditions on the applicant (主营业务收入5亿元以上): role criterion.",
        "criteria": "Those conditions as [{subject, yuan, threshold_id}], in text order; never summed.",
        "min_yuan": "Smallest amount paid or charged, in yuan.",
        "max_yuan": "Largest amount paid or charged, in yuan.",
        "subjects": "What the money paid or charged is for, as extracted (distinct, sorted).",
    },
    "thresholds_by_subject": {
        "subject": "What the thresholds constrain (固定科研人员, 仪器设备原值 …).",
        "unit": "Unit of the values (元, 人, 平方米, %, ratio …).",
        "n_thresholds": "Thresholds on this subject and unit.",
        "n_documents": "Documents that set them.",
        "min_value": "Smallest value.",
        "max_value": "Largest value.",
        "ops": "Comparison operators used (>=, >, <=, <, =).",
        "thresholds": "Every threshold as {doc_id, doc_number, op, value, inclusive}.",
    },
    "citations": {
        "from_doc_id": "Citing document.",
        "from_doc_number": "Document number of the citing document.",
        "from_title": "Title of the citing document.",
        "to_doc_id": "Cited document when it is in the warehouse, else NULL.",
        "to_doc_number": "Document number of the cited document (from the warehouse, else as cited).",
        "to_title": "Title of the cited document (from the warehouse, else as cited).",
        "relation": "cites, implements, repeals, amends or replaces.",
        "mentions": "How often the citing document mentions the target with this relation.",
        "first_start": "Offset of the first mention in the citing document's text.",
    },
    "repeal_chain": {
        **{k: _DOC[k] for k in ("doc_id", "doc_number", "title", "signed_on", "repealed_by")},
        "repealed_by_number": "Document number of the repealing document.",
        "repealed_by_title": "Title of the repealing document.",
        "repealed_on": "Signing date of the repealing document.",
        "chain": "doc_ids from this document to the one now in force, oldest first.",
        "depth": "Number of repeals in the chain.",
        "in_force_doc_id": "The document at the end of the chain (not repealed in the warehouse).",
        "in_force_doc_number": "Its document number.",
        "in_force_title": "Its title.",
    },
}

ROW_BUILDERS: dict[str, RowBuilder] = {}
VIEWS: tuple[View, ...] = tuple(
    View(name, select, comment=VIEW_DOCS[name], columns=VIEW_COLUMNS[name])
    for name, select in (
        ("document_index", document_index_sql),
        ("money_by_document", MONEY_BY_DOCUMENT),
        ("thresholds_by_subject", THRESHOLDS_BY_SUBJECT),
        ("citations", CITATIONS),
        ("repeal_chain", REPEAL_CHAIN),
    )
)
POST_LOAD: tuple[PostLoadStep, ...] = ()
