"""Issue 14, item 4: a whole-download deadline and a minimum rate, a redirect to file:// reported
as refused, and source-file names validated.  Against tests/http_fixture.py's local server."""

from __future__ import annotations

import time

import pytest

from pipeline.read import fetch
from pipeline.read.fetch import FetchError, RemoteFile, TransientFetchError
from tests.http_fixture import make_pdf


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf([f"line {i} of a gazette page" for i in range(40)], pages=2)


def remote(url: str) -> RemoteFile:
    return RemoteFile(url=url, gazette="测试市人民政府公报", year=2024, name="issue.pdf")


def test_dripping_server_is_stopped_at_the_deadline_and_the_part_kept(site, client, tmp_path, pdf_bytes):
    url = site.route("/drip.pdf", pdf_bytes, mode="drip:0.02")  # ~50 bytes/s: minutes for the whole file
    target = tmp_path / "issue.pdf"
    began = time.monotonic()
    with pytest.raises(TransientFetchError, match=r"over the deadline of 0\.5 s for a download .*the next attempt resumes"):
        fetch.download(remote(url), target, client, deadline=0.5, min_rate=None)
    assert time.monotonic() - began < 5
    assert not target.exists()
    kept = (tmp_path / "issue.pdf.part").read_bytes()
    assert 0 < len(kept) < len(pdf_bytes) and pdf_bytes.startswith(kept)


def test_slow_server_is_stopped_below_the_minimum_rate(site, client, tmp_path, pdf_bytes):
    url = site.route("/slow.pdf", pdf_bytes, mode="drip:0.02")
    with pytest.raises(TransientFetchError, match=r"bytes/s, below the minimum of 10000 \(min_rate in the sources file\)"):
        fetch.download(remote(url), tmp_path / "issue.pdf", client, deadline=None, min_rate=10_000, grace=0.3)


def test_fast_download_passes_the_pace(site, client, tmp_path, pdf_bytes):
    url = site.route("/ok.pdf", pdf_bytes)
    result = fetch.download(remote(url), tmp_path / "issue.pdf", client, deadline=30, min_rate=1024, grace=0)
    assert result.status == "downloaded"


def test_redirect_to_file_is_refused_not_interrupted(site, client, tmp_path):
    url = site.route("/moved.pdf", b"file:///etc/passwd", mode="redirect")
    with pytest.raises(FetchError) as info:
        fetch.download(remote(url), tmp_path / "issue.pdf", client)
    assert not isinstance(info.value, TransientFetchError)
    assert "refused a redirect to a URL that is not http(s)" in str(info.value)
    assert "interrupted" not in str(info.value) and "resumes" not in str(info.value)
    assert not (tmp_path / "issue.pdf.part").exists()


@pytest.mark.parametrize("name, message", [
    (".", "is not a plain file name"),
    ("..", "is not a plain file name"),
    ("../evil.pdf", "is not a plain file name"),
    ("2024-05.txt", "does not end in .pdf"),
    ("2024-05", "does not end in .pdf"),
])
def test_source_names_are_validated(tmp_path, name, message):
    path = tmp_path / "sources.toml"
    path.write_text(f'[[source]]\ngazette = "g"\nurls = [{{url = "http://127.0.0.1/a.pdf", name = "{name}"}}]\n',
                    encoding="utf-8")
    with pytest.raises(FetchError, match=message) as info:
        fetch.load_source_file(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(f"{path}: source.0.urls.0.name")


def test_source_file_sets_deadline_and_min_rate(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text('deadline = 120\nmin_rate = 2048\n[[source]]\ngazette = "g"\nurls = [{url = "http://127.0.0.1/a.pdf", '
                    'name = "2024-05.PDF"}]\n', encoding="utf-8")
    config = fetch.load_source_file(path)
    assert (config.deadline, config.min_rate, config.source[0].urls[0].name) == (120, 2048, "2024-05.PDF")
    assert (fetch.SourceFileConfig(source=config.source).deadline, fetch.DEFAULT_MIN_RATE) == (1800, 1024)


@pytest.mark.parametrize("case", ["sources-dot.toml", "sources-dotdot.toml", "sources-no-pdf.toml"])
def test_hostile_source_files_are_refused(tmp_path, case):
    from tests.fixtures.make_hostile_files import make_hostile_files

    path = make_hostile_files(tmp_path, small=True)[case]
    with pytest.raises(FetchError, match=r"source\.0\.urls\.0\.name: .*name '(\.|\.\.|2024-05\.txt)'"):
        fetch.load_source_file(path)
