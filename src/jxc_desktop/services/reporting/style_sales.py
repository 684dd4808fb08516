"""Sell-through (售罄率) by style, colour, size or cell over a period, and broken sizes (断码) today,
as reports of the catalogue (the reports tab and ``jxc report sell-through|broken-sizes``).

The figures come from the catalogue's own reading of styles (``catalog.api``: SQL text over
``Rows``, style_figures.py, which the reports service runs on its session and ``jxc report
sell-through|broken-sizes`` on sqlite3 alone, issue 15): sold is the net quantity sold in the
period, on hand the stock at its end, sell-through = sold ÷ (sold + on hand).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.variants import sell_through_bp
from jxc_desktop.services.catalog import api as catalog

LEVELS = ("style", "colour", "size", "cell")


@dataclass(frozen=True)
class SellThroughLine:
    key: str  # the style code
    label: str  # the style name
    colour: str
    size: str
    qty: int  # sold, thousandths
    amount: int  # net sales, fen
    on_hand: int
    rate_bp: int | None


@dataclass(frozen=True)
class SellThroughReport:
    period: Period
    by: str
    rows: tuple[SellThroughLine, ...]
    total: SellThroughLine


@dataclass(frozen=True)
class BrokenLine:
    key: str
    label: str
    season: str
    colour: str
    missing: str  # the sizes sold out, space-separated
    remaining: str
    on_hand: int


@dataclass(frozen=True)
class BrokenSizesReport:
    today: date
    rows: tuple[BrokenLine, ...]
    total: BrokenLine


def sell_through_report(rows: Rows, period: Period, by: str) -> SellThroughReport:
    if by not in LEVELS:
        raise ValidationError("Group by one of {levels}", levels=", ".join(LEVELS))
    lines = tuple(SellThroughLine(r.style_code, r.style_name, r.colour, r.size, r.sold, r.amount, r.on_hand,
                                  r.rate_bp)
                  for r in catalog.sell_through_in(rows, period.first, period.last, level=by))
    qty, amount, on_hand = (sum(r.qty for r in lines), sum(r.amount for r in lines), sum(r.on_hand for r in lines))
    total = SellThroughLine("", "", "", "", qty, amount, on_hand, sell_through_bp(qty, on_hand))
    return SellThroughReport(period, by, lines, total)


def broken_sizes_report(rows: Rows, today: date) -> BrokenSizesReport:
    lines = tuple(BrokenLine(r.style_code, r.style_name, r.season, r.colour, " ".join(r.missing),
                             " ".join(r.remaining), r.on_hand) for r in catalog.broken_sizes_in(rows))
    return BrokenSizesReport(today, lines, BrokenLine("", "", "", "", "", "", sum(r.on_hand for r in lines)))
