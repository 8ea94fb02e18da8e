"""Date roles, subject_doc and effective_on (issue 15): one test per construction."""

from __future__ import annotations

from datetime import date

from extractors import dates, extract_document
from schemas import Document


def doc(text: str, **kw) -> Document:
    return Document(doc_id="t/d01", issue_id="t", seq=1, text=text, **kw)


def roles(text: str) -> list[tuple[date, str | None, str | None]]:
    return [(r.value, r.role, r.subject_doc) for r in dates.extract(doc(text))]


def test_effective_without_qi():
    text = "某某条例\n第三十条 本条例自2021年7月1日施行。"
    assert roles(text) == [(date(2021, 7, 1), "effective", None)]
    assert extract_document(doc(text)).effective_on == date(2021, 7, 1)


def test_effective_at_zero_hour_and_by_year():
    assert roles("本规则自2001年8月1日零时起施行。") == [(date(2001, 8, 1), "effective", None)]
    got = dates.extract(doc("第十条 本条例自1985年度起施行。"))
    assert [(r.value, r.precision, r.role) for r in got] == [(date(1985, 1, 1), "year", "effective")]


def test_header_of_a_regulation_promulgated_and_in_force():
    text = ("某某条例\n2009年9月7日 国务院第80次常务会议通过2009年9月14日 中华人民共和国国务院令第562号公布"
            "2010年1月1日 施行\n第一条 为了加强管理，制定本条例。")
    assert roles(text) == [
        (date(2009, 9, 7), "meeting", None),
        (date(2009, 9, 14), "published", None),
        (date(2010, 1, 1), "effective", None),
    ]
    assert extract_document(doc(text)).effective_on == date(2010, 1, 1)


def test_announcement_published_then_effective():
    text = "（2015年9月25日某省第十二届人民代表大会常务委员会第十九次会议通过　某省人民代表大会常务委员会公告公布2015年11月1日施行）"
    assert roles(text) == [(date(2015, 9, 25), "meeting", None), (date(2015, 11, 1), "effective", None)]


def test_in_force_on_publication_takes_the_promulgation_date():
    text = "某某实施细则\n2017年11月22日 中华人民共和国国务院令第692号\n第一条 根据某法，制定本细则。\n第二十六条 本细则自公布之日起施行。"
    assert roles(text)[0] == (date(2017, 11, 22), "published", None)
    assert extract_document(doc(text)).effective_on == date(2017, 11, 22)
    from_issue = "某某规定\n1990年11月22日 中华人民共和国国务院令第66号发布\n第三十条 本规定从发布之日起施行。"
    assert extract_document(doc(from_issue)).effective_on == date(1990, 11, 22)


def test_published_by_a_ministry_after_state_council_approval():
    text = "某某办法\n1966年3月15日 国务院批准1966年4月19日 交通部发布\n第十八条 本办法经国务院批准，由交通部发布施行。"
    assert roles(text) == [(date(1966, 3, 15), "approved", None), (date(1966, 4, 19), "published", None)]
    assert extract_document(doc(text, signed_on=date(1966, 3, 15))).effective_on == date(1966, 4, 19)


def test_in_force_on_approval():
    text = "某某规定\n1980年5月9日 国务院批准\n本规定自国务院批准之日起施行。"
    assert extract_document(doc(text)).effective_on == date(1980, 5, 9)


def test_in_force_on_publication_without_a_date_is_a_warning_not_a_guess():
    d = extract_document(doc("某某条例\n第一条 为了管理，制定本条例。\n第三十九条 本条例自发布之日起施行。"))
    assert d.effective_on is None
    assert any("takes effect on publication" in w for w in d.warnings)


def test_repealed_regulations_passing_meeting_belongs_to_it():
    text = ("第六十条 本条例自2016年1月1日起施行。2002年8月30日某省第九届人民代表大会常务委员会第三十一次会议通过的"
            "《某省湖泊保护条例》同时废止。")
    assert roles(text) == [
        (date(2016, 1, 1), "effective", None),
        (date(2002, 8, 30), "meeting", "某省湖泊保护条例"),
    ]
    assert extract_document(doc(text)).effective_on == date(2016, 1, 1)


def test_repealed_regulations_issue_and_effective_dates_are_not_this_documents():
    text = "第十七条 本条例自发布之日起施行。1980年7月5日公布施行的《人民警察使用武器和警械的规定》同时废止。"
    assert roles(text) == [(date(1980, 7, 5), "issued", "人民警察使用武器和警械的规定")]
    assert extract_document(doc(text)).effective_on is None


def test_amendment_history_dates_belong_to_the_amending_decision_or_order():
    text = ("1994年1月28日 中华人民共和国国务院令第142号发布2011年7月19日 "
            "《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第三次修订"
            "2018年12月18日 中华人民共和国国务院令第707号第四次修订2019年1月1日 施行")
    assert roles(text) == [
        (date(1994, 1, 28), "published", None),
        (date(2011, 7, 19), "amended", "国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定"),
        (date(2018, 12, 18), "amended", "中华人民共和国国务院令第707号"),
        (date(2019, 1, 1), "effective", None),
    ]


def test_local_amendment_note_meeting_belongs_to_the_decision():
    text = ("（2010年7月30日某省第十一届人民代表大会常务委员会第十六次会议通过　根据2021年5月27日某省第十三届"
            "人民代表大会常务委员会第二十三次会议《关于修改〈某省湖泊保护条例〉等十二件地方性法规的决定》第二次修正）")
    assert roles(text) == [
        (date(2010, 7, 30), "meeting", None),
        (date(2021, 5, 27), "meeting", "关于修改〈某省湖泊保护条例〉等十二件地方性法规的决定"),
    ]


def test_own_statement_wins_over_later_dates_for_some_addressees():
    text = ("第九条 本规定自1995年5月1日起施行。1995年5月1日施行有困难的企业、事业单位，可以适当延期；"
            "但是，事业单位最迟应当自1996年1月1日起施行，企业最迟应当自1997年5月1日起施行。")
    assert extract_document(doc(text)).effective_on == date(1995, 5, 1)


def test_old_typeset_zero_in_chinese_numerals():
    assert roles("第三十七条 本条例自一九九○年八月一日起施行。") == [(date(1990, 8, 1), "effective", None)]


def test_deadline_before_a_date_is_not_an_approval():
    assert roles("1993年12月31日前已批准设立的外商投资企业") == [(date(1993, 12, 31), None, None)]


def test_every_regulation_that_says_when_it_takes_effect_gets_effective_on_or_a_warning():
    """Over the national regulations corpus (skipped when absent): a regulation that says
    when it takes effect (自…施行, 题注 …施行, 自发布之日起施行, 自批准之日起施行) has an effective_on,
    or a warning that its text gives no date to anchor the statement."""
    import pytest
    import regex

    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of
    from tests.conftest import REGULATIONS

    if not REGULATIONS.is_dir():
        pytest.skip(f"regulations corpus not found at {REGULATIONS}")
    says_when = regex.compile(r"(?:自(?!治)|从)[^。；，、\n]{0,20}?(?:起?(?:施行|生效)|起(?:实施|执行))|\d日\s*施行|(?:发布|公布)施行")
    missing, warned = [], 0
    for path in sorted(REGULATIONS.glob("*.txt")):
        document = source_to_issue(source_of(path)).documents[0]
        if not says_when.search(document.text):
            continue
        update = dates.enrich(document, {dates.KIND: dates.extract(document)})
        if update.get("effective_on") is None:
            if any("takes effect" in w for w in update.get("warnings", [])):
                warned += 1
            else:
                missing.append(path.name)
    assert missing == []
    assert warned <= 5  # each: 自发布之日起施行 in a text with no publication date


def test_in_force_on_publication_of_a_version_promulgated_by_a_new_order():
    """A revision promulgated by an order is a new publication of the text (外汇管理条例 2008:
    …令第532号公布; 食盐专营办法 2017: …令第696号修订); one made by an amending decision is not."""
    by_order = ("某某条例\n1996年1月29日 中华人民共和国国务院令第193号发布\n"
                "2008年8月5日 中华人民共和国国务院令第532号公布\n第五十四条 本条例自公布之日起施行。")
    assert extract_document(doc(by_order)).effective_on == date(2008, 8, 5)
    revised = ("某某办法\n1996年5月27日 中华人民共和国国务院令第197号发布\n"
               "2013年12月7日 《国务院关于修改部分行政法规的决定》修订\n"
               "2017年12月26日 中华人民共和国国务院令第696号修订\n第三十三条 本办法自公布之日起施行。")
    assert extract_document(doc(revised)).effective_on == date(2017, 12, 26)
    by_decision = ("某某办法\n1996年5月27日 中华人民共和国国务院令第197号发布\n"
                   "2013年12月7日 《国务院关于修改部分行政法规的决定》修订\n第三十三条 本办法自公布之日起施行。")
    assert extract_document(doc(by_decision)).effective_on == date(1996, 5, 27)


def test_a_role_is_read_from_its_own_event_not_the_next_ones():
    """题注 events run together on one line: 国务院批准修订 is no publication, though the next
    event (1986年3月1日 交通部发布) is; each date takes the verb before the next date."""
    text = "某某规定\n1983年4月20日 交通部发布1986年2月6日 国务院批准修订1986年3月1日 交通部发布\n第二十条 本规定自发布之日起施行。"
    got = roles(text)
    assert [(value, role) for value, role, _ in got] == [
        (date(1983, 4, 20), "published"), (date(1986, 2, 6), None), (date(1986, 3, 1), "published")]
    assert extract_document(doc(text)).effective_on == date(1986, 3, 1)
