"""The shared Chinese NLP pipeline: a blank spaCy 'zh' with the jieba segmenter.

There is no trained Chinese spaCy pipeline installable here, so entity rules
are Matcher/EntityRuler patterns over jieba tokens.  jieba's user dictionary
is every file in ``extractors/data/jieba/`` (one ``word [freq [tag]]`` per
line: organ names, post titles, terms), so that a name such as
忻州市应急管理局 stays one token.  Both load once per process (~0.7 s).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
USER_DICT_DIR = DATA / "jieba"


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


@lru_cache(maxsize=1)
def nlp():
    """A blank spaCy 'zh' pipeline whose tokenizer is jieba with our user dictionary."""
    import spacy

    jieba_tokenizer()  # user words first, so spaCy's jieba segmenter sees them
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
