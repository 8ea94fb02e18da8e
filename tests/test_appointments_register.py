"""The register across issues: the appointments table, the appointments_register
and post_holders views, and `gazette register`.  The warehouse holds the sample
(2024年第5期) and the synthetic 2024年第6期 made for these tests (see the first
line of tests/fixtures/synthetic-xinzhou-2024-06.txt), which removes 肖进军 from
忻州市应急管理局副局长, appoints 周红梅 to the single-holder post 忻州市应急管理考试中心主任
held by 杨鹏宇, confirms 刘晋东, and accepts 王兵's resignation."""

from __future__ import annotations

from datetime import date

import duckdb
import pytest
from typer.testing import CliRunner

from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources
from tests.conftest import FIXTURES, SAMPLE_TXT

SYNTHETIC = FIXTURES / "synthetic-xinzhou-2024-06.txt"


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "w.duckdb"
    report = ingest_sources(paths_to_sources([SAMPLE_TXT, SYNTHETIC]), path, parsed_dir=None)
    assert [r.status for r in report.results] == ["loaded", "loaded"]
    return path


def query(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def holders(db, post: str, on: str) -> list[str]:
    return [row[0] for row in query(db, """
        SELECT person FROM post_holders
        WHERE post = ? AND (held_from IS NULL OR held_from <= ?::DATE) AND (held_until IS NULL OR held_until > ?::DATE)
        ORDER BY person""", (post, on, on))]


def test_table_counts(db):
    by_issue = dict(query(db, """
        SELECT d.issue_id, count(*) FROM appointments a JOIN documents d USING (doc_id) GROUP BY ALL"""))
    assert by_issue == {"忻州市人民政府公报-2024-05": 41, "忻州市人民政府公报-2024-06": 7}
    actions = dict(query(db, "SELECT action, count(*) FROM appointments WHERE doc_id LIKE '%2024-05/%' GROUP BY ALL"))
    assert actions == {"appoint": 17, "confirm": 2, "remove": 22}


def test_column_types_and_comments(db):
    columns = dict(query(db, "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'appointments'"))
    assert list(columns) == [
        "doc_id", "seq", "person", "gender", "person_key", "person_key_basis", "action", "concurrent", "post", "post_key",
        "organization", "title", "rank_note", "probation_months", "tenure_from", "decided_by", "decided_on",
        "secondment", "reason", "start", "end", "page", "raw", "clause", "article_id", "extractor",
    ]
    assert columns["tenure_from"] == "DATE" and columns["concurrent"] == "BOOLEAN"
    uncommented = query(db, "SELECT column_name FROM duckdb_columns() WHERE table_name = 'appointments' AND comment IS NULL")
    assert uncommented == []


def test_every_view_column_has_a_comment(db):
    """The data dictionary shows these comments (`gazette schema`): no view column goes undescribed."""
    views = [row[0] for row in query(db, "SELECT view_name FROM duckdb_views() WHERE NOT internal")]
    assert {"appointments_register", "post_holders", "person_timeline"} <= set(views)
    assert query(db, """
        SELECT table_name, column_name FROM duckdb_columns()
        WHERE table_name IN (SELECT view_name FROM duckdb_views() WHERE NOT internal) AND comment IS NULL""") == []
    assert query(db, "SELECT view_name FROM duckdb_views() WHERE NOT internal AND comment IS NULL") == []


def test_register_view_carries_document_and_issue(db):
    row = query(db, """
        SELECT doc_number, signed_on, issue_id, issue_number, effective_on, tenure_from
        FROM appointments_register WHERE person = '乔哲'""")
    assert row == [("忻政任〔2024〕20号", date(2024, 8, 20), "忻州市人民政府公报-2024-05", 5, date(2024, 8, 20), date(2023, 5, 1))]


def test_who_held_the_deputy_post_on_a_date(db):
    post = "忻州市应急管理局副局长"
    # 张印山's appointment predates the warehouse; his removal on 2024-08-23 (忻政任〔2024〕21号,
    # 第43次常务会议) ends a tenure whose start is unknown; 肖进军 is appointed the same day
    assert holders(db, post, "2024-08-01") == ["张印山"]
    assert holders(db, post, "2024-08-23") == ["肖进军"]
    assert query(db, """
        SELECT held_from, held_from_basis, held_until, appointed_by_doc, ended_by_doc
        FROM post_holders WHERE person = '张印山'""") == [(None, "unknown", date(2024, 8, 23), None, "忻政任〔2024〕21号")]
    assert holders(db, post, "2024-09-01") == ["肖进军"]
    assert holders(db, post, "2024-10-18") == ["杨晓峰"]  # the day of the 46th meeting: removed and appointed
    assert holders(db, post, "2024-11-01") == ["杨晓峰"]


def test_posts_are_compared_on_post_key(db):
    """忻政任〔2024〕20号 (忻州市人民政府) writes 市看守所所长: its key carries the issuer's place."""
    assert query(db, "SELECT post, post_key, held_from FROM post_holders WHERE person = '任有红'") == [
        ("市看守所所长", "忻州市看守所所长", date(2023, 7, 1)),
    ]
    assert query(db, "SELECT post_key FROM appointments WHERE person = '白利军'") == [("五台山风景名胜区管理委员会副主任",)]


def test_person_timeline(db):
    """肖进军: appointed 副局长 and removed from 考试中心主任 on 2024-08-23, removed from 副局长 on 2024-10-18."""
    rows = query(db, """
        SELECT step, effective_on, action, post, doc_number FROM person_timeline
        WHERE person_key = '肖进军' ORDER BY step""")
    assert rows == [
        (1, date(2024, 8, 23), "appoint", "忻州市应急管理局副局长", "忻政任〔2024〕21号"),
        (2, date(2024, 8, 23), "remove", "忻州市应急管理考试中心主任", "忻政任〔2024〕21号"),
        (3, date(2024, 10, 18), "remove", "忻州市应急管理局副局长", "忻政任〔2024〕25号"),
    ]
    # every name in the two issues is one person: no homonyms to flag
    assert query(db, "SELECT DISTINCT person_key_basis FROM appointments") == [("name",)]
    assert query(db, "SELECT count(*) FROM appointments WHERE person_key <> person") == [(0,)]


def test_single_holder_post_ends_with_a_successor(db):
    """杨鹏宇 is never removed; 周红梅's appointment to the same 主任 post ends his tenure."""
    post = "忻州市应急管理考试中心主任"
    assert holders(db, post, "2024-10-01") == ["杨鹏宇"]
    assert holders(db, post, "2024-11-01") == ["周红梅"]
    ended = query(db, "SELECT held_until, ended_by_doc FROM post_holders WHERE person = '杨鹏宇'")
    assert ended == [(date(2024, 10, 18), "忻政任〔2024〕25号")]


def test_deputy_posts_are_held_by_several(db):
    """Two deputies appointed to 忻州市文化和旅游局副局长 the same day both hold it."""
    assert holders(db, "忻州市文化和旅游局副局长", "2024-10-01") == ["孙志虎", "梁燕珍"]
    assert holders(db, "忻州市文化和旅游局副局长", "2024-11-01") == ["梁燕珍"]  # 孙志虎 removed in the 6th issue


def test_resignation_and_confirmation(db):
    assert holders(db, "忻州市中医医院院长", "2024-10-01") == ["王兵"]
    assert holders(db, "忻州市中医医院院长", "2024-12-01") == []
    # a confirmation continues the tenure begun by the appointment: one row, not two
    rows = query(db, "SELECT held_from, held_until FROM post_holders WHERE person = '刘晋东'")
    assert rows == [(date(2024, 8, 23), None)]
    # a confirmation with no earlier appointment in the warehouse starts at the stated tenure
    assert query(db, "SELECT held_from FROM post_holders WHERE person = '任有红'") == [(date(2023, 7, 1),)]


def run(*args: str):
    from pipeline.cli import app

    result = CliRunner().invoke(app, list(args))
    return result


def test_register_command_csv_filters(db):
    result = run("register", "--post", "应急管理局副局长", "--format", "csv", "--db", str(db))
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("effective_on,doc_number,person")
    people = [line.split(",")[2] for line in lines[1:]]
    assert people == ["肖进军", "张印山", "杨晓峰", "肖进军"]
    result = run("register", "--person", "肖进军", "--since", "2024-09-01", "--format", "csv", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert [line.split(",")[4] for line in result.output.strip().splitlines()[1:]] == ["remove"]


def test_register_command_matches_the_canonical_post(db):
    """忻政任〔2024〕20号 writes 市看守所所长; --post 忻州市看守所 finds it through post_key."""
    result = run("register", "--post", "忻州市看守所", "--format", "csv", "--db", str(db))
    assert result.exit_code == 0, result.output
    import csv
    import io

    records = list(csv.DictReader(io.StringIO(result.output)))
    assert [(r["person"], r["post"], r["post_key"], r["person_key"]) for r in records] == [
        ("任有红", "市看守所所长", "忻州市看守所所长", "任有红"),
    ]


def test_register_command_exports(db, tmp_path):
    parquet = tmp_path / "register.parquet"
    assert run("register", "--format", "parquet", "--out", str(parquet), "--db", str(db)).exit_code == 0
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{parquet}')").fetchone()[0] == 48
    xlsx = tmp_path / "register.xlsx"
    assert run("register", "--post", "院长", "--format", "xlsx", "--out", str(xlsx), "--db", str(db)).exit_code == 0
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx).active
    header = [cell.value for cell in sheet[1]]
    persons = {row[header.index("person")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert persons == {"于喜海", "刘燕萍", "王兵", "刘利平", "胡俊礼", "冯子义", "刘晋"}
    table = run("register", "--person", "栗晓敏", "--db", str(db))
    assert table.exit_code == 0 and "栗晓敏" in table.output and "1 records" in table.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xml"], "unknown format"),
        (["--format", "parquet"], "needs --out"),
        (["--since", "yesterday"], "expected a date"),
    ],
)
def test_register_command_errors(db, args, message):
    result = run("register", *args, "--db", str(db))
    assert result.exit_code == 1
    assert message in result.output


def test_register_command_without_warehouse(tmp_path):
    result = run("register", "--db", str(tmp_path / "none.duckdb"))
    assert result.exit_code == 1 and "no warehouse" in result.output
