"""Demo members (会员, issue 17): levels, members who top up their cards and shop at member prices,
paying with stored value, points or their phone; the member-only promotions of demo/promotions.py
come in with them.

Draws only from its own generator (``random.Random(f"members-{day}")``), never the shared one. On
the first day of the history the levels are set up (普通/银卡/金卡, services/members) and eight
members join, dated that morning; three top up their cards (充100送10, 充200送30) by WeChat. Each day
two to four member receipts follow through the till's own path: the cart at the member's price
level, the running promotions, then stored value when the card holds enough, else points worth
five yuan when the member has them, the rest by WeChat or Alipay.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from jxc_desktop.db.models import Product
from jxc_desktop.demo import timeline
from jxc_desktop.domain.cart import Cart, add
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.domain.member_money import fen_for_points
from jxc_desktop.domain.quantity import MILLI
from jxc_desktop.domain.tender import POINTS, STORED_VALUE, Tender
from jxc_desktop.services.members.dto import MemberInput

if TYPE_CHECKING:
    from jxc_desktop.services.hub import Services

MEMBERS = (  # phone, name, level, birthday (month, day); a card number for the first three
    ("13803710101", "刘春梅", "金卡", (3, 8)), ("13903710102", "陈建国", "银卡", (7, 1)),
    ("13703710103", "赵丽华", "银卡", (11, 20)), ("13603710104", "", "普通", (1, 15)),
    ("13503710105", "孙志强", "普通", (5, 4)), ("15803710106", "周秀英", "金卡", (9, 9)),
    ("15903710107", "", "普通", (12, 24)), ("18603710108", "吴海涛", "银卡", (2, 28)),
)
TOPUPS = ((0, 10000, 1000), (1, 20000, 3000), (5, 10000, 1000))  # member index, amount, bonus (fen)
POINTS_PAY = 500  # fen a member pays with points when they hold enough


def _set_up(services: Services, day: date) -> list[int]:
    """Levels and members, once (dated the first morning); returns the member ids."""
    found = [m.id for m in services.members.list()]
    if found:
        return found
    services.members.levels()  # the default levels, written the first time they are needed
    ids = []
    for i, (phone, name, level, (month, dom)) in enumerate(MEMBERS):
        card = f"8800{i + 1:04d}" if i < 3 else ""
        ids.append(services.members.add(MemberInput(phone=phone, card=card, name=name, level=level,
                                                    birthday=date(1980 + 3 * i, month, dom), joined_on=day),
                                        at=timeline.local_moment(day, 8)).id)
    for index, amount, bonus in TOPUPS:
        services.member_money.topup(ids[index], amount, bonus=bonus, method="wechat",
                                    at=timeline.local_moment(day, 8, 30))
    return ids


def demo_members_day(services: Services, day: date, _rng: random.Random) -> None:
    rng = random.Random(f"members-{day.isoformat()}")
    members = _set_up(services, day)
    with services.db.read() as uow:
        pool = list(uow.session.scalars(select(Product.id).where(
            Product.active.is_(True), Product.stock_qty >= 5 * MILLI).order_by(Product.id).limit(200)))
    if not pool:
        return
    for _n in range(rng.randint(2, 4)):
        member = rng.choice(members)
        basket = [(pid, rng.randint(1, 3) * MILLI) for pid in rng.sample(pool, min(len(pool), rng.randint(2, 5)))]
        at = timeline.local_moment(day, rng.randint(9, 20), rng.randrange(60))
        seed = rng.random()
        timeline.run_at(at, lambda member=member, basket=basket, at=at, seed=seed:
                        _sell(services, member, basket, at, seed))


def _sell(services: Services, member: int, basket: list[tuple[int, int]], at: datetime, seed: float) -> None:
    """One member's receipt at ``at``: member prices, promotions, then the card, points, or the phone."""
    pick = random.Random(seed)
    try:
        cart = Cart()
        for pid, qty in basket:
            cart, _row = add(cart, services.checkout.line_for_product(pid, qty))
        cart = services.members.cart_for_member(cart, member)
        due = services.checkout.price(cart, at=at).total
        points, stored = services.member_money.balances(member)
        rules = services.member_money.rules()
        other = "wechat" if pick.random() < 0.6 else "alipay"
        # the card when it holds enough and no owner's PIN is needed (the shop's limit)
        if stored >= due and (not rules.sv_pin_limit or due <= rules.sv_pin_limit) and pick.random() < 0.7:
            tenders = [Tender(STORED_VALUE, due)]
        elif fen_for_points(points, rules.redeem_rate) >= POINTS_PAY < due:
            tenders = [Tender(POINTS, POINTS_PAY), Tender(other, due - POINTS_PAY)]
        else:
            tenders = [Tender(other, due)]
        services.checkout.post_sale(cart, tenders, at=at, confirmed=True)
    except JxcError:  # short of stock under the block policy, a product gone: the member leaves
        return
