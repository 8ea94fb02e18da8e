"""A small warehouse for the analysts' tests (views, search, export, report, schema).

It holds the sample issue and the two hand-written notices in
tests/fixtures/handwritten/ (parsed by the real parser), plus hand-written
entity rows read off the source text by a person.  The entity tables come from
the extractor modules (doc_numbers, doc_references, dates, amounts, thresholds,
durations, doc_tables, appointments); their rows are replaced by the
hand-written ones, with the values the extractors' contracts allow (action
appoint/remove/confirm, role meeting …), so expected values here do not
depend on the extractors' quality.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.parse.segment import single_issue_id
from tests.conftest import FIXTURES

HANDWRITTEN = FIXTURES / "handwritten"
S = "忻州市人民政府公报-2024-05/d"  # sample documents: S + "01" … S + "15"
OLD = single_issue_id(HANDWRITTEN / "notice-2018-stand-in.txt") + "/d01"  # hand-written stand-in for 忻政发〔2018〕35号
NEW = single_issue_id(HANDWRITTEN / "repeal-notice-2025.txt") + "/d01"    # hand-written notice repealing 忻政发〔2024〕13号

# The entity tables whose rows these tests replace with hand-written ones.
ENTITY_TABLES = ("doc_numbers", "doc_references", "dates", "amounts", "thresholds", "durations", "doc_tables", "appointments")

# Read off the source text by hand (line numbers of tests/fixtures/xinzhou-2024-05.txt in comments).
ENTITY_ROWS: dict[str, list[dict]] = {
    "amounts": [
        # l.107 按30万元的标准给予配套奖励; 分别按一等奖10万元、二等奖5万元
        {"doc_id": S + "01", "value_yuan": Decimal("300000"), "currency": "CNY", "subject": "特等奖配套奖励", "raw": "30万元"},
        {"doc_id": S + "01", "value_yuan": Decimal("100000"), "currency": "CNY", "subject": "一等奖配套奖励", "raw": "10万元"},
        {"doc_id": S + "01", "value_yuan": Decimal("50000"), "currency": "CNY", "subject": "二等奖配套奖励", "raw": "5万元"},
        # l.590 每个采暖季补贴300元/户 … 500元/户
        {"doc_id": S + "04", "value_yuan": Decimal("300"), "currency": "CNY", "per_unit": "户", "period": "采暖季", "subject": "煤改电居民用户运行补贴", "raw": "300元/户"},
        {"doc_id": S + "04", "value_yuan": Decimal("500"), "currency": "CNY", "per_unit": "户", "period": "采暖季", "subject": "煤改气居民用户运行补贴", "raw": "500元/户"},
        # hand-written stand-in: 按10万元的标准
        {"doc_id": OLD, "value_yuan": Decimal("100000"), "currency": "CNY", "subject": "配套奖励", "raw": "10万元"},
    ],
    "thresholds": [
        # l.658 主营业务收入5亿元以上、税收贡献不低于2500万元 (以上/不低于 include the number)
        {"doc_id": S + "05", "subject": "主营业务收入", "op": ">=", "value": Decimal("500000000"), "unit": "元", "inclusive": True, "start": 1, "raw": "5亿元以上"},
        {"doc_id": S + "05", "subject": "税收贡献", "op": ">=", "value": Decimal("25000000"), "unit": "元", "inclusive": True, "start": 2, "raw": "不低于2500万元"},
        # l.1443 场所不少于200平方米; l.1579 使用面积不少于500平方米
        {"doc_id": S + "14", "subject": "场所面积", "op": ">=", "value": Decimal("200"), "unit": "平方米", "inclusive": True, "raw": "不少于200平方米"},
        {"doc_id": S + "15", "subject": "场所面积", "op": ">=", "value": Decimal("500"), "unit": "平方米", "inclusive": True, "raw": "不少于500平方"},
        # hand-written 2025 notice: 不超过30万元
        {"doc_id": NEW, "subject": "配套奖励", "op": "<=", "value": Decimal("300000"), "unit": "元", "inclusive": True, "raw": "不超过30万元"},
    ],
    "appointments": [
        # l.982-997, 忻政任〔2024〕21号, 2024年8月23日第43次常务会议
        {"doc_id": S + "09", "seq": 1, "person": "肖进军", "action": "appoint", "post": "忻州市应急管理局副局长", "organization": "忻州市应急管理局", "title": "副局长", "decided_by": "市人民政府常务会议", "decided_on": "2024-08-23"},
        {"doc_id": S + "09", "seq": 2, "person": "于喜海", "action": "appoint", "post": "忻州文化研究院（五台山研究院）院长", "organization": "忻州文化研究院（五台山研究院）", "title": "院长", "probation_months": 12, "decided_by": "市人民政府常务会议", "decided_on": "2024-08-23"},
        {"doc_id": S + "09", "seq": 3, "person": "于喜海", "action": "remove", "post": "忻州市文化和旅游局副局长", "organization": "忻州市文化和旅游局", "title": "副局长", "decided_by": "市人民政府常务会议", "decided_on": "2024-08-23"},
        {"doc_id": S + "09", "seq": 4, "person": "张印山", "action": "remove", "post": "忻州市应急管理局副局长", "organization": "忻州市应急管理局", "title": "副局长", "decided_by": "市人民政府常务会议", "decided_on": "2024-08-23"},
        {"doc_id": S + "09", "seq": 5, "person": "肖进军", "action": "remove", "post": "忻州市应急管理考试中心主任", "organization": "忻州市应急管理考试中心", "title": "主任", "decided_by": "市人民政府常务会议", "decided_on": "2024-08-23"},
        # l.1011-1017, 忻政任〔2024〕22号
        {"doc_id": S + "10", "seq": 1, "person": "孟宏斌", "action": "appoint", "post": "忻州市人民政府副市长", "organization": "忻州市人民政府", "title": "副市长", "decided_by": "忻州市第五届人民代表大会常务委员会第二十二次会议", "decided_on": "2024-08-29"},
        {"doc_id": S + "10", "seq": 2, "person": "栗晓敏", "action": "appoint", "concurrent": True, "post": "忻州市人民政府国防动员办公室主任", "organization": "忻州市人民政府国防动员办公室", "title": "主任", "decided_by": "忻州市第五届人民代表大会常务委员会第二十二次会议", "decided_on": "2024-08-29"},
    ],
    "doc_references": [
        # l.117 《…的通知》(忻政发[2018]35号)同时废止 — in the warehouse as the hand-written stand-in
        {"doc_id": S + "01", "cited_title": "忻州市人民政府关于深入落实山西省科学技术奖励办法的通知", "cited_number": "忻政发〔2018〕35号", "relation": "repeals", "cited_doc_id": OLD},
        # l.99 《山西省科学技术奖励办法》(晋政发〔2023〕16号): not in the warehouse
        {"doc_id": S + "01", "cited_title": "山西省科学技术奖励办法", "cited_number": "晋政发〔2023〕16号", "relation": "cites"},
        # l.275 and l.556: the same repeal twice (notice and 第五十二条)
        {"doc_id": S + "03", "cited_title": "忻州市突发事件应急预案管理办法", "cited_number": "忻政办发〔2016〕78号", "relation": "repeals", "start": 10},
        {"doc_id": S + "03", "cited_title": "忻州市突发事件应急预案管理办法", "cited_number": "忻政办发〔2016〕78号", "relation": "repeals", "start": 20},
        # hand-written 2025 notice repeals 忻政发〔2024〕13号
        {"doc_id": NEW, "cited_title": "忻州市人民政府关于深入贯彻落实山西省科学技术奖励办法的通知", "cited_number": "忻政发〔2024〕13号", "relation": "repeals", "cited_doc_id": S + "01"},
    ],
    "durations": [
        {"doc_id": S + "12", "kind": "validity", "value": 5, "unit": "年", "raw": "有效期五年"},
    ],
    "dates": [
        {"doc_id": S + "09", "value": "2024-08-23", "precision": "day", "role": "meeting", "raw": "2024年8月23日"},
    ],
    "doc_numbers": [
        {"doc_id": S + "01", "code": "忻政发", "year": 2018, "serial": 35, "canonical": "忻政发〔2018〕35号", "raw": "忻政发[2018]35号"},
    ],
    "doc_tables": [
        {"doc_id": S + "06", "table_no": 1, "row_no": 1, "col_no": 1, "text": "序号"},
        {"doc_id": S + "06", "table_no": 1, "row_no": 1, "col_no": 2, "text": "指标"},
    ],
}

# documents.repealed_by, from the references above: 2018 → 2024 → 2025
REPEALS = {OLD: S + "01", S + "01": NEW}


def put_entity_rows(con) -> None:
    """Create the entity tables that are missing, replace their rows with ENTITY_ROWS, recreate views."""
    from pipeline.store import warehouse

    for table in ENTITY_TABLES:
        con.execute(f"DELETE FROM {table}")
        for row in ENTITY_ROWS.get(table, []):
            names = ", ".join(f'"{name}"' for name in row)
            marks = ", ".join("?" for _ in row)
            con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(row.values()))
    for doc_id, by in REPEALS.items():
        con.execute("UPDATE documents SET repealed_by = ? WHERE doc_id = ?", [by, doc_id])
    warehouse.create_views(con)


def build_analyst_warehouse(path: Path, sample_issue, *, entities: bool = True) -> Path:
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of
    from pipeline.store import search_index, warehouse

    con = warehouse.connect(path)
    try:
        warehouse.load_issue(con, sample_issue)
        for source in sorted(HANDWRITTEN.glob("*.txt")):
            warehouse.load_issue(con, source_to_issue(source_of(source)))
        if entities:
            put_entity_rows(con)
        search_index.rebuild_index(con)
    finally:
        con.close()
    return path
