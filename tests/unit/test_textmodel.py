"""The category model adapter: features, a save/load round trip, the taxonomy check, and
training end to end on a small set (scikit-learn, the `train` extra)."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grid_router.adapters.textmodel import (
    EXPLAIN_FEATURES,
    NGRAM_SIZES,
    LinearTextModel,
    ModelError,
    _folded,
    _normal,
    _readable,
    _sigmoid,
    _softmax,
    featurize,
    lexicon_features,
    ngrams,
)
from grid_router.adapters.textmodel_train import read_examples, train, triage_threshold
from grid_router.bootstrap import App
from grid_router.domain.classify import Classifier, ModelReading
from grid_router.domain.taxonomy import CATEGORIES
from grid_router.policy.load import check_policy, default_policy_path
from grid_router.policy.taxonomy import load_taxonomy

BUNDLED = default_policy_path().parent
TAXONOMY = BUNDLED / "taxonomy.yaml"


def test_ngrams_do_not_cross_breaks_and_read_digits_alike() -> None:
    assert ngrams("着火，３楼") == ngrams("着火。5楼") == {"着", "火", "着火", "0", "楼", "0楼"}
    features = featurize("着火", {"FIRE": 2.0, "OTHER": 0.0})
    assert features["着火"] == 1.0
    assert "lex:FIRE" in features
    assert "lex:OTHER" not in features
    assert features["top:FIRE"] == 1.0


def test_triage_threshold_is_the_lowest_that_keeps_the_rest_right() -> None:
    import numpy as np

    confidence = np.array([0.1] * 50 + [0.2] * 50 + [0.6] * 1000)
    correct = np.array([False] * 50 + [False] * 50 + [True] * 1000)
    assert triage_threshold(confidence, correct) == pytest.approx(0.21)


def test_triage_threshold_wants_the_rest_right_beyond_chance() -> None:
    """1,940 right of 2,000 is 0.97 as a point estimate, but its 95% interval reaches below."""
    import numpy as np

    confidence = np.array([0.6] * 1000 + [0.9] * 1000)
    correct = np.array([True] * 940 + [False] * 60 + [True] * 1000)
    assert triage_threshold(confidence, correct) == pytest.approx(0.61)
    few = np.array([0.9] * 4)
    assert triage_threshold(few, np.array([True] * 4)) == 1.0  # four reports prove nothing


def test_reports_of_former_blind_sets_are_marked_written_blind(tmp_path: Path) -> None:
    """The triage threshold is set on these (textmodel_train, step 4)."""
    line = json.dumps({"description": "路灯坏了", "category": "CITY_MGMT"}, ensure_ascii=False)
    blind, made = tmp_path / "reports-set-x.jsonl", tmp_path / "reports-t9.jsonl"
    for path in (blind, made):
        path.write_text(line + "\n", encoding="utf-8")
    assert [e.written_blind for e in read_examples([blind, made])] == [True, False]


def test_the_model_learns_a_named_category_the_writer_accepted_beside_other(
    tmp_path: Path,
) -> None:
    """OTHER routes to no department: when its writer also accepted a named category, the model
    learns that one (textmodel_train, step 1)."""
    rows = [
        {"description": "电梯卡住了", "category": "OTHER", "also": ["WORK_SAFETY"]},
        {"description": "想问个政策", "category": "OTHER"},
        {"description": "路灯坏了", "category": "CITY_MGMT", "also": ["OTHER"]},
    ]
    path = tmp_path / "reports-t9.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert [e.target for e in read_examples([path])] == ["WORK_SAFETY", "OTHER", "CITY_MGMT"]


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A model trained on a few reports per category (written here, not taken from any set)."""
    texts = {
        "FIRE": ["厨房着火了", "楼道冒烟有焦味", "电动车在楼道充电", "消防通道被堵", "山上起火了"],
        "CITY_MGMT": ["路灯坏了", "垃圾没人收", "井盖丢了", "占道经营", "路面塌陷"],
        "DISPUTE": ["邻居吵架", "楼上漏水到我家", "老板拖欠工资", "物业乱收费", "房东不退押金"],
    }
    lines = [
        {"description": text + suffix, "category": code, "grade": "IV"}
        for code, items in texts.items()
        for text in items
        for suffix in ("", "，请处理", "，快来看看", "。谢谢")
    ]
    folder = tmp_path_factory.mktemp("model")
    data = folder / "train.jsonl"
    data.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), "utf-8")
    lexicon = Classifier(load_taxonomy(TAXONOMY))
    model = train([data], lexicon, TAXONOMY, "test")
    path = folder / "category-model.npz"
    model.save(path)
    return path


def test_a_trained_model_round_trips_and_reads(small_model: Path) -> None:
    model = LinearTextModel.load(small_model)
    assert model.categories == tuple(CATEGORIES)
    assert model.check_taxonomy(tuple(CATEGORIES), TAXONOMY) == []
    reading = model.read("厨房着火了，快来", {"FIRE": 2.0})
    assert max(reading.probabilities, key=reading.probabilities.__getitem__) == "FIRE"
    assert sum(reading.probabilities.values()) == pytest.approx(1.0)
    assert reading.features
    assert reading.grave is not None
    assert 0.0 <= reading.grave <= 1.0
    assert model.card["reports"] == 60


def test_policy_check_refuses_a_model_of_another_taxonomy(
    small_model: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "xiamen.yaml"
    shutil.copy(default_policy_path(), policy)
    shutil.copy(small_model, tmp_path / "category-model.npz")
    edited = tmp_path / "taxonomy.yaml"
    edited.write_text(TAXONOMY.read_text("utf-8") + "\n# an edit\n", "utf-8")
    [problem] = check_policy(policy)
    assert problem.path == "model"
    assert "another version of taxonomy.yaml" in problem.message
    assert "grid-router model train" in problem.message


def test_a_file_that_is_no_model_says_what_to_do(tmp_path: Path) -> None:
    bad = tmp_path / "m.npz"
    bad.write_bytes(b"not a model")
    with pytest.raises(ModelError, match="grid-router model train"):
        LinearTextModel.load(bad)


READ_EXPLANATIONS = """
import json, sys
from grid_router.bootstrap import App
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()[:300]
clf = App().classifier
for line in lines:
    r = json.loads(line)
    print(clf.classify(r["description"], title=r.get("title")).explanation)
"""


def test_every_process_explains_alike_whatever_its_hash_seed() -> None:
    """The model's sum and its ranking of equal pushes follow the features' names, never a
    set's order, which Python seeds per process: one report, one explanation, everywhere."""
    import os
    import subprocess
    import sys

    training = sorted((BUNDLED.parents[1] / "training").glob("reports-t*.jsonl"))[0]
    outputs = []
    for seed in ("0", "1"):
        run = subprocess.run(
            [sys.executable, "-c", READ_EXPLANATIONS, str(training)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        outputs.append(run.stdout)
    assert outputs[0].count("\n") == 300
    assert outputs[0] == outputs[1]


# Odd texts for the batch reading: digits full-width and not, letters that lower case lengthens
# (İ) or reads by context (Σ), a lone surrogate, characters beyond the BMP, a NUL, texts
# whose end and the next one's start make a phrase ("…着" + "火…"), nothing at all.
ODD_TEXTS = (
    "３楼着火了，5楼有烟",
    "İstanbul来的游客说着",
    "火灾",
    "ΑΣ Σ 着火",
    "a\ud800b着火",
    "𠮶间小屋着火",
    "\x00着火\x00",
    "",
    "，。！？",
    "着",
    "□□□",
    "Ｆｉｒｅ　着火　ＦＩＲＥ",
)


def plain_reading(model: LinearTextModel, text: str, lexicon: dict[str, float]) -> ModelReading:
    """The model's reading written plainly, one report at a time, from `featurize`'s features:
    the n-grams in name order, then the lexicon's, their rows of the weights summed in turn."""
    import numpy as np

    features = featurize(text, lexicon)
    normal = _normal(text)
    # Reading also keeps the vocabulary's n-grams that hold a break (none in a trained model).
    grams = {normal[i : i + n] for n in NGRAM_SIZES for i in range(len(normal) - n + 1)}
    names = sorted(grams & model.vocabulary.keys())
    names += [f for f in lexicon_features(lexicon) if f in model.vocabulary]
    weights = np.hstack(
        (model.weights, model.grave_weights[:, None], model.serious_weights[:, None])
    )
    block = weights[[model.vocabulary[name] for name in names]]
    block *= np.array([features.get(name, 1.0) for name in names])[:, None]
    sums = np.zeros(block.shape[1])
    if names:
        sums = np.add.reduceat(block, [0], axis=0)[0]
    intercepts = [*model.intercept, model.grave_intercept, model.serious_intercept]
    logits = (sums + np.array(intercepts)).tolist()
    k = len(model.categories)
    probs = _softmax(logits[:k], model.temperature)
    push = block[:, probs.index(max(probs))]
    top = [i for i in np.argsort(-push, kind="stable")[:EXPLAIN_FEATURES].tolist() if push[i] > 0]
    return ModelReading(
        probabilities=dict(zip(model.categories, probs, strict=True)),
        features=tuple(_readable(names[i]) for i in top),
        grave=_sigmoid(logits[k]),
        serious=_sigmoid(logits[k + 1]),
    )


# Full-width marks among letters, digits, combining marks and compatibility characters.
_FOLDABLE = st.text(
    st.sampled_from(
        list("，：！？（）；。、…")
        + list("火灾着Ａａ３5℃①㎡ﬁ")
        + ["\u0301", "\u0308", "\u3099", "\u00e9"]
    )
    | st.characters(),
)


@given(_FOLDABLE)
def test_folding_is_nfkc_then_lower_case(text: str) -> None:
    """The full-width marks replaced before NFKC change nothing NFKC would not."""
    assert _folded(text) == unicodedata.normalize("NFKC", text).lower()


@pytest.fixture(scope="module")
def bundled() -> tuple[Classifier, LinearTextModel]:
    classifier = App().classifier
    assert isinstance(classifier.model, LinearTextModel)
    return classifier, classifier.model


def test_a_batch_finds_each_text_s_own_n_grams_of_the_vocabulary(
    bundled: tuple[Classifier, LinearTextModel],
) -> None:
    """Read as one batch, every text's n-grams are found, once, in name order, and none that
    runs from one text into the next ("着" then "火灾" is no 着火)."""
    _, model = bundled
    texts = [_folded(text) for text in ODD_TEXTS]
    owner, rows = model._gram_rows(texts)
    for i, text in enumerate(ODD_TEXTS):
        normal = _normal(text)
        grams = {normal[j : j + n] for n in NGRAM_SIZES for j in range(len(normal) - n + 1)}
        expected = sorted(grams & model.vocabulary.keys())
        assert [model._names[row] for row in rows[owner == i]] == expected, text
    assert "着火" in model.vocabulary


def test_a_batch_reads_as_the_plain_reading_of_each_report(
    bundled: tuple[Classifier, LinearTextModel],
) -> None:
    """Probabilities, explaining features and grade probabilities, to the last bit."""
    classifier, model = bundled
    training = sorted((BUNDLED.parents[1] / "training").glob("reports-*.jsonl"))
    lines = [line for path in training[:3] for line in path.read_text("utf-8").splitlines()[:100]]
    reports = [(text, {"FIRE": 2.5, "CITY_MGMT": 0.5, "OTHER": 0.0}) for text in ODD_TEXTS]
    reports += [classifier.model_input(json.loads(line)["description"]) for line in lines]
    plain = [plain_reading(model, *report) for report in reports]
    assert model.read_many(reports) == plain
    assert [model.read(*report) for report in reports] == plain
    # Each alone, as the last of a batch: its segment of rows ends where the batch's does.
    assert [model.read_many([report])[0] for report in reports] == plain
    assert sum(len(reading.features) for reading in plain) > len(reports)
