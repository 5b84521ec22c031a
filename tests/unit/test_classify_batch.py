"""The classifier's batch API gives the readings of one-by-one classification, field for field:
with the bundled policy's learned model (`LinearTextModel.read_many`) and without a model, over
training reports read every way the router reads them, plus odd input (empty text, only
punctuation, unknown app categories and hints). No Kafka, no database."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from grid_router.bootstrap import App
from grid_router.domain.batch import Deciding, Filer
from grid_router.domain.classify import Classification, Classifier, ReportText
from grid_router.domain.filing import decide
from grid_router.entrypoints.contracts import ReportSubmission

APP = App()
ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
PER_FILE = 8  # reports taken from each training file: enough to cover the paths, quick to run


def training_reports() -> list[ReportText]:
    texts: list[ReportText] = []
    for path in sorted((ROOT / "training").glob("*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            for i, line in enumerate(islice(lines, PER_FILE)):
                r = json.loads(line)
                texts.append(ReportText(r["description"], r.get("title")))
                texts.append(ReportText(r["description"], r.get("title"), r["category"]))
                hint = ("I", "II", "III", "IV", "V")[i % 5]
                texts.append(
                    ReportText(r["description"], severity_hint=hint, trusted_hint=i % 2 == 0)
                )
    return texts


ODD = [
    ReportText(""),
    ReportText("，。！？"),
    ReportText("□□□"),
    ReportText("着火了", title="紧急"),
    ReportText("厨房着火了，有人被困", app_category="fire"),
    ReportText("路灯坏了", app_category="NOT_A_CODE", severity_hint="II", trusted_hint=True),
    ReportText("３楼有人晕倒，叫了120", title="", severity_hint="V"),
]


def one_by_one(classifier: Classifier, reports: list[ReportText]) -> list[Classification]:
    return [
        classifier.classify(r.description, r.title, r.app_category, r.severity_hint, r.trusted_hint)
        for r in reports
    ]


def readings(results: list[Classification]) -> list[dict[str, Any]]:
    return [asdict(c) for c in results]


@pytest.mark.parametrize("learned", [True, False], ids=["learned model", "lexicon only"])
def test_a_batch_reads_as_one_by_one(learned: bool) -> None:
    classifier = APP.classifier
    if not learned:
        classifier = Classifier(classifier.taxonomy, place_names=[u.name for u in APP.org])
    reports = training_reports() + ODD
    batch = classifier.classify_many(reports)
    assert readings(batch) == readings(one_by_one(classifier, reports))
    # The readings say something (a batch of identical defaults would also compare equal).
    assert len({c.category_code for c in batch}) >= 5
    assert any(c.severity.value != "IV" for c in batch)
    # Split differently, the same readings: nothing leaks from one report to the next.
    halves = classifier.classify_many(reports[1::2]) + classifier.classify_many(reports[::2])
    assert readings(halves) == readings(batch[1::2] + batch[::2])
    assert classifier.classify_many([]) == []


def test_the_router_s_batch_classification_is_the_one_its_dry_run_shows() -> None:
    reports = [
        ReportSubmission.model_validate(
            {"description": text, "community_code": "350203001001", "source": source} | extra
        ).to_report(NOW)
        for text, source, extra in [
            ("厂房里的锅炉爆了，两个工人被烫伤，一个伤得很重", "GRID_APP", {}),
            ("我们小区的路灯坏了一个星期了", "HOTLINE", {"severity_hint": "II"}),
            ("楼下烧烤店油烟太大，熏得窗户都不能开", "OPEN311", {"category_code": "DISPUTE"}),
        ]
    ]
    filer = Filer(Deciding(APP.org, APP.classifier, APP.policy.routing, APP.sla), NOW)
    batch = filer.classify(reports)
    dry_run = [
        decide(r, APP.org, APP.classifier, APP.policy.routing).classification for r in reports
    ]
    assert readings(batch) == readings(dry_run)
