"""Entity tables in the warehouse: rows load, and cross-document links
(cited_doc_id, repealed_by) come out the same whichever issue is loaded first."""

from __future__ import annotations

from datetime import date

import pytest

from schemas import Document, Issue


def make_issue(issue_id: str, doc_number: str, text: str, signed_on: date) -> Issue:
    document = Document(doc_id=f"{issue_id}/d01", issue_id=issue_id, seq=1, doc_number=doc_number,
                        text=text, signed_on=signed_on, signed_on_precision="day")
    return Issue(issue_id=issue_id, kind="single", source_path=f"{issue_id}.txt",
                 source_sha256=issue_id * 4, source_kind="txt", documents=[document])


OLD = make_issue("old", "晋政发〔2018〕35号", "山西省人民政府关于某事的通知\n晋政发〔2018〕35号\n本通知自印发之日起施行。", date(2018, 5, 1))
NEW = make_issue("new", "晋政发〔2024〕13号",
                 "山西省人民政府关于某事的通知\n晋政发〔2024〕13号\n本通知自2024年9月1日起施行，"
                 "《山西省人民政府关于某事的通知》（晋政发[2018]35号）同时废止。", date(2024, 8, 29))


@pytest.mark.parametrize("order", [("old", "new"), ("new", "old")])
def test_links_do_not_depend_on_load_order(tmp_path, order):
    from extractors import extract_issue
    from pipeline.store import warehouse

    issues = {"old": extract_issue(OLD), "new": extract_issue(NEW)}
    con = warehouse.connect(tmp_path / "w.duckdb")
    for name in order:
        warehouse.load_issue(con, issues[name])
    assert con.execute("SELECT repealed_by FROM documents WHERE doc_id = 'old/d01'").fetchone() == ("new/d01",)
    assert con.execute("SELECT repealed_by FROM documents WHERE doc_id = 'new/d01'").fetchone() == (None,)
    assert con.execute(
        "SELECT cited_number, relation, cited_doc_id FROM doc_references WHERE doc_id = 'new/d01'"
    ).fetchall() == [("晋政发〔2018〕35号", "repeals", "old/d01")]
    assert con.execute("SELECT effective_on FROM documents WHERE doc_id = 'new/d01'").fetchone() == (date(2024, 9, 1),)
    con.close()


def test_sample_loads_entity_tables(tmp_path, sample_issue):
    from extractors import extract_issue
    from pipeline.store import warehouse

    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_issue(con, extract_issue(sample_issue))
    total = con.execute("SELECT sum(value_yuan), count(*) FROM amounts").fetchone()
    # 30+10+5 万 + 4×(300|500) + 5亿+2500万+5000万+500万 + 500万×2+10万+5万 + 20万 + 100万+50万+10万 + 500万×2+10万+5万
    expected = (450000 + 1600 + 500000000 + 25000000 + 50000000 + 5000000 + 10000000 + 150000 + 200000
                + 1600000 + 10000000 + 150000)
    assert total == (expected, 23)
    assert con.execute("SELECT count(*) FROM doc_references WHERE relation = 'repeals'").fetchone() == (7,)  # 忻政办发〔2016〕78号 twice
    # the sample's own documents cite none of each other, so no link inside one issue
    assert con.execute("SELECT count(cited_doc_id) FROM doc_references").fetchone() == (0,)
    con.close()


def test_amendment_history_links_the_decision_but_never_repeals_it(tmp_path):
    """A regulation's 题注 cites the decisions that amended it (amended_by): the decision
    is linked (cited_doc_id) and not marked repealed by the regulation it amended."""
    from extractors import extract_issue
    from pipeline.store import warehouse

    decision = make_issue("dec", "中华人民共和国国务院令第666号",
                          "国务院关于修改部分行政法规的决定\n中华人民共和国国务院令第666号\n本决定自公布之日起施行。",
                          date(2016, 2, 6))
    regulation = make_issue(
        "reg", "中华人民共和国国务院令第500号",
        "某某管理条例\n2008年1月1日 中华人民共和国国务院令第500号公布"
        "2016年2月6日 《国务院关于修改部分行政法规的决定》（中华人民共和国国务院令第666号）第一次修订"
        "2017年3月1日 《国务院关于修改和废止部分行政法规的决定》第二次修订\n第一条 为了管理某某，制定本条例。",
        date(2008, 1, 1))
    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_issue(con, extract_issue(regulation))
    warehouse.load_issue(con, extract_issue(decision))
    assert con.execute(
        "SELECT cited_title, relation, cited_doc_id FROM doc_references WHERE doc_id = 'reg/d01' ORDER BY start"
    ).fetchall() == [("国务院关于修改部分行政法规的决定", "amended_by", "dec/d01"),
                     ("国务院关于修改和废止部分行政法规的决定", "amended_by", None)]
    assert con.execute("SELECT repealed_by FROM documents WHERE doc_id = 'dec/d01'").fetchone() == (None,)
    con.close()
