"""Chinese word segmentation shared by every layer: jieba with our user dictionary.

jieba's user dictionary is every file in ``schemas/data/jieba/`` (one
``word [freq [tag]]`` per line: organ names, post titles, terms), so that a
name such as 忻州市应急管理局 stays one token.  It tells where a person's name
ends and a post begins (extractors/appointments), it is spaCy's segmenter
(extractors/nlp.py), and it feeds full-text search (schemas/tables_search.py).
Loaded once per process (~0.7 s), only by the paths that segment text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex

USER_DICT_DIR = Path(__file__).parent / "data" / "jieba"
# A token worth indexing has at least one letter or digit (Han included);
# jieba also returns punctuation and whitespace as tokens.
WORDLIKE = regex.compile(r"[\p{L}\p{N}]")


@lru_cache(maxsize=1)
def jieba_tokenizer():
    """The jieba module with every user dictionary loaded."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    for path in sorted(USER_DICT_DIR.glob("*.txt")):
        jieba.load_userdict(str(path))
    return jieba


def text_to_tokens(text: str) -> list[str]:
    """jieba search-mode tokens of ``text``, lower-cased, punctuation and spaces dropped."""
    jieba = jieba_tokenizer()
    return [token.lower() for token in jieba.cut_for_search(text) if WORDLIKE.search(token)]


def text_to_field(text: str | None) -> str:
    """The space-joined tokens stored in search_texts."""
    return " ".join(text_to_tokens(text or ""))
