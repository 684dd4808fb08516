"""The till's member (会员, Ctrl+M): choose the member by card, phone or its last 4 digits; the cart
then goes to the member's price level (member price or level discount; wholesale prices for a
wholesale customer), each line showing the price used and what it saved, and the side panel
names the member. Lines scanned later come at the member's price too; "no member" puts the lines
back at retail. A held cart keeps its member (the cart value carries it)."""

from __future__ import annotations

from dataclasses import replace

from jxc_desktop.domain.cart import CartLine
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.members.dto import MemberDTO
from jxc_desktop.ui.actions import run
from jxc_desktop.ui.checkout_till import TillBase
from jxc_desktop.ui.dialogs.member_dialog import MemberDialog
from jxc_desktop.ui.i18n import tr


class TillMember(TillBase):
    member: MemberDTO | None = None  # the member shown on the side panel (the cart's)

    def choose_member(self) -> None:
        self._open(MemberDialog(self, self.services.members.find, self.set_member, self.member))

    def set_member(self, member: MemberDTO | None) -> None:
        """The cart sold to ``member`` (None: to nobody), its lines repriced; refused changes leave
        the cart as it was (raises JxcError)."""
        cart = self.services.members.cart_for_member(self.cart, member.id if member else None)
        self.member = member
        self._set_cart(cart, self.current_row() if cart.lines else None)
        if member is not None:
            self.say(tr("Member {name} ({level})").format(name=member.name, level=member.level))
        else:
            self.say(tr("No member on this sale"))

    def at_member_level(self, line: CartLine) -> CartLine:
        """A line just scanned, at the price level of the cart's member."""
        return self.services.members.line_for_member(line, self.cart.member_id)

    def _show_cart(self, row: int | None) -> None:
        super()._show_cart(row)
        self._show_member()

    def _show_member(self) -> None:
        """The side panel's member: re-read when the cart's member changed (a resumed held cart,
        a cleared cart after a sale)."""
        wanted = self.cart.member_id
        if wanted is None:
            self.member = None
        elif self.member is None or self.member.id != wanted:
            got = run(self, lambda: self.services.members.get(wanted), inline=self._member_gone)
            self.member = got.value if got else None
        self.side.show_member(self.member, self.cart)

    def _member_gone(self, exc: JxcError) -> None:
        """A held cart's member no longer exists: sell without one, at retail."""
        self.say(exc.message, error=True)
        self.cart = replace(self.cart, member_id=None)
