"""The books check's drawer rule written as SQL text in session 18 (books_cash.cash_findings) finds
exactly what the SQLAlchemy rule it replaced found (books_cash_reference.py), on SQLite and
PostgreSQL, in four time zones around a daylight-saving change: the shifts of
test_shift_day_reference.fill (opened and closed on the local days' edges), then two closed
shifts' stored expectations altered, and sales and cash moves moved to 1 µs after their shift
closed — and others to the very instant it closed, which is not late."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from jxc_desktop.db.models import CashMove, Sale, Shift
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety.books_cash import cash_findings
from tests.integration import books_cash_reference as ref
from tests.integration.test_plain_reads_reference import read_in_other_zone, zone  # noqa: F401  (the fixture)
from tests.integration.test_shift_day_reference import fill

US = timedelta(microseconds=1)


def tamper(services: Services) -> dict[str, int]:
    """The shifts' rows altered by hand; returns the ids the findings must name."""
    with services.db.write() as uow:
        s = uow.session
        closed = list(s.scalars(select(Shift).where(Shift.status == "closed").order_by(Shift.id)))
        short, late_sale, over, late_move, on_time = closed[0], closed[1], closed[2], closed[3], closed[4]
        assert short.expected is not None and over.expected is not None
        short.expected += 100
        over.expected -= 50
        sales = list(s.scalars(select(Sale).where(Sale.shift_id == late_sale.id).order_by(Sale.id)))
        sales[0].created_at = late_sale.closed_at + US
        moves = list(s.scalars(select(CashMove).where(CashMove.shift_id == late_move.id).order_by(CashMove.id)))
        moves[0].at = late_move.closed_at + US
        moves[1].at = late_move.closed_at  # the instant it closed: not late
        for sale in s.scalars(select(Sale).where(Sale.shift_id == on_time.id)):
            sale.created_at = on_time.closed_at
        found = {"short": short.id, "over": over.id, "late_sale": late_sale.id, "late_move": late_move.id,
                 "move": moves[0].id}
        uow.commit()
    return found


def test_the_text_finds_what_the_orm_found(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    with read_in_other_zone(services) as (s, rows):
        assert cash_findings(rows) == ref.cash_findings(s) == []  # the shop as made adds up
    ids = tamper(services)
    with read_in_other_zone(services) as (s, rows):
        got = cash_findings(rows)
        assert got == ref.cash_findings(s)
    # what the comparison covered: two shifts' cash (by id), one late sale, one late move (the move
    # and the sales at the very instant of the close are not late)
    assert [w for w, _ in got] == [f"shift {ids[k]}" for k in ("short", "over", "late_sale", "late_move")]
    assert "cash expected at close" in got[1][1] and "is dated after the shift closed" in got[2][1]
    assert got[3][1] == f"cash move {ids['move']} is dated after the shift closed"
