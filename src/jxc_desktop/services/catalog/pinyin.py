"""助记码 and 全拼: the pinyin a product (or supplier) is found by, made from its name."""

from __future__ import annotations

import threading
from functools import lru_cache

MAX_INITIALS = 120
MAX_FULL = 400
KEY_SEPARATOR = " "  # neither pinyin holds a space


@lru_cache(maxsize=4096)  # pure; saving a product asks for both keys of a name, and twice (compare, then assign)
def _keys(name: str) -> tuple[str, str]:
    """The name's 助记码 and 全拼 before trimming, from ONE reading of the name by pypinyin.

    Both come from the same syllables: pypinyin cuts the name into words the same way whatever the
    style, and its first-letter style is the first letter of its tone-less style (Style.NORMAL);
    a character it has no pinyin for (a letter, a digit) comes back as itself in both. So the
    first letter of each NORMAL syllable is what Style.FIRST_LETTER gives — half the work of
    asking twice (an import of 10 000 products reads ~8 000 names; tests/unit/test_pinyin_keys.py
    checks this over every character and phrase pypinyin knows)."""
    # Imported on first use: loading pypinyin's dictionaries takes ~0.2 s, kept off the start-up path.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.NORMAL, errors=list)
    initials = "".join(p[:1] for p in parts)
    return _kept(initials), _kept("".join(parts))


def _kept(text: str) -> str:
    """Lower case, letters and digits only (spaces, punctuation and symbols dropped)."""
    return "".join(c for c in text.lower() if c.isalnum())


def pinyin_initials(name: str) -> str:
    """助记码: the first letter of each character's pinyin; letters and digits kept as they are."""
    return _keys(name)[0][:MAX_INITIALS]


def pinyin_full(name: str) -> str:
    """全拼: each character's pinyin without tones, run together ("娃哈哈" → "wahaha"); letters and
    digits kept as they are. Not editable: it always follows the name. Migration 0006 filled it
    for the products already there by this same rule."""
    return _keys(name)[1][:MAX_FULL]


def warm_up_in_background() -> threading.Thread:
    """Load pypinyin's dictionaries on a thread (0.3 s, ~55 MB resident for the rest of the
    process) when a form that makes pinyin opens, so its first typed name does not wait. Not at
    start-up: a window that only sells and reports never needs them (issue 15, memory)."""
    thread = threading.Thread(target=pinyin_initials, args=("预热",), name="pinyin-warm-up", daemon=True)
    thread.start()
    return thread


def pinyin_key(name: str, initials: str) -> str:
    """The search key stored with a product: its 全拼, a space, its 助记码 ("wahaha whh"). Search
    scans this one column for text inside either; a prefix of it is a prefix of the 全拼."""
    return f"{pinyin_full(name)}{KEY_SEPARATOR}{initials}"


def full_of_key(key: str) -> str:
    return key.partition(KEY_SEPARATOR)[0]
