"""The shifts report (交班) written as SQL text in session 16 gives exactly what the SQLAlchemy
report it replaced gave (shifts_reference.py), on SQLite and PostgreSQL, in four time zones around
a daylight-saving change: shifts opened on the local days' edges at three tills (the day before's
last µs, the day's first), sales, returns and cash moves in them, closed over and short, one still
open (test_shift_day_reference.fill). On PostgreSQL the session speaks another zone than the
program, so a bound time that lost its zone would read other rows."""

from __future__ import annotations

from datetime import timedelta

from jxc_desktop.domain.periods import Period
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.staff_sales import shift_report
from tests.integration import shifts_reference as ref
from tests.integration.test_plain_reads_reference import BASE, read_in_other_zone, zone  # noqa: F401  (the fixture)
from tests.integration.test_shift_day_reference import DAYS, fill


def test_the_text_reads_what_the_orm_read(services: Services, zone: str) -> None:  # noqa: F811  (the fixture)
    fill(services)
    day = BASE.astimezone().date()
    first, last = day + timedelta(days=min(DAYS)), day + timedelta(days=max(DAYS))
    periods = [Period(first - timedelta(days=1), last + timedelta(days=1)), Period(day, day),
               Period(day + timedelta(days=1), day + timedelta(days=2)), Period(last + timedelta(days=1), last + timedelta(days=1)),
               Period(last + timedelta(days=5), last + timedelta(days=9))]
    with read_in_other_zone(services) as (s, rows):
        got = {p: shift_report(rows, p) for p in periods}
        for period, report in got.items():
            assert report == ref.shift_report(s, period), period
    whole, today = got[periods[0]], got[periods[1]]
    # what the comparison covered: three shifts a day, the last still open, over and short ones
    assert len(whole.rows) == 3 * len(DAYS) and [r.closed for r in whole.rows].count("open") == 1
    assert {r.over_short for r in whole.rows} >= {-200, 0, 83, None}
    # the day: B (its first µs) and C of the day, and the next day's A (opened on the day's last µs)
    assert [r.till for r in today.rows] == ["B", "C", "A"] and today.total.over_short == -200 + 0 + 83
    assert got[periods[-1]].rows == () and got[periods[-1]].total.counted == 0
    assert services.reports.shifts(periods[0]) == whole  # the service runs the same text
