"""One product's sales forecast with the history behind it (预测): the forecast screen and
``jxc report forecast CODE``. The arithmetic is domain/forecast.py; the history comes from demand.py.

SQL text over :class:`~jxc_desktop.db.text_reads.Rows` (no SQLAlchemy): the service runs it on its
session, ``jxc report forecast`` on sqlite3 alone (issue 15).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from jxc_desktop.db.dialect_text import month_of
from jxc_desktop.db.text_reads import Rows, SessionRows
from jxc_desktop.domain import forecast
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.purchasing import demand
from jxc_desktop.services.purchasing.dto import ForecastWeek, ProductForecast

if TYPE_CHECKING:
    from jxc_desktop.db.uow import Database

DEFAULT_WEEKS = 8
RECENT_WEEKS = 12  # the weeks before today the screen shows next to last year's


def _milli(units: float) -> int:
    return forecast.to_milli(units)


def _permille(x: float) -> int:
    return forecast.to_milli(x)  # the same rounding: 1.2345 → 1235


def _month_start(d: date, back: int) -> date:
    m = d.year * 12 + d.month - 1 - back
    return date(m // 12, m % 12 + 1, 1)


PRODUCT_BY_CODE = "SELECT product.id, product.code, product.name, product.unit FROM product WHERE product.code = :code"


def product_forecast(rows: Rows, code: str, *, today: date, weeks: int = DEFAULT_WEEKS) -> ProductForecast:
    """The forecast of the product with this code for ``weeks`` weeks from ``today``."""
    if not 1 <= weeks <= forecast.MAX_WEEKS_AHEAD:
        raise ValidationError("Forecast weeks must be 1 to {limit}", limit=forecast.MAX_WEEKS_AHEAD)
    found = rows.all(PRODUCT_BY_CODE, code=code.strip())
    if not found:
        raise NotFoundError("Product {code} does not exist", code=code.strip()[:40])
    row = found[0]
    pid = row[0]
    dem = demand.load(rows, today, [pid], weeks=forecast.YEAR_WEEKS + RECENT_WEEKS)
    return forecast_of(row, today, weeks, dem, _months(rows, pid, today))


def forecast_of(row: Sequence[Any], today: date, weeks: int, dem: demand.Demand,
                months: tuple[tuple[str, int], ...]) -> ProductForecast:
    """The forecast of the product (id, code, name, unit) from its demand history and months."""
    pid = row[0]
    f = dem.forecast(pid, weeks)
    blocks = (dem.blocks.get(pid) or [0.0] * dem.history) + [0.0] * (forecast.YEAR_WEEKS + RECENT_WEEKS)
    ahead = tuple(ForecastWeek(today + timedelta(days=7 * w), _milli(q),
                               _milli(blocks[forecast.YEAR_WEEKS - 1 - w]), _permille(f.season[w]))
                  for w, q in enumerate(f.weeks))
    recent = tuple(ForecastWeek(today - timedelta(days=7 * (i + 1)), _milli(blocks[i]),
                                _milli(blocks[i + forecast.YEAR_WEEKS]), 0)
                   for i in reversed(range(RECENT_WEEKS)))
    return ProductForecast(pid, row[1], row[2], row[3], today, ahead, tuple(_milli(d) for d in f.daily),
                           _milli(f.level), _permille(f.trend), tuple(_permille(x) for x in f.weekday),
                           _milli(f.spread), f.source, months, recent)


def _months(rows: Rows, pid: int, today: date) -> tuple[tuple[str, int], ...]:
    """Net sales of each of the 12 months up to today's (this month so far)."""
    first = _month_start(today, 11)
    month = month_of("sale_line.business_day", rows.dialect)
    got = dict(rows.all(f"SELECT {month}, {demand.NET_QTY} FROM sale_line"
                        f" WHERE sale_line.product_id = :pid AND {demand.POSTED_BETWEEN} GROUP BY {month}",
                        pid=pid, **demand.between_binds(first, today, rows.dialect)))
    keys = [_month_start(today, back).strftime("%Y-%m") for back in reversed(range(12))]
    return tuple((k, int(got.get(k) or 0)) for k in keys)


@dataclass(frozen=True)
class ForecastService:
    db: Database

    def product(self, code: str, *, today: date | None = None, weeks: int = DEFAULT_WEEKS) -> ProductForecast:
        """The forecast of the product with this code for ``weeks`` weeks from ``today``."""
        if not 1 <= weeks <= forecast.MAX_WEEKS_AHEAD:  # before the file is opened, as always
            raise ValidationError("Forecast weeks must be 1 to {limit}", limit=forecast.MAX_WEEKS_AHEAD)
        today = today or local_today()
        with self.db.read() as uow:
            return product_forecast(SessionRows(uow.session), code, today=today, weeks=weeks)
