"""The words that keep the learned guess from raising a report to II (pure: standard library
only): a claim for wages, no harm done, someone unwell but on their feet, a theft without force.
`grading` reads them when the cues leave a report at III or IV and the model finds people likely
harmed or in danger; cues of harm or danger now still count whatever these say."""

from __future__ import annotations

import re
from typing import Final

# A claim for unpaid wages: money owed, no harm (cues of harm or danger now still count).
WAGE_CLAIM: Final = (
    "没发工资", "不发工资", "工资没发", "拖欠工资", "欠工资", "欠薪", "讨薪", "工资不给",
)  # fmt: skip
NO_HARM_DONE: Final = (
    "没伤到人", "没有伤到人", "没伤人", "没有伤人", "没打人", "没有打人", "没动手", "没有动手",
    "没打起来", "没有打起来", "没人动手", "没有人动手", "没人受伤", "无人受伤", "没有人受伤",
    "未伤人", "未造成人员受伤",
    "没伤着", "没有伤着", "人都没伤到", "都没伤到", "没打到人", "没有打到人",
    # "挡土墙塌了…没有人被压到".
    "没有人被压到", "没人被压到", "没压到人", "没有压到人", "没砸到人", "没有砸到人",
    # "掏出刀子冲着路人比划后往海边方向跑了，当时没有人被划伤".
    "没有人被划伤", "没人被划伤", "没有人被砍到", "没人被砍到", "没有人被砍伤", "没人被砍伤",
    "没有人被捅", "没人被捅", "没有人被刺伤", "没人被刺伤",
    # "拿着刀让老板娘把钱拿出来，抢完骑摩托跑了…人没受伤".
    "人没受伤", "人都没受伤",
    # "开着皮卡在工业区里乱冲，已经撞倒一排电动车…人没撞到".
    "人没撞到", "人没有撞到", "没撞到人", "没有撞到人", "没撞着人",
)  # fmt: skip
# "老有个人骑电动车故意往慢行的车身上靠，倒地就喊撞人了要钱": a collision staged for money (碰瓷).
STAGED: Final = re.compile("碰瓷|假装摔倒|假摔|故意往[^，,。；;！!？?]{0,8}?(?:靠|躺)")
# "两伙人在打群架…有人拎着钢管在追，还没见血": no blood drawn, even "yet" (writers grade such fights
# III: a weapon chasing people, a cue of its own, still makes it II).
NO_BLOOD: Final = ("没见血", "没有见血")
# …unless the claim comes with a threat to jump or die ("不给钱就跳下来"): the learned guess stands.
WAGE_DESPAIR: Final = ("跳", "死", "爬到", "楼顶", "塔吊", "轻生", "不想活", "活不下去")
# "人清醒能走动，不愿意去医院": someone unwell but on their feet, who will not go to hospital.
ON_THEIR_FEET: Final = (
    "能走动", "能自己走", "能走能", "不愿意去医院", "不肯去医院", "不愿去医院", "不想去医院",
    # "七八个学生肚子疼被送到校医那里，老师说不严重": unwell, said not to be badly so.
    "不严重", "不算严重", "不太严重", "症状不重", "症状都不重", "不算重", "伤得不重", "伤势不重",
)  # fmt: skip
# "手机被人从背包里摸走了": a theft without force. Force (a robbery, a weapon) may hurt someone,
# and a child "偷走" is taken, not stolen.
STOLEN: Final = ("被偷", "偷走", "摸走", "扒走", "被扒", "顺走", "偷了")
# "有个男的拿手机从下往上拍穿裙子的女生": filming or peeping on someone, no harm to life (with
# force or a child, NOT_A_MERE_THEFT, the learned guess stands).
PEEPING: Final = ("偷拍", "从下往上拍", "拍裙底", "往裙底", "偷窥")
# What is done to people without force, each with how the explanation names it.
WITHOUT_FORCE: Final = (
    (STOLEN, "a theft without force"),
    (PEEPING, "filming or peeping, no force"),
)
NOT_A_MERE_THEFT: Final = (
    "抢", "刀", "打人", "打了", "砍", "捅", "推倒", "拖", "受伤", "伤了", "流血", "出血", "动手",
    "孩子", "小孩", "婴儿", "宝宝", "娃",
)  # fmt: skip
