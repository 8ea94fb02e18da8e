"""schemas.tokens loads jieba's dictionary from its own cache: the tables must be jieba's own.

Each case runs in a fresh interpreter (jieba's tables are process-wide) with its
own cache folder, and compares fingerprints of the tables jieba ends up with:
word/prefix frequencies, their total, jieba.posseg's word → tag table, and the
tokens and tags of the bundled sample.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, SAMPLE_TXT

FINGERPRINT = f"""
import hashlib, json, sys
import jieba, jieba.posseg
text = open({str(SAMPLE_TXT)!r}, encoding="utf-8").read()
def digest(value):
    return hashlib.sha256(repr(value).encode()).hexdigest()
print(json.dumps({{
    "freq": digest(sorted(jieba.dt.FREQ.items())),
    "total": jieba.dt.total,
    "tags": digest(sorted(jieba.posseg.dt.word_tag_tab.items())),
    "tokens": digest(jieba.lcut_for_search(text)),
    "pos": digest([(pair.word, pair.flag) for pair in jieba.posseg.cut(text)]),
    "pkg_resources": "pkg_resources" in sys.modules,
}}))
"""
# What the project loaded before the cache: jieba's own initialize and posseg import.
PLAIN = """
import logging, jieba
jieba.setLogLevel(logging.WARNING)
jieba.initialize()
import jieba.posseg
from schemas.tokens import USER_DICT_DIR
for path in sorted(USER_DICT_DIR.glob("*.txt")):
    jieba.load_userdict(str(path))
"""
CACHED = "from schemas.tokens import jieba_tokenizer\njieba_tokenizer()\n"


def _fingerprint(setup: str, cache: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO), "GAZETTE_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", setup + FINGERPRINT], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_cached_dictionary_is_jiebas_own_and_is_reused(tmp_path) -> None:
    cache = tmp_path / "cache"
    plain = _fingerprint(PLAIN, tmp_path / "unused")
    built = _fingerprint(CACHED, cache)  # no cache yet: built by jieba's readers, then written
    files = list(cache.glob("jieba-*.marshal"))
    assert len(files) == 1
    written = files[0].stat().st_mtime_ns
    loaded = _fingerprint(CACHED, cache)  # read back from the file
    assert files[0].stat().st_mtime_ns == written, "the cache was rebuilt instead of read"
    for key in ("freq", "total", "tags", "tokens", "pos"):
        assert built[key] == plain[key], key
        assert loaded[key] == plain[key], key
    assert not loaded["pkg_resources"]  # jieba imported without it


def test_a_damaged_cache_file_is_rebuilt(tmp_path) -> None:
    cache = tmp_path / "cache"
    first = _fingerprint(CACHED, cache)
    [path] = cache.glob("jieba-*.marshal")
    path.write_bytes(path.read_bytes()[: 1000])  # cut short, as by a full disk
    again = _fingerprint(CACHED, cache)
    assert again == first
    assert path.stat().st_size > 1_000_000


# True when jieba.posseg's tags are the cached table (its words are the very objects of the
# frequency table's keys, as build_dictionary_tables shares them), False when jieba parsed
# its dictionary text for them again.
TAGS_FROM_CACHE = """
import jieba, jieba.posseg
keys = {word: word for word in jieba.dt.FREQ}
tagged = {word: word for word in jieba.posseg.dt.word_tag_tab}
print(keys["中国"] is tagged["中国"])
"""


def test_the_extractors_taggers_use_the_cached_tags(tmp_path) -> None:
    """An extractor asking for tags first (money's measure-word noun, the preload while a
    PDF is read) once imported jieba.posseg before the cache was read: 0.3 s parsed again."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "GAZETTE_CACHE_DIR": str(tmp_path / "cache")}

    def tags_from_cache(first_call: str) -> bool:
        out = subprocess.run([sys.executable, "-c", first_call + TAGS_FROM_CACHE], env=env, cwd=REPO,
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1] == "True"

    tags_from_cache(CACHED)  # builds the cache file
    assert tags_from_cache(CACHED)  # the check tells the two ways apart:
    assert not tags_from_cache("import jieba.posseg\n" + CACHED)
    assert tags_from_cache("from extractors.money import noun_after\nnoun_after('个墓穴')\n")
    assert tags_from_cache("import extractors\nextractors.preload()\n")
