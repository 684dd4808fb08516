"""Both pinyin keys of a name from one reading (services/catalog/pinyin.py `_keys`) equal what two
readings gave — one in pypinyin's first-letter style, one in its tone-less style — over every
character and every phrase pypinyin knows, and over names as a shop writes them."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from pypinyin import Style, lazy_pinyin
from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

from jxc_desktop.demo.catalog_data import products, suppliers
from jxc_desktop.services.catalog.pinyin import MAX_FULL, MAX_INITIALS, pinyin_full, pinyin_initials


def initials_asked_alone(name: str) -> str:
    """The 助记码 as it was made before (a reading of its own, in the first-letter style)."""
    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    out = "".join(p[:1] if len(p) == 1 or not p.isascii() else p for p in parts)
    return "".join(c for c in out.lower() if c.isalnum())[:MAX_INITIALS]


def full_asked_alone(name: str) -> str:
    parts = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s))
    return "".join(c for c in "".join(parts).lower() if c.isalnum())[:MAX_FULL]


def chunks(words: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(words), size):
        yield words[start:start + size]


def first_letters(text: str) -> list[str]:
    return [p[:1] for p in lazy_pinyin(text, style=Style.NORMAL, errors=list)]


def test_each_first_letter_is_the_first_letter_of_the_toneless_syllable() -> None:
    """The rule _keys rests on, syllable by syllable: every character on its own (its first
    reading) and every phrase (the readings a phrase gives its characters). Long texts are read
    at once: pypinyin cuts both styles' texts into the same words, so the lists line up."""
    singles = [chr(code) for code in sorted(PINYIN_DICT)]
    phrases = sorted(PHRASES_DICT)
    assert len(singles) > 20_000 and len(phrases) > 40_000
    for group in chunks(singles, 200):
        text = "|".join(group)  # a separator: each character read on its own
        assert first_letters(text) == lazy_pinyin(text, style=Style.FIRST_LETTER, errors=list)
    for group in chunks(phrases, 500):
        text = "|".join(group)
        assert first_letters(text) == lazy_pinyin(text, style=Style.FIRST_LETTER, errors=list)


@pytest.mark.parametrize("name", [
    "娃哈哈", "蒙牛纯牛奶 250ml", "Coca-Cola 可乐", "绿茶", "女装连衣裙", "长春银行卡", "重庆小面",
    "欸乃", "嗯", "旅行 Lüneburg", "ＡＢＣ全角", "①号货架", "İstanbul 土耳其软糖", "🍎苹果", "", "   ",
    "行长", "银行行长", "乐", "音乐", "快乐", "a_b%c", "三只松鼠·坚果", "茶" * 300,
])
def test_both_keys_are_what_two_readings_gave(name: str) -> None:
    assert pinyin_initials(name) == initials_asked_alone(name)
    assert pinyin_full(name) == full_asked_alone(name)


def test_names_of_a_shop_catalogue() -> None:
    """Products and suppliers as the demo shop names them."""
    rng = random.Random(7)
    names = [p.name for p in products(rng, 3000)] + [s.name + s.address for s in suppliers(rng, 200)]
    assert len(set(names)) > 1000
    for name in names:
        assert (pinyin_initials(name), pinyin_full(name)) == (initials_asked_alone(name), full_asked_alone(name))
