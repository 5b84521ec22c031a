"""The policy file: the bundled Xiamen policy loads, and a broken file reports every problem at
once, each with its path in the file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from grid_router.domain.model import Level
from grid_router.domain.taxonomy import CATEGORIES
from grid_router.policy.load import (
    PolicyError,
    Problem,
    check_policy,
    default_policy_path,
    load_default_policy,
    load_policy,
)

BUNDLED_TAXONOMY = default_policy_path().parent / "taxonomy.yaml"

_DEPARTMENTS = "\n".join(
    f"  {code}:\n"
    f"    community: '{{community}}{code}'\n"
    f"    street: '{{street}}{code}'\n"
    f"    district: '{{district}}{code}'\n"
    f"    city: '{{city}}{code}'"
    for code in CATEGORIES
)

GOOD = f"""
version: "test"
taxonomy: {BUNDLED_TAXONOMY}
grading:
  start_level: {{IV: community, III: street, II: district, I: city}}
  info_copies_from: III
category_floors: {{FIRE: street}}
sla:
  calendar:
    working_hours: ["08:30-12:00", "14:30-18:00"]
  extensions: {{max_count: 2, max_each: 24h}}
  policies:
    standard:
      clock: working_time
      renotify_every: 4h
      limits:
        community: {{sign: 1h, handle: 21h, verify: 7h}}
        street: {{sign: 2h, handle: 35h, verify: 7h}}
        district: {{sign: 2h, handle: 35h, verify: 14h}}
        city: {{sign: 4h, handle: 70h, verify: 14h}}
    emergency:
      clock: wall_clock
      renotify_every: 15m
      limits:
        community: {{sign: 10m, handle: 4h}}
        street: {{sign: 10m, handle: 4h}}
        district: {{sign: 15m, handle: 6h}}
        city: {{sign: 15m, handle: 12h}}
departments:
{_DEPARTMENTS}
route:
  name: default
  triage: true
  sla: standard
  routes:
    - name: fire
      match: {{category: FIRE}}
      routes:
        - name: fire-burning
          match: {{subcategory: FIRE.ACTIVE_FIRE, time_of_day: ["22:00-06:00", "12:00-24:00"]}}
          min_level: district
          sla: emergency
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_policy_is_clean_and_complete() -> None:
    assert check_policy(default_policy_path()) == []
    policy = load_default_policy()
    assert policy is load_default_policy()  # cached
    assert policy.taxonomy_path.name == "taxonomy.yaml"
    routing = policy.routing
    for code in CATEGORIES:
        for level in Level:
            assert routing.departments.template(code, level)
    names = [r.name for r in routing.routes()]
    assert len(names) == len(set(names))
    for name in (
        "default",
        "fire-burning",
        "food-poisoning-many",
        "city-mgmt-emergency",
        "night-noise",
        "dispute",
    ):
        assert name in names
    assert routing.root.triage
    assert {r.sla for r in routing.routes()} <= policy.sla_policies


def test_a_good_small_policy_loads(tmp_path: Path) -> None:
    policy = load_policy(write(tmp_path, GOOD))
    burning = policy.routing.route("fire-burning")
    assert burning.path == ("default", "fire", "fire-burning")
    assert burning.sla == "emergency"
    assert policy.routing.route("fire").sla == "standard"  # inherited from the root
    assert policy.sla_policies == {"standard", "emergency"}
    assert policy.sla.policy(burning.sla).renotify_every == timedelta(minutes=15)


def test_a_broken_policy_reports_every_problem_at_once(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    del data["departments"]["FIRE"]["district"]  # missing department
    data["category_floors"]["FIRE"] = "town"  # a floor naming an unknown level
    data["route"]["routes"].append(
        {"name": "food", "colour": "red", "match": {"severity": "V", "category": "FOODS"}}
    )
    data["route"]["routes"].append({"name": "fire", "match": {"category": "DISPUTE"}})
    data["route"]["routes"][0]["routes"][0]["match"]["subcategory"] = "FIRE.NO_SUCH_THING"
    data["route"]["routes"][0]["routes"][0]["sla"] = "fast"

    problems = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    shown = {str(p) for p in problems}

    expected = {
        "route.routes[1].colour": "unknown key 'colour'",
        "route.routes[1].match.severity": "'V' is not one of IV, III, II, I",
        "route.routes[1].match.category": "unknown category 'FOODS'",
        "route.routes[2].name": "route name 'fire' is used twice",
        "departments.FIRE.district": "no department for FIRE at the district level",
        "category_floors.FIRE": "'town' is not one of community, street, district, city",
        "route.routes[0].routes[0].match.subcategory": "unknown subcategory 'FIRE.NO_SUCH_THING'",
        "route.routes[0].routes[0].sla": "unknown SLA policy 'fast'",
    }
    for path, message in expected.items():
        assert any(p.path == path and message in p.message for p in problems), (path, shown)
    assert len(problems) == len(expected), shown


def test_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["route"]["routes"][0]["match"]["categroy"] = "FIRE"
    [problem] = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert problem.path == "route.routes[0].match.categroy"
    assert "allowed here:" in problem.message
    assert "category" in problem.message


def test_a_key_with_control_characters_is_quoted_on_its_line(tmp_path: Path) -> None:
    # Found by bench/fuzz.py: a key holding \x1c (a line break to str.splitlines) split its
    # problem over two lines, the first naming no problem.
    data = yaml.safe_load(GOOD)
    data["route"]["routes"][0]["match"]["\x1c#x"] = "FIRE"
    data["route"]["routes"][0]["match"][" pad"] = "FIRE"
    problems = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert sorted(p.path for p in problems) == [
        "route.routes[0].match.' pad'",
        "route.routes[0].match.'\\x1c#x'",
    ]
    assert all(len(str(p).splitlines()) == 1 for p in problems)


@pytest.mark.parametrize(
    ("edit", "path", "message"),
    [
        (
            lambda d: d["route"]["routes"][0]["routes"][0]["match"].update(time_of_day="25:00"),
            "route.routes[0].routes[0].match.time_of_day",
            "must look like 22:00-06:00",
        ),
        (
            lambda d: d["route"]["routes"][0]["routes"][0]["match"].update(category="DISPUTE"),
            "route.routes[0].routes[0].match.category",
            "unreachable",
        ),
        (
            lambda d: d["route"]["routes"].insert(0, {"name": "catch-all"}),
            "route.routes[1]",
            "unreachable",
        ),
        (
            lambda d: d["departments"]["FIRE"].update(street="{community}消防"),
            "departments.FIRE.street",
            "has no community above it",
        ),
        (
            lambda d: d["departments"]["FIRE"].update(city="{mayor}消防"),
            "departments.FIRE.city",
            "unknown placeholder {mayor}",
        ),
        (
            lambda d: d["route"]["routes"][0].update(match={"district": "350299"}),
            "route.routes[0].match.district",
            "350299 is not a district of 厦门市",
        ),
        (
            lambda d: d["route"].update(match={"category": "FIRE"}),
            "route.match",
            "root route matches every incident",
        ),
        (
            lambda d: d["route"]["routes"][0].update(name="Fire Route"),
            "route.routes[0].name",
            "not a valid route name",
        ),
        (
            lambda d: d["grading"]["start_level"].pop("I"),
            "grading.start_level",
            "no start level for grade I",
        ),
        (lambda d: d.update(taxonomy="missing.yaml"), "taxonomy", "cannot read"),
        (
            lambda d: d["grading"].update(counts={"several_ill": 12}),
            "grading.counts.several_ill",
            "less than or equal to 9",
        ),
    ],
)
def test_single_problems_name_their_path(
    tmp_path: Path, edit: Callable[[dict[str, Any]], object], path: str, message: str
) -> None:
    data = yaml.safe_load(GOOD)
    edit(data)
    problems = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    assert any(p.path == path and message in p.message for p in problems), problems


def test_duplicate_yaml_keys_are_refused(tmp_path: Path) -> None:
    text = GOOD.replace('version: "test"', 'version: "test"\nversion: "again"')
    [problem] = check_policy(write(tmp_path, text))
    assert "appears twice" in problem.message


def test_load_policy_raises_with_every_problem(tmp_path: Path) -> None:
    data = yaml.safe_load(GOOD)
    data["route"]["routes"][0]["match"]["severity"] = "V"
    del data["departments"]["OTHER"]
    path = write(tmp_path, yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(PolicyError) as caught:
        load_policy(path)
    assert caught.value.problems == [
        Problem("route.routes[0].match.severity", "'V' is not one of IV, III, II, I"),
        Problem("departments.OTHER", "no departments for category OTHER"),
    ]
    assert "policy check" in str(caught.value)


def test_a_missing_file_is_one_problem(tmp_path: Path) -> None:
    [problem] = check_policy(tmp_path / "nope.yaml")
    assert "cannot read policy file" in problem.message


@pytest.mark.parametrize(
    ("match", "refused"),
    [
        ({"needs_triage": True}, "II or I"),
        ({"confidence_below": 0.5}, "II or I"),
        ({"needs_triage": True, "severity": ["IV", "II"]}, "grade II:"),
        ({"needs_triage": True, "severity": ["IV", "III"]}, None),
        ({"category": "OTHER"}, None),  # not about doubt: a grave OTHER goes to its grade's desk
    ],
)
def test_a_low_confidence_triage_route_may_not_hold_grave_reports(
    tmp_path: Path, match: dict[str, object], refused: str | None
) -> None:
    data = yaml.safe_load(GOOD)
    data["route"]["routes"].insert(0, {"name": "unsure", "match": match, "triage": True})
    problems = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    if refused is None:
        assert problems == []
    else:
        [problem] = problems
        assert problem.path == "route unsure"
        assert refused in problem.message
        assert "severity: [IV, III]" in problem.message


def test_a_copied_policy_finds_the_bundled_files_it_names_without_a_path(tmp_path: Path) -> None:
    copy = tmp_path / "mine.yaml"
    copy.write_text(default_policy_path().read_text("utf-8"), "utf-8")
    assert check_policy(copy) == []
    policy = load_policy(copy)
    assert policy.taxonomy_path == BUNDLED_TAXONOMY
    # A file of that name beside the copy wins; a path that names nothing is still a problem.
    (tmp_path / "taxonomy.yaml").write_text(BUNDLED_TAXONOMY.read_text("utf-8"), "utf-8")
    assert load_policy(copy).taxonomy_path == tmp_path / "taxonomy.yaml"
    elsewhere = copy.read_text("utf-8").replace("taxonomy: taxonomy.yaml", "taxonomy: x/t.yaml")
    copy.write_text(elsewhere, "utf-8")
    (problem,) = check_policy(copy)
    assert problem.path == "taxonomy"
    assert f"cannot read {tmp_path / 'x' / 't.yaml'}" in problem.message


def test_access_names_known_categories(tmp_path: Path) -> None:
    policy = load_default_policy()
    assert {"DISPUTE", "PUBLIC_SECURITY"}.isdisjoint(policy.public_categories)
    assert "CITY_MGMT" in policy.public_categories
    bad = tmp_path / "bad.yaml"
    bad.write_text(GOOD + "access: {public_categories: [CITY_MGMT, NOPE]}\n", "utf-8")
    (problem,) = check_policy(bad)
    assert problem.path == "access.public_categories[1]"
    assert "NOPE" in problem.message


# Found by bench/fuzz.py (issue 15 §3): files that made `policy check` raise instead of answer.


def test_a_file_that_is_not_utf8_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_bytes(b"version: \xff\xfe\n")
    [problem] = check_policy(path)
    assert problem.path == ""
    why = "not UTF-8 text (byte 0xff at offset 9)"
    assert problem.message == f"cannot read policy file {path}: {why}"


def test_a_taxonomy_that_is_not_utf8_is_a_problem_of_the_taxonomy(tmp_path: Path) -> None:
    (tmp_path / "tax.yaml").write_bytes(b"\x89PNG\r\n")
    problems = check_policy(write(tmp_path, GOOD.replace(str(BUNDLED_TAXONOMY), "tax.yaml")))
    assert (
        Problem(
            "taxonomy",
            f"cannot read {tmp_path / 'tax.yaml'}: not UTF-8 text (byte 0x89 at offset 0)",
        )
        in problems
    )


def test_a_bridge_category_that_is_no_string_is_a_schema_problem(tmp_path: Path) -> None:
    data = yaml.safe_load(default_policy_path().read_text("utf-8"))
    bridge = next(iter(data["bridges"].values()))
    bridge.setdefault("when", {})["categories"] = [{"CITY_MGMT": 1}, "NOPE"]
    data["taxonomy"] = str(BUNDLED_TAXONOMY)
    data["model"] = str(default_policy_path().parent / data["model"])
    problems = check_policy(write(tmp_path, yaml.safe_dump(data, allow_unicode=True)))
    where = f"bridges.{next(iter(data['bridges']))}.when.categories"
    assert [(p.path, p.message.split(" (")[0].split(";")[0]) for p in problems] == [
        (f"{where}[0]", "Input should be a valid string"),  # the schema's
        (f"{where}[1]", "unknown category 'NOPE'"),  # the cross-check's
    ]


def test_policy_check_prints_problems_that_look_like_markup(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from grid_router.entrypoints.cli import app

    path = write(tmp_path, GOOD + '"[/bold]": 1\n')
    outcome = CliRunner().invoke(app, ["policy", "check", str(path)])
    assert outcome.exception is None or isinstance(outcome.exception, SystemExit)
    assert outcome.exit_code == 1
    assert f"{path}: [/bold]: " in outcome.output
