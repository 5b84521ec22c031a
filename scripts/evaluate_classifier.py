"""Measure the routing brain on the blind evaluation sets and write docs/classification.md.

Usage::

    .venv/bin/python scripts/evaluate_classifier.py                  # every set, write the doc
    .venv/bin/python scripts/evaluate_classifier.py --set set-a       # one set
    .venv/bin/python scripts/evaluate_classifier.py --misses          # also list every miss
    .venv/bin/python scripts/evaluate_classifier.py --no-write        # do not touch docs/

Each report of a set goes through `domain.filing.decide` exactly as the router would file it
(locate, classify, route with the bundled policy and model), and the decision is compared with
the label a person wrote blind (tests/data/blind/README.md): category (with the alternatives
the labeller accepted), grade, start level and unit. Printed per set: category accuracy,
per-category precision and recall, the confusion matrix, grade exact and within one, start level
and unit accuracy, under-escalation (true I/II decided III/IV), over-escalation (true IV decided
II/I), the share sent to triage and the accuracy of the rest, and the expected calibration error
of the category confidence over 10 bins.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from grid_router.bootstrap import App  # noqa: E402
from grid_router.domain.filing import Decided, decide  # noqa: E402
from grid_router.domain.model import Level  # noqa: E402
from grid_router.domain.taxonomy import CATEGORIES  # noqa: E402
from grid_router.entrypoints.dry_run import parse_lines  # noqa: E402

BLIND_DIR = ROOT / "tests" / "data" / "blind"
DOC_PATH = ROOT / "docs" / "classification.md"
CARD_PATH = ROOT / "docs" / "model-card.md"
COMMAND = ".venv/bin/python scripts/evaluate_classifier.py"
GRADES = ("IV", "III", "II", "I")
LEVEL_DIGITS = {"community": 12, "street": 9, "district": 6}
CITY_CODE = "350200"
ECE_BINS = 10


def expected_unit(label: dict[str, Any]) -> str:
    """The unit code at the labelled start level that owns the labelled community."""
    level = label["level"]
    if level == "city":
        return CITY_CODE
    return str(label["community_code"])[: LEVEL_DIGITS[level]]


def set_names() -> list[str]:
    return sorted(p.stem for p in BLIND_DIR.glob("set-*.jsonl"))


def set_path(name: str) -> Path:
    """A blind set by name ("set-c"), or any file in the same format by path (a development
    set, e.g. one written to tune against)."""
    return Path(name) if name.endswith(".jsonl") else BLIND_DIR / f"{name}.jsonl"


def load_set(name: str) -> list[dict[str, Any]]:
    with set_path(name).open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def set_hash(name: str) -> str:
    return hashlib.sha256(set_path(name).read_bytes()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    record: dict[str, Any]
    decided: Decided

    @property
    def label(self) -> dict[str, Any]:
        label: dict[str, Any] = self.record["label"]
        return label

    @property
    def category(self) -> str:
        return self.decided.classification.category_code

    @property
    def category_ok(self) -> bool:
        return self.category == self.label["category"] or self.category in self.label["also"]

    @property
    def category_strict_ok(self) -> bool:
        return self.category == self.label["category"]

    @property
    def grade(self) -> str:
        return self.decided.classification.severity.value

    @property
    def grade_distance(self) -> int:
        return abs(GRADES.index(self.grade) - GRADES.index(self.label["grade"]))

    @property
    def level_ok(self) -> bool:
        return str(self.decided.route.level) == self.label["level"]

    @property
    def unit_ok(self) -> bool:
        return self.decided.route.unit.code == expected_unit(self.label)

    @property
    def triaged(self) -> bool:
        return self.decided.route.triage

    @property
    def confidence(self) -> float:
        return self.decided.classification.confidence


def run(app: App, records: list[dict[str, Any]]) -> list[Outcome]:
    lines = [json.dumps(r["report"], ensure_ascii=False) for r in records]
    outcomes: list[Outcome] = []
    for record, (number, _, parsed) in zip(records, parse_lines(iter(lines)), strict=True):
        if isinstance(parsed, str):
            raise SystemExit(f"{record['id']} (line {number}): {parsed}")
        report = parsed.to_report(app.clock())
        outcomes.append(
            Outcome(record, decide(report, app.org, app.classifier, app.policy.routing))
        )
    return outcomes


@dataclass(frozen=True)
class Summary:
    name: str
    sha256: str
    n: int
    category: float
    category_strict: float
    per_category: dict[str, tuple[int, float, float]]  # support, precision, recall
    confusion: dict[str, Counter[str]]
    grade_exact: float
    grade_within_one: float
    grade_confusion: dict[str, Counter[str]]
    level: float
    unit: float
    true_grave: int
    under_escalated: int
    true_iv: int
    over_escalated: int
    triaged: int
    untriaged_accuracy: float
    ece: float


def expected_calibration_error(outcomes: list[Outcome], bins: int = ECE_BINS) -> float:
    """Σ over equal-width confidence bins of |accuracy − mean confidence| × share of reports."""
    total = 0.0
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        members = [
            o
            for o in outcomes
            if low <= o.confidence < high or (b == bins - 1 and o.confidence == 1)
        ]
        if not members:
            continue
        accuracy = sum(o.category_ok for o in members) / len(members)
        mean_conf = sum(o.confidence for o in members) / len(members)
        total += abs(accuracy - mean_conf) * len(members) / len(outcomes)
    return total


def summarise(name: str, outcomes: list[Outcome]) -> Summary:
    n = len(outcomes)
    per: dict[str, tuple[int, float, float]] = {}
    for code in CATEGORIES:
        support = [o for o in outcomes if o.label["category"] == code]
        predicted = [o for o in outcomes if o.category == code]
        precision = sum(o.category_ok for o in predicted) / len(predicted) if predicted else 0.0
        recall = sum(o.category_ok for o in support) / len(support) if support else 0.0
        per[code] = (len(support), precision, recall)
    confusion: dict[str, Counter[str]] = {code: Counter() for code in CATEGORIES}
    grade_confusion: dict[str, Counter[str]] = {g: Counter() for g in GRADES}
    for o in outcomes:
        confusion[o.label["category"]][o.category] += 1
        grade_confusion[o.label["grade"]][o.grade] += 1
    grave = [o for o in outcomes if o.label["grade"] in ("I", "II")]
    general = [o for o in outcomes if o.label["grade"] == "IV"]
    untriaged = [o for o in outcomes if not o.triaged]
    return Summary(
        name=name,
        sha256=set_hash(name),
        n=n,
        category=sum(o.category_ok for o in outcomes) / n,
        category_strict=sum(o.category_strict_ok for o in outcomes) / n,
        per_category=per,
        confusion=confusion,
        grade_exact=sum(o.grade_distance == 0 for o in outcomes) / n,
        grade_within_one=sum(o.grade_distance <= 1 for o in outcomes) / n,
        grade_confusion=grade_confusion,
        level=sum(o.level_ok for o in outcomes) / n,
        unit=sum(o.unit_ok for o in outcomes) / n,
        true_grave=len(grave),
        under_escalated=sum(o.grade in ("III", "IV") for o in grave),
        true_iv=len(general),
        over_escalated=sum(o.grade in ("II", "I") for o in general),
        triaged=n - len(untriaged),
        untriaged_accuracy=(
            sum(o.category_ok for o in untriaged) / len(untriaged) if untriaged else 0.0
        ),
        ece=expected_calibration_error(outcomes),
    )


TARGETS: tuple[tuple[str, str, Any], ...] = (
    ("category accuracy", "≥ 0.95", lambda s: s.category >= 0.95),
    ("grade exact", "≥ 0.90", lambda s: s.grade_exact >= 0.90),
    ("start level", "≥ 0.92", lambda s: s.level >= 0.92),
    ("unit", "≥ 0.92", lambda s: s.unit >= 0.92),
    ("under-escalation of true I/II", "= 0", lambda s: s.under_escalated == 0),
    ("over-escalation of true IV", "≤ 1%", lambda s: s.over_escalated <= 0.01 * s.true_iv),
    ("sent to triage", "≤ 10%", lambda s: s.triaged <= 0.10 * s.n),
    ("accuracy of the rest", "≥ 0.97", lambda s: s.untriaged_accuracy >= 0.97),
    ("ECE (10 bins)", "≤ 0.05", lambda s: s.ece <= 0.05),
)


def figures(s: Summary) -> dict[str, str]:
    return {
        "category accuracy": f"{s.category:.3f} (first label only: {s.category_strict:.3f})",
        "grade exact": f"{s.grade_exact:.3f} (within one grade: {s.grade_within_one:.3f})",
        "start level": f"{s.level:.3f}",
        "unit": f"{s.unit:.3f}",
        "under-escalation of true I/II": f"{s.under_escalated} of {s.true_grave}",
        "over-escalation of true IV": f"{s.over_escalated} of {s.true_iv}"
        + (f" ({s.over_escalated / s.true_iv:.1%})" if s.true_iv else ""),
        "sent to triage": f"{s.triaged} of {s.n} ({s.triaged / s.n:.1%})",
        "accuracy of the rest": f"{s.untriaged_accuracy:.3f}",
        "ECE (10 bins)": f"{s.ece:.3f}",
    }


# Sets whose misses were read to change the classifier: still measured, no longer blind.
NOT_BLIND: dict[str, str] = {
    "set-c": "its three over-escalations (and set D's four) were read in round seven",
    "set-d": "its four over-escalations (and set C's three) were read in round seven",
}


def render_set(s: Summary) -> list[str]:
    lines = [
        f"### `{s.name}`: {s.n} reports" + (" (no longer blind)" if s.name in NOT_BLIND else ""),
        "",
        f"File `tests/data/blind/{s.name}.jsonl`, sha256 `{s.sha256}`."
        + (f" No longer blind: {NOT_BLIND[s.name]}." if s.name in NOT_BLIND else ""),
        "",
        "| measure | target | value | met |",
        "|---|---|---|---|",
    ]
    values = figures(s)
    for name, target, check in TARGETS:
        lines.append(f"| {name} | {target} | {values[name]} | {'yes' if check(s) else '**no**'} |")
    lines += ["", "| category | support | precision | recall |", "|---|---|---|---|"]
    for code, (support, p, r) in s.per_category.items():
        lines.append(f"| {code} | {support} | {p:.2f} | {r:.2f} |")
    codes = list(CATEGORIES)
    short = {c: c.split("_")[0][:5] for c in codes}
    lines += [
        "",
        "Confusion (rows: label, columns: decision):",
        "",
        "| label \\ decided | " + " | ".join(short[c] for c in codes) + " |",
        "|---" * (len(codes) + 1) + "|",
    ]
    for code in codes:
        row = s.confusion[code]
        lines.append(f"| {code} | " + " | ".join(str(row[c] or "") for c in codes) + " |")
    lines += [
        "",
        "Grades (rows: label, columns: decision):",
        "",
        "| label \\ decided | " + " | ".join(GRADES) + " |",
        "|---|---|---|---|---|",
    ]
    for g in GRADES:
        row = s.grade_confusion[g]
        lines.append(f"| {g} | " + " | ".join(str(row[x] or "") for x in GRADES) + " |")
    return [*lines, ""]


def print_summary(s: Summary) -> None:
    blind = f" (no longer blind: {NOT_BLIND[s.name]})" if s.name in NOT_BLIND else ""
    print(f"== {s.name}: {s.n} reports, sha256 {s.sha256[:16]}…{blind}")
    values = figures(s)
    for name, target, check in TARGETS:
        print(f"  {name:32} {values[name]:40} target {target:7} {'ok' if check(s) else 'MISSED'}")
    for code, (support, p, r) in s.per_category.items():
        print(f"  {code:16} n={support:3}  P={p:.2f} R={r:.2f}")
    print("  confusion (label → decided):")
    for code, row in s.confusion.items():
        wrong = {k: v for k, v in row.items() if k != code}
        if wrong:
            print(f"    {code:16} → " + ", ".join(f"{k}×{v}" for k, v in wrong.items()))


def print_misses(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        flags = [
            flag
            for flag, bad in (
                ("CAT", not o.category_ok),
                ("GRADE", o.grade_distance > 0),
                ("LEVEL", not o.level_ok),
                ("UNIT", o.level_ok and not o.unit_ok),
                ("TRIAGE", o.triaged),
            )
            if bad
        ]
        if not flags:
            continue
        label, c, route = o.label, o.decided.classification, o.decided.route
        print(
            f"{o.record['id']} [{','.join(flags)}] label {label['category']}"
            f"{'/' + ','.join(label['also']) if label['also'] else ''} {label['grade']} "
            f"{label['level']} {expected_unit(label)} | decided {c.category_code} "
            f"{c.severity.value} {route.level} {route.unit.code} conf {c.confidence:.2f}\n"
            f"   {o.record['report'].get('description')}\n   -> {c.explanation}"
        )


def render(summaries: list[Summary]) -> str:
    head = DOC_HEAD.format(command=COMMAND, level=Level.COMMUNITY)
    body: list[str] = []
    for s in summaries:
        body += render_set(s)
    return head + "\n".join(body) + "\n" + DOC_TAIL


DOC_HEAD = """# Classification: the routing brain measured on blind sets

<!-- generated by scripts/evaluate_classifier.py: edit the script, not this file -->

Produced by `{command}`. Every report goes through `domain.filing.decide`, exactly as
the router files it: located by the organisation, classified by the lexicon and the learned
model, graded, routed by the bundled policy. How the blind sets were written and frozen, and
what each label means, is in `tests/data/blind/README.md`; the model is described in
`docs/model-card.md`; the training data in `training/README.md`.

## How the figures were obtained

The routing brain was built and measured in a hundred and eight rounds (the thirtieth, the
thirty-sixth, the thirty-ninth, the fortieth, the forty-fifth, the forty-sixth, the forty-ninth, the
fifty-first, the fifty-third, the fifty-fourth and the fifty-sixth changed nothing and measured the
code of a round before again); each round ends with a measurement on sets nobody tuned against.

- **Round one.** Set A (640 reports, four helper sessions, four voices) was committed before the
  classifier changed and measured while the model and grading were developed (about eight
  times); set B (320 reports, two further sessions) was committed unmeasured and measured once at
  the end. Those figures are reproduced by `git checkout 8e89506 && {command}`.
- **Round two.** Set A, no longer blind, became training data (`training/reports-set-a.jsonl`)
  and the development set for the grading rules and the policy's start levels. Set C (420
  reports, three new helper sessions with the same blind brief, which never saw A, B, the
  classifier or its data) was committed unmeasured before the model was retrained, and measured
  once at the end, with set B for the second time. Those figures are reproduced by
  `git checkout 79d7596 && {command}`.
- **Round three.** Set D (345 reports, three new helper sessions in new voices: grid workers'
  patrol entries and duty-room logs, 12345 transcripts close to the caller's speech and 110
  transfers, residents writing themselves) was committed unmeasured first (sha256 `4de61499…`).
  Then set B, measured twice, was retired: its misses were read, became the development set for
  the grading rules, and it joined the training data (`training/reports-set-b.jsonl`). A
  development set E (345 reports, three more sessions with the blind brief) was written, measured
  once (`{command} --set <file>`), its misses read for further grading rules, and it joined the
  training data too (`training/reports-set-e.jsonl`); the model was retrained (version 4). Set C
  is measured for the second time (its misses were never read), set D for the first.
- **Round four.** Set F (345 reports, three new helper sessions: 12345 call-takers and 数字城管
  supervisors, grid workers typing in the field, residents writing themselves and older
  residents' voice-to-text) was committed unmeasured first (sha256 `84bb1114…`), with its
  briefs (`tests/data/blind/briefs/`). Two development sets were then written blind by six more
  sessions, G (property desks, 110 transfers, bundled hotline orders) and H (villages and
  islands, night workers by voice, social media), each with a third of hard cases and many
  dramatic-sounding grade IV reports; each was committed, measured once, its misses read for
  the grading rules, and then joined the training data (`tests/data/dev/README.md` has their
  one measurement each: over-escalation 6.3% on both). The model was retrained (version 6).
  Then set F was measured for the first time, set D for the second, set C for the third: F
  missed five targets, among them three true grade II reports read as IV (category 0.936, level
  and unit 0.904, triage 11.6%). Those figures are reproduced by
  `git checkout 5c52b17 && {command}`.
- **Round five.** Set I (345 reports, three new helper sessions: WeChat building heads and grid
  workers' weekly ledgers, 12345 calls written as dialogue, older residents' handwritten notes
  and i厦门 forms) was committed unmeasured (sha256 `a2b17e29…`) before set F's misses were
  read. Then F's misses made round five's grading rules (killings, people at heights or in a
  submerged car, traffic cut, fish kills), F joined the training data
  (`training/reports-set-f.jsonl`) and the model was retrained (version 7). Set I was then
  measured for the first time: category 0.954, grade 0.901, level and unit 0.872, one true grade
  II read as IV, over-escalation 1.4%, triage 13.9% with the rest right 0.990. Those figures
  are reproduced by `git checkout 0a48cfd && {command}`.
- **Round six.** Set J (345 reports, three new helper sessions: 数字城管 case records and duty
  handovers, 12345 callers reporting for others, safety officers and visitors) was started
  before set I's misses were read and committed unmeasured (sha256 `6bbf2130…`). I's misses made
  round six's rules (a call-taker's questions are not statements, counts told after the harm, a
  child locked in a car, everyone safe keeps the learned guess from raising to II); the triage
  threshold is now set on the out-of-fold readings of the reports written blind; I joined the
  training data and the model was retrained (version 8). Set J was then measured once: it met
  every target but one (a true grade II read as III); set D (fourth time) and set C (fifth)
  missed over-escalation. Those figures are reproduced by `git checkout 603fda8 && {command}`.
- **Round seven.** Two fresh sets were written by six new helper sessions and committed
  unmeasured: K (sha256 `e8a8101e…`: community health and home-care workers, people who run
  building sites, markets and stations, formal letters and texts to the hotline), started before
  set J's misses were read, and L (sha256 `16bdb73f…`: residents' committee staff and community
  police, people whose Mandarin is not their first language, media tips and owners' letters).
  J's misses and the seven over-escalations of sets C and D were then read for round seven's
  grading rules (things, animals and traffic are not people; an ambulance lane is a place;
  people in a car said unhurt are shut in; a condition told in the clause before; ten or more
  taken to hospital; a welfare request keeps the learned guess below II), so C and D are no
  longer blind. J joined the training data and the model was retrained (version 9). Sets K and
  L were then measured once: both met the grade targets (over-escalation 0.5%) and missed
  category accuracy (0.942, 0.930) and the accuracy of the rest after triage (0.959, 0.953), and
  L read one true grade II and one true grade I as IV. Those figures are reproduced by
  `git checkout db78adf && {command}`.
- **Round eight.** Two more fresh sets, M (sha256 `9512bcbf…`: night-shift 12345 records and
  anonymous callers, parents' and teachers' groups, street-office and law-enforcement notes) and
  N (sha256 `f1e5ebda…`: harbour and sea people, couriers and passengers, volunteers and clubs),
  were written by six new helper sessions, started before the misses of K and L were read, and
  committed unmeasured. K's and L's misses then made round eight's rules: deaths told plainly
  ("司机死了", "3名工人没跑出来死了", "在医院死了"), a fire not yet out, the dug-out dead,
  reports in English (a few plain cues, with English negations and conditions), harm healed or
  nobody taken to hospital keeping the learned guess below II; and the lexicon learned words
  that hold a keyword and never mean it (`not_keywords`: 偷偷 is no theft, a stray dog no
  homeless person). K and L joined the training data and the model was retrained (version 10).
  Sets M and N were then measured once: each missed one target (M read a true grade II as
  III; N raised 3 of 207 true grade IV, 1.4%), and both met category (0.965, 0.968). Those
  figures are reproduced by `git checkout d013f38 && {command}`.
- **Round nine.** Two more fresh sets, O (sha256 `2481e872…`: factory workers' chat groups in the
  industrial parks, grandparents and the old people's association, sanitation, landscaping and
  utility crews) and P (sha256 `ae09e633…`: tour guides, tourists and shop assistants,
  university students, 12345 callback records and deputies forwarding complaints), were written
  by six new helper sessions, started before the misses of M and N were read, and committed
  unmeasured. M's and N's misses then made round nine's rules (counts of the dead after 死了,
  found or dug out and gone, someone stuck beside a fire, leak or rollover, what happens every
  time, a request for work, an injured animal named in the clause before). M and N joined the
  training data and the model was retrained (version 11). Sets O and P were then measured once
  and missed three and five targets (O: category 0.945, a true grade II read as IV, the rest
  0.957; P: level and unit 0.919, two true grade II read too low, over-escalation 1.9%, the
  rest 0.969). Those figures are reproduced by `git checkout f6d92ac && {command}`.
- **Round ten.** Two more fresh sets, Q (sha256 `886ccf93…`: bank, post-office and phone-shop
  counter staff, migrant workers calling in themselves, urban-village landlords, agents and
  tenants) and R (sha256 `e030f30f…`: livestreamers and self-media, secondary-school pupils,
  lawyers, assessors and accountants writing for clients), were written by six new helper
  sessions, started before the misses of O and P were read, and committed unmeasured. O's and
  P's misses then made round ten's rules (more ways of telling a death; a knife held now is III,
  chasing people with it II; things named after the cue; a caller's story; an elder very weak).
  O and P joined the training data and the model was retrained (version 12). Sets Q and R were
  then measured once: both read two true grave reports too low; Q also missed category (0.948),
  over-escalation (1.9%) and the rest after triage (0.957), R met everything else. Those
  figures are reproduced by `git checkout e33210d && {command}`.
- **Round eleven.** Two more fresh sets, S (sha256 `f42c9cfe…`: hotel, homestay and hostel
  staff, neighbourhood safety patrols' logs, grown-up children reporting for their parents from
  other cities and 12345 text messages) and T (sha256 `89e716e0…`: lifeguards, pool and
  sports-ground staff and anglers, bird-watchers, animal rescuers and volunteer river chiefs,
  office workers in the business parks and night-market hawkers), were written by six new
  helper sessions, started before the misses of Q and R were read, and committed unmeasured.
  Q's and R's misses then made round eleven's rules (a dialect negation, 没得; hopping over a
  puddle or dancing is no leap; waste dumped by the road is no one fallen; a knife held while
  chasing people later in the clause; a fish pond or a farm is a place, not an animal; a head
  cut open; a swimmer not back to shore; found unharmed) and seven lexicon words. Q and R joined
  the training data and the model was retrained (version 13). Sets S and T were then measured
  once: neither read a true grave report too low; S met every target, T missed over-escalation
  (2.9%), level and unit (0.913) and the rest after triage (0.957). Those figures are reproduced
  by `git checkout b45a833 && {command}`.
- **Round twelve.** Two more fresh sets, U (sha256 `f5e6afad…`: pharmacists, drugstore clerks
  and clinic receptionists, temple keepers and festival committees, volunteer rescue teams) and
  V (sha256 `539f9af3…`: scrap collectors and street cleaners, restaurant and banquet managers
  and kitchen staff, residential compounds' security guards), were written by six new helper
  sessions, started before the misses of S and T were read, and committed unmeasured. S's and
  T's misses then made round twelve's rules (things left inside, a hoarding fallen, someone
  helped up, birds by their names and an animal in the clause before a bare death, a nest
  outside a window, a claim for unpaid wages keeps the learned guess below II) and a few lexicon
  words. S and T joined the training data and the model was retrained (version 14). Sets U and
  V were then measured once: both met category, grade, level and unit and the rest after
  triage, and both missed over-escalation (1.9%, 2.9%); U read two true grave reports too low.
  Those figures are reproduced by `git checkout dfdbf2c && {command}`.
- **Round thirteen.** Two more fresh sets, W (sha256 `1fa94251…`: people's mediators; coach,
  school-bus, driving-school and tow-truck drivers; market stallholders in Minnan-flavoured
  Mandarin) and X (sha256 `690575ef…`: Taiwanese residents writing Taiwan usage and some
  traditional characters; cleaners, domestic helpers and repair workers; very short i厦门
  submissions, a third under 20 characters), were written by six new helper sessions, started
  before the misses of U and V were read, and committed unmeasured. U's and V's misses then made
  round thirteen's rules (smoke choking people in a fire; a role or a kit named after 急救;
  hardship as the background of a stay in hospital; things that fall; a report saying no harm
  was done or that it is over keeps the learned guess below II). The model's training changed
  too: its cross-validation folds keep each training file whole, so that out-of-fold figures
  and the thresholds chosen on them come from a model that never saw the writer, and the triage
  threshold asks the lower end of the 95% interval of the rest's accuracy to reach 0.97. U and
  V joined the training data and the model was retrained (version 15). Sets W and X were then
  measured once, and did worse than U and V: W missed category (0.942), under-escalation (two)
  and the rest after triage (0.957); X missed all but over-escalation and the share sent to
  triage. Those figures are reproduced by `git checkout 5056e5a && {command}`.
- **Round fourteen.** Two more fresh sets, Y (sha256 `ec93c42b…`: Hong Kong and Macau visitors
  and residents and returning overseas Chinese writing traditional characters with Cantonese
  words, primary-school teachers, library, museum and cultural-station staff) and Z (sha256
  `6970b93d…`: older residents' unpunctuated voice input, estate agents and home inspectors,
  bus and metro commuters), were written by six new helper sessions, started right after W
  and X were measured, and committed unmeasured. W's and X's misses were not read: no rule or
  lexicon word came from them. One change came from what X's brief said of its voices: the
  application now converts traditional characters to simplified (OpenCC, `tw2s`) before the
  lexicon, the grading and the model read a report. W and X joined the training data as
  written and the model was retrained (version 16). Sets Y and Z were then measured once: Z met
  every target but under-escalation (two); Y, with a writer in traditional characters and
  Cantonese, missed five. Those figures are reproduced by `git checkout a3651c8 && {command}`.
- **Round fifteen.** Two more fresh sets, AA (sha256 `a97e5032…`: Hong Kong cross-border
  workers and students in traditional characters and Cantonese, night-shift nurses and hospital
  porters, postmen and meter readers) and AB (sha256 `7da33c92…`: villagers' voice messages
  turned into text, square-dance groups and morning exercisers, car-park and petrol-station
  staff), were written by six new helper sessions, started before the misses of Y and Z were
  read, and committed unmeasured. Y's and Z's misses then made round fifteen's rules (harm said
  not to have happened tells none; the dead who did not get out of a fire; someone smoking
  inside is no peril; an elder who does not answer; a child taken by a stranger) and a table
  that rewrites written Cantonese's function words and everyday words into Mandarin. Two more
  helper sessions wrote training reports in the registers the fresh sets had brought (written
  Cantonese and Taiwan usage; voice input and very short texts; `training/reports-t7.jsonl`,
  `reports-t8.jsonl`). Y and Z joined the training data and the model was retrained (version
  17). Sets AA and AB were then measured once: AA missed level and unit (0.907, 0.904) and the
  rest after triage (0.953); AB read two true grave reports too low and missed over-escalation
  (1.4%). Those figures are reproduced by `git checkout bd728d6 && {command}`.
- **Round sixteen.** Two more fresh sets, AC (sha256 `01c538ea…`: property-management
  engineers, electricians and lift-maintenance crews; neighbours and passers-by typing while
  something happens in front of them; village doctors and township cadres in the hill villages
  of 同安 and 翔安) and AD (sha256 `6aaa40e4…`: disabled residents, their carers and
  disability-service workers; retired residents' long, digressive messages; e-bike repair
  shops, battery-swap stations and electric-tricycle drivers), were written by six new helper
  sessions, started before the misses of AA and AB were read, and committed unmeasured. AA's
  and AB's misses then made round sixteen's rules (deaths told as no breath, not brought back or
  passed away, also in written Cantonese; ten or more people whose harm is told in the next
  clause or who lie in a clinic; a bar held or things smashed; a small child locked in a car;
  只 counts animals; a hospital named as a workplace; a child's head stuck in railings), a
  landslide subcategory and a few lexicon words, and one change outside the classifier: an
  address written in traditional characters is converted before it is placed (ten of AA's
  reports had been placed only in their district). AA and AB joined the training data and the
  model was retrained (version 18). Sets AC and AD were then measured once: neither read a true
  grave report too low; AC missed over-escalation (2.4%), AD category (0.930) and the rest after
  triage (0.936). Those figures are reproduced by `git checkout 43f9a48 && {command}`.
- **Round seventeen.** Two more fresh sets, AE (sha256 `329af4de…`: photo captions sent through
  i厦门 随手拍 and the 12345 WeChat account; locksmiths, movers and handymen; forest rangers,
  fire watchers and reservoir keepers) and AF (sha256 `aa6372db…`: grid workers forwarding
  residents' group-chat posts with a note of their own; dog walkers, pet owners and
  animal-clinic staff; logistics-park dispatchers, lorry, tanker and forklift drivers), were
  written by six new helper sessions, started before the misses of AC and AD were read, and
  committed unmeasured. AC's and AD's misses then made round seventeen's rules (ten or more
  taken to a township clinic or on a drip; beaten to death; found with no breath; a drainpipe
  is no one in the water; asking for help to take someone to hospital, or for the community to
  arrange something; an ambulance that could not get in; what happens every time; stuck in a
  driver's seat; a fire feared; a child locked in a car at ease; liquor that smells of
  industrial alcohol) and a few lexicon words. AC and AD joined the training data and the model
  was retrained (version 19). Sets AE and AF were then measured once: AE missed only
  under-escalation (five true grave reports read too low); AF read one too low and missed
  over-escalation (2.4%). Those figures are reproduced by `git checkout 6be4771 && {command}`.
- **Round eighteen.** Two more fresh sets, AG (sha256 `57a04dba…`: night-market and street-food
  vendors and the 城管 coordinators they deal with; caretakers of ancestral halls and old
  houses; kindergarten staff and school-gate wardens) and AH (sha256 `ff3dfefb…`: waste-transfer,
  recycling and sewage-plant workers; elders living alone speaking to the community's daily
  phone check; fishing-boat owners, shipyard and seafood-processing workers), were written by
  six new helper sessions, started before the misses of AE and AF were read, and committed
  unmeasured. AE's and AF's misses then made round eighteen's rules (people on a car roof in
  rising water; a threat to jump from a tower crane; "受没受伤" asks rather than says unhurt; a
  collapse beside someone stuck; a body found, stab wounds, no breath left; ten lying where a
  car struck; "没救出来" is no rescue; despair cried out in a quarrel; locked out is not shut in;
  dozens of cylinders are no crowd) and a subcategory for homicide, poisoning and violent crime.
  AE and AF joined the training data and the model was retrained (version 20). Sets AG and AH
  were then measured once: AG met every target; AH missed category (0.925), under-escalation
  (one) and the rest after triage (0.932). Those figures are reproduced by
  `git checkout 76a1714 && {command}`.
- **Round nineteen.** Two more fresh sets, AI (sha256 `97eb5bdb…`: grid workers' monthly case
  summaries in official shorthand; people on the islands and beaches in summer; rural elders and
  left-behind women in the mountain villages, written down by a village cadre) and AJ (sha256
  `bfc1aacf…`: emergency-department and 120 dispatchers' handover notes; owners in new
  high-rise estates; street-sweepers, septic-tank and pipe-dredging crews), were written by six
  new helper sessions, started before the misses of AG and AH were read, and committed
  unmeasured. AG's and AH's misses then made round nineteen's rules (ten or more struck; the
  dead who did not get out of a fire though a child was saved; a spouse gone this morning;
  staying inside is no peril; "不像" negates; nobody went to hospital, nobody seen hurt) and
  changed the lexicon: a kinship word (阿公, 阿嬷, 阿伯, 阿婆) is no longer evidence of an elder
  living alone, since it says who speaks, not what about. AG and AH joined the training data
  and the model was retrained (version 21); on its out-of-fold readings the reports written
  blind were right 0.974 with nothing triaged, so its triage threshold from data is 0. Sets AI
  and AJ were then measured once: AI met every target; AJ missed over-escalation (8.2%), level
  and unit (0.913) and the rest after triage (0.966). Those figures are reproduced by
  `git checkout fda77b0 && {command}`.
- **Round twenty.** Two more fresh sets, AK (sha256 `c38a5867…`: parents of disabled children,
  special-school teachers and elderly day-care staff; people new to Xiamen; night-shift security
  of malls, cinemas and KTV venues) and AL (sha256 `ba68b185…`: community correction officers,
  anti-drug social workers and police auxiliaries; tea-shop and handicraft-shop keepers in the
  old town; farm-stay owners, orchard and tea-garden farmers and beekeepers), were written by six
  new helper sessions, started before the misses of AI and AJ were read, and committed
  unmeasured. AI's and AJ's misses then made round twenty's rules (first-aid posts are places;
  an ambulance kept out or hard put to get in is a hazard of access; examined and found well,
  came round; a back failing is no death; people busy inside are not trapped; a rumour is
  over). A grade III for a robbery without injury, which three fresh sets' writers gave, was
  tried and left out, since eight training reports label such robberies IV. AI and AJ joined
  the training data and the model was retrained (version 22; its triage threshold from data is
  0.34 again). Sets AK and AL were then measured once: AL met every target; AK missed only
  over-escalation (2.9%). Those figures are reproduced by `git checkout b3cb871 && {command}`.
- **Round twenty-one.** Two more fresh sets, AM (sha256 `7e69652f…`: hotline operators'
  transfer notes and residents' follow-up calls; volunteers of religious sites and home-town
  associations; young parents of babies and toddlers) and AN (sha256 `49f7f11d…`: builders and
  decorators; foreign residents writing simple Chinese with English words; street fire-safety
  inspectors and volunteer firefighters), were written by six new helper sessions, started
  before the misses of AK and AL were read, and committed unmeasured. AK's and AL's misses then
  made round twenty-one's rules (two dead counted with 个; "打死我也不信" is a manner of
  speaking; "不要" and "不用" negate; a stroke as the background of a request; struck by
  lightning; a customer telling of an accident by phone is no scam; a big fire). AK and AL
  joined the training data and the model was retrained (version 23; its triage threshold from
  data is 0 again, for the reports written blind sit at the rule's edge out of fold). Sets AM
  and AN were then measured once: each missed only under-escalation (two and one true grave
  reports read too low). Those figures are reproduced by `git checkout 2cb0240 && {command}`.
- **Round twenty-two.** Two more fresh sets, AO (sha256 `97817dec…`: property-management night
  duty logs; swimmers, divers, kayakers and boatmen; middle-school teachers on duty and school
  doctors) and AP (sha256 `68ba76ab…`: migrant families in urban villages; district and street
  cadres passing on what they heard; electricians, gas fitters and plumbers of the utility
  companies), were written by six new helper sessions, started before the misses of AM and AN
  were read, and committed unmeasured. AM's and AN's misses then made round twenty-two's rules
  (a child carried off; hikers and companions are people; gambling inside is no one trapped; a
  fire told in English is over when the report says so; a brawl is III). AM and AN joined the
  training data and the model was retrained (version 24). Sets AO and AP were then measured
  once: AP met every target; AO missed only under-escalation (one). Those figures are
  reproduced by `git checkout 159308f && {command}`.
- **Round twenty-three.** Two more fresh sets, AQ (sha256 `37ab4487…`: taxi, ride-hailing and bus
  control-room operators relaying drivers' calls; long-time residents of the old lanes of 思明;
  pet-sitters, dog trainers and animal-shelter volunteers) and AR (sha256 `8302b331…`: shift
  leaders in large factories and warehouses; neighbourhood group-chat administrators; adult
  children caring for elderly parents), were written by six new helper sessions, started
  before the misses of AO and AP were read, and committed unmeasured. AO's and AP's misses then
  made round twenty-three's rules (ten or more counted after those taken to hospital; not
  brought round; convulsing; a death after long years in bed is natural). AO and AP joined the
  training data and the model was retrained (version 25). Sets AQ and AR were then measured
  once: AQ met every target; AR missed under-escalation (one) and the rest after triage
  (0.969). Those figures are reproduced by `git checkout f740d14 && {command}`.
- **Round twenty-four.** Two more fresh sets, AS (sha256 `808fa695…`: market supervisors and
  food-safety coordinators; young couples renting through apps and agencies; retired doctors
  and nurses volunteering in their compounds) and AT (sha256 `3a7fe527…`: coastal and river
  patrol officers and sluice keepers; people reporting for deaf, blind or bed-ridden residents;
  owners and workers of small family workshops), were written by six new helper sessions,
  started before the misses of AQ and AR were read, and committed unmeasured. AQ's and AR's
  misses then made round twenty-four's rules (the dead who did not get out of a fire, told
  later in the sentence; found and no longer with us; carried out and gone; barely answering
  in the heat; people shut in by water and safe are III; a stroke years ago is background; an
  ambulance kept off is a hazard; everyone walked out). AQ and AR joined the training data and
  the model was retrained (version 26). Sets AS and AT were then measured once: neither read a
  grave report too low; AS missed over-escalation (1.4%), AT the rest after triage (0.963).
  Those figures are reproduced by `git checkout e19c313 && {command}`.
- **Round twenty-five.** Two more fresh sets, AU (sha256 `ec5814f7…`: night-school and
  adult-education students and tutors; security and cleaning staff of hospital halls and
  supermarkets; new grid workers in rural villages) and AV (sha256 `8d02ad00…`: 12345
  dispatchers' case summaries; fishermen's families and shellfish gatherers on the tidal flats;
  night-bus crews and the people waiting for them), were written by six new helper sessions,
  started before the misses of AS and AT were read, and committed unmeasured. AS's and AT's
  misses then made round twenty-five's rules (harm that would follow is not happening; "没伤着"
  says no harm was done). AS and AT joined the training data and the model was retrained
  (version 27). Sets AU and AV were then measured once: AV met every target; AU missed
  under-escalation (one). Those figures are reproduced by `git checkout 4e68be9 && {command}`.
- **Round twenty-six.** Two more fresh sets, AW (sha256 `acfbcde6…`: owners' committee members
  writing formal complaints and minutes; barbers, beauty-salon and card-room staff passing on
  hearsay; road-maintenance crews and traffic-assistance wardens) and AX (sha256 `cef5e92b…`:
  deaf and hard-of-hearing residents typing through the hotline's text channel; power, gas and
  water call-centre agents passing on calls; flood- and typhoon-duty staff writing the duty
  log), were written by six new helper sessions, started before the misses of AU and AV were
  read, and committed unmeasured. AU's and AV's misses then made round twenty-six's rules (a
  fire keeps its danger when some are still left inside after the others ran out; a body found
  at home and "没有了生命体征" are deaths; twenty-odd taken away by ambulance are mass
  casualties; a death blamed on a banner is the dispute). AU and AV joined the training data
  and the model was retrained (version 28). Sets AW and AX were then measured once: AW missed
  under-escalation (one); AX under-escalation (two) and over-escalation (1.9%). Those figures
  are reproduced by `git checkout 44c79f6 && {command}`.
- **Round twenty-seven.** Two more fresh sets, AY (sha256 `52530745…`: volunteers of elderly
  canteens and day-care centres; food-delivery riders' voice-to-text messages; street
  emergency-management staff's formal incident notes) and AZ (sha256 `9f1f2c57…`:
  grandchildren writing for elders who speak only Minnan; after-school care and tutoring staff;
  community newspaper and street WeChat-account reporters), were written by six new helper
  sessions, started before the misses of AW and AX were read, and committed unmeasured. AW's
  and AX's misses then made round twenty-seven's changes (a report typed word by word has the
  spaces between its Chinese characters removed; a killing told as "把女的杀了"; those a
  hospital took in are counted; a blocked way out is a hazard until a fire; a threat to die
  together with children locked in is danger). AW and AX joined the training data and the
  model was retrained (version 29). Sets AY and AZ were then measured once: AZ met every
  target; AY missed over-escalation (2.4%). Those figures are reproduced by
  `git checkout 668da54 && {command}`.
- **Round twenty-eight.** Two more fresh sets, BA (sha256 `6321a190…`: supervisors of public
  toilets, parks and squares; parents writing late at night in panic or anger; pawnshop,
  gold-shop, phone-stall and lottery-kiosk staff) and BB (sha256 `1e14124d…`: women's-federation
  and youth-league cadres writing up home visits; ferry, cruise-terminal and island-shuttle
  staff and passengers; people writing a second or third time about a case handled badly),
  were written by six new helper sessions, started before the misses of AY and AZ were read,
  and committed unmeasured. AY's and AZ's misses then made round twenty-eight's rules (one of
  those counted is the person with no breath left; a death in hospital told after a beating;
  care called to a natural death at home; a death in quotes in a complaint made every year).
  AY and AZ joined the training data and the model was retrained (version 30). Sets BA and BB
  were then measured once: BA met every target; BB missed under-escalation (one) and
  over-escalation (1.4%). Those figures are reproduced by `git checkout 531a2d7 && {command}`.
- **Round twenty-nine.** Two more fresh sets, BC (sha256 `2373a33d…`: estate customer-service
  staff's work-order logs; retired teachers and cadres volunteering as the community's "old
  friends"; night-shift boiler-, pump- and power-room workers) and BD (sha256 `d391cda2…`: young
  migrant workers in dormitories and shared flats; village mediators and clan elders telling
  stories; 12345 quality inspectors rewriting reports into the standard form), were written by
  six new helper sessions, started before the misses of BA and BB were read, and committed
  unmeasured. BA's and BB's misses then made round twenty-nine's rules (伤得很重 is harm;
  danger told of every day is a habit; a fear of drowning is no death; ten or more lying on the
  ground after a brawl; cars soaked in water are things). BA and BB joined the training data
  and the model was retrained (version 31). Sets BC and BD were then measured once: both met
  every target, the first round to do so. Those figures are reproduced by
  `git checkout da6e6f6 && {command}`.
- **Round thirty: the same code measured again.** Two more fresh sets, BE (sha256
  `f2c98d21…`: hiking and cycling club leaders and trail volunteers; care-home staff and
  home-care nurses; older men of the tea-drinking circles dictating to a relative) and BF
  (sha256 `a0070d98…`: factory and school shuttle-bus drivers; people newly arrived from abroad
  or from Taiwan for work; grid workers' voice notes turned into text, with recognition errors),
  were written by six new helper sessions, started before BC and BD were measured, and
  committed unmeasured. No rule, word or model changed after BC and BD were measured, and their
  misses were not read: BE and BF measure the same code, to see whether round twenty-nine's
  figure holds. It did not: BE missed under-escalation (one) and over-escalation (2.4%), BF
  under-escalation (two). Those figures are reproduced by `git checkout 372d80f && {command}`.
- **Round thirty-one.** Two more fresh sets, BG (sha256 `a4a14bb8…`: volunteer firefighters of
  micro fire stations and street safety inspectors; wives and mothers of men often away; people
  in trouble right now typing into the app's chat in bursts) and BH (sha256 `12e8433d…`: owners
  of small restaurants and breakfast stalls; island and coastal villagers through typhoons and
  king tides; community police officers' short notes), were written by six new helper sessions,
  started before the misses of BC to BF were read, and committed unmeasured. The misses of BC,
  BD, BE and BF then made round thirty-one's rules (someone who cannot get down where a fire
  burns is in danger; a sprain is harm; bystanders who fled do not end a knife attack; harm to
  a carer before a child left alone is the background; a ring gone and eyes that cannot see are
  no one missing; a cure claimed is no harm). The four sets joined the training data and the
  model was retrained (version 32). Sets BG and BH were then measured once: BH met every
  target; BG missed under-escalation (two) and over-escalation (2.4%). Those figures are
  reproduced by `git checkout 9f087e7 && {command}`.
- **Round thirty-two.** Two more fresh sets, BI (sha256 `4343025a…`: community health-centre
  doctors' and nurses' referral and follow-up notes; sellers and buyers in second-hand and flea
  markets; grid elders' weekly summaries) and BJ (sha256 `b80015c0…`: university dormitory
  supervisors and campus security; night-shift cashiers of convenience stores, pharmacies and
  internet cafés; farmers and market gardeners on the city's edge), were written by six new
  helper sessions, started before the misses of BG and BH were read, and committed unmeasured.
  BG's and BH's misses then made round thirty-two's rules (despair with the means at hand is
  danger even in a quarrel; an elder kept down by pain with no fall told; a death the doctor
  calls natural; a rash, blisters and 挂彩 on those counted; 都还好 says people are safe). BG
  and BH joined the training data and the model was retrained (version 33). Sets BI and BJ
  were then measured once: BJ met every target; BI missed under-escalation (one) and
  over-escalation (1.9%). Those figures are reproduced by `git checkout ab6e575 && {command}`.
- **Round thirty-three.** Two more fresh sets, BK (sha256 `f65b1808…`: sanitation-truck drivers
  and garbage-sorting supervisors before dawn; adult children far away relaying a worrying call
  from a parent; the 12345 night desk's morning handover) and BL (sha256 `63724850…`: organisers
  and chefs of weddings, funerals and village feasts; e-bike and scooter commuters; workers and
  managers of chemical, electroplating and printing plants), were written by six new helper
  sessions, started before the misses of BI and BJ were read, and committed unmeasured. BI's
  and BJ's misses then made round thirty-three's rules (a weapon waved by someone who shouts he
  will hit people; a driver named in the death is no animal; what has happened before is not
  now; 不算 negates). BI and BJ joined the training data and the model was retrained (version
  34). Sets BK and BL were then measured once: BK missed under-escalation (two); BL
  under-escalation (two) and the rest after triage (0.969). Those figures are reproduced by
  `git checkout bbc9439 && {command}`.
- **Round thirty-four.** Two more fresh sets, BM (sha256 `3310cbc9…`: bus and metro station
  staff's incident notes; hesitant neighbours of elderly residents in old compounds; the street
  social-work station's case notes) and BN (sha256 `41906303…`: beach, park and scenic-area
  patrol staff; tenants and owners of new towers writing polished complaints; 119 and 120
  operators passing calls to the grid for follow-up), were written by six new helper sessions,
  started before the misses of BK and BL were read, and committed unmeasured. BK's and BL's
  misses then made round thirty-four's rules (no answer at the door of a burning shop; froth at
  the mouth; a buried car that may hold someone; acid meant for people; a body gone cold). BK
  and BL joined the training data and the model was retrained (version 35). Sets BM and BN
  were then measured once: BM missed under-escalation (one) and over-escalation (1.9%); BN
  over-escalation (8.2%) and start level and unit (0.910). Those figures are reproduced by
  `git checkout ac4a0fa && {command}`.
- **Round thirty-five.** Two more fresh sets, BO (sha256 `5c308b7d…`: school-safety officers
  and principals; cleaners and managers of markets' and food courts' back areas; comments left
  on the district's WeChat service account) and BP (sha256 `8d1ff749…`: mountain-village
  volunteers and retired militia on night patrol; managers of logistics parks, cold stores and
  container yards; witnesses adding updates to a report from the scene), were written by six
  new helper sessions, started before the misses of BM and BN were read, and committed
  unmeasured. BM's and BN's misses then made round thirty-five's rules (an ambulance called
  that found nothing grave is no harm; 不需要 and 拒绝 negate; a woman dragged into a car; a
  drunk asleep and breathing). BM and BN joined the training data and the model was retrained
  (version 36). Sets BO and BP were then measured once: both met every target, the second
  round to do so. Those figures are reproduced by `git checkout 80e8ce6 && {command}`.
- **Round thirty-six: the same code measured again.** Two more fresh sets, BQ (sha256
  `b9551d2a…`: construction-site managers and guards answering complaints; Red Cross first-aid
  trainers; foreign residents, sailors and students through the English line or a friend) and
  BR (sha256 `6a0bddd6…`: keepers of community activity rooms; street hawkers and mobile
  vendors; street command-centre duty officers on a busy holiday night), were written by six
  new helper sessions, started before BO and BP were measured, and committed unmeasured. No
  rule, word or model changed after BO and BP were measured, and their misses were not read:
  BQ and BR measure the same code. Sets BQ and BR were then measured once: BQ missed
  under-escalation (one) and over-escalation (1.9%); BR over-escalation (1.4%). Those figures
  are reproduced by `git checkout 0a1618c && {command}`.
- **Round thirty-seven: four fresh sets.** Four more fresh sets, BS (sha256 `4ecdeec2…`: water
  and gas-cylinder delivery men; broadband installers and appliance repairmen; grandparents who
  moved to Xiamen to look after grandchildren), BT (sha256 `ae29e583…`: dashcam and phone-video
  uploaders; 12345 supervision officers chasing overdue cases; vocational-school interns), BU
  (sha256 `f9d8f69c…`: staff of the airport and the rail and coach stations; disinfection and
  pest-control staff; Minnan-speaking villagers written down by a grandchild) and BV (sha256
  `604a886f…`: night cyclists, runners and hikers; wedding-shoot crews; inspectors of old
  self-built houses), were written by twelve new helper sessions, started before the misses of
  BO to BR were read, and committed unmeasured. The misses of BO to BR then made round
  thirty-seven's rules (an animal found is no doer; arranging care is a request; legs failing
  are no death; a drone names no person; someone unwell on their feet, or a theft without
  force, is not raised by the learned guess). BO to BR joined the training data and the model
  was retrained (version 37). Sets BS, BT, BU and BV were then measured once each: BS, BT and
  BV met every target; BU missed under-escalation (four), start level and unit (0.919) and the
  rest after triage (0.966). Those figures are reproduced by
  `git checkout 7f0ac39 && {command}`.
- **Round thirty-eight: four fresh sets.** Four more fresh sets, BW (sha256 `1262f169…`:
  confinement nurses and nannies in employers' homes; developers' after-sales and handover
  staff; pupils aged nine to twelve on a parent's phone), BX (sha256 `7067d911…`: coffee-shop
  and milk-tea shop staff; village meteorological information officers; i厦门 forms whose title
  carries the point and whose description is a fragment), BY (sha256 `c1e38411…`: internet-café
  and game-hall staff; dawn milk and newspaper delivery workers; hospital social workers and
  patient escorts) and BZ (sha256 `c1b78d7e…`: anglers; weekend campers and barbecue groups;
  students of the old people's university), were written by twelve new helper sessions, briefed
  before the misses of BS to BV were read, and committed unmeasured. The misses of BS to BV
  then made round thirty-eight's rules (排除 negates; staff who do nothing are not unconscious; a
  likeness is a figure of speech; Minnan words for death, falls and broken legs; a count of the
  dead with a measure word; a body carried out under a cloth). BS to BV joined the training
  data and the model was retrained (version 38). Sets BW, BX, BY and BZ were then measured
  once each: no grave report was read too low on any; BW, BY and BZ met every target, and BX
  missed the accuracy of the rest after triage (0.966). Those figures are reproduced by
  `git checkout 06ae157 && {command}`.
- **Round thirty-nine: the same code measured again.** Four more fresh sets, CA (sha256
  `3d7cb717…`: family tutors visiting homes; veterans and veterans' service-station staff;
  WeChat chat logs pasted with a line on top), CB (sha256 `e9aee421…`: tailors, shoe repairers
  and key cutters at street corners; vending-machine and power-bank restockers; reports written
  as numbered lists), CC (sha256 `019ce373…`: car-wash and car-repair shop staff; door-to-door
  survey takers; forwarded notices with a short comment on top) and CD (sha256 `6ada03c2…`:
  marathon, concert and festival volunteers; shared-bike operations staff; small foreign-trade
  business owners), were written by twelve new helper sessions, started once BW to BZ had been
  measured, and committed unmeasured. No rule, word or model changed after BW to BZ were
  measured, and their misses were not read: CA to CD measure the same code. Sets CA, CB, CC and
  CD were then measured once: all four met every target. Those figures are reproduced by
  `git checkout 9b270ae && {command}`.
- **Round forty: the same code measured a third time.** Four more fresh sets, CE (sha256
  `322f1776…`: learner and new drivers; staff of blood stations, vaccination clinics and
  check-up centres; a cut-off message sent again in one breath), CF (sha256 `c751237e…`: 鼓浪屿
  ferry ticket sellers, guesthouse keepers and porters; cooks of building-site canteens;
  landlords' agents collecting rent), CG (sha256 `c931f798…`: fruit-stall and newspaper-kiosk
  keepers; wedding and banquet organisers on the day; retired engineers) and CH (sha256
  `b3d93733…`: mothers on maternity leave; night assistants of pharmacies and convenience
  stores; reports written up by a relative who works for the government), were written by
  twelve new helper sessions, started once CA to CD had been measured, and committed
  unmeasured. No rule, word or model changed, and no misses of BW to CD were read; the one code
  change since, in how grading looks a word list up, reads all 181,740 training readings the
  same (`scripts/classify_readings.py --batch --check`). Sets CE, CF, CG and CH were then
  measured once: CF and CH met every target; CE missed over-escalation (1.4%) and CG
  under-escalation (one). Those figures are reproduced by `git checkout a83ffdd && {command}`.
- **Round forty-one.** Four more fresh sets, CI (sha256 `23d6e492…`: lift-advert and billboard
  installers; housing-fund and social-security counter clerks; phones with broken screens:
  missing characters and homophone slips), CJ (sha256 `aae45a70…`: fish- and duck-farm keepers;
  staff of migrant-worker hostels and youth apartments; complaints written as questions to the
  government), CK (sha256 `04995f71…`: drivers of tourist buses and sightseeing carts; relatives
  writing for someone in hospital or a care home; street statistics and archive clerks) and CL
  (sha256 `9c0e0fd8…`: people who found something on the street; divers, boat hirers and sea-sports
  instructors; neighbours after months of trouble with one neighbour), were written by twelve
  new helper sessions, started before the misses of BW to CH were read, and committed
  unmeasured. The misses of those twelve sets then made round forty-one's rules (a banner half
  down, a thing blown down, a branch hanging; an ambulance that would struggle to get in; dying
  asleep; people pinned). BW to CH joined the training data and the model was retrained
  (version 39). Sets CI, CJ, CK and CL were then measured once each: CI met every target; CJ
  missed over-escalation (1.9%), CK over-escalation (6.8%) and start level and unit (0.899), CL
  under-escalation (one). Those figures are reproduced by `git checkout 4a7290b && {command}`.
- **Round forty-two.** Four more fresh sets, CM (sha256 `c93fa52f…`: gardeners and
  tree-trimming crews; window cleaners and exterior-wall workers on ropes; power-line and
  telecom-tower inspectors in the hills), CN (sha256 `79f1c59f…`: tomb-sweeping families and
  cemetery and funeral-parlour staff; porters of the dawn wholesale markets; operators of the
  smart elderly-care alarm platform), CO (sha256 `50bd8424…`: highway service-area and toll
  staff; metro, tunnel and pipe-jacking workers; staff of children's training centres) and CP
  (sha256 `9bb90119…`: foreign spouses and workers writing in simple Chinese; insurance agents
  visiting clients at home; drone hobbyists), were written by twelve new helper sessions,
  started before the misses of CI to CL were read, and committed unmeasured. The misses of CI
  to CL then made round forty-two's rules (a stay in hospital that dates what is told, or is a
  relative's while the people of the report are unhurt; stuck but well; deaths told as a body
  gone stiff, a grandmother gone, not saved; counts of the harmed introduced by 受伤的有 or
  就医人数). CI to CL joined the training data and the model was retrained (version 40). Sets
  CM, CN, CO and CP were then measured once each: CN and CP met every target; CM missed
  over-escalation (1.4%) and CO under-escalation (one). Those figures are reproduced by
  `git checkout 426e6a5 && {command}`.
- **Round forty-three.** Four more fresh sets, CQ (sha256 `633c8d9d…`: night staff of
  bathhouses and saunas; street civil-affairs cadres visiting households; editors of a radio
  call-in programme), CR (sha256 `5f1b6bdb…`: retired fishermen and boat builders; managers of
  self-storage units and basement warehouses; grandparents at the school gate), CS (sha256
  `45e82216…`: gas-station and LPG-plant staff; theatre ushers and stage crews; people unsure
  whether to intervene for a neighbour) and CT (sha256 `e5609021…`, 344 reports: river keepers;
  hairdressers and nail-salon staff; night watchmen), were written by twelve new helper
  sessions, started before the misses of CM to CP were read, and committed unmeasured. The
  misses of CM to CP then made round forty-three's rules (挂彩 is a wound; someone who seems
  dead; an urn, dust or water that is no person; an intruder inside; people gone who left after
  nobody was hurt). CM to CP joined the training data and the model was retrained (version
  41); grading was split into three modules with every reading unchanged. Sets CQ, CR, CS and
  CT were then measured once each: none met every target; each read one or two true grave
  reports too low, and CQ raised 3 of 207 true grade IV (1.4%). Those figures are reproduced by
  `git checkout 3b26284 && {command}`.
- **Round forty-four.** Four more fresh sets, CU (sha256 `def3d153…`: water-heater installers
  and gas-stove repairmen; time-bank volunteers visiting old people; managers of car parks and
  underground garages), CV (sha256 `be6dc5ab…`: fishing-port workers at dawn; funeral-supply
  shop staff; night driving students), CW (sha256 `2aa63aa5…`: homestay hosts; people just
  robbed, cheated or hurt, writing themselves; shared-office cleaners) and CX (sha256
  `11c31609…`: village grid workers in a cold or heat wave; fireworks and incense sellers and
  their inspectors; an old building's WeChat group), were written by twelve new helper sessions,
  started before the misses of CQ to CT were read, and committed unmeasured. The misses of CQ
  to CT then made round forty-four's rules (a household's standing, 低保户, asks for nothing;
  someone weakening or at an edge meaning to jump; a natural death found; those who fled are
  not those taken to hospital). CQ to CT joined the training data and the model was retrained
  (version 42). Sets CU, CV, CW and CX were then measured once each: CU, CV and CX met every
  target; CW missed under-escalation (one). Those figures are reproduced by
  `git checkout 9273912 && {command}`.
- **Round forty-five: the same code measured again.** Four more fresh sets, CY (sha256
  `a83b7e1a…`: sign-language interpreters and the deaf association's staff; bakery staff before
  dawn; voice messages sent from the road, badly transcribed), CZ (sha256 `143475fe…`:
  swimming-pool and hot-spring caretakers; used-car and scrap-yard workers; parents of troubled
  teenagers), DA (sha256 `1ed2e526…`: bridge and tunnel crews; night-market sellers; retired
  cadres writing formally) and DB (sha256 `d60d82ee…`: grid workers covering an unfamiliar
  grid; hotel night auditors and security; anti-fraud booth volunteers), were written by twelve
  new helper sessions, started once CU to CX had been measured, and committed unmeasured. No
  rule, word or model changed after CU to CX were measured, and their misses were not read; the
  one code change since, in how grading looks word lists up, reads all 231,408 training
  readings the same (`scripts/classify_readings.py --batch --check`). Sets CY, CZ, DA and DB
  were then measured once: DB met every target; CY, CZ and DA each read one true grave report
  too low, and CZ missed the accuracy of the rest (0.966). Those figures are reproduced by
  `git checkout 7073b64 && {command}`.
- **Round forty-six: the same code measured a third time.** Four more fresh sets, DC (sha256
  `995445d2…`: music, dance and martial-arts teachers; phone-repair stalls; indoor playground
  staff), DD (sha256 `dca2927a…`: farmers' market managers; home elderly-care carers; amateur
  league referees), DE (sha256 `2a3b78d5…`, 77 true grave reports: environmental monitoring
  technicians; minority restaurant owners; data-centre night engineers) and DF (sha256
  `dc77b179…`: allotment keepers; reports with the urgent matter in passing; bus-card counter
  staff), were written by twelve new helper sessions, started once CY to DB had been measured,
  and committed unmeasured. No rule, word or model changed, and no misses of CU to DB were read
  for rules. Sets DC, DD, DE and DF were then measured once each with the same code and model
  as CU to DB: DC and DE met every target; DD read one true grave report too low, and DF raised
  3 of 207 true grade IV (1.4%). Those figures are reproduced by
  `git checkout fa53b61 && {command}`.
- **Round forty-seven.** Four more fresh sets, DG (sha256 `066ae927…`: designated drivers
  waiting at night; wedding photographers; fitness coaches), DH (sha256 `f00509dd…`: community
  legal-aid lawyers; vets and vet nurses; locksmiths on call), DI (sha256 `d52c4a41…`, 344
  reports: market-supervision officers; internet-café night staff; movers) and DJ (sha256
  `f1b267f9…`: chain-pharmacy pharmacists; cyclists and e-bike commuters; sea-cage farm workers
  on 大嶝 and 小嶝), were written by twelve new helper sessions, started before the misses of CU
  to DF were read, and committed unmeasured. The misses of CU to DF then made round
  forty-seven's rules (wounds told by stitches or a drag; harm from what was taken; someone held
  for money; a snakebite; deaths told by a named cause, under white sheets, in a fire now out,
  or found after someone went missing; no death in 锁死; a scammer's story; someone under CPR not
  yet dead). CU to DF joined the training data and the model was retrained (version 43). Sets
  DG, DH, DI and DJ were then measured once each: DG and DI met every target; DH missed
  over-escalation (1.9%) and DJ under-escalation (one). Those figures are reproduced by
  `git checkout 0479057 && {command}`.
- **Round forty-eight.** Four more fresh sets, DK (sha256 `775da004…`: car- and scooter-rental
  staff; dentists; volunteer interpreters), DL (sha256 `5fa079e1…`: pharmaceutical reps;
  kindergarten teachers; late-night village fruit stalls), DM (sha256 `fe34f391…`: insurance
  claim adjusters; traffic-campaign volunteers; old people's activity-centre staff) and DN
  (sha256 `f079700f…`, 343 reports: air-conditioner installers; village-school teachers;
  retired sailors), were written by twelve new helper sessions, started before the misses of DG
  to DJ were read, and committed unmeasured. The misses of DG to DJ then made round
  forty-eight's rules (an ambulance kept in; animals, food and paths that are no people; a body
  washed up; someone dug out and gone; fainting, 晕在; a hospital told of a smaller count
  after). DG to DJ joined the training data and the model was retrained (version 44), now
  learning a named category where the writer accepted it beside OTHER. Sets DK, DL, DM and DN
  were then measured once each: none read a grave report too low; DK met every target; DL and
  DM missed over-escalation (1.9% and 1.4%), DN the accuracy of the rest (318 of 328, 0.970).
  Those figures are reproduced by `git checkout ea0452b && {command}`.
- **Round forty-nine: the same code measured again.** Four more fresh sets, DO (sha256
  `f3611179…`: lifeguards; hardware-shop staff; print-shop staff), DP (sha256 `a2000b2f…`:
  retired women at the mahjong table; roadside mechanics; free-clinic doctors), DQ (sha256
  `4522717a…`: waste pickers; sprinkler-truck drivers; amateur choirs) and DR (sha256
  `6af4c8fc…`: station hotel keepers; tea farmers; dog-shelter staff), were written by twelve
  new helper sessions, started while DK to DN were being written, and committed unmeasured. No
  rule, word or model changed after DK to DN were measured, and their misses were not read. Sets
  DO, DP, DQ and DR were then measured once each with the same code and model as DK to DN: DQ
  and DR met every target; DO and DP missed over-escalation (1.4%), DO also the accuracy of the
  rest (0.963). Those figures are reproduced by `git checkout ec28fea && {command}`.
- **Round fifty.** Four more fresh sets, DS (sha256 `4ea6d07c…`: greenway crews; opticians;
  dragon-boat teams), DT (sha256 `8f6976c3…`: home-care nurses; appliance recyclers;
  after-school volunteers), DU (sha256 `b9936d01…`: tunnel control rooms; street-view drivers;
  pet groomers) and DV (sha256 `7e481963…`: the gas-emergency line; weekend-class parents;
  village parcel shops), were written by twelve new helper sessions, started before the misses
  of DK to DR were read, and committed unmeasured. The over-escalations of DK to DR then made
  round fifty's rules (a delivery of medical devices; a parent who takes the child; a fall that
  would follow; a car struck; 快出人命; a beam failing; harm of a smaller count within). DK to
  DR joined the training data and the model was retrained (version 45). Sets DS, DT, DU and DV
  were then measured once each: DS, DT and DU met every target; DV missed under-escalation
  (one). Those figures are reproduced by `git checkout eaf277c && {command}`.
- **Round fifty-one: the same code measured again.** Four more fresh sets, DW (sha256
  `fe9c642f…`: public-housing estate offices; bee-keepers and flower growers; chronic-disease
  groups), DX (sha256 `e243df15…`: metro night cleaners; couples preparing weddings;
  plastic-recycling yards), DY (sha256 `9220c5ac…`: children's sports coaches; retired
  policemen mediating; village poultry and seafood sellers) and DZ (sha256 `577603c5…`:
  laundromat night staff; foreign students; village funeral bands), were written by twelve new
  helper sessions, started once DS to DV had been measured, and committed unmeasured. No rule,
  word or model changed, and no misses of DS to DV were read for rules. Sets DW, DX, DY and DZ
  were then measured once each with the same code and model as DS to DV: DX and DZ met every
  target; DW missed under-escalation (one), DY over-escalation (1.4%). Those figures are
  reproduced by `git checkout f3bfaf9 && {command}`.
- **Round fifty-two.** Four more fresh sets, EA (sha256 `ef999671…`: tower-crane drivers;
  tea-wholesale shops; badminton halls), EB (sha256 `38c4f16f…`: piano tuners; blood-donation buses;
  sea anglers), EC (sha256 `7296b489…`: karaoke night managers; office-tower guards; moving crews)
  and ED (sha256 `a31e85c4…`: renovation foremen; opera troupes; young mothers' groups), were
  written by twelve new helper sessions, started before the misses of DS to DZ were read, and
  committed unmeasured. The misses of DS to DZ then made round fifty-two's rules (a death after a
  person's fall told as yesterday's; mud, a bundle and smoke that are no people in danger; a
  sentence told of last week; an animal counted earlier in the sentence). DS to DZ joined the
  training data and the model was retrained (version 46). Sets EA, EB, EC and ED were then measured
  once each: EA, EB and ED met every target; EC missed over-escalation (1.4%). Those figures are
  reproduced by `git checkout e7a7f6d && {command}`.
- **Round fifty-three: the same code measured again.** Four more fresh sets, EE (sha256 `4b1e7982…`:
  community reading rooms; health-centre reception nurses; fishermen's wives mending nets), EF
  (sha256 `c1af9092…`: registry halls; village banquet cooks; lorry drivers at logistics parks), EG
  (sha256 `ce0d9f54…`: tour guides; stray-cat volunteers; bird-watchers) and EH (sha256 `fdccaa45…`:
  morning exercisers; shoe-factory workers; township service-hall clerks), were written by twelve
  new helper sessions, started while EA to ED were being written, and committed unmeasured before EA
  to ED were measured. No rule, word or model changed, and no misses of EA to ED were read. Sets EE,
  EF, EG and EH were then measured once each with the same code and model as EA to ED: all four met
  every target. Those figures are reproduced by `git checkout f56df4f && {command}`.
- **Round fifty-four: the same code measured a third time.** Four more fresh sets, EI (sha256
  `eb3e9a49…`: water plants and pumping stations; site-dormitory families; school-gate stationery
  shops), EJ (sha256 `a16122d2…`: group-buying pick-up points; film crews and extras;
  sightseeing-cart drivers), EK (sha256 `14d2ec75…`: a dawn running club; Taiwanese business
  families; dawn noodle shops) and EL (sha256 `b379ce95…`: aquarium keepers; tailors; travelling
  village barbers), were written by twelve new helper sessions, started once EA to EH had been
  measured, and committed unmeasured. No rule, word or model changed (only the consumers' session
  timeout, which no classification reads), and no misses of EA to EH were read. Sets EI, EJ, EK and
  EL were then measured once each with the same code and model as EA to EH: EJ and EK met every
  target; EI and EL missed under-escalation (one each). Those figures are reproduced by `git
  checkout 195f6e1 && {command}`.
- **Round fifty-five.** Four more fresh sets, EM (sha256 `7eac9b5e…`: the metro's lost-and-found
  office; Chinese-medicine clinics; hotel housekeepers), EN (sha256 `229765d0…`, 344 reports: oyster
  shuckers; primary-school pupils; flea-market volunteers), EO (sha256 `e504caf1…`: rooftop
  vegetable plots; cold-chain van drivers; landscape photographers) and EP (sha256 `ab061176…`: an
  elderly calligraphy society; driving-test stations; ex-soldier patrols), were written by twelve
  new helper sessions, started once EI to EL had been measured, and committed unmeasured. EL's
  under-escalation then made round fifty-five's rule (a death after a fire told as last night's is a
  death). EA to EL joined the training data and the model was retrained (version 47). Sets EM, EN,
  EO and EP were then measured once each: all four met every target. Those figures are reproduced by
  `git checkout 0e5a9fa && {command}`.
- **Round fifty-six: the same code measured again.** Four more fresh sets, EQ (sha256 `1323dda3…`:
  shrimp-pond farmers; bridge inspectors; a handicraft cooperative), ER (sha256 `79090a0f…`:
  lodgings for patients' families; chess players under the banyans; a patient-transfer company), ES
  (sha256 `4853b56a…`, 344 reports: cooking-school students; public-toilet cleaners; small-boat
  skippers) and ET (sha256 `06d60d3f…`: clerks typing letters of complaint; anti-fraud volunteers;
  wholesale fruit stalls), were written by twelve new helper sessions, started once EM to EP had
  been measured, and committed unmeasured. No rule, word or model changed, and no misses of EM to EP
  were read. Sets EQ, ER, ES and ET were then measured once each with the same code and model as EM
  to EP: ES met every target; EQ, ER and ET missed over-escalation. Those figures are reproduced by
  `git checkout e0f3cdf && {command}`.
- **Round fifty-seven.** Four more fresh sets, EU (sha256 `f0296e11…`: laundry and dry-cleaning
  shops; postmen and parcel sorters; a district library), EV (sha256 `eb24cdd1…`, 343 reports:
  florists; diving and swimming instructors; a touring puppet-theatre troupe), EW (sha256
  `6cab1774…`, 342 reports: an old Nanyin music club; installers of rooftop solar panels; welders of
  small workshops) and EX (sha256 `4b9904bd…`: sign-language volunteers writing for deaf residents;
  wheelchair users and their families; bookshop clerks), were written by twelve new helper sessions
  at the start of the round and committed unmeasured. Then every miss of EM to ET was read (the
  over-escalations of EQ, ER and ET first, then every grade miss of the eight) and made round
  fifty-seven's rules: an ambulance slowed or stopped on its way is a hazard of access; how bad a
  smell or the heat is, told by what it would do (臭到要昏倒), is a figure of speech; a natural
  death told in new words (自然去世, 很安详); a body found (死在棚子里), people who did not manage
  to get out of a fire (没能逃出来), a dozen who collapsed after a meal and a drowned man not
  revived are deaths or mass casualties; anger (有火气), sparks (冒火星) and a flame drawn are no
  fire. EM to ET joined the training data and the model was retrained (version 48). Sets EU, EV, EW
  and EX were then measured once each: EU and EW met every target; EV missed under-escalation (one)
  and EX over-escalation (1.9%). Those figures are reproduced by `git checkout 8672596 &&
  {command}`.
- **Round fifty-eight.** Four more fresh sets, EY (sha256 `7c1d24cc…`, 344 reports: kite flyers;
  board-game and murder-mystery shops; live-in nannies), EZ (sha256 `aa5ece52…`: customs brokers and
  freight forwarders; roadside tyre-repair stalls; installers of glass and windows), FA (sha256
  `107c96f8…`: umbrella and shoe repairers; keepers of typhoon shelters; internet-café regulars) and
  FB (sha256 `40a4f8cc…`, 343 reports: interior designers; midwives and maternity nurses; a
  racing-pigeon club), were written by twelve new helper sessions, started once EU to EX had been
  written, and committed unmeasured. Then every miss of EU to EX was read and made round
  fifty-eight's rules: a report signed word by word with commas between has its spaces removed;
  deaths told of a tenant, of crewmen, of 阿福伯, of someone cold, of a father beside a puffer fish
  named earlier; not come up since yesterday is drowned; as if dead is II, not I; twelve taken to
  hospital and thirty admitted are mass casualties; a wheelchair that cannot pass traps no one;
  shoes or plants drowned are no people; a fire named and denied. EU to EX joined the training data
  and the model was retrained (version 49). Sets EY, EZ, FA and FB were then measured once each: EY,
  FA and FB met every target; EZ missed under-escalation (one). Those figures are reproduced by
  `git checkout 30bbbd3 && {command}`.
- **Round fifty-nine.** Four more fresh sets, FC (sha256 `22586d2e…`: potters of small ceramics
  studios; land surveyors; a tai chi group at dawn), FD (sha256 `ac840c55…`: embroidery teachers;
  newspaper-kiosk keepers; sailing and rowing coaches), FE (sha256 `d8278538…`: painters of
  community murals; paragliders and kite-surfers; bamboo and rattan craftsmen) and FF (sha256
  `269e8501…`: skateboarders; night-shift cleaners of offices and malls; dragon-boat crews), were
  written by twelve new helper sessions once EY to FB had been measured, before any of their misses
  was read, and committed unmeasured (in `tests/data/blind/pending/`, where nothing reads them).
  Then every grade miss of EY to FB was read and made round fifty-nine's rules: a cry (救命) that
  opens the words after a title tells nothing; sparks that lit nothing (冒火花…没烧起来) and sparks
  every time it rains are a hazard; a hornet's nest that grows is a hazard; banners of which some
  fell (有的掉下来) are things; tools gone (吃饭的家伙都没了) are no death; a child perched on a
  seventh-floor air-conditioner unit is in danger of life; a dike washed away is III; a total of the
  sick told after them (全校加起来有十来个) are mass casualties. EY to FB joined the training data
  and the model was retrained (version 50). Sets FC, FD, FE and FF were then measured once each:
  FC, FD and FF met every target; FE missed over-escalation (1.4%). Those figures are reproduced by
  `git checkout 7855dab && {command}`.
- **Round sixty.** Four more fresh sets, FG (sha256 `bfd560ae…`: insurance claim surveyors; lawyers
  of community legal-advice desks; building-safety appraisers), FH (sha256 `f8f2c0a4…`: maritime and
  fishery patrols; blind and low-vision residents writing by voice input; a psychological-support
  hotline), FI (sha256 `29eaf4ea…`: charging-station maintenance staff; sub-landlords of village
  buildings; bus drivers) and FJ (sha256 `e508f8d5…`: street performers; public-interest litigation
  clerks; bridal makeup artists), were written by twelve new helper sessions in round fifty-nine,
  before any miss of EY to FB was read, and committed unmeasured (in `tests/data/blind/pending/`).
  Then every grade miss of FC to FF was read and made round sixty's rules: one of two poisoned who
  died (其中一个昨晚走了) and someone the ambulance crew covered with a white sheet are deaths;
  人是好的 says people are out of danger; a roof locked shuts no one in; nobody said to need
  hospital negates; shacks that spread and a drain that bubbles name no peril; a river bank burst
  and fish dead in sheets are III; an injury that keeps a father from work is the background of a
  family's need. FC to FF joined the training data and the model was retrained (version 51). Sets
  FG, FH, FI and FJ were then measured once each with that code and model: FI and FJ met every
  target; FG and FH each read one grave report too low. Those figures are reproduced by `git
  checkout c742a76 && {command}`. The two grave reports read too low (a knife threat graded IV, a
  crane driver trapped in a tilting crane) were made rules at once, in the commit after: a knife
  threat is not left standing for a round. The per-set tables below are of the code after that fix,
  so FG and FH show them read right there; both sets are no longer blind for that, and retired in
  the next round.
- **Round sixty-one.** Four more fresh sets, FK (sha256 `bf129f4c…`: night-shift taxi drivers;
  apartment sales staff; demolition crews), FL (sha256 `59940a0e…`: antique dealers; stevedores and
  container-yard workers; fish-raft farmers), FM (sha256 `241dcb2e…`: children's taekwondo coaches;
  family doctors on home visits; rural film projectionists) and FN (sha256 `1ffce5df…`:
  waterproofing workers; village seed and veterinary shops; old photo studios and watch-repair
  stalls), were written by twelve new helper sessions once FC to FF had been measured, and
  committed unmeasured (in `tests/data/blind/pending/`). Then every grade miss of FG to FJ was read
  and made round sixty-one's rules: banging on a car from outside tells of no one trapped; what
  happens every time or always is a habit; a water pipe leaking, an emergency call and privacy
  gone are no harm; a road cut (道路不通) is III. FG to FJ joined the training data and the model
  was retrained (version 52). Sets FK, FL, FM and FN were then measured once each with that code
  and model: FK and FL met every target; FM read one grave report too low and missed
  over-escalation, FN over-escalation. Those figures are reproduced by `git checkout 4bd0171 &&
  {command}`. The grave report FM read too low (an abduction graded IV) was made a rule at once, in
  the commit after, as in round sixty; the per-set tables below are of the code after that fix, so
  FM shows it read right there, and FM is no longer blind for it.
- **Round sixty-two.** Four more fresh sets, FO (sha256 `98a08bbb…`: print and seal-engraving
  shops; matchmakers; train crews), FP (sha256 `a2ce0b36…`: airport ground staff; children's art
  teachers; climbers and archers), FQ (sha256 `b49fce7c…`, 343 reports: fishing-tackle shops;
  lighting and fabric shops; tea-art teachers) and FR (sha256 `aa421e23…`: consignment shops; ship
  repairers; substitute teachers and tutors), were written by twelve new helper sessions once FG
  to FJ had been measured, and committed unmeasured (in `tests/data/blind/pending/`). Then every
  grade miss of FK to FN was read and made round sixty-two's rules: deaths told as brought up and
  gone, as an old couple who did not escape a fire, as one of three gone this morning, and a dozen
  smoke victims counted with those taken away; a man long ill died a natural death; a wife who died
  ten years ago, a threat to whoever, an injury behind a request for work or care, and people who
  sleep in a store of thinners are no harm now. FK to FN joined the training data and the model was
  retrained (version 53). Sets FO, FP, FQ and FR were then measured once each: all four met every
  target. Those figures are reproduced by `git checkout 00a9c8e && {command}`.
- **Round sixty-three.** Four more fresh sets, FS (sha256 `319291bd…`: driving-test examiners;
  food-inspection technicians; border-inspection officers), FT (sha256 `c0d08363…`: equestrian
  clubs; kindergarten health teachers; stamp and coin collectors), FU (sha256 `f3c9dc00…`:
  fortune-tellers by the temples; phone-repair stalls; wedding emcees) and FV (sha256 `6bc04ac9…`:
  village mechanics; form-fillers outside service halls; a repair café), were written by twelve new
  helper sessions once FK to FN had been measured, and committed unmeasured (in
  `tests/data/blind/pending/`). Then every grade miss of FO to FR was read and made round
  sixty-three's rules: taken to hospital then gone, swept into a channel and found dead, a doctor
  saying he is gone, and a dozen hurt told with a hedge are deaths or mass casualties; a cure
  claimed for a fracture and prevention are no harm; a hydrant locked is a thing; a bin on fire is
  a fire. FO to FR joined the training data and the model was retrained (version 54). Sets FS, FT,
  FU and FV were then measured once each: FS and FV met every target; FT read one grave report too
  low. Those figures are reproduced by `git checkout 8e34f4c && {command}`.
- **Round sixty-four.** Four more fresh sets, FW (sha256 `213ff2df…`: a lion-dance troupe;
  paper-cutting and lacquer-thread craftswomen; laver and kelp farmers), FX (sha256 `dc5d0771…`:
  disease-control field staff; guzheng teachers; fish-pond keepers), FY (sha256 `1de28813…`: hot-pot
  restaurant staff; parcel-locker staff; tugboat crews) and FZ (sha256 `d8049723…`: hydrology and
  earthquake station staff; tofu and rice-noodle workshops; nursery gardeners), were written by
  twelve new helper sessions once FO to FR had been measured, and committed unmeasured (in
  `tests/data/blind/pending/`). Then every grade miss of FS to FV was read and made round
  sixty-four's rules: stabbed and dead after hospital, and a man fished out of a flooded underpass,
  drowned, are deaths; near to blows, a stroke behind a request, a family staying indoors while a
  snake is in the yard, riders who would fall into a manhole and fainting among all an emcee has
  seen are no harm now; a gas leak made safe with everyone safe settles grade IV. FS to FV joined
  the training data and the model was retrained (version 55). Sets FW, FX, FY and FZ were then
  measured once each with that code and model: FX and FY met every target; FW and FZ each read one
  grave report too low (a man threatening to drink pesticide with the bottle open, an old man asleep
  upstairs in a burning shop), made rules at once in `4a862b9`. Those figures are reproduced by `git
  checkout 39a0bbb && {command}`.
- **Round sixty-five.** Four more fresh sets, GA (sha256 `2854ceca…`: notaries and court enforcement
  officers; street-light and water-supply repair crews; stone-yard workers), GB (sha256 `3b981075…`:
  range-hood cleaners; longan and lychee growers; quarry and sand-yard workers), GC (sha256
  `14a3cac6…`: poultry and egg farmers; phone-repair stalls; escalator and mall engineers) and GD
  (sha256 `c8cfa73f…`: jewellery and watch-repair clerks; curtain installers; well-drillers), were
  written by twelve new helper sessions once FS to FV had been measured, and committed unmeasured
  (in `tests/data/blind/pending/`). Then every grade miss of FW to FZ was read and made round
  sixty-five's rules: a dozen taken away by a clinic and a score sent to a named hospital are mass
  casualties; drowned, and an old man gone in the night, are deaths; anglers who left after fish
  died in sheets, a father's death behind a dispute, cars drowned, a car locked, a fire feared and
  rubbish burnt on purpose are no harm now. FW to FZ joined the training data and the model was
  retrained (version 56); grading was made faster without changing any reading (`9e1628c`). Sets GA,
  GB, GC and GD were then measured once each with that code and model: GA, GC and GD met every
  target; GB read one grave report too low (a threat to drink pesticide, the cap off), made a rule
  at once in `2033e88`. Those figures are reproduced by `git checkout 074db4a && {command}`.
- **Round sixty-six.** Four more fresh sets, GE (sha256 `f6a7586a…`: mushroom growers; abalone and
  sea-cucumber farmers; golf-course staff), GF (sha256 `38fba03b…`: bonsai growers; zoo and
  petting-park keepers; ice-factory and cold-chain workers), GG (sha256 `60bd7c21…`: bottled-water
  stations; soy-sauce and pickle workshops; tilers) and GH (sha256 `0efd1835…`: rice-mill workers;
  village distillers and craft brewers; stage riggers), were written by twelve new helper sessions
  once FW to FZ had been measured, and committed unmeasured (in `tests/data/blind/pending/`). Then
  every grade miss of GA to GD was read and made round sixty-six's rules: a dozen crushed, a dozen
  on oxygen, a father gone after wild mushrooms, one gone of three who drank, a workmate gone in an
  escalator pit, a man found gone after his tricycle went over, two men gone who went into a burning
  coop for the hens and a family not out of a fire are deaths or mass casualties; hens killed by
  blasting, the time after a father's death and a fire exit locked are no harm now. GA to GD joined
  the training data and the model was retrained (version 57). Sets GE, GF, GG and GH were then
  measured once each with that code and model: GE, GF and GG met every target; GH read one grave
  report too low (a knife held to a shopkeeper's neck while her customers ran out), made a rule at
  once in `ee18206`. Those figures are reproduced by `git checkout b04a0b3 && {command}`.
- **Round sixty-seven.** Four more fresh sets, GI (sha256 `e4b0e059…`: brick and pottery kilns;
  salt-pan workers and dried-seafood sellers; tropical-fruit wholesalers), GJ (sha256 `d3d222dc…`:
  candle and incense workshops; lantern makers; mattress and sofa factories), GK (sha256
  `047a302f…`: carpenters and blacksmiths; roofers and waterproofers; scaffolders and wall painters)
  and GL (sha256 `a145d7bd…`: excavator and crane-truck operators; forklift and container-yard
  workers; chimney and cooling-tower inspectors), were written by twelve new helper sessions once GA
  to GD had been measured, and committed unmeasured (in `tests/data/blind/pending/`). Then every
  grade miss of GE to GH was read and made round sixty-seven's rules: struck by lightning and gone
  after reviving is a death; a fire lane piled full, a hand crushed years ago, medicine got at a
  hospital and a cry of food poisoning said not to be one are no harm now; everyone down from a
  burning flat is safe. GE to GH joined the training data and the model was retrained (version 58).
  Sets GI, GJ, GK and GL were then measured once each with that code and model: all four met every
  target. Those figures are reproduced by `git checkout 0d52629 && {command}`.
- **Round sixty-eight.** Four more fresh sets, GM (sha256 `a36f034f…`: newsroom tip-off lines; lorry
  drivers and logistics dispatchers; new mothers' chat groups), GN (sha256 `1da9ce0a…`: field
  researchers; plumbers and drain-unblockers; retired literature teachers in a florid register), GO
  (sha256 `4c0184f1…`: bird-walkers and flower-market dealers; errand runners and home resellers;
  railway staff and the people who live beside the line) and GP (sha256 `afb89ee8…`: street
  performers and their audiences; newcomers to Xiamen; Hui and Uyghur shopkeepers writing in
  second-language Mandarin), were written by twelve new helper sessions once GI to GL had been
  measured, and committed unmeasured (in `tests/data/blind/pending/`). Then every grade miss of GI
  to GL was read and made round sixty-eight's rules: someone gassed in their sleep and a car owner
  found no longer alive in a flooded garage are deaths; people held who say they were not beaten,
  someone hemmed in by a crowd and kept from leaving, a lane or a village cut off and a landslide
  now are III; sparks from a fitting, a sky lantern fallen into woods and a wife who left beside a
  burn long past are no harm now. GI to GL joined the training data and the model was retrained
  (version 59). Sets GM, GN, GO and GP were then measured once each with that code and model: all
  four met every target. Those figures are reproduced by `git checkout 44be673 && {command}`.
- **Round sixty-nine.** Four more fresh sets, GQ (sha256 `d7f46319…`: customs and border staff; tax
  and social-insurance counters; court clerks serving documents), GR (sha256 `167f0c44…`: painters
  and calligraphers; musicians; online gamers), GS (sha256 `d26f714e…`: programmers writing bug
  tickets; foreign residents in learner's Chinese; wedding photographers) and GT (sha256
  `44f46ebd…`: amateur ball players; ferrymen and islanders; telecom installers), were written by
  twelve new helper sessions once GM to GP had been measured, and committed unmeasured (in
  `tests/data/blind/pending/`). Then every grade miss of GM to GP was read and made round
  sixty-nine's rules: a fire burning with someone still inside is danger to them whatever the
  others' safety, and 安全 inside 安全员 says no one is safe; people locked in and unhurt, a foot
  caught in a drain grate, a lift stuck, passengers in no danger for now and a hole still growing
  are III; died on the spot and no breath left are deaths; birds burnt in a shop, a fire still
  inside, a valve locked, a fire said not to be one and harm threatened on a condition are no harm
  to people now. GM to GP joined the training data and the model was retrained (version 60). Sets
  GQ, GR, GS and GT were then measured once each with that code and model: GQ and GR met every
  target; GS raised three true grade IV reports; GT read one grave report too low. Those figures are
  reproduced by `git checkout 7a9dab4 && {command}`. The grave report read too low (a drunk holding
  a ferry's master in his wheelhouse with a knife) was made a rule at once, in the commit after
  (`7cb5b80`).
- **Round seventy.** Four more fresh sets, GU (sha256 `f2f57cb5…`: school principals; film crews on
  location; archaeologists and heritage staff), GV (sha256 `000b2d3a…`: Party members' household
  visits; amateur novelists; matchmakers), GW (sha256 `27c434cc…`: campers and RV travellers;
  paddlers and sailors; cinema and stadium staff) and GX (sha256 `ee974ee3…`: Buddhist monks and
  temple volunteers; cemetery and funeral-home staff; community-corrections and anti-drug social
  workers), were written by twelve new helper sessions started before GQ to GT were measured (they
  were then in `tests/data/blind/pending/`), and committed unmeasured in the same folder. Then every
  grade miss of GQ to GT was read and made round seventy's rules: someone gone after taking a remedy
  or drinking well water, found lying and gone, said dead by the police, or crushed by a wall and
  dead is a death; several people taken ill at once and not yet well are III; a fire put out with a
  lid, wire burnt for copper, sparks or a container that fell, nobody seen trapped, a fall that only
  would be and a boardwalk broken by the sea are no harm to people; a foot stuck in a drain grate is
  people shut in. GQ to GT joined the training data and the model was retrained (version 61). Sets
  GU, GV, GW and GX were then measured once each with that code and model: GW met every target; GU
  raised three true grade IV reports; GV fell just short on the accuracy of the rest; GX read one
  grave report too low. Those figures are reproduced by `git checkout b762eb5 && {command}`. The
  grave report read too low (a drunk with a kitchen knife who had cornered a funeral-home worker)
  was made a rule at once, in the commit after (`8b2aad3`).
- **Round seventy-one.** Four more fresh sets, GY (sha256 `8a14e12c…`: water-works and sewage-plant
  operators; bank and securities staff; botanical-garden gardeners and guides), GZ (sha256
  `e17cacce…`: petition-office receptionists; bakers before dawn; traditional craftsmen), HA (sha256
  `784cafbf…`: toy and baby-goods shop owners; van drivers and porters of moving apps; maritime and
  lighthouse staff) and HB (sha256 `c0bd555e…`: forestry rangers and agricultural technicians;
  union, women's-federation and disabled-persons'-federation staff; Taoist-temple keepers and church
  volunteers), were written by twelve new helper sessions started before GU to GX were measured
  (they were then in `tests/data/blind/pending/`), and committed unmeasured in the same folder. Then
  every grade miss of GU to GX was read and made round seventy-one's rules: gone on the spot, did
  not pull through, gone after CPR, two people not out of a fire now out and a spectator struck by
  lightning are deaths; a stampede is II; many homes burgled in a night are III; a door jammed,
  nobody poisoned, no pupil hurt, a rescue excavation, a fever gone down, an old man who died in his
  sleep and the remains in a funeral home's business are no harm now. GU to GX joined the training
  data and the model was retrained (version 62). Sets GY, GZ, HA and HB were then measured once each
  with that code and model: GY, HA and HB met every target; GZ read one grave report too low. Those
  figures are reproduced by `git checkout 66e5fd5 && {command}`. The grave report read too low (an
  old woman fallen in her locked bathroom, only moaning) was made a rule at once, in the commit
  after (`7d5f93f`).
- **Round seventy-two.** Four more fresh sets, HC (sha256 `ca24bb71…`: coach-station staff and
  drivers; e-bike repairers; retired engineers), HD (sha256 `d9513a82…`: bar and night-club staff;
  theatre and acrobatics crews; traditional opera troupes), HE (sha256 `2e57ef94…`: drone and
  karting enthusiasts; sports coaches; grandchildren writing for their grandparents) and HF (sha256
  `6fbe3f0f…`: people awake late at night; group administrators forwarding posts; accountants and
  small-business owners), were written by twelve new helper sessions started before GY to HB were
  measured (they were then in `tests/data/blind/pending/`), and committed unmeasured in the same
  folder. Then every grade miss of GY to HB was read and made round seventy-two's rules: a doctor
  saying someone could not be saved after CPR is a death; a dozen people down are mass casualties by
  the policy's counts; old plastic burnt on purpose, a way blocked with a way round and a worry
  about children left locked in are no harm now. GY to HB joined the training data and the model was
  retrained (version 63). Sets HC, HD, HE and HF were then measured once each with that code and
  model: HD, HE and HF met every target; HC read one grave report too low. Those figures are
  reproduced by `git checkout 6eb39eb && {command}`. The grave report read too low (a drunk swaying
  a fruit knife among passengers) was read and left without a rule: of the training reports like it,
  their writers labelled most III.
- **Round seventy-three.** Four more fresh sets, HG (sha256 `c7de2e4d…`: opticians and hearing-aid
  shop staff; pawnshop and gold-recycling staff; newsstand and kiosk keepers), HH (sha256
  `6efdd64f…`: power-bank and vending-machine restockers; rigging and hoisting crews;
  disease-control and community-health staff), HI (sha256 `052c6bd2…`: charity and foundation
  officers; seed and farm-supply shop owners; piano tuners) and HJ (sha256 `b61562ac…`: high-rise
  window cleaners; radio call-in hosts; community-canteen volunteers), were written by twelve new
  helper sessions before any miss of HC to HF was read, and committed unmeasured in
  `tests/data/blind/pending/`. Then every grade miss of HC to HF was read and made round
  seventy-three's rules: a doctor or the ambulance crew saying someone is gone (救护车到了说没了),
  gone after eating poisoned food and carried out of a fire past saving are deaths; a dozen choked
  by smoke are mass casualties by the policy's counts; earth fallen on a road, a failing battery,
  someone standing still, a burglar inside an empty home, a smell likened to burning, oysters dead
  and a parent lost long ago in a child's story are no harm to a person now; nobody seen hurt
  (未看着人受伤) is a negation and 大家没事 says everyone is safe; a person held, told with 肯定是,
  is held. HC to HF joined the training data and the model was retrained (version 64). Sets HG, HH,
  HI and HJ were then measured once each with that code and model: HG, HH and HI met every target;
  HJ read one grave report too low. Those figures are reproduced by `git checkout f6a2f80 &&
  {command}`. The grave report read too low (a confused old man leaning out of a ninth-floor window
  as if to climb out) was made a rule at once, in the commit after (`4b3f066`).
- **Round seventy-four.** Four more fresh sets, HK (sha256 `f1bedf5b…`: aquarium-shop owners;
  bicycle and e-bike repairmen; geological-hazard watchmen of hill villages), HL (sha256
  `3369ec27…`: blind massage-shop owners dictating by voice; legal-aid lawyers; tow-truck and
  roadside-rescue crews), HM (sha256 `25a156b2…`: pest-control technicians; traffic police duty
  notes; second-hand bookstall owners) and HN (sha256 `a0548dc1…`: carpenters and tilers;
  gatekeepers of old compounds; acupuncture clinic doctors), were written by twelve new helper
  sessions before any report of HG to HJ was classified, and committed unmeasured in
  `tests/data/blind/pending/`. Then every grade miss of HG to HJ was read and made round
  seventy-four's rules: someone fallen who cannot get up, locked in and unhurt by their own word, is
  shut in (III); bodies carried out, a doctor saying gone and one of two poisoned gone in the night
  are deaths; ten people run down are mass casualties by the policy's counts; a corridor blocked by
  a shoe cabinet, welding, dizziness without fainting, a planned service and an old man found still
  in bed, of great age, are no danger now. HG to HJ joined the training data and the model was
  retrained (version 65). Sets HK, HL, HM and HN were then measured once each with that code and
  model: HK, HM and HN met every target; HL read two grave reports too low. Those figures are
  reproduced by `git checkout fcaa716 && {command}`. Of the two, an old man moaning behind his
  locked door, not answering his name, was made a rule at once, in the commit after (`9052f54`); a
  man chasing stall keepers with a cleaver was left without one, the training reports like it being
  labelled III as often as II.
- **Round seventy-five.** Four more fresh sets, HO (sha256 `29977f4a…`: driving-school instructors;
  funeral and cemetery staff; demolition and expropriation officers), HP (sha256 `39c04565…`:
  ride-hailing drivers; slaughterhouse inspectors and meat-stall keepers; vaccination and
  maternal-care nurses), HQ (sha256 `74cc9341…`: hourly domestic workers; children's welfare home
  and special-education staff; drug-rehabilitation social workers) and HR (sha256 `6909c5a7…`:
  retired cadres writing letters; cross-border e-commerce and live-streaming sellers; press
  photographers and documentary makers), were written by twelve new helper sessions before any
  report of HK to HN was classified, and committed unmeasured in `tests/data/blind/pending/`. Then
  every grade miss of HK to HN was read and made round seventy-five's rules: dug out and said dead
  is a death; the harmed named before their count and a count "at first" after harm told are mass
  casualties by the policy's counts; a steel pipe held as a prop and a wheelchair user who seldom
  comes down are no danger now; "no cry of hurt heard" is a negation. HK to HN joined the training
  data and the model was retrained (version 66). Sets HO, HP, HQ and HR were then measured once each
  with that code and model: HP, HQ and HR met every target and HO fell one report short on the
  accuracy of the rest after triage (0.9697 against 0.97); no grave report was read too low on any
  of the four. Those figures are reproduced by `git checkout fe721e4 && {command}`.
- **Round seventy-six.** Four more fresh sets, HS (sha256 `259ac880…`: bartenders and night staff;
  volunteer river patrollers; property-management repairmen), HT (sha256 `ef4bc3ff…`: yacht crews
  and marina staff; sculptors and their apprentices; seafood food-stall cooks), HU (sha256
  `f2059ddc…`: orchard owners and pickers; disinfection crews; parking attendants and toll
  collectors) and HV (sha256 `1a180501…`: dry-cleaners; parcel-station keepers; errand runners),
  were written by twelve new helper sessions before any report of HO to HR was classified, and
  committed unmeasured in `tests/data/blind/pending/`. Then every grade miss of HO to HR was read
  and made round seventy-six's rules: people others say did not get out of a fire are dead; twelve
  taken in at a hospital are mass casualties by the policy's counts; "看不到有人在里面" (nobody seen
  inside) is a negation; remains kept at the funeral home, a death after years of heart disease and
  a father in hospital named as the background of a request are no incident now; a lift that
  "关人了" shuts people in (III); vehicles struck ("好几辆都被砸了") are no people hurt; a fire told
  only as what would follow if a hazard came true ("真着火了跑不出去") settles the grade. HO to HR
  joined the training data and the model was retrained (version 67). Sets HS, HT, HU and HV were
  then measured once each with that code and model: all four met every target, no grave report was
  read too low and one true grade IV report was raised (a fruit's looks "gone", read as a death;
  made a rule in the commit after, `7fdb067`). Those figures are reproduced by `git checkout 08a19dc
  && {command}`.
- **Round seventy-seven.** Four more fresh sets, HW (sha256 `a121bdf2…`: qipao tailors; breakfast
  stall keepers; a park erhu ensemble), HX (sha256 `9c77ed47…`: lion-dance troupes; voice actors;
  subtitle translators), HY (sha256 `7750e25f…`: wreath-shop keepers; bead-embroidery pieceworkers;
  土笋冻 vendors in Minnan-flavoured speech) and HZ (sha256 `c2572acd…`: street magicians and
  buskers; amateur astronomers; nuns and lay volunteers of a small nunnery), were written by twelve
  new helper sessions before any report of HS to HV was classified, and committed unmeasured in
  `tests/data/blind/pending/`. Then every grade miss of HS to HV was read and made round
  seventy-seven's rules: "no sign of life" (没有生命迹象) is a death; a tree named as where someone
  sheltered is a place, not harm to a plant; a boat locked at a pier, a kiln or a stove burning are
  no danger; a banner pulled up tells a gathering; three (仨) children sick after lunch are several
  taken ill (III). HS to HV joined the training data and the model was retrained (version 68). Sets
  HW, HX, HY and HZ were then measured once each with that code and model: all four met every
  target, no grave report was read too low and four true grade IV reports were raised. Those figures
  are reproduced by `git checkout 04e321f && {command}`.
- **Round seventy-eight.** Four more fresh sets, IA (sha256 `8011d2c3…`: knife sharpeners; signboard
  installers; sound recordists and podcasters), IB (sha256 `528e857f…`: woodcarvers; jade and silver
  shop keepers; Go and chess players), IC (sha256 `fb78a354…`: ham-radio amateurs; violin and guitar
  teachers; basketball-court regulars) and ID (sha256 `08fba9c3…`: plasterers; sofa re-upholsterers;
  tyre repairers), were written by twelve new helper sessions before any report of HW to HZ was
  classified, and committed unmeasured in `tests/data/blind/pending/`. Then every grade miss of HW
  to HZ was read and made round seventy-eight's rules: Minnan 睏 (to sleep) is read as sleeping, not
  trapped; "挡死了" (blocked solid) is a figure of speech; "无救了" is a death; a dozen counted
  after vomiting and diarrhoea are mass casualties by the policy's counts; a stroke named with a
  request for papers, crying until breathless, voices growing louder, medicine left inside a locked
  room and a rumoured death denied are no danger now. HW to HZ joined the training data and the
  model was retrained (version 69). Sets IA, IB, IC and ID were then measured once each with that
  code and model: IB and IC met every target; IA and ID each read one grave report too low (sick
  kindergarten children whose parents hurried to hospital, read as III; a death two days after a
  stall's folk medicine, read as IV), both made rules at once, in the commit after (`ba786db`).
  Those figures are reproduced by `git checkout d088638 && {command}`.
- **Round seventy-nine.** Four more fresh sets, IE (sha256 `79741c7a…`: prosthetic-limb fitters;
  guide-dog users and trainers; stonemasons), IF (sha256 `f1d5c18a…`: seal carvers; incense makers;
  beauty-salon technicians), IG (sha256 `6859ec3e…`: wig-shop keepers; sock and glove factory
  workers; tie-dye studios) and IH (sha256 `61783bc8…`: leather-goods repairers; flower-and-bird
  market sellers; volunteer snake catchers), were written by twelve new helper sessions before any
  report of IA to ID was classified, and committed unmeasured in `tests/data/blind/pending/`. Then
  every grade miss of IA to ID was read and made round seventy-nine's rules: a cue inside another
  word ("拄拐走路", "发动不了", "用明火") is that word; "一烧起来" (once it burns) is a condition;
  "打死我都不信" is a manner of speaking; "中毒没了" is a death; "落下残疾" is harm long past; a
  fire put out with an extinguisher (喷灭) is over; louder blasting is no peril growing. IA to ID
  joined the training data and the model was retrained (version 70). Sets IE, IF, IG and IH were
  then measured once each with that code and model: IF and IG met every target; IE read one grave
  report too low (a killing told as the neighbours saying "死人了", read as IV; made a rule at once,
  in the commit after, `e253bdf`) and fell short on the accuracy of the rest (0.969); IH raised
  three true grade IV reports. Those figures are reproduced by `git checkout 672d86f && {command}`.
- **Round eighty.** Four more fresh sets, II (sha256 `8d815bd5…`: handmade-soap makers;
  valet-parking attendants; Gulangyu porters), IJ (sha256 `f692160a…`: theme-park staff; bowling and
  billiard staff; cricket-fighting hobbyists), IK (sha256 `ef4db926…`: button and zipper
  wholesalers; cosmetics counter staff; hanfu photographers) and IL (sha256 `513be446…`: florists;
  pottery teachers; figure-shop owners), were written by twelve new helper sessions before any
  report of IE to IH but the grave one and the over-escalations was read, and committed unmeasured
  in `tests/data/blind/pending/`. Then every grade miss of IE to IH was read and made round eighty's
  rules: someone fished out and "死了" is a death; three heard not to have got out of a fire are
  dead, counted with 人 as with 个; droppings that fall are things. IE to IH joined the training
  data and the model was retrained (version 71). Sets II, IJ, IK and IL were then measured once each
  with that code and model: all four met every target. Those figures are reproduced by
  `git checkout 3f3d111 && {command}`.
- **Round eighty-one.** Four more fresh sets, IM (sha256 `2fbd4caf…`: sugar-painting and
  dough-figurine artisans; medicinal-herb traders; night road-marking and asphalt crews), IN (sha256
  `b0ed6bc0…`: clan-genealogy compilers; balloon decorators; fire-extinguisher and fire-equipment
  technicians), IO (sha256 `5762566e…`: early-education teachers; sweet-soup and tofu-pudding stall
  keepers; check-in bloggers) and IP (sha256 `7c28bd89…`: formaldehyde-removal technicians;
  wedding-car drivers; Minnan storytellers), were written by twelve new helper sessions, who saw no
  miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of II
  to IL was read and made round eighty-one's rules: ten or more counted "in hospital" after
  "医院里已经住进去" are mass casualties; "三个人全没了" is a death; an injury that left someone
  without work is a family's background; "还没打出血" is negated; oil spread over hundreds of metres
  of shore or sea is a large spill (III); things locked away ("把电窑和拉坯机锁在仓库里") are no
  person shut in; smoke that "已经不冒了" is over. II to IL joined the training data and the model
  was retrained (version 72). Sets IM, IN, IO and IP were then measured once each with that code and
  model: IM, IO and IP met every target; IN read one grave report too low (a child led out of a mall
  by a woman it did not know, read as III; made a rule at once, in the commit after, `93b38ff`).
  Those figures are reproduced by `git checkout 550dc5d && {command}`.
- **Round eighty-two.** Four more fresh sets, IQ (sha256 `52a83e9f…`: guqin teachers;
  luxury-boutique staff; water-quality samplers), IR (sha256 `d7f05c28…`: village earth-god temple
  keepers; root-carving and ornamental-stone dealers; 宋江阵 troupe members), IS (sha256
  `45ca1951…`: orchid growers; claw-machine shop operators; frisbee players) and IT (sha256
  `47a37217…`: vegetarian cooks; abacus tutors; local-history walk leaders), were written by twelve
  new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of IM to IP was read and made round eighty-two's
  rules: a death counted, with a person named after it ("熏死了一个捡破烂的阿伯"), is no figure of
  speech; "送到医院今早走了" is a death; a flame taken in hand as a tool ("拿明火烤") is another
  word; "not a fire" said before a turn ("等一下", "突然") does not put out a fire that started
  since; a cue inside a saying ("一朝被蛇咬") tells nothing that happened; a car door that will not
  open shuts people in. IM to IP joined the training data and the model was retrained (version 73).
  Sets IQ, IR, IS and IT were then measured once each with that code and model: all four met every
  target. Those figures are reproduced by `git checkout 3d0ea0c && {command}`.
- **Round eighty-three.** Four more fresh sets, IU (sha256 `25d8c7f6…`: amateur saxophonists;
  spring-roll wrapper makers; lantern-riddle clubs), IW (sha256 `c68c231e…`: graffiti artists;
  building-block teachers; retirees' bands), IX (sha256 `eaec9575…`: picture framers; carpet
  cleaners; bathroom and cabinet installers) and IY (sha256 `233178a8…`: pleasure-boat operators;
  speed-cubing coaches; school counsellors), were written by twelve new helper sessions, who saw no
  miss and no rule, and committed unmeasured in `tests/data/blind/pending/` (the name IV is skipped,
  so that no set reads as a grade). Every grade miss of IQ to IT was read and made round
  eighty-three's rules: someone who "drank it, then gone" (喝了以后没了) is dead, and so are people
  pulled out "already without breath" (已经没气) and someone "confirmed gone" (确认已经走了) after
  harm; an upper floor with no lift is a matter of access, not someone shut in. A model trained once
  more, with IQ to IT (version 74). Sets IU, IW, IX and IY were then measured once each with that
  code and model: all four met every target. Those figures are reproduced by
  `git checkout 3b6beb4 && {command}`.
- **Round eighty-four.** Four more fresh sets, IZ (sha256 `bed28afe…` as frozen, `62feeef4…` as
  measured: one report, IZ2-109, was the training data's text but for its punctuation, and was taken
  out before the figures were written; ukulele and ocarina teachers; African-drum circles;
  street-dance crews), JA (sha256 `a6ae8c18…`: wheelchair basketball players; bridge club members;
  shrimp-fishing ponds), JB (sha256 `f895bdb4…`: fencing coaches; ice-rink staff; pilates and ballet
  instructors) and JC (sha256 `136dd109…`: gateball players; shuttlecock and diabolo players;
  self-drive touring clubs), were written by twelve new helper sessions, who saw no miss and no
  rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of IU to IY was
  read and made round eighty-four's rules, five of them grade I read as II: workers named by their
  work (两个做工的没了), "beyond saving" when the ambulance came or when pulled up (已经没救了),
  "breathless, gone" (喘不上气走了), and a dozen carried out of a fire counted as harmed; chest
  compressions under way are someone being revived; households cut off are a place cut off. IU to IY
  joined the training data and the model was retrained (version 75). Sets IZ, JA, JB and JC were
  then measured once each with that code and model: JB and JC met every target; IZ and JA each read
  one grave report too low (made rules at once, in the commit after, `a2fdf47`). Those figures are
  reproduced by `git checkout b4a7155 && {command}`.
- **Round eighty-five.** Four more fresh sets, JD (sha256 `6a017af1…`: knitting circles; roast-duck
  and braised-meat shops; herbal-tea stalls), JE (sha256 `6d17010f…`: rice-wine brewers; rice-cake
  makers; breakfast stalls), JF (sha256 `e579a023…`: mooncake bakeries; ice-cream sellers; candy
  wholesalers) and JG (sha256 `3c382e6d…`: honey sellers; ironing and mending shops; pickle
  workshops), were written by twelve new helper sessions, who saw no miss and no rule, and committed
  unmeasured in `tests/data/blind/pending/` (reports whose text a training or blind report already
  had were dropped first, compared as the leak check compares them). Every grade miss of IZ to JC
  was read and made round eighty-five's rules: "已经走了1个" after harm is a death, and so is an old
  woman "没了" under a fallen wall; twelve "admitted in all" by a hospital are mass casualties; a
  count whose harm is denied ("四十几个人都没受伤") counts no casualties; a child stuck who "says it
  does not hurt" is unhurt; households cut off are a place cut off. IZ to JC joined the training
  data and the model was retrained (version 76). Sets JD, JE, JF and JG were then measured once
  each with that code and model: all four met every target (one over-escalation made a rule at
  once, `2bcf2ce`). Those figures are reproduced by `git checkout 6464bce && {command}`.
- **Round eighty-six.** Four more fresh sets, JH (sha256 `aa8fda14…`: winter swimmers; triathletes;
  rafting guides), JI (sha256 `3a388f58…`: paintball field staff; VR arcade operators; darts bars),
  JJ (sha256 `dbe4c889…`: air-rifle ranges; squash coaches; baseball coaches) and JK (sha256
  `d3810188…`: rugby teams; beach-volleyball players; handball and volleyball PE teachers), were
  written by twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of JD to JG was read and made round eighty-six's
  rules: a death told after a clinic or intensive care (送到卫生院就没了, 送进ICU，今天早上走了) or
  by an ambulance crew (120来看了说没救了); someone busy in a car (有人在车里西东西) is not shut in
  it; 平平安安 and 自己爬出来 say people are safe, unless one is still down (一个还在下面);
  industrial alcohol stored, not mixed into liquor, is a hazard; someone fallen and locked in who
  says the head is fine (头不晕) is III. JD to JG joined the training data and the model was
  retrained (version 77). Sets JH, JI, JJ and JK were then measured once each with that code and
  model: JH and JJ met every target; JI read one grave report too low and JK raised three true
  grade IV reports (both made rules at once, `73eda63`). Those figures are reproduced by `git
  checkout cdc3a4c && {command}`.
- **Round eighty-seven.** Four more fresh sets, JL (sha256 `f9851f42…`: water calligraphers; kendo
  and judo clubs; boxing gyms), JM (sha256 `6157a72d…`: Latin-dance teachers; flower-arranging
  teachers; Peking-opera amateurs), JN (sha256 `e7b5550e…`: cosplayers; reptile keepers; cat-café
  staff) and JO (sha256 `56684694…`: Wing Chun and karate instructors; waist-drum teams;
  rope-skipping and spinning instructors), were written by twelve new helper sessions, who saw no
  miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of JH
  to JK was read and made round eighty-seven's rules: people who did not get out of a fire told as
  past (昨晚凌晨…烧起来了，一家三口没跑出来), or who did not manage to come out (没能出来), are
  dead; a person fished out of the water (捞上来一个人) is dead unless being revived; the people of
  a village who cannot get out are a place cut off, III; a gang smashing a shop (一伙人在砸) and
  youths with sticks in hand (手里有棍子) are III. JH to JK joined the training data and the model
  was retrained (version 78). Sets JL, JM, JN and JO were then measured once each with that code
  and model: JL, JM and JN met every target; JO read one grave report too low (made a rule at once
  with the over-escalations, `e73ea35`). Those figures are reproduced by `git checkout ee69418 &&
  {command}`.
- **Round eighty-eight.** Four more fresh sets, JP (sha256 `087c1ca0…`: soft-ball taiji teams;
  bodybuilders and weightlifters; wrestling coaches), JQ (sha256 `dcfb622d…`: orienteers; sepak
  takraw players; pickleball players), JR (sha256 `b9018a04…`: cricket players; field-hockey
  coaches; water-polo and diving coaches) and JS (sha256 `12f3d795…`: throwing coaches;
  race-walkers and trail runners; hiking-group leaders), were written by twelve new helper
  sessions, who saw no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`.
  Every grade miss of JL to JO was read and made round eighty-eight's rules: a fire not yet put out
  (还没灭掉, 火还没灭) is burning now, III; residents who cannot get out of their block are a place
  cut off, III; "别想出去" unless paid is someone held, III; a dozen "lying and sitting, vomiting"
  and taken by the ambulance that came are mass casualties, I; things locked in are no people. JL
  to JO joined the training data and the model was retrained (version 79). Sets JP, JQ, JR and JS
  were then measured once each with that code and model: JP and JS met every target; JQ and JR each
  read one grave report too low (both made rules at once, `5cef2be`). Those figures are reproduced
  by `git checkout 4482979 && {command}`.
- **Round eighty-nine.** Four more fresh sets, JT (sha256 `99dce4a5…`: power-line repair crews; gas
  emergency crews; water-main crews), JU (sha256 `5db854dc…`: railway track inspectors; metro
  drivers and station staff; bus dispatchers), JV (sha256 `408f2a27…`: foot-massage parlour staff;
  telecom installers; sewage-plant operators) and JW (sha256 `fed994a0…`: incineration-plant
  drivers; septic-tank truck crews; estate electricians), were written by twelve new helper
  sessions, who saw no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`.
  Every grade miss of JP to JS was read and made round eighty-nine's rules: 消防 before a cue is
  the fire service, not prevention ("消防抬出来一个人，盖着白布" is a death); someone choked to
  death in a place (被烟呛死在里面), gone after breathing a leak (吸了以后没了) or on the way to
  hospital (送去就没了) is dead, I; a dozen struck down, people named at the clause's end (撞倒了十
  几个下班的工人), are mass casualties, I; a death that is a funeral's occasion (过世办丧事) does
  not grade the harm after it. JP to JS joined the training data and the model was retrained
  (version 80). Sets JT, JU, JV and JW were then measured once each with that code and model: JV
  and JW met every target; JT read one grave report too low (made a rule at once with JU's two
  over-escalations, `2aff694`); JU's accuracy of the rest after triage was 0.970, just short. Those
  figures are reproduced by `git checkout 57d4ea9 && {command}`.
- **Round ninety.** Four more fresh sets, JX (sha256 `efc32a42…`: parkour practitioners; home
  bathing aides; dragon-dance troupes), JY (sha256 `969c0e1e…`: vinyl-record and hi-fi shop owners;
  koi breeders; succulent and moss-terrarium sellers), JZ (sha256 `e7e88701…`: seal carvers and
  picture mounters; stage-lighting and sound crews; toddler daycare staff) and KA (sha256
  `5c6d30ed…`: insect collectors and specimen makers; amateur fossil and mineral hunters;
  live-stream sellers), were written by twelve new helper sessions, who saw no miss and no rule,
  and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of JT to JW was read;
  one made round ninety's rule (a villager gone, 村民没了, told trailing off, is dead, I); the
  others are the writers' disagreements with the policy the docs name (about ten ill with food,
  gatherings of dozens, sick-pig slaughter). JT to JW joined the training data and the model was
  retrained (version 81). Sets JX, JY, JZ and KA were then measured once each with that code and
  model: JX, JY and KA met every target; JZ raised 4 of 207 (seven of the eight over-escalations
  made rules at once, `d0631c9`). Those figures are reproduced by `git checkout 3632002 &&
  {command}`.
- **Round ninety-one.** Four more fresh sets, KB (sha256 `2ebf4a7c…`: bungee and high-ropes staff;
  suona bands; spinning-top and diabolo players), KC (sha256 `2be0c06d…`: tug-of-war teams;
  racing-pigeon fanciers; stream-tracing guides), KD (sha256 `c24ab42a…`: cave and old-tunnel
  explorers; blacksmiths; travelling pot-menders, knife-grinders and cotton-fluffers) and KE
  (sha256 `7b2ab447…`: popcorn and street-snack pedlars; clay- and dough-figure artists;
  hot-air-balloon and paraglider crews), were written by twelve new helper sessions, who saw no
  miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of JX
  to KA was read and made round ninety-one's rules: a white sheet over someone the ambulance took (
  救护车拉走的时候盖着白布) is a death, I; an explosion as the degree of a smell (臭到爆炸) is a
  figure, and 没真爆炸 denies one; nobody coming out to see to it (没出来看) is nobody shut in; 状
  态还好 says someone shut in is out of danger. JX to KA joined the training data and the model was
  retrained (version 82). Sets KB, KC, KD and KE were then measured once each with that code and
  model: KB, KD and KE met every target; KC read one grave report too low (made a rule at once with
  the two over-escalations, `723312e`). Those figures are reproduced by `git checkout b30f1d6 &&
  {command}`.
- **Round ninety-two.** Four more fresh sets, KF (sha256 `7eaf1bf4…`: egg wholesalers; spring-roll
  and oyster-omelette stall cooks; village oil-press and rice-mill owners), KG (sha256 `4ad64284…`:
  feed and fertiliser dealers; pesticide-shop keepers and crop sprayers; tea-garden workers), KH
  (sha256 `b119a638…`: oyster farmers; duck and goose farmers; small pig-farm keepers) and KI
  (sha256 `f11594f3…`: port and container-yard hands; stone-mill and tofu-workshop families;
  seed-and-seedling sellers and allotment gardeners), were written by twelve new helper sessions,
  who saw no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade
  miss of KB to KE was read and made round ninety-two's rules: 秋千 (a swing) holds no thousand; a
  burner (燃烧器) is a device, not a fire; households cut off (村里几十户出不去) are a place cut
  off, III; and, in the taxonomy, a lost child or an elder with dementia gone missing is III, not II
  (the blind writers graded 9 lost children III and 8 IV, II only when a stranger took the child or
  it went under water; elders with dementia 75 IV, 22 III, 3 II). KB to KE joined the training data
  and the model was retrained (version 83). Sets KF, KG, KH and KI were then measured once each with
  that code and model: KF, KG and KH met every target; KI read one grave report too low (made a rule
  at once with KG's natural death, `ce61319`). Those figures are reproduced by `git checkout 3256be2
  && {command}`.
- **Round ninety-three.** Four more fresh sets, KJ (sha256 `8d9466b9…`: ceiling and partition
  fitters; floor layers; aluminium-window and stainless-steel workshop owners), KK (sha256
  `781f1224…`: neon-sign and banner installers; carton-factory workers; mould and injection-moulding
  technicians), KL (sha256 `fedb2bad…`: screw and hardware wholesalers; car-paint sprayers;
  auto-parts and battery sellers) and KM (sha256 `5e1655e0…`: motorbike-taxi riders and scooter
  repairers; bicycle and balance-scooter shop owners; picture-frame and photo-printing shop owners),
  were written by twelve new helper sessions, who saw no miss and no rule, and committed unmeasured
  in `tests/data/blind/pending/`. Every grade miss of KF to KI was read and made round
  ninety-three's rules: a death that begins inside a cue read before it is read too (被压死了 had
  been read as 被压, 煤气中毒死了 as 煤气中毒, 抢救不回来了 as 抢救); an animal named right after a
  death is what died (在烧死鸡); the ducks sold (卖的鸭子), some dead when brought, are not people;
  an oyster shed (蚝棚) is a place, not an animal. KF to KI joined the training data and the model
  was retrained (version 84). Sets KJ, KK, KL and KM were then measured once each with that code and
  model: KJ, KK and KM met every target; KL read one grave report too low (made a rule at once with
  the five over-escalations, `103589a`). Those figures are reproduced by `git checkout 434bd48 &&
  {command}`.
- **Round ninety-four.** Four more fresh sets, KN (sha256 `52e4f1a3…`: crystal and jade stall
  keepers; watch repairers and dealers; coloured-lens and beauty-device sellers), KO (sha256
  `a876ce7a…`: wedding hair and make-up stylists; stage-set and props builders; film location
  crews), KP (sha256 `d172b070…`: used-clothes collectors; home-appliance recyclers; battery-swap
  and e-bike battery shop workers) and KQ (sha256 `2073352d…`: parcel sorting-centre night shifts;
  packing and fulfilment warehouse temps; scrap-battery dismantlers), were written by twelve new
  helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of KJ to KM was read and made round ninety-four's
  rules: a blow to the head (后脑勺磕在) is an injury, so that a death told after it (听说人走了) is
  a death; the ill counted after the hospitals that hold them (卫生院和医院加起来二十多个人) are
  casualties; what 把 takes is what follows its 的 (把我们的工具锁在屋里), and 工具 or 招工 name no
  worker; 没人在里面 and 工人已经上来了 say everyone is safe, and the learned guess of grade III may
  then still raise a report from IV. KJ to KM joined the training data and the model was retrained
  (version 85). Sets KN, KO, KP and KQ were then measured once each with that code and model: KO and
  KP met every target; KN read two grave reports too low and KQ one, and KQ raised 3 of 206 (made
  rules at once with six of the seven over-escalations, `de51ab8`). Those figures are reproduced by
  `git checkout 2dde58b && {command}`.
- **Round ninety-five.** Four more fresh sets, KR (sha256 `94d91e70…`: fish-ball and five-spice-roll
  workshop hands; museum and memorial-hall guards and docents; night-run club members), KS (sha256
  `5e8b93f6…`: after-school tutoring and homework-club teachers; bedding and quilt-shop workers;
  late-night snack stall owners), KT (sha256 `581a138c…`: solar water-heater and rooftop PV
  installers; mushroom growers; hotel and guesthouse front-desk night clerks) and KU (sha256
  `8ecd6210…`: leather-goods and shoe-factory workers; garment and textile workshop sewers;
  furniture-factory and woodworking-shop hands), were written by twelve new helper sessions, who saw
  no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of
  KN to KQ was read and made round ninety-five's rules: 已经没起了 is 没气了 as a voice typed it,
  and 烧没了一个人 a death by fire; 一死两住院 counts the dead; 不行了 followed by vomiting or fever
  is very unwell, not dead; harm denied after it (一个受伤的都没有) is negated; boiling water (在烧
  水) is no fire; a workshop shut (作坊被关了) shuts in no one; someone in a stuck lift who says
  they are fine is shut in, out of danger. KN to KQ joined the training data and the model was
  retrained (version 86). Sets KR, KS, KT and KU were then measured once each with that code and
  model: KR, KS and KT met every target; KU fell just short on the accuracy of the rest after triage
  (0.967), and no grave report was read too low (the four over-escalations were made rules at once,
  `ca9ca02`). Those figures are reproduced by `git checkout a4bc1ac && {command}`.
- **Round ninety-six.** Four more fresh sets, KV (sha256 `685eaa57…`: electronics-factory
  assembly-line workers; paper-mill hands; straw-hat and grass-mat weavers), KW (sha256 `f91a050c…`:
  cash-in-transit escorts and bank guards; ear-cleaning and scalp-care parlour staff; phone-repair
  stall keepers), KX (sha256 `c301814c…`: street-tree pruning crews; grain-and-oil shop keepers;
  bean-sprout and tofu-skin workshop hands) and KY (sha256 `e2c6ba02…`: pastry and mooncake bakery
  workers; ice-block and cold-drink suppliers; paint and hardware shop keepers), were written by
  twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of KR to KU was read and made round ninety-six's
  rules: 喝了…没醒过来，死了 is a death; 水没进来, 没人被蛰 and 没被打 say people shut in or held
  are out of danger; a hornets' nest poked (马蜂窝被人捅了) is no stabbing; a door pressed shut (把
  铁门压住了) counts no casualties; a safety door locked (安全门被锁) is a hazard; 出不去散步 keeps
  a walk from, nobody shut in; a cry for help that turned out to be a quarrel is nothing; steam
  leaking from a vessel is no gas leak; 当场不动了 after a blow is a death; people leaving a danger
  now (都在往外撤) is III; 不严重 and 没有人被划伤 keep the learned guess from raising to II. KR to
  KU joined the training data and the model was retrained (version 87). Sets KV, KW, KX and KY were
  then measured once each with that code and model: KW, KX and KY met every target; KV read one
  grave report too low (made a rule at once, `0095486`), and 1 of 825 true grade IV was raised.
  Those figures are reproduced by `git checkout ae3452c && {command}`.
- **Round ninety-seven.** Four more fresh sets, KZ (sha256 `77a2930f…`: signage installers; cable-TV
  and broadband installers; managers of paid self-study rooms), LA (sha256 `ff5c8dad…`:
  car-detailing and wash-bay workers; Buddhist-supply shop keepers; fire-equipment sellers), LB
  (sha256 `2d184703…`: wet-market pork butchers; soy-milk and fried-dough makers; concrete
  pump-truck operators) and LC (sha256 `b57dc42d…`: construction supervisors and site surveyors;
  hotel linen-laundry hands and dishwashers; supermarket cashiers and shelf stockers), were written
  by twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of KV to KY was read and made round ninety-seven's
  rules: Minnan words are read as their Mandarin (毋是 negates, 攏 is 都, 火烧厝 is a house on fire,
  囝仔 a child), and a saying (火烧厝，毋是讲笑的) tells nothing that happened; 发现一个死人 is a
  death; a hospital that took those counted (卫生院载去的有十七八个) counts casualties; what a
  passive cue describes (被冲出来的水泥块) is a thing; the smell of a leak beside stored cylinders
  (有点漏气的味道) is a hazard; extinguishers locked away are things; 人没受伤 and 租户都下来了 keep
  the learned guess from raising to II. KV to KY joined the training data and the model was
  retrained (version 88). Sets KZ, LA, LB and LC were then measured once each with that code and
  model: KZ, LA and LB met every target; LC raised 3 of 207, no grave report was read too low, and
  five of the six over-escalations were made rules at once (`500de6b`). Those figures are reproduced
  by `git checkout 5dc9329 && {command}`.
- **Round ninety-eight.** Four more fresh sets, LD (sha256 `52328120…`: foundry and casting workshop
  hands; post-office counter clerks and rural postmen; sporting-goods shop staff), LE (sha256
  `0749caa6…`: fibreglass and resin workshop workers; vaccination-clinic nurses;
  physiotherapy-clinic assistants), LF (sha256 `9c7cfe32…`: wire-and-cable factory workers; LED lamp
  assembly hands; umbrella and raincoat factory workers) and LG (sha256 `4aef2df3…`: chick and
  duckling hatchery workers; sugarcane-juice sellers; sweet-potato and asparagus farmers), were
  written by twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of KZ to LC was read and made round ninety-eight's
  rules: a car still in a flooded underpass after its driver climbed out is no person inside; goods
  that cannot be got out are things; a pothole growing with no collapse named is a road defect. KZ
  to LC joined the training data and the model was retrained (version 89). Sets LD, LE, LF and LG
  were then measured once each with that code and model: LE, LF and LG met every target; LD fell one
  report short on the accuracy of the rest after triage (0.970), no grave report was read too low,
  and the one over-escalation was made a rule at once (`8fcc865`). Those figures are reproduced by
  `git checkout 96ebc96 && {command}`.
- **Round ninety-nine.** Four more fresh sets, LH (sha256 `c450c655…`: drainage-network inspectors;
  village banquet cooks; septic-tank and grease-trap pumping crews), LI (sha256 `322081a1…`:
  calligraphy, painting and picture-framing shop keepers; music-school teachers and parents; amateur
  football league referees), LJ (sha256 `18a15cca…`: kitchen exhaust-duct cleaners; part-time
  leaflet distributors; copy, print and ID-photo shop staff) and LK (sha256 `0abb780b…`:
  lock-factory workers; lift installation and repair fitters; rice-porridge and intestine-noodle
  shop owners), were written by twelve new helper sessions, who saw no miss and no rule, and
  committed unmeasured in `tests/data/blind/pending/`. Every grade miss of LD to LG was read and
  made round ninety-nine's rules: Minnan 讲 where a doctor says someone is gone is a death, and 没代
  志 says people are safe; people lying down in a wage protest with no one hurt are protesting; an
  old person kept on an upper floor with no lift is a matter of access; "人没撞到" says no harm was
  done and people carried to a refuge are safe. LD to LG joined the training data and the model was
  retrained (version 90). Sets LH, LI, LJ and LK were then measured once each with that code and
  model: LI, LJ and LK met every target; LH raised 4 of 208, no grave report was read too low, and
  five of the six over-escalations were made rules at once (`0eafed7`). Those figures are reproduced
  by `git checkout bea051f && {command}`.
- **Round one hundred.** Four more fresh sets, LL (sha256 `7632d41e…`: dental-lab technicians; crews
  of small fishing boats; beekeepers), LM (sha256 `43c75c0b…`: traffic-signal maintenance crews;
  tobacco-and-liquor shop keepers; traditional pastry bakers), LN (sha256 `9cc53c0b…`: piano tuners;
  exhibition-stand builders; rosewood-furniture workshop hands) and LO (sha256 `541bf6d9…`:
  bathhouse and sauna attendants; carvers and painters of temple statues; quarry and tunnel blasting
  crews), were written by twelve new helper sessions, who saw no miss and no rule, and committed
  unmeasured in `tests/data/blind/pending/`. Every grade miss of LH to LK was read and made round
  one hundred's rules: a body cold long since is a death, and so is someone gone at home after a
  poison; water kept out of a bus keeps those inside out of danger; a crowd around a car with people
  who dare not get out is people hemmed in; everyone withdrawn off a pitch is safe. LH to LK joined
  the training data and the model was retrained (version 91). Sets LL, LM, LN and LO were then
  measured once each with that code and model: all four met every target; no grave report was read
  too low, and the one over-escalation was made a rule at once (`f10a745`). Those figures are
  reproduced by `git checkout 86401d9 && {command}`.
- **Round one hundred and one.** Four more fresh sets, LP (sha256 `f86692fb…`: cemetery
  groundskeepers; dried-seafood shop keepers; old-building restoration craftsmen), LQ (sha256
  `23b675a5…`: post-renovation cleaning crews; CCTV and low-voltage installers; boiler stokers), LR
  (sha256 `2613c6df…`: egg wholesalers; pickle and sauce workshop workers; roast-meat shop cooks)
  and LS (sha256 `77df7320…`: roasted sweet-potato and chestnut vendors; ice-cream freezer-van
  drivers; electric-vehicle charger installers), were written by twelve new helper sessions, who saw
  no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of
  LL to LO was read and made round one hundred and one's rules: a glow seen inside is a fire
  burning; a boat aground with people aboard is people shut in; "没抢救回来" and someone carried
  down "and gone" are deaths; people cut off beyond a blocked road are not trapped. LL to LO joined
  the training data and the model was retrained (version 92). Sets LP, LQ, LR and LS were then
  measured once each with that code and model: LP, LQ and LS met every target; LR raised 3 of 207,
  no grave report was read too low, and five of the six over-escalations were made rules at once
  (`98a3f17`). Those figures are reproduced by `git checkout 1e88d92 && {command}`.
- **Round one hundred and two.** Four more fresh sets, LT (sha256 `1cb08d1d…`: rebar workers;
  scaffolders; racing-pigeon keepers), LU (sha256 `8752fda0…`: razor-clam and hard-clam farmers;
  fish and shrimp fry hatchery workers; pomelo and guava orchard keepers), LV (sha256 `d6ad7461…`:
  tree-nursery workers; well drillers; a travelling opera troupe) and LW (sha256 `1690914e…`:
  optical shop staff; bicycle repair stall keepers; plasterers and bricklayers), were written by
  twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of LP to LS was read and made round one hundred and
  two's rules: a person found after a fire "and gone" and someone failing, then gone, are deaths; a
  driver who jumps down from a vehicle has left it; a flame allowed in a lease and a roast-goose
  shop are no fire. LP to LS joined the training data and the model was retrained (version 93). Sets
  LT, LU, LV and LW were then measured once each with that code and model: LT, LV and LW met every
  target; LU read 2 of 78 grave reports too low, made rules at once with two of the three
  over-escalations (`7122a52`). Those figures are reproduced by `git checkout 5d3328c && {command}`.
- **Round one hundred and three.** Four more fresh sets, LX (sha256 `cde0c26a…`: central-kitchen and
  group-meal catering workers; Shaxian snack shop owners; malatang and skewer stall keepers), LY
  (sha256 `ee3a6816…`: coffee-bean roasters and small café owners; flour-noodle and rice-vermicelli
  workshop hands; candied-fruit factory workers), LZ (sha256 `9f278688…`: bamboo weavers and basket
  makers; tinsmiths and sheet-metal duct makers; flag and banner makers) and MA (sha256 `1743c76f…`:
  tent and marquee rental crews; mirror and glass-cutting shop workers; seasoning and spice
  wholesalers), were written by twelve new helper sessions, who saw no miss and no rule, and
  committed unmeasured in `tests/data/blind/pending/`. Every grade miss of LT to LW was read and
  made round one hundred and three's rules: someone lying still and cold, a body counted with 具, a
  family name with 伯 or 婆 who died, one struck down with no breath and those found after a fire
  "and gone" are deaths; people who have climbed out of a flooded culvert are safe. LT to LW joined
  the training data and the model was retrained (version 94). Sets LX, LY, LZ and MA were then
  measured once each with that code and model: LX, LY and MA met every target; LZ read 1 of 78 grave
  reports too low, made a rule at once with the four over-escalations (`367c94c`). Those figures are
  reproduced by `git checkout 1820498 && {command}`.
- **Round one hundred and four.** Four more fresh sets, MB (sha256 `de20a842…`: temple caretakers
  and incense sellers; dental-clinic nurses; septic-tank and drain-dredging crews), MC (sha256
  `43e69ca3…`: wonton and grass-jelly stall keepers; squid and seafood-drying workshop hands;
  light-box and shop-sign installers), MD (sha256 `aa8d75d0…`: security-camera and alarm installers;
  wine and imported-liquor shop clerks; decoction-room workers at herbal-medicine shops) and ME
  (sha256 `d7f45f44…`: scenic-area ropeway and sightseeing-car staff; safe and strongbox sellers;
  glutinous-rice ball and 麻糍 makers), were written by twelve new helper sessions, who saw no miss
  and no rule, and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of LX to MA
  was read and made round one hundred and four's rules: 俩 or 仨 after 有 counts people gone; a
  machine's own flame is no fire; households of elders in a village cut off are a place cut off; a
  lift switched off is a matter of access; dozens counted in a chat group are not gathered. LX to MA
  joined the training data and the model was retrained (version 95). Sets MB, MC, MD and ME were
  then measured once each with that code and model: MB, MC and MD met every target; ME read 1 of 78
  grave reports too low (a knife held, no one hurt, which writers grade both ways), and five of the
  six over-escalations were made rules at once (`8098249`). Those figures are reproduced by `git
  checkout d4ff9d4 && {command}`.
- **Round one hundred and five.** Four more fresh sets, MF (sha256 `200d516e…`: medicinal-cuisine
  restaurant cooks; peanut-candy shop workers; pile-driving crews), MG (sha256 `5c9f8b4c…`:
  tunnel-boring crews on metro lines; geological survey and drilling staff; ancestral-hall keepers
  and clan elders), MH (sha256 `d38c81e9…`: youth-hostel front-desk staff; private tutoring-centre
  teachers; exam invigilators and marking staff) and MI (sha256 `2208b4f6…`: laboratory technicians
  at a testing lab; curtain-wall installers and high-rise window cleaners; floor-heating and
  tile-grout installers), were written by twelve new helper sessions, who saw no miss and no rule,
  and committed unmeasured in `tests/data/blind/pending/`. Every grade miss of MB to ME was read and
  made round one hundred and five's rules: a fire going strong now is III even where waste is burnt
  on purpose; a dozen struck are mass casualties; the people a falling tree kills are counted after
  it; medics who say someone is gone, and someone who falls and is gone, tell deaths; a passbook
  locked in a safe is a thing; a hoist stuck in mid-air is the cage that cannot move. MB to ME
  joined the training data and the model was retrained (version 96). Sets MF, MG, MH and MI were
  then measured once each with that code and model: all four met every target, and the one
  over-escalation was made a rule at once (`506e80a`). Those figures are reproduced by `git checkout
  09ba907 && {command}`.
- **Round one hundred and six.** Four more fresh sets, MJ (sha256 `17773f81…`: road-clearance and
  breakdown-recovery crews; gravestone carvers; steamed-bun makers), MK (sha256 `27eea0cf…`:
  fried-rice-noodle night stall cooks; old-style teahouse staff; tea pickers), ML (sha256
  `f17dbce9…`: salt-pan workers; grain-depot keepers; irrigation-canal keepers) and MM (sha256
  `5b5cf6dd…`: forest rangers and fire lookouts; county-road maintenance crews; video editors), were
  written by twelve new helper sessions, who saw no miss and no rule, and committed unmeasured in
  `tests/data/blind/pending/`. Every grade miss of MF to MI was read and made round one hundred and
  six's rules: a group taken ill that a doctor told mild is III, not the II its drip or clinic would
  make it (the policy's new `grading.counts.mildly_ill`, five people, no children among them);
  twelve workers all vomiting now are mass casualties; a man struck by lightning and carried home
  gone, and an old man gone the night he breathed the fumes of dumped drums, are deaths; a fight
  with no blood drawn yet is not raised to II by the learned guess. MF to MI joined the training
  data and the model was retrained (version 97). Sets MJ, MK, ML and MM were then measured once each
  with that code and model: MJ, MK and MM met every target; ML read 1 of 78 grave reports too low (a
  man chasing people with a fish-gutting knife), made a rule at once with the three over-escalations
  (`87dcc03`). Those figures are reproduced by `git checkout e195f99 && {command}`.
- **Round one hundred and seven.** Four more fresh sets, MN (sha256 `93e2c64a…`: coastal wind-farm
  technicians; shoe shiners and shoe-repair stall keepers; dog trainers), MO (sha256 `c021d99d…`:
  bottled-gas and briquette delivery men; a retired veterans' volunteer team; a travelling circus
  and acrobat troupe), MP (sha256 `5a89b334…`: opticians; e-sports cafe night staff and game
  companions; porters with carrying poles) and MQ (sha256 `138f5e22…`: customs inspectors at the
  port; tour guides on Gulangyu; old-house restoration masons), were written by twelve new helper
  sessions, who saw no miss and no rule, and committed unmeasured in `tests/data/blind/pending/`.
  Every grade miss of MJ to MM was read and made round one hundred and seven's rules: "没枪救过来"
  is a death (枪 for 抢, a slip of pinyin input); people lying where a crowd was struck are counted
  over the whole sentence; two people held in a car a crowd surrounds, no one laying a hand on them,
  are III; "人都没伤" says people shut in are unhurt; "整天关在房里" is every day, not someone shut
  in now. MJ to MM joined the training data and the model was retrained (version 98). Sets MN, MO,
  MP and MQ were then measured once each with that code and model: MN, MO and MQ met every target;
  MP read 3 of 78 grave reports too low, two of them made rules at once with two of the three
  over-escalations (`531ccab`). Those figures are reproduced by `git checkout 7d2e84c && {command}`.
- **Round one hundred and eight.** Four more fresh sets, MR (sha256 `9306ecd5…`: forging and
  metal-workshop hands; crab and shellfish wholesalers; braised-goose and roast-duck shop owners),
  MS (sha256 `941c2a8c…`: cattle and dairy-farm hands; mango and lychee orchard growers;
  farm-machinery operators and harvest crews), MT (sha256 `b6405bf9…`: speedboat and sea-taxi
  operators; calligraphy-supplies and ink-stone shop keepers; goat and sheep herders) and MU (sha256
  `745cc3f4…`: brick-hauling and site-cleaning labourers; bus and coach drivers; warehouse stock
  keepers), were written by twelve new helper sessions, who saw no miss and no rule, and committed
  unmeasured in `tests/data/blind/pending/`. Every grade miss of MN to MQ was read and made round
  one hundred and eight's rules: a group told mild is III also where a count of ten or more would
  make it I (people a doctor calls fine are no casualties), and a group on its feet and out of
  hospital is told mild; "十来" and "二十几" count ten and twenty; those a hospital took in are
  counted; "淹死了一样" is a likeness, not a death. MN to MQ joined the training data and the model
  was retrained (version 99). Sets MR, MS, MT and MU are measured for the first time, once each with
  that code and model (`{command}` at the commit that wrote this file); C and D are printed, marked.
- The figures of the classifier before all of this, on set A, are in
  `docs/classification-baseline.txt`, with the command that reproduces them.

"""

DOC_TAIL = """
## Where the targets are missed, and why

Only the tables above were read to write this, and the over-escalations of MS, MT and MU (listed
after their measurement, to say what they are; no grave report of MR to MU was read too low); the
other misses of MR to MU were not read, so that none is tuned against (the misses of B and E through
V, of Y through DZ, of EM to MQ and the under-escalations of EI and EL were, and all of those sets
are training data now, as are W, X and EA to EL, whose other misses were never read; so were the
over-escalations of C and D, which are marked no longer blind).

- **Sets MR to MU, measured once each with round one hundred and eight's code and model v99, are the
  honest figures of this work's last code. MR, MT and MU meet every target; MS misses one, the
  accuracy of the rest after triage (0.966, target 0.97); over the four, no true grave report read
  too low (0 of 312) and 3 of 828 true grade IV raised (0.4%); grade exact 0.974–0.991.**
  - The over-escalations: MS, two left-behind children cooking for themselves while their
    grandfather is in hospital, "俩孩子自己做饭上学" (raised to II by the learned guess); MT, two
    boatmen quarrelling over passengers, "吵了一早上了" (raised to II by the learned guess); MU, a
    man in a wheelchair whose door renovation materials blocked, already moved, "门口被装修材料挡住
    了出不来，我们帮他挪了" (出不来 read as someone shut in where there is danger, II). The last was
    made a rule at once, in the commit after the measurement ("帮他挪了": the way cleared, over);
    the two the learned guess raised are left; MU is no longer blind for it.
  - MR: category 0.983, grade 0.980, start level and unit 0.983, over-escalation 0 of 207, triage
    4.9% with the rest 0.982, calibration 0.017. MS: category 0.968, grade 0.974, start level and
    unit 0.962, over-escalation 1 of 207 (0.5%), triage 4.9% with the rest 0.966, calibration 0.023.
    MT: category 0.971, grade 0.991, start level and unit 0.988, over-escalation 1 of 207 (0.5%),
    triage 5.8% with the rest 0.975, calibration 0.017. MU: category 0.983, grade 0.991, start level
    and unit 0.986, over-escalation 1 of 207 (0.5%), triage 6.7% with the rest 0.984, calibration
    0.023.
- **Sets MN to MQ, measured once each with round one hundred and seven's code and model v98.** MN,
  MO and MQ met every target; MP read 3 of 78 true grave reports too low (two made rules at once); 3
  of 828 true grade IV raised (0.4%, two made rules at once). All their grade misses were read for
  round one hundred and eight's rules.
- **Sets MJ to MM, measured once each with round one hundred and six's code and model v97.** MJ, MK
  and MM met every target; ML read 1 of 78 true grave reports too low (made a rule at once); 3 of
  827 true grade IV raised (0.4%, all three made rules at once). All their grade misses were read
  for round one hundred and seven's rules.
- **Sets MF to MI, measured once each with round one hundred and five's code and model v96.** All
  four met every target; no true grave report read too low; 1 of 828 true grade IV raised (0.1%,
  made a rule at once). All their grade misses were read for round one hundred and six's rules.
- **Sets MB to ME, measured once each with round one hundred and four's code and model v95.** MB, MC
  and MD met every target; ME read 1 of 78 true grave reports too low (a knife held, no one hurt:
  writers disagree); 6 of 826 true grade IV raised (0.7%, five made rules at once). All their grade
  misses were read for round one hundred and five's rules.
- **Sets LX to MA, measured once each with round one hundred and three's code and model v94.** LX,
  LY and MA met every target; LZ read 1 of 78 true grave reports too low (made a rule at once); 4 of
  825 true grade IV raised (0.5%, all four made rules at once). All their grade misses were read for
  round one hundred and four's rules.
- **Sets LT to LW, measured once each with round one hundred and two's code and model v93.** LT, LV
  and LW met every target; LU read 2 of 78 true grave reports too low (both made rules at once); 3
  of 828 true grade IV raised (0.4%, two made rules at once). All their grade misses were read for
  round one hundred and three's rules.
- **Sets LP to LS, measured once each with round one hundred and one's code and model v92.** LP, LQ
  and LS met every target; LR raised 3 of 207; no true grave report read too low; 6 of 827 true
  grade IV raised (0.7%, five made rules at once). All their grade misses were read for round one
  hundred and two's rules.
- **Sets LL to LO, measured once each with round one hundred's code and model v91.** All four met
  every target; no true grave report read too low; 1 of 828 true grade IV raised (0.1%, made a rule
  at once). All their grade misses were read for round one hundred and one's rules.
- **Sets LH to LK, measured once each with round ninety-nine's code and model v90.** LI, LJ and LK
  met every target; LH raised 4 of 208; no true grave report read too low; 6 of 829 true grade IV
  raised (0.7%, five made rules at once). All their grade misses were read for round one hundred's
  rules.
- **Sets LD to LG, measured once each with round ninety-eight's code and model v89.** LE, LF and LG
  met every target; LD fell one report short on the accuracy of the rest after triage (0.970); no
  true grave report read too low; 1 of 827 true grade IV raised (0.1%, made a rule at once). All
  their grade misses were read for round ninety-nine's rules.
- **Sets KZ to LC, measured once each with round ninety-seven's code and model v88.** KZ, LA and LB
  met every target; LC raised 3 of 207; no true grave report read too low; 6 of 827 true grade IV
  raised (0.7%, five made rules at once). All their grade misses were read for round ninety-eight's
  rules.
- **Sets KV to KY, measured once each with round ninety-six's code and model v87.** KW, KX and KY
  met every target; KV read one true grave report too low (made a rule at once); 1 of 825 true grade
  IV raised (0.1%). All their grade misses were read for round ninety-seven's rules.
- **Sets KR to KU, measured once each with round ninety-five's code and model v86.** KR, KS and KT
  met every target; KU fell just short on the accuracy of the rest after triage (0.967); no true
  grave report read too low; 4 of 828 true grade IV raised (0.5%, all four made rules at once). All
  their grade misses were read for round ninety-six's rules.
- **Sets KN to KQ, measured once each with round ninety-four's code and model v85.** KO and KP met
  every target; KN read two true grave reports too low and KQ one (all three made rules at once,
  with six of the seven over-escalations); 7 of 824 true grade IV raised (0.8%). All their grade
  misses were read for round ninety-five's rules.
- **Sets KJ to KM, measured once each with round ninety-three's code and model v84.** KJ, KK and KM
  met every target; KL read one true grave report too low (made a rule at once, with the five
  over-escalations); 5 of 825 true grade IV raised (0.6%). All their grade misses were read for
  round ninety-four's rules.
- **Sets KF to KI, measured once each with round ninety-two's code and model v83.** KF, KG and KH
  met every target; KI read one true grave report too low (made a rule at once, with KG's natural
  death); 4 of 826 true grade IV raised (0.5%). All their grade misses were read for round
  ninety-three's rules.
- **Sets KB to KE, measured once each with round ninety-one's code and model v82.** KB, KD and KE
  met every target; KC read one true grave report too low (made a rule at once, with the two
  over-escalations); 2 of 825 true grade IV raised (0.2%). All their grade misses were read for
  round ninety-two's rules.
- **Sets JX to KA, measured once each with round ninety's code and model v81.** JX, JY and KA met
  every target; JZ raised 4 of 207 (1.9%); no true grave report read too low (0 of 313); 8 of 826
  true grade IV raised (1.0%), seven of them made rules at once. All their grade misses were read
  for round ninety-one's rules.
- **Sets JT to JW, measured once each with round eighty-nine's code and model v80.** JV and JW met
  every target; JT read one true grave report too low (made a rule at once, with JU's two
  over-escalations); JU's accuracy of the rest after triage was 0.970 (321 of 331); 2 of 827 true
  grade IV raised (0.2%). All their grade misses were read for round ninety's rules.
- **Sets JP to JS, measured once each with round eighty-eight's code and model v79.** JP and JS met
  every target; JQ and JR each read one true grave report too low (both made rules at once); 3 of
  827 true grade IV raised (0.4%). All their grade misses were read for round eighty-nine's rules.
- **Sets JL to JO, measured once each with round eighty-seven's code and model v78.** JL, JM and JN
  met every target; JO read one true grave report too low (made a rule at once, with the five
  over-escalations); 5 of 827 true grade IV raised (0.6%). All their grade misses were read for
  round eighty-eight's rules.
- **Sets JH to JK, measured once each with round eighty-six's code and model v77.** JH and JJ met
  every target; JI read one true grave report too low and JK raised 3 of 206 (all made rules at
  once); over the four 5 of 825 true grade IV raised (0.6%). All their grade misses were read for
  round eighty-seven's rules.
- **Sets JD to JG, measured once each with round eighty-five's code and model v76.** All four met
  every target; no true grave report read too low (0 of 312); 3 of 827 true grade IV raised (0.4%).
  All their grade misses were read for round eighty-six's rules.
- **Sets IZ to JC, measured once each with round eighty-four's code and model v75.** JB and JC met
  every target; IZ and JA each read one true grave report too low (both made rules at once); 1 of
  828 true grade IV raised (0.1%). All their grade misses were read for round eighty-five's rules.
- **Sets IU to IY, measured once each with round eighty-three's code and model v74.** All four met
  every target; no true grave report read too low (0 of 312); 5 of 825 true grade IV raised (0.6%).
  All their grade misses were read for round eighty-four's rules.
- **Sets IQ to IT, measured once each with round eighty-two's code and model v73.** All four met
  every target; no true grave report read too low (0 of 312); 3 of 827 true grade IV raised (0.4%).
  All their grade misses were read for round eighty-three's rules.
- **Sets IM to IP, measured once each with round eighty-one's code and model v72.** IM, IO and IP
  met every target; IN read one true grave report too low (made a rule at once); 5 of 828 true grade
  IV raised (0.6%). All their grade misses were read for round eighty-two's rules.
- **Sets II to IL, measured once each with round eighty's code and model v71.** All four met every
  target; no true grave report read too low (0 of 312); 1 of 828 true grade IV raised (0.1%). All
  their grade misses were read for round eighty-one's rules.
- **Sets IE to IH, measured once each with round seventy-nine's code and model v70.** IF and IG met
  every target; IE read one true grave report too low (made a rule at once) and fell short on the
  accuracy of the rest (0.969); 5 of 829 true grade IV raised (0.6%), three of them on IH. All their
  grade misses were read for round eighty's rules.
- **Sets IA to ID, measured once each with round seventy-eight's code and model v69.** IB and IC met
  every target; IA and ID each read one true grave report too low (both made rules at once); 6 of
  826 true grade IV raised (0.7%). All their grade misses were read for round seventy-nine's rules.
- **Sets HW to HZ, measured once each with round seventy-seven's code and model v68.** All four met
  every target; no true grave report read too low (0 of 312); 4 of 826 true grade IV raised (0.5%).
  All their grade misses were read for round seventy-eight's rules.
- **Sets HS to HV, measured once each with round seventy-six's code and model v67.** All four met
  every target; no true grave report read too low (0 of 312); 1 of 828 true grade IV raised (0.1%;
  made a rule at once). All their grade misses were read for round seventy-seven's rules.
- **Sets HO to HR, measured once each with round seventy-five's code and model v66.** HP, HQ and HR
  met every target; HO fell one report short on the accuracy of the rest after triage (0.9697); no
  true grave report read too low (0 of 312); 6 of 828 true grade IV raised (0.7%). All their grade
  misses were read for round seventy-six's rules.
- **Sets HK to HN, measured once each with round seventy-four's code and model v65.** HK, HM and HN
  met every target; HL read two true grave reports too low (one made a rule at once, the other left
  without one: writers label a knife chase III as often as II); 7 of 827 true grade IV raised
  (0.8%). All their grade misses were read for round seventy-five's rules.
- **Sets HG to HJ, measured once each with round seventy-three's code and model v64.** HG, HH and HI
  met every target; HJ read one true grave report too low (made a rule at once); 4 of 827 true grade
  IV raised (0.5%). All their grade misses were read for round seventy-four's rules.
- **Sets HC to HF, measured once each with round seventy-two's code and model v63.** HD, HE and HF
  met every target; HC read one true grave report too low (a knife swayed among passengers; no rule,
  the training labels disagreeing); 5 of 826 true grade IV raised (0.6%). All their grade misses
  were read for round seventy-three's rules.
- **Sets GY to HB, measured once each with round seventy-one's code and model v62.** GY, HA and HB
  met every target; GZ read one true grave report too low (made a rule at once); 1 of 828 true grade
  IV raised (0.1%). All their grade misses were read for round seventy-two's rules.
- **Sets GU to GX, measured once each with round seventy's code and model v61.** GW met every
  target; GU raised 3 of 208 true grade IV reports (1.4%); GV fell short on the accuracy of the rest
  (0.969); GX read one true grave report too low (made a rule at once); 8 of 829 true grade IV
  raised (1.0%). All their grade misses were read for round seventy-one's rules.
- **Sets GQ to GT, measured once each with round sixty-nine's code and model v60.** GQ and GR met
  every target; GS raised 3 of 207 true grade IV reports (1.4%); GT read one true grave report too
  low (made a rule at once); 7 of 825 true grade IV raised (0.8%). All their grade misses were read
  for round seventy's rules.
- **Sets GM to GP, measured once each with round sixty-eight's code and model v59.** All four met
  every target; no true grave report read too low (0 of 312); 4 of 827 true grade IV raised (0.5%).
  All their grade misses were read for round sixty-nine's rules.
- **Sets GI to GL, measured once each with round sixty-seven's code and model v58.** All four met
  every target; no true grave report read too low (0 of 312); 1 of 827 true grade IV raised (0.1%).
  All their grade misses were read for round sixty-eight's rules.
- **Sets GE to GH, measured once each with round sixty-six's code and model v57.** GE, GF and GG met
  every target; GH read one true grave report too low (made a rule at once); 5 of 828 true grade IV
  raised (0.6%). All their grade misses were read for round sixty-seven's rules.
- **Sets GA to GD, measured once each with round sixty-five's code and model v56.** GA, GC and GD
  met every target; GB read one true grave report too low (made a rule at once); 3 of 824 true grade
  IV raised (0.4%). All their grade misses were read for round sixty-six's rules.
- **Sets FW to FZ, measured once each with round sixty-four's code and model v55.** FX and FY met
  every target; FW and FZ each read one true grave report too low (both made rules at once); 2 of
  828 true grade IV raised (0.2%). All their grade misses were read for round sixty-five's rules.
- **Sets FS to FV, measured once each with round sixty-three's code and model v54.** FS and FV met
  every target; FT read one true grave report too low (workers trapped unhurt behind a tunnel
  collapse, read III) and raised 3 of 208 true grade IV reports (1.4%); FU raised 3 of 207 (1.4%).
  Over the four, 1 of 313 true grave reports was read too low and 6 of 829 true grade IV raised
  (0.7%). All their grade misses were read for round sixty-four's rules (the tunnel collapse stays a
  miss: its label is the outlier among writers, who label people trapped unhurt III).
- **Sets FO to FR, measured once each with round sixty-two's code and model v53.** All four met
  every target: no true grave report read too low (0 of 312), 2 of 826 true grade IV raised (0.2%),
  grade exact 0.983–0.994. All their grade misses made round sixty-three's rules.
- **Sets FK to FN, measured once each with round sixty-one's code and model v52.** FK and FL met
  every target; FM read one true grave report too low (made a rule at once) and raised 3 of 207
  true grade IV reports (1.4%); FN raised 3 of 207 (1.4%). Over the four, 1 of 312 true grave
  reports was read too low and 8 of 828 true grade IV raised (1.0%). All their other grade misses
  made round sixty-two's rules.
  - FM's under-escalation: a schoolgirl pulled into a white van by force, the van gone ("一个女孩子
    放学被一辆白色面包车上的人硬拉上车"), read IV: the table knows 强行拉上车 and 拖上车, not
    硬拉上车. **An abduction graded general.** The over-escalations: a drunk man shouting that he
    would kill whoever looked at him, nothing in his hands (砍死谁, read as a death: I); an old man
    found dead in bed, long ill (一直有病: not among the words of a natural death, I); a widower
    whose wife died ten years ago (老伴走了十来年, read as a death now: I); a broken bone behind a
    request for a care bed (骨折后一直躺着) and an injured leg behind a request for work
    (腿伤了干不了重活), read as harm now (II); someone sleeping in a warehouse of thinners
    (有人在里面, II); and two raised to II by the learned grade alone (p 0.26 and 0.43), families in
    hardship.
  - FK: category 0.980, grade 0.977, start level and unit 0.974, over-escalation 1 of 207 (0.5%),
    triage 5.5% with the rest 0.979, calibration 0.029. FL: category 0.988, grade 0.980, start level
    and unit 0.959, over-escalation 1 of 207 (0.5%), triage 4.9% with the rest 0.988, calibration
    0.026. FM: category 0.994, grade 0.968, start level and unit 0.962, triage 5.8% with the rest
    0.994, calibration 0.025. FN: category 0.988, grade 0.971, start level and unit 0.957, triage
    4.9% with the rest 0.988, calibration 0.030.
- **Sets FG to FJ, measured once each with round sixty's code and model v51.** FI and FJ met every
  target; FG read one true grave report too low and missed the accuracy of the rest after triage
  (0.963); FH read one too low, raised 3 of 207 true grade IV reports (1.4%) and missed the accuracy
  of the rest (0.966). Over the four, 2 of 312 true grave reports were read too low and 6 of 828
  true grade IV raised (0.7%). The two grave ones made rules at once, all their other grade misses
  round sixty-one's.
  - The two under-escalations: a caller telling of a drunk neighbour holding a kitchen knife at the
    door, saying he will kill his wife, a child inside
    ("来电者说邻居喝醉了拿着菜刀堵在门口，说要砍死 老婆", FH): the caller's 说 before the knife read
    it as a weapon only named in a threat, and the report was graded IV, **a knife threat graded
    general**; and a tower crane's jib tilting with the driver trapped in the cab dozens of metres
    up, the tower still swaying (FG): the cab made it "shut in, out of danger", III. FH's
    over-escalations: a live dolphin stranded in the shallows and a scaffold where workers wear no
    harness (both raised to II by the learned grade, p 0.38 and 0.82), and a village where one must
    climb a hill to call an ambulance (急救电话: read as first aid given). FG's and FH's category
    accuracy (0.965, 0.957) is lower than on the twelve sets before them (EU to FF: 0.977–0.994).
  - FG: category 0.965, grade 0.980, start level and unit 0.968, over-escalation 0 of 207, triage
    5.5% with the rest 0.963, calibration 0.017. FH: category 0.957, grade 0.962, start level and
    unit 0.942, triage 6.1% with the rest 0.966, calibration 0.028. FI: category 0.980, grade 0.986,
    start level and unit 0.980, over-escalation 2 of 207 (1.0%), triage 4.6% with the rest 0.979,
    calibration 0.018. FJ: category 0.980, grade 0.983, start level and unit 0.980, over-escalation
    1 of 207 (0.5%), triage 5.8% with the rest 0.985, calibration 0.018.
- **Sets FC to FF, measured once each with round fifty-nine's code and model v50.** FC, FD and FF
  met every target; FE raised 3 of 207 true grade IV reports (1.4%). No set read a true grave
  report too low: 0 of 312. Over the four, 4 of 828 true grade IV reports were raised (0.5%). All
  their grade misses made round sixty's rules.
  - FE's three over-escalations, all from one writer (a mural painter's, whose reports tell of
    families in hardship): a father injured and out of work (男的受伤干不了活, an injury told as the
    background of a family's need, read as harm now), a ten-year-old alone at home since the
    grandmother went into hospital (raised to II by the learned grade, p 0.39), and a stray dog with
    a broken leg lying by the road (raised to II by the learned grade, p 0.25).
  - FC: category 0.988, grade 0.971, start level and unit 0.980, over-escalation 1 of 207 (0.5%),
    triage 6.4% with the rest 0.988, calibration 0.016. FD: category 0.991, grade 0.983, start
    level and unit 0.971, over-escalation 0 of 207, triage 4.9% with the rest 0.991, calibration
    0.012. FE: category 0.983, grade 0.977, start level and unit 0.965, triage 5.8% with the rest
    0.985, calibration 0.022. FF: category 0.988, grade 0.971, start level and unit 0.974,
    over-escalation 0 of 207, triage 4.9% with the rest 0.988, calibration 0.018.
- **Sets EY to FB, measured once each with round fifty-eight's code and model v49.** EY, FA and FB
  met every target; EZ read one true grave report too low. Over the four, 1 of 312 true grave
  reports was read too low and 3 of 825 true grade IV raised (0.4%). All their misses made round
  fifty-nine's rules.
  - EZ's under-escalation: a child who climbed out of a window and stands on an air-conditioner unit
    on the seventh floor, no adult at home ("一个小孩爬出窗户站在7楼空调外机上了"): no cue names a
    person on an outdoor unit, and the learned grade gave III. The three over-escalations: a cry for
    help that opens a theft report ("救命 店里两台switch…被偷了"), banners fallen across a road
    (横幅…掉下来), and tools stolen from a van, "吃饭的家伙都没了" (one's livelihood gone, read as
    people gone).
  - EY (344 reports, 206 true grade IV): category 0.988, grade 0.980, start level and unit 0.974,
    over-escalation 1 of 206 (0.5%), triage 5.8% with the rest 0.991, calibration 0.020. EZ:
    category 0.977, grade 0.983, start level and unit 0.977, over-escalation 2 of 207 (1.0%), triage
    4.6% with the rest 0.976, calibration 0.017. FA: category 0.991, grade 0.986, start level and
    unit 0.983, over-escalation 0 of 207, triage 6.7% with the rest 0.994, calibration 0.022. FB
    (343 reports, 205 true grade IV): category 0.985, grade 0.994, start level and unit 0.994,
    over-escalation 0 of 205, triage 5.5% with the rest 0.985, calibration 0.015.
- **Sets EU to EX, measured once each with round fifty-seven's code and model v48.** EU and EW met
  every target; EV read one true grave report too low, and EX raised 4 of 207 true grade IV reports
  (1.9%). Over the four, 1 of 312 true grave reports was read too low and 5 of 823 true grade IV
  raised (0.6%). All their misses made round fifty-eight's rules.
  - EV's under-escalation: a tenant found dead in a rented room, wounded, the room ransacked
    ("发现租客死在里面，身上有伤"): 租客 is not among the people round fifty-seven's rule for "死在"
    names, and the learned grade gave III, **a death graded III**. EV's one over-escalation: shoes
    "drowned" in a puddle, said in jest ("鞋子全淹死了哈哈": 淹死 read as a death). EX's four: three
    from one writer, a wheelchair user's, whose reports tell where a wheelchair cannot pass
    (坐轮椅出不去, 坐轮椅就下不去: read as people trapped) or an old injury behind a dispute
    (摔伤后坐轮椅, read as harm now), and one raised by the learned grade alone (night piling that
    shakes a deaf family's bed, p 0.27).
  - EU: category 0.994, grade 0.974, start level and unit 0.974, over-escalation 0 of 207, triage
    4.3% with the rest 0.994, calibration 0.015. EV (343 reports, 205 true grade IV): category
    0.988, grade 0.968, start level and unit 0.974, over-escalation 1 of 205 (0.5%), triage 5.2%
    with the rest 0.988, calibration 0.016. EW (342 reports, 204 true grade IV): category 0.988,
    grade 0.977, start level and unit 0.980, over-escalation 0 of 204, triage 5.3% with the rest
    0.988, calibration 0.014. EX: category 0.977, grade 0.965, start level and unit 0.962, triage
    4.3% with the rest 0.976, calibration 0.012.
- **Sets EM to ET, eight sets measured once each with round fifty-five's code and model v47 in
  rounds fifty-five and fifty-six.** Five of the eight met every target (EM, EN, EO, EP and ES); EQ,
  ER and ET missed over-escalation (4, 7 and 3 of 207 true grade IV reports raised: 1.9%, 3.4% and
  1.4%). No set read a true grave report too low (0 of 624); 18 of 1,654 true grade IV reports were
  raised (1.1%). All their misses made round fifty-seven's rules.
  - Round fifty-six: the fourteen over-escalations of EQ, ER and ET are of kinds the rules know,
    told in words they miss: an ambulance slowed by parked cars, stalls or dust (救护车…开不过去,
    只敢开二十码, 要按半天喇叭: three); a natural death told to ask about papers (自然去世;
    在床上走了，很安详: two); a wife who left (老婆走了); a sign that would fall (掉下来可不得了);
    rubbish dumped by the road (倒在路边); a stench "enough to faint" (臭到要昏倒); patients in a
    van retching at a stench (人在车里); a shrimp farmer's losses (盐度掉下来，死了一半: shrimp);
    and three raised by the learned grade alone (a child alone at home crying at the window, p 0.49;
    a phone scam, p 0.22; smoke of paper money burnt in a stairwell, p 0.32). Five of ER's seven
    come from one writer, a patient-transfer company's, whose reports name ambulances and patients
    throughout. EQ: category 0.988, grade 0.965, start level and unit 0.968, triage 6.1% with the
    rest 0.991, calibration 0.021. ER: category 0.986, grade 0.959, start level and unit 0.957,
    triage 5.2% with the rest 0.985, calibration 0.021. ES (344 reports, 206 true grade IV):
    category 0.971, grade 0.977, start level and unit 0.974, over-escalation 1 of 206 (0.5%), triage
    5.2% with the rest 0.972, calibration 0.021. ET: category 0.971, grade 0.980, start level and
    unit 0.959, triage 5.2% with the rest 0.976, calibration 0.014.
  - Round fifty-five: all four met every target, 0 of 312 true grave reports read too low and 3 of
    827 true grade IV raised (0.4%). EM: category 0.991, grade 0.988, start level and unit 0.991,
    over-escalation 0 of 207, triage 5.5% with the rest 0.994, calibration 0.022. EN (344 reports,
    206 true grade IV): category 0.988, grade 0.974, start level and unit 0.977, over-escalation 1
    of 206 (0.5%), triage 5.2% with the rest 0.991, calibration 0.015. EO: category 0.991, grade
    0.977, start level and unit 0.971, over-escalation 1 of 207 (0.5%), triage 5.5% with the rest
    0.991, calibration 0.026. EP: category 0.986, grade 0.968, start level and unit 0.983,
    over-escalation 1 of 207 (0.5%), triage 4.6% with the rest 0.985, calibration 0.013.
- **Sets EA to EL, twelve sets measured once each with round fifty-two's code and model v46 in
  rounds fifty-two to fifty-four.** Nine of the twelve met every target (all but EC, EI and EL); EC
  raised 3 of 207 true grade IV reports (1.4%), and EI and EL each read one true grave report too
  low. Over the twelve, 2 of 936 true grave reports were read too low and 12 of 2,484 true grade IV
  raised (0.5%). EL's under-escalation made round fifty-five's rule.
  - Round fifty-four: EI read one true grave report too low: people cut off by the rising tide on a
    rock, "脚下还是干的，但潮还在涨" (III by the rules, danger rising but not yet upon them; the
    writer judged II). EL read one: an old woman bedridden on a third floor who could not be carried
    out of last night's fire and was confirmed dead this morning ("没能抬出来，今天早上确认去世了"):
    the fire was read as past, the death was not counted beside it, and "楼里其他人都没事" kept the
    learned grade from raising it, **a death graded IV**, of the same kind as DW's (round
    fifty-two's rule counts a death after a person's fall told as past, not after a fire). EI:
    category 0.988, grade 0.971, start level and unit 0.965, over-escalation 1 of 207 (0.5%), triage
    6.7% with the rest 0.994, calibration 0.032. EJ: category 0.997, grade 0.974, start level and
    unit 0.974, over-escalation 1 of 207 (0.5%), triage 6.7% with the rest 0.997, calibration 0.023.
    EK: category 0.994, grade 0.974, start level and unit 0.988, over-escalation 0 of 207, triage
    6.4% with the rest 0.994, calibration 0.015. EL: category 0.988, grade 0.968, start level and
    unit 0.971, over-escalation 0 of 207, triage 4.6% with the rest 0.988, calibration 0.018.
  - Round fifty-three: EE (77 true grave, 208 true grade IV): category 0.991, grade 0.974, start
    level and unit 0.968, over-escalation 2 of 208 (1.0%), triage 6.1% with the rest 0.994,
    calibration 0.027. EF (79 true grave, 206 true grade IV): category 0.988, grade 0.962, start
    level and unit 0.959, over-escalation 0 of 206, triage 4.9% with the rest 0.988, calibration
    0.023. EG: category 0.974, grade 0.959, start level and unit 0.957, over-escalation 2 of 207
    (1.0%), triage 5.5% with the rest 0.979, calibration 0.015. EH: category 0.988, grade 0.971,
    start level and unit 0.971, over-escalation 1 of 207 (0.5%), triage 5.5% with the rest 0.988,
    calibration 0.018.
  - Round fifty-two: EA: category 0.986, grade 0.971, start level and unit 0.971, over-escalation 0
    of 207, triage 5.8% with the rest 0.985, calibration 0.024. EB: category 0.988, grade 0.986,
    start level and unit 0.986, over-escalation 0 of 207, triage 6.1% with the rest 0.991,
    calibration 0.023. EC: category 0.980, grade 0.980, start level and unit 0.971, triage 5.2% with
    the rest 0.979, calibration 0.024. ED: category 0.986, grade 0.983, start level and unit 0.977,
    over-escalation 2 of 207 (1.0%), triage 5.2% with the rest 0.985, calibration 0.024.

- **Sets DS to DZ, eight sets measured once each with round fifty's code and model v45 in rounds
  fifty and fifty-one.** Five of the eight met every target (DS, DT, DU, DX and DZ); DV and DW
  each read one true grave report too low, and DY raised 3 of 207 true grade IV reports (1.4%).
  Over the eight, 2 of 624 true grave reports were read too low and 8 of 1,656 true grade IV
  raised (0.5%). Their misses made round fifty-two's rules.
  - Round fifty-one: DW read one true grave report too low: an old man who fell into an open
    manhole in the night and was found dead in the morning ("昨晚一个老伯掉下去，今早才被发现，
    已经去世了": the fall was read as past, and 去世 counts only beside harm that counts), a
    death graded IV. DW: category 0.980, grade 0.965, start level and unit 0.957,
    over-escalation 1 of 207 (0.5%), triage 6.1% with the rest 0.985, calibration 0.023. DX:
    category 0.986, grade 0.965, start level and unit 0.959, over-escalation 1 of 207 (0.5%),
    triage 4.9% with the rest 0.985, calibration 0.018. DY: category 0.988, grade 0.965, start
    level and unit 0.962, triage 5.5% with the rest 0.988, calibration 0.019. DZ: category
    0.980, grade 0.974, start level and unit 0.968, over-escalation 1 of 207 (0.5%), triage 5.5%
    with the rest 0.979, calibration 0.032.
  - Round fifty: DV read one true grave report too low (a man waving a kitchen knife at a market
  and cursing, "暂时没砍到人": a knife waved, not chasing anyone, is III by the rules, and the
  writer judged II). Over the four, 1 of 312 true grave reports was read too low and 2 of 828
  true grade IV were raised (0.2%). DS: category 0.983, grade 0.980, start level and unit
  0.974, over-escalation 2 of 207 (1.0%), triage 5.5% with the rest 0.982, calibration 0.016.
  DT: category 0.977, grade 0.974, start level and unit 0.980, over-escalation 0 of 207, triage
  4.6% with the rest 0.976, calibration 0.019. DU: category 0.983, grade 0.983, start level and
  unit 0.977, over-escalation 0 of 207, triage 5.5% with the rest 0.985, calibration 0.031. DV:
  category 0.980, grade 0.988, start level and unit 0.977, over-escalation 0 of 207, triage
  6.1% with the rest 0.985, calibration 0.014.
- **Sets DK to DR, eight sets measured once each with one code and model (v44) in rounds forty-eight
  and forty-nine.** No set read a true grave report too low (0 of 624). Three of the eight met every
  target (DK, DQ and DR); over-escalation was missed by four (DL 4 of 207, 1.9%; DM, DO and DP 3 of
  207, 1.4%), and the accuracy of the rest after triage by two (DN 0.970, 318 of 328; DO 0.963).
  Over the eight, 17 of 1,654 true grade IV reports were raised to II or I (1.0%); their
  over-escalations made round fifty's rules.
  - Round forty-eight: DK: category 0.988, grade 0.968, start level and unit 0.968,
    over-escalation 1 of 207 (0.5%), triage 5.5% with the rest 0.988, calibration 0.029. DL:
    category 0.986, grade 0.974, start level and unit 0.968, triage 5.5% with the rest 0.985,
    calibration 0.020. DM: category 0.980, grade 0.959, start level and unit 0.945, triage 3.8%
    with the rest 0.979, calibration 0.033. DN (343 reports, 205 true grade IV): category 0.968,
    grade 0.991, start level and unit 0.983, over-escalation 1 of 205 (0.5%), triage 4.4%,
    calibration 0.023.
  - Round forty-nine: DO: category 0.962, grade 0.977, start level and unit 0.951, triage 4.9%,
    calibration 0.020. DP: category 0.986, grade 0.965, start level and unit 0.962, triage 6.1%
    with the rest 0.988, calibration 0.017. DQ: category 0.988, grade 0.974, start level and
    unit 0.977, over-escalation 0 of 207, triage 4.9% with the rest 0.988, calibration 0.031.
    DR: category 0.983, grade 0.977, start level and unit 0.971, over-escalation 2 of 207
    (1.0%), triage 5.5% with the rest 0.985, calibration 0.019.
- **Round forty-seven's sets** (model v43): DG and DI met every target; DH raised 4 of 207 true
  grade IV reports (1.9%), and DJ read one true grave report too low (a girl who fainted by the
  road in a chemical plant's yellow smoke, "有一个女孩子直接晕在路边了": 晕在 was no cue then,
  and the learned grade gave III). DG: category 0.986,
  grade 0.986, start level and unit 0.977, over-escalation 1 of 207 (0.5%), triage 7.0% with
  the rest 0.988, calibration 0.015. DH: category 0.983, grade 0.965, start level and unit
  0.962, triage 7.0% with the rest 0.984, calibration 0.012. DI (344 reports, 206 true grade
  IV): category 0.994, grade 0.965, start level and unit 0.971, over-escalation 1 of 206 (0.5%),
  triage 5.5% with the rest 0.994, calibration 0.026. DJ: category 0.974, grade 0.977, start
  level and unit 0.971, over-escalation 2 of 207 (1.0%), triage 5.2% with the rest 0.976,
  calibration 0.025. Over the four, 1 of 312 true grave reports was read too low and 8 of 827
  true grade IV were raised (1.0%).
- **Round forty-six's sets** (the code and model v42 of round forty-four): DC and DE met every
  target; DD read one true grave report too low, and DF raised 3 of 207 true grade IV reports
  (1.4%). DC: category 0.983, grade 0.954, start level and unit 0.968,
  over-escalation 1 of 207 (0.5%), triage 7.0% with the rest 0.988, calibration 0.015. DD:
  category 0.983, grade 0.965, start level and unit 0.959, over-escalation 0 of 207, triage
  7.2% with the rest 0.991, calibration 0.022. DE (77 true grave, 208 true grade IV): category
  0.986, grade 0.988, start level and unit 0.971, over-escalation 0 of 208, triage 6.7% with the
  rest 0.984, calibration 0.013. DF: category 0.971, grade 0.957, start level and unit 0.945,
  triage 7.0% with the rest 0.981, calibration 0.031.
- **Rounds forty-four to forty-six measured one code (model v42) on twelve sets** (CU to DF):
  six met every target (CU, CV, CX, DB, DC and DE). CW, CY, CZ, DA and DD each read one true
  grave report too low (the four of CW to DA: a son hit by quarry rock, "被砸破了，缝了七针",
  with 被砸 read as the roof's; a woman dragged by a motorbike thief, "膝盖和手肘都磨烂了"; a son
  held for ransom, read as shut in; harm from a health product, "肝功能异常，现住中山医院治疗");
  CZ missed the rest after triage (0.966) and DF over-escalation (1.4%). Over the twelve sets 5
  of 935 true grave reports were read too low and 10 of 2,485 true grade IV were raised (0.4%).
- **Round forty-five's sets** (the same code): CY: category 0.986, grade 0.983, start level and
  unit 0.988, over-escalation 0 of 207, triage 7.2% with the rest 0.991, calibration 0.019. CZ:
  category 0.965, grade 0.974, start level and unit 0.959, over-escalation 1 of 207 (0.5%),
  triage 5.8%, calibration 0.030. DA: category 0.980, grade 0.974, start level and unit 0.965,
  over-escalation 1 of 207 (0.5%), triage 7.0% with the rest 0.981, calibration 0.026. DB:
  category 0.986, grade 0.988, start level and unit 0.968, over-escalation 0 of 207, triage 5.2%
  with the rest 0.985, calibration 0.016.
- **Round forty-four's sets**: CU: category 0.974, grade 0.962, start level and unit 0.959,
  over-escalation 1 of 207 (0.5%), triage 7.0% with the rest 0.978, calibration 0.018. CV:
  category 0.983, grade 0.971, start level and unit 0.962, over-escalation 0 of 207, triage 7.2%
  with the rest 0.991, calibration 0.023. CW: category 0.986, grade 0.968, start level and unit
  0.959, over-escalation 2 of 207 (1.0%), triage 7.2% with the rest 0.991, calibration 0.018.
  CX: category 0.986, grade 0.968, start level and unit 0.971, over-escalation 1 of 207 (0.5%),
  triage 7.0% with the rest 0.991, calibration 0.019.
- **Round forty-three measured model v41 on four sets**: none met every target; each read one
  or two true grave reports too low (five of 311), and CQ also raised 3 of 207 true grade IV
  (1.4%); every other target was met on all four. Their misses made round forty-four's rules.
  CQ: category 0.988, grade 0.977, start level and unit 0.968, triage 6.7% with the rest 0.991,
  calibration 0.017. CR: category 0.968, grade 0.965, start level and unit 0.968,
  over-escalation 0 of 207, triage 7.0% with the rest 0.972, calibration 0.022. CS: category
  0.980, grade 0.983, start level and unit 0.971, over-escalation 1 of 207 (0.5%), triage 6.4%
  with the rest 0.985, calibration 0.020. CT (344 reports, 77 true grave): category 0.983,
  grade 0.980, start level and unit 0.974, over-escalation 2 of 207 (1.0%), triage 7.8% with
  the rest 0.991, calibration 0.025.
- **Round forty-two measured the code before (model v40) on four sets**: CN and CP met every
  target; CM missed over-escalation (3 of 207, 1.4%), CO under-escalation (one). CM: category
  0.974, grade 0.962, start level and unit 0.959, triage 7.0% with the rest 0.978, calibration
  0.012. CN: category 0.983, grade 0.965, start level and unit 0.962, over-escalation 2 of 207
  (1.0%), triage 6.4% with the rest 0.985, calibration 0.029. CO: category 0.971, grade 0.962,
  start level and unit 0.965, over-escalation 2 of 207 (1.0%), triage 6.1% with the rest 0.978,
  calibration 0.021. CP: category 0.991, grade 0.980, start level and unit 0.974,
  over-escalation 1 of 207 (0.5%), triage 6.4% with the rest 0.994, calibration 0.026. Their
  misses made round forty-three's rules.
- **Round forty-one measured model v39 on four sets**: CI met every target;
  CJ missed over-escalation (1.9%), CK over-escalation (14 of 207, 6.8%: 11 of them by one
  writer for relatives, who mostly dated what they reported by a stay in hospital, "我妈住院前…")
  and start level and unit (0.899), CL under-escalation (one). Their misses made round
  forty-two's rules.
- **Rounds thirty-eight to forty measured one code (model v38) on twelve sets** (BW to CH): nine met
  every target; BX missed the accuracy of the rest after triage (0.966), CE over-escalation (1.4%)
  and CG under-escalation (one). Over those twelve sets 1 of 936 true grave reports was read too low
  and 16 of 2,485 true grade IV reports were raised (0.6%). Their misses then made round forty-one's
  rules, and the code that came of them met every target on one set of four; round forty-two's, on
  two of four; round forty-three's, on none of four; round forty-four's, on three of four, then on
  one of four more in round forty-five and on two of four in round forty-six; round forty-seven's,
  on two of four; round forty-eight's, on three of eight; round fifty's, on five of eight; round
  fifty-two's, on nine of twelve; round fifty-five's, on four of four, then on one of four more;
  round fifty-seven's, on two of four; round fifty-eight's, on three of four; round fifty-nine's, on
  three of four; round sixty's, on two of four; round sixty-one's, on two of four; round
  sixty-two's, on four of four; round sixty-three's, on two of four; round sixty-four's, on two of
  four; round sixty-five's, on three of four; round sixty-six's, on three of four; round
  sixty-seven's, on four of four; round sixty-eight's, on four of four; round sixty-nine's, on two
  of four; round seventy's, on one of four; round seventy-one's, on three of four; round
  seventy-two's, on three of four; round seventy-three's, on three of four; round seventy-four's, on
  three of four; round seventy-five's, on three of four; round seventy-six's, on four of four; round
  seventy-seven's, on four of four; round seventy-eight's, on two of four; round seventy-nine's, on
  two of four; round eighty's, on four of four; round eighty-one's, on three of four; round
  eighty-two's, on four of four; round eighty-three's, on four of four; round eighty-four's, on two
  of four; round eighty-five's, on four of four; round eighty-six's, on two of four; round
  eighty-seven's, on three of four; round eighty-eight's, on two of four; round eighty-nine's, on
  two of four; round ninety's, on three of four; round ninety-one's, on three of four; round
  ninety-two's, on three of four; round ninety-three's, on three of four; round ninety-four's, on
  two of four; round ninety-five's, on three of four; round ninety-six's, on three of four; round
  ninety-seven's, on three of four; round ninety-eight's, on three of four; round ninety-nine's, on
  three of four; round one hundred's, on four of four; round one hundred and one's, on three of
  four; round one hundred and two's, on three of four; round one hundred and three's, on three of
  four; round one hundred and four's, on three of four; round one hundred and five's, on four of
  four; round one hundred and six's, on three of four; round one hundred and seven's, on three of
  four; round one hundred and eight's, on three of four. Per set, the targets were met about three
  times in four at best before round fifty-two, and about one time in two over the twenty-eight sets
  before DS: not yet reliably.
- **Round thirty-seven measured the code before on four sets**: BS, BT and BV met every
  target; BU missed under-escalation (four, all from one writer who wrote Minnan words into
  Mandarin), start level and unit (0.919) and the rest after triage (0.966). Over those four
  sets 4 of 312 true grave reports were read too low and 7 of 827 true grade IV raised (0.8%).
- **Rounds thirty-five and thirty-six measured one code on four sets**: BO and BP met every
  target; BQ missed under-escalation (one) and over-escalation (1.9%), BR over-escalation
  (1.4%): 1 of 312 true grave reports read too low and 9 of 828 true grade IV raised (1.1%).
- **Rounds twenty-nine and thirty measured one code on four sets**: BC and BD met every
  target; BE missed under-escalation (one) and over-escalation (2.4%), BF under-escalation
  (two). The targets are met on some fresh sets and not on others, so they are not met
  reliably.
- **A hundred and three rounds of fresh sets (K to MU, 119,978 reports written by 1,044 writers).**
  The share sent to triage is met on 347 of 348 (not Y); grade exact (0.899–0.994) and calibration
  on 347 (not X); start level and unit on 339 (not P, T, X, Y, AA, AJ, BN, BU, CK); category on 339
  (all but K, L, O, Q, W, X, Y, AD, AH); over-escalation on two hundred and ninety-three (K, L, M,
  O, R, S, W, X, Z, AA, AD, AE, AG, AH, AI, AL, AM, AN, AO, AP, AQ, AR, AT, AU, AV, AW, AZ, BA, BC,
  BD, BF, BH, BJ, BK, BL, BO, BP, BS to CD, CF, CG, CH, CI, CL, CN, CO, CP, CR, CS, CT, CU to DE,
  DG, DI, DJ, DK, DN, DQ, DR, DS to DX, DZ, EA, EB, ED to EP, ES, EU, EV, EW, EY to FD, FF, FG, FI
  to FL, FO to FS, FV to GR, GT, GV to IG, II to JJ, JL to JY, KA to KP, KR to LB, LD to LG, LI to
  LQ, LS to MU); the accuracy of the rest after triage on three hundred and nineteen (all but K, L,
  O, P, Q, T, W, X, AA, AD, AH, AJ, AR, AT, BL, BU, BX, CZ, DN, DO, FG, FH, GV, HO, IE, JU, KU, LD,
  MS); under-escalation on two hundred and sixty-one (K, N, S, T, V, AA, AC, AD, AG, AI, AJ, AK, AL,
  AP, AQ, AS, AT, AV, AY, AZ, BA, BC, BD, BH, BJ, BN, BO, BP, BR, BS, BT, BV, BW to CD, CE, CF, CH,
  CI, CJ, CK, CM, CN, CP, CU, CV, CX, DB, DC, DE, DF, DG, DH, DI, DK to DR, DS, DT, DU, DX, DY, DZ,
  EA to EH, EJ, EK, EM to ET, EU, EW, EX, EY, FA, FB, FC to FF, FI to FL, FN to FS, FU, FV, FX, FY,
  GA, GC to GG, GI to GS, GU, GV, GW, GY, HA, HB, HD to HI, HK, HM to HZ, IB, IC, IF to IM, IO to
  IY, JB to JH, JJ to JN, JP, JS, JU to KB, KD to KH, KJ, KK, KM, KO, KP, KR to KU, KW to LT, LV to
  LY, MA to MD, MF to MK, MM to MO, MQ to MU: 121 true grave reports read too low over the 348 sets,
  0.4% of 27,148). Two hundred and twelve sets met every target: S (round eleven), AG (eighteen), AI
  (nineteen), AL (twenty), AP (twenty-two), AQ (twenty-three), AV (twenty-five), AZ (twenty-seven),
  BA (twenty-eight), BC and BD (twenty-nine), BH (thirty-one), BJ (thirty-two), BO and BP
  (thirty-five), BS, BT and BV (thirty-seven), BW, BY and BZ (thirty-eight), CA, CB, CC and CD
  (thirty-nine), CF and CH (forty), CI (forty-one), CN and CP (forty-two), CU, CV and CX
  (forty-four), DB (forty-five), DC and DE (forty-six), DG and DI (forty-seven), DK (forty-eight),
  DQ and DR (forty-nine), DS, DT and DU (fifty), DX and DZ (fifty-one), EA, EB and ED (fifty-two),
  EE, EF, EG and EH (fifty-three), EJ and EK (fifty-four), EM, EN, EO and EP (fifty-five), ES
  (fifty-six), EU and EW (fifty-seven), EY, FA and FB (fifty-eight), FC, FD and FF (fifty-nine), FI
  and FJ (sixty), FK and FL (sixty-one), FO, FP, FQ and FR (sixty-two), FS and FV (sixty-three), FX
  and FY (sixty-four), GA, GC and GD (sixty-five), GE, GF and GG (sixty-six), GI, GJ, GK and GL
  (sixty-seven), GM, GN, GO and GP (sixty-eight), GQ and GR (sixty-nine), GW (seventy), GY, HA and
  HB (seventy-one), HD, HE and HF (seventy-two), HG, HH and HI (seventy-three), HK, HM and HN
  (seventy-four), HP, HQ and HR (seventy-five), HS, HT, HU and HV (seventy-six), HW, HX, HY and HZ
  (seventy-seven), IB and IC (seventy-eight), IF and IG (seventy-nine), II, IJ, IK and IL (eighty),
  IM, IO and IP (eighty-one), IQ, IR, IS and IT (eighty-two), IU, IW, IX and IY (eighty-three), JB
  and JC (eighty-four), JD, JE, JF and JG (eighty-five), JH and JJ (eighty-six), JL, JM and JN
  (eighty-seven), JP and JS (eighty-eight), JV and JW (eighty-nine), JX, JY and KA (ninety), KB, KD
  and KE (ninety-one), KF, KG and KH (ninety-two), KJ, KK and KM (ninety-three), KO and KP
  (ninety-four), KR, KS and KT (ninety-five), KW, KX and KY (ninety-six), KZ, LA and LB
  (ninety-seven), LE, LF and LG (ninety-eight), LI, LJ and LK (ninety-nine), LL, LM, LN and LO (one
  hundred), LP, LQ and LS (one hundred and one), LT, LV and LW (one hundred and two), LX, LY and MA
  (one hundred and three), MB, MC and MD (one hundred and four), MF, MG, MH and MI (one hundred and
  five), MJ, MK and MM (one hundred and six), MN, MO and MQ (one hundred and seven), and MR, MT and
  MU (one hundred and eight).
- **Sets C and D** (no longer blind) meet every target.
- **What is still fragile**: one grave report told in words no earlier set used decides
  under-escalation for a set of 78, and a third raised grade IV report decides over-escalation for a
  set of 207. Round forty-eight's code read no grave report too low on eight fresh sets, but raised
  three or four true grade IV reports on four of them; round fifty's, made from those, raised 8 of
  1,656 on eight more (0.5%) and read two grave reports too low, one of them a death graded IV;
  round fifty-two's, made from those, read none of 624 too low on eight more and raised 10 of 1,656
  (0.6%), three of them on one set; on four more it read two too low, one of them again a death
  graded IV (after a fire told as last night's); round fifty-five's, with the rule made from that
  death, met every target on four more, then missed over-escalation on three of four more (14 of 621
  raised, five of them by one writer whose reports name ambulances and patients throughout); round
  fifty-seven's, made from all the misses of those eight, met every target on two of four more, read
  one grave report too low (a death graded III: a tenant found dead) and raised five, three of them
  by one writer whose reports tell where a wheelchair cannot pass; round fifty-eight's, made from
  those, met every target on three of four more and read one grave report too low (a child standing
  on a seventh-floor air-conditioner unit, read as III); round fifty-nine's, made from those, read
  none of 312 too low on four more and met every target on three, the fourth raising three true
  grade IV reports of one writer's; round sixty's, made from those, met every target on two of four
  more and read two grave reports too low, one of them a knife threat graded IV because the caller's
  "说" before the knife read it as only said; round sixty-one's, made from those, met every target
  on two of four more, read one grave report too low (an abduction, told in a word the table lacks)
  and raised eight true grade IV reports, three of them to I (a threat shouted, a natural death, a
  wife who died ten years ago); round sixty-two's, made from those, met every target on all four
  more, reading no grave report too low and raising 2 of 826; round sixty-three's, made from those,
  met every target on two of four more, read one grave report too low (workers trapped unhurt behind
  a tunnel collapse) and raised six; round sixty-four's, made from those, met every target on two of
  four more, read two grave reports too low (a man threatening to drink pesticide with its cap off,
  an old man asleep upstairs in a burning shop) and raised two; round sixty-five's, made from those,
  met every target on three of four more and read one grave report too low: again a threat to drink
  pesticide with the cap off, told in other words than the rule made at once; round sixty-six's,
  made from those, met every target on three of four more and read one grave report too low (a knife
  held to a shopkeeper's neck while her customers fled, their flight read as everyone safe); round
  sixty-seven's, made from those, met every target on all four more, reading no grave report too low
  and raising 1 of 827; round sixty-eight's, made from those, did so again on four more, raising 4
  of 827 (two of them on one set, at the target's edge); round sixty-nine's, made from those, met
  every target on two of four more, read one grave report too low (a drunk holding a ferry's master
  in his wheelhouse with a knife, read as III) and raised seven, three of them on one set; round
  seventy's, made from those, met every target on one of four more: one read a grave report too low
  (a drunk with a kitchen knife who had cornered a funeral-home worker in a staff room, read as
  III), one raised three true grade IV reports and one fell just short on the accuracy of the rest
  (0.969); round seventy-one's, made from those, met every target on three of four more, raising 1
  of 828, and read one grave report too low (an old woman fallen in her locked bathroom, only
  moaning, read as IV because the caller's fear that she was dying was read as only a fear); round
  seventy-two's, made from those, met every target on three of four more, raising 5 of 826, and read
  one grave report too low (a drunk swaying a fruit knife among passengers in a station's waiting
  hall, read as III); round seventy-three's, made from those, met every target on three of four
  more, raising 4 of 827, and read one grave report too low (a confused old man leaning out of a
  ninth-floor window as if to climb out, read as III); round seventy-four's, made from those, met
  every target on three of four more, raising 7 of 827, and read two grave reports too low on the
  fourth (a man with a cleaver chasing market stall keepers, read as III, and an old man alone
  moaning weakly behind his locked door, read as IV because the caller's fear that he was dying was
  read as only a fear); round seventy-five's, made from those, read no grave report too low on four
  more and met every target on three, raising 6 of 828, the fourth one report short on the accuracy
  of the rest (0.9697); round seventy-six's, made from those, met every target on all four more,
  reading no grave report too low and raising 1 of 828; round seventy-seven's, made from those, did
  so again on four more, raising 4 of 826; round seventy-eight's, made from those, met every target
  on two of four more and read two grave reports too low (sick kindergarten children whom the
  kindergarten called fine, read as III; a man dead two days after taking a stall's folk medicine,
  read as IV), raising 6 of 826; round seventy-nine's, made from those, met every target on two of
  four more, read one grave report too low (a killing told as the neighbours saying "死人了", read
  as IV) and raised 5 of 829, three of them on one set; round eighty's, made from those, met every
  target on all four more, reading no grave report too low and raising 1 of 828; round eighty-one's,
  made from those, met every target on three of four more, raising 5 of 828, and read one grave
  report too low (a child led out of a mall by a woman it did not know, told as "被一个不认识的女的
  牵着走", read as III); round eighty-two's, made from those, met every target on all four more,
  reading no grave report too low and raising 3 of 827; round eighty-three's, made from those, did
  so again on four more, raising 5 of 825; round eighty-four's, made from those, met every target on
  two of four more, raising 1 of 828, and read two grave reports too low (a man chasing people with
  a fruit knife, told in words the table lacked; a family poisoned by wild mushrooms, whose "we ate
  them every year without harm" was read as everyone safe now); round eighty-five's, made from
  those, met every target on all four more, reading no grave report too low and raising 3 of 827;
  round eighty-six's, made from those, met every target on two of four more, raising 5 of 825 (three
  on one set), and read one grave report too low (a worker owed wages on a tower crane's edge who
  said he would jump unless paid, read as IV: harm told only as a threat); round eighty-seven's,
  made from those, met every target on three of four more, raising 5 of 827, and read one grave
  report too low (a wheelchair user behind a door that would not open in a building filling with
  smoke, read as III); round eighty-eight's, made from those, met every target on two of four more,
  raising 3 of 827, and read two grave reports too low (a hiker lost on a hill after dark; a
  colleague with a broken leg who could not move on a mountain path, both read as IV); round
  eighty-nine's, made from those, met every target on two of four more, raising 2 of 827, read one
  grave report too low (old people not yet evacuated in a hill fire's path, read as III) and fell
  just short on one set's rest after triage (0.970); round ninety's, made from those, met every
  target on three of four more and read no grave report too low, but raised 8 of 826, four on one
  set (a man photographing toddlers from outside a railing, a child's scratch long past, a stroke, a
  broken leg a while ago, each read as harm or danger now); round ninety-one's, made from those, met
  every target on three of four more, raising 2 of 825, and read one grave report too low (a worker
  still pinned under fallen scaffolding after the other crawled out, read as everyone safe); round
  ninety-two's, made from those, met every target on three of four more, raising 4 of 826, and read
  one grave report too low (a husband threatening to drink paraquat, 百草枯, whose 草 was read as a
  plant); round ninety-three's, made from those, met every target on three of four more, raising 5
  of 825, and read one grave report too low (a drunk man with a knife threatening to hack people
  unless his car was sprayed free, "就砍人", read as a knife merely held); round ninety-four's, made
  from those, met every target on two of four more, raising 7 of 824, three of them on one set, and
  read three grave reports too low (a man chasing people with a cleaver, the knife counted, 一把菜
  刀; an eye infected by cheap coloured lenses; children in hospital with lead in their blood);
  round ninety-five's, made from those, met every target on three of four more, read no grave report
  too low and raised 4 of 828, and fell just short on one set's rest after triage (0.967); round
  ninety-six's, made from those, met every target on three of four more, raising 1 of 825, and read
  one grave report too low (a grandmother with bad legs upstairs in a burning house, told in Minnan,
  行袂落来, read as III); round ninety-seven's, made from those, met every target on three of four
  more and read no grave report too low, but raised 6 of 827, three of them on one set (a road
  roller, 被压路机碾平, read as someone pressed; kitchen smoke that choked a laundry with no fire;
  fainting in the heat told in a wage complaint); round ninety-eight's, made from those, met every
  target on three of four more, read no grave report too low and raised 1 of 827, and fell one
  report short on one set's rest after triage (0.970); round ninety-nine's, made from those, met
  every target on three of four more, read no grave report too low, and raised 6 of 829, four of
  them on one set, three of them words read as deaths (螃蟹都死了, 不行了, 铜线都没了); round one
  hundred's, made from those, met every target on all four more, read no grave report too low and
  raised 1 of 828; round one hundred and one's, made from those, met every target on three of four
  more, read no grave report too low, and raised 6 of 827, three of them on one set, four of them
  cues of people told of things (money held back, batteries gone, eggs soaking, a sleeve caught);
  round one hundred and two's, made from those, met every target on three of four more, raised 3 of
  828, and read two grave reports too low on the fourth, in words no cue had (tourists cut off by
  the tide on a sandbar; an old man not back from the hills after dark); round one hundred and
  three's, made from those, met every target on three of four more, raised 4 of 825, and read one
  grave report too low on the fourth: a factory fire with two workers burnt, told by a writer on his
  way to deliver a banner of thanks (锦旗, read as thanks for what was done, which discounts every
  cue); round one hundred and four's, made from those, met every target on three of four more,
  raised 6 of 826, and read one grave report too low on the fourth, a drunk man with a kitchen knife
  at a market gate, which one writer grades II and another, of a like case the round before, III;
  round one hundred and five's, made from those, met every target on all four more and raised 1 of
  828; round one hundred and six's, made from those, met every target on three of four more, raised
  3 of 827, and read one grave report too low on the fourth, a man chasing people with a
  fish-gutting knife, a knife no cue named, his shout read as a threat only; round one hundred and
  seven's, made from those, met every target on three of four more, raised 3 of 828, and read three
  grave reports too low on the fourth, in words no rule had (a fruit knife waved among children at a
  school gate; a worker dragged into a van; a leg pinned under a fallen wall while the others
  crawled out); round one hundred and eight's, made from those, read no grave report too low on four
  more and raised 3 of 828, and met every target on three of them (on the fourth, the rest after
  triage was right 0.966 of the time). Round forty shows it: the code that met every target on seven
  of eight sets missed one of the two escalation targets on two of four more; and round forty-one
  shows that a new register (a stay in hospital named only to date what is reported) can bring a
  dozen over-escalations at once. More of the grave judgement in the learned model, with its
  threshold chosen on both targets at once, would make it less dependent on phrase rules.

Category accuracy counts a decision right when it is the label's category or one of the
alternatives the labeller wrote down as defensible (`also`); the strict figure counts the first
label only. A report sent to a triage desk counts at the triage desk's level and unit, so triage
costs start-level and unit accuracy. ECE compares the category confidence with how often the
category was right, in ten equal-width bins.
"""


def _triage_figures(oof: dict[str, Any]) -> str:
    """What the triage threshold did out of fold: on the reports its rule judged, and on all
    the training reports, strictly."""
    return (
        f"Out of fold, on those {oof['judged_reports']} reports it triaged "
        f"{oof['judged_triage_share']:.1%} and the rest was right "
        f"{oof['judged_acceptable_kept']:.3f}; over all the training reports, "
        f"{oof['triage_share']:.1%} triaged and the rest's first label right "
        f"{oof['accuracy_kept']:.3f}."
    )


def render_card(app: App, summaries: list[Summary]) -> str:
    """docs/model-card.md: the artefact's own card (written by `grid-router model train`) and
    the figures per category on the blind sets."""
    from grid_router.adapters.textmodel import LinearTextModel

    path = app.policy.model_path
    assert path is not None, "the bundled policy names a model"
    model = LinearTextModel.load(path)
    card = model.card
    oof, grave, serious = card["out_of_fold"], card["grave_model"], card["serious_model"]
    files = ", ".join(f"`{name}` {digest}" for name, digest in card["training_files"].items())
    lines = [
        "# Model card: the category model",
        "",
        "<!-- generated by scripts/evaluate_classifier.py: edit the script, not this file -->",
        "",
        f"Artefact `grid_router/policy/{path.name}` (version {model.version}, trained "
        f"{card['trained_at']}), built by `grid-router model train` from `training/`"
        " and loaded once by every process that classifies (no network, no scikit-learn at run"
        " time). `grid-router model info` prints the card it carries.",
        "",
        "## What it is for",
        "",
        "It reads a report (title and description, places masked) and gives a calibrated",
        "probability per top-level category (DESIGN §3). The explained lexicon",
        "(`grid_router/policy/taxonomy.yaml`) still reads the report first: its evidence per",
        "category is a feature of the model, and it names the subcategory and the phrases that",
        "decided. The model decides the category when the reporter did not pick one; below",
        f"its triage threshold ({model.triage_below:.2f}) a person confirms it (grade IV/III at",
        "the street's triage desk; a grave report goes to its grade's level at once, flagged).",
        "A second, binary part says how likely people are harmed or in danger: a report the",
        f"grade cues leave at III/IV is graded II from {model.grave_at:.2f} on; a third, how",
        "likely the grade is III or above: a report left at IV is III from "
        f"{model.serious_at:.2f}.",
        "",
        "## How it was made",
        "",
        f"- {card['reports']} training reports ({files}; the hash prefix of each file is "
        "recorded in the artefact). Per category: "
        + ", ".join(f"{k} {v}" for k, v in sorted(card["per_category"].items()))
        + ".",
        "- What it learns: each report's label, except where the writer labelled it OTHER and"
        " also accepted a named category: then that category (OTHER routes to no department;"
        f" {card.get('learned_as_named_not_other', 0)} reports).",
        f"- Features: character 1-3-grams of the masked text and the lexicon's evidence per "
        f"category ({card['features']} features kept, seen in at least two reports).",
        f"- Multinomial logistic regression, C = {card['regularisation_C']} chosen by 5-fold "
        f"cross-validated log loss ({card['cv_log_loss']}).",
        f"- Calibration: one temperature ({card['temperature']}) fitted on out-of-fold logits."
        f" Out-of-fold accuracy {oof['accuracy']:.3f}, ECE {oof['ece_before_calibration']:.3f}"
        f" before and {oof['ece']:.3f} after calibration.",
        f"- Triage threshold {card['triage_below']}: {card['triage_rule']}. "
        + _triage_figures(oof),
        f"- Harm-or-danger part: {grave['graded_reports']} graded reports, {grave['grave']} of "
        f"them grade I/II; threshold {grave['grave_at']} ({grave['rule']}). Out of fold it "
        f"raised {grave['out_of_fold_general_raised']} of {grave['general']} general reports "
        f"and left {grave['out_of_fold_grave_missed_after_model']} of the "
        f"{grave['out_of_fold_grave_missed_by_cues']} grave reports the cues missed.",
        f"- Grade-III part: threshold {serious['serious_at']} ({serious['rule']}); out of fold "
        f"it raised {serious['out_of_fold_raised_right']} reports rightly and "
        f"{serious['out_of_fold_raised_wrong']} wrongly from IV to III.",
        "",
        "## Figures per category on the blind sets",
        "",
    ]
    for summary in summaries:
        lines += [
            f"`{summary.name}` ({summary.n} reports):",
            "",
            "| category | support | precision | recall |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {code} | {n} | {p:.2f} | {r:.2f} |"
            for code, (n, p, r) in summary.per_category.items()
        ]
        lines.append("")
    return "\n".join(lines) + CARD_TAIL


CARD_TAIL = """
## Known failures

- Labels differ between writers at some boundaries (a stuck lift: work safety or city
  management; a lost child: public security or livelihood; illegal sand dredging: environment
  or city management). The model follows the majority of its training data; the labeller's
  `also` list in the blind sets accepts the defensible alternative.
- Reports that name only things and people ("楼上那家", "那个铁皮房") and reports in other
  languages or pinyin are read poorly; most of them fall below the triage threshold.
- The model has seen a few thousand reports written for it, not real anonymised 12345 and grid
  app records: expect lower figures on real traffic until it is retrained on them
  (`grid-router model train --data …`).
- Grades: the blind labellers used III for events no rule names (crowds facing off without a
  count, large spills and fish kills, standoffs): many of those are read as IV. Some general
  reports that mention a hospital, a fall or a fight in passing are raised to II; both move the
  start level and the unit with them (see docs/classification.md for the figures).
- Speed: reading the model costs about as much as the lexicon; `bench/classify.py` measures
  both together (docs/benchmarks.md), and the router's profile shows the classifier is its
  largest step.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--set", action="append", help="a set name, or a path to a .jsonl set (default: every set)"
    )
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {DOC_PATH.name}")
    args = parser.parse_args(argv)
    names = args.set or set_names()
    for name in names:
        if not set_path(name).is_file():
            known = ", ".join(set_names())
            parser.error(f"no set {name!r}: name one of {known}, or give a path to a .jsonl file")
    app = App()
    summaries = []
    for name in names:
        outcomes = run(app, load_set(name))
        if args.misses:
            print_misses(outcomes)
        summary = summarise(name, outcomes)
        print_summary(summary)
        summaries.append(summary)
    if not args.no_write and not args.set:
        DOC_PATH.write_text(render(summaries), encoding="utf-8")
        CARD_PATH.write_text(render_card(app, summaries), encoding="utf-8")
        print(f"wrote {DOC_PATH.relative_to(ROOT)} and {CARD_PATH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
