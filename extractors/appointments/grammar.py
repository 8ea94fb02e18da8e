"""The grammar of one appointment clause: who, which verb, which posts, and
the modifiers that follow (试用期, 任职时间, 免去其…职务, （兼）, rank notes).

A clause is the text between two ；/。 of a 任免 document (or of any prose).
Its forms, as 《党政机关公文处理工作条例》 任免 notices, 人大常委会 decisions and
the State Council's 国务院任免国家工作人员 press notices write them:

    任命X为Y[，试用期一年][，免去其Z职务]      inline appointment (also 聘任, 聘请)
    免去X的Y职务 / X的A、B职务                  inline removal (also 解聘, 撤销)
    同意X辞去Y职务                              resignation (a removal)
    X为Y / X的Y职务                             items of a list after 决定任命： / 决定免去：
    X为Y，试用期满正式任职，任职时间从…算起     confirmation after probation
    任命X兼任Y / X兼任Y                         a post held concurrently
    提名X为Y[人选|候选人]                       a nomination (to the body that decides)
    X[同志][另有任用，]免去[其]Y职务[，不再保留…待遇]   the person before the verb (决定： lists)
    X[同志][已到龄退休，]不再担任Y[职务]        a removal
    X挂职任Y / …Y（挂职[…]）                    a secondment (挂职), an appointment
    …职务（另有任用） / 因到龄退休，免去…       the reason a post is left (另有任用, 退休, 辞职)

``parse_clause`` returns the records of one clause as ``ClauseRecord``s; the
caller (``extractors.appointments``) adds provenance and decision context.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache

import regex

from extractors.appointments.lexicon import (
    bracket_groups,
    ends_with_org_suffix,
    is_person_name,
    split_top_level,
    strip_trailing_brackets,
    title_suffix,
)
from schemas.patterns import cn_to_int_or_none, date_text_to_date

APPOINT_VERBS = ("任命", "聘任", "聘请")
REMOVE_VERBS = ("免去", "解聘", "撤销")
NOMINATE_VERBS = ("提名",)  # 人大常委会 任免: the 一府两院 nominate, the 常委会 decides
RESIGN_LEADS = ("同意", "接受")  # 同意X辞去Y职务 / 接受X辞去Y职务的请求

# A verb that starts a record, where it is not part of a proposal or a rule:
# 拟任命 (a 公示), 提请任命 / 报请国务院免去 (a request to another body),
# 可以任命 / 不得任命 (a regulation), 被任命为 (passive, no named person).
INLINE_VERBS = ("任命", "聘任", "聘请", "免去", "解聘", "撤销", "同意", "接受", "提名")
INLINE_VERB = regex.compile(
    rf"""(?<!拟|提请|报请|建议|提名|请求|申请|可以|应当|不得|有权|被|予以|负责|依法)
        (?P<verb>{'|'.join(INLINE_VERBS)})
        (?!其|为|书|制|的|或|、|和|及|程序|权限|机关|办法|条件|手续|通知|人选|候选人)   # 任命书, 聘任制, 任命或者聘任, 免去其, 提名人选: not a named person
    """,
    regex.VERBOSE,
)

# List markers before an item: （一） 1. 一、 (GB/T 9704-2012 7.3.3 结构层次序数).
LIST_MARKER = regex.compile(r"^(?:[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}、|\d{1,3}[.．、])\s*")

# Gender after a name: 张三（女） / 张三（女，回族）.
GENDER = regex.compile(r"[（(](?P<g>女|男)(?:[，,、][^）)]{0,10})?[）)]$")

# Modifiers after the post, each one comma-separated segment.
PROBATION = regex.compile(
    r"""^试用期(?:为|是)?
        (?P<n>[一二两三四五六七八九十半\d]{1,3})   # 试用期一年 / 试用期六个月 / 试用期1年
        (?P<unit>年|个月|月)$""",
    regex.VERBOSE,
)
CONFIRMED = regex.compile(r"^试用期(?:已)?满(?:后|，)?(?:考核合格)?(?:，)?(?:正式任职|正式任命|转正|予以转正)?$")
TENURE = regex.compile(
    r"""^(?:其)?(?:任职时间|任期|任职|职务任期)?(?:从|自)
        (?P<y>\d{4}|[〇零一二三四五六七八九]{4})年
        (?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月
        (?:(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日)?
        (?:算起|起算|开始计算|起)$""",
    regex.VERBOSE,
)
ALSO_POST = regex.compile(r"^兼(?:任)?(?P<post>.+)$")  # X为A，兼B
RANK = regex.compile(r"^[（(](?P<rank>[^（）()]{0,12}级[^（）()]{0,6})[）)]$")  # （副处级） （正部长级）
CONCURRENT = regex.compile(r"^[（(]兼(?:任|职)?[）)]$")  # （兼）
SECONDMENT = regex.compile(r"^[（(]挂职[^（）()]{0,16}[）)]$")  # （挂职） （挂职期限一年） （挂职锻炼）
NOMINEE = regex.compile(r"(?:人选|候选人)$")  # 提名X为Y人选: the post is Y

# Why a post is left, where the clause says so: …职务（另有任用）, 因到龄退休，免去…,
# X另有任用，免去其…, 本人申请辞职 (the usual grounds of 《公务员法》第八十六–八十九条 and
# 《党政领导干部选拔任用工作条例》 免职: 另有任用, 退休, 辞职).
REASON = regex.compile(r"(?P<reason>另有任用|退休|辞职)")

# "职务" that ends a list of posts: followed by clause punctuation, a bracketed
# note (…职务（另有任用）), or 的请求 (resignations).
DUTY_END = regex.compile(r"职务(?=[，,；;。：:（(]|的请求|$)")

def _subject_first_pattern(verbs: str) -> regex.Pattern:
    return regex.compile(
        rf"""(?P<names>[^，,；;。：:]{{2,40}}?)                         # names, 同志, （女）
            (?:[，,]?(?:因|已|因已)?(?:到龄)?(?:另有任用|退休|辞职)[，,])?   # 另有任用， / 已到龄退休，
            (?P<verb>{verbs})
        """,
        regex.VERBOSE,
    )


# The person before the verb (决定： lists, 人大常委会 decisions, news):
# 张三免去市教育局局长职务 / 王强同志不再担任… / 刘洋另有任用，免去其… / 周九挂职任… / 冯明兼任…
SUBJECT_FIRST = _subject_first_pattern("不再担任|免去其?|挂职(?:担)?任|兼任")
# In a list after 决定：/决定任命： (and only there) also the bare 任 / 担任 of party and
# government notices: 张三任市教育局局长，免去其市教育局副局长职务.  In prose, 张三任组长
# names the members of a working group, not an appointment.
SUBJECT_FIRST_LISTED = _subject_first_pattern("不再担任|免去其?|挂职(?:担)?任|兼任|担任|任(?![命免职期用务])")

MAX_NAME_SIDE = 40  # characters between the verb and 为/的: names, 同志, （女）, a displaced signature


@dataclass(frozen=True)
class ClauseRecord:
    person: str
    gender: str | None
    action: str  # appoint | remove | confirm
    verb: str
    post: str
    concurrent: bool = False
    rank_note: str | None = None
    probation_months: int | None = None
    tenure_from: date | None = None
    secondment: bool = False  # 挂职
    reason: str | None = None  # 另有任用, 退休, 辞职


@dataclass(frozen=True)
class Person:
    name: str
    gender: str | None


def clean_persons(text: str, *, allow_prefix: bool) -> list[Person] | None:
    """'张三（女）、李四同志' → [张三/female, 李四]; None when any part is not a name.

    ``allow_prefix``: in a list item, text before the name that ends with an
    organisation suffix is a signature the two-column layout put there
    (忻州市人民政府乔哲) and is dropped."""
    text = SPACES.sub("", text)
    text = LIST_MARKER.sub("", text)
    if not text:
        return None
    people = []
    for index, (begin, end) in enumerate(split_top_level(text, "、")):
        part = text[begin:end]
        gender = None
        match = GENDER.search(part)
        if match:
            gender = "female" if match["g"] == "女" else "male"
            part = part[: match.start()]
        part = part.removesuffix("同志")
        if not is_person_name(part) and allow_prefix and index == 0:
            part = _drop_displaced_prefix(part)
        if part is None or not is_person_name(part):
            return None
        people.append(Person(part, gender))
    return people


SPACES = regex.compile(r"[\s\u3000]+")  # \s holds \u3000 too; spaces pad names (张  三) and break lines
UP_TO_LAST_NON_HAN = regex.compile(r"^.*[^\p{Han}·]")


# An organ name as a signature prints it (GB/T 9704-2012 7.3.5.1 发文机关署名):
# Han characters only, no 的 (设立参事工作机构的人民政府 is prose, not a signature).
SIGNATURE = regex.compile(r"^[\p{Han}（）()]{2,30}$")


def _drop_displaced_prefix(text: str) -> str | None:
    """The name after a displaced signature or a date: 忻州市人民政府乔哲 → 乔哲.

    The name left over must not be an ordinary word (应当, 关于): jieba's
    dictionary knows those, with a part of speech other than a person's name."""
    tail = UP_TO_LAST_NON_HAN.sub("", text)
    if tail != text and is_person_name(tail) and not _common_word(tail):
        return tail
    for cut in range(2, len(text) - 1):
        prefix = text[:cut]
        if SIGNATURE.match(prefix) and "的" not in prefix and ends_with_org_suffix(prefix):
            name = text[cut:]
            if is_person_name(name) and not _common_word(name):
                return name
    return None


def _common_word(text: str) -> bool:
    """True when jieba's dictionary holds ``text`` as a word that is not a name."""
    from schemas.tokens import jieba_tagger

    tag = jieba_tagger().dt.word_tag_tab.get(text)
    return tag is not None and not tag.startswith("nr")


@lru_cache(maxsize=None)
def _connector_pattern(connectors: tuple[str, ...]) -> regex.Pattern:
    return regex.compile("|".join(regex.escape(c) for c in connectors))


def _jieba_boundaries(text: str) -> set[int]:
    from schemas.tokens import jieba_tokenizer

    bounds, offset = {0}, 0
    for token in jieba_tokenizer().lcut(text, HMM=False):
        offset += len(token)
        bounds.add(offset)
    return bounds


def find_head(s: str, pos: int, connectors: tuple[str, ...], *, allow_prefix: bool) -> tuple[list[Person], int, str] | None:
    """Persons from ``pos`` up to a connector (为, 的, 辞去): (persons, connector index, connector).

    Where several connectors would leave a valid name (王东为为民服务中心主任:
    王东 | 为民… or 王东为 | 民…), the one at which jieba puts a word boundary
    on both sides of the connector wins: the name ends and the post begins there."""
    window = s[pos : pos + MAX_NAME_SIDE + 3]
    candidates = []
    for match in _connector_pattern(connectors).finditer(window):
        if match.start() == 0:
            continue
        persons = clean_persons(window[: match.start()], allow_prefix=allow_prefix)
        if persons:
            candidates.append((persons, pos + match.start(), match.group()))
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    bounds = _jieba_boundaries(window)
    for persons, index, connector in candidates:
        if index - pos in bounds and index - pos + len(connector) in bounds:
            return persons, index, connector
    return candidates[0]


def _segment_end(s: str, pos: int) -> int:
    """End of the comma-separated segment starting at ``pos`` (outside brackets)."""
    spans = split_top_level(s[pos:], "，,；;。")
    return pos + spans[0][1]


def split_posts(text: str, separators: str) -> list[str]:
    """'A副主任，B主任' → [A副主任, B主任]: cut at a separator only where the text
    before it ends with a post title (otherwise the separator is inside a name)."""
    posts, current = [], ""
    spans = split_top_level(text, separators)
    for index, (begin, end) in enumerate(spans):
        piece = text[begin:end]
        current = current + (text[begin - 1] if current else "") + piece
        if index == len(spans) - 1 or title_suffix(current):
            posts.append(current)
            current = ""
    return [p.strip() for p in posts if p.strip()]


def inherit_organization(posts: list[str]) -> list[str]:
    """教育部副部长、党组成员 → 教育部副部长, 教育部党组成员: a bare title after a
    full post shares its organisation (the text writes it once)."""
    result = []
    for post in posts:
        bare = title_suffix(post)
        if result and bare and post == bare:
            previous = result[-1]
            base, _ = strip_trailing_brackets(previous)
            previous_title = title_suffix(base)
            if previous_title:
                post = base[: len(base) - len(previous_title)] + post
        result.append(post)
    return result


@dataclass(frozen=True)
class PostNotes:
    post: str
    concurrent: bool = False  # （兼）, 兼B
    rank_note: str | None = None  # （副处级）
    secondment: bool = False  # （挂职…）


def post_details(post: str) -> PostNotes:
    """Peel （兼）, a rank note and （挂职…） off the end of a post, and a leading 兼."""
    concurrent, rank, secondment, kept = False, None, False, []
    base, tail = strip_trailing_brackets(post)
    for group in bracket_groups(tail):
        if CONCURRENT.match(group):
            concurrent = True
        elif (match := RANK.match(group)):
            rank = match["rank"]
        elif SECONDMENT.match(group):
            secondment = True
        else:
            kept.append(group)
    if base.startswith("兼"):
        concurrent, base = True, base[1:]
    return PostNotes(base + "".join(kept), concurrent, rank, secondment)


def parse_date(match) -> date | None:
    """The date of a match with y/m/(d) groups (the date runs from its year to
    the end of the match); None when it is no calendar date."""
    parsed = date_text_to_date(match.string[match.start("y") : match.end()])
    return parsed[0] if parsed else None


def probation_months(match) -> int | None:
    number = match["n"]
    value = 0.5 if number == "半" else cn_to_int_or_none(number)
    if value is None:
        return None
    return int(value * 12) if match["unit"] == "年" else int(value)


def _appointments(people: list[Person], posts_text: str, verb: str, action: str = "appoint") -> list[ClauseRecord]:
    """Records of 'people 为 posts' (action appoint, or nominate after 提名: 人选 dropped)."""
    records = []
    for post in inherit_organization(split_posts(posts_text, "、")):
        notes = post_details(NOMINEE.sub("", post) if action == "nominate" else post)
        for person in people:
            records.append(ClauseRecord(
                person.name, person.gender, action, verb, notes.post, notes.concurrent, notes.rank_note,
                secondment=notes.secondment,
            ))
    return records


def _removals(people: list[Person], posts_text: str, verb: str) -> list[ClauseRecord]:
    records = []
    for post in inherit_organization(split_posts(posts_text, "、，,")):
        notes = post_details(post)
        for person in people:
            records.append(ClauseRecord(person.name, person.gender, "remove", verb, notes.post, notes.concurrent, notes.rank_note))
    return records


def _duty_list(s: str, pos: int) -> tuple[str, int] | None:
    """Posts from ``pos`` to the 职务 that ends them: (posts text, index after 职务)."""
    match = DUTY_END.search(s, pos)
    if not match or match.start() == pos:
        return None
    return s[pos : match.start()], match.end()


# What a clause must contain for ``parse_clause`` to find anything in it, read off the
# grammar above: outside a list, a verb introduces the names (INLINE_VERB) or follows them
# (SUBJECT_FIRST: 不再担任, 免去, 挂职任/挂职担任, 兼任); in a 决定： list also the bare 任/担任
# (SUBJECT_FIRST_LISTED).  A list with its own verb (决定任命：) has items without one
# (张三为…), so there is no such word to look for.  A clause with none of these words
# parses to nothing, headed or not, so ``parse_clause`` answers it at once.
SUBJECT_VERB_WORDS = ("不再担任", "免去", "挂职", "兼任")
PROSE_WORDS = regex.compile("|".join((*INLINE_VERBS, *SUBJECT_VERB_WORDS)))
LISTED_WORDS = regex.compile("|".join((*INLINE_VERBS, *SUBJECT_VERB_WORDS, "任")))


def parse_clause(s: str, list_verb: str | None = None, *, in_list: bool = False) -> tuple[list[ClauseRecord], bool]:
    """The records of clause ``s``, and whether it is headed like an appointment
    item (names then 为/的/辞去, or names then 免去/不再担任/兼任/挂职任), complete or not.

    ``list_verb`` is the verb of the list the clause is an item of (决定任命：
    → 任命), or None for prose; inside a list the item itself starts with the
    names.  Elsewhere a verb (任命, 免去, 同意…辞去) must introduce the names, or
    follow them (张三免去…职务; in a list, ``in_list``, also 张三任…)."""
    if list_verb is None and not (LISTED_WORDS if in_list else PROSE_WORDS).search(s):
        return [], False  # no verb of any form: see PROSE_WORDS
    return parse_clause_in_full(s, list_verb, in_list=in_list)


def parse_clause_in_full(s: str, list_verb: str | None = None, *, in_list: bool = False) -> tuple[list[ClauseRecord], bool]:
    """``parse_clause`` without its check for a verb: every form tried on ``s`` (the
    tests compare the two over every clause of the fixtures and the corpus)."""
    records, headed = _verb_first(s, list_verb)
    if not headed:
        records, headed = _subject_first(s, SUBJECT_FIRST_LISTED if in_list else SUBJECT_FIRST)
    return _with_reason(s, records), headed


def _verb_first(s: str, list_verb: str | None) -> tuple[list[ClauseRecord], bool]:
    """Units of 'verb names connector posts' (the verb may come from the list)."""
    records: list[ClauseRecord] = []
    headed = False
    marker = LIST_MARKER.match(s)
    starts_with_verb = INLINE_VERB.match(s, marker.end() if marker else 0)
    if list_verb and not starts_with_verb:
        verb, pos, allow_prefix = list_verb, 0, True
    else:
        match = INLINE_VERB.search(s)
        if not match:
            return [], False
        verb, pos, allow_prefix = match["verb"], match.end(), False
    while pos < len(s):
        repeated = INLINE_VERB.match(s, pos)  # 任命A为B，任命C为D: the verb again after the comma
        if repeated:
            verb, pos = repeated["verb"], repeated.end()
        step = _parse_one(s, pos, verb, allow_prefix=allow_prefix)
        allow_prefix = False
        if step is None:
            # another inline verb later in the clause (任命A为B，免去C的D职务)
            match = INLINE_VERB.search(s, pos)
            if not match:
                break
            verb, pos = match["verb"], match.end()
            continue
        found, pos = step
        headed = True
        found, pos = _modifiers(s, pos, found)
        records.extend(found)
        if pos < len(s) and s[pos] in "，,":
            pos += 1  # another unit: 李四为B / 免去王五的C职务
            continue
        break
    return records, headed


def _subject_first(s: str, pattern: regex.Pattern) -> tuple[list[ClauseRecord], bool]:
    """'names verb posts' at the start of the clause or of one of its comma
    segments (经研究，王强同志不再担任…), then whatever units follow."""
    marker = LIST_MARKER.match(s)
    starts = [marker.end() if marker else 0] + [end + 1 for _, end in split_top_level(s, "，,")[:-1]]
    for start in starts:
        match = pattern.match(s, start)
        people = clean_persons(match["names"], allow_prefix=False) if match else None
        if not people or any(_common_word(person.name) for person in people):
            continue
        step = _subject_unit(s, match.end(), people, match["verb"])
        if step is None:
            continue
        found, pos = _modifiers(s, *step)
        rest = _verb_first(s[pos:], None)[0] if pos < len(s) else []
        return found + rest, True
    return [], False


def _subject_unit(s: str, after: int, people: list[Person], verb: str) -> tuple[int, list[ClauseRecord]] | None:
    """The posts after a subject-first verb: up to 职务 for a removal (or the
    segment's end: 不再担任市公安局副局长。), the segment for a post taken up."""
    if verb.startswith("免去") or verb == "不再担任":
        duties = _duty_list(s, after)
        if duties is None and verb == "不再担任":
            end = _segment_end(s, after)
            duties = (s[after:end], end) if end > after else None
        if duties is None:
            return None
        posts_text, end = duties
        return _skip_note(s, end), _removals(people, posts_text, verb.removesuffix("其"))
    end = _segment_end(s, after)
    if end == after:
        return None
    found = _appointments(people, s[after:end], verb)
    if not found or not all(title_suffix(r.post) for r in found):
        return None  # 张三任务… / 王五担任过…: no post ends with a known title
    if verb == "兼任":
        found = [replace(r, concurrent=True) for r in found]
    elif verb.startswith("挂职"):
        found = [replace(r, secondment=True) for r in found]
    return end, found


def _skip_note(s: str, pos: int) -> int:
    """The index after a bracketed note at ``pos`` (…职务（另有任用）), else ``pos``."""
    if pos >= len(s) or s[pos] not in "（(":
        return pos
    spans = split_top_level(s[pos:], "，,；;。")
    text = s[pos : pos + spans[0][1]]
    _, tail = strip_trailing_brackets(text)
    return pos + len(text) if tail == text else pos


def _with_reason(s: str, records: list[ClauseRecord]) -> list[ClauseRecord]:
    """Removals of a clause that says why (另有任用, 退休, 辞职) carry the reason."""
    match = REASON.search(s)
    if not match:
        return records
    return [replace(r, reason=match["reason"]) if r.action == "remove" and r.reason is None else r for r in records]


def _connectors(verb: str, *, allow_prefix: bool) -> tuple[str, ...]:
    """The words that may end the names after ``verb``: 为 before posts taken up,
    的 before posts left, 辞去 in a resignation; a list item (``allow_prefix``)
    takes either, the form its list verb expects first."""
    if verb in RESIGN_LEADS:
        return ("辞去",)
    if verb in NOMINATE_VERBS:
        return ("为",)
    if verb in APPOINT_VERBS:
        return ("为", "兼任", "的") if allow_prefix else ("为", "兼任")
    if verb in REMOVE_VERBS:
        return ("的", "为") if allow_prefix else ("的",)
    return ("为", "的")


def _parse_one(s: str, pos: int, verb: str, *, allow_prefix: bool) -> tuple[list[ClauseRecord], int] | None:
    """One 'names connector posts' unit at ``pos``, with ``verb`` deciding the connector."""
    head = find_head(s, pos, _connectors(verb, allow_prefix=allow_prefix), allow_prefix=allow_prefix)
    if head is None:
        return None
    people, index, connector = head
    after = index + len(connector)
    if connector == "为":
        return _appointment_unit(s, after, people, verb)
    if connector == "兼任":  # 任命X兼任Y
        step = _appointment_unit(s, after, people, verb)
        return ([replace(r, concurrent=True) for r in step[0]], step[1]) if step else None
    remove_verb = "辞去" if connector == "辞去" else (verb if verb in REMOVE_VERBS else "免去")
    return _removal_unit(s, after, people, remove_verb)


def _appointment_unit(s: str, after: int, people: list[Person], verb: str) -> tuple[list[ClauseRecord], int] | None:
    """X为[posts]: the posts up to the end of the comma-separated segment."""
    end = _segment_end(s, after)
    if end == after:
        return None
    if verb in NOMINATE_VERBS:
        return _appointments(people, s[after:end], verb, action="nominate"), end
    return _appointments(people, s[after:end], verb if verb in APPOINT_VERBS else "任命"), end


def _removal_unit(s: str, after: int, people: list[Person], verb: str) -> tuple[list[ClauseRecord], int]:
    """X的[posts]职务 / X辞去[posts]职务(的请求): the posts up to 职务."""
    duties = _duty_list(s, after)
    if duties is None:
        return [], len(s)  # headed but cut off before 职务: the layout split it
    posts_text, end = duties
    if s.startswith("的请求", end):
        end += 3
    return _removals(people, posts_text, verb), _skip_note(s, end)


# A removal after an appointment in the same clause: 任命A为B，免去其C职务.
ALSO_REMOVE = regex.compile(r"(?:同时)?免去其")


def _modifiers(s: str, pos: int, unit: list[ClauseRecord]) -> tuple[list[ClauseRecord], int]:
    """Apply the comma-separated modifiers after a unit (the records of one
    'names 为 posts') to it: 试用期, 试用期满正式任职, 任职时间从…算起, 兼B, 免去其…职务."""
    people = list(dict.fromkeys(Person(r.person, r.gender) for r in unit))
    extra: list[ClauseRecord] = []
    while pos < len(s) and s[pos] in "，,":
        lead = ALSO_REMOVE.match(s, pos + 1)
        if lead:
            duties = _duty_list(s, lead.end())
            if duties is None:
                break
            posts_text, pos = duties
            extra.extend(_removals(people, posts_text, "免去"))
            continue
        end = _segment_end(s, pos + 1)
        modified = _apply_modifier(SPACES.sub("", s[pos + 1 : end]), unit, people)
        if modified is None:
            break
        unit, pos = modified, end
    return unit + extra, pos


def _apply_modifier(segment: str, unit: list[ClauseRecord], people: list[Person]) -> list[ClauseRecord] | None:
    """``unit`` with one modifier segment applied, or None when ``segment`` is none."""
    if (match := PROBATION.match(segment)):
        months = probation_months(match)
        return [replace(r, probation_months=months) if r.action == "appoint" else r for r in unit]
    if CONFIRMED.match(segment) or segment in ("正式任职", "正式任命"):
        return [replace(r, action="confirm", verb="试用期满正式任职", probation_months=None) for r in unit]
    if (match := TENURE.match(segment)):
        when = parse_date(match)
        return [replace(r, tenure_from=when) for r in unit]
    return _also_appointed(segment, unit, people)


def _also_appointed(segment: str, unit: list[ClauseRecord], people: list[Person]) -> list[ClauseRecord] | None:
    """X为A，兼B: the appointed ``unit`` and, held concurrently, post B."""
    match = ALSO_POST.match(segment)
    if not (match and title_suffix(match["post"]) and unit and unit[0].action == "appoint"):
        return None
    also = _appointments(people, match["post"], unit[0].verb)
    return unit + [replace(r, concurrent=True) for r in also]
