"""Classify throughput on one core, against a bare JSON read/write loop over the same lines.

Run: ``.venv/bin/python bench/classify.py [--rounds N] [--batch N]``. The classifier is the one
the router runs (lexicon, grading and the policy's learned model); the input is the training
reports (training/*.jsonl), repeated. Each line is decoded, classified and its reading encoded,
as the bare loop decodes and encodes it.

The router classifies what it polled as one batch (`Classifier.classify_many`, at most
GRID_BATCH_SIZE = 1,000 reports): so does this bench, in batches of ``--batch`` (the router's
default batch size unless given); ``--batch 1`` classifies report by report
(`Classifier.classify`, what `grid-router classify` and the API's dry runs do). The last line is
``classify_vs_json_ratio=<x> classify_reports_per_s=<n>``: the ratio is classify time over bare
JSON time, so it says what classification costs on top of just reading and writing the lines.
The line before it (``cpu: ...``) gives the same from this process's CPU time, which other
processes on a shared machine inflate less than the wall clock. To compare with an older
checkout in the same minute, run this file against it one by one:
``PYTHONPATH=<older checkout> .venv/bin/python bench/classify.py --batch 1``.

``--profile`` instead runs one pass under cProfile and prints where the time goes, per step of
the reading (µs per report, inflated by cProfile's own cost per call), then the hottest
functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grid_router.bootstrap import App
from grid_router.domain.classify import Classification, Classifier
from grid_router.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"


@dataclass(frozen=True, order=True)
class Seconds:
    """Wall-clock seconds (what the figures are), with the CPU seconds of this process beside
    them: on a shared machine the wall clock also counts time other processes took the core."""

    wall: float
    cpu: float

    @classmethod
    def now(cls) -> Seconds:
        return cls(time.perf_counter(), time.process_time())

    def __sub__(self, other: Seconds) -> Seconds:
        return Seconds(self.wall - other.wall, self.cpu - other.cpu)


def bare_json(lines: list[str]) -> Seconds:
    start = Seconds.now()
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        json.dumps(
            {"id": record.get("id"), "description": record["description"]}, ensure_ascii=False
        )
    return Seconds.now() - start


def with_classify(classifier: Classifier, lines: list[str], batch: int = 1) -> Seconds:
    """Time to decode, classify and encode `lines`, `batch` reports per classifier call."""
    if batch > 1:
        # Imported here so that `--batch 1` also runs on checkouts from before classify_many
        # (PYTHONPATH=<older checkout>: the same bench, before and after, in the same minute).
        from grid_router.domain.classify import ReportText
    start = Seconds.now()
    for at in range(0, len(lines), batch):
        records: list[dict[str, Any]] = [json.loads(line) for line in lines[at : at + batch]]
        if batch == 1:
            r = records[0]
            title, app = r.get("title"), r.get("category_code")
            results = [classifier.classify(r["description"], title=title, app_category=app)]
        else:
            texts = [
                ReportText(r["description"], r.get("title"), app_category=r.get("category_code"))
                for r in records
            ]
            results = classifier.classify_many(texts)
        for record, result in zip(records, results, strict=True):
            json.dumps(_reading(record, result), ensure_ascii=False)
    return Seconds.now() - start


def _reading(record: dict[str, Any], result: Classification) -> dict[str, Any]:
    return {
        "id": record.get("id"),
        "category_code": result.category_code,
        "subcategory_code": result.subcategory_code,
        "severity": result.severity.value,
        "confidence": result.confidence,
        "needs_triage": result.needs_triage,
        "explanation": result.explanation,
    }


# Steps of a reading: (label, functions as "file:function" whose cumulative time is the step;
# "a|b": whichever of a and b encloses the other, or the one of them a checkout has, so that
# older checkouts are profiled alike).
MODEL_READ = "textmodel.py:read|textmodel.py:read_many"
MODEL_NORMAL = "textmodel.py:_normal|textmodel.py:_folded"
MODEL_GRAMS = "textmodel.py:_all_grams|textmodel.py:_gram_rows"
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("place names masked", ("classify.py:_mask_places",)),
    ("lexicon scan (phrases, negations)", ("classify.py:_scan",)),
    ("lexicon evidence (weights, scores)", ("classify.py:_weigh", "classify.py:_category_scores")),
    ("model: text normalised", (MODEL_NORMAL,)),
    ("model: n-grams", (MODEL_GRAMS,)),
    ("model: rest (rows, dot products, softmax, top features)", (MODEL_READ,)),
    ("grading (cues, discounts, counts)", ("classify.py:_grade",)),
    ("explanation", ("classify.py:_explain",)),
    ("JSON in and out", ("__init__.py:loads", "__init__.py:dumps")),
)
# Steps nested in another step's function, taken out of that step's time.
NESTED: dict[str, tuple[str, ...]] = {
    MODEL_READ: (MODEL_NORMAL, MODEL_GRAMS),
}


def profile(classifier: Classifier, lines: list[str], batch: int) -> None:
    """Where the time of one pass goes, per step (see STEPS) and per function."""
    profiler = cProfile.Profile()
    profiler.runcall(with_classify, classifier, lines, batch)
    stats = pstats.Stats(profiler)
    cumulative: dict[str, float] = {}
    raw: dict[tuple[str, int, str], tuple[Any, ...]] = stats.stats  # type: ignore[attr-defined]
    for (path, _, name), (_, _, _, cum, _) in raw.items():
        key = f"{Path(path).name}:{name}"
        cumulative[key] = cumulative.get(key, 0.0) + cum
    total = cumulative["classify.py:with_classify"]
    for either in (f for _, names in STEPS for f in names if "|" in f):
        cumulative[either] = max(cumulative.get(f, 0.0) for f in either.split("|"))
    n = len(lines)
    print(f"{'step (cProfile, one pass)':60s} {'µs/report':>10s} {'share':>6s}")
    counted = 0.0
    for label, names in STEPS:
        own = sum(
            cumulative.get(f, 0.0) - sum(cumulative.get(g, 0.0) for g in NESTED.get(f, ()))
            for f in names
        )
        counted += own
        print(f"{label:60s} {own / n * 1e6:10.1f} {own / total:6.1%}")
    rest = total - counted
    print(f"{'the rest (deciding, bookkeeping)':60s} {rest / n * 1e6:10.1f} {rest / total:6.1%}")
    print(f"{'total':60s} {total / n * 1e6:10.1f}")
    stats.sort_stats("tottime").print_stats(15)


def main() -> None:
    parser = argparse.ArgumentParser(description="classify throughput vs a bare JSON loop")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the training reports")
    parser.add_argument(
        "--batch",
        type=int,
        default=Settings.model_fields["batch_size"].default,
        help="reports per classifier call, as the router's batches (1: one by one)",
    )
    parser.add_argument("--profile", action="store_true", help="where the time goes (cProfile)")
    args = parser.parse_args()
    base = [
        line
        for path in sorted(TRAINING.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    lines = base * args.rounds
    started = time.perf_counter()
    classifier = App().classifier
    compile_s = time.perf_counter() - started
    batch = max(1, args.batch)
    with_classify(classifier, base, batch)  # warm up
    if args.profile:
        profile(classifier, base, batch)
        return
    json_runs = [bare_json(lines) for _ in range(3)]
    classify_runs = [with_classify(classifier, lines, batch) for _ in range(3)]
    json_s = min(r.wall for r in json_runs)
    classify_s = min(r.wall for r in classify_runs)
    json_cpu = min(r.cpu for r in json_runs)
    classify_cpu = min(r.cpu for r in classify_runs)
    n = len(lines)
    how = "one by one (classify)" if batch == 1 else f"in batches of {batch} (classify_many)"
    print(f"reports={n} classified {how} classifier_load_s={compile_s:.3f}")
    print(
        f"cpu: bare_json_cpu_s={json_cpu:.3f} classify_cpu_s={classify_cpu:.3f} "
        f"classify_reports_per_cpu_s={n / classify_cpu:.0f} "
        f"classify_vs_json_cpu_ratio={classify_cpu / json_cpu:.1f}"
    )
    print(f"bare_json_s={json_s:.3f} bare_json_reports_per_s={n / json_s:,.0f}")
    print(f"classify_s={classify_s:.3f} classify_reports_per_s={n / classify_s:,.0f}")
    print(
        f"classify_vs_json_ratio={classify_s / json_s:.1f} "
        f"classify_reports_per_s={n / classify_s:.0f}"
    )


if __name__ == "__main__":
    main()
