"""How the learned model's grade probabilities move a grade the cues gave (DESIGN §3, "Gravity
before doubt"), with a stand-in model whose probabilities a test sets: harm or danger raises a
III/IV reading to II unless the text says everyone is safe; then, or when harm is unlikely, a
likely grade III still raises a IV reading to III."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pytest

from grid_router.domain.classify import Classifier, ModelReading
from grid_router.domain.model import Severity
from grid_router.policy.taxonomy import load_default_taxonomy

TAXONOMY = load_default_taxonomy()


@dataclass
class StandIn:
    """A learned model that reads every report alike: OTHER, with the given grade guesses."""

    grave: float
    serious: float
    version: str = "stand-in"
    triage_below: float = 0.0
    serious_at: float = 0.5
    grave_at: float = 0.2

    def read(self, text: str, lexicon: Mapping[str, float]) -> ModelReading:
        return ModelReading({"OTHER": 1.0}, (), self.grave, self.serious)

    def read_many(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        return [self.read(text, lexicon) for text, lexicon in reports]


def grade(text: str, grave: float, serious: float) -> Severity:
    return Classifier(TAXONOMY, model=StandIn(grave, serious)).classify(text).severity


QUARRY = "采石场放炮后山体塌下来，把路和一台挖机埋了，司机刚好下车去吃饭，没人在里面"
PIT = "工地基坑边上的土在塌，一块一块往下掉，下面的工人已经上来了，但土还在掉"
PLAIN = "小区门口的路灯坏了一个星期了"
WALL = "昨晚暴雨，一段挡土墙塌了，土石盖住了半边马路，没有人被压到"
SET_FIRE = "影视城里搭的老街景起火了，已经打了119，人全清场出来了，点过名一个不少"
IRON_BAR = "村口有个喝醉的男的拿着一根铁棍在路上乱挥，没打到人，现在坐在小卖部门口"
KNIFE_WAVED = "夜市里有个男的掏出刀子朝路人比划了几下就跑了，没有人被划伤"
NOT_BAD = "幼儿园中午吃完饭有六七个小朋友肚子疼，医生看过说不严重"
ROBBED = "金店刚刚被抢了，一个男的拿着刀让店员把金子拿出来，抢完就跑了，人没受伤"
TENANTS_DOWN = "城中村一栋出租屋着火了，四楼冒烟，楼下的人说租户都下来了"
PICKUP = "有个人开着皮卡在工业区里乱冲，已经撞倒一排电动车，人没撞到，现在还在开，一身酒气"
REFUGE = "暴雨，村里巷仔水淹到膝盖，进了十几户厝里，我们把老人背到祠堂去了，水还在涨"
UPSTAIRS = "高龄老人困在六楼。阿婆一个人住六楼，没电梯，下不了楼，已经半年没出门了"
LAST_YEAR = "去年在厂里被打磨机伤了手指，手术早就做完了，但是厂里到现在不给报医药费"
CLIMBED_OUT = "暴雨，涵洞水淹到车窗，两台车熄火在里面，人已经爬出来了"
PEEPING = "第八市场人挤人的时候，有个男的拿手机从下往上拍穿裙子的女生，他往开禾路方向走了"
PEEPED_AND_HIT = "有个男的在地铁上偷拍女生被发现，还动手打人"
NO_BLOOD_YET = "后巷两伙人在打群架，十来个人，有人拎着钢管，还没见血，快来！"
MILD = "车间里六七个人上吐下泻，厂医看过说问题不大，都回宿舍躺着了"
STAGED = "匝道口老有个人骑电动车故意往慢行的车身上靠，倒地就喊撞人了要钱"
BLADE_AND_THREAT = "菜市场有个男的拿着杀鱼刀在追人，嘴里喊着要砍死他，摊主都躲起来了"
THREAT_ONLY = "喝醉了在门口喊要砍死他们全家"
LAST_WEEK = "上周六晚我父亲在没有盖板的排水沟摔下去，摔断了髋骨，现在还在住院"


@pytest.mark.parametrize(
    "text",
    [
        QUARRY, PIT, WALL, SET_FIRE, IRON_BAR, KNIFE_WAVED, NOT_BAD, ROBBED, TENANTS_DOWN, PICKUP,
        REFUGE, LAST_YEAR, CLIMBED_OUT, PEEPING, NO_BLOOD_YET, MILD, STAGED, THREAT_ONLY,
    ],
)  # fmt: skip
def test_everyone_safe_keeps_a_likely_harm_from_raising_to_ii(text: str) -> None:
    assert grade(text, grave=0.9, serious=0.1) is not Severity.II


@pytest.mark.parametrize("text", [PLAIN, LAST_WEEK, PEEPED_AND_HIT, BLADE_AND_THREAT])
def test_a_likely_harm_raises_a_report_that_does_not_say_everyone_is_safe(text: str) -> None:
    """Harm told as last week's, someone still in hospital, is raised as writers grade it; so is
    a threat to kill shouted with a blade in hand (a threat alone settles the grade)."""
    assert grade(text, grave=0.9, serious=0.1) is Severity.II


@pytest.mark.parametrize("grave", [0.9, 0.0])
def test_a_likely_grade_iii_raises_a_grade_iv_reading_whether_or_not_harm_was_vetoed(
    grave: float,
) -> None:
    """The pit: the cues give IV, everyone is out, and the model finds it grave: III, not IV."""
    assert grade(PIT, grave=grave, serious=0.9) is Severity.III
    assert grade(PIT, grave=grave, serious=0.1) is Severity.IV


def test_an_old_person_kept_upstairs_with_no_lift_is_not_raised_at_all() -> None:
    """Kept on the sixth floor by the stairs: a matter of access, IV whatever the model guesses."""
    assert grade(UPSTAIRS, grave=0.9, serious=0.9) is Severity.IV
