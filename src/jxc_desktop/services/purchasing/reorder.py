"""Reorder suggestions (补货建议).

Every active product that is below its minimum stock, or would run out within N days (setting
``reorder_cover_days``) at its average daily net sales over the last 28 full days (the 28 local
days before today), is suggested to its last supplier. The quantity fills up to the maximum stock
when one is set, else to N days of cover (and at least the minimum), rounded up to whole packs
(the largest barcode multiplier, e.g. a case of 12). The owner turns a group into a draft note,
edits and posts it like any purchase. This is the "flat" rule; ``rule="season"`` plans from each
product's forecast instead (reorder_season.py).

SQL text over :class:`~jxc_desktop.db.text_reads.Rows` (:func:`suggestions`): the service runs it on
its session, ``jxc reorder`` on sqlite3 alone (issue 15). Groups are ordered by the suppliers'
stored 助记码 (supplier.pinyin), which every save keeps equal to pinyin_initials of the name.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, SessionRows, Where
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.services.purchasing.dto import (
    WINDOW_DAYS,
    LineInput,
    Note,
    NoteInput,
    ReorderGroup,
    ReorderLine,
)
from jxc_desktop.services.purchasing.reorder_season import SEASON, season_lines

if TYPE_CHECKING:
    from jxc_desktop.db.uow import Database

_CHUNK = 900
FLAT = "flat"
RULES = (FLAT, SEASON)

# The candidates of the flat rule with their net sales of the 28 days [:first, :today). The stock
# is cast to BIGINT before × 28: two 32-bit integers overflow on PostgreSQL (a stock past 76 695 units).
FLAT_CANDIDATES = (
    "SELECT product.id, product.code, product.name, product.unit, product.stock_qty, product.min_stock,"
    " product.max_stock, product.last_supplier_id, product.last_cost, product.ref_cost, coalesce(sold.q, 0)"
    " FROM product LEFT OUTER JOIN (SELECT sale_line.product_id AS pid,"
    " sum(CASE WHEN (sale.kind = 'return') THEN -sale_line.qty ELSE sale_line.qty END) AS q"
    " FROM sale_line JOIN sale ON sale.id = sale_line.sale_id"
    " WHERE sale.business_day >= :first AND sale.business_day < :today AND sale.status = 'posted'"
    " GROUP BY sale_line.product_id) AS sold ON sold.pid = product.id"
    " WHERE product.active = :active AND (product.min_stock > 0 AND product.stock_qty < product.min_stock"
    f" OR coalesce(sold.q, 0) > 0 AND CAST(product.stock_qty AS BIGINT) * {WINDOW_DAYS} < coalesce(sold.q, 0) * :cover)"
)
PACKS = ("SELECT barcode.product_id, max(barcode.multiplier) FROM barcode{where} AND barcode.multiplier > 1"
         " GROUP BY barcode.product_id")
# the stored 助记码 (migration 0024, kept by every save: suppliers.py) orders the groups
SUPPLIER_NAMES = "SELECT supplier.id, supplier.name, supplier.pinyin FROM supplier"


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


def _grouped(found: list[tuple[int | None, ReorderLine]], names: dict[int, tuple[str, str]]) -> list[ReorderGroup]:
    """``names``: supplier id → (name, stored pinyin initials)."""
    groups: dict[int | None, list[ReorderLine]] = defaultdict(list)
    for sup, line in found:
        groups[sup].append(line)
    keyed = []
    for sid, lines in groups.items():
        name, initials = names.get(sid, ("", "")) if sid else ("", "")
        keyed.append(((sid is None, initials, name), ReorderGroup(sid, name, tuple(sorted(lines, key=lambda ln: ln.code)))))
    keyed.sort(key=lambda k: k[0])
    return [g for _key, g in keyed]


def packs(rows: Rows, ids: list[int]) -> dict[int, int]:
    """The largest barcode multiplier of each product (a case), where above 1."""
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        where = Where()
        where.one_of("barcode.product_id", "p", ids[i:i + _CHUNK])
        out.update(rows.all(PACKS.format(where=where.sql()), **where.binds))
    return out


def suggestions(rows: Rows, *, today: date, setting: Callable[[str], int], cover_days: int | None = None,
                supplier_id: int | None = None, rule: str = FLAT) -> list[ReorderGroup]:
    """Groups by supplier (named ones in pinyin order, then the group without a supplier).
    ``rule``: "flat" (the module doc) or "season" (reorder_season.py); ``setting(key)``: a
    whole-number setting as shop's get_int gives it (the service's get_int, ``jxc reorder``'s
    stored_int: none of these keys is kept per till). SQL text over ``rows``: the service runs it
    on its session, ``jxc reorder`` on sqlite3 alone (issue 15)."""
    if rule not in RULES:
        raise ValidationError("Unknown reorder rule {rule}", rule=str(rule)[:20])
    n = cover_days if cover_days is not None else setting("reorder_cover_days")
    if not 1 <= n <= 365:
        raise ValidationError("Cover days must be between 1 and 365")
    names = {sid: (name, initials) for sid, name, initials in rows.all(SUPPLIER_NAMES)}
    if rule == SEASON:
        return _grouped(list(season_lines(rows, today, n, lambda ids: packs(rows, ids), setting, supplier_id)), names)
    first = today - timedelta(days=WINDOW_DAYS)
    where = Where(first=day_bind(first, rows.dialect), today=day_bind(today, rows.dialect), active=True, cover=n)
    if supplier_id is not None:
        where.add("product.last_supplier_id = :supplier", supplier=supplier_id)
    found_rows = rows.all(FLAT_CANDIDATES + "".join(f" AND {c}" for c in where.conditions), **where.binds)
    return _grouped(flat_lines_of(found_rows, packs(rows, [r[0] for r in found_rows]), n), names)


def flat_lines_of(found_rows: Sequence[Sequence[Any]], pack_of: Mapping[int, int], n: int
                  ) -> list[tuple[int | None, ReorderLine]]:
    """(supplier id, line) of each candidate (id, code, name, unit, stock, min, max, supplier, last
    cost, reference cost, sold in the window) that the flat rule orders, with ``n`` days of cover."""
    found: list[tuple[int | None, ReorderLine]] = []
    for pid, code, name, unit, stock, mn, mx, sup, last_cost, ref_cost, sold_q in found_rows:
        sold_q = int(sold_q)
        pack = pack_of.get(pid, 1)
        qty = suggested_qty(stock, mn, mx, sold_q, n, pack)
        if qty <= 0:
            continue
        found.append((sup, ReorderLine(pid, code, name, unit, stock, mn, mx, sold_q, pack, qty,
                                       last_cost or ref_cost, mn > 0 and stock < mn, cover_days=n)))
    return found


@dataclass(frozen=True)
class ReorderService:
    db: Database

    def suggest(self, *, today: date | None = None, cover_days: int | None = None,
                supplier_id: int | None = None, rule: str = FLAT) -> list[ReorderGroup]:
        """:func:`suggestions` in a read of the shop's database."""
        if rule not in RULES:
            raise ValidationError("Unknown reorder rule {rule}", rule=str(rule)[:20])
        from jxc_desktop.services.shop import api as shop  # (its settings service loads the ORM)

        today = today or local_today()
        with self.db.read() as uow:
            s = uow.session
            return suggestions(SessionRows(s), today=today, setting=lambda key: shop.get_int(s, key),
                               cover_days=cover_days, supplier_id=supplier_id, rule=rule)

    def make_draft(self, group: ReorderGroup, *, supplier_id: int | None = None,
                   at: datetime | None = None) -> Note:
        """A draft purchase note from a group (``supplier_id`` for the group without a supplier)."""
        from jxc_desktop.services.purchasing import notes  # (the ORM: only a draft needs it)

        sid = supplier_id if supplier_id is not None else group.supplier_id
        if not group.lines:
            raise ValidationError("The note has no lines")
        lines = tuple(LineInput(ln.product_id, ln.suggested_qty, ln.unit_cost) for ln in group.lines)
        return notes.save_draft(self.db, NoteInput(sid, lines, note="补货建议"), at=at)
