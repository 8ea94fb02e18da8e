"""The fetcher against a local HTTP server on 127.0.0.1 (tests/http_fixture.py); no other network."""

from __future__ import annotations

import hashlib

import pytest

from pipeline.read import fetch
from pipeline.read.fetch import FetchError, RemoteFile, TransientFetchError
from tests.http_fixture import make_pdf


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf([f"line {i} of a gazette page" for i in range(40)], pages=4)


def remote(url: str, name: str = "issue.pdf") -> RemoteFile:
    return RemoteFile(url=url, gazette="测试市人民政府公报", year=2024, name=name)


def test_good_download_lands_in_place(site, client, tmp_path, pdf_bytes):
    url = site.route("/gb/2024/gb202405.pdf", pdf_bytes)
    target = tmp_path / "x.pdf"
    result = fetch.download(remote(url), target, client)
    assert result.status == "downloaded"
    assert target.read_bytes() == pdf_bytes
    assert not (tmp_path / "x.pdf.part").exists()
    # a second call finds the verified file and does not ask the server again
    hits = len(site.requests)
    assert fetch.download(remote(url), target, client).status == "present"
    assert len(site.requests) == hits


def test_truncated_download_keeps_part_and_never_creates_final(site, client, tmp_path, pdf_bytes):
    url = site.route("/cut.pdf", pdf_bytes, mode="truncate")
    target = tmp_path / "cut.pdf"
    with pytest.raises(TransientFetchError, match="resume|truncated"):
        fetch.download(remote(url), target, client)
    assert not target.exists()
    part = tmp_path / "cut.pdf.part"
    assert part.exists() and 0 < part.stat().st_size < len(pdf_bytes)


def test_resume_asks_for_the_rest_with_range(site, client, tmp_path, pdf_bytes):
    url = site.route("/flaky.pdf", pdf_bytes, mode="truncate_once")
    target = tmp_path / "flaky.pdf"
    with pytest.raises(TransientFetchError):
        fetch.download(remote(url), target, client)
    have = (tmp_path / "flaky.pdf.part").stat().st_size
    result = fetch.download(remote(url), target, client)
    assert result.status == "resumed"
    assert target.read_bytes() == pdf_bytes
    assert site.requests[-1] == ("/flaky.pdf", f"bytes={have}-")


def test_server_that_ignores_range_restarts_cleanly(site, client, tmp_path, pdf_bytes):
    url = site.route("/norange.pdf", pdf_bytes, mode="ignore_range")
    target = tmp_path / "norange.pdf"
    (tmp_path / "norange.pdf.part").write_bytes(pdf_bytes[:1000])
    result = fetch.download(remote(url), target, client)
    assert result.status == "downloaded"  # 200 to a Range request: the whole body again, not appended
    assert target.read_bytes() == pdf_bytes


def test_stale_part_longer_than_remote_is_discarded(site, client, tmp_path, pdf_bytes):
    url = site.route("/shrunk.pdf", pdf_bytes)
    target = tmp_path / "shrunk.pdf"
    (tmp_path / "shrunk.pdf.part").write_bytes(pdf_bytes + b"x" * 100)  # 416 from the server
    assert fetch.download(remote(url), target, client).status == "downloaded"
    assert target.read_bytes() == pdf_bytes


def test_wrong_content_type_is_refused(site, client, tmp_path, pdf_bytes):
    url = site.route("/typed.pdf", pdf_bytes, content_type="text/html; charset=utf-8")
    target = tmp_path / "typed.pdf"
    with pytest.raises(FetchError, match="content type text/html") as info:
        fetch.download(remote(url), target, client)
    assert not isinstance(info.value, TransientFetchError)
    assert not target.exists() and not (tmp_path / "typed.pdf.part").exists()


def test_html_error_page_named_pdf_is_refused_by_magic(site, client, tmp_path):
    page = "<!DOCTYPE html><html><head><title>出错了</title></head><body>您访问的页面不存在</body></html>".encode()
    url = site.route("/gb/2024/gb202406.pdf", page, content_type="application/octet-stream")
    target = tmp_path / "gb202406.pdf"
    with pytest.raises(FetchError, match="not a PDF"):
        fetch.download(remote(url), target, client)
    assert not target.exists() and not (tmp_path / "gb202406.pdf.part").exists()


def test_pdf_torso_without_eof_is_refused(site, client, tmp_path, pdf_bytes):
    torso = pdf_bytes[: len(pdf_bytes) - 4000].replace(b"%%EOF", b"%%XXX")
    url = site.route("/torso.pdf", torso)
    with pytest.raises(FetchError, match="%%EOF"):
        fetch.download(remote(url), tmp_path / "torso.pdf", client)
    assert not (tmp_path / "torso.pdf").exists()


def test_failed_download_never_overwrites_a_good_file(site, client, tmp_path, pdf_bytes):
    target = tmp_path / "good.pdf"
    target.write_bytes(pdf_bytes)
    for path, body, kind, mode in [
        ("/a.pdf", pdf_bytes, "application/pdf", "truncate"),
        ("/b.pdf", b"<html>502 Bad Gateway</html>", "text/html", "ok"),
        ("/c.pdf", b"<html>oops</html>", "application/pdf", "ok"),
        ("/d.pdf", b"", "application/pdf", "status:503"),
    ]:
        url = site.route(path, body, content_type=kind, mode=mode)
        with pytest.raises(FetchError):
            fetch.download(remote(url), target, client, force=True)
        assert target.read_bytes() == pdf_bytes, path


def test_http_errors_are_transient_or_permanent(site, client, tmp_path):
    site.route("/busy.pdf", b"busy", content_type="text/plain", mode="status:503")
    with pytest.raises(TransientFetchError, match="HTTP 503"):
        fetch.download(remote(site.url("/busy.pdf")), tmp_path / "busy.pdf", client)
    with pytest.raises(FetchError, match="HTTP 404") as info:
        fetch.download(remote(site.url("/nothing.pdf")), tmp_path / "nothing.pdf", client)
    assert not isinstance(info.value, TransientFetchError)


def test_size_limit(site, client, tmp_path, pdf_bytes):
    url = site.route("/big.pdf", pdf_bytes)
    with pytest.raises(FetchError, match="limit"):
        fetch.download(remote(url), tmp_path / "big.pdf", client, max_bytes=len(pdf_bytes) - 1)
    assert not (tmp_path / "big.pdf").exists()


# --- listing -----------------------------------------------------------------

# Hand-written index page in the shape of a 政府公报 column (GBK-encoded, relative and absolute links,
# links that are not PDFs, a year only in the link text, a year only in the URL, a Chinese-numeral year).
INDEX_HTML = """<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>政府公报</title></head><body>
<ul class="list">
 <li><a href="./P020240520384.pdf">2024年第5期（总第57期）</a></li>
 <li><a href="/zfgb/202404/t20240418_12.pdf">第4期</a></li>
 <li><a href="{base}/files/old.PDF?id=3">二〇一九年第一期</a></li>
 <li><a href="detail_2024_03.html">2024年第3期 目录</a></li>
 <li><a href="mailto:gb@example.gov.cn">联系我们</a></li>
 <li><a href="./P020240520384.pdf">下载</a></li>
</ul></body></html>"""


def test_index_page_lists_pdf_links_with_years(site, client):
    html = INDEX_HTML.replace("{base}", site.base).encode("gb18030")
    site.route("/zfgb/index.html", html, content_type="text/html")
    source = fetch.SourceConfig(gazette="测试市人民政府公报", index=site.url("/zfgb/index.html"))
    files = fetch.list_source(source, client)
    assert [(f.url, f.year, f.name) for f in files] == [
        (site.url("/zfgb/P020240520384.pdf"), 2024, "P020240520384.pdf"),
        (site.url("/zfgb/202404/t20240418_12.pdf"), 2024, "t20240418_12.pdf"),
        (site.url("/files/old.PDF?id=3"), 2019, "old.PDF"),
    ]
    assert files[0].link_text == "2024年第5期（总第57期）"


def test_link_pattern_and_explicit_urls(site, client):
    html = INDEX_HTML.replace("{base}", site.base).encode("gb18030")
    site.route("/zfgb/index.html", html, content_type="text/html; charset=gbk")
    source = fetch.SourceConfig(
        gazette="测试市人民政府公报", index=site.url("/zfgb/index.html"), link_pattern="2024年",
        urls=["https://a.example/x/gb.pdf", {"url": "https://b.example/y/gb.pdf", "year": 2023, "name": "2023-12.pdf"},
              "https://c.example/z/gb.pdf"],
        year=2025,
    )
    files = fetch.list_source(source, client)
    names = [(f.year, f.name) for f in files]
    assert names[0] == (2024, "P020240520384.pdf")  # only the link whose text says 2024年
    digest = hashlib.sha256(b"https://c.example/z/gb.pdf").hexdigest()[:8]
    assert names[1:] == [(2025, "gb.pdf"), (2023, "2023-12.pdf"), (2025, f"gb-{digest}.pdf")]
    assert len(files) == 4


def test_remote_to_path(tmp_path):
    path = fetch.remote_to_path(RemoteFile("u", "太原市人民政府公报", 2024, "a.pdf"), tmp_path)
    assert path == tmp_path / "太原市人民政府公报" / "2024" / "a.pdf"
    assert fetch.remote_to_path(RemoteFile("u", "g", None, "a.pdf"), tmp_path).parent.name == "unknown"


@pytest.mark.parametrize("text, year", [
    ("2024年第5期", 2024), ("二〇二四年第五期", 2024), ("第12期", None), ("总第120期 2019-12", 2019),
    ("编号 12024567", None),
])
def test_text_to_year(text, year):
    assert fetch.text_to_year(text) == year


@pytest.mark.parametrize("url, year", [
    ("http://x/gb/2024/05.pdf", 2024), ("http://x/c/202405/t20240520_1.pdf", 2024),
    ("http://x/P020240520384.pdf", None), ("http://x/art/1234567.pdf", None),
])
def test_url_to_year(url, year):
    assert fetch.url_to_year(url) == year


def test_url_to_name_is_safe():
    assert fetch.url_to_name("http://x/a/%E5%85%AC%E6%8A%A5%202024.pdf") == "公报 2024.pdf"
    assert fetch.url_to_name("http://x/download?id=3") == "download.pdf"
    escaped = fetch.url_to_name("http://x/a/..%2F..%2Fetc.pdf")
    assert "/" not in escaped and not escaped.startswith(".") and escaped.endswith("etc.pdf")


# --- source files ----------------------------------------------------------------


def test_source_file_round_trip(tmp_path):
    path = tmp_path / "sources.toml"
    path.write_text(
        'timeout = 5\n[[source]]\ngazette = "忻州市人民政府公报"\nindex = "http://127.0.0.1/zfgb/"\n'
        '[[source]]\ngazette = "某省人民政府公报"\nurls = ["http://127.0.0.1/a.pdf", {url = "http://127.0.0.1/b.pdf", year = 2020}]\n',
        encoding="utf-8",
    )
    config = fetch.load_source_file(path)
    assert config.timeout == 5
    assert [s.gazette for s in config.source] == ["忻州市人民政府公报", "某省人民政府公报"]
    assert config.source[1].urls[1].year == 2020


@pytest.mark.parametrize("text, message", [
    ('[[source]]\ngazette = "g"\n', "neither index nor urls"),
    ('[[source]]\ngazette = "a/b"\nurls = ["http://x/a.pdf"]\n', "folder name"),
    ('[[source]]\ngazette = "g"\nurl = "http://x/a.pdf"\n', "url"),
    ('[[source]\n', "not valid TOML"),
    ("timeout = 5\n", "source"),
])
def test_bad_source_files_get_one_line(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FetchError, match=message) as info:
        fetch.load_source_file(path)
    assert "\n" not in str(info.value)


def test_fetch_sources_reports_each_failure_and_keeps_going(site, tmp_path, pdf_bytes):
    site.route("/ok.pdf", pdf_bytes)
    site.route("/gone.pdf", b"<html>404</html>", content_type="text/html", mode="status:404")
    config = fetch.SourceFileConfig(source=[
        fetch.SourceConfig(gazette="测试市人民政府公报", urls=[site.url("/gone.pdf"), site.url("/ok.pdf")], year=2024),
        fetch.SourceConfig(gazette="另一公报", index=site.url("/no-index.html")),
    ])
    results = fetch.fetch_sources(config, tmp_path)
    assert [r.status for r in results] == ["failed", "downloaded", "failed"]
    assert "HTTP 404" in results[0].error and "HTTP 404" in results[2].error
    assert (tmp_path / "测试市人民政府公报" / "2024" / "ok.pdf").read_bytes() == pdf_bytes
