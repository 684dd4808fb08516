"""A return's share of a member's sale money: how much of the refund goes back to stored value and
to points (in the proportion the sale was paid with them: returned amount over the sale's total,
cumulated over all returns of the sale so the shares add up exactly), and the earned points each
returned line takes back (its share of what the line earned). The members package writes the moves."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import Payment, Sale, SaleLine
from jxc_desktop.domain.member_money import cumulative_share
from jxc_desktop.domain.pricing import prorate
from jxc_desktop.domain.tender import POINTS, STORED_VALUE


def refund_split(session: Session, origin: Sale, total: int, this_number: str) -> tuple[int, int, int, int]:
    """(stored value fen, points fen, the sale's points fen, points fen given back by earlier
    returns) of a return of ``total`` fen against ``origin``."""
    paid = {p.method: p.amount for p in origin.payments}
    sv_paid, pts_paid = paid.get(STORED_VALUE, 0), paid.get(POINTS, 0)
    if not sv_paid and not pts_paid:
        return 0, 0, 0, 0
    earlier = (Sale.origin_id == origin.id, Sale.kind == "return", Sale.status == "posted", Sale.number != this_number)
    done = int(session.scalar(select(func.coalesce(func.sum(Sale.total), 0)).where(*earlier)) or 0)
    pts_done = int(session.scalar(select(func.coalesce(func.sum(Payment.amount), 0))
                                  .join(Sale, Sale.id == Payment.sale_id).where(*earlier, Payment.method == POINTS))
                   or 0)
    return (cumulative_share(sv_paid, origin.total, done, total), cumulative_share(pts_paid, origin.total, done, total),
            pts_paid, pts_done)


def points_back(session: Session, src: SaleLine, qty: int, last: bool) -> int:
    """The earned points a return of ``qty`` of line ``src`` takes back."""
    if not src.points:
        return 0
    done = int(session.scalar(select(func.coalesce(func.sum(SaleLine.points), 0))
                              .join(Sale, Sale.id == SaleLine.sale_id)
                              .where(SaleLine.origin_line_id == src.id, Sale.status == "posted")) or 0)
    return prorate(src.points, qty, src.qty, done, last)


def refund_payments(method: str, total: int, stored_value: int, points_fen: int) -> list[Payment]:
    """The return's payments: stored value and points back to the member, the rest by ``method``."""
    rest = total - stored_value - points_fen
    out = [Payment(method=method, amount=rest, tendered=rest)] if rest or not (stored_value or points_fen) else []
    out += [Payment(method=m, amount=a, tendered=a) for m, a in ((STORED_VALUE, stored_value), (POINTS, points_fen)) if a]
    return out
