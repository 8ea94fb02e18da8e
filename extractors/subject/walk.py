"""The subject of a number: what a threshold or an amount constrains.

Chinese rules put the subject before the comparison (``固定科研人员不少于15人``,
``仪器设备原值在500万元以上``) or, after a verb of having, granting or penalising,
after the number (``应当有三分之二以上班子成员到会``, ``处2万元以上10万元以下的罚款``).

The words are jieba tokens labelled by a spaCy EntityRuler
(``extractors.subject.patterns``; patterns in ``data/subject_patterns.jsonl``):
function words (FUNC), condition words (COND), verbs taking an object after the
number (OBJV), time anchors (ANCHOR_START … ANCHOR_END), qualifiers (QUAL) and
comparison words (CMP).  Everything else is content.

* Before: within the clause, skip the frame next to the number (在, 应当, 的, 达到),
  a time anchor (在建设期满后, 自受理之日起) and then read content words leftwards
  up to the first labelled word: the nearest noun phrase on the left
  (``依托单位在建设期满后`` → 依托单位; ``上年度或者近3年平均主营业务收入`` →
  主营业务收入).  ``X应占Y的`` keeps both sides: 研发成果等占相关总量.
* After: when the clause ends in OBJV (有, 具有, 给予, 处 …) or a preposition, or
  holds no content word, the content words after the number, past a range's upper
  bound (``以上10万元以下的``) and a 标准 frame (``的标准给予``).
* The upper bound of a range (``1万元以上[10万元以下]``) has its lower bound's subject.
* A clause of frame words only takes the previous clause as its topic when that is
  a short bare noun phrase: ``承包期限，一般不得少于3年`` → 承包期限.
* Failing these: a verb of change in the comparison (最多延长1年 → 延长), the anchor
  event of a deadline (自受理之日起 → 受理), or the grant verb that names the money
  (另奖励5万元 → 奖励).

A subject longer than ``MAX_CHARS`` loses a closing 的比例 after 占, else is cut after its last 的 (用于研究开发的仪器设备原值
→ 仪器设备原值), else to its last words that fit.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

import regex

from extractors.common import NUMBER, clause_start
from extractors.subject.actor import barred_actor, modal_actor
from extractors.subject.heads import AGENT, ends_in_verb, head_after, is_noun, opening_head, sentence_topic, tagged, tidy
from extractors.subject.patterns import CONDITION_ID, GRANT_ID, Word, single_words, words_of

SUBJECT_BREAKS = "，,。；;：:\n、“”\"《》"
MAX_CHARS = 12
TOPIC_CHARS = 8  # a topic standing alone before a comma is a short noun phrase
PARENTHETICAL = regex.compile(r"[（(][^（）()]*[）)]")  # （不含忻州本地财政扶持资金）, （一）
CONTENT = regex.compile(r"[\p{Han}A-Za-z]+")
FRAME = {"FUNC", "CMP", "QUAL"}
NUMBER_FRAME = FRAME | {"ANCHOR_START"}  # between the subject and the number: 在, 应当, 达到
ANCHOR_FRAME = FRAME | {"COND"}  # between the subject and a time anchor: 应当, 经
HANDOVER = {"CONJ", "OBJV", "COND"}  # next to the number, these hand over to the object after it
# The lower bound of a range just before the number: 处1万元以上[10万元以下], 暂停6个月以上[1年以下]
RANGE_LOW = regex.compile(
    rf"""(?P<low>{NUMBER}\s*[^\s\d，,。；;：:、]{{0,3}}?)     # 1万元 / 6个月 / 500元
        \s*(?:人民币)?                                   # 1万元人民币以上不满3万元人民币
        \s*(?:以上|至|到|－|—|~|-)                       # 以上 / 至 joining the two bounds
        \s*(?:不满|不足|未满|不超过|低于|少于)?\s*$       # 以上不满: the upper bound's own comparison word
    """,
    regex.VERBOSE,
)
# What follows a lower bound before the subject: 以上、1000元以下的 / 以上300万元以下
RANGE_REST = regex.compile(
    rf"""\s*(?:及以上|及以下|以上|以下|以内)?                                  # the bound's own suffix
        (?:\s*[、至到－—~-]?\s*{NUMBER}\s*[^\s\d，,。；;：:]{{0,3}}?(?:以上|以下|以内|内))?  # the upper bound
        \s*
    """,
    regex.VERBOSE,
)
# A verb of change inside the comparison names what is bounded: 最多延长1年
CHANGE = regex.compile(r"延长|延期|增加|减少|提高|降低|缩短")
# Words that frame an object after the number rather than name it: 按…的标准给予配套奖励
SHARE_WORDS = {"比例", "比重", "份额"}
AFTER_LEAD = {"标准", "额度", "幅度", "数额"}
# Verbs after an object: the object ends there (班子成员到会, 建设经费支持)
CONJUNCTIONS = frozenset(single_words("CONJ"))
# Modal verbs: what follows them is the predicate (应当出具…)
MODALS = {"应当", "应", "须", "必须", "可以", "可", "不得"}
AFTER_STOP = {"支持", "到", "会", "到会", "同意", "参加", "出席", "用于", "作为", "进行"}


def is_content(word: Word) -> bool:
    return not word.label and not word.number and CONTENT.fullmatch(word.text) is not None


def joins(words: tuple[Word, ...], index: int, collected: list[str]) -> bool:
    """An inner 的 or conjunction at ``index``: content on both sides (单位和基层组织)."""
    word = words[index]
    inner = word.text == "的" or word.label == "CONJ"
    return inner and bool(collected) and index > 0 and is_content(words[index - 1])


def cap_subject(words: list[str]) -> str:
    """Join ``words``; when too long, cut after the last 的, else keep the last words that fit."""
    subject = "".join(words)
    if len(subject) <= MAX_CHARS:
        return subject
    if "占" in words and len(words) > 3 and words[-2] == "的" and words[-1] in SHARE_WORDS:
        return cap_subject(words[:-2])  # X占Y的比例 says no more than X占Y
    if "的" in words:
        tail = words[len(words) - words[::-1].index("的"):]
        if len("".join(tail)) >= 2:
            return cap_subject(tail)
    while words and len("".join(words)) > MAX_CHARS:
        words = words[1:]
    if len(words) > 2 and len(words[0]) == 1:
        words = words[1:]  # 类技术创新中心 → 技术创新中心
    return "".join(words)


def collect_left(words: tuple[Word, ...], index: int) -> tuple[list[str], int]:
    """Content words ending at ``index`` read leftwards (an inner 的 kept); returns
    them in order and the index of the word that stopped the reading."""
    collected: list[str] = []
    while index >= 0:
        word = words[index]
        if is_content(word) and not (index > 0 and words[index - 1].number):
            collected.insert(0, word.text)  # a word right after a numeral is its unit: 2个月内
        elif joins(words, index, collected):
            collected.insert(0, word.text)
        else:
            break
        index -= 1
    if index >= 0 and words[index].number:
        return [], index  # 2个月内且…: words run on from a numeral are its unit, not a subject
    return collected, index


class LeftReading(NamedTuple):
    """What the words before the number give: the subject, the event of a time
    anchor (自受理之日起 → 受理), and the word that hands over to the object
    after the number (处, 具有, 或 …)."""

    subject: str | None = None
    event: str | None = None
    verb: Word | None = None


def skip_labels(words: tuple[Word, ...], index: int, labels: set[str]) -> int:
    """The index of the first word at or left of ``index`` whose label is not in ``labels``."""
    while index >= 0 and words[index].label in labels:
        index -= 1
    return index


def anchor_event(words: tuple[Word, ...], close: int) -> tuple[str | None, int | None]:
    """The event of the time anchor that ends at ``close`` (自受理之日起 → 受理)
    and the index of the word opening it (None when nothing opens it)."""
    opener = next((i for i in range(close - 1, -1, -1) if words[i].label == "ANCHOR_START"), None)
    inner = [w.text for w in words[(opener if opener is not None else -1) + 1:close]]
    if words[close].text == "日起":
        inner.append("日")  # 自申请日起 → 申请日
    return (cap_subject(inner) if inner else None), opener


def opens_time_anchor(words: tuple[Word, ...], collected: list[str], stop: int) -> bool:
    """True when the content words read stop at an anchor opener (在, 自): for a
    time, they are the anchor even without 后/起 (场地使用费在开始用地的[5年内])."""
    return bool(collected) and stop >= 0 and words[stop].label == "ANCHOR_START"


def share_owner(words: tuple[Word, ...], collected: list[str], stop: int) -> list[str]:
    """``X应占Y的`` keeps both sides: 研发成果等应占相关总量的 → 研发成果等占相关总量."""
    owner, _ = collect_left(words, skip_labels(words, stop, {"FUNC"}))
    return owner + collected


def left_subject(collected: list[str]) -> str | None:
    """The subject made of the content words read: no leading 的 or conjunction,
    capped in length; a single character is no subject."""
    while collected and (collected[0] == "的" or collected[0] in CONJUNCTIONS):
        collected = collected[1:]
    collected = head_of_phrase(collected)
    subject = cap_subject(collected) if collected else None
    return None if subject and len(subject) < 2 else subject


def head_of_phrase(collected: list[str]) -> list[str]:
    """The head of a noun phrase: the words after its last 的 (征求意见的期限 → 期限,
    熟悉储蓄业务的工作人员 → 工作人员), except a share (X占Y的比例) and a head of one
    character."""
    if "的" not in collected or "占" in collected:
        return collected
    tail = collected[len(collected) - collected[::-1].index("的"):]
    return tail if len("".join(tail)) >= 2 else collected


def walk_left(words: tuple[Word, ...], time: bool = False) -> LeftReading:
    """What the words before the number give (see ``LeftReading``); ``time``: the
    number bounds a time."""
    # 仪器设备原值在[500万元以上]: a bare 在 is a function word
    index = skip_labels(words, len(words) - 1, NUMBER_FRAME)
    if index < 0:
        return LeftReading()
    if words[index].label in HANDOVER:
        return LeftReading(verb=words[index])  # 处以警告或[五日以下]拘留: the number's noun follows
    event = None
    if words[index].label == "ANCHOR_END":
        event, opener = anchor_event(words, index)
        if opener is None:
            return LeftReading(event=event)
        index = skip_labels(words, opener - 1, ANCHOR_FRAME)
    collected, stop = collect_left(words, index)
    if time and event is None and opens_time_anchor(words, collected, stop):
        # the words after 在 anchor the time; the subject is before
        event = cap_subject(collected)
        collected, stop = collect_left(words, skip_labels(words, stop - 1, ANCHOR_FRAME))
    if stop >= 0 and words[stop].pattern_id == CONDITION_ID:
        return LeftReading(None, event, words[stop])  # 如有特殊原因[2年内]…: a condition, not the subject
    if collected and collected[0] == "占":
        collected = share_owner(words, collected, stop)
    if stop >= 0 and words[stop].text in MODALS:
        collected = without_predicate(collected)
    return LeftReading(left_subject(collected), event)


def without_predicate(collected: list[str]) -> list[str]:
    """Words read after a modal verb start with the predicate, not the subject:
    应当[出具]有效期不超过7日的受理回执 → 有效期 (the verb's object is compared)."""
    if len(collected) >= 2 and tagged(collected[0])[-1][1] == "v" and all(
            is_noun(flag) for word in collected[1:] for _, flag in tagged(word)):
        return collected[1:]
    return collected


class Step(Enum):
    """What reading the object after the number does with one word."""

    SKIP = "skip"  # a frame word before the object: 的标准给予 / 不得再次
    RESTART = "restart"  # a 的 after a measure word: 100米宽的生态功能保障带
    JOIN = "join"  # a conjunction inside the object: 执法证件和…
    TAKE = "take"  # a content word of the object
    STOP = "stop"  # the object has ended


def after_span(text: str, end: int, limit: int) -> str:
    """The text after the number, past a range's upper bound (``以上10万元以下的``),
    up to a clause break or ``limit`` characters."""
    start = RANGE_REST.match(text, end).end()
    stop = start
    while stop < min(len(text), start + limit) and text[stop] not in SUBJECT_BREAKS:
        stop += 1
    return text[start:stop]


def after_step(word: Word, collected: list[str]) -> Step:
    """What reading the object after the number does with ``word`` (see ``Step``)."""
    if not collected and (word.label in FRAME | {"OBJV"} or word.text in AFTER_LEAD):
        return Step.SKIP
    if word.text == "的" and len("".join(collected)) <= 1:
        return Step.RESTART  # 宽 describes the number
    if joins_after(word, collected):
        return Step.JOIN
    if word.text in AFTER_STOP or not is_content(word):
        return Step.STOP
    if collected and len("".join(collected)) + len(word.text) > 8:
        return Step.STOP  # an object read after the number is short: 班子成员, 相关工作经验
    return Step.TAKE


def read_object(words: tuple[Word, ...]) -> list[str]:
    """The words of the object after the number, at most four content words."""
    collected: list[str] = []
    for word in words:
        if word.pattern_id == GRANT_ID:
            word = word._replace(label="")  # after the number 奖励/补贴 are nouns: 配套奖励
        step = after_step(word, collected)
        if step is Step.STOP:
            break
        if step is Step.RESTART:
            collected = []
        elif step in (Step.JOIN, Step.TAKE):
            collected.append(word.text)
        if step is Step.TAKE and len(collected) == 4:
            break
    return collected


def subject_after(text: str, end: int, limit: int = 20) -> str | None:
    """The content words after the number (``以上班子成员到会`` → 班子成员), or None."""
    collected = read_object(words_of(after_span(text, end, limit)))
    while collected and (collected[-1] == "的" or collected[-1] in CONJUNCTIONS):
        collected.pop()
    subject = cap_subject(collected) if collected else ""
    return subject if len(subject) >= 2 else None


def joins_after(word: Word, collected: list[str]) -> bool:
    """A conjunction inside an object read after the number (执法证件和…)."""
    return word.label == "CONJ" and bool(collected)


def topic_before(text: str, clause: int) -> str | None:
    """A bare noun phrase as the whole previous clause, when the number's own clause
    holds only frame words: the topic of a topic–comment sentence
    (``承包期限，一般不得少于3年`` → 承包期限)."""
    if clause < 1 or text[clause - 1] not in "，,":
        return None
    previous = text[clause_start(text, clause - 1, breaks=SUBJECT_BREAKS, limit=20):clause - 1].strip()
    words = words_of(PARENTHETICAL.sub("", previous))
    if not words or len(previous) > TOPIC_CHARS or not is_content(words[0]):
        return None
    collected, stop = collect_left(words, len(words) - 1)
    return "".join(collected) if stop < 0 and len("".join(collected)) >= 2 else None


def topic_of_frame_clause(text: str, clause: int, words: tuple[Word, ...], left: LeftReading) -> str | None:
    """The previous clause's topic, when the number's own clause holds only frame words."""
    if left.event is None and left.verb is None and all(w.label in FRAME for w in words):
        return topic_before(text, clause) or opening_head(text, clause)
    return None


def object_after_number(text: str, end: int, words: tuple[Word, ...], left: LeftReading) -> str | None:
    """The object after the number, when the words before hand over to it (处, 具有),
    are none, or name no time anchor."""
    if left.verb is not None or not words or left.event is None:
        return subject_after(text, end)
    return None


def subject_of_last_resort(text: str, start: int, end: int, left: LeftReading) -> str | None:
    """A verb of change in the comparison (最多延长1年 → 延长), the anchor event of a
    deadline (自受理之日起 → 受理), or the grant verb that names the money (另奖励5万元 → 奖励)."""
    change = CHANGE.search(text, start, end)
    if change:
        return change.group()
    if left.event and len(left.event) >= 2:
        return left.event
    verb = left.verb
    if verb is not None and (verb.pattern_id == GRANT_ID or CHANGE.fullmatch(verb.text)):
        return verb.text
    return None


class Reading(NamedTuple):
    """What the words around a number give: the ``subject``, the ``anchor`` event of
    a deadline (自受理申请之日起 → 受理申请之日), and a ``note`` saying why the
    subject is empty when it is."""

    subject: str | None
    anchor: str | None = None
    note: str | None = None


# A deadline's anchor right before its number, across 、-joined events (自租赁合同签订、
# 变更、终止之日起十五日内): 自/从/于/在 opens it, 之日起/日起/起/后/前 closes it.
ANCHOR_BEFORE = regex.compile(
    r"""(?P<open>自|从|于|在)
        (?P<event>[^，,。；;：:\n自从]{1,40}?)
        (?P<close>之日起|之日|日起|次日起|起|以后|之后|后|以前|之前|前|时)
        \s*(?:的)?[\s，,]*$                # 自收到补正文件之日起，六个月内: a comma may follow
    """,
    regex.VERBOSE,
)
# Words right before a number that belong to neither its subject nor its comparison:
# a per-unit denominator (处每株[20万元], 标准为每平方公里每年[1000元]) and the first
# half of a two-word comparison (净资产达到或[超过10亿元]).
LEFT_NOISE = regex.compile(
    r"""(?:(?:每一?(?:平方公里|平方米|立方米|公顷|公里|公斤|千克|小时|[吨亩米年月日天周季]  # 每平方公里每年
              |[个位名只头株棵处具张件台套辆艘间座块根条份宗项批户人家床次匹尾羽箱袋笔]))+  # 每株: a measure word
         | (?:达到|等于|高于|低于|超过)(?:或者|或)           # 达到或超过: one comparison in two words
        )\s*$
    """,
    regex.VERBOSE,
)
# An unclosed bracket before the number: the number is inside a parenthetical, whose
# own words give its subject (中国短期出国人员(在境外居留时间[不满1年]) → 居留时间)
OPEN_PAREN = regex.compile(r"[（(][^）)]*$")
# A verb's object pronoun before the number: 哺乳自己[不满一周岁]的婴儿 → the noun after 的
OBJECT_PRONOUNS = ("自己", "其", "本人")
# 的部分 names a part of the thing compared, not the thing: 所得不超过500万元的部分
PARTITIVE = {"部分"}
NO_SUBJECT = "no noun phrase before the number in its clause, none after it, and no sentence topic"


def reading_of(text: str, start: int, end: int, time: bool = False) -> Reading:
    """Subject, anchor and note of the number at ``text[start:end]`` (see module doc).

    ``time``: the number bounds a time (15个工作日内), so a phrase right after 在/自
    is the deadline's anchor even without 后/起 (在开始用地的5年内); the subject is
    then the deadline's actor: the noun phrase before the anchor, else the
    sentence's topic (当事人对…不服的，可以在接到…之日起十五日内 → 当事人)."""
    left_start = clause_start(text, start, breaks=SUBJECT_BREAKS, limit=60)
    raw_left = text[left_start:start]
    low = RANGE_LOW.search(raw_left)
    if low:
        # the upper bound of a range shares its lower bound's subject
        return reading_of(text, left_start + low.start("low"), left_start + low.end("low"), time)
    if time:
        anchored = deadline_reading(text, start, end)
        if anchored is not None:
            return anchored
    raw_left = cleaned_left(raw_left)
    words = words_of(PARENTHETICAL.sub("", raw_left).strip())
    deadline = time and text[end - 1] == "内"
    left = walk_left(words, deadline)  # 在X[5年内]: X anchors a deadline, not a duration
    anchor = anchor_text(left.event) if time else None
    subject = (
        (deadline_actor(text, start, end) if deadline else None)
        or modified_head(text, end, words, left)
        or tidy(left.subject)
        or topic_of_frame_clause(text, left_start, words, left)
        or object_after_number(text, end, words, left)
        or (sentence_topic(text, start) if time else None)
        or subject_of_last_resort(text, start, end, left)
    )
    return Reading(tidy(subject), anchor, None if subject else NO_SUBJECT)


def cleaned_left(raw_left: str) -> str:
    """The words before the number without a 每X denominator or 达到或 (``LEFT_NOISE``),
    and from an unclosed bracket on only (``OPEN_PAREN``)."""
    raw_left = LEFT_NOISE.sub("", raw_left)
    if OPEN_PAREN.search(raw_left):
        return raw_left[max(raw_left.rfind("("), raw_left.rfind("（")) + 1:]
    return raw_left


def modified_head(text: str, end: int, words: tuple[Word, ...], left: LeftReading) -> str | None:
    """The noun after 的 that the number modifies, when the words before it end in a
    verb (缴存不低于N的备用金), a verb's pronoun object (哺乳自己不满N的婴儿) or name no
    subject; not a frame (的标准) or a part (的部分)."""
    stem = "".join(w.text for w in words[:skip_labels(words, len(words) - 1, {"CMP", "FUNC"}) + 1])
    if not (ends_in_verb(stem) or stem.endswith(OBJECT_PRONOUNS) or not left.subject):
        return None
    modified = head_after(text, end)
    return None if modified in AFTER_LEAD or modified in PARTITIVE else modified


def deadline_actor(text: str, start: int, end: int) -> str | None:
    """Who must act (or must not) within the deadline ending at ``end`` (N日内): the
    subject of the barring verb after it (5年内不得…) or of the modal before it."""
    return barred_actor(text, start, end) or modal_actor(text, start)


def anchor_of(event: str, close: str) -> str:
    """The anchor as written without its 起: 受理申请 + 之日起 → 受理申请之日;
    申请 + 日起 → 申请日; 事故发生 + 后 → 事故发生后."""
    if close in ("之日起", "之日"):
        return event + "之日"
    if close in ("日起", "次日起"):
        return event + close[:-1]
    return event + ("" if close == "起" else close)


def deadline_reading(text: str, start: int, end: int) -> Reading | None:
    """A deadline written 自<event>之日起 N日内: the anchor is the event; the subject
    the actor before 自 (当事人应自… → 当事人), else the sentence's topic, else
    the action after the number (二十四小时以内向…报告 → 报告)."""
    window = text[max(0, start - 60):start]
    match = ANCHOR_BEFORE.search(window)
    if match is None:
        return None
    anchor = anchor_of(match["event"], match["close"])
    opener = max(0, start - 60) + match.start()
    actor = modal_actor(text, opener) or (subject_of(text, opener, opener) if opener > 0 else None)
    if actor and actor in match["event"]:
        actor = None
    subject = (
        actor
        or neighbour_actor(text, opener, before=True)
        or sentence_topic(text, opener)
        or opening_head(text, opener)
        or neighbour_actor(text, end, before=False)
        or subject_after(text, end)
    )
    return Reading(tidy(subject), anchor, None if subject else NO_SUBJECT)


PHRASE_BREAK = regex.compile(r"[。；;，,\n]")


def neighbour_actor(text: str, offset: int, before: bool) -> str | None:
    """The actor in the clause next to a deadline's: the clause before it when that is
    a bare noun phrase (驻…的常驻记者，应当自… → 常驻记者), or the clause after it
    when it opens with one (自…之日起15日内，行政机关应当… → 行政机关)."""
    if before:
        stop = clause_start(text, offset, breaks=SUBJECT_BREAKS, limit=60)
        if stop < 1 or text[stop - 1] not in "，,":
            return None
        begin = clause_start(text, stop - 1, breaks=SUBJECT_BREAKS, limit=30)
        phrase = text[begin:stop - 1]
    else:
        comma = text.find("，", offset, offset + 4)
        if comma < 0:
            return None
        phrase = PHRASE_BREAK.split(text[comma + 1:comma + 25])[0]
    head = agent_phrase(phrase, whole=before)
    return head


def agent_phrase(phrase: str, whole: bool) -> str | None:
    """The agent noun phrase ``phrase`` is (``whole``) or opens with: its head after
    the last 的, ending in an agent noun (机关, 部门, 记者 …)."""
    topic = sentence_topic(phrase, len(phrase)) if not whole else None
    if whole:
        if not phrase or any(c in phrase for c in "应可不得"):
            return None
        head = phrase[phrase.rfind("的") + 1:]
        topic = head if 2 <= len(head) <= 12 and AGENT.search(head) else None
    return topic


def anchor_text(event: str | None) -> str | None:
    """The anchor as an event: 受理申请 → 受理申请之日 (the day the period runs from)."""
    if not event:
        return None
    return event if event.endswith(("日", "时", "后")) else event + "之日"


def subject_of(text: str, start: int, end: int, time: bool = False) -> str | None:
    """What the number at ``text[start:end]`` constrains, or None (see ``reading_of``)."""
    return reading_of(text, start, end, time).subject
