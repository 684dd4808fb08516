"""Held sales (挂单/取单): carts put aside in the ``held_sale`` table, so they survive a restart.

A held cart is stored as JSON of the cart value; resuming takes it out of the table in the same
transaction that reads it, so two resumes cannot both get it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from jxc_desktop.db.models import HeldSale
from jxc_desktop.db.uow import Database
from jxc_desktop.domain.cart import Cart, CartLine, check_cart
from jxc_desktop.domain.clock import utcnow
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.domain.product_rules import clean_text
from jxc_desktop.services.sales.dto import HeldDTO

FORMAT = 1


def dump_cart(cart: Cart) -> str:
    return json.dumps({"v": FORMAT, "sale_discount": cart.sale_discount, "owner_approved": cart.owner_approved,
                       "member_id": cart.member_id,  # the member stays with a held cart (issue 17)
                       "lines": [asdict(line) for line in cart.lines]}, ensure_ascii=False)


def load_cart(payload: str) -> Cart:
    try:
        data = json.loads(payload)
        lines = tuple(CartLine(**{k: v for k, v in raw.items() if k in CartLine.__dataclass_fields__})
                      for raw in data["lines"])
        member = data.get("member_id")
        return Cart(lines, int(data.get("sale_discount", 0)), data.get("owner_approved") is True,
                    member if isinstance(member, int) and not isinstance(member, bool) else None)
    except (ValueError, KeyError, TypeError) as exc:
        raise ValidationError("This held sale cannot be read; delete it") from exc


def _summary(row: HeldSale) -> HeldDTO:
    cart = load_cart(row.payload)
    return HeldDTO(row.id, row.label, row.created_at, len(cart.lines), sum(ln.qty for ln in cart.lines),
                   sum(ln.net for ln in cart.lines), cart.lines[0].name if cart.lines else "")


def product_is_held(session: Session, product_id: int) -> bool:
    """Whether any held cart holds the product (held carts are few: each is read)."""
    for payload in session.scalars(select(HeldSale.payload)):
        try:
            lines = json.loads(payload).get("lines", [])
        except (ValueError, AttributeError):
            continue
        if any(isinstance(ln, dict) and ln.get("product_id") == product_id for ln in lines):
            return True
    return False


@dataclass(frozen=True)
class HeldSalesService:
    db: Database

    def hold(self, cart: Cart, label: str = "", *, at: datetime | None = None,
             cashier_id: int | None = None) -> HeldDTO:
        if cart.empty:
            raise ValidationError("The cart is empty")
        check_cart(cart)  # a held cart is posted later: keep bad values (qty 1.5, a Decimal) out now
        label = clean_text(label, "Label", 60)
        with self.db.write() as uow:
            row = HeldSale(label=label, created_at=at or utcnow(), payload=dump_cart(cart), cashier_id=cashier_id)
            uow.session.add(row)
            uow.session.flush()
            dto = _summary(row)
            uow.commit()
        return dto

    def list(self) -> list[HeldDTO]:
        """Held carts, oldest first."""
        with self.db.read() as uow:
            return [_summary(r) for r in uow.session.scalars(select(HeldSale).order_by(HeldSale.id))]

    def resume(self, held_id: int) -> Cart:
        """Take a held cart back (it leaves the list)."""
        with self.db.write() as uow:
            row = uow.session.get(HeldSale, held_id)
            if row is None:
                raise NotFoundError("Held sale {id} no longer exists", id=held_id)
            cart = load_cart(row.payload)
            uow.session.delete(row)
            uow.commit()
        return cart

    def delete(self, held_id: int) -> None:
        with self.db.write() as uow:
            row = uow.session.get(HeldSale, held_id)
            if row is None:
                raise NotFoundError("Held sale {id} no longer exists", id=held_id)
            uow.session.delete(row)
            uow.commit()
