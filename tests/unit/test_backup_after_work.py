"""Issue 13 §3: the day's work gets a copy — after a new shop's first documents and when the window
closes — and "today's work has no backup" can be told."""

from __future__ import annotations

import pytest

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.safety import backup as bk
from jxc_desktop.services.sales.dto import Tender

# copies of the SQLite FILE (the backup API); a server's backups are pg_dump's (tests of their own)
pytestmark = pytest.mark.sqlite_only


def sell(services, product) -> str:  # type: ignore[no-untyped-def]
    code = product.barcodes[0][0] if product.barcodes else product.code
    cart, _ = c.add(Cart(), services.checkout.line_for_scan(code))
    return services.checkout.post_sale(cart, [Tender("cash", 10_000)]).number


def test_work_since_the_last_backup_is_seen_and_copied(services, make_product) -> None:  # type: ignore[no-untyped-def]
    b = services.backup
    assert not b.work_unbacked() and not b.first_documents_unbacked()  # an empty new shop
    start = b.auto_backup()  # the start-up copy of the first day: still empty
    assert start is not None and not b.work_unbacked()
    milk = make_product("牛奶", 500, 350, 6)
    assert b.work_unbacked() and b.work_today_unbacked()  # a product entered: not in any copy
    assert not b.first_documents_unbacked()  # but no document yet
    assert b.auto_backup() is None  # the daily copy was made already: the old code stopped here
    number = sell(services, milk)
    assert b.first_documents_unbacked()
    made = b.backup_after_work()
    assert made is not None and made.sales == 1 and made.path != start.path
    assert not b.work_unbacked() and not b.first_documents_unbacked() and not b.work_today_unbacked()
    assert b.backup_after_work() is None  # nothing new: no copy
    sell(services, milk)
    assert b.work_unbacked() and not b.first_documents_unbacked()  # later sales wait for the close
    assert not b.work_today_unbacked()  # a copy holds today's work already: no warning all day
    closing = b.backup_after_work()
    assert closing is not None and closing.sales == 2 and bk.describe(closing.path).ok
    assert number
