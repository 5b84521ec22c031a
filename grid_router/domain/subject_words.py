"""The words that tell who or what a cue of harm or danger is told of (pure: standard library
only): things, animals, plants and vehicles said to be harmed ("鞋子全淹死了", "好几辆车泡在水里"),
the people a cue needs, and the words that say nobody is meant. `subjects` reads them; the cue
tables themselves are in `cues`, the words of negation, time and doubt in `discount_words`."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain import cues
from grid_router.domain.cues import words

# These cues are about people only when a person is named near them ("小孩掉进下水道", not
# "烟灰掉进锅里"; "水泥掉下来砸在花坛" hurts nobody).
NEEDS_A_PERSON: Final = frozenset(
    words(
        "掉进 掉到 掉下去 掉下来 跌进 跌入 跌落 坠落 落水 冲走 被冲 卷进 被砸 被压 "
        "压在下面 被埋 埋了 埋在 埋住 卡在里面 触电 倒在地上 躺在地上 划伤 刮伤 腿断了 "
        "磕破 不见了 夹在 卡着 拍窗户 不行了 已经没了 泡在水里 水没过 一刀 一动不动 没气了 断气 "
        "还在里面 有人在里面 人还在里面 里面还有人 要跳 想跳 跳下去 跳下来 悬在半空 吊在半空 "
        "要爬出来 要爬出去 要翻出来 要翻出去 "
        "挂在半空 都没了 倒在路边 倒在那里 倒地 倒在家里 动不了 里面关着 里头关着 里边关着 窗台外 "
        "晕在 磨烂了 擦烂了 被雷劈 雷击 在空调外机上 已经无气了 人无气了 当场无气了 当场就无气了 "
        "跋落 埋着 已经硬了 被冲进 被水冲进 "
        "压住两个 压住一个 压住几个 好像死了 好像已经死了 像是死了 可能死了 "
        "压到一个 压到了一个 压到两个 压到人 没挺过来 没能挺过来 没有挺过来 "
        "没撤出来 没有撤出来 没能撤出来 "
        # "里面几十台冰箱空调我拉不出来": things that cannot be got out.
        "拉不出来 "
        f"{cues.FORCED_INTO_A_CAR}"
    )
)

PERSON_REACH: Final = 16

# "一个男的倒在地上…我摸了一下已经没气了": breath gone is told of the person named earlier in the
# sentence, unless the sentence names a thing that holds gas ("煤气罐没气了").
BREATH_GONE: Final = frozenset(words("没气了 断气"))

GAS_THINGS: Final = (
    "煤气", "燃气", "天然气", "气罐", "液化气", "气瓶", "轮胎", "车胎", "胎", "球", "氧气",
)  # fmt: skip

# "消防栓的箱子被锁起来了": a thing locked, not a person.
LOCKED_THINGS: Final = (
    "箱子", "箱", "柜子", "柜", "抽屉", "盒子", "天台", "楼顶", "顶楼", "消防栓", "消火栓",
    "安全出口", "出口", "逃生门", "消防门", "阀门", "快艇", "游艇", "船", "灭火器",
    # "拆解作坊被关了": a business shut down.
    "作坊", "工厂", "厂子", "门店",
)  # fmt: skip

# "他把电窑和拉坯机锁在仓库里": what 把 takes names nobody (no person word, nor one of these).
SPEAKERS: Final = ("我", "你", "自己", "咱", "俺", "阮", "伊")

# "出不去" is danger in a fire or a flood, not when a car blocks the lane.
NEEDS_A_PERIL: Final = frozenset(
    words(
        "越来越大 出不去 下不去 出不来 还在里面 有人在里面 人还在里面 里面还有人 要跳 想跳 跳下去 "
        "要爬出来 要爬出去 要翻出来 要翻出去 "
        "跳下来 没出来 没下来 还在往外扩"
    )
)

# "四楼还有一个老人没下来" is someone left behind; "审批还没下来", "天黑没下来" are not.
NEEDS_LEFT_BEHIND: Final = frozenset(words("没下来"))

# "还有一个老人没下来", "老父亲还在二楼睡觉没下来": someone still up there.
LEFT_BEHIND_BEFORE: Final = ("还有", "还在")

# "我的奶茶都没了", "果子卖相都没了", "两块都没了": a thing gone, not a person.
GONE: Final = frozenset(words("都没了 已经没了"))

GONE_THINGS: Final = (
    "奶茶", "外卖", "快递", "钱", "包", "货", "电", "票", "水带", "东西", "戒指", "项链", "首饰",
    "手机", "吃的", "喝的", "米", "粮", "骨灰", "坛", "墓碑", "火", "工具", "吃饭的家伙", "石",
    "桩", "井盖", "隐私", "面子", "信号", "盖子", "块", "果子", "卖相", "铜", "电线", "电缆",
    "线缆", "生意", "收入", "饭碗",  # "客人都不敢往里面走，我这生意都没了"
)  # fmt: skip

# "掉下来一根钢管": the thing may follow the cue.
THING_AFTER: Final = re.compile("(?:一|几|两|半)?(?:根|块|个|片|条|支|堆)?")

# "掉下来一捆": a measure word for things, not for people, after the cue.
THING_MEASURE_AFTER: Final = re.compile("(?:一|几|两)(?:根|块|片|条|支|堆|捆|包|箱|袋|卷|只)")

# "大树倒了，压死一个骑车的": a count of people right after the cue (things are counted with
# their own measure words, THING_MEASURE_AFTER).
COUNTED_AFTER: Final = re.compile("[一两俩二三四五六七八九十几\\d]+[个名位]")

# "好几辆车泡在水里": a thing soaked, not a person.
SOAKED: Final = frozenset(words("泡在水里"))

# "海蛎早就变质了…他泡在水里冲一冲又拿出来卖": goods soaked, rinsed and sold again.
SOAKED_FOR_SALE: Final = ("冲一冲", "冲冲", "洗一洗", "拿出来卖", "又拿出来", "再拿出来")

SOAKED_THINGS: Final = (
    "车", "辆", "货", "家具", "东西", "电器", "桶", "爪", "肉", "海鲜", "食材", "豆", "菜",
    "电线", "插线板", "电缆", "电箱", "蛋",
)  # fmt: skip

# "门被压住", "车被砸了", "好几辆都被砸了": a thing pressed or struck, not a person.
PRESSED: Final = frozenset(words("被压 被砸 压在下面"))

PRESSED_THINGS: Final = (
    "门", "车", "辆", "房", "屋", "墙", "棚", "窗", "电线", "线路", "路", "盲道",
)  # fmt: skip

# "摊子被砸得一塌糊涂": the thing struck comes before the cue.
PRESSED_THINGS_BEFORE: Final = (*PRESSED_THINGS, "摊子", "摊位", "桌子", "玻璃", "招牌", "柜台")

THINGS: Final = (
    "砖", "瓦", "石头", "石块", "玻璃", "花盆", "广告牌", "招牌", "树枝", "东西", "杂物", "水泥",
    "钢管", "钢筋", "吊物", "重物", "扳手", "工具", "墙皮", "瓷砖", "外机", "衣服", "钥匙", "手机",
    "垃圾", "木板", "铁皮", "行李", "电脑", "无人机", "风筝", "气球", "横幅", "条幅", "模板",
    "红布", "灰", "货", "单车", "吊篮", "螺丝", "孔明灯", "火星", "集装箱", "屎", "粪",
    "头发",  # "是她自己的头发掉进去的": a hair in the food
    "轮子", "车轮", "轮胎",  # "三轮车轮子掉进去要翻的": a wheel in an open manhole
    # "铁皮招牌一个角已经掉下来了": a corner of a thing named before it.
    "一个角", "一角",
)  # fmt: skip

FALLEN_STUFF: Final = words("泥 土 渣 沙 碎石 石子 水 油 料 货 东西 砖 瓦 灰 碎块")

# How often something falls, between it and the fall ("砖头碎块时不时掉下来").
OFTEN: Final = ("时不时", "不时", "经常", "老是", "总是", "偶尔")

# "泥土掉到路上", "一块砖掉下来": what may be named just before a fall, a thing, not a person.
FALLEN_THINGS: Final = (*THINGS, *FALLEN_STUFF)

# "行李和电脑都还在里面": things left inside, not people.
STILL_INSIDE: Final = frozenset(words("还在里面 都还在里面"))

# "火还在里面烧", "我妈的药还在里面", "老舞鞋都还在里面": a fire or a thing is inside, not a person.
# ("司机已经自己爬出来站在高处，车还在里面": the car.)
STILL_INSIDE_THINGS: Final = ("火", "药", "鞋", "遗像", "东西", "家具", "车")

THING_REACH: Final = 6

# "几辆倒在地上", "树倒在路边": what lies on the ground may be a thing.
LYING: Final = frozenset(words("倒在地上 倒地 躺在地上 倒在路边 倒在那里"))

# "脏水直接倒在路边": poured, not fallen.
LYING_THINGS: Final = (
    "辆", "单车", "车", "树", "杆", "牌", "架", "桶", "箱", "水", "油", "汤", "渣", "料", "土",
    "挡", "栏", "液", "圾", "砖", "菜", "饭",
)  # fmt: skip

# "废料半夜偷偷倒在路边": dumped, not fallen.
DUMPED_BEFORE: Final = ("偷偷", "乱", "随意", "随便")

# "两个人都走了": people counted.
PEOPLE_COUNTED: Final = re.compile("[一两俩仨三四五六七八九十几\\d]+个人")

# "他们公司没挺过来": a business that failed, not a person.
PULLED_THROUGH: Final = frozenset(words("没挺过来 没能挺过来 没有挺过来"))

BUSINESSES: Final = ("公司", "店", "厂", "生意", "企业", "饭店", "工作室", "项目")

# "孩子锁在家里又不放心": a worry about what might be, not someone locked in.
WORRY_AFTER: Final = ("又不放心", "不放心", "也不放心", "怕出事")

# "木栈道被浪打断了": a thing broken by the sea or the wind, not a bone.
BROKEN_BY_WEATHER: Final = ("被浪", "被风", "被水", "被潮水", "被海浪", "被大水")

# "院子里的马蜂窝被人捅了", "捅了个马蜂窝": a nest poked, not a person stabbed.
NEST_POKED: Final = re.compile(r"蜂窝[^，,。；;！!？?]{0,4}$")
NEST_AFTER: Final = re.compile(r"(?:了)?(?:个|一个)?(?:大)?[马黄野胡土]?蜂窝")

# "他和他儿子进去抢鸡没出来": an animal after a verb done to it is no subject.
DONE_TO_AN_ANIMAL: Final = ("抢", "救", "抓", "赶", "喂", "追", "找", "牵", "拉", "杀", "宰")

# "安全出口被锁": an exit locked is a hazard; nobody is shut in by it.
# "消防通道…出不去": a way out that is blocked is a hazard until there is a fire.
WAYS_OUT: Final = ("出口", "通道", "逃生门", "消防门", "疏散门", "安全门")

# "出口被水堵住了，人出不去": a way out blocked by water rising now is danger, not a hazard.
FLOODING: Final = ("被水堵", "水漫", "进水了", "水淹", "被淹")

EXITS: Final = (*WAYS_OUT, "楼梯间")
# "隔壁菌包厂那个蒸汽灭菌锅…锅门那里一直漏气": a steam vessel leaking, with no fuel gas named.
STEAM_VESSELS: Final = ("蒸汽", "灭菌锅", "锅炉", "高压锅", "蒸柜", "蒸笼")
FUEL_GASES: Final = ("燃气", "煤气", "液化", "天然气", "瓦斯", "氨", "氯", "毒气", "气瓶", "气罐")
# "烟从洗衣房窗户灌进来，呛得喘不上气": a complaint of smoke, when nobody is taken ill.
BREATHLESS: Final = frozenset(words("喘不上气 喘不过气"))
CHOKED_BY: Final = ("呛得", "熏得", "呛得人", "熏得人")
TAKEN_ILL: Final = ("医院", "送医", "120", "救护车", "倒", "晕", "抢救", "昏")
# "把我们开荒的钱也卡着": money held back, not someone stuck.
HELD_BACK: Final = frozenset(words("卡着 卡住了 卡住"))
MONEY: Final = ("钱", "款", "工资", "工钱", "押金", "货款", "尾款")
# "切菜机的罩子坏了…阿珠的袖子被卷进去，还好她力气大扯出来了，手没事": clothing caught.
CAUGHT: Final = frozenset(words("卷进 卷进去 绞进 绞进去"))
CLOTHING: Final = ("袖子", "衣袖", "袖口", "衣服", "衣角", "手套", "裤脚")
# "电瓶被人撬走了，我们三个人的都没了": what the people owned is gone, not the people.
OWNERS_BEFORE: Final = ("人的", "们的", "我的", "他的", "她的")
# "泵站的电缆又被剪了…泵起不来": a machine that will not start, not someone down.
MACHINE_DOWN: Final = frozenset(words("起不来 动不了"))
MACHINES: Final = (
    "泵", "电机", "马达", "发动机", "机器", "机子", "抽水机", "发电机", "挖机", "电梯",
)  # fmt: skip
# "宝宝的奶粉卡在里面两天了": what is inside follows its 的 (the baby's milk powder).
HELD_INSIDE: Final = frozenset(words("卡在里面 还在里面 锁在里面"))
OWNED_BEFORE: Final = re.compile("的([^，,。；;！!？?的]{1,4})$")
# "我们的货都拉不出来": goods that cannot be got out, named just before.
GOODS_STUCK: Final = frozenset(words("拉不出来"))
# What a cue is told of when one of these is named just before it (the cue may follow it by one
# of the little words): goods, a machine, money, clothing, what people owned.
NAMED_JUST_BEFORE: Final[tuple[tuple[frozenset[str], str, tuple[str, ...], str], ...]] = (
    (GOODS_STUCK, "都也全还", THINGS, "a thing, not a person"),
    (MACHINE_DOWN, "都也全还又", MACHINES, "a machine, not a person"),
    (HELD_BACK, "都也全还又", MONEY, "money held back, not a person"),
    (CAUGHT, "被都也", CLOTHING, "clothing caught, not a person"),
    (GONE, "", OWNERS_BEFORE, "what they owned, not the people"),
)
# "路口那个坑越来越大了，车过去咣当响": a pothole growing, a road defect (no collapse named).
GROWING: Final = frozenset(words("越来越大"))
COLLAPSE_WORDS: Final = ("塌", "陷")
# "闻着有点漏气的味道": the smell of a leak, noticed (writers grade it a hazard, IV).
SMELL_OF_IT: Final = ("的味道", "的气味", "的味到", "的味")
# "被冲出来的水泥块堵住了门口": what a cue describes, named after its 的 ("被冲走的孩子" is a
# person; "被压的时候还在喊" tells when, not what).
DESCRIBED: Final = re.compile(r"(?:出来|下来|过来|走|倒|塌)?的(?!时候|时|地方|位置|瞬间|那一刻)")
# "外面有人大喊救命…出去一看是两口子喝多了吵架，都没事": a cry, and what it turned out to be.
CRIES: Final = frozenset(words("救命 喊救命 呼救"))
TURNED_OUT: Final = ("一看是", "原来是", "结果是", "才知道是")
# "几十个工人堵在工地门口讨薪，拉了横幅，有人躺在地上": lying down in protest, with no one hurt.
PROTESTING: Final = (
    "讨薪", "讨工资", "讨工钱", "要工资", "要工钱", "横幅", "维权", "补偿款", "不让砌", "不让拆",
    "不让施工", "不让车",
)  # fmt: skip
HURT_IN_A_PROTEST: Final = (
    "打人", "打起来", "动手", "被打", "殴打", "受伤", "伤了", "流血", "出血", "晕", "昏", "不动",
    "救护车", "120", "摔", "抽搐", "中暑", "农药", "自杀", "割腕", "跳楼",
)  # fmt: skip
# "我们船退潮搁浅在滩涂上了，三个人在船上": aground, with people aboard named in the sentence.
AGROUND: Final = frozenset(words("搁浅"))
# "山路塌下来一堆土石，把路堵了…就是里面的人出不来": cut off by a road blocked, not trapped.
ROAD_CUT: Final = (
    "把路堵", "路堵了", "路被堵", "路断了", "路被冲断", "车过不去", "路冲垮", "路被冲垮",
)  # fmt: skip
CUT_OFF: Final = ("里面的人", "村里的人", "里头的人", "村里人")
# "老人也出不去散步", "楼上的人出不去晒被子": an outing kept from, told after a way out stuck.
OUTINGS: Final = ("散步", "晒", "遛", "走走", "锻炼", "跑步", "跳舞", "打球")

# "人不见了" is danger for a child or an elder; a boss who ran off with the wages is not missing.
NEEDS_A_DEPENDANT: Final = frozenset(words("不见了"))

# "被一个陌生男人拉着上了车": a child or an elder taken, named anywhere in the report.
TAKEN: Final = frozenset(
    words(
        "拐走 被拐 被人带走 陌生人带走 被一个陌生 被人抱走 抱走了 被抱走 被一个不认识的 被不认识的"
    )
)

# "妈妈抱走了": a parent took the child (a custody quarrel), nobody abducted it.
PARENTS: Final = (
    "妈妈", "爸爸", "妈", "爸", "母亲", "父亲", "奶奶", "爷爷", "外婆", "外公", "家长",
)  # fmt: skip

DEPENDANTS: Final = words("孩 娃 宝宝 学生 老人 阿公 阿婆 爷 奶 老伯 老太 痴呆 儿子 女儿 孙")

# "按警铃没反应": a bell or a phone that does not answer is no person unconscious.
NOT_ANSWERING: Final = frozenset(words("没反应 没有反应 叫不应 没回应 没有回应"))

DEVICES: Final = ("铃", "话", "钮", "键", "机", "业", "门", "码", "台")
# "怎么上传照片啊，点了没反应": something pressed or tapped that does not answer.
TAPPED: Final = ("点了", "按了", "点击", "点击了")
# "我点了好几次都没反应": tapped again and again.
TAPPED_AGAIN_RE: Final = re.compile(
    "(?:点击|点|按)了?(?:好几|几|好多|很多|两|三)[次下遍](?:都|也|还是)?$"
)

# "走廊放鞋柜和杂物，对门的出不去": a way blocked by things (no fire, no flood), nobody trapped.
BLOCKING_THINGS: Final = ("鞋柜", "杂物", "柜子", "堆满", "堆了", "占了")

WATER_RISING: Final = ("淹", "积水", "进水", "涨水", "洪水", "水漫")

# "哥哥家出不去只能翻墙": a way blocked, with a way round; nobody trapped.
WAY_ROUND_AFTER: Final = ("只能翻", "要翻", "得翻", "只能绕", "要绕", "得绕")

# "我坐轮椅出不去", "坐轮椅就下不去": where a wheelchair cannot pass, a hazard of access.
WHEELCHAIR: Final = ("轮椅",)

# "我们这楼没电梯，她七楼下不来": an upper floor with no lift, a matter of access (not "卡住了",
# someone stuck on a stair lift); "物业把整栋楼的电梯和门禁都停了…老人也上不去下不来": the lift
# switched off.
NO_LIFT_RE: Final = re.compile("没有?电梯|电梯[^，,。；;！!？?]{0,6}?(?:都|也)?(?:停了|停用|停运)")

CANNOT_GET_DOWN: Final = frozenset(words("下不来 下不去"))

# "高龄老人困在六楼…没电梯，下不了楼": kept upstairs by the stairs, as above.
SHUT_ON_A_FLOOR: Final = frozenset(words("困在"))
A_FLOOR: Final = re.compile(r"[一二三四五六七八九十两\d]{1,3}楼")

# "我的鞋子全淹死了", "花都淹死了": a thing or a plant dead, not a person.
DEAD_THINGS: Final = (
    "鞋子", "鞋", "花", "草", "菜", "苗", "庄稼", "秧", "手机", "电脑", "门",
    "海鲜",  # "缸里的海鲜好多都死了翻白了"
)  # fmt: skip
# What may stand between the thing and its death ("海鲜好多都死了").
BEFORE_DEAD_THINGS: Final = "全都也已经快好多很"

# "车都淹死了": all the cars (a bare "车" before the cue may be a rider: "他骑车淹死了").
DEAD_VEHICLES: Final = ("车都", "车全", "车子都", "车子全", "车子")

# "排水口堵住了水下不去": the water cannot drain; nobody is stuck.
WATER_BEFORE: Final = ("水", "雨水", "污水", "积水")

# "楼道里烧纸钱，烟出不去": the smoke cannot clear; nobody is stuck.
SMOKE_BEFORE: Final = ("烟",)

PERILS: Final = words(
    "火 烟 水 淹 塌 埋 毒 燃 楼顶 楼上 窗 桥 崖 塔吊 高处 天台 电梯 轿厢 锁 困 关在 洞 坑 裂 "
    "矿 隧道 冷库 侧翻 翻车 翻了 泄漏 撞 车祸"
)

# "有顾客被呛到" is harm in a fire; "每天被油烟呛到" is a complaint about cooking fumes.
NEEDS_A_FIRE: Final = frozenset(words("被呛到 被烟呛 呛晕 拍门没人应 敲门没人应 叫门没人应"))

# Named people who are explicitly not there do not count as a person named.
# ("有没有人" asks, it does not say nobody.)
NO_ONE: Final = re.compile(
    "没看到有人|看不到有人|看不见有人|(?<!有)没有人|(?<!有)没人|无人|不见人|人行道|人行横道|人行天桥"
)

# "风一吹掉下来": blown down, a thing.
BLOWN: Final = ("风一吹", "被风吹", "风吹")

# "枝丫裂开了，吊在半空": a thing hanging, not a person.
HANGING: Final = frozenset(words("吊在半空 悬在半空 挂在半空"))

HANGING_THINGS: Final = ("枝丫", "枝桠", "树杈", "树干", *THINGS)

# "醉酒男子躺在站台，叫不醒，有呼吸": a drunk asleep, breathing.
DRUNK: Final = ("醉酒", "喝醉", "醉汉", "喝多了")

BREATHING: Final = ("有呼吸", "打呼", "呼噜")

ASLEEP_DRUNK: Final = frozenset(words("叫不醒 叫不应 没反应 倒在地上 躺在地上 倒地"))

# "埋了一辆车，不知道车里有没有人", "不知有出来无" (Minnan): someone may be in it.
MAYBE_SOMEONE: Final = ("有没有人", "有人无", "有出来无", "有没有出来", "出来没有")

# "吵得跟要出人命一样": a likeness, not what happened.
LIKE_BEFORE: Final = ("跟", "像", "仿佛", "如同")

# "刺鼻的味道，像在烧橡胶": a smell likened to burning, not a fire.
SMELLED: Final = ("味", "闻", "臭", "刺鼻")

LIKENESS_AFTER: Final = (*cues.AS_IF_AFTER, "一般")

# "有个男的老在栏杆外转悠": someone walking about outside a fence, not perched outside a railing.
OUTSIDE_A_RAILING: Final = frozenset(words("栏杆外"))

# "挂在栏杆外面干活，没看见系安全带": at work outside a railing, a hazard (IV), not perched to jump.
AT_WORK: Final = ("干活", "作业", "施工", "刷漆", "做防腐", "喷漆", "焊接", "擦玻璃")
WALKING_ABOUT: Final = (
    "转", "徘徊", "晃悠", "走来走去", "溜达", "逛", "偷看", "偷拍", "拍", "拿手机", "举着手机",
)  # fmt: skip

# "房东把门锁换了，东西都锁在里面": things locked in, not people.
LOCKED_IN_THINGS: Final = ("东西", "行李", "家具", "衣服", "货", "证件", "存折", "现金", "房产证")

# "臭到要昏倒", "臭得病人在车里都要吐了": how bad a smell, a noise or the heat is, told by what it
# would do to people (heat that made someone faint, "热得晕倒了", is harm told).
DEGREE_FIGURE: Final = re.compile("[臭吵热累烦晒吓气](?:得|到)")

DEGREE_WOULD: Final = ("要", "快")
# "热气球燃烧器太吵", "旁边就是燃烧机": a device named by what it does, not a fire.
DEVICE_AFTER: Final = {"燃烧": ("器", "机")}
# "天热臭到爆炸": how bad it is, an explosion only as a figure.
DEGREE_ONLY: Final = frozenset(words("爆炸"))
# "工地那边连个人都没出来看": nobody came out to see to it; nobody is shut in.
CAME_OUT_TO: Final = ("看", "说明", "管", "处理", "问", "帮忙")

# "味道能把人熏晕过去": what a smell could do to anyone, said of how bad it is.
COULD_DO_TO_ANYONE: Final = re.compile("[能会要快]把人(?:给)?[熏臭吵晒冻热吓闷呛]$")

# "进门要跳着走", "要跳舞": a way of walking or a dance, not a jump from a height.
NOT_A_LEAP_AFTER: Final = ("着", "过", "舞", "绳", "一下", "起来", "远", "高")
# "一辆拉菜的三轮差点掉进去，司机跳下来了": a driver out of the vehicle, not a leap.
JUMPED_DOWN: Final = frozenset(words("跳下来"))
DRIVER_BEFORE: Final = ("司机", "司机已经", "司机自己", "司机自己已经", "司机已经自己")

# "给了两百嫌少还拍车窗": banging on a car from outside; it tells of people trapped only when
# someone is said to be inside or the car is in water.
BANGING_ON_A_CAR: Final = frozenset(words("拍车窗 拍打车窗"))

SOMEONE_INSIDE: Final = ("里面", "车里", "车内", "困", "淹", "水里", "锁在", "锁着")
# "二十几个球迷把裁判的车围住了…有人拍车窗": a crowd around a car, banging from outside.
CROWD_AROUND: Final = ("围住", "围着", "围了", "围在")

# "晚上还有人在里面睡": people living in a place of hazards, told as a habit, no fire.
LIVING_INSIDE: Final = frozenset(words("有人在里面 人还在里面"))

LIVING_AFTER: Final = ("睡", "住", "过夜")

# "拿手机拍窗户": photographing a window, not banging on it to be let out.
PHOTOGRAPHING: Final = ("手机", "相机", "照相", "拍照")

# "游客挤得动不了": a crowd, not a person who cannot move.
CROWDED: Final = ("挤得", "堵得", "挤到", "堵到")

# "拿着一瓶农药…说不给说法就喝下去", "拿着一瓶农药…说要喝…已经拧开盖子了": a threat to drink,
# with the poison at hand and open ("说要喝" alone, writers label III or II).
DRINKING_POISON: Final = frozenset(
    words("就喝下去 要喝下去 拧开盖子 拧开了盖子 盖子拧开 瓶盖拧开 瓶盖都拧开")
)

POISONS: Final = ("农药", "敌敌畏", "百草枯", "老鼠药", "毒鼠强", "安眠药", "除草剂", "毒药")

# "一看是一只死狗，不是人": the one found is said to be no person ("真不是人" is an insult).
NOT_A_PERSON_AFTER: Final = re.compile(
    "(?:一看|原来|结果|其实)是?[^。！？!?]{0,12}?不是人|不是人[，,]?而?是一?[只条头个]"
)

# "腿疼得厉害起不来": pain that keeps an elder down, with no fall told, is a call for care.
PAIN_BEFORE: Final = ("疼", "痛")

KEPT_DOWN: Final = ("起不来", "行袂动", "走不动")

FALLS: Final = ("摔", "跌", "倒地", "倒在")

# "水还没上来": the water has not risen; nobody failed to come up.
WATER_NOT_RISEN_BEFORE: Final = ("水还", "水")

# "排水口那里还在往外冒泡": a drain bubbling, a nuisance (harm told beside it still counts).
BUBBLING: Final = ("还在往外冒泡", "一直往外冒泡", "还在冒泡")

# "马蜂窝，越来越大": a nest that grows is a hazard.
NESTS: Final = ("窝",)

# "声音越来越大": voices growing louder, not a peril growing.
VOICES: Final = ("声音", "声", "音量", "嗓门")

NEST_REACH: Final = 8

# "挂满了横幅…有的掉下来": some of the things named before.
SOME_OF_THEM: Final = ("有的", "有些")

# "一只受伤的", "两只死了": 只 is the measure word of animals (never of people).
ANIMAL_MEASURE: Final = re.compile("[一两二三四五六七八九十几好]只$")

ANIMALS_COUNTED: Final = re.compile("[一两二三四五六七八九十几好]只")

# A clause with no subject of its own before its cue ("，已经死了"), and the characters of a count.
# ("母鸡受惊都不下蛋了，还有炸死的": 还有, some more, names no one either; nor does 有的, some of
# them, with the time it was so: "鸭子都是蔫的，有的拿来的时候已经死了".)
SUBJECTLESS: Final = re.compile(
    "(?:有的|有些)?(?:[^，,。；;！!？?\\s人]{1,6}的时候)?(?:已经|都|好像|可能|也|早就|应该|估计|还有)*"
)

COUNT_CHARS: Final = "一二两三四五六七八九十几俩个0123456789"

# "拉到人没了", "累得人都没了": what wears someone out, before 到 or 得 and a person gone.
SPENT_BY: Final = frozenset("拉吐累饿困热冷笑哭吓气忙晒冻渴")

FIGURE_BEFORE_POISONING: Final = ("剧", "网", "游戏", "手机", "电视", "追星", "购物")

# "'一遍被蛇咬'，下遍不知有这么好运无": sayings ("一朝被蛇咬，十年怕井绳", once bitten; the Minnan
# "一遍着惊，二遍着火", once a scare, twice a fire; "火烧厝，毋是讲笑的", a house fire is no
# joke); a cue inside one tells nothing that happened.
SAYINGS: Final = ("一朝被蛇咬", "一遍被蛇咬", "二遍着火", "火烧厝，毋是讲笑")
