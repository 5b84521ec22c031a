"""Classify throughput on one core, against a bare JSON read/write loop over the same lines.

Run: ``.venv/bin/python bench/classify.py [--rounds N]``. The classifier is the one the router
runs (lexicon, grading and the policy's learned model); the input is the training reports
(training/*.jsonl), repeated. The last line is
``classify_vs_json_ratio=<x> classify_reports_per_s=<n>``: the ratio is classify time over bare
JSON time, so it says what classification costs on top of just reading and writing the lines.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from grid_router.bootstrap import App
from grid_router.domain.classify import Classifier

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"


def bare_json(lines: list[str]) -> float:
    start = time.perf_counter()
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        json.dumps(
            {"id": record.get("id"), "description": record["description"]}, ensure_ascii=False
        )
    return time.perf_counter() - start


def with_classify(classifier: Classifier, lines: list[str]) -> float:
    start = time.perf_counter()
    for line in lines:
        record: dict[str, Any] = json.loads(line)
        result = classifier.classify(
            record["description"],
            title=record.get("title"),
            app_category=record.get("category_code"),
        )
        json.dumps(
            {
                "id": record.get("id"),
                "category_code": result.category_code,
                "subcategory_code": result.subcategory_code,
                "severity": result.severity.value,
                "confidence": result.confidence,
                "needs_triage": result.needs_triage,
                "explanation": result.explanation,
            },
            ensure_ascii=False,
        )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description="classify throughput vs a bare JSON loop")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the training reports")
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
    with_classify(classifier, base)  # warm up
    json_s = min(bare_json(lines) for _ in range(3))
    classify_s = min(with_classify(classifier, lines) for _ in range(3))
    n = len(lines)
    print(f"reports={n} classifier_load_s={compile_s:.3f}")
    print(f"bare_json_s={json_s:.3f} bare_json_reports_per_s={n / json_s:,.0f}")
    print(f"classify_s={classify_s:.3f} classify_reports_per_s={n / classify_s:,.0f}")
    print(
        f"classify_vs_json_ratio={classify_s / json_s:.1f} "
        f"classify_reports_per_s={n / classify_s:.0f}"
    )


if __name__ == "__main__":
    main()
