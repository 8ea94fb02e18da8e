"""Issue 13: what each amount is (``amounts.role``), and money_by_document summing
spending per role with criteria apart.

The roles of the sample's 23 amounts were written by hand from reading each one
in tests/fixtures/xinzhou-2024-05.txt (the quoted words are the reason)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from schemas import Document

# (document number, raw, role) in text order
SAMPLE_ROLES = [
    ("忻政发〔2024〕13号", "30万元", "award"),  # 按30万元的标准给予配套奖励
    ("忻政发〔2024〕13号", "10万元", "award"),  # 一等奖10万元 … 给予配套奖励
    ("忻政发〔2024〕13号", "5万元", "award"),  # 二等奖5万元的标准给予配套奖励
    ("忻政办发〔2024〕38号", "300元/户", "subsidy"),  # 每个采暖季补贴300元/户 (煤改电)
    ("忻政办发〔2024〕38号", "500元/户", "subsidy"),  # 煤改气
    ("忻政办发〔2024〕38号", "300元/户", "subsidy"),  # 太阳能、风电取暖
    ("忻政办发〔2024〕38号", "500元/户", "subsidy"),  # 集中供热
    ("忻政办发〔2024〕40号", "5亿元", "criterion"),  # 主营业务收入5亿元以上
    ("忻政办发〔2024〕40号", "2500万元", "criterion"),  # 税收贡献不低于2500万元
    ("忻政办发〔2024〕40号", "5000万元", "criterion"),  # 精细化工 … 主营业务收入5000万元以上
    ("忻政办发〔2024〕40号", "500万元", "criterion"),  # 税收贡献不低于500万元
    ("忻科规〔2024〕1号", "500万元", "criterion"),  # 仪器设备原值在500万元以上
    ("忻科规〔2024〕1号", "500万元", "criterion"),  # 近三年研发总投入在500万元以上
    ("忻科规〔2024〕1号", "10万元", "grant"),  # 给予10万元建设经费支持
    ("忻科规〔2024〕1号", "5万元", "award"),  # 连续3年绩效考核为优秀的，另奖励5万元
    ("忻科规〔2024〕2号", "20万元", "award"),  # 给予20万元的奖励资助
    ("忻科规〔2024〕3号", "100万元", "criterion"),  # 仪器设备原值不低于100万元
    ("忻科规〔2024〕3号", "50万元", "criterion"),  # 研究开发经费投入…达50万元以上
    ("忻科规〔2024〕3号", "10万元", "grant"),  # 给予一次性10万元建设经费支持
    ("忻科规〔2024〕4号", "500万元", "criterion"),  # 仪器设备原值不少于500万元
    ("忻科规〔2024〕4号", "500万元", "criterion"),  # 近3年研发总投入不少于500万元
    ("忻科规〔2024〕4号", "10万元", "grant"),  # 给予10万元建设经费支持
    ("忻科规〔2024〕4号", "5万元", "award"),  # 另奖励5万元
]


@pytest.fixture(scope="module")
def extracted(sample_issue):
    from extractors import extract_issue

    return extract_issue(sample_issue)


def test_sample_roles_ten_criteria_thirteen_spending(extracted):
    got = [(d.doc_number, r.raw, r.role) for d in extracted.documents for r in d.records["amounts"]]
    assert got == SAMPLE_ROLES
    assert sum(role == "criterion" for *_, role in SAMPLE_ROLES) == 10


def test_criterion_links_to_its_threshold(extracted):
    for document in extracted.documents:
        thresholds = {t.threshold_id: t for t in document.records["thresholds"]}
        for amount in document.records["amounts"]:
            if amount.role == "criterion":
                threshold = thresholds[amount.threshold_id]
                assert threshold.start <= amount.start and amount.end <= threshold.end
                assert threshold.value == amount.value_yuan and threshold.unit == "元"
            else:
                assert amount.threshold_id is None


def test_money_by_document_sums_spending_per_role_and_lists_criteria(tmp_path, extracted):
    from pipeline.store import warehouse

    con = warehouse.connect(tmp_path / "w.duckdb")
    warehouse.load_issue(con, extracted)
    rows = {r[0]: r[1:] for r in con.execute(
        "SELECT doc_number, lump_sum_yuan, lump_sum_by_role, n_rates, n_criteria FROM money_by_document").fetchall()}
    con.close()
    # four criteria (5亿, 2500万, 5000万, 500万) and nothing paid: no "5.8亿元"
    assert rows["忻政办发〔2024〕40号"] == (None, None, 0, 4)
    # two criteria of 500万 apart; 10万 grant + 5万 award summed per role
    assert rows["忻科规〔2024〕1号"] == (Decimal("150000.00"), [{"role": "award", "yuan": Decimal("50000.00")},
                                                              {"role": "grant", "yuan": Decimal("100000.00")}], 0, 2)
    # 300元/户 per heating season: rates, never summed with lump sums
    assert rows["忻政办发〔2024〕38号"] == (None, None, 4, 0)


def doc(text: str) -> Document:
    return Document(doc_id="t/d01", issue_id="t", seq=1, text=text)


@pytest.mark.parametrize(("text", "raw", "role"), [
    ("处五千元以上一万元以下罚款。", "五千元", "fine"),  # 处…以上…以下罚款: a fine, though compared
    ("对个人处以罚款5000元。", "5000元", "fine"),  # 罚款 before the amount
    ("补贴最高不超过50万元。", "50万元", "subsidy"),  # a cap on the subsidy, not a condition
    ("注册资本不低于1000万元的企业，给予一次性奖励20万元。", "1000万元", "criterion"),
    ("注册资本不低于1000万元的企业，给予一次性奖励20万元。", "20万元", "award"),
    ("征收不超过一年土地租金的土地闲置费，每件交纳50元。", "50元", "fee"),  # 交纳: a fee
    ("市财政每年安排专项资金3000万元。", "3000万元", "budget"),
    ("给予每个项目200万元资助。", "200万元", "grant"),
    ("合同标的额为100万元。", "100万元", "other"),
])
def test_role_from_clause_grammar(text, raw, role):
    from extractors import money

    got = {r.raw: r.role for r in money.extract(doc(text))}
    assert got[raw] == role


# Issue 15, money: per-unit denominators from the grammar 每 + unit or measure word
# (+ the noun a general measure word counts; + a bracketed alternative).
# Sentences written for these tests in the style of national regulations.
@pytest.mark.parametrize(("text", "per_unit"), [
    ("处每株五万元以上十万元以下罚款。", "株"),  # 每 + 量词
    ("按每具遗体收取火化费300元。", "具"),
    ("每个墓穴收取管理费200元。", "墓穴"),  # 每个 + the noun counted
    ("每个泊位补贴5000元。", "泊位"),
    ("每处（张）处500元罚款。", "处（张）"),  # a bracketed alternative measure
    ("按照每使用一名童工每月处5000元罚款。", "童工"),  # 每 + verb + 一名 + noun
    ("处非法开垦林地每平方米10元罚款。", "平方米"),  # a unit of measure
    ("并处每逾期1日100元罚款。", "日"),  # per day overdue
    ("每一车辆不超过3200元。", "车辆"),
])
def test_per_unit_after_mei_measure_word(text, per_unit):
    from extractors import money

    assert [r.per_unit for r in money.extract(doc(text))][:1] == [per_unit]


def test_per_unit_of_each_piece_is_the_piece_not_its_value():
    from extractors import money

    [record] = money.extract(doc("对于每件价值在700元以上的货物。"))
    assert (record.per_unit, record.subject, record.role) == ("件", "价值", "criterion")


def test_mei_ge_before_a_period_is_no_unit():
    from extractors import money

    [record] = money.extract(doc("探矿权使用费以勘查年度计算，每个勘查年度收取100元。"))
    assert record.per_unit is None


@pytest.mark.parametrize(("text", "values"), [
    ("处五千以上一万元以下罚款。", [Decimal(5000), Decimal(10000)]),  # 五千万 would exceed the upper bound
    ("处5至10万元罚款。", [Decimal(50000), Decimal(100000)]),  # the magnitude 万 is shared
    ("处1000以上5万元以下罚款。", [Decimal(1000), Decimal(50000)]),
])
def test_range_lower_bound_inherits_upper_bound_unit(text, values):
    from extractors import money

    got = money.extract(doc(text))
    assert [r.value_yuan for r in got] == values
    assert {r.role for r in got} == {"fine"}


@pytest.mark.parametrize(("text", "subject"), [
    ("处每株五万元以上十万元以下罚款。", "罚款"),  # never 每株
    ("可以处非法开垦林地每平方米10元以下的罚款。", "非法开垦林地"),  # the offence
])
def test_fine_subject_is_never_the_denominator(text, subject):
    from extractors import money

    assert [r.subject for r in money.extract(doc(text))][0] == subject


def test_floor_on_an_award_is_the_award_not_a_criterion():
    from extractors import money

    [record] = money.extract(doc("一项发明专利的奖金最低不少于3000元。"))
    assert record.role == "award"
    [record] = money.extract(doc("年度研究开发经费投入达50万元以上。"))
    assert record.role == "criterion"  # the applicant's own spending: a condition
