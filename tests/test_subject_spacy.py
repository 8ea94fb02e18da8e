"""Subjects of thresholds and amounts, chosen from spaCy EntityRuler labels.

Every sentence here is HAND-WRITTEN for these tests in the style of other
provinces' and the State Council's documents (行政许可法-style deadlines, the
罚款 ranges of administrative regulations, enterprise criteria of provincial
funding rules), not taken from the sample or the corpus; each expected subject
was written from the sentence's meaning, not from the extractor's output.
"""

from __future__ import annotations

import pytest

from schemas import Document


def doc(text: str) -> Document:
    return Document(doc_id="t/d01", issue_id="t", seq=1, text=text)


def threshold_subjects(text: str) -> dict[str, str | None]:
    from extractors import thresholds

    return {r.raw: r.subject for r in thresholds.extract(doc(text))}


def amount_subjects(text: str) -> list[tuple[str, str | None]]:
    from extractors import money

    return [(r.raw, r.subject) for r in money.extract(doc(text))]


@pytest.mark.parametrize(
    ("text", "raw", "subject"),
    [
        # the object of 具有 follows the number
        ("申请人应当具有5年以上相关工作经验。", "5年以上", "相关工作经验"),
        # a plain subject before the comparison
        ("申请设立融资担保公司的，注册资本不低于500万元。", "不低于500万元", "注册资本"),
        ("生产经营场所面积不少于200平方米。", "不少于200平方米", "生产经营场所面积"),
        # 在 and the look-back window 近三年 / 平均 frame the subject
        ("企业近三年平均营业收入在1亿元以上。", "1亿元以上", "营业收入"),
        # a deadline with no actor in the clause: the action after the number; the
        # anchor event (受理之日) goes to thresholds.anchor (issue 15 corrected this
        # expectation, which used to be the anchor event 受理)
        ("自受理之日起20个工作日内作出决定。", "20个工作日内", "作出决定"),
        # a deadline with an actor: the actor, the anchor dropped
        ("行政机关应当自受理申请之日起20日内作出行政许可决定。", "20日内", "行政机关"),
        ("县级人民政府应当在收到申请后15个工作日内完成审核。", "15个工作日内", "县级人民政府"),
        # 占…的比例: both sides of the share, not just 比例
        ("专职研发人员占职工总数的比例不低于10%。", "不低于10%", "专职研发人员占职工总数"),
        # topic–comment across a comma
        ("承包期限，一般不得少于3年。", "少于3年", "承包期限"),
        # 如有… is a condition; the subject is the act bounded by the time
        ("如有特殊原因2年内未完成建设任务的，可申请延期。", "2年内", "完成建设任务"),
        # a verb of change names what is bounded
        ("经批准后可以延长，最多延长6个月。", "最多延长6个月", "延长"),
        # 每个班级 is not a period: 班级学生人数
        ("中小学校每个班级学生人数不超过45人。", "不超过45人", "班级学生人数"),
    ],
)
def test_threshold_subject(text, raw, subject):
    assert threshold_subjects(text)[raw] == subject


def test_fine_range_both_bounds_name_the_fine():
    # 处N元以上M元以下的罚款: both numbers bound 罚款 (the upper bound has the lower's subject)
    got = amount_subjects("违反本办法规定的，由县级以上卫生健康主管部门责令改正，处5000元以上3万元以下的罚款。")
    assert got == [("5000元", "罚款"), ("3万元", "罚款")]
    assert threshold_subjects("逾期不改正的，处以1万元以上、5万元以下罚款。") == {"1万元以上": "罚款", "5万元以下": "罚款"}


def test_amount_subjects_before_and_after():
    got = amount_subjects("对认定为省级重点实验室的，按100万元的标准给予配套资助；每户每年补助2000元。")
    # 按…的标准给予X: the money is X; 补助 names the payment when nothing else does
    assert got == [("100万元", "配套资助"), ("2000元", "补助")]


def test_subject_never_ends_in_a_function_word():
    text = ("各设区市应急预案编制单位应当在应急预案印发后的20个工作日内报备。"
            "依托单位在建设期满后1个月内提出验收申请。"
            "固定人员、研发成果等应占相关总量的50%以上。")
    subjects = threshold_subjects(text)
    assert subjects == {
        "20个工作日内": "各设区市应急预案编制单位",
        "1个月内": "依托单位",
        "50%以上": "研发成果等占相关总量",
    }


def test_entity_ruler_labels_from_data_file():
    from extractors.subject.patterns import subject_pipeline, words_of

    assert subject_pipeline().pipe_names == ["entity_ruler"]
    labels = {w.text: w.label for w in words_of("申请人应当自收到通知之日起按照有关规定提出")}
    assert labels["应当"] == "FUNC"
    assert labels["自"] == "ANCHOR_START"
    assert labels["之日起"] == "ANCHOR_END"
    assert labels["按照"] == "COND"
    assert labels["提出"] == "OBJV"
    assert labels["申请人"] == ""


def test_long_subjects_are_cut_at_de_or_to_their_last_words():
    from extractors.subject.walk import cap_subject

    assert cap_subject(["用于", "研究", "开发", "的", "仪器设备原值"]) == "仪器设备原值"
    assert len(cap_subject(["县级", "人民政府", "卫生", "健康", "行政", "主管部门"])) <= 12
