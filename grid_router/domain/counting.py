"""Grades raised by counts (pure: standard library only): numbers of people or households
written every way ("十几个学生上吐下泻", "三十多名工人聚集", "几百户停水"), compared with the
policy's thresholds (`grading.counts`, DESIGN §3's defaults)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from grid_router.domain.model import Severity
from grid_router.domain.speech import CLAUSE_BREAKS, HISTORY, HYPOTHETICAL
from grid_router.domain.wording import first_of


@dataclass(frozen=True, slots=True)
class GradeThresholds:
    """How many people or households make a grade (the policy's `grading.counts`)."""

    mass_casualties: int = 10  # injured or poisoned people that make it I
    gathering: int = 30  # people gathered (聚集, 围堵) that make it III
    outage_households: int = 100  # households without water, power or gas that make it III
    several_ill: int = 3  # people taken ill at once, not yet well, that make it III (3 to 9)
    mildly_ill: int = 5  # people taken ill and told mild that make it III, not II or I


# A count of ten or more: two digits, or 十, 百 or 千 (with the default thresholds, none below
# ten makes a grade).
_TEN_OR_MORE: Final = re.compile(r"\d\d|[十百千]")
_CN_DIGITS: Final = {ch: i for i, ch in enumerate("零一二三四五六七八九")} | {"两": 2}
_CN_UNITS: Final = {"十": 10, "百": 100, "千": 1000}
_COUNT_RE: Final = re.compile(
    # ("玩高空秋千": a swing, no thousand.)
    r"(?<!秋)(?:约|大约|近|超过|至少|有)?"
    r"(\d+|十好几|[零一二两三四五六七八九十百千几数]+|好几|上百|上千)"
    r"(?:多|余|来)?"
)
_PEOPLE: Final = (
    "人", "名", "个", "位", "学生", "小孩", "孩子", "工人", "员工", "同事", "村民", "居民", "业主",
    "农民工",
)  # fmt: skip
_INJURED: Final = (
    "受伤", "伤", "中毒", "送医", "医院", "住院", "呕吐", "吐", "腹泻", "拉肚子", "上吐下泻",
    "肚子痛", "肚子疼", "不适", "头晕", "发烧", "过敏", "呼吸困难", "昏迷", "晕倒", "不省人事",
    "抽搐", "烧伤", "烫伤", "挂彩", "红疹", "起疹", "皮疹", "起泡", "喘不上气", "喘不过气", "胸闷",
    "挂水", "输液", "打点滴", "吊瓶", "躺在地上", "倒在地上", "躺着不动", "呛到", "被烟呛",
    "被抬出来", "吸了烟", "都倒了", "吸氧", "洗胃", "人倒在", "呛烟的", "呛伤", "吸入浓烟",
    "被撞倒", "被撞伤", "又吐又拉", "在吐",
)  # fmt: skip
# "十一名学生咳嗽、流泪，全部送医": taken to hospital, told in the same sentence.
_HOSPITAL: Final = (
    "送医", "送到医院", "送往医院", "送去医院", "拉到医院", "住院", "送到卫生院", "送到镇卫生院",
    "送卫生院", "救护车拉走", "救护车送走", "120拉走", "救护车来了",
)  # fmt: skip
# "二十几个被救护车拉走了": 个 followed by being taken to hospital counts people.
_TAKEN_AWAY: Final = ("被救护车", "被120", "被送")
_SENTENCE_ENDS: Final = frozenset("。！!？?；;\n")
# What may follow a count's 个 without naming a thing ("三十多个，" counts people told before).
_COUNT_ENDS: Final = _SENTENCE_ENDS | {"，", ",", "、", " ", ""}
_GATHERED: Final = (
    "聚集", "堵", "围", "拉横幅", "拉了横幅", "静坐", "讨薪", "讨说法", "上访", "闹事", "对峙",
    "坐在路上", "拦", "维权", "占", "举着", "聚", "冲突",
)  # fmt: skip
# "几十个业主在群里说要去物业办公室讨说法": people counted in a chat group are not gathered.
_ONLINE: Final = ("在群里", "群里说", "微信群里", "在网上")
_HURT_BEFORE: Final = (
    "伤了", "受伤", "伤", "中毒了", "中毒", "送医", "住院了", "呕吐", "腹泻", "上吐下泻", "拉肚子",
    "倒了", "晕倒了", "放倒了", "撞了", "撞倒了", "撞倒", "撞伤了", "送医院的", "送医的", "住院的",
    "医院收了", "医院收治了", "收治了", "送去医院", "送到医院", "送医院", "送往医院", "医院里",
    "送到医院的", "送去医院的", "就医", "烧到", "烫到", "炸到", "砸到", "急诊收了", "急诊已经收了",
    "救护车拉走了", "救护车送走了", "120拉走了", "院已经收了", "院已收了", "伤员", "伤者",
    "压了", "压住了", "医院里已经收了", "医院里收了",
    # "医院里已经住进去十几个村民"; "听说抬出来十几个人"; "医院那边说一共收了十二个".
    "一共收了", "总共收了",
    "抬出来", "抬出来了",
    "医院里已经住进去", "医院里住进去", "医院里已经住进了", "医院里住进了", "医院已经住进了",
    "医院住进了",
)  # fmt: skip
_HEDGES: Final = ("估计", "大概", "大约", "初步统计", "目前", "起码")
# "四十几个人都没受伤": harm denied of those counted.
_DENIED_BEFORE: Final = ("没", "没有", "未", "无", "不")
# "送到翔安医院的已经有二十多人": a named hospital, those sent there counted.
_SENT_TO_A_HOSPITAL: Final = re.compile(
    "送(?:到|去|往|进)?[^，,。；;！!？?]{0,6}(?:医院|卫生院)的(?:已经|已)?(?:有|达)?$"
    # "卫生院载去的有十七八个", "医院说送去十二个人": a hospital, those it took counted.
    "|(?:医院|卫生院)[^，,。；;！!？?]{0,3}(?:载|拉|送)(?:去|走|来)(?:的)?(?:已经|已)?(?:有|达)?$"
    # "卫生院那边已经收了十二名": those a hospital took in.
    "|(?:医院|卫生院)[^，,。；;！!？?]{0,4}?(?:已经|已)?(?:收了|收治了?|接收了?)$"
)
# "受伤的有十二三个", "就医人数二十三人": how the count of the harmed is introduced.
_COUNT_OF_HARMED: Final = (
    "的有", "的共有", "的", "人数", "人数为", "人数达", "者已达", "者达", "者已有", "者有",
)  # fmt: skip
_FELL_BEFORE: Final = ("倒了", "晕倒了", "放倒了", "撞倒")
_STRUCK: Final = ("撞倒了", "撞倒")
# How the words after a count's 个 end when they name people: a person, or those who do
# something ("等灯的").
_PEOPLE_AT_END: Final = (*(p for p in _PEOPLE if p not in ("名", "个", "位")), "的")
# "好多孩子肚子疼呕吐，全校加起来有十来个": a total of the people whose harm the sentence told.
# ("…很多被烟呛到，我们现场看的加上送走的有十几个": those taken away, counted with the rest.)
_TOTAL_BEFORE: Final = (
    "加起来", "一共", "总共", "合计", "总计", "加在一起", "送走", "拉走", "抬走", "一开始",
    "数了下", "数了一下", "数了数",
)  # fmt: skip
# "大树倒了把宿舍的铁门压住了，二十几个人关在里面": a thing pressed, not people.
# ("卷帘门压住了两个工人": the door pressed the people.)
_THING_PRESSED: Final = re.compile(
    "把[^，,。；;！!？?]{0,10}(?:门|出口|通道)(?:给)?压(?:住)?了[，,、 ]*$"
)
# "中毒送医的居民有12人": the harmed, named before their count.
_HARMED_NAMED: Final = re.compile(
    "(?:中毒|受伤|送医|住院|就医)的(?:居民|村民|工人|学生|人员|群众|人)?(?:已经|已)?(?:有|达|共)?$"
)
# "卫生院里已经躺了十来个": lying in a place of care are patients…
_LYING: Final = ("躺了", "躺着")
# …and "撞了一路，地上躺了十来个", "撞倒一大片，我数了一下地上躺着的起码十几个": lying where
# something struck them, told in the same sentence.
_LYING_WHERE: Final = (
    "医院", "卫生院", "急诊", "诊所", "卫生室", "病房", "撞", "砸", "炸", "砍", "捅", "钢管",
    "群架", "斗殴", "打架",
)  # fmt: skip
# A next clause that opens with harm tells the harm of all the people counted ("，上吐下泻"); one
# character alone says too little ("，伤心得很", "，吐槽说"), and "，受伤的有两个" tells of some.
_HARM_OF_ALL: Final = tuple(w for w in _INJURED if len(w) > 1 and w != "医院")
# "，都", and "，现在全在吐" ("十二个工人中午吃了同一家的盒饭，现在全在吐"): all of them, now.
_ALL_OF_THEM: Final = re.compile("[，,](?:现在|目前|今早|今天|早上|下午|晚上|半夜)?(?:都|全|均)")
_HARM_OF_SOME: Final = tuple(f"{w}的" for w in _HARM_OF_ALL)
GATHERING_REACH: Final = 30  # characters after the count where the gathering is told
_OUTAGE: Final = ("停水", "停电", "没水", "没有水", "没电", "停气", "断水", "断电")


_NOT_NOW: Final = HYPOTHETICAL + HISTORY
MASS_CASUALTIES: Final = "mass casualties"  # how a count that makes it I is named
_FLED: Final = ("跑", "逃", "疏散", "撤")
_OTHER_COUNT: Final = re.compile("[\\d一二两三四五六七八九十几]+(?:名|个|位)")
_RANGE: Final = re.compile("([一二两三四五六七八九])[一二两三四五六七八九](?=[十百千])")


def parse_count(token: str) -> int | None:
    """'十几' → 11, '三十' → 30, '二十' → 20, '12' → 12, '好几' → 3 (the honest low end)."""
    if token.isdigit():
        return int(token)
    if token == "上百":
        return 100
    if token == "上千":
        return 1000
    if token in ("几", "数", "好几"):
        return 3
    if token == "十好几":
        return 13
    # "二三十", "四五十": a range; its honest low end is the first figure ("二十", "四十").
    token = _RANGE.sub(lambda m: m.group(1), token)
    total, current = 0, 0
    for ch in token:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in ("几", "数"):
            current = 3 if total == 0 and current == 0 else 1
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return total + current


# Whether a unit of people or households follows a count where `counted_cues` looks for one
# (after 多/余/来/几, at once or after a measure word): one match rules most numbers out.
_UNIT_NEAR: Final = re.compile(
    "[多余来几]*(?s:.)?(?:" + "|".join(map(re.escape, (*_PEOPLE, "户"))) + ")"
)


def _told_before(text: str, m: re.Match[str]) -> str:
    """The words just before a count, without what only introduces it ("受伤的有十二三个",
    "就医人数二十三人": the 数 of 人数 is no count of its own)."""
    start = m.start()
    if m.group().startswith("数") and text[start - 1 : start] == "人":
        start += 1
    told = text[max(0, start - 8) : start].rstrip("，,、 ").removesuffix("已经")
    # "伤员估计有十二三个": a hedge before the count.
    told = next((told.removesuffix(h) for h in _HEDGES if told.endswith(h)), told)
    if told.endswith(_COUNT_OF_HARMED):
        told = told.removesuffix(next(w for w in _COUNT_OF_HARMED if told.endswith(w)))
    return told


def _harm_of_all(after: str) -> bool:
    """Whether the words after a count tell harm to those counted, not to a smaller count within
    ("打牌的十来个人里有六七个肚子痛呕吐"), nor deny it ("四十几个人都没受伤")."""
    hurt_at = min((after.find(w) for w in _INJURED if w in after), default=-1)
    if hurt_at < 0 or after[max(0, hurt_at - 2) : hurt_at].endswith(_DENIED_BEFORE):
        return False
    return _OTHER_COUNT.search(after, 0, hurt_at) is None


def _sentence_start(text: str, at: int) -> int:
    while at > 0 and text[at - 1] not in _SENTENCE_ENDS:
        at -= 1
    return at


def counted_cues(text: str, thresholds: GradeThresholds) -> list[tuple[Severity, str]]:
    """Grades raised by numbers of people or households ("十几个学生上吐下泻" → I)."""
    lowest = min(thresholds.mass_casualties, thresholds.gathering, thresholds.outage_households)
    if lowest >= 10 and _TEN_OR_MORE.search(text) is None:
        return []  # no count of ten or more (most reports): none can reach a threshold
    return _counted(text, thresholds)


def _counted(text: str, thresholds: GradeThresholds) -> list[tuple[Severity, str]]:
    found: list[tuple[Severity, str]] = []
    for m in _COUNT_RE.finditer(text):
        if _UNIT_NEAR.match(text, m.end()) is None:
            continue  # no people or households counted ("一直", "三天"): most numbers
        n = parse_count(m.group(1))
        if n is None or n < 2:
            continue
        rest = text[m.end() :].lstrip("多余来几")
        units = (*_PEOPLE, "户")
        # "三十个工人": the unit may follow a measure word.
        # ("停车费从一百涨到三百，业主…": no measure word is a punctuation mark.)
        unit = next((u for u in units if rest.startswith(u)), None) or next(
            (u for u in units if rest[1:].startswith(u) and rest[:1] not in CLAUSE_BREAKS), None
        )
        if unit is None:
            continue
        clause_end = m.end()
        while clause_end < len(text) and text[clause_end] not in CLAUSE_BREAKS:
            clause_end += 1
        after = text[m.end() : clause_end]
        # "二十几个人，都在吐", "来了十二个小学生，上吐下泻": the harm of all of them may be the
        # next clause, when it has no subject of its own.
        if _ALL_OF_THEM.match(text, clause_end) or (
            text.startswith(("，", ","), clause_end)
            and text.startswith(_HARM_OF_ALL, clause_end + 1)
            and not text.startswith(_HARM_OF_SOME, clause_end + 1)
        ):
            next_end = clause_end + 1
            while next_end < len(text) and text[next_end] not in CLAUSE_BREAKS:
                next_end += 1
            if not any(w in text[clause_end:next_end] for w in ("没", "无", "未", "不")):
                after = text[m.end() : next_end]
        before = text[max(0, m.start() - 6) : m.start()]
        if first_of(_NOT_NOW, before) is not None:
            continue
        if unit == "户":
            if n >= thresholds.outage_households and first_of(_OUTAGE, after) is not None:
                found.append((Severity.III, f"{m.group()}户 without water/power/gas"))
            continue
        # "伤了十几个", "呕吐腹泻，十来个人": the harm may be told just before the count.
        told_before = _told_before(text, m)
        sent = _SENT_TO_A_HOSPITAL.search(text, _sentence_start(text, m.start()), m.start())
        hurt_before = (
            (
                told_before.endswith(_HURT_BEFORE)
                and not _THING_PRESSED.search(text, max(0, m.start() - 16), m.start())
            )
            or sent is not None
            or _HARMED_NAMED.search(text, max(0, m.start() - 12), m.start()) is not None
            or (
                told_before.endswith(_LYING)
                and first_of(_LYING_WHERE, text[_sentence_start(text, m.start()) : m.start()])
                is not None
            )
        )
        if (
            not hurt_before
            and told_before.endswith(_TOTAL_BEFORE)
            # "拉走十二个了，", "医院加起来二十多个人了，"
            and rest[1:].removeprefix("人").removeprefix("了")[:1] in _COUNT_ENDS
            and first_of(_HARM_OF_ALL, text[_sentence_start(text, m.start()) : m.start()])
        ):
            hurt_before = True
        # "撞倒了十几个下班的工人", "撞倒了十几个等灯的": people struck, named at the clause's end.
        struck_people = told_before.endswith(_STRUCK) and after.endswith(_PEOPLE_AT_END)
        if (
            told_before.endswith(_FELL_BEFORE)
            and unit == "个"
            and not rest[1:].startswith(_PEOPLE)
            and rest[1:2] not in _COUNT_ENDS
            and not struck_people
        ):
            hurt_before = False  # "倒了二十多个铁桶": things poured, not people fallen
        sentence_end = clause_end
        while sentence_end < len(text) and text[sentence_end] not in _SENTENCE_ENDS:
            sentence_end += 1
        # "十几个铁桶…送医院": 个 counts people only when people follow it.
        people = unit != "个" or rest[1:].startswith((*_PEOPLE, *_TAKEN_AWAY)) or struck_people
        # "堆了几十个液化气瓶": 个 followed by a thing counts no people ("三十多个，" may).
        things = not people and rest[1:2] not in _COUNT_ENDS
        # "几十个人往外跑，3名客人…送医了", "十来个人一起吃了盒饭，现在有四五个吐得厉害…120拉走了
        # 俩": the hospital is told of others, counted after ("好多小朋友发烧拉肚子，二十多个孩子
        # 请假了，有几个住院了": harm told before the count is of those counted).
        told_to = text[m.end() : sentence_end]
        at = min((told_to.find(w) for w in _HOSPITAL if w in told_to), default=-1)
        sentence_start = _sentence_start(text, m.start())
        others = _OTHER_COUNT.search(told_to, 0, at) and not first_of(
            _HARM_OF_ALL, text[sentence_start : m.start()]
        )
        hospital = people and at >= 0 and not others
        if n >= thresholds.mass_casualties and (hurt_before or hospital or _harm_of_all(after)):
            found.append((Severity.I, f"{m.group()}{unit}… {MASS_CASUALTIES}"))
        elif (
            not things
            and n >= thresholds.gathering
            and (gathered := first_of(_GATHERED, text[m.end() : m.end() + GATHERING_REACH]))
            and first_of(_ONLINE, text[m.end() : text.index(gathered, m.end())]) is None
        ):
            found.append((Severity.III, f"{m.group()}{unit}… gathering"))
    return found
