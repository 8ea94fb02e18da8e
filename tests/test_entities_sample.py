"""Golden tests of the entity extractors on the sample issue.

Expectations are in tests/fixtures/xinzhou-2024-05.entities.json, written by hand
from the sample's text.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES

EXPECTED = json.loads((FIXTURES / "xinzhou-2024-05.entities.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def extracted(sample_issue):
    from extractors import extract_issue

    return extract_issue(sample_issue)


def docs(issue):
    return {d.seq: d for d in issue.documents}


def records(issue, kind):
    return [(d.seq, r) for d in issue.documents for r in d.records[kind]]


def test_every_record_carries_provenance(extracted):
    for document in extracted.documents:
        for _kind, recs in document.records.items():
            for r in recs:
                assert r.doc_id == document.doc_id
                assert 0 <= r.start < r.end <= len(document.text)
                assert r.raw == document.text[r.start:r.end]
                assert r.extractor
                assert r.page is not None
                if r.article_id is not None:
                    article = next(a for a in document.articles if a.article_id == r.article_id)
                    assert article.start <= r.start < article.end


def test_twenty_distinct_external_cited_numbers(extracted):
    cited = {r.cited_number for _, r in records(extracted, "doc_references") if r.cited_number}
    assert cited == set(EXPECTED["external_cited_numbers"])
    assert len(cited) == 20


def test_doc_numbers_include_own_and_cited(extracted):
    by_seq = docs(extracted)
    for _seq, document in by_seq.items():
        own = [r for r in document.records["doc_numbers"] if r.own]
        assert [r.canonical for r in own] == [document.doc_number]
    all_numbers = {r.canonical for _, r in records(extracted, "doc_numbers")}
    assert set(EXPECTED["external_cited_numbers"]) <= all_numbers
    # written 忻政发[2018]35号 and 晋科监发〔2020〕27\n\n号 in the source
    raw = {r.canonical: r.raw for _, r in records(extracted, "doc_numbers")}
    assert raw["忻政发〔2018〕35号"] == "忻政发[2018]35号"


def test_organs(extracted):
    organs = {r.code: r.organ for _, r in records(extracted, "doc_numbers")}
    for code, organ in EXPECTED["organs"].items():
        assert organs[code] == organ


def test_six_repeals(extracted):
    repeals = {(seq, r.cited_number) for seq, r in records(extracted, "doc_references") if r.relation == "repeals"}
    assert repeals == {tuple(pair) for pair in EXPECTED["repeals"]}


def test_relations(extracted):
    got = {(seq, r.cited_number): r.relation for seq, r in records(extracted, "doc_references")}
    for seq, number, relation in EXPECTED["relations"]:
        assert got[(seq, number)] == relation
    amended = {(seq, r.cited_title) for seq, r in records(extracted, "doc_references") if r.relation == "amends"}
    assert {tuple(x) for x in EXPECTED["amended_titles"]} <= amended


def test_no_self_or_form_references(extracted):
    for seq, r in records(extracted, "doc_references"):
        document = docs(extracted)[seq]
        assert r.cited_number != document.doc_number
        if r.cited_number is None:
            assert r.cited_title != document.instrument_title
            assert not r.cited_title.endswith(("申请书", "任务书", "优待证"))
        assert r.cited_title != "规划纲要"  # an abbreviation the document defines


def test_twenty_three_amounts(extracted):
    got = [[seq, r.raw, str(r.value_yuan), r.per_unit, r.period] for seq, r in records(extracted, "amounts")]
    assert got == EXPECTED["amounts"]
    assert all(r.currency == "CNY" for _, r in records(extracted, "amounts"))


def test_amount_subjects(extracted):
    got: dict = {}
    for seq, r in records(extracted, "amounts"):
        got.setdefault((seq, r.raw), []).append(r.subject)
    for seq, raw, subject in EXPECTED["amount_subjects"]:
        assert subject in got[(seq, raw)]


def test_indicator_table_is_not_money(extracted):
    d6 = docs(extracted)[6]
    assert d6.records["amounts"] == []
    assert "万元GDP" in d6.text and "万人次" in d6.text


def test_thresholds(extracted):
    for seq_text, expected in EXPECTED["thresholds"].items():
        document = docs(extracted)[int(seq_text)]
        got = [[r.raw, r.op, str(r.value), r.unit] for r in document.records["thresholds"]]
        assert got == expected, seq_text
        assert all(r.inclusive == (r.op in (">=", "<=")) for r in document.records["thresholds"])


def test_threshold_subjects(extracted):
    got: dict = {}
    for seq, r in records(extracted, "thresholds"):
        got.setdefault((seq, r.raw), []).append(r.subject)
    for seq, raw, subject in EXPECTED["threshold_subjects"]:
        assert subject in got[(seq, raw)]


def test_durations(extracted):
    for seq_text, expected in EXPECTED["durations"].items():
        document = docs(extracted)[int(seq_text)]
        got = [[r.kind, str(r.value), r.unit] for r in document.records["durations"]]
        assert got == expected, seq_text


def test_dates_and_roles(extracted):
    got = {(seq, r.value.isoformat(), r.precision, r.role) for seq, r in records(extracted, "dates")}
    for row in EXPECTED["dates"]:
        assert tuple(row) in got
    # every document's signing date is found as 'signed'
    for document in extracted.documents:
        signed = [r.value for r in document.records["dates"] if r.role == "signed"]
        assert signed == [document.signed_on]
    # the table's 2020年/2025年 column heads are not dates of the text
    assert all(r.raw != "2025年" for r in docs(extracted)[6].records["dates"])


def test_lifecycle(extracted):
    by_seq = docs(extracted)
    for seq_text, (effective, years, until) in EXPECTED["lifecycle"].items():
        document = by_seq[int(seq_text)]
        assert (document.effective_on.isoformat() if document.effective_on else None) == effective
        assert document.valid_years == years
        assert (document.valid_until.isoformat() if document.valid_until else None) == until


def test_indicator_table(extracted):
    cells = docs(extracted)[6].records["doc_tables"]
    table1 = [c for c in cells if c.table_no == 1]
    header = [c.text for c in table1 if c.row_no == 1]
    assert header == EXPECTED["table_6"]["header"]
    rows = {}
    for c in table1:
        rows.setdefault(c.row_no, []).append(c.text)
    assert EXPECTED["table_6"]["forest_row"] in rows.values()
    # 26 numbered indicators, each starting a row
    numbered = [r[0] for r in rows.values() if r[0].isdigit()]
    assert numbered == [str(n) for n in range(1, 27)]
