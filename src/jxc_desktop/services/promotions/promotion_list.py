"""Every promotion with its scope (newest start first) as SQL text either driver runs
(db/text_reads.py): the promotion service's list runs it on its sessions (``SessionRows``: the
promotions window), ``jxc promotions list`` on sqlite3 alone (issue 15: no SQLAlchemy for a read).
The till's running rules and a single promotion are still read by records.load.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from jxc_desktop.db.text_reads import Rows, Where
from jxc_desktop.domain import promotion_rules as rules
from jxc_desktop.services.promotions.dto import PromotionDTO, ScopeItem

_CHUNK = 500  # promotions' scopes read a chunk at a time (their ids bound one by one)
_PROMOTIONS = ("SELECT id, name, kind, starts, ends, n, m, pay_pct, threshold, reduction, \"repeat\", member_only, "
               "stackable, weekdays, daily_from, daily_to, note FROM promotion ORDER BY starts DESC, id DESC")
_PRODUCTS = ("SELECT pp.promotion_id, p.id, p.code, p.name, pp.price FROM promotion_product pp "
             "JOIN product p ON p.id = pp.product_id{where} ORDER BY pp.id")
_CATEGORIES = ("SELECT pc.promotion_id, c.id, c.name FROM promotion_category pc "
               "JOIN category c ON c.id = pc.category_id{where} ORDER BY pc.id")


def _local(value: object) -> datetime:
    """A naive local DateTime column as either driver gives it (text on SQLite, parsed as SQLAlchemy
    parses it)."""
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def list_promotions(rows: Rows) -> list[PromotionDTO]:
    """Every promotion (newest start first) with its products and categories, in three queries a
    chunk of promotions."""
    found = rows.all(_PROMOTIONS)
    ids = [int(r[0]) for r in found]
    products: dict[int, list[ScopeItem]] = defaultdict(list)
    categories: dict[int, list[ScopeItem]] = defaultdict(list)
    for start in range(0, len(ids), _CHUNK):
        of = Where()
        of.one_of("pp.promotion_id", "pr", ids[start:start + _CHUNK])
        for pid, prod_id, code, name, price in rows.all(_PRODUCTS.format(where=of.sql()), **of.binds):
            products[int(pid)].append(ScopeItem(prod_id, f"{code} {name}", price))
        of = Where()
        of.one_of("pc.promotion_id", "pr", ids[start:start + _CHUNK])
        for pid, cat_id, name in rows.all(_CATEGORIES.format(where=of.sql()), **of.binds):
            categories[int(pid)].append(ScopeItem(cat_id, name))
    return [PromotionDTO(pid, name, rules.Kind(kind), _local(starts), None if ends is None else _local(ends),
                         tuple(products[pid]), tuple(categories[pid]), n, m, pay_pct, threshold, reduction,
                         bool(repeat), bool(member_only), bool(stackable), weekdays, daily_from, daily_to, note)
            for (pid, name, kind, starts, ends, n, m, pay_pct, threshold, reduction, repeat, member_only, stackable,
                 weekdays, daily_from, daily_to, note) in found]
