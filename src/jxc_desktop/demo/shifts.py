"""Demo staff and shifts (``jxc demo``): two cashiers and their shifts over the history, so the
reports by cashier and the over/short history have something to show.

A final step, after every other: each past day has one shift (a quiet day, one cashier) or two
(morning and evening, one cashier each); the day's sales and returns already posted go to the
shift their time falls in. Now and then a cashier pays a delivery man out of the drawer, and
some counts come out a little over or short. Draws only from its own generator per day, so the
rest of the demo shop is the same as without it.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select, update

from jxc_desktop.db.models import Sale
from jxc_desktop.demo.timeline import local_moment
from jxc_desktop.services.staff import shift_figures, shifts
from jxc_desktop.services.staff.dto import PersonDTO

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

CASHIERS = (("王芳", "1", "1111"), ("李强", "2", "2222"))
FLOAT = 20000  # 200 yuan in the drawer at the start of a shift
PAY_OUTS = ("付送货费", "买塑料袋", "付清洁费")


def demo_shifts_final(services: Services, today: date, _rng: random.Random) -> None:
    with services.db.read() as uow:
        first = uow.session.scalar(select(func.min(Sale.business_day)))
    if first is None:
        return
    people = [services.staff.add(name, number, pin) for name, number, pin in CASHIERS]
    day = first
    while day < today:
        _day(services, day, people, random.Random(f"shifts-{day.isoformat()}"))
        day += timedelta(days=1)


def _day(services: Services, day: date, people: list[PersonDTO], rng: random.Random) -> None:
    """The day's shifts in one transaction (a shift's five steps each committed would cost a
    year's demo minutes of fsync)."""
    start, end = local_moment(day, 6, 50), local_moment(day, 22, 10)
    if rng.random() < 0.3:  # a quiet day: one cashier all day
        spans = [(rng.choice(people), start, end)]
    else:
        middle = local_moment(day, 14, 30)
        first = rng.choice(people)
        second = people[1] if first is people[0] else people[0]
        spans = [(first, start, middle), (second, middle, end)]
    with services.db.write() as uow:
        s = uow.session
        for person, opened, closed in spans:
            shift = shifts.open_in(s, person.id, FLOAT, at=opened)
            s.execute(update(Sale).where(Sale.created_at >= opened, Sale.created_at < closed)
                      .values(shift_id=shift.id, cashier_id=person.id))
            pay_out, reason = rng.choice((1000, 2000, 3000, 5000)), rng.choice(PAY_OUTS)
            expected = shift_figures.live_expected(s, shift)
            if rng.random() < 0.25 and pay_out <= expected:  # only what the drawer holds
                shifts.cash_move_in(s, shift.id, -pay_out, reason, person_id=person.id,
                                    at=opened + (closed - opened) / 2)
                expected -= pay_out
            over_short = 0 if rng.random() < 0.7 else rng.choice((-1000, -500, -100, -50, 50, 100))
            counted = max(0, expected + over_short)
            shifts.close_in(s, shift.id, counted=counted, pieces=None, float_left=min(FLOAT, counted), at=closed)
        uow.commit()
