"""The taxonomy: the nine top-level categories of DESIGN §3 (the contract) and, as a value, the
subcategories, phrases and grade cues a taxonomy file gives them.

Pure: standard library only. Reading the YAML file is the job of `grid_router.policy.taxonomy`;
`Taxonomy.from_data` checks the shape and says where it is wrong. These nine codes do not change
with a policy; subcategories, phrases and departments do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from grid_router.domain.model import Severity
from grid_router.exceptions import ConfigurationError

CATEGORIES: dict[str, str] = {
    "FOOD_DRUG": "食品药品安全",
    "FIRE": "消防安全",
    "ENVIRONMENT": "生态环境",
    "WORK_SAFETY": "安全生产",
    "CITY_MGMT": "城市管理",
    "PUBLIC_SECURITY": "社会治安",
    "DISPUTE": "矛盾纠纷",
    "LIVELIHOOD": "民生服务",
    "OTHER": "其他",
}

OTHER = "OTHER"


# --------------------------------------------------------------------------------------------
# The taxonomy as a value


class TaxonomyError(ConfigurationError):
    """Taxonomy data that does not have the documented shape; the message names the path."""


@dataclass(frozen=True, slots=True)
class SeverityCue:
    """When one of `phrases` occurs (and is not negated), the grade is at least `grade`."""

    grade: Severity
    phrases: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Subcategory:
    code: str
    name: str
    keywords: tuple[str, ...]
    group: str | None = None
    severity_cues: tuple[SeverityCue, ...] = ()

    @property
    def category_code(self) -> str:
        return self.code.split(".", 1)[0]


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    name: str
    subcategories: tuple[Subcategory, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """Categories → subcategories (with keywords and cues), plus cues for every category."""

    categories: tuple[Category, ...]
    severity_cues: tuple[SeverityCue, ...] = ()
    # Words that hold a keyword and never mean it ("偷偷" is "secretly", not "偷" a theft): a
    # keyword found inside one of them counts for nothing.
    not_keywords: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Any, where: str = "") -> Taxonomy:
        """Build from plain dicts/lists (the YAML shape); wrong shapes raise `TaxonomyError`
        naming the path, e.g. ``categories[3].subcategories[2].keywords``."""
        return _parse_taxonomy(data, where)

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def subcategory(self, code: str) -> Subcategory | None:
        return next(
            (s for c in self.categories for s in c.subcategories if s.code == code),
            None,
        )


_TOP_KEYS: Final = frozenset({"categories", "severity_cues", "not_keywords"})
_CATEGORY_KEYS: Final = frozenset({"code", "name", "subcategories"})
_SUB_REQUIRED: Final = frozenset({"code", "name", "keywords"})
_SUB_KEYS: Final = _SUB_REQUIRED | {"group", "severity_cues"}
_CUE_KEYS: Final = frozenset({"grade", "phrases"})
_SUB_CODE: Final = re.compile(r"^[A-Z][A-Z_]*\.[A-Z][A-Z0-9_]*$")


def _path(where: str, key: str) -> str:
    if not where:
        return key
    return f"{where}{key}" if key.startswith("[") else f"{where}.{key}"


def _expect_mapping(
    value: Any, where: str, required: frozenset[str], allowed: frozenset[str]
) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TaxonomyError(f"{where or '(top)'}: expected a mapping")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise TaxonomyError(
            f"{where or '(top)'}: unknown key {unknown[0]!r} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    missing = sorted(required - set(value))
    if missing:
        raise TaxonomyError(f"{_path(where, missing[0])}: required")
    return value


def _expect_str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TaxonomyError(f"{where}: expected a non-empty string")
    return value.strip()


def _expect_list(value: Any, where: str, what: str = "a list") -> list[Any]:
    if not isinstance(value, list):
        raise TaxonomyError(f"{where}: expected {what}")
    return value


def _expect_phrases(value: Any, where: str) -> tuple[str, ...]:
    items = _expect_list(value, where, "a list of strings")
    if not items or not all(isinstance(p, str) and p.strip() for p in items):
        raise TaxonomyError(f"{where}: expected a list of strings")
    phrases = tuple(p.strip() for p in items)
    repeated = sorted({p for p in phrases if phrases.count(p) > 1})
    if repeated:
        raise TaxonomyError(f"{where}: repeated phrase {repeated[0]!r}")
    return phrases


def _parse_cues(value: Any, where: str) -> tuple[SeverityCue, ...]:
    cues = []
    for i, raw in enumerate(_expect_list(value, where)):
        at = f"{where}[{i}]"
        cue = _expect_mapping(raw, at, _CUE_KEYS, _CUE_KEYS)
        grade = cue["grade"]
        if grade not in Severity.__members__:
            raise TaxonomyError(f"{at}.grade: expected one of IV, III, II, I, got {grade!r}")
        cues.append(SeverityCue(Severity(grade), _expect_phrases(cue["phrases"], f"{at}.phrases")))
    return tuple(cues)


def _parse_subcategory(raw: Any, where: str, category: str, seen: set[str]) -> Subcategory:
    sub = _expect_mapping(raw, where, _SUB_REQUIRED, _SUB_KEYS)
    code = _expect_str(sub["code"], f"{where}.code")
    if not _SUB_CODE.match(code) or not code.startswith(category + "."):
        raise TaxonomyError(f"{where}.code: expected {category}.UPPER_SNAKE, got {code!r}")
    if code in seen:
        raise TaxonomyError(f"{where}.code: duplicate subcategory code {code!r}")
    seen.add(code)
    group = sub.get("group")
    return Subcategory(
        code=code,
        name=_expect_str(sub["name"], f"{where}.name"),
        keywords=_expect_phrases(sub["keywords"], f"{where}.keywords"),
        group=None if group is None else _expect_str(group, f"{where}.group"),
        severity_cues=_parse_cues(sub.get("severity_cues", []), f"{where}.severity_cues"),
    )


def _parse_taxonomy(data: Any, where: str) -> Taxonomy:
    top = _expect_mapping(data, where, frozenset({"categories"}), _TOP_KEYS)
    at = _path(where, "categories")
    categories: list[Category] = []
    seen_subs: set[str] = set()
    for i, raw in enumerate(_expect_list(top["categories"], at)):
        c_at = f"{at}[{i}]"
        cat = _expect_mapping(raw, c_at, _CATEGORY_KEYS, _CATEGORY_KEYS)
        code = _expect_str(cat["code"], f"{c_at}.code")
        if code not in CATEGORIES:
            raise TaxonomyError(
                f"{c_at}.code: {code!r} is not a category of DESIGN §3 ({', '.join(CATEGORIES)})"
            )
        if any(c.code == code for c in categories):
            raise TaxonomyError(f"{c_at}.code: duplicate category {code!r}")
        s_at = f"{c_at}.subcategories"
        subs = tuple(
            _parse_subcategory(s, f"{s_at}[{j}]", code, seen_subs)
            for j, s in enumerate(_expect_list(cat["subcategories"], s_at))
        )
        categories.append(Category(code, _expect_str(cat["name"], f"{c_at}.name"), subs))
    cues = _parse_cues(top.get("severity_cues", []), _path(where, "severity_cues"))
    masks = top.get("not_keywords")
    not_keywords = () if masks is None else _expect_phrases(masks, _path(where, "not_keywords"))
    return Taxonomy(tuple(categories), cues, not_keywords)
