"""Catalog speed at 100 000 products (DESIGN.md §9): barcode scan and search-as-you-type.

    .venv/bin/python benchmarks/bench_catalog.py [--db /work/bench/products100k.sqlite3] [--runs 5]

Each run times N service calls of each kind on a copy of the database (so the original is never
touched) and takes their p95; the table shows the median of the runs' p95 (and the worst run).
Search-as-you-type replays what a cashier types: 1, 2, 3 … letters of a pinyin prefix, or growing
Chinese name substrings, one ``CatalogService.search`` per keystroke; full pinyin (3 to 8 letters of
a name's 全拼) and initials from inside a 助记码 likewise. "scan: resolve" is Enter on the scan line
(``CatalogService.resolve_scan``): a barcode, or pinyin initials that then give candidates.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sqlalchemy import select  # noqa: E402

from jxc_desktop.db.models import Barcode, Product  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.services.catalog.products import CatalogService  # noqa: E402

DEFAULT_DB = Path("/work/bench/products100k.sqlite3")
BUDGET_MS = {"barcode lookup": 5.0, "search: pinyin prefix": 30.0, "search: name substring": 30.0,
             "search: unknown text": 30.0, "search: full pinyin": 30.0, "search: pinyin inside": 30.0,
             "scan: resolve": 30.0}


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def timed(fn: Callable[[str], object], inputs: list[str]) -> list[float]:
    out: list[float] = []
    for text in inputs:
        t0 = time.perf_counter()
        fn(text)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def workloads(db: Database, rng: random.Random, n: int) -> dict[str, list[str]]:
    with db.read() as uow:
        s = uow.session
        codes = list(s.scalars(select(Barcode.code)))
        rows = list(s.execute(select(Product.pinyin, Product.name)))
        fulls = [key.partition(" ")[0] for key in s.scalars(select(Product.pinyin_key))]
    barcodes = [rng.choice(codes) for _ in range(n)]
    pinyin: list[str] = []
    names: list[str] = []
    while len(pinyin) < n:
        py, name = rng.choice(rows)
        pinyin += [py[:k] for k in range(1, min(len(py), 5) + 1)]  # keystroke by keystroke
        start = rng.randrange(0, max(1, len(name) - 2))
        names += [name[start:start + k] for k in range(1, 4)]
    unknown = [f"zzq{rng.randrange(10**6)}" for _ in range(n // 4)]
    full: list[str] = []
    while len(full) < n:
        py = rng.choice(fulls)
        full += [py[:k] for k in range(3, min(len(py), 8) + 1)]
    inside: list[str] = []
    while len(inside) < n:
        py, _name = rng.choice(rows)
        if len(py) >= 4:
            start = rng.randrange(1, len(py) - 2)
            inside += [py[start:start + k] for k in (2, 3)]
    scans = [x for pair in zip(barcodes, pinyin, strict=False) for x in pair][:n]
    return {"barcode lookup": barcodes, "search: pinyin prefix": pinyin[:n],
            "search: name substring": names[:n], "search: unknown text": unknown,
            "search: full pinyin": full[:n], "search: pinyin inside": inside[:n], "scan: resolve": scans}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=DEFAULT_DB)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("-n", type=int, default=400, help="calls per kind per run")
    args = ap.parse_args()
    if not args.db.is_file():
        print(f"no database at {args.db}: run benchmarks/make_db.py first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bench.sqlite3"
        shutil.copyfile(args.db, copy)
        db = Database.for_file(copy)
        catalog = CatalogService(db)
        calls: dict[str, Callable[[str], object]] = {
            "barcode lookup": catalog.find_by_barcode,
            "search: pinyin prefix": catalog.search,
            "search: name substring": catalog.search,
            "search: unknown text": catalog.search,
            "search: full pinyin": catalog.search,
            "search: pinyin inside": catalog.search,
            "scan: resolve": catalog.resolve_scan,
        }
        products = catalog.count()
        results: dict[str, list[float]] = {k: [] for k in calls}
        for run in range(args.runs):
            work = workloads(db, random.Random(run), args.n)
            for kind, fn in calls.items():
                fn(work[kind][0])  # warm the statement cache
                results[kind].append(p95(timed(fn, work[kind])))
        db.dispose()
    print(f"catalog benchmark: {products} products, {args.runs} runs x {args.n} calls, {args.db}")
    print(f"{'what':<26}{'p95 median ms':>15}{'p95 worst ms':>14}{'budget ms':>11}  ok")
    failed = False
    for kind, p95s in results.items():
        med, worst, budget = statistics.median(p95s), max(p95s), BUDGET_MS[kind]
        ok = med < budget
        failed |= not ok
        print(f"{kind:<26}{med:>15.2f}{worst:>14.2f}{budget:>11.0f}  {'yes' if ok else 'NO'}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
