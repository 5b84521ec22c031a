"""The blind evaluation sets (tests/data/blind/) are well-formed and their labels follow the
start-level rule of DESIGN §3, so that the figures computed from them mean something.

Nothing here reads the classifier; `test_routing_brain_on_blind_set` in
tests/unit/domain/test_classify.py holds the floor measured on them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.domain.model import Level
from grid_router.domain.taxonomy import CATEGORIES

BLIND = Path(__file__).resolve().parents[1] / "data" / "blind"
SETS = sorted(BLIND.glob("set-*.jsonl"))
ORG = load_default_organisation()
GRADE_LEVEL = {"IV": "community", "III": "street", "II": "district", "I": "city"}
STREET_FLOOR = {"FIRE", "PUBLIC_SECURITY", "FOOD_DRUG", "WORK_SAFETY", "ENVIRONMENT", "OTHER"}
RANK = {"community": 0, "street": 1, "district": 2, "city": 3}
PLACES = ("community_code", "grid_code", "address")
SOURCES = {"GRID_APP", "HOTLINE", "OPEN311", "CITY_MGMT", "OTHER"}


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def test_there_are_two_sets_of_the_size_the_issue_asks() -> None:
    """Sets A and B were measured until they were no longer blind; they are training data now
    (training/reports-set-a.jsonl, reports-set-b.jsonl). C, D and J remain, each of at least 300."""
    sizes = {p.stem: len(load(p)) for p in SETS}
    assert len(sizes) >= 2, sizes
    assert all(n >= 300 for n in sizes.values()), sizes
    assert sum(sizes.values()) >= 600, sizes


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_records_are_well_formed(path: Path) -> None:
    records = load(path)
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids))
    for r in records:
        report, label = r["report"], r["label"]
        assert report["description"].strip(), r["id"]
        assert report["source"] in SOURCES, r["id"]
        assert "category_code" not in report, r["id"]
        assert sum(bool(report.get(k)) for k in PLACES) == 1, r["id"]
        assert label["category"] in CATEGORIES, r["id"]
        assert set(label["also"]) <= set(CATEGORIES), r["id"]
        assert ORG.unit(label["community_code"]).level is Level.COMMUNITY, r["id"]
        if report.get("community_code"):
            assert report["community_code"] == label["community_code"], r["id"]
        if report.get("grid_code"):
            assert report["grid_code"][:12] == label["community_code"], r["id"]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_labelled_levels_follow_the_rule(path: Path) -> None:
    for r in load(path):
        label = r["label"]
        level = GRADE_LEVEL[label["grade"]]
        if label["category"] in STREET_FLOOR and RANK[level] < RANK["street"]:
            level = "street"
        assert label["level"] == level, r["id"]


@pytest.mark.parametrize("path", SETS, ids=[p.stem for p in SETS])
def test_every_category_and_grade_is_represented(path: Path) -> None:
    records = load(path)
    categories = {r["label"]["category"] for r in records}
    grades = {r["label"]["grade"] for r in records}
    assert categories == set(CATEGORIES)
    assert grades == set(GRADE_LEVEL)
