"""Deaths told in words (pure: standard library only): counts of the dead ("一死两伤"), people
gone ("师傅没了", "送到医院已经走了"), found or dug out gone, and people who did not get out of a
fire. `grading.GradeReader` reads each match as a cue of harm (grade I) and asks
`discounts.why_discounted` whether it counts where it stands."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from grid_router.domain import cues
from grid_router.domain.past import PASSED_RE
from grid_router.domain.speech import HISTORY
from grid_router.domain.subjects import animal_told_last
from grid_router.domain.wording import first_of

# "一死两伤", "3死5伤", "一个死三个伤", "一死两住院": a count of the dead.
_N_DEAD_RE: Final = re.compile(
    r"[一二两三四五六七八九十几\d]+(?:个|名)?死"
    r"(?=[一二两俩三四五六七八九十几多\d]+(?:个|名|人)?(?:[重轻]?伤|住院|送医)|亡|$|[，,。；;！!])"
    r"|死了(?:好几|几|[\d一二两三四五六七八九十])+(?:个|名|位|人)"
)


# When today (or last night) someone died: "今天早上", "昨晚", "凌晨", or nothing.
_WHEN_TODAY: Final = "(?:今早|昨晚|(?:今天|昨天|前天)?(?:早上|上午|中午|下午|晚上|凌晨|夜里|半夜)?)"


# "师傅没了", "送到医院已经走了": gone, said of a person or of someone taken to hospital.
_GONE_RE: Final = re.compile(
    r"(?:师傅|老板娘|老板|孩子|小孩|老人|工人|司机|租户|大人|男的|女的|阿伯|阿婆|老伯|大爷|老汉|工友"
    r"|船员|渔民|船老大|租客|做工的|打工的|干活的|老奶奶|老爷爷|村民"
    r"|[一两俩仨\d]个人?|[三四五六七八九十几]个人"
    # "消防的讲有俩没了": 俩 and 仨 are counts of people on their own.
    r"|(?<=有)[俩仨])"
    # "三个老人一起喝，一个今天早上没了"; "下去两个救，三个人全没了".
    rf"[，,]?{_WHEN_TODAY}"
    # ("毒气飘到村子，早上村里一个老人在家里没了".)
    r"(?:在(?:家里?|家中|屋里|床上))?"
    # ("一户老人喝了以后没了", "村里一个老人吸了以后没了".)
    r"(?:(?:喝|吃|吸|闻)了(?:以后|之后|后)?)?"
    r"(?:当场|已经|都|就|也|全)*没了"
    # ("有个上山扑火的村民没了……").
    r"(?=$|[，,。.；;！!？?\s”\"’」…])"
    # ("被雷劈了，抢救了半个多小时还是没了".)
    # ("送到卫生院就没了", "昨天送进ICU，今天早上走了".)
    r"|(?:医院|卫生院|诊所|ICU|重症|抢救|救护车|120|心肺复苏)[^。；;！!？?]{0,8}"
    # ("送到医院今早走了".)
    r"(?:已经|就|还是|(?:今早|今天早上|凌晨|早上|半夜|夜里)就?)(?:走了|没了|没救了)"
    # "救护车到了说没了", "120来看了说没救了".
    r"|(?:医院|抢救|救护车|120|心肺复苏|医生|村医)[^。；;！!？?]{0,8}?(?:说|讲)(?:人)?(?:已经)?没(?:救)?了"
    r"(?=$|[，,。.；;！!？?\s])"
    # "村医来了说人已经走了" (not "医生来看过，已经走了": the doctor left).
    r"|(?:医生|村医|医护人员|急救的人|急救人员)[^。；;！!？?]{0,6}(?:说|讲)(?:人)?(?:(?:已经|就)(?:走了|没了|不行了)|没救了)"
    # "已经抬出来两具": bodies (具 counts the dead).
    r"|(?:抬出来|抬出|捞上来|捞出来|挖出来|挖出)(?:了)?[一两二三四五六七八九十几\d]+具"
    # "海边今早漂上来一个人": a body washed up.
    r"|(?:漂|浮)上来(?:了)?(?:一|两|几)(?:个人|具)"
    # "消防员从二楼抬出来两个人，盖着白布".
    r"|(?:抬出来|抬出|拉出来|捞上来|捞起来)[^。；;！!？?]{0,8}?盖(?:着|上了|上|了)白布"
    # "被捅数刀，120到场后盖上了白布".
    # ("救护车拉走的时候盖着白布".)
    r"|(?:120|医生|救护车|急救)[^。；;！!？?]{0,8}?盖(?:上了|上|着)白布"
    # "老伯在那边倒下，送去就没了": taken to hospital, and gone.
    r"|送(?:去|过去|到)就没了"
    # "喝了散装白酒，昨晚三个人不舒服，今早一个走了，另外两个在第三医院": one of those counted,
    # gone this morning, the others in hospital.
    r"|(?:今早|今天早上|凌晨|早上|昨晚|半夜|夜里)[，,]?有?[一两\d]个(?:人)?(?:已经)?走了"
    r"(?=[，,][^。；;！!？?]{0,8}?(?:医院|抢救|ICU))"
    # "人躺在客厅里一动不动，身上好几个刀口，已经凉了": lying still, and cold.
    r"|(?:一动不动|不动了|倒在地上|躺在地上)[^。；;！!？?]{0,16}?已经(?:凉了|硬了)"
    # "在礁石边看到一具男的，身上有刀口": a body (具 counts the dead).
    r"|(?:看到|发现|有)(?:了)?[一两几\d]具(?:男的|女的|男尸|女尸|尸体|遗体|人)"
    # "消防在里面找到一个老人，已经走了": a person found, and gone.
    r"|找到(?:了)?(?:[一两\d][个名])?(?:人|老人|老伯|老太|阿伯|阿婆|阿公|阿嬷|男的|女的|孩子|小孩|工人)"
    r"[，,]?(?:人)?已经(?:走了|没了|死了|不在了)"
    # "喝了几口，晚上就不行了，今天一早走了": failing, then gone.
    r"|不行了[，,][^。；;！!？?]{0,6}?(?:走了|没了)"
    # "被胡蜂群蜇了，抬下来没多久就没了": carried down, and gone.
    r"|(?:抬下来|抬出来|背下来|背出来|送下山)[^，,。；;！!？?]{0,5}?就没了"
    # "买了祖传神药…吃了两天人就没了": gone after taking something, a few days on.
    r"|(?:吃了|喝了|服了|用了)[^，,。；;！!？?]{1,4}?人就没了"
    # "两个工人喝了，一个今天早上没醒过来，死了": did not wake after drinking, and is dead.
    r"|(?:吃了|喝了|服了|吸了)[^。；;！!？?]{0,16}?(?<!还)没(?:能|有)?醒过来[，,]?(?:人)?(?:已经|就)?死了"
    # "今天早上警察来了，邻居说死人了": a death told by others.
    r"|(?:说|说是)死人了"
    # "出租房着火死人了" ("吓死人了" is a figure of speech).
    r"|(?:着火|失火|火灾|爆炸|车祸|事故|出事|塌了)(?:了)?死(?:了)?人"
    # "气体把一个下去捡东西的老人熏死了" ("臭得熏死了" is a figure of speech).
    # ("味道能把人熏死" is one too.)
    r"|(?<![能要会快得])把[^，,。；;！!？?]{0,12}?(?:人|工人|老人|孩子|小孩|[伯婆公嬷])(?:给)?"
    r"[熏闷呛]死了"
    # "男的把女的杀了" (not "要把他杀了", a threat).
    r"|(?<![要想会])把(?:他|她|人|男的|女的|老婆|老公|妻子|丈夫|孩子|小孩|女人|男人|对方)(?:给)?杀了"
    # "警察说他死了".
    r"|(?:警察|民警|医生|120)说(?:他|她|人)(?:已经)?死了"
    # "抽水抽出来，发现一名车主在车里已经不在了": found, and no longer alive.
    r"|发现[^。；;！!？?]{0,12}?(?:人|车主|司机|老人|孩子|小孩|男子|女子|工人|租客|住户|[一两\d][名个])"
    r"[^，,。；;！!？?]{0,6}?已经不在了"
)


# What a text must hold for `_GONE_RE` and `_LEFT_RE` to match at all: most reports hold none,
# and a few substring tests are much cheaper than the patterns.
_GONE_NEEDS: Final = (
    "没了",
    "走了",
    "不行了",
    "白布",
    "上来",
    "死",
    "杀了",
    "不在了",
    "没救了",
    "具",
    "凉了",
    "硬了",
)
_LEFT_NEEDS: Final = ("走了", "没了", "不在了", "死了", "救上来", "醒过来")


# "有3名工人没跑出来死了", "有两个死了", "司机死了", "昨天在医院死了": a person, or a hospital,
# named just before "死了" ("吓死了", "累死了" are figures of speech, ruled out by the character
# before 死).
_DIED_RE: Final = re.compile(
    r"(?:人|工人|司机|师傅|孩子|小孩|老人|男的|女的|者|[一两俩仨三四五六七八九十\d]+[名个]|医院|抢救"
    r"|租客|租户|房客|船员|渔民|村民|男子|女子|工友|住户"
    r"|阿[伯婆公嬷爷奶叔姨]|老[伯婆爷奶]|老太|大爷|大妈|叔叔|阿姨|伯伯|爷爷|奶奶|大叔|大哥|大姐"
    rf"|{cues.NAME_AND_KIN})"
    # "人出门要淹死了": between them no 要 or 快 (a fear, not a death).
    r"(?:(?![要快])[^，,。.；;！!？?\s]){0,6}?(?:已经|都|也|当场|就)?"
    # "大爷早上被发现死在棚子里": found dead somewhere.
    # ("买了一个说难吃死了": a taste, a figure of speech.)
    r"(?:(?<![" + "".join(sorted(cues.FIGURE_BEFORE_DEATH)) + r"])(?<!难吃|好吃)死(?:(?:掉)?了|在)"
    # "他奶奶被烟呛死在里面了".
    rf"|(?<=[呛熏闷]){cues.DIED_IN_A_PLACE})"
)


# "今天早上在下游找到，已经没有了", "挖出来时两个都已经走了": found or dug out, and gone.
_GONE_WHEN_FOUND: Final = (
    # ("抬出来一个，听旁边的人说已经没救了".)
    r"[^。；;！!？?]{0,12}?"
    # ("拉上来两名已经没气，一名还在抢救".)
    r"(?:(?:已经|都)(?:没(?:有)?了|走了|没气了?(?!味)|不在了|去世了)|没救了|不行了|盖着(?:白)?布"
    r"|盖上(?:了)?白布"
    # ("已经挖出来一个，是死的"; "消防说那两个已经找到，没了".)
    r"|是死的|(?:已经)?死了|(?<=[，,])没了(?=$|[，,。；;！!？?]))"
)
_FOUND_GONE_RE: Final = re.compile(
    r"(?:找到|捞上来|捞起来|捞出来|挖出来|救上来|拉上来|拉起来|抬出来|弄上来|弄出来)"
    + _GONE_WHEN_FOUND
)
# "水库今天早上捞上来一个人，是昨天傍晚去野泳没回家的": a person fished out of the water is
# dead, as writers read it (47 of 48 training reports), unless being revived.
_FISHED_OUT_RE: Final = re.compile(
    r"(?:捞上来|捞起来|捞出来|打捞上来)了?(?:一个|一名|一具)(?:人|男的|女的|男子|女子|老人|小孩)"
)
# Dug or fished out, even with no harm or danger told before: nobody is dug out of nothing
# ("货物抬出来了，盖着布" is goods).
_DUG_OUT_GONE_RE: Final = re.compile(
    r"(?:捞上来|捞起来|捞出来|挖出来|救上来|拉上来|拉起来)" + _GONE_WHEN_FOUND
)


# "被冲走…今天早上找到了，人已经走了": after harm or danger told, "gone" is a death.
# "烧的人走了": whoever did it has left. "去世" after poisoning or an accident is a death; alone
# it is most often an elder's natural death, which is not graded.
_LEFT_RE: Final = re.compile(
    # ("消防来讲两个人攏走了": Minnan 攏, 拢 for 都.)
    r"(?<!的)人(?:已经|都|攏|拢|也|在医院|还是)?(?:走了|没了|不在了)"
    # "老人被压在下面，今天早上确认已经走了".
    r"|确认(?:人)?(?:已经)?(?:走了|没了)"
    # "甲醇兑的，已经走了1个"; "车里的人没能出来，早上抽水才发现，已经走了".
    r"|(?:已经|刚)走了[一两二三四五六七八九十\d]+个"
    r"|没能出来[^。；;！!？?]{0,12}?已经(?:走了|没了|死了)"
    r"|(?:男的|女的|老人|老太太|老太|大爷|阿伯|阿婆|阿公|阿嬷|师傅|孩子|小孩"
    # "阿福伯今早没了": 阿, a name, and 伯.
    r"|阿[\u4e00-\u9fff][伯婆公嬷]"
    # "老林今天早上走了": 老 and a family name (not 老板, 老乡, 老师…).
    rf"|{cues.FAMILY_MEMBERS}|{cues.OLD_AND_A_NAME}){_WHEN_TODAY}(?:在医院|喘不上气)?"
    r"(?:当场|已经|都|也|就)*(?:走了|没了)"
    # ("老伴走了十来年", "外婆走了才三个月": long ago; "父亲走了以后": the time after.)
    r"(?!(?:才|刚|已经)?[一二两三四五六七八九十几好多\d]*来?(?:年|个月)|以后|之后)"
    # ("盐度掉下来，死了一半": a measure fell, not a person.)
    r"|(?<![度价格温位量率])(?:掉下来|摔下来|坠落|被撞|被砸|被埋)[^。；;！!？?]{0,4}[，,](?:人)?"
    r"(?:已经|当场)?死了"
    r"|(?:掉下来|摔下来|掉下去|摔下去|坠落)(?:当场|就)*死了"
    # "阿伯被雷劈到，已经走了", "阿公…被雷劈了，村医来看已经没了", "有个阿伯在田里收花生，被雷
    # 劈到了，抬回来已经没了" ("…抬回来已经没了力气": weak, not gone).
    r"|(?:人|[伯公婆嬷叔爷奶姨]|农民|工人)[^。；;！!？?]{0,12}?(?:被雷劈|雷击)(?:到|中)?了?[，,]"
    r"[^。；;！!？?]{0,6}?(?:已经|当场)?(?:走了|没了|死了)(?=$|[，,。；;！!？?\s])"
    # "骑车那个大哥没救上来" ("还没救上来" is danger still).
    r"|(?<!还)没(?:能|有)?救上来(?=$|[，,。；;！!？?\s])"
    # "发现一个拾荒的老人倒在那里，已经走了".
    r"|(?:倒在|躺在)[^。；;！!？?]{0,6}[，,](?:人)?(?:已经|早就)(?:走了|没了|不在了)"
    # "老人早上用溪水煮饭，吃完人就没了", "送去医院人就没了" ("一转身人就没了": lost).
    r"|(?:吃完|喝完|吃了|喝了|当场|医院)人就没了"
    # "陈阿伯吃了半个月，前天走了", "喝了井水后一直吐，昨晚走了".
    r"|(?:吃了|喝了|服了|用了)[^。；;！!？?]{0,10}?[，,](?:一个|一位|一人|其中一个)?"
    rf"{_WHEN_TODAY}(?:已经|就)?走了(?=$|[，,。；;！!？?\s])"
    # "一个老人路过吸了几口当晚就走了" (fumes breathed, gone that night).
    r"|(?:吃了|喝了|吸了)[^，,。；;！!？?]{0,6}?(?:当晚|当天|当夜|第二天|夜里|半夜)就走了"
    r"(?=$|[，,。；;！!？?\s])"
    # "一个老人家在睡梦中没醒过来" after a gas leak ("还没醒过来" is someone unconscious).
    r"|(?<!还)没(?:能|有)?醒过来(?![^。；;！!？?]{0,4}(?:送|在医院|抢救))"
    # "俩老人中毒，其中一个昨晚走了".
    rf"|其中(?:一个|一人|一位|两个|俩){_WHEN_TODAY}"
    r"(?:在医院)?(?:当场|已经|都|也|就)*(?:走了|没了)"
    r"|没(?:能)?(?:跑|逃)?出来[^。；;！!？?]{0,12}?(?:都|已经|也|就)?(?:走了|没了|死了)"
    # "一个人被打得很重，今天早上在医院没了".
    r"|在医院(?:里)?(?:已经|就|也)?(?:走了|没了)(?=$|[，,。；;！!？?\s])"
    # "喝了自己泡的药酒，走了一个，六十多岁的阿伯".
    # ("救护车拉走了三个": taken away.)
    r"|(?<![拉送抬接运带开搬领])(?:已经)?走了(?:[一两俩三四五六七八九十几]+)个(?:人)?"
    r"(?=$|[，,。；;！!？?\s])"
    # "阿伯前天吸了烟送医院，今天早上走了": taken to hospital, then gone.
    r"|(?:送医院|送到医院|住院|抢救)[^。；;！!？?]{0,6}[，,]"
    rf"{_WHEN_TODAY}(?:已经|还是)?(?:走了|没了)"
)


# "厂昨晚烧起来了，今天早上才扑灭，有3名工人在里面没逃出来": left inside a fire now out.
_NOT_OUT_RE: Final = re.compile(
    r"(?:[一两俩三四五六七八九十几\d]+[名个人]|工人|租客|住户|老人|孩子|小孩|一家[三四五六几]口)"
    r"[^，,。；;！!？?]{0,5}?没(?:能)?(?:逃|跑)出来"
    # "出租屋凌晨起火，一家三口都没出来，消防在清理现场".
    r"|一家[三四五六几]口都没(?:能)?出来"
)


# "铁皮房烧了，三名租户没能逃出来", "听说三个人没能出来": did not manage to get out of a fire,
# unless still inside.
# ("没能逃出来，人还在里面" is someone still inside; "现场还在清理" is not.)
_NOT_ABLE_OUT_RE: Final = re.compile(
    r"(?<!还)没能(?:逃|跑)?出来(?![^。；;！!？?]*还在(?:里面|屋里|楼里|楼上|里头))"
)


# "听说两个上山扫墓的人没跑出来", "消防说里面住的一个拾荒老人没跑出来": people told by others
# not to have got out of a fire are dead, as writers read it, burning or not ("据厂里人说还有两个
# 工人没跑出来" is people still inside: no 还 between the saying and the count).
_COUNTED_NOT_OUT_RE: Final = re.compile(
    r"[一两俩三四五六七八九十几\d]+[名个位人][^，,。；;！!？?还]{0,8}?没(?:能)?(?:逃|跑)出来"
    r"(?![^。；;！!？?]*还在(?:里面|屋里|楼里|楼上|里头))"
)
_HEARD_BEFORE_RE: Final = re.compile(r"(?:听说|说是|据说|说)[^。；;！!？?还]{0,10}$")


def _heard_not_out(text: str) -> Iterable[re.Match[str]]:
    for m in _COUNTED_NOT_OUT_RE.finditer(text):
        if _HEARD_BEFORE_RE.search(text, max(0, m.start() - 12), m.start()):
            yield m


def _said_of_an_animal(told: str) -> bool:
    """Whether what someone is said to say died is an animal, named after any person ("阿嬷说螃蟹
    都死了", "林伯说他家的鸡都死了"): the one who says it is no death."""
    said = told.find("说")
    if said < 0:
        return False
    what = cues.ANIMAL_PLACES.sub("", told[said + 1 :])
    animal = first_of(cues.NOT_PEOPLE, what)
    return animal is not None and animal_told_last(what, animal)


def deaths_told(
    text: str, danger_told: bool, danger_now: bool, deadly_at: int | None, fire_past: bool
) -> Iterable[re.Match[str]]:
    """Deaths told in words: counts and "gone" always; "人走了" once harm or danger is told at
    all, or someone was missing; "去世" only beside harm or danger that counts (not "办死亡证明")
    or after a person's fall or a fire, past or not, with no time long ago ("去年") before it
    or between; people who did not get out of a fire that is out or told as past (`fire_past`),
    or, others say, of a fire."""
    if "死" in text:  # most reports name no death: skip the patterns that need one
        yield from _N_DEAD_RE.finditer(text)
        yield from (d for d in _DIED_RE.finditer(text) if not _said_of_an_animal(d.group()))
    if any(w in text for w in _GONE_NEEDS):
        yield from _GONE_RE.finditer(text)
    # "没有人受伤，人都走了": after nobody hurt, people gone have left.
    nobody_hurt = first_of(cues.NOBODY_HURT, text) is not None
    if (danger_told or first_of(cues.MISSING, text)) and not nobody_hurt:
        if any(w in text for w in _LEFT_NEEDS):
            yield from _LEFT_RE.finditer(text)
        yield from _FOUND_GONE_RE.finditer(text)
    if not nobody_hurt:
        yield from _DUG_OUT_GONE_RE.finditer(text)
        if "捞" in text and first_of(cues.BEING_REVIVED, text) is None:
            yield from _FISHED_OUT_RE.finditer(text)
    if (fire_past or first_of(cues.FIRE_OUT, text)) and first_of(cues.FIRE_NOW, text):
        yield from _NOT_OUT_RE.finditer(text)
    if first_of(cues.FIRE_TOLD, text):
        yield from _NOT_ABLE_OUT_RE.finditer(text)
        yield from _heard_not_out(text)
    if danger_now:
        yield from _not_a_funeral(text, PASSED_RE.finditer(text))
    elif deadly_at is not None:
        # "…着火…隔壁阿婆上个月去世了": no time long ago before the death, fall or fire.
        for passed in _not_a_funeral(text, PASSED_RE.finditer(text, deadly_at)):
            if first_of(HISTORY, text[: passed.start()]) is None:
                yield passed


# "老人过世办丧事摆酒，中午吃完好几个人头晕": a death that is the occasion of a funeral, not of
# the harm told after it.
_FUNERAL_AFTER: Final = re.compile(r"[^，,。；;！!？?]{0,3}?(?:办丧事|办白事|丧事|白事)")


def _not_a_funeral(text: str, passed: Iterable[re.Match[str]]) -> Iterable[re.Match[str]]:
    return (m for m in passed if _FUNERAL_AFTER.match(text, m.end()) is None)
