"""The actor of a deadline: the subject of the clause that carries its modal verb.

A deadline in a rule is an obligation or a permission, and Chinese legal text
states who bears it as the subject of the modal verb (应当/应/必须/须/可以/不得):
``省、自治区、直辖市电信管理机构应当自收到申请之日起60日内签署意见`` (actor 电信管理机构;
自收到申请之日起 is the anchor, kept apart).  The actor is read from the words
before the modal, possibly across a comma (``…畜牧兽医行政主管部门，应当自…``):

* the last comma-separated phrase before the modal, when it ends in an agent noun
  (机关, 部门, 机构, 企业, 人员 …: ``heads.AGENT``);
* its head after the last 的 (收到报告的卫生主管部门 → 卫生主管部门);
* without the level of government that qualifies an organ (省、自治区、直辖市 /
  县级以上地方 / 省级 + 人民政府/政府): the organ named is the head
  (省、自治区、直辖市人民政府农业主管部门 → 农业主管部门), while an organ that is
  itself a government (县级人民政府) or 国务院's own department keeps its name.

When the modal's object is 其 (应当通知其在3个月内补办, 责令其…), the one who must
act is 其's antecedent, the sentence's topic (流动人口未依照…的，…应当通知其在3个月内
补办 → 流动人口).  A modal whose clause opens with a condition (当事人对…不服的，
可以…) has no actor here; the caller falls back to the sentence's topic.
"""

from __future__ import annotations

import regex

from extractors.common import clause_start
from extractors.subject.heads import AGENT, LEADING_NUMBER, sentence_topic, tagged

MAX_ACTOR = 16  # 国务院药品生产经营行政主管部门
# A clause of time before the modal (接到报告后，应当…; 发生…时，应当…): no actor of its own
TEMPORAL_ENDS = ("后", "时")
# A window in which the actor is barred: 5年内不得担任, 3年内不再受理
BARRED = regex.compile(r"\s*(?:不得|不再|不能)")
# Modal verbs of obligation and permission; 应 not inside 相应/反应/供应/对应/适应
MODAL = regex.compile(r"(?<![相反供对适响])(?:应当|应|必须|须|可以|不得)")
PHRASE_BREAKS = regex.compile(r"[，,；;：:\n]")
PARENTHETICAL = regex.compile(r"[（(][^（）()]*[）)]")
# The level of government before an organ: 省、自治区、直辖市 / 县级以上地方各级 / 省级
# (+ 人民政府 / 政府), kept off when an organ name (…部门/机构/机关) follows.
LEVEL = regex.compile(
    r"""^(?:(?:省、)?(?:自治区、)?直辖市                # 省、自治区、直辖市 (the provincial level)
          | (?:省|市|县|乡)级(?:以上)?(?:地方)?(?:各级)?  # 省级 / 县级以上地方各级
          | 地方各级
        )?
        (?:人民政府|政府)?                              # the government the organ belongs to
        (?=\S{2,}(?:部门|机构|机关)$)                   # only before an organ's own name
    """,
    regex.VERBOSE,
)


def organ_head(phrase: str) -> str:
    """``phrase`` without its level of government (see module doc)."""
    head = LEVEL.sub("", phrase, count=1)
    return head if len(head) >= 2 else phrase


def topic_actor(text: str, start: int) -> str | None:
    """The sentence's topic when it is an agent (机关, 部门 …), without its level."""
    topic = sentence_topic(text, start)
    return organ_head(topic) if topic and AGENT.search(topic) else None


def noun_phrase_head(phrase: str) -> str | None:
    """The head of ``phrase`` after its last 的, without its level, when it is an agent."""
    phrase = LEADING_NUMBER.sub("", PARENTHETICAL.sub("", phrase)).strip()
    if not phrase or phrase.endswith("的") or not AGENT.search(phrase):
        return None
    head = phrase[phrase.rfind("的") + 1:]
    head = head if len(head) >= 2 else phrase
    opening = sentence_topic(head, len(head)) if any(flag == "v" for _, flag in tagged(head)) else None
    if opening and head.startswith(opening) and head[len(opening):][:1] not in ("", "、") and AGENT.search(opening):
        # 仲裁委员会变更住所、组成人员: a clause, not a noun phrase; the agent opening it acts
        # (an organ named with a verb inside, 国家中药品种保护审评委员会, opens with no agent;
        # 受委托银行、住房公积金管理中心 is a list of actors, kept whole)
        head = opening
    head = organ_head(head) if head else head
    return head if 2 <= len(head) <= MAX_ACTOR else None


def barred_actor(text: str, start: int, end: int) -> str | None:
    """The one barred during a window (5年内不得担任, 在3年内不得再次申请): the agent
    noun phrase of the number's own clause, else of the clause before it (…的企业负责人，
    5年内不得…), else the sentence's topic (企业被吊销生产许可证的，在3年内不得… → 企业)."""
    if not BARRED.match(text, end):
        return None
    own = clause_start(text, start, breaks="，,；;。\n", limit=40)
    phrase = text[own:start].rstrip("在于 ")
    if phrase:
        return noun_phrase_head(phrase)
    if own > 0 and text[own - 1] in "，,":
        previous = text[clause_start(text, own - 1, breaks="，,；;。\n", limit=40):own - 1]
        actor = noun_phrase_head(previous)
        if actor:
            return actor
    return topic_actor(text, start)


def modal_actor(text: str, start: int) -> str | None:
    """The actor of the modal verb before ``start`` in its sentence, or None."""
    begin = start
    while begin > 0 and text[begin - 1] not in "。；;\n":
        begin -= 1
    modals = list(MODAL.finditer(text, begin, start))
    if not modals:
        return None
    if "其" in text[modals[-1].end():start]:
        return sentence_topic(text, start)  # 通知其在…内: 其 stands for the topic
    before = text[begin:modals[-1].start()].rstrip("，, ")
    phrase = PHRASE_BREAKS.split(PARENTHETICAL.sub("", before))[-1].strip()
    phrase = LEADING_NUMBER.sub("", phrase)
    if phrase.endswith(TEMPORAL_ENDS):
        return topic_actor(text, start)  # X接到报告后，应当于六小时内: X opens the sentence
    return noun_phrase_head(phrase)
