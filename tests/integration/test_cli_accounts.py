"""jxc customers / suppliers --terms / accounts / pay / collect / statement, and jxc sales import
with payment method credit and a customer column (in this process: same parser and exit codes)."""

from __future__ import annotations

import json
from datetime import timedelta

from jxc_desktop.domain.clock import local_now, local_today
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER
from jxc_desktop.services.purchasing.dto import SupplierInput
from tests.integration.test_cli_sales import jxc_in
from tests.unit.accounts_fixtures import deliver


def test_parties_payments_and_statement(db_target, services, make_product, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_target, *a)  # noqa: E731
    assert run("suppliers", "add", "批发部", "--terms", "30").returncode == 0
    assert run("customers", "add", "张三饭店", "--phone", "13800001111", "--level", "wholesale",
               "--credit-limit", "500").returncode == 0
    out = run("customers", "list", "--json")
    assert json.loads(out.stdout) == [{"name": "张三饭店", "phone": "13800001111", "level": "wholesale",
                                       "credit_limit": 50000, "balance": 0, "active": True}]
    sid = services.suppliers.find_by_name("批发部").id
    assert services.suppliers.get(sid).terms_days == 30
    today = local_today()
    p = make_product("可乐", 300, 200)
    note = deliver(services, sid, today, [(p.id, 10, 1000)])
    out = run("accounts", "payable", "--json")
    assert json.loads(out.stdout) == {"at": today.isoformat(), "rows": [
        {"name": "批发部", "balance": 10000, "overdue": 0, "oldest_due": (today + timedelta(days=30)).isoformat()}],
        "total": 10000}
    out = run("pay", "批发部", "40.5", "--method", "bank")
    assert out.returncode == 0 and out.stdout.strip().startswith("FK")
    out = run("pay", "批发部", "100")  # more than the 59.50 owed: asks; no terminal → refused
    assert out.returncode == 2 and "prepayment" in out.stderr and "--yes" in out.stderr
    assert services.accounts.balances(SUPPLIER).total == 5950
    for bad in ("0", "-5", "abc"):
        assert run("pay", "批发部", bad).returncode == 2
    assert run("pay", "无名", "1").returncode == 2
    out = run("pay", "批发部", "100", "--yes")
    assert out.returncode == 0 and services.accounts.balances(SUPPLIER).total == -4050
    out = run("statement", "--supplier", "批发部", "--from", today.isoformat(), "--to", today.isoformat(), "--json")
    st = json.loads(out.stdout)
    assert st["opening"] == 0 and st["closing"] == -4050
    assert [(r["number"], r["kind"], r["debit"], r["credit"], r["balance"]) for r in st["rows"]][0] == (
        note.number, "purchase", 10000, 0, 10000)
    assert [r["balance"] for r in st["rows"]] == [10000, 5950, -4050]
    out = run("accounts", "payable", "--aging", "--json")
    assert json.loads(out.stdout)["total"] == -4050
    assert run("collect", "张三饭店", "0").returncode == 2
    assert run("statement", "--customer", "张三饭店", "--from", "2026-01-01", "--to", "2026-01-31").returncode == 0


def test_sales_import_credit_with_customer(db_target, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_target, *a)  # noqa: E731
    make_product("可乐", 350, 200, 20, barcode="6900000000014")
    run("customers", "add", "隔壁饭店", "--credit-limit", "10")
    t = (local_now() - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    bad = tmp_path / "bad.csv"
    bad.write_text("时间,条码,数量,单价,付款方式,客户\n"
                   f"{t},6900000000014,1,3.50,挂账,\n"
                   f"{t},6900000000014,1,3.50,挂账,无此人\n", encoding="utf-8")
    out = run("sales", "import", str(bad), "--post")
    assert out.returncode == 2 and "row 2" in out.stderr and "row 3" in out.stderr
    over = tmp_path / "over.csv"
    over.write_text(f"时间,条码,数量,单价,付款方式,客户\n{t},6900000000014,4,3.50,挂账,隔壁饭店\n", encoding="utf-8")
    out = run("sales", "import", str(over), "--post")
    assert out.returncode == 2 and "credit limit" in out.stderr
    good = tmp_path / "good.csv"
    good.write_text(f"时间,条码,数量,单价,付款方式,客户\n{t},6900000000014,2,3.50,挂账,隔壁饭店\n"
                    f"{t},6900000000014,1,3.50,现金,\n", encoding="utf-8")
    out = run("sales", "import", str(good), "--post")
    assert out.returncode == 0, out.stderr
    cid = services.customers.find_by_name("隔壁饭店").id
    assert services.customers.get(cid).balance == 700
    assert services.accounts.balances(CUSTOMER).total == 700


def test_cash_book_command(db_target, services, make_product, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jxc_desktop.domain.cart import Cart
    from jxc_desktop.domain.tender import Tender

    p = make_product("可乐", 350, 200, 20)
    cart = Cart((services.checkout.line_for_product(p.id, 2000),))
    services.checkout.post_sale(cart, [Tender("cash", 700)])
    out = jxc_in(capsys, monkeypatch, db_target, "accounts", "cashbook", "--json")
    assert json.loads(out.stdout)["rows"] == [
        {"method": "cash", "sales": 700, "refunds": 0, "collections": 0, "payments": 0, "net": 700, "topups": 0}]
    assert json.loads(out.stdout)["stored_value"] == 0  # members' stored value owed (issue 17)
    slip = services.checkout.day_summary(local_today()).by_method
    assert slip == {"cash": 700}


def test_payments_need_the_owner_pin(db_target, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_target, *a)  # noqa: E731
    services.suppliers.add(SupplierInput("批发部", terms_days=30))
    services.pin.set_pin("2468")
    out = run("pay", "批发部", "10", "--yes")
    assert out.returncode == 2 and "PIN" in out.stderr
    assert services.accounts.balances(SUPPLIER).rows == ()
    pin = tmp_path / "pin.txt"
    pin.write_text("2468\n")
    out = run("--pin-file", str(pin), "pay", "批发部", "10", "--yes")
    assert out.returncode == 0, out.stderr
    assert [e.document for e in services.audit.query(action="payment")] == [out.stdout.strip()]


def test_statement_pdf_and_xlsx_files(db_target, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_target, *a)  # noqa: E731
    sid = services.suppliers.add(SupplierInput("批发部", terms_days=30)).id
    deliver(services, sid, local_today(), [(make_product("可乐", 300, 200).id, 10, 1000)])
    day = local_today().isoformat()
    pdf, xlsx = tmp_path / "st.pdf", tmp_path / "st.xlsx"
    assert run("statement", "--supplier", "批发部", "--from", day, "--to", day, "--pdf", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    assert run("statement", "--supplier", "批发部", "--from", day, "--to", day, "--xlsx", str(xlsx)).returncode == 0
    assert xlsx.stat().st_size > 0
    out = run("statement", "--supplier", "批发部", "--from", day, "--to", "2000-01-01")
    assert out.returncode == 2


def test_customers_add_with_terms(db_target, services, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    run = lambda *a: jxc_in(capsys, monkeypatch, db_target, *a)  # noqa: E731
    assert run("customers", "add", "月结饭店", "--terms", "30").returncode == 0
    assert services.customers.find_by_name("月结饭店").terms_days == 30
    bad = run("customers", "add", "坏客户", "--terms", "-1")
    assert bad.returncode == 2 and "Payment terms" in bad.stderr
    assert services.customers.find_by_name("坏客户") is None
