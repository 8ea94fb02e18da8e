"""Warehouse tables of the entity extractors (issue 3), their row builders, and the
post-load step that links references and repeals across the whole warehouse.

Every table has ``doc_id`` (so an issue's rows are replaced with it) and the
provenance columns ``article_id, start, end, page, raw, extractor``.

Links between documents (``doc_references.cited_doc_id``, ``documents.repealed_by``)
are kept current inside each issue's load transaction, equal to a recompute over
the whole warehouse, so they come out the same whichever order issues are
ingested in: loading the cited document later fills the link in the citing
issue's rows.  A load recomputes only the rows the new issue can change.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, Integer, Numeric, String, Table

from schemas.tables import PostLoadStep, RowBuilder, View, metadata, span_columns


def _text(name: str, comment: str) -> Column:
    return Column(name, String, comment=comment)


def _provenance() -> list[Column]:
    return [
        _text("doc_id", "Document the entity was found in (documents.doc_id)."),
        _text("article_id", "Article (条) holding the entity; NULL outside articles (the body of a notice)."),
        *span_columns(),
        _text("raw", "The text as written, documents.text[start:end]."),
        _text("extractor", "Extractor and version that produced the row, e.g. money/v1."),
    ]


doc_numbers = Table(
    "doc_numbers", metadata,
    *_provenance(),
    _text("code", "机关代字 with spaces removed, e.g. 忻政办发; for orders the issuer plus 令 (忻州市人民政府令)."),
    Column("year", Integer, comment="Year in the brackets (〔2024〕 → 2024); NULL for order numbers."),
    Column("serial", Integer, comment="顺序号 (13号 → 13)."),
    _text("canonical", "Canonical form X〔YYYY〕N号 (〔〕 brackets, no spaces), or X令第N号."),
    _text("organ", "Issuing organ the code stands for (忻政发 → 忻州市人民政府), from extractors/data/issuer_codes.tsv or the code rules; NULL when unknown."),
    Column("own", Boolean, comment="True for the document's own 发文字号, false for a number it cites."),
    comment="Every document number (发文字号) written in a document, its own and those it cites.",
)

doc_references = Table(
    "doc_references", metadata,
    *_provenance(),
    _text("cited_title", "Title of the cited instrument as in 《》, spaces removed; NULL when cited by number only."),
    _text("cited_number", "Canonical document number of the cited instrument, where written."),
    _text("relation", "'cites' (a cross-reference: 依照《X》的规定处罚), 'implements' (根据《X》…制定本条例, 为贯彻落实《X》), 'repeals' (《X》…同时废止, X the object), 'amends' (关于修改《X》的决定, 补充完善), 'replaces' (代替) or 'amended_by' (this document was amended by the cited decision or order: 《…决定》第二次修订 in its amendment history)."),
    _text("trigger", "The word that set the relation, e.g. 同时废止, 依据; NULL for plain 'cites'."),
    _text("cited_doc_id", "documents.doc_id of the cited document when it is in the warehouse (matched on the canonical number); kept current on every load."),
    comment="Instruments a document cites, implements, amends, replaces or repeals, and the decisions that amended it.",
)

dates = Table(
    "dates", metadata,
    *_provenance(),
    Column("value", Date, comment="The date; the first of the month/year when less precise."),
    _text("precision", "'day', 'month' or 'year'."),
    _text("role", "'signed' (成文日期), 'effective' (自…(起)施行, 题注 …施行), 'published' (…令第N号公布, 国务院发布), 'approved' (国务院批准), 'meeting' (…第N次常务会议), 'amended' (an amendment-history entry: …《…决定》第一次修订), 'tenure_start' (任职时间从…算起), 'issued' (…印发的 another document); NULL when the sentence gives none."),
    _text("subject_doc", "The cited document the date belongs to (its title, or its order number), when the date is another document's: 1987年3月27日国务院发布的《企业债券管理暂行条例》, 2014年2月19日 《国务院关于…的决定》第一次修订; NULL for this document's own dates."),
    comment="Every date written in a document, with its precision and role.",
)

amounts = Table(
    "amounts", metadata,
    *_provenance(),
    Column("value_yuan", Numeric(18, 2), comment="Amount in units of the currency (yuan for CNY): 30万元 → 300000.00."),
    _text("currency", "ISO 4217 code, CNY unless written otherwise (美元 → USD)."),
    _text("per_unit", "Denominator where stated: 300元/户 → 户."),
    _text("period", "Period where stated: 每个采暖季, 每年."),
    _text("subject", "What the money is, from the words around it: 仪器设备原值, 建设经费, 一等奖."),
    _text("role", "What the amount is, from the clause's grammar (extractors/money_roles.py): 'award' (奖励), 'subsidy' (补贴/补助), 'grant' (支持/资助/经费), 'fee' (收费/征收/…费), 'fine' (罚款), 'budget' (预算/投资), 'criterion' (a condition compared against: 主营业务收入5亿元以上) or 'other'."),
    _text("threshold_id", "thresholds.threshold_id of the comparison a criterion is the value of; NULL for money paid or charged."),
    comment="Money amounts. Not money: 万元GDP, 立方米/万元, 万人次, vague 数百万元, table cells.",
)

thresholds = Table(
    "thresholds", metadata,
    *_provenance(),
    _text("threshold_id", "Stable id of the threshold: doc_id@start (amounts.threshold_id points here)."),
    _text("subject", "What is constrained: the head of the noun phrase the number modifies (固定科研人员, 仪器设备原值, 防空警报设施专用房); for a deadline its actor (当事人, 登记机关), never its anchor."),
    _text("anchor", "The event a deadline runs from (自租赁合同签订、变更、终止之日起十五日内 → 租赁合同签订、变更、终止之日); NULL for other thresholds."),
    _text("subject_note", "Why subject is NULL, when it is (no noun phrase in the clause, none after the number, no sentence topic)."),
    _text("op", "'>=', '>', '<=', '<' or '='."),
    Column("value", Numeric(18, 4), comment="Canonical value: yuan for money, percent for %, a ratio for fractions (三分之二 → 0.6667)."),
    _text("unit", "Canonical unit: 元, %, ratio, or as written (人, 平方米, 周岁, 年, 个月, 天, 个工作日)."),
    Column("inclusive", Boolean, comment="Whether the bound itself satisfies it (《民法典》第一千二百五十九条: 以上/以下/以内/届满 include, 不满/超过/以外 exclude)."),
    _text("keyword", "The comparison as written: 不少于, 以上, 达…以上, 内."),
    comment="Comparisons with a subject: minimums, maximums and deadlines (15个工作日内 → <= 15 个工作日).",
)

durations = Table(
    "durations", metadata,
    *_provenance(),
    _text("kind", "'validity' (有效期/试行期), 'deadline' (must act within it: 应当在15个工作日内作出决定; or a named period's maximum: 建设期不超过2年), 'window' (something is forbidden, exempt or valid within it: 交付使用后五年内不得挖掘, 五年内免征, 六个月内有效), 'period' (每3年…一次) or 'probation' (试用期)."),
    Column("value", Numeric(18, 4), comment="Length in the unit."),
    _text("unit", "年, 个月, 天, 日, 个工作日, 周 or 小时."),
    _text("label", "The named period where written, from a word boundary: 有效期, 试行期, 建设期, 试用期, 临时占用的时间."),
    comment="Durations and frequencies: validity terms, deadlines, windows, review periods, probation.",
)

doc_tables = Table(
    "doc_tables", metadata,
    *_provenance(),
    Column("table_no", Integer, comment="Table number within the document, from 1."),
    Column("row_no", Integer, comment="Row number within the table, from 1 (the header row is 1)."),
    Column("col_no", Integer, comment="Column number within the row, from 1."),
    _text("text", "Cell text, stripped."),
    comment="Cells of tables in documents (tab-separated rows of the text layer); empty cells are left out.",
)

TABLES = {t.name: t for t in (doc_numbers, doc_references, dates, amounts, thresholds, durations, doc_tables)}


def _builder(kind: str) -> RowBuilder:
    def rows(issue) -> list[dict]:
        return [
            record.model_dump()
            for document in issue.documents
            for record in document.records.get(kind, [])
        ]

    rows.__name__ = f"{kind}_rows"
    rows.__doc__ = f"Rows of {kind}: the records the '{kind}' extractor left on each document."
    return rows


_CITED_DOC = """
    SELECT min(d.doc_id) FROM documents d
    WHERE d.doc_number = doc_references.cited_number AND d.doc_id <> doc_references.doc_id
"""
_REPEALED_BY = """
    SELECT arg_min(r.doc_id, (coalesce(c.signed_on, DATE '9999-12-31'), r.doc_id))
    FROM doc_references r JOIN documents c ON c.doc_id = r.doc_id
    WHERE r.relation = 'repeals' AND r.cited_doc_id = documents.doc_id
"""
# repealed_by of the documents in the temporary table _repeal_targets, reading only the references that repeal them
_REPEAL_TARGETS = """
    UPDATE documents SET repealed_by = w.repealer
    FROM (SELECT t.doc_id, w.repealer
          FROM (SELECT DISTINCT doc_id FROM _repeal_targets) t
          LEFT JOIN (SELECT r.cited_doc_id AS doc_id,
                            arg_min(r.doc_id, (coalesce(c.signed_on, DATE '9999-12-31'), r.doc_id)) AS repealer
                     FROM doc_references r JOIN documents c ON c.doc_id = r.doc_id
                     WHERE r.relation = 'repeals' AND r.cited_doc_id IN (SELECT doc_id FROM _repeal_targets)
                     GROUP BY r.cited_doc_id) w USING (doc_id)) w
    WHERE documents.doc_id = w.doc_id
"""
# the references a new issue can relink: its own, and those citing a number its documents carry
# (its documents are in the temporary table _issue_documents)
_TOUCHED_REFERENCES = """
    (doc_references.doc_id IN (SELECT doc_id FROM _issue_documents)
     OR doc_references.cited_number IN (SELECT doc_number FROM _issue_documents WHERE doc_number IS NOT NULL))
"""
# the documents whose repealed_by a reference touched now may change: those it repeals
_TOUCHED_REPEALS = f"""
    INSERT INTO _repeal_targets SELECT cited_doc_id FROM doc_references
    WHERE relation = 'repeals' AND cited_doc_id IS NOT NULL AND {_TOUCHED_REFERENCES}
"""


def link_documents(con, issue) -> None:
    """cited_doc_id and repealed_by, in the load transaction, equal to a recompute over
    the whole warehouse, so ingest order does not matter.

    A cited number matches a document by its canonical doc_number; when several
    documents carry it (the same notice in two gazettes) the smallest doc_id wins.
    A document is repealed_by the earliest-signed document whose references repeal
    it (the smallest doc_id among those signed the same day); 'amended_by' rows (a
    regulation citing the decision that amended it) link the decision through
    cited_doc_id and never make it repealed.

    ``issue`` None (an issue removed or replaced: rows are gone) recomputes every row.
    A newly loaded issue changes only its own references, the references citing a
    number one of its documents carries (it may be the smallest doc_id now), its own
    documents' repealed_by, and the repealed_by of the documents those references
    repealed before or repeal now; only these rows are recomputed, so a load costs
    the same in a warehouse of ten issues as in one of thousands.
    """
    if issue is None:
        con.execute(f"UPDATE doc_references SET cited_doc_id = ({_CITED_DOC})")
        con.execute(f"UPDATE documents SET repealed_by = ({_REPEALED_BY})")
        return
    # The issue's documents and the relinked targets as temporary tables, not as lists passed in:
    # DuckDB's client converts a list parameter element by element (and, without pandas, tries
    # to import it for each one: 0.1 s over the lists of a 107-document issue).
    con.execute("CREATE OR REPLACE TEMP TABLE _issue_documents AS SELECT doc_id, doc_number FROM documents WHERE issue_id = ?",
                [issue.issue_id])
    con.execute("CREATE OR REPLACE TEMP TABLE _repeal_targets AS SELECT doc_id FROM _issue_documents")
    con.execute(_TOUCHED_REPEALS)  # the targets they repealed before
    con.execute(f"UPDATE doc_references SET cited_doc_id = ({_CITED_DOC}) WHERE {_TOUCHED_REFERENCES}")
    con.execute(_TOUCHED_REPEALS)  # and those they repeal now
    con.execute(_REPEAL_TARGETS)
    con.execute("DROP TABLE _issue_documents")
    con.execute("DROP TABLE _repeal_targets")


ROW_BUILDERS: dict[str, RowBuilder] = {name: _builder(name) for name in TABLES}
VIEWS: tuple[View, ...] = ()
POST_LOAD: tuple[PostLoadStep, ...] = (link_documents,)
