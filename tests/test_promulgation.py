"""A regulation's number and signing date come from its 题注: of the orders that promulgated a
version of it, the latest (a full revision is promulgated by a new order), and not an order
cited by the title of an amending decision."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pipeline.ingest import source_to_issue
from pipeline.read.sources import source_of

ARTICLES = "\n第一条 为了加强管理，制定本条例。\n第二条 本条例自2019年3月1日起施行。\n"


def _regulation(tmp_path: Path, headnote: str):
    path = tmp_path / "reg.txt"
    path.write_text("某某管理条例\n" + headnote + ARTICLES, encoding="utf-8")
    [document] = source_to_issue(source_of(path)).documents
    return document


def test_a_revision_promulgated_by_a_new_order_gives_the_number_and_date(tmp_path: Path) -> None:
    document = _regulation(tmp_path, (
        "1991年3月4日 中华人民共和国国务院令第76号发布\n"
        "2018年9月6日 国务院第23次常务会议修订通过\n"
        "2018年11月6日 中华人民共和国国务院令第706号公布\n"
        "2019年3月1日 施行"))
    assert document.doc_number == "中华人民共和国国务院令第706号"
    assert document.signed_on == date(2018, 11, 6)  # the order's date, not the meeting's


def test_a_numbered_revision_counts_as_a_promulgation(tmp_path: Path) -> None:
    document = _regulation(tmp_path, (
        "1994年1月28日 中华人民共和国国务院令第142号发布\n"
        "2011年7月19日 《国务院关于修改〈某某管理条例〉的决定》第三次修订\n"
        "2018年12月18日 中华人民共和国国务院令第707号第四次修订"))
    assert (document.doc_number, document.signed_on) == ("中华人民共和国国务院令第707号", date(2018, 12, 18))


def test_an_order_cited_by_an_amending_decision_is_not_the_regulations(tmp_path: Path) -> None:
    """根据《…决定》（国务院令第666号）修订: the decision's number, in brackets after its title."""
    document = _regulation(tmp_path, (
        "（2014年11月24日 中华人民共和国国务院令第656号公布　根据2016年2月6日《国务院关于修改部分行政法规的决定》"
        "（中华人民共和国国务院令第666号）修订）"))
    assert (document.doc_number, document.signed_on) == ("中华人民共和国国务院令第656号", date(2014, 11, 24))


def test_without_an_order_the_first_promulgation_date_is_the_signing_date(tmp_path: Path) -> None:
    document = _regulation(tmp_path, "1966年3月15日 国务院批准\n1966年4月19日 交通部发布")
    assert document.doc_number is None
    assert document.signed_on == date(1966, 3, 15)  # as before: the first dated event of the 题注
