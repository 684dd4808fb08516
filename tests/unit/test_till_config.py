"""Settings per till (issue 21): the till name and the printer live in this PC's local file, the rest
in the shop's database; two PCs on one database keep their own; every new document records its till."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from jxc_desktop.db.models import MoneyDoc, Purchase, Sale, Setting, StockCount
from jxc_desktop.domain.cart import Cart, CartLine
from jxc_desktop.domain.errors import DatabaseError
from jxc_desktop.domain.tender import Tender
from jxc_desktop.services.hub import Services
from jxc_desktop.services.purchasing.dto import LineInput, NoteInput, SupplierInput
from jxc_desktop.services.shop import till_config


def _stored(services: Services, key: str) -> str | None:
    with services.db.read() as uow:
        return uow.session.scalar(select(Setting.value).where(Setting.key == key))


def test_till_settings_go_to_the_local_file_and_shared_ones_to_the_database(
        services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path / "pc1"))
    changed = services.settings.update({"till_id": "前台", "printer_kind": "network",
                                        "escpos_network": "192.168.1.50:9100", "shop_name": "小店"})
    assert changed == {"till_id": "前台", "printer_kind": "network", "escpos_network": "192.168.1.50:9100",
                       "shop_name": "小店"}
    on_disk = json.loads((tmp_path / "pc1" / "till.json").read_text(encoding="utf-8"))
    assert on_disk == {"escpos_network": "192.168.1.50:9100", "printer_kind": "network", "till_id": "前台"}
    assert _stored(services, "till_id") is None and _stored(services, "printer_kind") is None
    assert _stored(services, "shop_name") == "小店"
    values = services.settings.all()
    assert (values["till_id"], values["printer_kind"], values["shop_name"]) == ("前台", "network", "小店")
    assert services.settings.get("escpos_network") == "192.168.1.50:9100"
    # the change is in the shop's audit trail all the same
    entry = next(e for e in services.audit.query() if e.action == "settings")
    assert "前台" in entry.after and "小店" in entry.after

    # a second PC on the same database: its own till and printer, the same shop name
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path / "pc2"))
    values = services.settings.all()
    assert (values["till_id"], values["printer_kind"], values["shop_name"]) == ("1", "system", "小店")
    services.settings.update({"till_id": "后台", "printer_kind": "none"})
    assert services.shifts.till() == "后台"
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path / "pc1"))
    assert services.shifts.till() == "前台" and services.settings.get("printer_kind") == "network"


def test_a_shop_from_before_keeps_its_stored_till_and_printer_until_saved(
        services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with services.db.write() as uow:  # as a file written before issue 21 holds them
        uow.session.add_all([Setting(key="till_id", value="2号机"), Setting(key="printer_kind", value="none")])
        uow.commit()
    assert services.settings.get("till_id") == "2号机" and services.settings.all()["printer_kind"] == "none"
    assert services.shifts.till() == "2号机"
    services.settings.update({"printer_kind": "system"})
    assert services.settings.get("printer_kind") == "system"
    assert till_config.read_local() == {"printer_kind": "system"}


def test_a_local_file_that_cannot_be_written_changes_nothing(
        services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("JXC_CONFIG_DIR", str(blocker))
    with pytest.raises(DatabaseError, match="this till's settings"):
        services.settings.update({"till_id": "前台", "shop_name": "小店"})
    assert _stored(services, "shop_name") is None
    assert not [e for e in services.audit.query() if e.action == "settings"]


def test_a_damaged_local_file_reads_as_empty(services: Services, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path))
    (tmp_path / "till.json").write_text("{not json", encoding="utf-8")
    assert services.settings.get("till_id") == "1"
    services.settings.update({"till_id": "3"})
    assert json.loads((tmp_path / "till.json").read_text(encoding="utf-8")) == {"till_id": "3"}


def test_every_new_document_records_the_till(services: Services, make_product,  # type: ignore[no-untyped-def]
                                             tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JXC_CONFIG_DIR", str(tmp_path))
    services.settings.update({"till_id": "收银2"})
    cola = make_product("可乐", price=350, qty=100)
    supplier = services.suppliers.add(SupplierInput("饮料批发"))
    services.purchasing.post(NoteInput(supplier.id, (LineInput(cola.id, 10_000, 200),), paid_now=False))
    sale = services.checkout.post_sale(Cart((CartLine(cola.id, "可乐", 350, 1000, 350),)), [Tender("cash", 350)])
    services.accounts.pay(supplier.id, 100)
    count = services.stock_count.open()
    with services.db.read() as uow:
        s = uow.session
        tills = {model.__tablename__: set(s.scalars(select(model.till))) for model in (Sale, Purchase, StockCount,
                                                                                        MoneyDoc)}
        assert s.scalar(select(Sale.till).where(Sale.number == sale.number)) == "收银2"
        assert s.scalar(select(StockCount.till).where(StockCount.id == count.id)) == "收银2"
    assert tills == {"sale": {"收银2"}, "purchase": {"收银2"}, "stock_count": {"收银2"}, "money_doc": {"收银2"}}
