"""Sales forecast (销量预测): expected daily sales for the coming weeks, by a method the owner can
check with a pocket calculator.

The method — "last year's same weeks, scaled to this year" — and why:

- **History in weeks.** Sales are summed in 7-day blocks counted back from ``today``: block 0 is
  the 7 days before today, block 1 the 7 before those, and so on. Week ``w`` ahead (0 = the 7 days
  from today) lies 52 weeks after block ``51 - w``: that is "the same week last year" (364 days
  back, so it is also the same weekdays). Weeks rather than days because a corner shop sells most
  products a few times a week: days are mostly noise.
- **Season index.** Each of last year's weeks is smoothed with its neighbours (weights 1, 2, 1, so
  a holiday that moves by a week between years still lands) and divided by the average week of the
  year (blocks 0..51): summer drinks get 1.8 in July and 0.5 in January.
- **Level.** The last 4 weeks, deseasonalised: their sales divided by the index of their own
  weeks last year (blocks 52..55). "What we sell now, as if it were an average week".
- **Trend.** The deseasonalised level of the last 4 weeks against the 4 before them, as a weekly
  growth, capped at ±5 % a week and applied for at most 8 weeks ahead (a damped trend: a shop does
  not grow for ever). No trend without 60 weeks of history. Like the index it is the category's
  for a product selling less than 10 a week (3 sales against 5 is noise, not a trend).
- **Forecast of week w** = level × season index of week w × trend factor. The average week cancels
  out: it is last year's same week × (this year's last 4 weeks / last year's same 4 weeks).
- **Too new or too sparse** (fewer than 56 weeks of history, or less than 10 units a week last
  year — a week of 3 ± 1.7 sales says nothing about the season; on the two-year demo a product's
  own index made the 7-day forecast error 88 % against 73 % with its category's): the product takes
  its category's season index (the category's total sales, the same
  arithmetic) with its own level. With no usable index at all the index is 1: the forecast is then
  the plain average of the last 4 weeks — the flat rule, with weekday shape.
- **Weekday shape.** Each weekday's share of the last 12 weeks' sales × 7 (1.0 = an average day),
  the whole shop's when the product sells less than one a day (a corner shop's categories all peak
  at the weekend); a week's forecast is spread over its days by these factors.
- **Spread.** The standard deviation of the last 8 weekly sums, each first divided by its season
  index (a season coming or going is not noise), times the season index ahead: the reorder rule's
  safety stock comes from it.

Quantities here are floats in units (not money); what leaves as quantities is rounded half up to
thousandths by :func:`to_milli`. Nothing reads the clock: callers pass the blocks counted from their
``today``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

YEAR_WEEKS = 52
LEVEL_WEEKS = 4
SPREAD_WEEKS = 8
WEEKDAY_WEEKS = 12
MAX_WEEKS_AHEAD = 26
TREND_CAP = 0.05  # ±5 % a week at most
TREND_WEEKS = 8  # the trend stops growing after this many weeks ahead
SEASON_HISTORY = YEAR_WEEKS + LEVEL_WEEKS  # 56 weeks: an index for the weeks ahead and the last 4
TREND_HISTORY = YEAR_WEEKS + 2 * LEVEL_WEEKS  # 60 weeks
MIN_YEAR_UNITS = 520.0  # less than 10 a week last year: its own weeks are mostly noise
INDEX_FLOOR = 0.2  # an empty week last year does not make this year's level infinite
FLAT_WEEKDAYS = (1.0,) * 7


@dataclass(frozen=True)
class Forecast:
    weeks: tuple[float, ...]  # expected units in each week ahead (week 0 starts today)
    daily: tuple[float, ...]  # expected units on each day ahead (weeks × 7 days)
    level: float  # units a week, deseasonalised, from the last 4 weeks
    season: tuple[float, ...]  # the season index of each week ahead
    trend: float  # weekly growth used (0.03 = +3 % a week)
    weekday: tuple[float, ...]  # Monday..Sunday factors, mean 1
    spread: float  # standard deviation of a week's sales, scaled to the season ahead
    source: str  # where the season index came from: "product", "category" or "none"
    recent_season: float = 1.0  # the mean season index of the last 4 weeks (what ``level`` was divided by)

    def season_ratio(self, days: int) -> float:
        """How the coming ``days`` sell against the last 4 weeks by last year's shape (1.3 = 30 % more)."""
        ahead = self.season[:max(1, -(-days // 7))]
        return sum(ahead) / len(ahead) / self.recent_season


def smooth(blocks: Sequence[float], i: int) -> float:
    """Block i with its neighbours, weights 1-2-1 (an edge block counts its one neighbour once)."""
    total, weight = 2.0 * blocks[i], 2.0
    for j in (i - 1, i + 1):
        if 0 <= j < len(blocks):
            total += blocks[j]
            weight += 1.0
    return total / weight


@dataclass(frozen=True)
class SeasonIndex:
    """One series' season index, computed once (a category's serves all its products)."""

    ahead: tuple[float, ...]  # each week ahead
    past: tuple[float, ...]  # each of the last 4 (or 8, with 60 weeks of history) weeks, block 0 first


def season_index(blocks: Sequence[float], weeks: int) -> SeasonIndex | None:
    """The index of the weeks ahead and of the last 4..8 weeks from one series of blocks, or None
    when it is shorter than 56 weeks or sold nothing in the year."""
    if len(blocks) < SEASON_HISTORY:
        return None
    mean = sum(blocks[:YEAR_WEEKS]) / YEAR_WEEKS
    if mean <= 0:
        return None
    ahead = tuple(max(INDEX_FLOOR, smooth(blocks, YEAR_WEEKS - 1 - w) / mean) for w in range(weeks))
    known = min(SPREAD_WEEKS, len(blocks) - YEAR_WEEKS)
    past = tuple(max(INDEX_FLOOR, smooth(blocks, YEAR_WEEKS + i) / mean) for i in range(known))
    return SeasonIndex(ahead, past)


def usable_own_history(blocks: Sequence[float], weeks_known: int) -> bool:
    """A product has its own season index with 56 weeks of history and 10 units a week last year."""
    return weeks_known >= SEASON_HISTORY and sum(blocks[:YEAR_WEEKS]) >= MIN_YEAR_UNITS


def weekly_trend(blocks: Sequence[float], index: SeasonIndex) -> float:
    """Weekly growth of the deseasonalised level, last 4 weeks against the 4 before, capped; 0
    without 60 weeks of history behind the index (last year's twins of those 8 weeks)."""
    if len(blocks) < 2 * LEVEL_WEEKS or len(index.past) < 2 * LEVEL_WEEKS:
        return 0.0
    now = sum(blocks[:LEVEL_WEEKS]) / sum(index.past[:LEVEL_WEEKS])
    before = sum(blocks[LEVEL_WEEKS:2 * LEVEL_WEEKS]) / sum(index.past[LEVEL_WEEKS:2 * LEVEL_WEEKS])
    if not now or not before:
        return 0.0
    g = (now / before) ** (1.0 / LEVEL_WEEKS) - 1.0
    return min(TREND_CAP, max(-TREND_CAP, g))


def weekday_factors(by_weekday: Sequence[float]) -> tuple[float, ...]:
    """Monday..Sunday totals → factors with mean 1 (flat when nothing sold)."""
    total = sum(by_weekday)
    if total <= 0:
        return FLAT_WEEKDAYS
    return tuple(7.0 * v / total for v in by_weekday)


def spread(blocks: Sequence[float]) -> float:
    """Population standard deviation of the last 8 weekly sums (fewer when the history is shorter)."""
    xs = list(blocks[:SPREAD_WEEKS])
    if len(xs) < 2:
        return 0.0
    m = sum(xs) / len(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / len(xs))


def forecast(blocks: Sequence[float], *, weeks: int, first_weekday: int, own_weeks_known: int,
             category_blocks: Sequence[float] | None = None,
             weekday_totals: Sequence[float] | None = None,
             category_index: SeasonIndex | None = None, category_trend: float | None = None) -> Forecast:
    """The forecast of one product (see the module doc).

    ``blocks``: the product's weekly sums, block 0 = the 7 days before today (as long as known);
    ``own_weeks_known``: how many weeks the product has existed (too new → category index);
    ``category_blocks``: its category's weekly sums, same alignment, or ``category_index`` already
    made from them (``season_index(category_blocks, weeks)``: many products share it) and
    ``category_trend`` (``weekly_trend(category_blocks, that index)``);
    ``weekday_totals``: Monday..Sunday sales over the last 12 weeks (the product's or its
    category's); ``first_weekday``: today's weekday (0 = Monday).
    """
    weeks = max(1, min(MAX_WEEKS_AHEAD, weeks))
    source, index = "none", None
    if usable_own_history(blocks, own_weeks_known):
        source, index = "product", season_index(blocks, weeks)
    if index is None:
        if category_index is None and category_blocks is not None:
            category_index = season_index(category_blocks, weeks)
        source, index = "category", category_index
        if category_trend is None:
            category_trend = (weekly_trend(category_blocks, category_index)
                              if category_blocks is not None and category_index is not None else 0.0)
    recent = sum(blocks[:LEVEL_WEEKS]) / LEVEL_WEEKS if blocks else 0.0
    shape = weekday_factors(weekday_totals) if weekday_totals is not None else FLAT_WEEKDAYS
    if index is None:
        ahead, level, trend = (1.0,) * weeks, recent, 0.0
        return _made(ahead, level, trend, shape, first_weekday, spread(blocks), "none", 1.0)
    ahead = index.ahead[:weeks]
    recent_season = sum(index.past[:LEVEL_WEEKS]) / LEVEL_WEEKS
    level = recent / recent_season
    trend = weekly_trend(blocks, index) if source == "product" else category_trend or 0.0
    return _made(ahead, level, trend, shape, first_weekday,
                 _season_spread(blocks, index, ahead, recent_season), source, recent_season)


def _made(ahead: Sequence[float], level: float, trend: float, shape: Sequence[float], first_weekday: int,
          week_spread: float, source: str, recent_season: float) -> Forecast:
    week_sums = tuple(level * s * (1.0 + trend) ** min(w + 1, TREND_WEEKS) for w, s in enumerate(ahead))
    daily = tuple(week_sums[d // 7] / 7.0 * shape[(first_weekday + d) % 7] for d in range(len(ahead) * 7))
    return Forecast(week_sums, daily, level, tuple(ahead), trend, tuple(shape), week_spread, source, recent_season)


def _season_spread(blocks: Sequence[float], index: SeasonIndex, ahead: Sequence[float],
                   recent_season: float) -> float:
    """The spread of the last 8 weeks around the season, scaled to the season ahead: each week is
    divided by its index last year first, so a season rising or falling is not taken for noise.
    Without last year's twins of those 8 weeks (60 weeks of history): the plain spread, scaled."""
    scale = sum(ahead) / len(ahead)
    if len(index.past) < SPREAD_WEEKS or len(blocks) < SPREAD_WEEKS:
        return spread(blocks) * scale / recent_season
    return spread([blocks[i] / index.past[i] for i in range(SPREAD_WEEKS)]) * scale


def to_milli(units: float) -> int:
    """Units → thousandths, rounded half up (deterministic, no banker's rounding)."""
    return math.floor(units * 1000.0 + 0.5)


def demand_over(daily: Sequence[float], days: int) -> float:
    """Expected units over the first ``days`` days ahead (the last day's rate beyond the forecast)."""
    if days <= len(daily):
        return sum(daily[:days])
    tail = daily[-1] if daily else 0.0
    return sum(daily) + tail * (days - len(daily))


def safety_stock(week_spread: float, z: float, days: int) -> float:
    """z × σ(week) × √(days / 7): stock for demand above the forecast over ``days`` days (weeks taken
    as independent, so the spread grows with the square root of the time)."""
    return z * week_spread * math.sqrt(max(0, days) / 7.0)
