"""助记码 and 全拼: the pinyin a product (or supplier) is found by, made from its name."""

from __future__ import annotations

import threading
from functools import lru_cache

MAX_INITIALS = 120
MAX_FULL = 400
KEY_SEPARATOR = " "  # neither pinyin holds a space


@lru_cache(maxsize=4096)  # pure; saving a product computes it twice (compare, then assign)
def pinyin_initials(name: str) -> str:
    """助记码: the first letter of each character's pinyin; letters and digits kept as they are."""
    # Imported on first use: loading pypinyin's dictionaries takes ~0.4 s, kept off the start-up path.
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda s: list(s))
    out = "".join(p[:1] if len(p) == 1 or not p.isascii() else p for p in parts)
    return "".join(c for c in out.lower() if c.isalnum())[:MAX_INITIALS]


@lru_cache(maxsize=4096)
def pinyin_full(name: str) -> str:
    """全拼: each character's pinyin without tones, run together ("娃哈哈" → "wahaha"); letters and
    digits kept as they are. Not editable: it always follows the name. Migration 0006 filled it
    for the products already there by this same rule."""
    from pypinyin import Style, lazy_pinyin

    parts = lazy_pinyin(name, style=Style.NORMAL, errors=lambda s: list(s))
    return "".join(c for c in "".join(parts).lower() if c.isalnum())[:MAX_FULL]


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
