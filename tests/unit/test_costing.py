"""Moving weighted average rules (DESIGN.md §4), pure arithmetic."""

from __future__ import annotations

from jxc_desktop.domain.costing import Position, issue, receive, value_of
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
