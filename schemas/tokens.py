"""Chinese word segmentation shared by every layer: jieba with our user dictionary.

jieba's user dictionary is every file in ``schemas/data/jieba/`` (one
``word [freq [tag]]`` per line: organ names, post titles, terms), so that a
name such as 忻州市应急管理局 stays one token.  It tells where a person's name
ends and a post begins (extractors/appointments), it is spaCy's segmenter
(extractors/nlp.py), and it feeds full-text search (schemas/tables_search.py).
Loaded once per process, only by the paths that segment text.

Loading is the start-up cost of every command that segments (issue 12), so
``jieba_tokenizer`` does what ``jieba.initialize`` and ``import jieba.posseg``
do, faster, with the same tables:

* jieba's main dictionary (word → frequency, 500k entries, and the
  part-of-speech tag of each of its 350k words) is read from one marshal file
  in ``cache_dir()``, built on first use by jieba's own code
  (``Tokenizer.gen_pfdict``, ``POSTokenizer.load_word_tag``) and named after
  jieba's version and the dictionary file's size and time, so a new jieba or
  dictionary builds a new one.  ``marshal.loads`` of the file's bytes takes a
  third of the time jieba's ``marshal.load`` of its file object takes (which
  reads it piece by piece), and jieba.posseg would otherwise parse the 5 MB
  dictionary text for the tags at every import.
* ``jieba.posseg`` is imported with the tags from that file, so the
  extractors' own ``import jieba.posseg`` finds it ready.
* jieba is imported without ``pkg_resources`` (a slow import that jieba only
  uses to open its own files; without it jieba opens them by path).
"""

from __future__ import annotations

import io
import logging
import marshal
import os
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import regex

USER_DICT_DIR = Path(__file__).parent / "data" / "jieba"
# A token worth indexing has at least one letter or digit (Han included);
# jieba also returns punctuation and whitespace as tokens.
WORDLIKE = regex.compile(r"[\p{L}\p{N}]")
CACHE_FORMAT = 1  # bump when what the cache file holds changes


def cache_dir() -> Path:
    """Where the dictionary cache lives: $GAZETTE_CACHE_DIR, else $XDG_CACHE_HOME/gazette,
    else ~/.cache/gazette (per user, unlike jieba's own cache in the shared temp folder)."""
    if os.environ.get("GAZETTE_CACHE_DIR"):
        return Path(os.environ["GAZETTE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "gazette"


def _import_jieba() -> ModuleType:
    """``import jieba`` without pkg_resources: jieba._compat falls back to opening its
    dictionary by path when ``import pkg_resources`` fails (None in sys.modules makes it fail)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    return jieba


def dictionary_cache_path(jieba: ModuleType) -> Path:
    """The cache file for jieba's main dictionary as installed (version, size, mtime in its name)."""
    dictionary = Path(jieba.__file__).with_name(jieba.DEFAULT_DICT_NAME)
    stat = dictionary.stat()
    return cache_dir() / f"jieba-{jieba.__version__}-{stat.st_size}-{stat.st_mtime_ns}-v{CACHE_FORMAT}.marshal"


def build_dictionary_tables(jieba: ModuleType) -> tuple[dict, int, dict]:
    """(word/prefix → frequency, total frequency, word → tag) from jieba's main dictionary,
    by jieba's own readers (what ``jieba.initialize`` and ``jieba.posseg`` compute)."""
    import jieba.posseg

    tokenizer = jieba.Tokenizer()  # a fresh one: the tables of the dictionary alone, no user words
    freq, total = tokenizer.gen_pfdict(tokenizer.get_dict_file())
    tags = jieba.posseg.POSTokenizer(tokenizer).word_tag_tab
    # The same string objects for a word in both tables, and one object per tag, so marshal
    # writes each once (references after) and loading builds fewer strings (0.44 → 0.35 s).
    words = {word: word for word in freq}
    return freq, total, {words.get(word, word): sys.intern(tag) for word, tag in tags.items()}


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)  # another process building the same file meanwhile is harmless
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def dictionary_tables(jieba: ModuleType) -> tuple[dict, int, dict]:
    """The tables of ``build_dictionary_tables``, from the cache file (built when missing or unreadable)."""
    path = dictionary_cache_path(jieba)
    try:
        freq, total, tags = marshal.loads(path.read_bytes())
        return freq, total, tags
    except (OSError, EOFError, ValueError, TypeError):
        pass
    tables = build_dictionary_tables(jieba)
    try:
        _write_atomically(path, marshal.dumps(tables))
    except OSError as error:  # a read-only home: slower next time, same tables
        logging.getLogger(__name__).warning("jieba dictionary cache not written to %s: %s", path, error)
    return tables


def _ready_posseg(jieba: ModuleType, tags: dict) -> None:
    """Import jieba.posseg with ``tags`` as its word → tag table instead of letting its
    module-level POSTokenizer parse the dictionary text again."""
    if "jieba.posseg" in sys.modules:
        return  # imported already (and its table read by jieba): nothing to save
    jieba.dt.get_dict_file = lambda: io.BytesIO()  # only while posseg's import builds its tokenizer
    try:
        import jieba.posseg
    finally:
        del jieba.dt.get_dict_file
    jieba.posseg.dt.word_tag_tab = tags


@lru_cache(maxsize=1)
def jieba_tokenizer():
    """The jieba module with its dictionary (and jieba.posseg's tags) and every user dictionary loaded."""
    jieba = _import_jieba()
    jieba.setLogLevel(logging.WARNING)
    if jieba.dt.dictionary is jieba.DEFAULT_DICT and not jieba.dt.initialized:
        freq, total, tags = dictionary_tables(jieba)
        jieba.dt.FREQ, jieba.dt.total = freq, total
        jieba.dt.initialized = True  # what jieba.initialize() ends with after reading its own cache
        _ready_posseg(jieba, tags)
    else:  # another dictionary set, or loaded already: jieba's own way
        jieba.initialize()
    for path in sorted(USER_DICT_DIR.glob("*.txt")):
        jieba.load_userdict(str(path))
    return jieba


def jieba_tagger() -> ModuleType:
    """``jieba.posseg`` (words with their part-of-speech tags) over ``jieba_tokenizer``'s
    dictionaries. Ask here, not by ``import jieba.posseg``: an import before
    ``jieba_tokenizer()`` makes jieba parse its dictionary text for the tags again (0.3 s)."""
    jieba_tokenizer()
    import jieba.posseg

    return jieba.posseg


def text_to_tokens(text: str) -> list[str]:
    """jieba search-mode tokens of ``text``, lower-cased, punctuation and spaces dropped."""
    jieba = jieba_tokenizer()
    return [token.lower() for token in jieba.cut_for_search(text) if WORDLIKE.search(token)]


def text_to_field(text: str | None) -> str:
    """The space-joined tokens stored in search_texts."""
    return " ".join(text_to_tokens(text or ""))
