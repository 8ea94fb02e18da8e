"""The national regulations corpus (../shared/corpus/regulations): each file is
one document with as many articles as it has article headings."""

from __future__ import annotations

import pytest
import regex

from pipeline.ingest import source_to_issue
from pipeline.read.sources import source_of
from tests.conftest import REGULATIONS

pytestmark = pytest.mark.skipif(not REGULATIONS.is_dir(), reason=f"regulations corpus not found at {REGULATIONS}")

# An article heading: 第X条 at the start of a line, or after a finished sentence
# on a line where the articles were run together (飞行基本规则 in the corpus).
ARTICLE_HEADING = regex.compile(r"(?:^|(?<=[。；：”）] ))第[一二三四五六七八九十百零〇两]+条(?:之[一二三四五六七八九十]+)?[ \u3000]", regex.M)
LINE_START_HEADING = regex.compile(r"^第[一二三四五六七八九十百零〇两]+条", regex.M)


def corpus_files():
    return sorted(REGULATIONS.glob("*.txt")) if REGULATIONS.is_dir() else []


def test_every_regulation_is_one_document_with_its_articles():
    mismatches = []
    files = corpus_files()
    assert len(files) > 600
    for path in files:
        issue = source_to_issue(source_of(path))
        text = path.read_text(encoding="utf-8")
        expected = len(ARTICLE_HEADING.findall(text))
        got = sum(len(d.articles) for d in issue.documents)
        if issue.kind != "single" or len(issue.documents) != 1 or got != expected:
            mismatches.append((path.name, issue.kind, len(issue.documents), got, expected))
    assert mismatches == []


def test_line_start_count_matches_where_lines_were_kept():
    """The simple rule (one article per line starting with 第X条) holds for every file whose articles start lines."""
    for path in corpus_files()[:200]:
        text = path.read_text(encoding="utf-8")
        if len(ARTICLE_HEADING.findall(text)) != len(LINE_START_HEADING.findall(text)):
            continue
        issue = source_to_issue(source_of(path))
        assert len(issue.documents[0].articles) == len(LINE_START_HEADING.findall(text)), path.name


def test_regulation_metadata():
    path = REGULATIONS / "不动产登记暂行条例(2019-03-24).txt"
    if not path.exists():
        pytest.skip("file not in this corpus")
    doc = source_to_issue(source_of(path)).documents[0]
    assert doc.title == "不动产登记暂行条例"
    assert doc.doc_number == "中华人民共和国国务院令第656号"
    assert doc.signed_on.isoformat() == "2014-11-24"
    assert doc.chapters[0].title == "总则"


FILE_DATE = regex.compile(r"\((\d{4})-(\d{2})-(\d{2})\)")  # 专利代理条例(2018-11-06).txt: the version's date
ORDER_LINE = regex.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*\S*令第\s*\d+\s*号", regex.M)


def test_the_signing_date_is_the_versions_promulgation_by_its_order():
    """The corpus names each file by the date of its version.  Where that date begins a line of
    the 题注 that carries an order (…令第N号公布 / …修订), the parsed signing date is that date:
    the order that promulgated this version, not the original's nor the meeting's."""
    checked, wrong = 0, []
    for path in corpus_files():
        named = FILE_DATE.search(path.name)
        head = path.read_text(encoding="utf-8")[:1500]
        order_dates = {"%s-%02d-%02d" % (y, int(m), int(d)) for y, m, d in ORDER_LINE.findall(head)}
        if not named or "-".join(named.groups()) not in order_dates:
            continue
        checked += 1
        signed = source_to_issue(source_of(path)).documents[0].signed_on
        if signed is None or signed.isoformat() != "-".join(named.groups()):
            wrong.append((path.name, signed))
    assert checked > 100
    assert wrong == []
