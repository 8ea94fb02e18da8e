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
