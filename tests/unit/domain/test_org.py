"""The organisation (Xiamen's divisions), grid codes and locating a report."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import UNLOCATED, Level
from grid_router.domain.org import (
    GridCode,
    InvalidGridCode,
    Location,
    Organisation,
    OrganisationDataError,
    Unit,
    UnknownUnit,
    parse_grid_code,
)

# The bundled data is parsed once per process (functools.cache); module level so that
# hypothesis tests can use it without a function-scoped fixture.
ORG = load_default_organisation()
COMMUNITIES = ORG.units_at(Level.COMMUNITY)


def names(location: Location) -> tuple[str | None, str | None, str | None]:
    """(district, street, community) names of a location, None where unknown."""
    return (
        location.district.name if location.district else None,
        location.street.name if location.street else None,
        location.community.name if location.community else None,
    )


# --------------------------------------------------------------------------------------------
# The bundled data


def test_bundled_data_has_xiamen_counts() -> None:
    assert ORG.city.code == "350200"
    assert ORG.city.name == "厦门市"
    counts = {level: len(ORG.units_at(level)) for level in Level}
    assert counts == {Level.CITY: 1, Level.DISTRICT: 6, Level.STREET: 54, Level.COMMUNITY: 555}
    assert len(ORG) == 616
    assert [d.name for d in ORG.districts] == [
        "思明区",
        "海沧区",
        "湖里区",
        "集美区",
        "同安区",
        "翔安区",
    ]


def test_loader_is_cached() -> None:
    assert load_default_organisation() is ORG


def test_every_code_extends_its_parent_code() -> None:
    # Streets carry their district's 6 digits, communities their street's 9; a district shares
    # only the first 4 digits with the city (350203 under 350200).
    for unit in ORG:
        if unit.parent_code is None:
            continue
        prefix = "3502" if unit.level is Level.DISTRICT else unit.parent_code
        assert unit.code.startswith(prefix), unit
        assert len(unit.code) == unit.level.code_length


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("350200", ["厦门市"]),
        ("350203", ["思明区", "厦门市"]),
        ("350203003", ["中华街道", "思明区", "厦门市"]),
        ("350203003001", ["仁安社区居委会", "中华街道", "思明区", "厦门市"]),
        ("350206002", ["殿前街道", "湖里区", "厦门市"]),
        ("350211102201", ["坑内村委会", "灌口镇", "集美区", "厦门市"]),
    ],
)
def test_chain_runs_lowest_first_up_to_the_city(code: str, expected: list[str]) -> None:
    assert [u.name for u in ORG.chain(code)] == expected


def test_children_and_parent() -> None:
    assert len(ORG.children("350200")) == 6
    assert len(ORG.children("350203")) == 10
    assert [u.name for u in ORG.children("350203003")] == [
        "仁安社区居委会",
        "镇海社区居委会",
        "霞溪社区居委会",
        "思南社区居委会",
        "文安社区居委会",
        "中山社区居委会",
    ]
    assert ORG.children("350203003001") == []
    assert ORG.parent(ORG.city) is None
    assert ORG.parent("350203003001") == ORG.unit("350203003")
    assert ORG.parent(ORG.unit("350203")) == ORG.city


def test_unknown_code_raises_with_a_clear_message() -> None:
    with pytest.raises(UnknownUnit) as caught:
        ORG.unit("350203003999")
    assert isinstance(caught.value, KeyError)
    assert caught.value.code == "350203003999"
    message = str(caught.value)
    assert message.startswith("no unit has code '350203003999' in 厦门市")
    assert "350203003 is 中华街道" in message
    assert ORG.get("350203003999") is None
    assert "350203003999" not in ORG
    with pytest.raises(UnknownUnit):
        ORG.chain("999999")
    with pytest.raises(UnknownUnit):
        ORG.children("999999")


@pytest.mark.parametrize(
    ("name", "level", "short"),
    [
        ("厦门市", Level.CITY, "厦门"),
        ("思明区", Level.DISTRICT, "思明"),
        ("中华街道", Level.STREET, "中华"),
        ("灌口镇", Level.STREET, "灌口"),
        ("鼓浪屿街道", Level.STREET, "鼓浪屿"),
        ("天竺山林场", Level.STREET, "天竺山林场"),
        ("鸿山社区居委会", Level.COMMUNITY, "鸿山"),
        ("坑内村委会", Level.COMMUNITY, "坑内"),
        ("大帽山社区居民委员会", Level.COMMUNITY, "大帽山"),
        ("天竺山林场虚拟生活区", Level.COMMUNITY, "天竺山林场虚拟生活区"),
        ("大帽山农场生活区", Level.COMMUNITY, "大帽山农场生活区"),
    ],
)
def test_short_name_drops_the_administrative_suffix(name: str, level: Level, short: str) -> None:
    assert Unit("0", name, level, None).short_name == short


# --------------------------------------------------------------------------------------------
# Grid codes


def test_grid_code_parts() -> None:
    grid = parse_grid_code(" 350203003001007 ")
    assert grid == GridCode("350203003001007")
    assert (grid.community_code, grid.street_code, grid.district_code) == (
        "350203003001",
        "350203003",
        "350203",
    )
    assert grid.sequence == 7
    assert str(grid) == "350203003001007"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("35020300300100", "has 14 characters; a grid code is 15 digits"),
        ("3502030030010071", "has 16 characters"),
        ("", "has 0 characters"),
        ("35020300300100A", "characters other than the digits 0-9"),
        ("350203-03001007", "characters other than the digits 0-9"),
        ("３５０２０３００３００１００７", "characters other than the digits 0-9"),
        ("350203003001000", "ends in grid number 000; grid numbers run from 001 to 999"),
    ],
)
def test_malformed_grid_codes_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(InvalidGridCode, match=message) as caught:
        parse_grid_code(text)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "350203003099001",
            re.escape(
                "grid code 350203003099001 names unknown community 350203003099 "
                "(its prefix 350203003 is 中华街道)"
            ),
        ),
        ("350299001001001", "names unknown community 350299001001$"),
        ("350203003000001", "names unknown community 350203003000"),
    ],
)
def test_grid_code_with_unknown_community_is_refused(text: str, message: str) -> None:
    parse_grid_code(text)  # well formed ...
    with pytest.raises(InvalidGridCode, match=message):
        ORG.validate_grid_code(text)  # ... but not a community of Xiamen


def test_grid_code_of_a_known_community_validates() -> None:
    assert ORG.validate_grid_code("350203003001999").sequence == 999


# --------------------------------------------------------------------------------------------
# Building an organisation from CSV text

HEADER = "level,code,name,parent_code\n"
SMALL = HEADER + (
    "city,990100,测试市,\n"
    "district,990101,甲区,990100\n"
    "street,990101001,东街道,990101\n"
    "street,990101002,西街道,990101\n"
    "community,990101001001,柳树社区居委会,990101001\n"
    "community,990101002001,柳树社区居委会,990101002\n"
    "community,990101002002,桃园村委会,990101002\n"
)


def test_small_organisation_builds() -> None:
    org = Organisation.from_csv_text("\ufeff" + SMALL)
    assert org.city.name == "测试市"
    assert [u.name for u in org.chain("990101002002")] == ["桃园村委会", "西街道", "甲区", "测试市"]


@pytest.mark.parametrize(
    ("csv_text", "problem"),
    [
        ("lvl,code,name\n", "the header row lacks column(s) level, parent_code"),
        (SMALL + "town,990101003,北镇,990101\n", "level 'town' is not one of"),
        (SMALL + "street,,北街道,990101\n", "code and name must not be empty"),
        (SMALL + "street,990101001,重复街道,990101\n", "code 990101001 is used twice"),
        (SMALL + "street,990101003,北街道,990109\n", "parent 990109 is not in the data"),
        (SMALL + "street,99010100,北街道,990101\n", "code must be 9 digits"),
        (SMALL + "street,990102003,北街道,990101\n", "does not start with its parent's prefix"),
        (SMALL + "community,990101003001,北社区居委会,990101\n", "parent 990101 is a district"),
        (SMALL + "city,990200,第二市,\n", "there must be exactly one city; found 2"),
        (HEADER + "district,990101,甲区,990100\n", "exactly one city; found 0"),
        (HEADER + "city,990101,测试市,\n", "a city code ends in 00"),
        (
            SMALL.replace("district,990101,甲区,990100", "district,980101,甲区,990100"),
            "980101 甲区: code does not start with its parent's prefix 9901",
        ),
    ],
)
def test_inconsistent_data_is_refused_with_every_problem(csv_text: str, problem: str) -> None:
    with pytest.raises(OrganisationDataError) as caught:
        Organisation.from_csv_text(csv_text)
    assert any(problem in p for p in caught.value.problems), caught.value.problems
    assert "fix the divisions CSV" in str(caught.value)


# --------------------------------------------------------------------------------------------
# Locating: grid code, community code, address, unlocated


def test_grid_code_locates_to_its_community() -> None:
    location = ORG.locate(grid_code="350203003001007")
    assert location.method == "grid_code"
    assert location.grid_code == "350203003001007"
    assert names(location) == ("思明区", "中华街道", "仁安社区居委会")
    assert location.reason is None
    assert location.detail is None
    assert location.located
    assert location.level is Level.COMMUNITY
    assert location.deepest == ORG.unit("350203003001")
    assert [location.unit_at(level) for level in Level] == ORG.chain("350203003001")


@pytest.mark.parametrize(
    ("grid_code", "community_code", "address", "method", "expected", "detail"),
    [
        ("350203003001007", None, None, "grid_code", "仁安社区居委会", None),
        # The grid code wins over every other input ...
        (
            "350203003001007",
            "350203003001",
            "湖里区殿前街道高殿社区",
            "grid_code",
            "仁安社区居委会",
            None,
        ),
        # ... and when the community code disagrees, the grid code is trusted and that is noted.
        (
            "350203003001007",
            "350206002001",
            None,
            "grid_code",
            "仁安社区居委会",
            "community code 350206002001 disagrees with grid code 350203003001007",
        ),
        # A bad grid code falls back to the community code, noting why.
        (
            "35020300300100A",
            "350203003003",
            None,
            "community_code",
            "镇海社区居委会",
            "grid code '35020300300100A' contains characters other than the digits 0-9",
        ),
        (
            "350203003099001",
            "350203003003",
            None,
            "community_code",
            "镇海社区居委会",
            "names unknown community 350203003099",
        ),
        (None, " 350203003003 ", "湖里区", "community_code", "镇海社区居委会", None),
        # No usable code: the address decides.
        ("", "", "思明区中华街道仁安社区", "address", "仁安社区居委会", None),
        (
            None,
            "350203003",
            "思明区中华街道仁安社区",
            "address",
            "仁安社区居委会",
            "community code 350203003 is the street 中华街道, not a community",
        ),
        (
            "350203003001000",
            "350203003099",
            "湖里区殿前街道",
            "address",
            "殿前街道",
            "ends in grid number 000",
        ),
    ],
)
def test_locate_uses_the_first_input_that_works(
    grid_code: str | None,
    community_code: str | None,
    address: str | None,
    method: str,
    expected: str,
    detail: str | None,
) -> None:
    location = ORG.locate(grid_code=grid_code, community_code=community_code, address=address)
    assert location.method == method
    assert location.deepest is not None
    assert location.deepest.name == expected
    assert location.reason is None
    if detail is None:
        assert location.detail is None or method == "address"
    else:
        assert location.detail is not None
        assert detail in location.detail


@pytest.mark.parametrize(
    ("grid_code", "community_code", "address", "detail"),
    [
        (None, None, None, "no grid code given; no community code given; no address given"),
        (
            "350203001002999",
            None,
            None,
            "grid code 350203001002999 names unknown community 350203001002 (its prefix "
            "350203001 is 厦港街道); no community code given; no address given",
        ),
        (
            "   ",
            "35020300300X",
            "   ",
            "no grid code given; community code '35020300300X' is not 12 digits; no address given",
        ),
        (
            None,
            "350203003099",
            "今天天气不错",
            "community code 350203003099 is not a community of 厦门市 (its prefix 350203003 "
            "is 中华街道); address '今天天气不错' names no district, street or community of "
            "厦门市",
        ),
    ],
)
def test_unlocated_reports_say_why(
    grid_code: str | None, community_code: str | None, address: str | None, detail: str
) -> None:
    location = ORG.locate(grid_code=grid_code, community_code=community_code, address=address)
    assert location.method == "unlocated"
    assert location.reason == UNLOCATED
    assert detail in (location.detail or "")
    assert not location.located
    assert (location.community, location.street, location.district) == (None, None, None)
    assert location.deepest is None
    assert location.level is None
    assert location.grid_code is None
    assert location.unit_at(Level.CITY) == ORG.city


# --------------------------------------------------------------------------------------------
# Address matching

ADDRESS_CASES: list[tuple[str, tuple[str | None, str | None, str | None]]] = [
    # Full chain, the forms that hotline operators type.
    ("思明区中华街道中山路99号", ("思明区", "中华街道", None)),  # 中山路 is a road, not 中山社区
    ("思明区中华街道仁安社区大同路12号", ("思明区", "中华街道", "仁安社区居委会")),
    ("厦门市湖里区殿前街道高殿社区兴隆路12号3楼", ("湖里区", "殿前街道", "高殿社区居委会")),
    ("思明区 中华街道 仁安社区", ("思明区", "中华街道", "仁安社区居委会")),
    ("集美区灌口镇坑内村村口", ("集美区", "灌口镇", "坑内村委会")),
    ("湖里区金山街道金山社区", ("湖里区", "金山街道", "金山社区居委会")),
    # Names without their suffixes, colloquial order.
    ("思明中华街道", ("思明区", "中华街道", None)),
    ("湖里殿前那边的高殿社区", ("湖里区", "殿前街道", "高殿社区居委会")),
    ("殿前高殿", ("湖里区", "殿前街道", "高殿社区居委会")),
    ("海沧区东孚莲花", ("海沧区", "东孚街道", "莲花社区居委会")),
    # District or street only.
    ("湖里区某小区门口", ("湖里区", None, None)),
    ("湖里区江头", ("湖里区", "江头街道", None)),  # one word cannot be both 江头街道 and 江头社区
    ("同安区莲花", ("同安区", "莲花镇", None)),  # nor both 莲花镇 and 莲花村
    ("鼓浪屿龙头路", ("思明区", "鼓浪屿街道", None)),
    ("火炬高新区", ("湖里区", "火炬高技术开发区", None)),
    ("海沧保税港区", ("海沧区", "厦门海沧保税港区", None)),
    # A distinctive three-character name stands alone.
    ("曾厝垵渔村里面", ("思明区", "滨海街道", "曾厝垵社区居委会")),
    # Names shared by two communities, told apart by the rest of the text.
    ("思明区何厝社区", ("思明区", "莲前街道", "何厝社区居委会")),
    ("翔安区民安街道何厝社区", ("翔安区", "民安街道", "何厝社区居委会")),
    ("同安区洪塘镇洪塘村", ("同安区", "洪塘镇", "洪塘村委会")),
    ("海沧区东孚洪塘村", ("海沧区", "东孚街道", "洪塘村委会")),
    ("海沧区新阳街道新垵村", ("海沧区", "新阳街道", "新垵村委会")),
    ("内厝镇鸿山村", ("翔安区", "内厝镇", "鸿山村委会")),
    ("鸿山社区", ("思明区", "厦港街道", "鸿山社区居委会")),  # 鸿山村 is a village, not a 社区
    # Overlapping words do not both count: "大同" and "同新" share a character here.
    ("同安区大同新丰社区", ("同安区", "大同街道", "新丰社区居委会")),
    # A community named in full beats one whose bare stem appears in a landmark's name.
    ("集美区杏林街道杏北社区，杏林老车站对面", ("集美区", "杏林街道", "杏北社区居委会")),
    # Two words for three levels: district and street are sure, the community is not.
    ("湖里湖里", ("湖里区", "湖里街道", None)),
    # "大帽山" names both 大帽山农场 and 大帽山社区 (新圩镇): only the district is sure.
    ("翔安区大帽山", ("翔安区", None, None)),
    # False friends: ordinary words that are also two-character community stems.
    ("思明区实验小学门口", ("思明区", None, None)),  # not 小学社区
    ("思明区莲前西路", ("思明区", None, None)),  # a road, not 莲前街道
]


@pytest.mark.parametrize(("address", "expected"), ADDRESS_CASES)
def test_address_locates_to_the_deepest_unit_it_supports(
    address: str, expected: tuple[str | None, str | None, str | None]
) -> None:
    location = ORG.locate(address=address)
    assert location.method == "address", location.detail
    assert names(location) == expected, location.detail
    assert location.reason is None
    assert location.grid_code is None
    assert location.detail is not None
    assert location.detail.startswith("address names ")


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("今天天气不错", "names no district, street or community of 厦门市"),
        ("中山路步行街", "names no district, street or community of 厦门市"),
        ("厦门市", "names only 厦门市"),
        ("小学门口有人摆摊", "'小学' might be 小学社区居委会 (思明区鹭江街道)"),
        ("殿前那边", "'殿前' might be 殿前街道 (湖里区)"),
        (
            "何厝社区门口",
            "could be any of: 何厝社区居委会 (思明区莲前街道); 何厝社区居委会 (翔安区民安街道)",
        ),
        ("洪塘村", "could be any of: 洪塘村委会 (海沧区东孚街道); 洪塘村委会 (同安区洪塘镇)"),
        ("湖里区中华街道", "names places that do not belong together: 中华街道 (思明区); 湖里区"),
    ],
)
def test_address_without_a_place_is_unlocated(address: str, why: str) -> None:
    location = ORG.locate(address=address)
    assert location.method == "unlocated"
    assert location.reason == UNLOCATED
    assert why in (location.detail or "")


def test_ambiguous_community_in_one_district_locates_to_the_district() -> None:
    org = Organisation.from_csv_text(SMALL)
    vague = org.locate(address="柳树社区")
    assert vague.method == "address"
    assert (vague.district, vague.street, vague.community) == (org.unit("990101"), None, None)
    assert "it fits 2 places" in (vague.detail or "")
    exact = org.locate(address="西街道柳树社区")
    assert exact.community == org.unit("990101002001")


def test_every_real_ambiguous_community_name_is_resolved_by_its_street() -> None:
    by_name: dict[str, list[Unit]] = {}
    for community in COMMUNITIES:
        by_name.setdefault(community.name, []).append(community)
    shared = {name: units for name, units in by_name.items() if len(units) > 1}
    assert sorted(shared) == sorted(
        [
            "何厝社区居委会",
            "龙山社区居委会",
            "新垵村委会",
            "凤山社区居委会",
            "洪塘村委会",
            "禾山社区居委会",
            "吕厝社区居委会",
            "金海社区居委会",
            "三秀社区居委会",
            "西滨社区居委会",
            "溪西村委会",
            "东宅村委会",
            "后垵村委会",
            "北门社区居委会",
        ]
    )
    for name, units in shared.items():
        assert ORG.locate(address=name).method == "unlocated", name
        for unit in units:
            street = ORG.unit(unit.parent_code or "")
            assert ORG.locate(address=street.name + name).community == unit


# --------------------------------------------------------------------------------------------
# Properties over the whole data


def test_every_community_is_located_by_its_grid_codes() -> None:
    for community in COMMUNITIES:
        for sequence in ("001", "999"):
            location = ORG.locate(grid_code=community.code + sequence)
            assert location.community == community
            assert [location.unit_at(level) for level in Level] == ORG.chain(community.code)


def test_every_community_is_located_by_its_full_address() -> None:
    for community in COMMUNITIES:
        _, street, district, _ = ORG.chain(community.code)
        location = ORG.locate(address=f"{district.name}{street.name}{community.name}12号")
        assert location.community == community, location.detail


@given(community=st.sampled_from(COMMUNITIES), sequence=st.integers(1, 999))
def test_any_grid_code_of_a_community_gives_its_chain(community: Unit, sequence: int) -> None:
    location = ORG.locate(grid_code=f"{community.code}{sequence:03d}")
    assert location.method == "grid_code"
    assert [location.unit_at(level) for level in Level] == ORG.chain(community.code)


@given(
    community=st.sampled_from(COMMUNITIES),
    short_district=st.booleans(),
    short_street=st.booleans(),
    community_form=st.sampled_from(["name", "kind", "committee"]),
    tail=st.sampled_from(["", "12号", "3号楼旁边", "附近的菜市场", "门口有人占道经营"]),
)
def test_written_forms_of_a_community_address_locate_it(
    community: Unit,
    short_district: bool,
    short_street: bool,
    community_form: str,
    tail: str,
) -> None:
    _, street, district, _ = ORG.chain(community.code)
    village = community.name.endswith("村委会")
    stem = community.short_name
    written = {
        "name": community.name,
        "kind": stem + ("村" if village else "社区"),
        "committee": stem + ("村委会" if village else "居委会"),
    }
    if stem == community.name:  # farms' and zones' virtual communities have no suffix
        written = dict.fromkeys(written, community.name)
    address = (
        (district.short_name if short_district else district.name)
        + (street.short_name if short_street else street.name)
        + written[community_form]
        + tail
    )
    location = ORG.locate(address=address)
    assert location.community == community, (address, location.detail)
