"""Grading a report by what is happening now (DESIGN §3), reading words, not characters.

Pure: standard library only. A grade is raised by cues, and every cue is a word or phrase with a
meaning, never a bare character: "死" alone is nothing ("堵死了", "热死了", "笑死" are figures of
speech), while 死亡, 烧死, 一死两伤 or 没有生命体征 are deaths. Each cue has a kind:

- harm (a death, an injury, people poisoned): harm already done raises the grade even when it
  is told after the fact ("昨晚着火烧死两人" is I), unless it is negated ("没人受伤"),
  hypothetical ("差点砸到人") or history ("去年这里淹死过人");
- danger (people trapped, buried, fallen into water, unconscious, a fire burning): only danger
  now counts; danger averted, past or over ("差点", "昨天", "已经灭了", "已被救出") does not;
- shut in (a stuck lift, a locked room): people shut in and out of danger make it III, unless a
  danger or harm cue says otherwise.

Counting rules ("十几个学生上吐下泻", "三十多名工人聚集", `domain/counting.py`) compare numbers
written every way with the policy's thresholds (`GradeThresholds`). The cue tables and the words
read around a cue are in `domain/cues.py`; this module is how they are applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

from grid_router.domain import cues
from grid_router.domain.counting import GradeThresholds, counted_cues
from grid_router.domain.cues import GradeCue
from grid_router.domain.model import Severity
from grid_router.domain.phrases import longest_first
from grid_router.domain.speech import CLAUSE_BREAKS, HISTORY, HYPOTHETICAL


@dataclass(frozen=True, slots=True)
class GradeReading:
    grade: Severity
    raised: tuple[str, ...] = ()
    discounted: tuple[str, ...] = ()
    # Why no learned guess may raise this grade: the text itself says the people are out of
    # danger (shut in, unhurt) or that a death was natural.
    settled: str | None = None
    # Why the learned guess may not raise it to II (it may still to III): the text says everyone
    # is safe ("屋里没人", "人都跑出来了"), or asks for help or papers ("临时救助"), and no cue of
    # harm or danger to people is live.
    unharmed: str | None = None


@dataclass(frozen=True, slots=True)
class _Match:
    cue: GradeCue
    start: int
    end: int


@dataclass
class GradeReader:
    """Compiled once from the cue tables (plus a taxonomy's own cues); `read` is pure."""

    extra: Sequence[GradeCue] = ()
    thresholds: GradeThresholds = field(default_factory=GradeThresholds)

    def __post_init__(self) -> None:
        table = {c.phrase: c for c in (*cues.CUES, *self.extra)}
        self._cues = table
        self._pattern = longest_first(table)

    def read(self, text: str, extra_active: Iterable[GradeCue] = ()) -> GradeReading:
        """The grade `text` describes now, with the cues that raised it and those discounted.
        `extra_active` are further cues that apply to this report (its subcategory's own)."""
        raised: list[str] = []
        discounted: list[str] = []
        grade = Severity.IV
        matches = [
            _Match(self._cues[m.group()], m.start(), m.end()) for m in self._pattern.finditer(text)
        ]
        for cue in extra_active:
            pos = text.find(cue.phrase)
            end = pos + len(cue.phrase)
            # "车掉进" was read already: the "掉进" inside it decides nothing on its own.
            if pos >= 0 and not any(m.start <= pos and end <= m.end for m in matches):
                matches.append(_Match(cue, pos, end))
        # Most reports name no cue at all: the context words are looked for only when needed.
        over = _over(text) if matches else None
        live: list[_Match] = []
        negated: list[_Match] = []  # harm or danger said not to have happened ("都没受伤")
        shut_in = said_unhurt = lift_only = False
        if matches:
            shut_in = _first(cues.SHUT_IN_CONTEXT, text) is not None
            thanks = _first(cues.THANKS, text)
            fire = _first(cues.FIRE_NOW, text) is not None
            for m in matches:
                # "卡在路中间": no lift, no locked room; "山火…防火道上下不来": stuck in a fire.
                if (
                    m.cue.kind is cues.SHUT_IN
                    and not shut_in
                    and not (fire and m.cue.phrase in cues.SHUT_IN_DANGER)
                ):
                    continue
                why = (
                    f"thanks for what was done: {thanks}"
                    if thanks
                    else self._discount(text, m, over)
                )
                if why is not None:
                    discounted.append(f"{m.cue.phrase} ({why})")
                    if why.startswith("negated: "):
                        negated.append(m)
                else:
                    live.append(m)
            # "还没伤到人": not yet, which says nobody is out of danger.
            said_unhurt = _first(cues.OUT_OF_DANGER, text) is not None or any(
                m.cue.kind is cues.HARM and not _not_yet(text, m.start) for m in negated
            )
            # A fire, a leak or a rollover live beside it: whoever is stuck is in danger.
            peril = any(m.cue.kind is cues.DANGER and m.cue.grade is Severity.III for m in live)
            # "我爸在住院，家里应该没人": a relative's stay in hospital, when the people of the
            # report are said to be unhurt ("七个人都在医院挂水，其他同事都没事" stays harm).
            if said_unhurt or _safe_now(text) is not None:
                for m in [m for m in live if _relative_in_hospital(text, m)]:
                    live.remove(m)
                    discounted.append(f"{m.cue.phrase} (a relative's stay, the rest unhurt)")
            lift_only = ((shut_in and not peril) or said_unhurt) and not any(
                m.cue.kind is cues.HARM
                or (m.cue.grade is Severity.II and m.cue.phrase not in cues.SHUT_IN_DANGER)
                for m in live
            )
        for m in live:
            cue_grade, why = _live_grade(text, m, lift_only, said_unhurt)
            raised.append(why)
            grade = _max(grade, cue_grade)
        # Harm or danger said not to have happened tells none: after "都没受伤", "人已经走了"
        # says that people left.
        danger_told = any(m.cue.kind is not cues.SHUT_IN and m not in negated for m in matches)
        danger_now = any(m.cue.kind is not cues.SHUT_IN for m in live)
        for dead in _deaths(text, danger_told, danger_now):
            if over is None and not matches:
                over = _over(text)
            m = _Match(GradeCue(dead.group(), Severity.I, cues.HARM), dead.start(), dead.end())
            why = self._discount(text, m, over)
            if why is None:
                grade = Severity.I
                raised.append(f"{dead.group()}→I")
        for cue_grade, why in counted_cues(text, self.thresholds):
            grade = _max(grade, cue_grade)
            raised.append(f"{why}→{cue_grade.value}")
        settled = (
            "people shut in, out of danger"
            if grade is Severity.III and lift_only and said_unhurt
            else _settled(text, grade, discounted)
        )
        unharmed = _unharmed(text) if grade in (Severity.IV, Severity.III) else None
        return GradeReading(
            grade,
            tuple(dict.fromkeys(raised)),
            tuple(dict.fromkeys(discounted)),
            settled,
            unharmed,
        )

    @staticmethod
    def _discount(text: str, m: _Match, over: str | None) -> str | None:
        """Why a cue does not count here (None: it counts)."""
        phrase, kind = m.cue.phrase, m.cue.kind
        clause_start = _clause_start(text, m.start)
        clause_end = _clause_end(text, m.end)
        before, after = text[clause_start : m.start], text[m.end : clause_end]
        if phrase.isascii():
            said = _english_discount(text, m)
            if said is None and over is not None and kind is not cues.HARM:
                return f"over: {over}"
            return said
        # "受没受伤不清楚": asked (A-not-A), not negated.
        if len(phrase) > 1 and before.endswith(tuple(phrase[0] + n for n in ("没", "没有", "不"))):
            return "asked, not told"
        # "没有车辆和行人掉进去": a cue that starts with 人 may be the end of a word.
        negation = _negation(before) or (phrase.startswith("人") and _negation(before + "人"))
        if negation:
            return f"negated: {negation}"
        if _asked(text, before, after, clause_end):
            return "asked, not told"
        named = _named_otherwise(text, m, before, after)
        if named is not None:
            return named
        who = _nobody_meant(text, m, before, clause_end)
        if who is not None:
            return who
        # "真要是有什么事，大家都出不去": the condition may be the clause before.
        hypothetical = next((w for w in HYPOTHETICAL if w in before + phrase), None) or _first(
            cues.IF_BEFORE, _clause_before(text, clause_start)
        )
        if not hypothetical and kind is cues.HARM and before.endswith(cues.WOULD_BEFORE):
            hypothetical = before[-2:]
        if hypothetical:
            return f"not happening: {hypothetical}"
        if (habit := _habit(text, m, before)) is not None:
            return habit
        said = _said_or_over(text, m, before)
        if said is not None:
            return said
        burnt = after[cues.BURNT_COUNT.match(after).end() :]  # type: ignore[union-attr]
        if phrase in cues.BURNING and burnt.startswith(cues.BURNT_THINGS):
            return f"burnt on purpose: {phrase}{after[:2]}"
        if phrase == "夹在" and after.startswith("中间"):
            return "a figure of speech: 夹在中间"
        condition = next((w for w in cues.CONDITION_AFTER if w in after), None)
        if condition:
            return f"not happening: …{condition}"
        hazard = next((w for w in cues.HAZARD_AFTER if w in after and w not in phrase), None)
        if hazard:
            return f"a hazard, not an incident: {hazard}"
        history = next((w for w in HISTORY if w in before), None)
        if history:
            return f"history: {history}"
        if kind is cues.HARM and m.cue.grade is Severity.II:
            background = _background(text, m)
            if background is not None:
                return background
        if m.cue.grade is Severity.I and kind is cues.HARM:
            natural = _first(cues.NATURAL, text)
            if natural:
                return f"a natural death: {natural}"
            if text.startswith(cues.THREAT_AFTER, m.end):
                return "a threat, not a death"
            if "说" in before and (claim := _first(cues.BLAMED, text)) is not None:
                return f"a death blamed in a dispute: {claim}"
        figure = _animal_or_figure(text, m, before, after)
        if figure is not None:
            return figure
        if kind is cues.DANGER and m.cue.grade is Severity.II:
            safe = _safe_now(text)
            if safe and phrase not in cues.SHUT_IN_DANGER:  # safe but shut in: III, in `read`
                return f"everyone safe: {safe}"
        if kind is not cues.HARM:
            past = next((w for w in cues.RECENT_PAST if w in before), None)
            if past:
                return f"past: {past}"
            if over:
                return f"over: {over}"
        return None


def _relative_in_hospital(text: str, m: _Match) -> bool:
    """Whether a cue of a stay in hospital is told of the reporter or a relative ("我爸在住院",
    "我在医院")."""
    return m.cue.phrase in cues.IN_HOSPITAL and text[max(0, m.start - 4) : m.start].rstrip(
        "在正还也都"
    ).endswith(cues.RELATIVES)


def _not_yet(text: str, start: int) -> bool:
    """Whether the negation just before `start` says "not yet" ("还没伤到人")."""
    return any(w in text[max(0, start - 4) : start] for w in cues.NOT_YET)


def _habit(text: str, m: _Match, before: str) -> str | None:
    """Why a cue tells of what happens again and again, or has happened before, not now:
    every time something else does ("一落雨就淹死人"), danger every day ("每天都有一伙人在车里
    打牌"), or what has happened at some time ("上面掉下来过扳手")."""
    if (habit := cues.HABITUAL.search(before)) is not None:
        return f"what happens every time: {habit.group()}"
    if m.cue.kind is cues.DANGER and (daily := _first(cues.EVERY_DAY, before)) is not None:
        return f"what happens every day: {daily}"
    if text.startswith("过", m.end) and not text.startswith(("过来", "过去"), m.end):
        return f"has happened before: {m.cue.phrase}过"
    return None


def _natural_death(text: str) -> str | None:
    """The words that make a death the report tells of ("去世", "走了", "夜里自己走的") a
    natural one ("一直有心脏病"), if it does."""
    natural = _first(cues.NATURAL, text)
    if natural and (_PASSED_RE.search(text) or "走了" in text or "走的" in text):
        return natural
    return None


def _background(text: str, m: _Match) -> str | None:
    """Why harm is only the background here: of a request ("老公上个月摔了腰…临时救助"), or of
    a natural death care was called to ("一直有心脏病，120来了说已经去世")."""
    request = _first(cues.ADMIN_REQUEST, _from_sentence(text, m))
    if request:
        return f"background of a request: {request}"
    if m.cue.phrase in cues.CARE_CALLED:
        if fine := _first(cues.FOUND_FINE, text[m.end :]):
            return f"care called, nothing grave found: {fine}"
        if natural := _natural_death(text):
            return f"called to a natural death: {natural}"
    if (alone := _first(cues.LEFT_ALONE, text[m.end :])) is not None:
        return f"the background of someone left alone: {alone}"
    if text.startswith(cues.CURE_AFTER, m.end + 3 if text.startswith("喝", m.end) else m.end):
        return "a cure claimed"
    return None


def _named_otherwise(text: str, m: _Match, before: str, after: str) -> str | None:
    """A cue word that names something else here: a place or a role ("急救站", "住院部"), an
    ambulance kept out, people busy inside, a body part failing ("腰也不行了"), staff who do
    nothing ("厨师看见了也没反应")."""
    phrase, kind = m.cue.phrase, m.cue.kind
    if kind is cues.HARM and text.startswith(cues.PLACE_AFTER, m.end):
        return f"a place: {phrase}{text[m.end : m.end + 2]}"
    if kind is cues.HARM and (
        place := next((p for p in cues.PLACE_NAMES if text.startswith(p, m.start)), None)
    ):
        return f"a place or a role: {place}"
    if phrase in cues.AMBULANCE and before.endswith(cues.KEPT_OUT_BEFORE):
        return f"a hazard of access: {before[-2:]}{phrase}"
    # "救护车进巷子都难", "打120都要跑到村口": how hard help is to get, not help called.
    if phrase in cues.HELP_HARD_TO_GET and (hard := _first(cues.HARD_TO_GET, after[:8])):
        return f"a hazard of access: {phrase}…{hard}"
    if phrase in cues.INSIDE and after.startswith(cues.BUSY_AFTER):
        return f"busy inside, not trapped: {phrase}{after[:2]}"
    if (
        phrase in cues.INSIDE
        and (broke_in := _first(cues.BROKE_IN, text[: m.start]))
        and (suspect := _first(cues.SUSPECT, text))
    ):
        return f"an intruder inside, not trapped: {broke_in}…{suspect}"
    if phrase in cues.LASTING_STATE_CUES and (lasting := _first(cues.LASTING_STATE_BEFORE, before)):
        return f"a lasting state, not harm now: {lasting}…{phrase}"
    if phrase == "不行了" and (body := before.rstrip("也都已经快越来")).endswith(cues.BODY_BEFORE):
        return f"a body part failing, not a death: {body[-2:]}…{phrase}"
    if (
        phrase in cues.NO_RESPONSE
        and (role := _first(cues.STAFF, before)) is not None
        and _first(cues.NOTICED, before) is not None
    ):
        return f"indifference, not unconscious: {role}…{phrase}"
    return None


def _animal_or_figure(text: str, m: _Match, before: str, after: str) -> str | None:
    """Harm told of animals ("死了一池鱼", "白鹭翅膀受伤"), or a figure of speech ("臭死了",
    "剧中毒")."""
    phrase = m.cue.phrase
    if m.cue.kind is cues.HARM:
        animal = _animal_named(text, m, before, after)
        if animal is not None:
            return f"not a person: {animal}"
    death = phrase.find("死")
    if death >= 0 and m.cue.grade is Severity.I:
        at = m.start + death
        if at > 0 and text[at - 1] in cues.FIGURE_BEFORE_DEATH:
            return f"figure of speech: {text[at - 1]}死"
    if phrase.endswith("中毒") and any(f in before[-4:] for f in cues.FIGURE_BEFORE_POISONING):
        return "figure of speech"
    # "吵得跟要出人命一样": a likeness, not what happened.
    if after.startswith(cues.LIKENESS_AFTER) and any(w in before[-4:] for w in cues.LIKE_BEFORE):
        return f"figure of speech: …{phrase}{after[:2]}"
    return None


_PERSON_GONE: Final = re.compile(
    "(?:司机|师傅|老板|孩子|小孩|老人|工人|租户|男的|女的|阿伯|阿婆|阿公|阿嬷)"
    "(?:当场|已经|都|就|也)*(?:没了|死了|走了)"
)


def _animal_named(text: str, m: _Match, before: str, after: str) -> str | None:
    """The animal a cue of harm is told of, if any ("死了一池鱼", "白鹭翅膀受伤")."""
    if _PERSON_GONE.fullmatch(m.cue.phrase):
        return None  # "司机没了": the person is named in the cue itself
    # The two sides apart: "捡到" + "的鸟" joined round the cue would read as a doer ("捡到的").
    near = _people_or_places(before[-4:]) + _people_or_places(after[:6])
    if cues.ANIMAL_MEASURE.search(before):
        return before[-2:]  # "一只受伤的白鹭": 只 counts animals
    if not any(w in near for w in cues.NOT_PEOPLE):
        # "海龟搁浅了，好像受伤了", "冲上来一头江豚，已经死了": the animal may be named in the
        # clause before; for a death, only a bare one ("已经死了": no count, no subject of its
        # own) after a clause that names no person at all.
        near = _people_or_places(_clause_before(text, m.start - len(before)) + before)
        if m.cue.grade is Severity.I and (
            not cues.SUBJECTLESS.fullmatch(before)
            or any(c in m.cue.phrase for c in cues.COUNT_CHARS)
            or any(w in near for w in cues.PEOPLE_WORDS)
        ):
            return None
    animal = next((w for w in cues.NOT_PEOPLE if w in near), None)
    if animal is None and m.cue.grade is Severity.I:
        # "老有蛇爬进院子，昨天厨房里发现一条，不知道有没有毒，已经打死了": a bare death after
        # clauses that name an animal last and no person since.
        earlier = _people_or_places(cues.NO_ONE.sub("", text[: m.start]))
        last = max(cues.NOT_PEOPLE, key=earlier.rfind)
        since = earlier[earlier.rfind(last) :] if last in earlier else ""
        if since and not any(w in since for w in cues.PEOPLE_WORDS):
            return last
    # "卖菜的阿姨": a person named by what they sell.
    tail = before[-4:]
    person = "的" in tail and any(w in tail[tail.rfind("的") :] for w in cues.PEOPLE_WORDS)
    return animal if animal and "人" not in near and not person else None


def _english_discount(text: str, m: _Match) -> str | None:
    """Why an English cue does not count ("Nobody is injured", "If it catches fire"): a
    negation or a condition earlier in its sentence."""
    sentence = re.split("[.。！!？?\n]", text[: m.start])[-1]
    said = cues.ENGLISH_NOT.search(sentence[-50:])
    return f"negated or not happening: {said.group()}" if said else None


# "地上躺着四个，听说一个已经没气了": one of those counted is the person harmed.
_COUNTED_BEFORE: Final = re.compile("[一两俩三四五六七八九十几\\d]个(?:已经|都|也|当场|就)*$")


_COUNTED_THING: Final = re.compile(
    "[一几两\\d][根块片条支堆个](?:" + "|".join(map(re.escape, cues.THINGS)) + ")"
)


def _nobody_meant(text: str, m: _Match, before: str, clause_end: int) -> str | None:
    """Why a cue about people is about no person here (None: a person may be meant)."""
    phrase = m.cue.phrase
    # The person may be named in the clause or just before it ("两个孩子…, 找到时已经没了").
    around = cues.NO_ONE.sub("", text[max(0, m.start - cues.PERSON_REACH) : clause_end])
    around = _people_or_places(around)
    if (
        phrase in cues.NEEDS_A_PERSON
        and not any(w in around for w in cues.PEOPLE_WORDS)
        and not (m.cue.kind is cues.HARM and _COUNTED_BEFORE.search(before))
        # "埋了一辆车，不知道车里有没有人": someone may be in it.
        and _first(cues.MAYBE_SOMEONE, text[m.end : _sentence_end(text, m.end)]) is None
    ):
        return "no person named"
    if phrase in cues.GONE:
        thing = next((w for w in cues.GONE_THINGS if w in before[-cues.THING_REACH :]), None)
        if thing:
            return f"a thing gone, not a person: {thing}"
    if (thing := _falling_or_hanging_thing(text, m, before)) is not None:
        return f"a thing, not a person: {thing}"
    if phrase in cues.LYING and before.endswith(cues.DUMPED_BEFORE):
        return f"dumped, not fallen: {before[-2:]}{phrase}"
    if phrase in cues.SAID_TO_JUMP and text.startswith(cues.NOT_A_LEAP_AFTER, m.end):
        return f"a way of moving, not a leap: {phrase}{text[m.end]}"
    if phrase in cues.STUCK_OUT and before.endswith(cues.CROWDED):
        return f"a crowd: {before[-2:]}{phrase}"
    if phrase in ("拍窗户", "拍车窗") and any(w in before for w in cues.PHOTOGRAPHING):
        return "photographing, not calling for help"
    if (
        phrase in cues.FALLING
        or phrase in cues.LYING
        or phrase in cues.PRESSED
        or phrase in cues.SOAKED
        or phrase in cues.STILL_INSIDE
    ):
        near = before[-cues.THING_REACH :]
        things: tuple[str, ...] = cues.THINGS
        if phrase in cues.LYING:
            things += cues.LYING_THINGS
        if phrase in cues.PRESSED:
            things += cues.PRESSED_THINGS
        if phrase in cues.SOAKED:
            things += cues.SOAKED_THINGS
        thing = next((w for w in things if w in near), None)
        if thing and not any(
            w in near[near.rfind(thing) + len(thing) :] for w in cues.PEOPLE_WORDS
        ):
            return f"a thing, not a person: {thing}"
    if m.cue.kind is cues.SHUT_IN and any(before.rstrip("的门被").endswith(e) for e in cues.EXITS):
        return "an exit locked: a hazard"
    # "消防通道锁铁链，货堆满出不去": nobody is shut in by a blocked exit until a fire.
    if (
        phrase in cues.STUCK_OUT
        and (exit_ := _first(cues.WAYS_OUT, text[: m.start])) is not None
        and _first(cues.FIRE_NOW, text) is None
        and _first(cues.FLOODING, text) is None
    ):
        return f"an exit blocked: a hazard ({exit_})"
    if m.cue.kind is cues.SHUT_IN or (m.cue.kind is cues.DANGER and m.cue.grade is Severity.II):
        # "养了两条大狗，天天关在阳台叫", "猫困在树上": an animal, not a person.
        animal = next((w for w in cues.NOT_PEOPLE if w in around), None)
        if animal and not any(w in around for w in cues.PEOPLE_WORDS):
            return f"not a person: {animal}"
    if phrase in cues.NEEDS_A_FIRE and _first(cues.FIRE_NOW, text) is None:
        return "no fire named"
    if phrase in cues.NEEDS_A_PERIL and not any(
        w in cues.NOT_A_PERIL.sub("", text) for w in cues.PERILS
    ):
        return "no fire, water or collapse named"
    if phrase in cues.NEEDS_LEFT_BEHIND and "还有" not in before:
        return "nobody said to be left behind"
    if phrase in cues.NEEDS_A_DEPENDANT and not any(w in around for w in cues.DEPENDANTS):
        return "no child or elder named"
    if (
        phrase in cues.ASLEEP_DRUNK
        and _first(cues.DRUNK, text)
        and (breathing := _first(cues.BREATHING, text))
    ):
        return f"drunk and {breathing}"
    if phrase == "起不来" and _first(cues.PAIN_BEFORE, before) and not _first(cues.FALLS, text):
        return "pain keeps them down, no fall told"
    if phrase in cues.STUCK_OUT and before.endswith(cues.WATER_BEFORE):
        return f"the water cannot drain: {before[-1]}{phrase}"
    if m.cue.kind is cues.SHUT_IN and before.endswith("车"):
        return f"a vehicle locked, not a person: 车{phrase}"
    if phrase == "没上来" and before.endswith(cues.WATER_NOT_RISEN_BEFORE):
        return "the water has not risen"
    if phrase in cues.NEEDS_A_DEPENDANT and before.endswith("看"):
        return "cannot see, not gone: 看不见了"
    if phrase in cues.NEEDS_A_DEPENDANT and (
        thing := _first(cues.GONE_THINGS, before[-cues.THING_REACH :])
    ):
        return f"a thing gone, not a person: {thing}"
    if phrase in cues.TAKEN and not any(w in text for w in cues.DEPENDANTS):
        return "no child or elder named"
    if phrase in cues.NOT_ANSWERING and any(w in before[-3:] for w in cues.DEVICES):
        return f"a device does not answer: {before[-3:]}{phrase}"
    if (
        phrase in cues.STUCK_OUT
        and "车" in before
        and (
            not any(w in before for w in cues.PEOPLE_WORDS)
            or before.rstrip("都也还").endswith("车")  # "接送孩子的车动不了"
        )
    ):
        return "vehicles cannot get out, not people"
    return None


def _falling_or_hanging_thing(text: str, m: _Match, before: str) -> str | None:
    """The thing that falls or hangs, where a cue of falling or hanging is told of one
    ("一块砖从工地楼上掉下来", "掉下来一捆", "风一吹掉下来", "枝丫裂开了，吊在半空")."""
    phrase = m.cue.phrase
    no_one_before = not any(w in before for w in cues.PEOPLE_WORDS)
    if phrase in cues.FALLING:
        rest = text[m.end :]
        rest = rest[cues.THING_AFTER.match(rest).end() :]  # type: ignore[union-attr]
        if thing := next((w for w in cues.THINGS if rest.startswith(w)), None):
            return f"{phrase}…{thing}"
        if counted := _COUNTED_THING.search(before):  # "一块砖从工地楼上掉下来"
            return counted.group()
        if measure := cues.THING_MEASURE_AFTER.match(text, m.end):  # "掉下来一捆"
            return f"{phrase}{measure.group()}"
        # "风一吹掉下来": blown down by the wind; "有一条掉下来一半": half down.
        if no_one_before and (wind := _first(cues.BLOWN, before)):
            return f"{wind}…{phrase}"
        if no_one_before and text.startswith("一半", m.end):
            return f"{phrase}一半"
    if phrase in cues.HANGING and no_one_before:
        # "有根枝丫裂开了，吊在半空": a branch hangs, not a person.
        near = _clause_before(text, _clause_start(text, m.start)) + before
        if thing := _first(cues.HANGING_THINGS, near):
            return f"{thing}…{phrase}"
    return None


def _unharmed(text: str) -> str | None:
    """Why the learned guess may not raise this report to II, if the text says: everyone is
    safe, or it asks for help or papers ("老公上个月摔了腰…临时救助能不能申请": the harm is the
    request's background), or claims wages, or tells someone unwell on their feet, or a theft
    without force, or says no harm was done."""
    if safe := _safe_now(text):
        return f"everyone safe: {safe}"
    if request := _first(cues.WELFARE_REQUEST, text):
        return f"a request for help or papers: {request}"
    if (claim := _first(cues.WAGE_CLAIM, text)) and not _first(cues.WAGE_DESPAIR, text):
        return f"a claim for wages: {claim}"
    if natural := _natural_death(text):
        return f"a natural death: {natural}"
    if praise := _first(cues.PRAISE, text):
        return f"praise for what was done: {praise}"
    if feet := _first(cues.ON_THEIR_FEET, text):
        return f"on their feet: {feet}"
    if (stolen := _first(cues.STOLEN, text)) and not _first(cues.NOT_A_MERE_THEFT, text):
        return f"a theft without force: {stolen}"
    # Each of NO_HARM_DONE opens with its negation ("没伤到人"): "还没伤到人" is not yet.
    if (calm := _first(cues.NO_HARM_DONE, text)) and not _not_yet(text, text.index(calm) + 1):
        return f"no harm done: {calm}"
    return None


def _live_grade(text: str, m: _Match, lift_only: bool, said_unhurt: bool) -> tuple[Severity, str]:
    """The grade a live cue gives, and how to name it: people shut in and out of danger are
    III, a knife held while chasing people is II."""
    phrase = m.cue.phrase
    if lift_only and phrase in cues.SHUT_IN_DANGER and (said_unhurt or phrase not in cues.IN_A_CAR):
        return Severity.III, f"{phrase}→III (shut in, out of danger)"
    if m.cue.kind is cues.SHUT_IN and phrase in cues.SHUT_IN_DANGER:
        return Severity.II, f"{phrase}→II (stuck where there is danger)"
    if phrase in cues.WEAPON_HELD and _chasing(text, m.end):
        return Severity.II, f"{phrase}→II (chasing people)"
    return m.cue.grade, f"{phrase}→{m.cue.grade.value}"


def _chasing(text: str, end: int) -> bool:
    """Whether the clause after a knife held (ending at `end`) chases people with it, or the
    sentence says it is meant for people ("拿着铁棍乱挥，嚷着要砸人")."""
    return any(w in text[end : _clause_end(text, end)] for w in cues.CHASING_AFTER) or any(
        w in text[end : _sentence_end(text, end)] for w in cues.MEANT_FOR_PEOPLE
    )


def _sentence_end(text: str, pos: int) -> int:
    """Where the sentence holding `pos` ends."""
    while pos < len(text) and text[pos] not in cues.SENTENCE_BREAKS:
        pos += 1
    return pos


def _clause_end(text: str, at: int) -> int:
    """Where the clause that holds position `at` ends."""
    while at < len(text) and text[at] not in CLAUSE_BREAKS:
        at += 1
    return at


def _people_or_places(near: str) -> str:
    """`near` with a person named by what they do read as 人 ("骑电动车的", "卖菜的") and a
    place named after animals or plants read as 地 ("鱼塘", "菜市场")."""
    return cues.ANIMAL_PLACES.sub("地", _DOER.sub("人", near))


# "卖菜的", "骑电动车的", "送外卖的": a person named by what they do.
_DOER: Final = re.compile("(?:卖|骑|开|送|修|收|捡|扫|钓)[^，,。；;！!？?\\s]{1,4}的")
# "一死两伤", "3死5伤", "一个死三个伤": a count of the dead.
_N_DEAD_RE: Final = re.compile(
    r"[一二两三四五六七八九十几\d]+(?:个|名)?死"
    r"(?=[一二两俩三四五六七八九十几多\d]+(?:个|名|人)?[重轻]?伤|亡|$|[，,。；;！!])"
    r"|死了(?:好几|几|[\d一二两三四五六七八九十])+(?:个|名|位|人)"
)


# "师傅没了", "送到医院已经走了": gone, said of a person or of someone taken to hospital.
_GONE_RE: Final = re.compile(
    r"(?:师傅|老板娘|老板|孩子|小孩|老人|工人|司机|租户|大人|男的|女的|阿伯|阿婆|老伯|大爷|老汉|工友"
    r"|[一两俩仨\d]个人?)"
    r"[，,]?(?:当场|已经|都|就|也)*没了"
    r"(?=$|[，,。.；;！!？?\s”\"’」])"
    r"|(?:医院|抢救|救护车|120)[^。；;！!？?]{0,8}(?:已经|就)(?:走了|没了)"
    # "男的把女的杀了" (not "要把他杀了", a threat).
    r"|(?<![要想会])把(?:他|她|人|男的|女的|老婆|老公|妻子|丈夫|孩子|小孩|女人|男人|对方)(?:给)?杀了"
)


# "有3名工人没跑出来死了", "有两个死了", "司机死了", "昨天在医院死了": a person, or a hospital,
# named just before "死了" ("吓死了", "累死了" are figures of speech, ruled out by the character
# before 死).
_DIED_RE: Final = re.compile(
    r"(?:人|工人|司机|师傅|孩子|小孩|老人|男的|女的|者|[一两俩仨三四五六七八九十\d]+[名个]|医院|抢救)"
    # "人出门要淹死了": between them no 要 or 快 (a fear, not a death).
    r"(?:(?![要快])[^，,。.；;！!？?\s]){0,6}?(?:已经|都|也|当场|就)?"
    r"(?<![" + "".join(sorted(cues.FIGURE_BEFORE_DEATH)) + r"])死(?:掉)?了"
)


# "今天早上在下游找到，已经没有了", "挖出来时两个都已经走了": found or dug out, and gone.
_FOUND_GONE_RE: Final = re.compile(
    r"(?:找到|捞上来|捞起来|捞出来|挖出来|救上来|拉上来|抬出来)[^。；;！!？?]{0,10}?"
    r"(?:(?:已经|都)(?:没(?:有)?了|走了|没气了|不在了)|没救了|不行了|盖着(?:白)?布|盖上(?:了)?白布)"
)


# "被冲走…今天早上找到了，人已经走了": after harm or danger told, "gone" is a death.
# "烧的人走了": whoever did it has left. "去世" after poisoning or an accident is a death; alone
# it is most often an elder's natural death, which is not graded.
_LEFT_RE: Final = re.compile(
    r"(?<!的)人(?:已经|都|也|在医院|还是)?(?:走了|没了|不在了)"
    r"|(?:男的|女的|老人|老太太|老太|大爷|阿伯|阿婆|阿公|阿嬷|爷爷|奶奶|师傅|孩子|小孩|老伴|丈夫|妻子|老公|老婆"
    r"|舅舅|叔叔|伯伯|姑姑|我爸|我妈|爸爸|妈妈|哥哥|姐姐|弟弟|妹妹|外婆|外公|姥姥|姥爷|婆婆|公公"
    r"|儿子|女儿)(?:今早|昨晚|(?:今天|昨天|前天)?(?:早上|上午|中午|下午|晚上|凌晨|夜里)?)(?:在医院)?"
    r"(?:当场|已经|都|也|就)*(?:走了|没了)"
    r"|(?:掉下来|摔下来|坠落|被撞|被砸|被埋)[^。；;！!？?]{0,4}[，,](?:人)?(?:已经|当场)?死了"
    r"|(?:掉下来|摔下来|掉下去|摔下去|坠落)(?:当场|就)*死了"
    # "骑车那个大哥没救上来" ("还没救上来" is danger still).
    r"|(?<!还)没(?:能|有)?救上来(?=$|[，,。；;！!？?\s])"
    r"|没(?:能)?(?:跑|逃)?出来[^。；;！!？?]{0,12}?(?:都|已经|也|就)?(?:走了|没了|死了)"
    # "一个人被打得很重，今天早上在医院没了".
    r"|在医院(?:里)?(?:已经|就|也)?(?:走了|没了)(?=$|[，,。；;！!？?\s])"
)
_PASSED_RE: Final = re.compile("去世|过世|离世|咽气|已经过身|(?<![转翻侧回])过身了")


def _over(text: str) -> str | None:
    """The first word saying it is over ("救上来", "扑灭"), unless negated ("都没救出来")."""
    for w in cues.OVER:
        at = text.find(w)
        while at >= 0:
            if not text[max(0, at - 2) : at].endswith(("没", "未", "没有", "没能")):
                return w
            at = text.find(w, at + 1)
    return None


def _safe_now(text: str) -> str | None:
    """The word that says everyone is out of danger, unless the report goes on to say some
    remain ("人都跑出来了，但是四楼还有一个老人没下来")."""
    safe = _first(cues.SAFE_NOW, text)
    if safe is None or cues.SOME_REMAIN.search(text, text.index(safe)) is not None:
        return None
    return safe


def _first(words: Iterable[str], text: str) -> str | None:
    """The first of `words` that occurs in `text`, if any. For the fixed word lists (tuples and
    frozensets) one regular expression first says whether any occurs at all: most reports hold
    none, and one search is several times faster than a loop over the words."""
    if isinstance(words, tuple | frozenset):
        if (any_of := _ANY_OF.get(id(words))) is None or any_of[0] is not words:
            if len(_ANY_OF) >= _ANY_OF_MOST:
                _ANY_OF.clear()  # lists made on the fly would otherwise pile up
            any_of = (words, re.compile("|".join(map(re.escape, words))))
            _ANY_OF[id(words)] = any_of
        if any_of[1].search(text) is None:
            return None
    return next((w for w in words if w in text), None)


# One alternation per word list `_first` was given, keyed by the list's identity (the list is
# kept beside it, so that identity cannot pass to another object).
_ANY_OF: Final[dict[int, tuple[object, re.Pattern[str]]]] = {}
_ANY_OF_MOST: Final = 256


def _deaths(text: str, danger_told: bool, danger_now: bool) -> Iterable[re.Match[str]]:
    """Deaths told in words: counts and "gone" always; "人走了" once harm or danger is told at
    all; "去世" only beside harm or danger that counts (not "办死亡证明")."""
    if "死" in text:  # most reports name no death: skip the patterns that need one
        yield from _N_DEAD_RE.finditer(text)
        yield from _DIED_RE.finditer(text)
    yield from _GONE_RE.finditer(text)
    # "没有人受伤，人都走了": after nobody hurt, people gone have left.
    if danger_told and _first(cues.NOBODY_HURT, text) is None:
        yield from _LEFT_RE.finditer(text)
        yield from _FOUND_GONE_RE.finditer(text)
    if danger_now:
        yield from _PASSED_RE.finditer(text)


def grade_cue(phrase: str, grade: Severity) -> GradeCue:
    """A taxonomy's own cue: a phrase the tables know keeps its kind; a new one is harm when it
    says I (deaths are harm), else danger (it must be happening now)."""
    known = next((c for c in cues.CUES if c.phrase == phrase), None)
    if known is not None:
        return GradeCue(phrase, grade, known.kind)
    return GradeCue(phrase, grade, cues.HARM if grade is Severity.I else cues.DANGER)


def _negation(before: str) -> str | None:
    """The negation governing a cue that follows `before` (the clause up to the cue), if any:
    close enough, and nothing between them but fillers ("没有人员受伤"); "是不是" asks."""
    window = before[-(cues.NEGATION_GAP + 2) :]
    for neg in cues.NEGATIONS:
        pos = window.rfind(neg)
        if pos < 0:
            continue
        if neg == "不是" and window[max(0, pos - 1) : pos] == "是":
            continue
        between = window[pos + len(neg) :]
        if len(between) > cues.NEGATION_GAP:
            continue
        rest = between
        while rest:
            filler = next((f for f in cues.NEGATION_FILLERS if rest.startswith(f)), None)
            if filler is None:
                break
            rest = rest[len(filler) :]
        if not rest:
            return window[pos:]
    return None


_RANK: Final = {Severity.IV: 0, Severity.III: 1, Severity.II: 2, Severity.I: 3}


def _max(a: Severity, b: Severity) -> Severity:
    return a if _RANK[a] >= _RANK[b] else b


def _said_or_over(text: str, m: _Match, before: str) -> str | None:
    """Why a cue tells of no harm now: a threat or a fear said, a death shouted in quotes by a
    report that says nobody was hurt, harm healed, illness, burning that is no fire."""
    phrase, kind, grade = m.cue.phrase, m.cue.kind, m.cue.grade
    if (
        phrase in ("着火", "着伙", "起火")
        and text[max(0, m.start - 2) : m.start] in cues.NOT_ALIGHT
    ):
        return "a stove that will not light"
    if kind is cues.HARM and grade is Severity.I:
        if len(phrase) == 2 and phrase.endswith("死"):
            threat = _first(cues.THREAT_BEFORE, before[-cues.THREAT_REACH :])
            if threat is not None:
                return f"a threat or a fear, not a death: {threat}…{phrase}"
            if before.endswith("你"):
                return f"shouted at someone: 你{phrase}"
        if _quoted(text, m.start) and (unhurt := _first(cues.NOBODY_HURT, text)) is not None:
            return f"shouted in quotes, and {unhurt}"
        if (
            (habit := _first(cues.EVERY_TIME, text)) is not None
            and (
                _quoted(text, m.start)
                # "一下雨就积水，淹死了，每次下雨都这样": a word for the water, no one named.
                or (
                    len(phrase) == 2
                    and phrase.endswith("死")
                    and not any(
                        w in text[_clause_start(text, m.start) : m.end] for w in cues.PEOPLE_WORDS
                    )
                )
            )
        ):
            return f"said of what happens {habit}"
    if "血" in phrase and text.startswith(cues.NOT_A_WOUND_AFTER, m.end):
        return f"not a wound: {phrase}{text[m.end]}"
    if phrase in cues.BACKGROUND_AFTER and text.startswith(cues.BACKGROUND_AFTER[phrase], m.end):
        return f"the background of what follows: {phrase}{text[m.end : m.end + 2]}"
    if phrase in cues.FIGURE_AFTER and text.startswith(cues.FIGURE_AFTER[phrase], m.end):
        return f"a figure of speech: {phrase}{text[m.end : m.end + 2]}"
    if phrase in cues.EXCLAMATIONS and m.start == 0:
        return f"an exclamation: {phrase}"
    if phrase in cues.DESPAIR and (anger := _first(cues.IN_ANGER, text)) is not None:
        return f"said in anger: {anger}"
    if (
        phrase in cues.DESPAIR
        and (quarrel := _first(cues.QUARREL, text)) is not None
        and not _told_unnegated(text, cues.AT_AN_EDGE)
        and _first(cues.MEANS_AT_HAND, text) is None
    ):
        return f"cried out in a quarrel: {quarrel}"
    if m.cue.kind is cues.SHUT_IN and text.startswith(cues.OUTSIDE_AFTER, m.end):
        return f"locked out, not in: {phrase}{text[m.end : m.end + 2]}"
    if phrase in cues.WEAPONS and any(
        w in text[max(0, m.start - 8) : m.start] for w in (*cues.SAYING, "要")
    ):
        return "a weapon in a threat said"
    if (
        phrase in cues.WEAPONS
        and (gone := _first(cues.WEAPON_GONE, text)) is not None
        # "大家都跑了": the people around fled; the one with the knife did not.
        and not text[: text.index(gone)].endswith(cues.BYSTANDERS_FLED)
    ):
        return f"over: {gone}"
    if (
        kind is cues.HARM
        and _first(cues.CALLER_SAID, text) is not None
        and _first(cues.CALLER_SAID, _to_sentence(text, m)) is not None
        and _first(cues.SCAM_WORDS, text) is not None
    ):
        return "a caller's story, not harm seen"
    if (
        phrase in cues.SAID_TO_JUMP
        and any(w in text[max(0, m.start - 8) : m.start] for w in cues.SAYING)
        and not _told_unnegated(text, cues.AT_AN_EDGE)
    ):
        return "a threat said, no one at an edge"
    if kind is cues.DANGER and grade is Severity.III and any(f in phrase for f in cues.FIRE_WORDS):
        not_a_fire = _first(cues.NOT_A_FIRE, text)
        if not_a_fire:
            return f"not a fire: {not_a_fire}"
    if kind is cues.HARM and grade is Severity.II:
        healed = _first(cues.HEALED, text[m.end : m.end + cues.HEALED_REACH])
        if healed:
            return f"past and healed: {healed}"
        if phrase in cues.IN_HOSPITAL:
            if text.startswith(cues.HOSPITAL_AS_A_TIME_AFTER, m.end):
                return f"a time, not harm: {phrase}{text[m.end]}…"
            if before.endswith("我") and text.startswith(cues.AT_HOSPITAL_FOR_AFTER, m.end):
                return f"where the reporter is: 我{phrase}{text[m.end]}…"
            if not any(w in text for w in cues.HARM_CAUSES):
                return "in hospital, no harm named"
    return None


def _quoted(text: str, at: int) -> bool:
    """Whether position `at` lies inside quotation marks."""
    before = text[:at]
    opened = before.count("“") + before.count("「")
    closed = before.count("”") + before.count("」")
    return opened > closed or before.count('"') % 2 == 1


def _told_unnegated(text: str, words: Iterable[str]) -> bool:
    """Whether any of `words` is in `text` without a negation just before it in its clause
    ("没人上天台"; not "工钱没拿到，爬到塔吊上")."""
    for w in words:
        at = text.find(w)
        while at >= 0:
            window = text[max(0, at - 4) : at]
            window = window[max((window.rfind(b) for b in CLAUSE_BREAKS), default=-1) + 1 :]
            if not any(n in window for n in cues.NEGATIONS):
                return True
            at = text.find(w, at + 1)
    return False


def _clause_start(text: str, pos: int) -> int:
    """Where the clause holding `pos` starts."""
    while pos > 0 and text[pos - 1] not in CLAUSE_BREAKS:
        pos -= 1
    return pos


def _clause_before(text: str, clause_start: int) -> str:
    """The clause before the one starting at `clause_start`, if the same sentence holds both."""
    if clause_start == 0 or text[clause_start - 1] in cues.SENTENCE_BREAKS:
        return ""
    return text[_clause_start(text, clause_start - 1) : clause_start - 1]


def _sentence_start(text: str, m: _Match) -> int:
    """Where the sentence that holds a match begins."""
    start = m.start
    while start > 0 and text[start - 1] not in cues.SENTENCE_BREAKS:
        start -= 1
    return start


def _to_sentence(text: str, m: _Match) -> str:
    """The text of the sentence that holds a match, up to the match."""
    return text[_sentence_start(text, m) : m.start]


def _from_sentence(text: str, m: _Match) -> str:
    """The text from the start of the sentence that holds a match: a request told there or
    after it is what the report is for; one told before belongs to another matter."""
    return text[_sentence_start(text, m) :]


def _only_said(discount: str) -> bool:
    """Whether a discount ("砸死 (not happening: 肯定)") says the harm is only feared,
    threatened or shouted."""
    why = discount.split("(", 1)[-1].rstrip(")")
    if why.startswith(cues.SAID):
        return True
    word = why.removeprefix("not happening: ").lstrip("…")
    return why.startswith("not happening: ") and word in cues.FEARED


def _asked(text: str, before: str, after: str, clause_end: int) -> bool:
    """Whether a cue is in a question ("话务员：有人受伤吗？", "有没有人被困？"): a call-taker's
    question tells nothing; the answer does."""
    if text[clause_end : clause_end + 1] not in ("？", "?"):
        return False
    return after.endswith(cues.QUESTION_ENDS) or any(w in before for w in cues.QUESTION_WORDS)


def _settled(text: str, grade: Severity, discounted: list[str]) -> str | None:
    """Why the text settles a grade IV reading: a natural death, or harm only feared,
    threatened or shouted."""
    if grade is not Severity.IV:
        return None
    if natural := _first(cues.NATURAL, text):
        return f"a natural death: {natural}"
    said = next((d for d in discounted if _only_said(d)), None)
    return f"harm told only as a fear or a threat: {said}" if said else None
