"""A process posting sales and returns is SIGKILLed at random moments inside its postings, many
times; afterwards `jxc check` passes, the ledger reconciles, every sale is whole (header, lines,
payments, moves) or absent, every sale the poster saw committed is there, and a later start posts.

How many kills landed inside a posting comes from marks the poster writes (tests/integration/
killing.py), not from timing: the test kills until KILLS_INSIDE of them did, or until
KILL_SECONDS have passed on a slow machine, which is reported, not failed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jxc_desktop.db.models import Payment, Sale, SaleLine, StockMove
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.services.sales.checkout import CheckoutService
from jxc_desktop.services.sales.dto import Tender
from jxc_desktop.services.stock import ledger
from tests.integration.killing import Aim, Marks, Tally

KILLS_INSIDE, KILL_SECONDS = 30, 30.0  # the checks after the kills take ~15 s on a loaded machine

# A "zygote": imports everything once, then forks one poster per request, so each of the many
# kills costs a fork instead of a Python start-up. The posters are real processes killed by SIGKILL.
# Protocol, one line each: test "seed marks_path" -> zygote "pid"; test "killed" -> zygote "reaped".
ZYGOTE = r"""
import os, random, sys
from jxc_desktop.db.uow import Database
from jxc_desktop.domain import cart as c
from jxc_desktop.domain.cart import Cart
from jxc_desktop.domain.errors import JxcError
from jxc_desktop.services.sales.checkout import CheckoutService
from jxc_desktop.services.sales.dto import ReturnItem, Tender

db = Database.for_file(sys.argv[1])  # no connection is open before the fork (NullPool)
co = CheckoutService(db)

def post_forever(seed, pids, marks):
    rng = random.Random(seed)
    last = None
    while True:
        cart = Cart()
        for pid in rng.sample(pids, rng.randint(1, 6)):
            cart, _ = c.add(cart, co.line_for_product(pid, rng.randint(1, 3) * 1000))
        if rng.random() < 0.3:
            cart = c.set_sale_discount(cart, rng.randint(0, 50))
        due = c.price(cart).total
        returning = last is not None and rng.random() < 0.2
        os.write(marks, b"r" if returning else b"s")  # s(ale) or r(eturn) begins
        try:
            if returning:
                co.post_return(last.number, [ReturnItem(last.lines[0].id, 1000)], method="cash")
                last = None
            else:
                last = co.post_sale(cart, [Tender("wechat", due // 3), Tender("cash", due)], confirmed=True)
        except JxcError:
            os.write(marks, b"X")  # refused and rolled back
            last = None
        else:
            os.write(marks, b"E")  # committed

pids = [int(x) for x in sys.argv[2].split(",")]
while line := sys.stdin.readline():
    seed, marks_path = line.split(maxsplit=1)
    child = os.fork()
    if child == 0:
        try:
            post_forever(int(seed), pids, os.open(marks_path.strip(), os.O_WRONLY | os.O_APPEND))
        finally:
            os._exit(1)
    print(child, flush=True)
    if sys.stdin.readline().strip() != "killed":
        break
    os.waitpid(child, 0)
    print("reaped", flush=True)
"""


@pytest.mark.slow
def test_sigkill_while_posting(db_path: Path, services, make_product, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = [make_product(f"商品{i}", 300 + i * 7, 200 + i * 3, 500).id for i in range(8)]
    services.db.dispose()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    aim, tally = Aim(random.Random(11)), Tally()
    started = time.monotonic()
    stop_at = started + KILL_SECONDS
    zygote = subprocess.Popen([sys.executable, "-c", ZYGOTE, str(db_path), ",".join(map(str, plain))],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    assert zygote.stdin is not None and zygote.stdout is not None
    poster: int | None = None
    try:
        while tally.landed < KILLS_INSIDE and time.monotonic() < stop_at:
            path = tmp_path / f"marks{tally.kills}"
            path.touch()
            marks = Marks(os.open(path, os.O_RDONLY))
            zygote.stdin.write(f"{tally.kills} {path}\n")
            zygote.stdin.flush()
            poster = int(zygote.stdout.readline())
            aim.wait(marks, min(stop_at, time.monotonic() + 10))
            os.kill(poster, signal.SIGKILL)
            zygote.stdin.write("killed\n")
            zygote.stdin.flush()
            assert zygote.stdout.readline().strip() == "reaped"  # its marks are final now
            poster = None
            tally.add(marks.close())
    finally:
        if poster is not None:  # a failure mid-cycle must not leave a poster posting for ever
            os.kill(poster, signal.SIGKILL)
        zygote.stdin.close()
        zygote.wait(timeout=30)
    elapsed = time.monotonic() - started

    db = Database.for_file(db_path)
    with db.read() as uow:
        s = uow.session
        assert s.connection().exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert ledger.reconcile(s) == []
        sales = list(s.scalars(select(Sale)))
        # every sale and return the poster saw committed is there; one killed inside may or may not be
        for kind, n in (("s", sum(x.kind == "sale" for x in sales)), ("r", sum(x.kind != "sale" for x in sales))):
            low, high = tally.bounds(kind)
            assert low <= n <= high, (kind, n, tally.summary())
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
    # a later start works: the till posts again, and the books still reconcile
    again = CheckoutService(db)
    cart, _ = c.add(Cart(), again.line_for_product(plain[0], 1000))
    again.post_sale(cart, [Tender("cash", c.price(cart).total)], confirmed=True)
    with db.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(Sale)) == len(sales) + 1
        assert ledger.reconcile(uow.session) == []
    db.dispose()
    check = subprocess.run([sys.executable, "-c", "from jxc_desktop.cli import main; raise SystemExit(main())",
                            "--db", str(db_path), "check"], capture_output=True, text=True, env=env, timeout=45)
    assert check.returncode == 0, check.stdout + check.stderr
    note = f"kill checkout: {tally.summary()} in {elapsed:.1f}s; {len(sales)} sales whole; ledger reconciles"
    print("\n" + note)
    if tally.landed < KILLS_INSIDE:  # a slow machine: fewer kills landed, every check still ran
        warnings.warn(f"time cap {KILL_SECONDS:g}s reached with {tally.landed} of {KILLS_INSIDE} "
                      f"kills inside a posting; {note}", stacklevel=1)
