"""Classifying a free-text incident report: category, subcategory, confidence and grade.

Pure: standard library only. The taxonomy arrives as a value (`domain.taxonomy.Taxonomy`); a
learned model, if any, through the `CategoryModel` port.

How a report is read (every step is written into the explanation a duty officer reads back):

1. Place names are masked ("溪边社区", "东渡街道", names the caller passes in), so that a
   village or street name cannot trigger a category.
2. Every taxonomy phrase is found (a phrase inside a longer matched phrase does not count on its
   own: "山上着火" beats "着火"); longer phrases weigh more, phrases that name a thing rather
   than a problem ("电动车", "食堂") less, negated ones ("未见明火") hardly at all.
3. The category: with a learned model and no category picked in the app, the model's calibrated
   favourite, the lexicon's evidence being among its features; else the category with the most
   evidence. A category picked in the app is kept unless the text clearly says otherwise.
   Below the model's threshold the report `needs_triage`.
4. The grade: `domain.grading` reads the words as written (deaths, injuries, people trapped,
   fires burning, people shut in; figures of speech, negations, averted, past and hypothetical
   danger discounted); the model may raise a report the cues leave too low.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Protocol

from grid_router.domain.counting import GradeThresholds
from grid_router.domain.cues import FIGURE_BEFORE_DEATH, NOT_PEOPLE, GradeCue
from grid_router.domain.grading import GradeReader, grade_cue
from grid_router.domain.lexicon_rules import (
    ABSENCE_PHRASES,
    APP_OVERRIDE_MIN,
    APP_OVERRIDE_RATIO,
    CATEGORY_NEGATION_GAP,
    CLAUSE_BREAKS,
    CONTEXT_PHRASES,
    CONTEXT_WEIGHT,
    FULL_WEIGHT_OTHER,
    MASK,
    NEGATED_WEIGHT,
    NEGATION_HEADS,
    NEGATIONS,
    NOT_NOW,
    NOT_NOW_RE,
    OTHER_WEIGHT,
    PAST_RE,
    PAST_WEIGHT,
    RISK_BONUS,
    SECONDARY_SHARE,
    SEVERITY_NEGATION_GAP,
    TITLE_WEIGHT,
    TRIAGE_CONFIDENCE,
    mask_place_words,
)
from grid_router.domain.model import Severity
from grid_router.domain.phrases import longest_first
from grid_router.domain.taxonomy import CATEGORIES, OTHER, Subcategory, Taxonomy

# --------------------------------------------------------------------------------------------
# The result


@dataclass(frozen=True, slots=True)
class Classification:
    """What a report is, how serious, how sure, and why (in words a duty officer reads back)."""

    category_code: str
    category_name: str
    subcategory_code: str | None
    subcategory_name: str | None
    confidence: float
    severity: Severity
    needs_triage: bool
    explanation: str
    deciding_phrases: tuple[str, ...] = ()
    secondary_categories: tuple[str, ...] = ()
    app_category: str | None = None
    app_overridden: bool = False


@dataclass(frozen=True, slots=True)
class ReportText:
    """What `Classifier.classify` reads of a report (`classify_many` takes a batch of these)."""

    description: str
    title: str | None = None
    app_category: str | None = None
    severity_hint: str | None = None
    trusted_hint: bool = False


@dataclass(frozen=True, slots=True)
class ModelReading:
    """What a learned model makes of a report: calibrated probabilities per category, and the
    features that pushed its favourite most (for the explanation)."""

    probabilities: Mapping[str, float]
    features: tuple[str, ...] = ()
    grave: float | None = None  # probability that people are harmed or in danger (grade I/II)
    serious: float | None = None  # probability of grade III or above


class CategoryModel(Protocol):
    """The port of a learned category model (the adapter lives in `adapters.textmodel`)."""

    @property
    def version(self) -> str: ...

    @property
    def triage_below(self) -> float:
        """Below this calibrated confidence a person confirms the category (set from data)."""
        ...

    @property
    def serious_at(self) -> float:
        """From this probability of grade III or above a report the cues grade IV is III."""
        ...

    @property
    def grave_at(self) -> float:
        """From this probability of harm or danger a report the cues grade III/IV is graded II
        (set from data so that general reports are seldom raised)."""
        ...

    def read(self, text: str, lexicon: Mapping[str, float]) -> ModelReading:
        """Read the place-masked `text` given the lexicon's evidence per category."""
        ...

    def read_many(self, reports: Sequence[tuple[str, Mapping[str, float]]]) -> list[ModelReading]:
        """`read` for each (text, lexicon) of a batch, in order, with the same results."""
        ...


# --------------------------------------------------------------------------------------------
# The compiled classifier


# `_Entry.subcategory` of a word that holds a keyword and never means it (`not_keywords`).
NOT_A_KEYWORD: Final = -2


@dataclass(frozen=True, slots=True)
class _Entry:
    """What one phrase means: a keyword of a subcategory, or a severity cue."""

    phrase: str
    subcategory: int  # index into Classifier._subs, or -1 for a global cue
    grade: Severity | None  # None for a keyword
    weight: float


@dataclass(slots=True)
class _Hit:
    entry: _Entry
    start: int
    end: int
    in_title: bool
    negation: str | None = None
    past: bool = False


@dataclass(slots=True)
class _Evidence:
    """Per-subcategory evidence gathered from the hits."""

    score: float = 0.0
    phrases: list[str] = field(default_factory=list)
    strong: bool = False  # at least one non-context, non-negated phrase


@dataclass(frozen=True, slots=True)
class _Draft:
    """A report read as far as the learned model: what `Classifier._decide` goes on from."""

    report: ReportText
    model_text: str
    hits: list[_Hit]
    evidence: dict[int, _Evidence]
    scores: dict[str, float]
    app: str | None
    notes: list[str]


_GRADE_RANK: Final = {Severity.IV: 0, Severity.III: 1, Severity.II: 2, Severity.I: 3}


def _phrase_weight(phrase: str) -> float:
    # 2 characters → 1.0, each extra character +0.5, up to 3.0; a single character 0.6.
    if len(phrase) <= 1:
        return 0.6
    return min(3.0, 1.0 + 0.5 * (len(phrase) - 2))


class Classifier:
    """Compiled once from a `Taxonomy`; `classify` is pure and safe to call from many threads."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        place_names: Iterable[str] = (),
        model: CategoryModel | None = None,
        thresholds: GradeThresholds | None = None,
        normalise: Callable[[str], str] | None = None,
    ) -> None:
        """`normalise` rewrites a report's text before anything reads it (the application passes
        traditional-to-simplified conversion, `adapters.script`)."""
        self.taxonomy = taxonomy
        self.model = model
        self._normalise = normalise
        thresholds = thresholds or GradeThresholds()
        self._sub_cues: dict[int, list[GradeCue]] = {}
        self._subs: list[Subcategory] = [s for c in taxonomy.categories for s in c.subcategories]
        self._cat_of: list[str] = [s.category_code for s in self._subs]  # by subcategory index
        self._cat_names = {c.code: c.name for c in taxonomy.categories}
        # Phrase → what it means; first character → the phrase lengths to try there; the first
        # two characters of every phrase (`_scan` skips a place none of them begins).
        self._by_phrase: dict[str, list[_Entry]] = {}
        for i, sub in enumerate(self._subs):
            other = sub.category_code == OTHER and sub.code not in FULL_WEIGHT_OTHER
            factor = OTHER_WEIGHT if other else 1.0
            for kw in sub.keywords:
                weight = _phrase_weight(kw) * factor
                if kw in CONTEXT_PHRASES:
                    weight *= CONTEXT_WEIGHT
                self._add(_Entry(kw, i, None, weight))
            for cue in sub.severity_cues:
                for phrase in cue.phrases:
                    self._add(_Entry(phrase, i, cue.grade, 0.0))
                    self._sub_cues.setdefault(i, []).append(grade_cue(phrase, cue.grade))
        for word in taxonomy.not_keywords:
            self._add(_Entry(word, NOT_A_KEYWORD, None, 0.0))
        self._grades = GradeReader(
            extra=[grade_cue(p, c.grade) for c in taxonomy.severity_cues for p in c.phrases],
            thresholds=thresholds,
        )
        lengths: dict[str, set[int]] = {}
        for phrase in self._by_phrase:
            lengths.setdefault(phrase[0], set()).add(len(phrase))
        self._lengths = {ch: tuple(sorted(ns, reverse=True)) for ch, ns in lengths.items()}
        self._heads = frozenset(phrase[:2] for phrase in self._by_phrase)
        names = {n for n in place_names if len(n) >= 2}
        self._places = longest_first(names) if names else None
        # Every name ends in one of a few pairs ("委会", "街道", "明区"): a text with none of them
        # (four reports in five) holds no name, and is spared the scan for them.
        self._place_ends = re.compile("|".join(sorted({re.escape(n[-2:]) for n in names})))

    def _add(self, entry: _Entry) -> None:
        self._by_phrase.setdefault(entry.phrase, []).append(entry)

    # ---------------------------------------------------------------------------------------

    def classify(
        self,
        description: str,
        title: str | None = None,
        app_category: str | None = None,
        severity_hint: str | None = None,
        trusted_hint: bool = False,
    ) -> Classification:
        """Classify one report. Never raises on odd input: unknown app categories and hints are
        ignored and said so in the explanation."""
        draft = self._draft(
            ReportText(description, title, app_category, severity_hint, trusted_hint)
        )
        reading = (
            self.model.read(draft.model_text, draft.scores) if self.model is not None else None
        )
        return self._decide(draft, reading)

    def classify_many(self, reports: Sequence[ReportText]) -> list[Classification]:
        """Classify a batch: the same readings as `classify` one by one, with the learned
        model's arithmetic done once for the whole batch."""
        drafts = [self._draft(r) for r in reports]
        if self.model is None:
            return [self._decide(d, None) for d in drafts]
        readings = self.model.read_many([(d.model_text, d.scores) for d in drafts])
        return [self._decide(d, r) for d, r in zip(drafts, readings, strict=True)]

    def _draft(self, report: ReportText) -> _Draft:
        """A report read as far as a learned model needs: places masked, phrases found and
        weighed."""
        notes: list[str] = []
        if self._normalise is not None:
            description = self._normalise(report.description or "")
            title = self._normalise(report.title) if report.title else report.title
            if description != report.description or title != report.title:
                report = replace(report, description=description, title=title)
        text = self._mask_places(report.description or "")
        head = self._mask_places(report.title or "")
        hits = self._scan(head, in_title=True) + self._scan(text, in_title=False)
        evidence = self._weigh(hits)
        scores = self._category_scores(evidence, hits, notes)
        app = self._valid_app_category(report.app_category, notes)
        return _Draft(report, _model_text(head, text), hits, evidence, scores, app, notes)

    def _decide(self, draft: _Draft, reading: ModelReading | None) -> Classification:
        """The category, grade and explanation of a drafted report, given the model's reading
        (None without a model)."""
        description, title = draft.report.description, draft.report.title
        hits, evidence, cat_scores, app, notes = (
            draft.hits,
            draft.evidence,
            draft.scores,
            draft.app,
            draft.notes,
        )
        if reading is not None and app is None:
            category, confidence, needs_triage = self._category_from(reading, notes)
            overridden = False
            sub = self._best_subcategory(category, evidence)
        else:
            category, overridden = self._decide_category(cat_scores, app, evidence, hits, notes)
            sub = self._best_subcategory(category, evidence)
            confidence = self._confidence(category, cat_scores, app, overridden)
            needs_triage = confidence < TRIAGE_CONFIDENCE
            if needs_triage and app is None and category != OTHER and not cat_scores.get(category):
                category, sub = OTHER, None
        deciding = tuple(evidence[sub].phrases) if sub is not None else ()
        secondary = self._secondary(category, cat_scores)
        # Grades read the words as written: masking place names would cut "聚集在村委会" apart.
        severity = self._grade(description or "", title or "", category, evidence, reading, notes)
        severity = self._apply_hint(
            severity, draft.report.severity_hint, draft.report.trusted_hint, notes
        )
        subcat = self._subs[sub] if sub is not None else None
        explanation = self._explain(
            category,
            subcat,
            deciding,
            secondary,
            cat_scores,
            confidence,
            needs_triage,
            severity,
            hits,
            notes,
        )
        return Classification(
            category_code=category,
            category_name=self._cat_names.get(category, CATEGORIES.get(category, category)),
            subcategory_code=subcat.code if subcat else None,
            subcategory_name=subcat.name if subcat else None,
            confidence=round(confidence, 3),
            severity=severity,
            needs_triage=needs_triage,
            explanation=explanation,
            deciding_phrases=deciding,
            secondary_categories=secondary,
            app_category=app,
            app_overridden=overridden,
        )

    # --- reading ---------------------------------------------------------------------------

    def model_input(
        self, description: str, title: str | None = None
    ) -> tuple[str, dict[str, float]]:
        """The text and the lexicon's evidence per category that a learned model reads; training
        calls this so that it sees exactly what `classify` will pass."""
        draft = self._draft(ReportText(description, title))
        return draft.model_text, draft.scores

    def _mask_places(self, text: str) -> str:
        if not text:
            return text
        if self._places is not None and self._place_ends.search(text):
            text = self._places.sub(lambda m: MASK * len(m.group()), text)
        return mask_place_words(text)

    def _scan(self, text: str, in_title: bool) -> list[_Hit]:
        """All phrase occurrences, dropping any inside a longer keyword occurrence."""
        hits: list[_Hit] = []
        lengths, by_phrase, heads = self._lengths, self._by_phrase, self._heads
        clause_start = 0
        cover = (-1, -1)  # span of the longest keyword occurrence seen so far
        in_keyword: dict[int, int] = {}  # position inside a keyword occurrence → its end
        for i, ch in enumerate(text):
            if ch in CLAUSE_BREAKS:
                clause_start = i + 1
                continue
            # Most characters begin no phrase here: the first two characters of every phrase
            # (a phrase of one character is its own) say at once where none can begin.
            if text[i : i + 2] not in heads and ch not in heads:
                continue
            for n in lengths[ch]:
                entries = by_phrase.get(text[i : i + n])
                if entries is None:
                    continue
                for entry in entries:
                    end = i + len(entry.phrase)
                    if entry.grade is None:
                        if end <= cover[1] and (i, end) != cover:
                            continue  # "着火" inside "山上着火": the longer phrase decides
                        if end > cover[1]:
                            cover = (i, end)
                    if entry.subcategory == NOT_A_KEYWORD:
                        continue  # it covers the keyword inside it, and counts for nothing
                    hit = _Hit(entry, i, end, in_title)
                    if entry.phrase not in ABSENCE_PHRASES:
                        hit.negation = _negation(
                            text, clause_start, i, entry.grade is not None, in_keyword
                        )
                    if entry.grade is None:
                        for pos in range(i, end):
                            if in_keyword.get(pos, 0) < end:
                                in_keyword[pos] = end
                    if entry.grade is None:
                        hit.past = PAST_RE.search(text, clause_start, i) is not None
                    elif "死" in entry.phrase:
                        hit.negation = hit.negation or _not_a_death(text, clause_start, i)
                    hits.append(hit)
        return hits

    def _weigh(self, hits: Sequence[_Hit]) -> dict[int, _Evidence]:
        evidence: dict[int, _Evidence] = {}
        for hit in hits:
            entry = hit.entry
            if entry.grade is not None:
                continue
            ev = evidence.setdefault(entry.subcategory, _Evidence())
            if entry.phrase in ev.phrases:
                continue  # a phrase counts once, however often it is repeated
            weight = entry.weight * (TITLE_WEIGHT if hit.in_title else 1.0)
            if hit.negation is not None:
                weight *= NEGATED_WEIGHT
            elif hit.past:
                weight *= PAST_WEIGHT
            elif entry.phrase not in CONTEXT_PHRASES:
                ev.strong = True
            ev.score += weight
            ev.phrases.append(entry.phrase)
        return evidence

    def _category_scores(
        self, evidence: Mapping[int, _Evidence], hits: Sequence[_Hit], notes: list[str]
    ) -> dict[str, float]:
        scores: dict[str, float] = {}
        for i, ev in evidence.items():
            code = self._cat_of[i]
            scores[code] = scores.get(code, 0.0) + ev.score
        endangering = {
            self._cat_of[h.entry.subcategory]: h.entry.phrase
            for h in hits
            if h.entry.grade is not None
            and _GRADE_RANK[h.entry.grade] >= _GRADE_RANK[Severity.II]
            and h.entry.subcategory in evidence
            and h.negation is None
        }
        for code, phrase in endangering.items():
            scores[code] += RISK_BONUS
            notes.append(f"{code} weighs more: danger to people ({phrase})")
        return scores

    # --- deciding --------------------------------------------------------------------------

    def _valid_app_category(self, app_category: str | None, notes: list[str]) -> str | None:
        if not app_category:
            return None
        code = app_category.strip().upper()
        if code in CATEGORIES:
            return code
        notes.append(f"app category {app_category!r} is not a known code: ignored")
        return None

    def _decide_category(
        self,
        scores: Mapping[str, float],
        app: str | None,
        evidence: Mapping[int, _Evidence],
        hits: Sequence[_Hit],
        notes: list[str],
    ) -> tuple[str, bool]:
        """The category with the most evidence, subject to the app rule.

        The app rule (issue 3: the worker's pick stands unless the text clearly says otherwise):
        - the app category is *supported* when the text holds a problem phrase of it (not only
          things or places, not negated);
        - an unsupported pick is overridden when another category has a problem phrase and at
          least APP_OVERRIDE_RATIO× the app category's evidence;
        - a supported pick is overridden only when, in addition, the other category is where the
          danger to people is (one of its own severity cues is live in the text).
        """
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0] == OTHER))
        best, best_score = ranked[0] if ranked else (OTHER, 0.0)
        if app is None:
            # Only things and places named ("隔壁", "电梯"): still the best reading, but the
            # confidence will be low and a person will check it.
            return (best if best_score > 0 else OTHER), False
        app_score = scores.get(app, 0.0)
        supported = self._has_strong(app, evidence)
        if best == app or best_score <= 0:
            notes.append(
                f"app chose {app}; the text supports it"
                if supported
                else f"app chose {app}; the text says nothing clearly against it: kept"
            )
            return app, False
        dominant = (
            self._has_strong(best, evidence)
            and best_score >= APP_OVERRIDE_MIN
            and best_score >= APP_OVERRIDE_RATIO * app_score
        )
        endangering = self._has_live_cue(best, hits)
        clear = dominant and (not supported or endangering)
        phrases = self._top_phrases(best, evidence)
        rule = (
            f"rule: override when another category has ≥{APP_OVERRIDE_RATIO:g}× the app's "
            "evidence and, if the text also supports the app's pick, carries the danger to people"
        )
        if clear:
            why = (
                "the danger to people is there"
                if supported
                else "nothing in the text for the app's pick"
            )
            notes.append(
                f"app chose {app}; text clearly says {best} ({phrases}): evidence "
                f"{best_score:.1f} vs {app_score:.1f}, {why}: overridden ({rule})"
            )
            return best, True
        notes.append(
            f"app chose {app}; text also reads as {best} ({phrases}) but not clearly enough: "
            f"evidence {best_score:.1f} vs {app_score:.1f}, app category kept ({rule})"
        )
        return app, False

    def _category_from(self, reading: ModelReading, notes: list[str]) -> tuple[str, float, bool]:
        """The learned model's favourite, its calibrated confidence, and whether that is below
        the threshold the training data set for a person to confirm it."""
        assert self.model is not None
        probs = reading.probabilities
        category = max(probs, key=lambda code: (probs[code], code != OTHER))
        confidence = probs[category]
        runner_up = sorted(((p, c) for c, p in probs.items() if c != category), reverse=True)
        notes.append(
            f"model {self.model.version}: {category} p={confidence:.2f}"
            + (f" from {'、'.join(reading.features)}" if reading.features else "")
            + (f", next {runner_up[0][1]} p={runner_up[0][0]:.2f}" if runner_up else "")
        )
        return category, confidence, confidence < self.model.triage_below

    def _has_live_cue(self, category: str, hits: Sequence[_Hit]) -> bool:
        return any(
            h.entry.grade is not None
            and h.entry.grade != Severity.IV
            and h.entry.subcategory >= 0
            and h.negation is None
            and self._cat_of[h.entry.subcategory] == category
            for h in hits
        )

    def _has_strong(self, category: str, evidence: Mapping[int, _Evidence]) -> bool:
        return any(ev.strong for i, ev in evidence.items() if self._cat_of[i] == category)

    def _top_phrases(self, category: str, evidence: Mapping[int, _Evidence]) -> str:
        phrases = [
            p
            for i, ev in sorted(evidence.items(), key=lambda kv: -kv[1].score)
            if self._cat_of[i] == category
            for p in ev.phrases
        ]
        return "、".join(phrases[:3])

    def _best_subcategory(self, category: str, evidence: Mapping[int, _Evidence]) -> int | None:
        best: tuple[float, int] | None = None
        for i, ev in evidence.items():
            if self._cat_of[i] != category or ev.score <= 0:
                continue
            if best is None or ev.score > best[0]:
                best = (ev.score, i)
        return best[1] if best else None

    def _confidence(
        self, category: str, scores: Mapping[str, float], app: str | None, overridden: bool
    ) -> float:
        top = scores.get(category, 0.0)
        rest = sum(v for k, v in scores.items() if k != category)
        if top <= 0:
            # Nothing in the text: the app's pick is all there is.
            return 0.5 if app == category else 0.0
        strength = 1.0 - math.exp(-top / 1.5)  # one 3-character phrase ≈ 0.63
        share = top / (top + rest)
        confidence = strength * share
        if app == category:
            confidence = min(1.0, confidence + 0.25)  # the worker on the spot agrees
        return confidence

    def _secondary(self, category: str, scores: Mapping[str, float]) -> tuple[str, ...]:
        top = scores.get(category, 0.0)
        return tuple(
            code
            for code, score in sorted(scores.items(), key=lambda kv: -kv[1])
            if code not in (category, OTHER) and top > 0 and score >= SECONDARY_SHARE * top
        )

    # --- grading ---------------------------------------------------------------------------

    def _grade(
        self,
        text: str,
        head: str,
        category: str,
        evidence: Mapping[int, _Evidence],
        model_reading: ModelReading | None,
        notes: list[str],
    ) -> Severity:
        """IV unless a live cue says otherwise (`grading.GradeReader`). A subcategory's own cues
        count when the report is in its category and the text names it. A report the cues leave
        below II is raised to II when the learned model is sure enough that people are harmed or
        in danger (its threshold keeps general reports from being raised: see the model card)."""
        active = [
            cue
            for i, ev in evidence.items()
            if self._cat_of[i] == category and ev.strong
            for cue in self._sub_cues.get(i, ())
        ]
        reading = (
            self._grades.read(f"{head}。{text}", active, opening=len(head) + 1)
            if head
            else self._grades.read(text, active)
        )
        if reading.raised:
            notes.append("grade cues: " + ", ".join(reading.raised))
        if reading.discounted:
            notes.append("discounted: " + ", ".join(reading.discounted))
        grade = reading.grade
        if reading.settled is not None and model_reading is not None:
            notes.append(f"the learned grade is not consulted: {reading.settled}")
            model_reading = None
        if (
            model_reading is not None
            and model_reading.grave is not None
            and self.model is not None
            and grade in (Severity.IV, Severity.III)
            and model_reading.grave >= self.model.grave_at
        ):
            guess = f"model: people harmed or in danger p={model_reading.grave:.2f}"
            unharmed = reading.unharmed  # worked out from the text: once
            if unharmed is None:
                notes.append(f"{guess} (≥ {self.model.grave_at:.2f}) → II")
                return Severity.II
            notes.append(f"{guess}, not raised: {unharmed}")
        # Nobody in danger (or the learned guess says so): a grave matter may still be III.
        if (
            model_reading is not None
            and model_reading.serious is not None
            and self.model is not None
            and grade is Severity.IV
            and model_reading.serious >= self.model.serious_at
        ):
            notes.append(
                f"model: grade III or above p={model_reading.serious:.2f} "
                f"(≥ {self.model.serious_at:.2f}) → III"
            )
            grade = Severity.III
        return grade

    def _apply_hint(
        self, grade: Severity, hint: str | None, trusted: bool, notes: list[str]
    ) -> Severity:
        if not hint:
            return grade
        value = hint.strip().upper()
        if value not in Severity.__members__:
            notes.append(f"severity hint {hint!r} is not a grade: ignored")
            return grade
        hinted = Severity(value)
        if not trusted:
            notes.append(f"severity hint {value} not from a trusted source: graded from text")
            return grade
        if _GRADE_RANK[hinted] > _GRADE_RANK[grade]:
            notes.append(f"trusted severity hint raised the grade {grade.value}→{value}")
            return hinted
        return grade

    # --- explaining ------------------------------------------------------------------------

    def _explain(
        self,
        category: str,
        sub: Subcategory | None,
        deciding: Sequence[str],
        secondary: Sequence[str],
        scores: Mapping[str, float],
        confidence: float,
        needs_triage: bool,
        severity: Severity,
        hits: Sequence[_Hit],
        notes: Sequence[str],
    ) -> str:
        parts: list[str] = []
        if sub is not None:
            parts.append(f"{category}/{sub.code} ({sub.name}) from: {'、'.join(deciding)}")
        elif scores.get(category):
            parts.append(f"{category} (no subcategory)")
        else:
            parts.append(f"{category}: no taxonomy phrase found")
        parts.extend(notes)
        negated = [
            f"negated: {h.negation}…{h.entry.phrase}"
            for h in hits
            if h.negation is not None and h.entry.grade is None
        ]
        if negated:
            parts.append(", ".join(dict.fromkeys(negated)))
        if secondary:
            parts.append("also mentions: " + ", ".join(secondary))
        parts.append(f"grade {severity.value} ({severity.chinese})")
        parts.append(f"confidence {confidence:.2f}")
        if needs_triage:
            bound = self.model.triage_below if self.model is not None else TRIAGE_CONFIDENCE
            parts.append(f"below {bound:.2f}: needs triage by a person")
        return "; ".join(parts)


# --------------------------------------------------------------------------------------------
# Helpers


def _model_text(head: str, text: str) -> str:
    return f"{head}。{text}" if head else text


def _negation(
    text: str, clause_start: int, start: int, is_cue: bool, in_keyword: Mapping[int, int]
) -> str | None:
    """The negation or not-now marker governing a phrase at `start`, if any (same clause only).

    Keywords are negated only by a close negation; severity cues also by a farther one and by
    hypothetical or past markers anywhere earlier in the clause."""
    gap = SEVERITY_NEGATION_GAP if is_cue else CATEGORY_NEGATION_GAP
    window_start = max(clause_start, start - gap - 2)
    window = text[window_start:start]
    # Most windows hold no negation at all: one look for their first characters settles it.
    if not NEGATION_HEADS.isdisjoint(window):
        for marker in NEGATIONS:
            pos = window.rfind(marker)
            if pos < 0 or in_keyword.get(window_start + pos, start + 1) <= start:
                continue  # "无证批发烟花": the 无 belongs to the phrase 无证, which ends before
            if len(window) - (pos + len(marker)) <= gap:
                return window[pos:]  # e.g. "没看到"
    if is_cue and NOT_NOW_RE.search(text, clause_start, start) is not None:
        clause = text[clause_start:start]
        for marker in NOT_NOW:  # the first in the table's order, as the table reads
            if marker in clause:
                return marker
    return None


def _not_a_death(text: str, clause_start: int, start: int) -> str | None:
    """A death cue read as a figure of speech ("臭死了") or of animals ("鱼都死了"): the same
    tables as grading's, so that the lexicon's danger bonus and the grade agree."""
    if start and text[start - 1] in FIGURE_BEFORE_DEATH:
        return f"figure of speech: {text[start - 1]}死"
    animal = next((w for w in NOT_PEOPLE if w in text[max(clause_start, start - 4) : start]), None)
    return f"not a person: {animal}" if animal else None
