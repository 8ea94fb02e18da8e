"""Files of several documents with no masthead and no 目录 (a scanned batch of
notices, a 政府信息公开 download) split into their documents: at each 发文字号
line under its title, and at a full title after the signature block
(发文机关署名 + 成文日期, GB/T 9704-2012 7.3.5) that ends the document before."""

from __future__ import annotations

from datetime import date

from extractors.appointments import extract
from pipeline.ingest import source_to_issue
from pipeline.read.sources import source_of
from tests.conftest import FIXTURES
from tests.test_appointments_sample import as_rows, expected_records

# The four 任免 notices of the sample (忻政任〔2024〕20–23号), cut from
# tests/fixtures/xinzhou-2024-05.txt as they are printed, without the cover and the 目录.
APPOINTMENT_NOTICES = FIXTURES / "synthetic-appointment-notices.txt"
# An invented batch of four notices (not real documents), no masthead and no 目录:
# two with their 发文字号 under the title, one without (its title follows the
# previous document's signature block), and a joint notice of two organs.  Not
# in tests/fixtures/handwritten/, whose notices the analysts' warehouse loads.
BATCH = FIXTURES / "synthetic-notices-batch-2025.txt"


def test_four_appointment_notices_split_with_their_appointments():
    issue = source_to_issue(source_of(APPOINTMENT_NOTICES))
    assert issue.kind == "collection"
    assert [d.doc_number for d in issue.documents] == [f"忻政任〔2024〕{n}号" for n in (20, 21, 22, 23)]
    assert [d.signed_on for d in issue.documents] == [date(2024, 8, 20), date(2024, 8, 26), date(2024, 8, 30), date(2024, 9, 14)]
    assert all(d.issuer == "忻州市人民政府" and d.doc_type == "通知" for d in issue.documents)
    # The hand-checked appointments of the sample, number by number (2, 11, 2, 26 = 41).
    expected = expected_records()
    found = {d.doc_number: as_rows(extract(d)) for d in issue.documents}
    assert {n: len(rows) for n, rows in found.items()} == {n: len(rows) for n, rows in expected.items()}
    assert sum(len(rows) for rows in found.values()) == 41
    assert found == expected
    assert issue.findings == []


def test_a_batch_of_other_notices_splits_on_numbers_titles_and_signatures():
    issue = source_to_issue(source_of(BATCH))
    rows = [(d.doc_number, d.doc_type, d.issuer, d.signed_on, d.note) for d in issue.documents]
    assert rows == [
        ("市政办发〔2025〕3号", "通知", "晋中市人民政府办公室", date(2025, 1, 10), "此件公开发布"),
        ("市政函〔2025〕12号", "批复", "晋中市人民政府", date(2025, 2, 3), None),
        (None, "通知", "晋中市人民政府", date(2025, 3, 18), "此件公开发布"),  # no 发文字号: found by its title
        ("市财社〔2025〕8号", "通知", "晋中市财政局、晋中市人力资源和社会保障局", date(2025, 4, 2), None),
    ]
    assert issue.documents[2].title == "晋中市人民政府关于公布第一批市级非物质文化遗产代表性项目名录的通知"
    assert issue.documents[2].recipients == "各县（区、市）人民政府，市直各有关单位"
    # The document without a number is said so, and nothing else is wrong.
    assert [(f.doc_id, f.check, f.severity) for f in issue.findings] == [(issue.documents[2].doc_id, "document_elements", "warning")]


def test_one_notice_alone_stays_a_single_document():
    issue = source_to_issue(source_of(FIXTURES / "handwritten" / "repeal-notice-2025.txt"))
    assert issue.kind == "single" and len(issue.documents) == 1
