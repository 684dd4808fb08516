"""Checkout speed on the big database (DESIGN.md §9).

    .venv/bin/python benchmarks/bench_checkout.py [--db /work/bench/sales1m.sqlite3] [--runs 300]

Works on a private copy of the database (the shared file is never written). Measures:
- scan -> line in cart, service path (line_for_scan + cart add + price): p95 < 5 ms; the same with the
  cart's member (the line put at the member's price level)
- scan -> line in cart through the real tab (key events into the scan line + Enter -> model updated): p95 < 20 ms
- post a 10-line sale, committed durably (synchronous=FULL): p95 < 30 ms; the same sold to a member
- receipt PDF of a 10-line sale: < 30 ms
Defaults to sales1m.sqlite3 when it exists, else products100k.sqlite3.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import select  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import Barcode, Product  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.domain import cart as cartlib  # noqa: E402
from jxc_desktop.domain.cart import Cart  # noqa: E402
from jxc_desktop.reports.receipt import receipt_pdf  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402
from jxc_desktop.services.members.dto import MemberInput  # noqa: E402
from jxc_desktop.services.sales.dto import Tender  # noqa: E402

BENCH = Path("/work/bench")


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


class Clock:
    """Wall time (what the budget is about) and this process's CPU time per operation: on a shared
    machine the CPU figure shows what the code costs when other programs take the cores."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Clock:
        self._w, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append((time.perf_counter() - self._w) * 1000)
        self.cpu.append((time.process_time() - self._c) * 1000)


def summary(name: str, clock: Clock, budget: float) -> dict[str, object]:
    ms = clock.wall
    row = {"what": name, "n": len(ms), "median_ms": round(statistics.median(ms), 2),
           "p95_ms": round(pct(ms, 95), 2), "max_ms": round(max(ms), 2), "budget_ms": budget,
           "cpu_median_ms": round(statistics.median(clock.cpu), 2), "cpu_p95_ms": round(pct(clock.cpu, 95), 2)}
    row["ok"] = row["p95_ms"] < budget  # type: ignore[operator]
    print(f"{name:<44} median {row['median_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
          f"(cpu median {row['cpu_median_ms']:>6}, p95 {row['cpu_p95_ms']:>6})  budget {budget} ms "
          f"{'OK' if row['ok'] else 'OVER'}", flush=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description="checkout benchmarks")
    default = BENCH / "sales1m.sqlite3"
    ap.add_argument("--db", type=Path, default=default if default.exists() else BENCH / "products100k.sqlite3")
    ap.add_argument("--runs", type=int, default=300)
    ap.add_argument("--work", type=Path, default=Path("/tmp/jxc_bench_checkout.sqlite3"))
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    for side in ("", "-wal", "-shm"):
        Path(str(args.work) + side).unlink(missing_ok=True)
    t0 = time.perf_counter()
    with sqlite3.connect(args.db) as src, sqlite3.connect(args.work) as dst:
        src.backup(dst)
    migrate(args.work)
    services = Services(Database.for_file(args.work))
    services.settings.update({"negative_stock": "allow", "auto_print_receipt": "0"})
    with services.db.read() as uow:
        n_products = uow.session.query(Product).count()
        codes = list(uow.session.scalars(select(Barcode.code).where(Barcode.multiplier == 1)))
        n_lines = uow.session.connection().exec_driver_sql("SELECT count(*) FROM sale_line").scalar()
    print(f"{args.db.name}: {n_products} products, {n_lines} sale lines (copy ready in "
          f"{time.perf_counter() - t0:.1f} s)", flush=True)
    rng = random.Random(5)
    results = []

    # 1. scan -> line in cart (service)
    clock = Clock()
    cart = Cart()
    for _ in range(args.runs):
        code = rng.choice(codes)
        with clock:
            line = services.checkout.line_for_scan(code)
            cart, _row = cartlib.add(cart, line)
            cartlib.price(cart)
        if len(cart.lines) >= 20:
            cart = Cart()
    results.append(summary("scan -> line in cart (service)", clock, 5))

    # 1b. the same at a member's prices (issue 17): each scanned line is put at the member's level
    member = services.members.add(MemberInput(phone="13800009999", level="金卡"))
    clock = Clock()
    cart = Cart(member_id=member.id)
    for _ in range(args.runs):
        code = rng.choice(codes)
        with clock:
            line = services.members.line_for_member(services.checkout.line_for_scan(code), cart.member_id)
            cart, _row = cartlib.add(cart, line)
            cartlib.price(cart)
        if len(cart.lines) >= 20:
            cart = Cart(member_id=member.id)
    results.append(summary("scan -> line at member prices (service)", clock, 5))

    # 2. through the tab: key events -> model updated
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from jxc_desktop.ui.checkout_tab import CheckoutTab

    app = QApplication.instance() or QApplication([])
    tab = CheckoutTab(services)
    tab.resize(1200, 700)
    tab.show()
    app.processEvents()
    clock = Clock()
    for _ in range(max(50, args.runs // 2)):
        code = rng.choice(codes)
        before = tab.totals.item_qty
        with clock:
            QTest.keyClicks(tab.lookup, code)
            QTest.keyClick(tab.lookup, Qt.Key.Key_Return)
        assert tab.totals.item_qty > before and tab.model.rowCount() == len(tab.cart.lines)
        if len(tab.cart.lines) >= 20:
            tab._set_cart(Cart())
        app.processEvents()
    results.append(summary("scan -> line in cart (tab, keys to model)", clock, 20))
    tab.close()
    tab.deleteLater()
    app.processEvents()

    # 3. post a 10-line sale, durable
    carts = []
    for _ in range(max(50, args.runs // 2)):
        cart = Cart()
        while len(cart.lines) < 10:
            cart, _row = cartlib.add(cart, services.checkout.line_for_scan(rng.choice(codes)))
        carts.append(cart)
    clock = Clock()
    sales = []
    for cart in carts:
        due = cartlib.price(cart).total
        with clock:
            sales.append(services.checkout.post_sale(cart, [Tender("cash", due + 1000)], confirmed=True))
    results.append(summary("post a 10-line sale (durable commit)", clock, 30))

    # 3b. a 10-line sale to a member, its lines at member prices (the member and levels checked)
    member_carts = [services.members.cart_for_member(c, member.id) for c in carts[:max(25, len(carts) // 2)]]
    clock = Clock()
    for cart in member_carts:
        due = cartlib.price(cart).total
        with clock:
            services.checkout.post_sale(cart, [Tender("cash", due + 1000)], confirmed=True)
    results.append(summary("post a 10-line member sale (durable commit)", clock, 30))

    # 4. receipt PDF of a 10-line sale
    shop = services.checkout.shop_info()
    receipt_pdf(sales[0], shop)  # font registration happens once per process
    clock = Clock()
    for sale in sales:
        with clock:
            receipt_pdf(sale, shop)
    results.append(summary("receipt PDF (10 lines, 80 mm)", clock, 30))

    services.db.dispose()
    if args.json:
        args.json.write_text(json.dumps({"db": str(args.db), "products": n_products, "sale_lines": n_lines,
                                         "results": results}, indent=1))
    for side in ("", "-wal", "-shm"):
        Path(str(args.work) + side).unlink(missing_ok=True)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # skip PySide's teardown at interpreter exit (it can crash after the Qt part)
