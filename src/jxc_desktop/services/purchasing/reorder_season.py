"""The seasonal reorder rule (按季节补货): each product's forecast (domain/forecast.py) over its
supplier's lead time + the cover days, a safety stock from the spread of its weekly sales at the
shop's service level, in packs within min/max (domain/reorder_rule.py).

Candidates are the active products that sold in the last 60 weeks or sit below their minimum. The
lead time is the last supplier's ``lead_time_days``, else the setting ``reorder_lead_days``; the
service level is the setting ``reorder_service_level`` (95 % → z = 1.64). SQL text over
:class:`~jxc_desktop.db.text_reads.Rows`, as reorder.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from jxc_desktop.db.text_reads import Rows, Where
from jxc_desktop.domain import forecast
from jxc_desktop.domain.reorder_rule import seasonal_qty, z_for
from jxc_desktop.services.purchasing import demand
from jxc_desktop.services.purchasing.dto import ReorderLine

SEASON = "season"
LEAD_TIMES = "SELECT supplier.id, supplier.lead_time_days FROM supplier"
ACTIVE_PRODUCTS = ("SELECT product.id, product.code, product.name, product.unit, product.stock_qty, product.min_stock,"
                   " product.max_stock, product.last_supplier_id, product.last_cost, product.ref_cost FROM product")


def lead_times(rows: Rows) -> dict[int, int]:
    return {sid: d for sid, d in rows.all(LEAD_TIMES) if d}


def season_lines(rows: Rows, today: date, cover_days: int, packs_of: Callable[[list[int]], dict[int, int]],
                 setting: Callable[[str], int], supplier_id: int | None = None
                 ) -> Iterator[tuple[int | None, ReorderLine]]:
    """(supplier id, line) of every product the seasonal rule orders; ``packs_of(ids)`` gives packs,
    ``setting(key)`` a whole-number setting as shop's get_int gives it."""
    default_lead = setting("reorder_lead_days")
    z = z_for(setting("reorder_service_level"))
    leads = lead_times(rows)
    dem = demand.load(rows, today)
    where = Where(active=True)
    where.add("product.active = :active")
    if supplier_id is not None:
        where.add("product.last_supplier_id = :supplier", supplier=supplier_id)
    candidates = [r for r in rows.all(ACTIVE_PRODUCTS + where.sql(), **where.binds)
                  if r[0] in dem.blocks or (r[5] > 0 and r[4] < r[5])]
    return season_lines_of(candidates, leads, default_lead, z, cover_days, dem, packs_of)


def season_lines_of(candidates: Sequence[Sequence[Any]], leads: Mapping[int, int], default_lead: int, z: float,
                    cover_days: int, dem: demand.Demand, packs_of: Callable[[list[int]], dict[int, int]]
                    ) -> Iterator[tuple[int | None, ReorderLine]]:
    """(supplier id, line) of each candidate (id, code, name, unit, stock, min, max, supplier, last
    cost, reference cost) the seasonal rule orders, from its demand history: planned one unit at a
    time, then again in whole packs."""
    found: list[tuple[int | None, ReorderLine]] = []
    for pid, code, name, unit, stock, mn, mx, sup, last_cost, ref_cost in candidates:
        lead = leads.get(sup, default_lead) if sup is not None else default_lead
        days = lead + cover_days
        recent = dem.blocks.get(pid)
        if recent and any(recent[:forecast.SPREAD_WEEKS]):  # nothing in 8 weeks: no level, no spread
            f = dem.forecast(pid, min(forecast.MAX_WEEKS_AHEAD, math.ceil(days / 7)))
            need = forecast.to_milli(forecast.demand_over(f.daily, days))
            safety = forecast.to_milli(forecast.safety_stock(f.spread, z, days))
            source, index = f.source, forecast.to_milli(f.season_ratio(days))
            sold = forecast.to_milli(sum(dem.blocks[pid][:4]))
        else:  # exactly what the forecast would say: 0 a week, 0 spread
            need, safety, source, index, sold = 0, 0, "none", 1000, 0
        r = seasonal_qty(stock=stock, min_stock=mn, max_stock=mx, demand=need, safety=safety, pack=1)
        if r.qty <= 0:
            continue
        found.append((sup, ReorderLine(pid, code, name, unit, stock, mn, mx, sold, 1, r.qty, last_cost or ref_cost,
                                       mn > 0 and stock < mn, SEASON, need, lead, cover_days, safety, index,
                                       source)))
    packs = packs_of([ln.product_id for _sup, ln in found])
    for sup, ln in found:
        pack = packs.get(ln.product_id, 1)
        if pack > 1:  # again in whole packs, within the maximum
            r = seasonal_qty(stock=ln.stock_qty, min_stock=ln.min_stock, max_stock=ln.max_stock,
                             demand=ln.forecast_qty, safety=ln.safety_qty, pack=pack)
            ln = replace(ln, pack=pack, suggested_qty=r.qty)
        yield sup, ln
