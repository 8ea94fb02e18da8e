"""The one reader of the project's reference lists (``schemas/data/``, ``extractors/data/``).

Every list is UTF-8 text, one entry per line; blank lines and lines starting
with ``#`` are comments.  Fields are separated by tabs (``.tsv``) or by white
space (jieba's ``word freq tag`` files, post_titles.txt).
"""

from __future__ import annotations

from pathlib import Path

SCHEMA_DATA = Path(__file__).parent / "data"


def data_lines(path: Path) -> list[str]:
    """The entries of a list file, comments and blank lines dropped, line ends stripped."""
    return [
        line.rstrip("\r\n")
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def data_rows(path: Path, sep: str | None = None) -> list[tuple[str, ...]]:
    """The entries of a list file split into stripped fields (``sep`` None: any white space)."""
    return [tuple(field.strip() for field in line.split(sep)) for line in data_lines(path)]
