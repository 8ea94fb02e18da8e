"""The appointments extractor on the sample issue (text and PDF) and on the
regulations corpus.  Expected records are in
tests/fixtures/xinzhou-2024-05.appointments.expected.json, written by hand from
the text of 忻政任〔2024〕20–23号."""

from __future__ import annotations

import json
from datetime import date

import pytest

from extractors.appointments import TRIGGER, extract
from tests.conftest import FIXTURES, REGULATIONS

EXPECTED = FIXTURES / "xinzhou-2024-05.appointments.expected.json"
FIELDS = ("person", "action", "post", "organization", "title", "rank_note", "probation_months", "concurrent", "tenure_from")


def expected_records() -> dict[str, list[tuple]]:
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))
    data.pop("_comment")
    return {number: [tuple(row) for row in rows] for number, rows in data.items()}


def as_rows(records) -> list[tuple]:
    return [
        tuple(getattr(r, f).isoformat() if isinstance(getattr(r, f), date) else getattr(r, f) for f in FIELDS)
        for r in records
    ]


def issue_records(issue) -> dict[str, list]:
    return {d.doc_number: extract(d) for d in issue.documents}


def test_expected_file_counts():
    """The hand-written file itself: 41 records, 19 appointments (2 confirmations), 22 removals."""
    rows = [row for rows in expected_records().values() for row in rows]
    assert len(rows) == 41
    assert sum(row[1] in ("appoint", "confirm") for row in rows) == 19
    assert sum(row[1] == "confirm" for row in rows) == 2
    assert sum(row[1] == "remove" for row in rows) == 22


def test_sample_records_exact(sample_issue):
    found = issue_records(sample_issue)
    expected = expected_records()
    for number, rows in expected.items():
        assert as_rows(found[number]) == rows, number
    # and nothing anywhere else in the issue
    others = {n: r for n, r in found.items() if n not in expected and r}
    assert others == {}


def test_sample_provenance(sample_issue):
    pages = {"忻政任〔2024〕20号": 33, "忻政任〔2024〕21号": 33, "忻政任〔2024〕22号": 34, "忻政任〔2024〕23号": 35}
    for document in sample_issue.documents:
        records = extract(document)
        assert [r.seq for r in records] == list(range(1, len(records) + 1))
        for record in records:
            assert record.page == pages[document.doc_number]
            assert record.doc_id == document.doc_id
            # the clause starts where the record says, in the document's text
            assert document.text[record.start : record.end] == record.raw and record.raw in record.clause
            assert record.person in record.clause


def test_sample_decisions(sample_issue):
    by_number = issue_records(sample_issue)
    decisions = {n: {(r.decided_by, r.decided_on) for r in records} for n, records in by_number.items() if records}
    assert decisions == {
        "忻政任〔2024〕20号": {("市人民政府", None)},
        "忻政任〔2024〕21号": {("市人民政府2024年8月23日第43次常务会议", date(2024, 8, 23))},
        "忻政任〔2024〕22号": {("2024年8月29日忻州市第五届人民代表大会常务委员会第二十二次会议（忻人任字〔2024〕8号）", date(2024, 8, 29))},
        "忻政任〔2024〕23号": {("市人民政府2024年9月14日第44次常务会议", date(2024, 9, 14))},
    }


def test_gender_concurrent_rank(sample_issue):
    records = [r for d in sample_issue.documents for r in extract(d)]
    assert {r.person for r in records if r.concurrent} == {"栗晓敏"}
    assert {(r.person, r.rank_note) for r in records if r.rank_note} == {("任有红", "副处级")}
    assert all(r.gender is None for r in records)  # the sample marks no gender


def test_interleaved_two_column_document(sample_issue):
    """忻政任〔2024〕20号 reads across two columns: the end of 乔哲's clause (算起。)
    sits after the lead-in, the signature before his name, the date after."""
    document = next(d for d in sample_issue.documents if d.doc_number == "忻政任〔2024〕20号")
    text = document.text
    # the layout fault is really there, so this test means something
    assert text.index("算起。") < text.index("任有红为")
    assert "忻州市人民政府乔哲为" in text
    assert text.index("2023年5月") < text.index("2024年8月20日")
    qiao = [r for r in extract(document) if r.person == "乔哲"]
    assert len(qiao) == 1
    assert qiao[0].action == "confirm"
    assert qiao[0].tenure_from == date(2023, 5, 1)
    assert qiao[0].clause.endswith("任职时间从2023年5月算起。")


def test_no_records_from_other_text(sample_issue):
    """试用期 clauses, 主任负责制, 任命市重点实验室主任 in a duties list, 重要人事任免 …"""
    texts = [d for d in sample_issue.documents if d.section != "人事任免文件"]
    assert any("主任负责制" in d.text for d in texts)
    assert any("任命市重点实验室主任" in d.text for d in texts)
    for document in texts:
        assert extract(document) == [], document.doc_number


@pytest.fixture(scope="module")
def pdf_issue(tmp_path_factory):
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of
    from tests.conftest import SAMPLE_TXT
    from tests.fixtures.make_pdf import render_sample_pdf

    pdf = render_sample_pdf(SAMPLE_TXT, tmp_path_factory.mktemp("appointments-pdf") / "sample.pdf")
    return source_to_issue(source_of(pdf))


def test_sample_records_exact_from_pdf(pdf_issue):
    """The same 41 records from the two-column PDF rendering of the sample."""
    found = issue_records(pdf_issue)
    for number, rows in expected_records().items():
        assert as_rows(found.get(number, [])) == rows, number


@pytest.mark.skipif(not REGULATIONS.is_dir(), reason="regulations corpus absent")
def test_no_records_in_regulations_corpus():
    """683 行政法规 talk about 任命, 聘任, 免去其职务, 提名, 兼任, 挂职 and 试用期 but appoint nobody."""
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    files = sorted(REGULATIONS.glob("*.txt"))
    assert files
    invented = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        if not TRIGGER.search(text) and "聘" not in text:
            continue
        issue = source_to_issue(source_of(path))
        for document in issue.documents:
            invented += [(path.name, r.person, r.post) for r in extract(document)]
    assert invented == []


def test_sample_post_keys(sample_issue):
    """The issuer of 忻政任〔2024〕20–23号 is 忻州市人民政府: 市看守所 is 忻州市看守所, and
    管委会 is written in full; every other post of the sample is already written
    in full (written by hand from the 41 posts of the expected file)."""
    from extractors import extract_document

    records = [r for d in sample_issue.documents for r in extract_document(d).records.get("appointments", [])]
    assert len(records) == 41
    changed = {r.post: r.post_key for r in records if r.post_key != r.post}
    assert changed == {
        "市看守所所长": "忻州市看守所所长",
        "繁峙经济技术开发区管委会主任": "繁峙经济技术开发区管理委员会主任",
        "五台山风景名胜区管委会副主任": "五台山风景名胜区管理委员会副主任",
    }
    assert all(not w.startswith("appointments:") for d in sample_issue.documents for w in extract_document(d).warnings)
