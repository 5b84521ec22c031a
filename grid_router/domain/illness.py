"""Several people taken ill at once (pure: standard library only): how many, whether they are well
again, and whether a doctor has told it mild.

DESIGN §3 makes people injured or poisoned II at least, and ten or more of them I. Writers grade a
group taken ill at one meal by how it stands: several ill and not yet well is III
("前后五六个人说头晕恶心"), ill and well again is IV ("今天已经好了，也没去医院"), and a group a
doctor has told mild ("五六个人上吐下泻，送卫生院挂水，医生讲没大碍"), or one on its feet and out of
hospital, is III: not the II a drip or a hospital would make it, nor the I of ten or more counted
(people a doctor calls fine are no casualties). Children taken ill stay as their cues make them.
How many make a group is the policy's (`GradeThresholds.several_ill`,
`GradeThresholds.mildly_ill`)."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain.counting import MASS_CASUALTIES, parse_count
from grid_router.domain.wording import first_of

# "前后五六个人说头晕恶心", "四个全拉肚子", "三家人七口，今早全都拉肚子": several people taken ill
# at once (III when the count, the low end of a range, reaches the policy's `several_ill`; three
# to nine are read here, ten or more are mass casualties, `counting.py`).
SEVERAL_ILL: Final = re.compile(
    "(?:([三四五六七八九]|好几|三四|四五|五六|六七|七八|八九)[个口]|仨)"
    "(?:人|学生|工人|小孩|孩子|小朋友|同事|工友)?"
    "(?:[，,](?:今早|今天|早上|现在)?(?:全都|都|全))?"
    "[^，,。；;！!？?]{0,8}?(?:拉肚子|腹泻|呕吐|头晕恶心|恶心|肚子痛|肚子疼|吐了)"
)
# "今天已经好了，也没去医院": people taken ill and well again.
RECOVERED: Final = ("已经好了", "都好了", "现在好了", "都没事了", "已经没事了", "都恢复了")

# A doctor's word that the illness is mild, or a group told on its feet and out of hospital.
_MILD: Final = (
    "问题不大", "没大碍", "没什么大碍", "无大碍", "没有大碍", "不算重", "不严重", "症状比较轻",
    "症状都比较轻", "症状轻", "症状都轻", "症状不重", "症状都不重", "都还能走", "没人进医院",
    "没有人住院", "没人住院",
)  # fmt: skip
# The cues of II that tell only of people ill and cared for (a drip, a clinic, a hospital).
_ILL_AND_CARED_FOR: Final = frozenset(
    (
        "上吐下泻", "挂水", "挂了水", "打点滴", "打吊瓶", "吊水", "输液", "食物中毒", "送卫生院",
        "送去医院", "送到医院", "送医院", "送医", "去医院", "在医院",
    )
)  # fmt: skip
_CHILDREN: Final = ("小朋友", "孩子", "小孩", "学生", "幼儿园", "婴儿", "宝宝", "儿童")
# "一桌五个人", "七八个工人", "5个人": people counted.
_GROUP: Final = re.compile(
    r"(\d+|[二三四五六七八九十]|五六|六七|七八|八九|十几|十来|二十几|二十来)[个名位]?"
    "(?:人|同事|工人|工友|员工|老人|客人|村民)"
)


def low_end(count: str) -> int:
    """A count of a few ("好几", 3) or the low end of a range ("五六", 5)."""
    if count.isdigit():
        return int(count)
    if count == "好几":
        return parse_count(count) or 0
    if count.startswith(("十", "二十")):  # "十来", "二十几": the tens
        return parse_count(count.rstrip("几来")) or 0
    return parse_count(count[0]) or 0  # "五六": the low end


def several_ill(text: str, several: int) -> list[re.Match[str]]:
    """Where `text` tells at least `several` people taken ill at once and not yet well."""
    if not ("个" in text or "仨" in text or "口" in text) or first_of(RECOVERED, text):
        return []
    return [m for m in SEVERAL_ILL.finditer(text) if low_end(m.group(1) or "三") >= several]


def told_mild(text: str, raised: list[str], group: int) -> str | None:
    """The doctor's word, when the II or I a report reads is only of people ill and cared for or
    counted, at least `group` people counted in the report, no children, and the illness is told
    mild (then the report is III: people a doctor calls fine are no casualties)."""
    mild = first_of(_MILD, text)
    if mild is None or first_of(_CHILDREN, text) is not None:
        return None
    # ("十来个人肚子痛…都去村卫生所挂水了，医生说问题不大": counted, told mild, no casualties.)
    counted = any(MASS_CASUALTIES in why for why in raised)
    grave = [
        why.rsplit("→", 1)[0]
        for why in raised
        if why.endswith(("→II", "→I")) and MASS_CASUALTIES not in why
    ]
    if not (grave or counted) or any(phrase not in _ILL_AND_CARED_FOR for phrase in grave):
        return None
    if max((low_end(m.group(1)) for m in _GROUP.finditer(text)), default=0) < group:
        return None
    return mild
