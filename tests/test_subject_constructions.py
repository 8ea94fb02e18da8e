"""Issue 15: threshold subjects from the clause's syntax, one test per construction.

Sentences written for these tests in the style of local regulations (the audit's
failure examples, reworded)."""

from __future__ import annotations

import pytest

from schemas import Document


def thresholds_of(text: str):
    from extractors import thresholds

    return {r.raw: r for r in thresholds.extract(Document(doc_id="t/d01", issue_id="t", seq=1, text=text))}


def test_deadline_actor_kept_apart_from_its_anchor_of_joined_events():
    # 自A、B、C之日起: the anchor spans the 、-joined events; the actor is before 自
    record = thresholds_of("当事人应自租赁合同签订、变更、终止之日起十五日内，到主管部门办理登记备案。")["十五日内"]
    assert (record.subject, record.anchor) == ("当事人", "租赁合同签订、变更、终止之日")


def test_deadline_actor_from_the_sentence_topic_across_a_comma():
    # 当事人对…不服的，可以在接到…之日起: the actor opens the sentence
    record = thresholds_of("当事人对行政处罚决定不服的，可以自接到处罚通知之日起15日内申请复议。")["15日内"]
    assert (record.subject, record.anchor) == ("当事人", "接到处罚通知之日")


def test_deadline_actor_ending_in_an_agent_noun():
    record = thresholds_of("收养登记机关收到申请书后，应当自次日起30日内进行审查。")["30日内"]
    assert record.subject == "收养登记机关"


def test_head_noun_after_de_when_a_verb_precedes_the_number():
    # 预留不少于N的X: the number modifies X, not the verb's subject
    record = thresholds_of("该建筑物顶层预留不少于十平方米的防空警报设施专用房。")["不少于十平方米"]
    assert record.subject == "防空警报设施专用房"


def test_head_noun_after_a_measure_phrase_and_de():
    # 征收不超过一年土地租金的X: 一年土地租金 measures X
    assert thresholds_of("可以征收不超过一年土地租金的土地闲置费。")["不超过一年"].subject == "土地闲置费"


@pytest.mark.parametrize("text", ["违法所得不足十万元的，处一万元罚款。", "没有违法所得或者违法所得不足十万元的，处一万元罚款。"])
def test_repeated_alternative_is_one_subject(text):
    assert thresholds_of(text)["不足十万元"].subject == "违法所得"


def test_article_number_is_no_part_of_a_subject():
    assert thresholds_of("第十条 财政部门应当自受理申请之日起15日内支付。")["15日内"].subject == "财政部门"


def test_multiple_of_income_bounds_the_fine():
    got = thresholds_of("并处违法所得1倍以上5倍以下的罚款。")
    assert (got["1倍以上"].subject, got["5倍以下"].subject, got["5倍以下"].unit) == ("罚款", "罚款", "倍")


def test_deadline_with_no_actor_takes_its_action():
    # 二十四小时以内向…报告: the action, not empty
    record = thresholds_of("事故发生后，应当在二十四小时以内向应急管理部门报告。")["二十四小时以内"]
    assert record.subject


def test_empty_subject_carries_a_reason():
    for record in thresholds_of("不少于3人。以上。，超过5日，").values():
        assert (record.subject is None) == (record.subject_note is not None)


def test_head_of_a_noun_phrase_is_after_its_last_de():
    # …的 N: the head noun is what is compared
    assert thresholds_of("向社会公开征求意见的期限一般不少于30日。")["不少于30日"].subject == "期限"
    assert thresholds_of("熟悉储蓄业务的工作人员不少于四人；")["不少于四人"].subject == "工作人员"


def test_share_keeps_both_sides_though_it_holds_de():
    assert thresholds_of("专职研发人员占职工总数的比例不低于10%。")["不低于10%"].subject == "专职研发人员占职工总数"


def test_deadline_actor_in_the_clause_after_the_anchor():
    # 自…之日起15日内，行政机关应当…: the actor opens the next clause
    record = thresholds_of("自代收罚款协议签订之日起15日内，行政机关应当将协议报上一级行政机关备案。")["15日内"]
    assert (record.subject, record.anchor) == ("行政机关", "代收罚款协议签订之日")


def test_deadline_actor_is_the_noun_phrase_clause_before():
    # 驻…的常驻记者，应当自…之日起: topic–comment across the comma
    record = thresholds_of("其中，驻北京市以外地区的常驻记者，应当自抵达中国之日起7个工作日内办理记者证。")["7个工作日内"]
    assert record.subject == "常驻记者"


def test_article_number_alone_is_no_subject():
    assert thresholds_of("第八条 从两个以上排放口排放应税污染物的，分别计算。")["两个以上"].subject != "第八条"


def test_passive_agent_noun_opens_the_sentence():
    # 被处罚人对…不服的，可以在接到…之日起15日内: 被 belongs to the noun
    record = thresholds_of("第三十六条 被处罚人对处罚不服的，可以在接到处罚通知之日起15日内申请复议。")["15日内"]
    assert record.subject == "被处罚人"


def test_deadline_actor_is_the_organ_without_its_level_of_government():
    # 省、自治区、直辖市 + 人民政府 qualify the organ; the organ named is the actor
    record = thresholds_of("省、自治区、直辖市人民政府林业主管部门应当自收到申请之日起20日内作出决定。")["20日内"]
    assert (record.subject, record.anchor) == ("林业主管部门", "收到申请之日")


def test_deadline_actor_before_a_comma_and_the_modal():
    # X，应当自…之日起N日内: the modal's subject sits across the comma
    record = thresholds_of("县级以上地方人民政府水行政主管部门，应当自受理申请之日起十五日内完成审查。")["十五日内"]
    assert record.subject == "水行政主管部门"


def test_deadline_anchor_followed_by_a_comma():
    # 自…之日起，六个月内: the anchor still closes before the comma
    record = thresholds_of("国务院文化主管部门应当自收到材料之日起，三个月内作出答复。")["三个月内"]
    assert (record.subject, record.anchor) == ("国务院文化主管部门", "收到材料之日")


def test_deadline_of_a_modal_with_qi_as_object_belongs_to_the_topic():
    # 应当通知其在N内补办: 其 stands for the sentence's topic, who must act
    text = "申请人未按照规定提交材料的，登记机关应当通知其在30日内补正。"
    assert thresholds_of(text)["30日内"].subject == "申请人"


def test_deadline_after_a_temporal_clause_belongs_to_the_sentence_topic():
    # X接到报告后，应当于N小时内: the clause of time has no actor of its own
    text = "省级政府环境保护部门接到事故报告后，应当于两小时内报告国务院环境保护部门。"
    assert thresholds_of(text)["两小时内"].subject == "环境保护部门"


@pytest.mark.parametrize("text, actor", [
    ("受到撤职处分的国有企业的企业负责人，5年内不得担任国有企业的企业负责人。", "企业负责人"),
    ("医疗机构被吊销执业许可证的，在3年内不得再次申请。", "医疗机构"),
])
def test_window_barring_an_actor_belongs_to_the_one_barred(text, actor):
    # N年内不得…: the window bars the actor, not the verb after it
    record = next(r for raw, r in thresholds_of(text).items() if raw.endswith("年内"))
    assert record.subject == actor


def test_duration_of_a_thing_is_not_a_deadline_of_the_actor():
    # 应当出具有效期不超过7日的X: no 内, so the bound is on 有效期, not on the organ
    text = "公安机关应当出具有效期不超过7日的受理回执。"
    assert thresholds_of(text)["不超过7日"].subject != "公安机关"


@pytest.mark.parametrize("text, raw, value, unit, subject", [
    ("两艘以上船舶编队航行的，应当指定领航船。", "两艘以上", 2, "艘", "船舶"),
    ("设计三层以上住宅的，应当具有相应资质。", "三层以上", 3, "层", "住宅"),
    ("可以停靠一千吨级以上船舶的码头。", "一千吨级以上", 1000, "吨级", "船舶"),
    ("百年以上树龄的古树，应当挂牌保护。", "百年以上", 100, "年", "树龄"),
])
def test_count_with_a_measure_word_bounds_the_noun_it_modifies(text, raw, value, unit, subject):
    # N + measure word + 以上 + noun (no 的): the count modifies the noun after it;
    # a leading 一 may be left out before 百/千 (百年 = 一百年)
    record = thresholds_of(text)[raw]
    assert (float(record.value), record.unit, record.op, record.subject) == (value, unit, ">=", subject)


def test_grade_bounds_the_noun_it_ranks():
    # 级 ranks the noun before it: 专业技能三级以下 (<=, inclusive by 《民法典》第一千二百五十九条)
    record = thresholds_of("招聘专业技术八级、专业技能三级以下岗位的人员。")["三级以下"]
    assert (record.unit, record.op, record.inclusive, record.subject) == ("级", "<=", True, "专业技能")


def amounts_of(text: str):
    from extractors import money

    return {r.raw: r for r in money.extract(Document(doc_id="t/d01", issue_id="t", seq=1, text=text))}


@pytest.mark.parametrize("text, raw, word", [
    ("可以并处二百元至二千元罚款。", "二千元", "罚款"),
    ("应当给予举报人500元至5000元的奖励。", "500元", "奖励"),
    ("对负有直接责任的人员各处1万元以上5万元以下的罚款。", "5万元", "罚款"),
])
def test_money_word_after_the_amount_names_what_the_money_is(text, raw, word):
    # N元(至M元)(的)罚款/奖励: the money word after the amount (or its range), not the recipient
    assert amounts_of(text)[raw].subject == word


def test_range_with_currency_and_a_strict_upper_bound_shares_the_lower_bounds_subject():
    # 在1万元人民币以上不满3万元人民币: one range, one subject
    text = "违法所得在2万元人民币以上不满5万元人民币的，给予警告。"
    assert amounts_of(text)["5万元"].subject == "违法所得"


def test_per_unit_denominator_before_the_number_is_no_subject():
    # 处每株N元以上M元以下的罚款: 每株 is the denominator; the fine is the subject
    record = thresholds_of("砍伐古树的，处每株10万元以上30万元以下的罚款。")["30万元以下"]
    assert record.subject == "罚款"


def test_two_word_comparison_da_dao_huo_chao_guo():
    # 达到或超过N: one comparison; the subject is before it
    record = thresholds_of("基金资产总额达到或者超过5亿元后，不再提取。")["超过5亿元"]
    assert (record.subject, record.op) == ("基金资产总额", ">")


def test_minimum_amount_is_a_floor():
    # 注册资本最低限额为N: a floor (>=), the subject is what is floored
    record = thresholds_of("设立分公司的，注册资本最低限额为500万元人民币。")["最低限额为500万元"]
    assert (record.subject, record.op) == ("注册资本", ">=")
    assert amounts_of("设立分公司的，注册资本最低限额为500万元人民币。")["500万元"].role == "criterion"


@pytest.mark.parametrize("text, raw, subject", [
    ("每次评选获奖人数不超过3名。", "不超过3名", "评选获奖人数"),
    ("择伐强度一次不得超过百分之四十。", "不得超过百分之四十", "择伐强度"),
])
def test_frequency_is_not_part_of_the_subject(text, raw, subject):
    # 每次X / X一次: how often, not what is bounded
    assert thresholds_of(text)[raw].subject == subject


def test_verb_before_comparison_hands_over_to_the_head_after_de():
    # 缴存不低于N的X: the verb's object X is what the number measures
    assert amounts_of("企业应当缴存不低于200万元的保证金。")["200万元"].subject == "保证金"


def test_share_of_a_value_bounds_the_fine_after_it():
    # 另处货物价值30%以下罚款: the share bounds the fine, not the goods' value
    assert thresholds_of("逾期不提交的，另处货物价值20%以下罚款。")["20%以下"].subject == "罚款"


def test_duration_of_an_actors_action_is_the_action():
    # 退役士兵退役N年以上: the duration measures the action, not the actor
    assert thresholds_of("退役士兵退役2年以上参加培训的，给予补助。")["2年以上"].subject == "退役"


def test_shared_head_coordination_keeps_the_last_conjunct():
    # 教学或者教育研究工作: the head (工作) belongs to the last conjunct
    record = thresholds_of("（三）从事教学或者科学研究工作5年以上；")["5年以上"]
    assert record.subject == "科学研究工作"


@pytest.mark.parametrize("text, raw, subject", [
    # the number's clause has no noun: the topic the sentence opens with, X的Y → Y
    ("民办学校的筹设期限，从批准之日起，最长不得超过三年。", "不得超过三年", "筹设期限"),
    ("第十条 临时保障措施实施的期限，自决定公告之日起，不超过6个月。", "不超过6个月", "期限"),
])
def test_frame_only_clause_takes_the_head_of_the_sentence_opening(text, raw, subject):
    assert thresholds_of(text)[raw].subject == subject


def test_verb_with_a_reflexive_object_hands_over_to_the_head_after_de():
    # 哺乳自己不满一周岁的婴儿: the number modifies 婴儿
    assert thresholds_of("（二）哺乳自己未满一周岁的婴儿的女职工。")["未满一周岁"].subject == "婴儿"


def test_predicate_after_a_modal_is_not_part_of_the_subject():
    # 应当出具有效期不超过N日的X: 出具 is the predicate; 有效期 is compared
    assert thresholds_of("登记机关应当出具有效期不超过30日的临时证明。")["不超过30日"].subject == "有效期"


def test_number_inside_a_parenthetical_reads_its_subject_there():
    # X(在境外居留时间不满1年): the parenthetical's own words, not the noun before it
    record = thresholds_of("（一）短期出境人员（在境外停留时间不满6个月）；")["不满6个月"]
    assert record.subject.endswith("停留时间")


@pytest.mark.parametrize("text, actor", [
    # X变更住所、组成人员，应当在…内: a clause before the modal; the agent opening it acts
    ("第八条 协会变更名称、负责人员，应当在变更后的15日内报登记机关备案。", "协会"),
    # a list of actors stays whole; an organ with a verb in its name stays whole
    ("受托银行、公积金管理中心应当自收到申请之日起5日内答复。", "受托银行、公积金管理中心"),
    ("国家药品审评委员会应当自受理之日起三个月内作出结论。", "国家药品审评委员会"),
])
def test_deadline_actor_of_a_clause_before_the_modal(text, actor):
    record = next(r for raw, r in thresholds_of(text).items() if raw.endswith("内"))
    assert record.subject == actor
