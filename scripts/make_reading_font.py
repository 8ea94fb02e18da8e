"""Write ``pipeline/read/reading_font.ttf``: the font pdfium substitutes, while it reads text,
for fonts a PDF names but does not embed (``pipeline.read.pdfium_fonts`` says why).

    python scripts/make_reading_font.py        # needs fontTools (pip install fonttools)

It maps every code point to one of two glyphs, each a plain rectangle, so that FreeType
loads any character's outline in a few microseconds:

* ``wide``: CJK ideographs, kana, hangul, CJK and full-width punctuation (``WIDE_RANGES``),
  whose advance in a CJK font is the full em: the rectangle spans the em's width and runs
  from the ideographic em box's bottom (-120/1000, as in the Adobe-Japan1/GB1 fonts and
  Source Han / Noto CJK) to about where a Song or Hei face's ideographs end (840/1000);
* ``narrow``: everything else (Latin letters, digits, half-width punctuation), whose advance
  in a proportional font can be as small as a fifth of an em (the space, i, l): the rectangle
  stays inside 0.15 em, from the baseline to a capital's height (700/1000).

pdfium lays out characters by the widths the PDF gives; a glyph only feeds the character's
box (``FPDFText_GetLooseCharBox`` is the union of the font-metric box and the glyph's box), so
each rectangle keeps inside the box a real face's glyph would have.  No glyph may be empty or
hair-thin: pdfium then takes text objects for duplicates and drops characters.

The cmap is one format 13 subtable (many code points to one glyph), a few hundred bytes.
``tests/test_pdfium_fonts.py`` checks the committed file against these ranges and boxes.
"""

from __future__ import annotations

import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "pipeline" / "read" / "reading_font.ttf"
FAMILY = "GazetteReading"
UNITS_PER_EM = 1000
# (x0, y0, x1, y1) of each glyph's rectangle, font units; the advance is the em (pdfium uses
# the PDF's widths, not these).
WIDE_BOX = (0, -120, 1000, 840)
NARROW_BOX = (0, 0, 150, 700)
ASCENT, DESCENT = 880, -120  # the ideographic em box
# Code points drawn a full em wide in CJK fonts (Unicode blocks).
WIDE_RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x2E80, 0x2FDF),  # CJK Radicals Supplement, Kangxi Radicals
    (0x2FF0, 0x303F),  # Ideographic Description Characters, CJK Symbols and Punctuation (、。〈〉《》「」【】〔〕)
    (0x3040, 0x31FF),  # Hiragana, Katakana, Bopomofo, Hangul Compatibility Jamo, Kanbun, CJK Strokes
    (0x3200, 0x4DBF),  # Enclosed CJK Letters and Months, CJK Compatibility, CJK Extension A
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xA960, 0xA97F),  # Hangul Jamo Extended-A
    (0xAC00, 0xD7AF),  # Hangul Syllables
    (0xF900, 0xFAFF),  # CJK Compatibility Ideographs
    (0xFE10, 0xFE1F),  # Vertical Forms
    (0xFE30, 0xFE4F),  # CJK Compatibility Forms
    (0xFF01, 0xFF60),  # Fullwidth ASCII variants (，：；（）０-９) and fullwidth brackets
    (0xFFE0, 0xFFE6),  # Fullwidth signs (￥)
    (0x20000, 0x3FFFF),  # Supplementary Ideographic Planes (Extensions B–H, compatibility supplement)
)
LAST_CODE_POINT = 0x10FFFF
SURROGATES = (0xD800, 0xDFFF)


def glyph_ranges() -> list[tuple[int, int, str]]:
    """(first, last, glyph) covering U+0020..U+10FFFF without the surrogates, in order."""
    ranges: list[tuple[int, int, str]] = []
    start = 0x20
    for first, last in sorted([*WIDE_RANGES, SURROGATES]):
        if start < first:
            ranges.append((start, first - 1, "narrow"))
        if (first, last) != SURROGATES:
            ranges.append((first, last, "wide"))
        start = last + 1
    ranges.append((start, LAST_CODE_POINT, "narrow"))
    return ranges


def build_font():  # noqa: ANN201 - fontTools.ttLib.TTFont
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable

    def rectangle(box: tuple[int, int, int, int]):  # noqa: ANN202
        x0, y0, x1, y1 = box
        pen = TTGlyphPen(None)
        pen.moveTo((x0, y0))
        pen.lineTo((x0, y1))
        pen.lineTo((x1, y1))
        pen.lineTo((x1, y0))
        pen.closePath()
        return pen.glyph()

    builder = FontBuilder(UNITS_PER_EM, isTTF=True)
    builder.setupGlyphOrder([".notdef", "wide", "narrow"])
    builder.setupCharacterMap({})
    builder.setupGlyf({".notdef": TTGlyphPen(None).glyph(), "wide": rectangle(WIDE_BOX), "narrow": rectangle(NARROW_BOX)})
    builder.setupHorizontalMetrics({name: (UNITS_PER_EM, 0) for name in (".notdef", "wide", "narrow")})
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": FAMILY, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    builder.setupPost()
    builder.setupHead(unitsPerEm=UNITS_PER_EM, created=0, modified=0)
    cmap = CmapSubtable.newSubtable(13)  # many-to-one: each range to one glyph
    cmap.platformID, cmap.platEncID, cmap.language = 3, 10, 0  # Windows, Unicode full repertoire
    cmap.cmap = {code: glyph for first, last, glyph in glyph_ranges() for code in range(first, last + 1)}
    builder.font["cmap"].tables = [cmap]
    return builder.font


def main() -> int:
    font = build_font()
    font.save(str(OUTPUT))
    print(f"{OUTPUT}: {OUTPUT.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
