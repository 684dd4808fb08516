"""The rules the till prices with, read lean: every scan re-prices the cart, so the running
promotions come as plain rows (three Core queries, no ORM objects, no labels) and the lines'
categories in one query, instead of the list screen's DTOs and a product lookup per line.

:class:`TillRules` keeps them between scans (one per open database): read again after a commit of
this program wrote promotions, and at least every ``WINDOW`` (what another till changed, on a shared
server). It holds every promotion that runs at some moment of its window; the pure rule checks each
one's dates and hours at the scan's moment, so a promotion starting at 10:00 applies at 10:00. Only
the screen uses it: posting a sale reads the rules afresh in its own transaction.
"""

from __future__ import annotations

import threading
import weakref
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Product, Promotion, PromotionCategory, PromotionProduct
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import promotion_rules as rules
from jxc_desktop.domain.changes import Change
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.promotions.records import running_at

_COLUMNS = (Promotion.id, Promotion.name, Promotion.kind, Promotion.n, Promotion.m, Promotion.pay_pct,
            Promotion.threshold, Promotion.reduction, Promotion.repeat, Promotion.member_only, Promotion.stackable,
            Promotion.starts, Promotion.ends, Promotion.weekdays, Promotion.daily_from, Promotion.daily_to)


def _clock(text: str) -> time | None:
    return time.fromisoformat(text) if text else None


WINDOW = timedelta(seconds=60)


def running_rules(session: Session, moment: datetime, until: datetime | None = None) -> list[rules.Promotion]:
    """The rules of the promotions running at ``moment`` (local, naive), as records.to_rule makes
    them; with ``until``, of those running at some moment of [``moment``, ``until``)."""
    where = running_at(moment) if until is None else [
        Promotion.starts < until, or_(Promotion.ends.is_(None), Promotion.ends > moment)]
    running = select(Promotion.id).where(*where)
    products: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    for pid, prod_id, price in session.execute(
            select(PromotionProduct.promotion_id, PromotionProduct.product_id, PromotionProduct.price)
            .where(PromotionProduct.promotion_id.in_(running)).order_by(PromotionProduct.id)):
        products[pid].append((prod_id, price))
    categories: dict[int, list[int]] = defaultdict(list)
    for pid, cat_id in session.execute(
            select(PromotionCategory.promotion_id, PromotionCategory.category_id)
            .where(PromotionCategory.promotion_id.in_(running)).order_by(PromotionCategory.id)):
        categories[pid].append(cat_id)
    out = []
    for (pid, name, kind, n, m, pay_pct, threshold, reduction, repeat, member_only, stackable, starts, ends,
         weekdays, daily_from, daily_to) in session.execute(select(*_COLUMNS).where(*where).order_by(Promotion.id)):
        kind = rules.Kind(kind)
        special = kind is rules.Kind.SPECIAL_PRICE
        scope = products[pid]
        out.append(rules.Promotion(
            pid, name, kind,
            product_ids=frozenset() if special else frozenset(p for p, _price in scope),
            category_ids=frozenset(categories[pid]),
            special_prices=tuple((p, price) for p, price in scope if price is not None) if special else (),
            n=n, m=m, pay_pct=pay_pct, threshold=threshold, reduction=reduction, repeat=bool(repeat),
            member_only=bool(member_only), stackable=bool(stackable), starts=starts, ends=ends,
            weekdays=frozenset(int(c) for c in weekdays), daily_from=_clock(daily_from), daily_to=_clock(daily_to)))
    return out


def categories_of(session: Session, product_ids: Iterable[int]) -> dict[int, int | None]:
    """Each product's category (NotFoundError names a product that does not exist)."""
    ids = sorted(set(product_ids))
    found: dict[int, int | None] = {}
    for i in range(0, len(ids), 500):
        found.update((pid, cid) for pid, cid in session.execute(
            select(Product.id, Product.category_id).where(Product.id.in_(ids[i:i + 500]))))
    missing = [pid for pid in ids if pid not in found]
    if missing:
        raise NotFoundError("Product {id} does not exist", id=missing[0])
    return found


class TillRules:
    """The running rules of one database, kept between scans (see the module doc)."""

    def __init__(self, db: Database) -> None:
        self._lock = threading.Lock()
        self._rules: list[rules.Promotion] | None = None
        self._window = (datetime.min, datetime.min)
        self._generation = 0  # a commit that wrote promotions; rules read before it are not kept
        db.on_change(self._changed)

    def _changed(self, changes: Change) -> None:
        if changes & Change.PROMOTIONS:
            with self._lock:
                self._rules = None
                self._generation += 1

    def at(self, session: Session, moment: datetime) -> list[rules.Promotion]:
        with self._lock:
            start, end = self._window
            if self._rules is not None and start <= moment < end:
                return self._rules
            generation = self._generation
        found = running_rules(session, moment, moment + WINDOW)
        with self._lock:
            if generation == self._generation:
                self._rules, self._window = found, (moment, moment + WINDOW)
        return found


_BY_DB: weakref.WeakKeyDictionary[Database, TillRules] = weakref.WeakKeyDictionary()
_BY_DB_LOCK = threading.Lock()


def till_rules_of(db: Database) -> TillRules:
    with _BY_DB_LOCK:
        found = _BY_DB.get(db)
        if found is None:
            found = _BY_DB[db] = TillRules(db)
    return found
