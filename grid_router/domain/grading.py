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
written every way with the policy's thresholds (`GradeThresholds`); a group taken ill together,
and whether a doctor told it mild, is read in `domain/illness.py`. The cue tables and the words
read around a cue are in `domain/cues.py`; deaths told in words ("师傅没了") in
`domain/deaths.py`; why a cue does not count where it stands is in `domain/discounts.py`, with
its words in `domain/discount_words.py` (whether it is told of a person at all in
`domain/subjects.py`, with its words in `domain/subject_words.py`), and where words stand
(clauses, sentences, negations) in `domain/wording.py`. This module is how they are applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Final

from grid_router.domain import cues, illness, unharmed_words
from grid_router.domain.counting import GradeThresholds, counted_cues
from grid_router.domain.cues import CueMatch, GradeCue
from grid_router.domain.deaths import deaths_told
from grid_router.domain.discounts import (
    LASTING_STATE,
    natural_death,
    natural_word,
    over_word,
    safe_word,
    why_discounted,
)
from grid_router.domain.mistaken import OF_ACCESS
from grid_router.domain.model import Severity
from grid_router.domain.past import not_yet
from grid_router.domain.phrases import longest_first
from grid_router.domain.speech import LONG_AGO
from grid_router.domain.wording import (
    end_of_clause,
    end_of_sentence,
    first_of,
    people_or_places,
    start_of_sentence,
)


@dataclass(frozen=True, slots=True)
class GradeReading:
    grade: Severity
    raised: tuple[str, ...] = ()
    discounted: tuple[str, ...] = ()
    # Why no learned guess may raise this grade: the text itself says the people are out of
    # danger (shut in, unhurt) or that a death was natural.
    settled: str | None = None
    # The text read, for `unharmed` (worked out only when asked: most reports never need it).
    text: str = field(default="", repr=False, compare=False)

    @property
    def unharmed(self) -> str | None:
        """Why the learned guess may not raise this reading to II (it may still to III): the
        text says everyone is safe ("屋里没人", "人都跑出来了"), or asks for help or papers
        ("临时救助"), and no cue of harm or danger to people is live (the grade is III or IV)."""
        if self.grade not in (Severity.IV, Severity.III):
            return None
        if not self.raised and (past := next(filter(_long_past, self.discounted), None)):
            return f"harm long past: {past}"
        return _unharmed(self.text)


@dataclass
class GradeReader:
    """Compiled once from the cue tables (plus a taxonomy's own cues); `read` is pure."""

    extra: Sequence[GradeCue] = ()
    thresholds: GradeThresholds = field(default_factory=GradeThresholds)

    def __post_init__(self) -> None:
        table = {c.phrase: c for c in (*cues.CUES, *self.extra)}
        self._cues = table
        self._pattern = longest_first(table)
        self._deaths = longest_first(p for p, c in table.items() if c.grade is Severity.I)

    def _matches(self, text: str, extra_active: Iterable[GradeCue]) -> list[CueMatch]:
        """Where the table's cues and the subcategory's own occur in `text`."""
        matches = [
            CueMatch(self._cues[m.group()], m.start(), m.end())
            for m in self._pattern.finditer(text)
        ]
        matches.extend(self._deaths_overlapped(text, matches))
        for cue in extra_active:
            pos = text.find(cue.phrase)
            end = pos + len(cue.phrase)
            # "车掉进" was read already: the "掉进" inside it decides nothing on its own.
            if pos >= 0 and not any(m.start <= pos and end <= m.end for m in matches):
                matches.append(CueMatch(cue, pos, end))
        return matches

    def _deaths_overlapped(self, text: str, matches: list[CueMatch]) -> list[CueMatch]:
        """Deaths that begin inside a cue read before them and run on past it, which the
        table's one pass skips: "被压死了" is read as 被压 and "煤气中毒死了" as 煤气中毒, so
        the 压死 and 中毒死 that go on from them are looked for where those cues end."""
        found: list[CueMatch] = []
        for m in matches:
            for pos in range(m.start + 1, m.end):
                death = self._deaths.match(text, pos)
                if death is not None and death.end() > m.end:
                    found.append(CueMatch(self._cues[death.group()], pos, death.end()))
                    break
        return found

    def read(
        self, text: str, extra_active: Iterable[GradeCue] = (), opening: int = 0
    ) -> GradeReading:
        """The grade `text` describes now, with the cues that raised it and those discounted.
        `extra_active` are further cues that apply to this report (its subcategory's own);
        `opening` is where the description begins when a title stands before it."""
        raised: list[str] = []
        grade = Severity.IV
        matches = self._matches(text, extra_active)
        # Most reports name no cue at all: the context words are looked for only when needed.
        over = over_word(text) if matches else None
        shut_in = first_of(cues.SHUT_IN_CONTEXT, text) is not None if matches else False
        found = _sort(text, matches, over, shut_in, opening)
        live, negated, past, discounted = found.live, found.negated, found.past, found.discounted
        said_unhurt = lift_only = False
        if matches:
            # "还没伤到人": not yet, which says nobody is out of danger.
            safety = cues.NOT_SAFE_WORDS.sub("", text) if "安全" in text else text
            said_unhurt = first_of(cues.OUT_OF_DANGER, safety) is not None or any(
                m.cue.kind is cues.HARM and not not_yet(text, m.start) for m in negated
            )
            # A fire, a leak or a rollover live beside it: whoever is stuck is in danger.
            peril = any(m.cue.kind is cues.DANGER and m.cue.grade is Severity.III for m in live)
            # "我爸在住院，家里应该没人": a relative's stay in hospital, when the people of the
            # report are said to be unhurt ("七个人都在医院挂水，其他同事都没事" stays harm).
            if said_unhurt or safe_word(text) is not None:
                for m in [m for m in live if _relative_in_hospital(text, m)]:
                    live.remove(m)
                    discounted.append(f"{m.cue.phrase} (a relative's stay, the rest unhurt)")
            # "着火了，老人还在里面，其他人都没事": the others are safe, not whoever is inside.
            lift_only = (
                (shut_in and not peril)
                or (said_unhurt and not any(m.cue.phrase in cues.FIRE_NOW for m in live))
            ) and not any(
                m.cue.kind is cues.HARM
                or (
                    m.cue.grade is Severity.II
                    and m.cue.phrase not in cues.SHUT_IN_DANGER
                    and not (m.cue.phrase in cues.FALLEN_AND_DOWN and _locked_in_unhurt(text))
                )
                for m in live
            )
        locked_in_unhurt = False
        for m in live:
            cue_grade, why = _live_grade(text, m, lift_only, said_unhurt)
            raised.append(why)
            grade = _max(grade, cue_grade)
            locked_in_unhurt |= m.cue.phrase in cues.FALLEN_AND_DOWN and cue_grade is Severity.III
        # Harm or danger said not to have happened tells none: after "都没受伤", "人已经走了"
        # says that people left; nor does a lasting state ("中风后半身不遂，老婆走了，一个人带孩子":
        # the wife is gone, not dead of an incident).
        # Nor do a figure of speech ("我妈夹在中间哭"), fish dead in sheets ("一大片死鱼…钓鱼
        # 的老伯都走了": the anglers left) and harm long past ("以前在陶窑烫伤手…老婆也走了").
        danger_told = any(
            m.cue.kind is not cues.SHUT_IN
            and m not in negated
            and m not in found.lasting
            and m not in found.figures
            and m not in found.history
            and m.cue.phrase not in cues.FISH_KILL
            for m in matches
        )
        danger_now = any(m.cue.kind is not cues.SHUT_IN for m in live)
        # "昨晚一个老伯掉下去，今早才被发现，已经去世了": a death after a fall or a fire told as
        # past.
        deadly_at = min(
            (m.start for m in chain(live, past) if m.cue.phrase in cues.DEADLY_EVEN_WHEN_PAST),
            default=None,
        )
        # "昨晚凌晨一栋出租屋烧起来了，一家三口没跑出来": a fire told as past, none burning now.
        fire_past = any(m.cue.phrase in cues.FIRE_NOW for m in past) and not any(
            m.cue.phrase in cues.FIRE_NOW for m in live
        )
        told = chain(
            (
                (dead, Severity.I, cues.HARM)
                for dead in deaths_told(text, danger_told, danger_now, deadly_at, fire_past)
            ),
            ((wound, Severity.II, cues.HARM) for wound in _wounds(text)),
            ((perched, Severity.II, cues.DANGER) for perched in _perched(text)),
            ((up, Severity.II, cues.DANGER) for up in _up_a_crane(text)),
            ((inside, Severity.II, cues.DANGER) for inside in _inside_the_smoke(text)),
            ((lost, Severity.II, cues.DANGER) for lost in _lost_out_of_reach(text)),
            ((spill, Severity.III, cues.HARM) for spill in _wide_spill(text)),
            _held_or_ill(text, self.thresholds.several_ill),
        )
        for said, said_grade, kind in told:
            if over is None and not matches:
                over = over_word(text)
            m = CueMatch(GradeCue(said.group(), said_grade, kind), said.start(), said.end())
            if why_discounted(text, m, over) is None:
                told_grade, why = _live_grade(text, m, lift_only=False, said_unhurt=False)
                grade = _max(grade, told_grade)
                raised.append(why)
        for cue_grade, why in counted_cues(text, self.thresholds):
            grade = _max(grade, cue_grade)
            raised.append(f"{why}→{cue_grade.value}")
        # "五六个人上吐下泻，送卫生院挂水，医生讲没大碍": a group ill, told mild, is III.
        mild = (
            illness.told_mild(text, raised, self.thresholds.mildly_ill)
            if grade in (Severity.II, Severity.I)
            else None
        )
        if mild is not None:
            grade = Severity.III
            raised.append(f"{mild}→III (several taken ill, told mild)")
        settled = (
            f"several taken ill, told mild: {mild}"
            if mild is not None
            else "people shut in, out of danger"
            if grade is Severity.III and lift_only and said_unhurt
            # "摔倒在卫生间爬不起来，门从里面反锁了，她说头不晕": fallen, locked in, unhurt.
            else "someone fallen, locked in, unhurt by their own word"
            if grade is Severity.III and locked_in_unhurt
            else _settled(text, grade, discounted)
        )
        return GradeReading(
            grade, tuple(dict.fromkeys(raised)), tuple(dict.fromkeys(discounted)), settled, text
        )


@dataclass(frozen=True, slots=True)
class _Sorted:
    """A report's cue matches, sorted by whether and why they count."""

    live: list[CueMatch] = field(default_factory=list)
    negated: list[CueMatch] = field(default_factory=list)  # "都没受伤": said not to have happened
    past: list[CueMatch] = field(default_factory=list)  # "昨晚一个老伯掉下去": told as of yesterday
    lasting: list[CueMatch] = field(default_factory=list)  # "中风后半身不遂": a lasting state
    figures: list[CueMatch] = field(default_factory=list)  # "夹在中间": a figure of speech
    history: list[CueMatch] = field(default_factory=list)  # "以前在陶窑烫伤手": long past
    discounted: list[str] = field(default_factory=list)  # each discounted cue, with why


def _sort(
    text: str, matches: list[CueMatch], over: str | None, shut_in: bool, opening: int
) -> _Sorted:
    """Which of `matches` count, and why each of the others does not."""
    found = _Sorted()
    if not matches:
        return found
    thanks = first_of(cues.THANKS, text)
    if thanks is not None and first_of(cues.STILL_BURNING, text) is not None:
        thanks = None
    fire = first_of(cues.FIRE_NOW, text) is not None
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
            else why_discounted(text, m, over, opening)
        )
        if why is None:
            found.live.append(m)
            continue
        found.discounted.append(f"{m.cue.phrase} ({why})")
        if why.startswith("negated: "):
            found.negated.append(m)
        elif why.startswith("past: "):
            found.past.append(m)
        elif why.startswith(LASTING_STATE):
            found.lasting.append(m)
        elif "figure of speech" in why:  # "a figure of speech: 夹在中间", "…: 吓死"
            found.figures.append(m)
        elif why.startswith("history: "):
            found.history.append(m)
    return found


def _held_or_ill(text: str, several_ill: int) -> list[tuple[re.Match[str], Severity, cues.CueKind]]:
    """Someone held at knifepoint (II), hemmed in by a crowd (III), many homes burgled (III),
    cut off by the tide with the water at them (II), missing in the hills after dark (II) or
    several people taken ill and not yet well (III, from the policy's `several_ill` people), told
    in words. Each pattern is run only when the text holds a word it needs: most reports hold
    none, and a substring test is much cheaper than a scan."""
    told: list[tuple[re.Match[str], Severity, cues.CueKind]] = []
    if "刀" in text or "匕首" in text:
        told += ((held, Severity.II, cues.DANGER) for held in cues.AT_KNIFEPOINT.finditer(text))
    if "围" in text:
        told += ((held, Severity.III, cues.DANGER) for held in cues.HEMMED_IN.finditer(text))
    if "撬" in text:
        told += ((gone, Severity.III, cues.DANGER) for gone in cues.MANY_BURGLED.finditer(text))
    if "潮" in text:
        told += ((cut, Severity.II, cues.DANGER) for cut in cues.CUT_OFF_BY_THE_TIDE.finditer(text))
    if "被" in text and "车" in text:
        told += ((taken, Severity.II, cues.DANGER) for taken in cues.TAKEN_BY_FORCE.finditer(text))
    if "天黑" in text:
        told += ((lost, Severity.II, cues.DANGER) for lost in cues.LOST_IN_THE_HILLS.finditer(text))
    told += ((ill, Severity.III, cues.HARM) for ill in illness.several_ill(text, several_ill))
    return told


def _relative_in_hospital(text: str, m: CueMatch) -> bool:
    """Whether a cue of a stay in hospital is told of the reporter or a relative ("我爸在住院",
    "我在医院")."""
    return m.cue.phrase in cues.IN_HOSPITAL and text[max(0, m.start - 4) : m.start].rstrip(
        "在正还也都"
    ).endswith(cues.RELATIVES)


_LONG_PAST: Final = tuple(f"(history: {w})" for w in LONG_AGO)


def _long_past(discount: str) -> bool:
    """Whether a discount ("伤了 (history: 去年)") tells harm a year or more ago."""
    return discount.endswith(_LONG_PAST)


def _unharmed(text: str) -> str | None:
    """Why the learned guess may not raise this report to II, if the text says: everyone is
    safe, or it asks for help or papers ("老公上个月摔了腰…临时救助能不能申请": the harm is the
    request's background), or claims wages, or tells someone unwell on their feet, or a theft
    without force, or says no harm was done."""
    if safe := safe_word(text):
        return f"everyone safe: {safe}"
    if request := first_of(cues.WELFARE_REQUEST, cues.NOT_A_REQUEST.sub("", text)):
        return f"a request for help or papers: {request}"
    if (claim := first_of(unharmed_words.WAGE_CLAIM, text)) and not first_of(
        unharmed_words.WAGE_DESPAIR, text
    ):
        return f"a claim for wages: {claim}"
    if natural := natural_death(text):
        return f"a natural death: {natural}"
    if praise := first_of(cues.PRAISE, text):
        return f"praise for what was done: {praise}"
    if feet := first_of(unharmed_words.ON_THEIR_FEET, text):
        return f"on their feet: {feet}"
    for words, what in unharmed_words.WITHOUT_FORCE:
        if (told := first_of(words, text)) and not first_of(unharmed_words.NOT_A_MERE_THEFT, text):
            return f"{what}: {told}"
    # Each of NO_HARM_DONE opens with its negation ("没伤到人"): "还没伤到人" is not yet.
    if (calm := first_of(unharmed_words.NO_HARM_DONE, text)) and not not_yet(
        text, text.index(calm) + 1
    ):
        return f"no harm done: {calm}"
    if blood := first_of(unharmed_words.NO_BLOOD, text):
        return f"no blood drawn: {blood}"
    if staged := unharmed_words.STAGED.search(text):
        return f"a collision staged for money: {staged.group()}"
    return None


def _locked_in_unhurt(text: str) -> str | None:
    """Someone fallen who cannot get up, locked in, and unhurt by their own word ("门反锁着，
    隔着门说没受伤就是起不来"): shut in, not in danger."""
    locked = first_of(cues.LOCKED_IN, text)
    unhurt = first_of(cues.UNHURT_SAID, text) if locked else None
    return f"{locked}, {unhurt}" if unhurt else None


def _live_grade(text: str, m: CueMatch, lift_only: bool, said_unhurt: bool) -> tuple[Severity, str]:
    """The grade a live cue (or a death or a wound told) gives, and how to name it: people shut
    in and out of danger are III, as if dead is II, not come up since yesterday is I, a knife
    held while chasing or cornering people is II, a village or a lane that cannot get out is III."""
    phrase = m.cue.phrase
    if lift_only and phrase in cues.SHUT_IN_DANGER and (said_unhurt or phrase not in cues.IN_A_CAR):
        return Severity.III, f"{phrase}→III (shut in, out of danger)"
    if phrase in cues.FALLEN_AND_DOWN and (locked_in := _locked_in_unhurt(text)):
        return Severity.III, f"{phrase}→III (locked in, unhurt: {locked_in})"
    if phrase in cues.HELD_FOR_RANSOM and said_unhurt:
        return Severity.III, f"{phrase}→III (held, said unhurt)"
    # "把林场的车围住了，两个人被困在车里出不来，目前没人动手": held by a crowd, unhurt.
    if (said_unhurt or first_of(unharmed_words.NO_HARM_DONE, text)) and any(
        held.start() < m.start < held.end() for held in cues.HEMMED_IN.finditer(text)
    ):
        return Severity.III, f"{phrase}→III (hemmed in by a crowd, said unhurt)"
    if m.cue.kind is cues.SHUT_IN and phrase in cues.SHUT_IN_DANGER:
        return Severity.II, f"{phrase}→II (stuck where there is danger)"
    # "捞上来，已经没气了一样，正在按胸口": as if dead, someone unconscious.
    if m.cue.grade is Severity.I and text.startswith(cues.AS_IF_AFTER, m.end):
        return Severity.II, f"{phrase}{text[m.end : m.end + 2]}→II (as if dead: unconscious)"
    if phrase in cues.NOT_SURFACED and (drowned := _drowned(text, m)):
        return Severity.I, f"{phrase}→I (did not come up, {drowned}: drowned)"
    if phrase in cues.WEAPON_HELD and _chasing(text, m.end):
        return Severity.II, f"{phrase}→II (chasing people)"
    if phrase in cues.WEAPON_HELD and (
        cornered := cues.CORNERED.search(text, m.end, end_of_sentence(text, m.end))
    ):
        return Severity.II, f"{phrase}→II (cornering someone: {cornered.group()})"
    if phrase in cues.STUCK_OUT and (
        text[: m.start].rstrip("都也就全还").endswith(cues.CUT_OFF_PLACES)
    ):
        return Severity.III, f"{phrase}→III (a place cut off, its way blocked)"
    return m.cue.grade, f"{phrase}→{m.cue.grade.value}"


def _drowned(text: str, m: CueMatch) -> str | None:
    """The word that puts "没上来" in the past ("昨天两个初中生偷偷去游泳，都没上来"), unless it
    is still so ("还没上来") or people are still searching."""
    earlier = text[start_of_sentence(text, m.start) : m.start]
    past = first_of(cues.RECENT_PAST, earlier)
    if past is None or earlier.endswith("还") or first_of(cues.STILL_SEARCHING, text):
        return None
    return past


def _chasing(text: str, end: int) -> bool:
    """Whether the clause after a knife held (ending at `end`) chases people with it, or the
    sentence says it is meant for people ("拿着铁棍乱挥，嚷着要砸人")."""
    return first_of(cues.CHASING_AFTER, text[end : end_of_clause(text, end)]) is not None or any(
        w in text[end : end_of_sentence(text, end)] for w in cues.MEANT_FOR_PEOPLE
    )


# "被砸破了，缝了七针", "被摩托拖了好几米": wounds told by their stitches or by a drag.
_WOUNDS_RE: Final = re.compile(
    r"缝了(?:[一二两三四五六七八九十几好\d]+|十几|好几)针|缝针|"
    r"被(?:车|摩托|摩托车|电动车|人)?拖(?:行|了)?(?:[一二两三四五六七八九十几好\d]+)(?:米|公里)"
)


def _wounds(text: str) -> Iterable[re.Match[str]]:
    """Wounds told by their stitches or a drag, of a person: "我家泰迪被哈士奇咬了，缝了六针" is
    a dog's (an animal named in the sentence, and no person)."""
    if "针" not in text and "拖" not in text:
        return
    for wound in _WOUNDS_RE.finditer(text):
        sentence = people_or_places(text[start_of_sentence(text, wound.start()) : wound.start()])
        if first_of(cues.NOT_PEOPLE, sentence) is None or first_of(cues.PEOPLE_WORDS, sentence):
            yield wound


# "一个小孩爬出窗户站在7楼空调外机上": a person perched outside a window, floors up.
_PERCHED_RE: Final = re.compile(
    r"(?:在|到)[\d一二三四五六七八九十几]+(?:楼|层)(?:的)?(?:(?:空调外机|外机|空调架)上|窗台外|防盗窗外)"
)


def _perched(text: str) -> Iterable[re.Match[str]]:
    """People perched outside a window, floors up, named before in the sentence (the table's cues
    name the ledge alone: "站在空调外机上")."""
    if "外" not in text:
        return
    for perched in _PERCHED_RE.finditer(text):
        told = people_or_places(text[start_of_sentence(text, perched.start()) : perched.start()])
        if first_of(cues.PEOPLE_WORDS, told) and first_of(cues.NOT_PEOPLE, told) is None:
            yield perched


# "一个讨薪的工人爬到塔吊顶上了，说不给钱就跳" (not "说要爬到塔吊上去", a threat, nor
# "爬到塔吊底下").
_UP_A_CRANE_RE: Final = re.compile(
    "(?<![要想])(?:爬到|爬上)了?塔吊(?!底下|下面|下边|脚下|旁边|边上)"
)


def _up_a_crane(text: str) -> Iterable[re.Match[str]]:
    """Someone up a tower crane to be paid or heard (all 164 such training and blind reports
    are labelled II or I): in danger of life, whatever they say they will do."""
    if "塔吊" not in text or first_of(cues.CLAIMING, text) is None:
        return ()
    return _UP_A_CRANE_RE.finditer(text)


# "天黑了，有一个人走散了，电话打不通": someone lost, out of reach, as night falls.
_LOST_OUT_OF_REACH_RE: Final = re.compile("走散[^。！？!?]{0,30}?(?:电话打不通|打不通|联系不上)")
_NIGHT_FALLING: Final = ("天黑", "天快黑", "晚上", "夜里", "几个小时", "一个多小时", "钟头")


def _lost_out_of_reach(text: str) -> Iterable[re.Match[str]]:
    """Someone separated from a group and out of reach as night falls (not a request for a
    phone mast): in danger, unless the report says they are safe."""
    if "走散" not in text or first_of(_NIGHT_FALLING, text) is None:
        return ()
    return _LOST_OUT_OF_REACH_RE.finditer(text)


# "二楼在冒烟，有个坐轮椅的老人在里面，门打不开": someone named inside where smoke is pouring.
_SOMEONE_INSIDE_RE: Final = re.compile("(?:老人|小孩|孩子|老太太|阿婆|阿公|阿嬷|阿伯)在里面")
_SMOKE: Final = ("在冒烟", "浓烟", "烟越来越大")  # ("冒浓烟" holds 浓烟)


def _inside_the_smoke(text: str) -> Iterable[re.Match[str]]:
    """An elder or a child named inside a building pouring smoke (not incense burning, "不是着
    火"): in danger of life, as a fire's smoke puts them."""
    if first_of(_SMOKE, text) is None or first_of(cues.NOT_A_FIRE, text) is not None:
        return ()
    if cues.NOT_A_PERIL.search(text):
        return ()
    return _SOMEONE_INSIDE_RE.finditer(text)


# "沙滩都是黑乎乎的油块…好几公里长", "三四百米的沙滩都黑了": oil spread over hundreds of metres
# of shore or water is a large spill.
_OIL: Final = "(?:油污|油块|黑油|油带|漏油|油膜|油花|燃料油)"
_WIDE: Final = "(?:(?:几|好几|数|上|[三四五六七八九])百多?米|公里)"
_WIDE_SPILL_RE: Final = re.compile(
    f"{_OIL}[^。！？!?]{{0,30}}?{_WIDE}|{_WIDE}[^。！？!?]{{0,30}}?{_OIL}"
)


def _wide_spill(text: str) -> Iterable[re.Match[str]]:
    """Oil told with the hundreds of metres or the kilometres it covers (all 152 such training
    and blind reports were labelled III)."""
    if "油" not in text:
        return ()
    return _WIDE_SPILL_RE.finditer(text)


def grade_cue(phrase: str, grade: Severity) -> GradeCue:
    """A taxonomy's own cue: a phrase the tables know keeps its kind; a new one is harm when it
    says I (deaths are harm), else danger (it must be happening now)."""
    known = next((c for c in cues.CUES if c.phrase == phrase), None)
    if known is not None:
        return GradeCue(phrase, grade, known.kind)
    return GradeCue(phrase, grade, cues.HARM if grade is Severity.I else cues.DANGER)


_RANK: Final = {Severity.IV: 0, Severity.III: 1, Severity.II: 2, Severity.I: 3}


def _max(a: Severity, b: Severity) -> Severity:
    return a if _RANK[a] >= _RANK[b] else b


def _only_said(discount: str) -> bool:
    """Whether a discount ("砸死 (not happening: 肯定)") says the harm is only feared,
    threatened or shouted."""
    why = discount.split("(", 1)[-1].rstrip(")")
    if why.startswith(cues.SAID):
        return True
    word = why.removeprefix("not happening: ").lstrip("…")
    return why.startswith("not happening: ") and word in cues.FEARED


def _settled(text: str, grade: Severity, discounted: list[str]) -> str | None:
    """Why the text settles a grade IV reading: a natural death, harm only feared, threatened
    or shouted, or a peril over with everyone safe."""
    if grade is not Severity.IV:
        return None
    if natural := natural_word(text):
        return f"a natural death: {natural}"
    # "高龄老人困在六楼…没电梯，下不了楼": hard to get out, in no danger.
    if access := next((d for d in discounted if OF_ACCESS in d), None):
        return access
    said = next((d for d in discounted if _only_said(d)), None)
    # ("拿着杀鱼刀在追人，嘴里喊着要砍死他": a threat shouted with a blade in hand settles nothing.)
    if said and first_of(cues.BLADES, text) is None:
        return f"harm told only as a fear or a threat: {said}"
    # "闻到煤气味，帮她把阀门关了…现在味道散了，人都没事": a peril over, everyone safe.
    over = next((d for d in discounted if d.endswith(cues.PERIL_ENDED_DISCOUNTS)), None)
    if over and (unharmed := _unharmed(text)) and unharmed.startswith("everyone safe"):
        return f"over, {unharmed}: {over}"
    return None
