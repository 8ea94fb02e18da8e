"""The subject of a number: what a threshold or an amount constrains.

Chinese rules put the subject before the comparison (``固定科研人员不少于15人``,
``仪器设备原值在500万元以上``) or, after a verb of having/granting, after the number
(``应当有三分之二以上班子成员到会``, ``给予10万元建设经费支持``).

* Before: the clause up to the number, less the words that frame rather than name
  the subject — modal verbs and prepositions (应当, 须, 在, 经), time windows
  (近3年, 上年度, 每年) and the linking words in front of the number (达到, 为, 的).
* After: when the clause before ends with a verb that introduces its object
  (有, 给予, 提出 …) or holds no noun, the nouns after the number, read as spaCy
  tokens (jieba segmenter with our user dictionary) up to the first verb.
"""

from __future__ import annotations

from functools import lru_cache

import regex

from extractors._common import clause_start

SUBJECT_BREAKS = "，,。；;：:\n、“”\""
PARENTHETICAL = regex.compile(r"[（(][^（）()]*[）)]")  # （不含忻州本地财政扶持资金）, （一）
# Words framing a subject at its start (modal verbs, prepositions, connectives).
LEADING = regex.compile(r"^(?:第[零〇一二三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?\s*|如有特殊原因|分别|其中|并且|以及|必须|须|应当|应|要|并|且|另|均|都|经|由|对于|对|按照|按|在|于|凡|其|或者|或|和|及|达到|达|占)+")
# Words between a subject and its number (在…以上, 达到, 为, 的 …).
TRAILING = regex.compile(r"(?:不得超过|不超过|不低于|不少于|不高于|不多于|不足|不满|低于|高于|超过|少于|多于|未达到|至少|最多|最少|在|应当|应|须|必须|要|达到|达|为|是|有|的|均|合计|累计|总计|共计|共|约|计|按|不|可|得|给予|另行|另)+$")
# Time windows and frames that qualify rather than name the subject.
QUALIFIERS = regex.compile(
    r"""(?:近|最近|连续|前|后)\s*(?:\d+|[一二三四五六七八九十两]+)\s*(?:个)?(?:年度|年|月)(?:内)?  # 近3年, 连续两年
        |每(?:个)?[\p{Han}]{0,3}?(?:季度|季|年度|年|月|周)         # 每个采暖季: a period, not a subject
        |上一?年度|当年度?|年度|平均|或者|以后|以前|一次性|另行|另
    """,
    regex.VERBOSE,
)
# A clause ending with one of these introduces its object after the number.
OBJECT_VERBS = regex.compile(r"(?:有|给予|提供|提出|安排|配备|设立|设置|拥有|具有|奖励|补助|资助|选派|推荐|组织)$")
NAMING_VERBS = regex.compile(r"(?:奖励|补助|资助|补贴|奖补)$")
# Tokens that end a subject read after the number.
AFTER_STOP = {"支持", "到", "会", "到会", "同意", "参加", "出席", "以上", "以下", "的", "给予", "用于", "作为", "进行", "标准"}


@lru_cache(maxsize=1)
def _nlp():
    from extractors._nlp import nlp

    return nlp()


def subject_before(text: str, start: int) -> str | None:
    """The subject written in the clause before ``start``, or None."""
    clause = text[clause_start(text, start, breaks=SUBJECT_BREAKS, limit=60):start]
    clause = QUALIFIERS.sub("", PARENTHETICAL.sub("", clause)).strip()
    if OBJECT_VERBS.search(clause):
        return None
    subject = clause
    for _ in range(3):
        subject = LEADING.sub("", TRAILING.sub("", subject)).strip()
    return subject if len(subject) >= 2 and regex.search(r"\p{Han}", subject) else None


def subject_after(text: str, end: int, limit: int = 20) -> str | None:
    """The nouns right after ``end`` (``…以上班子成员到会`` → 班子成员), or None."""
    stop = end
    while stop < min(len(text), end + limit) and text[stop] not in SUBJECT_BREAKS:
        stop += 1
    span = text[end:stop]
    if not span:
        return None
    words = []
    for token in _nlp().make_doc(span):
        word = token.text
        if not words and word == "的":
            continue
        if word in AFTER_STOP or not regex.fullmatch(r"\p{Han}+", word):
            break
        words.append(word)
        if len(words) == 3:
            break
    subject = "".join(words)
    return subject if len(subject) >= 2 else None


def subject_of(text: str, start: int, end: int) -> str | None:
    """Subject before the number if there is one, else after it, else the granting
    verb that names the money (另奖励5万元 → 奖励)."""
    subject = subject_before(text, start) or subject_after(text, end)
    if subject is None:
        clause = text[clause_start(text, start, breaks=SUBJECT_BREAKS, limit=20):start]
        grant = NAMING_VERBS.search(QUALIFIERS.sub("", clause).strip())
        subject = grant.group() if grant else None
    return subject
