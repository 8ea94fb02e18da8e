"""Records of the appointments extractor: one per person × post × action.

A 任免 notice (人事任免文件) appoints, removes, or confirms after probation; the
same phrasings also occur inline in other documents (任命X为Y, 免去X的Y职务,
聘任/解聘, 同意X辞去Y职务).  ``extractors.appointments`` produces these records;
``schemas.tables_appointments`` loads them into the ``appointments`` table.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from schemas.models import Record

Action = Literal["appoint", "remove", "confirm", "nominate"]
Gender = Literal["female", "male"]


class AppointmentRecord(Record):
    """One person appointed to, removed from, or confirmed in one post.

    ``start``/``end`` span the clause in ``Document.text`` and ``raw`` is
    exactly that text, as for every record; ``clause`` is the whole clause,
    with any text that a page or column break displaced from it joined back
    on (see ``extractors.appointments.layout``).
    """

    clause: str
    seq: int  # order of the record in its document, from 1
    person: str
    gender: Gender | None = None  # from （女） / （男） after the name
    action: Action
    verb: str  # the verb as written: 任命, 免去, 聘任, 解聘, 辞去, 试用期满正式任职
    concurrent: bool = False  # （兼）
    post: str  # as written, without rank note and （兼）
    post_key: str | None = None  # canonical post (extractors.appointments.post_key): 市X → 忻州市X, 科技局 → 科学技术局
    organization: str | None = None  # the post minus its title
    title: str | None = None  # the title that ends the post, with an alternative title in brackets
    rank_note: str | None = None  # （副处级） → 副处级
    probation_months: int | None = None  # 试用期一年 → 12
    tenure_from: date | None = None  # 任职时间从2023年7月算起 → 2023-07-01
    decided_by: str | None = None  # meeting or body that decided, with a cited document number
    decided_on: date | None = None  # date of that meeting
    secondment: bool = False  # 挂职: a temporary posting; the holder keeps their own post
    reason: str | None = None  # why a post is left, as written: 另有任用, 退休, 辞职
