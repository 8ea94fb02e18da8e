"""documents_in_force(day): started, validity not run out (none stated = open-ended), not repealed by then.

The warehouse is the sample plus the two hand-written notices of tests/fixtures/handwritten/, ingested
by the real pipeline.  Expected values are read off the texts by hand (line numbers of
tests/fixtures/xinzhou-2024-05.txt):

* 忻政发〔2024〕13号: 自下发之日起施行 (l.117), signed 2024-08-29; no validity; repealed by the hand-written
  忻政发〔2025〕2号 (signed 2025-03-10, 自本通知印发之日起停止执行); it repeals the hand-written stand-in for
  忻政发〔2018〕35号 (signed and in force from 2018-06-01) from 2024-08-29.
* 忻政发〔2024〕14号: 自印发之日起施行，有效期两年 (l.267), signed 2024-09-05 → last day 2026-09-04.
* 忻政办发〔2024〕34号: 自印发之日起实施 (l.556), signed 2024-08-28; no validity.
* 忻政办发〔2024〕38号: signed 2024-09-23, 试行期为三年 (l.620) → 2027-09-22.
* 忻政办发〔2024〕40号: signed 2024-10-08, 有效期5年 (l.744) → 2029-10-07.
* 忻政办函〔2024〕68号: signed 2024-09-01, states no date of effect → from its signing date.
* 忻政办函〔2024〕72号: signed 2024-09-29, 自2024年10月1日起施行 (l.946); no validity.
* 忻政任〔2024〕20–23号: signed 2024-08-20, 08-26, 08-30, 09-14; no date of effect stated.
* 忻科规〔2024〕1–4号: signed 2024-06-24, 自2024年8月4日起施行，有效期五年 → 2029-08-03.
"""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.store import warehouse
from tests.conftest import FIXTURES, SAMPLE_TXT

KEGUI = {f"忻科规〔2024〕{n}号" for n in range(1, 5)}
RENMIAN = {f"忻政任〔2024〕{n}号" for n in (20, 21, 22, 23)}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("in-force") / "w.duckdb"
    result = CliRunner().invoke(app, [
        "ingest", str(SAMPLE_TXT), str(FIXTURES / "handwritten"), "--direct",
        "--db", str(path), "--parsed-dir", str(path.parent / "parsed"),
    ])
    assert result.exit_code == 0, result.output
    return path


def in_force(db, day: str) -> set[str]:
    con = warehouse.connect(db, read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT doc_number FROM documents_in_force(?)", [day]).fetchall()}
    finally:
        con.close()


@pytest.mark.parametrize(("day", "expected"), [
    # the day before 13号: the 2018 notice it repeals still holds; 72号, 14号 … not signed yet
    ("2024-08-28", {"忻政发〔2018〕35号", "忻政办发〔2024〕34号", "忻政任〔2024〕20号", "忻政任〔2024〕21号"} | KEGUI),
    # 13号 takes effect and the 2018 notice is repealed on the same day
    ("2024-08-29", {"忻政发〔2024〕13号", "忻政办发〔2024〕34号", "忻政任〔2024〕20号", "忻政任〔2024〕21号"} | KEGUI),
    # 72号 is signed (09-29) but takes effect on 10-01; 40号 is signed on 10-08
    ("2024-09-30", {"忻政发〔2024〕13号", "忻政发〔2024〕14号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号",
                    "忻政办函〔2024〕68号"} | RENMIAN | KEGUI),
    # the last day before the 2025 notice repeals 13号, then the day it does
    ("2025-03-09", {"忻政发〔2024〕13号", "忻政发〔2024〕14号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号",
                    "忻政办发〔2024〕40号", "忻政办函〔2024〕68号", "忻政办函〔2024〕72号"} | RENMIAN | KEGUI),
    ("2025-03-10", {"忻政发〔2025〕2号", "忻政发〔2024〕14号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号",
                    "忻政办发〔2024〕40号", "忻政办函〔2024〕68号", "忻政办函〔2024〕72号"} | RENMIAN | KEGUI),
    # 14号's two years: its last day, then the day after
    ("2026-09-04", {"忻政发〔2025〕2号", "忻政发〔2024〕14号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号",
                    "忻政办发〔2024〕40号", "忻政办函〔2024〕68号", "忻政办函〔2024〕72号"} | RENMIAN | KEGUI),
    ("2026-09-05", {"忻政发〔2025〕2号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号",
                    "忻政办发〔2024〕40号", "忻政办函〔2024〕68号", "忻政办函〔2024〕72号"} | RENMIAN | KEGUI),
    # 2029-08-04: the 科规 have run out (last day 2029-08-03); 40号 (to 2029-10-07) and the open-ended remain
    ("2029-08-04", {"忻政发〔2025〕2号", "忻政办发〔2024〕34号", "忻政办发〔2024〕40号", "忻政办函〔2024〕68号",
                    "忻政办函〔2024〕72号"} | RENMIAN),
])
def test_documents_in_force_on_a_day(db, day, expected):
    assert in_force(db, day) == expected


def test_open_ended_documents_are_kept(db):
    """The README's old example (valid_until >= day) dropped 13号, 34号 and 72号: they state no validity."""
    assert {"忻政发〔2024〕13号", "忻政办发〔2024〕34号", "忻政办函〔2024〕72号"} <= in_force(db, "2025-01-01")


def test_columns_say_where_the_dates_come_from(db):
    con = warehouse.connect(db, read_only=True)
    try:
        rows = {row[0]: row[1:] for row in con.execute(
            "SELECT doc_number, in_force_from, effective_stated, valid_until, repealed_by_number, repealed_on "
            "FROM documents_in_force(DATE '2025-01-01')").fetchall()}
    finally:
        con.close()
    assert rows["忻政办函〔2024〕72号"] == (date(2024, 10, 1), True, None, None, None)
    assert rows["忻政办函〔2024〕68号"] == (date(2024, 9, 1), False, None, None, None)
    assert rows["忻政发〔2024〕13号"] == (date(2024, 8, 29), True, None, "忻政发〔2025〕2号", date(2025, 3, 10))
    assert rows["忻政发〔2024〕14号"] == (date(2024, 9, 5), True, date(2026, 9, 4), None, None)
