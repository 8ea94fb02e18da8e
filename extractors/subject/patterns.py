"""spaCy EntityRuler that labels the words framing a subject.

The patterns are data (``extractors/data/subject_patterns.jsonl``, spaCy's
EntityRuler format, one pattern a line); the tokens are jieba's, with the user
dictionaries of ``schemas/data/jieba/`` (see ``extractors.nlp``).  Labels:

FUNC          particles, modal verbs, adverbs: 的, 应当, 须, 不得, 依法 …
COND          prepositions opening a condition or manner: 对, 按, 经, 由 …;
              pattern id ``condition`` marks 如有, 若, 凡 …, whose phrase is a
              condition rather than the subject (如有特殊原因2年内未完成…)
OBJV          verbs whose object follows the number: 具有 5年以上 工作经验,
              处 2万元以上 罚款; pattern id ``grant`` marks 奖励/补贴 …, which
              name the money themselves when nothing else does
ANCHOR_START  在, 自, 从, 于 … opening a time anchor (自受理之日起)
ANCHOR_END    后, 起, 之日起, 前, 时 … closing it
QUAL          time windows and statistics: 近3年, 上年度, 每个采暖季, 平均
CMP           comparison words: 以上, 不少于, 达到 …
CONJ          conjunctions: 和, 及, 或 … (inside a subject they join nouns)

Every other token is content: a candidate word of the subject.  The pipeline
is separate from the shared ``nlp()`` (same jieba segmenter and dictionary) so
that code calling ``nlp()(text)`` elsewhere gets no entities it did not ask for.
"""

from __future__ import annotations

import json
import sys
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import NamedTuple

import regex

from schemas.long_lived import paused_gc

PATTERNS = Path(__file__).resolve().parent.parent / "data" / "subject_patterns.jsonl"
NUMERAL = regex.compile(r"[\d.,%零〇一二两三四五六七八九十百千万亿]+个?")  # 2个 / 三
GRANT_ID = "grant"
CONDITION_ID = "condition"


class Word(NamedTuple):
    """One jieba token with the EntityRuler's label ('' for content words)."""

    text: str
    label: str
    pattern_id: str
    number: bool = False  # 15 / 三 / 1,500: a numeral, so the next word is its unit


def single_words(label: str) -> list[str]:
    """The words of ``label``'s one-token patterns in the patterns file (e.g. CONJ)."""
    found = []
    for line in PATTERNS.read_text(encoding="utf-8").splitlines():
        row = json.loads(line) if line.strip() else None
        if row and row["label"] == label and len(row["pattern"]) == 1:
            found.extend(row["pattern"][0].get("TEXT", {}).get("IN", []))
    return found


def import_spacy() -> ModuleType:
    """``import spacy`` without importing its command line (``spacy.cli``: download, train,
    init config… a third of spaCy's import time, for ``spacy.info`` alone).

    spaCy's ``__init__`` imports ``spacy.cli.info`` only to re-export ``info``; while it
    runs, ``sys.modules`` holds stand-ins for ``spacy.cli`` and ``spacy.cli.info``, removed
    after, so a later ``import spacy.cli`` imports the real package and ``spacy.info`` calls
    the real ``info``.  Nothing else of spaCy's import reads ``spacy.cli``."""
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    with paused_gc():
        return _import_spacy()


def _import_spacy() -> ModuleType:
    cli, info = ModuleType("spacy.cli"), ModuleType("spacy.cli.info")
    info.info = _spacy_info
    cli.info = info
    stand_ins = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(stand_ins)
    try:
        import spacy
    except ImportError:  # a spaCy whose __init__ takes more than info from spacy.cli: the plain import
        _remove(stand_ins)
        import spacy
    finally:
        _remove(stand_ins)
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli  # the attribute too, so ``import spacy.cli`` binds the real package
    return spacy


def _remove(stand_ins: dict[str, ModuleType]) -> None:
    for name, module in stand_ins.items():
        if sys.modules.get(name) is module:
            del sys.modules[name]


def _spacy_info(*args, **kwargs):
    """``spacy.info`` when spaCy was imported by ``import_spacy``: the real one, imported now."""
    from spacy.cli.info import info

    return info(*args, **kwargs)


@lru_cache(maxsize=1)
def subject_pipeline():
    """A blank 'zh' (jieba segmenter, our user dictionary) with the subject EntityRuler."""
    from schemas.tokens import jieba_tokenizer

    spacy = import_spacy()

    jieba_tokenizer()  # user dictionaries first
    with paused_gc():
        pipeline = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "jieba"}}})
        ruler = pipeline.add_pipe("entity_ruler", config={"overwrite_ents": True})
        ruler.from_disk(PATTERNS)
    return pipeline


@lru_cache(maxsize=50_000)
def words_of(span: str) -> tuple[Word, ...]:
    """The tokens of ``span`` with their labels (cached: clauses repeat in legal text)."""
    if not span:
        return ()
    doc = subject_pipeline()(span)
    labels = [("", "")] * len(doc)
    for ent in doc.ents:
        for index in range(ent.start, ent.end):
            labels[index] = (ent.label_, ent.ent_id_)
    return tuple(
        Word(token.text, label, pattern_id, token.like_num or NUMERAL.fullmatch(token.text) is not None)
        for token, (label, pattern_id) in zip(doc, labels, strict=False)
    )
