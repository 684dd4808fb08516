"""A small shop's first week, posted through the real services, for the report tests.

Every figure the tests assert is worked out by hand in test_reports_profit.py from these steps:

  Oct 1 09:00  P0 甲 : 饼干 C 5 @2.00 batch B1 (exp 10-10) + 5 @2.20 batch B2 (exp 2027-06-01) = 2100
  Oct 1 10:00  P1 甲 : 苹果 A 10 @3.00 = 3000, 牛奶 B 5 @5.00 = 2500                     = 5500
  Oct 2 10:00  P2 乙 : A 10 @3.60 = 3600                         A (20, 6600)
  Oct 2 11:00  X1    : A 4 @5.00, B 2 @8.00, whole-sale discount 1.00, cash 35.00
                       discount split A 56 / B 44 -> amounts A 1944, B 1556; cost A 1320, B 1000
  Oct 3 15:00  X2    : A 6 @5.00 = 3000, WeChat; cost 5280×6/16 = 1980       A (10, 3300)
  Oct 3 16:00  TH1   : 2 of X1's A back: amount 972, cost 660, cash refund   A (12, 3960)
  Oct 4 10:00  P3 甲 : A 10 @3.90 = 3900; 12:00 reversed (红冲)               A (12, 3960)
  Oct 5        count : A counted 11 (book 12) -> loss 330 at 18:00; B counted 3 (no difference)
  Oct 6 10:00  CT1 乙: 2 A back against P2 at the average: 3630×2/11 = 660    A (9, 2970)
  Oct 6 11:00  X3    : B 1 @8.00, Alipay; cost 1500/3 = 500                  B (2, 1000)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import (
    LineInput,
    NoteInput,
    ReturnInput,
    ReturnLineInput,
    SupplierInput,
)
from jxc_desktop.services.sales.dto import ReturnItem, Tender


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time in October 2026, as an aware datetime."""
    return datetime(2026, 10, day, hour, minute).astimezone()


@dataclass(frozen=True)
class Scenario:
    a: int
    b: int
    c: int
    s1: int
    s2: int


def build(services: Services, make_product) -> Scenario:  # type: ignore[no-untyped-def]
    a = make_product("苹果", 500, 300, 0, category="水果")
    b = make_product("牛奶", 800, 500, 0, category="饮料")
    c = make_product("饼干", 400, 200, 0, category="零食", tracks_batches=True, shelf_life_days=365)
    s1 = services.suppliers.add(SupplierInput(name="甲供应商")).id
    s2 = services.suppliers.add(SupplierInput(name="乙供应商")).id
    buy = services.purchasing
    buy.post(NoteInput(s1, (LineInput(c.id, 5000, 200, batch_no="B1", expiry_date=date(2026, 10, 10)),
                            LineInput(c.id, 5000, 220, batch_no="B2", expiry_date=date(2027, 6, 1)))),
             at=at(1, 9), confirmed=True)
    buy.post(NoteInput(s1, (LineInput(a.id, 10000, 300), LineInput(b.id, 5000, 500))), at=at(1, 10))
    p2 = buy.post(NoteInput(s2, (LineInput(a.id, 10000, 360),)), at=at(2, 10))
    co = services.checkout
    x1 = co.post_sale(Cart((co.line_for_product(a.id, 4000), co.line_for_product(b.id, 2000)), sale_discount=100),
                      [Tender("cash", 3500)], at=at(2, 11))
    co.post_sale(Cart((co.line_for_product(a.id, 6000),)), [Tender("wechat", 3000)], at=at(3, 15))
    a_line = next(ln for ln in x1.lines if ln.product_id == a.id)
    co.post_return(x1.number, [ReturnItem(a_line.id, 2000)], method="cash", at=at(3, 16))
    p3 = buy.post(NoteInput(s1, (LineInput(a.id, 10000, 390),)), at=at(4, 10))
    buy.reverse(p3.id, at=at(4, 12))
    count = services.stock_count.open(at=at(5, 9))
    services.stock_count.add(count.id, a.id, 11000, at=at(5, 10))
    services.stock_count.add(count.id, b.id, 3000, at=at(5, 10))
    services.stock_count.post(count.id, at=at(5, 18))
    buy.post_return(ReturnInput(s2, (ReturnLineInput(a.id, 2000, origin_line_id=p2.lines[0].id),),
                                origin_id=p2.id), at=at(6, 10))
    co.post_sale(Cart((co.line_for_product(b.id, 1000),)), [Tender("alipay", 800)], at=at(6, 11))
    return Scenario(a.id, b.id, c.id, s1, s2)
