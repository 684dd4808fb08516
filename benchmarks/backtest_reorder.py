"""Backtest of the reorder rules (issue 20): replay a shop's sales history, order every week with
the flat 28-day rule and with the seasonal rule, and compare lost sales, stock value and turnover.

    PYTHONPATH=src .venv/bin/python benchmarks/backtest_reorder.py --db DEMO.sqlite3 [--json]

made with ``jxc --db DEMO.sqlite3 demo --days 730``. The file is only read.

What it does, for each rule alike:

- the demand of each product on each day is what the history sold that day (net of returns);
- the replay starts when 56 weeks of history lie behind it (the seasonal rule's own season index
  needs them) and runs to the end of the history; every product starts with the stock the flat rule
  would fill it to (its minimum, else 14 days of its 28-day average), so both rules start equal;
- every 7 days the rule looks at the history before that day only (the same functions the shop
  runs: reorder.suggested_qty and domain/forecast + domain/reorder_rule) with the stock on hand plus
  what is on order; the order arrives ``--lead`` days later, in the morning;
- each day, demand beyond the stock is lost: a product-day with a lost sale is a stock-out day;
- stock value is stock × the product's reference cost, averaged over the days; turnover is the cost
  of what was sold over the average stock value, per year.

It also prints, for the drinks category (饮料), the units each rule ordered in May–June (before
summer) and September–October (after it); what both rules suggest on the same days at the same stock
(the stock of the replay then running); and how far each rule's view of the next 7 days was from
what sold (the flat rule's: 7 × the 28-day average; the seasonal one's: its forecast).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import create_engine, func, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from jxc_desktop.db.models import Barcode, Category, Product, SaleLine  # noqa: E402
from jxc_desktop.domain import forecast  # noqa: E402
from jxc_desktop.domain.quantity import MILLI  # noqa: E402
from jxc_desktop.domain.reorder_rule import seasonal_qty, z_for  # noqa: E402
from jxc_desktop.services.purchasing.dto import WINDOW_DAYS  # noqa: E402
from jxc_desktop.services.purchasing.reorder import suggested_qty  # noqa: E402

DRINKS = "饮料"


@dataclass
class Item:
    pid: int
    category: int | None
    category_name: str
    cost: int  # fen per unit
    min_stock: int
    max_stock: int
    pack: int
    demand: list[int] = field(default_factory=list)  # thousandths per day, day 0 = the first day


@dataclass
class Outcome:
    lost_days: int = 0
    drinks_summer_lost_days: int = 0  # drinks' stock-out days in June–August
    lost_qty: int = 0  # thousandths
    sold_cost: int = 0  # fen
    stock_value_days: int = 0  # Σ over days of the stock value, fen
    ordered: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # drinks, by season
    # both rules asked at the same stock (the acting rule's) on the same days: drinks, by season
    paired: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    error: list[float] = field(default_factory=lambda: [0.0, 0.0, 0.0])  # |flat − actual|, |season − actual|, actual


def _load(path: Path) -> tuple[date, int, list[Item]]:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    with Session(engine) as s:
        first, last = s.execute(select(func.min(SaleLine.business_day), func.max(SaleLine.business_day))).one()
        days = (last - first).days + 1
        packs = dict(s.execute(select(Barcode.product_id, func.max(Barcode.multiplier))
                               .where(Barcode.multiplier > 1).group_by(Barcode.product_id)).all())
        cats = dict(s.execute(select(Category.id, Category.name)).all())
        items = {pid: Item(pid, cat, cats.get(cat, ""), cost, mn, mx, packs.get(pid, 1), [0] * days)
                 for pid, cat, cost, mn, mx in s.execute(select(Product.id, Product.category_id, Product.ref_cost,
                                                                Product.min_stock, Product.max_stock))}
        net = func.sum(func.iif(SaleLine.kind == "return", -SaleLine.qty, SaleLine.qty))
        for pid, day, q in s.execute(select(SaleLine.product_id, SaleLine.business_day, net)
                                     .where(SaleLine.status == "posted")
                                     .group_by(SaleLine.product_id, SaleLine.business_day)):
            items[pid].demand[(day - first).days] = max(0, int(q))
    engine.dispose()
    return first, days, [it for it in items.values() if any(it.demand)]


def _blocks(daily: list[int], t: int, n: int) -> list[float]:
    """Weekly sums (units) of the n weeks before day t, block 0 first."""
    return [sum(daily[t - 7 * (i + 1):t - 7 * i]) / MILLI for i in range(n)]


def _flat(it: Item, t: int, position: int, cover: int) -> int:
    sold = sum(it.demand[max(0, t - WINDOW_DAYS):t])
    return suggested_qty(position, it.min_stock, it.max_stock, sold, cover, it.pack)


def _season(it: Item, t: int, position: int, cover: int, lead: int, z: float, weeks_known: int,
            cat_daily: dict[int | str | None, list[int]], start: date) -> tuple[int, float]:
    """The seasonal rule's quantity, and its forecast of the next 7 days (units)."""
    n = min(forecast.TREND_HISTORY, t // 7)
    cat = cat_daily[it.category]
    shop = cat_daily["shop"]  # the weekday shape is the whole shop's (services/purchasing/demand.py)
    wd = [0.0] * 7
    for d in range(max(0, t - 7 * forecast.WEEKDAY_WEEKS), t):
        wd[(start + timedelta(days=d)).weekday()] += shop[d] / MILLI
    days = lead + cover
    f = forecast.forecast(_blocks(it.demand, t, n), weeks=math.ceil(days / 7),
                          first_weekday=(start + timedelta(days=t)).weekday(), own_weeks_known=weeks_known,
                          category_blocks=_blocks(cat, t, n), weekday_totals=wd)
    need = forecast.to_milli(forecast.demand_over(f.daily, days))
    safety = forecast.to_milli(forecast.safety_stock(f.spread, z, days))
    return (seasonal_qty(stock=position, min_stock=it.min_stock, max_stock=it.max_stock, demand=need,
                         safety=safety, pack=it.pack).qty, forecast.demand_over(f.daily, 7))


def replay(first: date, days: int, items: list[Item], rule: str, *, lead: int, cover: int,
           service: int) -> tuple[Outcome, int]:
    start = forecast.SEASON_HISTORY * 7
    cat_daily: dict[int | str | None, list[int]] = defaultdict(lambda: [0] * days)
    for it in items:
        c, shop = cat_daily[it.category], cat_daily["shop"]
        for d, q in enumerate(it.demand):
            c[d] += q
            shop[d] += q
    z = z_for(service)
    out = Outcome()
    for it in items:
        avg = sum(it.demand[start - WINDOW_DAYS:start]) // WINDOW_DAYS
        stock = max(it.min_stock, 14 * avg)
        arriving: dict[int, int] = {}
        for t in range(start, days):
            stock += arriving.pop(t, 0)
            if (t - start) % 7 == 0:
                position = stock + sum(arriving.values())
                flat_qty = _flat(it, t, position, cover)
                season_qty, next_week = _season(it, t, position, cover, lead, z, t // 7, cat_daily, first)
                qty = flat_qty if rule == "flat" else season_qty
                if t + 7 <= days:  # how well each rule saw the next 7 days coming
                    actual = sum(it.demand[t:t + 7]) / MILLI
                    flat_week = sum(it.demand[t - WINDOW_DAYS:t]) / MILLI / WINDOW_DAYS * 7
                    out.error[0] += abs(flat_week - actual)
                    out.error[1] += abs(next_week - actual)
                    out.error[2] += actual
                month = (first + timedelta(days=t)).month
                when = ("before summer (May-June)" if month in (5, 6) else
                        "after summer (September-October)" if month in (9, 10) else "")
                if it.category_name == DRINKS and when:
                    out.paired[when][0] += flat_qty
                    out.paired[when][1] += season_qty
                if qty > 0:
                    arriving[t + lead] = arriving.get(t + lead, 0) + qty
                    if it.category_name == DRINKS and when:
                        out.ordered[when] += qty
            want = it.demand[t]
            sold = min(want, max(0, stock))
            if sold < want:
                out.lost_days += 1
                if it.category_name == DRINKS and (first + timedelta(days=t)).month in (6, 7, 8):
                    out.drinks_summer_lost_days += 1
                out.lost_qty += want - sold
            stock -= sold
            out.sold_cost += sold * it.cost // MILLI
            out.stock_value_days += max(0, stock) * it.cost // MILLI
    return out, days - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--lead", type=int, default=3, help="days from order to delivery (default 3)")
    ap.add_argument("--cover", type=int, default=7, help="cover days of both rules (default 7)")
    ap.add_argument("--service", type=int, default=95, help="service level %% of the seasonal rule (default 95)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    first, days, items = _load(args.db)
    if days < forecast.SEASON_HISTORY * 7 + 28:
        print(f"the history has {days} days: the backtest needs at least {forecast.SEASON_HISTORY * 7 + 28}",
              file=sys.stderr)
        return 2
    result = {}
    for rule in ("flat", "season"):
        out, n = replay(first, days, items, rule, lead=args.lead, cover=args.cover, service=args.service)
        avg_value = out.stock_value_days / n
        result[rule] = {
            "days": n, "products": len(items), "stock_out_days": out.lost_days,
            "drinks_stock_out_days_june_august": out.drinks_summer_lost_days,
            "lost_units": round(out.lost_qty / MILLI, 1),
            "average_stock_value_yuan": round(avg_value / 100, 2),
            "turnover_per_year": round(out.sold_cost / avg_value * 365 / n, 2) if avg_value else None,
            "drinks_ordered_units": {k: v // MILLI for k, v in sorted(out.ordered.items())},
            "forecast_error_pct": {"flat": round(100 * out.error[0] / out.error[2], 1),
                                   "season": round(100 * out.error[1] / out.error[2], 1)},
            "drinks_suggested_at_same_stock": {k: {"flat": f // MILLI, "season": q // MILLI}
                                               for k, (f, q) in sorted(out.paired.items())},
        }
    period = f"{first + timedelta(days=forecast.SEASON_HISTORY * 7)} .. {first + timedelta(days=days - 1)}"
    if args.json:
        print(json.dumps({"period": period, "lead": args.lead, "cover": args.cover, "service": args.service,
                          **result}, ensure_ascii=False, indent=1))
        return 0
    print(f"replay {period}: {len(items)} products, lead {args.lead} d, cover {args.cover} d, "
          f"service {args.service} %")
    print(f"{'':34}{'flat':>14}{'season':>14}")
    for key in ("stock_out_days", "lost_units", "average_stock_value_yuan", "turnover_per_year",
                "drinks_stock_out_days_june_august"):
        print(f"{key:34}{result['flat'][key]!s:>14}{result['season'][key]!s:>14}")
    for k in sorted(result["flat"]["drinks_ordered_units"].keys() | result["season"]["drinks_ordered_units"].keys()):
        print(f"drinks ordered, {k:32}{result['flat']['drinks_ordered_units'].get(k, 0)!s:>10}"
              f"{result['season']['drinks_ordered_units'].get(k, 0)!s:>14}")
    print("forecast error of the next 7 days (Σ|forecast − sold| / Σ sold, %): "
          f"flat {result['flat']['forecast_error_pct']['flat']}, season {result['flat']['forecast_error_pct']['season']}")
    for rule in ("flat", "season"):
        for k, v in result[rule]["drinks_suggested_at_same_stock"].items():
            print(f"drinks suggested {k} at the {rule} replay's stock: flat {v['flat']}, season {v['season']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
