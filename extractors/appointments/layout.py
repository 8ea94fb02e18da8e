"""From a document's text to appointment clauses: pieces, lists, continuations.

The text of a 任免 document is cut into *pieces* at ；。： outside brackets
and at line ends.  A piece ending in ： that carries a verb (决定任命：,
决定免去：) opens a *list*; its items are pieces headed by names (X为Y, X的Y职务).

How the clauses of a list continue: every item ends with ； and the last
with 。 (《党政机关公文处理工作条例》 lists, GB/T 15834 标点符号用法 4.5 分号).
An item that stops without one was cut, by a line or page break or by a
two-column layout read across the columns.  Its remainder is a *fragment*: a
piece of the same document after the list opened that is neither an item nor
a document element (signature, 成文日期, 附注), and that may sit anywhere:
straight after the cut (a line break), or elsewhere where the other column
put it (忻政任〔2024〕20号 in the sample: the remainder 算起。 follows the
lead-in, and the signature and date sit between the items).  Cut items take
the fragment that follows them, else the unused fragments in reading order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from extractors.appointments.grammar import SIGNATURE, parse_clause
from extractors.appointments.lexicon import ends_with_org_suffix, split_top_level
from schemas.patterns import CLOSING_FORMULA, DATE_LINE, DOC_NUMBER_LINE, DOC_TYPES, NOTE_LINE, calendar_date

CUT_AT = "；;。：:"
ITEM_END = "；;。"


@dataclass
class Piece:
    start: int
    end: int
    text: str
    kind: str = "prose"  # lead_in | item | fragment | element | prose
    list_verb: str | None = None  # for items: the verb of their list
    continuation: list["Piece"] = field(default_factory=list)
    used: bool = False

    @property
    def terminated(self) -> bool:
        return self.text[-1:] in ITEM_END

    @property
    def clause(self) -> str:
        """The item with its continuation joined on."""
        return self.text + "".join(part.text for part in self.continuation)


def text_to_pieces(text: str) -> list[Piece]:
    """Cut ``text`` at ；。： outside brackets and at line ends; strip whitespace."""
    pieces = []
    line_start = 0
    for line in text.split("\n"):
        spans = split_top_level(line, CUT_AT)
        for begin, cut in spans[:-1]:
            _add_piece(pieces, line, line_start, begin, cut + 1)  # the piece keeps its ；。：
        _add_piece(pieces, line, line_start, *spans[-1])
        line_start += len(line) + 1
    return pieces


def _add_piece(pieces: list[Piece], line: str, line_start: int, begin: int, end: int) -> None:
    chunk = line[begin:end]
    stripped = chunk.strip(" \t\u3000")
    if not stripped:
        return
    offset = begin + (len(chunk) - len(chunk.lstrip(" \t\u3000")))
    pieces.append(Piece(line_start + offset, line_start + offset + len(stripped), stripped))


# A document title (标题, GB/T 9704-2012 7.3.1) names the matter and ends with
# its type: 关于任命张三同志为市教育局局长的通知 decides nothing itself.
TITLE = regex.compile(rf"(?:关于|的)\p{{Han}}*?(?:{'|'.join(DOC_TYPES)})$")


WHITESPACE = regex.compile(r"\s")


def is_element(piece: Piece) -> bool:
    """Title, signature, 成文日期, 附注, document number, closing formula (GB/T 9704-2012 7.3)."""
    text = piece.text
    if DATE_LINE.match(text) or NOTE_LINE.match(text) or DOC_NUMBER_LINE.match(text) or CLOSING_FORMULA.match(text):
        return True
    if "关于" in text and TITLE.search(text):
        return True
    # 发文机关署名 (7.3.5.1): an organ name alone, Han characters and brackets only
    bare = WHITESPACE.sub("", text)
    return bool(SIGNATURE.match(bare)) and "的" not in bare and "为" not in bare and ends_with_org_suffix(bare)


# A list lead-in ends with its verb and a colon: 决定任命： / 决定免去： / 现聘任如下：
# (a colon after other words, 聘任参事应当依照下列程序：, lists rules, not people).
LEAD_IN = regex.compile(
    r"""(?<!拟|提请|报请|建议|提名|请求|申请|可以|应当|不得|有权|被|予以|负责|依法)
        (?P<verb>任命|聘任|聘请|免去|解聘|撤销|任免)
        (?:如下|以下同志职务)?[：:]$""",
    regex.VERBOSE,
)
# 决定： (现决定：, 经研究，决定：) opens a list whose items carry their own verbs.
DECIDE_LIST = regex.compile(r"(?:^|[，,])(?:现|特|经研究，?)?决定[：:]$")
# A new structural unit (第X条, 一、) ends any list before it.
NEW_UNIT = regex.compile(r"^(?:第[一二三四五六七八九十百零〇两\d]+条|[一二三四五六七八九十]{1,3}、)")


def lead_in_verb(piece: Piece) -> str | None:
    """The verb of a list lead-in (决定任命： → 任命), None if ``piece`` is none."""
    match = LEAD_IN.search(piece.text)
    if match:
        return match["verb"]
    if DECIDE_LIST.search(piece.text):
        return "任免"  # 决定： — the items carry their own verbs (任命X为Y；免去…)
    return None


def classify(pieces: list[Piece]) -> list[Piece]:
    """Mark lead-ins, items, fragments and elements; join cut items to their remainder."""
    list_verb: str | None = None
    opened = False
    for piece in pieces:
        if NEW_UNIT.match(piece.text):
            list_verb = None
        verb = lead_in_verb(piece)
        if verb:
            piece.kind, list_verb, opened = "lead_in", verb, True
            continue
        if is_element(piece):
            piece.kind = "element"
            continue
        records, headed = parse_clause(
            piece.text, None if list_verb == "任免" else list_verb, in_list=list_verb is not None
        )
        if headed:
            piece.kind, piece.list_verb = "item", list_verb
            if list_verb and piece.text[-1:] in "。":
                list_verb = None  # the last item of a list ends with 。
        elif opened:
            piece.kind = "fragment"
    _join_cut_items(pieces)
    return pieces


def _join_cut_items(pieces: list[Piece]) -> None:
    """Join each cut item to its remainder: the fragments right after it, else
    the unused fragments in reading order (two-column interleaving)."""
    cut = [p for p in pieces if p.kind == "item" and not p.terminated]
    for item in cut:
        _take_following_fragments(item, pieces[pieces.index(item) + 1 :])
    spare = iter([p for p in pieces if p.kind == "fragment" and not p.used])
    for item in cut:
        _take_spare_fragments(item, spare)


def _take_following_fragments(item: Piece, following: list[Piece]) -> None:
    """A fragment right after the cut item (only document elements between) continues it."""
    for piece in following:
        if item_clause_terminated(item):
            return
        if piece.kind == "element":
            continue
        if piece.kind != "fragment" or piece.used:
            return
        _continue_with(item, piece)


def _take_spare_fragments(item: Piece, spare: Iterator[Piece]) -> None:
    """Unused fragments, in reading order, continue the cut item until it ends."""
    while not item_clause_terminated(item):
        fragment = next(spare, None)
        if fragment is None:
            return
        _continue_with(item, fragment)


def _continue_with(item: Piece, fragment: Piece) -> None:
    fragment.used = True
    item.continuation.append(fragment)


def item_clause_terminated(item: Piece) -> bool:
    return item.clause[-1:] in ITEM_END


# ---------------------------------------------------------------------------
# Who decided: 经市人民政府2024年8月23日第43次常务会议通过 / 市人民政府决定任命 /
# 国务院任免国家工作人员, with a cited document (忻人任字〔2024〕8号).

MEETING = regex.compile(
    r"""经(?:过)?
        (?P<meeting>[^，,。；;：:（(]{2,80}?会议)     # …第43次常务会议 / …常务委员会第二十二次会议
        (?:审议|研究|讨论)?[，,]?(?:通过|决定|同意)   # …会议通过 / …会议审议，决定
    """,
    regex.VERBOSE,
)
BODY = regex.compile(
    r"""(?:^|(?<=[^\p{Han}])|(?<=经))
        (?P<body>\p{Han}{2,30}?)
        (?:(?:研究|讨论)[，,]?)?(?:决定|任免(?:国家)?工作人员)
    """,
    regex.VERBOSE,
)
MEETING_DATE = regex.compile(r"(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日")
CITED = regex.compile(
    r"(?P<code>\p{Han}{1,14}?)\s*[〔\[［(（【]\s*(?P<year>(?:19|20)\d{2})\s*[〕\]］)）】]\s*第?\s*(?P<serial>\d{1,5})\s*号"
)


@dataclass(frozen=True)
class Decision:
    decided_by: str | None = None
    decided_on: object = None  # datetime.date


def piece_decision(text: str) -> Decision | None:
    """The deciding meeting or body named in ``text``, if any."""
    meeting = MEETING.search(text)
    if meeting:
        decided_by = meeting["meeting"]
        when = MEETING_DATE.search(decided_by)
        decided_on = calendar_date(when["y"], when["m"], when["d"]) if when else None
    else:
        body = BODY.search(text)
        if not body or not ends_with_org_suffix(body["body"]):
            return None
        decided_by, decided_on = body["body"].removeprefix("经"), None
    cited = CITED.search(text)
    if cited:
        decided_by += f"（{cited['code']}〔{cited['year']}〕{cited['serial']}号）"
    return Decision(decided_by, decided_on)
