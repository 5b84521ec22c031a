"""The strict taxonomy loader (grid_router.policy.taxonomy): errors name their path in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from grid_router.domain.model import Severity
from grid_router.domain.taxonomy import CATEGORIES, Taxonomy, TaxonomyError
from grid_router.exceptions import ConfigurationError
from grid_router.policy.taxonomy import load_default_taxonomy, load_taxonomy, parse_taxonomy

GOOD = """
categories:
  - code: FIRE
    name: 消防安全
    subcategories:
      - code: FIRE.ACTIVE_FIRE
        name: 火灾
        keywords: [着火, 起火]
        severity_cues:
          - grade: III
            phrases: [着火]
  - code: OTHER
    name: 其他
    subcategories: []
severity_cues:
  - grade: I
    phrases: [死亡]
"""


def test_parses_a_good_file() -> None:
    tax = parse_taxonomy(GOOD, "t.yaml")
    assert [c.code for c in tax.categories] == ["FIRE", "OTHER"]
    sub = tax.subcategory("FIRE.ACTIVE_FIRE")
    assert sub is not None
    assert sub.keywords == ("着火", "起火")
    assert sub.severity_cues[0].grade == Severity.III
    assert tax.severity_cues[0].phrases == ("死亡",)


BAD = [
    # (replace this, with this, expected message)
    (
        "keywords: [着火, 起火]",
        "keywords: 着火",
        "t.yaml: categories[0].subcategories[0].keywords: expected a list of strings",
    ),
    (
        "keywords: [着火, 起火]",
        "keywords: [着火, 3]",
        "t.yaml: categories[0].subcategories[0].keywords: expected a list of strings",
    ),
    (
        "keywords: [着火, 起火]",
        "keywords: [着火, 着火]",
        "t.yaml: categories[0].subcategories[0].keywords: repeated phrase '着火'",
    ),
    (
        "        keywords: [着火, 起火]\n",
        "        keywords: [着火]\n        colour: red\n",
        "t.yaml: categories[0].subcategories[0]: unknown key 'colour'",
    ),
    (
        "- grade: III",
        "- grade: V",
        "t.yaml: categories[0].subcategories[0].severity_cues[0].grade: expected one of IV,",
    ),
    (
        "code: FIRE.ACTIVE_FIRE",
        "code: FIRE.active",
        "t.yaml: categories[0].subcategories[0].code: expected FIRE.UPPER_SNAKE",
    ),
    (
        "code: FIRE.ACTIVE_FIRE",
        "code: OTHER.ACTIVE_FIRE",
        "t.yaml: categories[0].subcategories[0].code: expected FIRE.UPPER_SNAKE",
    ),
    (
        "  - code: OTHER",
        "  - code: MISC",
        "t.yaml: categories[1].code: 'MISC' is not a category of DESIGN §3",
    ),
    ("        name: 火灾\n", "", "t.yaml: categories[0].subcategories[0].name: required"),
    (
        "severity_cues:\n  - grade: I",
        "extras:\n  - grade: I",
        "t.yaml: (top): unknown key 'extras'",
    ),
    (
        "    phrases: [死亡]",
        "    phrases: []",
        "t.yaml: severity_cues[0].phrases: expected a list of strings",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), BAD)
def test_errors_name_their_path(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(TaxonomyError) as info:
        parse_taxonomy(GOOD.replace(old, new, 1), "t.yaml")
    assert str(info.value).startswith(message), str(info.value)


def test_errors_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError):
        parse_taxonomy("categories: {}", "t.yaml")


def test_invalid_yaml_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match=r"^t\.yaml: not valid YAML"):
        parse_taxonomy("categories: [", "t.yaml")
    with pytest.raises(TaxonomyError, match="cannot read"):
        load_taxonomy(tmp_path / "missing.yaml")


def test_duplicate_subcategory_codes_are_refused() -> None:
    data = GOOD.replace("      - code: FIRE.ACTIVE_FIRE", "      - code: FIRE.ACTIVE_FIRE", 1)
    twice = data.replace(
        "        severity_cues:\n          - grade: III\n            phrases: [着火]\n",
        "      - code: FIRE.ACTIVE_FIRE\n        name: 又是火灾\n        keywords: [烧]\n",
        1,
    )
    with pytest.raises(TaxonomyError, match=r"duplicate subcategory code 'FIRE\.ACTIVE_FIRE'"):
        parse_taxonomy(twice, "t.yaml")


def test_bundled_taxonomy_loads_and_is_cached() -> None:
    tax = load_default_taxonomy()
    assert isinstance(tax, Taxonomy)
    assert [c.code for c in tax.categories] == list(CATEGORIES)
    assert load_default_taxonomy() is tax
