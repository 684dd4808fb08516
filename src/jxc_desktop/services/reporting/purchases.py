"""Purchase summary (采购汇总) by supplier or by product.

Counted, so that net purchases equal the ledger's purchase flow (the values of the stock moves of
purchase documents) to the fen:
- purchase notes (CG) and returns to suppliers (CT) by their document date — a note later
  reversed is shown too (its reversal takes it out);
- reversals (红冲) on the day they were made: a reversed note's value out, a reversed return's back;
- corrections: the ``revaluation`` (and contract ``cost_fix``) moves linked to a purchase document,
  on the day they were booked — chiefly what a reversal could not take out because the goods had
  been sold (purchasing/reversal_fix.py). A re-base after negative stock is not purchase flow: it
  belongs to the sales that went below zero (the profit report's corrections).
Drafts never count. net = purchases − returns − reversals + corrections.

Written as SQL text either driver runs (db/text_reads.py): the reports service in its session,
``jxc report purchases`` on sqlite3 alone (issue 15).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from enum import StrEnum

from jxc_desktop.db.dialect_text import day_bind, utc_bind
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.costing import unit_cost_of
from jxc_desktop.domain.moves import LEGACY_REBASE_NOTE
from jxc_desktop.domain.periods import Period
from jxc_desktop.i18n import _


class PurchaseGrouping(StrEnum):
    SUPPLIER = "supplier"
    PRODUCT = "product"


@dataclass(frozen=True, slots=True)
class PurchaseRow:
    key: str  # supplier id ("" = none) or product code; "total"
    label: str
    category: str
    qty_in: int  # thousandths bought (notes later reversed included)
    qty_out: int  # thousandths returned to suppliers
    purchases: int  # fen
    returns: int
    net: int  # purchases − returns − reversals + corrections = the ledger's purchase flow
    avg_cost: int  # fen per unit of the net quantity (0 if none)
    notes: int  # purchase notes
    return_notes: int
    qty_reversed: int = 0  # thousandths taken out by reversals (reversed returns count back)
    reversals: int = 0  # fen taken out by reversals of notes, less what reversed returns brought back
    corrections: int = 0  # fen, signed as in the ledger (+ = value put back on the shelf)
    reversed_notes: int = 0  # reversals made in the period (notes and returns)
    # Returns credited at the price paid (issue 16): the supplier's credit less the stock value taken
    # out; + = the supplier gave back more than the goods stood at on the shelf (not in ``net``).
    price_difference: int = 0


@dataclass(frozen=True)
class PurchaseReport:
    period: Period
    by: PurchaseGrouping
    rows: tuple[PurchaseRow, ...]
    total: PurchaseRow


# The figures gathered per group key, in this order.
QIN, QOUT, PIN, POUT, QREV, REV, CORR, PDIFF = range(8)
# The group key of each grouping: the supplier of the document, the product of the line (or move).
_GROUP = {PurchaseGrouping.SUPPLIER: ("p.supplier_id", "p.supplier_id"),
          PurchaseGrouping.PRODUCT: ("l.product_id", "m.product_id")}
_LINES = "FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id"
IN_PERIOD = "p.status IN ('posted', 'reversed') AND p.doc_date >= :first AND p.doc_date <= :last"
REVERSED_IN = "p.status = 'reversed' AND p.reversed_at >= :start AND p.reversed_at < :end"
# qty × price rounded half up as costing.value_of (both ≥ 0), less the stock value out; 64-bit on
# PostgreSQL, whose qty and price are 32-bit (100 units at ¥21 474.84 pass 2^31)
_PRICE_DIFF = ("sum(CASE WHEN p.kind = 'return' AND l.price IS NOT NULL "
               "THEN (CAST(l.qty AS BIGINT) * l.price + 500) / 1000 - l.amount ELSE 0 END)")
DOC_SUMS = ("SELECT {g}, sum(CASE WHEN p.kind = 'purchase' THEN l.qty ELSE 0 END), "
            "sum(CASE WHEN p.kind = 'return' THEN l.qty ELSE 0 END), "
            "sum(CASE WHEN p.kind = 'purchase' THEN l.amount ELSE 0 END), "
            f"sum(CASE WHEN p.kind = 'return' THEN l.amount ELSE 0 END), {_PRICE_DIFF} "
            f"{_LINES} WHERE {IN_PERIOD} GROUP BY {{g}}")
_SIGN = "CASE WHEN p.kind = 'return' THEN -1 ELSE 1 END"
REVERSAL_SUMS = (f"SELECT {{g}}, sum({_SIGN} * l.qty), sum({_SIGN} * l.amount), {_PRICE_DIFF} "
                 f"{_LINES} WHERE {REVERSED_IN} GROUP BY {{g}}")
# Value-only moves of purchase documents that are purchase flow: a reversal's correction, and a
# cost_fix linked to a supplier return; a re-base of a receipt as older versions wrote it (a
# revaluation with LEGACY_REBASE_NOTE) is the sales' cost, not purchases.
CORRECTION_SUMS = ("SELECT {g}, sum(m.value) FROM stock_move m JOIN purchase p ON p.id = m.doc_id "
                   "WHERE m.doc_type = 'purchase' AND m.qty = 0 AND m.kind IN ('revaluation', 'cost_fix') "
                   "AND (m.kind != 'revaluation' OR m.note != :rebase) "
                   "AND m.created_at >= :start AND m.created_at < :end GROUP BY {g}")
# notes and returns of the period (by document date), reversals made in it
_COUNTS = (f"count(DISTINCT CASE WHEN ({IN_PERIOD}) AND p.kind = 'purchase' THEN p.id END), "
           f"count(DISTINCT CASE WHEN ({IN_PERIOD}) AND p.kind = 'return' THEN p.id END), "
           f"count(DISTINCT CASE WHEN {REVERSED_IN} THEN p.id END)")
_RELEVANT = f"({IN_PERIOD}) OR ({REVERSED_IN})"
DOC_COUNTS = {PurchaseGrouping.SUPPLIER: f"SELECT p.supplier_id, {_COUNTS} FROM purchase p WHERE {_RELEVANT} "
                                         "GROUP BY p.supplier_id",
              PurchaseGrouping.PRODUCT: f"SELECT l.product_id, {_COUNTS} {_LINES} WHERE {_RELEVANT} "
                                        "GROUP BY l.product_id"}
TOTAL_COUNTS = f"SELECT {_COUNTS} FROM purchase p WHERE {_RELEVANT}"
SUPPLIER_NAMES = "SELECT id, name FROM supplier WHERE id IN ({ids})"
PRODUCT_INFO = ("SELECT p.id, p.code, p.name, c.name FROM product p LEFT JOIN category c ON c.id = p.category_id "
                "WHERE p.id IN ({ids})")
CHUNK = 500  # ids per IN list: a year of 100 000 products bought stays under any driver's bind limit


def _binds(rows: Rows, period: Period) -> dict[str, object]:
    start, end = day_bounds_utc(period.first, period.last)
    return {"first": day_bind(period.first, rows.dialect), "last": day_bind(period.last, rows.dialect),
            "start": utc_bind(start, rows.dialect), "end": utc_bind(end, rows.dialect), "rebase": LEGACY_REBASE_NOTE}


def _doc_sums(rows: Rows, by: PurchaseGrouping, binds: dict[str, object]) -> dict[object, list[int]]:
    """Notes and returns by document date (posted, or reversed since), per group key; then the
    reversals made in the period (a note's qty and value out, a return's back — and a reversed
    return's price difference out again: its credit is cancelled, as the profit report does); then
    the corrections booked in the period on purchase documents (re-bases excluded)."""
    line_group, move_group = _GROUP[by]
    out: dict[object, list[int]] = defaultdict(lambda: [0] * 8)
    for key, qin, qout, pin, pout, pdiff in rows.all(DOC_SUMS.format(g=line_group), **binds):
        out[key][QIN:POUT + 1] = [int(qin or 0), int(qout or 0), int(pin or 0), int(pout or 0)]
        out[key][PDIFF] = int(pdiff or 0)
    for key, qty, value, diff in rows.all(REVERSAL_SUMS.format(g=line_group), **binds):
        out[key][QREV] += int(qty or 0)
        out[key][REV] += int(value or 0)
        out[key][PDIFF] -= int(diff or 0)
    for key, value in rows.all(CORRECTION_SUMS.format(g=move_group), **binds):
        out[key][CORR] += int(value or 0)
    return out


def _row(key: str, label: str, category: str, v: list[int], counts: tuple[int, int, int]) -> PurchaseRow:
    net = v[PIN] - v[POUT] - v[REV] + v[CORR]
    net_qty = v[QIN] - v[QOUT] - v[QREV]
    return PurchaseRow(key, label, category, v[QIN], v[QOUT], v[PIN], v[POUT], net,
                       unit_cost_of(net, net_qty) if net_qty > 0 else 0, counts[0], counts[1],
                       v[QREV], v[REV], v[CORR], counts[2], v[PDIFF])


def _counts(notes: int | None, returns: int | None, reversals: int | None) -> tuple[int, int, int]:
    return int(notes or 0), int(returns or 0), int(reversals or 0)


def _by_id(rows: Rows, sql: str, ids: list[int]) -> list[tuple[object, ...]]:
    """``sql``'s rows for ``ids`` (its ``{ids}``), a chunk of binds at a time."""
    found: list[tuple[object, ...]] = []
    for at in range(0, len(ids), CHUNK):
        keys = {f"id{i}": value for i, value in enumerate(ids[at:at + CHUNK])}
        found += rows.all(sql.format(ids=", ".join(":" + k for k in keys)), **keys)
    return found


def purchase_report(rows: Rows, period: Period, by: PurchaseGrouping | str = PurchaseGrouping.SUPPLIER
                    ) -> PurchaseReport:
    by = PurchaseGrouping(by)
    binds = _binds(rows, period)
    sums = _doc_sums(rows, by, binds)
    counts = {key: _counts(a, b, c) for key, a, b, c in rows.all(DOC_COUNTS[by], **binds)}
    keys = [k for k, v in sums.items() if any(v) or any(counts.get(k, (0, 0, 0)))]
    keys += [k for k, c in counts.items() if any(c) and k not in sums]
    report_rows: list[PurchaseRow] = []
    if by is PurchaseGrouping.SUPPLIER:
        names = {i: n for i, n in _by_id(rows, SUPPLIER_NAMES, sorted(int(k) for k in keys if k is not None))}
        for k in keys:
            report_rows.append(_row("" if k is None else str(k), str(names.get(k) or "") or _("(no supplier)"), "",
                                    sums[k], counts.get(k, (0, 0, 0))))
    else:
        info = {pid: (code, name, cat) for pid, code, name, cat in _by_id(rows, PRODUCT_INFO, sorted(keys))}
        for k in keys:
            code, name, cat = info[k]
            report_rows.append(_row(str(code), str(name), str(cat or "") or _("Uncategorized"), sums[k],
                                    counts.get(k, (0, 0, 0))))
    report_rows.sort(key=lambda r: (-r.net, r.key))
    tot = [0] * 8
    for k in keys:
        for i, x in enumerate(sums[k]):
            tot[i] += x
    total = _row("total", _("Total"), "", tot, _counts(*rows.all(TOTAL_COUNTS, **binds)[0]))
    return PurchaseReport(period, by, tuple(report_rows), total)
