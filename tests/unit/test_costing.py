"""Moving weighted average rules (DESIGN.md §4), pure arithmetic."""

from __future__ import annotations

from jxc_desktop.domain.costing import Hole, Position, corrections, issue, receive, value_of
from jxc_desktop.domain.money import div_round


def test_div_round_is_half_up_away_from_zero() -> None:
    assert div_round(5, 2) == 3
    assert div_round(-5, 2) == -3
    assert div_round(4, 3) == 1
    assert div_round(1, 3) == 0
    assert div_round(7, -2) == -4


def test_receipts_accumulate_and_average() -> None:
    pos = Position(0, 0, 0)
    pos = receive(pos, 10_000, 1000).after  # 10 @ 1.00
    pos = receive(pos, 10_000, 2000).after  # 10 @ 2.00
    assert (pos.qty, pos.value, pos.avg_cost) == (20_000, 3000, 150)


def test_issue_takes_average_share_and_leaves_exact_zero() -> None:
    pos = receive(Position(0, 0, 0), 3000, 1000).after  # 3 units for 10.00
    first = issue(pos, 1000)
    assert first.value == -333
    second = issue(first.after, 1000)
    assert second.value == -div_round(667 * 1000, 2000)
    last = issue(second.after, 1000)
    assert last.after.qty == 0 and last.after.value == 0
    assert first.value + second.value + last.value == -1000


def test_negative_stock_uses_last_average_and_rebases_on_receipt() -> None:
    pos = receive(Position(0, 0, 0), 2000, 400).after  # 2 @ 2.00
    out = issue(pos, 5000)  # 2 on hand: 400 + 3 @ 2.00
    assert out.value == -1000
    assert (out.after.qty, out.after.value) == (-3000, -600)
    back = receive(out.after, 5000, 1500)  # 5 @ 3.00 -> 2 on hand worth 6.00
    assert back.after.qty == 2000
    assert back.after.value == 600
    assert back.revaluation == 600 - (-600 + 1500)
    assert value_of(2000, 300) == back.after.value


def test_partial_refill_keeps_the_missing_units_at_their_old_cost() -> None:
    pos = Position(-10_000, -15_000, 1500)  # Q -10 at 15.00
    part = receive(pos, 5000, 15_000)  # 5 @ 30.00
    assert (part.after.qty, part.after.value) == (-5000, -7500)
    assert part.revaluation == -7500  # 5 × (30.00 − 15.00) of extra cost
    assert part.after.avg_cost == 3000  # the next sale below zero costs the last receipt's price


def test_hole_fills_oldest_first_and_corrections_add_up_to_the_rebase() -> None:
    hole = Hole()
    hole.issue("a", 1000, -2000, 1000, -667)  # 1 on hand, 2 beyond at 3.33⅓: the hole holds 667
    hole.issue("b", -2000, -3000, 333, -1000)
    hole.issue("b", -3000, -5000, 667, -1667)  # the same line from a second batch
    assert hole.qty == 5000
    filled = hole.take(3000)
    assert [(f.ref, f.qty, f.old) for f in filled] == [("a", 2000, 667), ("b", 1000, 333)]
    fixes = corrections(filled, 3000, 1000, 667 + 333 - 1000)  # 3 @ 3.33⅓ filling 3 booked at 10.00
    assert fixes == []  # they were booked at what the refill paid: nothing to correct
    rest = hole.take(7000)
    assert [(f.ref, f.qty, f.old) for f in rest] == [("b", 2000, 667)]
    fixes = corrections(rest, 7000, 7000, 667 - 2000 - 1)  # a re-base total with a fen of rounding
    assert fixes == [("b", 667 - 2000 - 1)]  # one correction per line, the rounding on the newest
    assert hole.qty == 0
