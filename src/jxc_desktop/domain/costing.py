"""Moving weighted average cost (移动加权平均), carried as (quantity, value).

Pure arithmetic on a product's position; the ledger service applies the result together with
the stock_move row. Quantities are thousandths of a unit, values and unit costs are fen.
"""

from __future__ import annotations

from dataclasses import dataclass

from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.quantity import MILLI


@dataclass(frozen=True)
class Position:
    qty: int
    value: int
    avg_cost: int  # fen per whole unit; the last known average, kept when stock is not positive


@dataclass(frozen=True)
class Change:
    qty: int  # signed
    value: int  # signed, the move's value
    revaluation: int  # extra value written as a separate revaluation move (0 if none)
    after: Position


def value_of(qty: int, unit_cost: int) -> int:
    """Value in fen of ``qty`` thousandths at ``unit_cost`` fen per unit."""
    return div_round(qty * unit_cost, MILLI)


def unit_cost_of(value: int, qty: int) -> int:
    return div_round(value * MILLI, qty)


def _avg(qty: int, value: int, fallback: int) -> int:
    return unit_cost_of(value, qty) if qty > 0 else fallback


def receive(pos: Position, qty: int, value: int) -> Change:
    """Goods in: adds qty and its cost. A receipt that lifts negative stock to zero or above
    re-bases the value to ``new qty × this receipt's unit cost``; the gap is a revaluation."""
    if qty <= 0:
        raise ValueError("receive needs a positive quantity")
    new_qty = pos.qty + qty
    new_value = pos.value + value
    reval = 0
    if pos.qty < 0 <= new_qty:
        target = div_round(value * new_qty, qty)
        reval = target - new_value
        new_value = target
    receipt_cost = unit_cost_of(value, qty)
    avg = _avg(new_qty, new_value, receipt_cost)
    return Change(qty, value, reval, Position(new_qty, new_value, avg))


def issue_value(pos: Position, qty: int) -> int:
    """The cost (positive fen) of taking ``qty`` out of ``pos``: the average share of the value,
    the whole value when the shelf is emptied, the last average beyond what is on hand."""
    if qty <= 0:
        raise ValueError("issue needs a positive quantity")
    if pos.qty >= qty:
        return pos.value if qty == pos.qty else div_round(pos.value * qty, pos.qty)
    if pos.qty > 0:
        return pos.value + value_of(qty - pos.qty, pos.avg_cost)
    return value_of(qty, pos.avg_cost)


def issue(pos: Position, qty: int, value: int | None = None) -> Change:
    """Goods out at the moving average (or at ``value`` when the caller must fix it)."""
    out = issue_value(pos, qty) if value is None else value
    new_qty = pos.qty - qty
    new_value = pos.value - out
    return Change(-qty, -out, 0, Position(new_qty, new_value, _avg(new_qty, new_value, pos.avg_cost)))


def revalue(pos: Position, delta: int) -> Change:
    """A value-only correction (no quantity)."""
    new_value = pos.value + delta
    return Change(0, delta, 0, Position(pos.qty, new_value, _avg(pos.qty, new_value, pos.avg_cost)))
