"""The SQLAlchemy queries of the season table, the ABC classes and the promotion results before
they became SQL text (session 16), kept word for word as the reference the new text must equal
(test_season_abc_reference.py); the thresholds as the reports service read them then."""
from __future__ import annotations

from array import array

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Category, Product, Promotion, Sale, SaleLine, SalePromotion
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period
from jxc_desktop.domain.trend import months_of, same_period_last_year

# the rows' arithmetic did not change: only the queries are kept as they were
from jxc_desktop.services.reporting.abc import AbcBasis, AbcReport, abc_of
from jxc_desktop.services.reporting.promotion_results import _CHUNK, PromotionResults, promotion_results_of
from jxc_desktop.services.reporting.season import (
    SeasonGrouping,
    SeasonReport,
    columns_of,
    groups_of,
    season_of,
)
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
    conn = s.connection()
    names = dict(conn.execute(select(Category.id, Category.name)).all())
    if by is SeasonGrouping.PRODUCT:
        result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
    else:
        result = conn.execute(select(Product.id, Product.category_id))
    groups, of = groups_of(by, names, result.cursor)
    result.close()
    cols, last_col = columns_of(period, last_year, len(groups), lambda part, col: _net_into(s, part, of, col))
    of.clear()  # the positions: not held beside the rows
    return season_of(period, last_year, by, months, groups, cols, last_col)


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
    names = conn.execute(select(Category.id, Category.name)).all()
    result = conn.execute(select(Product.id, Product.code, Product.name, Product.category_id))
    report = abc_of(period, by, a_pct, b_pct, values, names, result.cursor)  # not fetchall: 100 000 rows
    result.close()
    return report


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
    return promotion_results_of(period, found, lambda line_ids: _returned(s, line_ids))


def abc_thresholds(s: Session) -> tuple[int, int]:
    """ReportsService.abc's reading of the thresholds before session 16."""
    a, b = get_int(s, "abc_a_pct"), get_int(s, "abc_b_pct")
    if a + b > 100:
        raise ValidationError("The ABC thresholds add up to more than 100% ({a}% + {b}%)", a=a, b=b)
    return a, b
