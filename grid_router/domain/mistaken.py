"""Words of danger that the report itself shows to be something else (pure: standard library only):
a thing the cue describes ("被冲出来的水泥块"), a pothole growing, smoke complained of, the smell of
a leak noticed, steam leaking from a vessel, a cry for help that turned out to be nothing, a walk
kept from, lying down in protest, a way a wheelchair cannot pass, an upper floor with no lift, an
animal or an empty boat aground, people cut off beyond a blocked road. `subjects.nobody_meant` asks
this; each answer is a reason in words a duty officer reads back (None: as it sounds)."""

from __future__ import annotations

from typing import Final

from grid_router.domain import cues, subject_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.wording import end_of_clause, end_of_sentence, first_of

# Said of an upper floor with no lift, where someone old is kept, not of anyone in danger: the
# learned grade does not raise it (`grading._settled`).
OF_ACCESS: Final = "a matter of access:"


def no_fire_or_flood(text: str) -> bool:
    """Whether the report names no fire burning and no flooding: the perils that make a way out
    that is hard to use a danger."""
    return first_of(cues.FIRE_NOW, text) is None and first_of(subject_words.FLOODING, text) is None


def _kept_upstairs(text: str, m: CueMatch, before: str) -> str | None:
    """Why someone said to be unable to get down or shut on an upper floor is kept there by the
    stairs, with no lift, and in no danger ("我们这楼没电梯，她七楼下不来", "高龄老人困在六楼…
    没电梯")."""
    phrase = m.cue.phrase
    floor = (
        "楼" + phrase
        if phrase in subject_words.CANNOT_GET_DOWN and before.endswith(("楼", "上不去"))
        else phrase + on.group()
        if phrase in subject_words.SHUT_ON_A_FLOOR
        and (on := subject_words.A_FLOOR.match(text, m.end)) is not None
        else None
    )
    if (
        floor is not None
        and (no_lift := subject_words.NO_LIFT_RE.search(text))
        and "卡" not in text
        and no_fire_or_flood(text)
    ):
        return f"an upper floor with no lift, {OF_ACCESS} {no_lift.group()}…{floor}"
    return None


def otherwise_than_it_sounds(text: str, m: CueMatch, before: str) -> str | None:
    """Why a cue of danger is something else here: a way a wheelchair cannot pass or an upper
    floor with no lift (a matter of access), a thing the cue describes, a pothole growing, smoke
    complained of, the smell of a leak, steam, not gas, a cry that turned out to be nothing, a walk
    kept from, not people shut in, lying down in protest, nobody aground, people cut off."""
    phrase = m.cue.phrase
    if (
        phrase in cues.STUCK_OUT
        and first_of(subject_words.WHEELCHAIR, before)
        and no_fire_or_flood(text)
    ):
        return f"where a wheelchair cannot pass, a hazard of access: 轮椅…{phrase}"
    if (upstairs := _kept_upstairs(text, m, before)) is not None:
        return upstairs
    # "小卖部门口被冲出来的水泥块堵住了": the cue describes a thing named after its 的.
    if phrase.startswith("被") and (described := subject_words.DESCRIBED.match(text, m.end)):
        named = text[described.end() : end_of_clause(text, described.end())]
        if named and first_of(cues.PEOPLE_WORDS, named) is None:
            return f"a thing described, not a person: {phrase}{described.group()}{named[:4]}"
    # "路口那个坑越来越大了": a pothole growing, with no collapse named.
    if (
        phrase in subject_words.GROWING
        and "坑" in text[max(0, m.start - 6) : m.start]
        and first_of(subject_words.COLLAPSE_WORDS, text) is None
    ):
        return f"a pothole growing, a road defect: 坑…{phrase}"
    # "烟从窗户灌进来，呛得喘不上气": smoke complained of, nobody taken ill.
    if (
        phrase in subject_words.BREATHLESS
        and text[max(0, m.start - 3) : m.start].endswith(subject_words.CHOKED_BY)
        and first_of(subject_words.TAKEN_ILL, text) is None
    ):
        return f"a complaint of smoke, nobody taken ill: {text[m.start - 2 : m.end]}"
    # "有一个阀门还有点漏气的味道": a smell noticed beside stored cylinders, a hazard.
    if phrase == "漏气" and text.startswith(subject_words.SMELL_OF_IT, m.end):
        return f"a smell of a leak, a hazard: {phrase}{text[m.end : m.end + 3]}"
    # "蒸汽灭菌锅…锅门那里一直漏气": steam, not a fuel gas.
    if (
        phrase == "漏气"
        and (steam := first_of(subject_words.STEAM_VESSELS, text)) is not None
        and first_of(subject_words.FUEL_GASES, text) is None
    ):
        return f"steam, not gas: {steam}"
    # "有人大喊救命，出去一看是两口子喝多了吵架…都没事": a cry that turned out to be nothing.
    if (
        phrase in subject_words.CRIES
        and (turned := first_of(subject_words.TURNED_OUT, text[m.end :])) is not None
        and first_of(cues.OUT_OF_DANGER, text[m.end :]) is not None
    ):
        return f"a cry that turned out otherwise: {turned}"
    # "几十个工人堵在工地门口讨薪，拉了横幅，有人躺在地上": lying down in protest.
    if (
        phrase in subject_words.LYING
        and (protest := first_of(subject_words.PROTESTING, text)) is not None
        and first_of(subject_words.HURT_IN_A_PROTEST, text) is None
    ):
        return f"lying down in protest, nobody hurt: {protest}…{phrase}"
    # "白城沙滩有一只海豚搁浅了": nobody aground (a boat aground tells who is aboard).
    if phrase in subject_words.AGROUND and (
        first_of(cues.PEOPLE_WORDS, before + text[m.end : end_of_sentence(text, m.end)]) is None
    ):
        return "aground, no one named aboard"
    # "山路塌下来一堆土石，把路堵了大半…就是里面的人出不来": cut off, not trapped.
    if (
        phrase in cues.STUCK_OUT
        and before.endswith(subject_words.CUT_OFF)
        and (cut := first_of(subject_words.ROAD_CUT, text[: m.start])) is not None
    ):
        return f"cut off by a road blocked, not trapped: {cut}…{before[-4:]}{phrase}"
    # "物业把侧门锁了，老人也出不去散步": a walk kept from, not people shut in.
    if phrase in cues.STUCK_OUT and text.startswith(subject_words.OUTINGS, m.end):
        return f"an outing kept from, not people shut in: {phrase}{text[m.end : m.end + 2]}"
    return None
