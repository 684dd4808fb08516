"""The SQLAlchemy read of the promotions list before session 17 made it SQL text
(promotions/promotion_list.py): records.load with no filter, as PromotionService.list called it,
kept word for word as the reference the text must equal (test_promotion_list_reference.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Promotion, PromotionCategory, PromotionProduct
from jxc_desktop.domain import promotion_rules as rules
from jxc_desktop.services.promotions.dto import PromotionDTO, ScopeItem


def load(session: Session, where: Iterable = ()) -> list[PromotionDTO]:  # type: ignore[type-arg]
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
