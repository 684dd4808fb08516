"""The member sales of a period (visits, sales less returns, what member prices saved them, the
members' share of all sales) and what the shop owes its members (points and stored value
outstanding), as SQL text either driver runs (db/text_reads.py): the members service and the
member sales report run it in their sessions, ``jxc report members`` on sqlite3 alone (issue 15).

A visit is a posted sale naming the member; a return names the member of its sale (checkout keeps
it) and lowers what they spent. Reversed sales count for nothing.
"""

from __future__ import annotations

from datetime import date

from jxc_desktop.db.dialect_text import day_bind
from jxc_desktop.db.text_reads import Rows, as_date
from jxc_desktop.domain.pricing import line_value
from jxc_desktop.services.members.dto import Liabilities, MemberSales, MemberSalesRow

_SIGNED_TOTAL = "CASE WHEN s.kind = 'return' THEN -s.total ELSE s.total END"
_IN_PERIOD = "s.status = 'posted' AND s.business_day >= :first AND s.business_day <= :last"

_MEMBERS = (
    "SELECT s.member_id, c.name, c.phone, l.name, sum(CASE WHEN s.kind = 'sale' THEN 1 ELSE 0 END), "
    f"sum({_SIGNED_TOTAL}), max(s.business_day) "
    "FROM sale s JOIN customer c ON c.id = s.member_id LEFT OUTER JOIN member_level l ON l.id = c.member_level_id "
    f"WHERE s.member_id IS NOT NULL AND {_IN_PERIOD} GROUP BY s.member_id, c.name, c.phone, l.name "
    f"ORDER BY sum({_SIGNED_TOTAL}) DESC, s.member_id")
_SAVED = (
    "SELECT s.member_id, sl.kind, sl.qty, sl.list_price, sl.unit_price "
    "FROM sale_line sl JOIN sale s ON s.id = sl.sale_id "
    "WHERE s.member_id IS NOT NULL AND sl.status = 'posted' AND sl.list_price IS NOT NULL "
    "AND sl.business_day >= :first AND sl.business_day <= :last")
_ALL_SALES = f"SELECT coalesce(sum({_SIGNED_TOTAL}), 0) FROM sale s WHERE {_IN_PERIOD}"
_MEMBERS_SALES = f"SELECT coalesce(sum({_SIGNED_TOTAL}), 0) FROM sale s WHERE s.member_id IS NOT NULL AND {_IN_PERIOD}"
_OWED = ("SELECT count(id), coalesce(sum(points), 0), coalesce(sum(stored_value), 0), "
         "coalesce(sum(CASE WHEN points != 0 THEN 1 ELSE 0 END), 0), "
         "coalesce(sum(CASE WHEN stored_value != 0 THEN 1 ELSE 0 END), 0) "
         "FROM customer WHERE member_level_id IS NOT NULL")


def _saved(rows: Rows, binds: dict[str, object]) -> dict[int, int]:
    """What the price level saved each member on the period's sales, less what came back."""
    saved: dict[int, int] = {}
    for member_id, kind, qty, list_price, unit_price in rows.each(_SAVED, **binds):
        value = max(0, line_value(qty, list_price) - line_value(qty, unit_price))
        saved[int(member_id)] = saved.get(int(member_id), 0) + (-value if kind == "return" else value)
    return saved


def member_sales(rows: Rows, first: date, last: date, *, top: int | None = None) -> MemberSales:
    """Each member who bought in the period (most sales first); ``top``: only the first so many."""
    binds: dict[str, object] = {"first": day_bind(first, rows.dialect), "last": day_bind(last, rows.dialect)}
    sql = _MEMBERS
    if top is not None:
        sql, binds = f"{sql} LIMIT :top", binds | {"top": top}
    found = rows.all(sql, **binds)
    binds.pop("top", None)
    saved = _saved(rows, binds)
    got = tuple(MemberSalesRow(int(mid), name, phone, level or "", int(visits or 0), int(total or 0),
                               saved.get(int(mid), 0), as_date(last_day))
                for mid, name, phone, level, visits, total, last_day in found)
    all_sales = int(rows.all(_ALL_SALES, **binds)[0][0] or 0)
    members_total = int(rows.all(_MEMBERS_SALES, **binds)[0][0] or 0)
    share = (members_total * 100 * 2 + all_sales) // (2 * all_sales) if all_sales > 0 else 0
    return MemberSales(first, last, got, sum(r.visits for r in got), members_total, sum(saved.values()), int(share))


def liabilities(rows: Rows) -> Liabilities:
    """Points and stored value the members hold now (the cached balances the ledgers prove)."""
    members, points, stored, with_points, with_value = rows.all(_OWED)[0]
    return Liabilities(int(members), int(points), int(stored), int(with_points), int(with_value))
