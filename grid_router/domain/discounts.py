"""Why a cue of harm or danger does not count where it stands (pure: standard library only):
negated, asked, hypothetical, past or over, habitual, said in anger or fear, told of an animal or
a thing, a figure of speech, a place's name, the background of a request. `why_discounted` names
the reason in words a duty officer reads back; `domain/grading.py` applies what is left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from grid_router.domain import cues
from grid_router.domain.cues import GradeCue
from grid_router.domain.model import Severity
from grid_router.domain.speech import HISTORY, HYPOTHETICAL
from grid_router.domain.wording import (
    clause_before,
    end_of_clause,
    end_of_sentence,
    first_of,
    from_sentence,
    in_quotes,
    negation_before,
    people_or_places,
    start_of_clause,
    start_of_sentence,
    to_sentence,
    told_unnegated,
)


@dataclass(frozen=True, slots=True)
class CueMatch:
    cue: GradeCue
    start: int
    end: int


def why_discounted(text: str, m: CueMatch, over: str | None, opening: int = 0) -> str | None:
    """Why a cue does not count here (None: it counts). `opening` is where the report's own
    words begin in `text`, after its title (0 when it has none)."""
    phrase, kind = m.cue.phrase, m.cue.kind
    clause_start = start_of_clause(text, m.start)
    clause_end = end_of_clause(text, m.end)
    before, after = text[clause_start : m.start], text[m.end : clause_end]
    if phrase.isascii():
        said = _english_discount(text, m)
        if said is None and over is not None and kind is not cues.HARM:
            return f"over: {over}"
        return said
    # "受没受伤不清楚": asked (A-not-A), not negated.
    if len(phrase) > 1 and before.endswith(tuple(phrase[0] + n for n in ("没", "没有", "不"))):
        return "asked, not told"
    negation = _negation(phrase, before)
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
    hypothetical = _hypothetical(text, m, before, after, clause_start)
    if hypothetical:
        return f"not happening: {hypothetical}"
    if (habit := _habit(text, m, before)) is not None:
        return habit
    said = _said_or_over(text, m, before, opening)
    if said is not None:
        return said
    if (burnt := _burnt_on_purpose(text, phrase, before, after)) is not None:
        return burnt
    if (manner := _manner_of_speaking(text, phrase, before, after)) is not None:
        return manner
    condition = first_of(cues.CONDITION_AFTER, after)
    if condition:
        return f"not happening: …{condition}"
    hazard = next((w for w in cues.HAZARD_AFTER if w in after and w not in phrase), None)
    if hazard:
        return f"a hazard, not an incident: {hazard}"
    history = first_of(HISTORY, before)
    # A death is told however long ago, and so is harm a death followed ("上个月…被狗咬伤…昨天
    # 在医院去世了").
    if history is None and m.cue.grade is not Severity.I and not PASSED_RE.search(text, m.end):
        history = _history_of_sentence(text, clause_start)
    if history:
        return f"history: {history}"
    if kind is cues.HARM and m.cue.grade is Severity.II:
        background = _background(text, m)
        if background is not None:
            return background
    # "叫他退房叫不醒，120来看了说已经走了好几个小时，应该是心脏的问题": a natural death found.
    if kind is cues.DANGER and m.cue.grade is Severity.II and (natural := natural_death(text)):
        return f"found after a natural death: {natural}"
    if m.cue.grade is Severity.I and kind is cues.HARM:
        not_a_death = _not_a_death(text, m, before)
        if not_a_death is not None:
            return not_a_death
    figure = _animal_or_figure(text, m, before, after)
    if figure is not None:
        return figure
    if kind is cues.DANGER and m.cue.grade is Severity.II:
        safe = safe_word(text)
        held = phrase in cues.HELD_BY_FORCE or cues.AT_KNIFEPOINT.fullmatch(phrase) is not None
        # (Safe but shut in: III, in `read`; held by force: others' flight is not theirs.)
        if safe and phrase not in cues.SHUT_IN_DANGER and not (held and safe in cues.GOT_OUT):
            return f"everyone safe: {safe}"
    if kind is not cues.HARM:
        past = first_of(cues.RECENT_PAST, before)
        if past:
            return f"past: {past}"
        if over:
            return f"over: {over}"
    return None


def _not_a_death(text: str, m: CueMatch, before: str) -> str | None:
    """Why words of a death tell none that the incident caused: a natural death, a threat, the
    background of a child raised by kin, a death blamed in a dispute."""
    rumour = text[start_of_sentence(text, m.start) : m.start]
    if (denied := first_of(cues.DENIED_DEATH, text[m.end :])) and first_of(cues.RUMOURED, rumour):
        return f"rumoured and denied: …{denied}"
    natural = first_of(cues.NATURAL, text)
    # "化工厂凌晨漏气…一个老人家在睡梦中没醒过来": gassed in their sleep, not a natural death.
    if natural and not (natural in cues.IN_SLEEP and first_of(cues.GASSED, text)):
        return f"a natural death: {natural}"
    if text.startswith(cues.THREAT_AFTER, m.end):
        return "a threat, not a death"
    if (kin := first_of(cues.RAISED_BY_KIN, text[m.end :])) is not None:
        return f"the background of a child raised by kin: {kin}"
    # ("出租屋凌晨着火…烧死了一个人…家属问怎么索赔": the fire is told, the death with it.)
    if (
        "说" in before
        and (claim := first_of(cues.BLAMED, text)) is not None
        and first_of(cues.FIRE_NOW, text) is None
    ):
        return f"a death blamed in a dispute: {claim}"
    return None


def _burnt_on_purpose(text: str, phrase: str, before: str, after: str) -> str | None:
    """Burning lit on purpose: the thing burnt named after the cue ("在烧一堆垃圾"), or, for a
    bare "还在烧" or "烧起来", elsewhere in the report ("在烧电线皮…晚上十点多还在烧") or in a
    kiln or a stove just before it ("窑里还有一窑东西在烧")."""
    burnt = after[cues.BURNT_COUNT.match(after).end() :]  # type: ignore[union-attr]
    if phrase in cues.BURNING and burnt.startswith(cues.BURNT_THINGS):
        return f"burnt on purpose: {phrase}{after[:2]}"
    if phrase in cues.BURNING_BARE and (lit := cues.BURNT_ON_PURPOSE.search(text)) is not None:
        return f"burnt on purpose: {lit.group()}"
    if phrase in cues.BURNING_BARE and (burner := first_of(cues.BURNERS, before[-8:])):
        return f"burnt in a {'kiln' if burner == '窑' else 'stove'}: {burner}…{phrase}"
    return None


def _manner_of_speaking(text: str, phrase: str, before: str, after: str) -> str | None:
    """A cue that is a manner of speaking: "夹在中间" (caught between two sides), "哭的笑的晕倒的
    都有" after "什么场面没见过" (all one has seen), "哭得喘不上气" (breathless with crying)."""
    if phrase == "夹在" and after.startswith("中间"):
        return "a figure of speech: 夹在中间"
    if phrase in cues.BREATHLESS and before.endswith(cues.CRYING):
        return f"a figure of speech: {before[-2:]}{phrase}"
    if (word := cues.NAMED_BEFORE.get(phrase)) is not None and before.endswith(word):
        return f"another word: {word}{phrase}"
    if phrase in cues.ONCE_CUES and before.endswith(cues.ONCE_BEFORE):
        return f"a condition: {cues.ONCE_BEFORE}{phrase}"
    if after.startswith(cues.ALL_KINDS_AFTER) and (seen := first_of(cues.SEEN_IT_ALL, text)):
        return f"all one has seen: {seen}"
    return None


def _negation(phrase: str, before: str) -> str | None:
    """The negation of a cue, if any: "没有车辆和行人掉进去" (a cue that starts with 人 may be
    the end of a word); "不是房子着火，就是烧垃圾" (a fire named and denied)."""
    negation = negation_before(before) or (
        phrase.startswith("人") and negation_before(before + "人")
    )
    if not negation and "火" in phrase and (denied := cues.NOT_THIS_FIRE.search(before)):
        negation = denied.group()
    return negation or None


def _history_of_sentence(text: str, clause_start: int) -> str | None:
    """The word that puts a whole sentence long ago, told in a clause before the cue's ("上周
    我们组的老洪犯病，救护车在外面绕了十分钟"), unless the sentence comes back to now."""
    earlier = text[start_of_sentence(text, clause_start) : clause_start]
    history = first_of(HISTORY, earlier)
    if history is None or first_of(cues.NOW, earlier[earlier.index(history) :]) is not None:
        return None
    return history


def not_yet(text: str, start: int) -> bool:
    """Whether the negation just before `start` says "not yet" ("还没伤到人")."""
    return first_of(cues.NOT_YET, text[max(0, start - 4) : start]) is not None


def _habit(text: str, m: CueMatch, before: str) -> str | None:
    """Why a cue tells of what happens again and again, or has happened before, not now:
    every time something else does ("一落雨就淹死人"), danger or people shut in every day or
    every time ("每天都有一伙人在车里打牌", "每次都有人被关十来分钟"), or what has happened at
    some time ("上面掉下来过扳手")."""
    if (habit := cues.HABITUAL.search(before)) is not None:
        return f"what happens every time: {habit.group()}"
    if m.cue.kind is not cues.HARM and (daily := first_of(cues.EVERY_DAY, before)) is not None:
        return f"what happens every day: {daily}"
    if text.startswith("过", m.end) and not text.startswith(("过来", "过去"), m.end):
        return f"has happened before: {m.cue.phrase}过"
    return None


def natural_death(text: str) -> str | None:
    """The words that make a death the report tells of ("去世", "走了", "夜里自己走的") a
    natural one ("一直有心脏病"), if it does."""
    natural = first_of(cues.NATURAL, text)
    if natural and (PASSED_RE.search(text) or "走了" in text or "走的" in text):
        return natural
    return None


def _background(text: str, m: CueMatch) -> str | None:
    """Why harm is only the background here: of a request ("老公上个月摔了腰…临时救助"), or of
    a natural death care was called to ("一直有心脏病，120来了说已经去世")."""
    request = first_of(cues.ADMIN_REQUEST, cues.NOT_A_REQUEST.sub("", from_sentence(text, m.start)))
    if request:
        return f"background of a request: {request}"
    if m.cue.phrase in cues.ILLNESSES and (request := first_of(cues.WELFARE_REQUEST, text)):
        return f"an illness, background of a request: {request}"
    if m.cue.phrase in cues.CARE_CALLED:
        if fine := first_of(cues.FOUND_FINE, text[m.end :]):
            return f"care called, nothing grave found: {fine}"
        if natural := natural_death(text):
            return f"called to a natural death: {natural}"
    if (alone := first_of(cues.LEFT_ALONE, text[m.end :])) is not None:
        return f"the background of someone left alone: {alone}"
    if (said := text[max(0, m.start - 2) : m.start]) in cues.CURE_BEFORE:
        return f"a cure claimed: {said}{m.cue.phrase}"
    if text.startswith(cues.CURE_AFTER, m.end + 3 if text.startswith("喝", m.end) else m.end):
        return "a cure claimed"
    return None


def _named_otherwise(text: str, m: CueMatch, before: str, after: str) -> str | None:
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
    if phrase in cues.HELP_HARD_TO_GET and (hard := first_of(cues.HARD_TO_GET, after[:8])):
        return f"a hazard of access: {phrase}…{hard}"
    if phrase in cues.INSIDE and after.startswith(cues.BUSY_AFTER):
        return f"busy inside, not trapped: {phrase}{after[:2]}"
    if (
        phrase in cues.INSIDE
        and (broke_in := first_of(cues.BROKE_IN, text[: m.start]))
        and (suspect := first_of(cues.SUSPECT, text))
    ):
        return f"an intruder inside, not trapped: {broke_in}…{suspect}"
    if (phrase in cues.INSIDE or phrase in cues.NOT_OUT_YET) and (
        busy := first_of(cues.THIEF_BUSY, text)
    ):
        return f"a thief inside, not trapped: {busy}"
    if phrase in cues.LASTING_STATE_CUES and (
        lasting := first_of(cues.LASTING_STATE_BEFORE, before)
    ):
        return f"a lasting state, not harm now: {lasting}…{phrase}"
    if phrase in cues.MOTIONLESS and (
        standing := first_of(cues.STANDING, text[start_of_clause(text, m.start) : m.start])
    ):
        return f"standing still, not unconscious: {standing}…{phrase}"
    if phrase == "不行了" and (body := before.rstrip("也都已经快越来")).endswith(cues.BODY_BEFORE):
        return f"a body part or a thing failing, not a death: {body[-2:]}…{phrase}"
    if (
        phrase in cues.NO_RESPONSE
        and (role := first_of(cues.STAFF, before)) is not None
        and first_of(cues.NOTICED, before) is not None
    ):
        return f"indifference, not unconscious: {role}…{phrase}"
    return None


def _animal_or_figure(text: str, m: CueMatch, before: str, after: str) -> str | None:
    """Harm told of animals ("死了一池鱼", "白鹭翅膀受伤") or of things ("栈道被浪打断"), or a
    figure of speech ("臭死了", "剧中毒")."""
    phrase = m.cue.phrase
    if phrase == "打断" and before.endswith(cues.BROKEN_BY_WEATHER):
        return f"a thing broken: {before[-2:]}{phrase}"
    if phrase in cues.PULLED_THROUGH and before.rstrip("也都还").endswith(cues.BUSINESSES):
        return f"a business, not a person: {phrase}"
    if m.cue.kind is cues.HARM:
        animal = _animal_named(text, m, before, after)
        if animal is not None:
            return f"not a person: {animal}"
    death = phrase.find("死")
    # "我的鞋子全淹死了", "花都淹死了": a thing or a plant, not a person.
    if death >= 0 and (
        thing := next(
            (t for t in cues.DEAD_THINGS if before.rstrip("全都也已经快").endswith(t)), None
        )
    ):
        return f"not a person: {thing}"
    vehicle = next((v for v in cues.DEAD_VEHICLES if before.endswith(v)), None)
    if death >= 0 and vehicle:
        return f"not a person: {vehicle}"
    # "把一个老人熏死了": someone killed by what is named, not a figure of speech.
    if death >= 0 and m.cue.grade is Severity.I and not phrase.startswith("把"):
        at = m.start + death
        if at > 0 and text[at - 1] in cues.FIGURE_BEFORE_DEATH:
            return f"figure of speech: {text[at - 1]}死"
    if phrase.endswith("中毒") and any(f in before[-4:] for f in cues.FIGURE_BEFORE_POISONING):
        return "figure of speech"
    if phrase == "被蛇咬" and before.endswith(cues.ONCE_BITTEN):
        return f"a saying: {before[-2:]}{phrase}"
    if (
        phrase in cues.BURNING
        and before.removesuffix("是").endswith("像")
        and (smell := first_of(cues.SMELLED, text[start_of_sentence(text, m.start) : m.start]))
    ):
        return f"a smell likened to burning: {smell}…像{phrase}"
    # "吵得跟要出人命一样": a likeness, not what happened.
    if after.startswith(cues.LIKENESS_AFTER) and first_of(cues.LIKE_BEFORE, before[-4:]):
        return f"figure of speech: …{phrase}{after[:2]}"
    # "臭到要昏倒", "臭得病人在车里都要吐了": how bad it is, told by what it would do.
    degree = cues.DEGREE_FIGURE.search(before)
    if degree and first_of(cues.DEGREE_WOULD, before[degree.end() :] + after):
        return f"a figure of speech: {degree.group()}…{phrase}"
    return None


_PERSON_GONE: Final = re.compile(
    "(?:司机|师傅|老板|孩子|小孩|老人|工人|租户|男的|女的|阿伯|阿婆|阿公|阿嬷"
    # "老林今天早上走了": 老 and a family name, then when.
    f"|{cues.FAMILY_MEMBERS}|{cues.OLD_AND_A_NAME})"
    "[今昨前早上中下晚凌夜天午晨里]*(?:当场|已经|都|就|也)*(?:没了|死了|走了)"
)


def _animal_named(text: str, m: CueMatch, before: str, after: str) -> str | None:
    """The animal a cue of harm is told of, if any ("死了一池鱼", "白鹭翅膀受伤")."""
    if _PERSON_GONE.fullmatch(m.cue.phrase):
        return None  # "司机没了": the person is named in the cue itself
    # The two sides apart: "捡到" + "的鸟" joined round the cue would read as a doer ("捡到的").
    near = people_or_places(before[-4:]) + people_or_places(after[:6])
    if cues.ANIMAL_MEASURE.search(before):
        return before[-2:]  # "一只受伤的白鹭": 只 counts animals
    # "有几只狗嘴边还有白沫像是毒死的": animals counted earlier in the clause.
    clause = text[start_of_clause(text, m.start) : m.start]
    if cues.ANIMALS_COUNTED.search(clause) and (animal := first_of(cues.NOT_PEOPLE, clause)):
        return animal
    # "发现一只大海龟，壳有盆那么大，好像受伤了": counted earlier in the sentence, no one since.
    sentence = text[start_of_sentence(text, m.start) : m.start]
    if (counted := cues.ANIMALS_COUNTED.search(sentence)) is not None:
        since = people_or_places(sentence[counted.start() :])
        animal = first_of(cues.NOT_PEOPLE, since)
        if animal is not None and first_of(cues.PEOPLE_WORDS, since) is None:
            return animal
    if first_of(cues.NOT_PEOPLE, near) is None:
        # "海龟搁浅了，好像受伤了", "冲上来一头江豚，已经死了": the animal may be named in the
        # clause before; for a death, only a bare one ("已经死了": no count, no subject of its
        # own) after a clause that names no person at all.
        near = people_or_places(clause_before(text, m.start - len(before)) + before)
        if m.cue.grade is Severity.I and (
            not cues.SUBJECTLESS.fullmatch(before)
            or any(c in m.cue.phrase for c in cues.COUNT_CHARS)
            or first_of(cues.PEOPLE_WORDS, near) is not None
        ):
            return None
    animal = first_of(cues.NOT_PEOPLE, near)
    if animal is None and m.cue.grade is Severity.I:
        # "老有蛇爬进院子，昨天厨房里发现一条，不知道有没有毒，已经打死了": a bare death after
        # clauses that name an animal last and no person since.
        earlier = people_or_places(cues.NO_ONE.sub("", text[: m.start]))
        last = max(cues.NOT_PEOPLE, key=earlier.rfind)
        since = earlier[earlier.rfind(last) :] if last in earlier else ""
        if since and first_of(cues.PEOPLE_WORDS, since) is None:
            return last
    # "卖菜的阿姨": a person named by what they sell.
    tail = before[-4:]
    person = "的" in tail and first_of(cues.PEOPLE_WORDS, tail[tail.rfind("的") :]) is not None
    # ("没出来，两个人都走了": the death told counts the people.)
    if animal is None or "人" in near or person or cues.PEOPLE_COUNTED.search(m.cue.phrase):
        return None
    # "发现一只大海龟，旁边一个小孩好像受伤了": a person named after the animal.
    after_it = near[near.rfind(animal) + len(animal) :]
    return animal if first_of(cues.DEPENDANTS, after_it) is None else None


def _english_discount(text: str, m: CueMatch) -> str | None:
    """Why an English cue does not count ("Nobody is injured", "If it catches fire"): a
    negation or a condition earlier in its sentence."""
    sentence = re.split("[.。！!？?\n]", text[: m.start])[-1]
    said = cues.ENGLISH_NOT.search(sentence[-50:])
    return f"negated or not happening: {said.group()}" if said else None


# "地上躺着四个，听说一个已经没气了": one of those counted is the person harmed.
_COUNTED_BEFORE: Final = re.compile("[一两俩三四五六七八九十几\\d]个(?:已经|都|也|当场|就)*$")


# "有一根掉下来": a measure word for things (never for people) right before the cue.
# "一捆脱钩掉下来": a short verb may stand between the count and the fall.
_COUNTED_BARE: Final = re.compile("[一两几\\d][根块片条支堆捆](?:脱钩|脱落|松脱|滑落|突然)?$")
_COUNTED_THING: Final = re.compile(
    "[一几两\\d][根块片条支堆个段颗](?:" + "|".join(map(re.escape, cues.THINGS)) + ")"
)


def _around(text: str, m: CueMatch, clause_end: int) -> str:
    """Where the person a cue is told of may be named: in the clause or just before it ("两个
    孩子…, 找到时已经没了"); for breath gone, anywhere in the sentence ("一个男的倒在地上…我摸了
    一下已经没气了") unless it names a thing that holds gas ("煤气罐没气了")."""
    around = cues.NO_ONE.sub("", text[max(0, m.start - cues.PERSON_REACH) : clause_end])
    around = people_or_places(around)
    if m.cue.phrase in cues.BREATH_GONE and first_of(cues.PEOPLE_WORDS, around) is None:
        sentence = text[start_of_sentence(text, m.start) : clause_end]
        if first_of(cues.GAS_THINGS, sentence) is None:
            around = people_or_places(cues.NO_ONE.sub("", sentence))
    return around


def _nobody_meant(text: str, m: CueMatch, before: str, clause_end: int) -> str | None:
    """Why a cue about people is about no person here (None: a person may be meant)."""
    phrase = m.cue.phrase
    around = _around(text, m, clause_end)
    if (
        phrase in cues.NEEDS_A_PERSON
        and first_of(cues.PEOPLE_WORDS, around) is None
        and not (m.cue.kind is cues.HARM and _COUNTED_BEFORE.search(before))
        # "埋了一辆车，不知道车里有没有人": someone may be in it.
        and first_of(cues.MAYBE_SOMEONE, text[m.end : end_of_sentence(text, m.end)]) is None
    ):
        return "no person named"
    if phrase in cues.GONE:
        thing = first_of(cues.GONE_THINGS, before[-cues.THING_REACH :])
        if thing:
            return f"a thing gone, not a person: {thing}"
    if (thing := _falling_or_hanging_thing(text, m, before)) is not None:
        return f"a thing, not a person: {thing}"
    # "来看一辆被砸的车": the thing struck follows the cue.
    if (
        phrase in cues.PRESSED
        and text.startswith("的", m.end)
        and (
            struck := next((t for t in cues.PRESSED_THINGS if text.startswith(t, m.end + 1)), None)
        )
    ):
        return f"a thing, not a person: {phrase}的{struck}"
    if phrase in cues.LYING and before.endswith(cues.DUMPED_BEFORE):
        return f"dumped, not fallen: {before[-2:]}{phrase}"
    if phrase in cues.SAID_TO_JUMP and text.startswith(cues.NOT_A_LEAP_AFTER, m.end):
        return f"a way of moving, not a leap: {phrase}{text[m.end]}"
    if phrase in cues.STUCK_OUT and before.endswith(cues.CROWDED):
        return f"a crowd: {before[-2:]}{phrase}"
    if phrase in cues.STUCK_OUT and text.startswith(cues.WAY_ROUND_AFTER, m.end):
        return f"a way blocked, with a way round: {phrase}{text[m.end : m.end + 3]}"
    if (
        phrase in cues.STUCK_OUT
        and first_of(cues.WHEELCHAIR, before)
        and first_of(cues.FIRE_NOW, text) is None
        and first_of(cues.FLOODING, text) is None
    ):
        return f"where a wheelchair cannot pass, a hazard of access: 轮椅…{phrase}"
    if phrase in cues.BANGING_ON_A_CAR and first_of(cues.SOMEONE_INSIDE, text) is None:
        return "banging from outside, no one said to be inside"
    if phrase in ("拍窗户", "拍车窗") and first_of(cues.PHOTOGRAPHING, before) is not None:
        return "photographing, not calling for help"
    if (
        phrase in cues.FALLING
        or phrase in cues.LYING
        or phrase in cues.PRESSED
        or phrase in cues.SOAKED
        or phrase in cues.STILL_INSIDE
    ):
        # "扔了几辆共享单车，半截泡在水里": a part word opens the clause; the thing is before it.
        near = clause_before(text, m.start - len(before)) + before if len(before) < 3 else before
        near = near[-cues.THING_REACH :]
        things: tuple[str, ...] = (
            cues.THINGS
            + (cues.LYING_THINGS if phrase in cues.LYING else ())
            + (cues.PRESSED_THINGS if phrase in cues.PRESSED else ())
            + (cues.SOAKED_THINGS if phrase in cues.SOAKED else ())
            + (cues.STILL_INSIDE_THINGS if phrase in cues.STILL_INSIDE else ())
        )
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
        and (exit_ := first_of(cues.WAYS_OUT, text[: m.start])) is not None
        and first_of(cues.FIRE_NOW, text) is None
        and first_of(cues.FLOODING, text) is None
    ):
        return f"an exit blocked: a hazard ({exit_})"
    if m.cue.kind is cues.SHUT_IN or (m.cue.kind is cues.DANGER and m.cue.grade is Severity.II):
        # "养了两条大狗，天天关在阳台叫", "猫困在树上": an animal, not a person.
        animal = first_of(cues.NOT_PEOPLE, around)
        if animal and (
            first_of(cues.PEOPLE_WORDS, around) is None or _animal_told_last(around, animal)
        ):
            return f"not a person: {animal}"
    if phrase in cues.NEEDS_A_FIRE and first_of(cues.FIRE_NOW, text) is None:
        return "no fire named"
    if (no_peril := _no_peril(text, m)) is not None:
        return no_peril
    if phrase in cues.NEEDS_LEFT_BEHIND and first_of(cues.LEFT_BEHIND_BEFORE, before) is None:
        return "nobody said to be left behind"
    if phrase in cues.DRINKING_POISON and first_of(cues.POISONS, text) is None:
        return "no poison named"
    if phrase in cues.NEEDS_A_DEPENDANT and first_of(cues.DEPENDANTS, around) is None:
        return "no child or elder named"
    if (
        phrase in cues.ASLEEP_DRUNK
        and first_of(cues.DRUNK, text)
        and (breathing := first_of(cues.BREATHING, text))
    ):
        return f"drunk and {breathing}"
    if (
        phrase in cues.KEPT_DOWN
        and first_of(cues.PAIN_BEFORE, before)
        and not first_of(cues.FALLS, text)
    ):
        return "pain keeps them down, no fall told"
    if phrase in cues.STUCK_OUT and before.endswith(cues.WATER_BEFORE):
        return f"the water cannot drain: {before[-1]}{phrase}"
    if phrase in cues.STUCK_OUT and before.endswith(cues.SMOKE_BEFORE):
        return f"the smoke cannot clear: {before[-1]}{phrase}"
    if (locked := _locked_thing(text, m, before)) is not None:
        return locked
    if (
        phrase in cues.LIVING_INSIDE
        and text.startswith(cues.LIVING_AFTER, m.end)
        and first_of(cues.FIRE_NOW, text) is None
    ):
        return f"people living there, a hazard: {phrase}{text[m.end]}"
    if phrase == "没上来" and before.endswith(cues.WATER_NOT_RISEN_BEFORE):
        return "the water has not risen"
    if phrase in cues.NEEDS_A_DEPENDANT and before.endswith("看"):
        return "cannot see, not gone: 看不见了"
    if phrase in cues.NEEDS_A_DEPENDANT and (
        thing := first_of(cues.GONE_THINGS, before[-cues.THING_REACH :])
    ):
        return f"a thing gone, not a person: {thing}"
    if phrase in cues.TAKEN and before.rstrip("都也又就").endswith(cues.PARENTS):
        return "a parent took the child"
    if phrase in cues.TAKEN and first_of(cues.DEPENDANTS, text) is None:
        return "no child or elder named"
    if phrase in cues.NOT_ANSWERING and first_of(cues.DEVICES, before[-3:]) is not None:
        return f"a device does not answer: {before[-3:]}{phrase}"
    if (
        phrase in cues.STUCK_OUT
        and "车" in before
        and (
            first_of(cues.PEOPLE_WORDS, before) is None
            or before.rstrip("都也还").endswith("车")  # "接送孩子的车动不了"
        )
    ):
        return "vehicles cannot get out, not people"
    # "走廊放鞋柜和杂物，对门的出不去": a way blocked by things, with no fire or water named.
    if (
        phrase in cues.STUCK_OUT
        and (
            blocked_by := first_of(
                cues.BLOCKING_THINGS, text[start_of_sentence(text, m.start) : m.start]
            )
        )
        and first_of(cues.FIRE_NOW, text) is None
        and first_of(cues.WATER_RISING, text) is None
    ):
        return f"a way blocked by things, not people trapped: {blocked_by}…{phrase}"
    return None


def _hypothetical(text: str, m: CueMatch, before: str, after: str, clause_start: int) -> str | None:
    """The words that make a cue a condition or a consequence, not what happened."""
    phrase = m.cue.phrase
    # "真要是有什么事，大家都出不去": the condition may be the clause before.
    hypothetical = first_of(HYPOTHETICAL, cues.CERTAIN.sub("", before) + phrase) or first_of(
        cues.IF_BEFORE, clause_before(text, clause_start)
    )
    if not hypothetical and before.endswith(cues.PREVENTING):
        hypothetical = f"{before[-1]}{phrase}"  # "防溺水": prevention
    # "扁豆没熟是会中毒的", "这样很危险会着火": harm or danger that would follow.
    if not hypothetical and before.endswith(cues.WOULD_BEFORE):
        hypothetical = before[-2:]
    # "招牌…风一吹就晃，掉下来要砸人的": what would follow a fall.
    if not hypothetical and phrase in cues.FALLING and after.startswith(cues.WOULD_AFTER):
        hypothetical = phrase + after[:2]
    # "晚上骑车的看不到要掉进去的": what is likely, not what is.
    if not hypothetical and before.endswith(cues.LIKELY_BEFORE) and cues.LIKELY_AFTER.match(after):
        hypothetical = f"{before[-1]}{phrase}{after}"
    return hypothetical


def _animal_told_last(around: str, animal: str) -> bool:
    """Whether the animal is named after every person in `around`, and not as the doer ("被人放了
    个纸箱，里面像是一条小狗，动不了"; not "老人被狗咬了，动不了")."""
    at = around.rfind(animal)
    person = max(around.rfind(w) for w in cues.PEOPLE_WORDS)
    done_to = around[max(0, at - 1) : at] in cues.DONE_TO_AN_ANIMAL  # "进去抢鸡没出来"
    return at > person and "被" not in around[max(0, at - 3) : at] and not done_to


def _locked_thing(text: str, m: CueMatch, before: str) -> str | None:
    """The vehicle, box or place a cue of being locked in is told of, when no person is."""
    if m.cue.kind is not cues.SHUT_IN:
        return None
    if worry := first_of(cues.WORRY_AFTER, text[m.end : end_of_clause(text, m.end)]):
        return f"a worry, not someone locked in: {m.cue.phrase}…{worry}"
    if before.rstrip("都也全还").endswith("车"):  # "她车都被锁了"
        return f"a vehicle locked, not a person: 车{m.cue.phrase}"
    # "把另一户的车用地锁锁在里面了": a car locked in, no person named before.
    if "车" in before and first_of(cues.PEOPLE_WORDS, before) is None:
        return f"a vehicle locked, not a person: 车…{m.cue.phrase}"
    # "他把电窑和拉坯机锁在仓库里": what 把 takes names nobody.
    if m.cue.phrase == "锁在" and (at := before.rfind("把")) >= 0:
        held = before[at + 1 :]
        if held and first_of(cues.PEOPLE_WORDS, held) is None and not first_of(cues.SPEAKERS, held):
            return f"a thing locked, not a person: 把{held}{m.cue.phrase}"
    # ("天台本来是晾衣服的地方，现在被锁起来了": the place is named in the clause before.)
    near = before if len(before) >= 3 else clause_before(text, m.start - len(before)) + before
    if (box := first_of(cues.LOCKED_THINGS, near)) and first_of(
        cues.PEOPLE_WORDS, near[near.rfind(box) :]
    ) is None:
        return f"a thing locked, not a person: {box}…{m.cue.phrase}"
    return None


def _no_peril(text: str, m: CueMatch) -> str | None:
    """Why a cue of something spreading or growing tells of no peril here: a drain bubbling, a
    nest that grows, or no fire, water or collapse named at all."""
    if text.startswith(cues.BUBBLING, m.start):
        return f"a drain bubbling: {m.cue.phrase}泡"
    nest_at = max(0, m.start - cues.NEST_REACH)
    if m.cue.phrase == "越来越大" and first_of(cues.NESTS, text[nest_at : m.start]):
        return "a nest grows: a hazard"
    if m.cue.phrase == "越来越大" and (
        text[: m.start].endswith(cues.VOICES) or text.startswith("声", m.end)
    ):
        return "voices grow louder, no peril"
    if m.cue.phrase in cues.NEEDS_A_PERIL and not any(
        w in cues.NOT_A_PERIL.sub("", text) for w in cues.PERILS
    ):
        return "no fire, water or collapse named"
    # "祠堂冒烟，不是着火，是有人在里面烧香": no fire, and no other peril named.
    if m.cue.phrase in cues.NEEDS_A_PERIL and (not_a_fire := first_of(cues.NOT_A_FIRE, text)):
        rest = cues.NOT_A_PERIL.sub("", text)
        if not any(w in rest for w in cues.PERILS if w not in cues.FIRE_WORDS):
            return f"not a fire: {not_a_fire}"
    return None


def _some_of_the_things(text: str, start: int) -> str | None:
    """The things "有的" (some of them) stands for: named before in the sentence, with no person
    after them ("树上挂满了卖楼的横幅，红红一片，有的掉下来")."""
    told = text[start_of_sentence(text, start) : start]
    thing = first_of(cues.THINGS, told)
    if thing is None or first_of(cues.PEOPLE_WORDS, told[told.rfind(thing) + len(thing) :]):
        return None
    return thing


def _falling_or_hanging_thing(text: str, m: CueMatch, before: str) -> str | None:
    """The thing that falls or hangs, where a cue of falling or hanging is told of one
    ("一块砖从工地楼上掉下来", "掉下来一捆", "风一吹掉下来", "枝丫裂开了，吊在半空")."""
    phrase = m.cue.phrase
    no_one_before = first_of(cues.PEOPLE_WORDS, before) is None
    if phrase in cues.FALLING:
        rest = text[m.end :]
        rest = rest[cues.THING_AFTER.match(rest).end() :]  # type: ignore[union-attr]
        if thing := next((w for w in cues.THINGS if rest.startswith(w)), None):
            return f"{phrase}…{thing}"
        # "渣土车掉下来的泥": what fell, named after it.
        if rest.startswith("的") and (thing := first_of(cues.FALLEN_STUFF, rest[1:3])):
            return f"{phrase}的{thing}"
        # "泥土掉到路上": what fell, named just before it.
        if thing := next((w for w in cues.FALLEN_THINGS if before.endswith(w)), None):
            return f"{thing}{phrase}"
        if counted := _COUNTED_THING.search(before):  # "一块砖从工地楼上掉下来"
            return counted.group()
        if counted := _COUNTED_BARE.search(before):  # "吊着钢管，有一根掉下来"
            return counted.group() + phrase
        if measure := cues.THING_MEASURE_AFTER.match(text, m.end):  # "掉下来一捆"
            return f"{phrase}{measure.group()}"
        # "风一吹掉下来": blown down by the wind; "有一条掉下来一半": half down.
        if no_one_before and (wind := first_of(cues.BLOWN, before)):
            return f"{wind}…{phrase}"
        if no_one_before and text.startswith("一半", m.end):
            return f"{phrase}一半"
        if before.endswith(cues.SOME_OF_THEM) and (some := _some_of_the_things(text, m.start)):
            return f"{some}…{before[-2:]}{phrase}"
    if phrase in cues.HANGING and no_one_before:
        # "有根枝丫裂开了，吊在半空": a branch hangs, not a person.
        near = clause_before(text, start_of_clause(text, m.start)) + before
        if thing := first_of(cues.HANGING_THINGS, near):
            return f"{thing}…{phrase}"
    return None


# The reason given for a lasting state ("中风后半身不遂"), the background of what a report goes
# on to tell: `grading` does not count it as harm or danger told.
LASTING_STATE: Final = "the background of what follows"
PASSED_RE: Final = re.compile("去世|过世|离世|咽气|已经过身|(?<![转翻侧回])过身了")


def over_word(text: str) -> str | None:
    """The first word saying it is over ("救上来", "扑灭"), unless negated ("都没救出来")."""
    for w in cues.OVER:
        at = text.find(w)
        while at >= 0:
            if not text[max(0, at - 2) : at].endswith(("没", "未", "没有", "没能")):
                return w
            at = text.find(w, at + 1)
    return None


def safe_word(text: str) -> str | None:
    """The word that says everyone is out of danger, unless the report goes on to say some
    remain ("人都跑出来了，但是四楼还有一个老人没下来")."""
    safe = first_of(cues.SAFE_NOW, text)
    if safe is None or cues.SOME_REMAIN.search(text, text.index(safe)) is not None:
        return None
    return safe


def _said_or_over(text: str, m: CueMatch, before: str, opening: int) -> str | None:
    """Why a cue tells of no harm now: a threat or a fear said, a death shouted in quotes by a
    report that says nobody was hurt, harm healed, illness, burning that is no fire."""
    phrase, kind, grade = m.cue.phrase, m.cue.kind, m.cue.grade
    if (
        phrase in ("着火", "着伙", "起火")
        and text[max(0, m.start - 2) : m.start] in cues.NOT_ALIGHT
    ):
        return "a stove that will not light"
    if kind is cues.HARM and grade is Severity.I:
        if phrase in cues.REMAINS and (
            text.startswith(cues.FUNERAL_AFTER, m.end) or before.endswith(cues.FUNERAL_BEFORE)
        ):
            return f"the remains in a funeral's business: {phrase}"
        if len(phrase) == 2 and phrase.endswith("死"):
            threat = first_of(cues.THREAT_BEFORE, before[-cues.THREAT_REACH :])
            if threat is not None:
                return f"a threat or a fear, not a death: {threat}…{phrase}"
            if before.endswith("你"):
                return f"shouted at someone: 你{phrase}"
            # "是想毒死人吗": an intent said just before the death; "想翻墙被电死了" is a death.
            if before.endswith("想"):
                return f"a threat or a fear, not a death: 想{phrase}"
        near = next((w for w in cues.NEAR_BLOWS_BEFORE if before.endswith(w)), None)
        if phrase.startswith("打死") and near:
            return f"a figure of speech: {near}{phrase}"
        if (
            (habit := first_of(cues.EVERY_TIME, text)) is not None
            and (
                in_quotes(text, m.start)
                # "一下雨就积水，淹死了，每次下雨都这样": a word for the water, no one named.
                or (
                    len(phrase) == 2
                    and phrase.endswith("死")
                    and not any(
                        w in text[start_of_sentence(text, m.start) : m.end]
                        for w in cues.PEOPLE_WORDS
                    )
                )
            )
        ):
            return f"said of what happens {habit}"
    # "楼上说再找上门就打断他腿": harm threatened on a condition (再…就), not done.
    if kind is cues.HARM and before.endswith("就") and "再" in before:
        return f"threatened on a condition: 再…就{phrase}"
    # "说孩子在武馆受伤了要先转钱，其实孩子好好的在上课": a story, said not to be so.
    if kind is cues.HARM and (in_fact := cues.IN_FACT_WELL.search(text, m.end)):
        return f"said, but in fact well: {in_fact.group()}"
    # "没呼吸了，我们店的员工在做心肺复苏": being revived, not yet dead.
    if phrase in cues.NO_BREATH and (revived := first_of(cues.BEING_REVIVED, text[m.end :])):
        return f"being revived: {revived}"
    # "有人在群里喊“食物中毒了”，其实到现在谁都没有不舒服".
    if (
        kind is cues.HARM
        and in_quotes(text, m.start)
        and (well := first_of(cues.NOBODY_HURT, text))
    ):
        return f"shouted in quotes, and {well}"
    # "吵得快出人命了": nearly, a figure of speech.
    if phrase in cues.NEARLY_DEATHS and before.endswith(cues.NEARLY_BEFORE):
        return f"nearly, not a death: {before[-1]}{phrase}"
    if "血" in phrase and text.startswith(cues.NOT_A_WOUND_AFTER, m.end):
        return f"not a wound: {phrase}{text[m.end]}"
    if phrase in cues.BACKGROUND_AFTER and text.startswith(cues.BACKGROUND_AFTER[phrase], m.end):
        return f"{LASTING_STATE}: {phrase}{text[m.end : m.end + 2]}"
    if phrase in cues.LEAKING and before.endswith(cues.WATER_PIPES):
        return f"water leaking: {before[-2:]}{phrase}"
    if phrase in cues.FIGURE_AFTER and text.startswith(cues.FIGURE_AFTER[phrase], m.end):
        return f"a figure of speech: {phrase}{text[m.end : m.end + 2]}"
    # ("店里switch被偷。救命 店里两台switch…被偷了": the cry opens the words after the title.)
    if phrase in cues.EXCLAMATIONS and m.start in (0, opening):
        return f"an exclamation: {phrase}"
    if phrase in cues.DESPAIR and (anger := first_of(cues.IN_ANGER, text)) is not None:
        return f"said in anger: {anger}"
    if (
        phrase in cues.DESPAIR
        and (quarrel := first_of(cues.QUARREL, text)) is not None
        and not told_unnegated(text, cues.AT_AN_EDGE)
        and first_of(cues.MEANS_AT_HAND, text) is None
    ):
        return f"cried out in a quarrel: {quarrel}"
    if m.cue.kind is cues.SHUT_IN and text.startswith(cues.OUTSIDE_AFTER, m.end):
        return f"locked out, not in: {phrase}{text[m.end : m.end + 2]}"
    weapon = phrase in cues.WEAPONS or cues.AT_KNIFEPOINT.fullmatch(phrase) is not None
    if weapon and any(w in _words_before_weapon(text, m.start) for w in cues.THREAT_SAID):
        return "a weapon in a threat said"
    if (
        phrase in cues.WEAPONS
        and (gone := first_of(cues.WEAPON_GONE, text)) is not None
        # "大家都跑了": the people around fled; the one with the knife did not.
        and not text[: text.index(gone)].endswith(cues.BYSTANDERS_FLED)
    ):
        return f"over: {gone}"
    if (
        kind is cues.HARM
        and first_of(cues.CALLER_SAID, text) is not None
        and first_of(cues.CALLER_SAID, to_sentence(text, m.start)) is not None
        and first_of(cues.SCAM_WORDS, text) is not None
    ):
        return "a caller's story, not harm seen"
    if (
        phrase in cues.SAID_TO_JUMP
        and first_of(cues.SAYING, text[max(0, m.start - 8) : m.start]) is not None
        and not told_unnegated(text, cues.AT_AN_EDGE)
    ):
        return "a threat said, no one at an edge"
    if phrase == "冒火" and (unlit := first_of(cues.NOTHING_LIT, text)) is not None:
        return f"sparks that lit nothing: {unlit}"
    if phrase == "冒火" and text.startswith("花", m.end):
        sentence = text[start_of_sentence(text, m.start) : end_of_sentence(text, m.end)]
        fitting = first_of(cues.SPARKING, sentence)
        if fitting and first_of(cues.SPARKS_DOWN, sentence) is None:
            return f"sparks from a fitting, a hazard: {fitting}…冒火花"
    if phrase == "冒火" and before.endswith(cues.BODY_ON_FIRE):
        return f"a figure of speech: {before[-2:]}{phrase}"
    if kind is cues.DANGER and grade is Severity.III and any(f in phrase for f in cues.FIRE_WORDS):
        not_a_fire = first_of(cues.NOT_A_FIRE, text)
        if not_a_fire:
            return f"not a fire: {not_a_fire}"
    if kind is cues.HARM and grade is Severity.II:
        healed = first_of(cues.HEALED, text[m.end : m.end + cues.HEALED_REACH])
        if healed:
            return f"past and healed: {healed}"
        if phrase in cues.IN_HOSPITAL:
            if text.startswith(cues.HOSPITAL_AS_A_TIME_AFTER, m.end):
                return f"a time, not harm: {phrase}{text[m.end]}…"
            if before.endswith("我") and text.startswith(cues.AT_HOSPITAL_FOR_AFTER, m.end):
                return f"where the reporter is: 我{phrase}{text[m.end]}…"
            if first_of(cues.HARM_CAUSES, text) is None:
                return "in hospital, no harm named"
    return None


def _words_before_weapon(text: str, start: int) -> str:
    """The words just before a weapon named, without the caller's report that introduces what
    happened ("来电者说邻居喝醉了拿着菜刀…": the caller says it, the neighbour holds the knife)."""
    before = text[max(0, start - cues.WEAPON_THREAT_REACH - 4) : start]
    return cues.REPORTED_SPEECH.sub("", before)[-cues.WEAPON_THREAT_REACH :]


def _asked(text: str, before: str, after: str, clause_end: int) -> bool:
    """Whether a cue is in a question ("话务员：有人受伤吗？", "有没有人被困？"): a call-taker's
    question tells nothing; the answer does."""
    if text[clause_end : clause_end + 1] not in ("？", "?"):
        return False
    return after.endswith(cues.QUESTION_ENDS) or first_of(cues.QUESTION_WORDS, before) is not None
