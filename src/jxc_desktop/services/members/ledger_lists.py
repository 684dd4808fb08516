"""A member's points and stored-value ledgers (oldest first, each move with the balance after it)
as SQL text either driver runs: the members' money service in its session (the members tab), and
``jxc members ledger`` on sqlite3 alone (issue 15)."""

from __future__ import annotations

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
