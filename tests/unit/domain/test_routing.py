"""The route tree and routing decisions: Alertmanager matching semantics on a small tree built
in code, and the bundled Xiamen policy on real units."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import UNLOCATED, Level, Severity
from grid_router.domain.org import Location, Organisation
from grid_router.domain.routing import (
    Departments,
    Grading,
    InfoCopies,
    Matchers,
    Route,
    RouteInput,
    RoutingPolicy,
    TimeRange,
    local_time_of,
    place_name,
    render_department,
    template_problems,
)
from grid_router.domain.taxonomy import CATEGORIES
from grid_router.policy.load import load_default_policy

ORG = load_default_organisation()
POLICY = load_default_policy().routing

ZHONGSHAN = "350203003018"  # 中山社区, 中华街道, 思明区
LIANHUA_VILLAGE = "350212105201"  # 莲花村委会, 莲花镇, 同安区


def at(community: str = ZHONGSHAN) -> Location:
    return ORG.locate(community_code=community)


def inp(
    category: str,
    severity: str = "IV",
    subcategory: str | None = None,
    *,
    location: Location | None = None,
    source: str | None = None,
    local_time: time | None = None,
    confidence: float | None = None,
    needs_triage: bool = False,
) -> RouteInput:
    return RouteInput(
        category=category,
        severity=Severity(severity),
        location=location or at(),
        subcategory=subcategory,
        source=source,
        local_time=local_time,
        confidence=confidence,
        needs_triage=needs_triage,
    )


# --------------------------------------------------------------------------------------------
# Matching semantics, on a tree built in code


def node(name: str, match: Matchers, *children: Route, cont: bool = False) -> Route:
    return Route(name=name, path=(name,), matchers=match, continue_=cont, routes=children)


FIRE = Matchers(categories=frozenset({"FIRE"}))
FOOD = Matchers(categories=frozenset({"FOOD_DRUG"}))
NIGHT = Matchers(time_of_day=(TimeRange(time(22), time(6)),))

TREE = node(
    "root",
    Matchers(),
    node("fire", FIRE, node("fire-night", NIGHT)),
    node("fire-too", FIRE),  # shadowed: first match wins
    node("food-a", FOOD, cont=True),
    node("food-b", FOOD),
    node("food-c", FOOD),  # after a non-continue match
    node("siming", Matchers(districts=frozenset({"350203"})), cont=True),
    node("serious", Matchers(severities=frozenset({Severity.II, Severity.I}))),
)


@pytest.mark.parametrize(
    ("incident", "matched"),
    [
        (inp("FIRE"), ["fire"]),  # the node itself when no child matches
        (inp("FIRE", local_time=time(23, 30)), ["fire-night"]),
        (inp("FIRE", local_time=time(5, 59)), ["fire-night"]),
        (inp("FIRE", local_time=time(6, 0)), ["fire"]),  # the end is exclusive
        (inp("FOOD_DRUG"), ["food-a", "food-b"]),  # continue fans out, then first match stops
        (inp("DISPUTE"), ["siming"]),  # continue with nothing after it matching
        (inp("DISPUTE", "II"), ["siming", "serious"]),
        (inp("DISPUTE", location=at(LIANHUA_VILLAGE)), ["root"]),
        (inp("DISPUTE", "I", location=at(LIANHUA_VILLAGE)), ["serious"]),
    ],
)
def test_match_is_depth_first_first_match_wins_unless_continue(
    incident: RouteInput, matched: list[str]
) -> None:
    assert [r.name for r in TREE.match(incident)] == matched


@pytest.mark.parametrize(
    ("text", "moment", "inside"),
    [
        ((time(22), time(6)), time(22, 0), True),
        ((time(22), time(6)), time(0, 0), True),
        ((time(22), time(6)), time(6, 0), False),
        ((time(22), time(6)), time(12, 0), False),
        ((time(8), time(18)), time(8, 0), True),
        ((time(8), time(18)), time(18, 0), False),
        ((time(18), None), time(23, 59), True),
        ((time(18), None), time(0, 0), False),
    ],
)
def test_time_ranges(text: tuple[time, time | None], moment: time, inside: bool) -> None:
    assert TimeRange(*text).contains(moment) is inside


def test_time_matchers_need_a_time_and_confidence_matchers_need_a_confidence() -> None:
    night = Matchers(time_of_day=(TimeRange(time(22), time(6)),))
    assert not night.matches(inp("FIRE"))
    unsure = Matchers(confidence_below=0.5)
    assert not unsure.matches(inp("FIRE"))
    assert not unsure.matches(inp("FIRE", confidence=0.5))
    assert unsure.matches(inp("FIRE", confidence=0.49))


def test_local_time_is_beijing_time() -> None:
    assert local_time_of(datetime(2025, 3, 1, 15, 30, tzinfo=UTC)) == time(23, 30)
    with pytest.raises(ValueError, match="no timezone"):
        local_time_of(datetime(2025, 3, 1, 15, 30))


# --------------------------------------------------------------------------------------------
# Grading


@pytest.mark.parametrize(
    ("category", "severity", "level"),
    [
        ("DISPUTE", "IV", Level.COMMUNITY),
        ("DISPUTE", "III", Level.STREET),
        ("DISPUTE", "II", Level.DISTRICT),
        ("DISPUTE", "I", Level.CITY),
        ("FIRE", "IV", Level.STREET),  # floor
        ("FOOD_DRUG", "IV", Level.STREET),
        ("WORK_SAFETY", "IV", Level.STREET),
        ("ENVIRONMENT", "IV", Level.STREET),
        ("PUBLIC_SECURITY", "IV", Level.STREET),
        ("CITY_MGMT", "IV", Level.COMMUNITY),
        ("FIRE", "II", Level.DISTRICT),  # the floor never lowers
    ],
)
def test_start_level_from_grade_and_floor(category: str, severity: str, level: Level) -> None:
    assert POLICY.grading.start_level(category, Severity(severity))[0] is level


@pytest.mark.parametrize(
    ("severity", "due"), [("IV", False), ("III", True), ("II", True), ("I", True)]
)
def test_information_copies_from_grade_three_up(severity: str, due: bool) -> None:
    assert POLICY.grading.copies_due(Severity(severity)) is due


# --------------------------------------------------------------------------------------------
# Departments


@pytest.mark.parametrize(
    ("category", "code", "name"),
    [
        ("FOOD_DRUG", "350203", "思明区市场监督管理局"),
        ("FOOD_DRUG", "350203003", "思明区中华市场监督管理所"),
        ("FOOD_DRUG", "350200", "厦门市市场监督管理局"),
        ("FIRE", "350206", "湖里区消防救援大队"),
        ("FIRE", "350200", "厦门市消防救援支队"),
        ("ENVIRONMENT", "350211", "厦门市集美生态环境局"),
        ("PUBLIC_SECURITY", "350203003", "厦门市公安局思明分局中华派出所"),
        ("PUBLIC_SECURITY", "350213", "厦门市公安局翔安分局"),
        ("CITY_MGMT", "350206002", "殿前街道城管执法中队"),
        ("DISPUTE", ZHONGSHAN, "中山社区人民调解委员会"),
        ("DISPUTE", LIANHUA_VILLAGE, "莲花村人民调解委员会"),
        ("WORK_SAFETY", "350212", "同安区应急管理局"),
        ("LIVELIHOOD", "350205", "海沧区民政局"),
        ("OTHER", "350203003", "中华街道网格化服务管理中心"),
    ],
)
def test_department_names_for_real_xiamen_units(category: str, code: str, name: str) -> None:
    assert POLICY.departments.name_for(category, ORG.unit(code), ORG) == name


def test_every_category_has_a_department_at_every_level_for_every_district() -> None:
    for code in CATEGORIES:
        for district in ORG.districts:
            assert POLICY.departments.name_for(code, district, ORG)


def test_templates() -> None:
    chain = ORG.chain(ZHONGSHAN)
    assert (
        render_department("{district_short}·{street_short}·{unit}", chain) == "思明·中华·中山社区"
    )
    assert place_name(ORG.unit(LIANHUA_VILLAGE)) == "莲花村"
    assert template_problems("{district}局", Level.DISTRICT) == []
    assert "no street above it" in template_problems("{street}所", Level.DISTRICT)[0]
    assert "unknown placeholder" in template_problems("{mayor}", Level.CITY)[0]
    assert "not allowed" in template_problems("{city!r}", Level.CITY)[0]


# --------------------------------------------------------------------------------------------
# Decisions with the bundled Xiamen policy


@pytest.mark.parametrize(
    ("incident", "path", "reason", "lead", "assisting", "copies", "sla"),
    [
        (
            inp("FIRE", "III", "FIRE.ACTIVE_FIRE"),
            "default > fire > fire-burning",
            "ROUTED",
            "中华街道 · 中华街道专职消防队",  # a fire burning now is III: the street (DESIGN §3)
            [],
            ["中山社区居委会 · 中山社区微型消防站"],
            "emergency",
        ),
        (
            inp("FIRE", "II", "FIRE.ACTIVE_FIRE"),
            "default > fire > fire-burning",
            "ROUTED",
            "思明区 · 思明区消防救援大队",
            ["思明区 · 思明区应急管理局"],  # continue: fire-burning-rescue
            ["中华街道 · 中华街道专职消防队", "中山社区居委会 · 中山社区微型消防站"],
            "emergency",
        ),
        (
            inp("FIRE", "I", "FIRE.ACTIVE_FIRE"),
            "default > fire > fire-burning",
            "ROUTED",
            "厦门市 · 厦门市消防救援支队",
            ["厦门市 · 厦门市应急管理局"],
            [
                "思明区 · 思明区消防救援大队",
                "中华街道 · 中华街道专职消防队",
                "中山社区居委会 · 中山社区微型消防站",
            ],
            "emergency",
        ),
        (
            inp("FIRE", "IV", "FIRE.EBIKE_CHARGING"),
            "default > fire",
            "ROUTED",
            "中华街道 · 中华街道专职消防队",
            [],
            [],
            "standard",
        ),
        (
            inp("FIRE", "III", "FIRE.ACTIVE_FIRE", location=ORG.locate(address="思明区鼓浪屿街道")),
            "default > fire > gulangyu-fire > gulangyu-fire-burning",
            "ROUTED",
            "思明区 · 思明区消防救援大队",
            [],
            ["鼓浪屿街道 · 鼓浪屿街道专职消防队"],
            "emergency",
        ),
        (
            inp("FOOD_DRUG", "II", "FOOD_DRUG.FOOD_POISONING"),
            "default > food > food-poisoning-many",
            "ROUTED",
            "思明区 · 思明区市场监督管理局",
            ["思明区 · 思明区卫生健康局"],
            [
                "中华街道 · 思明区中华市场监督管理所",
                "中山社区居委会 · 中山社区网格工作站（食品安全协管员）",
            ],
            "emergency",
        ),
        (
            inp("FOOD_DRUG", "IV", "FOOD_DRUG.EXPIRED_FOOD"),
            "default > food",
            "ROUTED",
            "中华街道 · 思明区中华市场监督管理所",
            [],
            [],
            "standard",
        ),
        (
            inp("CITY_MGMT", "III", "CITY_MGMT.ROAD_COLLAPSE"),
            "default > city-mgmt > city-mgmt-emergency",
            "ROUTED",
            "中华街道 · 中华街道城管执法中队",
            [],
            ["中山社区居委会 · 中山社区网格工作站"],  # info_copies: always
            "urgent",
        ),
        (
            inp("CITY_MGMT", "IV", "CITY_MGMT.STREET_VENDOR"),
            "default > city-mgmt",
            "ROUTED",
            "中山社区居委会 · 中山社区网格工作站",
            [],
            [],
            "standard",
        ),
        (
            # A 数字城管 case starts by its grade like any other (DESIGN §3 gives CITY_MGMT no
            # floor): a general one at the community's grid station.
            inp("CITY_MGMT", "IV", "CITY_MGMT.STREET_VENDOR", source="CITY_MGMT"),
            "default > city-mgmt",
            "ROUTED",
            "中山社区居委会 · 中山社区网格工作站",
            [],
            [],
            "standard",
        ),
        (
            inp("PUBLIC_SECURITY", "IV", "PUBLIC_SECURITY.NOISE_DISTURBANCE", local_time=time(23)),
            "default > night-noise",
            "ROUTED",
            "中华街道 · 厦门市公安局思明分局中华派出所",
            [],
            [],
            "urgent",
        ),
        (
            inp("CITY_MGMT", "IV", "CITY_MGMT.CONSTRUCTION_DISTURBANCE", local_time=time(1, 30)),
            "default > night-noise",
            "ROUTED",
            "中华街道 · 厦门市公安局思明分局中华派出所",
            [],
            [],
            "urgent",
        ),
        (
            inp("CITY_MGMT", "IV", "CITY_MGMT.CONSTRUCTION_DISTURBANCE", local_time=time(15)),
            "default > city-mgmt",
            "ROUTED",
            "中山社区居委会 · 中山社区网格工作站",
            [],
            [],
            "standard",
        ),
        (
            inp("DISPUTE", "IV", "DISPUTE.NEIGHBOUR"),
            "default > dispute",
            "ROUTED",
            "中山社区居委会 · 中山社区人民调解委员会",
            [],
            [],
            "standard",
        ),
        (
            inp("DISPUTE", "III", "DISPUTE.GROUP_GATHERING"),
            "default > dispute > dispute-group-gathering",
            "ROUTED",
            "中华街道 · 中华街道人民调解委员会（司法所）",
            [],
            ["中山社区居委会 · 中山社区人民调解委员会"],
            "urgent",
        ),
        (
            inp("OTHER", "IV"),
            "default > unclassified",
            "TRIAGE",
            "中华街道 · 中华街道网格化服务管理中心",
            [],
            [],
            "triage",
        ),
        (
            inp("FIRE", "IV", "FIRE.SMOKE_SMELL", confidence=0.3, needs_triage=True),
            "default > low-confidence",
            "TRIAGE",
            "中华街道 · 中华街道网格化服务管理中心",
            [],
            [],
            "triage",
        ),
        (
            inp("OTHER", "IV", location=ORG.locate(address="厦门市湖里区")),
            "default > unclassified",
            "TRIAGE",
            "湖里区 · 湖里区社会治理指挥中心",  # no street known: the district's desk
            [],
            [],
            "triage",
        ),
        (
            inp("NOT_A_CATEGORY", "IV"),
            "default",  # unmatched: the root's triage
            "TRIAGE",
            "中华街道 · 中华街道网格化服务管理中心",
            [],
            [],
            "standard",
        ),
        (
            inp("FIRE", "III", "FIRE.ACTIVE_FIRE", location=ORG.locate(address="某小区")),
            "default > fire > fire-burning",
            UNLOCATED,
            "厦门市 · 厦门市社会治理指挥中心（12345热线分拨）",
            [],
            [],
            "emergency",
        ),
    ],
)
def test_xiamen_decisions(
    incident: RouteInput,
    path: str,
    reason: str,
    lead: str,
    assisting: list[str],
    copies: list[str],
    sla: str,
) -> None:
    decision = POLICY.decide(incident, ORG)
    assert " > ".join(decision.path) == path
    assert decision.reason == reason
    assert str(decision.lead) == lead
    assert [str(t) for t in decision.assisting] == assisting
    assert [str(t) for t in decision.info_copies] == copies
    assert decision.sla == sla
    assert decision.level is decision.unit.level
    assert decision.reasons[0] == f"matched route {path}"


def test_a_district_level_location_falls_back_upwards_and_says_so() -> None:
    decision = POLICY.decide(inp("DISPUTE", location=ORG.locate(address="厦门市集美区")), ORG)
    assert str(decision.lead) == "集美区 · 集美区司法局"
    assert any("no community known" in r for r in decision.reasons)


def test_reasons_explain_the_level() -> None:
    decision = POLICY.decide(inp("FOOD_DRUG", "IV", "FOOD_DRUG.EXPIRED_FOOD"), ORG)
    assert decision.reasons[1:] == (
        "grade IV (一般) starts at community",
        "category FOOD_DRUG starts at street at least",
    )


# --------------------------------------------------------------------------------------------
# Route settings on a policy built in code


def small_policy(**lead: object) -> tuple[RoutingPolicy, Organisation]:
    departments = Departments(
        {code: {level: f"{{unit}}·{code}·{level.value}" for level in Level} for code in CATEGORIES}
    )
    grading = Grading(
        start_levels={
            Severity.IV: Level.COMMUNITY,
            Severity.III: Level.STREET,
            Severity.II: Level.DISTRICT,
            Severity.I: Level.CITY,
        },
        floors={},
        info_copies_from=Severity.III,
    )
    child = Route(name="x", path=("root", "x"), **lead)  # type: ignore[arg-type]
    root = Route(name="root", path=("root",), triage=True, routes=(child,))
    return RoutingPolicy("t", departments, grading, root), ORG


@pytest.mark.parametrize(
    ("settings", "severity", "lead", "copies"),
    [
        ({}, "IV", "中山社区·DISPUTE·community", 0),
        ({}, "III", "中华街道·DISPUTE·street", 1),
        ({"level": Level.DISTRICT}, "I", "思明区·DISPUTE·district", 2),  # exact override
        ({"min_level": Level.STREET}, "IV", "中华街道·DISPUTE·street", 0),
        ({"min_level": Level.STREET}, "II", "思明区·DISPUTE·district", 2),
        ({"info_copies": InfoCopies.NEVER}, "II", "思明区·DISPUTE·district", 0),
        (
            {"info_copies": InfoCopies.ALWAYS, "level": Level.STREET},
            "IV",
            "中华街道·DISPUTE·street",
            1,
        ),
        ({"department_from": "FIRE"}, "III", "中华街道·FIRE·street", 1),
        ({"departments": {Level.STREET: "{street}特别处"}}, "III", "中华街道特别处", 1),
        ({"triage": True}, "IV", "中华街道·OTHER·street", 0),
        ({"triage": True}, "II", "思明区·OTHER·district", 2),  # a grave report: its grade's desk
        ({"triage": True, "level": Level.CITY}, "IV", "厦门市·OTHER·city", 0),
    ],
)
def test_route_settings(settings: dict[str, object], severity: str, lead: str, copies: int) -> None:
    policy, org = small_policy(**settings)
    decision = policy.decide(inp("DISPUTE", severity), org)
    assert decision.path == ("root", "x")
    assert decision.department == lead
    assert len(decision.info_copies) == copies


STREET_DESK = "中华街道 · 中华街道网格化服务管理中心"


@pytest.mark.parametrize(
    ("category", "grade", "route", "lead", "triage"),
    [
        # Gravity before doubt: an unsure grave report goes to its grade's level at once...
        ("FIRE", "II", "default > fire", "思明区 · 思明区消防救援大队", False),
        ("WORK_SAFETY", "I", "default > work-safety", "厦门市 · 厦门市应急管理局", False),
        # ...while an unsure everyday one waits for a person at the street's desk.
        ("CITY_MGMT", "IV", "default > low-confidence", STREET_DESK, True),
        ("FIRE", "III", "default > low-confidence", STREET_DESK, True),
        # A grave report nobody could place is triaged at its grade's level, not the street's.
        ("OTHER", "II", "default > unclassified", "思明区 · 思明区社会治理指挥中心", True),
    ],
)
def test_gravity_before_doubt(
    category: str, grade: str, route: str, lead: str, triage: bool
) -> None:
    decision = POLICY.decide(inp(category, grade, confidence=0.2, needs_triage=True), ORG)
    assert " > ".join(decision.path).startswith(route)
    assert str(decision.lead) == lead
    assert decision.triage is triage


def test_the_bundled_policy_keeps_grave_reports_out_of_triage() -> None:
    assert POLICY.gravity_problems() == []
