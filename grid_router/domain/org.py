"""The organisation (市-区-街-社), grid codes, and placing a report in it.

Pure: standard library only. `Organisation.from_csv_text` parses CSV text handed to it; reading
the bundled file is the job of `grid_router.adapters.org_data`.

Locating order: a valid grid code, else a known community code, else the address text, else the
report's WGS-84 point, else `UNLOCATED` (the city triage queue). A point is placed at the street
or community of the nearest earlier located report within the merge distance (the caller, who
has the database, finds those), else in the district whose boundary holds it (the
`DistrictBoundaries` port, handed in by the bootstrap); a point outside every district stays
unlocated with a sentence saying so. Address matching is deliberately cautious: a bare two-
character stem such as "中山" or "小学" is an everyday word as often as a place name, so it only
counts when the unit above it in the chain is also named in the text.
"""

from __future__ import annotations

import copy
import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise, product
from typing import Final, Literal, Protocol

from grid_router.domain.model import UNLOCATED, GeoPoint, Level
from grid_router.exceptions import GridRouterError

GRID_CODE_LENGTH: Final = 15
"""A grid code: 12-digit community code followed by a 3-digit grid sequence (001-999)."""

_COMMUNITY_CODE_LENGTH: Final = 12
_CSV_COLUMNS: Final = ("level", "code", "name", "parent_code")
# Stems shorter than this match too much ordinary text to be taken as a place name.
_MIN_STEM: Final = 2


# --------------------------------------------------------------------------------------------
# Errors


# The names InvalidGridCode and UnknownUnit are the agreed contract with the other modules.
class InvalidGridCode(GridRouterError, ValueError):  # noqa: N818
    """A grid code that is malformed, or that names a community the organisation lacks."""


class UnknownUnit(GridRouterError, KeyError):  # noqa: N818
    """A division code that is not in the organisation."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def __str__(self) -> str:
        # KeyError would quote the message as if it were a key; show it as written.
        return str(self.args[0])


class OrganisationDataError(GridRouterError, ValueError):
    """Divisions data that does not form one consistent city → district → street → community
    tree. `problems` lists every fault found, not just the first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "\n  - ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(
            f"divisions data is invalid ({len(problems)} problem(s)); fix the divisions CSV:"
            f"\n  - {shown}{more}"
        )


# --------------------------------------------------------------------------------------------
# Units


_SUFFIXES: Final[dict[Level, tuple[str, ...]]] = {
    Level.CITY: ("市",),
    Level.DISTRICT: ("区",),
    Level.STREET: ("街道", "镇", "乡"),
    # Longest first, so "社区居委会" is stripped whole rather than leaving "社区".
    Level.COMMUNITY: ("社区居民委员会", "社区居委会", "村民委员会", "村委会", "居委会"),
}


def short_name(name: str, level: Level) -> str:
    """The name without its administrative suffix ("思明区" → "思明", "中华街道" → "中华",
    "鸿山社区居委会" → "鸿山"); the full name when stripping would leave fewer than two
    characters or the unit is a farm, zone or virtual community with no such suffix."""
    if "虚拟" in name or name.endswith("生活区"):
        return name
    for suffix in _SUFFIXES[level]:
        if name.endswith(suffix) and len(name) - len(suffix) >= _MIN_STEM:
            return name[: -len(suffix)]
    return name


@dataclass(frozen=True, slots=True)
class Unit:
    """One administrative unit: the city, a district, a street/town or a community/village."""

    code: str
    name: str
    level: Level
    parent_code: str | None

    @property
    def short_name(self) -> str:
        """The name without its suffix, as people write it ("中华街道" → "中华")."""
        return short_name(self.name, self.level)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


# --------------------------------------------------------------------------------------------
# Grid codes


@dataclass(frozen=True, slots=True)
class GridCode:
    """A parsed 15-digit grid code; its prefixes name the units that own the grid."""

    code: str

    @property
    def community_code(self) -> str:
        return self.code[:12]

    @property
    def street_code(self) -> str:
        return self.code[:9]

    @property
    def district_code(self) -> str:
        return self.code[:6]

    @property
    def sequence(self) -> int:
        """The grid's number within its community, 1-999."""
        return int(self.code[12:])

    def __str__(self) -> str:
        return self.code


def _ascii_digits(text: str) -> bool:
    # str.isdigit alone accepts full-width and superscript digits, which are not codes.
    return text.isascii() and text.isdigit()


def parse_grid_code(text: str) -> GridCode:
    """Parse a grid code (surrounding whitespace ignored) without checking it against any
    organisation.

    Raises `InvalidGridCode` saying what is wrong: the length, a non-digit, or a zero grid
    sequence.
    """
    code = text.strip()
    if len(code) != GRID_CODE_LENGTH:
        raise InvalidGridCode(
            f"grid code {code!r} has {len(code)} characters; a grid code is 15 digits: the "
            "12-digit community code followed by the 3-digit grid number (001-999)"
        )
    if not _ascii_digits(code):
        raise InvalidGridCode(
            f"grid code {code!r} contains characters other than the digits 0-9; a grid code "
            "is 15 ASCII digits"
        )
    if code.endswith("000"):
        raise InvalidGridCode(
            f"grid code {code} ends in grid number 000; grid numbers run from 001 to 999"
        )
    return GridCode(code)


# --------------------------------------------------------------------------------------------
# Locations


Method = Literal["grid_code", "community_code", "address", "coordinates", "unlocated"]


class DistrictBoundaries(Protocol):
    """Port: the district whose boundary holds a point (an adapter reads the geometry)."""

    def district_at(self, point: GeoPoint) -> str | None:
        """The code of the district containing the WGS-84 `point`, or None outside them all."""
        ...


@dataclass(frozen=True, slots=True)
class NearbyReport:
    """An earlier report, located by grid, community or address to `unit_code` (a street or
    community), whose point lies `distance_m` from the one being placed."""

    event_id: str
    unit_code: str
    distance_m: float


def describe_point(point: GeoPoint) -> str:
    """A point as people read it: "24.45570, 118.07900 (WGS-84)"."""
    return f"{point.lat:.5f}, {point.lon:.5f} (WGS-84)"


@dataclass(frozen=True, slots=True)
class Location:
    """Where a report belongs. A report may be located to a community, or only to a street
    or district (from an address that names no community); `method` says which input
    placed it. An unlocated report has no units, `reason` `UNLOCATED`, and `detail` saying why.
    `detail` also carries notes on inputs that were ignored (a bad grid code, a disagreeing
    community code) and, for an address, which names were matched. `city` is the city every
    location (even an unlocated one) belongs to, so `unit_at(Level.CITY)` always answers."""

    community: Unit | None
    street: Unit | None
    district: Unit | None
    grid_code: str | None
    method: Method
    reason: str | None = None
    detail: str | None = None
    city: Unit | None = None

    @property
    def located(self) -> bool:
        """True when the report was placed in at least a district."""
        return self.method != "unlocated"

    @property
    def needs_placement(self) -> bool:
        """Placed by its point in a district only: a person at the district's triage desk must
        find the street or community (a boundary is too coarse to pick a unit by)."""
        return self.method == "coordinates" and self.street is None

    @property
    def deepest(self) -> Unit | None:
        """The lowest unit known: community, else street, else district; None if unlocated."""
        return self.community or self.street or self.district

    @property
    def level(self) -> Level | None:
        """The level of `deepest`, or None if unlocated."""
        unit = self.deepest
        return unit.level if unit is not None else None

    def unit_at(self, level: Level) -> Unit | None:
        """The unit at `level` that owns this location, or None if not known that deep."""
        if level is Level.COMMUNITY:
            return self.community
        if level is Level.STREET:
            return self.street
        if level is Level.DISTRICT:
            return self.district
        return self.city


# --------------------------------------------------------------------------------------------
# Address matching


@dataclass(frozen=True, slots=True)
class _Entry:
    unit: Unit
    # A strong alias names the unit by itself ("中华街道", "鸿山社区", "曾厝垵"); a weak one is
    # a two-character bare stem ("中华", "小学") that counts only when the unit's parent is
    # named elsewhere in the text.
    strong: bool
    # A bare stem (no suffix) may be the start of a road name: "中山" in "中山路".
    bare: bool


# Where a unit is named in the text: (start, end, strong).
_Span = tuple[int, int, bool]
# One occurrence of an alias in the text: (start, end, the units it may name). A plain tuple,
# as the scan builds many per address.
_Match = tuple[int, int, tuple[_Entry, ...]]


# Colloquial names of the special street-level units (farms, bonded zones, high-tech zone)
# that the suffix rules cannot derive; True marks a bare place name (may start a road name).
_COLLOQUIAL: Final[dict[str, tuple[tuple[str, bool], ...]]] = {
    "火炬高技术开发区": (("火炬高新区", False),),
    "天马华侨农场": (("天马农场", False),),
    "坂头防护林场": (("坂头林场", False),),
    "天竺山林场": (("天竺山", True),),
    "大帽山农场": (("大帽山", True),),
}

_ROAD_WORDS: Final = ("路", "街", "巷", "弄", "大道", "桥", "隧道")
_DIRECTIONS: Final = "东西南北中"
# Three-character stems ("曾厝垵", "鼓浪屿") are rare enough as ordinary words to stand alone.
_DISTINCTIVE_STEM: Final = 3


def _is_road_after(text: str, end: int) -> bool:
    """True when the text at `end` continues a road name ("中山" + "路", "湖滨" + "南路"), so a
    bare stem just before it is part of the road, not a mention of the unit."""
    if end < len(text) and text[end] in _DIRECTIONS:
        end += 1
    return text.startswith(_ROAD_WORDS, end) and not text.startswith("街道", end)


def _aliases(unit: Unit) -> list[tuple[str, bool, bool]]:
    """Every way a unit may be written in an address, as (alias, strong, bare)."""
    name, stem, level = unit.name, unit.short_name, unit.level
    out: list[tuple[str, bool, bool]] = [(name, True, False)]
    for prefix in ("厦门市", "厦门", "省"):
        if name.startswith(prefix) and len(name) - len(prefix) > _MIN_STEM:
            out.append((name[len(prefix) :], True, False))
    out.extend(
        (alias, not bare or len(alias) >= _DISTINCTIVE_STEM, bare)
        for alias, bare in _COLLOQUIAL.get(name, ())
    )
    if stem == name:
        if "虚拟" in name:
            out.append((name.replace("虚拟", ""), True, False))
    elif level in (Level.CITY, Level.DISTRICT):
        # "思明", "湖里": district names are distinctive, and a road named after a district
        # ("思明南路", "湖里大道") lies in that district, so the road rule does not apply.
        out.append((stem, True, False))
    else:
        if level is Level.COMMUNITY:
            suffixes = (
                ("村", "村委会", "村委", "村民委员会")
                if name.endswith(("村委会", "村民委员会"))
                else ("社区", "居委会", "居委", "社区居委会", "社区居民委员会")
            )
            out.extend((stem + suffix, True, False) for suffix in suffixes)
        out.append((stem, len(stem) >= _DISTINCTIVE_STEM, True))
    return [a for a in out if len(a[0]) >= _MIN_STEM]


class _AddressIndex:
    """Every alias of every unit, bucketed by its first two characters so that a scan costs
    one dict probe per character of the address."""

    def __init__(self, units: Iterable[Unit]) -> None:
        flags: dict[str, dict[Unit, tuple[bool, bool]]] = {}
        for unit in units:
            for alias, strong, bare in _aliases(unit):
                per_unit = flags.setdefault(alias, {})
                was_strong, was_bare = per_unit.get(unit, (False, True))
                per_unit[unit] = (was_strong or strong, was_bare and bare)
        buckets: dict[str, list[tuple[str, tuple[_Entry, ...]]]] = {}
        for alias, per_unit in flags.items():
            entries = tuple(
                _Entry(u, strong, bare)
                for u, (strong, bare) in sorted(per_unit.items(), key=lambda item: item[0].code)
            )
            buckets.setdefault(alias[:2], []).append((alias, entries))
        for bucket in buckets.values():
            bucket.sort(key=lambda item: -len(item[0]))
        self._buckets = buckets

    def scan(self, text: str) -> list[_Match]:
        """All alias occurrences in `text`, minus those inside a longer occurrence, and minus
        bare stems that are really the start of a road name."""
        buckets = self._buckets
        kept: list[_Match] = []
        # Occurrences come in start order and, per start, longest first; so one is inside a
        # longer one exactly when an earlier occurrence reaches at least as far.
        reach = 0
        for i in range(len(text) - 1):
            bucket = buckets.get(text[i : i + 2])
            if bucket is None:
                continue
            for alias, entries in bucket:
                if not text.startswith(alias, i):
                    continue
                end = i + len(alias)
                if end <= reach:
                    continue
                # A road name also hides the names inside it ("前埔" in "前埔北路"), so the reach
                # grows even when the occurrence itself is dropped below.
                reach = end
                named = entries
                if _is_road_after(text, end):
                    named = tuple(e for e in entries if not e.bare)
                if named:
                    kept.append((i, end, named))
        return kept


@dataclass(frozen=True, slots=True)
class _Placement:
    unit: Unit | None
    note: str


# --------------------------------------------------------------------------------------------
# The organisation


class Organisation:
    """The tree city → district → street → community, with lookups and locating.

    Built once (the constructor validates the tree and indexes every name) and then read-only,
    so one instance may be shared by every thread.
    """

    def __init__(self, units: Iterable[Unit], boundaries: DistrictBoundaries | None = None) -> None:
        """Validate `units` as one tree and index them; raises `OrganisationDataError` listing
        every problem found. Without `boundaries` a report's point cannot place it."""
        self._boundaries = boundaries
        self._normalise: Callable[[str], str] | None = None
        unit_list = list(units)
        by_code: dict[str, Unit] = {}
        problems: list[str] = []
        for u in unit_list:
            if u.code in by_code:
                problems.append(f"code {u.code} is used twice ({by_code[u.code].name}, {u.name})")
            else:
                by_code[u.code] = u
        problems.extend(_tree_problems(by_code))
        if problems:
            raise OrganisationDataError(problems)

        self._by_code = by_code
        ordered = sorted(by_code.values(), key=lambda u: u.code)
        self._units = tuple(ordered)
        self._city = next(u for u in ordered if u.level is Level.CITY)
        grouped: dict[str, list[Unit]] = {}
        for u in ordered:
            if u.parent_code is not None:
                grouped.setdefault(u.parent_code, []).append(u)
        self._children = {code: tuple(kids) for code, kids in grouped.items()}
        self._by_level = {level: tuple(u for u in ordered if u.level is level) for level in Level}
        # Chains are precomputed: locating by grid code is the hot path of the router.
        self._chains: dict[str, tuple[Unit, ...]] = {}
        for u in ordered:
            chain = [u]
            while chain[-1].parent_code is not None:
                chain.append(by_code[chain[-1].parent_code])
            self._chains[u.code] = tuple(chain)
        self._owners: dict[str, tuple[Unit | None, Unit | None, Unit | None]] = {}
        for code, chain_units in self._chains.items():
            at = {c.level: c for c in chain_units}
            self._owners[code] = (
                at.get(Level.COMMUNITY),
                at.get(Level.STREET),
                at.get(Level.DISTRICT),
            )
        self._address_index = _AddressIndex(ordered)

    @classmethod
    def from_csv_text(cls, text: str) -> Organisation:
        """Build from CSV text with the columns level, code, name, parent_code (one header row;
        level is city, district, street or community; parent_code empty for the city)."""
        reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff")))
        header = tuple(reader.fieldnames or ())
        missing = [c for c in _CSV_COLUMNS if c not in header]
        if missing:
            raise OrganisationDataError(
                [
                    f"the header row lacks column(s) {', '.join(missing)}; expected "
                    f"{','.join(_CSV_COLUMNS)}, got {','.join(header) or 'nothing'}"
                ]
            )
        units: list[Unit] = []
        problems: list[str] = []
        levels = {level.value: level for level in Level}
        for row in reader:
            line = reader.line_num
            values = {c: (row.get(c) or "").strip() for c in _CSV_COLUMNS}
            level = levels.get(values["level"])
            if level is None:
                problems.append(
                    f"line {line}: level {values['level']!r} is not one of {', '.join(levels)}"
                )
                continue
            if not values["code"] or not values["name"]:
                problems.append(f"line {line}: code and name must not be empty")
                continue
            units.append(Unit(values["code"], values["name"], level, values["parent_code"] or None))
        if problems:
            raise OrganisationDataError(problems)
        return cls(units)

    def with_boundaries(self, boundaries: DistrictBoundaries | None) -> Organisation:
        """This organisation, placing points by `boundaries` (the indexes are shared)."""
        other = copy.copy(self)
        other._boundaries = boundaries
        return other

    def with_address_normaliser(self, normalise: Callable[[str], str] | None) -> Organisation:
        """This organisation, rewriting an address with `normalise` before reading it (the
        application passes traditional-to-simplified conversion: the division names are
        simplified, and 思明區蓮前街道 must find 思明区莲前街道). The indexes are shared."""
        other = copy.copy(self)
        other._normalise = normalise
        return other

    @property
    def places_points(self) -> bool:
        """Whether district boundaries are known, so that a point alone can place a report."""
        return self._boundaries is not None

    # ---- lookups

    @property
    def city(self) -> Unit:
        """The one city at the top of the tree."""
        return self._city

    @property
    def districts(self) -> tuple[Unit, ...]:
        """The districts, in code order."""
        return self._by_level[Level.DISTRICT]

    @property
    def units(self) -> tuple[Unit, ...]:
        """Every unit, in code order."""
        return self._units

    def __len__(self) -> int:
        return len(self._units)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def units_at(self, level: Level) -> tuple[Unit, ...]:
        """Every unit at `level`, in code order."""
        return self._by_level[level]

    def get(self, code: str) -> Unit | None:
        """The unit with `code`, or None."""
        return self._by_code.get(code)

    def unit(self, code: str) -> Unit:
        """The unit with `code`; raises `UnknownUnit` if there is none."""
        found = self._by_code.get(code)
        if found is None:
            raise UnknownUnit(code, self._unknown_message(code))
        return found

    def parent(self, unit: Unit | str) -> Unit | None:
        """The unit one level up, or None for the city."""
        code = unit if isinstance(unit, str) else unit.code
        parent_code = self.unit(code).parent_code
        return None if parent_code is None else self._by_code[parent_code]

    def chain(self, code: str) -> list[Unit]:
        """The unit and its ancestors up to the city, lowest first."""
        chain = self._chains.get(code)
        if chain is None:
            raise UnknownUnit(code, self._unknown_message(code))
        return list(chain)

    def children(self, code: str) -> list[Unit]:
        """The units one level below `code`, in code order (empty for a community)."""
        self.unit(code)
        return list(self._children.get(code, ()))

    def validate_grid_code(self, text: str) -> GridCode:
        """Parse a grid code and check that its community exists; raises `InvalidGridCode`."""
        grid = parse_grid_code(text)
        community = self._by_code.get(grid.community_code)
        if community is None or community.level is not Level.COMMUNITY:
            raise InvalidGridCode(
                f"grid code {grid.code} names unknown community {grid.community_code}"
                f"{self._nearest_known(grid.community_code)}"
            )
        return grid

    def _unknown_message(self, code: str) -> str:
        return (
            f"no unit has code {code!r} in {self._city.name}{self._nearest_known(code)}; "
            "give a division code of the organisation: 6 digits for a district, 9 for a street "
            "or town, 12 for a community or village"
        )

    def _nearest_known(self, code: str) -> str:
        """A hint naming the deepest known unit whose code prefixes `code`, which tells a user
        whether they mistyped the tail or the whole code."""
        for length in (9, 6):
            if len(code) > length and (known := self._by_code.get(code[:length])) is not None:
                return f" (its prefix {known.code} is {known.name})"
        return ""

    # ---- locating

    def locate(
        self,
        grid_code: str | None = None,
        community_code: str | None = None,
        address: str | None = None,
        point: GeoPoint | None = None,
        nearby: Sequence[NearbyReport] | None = None,
    ) -> Location:
        """Place a report: by a valid grid code, else a known community code, else its address
        text, else its WGS-84 `point`. `nearby` are the earlier located reports near the point
        (None: nobody looked, as in a dry run without a database). Never raises for bad input;
        an unplaceable report gets method "unlocated", reason `UNLOCATED` and a `detail`
        explaining each input's failure."""
        # (note, about_a_missing_input): notes on missing inputs only explain an unlocated
        # report, so a placed one drops them and keeps the rest (bad or overruled inputs).
        notes: list[tuple[str, bool]] = []
        grid_text = grid_code.strip() if grid_code else ""
        community_text = community_code.strip() if community_code else ""

        if grid_text:
            try:
                grid = self.validate_grid_code(grid_text)
            except InvalidGridCode as exc:
                notes.append((str(exc), False))
            else:
                if community_text and community_text != grid.community_code:
                    notes.append(
                        (
                            f"community code {community_text} disagrees with grid code "
                            f"{grid.code} (community {grid.community_code}); the grid code "
                            "was trusted",
                            False,
                        )
                    )
                community = self._by_code[grid.community_code]
                return self._location(community, "grid_code", grid.code, notes)
        else:
            notes.append(("no grid code given", True))

        if community_text:
            found = self._by_code.get(community_text)
            if found is not None and found.level is Level.COMMUNITY:
                return self._location(found, "community_code", None, notes)
            notes.append((self._bad_community_note(community_text, found), False))
        else:
            notes.append(("no community code given", True))

        address_text = "".join(address.split()) if address else ""
        if address_text and self._normalise is not None:
            address_text = self._normalise(address_text)
        if address_text:
            placement = self._place_address(address_text)
            notes.append((placement.note, False))
            if placement.unit is not None:
                return self._location(placement.unit, "address", None, notes)
        else:
            notes.append(("no address given", True))

        if point is not None:
            placed = self._place_point(point, nearby, notes)
            if placed is not None:
                return placed
        else:
            notes.append(("no coordinates given", True))

        return Location(
            community=None,
            street=None,
            district=None,
            grid_code=None,
            method="unlocated",
            reason=UNLOCATED,
            detail="; ".join(note for note, _ in notes),
            city=self._city,
        )

    def locate_address(self, address: str) -> Location:
        """Place a report by its address text alone (see `locate`)."""
        return self.locate(address=address)

    def _location(
        self, unit: Unit, method: Method, grid_code: str | None, notes: list[tuple[str, bool]]
    ) -> Location:
        community, street, district = self._owners[unit.code]
        return Location(
            community=community,
            street=street,
            district=district,
            grid_code=grid_code,
            method=method,
            reason=None,
            detail="; ".join(note for note, missing in notes if not missing) or None,
            city=self._city,
        )

    def _place_point(
        self,
        point: GeoPoint,
        nearby: Sequence[NearbyReport] | None,
        notes: list[tuple[str, bool]],
    ) -> Location | None:
        """A location for `point`, or None (with a note saying why) when it cannot be placed.

        An earlier report located to a community (else a street) tells where the point is:
        grid codes and community codes are exact where a boundary drawn on a 100 m grid is
        not, so it wins even over the boundary. Otherwise the boundary gives the district."""
        where = describe_point(point)
        district_code = self._boundaries.district_at(point) if self._boundaries else None
        known = [
            n
            for n in nearby or ()
            if (u := self._by_code.get(n.unit_code)) is not None
            and u.level in (Level.COMMUNITY, Level.STREET)
        ]
        if known:
            best = min(known, key=lambda n: (self._by_code[n.unit_code].level.rank, n.distance_m))
            unit = self._by_code[best.unit_code]
            note = (
                f"coordinates {where}: earlier report {best.event_id}, {best.distance_m:.0f} m "
                f"away, was located in {self._describe(unit)}"
            )
            district = self._owners[unit.code][2]
            if (
                district_code is not None
                and district is not None
                and district.code != (district_code)
            ):
                note += (
                    f" (the boundary data puts the point in {self._by_code[district_code].name})"
                )
            notes.append((note, False))
            return self._location(unit, "coordinates", None, notes)
        if self._boundaries is None:
            notes.append(
                (f"coordinates {where} given, but no district boundaries are loaded", False)
            )
            return None
        if district_code is None or district_code not in self._by_code:
            notes.append(
                (
                    f"coordinates {where} lie outside every district of {self._city.name}: "
                    "the point is not in this city (check that it is not in GCJ-02 or BD-09 "
                    "sent as WGS-84)",
                    False,
                )
            )
            return None
        district = self._by_code[district_code]
        if nearby is None:
            why = (
                "earlier reports near it were not consulted (no database here), so no street "
                "or community is known"
            )
        else:
            why = "no earlier located report lies within the merge distance to name its community"
        notes.append((f"coordinates {where} lie in {district.name} by its boundary; {why}", False))
        return self._location(district, "coordinates", None, notes)

    def _bad_community_note(self, code: str, found: Unit | None) -> str:
        if found is not None:
            return (
                f"community code {code} is the {found.level.value} {found.name}, "
                "not a community; a community code has 12 digits"
            )
        if len(code) != _COMMUNITY_CODE_LENGTH or not _ascii_digits(code):
            return f"community code {code!r} is not 12 digits"
        return f"community code {code} is not a community of {self._city.name}" + (
            self._nearest_known(code)
        )

    def _place_address(self, text: str) -> _Placement:
        """The deepest unit the address text supports, or None with a note saying why.

        Each named unit is a hypothesis scored by how many units of its chain (itself, street,
        district) are named in separate, non-overlapping places in the text. A weak (bare-stem)
        name counts only when its parent is named too. Among the best-scoring hypotheses the
        report goes to their deepest common unit; if that is the city, the text is ambiguous
        or self-contradictory and the report stays unlocated.
        """
        matches = self._address_index.scan(text)
        # Keyed by code: hashing a str is much cheaper than hashing a Unit dataclass.
        spans: dict[str, list[_Span]] = {}
        for start, end, entries in matches:
            for e in entries:
                spans.setdefault(e.unit.code, []).append((start, end, e.strong))

        scored: list[tuple[int, Unit]] = []
        unconfirmed: list[Unit] = []
        for code in spans:
            unit = self._by_code[code]
            if unit.level is Level.CITY:
                continue
            score = self._support(code, spans)
            if score:
                scored.append((score, unit))
            else:
                unconfirmed.append(unit)

        if not scored:
            return _Placement(None, self._nothing_found_note(text, spans, unconfirmed))
        best = max(score for score, _ in scored)
        top = [unit for score, unit in scored if score == best]
        # "杏林街道杏北社区，杏林老车站": a unit named in full beats one named by its bare stem.
        in_full = [u for u in top if any(strong for _, _, strong in spans[u.code])]
        if in_full:
            top = in_full
        common = top[0] if len(top) == 1 else self._common_ancestor(top)
        if common.level is Level.CITY:
            options = "; ".join(self._describe(u) for u in sorted(top, key=lambda u: u.code))
            if len({u.name for u in top}) == 1:
                problem = f"could be any of: {options}"
            else:
                problem = f"names places that do not belong together: {options}"
            return _Placement(
                None, f"address {text!r} {problem}; give the district and street to place it"
            )
        named = ", ".join(u.name for u in reversed(self._chains[common.code]) if u.code in spans)
        note = f"address names {named}" if named else f"address fits {common.name}"
        if len(top) > 1:
            options = "; ".join(self._describe(u) for u in sorted(top, key=lambda u: u.code))
            note += (
                f"; it fits {len(top)} places ({options}), so it is placed at their common "
                f"{common.level.value} {common.name}"
            )
        return _Placement(common, note)

    def _support(self, code: str, spans: dict[str, list[_Span]]) -> int:
        """How many units of the chain of `code` (below the city) the text names in separate,
        non-overlapping places; 0 if the unit itself is only weakly named and its parent is
        not named. One word cannot name two units ("莲花" is 莲花镇 or 莲花村, not both), nor
        can two overlapping words ("大同" and "同新" in "大同新丰社区")."""
        above = self._chains[code][1:-1]
        options = [[*spans.get(u.code, ()), None] for u in above]
        best = 0
        for own in spans[code]:
            for rest in product(*options):
                if not own[2] and (not rest or rest[0] is None):
                    continue
                used = sorted([own, *(c for c in rest if c is not None)])
                if all(a[1] <= b[0] for a, b in pairwise(used)):
                    best = max(best, len(used))
        return best

    def _common_ancestor(self, units: list[Unit]) -> Unit:
        paths = [tuple(reversed(self._chains[u.code])) for u in units]
        common = paths[0][0]
        for depth in range(min(len(p) for p in paths)):
            step = {p[depth] for p in paths}
            if len(step) != 1:
                break
            common = paths[0][depth]
        return common

    def _describe(self, unit: Unit) -> str:
        above = "".join(u.name for u in reversed(self._chains[unit.code][1:-1]))
        return f"{unit.name} ({above})" if above else unit.name

    def _nothing_found_note(
        self, text: str, spans: dict[str, list[_Span]], unconfirmed: list[Unit]
    ) -> str:
        if unconfirmed:
            names = ", ".join(
                f"{u.short_name!r} might be {self._describe(u)}"
                for u in sorted(unconfirmed, key=lambda u: u.code)[:4]
            )
            return (
                f"address {text!r} names no district, street or community that the rest of "
                f"the text confirms ({names}); add the district or street"
            )
        if self._city.code in spans:
            return (
                f"address {text!r} names only {self._city.name}, not a district, street or "
                "community"
            )
        return f"address {text!r} names no district, street or community of {self._city.name}"


def _tree_problems(by_code: dict[str, Unit]) -> list[str]:
    """Every way the units fail to form one city → district → street → community tree."""
    problems: list[str] = []
    cities = [u for u in by_code.values() if u.level is Level.CITY]
    if len(cities) != 1:
        names = ", ".join(str(u) for u in cities) or "none"
        problems.append(f"there must be exactly one city; found {len(cities)}: {names}")
    for u in by_code.values():
        where = f"{u.level.value} {u.code} {u.name}"
        if not u.name.strip():
            problems.append(f"{u.level.value} {u.code} has an empty name")
        if len(u.code) != u.level.code_length or not _ascii_digits(u.code):
            problems.append(f"{where}: code must be {u.level.code_length} digits")
        if u.level is Level.CITY:
            if u.parent_code is not None:
                problems.append(f"{where}: the city must have no parent, got {u.parent_code}")
            if not u.code.endswith("00"):
                problems.append(f"{where}: a city code ends in 00")
            continue
        parent = by_code.get(u.parent_code or "")
        if parent is None:
            problems.append(f"{where}: parent {u.parent_code or '(empty)'} is not in the data")
            continue
        if parent.level.rank != u.level.rank + 1:
            problems.append(
                f"{where}: parent {parent.code} is a {parent.level.value}; a "
                f"{u.level.value}'s parent must be a {u.level.up()}"
            )
            continue
        # A district code shares the city's first 4 digits (350203 under 350200); lower
        # levels extend their parent's code in full.
        prefix = parent.code[:4] if parent.level is Level.CITY else parent.code
        if not u.code.startswith(prefix):
            problems.append(f"{where}: code does not start with its parent's prefix {prefix}")
    return problems
