"""Chinese full-text search: jieba segmentation, the fts index in the warehouse, the macro and the CLI."""

from __future__ import annotations

import shutil

from typer.testing import CliRunner

from pipeline.analyst import search
from pipeline.store import search_index, warehouse
from schemas import tables_search, tokens
from tests.analyst_fixtures import NEW


def test_tokens_drop_punctuation_and_keep_dictionary_terms_whole_and_in_parts():
    # hand-written sentence; 应急预案 is in schemas/data/jieba/search_terms.txt
    found = tokens.text_to_tokens("推进应急预案管理，（一）补贴300元/户。")
    assert "应急预案" in found and "应急" in found and "预案" in found
    assert "补贴" in found and "300" in found
    assert not {"，", "（", "）", "/", "。"} & set(found)


def test_query_terms_are_segmented_like_the_text():
    assert search.query_to_terms("应急预案  补贴") == ["应急", "预案", "应急预案", "补贴"]
    # a term no dictionary knows is still found through its parts, as the text is cut the same way
    assert search.query_to_terms("清洁取暖") == [t for t in tokens.text_to_tokens("清洁取暖") if len(t) > 1]
    assert search.query_to_terms(" ，。 ") == []


def test_document_residue_is_the_text_outside_articles():
    text = "通知正文。\n第一条 甲。\n第二条 乙。\n附件：名单"
    spans = [(6, 12), (13, 19)]
    assert tables_search.document_residue(text, spans) == "通知正文。\n\n\n附件：名单"


def test_snippet_marks_every_term_in_the_densest_window():
    text = "甲" * 200 + "清洁取暖运行补贴按户发放" + "乙" * 200
    segments = search.text_to_snippet(text, ["清洁取暖", "补贴"], width=40)
    assert [piece for piece, hit in segments if hit] == ["清洁取暖", "补贴"]
    assert segments[0] == ("…", False) and segments[-1] == ("…", False)
    assert search.snippet_to_text(segments).count("【") == 2


def test_search_ranks_the_articles_about_the_query_first(analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        hits = search.search(con, "清洁取暖 补贴", limit=5)
    finally:
        con.close()
    # 忻政办发〔2024〕38号 is the only document on 清洁取暖运行补贴 (its title says so)
    assert len(hits) == 5 and {h.doc_number for h in hits} == {"忻政办发〔2024〕38号"}
    assert hits[0].kind == "article" and hits[0].label.startswith("第") and hits[0].label.endswith("条")
    assert all(any(hit for _, hit in h.snippet()) for h in hits)
    assert hits[0].score >= hits[-1].score


def test_search_finds_documents_without_articles(analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        hits = search.search(con, "优抚对象 公交", limit=3)
        repeal = search.search(con, "废止 配套奖励", limit=3)
    finally:
        con.close()
    # 忻政办函〔2024〕72号 (退役军人和其他优抚对象免费乘坐市内公交) is a notice without articles
    assert (hits[0].doc_number, hits[0].kind, hits[0].label) == ("忻政办函〔2024〕72号", "document", None)
    assert NEW in {h.doc_id for h in repeal}  # the hand-written 2025 notice


def test_sql_macro_works_on_a_read_only_connection(analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        rows = con.execute("SELECT doc_number, label FROM search_articles('应急预案 备案', n := 3)").fetchall()
    finally:
        con.close()
    assert len(rows) == 3 and {r[0] for r in rows} == {"忻政办发〔2024〕34号"}


def test_index_goes_stale_on_load_and_search_command_rebuilds_it(tmp_path, analyst_db, sample_issue):
    from pipeline.cli import app
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of
    from tests.conftest import SAMPLE_TXT

    db = tmp_path / "copy.duckdb"
    shutil.copy(analyst_db, db)
    changed = tmp_path / "xinzhou-2024-05.txt"
    changed.write_text(SAMPLE_TXT.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # new bytes, same issue
    con = warehouse.connect(db)
    try:
        assert search_index.index_is_current(con)
        assert warehouse.load_issue(con, source_to_issue(source_of(changed))) == "replaced"
        assert not search_index.index_is_current(con)
    finally:
        con.close()
    result = CliRunner().invoke(app, ["search", "清洁取暖 补贴", "--limit", "2", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "忻政办发〔2024〕38号 第" in result.output and "rebuilding" in result.output
    con = warehouse.connect(db, read_only=True)
    try:
        assert search_index.index_is_current(con)
    finally:
        con.close()


def test_search_command_errors_are_one_line(tmp_path):
    from pipeline.cli import app

    result = CliRunner().invoke(app, ["search", "补贴", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "no warehouse here yet" in result.output
    result = CliRunner().invoke(app, ["search", "，。", "--db", str(tmp_path / "none.duckdb")])
    assert result.exit_code == 1 and "nothing to search for" in result.output


def test_search_needs_every_word_by_default_and_any_word_with_any(analyst_db):
    """Read off the sample by hand: in 忻政办发〔2024〕34号, 应急预案 and 演练 are both in 第三条 (l.292),
    第四十条 (l.496-500), 第四十一条 (l.504-508), 第四十四条 (l.520-528: 上位应急预案 … 应急演练), and in
    the text outside its articles (the heading 第五章 应急预案的培训、宣传、演练, l.486); nowhere else."""
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        hits = search.search(con, "应急预案 演练", limit=50)
        either = search.search(con, "应急预案 演练", limit=50, any_word=True)
    finally:
        con.close()
    assert {(hit.doc_number, hit.label) for hit in hits} == {
        ("忻政办发〔2024〕34号", label) for label in ("第三条", "第四十条", "第四十一条", "第四十四条", None)}
    assert all("应急预案" in hit.text and "演练" in hit.text for hit in hits)
    # --any: also the articles with only one of the words (第四十二条 has 应急预案, not 演练)
    assert len(either) > len(hits) and any("演练" not in hit.text for hit in either)


def test_unknown_words_find_nothing_with_a_one_line_note(analyst_db):
    from pipeline.cli import app

    result = CliRunner().invoke(app, ["search", "量子纠缠 火星基地", "--db", str(analyst_db)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no article contains every word of 量子纠缠 火星基地" in result.stderr
    assert "量子, 纠缠, 火星: in no article or document" in result.stderr and "--any" in result.stderr
    # 基地 is in the sample (中试基地), so --any finds something: the default is what keeps it out
    anyword = CliRunner().invoke(app, ["search", "量子纠缠 火星基地", "--any", "--db", str(analyst_db), "--format", "json"])
    assert anyword.exit_code == 0 and "中试基地" in anyword.stdout


def test_sql_macro_needs_every_word_unless_match_any(analyst_db):
    con = warehouse.connect(analyst_db, read_only=True)
    try:
        every = con.execute("SELECT count(*) FROM search_articles('量子 基地', n := 50)").fetchone()[0]
        anyword = con.execute("SELECT count(*) FROM search_articles('量子 基地', n := 50, match_any := true)").fetchone()[0]
    finally:
        con.close()
    assert every == 0 and anyword > 0
