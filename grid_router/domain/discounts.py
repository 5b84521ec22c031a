"""Why a cue of harm or danger does not count where it stands (pure: standard library only):
negated, asked, hypothetical, past or over, habitual, said in anger or fear, told of an animal or
a thing or of nobody, or a figure of speech (those in `domain/subjects.py`), a place's name, the
background of a request. `why_discounted` names the reason in words a duty officer reads back;
`domain/grading.py` applies what is left."""

from __future__ import annotations

import re
from typing import Final

from grid_router.domain import cues, discount_words
from grid_router.domain.cues import CueMatch
from grid_router.domain.model import Severity
from grid_router.domain.past import PASSED_RE, told_habit, told_past
from grid_router.domain.speech import HYPOTHETICAL
from grid_router.domain.subjects import animal_or_figure, nobody_meant
from grid_router.domain.wording import (
    clause_before,
    end_of_clause,
    end_of_sentence,
    first_of,
    from_sentence,
    in_quotes,
    negation_before,
    start_of_clause,
    start_of_sentence,
    to_sentence,
    told_unnegated,
)


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
    if kind is cues.HARM and text.startswith(discount_words.NONE_AFTER, m.end):
        return f"negated: {phrase}{after[:4]}"
    if _asked(text, before, after, clause_end):
        return "asked, not told"
    named = _named_otherwise(text, m, before, after)
    if named is not None:
        return named
    who = nobody_meant(text, m, before, clause_end)
    if who is not None:
        return who
    hypothetical = _hypothetical(text, m, before, after, clause_start)
    if hypothetical:
        return f"not happening: {hypothetical}"
    if (habit := told_habit(text, m, before)) is not None:
        return habit
    said = _said_or_over(text, m, before, opening)
    if said is not None:
        return said
    if (burnt := _burnt_on_purpose(text, phrase, before, after)) is not None:
        return burnt
    if (manner := _manner_of_speaking(text, phrase, before, after)) is not None:
        return manner
    # "家长因为孩子被别的小朋友抓伤了脸，天天来园里闹…没有人受伤": harm given as the reason for
    # a quarrel, nobody hurt now.
    if kind is cues.HARM and "因为" in before and first_of(cues.NOBODY_HURT, text[m.end :]):
        return f"the reason for a quarrel, nobody hurt now: 因为…{phrase}"
    condition = first_of(cues.CONDITION_AFTER, after)
    if condition:
        return f"not happening: …{condition}"
    hazard = next((w for w in discount_words.HAZARD_AFTER if w in after and w not in phrase), None)
    if hazard:
        return f"a hazard, not an incident: {hazard}"
    history = told_past(text, m, before, after, clause_start)
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
    figure = animal_or_figure(text, m, before, after)
    if figure is not None:
        return figure
    if kind is cues.DANGER and m.cue.grade is Severity.II:
        safe = safe_word(text)
        held = (
            phrase in discount_words.HELD_BY_FORCE
            or cues.AT_KNIFEPOINT.fullmatch(phrase) is not None
        )
        # (Safe but shut in: III, in `read`; held by force: others' flight is not theirs.)
        if (
            safe
            and phrase not in cues.SHUT_IN_DANGER
            and not (held and safe in discount_words.GOT_OUT)
        ):
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
    if (denied := first_of(discount_words.DENIED_DEATH, text[m.end :])) and first_of(
        discount_words.RUMOURED, rumour
    ):
        return f"rumoured and denied: …{denied}"
    if (
        m.cue.phrase.endswith("不行了")
        and text[m.end : m.end + 1] in "，, "
        and text.startswith(discount_words.UNWELL_AFTER, m.end + 1)
    ):
        return f"very unwell, not dead: {m.cue.phrase}，{text[m.end + 1 : m.end + 3]}"
    natural = natural_word(text)
    # "化工厂凌晨漏气…一个老人家在睡梦中没醒过来": gassed in their sleep, not a natural death.
    if natural and not (
        natural in discount_words.IN_SLEEP and first_of(discount_words.GASSED, text)
    ):
        return f"a natural death: {natural}"
    if text.startswith(discount_words.THREAT_AFTER, m.end):
        return "a threat, not a death"
    if (kin := first_of(discount_words.RAISED_BY_KIN, text[m.end :])) is not None:
        return f"the background of a child raised by kin: {kin}"
    # ("出租屋凌晨着火…烧死了一个人…家属问怎么索赔": the fire is told, the death with it.)
    if (
        "说" in before
        and (claim := first_of(discount_words.BLAMED, text)) is not None
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
    if (
        phrase in discount_words.BURNING_BARE
        and (lit := cues.BURNT_ON_PURPOSE.search(text)) is not None
    ):
        return f"burnt on purpose: {lit.group()}"
    if phrase in discount_words.BURNING_BARE and (
        burner := first_of(discount_words.BURNERS, before[-8:])
    ):
        return f"burnt in a {'kiln' if burner == '窑' else 'stove'}: {burner}…{phrase}"
    return None


def _manner_of_speaking(text: str, phrase: str, before: str, after: str) -> str | None:
    """A cue that is a manner of speaking: "夹在中间" (caught between two sides), "哭的笑的晕倒的
    都有" after "什么场面没见过" (all one has seen), "哭得喘不上气" (breathless with crying)."""
    if phrase == "夹在" and after.startswith("中间"):
        return "a figure of speech: 夹在中间"
    if phrase in discount_words.BREATHLESS and before.endswith(discount_words.CRYING):
        return f"a figure of speech: {before[-2:]}{phrase}"
    if (words := discount_words.NAMED_BEFORE.get(phrase)) is not None and before.endswith(words):
        return f"another word: {before[-1]}{phrase}"
    if phrase in discount_words.ONCE_CUES and before.endswith(discount_words.ONCE_BEFORE):
        return f"a condition: {discount_words.ONCE_BEFORE}{phrase}"
    if after.startswith(discount_words.ALL_KINDS_AFTER) and (
        seen := first_of(discount_words.SEEN_IT_ALL, text)
    ):
        return f"all one has seen: {seen}"
    return None


def _negation(phrase: str, before: str) -> str | None:
    """The negation of a cue, if any: "没有车辆和行人掉进去" (a cue that starts with 人 may be
    the end of a word); "不是房子着火，就是烧垃圾" (a fire named and denied)."""
    negation = negation_before(before) or (
        phrase.startswith("人") and negation_before(before + "人")
    )
    if not negation and "火" in phrase and (denied := discount_words.NOT_THIS_FIRE.search(before)):
        negation = denied.group()
    return negation or None


def natural_word(text: str) -> str | None:
    """The first word of a natural death in `text` ("一直有心脏病", "年纪大了"), unless it tells
    age alone and the report tells what struck ("被车撞了")."""
    natural = first_of(discount_words.NATURAL, text)
    if natural in discount_words.AGE_ONLY and first_of(discount_words.STRUCK_BY, text) is not None:
        return None
    return natural


def natural_death(text: str) -> str | None:
    """The words that make a death the report tells of ("去世", "走了", "夜里自己走的") a
    natural one ("一直有心脏病"), if it does."""
    natural = natural_word(text)
    if natural and (PASSED_RE.search(text) or "走了" in text or "走的" in text):
        return natural
    return None


def _background(text: str, m: CueMatch) -> str | None:
    """Why harm is only the background here: of a request ("老公上个月摔了腰…临时救助"), or of
    a natural death care was called to ("一直有心脏病，120来了说已经去世")."""
    request = first_of(
        discount_words.ADMIN_REQUEST, cues.NOT_A_REQUEST.sub("", from_sentence(text, m.start))
    )
    if request:
        return f"background of a request: {request}"
    if m.cue.phrase in discount_words.ILLNESSES and (
        request := first_of(cues.WELFARE_REQUEST, text)
    ):
        return f"an illness, background of a request: {request}"
    if m.cue.phrase in discount_words.CARE_CALLED:
        if fine := first_of(discount_words.FOUND_FINE, text[m.end :]):
            return f"care called, nothing grave found: {fine}"
        if natural := natural_death(text):
            return f"called to a natural death: {natural}"
    if (alone := first_of(discount_words.LEFT_ALONE, text[m.end :])) is not None:
        return f"the background of someone left alone: {alone}"
    if (said := text[max(0, m.start - 2) : m.start]) in discount_words.CURE_BEFORE:
        return f"a cure claimed: {said}{m.cue.phrase}"
    if text.startswith(
        discount_words.CURE_AFTER, m.end + 3 if text.startswith("喝", m.end) else m.end
    ):
        return "a cure claimed"
    return None


def _named_otherwise(text: str, m: CueMatch, before: str, after: str) -> str | None:
    """A cue word that names something else here: a place or a role ("急救站", "住院部"), an
    ambulance kept out, people busy inside, a body part failing ("腰也不行了"), staff who do
    nothing ("厨师看见了也没反应")."""
    phrase, kind = m.cue.phrase, m.cue.kind
    if kind is cues.HARM and text.startswith(discount_words.PLACE_AFTER, m.end):
        return f"a place: {phrase}{text[m.end : m.end + 2]}"
    if kind is cues.HARM and (
        place := next((p for p in discount_words.PLACE_NAMES if text.startswith(p, m.start)), None)
    ):
        return f"a place or a role: {place}"
    if phrase[0] == "伤" and discount_words.OPEN_CLAIM_RE.match(text, m.start - 1):
        return f"a claim still open, not harm now: 工{phrase}"
    if kind is cues.HARM and text.startswith(discount_words.REMEDY_AFTER, m.end):
        return f"a remedy's name: {phrase}{text[m.end]}…"
    if phrase == "卡着" and before.endswith(discount_words.STANDOFF_BEFORE):
        return f"a standoff, not a person stuck: {before[-2:]}{phrase}"
    if phrase in discount_words.AMBULANCE and before.endswith(discount_words.KEPT_OUT_BEFORE):
        return f"a hazard of access: {before[-2:]}{phrase}"
    # "救护车进巷子都难", "打120都要跑到村口": how hard help is to get, not help called.
    if phrase in discount_words.HELP_HARD_TO_GET and (
        hard := first_of(discount_words.HARD_TO_GET, after[: discount_words.HARD_TO_GET_REACH])
    ):
        return f"a hazard of access: {phrase}…{hard}"
    if discount_words.FIGURE_DROPPED_RE.match(text, m.start):
        return f"a figure that dropped, not a fall: {phrase}{text[m.end : m.end + 2]}"
    if phrase in discount_words.IN_DRINK_ONLY and first_of(discount_words.DRINK, text) is None:
        return f"stored, not mixed into drink: {phrase}"
    if phrase in discount_words.INSIDE and after.startswith(discount_words.BUSY_AFTER):
        return f"busy inside, not trapped: {phrase}{after[:2]}"
    if (
        phrase in discount_words.INSIDE
        and (broke_in := first_of(discount_words.BROKE_IN, text[: m.start]))
        and (suspect := first_of(discount_words.SUSPECT, text))
    ):
        return f"an intruder inside, not trapped: {broke_in}…{suspect}"
    if (phrase in discount_words.INSIDE or phrase in discount_words.NOT_OUT_YET) and (
        busy := first_of(discount_words.THIEF_BUSY, text)
    ):
        return f"a thief inside, not trapped: {busy}"
    if phrase in discount_words.LASTING_STATE_CUES and (
        lasting := first_of(discount_words.LASTING_STATE_BEFORE, before)
    ):
        return f"a lasting state, not harm now: {lasting}…{phrase}"
    if phrase in discount_words.MOTIONLESS and (
        standing := first_of(
            discount_words.STANDING, text[start_of_clause(text, m.start) : m.start]
        )
    ):
        return f"standing still, not unconscious: {standing}…{phrase}"
    if phrase == "不行了" and (body := before.rstrip("也都已经快越来")).endswith(
        discount_words.BODY_BEFORE
    ):
        return f"a body part or a thing failing, not a death: {body[-2:]}…{phrase}"
    if (
        phrase in discount_words.NO_RESPONSE
        and (role := first_of(discount_words.STAFF, before)) is not None
        and first_of(discount_words.NOTICED, before) is not None
    ):
        return f"indifference, not unconscious: {role}…{phrase}"
    return None


def _english_discount(text: str, m: CueMatch) -> str | None:
    """Why an English cue does not count ("Nobody is injured", "If it catches fire"): a
    negation or a condition earlier in its sentence."""
    sentence = re.split("[.。！!？?\n]", text[: m.start])[-1]
    said = discount_words.ENGLISH_NOT.search(sentence[-50:])
    return f"negated or not happening: {said.group()}" if said else None


def _hypothetical(text: str, m: CueMatch, before: str, after: str, clause_start: int) -> str | None:
    """The words that make a cue a condition or a consequence, not what happened."""
    phrase = m.cue.phrase
    # "真要是有什么事，大家都出不去": the condition may be the clause before.
    hypothetical = first_of(
        HYPOTHETICAL, discount_words.CERTAIN.sub("", before) + phrase
    ) or first_of(discount_words.IF_BEFORE, clause_before(text, clause_start))
    if (
        not hypothetical
        and before.endswith(discount_words.PREVENTING)
        and not before.endswith(discount_words.FIRE_SERVICE)
    ):
        hypothetical = f"{before[-1]}{phrase}"  # "防溺水": prevention
    # "好在那会没人没车经过，不然砸死人": what would have followed, had it been otherwise.
    if not hypothetical and (otherwise := first_of(discount_words.OTHERWISE_BEFORE, before)):
        hypothetical = f"{otherwise}…{phrase}"
    # "扁豆没熟是会中毒的", "这样很危险会着火": harm or danger that would follow.
    if not hypothetical and before.endswith(discount_words.WOULD_BEFORE):
        hypothetical = before[-2:]
    # "招牌…风一吹就晃，掉下来要砸人的": what would follow a fall.
    if not hypothetical and phrase in cues.FALLING and after.startswith(discount_words.WOULD_AFTER):
        hypothetical = phrase + after[:2]
    # "晚上骑车的看不到要掉进去的": what is likely, not what is.
    if (
        not hypothetical
        and before.endswith(discount_words.LIKELY_BEFORE)
        and discount_words.LIKELY_AFTER.match(after)
    ):
        hypothetical = f"{before[-1]}{phrase}{after}"
    return hypothetical


# The reason given for a lasting state ("中风后半身不遂"), the background of what a report goes
# on to tell: `grading` does not count it as harm or danger told.
LASTING_STATE: Final = "the background of what follows"


def over_word(text: str) -> str | None:
    """The first word saying it is over ("救上来", "扑灭"), unless negated ("都没救出来")."""
    for w in discount_words.OVER:
        at = text.find(w)
        while at >= 0:
            if not text[max(0, at - 2) : at].endswith(("没", "未", "没有", "没能")):
                return w
            at = text.find(w, at + 1)
    return None


def safe_word(text: str) -> str | None:
    """The word that says everyone is out of danger, unless the report goes on to say some
    remain ("人都跑出来了，但是四楼还有一个老人没下来"), of the others only ("其他几个自己爬出来
    了"), or of other times ("以前年年吃都没事")."""
    safe = first_of(discount_words.SAFE_NOW, text)
    if safe is None:
        return None
    at = text.index(safe)
    clause = text[start_of_clause(text, at) : at]
    if (
        discount_words.SOME_REMAIN.search(text, at)
        or first_of(discount_words.EVERY_TIME, clause)
        or first_of(discount_words.THE_OTHERS, clause)
    ):
        return None
    return safe


def _said_or_over(text: str, m: CueMatch, before: str, opening: int) -> str | None:
    """Why a cue tells of no harm now: a threat or a fear said, a death shouted in quotes by a
    report that says nobody was hurt, harm healed, illness, burning that is no fire."""
    phrase, kind, grade = m.cue.phrase, m.cue.kind, m.cue.grade
    # "说是包子中毒，吓死人了，结果就是馅有点酸": what was said, then found to be less (most
    # reports say neither, and the sentence is looked for only when both are there).
    if (
        "说是" in text[: m.start]
        and (
            found := first_of(
                discount_words.FOUND_OTHERWISE, text[m.end : m.end + discount_words.FOUND_REACH]
            )
        )
        and "说是" in text[start_of_sentence(text, m.start) : m.start]
    ):
        return f"said, then found otherwise: 说是…{phrase}…{found}"
    if (
        phrase in ("着火", "着伙", "起火")
        and text[max(0, m.start - 2) : m.start] in discount_words.NOT_ALIGHT
    ):
        return "a stove that will not light"
    if kind is cues.HARM and grade is Severity.I:
        if phrase in discount_words.REMAINS and (
            text.startswith(discount_words.FUNERAL_AFTER, m.end)
            or before.endswith(discount_words.FUNERAL_BEFORE)
        ):
            return f"the remains in a funeral's business: {phrase}"
        if len(phrase) == 2 and phrase.endswith("死"):
            threat = first_of(discount_words.THREAT_BEFORE, before[-discount_words.THREAT_REACH :])
            if threat is not None:
                return f"a threat or a fear, not a death: {threat}…{phrase}"
            if before.endswith("你"):
                return f"shouted at someone: 你{phrase}"
            # "是想毒死人吗": an intent said just before the death; "想翻墙被电死了" is a death.
            if before.endswith("想"):
                return f"a threat or a fear, not a death: 想{phrase}"
        near = next((w for w in discount_words.NEAR_BLOWS_BEFORE if before.endswith(w)), None)
        if phrase.startswith("打死") and near:
            return f"a figure of speech: {near}{phrase}"
        if (
            (habit := first_of(discount_words.EVERY_TIME, text)) is not None
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
    if kind is cues.HARM and (in_fact := discount_words.IN_FACT_WELL.search(text, m.end)):
        return f"said, but in fact well: {in_fact.group()}"
    # "没呼吸了，我们店的员工在做心肺复苏": being revived, not yet dead.
    if phrase in discount_words.NO_BREATH and (
        revived := first_of(cues.BEING_REVIVED, text[m.end :])
    ):
        return f"being revived: {revived}"
    # "有人在群里喊“食物中毒了”，其实到现在谁都没有不舒服".
    if (
        kind is cues.HARM
        and in_quotes(text, m.start)
        and (well := first_of(cues.NOBODY_HURT, text))
    ):
        return f"shouted in quotes, and {well}"
    # "吵得快出人命了": nearly, a figure of speech.
    if phrase in discount_words.NEARLY_DEATHS and before.endswith(discount_words.NEARLY_BEFORE):
        return f"nearly, not a death: {before[-1]}{phrase}"
    if "血" in phrase and text.startswith(discount_words.NOT_A_WOUND_AFTER, m.end):
        return f"not a wound: {phrase}{text[m.end]}"
    if phrase in discount_words.BACKGROUND_AFTER and text.startswith(
        discount_words.BACKGROUND_AFTER[phrase], m.end
    ):
        return f"{LASTING_STATE}: {phrase}{text[m.end : m.end + 2]}"
    if phrase in discount_words.LEAKING and before.endswith(discount_words.WATER_PIPES):
        return f"water leaking: {before[-2:]}{phrase}"
    if phrase in discount_words.FIGURE_AFTER and text.startswith(
        discount_words.FIGURE_AFTER[phrase], m.end
    ):
        return f"a figure of speech: {phrase}{text[m.end : m.end + 2]}"
    if phrase in discount_words.REFUSED_AFTER and text.startswith(
        discount_words.REFUSED_AFTER[phrase], m.end
    ):
        return f"treatment refused, no death: {phrase}{text[m.end]}"
    # ("店里switch被偷。救命 店里两台switch…被偷了": the cry opens the words after the title.)
    if phrase in discount_words.EXCLAMATIONS and m.start in (0, opening):
        return f"an exclamation: {phrase}"
    if (
        phrase in discount_words.DESPAIR
        and (anger := first_of(discount_words.IN_ANGER, text)) is not None
    ):
        return f"said in anger: {anger}"
    if (
        phrase in discount_words.DESPAIR
        and (quarrel := first_of(discount_words.QUARREL, text)) is not None
        and not told_unnegated(text, discount_words.AT_AN_EDGE)
        and first_of(discount_words.MEANS_AT_HAND, text) is None
    ):
        return f"cried out in a quarrel: {quarrel}"
    if m.cue.kind is cues.SHUT_IN and text.startswith(discount_words.OUTSIDE_AFTER, m.end):
        return f"locked out, not in: {phrase}{text[m.end : m.end + 2]}"
    weapon = phrase in cues.WEAPONS or cues.AT_KNIFEPOINT.fullmatch(phrase) is not None
    if weapon and any(w in _words_before_weapon(text, m.start) for w in discount_words.THREAT_SAID):
        return "a weapon in a threat said"
    if (
        phrase in cues.WEAPONS
        and (gone := first_of(discount_words.WEAPON_GONE, text)) is not None
        # "大家都跑了": the people around fled; the one with the knife did not.
        and not text[: text.index(gone)].endswith(discount_words.BYSTANDERS_FLED)
    ):
        return f"over: {gone}"
    if (
        kind is cues.HARM
        and first_of(discount_words.CALLER_SAID, text) is not None
        and first_of(discount_words.CALLER_SAID, to_sentence(text, m.start)) is not None
        and first_of(discount_words.SCAM_WORDS, text) is not None
    ):
        return "a caller's story, not harm seen"
    if (
        phrase in cues.SAID_TO_JUMP
        and first_of(discount_words.SAYING, text[max(0, m.start - 8) : m.start]) is not None
        and not told_unnegated(text, discount_words.AT_AN_EDGE)
    ):
        return "a threat said, no one at an edge"
    if phrase == "冒火" and (unlit := first_of(discount_words.NOTHING_LIT, text)) is not None:
        return f"sparks that lit nothing: {unlit}"
    if phrase == "冒火" and text.startswith("花", m.end):
        sentence = text[start_of_sentence(text, m.start) : end_of_sentence(text, m.end)]
        fitting = first_of(discount_words.SPARKING, sentence)
        if fitting and first_of(discount_words.SPARKS_DOWN, sentence) is None:
            return f"sparks from a fitting, a hazard: {fitting}…冒火花"
    if phrase == "冒火" and before.endswith(discount_words.BODY_ON_FIRE):
        return f"a figure of speech: {before[-2:]}{phrase}"
    if kind is cues.DANGER and grade is Severity.III and any(f in phrase for f in cues.FIRE_WORDS):
        not_a_fire = first_of(cues.NOT_A_FIRE, text)
        # ("不是着火，是有老人在烧纸钱……等一下，干草堆烧起来了": a fire since.)
        if not_a_fire and not first_of(
            discount_words.TURNED, text[text.find(not_a_fire) : m.start]
        ):
            return f"not a fire: {not_a_fire}"
    if kind is cues.HARM and grade is Severity.II:
        healed = first_of(discount_words.HEALED, text[m.end : m.end + discount_words.HEALED_REACH])
        if healed:
            return f"past and healed: {healed}"
        if phrase in cues.IN_HOSPITAL:
            if text.startswith(discount_words.HOSPITAL_AS_A_TIME_AFTER, m.end):
                return f"a time, not harm: {phrase}{text[m.end]}…"
            if (
                need := first_of(discount_words.HOSPITAL_NEEDS_MONEY_AFTER, text[m.end : m.end + 4])
            ) is not None:
                return f"a need for money, the background of a claim: {phrase}{need}"
            if before.endswith("我") and text.startswith(
                discount_words.AT_HOSPITAL_FOR_AFTER, m.end
            ):
                return f"where the reporter is: 我{phrase}{text[m.end]}…"
            if first_of(discount_words.HARM_CAUSES, text) is None:
                return "in hospital, no harm named"
    return None


def _words_before_weapon(text: str, start: int) -> str:
    """The words just before a weapon named, without the caller's report that introduces what
    happened ("来电者说邻居喝醉了拿着菜刀…": the caller says it, the neighbour holds the knife)."""
    before = text[max(0, start - discount_words.WEAPON_THREAT_REACH - 4) : start]
    return discount_words.REPORTED_SPEECH.sub("", before)[-discount_words.WEAPON_THREAT_REACH :]


def _asked(text: str, before: str, after: str, clause_end: int) -> bool:
    """Whether a cue is in a question ("话务员：有人受伤吗？", "有没有人被困？"): a call-taker's
    question tells nothing; the answer does."""
    if text[clause_end : clause_end + 1] not in ("？", "?"):
        return False
    return (
        after.endswith(discount_words.QUESTION_ENDS)
        or first_of(discount_words.QUESTION_WORDS, before) is not None
    )
