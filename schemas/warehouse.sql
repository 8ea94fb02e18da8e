-- Generated from schemas/tables.py by `gazette schema --sql`; do not edit by hand.
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
	page INTEGER, 
	PRIMARY KEY (article_id)
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
	page INTEGER, 
	PRIMARY KEY (chapter_id)
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
	page INTEGER, 
	PRIMARY KEY (clause_id)
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
CREATE TABLE IF NOT EXISTS documents (
	doc_id VARCHAR NOT NULL, 
	issue_id VARCHAR, 
	seq INTEGER, 
	section VARCHAR, 
	title VARCHAR, 
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
	warnings VARCHAR[], 
	PRIMARY KEY (doc_id)
);
COMMENT ON TABLE documents IS 'One row per official document (公文) or regulation.';
COMMENT ON COLUMN documents.doc_id IS 'Stable id ''<issue_id>/dNN'', NN the order in the issue.';
COMMENT ON COLUMN documents.issue_id IS 'Issue the document was published in.';
COMMENT ON COLUMN documents.seq IS 'Order of the document in the issue, from 1.';
COMMENT ON COLUMN documents.section IS 'Section of the issue (from the table of contents), e.g. 忻州市人民政府文件.';
COMMENT ON COLUMN documents.title IS 'Title (标题) with line breaks and stray spaces removed.';
COMMENT ON COLUMN documents.doc_number IS 'Document number (发文字号), canonical: 〔〕 brackets, no spaces, e.g. 忻政办发〔2024〕34号.';
COMMENT ON COLUMN documents.doc_number_raw IS 'Document number as written in the source.';
COMMENT ON COLUMN documents.issuer IS 'Issuing organ (发文机关), from the title, e.g. 忻州市人民政府办公室.';
COMMENT ON COLUMN documents.doc_type IS 'Document type (文种), one of the 15 of 《党政机关公文处理工作条例》 (通知, 决定, …), or NULL.';
COMMENT ON COLUMN documents.recipients IS 'Principal recipients (主送机关).';
COMMENT ON COLUMN documents.instrument_title IS 'Title of the instrument a notice issues (印发…的通知), e.g. 忻州市突发事件应急预案管理办法.';
COMMENT ON COLUMN documents.signed_on IS 'Signing date (成文日期); the first of the month/year when less precise.';
COMMENT ON COLUMN documents.signed_on_precision IS 'Precision of signed_on: ''day'', ''month'' or ''year''.';
COMMENT ON COLUMN documents.note IS 'Note (附注), e.g. 此件公开发布.';
COMMENT ON COLUMN documents.attachments IS 'Attachment titles listed after 附件：, in order.';
COMMENT ON COLUMN documents.page_start IS 'First page of the document.';
COMMENT ON COLUMN documents.page_end IS 'Last page of the document.';
COMMENT ON COLUMN documents.effective_on IS 'Date the document takes effect (自…起施行; 自印发之日起 = signed_on).';
COMMENT ON COLUMN documents.valid_years IS 'Validity in years where stated (有效期五年, 试行期为三年).';
COMMENT ON COLUMN documents.valid_until IS 'Last day of validity: effective_on + valid_years − 1 day.';
COMMENT ON COLUMN documents.repealed_by IS 'doc_id of a later document in the warehouse that repeals this one.';
COMMENT ON COLUMN documents.text IS 'Full normalised text of the document; every start/end offset points into it.';
COMMENT ON COLUMN documents.warnings IS 'Parser warnings for this document (unplaced text, guesses).';
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
	resolved_at TIMESTAMP WITHOUT TIME ZONE, 
	PRIMARY KEY (error_id)
);
COMMENT ON TABLE ingest_errors IS 'Files that failed to ingest: one row per bad file (sha256 and kind), written outside the per-issue load.';
COMMENT ON COLUMN ingest_errors.error_id IS 'Stable id ''<sha256 prefix or path hash>-<UTC timestamp of the first failure>''.';
COMMENT ON COLUMN ingest_errors.source_path IS 'Path of the file as given to `gazette ingest`.';
COMMENT ON COLUMN ingest_errors.sha256 IS 'SHA-256 of the file''s bytes (NULL when the file could not be read at all).';
COMMENT ON COLUMN ingest_errors.source_kind IS '''pdf'' or ''txt'': identical bytes are quarantined per kind (an empty .pdf and an empty .txt fail differently).';
COMMENT ON COLUMN ingest_errors.size IS 'Size of the file in bytes.';
COMMENT ON COLUMN ingest_errors.stage IS 'Stage that failed: ''open'' (not a PDF, empty, encrypted, over the page limit), ''read'' (pages and segmentation), ''extract'', ''write'' (data/parsed) or ''load'' (warehouse).';
COMMENT ON COLUMN ingest_errors.error_class IS 'Python class of the error, e.g. EncryptedPdfError, PageLimitError, PdfReadError.';
COMMENT ON COLUMN ingest_errors.message IS 'The one-line message printed by `gazette ingest`.';
COMMENT ON COLUMN ingest_errors.failed_at IS 'When the latest failure happened (UTC). (Not `at`: a reserved word in DuckDB, unusable unquoted.)';
COMMENT ON COLUMN ingest_errors.first_failed_at IS 'When these bytes first failed (UTC).';
COMMENT ON COLUMN ingest_errors.attempts IS 'How many runs have failed on these bytes since the row was opened.';
COMMENT ON COLUMN ingest_errors.quarantined IS 'True when the failure belongs to the file''s bytes (stages open/read/extract): later runs skip this sha256 until --retry-failed. False for failures of the environment (write, load), retried on the next run.';
COMMENT ON COLUMN ingest_errors.quarantine_path IS 'Copy of the bad file kept for inspection, data/quarantine/<sha256[:12]>-<name>; the original is never moved or deleted.';
COMMENT ON COLUMN ingest_errors.parser_version IS 'Version of the parser that failed on the file.';
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
	warnings VARCHAR[], 
	PRIMARY KEY (issue_id)
);
COMMENT ON TABLE issues IS 'One row per ingested source file: a gazette issue or a single document.';
COMMENT ON COLUMN issues.issue_id IS 'Stable id: ''<gazette>-<year>-<number>'' for a gazette issue, the file stem for a single document.';
COMMENT ON COLUMN issues.kind IS '''gazette'' for a whole issue, ''single'' for a file holding one document or regulation.';
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
CREATE TABLE IF NOT EXISTS sections (
	section_id VARCHAR NOT NULL, 
	doc_id VARCHAR, 
	chapter_no INTEGER, 
	section_no INTEGER, 
	label VARCHAR, 
	title VARCHAR, 
	start INTEGER, 
	"end" INTEGER, 
	page INTEGER, 
	PRIMARY KEY (section_id)
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
