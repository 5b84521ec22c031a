"""Who or what a cue of harm or danger is told of (pure: standard library only): a person, an
animal ("死了一池鱼"), a thing ("好几辆车泡在水里", "把电窑锁在仓库里"), nobody at all, or a
figure of speech ("臭死了"); whether it is told of a thing is asked of `domain/things.py`.
`discounts.why_discounted` asks these after negation, questions and names; each answer is a reason
in words a duty officer reads back (None: a person may be meant)."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain import cues, subject_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.mistaken import no_fire_or_flood, otherwise_than_it_sounds
from grid_router.domain.model import Severity
from grid_router.domain.things import (
    a_thing_named_before,
    a_thing_told_before,
    falling_or_hanging_thing,
    locked_thing,
)
from grid_router.domain.wording import (
    clause_before,
    end_of_sentence,
    first_of,
    people_or_places,
    start_of_clause,
    start_of_sentence,
)

# "熏死了一个捡破烂的阿伯": a death counted right after it.
_DIED_IN_A_PLACE_RE: Final = re.compile(cues.DIED_IN_A_PLACE)
_COUNTED_DEATH: Final = re.compile("死了?[一两二三四五六七八九十几\\d]+[个名位]")


def _counted_dead(text: str, at: int) -> bool:
    """Whether the death at `at` is counted and a person named after the count ("死了一个拾荒的
    老人"; not "热死了一个说冷死了", "堵死了一个多小时")."""
    counted = _COUNTED_DEATH.match(text, at)
    return (
        counted is not None
        and first_of(cues.PEOPLE_WORDS, text[counted.end() : counted.end() + 8]) is not None
    )


def _saying(text: str, m: CueMatch) -> str | None:
    """The saying a cue stands inside, if any."""
    for saying in subject_words.SAYINGS:
        at = text.find(saying)
        while at >= 0:
            if at <= m.start and m.end <= at + len(saying):
                return saying
            at = text.find(saying, at + 1)
    return None


def animal_or_figure(text: str, m: CueMatch, before: str, after: str) -> str | None:
    """Harm told of animals ("死了一池鱼", "白鹭翅膀受伤") or of things ("栈道被浪打断"), or a
    figure of speech ("臭死了", "剧中毒")."""
    phrase = m.cue.phrase
    if phrase == "打断" and before.endswith(subject_words.BROKEN_BY_WEATHER):
        return f"a thing broken: {before[-2:]}{phrase}"
    if phrase.startswith("捅") and (
        subject_words.NEST_POKED.search(before) or subject_words.NEST_AFTER.match(after)
    ):
        return f"a nest poked, not a person: {phrase}"
    if phrase in subject_words.PULLED_THROUGH and before.rstrip("也都还").endswith(
        subject_words.BUSINESSES
    ):
        return f"a business, not a person: {phrase}"
    if m.cue.kind is cues.HARM:
        animal = _animal_named(text, m, before, after)
        if animal is not None:
            return f"not a person: {animal}"
    death = phrase.find("死")
    # "我的鞋子全淹死了", "花都淹死了": a thing or a plant, not a person.
    if death >= 0 and (
        thing := next(
            (
                t
                for t in subject_words.DEAD_THINGS
                if before.rstrip(subject_words.BEFORE_DEAD_THINGS).endswith(t)
            ),
            None,
        )
    ):
        return f"not a person: {thing}"
    vehicle = next((v for v in subject_words.DEAD_VEHICLES if before.endswith(v)), None)
    if death >= 0 and vehicle:
        return f"not a person: {vehicle}"
    # "把一个老人熏死了", "熏死了一个捡破烂的阿伯": someone killed by what is named (or counted
    # dead), not a figure of speech.
    if (
        death >= 0
        and m.cue.grade is Severity.I
        and not phrase.startswith("把")
        and not _counted_dead(text, m.start + death)
    ):
        at = m.start + death
        if (
            at > 0
            and text[at - 1] in cues.FIGURE_BEFORE_DEATH
            # ("他奶奶被烟呛死在里面了": someone named, dead in a place.)
            and (death == 0 or _DIED_IN_A_PLACE_RE.match(text, at) is None)
        ):
            return f"figure of speech: {text[at - 1]}死"
    # "同事吃完在厕所蹲了一下午，说拉到人没了": the degree of a bout, a figure of speech.
    if (
        phrase.startswith("人")
        and m.start >= 2
        and text[m.start - 1] in "到得"
        and text[m.start - 2] in subject_words.SPENT_BY
    ):
        return f"figure of speech: {text[m.start - 2 : m.start]}{phrase}"
    if phrase.endswith("中毒") and any(
        f in before[-4:] for f in subject_words.FIGURE_BEFORE_POISONING
    ):
        return "figure of speech"
    if (saying := _saying(text, m)) is not None:
        return f"a saying: {saying}"
    if m.cue.kind is cues.HARM and (denied := subject_words.NOT_A_PERSON_AFTER.search(text, m.end)):
        return f"said to be no person: {denied.group()}"
    if (
        phrase in cues.BURNING
        and before.removesuffix("是").endswith("像")
        and (
            smell := first_of(
                subject_words.SMELLED, text[start_of_sentence(text, m.start) : m.start]
            )
        )
    ):
        return f"a smell likened to burning: {smell}…像{phrase}"
    # "吵得跟要出人命一样": a likeness, not what happened.
    if after.startswith(subject_words.LIKENESS_AFTER) and first_of(
        subject_words.LIKE_BEFORE, before[-4:]
    ):
        return f"figure of speech: …{phrase}{after[:2]}"
    # "臭到要昏倒", "臭得病人在车里都要吐了": how bad it is, told by what it would do.
    # "这家店的螺蛳粉简直毒死人了": 简直 says a figure of speech.
    if "死" in phrase and "简直" in before:
        return f"a figure of speech: 简直…{phrase}"
    if could := subject_words.COULD_DO_TO_ANYONE.search(before):
        return f"a figure of speech: {could.group()}{phrase}"
    degree = subject_words.DEGREE_FIGURE.search(before)
    if degree and (
        first_of(subject_words.DEGREE_WOULD, before[degree.end() :] + after)
        or (phrase in subject_words.DEGREE_ONLY and degree.end() == len(before))
    ):
        return f"a figure of speech: {degree.group()}…{phrase}"
    return None


def _a_device_or_nobody_out(text: str, m: CueMatch, before: str) -> str | None:
    """A device that does not answer ("点了没反应") or is named by what it does ("燃烧器"), or
    nobody coming out to see to something ("没出来看")."""
    phrase = m.cue.phrase
    if phrase in subject_words.NOT_ANSWERING and (
        first_of(subject_words.DEVICES, before[-3:]) is not None
        or before.endswith(subject_words.TAPPED)
        or subject_words.TAPPED_AGAIN_RE.search(before) is not None
    ):
        return f"a device does not answer: {before[-3:]}{phrase}"
    if phrase in subject_words.DEVICE_AFTER and text.startswith(
        subject_words.DEVICE_AFTER[phrase], m.end
    ):
        return f"a device, not a fire: {phrase}{text[m.end]}"
    if phrase == "没出来" and text.startswith(subject_words.CAME_OUT_TO, m.end):
        return f"nobody came out to see to it: {phrase}{text[m.end : m.end + 2]}"
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
    # "大树倒了，压死一个骑车的": the person struck is counted right after the cue.
    if (counted := subject_words.COUNTED_AFTER.match(after)) and first_of(
        cues.PEOPLE_WORDS, people_or_places(after[counted.end() : counted.end() + 6])
    ):
        return None
    # "有人在烧死鸡": the animal killed, or dead, is named right after the death.
    if m.cue.grade is Severity.I and (
        animal := next((a for a in cues.NOT_PEOPLE if after.startswith(a)), None)
    ):
        return animal
    # The two sides apart: "捡到" + "的鸟" joined round the cue would read as a doer ("捡到的").
    near = people_or_places(before[-4:]) + people_or_places(after[:6])
    if subject_words.ANIMAL_MEASURE.search(before):
        return before[-2:]  # "一只受伤的白鹭": 只 counts animals
    # "有几只狗嘴边还有白沫像是毒死的": animals counted earlier in the clause.
    clause = text[start_of_clause(text, m.start) : m.start]
    if subject_words.ANIMALS_COUNTED.search(clause) and (
        animal := first_of(cues.NOT_PEOPLE, clause)
    ):
        return animal
    # "发现一只大海龟，壳有盆那么大，好像受伤了": counted earlier in the sentence, no one since.
    sentence = text[start_of_sentence(text, m.start) : m.start]
    if (counted := subject_words.ANIMALS_COUNTED.search(sentence)) is not None:
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
            not subject_words.SUBJECTLESS.fullmatch(before)
            or any(c in m.cue.phrase for c in subject_words.COUNT_CHARS)
            or first_of(cues.PEOPLE_WORDS, near) is not None
        ):
            return None
    animal = first_of(cues.NOT_PEOPLE, near)
    if animal is None and m.cue.grade is Severity.I:
        # "老有蛇爬进院子，昨天厨房里发现一条，不知道有没有毒，已经打死了": a bare death after
        # clauses that name an animal last and no person since.
        earlier = people_or_places(subject_words.NO_ONE.sub("", text[: m.start]))
        last = max(cues.NOT_PEOPLE, key=earlier.rfind)
        since = earlier[earlier.rfind(last) :] if last in earlier else ""
        if since and first_of(cues.PEOPLE_WORDS, since) is None:
            return last
    # "卖菜的阿姨": a person named by what they sell.
    tail = before[-4:]
    person = "的" in tail and first_of(cues.PEOPLE_WORDS, tail[tail.rfind("的") :]) is not None
    # ("没出来，两个人都走了": the death told counts the people.)
    if (
        animal is None
        or "人" in near
        or person
        or subject_words.PEOPLE_COUNTED.search(m.cue.phrase)
    ):
        return None
    # "发现一只大海龟，旁边一个小孩好像受伤了": a person named after the animal.
    after_it = near[near.rfind(animal) + len(animal) :]
    return animal if first_of(subject_words.DEPENDANTS, after_it) is None else None


# "地上躺着四个，听说一个已经没气了": one of those counted is the person harmed.
# ("一个被打倒在地上没气了": one of those counted, struck down.)
_COUNTED_BEFORE: Final = re.compile(
    "[一两俩三四五六七八九十几\\d]个(?:被[^，,。；;！!？?]{1,6})?(?:已经|都|也|当场|就)*$"
)


def _around(text: str, m: CueMatch, clause_end: int) -> str:
    """Where the person a cue is told of may be named: in the clause or just before it ("两个
    孩子…, 找到时已经没了"); for breath gone, anywhere in the sentence ("一个男的倒在地上…我摸了
    一下已经没气了") unless it names a thing that holds gas ("煤气罐没气了")."""
    around = subject_words.NO_ONE.sub(
        "", text[max(0, m.start - subject_words.PERSON_REACH) : clause_end]
    )
    around = people_or_places(around)
    if m.cue.phrase in subject_words.BREATH_GONE and first_of(cues.PEOPLE_WORDS, around) is None:
        sentence = text[start_of_sentence(text, m.start) : clause_end]
        if first_of(subject_words.GAS_THINGS, sentence) is None:
            around = people_or_places(subject_words.NO_ONE.sub("", sentence))
    return around


def nobody_meant(text: str, m: CueMatch, before: str, clause_end: int) -> str | None:
    """Why a cue about people is about no person here (None: a person may be meant)."""
    phrase = m.cue.phrase
    around = _around(text, m, clause_end)
    if (
        phrase in subject_words.NEEDS_A_PERSON
        and first_of(cues.PEOPLE_WORDS, around) is None
        and not (m.cue.kind is cues.HARM and _COUNTED_BEFORE.search(before))
        # "埋了一辆车，不知道车里有没有人": someone may be in it.
        and first_of(subject_words.MAYBE_SOMEONE, text[m.end : end_of_sentence(text, m.end)])
        is None
    ):
        return "no person named"
    if phrase in subject_words.GONE:
        thing = first_of(subject_words.GONE_THINGS, before[-subject_words.THING_REACH :])
        if thing:
            return f"a thing gone, not a person: {thing}"
    if (thing := falling_or_hanging_thing(text, m, before)) is not None:
        return f"a thing, not a person: {thing}"
    # "来看一辆被砸的车": the thing struck follows the cue.
    if (
        phrase in subject_words.PRESSED
        and text.startswith("的", m.end)
        and (
            struck := next(
                (t for t in subject_words.PRESSED_THINGS if text.startswith(t, m.end + 1)), None
            )
        )
    ):
        return f"a thing, not a person: {phrase}的{struck}"
    if phrase in subject_words.LYING and before.endswith(subject_words.DUMPED_BEFORE):
        return f"dumped, not fallen: {before[-2:]}{phrase}"
    if (thing := a_thing_named_before(m, before)) is not None:
        return thing
    # ("栏杆外面拿手机拍小朋友".)
    if phrase in subject_words.OUTSIDE_A_RAILING and text[m.end :].removeprefix("面").startswith(
        subject_words.WALKING_ABOUT
    ):
        return f"walking about, not perched: {phrase}{text[m.end : m.end + 2]}"
    if phrase in subject_words.OUTSIDE_A_RAILING and (
        work := first_of(subject_words.AT_WORK, text[m.end : clause_end])
    ):
        return f"at work, not perched: {phrase}…{work}"
    if phrase in cues.SAID_TO_JUMP and text.startswith(subject_words.NOT_A_LEAP_AFTER, m.end):
        return f"a way of moving, not a leap: {phrase}{text[m.end]}"
    if phrase in subject_words.JUMPED_DOWN and before.endswith(subject_words.DRIVER_BEFORE):
        return f"a driver out of the vehicle, not a leap: 司机…{phrase}"
    if phrase in cues.STUCK_OUT and before.endswith(subject_words.CROWDED):
        return f"a crowd: {before[-2:]}{phrase}"
    if phrase in cues.STUCK_OUT and text.startswith(subject_words.WAY_ROUND_AFTER, m.end):
        return f"a way blocked, with a way round: {phrase}{text[m.end : m.end + 3]}"
    if (
        phrase in subject_words.BANGING_ON_A_CAR
        and first_of(subject_words.SOMEONE_INSIDE, text) is None
    ):
        return "banging from outside, no one said to be inside"
    if (
        phrase in subject_words.BANGING_ON_A_CAR
        and (crowd := first_of(subject_words.CROWD_AROUND, text[: m.start])) is not None
    ):
        return f"a crowd banging from outside: {crowd}…{phrase}"
    if phrase in ("拍窗户", "拍车窗") and first_of(subject_words.PHOTOGRAPHING, before) is not None:
        return "photographing, not calling for help"
    if (thing := a_thing_told_before(text, m, before)) is not None:
        return thing
    # ("出口的门被锁", "安全门被锁": the exit named with its door or as one.)
    if m.cue.kind is cues.SHUT_IN and any(
        before.rstrip("的门被").endswith(e) or before.rstrip("的被").endswith(e)
        for e in subject_words.EXITS
    ):
        return "an exit locked: a hazard"
    # "消防通道锁铁链，货堆满出不去": nobody is shut in by a blocked exit until a fire.
    if (
        phrase in cues.STUCK_OUT
        and (exit_ := first_of(subject_words.WAYS_OUT, text[: m.start])) is not None
        and no_fire_or_flood(text)
    ):
        return f"an exit blocked: a hazard ({exit_})"
    if (otherwise := otherwise_than_it_sounds(text, m, before)) is not None:
        return otherwise
    if m.cue.kind is cues.SHUT_IN or (m.cue.kind is cues.DANGER and m.cue.grade is Severity.II):
        # "养了两条大狗，天天关在阳台叫", "猫困在树上": an animal, not a person.
        animal = first_of(cues.NOT_PEOPLE, around)
        if animal and (
            first_of(cues.PEOPLE_WORDS, around) is None or animal_told_last(around, animal)
        ):
            return f"not a person: {animal}"
    if phrase in subject_words.NEEDS_A_FIRE and first_of(cues.FIRE_NOW, text) is None:
        return "no fire named"
    if (no_peril := _no_peril(text, m)) is not None:
        return no_peril
    if (
        phrase in subject_words.NEEDS_LEFT_BEHIND
        and first_of(subject_words.LEFT_BEHIND_BEFORE, before) is None
    ):
        return "nobody said to be left behind"
    if phrase in subject_words.DRINKING_POISON and first_of(subject_words.POISONS, text) is None:
        return "no poison named"
    if (
        phrase in subject_words.NEEDS_A_DEPENDANT
        and first_of(subject_words.DEPENDANTS, around) is None
    ):
        return "no child or elder named"
    if (
        phrase in subject_words.ASLEEP_DRUNK
        and first_of(subject_words.DRUNK, text)
        and (breathing := first_of(subject_words.BREATHING, text))
    ):
        return f"drunk and {breathing}"
    if (
        phrase in subject_words.KEPT_DOWN
        and first_of(subject_words.PAIN_BEFORE, before)
        and not first_of(subject_words.FALLS, text)
    ):
        return "pain keeps them down, no fall told"
    if phrase in cues.STUCK_OUT and before.endswith(subject_words.WATER_BEFORE):
        return f"the water cannot drain: {before[-1]}{phrase}"
    if phrase in cues.STUCK_OUT and before.endswith(subject_words.SMOKE_BEFORE):
        return f"the smoke cannot clear: {before[-1]}{phrase}"
    if (locked := locked_thing(text, m, before)) is not None:
        return locked
    if (
        phrase in subject_words.LIVING_INSIDE
        and text.startswith(subject_words.LIVING_AFTER, m.end)
        and first_of(cues.FIRE_NOW, text) is None
    ):
        return f"people living there, a hazard: {phrase}{text[m.end]}"
    if phrase == "没上来" and before.endswith(subject_words.WATER_NOT_RISEN_BEFORE):
        return "the water has not risen"
    if phrase in subject_words.NEEDS_A_DEPENDANT and before.endswith("看"):
        return "cannot see, not gone: 看不见了"
    if phrase in subject_words.NEEDS_A_DEPENDANT and (
        thing := first_of(subject_words.GONE_THINGS, before[-subject_words.THING_REACH :])
    ):
        return f"a thing gone, not a person: {thing}"
    if phrase in subject_words.TAKEN and before.rstrip("都也又就").endswith(subject_words.PARENTS):
        return "a parent took the child"
    if phrase in subject_words.TAKEN and first_of(subject_words.DEPENDANTS, text) is None:
        return "no child or elder named"
    if (device := _a_device_or_nobody_out(text, m, before)) is not None:
        return device
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
                subject_words.BLOCKING_THINGS, text[start_of_sentence(text, m.start) : m.start]
            )
        )
        and first_of(cues.FIRE_NOW, text) is None
        and first_of(subject_words.WATER_RISING, text) is None
    ):
        return f"a way blocked by things, not people trapped: {blocked_by}…{phrase}"
    return None


def animal_told_last(around: str, animal: str) -> bool:
    """Whether the animal is named after every person in `around`, and not as the doer ("被人放了
    个纸箱，里面像是一条小狗，动不了"; not "老人被狗咬了，动不了"; `deaths` asks it of what someone
    is said to say died)."""
    at = around.rfind(animal)
    person = max(around.rfind(w) for w in cues.PEOPLE_WORDS)
    done_to = around[max(0, at - 1) : at] in subject_words.DONE_TO_AN_ANIMAL  # "进去抢鸡没出来"
    return at > person and "被" not in around[max(0, at - 3) : at] and not done_to


def _no_peril(text: str, m: CueMatch) -> str | None:
    """Why a cue of something spreading or growing tells of no peril here: a drain bubbling, a
    nest that grows, or no fire, water or collapse named at all."""
    if text.startswith(subject_words.BUBBLING, m.start):
        return f"a drain bubbling: {m.cue.phrase}泡"
    nest_at = max(0, m.start - subject_words.NEST_REACH)
    if m.cue.phrase == "越来越大" and first_of(subject_words.NESTS, text[nest_at : m.start]):
        return "a nest grows: a hazard"
    if m.cue.phrase == "越来越大" and (
        text[: m.start].endswith(subject_words.VOICES) or text.startswith("声", m.end)
    ):
        return "voices grow louder, no peril"
    if m.cue.phrase in subject_words.NEEDS_A_PERIL and not any(
        w in cues.NOT_A_PERIL.sub("", text) for w in subject_words.PERILS
    ):
        return "no fire, water or collapse named"
    # "祠堂冒烟，不是着火，是有人在里面烧香": no fire, and no other peril named.
    if m.cue.phrase in subject_words.NEEDS_A_PERIL and (
        not_a_fire := first_of(cues.NOT_A_FIRE, text)
    ):
        rest = cues.NOT_A_PERIL.sub("", text)
        if not any(w in rest for w in subject_words.PERILS if w not in cues.FIRE_WORDS):
            return f"not a fire: {not_a_fire}"
    return None
