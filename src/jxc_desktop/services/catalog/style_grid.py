"""Figures of styles by colour and size for the styles window and ``jxc styles``: the stock grid,
sales and sell-through (售罄率) over a period, and broken sizes (断码).

The figures are read by style_figures.py, SQL text either driver runs, which the reports read
through ``catalog.api`` too (one reading of styles for the window, the reports and ``jxc``); this
service runs it on its sessions. See style_figures.py for what sold, on hand and sell-through mean.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.services.catalog.dto import BrokenSizeRow, SellThroughRow, StyleGridDTO
from jxc_desktop.services.catalog.style_figures import (
    broken_sizes_in,
    sales_grid_in,
    sell_through_in,
    stock_grid_in,
)


@dataclass(frozen=True)
class StyleGridService:
    db: Database

    def stock_grid(self, code: str) -> StyleGridDTO:
        """A style's stock on hand now, colour × size (inactive cells marked)."""
        with self.db.read() as uow:
            return stock_grid_in(SessionRows(uow.session), code)

    def sales_grid(self, code: str, first: date, last: date) -> StyleGridDTO:
        """A style's net quantity sold over the period, colour × size."""
        with self.db.read() as uow:
            return sales_grid_in(SessionRows(uow.session), code, first, last)

    def sell_through(self, first: date, last: date, *, level: str = "style",
                     style_code: str | None = None) -> list[SellThroughRow]:
        with self.db.read() as uow:
            return sell_through_in(SessionRows(uow.session), first, last, level=level, style_code=style_code)

    def broken_sizes(self, style_code: str | None = None) -> list[BrokenSizeRow]:
        with self.db.read() as uow:
            return broken_sizes_in(SessionRows(uow.session), style_code)
