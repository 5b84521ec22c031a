"""Where words stand in a report's text: clauses and sentences, a negation before a word, quotes,
and the first of a list of words that occurs (pure: standard library only). Grading reads every
cue through these (`domain/grading.py`, `domain/discounts.py`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from grid_router.domain import cues
from grid_router.domain.speech import CLAUSE_BREAKS


def end_of_sentence(text: str, pos: int) -> int:
    """Where the sentence holding `pos` ends."""
    while pos < len(text) and text[pos] not in cues.SENTENCE_BREAKS:
        pos += 1
    return pos


def end_of_clause(text: str, at: int) -> int:
    """Where the clause that holds position `at` ends."""
    while at < len(text) and text[at] not in CLAUSE_BREAKS:
        at += 1
    return at


def people_or_places(near: str) -> str:
    """`near` with a person named by what they do read as 人 ("骑电动车的", "卖菜的", "草坪工"),
    a place named after animals or plants read as 地 ("鱼塘", "菜市场"), and food, a kitchen knife
    or a thing as 物 ("凉拌菜", "菜刀", "花盆", and words that hold 工 or 卖 and name nobody:
    "工具", "招工的", "卖房子的广告牌", "卖的鸭子")."""
    if "工" in near:
        near = _NOT_A_WORKER.sub("物", near)
    if "卖" in near:
        near = _SOLD.sub("售的", _SALE_SIGNS.sub("物的", near))
    near = cues.PLANT_TRADES.sub("人", _DOER.sub("人", near))
    return cues.NOT_A_PLANT.sub("物", cues.ANIMAL_PLACES.sub("地", near))


# "卖菜的", "骑电动车的", "送外卖的": a person named by what they do.
_DOER: Final = re.compile("(?:卖|骑|开|送|修|收|捡|扫|钓)(?!的)[^，,。；;！!？?\\s]{1,6}的")
# "卖房子的广告牌": boards that advertise a sale, no seller.
_SALE_SIGNS: Final = re.compile("卖[^，,。；;！!？?\\s]{1,6}的(?=广告|招牌|牌子|横幅|传单|海报)")
# "卖的鸭子": the ducks sold, not a seller (卖 alone is one: "卖鱼的").
_SOLD: Final = re.compile("卖的(?![人们])")
# "招工的" (job ads), "工具", "工资": words that hold 工 and name no worker.
_NOT_A_WORKER: Final = re.compile("工具|工资|工钱|工期|工程|工艺|招工|施工")


def first_of(words: Iterable[str], text: str) -> str | None:
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


# One alternation per word list `first_of` was given, keyed by the list's identity (the list is
# kept beside it, so that identity cannot pass to another object).
_ANY_OF: Final[dict[int, tuple[object, re.Pattern[str]]]] = {}


_ANY_OF_MOST: Final = 256


def negation_before(before: str) -> str | None:
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


def in_quotes(text: str, at: int) -> bool:
    """Whether position `at` lies inside quotation marks."""
    before = text[:at]
    opened = before.count("“") + before.count("「")
    closed = before.count("”") + before.count("」")
    return opened > closed or before.count('"') % 2 == 1


def told_unnegated(text: str, words: Iterable[str]) -> bool:
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


def start_of_clause(text: str, pos: int) -> int:
    """Where the clause holding `pos` starts."""
    while pos > 0 and text[pos - 1] not in CLAUSE_BREAKS:
        pos -= 1
    return pos


def clause_before(text: str, clause_start: int) -> str:
    """The clause before the one starting at `clause_start`, if the same sentence holds both."""
    if clause_start == 0 or text[clause_start - 1] in cues.SENTENCE_BREAKS:
        return ""
    return text[start_of_clause(text, clause_start - 1) : clause_start - 1]


def start_of_sentence(text: str, at: int) -> int:
    """Where the sentence that holds position `at` begins."""
    start = at
    while start > 0 and text[start - 1] not in cues.SENTENCE_BREAKS:
        start -= 1
    return start


def to_sentence(text: str, at: int) -> str:
    """The text of the sentence that holds position `at`, up to it."""
    return text[start_of_sentence(text, at) : at]


def from_sentence(text: str, at: int) -> str:
    """The text from the start of the sentence that holds position `at`: a request told there
    or after it is what the report is for; one told before belongs to another matter."""
    return text[start_of_sentence(text, at) :]
