"""OCR accuracy and speed on the fixture PDF: character error rate (CER) of
RapidOCR against the text layer of the same pages, and seconds per page.

    PYTHONPATH=. python benchmarks/bench_ocr.py [--pages 19 20] [--workers 2] [--scale 2.0]

Renders the sample gazette (tests/fixtures/make_pdf.py), rasterises the chosen
pages (default: the pages of the appointment notices, found by their text)
into an image-only copy at 200 dpi, recognises them with pipeline.read.ocr, and
compares, page by page, the text in reading order (pipeline.read.pdf's layout of
the text layer vs of the OCR lines, headers and footers included):

* CER = Levenshtein distance / reference length, whitespace removed;
* CER after NFKC (full-/half-width forms such as （）/() counted equal);
* baseline in the same run: seconds per page of reading the text layer.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions), O(len(a)·len(b))."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def compact(text: str, nfkc: bool = False) -> str:
    text = unicodedata.normalize("NFKC", text) if nfkc else text
    return re.sub(r"\s", "", text)


def layout_text(layout) -> str:
    return "".join(line.text for line in layout.lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, nargs="*", help="1-based pages to rasterise and recognise")
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--scale", type=float, default=None, help="OCR render scale (pixels per point)")
    args = parser.parse_args()

    import pypdfium2 as pdfium

    from pipeline.read.ocr import DEFAULT_OCR_SCALE, ocr_pages_to_layouts
    from pipeline.read.pdf import iter_layouts
    from tests.fixtures.make_pdf import rasterise_pages, render_sample_pdf

    with tempfile.TemporaryDirectory() as tmp:
        pdf = render_sample_pdf(pdf_path=Path(tmp) / "sample.pdf")
        pages = args.pages
        if not pages:
            doc = pdfium.PdfDocument(str(pdf))
            pages = [
                i + 1 for i in range(2, len(doc))
                if re.search(r"决定任命|决定免去", doc[i].get_textpage().get_text_range())
            ]
            doc.close()
        scan = rasterise_pages(pdf, Path(tmp) / "scan.pdf", set(pages))

        start = time.perf_counter()
        layouts = list(iter_layouts(pdf))
        t_text = (time.perf_counter() - start) / len(layouts)  # per page, whole file read
        reference = {layout.number: layout for layout in layouts if layout.number in pages}

        start = time.perf_counter()
        recognised = ocr_pages_to_layouts(scan, pages, workers=args.workers, scale=args.scale or DEFAULT_OCR_SCALE)
        t_ocr = time.perf_counter() - start

    total_ref = total_err = total_err_nfkc = 0
    print(f"pages {pages}, render scale {args.scale or DEFAULT_OCR_SCALE}")
    for number in pages:
        ref, hyp = layout_text(reference[number]), layout_text(recognised[number].layout)
        err = levenshtein(compact(ref), compact(hyp))
        err_nfkc = levenshtein(compact(ref, True), compact(hyp, True))
        n = len(compact(ref))
        total_ref, total_err, total_err_nfkc = total_ref + n, total_err + err, total_err_nfkc + err_nfkc
        conf = recognised[number].confidence
        print(
            f"  page {number}: {n} chars, CER {err / n:.4f}, CER after NFKC {err_nfkc / n:.4f}, "
            f"confidence {conf:.3f}, {len(recognised[number].lines)} lines"
        )
    print(f"  all: CER {total_err / total_ref:.4f}, CER after NFKC {total_err_nfkc / total_ref:.4f}")
    print(f"  OCR {t_ocr:.1f} s for {len(pages)} pages = {t_ocr / len(pages):.1f} s/page (pool incl. model load)")
    per_page = t_ocr / len(pages)
    print(f"  text layer: {t_text:.3f} s/page; OCR takes {per_page / t_text:,.0f}x as long per page")


if __name__ == "__main__":
    main()
