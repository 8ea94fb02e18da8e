"""Duration kinds and spans (issue 15): one test per construction."""

from __future__ import annotations

from decimal import Decimal

from extractors import durations
from schemas import Document


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(r.kind, r.raw, r.label) for r in durations.extract(Document(doc_id="t", issue_id="t", seq=1, text=text))]


def test_span_of_a_named_period_starts_at_a_word():
    assert found("临时占用的时间不得超过一年。") == [("deadline", "临时占用的时间不得超过一年", "临时占用的时间")]
    assert found("如整改时间不得超过3个月。") == [("deadline", "整改时间不得超过3个月", "整改时间")]


def test_window_forbidden_within_after_a_comma():
    assert found("城市道路交付使用后十年内，不得挖掘。") == [("window", "十年内", None)]


def test_window_forbidden_for_every_item_of_a_list():
    text = "新建、扩建、改建的城市道路交付使用后5年内、大修的城市道路竣工后3年内不得挖掘。"
    assert [k for k, _, _ in found(text)] == ["window", "window"]


def test_window_exempt_within():
    assert found("自1988年起，五年内免征建筑税。") == [("window", "五年内", None)]


def test_window_barred_from_applying_again():
    assert found("申请人在1年内不得再次申请。") == [("window", "1年内", None)]


def test_window_valid_within():
    assert found("自复种的当日起，10年内有效。") == [("window", "10年内", None)]


def test_deadline_to_act_even_when_a_refusal_follows():
    assert found("应当自受理申请之日起6个月内作出批准或者不予批准的决定。") == [("deadline", "6个月内", None)]
    assert found("应当在15个工作日内作出决定，不予批准的，书面说明理由。") == [("deadline", "15个工作日内", None)]


def test_other_kinds_unchanged():
    got = [(r.kind, r.value, r.unit) for r in durations.extract(Document(
        doc_id="t", issue_id="t", seq=1, text="有效期为2年。试用期六个月。每3年至少开展1次检查。"))]
    assert got == [("validity", Decimal(2), "年"), ("probation", Decimal(6), "个月"), ("period", Decimal(3), "年")]
