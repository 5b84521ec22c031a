"""Load, validate and compile a routing policy file.

The whole file is checked before anything is compiled, and every problem is reported at once
with its path in the file (`route.routes[2].match.severity: 'V' is not one of IV, III, II, I`):
the strict schema (`grid_router.policy.schema`) first, then the cross-checks no single field can
make (known category and subcategory codes, a department for every category × level, unique
route names, SLA policy names, department templates, district and street codes, routes that can
never match, SLA limits at every level, working hours in order, calendar dates listed twice).
Only a clean file is compiled: the routing into a `grid_router.domain.routing.RoutingPolicy`, the
SLA policies into `grid_router.domain.sla.SlaRules`, and the calendar into `CalendarSettings`
(from which `grid_router.adapters.holidays.load_calendar` builds the working calendar).
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.bridges import FACTS, BridgeRule, unknown_facts
from grid_router.domain.bridges import Field as BridgeField
from grid_router.domain.counting import GradeThresholds
from grid_router.domain.model import Level, Severity
from grid_router.domain.org import Organisation
from grid_router.domain.routing import (
    BurstRule,
    Departments,
    Grading,
    InfoCopies,
    Matchers,
    Route,
    RouteDecision,
    RouteInput,
    RoutingPolicy,
    TimeRange,
    template_problems,
)
from grid_router.domain.sla import (
    DEFAULT_WORKING_HOURS,
    ClockKind,
    ExtensionRules,
    SlaLimits,
    SlaPolicy,
    SlaRules,
)
from grid_router.domain.taxonomy import CATEGORIES
from grid_router.exceptions import ConfigurationError
from grid_router.policy.schema import (
    GRADE_NAMES,
    LEVEL_NAMES,
    BridgeSpec,
    CalendarSpec,
    MatchSpec,
    PolicyFile,
    RouteSpec,
    SlaSpec,
    format_duration,
    parse_duration,
    parse_time_range,
    parse_working_period,
)

DEFAULT_POLICY_FILE = "xiamen.yaml"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a policy file: where (a path such as `route.routes[2].name`, or
    the empty string for the file itself) and what."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class PolicyError(ConfigurationError):
    """A policy file that cannot be used; `problems` lists every fault found."""

    def __init__(self, source: Path, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        listed = "\n  - ".join(str(p) for p in problems)
        super().__init__(
            f"policy file {source} has {len(problems)} problem(s); fix them and run "
            f"`grid-router policy check {source}`:\n  - {listed}"
        )


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    """The policy file's `sla.calendar`: the working hours (local times, in order) and the
    operator's dates on top of the statutory holiday calendar. Turned into a
    `grid_router.domain.sla.WorkingCalendar` by `grid_router.adapters.holidays.load_calendar`
    (`extra_holidays`, `extra_working_days`, `working_hours=`, `extra_known_years=`)."""

    working_hours: tuple[tuple[time, time], ...] = DEFAULT_WORKING_HOURS
    extra_holidays: frozenset[date] = frozenset()
    extra_working_days: frozenset[date] = frozenset()
    known_years: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class BridgeEndpoint:
    """Where a bridge delivers and how hard it tries: the environment variables that hold its
    base URL and its HMAC secret, the attempts before a delivery is parked, the call timeout."""

    name: str
    url_env: str
    secret_env: str
    max_attempts: int
    timeout_seconds: float
    backoff_first_seconds: float = 2.0
    backoff_max_seconds: float = 600.0
    breaker_failures: int = 5
    breaker_reset_seconds: float = 30.0


@dataclass(frozen=True, slots=True)
class Policy:
    """A loaded policy file: where it came from, the taxonomy file it names, the compiled
    routing, the SLA policies routes name, and the working-day calendar settings."""

    source: Path
    version: str
    taxonomy_path: Path
    routing: RoutingPolicy
    sla: SlaRules
    calendar: CalendarSettings
    bridges: tuple[BridgeRule, ...] = ()
    endpoints: Mapping[str, BridgeEndpoint] = field(default_factory=dict)
    model_path: Path | None = None
    grade_counts: GradeThresholds = field(default_factory=GradeThresholds)
    public_categories: frozenset[str] = frozenset()
    """Categories Open311 shows without an api_key (`access.public_categories`)."""
    failed_auth_per_minute: int = 30
    """Failed authentications a minute per address or token prefix before 429."""

    @property
    def sla_policies(self) -> frozenset[str]:
        return self.routing.sla_policies

    def decide(self, inp: RouteInput, org: Organisation) -> RouteDecision:
        """Route one incident (see `RoutingPolicy.decide`)."""
        return self.routing.decide(inp, org)


# --------------------------------------------------------------------------------------------
# Public entry points


def model_paths(path: str | Path) -> tuple[Path, Path | None]:
    """The taxonomy and model files a policy names, read without checking the rest (training
    writes the model a policy names, so it must not need a valid model to start)."""
    source = Path(path)
    try:
        raw = yaml.load(_read_text(source), Loader=_SafeLoader)
    except (OSError, yaml.YAMLError) as exc:
        raise PolicyError(
            source, [Problem("", f"cannot read policy file {source}: {exc}")]
        ) from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("taxonomy"), str):
        raise PolicyError(source, [Problem("taxonomy", "is required but missing")])
    model = raw.get("model")
    return (
        resolve_reference(source, raw["taxonomy"]),
        resolve_reference(source, model) if isinstance(model, str) else None,
    )


def check_policy(path: str | Path, org: Organisation | None = None) -> list[Problem]:
    """Every problem in the policy file at `path` (empty when it is good). District and street
    codes are checked against `org` (default: the bundled Xiamen organisation)."""
    _, problems = _read_and_check(Path(path), org)
    return problems


def load_policy(path: str | Path, org: Organisation | None = None) -> Policy:
    """Load, validate and compile the policy file at `path`; raises `PolicyError` listing every
    problem when it is not clean."""
    source = Path(path)
    model, problems = _read_and_check(source, org)
    if problems or model is None:
        raise PolicyError(source, problems)
    return Policy(
        source=source,
        version=model.version,
        taxonomy_path=resolve_reference(source, model.taxonomy),
        model_path=resolve_reference(source, model.model) if model.model else None,
        grade_counts=GradeThresholds(**model.grading.counts.model_dump()),
        routing=compile_policy(model),
        sla=compile_sla(model.sla),
        calendar=compile_calendar(model.sla.calendar),
        bridges=compile_bridges(model.bridges),
        endpoints={
            name: BridgeEndpoint(
                name=name,
                url_env=b.url_env,
                secret_env=b.secret_env,
                max_attempts=b.max_attempts,
                timeout_seconds=b.timeout_seconds,
                backoff_first_seconds=b.backoff_first_seconds,
                backoff_max_seconds=b.backoff_max_seconds,
                breaker_failures=b.breaker_failures,
                breaker_reset_seconds=b.breaker_reset_seconds,
            )
            for name, b in model.bridges.items()
        },
        public_categories=frozenset(model.access.public_categories),
        failed_auth_per_minute=model.access.failed_auth_per_minute,
    )


def default_policy_path() -> Path:
    """The bundled Xiamen policy file."""
    return bundled_policy_dir() / DEFAULT_POLICY_FILE


def bundled_policy_dir() -> Path:
    """Where the bundled policy files are (the package's `policy/`, in a checkout or a wheel)."""
    return Path(str(resources.files("grid_router.policy")))


def resolve_reference(source: Path, ref: str) -> Path:
    """The file a policy file names (its taxonomy, a model): beside the policy file; or, for a
    bare file name not found there, the bundled file of that name, so that a copy of the
    bundled policy edited elsewhere keeps working without copying what it names."""
    beside = (source.parent / ref).resolve()
    if not beside.exists() and Path(ref).name == ref:
        bundled = bundled_policy_dir() / ref
        if bundled.exists():
            return bundled
    return beside


@functools.cache
def load_default_policy() -> Policy:
    """The bundled Xiamen policy, loaded once per process (a `Policy` is read-only)."""
    return load_policy(default_policy_path())


# --------------------------------------------------------------------------------------------
# Reading and checking


try:
    # libyaml's parser: the same documents and errors, fifteen times faster than PyYAML's own
    # (the policy file and its taxonomy are read on every `policy check` and every start).
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


class _UniqueKeyLoader(_SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (PyYAML keeps the last one
    silently, which would hide an operator's mistake)."""


def _read_text(path: Path) -> str:
    """The UTF-8 text of `path`; `OSError` (with the reason) when it cannot be read as such."""
    try:
        return path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise OSError(
            f"not UTF-8 text (byte {exc.object[exc.start]:#04x} at offset {exc.start})"
        ) from exc


def _construct_mapping(loader: _SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} appears twice in one mapping (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def _read_and_check(
    source: Path, org: Organisation | None
) -> tuple[PolicyFile | None, list[Problem]]:
    try:
        text = _read_text(source)
    except OSError as exc:
        return None, [Problem("", f"cannot read policy file {source}: {exc.strerror or exc}")]
    try:
        raw = yaml.load(
            text, Loader=_UniqueKeyLoader
        )  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        return None, [Problem("", f"{source} is not valid YAML: {exc}")]
    if not isinstance(raw, dict):
        return None, [Problem("", f"{source} must hold a mapping of keys (version, route, …)")]

    problems: list[Problem] = []
    model: PolicyFile | None = None
    try:
        model = PolicyFile.model_validate(raw)
    except ValidationError as exc:
        problems.extend(_schema_problem(err, raw) for err in exc.errors())
    # Cross-checks read the raw data, so that they run (and report) even when the schema
    # failed somewhere else in the file.
    problems.extend(_cross_check(raw, source, org or load_default_organisation()))
    if model is not None and not problems:
        problems.extend(
            Problem(f"route {name}", why) for name, why in compile_policy(model).gravity_problems()
        )
    return (model if not problems else None), _dedupe(problems)


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    out: list[Problem] = []
    for p in problems:
        if p not in seen:
            seen.add(p)
            out.append(p)
    return out


# ---- schema errors


def format_path(loc: tuple[int | str, ...]) -> str:
    """`("route", "routes", 2, "match")` → `route.routes[2].match`. A key that holds control
    characters or is padded with spaces is quoted, escapes and all, so that each problem stays
    on one line of its own."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = part if part.isprintable() and part.strip() == part and part else repr(part)
        out += f".{name}" if out else name
    return out


def _lookup(raw: Any, loc: tuple[int | str, ...]) -> Any:
    node = raw
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if not (in_dict or in_list):
            return None
        node = node[part]
    return node


# Keys that moved: an old file gets told where they went instead of only "unknown key".
_MOVED_KEYS: Mapping[tuple[int | str, ...], str] = {
    ("sla_policies",): (
        "the list of SLA policy names became the `sla` section: `sla.policies` gives each "
        "policy by name with its clock, limits per level and reminder interval, next to "
        "`sla.calendar` and `sla.extensions` (see the bundled xiamen.yaml)"
    ),
}

_NAME_RULE = "use lower-case letters, digits and single hyphens"


def _schema_problem(err: ErrorDetails, raw: Any) -> Problem:
    loc = tuple(err["loc"])
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if loc and loc[-1] == "[key]":
        # A bad key of a mapping: pydantic reports it as <path>.<key>.[key].
        loc = loc[:-1]
        if kind == "literal_error":
            return Problem(
                format_path(loc), f"key {value!r} is not one of {_expected(ctx['expected'])}"
            )
        if kind == "string_pattern_mismatch":
            return Problem(
                format_path(loc), f"{value!r} is not a valid name: {_NAME_RULE} (standard)"
            )
    # A single value given where a list is allowed is wrapped into one; point at the key.
    if loc and isinstance(loc[-1], int) and not isinstance(_lookup(raw, loc[:-1]), list):
        loc = loc[:-1]
    path = format_path(loc)
    if kind == "extra_forbidden":
        if loc in _MOVED_KEYS:
            return Problem(path, f"unknown key {loc[-1]!r}: {_MOVED_KEYS[loc]}")
        allowed = _allowed_keys(loc[:-1])
        hint = f"; allowed here: {', '.join(allowed)}" if allowed else ""
        return Problem(path, f"unknown key {loc[-1]!r}{hint}")
    if kind == "literal_error":
        return Problem(path, f"{value!r} is not one of {_expected(ctx['expected'])}")
    if kind == "missing":
        return Problem(path, "is required but missing")
    if kind == "string_pattern_mismatch" and loc and loc[-1] == "name":
        return Problem(
            path,
            f"{value!r} is not a valid route name: {_NAME_RULE} (fire-burning)",
        )
    if kind == "string_pattern_mismatch" and loc and loc[-2:-1] in (("district",), ("street",)):
        digits = 6 if loc[-2] == "district" else 9
        return Problem(path, f"{value!r} is not a {loc[-2]} code ({digits} digits)")
    message = err["msg"].removeprefix("Value error, ")
    if kind == "string_type" and isinstance(value, int | float | bool):
        return Problem(path, f"{message} (got {value!r}); put it in quotes: '{value}'")
    if kind.endswith("_type") or kind.startswith(("string_", "greater", "less", "too_")):
        message += f" (got {value!r})"
    return Problem(path, message)


def _expected(text: str) -> str:
    """pydantic's "'IV', 'III', 'II' or 'I'" → "IV, III, II, I"."""
    return text.replace("'", "").replace(" or ", ", ")


def _allowed_keys(loc: tuple[int | str, ...]) -> list[str]:
    """The keys the model at `loc` accepts (by their names in the file)."""
    annotation: Any = PolicyFile
    for part in loc:
        annotation = _child_annotation(annotation, part)
        if annotation is None:
            return []
    model = _model_in(annotation)
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _child_annotation(annotation: Any, part: int | str) -> Any:
    """The type at `part` inside a value of type `annotation`: a model's field (by its name in
    the file), a list's item, a mapping's value; None when there is none."""
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            if isinstance(part, str):
                field = next(
                    (f for n, f in candidate.model_fields.items() if (f.alias or n) == part), None
                )
                if field is not None:
                    return field.annotation
            continue
        origin, args = typing.get_origin(candidate), typing.get_args(candidate)
        if origin is list and isinstance(part, int) and args:
            return args[0]
        if origin is dict and isinstance(part, str) and len(args) == 2:
            return args[1]
    return None


def _alternatives(annotation: Any) -> Iterator[Any]:
    """`annotation` with Optional, unions and Annotated taken apart."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from _alternatives(typing.get_args(annotation)[0])
    elif origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            yield from _alternatives(arg)
    else:
        yield annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for candidate in _alternatives(annotation):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


# ---- cross-checks on the raw data


def _cross_check(raw: dict[str, Any], source: Path, org: Organisation) -> list[Problem]:
    problems: list[Problem] = _check_bridges(raw.get("bridges"))
    subcategories = _taxonomy_codes(raw.get("taxonomy"), source, problems)
    if subcategories is not None and isinstance(raw.get("model"), str):
        problems.extend(
            _model_problems(
                resolve_reference(source, raw["model"]), resolve_reference(source, raw["taxonomy"])
            )
        )

    departments = raw.get("departments")
    if isinstance(departments, dict):
        for code, per_level in departments.items():
            if code not in CATEGORIES:
                problems.append(_unknown_category(f"departments.{code}", code))
                continue
            if not isinstance(per_level, dict):
                continue
            for level_name in LEVEL_NAMES:
                template = per_level.get(level_name)
                where = f"departments.{code}.{level_name}"
                if template is None:
                    problems.append(
                        Problem(where, f"no department for {code} at the {level_name} level")
                    )
                elif isinstance(template, str):
                    problems.extend(
                        Problem(where, m) for m in template_problems(template, Level(level_name))
                    )
        problems.extend(
            Problem(f"departments.{code}", f"no departments for category {code}")
            for code in CATEGORIES
            if code not in departments
        )

    access = raw.get("access")
    public = access.get("public_categories") if isinstance(access, dict) else None
    if isinstance(public, list):
        problems.extend(
            _unknown_category(f"access.public_categories[{i}]", code)
            for i, code in enumerate(public)
            if isinstance(code, str) and code not in CATEGORIES
        )

    floors = raw.get("category_floors")
    if isinstance(floors, dict):
        problems.extend(
            _unknown_category(f"category_floors.{code}", code)
            for code in floors
            if code not in CATEGORIES
        )

    grading = raw.get("grading")
    start = grading.get("start_level") if isinstance(grading, dict) else None
    if isinstance(start, dict):
        problems.extend(
            Problem("grading.start_level", f"no start level for grade {grade}")
            for grade in GRADE_NAMES
            if grade not in start
        )

    bursts = raw.get("bursts")
    if isinstance(bursts, list) and subcategories is not None:
        for i, burst in enumerate(bursts):
            subs = burst.get("subcategories") if isinstance(burst, dict) else None
            for j, code in enumerate(subs if isinstance(subs, list) else []):
                if isinstance(code, str) and code not in subcategories:
                    problems.append(
                        Problem(f"bursts[{i}].subcategories[{j}]", f"unknown subcategory {code!r}")
                    )

    sla_names = _check_sla(raw.get("sla"), problems)
    route = raw.get("route")
    if isinstance(route, dict):
        problems.extend(_check_root(route))
        problems.extend(_check_routes(route, subcategories, sla_names, org))
    return problems


def _check_sla(sla: object, problems: list[Problem]) -> set[str] | None:
    """Check the `sla` section across its fields; the SLA policy names it defines, or None when
    it defines none that can be read (route `sla:` names are then not checked)."""
    if not isinstance(sla, dict):
        return None
    calendar = sla.get("calendar")
    if isinstance(calendar, dict):
        problems.extend(_check_calendar(calendar))
    policies = sla.get("policies")
    if not isinstance(policies, dict):
        return None
    for name, policy in policies.items():
        limits = policy.get("limits") if isinstance(policy, dict) else None
        if isinstance(limits, dict):
            problems.extend(_check_limits(f"sla.policies.{name}.limits", limits))
    return {name for name in policies if isinstance(name, str)}


_STAGES = ("sign", "handle", "verify")


def _check_limits(where: str, limits: dict[Any, Any]) -> list[Problem]:
    problems = [
        Problem(
            f"{where}.{level_name}",
            f"no limits for the {level_name} level; every SLA policy gives all four levels "
            f"({', '.join(LEVEL_NAMES)})",
        )
        for level_name in LEVEL_NAMES
        if level_name not in limits
    ]
    for level_name, stages in limits.items():
        if not isinstance(stages, dict):
            continue
        if not any(stages.get(stage) is not None for stage in _STAGES):
            problems.append(
                Problem(
                    f"{where}.{level_name}",
                    f"gives no limit; give at least one of {', '.join(_STAGES)}",
                )
            )
        sign, handle = (
            _duration_or_none(stages.get("sign")),
            _duration_or_none(stages.get("handle")),
        )
        if sign is not None and handle is not None and sign > handle:
            problems.append(
                Problem(
                    f"{where}.{level_name}.sign",
                    f"the sign limit {format_duration(sign)} is longer than the handle limit "
                    f"{format_duration(handle)}; a unit cannot be asked to handle before it must "
                    "sign (both count from the dispatch)",
                )
            )
    return problems


def _duration_or_none(value: object) -> timedelta | None:
    """The duration `value` stands for, or None if it is not one (the schema reports that)."""
    if not isinstance(value, str):
        return None
    try:
        return parse_duration(value)
    except ValueError:
        return None


def _check_calendar(calendar: dict[Any, Any]) -> list[Problem]:
    problems: list[Problem] = []
    hours = calendar.get("working_hours")
    previous: tuple[str, time] | None = None
    for i, text in enumerate(hours if isinstance(hours, list) else ()):
        if not isinstance(text, str):
            continue
        try:
            start, end = parse_working_period(text)
        except ValueError:
            continue  # the schema reports it
        if previous is not None and start < previous[1]:
            problems.append(
                Problem(
                    f"sla.calendar.working_hours[{i}]",
                    f"working period {text!r} starts before the previous one ({previous[0]!r}) "
                    "ends; list the periods in order, without overlap",
                )
            )
        previous = (text, end)

    holidays = calendar.get("extra_holidays")
    holiday_at: dict[date, int] = {}
    for i, value in enumerate(holidays if isinstance(holidays, list) else ()):
        day = _date_or_none(value)
        if day is not None:
            holiday_at.setdefault(day, i)
    working = calendar.get("extra_working_days")
    for i, value in enumerate(working if isinstance(working, list) else ()):
        day = _date_or_none(value)
        if day is not None and day in holiday_at:
            problems.append(
                Problem(
                    f"sla.calendar.extra_working_days[{i}]",
                    f"{day.isoformat()} is also an extra holiday (extra_holidays"
                    f"[{holiday_at[day]}]); a date is a holiday or a working day, not both",
                )
            )
    return problems


def _date_or_none(value: object) -> date | None:
    """The date `value` stands for, or None if it is not one (the schema reports that)."""
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and len(value) == len("2025-10-01"):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _model_problems(model_path: Path, taxonomy_path: Path) -> list[Problem]:
    """The learned model must load and fit the taxonomy it will read with."""
    return list(_model_problems_of(model_path, taxonomy_path, _stamp(model_path, taxonomy_path)))


def _stamp(*paths: Path) -> tuple[tuple[int, int] | None, ...]:
    """When and how big each file is: a cache key that changes when a file is rewritten."""
    out: list[tuple[int, int] | None] = []
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            out.append(None)
        else:
            out.append((st.st_mtime_ns, st.st_size))
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _model_problems_of(
    model_path: Path, taxonomy_path: Path, _: tuple[tuple[int, int] | None, ...]
) -> tuple[Problem, ...]:
    # Loading the model takes longer than checking the rest of a policy; a process that checks
    # many policies naming the same unchanged files (tests, the fuzzing bench) loads it once.
    from grid_router.adapters.textmodel import LinearTextModel, ModelError

    try:
        model = LinearTextModel.load(model_path)
    except ModelError as exc:
        return (Problem("model", str(exc)),)
    return tuple(
        Problem("model", f"{model_path.name}: {m}; retrain with `grid-router model train`")
        for m in model.check_taxonomy(tuple(CATEGORIES), taxonomy_path)
    )


def _unknown_category(path: str, code: object) -> Problem:
    return Problem(path, f"unknown category {code!r}; categories are {', '.join(CATEGORIES)}")


def _taxonomy_codes(ref: object, source: Path, problems: list[Problem]) -> dict[str, str] | None:
    """Subcategory code → category code, read from the taxonomy file the policy names; None
    when it cannot be read (subcategory codes are then not checked)."""
    if not isinstance(ref, str) or not ref:
        return None
    path = resolve_reference(source, ref)
    try:
        data = yaml.load(_read_text(path), Loader=_SafeLoader)
    except OSError as exc:
        problems.append(Problem("taxonomy", f"cannot read {path}: {exc.strerror or exc}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem("taxonomy", f"{path} is not valid YAML: {exc}"))
        return None
    codes: dict[str, str] = {}
    categories = data.get("categories") if isinstance(data, dict) else None
    for category in categories if isinstance(categories, list) else ():
        if not isinstance(category, dict):
            continue
        for sub in category.get("subcategories") or ():
            if isinstance(sub, dict) and isinstance(sub.get("code"), str):
                codes[sub["code"]] = str(category.get("code"))
    if not codes:
        problems.append(Problem("taxonomy", f"{path} lists no categories[].subcategories[]"))
        return None
    return codes


def _check_root(route: dict[str, Any]) -> list[Problem]:
    problems: list[Problem] = []
    if route.get("match"):
        problems.append(
            Problem(
                "route.match",
                "the root route matches every incident; move this matcher to a child route",
            )
        )
    if route.get("continue"):
        problems.append(Problem("route.continue", "the root route cannot continue"))
    if route.get("sla") is None:
        problems.append(
            Problem("route.sla", "the root route must name an SLA policy (children inherit it)")
        )
    return problems


# Matchers with a finite set of values: a child whose values share none with its ancestors'
# can never match.
_SET_KEYS = ("category", "subcategory", "severity", "source", "district", "street")


def _as_set(value: object) -> frozenset[str] | None:
    if isinstance(value, str):
        return frozenset((value,))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return frozenset(value)
    return None


def _iter_routes(
    route: dict[str, Any], path: str
) -> Iterator[tuple[str, dict[str, Any], list[dict[str, Any]]]]:
    """(path, route, ancestors root-first) for every route dict, depth-first."""
    stack: list[tuple[str, dict[str, Any], list[dict[str, Any]]]] = [(path, route, [])]
    while stack:
        where, node, ancestors = stack.pop()
        yield where, node, ancestors
        children = node.get("routes")
        if isinstance(children, list):
            for i in reversed(range(len(children))):
                child = children[i]
                if isinstance(child, dict):
                    stack.append((f"{where}.routes[{i}]", child, [*ancestors, node]))


def _check_routes(
    root: dict[str, Any],
    subcategories: Mapping[str, str] | None,
    sla_names: set[str] | None,
    org: Organisation,
) -> list[Problem]:
    problems: list[Problem] = []
    names: dict[str, str] = {}
    for where, node, ancestors in _iter_routes(root, "route"):
        name = node.get("name")
        if isinstance(name, str):
            if name in names:
                problems.append(
                    Problem(
                        f"{where}.name",
                        f"route name {name!r} is used twice (also at {names[name]}); route names "
                        "must be unique, SLA timers and audit rows refer to them",
                    )
                )
            else:
                names[name] = f"{where}.name"
        match = node.get("match")
        match = match if isinstance(match, dict) else {}
        problems.extend(_check_match(f"{where}.match", match, ancestors, subcategories, org))

        sla = node.get("sla")
        if isinstance(sla, str) and sla_names is not None and sla not in sla_names:
            problems.append(
                Problem(
                    f"{where}.sla",
                    f"unknown SLA policy {sla!r}; sla.policies defines "
                    + (", ".join(sorted(sla_names)) or "none"),
                )
            )
        source_category = node.get("department_from")
        if isinstance(source_category, str) and source_category not in CATEGORIES:
            problems.append(_unknown_category(f"{where}.department_from", source_category))
        overrides = node.get("department")
        if isinstance(overrides, dict):
            for level_name, template in overrides.items():
                if level_name in LEVEL_NAMES and isinstance(template, str):
                    problems.extend(
                        Problem(f"{where}.department.{level_name}", m)
                        for m in template_problems(template, Level(level_name))
                    )
        problems.extend(_check_shadowing(where, node))
    return problems


def _check_match(
    where: str,
    match: dict[str, Any],
    ancestors: list[dict[str, Any]],
    subcategories: Mapping[str, str] | None,
    org: Organisation,
) -> list[Problem]:
    problems: list[Problem] = []
    categories = _as_set(match.get("category")) or frozenset()
    problems.extend(
        _unknown_category(f"{where}.category", code)
        for code in sorted(categories)
        if code not in CATEGORIES
    )
    # The categories in force: this route's, else the nearest ancestor's.
    in_force = categories
    for ancestor in reversed(ancestors):
        if in_force:
            break
        up = ancestor.get("match")
        in_force = _as_set(up.get("category")) or frozenset() if isinstance(up, dict) else in_force
    for code in sorted(_as_set(match.get("subcategory")) or ()):
        if subcategories is None:
            continue
        owner = subcategories.get(code)
        if owner is None:
            problems.append(
                Problem(f"{where}.subcategory", f"unknown subcategory {code!r} (not in taxonomy)")
            )
        elif in_force and owner not in in_force:
            problems.append(
                Problem(
                    f"{where}.subcategory",
                    f"subcategory {code!r} belongs to {owner}, which this route's category "
                    f"matcher ({', '.join(sorted(in_force))}) excludes: the route can never match",
                )
            )
    for key, level in (("district", Level.DISTRICT), ("street", Level.STREET)):
        for code in sorted(_as_set(match.get(key)) or ()):
            unit = org.get(code)
            if (
                code.isdigit()
                and len(code) == level.code_length
                and (unit is None or unit.level is not level)
            ):
                problems.append(
                    Problem(f"{where}.{key}", f"{code} is not a {level.value} of {org.city.name}")
                )
    for key in _SET_KEYS:
        mine = _as_set(match.get(key))
        if not mine:
            continue
        for ancestor in ancestors:
            up = ancestor.get("match")
            theirs = _as_set(up.get(key)) if isinstance(up, dict) else None
            if theirs and not (mine & theirs):
                problems.append(
                    Problem(
                        f"{where}.{key}",
                        f"unreachable: matches {', '.join(sorted(mine))} but an enclosing route "
                        f"({ancestor.get('name')}) only lets {', '.join(sorted(theirs))} through",
                    )
                )
                break
    return problems


def _check_shadowing(where: str, node: dict[str, Any]) -> list[Problem]:
    """A child after a catch-all sibling (no matchers, no continue) can never match."""
    children = node.get("routes")
    if not isinstance(children, list):
        return []
    for i, child in enumerate(children):
        if isinstance(child, dict) and not child.get("match") and not child.get("continue"):
            return [
                Problem(
                    f"{where}.routes[{j}]",
                    f"unreachable: route {child.get('name')!r} before it matches "
                    "everything and does not continue",
                )
                for j in range(i + 1, len(children))
            ]
    return []


# --------------------------------------------------------------------------------------------
# Compiling a clean file


def compile_policy(model: PolicyFile) -> RoutingPolicy:
    """Compile a validated (and cross-checked) policy file into the domain objects."""
    departments = Departments(
        {
            code: {Level(level): template for level, template in per_level.items()}
            for code, per_level in model.departments.items()
        }
    )
    grading = Grading(
        start_levels={Severity(g): Level(lv) for g, lv in model.grading.start_level.items()},
        floors={code: Level(lv) for code, lv in model.category_floors.items()},
        info_copies_from=(
            Severity(model.grading.info_copies_from) if model.grading.info_copies_from else None
        ),
    )
    root = _compile_route(model.route, (), _Inherited(sla=model.route.sla or ""))
    return RoutingPolicy(
        version=model.version,
        departments=departments,
        grading=grading,
        root=root,
        sla_policies=frozenset(model.sla.policies),
        merge_window=timedelta(minutes=model.merge.window_minutes),
        merge_distance_m=model.merge.distance_m,
        bursts=tuple(
            BurstRule(
                name=b.name,
                subcategories=frozenset(b.subcategories),
                threshold=b.threshold,
                window=timedelta(minutes=b.window_minutes),
                grade=Severity(b.grade),
            )
            for b in model.bursts
        ),
    )


def _check_bridges(bridges: object) -> list[Problem]:
    """Facts a bridge's path or payload names must exist; a category it filters on too."""
    if not isinstance(bridges, dict):
        return []
    problems: list[Problem] = []
    for name, spec in bridges.items():
        if not isinstance(spec, dict):
            continue
        payload = spec.get("payload")
        named: dict[str, BridgeField] = {}
        if isinstance(payload, dict):
            for key, v in payload.items():
                fact = v if isinstance(v, str) else v.get("fact") if isinstance(v, dict) else None
                named[str(key)] = BridgeField(fact=fact if isinstance(fact, str) else None)
        path = spec.get("path")
        for fact in unknown_facts(path if isinstance(path, str) else "", named):
            problems.append(
                Problem(
                    f"bridges.{name}",
                    f"unknown fact {fact!r} in its path or payload; known facts: "
                    + ", ".join(sorted(FACTS)),
                )
            )
        when = spec.get("when")
        categories = when.get("categories") if isinstance(when, dict) else None
        for i, code in enumerate(categories if isinstance(categories, list) else []):
            if isinstance(code, str) and code not in CATEGORIES:  # the schema reports the rest
                problems.append(_unknown_category(f"bridges.{name}.when.categories[{i}]", code))
    return problems


def compile_bridges(specs: Mapping[str, BridgeSpec]) -> tuple[BridgeRule, ...]:
    """Compile the `bridges` section into the domain's bridge rules."""
    return tuple(
        BridgeRule(
            name=name,
            path=b.path,
            payload={
                key: BridgeField(fact=v)
                if isinstance(v, str)
                else BridgeField(fact=v.fact, map=dict(v.map), literal=v.value)
                for key, v in b.payload.items()
            },
            sources=frozenset(b.when.sources),
            categories=frozenset(b.when.categories),
            min_grade=Severity(b.when.min_grade) if b.when.min_grade else None,
            actions=frozenset(b.when.actions),
            require=frozenset(b.when.require),
        )
        for name, b in specs.items()
    )


def compile_sla(spec: SlaSpec) -> SlaRules:
    """Compile a validated (and cross-checked) `sla` section into the domain's SLA rules."""
    return SlaRules(
        policies={
            name: SlaPolicy(
                name=name,
                clock=ClockKind(policy.clock),
                limits={
                    Level(level_name): SlaLimits(
                        sign=limits.sign, handle=limits.handle, verify=limits.verify
                    )
                    # In level order (community first), whatever the order in the file.
                    for level_name, limits in sorted(
                        policy.limits.items(), key=lambda item: LEVEL_NAMES.index(item[0])
                    )
                },
                renotify_every=policy.renotify_every,
            )
            for name, policy in spec.policies.items()
        },
        extensions=ExtensionRules(
            max_count=spec.extensions.max_count, max_each=spec.extensions.max_each
        ),
    )


def compile_calendar(spec: CalendarSpec) -> CalendarSettings:
    """Compile a validated (and cross-checked) `sla.calendar` section."""
    return CalendarSettings(
        working_hours=tuple(spec.working_hours),
        extra_holidays=frozenset(spec.extra_holidays),
        extra_working_days=frozenset(spec.extra_working_days),
        known_years=frozenset(spec.known_years),
    )


@dataclass(frozen=True, slots=True)
class _Inherited:
    sla: str
    info_copies: InfoCopies = InfoCopies.POLICY
    level: Level | None = None
    min_level: Level | None = None
    department_from: str | None = None
    departments: Mapping[Level, str] | None = None


def _compile_route(spec: RouteSpec, parent_path: tuple[str, ...], up: _Inherited) -> Route:
    mine = _Inherited(
        sla=spec.sla or up.sla,
        info_copies=InfoCopies(spec.info_copies) if spec.info_copies else up.info_copies,
        level=Level(spec.level) if spec.level else up.level,
        min_level=Level(spec.min_level) if spec.min_level else up.min_level,
        department_from=spec.department_from or up.department_from,
        departments=(
            {Level(k): v for k, v in spec.department.items()}
            if spec.department is not None
            else up.departments
        ),
    )
    path = (*parent_path, spec.name)
    return Route(
        name=spec.name,
        path=path,
        matchers=_compile_match(spec.match),
        continue_=spec.continue_,
        routes=tuple(_compile_route(child, path, mine) for child in spec.routes),
        level=mine.level,
        min_level=mine.min_level,
        department_from=mine.department_from,
        departments=mine.departments or {},
        triage=spec.triage,
        sla=mine.sla,
        info_copies=mine.info_copies,
    )


def _compile_match(spec: MatchSpec | None) -> Matchers:
    if spec is None:
        return Matchers()
    return Matchers(
        categories=frozenset(spec.category or ()),
        subcategories=frozenset(spec.subcategory or ()),
        severities=frozenset(Severity(s) for s in spec.severity or ()),
        sources=frozenset(spec.source or ()),
        districts=frozenset(spec.district or ()),
        streets=frozenset(spec.street or ()),
        time_of_day=tuple(_time_range(t) for t in spec.time_of_day or ()),
        confidence_below=spec.confidence_below,
        needs_triage=spec.needs_triage,
    )


def _time_range(text: str) -> TimeRange:
    (sh, sm), (eh, em) = parse_time_range(text)
    return TimeRange(time(sh, sm), None if eh == 24 else time(eh, em))
