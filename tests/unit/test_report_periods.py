"""Report periods and local time: picker periods, week/month buckets, and the UTC→local shift in
SQL across a daylight-saving change (the shop's days, not UTC days)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.periods import Period, PeriodKind, bucket, format_bp, period_for, ratio_bp
from jxc_desktop.services.hub import Services
from jxc_desktop.services.reporting.local_text import offset_segments
from jxc_desktop.services.sales.dto import Tender

TODAY = date(2026, 11, 25)  # a Wednesday


def test_picker_periods() -> None:
    assert period_for(PeriodKind.TODAY, TODAY) == Period(TODAY, TODAY)
    assert period_for("yesterday", TODAY) == Period(date(2026, 11, 24), date(2026, 11, 24))
    assert period_for("this_week", TODAY) == Period(date(2026, 11, 23), TODAY)
    assert period_for("this_month", TODAY) == Period(date(2026, 11, 1), TODAY)
    assert period_for("last_month", TODAY) == Period(date(2026, 10, 1), date(2026, 10, 31))
    assert period_for("last_month", date(2026, 1, 15)) == Period(date(2025, 12, 1), date(2025, 12, 31))
    assert period_for("this_year", TODAY) == Period(date(2026, 1, 1), TODAY)
    assert period_for("custom", TODAY, date(2026, 2, 1), date(2026, 2, 28)).days == 28
    with pytest.raises(ValidationError):
        period_for("custom", TODAY)
    with pytest.raises(ValidationError):
        Period(TODAY, date(2026, 11, 1))
    assert Period(date(2026, 10, 1), date(2026, 10, 31)).next() == Period(date(2026, 11, 1), date(2026, 12, 1))


def test_buckets_and_ratios() -> None:
    assert bucket(date(2026, 11, 29), "week") == "2026-11-23"  # Sunday belongs to Monday's week
    assert bucket(date(2026, 11, 30), "week") == "2026-11-30"
    assert bucket(date(2026, 11, 30), "month") == "2026-11"
    assert ratio_bp(2188, 6328) == 3458 and ratio_bp(-1, 3) == -3333 and ratio_bp(1, 0) is None
    assert format_bp(3458) == "34.58%" and format_bp(-5) == "-0.05%" and format_bp(None) == "—"




def test_offset_segments_find_the_switch(berlin: None) -> None:
    from jxc_desktop.domain.clock import day_bounds_utc

    start, end = day_bounds_utc(date(2026, 3, 28), date(2026, 3, 30))
    segs = offset_segments(start, end)
    assert [off for _at, off in segs] == [3600, 7200]
    assert segs[1][0] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 02:00 CET became 03:00 CEST


def test_hours_and_days_across_daylight_saving(berlin: None, services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    p = make_product("面包", 500, 300, 50)
    co = services.checkout
    for day in (28, 29, 30):  # 10:00 local on each side of the switch (CET -> CEST on March 29)
        co.post_sale(Cart((co.line_for_product(p.id, 1000),)), [Tender("cash", 500)],
                     at=datetime(2026, 3, day, 10, 0).astimezone())
    period = Period(date(2026, 3, 28), date(2026, 3, 30))
    hours = {r.key: r.sale_count for r in services.reports.hours(period).rows if r.sale_count}
    assert hours == {"10": 3}
    days = {r.key: r.sales for r in services.reports.profit(period, "day").rows}
    assert days == {"2026-03-28": 500, "2026-03-29": 500, "2026-03-30": 500}
