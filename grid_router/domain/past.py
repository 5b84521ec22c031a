"""When a cue of harm or danger is told (pure: standard library only): in the past ("上个月",
"摔伤在家躺了半年"), again and again or at some time before ("每次都有人被关", "掉下来过"), or
not yet ("还没伤到人"). `domain/discounts.py` asks these among its reasons."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain import cues, discount_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.model import Severity
from grid_router.domain.speech import HISTORY
from grid_router.domain.wording import first_of, start_of_sentence

# Someone has died ("去世", "咽气"): a death is told however long ago.
PASSED_RE: Final = re.compile("去世|过世|离世|咽气|已经过身|(?<![转翻侧回])过身了")


def told_past(text: str, m: CueMatch, before: str, after: str, clause_start: int) -> str | None:
    """The words that put a cue in the past: a time before it ("上个月"), in its sentence, or
    months of lying up after it ("摔伤在家躺了半年")."""
    history = first_of(HISTORY, before)
    # A death is told however long ago, and so is harm a death followed ("上个月…被狗咬伤…昨天
    # 在医院去世了").
    if history is None and m.cue.grade is not Severity.I and not PASSED_RE.search(text, m.end):
        history = _history_of_sentence(text, clause_start)
    if (
        history is None
        and m.cue.kind is cues.HARM
        and (since := discount_words.LONG_SINCE_RE.search(after))
    ):
        history = since.group()
    return history


def _history_of_sentence(text: str, clause_start: int) -> str | None:
    """The word that puts a whole sentence long ago, told in a clause before the cue's ("上周
    我们组的老洪犯病，救护车在外面绕了十分钟"), unless the sentence comes back to now."""
    earlier = text[start_of_sentence(text, clause_start) : clause_start]
    history = first_of(HISTORY, earlier)
    if (
        history is None
        or first_of(discount_words.NOW, earlier[earlier.index(history) :]) is not None
    ):
        return None
    return history


def not_yet(text: str, start: int) -> bool:
    """Whether the negation just before `start` says "not yet" ("还没伤到人")."""
    return first_of(discount_words.NOT_YET, text[max(0, start - 4) : start]) is not None


def told_habit(text: str, m: CueMatch, before: str) -> str | None:
    """Why a cue tells of what happens again and again, or has happened before, not now:
    every time something else does ("一落雨就淹死人"), danger or people shut in every day or
    every time ("每天都有一伙人在车里打牌", "每次都有人被关十来分钟"), or what has happened at
    some time ("上面掉下来过扳手")."""
    if (habit := discount_words.HABITUAL.search(before)) is not None:
        return f"what happens every time: {habit.group()}"
    if (
        m.cue.kind is not cues.HARM
        and (daily := first_of(discount_words.EVERY_DAY, before)) is not None
    ):
        return f"what happens every day: {daily}"
    # "一个轮子掉进去过": a direction may stand between the cue and its 过.
    way = next((w for w in discount_words.DIRECTIONS if text.startswith(w + "过", m.end)), "")
    at = m.end + len(way)
    if text.startswith("过", at) and (way or not text.startswith(("过来", "过去"), at)):
        return f"has happened before: {m.cue.phrase}{way}过"
    return None
