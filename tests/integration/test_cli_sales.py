"""jxc sales list / jxc receipt through the real command (a subprocess on a real file)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.clock import local_day, utcnow
from jxc_desktop.services.sales.dto import ReturnItem, Tender


def jxc(db_target, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """The real command in a child process (what a shell script would run)."""
    return subprocess.run([sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
                           "--db", str(db_target), *args], capture_output=True, text=True, timeout=60,
                          env={"LANG": "en_US.UTF-8", "PATH": "/usr/bin:/bin"})


def jxc_in(capsys, monkeypatch, db_target, *args: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    """The same entry point in this process (fast; the argument parsing and exit codes are the same)."""
    from jxc_desktop.cli import main

    monkeypatch.setenv("LANG", "en_US.UTF-8")
    code = main(["--db", str(db_target), *args])
    out = capsys.readouterr()
    return subprocess.CompletedProcess(args, code, out.out, out.err)


def test_sales_list_and_receipt(db_target, services, make_product, tmp_path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    p = make_product("可乐", 350, 200, 20)
    cart, _ = c.add(Cart(), services.checkout.line_for_product(p.id, 2000))
    s1 = services.checkout.post_sale(cart, [Tender("cash", 1000)])
    services.checkout.post_sale(cart, [Tender("wechat", 300), Tender("alipay", 400)])
    r = services.checkout.post_return(s1.number, [ReturnItem(s1.lines[0].id, 1000)])
    old_at = utcnow() - timedelta(days=3)
    old = services.checkout.post_sale(cart, [Tender("card", 700)], at=old_at)

    out = jxc_in(capsys, monkeypatch, db_target, "sales", "list", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert [(x["number"], x["kind"], x["amount"]) for x in rows] == [
        (s1.number, "sale", 700), (rows[1]["number"], "sale", 700), (r.number, "return", 350)]
    assert rows[1]["methods"] == ["wechat", "alipay"] and rows[0]["qty"] == 2000

    out = jxc_in(capsys, monkeypatch, db_target, "sales", "list", "--date", local_day(old_at).isoformat())
    assert out.returncode == 0 and old.number in out.stdout and s1.number not in out.stdout
    assert "card" in out.stdout and "7.00" in out.stdout

    pdf = tmp_path / "r.pdf"
    out = jxc(db_target, "receipt", r.number.lower(), "--pdf", str(pdf), "--width", "58")
    assert out.returncode == 0, out.stderr
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert r.number in text and s1.number in text and "可乐" in text

    bad = jxc_in(capsys, monkeypatch, db_target, "receipt", "XS20000101-0001", "--pdf", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "No sale with receipt number" in bad.stderr
    assert not (tmp_path / "x.pdf").exists()
    summary_pdf = tmp_path / "day.pdf"
    out = jxc_in(capsys, monkeypatch, db_target, "sales", "summary", "--json", "--pdf", str(summary_pdf))
    assert out.returncode == 0, out.stderr
    day = json.loads(out.stdout)
    assert (day["sales_count"], day["sales_total"], day["returns_count"], day["returns_total"]) == (2, 1400, 1, 350)
    assert day["by_method"] == {"cash": 350, "wechat": 300, "alipay": 400}
    text = subprocess.run(["pdftotext", str(summary_pdf), "-"], capture_output=True, text=True).stdout
    assert "END OF DAY SUMMARY" in text and "¥10.50" in text

    bad = jxc_in(capsys, monkeypatch, db_target, "sales", "list", "--date", "2026-02-30")
    assert bad.returncode == 2 and "is not a date" in bad.stderr


def test_sales_list_a_return_of_nothing_paid_reads_zero(db_target, services, make_product, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A gift sold at 0.00 and brought back: the return's amount is 0.00, not -0.00; a paid one keeps its minus."""
    at = datetime(2026, 12, 4, 10, 0).astimezone()  # local 10:00, a fixed day for --date
    gift = make_product("赠品杯", 0, 0, 5)
    cola = make_product("可乐", 350, 200, 5)
    sell = services.checkout.post_sale
    free = sell(Cart((services.checkout.line_for_product(gift.id),)), [Tender("cash", 0)], at=at)
    paid = sell(Cart((services.checkout.line_for_product(cola.id),)), [Tender("cash", 350)], at=at)
    later = at + timedelta(hours=1)
    back_free = services.checkout.post_return(free.number, [ReturnItem(free.lines[0].id, 1000)], at=later)
    back_paid = services.checkout.post_return(paid.number, [ReturnItem(paid.lines[0].id, 1000)], at=later)
    out = jxc_in(capsys, monkeypatch, db_target, "sales", "list", "--date", "2026-12-04")
    assert out.returncode == 0, out.stderr
    amounts = {row.split("\t")[0]: row.split("\t")[4] for row in out.stdout.splitlines()[1:]}
    assert (amounts[back_free.number], amounts[back_paid.number]) == ("0.00", "-3.50")
