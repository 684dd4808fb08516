"""``MembersService``: the members screen, the till and ``jxc members`` call this (each method one
transaction); other process packages use the functions of api.py inside their own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from jxc_desktop.db.text_reads import SessionRows
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.clock import local_today
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.members import directory, levels, member_reports, member_sums, pricing
from jxc_desktop.services.members.dto import (
    LevelInput,
    Liabilities,
    MemberDTO,
    MemberInput,
    MemberLevelDTO,
    MemberSales,
    MemberSummary,
)
from jxc_desktop.services.members.level_list import levels_in


@dataclass(frozen=True)
class MembersService:
    db: Database

    # ------------------------------------------------------------ levels
    def levels(self, *, active_only: bool = False, seed: bool = True) -> list[MemberLevelDTO]:
        """The member levels; the first call in a shop without any writes the defaults (普通/银卡/金卡),
        unless ``seed`` is False (a view refreshing itself writes nothing)."""
        with self.db.read() as uow:
            if not seed or levels.has_levels(uow.session):
                return levels_in(SessionRows(uow.session), active_only=active_only)
        self.seed_levels()
        with self.db.read() as uow:
            return levels_in(SessionRows(uow.session), active_only=active_only)

    def seed_levels(self) -> bool:
        """The default levels, when the shop has none (``jxc demo`` and the first listing)."""
        with self.db.write() as uow:
            written = levels.seed_levels(uow.session)
            uow.commit()
        return written

    def add_level(self, data: LevelInput) -> MemberLevelDTO:
        with self.db.write() as uow:
            out = levels.add_level(uow.session, data)
            uow.commit()
        return out

    def update_level(self, level_id: int, data: LevelInput) -> MemberLevelDTO:
        with self.db.write() as uow:
            out = levels.update_level(uow.session, level_id, data)
            uow.commit()
        return out

    # ------------------------------------------------------------ members
    def add(self, data: MemberInput, *, at: datetime | None = None) -> MemberDTO:
        with self.db.write() as uow:
            out = directory.add_member(uow.session, data, at=at)
            uow.commit()
        return out

    def update(self, member_id: int, data: MemberInput) -> MemberDTO:
        with self.db.write() as uow:
            out = directory.update_member(uow.session, member_id, data)
            uow.commit()
        return out

    def set_active(self, member_id: int, active: bool) -> MemberDTO:
        with self.db.write() as uow:
            c, level = directory.member_row(uow.session, member_id)
            c.active = bool(active)
            out = directory.member_dto(c, level)
            uow.commit()
        return out

    def get(self, member_id: int) -> MemberDTO:
        with self.db.read() as uow:
            return directory.get_member(uow.session, member_id)

    def by_key(self, key: str) -> MemberDTO:
        """The member of a phone or card number (NotFoundError else)."""
        with self.db.read() as uow:
            return directory.member_by_key(uow.session, key)

    def find(self, text: str) -> list[MemberDTO]:
        """The till's lookup: card, phone, the phone's last 4 digits, or a name (active members)."""
        with self.db.read() as uow:
            return directory.find_members(uow.session, text)

    def list(self, *, text: str = "", active_only: bool = False) -> list[MemberDTO]:
        with self.db.read() as uow:
            return directory.list_members(uow.session, text=text, active_only=active_only)

    def summary(self, member_id: int) -> MemberSummary:
        with self.db.read() as uow:
            return member_reports.member_summary(SessionRows(uow.session), member_id)

    # ------------------------------------------------------------ prices
    def cart_for_member(self, cart: Cart, member_id: int | None) -> Cart:
        """The cart sold to a member (None: to nobody), its lines at the member's price level."""
        with self.db.read() as uow:
            if member_id is not None:
                directory.check_member_in(uow.session, member_id)
            return pricing.cart_for_member_in(uow.session, cart, member_id)

    def line_for_member(self, line: CartLine, member_id: int | None) -> CartLine:
        """A line just scanned, at the cart's member's price level."""
        if member_id is None:
            return line
        with self.db.read() as uow:
            return pricing.lines_at_level_in(uow.session, [line], member_id)[0]

    def member_price(self, product_id: int) -> int | None:
        with self.db.read() as uow:
            prices = pricing.product_prices_in(uow.session, [product_id])
        if product_id not in prices:
            raise NotFoundError("Product {id} does not exist", id=product_id)
        return prices[product_id].member

    def set_member_price(self, product_id: int, price: int | None) -> bool:
        with self.db.write() as uow:
            changed = pricing.set_member_price(uow.session, product_id, price)
            uow.commit()
        return changed

    # ------------------------------------------------------------ reports
    def sales(self, first: date | None = None, last: date | None = None, *, top: int | None = None) -> MemberSales:
        """Member sales and visits of a period (default: this month so far); ``top`` members only."""
        last = last or local_today()
        first = first or last.replace(day=1)
        if first > last:
            raise ValidationError("The first day is after the last day")
        with self.db.read() as uow:
            return member_sums.member_sales(SessionRows(uow.session), first, last, top=top)

    def liabilities(self) -> Liabilities:
        with self.db.read() as uow:
            return member_sums.liabilities(SessionRows(uow.session))
