"""gazette report: a self-contained HTML page for one issue, rendered by headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pipeline.analyst import report
from pipeline.cli import app
from pipeline.store import warehouse
from tests.analyst_fixtures import OLD, build_analyst_warehouse

ISSUE = "忻州市人民政府公报-2024-05"
VOID = {"meta", "br", "hr", "img", "input", "link", "rect", "col", "wbr"}


class Checker(HTMLParser):
    """Collects ids, in-page links, external references, and checks that tags nest."""

    def __init__(self):
        super().__init__()
        self.stack, self.errors, self.ids, self.links, self.external = [], [], set(), [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a":
            self.links.append(attrs.get("href", ""))
        for name in ("src", "href"):
            if attrs.get(name, "").startswith(("http:", "https:", "//")):
                self.external.append(attrs[name])
        if tag in ("link", "script", "img", "iframe"):
            self.external.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def page(analyst_db, tmp_path_factory) -> tuple[str, object]:
    out = tmp_path_factory.mktemp("report") / "issue.html"
    result = CliRunner().invoke(app, ["report", ISSUE, "--out", str(out), "--db", str(analyst_db)])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8"), out


def check(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    return checker


def test_page_is_self_contained_and_well_formed(page):
    html, _ = page
    checker = check(html)
    assert checker.errors == [] and checker.stack == []
    assert check("<div><span></div>").errors  # the checker does catch bad nesting
    assert checker.external == []
    assert "<style>" in html and "<svg" in html
    # every in-page link lands on an anchor of the page
    targets = [href[1:] for href in checker.links if href.startswith("#")]
    assert targets and set(targets) <= checker.ids


def test_documents_are_listed_in_order_with_numbers_and_dates(page):
    html, _ = page
    # the table of contents of 2024年第5期, from the source: 忻政发〔2024〕13号 … 忻科规〔2024〕4号
    order = ["忻政发〔2024〕13号", "忻政发〔2024〕14号", "忻政办发〔2024〕34号", "忻政办发〔2024〕38号", "忻政办发〔2024〕40号",
             "忻政办函〔2024〕68号", "忻政办函〔2024〕72号", "忻政任〔2024〕20号", "忻政任〔2024〕21号", "忻政任〔2024〕22号",
             "忻政任〔2024〕23号", "忻科规〔2024〕1号", "忻科规〔2024〕2号", "忻科规〔2024〕3号", "忻科规〔2024〕4号"]
    documents = html[html.index('id="documents"'):]
    positions = [documents.index(f'<td class="no">{number}</td>') for number in order]
    assert positions == sorted(positions)
    assert '<tr id="doc-9">' in documents and "2024-08-26" in documents  # 忻政任〔2024〕21号 signed 2024年8月26日


def test_register_money_and_references(page):
    html, _ = page
    register = html[html.index('id="appointments"'):html.index('id="money"')]
    assert register.count('<tr class="appointment">') == 4 and register.count('<tr class="removal">') == 3
    assert "国防动员办公室" in register
    money = html[html.index('id="money"'):html.index('id="references"')]
    assert "30万元" in money and "300元 / 户 / 采暖季" in money and "≥ 5亿元" in money and "≥ 2500万元" in money
    references = html[html.index('id="references"'):]
    # the hand-written 2025 notice (another issue) repeals 忻政发〔2024〕13号: a link to its row here
    assert '<a href="#doc-1">忻政发〔2024〕13号</a>' in references
    # 忻政发〔2024〕13号 repeals the stand-in for 忻政发[2018]35号, which is in another "issue": text, not a link
    assert f"忻政发〔2018〕35号 <span class=\"muted\">({OLD})</span>" in references
    documents = html[html.index('id="documents"'):html.index('id="appointments"')]
    assert "忻政发〔2025〕2号" in documents  # 废止于


def test_chart_counts_appointments_removals_and_money():
    rows = [
        {"doc_id": "a", "label": "甲〔2024〕1号", "appointed": 3, "removed": 1, "yuan": 0, "rates": 0},
        {"doc_id": "b", "label": "乙〔2024〕2号", "appointed": 0, "removed": 0, "yuan": 500000000, "rates": 0},
        {"doc_id": "c", "label": "丙〔2024〕3号", "appointed": 0, "removed": 0, "yuan": 300, "rates": 2},
    ]
    svg = report.chart_to_svg(rows)
    assert svg.count('class="bar-appointed"') == 3 and svg.count('class="bar-money"') == 2
    assert "5亿元" in svg and "300元" in svg and check(svg).errors == []


def test_yuan_and_threshold_text():
    assert [report.yuan_to_text(v) for v in (300, 300000, 25000000, 500000000, 1234.5)] == ["300元", "30万元", "2500万元", "5亿元", "1234.5元"]
    assert report.threshold_to_text(">=", 200, "平方米") == "≥ 200平方米"


def test_sections_without_tables_are_left_out(tmp_path, sample_issue):
    db = build_analyst_warehouse(tmp_path / "bare.duckdb", sample_issue, entities=False)
    con = warehouse.connect(db, read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        html = report.issue_to_html(con, ISSUE)
    finally:
        con.close()
    assert ('id="appointments"' in html) == ("appointments" in tables)
    assert ('id="references"' in html) == ("doc_references" in tables)
    assert 'id="documents"' in html and check(html).errors == []


def test_unknown_issue_is_one_line(analyst_db, tmp_path):
    result = CliRunner().invoke(app, ["report", "无此期", "--out", str(tmp_path / "x.html"), "--db", str(analyst_db)])
    assert result.exit_code == 1 and "no issue with this id" in result.output


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", data[16:24])


# scripts/test.sh installs Debian's chromium only under CI=true or when asked, never silently.
CHROMIUM_SKIP = "chromium is not installed: install it, or run `GAZETTE_INSTALL_CHROMIUM=1 bash scripts/test.sh` as root"


def test_chromium_skip_note_says_how_to_enable_it():
    """The skip note is one line and names the switch scripts/test.sh really reads."""
    script = (Path(__file__).resolve().parent.parent / "scripts" / "test.sh").read_text(encoding="utf-8")
    switch = re.search(r"`(\w+)=1 bash scripts/test.sh`", CHROMIUM_SKIP)
    assert "\n" not in CHROMIUM_SKIP and switch
    assert f'"${{{switch[1]}:-}}" = 1' in script


def test_page_renders_in_headless_chromium(page, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        pytest.skip(CHROMIUM_SKIP)
    _, path = page
    shot = tmp_path / "issue-report.png"
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={shot}", "--window-size=1280,2000", path.as_uri(),
    ]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert shot.is_file() and png_size(shot) == (1280, 2000)
    # a blank 1280×2000 page compresses to a few KB; text, tables and the chart take far more
    assert shot.stat().st_size > 50_000, shot.stat().st_size
