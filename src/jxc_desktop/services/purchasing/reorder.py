"""Reorder suggestions (补货建议).

Every active product that is below its minimum stock, or would run out within N days (setting
``reorder_cover_days``) at its average daily net sales over the last 28 full days (the 28 local
days before today), is suggested to its last supplier. The quantity fills up to the maximum stock
when one is set, else to N days of cover (and at least the minimum), rounded up to whole packs
(the largest barcode multiplier, e.g. a case of 12). The owner turns a group into a draft note,
edits and posts it like any purchase. This is the "flat" rule; ``rule="season"`` plans from each
product's forecast instead (reorder_season.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import BigInteger, and_, case, cast, func, or_, select

from jxc_desktop.db.models import Barcode, Product, Sale, SaleLine, Supplier
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.catalog.api import pinyin_initials
from jxc_desktop.services.purchasing import notes
from jxc_desktop.services.purchasing.dto import (
    WINDOW_DAYS,
    LineInput,
    Note,
    NoteInput,
    ReorderGroup,
    ReorderLine,
)
from jxc_desktop.services.purchasing.reorder_season import SEASON, season_lines
from jxc_desktop.services.shop import api as shop

_CHUNK = 900
FLAT = "flat"
RULES = (FLAT, SEASON)


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def suggested_qty(stock: int, min_stock: int, max_stock: int, sold: int, cover_days: int, pack: int) -> int:
    """The quantity (thousandths) to order, or 0 when nothing is needed (see the module doc)."""
    below_min = min_stock > 0 and stock < min_stock
    runs_out = sold > 0 and stock * WINDOW_DAYS < sold * cover_days
    if not (below_min or runs_out):
        return 0
    cover = _ceil_div(sold * cover_days, WINDOW_DAYS) if sold > 0 else 0
    target = max_stock if max_stock > 0 else max(min_stock, cover)
    need = target - stock
    if need <= 0:
        return 0
    step = max(1, pack) * MILLI
    return _ceil_div(need, step) * step


def _grouped(found: list[tuple[int | None, ReorderLine]], names: dict[int, str]) -> list[ReorderGroup]:
    groups: dict[int | None, list[ReorderLine]] = defaultdict(list)
    for sup, line in found:
        groups[sup].append(line)
    out = [ReorderGroup(sid, names.get(sid, "") if sid else "", tuple(sorted(lines, key=lambda ln: ln.code)))
           for sid, lines in groups.items()]
    out.sort(key=lambda g: (g.supplier_id is None, pinyin_initials(g.supplier_name), g.supplier_name))
    return out


@dataclass(frozen=True)
class ReorderService:
    db: Database

    def suggest(self, *, today: date | None = None, cover_days: int | None = None,
                supplier_id: int | None = None, rule: str = FLAT) -> list[ReorderGroup]:
        """Groups by supplier (named ones in pinyin order, then the group without a supplier).
        ``rule``: "flat" (the module doc) or "season" (reorder_season.py)."""
        if rule not in RULES:
            raise ValidationError("Unknown reorder rule {rule}", rule=str(rule)[:20])
        today = today or local_today()
        first = today - timedelta(days=WINDOW_DAYS)
        with self.db.read() as uow:
            s = uow.session
            n = cover_days if cover_days is not None else shop.get_int(s, "reorder_cover_days")
            if not 1 <= n <= 365:
                raise ValidationError("Cover days must be between 1 and 365")
            if rule == SEASON:
                found = list(season_lines(s, today, n, lambda ids: self._packs(s, ids), supplier_id))
                return _grouped(found, dict(s.execute(select(Supplier.id, Supplier.name)).all()))
            sold = (select(SaleLine.product_id.label("pid"),
                           func.sum(case((Sale.kind == "return", -SaleLine.qty), else_=SaleLine.qty)).label("q"))
                    .join(Sale, Sale.id == SaleLine.sale_id)
                    .where(Sale.business_day >= first, Sale.business_day < today, Sale.status == "posted")
                    .group_by(SaleLine.product_id).subquery())
            q_sold = func.coalesce(sold.c.q, 0)
            q = (select(Product.id, Product.code, Product.name, Product.unit, Product.stock_qty, Product.min_stock,
                        Product.max_stock, Product.last_supplier_id, Product.last_cost, Product.ref_cost, q_sold)
                 .outerjoin(sold, sold.c.pid == Product.id)
                 .where(Product.active.is_(True),
                        or_(and_(Product.min_stock > 0, Product.stock_qty < Product.min_stock),
                            and_(q_sold > 0, cast(Product.stock_qty, BigInteger) * WINDOW_DAYS < q_sold * n))))
            if supplier_id is not None:
                q = q.where(Product.last_supplier_id == supplier_id)
            rows = s.execute(q).all()
            packs = self._packs(s, [r[0] for r in rows])
            names = dict(s.execute(select(Supplier.id, Supplier.name)).all())
        found: list[tuple[int | None, ReorderLine]] = []
        for pid, code, name, unit, stock, mn, mx, sup, last_cost, ref_cost, sold_q in rows:
            sold_q = int(sold_q)
            pack = packs.get(pid, 1)
            qty = suggested_qty(stock, mn, mx, sold_q, n, pack)
            if qty <= 0:
                continue
            found.append((sup, ReorderLine(pid, code, name, unit, stock, mn, mx, sold_q, pack, qty,
                                           last_cost or ref_cost, mn > 0 and stock < mn, cover_days=n)))
        return _grouped(found, names)

    @staticmethod
    def _packs(s, ids: list[int]) -> dict[int, int]:  # type: ignore[no-untyped-def]
        """The largest barcode multiplier of each product (a case), where above 1."""
        out: dict[int, int] = {}
        for i in range(0, len(ids), _CHUNK):
            chunk = ids[i:i + _CHUNK]
            out.update(s.execute(select(Barcode.product_id, func.max(Barcode.multiplier))
                                 .where(Barcode.product_id.in_(chunk), Barcode.multiplier > 1)
                                 .group_by(Barcode.product_id)).all())
        return out

    def make_draft(self, group: ReorderGroup, *, supplier_id: int | None = None,
                   at: datetime | None = None) -> Note:
        """A draft purchase note from a group (``supplier_id`` for the group without a supplier)."""
        sid = supplier_id if supplier_id is not None else group.supplier_id
        if not group.lines:
            raise ValidationError("The note has no lines")
        lines = tuple(LineInput(ln.product_id, ln.suggested_qty, ln.unit_cost) for ln in group.lines)
        return notes.save_draft(self.db, NoteInput(sid, lines, note="补货建议"), at=at)
