"""Hierarchy rules on hand-written documents in other forms than the sample."""

from __future__ import annotations

from pipeline.parse.segment import SourceInfo, pages_to_issue
from pipeline.read.text import text_to_pages


def parse(text: str):
    issue = pages_to_issue(text_to_pages(text), SourceInfo(path="hand-written.txt", sha256="0", kind="txt"))
    assert issue.kind == "single" and len(issue.documents) == 1
    return issue.documents[0]


REGULATION = """某某省河道采砂管理办法

第一章 总  则

第一条 为了加强河道采砂管理，制定本办法。

第二条 本办法适用于本省行政区域内的河道采砂活动。

第二条之一 本办法所称河道，包括湖泊、人工水道。

第二章 许可

第一节 申请

第三条 申请河道采砂许可，应当具备下列条件：
（一）有采砂船舶；
（二）有符合要求的采砂设备：
1.采砂机具；
2.计量设施。
有关部门应当在二十日内作出决定。

第二节 审批

第四条 依照本办法第三条规定作出的许可，有效期不超过一年。
第三条规定的条件发生变化的，应当重新申请。

第三章 附则

第五条 本办法自2025年1月1日起施行。
"""


def test_chapters_sections_articles_and_inserted_article():
    doc = parse(REGULATION)
    assert [(c.chapter_no, c.title) for c in doc.chapters] == [(1, "总则"), (2, "许可"), (3, "附则")]
    assert [(s.chapter_no, s.section_no, s.title) for s in doc.sections] == [(2, 1, "申请"), (2, 2, "审批")]
    assert [a.label for a in doc.articles] == ["第一条", "第二条", "第二条之一", "第三条", "第四条", "第五条"]
    inserted = doc.articles[2]
    assert (inserted.article_no, inserted.sub_no, inserted.article_id.rsplit("/", 1)[1]) == (2, 1, "art_2-1")
    assert [a.section_no for a in doc.articles] == [None, None, None, 1, 2, None]


def test_paragraphs_items_and_subitems():
    doc = parse(REGULATION)
    art3 = next(a for a in doc.articles if a.article_no == 3)
    clauses = [c for c in doc.clauses if c.article_id == art3.article_id]
    kinds = [(c.kind, c.number) for c in clauses]
    assert kinds == [("paragraph", 1), ("item", 1), ("item", 2), ("subitem", 1), ("subitem", 2), ("paragraph", 2)]
    item2 = clauses[2]
    assert [c.parent_id for c in clauses if c.kind == "subitem"] == [item2.clause_id] * 2
    assert clauses[0].text.startswith("申请河道采砂许可") and "（二）" in clauses[0].text
    for clause in clauses:  # offsets point into the document text
        assert doc.text[clause.start : clause.end].startswith(clause.text.split("\n")[0])


def test_cross_reference_at_line_start_is_not_an_article():
    """`第三条规定的条件…` at the start of a line is a 款 of 第四条, not a new article."""
    doc = parse(REGULATION)
    art4 = next(a for a in doc.articles if a.article_no == 4)
    assert "第三条规定的条件发生变化" in art4.text
    assert len(doc.articles) == 6


def test_page_break_inside_article_does_not_create_or_lose_articles():
    text = REGULATION.replace("申请河道采砂许可，应当具备", "申请河道采砂\n\n许可，应当具备")
    doc = parse(text)
    assert len(doc.articles) == 6
    assert "申请河道采砂许可，应当具备" in next(a for a in doc.articles if a.article_no == 3).text


def test_chapter_mention_in_running_text_is_not_a_chapter():
    text = """某市人民政府关于调整规划的通知
某政发〔2023〕7号
各县人民政府：
一、在《规划纲要》第三章中增加内容。
第三章“打造生态体系”中，整体增加以下内容。
二、本通知自印发之日起施行。
某市人民政府
2023年5月6日
"""
    doc = parse(text)
    assert doc.chapters == []
    assert [c.label for c in doc.clauses if c.kind == "point"] == ["一、", "二、"]
    assert doc.doc_number == "某政发〔2023〕7号"
    assert doc.signed_on.isoformat() == "2023-05-06"
    assert doc.recipients == "各县人民政府"


def test_articles_run_together_on_one_line_are_split():
    text = "某某条例\n\n第一条 为了规范管理，制定本条例。 第二条 本条例适用于全省。 第三条 本条例自公布之日起施行。\n"
    doc = parse(text)
    assert [a.article_no for a in doc.articles] == [1, 2, 3]
    assert doc.articles[1].text == "第二条 本条例适用于全省。"


def test_arabic_article_numbers_and_old_style_chinese_dates():
    text = "某县人民政府关于印发某办法的通知\n某政发〔2009〕3号\n各乡镇人民政府：\n现将《某办法》印发给你们。\n某县人民政府\n二〇〇九年三月十二日\n某办法\n第1条 为了管理。\n第2条 自印发之日起施行。\n"
    doc = parse(text)
    assert [a.article_no for a in doc.articles] == [1, 2]
    assert doc.signed_on.isoformat() == "2009-03-12" and doc.signed_on_precision == "day"
    assert doc.instrument_title == "某办法"


def test_unstructured_text_becomes_one_document_with_a_warning():
    issue = pages_to_issue(
        text_to_pages("这是一段没有任何公文结构的文字，\n只是随便写的。\n"),
        SourceInfo(path="notes.txt", sha256="0", kind="txt"),
    )
    assert len(issue.documents) == 1 and issue.documents[0].articles == []
    assert issue.documents[0].title is None
    assert issue.documents[0].text.startswith("这是一段")
    assert any("no gazette or document structure" in w for w in issue.warnings)


def test_a_list_that_restarts_gets_unique_clause_ids():
    text = "某某条例\n\n第一条 下列物品：\n1.甲；\n2.乙；\n1.丙；\n2.丁。\n第二条 本条例自公布之日起施行。\n附表\n1.甲\n"
    doc = parse(text)
    ids = [c.clause_id for c in doc.clauses]
    assert len(ids) == len(set(ids))
    assert [c.clause_id.rsplit("/", 1)[1] for c in doc.clauses if c.kind == "subitem"] == ["sub_1", "sub_2", "sub_1~2", "sub_2~2"]
    # 附表 after the last article is not part of it
    assert doc.articles[-1].text == "第二条 本条例自公布之日起施行。"
