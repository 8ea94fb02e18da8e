"""Reference relations by the grammar of the sentence (issue 15): one test per
construction, and the score on the hand-made gold file of corpus sentences
(tests/fixtures/gold/references.jsonl, labelled by reading, see its README)."""

from __future__ import annotations

from benchmarks.reference_quality import amending_decisions_mislabelled, read_gold, score_rows
from extractors import references
from schemas import Document


def relations(text: str, **kw) -> list[tuple[str | None, str | None, str]]:
    document = Document(doc_id="t/d01", issue_id="t", seq=1, text=text, **kw)
    return [(r.cited_title, r.cited_number, r.relation) for r in references.extract(document)]


def test_amendment_history_note_of_a_local_regulation_is_amended_by():
    text = ("江苏省湖泊保护条例\n（2004年8月20日江苏省第十届人民代表大会常务委员会第十一次会议通过　"
            "根据2021年5月27日江苏省第十三届人民代表大会常务委员会第二十三次会议"
            "《关于修改〈江苏省湖泊保护条例〉等十二件地方性法规的决定》第二次修正）")
    assert relations(text) == [("关于修改〈江苏省湖泊保护条例〉等十二件地方性法规的决定", None, "amended_by")]


def test_amendment_history_by_decision_and_by_order_number_is_amended_by():
    text = ("1994年1月28日 中华人民共和国国务院令第142号发布2011年7月19日 "
            "《国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定》第三次修订"
            "2018年12月18日 中华人民共和国国务院令第707号第四次修订2019年1月1日 施行")
    got = relations(text, doc_number="中华人民共和国国务院令第142号")
    assert got == [
        ("国务院关于修改〈中华人民共和国个人所得税法实施条例〉的决定", None, "amended_by"),
        (None, "中华人民共和国国务院令第707号", "amended_by"),
    ]


def test_amending_decision_outside_a_history_note_is_never_amends_or_repeals():
    """关于修改和废止…的决定 holds the words 修改 and 废止 but is cited, not amended or repealed."""
    text = "依照《国务院关于修改和废止部分行政法规的决定》第五条，相关条款同时废止。"
    assert relations(text) == [("国务院关于修改和废止部分行政法规的决定", None, "cites")]


def test_simultaneous_repeal_reaches_every_item_of_a_list_across_commas():
    text = ("1980年7月26日国务院发布的《中外合资经营企业登记管理办法》，1982年8月9日国务院发布的《工商企业登记管理条例》，"
            "1985年8月14日国务院批准、1985年8月25日原国家工商行政管理局发布的《公司登记管理暂行规定》同时废止。")
    assert [r for _, _, r in relations(text)] == ["repeals", "repeals", "repeals"]


def test_simultaneous_repeal_spares_a_title_inside_the_repealed_items_modifier():
    text = "本办法自2025年1月1日起施行。依照《江苏省安全生产条例》制定的《南京市安全生产暂行办法》同时废止。"
    assert relations(text) == [("江苏省安全生产条例", None, "cites"), ("南京市安全生产暂行办法", None, "repeals")]


def test_simultaneous_repeal_spares_a_basis_in_the_same_sentence():
    text = "根据《中华人民共和国行政许可法》，本规定自公布之日起施行，《某市行政许可暂行规定》同时废止。"
    assert relations(text) == [("中华人民共和国行政许可法", None, "cites"), ("某市行政许可暂行规定", None, "repeals")]


def test_repeal_verb_before_a_list_of_titles():
    text = "市政府决定废止《某市甲办法》、《某市乙办法》，依照《某市丙条例》办理。"
    assert relations(text) == [("某市甲办法", None, "repeals"), ("某市乙办法", None, "repeals"), ("某市丙条例", None, "cites")]


def test_cross_reference_handled_or_punished_under_another_law_is_cites():
    text = ("构成违反治安管理行为的，依照《中华人民共和国治安管理处罚法》的有关规定处理；"
            "未经许可的，按照《中华人民共和国港口法》的规定处罚。")
    assert [r for _, _, r in relations(text)] == ["cites", "cites"]


def test_legal_basis_after_a_comma_is_implements():
    text = ("第一条 为了保护湖泊，根据宪法和《中华人民共和国立法法》《中华人民共和国水法》，"
            "以及《全国人民代表大会常务委员会关于加强湖泊保护的决定》，结合本市实际，制定本条例。")
    assert [r for _, _, r in relations(text)] == ["implements", "implements", "implements"]


def test_treaty_duties_before_the_basis_are_cites():
    text = ("第一条 为了履行《保护臭氧层维也纳公约》和《关于消耗臭氧层物质的蒙特利尔议定书》规定的义务，"
            "根据《中华人民共和国大气污染防治法》，制定本条例。")
    assert [r for _, _, r in relations(text)] == ["cites", "cites", "implements"]


def test_basis_with_the_spirit_of_a_policy_is_implements():
    text = "按照《某省促进科技创新若干措施》（某政发〔2022〕22号）精神，对新建实验室给予10万元支持。"
    assert relations(text) == [("某省促进科技创新若干措施", "某政发〔2022〕22号", "implements")]


def test_gold_relations_at_least_97_percent():
    score = score_rows(read_gold())
    assert score.total >= 100
    assert score.accuracy >= 0.97, "\n".join(score.mistakes)


def test_no_gold_citation_of_an_amending_decision_is_amends_or_repeals():
    rows = read_gold()
    decisions = [row for row in rows if "关于修改" in row["cited"] or "关于废止和修改" in row["cited"]]
    assert len(decisions) >= 30
    for sentence in {row["sentence"] for row in decisions}:
        records = references.extract(Document(doc_id="g", issue_id="g", seq=1, text=sentence))
        assert amending_decisions_mislabelled(records) == [], sentence


def test_order_promulgating_a_revised_text_is_not_a_citation():
    text = ("1995年3月1日 中华人民共和国国务院令第76号发布2018年9月6日 国务院第23次常务会议修订通过"
            "2018年11月6日 中华人民共和国国务院令第706号公布2019年3月1日 施行")
    assert relations(text, doc_number="中华人民共和国国务院令第76号") == []


def test_amends_only_right_before_its_object():
    assert relations("关于修改《某市养犬管理条例》的决定") == [("某市养犬管理条例", None, "amends")]
    assert relations("按照修订后的要求，对照《某市养犬管理条例》检查。") == [("某市养犬管理条例", None, "cites")]


def test_basis_of_a_regulation_that_lays_down_the_following_rules_is_implements():
    text = "根据《中华人民共和国国旗法》的有关规定，自1997年7月1日起，在香港特别行政区同时升挂国旗和区旗时，按照下列规定执行："
    assert relations(text) == [("中华人民共和国国旗法", None, "implements")]
