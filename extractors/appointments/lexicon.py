"""Reference lists for the appointments extractor, and the tests built on them.

* post titles (``data/post_titles.txt``): split a post into organisation and
  title, and tell single-holder posts (正职) from posts held by several;
* organisation suffixes (``data/jieba/posts.txt``, tag ``nis``): tell where a
  displaced organ name (a signature) ends and a person's name begins;
* surnames (``data/surnames.txt``): a person's name starts with one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.common import DATA
from schemas.datafiles import SCHEMA_DATA, data_rows

# Brackets that may nest inside a post: 中心（国家…检验中心〈山西〉、…）.
OPEN = "（(〈<［[【"
CLOSE = "）)〉>］]】"


def bracket_depths(text: str, *, from_end: bool = False) -> Iterator[tuple[int, int]]:
    """(index, depth) for each character of ``text``: how many brackets are open
    once it is read.  A stray closing bracket leaves the depth at 0.  Read
    ``from_end``, closing brackets open and opening ones close."""
    opening, closing = (CLOSE, OPEN) if from_end else (OPEN, CLOSE)
    indices = range(len(text) - 1, -1, -1) if from_end else range(len(text))
    depth = 0
    for index in indices:
        if text[index] in opening:
            depth += 1
        elif text[index] in closing:
            depth = max(0, depth - 1)
        yield index, depth


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Post title → 'single' or 'several' (see data/post_titles.txt)."""
    return {row[0]: row[1] for row in data_rows(SCHEMA_DATA / "post_titles.txt")}


@lru_cache(maxsize=1)
def org_suffixes() -> tuple[str, ...]:
    """Organisation suffixes (局, 中心, 人民政府 …), longest first."""
    words = [row[0] for row in data_rows(SCHEMA_DATA / "jieba" / "posts.txt") if row[-1] == "nis"]
    return tuple(sorted(set(words), key=len, reverse=True))


@lru_cache(maxsize=1)
def surnames() -> frozenset[str]:
    return frozenset(row[0] for row in data_rows(DATA / "surnames.txt"))


# A person's name: Han characters only (spaces that pad two-character names
# in printed lists are removed before), or a minority name whose parts are
# joined by a middle dot (买买提·艾力, 《少数民族人名汉字译写规范》).
HAN_NAME = regex.compile(r"^\p{Han}{2,4}$")
DOTTED_NAME = regex.compile(r"^\p{Han}{1,8}(?:[·•・．.]\p{Han}{1,8}){1,3}$")


def is_person_name(text: str) -> bool:
    """True when ``text`` reads as one person's name: a surname and a given name
    of one or two characters (three with a compound surname), or a dotted name."""
    if DOTTED_NAME.match(text):
        return True
    if not HAN_NAME.match(text):
        return False
    names = surnames()
    if len(text) >= 3 and text[:2] in names:
        return True
    return text[0] in names and len(text) <= 4


def ends_with_org_suffix(text: str) -> bool:
    return longest_suffix_in(text, _org_suffix_set()) is not None


@lru_cache(maxsize=1)
def _org_suffix_set() -> frozenset[str]:
    return frozenset(org_suffixes())


@lru_cache(maxsize=1)
def _title_set() -> frozenset[str]:
    return frozenset(titles())


def longest_suffix_in(text: str, words: frozenset[str]) -> str | None:
    """The longest of ``words`` that ends ``text``: one set look-up per suffix length
    (every suffix of ``text`` from the longest word's length down), not one
    ``endswith`` per word."""
    longest = max(map(len, words), default=0)
    for size in range(min(longest, len(text)), 0, -1):
        if text[-size:] in words:
            return text[-size:]
    return None


@dataclass(frozen=True)
class PostSplit:
    organization: str | None
    title: str | None
    single_holder: bool


def strip_trailing_brackets(text: str) -> tuple[str, str]:
    """'副主任（副院长）' → ('副主任', '（副院长）'): the bracketed groups that end ``text``."""
    tail = ""
    while text and text[-1] in CLOSE:
        opener = matching_open(text)
        if opener is None:  # unbalanced: leave it
            break
        tail, text = text[opener:] + tail, text[:opener]
    return text, tail


def matching_open(text: str) -> int | None:
    """The index of the bracket that opens the group ending ``text`` (which ends
    with a closing bracket), or None when the brackets do not balance."""
    return next((index for index, depth in bracket_depths(text, from_end=True) if depth == 0), None)


def title_suffix(text: str) -> str | None:
    """The longest known title that ends ``text`` (brackets after it ignored)."""
    base, _ = strip_trailing_brackets(text)
    return longest_suffix_in(base, _title_set())


def split_post(post: str) -> PostSplit:
    """忻州市应急管理局副局长 → (忻州市应急管理局, 副局长); an alternative title in
    brackets stays with the title: …支队（…检查组）支队长（组长） → title 支队长（组长）."""
    base, tail = strip_trailing_brackets(post)
    title = title_suffix(base)
    if title is None:
        return PostSplit(None, None, False)
    organization = base[: len(base) - len(title)] or None
    return PostSplit(organization, title + tail, titles()[title] == "single")


def split_top_level(text: str, separators: str) -> list[tuple[int, int]]:
    """Spans of ``text`` between ``separators`` that stand outside any bracket.

    The depth walk of ``bracket_depths``, visiting only the brackets and separators
    (found by one regex scan) instead of every character."""
    spans, begin, depth = [], 0, 0
    for match in _marks(separators).finditer(text):
        char, index = match.group(), match.start()
        if char in OPEN:
            depth += 1
        elif char in CLOSE:
            depth = max(0, depth - 1)
        if depth == 0 and char in separators:
            spans.append((begin, index))
            begin = index + 1
    spans.append((begin, len(text)))
    return spans


@lru_cache(maxsize=None)
def _marks(separators: str) -> regex.Pattern:
    """One character class of the brackets and ``separators``."""
    return regex.compile("[" + regex.escape(OPEN + CLOSE + separators) + "]")


def bracket_groups(text: str) -> list[str]:
    """'（兼）（副处级）' → ['（兼）', '（副处级）']: the bracketed groups at top level."""
    groups, begin, previous = [], 0, 0
    for index, depth in bracket_depths(text):
        if depth > previous == 0:
            begin = index
        elif depth < previous and depth == 0:
            groups.append(text[begin : index + 1])
        previous = depth
    return groups
