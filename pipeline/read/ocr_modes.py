"""Which PDF pages are recognised from their image (``--ocr``), apart from the OCR stack so that
the driver validates the option without importing it (``pipeline.read.ocr`` pulls in the layout
analysis, 40 ms of a text file's ingest that never uses it).

auto = pages without a usable text layer (``pipeline.read.layout.text_layer_is_usable``);
always = every page; never = none."""

from __future__ import annotations

from typing import Literal, get_args

OcrMode = Literal["auto", "always", "never"]
OCR_MODES: tuple[str, ...] = get_args(OcrMode)
