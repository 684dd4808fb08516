"""Promotion rows ↔ values: the DTO the screens show and the domain rule the till applies."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Promotion, PromotionCategory, PromotionProduct
from jxc_desktop.domain import promotion_rules as rules
from jxc_desktop.services.promotions.dto import PromotionDTO, PromotionInput, ScopeItem


def _clock(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


def to_rule(p: PromotionDTO) -> rules.Promotion:
    """The pure rule of a stored promotion (what domain/promotions.apply_promotions takes)."""
    special = p.kind is rules.Kind.SPECIAL_PRICE
    return rules.Promotion(
        p.id, p.name, p.kind,
        product_ids=frozenset() if special else frozenset(i.id for i in p.products),
        category_ids=frozenset(c.id for c in p.categories),
        special_prices=tuple((i.id, i.price) for i in p.products if i.price is not None) if special else (),
        n=p.n, m=p.m, pay_pct=p.pay_pct, threshold=p.threshold, reduction=p.reduction, repeat=p.repeat,
        member_only=p.member_only, stackable=p.stackable, starts=p.starts, ends=p.ends,
        weekdays=frozenset(int(c) for c in p.weekdays), daily_from=_clock(p.daily_from),
        daily_to=_clock(p.daily_to))


def load(session: Session, where: Iterable = ()) -> list[PromotionDTO]:
    """Promotions (newest start first) with their scope, in three queries whatever their number."""
    rows = list(session.scalars(select(Promotion).where(*where).order_by(Promotion.starts.desc(),
                                                                         Promotion.id.desc())))
    ids = [r.id for r in rows]
    products: dict[int, list[ScopeItem]] = defaultdict(list)
    categories: dict[int, list[ScopeItem]] = defaultdict(list)
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        for pid, prod_id, code, name, price in session.execute(
                select(PromotionProduct.promotion_id, Product.id, Product.code, Product.name, PromotionProduct.price)
                .join(Product, Product.id == PromotionProduct.product_id)
                .where(PromotionProduct.promotion_id.in_(chunk)).order_by(PromotionProduct.id)):
            products[pid].append(ScopeItem(prod_id, f"{code} {name}", price))
        for pid, cat_id, name in session.execute(
                select(PromotionCategory.promotion_id, Category.id, Category.name)
                .join(Category, Category.id == PromotionCategory.category_id)
                .where(PromotionCategory.promotion_id.in_(chunk)).order_by(PromotionCategory.id)):
            categories[pid].append(ScopeItem(cat_id, name))
    return [PromotionDTO(r.id, r.name, rules.Kind(r.kind), r.starts, r.ends, tuple(products[r.id]),
                         tuple(categories[r.id]), r.n, r.m, r.pay_pct, r.threshold, r.reduction, r.repeat,
                         r.member_only, r.stackable, r.weekdays, r.daily_from, r.daily_to, r.note) for r in rows]


def running_at(moment: datetime) -> list:
    """The filter of promotions started and not ended at ``moment`` (local)."""
    return [Promotion.starts <= moment, or_(Promotion.ends.is_(None), Promotion.ends > moment)]


def write(session: Session, row: Promotion, data: PromotionInput) -> None:
    """Set ``row`` (new or old) from clean input and replace its scope rows."""
    row.name, row.kind, row.starts, row.ends = data.name, data.kind.value, data.starts, data.ends
    row.n, row.m, row.pay_pct = data.n, data.m, data.pay_pct
    row.threshold, row.reduction, row.repeat = data.threshold, data.reduction, data.repeat
    row.member_only, row.stackable, row.weekdays = data.member_only, data.stackable, data.weekdays
    row.daily_from, row.daily_to, row.note = data.daily_from, data.daily_to, data.note
    if row.id is None:
        session.add(row)
        session.flush()
    else:
        session.execute(PromotionProduct.__table__.delete().where(PromotionProduct.promotion_id == row.id))
        session.execute(PromotionCategory.__table__.delete().where(PromotionCategory.promotion_id == row.id))
    session.add_all(PromotionProduct(promotion_id=row.id, product_id=pid, price=price) for pid, price in data.products)
    session.add_all(PromotionCategory(promotion_id=row.id, category_id=cid) for cid in data.category_ids)
    session.flush()
