"""`domain.phrases.longest_first` finds what the phrases joined longest first find, and
`domain.lexicon_rules.mask_place_words` masks what `PLACE_PATTERN` matches."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from grid_router.domain.lexicon_rules import MASK, PLACE_PATTERN, mask_place_words
from grid_router.domain.phrases import longest_first

# A small alphabet (with a character `re` treats specially) so that phrases overlap often.
TEXT = st.text(alphabet="着火山上.*死了", max_size=40)
PHRASES = st.sets(st.text(alphabet="着火山上.*死了", min_size=1, max_size=5), min_size=1)


def flat(phrases: set[str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(phrases, key=len, reverse=True))))


@given(PHRASES, TEXT)
def test_the_same_matches_as_the_phrases_longest_first(phrases: set[str], text: str) -> None:
    trie, plain = longest_first(phrases), flat(phrases)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert trie.sub("□", text) == plain.sub("□", text)


def test_the_longest_phrase_where_several_start() -> None:
    pattern = longest_first(["着火", "山上着火", "山上", "火"])
    assert [m.group() for m in pattern.finditer("山上着火了，火")] == ["山上着火", "火"]
    assert [m.group() for m in pattern.finditer("山上有火")] == ["山上", "火"]


# Suffixes of place words, characters beside them, and a few that are not Chinese.
PLACE_TEXT = st.text(alphabet="社区街道村委会居工业片公园大厦写字楼镇溪边同安a1，□", max_size=40)


@given(PLACE_TEXT)
def test_place_words_are_masked_as_the_pattern_masks_them(text: str) -> None:
    masked = PLACE_PATTERN.sub(lambda m: MASK * len(m.group()), text)
    assert mask_place_words(text) == masked


def test_place_words_masked() -> None:
    assert mask_place_words("溪边社区的顶许村委会旁边") == "□□□□的□□□□□旁边"
    assert mask_place_words("顶许村里着火了") == "□□□里着火了"
    assert mask_place_words("顶许村") == "顶许村"  # 村 at the end: no name follows the pattern
