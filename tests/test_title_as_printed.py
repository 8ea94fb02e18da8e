"""documents.title is the title as printed; title_key the same title normalised like the text."""

from __future__ import annotations

from pipeline.parse.segment import SourceInfo, pages_to_issue
from pipeline.read.text import text_to_pages


def test_sample_title_keeps_half_width_brackets(sample_issue):
    # Printed in the sample as …议事规则(试行)的通知 (half-width brackets).
    document = next(d for d in sample_issue.documents if d.doc_number == "忻政发〔2024〕14号")
    assert document.title == "忻州市人民政府关于印发忻州市人民政府“三重一大”议事规则(试行)的通知"
    assert document.title_key == "忻州市人民政府关于印发忻州市人民政府“三重一大”议事规则（试行）的通知"
    assert "（试行）" in document.text  # the text itself stays normalised for the extractors


def test_single_regulation_title_as_printed():
    text = "示范管理办法(试行)\n\n第一条 为了规范示范管理,制定本办法。\n\n第二条 本办法自2025年1月1日起施行。\n"
    issue = pages_to_issue(text_to_pages(text), SourceInfo(path="t.txt", sha256="0" * 64, kind="txt"))
    assert (issue.documents[0].title, issue.documents[0].title_key) == ("示范管理办法(试行)", "示范管理办法（试行）")


def test_form_blank_date_is_not_part_of_the_next_title():
    """An attached form ends with its blank 年 月 日 (to be filled in); the next
    document's title follows.  The blank date is no title line, though it is
    short, Han and unpunctuated like one."""
    text = (
        "某市人民政府办公室关于印发某某申报办法的通知\n\n某政办发〔2024〕3号\n\n各县人民政府:\n\n"
        "现将《某某申报办法》印发给你们,请认真贯彻执行。\n\n某市人民政府办公室\n\n2024年5月6日\n\n"
        "附件\n\n申报表\n\n申报单位(盖章):\n\n年 月 日\n\n"
        "某市人民政府关于某某工作的通知\n\n某政发〔2024〕9号\n\n各县人民政府:\n\n现就某某工作通知如下。\n\n"
        "某市人民政府\n\n2024年6月1日\n"
    )
    issue = pages_to_issue(text_to_pages(text), SourceInfo(path="t.txt", sha256="0" * 64, kind="txt"))
    assert [(d.doc_number, d.title, d.issuer) for d in issue.documents] == [
        ("某政办发〔2024〕3号", "某市人民政府办公室关于印发某某申报办法的通知", "某市人民政府办公室"),
        ("某政发〔2024〕9号", "某市人民政府关于某某工作的通知", "某市人民政府"),
    ]
