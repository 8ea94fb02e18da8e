"""Fuzzing the text parsers and every extractor (hypothesis).

Inputs are random Unicode mixed with the pieces the parsers key on — 第X条,
第X章, 第X节, （一）, 一、, 1., 〔2024〕, 号, 元, 万, 以上, dates, line and page
breaks — so that the random text reaches the structure rules rather than
falling through as prose.  The properties: no exception, every offset inside
the document's text, every article/clause span inside its text and its parent,
and ``raw == document.text[start:end]`` for every record.

The extractor test iterates over ``extractors.REGISTRY`` at run time, so it
covers whatever extractors exist when it runs (other branches add them).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import extractors
from pipeline.parse.hierarchy import lines_to_hierarchy
from pipeline.parse.normalize import blocks_to_lines, clean_line
from pipeline.parse.segment import SourceInfo, pages_to_issue
from pipeline.read.text import text_to_pages
from schemas import Document, Issue, Line, Record
from tests.conftest import SAMPLE_TXT

FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FUZZ_EXTRACTORS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CN_NUMBERS = ["一", "二", "三", "十", "十一", "十二", "二十", "二十三", "九十九", "一百", "一百零一", "〇", "两", "零"]
DIGITS = ["0", "1", "2", "12", "2024", "99999", "１２", "３"]
number = st.one_of(st.sampled_from(CN_NUMBERS), st.sampled_from(DIGITS))


@st.composite
def marker(draw) -> str:
    n = draw(number)
    return draw(
        st.sampled_from(
            [
                f"第{n}条", f"第{n}条之一", f"第{n}章", f"第{n}节", f"第{n}编", f"（{n}）", f"({n})", f"{n}、", f"{n}.",
                f"〔2024〕{n}号", f"[2024]{n}号", f"（2024）{n}号", f"政府令第{n}号", f"{n}元", f"{n}万元", f"{n}万",
                f"{n}以上", f"{n}以下", f"不满{n}", f"{n}年{n}月{n}日", f"百分之{n}", f"{n}%", f"附件{n}",
            ]
        )
    )


PIECES = [
    "\n", "\n", "\n", " ", "\u3000", "\t", "\r\n", "\f", "。", "，", "：", "；", "、", "号", "元", "万", "以上", "以下", "以内",
    "〔", "〕", "【", "】", "《", "》", "（", "）", "第", "条", "章", "款", "项", "目录", "总则", "附则", "通知", "办法",
    "人民政府", "忻政发", "各县（市、区）人民政府：", "此件公开发布", "本办法自2024年1月1日起施行。", "\ufeff", "\x00",
]
piece = st.one_of(
    marker(),
    st.sampled_from(PIECES),
    st.text(max_size=6),  # any Unicode, including surrogates-free astral chars, combining marks, controls
    st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8),
)
random_mix = st.lists(piece, max_size=60).map("".join)
one_line = st.lists(st.one_of(marker(), st.sampled_from(PIECES[8:]), st.text(max_size=6)), max_size=12).map(
    lambda parts: "".join(parts).replace("\n", "").replace("\f", "")
)


@st.composite
def skeleton(draw) -> str:
    """A document-shaped text: a title, maybe a 发文字号, then lines opening with
    章/节/条/（一）/1./一、 markers numbered in sequence — with skips, repeats
    and 之一 insertions — and random text after each marker."""
    cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三"]
    lines = [draw(st.sampled_from(["某市物业管理条例", "某县人民政府关于印发某办法的通知", "", "目  录"]))]
    if draw(st.booleans()):
        lines.append(draw(st.sampled_from(["某政发〔2024〕3号", "某政办发[2023] 12 号", "政府令第5号"])))
    counters = {"章": 0, "节": 0, "条": 0, "item": 0, "sub": 0, "point": 0}
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(["章", "节", "条", "条", "条", "item", "sub", "point", "free"]))
        step = draw(st.sampled_from([1, 1, 1, 1, 0, 2, -1]))
        if kind == "free":
            lines.append(draw(one_line))
            continue
        counters[kind] = max(1, counters[kind] + step)
        n = counters[kind]
        label = {
            "章": f"第{cn[(n - 1) % len(cn)]}章", "节": f"第{cn[(n - 1) % len(cn)]}节",
            "条": f"第{cn[(n - 1) % len(cn)]}条" + ("之一" if draw(st.integers(0, 9)) == 0 else ""),
            "item": f"（{cn[(n - 1) % len(cn)]}）", "sub": f"{n}.", "point": f"{cn[(n - 1) % len(cn)]}、",
        }[kind]
        lines.append(label + draw(st.sampled_from(["", " ", "\u3000"])) + draw(one_line))
    if draw(st.booleans()):
        lines += ["某市人民政府", "2024年5月20日"]
    return "\n".join(lines)


SAMPLE_LINES = SAMPLE_TXT.read_text(encoding="utf-8").splitlines()


@st.composite
def mutated_sample(draw) -> str:
    """A slice of the sample issue with lines dropped, doubled, cut in two or
    replaced by random text: real structure, damaged at random."""
    start = draw(st.just(0) | st.integers(0, len(SAMPLE_LINES) - 1))  # from the cover: the gazette path
    lines = SAMPLE_LINES[start : start + draw(st.integers(1, 200))]
    for _ in range(draw(st.integers(0, 8))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "cut", "replace", "insert"]))
        if action == "drop":
            del lines[i]
        elif action == "double":
            lines.insert(i, lines[i])
        elif action == "cut":
            at = draw(st.integers(0, len(lines[i])))
            lines[i : i + 1] = [lines[i][:at], lines[i][at:]]
        elif action == "replace":
            lines[i] = draw(one_line)
        else:
            lines.insert(i, draw(one_line))
    return "\n".join(lines)


gazette_text = st.one_of(random_mix, skeleton(), mutated_sample())


def text_to_issue(text: str) -> Issue:
    info = SourceInfo(path="fuzz.txt", sha256="0" * 64, kind="txt")
    return pages_to_issue(text_to_pages(text), info)


def span_problems(document: Document) -> list[str]:
    """Every offset of a document's hierarchy checked against its text; [] when all hold."""
    text, n = document.text, len(document.text)
    problems = []

    def inside(kind: str, item, lo: int = 0, hi: int = n) -> None:
        if not (lo <= item.start <= item.end <= hi):
            problems.append(f"{kind} {item.start}:{item.end} outside {lo}:{hi}")

    for span in document.pages:
        inside("page", span)
    for chapter in document.chapters:
        inside("chapter", chapter)
    for section in document.sections:
        inside("section", section)
    previous_end = 0
    articles = {}
    for article in document.articles:
        inside("article", article)
        articles[article.article_id] = article
        if article.start < previous_end:
            problems.append(f"{article.label} starts at {article.start}, inside the previous article")
        previous_end = article.end
        if not "".join(text[article.start : article.end].split()).startswith("".join(article.label.split())):
            problems.append(f"{article.label} span does not start with its label")
    clauses = {clause.clause_id: clause for clause in document.clauses}
    for clause in document.clauses:
        inside("clause", clause)
        if clause.article_id is not None:
            if clause.article_id not in articles:
                problems.append(f"{clause.clause_id}: unknown article")
            else:
                parent = articles[clause.article_id]
                inside(f"clause {clause.clause_id} in its article", clause, parent.start, parent.end)
        if clause.parent_id is not None:
            if clause.parent_id not in clauses:
                problems.append(f"{clause.clause_id}: unknown parent")
            else:
                parent = clauses[clause.parent_id]
                inside(f"clause {clause.clause_id} in its parent", clause, parent.start, parent.end)
    for offset in (0, n // 2, max(n - 1, 0)):
        document.page_at(offset)
        document.article_at(offset)
    return problems


def record_problems(document: Document, kind: str, records: list[Record]) -> list[str]:
    """Provenance of one extractor's records checked against the document; [] when all hold."""
    problems = []
    n = len(document.text)
    for record in records:
        if not isinstance(record, Record):
            problems.append(f"{kind}: {type(record).__name__} is not a Record")
            continue
        if not (0 <= record.start <= record.end <= n):
            problems.append(f"{kind}: {record.start}:{record.end} outside 0:{n}")
        elif record.raw != document.text[record.start : record.end]:
            problems.append(f"{kind}: raw {record.raw!r} != text[{record.start}:{record.end}] {document.text[record.start:record.end]!r}")
        if record.doc_id != document.doc_id:
            problems.append(f"{kind}: doc_id {record.doc_id} on a record of {document.doc_id}")
        if record.article_id is not None and record.article_id not in {a.article_id for a in document.articles}:
            problems.append(f"{kind}: unknown article_id {record.article_id}")
    return problems


# --- normalize -----------------------------------------------------------------------


@FUZZ
@given(st.text(max_size=80) | gazette_text)
def test_clean_line_never_fails_and_is_idempotent(text):
    cleaned = clean_line(text)
    assert clean_line(cleaned) == cleaned
    assert "\ufeff" not in cleaned and "\r" not in cleaned and "\u3000" not in cleaned
    assert not any("\uff10" <= ch <= "\uff19" for ch in cleaned)  # full-width digits become ASCII
    assert cleaned == cleaned.strip(" ")


@FUZZ
@given(gazette_text)
def test_text_to_pages_and_line_repair_never_fail(text):
    pages = text_to_pages(text)
    lines = blocks_to_lines([block for page in pages for block in page.blocks])
    for line in lines:
        assert line.text and "\n" not in line.text
        for offset, _page in line.page_breaks:
            assert 0 <= offset <= len(line.text)


# --- segmentation and hierarchy ------------------------------------------------------


@FUZZ
@given(gazette_text)
def test_pages_to_issue_never_fails_and_spans_stay_inside(text):
    issue = text_to_issue(text)
    # text is loaded as documents, or (a cover with nothing after it) a warning says why not
    assert issue.documents or issue.warnings
    ids = [document.doc_id for document in issue.documents]
    assert len(ids) == len(set(ids))
    for document in issue.documents:
        assert span_problems(document) == []


@FUZZ
@given(st.lists(st.one_of(marker(), one_line), max_size=30) | skeleton().map(str.splitlines))
@example(["某市物业管理条例", "第一章", "第一条之一二十三元"])  # cn2an raised KeyError on 一二十三
@example(["第一条 总则", "（十十）罚款"])
def test_lines_to_hierarchy_never_fails_and_spans_stay_inside(pieces):
    texts = [clean_line(piece) for piece in pieces]
    texts = [t for t in texts if t]
    lines, offset = [], 0
    for t in texts:
        lines.append(Line(text=t, start=offset, end=offset + len(t)))
        offset += len(t) + 1
    hierarchy = lines_to_hierarchy("fuzz/d01", lines)
    document = Document(
        doc_id="fuzz/d01", issue_id="fuzz", seq=1, text="\n".join(texts), chapters=hierarchy.chapters,
        sections=hierarchy.sections, articles=hierarchy.articles, clauses=hierarchy.clauses,
    )
    assert span_problems(document) == []


# --- extractors ----------------------------------------------------------------------


def test_span_checks_catch_bad_offsets():
    """The checkers above can fail: an off-by-one record and an article past the end are caught."""
    issue = text_to_issue("某市管理办法\n第一条 为了管理，制定本办法。\n第二条 罚款1万元以上。\n")
    [document] = issue.documents
    assert span_problems(document) == []
    start = document.text.index("1万元")
    good = Record(doc_id=document.doc_id, start=start, end=start + 3, raw="1万元", extractor="test")
    shifted = good.model_copy(update={"start": start + 1, "end": start + 4})
    assert record_problems(document, "test", [good]) == []
    assert record_problems(document, "test", [shifted]) != []
    broken = document.model_copy(
        update={"articles": [document.articles[0].model_copy(update={"end": len(document.text) + 5})]}
    )
    assert span_problems(broken) != []


@pytest.mark.parametrize("kind", sorted(extractors.REGISTRY))
def test_extractor_on_fuzzed_documents(kind):
    extract = extractors.REGISTRY[kind]

    @FUZZ_EXTRACTORS
    @given(gazette_text)
    def run(text):
        for document in text_to_issue(text).documents:
            assert record_problems(document, kind, extract(document)) == []

    run()


@pytest.mark.parametrize("kind", sorted(extractors.REGISTRY))
def test_extractor_on_the_sample(kind, sample_issue):
    extract = extractors.REGISTRY[kind]
    for document in sample_issue.documents:
        assert record_problems(document, kind, extract(document)) == []
