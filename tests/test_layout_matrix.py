"""The layout matrix: the sample printed in layouts nobody tuned the reader to
gives the text path's structure.

Each layout of ``LAYOUTS`` (tests/fixtures/make_pdf.py ``Layout``) renders the
sample (tests/fixtures/xinzhou-2024-05.txt) once per session into a temporary
directory; the PDF is read with ``source_to_issue`` and extracted with
``extract_issue``, once.  Its projection (per document: number, title, issuer,
signed date, chapter and article counts, appointments) must equal the
projection of the text path, which is hand-checked golden
(tests/fixtures/xinzhou-2024-05.expected.json and
xinzhou-2024-05.appointments.expected.json).  One test per layout, plus one
short scanned case (the 任免 notices as skewed, blurred scans read by OCR),
marked ``slow``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import regex

from pipeline.ingest import extract_issue, source_to_issue
from pipeline.read.sources import source_of
from schemas import Issue
from schemas import patterns as p
from tests.conftest import FIXTURES, REGULATIONS, SAMPLE_TXT
from tests.fixtures.make_pdf import TTF_PATH, Layout, pages_holding, render_layout_pdf, scan_pages

LAYOUTS = [
    Layout("a4-2col-10mm-cid"),
    Layout("a4-2col-5mm-9pt", gutter_mm=5, size=9),
    Layout("a4-2col-20mm-12pt-outer", gutter_mm=20, size=12, page_number="outer"),
    Layout("a4-1col-cid", columns=1),
    Layout("a4-1col-ttf-12pt-alternate", columns=1, font="ttf", size=12, header="alternate", page_number="outer"),
    Layout("a4-fulltitle-2col", full_width_titles=True),
    Layout("a4-2col-page-per-doc-ttf", font="ttf", page_per_document=True),
    Layout("b5-1col-10pt", page="B5", columns=1, size=10, margin_mm=18),
    Layout("b5-2col-8mm-ttf-alternate", page="B5", gutter_mm=8, font="ttf", header="alternate", margin_mm=18),
    Layout("b5-fulltitle-2col-9pt", page="B5", full_width_titles=True, size=9, margin_mm=18),
    Layout("16k-1col-11pt-page-per-doc", page="16K", columns=1, size=11, page_per_document=True),
    Layout("16k-2col-6mm-9pt-alternate", page="16K", gutter_mm=6, size=9, header="alternate", page_number="outer"),
    Layout("16k-fulltitle-2col-ttf-outer", page="16K", full_width_titles=True, font="ttf", page_number="outer"),
]
# Scanned case: the pages of the 任免 notices (忻政任〔2024〕20–23号) become
# skewed, blurred 200 dpi images with no text layer; the rest keeps its text.
SCAN_LAYOUT = Layout("a4-2col-scanned-appointments")
# From the body page of the first notice's number (the 目录 page names it too) to the
# page of the next document's number (where the last notice ends).
SCAN_FIRST, SCAN_END = "忻政任〔2024〕20号", "忻科规[2024]1号"


def issue_to_projection(issue: Issue) -> list[dict]:
    """Per document: number, title, issuer, signed date, chapter and article
    counts, and its appointments (person, action, post) in order."""
    projection = []
    for document in issue.documents:
        appointments = [(r.person, r.action, r.post) for r in document.records.get("appointments", [])]
        projection.append(
            {
                "doc_number": document.doc_number,
                "title": document.title,
                "issuer": document.issuer,
                "signed_on": document.signed_on.isoformat() if document.signed_on else None,
                "chapters": len(document.chapters),
                "articles": len(document.articles),
                "appointments": appointments,
            }
        )
    return projection


def _read(pdf: Path) -> list[dict]:
    return issue_to_projection(extract_issue(source_to_issue(source_of(pdf))))


@pytest.fixture(scope="session")
def text_projection() -> list[dict]:
    """The text path's projection (hand-checked golden), once per session."""
    return issue_to_projection(extract_issue(source_to_issue(source_of(SAMPLE_TXT))))


@pytest.fixture(scope="session")
def layout_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layouts")


_READ: dict[str, list[dict]] = {}


def layout_projection(layout: Layout, directory: Path) -> list[dict]:
    """Render and read ``layout`` once per session."""
    if layout.name not in _READ:
        _READ[layout.name] = _read(render_layout_pdf(layout, directory / f"{layout.name}.pdf"))
    return _READ[layout.name]


def test_text_projection_is_the_golden_one(text_projection: list[dict]) -> None:
    """The reference itself: 15 documents, 193 articles, 48 chapters, 41 appointments."""
    assert len(text_projection) == 15
    assert sum(d["articles"] for d in text_projection) == 193
    assert sum(d["chapters"] for d in text_projection) == 48
    assert sum(len(d["appointments"]) for d in text_projection) == 41


def _differences(got: list[dict], want: list[dict]) -> list[str]:
    """Readable differences, document by document (numbers first)."""
    if [d["doc_number"] for d in got] != [d["doc_number"] for d in want]:
        return [f"documents {[d['doc_number'] for d in got]} != {[d['doc_number'] for d in want]}"]
    return [
        f"{w['doc_number']} {key}: {g[key]!r} != {w[key]!r}"
        for g, w in zip(got, want, strict=True)
        for key in w
        if g[key] != w[key]
    ]


@pytest.mark.parametrize(
    "layout",
    LAYOUTS,
    ids=[layout.name for layout in LAYOUTS],
)
def test_layout_gives_the_text_projection(layout: Layout, layout_dir: Path, text_projection: list[dict]) -> None:
    if layout.font == "ttf" and not TTF_PATH.is_file():
        pytest.skip(f"{TTF_PATH} missing: scripts/test.sh installs fonts-wqy-zenhei")
    assert _differences(layout_projection(layout, layout_dir), text_projection) == []


@pytest.mark.slow
def test_scanned_appointments_give_the_text_projection(layout_dir: Path, text_projection: list[dict]) -> None:
    pdf = render_layout_pdf(SCAN_LAYOUT, layout_dir / f"{SCAN_LAYOUT.name}.pdf")
    pages = set(range(max(pages_holding(pdf, SCAN_FIRST)), max(pages_holding(pdf, SCAN_END)) + 1))
    assert 1 <= len(pages) <= 4
    scan = scan_pages(pdf, layout_dir / "scanned.pdf", pages)
    issue = source_to_issue(source_of(scan))
    assert {info.page for info in issue.pages if info.ocr} == pages
    got = issue_to_projection(extract_issue(issue))
    # Structure exactly; in the posts, OCR may misread a rare glyph (峙 as 崎,
    # 〈 as <): all posts together must be the text's within MAX_POST_CER
    # (recognition accuracy itself is measured by benchmarks/bench_ocr.py).
    assert _differences(_without_posts(got), _without_posts(text_projection)) == []
    posts = [(g[2], w[2]) for a, b in zip(got, text_projection, strict=True)
             for g, w in zip(a["appointments"], b["appointments"], strict=True)]
    assert _cer("|".join(g for g, _ in posts), "|".join(w for _, w in posts)) <= MAX_POST_CER


MAX_POST_CER = 0.02  # character errors per character, over the 41 posts (about 600 characters)


def _without_posts(projection: list[dict]) -> list[dict]:
    return [{**d, "appointments": [(person, action) for person, action, _ in d["appointments"]]} for d in projection]


def _cer(got: str, want: str) -> float:
    """Character error rate: edit distance over the length of ``want``."""
    previous = list(range(len(got) + 1))
    for i, w in enumerate(want, start=1):
        current = [i]
        for j, g in enumerate(got, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (g != w)))
        previous = current
    return previous[-1] / max(len(want), 1)


def test_layouts_are_distinct() -> None:
    """Each cell of the matrix is its own layout, and the matrix covers what it claims."""
    assert len({(c.page, c.columns, c.gutter_mm, c.size, c.font, c.header, c.page_number, c.full_width_titles,
                 c.page_per_document) for c in LAYOUTS}) == len(LAYOUTS) >= 12
    assert {c.page for c in LAYOUTS} == {"A4", "B5", "16K"}
    assert {c.font for c in LAYOUTS} == {"cid", "ttf"}
    assert min(c.size for c in LAYOUTS) <= 9 and max(c.size for c in LAYOUTS) >= 12
    assert Counter(c.columns for c in LAYOUTS)[1] >= 3


# --- other inputs: a batch of notices and regulations ------------------------------

# The four 任免 notices with no cover and no 目录 (tests/test_collections.py pins
# their text projection to the hand-checked appointments), and regulations of
# the national corpus with 章 (and 节, in 反倾销条例), each in a few layouts of
# the matrix with no cover page.  Expected: the same file read as text.
NOTICES = FIXTURES / "synthetic-appointment-notices.txt"
REGULATION_FILES = ("不动产登记暂行条例(2019-03-24).txt", "专利代理条例(2018-11-06).txt", "反倾销条例(2004-03-31).txt")
OTHER_CASES = [
    (NOTICES, Layout("notices-a4-2col-cid", cover_lines=0)),
    (NOTICES, Layout("notices-b5-1col-ttf-alternate", page="B5", columns=1, font="ttf", header="alternate",
                     margin_mm=18, cover_lines=0)),
    (NOTICES, Layout("notices-16k-fulltitle-9pt-outer", page="16K", full_width_titles=True, size=9,
                     page_number="outer", cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[0], Layout("reg1-a4-2col-12pt", size=12, cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[0], Layout("reg1-16k-1col-ttf-outer", page="16K", columns=1, font="ttf",
                                               page_number="outer", cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[1], Layout("reg2-b5-2col-9pt-alternate", page="B5", size=9, header="alternate",
                                               margin_mm=18, cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[1], Layout("reg2-a4-fulltitle-ttf", full_width_titles=True, font="ttf",
                                               cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[2], Layout("reg3-a4-1col-11pt", columns=1, size=11, cover_lines=0)),
    (REGULATIONS / REGULATION_FILES[2], Layout("reg3-16k-2col-6mm-ttf", page="16K", gutter_mm=6, font="ttf",
                                               cover_lines=0)),
]

_HEADING = regex.compile(rf"^[\s\u3000]*第(?P<num>{p.CN_NUM})(?P<kind>[章条])", regex.M)


def raw_counts(text: str) -> tuple[int, int]:
    """(chapters, articles): lines of the raw file that open with 第X章 / 第X条,
    counted without the parser (a regulation quotes no other's articles at a line start)."""
    kinds = Counter(match["kind"] for match in _HEADING.finditer(text))
    return kinds["章"], kinds["条"]


@pytest.mark.parametrize(("path", "layout"), OTHER_CASES, ids=[layout.name for _, layout in OTHER_CASES])
def test_other_input_gives_its_text_projection(path: Path, layout: Layout, layout_dir: Path) -> None:
    if not path.is_file():
        pytest.skip(f"{path} not found (the regulations corpus is optional)")
    if layout.font == "ttf" and not TTF_PATH.is_file():
        pytest.skip(f"{TTF_PATH} missing: scripts/test.sh installs fonts-wqy-zenhei")
    want = issue_to_projection(extract_issue(source_to_issue(source_of(path))))
    if path == NOTICES:
        assert [d["doc_number"] for d in want] == [f"忻政任〔2024〕{n}号" for n in (20, 21, 22, 23)]
        assert [len(d["appointments"]) for d in want] == [2, 11, 2, 26]
    else:  # the reference itself is right: one document with the file's chapters and articles
        assert len(want) == 1
        assert (want[0]["chapters"], want[0]["articles"]) == raw_counts(path.read_text(encoding="utf-8"))
    got = _read(render_layout_pdf(layout, layout_dir / f"{layout.name}.pdf", path))
    assert _differences(got, want) == []
