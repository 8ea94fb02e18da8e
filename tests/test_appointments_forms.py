"""The appointments extractor on hand-written texts in forms the sample does
not have (all written for these tests; names and posts are invented):
the State Council's 国务院任免国家工作人员 press notices, 聘任/解聘, 同意X辞去Y职务,
决定： lists with inline verbs, X为Y，免去其Z职务, X的A、B职务, （女）, nested
brackets, （兼）, layouts that cut items, and text that appoints nobody."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.appointments import extract
from schemas import Document


def doc(text: str) -> Document:
    return Document(doc_id="test/d01", issue_id="test", seq=1, text=text)


def rows(text: str, *fields: str) -> list[tuple]:
    fields = fields or ("person", "action", "post")
    return [tuple(getattr(r, f) for f in fields) for r in extract(doc(text))]


STATE_COUNCIL = """国务院任免国家工作人员
新华社北京3月15日电 国务院任免国家工作人员。
任命张明远为教育部副部长；任命李红（女）为国家统计局副局长；任命欧阳建国为中华人民共和国驻某国特命全权大使。
免去王强的科学技术部副部长职务；免去赵丽（女）的国家统计局副局长职务；免去陈刚的中华人民共和国驻某国特命全权大使职务。"""


def test_state_council_press_notice():
    assert rows(STATE_COUNCIL, "person", "gender", "action", "post", "organization", "title") == [
        ("张明远", None, "appoint", "教育部副部长", "教育部", "副部长"),
        ("李红", "female", "appoint", "国家统计局副局长", "国家统计局", "副局长"),
        ("欧阳建国", None, "appoint", "中华人民共和国驻某国特命全权大使", "中华人民共和国驻某国", "特命全权大使"),
        ("王强", None, "remove", "科学技术部副部长", "科学技术部", "副部长"),
        ("赵丽", "female", "remove", "国家统计局副局长", "国家统计局", "副局长"),
        ("陈刚", None, "remove", "中华人民共和国驻某国特命全权大使", "中华人民共和国驻某国", "特命全权大使"),
    ]
    assert {r.decided_by for r in extract(doc(STATE_COUNCIL))} == {"国务院"}


def test_state_council_run_together_on_one_line():
    """Press text often runs appointments and removals into one sentence."""
    text = "国务院任免国家工作人员。任命周海为水利部副部长，免去吴江的水利部副部长职务；任命郑平为国家林业和草原局局长。"
    assert rows(text) == [
        ("周海", "appoint", "水利部副部长"),
        ("吴江", "remove", "水利部副部长"),
        ("郑平", "appoint", "国家林业和草原局局长"),
    ]


def test_hire_and_dismiss_lists():
    text = """经市人民政府研究，决定聘任：
周文为市人民政府参事；
吴敏（女）为市人民政府参事。
决定解聘：
郑和平的市人民政府参事职务。"""
    assert rows(text, "person", "gender", "action", "verb", "post") == [
        ("周文", None, "appoint", "聘任", "市人民政府参事"),
        ("吴敏", "female", "appoint", "聘任", "市人民政府参事"),
        ("郑和平", None, "remove", "解聘", "市人民政府参事"),
    ]
    assert {r.decided_by for r in extract(doc(text))} == {"市人民政府"}


def test_resignations():
    text = "经研究，同意李四辞去市审计局局长职务。接受张三辞去市人民政府副市长职务的请求。"
    assert rows(text, "person", "action", "verb", "post") == [
        ("李四", "remove", "辞去", "市审计局局长"),
        ("张三", "remove", "辞去", "市人民政府副市长"),
    ]


def test_decision_list_with_inline_verbs_and_numbers():
    text = """某市人民代表大会常务委员会关于任免职务的决定
（2024年6月28日某市第十六届人民代表大会常务委员会第十九次会议通过）
经2024年6月28日某市第十六届人民代表大会常务委员会第十九次会议审议，决定：
一、任命冯光明为某市财政局局长；
二、任命褚红霞（女，回族）为某市审计局副局长；
三、免去卫东的某市财政局局长职务。"""
    found = extract(doc(text))
    assert [(r.person, r.gender, r.action, r.post) for r in found] == [
        ("冯光明", None, "appoint", "某市财政局局长"),
        ("褚红霞", "female", "appoint", "某市审计局副局长"),
        ("卫东", None, "remove", "某市财政局局长"),
    ]
    assert {(r.decided_by, r.decided_on) for r in found} == {
        ("2024年6月28日某市第十六届人民代表大会常务委员会第十九次会议", date(2024, 6, 28))
    }


def test_appointment_with_removal_of_former_post():
    """X为Y，免去其Z职务: one clause, two records, both for X."""
    text = "市人民政府决定任命：\n赵刚为市教育局局长，免去其市教育局副局长职务；\n钱芳为市教育局副局长，试用期一年。"
    assert rows(text, "person", "action", "post", "probation_months") == [
        ("赵刚", "appoint", "市教育局局长", None),
        ("赵刚", "remove", "市教育局副局长", None),
        ("钱芳", "appoint", "市教育局副局长", 12),
    ]


def test_two_posts_one_person():
    """X的A、B职务 and X的A，B职务: two posts, two records; a bare title after a
    full post shares its organisation (教育部副部长、党组成员)."""
    text = "决定免去：\n钱七的市财政局局长、党组成员职务；\n孙九的市商务局副局长，市口岸服务中心主任职务。"
    assert rows(text, "person", "action", "post", "organization", "title") == [
        ("钱七", "remove", "市财政局局长", "市财政局", "局长"),
        ("钱七", "remove", "市财政局党组成员", "市财政局", "党组成员"),
        ("孙九", "remove", "市商务局副局长", "市商务局", "副局长"),
        ("孙九", "remove", "市口岸服务中心主任", "市口岸服务中心", "主任"),
    ]


def test_several_people_one_post():
    text = "任命韩梅、沈阳为市人民政府参事。"
    assert rows(text) == [("韩梅", "appoint", "市人民政府参事"), ("沈阳", "appoint", "市人民政府参事")]


def test_nested_brackets_concurrent_and_rank():
    text = """决定任命：
孙八为某市检验检测中心（国家某产品质量监督检验中心〈山西〉、省某检验中心）主任（正科级），试用期六个月；
周九为某市国防动员办公室主任（兼）；
吴十为某县看守所所长（副处级），试用期满正式任职，任职时间从二〇二三年七月算起。"""
    found = extract(doc(text))
    assert [(r.person, r.action, r.organization, r.title, r.rank_note, r.concurrent, r.probation_months, r.tenure_from) for r in found] == [
        ("孙八", "appoint", "某市检验检测中心（国家某产品质量监督检验中心〈山西〉、省某检验中心）", "主任", "正科级", False, 6, None),
        ("周九", "appoint", "某市国防动员办公室", "主任", None, True, None, None),
        ("吴十", "confirm", "某县看守所", "所长", "副处级", False, None, date(2023, 7, 1)),
    ]


def test_also_post_is_concurrent():
    text = "任命郑义为市发展和改革委员会主任，兼任市粮食和物资储备局局长。"
    assert rows(text, "person", "post", "concurrent") == [
        ("郑义", "市发展和改革委员会主任", False),
        ("郑义", "市粮食和物资储备局局长", True),
    ]


def test_name_containing_wei_and_jieba_tie_break():
    """王为民为… and 何为民为…: the name holds a 为; 王东为为民服务中心主任: two
    splits give valid names, jieba's word boundary picks 王东 | 为民服务中心主任."""
    assert rows("任命王为民为民政部副部长。") == [("王为民", "appoint", "民政部副部长")]
    assert rows("聘任何为民为市人民政府参事。") == [("何为民", "appoint", "市人民政府参事")]
    assert rows("任命王东为为民服务中心主任。") == [("王东", "appoint", "为民服务中心主任")]


def test_padded_two_character_names():
    """Printed lists pad two-character names to three with a space: 王　兵."""
    assert rows("决定任命：\n王　兵为市统计局副局长；\n李国强为市统计局副局长。") == [
        ("王兵", "appoint", "市统计局副局长"),
        ("李国强", "appoint", "市统计局副局长"),
    ]


def test_cut_item_continues_on_the_next_line():
    """A line or page break inside an item: the next fragment continues it."""
    text = "决定免去：\n冯涛的市财政局副局长，市金融服务中心\n（市金融研究院）主任职务；\n褚明的市审计局副局长职务。"
    assert rows(text) == [
        ("冯涛", "remove", "市财政局副局长"),
        ("冯涛", "remove", "市金融服务中心（市金融研究院）主任"),
        ("褚明", "remove", "市审计局副局长"),
    ]


def test_cut_item_continues_past_a_page_break_element():
    """A signature printed between a cut item and its remainder (a page break) is
    skipped: the fragment after it continues that item, ahead of an earlier
    spare fragment, which goes to the next cut item."""
    text = "决定任命：\n试用期一年。\n张三为某县审计局副局长，\n某县人民政府\n试用期六个月；\n李四为某县统计局副局长，"
    assert rows(text, "person", "probation_months") == [("张三", 6), ("李四", 12)]


def test_two_columns_read_across():
    """Another two-column reading: the signature (某县人民政府) lands before the
    second name, the end of its item (试用期一年。) after the lead-in, the date
    between.  The remainder carries the probation, so the join shows."""
    text = """某县人民政府决定任命： 试用期一年。
蒋华为某县审计局副局长；
某县人民政府沈丽为某县统计局副局长，
2024年5月6日"""
    found = extract(doc(text))
    assert [(r.person, r.post, r.probation_months) for r in found] == [
        ("蒋华", "某县审计局副局长", None),
        ("沈丽", "某县统计局副局长", 12),
    ]
    assert found[1].clause == "某县人民政府沈丽为某县统计局副局长，试用期一年。"


def test_title_line_is_not_a_record():
    """The title names the matter; the body decides it: one record, not two."""
    text = "某市人民政府关于任命张三同志为某市教育局局长的通知\n各县人民政府：\n经研究，决定任命张三同志为某市教育局局长。\n某市人民政府\n2024年3月1日"
    assert rows(text) == [("张三", "appoint", "某市教育局局长")]


@pytest.mark.parametrize(
    "text",
    [
        "试用期为六个月，试用期满考核合格的，予以正式任用。",
        "重点实验室实行依托单位领导下的主任负责制。",
        "（二）任命市重点实验室主任，聘任学术委员会主任和委员，并报归口管理单位备案；",
        "重点实验室主任由依托单位聘任，报市科技局备案。",
        "由中国人民银行报请国务院免去其货币政策委员会委员职务：\n（一）本人书面提出辞职的；\n（二）任职期间出现健康原因不能履行职务的。",
        "拟任命张三为市教育局局长，现予公示。",
        "市长提请任命李四为市审计局局长。",
        "建议免去王五的市财政局局长职务。",
        "用人单位可以聘任专家为技术顾问。",
        "服现役第一年的列兵被任命为班长职务的，按照规定执行。",
        "聘任参事应当依照下列程序：\n（一）提名；\n第十三条 设立参事工作机构的人民政府应当为本级人民政府参事工作提供经费保障。",
        "本规则适用市政府常务会议对重要人事任免的讨论决定。",
        "专业技术职务实行任命制，由行政领导向被任命的专业技术人员颁发任命书。",
    ],
)
def test_no_records_from_text_that_appoints_nobody(text: str):
    assert extract(doc(text)) == []


def test_prefilter_skips_documents_without_trigger_words(monkeypatch):
    """A document without 任/免/聘/辞 words never reaches the layout pass."""
    import extractors.appointments as module

    def boom(*args, **kwargs):
        raise AssertionError("layout pass ran")

    monkeypatch.setattr(module, "text_to_pieces", boom)
    assert extract(doc("第一条 为了规范管理，制定本办法。\n第二条 本办法自发布之日起施行。")) == []


# ---------------------------------------------------------------------------
# More forms (issue 13): the person before the verb, a verb repeated per person,
# 提名, 挂职, 兼任, 不再担任, 另有任用, 退休, and a news page.


def test_person_before_the_verb_in_a_decision_list():
    """决定： lists of 人大常委会 and government decisions write the person first:
    X免去Y职务，不再保留…待遇 (the rank kept is not a post)."""
    text = """经市人民政府研究，决定：
张三同志免去市教育局局长职务，不再保留正处级领导职务待遇；
李四（女）免去市财政局副局长、党组成员职务。"""
    assert rows(text, "person", "gender", "action", "verb", "post") == [
        ("张三", None, "remove", "免去", "市教育局局长"),
        ("李四", "female", "remove", "免去", "市财政局副局长"),
        ("李四", "female", "remove", "免去", "市财政局党组成员"),
    ]


def test_person_first_after_a_lead_phrase_in_prose():
    assert rows("经研究，王五同志免去某县审计局局长职务，不再保留副处级待遇。") == [("王五", "remove", "某县审计局局长")]


def test_verb_repeated_per_person():
    """任命X为Y；任命Z为W；: each item carries its own verb, in a list or in prose."""
    listed = "决定任命：\n任命赵一为市统计局局长；任命钱二（女）为市统计局副局长；\n任命孙三为市商务局副局长。"
    assert rows(listed, "person", "gender", "post") == [
        ("赵一", None, "市统计局局长"),
        ("钱二", "female", "市统计局副局长"),
        ("孙三", None, "市商务局副局长"),
    ]
    prose = "市人民政府决定：任命周四为市统计局局长，任命吴五为市商务局局长；免去郑六的市商务局局长职务。"
    assert rows(prose) == [
        ("周四", "appoint", "市统计局局长"),
        ("吴五", "appoint", "市商务局局长"),
        ("郑六", "remove", "市商务局局长"),
    ]


def test_nomination_is_not_an_appointment():
    """提名X为Y人选: the nominee holds nothing until the 常委会 decides (action nominate,
    人选/候选人 dropped from the post); 经市长提名，决定任命… is the appointment itself."""
    assert rows("某县人民政府提名冯七为某县人民法院院长人选，提请县人大常委会审议。", "person", "action", "verb", "post") == [
        ("冯七", "nominate", "提名", "某县人民法院院长"),
    ]
    assert rows("经市长提名，市人大常委会决定任命陈八为市财政局局长。", "person", "action", "verb", "post") == [
        ("陈八", "appoint", "任命", "市财政局局长"),
    ]


def test_secondment():
    """挂职: the person first (X挂职任Y) or a note after the post （挂职）/（挂职期限一年）."""
    text = "决定：\n褚九挂职任某县人民政府副县长（挂职期限一年）；\n任命卫十为某县科技局副局长（挂职）。"
    assert rows(text, "person", "action", "verb", "post", "secondment") == [
        ("褚九", "appoint", "挂职任", "某县人民政府副县长", True),
        ("卫十", "appoint", "任命", "某县科技局副局长", True),
    ]


def test_concurrent_post_by_jianren():
    text = "任命蒋一兼任市国防动员办公室主任。\n沈二兼任某县双拥办公室主任。"
    assert rows(text, "person", "action", "verb", "post", "concurrent") == [
        ("蒋一", "appoint", "任命", "市国防动员办公室主任", True),
        ("沈二", "appoint", "兼任", "某县双拥办公室主任", True),
    ]


def test_no_longer_holds():
    """不再担任: a removal, with or without 职务."""
    text = "韩三同志不再担任市应急管理局局长职务。\n杨四不再担任市公安局副局长。"
    assert rows(text, "person", "action", "verb", "post") == [
        ("韩三", "remove", "不再担任", "市应急管理局局长"),
        ("杨四", "remove", "不再担任", "市公安局副局长"),
    ]


def test_reason_another_post_and_retirement():
    """另有任用 and 退休, in a note after 职务, before the verb, or between name and verb."""
    text = """决定免去：
朱五的市教育局局长职务（另有任用）；
秦六另有任用，免去其市审计局副局长职务；
尤七的市民政局局长职务（退休）。
因到龄退休，免去许八的市水利局副局长职务。
何九同志已到龄退休，不再担任市林业局副局长职务。"""
    assert rows(text, "person", "action", "post", "reason") == [
        ("朱五", "remove", "市教育局局长", "另有任用"),
        ("秦六", "remove", "市审计局副局长", "另有任用"),
        ("尤七", "remove", "市民政局局长", "退休"),
        ("许八", "remove", "市水利局副局长", "退休"),
        ("何九", "remove", "市林业局副局长", "退休"),
    ]
    # no reason written, none given
    assert rows("免去吕十的市财政局局长职务。", "person", "reason") == [("吕十", None)]


NEWS = """市政府任免一批干部
原标题：某市人民政府关于任命施一等同志职务的通知
图为某市人民政府第45次常务会议现场。
（记者 张小明 摄）
图为新任命的干部在会上作表态发言。 记者 李华 摄
某市人民政府关于任命施一等同志职务的通知
某政任〔2024〕30号
各县（市、区）人民政府，市人民政府各委、办、局：
经市人民政府2024年9月30日第45次常务会议研究，决定：
任命施一为某市教育局局长；
任命孔二为某市教育局副局长，试用期一年；
免去曹三的某市教育局局长职务。
某市人民政府
2024年10月8日"""


def test_news_page_with_original_title_and_photo_captions():
    """A news page carries the notice under its own headline, a 原标题 line and photo
    captions: only the notice's clauses are records, with the meeting that decided."""
    found = extract(doc(NEWS))
    assert [(r.person, r.action, r.post, r.probation_months) for r in found] == [
        ("施一", "appoint", "某市教育局局长", None),
        ("孔二", "appoint", "某市教育局副局长", 12),
        ("曹三", "remove", "某市教育局局长", None),
    ]
    assert {(r.decided_by, r.decided_on) for r in found} == {("市人民政府2024年9月30日第45次常务会议", date(2024, 9, 30))}


@pytest.mark.parametrize(
    "text",
    [
        "本人不再担任相关职务的，应当及时办理交接手续。",  # 本人 is no name
        "领导干部兼任社会团体职务，按照有关规定审批。",
        "选派干部到基层挂职锻炼，挂职期间不占用编制。",
        "候选人由主席团提名，提名人选应当符合条件。",
    ],
)
def test_no_records_from_rules_about_these_verbs(text: str):
    assert extract(doc(text)) == []


def test_bare_ren_in_a_decision_list_only():
    """张三任Y in a list after 决定： is an appointment (party and government notices);
    in prose, 张三任组长 names a working group's members."""
    text = "经研究，决定：\n张三任市教育局局长，免去其市教育局副局长职务；\n李四（女）担任市财政局副局长，试用期一年；\n任五任市看守所所长。"
    assert rows(text, "person", "action", "verb", "post", "probation_months") == [
        ("张三", "appoint", "任", "市教育局局长", None),
        ("张三", "remove", "免去", "市教育局副局长", None),
        ("李四", "appoint", "担任", "市财政局副局长", 12),
        ("任五", "appoint", "任", "市看守所所长", None),
    ]
    assert rows("为做好人事任命工作，成立领导小组，张三任组长，李四任副组长。") == []
