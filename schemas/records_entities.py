"""Typed records of the entity extractors (issue 3).

Each subclasses ``schemas.Record``, so it carries its provenance: doc_id,
article_id, start/end offsets into ``Document.text``, page, raw text and the
extractor's name.  One record type per warehouse table (schemas/tables_entities.py).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from schemas.models import DatePrecision, Record

Relation = Literal["cites", "implements", "repeals", "amends", "replaces", "amended_by"]
DateRole = Literal["signed", "effective", "published", "approved", "meeting", "amended", "tenure_start", "issued"]
Op = Literal[">=", ">", "<=", "<", "="]
AmountRole = Literal["subsidy", "award", "grant", "fee", "fine", "budget", "criterion", "other"]
DurationKind = Literal["validity", "deadline", "window", "period", "probation"]


class DocNumberRecord(Record):
    """A 发文字号 (机关代字〔年份〕顺序号号) or an order number (…令第N号)."""

    code: str  # 机关代字, whitespace removed: 忻政办发
    year: int | None = None  # None for order numbers (政府令第15号)
    serial: int
    canonical: str  # 忻政办发〔2024〕34号
    organ: str | None = None  # 忻州市人民政府办公室, where the code is known or derivable
    own: bool = False  # the document's own number (its 发文字号), not a citation


class ReferenceRecord(Record):
    """An instrument cited by title (《…》) and/or document number, with its relation."""

    cited_title: str | None = None
    cited_number: str | None = None  # canonical
    relation: Relation = "cites"
    trigger: str | None = None  # the word that set the relation (依据, 同时废止, 补充完善 …)


class DateRecord(Record):
    value: date  # first day of the month/year when less precise
    precision: DatePrecision
    role: DateRole | None = None
    subject_doc: str | None = None  # the cited document the date belongs to (its title or number)


class AmountRecord(Record):
    value_yuan: Decimal
    currency: str = "CNY"
    per_unit: str | None = None  # 300元/户 → 户
    period: str | None = None  # 每个采暖季
    subject: str | None = None  # what the money is: 仪器设备原值, 建设经费, 一等奖
    role: AmountRole = "other"  # extractors/money_roles.py
    threshold_id: str | None = None  # the thresholds row a criterion is the value of


class ThresholdRecord(Record):
    threshold_id: str = ""  # doc_id@start
    subject: str | None = None
    anchor: str | None = None  # a deadline's starting event: 自租赁合同签订之日起 → 租赁合同签订之日
    subject_note: str | None = None  # why the subject is empty, when it is
    op: Op
    value: Decimal
    unit: str | None = None  # 元, %, ratio, 人, 平方米, 周岁, 年, 个月, 天, 个工作日 …
    inclusive: bool
    keyword: str  # the comparison word as written: 不少于, 以上, 以内 …


class DurationRecord(Record):
    kind: DurationKind
    value: Decimal
    unit: str  # 年, 个月, 天, 个工作日
    label: str | None = None  # 有效期, 试行期, 建设期, 试用期 …


class TableCellRecord(Record):
    table_no: int
    row_no: int
    col_no: int
    text: str
