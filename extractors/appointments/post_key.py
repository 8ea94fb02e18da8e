"""The canonical post (``appointments.post_key``): one post under one name.

A 任免 document names posts the way its issuer speaks: 忻州市人民政府's notices
write 市应急管理局副局长 as often as 忻州市应急管理局副局长, 市科技局 as often as
市科学技术局, 市政府 for 市人民政府.  The key makes those one post:

* the issuer's place expands a leading 市/县/区/省 (the organ's own level, as
  documents abbreviate it: 市看守所 in a 忻州市人民政府 notice is 忻州市看守所; 县审计局
  in a 繁峙县人民政府 notice is 繁峙县审计局), except where the character begins a
  word (市场监督管理局: data/place_words.txt);
* short organ names become full ones (data/organ_short_names.tsv: 科技局 →
  科学技术局, 管委会 → 管理委员会, 政府 → 人民政府);
* a leading 中共 before a party committee goes (中共忻州市委组织部 = 忻州市委组织部);
* rank notes （正处级）, （兼） and a leading 兼 stay out, brackets are full-width,
  spaces are dropped.

The issuer's place is read from the issuing organ (``Document.issuer``, from the
title, else the organ the 机关代字 of the document number stands for: see
extractors/doc_numbers.code_to_organ): 忻州市人民政府 → 忻州市.  When a post starts
with an abbreviation the issuer's place cannot expand (no issuer, or a 县 post
in a 市 document), the key keeps it as written and ``unresolved`` says so; the
extractor turns that into a document warning.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import regex

from extractors.common import read_list, read_tsv

# One administrative level at the start of an organ's name (《行政区划管理条例》:
# 省/自治区/直辖市, 自治州/地区/盟/市, 县/自治县/旗/市辖区).  Bare 州 is left out:
# 忻州 is a city written 忻州市, and 忻州市 must not read as 忻州 + 市….
PLACE_LEVEL = regex.compile(
    r"""(?P<name>\p{Han}{1,10}?
        (?:特别行政区|自治区|自治州|自治县|地区|省|市|盟|县|旗|区))   # the level's own word
    """,
    regex.VERBOSE,
)
# A leading 中共 before a party committee: 中共忻州市委组织部, 中共繁峙县委.
PARTY = regex.compile(r"^中共(?=\p{Han}{0,12}?[省市县区旗]委)")
# Notes that are not part of the post (GB/T 15834 括号 for 注释): rank and 兼.
NOTE = regex.compile(
    r"""[（(]
        (?:兼(?:任|职)?                                    # （兼）
          |(?:正|副)?\p{Han}{0,3}级(?:领导职务|干部|待遇)?   # （正处级） （副县级领导职务）
        )[）)]""",
    regex.VERBOSE,
)
ABBREVIATIONS = "省市县区"
SPACES = regex.compile(r"\s+")
LEADING_CONCURRENT = regex.compile(r"^兼任?")  # 兼任市…: the post without its 兼
ORGAN_SEPARATOR = regex.compile(r"[、\s]+")  # 忻州市人民政府、忻州军分区: joint issuers


@dataclass(frozen=True)
class PostKey:
    key: str
    unresolved: str | None = None  # the abbreviation left as written, when the issuer's place could not expand it


@lru_cache(maxsize=1)
def short_names() -> tuple[tuple[str, str], ...]:
    """(short, full) organ names, longest short name first."""
    pairs = [(row[0], row[1]) for row in read_tsv("organ_short_names.tsv") if len(row) == 2]
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


@lru_cache(maxsize=1)
def place_words() -> tuple[str, ...]:
    return read_list("place_words.txt")


def issuer_places(issuer: str | None) -> tuple[str, ...]:
    """The places at the start of the issuing organ's name, outermost first:
    忻州市人民政府 → (忻州市,); 山西省忻州市忻府区人民政府 → (山西省, 忻州市, 忻府区);
    中共繁峙县委 → (繁峙县,); 国务院 → ().  A joint document's first organ counts."""
    if not issuer:
        return ()
    organ = PARTY.sub("", ORGAN_SEPARATOR.split(issuer.strip())[0])
    places, pos = [], 0
    while (match := PLACE_LEVEL.match(organ, pos)) and match.end() < len(organ):
        places.append(match["name"])
        pos = match.end()
    return tuple(places)


def expand_short_names(text: str) -> str:
    """科技局 → 科学技术局, 市政府 → 市人民政府; a short name that stands inside its
    own full name (政府 in 人民政府, 政府办 in 政府办公室) is left alone."""
    out, pos, last = [], 0, 0
    while pos < len(text):
        full = _short_at(text, pos)
        if full is None:
            pos += 1
            continue
        short, whole = full
        out += [text[last:pos], whole]
        pos = last = pos + len(short)
    return "".join(out) + text[last:]


def _short_at(text: str, pos: int) -> tuple[str, str] | None:
    """The longest short name at ``pos`` that is not part of its full name there."""
    for short, full in short_names():
        if not text.startswith(short, pos):
            continue
        offset = full.find(short)
        tail = full[offset + len(short) :] if offset >= 0 else ""
        inside = offset >= 0 and pos - offset >= 0 and text[pos - offset : pos - offset + len(full)] == full
        if inside or (tail and text.startswith(tail, pos + len(short))):
            continue
        return short, full
    return None


def _expand_place(text: str, places: tuple[str, ...]) -> PostKey:
    """A leading 市/县/区/省 → the issuer's place of that level, with its parents as the issuer writes them."""
    if not text or text[0] not in ABBREVIATIONS or text.startswith(place_words()):
        return PostKey(text)
    level = text[0]
    for index in range(len(places) - 1, -1, -1):
        place = places[index]
        if place.endswith(level) and not place.endswith("自治区" if level == "区" else "\0"):
            return PostKey("".join(places[: index + 1]) + text[1:])
    return PostKey(text, unresolved=level)


@lru_cache(maxsize=4096)
def post_to_key(post: str, places: tuple[str, ...]) -> PostKey:
    """The canonical post of ``post`` written in a document of an issuer at ``places``
    (cached: a notice names the same posts again, and ``enrich`` asks once more)."""
    text = SPACES.sub("", post).replace("(", "（").replace(")", "）")
    text = LEADING_CONCURRENT.sub("", NOTE.sub("", text))
    text = PARTY.sub("", expand_short_names(text))
    return _expand_place(text, places)
