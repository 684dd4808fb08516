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
from jxc_desktop.services.catalog.style_figures import broken_sizes_in, grid_of, sell_through_in, sold
from jxc_desktop.services.catalog.styles import style_by_code, style_dto


@dataclass(frozen=True)
class StyleGridService:
    db: Database

    def stock_grid(self, code: str) -> StyleGridDTO:
        """A style's stock on hand now, colour × size (inactive cells marked)."""
        with self.db.read() as uow:
            dto = style_dto(uow.session, style_by_code(uow.session, code))
        return grid_of(dto, {v.product_id: v.stock_qty for v in dto.variants})

    def sales_grid(self, code: str, first: date, last: date) -> StyleGridDTO:
        """A style's net quantity sold over the period, colour × size."""
        with self.db.read() as uow:
            style = style_by_code(uow.session, code)
            dto = style_dto(uow.session, style)
            got = sold(SessionRows(uow.session), first, last, style.id)
        return grid_of(dto, {pid: qty for pid, (qty, _amount) in got.items()}, "Sold")

    def sell_through(self, first: date, last: date, *, level: str = "style",
                     style_code: str | None = None) -> list[SellThroughRow]:
        with self.db.read() as uow:
            return sell_through_in(SessionRows(uow.session), first, last, level=level, style_code=style_code)

    def broken_sizes(self, style_code: str | None = None) -> list[BrokenSizeRow]:
        with self.db.read() as uow:
            return broken_sizes_in(SessionRows(uow.session), style_code)
