"""The audit trail is append-only and written inside the caller's transaction."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from jxc_desktop.domain.clock import utcnow
from jxc_desktop.services.safety import audit


def test_record_commits_with_the_change_and_rolls_back_with_it(services) -> None:
    with services.db.write() as uow:
        audit.record(uow.session, "price_change", document="000001", before={"price": 500},
                     after={"price": 450})
        uow.commit()
    with services.db.write() as uow:
        audit.record(uow.session, "reversal", document="XS20261125-0001")
        # no commit: rolled back with the (imaginary) change it describes
    entries = services.audit.query()
    assert [e.action for e in entries] == ["price_change"]
    assert entries[0].before == '{"price":500}' and entries[0].after == '{"price":450}'


@pytest.mark.parametrize("statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"])
def test_update_and_delete_are_refused_by_the_database(services, db_path, statement: str) -> None:
    services.audit.record("backup", document="auto")
    with services.db.write() as uow, pytest.raises(IntegrityError, match="append-only"):
        uow.session.execute(text(statement))
    # Also through a plain sqlite3 connection (another tool, a hand-made query).
    con = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        con.execute(statement)
    con.close()
    assert [e.action for e in services.audit.query()] == ["backup"]


def test_settings_changes_are_audited(services) -> None:
    services.settings.update({"shop_name": "好邻居便利店", "negative_stock": "block"})
    services.settings.update({"shop_name": "好邻居便利店"})  # no change: no entry
    entries = services.audit.query(action="settings")
    assert len(entries) == 1
    assert "好邻居便利店" in entries[0].after and '"negative_stock":"warn"' in entries[0].before


def test_query_filters(services) -> None:
    now = utcnow()
    with services.db.write() as uow:
        audit.record(uow.session, "reversal", document="CG20261101-0001", at=now - timedelta(days=10))
        audit.record(uow.session, "reversal", document="XS20261125-0003", at=now)
        audit.record(uow.session, "price_change", document="000042", after="100%_off", at=now)
        uow.commit()
    assert len(services.audit.query(action="reversal")) == 2
    assert [e.document for e in services.audit.query(text="XS2026")] == ["XS20261125-0003"]
    assert [e.document for e in services.audit.query(since=now - timedelta(days=1))] == [
        "000042", "XS20261125-0003"]
    assert [e.document for e in services.audit.query(until=now - timedelta(days=1))] == ["CG20261101-0001"]
    # LIKE wildcards in the search text are literal
    assert [e.document for e in services.audit.query(text="%_")] == ["000042"]
    assert services.audit.actions() == ["price_change", "reversal"]


def test_price_changes_are_audited(services, make_product) -> None:
    from dataclasses import replace

    from jxc_desktop.domain.product_rules import ProductInput

    p = make_product("雪碧 500ml", 350, 200, 0)
    data = ProductInput(name=p.name, code=p.code, sale_price=380, ref_cost=200, barcodes=p.barcodes)
    services.catalog.update_product(p.id, data)
    services.catalog.update_product(p.id, replace(data, spec="瓶"))  # no price change: no entry
    entries = services.audit.query(action="price_change")
    assert len(entries) == 1
    assert entries[0].document == p.code and '"sale_price":350' in entries[0].before
    assert '"sale_price":380' in entries[0].after


def test_returns_to_the_supplier_are_audited(services, make_product) -> None:
    from jxc_desktop.services.purchasing.dto import (
        LineInput,
        NoteInput,
        ReturnInput,
        ReturnLineInput,
        SupplierInput,
    )

    p = make_product("大米 5kg", 3500, 2800, 0)
    sup = services.suppliers.add(SupplierInput(name="粮油批发"))
    services.purchasing.post(NoteInput(sup.id, (LineInput(p.id, 10_000, 2800),)))
    ret = services.purchasing.post_return(ReturnInput(sup.id, (ReturnLineInput(p.id, 2000),)))
    entry = services.audit.query(action="supplier_return")[0]
    assert entry.document == ret.number and "粮油批发" in entry.after
