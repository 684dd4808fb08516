"""A process posting sales and returns is SIGKILLed at random moments, many times; afterwards
`jxc check` passes, the ledger reconciles and every sale is whole (header, lines, payments, moves)
or absent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from jxc_desktop.db.models import Payment, Sale, SaleLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.services import ledger

KILLS = 40

# A "zygote": imports everything once, then forks one poster per request, so each of the many
# kills costs a fork instead of a Python start-up. The posters are real processes killed by SIGKILL.
ZYGOTE = r"""
import os, random, sys
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.checkout import CheckoutService, ReturnItem, Tender

db = Database.for_file(sys.argv[1])  # no connection is open before the fork (NullPool)
co = CheckoutService(db)

def post_forever(seed, pids):
    rng = random.Random(seed)
    last = None
    while True:
        cart = Cart()
        for pid in rng.sample(pids, rng.randint(1, 6)):
            cart, _ = c.add(cart, co.line_for_product(pid, rng.randint(1, 3) * 1000))
        if rng.random() < 0.3:
            cart = c.set_sale_discount(cart, rng.randint(0, 50))
        due = c.price(cart).total
        try:
            if last is not None and rng.random() < 0.2:
                co.post_return(last.number, [ReturnItem(last.lines[0].id, 1000)], method="cash")
                last = None
            else:
                last = co.post_sale(cart, [Tender("wechat", due // 3), Tender("cash", due)], confirmed=True)
        except JxcError:
            last = None

pids = [int(x) for x in sys.argv[2].split(",")]
for line in sys.stdin:
    seed = int(line)
    child = os.fork()
    if child == 0:
        try:
            post_forever(seed, pids)
        finally:
            os._exit(1)
    print(child, flush=True)
    if sys.stdin.readline().strip() != "killed":
        break
    os.waitpid(child, 0)
"""


def _sales(path: Path) -> int:
    con = sqlite3.connect(path, timeout=5)
    try:
        return int(con.execute("SELECT count(*) FROM sale").fetchone()[0])
    finally:
        con.close()


def test_sigkill_while_posting(db_path: Path, services, make_product) -> None:  # type: ignore[no-untyped-def]
    plain = [make_product(f"商品{i}", 300 + i * 7, 200 + i * 3, 500).id for i in range(8)]
    services.db.dispose()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    rng = random.Random(11)
    started = time.monotonic()
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(db_path), ",".join(map(str, plain))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert zygote.stdin is not None and zygote.stdout is not None
    for n in range(KILLS):
        before = _sales(db_path)
        zygote.stdin.write(f"{n}\n")
        zygote.stdin.flush()
        pid = int(zygote.stdout.readline())
        if n % 2:
            time.sleep(rng.uniform(0.0, 0.3))  # anywhere, even before the first commit
        else:  # once it has committed something, a little later: mid-way through the next sale
            deadline = time.monotonic() + 5
            while _sales(db_path) == before and time.monotonic() < deadline:
                time.sleep(0.005)
            time.sleep(rng.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        zygote.stdin.write("killed\n")
        zygote.stdin.flush()
    zygote.stdin.close()
    zygote.wait(timeout=20)
    assert time.monotonic() - started < 120

    db = Database.for_file(db_path)
    with db.read() as uow:
        s = uow.session
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert ledger.reconcile(s) == []
        sales = list(s.scalars(select(Sale)))
        assert len(sales) >= KILLS // 2  # they did get work done
        for sale in sales:
            lines = list(s.scalars(select(SaleLine).where(SaleLine.sale_id == sale.id)))
            assert lines, sale.number
            assert sum(ln.amount for ln in lines) == sale.total, sale.number
            assert sum(ln.cost for ln in lines) == sale.cost, sale.number
            paid = s.scalar(select(func.sum(Payment.amount)).where(Payment.sale_id == sale.id))
            assert paid == sale.total, sale.number
            sign = -1 if sale.kind == "sale" else 1
            for ln in lines:
                q, v = s.execute(select(func.sum(StockMove.qty), func.sum(StockMove.value)).where(
                    StockMove.doc_type == "sale", StockMove.doc_line_id == ln.id)).one()
                assert (q, v) == (sign * ln.qty, sign * ln.cost), sale.number
        orphans = s.scalar(select(func.count()).select_from(StockMove).where(
            StockMove.doc_type == "sale", StockMove.doc_id.not_in(select(Sale.id))))
        assert orphans == 0
    db.dispose()
    check = subprocess.run([sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
                            "--db", str(db_path), "check"], capture_output=True, text=True, env=env, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
