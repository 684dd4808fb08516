"""A UTC timestamp bound into SQL text (db/text_reads.py ``Rows.utc``) compares with the stored
column as the ORM's own binds do, on SQLite (naive UTC text) and PostgreSQL (timestamptz): a local
day and an audit window hold their first microsecond and not the one after their end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import day_start_utc
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.safety import audit

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_day_and_an_audit_window_keep_their_edges(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    day = AT.astimezone().date()
    start, end = day_start_utc(day), day_start_utc(day + timedelta(days=1))
    cola = make_product("可乐", 300, 150, 50)
    co = services.checkout
    edges = [start - timedelta(microseconds=1), start, end - timedelta(microseconds=1), end]
    numbers = [co.post_sale(Cart((co.line_for_product(cola.id, 1000),)), [Tender("cash", 300)], confirmed=True,
                            at=when).number for when in edges]
    assert [r.number for r in co.list_day(day)] == [numbers[2], numbers[1]]
    with services.db.write() as uow:
        for i, when in enumerate(edges):
            audit.record(uow.session, "edge_test", document=str(i), at=when)
        uow.commit()
    found = services.audit.query(action="edge_test", since=start, until=end)
    assert [(e.document, e.at) for e in found] == [("2", edges[2]), ("1", start)]
    assert [e.document for e in services.audit.query(action="edge_test", since=end)] == ["3"]
    assert [e.document for e in services.audit.query(action="edge_test", until=start)] == ["0"]
