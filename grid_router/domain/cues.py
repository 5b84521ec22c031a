"""The words grading reads (pure: standard library only): the cue tables of harm, danger and
people shut in, and the words around a cue that more than one module reads. The words that say a
cue does not count where it stands (negations, conditions, a peril over) are in `discount_words`,
those that say whom or what a cue is told of (a thing, an animal, nobody) in `subject_words`.
`grading.GradeReader` applies them; see its module for how."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import Final

from grid_router.domain.model import Severity
from grid_router.domain.speech import IF_IT_CAME_TRUE


class CueKind(Enum):
    HARM = "harm"
    DANGER = "danger"
    SHUT_IN = "shut in"


@dataclass(frozen=True, slots=True)
class GradeCue:
    """When `phrase` occurs (as it is meant), the grade is at least `grade`."""

    phrase: str
    grade: Severity
    kind: CueKind


@dataclass(frozen=True, slots=True)
class CueMatch:
    """Where a cue stands in a report's text."""

    cue: GradeCue
    start: int
    end: int


def words(text: str) -> tuple[str, ...]:
    """The phrases of a table written as one string, separated by spaces."""
    return tuple(text.split())


def _cues(grade: Severity, kind: CueKind, phrases: str) -> list[GradeCue]:
    return [GradeCue(p, grade, kind) for p in words(phrases)]


HARM, DANGER, SHUT_IN = CueKind.HARM, CueKind.DANGER, CueKind.SHUT_IN

# Reports in English from Xiamen's foreign residents ("Worker fall from 脚手架, his leg bleeding
# a lot"): a few plain cues, matched in lower and capitalised forms; negations and conditions are
# read by `ENGLISH_NOT` in the sentence before the cue.
_ENGLISH: Final = (
    (Severity.I, HARM, "died|is dead|are dead|was killed|were killed|not breathing|no pulse"),
    (
        Severity.II,
        HARM,
        "bleeding|injured|badly hurt|is hurt|are hurt|broken leg|broke his|broke her|ambulance",
    ),
    (
        Severity.II,
        DANGER,
        "trapped|unconscious|cannot move|can't move|drowning|fell into|fell from|fall from|"
        "fell down from|collapsed on",
    ),
    (Severity.III, DANGER, "on fire|is burning|caught fire|catch fire|in flames"),
)
ENGLISH_CUES: Final = tuple(
    GradeCue(form, grade, kind)
    for grade, kind, phrases in _ENGLISH
    for phrase in phrases.split("|")
    for form in (phrase, phrase[0].upper() + phrase[1:])
)

# Cue words that other tables name too (see `IN_A_CAR`, `WEAPONS`).
_IN_A_CAR: Final = (
    "还在车里 人在车里 困在车里 关在车里 锁在车里 车里反锁 反锁在车里 车里锁着 车里关着 "
    "在车里不敢动"
)
# "被面包车上的人硬拉上车": a person forced into a car (of a person only: "把几箱货硬塞进车里").
FORCED_INTO_A_CAR: Final = (
    "硬拉上车 硬拖上车 硬拽上车 拽上车 硬塞进车 塞进车里 强行塞进 拖进车里 拽进车里"
)
# A knife or a bar in a hand, or things smashed, now: violence under way is III.
_WEAPON_HELD: Final = (
    "持刀 拿刀 拿着刀 拿着菜刀 拿菜刀 提着刀 举着刀 持械 拿着铁棍 拿铁棍 拿个铁棍 拿根铁棍 "
    "拎着铁棍 拎住支铁通 拿着钢管 拿根钢管 拿钢管 乱砸 打砸 拎着一桶硫酸 拿着硫酸 拎着硫酸 "
    "一桶硫酸 拿着水果刀 拿着西瓜刀 拿着杀猪刀 "
    # "七八个社会青年…手里有棍子，在门口转来转去不走".
    "手里有棍子 手里有棍 手上有棍子 手里都有棍子"
)
# "水面上一大片死鱼": fish dead in sheets, a peril (III) that puts nobody in danger (`FISH_KILL`).
_FISH_KILL: Final = (
    "大片死鱼 一大片死鱼 死鱼一大片 漂满死鱼 大量死鱼 成片死鱼 浮满死鱼 满是死鱼 成片的死鱼 "
    "大片的死鱼 一大片的死鱼"
)
# A blade named: a threat shouted with one is left to the learned guess (`grading._settled`).
BLADES: Final = ("刀", "匕首")
_KNIFE_CHASING: Final = "追砍 追着砍 拿刀追 拿着刀追 拿着菜刀追 拿着刀在追 拿着菜刀在追"

# The cue tables. Deaths are words that mean a death, and verbs that say what killed ("烧死");
# the figure-of-speech verbs (吓/堵/热/笑/急/烦/臭/挤/累/气/呛/熏/闷/憋/饿) are not among them.
CUES: Final[tuple[GradeCue, ...]] = tuple(
    _cues(
        Severity.I,
        HARM,
        "死亡 身亡 遇难 丧生 罹难 殒命 牺牲 死者 遗体 尸体 没有生命体征 没了生命体征 无生命体征 "
        "没能救出来 没有了生命体征 身体都凉了 身体凉了 身子都凉了 已经硬了 身体都硬了 人都硬了 "
        "死在屋里 死在家里 死在家中 死在房间 死在屋内 死在床上 死在出租屋 "
        "人已经凉了 人都凉了 人凉了 人早就凉了 人早都凉了 身体早就凉了 身子早就凉了 "
        "抢救无效 没抢救过来 没救过来 没救回来 没能救回来 不治 断气 没气了 没有气了 没有呼吸 "
        # ("送医院没枪救过来": 枪 for 抢, a slip of pinyin input.)
        "没枪救过来 枪救无效 "
        "没呼吸了 没救出来 女尸 男尸 浮尸 血都干了 抢救没过来 "
        "没呼吸 没抢回来 没能抢回来 没有抢回来 抢不回来了 救不回来了 救不回了 没有抢救过来 "
        "没能抢救过来 没有救过来 没能救过来 没抢救回来 没有抢救回来 没能抢救回来 "
        "已经不行了 没有气息 没了气息 没气息 当场就不行了 当场不行了 当场不动了 当场就不动了 "
        "没有生命迹象 无生命迹象 没了生命迹象 发现一个死人 发现了一个死人 一具死人 "
        "出人命 闹出人命 人死了 有人死了 死了人 死了一个 死了两个 死了几个 人没了 卷进去没了 "
        "已经没了 人已经没了 不行了 死了俩 当场死了 当场就死了 当场就没了 当场没了 确认死了 "
        "当场走了 当场就走了 已经无气了 人无气了 当场无气了 当场就无气了 已经无救了 "
        "中毒没了 中毒走了 "
        "确认死亡 已经死了 都死了 都没了 被烧死 都没跑出来 好像死了 好像已经死了 像是死了 可能死了 "
        "多人死亡 群死群伤 重大伤亡 伤亡惨重 "
        "烧死 砸死 压死 淹死 溺死 溺亡 撞死 轧死 碾死 电死 摔死 捅死 刺死 砍死 打死 毒死 拍死 "
        "炸死 勒死 掐死 坠亡 坠楼身亡 触电身亡 致死 打死了 中毒死 中毒身亡 被杀 被杀害 杀害 "
        "命案 遇害 凶杀 被人杀了 被杀了 杀死 溺水死了 溺死了 溺水死亡 "
        "送医后死了 送医院后死了 送到医院后死了 送去医院后死了 送医后就死了 送医后人没了 "
        "当场身故 不幸身故 已身故 已经身故 已无气息 没有了气息 当场就没有了 当场没有了 "
        "没挺过来 没能挺过来 没有挺过来 倒地没了 倒地就没了 "
        # "捞上来已经没起了": 没气了 as the voice typed it; "烧没了一个人": burnt to death.
        "已经没起了 烧没了一个 烧没了两个 烧没了俩",
    )
    + _cues(
        Severity.II,
        HARM,
        "受伤 受了伤 伤者 伤员 伤了 伤到 伤势 撞伤 烫伤 烧伤 砸伤 摔伤 刺伤 捅伤 砍伤 打伤 "
        "伤得很重 伤得很严重 伤得不轻 伤势很重 脚扭了 扭伤 脚崴了 扭到脚 "
        "摔断 打断 头破 磕破 鼻青脸肿 中风 站不起来 捅了 一刀 无法起身 留观 "
        # "被推倒后脑勺磕在路牙上": a blow to the head, an injury.
        "后脑勺磕 后脑勺着地 后脑着地 磕到后脑 头磕在 头撞在 "
        # "戴了三天美瞳…医生说是角膜感染", "五个小孩查出来血铅超标住院了".
        "角膜感染 角膜溃疡 血铅超标 "
        "心肺复苏 没意识 意识模糊 闭着眼睛 一动不动 地上有血 血一直在流 在流血 "
        "腿断了 体温极低 脚断去 手断去 "
        "腿骨断了 腿骨可能断了 腿骨好像断了 骨头断了 骨头可能断了 骨头好像断了 "
        "割伤 咬伤 炸伤 划伤 扎伤 灼伤 骨折 流血 出血 头破血流 是血 很多血 一身血 血流 刀口 "
        "吸氧 送卫生院 送医 送医院 送到医院 送去医院 送往医院 拉到医院 送急诊 进了医院 住院 "
        "住进医院 120也叫了 120已经叫了 往医院赶 往医院跑 往医院送 往医院冲 "
        "抢救 急救 救护车 叫了120 打了120 打120 120来了 120拉走 在医院 医院治疗 "
        "ICU icu 重症监护 挂水 打点滴 吊瓶 "
        "中毒 食物中毒 集体中毒 煤气中毒 一氧化碳中毒 农药中毒 "
        "上吐下泻 吐得站不起来 呕吐不止 口吐白沫 溃烂 被呛到 被烟呛 呛晕 挂彩 磨烂了 擦烂了 "
        "被蛇咬 毒蛇咬 被毒蛇",
    )
    + _cues(
        Severity.II,
        DANGER,
        "被困 困在 困住 被埋 埋了 埋在 埋住 压在下面 被压 被砸 卡在里面 "
        "掉进 掉到 掉下去 掉下来 跌进 跌入 跌落 坠落 坠楼 落水 溺水 冲走 被冲 卷进 "
        "水里扑腾 没上来 没浮上来 昏迷 昏倒 晕倒 晕过去 晕了过去 昏过去 "
        "不省人事 叫不醒 叫不太醒 叫不大醒 失去意识 没有意识 没意识 休克 抽搐 呼吸困难 喘不上气 "
        "倒在地上 躺在地上 倒地不起 摔倒在地 起不来 动不了 倒在那里 倒在路边 倒在家里 倒地 "
        "躺着不动 倒在地上不动 没反应 没有反应 叫不应 行袂动 跋落 昏去 叫袂醒 埋着 人还压着 "
        # Minnan: "伊脚无好行袂落来" (下不来), "卡在内底出袂来" (出不来).
        "袂落来 落袂来 出袂来 出袂去 "
        "名字也不应 喊他也不应 喊她也不应 叫他也不应 叫她也不应 "
        # "火一直往村子这边烧过来，还有几户老人没撤出来": people not yet out of danger's way.
        "没撤出来 没有撤出来 没能撤出来 "
        "压住两个 压住一个 压住几个 "
        "晕在 触电 跳楼 要跳 想跳 轻生 自杀 割腕 寻短见 跳下去 跳下来 楼顶边缘 窗台外 爬到窗外 "
        "要爬出来 要爬出去 要翻出来 要翻出去 "
        "一起死 同归于尽 开煤气自杀 不然不放人 才放人 就不放人 不给钱不放人 赎金 "
        "就喝下去 要喝下去 要喝农药 喝农药自杀 拧开盖子 拧开了盖子 盖子拧开 瓶盖拧开 瓶盖都拧开 "
        "被水冲进 被冲进 连人翻下去 "
        "拍门没人应 敲门没人应 叫门没人应 口吐白沫 嘴边有白沫 吐白沫 强行拖上车 强行拉上车 拖上车 "
        f"{FORCED_INTO_A_CAR} "
        "不想活 遗书 想不开 出不去 下不去 活不下去 拉不出来 跑不出来 下不来 被火围 "
        "夹在 卡着 埋进去 绞进去 被埋 水没过 泡在水里 拍窗户 站在空调外机上 爬到空调外机上 "
        "在空调外机上 防盗窗外 不见了 "
        "喘不上气 挥衣服 锁着一名 挟持 劫持 人质 悬在半空 吊在半空 挂在半空 挂在安全绳 被雷劈 雷击 "
        "拍车窗 拍打车窗 栏杆外 "
        "呼救 喊救命 救命 有生命危险 生命危险 危及生命 有人在里面 人还在里面 出不来 一直抽 只会哼 "
        "只能哼 只哼哼 只是哼哼 哼哼声 "
        "还有人没出来 有人没出来 人没出来 里面还有人 还在里面 没出来 没办法出来 没有办法出来 "
        "没下来 "
        "逃不出来 没跑出来 没逃出来 很虚弱 非常虚弱 奄奄一息 气息微弱 很弱的回应 没回应 没有回应 "
        "拐走 被拐 被人带走 陌生人带走 被一个陌生 被人抱走 抱走了 被抱走 被一个不认识的 被不认识的 "
        "未返回岸边 没有上岸 没上岸 未上岸 没游回来 没有游回来 未游回 还没救出来 "
        "站在车顶上 困在车顶 往下跳 要往下跳 就开煤气 扬言点火 扬言引爆 越来越没力气 越来越虚弱 "
        "熏倒 压到一个 压到了一个 压到两个 压到人 发生踩踏 踩踏事故 踩踏事件",
    )
    + _cues(Severity.II, DANGER, f"{_IN_A_CAR} {_KNIFE_CHASING}")
    + _cues(
        Severity.III,
        DANGER,
        "着火 起火 失火 火灾 明火 火光 冒火 烧起来 烧着了 火很大 火越来越大 燃烧 "
        "火势 在烧 正在烧 还在烧 着伙 明伙 起火了 爆燃 闪爆 爆炸 大火 浓烟滚滚 火苗 蹿火 "
        "自燃 有火 火烧到 越烧越大 烧到山上 山火 火线 复燃 冒大烟 锅着了 着了火 火窜 "
        "一直在漏 正在漏 还在漏 往外喷 还在流 还在扩散 正在扩散 持续扩大 越来越大 还在漫 "
        "一直往下灌 大面积停电 大停电 全停电了 还在排 正在排 一直在排 还在喷 一直在喷 水还在涨 "
        "还在涨 还在往外冒 往外冒气 一直冒气 嘶嘶 有小火 起了小火 着了小火 还在往外扩 还在扩大 "
        f"交通中断 道路中断 交通瘫痪 {_FISH_KILL} "
        "疑似爆炸物 一直没灭 烧到现在 路冲断了 把路冲断 路被冲断 道路冲断 "
        "还在变大 慢慢变大 仍在扩大 工业酒精 别出教室 塌方 火挺大 火好大 火不小 火还不小 火特别大 "
        "一伙人在砸 一群人在砸 一帮人在砸 一伙人正在砸 一群人正在砸 "
        "还没灭掉 还没扑灭 火还没灭 火还没有灭 火正旺 烧得正旺 火很旺 还烧着 "
        "打群架 群殴 堤冲垮 堤被冲垮 路冲垮 路被冲垮 桥冲垮 桥被冲垮 被浪冲垮 被潮水冲垮 被水冲垮 "
        "被大水冲垮 被洪水冲垮 被山洪冲垮 堤垮了 堤塌了 决堤 溃堤 堤决口 "
        "塔吊倾斜 塔身倾斜 大臂倾斜 大臂突然倾斜 塔身还在晃 塔吊在晃 道路不通 "
        "垃圾桶着了 桶着了 房子着了 车着了 烧得挺大 烧得很大 火烧得挺大 火烧得很大 "
        "山体滑坡 滑坡了 坡滑下来 泥石流 冒伙 火烧厝 "
        # "放漆的仓库在冒烟，从门缝里能看到红光": a fire glowing inside.
        "能看到红光 看得到红光 看到红光 有红光 冒红光 "
        # "集装箱在冒白烟…码头的人都在往外撤": people leaving a danger now.
        "正在疏散 都在往外撤 人在往外撤 正在撤离 紧急撤离",
    )
    + _cues(Severity.III, DANGER, _WEAPON_HELD)
    + _cues(
        Severity.III,
        SHUT_IN,
        "电梯困人 困电梯 关在电梯 卡在电梯 电梯里出不来 锁在里面 反锁在 被锁在 关在里面 "
        "卡在 卡住了 停在半空 门打不开 被关在 被关 关在 锁在 被锁 下不来 打不开 不动了 "
        "里面关着 里头关着 里边关着 关着人 卡于 关人了 别想出去 别想走 "
        # "我们船退潮搁浅在滩涂上了，三个人在船上，人都好好的": aground, waiting for the tide.
        "搁浅",
    )
    + list(ENGLISH_CUES)
)

# A lift (or a locked room, or railings a child's head is stuck in) makes a "trapped" cue "shut
# in": III unless danger or harm is named.
SHUT_IN_CONTEXT: Final = (
    "电梯", "轿厢", "梯里", "楼层之间", "反锁", "锁住了", "锁在", "锁上", "被锁", "关在", "被关",
    "门锁", "吊篮", "半空", "冷库", "厕所", "卫生间", "过山车", "缆车", "驾驶室", "驾驶座",
    "两层中间", "两层之间", "关着", "栏杆里", "栏杆缝", "护栏里", "栅栏里", "格栅", "篦子", "车门",
    "搁浅",
)  # fmt: skip
# "关在一个屋子里，对方要我转两万块，不然不放人": someone held for money is in danger, unless the
# report says they are unhurt ("说干满一个月才放人…人都没受伤" is III).
HELD_FOR_RANSOM: Final = frozenset(words("不然不放人 才放人 就不放人 不给钱不放人 赎金"))
SHUT_IN_DANGER: Final = frozenset(
    words(
        "被困 困在 困住 困人 困了 卡在里面 出不来 关在电梯里 救命 喊救命 呼救 还在里面 没出来 "
        f"出不去 下不去 下不来 人被困 人还在里面 有人在里面 {_IN_A_CAR} "
        "袂落来 落袂来 出袂来 出袂去"
    )
)
# People in a car are out of danger only when the report says so ("人没受伤，车门打不开"): a
# child locked in a car in the sun is in danger whether or not a lock is named.
IN_A_CAR: Final = frozenset(words(_IN_A_CAR))
PEOPLE_WORDS: Final = words(
    "人 孩 娃 孙 老人 老伯 老太 老奶 老爷 老汉 他 她 工友 儿子 女儿 老公 老婆 妈 爸 爷 奶 伯 姨 婆 "
    "同事 同学 "
    "叔 学生 司机 男 女 师傅 宝宝 住户 租户 家属 伙 者 哥 姐 弟 妹 客 工 民 主 老板 卖 员 佬 "
    "一家人 一家三口 一家四口 一家五口 一家六口 "
    "抬出 抬下来 拉上来 捞上来 拉出来 救出 挖出来 挖出 驴友 同伴 队友 救上来 流浪汉 醉汉 阿公 "
    "被捅 被砍 其中一个 手肘 胳膊 手臂 额头 观众 "
    "囝 捞起来"  # Minnan 囝仔, a child: "池仔捞起来一个囝仔，已经无气了"
)
# "砖头掉下来", "花盆掉到楼下": a thing falls, not a person (a person hit is told by its own cue).
FALLING: Final = frozenset(words("掉进 掉进去 掉到 掉下去 掉下来 跌落 坠落"))
# "有人在烧垃圾": something burnt on purpose, not a fire.
BURNING: Final = frozenset(words("在烧 正在烧 还在烧"))
BURNT_THINGS: Final = (
    "垃圾", "纸", "秸秆", "树叶", "落叶", "塑料", "轮胎", "电线", "东西", "杂草", "稻草", "废品",
    "香", "烧烤", "烤", "炭", "柴", "蜂窝煤", "泡沫", "衣服", "旧家具", "废", "拉圾", "电缆",
    "死鸡", "鸡毛", "死猪", "死鸭", "羽毛", "线皮", "旧", "渔网",
    # "电磁炉在烧水": cooking, no fire.
    "水", "开水", "饭", "菜",
)  # fmt: skip
# "拿刀架在老板娘脖子上", "拿刀把船老大逼在驾驶舱里": someone held at knifepoint, in danger of
# life… ("拿刀把司机逼下车…抢完跑了": forced out, not held.)
AT_KNIFEPOINT: Final = re.compile(
    "(?:刀|刀子|匕首|剪刀|菜刀|水果刀)(?:架|抵|顶|比)(?:在|着)[^，,。；;！!？?]{0,6}?(?:脖子|喉咙|胸口)"
    "|(?:刀|刀子|匕首|剪刀|菜刀|水果刀)[^，,。；;！!？?]{0,2}?把[^，,。；;！!？?]{1,6}?逼(?:在|到)"
    # "拿着一把菜刀在街上追人": a knife counted, and people chased with it.
    "|(?:拿着|拿了|提着|举着)一?把[^，,。；;！!？?]{0,3}刀[^，,。；;！!？?]{0,8}?追"
)
# "小区两个晚上被撬了七八户": many homes broken into at once (III).
MANY_BURGLED: Final = re.compile(
    "撬了?(?:[五六七八九十]|十几|五六|六七|七八|八九|好几十|几十)[户间家]"
)
# "退潮走到沙洲上赶海，现在潮水涨回来了，水到膝盖，还在往里涨，他们回不来": cut off by the
# tide with the water at them (II); those standing high and safe are shut in (III).
CUT_OFF_BY_THE_TIDE: Final = re.compile(
    "(?:水到(?:膝盖|大腿|腰|胸口)|水快淹到|往里涨)[^。！!？?]{0,12}?回不来"
    "|回不来[^。！!？?]{0,12}?(?:水到(?:膝盖|大腿|腰|胸口)|水快淹到|往里涨)"
)
# "我爸七十多了，早上上山去看果园，到现在天黑了还没回来，手机打不通": missing in the hills after
# dark, not to be reached (II; "刚打通电话说迷路了，人没受伤" is III).
LOST_IN_THE_HILLS: Final = re.compile(
    "(?:上山|进山|去山上)[^。！!？?]{0,30}?天黑[^。！!？?]{0,8}?(?:还没回来|没回来|还没下来|没下山|没下来)"
    "[^。！!？?]{0,8}?(?:打不通|联系不上|没人接|不接)"
)
# "几个喝醉的人把我围在摊位里面不让走": someone hemmed in by a crowd and held (III).
HEMMED_IN: Final = re.compile(
    "围(?:在|住)[^，,。；;！!？?]{0,8}?(?:不让(?:走|出来|出去|离开)|出不来|出不去)"
    # "二十几个球迷把裁判的车围住了，车里坐着两个助理裁判不敢下车".
    "|围住了?[，,][^。；;！!？?]{0,12}?不敢(?:下车|出来|出去)"
    # "村民…把林场的车围住了，司机和技术员两个人被困在车里出不来".
    "|围住了?[，,][^。；;！!？?]{0,12}?被困[^，,。；;！!？?]{0,4}出不来"
)
# "下班被人跟到楼下，被拖上一辆白色面包车": someone taken by force in a vehicle (II; not a police
# car or an ambulance).
TAKEN_BY_FORCE: Final = re.compile(
    "被(?:人)?(?:拖|拉|拽|塞|推|架)(?:上|进)了?(?:一辆)?[^，,。；;！!？?警护]{0,6}?车"
)
# "在烧一大堆旧塑料": a count, a measure and 旧 or 废 may stand before what is burnt.
_BURNT_COUNT: Final = "(?:一|几|两|好几)?(?:大|小)?(?:堆|把|些|车|袋|包|箱)?(?:旧|废)?"
BURNT_COUNT: Final = re.compile(_BURNT_COUNT)
BURNT_ON_PURPOSE: Final = re.compile(
    f"烧{_BURNT_COUNT}(?:"
    + "|".join(BURNT_THINGS)
    + ")|把(?:"
    + "|".join(BURNT_THINGS)
    + ")[^，,。；;！!？?]{0,6}烧"
)
# "货车进不去也出不来": vehicles blocked in, not people trapped.
# "一辆车都动不了": traffic at a standstill.
STUCK_OUT: Final = frozenset(words("出不来 出不去 下不去 动不了 出袂来 出袂去"))
# "摔倒起不来，门反锁着，隔着门说没受伤": fallen, unhurt by their own word, locked in: shut in.
FALLEN_AND_DOWN: Final = frozenset(words("起不来"))
LOCKED_IN: Final = ("反锁", "锁着", "推不开", "打不开")
UNHURT_SAID: Final = (
    "没受伤", "没有受伤", "没摔伤", "没有摔伤", "没摔着", "没伤着", "没伤到", "没摔到", "没啥事",
    "没什么事", "没流血", "没出血", "没有出血", "没有哪里流血", "头不晕", "头没撞到", "说没事",
)  # fmt: skip
# "巷子出不去了", "三个自然村出不来": a place cut off, its way blocked (III), not people trapped.
CUT_OFF_PLACES: Final = (
    "村", "村里", "巷子", "巷", "小区", "岛上", "户人", "户人家", "村的人", "村里的人", "小区的人",
    "住户", "户",  # "村里几十户出不去"
    "户老人", "户村民", "户居民",  # "村里二十几户老人出不来"
)  # fmt: skip
# "昨天两个初中生偷偷去游泳，都没上来": did not come up, told as past, is drowned.
NOT_SURFACED: Final = frozenset(words("没上来 没浮上来"))
STILL_SEARCHING: Final = ("到现在", "还在找", "正在找", "在搜", "搜救", "在捞", "打捞")
FIRE_NOW: Final = ("起火", "着火", "火灾", "失火", "烧起来", "在烧", "火势", "大火", "明火")
# "有人在里面抽烟": smoke someone makes is no peril.
NOT_A_PERIL: Final = re.compile("抽烟|吸烟|烟头|烟味|烟酒|热水器|有没有毒|有毒没毒")
# "已经没气了一样": as if; "一般" is a likeness only after 像, 如同…
AS_IF_AFTER: Final = ("一样", "似的", "了一样", "了似的")
# A request for welfare, or for the community to arrange something: the hardship it tells is
# no emergency now, so the learned guess may not raise it to II (cues of harm or danger now
# still do).
WELFARE_REQUEST: Final = (
    "临时救助", "困难救助", "低保", "补助", "补贴", "残疾证", "医保", "报销", "救助金", "慰问金",
    "需要社区协调", "请社区协调", "帮忙协调", "申请救助",
)  # fmt: skip
# "安全员", "安全出口", "不安全": words that hold 安全 and say nothing of anyone's safety.
NOT_SAFE_WORDS: Final = re.compile(
    "安全员|安全出口|安全通道|安全隐患|安全帽|安全绳|安全带|安全生产|安全检查|安全感|不安全|安全科"
)
# Said of people shut in: they are out of danger, so it is III, not II.
# "困在通道里的台阶上，水没进来": the water has not reached them (people shut in are unhurt,
# and the 水没过 inside these words is no one submerged).
WATER_KEPT_OUT: Final = words(
    "水没进来 水没过来 水没有进来 水没有过来 "
    # "公交车熄火停在水里…司机说水没进车厢".
    "水没进车厢 水没有进车厢 水没进车里 水没有进车里"
)
OUT_OF_DANGER: Final = (
    "没事",
    "说不疼",  # "小孩卡在滑梯管道里…说不疼"
    "人是好的",
    "人很好",
    "人都很好",
    "没伤着",
    "没伤人",
    "没有伤人",
    "无事",
    "好好站着",
    "不危险",
    "无恙",
    "安全",
    "意识清醒",
    "精神尚好",
    "精神还好",
    "状态还好",
    "都好",
    "人还好",
    "没危险",
    "没有危险",
    "在里面玩",
    "不哭",
    "人好的",
    "能应",
    "都还好",
    "好好的",
    "都平安",
    "平平安安",
    "人是平安的",
    "挺好的",
    "没摔着",
    "没有摔着",
    "身上没伤",
    "没人打他",
    "没人打她",
    "没挨打",
    "没被打",  # "要还钱才放人，她刚偷偷发微信说没被打": held, unhurt
    "人无伤",  # Minnan: "躲在内底出袂来，人无伤"
    "人都没伤",  # "铁门被风吹倒卡住了，他们出不来。隔着门说话，人都没伤"
    "没代志",  # Minnan 没事: "司机已经跳下来没代志"
    "无代志",
    "无受伤",
    "无危险",
    *WATER_KEPT_OUT,
    "没人被蛰",  # "孩子都在教室里出不去，没人被蛰": shut in from the hornets, unhurt
    "没人被蜇",
    "没有人被蛰",
    "没有人被蜇",
)
# A report that thanks or praises retells an incident already handled (OTHER.PRAISE).
THANKS: Final = ("表扬", "感谢", "谢谢", "点赞", "点个赞", "锦旗", "致谢", "好评")
# "我送锦旗刚好路过，看到两个工人被烧伤抬出来了，火还没灭": a fire still burning is thanked for
# by nobody yet; the thanks word is the writer's own errand.
STILL_BURNING: Final = ("火还没灭", "火还没有灭", "还没扑灭", "还没灭掉", "一直没灭", "还在烧")
# "说再不给就去跳楼", "喊着要跳楼": said, with no one at an edge (楼顶, 天台 …) now.
SAID_TO_JUMP: Final = frozenset(words("跳楼 要跳 想跳 跳下去 往下跳 要往下跳"))
# "说要拿刀来砍": a weapon in a threat said, not in a hand now.
WEAPONS: Final = frozenset(words(f"{_WEAPON_HELD} {_KNIFE_CHASING}"))
# "拿着刀在村里追人": a knife held, and people chased with it later in the clause.
WEAPON_HELD: Final = frozenset(words(_WEAPON_HELD))
CHASING_AFTER: Final = ("追", "砍人", "捅人", "见人就")
# "拿着菜刀闹事…把一个工作人员堵在休息室里": someone cornered by whoever holds the weapon ("把自己
# 关在屋里" and robbers who lock staff in and flee are not).
CORNERED: Final = re.compile("把(?!自己)[^，,。；;！!？?]{1,8}?(?:堵在|逼在|逼到)")
MEANT_FOR_PEOPLE: Final = (
    "要砸人",
    "要砍人",
    "要杀人",
    "要捅人",
    "要打人",
    "要弄死",
    "要砍死",
    "要捅死",
    "要杀了",
    "要泼",
    "就泼",
    # "拿着刀在我们店里，说不给他免费喷漆就砍人": a demand backed by the knife in hand.
    "就砍人",
    "就捅人",
    "就杀人",
    "就砍死",
    "就捅死",
)
# "讨薪", "不给钱就跳": what someone up a tower crane is there for.
CLAIMING: Final = ("讨薪", "工钱", "工资", "欠薪", "不给钱", "讨钱", "要钱", "说法", "就跳", "要跳")
# A death shouted in quotes ("“打死人了”") by a report that says nobody was hurt.
NOBODY_HURT: Final = words(
    "没人受伤 没有人受伤 无人受伤 没受伤 人都没事 都没事 没人伤 无人员伤亡 没有人员伤亡 无人伤亡 "
    "都没有不舒服 没有人不舒服 没人不舒服"
)
# A stay in hospital is harm only when something harmed someone: "爷爷最近住院了" is illness.
IN_HOSPITAL: Final = frozenset(words("住院 住进医院 在医院 医院治疗 挂水 打点滴 吊瓶"))
# The reporter and their family, named before a stay in hospital ("我爸在住院").
RELATIVES: Final = (
    "我", "爸", "妈", "婆", "公", "爷", "奶", "老公", "老婆", "儿子", "女儿", "哥", "姐", "弟",
    "妹", "叔", "姨", "舅", "姑", "父亲", "母亲", "老伴",
)  # fmt: skip
# "老林今天早上走了": 老 and a family name names a person (not 老板, 老乡, 老师…); a pattern.
OLD_AND_A_NAME: Final = "老(?![板乡师婆公伴头家人鼠是说实])[\u4e00-\u9fff]"
# "喝了这个水的林伯昨晚死了": a family name and 伯, 婆… (Xiamen's common family names).
NAME_AND_KIN: Final = (
    "[陈林黄张李王吴刘蔡杨许郑谢洪郭邱曾廖赖徐周叶苏庄吕江何萧罗高潘朱钟彭游詹胡施沈余卢梁赵颜柯"
    "翁魏孙戴范方宋邓杜傅侯曹薛丁卓阮董唐温蓝蒋纪姚连冯欧程汤田康姜汪邹尤巫涂龚严韩袁童陆夏邵倪]"
    "[伯婆公嬷叔姨]"
)
# "爸爸已经走了", "老伴没了": family members, who are people; a pattern.
FAMILY_MEMBERS: Final = (
    "爷爷|奶奶|老伴|丈夫|妻子|老公|老婆|舅舅|叔叔|伯伯|姑姑|我爸|我妈|爸爸|妈妈|哥哥|姐姐|弟弟|妹妹"
    "|外婆|外公|姥姥|姥爷|婆婆|公公|儿子|女儿|老父亲|老母亲|父亲|母亲"
)
# "想送面锦旗": praise retells what was handled; the learned guess does not raise it.
PRAISE: Final = ("表扬", "点赞", "点个赞", "锦旗", "好评")
# "昨晚一个老伯掉下去…已经去世了", "昨晚着了火…没能抬出来，今天早上确认去世了": a person's
# fall or a fire, after which "去世" is a death.
DEADLY_EVEN_WHEN_PAST: Final = frozenset(
    words(
        "掉进 掉到 掉下去 掉下来 跌进 跌入 跌落 坠落 坠楼 落水 溺水 冲走 被冲 被撞 被砸 被埋 "
        "被冲进 被水冲进 着火 起火 失火 火灾 着了火 大火 烧起来 连人翻下去"
    )
)
# "低保户家里两个老人…送医院了": a household's standing names who was hurt; it asks for nothing.
NOT_A_REQUEST: Final = re.compile("低保户|低保家庭|低保老人|低保对象|五保户|特困户")
SENTENCE_BREAKS: Final = frozenset("。！!？?\n")
# Discounts after which the text has settled that nobody is harmed now: the harm it names is
# feared, threatened or shouted, so the learned guess may not raise the grade either.
# A question or a doubt ("是不是中毒了") or danger averted ("差点晕过去") settles nothing: harm may
# still be real, and the learned guess stays the safety net.
SAID: Final = ("a threat", "shouted", "a figure of speech", "said in anger")
# Burning that the report itself says is no fire ("确认不是火灾，是露天焚烧").
NOT_A_FIRE: Final = (
    "不是火灾", "不是着火", "没有着火", "没着火", "不是失火", "并非火灾", "非是失火", "并非失火",
)  # fmt: skip
FIRE_WORDS: Final = ("火", "烧", "燃", "烟")
# What may stand between a negation and the cue it negates: "没有人员受伤", "没看到有人被困";
# anything else ("没煮熟中毒") means the negation is about something else.
NEGATION_FILLERS: Final = (
    "见着", "见到", "看着",  # before "见", "看": "没见着有人被困", "还未看着人受伤"
    "人畜", "学生", "孩子", "小孩",
    "有人员", "人员", "有人", "人", "有", "造成", "发现", "看到", "看见", "见", "出现", "导致",
    "任何", "什么", "受", "被", "了", "大", "明显", "再", "其他", "别的", "一个", "伤到", "有什么",
    "听说", "听到", "听见", "还", "喊", "打",  # "还没打出血"
    "被困", "伤亡", "和", "或", "及", "、", "车辆", "车", "行人", "路人", "发生", "摔倒", "晕倒",
    "倒地", "跌倒", "哪里", "哪儿", "什么地方", "去", "谁", "叫", "说", "动手", "不舒服", "要",
    "真的", "真",  # "臭到爆炸（没真爆炸）"
)  # fmt: skip

NEGATIONS: Final = (
    "没有", "没得", "没", "无", "未", "不是", "不像", "并非", "不会", "否认", "看不出", "不要",
    "不用", "不算", "不需要", "拒绝", "排除", "看不到", "看不见",
    "毋是",  # Minnan 不是: "毋是着火啦，是隔壁阿婶炊粿冒烟"
)  # fmt: skip
NEGATION_GAP: Final = 7
"""A negation at most this many characters before a cue (same clause) cancels it ("没有人受伤",
"未造成人员伤亡")."""
# A cue followed in its clause by one of these is a condition ("烧起来阮厝就完了").
CONDITION_AFTER: Final = (
    "就完了", "就麻烦了", "就来不及", "就惨了", "怎么办", "谁负责", "会摔", "会出事", "会出人命",
    "全完蛋", "就完蛋", "全完了",
    "会死人", "会砸", "才怪", "跑不掉", "都跑不了", "走袂出去", "要出事",
    "就好",  # "店员说人被蛇咬了吃这个就好": a remedy's claim
    "不是开玩笑",  # "这个东西吃出人命可不是开玩笑的": a warning
)  # fmt: skip
# What a discount names when the harm is only feared (see `SAID`).
FEARED: Final = (
    "万一", "如果", "要是", "假如", "哪天", "怕", "担心", "迟早", "早晚", "一旦", "生怕", "搞不好",
    "弄不好", "恐怕", "肯定", *CONDITION_AFTER, *IF_IT_CAME_TRUE,
)  # fmt: skip
RECENT_PAST: Final = ("昨天", "昨晚", "前天", "前晚", "那天", "当时")
# "找到失踪的阿伯，人已经走了": someone was missing.
MISSING: Final = ("失踪", "失联", "走失")
# "铁皮房烧了，三名租户没能逃出来": after a fire, people who did not manage to get out died.
FIRE_TOLD: Final = (*FIRE_NOW, "烧了", "烧毁", "烧光", "烧没了")
# "今天早上才扑灭": a fire that is out.
# ("消防在清理现场": the firemen clear up after a fire that is out.)
FIRE_OUT: Final = (
    "扑灭", "灭了", "已灭", "火灭", "浇灭", "灭掉", "熄灭", "烧完了", "没火了", "清理现场", "盖灭",
)  # fmt: skip
# "帮她把阀门关了…人都没事": a leak or a fault made safe (a fire out, people out of a fire that
# still burns, are told otherwise); as `discounts` names it.
PERIL_ENDED_DISCOUNTS: Final = tuple(
    f"(over: {w})" for w in ("已关阀", "已排除", "维修完毕", "已处置完毕", "已恢复")
)
# "水面上一大片死鱼": fish dead in sheets put nobody in danger, so after them "钓鱼的老伯都走了"
# is people who left, not a death.
FISH_KILL: Final = frozenset(words(_FISH_KILL))
# "拿菜刀", "凉拌菜", "臭鸡蛋", "花盆": food, a kitchen knife or a thing, not a plant or an animal;
# "跑到大树底下躲雨": a place.
NOT_A_PLANT: Final = re.compile(
    "菜刀|凉拌菜|饭菜|炒菜|做菜|买菜|剩菜|菜品|菜单|点菜|上菜|洗菜|切菜|青菜|蔬菜|鸡蛋|鸭蛋"
    "|花盆|花瓶|花圈|烟花|花生|花钱|莲花|草帽|草席|树下|树底下"
    # "拿着一瓶百草枯…说再吵就喝下去": weedkillers, things, not plants.
    "|百草枯|除草剂|草甘膦|敌草快"
    # "宝宝的奶粉卡在里面": milk, a thing (奶 alone is a grandmother).
    "|奶粉|牛奶|奶茶|奶瓶"
)
# "草坪工", "花农", "菜贩": people named by the plants they tend or sell.
PLANT_TRADES: Final = re.compile("草坪工|花农|菜农|果农|茶农|花匠|菜贩|花工|鱼贩")
# "没呼吸了，我们店的员工在做心肺复苏": someone being revived is not yet dead.
# ("两个已经没气了，一个还在抢救": 抢救 is often told of another.)
BEING_REVIVED: Final = (
    "在做心肺复苏", "正在做心肺复苏", "在给他做心肺复苏", "在按压", "轮流按压", "在压胸口",
)  # fmt: skip
NOT_PEOPLE: Final = (
    "鱼", "鸡", "鸭", "猪", "狗", "猫", "鸟", "鹭", "翅膀", "树", "草", "苗", "虾", "菜", "花",
    "菊", "庄稼", "蚊", "龟", "豚", "鲸", "蛇", "牛", "羊", "鹎", "绣眼", "雀", "鸽", "鹰", "蛙",
    "鹿", "麂", "动物", "鹦鹉", "八哥", "鲤", "蜻蜓", "虫", "蝴蝶",
    "老鼠", "蟑螂", "蟹", "蜂", "海蛎", "蛎", "蚝", "蚵", "蛤", "贝", "泰迪", "哈士奇", "金毛",
    "柯基", "宠物", "羽",
)  # fmt: skip
# "鱼塘", "养猪场", "菜市场": places named after animals or plants, where people may be.
ANIMAL_PLACES: Final = re.compile(
    "鱼塘|鱼池|鱼排|鱼市|鱼港|虾池|虾塘|养殖场|猪场|鸡场|鸭场|牛场|狗场|菜市场|菜地|菜园|花园|花坛|"
    "草地|草丛|树林|树下|蚝棚|蚝排|鸭棚|鸡棚|鸡舍|鸭舍|猪圈|猪舍|牛棚|牛栏|羊圈"
)
# "臭死了", "吓死人了", "热死": an intensifier, not a death (when a taxonomy names a bare "死了").
FIGURE_BEFORE_DEATH: Final = frozenset(
    "吓堵热笑急烦臭挤累气呛熏闷憋饿困冷痛疼忙馋恨爱丑难懒吵晒冻心冤苦悔渴愁羞锁卡焊封钉关堆挡"
)
# "他奶奶被烟呛死在里面了": choked to death in a place ("呛死人了" is a figure of speech).
DIED_IN_A_PLACE: Final = "死在(?:里面|里头|屋里|家里|房里|房间|车里|楼里|床上)"
