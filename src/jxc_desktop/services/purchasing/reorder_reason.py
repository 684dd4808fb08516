"""Why a reorder line orders what it does, in one line of the owner's language (the reorder screen's
理由 column and ``jxc reorder``)."""

from __future__ import annotations

from jxc_desktop.domain.quantity import format_qty
from jxc_desktop.i18n import _
from jxc_desktop.services.purchasing.dto import WINDOW_DAYS, ReorderLine


def reason(line: ReorderLine) -> str:
    if line.rule == "season":
        text = _("Forecast {need} over {days} days (lead time {lead} + cover {cover}), safety {safety}, "
                 "season ×{index}").format(
            need=format_qty(line.forecast_qty), days=line.lead_days + line.cover_days, lead=line.lead_days,
            cover=line.cover_days, safety=format_qty(line.safety_qty), index=f"{line.season_permille / 1000:.2f}")
    else:
        text = _("Sold {sold} in {window} days ({daily} a day), cover {cover} days").format(
            sold=format_qty(line.sold_qty), window=WINDOW_DAYS, daily=format_qty(line.daily_qty),
            cover=line.cover_days)
    if line.below_min:
        text += _("; below the minimum {min}").format(min=format_qty(line.min_stock))
    return text
