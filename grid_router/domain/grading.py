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
read around a cue are in `domain/cues.py`; why a cue does not count where it stands is in
`domain/discounts.py`, and where words stand (clauses, sentences, negations) in
`domain/wording.py`. This module is how they are applied.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Final

from grid_router.domain import cues
from grid_router.domain.counting import GradeThresholds, counted_cues
from grid_router.domain.cues import GradeCue
from grid_router.domain.discounts import (
    LASTING_STATE,
    PASSED_RE,
    CueMatch,
    natural_death,
    not_yet,
    over_word,
    safe_word,
    why_discounted,
)
from grid_router.domain.model import Severity
from grid_router.domain.phrases import longest_first
from grid_router.domain.speech import HISTORY
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

    def _matches(self, text: str, extra_active: Iterable[GradeCue]) -> list[CueMatch]:
        """Where the table's cues and the subcategory's own occur in `text`."""
        matches = [
            CueMatch(self._cues[m.group()], m.start(), m.end())
            for m in self._pattern.finditer(text)
        ]
        for cue in extra_active:
            pos = text.find(cue.phrase)
            end = pos + len(cue.phrase)
            # "车掉进" was read already: the "掉进" inside it decides nothing on its own.
            if pos >= 0 and not any(m.start <= pos and end <= m.end for m in matches):
                matches.append(CueMatch(cue, pos, end))
        return matches

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
                or (m.cue.grade is Severity.II and m.cue.phrase not in cues.SHUT_IN_DANGER)
                for m in live
            )
        for m in live:
            cue_grade, why = _live_grade(text, m, lift_only, said_unhurt)
            raised.append(why)
            grade = _max(grade, cue_grade)
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
        told = chain(
            (
                (dead, Severity.I, cues.HARM)
                for dead in _deaths(text, danger_told, danger_now, deadly_at)
            ),
            ((wound, Severity.II, cues.HARM) for wound in _wounds(text)),
            ((perched, Severity.II, cues.DANGER) for perched in _perched(text)),
            _held_or_ill(text),
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
        settled = (
            "people shut in, out of danger"
            if grade is Severity.III and lift_only and said_unhurt
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


def _held_or_ill(text: str) -> list[tuple[re.Match[str], Severity, cues.CueKind]]:
    """Someone held at knifepoint (II), hemmed in by a crowd (III), many homes burgled (III) or
    several people taken ill and not yet well (III), told in words. Each pattern is run only when
    the text holds a word it needs: most reports hold none, and a substring test is much cheaper
    than a scan."""
    told: list[tuple[re.Match[str], Severity, cues.CueKind]] = []
    if "刀" in text or "匕首" in text:
        told += ((held, Severity.II, cues.DANGER) for held in cues.AT_KNIFEPOINT.finditer(text))
    if "围" in text:
        told += ((held, Severity.III, cues.DANGER) for held in cues.HEMMED_IN.finditer(text))
    if "撬" in text:
        told += ((gone, Severity.III, cues.DANGER) for gone in cues.MANY_BURGLED.finditer(text))
    if "个" in text and first_of(cues.RECOVERED, text) is None:
        told += ((ill, Severity.III, cues.HARM) for ill in cues.SEVERAL_ILL.finditer(text))
    return told


def _relative_in_hospital(text: str, m: CueMatch) -> bool:
    """Whether a cue of a stay in hospital is told of the reporter or a relative ("我爸在住院",
    "我在医院")."""
    return m.cue.phrase in cues.IN_HOSPITAL and text[max(0, m.start - 4) : m.start].rstrip(
        "在正还也都"
    ).endswith(cues.RELATIVES)


def _unharmed(text: str) -> str | None:
    """Why the learned guess may not raise this report to II, if the text says: everyone is
    safe, or it asks for help or papers ("老公上个月摔了腰…临时救助能不能申请": the harm is the
    request's background), or claims wages, or tells someone unwell on their feet, or a theft
    without force, or says no harm was done."""
    if safe := safe_word(text):
        return f"everyone safe: {safe}"
    if request := first_of(cues.WELFARE_REQUEST, cues.NOT_A_REQUEST.sub("", text)):
        return f"a request for help or papers: {request}"
    if (claim := first_of(cues.WAGE_CLAIM, text)) and not first_of(cues.WAGE_DESPAIR, text):
        return f"a claim for wages: {claim}"
    if natural := natural_death(text):
        return f"a natural death: {natural}"
    if praise := first_of(cues.PRAISE, text):
        return f"praise for what was done: {praise}"
    if feet := first_of(cues.ON_THEIR_FEET, text):
        return f"on their feet: {feet}"
    if (stolen := first_of(cues.STOLEN, text)) and not first_of(cues.NOT_A_MERE_THEFT, text):
        return f"a theft without force: {stolen}"
    # Each of NO_HARM_DONE opens with its negation ("没伤到人"): "还没伤到人" is not yet.
    if (calm := first_of(cues.NO_HARM_DONE, text)) and not not_yet(text, text.index(calm) + 1):
        return f"no harm done: {calm}"
    return None


def _live_grade(text: str, m: CueMatch, lift_only: bool, said_unhurt: bool) -> tuple[Severity, str]:
    """The grade a live cue (or a death or a wound told) gives, and how to name it: people shut
    in and out of danger are III, as if dead is II, not come up since yesterday is I, a knife
    held while chasing or cornering people is II, a village or a lane that cannot get out is III."""
    phrase = m.cue.phrase
    if lift_only and phrase in cues.SHUT_IN_DANGER and (said_unhurt or phrase not in cues.IN_A_CAR):
        return Severity.III, f"{phrase}→III (shut in, out of danger)"
    if phrase in cues.HELD_FOR_RANSOM and said_unhurt:
        return Severity.III, f"{phrase}→III (held, said unhurt)"
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


# "一死两伤", "3死5伤", "一个死三个伤": a count of the dead.
_N_DEAD_RE: Final = re.compile(
    r"[一二两三四五六七八九十几\d]+(?:个|名)?死"
    r"(?=[一二两俩三四五六七八九十几多\d]+(?:个|名|人)?[重轻]?伤|亡|$|[，,。；;！!])"
    r"|死了(?:好几|几|[\d一二两三四五六七八九十])+(?:个|名|位|人)"
)


# When today (or last night) someone died: "今天早上", "昨晚", "凌晨", or nothing.
_WHEN_TODAY: Final = "(?:今早|昨晚|(?:今天|昨天|前天)?(?:早上|上午|中午|下午|晚上|凌晨|夜里|半夜)?)"


# "师傅没了", "送到医院已经走了": gone, said of a person or of someone taken to hospital.
_GONE_RE: Final = re.compile(
    r"(?:师傅|老板娘|老板|孩子|小孩|老人|工人|司机|租户|大人|男的|女的|阿伯|阿婆|老伯|大爷|老汉|工友"
    r"|船员|渔民|船老大|租客"
    r"|[一两俩仨\d]个人?)"
    # "三个老人一起喝，一个今天早上没了".
    rf"[，,]?{_WHEN_TODAY}"
    r"(?:当场|已经|都|就|也)*没了"
    r"(?=$|[，,。.；;！!？?\s”\"’」])"
    # ("被雷劈了，抢救了半个多小时还是没了".)
    r"|(?:医院|抢救|救护车|120|心肺复苏)[^。；;！!？?]{0,8}(?:已经|就|还是)(?:走了|没了)"
    # "救护车到了说没了".
    r"|(?:医院|抢救|救护车|120|心肺复苏)[^。；;！!？?]{0,8}?说(?:人)?(?:已经)?没了"
    r"(?=$|[，,。.；;！!？?\s])"
    # "村医来了说人已经走了" (not "医生来看过，已经走了": the doctor left).
    r"|(?:医生|村医|医护人员)[^。；;！!？?]{0,6}说(?:人)?(?:(?:已经|就)(?:走了|没了|不行了)|没救了)"
    # "海边今早漂上来一个人": a body washed up.
    r"|(?:漂|浮)上来(?:了)?(?:一|两|几)(?:个人|具)"
    # "消防员从二楼抬出来两个人，盖着白布".
    r"|(?:抬出来|抬出|拉出来|捞上来|捞起来)[^。；;！!？?]{0,8}?盖(?:着|上了|上|了)白布"
    # "被捅数刀，120到场后盖上了白布".
    r"|(?:120|医生|救护车|急救)[^。；;！!？?]{0,8}?盖(?:上了|上)白布"
    # "出租房着火死人了" ("吓死人了" is a figure of speech).
    r"|(?:着火|失火|火灾|爆炸|车祸|事故|出事|塌了)(?:了)?死(?:了)?人"
    # "气体把一个下去捡东西的老人熏死了" ("臭得熏死了" is a figure of speech).
    # ("味道能把人熏死" is one too.)
    r"|(?<![能要会快得])把[^，,。；;！!？?]{0,12}?(?:人|工人|老人|孩子|小孩|[伯婆公嬷])(?:给)?"
    r"[熏闷呛]死了"
    # "男的把女的杀了" (not "要把他杀了", a threat).
    r"|(?<![要想会])把(?:他|她|人|男的|女的|老婆|老公|妻子|丈夫|孩子|小孩|女人|男人|对方)(?:给)?杀了"
    # "警察说他死了".
    r"|(?:警察|民警|医生|120)说(?:他|她|人)(?:已经)?死了"
    # "抽水抽出来，发现一名车主在车里已经不在了": found, and no longer alive.
    r"|发现[^。；;！!？?]{0,12}?(?:人|车主|司机|老人|孩子|小孩|男子|女子|工人|租客|住户|[一两\d][名个])"
    r"[^，,。；;！!？?]{0,6}?已经不在了"
)


# What a text must hold for `_GONE_RE` and `_LEFT_RE` to match at all: most reports hold none,
# and a few substring tests are much cheaper than the patterns.
_GONE_NEEDS: Final = ("没了", "走了", "不行了", "白布", "上来", "死", "杀了", "不在了", "没救了")
_LEFT_NEEDS: Final = ("走了", "没了", "不在了", "死了", "救上来", "醒过来")


# "有3名工人没跑出来死了", "有两个死了", "司机死了", "昨天在医院死了": a person, or a hospital,
# named just before "死了" ("吓死了", "累死了" are figures of speech, ruled out by the character
# before 死).
_DIED_RE: Final = re.compile(
    r"(?:人|工人|司机|师傅|孩子|小孩|老人|男的|女的|者|[一两俩仨三四五六七八九十\d]+[名个]|医院|抢救"
    r"|租客|租户|房客|船员|渔民|村民|男子|女子|工友|住户"
    r"|阿[伯婆公嬷爷奶叔姨]|老[伯婆爷奶]|老太|大爷|大妈|叔叔|阿姨|伯伯|爷爷|奶奶|大叔|大哥|大姐)"
    # "人出门要淹死了": between them no 要 or 快 (a fear, not a death).
    r"(?:(?![要快])[^，,。.；;！!？?\s]){0,6}?(?:已经|都|也|当场|就)?"
    # "大爷早上被发现死在棚子里": found dead somewhere.
    r"(?<![" + "".join(sorted(cues.FIGURE_BEFORE_DEATH)) + r"])死(?:(?:掉)?了|在)"
)


# "今天早上在下游找到，已经没有了", "挖出来时两个都已经走了": found or dug out, and gone.
_GONE_WHEN_FOUND: Final = (
    # ("抬出来一个，听旁边的人说已经没救了".)
    r"[^。；;！!？?]{0,12}?"
    r"(?:(?:已经|都)(?:没(?:有)?了|走了|没气了|不在了|去世了)|没救了|不行了|盖着(?:白)?布|盖上(?:了)?白布)"
)
_FOUND_GONE_RE: Final = re.compile(
    r"(?:找到|捞上来|捞起来|捞出来|挖出来|救上来|拉上来|抬出来|弄上来|弄出来)" + _GONE_WHEN_FOUND
)
# Dug or fished out, even with no harm or danger told before: nobody is dug out of nothing
# ("货物抬出来了，盖着布" is goods).
_DUG_OUT_GONE_RE: Final = re.compile(
    r"(?:捞上来|捞起来|捞出来|挖出来|救上来|拉上来)" + _GONE_WHEN_FOUND
)


# "被冲走…今天早上找到了，人已经走了": after harm or danger told, "gone" is a death.
# "烧的人走了": whoever did it has left. "去世" after poisoning or an accident is a death; alone
# it is most often an elder's natural death, which is not graded.
_LEFT_RE: Final = re.compile(
    r"(?<!的)人(?:已经|都|也|在医院|还是)?(?:走了|没了|不在了)"
    r"|(?:男的|女的|老人|老太太|老太|大爷|阿伯|阿婆|阿公|阿嬷|师傅|孩子|小孩"
    # "阿福伯今早没了": 阿, a name, and 伯.
    r"|阿[\u4e00-\u9fff][伯婆公嬷]"
    # "老林今天早上走了": 老 and a family name (not 老板, 老乡, 老师…).
    rf"|{cues.FAMILY_MEMBERS}|{cues.OLD_AND_A_NAME}){_WHEN_TODAY}(?:在医院)?"
    r"(?:当场|已经|都|也|就)*(?:走了|没了)"
    # ("老伴走了十来年": long ago; "父亲走了以后": the time after.)
    r"(?![一二两三四五六七八九十几好多\d]*来?(?:年|个月)|以后|之后)"
    # ("盐度掉下来，死了一半": a measure fell, not a person.)
    r"|(?<![度价格温位量率])(?:掉下来|摔下来|坠落|被撞|被砸|被埋)[^。；;！!？?]{0,4}[，,](?:人)?"
    r"(?:已经|当场)?死了"
    r"|(?:掉下来|摔下来|掉下去|摔下去|坠落)(?:当场|就)*死了"
    # "阿伯被雷劈到，已经走了", "阿公…被雷劈了，村医来看已经没了".
    r"|(?:人|[伯公婆嬷叔爷奶姨]|农民|工人)[^，,。；;！!？?]{0,8}?(?:被雷劈|雷击)(?:到|中|了)?[，,]"
    r"[^。；;！!？?]{0,6}?(?:已经|当场)?(?:走了|没了|死了)"
    # "骑车那个大哥没救上来" ("还没救上来" is danger still).
    r"|(?<!还)没(?:能|有)?救上来(?=$|[，,。；;！!？?\s])"
    # "发现一个拾荒的老人倒在那里，已经走了".
    r"|(?:倒在|躺在)[^。；;！!？?]{0,6}[，,](?:人)?(?:已经|早就)(?:走了|没了|不在了)"
    # "老人早上用溪水煮饭，吃完人就没了", "送去医院人就没了" ("一转身人就没了": lost).
    r"|(?:吃完|喝完|吃了|喝了|当场|医院)人就没了"
    # "陈阿伯吃了半个月，前天走了", "喝了井水后一直吐，昨晚走了".
    r"|(?:吃了|喝了|服了|用了)[^。；;！!？?]{0,10}?[，,]"
    rf"{_WHEN_TODAY}(?:已经|就)?走了(?=$|[，,。；;！!？?\s])"
    # "一个老人家在睡梦中没醒过来" after a gas leak ("还没醒过来" is someone unconscious).
    r"|(?<!还)没(?:能|有)?醒过来(?![^。；;！!？?]{0,4}(?:送|在医院|抢救))"
    # "俩老人中毒，其中一个昨晚走了".
    rf"|其中(?:一个|一人|一位|两个|俩){_WHEN_TODAY}"
    r"(?:在医院)?(?:当场|已经|都|也|就)*(?:走了|没了)"
    r"|没(?:能)?(?:跑|逃)?出来[^。；;！!？?]{0,12}?(?:都|已经|也|就)?(?:走了|没了|死了)"
    # "一个人被打得很重，今天早上在医院没了".
    r"|在医院(?:里)?(?:已经|就|也)?(?:走了|没了)(?=$|[，,。；;！!？?\s])"
    # "喝了自己泡的药酒，走了一个，六十多岁的阿伯".
    # ("救护车拉走了三个": taken away.)
    r"|(?<![拉送抬接运带开搬领])(?:已经)?走了(?:[一两俩三四五六七八九十几]+)个(?:人)?"
    r"(?=$|[，,。；;！!？?\s])"
    # "阿伯前天吸了烟送医院，今天早上走了": taken to hospital, then gone.
    r"|(?:送医院|送到医院|住院|抢救)[^。；;！!？?]{0,6}[，,]"
    rf"{_WHEN_TODAY}(?:已经|还是)?(?:走了|没了)"
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


# "厂昨晚烧起来了，今天早上才扑灭，有3名工人在里面没逃出来": left inside a fire now out.
_NOT_OUT_RE: Final = re.compile(
    r"(?:[一两俩三四五六七八九十几\d]+[名个人]|工人|租客|住户|老人|孩子|小孩|一家[三四五六几]口)"
    r"[^，,。；;！!？?]{0,5}?没(?:能)?(?:逃|跑)出来"
    # "出租屋凌晨起火，一家三口都没出来，消防在清理现场".
    r"|一家[三四五六几]口都没(?:能)?出来"
)


# "铁皮房烧了，三名租户没能逃出来": did not manage to get out of a fire, unless still inside.
# ("没能逃出来，人还在里面" is someone still inside; "现场还在清理" is not.)
_NOT_ABLE_OUT_RE: Final = re.compile(
    r"(?<!还)没能(?:逃|跑)出来(?![^。；;！!？?]*还在(?:里面|屋里|楼里|楼上|里头))"
)


def _deaths(
    text: str, danger_told: bool, danger_now: bool, deadly_at: int | None
) -> Iterable[re.Match[str]]:
    """Deaths told in words: counts and "gone" always; "人走了" once harm or danger is told at
    all, or someone was missing; "去世" only beside harm or danger that counts (not "办死亡证明")
    or after a person's fall or a fire, past or not, with no time long ago ("去年") before it
    or between; people who did not get out of a fire that is out."""
    if "死" in text:  # most reports name no death: skip the patterns that need one
        yield from _N_DEAD_RE.finditer(text)
        yield from _DIED_RE.finditer(text)
    if any(w in text for w in _GONE_NEEDS):
        yield from _GONE_RE.finditer(text)
    # "没有人受伤，人都走了": after nobody hurt, people gone have left.
    nobody_hurt = first_of(cues.NOBODY_HURT, text) is not None
    if (danger_told or first_of(cues.MISSING, text)) and not nobody_hurt:
        if any(w in text for w in _LEFT_NEEDS):
            yield from _LEFT_RE.finditer(text)
        yield from _FOUND_GONE_RE.finditer(text)
    if not nobody_hurt:
        yield from _DUG_OUT_GONE_RE.finditer(text)
    if first_of(cues.FIRE_OUT, text) and first_of(cues.FIRE_NOW, text):
        yield from _NOT_OUT_RE.finditer(text)
    if first_of(cues.FIRE_TOLD, text):
        yield from _NOT_ABLE_OUT_RE.finditer(text)
    if danger_now:
        yield from PASSED_RE.finditer(text)
    elif deadly_at is not None:
        # "…着火…隔壁阿婆上个月去世了": no time long ago before the death, fall or fire.
        for passed in PASSED_RE.finditer(text, deadly_at):
            if first_of(HISTORY, text[: passed.start()]) is None:
                yield passed


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
    if natural := first_of(cues.NATURAL, text):
        return f"a natural death: {natural}"
    said = next((d for d in discounted if _only_said(d)), None)
    if said:
        return f"harm told only as a fear or a threat: {said}"
    # "闻到煤气味，帮她把阀门关了…现在味道散了，人都没事": a peril over, everyone safe.
    over = next((d for d in discounted if d.endswith(cues.PERIL_ENDED_DISCOUNTS)), None)
    if over and (unharmed := _unharmed(text)) and unharmed.startswith("everyone safe"):
        return f"over, {unharmed}: {over}"
    return None
