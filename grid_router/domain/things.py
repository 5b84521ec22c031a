"""Whether a cue of harm or danger is told of a thing, not a person (pure: standard library
only): named just before it ("东西都锁在里面", "泵起不来"), soaked, pressed or lying ("好几辆车泡在
水里"), locked in ("把电窑锁在仓库里"), falling or hanging ("一块砖从工地楼上掉下来").
`domain/subjects.py` asks these among its reasons."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain import cues, subject_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.wording import (
    clause_before,
    end_of_clause,
    end_of_sentence,
    first_of,
    people_or_places,
    start_of_clause,
    start_of_sentence,
)

# "有一根掉下来": a measure word for things (never for people) right before the cue.
# "一捆脱钩掉下来": a short verb may stand between the count and the fall.
_COUNTED_BARE: Final = re.compile("[一两几\\d][根块片条支堆捆](?:脱钩|脱落|松脱|滑落|突然)?$")
_COUNTED_THING: Final = re.compile(
    "[一几两\\d][根块片条支堆个段颗](?:" + "|".join(map(re.escape, subject_words.THINGS)) + ")"
)


def a_thing_named_before(m: CueMatch, before: str) -> str | None:
    """A thing or an animal named just before the cue: "东西都锁在里面", "把它困在里面",
    "摊子被砸", "我们的货都拉不出来", "宝宝的奶粉卡在里面" (what follows 的, not its owner),
    "泵起不来" (a machine), "开荒的钱也卡着" (money), "袖子被卷进去" (clothing), "我们三个人的都
    没了" (what they owned)."""
    phrase = m.cue.phrase
    for cue_words, little, named, what in subject_words.NAMED_JUST_BEFORE:
        if phrase in cue_words and before.rstrip(little).endswith(named):
            return f"{what}: {before[-3:]}{phrase}"
    if (
        phrase in subject_words.HELD_INSIDE
        and (owned := subject_words.OWNED_BEFORE.search(before[-8:]))
        and first_of(cues.PEOPLE_WORDS, people_or_places(owned.group(1))) is None
    ):
        return f"a thing, not a person: …的{owned.group(1)}{phrase}"
    if m.cue.kind is cues.SHUT_IN and before.rstrip("都也全还").endswith(
        subject_words.LOCKED_IN_THINGS
    ):
        return f"things locked in, not people: {before[-2:]}{phrase}"
    if before.endswith("它"):
        return f"an animal or a thing: 它{phrase}"
    if phrase in subject_words.PRESSED and before.endswith(subject_words.PRESSED_THINGS_BEFORE):
        return f"a thing, not a person: {before[-2:]}{phrase}"
    return None


def a_thing_told_before(text: str, m: CueMatch, before: str) -> str | None:
    """The thing a cue of falling, lying, being pressed, soaked or still inside is told of,
    named just before it ("好几辆车泡在水里"), or goods soaked and sold again ("海蛎…泡在水里冲一冲
    又拿出来卖")."""
    phrase = m.cue.phrase
    if phrase in subject_words.SOAKED and (
        sold := first_of(subject_words.SOAKED_FOR_SALE, text[m.end : end_of_sentence(text, m.end)])
    ):
        return f"goods soaked for sale: {phrase}…{sold}"
    if (
        phrase in cues.FALLING
        or phrase in subject_words.LYING
        or phrase in subject_words.PRESSED
        or phrase in subject_words.SOAKED
        or phrase in subject_words.STILL_INSIDE
    ):
        # "扔了几辆共享单车，半截泡在水里": a part word opens the clause; the thing is before it.
        near = clause_before(text, m.start - len(before)) + before if len(before) < 3 else before
        near = near[-subject_words.THING_REACH :]
        things: tuple[str, ...] = (
            subject_words.THINGS
            + (subject_words.LYING_THINGS if phrase in subject_words.LYING else ())
            + (subject_words.PRESSED_THINGS if phrase in subject_words.PRESSED else ())
            + (subject_words.SOAKED_THINGS if phrase in subject_words.SOAKED else ())
            + (subject_words.STILL_INSIDE_THINGS if phrase in subject_words.STILL_INSIDE else ())
        )
        thing = next((w for w in things if w in near), None)
        if thing and not any(
            w in near[near.rfind(thing) + len(thing) :] for w in cues.PEOPLE_WORDS
        ):
            return f"a thing, not a person: {thing}"
    return None


def locked_thing(text: str, m: CueMatch, before: str) -> str | None:
    """The vehicle, box or place a cue of being locked in is told of, when no person is."""
    # A boat aground is where its people are (`mistaken` asks whether anyone is aboard).
    if m.cue.kind is not cues.SHUT_IN or m.cue.phrase in subject_words.AGROUND:
        return None
    if worry := first_of(subject_words.WORRY_AFTER, text[m.end : end_of_clause(text, m.end)]):
        return f"a worry, not someone locked in: {m.cue.phrase}…{worry}"
    if before.rstrip("都也全还").endswith("车"):  # "她车都被锁了"
        return f"a vehicle locked, not a person: 车{m.cue.phrase}"
    # "把另一户的车用地锁锁在里面了": a car locked in, no person named before.
    if "车" in before and first_of(cues.PEOPLE_WORDS, before) is None:
        return f"a vehicle locked, not a person: 车…{m.cue.phrase}"
    # "他把电窑和拉坯机锁在仓库里": what 把 takes names nobody.
    if m.cue.phrase == "锁在" and (at := before.rfind("把")) >= 0:
        taken = before[at + 1 :]
        # "把我们的工具锁在屋里": what follows 的 is what is held ("把我的孩子" is a person).
        held = taken[taken.rfind("的") + 1 :] if "的" in taken[:-1] else taken
        if (
            held
            and first_of(cues.PEOPLE_WORDS, people_or_places(held)) is None
            and not first_of(subject_words.SPEAKERS, held)
        ):
            return f"a thing locked, not a person: 把{taken}{m.cue.phrase}"
    # ("天台本来是晾衣服的地方，现在被锁起来了": the place is named in the clause before.)
    near = before if len(before) >= 3 else clause_before(text, m.start - len(before)) + before
    if (box := first_of(subject_words.LOCKED_THINGS, near)) and first_of(
        cues.PEOPLE_WORDS, near[near.rfind(box) :]
    ) is None:
        return f"a thing locked, not a person: {box}…{m.cue.phrase}"
    return None


def falling_or_hanging_thing(text: str, m: CueMatch, before: str) -> str | None:
    """The thing that falls or hangs, where a cue of falling or hanging is told of one
    ("一块砖从工地楼上掉下来", "掉下来一捆", "风一吹掉下来", "枝丫裂开了，吊在半空")."""
    phrase = m.cue.phrase
    no_one_before = first_of(cues.PEOPLE_WORDS, before) is None
    if phrase in cues.FALLING:
        rest = text[m.end :]
        rest = rest[subject_words.THING_AFTER.match(rest).end() :]  # type: ignore[union-attr]
        if thing := next((w for w in subject_words.THINGS if rest.startswith(w)), None):
            return f"{phrase}…{thing}"
        # "渣土车掉下来的泥": what fell, named after it.
        if rest.startswith("的") and (thing := first_of(subject_words.FALLEN_STUFF, rest[1:3])):
            return f"{phrase}的{thing}"
        # "泥土掉到路上": what fell, named just before it ("砖头碎块时不时掉下来": how often).
        bare = before.removesuffix(next((w for w in subject_words.OFTEN if before.endswith(w)), ""))
        if thing := next((w for w in subject_words.FALLEN_THINGS if bare.endswith(w)), None):
            return f"{thing}{phrase}"
        if counted := _COUNTED_THING.search(before):  # "一块砖从工地楼上掉下来"
            return counted.group()
        if counted := _COUNTED_BARE.search(before):  # "吊着钢管，有一根掉下来"
            return counted.group() + phrase
        if measure := subject_words.THING_MEASURE_AFTER.match(text, m.end):  # "掉下来一捆"
            return f"{phrase}{measure.group()}"
        # "风一吹掉下来": blown down by the wind; "有一条掉下来一半": half down.
        if no_one_before and (wind := first_of(subject_words.BLOWN, before)):
            return f"{wind}…{phrase}"
        if no_one_before and text.startswith("一半", m.end):
            return f"{phrase}一半"
        if before.endswith(subject_words.SOME_OF_THEM) and (
            some := _some_of_the_things(text, m.start)
        ):
            return f"{some}…{before[-2:]}{phrase}"
    if phrase in subject_words.HANGING and no_one_before:
        # "有根枝丫裂开了，吊在半空": a branch hangs, not a person.
        near = clause_before(text, start_of_clause(text, m.start)) + before
        if thing := first_of(subject_words.HANGING_THINGS, near):
            return f"{thing}…{phrase}"
    return None


def _some_of_the_things(text: str, start: int) -> str | None:
    """The things "有的" (some of them) stands for: named before in the sentence, with no person
    after them ("树上挂满了卖楼的横幅，红红一片，有的掉下来")."""
    told = text[start_of_sentence(text, start) : start]
    thing = first_of(subject_words.THINGS, told)
    if thing is None or first_of(cues.PEOPLE_WORDS, told[told.rfind(thing) + len(thing) :]):
        return None
    return thing
