"""The tables the classifier's lexicon reading uses (pure: standard library only): how much a
phrase weighs, which phrases only support a category, the words that negate a phrase or put it
out of the present, how places are masked. `classify.Classifier` applies them.

Tables, not code paths: change the data here, not the functions that read it.
"""

from __future__ import annotations

import re
from typing import Final

APP_OVERRIDE_RATIO: Final = 2.0
"""The app's category is overridden only when another category has at least this many times its
evidence..."""
APP_OVERRIDE_MIN: Final = 1.0
"""...and at least this much evidence in absolute terms (one specific problem phrase)."""

TRIAGE_CONFIDENCE: Final = 0.4
"""Below this confidence the incident goes to the street's triage queue for a person."""

SECONDARY_SHARE: Final = 0.35
"""Another category with at least this share of the winner's evidence is named as a secondary
problem of the report."""

# Phrases that name a thing, a place or a person rather than a problem: they support a category
# but cannot carry it alone ("电动车被盗" is a theft, not an e-bike charging hazard).
CONTEXT_PHRASES: Final = frozenset(
    (  # noqa: SIM905  (one string split on spaces: a table to read)
        # things and places
        "电动车 电瓶车 电驴 小电驴 电动自行车 电单车 电摩 电动摩托 电池 锂电池 "
        "电梯 电梯里 进电梯 食堂 学校食堂 幼儿园 药店 药房 诊所 后厨 工厂 厂房 "
        "车间 仓库 "
        "加工厂 小作坊 工地 施工现场 河道 内湖 筼筜湖 水体 海边 海上 沙滩 堤 "
        "海堤 排洪沟 楼梯间 出租屋 出租房 老房子 老小区 窗口 材料 美容院 高空 "
        "喇叭 音响 "
        "酒吧 KTV 冻品 散装 充电 户口 办理 储存 溶剂 罐车 行车 吊车 叉车 "
        "扶梯 锅炉 轮椅 停在 堆放 吃完 保安 门禁 物业 井盖 路灯 栏杆 护栏 "
        "围挡 社保 "
        "医保 车位 停车位 沥青 "
        # people
        "邻居 邻里 楼上 楼下 对门 隔壁 老公 老婆 夫妻 房东 租客 阿公 阿嬷 "
        "阿伯 老人家 老伯 阿婆 包工头 陌生人 外来人员 一群人 群体 "
        # generic words that occur in every kind of report
        "困难 救助 堵住 注水 头发 异物 色素 切割 打磨 储罐 机器 三轮车 泄露 "
        "倾倒 废料 油污 写字 卡片 传单 张贴 立牌 展板 拱门 开挖 没恢复 挡路 "
        "堵路 乱停 "
        "长期停放 冲突 动手 拳头 转账 冒充 针管 锡纸 吸食 发病 没回家 短租 "
        "刮擦 吵架 骂人 吵起来 养狗 防水 滴水 发霉 遗产 继承 分家 抚养 辞退 "
        "开除 赔偿金 "
        "跑路 押金 房租 租金 补偿款 退费 退款 会员卡 办卡 聚集 围堵 堵门 "
        "一个人住 没人照顾 没出门 摔倒 康复 大病 交不起 就业 招聘 报销 没水 "
        "没电 没气 水很小 "
        "上学 转学 盖章 跑了好几趟 网上办 没有人员受伤 没人受伤 无人员伤亡 住人 "
        "隔间 送医 吃了以后 吃完以后 老人买 直销 口罩 漂白 添加剂 没消毒 配电箱 "
        "电箱 "
        "电表箱 插排 火花 打火 跳闸 漏电 酒精 烧烤 烤肉 熏到 熏得 头晕 臭味 "
        "异味 刺鼻 喷漆 黑烟 烧东西 有烟 烟雾 水带 应急灯 烟感 上锁 锁死 堵死 "
        "楼道堆放 "
        "堆满 泡沫箱 占用公共区域 保洁 环卫 没扫 泥巴 积水 涨水 淹了 塌了 下陷 "
        "大坑 空洞 冒水 喷水 水柱 坑洼 台阶坏 隔离栏 指示牌 座椅 偷 丢了 撬 "
        "可疑 徘徊 "
        "跟踪 尾随 走失 失联 寻人 色情 大麻 神经病 疯子 精神病 横幅 拉绳子 "
        "挂在树上 晾衣服 乱画 乱写 喷字 建议 希望 能否 可不可以 增加 请问 想问 "
        "问一下 政策 "
        "什么时候 有没有 能不能 不清楚 说不清 没事了 挂了 咨询 "
    ).split()
)
CONTEXT_WEIGHT: Final = 0.3
NEGATED_WEIGHT: Final = 0.15
TITLE_WEIGHT: Final = 1.5
# OTHER is what is left when nothing else is said: its phrases ("请问", "建议") occur in many
# real complaints, so they count for less than a problem phrase of the same length.
OTHER_WEIGHT: Final = 0.6
# ...except praise and thanks, which are what such a report is about even when it retells the
# incident that was handled ("上次停水, 你们半天就协调好了, 谢谢").
FULL_WEIGHT_OTHER: Final = frozenset({"OTHER.PRAISE"})
PAST_WEIGHT: Final = 0.5
"""A problem phrase after a past marker ("上次我家老人走丢了") is background, not the request."""
PAST_MARKERS: Final = ("上次", "以前", "之前", "去年", "曾经", "前年", "当年")

# A negation right before a phrase ("未见明火", "没看到冒烟", "无人员受伤") cancels it.
NEGATIONS: Final = ("没有", "没", "无", "未", "不是", "并非", "别", "不要", "不用", "未曾")
CATEGORY_NEGATION_GAP: Final = 2
"""At most this many characters between a negation and a phrase for it to negate the category
reading ("没看到冒烟"); further away a negation is usually about something else ("垃圾没人清,
老鼠很多")."""
SEVERITY_NEGATION_GAP: Final = 5
"""Severity cues are cancelled from further away ("未造成人员伤亡", "没有人员受伤")."""

# Cues after one of these (in the same clause) describe something that did not happen, may
# happen, or happened before: they do not raise the grade now.
NOT_NOW: Final = (
    "差点",
    "差一点",
    "险些",
    "万一",
    "如果",
    "要是",
    "假如",
    "哪天",
    "会不会",
    "怕",
    "担心",
    "容易",
    "以免",
    "防止",
    "避免",
    "可能会",
    "上次",
    "以前",
    "之前",
    "去年",
    "前年",
    "曾经",
    "因病",
    "生前",
    "当年",
    "小时候",
)
# Clauses end at punctuation; a negation or "差点" does not reach across them.
CLAUSE_BREAKS: Final = frozenset("，,。.；;！!？?、\n…~ ）)】")

# Places in the text ("溪边社区", "同安区", "顶许村") are not problems. Names the caller passes
# to `Classifier(place_names=...)` are masked too.
# Two characters before the suffix: most names are that long, and a longer window would swallow
# the words before the name ("送锦旗感谢社区").
PLACE_PATTERN: Final = re.compile(
    r"[\u4e00-\u9fff]{2}(?:社区|街道|村委会|居委会|工业区|片区|公园|大厦|写字楼)"
    r"|[\u4e00-\u9fff]{2}(?:镇|村)(?=[\u4e00-\u9fff])"
)
# The suffixes of `PLACE_PATTERN` alone, in its order: `re` finds these at once, where the
# pattern tries its two characters at every position of the text.
_PLACE_SUFFIX: Final = re.compile("社区|街道|村委会|居委会|工业区|片区|公园|大厦|写字楼|镇|村")
_PLACE_SUFFIX_BEFORE_CJK: Final = frozenset("镇村")
# Phrases whose problem *is* an absence: a negation before them confirms rather than cancels
# ("无任何证照", "未系安全带", "没有批准文号").
ABSENCE_PHRASES: Final = frozenset(
    {
        "证照",
        "营业执照",
        "健康证",
        "批准文号",
        "安全带",
        "安全帽",
        "安全绳",
        "检疫章",
        "规划许可",
        "燃气报警器",
        "防尘网",
        "标签",
        "中文标签",
        "防护罩",
        "检验合格证",
        "消防设施",
        "灭火器",
        "防火门",
        "油烟净化",
        "雾炮",
    }
)
# A problem that harms people outranks one that does not (labelling rule: "the largest risk to
# people"): a category whose own severity cue is live in the text gets this much extra evidence.
RISK_BONUS: Final = 1.5
MASK: Final = "□"


def _cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def mask_place_words(text: str) -> str:
    """`text` with each of `PLACE_PATTERN`'s matches masked (`MASK` for each character), found
    from the suffixes: what `PLACE_PATTERN.sub` gives, in a third of the time. No suffix holds
    another but 村委会 the 村 of the second branch, tried after it as the pattern tries it."""
    pieces: list[str] = []
    done = 0
    for suffix in _PLACE_SUFFIX.finditer(text):
        start, end = suffix.start() - 2, suffix.end()
        if start < done or not (_cjk(text[start]) and _cjk(text[start + 1])):
            continue
        if suffix.group() in _PLACE_SUFFIX_BEFORE_CJK and not (end < len(text) and _cjk(text[end])):
            continue
        pieces += (text[done:start], MASK * (end - start))
        done = end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


# The tables above compiled for the scan (whether any marker occurs, in one pass of `re`).
PAST_RE: Final = re.compile("|".join(map(re.escape, PAST_MARKERS)))
NOT_NOW_RE: Final = re.compile("|".join(map(re.escape, NOT_NOW)))
NEGATION_HEADS: Final = frozenset(marker[0] for marker in NEGATIONS)
