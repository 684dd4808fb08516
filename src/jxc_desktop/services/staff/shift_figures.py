"""A shift's figures from the rows: its sales and returns, takings per method, the cash moves,
and the cash the drawer should hold. Written once as SQL text run by either driver
(db/text_reads.py): the shift service, the day summary (through the api), the shifts report and the
books check run it in their sessions (the books check also on sqlite3 alone: ``jxc check``); ``jxc shifts list``, ``jxc sales summary`` and ``jxc shift
slip`` (one shift: :func:`shift_by_id`) on sqlite3 alone (issue 15: the commands never build
SQLAlchemy)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from jxc_desktop.db.dialect_text import utc_bind
from jxc_desktop.db.text_reads import Row, Rows, SessionRows, Where, as_utc
from jxc_desktop.domain.cash_count import expected_cash
from jxc_desktop.domain.clock import day_bounds_utc
from jxc_desktop.domain.errors import NotFoundError
from jxc_desktop.domain.tender import METHODS
from jxc_desktop.services.staff.dto import CashMoveDTO, ShiftSummary

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from jxc_desktop.db.models import Shift

# A shift as the figures need it, in this order (also what :func:`shift_row` makes of a model).
SHIFT_COLUMNS = ("id", "till", "person_id", "status", "opened_at", "closed_at", "float_amount", "expected",
                 "counted", "float_left", "counted_detail")
SHIFTS = f"SELECT {', '.join(SHIFT_COLUMNS)} FROM shift"


def _detail(text: str) -> dict[int, int]:
    try:
        data = json.loads(text) if text else {}
        return {int(k): int(v) for k, v in data.items()}
    except (ValueError, AttributeError, TypeError):
        return {}


def shift_row(shift: Shift) -> Row:
    """A mapped shift as the row :data:`SHIFTS` reads."""
    return tuple(getattr(shift, name) for name in SHIFT_COLUMNS)


def _opened(rows: Rows, first: date, last: date, order: str) -> list[ShiftSummary]:
    start, end = day_bounds_utc(first, last)
    binds = {"start": utc_bind(start, rows.dialect), "end": utc_bind(end, rows.dialect)}
    return figures(rows, rows.all(f"{SHIFTS} WHERE opened_at >= :start AND opened_at < :end ORDER BY {order}",
                                  **binds))


def shift_by_id(rows: Rows, shift_id: int) -> ShiftSummary:
    """One shift with its figures (its slip)."""
    found = rows.all(f"{SHIFTS} WHERE id = :shift", shift=shift_id)
    if not found:
        raise NotFoundError("Shift {id} does not exist", id=shift_id)
    return figures(rows, found)[0]


def shifts_between(rows: Rows, first: date, last: date) -> list[ShiftSummary]:
    """The shifts opened from local day ``first`` to ``last``, by opening time (``jxc shifts list``)."""
    return _opened(rows, first, last, "opened_at, id")


def closed_shifts(rows: Rows) -> list[ShiftSummary]:
    """Every closed shift with its figures, by id (the books check's drawer proof)."""
    return figures(rows, rows.all(f"{SHIFTS} WHERE status = 'closed' ORDER BY id"))


def shifts_of_day(rows: Rows, day: date) -> list[ShiftSummary]:
    """The shifts opened on a local day, oldest first (the 日结 slip)."""
    return _opened(rows, day, day, "id")


def figures(rows: Rows, shifts: Sequence[Row]) -> list[ShiftSummary]:
    """The figures of several shifts (rows as :data:`SHIFTS` reads them): one grouped query per
    kind of row, not one per shift."""
    if not shifts:
        return []
    wanted = sorted({int(r[0]) for r in shifts})
    ids = Where(posted="posted")
    ids.one_of("s.shift_id", "shift", wanted)
    ids.add("s.status = :posted")
    posted, binds = ids.sql(), ids.binds
    of_moves = Where()
    of_moves.one_of("m.shift_id", "shift", wanted)
    names = {int(pid): str(name) for pid, name in rows.all("SELECT id, name FROM person")}
    agg: dict[tuple[int, str], tuple[int, int]] = {
        (int(sid), kind): (int(n), int(t or 0)) for sid, kind, n, t in rows.all(
            f"SELECT s.shift_id, s.kind, count(*), sum(s.total) FROM sale s{posted} GROUP BY s.shift_id, s.kind",
            **binds)}
    methods: dict[int, dict[str, int]] = defaultdict(dict)
    cash: dict[tuple[int, str], int] = {}
    for sid, kind, method, amount in rows.all(
            f"SELECT s.shift_id, s.kind, p.method, sum(p.amount) FROM payment p JOIN sale s ON s.id = p.sale_id"
            f"{posted} GROUP BY s.shift_id, s.kind, p.method", **binds):
        sign = -1 if kind == "return" else 1
        methods[int(sid)][method] = methods[int(sid)].get(method, 0) + sign * int(amount or 0)
        if method == "cash":
            cash[(int(sid), kind)] = int(amount or 0)
    discounts = {int(sid): int(d or 0) for sid, d in rows.all(
        f"SELECT s.shift_id, sum(l.discount) FROM sale_line l JOIN sale s ON s.id = l.sale_id{posted} "
        "AND s.kind = 'sale' GROUP BY s.shift_id", **binds)}
    moves: dict[int, list[CashMoveDTO]] = defaultdict(list)
    for mid, sid, at, amount, reason, pid in rows.all(
            f"SELECT m.id, m.shift_id, m.at, m.amount, m.reason, m.person_id FROM cash_move m{of_moves.sql()} "
            "ORDER BY m.id", **of_moves.binds):
        moves[int(sid)].append(CashMoveDTO(int(mid), _utc(at), int(amount), reason or "", names.get(pid, "")))
    return [_summary(r, agg, methods[int(r[0])], cash, discounts, tuple(moves.get(int(r[0]), ())), names)
            for r in shifts]


def _utc(value: Any) -> datetime:
    when = as_utc(value)
    assert when is not None  # NOT NULL
    return when


def _summary(r: Row, agg: dict[tuple[int, str], tuple[int, int]], methods: dict[str, int],
             cash: dict[tuple[int, str], int], discounts: dict[int, int], mv: tuple[CashMoveDTO, ...],
             names: dict[int, str]) -> ShiftSummary:
    sid, till, person_id, status, opened, closed, float_amount, expected, counted, float_left, detail = r
    sid = int(sid)
    sn, st = agg.get((sid, "sale"), (0, 0))
    rn, rt = agg.get((sid, "return"), (0, 0))
    cash_in = sum(m.amount for m in mv if m.amount > 0)
    cash_out = -sum(m.amount for m in mv if m.amount < 0)
    cash_sales, cash_refunds = cash.get((sid, "sale"), 0), cash.get((sid, "return"), 0)
    live = expected_cash(float_amount, cash_sales, cash_refunds, cash_in, cash_out)
    by_method = {m: methods[m] for m in METHODS if m in methods}
    return ShiftSummary(
        sid, till, names.get(person_id, ""), person_id, status, _utc(opened), as_utc(closed), float_amount,
        sn, st, rn, rt, discounts.get(sid, 0), by_method, cash_sales, cash_refunds, cash_in, cash_out,
        expected if expected is not None else live, counted, float_left, _detail(detail or ""), mv)


def summaries(session: Session, shifts: Iterable[Shift]) -> list[ShiftSummary]:
    """:func:`figures` of mapped shifts, in the caller's session."""
    return figures(SessionRows(session), [shift_row(s) for s in shifts])


def summary(session: Session, shift: Shift) -> ShiftSummary:
    return summaries(session, [shift])[0]


def live_expected(session: Session, shift: Shift) -> int:
    """The cash the drawer should hold now, from the rows (ignores what a close stored)."""
    s = summary(session, shift)
    return expected_cash(s.float_amount, s.cash_sales, s.cash_refunds, s.cash_in, s.cash_out)
