"""Evaluate the classifier on tests/data/classification-eval.jsonl and write docs/classification.md.

Usage::

    .venv/bin/python scripts/evaluate_classifier.py            # print summary, write the doc
    .venv/bin/python scripts/evaluate_classifier.py --misses   # also list every miss
    .venv/bin/python scripts/evaluate_classifier.py --no-write # do not touch docs/

Category accuracy, per-category precision/recall/F1, subcategory accuracy, severity agreement
(exact and within one grade) and a confusion summary of the misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grid_router.domain.classify import Classification, Classifier  # noqa: E402
from grid_router.domain.taxonomy import CATEGORIES  # noqa: E402
from grid_router.policy.taxonomy import load_default_taxonomy  # noqa: E402

EVAL_PATH = ROOT / "tests" / "data" / "classification-eval.jsonl"
DOC_PATH = ROOT / "docs" / "classification.md"
COMMAND = ".venv/bin/python scripts/evaluate_classifier.py"
GRADES = ("IV", "III", "II", "I")


@dataclass(frozen=True)
class Outcome:
    record: dict[str, Any]
    result: Classification

    @property
    def expected(self) -> dict[str, Any]:
        exp: dict[str, Any] = self.record["expected"]
        return exp

    @property
    def category_ok(self) -> bool:
        return bool(self.result.category_code == self.expected["category"])

    @property
    def sub_ok(self) -> bool:
        return bool(self.result.subcategory_code == self.expected["subcategory"])

    @property
    def grade_distance(self) -> int:
        return abs(
            GRADES.index(self.result.severity.value) - GRADES.index(self.expected["severity"])
        )


def load_records(path: Path = EVAL_PATH) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def run(classifier: Classifier, records: list[dict[str, Any]]) -> list[Outcome]:
    return [
        Outcome(
            r,
            classifier.classify(
                r["description"], title=r.get("title"), app_category=r.get("category_code")
            ),
        )
        for r in records
    ]


@dataclass(frozen=True)
class Summary:
    n: int
    category_accuracy: float
    subcategory_accuracy: float
    severity_exact: float
    severity_within_one: float
    per_category: dict[str, tuple[int, float, float, float]]  # support, P, R, F1
    confusions: list[tuple[tuple[str, str], int]]
    grade_confusions: list[tuple[tuple[str, str], int]]
    triage: int


def summarise(outcomes: list[Outcome]) -> Summary:
    n = len(outcomes)
    per: dict[str, tuple[int, float, float, float]] = {}
    for code in CATEGORIES:
        tp = sum(o.category_ok and o.expected["category"] == code for o in outcomes)
        predicted = sum(o.result.category_code == code for o in outcomes)
        support = sum(o.expected["category"] == code for o in outcomes)
        p = tp / predicted if predicted else 0.0
        r = tp / support if support else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        per[code] = (support, p, r, f1)
    confusions = Counter(
        (o.expected["category"], o.result.category_code) for o in outcomes if not o.category_ok
    )
    grades = Counter(
        (o.expected["severity"], o.result.severity.value) for o in outcomes if o.grade_distance
    )
    return Summary(
        n=n,
        category_accuracy=sum(o.category_ok for o in outcomes) / n,
        subcategory_accuracy=sum(o.sub_ok for o in outcomes) / n,
        severity_exact=sum(o.grade_distance == 0 for o in outcomes) / n,
        severity_within_one=sum(o.grade_distance <= 1 for o in outcomes) / n,
        per_category=per,
        confusions=confusions.most_common(),
        grade_confusions=grades.most_common(),
        triage=sum(o.result.needs_triage for o in outcomes),
    )


def render(summary: Summary) -> str:
    s = summary
    lines = [
        "# Classification: accuracy on the evaluation set",
        "",
        f"Produced by `{COMMAND}` from `tests/data/classification-eval.jsonl` "
        f"({s.n} labelled reports, see `tests/data/README.md`) and the bundled taxonomy "
        "`grid_router/policy/taxonomy.yaml`. Rerun it after every change to the classifier or "
        "the taxonomy; `tests/unit/domain/test_classify.py` fails if category accuracy drops "
        "below 90%.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| category accuracy | {s.category_accuracy:.1%} |",
        f"| subcategory accuracy (exact code, `null` included) | {s.subcategory_accuracy:.1%} |",
        f"| severity exact | {s.severity_exact:.1%} |",
        f"| severity within one grade | {s.severity_within_one:.1%} |",
        f"| sent to triage (`needs_triage`) | {s.triage} of {s.n} |",
        "",
        "## Per category",
        "",
        "| category | support | precision | recall | F1 |",
        "|---|---|---|---|---|",
    ]
    for code, (support, p, r, f1) in s.per_category.items():
        lines.append(f"| {code} | {support} | {p:.1%} | {r:.1%} | {f1:.2f} |")
    lines += ["", "## Category misses (expected → predicted)", ""]
    if s.confusions:
        lines += ["| expected | predicted | count |", "|---|---|---|"]
        lines += [f"| {e} | {p} | {c} |" for (e, p), c in s.confusions]
    else:
        lines.append("None.")
    lines += ["", "## Grade disagreements (expected → predicted)", ""]
    if s.grade_confusions:
        lines += ["| expected | predicted | count |", "|---|---|---|"]
        lines += [f"| {e} | {p} | {c} |" for (e, p), c in s.grade_confusions]
    else:
        lines.append("None.")
    lines += ["", DISCUSSION]
    return "\n".join(lines) + "\n"


DISCUSSION = """## Read these figures with care

The same engineers wrote the evaluation set, the taxonomy's phrases and the classifier, and
about 125 phrases were added to the taxonomy after looking at this set's misses (general
phrases, never eval texts or ids). The figures above are therefore an upper bound: on reports
nobody has looked at, expect lower accuracy. The next honest step is a held-out set written by
someone else (real, anonymised 12345 and grid-app reports), measured before any tuning on it.

## What is still missed, and why

The classifier is a phrase reader, not a language model: it knows the taxonomy's phrases, a
table of phrases that name things rather than problems (`CONTEXT_PHRASES`), negation and
"not now" markers, the app-category rule and a few counting rules (all in
`grid_router/domain/classify.py`). The remaining misses are of these kinds:

- **Only things and people named, no problem phrase.** A drug scene described through its
  props (小气球, 小铁罐), a neighbour who cooks for sale at home, a family living in a tin shed:
  the best reading rests on words like 楼上/邻居/铁皮 and is often wrong. These come out with low
  confidence and most of them go to triage (`needs_triage`), which is the intended outcome.
- **Several problems, the wrong one picked.** The labelling rule is "main request, then largest
  risk to people"; the classifier sees which problem has more specific phrases plus a bonus for
  a live danger-to-people cue. When the main request is phrased vaguely (物业不修电梯, 楼道口堆
  鞋柜 reported as a complaint about the property company) the secondary problem wins; the
  explanation names the other categories so the duty officer sees them.
- **Boundary cases between neighbouring categories** (petrol stored in a garage: fire risk or
  hazardous chemical; burning waste with thick smoke: pollution or fire; a food complaint that
  names the barbecue shop): the same phrases support both readings and the label depends on
  what the report asks for.
- **Grades** are missed when the danger is only implied ("我怕他在里面出事了" after three days
  without an answer, a child fallen into a drain described without a cue the taxonomy knows),
  and once when a cue from a rambling multi-problem call (出不去) raised the grade of the main
  problem. Negated, hypothetical, past, exaggerated (臭死了) and resolved (已扑灭, 已关阀) cues
  are discounted and named in the explanation.

Nothing is special-cased: no evaluation id or text appears in the code, and the phrases added
to the taxonomy while measuring are general senses (colloquial forms, typos, synonyms), not
sentences copied from the set.
"""


def print_misses(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.category_ok and o.sub_ok and o.grade_distance == 0:
            continue
        r, e = o.record, o.expected
        flags = []
        if not o.category_ok:
            flags.append("CAT")
        if not o.sub_ok:
            flags.append("SUB")
        if o.grade_distance:
            flags.append("SEV")
        print(
            f"{r['id']} [{','.join(flags)}] exp {e['subcategory'] or e['category']} {e['severity']}"
            f" got {o.result.subcategory_code or o.result.category_code} {o.result.severity.value}"
            f" app={r.get('category_code')}\n   {r['description']}\n   -> {o.result.explanation}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--only", choices=["CAT", "SUB", "SEV"], help="with --misses: one kind")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {DOC_PATH.name}")
    args = parser.parse_args(argv)
    outcomes = run(Classifier(load_default_taxonomy()), load_records())
    if args.misses:
        kinds: dict[str, Callable[[Outcome], bool]] = {
            "CAT": lambda o: not o.category_ok,
            "SUB": lambda o: not o.sub_ok,
            "SEV": lambda o: o.grade_distance > 0,
        }
        chosen = [o for o in outcomes if kinds[args.only](o)] if args.only else outcomes
        print_misses(chosen)
    summary = summarise(outcomes)
    print(f"reports: {summary.n}")
    print(f"category accuracy: {summary.category_accuracy:.1%}")
    print(f"subcategory accuracy: {summary.subcategory_accuracy:.1%}")
    print(
        f"severity exact: {summary.severity_exact:.1%}  "
        f"within one: {summary.severity_within_one:.1%}"
    )
    print(f"needs_triage: {summary.triage}")
    for code, (support, p, r, f1) in summary.per_category.items():
        print(f"  {code:16} n={support:3}  P={p:.2f} R={r:.2f} F1={f1:.2f}")
    print("confusions:", ", ".join(f"{e}→{p}×{c}" for (e, p), c in summary.confusions))
    if not args.no_write:
        DOC_PATH.write_text(render(summary), encoding="utf-8")
        print(f"wrote {DOC_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
