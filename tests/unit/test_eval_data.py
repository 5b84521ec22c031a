"""The classification evaluation set and the bundled taxonomy are well-formed data.

No classifier is exercised here: these checks keep tests/data/classification-eval.jsonl and
grid_router/policy/taxonomy.yaml consistent with each other and with DESIGN §2-3, so that the
accuracy figures computed from them mean something.
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
EVAL_PATH = ROOT / "tests" / "data" / "classification-eval.jsonl"
TAXONOMY_PATH = ROOT / "grid_router" / "policy" / "taxonomy.yaml"
DIVISIONS_PATH = ROOT / "grid_router" / "data" / "xiamen-divisions.csv"

SOURCES = {"GRID_APP", "HOTLINE", "CITY_MGMT", "OPEN311"}
GRADES = {"IV", "III", "II", "I"}
RECORD_KEYS = {"id", "source", "description", "expected"}
OPTIONAL_KEYS = {"title", "category_code", "address", "grid_code", "note"}
MIN_CASES = 330
MIN_PER_CATEGORY = 25
MIN_OTHER = 10
MIN_NOTED = 60
CITY_MGMT_GROUPS = {"市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件", "设施管理"}
SUBCATEGORY_CODE = re.compile(r"^[A-Z][A-Z_]*\.[A-Z][A-Z0-9_]*$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def _load_eval() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    with EVAL_PATH.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            assert line.strip(), f"line {lineno}: blank line"
            record = json.loads(line)
            assert isinstance(record, dict), f"line {lineno}: not a JSON object"
            records.append(record)
    return records


def _load_taxonomy() -> dict[str, Any]:
    with TAXONOMY_PATH.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def cases() -> list[dict[str, Any]]:
    return _load_eval()


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
    assert set(taxonomy) <= {"categories", "severity_cues"}
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


# --- evaluation set -----------------------------------------------------------------------------


def test_eval_records_have_the_documented_fields(
    cases: list[dict[str, Any]], community_codes: set[str]
) -> None:
    for record in cases:
        rid = record.get("id")
        keys = set(record)
        assert keys >= RECORD_KEYS, f"{rid}: missing {RECORD_KEYS - keys}"
        assert keys <= RECORD_KEYS | OPTIONAL_KEYS, f"{rid}: unknown {keys - RECORD_KEYS}"
        assert isinstance(rid, str)
        assert re.fullmatch(r"E\d{4}", rid), rid
        assert record["source"] in SOURCES, rid
        assert isinstance(record["description"], str), rid
        assert record["description"].strip(), rid
        for key in ("title", "address", "note"):
            if key in record:
                assert isinstance(record[key], str), rid
                assert record[key].strip(), rid
        if "category_code" in record:
            assert record["source"] == "GRID_APP", f"{rid}: app category on a non-app report"
            assert record["category_code"] in CATEGORIES, rid
        if "grid_code" in record:
            grid = record["grid_code"]
            assert re.fullmatch(r"\d{15}", grid), rid
            assert grid[:12] in community_codes, f"{rid}: grid {grid} names no community"


def test_eval_ids_are_unique(cases: list[dict[str, Any]]) -> None:
    ids = Counter(record["id"] for record in cases)
    assert [i for i, n in ids.items() if n > 1] == []
    descriptions = Counter(record["description"] for record in cases)
    assert [d for d, n in descriptions.items() if n > 1] == []


def test_eval_labels_exist_in_the_taxonomy(
    cases: list[dict[str, Any]], subcategories: dict[str, str]
) -> None:
    for record in cases:
        rid = record["id"]
        expected = record["expected"]
        assert set(expected) == {"category", "subcategory", "severity"}, rid
        assert expected["category"] in CATEGORIES, rid
        assert expected["severity"] in GRADES, rid
        sub = expected["subcategory"]
        if sub is not None:
            assert sub in subcategories, f"{rid}: unknown subcategory {sub}"
            assert subcategories[sub] == expected["category"], f"{rid}: {sub} not under category"


def test_eval_set_size_and_coverage(cases: list[dict[str, Any]]) -> None:
    assert len(cases) >= MIN_CASES
    per_category = Counter(record["expected"]["category"] for record in cases)
    for code in CATEGORIES:
        minimum = MIN_OTHER if code == OTHER else MIN_PER_CATEGORY
        assert per_category[code] >= minimum, f"{code}: {per_category[code]} cases"
    assert {record["source"] for record in cases} == SOURCES
    assert {record["expected"]["severity"] for record in cases} == GRADES
    assert sum("note" in record for record in cases) >= MIN_NOTED
