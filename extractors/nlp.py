"""The shared Chinese NLP pipeline: a blank spaCy 'zh' with the jieba segmenter.

There is no trained Chinese spaCy pipeline installable here, so entity rules
are Matcher/EntityRuler patterns over jieba tokens (schemas.tokens, with the
project's user dictionary).  Loaded once per process, only when used.
"""

from __future__ import annotations

from functools import lru_cache

from schemas.tokens import jieba_tokenizer


@lru_cache(maxsize=1)
def nlp():
    """A blank spaCy 'zh' pipeline whose tokenizer is jieba with our user dictionary."""
    import spacy

    jieba_tokenizer()  # user words first, so spaCy's jieba segmenter sees them
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
