"""``MemberMoneyService``: what the till, the members screen and ``jxc members`` ask of members'
money — top-ups, the owner's adjustments, the two ledgers, the rules and the liabilities."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Customer, PointsMove, StoredValueMove
from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.member_money import fen_for_points
from jxc_desktop.services.members import ledger_lists, topup_sums
from jxc_desktop.services.members.ledgers import member_row
from jxc_desktop.services.members.money_dto import (
    MoneyFigures,
    MoneyRulesDTO,
    PointsMoveDTO,
    TopUpResult,
    ValueMoveDTO,
)
from jxc_desktop.services.members.money_rules import money_rules
from jxc_desktop.services.members.topup import adjust_points_in, adjust_value_in, topup_in


def money_figures_in(session: Session, start: date | None = None, end: date | None = None) -> MoneyFigures:
    """Stored value and points outstanding now; top-ups, bonus and spending in [start, end]."""
    rules = money_rules(session)
    sv, pts, holders = session.execute(select(
        func.coalesce(func.sum(Customer.stored_value), 0), func.coalesce(func.sum(Customer.points), 0),
        func.coalesce(func.sum(case((Customer.stored_value > 0, 1), else_=0)), 0))
        .where(Customer.member_level_id.is_not(None))).one()
    sums: dict[str, int] = {}
    if start is not None and end is not None:
        if end < start:
            raise ValidationError("The period ends before it starts")
        sums = {k: int(v or 0) for k, v in session.execute(
            select(StoredValueMove.kind, func.sum(StoredValueMove.amount))
            .where(StoredValueMove.business_day >= start, StoredValueMove.business_day <= end)
            .group_by(StoredValueMove.kind))}
    return MoneyFigures(int(sv), int(pts), fen_for_points(int(pts), rules.redeem_rate), int(holders),
                       sums.get("topup", 0), sums.get("bonus", 0), -(sums.get("pay", 0) + sums.get("refund", 0)))


def topups_by_method(session: Session, start: date, end: date) -> dict[str, int]:
    """Money received by stored-value top-ups in [start, end] (local days), per method, fen."""
    return topup_sums.topups_by_method(SessionRows(session), start, end)


def balances_after_sale(session: Session, member_id: int, sale_id: int, at: datetime) -> tuple[int, int]:
    """(points, stored value fen) a member held just after a sale or return (a reprint shows the
    same): the moves up to the sale's last move, or up to its time when it moved nothing."""
    def upto(model: type[PointsMove] | type[StoredValueMove], column: Any) -> int:
        last = session.scalar(select(func.max(model.id)).where(model.sale_id == sale_id))
        cond = model.id <= last if last is not None else model.at <= at
        return int(session.scalar(select(func.coalesce(func.sum(column), 0))
                                  .where(model.customer_id == member_id, cond)) or 0)
    return upto(PointsMove, PointsMove.points), upto(StoredValueMove, StoredValueMove.amount)


@dataclass(frozen=True)
class MemberMoneyService:
    db: Database
    clock: Callable[[], datetime] = field(default=utcnow)

    def rules(self) -> MoneyRulesDTO:
        with self.db.read() as uow:
            r = money_rules(uow.session)
        return MoneyRulesDTO(r.points_per_yuan, r.redeem_rate, r.points_on_promoted, r.sv_pin_limit)

    def topup(self, member_id: int, amount: int, *, bonus: int = 0, method: str = "cash",
              shift_id: int | None = None, person_id: int | None = None, actor: str = "",
              at: datetime | None = None) -> TopUpResult:
        with self.db.write() as uow:
            result = topup_in(uow.session, member_id, amount, bonus=bonus, method=method, at=at or self.clock(),
                              shift_id=shift_id, person_id=person_id, actor=actor)
            uow.commit()
        return result

    def adjust_stored_value(self, member_id: int, amount: int, note: str, *, actor: str = "") -> int:
        """Owner only: the front end asks the owner PIN first (ui/guard.run_as_owner)."""
        with self.db.write() as uow:
            after = adjust_value_in(uow.session, member_id, amount, note, at=self.clock(), actor=actor)
            uow.commit()
        return after

    def adjust_points(self, member_id: int, points: int, note: str, *, actor: str = "") -> int:
        """Owner only: the front end asks the owner PIN first (ui/guard.run_as_owner)."""
        with self.db.write() as uow:
            after = adjust_points_in(uow.session, member_id, points, note, at=self.clock(), actor=actor)
            uow.commit()
        return after

    def balances(self, member_id: int) -> tuple[int, int]:
        """(points, stored value fen) of a member."""
        with self.db.read() as uow:
            m = member_row(uow.session, member_id)
            return int(m.points or 0), int(m.stored_value or 0)

    def points_ledger(self, member_id: int) -> list[PointsMoveDTO]:
        """Oldest first, each with the balance after it (ledger_lists.py: SQL text)."""
        with self.db.read() as uow:
            return ledger_lists.points_ledger(SessionRows(uow.session), member_id)

    def value_ledger(self, member_id: int) -> list[ValueMoveDTO]:
        with self.db.read() as uow:
            return ledger_lists.value_ledger(SessionRows(uow.session), member_id)

    def figures(self, start: date | None = None, end: date | None = None) -> MoneyFigures:
        with self.db.read() as uow:
            return money_figures_in(uow.session, start, end)
