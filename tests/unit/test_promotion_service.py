"""PromotionService: add/edit/end with validation (clear message, nothing written), the audit trail,
the rules the till gets, the preview, and the all-or-nothing file import."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.promotion_rules import Kind
from jxc_desktop.services.promotions.dto import (
    ACTIVE,
    ENDED,
    SCHEDULED,
    CartItem,
    PreviewLine,
    PromotionInput,
)
from jxc_desktop.services.promotions.records import to_rule

START = datetime(2026, 12, 1, 8, 0)
END = datetime(2026, 12, 31, 22, 0)
AT = datetime(2026, 12, 4, 10, 0)


@pytest.fixture
def shop(services, make_product):
    cola = make_product("可乐", price=300, category="饮料")
    tea = make_product("绿茶", price=400, category="饮料")
    apple = make_product("苹果", price=1000, category="水果")
    return services, cola, tea, apple


def _counts(db_path: Path) -> tuple[int, int, int, int]:
    con = sqlite3.connect(db_path)
    try:
        return tuple(con.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("promotion", "promotion_product", "promotion_category", "audit_log"))
    finally:
        con.close()


def test_add_each_kind_edit_end_and_audit(shop, db_path) -> None:
    services, cola, tea, apple = shop
    svc = services.promotions
    sp = svc.add(PromotionInput("可乐特价", Kind.SPECIAL_PRICE, START, END, products=((cola.id, 250),)))
    assert [(p.id, p.price) for p in sp.products] == [(cola.id, 250)]
    buy = svc.add(PromotionInput("饮料买2付1", Kind.BUY_N_PAY_M, START, END, category_ids=(cola.category_id,),
                                 n=2, m=1, member_only=True))
    half = svc.add(PromotionInput("苹果第二件半价", Kind.NTH_AT_PERCENT, START, None, products=((apple.id, 999),),
                                  n=2, pay_pct=50, weekdays="65", daily_from="9:00", daily_to="21:00"))
    assert half.m == 1 and half.products[0].price is None and half.weekdays == "56" and half.daily_from == "09:00"
    thr = svc.add(PromotionInput("满100减10", Kind.THRESHOLD, START, END, threshold=10000, reduction=1000,
                                 repeat=True))
    assert [p.name for p in svc.list()] == ["满100减10", "苹果第二件半价", "饮料买2付1", "可乐特价"]
    assert thr.status(AT) == ACTIVE and thr.status(END) == ENDED and thr.status(START.replace(day=1, hour=7)) == SCHEDULED

    edited = svc.edit(buy.id, PromotionInput("饮料买3付2", Kind.BUY_N_PAY_M, START, END,
                                             products=((tea.id, None),), n=3, m=2))
    assert (edited.name, edited.n, [p.id for p in edited.products], edited.categories) == (
        "饮料买3付2", 3, [tea.id], ())
    ended = svc.end(sp.id, at=AT)
    assert ended.ends == AT and ended.status(AT) == ENDED
    with pytest.raises(ValidationError, match="already ended"):
        svc.end(sp.id, at=AT)
    with pytest.raises(NotFoundError):
        svc.end(9999)

    actions = [(e.action, e.document) for e in reversed(services.audit.query(text="promotion"))]
    assert actions == [("promotion_add", f"promotion {sp.id}"), ("promotion_add", f"promotion {buy.id}"),
                       ("promotion_add", f"promotion {half.id}"), ("promotion_add", f"promotion {thr.id}"),
                       ("promotion_edit", f"promotion {buy.id}"), ("promotion_end", f"promotion {sp.id}")]
    entry = services.audit.query(action="promotion_edit")[0]
    assert "饮料买2付1" in entry.before and "饮料买3付2" in entry.after

    running = {r.name for r in svc.rules_at(AT)}
    assert running == {"饮料买3付2", "苹果第二件半价", "满100减10"}  # the special price ended at AT


BAD = [
    ("end before start", dict(kind=Kind.SPECIAL_PRICE, ends=START, products=(("cola", 250),)), "ends before it starts"),
    ("unknown product", dict(kind=Kind.SPECIAL_PRICE, products=((987654, 250),)), "Product 987654 does not exist"),
    ("unknown category", dict(kind=Kind.BUY_N_PAY_M, category_ids=(987654,), n=2, m=1),
     "Category 987654 does not exist"),
    ("reduction = threshold", dict(kind=Kind.THRESHOLD, threshold=10000, reduction=10000), "less than the threshold"),
    ("reduction > threshold", dict(kind=Kind.THRESHOLD, threshold=10000, reduction=12000), "less than the threshold"),
    ("N = M", dict(kind=Kind.BUY_N_PAY_M, products=(("cola", None),), n=2, m=2), "less than N"),
    ("N < M", dict(kind=Kind.BUY_N_PAY_M, products=(("cola", None),), n=2, m=3), "less than N"),
    ("percent 101", dict(kind=Kind.NTH_AT_PERCENT, products=(("cola", None),), n=2, pay_pct=101), "0 to 100"),
    ("percent -1", dict(kind=Kind.NTH_AT_PERCENT, products=(("cola", None),), n=2, pay_pct=-1), "0 to 100"),
    ("special without price", dict(kind=Kind.SPECIAL_PRICE, products=(("cola", None),)), "special price"),
    ("no scope", dict(kind=Kind.BUY_N_PAY_M, n=2, m=1), "products or categories"),
    ("bad hour", dict(kind=Kind.THRESHOLD, threshold=100, reduction=10, daily_from="25:00"), "time of day"),
    ("hours backwards", dict(kind=Kind.THRESHOLD, threshold=100, reduction=10, daily_from="20:00",
                             daily_to="08:00"), "daily hours"),
    ("no name", dict(name=" ", kind=Kind.THRESHOLD, threshold=100, reduction=10), "required"),
]


@pytest.mark.parametrize(("case", "fields", "message"), BAD, ids=[b[0] for b in BAD])
def test_bad_input_writes_nothing(shop, db_path, case, fields, message) -> None:
    services, cola, _tea, _apple = shop
    fields = dict(fields)
    if "products" in fields:
        fields["products"] = tuple((cola.id if pid == "cola" else pid, price) for pid, price in fields["products"])
    good = services.promotions.add(PromotionInput("好的", Kind.THRESHOLD, START, END, threshold=5000, reduction=500))
    before = _counts(db_path)
    data = PromotionInput(**{"name": "坏的", "starts": START, "ends": END, **fields})
    with pytest.raises(ValidationError, match=message):
        services.promotions.add(data)
    with pytest.raises(ValidationError, match=message):
        services.promotions.edit(good.id, data)
    assert _counts(db_path) == before
    assert services.promotions.get(good.id) == good


def test_preview_uses_the_catalogue_and_a_draft(shop) -> None:
    services, cola, tea, apple = shop
    svc = services.promotions
    svc.add(PromotionInput("可乐特价", Kind.SPECIAL_PRICE, START, END, products=((cola.id, 250),)))
    svc.add(PromotionInput("满10减1", Kind.THRESHOLD, START, END, threshold=1000, reduction=100, stackable=True))
    cart = [PreviewLine(cola.id, 2000), PreviewLine(apple.id, 1500)]
    result = svc.preview(cart, at=AT)
    # 2 × 3.00 + 1.5 × 10.00 = 21.00; cola at 2.50 → 1.00 off; 满10减1 (stackable) on 20.00 → 1.00
    assert (result.subtotal, result.discount, result.total) == (2100, 200, 1900)
    assert [(a.name, a.amount) for a in result.applied] == [("可乐特价", 100), ("满10减1", 100)]
    assert svc.preview(cart, at=datetime(2027, 1, 1)).discount == 0
    draft = replace(to_rule(svc.list()[0]), reduction=300)  # the threshold, edited in the form, not saved
    assert svc.preview(cart, at=AT, extra=[draft]).total == 2100 - 100 - 300


def test_price_cart_is_what_the_till_calls(shop) -> None:
    services, cola, tea, apple = shop
    svc = services.promotions
    svc.add(PromotionInput("饮料第二件半价", Kind.NTH_AT_PERCENT, START, END, category_ids=(cola.category_id,),
                           n=2, pay_pct=50, member_only=True))
    svc.add(PromotionInput("苹果特价", Kind.SPECIAL_PRICE, START, END, products=((apple.id, 800),)))
    items = [CartItem(cola.id, 1000, 300), CartItem(tea.id, 1000, 400), CartItem(apple.id, 1500, 1000),
             CartItem(apple.id, 1000, 900, manual=True)]
    guest = svc.price_cart(items, member=False, at=AT)
    assert guest.line_discounts == (0, 0, 300, 0)  # 1.5 kg × (10.00 − 8.00); the manual line keeps its price
    member = svc.price_cart(items, member=True, at=AT)
    assert member.line_discounts == (150, 0, 300, 0)  # the cheaper drink at half price
    assert [a.name for a in member.applied] == ["饮料第二件半价", "苹果特价"]
    assert member.total == 300 + 400 + 1500 + 900 - 450
    with pytest.raises(NotFoundError):
        svc.price_cart([CartItem(987654, 1000, 100)], at=AT)
