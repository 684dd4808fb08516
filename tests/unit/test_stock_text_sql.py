"""``jxc stock`` on sqlite3 alone has SQLite write its text (services/stock/stock_lines.py); the
rule stays the Python formatting of the full path: json's encode_basestring (ensure_ascii=False)
for the strings and domain.quantity.format_qty for ``qty_units``. Every character class and a
wide range of quantities go through both here."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from json.encoder import encode_basestring

import pytest

from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.services.stock.stock_lines import qty_text_sql

INT64 = 2**63


@pytest.fixture
def con() -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(":memory:")
    yield c
    c.close()


def quantities() -> list[int]:
    near = [0, 1, 9, 10, 99, 100, 101, 110, 999, 1000, 1001, 1010, 1100, 1250, 1999, 2000, 12345, 100000,
            999999, 1000000, 10**12 + 1, 10**15, INT64 - 1, INT64 - 1000, INT64 - 808]
    rng = random.Random(15)
    wide = [rng.randrange(-10**7, 10**7) for _ in range(3000)] + [rng.randrange(-INT64, INT64) for _ in range(300)]
    return near + [-q for q in near] + [-INT64, -INT64 + 1] + list(range(-2100, 2100)) + wide


def test_qty_text_is_format_qty(con: sqlite3.Connection) -> None:
    qtys = quantities()
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, q INTEGER NOT NULL)")
    con.executemany("INSERT INTO t (n, q) VALUES (?, ?)", enumerate(qtys))
    got = [text for (text,) in con.execute(f"SELECT {qty_text_sql('q')} FROM t ORDER BY n")]
    assert got == [format_qty(q) for q in qtys]
    assert got[:12] == ["0", "0.001", "0.009", "0.01", "0.099", "0.1", "0.101", "0.11", "0.999", "1", "1.001", "1.01"]
    assert format_qty(-INT64) == con.execute(f"SELECT {qty_text_sql('?1')}", (-INT64,)).fetchone()[0]


def strings() -> list[str]:
    """One string per code point of every class the escaping treats apart, and mixtures."""
    singles = [chr(c) for c in range(0x00, 0xA0)]  # controls, quote, backslash, ASCII, DEL, C1 controls
    singles += ["\u00e9", "\u00ff", "\u0100", "\u07ff", "\u0800", "\u2028", "\u2029", "\u200b", "\u202e",
                "\ufeff", "\ufffd", "\uffff", "\U00010000", "\U0001f600", "\U0010ffff", "可", "乐"]
    mixed = ["", "plain", 'quote " back \\ slash', "tab\tnew\nline\rcr\fff\bbs", "\x00nul\x00in\x00the\x00middle",
             "可口可乐 330ml", "😀 emoji 𠀀 ext-B", "\\u0000 spelled out", '"\\"', "\x7f\x1f\x01", "末尾\\"]
    return singles + mixed


def test_json_quote_is_json_encode_basestring(con: sqlite3.Connection) -> None:
    texts = strings()
    con.execute("CREATE TABLE t (n INTEGER PRIMARY KEY, s TEXT NOT NULL)")
    con.executemany("INSERT INTO t (n, s) VALUES (?, ?)", enumerate(texts))
    got = [quoted for (quoted,) in con.execute("SELECT json_quote(s) FROM t ORDER BY n")]
    assert [(t, g) for t, g in zip(texts, got, strict=True) if g != encode_basestring(t)] == []
    # printf's %s (the row's template) and || keep every byte, NUL included, and so does fetching
    row = con.execute("SELECT printf('<%s>', json_quote(s)) || s FROM t WHERE n = ?",
                      (texts.index("\x00nul\x00in\x00the\x00middle"),)).fetchone()[0]
    assert row == "<" + encode_basestring("\x00nul\x00in\x00the\x00middle") + ">\x00nul\x00in\x00the\x00middle"
