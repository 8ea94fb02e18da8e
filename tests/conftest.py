"""Shared fixtures.  The sample issue lives in tests/fixtures/; the larger
corpus in ../shared/corpus/ is optional and tests that need it skip cleanly."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_TXT = FIXTURES / "xinzhou-2024-05.txt"
REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("GAZETTE_SHARED", REPO.parent / "shared"))
REGULATIONS = SHARED / "corpus" / "regulations"


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", help="Rewrite tests/fixtures/*.expected.json from the current output.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def sample_issue():
    """The sample issue parsed from text, once per session."""
    from pipeline.ingest import source_to_issue
    from pipeline.read.sources import source_of

    return source_to_issue(source_of(SAMPLE_TXT))


@pytest.fixture(scope="session")
def analyst_db(tmp_path_factory, sample_issue) -> Path:
    """A warehouse for the analysts' tests (tests/analyst_fixtures.py); open it read-only."""
    from tests.analyst_fixtures import build_analyst_warehouse

    return build_analyst_warehouse(tmp_path_factory.mktemp("analyst") / "warehouse.duckdb", sample_issue)


@pytest.fixture
def site():
    """A local gazette site on 127.0.0.1 (tests/http_fixture.py), stopped after the test."""
    from tests.http_fixture import GazetteSite

    server = GazetteSite().start()
    yield server
    server.stop()


@pytest.fixture
def client():
    """The fetcher's HTTP client, with a timeout each read of the local site arrives well within."""
    from pipeline.read import fetch

    with fetch.make_client(timeout=10) as c:
        yield c
