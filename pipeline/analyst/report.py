"""One issue as a self-contained HTML page: inline CSS, an inline SVG chart, no external assets.

Sections: the documents in order (numbers, dates, pages), the appointments
register, money and thresholds per document, references between documents (as
links to anchors on the page, both ways), and a chart of appointments and
removals per document and of amounts by document.  A section whose table is
not in the warehouse (the entity tables come from other modules) is left out.

The pieces are pure functions ``rows_to_html`` over rows fetched by
``issue_to_report``; ``report_html`` assembles the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from html import escape

import duckdb

# An appointment notice's verbs (《党政领导干部选拔任用工作条例》: 任命/聘任 vs 免去/免职/
# 撤销/解聘/辞去): the appointments table's action is 'remove' for all of them.
REMOVAL_ACTION = "remove"

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{border-bottom:2px solid #9b1c1c;padding-bottom:.2rem;margin-top:2.2rem}
h3{font-size:1.05rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.4rem 0 1rem}
th,td{border:1px solid #d4d4d4;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#f4efe9}tr:target,tr:target td{background:#fff4c2}
.num,.no,.name{text-align:right;white-space:nowrap}.name{text-align:left}.no{text-align:left}.muted{color:#6b6b6b}.meta{color:#444}
nav ul{columns:2;padding-left:1.2rem}a{color:#9b1c1c}
.legend span{display:inline-block;margin-right:1rem}.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
"""
APPOINT_COLOUR = "#2f6f9f"
REMOVE_COLOUR = "#c0504d"
MONEY_COLOUR = "#7a9a3a"


class ReportError(RuntimeError):
    """The report cannot be made (unknown issue); the message is one line."""


@dataclass
class IssueReport:
    issue: dict
    documents: list[dict]
    appointments: list[dict] | None = None
    amounts: list[dict] | None = None
    thresholds: list[dict] | None = None
    references: list[dict] | None = None
    anchors: dict[str, str] = field(default_factory=dict)  # doc_id → anchor on this page


# ---------------------------------------------------------------------------
# Fetching


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}


def _rows(con: duckdb.DuckDBPyConnection, sql: str, params: list) -> list[dict]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=False)) for row in cursor.fetchall()]


def issue_to_report(con: duckdb.DuckDBPyConnection, issue_id: str) -> IssueReport:
    issues = _rows(con, "SELECT * FROM issues WHERE issue_id = ?", [issue_id])
    if not issues:
        raise ReportError(f"{issue_id}: no issue with this id (see `gazette sql 'SELECT issue_id FROM issues'`)")
    documents = _rows(con, """
        SELECT d.* EXCLUDE (text), r.doc_number AS repealed_by_number
        FROM documents d LEFT JOIN documents r ON r.doc_id = d.repealed_by
        WHERE d.issue_id = ? ORDER BY d.seq""", [issue_id])
    report = IssueReport(issue=issues[0], documents=documents)
    report.anchors = {d["doc_id"]: f"doc-{d['seq']}" for d in documents}
    tables = _tables(con)
    in_issue = "doc_id IN (SELECT doc_id FROM documents WHERE issue_id = ?)"
    if "appointments" in tables:
        report.appointments = _rows(con, f"SELECT * FROM appointments WHERE {in_issue} ORDER BY doc_id, seq", [issue_id])
    if "amounts" in tables:
        report.amounts = _rows(con, f'SELECT * FROM amounts WHERE {in_issue} ORDER BY doc_id, "start" NULLS LAST', [issue_id])
    if "thresholds" in tables:
        report.thresholds = _rows(con, f'SELECT * FROM thresholds WHERE {in_issue} ORDER BY doc_id, "start" NULLS LAST', [issue_id])
    if "doc_references" in tables:
        # outgoing references of this issue's documents, and incoming ones from other issues
        report.references = _rows(con, """
            SELECT r.*, t.doc_number AS target_number, t.title AS target_title, t.issue_id AS target_issue,
                   f.doc_number AS source_number, f.title AS source_title, f.issue_id AS source_issue
            FROM doc_references r
            JOIN documents f ON f.doc_id = r.doc_id
            LEFT JOIN documents t ON t.doc_id = r.cited_doc_id
            WHERE f.issue_id = ? OR t.issue_id = ?
            ORDER BY f.issue_id = ? DESC, f.seq, r."start" NULLS LAST""", [issue_id, issue_id, issue_id])
    return report


# ---------------------------------------------------------------------------
# Formatting


def yuan_to_text(value) -> str:
    """300 → 300元, 300000 → 30万元, 500000000 → 5亿元 (the units the documents themselves use)."""
    if value is None:
        return ""
    value = Decimal(value)
    for unit, size in (("亿元", Decimal(100_000_000)), ("万元", Decimal(10_000))):
        if abs(value) >= size:
            return f"{(value / size).normalize():f}{unit}"
    return f"{value.normalize():f}元"


OPS = {">=": "≥", "<=": "≤", ">": "＞", "<": "＜", "=": "＝", "==": "＝"}


def threshold_to_text(op: str | None, value, unit: str | None) -> str:
    """('>=', 500000000, '元') → '≥ 5亿元'; ('>=', 200, '平方米') → '≥ 200平方米'."""
    sign = OPS.get(op or "", op or "")
    if value is None:
        return f"{sign} {unit or ''}".strip()
    if unit == "元":
        amount = yuan_to_text(value)
    else:
        amount = f"{Decimal(value).normalize():f}{unit or ''}" if isinstance(value, (int, Decimal)) else f"{value}{unit or ''}"
    return f"{sign} {amount}".strip()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return escape("；".join(str(v) for v in value))
    return escape(str(value))


def _doc_link(report: IssueReport, doc_id: str | None, text: str | None = None) -> str:
    """A link to the document's row on this page, or its id as text when it is elsewhere."""
    if doc_id is None:
        return escape(text or "")
    label = escape(text or doc_id)
    anchor = report.anchors.get(doc_id)
    return f'<a href="#{anchor}">{label}</a>' if anchor else f'{label} <span class="muted">({escape(doc_id)})</span>'


def _doc_name(document: dict) -> str:
    return document.get("doc_number") or document.get("title") or document["doc_id"]


def _table(headers: list[str], rows: list[str]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# ---------------------------------------------------------------------------
# Sections


def documents_to_html(report: IssueReport) -> str:
    rows = []
    for d in report.documents:
        pages = f"{d['page_start']}–{d['page_end']}" if d.get("page_start") else ""
        repealed = _doc_link(report, d.get("repealed_by"), d.get("repealed_by_number")) if d.get("repealed_by") else ""
        rows.append(
            f'<tr id="{report.anchors[d["doc_id"]]}"><td class="num">{d["seq"]}</td><td class="no">{_cell(d["doc_number"])}</td>'
            f'<td>{_cell(d["title"])}</td><td>{_cell(d.get("issuer"))}</td><td>{_cell(d.get("doc_type"))}</td>'
            f'<td>{_cell(d.get("signed_on"))}</td><td>{_cell(d.get("effective_on"))}</td><td>{_cell(d.get("valid_until"))}</td>'
            f'<td class="num">{pages}</td><td>{repealed}</td></tr>'
        )
    return '<section id="documents"><h2>文件 Documents</h2>' + _table(
        ["#", "发文字号", "标题", "发文机关", "文种", "成文日期", "施行日期", "有效期至", "页", "废止于"], rows
    ) + "</section>"


def appointments_to_html(report: IssueReport) -> str:
    rows = []
    for a in report.appointments or []:
        kind = "removal" if a.get("action") == REMOVAL_ACTION else "appointment"
        rows.append(
            f'<tr class="{kind}"><td>{_doc_link(report, a["doc_id"], _doc_name(_doc(report, a["doc_id"])))}</td>'
            f'<td class="num">{_cell(a.get("seq"))}</td><td class="name">{_cell(a.get("person"))}</td><td class="name">{_cell(a.get("action"))}</td>'
            f'<td>{_cell(a.get("organization"))}</td><td>{_cell(a.get("post"))}</td><td>{_cell(a.get("concurrent"))}</td>'
            f'<td class="num">{_cell(a.get("probation_months"))}</td><td>{_cell(a.get("decided_by"))}</td>'
            f'<td>{_cell(a.get("decided_on"))}</td></tr>'
        )
    body = _table(["文件", "序", "姓名", "任免", "单位", "职务", "兼任", "试用期(月)", "决定机关", "决定日期"], rows) if rows else "<p class=muted>本期无任免。</p>"
    return f'<section id="appointments"><h2>人事任免 Appointments register</h2>{body}</section>'


def _doc(report: IssueReport, doc_id: str) -> dict:
    return next((d for d in report.documents if d["doc_id"] == doc_id), {"doc_id": doc_id})


def amount_kind(role: str | None) -> str:
    """The first cell of an amount's row: 金额 and its role (申报条件 for a criterion)."""
    if role == "criterion":
        return "金额·申报条件"
    return f"金额·{ROLE_NAMES[role]}" if role in ROLE_NAMES else "金额"


def money_to_html(report: IssueReport) -> str:
    by_doc: dict[str, list[str]] = {}
    for a in report.amounts or []:
        rate = " / ".join(x for x in (a.get("per_unit"), a.get("period")) if x)
        by_doc.setdefault(a["doc_id"], []).append(
            f'<tr><td>{escape(amount_kind(a.get("role")))}</td><td>{_cell(a.get("subject"))}</td><td class="num">{escape(yuan_to_text(a.get("value_yuan")))}'
            f'{" / " + escape(rate) if rate else ""}</td><td>{_cell(a.get("currency"))}</td><td>{_cell(a.get("raw"))}</td></tr>'
        )
    for t in report.thresholds or []:
        value = escape(threshold_to_text(t.get("op"), t.get("value"), t.get("unit")))
        inclusive = "含本数" if t.get("inclusive") else "不含本数" if t.get("inclusive") is False else ""
        by_doc.setdefault(t["doc_id"], []).append(
            f'<tr><td>门槛</td><td>{_cell(t.get("subject"))}</td><td class="num">{value}</td><td>{inclusive}</td><td>{_cell(t.get("raw"))}</td></tr>'
        )
    parts = []
    for d in report.documents:
        rows = by_doc.get(d["doc_id"])
        if rows:
            parts.append(f'<h3>{_doc_link(report, d["doc_id"], _doc_name(d))} <span class="meta">{_cell(d["title"])}</span></h3>'
                         + _table(["类", "事项", "数额", "币种/含否", "原文"], rows))
    body = "".join(parts) or "<p class=muted>本期无金额或门槛。</p>"
    return f'<section id="money"><h2>金额与门槛 Money and thresholds</h2>{body}</section>'


def references_to_html(report: IssueReport) -> str:
    rows = []
    for r in report.references or []:
        source = _doc_link(report, r["doc_id"], r.get("source_number") or r.get("source_title"))
        target_text = r.get("target_number") or r.get("cited_number") or r.get("cited_title")
        target = _doc_link(report, r.get("cited_doc_id"), target_text)
        title = r.get("cited_title") or r.get("target_title")
        rows.append(f"<tr><td>{source}</td><td>{_cell(r.get('relation'))}</td><td>{target}</td><td>《{_cell(title)}》</td></tr>"
                    if title else f"<tr><td>{source}</td><td>{_cell(r.get('relation'))}</td><td>{target}</td><td></td></tr>")
    body = _table(["引用文件", "关系", "被引文件", "被引标题"], rows) if rows else "<p class=muted>本期无引用。</p>"
    return f'<section id="references"><h2>引用 References</h2>{body}</section>'


# ---------------------------------------------------------------------------
# Chart


ROLE_NAMES = {"award": "奖励", "subsidy": "补贴", "grant": "资助", "fee": "收费", "fine": "罚款", "budget": "预算", "other": "其他"}


def chart_rows(report: IssueReport) -> list[dict]:
    """Per document with appointments or amounts: appointments, removals, the lump sums
    of money paid or charged (total ``yuan`` and ``by_role``), the count of rates
    (per unit / per period, never summed) and of criteria (conditions on the
    applicant, role criterion: never summed)."""
    rows = {d["doc_id"]: {"doc_id": d["doc_id"], "label": _doc_name(d), "appointed": 0, "removed": 0,
                          "yuan": Decimal(0), "by_role": {}, "rates": 0, "criteria": 0}
            for d in report.documents}
    for a in report.appointments or []:
        rows[a["doc_id"]]["removed" if a.get("action") == REMOVAL_ACTION else "appointed"] += 1
    for m in report.amounts or []:
        if m.get("value_yuan") is None:
            continue
        row, role = rows[m["doc_id"]], m.get("role") or "other"
        if role == "criterion":
            row["criteria"] += 1
        elif m.get("per_unit") or m.get("period"):
            row["rates"] += 1
        else:
            row["yuan"] += Decimal(m["value_yuan"])
            row["by_role"][role] = row["by_role"].get(role, Decimal(0)) + Decimal(m["value_yuan"])
    return [r for r in rows.values() if r["appointed"] or r["removed"] or r["yuan"] or r["rates"] or r["criteria"]]


def money_note(row: dict) -> str:
    """The text beside a document's money bar: the sum per role, then what is not summed."""
    roles = "，".join(f"{ROLE_NAMES.get(k, k)}{yuan_to_text(v)}" for k, v in sorted(row.get("by_role", {}).items()))
    total = f"{yuan_to_text(row['yuan'])}（{roles}）" if roles else yuan_to_text(row["yuan"]) if row.get("yuan") else ""
    rest = [f"{row['rates']} 项标准（按户/按期，不合计）"] if row.get("rates") else []
    rest += [f"{row['criteria']} 项申报条件（不合计）"] if row.get("criteria") else []
    return "；".join(x for x in [total, *rest] if x)


def chart_to_svg(rows: list[dict]) -> str:
    """Two horizontal bar panels side by side: appointments/removals (count), lump-sum amounts (log10 yuan)."""
    if not rows:
        return ""
    bar, gap, top, label_w, panel_w = 16, 8, 28, 170, 300
    height = top + len(rows) * (bar + gap) + 10
    width = label_w + panel_w * 2 + 60
    most = max(max(r["appointed"], r["removed"]) for r in rows) or 1
    top_yuan = max((r["yuan"] for r in rows), default=Decimal(0))
    log_top = math.log10(float(top_yuan)) if top_yuan > 0 else 1.0
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="appointments, removals and amounts per document" font-size="12">',
             f'<text x="{label_w}" y="16" font-weight="bold">任免人次 appointments / removals</text>',
             f'<text x="{label_w + panel_w + 30}" y="16" font-weight="bold">金额合计 lump sums (log scale)</text>']
    for i, r in enumerate(rows):
        y = top + i * (bar + gap)
        parts.append(f'<text x="{label_w - 6}" y="{y + bar - 4}" text-anchor="end">{escape(r["label"])}</text>')
        half = bar / 2
        for j, (key, colour) in enumerate((("appointed", APPOINT_COLOUR), ("removed", REMOVE_COLOUR))):
            w = (panel_w - 40) * r[key] / most
            parts.append(f'<rect class="bar-{key}" x="{label_w}" y="{y + j * half:.1f}" width="{w:.1f}" height="{half - 1:.1f}" fill="{colour}"/>')
            if r[key]:
                parts.append(f'<text x="{label_w + w + 4:.1f}" y="{y + j * half + half - 2:.1f}" font-size="9">{r[key]}</text>')
        x0 = label_w + panel_w + 30
        if r["yuan"] > 0:
            # log scale from 1 yuan, so 300元 and 5亿元 both show
            w = (panel_w - 80) * max(math.log10(float(r["yuan"])), 0.3) / log_top
            parts.append(f'<rect class="bar-money" x="{x0}" y="{y}" width="{w:.1f}" height="{bar}" fill="{MONEY_COLOUR}"/>')
            parts.append(f'<text x="{x0 + w + 4:.1f}" y="{y + bar - 4}">{escape(money_note(r))}</text>')
        elif money_note(r):
            parts.append(f'<text x="{x0}" y="{y + bar - 4}" fill="#6b6b6b">{escape(money_note(r))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def chart_to_html(report: IssueReport) -> str:
    svg = chart_to_svg(chart_rows(report))
    if not svg:
        return ""
    legend = (f'<p class="legend"><span><i class="sw" style="background:{APPOINT_COLOUR}"></i>任命</span>'
              f'<span><i class="sw" style="background:{REMOVE_COLOUR}"></i>免去</span>'
              f'<span><i class="sw" style="background:{MONEY_COLOUR}"></i>支出金额合计（按用途；不含按户/按期标准与申报条件）</span></p>')
    return f'<section id="chart"><h2>图 Chart</h2>{legend}{svg}</section>'


# ---------------------------------------------------------------------------
# The page


def report_html(report: IssueReport) -> str:
    issue = report.issue
    if issue.get("gazette"):
        heading = f"{issue['gazette']} {issue.get('year') or ''}年第{issue.get('number') or '?'}期"
        if issue.get("cumulative_number"):
            heading += f"（总第{issue['cumulative_number']}期）"
    else:
        heading = issue["issue_id"]
    meta = " · ".join(x for x in (
        f"出版 {issue['published_on']}" if issue.get("published_on") else "",
        escape(issue.get("publisher") or ""),
        f"{len(report.documents)} 件文件",
    ) if x)
    chart = chart_to_html(report)
    sections = [chart, documents_to_html(report)] if chart else [documents_to_html(report)]
    nav = (['<li><a href="#chart">图 Chart</a></li>'] if chart else []) + ['<li><a href="#documents">文件 Documents</a></li>']
    if report.appointments is not None:
        sections.append(appointments_to_html(report))
        nav.append('<li><a href="#appointments">人事任免 Appointments</a></li>')
    if report.amounts is not None or report.thresholds is not None:
        sections.append(money_to_html(report))
        nav.append('<li><a href="#money">金额与门槛 Money and thresholds</a></li>')
    if report.references is not None:
        sections.append(references_to_html(report))
        nav.append('<li><a href="#references">引用 References</a></li>')
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{escape(heading)}</title><style>{CSS}</style></head><body>"
        f'<header><h1>{escape(heading)}</h1><p class="meta">{meta}</p></header>'
        f"<nav><ul>{''.join(nav)}</ul></nav>{''.join(sections)}"
        f'<footer class="muted"><p>{escape(issue["issue_id"])} · gazette-pipeline</p></footer></body></html>\n'
    )


def issue_to_html(con: duckdb.DuckDBPyConnection, issue_id: str) -> str:
    return report_html(issue_to_report(con, issue_id))
