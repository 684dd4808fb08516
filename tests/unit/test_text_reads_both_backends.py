"""Reads written as SQL text (db/text_reads.py), through the services on SQLite and PostgreSQL:
a UTC time or a day bound by ``Rows.dialect`` (db/dialect_text.py) compares with the stored column
as the ORM's own binds do — a local day and an audit window hold their first microsecond and not
the one after their end; a naive time is refused — and a supplier's name matches in any script."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

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


def test_the_purchase_history_keeps_its_days(services: Services, make_product) -> None:  # type: ignore[no-untyped-def]
    """A DATE bound into SQL text (``day_bind``): the history's first and last day are in."""
    from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput

    day = AT.astimezone().date()
    cola = make_product("可乐", 300, 150, 0)
    sup = services.suppliers.add(SupplierInput("长沙金达")).id
    for back in (3, 2, 1, 0):
        services.purchasing.post(NoteInput(sup, (LineInput(cola.id, 1000, 150),), doc_date=day - timedelta(days=back)),
                                 at=AT)
    history = services.purchasing.history
    assert [n.doc_date for n in history(first=day - timedelta(days=2), last=day - timedelta(days=1))] == [
        day - timedelta(days=1), day - timedelta(days=2)]
    assert len(history(first=day)) == 1 and len(history(last=day - timedelta(days=3))) == 1
    numbers = [n.number for n in history()]
    assert [n.number for n in history(supplier_id=sup, text=numbers[1])] == [numbers[1]], numbers


def test_a_time_without_its_zone_is_refused() -> None:
    """As the column type refuses it: the machine's zone or the server session's would be guessed."""
    from jxc_desktop.db.dialect_text import POSTGRESQL, SQLITE, utc_bind

    for dialect in (SQLITE, POSTGRESQL):
        with pytest.raises(ValueError, match="naive"):
            utc_bind(datetime(2026, 3, 2, 9, 0), dialect)
    assert utc_bind(AT, SQLITE) == "2026-03-02 09:00:00.000000" and utc_bind(AT, POSTGRESQL) == AT


def test_a_supplier_is_found_by_its_name_in_any_script(services: Services) -> None:
    """SQLite's lower() folds only ASCII: a name with full-width or accented letters, typed exactly
    or in the other case, finds its supplier on both backends, and counts as taken for another."""
    from jxc_desktop.domain.errors import ValidationError
    from jxc_desktop.services.purchasing.dto import SupplierInput

    wide = services.suppliers.add(SupplierInput("ＡＢＣ商行")).id
    apples = services.suppliers.add(SupplierInput("Äpfel Hof")).id
    for typed, sid in (("ＡＢＣ商行", wide), ("ａｂｃ商行", wide), (" äpfel  HOF ", apples), ("Äpfel Hof", apples)):
        found = services.suppliers.find_by_name(typed)
        assert found is not None and found.id == sid, typed
    assert services.suppliers.find_by_name("ABC商行") is None  # full-width is not ASCII
    with pytest.raises(ValidationError, match="already exists"):
        services.suppliers.add(SupplierInput("ÄPFEL HOF"))
