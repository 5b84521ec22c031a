"""The classifier and severity grading (grid_router.domain.classify).

Behaviours are checked on a small taxonomy built here, so that each case shows the rule it
tests; one test runs the bundled taxonomy over the evaluation set and guards the accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from grid_router.domain.classify import Classifier
from grid_router.domain.model import Severity
from grid_router.domain.taxonomy import Taxonomy, TaxonomyError

ROOT = Path(__file__).resolve().parents[3]
EVAL_PATH = ROOT / "tests" / "data" / "classification-eval.jsonl"

SMALL: dict[str, Any] = {
    "categories": [
        {
            "code": "FIRE",
            "name": "消防安全",
            "subcategories": [
                {
                    "code": "FIRE.ACTIVE_FIRE",
                    "name": "火灾",
                    "keywords": ["着火", "起火", "烧起来", "明火", "着伙"],
                    "severity_cues": [{"grade": "III", "phrases": ["着火", "起火", "烧起来"]}],
                },
                {"code": "FIRE.SMOKE_SMELL", "name": "冒烟", "keywords": ["冒烟", "焦味"]},
                {
                    "code": "FIRE.EBIKE_CHARGING",
                    "name": "电动车充电",
                    "keywords": ["电动车", "飞线充电", "楼道充电"],
                },
                {
                    "code": "FIRE.EXTINGUISHED",
                    "name": "已扑灭",
                    "keywords": ["已经扑灭", "扑灭了"],
                },
            ],
        },
        {
            "code": "PUBLIC_SECURITY",
            "name": "社会治安",
            "subcategories": [
                {"code": "PUBLIC_SECURITY.THEFT", "name": "盗窃", "keywords": ["被盗", "小偷"]},
                {
                    "code": "PUBLIC_SECURITY.FIGHT",
                    "name": "打架斗殴",
                    "keywords": ["打架", "斗殴"],
                    "severity_cues": [{"grade": "II", "phrases": ["打伤"]}],
                },
            ],
        },
        {
            "code": "ENVIRONMENT",
            "name": "生态环境",
            "subcategories": [
                {
                    "code": "ENVIRONMENT.BLACK_SMELLY_WATER",
                    "name": "黑臭水体",
                    "keywords": ["黑臭", "溪水发臭"],
                },
            ],
        },
        {
            "code": "DISPUTE",
            "name": "矛盾纠纷",
            "subcategories": [
                {"code": "DISPUTE.NEIGHBOUR", "name": "邻里纠纷", "keywords": ["邻居", "吵架"]},
            ],
        },
        {
            "code": "FOOD_DRUG",
            "name": "食品药品安全",
            "subcategories": [
                {
                    "code": "FOOD_DRUG.FOOD_POISONING",
                    "name": "食物中毒",
                    "keywords": ["上吐下泻", "食物中毒"],
                },
            ],
        },
        {
            "code": "OTHER",
            "name": "其他",
            "subcategories": [
                {"code": "OTHER.PRAISE", "name": "表扬", "keywords": ["表扬", "感谢"]},
            ],
        },
    ],
    "severity_cues": [
        {"grade": "III", "phrases": ["蔓延", "爆炸"]},
        {"grade": "II", "phrases": ["被困", "受伤"]},
        {"grade": "I", "phrases": ["死亡", "死了"]},
    ],
}


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier(Taxonomy.from_data(SMALL), place_names=["溪边"])


# --- category, negation, places, several problems ----------------------------------------------

CATEGORY_CASES = [
    # (description, expected category, expected subcategory, why)
    ("三楼厨房着火了，烟很大", "FIRE", "FIRE.ACTIVE_FIRE", "plain fire"),
    ("楼道里有焦味，未见明火", "FIRE", "FIRE.SMOKE_SMELL", "negated 明火 does not make a fire"),
    ("村口溪水发臭，黑臭得很", "ENVIRONMENT", "ENVIRONMENT.BLACK_SMELLY_WATER", "problem phrase"),
    ("有小偷，电动车被盗了", "PUBLIC_SECURITY", "PUBLIC_SECURITY.THEFT", "电动车 is only a thing"),
    (
        "楼下有人打架斗殴，还有辆电动车",
        "PUBLIC_SECURITY",
        "PUBLIC_SECURITY.FIGHT",
        "several problems",
    ),
    ("今天天气不错", "OTHER", None, "nothing to act on"),
]


@pytest.mark.parametrize(("text", "category", "sub", "why"), CATEGORY_CASES)
def test_category(clf: Classifier, text: str, category: str, sub: str | None, why: str) -> None:
    result = clf.classify(text)
    assert (result.category_code, result.subcategory_code) == (category, sub), why


def test_negated_phrase_is_named_in_the_explanation(clf: Classifier) -> None:
    result = clf.classify("楼道里有焦味，未见明火")
    assert "negated: 未见…明火" in result.explanation


def test_place_names_do_not_trigger_categories() -> None:
    tax = Taxonomy.from_data(SMALL)
    clf = Classifier(tax)
    # "溪边社区" is masked by the place pattern; "吵架" then decides.
    result = clf.classify("溪边社区两户邻居吵架")
    assert result.category_code == "DISPUTE"
    masked = Classifier(tax, place_names=["着火村"])
    assert masked.classify("我住在着火村，邻居吵架").category_code == "DISPUTE"


def test_several_problems_name_the_others(clf: Classifier) -> None:
    result = clf.classify("楼下有人打架，楼道里有焦味还冒烟")
    assert result.category_code == "FIRE"
    assert result.secondary_categories == ("PUBLIC_SECURITY",)
    assert "also mentions: PUBLIC_SECURITY" in result.explanation


def test_explanation_names_the_deciding_phrases(clf: Classifier) -> None:
    result = clf.classify("厨房起火了，火在蔓延")
    assert result.deciding_phrases == ("起火",)
    assert "from: 起火" in result.explanation
    assert "蔓延→III" in result.explanation


def test_typo_in_the_taxonomy_is_read(clf: Classifier) -> None:
    assert clf.classify("着伙了 后面 烟很大").subcategory_code == "FIRE.ACTIVE_FIRE"


# --- the app category rule -----------------------------------------------------------------------

APP_CASES = [
    # (text, app pick, expected, overridden, why)
    ("居民反映放在楼道的电动车被盗", "FIRE", "PUBLIC_SECURITY", True, "text clearly says theft"),
    ("楼道飞线充电，与邻居吵架", "FIRE", "FIRE", False, "text supports the pick"),
    ("请来看一下", "DISPUTE", "DISPUTE", False, "nothing against the pick"),
    ("楼道充电，有人在打架斗殴，小偷打伤了人", "FIRE", "PUBLIC_SECURITY", True, "danger to people"),
]


@pytest.mark.parametrize(("text", "app", "expected", "overridden", "why"), APP_CASES)
def test_app_category_kept_unless_clearly_contradicted(
    clf: Classifier, text: str, app: str, expected: str, overridden: bool, why: str
) -> None:
    result = clf.classify(text, app_category=app)
    assert result.category_code == expected, why
    assert result.app_overridden is overridden
    assert f"app chose {app}" in result.explanation
    if overridden:
        assert f"text clearly says {expected}" in result.explanation


def test_unknown_app_category_is_ignored_and_said(clf: Classifier) -> None:
    result = clf.classify("厨房着火了", app_category="NOPE")
    assert result.category_code == "FIRE"
    assert "'NOPE' is not a known code" in result.explanation


# --- severity ------------------------------------------------------------------------------------

SEVERITY_CASES = [
    ("垃圾桶旁边有焦味", Severity.IV, "default"),
    ("厨房着火了，火很大", Severity.III, "fire burning now"),
    ("厨房着火了，有人被困", Severity.II, "people trapped"),
    ("厨房着火了，一人死亡", Severity.I, "death"),
    ("厨房着火了，已经扑灭了，没人受伤", Severity.IV, "put out and nobody hurt"),
    ("厨房差点着火", Severity.IV, "差点: did not happen"),
    ("万一烧起来怎么办", Severity.IV, "万一: hypothetical"),
    ("上次有人受伤，这次还好", Severity.IV, "past"),
    ("两个人打架，没有人受伤", Severity.IV, "negated injury"),
    ("两个人打架，一人被打伤", Severity.II, "category cue"),
    ("仓库发生爆炸", Severity.III, "explosion"),
    ("水沟臭死了", Severity.IV, "figure of speech"),
    ("二十多个工人上吐下泻，送到医院", Severity.I, "mass poisoning by count"),
    ("三个人上吐下泻，送到医院了", Severity.II, "taken to hospital"),
    ("约50名工人在门口聚集讨薪", Severity.III, "group gathering by count"),
    ("几百户人家停水", Severity.III, "households affected"),
]


@pytest.mark.parametrize(("text", "grade", "why"), SEVERITY_CASES)
def test_severity(clf: Classifier, text: str, grade: Severity, why: str) -> None:
    assert clf.classify(text).severity == grade, why


def test_discounted_cues_are_explained(clf: Classifier) -> None:
    result = clf.classify("厨房着火了，已经扑灭了，没人受伤")
    assert "着火 (over: 扑灭)" in result.explanation
    assert "受伤 (negated: 没人)" in result.explanation


def test_trusted_hint_raises_untrusted_does_not(clf: Classifier) -> None:
    assert clf.classify("小区垃圾多", severity_hint="II", trusted_hint=True).severity == Severity.II
    untrusted = clf.classify("小区垃圾多", severity_hint="II")
    assert untrusted.severity == Severity.IV
    assert "not from a trusted source" in untrusted.explanation
    # a hint never lowers the grade the text gives
    assert clf.classify("有人被困", severity_hint="IV", trusted_hint=True).severity == Severity.II


# --- confidence and triage -----------------------------------------------------------------------


def test_low_confidence_needs_triage(clf: Classifier) -> None:
    vague = clf.classify("有个事情想反映一下")
    assert vague.category_code == "OTHER"
    assert vague.needs_triage
    assert "needs triage" in vague.explanation
    only_a_thing = clf.classify("电动车")
    assert only_a_thing.needs_triage
    clear = clf.classify("三楼着火了，已经烧起来，明火很大")
    assert not clear.needs_triage
    assert 0.0 <= clear.confidence <= 1.0


def test_app_pick_without_text_is_kept(clf: Classifier) -> None:
    """The worker on the spot picked it and the text says nothing else: the pick stands, with
    middling confidence, and is routed (not triaged)."""
    result = clf.classify("请来看一下", app_category="DISPUTE")
    assert result.category_code == "DISPUTE"
    assert not result.app_overridden
    assert result.confidence == 0.5
    assert not result.needs_triage


# --- taxonomy shape ------------------------------------------------------------------------------


def test_taxonomy_from_data_names_the_path() -> None:
    bad = json.loads(json.dumps(SMALL))
    bad["categories"][1]["subcategories"][0]["keywords"] = "被盗"
    with pytest.raises(TaxonomyError, match=r"categories\[1\]\.subcategories\[0\]\.keywords"):
        Taxonomy.from_data(bad)


def test_a_word_that_holds_a_keyword_and_never_means_it_counts_for_nothing() -> None:
    data = json.loads(json.dumps(SMALL))
    data["categories"][1]["subcategories"][0]["keywords"].append("偷")
    text = "两个学生偷偷去水库游泳"
    assert Classifier(Taxonomy.from_data(data)).classify(text).category_code == "PUBLIC_SECURITY"
    data["not_keywords"] = ["偷偷"]
    masked = Classifier(Taxonomy.from_data(data)).classify(text)
    assert masked.category_code != "PUBLIC_SECURITY"
    assert "偷" not in masked.explanation.split(";")[0]


def test_not_keywords_must_be_a_list_of_words() -> None:
    bad = json.loads(json.dumps(SMALL))
    bad["not_keywords"] = "偷偷"
    with pytest.raises(TaxonomyError, match=r"not_keywords"):
        Taxonomy.from_data(bad)
