"""Points (积分) and stored value (储值) arithmetic, pure and in integers.

Points are earned on what the member paid in money and stored value (the part paid with points
earns none), at ``per_yuan`` points per yuan, scaled by the level's ``points_pct``, rounded down
(the shop never gives a fraction it did not promise). Redeeming: ``rate`` points stand for one
yuan; a points tender of ``fen`` takes ``ceil(fen × rate / 100)`` points, so the points always
cover the amount. Returns take back or give back shares by :func:`cumulative_share`, so the pieces
of all returns of a sale add up to the whole exactly.
"""

from __future__ import annotations

from jxc_desktop.domain.errors import ValidationError
from jxc_desktop.domain.money import div_round
from jxc_desktop.domain.pricing import allocate

FEN_PER_YUAN = 100


def earned_points(base_fen: int, *, per_yuan: int, points_pct: int) -> int:
    """Points for ``base_fen`` paid: ``base/100 × per_yuan × points_pct/100``, rounded down."""
    if base_fen <= 0 or per_yuan <= 0 or points_pct <= 0:
        return 0
    return base_fen * per_yuan * points_pct // (FEN_PER_YUAN * 100)


def earning_base(line_amounts: list[int], eligible: list[bool], total: int, points_paid: int) -> list[int]:
    """Each line's fen that earns points: eligible lines only, less their share of the part of the
    sale paid with points (spread over all lines by amount, as the sale's total is)."""
    if total <= 0:
        return [0] * len(line_amounts)
    shares = allocate(min(max(points_paid, 0), total), [max(a, 0) for a in line_amounts])
    return [max(0, a - s) if ok else 0 for a, s, ok in zip(line_amounts, shares, eligible, strict=True)]


def line_points(bases: list[int], *, per_yuan: int, points_pct: int) -> list[int]:
    """The sale's points (from the sum of the bases, so no line's rounding loses a point) spread
    over the lines by their base; the shares add up to the sale's points."""
    return allocate(earned_points(sum(bases), per_yuan=per_yuan, points_pct=points_pct), bases)


def points_for_fen(fen: int, rate: int) -> int:
    """Points a points tender of ``fen`` takes at ``rate`` points per yuan (rounded up)."""
    if rate <= 0:
        raise ValidationError("Points cannot pay: the shop's redemption rate is not set")
    return -(-fen * rate // FEN_PER_YUAN)


def fen_for_points(points: int, rate: int) -> int:
    """What ``points`` are worth in fen at ``rate`` points per yuan (rounded down)."""
    if rate <= 0 or points <= 0:
        return 0
    return points * FEN_PER_YUAN // rate


def cumulative_share(whole: int, part_whole: int, done: int, now: int) -> int:
    """The share of ``whole`` that ``now`` of ``part_whole`` takes after ``done`` was already taken:
    the difference of the cumulative shares, so when done + now reaches part_whole all of ``whole``
    has been taken, exactly, whatever the steps."""
    if part_whole <= 0 or whole == 0:
        return 0
    upto = min(done + now, part_whole)
    return div_round(whole * upto, part_whole) - div_round(whole * min(done, part_whole), part_whole)
