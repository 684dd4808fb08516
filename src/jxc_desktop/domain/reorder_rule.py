"""The seasonal reorder rule (按季节补货): how much to order from a forecast, pure arithmetic.

Order up to the forecast demand over lead time + cover days plus a safety stock, kept within the
product's minimum and maximum, in whole packs. The flat 28-day rule stays in
services/purchasing/reorder.py; this one takes the forecast's daily figures (thousandths) instead.

- **target** = forecast over (lead + cover) days + safety, at least the minimum, at most the maximum;
- **suggest** when the stock is below that target (it would not last until the next order arrives
  and covers its days) or below the minimum;
- **quantity** = target − stock rounded up to whole packs, but down again by one pack when that
  would pass the maximum (a shelf holds what it holds) as long as something is still ordered.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

from jxc_desktop.domain.quantity import MILLI

MIN_SERVICE = 0.5
MAX_SERVICE = 0.999


def z_for(service_level_pct: int) -> float:
    """The normal quantile for a service level in percent, to 2 decimals (95 → 1.64, 98 → 2.05)."""
    p = min(MAX_SERVICE, max(MIN_SERVICE, service_level_pct / 100.0))
    return round(NormalDist().inv_cdf(p), 2)


@dataclass(frozen=True)
class SeasonalQty:
    qty: int  # thousandths, whole packs; 0: nothing to order
    demand: int  # forecast over lead + cover days, thousandths
    safety: int  # thousandths
    target: int  # what the stock is filled up to, thousandths (after min/max)


def seasonal_qty(*, stock: int, min_stock: int, max_stock: int, demand: int, safety: int, pack: int) -> SeasonalQty:
    """The seasonal suggestion (see the module doc); all quantities in thousandths."""
    target = demand + safety
    if min_stock > 0:
        target = max(target, min_stock)
    if max_stock > 0:
        target = min(target, max_stock)
    below_min = min_stock > 0 and stock < min_stock
    if not (below_min or stock < target) or target <= stock:
        return SeasonalQty(0, demand, safety, target)
    step = max(1, pack) * MILLI
    qty = -(-(target - stock) // step) * step
    if max_stock > 0 and stock + qty > max_stock and qty > step:
        qty -= step
    return SeasonalQty(qty, demand, safety, target)
