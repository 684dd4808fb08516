"""Moving weighted average cost (移动加权平均), carried as (quantity, value).

Pure arithmetic on a product's position; the ledger service applies the result together with
the stock_move row. Quantities are thousandths of a unit, values and unit costs are fen.
"""

from __future__ import annotations

from collections.abc import Hashable
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


def receive(pos: Position, qty: int, value: int, filled_old: int | None = None) -> Change:
    """Goods in: adds qty and its cost. A receipt into negative stock fills the hole: the units it
    fills cost this receipt's unit cost instead of what they were issued at, and the gap is a
    correction (``revaluation``). Lifting the stock to zero or above re-bases the value to
    ``new qty × this receipt's unit cost``; a partial refill leaves the still-missing units at
    their old cost — ``filled_old`` is the old cost of the units filled (from the hole's lines;
    the hole's average when not given)."""
    if qty <= 0:
        raise ValueError("receive needs a positive quantity")
    new_qty = pos.qty + qty
    new_value = pos.value + value
    reval = 0
    if pos.qty < 0 <= new_qty:
        target = div_round(value * new_qty, qty)
        reval = target - new_value
        new_value = target
    elif new_qty < 0:
        old = div_round(-pos.value * qty, -pos.qty) if filled_old is None else filled_old
        reval = old - value
        new_value += reval
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


@dataclass
class HoleEntry:
    """Units an issuing line took below zero and no receipt has filled yet (oldest first)."""

    ref: Hashable  # the caller's handle of the issuing line
    qty: int
    value: int  # the old cost of these units (positive fen)


@dataclass(frozen=True)
class Filled:
    ref: Hashable
    qty: int
    old: int  # the old cost of the filled units


class Hole:
    """The issuing lines that hold a product's stock below zero, first in first filled: a receipt
    into negative stock fills the oldest units first (the ledger rebuilds this from its moves)."""

    def __init__(self) -> None:
        self.entries: list[HoleEntry] = []

    @property
    def qty(self) -> int:
        return sum(e.qty for e in self.entries)

    def issue(self, ref: Hashable, qty_before: int, qty_after: int, out: int, value_after: int) -> None:
        """An issue of ``out`` fen taking the balance from ``qty_before`` to ``qty_after``: the
        part below zero joins the hole (the part taken from stock on hand is no hole)."""
        into = max(0, -qty_after) - max(0, -qty_before)
        if into <= 0:
            return
        self.entries.append(HoleEntry(ref, into, out if qty_before <= 0 else -value_after))

    def take(self, qty: int) -> list[Filled]:
        """A receipt of ``qty`` fills the oldest units first; returns what it filled."""
        filled: list[Filled] = []
        while qty > 0 and self.entries:
            e = self.entries[0]
            f = min(qty, e.qty)
            old = e.value if f == e.qty else div_round(e.value * f, e.qty)
            filled.append(Filled(e.ref, f, old))
            e.qty -= f
            e.value -= old
            qty -= f
            if e.qty == 0:
                self.entries.pop(0)
        return filled


def corrections(filled: list[Filled], qty: int, value: int, total: int) -> list[tuple[Hashable, int]]:
    """Each filled line's correction (the change to the shelf value; negative = extra cost):
    −(filled qty × the receipt's unit cost − their old cost), the receipt's cost shared by running
    totals, any rounding left over (the re-base's own rounding) on the newest line, so they add
    up to ``total`` exactly. One correction per line (a line issued from several batches is one
    line); lines whose correction is 0 are left out."""
    per_line: dict[Hashable, int] = {}
    cum = shared = 0
    for f in filled:
        cum += f.qty
        new = div_round(value * cum, qty) - shared
        shared += new
        per_line[f.ref] = per_line.get(f.ref, 0) + f.old - new
    if filled:
        per_line[filled[-1].ref] += total - sum(per_line.values())
    return [(r, c) for r, c in per_line.items() if c]
