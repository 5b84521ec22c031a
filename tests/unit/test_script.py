"""Reports in traditional characters are read as the same report in simplified ones."""

from __future__ import annotations

import pytest

from grid_router.adapters.org_data import load_default_organisation
from grid_router.adapters.script import normalise_chinese
from grid_router.bootstrap import App
from grid_router.domain.classify import Classifier
from grid_router.policy.taxonomy import load_default_taxonomy


def test_traditional_characters_become_simplified() -> None:
    convert = normalise_chinese()
    assert convert("廚房著火了，有兩個人受傷") == "厨房着火了，有两个人受伤"
    assert convert("厨房着火了") == "厨房着火了"  # simplified passes unchanged
    assert convert("Fire on floor 3") == "Fire on floor 3"


def test_written_cantonese_becomes_mandarin() -> None:
    convert = normalise_chinese()
    assert convert("已經冇事，冇人受傷") == "已经没事，没有人受伤"
    assert convert("師傅喺外牆跌咗落嚟，郁唔到") == "师傅在外墙摔下来，动不了"
    assert convert("巴士死咗火，部𨋢壞咗") == "巴士熄火，部电梯坏了"  # a stalled engine is no death
    assert convert("救返上嚟已經冇咗氣，醫生話救唔返") == "救返上来已经没气了，医生话救不回来了"
    assert convert("今朝喺下游搵返，已經過咗身") == "今天早上在下游找返，已经去世了"
    # Without a Cantonese character the words are left alone (而家 is only rewritten beside one).
    assert convert("关系很好，而家具都是新的") == "关系很好，而家具都是新的"


def test_minnan_sleep_is_not_read_as_trapped() -> None:
    convert = normalise_chinese()
    # 睏 (to sleep, in Minnan and in traditional script) would become 困, read as "困在" (trapped).
    assert convert("流浪阿伯睏在路边两三工了") == "流浪阿伯睡在路边两三工了"
    assert convert("吵甲阮睏袂去") == "吵甲阮睡袂去"
    assert convert("電梯裡困住兩個人") == "电梯里困住两个人"  # 困 itself stays


def test_spaces_between_chinese_words_are_removed() -> None:
    convert = normalise_chinese()
    assert convert("捞 起来 没 呼吸 了。救护车 来 了") == "捞起来没呼吸了。救护车来了"
    assert convert("隔壁\u3000老人  叫 不 醒") == "隔壁老人叫不醒"
    # Beside Latin letters or digits a space stays.
    assert convert("KTV 门口 一群 人 拿 棍子，3 号楼") == "KTV 门口一群人拿棍子，3 号楼"
    # A space that ends a clause stays: the pieces are clauses, not words.
    clauses = "清化粪池 一个工人下去就没上来 另一个下去拉他也晕在里面了 快来人啊"
    assert convert(clauses) == clauses
    # Words between commas are words too: "出租屋，一家人" is two of them, not one piece.
    signed = "蔡塘 出租屋，一家人 晚饭 吃 河豚。爸爸 已经 走了，妈妈 在 医院 抢救。"
    assert convert(signed) == "蔡塘出租屋，一家人晚饭吃河豚。爸爸已经走了，妈妈在医院抢救。"
    assert convert("Fire on floor 3") == "Fire on floor 3"


def test_a_report_typed_word_by_word_is_graded_as_its_twin() -> None:
    classifier = App().classifier
    spaced = classifier.classify("路面 塌陷 电动车 掉 进去 人 没了 死了。消防 在 捞。")
    assert spaced.severity.value == "I"
    assert classifier.classify("路面塌陷电动车掉进去人没了死了。消防在捞。").severity.value == "I"


def test_a_cantonese_report_is_graded_as_its_mandarin_twin() -> None:
    classifier = App().classifier
    said = classifier.classify("隔籬兩公婆又嗌交，掟嘢聲好大，不過聽落冇人受傷")
    assert said.severity.value == "IV"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("廚房著火了，有兩個人受傷，已經叫了救護車", "厨房着火了，有两个人受伤，已经叫了救护车"),
        ("機車停在騎樓下充電，擋住了逃生通道", "机车停在骑楼下充电，挡住了逃生通道"),
        ("隔壁工地晚上十二點還在施工，噪音很大", "隔壁工地晚上十二点还在施工，噪音很大"),
    ],
)
def test_the_application_reads_both_scripts_alike(traditional: str, simplified: str) -> None:
    classifier = App().classifier
    a, b = classifier.classify(traditional), classifier.classify(simplified)
    assert (a.category_code, a.subcategory_code, a.severity, a.confidence) == (
        b.category_code,
        b.subcategory_code,
        b.severity,
        b.confidence,
    )


def test_the_domain_reads_the_normalised_text() -> None:
    """The domain takes the conversion as a plain function (it imports no library)."""
    plain = Classifier(load_default_taxonomy())
    normalised = Classifier(load_default_taxonomy(), normalise=lambda t: t.replace("火災", "火灾"))
    assert plain.classify("倉庫火災").category_code != "FIRE"
    assert normalised.classify("倉庫火災").category_code == "FIRE"


@pytest.mark.parametrize(
    ("address", "community_code"),
    [
        ("思明區蓮前街道前埔社區前埔路", "350203010029"),
        ("湖里區江頭街道後埔社區後埔社二里", "350206004018"),
        ("嵩嶼街道鍾山社區海滄大道旁邊個小區", "350205003003"),
    ],
)
def test_an_address_in_traditional_characters_is_placed_like_its_simplified_twin(
    address: str, community_code: str
) -> None:
    """The division names are simplified; the application's organisation converts first."""
    app = App()
    placed = app.org.locate(address=address).community
    assert placed is not None
    assert placed.code == community_code
    assert load_default_organisation().locate(address=address).community is None


def test_a_lone_surrogate_is_replaced_not_raised() -> None:
    """JSON may carry "\\ud800", which no UTF-8 encoder takes: the text is still read."""
    convert = normalise_chinese()
    assert convert("火災\ud800現場") == "火灾\ufffd现场"
    app = App()
    assert app.classifier.classify("仓库火灾\ud800现场").category_code == "FIRE"
    placed = app.org.locate(address="思明区\ud800中华街道").street
    assert placed is not None
    assert placed.name == "中华街道"
