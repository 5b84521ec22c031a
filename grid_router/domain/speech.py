"""How residents speak, as grading and counting read it (pure: standard library only): where a
clause ends, and the words that put what follows out of the present ("差点", "如果", "去年")."""

from __future__ import annotations

from typing import Final

# Residents' messages break clauses with spaces as often as with commas ("摔倒了起不来 门反锁着").
CLAUSE_BREAKS: Final = frozenset("，,。.；;！!？?\n…~ 　")
# "真着火了跑不出去": what would follow if the hazard came true, a fear, not a fire. ("是真的着火了"
# insists the fire is real.)
IF_IT_CAME_TRUE: Final = (
    "真着火", "真着了", "真烧起来", "真起火", "真出事", "真的出事", "真要", "真的要", "真有事",
    "真有什么事",
)  # fmt: skip
HYPOTHETICAL: Final = (
    "差点", "差一点", "险些", "万一", "如果", "要是", "假如", "哪天", "会不会", "怕", "担心",
    "容易", "极易", "很易", "以免", "防止", "避免", "可能会", "迟早", "早晚", "一旦", "随时",
    "隐患", "小心", "别又",
    "预防", "生怕", "搞不好", "弄不好", "说不定", "恐怕", "万一哪天", "以为", "误以为", "传言",
    "谣言", "谣传", "是否", "是不是", "不知道", "不清楚", "希望", "电视上", "新闻里", "网上说",
    *IF_IT_CAME_TRUE, "等有人", "等到有人", "等着出",
    "等出了", "肯定", "掉下去就", "掉进去就", "进去就", "这要", "这样下去",
)  # fmt: skip
HISTORY: Final = (
    "上次", "以前", "之前", "去年", "前年", "曾经", "当年", "小时候", "以往", "过去这", "过去那",
    "过去几", "前几年", "几年前", "上个月", "上回", "因病", "生前", "寿终", "病逝", "自然死亡",
    "老死", "上个礼拜", "上礼拜", "上个星期", "上星期", "上周", "前段时间", "年前", "前阵子",
    "前一阵",
)  # fmt: skip
# Of HISTORY, a year or more ago: harm that long past raises no grade, and no learned guess either
# ("去年在厂里被打磨机伤了手指…不给报医药费"; last week's injury, still in hospital, is II to
# writers).
LONG_AGO: Final = ("去年", "前年", "前几年", "几年前", "当年", "小时候", "年前")
