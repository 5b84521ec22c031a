"""The simulated city of `grid-router demo`: who reports what, where and when, and how the
dispatch centres, verifiers and callers act on what they hold.

Pure: no I/O, no clock. Every choice comes from a `random.Random` seeded from the run's seed,
so one seed gives one city: the same reports in the same places at the same moments of the
drill, and the same conduct of every dispatch centre towards each work order (drawn from the
seed and the work order's id, so it does not depend on the order in which orders are seen).

The places are Xiamen's real communities (the bundled organisation); the texts are written the
way grid workers, hotline agents and 数字城管 supervisors write them, one template per
subcategory of the taxonomy, so that the classifier has real work to do.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final, Literal

from grid_router.domain.model import Level, Source, State
from grid_router.domain.org import Organisation, Unit

# --- places --------------------------------------------------------------------------------

# Real roads of each district, for the texts ("湖滨南路一家快餐店…").
ROADS: Final[Mapping[str, tuple[str, ...]]] = {
    "350203": (
        "中山路",
        "厦禾路",
        "湖滨南路",
        "莲前西路",
        "思明南路",
        "禾祥西路",
        "环岛路",
        "鹭江道",
    ),
    "350205": ("海沧大道", "新阳大道", "沧林路", "钟林路", "马青路", "嵩屿南路"),
    "350206": ("吕岭路", "枋湖路", "湖里大道", "金尚路", "仙岳路", "江头北路", "殿前路"),
    "350211": ("集美大道", "杏林湾路", "银江路", "滨水路", "灌口南路", "岑东路"),
    "350212": ("同集南路", "环城南路", "银湖中路", "西柯街", "大同路", "城南路"),
    "350213": ("翔安南路", "新店路", "马巷路", "民安大道", "翔安北路", "洪钟大道"),
}

GRIDS_PER_COMMUNITY: Final = 12
"""Grid numbers 001-012 of each community are used (a community has about ten grids)."""


@dataclass(frozen=True, slots=True)
class Place:
    """A real community of Xiamen, with its street and district."""

    community: Unit
    street: Unit
    district: Unit

    @property
    def spoken(self) -> str:
        """How people name it: 高殿社区, 莲花村."""
        name = self.community.name
        short = self.community.short_name
        if short == name:
            return name
        return f"{short}村" if name.endswith(("村委会", "村民委员会")) else f"{short}社区"

    @property
    def address(self) -> str:
        """The address a hotline agent writes: 湖里区殿前街道高殿社区."""
        return f"{self.district.name}{self.street.name}{self.spoken}"

    def grid_code(self, number: int) -> str:
        return f"{self.community.code}{number:03d}"


def places(org: Organisation) -> tuple[Place, ...]:
    """Every community of the organisation where grid workers walk: the residents' and
    villagers' committees (not farms' living quarters or virtual communities)."""
    found = []
    for unit in org.units_at(Level.COMMUNITY):
        if "虚拟" in unit.name or unit.name.endswith("生活区") or unit.short_name == unit.name:
            continue
        street = org.parent(unit)
        district = org.parent(street) if street is not None else None
        if street is None or district is None:
            continue
        found.append(Place(unit, street, district))
    return tuple(sorted(found, key=lambda p: p.community.code))


# --- what people report ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Template:
    """Reports of one subcategory: texts with {place} (高殿社区), {road} (吕岭路) and {n} (a
    building number), the title a grid worker picks, and what a unit writes when it has dealt
    with it (处理反馈)."""

    subcategory: str
    title: str
    texts: tuple[str, ...]
    results: tuple[str, ...]
    weight: int = 1

    @property
    def category(self) -> str:
        return self.subcategory.split(".", 1)[0]


T = Template
CATALOGUE: Final[tuple[Template, ...]] = (
    # 城市管理 (数字城管's event classes): the bulk of what grid workers walk past.
    T(
        "CITY_MGMT.GARBAGE_BIN_OVERFLOW",
        "垃圾满溢",
        (
            "{place}{n}号楼门口的垃圾桶满溢，垃圾散落一地，两天没人清运，臭味很大。",
            "{road}公交站旁的垃圾箱满溢，周边苍蝇很多，请尽快清运。",
        ),
        ("已通知环卫公司清运，现场已清扫干净。", "环卫车辆已到场清运，增加了每日清运频次。"),
        4,
    ),
    T(
        "CITY_MGMT.ROAD_OCCUPATION",
        "占道经营",
        (
            "{road}有商家占道经营，把货架摆到人行道上，行人只能走机动车道。",
            "{place}菜市场门口的商户占道经营，早高峰堵得电动车过不去。",
        ),
        ("城管中队已劝导商户将货物搬回店内，并约谈经营者。",),
        3,
    ),
    T(
        "CITY_MGMT.ILLEGAL_PARKING",
        "机动车乱停放",
        (
            "{road}人行道上长期有机动车乱停放，把盲道都堵住了。",
            "{place}{n}号楼消防车道旁边每天晚上都有私家车乱停，车主不在现场。",
        ),
        ("已联系交警贴单处理，并在路口增设了禁停标识。",),
        2,
    ),
    T(
        "CITY_MGMT.SHARED_BIKE",
        "共享单车乱停放",
        ("{road}地铁站出口共享单车乱停放，堆了上百辆，堵住了出入口。",),
        ("已通知运营企业调运车辆，现场已清理。",),
        2,
    ),
    T(
        "CITY_MGMT.ILLEGAL_SMALL_ADS",
        "非法小广告",
        ("{place}{n}号楼楼道墙上贴满了开锁、办证的小广告，刚清理完又贴上了。",),
        ("已组织志愿者清除小广告，并对号码进行停机处理。",),
        2,
    ),
    T(
        "CITY_MGMT.ILLEGAL_BUILDING",
        "违章搭建",
        (
            "{place}{n}号楼顶楼住户在楼顶违章搭建铁皮房，邻居担心安全。",
            "{road}沿街店面在后院违章搭建彩钢棚，占用了公共通道。",
        ),
        ("街道执法队已下达限期拆除通知书，当事人已自行拆除。",),
        2,
    ),
    T(
        "CITY_MGMT.ROAD_DAMAGE",
        "人行道破损",
        ("{road}人行道地砖松动破损，下雨天一踩就溅水，有老人差点绊倒。",),
        ("市政养护单位已更换破损地砖。",),
        2,
    ),
    T(
        "CITY_MGMT.STREET_VENDOR",
        "流动摊贩",
        ("{road}每天晚上有流动摊贩聚集卖烧烤和水果，油烟大、垃圾多。",),
        ("城管队员已劝离流动摊贩，并引导其进入夜市规范经营。",),
        1,
    ),
    T(
        "CITY_MGMT.MANHOLE_COVER",
        "井盖缺失",
        ("{road}人行道上一个井盖缺失，已用锥桶临时围挡，晚上很危险。",),
        ("产权单位已补装井盖并撤除围挡。",),
        1,
    ),
    T(
        "CITY_MGMT.EXPOSED_GARBAGE",
        "暴露垃圾",
        ("{place}{n}号楼旁边的绿化带里有一堆生活垃圾没人清，臭烘烘的。",),
        ("已清运暴露垃圾并对周边进行了消杀。",),
        2,
    ),
    # 消防安全: from the street up (full-time fire teams).
    T(
        "FIRE.EBIKE_CHARGING",
        "楼道充电",
        (
            "{place}{n}号楼一楼楼道里有三辆电动车在充电，电线从窗户拉出来。",
            "{place}{n}号楼电动车停在楼道里充电，堵住了楼梯口。",
        ),
        ("已劝导车主将电动车移至集中充电棚，楼道已清理。",),
        3,
    ),
    T(
        "FIRE.BLOCKED_EXIT",
        "消防通道堵塞",
        ("{place}{n}号楼消防通道被杂物和旧家具堵住，消防车根本进不来。",),
        ("物业已清理消防通道内的杂物，并施划了禁停标线。",),
        2,
    ),
    T(
        "FIRE.FACILITY_DAMAGED",
        "消防设施损坏",
        ("{place}{n}号楼的灭火器已经过期，消防栓箱里没有水带。",),
        ("已督促物业更换灭火器并补齐消防水带。",),
        1,
    ),
    # 生态环境
    T(
        "ENVIRONMENT.CATERING_FUME",
        "餐饮油烟",
        ("{place}{n}号楼底商烧烤店油烟直排，熏得楼上住户不敢开窗。",),
        ("已责令店家安装油烟净化设施，复查达标。",),
        2,
    ),
    T(
        "ENVIRONMENT.DUST",
        "扬尘污染",
        ("{road}工地的裸土没有覆盖防尘网，一刮风扬尘很大，周边居民意见很大。",),
        ("已责令施工单位覆盖裸土并增加洒水降尘。",),
        1,
    ),
    T(
        "ENVIRONMENT.BLACK_SMELLY_WATER",
        "河道发黑",
        ("{place}旁边的排洪沟水发黑发臭，疑似有工厂偷排废水。",),
        ("环保站已采样送检，并对沿线排口进行了排查封堵。",),
        1,
    ),
    T(
        "ENVIRONMENT.WASTE_BURNING",
        "露天焚烧",
        ("{place}后山有人露天焚烧垃圾和塑料，浓烟很大，味道呛人。",),
        ("已制止焚烧行为并清理现场。",),
        1,
    ),
    # 安全生产
    T(
        "WORK_SAFETY.GAS_CYLINDER",
        "液化气瓶",
        ("{road}一家小吃店的液化气瓶超过检验期限，软管老化，也没有装燃气报警器。",),
        ("已督促店家更换合格气瓶和软管，安装了燃气报警器。",),
        2,
    ),
    T(
        "WORK_SAFETY.CONSTRUCTION_SITE",
        "工地安全",
        ("{road}在建工地基坑边没有防护栏杆，围挡也倒了一段。",),
        ("已责令施工单位停工整改，防护设施已补齐。",),
        1,
    ),
    T(
        "WORK_SAFETY.GAS_LEAK",
        "燃气泄漏",
        ("{place}{n}号楼楼道里有很浓的煤气味，怀疑燃气管道泄漏。",),
        ("燃气公司抢修人员已关阀检修，泄漏点已修复。",),
        1,
    ),
    # 社会治安: the police station at the street.
    T(
        "PUBLIC_SECURITY.THEFT",
        "电瓶被盗",
        ("{place}{n}号楼车棚里连续几晚有电动车电瓶被盗。",),
        ("派出所已调取监控并加强夜间巡逻。",),
        2,
    ),
    T(
        "PUBLIC_SECURITY.NOISE_DISTURBANCE",
        "噪声扰民",
        ("{place}{n}号楼有租户每天半夜喝酒划拳、大声喧哗，邻居没法睡觉。",),
        ("民警已上门劝导，住户承诺不再扰民。",),
        2,
    ),
    T(
        "PUBLIC_SECURITY.GAMBLING",
        "聚众赌博",
        ("{place}{n}号楼一楼店面里每天晚上都有人聚众赌博，进出人员复杂。",),
        ("派出所已依法查处，收缴赌具。",),
        1,
    ),
    # 矛盾纠纷: the community's people's mediation committee.
    T(
        "DISPUTE.LEAKAGE",
        "漏水纠纷",
        ("{place}{n}号楼两户邻居因为楼上漏水吵了起来，需要社区调解。",),
        ("社区调委会已组织双方调解，约定由楼上住户维修防水层。",),
        3,
    ),
    T(
        "DISPUTE.PROPERTY_MGMT",
        "物业纠纷",
        ("{place}小区业主和物业因为停车费上涨起了纠纷，多人到物业办公室理论。",),
        ("社区已召集业委会和物业协商，暂缓调价。",),
        2,
    ),
    T(
        "DISPUTE.WAGE_ARREARS",
        "拖欠工资",
        ("{road}一处工地十几名工人反映被拖欠了三个月工资。",),
        ("已协调劳动监察部门介入，施工方承诺本周内结清。",),
        1,
    ),
    T(
        "DISPUTE.PARKING_SPACE",
        "车位纠纷",
        ("{place}{n}号楼两户居民因为车位被占吵了好几次，互不相让，请社区调解。",),
        ("网格员已上门调解，双方达成谅解。",),
        1,
    ),
    # 民生服务
    T(
        "LIVELIHOOD.ELDERLY_ALONE",
        "独居老人",
        ("{place}{n}号楼一位独居老人腿脚不便，买菜做饭有困难，希望社区安排助餐和定期探访。",),
        ("社区工作人员已上门探望，老人身体无碍，已纳入每日探访名单。",),
        2,
    ),
    T(
        "LIVELIHOOD.HARDSHIP",
        "困难救助",
        ("{place}一户居民家中顶梁柱患了重病，生活很困难，想申请临时救助。",),
        ("已协助申请临时救助金，并链接慈善资源。",),
        1,
    ),
    T(
        "LIVELIHOOD.UTILITY_OUTAGE",
        "停水",
        ("{place}{n}号楼从早上开始停水，已经大半天了，没有看到任何通知。",),
        ("已联系供水公司抢修，供水已恢复。",),
        1,
    ),
    T(
        "LIVELIHOOD.HOUSING_RENOVATION",
        "加装电梯",
        ("{place}{n}号楼的老人们希望加装电梯，想请社区帮忙协调一楼住户。",),
        ("社区已组织楼栋协商会，加装电梯方案已获通过。",),
        1,
    ),
    # 其他: goes to the street's triage desk.
    T(
        "OTHER.CONSULTATION",
        "咨询",
        ("想问一下{place}附近的社区卫生服务中心周末开不开门。",),
        ("已告知居民服务中心的开放时间。",),
        1,
    ),
)
"""What grid workers and callers report on an ordinary day, weighted by how often."""

SERIOUS: Final[tuple[Template, ...]] = (
    T(
        "FIRE.ACTIVE_FIRE",
        "火灾",
        (
            "{place}{n}号楼一户居民家中起火，浓烟很大，有一位老人被困在屋里出不来。",
            "{road}一家餐馆后厨着火了，火很大，有两名员工被烧伤。",
        ),
        ("消防救援大队已将明火扑灭，被困人员已救出送医。",),
    ),
    T(
        "PUBLIC_SECURITY.FIGHT",
        "打架斗殴",
        ("{road}一家烧烤店门口有人打架斗殴，一人被砍伤，流了很多血。",),
        ("民警已到场控制嫌疑人，伤者已送医救治。",),
    ),
    T(
        "WORK_SAFETY.WORK_ACCIDENT",
        "生产安全事故",
        ("{road}一处工地脚手架坍塌，有两名工人受伤被压在下面。",),
        ("应急管理部门已组织救援，伤者已送医，工地已停工整改。",),
    ),
)
"""Grade II (重大) matters: people trapped or injured. The district acts, every level below is
told, and the public-safety platform is notified (its bridge)."""

TYPHOON: Final[tuple[Template, ...]] = (
    T(
        "CITY_MGMT.WATERLOGGING",
        "道路积水",
        (
            "台风暴雨，{road}低洼路段积水严重，水已经没过膝盖，车辆无法通行。",
            "{place}{n}号楼地下车库进水，积水有半米深，好几辆车泡在水里。",
            "暴雨导致{road}隧道口严重积水，好几辆车熄火停在水里。",
            "{place}菜市场门口道路积水，排水口堵住了，水退不下去。",
        ),
        ("已调派抽排水设备排涝，积水已退去。", "已疏通排水口，道路恢复通行。"),
        6,
    ),
    T(
        "CITY_MGMT.FALLEN_TREE",
        "树木倒伏",
        (
            "受台风影响，{road}一棵大榕树倒伏，压住了路边两辆车，阻断一侧车道。",
            "{place}{n}号楼旁边的行道树被台风吹断，树枝挂在电线上。",
        ),
        ("园林部门已清理倒伏树木，道路恢复通行。",),
        3,
    ),
    T(
        "CITY_MGMT.ILLEGAL_OUTDOOR_AD",
        "广告牌松动",
        ("台风把{road}一块户外广告牌吹得摇摇欲坠，随时可能掉下来砸到行人。",),
        ("已拆除松动的广告牌，并对沿街招牌进行了排查加固。",),
        2,
    ),
)
"""What the typhoon brings: waterlogging (积水, the burst rule's subcategory), fallen trees and
loose billboards (广告牌)."""

HOTLINE_TYPES: Final = (("投诉", 6), ("求助", 3), ("咨询", 1))
HOTLINE_URGENCY: Final = (("一般", 85), ("紧急", 12), ("特急", 3))
CALLER_SURNAMES: Final = "陈林黄张李王吴刘蔡杨郑许洪谢曾"

# 数字城管's event classes (大类) of the subcategories its supervisors raise.
CITYMGMT_CLASSES: Final[Mapping[str, tuple[str, str]]] = {
    "CITY_MGMT.GARBAGE_BIN_OVERFLOW": ("市容环境", "垃圾箱满溢"),
    "CITY_MGMT.EXPOSED_GARBAGE": ("市容环境", "暴露垃圾"),
    "CITY_MGMT.ROAD_OCCUPATION": ("街面秩序", "占道经营"),
    "CITY_MGMT.STREET_VENDOR": ("街面秩序", "流动摊贩"),
    "CITY_MGMT.ILLEGAL_PARKING": ("街面秩序", "机动车乱停放"),
    "CITY_MGMT.SHARED_BIKE": ("街面秩序", "共享单车乱停放"),
    "CITY_MGMT.ILLEGAL_SMALL_ADS": ("宣传广告", "非法小广告"),
    "CITY_MGMT.ILLEGAL_BUILDING": ("施工管理", "违章搭建"),
    "CITY_MGMT.ROAD_DAMAGE": ("设施管理", "道路与人行道破损"),
    "CITY_MGMT.MANHOLE_COVER": ("突发事件", "井盖缺失破损"),
}

Channel = Literal["grid", "hotline", "citymgmt"]
CHANNELS: Final[tuple[tuple[Channel, float], ...]] = (
    ("grid", 0.74),
    ("hotline", 0.18),
    ("citymgmt", 0.08),
)
"""Where ordinary reports come from: grid workers' apps, 12345 tickets, 数字城管 cases."""
SERIOUS_SHARE: Final = 0.015
"""Share of grid workers' reports that are grade II matters (SERIOUS)."""


@dataclass(frozen=True, slots=True)
class Arrival:
    """One report arriving `at` seconds into the drill, through `channel`: `body` is what is
    sent (the API's report, the hotline's ticket or 数字城管's case) without its time stamp,
    which the sender adds (`reported_at`, `created_at`)."""

    at: float
    channel: Channel
    place: Place
    subcategory: str
    body: Mapping[str, Any]
    typhoon: bool = False

    @property
    def reporter(self) -> str:
        """Who reports: the grid worker's staff number, the hotline, or the supervisor."""
        if self.channel == "grid":
            return str(self.body["reporter"]["id"])
        if self.channel == "hotline":
            return "12345"
        return str(self.body["supervisor_id"])


@dataclass(frozen=True, slots=True)
class TyphoonPlan:
    """The typhoon: `lasts` seconds from `starts_at` into the drill, `rate` extra reports a
    second, all from one district."""

    name: str
    district: Unit
    starts_at: float
    lasts: float
    rate: float

    def active(self, t: float) -> bool:
        return self.starts_at <= t < self.starts_at + self.lasts

    def status(self, t: float) -> Literal["coming", "landfall", "passed"]:
        if t < self.starts_at:
            return "coming"
        return "landfall" if self.active(t) else "passed"


TYPHOON_NAMES: Final = ("莫兰蒂", "杜苏芮", "海葵", "泰利", "玛娃")


@dataclass(frozen=True, slots=True)
class Outage:
    """A far side that answers every call with an error for `lasts` seconds from `starts_at`
    into the drill: grid_router's sender retries with backoff and its circuit breaker opens."""

    far_side: str
    name: str
    starts_at: float
    lasts: float

    def status(self, t: float) -> Literal["coming", "down", "over"]:
        if t < self.starts_at:
            return "coming"
        return "down" if t < self.starts_at + self.lasts else "over"


def outage_plan(duration: float | None, lasts: float = 6.0) -> Outage:
    """数字城管 goes down for a few seconds three fifths into the drill (70 s into one that runs
    until Ctrl-C)."""
    starts = 0.6 * duration if duration else 70.0
    return Outage("citymgmt", "数字城管", starts, lasts)


class City:
    """The reports of one drill, in order of arrival: ordinary reports at `rate` a second (a
    Poisson stream), and the typhoon's burst from one district on top of them.

    `tag` makes the far sides' numbers unique per run (12345 ticket numbers and 数字城管 case
    numbers name one incident each, for good)."""

    def __init__(
        self,
        org: Organisation,
        seed: int,
        rate: float,
        tag: str,
        typhoon_at: float | None,
        typhoon_lasts: float = 10.0,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self._rng = random.Random(f"grid-router-demo:{seed}")
        self._places = places(org)
        if not self._places:
            raise ValueError("the organisation has no communities")
        self._by_district: dict[str, list[Place]] = {}
        for p in self._places:
            self._by_district.setdefault(p.district.code, []).append(p)
        self.rate = rate
        self.tag = tag
        self._serial = 0
        self.typhoon: TyphoonPlan | None = None
        if typhoon_at is not None:
            district = self._rng.choice(sorted(self._by_district))
            self.typhoon = TyphoonPlan(
                name=self._rng.choice(TYPHOON_NAMES),
                district=self._by_district[district][0].district,
                starts_at=typhoon_at,
                lasts=typhoon_lasts,
                rate=max(3.0, 1.5 * rate),
            )

    def arrivals(self) -> Iterator[Arrival]:
        """Every arrival, in order, without end (the caller stops at the drill's duration)."""
        t_ordinary = self._rng.expovariate(self.rate)
        typhoon = self.typhoon
        t_storm = typhoon.starts_at if typhoon is not None else math.inf
        while True:
            if typhoon is not None and t_storm < t_ordinary:
                if typhoon.active(t_storm):
                    yield self._storm_report(t_storm, typhoon)
                    t_storm += self._rng.expovariate(typhoon.rate)
                else:
                    t_storm = math.inf
                continue
            yield self._ordinary(t_ordinary)
            t_ordinary += self._rng.expovariate(self.rate)

    # --- the channels ------------------------------------------------------------------------

    def _ordinary(self, at: float) -> Arrival:
        channel = _weighted(self._rng, CHANNELS)
        place = self._rng.choice(self._places)
        if channel == "hotline":
            return self._ticket(at, place, _weighted_template(self._rng, CATALOGUE))
        if channel == "citymgmt":
            sub = self._rng.choice(sorted(CITYMGMT_CLASSES))
            return self._case(at, place, _template(sub))
        if self._rng.random() < SERIOUS_SHARE:
            return self._grid_report(at, place, self._rng.choice(SERIOUS), serious=True)
        return self._grid_report(at, place, _weighted_template(self._rng, CATALOGUE))

    def _storm_report(self, at: float, typhoon: TyphoonPlan) -> Arrival:
        place = self._rng.choice(self._by_district[typhoon.district.code])
        template = _weighted_template(self._rng, TYPHOON)
        if self._rng.random() < 0.15:
            return self._ticket(at, place, template, urgency="紧急", typhoon=True)
        return self._grid_report(at, place, template, typhoon=True)

    def _text(self, template: Template, place: Place) -> str:
        roads = ROADS.get(place.district.code) or ("中山路",)
        text = self._rng.choice(template.texts)
        return text.format(
            place=place.spoken, road=self._rng.choice(roads), n=self._rng.randint(1, 40)
        )

    def _grid_report(
        self,
        at: float,
        place: Place,
        template: Template,
        serious: bool = False,
        typhoon: bool = False,
    ) -> Arrival:
        worker = self._rng.randint(1, 3)
        body: dict[str, Any] = {
            "source": Source.GRID_APP.value,
            "reporter": {"id": f"GW-{place.community.code}-{worker:02d}", "role": "grid_worker"},
            "grid_code": place.grid_code(self._rng.randint(1, GRIDS_PER_COMMUNITY)),
            "description": self._text(template, place),
        }
        # Most grid workers pick a category and a title in the app; some leave it to the router.
        if serious or self._rng.random() < 0.85:
            body["category_code"] = template.category
            body["title"] = template.title
        return Arrival(at, "grid", place, template.subcategory, body, typhoon)

    def _ticket(
        self,
        at: float,
        place: Place,
        template: Template,
        urgency: str | None = None,
        typhoon: bool = False,
    ) -> Arrival:
        self._serial += 1
        surname = self._rng.choice(CALLER_SURNAMES)
        body: dict[str, Any] = {
            "ticket_no": f"{self.tag}-{self._serial:05d}",
            "type": _weighted(self._rng, HOTLINE_TYPES),
            "urgency": urgency or _weighted(self._rng, HOTLINE_URGENCY),
            "title": template.title,
            "content": "来电人反映：" + self._text(template, place),
            "address": place.address,
            "caller_name": surname + self._rng.choice(("先生", "女士")),
            "caller_phone": f"1{self._rng.choice('3589')}{self._rng.randint(0, 999_999_999):09d}",
        }
        return Arrival(at, "hotline", place, template.subcategory, body, typhoon)

    def _case(self, at: float, place: Place, template: Template) -> Arrival:
        self._serial += 1
        event_class, event_type = CITYMGMT_CLASSES[template.subcategory]
        body: dict[str, Any] = {
            "case_no": f"AJ{self.tag}-{self._serial:05d}",
            "event_class": event_class,
            "event_type": event_type,
            "event_code": template.subcategory,
            "description": "监督员巡查发现：" + self._text(template, place),
            "address": place.address,
            "grid_code": place.grid_code(self._rng.randint(1, GRIDS_PER_COMMUNITY)),
            "supervisor_id": f"JD-{place.district.code[-2:]}{self._rng.randint(1, 40):02d}",
        }
        return Arrival(at, "citymgmt", place, template.subcategory, body)


def _weighted(rng: random.Random, choices: Sequence[tuple[Any, float]]) -> Any:
    values = [c for c, _ in choices]
    weights = [w for _, w in choices]
    return rng.choices(values, weights=weights)[0]


def _weighted_template(rng: random.Random, templates: Sequence[Template]) -> Template:
    return rng.choices(templates, weights=[t.weight for t in templates])[0]


def _template(subcategory: str) -> Template:
    for t in (*CATALOGUE, *SERIOUS, *TYPHOON):
        if t.subcategory == subcategory:
            return t
    raise KeyError(subcategory)


def results_for(subcategory: str | None, category: str) -> tuple[str, ...]:
    """What a unit writes when it has dealt with a matter of this kind (处理反馈)."""
    for t in (*CATALOGUE, *SERIOUS, *TYPHOON):
        if t.subcategory == subcategory:
            return t.results
    for t in (*CATALOGUE, *SERIOUS, *TYPHOON):
        if t.category == category:
            return t.results
    return ("已现场核实并处置完毕。",)


# --- the drill clock ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DrillClock:
    """GRID_SLA_SCALE as the demo uses it: `scale` seconds of the city pass each real second."""

    scale: float

    def real(self, drill: timedelta) -> float:
        """Real seconds for a span of drill time."""
        return drill.total_seconds() / self.scale

    def drill(self, real_seconds: float) -> timedelta:
        return timedelta(seconds=real_seconds * self.scale)

    def describe(self, real_seconds: float) -> str:
        """The drill time passed, as a duty officer says it: "3 h 20 min"."""
        minutes = int(real_seconds * self.scale // 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"


# --- how the city acts on what it holds ----------------------------------------------------------


class Who(StrEnum):
    """Who acts: the unit holding the work order (its dispatch centre), a verifier of the area,
    or the far side that raised the incident (the hotline's 回访, 数字城管's supervisors)."""

    DISPATCHER = "dispatcher"
    VERIFIER = "verifier"
    HOTLINE = "hotline"
    CITYMGMT = "citymgmt"


@dataclass(frozen=True, slots=True)
class Move:
    """One thing to do: `action` is the API's action (SIGN, START, HANDLE, ESCALATE, VERIFY,
    CLOSE), or CALLBACK (the hotline's 回访) or STATUS (数字城管's status callback); `body`
    is what is sent."""

    who: Who
    action: str
    body: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Conduct:
    """How one dispatch centre treats one work order, and how it is verified afterwards.

    `misses`: it never signs, so the sign clock breaches (红牌) and the incident climbs a
    level. Otherwise it signs after `sign_fraction` of its sign limit (above 0.7: a yellow card
    first), starts `start_after` drill seconds later, and hands in its result after
    `handle_after` drill seconds of work. `asks_up`: it signs, then asks the level above to
    take it (上报). The verification passes at once or only on the second round."""

    misses: bool
    sign_fraction: float
    asks_up: bool
    start_after: float
    handle_after: float
    verify_after: float
    verify_passes: bool
    result: str


@dataclass(frozen=True, slots=True)
class Holding:
    """What a dispatch centre sees of an incident it holds (from the database): its state since
    `since` (when the demo first saw it in that state), the work order's dispatch and sign
    deadline, and how many verifications it has had (`verifications`)."""

    event_id: str
    level: str
    unit_code: str
    state: str
    source: str
    category_code: str
    subcategory_code: str | None
    dispatched_at: datetime
    sign_by: datetime | None
    handle_by: datetime | None
    since: datetime
    verifications: int = 0


ESCALATE_REASON: Final = {
    "community": "超出社区处置能力，需街道协调执法力量处置",
    "street": "涉及多个部门职责，请区级协调处置",
    "district": "涉及跨区协调，请市级统筹处置",
}
VERIFY_FAILED: Final = "现场复核仍未整改到位，请继续处置"
CLOSE_RESULT: Final = "经核查已处置到位，予以结案"
SATISFIED: Final = ("市民表示满意", "来电人对处理结果满意")
DISSATISFIED: Final = "来电人表示问题仍未解决"


@dataclass(frozen=True, slots=True)
class DispatchCentres:
    """The conduct of every dispatch centre of the city, drawn per work order from the seed.

    `miss_share` of work orders are never signed at the community, street and district (the
    city, with nobody above it, always acts); `ask_up_share` of the community's are signed and
    then passed up (上报); `fail_share` of results fail their first verification (核查不通过),
    and the hotline's callers are as often dissatisfied (回访不满意)."""

    seed: int
    miss_share: float = 0.2
    ask_up_share: float = 0.03
    fail_share: float = 0.1
    clock: DrillClock = field(default_factory=lambda: DrillClock(240.0))

    def conduct(
        self, work_order_id: str, level: str, subcategory: str | None, category: str
    ) -> Conduct:
        rng = random.Random(f"grid-router-demo:{self.seed}:{work_order_id}")
        misses = level != Level.CITY.value and rng.random() < self.miss_share
        # Most sign well within the limit; one in five takes long enough for a yellow card.
        slow = rng.random() < 0.2
        fraction = rng.uniform(0.72, 0.9) if slow else rng.uniform(0.05, 0.5)
        return Conduct(
            misses=misses,
            sign_fraction=fraction,
            asks_up=level == Level.COMMUNITY.value and rng.random() < self.ask_up_share,
            start_after=rng.uniform(60, 600),
            handle_after=rng.uniform(0.3, 2.0) * 3600,
            verify_after=rng.uniform(0.2, 1.0) * 3600,
            verify_passes=rng.random() >= self.fail_share,
            result=rng.choice(results_for(subcategory, category)),
        )

    def next_move(self, held: Holding, conduct: Conduct, now: datetime) -> Move | None:
        """What is done next about `held`, now; None while nothing is due."""
        clock = self.clock
        waited = (now - held.since).total_seconds()
        state = held.state
        if state == State.DISPATCHED:
            if conduct.misses:
                return None
            if held.sign_by is not None:
                limit = held.sign_by - held.dispatched_at
            else:
                limit = timedelta(seconds=clock.real(timedelta(hours=1)))
            due = held.dispatched_at + limit * conduct.sign_fraction
            return Move(Who.DISPATCHER, "SIGN", {"action": "SIGN"}) if now >= due else None
        if state == State.SIGNED:
            if conduct.asks_up and held.level in ESCALATE_REASON:
                reason = ESCALATE_REASON[held.level]
                return Move(Who.DISPATCHER, "ESCALATE", {"action": "ESCALATE", "reason": reason})
            if waited >= clock.real(timedelta(seconds=conduct.start_after)):
                return Move(Who.DISPATCHER, "START", {"action": "START"})
            return None
        if state == State.IN_PROGRESS:
            if waited < clock.real(timedelta(seconds=conduct.handle_after)):
                return None
            return Move(Who.DISPATCHER, "HANDLE", {"action": "HANDLE", "result": conduct.result})
        if state in (State.HANDLED, State.VERIFIED):
            # Verified matters are closed sooner than handled ones are verified.
            wait = conduct.verify_after if state == State.HANDLED else conduct.verify_after / 3
            if waited < clock.real(timedelta(seconds=wait)):
                return None
            passes = conduct.verify_passes or held.verifications > 0
            return self._verification(held, passes)
        return None

    @staticmethod
    def _verification(held: Holding, passes: bool) -> Move:
        handled = held.state == State.HANDLED
        if held.source == Source.HOTLINE:
            # 回访: satisfied closes (from HANDLED it is the verification, then 结案).
            comment = SATISFIED[held.verifications % 2] if passes else DISSATISFIED
            return Move(Who.HOTLINE, "CALLBACK", {"satisfied": passes, "comment": comment})
        if held.source == Source.CITY_MGMT:
            if handled:
                status = "核查通过" if passes else "核查不通过"
                comment = "监督员现场核查通过" if passes else VERIFY_FAILED
                return Move(Who.CITYMGMT, "STATUS", {"status": status, "comment": comment})
            return Move(Who.CITYMGMT, "STATUS", {"status": "结案", "comment": "案件办结"})
        if handled:
            body: dict[str, Any] = {"action": "VERIFY", "verify_passed": passes}
            if not passes:
                body["reason"] = VERIFY_FAILED
            return Move(Who.VERIFIER, "VERIFY", body)
        return Move(Who.VERIFIER, "CLOSE", {"action": "CLOSE", "result": CLOSE_RESULT})


def verifier_unit(level: str, unit_code: str, city_code: str) -> str:
    """The unit whose verifier checks what `unit_code` handled: the street for its communities
    and itself (街道核查员), the district for itself, the city for itself."""
    if level in (Level.COMMUNITY.value, Level.STREET.value):
        return unit_code[:9]
    if level == Level.DISTRICT.value:
        return unit_code[:6]
    return city_code
