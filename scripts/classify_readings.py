"""Every reading the classifier gives the training reports, to prove a speed change changed none.

Run: ``.venv/bin/python scripts/classify_readings.py --out /tmp/readings-before.jsonl`` before a
change, then ``.venv/bin/python scripts/classify_readings.py --check /tmp/readings-before.jsonl``
after it (exit status 1 and the first differences printed when any reading differs).

Each training report (training/*.jsonl) is read four ways, so that every path of
`Classifier.classify` is exercised: as the router reads a grid worker's report (the app's
category given: the lexicon's app rule), as the bench reads it (no app category: the learned
model's pick), with a severity hint (trusted from the 12345 hotline, untrusted otherwise), and by
a classifier without a learned model (the lexicon alone). ``--batch`` reads them through
`Classifier.classify_many` instead of one by one; the readings must be the same.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from grid_router.bootstrap import App
from grid_router.domain.classify import Classification, Classifier, ReportText

ROOT = Path(__file__).resolve().parents[1]
TRAINING = ROOT / "training"
HINTS = ("I", "II", "III", "IV", "V")  # "V" is no grade: its note must stay the same too


def requests(records: list[dict[str, Any]]) -> Iterator[tuple[str, ReportText]]:
    """(way, report) for every way each record is read."""
    for i, r in enumerate(records):
        description, title = r["description"], r.get("title")
        yield "model", ReportText(description, title)
        yield "app", ReportText(description, title, app_category=r.get("category"))
        yield (
            "hint",
            ReportText(
                description,
                title,
                severity_hint=HINTS[i % len(HINTS)],
                trusted_hint=r.get("source") == "HOTLINE",
            ),
        )


def reading(c: Classification) -> dict[str, Any]:
    out = asdict(c)
    out["severity"] = c.severity.value
    return out


def readings(classifier: Classifier, plain: Classifier, batch: bool) -> Iterator[dict[str, Any]]:
    records = [
        json.loads(line)
        for path in sorted(TRAINING.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    todo = list(requests(records))
    for who, reader in (("learned", classifier), ("lexicon", plain)):
        reports = [t for _, t in todo]
        if batch:
            results = reader.classify_many(reports)
        else:
            results = [
                reader.classify(
                    t.description, t.title, t.app_category, t.severity_hint, t.trusted_hint
                )
                for t in reports
            ]
        for n, ((way, text), result) in enumerate(zip(todo, results, strict=True)):
            yield {"n": n, "classifier": who, "way": way, "text": text.description} | reading(
                result
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--out", type=Path, help="write the readings here (JSON lines)")
    group.add_argument("--check", type=Path, help="compare with readings written before")
    parser.add_argument("--batch", action="store_true", help="read through classify_many")
    args = parser.parse_args()
    app = App()
    classifier = app.classifier
    plain = Classifier(classifier.taxonomy, place_names=[u.name for u in app.org])
    lines = [
        json.dumps(r, ensure_ascii=False, sort_keys=True)
        for r in readings(classifier, plain, args.batch)
    ]
    if args.out is not None:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"readings={len(lines)} written to {args.out}")
        return 0
    before = args.check.read_text(encoding="utf-8").splitlines()
    differ = [(a, b) for a, b in zip(before, lines, strict=False) if a != b]
    if len(before) != len(lines):
        print(f"readings={len(lines)} but {args.check} holds {len(before)}")
    for a, b in differ[:5]:
        print(f"before: {a}\nnow:    {b}\n")
    same = not differ and len(before) == len(lines)
    print(f"readings={len(lines)} differing={len(differ)} identical={same}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
