"""Money owed (issue 16) speed: the statement of one party with 5 000 documents (< 300 ms) and
aging over 2 000 parties (< 500 ms), medians of several runs.

    .venv/bin/python benchmarks/bench_accounts.py [--runs 7] [--keep DIR]

Builds its own file in a temporary folder: one supplier with 5 000 purchase entries over three
years and payments settling most of them oldest first; 2 000 customers with five sales on account
each and a collection settling part of them. The rows are written the way the accounts write them
(account_entry + allocation), in bulk, so building takes seconds; the timed calls are the service's
own ``AccountsService.statement`` and ``AccountsService.aging``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import insert  # noqa: E402

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.models import AccountEntry, Allocation, Customer, Supplier  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.services.accounts.dto import CUSTOMER, SUPPLIER  # noqa: E402
from jxc_desktop.services.accounts.service import AccountsService  # noqa: E402

BUDGET_MS = {"statement, 5 000 documents": 300.0, "aging, 2 000 parties": 500.0}
FIRST = date(2024, 1, 1)


def build(path: Path, docs: int = 5000, parties: int = 2000) -> int:
    migrate(path)
    db = Database.for_file(path)
    rng = random.Random(16)
    entries: list[dict[str, object]] = []
    allocs: list[dict[str, object]] = []
    with db.write() as uow:
        s = uow.session
        sup = Supplier(name="大宗批发", terms_days=30)
        s.add(sup)
        s.add_all(Customer(name=f"客户{i:04d}", pinyin_key=f"kehu{i} kh") for i in range(parties))
        s.flush()
        eid = 0
        open_debits: list[tuple[int, int]] = []
        for i in range(docs):  # 5 000 notes over three years, a payment after every fourth
            day = FIRST + timedelta(days=i * 1095 // docs)
            eid += 1
            amount = rng.randint(1000, 500_000)
            entries.append(dict(id=eid, party=SUPPLIER, supplier_id=sup.id, kind="purchase", doc_type="purchase",
                                doc_id=eid, doc_number=f"CG{day:%Y%m%d}-{i:04d}", entry_date=day,
                                due_date=day + timedelta(days=30), amount=amount))
            open_debits.append((eid, amount))
            if i % 4 == 3 and i < docs - 40:
                eid += 1
                paid = sum(a for _e, a in open_debits)
                entries.append(dict(id=eid, party=SUPPLIER, supplier_id=sup.id, kind="pay", doc_type="money",
                                    doc_id=eid, doc_number=f"FK{day:%Y%m%d}-{i:04d}", entry_date=day, amount=-paid))
                allocs += [dict(debit_id=d, credit_id=eid, amount=a) for d, a in open_debits]
                open_debits = []
        cids = [c for (c,) in s.execute(Customer.__table__.select().with_only_columns(Customer.id))]
        for cid in cids:  # five sales on account, a collection of about half
            owed: list[tuple[int, int]] = []
            for k in range(5):
                day = date(2026, 1, 1) + timedelta(days=rng.randrange(150))
                eid += 1
                amount = rng.randint(500, 50_000)
                entries.append(dict(id=eid, party=CUSTOMER, customer_id=cid, kind="sale", doc_type="sale",
                                    doc_id=eid, doc_number=f"XS{day:%Y%m%d}-{k}", entry_date=day, due_date=day,
                                    amount=amount))
                owed.append((eid, amount))
            eid += 1
            got = owed[0][1] + owed[1][1] // 2
            entries.append(dict(id=eid, party=CUSTOMER, customer_id=cid, kind="collect", doc_type="money",
                                doc_id=eid, doc_number=f"SK-{cid}", entry_date=date(2026, 6, 1), amount=-got))
            allocs += [dict(debit_id=owed[0][0], credit_id=eid, amount=owed[0][1]),
                       dict(debit_id=owed[1][0], credit_id=eid, amount=owed[1][1] // 2)]
        s.execute(insert(AccountEntry), entries)
        s.execute(insert(Allocation), allocs)
        uow.commit()
    db.dispose()
    return sup.id


def median_ms(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--keep", metavar="DIR", help="build the file in DIR and keep it")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.keep or tmp) / "accounts_bench.sqlite3"
        t0 = time.perf_counter()
        sid = build(path)
        print(f"built {path.name} in {time.perf_counter() - t0:.1f} s")
        db = Database.for_file(path)
        svc = AccountsService(db)
        st = svc.statement(SUPPLIER, sid, FIRST, date(2026, 12, 31))
        ag = svc.aging(CUSTOMER, date(2026, 7, 1))
        assert len([r for r in st.rows if r.kind == "purchase"]) == 5000 and len(ag.rows) == 2000
        results = {
            "statement, 5 000 documents": median_ms(
                lambda: svc.statement(SUPPLIER, sid, FIRST, date(2026, 12, 31)), args.runs),
            "aging, 2 000 parties": median_ms(lambda: svc.aging(CUSTOMER, date(2026, 7, 1)), args.runs),
        }
        db.dispose()
    ok = True
    print(f"{'what':32} {'median ms':>10} {'worst ms':>10} {'budget':>8}")
    for name, (med, worst) in results.items():
        good = med < BUDGET_MS[name]
        ok &= good
        print(f"{name:32} {med:10.1f} {worst:10.1f} {BUDGET_MS[name]:8.0f} {'ok' if good else 'SLOW'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
