"""Heads of noun phrases around a number, read with jieba's part-of-speech tags.

* ``head_after``: the noun the number modifies through 的 (with at most a short
  noun phrase of measure between: 一年[土地租金]的) when the words before
  the number end in a verb: ``顶层预留不少于十平方米的防空警报设施专用房`` →
  防空警报设施专用房; ``征收不超过一年土地租金的土地闲置费`` → 土地闲置费.  When a
  noun stands before the comparison it is the attribute compared and stays the
  subject (``出具有效期不超过7日的受理回执`` → 有效期).
* ``sentence_topic``: the noun phrase a sentence opens with, the actor of a
  deadline whose own clause names only the anchor (``当事人对行政处罚不服的，
  可以在接到处罚通知之日起十五日内`` → 当事人).
* ``tidy``: an article number read into a subject (第十条财政部门 → 财政部门), a
  frequency (每次授予人数, 皆伐面积一次) and a
  repeated alternative (违法所得或者违法所得, from 没有违法所得或者违法所得不足… →
  违法所得) are taken out.
"""

from __future__ import annotations

from functools import lru_cache

import regex

# Tags of jieba.posseg that can be part of a noun phrase: nouns, verbal nouns,
# abbreviations, names of organisations and places.
NOUN_FLAGS = ("n", "vn", "j", "nz", "nt", "ns", "nr", "an")
CLAUSE_BREAKS = "，,。；;：:\n"
# 第十条 / 第二十一条 / (一) / （三） / 1. at the start of a clause
LEADING_NUMBER = regex.compile(r"^\s*(?:第[零〇一二两三四五六七八九十百千\d]+条\s*|[（(][一二三四五六七八九十\d]+[）)]\s*|\d+[.．、]\s*)")
# How often, not what: 每次授予人数 → 授予人数, 皆伐面积一次 → 皆伐面积
FREQUENCY = regex.compile(r"^每(?:次|年|月|一)|(?:一次|每次)$")
REPEATED = regex.compile(r"^(?P<a>\p{Han}{2,})(?:或者|或|和|及)(?P=a)$")


@lru_cache(maxsize=20_000)
def tagged(span: str) -> tuple[tuple[str, str], ...]:
    """jieba (word, flag) pairs of ``span``, with the project's user dictionary."""
    from schemas.tokens import jieba_tagger

    return tuple((pair.word, pair.flag) for pair in jieba_tagger().cut(span))


def is_noun(flag: str) -> bool:
    return flag in NOUN_FLAGS or (flag.startswith("n") and flag != "nx")


def ends_in_verb(left: str) -> bool:
    """True when the last word before the number is a verb (预留, 征收, 选择)."""
    pairs = [p for p in tagged(left[-8:]) if p[0].strip()]
    return bool(pairs) and pairs[-1][1] == "v"


def head_after(text: str, end: int, limit: int = 16) -> str | None:
    """The noun phrase after ``的`` right after the number (…的 N), or None."""
    link = text.find("的", end, end + 8)
    if link < 0 or any(c in CLAUSE_BREAKS for c in text[end:link]):
        return None  # 不超过一年土地租金的[土地闲置费]: a short measure phrase may sit before 的
    if link > end and not all(is_noun(flag) for _, flag in tagged(text[end:link])):
        return None
    end = link
    stop = end + 1
    while stop < min(len(text), end + 1 + limit) and text[stop] not in CLAUSE_BREAKS and text[stop] != "的":
        stop += 1
    nouns = []
    for word, flag in tagged(text[end + 1:stop]):
        if not is_noun(flag):
            break
        nouns.append(word)
    head = "".join(nouns)
    return head if len(head) >= 2 else None


def counted_noun(text: str, end: int, limit: int = 12, verb_first: bool = True) -> str | None:
    """The noun right after a count (两架以上[航空器], 二层以上[住宅], 百年以上[树龄]):
    a number with a measure word modifies the noun that follows it directly, without
    的; None when a verb, 的 or a break comes first.  ``verb_first``: a verb may open
    the phrase as a modifier (认证机构); not after a duration, where a verb is the next
    predicate (退役2年以上[参加]培训)."""
    stop = end
    while stop < min(len(text), end + limit) and text[stop] not in CLAUSE_BREAKS:
        stop += 1
    nouns: list[str] = []
    for word, flag in tagged(text[end:stop]):
        modifier = verb_first and not nouns and flag in ("v", "vn")  # 两个以上[认证]机构: a verb as modifier
        if not (is_noun(flag) or modifier):
            break
        nouns.append(word)
        if AGENT.search(word) and not modifier:
            break  # the phrase ends at its head: 认证机构|执业, 专业评估人员
    if len(nouns) >= 3 and not AGENT.search(nouns[-1]):
        nouns = nouns[:1]  # 船舶|编队航行: jieba tags the predicate as nouns; a count modifies one noun
    if nouns and not is_noun(tagged(nouns[-1])[-1][1]):
        return None
    head = "".join(nouns)
    return head if len(head) >= 2 else None


def opening_head(text: str, start: int) -> str | None:
    """The head of the noun phrase a sentence opens with as a clause of its own (its
    topic: 普通高等学校的筹建期限，从批准之日起，…不得超过五年 → 筹建期限), when that
    clause is X的Y ending in a noun; None otherwise."""
    opening = start
    while opening > 0 and text[opening - 1] not in "。；;\n":
        opening -= 1
    first = LEADING_NUMBER.sub("", text[opening:start]).split("，")[0].split(",")[0]
    if first == text[opening:start] or "的" not in first or len(first) > 20:
        return None
    pairs = tagged(first)
    head = first[first.rfind("的") + 1:]
    return head if 2 <= len(head) <= 8 and pairs and is_noun(pairs[-1][1]) else None


def action_of(subject: str) -> str:
    """The action a duration measures when the subject is its actor and the action
    (退役士兵退役[1年以上] → 退役; 服现役 stays): the verb after the last noun."""
    pairs = tagged(subject)
    if len(pairs) >= 2 and pairs[-1][1] == "v" and is_noun(pairs[-2][1]) and len(pairs[-1][0]) >= 2:
        return pairs[-1][0]
    return subject


# Heads of the noun phrases that act in legal text (《立法法》-style rules name an
# organ, a unit or a person as the one who must act): 机关, 部门, 当事人 …
AGENT = regex.compile(r"(?:机关|机构|部门|单位|人|者|企业|公司|组织|委员会|政府|中心|团体|办事处|法院|检察院|银行|学校|医院|基金会|协会|记者|人员)$")
# Words that end the opening of a sentence: prepositions, conjunctions, adverbs,
# particles, pronouns, punctuation (jieba flags)
TOPIC_STOP_FLAGS = ("p", "c", "d", "uj", "ul", "x", "r", "m", "f")


def sentence_topic(text: str, start: int) -> str | None:
    """The actor a sentence opens with: the longest opening run of words (up to 12
    characters, no preposition, adverb or particle) that ends in an agent noun
    (机关, 部门, 当事人 …), else its opening nouns when they are short; None when
    the sentence opens otherwise."""
    opening = start
    while opening > 0 and text[opening - 1] not in "。；;\n":
        opening -= 1
    head = LEADING_NUMBER.sub("", text[opening:start])
    run, best, nouns, nouns_only = "", None, "", True
    for word, flag in tagged(head[:24]):
        passive = not run and word == "被"  # 被处罚人, 被许可人: a passive agent noun
        if (flag.startswith(TOPIC_STOP_FLAGS) and not passive) or len(run + word) > 12:
            break
        run += word
        nouns_only = nouns_only and is_noun(flag)
        if nouns_only:
            nouns = run
        if AGENT.search(run) and len(run) >= 2:
            best = run
    if best:
        return best
    return nouns if 2 <= len(nouns) <= 8 and nouns != head.strip() else None


ALTERNATIVE = regex.compile(r"或者|或")  # A或者B: the last alternative


def tidy(subject: str | None) -> str | None:
    """Take out an article number and a repeated alternative (see module doc)."""
    if not subject:
        return subject
    subject = LEADING_NUMBER.sub("", subject)
    if not subject:
        return None  # 第八条 alone: no subject at all
    subject = FREQUENCY.sub("", subject) if len(FREQUENCY.sub("", subject)) >= 2 else subject
    repeated = REPEATED.match(subject)
    if repeated:
        return repeated["a"]
    last = ALTERNATIVE.split(subject)[-1]
    return last if len(last) >= 2 and last != subject and not subject.startswith(last) else subject
