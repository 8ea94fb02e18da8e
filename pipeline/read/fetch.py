"""Download gazette issues (PDFs) that a source file lists, safely and resumably.

A source file is TOML (stdlib ``tomllib``), one ``[[source]]`` table per gazette::

    # sources/xinzhou.toml
    timeout = 60                       # seconds per request (optional, default 60)
    max_bytes = 209715200              # refuse files larger than this (optional, 200 MiB)
    deadline = 1800                    # seconds for one whole download (optional, default 1800)
    min_rate = 1024                    # bytes/s on average, checked after the first 30 s (optional)

    [[source]]
    gazette = "忻州市人民政府公报"       # folder under data/raw/
    index = "https://www.example.gov.cn/zfgb/"   # an HTML page listing issues as PDF links
    link_pattern = '2024|2025'         # optional regex on the link URL or text (re.search)

    [[source]]
    gazette = "某某省人民政府公报"
    urls = [                           # or a plain list of PDF URLs (also allowed with index)
      "https://www.example.gov.cn/gb/2024/gb202405.pdf",
      { url = "https://www.example.gov.cn/gb/abc.pdf", year = 2024, name = "2024-06.pdf" },
    ]

Every PDF goes to ``<dest>/<gazette>/<year>/<file name>``.  The year comes from
the entry's ``year``, else the link text (2024年第5期, 二〇二四年), else the URL
(…/2024/…, …/202405/…, t20240520_1.pdf), else the source's ``year``, else
``unknown``.

Downloads go to ``<file>.part`` and are renamed onto the final name only after
they pass verification (Content-Type not HTML/text, size equals Content-Length
or Content-Range total, ``%PDF-`` at the start and ``%%EOF`` near the end), so
a failed or partial download never replaces a good file.  An interrupted
download keeps its ``.part`` and the next attempt asks for the rest with a
``Range`` header.  An existing verified file is not downloaded again unless
``force`` is given.  httpx's ``timeout`` bounds each read, so a server dripping a
byte a second would never time out: a download also stops past its ``deadline``
and when its average rate falls below ``min_rate`` (``Pace``), keeping its ``.part``.
Redirects are followed to http(s) only; one to another scheme (``file://``) is refused.
A ``name`` in the source file must be a plain file name ending in ``.pdf``.

Nothing here knows about Prefect; ``flows.py`` wraps these functions as tasks.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
import tomllib
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import httpx
import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
DEFAULT_DEADLINE = 1800.0  # seconds for one whole download: 200 MiB at 120 KB/s
DEFAULT_MIN_RATE = 1024.0  # bytes/s averaged over the download, once MIN_RATE_GRACE has passed
MIN_RATE_GRACE = 30.0  # seconds before the rate is judged (slow starts, TLS, a busy server)
DEFAULT_USER_AGENT = "gazette-pipeline/0.1 (+https://github.com/; polite fetcher of published gazettes)"
PDF_MAGIC = b"%PDF-"
PDF_HEAD_WINDOW = 1024  # ISO 32000-1 §7.5.2 tolerates bytes before the header; readers look in the first 1 KiB
PDF_EOF_MARKER = b"%%EOF"
PDF_TAIL_WINDOW = 8192  # incremental updates and trailing whitespace/junk after %%EOF stay within this
# Content types a server may legitimately send for a PDF; anything text/* or HTML is an error page.
PDF_CONTENT_TYPES = frozenset({
    "application/pdf", "application/x-pdf", "application/acrobat", "applications/vnd.pdf",
    "application/octet-stream", "binary/octet-stream", "application/download", "application/force-download",
    "application/x-download", "",
})
UNSAFE_NAME_CHARS = re.compile(r'[\x00-\x1f/\\:*?"<>|]+')

# The year of an issue in link text: 2024年第5期, 2024-05, 二〇二四年第五期.
TEXT_YEAR = regex.compile(
    r"""
    (?<!\d)(?P<arabic>19[5-9]\d|20\d\d)(?!\d)     # a four-digit year standing alone (2024年, 2024-05, 2024.5)
    | (?P<chinese>[一二三四五六七八九〇零○]{4})年    # 二〇二四年: years written digit by digit (older covers)
    """,
    regex.VERBOSE,
)
# The year in a URL path: /2024/, /202405/, t20240520_123.pdf (the usual CMS layouts of gov.cn sites).
URL_YEAR = regex.compile(
    r"""
    (?<!\d)(?P<year>19[5-9]\d|20\d\d)     # the year …
    (?:0[1-9]|1[0-2])?                    # … optionally followed by a month (202405) …
    (?:0[1-9]|[12]\d|3[01])?              # … and a day (20240520)
    (?!\d)                                # but not part of a longer number (an article id)
    """,
    regex.VERBOSE,
)
CN_DIGIT = {"〇": 0, "零": 0, "○": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class FetchError(RuntimeError):
    """A download failed and retrying will not help (not a PDF, too big, HTTP 404); one line."""


class TransientFetchError(FetchError):
    """A download failed in a way that may pass (connection dropped, timeout, HTTP 5xx/429)."""


# ---------------------------------------------------------------------------
# Source configuration


class UrlEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str
    year: int | None = None
    name: str | None = None  # file name to save as; default: the URL's last path segment

    @field_validator("name")
    @classmethod
    def _plain_pdf_name(cls, value: str | None) -> str | None:
        """A name is a file in the year folder, found by the folder scan: no folders, not . or
        .., ending in .pdf."""
        if value is None:
            return value
        if UNSAFE_NAME_CHARS.search(value) or value.strip(" .") == "":
            raise ValueError(f"name {value!r} is not a plain file name")
        if not value.lower().endswith(".pdf"):
            raise ValueError(f"name {value!r} does not end in .pdf (a folder scan would not find it)")
        return value


class SourceConfig(BaseModel):
    """One gazette's place on the web: an index page, a list of URLs, or both."""

    model_config = ConfigDict(extra="forbid")

    gazette: str = Field(min_length=1)
    index: str | None = None
    link_pattern: str | None = None
    urls: list[UrlEntry] = Field(default_factory=list)
    year: int | None = None

    @field_validator("urls", mode="before")
    @classmethod
    def _strings_to_entries(cls, value):
        return [{"url": item} if isinstance(item, str) else item for item in value or []]

    @field_validator("gazette")
    @classmethod
    def _safe_folder(cls, value: str) -> str:
        if UNSAFE_NAME_CHARS.search(value) or value in (".", ".."):
            raise ValueError(f"gazette {value!r} cannot be a folder name")
        return value


class SourceFileConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout: float = DEFAULT_TIMEOUT
    max_bytes: int = DEFAULT_MAX_BYTES
    deadline: float = Field(DEFAULT_DEADLINE, gt=0)
    min_rate: float = Field(DEFAULT_MIN_RATE, ge=0)
    user_agent: str = DEFAULT_USER_AGENT
    source: list[SourceConfig] = Field(min_length=1)


def load_source_file(path: Path) -> SourceFileConfig:
    """Read and check a source file; FetchError with one line on any problem."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FetchError(f"{path}: cannot read ({error.strerror or error})") from error
    except tomllib.TOMLDecodeError as error:
        raise FetchError(f"{path}: not valid TOML ({error})") from error
    try:
        config = SourceFileConfig.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise FetchError(f"{path}: {where}: {first['msg']}") from error
    for source in config.source:
        if not source.index and not source.urls:
            raise FetchError(f"{path}: source {source.gazette!r} has neither index nor urls")
    return config


# ---------------------------------------------------------------------------
# Listing


@dataclass(frozen=True)
class RemoteFile:
    """A PDF to fetch and where it belongs."""

    url: str
    gazette: str
    year: int | None
    name: str
    link_text: str = ""


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href = dict(attrs).get("href")
            self._text = []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def html_to_links(html: str, base_url: str) -> list[tuple[str, str]]:
    """Every <a href> of a page as (absolute URL, link text), in page order."""
    parser = _LinkParser()
    parser.feed(html)
    parser.close()
    return [(urljoin(base_url, href.strip()), text) for href, text in parser.links if href and href.strip()]


def is_pdf_url(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(".pdf")


def text_to_year(text: str) -> int | None:
    match = TEXT_YEAR.search(text)
    if not match:
        return None
    if match["arabic"]:
        return int(match["arabic"])
    return int("".join(str(CN_DIGIT[c]) for c in match["chinese"]))


def url_to_year(url: str) -> int | None:
    match = URL_YEAR.search(unquote(urlsplit(url).path))
    return int(match["year"]) if match else None


def url_to_name(url: str) -> str:
    """The file name to save a URL as: its last path segment, made safe, ending in .pdf."""
    segment = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    name = UNSAFE_NAME_CHARS.sub("_", segment).strip(" .") or "issue"
    return name if name.lower().endswith(".pdf") else name + ".pdf"


def decode_page(content: bytes, content_type: str) -> str:
    """Decode an index page: the header's charset, else a <meta charset>, else UTF-8, else GB18030."""
    candidates = []
    header = re.search(r"charset=([\w-]+)", content_type or "", re.I)
    if header:
        candidates.append(header.group(1))
    meta = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", content[:4096], re.I)
    if meta:
        candidates.append(meta.group(1).decode("ascii"))
    candidates += ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return content.decode("gb18030" if encoding.lower() in ("gb2312", "gbk") else encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("utf-8", errors="replace")


def links_to_remote_files(links: list[tuple[str, str]], source: SourceConfig) -> list[RemoteFile]:
    """The PDF links of an index page that the source's link_pattern admits."""
    pattern = re.compile(source.link_pattern) if source.link_pattern else None
    found = []
    for url, text in links:
        if not is_pdf_url(url):
            continue
        if pattern and not (pattern.search(url) or pattern.search(text)):
            continue
        year = text_to_year(text) or url_to_year(url) or source.year
        found.append(RemoteFile(url=url, gazette=source.gazette, year=year, name=url_to_name(url), link_text=text))
    return found


def entries_to_remote_files(source: SourceConfig) -> list[RemoteFile]:
    return [
        RemoteFile(
            url=entry.url, gazette=source.gazette,
            year=entry.year or url_to_year(entry.url) or source.year,
            name=UNSAFE_NAME_CHARS.sub("_", entry.name) if entry.name else url_to_name(entry.url),
        )
        for entry in source.urls
    ]


def dedupe_names(files: list[RemoteFile]) -> list[RemoteFile]:
    """Drop repeated URLs; two URLs with one file name in one folder get a hash of the URL appended."""
    seen_urls: set[str] = set()
    taken: set[tuple[str, int | None, str]] = set()
    unique = []
    for item in files:
        if item.url in seen_urls:
            continue
        seen_urls.add(item.url)
        key = (item.gazette, item.year, item.name.lower())
        if key in taken:
            stem = item.name[:-4]
            digest = hashlib.sha256(item.url.encode()).hexdigest()[:8]
            item = RemoteFile(item.url, item.gazette, item.year, f"{stem}-{digest}.pdf", item.link_text)
            key = (item.gazette, item.year, item.name.lower())
        taken.add(key)
        unique.append(item)
    return unique


def make_client(timeout: float = DEFAULT_TIMEOUT, user_agent: str = DEFAULT_USER_AGENT) -> httpx.Client:
    return httpx.Client(follow_redirects=True, timeout=timeout, headers={"User-Agent": user_agent})


def list_source(source: SourceConfig, client: httpx.Client) -> list[RemoteFile]:
    """The PDFs a source lists: its index page's PDF links, then its explicit URLs."""
    files: list[RemoteFile] = []
    if source.index:
        try:
            response = client.get(source.index)
        except httpx.TransportError as error:
            raise TransientFetchError(f"{source.index}: {error.__class__.__name__}: {error}") from error
        _raise_for_status(response, source.index)
        page = decode_page(response.content, response.headers.get("content-type", ""))
        files += links_to_remote_files(html_to_links(page, str(response.url)), source)
    files += entries_to_remote_files(source)
    return dedupe_names(files)


def remote_to_path(remote: RemoteFile, dest: Path) -> Path:
    """data/raw/<gazette>/<year>/<name>."""
    return Path(dest) / remote.gazette / (str(remote.year) if remote.year else "unknown") / remote.name


# ---------------------------------------------------------------------------
# Downloading


@dataclass
class DownloadResult:
    url: str
    path: Path
    status: str  # downloaded | resumed | present | failed
    bytes: int = 0
    error: str | None = None


def _raise_for_status(response: httpx.Response, url: str) -> None:
    code = response.status_code
    if code == 429 or code >= 500:
        raise TransientFetchError(f"{url}: HTTP {code}")
    if code >= 400:
        raise FetchError(f"{url}: HTTP {code}")


def looks_like_pdf(path: Path) -> bool:
    """%PDF- in the first KiB and %%EOF in the last 8 KiB: a whole PDF, not an error page or a torso."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(PDF_HEAD_WINDOW)
            handle.seek(max(0, size - PDF_TAIL_WINDOW))
            tail = handle.read()
    except OSError:
        return False
    return PDF_MAGIC in head and PDF_EOF_MARKER in tail


def _content_range(value: str | None) -> tuple[int, int | None] | None:
    """'bytes 100-199/200' → (100, 200); 'bytes 100-199/*' → (100, None)."""
    match = re.fullmatch(r"\s*bytes\s+(\d+)-\d+/(\d+|\*)\s*", value or "")
    if not match:
        return None
    return int(match.group(1)), None if match.group(2) == "*" else int(match.group(2))


class Pace:
    """The time limits of one download beyond httpx's per-read timeout: a whole-download
    ``deadline`` and a minimum average ``min_rate`` (bytes/s, judged after ``grace`` seconds)."""

    def __init__(self, url: str, *, deadline: float | None = DEFAULT_DEADLINE, min_rate: float | None = DEFAULT_MIN_RATE,
                 grace: float = MIN_RATE_GRACE) -> None:
        self.url, self.deadline, self.min_rate, self.grace = url, deadline, min_rate, grace
        self.began = time.monotonic()

    def check(self, received: int) -> None:
        """Raise TransientFetchError (the .part is kept) when ``received`` bytes took too long."""
        elapsed = time.monotonic() - self.began
        if self.deadline is not None and elapsed > self.deadline:
            raise TransientFetchError(f"{self.url}: stopped after {elapsed:.0f} s with {received} bytes: over the deadline "
                                      f"of {self.deadline:g} s for a download (deadline in the sources file); the next attempt resumes")
        if self.min_rate and elapsed > self.grace and received / elapsed < self.min_rate:
            raise TransientFetchError(f"{self.url}: stopped after {elapsed:.0f} s: {received / elapsed:.0f} bytes/s, below the "
                                      f"minimum of {self.min_rate:g} (min_rate in the sources file); the next attempt resumes")


def _describe(head: bytes) -> str:
    snippet = head[:40].decode("utf-8", errors="replace")
    return " ".join(snippet.split())


def download(
    remote: RemoteFile, path: Path, client: httpx.Client, *, max_bytes: int = DEFAULT_MAX_BYTES, force: bool = False,
    deadline: float | None = DEFAULT_DEADLINE, min_rate: float | None = DEFAULT_MIN_RATE, grace: float = MIN_RATE_GRACE,
) -> DownloadResult:
    """Fetch ``remote`` to ``path`` via ``path.part``; raise FetchError/TransientFetchError on failure.

    The final file is replaced only by a verified download.  A transient failure
    keeps the ``.part`` so the next call resumes it with a Range request; a
    permanent one (wrong content) deletes it.
    """
    path = Path(path)
    if not force and path.exists() and looks_like_pdf(path):
        return DownloadResult(remote.url, path, "present", path.stat().st_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    pace = Pace(remote.url, deadline=deadline, min_rate=min_rate, grace=grace)
    for _attempt in range(2):  # a second pass only when a stale .part must be discarded
        offset = part.stat().st_size if part.exists() else 0
        try:
            outcome = _stream_to_part(remote.url, part, offset, client, max_bytes, pace)
        except _RestartFromZero:
            part.unlink(missing_ok=True)
            continue
        break
    else:  # pragma: no cover - _RestartFromZero twice means the server contradicts itself
        raise FetchError(f"{remote.url}: server keeps refusing the byte range")
    size = part.stat().st_size
    if not looks_like_pdf(part):
        # Whole by Content-Length yet no %%EOF: not a PDF we can use; start over next time.
        part.unlink(missing_ok=True)
        raise FetchError(f"{remote.url}: downloaded {size} bytes but the file does not end like a PDF (no %%EOF)")
    with part.open("rb") as handle:
        os.fsync(handle.fileno())
    os.replace(part, path)  # atomic on one filesystem: readers see the old file or the new one, never half
    return DownloadResult(remote.url, path, outcome, size)


class _RestartFromZero(Exception):
    pass


def _stream_to_part(url: str, part: Path, offset: int, client: httpx.Client, max_bytes: int, pace: Pace | None = None) -> str:
    headers = {"Range": f"bytes={offset}-"} if offset else {}
    try:
        with client.stream("GET", url, headers=headers) as response:
            if response.status_code == 416 and offset:
                raise _RestartFromZero  # the .part is longer than the remote file now: stale
            _raise_for_status(response, url)
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type not in PDF_CONTENT_TYPES:
                if offset == 0:
                    part.unlink(missing_ok=True)
                raise FetchError(f"{url}: content type {content_type}, not a PDF (an error page?)")
            total: int | None
            if response.status_code == 206:
                span = _content_range(response.headers.get("content-range"))
                if span is None or span[0] != offset:
                    raise _RestartFromZero
                start, total = offset, span[1]
                mode, outcome = "ab", "resumed"
            else:  # 200: the server sent the whole file (it may ignore Range)
                length = response.headers.get("content-length")
                start, total = 0, int(length) if length and length.isdigit() else None
                mode, outcome = "wb", "downloaded"
            if total is not None and total > max_bytes:
                raise FetchError(f"{url}: {total} bytes is more than the limit of {max_bytes}")
            written = _write_body(url, response, part, mode, start, total, max_bytes, pace)
    except httpx.UnsupportedProtocol as error:  # a redirect to file://, ftp:// …: refused, not interrupted
        raise FetchError(f"{url}: refused a redirect to a URL that is not http(s) ({error})") from error
    except httpx.TransportError as error:
        have = part.stat().st_size if part.exists() else 0
        raise TransientFetchError(
            f"{url}: interrupted after {have} bytes ({error.__class__.__name__}); the next attempt resumes"
        ) from error
    if total is not None and written < total:
        raise TransientFetchError(f"{url}: truncated: {written} of {total} bytes; the next attempt resumes")
    if total is not None and written > total:
        part.unlink(missing_ok=True)
        raise FetchError(f"{url}: got {written} bytes, more than the {total} announced")
    return outcome


def _write_body(url, response, part: Path, mode: str, start: int, total, max_bytes: int, pace: Pace | None = None) -> int:
    """Append the body to ``part``; check the PDF magic before the first byte is kept."""
    written = start
    head = b""
    checked = start > 0  # a resumed .part was checked when its first bytes arrived
    with part.open(mode) as handle:
        for chunk in response.iter_bytes():  # as they arrive, so an interruption keeps what came
            if not checked:
                head += chunk
                if len(head) < len(PDF_MAGIC):
                    continue
                if PDF_MAGIC not in head[:PDF_HEAD_WINDOW]:
                    handle.close()
                    part.unlink(missing_ok=True)
                    raise FetchError(f"{url}: not a PDF (starts with {_describe(head)!r})")
                chunk, head, checked = head, b"", True
            written += len(chunk)
            if written > max_bytes:
                handle.close()
                part.unlink(missing_ok=True)
                raise FetchError(f"{url}: more than the limit of {max_bytes} bytes")
            handle.write(chunk)
            if pace is not None:  # after the write: what came is kept for the resume
                pace.check(written - start)
        if not checked and head:
            handle.close()
            part.unlink(missing_ok=True)
            raise FetchError(f"{url}: not a PDF ({len(head)} bytes: {_describe(head)!r})")
    return written


def fetch_sources(config: SourceFileConfig, dest: Path, *, force: bool = False) -> list[DownloadResult]:
    """List every source and download what it lists; one bad URL never stops the rest."""
    results: list[DownloadResult] = []
    with make_client(config.timeout, config.user_agent) as client:
        for source in config.source:
            try:
                remotes = list_source(source, client)
            except FetchError as error:
                results.append(DownloadResult(source.index or source.gazette, Path(dest), "failed", error=str(error)))
                continue
            for remote in remotes:
                path = remote_to_path(remote, dest)
                try:
                    results.append(download(remote, path, client, max_bytes=config.max_bytes, force=force,
                                            deadline=config.deadline, min_rate=config.min_rate))
                except FetchError as error:
                    results.append(DownloadResult(remote.url, path, "failed", error=str(error)))
    return results
