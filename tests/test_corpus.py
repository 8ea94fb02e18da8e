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
