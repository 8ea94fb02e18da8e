"""What keeps an issue's load flat as the warehouse grows (issue 12, target 5): the
per-issue tables have no ART index, their keys are checked by the loader instead,
and the links across issues are recomputed only where the loaded issue can change
them, with the same result as a full recompute."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.store import warehouse
from schemas import Document, Issue


def make_issue(issue_id: str, documents: list[tuple[str | None, str, date | None]]) -> Issue:
    """An issue of (doc_number, text, signed_on) documents, doc_ids ``<issue_id>/dNN``."""
    docs = [
        Document(doc_id=f"{issue_id}/d{seq:02d}", issue_id=issue_id, seq=seq, doc_number=number,
                 text=text, signed_on=signed_on, signed_on_precision="day" if signed_on else None)
        for seq, (number, text, signed_on) in enumerate(documents, 1)
    ]
    return Issue(issue_id=issue_id, kind="single", source_path=f"{issue_id}.txt",
                 source_sha256=(issue_id * 64)[:64], source_kind="txt", documents=docs)


def test_per_issue_tables_have_no_primary_key_index(tmp_path):
    """DuckDB rewrites a PRIMARY KEY's whole ART index at every checkpoint; the tables
    loaded per issue have none (tables written once per run or failure keep theirs)."""
    con = warehouse.connect(tmp_path / "w.duckdb")
    keyed = {row[0] for row in con.execute(
        "SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'PRIMARY KEY'").fetchall()}
    con.close()
    assert keyed.isdisjoint({"issues", "documents", "chapters", "sections", "articles", "clauses", "search_texts"})
    assert {"ingest_errors", "runs"} <= keyed


def test_a_checkpoint_writes_the_new_issue_and_leaves_the_earlier_ones(tmp_path):
    """Each load in its own connection, as one-file ingests do (each close a checkpoint): the
    second issue's documents get a row group of their own, and the first one's row group keeps
    its blocks.  DuckDB's checkpoint would otherwise merge the small row groups and rewrite
    every earlier document's text (``CHECKPOINT_CONFIG``; the module doc, "Checkpoints")."""
    db = tmp_path / "w.duckdb"
    first = make_issue("gz-2024-01", [("晋政发〔2024〕1号", "通知一" * 400, None), ("晋政发〔2024〕2号", "通知二" * 400, None)])
    second = make_issue("gz-2024-02", [("晋政发〔2024〕3号", "通知三" * 400, None)])

    def text_blocks(con) -> dict[int, set[int]]:  # noqa: ANN001 - row group → blocks of documents.text
        rows = con.execute("""SELECT row_group_id, block_id FROM pragma_storage_info('documents')
                              WHERE column_name = 'text' AND block_id >= 0""").fetchall()
        groups: dict[int, set[int]] = {}
        for group, block in rows:
            groups.setdefault(group, set()).add(block)
        return groups

    for issue in (first, second):
        con = warehouse.connect(db)
        warehouse.load_issue(con, issue)
        warehouse.close(con)
        if issue is first:
            con = warehouse.connect(db, read_only=True)
            before = text_blocks(con)
            con.close()
    con = warehouse.connect(db, read_only=True)
    after = text_blocks(con)
    con.close()
    assert len(before) == 1 and len(after) == 2
    assert after[0] == before[0]


def test_every_few_checkpoints_the_small_row_groups_are_merged(tmp_path, monkeypatch):
    """Left alone, one row group per load per table makes every later checkpoint slower and the
    file several times bigger (the module doc); ``close`` merges them every COMPACT_EVERY loads."""
    monkeypatch.setattr(warehouse, "COMPACT_EVERY", 3)
    db = tmp_path / "w.duckdb"

    def row_groups() -> int:
        con = warehouse.connect(db, read_only=True)
        try:
            return con.execute("SELECT count(DISTINCT row_group_id) FROM pragma_storage_info('documents')").fetchone()[0]
        finally:
            con.close()

    seen = []
    for number in range(1, 5):
        con = warehouse.connect(db)
        warehouse.load_issue(con, make_issue(f"gz-2024-{number:02d}", [(f"晋政发〔2024〕{number}号", "通知" * 300, None)]))
        warehouse.close(con)
        seen.append(row_groups())
    assert seen == [1, 2, 1, 2]  # the third close found three and merged them; the fourth adds one


def test_a_key_twice_in_one_issue_is_refused_and_nothing_is_loaded(tmp_path):
    issue = make_issue("gz-2024-01", [("晋政发〔2024〕1号", "通知一", None), ("晋政发〔2024〕2号", "通知二", None)])
    twice = issue.model_copy(update={"documents": [issue.documents[0], issue.documents[0]]})
    con = warehouse.connect(tmp_path / "w.duckdb")
    with pytest.raises(warehouse.WarehouseError, match=r"documents key doc_id = \('gz-2024-01/d01',\) is not unique"):
        warehouse.load_issue(con, twice)
    assert con.execute("SELECT count(*) FROM issues").fetchone() == (0,)
    con.close()


def test_a_key_outside_the_issue_is_refused(tmp_path):
    """A doc_id not under the issue's id could be another issue's row: refused, as the
    PRIMARY KEY would have refused it once the other issue held it."""
    issue = make_issue("gz-2024-02", [("晋政发〔2024〕3号", "通知", None)])
    stray = issue.model_copy(update={"documents": [issue.documents[0].model_copy(update={"doc_id": "gz-2024-01/d01"})]})
    con = warehouse.connect(tmp_path / "w.duckdb")
    with pytest.raises(warehouse.WarehouseError, match="not the issue's"):
        warehouse.load_issue(con, stray)
    con.close()


def test_a_missing_key_is_refused():
    from schemas.tables import metadata

    with pytest.raises(warehouse.WarehouseError, match="is missing"):
        warehouse.check_keys(metadata.tables["articles"], [{"article_id": None}], "gz-2024-03")


def test_reloading_changed_bytes_still_replaces_every_row(tmp_path):
    """The deletes are skipped only for an issue the warehouse does not hold."""
    first = make_issue("gz-2024-04", [("晋政发〔2024〕4号", "第一条 甲。\n第二条 乙。", None)])
    second = make_issue("gz-2024-04", [("晋政发〔2024〕4号", "第一条 甲。", None)]).model_copy(
        update={"source_sha256": "f" * 64})
    con = warehouse.connect(tmp_path / "w.duckdb")
    assert warehouse.load_issue(con, first) == "loaded"
    assert warehouse.load_issue(con, second) == "replaced"
    assert con.execute("SELECT count(*), min(source_sha256) FROM issues").fetchone() == (1, "f" * 64)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    con.close()



NOTICE = "某县人民政府关于{title}的通知\n{number}\n各乡镇人民政府：\n{body}\n某县人民政府"
DOC_2020 = ("某政发〔2020〕3号", NOTICE.format(title="某事", number="某政发〔2020〕3号", body="本通知自印发之日起施行。"), date(2020, 3, 1))
LINKED = {
    # the notice 某政发〔2020〕3号, and the same notice reprinted in a later gazette
    "gz-2020-03": [DOC_2020],
    "gz-2020-04": [DOC_2020],
    "gz-2021-07": [("某政发〔2021〕7号", NOTICE.format(title="另一事", number="某政发〔2021〕7号", body="本通知自印发之日起施行。"), date(2021, 7, 1))],
    # two notices repealing 某政发〔2020〕3号: the one signed first is the repeal
    "gz-2024-05": [("某政发〔2024〕5号", NOTICE.format(
        title="废止有关文件", number="某政发〔2024〕5号",
        body="《某县人民政府关于某事的通知》（某政发〔2020〕3号）同时废止。本通知依据《某县人民政府关于另一事的通知》（某政发〔2021〕7号）制定。"),
        date(2024, 5, 2))],
    "gz-2024-09": [("某政发〔2024〕9号", NOTICE.format(
        title="废止某事通知", number="某政发〔2024〕9号", body="《某县人民政府关于某事的通知》（某政发〔2020〕3号）同时废止。"),
        date(2024, 3, 1))],
    # 张伟 in two organs no record links, until gz-2024-11 moves him from one to the other
    "gz-2024-01": [("某政任〔2024〕1号", NOTICE.format(
        title="张伟等同志职务任免", number="某政任〔2024〕1号", body="经县人民政府研究决定：\n任命张伟为某县教育局局长；\n任命李明为某县审计局局长。"),
        date(2024, 1, 5))],
    "gz-2024-02": [("某政任〔2024〕2号", NOTICE.format(
        title="张伟同志职务任命", number="某政任〔2024〕2号", body="经县人民政府研究决定：\n任命张伟为某县公安局局长。"),
        date(2024, 2, 5))],
    "gz-2024-11": [("某政任〔2024〕11号", NOTICE.format(
        title="张伟同志职务任免", number="某政任〔2024〕11号",
        body="经县人民政府研究决定：\n任命张伟为某县教育局局长；\n免去张伟的某县公安局局长职务。"),
        date(2024, 11, 5))],
}
ORDERS = [
    sorted(LINKED),
    sorted(LINKED, reverse=True),
    ["gz-2024-11", "gz-2024-05", "gz-2020-04", "gz-2024-01", "gz-2021-07", "gz-2024-09", "gz-2020-03", "gz-2024-02"],
    ["gz-2024-09", "gz-2024-02", "gz-2020-03", "gz-2024-11", "gz-2024-05", "gz-2024-01", "gz-2020-04", "gz-2021-07"],
]


def links(con) -> dict[str, list[tuple]]:
    return {
        "cited_doc_id": con.execute("SELECT doc_id, start, cited_number, cited_doc_id FROM doc_references ORDER BY ALL").fetchall(),
        "repealed_by": con.execute("SELECT doc_id, repealed_by FROM documents ORDER BY ALL").fetchall(),
        "person_key": con.execute("SELECT doc_id, seq, person_key, person_key_basis FROM appointments ORDER BY ALL").fetchall(),
    }


def recomputed_over_everything(con) -> dict[str, list[tuple]]:
    """The links after every POST_LOAD step recomputes the whole warehouse (issue None)."""
    con.execute("BEGIN")
    for step in warehouse.POST_LOAD:
        step(con, None)
    result = links(con)
    con.execute("ROLLBACK")
    return result


@pytest.fixture(scope="module")
def linked_issues():
    from extractors import extract_issue

    return {issue_id: extract_issue(make_issue(issue_id, documents)) for issue_id, documents in LINKED.items()}


@pytest.mark.parametrize("order", ORDERS, ids=["sorted", "reversed", "shuffled-1", "shuffled-2"])
def test_incremental_links_equal_a_full_recompute_in_any_order(tmp_path, linked_issues, order):
    con = warehouse.connect(tmp_path / "w.duckdb")
    for count, issue_id in enumerate(order, 1):
        warehouse.load_issue(con, linked_issues[issue_id])
        if count in (3, 6):  # part-way, too: every load leaves the links a full recompute would give
            assert links(con) == recomputed_over_everything(con)
    loaded = links(con)
    assert loaded == recomputed_over_everything(con)
    con.close()
    # by hand: the smallest doc_id of the two copies is the one cited; the earlier-signed repeal wins
    citing_2020 = {row[3] for row in loaded["cited_doc_id"] if row[2] == "某政发〔2020〕3号"}
    assert citing_2020 == {"gz-2020-03/d01"}
    assert ("gz-2020-03/d01", "gz-2024-09/d01") in loaded["repealed_by"]
    assert ("gz-2020-04/d01", None) in loaded["repealed_by"]  # no reference resolves to the reprint
    assert {row[2:] for row in loaded["person_key"]} == {("张伟", "name"), ("李明", "name")}


def test_replacing_and_removing_an_issue_leave_the_links_of_a_full_recompute(tmp_path, linked_issues):
    """A replaced or removed issue relinks over the whole warehouse: 张伟's two organs split
    again when the record linking them is gone."""
    con = warehouse.connect(tmp_path / "w.duckdb")
    for issue_id in ORDERS[0]:
        warehouse.load_issue(con, linked_issues[issue_id])
    without_move = linked_issues["gz-2024-11"].model_copy(update={"source_sha256": "e" * 64}, deep=True)
    without_move.documents[0].records["appointments"] = without_move.documents[0].records["appointments"][:1]
    assert warehouse.load_issue(con, without_move) == "replaced"
    assert links(con) == recomputed_over_everything(con)
    assert {row[2:] for row in links(con)["person_key"] if row[2].startswith("张伟")} == {
        ("张伟@某县教育局", "name_and_organs"), ("张伟@某县公安局", "name_and_organs")}
    warehouse.remove_issue(con, "gz-2024-09")
    assert ("gz-2020-03/d01", "gz-2024-05/d01") in links(con)["repealed_by"]
    assert links(con) == recomputed_over_everything(con)
    con.close()


def test_the_growth_figures_compare_the_same_issues_and_the_windows():
    from benchmarks.bench_load_growth import measured_to_figures

    grown = [{"whole load": 0.2}] * 4 + [{"whole load": 0.3, "checkpoint": 0.5, "checkpoint cpu": 0.3}] * 2
    empty = [{"whole load": 0.25, "checkpoint": 0.4, "checkpoint cpu": 0.25}] * 2
    same, windows, checkpoint, cycle = measured_to_figures(
        {"grown": grown, "last_same": grown[-2:], "empty_same": empty}, 2)
    assert (round(same.value, 6), same.passed) == (1.2, False)  # 0.3 / 0.25
    assert (round(windows.value, 6), windows.passed) == (1.5, False)  # 0.3 / 0.2
    assert round(checkpoint.value, 6) == 1.25  # 0.5 / 0.4
    assert round(cycle.value, 6) == 1.0  # no merge either side: nothing added to the shared typical one
    assert "none, so the typical one stands in" in cycle.detail
    assert measured_to_figures({"grown": grown[:1], "last_same": [], "empty_same": []}, 2) == []


def test_without_the_corpus_the_benchmark_says_so_and_returns_nothing(tmp_path, capsys):
    from benchmarks.bench_load_growth import figures

    assert figures(files=5, window=2, folder=tmp_path / "absent") == []
    assert "corpus absent" in capsys.readouterr().out


def test_the_checkpoint_figure_is_the_median_so_one_stalled_fsync_does_not_make_it():
    from benchmarks.bench_load_growth import measured_to_figures

    full = [{"whole load": 0.3, "checkpoint": 0.5, "checkpoint cpu": 0.3}] * 3
    empty = [{"whole load": 0.3, "checkpoint": seconds, "checkpoint cpu": 0.2} for seconds in (0.4, 0.4, 4.0)]
    checkpoint, mean_cpu = measured_to_figures({"grown": full, "last_same": full, "empty_same": empty}, 3)[-2:]
    assert round(checkpoint.value, 6) == 1.25  # 0.5 / 0.4, not 0.5 / 1.6 (the mean)
    assert "CPU 0.300 s vs 0.200 s" in checkpoint.detail


def test_the_merge_cycle_figure_counts_the_merging_checkpoint_at_its_share():
    """A merge costs its share of a cycle (1 in COMPACT_EVERY): a costlier merge in the full
    warehouse raises the figure by exactly that share, and one slow ordinary checkpoint does not."""
    from benchmarks.bench_load_growth import measured_to_figures
    from pipeline.store.warehouse import COMPACT_EVERY

    def checkpoints(merge, slow=None):
        loads = [{"whole load": 0.3, "checkpoint": 0.01, "checkpoint cpu": 0.01, "merging": 0.0}] * 9
        loads += [{"whole load": 0.3, "checkpoint": merge, "checkpoint cpu": merge, "merging": 1.0}]
        if slow:
            loads[0] = dict(loads[0], **{"checkpoint cpu": slow})
        return loads

    empty, full = checkpoints(0.05), checkpoints(0.05 + 0.16, slow=0.5)
    median_figure, cycle = measured_to_figures({"grown": full, "last_same": full, "empty_same": empty}, 10)[-2:]
    assert median_figure.passed
    expected = (0.01 + 0.20 / COMPACT_EVERY) / (0.01 + 0.04 / COMPACT_EVERY)
    assert round(cycle.value, 6) == round(expected, 6) and not cycle.passed  # the slow one left no mark
    assert "1 vs 1 in the window" in cycle.detail
