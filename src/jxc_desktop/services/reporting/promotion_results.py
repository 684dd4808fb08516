"""Promotion results (促销效果): per promotion, the sales of the lines it applied to in a period, the
discount it gave, and the gross profit with it and without it.

Read from the rows the till wrote (``sale_promotion`` beside each sale line, migration 0017): the
sales of the period are the posted sales of its business days; what later came back of those lines
(posted returns, whenever) is taken off at the line's own figures, and the discount in proportion
to the quantity returned, so a promotion is judged on what the customers kept. "Without" is the
same lines at the prices before the promotion (sales + discount − cost): what the shop would have
made had the same goods sold without it. A line two stackable promotions touched counts in both
rows; the total counts each line once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Promotion, Sale, SaleLine, SalePromotion
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


def _returned(s: Session, line_ids: list[int]) -> dict[int, tuple[int, int, int]]:
    """(qty, amount, cost) that came back of each line (posted returns)."""
    out: dict[int, tuple[int, int, int]] = {}
    for i in range(0, len(line_ids), _CHUNK):
        chunk = line_ids[i:i + _CHUNK]
        for origin, qty, amount, cost in s.execute(
                select(SaleLine.origin_line_id, func.sum(SaleLine.qty), func.sum(SaleLine.amount),
                       func.sum(SaleLine.cost)).join(Sale, Sale.id == SaleLine.sale_id)
                .where(SaleLine.origin_line_id.in_(chunk), Sale.status == "posted")
                .group_by(SaleLine.origin_line_id)):
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


def promotion_results(s: Session, period: Period) -> PromotionResults:
    """Every promotion that applied to a posted sale in ``period``, the largest discount first."""
    found = s.execute(
        select(SalePromotion.promotion_id, Promotion.name, SalePromotion.sale_line_id, SalePromotion.amount,
               SaleLine.qty, SaleLine.amount, SaleLine.cost, SaleLine.sale_id)
        .join(SaleLine, SaleLine.id == SalePromotion.sale_line_id).join(Sale, Sale.id == SaleLine.sale_id)
        .join(Promotion, Promotion.id == SalePromotion.promotion_id)
        .where(Sale.business_day >= period.first, Sale.business_day <= period.last, Sale.status == "posted"))
    names: dict[int, str] = {}
    per_promo: dict[int, dict[int, int]] = defaultdict(dict)  # promotion → line → fen off
    lines: dict[int, _Line] = {}
    for pid, name, line_id, off, qty, amount, cost, sale_id in found:
        names[pid] = name
        per_promo[pid][line_id] = per_promo[pid].get(line_id, 0) + int(off)
        lines[line_id] = _Line(int(qty), int(amount), int(cost), int(sale_id))
    back = _returned(s, sorted(lines))
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
