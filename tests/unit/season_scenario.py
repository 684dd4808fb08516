"""Two years of a tiny shop for the season and ABC tests, posted through the real services.

Every figure the tests assert is worked out by hand in test_reports_season.py from these steps
(prices = costs + margin, bought once at cost, so every cost snapshot is the cost price):

  products  W1 羽绒服 (冬装)  price 100.00 cost 60.00
            D1 可乐   (饮料)  price   5.00 cost  3.00
            D2 矿泉水 (饮料)  price   2.00 cost  1.00
            S1 薯片   (零食)  price   3.00 cost  2.00
  2025-01-01 09:00  purchase: W1 20, D1 100, D2 100, S1 50
  2025-01-10  W1 ×2  = 200.00        2026-01-12  W1 ×3  = 300.00
  2025-07-05  D1 ×10 =  50.00        2026-02-03  S1 ×4  =  12.00
  2025-07-20  D2 ×5  =  10.00        2026-07-08  D1 ×20 = 100.00
  2025-12-15  W1 ×1  = 100.00        2026-07-09  return 2 D1 of that sale: −10.00 (cost 6.00)
                                     2026-08-01  D2 ×10 =  20.00
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.sales.dto import ReturnItem, Tender


def at(day: date, hour: int = 10) -> datetime:
    """A local wall-clock time on ``day`` (the test's own dates, never today's)."""
    return datetime(day.year, day.month, day.day, hour).astimezone()


@dataclass(frozen=True)
class Shop:
    w1: str  # product codes
    d1: str
    d2: str
    s1: str


def build(services: Services, make_product) -> Shop:  # type: ignore[no-untyped-def]
    w1 = make_product("羽绒服", 10000, 6000, 0, category="冬装")
    d1 = make_product("可乐", 500, 300, 0, category="饮料")
    d2 = make_product("矿泉水", 200, 100, 0, category="饮料")
    s1 = make_product("薯片", 300, 200, 0, category="零食")
    sup = services.suppliers.add(SupplierInput(name="甲供应商")).id
    services.purchasing.post(NoteInput(sup, (
        LineInput(w1.id, 20000, 6000), LineInput(d1.id, 100000, 300), LineInput(d2.id, 100000, 100),
        LineInput(s1.id, 50000, 200))), at=at(date(2025, 1, 1), 9))
    co = services.checkout

    def sell(pid: int, units: int, day: date):  # type: ignore[no-untyped-def]
        line = co.line_for_product(pid, units * 1000)
        return co.post_sale(Cart((line,)), [Tender("cash", line.unit_price * units)], at=at(day))

    sell(w1.id, 2, date(2025, 1, 10))
    sell(d1.id, 10, date(2025, 7, 5))
    sell(d2.id, 5, date(2025, 7, 20))
    sell(w1.id, 1, date(2025, 12, 15))
    sell(w1.id, 3, date(2026, 1, 12))
    sell(s1.id, 4, date(2026, 2, 3))
    cola = sell(d1.id, 20, date(2026, 7, 8))
    co.post_return(cola.number, [ReturnItem(cola.lines[0].id, 2000)], method="cash", at=at(date(2026, 7, 9)))
    sell(d2.id, 10, date(2026, 8, 1))
    return Shop(w1.code, d1.code, d2.code, s1.code)
