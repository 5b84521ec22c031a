"""The compiled routing policy: departments, start levels, and the Alertmanager-style route tree.

Pure: standard library and `grid_router.domain` only. The YAML format, its strict validation and
the compilation into these objects live in `grid_router.policy`; nothing here reads a file or a
clock.

How an incident is routed (`RoutingPolicy.decide`):

1. The route tree is matched like Alertmanager's `dispatch/route.go`: depth-first, the first
   child that matches wins unless it has `continue`, and a node whose children all fail to match
   matches itself. The root matches everything, so there is always at least one matched route.
2. The first matched route gives the lead (主办) target; routes matched through `continue` give
   assisting (协办) targets.
3. For each target: the start level is the grade's start level raised to the category's floor,
   then the route's `min_level` / `level`; a triage route goes to the triage desk (the OTHER
   category's departments) at its level (street unless it says otherwise). The unit is the one
   at that level in the incident's chain; if the chain stops short, the lowest known unit above,
   else the city. An unlocated incident always goes to the city triage desk (`UNLOCATED`); one
   placed by its coordinates in a district only goes to that district's triage desk, unless its
   grade starts it at the district or above (a person there finds the street or community).
4. Information copies go to every known unit below the lead's level when the grade is at or
   above the policy's threshold (III in Xiamen), unless the route says otherwise.
"""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from enum import StrEnum
from typing import Final

from grid_router.domain.model import UNLOCATED, Level, Severity
from grid_router.domain.org import Location, Organisation, Unit
from grid_router.domain.taxonomy import OTHER

CHINA_STANDARD_TIME: Final = timezone(timedelta(hours=8))
"""Time-of-day matchers read local time in Xiamen (China has one fixed offset, no DST)."""

SEVERITY_ORDER: Final = (Severity.IV, Severity.III, Severity.II, Severity.I)
"""Grades from least to most serious."""

TRIAGE_CATEGORY: Final = OTHER
"""The category whose departments are the triage desks (分拨/指挥中心) at each level."""


def severity_rank(grade: Severity) -> int:
    """0 for IV (一般) up to 3 for I (特别重大)."""
    return SEVERITY_ORDER.index(grade)


def local_time_of(moment: datetime) -> time:
    """The local (Beijing) time of day of an aware instant, for time-of-day matchers."""
    if moment.tzinfo is None:
        raise ValueError(f"{moment.isoformat()} has no timezone; pass an aware datetime")
    return moment.astimezone(CHINA_STANDARD_TIME).time()


# --------------------------------------------------------------------------------------------
# Department names


_LEVEL_PLACEHOLDERS: Final[dict[str, Level]] = {
    "city": Level.CITY,
    "district": Level.DISTRICT,
    "street": Level.STREET,
    "community": Level.COMMUNITY,
}
PLACEHOLDERS: Final = (
    *(name for base in _LEVEL_PLACEHOLDERS for name in (base, f"{base}_short")),
    "unit",
    "unit_short",
)
"""Placeholders a department template may use: `{district}` is the district's name
("思明区"), `{district_short}` its name without the suffix ("思明"); likewise city, street and
community (a community's name is its place name: "鸿山社区", "莲花村"); `{unit}` is the unit the
order goes to."""

# Committee suffixes stripped to get a community's place name: "鸿山社区居委会" → "鸿山社区".
_COMMITTEE_SUFFIXES: Final = (
    ("社区居民委员会", "社区"),
    ("社区居委会", "社区"),
    ("村民委员会", "村"),
    ("村委会", "村"),
)


def place_name(unit: Unit) -> str:
    """The name people use for the place: the unit's name, with a community's committee
    suffix reduced ("鸿山社区居委会" → "鸿山社区", "莲花村委会" → "莲花村")."""
    if unit.level is Level.COMMUNITY:
        for suffix, keep in _COMMITTEE_SUFFIXES:
            if unit.name.endswith(suffix) and len(unit.name) > len(suffix):
                return unit.name[: -len(suffix)] + keep
    return unit.name


def template_fields(template: str) -> list[str]:
    """The placeholder names used in a department template; raises ValueError when the
    template is malformed (unbalanced braces, format specs, attribute or index access)."""
    names: list[str] = []
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(
                f"placeholder {{{name}{'!' + conversion if conversion else ''}"
                f"{':' + spec if spec else ''}}} is not allowed; use a plain name such as "
                "{district}"
            )
        names.append(name)
    return names


def template_problems(template: str, level: Level) -> list[str]:
    """Why `template` cannot name a department of a unit at `level` (empty when it can): unknown
    placeholders, or placeholders naming a level below the unit (a district has no street)."""
    try:
        names = template_fields(template)
    except ValueError as exc:
        return [f"template {template!r}: {exc}"]
    problems: list[str] = []
    for name in names:
        if name not in PLACEHOLDERS:
            problems.append(
                f"template {template!r} uses unknown placeholder {{{name}}}; known: "
                + ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            )
            continue
        named = _LEVEL_PLACEHOLDERS.get(name.removesuffix("_short"))
        if named is not None and named.rank < level.rank:
            problems.append(
                f"template {template!r} uses {{{name}}} but a {level.value}-level unit has no "
                f"{named.value} above it"
            )
    return problems


def render_department(template: str, chain: Sequence[Unit]) -> str:
    """Fill a department template for the first unit of `chain` (the unit and its ancestors,
    lowest first, as `Organisation.chain` returns them): `"{district}市场监督管理局"` for
    思明区 → "思明区市场监督管理局". Raises KeyError for a placeholder the chain cannot fill
    (templates are checked at load time, so this means a bad chain)."""
    if not chain:
        raise ValueError("render_department needs at least the unit itself")
    values: dict[str, str] = {"unit": place_name(chain[0]), "unit_short": chain[0].short_name}
    for unit in chain:
        base = unit.level.value
        values[base] = place_name(unit)
        values[f"{base}_short"] = unit.short_name
    return template.format_map(values)


@dataclass(frozen=True, slots=True)
class Departments:
    """For each category × level, the template of the department that acts there."""

    templates: Mapping[str, Mapping[Level, str]]

    def template(self, category: str, level: Level) -> str:
        """The template for `category` at `level`; raises KeyError if the policy has none."""
        return self.templates[category][level]

    def name_for(self, category: str, unit: Unit, org: Organisation) -> str:
        """The department of `category` at `unit`, e.g. FOOD_DRUG at 思明区 →
        "思明区市场监督管理局"."""
        return render_department(self.template(category, unit.level), org.chain(unit.code))


# --------------------------------------------------------------------------------------------
# Grading: start levels, floors and information copies


@dataclass(frozen=True, slots=True)
class Grading:
    """Severity → start level, category floors, and from which grade lower levels are told."""

    start_levels: Mapping[Severity, Level]
    floors: Mapping[str, Level]
    info_copies_from: Severity | None

    def start_level(self, category: str, severity: Severity) -> tuple[Level, list[str]]:
        """The level an incident starts at, with the reasons."""
        level = self.start_levels[severity]
        reasons = [f"grade {severity.value} ({severity.chinese}) starts at {level.value}"]
        floor = self.floors.get(category)
        if floor is not None and floor.rank > level.rank:
            reasons.append(f"category {category} starts at {floor.value} at least")
            level = floor
        return level, reasons

    def copies_due(self, severity: Severity) -> bool:
        """True when the grade is serious enough that every level below is told."""
        threshold = self.info_copies_from
        return threshold is not None and severity_rank(severity) >= severity_rank(threshold)


# --------------------------------------------------------------------------------------------
# The route tree


@dataclass(frozen=True, slots=True)
class TimeRange:
    """A local time-of-day range [start, end); it crosses midnight when end <= start
    ("22:00-06:00"). `end` None means up to midnight ("18:00-24:00")."""

    start: time
    end: time | None

    def contains(self, moment: time) -> bool:
        if self.end is None:
            return moment >= self.start
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end

    def __str__(self) -> str:
        end = "24:00" if self.end is None else self.end.strftime("%H:%M")
        return f"{self.start.strftime('%H:%M')}-{end}"


@dataclass(frozen=True, slots=True)
class Matchers:
    """What a route matches; an empty set matches anything. All given matchers must hold.

    District and street match division codes. A time-of-day matcher never matches an input
    without a local time. `confidence_below` matches a classification less sure than the bound
    (an input without a confidence, e.g. a category a grid worker picked, never matches it);
    `needs_triage` matches the classifier's own verdict (its threshold comes from data)."""

    categories: frozenset[str] = frozenset()
    subcategories: frozenset[str] = frozenset()
    severities: frozenset[Severity] = frozenset()
    sources: frozenset[str] = frozenset()
    districts: frozenset[str] = frozenset()
    streets: frozenset[str] = frozenset()
    time_of_day: tuple[TimeRange, ...] = ()
    confidence_below: float | None = None
    needs_triage: bool | None = None

    @property
    def empty(self) -> bool:
        """True when the route matches every input (a catch-all)."""
        return self == _MATCH_ALL

    def matches(self, inp: RouteInput) -> bool:
        if self.categories and inp.category not in self.categories:
            return False
        if self.subcategories and inp.subcategory not in self.subcategories:
            return False
        if self.severities and inp.severity not in self.severities:
            return False
        if self.sources and inp.source not in self.sources:
            return False
        location = inp.location
        if self.districts and (
            location.district is None or location.district.code not in self.districts
        ):
            return False
        if self.streets and (location.street is None or location.street.code not in self.streets):
            return False
        if self.time_of_day:
            now = inp.local_time
            if now is None or not any(r.contains(now) for r in self.time_of_day):
                return False
        if self.confidence_below is not None:
            sure = inp.confidence
            if sure is None or sure >= self.confidence_below:
                return False
        return self.needs_triage is None or inp.needs_triage is self.needs_triage

    @property
    def low_confidence(self) -> bool:
        """True when this matcher picks out classifications a person must confirm."""
        return self.confidence_below is not None or self.needs_triage is True


_MATCH_ALL: Final = Matchers()


class InfoCopies(StrEnum):
    """Whether a route's lead target sends information copies to the levels below it."""

    POLICY = "policy"  # when the grade is at or above the policy's threshold
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True, slots=True)
class Route:
    """One node of the compiled tree. Inherited settings (sla, info_copies, level, min_level,
    department) are already resolved from the ancestors; `triage` is the node's own."""

    name: str
    path: tuple[str, ...]
    matchers: Matchers = field(default_factory=Matchers)
    continue_: bool = False
    routes: tuple[Route, ...] = ()
    level: Level | None = None
    min_level: Level | None = None
    department_from: str | None = None
    departments: Mapping[Level, str] = field(default_factory=dict)
    triage: bool = False
    sla: str = "standard"
    info_copies: InfoCopies = InfoCopies.POLICY

    def match(self, inp: RouteInput) -> list[Route]:
        """The routes `inp` matches below and including this one (Alertmanager semantics)."""
        if not self.matchers.matches(inp):
            return []
        found: list[Route] = []
        for child in self.routes:
            matched = child.match(inp)
            found.extend(matched)
            if matched and not child.continue_:
                break
        return found or [self]

    def walk(self) -> list[Route]:
        """This route and all below it, depth-first."""
        return [self, *(r for child in self.routes for r in child.walk())]


@dataclass(frozen=True, slots=True)
class RouteInput:
    """What routing looks at: the classified, located incident."""

    category: str
    severity: Severity
    location: Location
    subcategory: str | None = None
    source: str | None = None
    local_time: time | None = None
    confidence: float | None = None
    needs_triage: bool = False


@dataclass(frozen=True, slots=True)
class Target:
    """A unit and department an order goes to; `route` names the route that chose it."""

    route: str
    level: Level
    unit: Unit
    department: str
    triage: bool = False

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.department}"


@dataclass(frozen=True, slots=True)
class RouteDecision:
    """Where an incident goes, and why, in terms a duty officer can read back.

    `path` is the route names from the root to the route that chose the lead target; `matched`
    names every matched route (more than one with `continue`). `reason` is `ROUTED`, `TRIAGE`
    or `UNLOCATED`."""

    path: tuple[str, ...]
    matched: tuple[str, ...]
    lead: Target
    assisting: tuple[Target, ...]
    info_copies: tuple[Target, ...]
    sla: str
    reason: str
    reasons: tuple[str, ...]

    @property
    def level(self) -> Level:
        return self.lead.level

    @property
    def unit(self) -> Unit:
        return self.lead.unit

    @property
    def department(self) -> str:
        return self.lead.department

    @property
    def triage(self) -> bool:
        return self.lead.triage


ROUTED: Final = "ROUTED"
TRIAGE: Final = "TRIAGE"


@dataclass(frozen=True, slots=True)
class BurstRule:
    """More than `threshold` reports of these subcategories in one district within `window`
    open one district incident, at `grade`, that links them."""

    name: str
    subcategories: frozenset[str]
    threshold: int
    window: timedelta
    grade: Severity


@dataclass(frozen=True, slots=True)
class RoutingPolicy:
    """The compiled routing half of a policy file; read-only and shared."""

    version: str
    departments: Departments
    grading: Grading
    root: Route
    sla_policies: frozenset[str] = frozenset()
    # Reports of the same category in the same grid within this window of an open incident
    # are the same incident reported again.
    merge_window: timedelta = timedelta(hours=2)
    merge_distance_m: float = 100.0
    bursts: tuple[BurstRule, ...] = ()

    def burst_rule(self, subcategory: str | None) -> BurstRule | None:
        """The burst rule that counts reports of `subcategory`, if any."""
        for rule in self.bursts:
            if subcategory in rule.subcategories:
                return rule
        return None

    def routes(self) -> list[Route]:
        """Every route, depth-first from the root."""
        return self.root.walk()

    def route(self, name: str) -> Route:
        """The route called `name`; raises KeyError if there is none."""
        for r in self.root.walk():
            if r.name == name:
                return r
        raise KeyError(name)

    def match(self, inp: RouteInput) -> list[Route]:
        """The matched routes, in order; never empty (the root matches everything)."""
        return self.root.match(inp)

    def gravity_problems(self) -> list[tuple[str, str]]:
        """(route name, problem) for every route that could hold a grade I or II report at a
        triage desk because its category is uncertain (DESIGN §3, gravity before doubt: such a
        report is routed by its grade at once, and a person confirms the category there)."""
        problems: list[tuple[str, str]] = []

        def visit(route: Route, severities: frozenset[Severity], doubtful: bool) -> None:
            if route.matchers.severities:
                severities = severities & route.matchers.severities
            doubtful = doubtful or route.matchers.low_confidence
            grave = sorted(
                (g for g in severities if severity_rank(g) >= severity_rank(Severity.II)),
                key=severity_rank,
            )
            if doubtful and route.triage and grave:
                problems.append(
                    (
                        route.name,
                        "a low-confidence triage route must not match grade "
                        + " or ".join(g.value for g in grave)
                        + ": add `severity: [IV, III]` to its match (a grave report is routed "
                        "by its grade at once; its work order carries the triage flag)",
                    )
                )
            for child in route.routes:
                visit(child, severities, doubtful)

        visit(self.root, frozenset(Severity), False)
        return problems

    def decide(self, inp: RouteInput, org: Organisation) -> RouteDecision:
        """Route one incident: lead target, assisting targets, information copies, reasons."""
        matched = self.match(inp)
        first = matched[0]
        reasons: list[str] = [f"matched route {' > '.join(first.path)}"]
        reasons.extend(f"also matched route {' > '.join(r.path)} (continue)" for r in matched[1:])

        if not inp.location.located:
            reasons.append(
                "not located (" + (inp.location.detail or "no grid, community or address") + "); "
                "sent to the city triage desk"
            )
            return self._triage_desk(first, matched, org.city, org, reasons, UNLOCATED)

        start, why = self.grading.start_level(inp.category, inp.severity)
        if not all(r.triage for r in matched):
            reasons.extend(why)
        district = inp.location.district
        if inp.location.needs_placement and district and start.rank < Level.DISTRICT.rank:
            # A boundary cannot pick a community: a person at the district's desk places it.
            reasons.append(
                f"placed by coordinates in {district.name} only (no street or community known); "
                "sent to the district triage desk to place it"
            )
            return self._triage_desk(first, matched, district, org, reasons, TRIAGE)
        lead = self._target(first, start, inp, org, reasons)
        assisting: list[Target] = []
        for extra in matched[1:]:
            target = self._target(extra, start, inp, org, reasons)
            if (target.unit, target.department) != (lead.unit, lead.department) and all(
                (target.unit, target.department) != (t.unit, t.department) for t in assisting
            ):
                assisting.append(target)

        copies = self._info_copies(first, lead, inp, org, reasons)
        return RouteDecision(
            first.path,
            tuple(r.name for r in matched),
            lead,
            tuple(assisting),
            copies,
            first.sla,
            TRIAGE if lead.triage else ROUTED,
            tuple(reasons),
        )

    def _triage_desk(
        self,
        first: Route,
        matched: list[Route],
        unit: Unit,
        org: Organisation,
        reasons: list[str],
        reason: str,
    ) -> RouteDecision:
        """The decision that sends an incident to `unit`'s triage desk, nobody else told."""
        department = self.departments.name_for(TRIAGE_CATEGORY, unit, org)
        lead = Target(first.name, unit.level, unit, department, triage=True)
        return RouteDecision(
            first.path,
            tuple(r.name for r in matched),
            lead,
            (),
            (),
            first.sla,
            reason,
            tuple(reasons),
        )

    def _target(
        self, route: Route, start: Level, inp: RouteInput, org: Organisation, reasons: list[str]
    ) -> Target:
        """Where `route` sends the incident, given the start level from grade and floor."""
        if route.triage:
            wanted = route.level or Level.STREET
            if start.rank > wanted.rank:
                # Gravity before doubt: a grave report's triage desk is at its grade's level.
                wanted = start
            reasons.append(f"route {route.name} sends to the {wanted.value} triage desk")
            category = TRIAGE_CATEGORY
        else:
            wanted = start
            if route.min_level is not None and route.min_level.rank > wanted.rank:
                wanted = route.min_level
                reasons.append(f"route {route.name} starts at {wanted.value} at least")
            if route.level is not None and route.level is not wanted:
                wanted = route.level
                reasons.append(f"route {route.name} sets the level to {wanted.value}")
            category = route.department_from or inp.category
        unit = _unit_at_or_above(inp.location, wanted, org)
        if unit.level is not wanted:
            reasons.append(
                f"no {wanted.value} known for this location; sent to the {unit.level.value} "
                f"{unit.name}"
            )
        override = route.departments.get(unit.level)
        if override is not None:
            department = render_department(override, org.chain(unit.code))
            reasons.append(f"route {route.name} names the department {department}")
        else:
            department = self.departments.name_for(category, unit, org)
            if route.department_from is not None and not route.triage:
                reasons.append(
                    f"route {route.name} uses the departments of {route.department_from}"
                )
        return Target(route.name, unit.level, unit, department, triage=route.triage)

    def _info_copies(
        self, route: Route, lead: Target, inp: RouteInput, org: Organisation, reasons: list[str]
    ) -> tuple[Target, ...]:
        mode = route.info_copies
        if mode is InfoCopies.NEVER:
            if self.grading.copies_due(inp.severity):
                reasons.append(f"route {route.name} sends no information copies")
            return ()
        if mode is InfoCopies.POLICY and not self.grading.copies_due(inp.severity):
            return ()
        category = TRIAGE_CATEGORY if lead.triage else (route.department_from or inp.category)
        copies: list[Target] = []
        for level in reversed(Level):
            if level.rank >= lead.level.rank:
                continue
            unit = inp.location.unit_at(level)
            if unit is None:
                continue
            department = self.departments.name_for(category, unit, org)
            copies.append(Target(route.name, level, unit, department, triage=lead.triage))
        if copies:
            why = (
                f"route {route.name} always informs the levels below"
                if mode is InfoCopies.ALWAYS
                else f"grade {inp.severity.value} is at or above "
                f"{self.grading.info_copies_from}: every level below is informed"
            )
            reasons.append(f"{why} ({', '.join(t.unit.name for t in copies)})")
        return tuple(copies)


def _unit_at_or_above(location: Location, level: Level, org: Organisation) -> Unit:
    """The unit at `level` in the location's chain; if the chain stops short of it, the lowest
    known unit above it; the city when nothing is known."""
    current: Level | None = level
    while current is not None:
        unit = location.unit_at(current)
        if unit is not None:
            return unit
        current = current.up()
    return org.city
