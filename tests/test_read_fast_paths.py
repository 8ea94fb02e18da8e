"""The reader's shortcuts give what their plain definitions give.

``text_layer_is_usable`` judges a page in C when no char of it can be garbage
(``str.isprintable``) and counts char by char otherwise; ``page_has_rules``
walks pdfium's page objects with raw calls instead of pypdfium2's
``get_objects`` helper.  Expected values are written by hand.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen.canvas import Canvas

from pipeline.read.layout import is_garbage_char, text_layer_is_usable
from pipeline.read.pdf import page_has_rules

BODY = "第一条 为了规范行政规范性文件管理，根据有关法律法规，结合本市实际，制定本办法。"  # 40 printable chars


@pytest.mark.parametrize(
    ("text", "usable"),
    [
        (BODY, True),  # the usual page: decided without counting
        (BODY.replace("，", "\u200b，"), True),  # zero-width spaces (Cf): unprintable, yet no garbage
        (BODY + "\u00ad", True),  # a soft hyphen (Cf), likewise
        (BODY + "\x07\x07", True),  # two control chars in 42: garbage, under a fifth
        (BODY[:10] + "\ue000" * 3, False),  # 3 private-use glyphs in 13: over a fifth
        (BODY[:8] + "\x01\x02\x03", False),  # control chars: 3 in 11
        (BODY[:8] + "\ufffd" * 3, False),  # U+FFFD is printable, but garbage
        (BODY[:8] + "\U000e0fff" * 3, False),  # unassigned code points (Cn)
        ("\u3000 \u00a0\t\n" * 20 + "第一条", False),  # whitespace of every kind is not counted: 3 chars
    ],
)
def test_text_layer_is_usable_with_and_without_the_shortcut(text: str, usable: bool) -> None:
    assert text_layer_is_usable(text) is usable
    printable = [ch for ch in text if not ch.isspace()]  # the definition, char by char
    garbage = sum(is_garbage_char(ch) for ch in printable)
    assert (len(printable) >= 10 and garbage <= 0.2 * len(printable)) is usable


def _rules_pdf(path: Path) -> Path:
    """Three pages: two vertical rules on the page itself; a form holding two
    vertical rules and a box (a box counts as two rules); a form holding one rule
    and, inside it, the form of page 2, whose rules are one level too deep."""
    canvas = Canvas(str(path))
    canvas.beginForm("ruled")
    canvas.line(100, 100, 100, 300)
    canvas.line(200, 100, 200, 300)
    canvas.rect(300, 100, 50, 50)
    canvas.endForm()
    canvas.beginForm("outer")
    canvas.line(400, 100, 400, 300)
    canvas.doForm("ruled")
    canvas.endForm()
    canvas.line(100, 100, 100, 300)
    canvas.line(200, 100, 200, 300)
    canvas.line(100, 50, 300, 50)  # horizontal: no rule of a column
    canvas.showPage()
    canvas.doForm("ruled")
    canvas.showPage()
    canvas.doForm("outer")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize(("page", "rules"), [(0, 2), (1, 4), (2, 1)])
def test_page_has_rules_counts_the_page_and_its_forms(tmp_path: Path, page: int, rules: int) -> None:
    pdf = pdfium.PdfDocument(str(_rules_pdf(tmp_path / "rules.pdf")))
    try:
        page_ = pdf[page]
        height = page_.get_size()[1]
        assert page_has_rules(page_, height, min_rules=rules)
        assert not page_has_rules(page_, height, min_rules=rules + 1)
    finally:
        pdf.close()
