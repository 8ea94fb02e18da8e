"""The extractors' fast paths find exactly what their full forms find.

Each speed-up of issue 12 answers some input before the full work, or finds the same
matches another way.  These tests run both over every fixture text and every file of the
regulations corpus (../shared/corpus/regulations, skipped when absent) and compare:

* the appointments grammar's check for a verb (``parse_clause``) against the full parse
  (``parse_clause_in_full``), clause by clause, in prose and in a 决定： list;
* the durations' merged search (``duration_matches``) against the one alternation that
  defines it (``DURATION.finditer``);
* the bracket walk by regex (``split_top_level``) against the walk over every character
  (``bracket_depths``), and the title/organ suffixes by set look-up against trying each word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import regex

from extractors import durations
from extractors.appointments import extract as extract_appointments
from extractors.appointments import grammar, layout
from extractors.appointments.lexicon import (
    bracket_depths,
    ends_with_org_suffix,
    org_suffixes,
    split_top_level,
    strip_trailing_brackets,
    title_suffix,
    titles,
)
from schemas import Document
from tests.conftest import FIXTURES, REGULATIONS

FIXTURE_TEXTS = sorted([*FIXTURES.glob("*.txt"), *FIXTURES.glob("handwritten/*.txt")])
CORPUS_TEXTS = sorted(REGULATIONS.glob("*.txt")) if REGULATIONS.is_dir() else []
needs_corpus = pytest.mark.skipif(not CORPUS_TEXTS, reason=f"regulations corpus not found at {REGULATIONS}")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def pieces(text: str) -> list[str]:
    """Every piece the appointments layout cuts ``text`` into (an item joined to its
    remainder holds the item, so it passes the check when the item does)."""
    return [piece.text for piece in layout.text_to_pieces(text)]


def gate_disagreements(texts: list[str], *, whole_lines: bool = False) -> list[tuple[str, bool]]:
    """Clauses where the checked parse and the full parse differ (records or headedness)."""
    wrong = []
    for text in texts:
        for clause in pieces(text) + (text.split("\n") if whole_lines else []):
            for in_list in (False, True):
                if grammar.parse_clause(clause, None, in_list=in_list) != grammar.parse_clause_in_full(clause, None, in_list=in_list):
                    wrong.append((clause, in_list))
    return wrong


def test_the_verb_check_drops_no_clause_of_the_fixtures():
    texts = [read(path) for path in FIXTURE_TEXTS]
    assert len(texts) >= 7
    assert gate_disagreements(texts, whole_lines=True) == []


@pytest.mark.slow
@needs_corpus
def test_the_verb_check_drops_no_clause_of_the_corpus():
    assert gate_disagreements([read(path) for path in CORPUS_TEXTS]) == []


@pytest.mark.parametrize(
    ("clause", "in_list", "person"),
    [
        # hand-written: each form the check must let through, one verb each
        ("任命张三为市教育局局长；", False, "张三"),
        ("同意李四辞去市审计局局长职务；", False, "李四"),
        ("王五同志不再担任市财政局局长职务；", False, "王五"),
        ("赵六挂职任市发展和改革委员会副主任；", False, "赵六"),
        ("孙七兼任市统计局局长；", False, "孙七"),
        ("周八免去市商务局局长职务；", False, "周八"),
        ("吴九任市水利局局长；", True, "吴九"),  # the bare 任 of a 决定： list
    ],
)
def test_the_verb_check_keeps_every_form(clause: str, in_list: bool, person: str):
    records, headed = grammar.parse_clause(clause, None, in_list=in_list)
    assert headed and [r.person for r in records] == [person]


def verb_alternatives(pattern: str) -> list[str]:
    """The alternatives of the ``verb`` group of a grammar pattern, each cut to the literal
    every match of it starts with (免去其? → 免去, 挂职(?:担)?任 → 挂职, 任(?!…) → 任)."""
    body = pattern[pattern.index("(?P<verb>") + len("(?P<verb>"):]
    depth, end = 0, 0
    while not (body[end] == ")" and depth == 0):  # the group's own closing parenthesis
        depth += {"(": 1, ")": -1}.get(body[end], 0)
        end += 1
    literals = []
    for alternative in split_top_level(body[:end], "|"):
        text = body[alternative[0] : alternative[1]]
        literal = regex.match(r"\p{Han}*", text).group()
        if text[len(literal) : len(literal) + 1] == "?":
            literal = literal[:-1]  # the last character is optional
        literals.append(literal)
    return literals


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (grammar.INLINE_VERB, grammar.PROSE_WORDS),
        (grammar.SUBJECT_FIRST, grammar.PROSE_WORDS),
        (grammar.INLINE_VERB, grammar.LISTED_WORDS),
        (grammar.SUBJECT_FIRST_LISTED, grammar.LISTED_WORDS),
    ],
)
def test_every_verb_of_the_grammar_passes_the_check(pattern, words):
    """A verb added to the grammar but not to the check would make the check drop its clauses."""
    literals = verb_alternatives(pattern.pattern)
    assert len(literals) >= 4 and all(literals)
    assert [literal for literal in literals if not words.search(literal)] == []


def test_a_clause_without_a_verb_is_answered_before_the_parse(monkeypatch):
    def boom(*args, **kwargs):
        raise AssertionError("full parse ran")

    monkeypatch.setattr(grammar, "parse_clause_in_full", boom)
    assert grammar.parse_clause("第三条 本办法由市人民政府负责解释。", None) == ([], False)
    assert grammar.parse_clause("张三任组长", None, in_list=False) == ([], False)  # prose: a working group
    with pytest.raises(AssertionError):
        grammar.parse_clause("张三为市教育局局长；", "任命")  # an item of 决定任命： has no verb of its own


@pytest.mark.parametrize("path", FIXTURE_TEXTS, ids=lambda path: path.name)
def test_appointment_records_equal_the_full_parse(path: Path, monkeypatch):
    """Whole documents: the extractor with the check and with every clause parsed in full."""
    document = Document(doc_id="test/d01", issue_id="test", seq=1, text=read(path))
    checked = extract_appointments(document)
    monkeypatch.setattr(layout, "parse_clause", grammar.parse_clause_in_full)
    monkeypatch.setattr("extractors.appointments.parse_clause", grammar.parse_clause_in_full)
    assert checked == extract_appointments(document)


# ---------------------------------------------------------------------------
# durations


def duration_disagreements(texts: list[str]) -> list[str]:
    def found(matches) -> list[tuple]:
        return [(match.span(), durations._kind_of(match)) for match in matches]

    return [text[:40] for text in texts if found(durations.duration_matches(text)) != found(durations.DURATION.finditer(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # hand-written: where two forms start at one position, DURATION's order decides
        ("三年内期限不超过五年", [("三年内期限不超过五年", "deadline", "五")]),  # a deadline before a within-form
        ("每年时间不超过3天考核一次", [("每年", "period", "1"), ("时间不超过3天", "deadline", "3")]),  # a period before a deadline
        ("最长期限最长3年", [("最长期限最长3年", "deadline", "3")]),  # the label holds a deadline word
        ("建设期限\n\n  不超过 2年，临时占用的时间不得超过一年",
         [("建设期限\n\n  不超过 2年", "deadline", "2"), ("时占用的时间不得超过一年", "deadline", "一")]),
        ("应当在15个工作日内作出决定，有效期为3年", [("15个工作日内", "deadline", "15"), ("有效期为3年", "validity", "3")]),
        ("近3年内", []),
    ],
)
def test_duration_matches_keep_the_order_of_the_forms(text: str, expected: list[tuple]):
    found = [(match.group(), *durations._kind_of(match)[:2]) for match in durations.duration_matches(text)]
    assert found == expected
    assert duration_disagreements([text]) == []


def test_duration_matches_equal_the_alternation_on_the_fixtures():
    assert duration_disagreements([read(path) for path in FIXTURE_TEXTS]) == []


@pytest.mark.slow
@needs_corpus
def test_duration_matches_equal_the_alternation_on_the_corpus():
    assert duration_disagreements([read(path) for path in CORPUS_TEXTS]) == []


# ---------------------------------------------------------------------------
# lexicon


def split_by_walk(text: str, separators: str) -> list[tuple[int, int]]:
    """split_top_level as a walk over every character (its definition)."""
    spans, begin = [], 0
    for index, depth in bracket_depths(text):
        if depth == 0 and text[index] in separators:
            spans.append((begin, index))
            begin = index + 1
    return [*spans, (begin, len(text))]


def longest_by_trying_each(text: str, words) -> str | None:
    return max((word for word in words if text.endswith(word)), key=len, default=None)


@pytest.mark.parametrize(
    "text",
    ["免去张三的A局（B中心〈C〉、D）局长；E", "）孤立的右括号，后文（未闭合：仍在括号内；", "", "；；", "甲（乙；丙）丁；戊"],
)
def test_split_top_level_equals_the_walk(text: str):
    for separators in ("；;。：:", "、", "，,", "，,；;。"):
        assert split_top_level(text, separators) == split_by_walk(text, separators)


def test_lexicon_look_ups_equal_the_walks_on_the_fixtures():
    for path in FIXTURE_TEXTS:
        for line in read(path).split("\n"):
            for separators in ("；;。：:", "、", "，,", "，,；;。"):
                assert split_top_level(line, separators) == split_by_walk(line, separators), line
            for clause in split_top_level(line, "，,；;。、"):
                part = line[clause[0] : clause[1]]
                base, _ = strip_trailing_brackets(part)
                assert title_suffix(part) == longest_by_trying_each(base, titles()), part
                assert ends_with_org_suffix(part) == (longest_by_trying_each(part, org_suffixes()) is not None), part
