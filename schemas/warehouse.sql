-- Generated from schemas/tables.py by `gazette schema --sql`; do not edit by hand.
CREATE TABLE IF NOT EXISTS amounts (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	value_yuan NUMERIC(18, 2), 
	currency VARCHAR, 
	per_unit VARCHAR, 
	period VARCHAR, 
	subject VARCHAR, 
	role VARCHAR, 
	threshold_id VARCHAR
);
COMMENT ON TABLE amounts IS 'Money amounts. Not money: 万元GDP, 立方米/万元, 万人次, vague 数百万元, table cells.';
COMMENT ON COLUMN amounts.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN amounts.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN amounts.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN amounts."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN amounts.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN amounts.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN amounts.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN amounts.value_yuan IS 'Amount in units of the currency (yuan for CNY): 30万元 → 300000.00.';
COMMENT ON COLUMN amounts.currency IS 'ISO 4217 code, CNY unless written otherwise (美元 → USD).';
COMMENT ON COLUMN amounts.per_unit IS 'Denominator where stated: 300元/户 → 户.';
COMMENT ON COLUMN amounts.period IS 'Period where stated: 每个采暖季, 每年.';
COMMENT ON COLUMN amounts.subject IS 'What the money is, from the words around it: 仪器设备原值, 建设经费, 一等奖.';
COMMENT ON COLUMN amounts.role IS 'What the amount is, from the clause''s grammar (extractors/money_roles.py): ''award'' (奖励), ''subsidy'' (补贴/补助), ''grant'' (支持/资助/经费), ''fee'' (收费/征收/…费), ''fine'' (罚款), ''budget'' (预算/投资), ''criterion'' (a condition compared against: 主营业务收入5亿元以上) or ''other''.';
COMMENT ON COLUMN amounts.threshold_id IS 'thresholds.threshold_id of the comparison a criterion is the value of; NULL for money paid or charged.';
CREATE TABLE IF NOT EXISTS appointments (
	doc_id VARCHAR, 
	seq INTEGER, 
	person VARCHAR, 
	gender VARCHAR, 
	person_key VARCHAR, 
	person_key_basis VARCHAR, 
	action VARCHAR, 
	concurrent BOOLEAN, 
	post VARCHAR, 
	post_key VARCHAR, 
	organization VARCHAR, 
	title VARCHAR, 
	rank_note VARCHAR, 
	probation_months INTEGER, 
	tenure_from DATE, 
	decided_by VARCHAR, 
	decided_on DATE, 
	secondment BOOLEAN, 
	reason VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	clause VARCHAR, 
	article_id VARCHAR, 
	extractor VARCHAR
);
COMMENT ON TABLE appointments IS 'The appointments register: one row per person × post × action (appoint, remove, confirm, nominate) in any document.';
COMMENT ON COLUMN appointments.doc_id IS 'Document the record comes from (any document, not only 人事任免文件).';
COMMENT ON COLUMN appointments.seq IS 'Order of the record in its document, from 1.';
COMMENT ON COLUMN appointments.person IS 'Person''s name as written, without 同志 or the gender note.';
COMMENT ON COLUMN appointments.gender IS '''female'' or ''male'' where the text marks it after the name (（女）); NULL otherwise.';
COMMENT ON COLUMN appointments.person_key IS 'One id per person across documents and issues: the name, or name@organ where one name has records in organs that no record links (see person_key_basis). Recomputed over the whole warehouse at each load.';
COMMENT ON COLUMN appointments.person_key_basis IS '''name'': every record of this name is linked through a shared document or organ, so one person; ''name_and_organs'': the name has records in organs no record links, so this id covers one linked set and the others have their own: homonyms, or one person whose move no record shows. Check before merging.';
COMMENT ON COLUMN appointments.action IS '''appoint'' (任命/聘任/兼任/挂职), ''remove'' (免去/解聘/撤销/辞去/不再担任), ''confirm'' (试用期满正式任职) or ''nominate'' (提名: proposed to the deciding body, holds nothing yet).';
COMMENT ON COLUMN appointments.concurrent IS 'True when the post is held concurrently: （兼） after it, or 兼任.';
COMMENT ON COLUMN appointments.post IS 'The post as written, without the rank note and （兼）, e.g. 忻州文化研究院（五台山研究院）院长.';
COMMENT ON COLUMN appointments.post_key IS 'Canonical post: the issuer''s place expands a leading 市/县/区/省 (市应急管理局副局长 → 忻州市应急管理局副局长 in a 忻州市 document), short organ names become full (科技局 → 科学技术局, 管委会 → 管理委员会), no 中共, rank note or 兼. Compare posts on this column.';
COMMENT ON COLUMN appointments.organization IS 'The post minus its title, e.g. 忻州文化研究院（五台山研究院）; NULL when no known title ends the post.';
COMMENT ON COLUMN appointments.title IS 'The title that ends the post, with an alternative title in brackets, e.g. 院长, 支队长（组长）.';
COMMENT ON COLUMN appointments.rank_note IS 'Rank written after the post, e.g. 副处级 from （副处级）.';
COMMENT ON COLUMN appointments.probation_months IS 'Probation in months (试用期一年 → 12); NULL when none is stated.';
COMMENT ON COLUMN appointments.tenure_from IS 'Start of tenure where stated (任职时间从2023年7月算起 → 2023-07-01; first of the month when only the month is given).';
COMMENT ON COLUMN appointments.decided_by IS 'Deciding meeting or body as written, with the document it cites: 市人民政府2024年8月23日第43次常务会议; …第二十二次会议（忻人任字〔2024〕8号）.';
COMMENT ON COLUMN appointments.decided_on IS 'Date of the deciding meeting, where the text gives it.';
COMMENT ON COLUMN appointments.secondment IS 'True for a 挂职 posting: temporary, the holder keeps their own post.';
COMMENT ON COLUMN appointments.reason IS 'Why the post is left, as written: 另有任用, 退休, 辞职; NULL when not stated.';
COMMENT ON COLUMN appointments.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN appointments."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN appointments.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN appointments.raw IS 'The text at start–end: the clause as it stands in documents.text.';
COMMENT ON COLUMN appointments.clause IS 'The whole clause: raw, with any remainder that a page or column break displaced joined back on.';
COMMENT ON COLUMN appointments.article_id IS 'Article (条) the clause is in, if the document has articles.';
COMMENT ON COLUMN appointments.extractor IS 'Extractor and version that produced the row.';
CREATE TABLE IF NOT EXISTS articles (
	article_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	chapter_no INTEGER, 
	section_no INTEGER, 
	article_no INTEGER, 
	sub_no INTEGER, 
	label VARCHAR, 
	text VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER
);
COMMENT ON TABLE articles IS 'Articles (条) of documents, in order.';
COMMENT ON COLUMN articles.article_id IS 'Stable id ''<doc_id>/art_N'' (art_N-1 for 第N条之一).';
COMMENT ON COLUMN articles.doc_id IS 'Document the article belongs to.';
COMMENT ON COLUMN articles.chapter_no IS 'Enclosing chapter number, NULL if the document has no chapters.';
COMMENT ON COLUMN articles.section_no IS 'Enclosing section (节) number, if any.';
COMMENT ON COLUMN articles.article_no IS 'Article number as an integer (第二十三条 → 23).';
COMMENT ON COLUMN articles.sub_no IS 'For inserted articles 第N条之一 → 1; NULL otherwise.';
COMMENT ON COLUMN articles.label IS 'Article label as written, e.g. 第二十三条 or 第十二条之一.';
COMMENT ON COLUMN articles.text IS 'Full text of the article, label included.';
COMMENT ON COLUMN articles.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN articles."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN articles.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
CREATE TABLE IF NOT EXISTS chapters (
	chapter_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	part_no INTEGER, 
	chapter_no INTEGER, 
	label VARCHAR, 
	title VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER
);
COMMENT ON TABLE chapters IS 'Chapters (章) of documents that have them.';
COMMENT ON COLUMN chapters.chapter_id IS 'Stable id ''<doc_id>/chp_N''.';
COMMENT ON COLUMN chapters.doc_id IS 'Document the chapter belongs to.';
COMMENT ON COLUMN chapters.part_no IS 'Number of the enclosing 编, if the document has parts.';
COMMENT ON COLUMN chapters.chapter_no IS 'Chapter number as an integer (第三章 → 3).';
COMMENT ON COLUMN chapters.label IS 'Chapter label as written, e.g. 第三章.';
COMMENT ON COLUMN chapters.title IS 'Chapter title with inner spaces removed (总 则 → 总则).';
COMMENT ON COLUMN chapters.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN chapters."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN chapters.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
CREATE TABLE IF NOT EXISTS clauses (
	clause_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	article_id VARCHAR, 
	parent_id VARCHAR, 
	kind VARCHAR, 
	number INTEGER, 
	label VARCHAR, 
	text VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER
);
COMMENT ON TABLE clauses IS 'Paragraphs (款), items (项) and sub-items (目) of articles; numbered points of notices.';
COMMENT ON COLUMN clauses.clause_id IS 'Stable id, e.g. ''<article_id>/para_2/item_3/sub_1'', or ''<doc_id>/pt_2'' for a notice''s points.';
COMMENT ON COLUMN clauses.doc_id IS 'Document the clause belongs to.';
COMMENT ON COLUMN clauses.article_id IS 'Article the clause belongs to; NULL for the numbered points of a document without articles.';
COMMENT ON COLUMN clauses.parent_id IS 'Enclosing clause (the 款 of a 项, the 项 of a 目); NULL at the top.';
COMMENT ON COLUMN clauses.kind IS '''paragraph'' (款), ''item'' (项, （一）), ''subitem'' (目, 1.), or ''point''/''subpoint''/''subsubpoint'' (一、/（一）/1. of a notice).';
COMMENT ON COLUMN clauses.number IS 'Number within the parent: position for 款, the written number otherwise.';
COMMENT ON COLUMN clauses.label IS 'Marker as written, e.g. （三） or 2.; NULL for 款.';
COMMENT ON COLUMN clauses.text IS 'Text of the clause, including the text of its children.';
COMMENT ON COLUMN clauses.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN clauses."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN clauses.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
CREATE TABLE IF NOT EXISTS dates (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	value DATE, 
	precision VARCHAR, 
	role VARCHAR, 
	subject_doc VARCHAR
);
COMMENT ON TABLE dates IS 'Every date written in a document, with its precision and role.';
COMMENT ON COLUMN dates.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN dates.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN dates.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN dates."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN dates.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN dates.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN dates.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN dates.value IS 'The date; the first of the month/year when less precise.';
COMMENT ON COLUMN dates.precision IS '''day'', ''month'' or ''year''.';
COMMENT ON COLUMN dates.role IS '''signed'' (成文日期), ''effective'' (自…(起)施行, 题注 …施行), ''published'' (…令第N号公布, 国务院发布), ''approved'' (国务院批准), ''meeting'' (…第N次常务会议), ''amended'' (an amendment-history entry: …《…决定》第一次修订), ''tenure_start'' (任职时间从…算起), ''issued'' (…印发的 another document); NULL when the sentence gives none.';
COMMENT ON COLUMN dates.subject_doc IS 'The cited document the date belongs to (its title, or its order number), when the date is another document''s: 1987年3月27日国务院发布的《企业债券管理暂行条例》, 2014年2月19日 《国务院关于…的决定》第一次修订; NULL for this document''s own dates.';
CREATE TABLE IF NOT EXISTS doc_numbers (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	code VARCHAR, 
	year INTEGER, 
	serial INTEGER, 
	canonical VARCHAR, 
	organ VARCHAR, 
	own BOOLEAN
);
COMMENT ON TABLE doc_numbers IS 'Every document number (发文字号) written in a document, its own and those it cites.';
COMMENT ON COLUMN doc_numbers.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN doc_numbers.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN doc_numbers.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN doc_numbers."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN doc_numbers.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN doc_numbers.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN doc_numbers.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN doc_numbers.code IS '机关代字 with spaces removed, e.g. 忻政办发; for orders the issuer plus 令 (忻州市人民政府令).';
COMMENT ON COLUMN doc_numbers.year IS 'Year in the brackets (〔2024〕 → 2024); NULL for order numbers.';
COMMENT ON COLUMN doc_numbers.serial IS '顺序号 (13号 → 13).';
COMMENT ON COLUMN doc_numbers.canonical IS 'Canonical form X〔YYYY〕N号 (〔〕 brackets, no spaces), or X令第N号.';
COMMENT ON COLUMN doc_numbers.organ IS 'Issuing organ the code stands for (忻政发 → 忻州市人民政府), from extractors/data/issuer_codes.tsv or the code rules; NULL when unknown.';
COMMENT ON COLUMN doc_numbers.own IS 'True for the document''s own 发文字号, false for a number it cites.';
CREATE TABLE IF NOT EXISTS doc_references (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	cited_title VARCHAR, 
	cited_number VARCHAR, 
	relation VARCHAR, 
	trigger VARCHAR, 
	cited_doc_id VARCHAR
);
COMMENT ON TABLE doc_references IS 'Instruments a document cites, implements, amends, replaces or repeals, and the decisions that amended it.';
COMMENT ON COLUMN doc_references.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN doc_references.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN doc_references.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN doc_references."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN doc_references.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN doc_references.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN doc_references.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN doc_references.cited_title IS 'Title of the cited instrument as in 《》, spaces removed; NULL when cited by number only.';
COMMENT ON COLUMN doc_references.cited_number IS 'Canonical document number of the cited instrument, where written.';
COMMENT ON COLUMN doc_references.relation IS '''cites'' (a cross-reference: 依照《X》的规定处罚), ''implements'' (根据《X》…制定本条例, 为贯彻落实《X》), ''repeals'' (《X》…同时废止, X the object), ''amends'' (关于修改《X》的决定, 补充完善), ''replaces'' (代替) or ''amended_by'' (this document was amended by the cited decision or order: 《…决定》第二次修订 in its amendment history).';
COMMENT ON COLUMN doc_references.trigger IS 'The word that set the relation, e.g. 同时废止, 依据; NULL for plain ''cites''.';
COMMENT ON COLUMN doc_references.cited_doc_id IS 'documents.doc_id of the cited document when it is in the warehouse (matched on the canonical number); kept current on every load.';
CREATE TABLE IF NOT EXISTS doc_tables (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	table_no INTEGER, 
	row_no INTEGER, 
	col_no INTEGER, 
	text VARCHAR
);
COMMENT ON TABLE doc_tables IS 'Cells of tables in documents (tab-separated rows of the text layer); empty cells are left out.';
COMMENT ON COLUMN doc_tables.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN doc_tables.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN doc_tables.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN doc_tables."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN doc_tables.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN doc_tables.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN doc_tables.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN doc_tables.table_no IS 'Table number within the document, from 1.';
COMMENT ON COLUMN doc_tables.row_no IS 'Row number within the table, from 1 (the header row is 1).';
COMMENT ON COLUMN doc_tables.col_no IS 'Column number within the row, from 1.';
COMMENT ON COLUMN doc_tables.text IS 'Cell text, stripped.';
CREATE TABLE IF NOT EXISTS documents (
	doc_id VARCHAR NOT NULL, 
	issue_id VARCHAR, 
	seq INTEGER, 
	section VARCHAR, 
	title VARCHAR, 
	title_key VARCHAR, 
	doc_number VARCHAR, 
	doc_number_raw VARCHAR, 
	issuer VARCHAR, 
	doc_type VARCHAR, 
	recipients VARCHAR, 
	instrument_title VARCHAR, 
	signed_on DATE, 
	signed_on_precision VARCHAR, 
	note VARCHAR, 
	attachments VARCHAR[], 
	page_start INTEGER, 
	page_end INTEGER, 
	effective_on DATE, 
	valid_years INTEGER, 
	valid_until DATE, 
	repealed_by VARCHAR, 
	text VARCHAR, 
	warnings VARCHAR[]
);
COMMENT ON TABLE documents IS 'One row per official document (公文) or regulation.';
COMMENT ON COLUMN documents.doc_id IS 'Stable id ''<issue_id>/dNN'', NN the order in the issue.';
COMMENT ON COLUMN documents.issue_id IS 'Issue the document was published in.';
COMMENT ON COLUMN documents.seq IS 'Order of the document in the issue, from 1.';
COMMENT ON COLUMN documents.section IS 'Section of the issue (from the table of contents), e.g. 忻州市人民政府文件.';
COMMENT ON COLUMN documents.title IS 'Title (标题) as printed, line breaks and stray spaces removed: a half-width (试行) stays half-width.';
COMMENT ON COLUMN documents.title_key IS 'The title normalised like the text (full-width brackets and punctuation next to Han, （试行）): compare titles on this.';
COMMENT ON COLUMN documents.doc_number IS 'Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号. A regulation''s is the order that promulgated the version in force (its 题注''s latest 令第N号).';
COMMENT ON COLUMN documents.doc_number_raw IS 'Document number as written in the source.';
COMMENT ON COLUMN documents.issuer IS 'Issuing organ (发文机关), from the title, e.g. 忻州市人民政府办公室.';
COMMENT ON COLUMN documents.doc_type IS 'Document type (文种), one of the 15 of 《党政机关公文处理工作条例》 (通知, 决定, …), or NULL.';
COMMENT ON COLUMN documents.recipients IS 'Principal recipients (主送机关).';
COMMENT ON COLUMN documents.instrument_title IS 'Title of the instrument a notice issues (印发…的通知), e.g. 忻州市突发事件应急预案管理办法.';
COMMENT ON COLUMN documents.signed_on IS 'Signing date (成文日期); a regulation''s, the date of the order that promulgated the version in force; the first of the month/year when less precise.';
COMMENT ON COLUMN documents.signed_on_precision IS 'Precision of signed_on: ''day'', ''month'' or ''year''.';
COMMENT ON COLUMN documents.note IS 'Note (附注), e.g. 此件公开发布.';
COMMENT ON COLUMN documents.attachments IS 'Attachment titles listed after 附件：, in order.';
COMMENT ON COLUMN documents.page_start IS 'First page of the document.';
COMMENT ON COLUMN documents.page_end IS 'Last page of the document.';
COMMENT ON COLUMN documents.effective_on IS 'Date the document takes effect: its own 自…(起)施行 date, else its promulgation date for 自发布/印发之日起施行 (else signed_on), else its approval date for 自批准之日起施行; NULL (with a warning) when the text gives no such date.';
COMMENT ON COLUMN documents.valid_years IS 'Validity in years where stated (有效期五年, 试行期为三年).';
COMMENT ON COLUMN documents.valid_until IS 'Last day of validity: effective_on + valid_years − 1 day.';
COMMENT ON COLUMN documents.repealed_by IS 'doc_id of a later document in the warehouse that repeals this one.';
COMMENT ON COLUMN documents.text IS 'Full normalised text of the document; every start/end offset points into it.';
COMMENT ON COLUMN documents.warnings IS 'Parser warnings for this document (unplaced text, guesses).';
CREATE TABLE IF NOT EXISTS durations (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	kind VARCHAR, 
	value NUMERIC(18, 4), 
	unit VARCHAR, 
	label VARCHAR
);
COMMENT ON TABLE durations IS 'Durations and frequencies: validity terms, deadlines, windows, review periods, probation.';
COMMENT ON COLUMN durations.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN durations.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN durations.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN durations."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN durations.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN durations.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN durations.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN durations.kind IS '''validity'' (有效期/试行期), ''deadline'' (must act within it: 应当在15个工作日内作出决定; or a named period''s maximum: 建设期不超过2年), ''window'' (something is forbidden, exempt or valid within it: 交付使用后五年内不得挖掘, 五年内免征, 六个月内有效), ''period'' (每3年…一次) or ''probation'' (试用期).';
COMMENT ON COLUMN durations.value IS 'Length in the unit.';
COMMENT ON COLUMN durations.unit IS '年, 个月, 天, 日, 个工作日, 周 or 小时.';
COMMENT ON COLUMN durations.label IS 'The named period where written, from a word boundary: 有效期, 试行期, 建设期, 试用期, 临时占用的时间.';
CREATE TABLE IF NOT EXISTS ingest_errors (
	error_id VARCHAR NOT NULL, 
	source_path VARCHAR, 
	sha256 VARCHAR, 
	source_kind VARCHAR, 
	size INTEGER, 
	stage VARCHAR, 
	error_class VARCHAR, 
	message VARCHAR, 
	failed_at TIMESTAMP WITHOUT TIME ZONE, 
	first_failed_at TIMESTAMP WITHOUT TIME ZONE, 
	attempts INTEGER, 
	quarantined BOOLEAN, 
	quarantine_path VARCHAR, 
	parser_version VARCHAR, 
	superseded_issue VARCHAR, 
	over_limit VARCHAR, 
	resolved_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (error_id)
);
COMMENT ON TABLE ingest_errors IS 'Files that failed to ingest: one row per bad file (sha256 and kind), written outside the per-issue load.';
COMMENT ON COLUMN ingest_errors.error_id IS 'Stable id ''<sha256 prefix or path hash>-<UTC timestamp of the first failure>''.';
COMMENT ON COLUMN ingest_errors.source_path IS 'Path of the file as given to `gazette ingest`.';
COMMENT ON COLUMN ingest_errors.sha256 IS 'SHA-256 of the file''s bytes (NULL when the file could not be read at all).';
COMMENT ON COLUMN ingest_errors.source_kind IS '''pdf'' or ''txt'': identical bytes are quarantined per kind (an empty .pdf and an empty .txt fail differently).';
COMMENT ON COLUMN ingest_errors.size IS 'Size of the file in bytes.';
COMMENT ON COLUMN ingest_errors.stage IS 'Stage that failed: ''open'' (not a PDF, empty, encrypted, over the page limit), ''read'' (pages and segmentation; ''parse'' when run by the Prefect flow), ''extract'', ''write'' (data/parsed) or ''load'' (warehouse).';
COMMENT ON COLUMN ingest_errors.error_class IS 'Python class of the error, e.g. EncryptedPdfError, PageLimitError, PdfReadError.';
COMMENT ON COLUMN ingest_errors.message IS 'The one-line message printed by `gazette ingest`.';
COMMENT ON COLUMN ingest_errors.failed_at IS 'When the latest failure happened (UTC). (Not `at`: a reserved word in DuckDB, unusable unquoted.)';
COMMENT ON COLUMN ingest_errors.first_failed_at IS 'When these bytes first failed (UTC).';
COMMENT ON COLUMN ingest_errors.attempts IS 'How many runs have failed on these bytes since the row was opened.';
COMMENT ON COLUMN ingest_errors.quarantined IS 'True when the failure belongs to the file''s bytes (stages open/read/extract): later runs skip this sha256 until --retry-failed. False for failures of the environment (write, load), retried on the next run.';
COMMENT ON COLUMN ingest_errors.quarantine_path IS 'Copy of the bad file kept for inspection, quarantine/<sha256[:12]>-<name> beside the warehouse; the original is never moved or deleted.';
COMMENT ON COLUMN ingest_errors.parser_version IS 'Version of the parser that failed on the file.';
COMMENT ON COLUMN ingest_errors.superseded_issue IS 'For a file superseded by another file of the same issue (error_class SupersededError, stage ''load''): the issue_id both parse to. The newer file (by modification time, then by path) is the one loaded.';
COMMENT ON COLUMN ingest_errors.over_limit IS 'For a file refused by a limit: the setting and its value then, e.g. ''max_pages=2000''. A run with another value of that setting tries the file again by itself.';
COMMENT ON COLUMN ingest_errors.resolved_at IS 'When the same bytes later loaded (after --retry-failed with a fixed parser); NULL while unresolved.';
CREATE TABLE IF NOT EXISTS issues (
	issue_id VARCHAR NOT NULL, 
	kind VARCHAR, 
	gazette VARCHAR, 
	year INTEGER, 
	number INTEGER, 
	cumulative_number INTEGER, 
	published_on DATE, 
	publisher VARCHAR, 
	source_path VARCHAR, 
	source_sha256 VARCHAR, 
	source_kind VARCHAR, 
	page_count INTEGER, 
	ocr_pages INTEGER[], 
	ingested_at TIMESTAMP WITHOUT TIME ZONE, 
	parser_version VARCHAR, 
	warnings VARCHAR[]
);
COMMENT ON TABLE issues IS 'One row per ingested source file: a gazette issue or a single document.';
COMMENT ON COLUMN issues.issue_id IS 'Stable id: ''<gazette>-<year>-<number>'' for a gazette issue, the file stem for a single document.';
COMMENT ON COLUMN issues.kind IS '''gazette'' for a whole issue; ''collection'' for a file of several documents without cover or 目录 (a batch of notices, a 政府信息公开 download); ''single'' for a file holding one document or regulation.';
COMMENT ON COLUMN issues.gazette IS 'Name of the gazette as printed on the cover, e.g. 忻州市人民政府公报.';
COMMENT ON COLUMN issues.year IS 'Year of the issue (2024年第5期 → 2024).';
COMMENT ON COLUMN issues.number IS 'Issue number within the year (第5期 → 5).';
COMMENT ON COLUMN issues.cumulative_number IS 'Cumulative issue number (总第57期 → 57).';
COMMENT ON COLUMN issues.published_on IS 'Publication date printed on the cover (2024年10月20日出版).';
COMMENT ON COLUMN issues.publisher IS 'Body that runs the gazette (…主办), e.g. 忻州市人民政府办公室.';
COMMENT ON COLUMN issues.source_path IS 'Path of the ingested file.';
COMMENT ON COLUMN issues.source_sha256 IS 'SHA-256 of the ingested file''s bytes; re-ingesting identical bytes is a no-op.';
COMMENT ON COLUMN issues.source_kind IS '''pdf'' or ''txt''.';
COMMENT ON COLUMN issues.page_count IS 'Pages in the source PDF (NULL for text input).';
COMMENT ON COLUMN issues.ocr_pages IS 'Pages whose text came from OCR rather than the text layer.';
COMMENT ON COLUMN issues.ingested_at IS 'When this issue was loaded (UTC).';
COMMENT ON COLUMN issues.parser_version IS 'Version of the parser that produced these rows.';
COMMENT ON COLUMN issues.warnings IS 'Things the parser could not place or had to guess, one message each.';
CREATE TABLE IF NOT EXISTS ocr_lines (
	issue_id VARCHAR, 
	page INTEGER, 
	line_no INTEGER, 
	text VARCHAR, 
	x0 FLOAT, 
	top FLOAT, 
	x1 FLOAT, 
	bottom FLOAT, 
	confidence FLOAT
);
COMMENT ON TABLE ocr_lines IS 'Lines recognised by OCR with their boxes: provenance of text that did not come from a text layer.';
COMMENT ON COLUMN ocr_lines.issue_id IS 'Issue (source file) the line belongs to.';
COMMENT ON COLUMN ocr_lines.page IS 'Physical page in the source PDF, from 1.';
COMMENT ON COLUMN ocr_lines.line_no IS 'Order of the line in the recogniser''s output on that page, from 1.';
COMMENT ON COLUMN ocr_lines.text IS 'Recognised text of the line.';
COMMENT ON COLUMN ocr_lines.x0 IS 'Left edge of the line''s box, in PDF points from the left of the page.';
COMMENT ON COLUMN ocr_lines.top IS 'Top edge of the line''s box, in PDF points from the top of the page.';
COMMENT ON COLUMN ocr_lines.x1 IS 'Right edge of the line''s box, in PDF points from the left of the page.';
COMMENT ON COLUMN ocr_lines.bottom IS 'Bottom edge of the line''s box, in PDF points from the top of the page.';
COMMENT ON COLUMN ocr_lines.confidence IS 'Recogniser''s confidence for the line (0–1).';
CREATE TABLE IF NOT EXISTS pages (
	issue_id VARCHAR, 
	page INTEGER, 
	printed_number INTEGER, 
	column_count INTEGER, 
	ocr BOOLEAN, 
	ocr_confidence FLOAT, 
	low_confidence BOOLEAN, 
	ocr_lines INTEGER
);
COMMENT ON TABLE pages IS 'One row per physical page of a PDF source: layout facts and OCR quality.';
COMMENT ON COLUMN pages.issue_id IS 'Issue (source file) the page belongs to.';
COMMENT ON COLUMN pages.page IS 'Physical page in the source PDF, from 1.';
COMMENT ON COLUMN pages.printed_number IS 'Page number printed in the footer (— 3 —), NULL where none was found.';
COMMENT ON COLUMN pages.column_count IS 'Text columns found on the page: 1 or 2.';
COMMENT ON COLUMN pages.ocr IS 'True when the page''s text came from OCR (no usable text layer, or OCR forced).';
COMMENT ON COLUMN pages.ocr_confidence IS 'Mean OCR line confidence (0–1) weighted by characters; NULL for text-layer pages.';
COMMENT ON COLUMN pages.low_confidence IS 'True for an OCR''d page whose confidence is below pipeline.read.ocr.DEFAULT_LOW_CONFIDENCE (0.9) or that yielded no text: check it against the scan.';
COMMENT ON COLUMN pages.ocr_lines IS 'Number of lines the OCR recognised on the page (0 for text-layer pages).';
CREATE TABLE IF NOT EXISTS parse_findings (
	issue_id VARCHAR, 
	seq INTEGER, 
	doc_id VARCHAR, 
	check_name VARCHAR, 
	severity VARCHAR, 
	page INTEGER, 
	detail VARCHAR
);
COMMENT ON TABLE parse_findings IS 'Findings of the structural self-check run after every parse: what the parser could not account for.';
COMMENT ON COLUMN parse_findings.issue_id IS 'Issue (source file) the finding is about.';
COMMENT ON COLUMN parse_findings.seq IS 'Order of the finding within its issue, from 1 (file-level checks first, then document by document).';
COMMENT ON COLUMN parse_findings.doc_id IS 'Document the finding is about; NULL for a finding about the file (目录, lines outside documents).';
COMMENT ON COLUMN parse_findings.check_name IS 'Which check (not `check`: a reserved word in DuckDB, unusable unquoted): article_sequence, chapter_sequence, section_sequence (numbers 1..N with no gap), article_bleed (an article''s text holds another article heading), second_article_run (第一条 twice in one document), document_elements (标题/发文字号/发文机关/成文日期 missing), instrument_end (a regulation''s last article does not say when it takes effect), supplementary_chapter (the 施行 article of a regulation with chapters is not in its 附则 chapter), toc_match (目录 entry and document not paired one to one), stray_lines (body lines outside every document), inner_editorial (an editorial page such as the 编委会 list between two documents), reading_order (a PDF page region the reader could not tell one column from two).';
COMMENT ON COLUMN parse_findings.severity IS '''error'': data is probably lost or misattributed (counts are wrong; `gazette ingest --strict` fails); ''warning'': a structure the rules did not expect, check it; ''info'': worth knowing, nothing lost (a regulation printed without its 发文字号).';
COMMENT ON COLUMN parse_findings.page IS 'Page the finding points at (physical PDF page, or printed page from the 目录); NULL when unknown.';
COMMENT ON COLUMN parse_findings.detail IS 'What was found, in one sentence, e.g. ''articles jump from 17 to 23: articles 18–22 missing''.';
CREATE TABLE IF NOT EXISTS run_files (
	run_id VARCHAR, 
	seq INTEGER, 
	action VARCHAR, 
	path VARCHAR, 
	url VARCHAR, 
	sha256 VARCHAR, 
	status VARCHAR, 
	issue_id VARCHAR, 
	stage VARCHAR, 
	error VARCHAR, 
	bytes INTEGER, 
	seconds FLOAT
);
COMMENT ON TABLE run_files IS 'One row per file handled by a run: its outcome, and the error when it failed.';
COMMENT ON COLUMN run_files.run_id IS 'Run this row belongs to (runs.run_id).';
COMMENT ON COLUMN run_files.seq IS 'Order within the run, from 1.';
COMMENT ON COLUMN run_files.action IS '''fetch'' for a download, ''ingest'' for parsing and loading a file, ''index'' for the full-text search rebuild after the loads (recorded only when it fails; path is the warehouse).';
COMMENT ON COLUMN run_files.path IS 'Local file (the download target for a fetch).';
COMMENT ON COLUMN run_files.url IS 'URL fetched (fetch rows only).';
COMMENT ON COLUMN run_files.sha256 IS 'SHA-256 of the file''s bytes, when it could be read.';
COMMENT ON COLUMN run_files.status IS 'ingest: loaded, replaced, skipped (unchanged, quarantined or superseded bytes), superseded (a newer file holds its issue) or failed; fetch: downloaded, resumed, present or failed.';
COMMENT ON COLUMN run_files.issue_id IS 'Issue the file was loaded as (or already held, when skipped).';
COMMENT ON COLUMN run_files.stage IS 'Stage that failed: find, parse, extract, write, load; list or download for fetches; index for the search rebuild.';
COMMENT ON COLUMN run_files.error IS 'One-line error message for a failure.';
COMMENT ON COLUMN run_files.bytes IS 'Bytes downloaded or read.';
COMMENT ON COLUMN run_files.seconds IS 'Seconds spent on this file in its stages, parse to load (or the download); NULL when skipped.';
CREATE TABLE IF NOT EXISTS runs (
	run_id VARCHAR NOT NULL, 
	flow VARCHAR, 
	deployment VARCHAR, 
	parameters VARCHAR, 
	task_runner VARCHAR, 
	status VARCHAR, 
	started_at TIMESTAMP WITHOUT TIME ZONE, 
	host VARCHAR, 
	pid INTEGER, 
	ended_at TIMESTAMP WITHOUT TIME ZONE, 
	files_seen INTEGER, 
	files_skipped INTEGER, 
	files_ingested INTEGER, 
	files_failed INTEGER, 
	downloads_ok INTEGER, 
	downloads_failed INTEGER, 
	PRIMARY KEY (run_id)
);
COMMENT ON TABLE runs IS 'One row per ingest or fetch run (a Prefect flow run): when it ran and what it did.';
COMMENT ON COLUMN runs.run_id IS 'Prefect flow run id (a UUID; see it in the Prefect UI), or a fresh UUID for a run without Prefect.';
COMMENT ON COLUMN runs.flow IS 'What ran: ingest-paths, ingest-folder, ingest-issue, fetch-new-issues or scheduled-ingest.';
COMMENT ON COLUMN runs.deployment IS 'Deployment that scheduled the run (gazette serve), NULL for a run started by hand.';
COMMENT ON COLUMN runs.parameters IS 'The run''s parameters as JSON (paths, source file, warehouse, task runner).';
COMMENT ON COLUMN runs.task_runner IS 'Where parsing and extraction ran: ''threads'', ''processes'', or ''dask <address>''.';
COMMENT ON COLUMN runs.status IS '''running'' until the run ends; then ''completed'' (nothing failed) or ''failed'' (a file, a download or the search index rebuild failed, see run_files); ''crashed'' when its process died first (found by the next run on the same host).';
COMMENT ON COLUMN runs.started_at IS 'When the run started (UTC).';
COMMENT ON COLUMN runs.host IS 'Host name of the machine the run''s process ran on.';
COMMENT ON COLUMN runs.pid IS 'Process id of the run on its host: a ''running'' run whose process is gone is marked ''crashed'' by the next run there.';
COMMENT ON COLUMN runs.ended_at IS 'When the run ended (UTC); NULL while running or if the process died.';
COMMENT ON COLUMN runs.files_seen IS 'Input files found (after downloading, for a fetch run).';
COMMENT ON COLUMN runs.files_skipped IS 'Files whose sha256 was already loaded: not parsed again.';
COMMENT ON COLUMN runs.files_ingested IS 'Files parsed and loaded (new issues, or changed files replacing their issue).';
COMMENT ON COLUMN runs.files_failed IS 'Files that failed at some stage; the error is in run_files.';
COMMENT ON COLUMN runs.downloads_ok IS 'URLs downloaded, resumed, or already present and verified (fetch runs; 0 otherwise).';
COMMENT ON COLUMN runs.downloads_failed IS 'URLs or index pages that could not be fetched (fetch runs; 0 otherwise).';
CREATE TABLE IF NOT EXISTS search_indexed_issues (
	issue_id VARCHAR, 
	source_sha256 VARCHAR, 
	ingested_at TIMESTAMP WITHOUT TIME ZONE, 
	indexed_at TIMESTAMP WITHOUT TIME ZONE
);
COMMENT ON TABLE search_indexed_issues IS 'Which load of each issue the search index holds; an issue of `issues` missing here, or loaded since, is indexed at the next update.';
COMMENT ON COLUMN search_indexed_issues.issue_id IS 'An issue whose units are in the index.';
COMMENT ON COLUMN search_indexed_issues.source_sha256 IS 'issues.source_sha256 of the load indexed.';
COMMENT ON COLUMN search_indexed_issues.ingested_at IS 'issues.ingested_at of the load indexed: an issue loaded again since then is indexed again.';
COMMENT ON COLUMN search_indexed_issues.indexed_at IS 'When the issue was indexed (UTC).';
CREATE TABLE IF NOT EXISTS search_postings (
	issue_id VARCHAR, 
	unit_id VARCHAR, 
	term VARCHAR, 
	tf INTEGER, 
	in_text BOOLEAN
);
COMMENT ON TABLE search_postings IS 'The full-text index: one row per distinct term of each search unit; rebuilt per issue after each batch of loads.';
COMMENT ON COLUMN search_postings.issue_id IS 'Issue of the unit (the index is updated one issue at a time).';
COMMENT ON COLUMN search_postings.unit_id IS 'The unit (search_texts.unit_id) holding the term.';
COMMENT ON COLUMN search_postings.term IS 'A term of the unit: its tokens and its title''s, split as search queries are (on spaces, punctuation and symbols), lower-cased.';
COMMENT ON COLUMN search_postings.tf IS 'How often the term occurs in the unit''s text and its document''s title together (BM25''s term frequency).';
COMMENT ON COLUMN search_postings.in_text IS 'True when the term occurs in the unit''s own text, not only in the title (a search for every word needs each in the text).';
CREATE TABLE IF NOT EXISTS search_texts (
	unit_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	article_id VARCHAR, 
	kind VARCHAR, 
	title_tokens VARCHAR, 
	tokens VARCHAR
);
COMMENT ON TABLE search_texts IS 'Pre-segmented text for Chinese full-text search: one row per article and per document; indexed (BM25) in search_postings and search_units.';
COMMENT ON COLUMN search_texts.unit_id IS 'article_id of an article, doc_id for a document''s text outside its articles.';
COMMENT ON COLUMN search_texts.doc_id IS 'Document the unit belongs to.';
COMMENT ON COLUMN search_texts.article_id IS 'Article of the unit; NULL for a document unit.';
COMMENT ON COLUMN search_texts.kind IS '''article'', or ''document'' (the whole text of a document without articles, else the text outside its articles).';
COMMENT ON COLUMN search_texts.title_tokens IS 'The document''s title segmented by jieba (search mode), tokens joined by spaces.';
COMMENT ON COLUMN search_texts.tokens IS 'The unit''s text segmented by jieba (search mode, user dictionary schemas/data/jieba/), lower-cased, punctuation dropped, tokens joined by spaces.';
CREATE TABLE IF NOT EXISTS search_units (
	issue_id VARCHAR, 
	unit_id VARCHAR, 
	n_terms INTEGER
);
COMMENT ON TABLE search_units IS 'The length of every search unit, for BM25''s length normalisation and the unit count; kept with search_postings.';
COMMENT ON COLUMN search_units.issue_id IS 'Issue of the unit.';
COMMENT ON COLUMN search_units.unit_id IS 'The unit (search_texts.unit_id).';
COMMENT ON COLUMN search_units.n_terms IS 'Terms in the unit''s text and its title, repeats counted (BM25''s document length).';
CREATE TABLE IF NOT EXISTS sections (
	section_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	chapter_no INTEGER, 
	section_no INTEGER, 
	label VARCHAR, 
	title VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER
);
COMMENT ON TABLE sections IS 'Sections (节) inside chapters, where a document has them.';
COMMENT ON COLUMN sections.section_id IS 'Stable id ''<doc_id>/chp_N/sec_M''.';
COMMENT ON COLUMN sections.doc_id IS 'Document the section belongs to.';
COMMENT ON COLUMN sections.chapter_no IS 'Enclosing chapter number.';
COMMENT ON COLUMN sections.section_no IS 'Section number within the chapter (第二节 → 2).';
COMMENT ON COLUMN sections.label IS 'Section label as written, e.g. 第二节.';
COMMENT ON COLUMN sections.title IS 'Section title with inner spaces removed.';
COMMENT ON COLUMN sections.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN sections."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN sections.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
CREATE TABLE IF NOT EXISTS thresholds (
	doc_id VARCHAR, 
	article_id VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	raw VARCHAR, 
	extractor VARCHAR, 
	threshold_id VARCHAR, 
	subject VARCHAR, 
	anchor VARCHAR, 
	subject_note VARCHAR, 
	op VARCHAR, 
	value NUMERIC(18, 4), 
	unit VARCHAR, 
	inclusive BOOLEAN, 
	keyword VARCHAR
);
COMMENT ON TABLE thresholds IS 'Comparisons with a subject: minimums, maximums and deadlines (15个工作日内 → <= 15 个工作日).';
COMMENT ON COLUMN thresholds.doc_id IS 'Document the entity was found in (documents.doc_id).';
COMMENT ON COLUMN thresholds.article_id IS 'Article (条) holding the entity; NULL outside articles (the body of a notice).';
COMMENT ON COLUMN thresholds.start IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN thresholds."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN thresholds.page IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN thresholds.raw IS 'The text as written, documents.text[start:end].';
COMMENT ON COLUMN thresholds.extractor IS 'Extractor and version that produced the row, e.g. money/v1.';
COMMENT ON COLUMN thresholds.threshold_id IS 'Stable id of the threshold: doc_id@start (amounts.threshold_id points here).';
COMMENT ON COLUMN thresholds.subject IS 'What is constrained: the head of the noun phrase the number modifies (固定科研人员, 仪器设备原值, 防空警报设施专用房); for a deadline its actor (当事人, 登记机关), never its anchor.';
COMMENT ON COLUMN thresholds.anchor IS 'The event a deadline runs from (自租赁合同签订、变更、终止之日起十五日内 → 租赁合同签订、变更、终止之日); NULL for other thresholds.';
COMMENT ON COLUMN thresholds.subject_note IS 'Why subject is NULL, when it is (no noun phrase in the clause, none after the number, no sentence topic).';
COMMENT ON COLUMN thresholds.op IS '''>='', ''>'', ''<='', ''<'' or ''=''.';
COMMENT ON COLUMN thresholds.value IS 'Canonical value: yuan for money, percent for %%, a ratio for fractions (三分之二 → 0.6667).';
COMMENT ON COLUMN thresholds.unit IS 'Canonical unit: 元, %%, ratio, or as written (人, 平方米, 周岁, 年, 个月, 天, 个工作日).';
COMMENT ON COLUMN thresholds.inclusive IS 'Whether the bound itself satisfies it (《民法典》第一千二百五十九条: 以上/以下/以内/届满 include, 不满/超过/以外 exclude).';
COMMENT ON COLUMN thresholds.keyword IS 'The comparison as written: 不少于, 以上, 达…以上, 内.';
CREATE TABLE IF NOT EXISTS toc_entries (
	issue_id VARCHAR, 
	seq INTEGER, 
	section VARCHAR, 
	title VARCHAR, 
	doc_number VARCHAR, 
	doc_number_raw VARCHAR, 
	page INTEGER
);
COMMENT ON TABLE toc_entries IS 'The issue''s table of contents (目录) as printed.';
COMMENT ON COLUMN toc_entries.issue_id IS 'Issue the table of contents belongs to.';
COMMENT ON COLUMN toc_entries.seq IS 'Position in the table of contents, from 1.';
COMMENT ON COLUMN toc_entries.section IS 'Section heading the entry sits under, e.g. 【人事任免文件】 → 人事任免文件.';
COMMENT ON COLUMN toc_entries.title IS 'Entry title with line breaks and spaces removed.';
COMMENT ON COLUMN toc_entries.doc_number IS 'Document number, canonical form (忻政发〔2024〕13号).';
COMMENT ON COLUMN toc_entries.doc_number_raw IS 'Document number as printed (忻政发〔2024〕13 号).';
COMMENT ON COLUMN toc_entries.page IS 'Printed page the entry points to.';
CREATE TABLE IF NOT EXISTS warehouse_schema (
	ddl_sha256 VARCHAR, 
	made_at TIMESTAMP WITHOUT TIME ZONE
);
COMMENT ON TABLE warehouse_schema IS 'One row: which version of the warehouse''s DDL its tables and views match (written by every creation or upgrade of them).';
COMMENT ON COLUMN warehouse_schema.ddl_sha256 IS 'SHA-256 of the DDL (schemas/warehouse.sql) the tables and views were last made or upgraded to; a write connection whose DDL has the same hash skips the upgrade.';
COMMENT ON COLUMN warehouse_schema.made_at IS 'When they were (UTC).';
CREATE OR REPLACE VIEW appointments_register AS 
    SELECT a.doc_id, d.doc_number, d.title AS doc_title, d.issuer, d.signed_on,
           d.issue_id, i.gazette, i.year AS issue_year, i.number AS issue_number, i.published_on,
           a.seq, a.person, a.person_key, a.person_key_basis, a.gender, a.action, a.concurrent,
           a.post, a.post_key, a.organization, a.title,
           a.rank_note, a.probation_months, a.tenure_from, a.decided_by, a.decided_on, a.secondment, a.reason,
           coalesce(a.decided_on, d.signed_on, i.published_on) AS effective_on,
           a.page, a.start, a."end", a.raw, a.clause
    FROM appointments a
    JOIN documents d USING (doc_id)
    LEFT JOIN issues i ON i.issue_id = d.issue_id;
COMMENT ON VIEW appointments_register IS 'The appointments register: each appointment record (appoint, remove, confirm, nominate) with its document number, signing date, issue and effective date; person_key and post_key for comparing across documents.';
COMMENT ON COLUMN appointments_register."doc_id" IS 'Document the record comes from (any document, not only 人事任免文件).';
COMMENT ON COLUMN appointments_register."doc_number" IS 'Document number of the deciding document (忻政任〔2024〕21号).';
COMMENT ON COLUMN appointments_register."doc_title" IS 'Title of the deciding document.';
COMMENT ON COLUMN appointments_register."issuer" IS 'Issuing organ of the document.';
COMMENT ON COLUMN appointments_register."signed_on" IS 'Signing date (成文日期) of the document.';
COMMENT ON COLUMN appointments_register."issue_id" IS 'Issue the document was published in.';
COMMENT ON COLUMN appointments_register."gazette" IS 'Gazette the issue belongs to.';
COMMENT ON COLUMN appointments_register."issue_year" IS 'Year of the issue.';
COMMENT ON COLUMN appointments_register."issue_number" IS 'Number of the issue within its year.';
COMMENT ON COLUMN appointments_register."published_on" IS 'Publication date of the issue.';
COMMENT ON COLUMN appointments_register."seq" IS 'Order of the record in its document, from 1.';
COMMENT ON COLUMN appointments_register."person" IS 'Person''s name as written, without 同志 or the gender note.';
COMMENT ON COLUMN appointments_register."person_key" IS 'One id per person across documents and issues: the name, or name@organ where one name has records in organs that no record links (see person_key_basis). Recomputed over the whole warehouse at each load.';
COMMENT ON COLUMN appointments_register."person_key_basis" IS '''name'': every record of this name is linked through a shared document or organ, so one person; ''name_and_organs'': the name has records in organs no record links, so this id covers one linked set and the others have their own: homonyms, or one person whose move no record shows. Check before merging.';
COMMENT ON COLUMN appointments_register."gender" IS '''female'' or ''male'' where the text marks it after the name (（女）); NULL otherwise.';
COMMENT ON COLUMN appointments_register."action" IS '''appoint'' (任命/聘任/兼任/挂职), ''remove'' (免去/解聘/撤销/辞去/不再担任), ''confirm'' (试用期满正式任职) or ''nominate'' (提名: proposed to the deciding body, holds nothing yet).';
COMMENT ON COLUMN appointments_register."concurrent" IS 'True when the post is held concurrently: （兼） after it, or 兼任.';
COMMENT ON COLUMN appointments_register."post" IS 'The post as written, without the rank note and （兼）, e.g. 忻州文化研究院（五台山研究院）院长.';
COMMENT ON COLUMN appointments_register."post_key" IS 'Canonical post: the issuer''s place expands a leading 市/县/区/省 (市应急管理局副局长 → 忻州市应急管理局副局长 in a 忻州市 document), short organ names become full (科技局 → 科学技术局, 管委会 → 管理委员会), no 中共, rank note or 兼. Compare posts on this column.';
COMMENT ON COLUMN appointments_register."organization" IS 'The post minus its title, e.g. 忻州文化研究院（五台山研究院）; NULL when no known title ends the post.';
COMMENT ON COLUMN appointments_register."title" IS 'The title that ends the post, with an alternative title in brackets, e.g. 院长, 支队长（组长）.';
COMMENT ON COLUMN appointments_register."rank_note" IS 'Rank written after the post, e.g. 副处级 from （副处级）.';
COMMENT ON COLUMN appointments_register."probation_months" IS 'Probation in months (试用期一年 → 12); NULL when none is stated.';
COMMENT ON COLUMN appointments_register."tenure_from" IS 'Start of tenure where stated (任职时间从2023年7月算起 → 2023-07-01; first of the month when only the month is given).';
COMMENT ON COLUMN appointments_register."decided_by" IS 'Deciding meeting or body as written, with the document it cites: 市人民政府2024年8月23日第43次常务会议; …第二十二次会议（忻人任字〔2024〕8号）.';
COMMENT ON COLUMN appointments_register."decided_on" IS 'Date of the deciding meeting, where the text gives it.';
COMMENT ON COLUMN appointments_register."secondment" IS 'True for a 挂职 posting: temporary, the holder keeps their own post.';
COMMENT ON COLUMN appointments_register."reason" IS 'Why the post is left, as written: 另有任用, 退休, 辞职; NULL when not stated.';
COMMENT ON COLUMN appointments_register."page" IS 'Page of the source the text came from (physical PDF page; printed page for text input).';
COMMENT ON COLUMN appointments_register."start" IS 'First character, as an offset into documents.text (0-based).';
COMMENT ON COLUMN appointments_register."end" IS 'One past the last character, as an offset into documents.text.';
COMMENT ON COLUMN appointments_register."raw" IS 'The text at start–end: the clause as it stands in documents.text.';
COMMENT ON COLUMN appointments_register."clause" IS 'The whole clause: raw, with any remainder that a page or column break displaced joined back on.';
COMMENT ON COLUMN appointments_register."effective_on" IS 'Date the decision took effect: the meeting date, else the signing date, else the issue''s publication date.';
CREATE OR REPLACE VIEW post_holders AS 
    WITH events AS (
        SELECT r.*, coalesce(r.post_key, r.post) AS pk, coalesce(r.person_key, r.person) AS who,
               regexp_replace(coalesce(r.title, ''), '[（(].*$', '') IN ('主任', '主任委员', '主席', '乡长', '书记', '会长', '党委书记', '党组书记', '区长', '厅长', '县长', '司长', '处长', '大使', '大队长', '审计长', '局长', '州长', '市长', '常务副主任', '常务副区长', '常务副县长', '常务副局长', '常务副市长', '常务副省长', '常务副部长', '常驻代表', '庭长', '总会计师', '总审计师', '总工程师', '总理', '总经济师', '总经理', '总编辑', '总规划师', '总队长', '总领事', '所长', '支队长', '政委', '政治委员', '旗长', '校长', '检察长', '特命全权大使', '理事长', '监事会主席', '省长', '社长', '科长', '秘书长', '站长', '组长', '经理', '署长', '自治区主席', '董事长', '行长', '部长', '镇长', '队长', '院长', '馆长', '首席代表') AS single_holder
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
    FROM (SELECT * FROM known_start UNION ALL BY NAME SELECT * FROM unknown_start);
COMMENT ON VIEW post_holders IS 'Tenures derived from the register across issues: who held which post (post_key) from when until when; a removal with no appointment on record is a tenure with an unknown start (held_from NULL) and a known end.';
COMMENT ON COLUMN post_holders."person" IS 'Holder of the post, as written in the record that began the tenure (or ended it, when its start is unknown).';
COMMENT ON COLUMN post_holders."person_key" IS 'The holder''s person_key (appointments.person_key): one id per person across documents.';
COMMENT ON COLUMN post_holders."post" IS 'The post as written in that record (appointments.post).';
COMMENT ON COLUMN post_holders."post_key" IS 'Canonical post (appointments.post_key): tenures, removals and successors are matched on it, so 市X and 忻州市X are one post.';
COMMENT ON COLUMN post_holders."organization" IS 'Organisation part of the post.';
COMMENT ON COLUMN post_holders."title" IS 'Title part of the post.';
COMMENT ON COLUMN post_holders."held_from" IS 'Start of the tenure: the stated 任职时间 if any, else the date the appointment took effect; NULL when unknown (held_from_basis ''unknown'').';
COMMENT ON COLUMN post_holders."held_from_basis" IS '''stated'' (任职时间从…算起), ''appointment'' (the appointment''s effective date) or ''unknown'': a removal with no appointment in the warehouse, so the tenure is known only to end at held_until.';
COMMENT ON COLUMN post_holders."held_until" IS 'Date of the event that ended the tenure (removal, or a successor to a single-holder post); NULL while it runs. The holder holds the post on days held_from <= d < held_until (any day before held_until when held_from is NULL).';
COMMENT ON COLUMN post_holders."concurrent" IS 'True when the post is held concurrently （兼）.';
COMMENT ON COLUMN post_holders."secondment" IS 'True for a 挂职 posting.';
COMMENT ON COLUMN post_holders."single_holder" IS 'True when the post has one holder at a time (a 正职 title in schemas/data/post_titles.txt).';
COMMENT ON COLUMN post_holders."appointed_by_doc" IS 'Document number of the appointment that began the tenure; NULL when the start is unknown.';
COMMENT ON COLUMN post_holders."ended_by_doc" IS 'Document number of the decision that ended the tenure, if any.';
COMMENT ON COLUMN post_holders."doc_id" IS 'Document of the appointment that began the tenure (of the removal, when the start is unknown).';
COMMENT ON COLUMN post_holders."issue_id" IS 'Issue of that document.';
CREATE OR REPLACE VIEW person_timeline AS 
    SELECT coalesce(person_key, person) AS person_key,
           row_number() OVER (PARTITION BY coalesce(person_key, person)
                              ORDER BY effective_on, issue_id, doc_id, seq) AS step,
           person, person_key_basis, effective_on, action, post, post_key, concurrent, secondment, reason,
           probation_months, tenure_from, doc_number, doc_title, issue_id, doc_id, seq
    FROM appointments_register
    ORDER BY person_key, step;
COMMENT ON VIEW person_timeline IS 'Each person''s appointments, removals, confirmations and nominations in date order (one row per record, numbered by step).';
COMMENT ON COLUMN person_timeline."person_key" IS 'One id per person across documents and issues: the name, or name@organ where one name has records in organs that no record links (see person_key_basis). Recomputed over the whole warehouse at each load.';
COMMENT ON COLUMN person_timeline."step" IS 'Order of the event in the person''s timeline, from 1: by effective_on, then document and order in it.';
COMMENT ON COLUMN person_timeline."person" IS 'Person''s name as written, without 同志 or the gender note.';
COMMENT ON COLUMN person_timeline."person_key_basis" IS '''name'': every record of this name is linked through a shared document or organ, so one person; ''name_and_organs'': the name has records in organs no record links, so this id covers one linked set and the others have their own: homonyms, or one person whose move no record shows. Check before merging.';
COMMENT ON COLUMN person_timeline."effective_on" IS 'Date the decision took effect: the meeting date, else the signing date, else the issue''s publication date.';
COMMENT ON COLUMN person_timeline."action" IS '''appoint'' (任命/聘任/兼任/挂职), ''remove'' (免去/解聘/撤销/辞去/不再担任), ''confirm'' (试用期满正式任职) or ''nominate'' (提名: proposed to the deciding body, holds nothing yet).';
COMMENT ON COLUMN person_timeline."post" IS 'The post as written, without the rank note and （兼）, e.g. 忻州文化研究院（五台山研究院）院长.';
COMMENT ON COLUMN person_timeline."post_key" IS 'Canonical post: the issuer''s place expands a leading 市/县/区/省 (市应急管理局副局长 → 忻州市应急管理局副局长 in a 忻州市 document), short organ names become full (科技局 → 科学技术局, 管委会 → 管理委员会), no 中共, rank note or 兼. Compare posts on this column.';
COMMENT ON COLUMN person_timeline."concurrent" IS 'True when the post is held concurrently: （兼） after it, or 兼任.';
COMMENT ON COLUMN person_timeline."secondment" IS 'True for a 挂职 posting: temporary, the holder keeps their own post.';
COMMENT ON COLUMN person_timeline."reason" IS 'Why the post is left, as written: 另有任用, 退休, 辞职; NULL when not stated.';
COMMENT ON COLUMN person_timeline."probation_months" IS 'Probation in months (试用期一年 → 12); NULL when none is stated.';
COMMENT ON COLUMN person_timeline."tenure_from" IS 'Start of tenure where stated (任职时间从2023年7月算起 → 2023-07-01; first of the month when only the month is given).';
COMMENT ON COLUMN person_timeline."doc_number" IS 'Document number of the deciding document (忻政任〔2024〕21号).';
COMMENT ON COLUMN person_timeline."doc_title" IS 'Title of the deciding document.';
COMMENT ON COLUMN person_timeline."issue_id" IS 'Issue the document was published in.';
COMMENT ON COLUMN person_timeline."doc_id" IS 'Document the record comes from (any document, not only 人事任免文件).';
COMMENT ON COLUMN person_timeline."seq" IS 'Order of the record in its document, from 1.';
CREATE OR REPLACE VIEW document_index AS 
SELECT d.doc_id, d.issue_id, i.gazette, i.year AS issue_year, i.number AS issue_number, d.seq,
       d.section, d.doc_number, d.title, d.issuer, d.doc_type, d.signed_on, d.effective_on, d.valid_until,
       d.page_start, d.page_end, d.repealed_by, length(d.text) AS n_chars,
       coalesce(n_chapters.n, 0) AS n_chapters,
       coalesce(n_articles.n, 0) AS n_articles,
       coalesce(n_clauses.n, 0) AS n_clauses,
       coalesce(n_doc_numbers.n, 0) AS n_doc_numbers,
       coalesce(n_references.n, 0) AS n_references,
       coalesce(n_dates.n, 0) AS n_dates,
       coalesce(n_amounts.n, 0) AS n_amounts,
       coalesce(n_thresholds.n, 0) AS n_thresholds,
       coalesce(n_durations.n, 0) AS n_durations,
       coalesce(n_tables.n, 0) AS n_tables,
       coalesce(n_appointments.n, 0) AS n_appointments
FROM documents d
JOIN issues i USING (issue_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM chapters GROUP BY doc_id) n_chapters USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM articles GROUP BY doc_id) n_articles USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM clauses GROUP BY doc_id) n_clauses USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM doc_numbers GROUP BY doc_id) n_doc_numbers USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM doc_references GROUP BY doc_id) n_references USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM dates GROUP BY doc_id) n_dates USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM amounts GROUP BY doc_id) n_amounts USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM thresholds GROUP BY doc_id) n_thresholds USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM durations GROUP BY doc_id) n_durations USING (doc_id)
LEFT JOIN (SELECT doc_id, count(DISTINCT table_no) AS n FROM doc_tables GROUP BY doc_id) n_tables USING (doc_id)
LEFT JOIN (SELECT doc_id, count(*) AS n FROM appointments GROUP BY doc_id) n_appointments USING (doc_id);
COMMENT ON VIEW document_index IS 'One row per document: issue, gazette, order, number, title, issuer, type, dates, pages, whether repealed, and counts of chapters, articles, clauses and of each entity (n_amounts, n_appointments, …; NULL when that entity table is not in this build).';
COMMENT ON COLUMN document_index."doc_id" IS 'Stable id ''<issue_id>/dNN'', NN the order in the issue.';
COMMENT ON COLUMN document_index."issue_id" IS 'Issue the document was published in.';
COMMENT ON COLUMN document_index."seq" IS 'Order of the document in the issue, from 1.';
COMMENT ON COLUMN document_index."section" IS 'Section of the issue (from the table of contents), e.g. 忻州市人民政府文件.';
COMMENT ON COLUMN document_index."doc_number" IS 'Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号. A regulation''s is the order that promulgated the version in force (its 题注''s latest 令第N号).';
COMMENT ON COLUMN document_index."title" IS 'Title (标题) as printed, line breaks and stray spaces removed: a half-width (试行) stays half-width.';
COMMENT ON COLUMN document_index."issuer" IS 'Issuing organ (发文机关), from the title, e.g. 忻州市人民政府办公室.';
COMMENT ON COLUMN document_index."doc_type" IS 'Document type (文种), one of the 15 of 《党政机关公文处理工作条例》 (通知, 决定, …), or NULL.';
COMMENT ON COLUMN document_index."signed_on" IS 'Signing date (成文日期); a regulation''s, the date of the order that promulgated the version in force; the first of the month/year when less precise.';
COMMENT ON COLUMN document_index."effective_on" IS 'Date the document takes effect: its own 自…(起)施行 date, else its promulgation date for 自发布/印发之日起施行 (else signed_on), else its approval date for 自批准之日起施行; NULL (with a warning) when the text gives no such date.';
COMMENT ON COLUMN document_index."valid_until" IS 'Last day of validity: effective_on + valid_years − 1 day.';
COMMENT ON COLUMN document_index."page_start" IS 'First page of the document.';
COMMENT ON COLUMN document_index."page_end" IS 'Last page of the document.';
COMMENT ON COLUMN document_index."repealed_by" IS 'doc_id of a later document in the warehouse that repeals this one.';
COMMENT ON COLUMN document_index."gazette" IS 'Gazette the issue belongs to.';
COMMENT ON COLUMN document_index."issue_year" IS 'Year of the issue.';
COMMENT ON COLUMN document_index."issue_number" IS 'Number of the issue within its year.';
COMMENT ON COLUMN document_index."n_chars" IS 'Length of the document''s text in characters.';
COMMENT ON COLUMN document_index."n_chapters" IS 'Chapters (章) in the document.';
COMMENT ON COLUMN document_index."n_articles" IS 'Articles (条) in the document.';
COMMENT ON COLUMN document_index."n_clauses" IS 'Rows of clauses (款/项/目, or points) in the document.';
COMMENT ON COLUMN document_index."n_doc_numbers" IS 'Rows of doc_numbers for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_references" IS 'Rows of doc_references for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_dates" IS 'Rows of dates for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_amounts" IS 'Rows of amounts for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_thresholds" IS 'Rows of thresholds for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_durations" IS 'Rows of durations for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_tables" IS 'Rows of doc_tables for the document (NULL when that table is not in this build).';
COMMENT ON COLUMN document_index."n_appointments" IS 'Rows of appointments for the document (NULL when that table is not in this build).';
CREATE OR REPLACE VIEW money_by_document AS 
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
GROUP BY d.doc_id, d.issue_id, d.seq, d.doc_number, d.title, a.currency;
COMMENT ON VIEW money_by_document IS 'One row per document and currency with amounts: n_amounts, lump_sum_yuan (sum of the money paid or charged, neither per unit nor per period, criteria left out) and lump_sum_by_role, n_rates (amounts per unit/period, never summed), n_criteria and criteria (conditions on the applicant: listed, never summed), min_yuan, max_yuan, subjects.';
COMMENT ON COLUMN money_by_document."doc_id" IS 'Stable id ''<issue_id>/dNN'', NN the order in the issue.';
COMMENT ON COLUMN money_by_document."issue_id" IS 'Issue the document was published in.';
COMMENT ON COLUMN money_by_document."seq" IS 'Order of the document in the issue, from 1.';
COMMENT ON COLUMN money_by_document."doc_number" IS 'Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号. A regulation''s is the order that promulgated the version in force (its 题注''s latest 令第N号).';
COMMENT ON COLUMN money_by_document."title" IS 'Title (标题) as printed, line breaks and stray spaces removed: a half-width (试行) stays half-width.';
COMMENT ON COLUMN money_by_document."currency" IS 'Currency of the amounts (CNY for 元).';
COMMENT ON COLUMN money_by_document."n_amounts" IS 'Money amounts in the document in this currency.';
COMMENT ON COLUMN money_by_document."lump_sum_yuan" IS 'Sum of the money paid or charged (every role but criterion), neither per unit nor per period, in yuan.';
COMMENT ON COLUMN money_by_document."lump_sum_by_role" IS 'The same sum per role, as [{role, yuan}] (award, subsidy, grant, fee, fine, budget, other).';
COMMENT ON COLUMN money_by_document."n_rates" IS 'Amounts paid per unit or per period (300元/户, 每个采暖季…): counted, never summed.';
COMMENT ON COLUMN money_by_document."n_criteria" IS 'Amounts that are conditions on the applicant (主营业务收入5亿元以上): role criterion.';
COMMENT ON COLUMN money_by_document."criteria" IS 'Those conditions as [{subject, yuan, threshold_id}], in text order; never summed.';
COMMENT ON COLUMN money_by_document."min_yuan" IS 'Smallest amount paid or charged, in yuan.';
COMMENT ON COLUMN money_by_document."max_yuan" IS 'Largest amount paid or charged, in yuan.';
COMMENT ON COLUMN money_by_document."subjects" IS 'What the money paid or charged is for, as extracted (distinct, sorted).';
CREATE OR REPLACE VIEW thresholds_by_subject AS 
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
GROUP BY t.subject, t.unit;
COMMENT ON VIEW thresholds_by_subject IS 'One row per threshold subject and unit: how many thresholds and documents, the smallest and largest value, the operators used, and every threshold as {doc_number, op, value, inclusive}.';
COMMENT ON COLUMN thresholds_by_subject."subject" IS 'What the thresholds constrain (固定科研人员, 仪器设备原值 …).';
COMMENT ON COLUMN thresholds_by_subject."unit" IS 'Unit of the values (元, 人, 平方米, %, ratio …).';
COMMENT ON COLUMN thresholds_by_subject."n_thresholds" IS 'Thresholds on this subject and unit.';
COMMENT ON COLUMN thresholds_by_subject."n_documents" IS 'Documents that set them.';
COMMENT ON COLUMN thresholds_by_subject."min_value" IS 'Smallest value.';
COMMENT ON COLUMN thresholds_by_subject."max_value" IS 'Largest value.';
COMMENT ON COLUMN thresholds_by_subject."ops" IS 'Comparison operators used (>=, >, <=, <, =).';
COMMENT ON COLUMN thresholds_by_subject."thresholds" IS 'Every threshold as {doc_id, doc_number, op, value, inclusive}.';
CREATE OR REPLACE VIEW citations AS 
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
         CASE WHEN r.cited_doc_id IS NULL THEN coalesce(r.cited_number, r.cited_title) END;
COMMENT ON VIEW citations IS 'The citation graph: one edge per citing document, cited target and relation, with the number of mentions; to_doc_id is NULL when the cited document is not in the warehouse.';
COMMENT ON COLUMN citations."from_doc_id" IS 'Citing document.';
COMMENT ON COLUMN citations."from_doc_number" IS 'Document number of the citing document.';
COMMENT ON COLUMN citations."from_title" IS 'Title of the citing document.';
COMMENT ON COLUMN citations."to_doc_id" IS 'Cited document when it is in the warehouse, else NULL.';
COMMENT ON COLUMN citations."to_doc_number" IS 'Document number of the cited document (from the warehouse, else as cited).';
COMMENT ON COLUMN citations."to_title" IS 'Title of the cited document (from the warehouse, else as cited).';
COMMENT ON COLUMN citations."relation" IS 'cites, implements, repeals, amends or replaces.';
COMMENT ON COLUMN citations."mentions" IS 'How often the citing document mentions the target with this relation.';
COMMENT ON COLUMN citations."first_start" IS 'Offset of the first mention in the citing document''s text.';
CREATE OR REPLACE VIEW repeal_chain AS 
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
LEFT JOIN documents n ON n.doc_id = l.path[-1];
COMMENT ON VIEW repeal_chain IS 'One row per repealed document: the document that repealed it, the chain of successors (doc_ids, oldest first) and the document now in force at the end of the chain.';
COMMENT ON COLUMN repeal_chain."doc_id" IS 'Stable id ''<issue_id>/dNN'', NN the order in the issue.';
COMMENT ON COLUMN repeal_chain."doc_number" IS 'Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号. A regulation''s is the order that promulgated the version in force (its 题注''s latest 令第N号).';
COMMENT ON COLUMN repeal_chain."title" IS 'Title (标题) as printed, line breaks and stray spaces removed: a half-width (试行) stays half-width.';
COMMENT ON COLUMN repeal_chain."signed_on" IS 'Signing date (成文日期); a regulation''s, the date of the order that promulgated the version in force; the first of the month/year when less precise.';
COMMENT ON COLUMN repeal_chain."repealed_by" IS 'doc_id of a later document in the warehouse that repeals this one.';
COMMENT ON COLUMN repeal_chain."repealed_by_number" IS 'Document number of the repealing document.';
COMMENT ON COLUMN repeal_chain."repealed_by_title" IS 'Title of the repealing document.';
COMMENT ON COLUMN repeal_chain."repealed_on" IS 'Signing date of the repealing document.';
COMMENT ON COLUMN repeal_chain."chain" IS 'doc_ids from this document to the one now in force, oldest first.';
COMMENT ON COLUMN repeal_chain."depth" IS 'Number of repeals in the chain.';
COMMENT ON COLUMN repeal_chain."in_force_doc_id" IS 'The document at the end of the chain (not repealed in the warehouse).';
COMMENT ON COLUMN repeal_chain."in_force_doc_number" IS 'Its document number.';
COMMENT ON COLUMN repeal_chain."in_force_title" IS 'Its title.';
CREATE OR REPLACE MACRO documents_in_force(day) AS TABLE 
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
  AND (d.repealed_by IS NULL OR coalesce(r.effective_on, r.signed_on) > CAST(day AS DATE));
COMMENT ON MACRO TABLE documents_in_force IS 'Table macro documents_in_force(day): the documents in force on that day (a DATE or ''YYYY-MM-DD''): started (effective_on, else signed_on), validity not run out (no valid_until = open-ended), not repealed by a document in the warehouse that took effect on or before the day.';
