"""Issue 14, item 7: a changed limit retries by itself, a fixed file resolves its old error,
and the quarantine folder keeps one copy per sha256 within a size cap."""

from __future__ import annotations

import os
import random
from pathlib import Path

import duckdb

from pipeline.ingest import ingest_sources
from pipeline.read.sources import paths_to_sources, source_of
from tests.fixtures.make_bad_files import MANY_PAGES, NOTICE_LINES, make_bad_files


def _ingest(paths, tmp_path, **options):
    options.setdefault("quarantine_dir", tmp_path / "quarantine")
    return ingest_sources(paths_to_sources(paths), tmp_path / "w.duckdb", parsed_dir=None, **options)


def _rows(tmp_path, columns: str, order: str = " ORDER BY first_failed_at") -> list[tuple]:
    con = duckdb.connect(str(tmp_path / "w.duckdb"), read_only=True)
    try:
        return con.execute(f"SELECT {columns} FROM ingest_errors{order}").fetchall()
    finally:
        con.close()


def test_file_refused_by_a_limit_is_retried_when_the_limit_changes(tmp_path):
    path = make_bad_files(tmp_path / "bad")["many-pages.pdf"]
    [first] = _ingest([path], tmp_path, max_pages=MANY_PAGES - 10).results
    assert first.status == "failed" and first.quarantined
    assert _rows(tmp_path, "error_class, over_limit, resolved_at IS NULL") == [("PageLimitError", f"max_pages={MANY_PAGES - 10}", True)]
    # the same limit: still quarantined, not parsed again
    [same] = _ingest([path], tmp_path, max_pages=MANY_PAGES - 10).results
    assert same.status == "quarantined"
    # another value of that limit: tried again by itself, without --retry-failed, even if it fails again
    [lower] = _ingest([path], tmp_path, max_pages=MANY_PAGES - 20).results
    assert lower.status == "failed" and f"over the limit of {MANY_PAGES - 20}" in lower.error
    assert _rows(tmp_path, "over_limit, attempts") == [(f"max_pages={MANY_PAGES - 20}", 2)]
    [raised] = _ingest([path], tmp_path, max_pages=MANY_PAGES).results
    assert raised.status == "loaded"
    assert _rows(tmp_path, "resolved_at IS NULL") == [(False,)]


def test_a_change_of_another_setting_does_not_retry(tmp_path):
    path = make_bad_files(tmp_path / "bad")["many-pages.pdf"]
    _ingest([path], tmp_path, max_pages=MANY_PAGES - 10)
    [again] = _ingest([path], tmp_path, max_pages=MANY_PAGES - 10, max_seconds=999).results
    assert again.status == "quarantined"


def test_file_fixed_in_place_resolves_its_old_error(tmp_path):
    path = tmp_path / "in" / "notice.txt"
    path.parent.mkdir()
    rng = random.Random(7)
    path.write_bytes(bytes(rng.getrandbits(8) for _ in range(2048)))  # undecodable
    [bad] = _ingest([path], tmp_path).results
    assert bad.status == "failed" and bad.quarantined
    path.write_text("\n".join(NOTICE_LINES), encoding="utf-8")  # fixed: new bytes at the same path
    [fixed] = _ingest([path], tmp_path).results
    assert fixed.status == "loaded"
    assert _rows(tmp_path, "source_path, resolved_at IS NOT NULL") == [(str(path), True)]


def _random_file(path: Path, size: int, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    path.write_bytes(bytes(rng.getrandbits(8) for _ in range(size)))
    return path


def test_quarantine_keeps_one_copy_per_sha256(tmp_path):
    first = _random_file(tmp_path / "in" / "a.txt", 1000, 1)
    second = tmp_path / "in" / "b.txt"
    second.write_bytes(first.read_bytes())
    _ingest([first, second], tmp_path, retry_failed=True)
    assert [p.name for p in (tmp_path / "quarantine").iterdir()] == [f"{source_of(first).sha256[:12]}-a.txt"]


def test_quarantine_folder_stays_under_its_cap_dropping_the_oldest(tmp_path):
    folder = tmp_path / "quarantine"
    files = [_random_file(tmp_path / "in" / f"bad{n}.txt", 2000, n) for n in range(4)]
    for n, path in enumerate(files):  # one run each, so the copies are made in this order
        _ingest([path], tmp_path, quarantine_max_bytes=5000)
        copies = sorted(folder.iterdir(), key=lambda p: p.stat().st_mtime)
        os.utime(copies[-1], (1_000_000 + n, 1_000_000 + n))  # distinct ages whatever the clock's resolution
    kept = sorted(p.name.split("-", 1)[1] for p in folder.iterdir())
    assert kept == ["bad2.txt", "bad3.txt"]  # 2 x 2000 bytes fit in 5000; bad0 and bad1 went first
    assert sum(p.stat().st_size for p in folder.iterdir()) <= 5000
    # every file is still quarantined by its row, copy or not
    assert _rows(tmp_path, "count(*), bool_and(quarantined)", order="") == [(4, True)]


def test_file_larger_than_the_cap_is_quarantined_without_a_copy(tmp_path):
    path = _random_file(tmp_path / "in" / "big.txt", 6000, 9)
    [result] = _ingest([path], tmp_path, quarantine_max_bytes=5000).results
    assert result.quarantined
    assert _rows(tmp_path, "quarantined, quarantine_path") == [(True, None)]
    assert not (tmp_path / "quarantine").exists()
