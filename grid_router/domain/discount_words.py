"""The words around a cue that say it does not count where it stands (pure: standard library
only): negations and the words allowed between a negation and its cue ("没有人员受伤"), conditions
and fears ("万一", "就完了"), habits, harm healed or long past, the background of a request
("中风后需要有人照顾"), a peril over and everyone safe ("人都跑出来了"), figures and sayings.
`discounts.why_discounted` reads them; the cue tables themselves are in `cues`, and the words
that say whom a cue is told of in `subject_words`."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain.cues import WATER_KEPT_OUT, words

# In a report in English, a negation or a condition earlier in the cue's sentence ("nobody was
# hurt", "if it falls").
ENGLISH_NOT: Final = re.compile(
    r"\b(?:no|not|nobody|no one|never|if|maybe|might|afraid|worried|almost|nearly)\b|n't\b",
    re.IGNORECASE,
)

# "遗体整容费", "老太太遗体在我们馆里停了四天", "转运遗体": the remains in a funeral's business,
# not a death the report tells ("殡仪馆先别动遗体" is one).
FUNERAL_AFTER: Final = (
    "整容", "在我们馆", "还在我们馆", "寄存", "火化", "告别", "接运", "转运", "在殡仪馆",
    "还在殡仪馆",
)  # fmt: skip

FUNERAL_BEFORE: Final = ("转运", "接运", "火化", "寄存", "告别")

REMAINS: Final = frozenset(words("遗体 尸体"))

# Someone held by force is one whom others' flight does not make safe ("店里的客人都跑出来了": the
# customers, not her; "人没事" says it of everyone).
HELD_BY_FORCE: Final = frozenset(words("挟持 劫持 人质"))

GOT_OUT: Final = frozenset(
    words("人都跑出来了 人都跑下来了 都撤出来了 人都出来了 自己走出来 都走出来了 安全撤离")
)

# "有人在烧电线皮…晚上十点多还在烧", "把垃圾堆起来烧，塑料烧起来黑烟很呛": a fire lit on purpose
# told elsewhere in the report, so a bare "还在烧" or "烧起来" is that burning, not a fire.
BURNING_BARE: Final = frozenset(words("在烧 正在烧 还在烧 烧起来"))

# "窑里还有一窑东西在烧", "灶还在烧": a kiln or a stove burns as it should.
BURNERS: Final = ("窑", "灶")

# "不是房子着火，就是烧垃圾": a fire named and denied.
NOT_THIS_FIRE: Final = re.compile("不是[^，,。；;！!？?]{1,3}$")

# "上周老洪犯病，现在还是…": words that bring a sentence back to now.
NOW: Final = words("现在 刚才 刚刚 今天 今早 今晚 此刻 目前 正在")

# "一个男的从阳台翻进人家窗户，鬼鬼祟祟的…现在还在里面": an intruder inside, not someone trapped.
BROKE_IN: Final = ("翻进", "爬进", "钻进", "溜进", "撬开", "撬门", "闯进")

# "有人在里面翻东西，现在还没出来": a thief not out yet, not someone trapped.
THIEF_BUSY: Final = ("翻东西", "偷东西", "在偷")

NOT_OUT_YET: Final = frozenset(words("没出来 还没出来"))

SUSPECT: Final = (
    "鬼鬼祟祟", "可疑", "小偷", "贼", "不像住户", "陌生", "手电", "出国", "不在家", "家里没人",
)  # fmt: skip

# A cue word used as the name of a place or a role: 住院部, 急救中心, 急救志愿者 are no people hurt,
# nor is "我在医院上班" (a workplace).
PLACE_AFTER: Final = (
    "部", "科", "楼", "处", "门口", "旁边", "附近", "对面", "斜对面", "周边", "大门", "停车",
    "通道",
    "志愿者", "培训", "知识", "课", "箱", "包", "上班", "工作", "打工", "做护工", "当护工",
)  # fmt: skip

# "烫伤膏", "烧伤软膏": a remedy named after the harm it treats (a fake one sold is the report).
REMEDY_AFTER: Final = ("膏", "药膏", "软膏", "喷雾")

# Names of places and roles that hold a cue word: 急救站 is a first-aid post, not first aid given.
# "男的工地摔伤在家躺了半年": harm followed by months or years of lying up is long past.
LONG_SINCE_RE: Final = re.compile(
    "(?:躺|养|歇|休息|瘫)了(?:大?半年|[一两三四五六七八九十几好]+年|[一两三四五六七八九十几好]+个多?月)"
)
# "工伤到现在老板只给了两千块": the work injury as a claim still open, not someone hurt now (the
# 伤到 inside it is no cue).
OPEN_CLAIM_RE: Final = re.compile("(?<![员职民])工伤(?:到现在|至今|到今天)")
PLACE_NAMES: Final = ("急救站", "急救点", "急救中心", "急救车", "急救员", "急救箱", "是血站")

# "两边卡着", "双方就这么卡着": a standoff, not a person stuck.
STANDOFF_BEFORE: Final = ("两边", "双方", "两家", "就这么", "一直这么")

# "物业不让救护车进": an ambulance kept out is a hazard of access, not harm told.
AMBULANCE: Final = frozenset(words("救护车 急救车"))

# "救护车进巷子都难", "打120都要跑到村口": help hard to get, not help called, said within a few
# characters of it ("救护车刚才进来都是一点一点挪").
HARD_TO_GET_REACH: Final = 12
HELP_HARD_TO_GET: Final = AMBULANCE | {"打120"}

HARD_TO_GET: Final = (
    "都难", "很难", "进不去", "进不来", "开不进", "都要跑", "都得跑", "都打不", "找错", "找不到",
    "找不着", "开不出来", "开不出去", "出不来", "过不去",
    # "救护车开不过去", "只敢开二十码", "进来要按半天喇叭": slowed or stopped on its way.
    "开不过去", "只敢开", "要按半天", "按半天喇叭", "开不动", "被堵", "堵在", "卡在",
    # "救护车刚才进来都是一点一点挪": inching through a crowd.
    "一点一点挪", "一点点挪", "慢慢挪", "挪不动",
)  # fmt: skip

# "打120说头晕，到场测量没什么大碍，未送医": an ambulance called that found nothing grave.
FOUND_FINE: Final = (
    "无大碍", "没什么大碍", "没大碍", "未送医", "不需要送医", "拒绝送医", "未出车", "没有伤员",
    "身体还可以", "测量正常", "心率正常", "没有外伤", "人已经散了", "又说不用了",
)  # fmt: skip

# Care called to, or the signs of, a death the report calls natural.
CARE_CALLED: Final = frozenset(
    words(
        "急救 救护车 叫了120 打了120 打120 120来了 120拉走 120也叫了 120已经叫了 一动不动 叫不应 "
        "没反应"
    )
)

KEPT_OUT_BEFORE: Final = ("不让", "挡住了", "挡住", "堵住了", "堵住")

# "厨师看见了也没反应，照样炒菜": staff told or shown who do nothing, not someone unconscious.
NO_RESPONSE: Final = frozenset(words("没反应 没有反应"))

STAFF: Final = (
    "厨师", "老板", "店家", "商家", "物业", "保安", "工作人员", "管理员", "店员", "服务员", "门卫",
    "城管", "业主", "房东", "司机", "师傅", "经理", "厂家", "施工方",
)  # fmt: skip

NOTICED: Final = ("看见", "看到", "说了", "说过", "反映", "投诉", "提醒", "告诉", "找过", "举报")

# "有人在里面卤猪头肉": people busy inside, not trapped.
# "囤了几十桶工业酒精和燃料": industrial alcohol stored is a hazard; it is a danger now when it is
# mixed into liquor and sold ("散装白酒…工业酒精兑的").
IN_DRINK_ONLY: Final = frozenset(words("工业酒精"))

DRINK: Final = ("白酒", "米酒", "散酒", "散装酒", "高粱酒", "药酒", "假酒", "灌酒", "兑", "喝")

# "平均时速从32掉到20", "压力一下掉到0.1": a figure that dropped, not someone who fell (but
# "掉到3楼的平台上" is a fall).
FIGURE_DROPPED_RE: Final = re.compile(
    r"(?:掉到|跌到)[0-9０-９][0-9０-９.]*(?![0-9０-９.]*(?:楼|层|米|m))"
)

# "半夜有人在车里西东西": someone busy in a car ("西" for 吸), not shut in it.
INSIDE: Final = frozenset(words("有人在里面 人还在里面 还在里面 里面还有人 人在车里"))

BUSY_AFTER: Final = (
    "卤", "做", "煮", "炒", "抽", "打牌", "干活", "睡觉", "吃", "喝", "住", "玩", "上班", "工作",
    "加工", "生产", "聊天", "唱", "跳舞", "输", "赌", "翻东西", "偷", "放贷", "打麻将", "搓麻将",
    "开会", "吸东西", "西东西", "吸毒",
)  # fmt: skip

# "公园里站着个人一动不动": someone standing still, not unconscious.
MOTIONLESS: Final = frozenset(words("一动不动"))

STANDING: Final = ("站着", "站在", "站桩")

# "腰也不行了": a body part failing, not a death; "房梁也快不行了": a house failing; "电瓶也不行了":
# a machine failing.
BODY_BEFORE: Final = (
    "腰", "椎", "腿", "脚", "手", "眼睛", "耳朵", "牙", "身体", "胃", "心脏", "记性", "房梁",
    "屋顶", "梁", "房子", "墙", "电瓶", "电池", "车", "机器", "手机",
)  # fmt: skip

# A cue followed in its clause by one of these names a risk, not a harm ("存在人员被困隐患").
HAZARD_AFTER: Final = (
    "隐患", "风险", "的可能", "可能性", "开不进", "进不来", "进不去", "进出", "通行", "过不去",
    "证明", "登记", "补助", "补贴", "鉴定", "手续", "保险", "报销", "打不出去", "打不通",
    "没地方停", "停不了", "没法停", "停不下", "没批", "没办下来", "审批", "入不来", "入不去",
    "进来都难", "要进来", "推不进去", "不让进", "靠不过去", "靠不近",
)  # fmt: skip

# A report asking for money, papers or a ruling names an injury or a stay in hospital as the
# background of its request ("老公又住院了, 临时救助能申请几次"): that is no incident now.
# "残疾证怎么办？我老伴中风了": an illness named with a request for papers or welfare anywhere in
# the report is the request's background.
ILLNESSES: Final = frozenset(words("中风 脑梗 脑出血"))

ADMIN_REQUEST: Final = (
    "医保", "报销", "补助", "救助", "低保", "补贴", "政策", "证明", "工伤认定", "医疗纠纷",
    "医疗事故", "丧葬", "抚恤", "残疾证", "申请", "办理", "培训", "工作介绍", "找工作", "就业",
    "钱不够", "交不上", "付不起", "看不起病", "民政", "关心一下", "帮忙送医", "协助送医", "没钱",
    "联系送医", "安排送医", "上门的医生", "上门医生", "家庭医生",
    # "出海伤了手，现在干不了活…他问我们有没有临时工可以做".
    "有没有临时工", "找个临时工", "做临时工", "找点活", "找份工", "有没有活干",
)  # fmt: skip

# Said of the harm the learned guess may see: none was done ("没伤到人", "没打人", "没动手").
# "还没伤到人": not yet, so nothing is settled.
NOT_YET: Final = ("还没", "还未", "暂时没", "尚未")

NOT_ALIGHT: Final = ("打不", "点不", "打得")

# "血压", "血糖": a measurement, not a wound ("是血压高" holds the cue "是血").
NOT_A_WOUND_AFTER: Final = ("水", "压", "糖", "脂", "型", "管", "常规", "检", "检查")

IN_SLEEP: Final = frozenset(words("睡梦中 睡着走的 睡过去的 夜里走的 夜里自己走的"))

GASSED: Final = (
    "漏气", "泄漏", "煤气", "燃气", "毒气", "一氧化碳", "中毒", "甲醇", "假酒", "散装白酒", "农药",
)  # fmt: skip

# "打死你", "弄死你": a threat shouted, not a death; "打死我也不信": a manner of speaking.
THREAT_AFTER: Final = ("你", "我也", "我都", "也不", "都不", "谁")  # "谁再看他就砍死谁"

# "要砍死谁", "会摔死人的", "肯定要砸死人": a threat or a fear, not a death.
THREAT_BEFORE: Final = ("要", "会", "能", "扬言", "威胁", "肯定", "快")

THREAT_REACH: Final = 6

# "扁豆没熟是会中毒的": harm that would follow, not harm done.
WOULD_BEFORE: Final = ("会", "就会", "容易", "可能会")

# "掉下来要砸人的", "掉下来可不得了": what would follow a fall.
WOULD_AFTER: Final = (
    "要", "会", "就会", "可能", "可不得了", "不得了", "就麻烦", "就完了", "可就", "就是",
)  # fmt: skip

# "看不到要掉进去的": 要 before the cue and 的 closing its clause tell what is likely, not what is.
LIKELY_BEFORE: Final = ("要",)

LIKELY_AFTER: Final = re.compile("(?:去|来|下去|下来)?的$")

# "干了十几年，什么场面没见过，哭的笑的晕倒的都有": all one has seen, not what happens now.
SEEN_IT_ALL: Final = ("什么场面没见过", "什么没见过", "什么人没见过", "见得多了", "见多了")

ALL_KINDS_AFTER: Final = ("的都有",)

# "两家人为了车位快打死了": near to blows, a figure of speech ("快被打死了" is a person beaten).
NEAR_BLOWS_BEFORE: Final = ("快要", "快")  # the longer first

# "吵得快出人命了": nearly a death, said of a quarrel.
NEARLY_DEATHS: Final = frozenset(words("出人命 闹出人命"))

NEARLY_BEFORE: Final = ("快", "要", "会", "差点")

# "持刀抢走营业款，已逃离": the weapon is gone with whoever held it.
BYSTANDERS_FLED: Final = ("大家都", "人都", "路人都", "大家", "吓")  # "人都吓跑了"

WEAPON_GONE: Final = (
    "抢走", "逃离", "逃跑", "跑掉", "跑了", "已离开", "劝开", "被抓", "制服", "控制住", "被拉开",
)  # fmt: skip

# "有人打电话说她孙子打伤同学要赔钱": a caller's story, the shape of a scam, not harm seen.
CALLER_SAID: Final = ("打电话说", "电话里说", "来电说", "冒充", "自称")

# …when money is asked for: a customer telling by phone of an accident next door is no scam.
SCAM_WORDS: Final = ("钱", "转账", "汇款", "赔", "骗", "冒充", "自称")

# "不想活了…说的是气话": despair said in anger or in jest.
DESPAIR: Final = frozenset(
    words(
        "不想活 活不下去 想不开 轻生 跳楼 要跳 想跳 跳下去 自杀 一起死 同归于尽 往下跳 要往下跳 "
        "就开煤气 扬言点火 扬言引爆 就喝下去 要喝下去 要喝农药 喝农药自杀"
    )
)

IN_ANGER: Final = ("气话", "开玩笑", "说着玩", "赌气")

# "两口子又吵架了，女的一直喊不想活了…现在安静了": despair cried out in a quarrel.
# "说把煤气打开了要一起死": despair with the means at hand is no quarrel's cry.
MEANS_AT_HAND: Final = (
    "煤气", "农药", "安眠药", "汽油", "刀", "百草枯", "敌敌畏", "老鼠药", "毒鼠强", "除草剂",
    "毒药",
)  # fmt: skip

QUARREL: Final = ("吵架", "吵起来", "吵了", "又吵", "在吵", "口角")

# "把她锁在门外": locked out, not in.
OUTSIDE_AFTER: Final = ("门外", "外面", "外头")

# "拉横幅说医院治死了人，要赔钱": a death blamed in a dispute is the dispute, not an incident now.
BLAMED: Final = ("拉横幅", "要赔钱", "讨说法", "讨个说法", "索赔", "医闹", "要求赔偿")

SAYING: Final = ("说", "喊", "嚷", "闹着", "扬言", "威胁", "再不", "就去")

# "他说要拿刀来": a weapon in a threat said, when one of these stands just before it…
THREAT_SAID: Final = (*SAYING, "要")

WEAPON_THREAT_REACH: Final = 8

# …unless it is the caller's report of what happened ("来电者说邻居…拿着菜刀").
REPORTED_SPEECH: Final = re.compile(
    "(?:来电者|来电人|报警人|报警者|求助人|市民|群众|他们|她们|邻居们)(?:反映|报警)?(?:说|称)|来电称|据说|听说"
)

AT_AN_EDGE: Final = words(
    "楼顶 天台 窗台 窗外 阳台外 站在 爬上 爬到 坐在 坐到 护栏外 栏杆外 桥上 边缘 塔吊上"
)

# "脚受伤休息了一个月", "手部受伤治疗结束": harm past and healed, the background of the report.
HEALED: Final = (
    "已经好了", "治疗结束", "出院了", "已出院", "康复", "痊愈", "休息了", "好转", "查体正常",
    "落下残疾", "落下病根",
    "查体无异常",
)  # fmt: skip

HEALED_REACH: Final = 12

# "我妈住院前就反映过": a stay in hospital that dates what is reported.
HOSPITAL_AS_A_TIME_AFTER: Final = ("前", "之前", "以前", "那段时间", "那阵子")

# "他妈妈还在老家住院等钱": a stay in hospital named as a need for money (unpaid wages, aid).
HOSPITAL_NEEDS_MONEY_AFTER: Final = ("等钱", "要钱", "缺钱", "急需用钱", "等着用钱")

# "我在医院陪我妈", "我在医院上夜班": where the reporter is, nobody hurt.
# ("跟我在医院拿的不一样": where the reporter got medicine.)
AT_HOSPITAL_FOR_AFTER: Final = (
    "陪", "照顾", "上班", "上夜班", "值班", "工作", "看病人", "探病", "拿的", "开的", "买的",
)  # fmt: skip

# "在养老院动不了", "卧床多年起不来": a lasting state, no harm now.
LASTING_STATE_BEFORE: Final = ("养老院", "卧床", "瘫痪", "常年", "多年", "长期")

LASTING_STATE_CUES: Final = frozenset(words("动不了 起不来 站不起来 无法起身"))

HARM_CAUSES: Final = (
    "伤", "撞", "摔", "烧", "烫", "砸", "被压", "压到", "中毒", "毒气", "吃了", "喝了", "被打",
    "打了", "殴打", "打架", "砍", "捅", "刺", "咬", "事故", "车祸", "爆", "火", "坠", "跌", "掉",
    "吸入", "闻", "拉肚子", "腹泻", "吐", "晕", "呼吸", "溺", "淹", "触电", "跳", "割", "昏",
    "吃坏", "抢救", "服用", "服了", "血铅",
)  # fmt: skip

# "中风后需要有人照顾", "我妈中风在家躺着": the stroke is the background of what follows.
_AFTER_A_STROKE: Final = (
    "后", "以后", "之后", "两年", "多年", "几年", "一年", "好几年", "过", "了好", "在家躺", "卧床",
    "了半边", "半边", "瘫在床", "瘫床", "瘫痪在床", "在床", "躺床", "躺在床",
    # "中风独居老人缺人照顾": a stroke that names the person.
    "独居", "的老人", "老人",
)  # fmt: skip

_AT_HOME: Final = ("了在家躺", "后在家躺", "在家躺", "了在家休养", "后在家休养", "在家休养")

_OUT_OF_WORK: Final = (
    "干不了活", "了干不了活", "后干不了活", "不能干活", "了不能干活", "干不了重活", "了干不了重活",
    "没工作", "了没工作", "后没工作", "没了工作", "后没了工作", "丢了工作", "后丢了工作",
)  # fmt: skip

# What has been so since an injury: "以后一直没活干", "后不能走路".
_SINCE_THEN: Final = (
    "以后一直", "之后一直", "后一直", "以后干不了", "后干不了", "以后不能", "后不能", "后无法",
    "以后没", "后没有", "后没",
)  # fmt: skip

BACKGROUND_AFTER: Final = {
    "中风": _AFTER_A_STROKE,
    # "腿伤了干不了重活，想问问有没有合适的工作": an injury behind a request for work.
    "伤了": _OUT_OF_WORK,
    # "骨折后一直躺着…想借护理床": a lasting state, the background of a request for care.
    "骨折": ("后一直躺", "后卧床", "后在家躺", "后行动不便", "后坐轮椅"),
    # "奶奶近期摔伤行动不便，孩子吃饭没人管": a lasting state, the background of a request.
    "摔伤": ("行动不便", "后行动不便", "了腿行动不便", "后坐轮椅", "后坐", *_OUT_OF_WORK),
    # "男的干活受伤了在家躺着，房租交不起": an injury at home, the background of a request.
    # "男的受伤干不了活，饭都快吃不上了": an injury that keeps someone from work, a family's need.
    # ("男的在工地受伤以后一直没活干，三个孩子学费都交不起": an injury long past.)
    "受伤": (*_AT_HOME, *_OUT_OF_WORK, *_SINCE_THEN),
    # "奶奶最近也病了起不来床": bedridden, a lasting state.
    "起不来": ("床",),
}

# "奶奶中风住院了，孩子这几天自己煮面吃": harm to a carer, the background of a child left alone.
# ("奶奶最近住院了，孩子一个人在家吃泡面吃了一个礼拜": instant noodles for a week.)
LEFT_ALONE: Final = (
    "没人管", "没人照顾", "没人带", "自己煮", "一个人带娃", "一个人带孩子", "没人做饭", "没人送饭",
    "吃泡面", "孩子自己在家",  # "奶奶住院了，这几天就两个孩子自己在家"
)  # fmt: skip

# "爸爸坐牢妈妈走了，跟奶奶住": a parent lost, the background of a child raised by kin.
RAISED_BY_KIN: Final = (
    "跟奶奶住", "跟爷爷住", "跟外婆住", "跟外公住", "跟着奶奶", "跟着爷爷", "跟着外婆",
)  # fmt: skip

# "老人拄拐走路", "车都发动不了", "屋里还在用明火": a walking stick, an engine, a flame in use
# ("合同上写得清清楚楚可以明火": allowed; "烘豆机也是明火": a machine's own flame);
# "之前都是卖给收废品的，现在说不行了": not allowed any more.
NAMED_BEFORE: Final = {
    "拐走": ("拄",),
    # "施工升降机卡在半空动不了": the cage that is stuck, not someone who cannot move.
    "动不了": ("发", "卡在半空", "停在半空"),
    "明火": ("用", "拿", "可以", "机是", "机也是", "炉是", "炉也是", "灶是", "灶也是"),
    "不行了": ("现在说", "现在又说", "现在规定", "规定说", "政策说"),
    # "年纪大了倒不动了": too old to pour or carry, not someone lying still.
    "不动了": ("倒", "搬", "抬", "拿", "提", "扛", "挑", "背", "推", "拖"),
    # "夜里两三点还在打桩…师父们早课都起不来": kept awake, not fallen.
    "起不来": ("早课都", "早课也", "早起都", "早起也"),
}

# "轮胎这东西一烧起来黑烟能熏死人": once it burns, a condition.
ONCE_BEFORE: Final = "一"

ONCE_CUES: Final = frozenset(words("烧起来 着火 起火"))

# "外婆一直在哭，哭得喘不上气": breathless with crying, distress, not danger.
CRYING: Final = ("哭得", "哭到", "哭的")

BREATHLESS: Final = frozenset(words("喘不上气 喘不过气 喘不过来 上不来气"))

# "听人说那个老伯死了…人还在，没死": a death rumoured and denied ("一个死了，一个没死" is no
# rumour: the death stands).
RUMOURED: Final = ("听说", "听人说", "有人说", "据说", "传说", "都在传")

# ("外面有人在群里乱传说我们厂着火了还死了人，瞎扯，不是的".)
# "俩人都不行了，又吐又拉还发烧": very unwell, not dead.
UNWELL_AFTER: Final = ("又吐", "上吐", "吐", "又拉", "拉肚子", "发烧", "发高烧", "头晕")

# "货架全倒了…一个受伤的都没有": the harm denied after it.
NONE_AFTER: Final = ("的都没有", "的也没有", "的人都没有", "的一个都没有")

DENIED_DEATH: Final = ("没死", "人还在，没", "瞎扯", "瞎说", "胡说", "不是的", "没有的事", "假的")

# "掉进去过", "掉下去过": the directions that may stand between a cue and its 过.
DIRECTIONS: Final = ("下去", "去", "来")

# "说是包子中毒，吓死人了，结果就是馅有点酸": what was said of it, then found to be less, within
# a few clauses of the cue.
FOUND_OTHERWISE: Final = (
    "结果就是", "结果只是", "其实就是", "其实只是", "原来只是", "后来发现只是",
)  # fmt: skip
FOUND_REACH: Final = 20

# "说骨折喝一瓶就好": a cure claimed for harm, no harm now.
CURE_AFTER: Final = ("就好", "能治", "包治", "就能好")

# "说能治骨折", "专治烫伤": a cure claimed for harm, no harm now.
CURE_BEFORE: Final = ("能治", "包治", "专治", "可治")

# "防溺水警示", "防坠落": prevention of harm, not harm ("消防抬出来一个人": the fire service).
PREVENTING: Final = ("防",)

FIRE_SERVICE: Final = ("消防",)

# "“淹死人了”，年年报年年这样": a death in quotes in a complaint that comes every year.
# ("厂里的人说他们开了好多年都没事": safe over the years, not now.)
EVERY_TIME: Final = ("年年", "每年", "每次", "每逢", "一下雨", "好多年", "这么多年", "多少年")

# "卷进洗钱案": drawn into a case, not into water or a machine; "落水管": a drainpipe.
FIGURE_AFTER: Final = {
    "卷进": ("洗钱", "案", "纠纷", "事件", "传销", "骗局"),
    "一直抽": ("烟", "水", "风", "签", "奖", "查"),  # convulsing, not smoking
    "落水": ("管", "沟", "渠", "槽"),  # a drainpipe; "倒落水沟": poured into the gutter
    "有火": ("气",),  # "双方都有火气": anger, not fire
    "冒火": ("星",),  # "插座冒火星": sparks, a hazard (a live wire's 冒火花 is not)
    "着火": ("焰",),  # "画着火焰的标志": a flame drawn
    "送医": ("疗", "药", "的志愿"),  # "送医疗器械的": a delivery; "送医的志愿点": a service
    "被压": ("缩", "价", "低", "路机"),  # a passage narrowed, a price pressed, a road roller
    "挂彩": ("带", "灯", "旗", "球", "条"),  # ribbons hung, not a wound
    # "消火栓一直在漏水": water leaking, no peril.
    # ("船底还在漏臭水": the bilge of a wreck, a nuisance.)
    "一直在漏": ("水", "臭水"),
    "正在漏": ("水", "臭水"),
    "还在漏": ("水", "臭水"),
    "急救": ("电话", "箱", "包", "知识", "培训", "课", "演练", "站点"),  # 打个急救电话: no one hurt
    "抢救": ("性",),  # "抢救性发掘": a rescue excavation
    # "现在烧退了": a fever gone down; "在烧焊": welding; "在烧鹅店洗碗": a roast-goose shop.
    "在烧": ("退", "焊", "鹅", "腊"),
    "晕倒": ("没有",),  # "头晕倒没有": dizzy, but no fainting
    "拿钢管": ("顶", "撑", "支"),  # "拿钢管顶住": a prop, not a weapon
    "下不来": ("一次",),  # "一个月下不来一次": how seldom, not someone stuck
    "道路不通": ("畅",),
}

# "他自己说不治了，吹不动了就等死": treatment refused, not a death despite it.
REFUSED_AFTER: Final = {"不治": ("了",)}

# "自来水管一直在漏，水不大": water leaking from a pipe named before the cue, no peril.
LEAKING: Final = frozenset(words("一直在漏 正在漏 还在漏"))

WATER_PIPES: Final = ("水管", "水龙头", "水箱", "水表", "消防栓", "消火栓")

# "救命，家里进蛇了": a cry that opens a report tells nothing; what follows does.
EXCLAMATIONS: Final = frozenset(words("救命 喊救命"))

# "插座冒火花…拉了总闸，没烧起来": sparks that lit nothing are a hazard, not a fire.
NOTHING_LIT: Final = (
    "没烧起来", "没有烧起来", "没着起来", "没有着起来", "没着火", "没有着火", "差点着火",
    "差点烧起来", "还没着", "没着，",
)  # fmt: skip

# "吃得我嘴巴冒火", "气得眼睛冒火": a body on fire is a figure of speech.
BODY_ON_FIRE: Final = ("嘴巴", "嘴", "眼睛", "眼", "心里", "喉咙", "嗓子")

# "插排挂在窗户上…冒火花", "配电箱一直在冒火花": sparks from a fitting are a hazard; a live wire
# down on the ground sparking ("电线垂在地上还在冒火花") is a danger now.
SPARKING: Final = (
    "插排", "插座", "插线板", "排插", "配电箱", "电表箱", "电箱", "开关", "接头", "电线",
)  # fmt: skip

SPARKS_DOWN: Final = ("地上", "地面", "路面", "水里")

# A question: its clause ends with "？" and with one of these, or asks with one of those.
QUESTION_ENDS: Final = ("吗", "呢", "没有", "没")

QUESTION_WORDS: Final = ("有没有", "有无", "是否", "是不是", "有人", "能不能", "能否", "可不可以")

# Said of everyone: out of danger, so danger cues (not harm done) do not raise the grade.
_SAID_SAFE: Final = words(
    "均安全 都安全 人员安全 人都没事 人没事 都没事 安然无恙 安全撤离 无人员伤亡 屋里没人 里面没人 "
    "船上没人 船上看不到人 船上没看到人 说话也正常 说话正常 人都已经下来了 人都下来了 "
    "人都跑出来了 人都跑下来了 都撤出来了 人都出来了 自己走出来 都走出来了 "
    "没有人员伤亡 无人伤亡 没危险 没有危险 暂时安全 暂时没有危险 暂时没危险 已经自己出来 "
    "已经好了 都好了 现在好了 没有人去医院 没人去医院 没去医院 没有去医院 "
    "身体无碍 并无大碍 没有大碍 无大碍 身体无恙 查体正常 查体无异常 没大事 后清醒 已清醒 "
    "自己跳下来了 已经没事了 现在没事了 现在已经没事 人都好好的 都好好的 人好好的 "
    "大家都还好 都还好 全部自行转移 已全部转移 自行转移上岸 不用叫120 人都平安 都平安 人都挺好 "
    "都挺好的 下来了没事 出来了没事 家里应该没人 人都好 人是好的 人都是好的 跳下来没事 大家没事 "
    "平平安安 人是平安的 自己爬出来 一个不少 清场出来了 "
    # "把挖机埋了，司机刚好下车去吃饭，没人在里面", "下面的工人已经上来了，但土还在掉".
    "没人在里面 里面没有人 人已经上来了 工人已经上来了 人都上来了 人都撤上来了 "
    # "出租屋着火了…楼下的人说里面的租户都下来了".
    "租户都下来了 住户都下来了 租户都出来了 住户都出来了 "
    # Minnan 没事: "三轮车烧起来…司机已经跳下来没代志".
    "没代志 无代志 "
    # "巷仔水淹到膝盖…我们把老人背到祠堂去了，水还在涨": carried to a refuge.
    "背到祠堂 转移到祠堂 背到高处 转移到高处 转移到安置点 "
    # "足球场的人造草着了…我们拿灭火器在喷，人都撤到场外了".
    "人都撤到场外 都撤到场外 人都撤到室外 都撤到室外 "
    # "涵洞水淹到车窗，两台车熄火在里面，人已经爬出来了".
    "人已经爬出来了 人都爬出来了 都已经爬出来了 "
    # "衬砌台车上面还有两个工人没下来，对讲机说没事": those still up there say they are fine.
    "对讲机说没事 对讲机里说没事 隔着门说没事 在里面说没事 在上面说没事"
)
SAFE_NOW: Final = (*_SAID_SAFE, *WATER_KEPT_OUT)

# "人都跑出来了，但是…四楼还有一个老人没下来": the safe word is not said of everyone.
# ("埋了两个人，一个自己爬出来了，一个还在下面".)
SOME_REMAIN: Final = re.compile(
    "还有[^。！？!?]{0,12}?(?:没下来|没出来|没跑出来|在里面|被困|困在|没找到|没救出)"
    "|(?:[一两俩三几]个(?:人)?|另一个)还(?:埋|压|困)?在(?:下面|底下|里面|水里)"
    # ("一个自己爬出来了，另一个腿被压着拉不出来".)
    "|另(?:外)?一个[^。！？!?，,]{0,8}?(?:压着|被压|卡着|埋着|困着|拉不出来|出不来|动不了)"
)
# "有个人腿被压住了，其他几个自己爬出来了": the others are safe, not everyone.
THE_OTHERS: Final = ("其他", "其余", "别的", "另外几个")

# "肯定是被关着的": what the writer is sure of now ("肯定是要出事", "肯定会" are fears).
CERTAIN: Final = re.compile("肯定是(?![要会])")

# "这条路一落雨就淹死人": what happens every time it rains, a manner of speaking, not now.
# "有一个送来就没抢救过来" counts one person: 一 before a measure word is no habit.
HABITUAL: Final = re.compile(
    "一(?![个名位人辆])[^，,。；;！!？?]{1,5}就[要会得]?(?:噼里啪啦(?:地|的)?|滋滋|啪啪)?$"
)

# "每天都有一伙人在车里打牌": danger told of every day is a habit, not now.
EVERY_DAY: Final = (
    "每天", "天天", "每晚", "每个晚上", "经常", "老是", "下雨天", "下雨时", "下雨的时候", "总有",
    "总是", "常常", "每次都", "每回都", "整天", "成天",
)  # fmt: skip

# "好在那会没人没车经过，不然砸死人": what would have happened ("不然不放人" is a cue of its own).
OTHERWISE_BEFORE: Final = ("不然", "要不然", "否则")

# A condition told in the clause before the cue ("真要是有什么事，大家都出不去").
IF_BEFORE: Final = ("万一", "如果", "要是", "假如", "一旦", "真要", "真的要", "哪天")

OVER: Final = (
    "扑灭", "灭了", "已灭", "火灭", "浇灭", "灭掉", "无复燃", "明火已", "已脱困", "救出来",
    "已被救出", "已经救出", "救上来", "捞上来", "已经出来", "放出来了", "已解救", "已恢复",
    "已处置完毕", "已排除", "没事了", "虚惊一场", "已关阀", "维修完毕", "熄灭", "烧完了",
    "没火了", "没有火了", "扶起来了", "谣传", "谣言", "阀门关了", "关了阀门", "阀门关掉了",
    "已经收缴", "被按住了", "被制服了", "关紧了", "没漏了", "不漏了", "盖灭", "喷灭", "喷掉了",
    "关掉了阀门", "总阀关了", "关了总阀", "已经不冒了", "不冒烟了", "帮他挪了", "帮她挪了",
)  # fmt: skip

# "说孩子受伤了要先转钱，其实孩子好好的": harm told, then said not to be so.
# ("有人喊食物中毒，其实不是，是…喝多了吐了": called out, and said not to be so.)
IN_FACT_WELL: Final = re.compile(
    "其实[^。！!？?]{0,8}?(?:好好的|没事|没受伤|没有受伤|平安|在上课|在上班|在家)|其实不是"
)

NO_BREATH: Final = frozenset(
    words("没呼吸 没呼吸了 没有呼吸 没气了 没有气了 没气息 没有气息 没了气息 断气")
)

# "不是着火…等一下，干草堆烧起来了": what turned after "not a fire" was said.
TURNED: Final = ("等一下", "突然", "忽然", "结果", "没想到", "谁知", "后来")

# Of NATURAL, age alone: a death told with it is natural unless the report tells what struck
# ("阿伯年纪大了，过马路被车撞了，医生来看说已经走了" is a road death).
_AGE: Final = "年纪也很大了 年纪很大了 年纪也大了 年纪大了"
AGE_ONLY: Final = frozenset(words(_AGE))
# A death from illness or old age is not graded (DESIGN §3).
NATURAL: Final = words(
    "自然死亡 病逝 疾病 寿终 老死 因病 病故 生病去世 老毛病 不是意外 病走的 睡梦中走 正常死亡 "
    "是老病 老病了 老病走 老病去世 久病 手术后 手术中 做手术 一直卧床 长期卧床 卧床多年 一直卧病 "
    "长期卧病 卧病多年 "
    "一直有心脏病 心脏病多年 心脏病好多年 心脏病很多年 看着很安详 走得很安详 "
    "说是病死的 睡着走的 睡过去的 夜里走的 夜里自己走的 睡梦中 睡觉的时候走 睡觉时走 心脏的问题 "
    "自然去世 很安详 卧床好多年 人是病死的 一直有病 常年有病 一直生病 常年生病 睡梦里走 病死了 "
    "像是病死的 应该是病死的 样子很平静 走得很平静 心脏一直不好 一直心脏不好 不是出了什么事 "
    f"{_AGE}"
)
# What struck someone old, which keeps their age from telling a natural death.
STRUCK_BY: Final = (
    "撞", "车祸", "摔", "砸", "烧伤", "烧死", "着火", "火灾", "淹", "溺", "触电", "被打", "打伤",
    "打死", "捅", "砍", "中毒", "压死", "压伤", "被压", "坠", "掉下", "跌",
)  # fmt: skip
