"""The structural self-check (pipeline/parse/selfcheck.py) on small hand-written
inputs: each check fires on the damage it is for, and not on clean text."""

from __future__ import annotations

import pytest

from pipeline.parse.segment import SourceInfo, pages_to_issue
from pipeline.read.text import text_to_pages
from tests.conftest import REGULATIONS

REGULATION = """示范管理条例

第一章 总则

第一条 为了规范示范管理,制定本条例。

第二条 本条例适用于本省行政区域内的示范管理活动。

第二章 管理

第三条 县级以上人民政府负责示范管理工作。

第四条 有关部门按照职责分工做好相关工作。

第三章 法律责任

第五条 违反本条例规定的,由有关部门责令改正。

第四章 附则

第六条 本条例自2025年1月1日起施行。
"""


def parse(text: str, name: str = "case.txt"):
    return pages_to_issue(text_to_pages(text), SourceInfo(path=name, sha256="0" * 64, kind="txt"))


def checks(issue, severity: str | None = None) -> list[str]:
    return [f.check for f in issue.findings if severity is None or f.severity == severity]


def test_clean_regulation_has_no_error_or_warning():
    issue = parse(REGULATION)
    assert [(c.chapter_no, len([a for a in issue.documents[0].articles if a.chapter_no == c.chapter_no]))
            for c in issue.documents[0].chapters] == [(1, 2), (2, 2), (3, 1), (4, 1)]
    assert checks(issue, "error") == [] and checks(issue, "warning") == []
    # A regulation printed without its promulgating order has no 发文字号: info, not an error.
    assert {f.detail for f in issue.findings} == {"no number (发文字号) found", "no issuer (发文机关) found", "no date (成文日期) found"}


def test_lost_first_chapter_heading_keeps_the_later_chapters():
    issue = parse(REGULATION.replace("第一章 总则\n", ""))
    document = issue.documents[0]
    assert [c.chapter_no for c in document.chapters] == [2, 3, 4]
    assert [a.chapter_no for a in document.articles] == [None, None, 2, 2, 3, 4]
    [finding] = [f for f in issue.findings if f.severity == "error"]
    assert (finding.check, finding.detail) == ("chapter_sequence", "chapters jump from the start to 2: heading of chapter 1 missing")


def test_lost_middle_chapter_heading_is_a_gap():
    issue = parse(REGULATION.replace("第三章 法律责任\n", ""))
    assert [c.chapter_no for c in issue.documents[0].chapters] == [1, 2, 4]
    assert checks(issue, "error") == ["chapter_sequence"]


@pytest.mark.skipif(not REGULATIONS.is_dir(), reason=f"regulations corpus not found at {REGULATIONS}")
def test_corpus_regulation_without_its_first_chapter_heading():
    path = REGULATIONS / "不动产登记暂行条例(2019-03-24).txt"
    if not path.exists():
        pytest.skip("file not in this corpus")
    text = path.read_text(encoding="utf-8")
    whole = parse(text).documents[0]
    lines = text.split("\n")
    [first] = [i for i, line in enumerate(lines) if line.strip().startswith("第一章")]
    issue = parse("\n".join(lines[:first] + lines[first + 1 :]))
    damaged = issue.documents[0]
    assert [c.chapter_no for c in damaged.chapters] == [c.chapter_no for c in whole.chapters][1:]
    assert len(damaged.articles) == len(whole.articles)
    assert [f.check for f in issue.findings if f.severity == "error"] == ["chapter_sequence"]


def test_lost_article_heading_is_a_gap():
    issue = parse(REGULATION.replace("第三条 县级以上人民政府负责示范管理工作。\n", ""))
    assert checks(issue, "error") == ["article_sequence"]
    [finding] = [f for f in issue.findings if f.severity == "error"]
    assert finding.detail.startswith("articles jump from 2 to 4: article 3 missing")


def test_inserted_article_is_no_gap():
    issue = parse(REGULATION.replace("第四条 有关部门", "第三条之一 各乡镇协助做好工作。\n\n第四条 有关部门"))
    assert [a.label for a in issue.documents[0].articles][2:5] == ["第三条", "第三条之一", "第四条"]
    assert checks(issue, "error") == []


def test_repeated_article_heading_bleeds_into_the_article_before():
    issue = parse(REGULATION.replace("第四条 有关部门", "第三条 重复的条文。\n\n第四条 有关部门"))
    assert checks(issue, "error") == ["article_bleed"]


def test_two_regulations_glued_together():
    issue = parse(REGULATION + "\n" + REGULATION.split("\n", 1)[1])
    assert "article_bleed" in checks(issue, "error")


def test_lost_last_page_of_a_regulation_is_warned():
    issue = parse(REGULATION.replace("第六条 本条例自2025年1月1日起施行。\n", ""))
    assert checks(issue, "warning") == ["instrument_end"]



def test_lost_last_chapter_heading_is_warned():
    """No gap in the numbering: 第六条 (施行) reads as part of 第三章 法律责任, not of a 附则."""
    issue = parse(REGULATION.replace("第四章 附则\n", ""))
    document = issue.documents[0]
    assert [c.chapter_no for c in document.chapters] == [1, 2, 3]
    assert [a.chapter_no for a in document.articles][-2:] == [3, 3]
    assert checks(issue, "error") == [] and checks(issue, "warning") == ["supplementary_chapter"]
    [finding] = issue.findings[-1:]
    assert finding.detail.startswith("第六条, which says when the instrument takes effect, is in 第三章 法律责任")


def test_in_force_article_outside_chapters_is_not_this_check():
    """Without chapters (a short regulation), the 施行 article belongs to no chapter: nothing to say."""
    text = "示范办法\n\n第一条 为了规范示范工作,制定本办法。\n\n第二条 本办法自2025年1月1日起施行。\n"
    assert "supplementary_chapter" not in checks(parse(text))


GAZETTE = """示范市人民政府公报
2025年第1期
目 录
示范市人民政府关于甲事项的通知
示范政发〔2025〕1号……………… (1)
示范市人民政府关于乙事项的通知
示范政发〔2025〕2号……………… (2)
示范市人民政府关于甲事项的通知
示范政发〔2025〕1号
各县人民政府:
甲事项按规定办理。
示范市人民政府
2025年1月2日
示范市人民政府关于丙事项的通知
示范政发〔2025〕3号
各县人民政府:
丙事项按规定办理。
示范市人民政府
2025年1月9日
"""


def test_toc_entry_without_document_and_document_without_entry():
    issue = parse(GAZETTE)
    assert [d.doc_number for d in issue.documents] == ["示范政发〔2025〕1号", "示范政发〔2025〕3号"]
    toc = [f.detail for f in issue.findings if f.check == "toc_match"]
    assert toc == ["目录 entry 示范政发〔2025〕2号 (p. 2) has no document in the body", "document 示范政发〔2025〕3号 is not in the 目录"]


def test_body_lines_before_the_first_document_are_reported():
    issue = parse(GAZETTE.replace("示范市人民政府关于甲事项的通知\n示范政发〔2025〕1号\n各县", "一段不属于任何文件的文字。\n示范市人民政府关于甲事项的通知\n示范政发〔2025〕1号\n各县"))
    assert "stray_lines" in checks(issue, "error")


EDITORIAL = "《示范市人民政府公报》编委会\n主任：张三\n编辑：李四\n"
SECOND_DOCUMENT = "示范市人民政府关于丙事项的通知\n示范政发〔2025〕3号"


def test_editorial_page_between_documents_ends_the_first_and_keeps_the_second():
    """A 编委会 page once ended the body: every document after it was dropped without a word."""
    issue = parse(GAZETTE.replace(SECOND_DOCUMENT, EDITORIAL + SECOND_DOCUMENT))
    assert [d.doc_number for d in issue.documents] == ["示范政发〔2025〕1号", "示范政发〔2025〕3号"]
    assert "编委会" not in issue.documents[0].text and "主任" not in issue.documents[0].text
    [finding] = [f for f in issue.findings if f.check == "inner_editorial"]
    assert finding.severity == "warning" and "编委会" in finding.detail


def test_editorial_page_before_the_first_document_is_neither_stray_nor_an_end():
    issue = parse(GAZETTE.replace("各县人民政府:\n甲事项", "各县人民政府:\n甲事项", 1).replace(
        "示范政发〔2025〕2号……………… (2)\n", "示范政发〔2025〕2号……………… (2)\n" + EDITORIAL, 1))
    assert [d.doc_number for d in issue.documents] == ["示范政发〔2025〕1号", "示范政发〔2025〕3号"]
    assert {"stray_lines", "inner_editorial"}.isdisjoint(checks(issue))


def test_editorial_back_matter_after_the_last_document_is_not_reported():
    issue = parse(GAZETTE + EDITORIAL + "《示范市人民政府公报》简介\n本刊由示范市人民政府办公室主办。\n")
    assert "主任" not in issue.documents[-1].text
    assert {"stray_lines", "inner_editorial"}.isdisjoint(checks(issue))


def test_a_page_the_reader_was_unsure_of_becomes_a_reading_order_finding():
    """Page.warnings (pipeline.read.layout.region_warnings) used to stop on the Issue's JSON."""
    pages = text_to_pages(GAZETTE)
    pages[-1].warnings = ["columns uncertain between y=100 and y=300: 50% of the lines sit beside the other side's"]
    issue = pages_to_issue(pages, SourceInfo(path="case.pdf", sha256="0" * 64, kind="pdf"))
    [finding] = [f for f in issue.findings if f.check == "reading_order"]
    assert (finding.severity, finding.page) == ("warning", pages[-1].number)
    assert finding.detail.startswith("columns uncertain between y=100")
    assert "reading_order" not in checks(parse(GAZETTE))
