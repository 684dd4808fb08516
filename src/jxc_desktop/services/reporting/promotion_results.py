"""Promotion results (促销效果): per promotion, the sales of the lines it applied to in a period, the
discount it gave, and the gross profit with it and without it.

Read from the rows the till wrote (``sale_promotion`` beside each sale line, migration 0017): the
sales of the period are the posted sales of its business days; what later came back of those lines
(posted returns, whenever) is taken off at the line's own figures, and the discount in proportion
to the quantity returned, so a promotion is judged on what the customers kept. "Without" is the
same lines at the prices before the promotion (sales + discount − cost): what the shop would have
made had the same goods sold without it. A line two stackable promotions touched counts in both
rows; the total counts each line once.

Written as SQL text either driver runs (db/text_reads.py): the reports service in its session,
``jxc report promotions`` on sqlite3 alone (issue 15).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.periods import Period, ratio_bp
from jxc_desktop.i18n import _

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PromotionResultRow:
    key: str  # the promotion's id; "total"
    label: str  # its name
    sale_count: int  # sales it applied to
    sales: int  # net sales of its lines, returns taken off, fen
    discount: int  # what it took off, returns taken off, fen
    cogs: int
    margin: int  # gross profit with the promotion
    margin_bp: int | None
    margin_without: int  # the same lines at the prices before it
    margin_without_bp: int | None


@dataclass(frozen=True)
class PromotionResults:
    period: Period
    rows: tuple[PromotionResultRow, ...]
    total: PromotionResultRow


@dataclass
class _Line:
    qty: int
    amount: int
    cost: int
    sale_id: int


# What came back of each line: the posted returns' lines by their origin (a chunk of ids at a time).
RETURNED = ("SELECT sale_line.origin_line_id, sum(sale_line.qty), sum(sale_line.amount), sum(sale_line.cost) "
            "FROM sale_line JOIN sale ON sale.id = sale_line.sale_id "
            "WHERE sale_line.origin_line_id IN ({ids}) AND sale.status = :status GROUP BY sale_line.origin_line_id")
# Each promotion's share of each line of the posted sales of the period (the joins in the order the
# SQLAlchemy query wrote them; the status bound as it bound it).
APPLIED = ("SELECT sale_promotion.promotion_id, promotion.name, sale_promotion.sale_line_id, sale_promotion.amount, "
           "sale_line.qty, sale_line.amount, sale_line.cost, sale_line.sale_id "
           "FROM sale_promotion JOIN sale_line ON sale_line.id = sale_promotion.sale_line_id "
           "JOIN sale ON sale.id = sale_line.sale_id JOIN promotion ON promotion.id = sale_promotion.promotion_id "
           "WHERE sale.business_day >= :first AND sale.business_day <= :last AND sale.status = :status")


def _returned(rows: Rows, line_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """(qty, amount, cost) that came back of each line (posted returns)."""
    out: dict[int, tuple[int, int, int]] = {}
    for i in range(0, len(line_ids), _CHUNK):
        keys = {f"id{n}": line_id for n, line_id in enumerate(line_ids[i:i + _CHUNK])}
        sql = RETURNED.format(ids=", ".join(":" + k for k in keys))
        for origin, qty, amount, cost in rows.all(sql, status="posted", **keys):
            out[int(origin)] = (int(qty), int(amount), int(cost))
    return out


def _row(key: str, label: str, sales: set[int], lines: Iterable[tuple[_Line, int]],
         back: dict[int, tuple[int, int, int]], ids: Iterable[int]) -> PromotionResultRow:
    net = cost = discount = 0
    for (line, off), line_id in zip(lines, ids, strict=True):
        qty_back, amount_back, cost_back = back.get(line_id, (0, 0, 0))
        net += line.amount - amount_back
        cost += line.cost - cost_back
        discount += off - div_round(off * qty_back, line.qty)
    margin, without = net - cost, net + discount - cost
    return PromotionResultRow(key, label, len(sales), net, discount, cost, margin, ratio_bp(margin, net),
                              without, ratio_bp(without, net + discount))


def promotion_results(read: Rows, period: Period) -> PromotionResults:
    """Every promotion that applied to a posted sale in ``period``, the largest discount first."""
    found = read.all(APPLIED, first=day_bind(period.first, read.dialect), last=day_bind(period.last, read.dialect),
                     status="posted")
    return promotion_results_of(period, found, lambda line_ids: _returned(read, line_ids))


def promotion_results_of(period: Period, found: Iterable[Sequence[Any]],
                         returned: Callable[[list[int]], dict[int, tuple[int, int, int]]]) -> PromotionResults:
    """The results from the (promotion, name, line, fen off, qty, amount, cost, sale) rows of the
    promotions applied and ``returned`` (what came back of those lines); the reference
    (tests/integration/season_abc_reference.py) runs it on its ORM rows."""
    names: dict[int, str] = {}
    per_promo: dict[int, dict[int, int]] = defaultdict(dict)  # promotion → line → fen off
    lines: dict[int, _Line] = {}
    for pid, name, line_id, off, qty, amount, cost, sale_id in found:
        names[pid] = name
        per_promo[pid][line_id] = per_promo[pid].get(line_id, 0) + int(off)
        lines[line_id] = _Line(int(qty), int(amount), int(cost), int(sale_id))
    back = returned(sorted(lines))
    rows = []
    for pid, offs in per_promo.items():
        ids = sorted(offs)
        rows.append(_row(str(pid), names[pid], {lines[i].sale_id for i in ids},
                         [(lines[i], offs[i]) for i in ids], back, ids))
    rows.sort(key=lambda r: (-r.discount, r.label, r.key))
    all_ids = sorted(lines)
    off_by_line: dict[int, int] = defaultdict(int)
    for offs in per_promo.values():
        for line_id, off in offs.items():
            off_by_line[line_id] += off
    total = _row("total", _("Total"), {ln.sale_id for ln in lines.values()},
                 [(lines[i], off_by_line[i]) for i in all_ids], back, all_ids)
    return PromotionResults(period, tuple(rows), total)
