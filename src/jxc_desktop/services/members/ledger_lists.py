"""A member's points and stored-value ledgers (oldest first, each move with the balance after it)
as SQL text either driver runs: the members' money service in its session (the members tab), and
``jxc members ledger`` on sqlite3 alone (issue 15) — and the balances a receipt prints after its
sale (sales reads them through the face, ``jxc receipt`` on sqlite3 alone)."""

from __future__ import annotations

from datetime import datetime

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Rows, as_date, as_utc
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.services.members.money_dto import PointsMoveDTO, ValueMoveDTO

MAX_ROWS = 10_000  # a ledger shows its first moves up to this many
IS_MEMBER = "SELECT member_level_id FROM customer WHERE id = :member"
POINTS = ("SELECT m.id, m.at, m.kind, m.points, s.number, m.note, m.actor FROM points_move m "
          "LEFT OUTER JOIN sale s ON s.id = m.sale_id WHERE m.customer_id = :member ORDER BY m.id LIMIT :limit")
VALUE = ("SELECT m.id, m.at, m.business_day, m.kind, m.amount, m.number, s.number, m.method, m.note, m.actor "
         "FROM stored_value_move m LEFT OUTER JOIN sale s ON s.id = m.sale_id "
         "WHERE m.customer_id = :member ORDER BY m.id LIMIT :limit")

# A balance just after a sale: up to the sale's last move, or up to its time when it moved nothing.
# (table, the signed column): points in points, stored value in fen.
_LEDGERS = (("points_move", "points"), ("stored_value_move", "amount"))
LAST_MOVE = "SELECT max(id) FROM {table} WHERE sale_id = :sale"
UPTO_MOVE = "SELECT coalesce(sum({column}), 0) FROM {table} WHERE customer_id = :member AND id <= :last"
UPTO_TIME = "SELECT coalesce(sum({column}), 0) FROM {table} WHERE customer_id = :member AND at <= :at"


def balances_after_sale(rows: Rows, member_id: int, sale_id: int, at: datetime) -> tuple[int, int]:
    """(points, stored value fen) a member held just after a sale or return (a reprint shows the same)."""
    def upto(table: str, column: str) -> int:
        last = rows.all(LAST_MOVE.format(table=table), sale=sale_id)[0][0]
        if last is not None:
            found = rows.all(UPTO_MOVE.format(table=table, column=column), member=member_id, last=last)
        else:
            found = rows.all(UPTO_TIME.format(table=table, column=column), member=member_id,
                             at=utc_bind(at, rows.dialect))
        return int(found[0][0] or 0)

    points, value = (upto(table, column) for table, column in _LEDGERS)
    return points, value


def check_member(rows: Rows, member_id: int) -> None:
    """NotFoundError unless the id names a customer with a level (as ledgers.member_row)."""
    found = rows.all(IS_MEMBER, member=member_id)
    if not found or found[0][0] is None:
        raise NotFoundError("Member {id} does not exist", id=member_id)


def points_ledger(rows: Rows, member_id: int) -> list[PointsMoveDTO]:
    check_member(rows, member_id)
    out, bal = [], 0
    for mid, at, kind, points, number, note, actor in rows.all(POINTS, member=member_id, limit=MAX_ROWS):
        bal += points
        when = as_utc(at)
        assert when is not None  # the column is NOT NULL
        out.append(PointsMoveDTO(mid, when, kind, points, number or "", note, actor, bal))
    return out


def value_ledger(rows: Rows, member_id: int) -> list[ValueMoveDTO]:
    check_member(rows, member_id)
    out, bal = [], 0
    for mid, at, day, kind, amount, own, number, method, note, actor in rows.all(VALUE, member=member_id,
                                                                                 limit=MAX_ROWS):
        bal += amount
        when, business_day = as_utc(at), as_date(day)
        assert when is not None and business_day is not None  # the columns are NOT NULL
        out.append(ValueMoveDTO(mid, when, business_day, kind, amount, own or number or "", method, note, actor, bal))
    return out
