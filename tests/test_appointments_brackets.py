"""The bracket-depth walker under the appointments extractor's scanners."""

from __future__ import annotations

from extractors.appointments.layout import text_to_pieces
from extractors.appointments.lexicon import (
    bracket_depths,
    bracket_groups,
    split_top_level,
    strip_trailing_brackets,
)


def test_depths_nest_and_never_fall_below_zero():
    assert [d for _, d in bracket_depths("a（b〈c〉）)d")] == [0, 1, 1, 2, 2, 1, 0, 0, 0]


def test_depths_read_from_the_end():
    text = "甲（乙）"
    assert list(bracket_depths(text, from_end=True)) == [(3, 1), (2, 1), (1, 0), (0, 0)]


def test_split_top_level_ignores_separators_inside_brackets():
    text = "中心（检验中心〈山西〉、研究院）、学会"
    assert [text[b:e] for b, e in split_top_level(text, "、")] == ["中心（检验中心〈山西〉、研究院）", "学会"]


def test_strip_trailing_brackets_takes_every_closing_group():
    assert strip_trailing_brackets("副主任（副院长）（兼）") == ("副主任", "（副院长）（兼）")
    assert strip_trailing_brackets("中心（国家〈山西〉）") == ("中心", "（国家〈山西〉）")
    assert strip_trailing_brackets("局长）") == ("局长）", "")  # unbalanced: left alone


def test_bracket_groups_are_top_level():
    assert bracket_groups("（兼）（正部长级〈副〉）") == ["（兼）", "（正部长级〈副〉）"]


def test_pieces_cut_outside_brackets_and_keep_their_punctuation():
    text = "决定任命：\n张三为某中心（甲；乙）主任；李四为局长。"
    assert [p.text for p in text_to_pieces(text)] == ["决定任命：", "张三为某中心（甲；乙）主任；", "李四为局长。"]
