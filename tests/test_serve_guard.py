"""Issue 14, item 8 (in part): under `gazette serve`, a flow run asked for with another root,
warehouse or source (a POST to the Prefect API) is refused before anything is written."""

from __future__ import annotations

import pytest

import flows


@pytest.fixture()
def served(tmp_path, monkeypatch):
    root, db = tmp_path / "raw", tmp_path / "w.duckdb"
    root.mkdir()
    monkeypatch.setenv(flows.SERVED_PATHS_ENV, flows.served_paths(
        {"root": root, "source": None, "db": db, "parsed_dir": flows.DEFAULT_PARSED_DIR}))
    return root, db


def test_the_served_paths_pass_however_spelled(served, tmp_path):
    root, db = served
    flows.check_served_parameters({"root": tmp_path / "raw" / ".." / "raw", "source": None, "db": str(db),
                                   "parsed_dir": flows.DEFAULT_PARSED_DIR})


def test_a_run_with_another_warehouse_writes_nothing(served, tmp_path):
    root, _ = served
    elsewhere = tmp_path / "attacker" / "w.duckdb"
    with pytest.raises(ValueError, match=r"parameter db=.*attacker.* refused: this server runs only with db="):
        flows.scheduled_ingest.fn(root=root, db=elsewhere)
    assert not elsewhere.parent.exists()


def test_a_run_with_another_root_or_source_is_refused(served, tmp_path):
    root, db = served
    with pytest.raises(ValueError, match="parameter root="):
        flows.check_served_parameters({"root": tmp_path, "source": None, "db": db, "parsed_dir": flows.DEFAULT_PARSED_DIR})
    with pytest.raises(ValueError, match="parameter source="):
        flows.check_served_parameters({"root": root, "source": tmp_path / "s.toml", "db": db,
                                       "parsed_dir": flows.DEFAULT_PARSED_DIR})


def test_outside_serve_nothing_is_checked(tmp_path, monkeypatch):
    monkeypatch.delenv(flows.SERVED_PATHS_ENV, raising=False)
    flows.check_served_parameters({"root": tmp_path, "source": None, "db": tmp_path / "any.duckdb", "parsed_dir": None})
