"""The wholesale note value: packs and loose units, discounts, the till cart it becomes."""

from __future__ import annotations

import pytest

from jxc_desktop.domain import cart as cartlib
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.wholesale_note import (
    NoteLine,
    WholesaleNote,
    packs_text,
    split_packs,
    to_cart,
    with_line,
    without_line,
)


def test_packs_and_loose_make_the_quantity() -> None:
    line = NoteLine(1, "冰红茶", "瓶", 250, pack_size=24, packs=5, loose=6 * MILLI)
    assert line.qty == 126 * MILLI
    assert line.gross == 31500
    assert split_packs(line.qty, 24) == (5, 6 * MILLI)
    assert packs_text(line.qty, 24) == "5×24+6"
    assert packs_text(48 * MILLI, 24) == "2×24"
    assert packs_text(2500, None) == "2.5"
    assert packs_text(5 * MILLI, 24) == "5"  # fewer than a pack: just the units


def test_the_cart_carries_prices_and_both_discounts() -> None:
    note = WholesaleNote()
    note = with_line(note, NoteLine(1, "冰红茶", "瓶", 250, pack_size=24, packs=5, loose=6 * MILLI))
    note = with_line(note, NoteLine(2, "矿泉水", "瓶", 150, pack_size=24, packs=2, line_discount=200))
    note = WholesaleNote(note.lines, discount=100)
    assert (note.subtotal, note.total) == (38500, 38400)
    totals = cartlib.price(to_cart(note), cartlib.Limits(10, 10))
    assert totals.total == note.total
    assert [p.line.qty for p in totals.lines] == [126 * MILLI, 48 * MILLI]
    assert sum(p.discount for p in totals.lines) == 300
    assert without_line(note, 0).lines[0].name == "矿泉水"


@pytest.mark.parametrize("line", [
    NoteLine(1, "x", "个", 100, pack_size=0, packs=1),
    NoteLine(1, "x", "个", 100, pack_size=12, packs=0, loose=0),
    NoteLine(1, "x", "个", 100, pack_size=12, packs=-1, loose=30 * MILLI),
    NoteLine(1, "x", "个", 100, pack_size=12, packs=1, line_discount=1300),
    NoteLine(1, "x", "个", 100, pack_size=12, packs=1, line_discount=-1),
])
def test_bad_lines_are_refused(line: NoteLine) -> None:
    with pytest.raises(ValidationError):
        with_line(WholesaleNote(), line)


def test_an_empty_note_does_not_post() -> None:
    with pytest.raises(ValidationError):
        to_cart(WholesaleNote())
