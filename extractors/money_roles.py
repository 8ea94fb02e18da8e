"""What an amount is: its ``role``, read from the clause's grammar.

An amount is either money that changes hands (spending or charging) or a number
an applicant or an offence is measured against (a ``criterion``).  The rule
table below is tried in order; the first rule that fires decides.

=========  =====================================================================
rule       fires when
=========  =====================================================================
fine       罚款/罚金/违约金/赔偿 is the object after the amount
           (处五千元以上一万元以下罚款) or the penalty verb before it (罚款X元)
criterion  the amount is the value of a comparison (a ``thresholds`` row:
           以上/不低于/不少于/达到/超过/不足 …) and no money word is its object
           after it (主营业务收入5亿元以上, 仪器设备原值不低于100万元); an upper
           bound of a money word before it stays that money (补贴最高不超过50万元), and
           so does any bound on an award or subsidy (奖金最低不少于3000元)
spending   the first money word in the object after the amount (给予10万元建设经费
           支持 → grant), else the last one in the clause before it (另奖励5万元 →
           award; 每个采暖季补贴300元/户 → subsidy):

           * award    奖励, 奖金, 奖 (一等奖10万元)
           * subsidy  补贴, 补助, 津贴
           * grant    支持, 资助, 扶持, 经费 (the State funds a project)
           * fee      费 (收费, 土地闲置费), 收取, 征收, 交纳/缴纳, 租金, 税
           * budget   预算, 投资, 投入, 资金安排, 安排…资金
other      none of the above
=========  =====================================================================

Spending roles are summed per role by ``money_by_document``; criteria are shown
apart and never summed.
"""

from __future__ import annotations

from typing import Literal

import regex

Role = Literal["subsidy", "award", "grant", "fee", "fine", "budget", "criterion", "other"]
SPENDING_ROLES: tuple[str, ...] = ("subsidy", "award", "grant", "fee", "budget", "fine", "other")
CLAUSE_BREAKS = "，,。；;：:\n"

# The object after the amount names a penalty: 处1万元以上5万元以下[罚款]; 并处[罚金]
FINE_AFTER = regex.compile(r"罚款|罚金|违约金|滞纳金|赔偿金")
# The penalty verb before the amount: 罚款5000元, 处以…罚款 is caught after
FINE_BEFORE = regex.compile(r"罚款|罚金|并处|处以")
# Money words, first match wins within one text; each alternative is a role.
MONEY_WORD = regex.compile(
    r"""(?P<award>奖励|奖金|等奖|奖)                     # 另奖励5万元; 一等奖10万元
      | (?P<subsidy>补贴|补助|津贴)                      # 每个采暖季补贴300元/户
      | (?P<grant>资助|扶持|经费|支持)                   # 给予10万元建设经费支持
      | (?P<fee>收费|[^经]费|收取|征收|交纳|缴纳|租金|税款)  # 土地闲置费, 每件交纳50元 (经费 is a grant)
      | (?P<budget>预算|投资|资金安排|安排.{0,6}资金)      # 安排专项资金5000万元
    """,
    regex.VERBOSE,
)
# A comparison that makes a number a condition (not a cap on what is paid out)
CONDITION_OPS = {">=", ">", "<"}
# Money paid to the applicant: a floor on it is still that money (奖金最低不少于3000元),
# while a floor on the applicant's own 经费/投入/费用 is a condition (研发经费投入达50万元以上)
PAID_TO_APPLICANT = {"award", "subsidy"}


def money_word_role(text: str, last: bool = False) -> str | None:
    """The role of the first (or ``last``) money word in ``text``."""
    matches = list(MONEY_WORD.finditer(text))
    if not matches:
        return None
    match = matches[-1] if last else matches[0]
    return match.lastgroup


def role_of(before: str, after: str, compared_op: str | None) -> str:
    """The role of an amount from the clause ``before`` it, the object ``after`` it
    and the operator of the comparison it is the value of (None when not compared)."""
    if FINE_AFTER.search(after) or FINE_BEFORE.search(before[-8:]):
        return "fine"
    after_role = money_word_role(after)
    if compared_op is not None and after_role is None:
        before_role = money_word_role(before, last=True)
        if before_role in PAID_TO_APPLICANT or (before_role is not None and compared_op not in CONDITION_OPS):
            return before_role
        return "criterion"
    return after_role or money_word_role(before, last=True) or "other"
