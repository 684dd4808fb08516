"""Held sales survive a new database handle (a restart) and leave the list when resumed."""

from __future__ import annotations

import pytest

from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import NotFoundError, ValidationError
from jxc_desktop.services.hub import Services


def test_hold_resume_across_restart(db_path, services) -> None:  # type: ignore[no-untyped-def]
    cart = Cart((CartLine(1, "可乐", 350, 2000, 350, "6901234567892", "瓶"),
                 CartLine(2, "猪肉", 2400, 521, 2400, "2900123012505", "kg", 0, 1250)), sale_discount=20)
    cart = c.set_line_discount(cart, 0, 50)
    h1 = services.held_sales.hold(cart, "张先生")
    h2 = services.held_sales.hold(Cart((CartLine(3, "雪碧", 300, 1000),)))
    assert (h1.lines, h1.item_qty, h1.gross, h1.label) == (2, 2521, 1900, "张先生")
    services.db.dispose()
    again = Services(Database.for_file(db_path))
    assert [h.id for h in again.held_sales.list()] == [h1.id, h2.id]
    assert again.held_sales.resume(h1.id) == cart
    assert [h.id for h in again.held_sales.list()] == [h2.id]
    with pytest.raises(NotFoundError):
        again.held_sales.resume(h1.id)
    again.held_sales.delete(h2.id)
    assert again.held_sales.list() == []
    with pytest.raises(ValidationError, match="empty"):
        again.held_sales.hold(Cart())
    again.db.dispose()
