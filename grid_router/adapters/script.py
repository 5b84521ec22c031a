"""Reports in traditional characters or written Cantonese, rewritten into the simplified
Mandarin the classifier was built on, before anything reads them.

Taiwanese residents (台胞), visitors from Hong Kong and Macau and returning overseas Chinese
write in traditional characters (繁體字); the lexicon, the grading cues and the model's
training reports are all simplified, so "著火了", "燒起來", "受傷" would find nothing. OpenCC
(Apache-2.0, a C++ library with Python wheels) converts character by character and phrase by
phrase with its `tw2s` configuration (Taiwan's variants first, so that 著火 and 燒著了 become
着火 and 烧着了, which plain `t2s` leaves as they are), in a few microseconds per report;
simplified text passes through unchanged.

Written Cantonese also uses its own function words, which no conversion of script touches:
"冇人受傷" says nobody was hurt, but 冇 is no negation the grading knows. Where a report holds
one of Cantonese's own characters (`CANTONESE_MARKS`), its commonest function words are
rewritten into Mandarin (`CANTONESE_WORDS`, longest first). No library does this; the table is
kept to words whose Mandarin reading is unambiguous.

Some people type Chinese word by word with spaces between (a text relay, a habit from pinyin
input: "路面 塌陷 电动车 掉 进去 人 没了"); Chinese has no spaces between words, so the cues
would not be found ("没 气 了" is no "没气了"). Many more use a space where a comma would be
("清化粪池 一个工人下去就没上来"), and there it must stay: it ends a clause. A text whose
pieces between spaces and punctuation marks are words (`WORD_BY_WORD`: two and a half
characters or fewer on average) has the spaces between its Chinese characters removed; spaces
beside Latin letters or digits stay.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import opencc

# Characters written in Cantonese and (almost) never in Mandarin.
CANTONESE_MARKS: Final = frozenset("冇咗嘅喺佢唔啲嚟嘢睇嗌冧郁䢂曱甴琴瞓搵攞")
# After conversion to simplified characters; longest first when applied.
CANTONESE_WORDS: Final = {
    "叫极都唔应": "叫不应",
    "冇咗气": "没气了",  # no breath left: dead
    "过咗身": "去世了",
    "救唔返": "救不回来了",
    "跌咗落嚟": "摔下来",
    "死咗火": "熄火",  # an engine stalled, before 咗 becomes 了 and "死了" a death
    "升降机": "电梯",
    "曱甴": "蟑螂",
    "水浸": "水淹",
    "银包": "钱包",
    "俾人": "被人",
    "街灯": "路灯",
    "泊车": "停车",
    "泊喺": "停在",
    "行失": "走失",
    "琴晚": "昨晚",
    "琴日": "昨天",
    "今朝": "今天早上",
    "䢂": "电梯",  # 𨋢 (a lift), as OpenCC simplifies it
    "瞓": "睡",
    "搵": "找",
    "揾": "找",  # 搵, as OpenCC simplifies it
    "攞": "拿",
    "郁唔到": "动不了",
    "乜嘢": "什么",
    "点解": "为什么",
    "佢哋": "他们",
    "唔系": "不是",
    "冇事": "没事",
    "冇人": "没有人",
    "嗌交": "吵架",
    "而家": "现在",
    "头先": "刚才",
    "屋企": "家里",
    "落嚟": "下来",
    "唔应": "不应",
    "冇": "没有",
    "咗": "了",
    "喺": "在",
    "嘅": "的",
    "啲": "些",
    "嚟": "来",
    "佢": "他",
    "唔": "不",
    "嘢": "东西",
    "睇": "看",
    "冧": "塌",
}
# Before conversion: Minnan's 睏 (to sleep: "睏在路边", "睏袂去") would become 困, which reads as
# trapped ("困在").
BEFORE_CONVERSION: Final = str.maketrans({"睏": "睡"})
_SURROGATES: Final = re.compile("[\ud800-\udfff]")
_SPACED: Final = re.compile("(?<=[\u3400-\u9fff])[ \u3000\t]+(?=[\u3400-\u9fff])")
# Pieces are counted between spaces and between punctuation marks too: "蔡塘 出租屋，一家人 晚饭"
# is four words, not three pieces, one of them a clause.
_PIECE_BREAKS: Final = re.compile("[ \u3000\t，,。.、！!？?；;：:]+")
WORD_BY_WORD: Final = 2.5  # mean characters per piece (between spaces or marks), at most
WORD_BY_WORD_PIECES: Final = 4  # pieces, at least
_CANTONESE: Final = re.compile("|".join(sorted(CANTONESE_WORDS, key=len, reverse=True)))


def _word_by_word(text: str) -> bool:
    """Whether the spaces in `text` stand between words, not between clauses."""
    pieces = [p for p in _PIECE_BREAKS.split(text) if p]
    lengths = [len(p) for p in pieces]
    return len(pieces) >= WORD_BY_WORD_PIECES and sum(lengths) / len(lengths) <= WORD_BY_WORD


def normalise_chinese() -> Callable[[str], str]:
    """Traditional characters to simplified, spaces between Chinese characters removed, then
    written Cantonese's function words to Mandarin where the text is Cantonese; anything else
    is left as it is."""
    convert = opencc.OpenCC("tw2s").convert

    def normalise(text: str) -> str:
        if "睏" in text:
            text = text.translate(BEFORE_CONVERSION)
        try:
            text = convert(text)
        except UnicodeEncodeError:  # a lone surrogate (JSON's "\ud800"), which OpenCC cannot take
            text = convert(_SURROGATES.sub("\ufffd", text))
        if (" " in text or "\u3000" in text or "\t" in text) and _word_by_word(text):
            text = _SPACED.sub("", text)
        if CANTONESE_MARKS.isdisjoint(text):
            return text
        return _CANTONESE.sub(lambda m: CANTONESE_WORDS[m.group()], text)

    return normalise
