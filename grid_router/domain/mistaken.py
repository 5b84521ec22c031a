"""Words of danger that the report itself shows to be something else (pure: standard library
only): a thing the cue describes ("被冲出来的水泥块"), a pothole growing, smoke complained of, the
smell of a leak noticed, steam leaking from a vessel, a cry for help that turned out to be nothing,
a walk kept from. `subjects.nobody_meant` asks this; each answer is a reason in words a duty officer
reads back (None: as it sounds)."""

from __future__ import annotations

from grid_router.domain import cues, subject_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.wording import end_of_clause, first_of


def otherwise_than_it_sounds(text: str, m: CueMatch) -> str | None:
    """Why a cue of danger is something else here: a thing the cue describes, a pothole growing,
    smoke complained of, the smell of a leak, steam, not gas, a cry that turned out to be nothing, a
    walk kept from, not people shut in."""
    phrase = m.cue.phrase
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
    # "物业把侧门锁了，老人也出不去散步": a walk kept from, not people shut in.
    if phrase in cues.STUCK_OUT and text.startswith(subject_words.OUTINGS, m.end):
        return f"an outing kept from, not people shut in: {phrase}{text[m.end : m.end + 2]}"
    return None
