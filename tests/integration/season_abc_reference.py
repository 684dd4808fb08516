"""The SQLAlchemy queries of the season table, the ABC classes and the promotion results before
they became SQL text (session 16), kept word for word as the reference the new text must equal
(test_season_abc_reference.py); the thresholds as the reports service read them then."""
from __future__ import annotations

from array import array
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Promotion, Sale, SaleLine, SalePromotion
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import abc_classes, change_tenths, months_of, same_period_last_year
from jxc_desktop.i18n import _

# the rows' arithmetic did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.abc import AbcBasis, AbcReport, AbcRow
from jxc_desktop.services.reporting.promotion_results import _CHUNK, PromotionResults, _Line, _row
from jxc_desktop.services.reporting.season import SeasonGrouping, SeasonReport, SeasonRow, month_periods
from jxc_desktop.services.shop.api import get_int

POSTED = "posted"


def _add_sums(s: Session, period: Period, kind: str, sign: int, of: dict[int, int], into: array[int]) -> None:
    """Σ amount per product of one kind of posted document in the period, added (× ``sign``) into
    ``into`` at the product's group position. Read row by row into a flat array of int64: a
    dict per month of 100 000 product sums held half a year's worth of Python ints at once
    (issue 15: the window's memory)."""
    stmt = select(SaleLine.product_id, func.sum(SaleLine.amount)).where(
        SaleLine.kind == kind, SaleLine.status == POSTED,
        SaleLine.business_day >= period.first, SaleLine.business_day <= period.last).group_by(SaleLine.product_id)
    result = s.connection().execute(stmt)
    for pid, amount in result.cursor:  # two numbers a row: no result processing for 100 000 products
        into[of[pid]] += sign * int(amount)
    result.close()


def _net_into(s: Session, period: Period, of: dict[int, int], into: array[int]) -> None:
    """Net sales (sales − customer returns) of the period per group position, fen.

    One aggregate per month and kind, grouped by product alone: SQLite sorts twelve small runs of
    integer keys instead of the whole year by (product, month text) — half the time measured."""
    _add_sums(s, period, "sale", 1, of, into)
    _add_sums(s, period, "return", -1, of, into)  # few


def season_report(s: Session, period: Period, by: SeasonGrouping | str = SeasonGrouping.CATEGORY) -> SeasonReport:
    by = SeasonGrouping(by)
    months = months_of(period)
    last_year = same_period_last_year(period)
    uncategorized = _("Uncategorized")
    conn = s.connection()
    # Each group's (key, label, category) by position, and each product's position.
    groups: list[tuple[str, str, str]] = []
    of: dict[int, int] = {}
    names = dict(conn.execute(select(Category.id, Category.name)).all())
    if by is SeasonGrouping.PRODUCT:
        result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
        for pid, code, name, cid in result.cursor:
            of[pid] = len(groups)
            groups.append((code, name, names.get(cid) or uncategorized))
        result.close()
    else:
        position: dict[int | None, int] = {}
        result = conn.execute(select(Product.id, Product.category_id))
        for pid, cid in result.cursor:
            at = position.get(cid)
            if at is None:
                at = position[cid] = len(groups)
                groups.append(("" if cid is None else str(cid), names.get(cid) or uncategorized, ""))
            of[pid] = at
        result.close()
    # One flat column of int64 per month (and last year): 100 000 products × 13 in 10 MB.
    n = len(groups)
    cols = []
    for _month, part in month_periods(period):
        col = array("q", bytes(8 * n))
        _net_into(s, part, of, col)
        cols.append(col)
    last_col = array("q", bytes(8 * n))
    _net_into(s, last_year, of, last_col)
    del of
    rows = []
    for i, (key, label, cat) in enumerate(groups):
        vals = tuple(col[i] for col in cols)
        total = sum(vals)
        last = last_col[i]
        if total == 0 and last == 0 and not any(vals):
            continue  # nothing sold in either period (or sales and returns cancelled to zero)
        rows.append(SeasonRow(key, label, cat, vals, total, last, change_tenths(total, last)))
    del groups, cols
    rows.sort(key=lambda r: (-r.total, r.key))
    col_sums = tuple(sum(r.months[i] for r in rows) for i in range(len(months)))
    grand, grand_last = sum(col_sums), sum(r.last_year_total for r in rows)
    total_row = SeasonRow("total", _("Total"), "", col_sums, grand, grand_last, change_tenths(grand, grand_last))
    return SeasonReport(period, last_year, by, tuple(months), tuple(rows), total_row)

def _per_product(s: Session, period: Period, by: AbcBasis) -> dict[int, int]:
    out: dict[int, int] = {}
    conn = s.connection()
    for kind, sign in (("sale", 1), ("return", -1)):
        figure = SaleLine.amount if by is AbcBasis.SALES else SaleLine.amount - SaleLine.cost
        stmt = select(SaleLine.product_id, func.sum(figure)).where(
            SaleLine.kind == kind, SaleLine.status == POSTED,
            SaleLine.business_day >= period.first, SaleLine.business_day <= period.last,
        ).group_by(SaleLine.product_id)
        result = conn.execute(stmt)  # the driver's rows, plain ints: no result processing per row
        if sign == 1:
            out = dict(result.cursor)  # read row by row: no list of 100 000 rows beside the dict
        else:
            for pid, v in result.cursor:  # returns: few
                out[pid] = out.get(pid, 0) + sign * v
        result.close()
    return out


def abc_report(s: Session, period: Period, by: AbcBasis | str, a_pct: int, b_pct: int) -> AbcReport:
    by = AbcBasis(by)
    values = _per_product(s, period, by)
    conn = s.connection()
    names = dict(conn.execute(select(Category.id, Category.name)).all())
    names[None] = _("Uncategorized")
    result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
    found = [(-values[pid], code, name, names.get(cid) or names[None])
             for pid, code, name, cid in result.cursor if pid in values]  # not fetchall: 100 000 rows
    result.close()
    del values
    found.sort()
    classes = abc_classes([-neg for neg, *_rest in found], a_pct, b_pct)
    rows = tuple(AbcRow(code, name, cat, -neg, share, cum, cls)
                 for (neg, code, name, cat), (cls, share, cum) in zip(found, classes, strict=True))
    counts = {c: 0 for c in "ABC"}
    sums = {c: 0 for c in "ABC"}
    for r in rows:
        counts[r.cls] += 1
        sums[r.cls] += r.value
    return AbcReport(period, by, a_pct, b_pct, rows, sum(r.value for r in rows), counts, sums)


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


def abc_thresholds(s: Session) -> tuple[int, int]:
    """ReportsService.abc's reading of the thresholds before session 16."""
    a, b = get_int(s, "abc_a_pct"), get_int(s, "abc_b_pct")
    if a + b > 100:
        raise ValidationError("The ABC thresholds add up to more than 100% ({a}% + {b}%)", a=a, b=b)
    return a, b
