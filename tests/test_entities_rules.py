"""Entity rules on hand-written sentences in other provinces' styles (written for
these tests, not taken from any real document), and hypothesis property tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Document


def doc(text: str, **kw) -> Document:
    return Document(doc_id="t/d01", issue_id="t", seq=1, text=text, **kw)


def test_doc_numbers_other_provinces_and_layouts():
    from extractors import doc_numbers

    text = ("根据《浙江省人民政府关于加快数字经济发展的意见》（浙政发〔2022〕5号）和沪府规【2023】 7 号，"
            "参照粤府(2021)33号、苏政办发［2020］1\n号执行。以杭州市人民政府令第 321 号公布。")
    got = [(r.canonical, r.organ) for r in doc_numbers.extract(doc(text))]
    assert got == [
        ("浙政发〔2022〕5号", "浙江省人民政府"),
        ("沪府规〔2023〕7号", "上海市人民政府"),
        ("粤府〔2021〕33号", "广东省人民政府"),
        ("苏政办发〔2020〕1号", "江苏省人民政府办公厅"),
        ("杭州市人民政府令第321号", "杭州市人民政府"),
    ]


def test_doc_number_split_by_page_break_and_unknown_code():
    from extractors.doc_numbers import code_to_organ, find_doc_numbers

    assert [m.canonical for m in find_doc_numbers("按照忻政\n\n办发〔2021〕113号要求")] == ["忻政办发〔2021〕113号"]
    # a title line above an unknown code does not join it
    assert [m.code for m in find_doc_numbers("关于开展检查的通知\n某县农发〔2020〕3号")] == ["某县农发"]
    # a date before an order number is not part of its issuer (national regulations' 题注)
    assert [m.canonical for m in find_doc_numbers("2019年3月2日 中华人民共和国国务院令第709号")] == ["中华人民共和国国务院令第709号"]
    # rules: region + body + suffix
    assert code_to_organ("鲁政办字") == "山东省人民政府办公厅"
    assert code_to_organ("朔政办发") == "朔州市人民政府办公室"
    assert code_to_organ("晋发") == "中共山西省委"


def test_references_relations():
    from extractors import references

    text = ("为贯彻落实《中华人民共和国安全生产法》，依据《江苏省安全生产条例》，制定本办法。"
            "本办法自2025年1月1日起施行，《江苏省旧办法》（苏政发〔2015〕9号）、《江苏省另一办法》（苏政发〔2016〕2号）同时废止。"
            "本办法代替《南京市管理规定》。关于修改《南京市某条例》的决定。请填写《建设申请书》。")
    got = [(r.cited_title, r.cited_number, r.relation) for r in references.extract(doc(text))]
    assert got == [
        ("中华人民共和国安全生产法", None, "implements"),
        ("江苏省安全生产条例", None, "implements"),
        ("江苏省旧办法", "苏政发〔2015〕9号", "repeals"),
        ("江苏省另一办法", "苏政发〔2016〕2号", "repeals"),
        ("南京市管理规定", None, "replaces"),
        ("南京市某条例", None, "amends"),
    ]


def test_dates_chinese_numerals_and_roles():
    from extractors import dates

    text = "经2019年3月5日省政府第28次常务会议审议通过，自二〇一九年五月一日起施行。\n二〇一九年三月十日"
    got = [(r.value, r.precision, r.role) for r in dates.extract(doc(text))]
    assert got == [
        (date(2019, 3, 5), "day", "meeting"),
        (date(2019, 5, 1), "day", "effective"),
        (date(2019, 3, 10), "day", "signed"),
    ]
    assert dates.extract(doc("2023年2月30日")) == []  # no such day


def test_effective_on_from_issue_date_and_validity():
    from extractors import extract_document

    d = extract_document(doc("本办法自发布之日起施行，有效期三年。", signed_on=date(2024, 2, 29)))
    assert d.effective_on == date(2024, 2, 29)
    assert d.valid_years == 3
    assert d.valid_until == date(2027, 2, 27)  # 2027-02-28 minus one day


def test_money_values_and_traps():
    from extractors import money

    text = ("每户每年补助五万元，给予1.5亿元支持，每人补贴200元/月。"
            "单位GDP能耗下降3%，万元GDP用水量18立方米/万元，接待游客120万人次，投资数百万元。")
    got = [(r.raw, r.value_yuan, r.per_unit, r.period) for r in money.extract(doc(text))]
    assert got == [
        ("五万元", Decimal(50000), "户", "每年"),
        ("1.5亿元", Decimal(150000000), None, None),
        ("200元/月", Decimal(200), "月", None),
    ]


def test_thresholds_civil_code_semantics():
    from extractors import thresholds

    text = ("申请人应当年满十八周岁以上；年龄不满16周岁的不得录用；超过3人的应当备案；"
            "面积在100平方米以下；百分之二十以上的股东；逾期未达到60%的；应当在30日内答复。")
    got = [(r.op, r.value, r.unit, r.inclusive) for r in thresholds.extract(doc(text))]
    assert got == [
        (">=", Decimal(18), "周岁", True),
        ("<", Decimal(16), "周岁", False),
        (">", Decimal(3), "人", False),
        ("<=", Decimal(100), "平方米", True),
        (">=", Decimal(20), "%", True),
        ("<", Decimal(60), "%", False),
        ("<=", Decimal(30), "日", True),
    ]


def test_durations_kinds():
    from extractors import durations

    text = "有效期为2年。试用期六个月。整改期限不超过30天。每2年至少开展1次检查。近三年内未发生事故。"
    got = [(r.kind, r.value, r.unit) for r in durations.extract(doc(text))]
    assert got == [
        ("validity", Decimal(2), "年"),
        ("probation", Decimal(6), "个月"),
        ("deadline", Decimal(30), "天"),
        ("period", Decimal(2), "年"),
    ]


# ---------------------------------------------------------------------------
# properties: random text never raises, offsets stay inside the text

PIECES = st.sampled_from([
    "第三条", "第十二条之一", "〔", "〕", "[", "]", "（", "）", "号", "元", "万", "亿", "万元", "以上", "以下", "不少于",
    "不超过", "内", "年", "月", "日", "个工作日", "2024", "二〇二四", "三分之二", "百分之", "半数", "《", "》", "同时废止",
    "忻政发", "\n", " ", "\t", "有效期", "每", "次", "%", "/", "户", "自", "起施行",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=4), st.integers(0, 99999).map(str)), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_extractors_never_raise_and_offsets_hold(text):
    from extractors import REGISTRY

    document = doc(text)
    for kind, extract in REGISTRY.items():
        for r in extract(document):
            assert 0 <= r.start <= r.end <= len(text), kind
            assert r.raw == text[r.start:r.end], kind


def test_validity_end_date_written_out_and_zero_years():
    """有效期至<date> gives valid_until directly; 有效期0年 is no validity (never ends before it starts)."""
    from extractors import extract_document

    written = extract_document(doc("某市人民政府关于某事项的通知\n本通知自2024年1月1日起施行，有效期至2025年6月30日。"))
    assert (written.effective_on, written.valid_until) == (date(2024, 1, 1), date(2025, 6, 30))
    zero = extract_document(doc("某办法\n第一条 本办法自2024年1月1日起施行，有效期0年。"))
    assert (zero.valid_years, zero.valid_until) == (None, None)
