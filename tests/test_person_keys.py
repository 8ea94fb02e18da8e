"""person_key: one person across documents and issues, homonyms kept apart and
flagged (schemas/person_keys.py), on hand-written register rows."""

from __future__ import annotations

from schemas.person_keys import RegisterRow, organ_of, rows_to_person_keys


def keys(rows: list[RegisterRow]) -> list[tuple[str, str]]:
    return [(k.person_key, k.basis) for k in rows_to_person_keys(rows)]


def test_organ_of_drops_the_title():
    assert organ_of("忻州市应急管理局副局长", "副局长") == "忻州市应急管理局"
    assert organ_of("某县看守所所长（副处级）", None) == "某县看守所所长（副处级）"


def test_one_person_across_issues_through_an_organ_and_a_document():
    """Appointed to 审计局 (issue 5), moved from 审计局 to 财政局 (issue 6), removed
    from 财政局 (issue 8): three documents, one chain of links, one person."""
    rows = [
        RegisterRow("gz-2024-05/d01", 1, "李明", "某县审计局"),
        RegisterRow("gz-2024-06/d02", 1, "李明", "某县财政局"),
        RegisterRow("gz-2024-06/d02", 2, "李明", "某县审计局"),
        RegisterRow("gz-2024-08/d01", 3, "李明", "某县财政局"),
    ]
    assert keys(rows) == [("李明", "name")] * 4


def test_homonyms_in_unlinked_organs_stay_apart_and_are_flagged():
    """Two 张伟: one in 某县教育局, one in 另县公安局; no record links them."""
    rows = [
        RegisterRow("gz-2024-05/d01", 1, "张伟", "某县教育局"),
        RegisterRow("gz-2024-05/d01", 2, "王芳", "某县教育局"),
        RegisterRow("gz-2024-07/d03", 1, "张伟", "另县公安局"),
        RegisterRow("gz-2024-09/d02", 4, "张伟", "某县教育局"),
    ]
    assert keys(rows) == [
        ("张伟@某县教育局", "name_and_organs"),
        ("王芳", "name"),  # shares an organ with 张伟, but not a name: stays 王芳
        ("张伟@另县公安局", "name_and_organs"),
        ("张伟@某县教育局", "name_and_organs"),
    ]


def test_a_document_joins_two_organs_of_one_name():
    """Once one document names 张伟 in both organs (免去其…职务), the two sets are one."""
    rows = [
        RegisterRow("gz-2024-05/d01", 1, "张伟", "某县教育局"),
        RegisterRow("gz-2024-07/d03", 1, "张伟", "另县公安局"),
        RegisterRow("gz-2024-09/d02", 1, "张伟", "另县公安局"),
        RegisterRow("gz-2024-09/d02", 2, "张伟", "某县教育局"),
    ]
    assert keys(rows) == [("张伟", "name")] * 4
