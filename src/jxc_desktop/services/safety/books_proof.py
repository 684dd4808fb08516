"""The books' proof for ``jxc check`` (issue 14): for the whole history and for each local calendar
month, opening value + receipts − supplier returns − cost of sales + cost of customer returns ±
count gains/losses ± corrections (± opening stock and batch adjustments) = closing value.

Each term is read independently: the documents' own figures (books_flows.document_flows) against
the ledger's moves of those documents (books_flows.ledger_flows); corrections, opening stock and
adjustments exist only as moves. A month's closing value is the ledger's (Σ moves up to its end);
the whole history closes on the products' cached values. Where a month's term differs between
documents and moves, that month is read line by line (only then) so the problem names the product
and the document. The profit report's months are compared with the ledger's sale flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from jxc_desktop.db.dialect_text import SQLITE
from jxc_desktop.db.text_reads import Rows
from jxc_desktop.services.safety.books_flows import (
    DOC_TERMS,
    MOVE_TERMS,
    TERM_OF_KIND,
    DocumentFlows,
    Flow,
    LedgerFlows,
    Months,
)

MAX_LINES = 100  # line-level findings per month and term
TERMS = ("opening_stock", "receipts", "supplier_returns", "cost_of_sales", "customer_returns", "counts",
         "corrections", "adjustments")
# How a term shows in the month table: receipts and what leaves the shelf as positive amounts.
_SHOWN_SIGN = {"supplier_returns": -1, "cost_of_sales": -1}


@dataclass(frozen=True)
class Finding:
    where: str
    detail: str
    product: str = ""
    document: str = ""
    month: str = ""
    kind: str = "books"


def month_table(months: Months, ledger: LedgerFlows, docs: DocumentFlows, cache_total: int
                ) -> tuple[list[dict[str, object]], list[Finding]]:
    """One row per month (and "total"): the terms as the documents give them, the move-only terms,
    opening and closing as the ledger holds them; a row whose terms do not add up is a finding."""
    rows: list[dict[str, object]] = []
    out: list[Finding] = []
    opening = 0
    total = {t: 0 for t in TERMS}
    for mo in months.labels:
        row: dict[str, object] = {"month": mo, "opening": opening}
        moved = sum(ledger.flows[(mo, t)].value for t in TERMS if (mo, t) in ledger.flows)
        closing = opening + moved
        computed = opening
        for t in TERMS:
            source = docs.flows if t in DOC_TERMS else ledger.flows
            value = source[(mo, t)].value if (mo, t) in source else 0
            computed += value
            total[t] += value
            row[t] = value * _SHOWN_SIGN.get(t, 1)
        row["closing"] = closing
        rows.append(row)
        if computed != closing:
            out.append(Finding("", f"{mo}: opening {opening} + the documents' terms = {computed} != closing value "
                                   f"{closing} in the ledger (difference {closing - computed})", month=mo))
        opening = closing
    whole = {"month": "total", "opening": 0, **{t: v * _SHOWN_SIGN.get(t, 1) for t, v in total.items()},
             "closing": cache_total}
    rows.append(whole)
    if sum(total.values()) != cache_total:
        out.append(Finding("", f"whole history: the terms add up to {sum(total.values())} != {cache_total}, the "
                               f"products' cached stock value (difference {cache_total - sum(total.values())})"))
    return rows, out


def term_differences(months: Months, ledger: LedgerFlows, docs: DocumentFlows) -> list[tuple[int, str]]:
    """(month index, term) where the documents and the moves differ in qty, value or checksum."""
    out = []
    for i, mo in enumerate(months.labels):
        for t in DOC_TERMS:
            a, b = docs.flows.get((mo, t), Flow()), ledger.flows.get((mo, t), Flow())
            if (a.qty, a.value, a.weighted) != (b.qty, b.value, b.weighted):
                out.append((i, t))
    return out


# ------------------------------------------------------------------ line by line, for one month


def _lines_sql(term: str, start: str, end: str, first: date, last: date) -> tuple[str, dict[str, object]]:
    """Per document line of ``term`` in the month: (line id, number, line no, product, qty, value)
    in the moves' sign."""
    params: dict[str, object] = {"a": start, "b": end, "d1": first.isoformat(), "d2": last.isoformat()}
    if term in ("cost_of_sales", "customer_returns"):
        kind, sign = ("sale", -1) if term == "cost_of_sales" else ("return", 1)
        return (f"""SELECT l.id, s.number, l.line_no, l.product_id, {sign} * l.qty, {sign} * l.cost
                    FROM sale_line l JOIN sale s ON s.id = l.sale_id
                    WHERE l.kind = '{kind}' AND l.status = 'posted' AND l.business_day BETWEEN :d1 AND :d2""", params)
    if term == "counts":
        return ("""SELECT l.id, c.number, 0, l.product_id, l.diff_qty, l.diff_value
                   FROM stock_count_line l JOIN stock_count c ON c.id = l.count_id
                   WHERE c.status = 'posted' AND c.posted_at >= :a AND c.posted_at < :b""", params)
    kind, sign = ("purchase", 1) if term == "receipts" else ("return", -1)
    return (f"""SELECT l.id, p.number, l.line_no, l.product_id, {sign} * l.qty, {sign} * l.amount
                FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
                WHERE p.kind = '{kind}' AND p.status IN ('posted', 'reversed')
                  AND p.posted_at >= :a AND p.posted_at < :b
                UNION ALL
                SELECT l.id, p.number, l.line_no, l.product_id, {-sign} * l.qty, {-sign} * l.amount
                FROM purchase_line l JOIN purchase p ON p.id = l.purchase_id
                WHERE p.kind = '{kind}' AND p.status = 'reversed' AND p.reversed_at >= :a AND p.reversed_at < :b""",
            params)


_SALE_KIND = {"cost_of_sales": "sale", "customer_returns": "return"}
_WHAT = {"cost_of_sales": "cost snapshot", "customer_returns": "returned cost", "receipts": "note amount",
         "supplier_returns": "return amount", "counts": "count difference"}


def month_lines(rows: Rows, months: Months, i: int, term: str) -> list[Finding]:
    """The lines of ``term`` in month ``i`` whose document and moves differ, and moves of that term
    whose document line is not there (each with its product code and document number)."""
    mo = months.labels[i]
    # Open ends as text that cannot pass for a number (a DATETIME column has numeric affinity: '0000'
    # would be compared as the number 0, and every text sorts after every number).
    start = months.starts[i] if i > 0 else "0000-00-00"
    end = months.end_text(i) or "9999-99-99"
    first = months.firsts[i] if i > 0 else date.min
    last = (months.firsts[i + 1] - timedelta(days=1)) if i + 1 < len(months.firsts) else date.max
    sql, params = _lines_sql(term, start, end, first, last)
    if months.dialect != SQLITE:  # a timestamptz column: instants, not text
        params["a"] = _instant(months.starts[i]) if i > 0 else datetime(1, 1, 2, tzinfo=UTC)
        params["b"] = _instant(months.end_text(i)) if months.end_text(i) else datetime(9999, 12, 30, tzinfo=UTC)
    expected: dict[int, list[object]] = {}
    for lid, number, line_no, pid, qty, value in rows.each(sql, **params):
        row = expected.setdefault(lid, [number, line_no, pid, 0, 0])
        row[3] = int(row[3]) + int(qty or 0)  # type: ignore[call-overload]
        row[4] = int(row[4]) + int(value or 0)  # type: ignore[call-overload]
    kinds = ", ".join(f"'{k}'" for k, t in TERM_OF_KIND.items() if t == term)
    moved: dict[int | None, list[object]] = {}
    for lid, number, pid, qty, value in rows.each(f"""
            SELECT doc_line_id, max(doc_number), max(product_id), sum(qty), sum(value) FROM stock_move
            WHERE created_at >= :a AND created_at < :b AND kind IN ({kinds}) GROUP BY doc_line_id""", **params):
        moved[lid] = [number, pid, int(qty or 0), int(value or 0)]
    codes = _codes(rows, {int(r[2]) for r in expected.values()} | {int(r[1]) for r in moved.values() if r[1]})  # type: ignore[call-overload]
    out: list[Finding] = []
    what = _WHAT[term]
    for lid in sorted(set(expected) | {k for k in moved if k is not None}, key=lambda k: k):
        doc, mv = expected.get(lid), moved.get(lid)
        dq, dv = (int(doc[3]), int(doc[4])) if doc else (0, 0)  # type: ignore[call-overload]
        mq, mval = (int(mv[2]), int(mv[3])) if mv else (0, 0)  # type: ignore[call-overload]
        if (dq, dv) == (mq, mval):
            continue
        number = str(doc[0]) if doc else str(mv[0])  # type: ignore[index]
        pid = int(doc[2]) if doc else int(mv[1])  # type: ignore[index, call-overload]
        code = codes.get(pid, f"#{pid}")
        line = f" line {doc[1]}" if doc and doc[1] else ""
        qty = f" (qty {abs(dq)} != {abs(mq)})" if dq != mq else ""
        if doc is None:
            out.append(Finding(code, f"{mo}: moves of {number} ({term}) value {mval}, qty {mq} belong to no {what} "
                                     f"in that month", code, number, mo))
        elif term in _SALE_KIND:  # as the sale checks always said it: where = the sale's number
            out.append(Finding(number, f"line {doc[1]} ({code}): cost snapshot {dv if term == 'customer_returns' else -dv} != "
                                       f"stock moves {mval} ({_SALE_KIND[term]}){qty}", code, number, mo, "ledger"))
        else:
            out.append(Finding(code, f"{mo}: {number}{line}: {what} {abs(dv)} != stock moves {abs(mval)}{qty}",
                               code, number, mo))
        if len(out) >= MAX_LINES:
            break
    if None in moved:
        number, pid, q, v = moved[None]
        out.append(Finding(codes.get(int(pid), ""), f"{mo}: {term} moves without a document line: value {v}, qty {q}",  # type: ignore[call-overload]
                           codes.get(int(pid), ""), str(number), mo))  # type: ignore[call-overload]
    return out


def _instant(stored: str | None) -> datetime:
    assert stored is not None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


def _codes(rows: Rows, ids: set[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    ids_list = sorted(ids)
    for i in range(0, len(ids_list), 500):
        chunk = ", ".join(str(x) for x in ids_list[i:i + 500])
        out.update({int(pid): str(code) for pid, code in rows.each(f"SELECT id, code FROM product WHERE id IN ({chunk})")})
    return out


def sale_header_findings(rows: Rows, docs: DocumentFlows) -> list[Finding]:
    """Each sale's cost equals the sum of its lines' cost snapshots: compared per day, then the sales
    of a day that differs one by one."""
    days = sorted({day for key, cost in docs.sale_costs.items() if docs.line_costs.get(key, 0) != cost for day in [key[0]]}
                  | {key[0] for key, cost in docs.line_costs.items() if key not in docs.sale_costs and cost})
    out: list[Finding] = []
    for day in days[:MAX_LINES]:
        for number, cost, lines in rows.each("""
                SELECT s.number, s.cost, coalesce((SELECT sum(cost) FROM sale_line WHERE sale_id = s.id), 0)
                FROM sale s WHERE s.business_day = :d""", d=day):
            if cost != lines:
                out.append(Finding(number, f"sale cost {cost} != Σ line costs {lines}", "", number, day[:7],
                                   kind="ledger"))
    return out


# ------------------------------------------------------------------ the profit report


def profit_findings(months: Months, ledger: LedgerFlows, rows: dict[str, object]) -> list[Finding]:
    """The profit report by month (``rows``: month -> ProfitRow) against the ledger: COGS = −(Σ sale
    + sale_return moves), count gains/losses = the count moves, and — where the report has the
    column (issue 14) — corrections = −(Σ sale-linked cost_fix + legacy re-base moves)."""
    out: list[Finding] = []
    for mo in months.labels:
        row = rows.get(mo)
        flows = {k: v for (m, k), v in ledger.by_kind.items() if m == mo}
        figures = {"cogs": -(flows.get("sale", 0) + flows.get("sale_return", 0)),
                   "count_gain": flows.get("count_gain", 0), "count_loss": -flows.get("count_loss", 0)}
        if row is not None and hasattr(row, "corrections"):
            figures["corrections"] = -ledger.profit_corrections.get(mo, 0)
        for name, want in figures.items():
            got = int(getattr(row, name, 0) or 0) if row is not None else 0
            if got != want:
                out.append(Finding(mo, f"profit report {name} {got} != the ledger's {want} for {mo}", month=mo,
                                   kind="profit"))
    return out


__all__ = ["MOVE_TERMS", "TERMS", "Finding", "month_lines", "month_table", "profit_findings",
           "sale_header_findings", "term_differences"]
