"""jxc members add / list / show / levels: the JSON fields issue 17 names (fen in JSON), a member sale
counted in visits and spent, bad input (a phone already used, an unknown member) exit 2 with nothing
written."""

from __future__ import annotations

import json

from jxc_desktop.cli import main
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.hub import Services
from jxc_desktop.services.sales.dto import Tender


def jxc_in(capsys, monkeypatch, db_path, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code = main(["--db", str(db_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_show(db_path, make_product, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    cola = make_product("可乐", 350, 200, 50)
    assert jxc_in(capsys, monkeypatch, db_path, "members", "add", "13800001234", "--level", "金卡")[:2] == (
        0, "会员 1234\t13800001234\t-\t金卡\n")
    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "add", "138 0000 5678", "--name", "张三",
                          "--card", "v1", "--birthday", "1990-05-01")
    assert (code, out) == (0, "张三\t13800005678\tV1\t普通\n")
    code, out, err = jxc_in(capsys, monkeypatch, db_path, "members", "add", "13800001234", "--name", "李四")
    assert (code, out) == (2, "") and "13800001234 is already used by another member" in err
    code, out, err = jxc_in(capsys, monkeypatch, db_path, "members", "add", "13900000000", "--level", "黑卡")
    assert code == 2 and "No member level 黑卡" in err

    # a sale to the gold member: 2 × ¥3.15 at 90折
    db = Database.for_file(db_path)
    try:
        services = Services(db)
        member = services.members.by_key("13800001234")
        cart, _ = c.add(Cart(), services.checkout.line_for_product(cola.id, 2000))
        services.checkout.post_sale(services.members.cart_for_member(cart, member.id), [Tender("cash", 1000)])
    finally:
        db.dispose()

    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "show", "13800001234", "--json")
    assert code == 0 and json.loads(out) == {"phone": "13800001234", "card": "", "name": "会员 1234", "level": "金卡",
                                             "points": 9, "stored_value": 0, "visits": 1, "spent": 630}  # 6.30 × 150 %
    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "show", "v1", "--json")
    assert json.loads(out)["name"] == "张三" and json.loads(out)["visits"] == 0
    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "show", "V1")
    assert code == 0 and "name\t张三\n" in out and "spent\t0.00\n" in out
    code, out, err = jxc_in(capsys, monkeypatch, db_path, "members", "show", "5678")
    assert code == 2 and "No member with phone or card 5678" in err

    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "list", "--json")
    rows = json.loads(out)
    assert [(r["name"], r["phone"], r["card"], r["level"]) for r in rows] == [
        ("会员 1234", "13800001234", "", "金卡"), ("张三", "13800005678", "V1", "普通")]
    assert rows[1]["birthday"] == "1990-05-01"
    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "list")
    assert out.splitlines()[1] == "13800005678\tV1\t张三\t普通\t0\t0.00"
    code, out, _ = jxc_in(capsys, monkeypatch, db_path, "members", "levels")
    assert out.splitlines() == ["普通\t100%\t100%\t1", "银卡\t95%\t100%\t0", "金卡\t90%\t150%\t1"]
