"""Import 10 000 products from xlsx (DESIGN.md §9 budget: < 10 s), and export them.

    .venv/bin/python benchmarks/bench_import.py [--products 10000] [--runs 3]

Builds a demo catalog once, exports it to xlsx, then imports that file into a fresh database
``--runs`` times (new products) plus once more into the filled one (every product updated), and
prints the median times.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jxc_desktop.db.migrate import migrate  # noqa: E402
from jxc_desktop.db.uow import Database  # noqa: E402
from jxc_desktop.demo.shop import fill_demo  # noqa: E402
from jxc_desktop.services.hub import Services  # noqa: E402


def fresh(path: Path) -> Services:
    migrate(path)
    return Services(Database.for_file(path))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--products", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        source = fresh(base / "source.sqlite3")
        fill_demo(source, products=args.products, days=0, seed=11)
        xlsx = base / "products.xlsx"
        t0, c0 = time.perf_counter(), time.process_time()
        source.product_io.export_products(xlsx)
        export_s, export_cpu = time.perf_counter() - t0, time.process_time() - c0
        source.db.dispose()
        creates: list[float] = []
        creates_cpu: list[float] = []
        target = None
        for run in range(args.runs):
            target = fresh(base / f"target{run}.sqlite3")
            t0, c0 = time.perf_counter(), time.process_time()
            result = target.product_io.import_products(xlsx, create_categories=True)
            creates.append(time.perf_counter() - t0)
            creates_cpu.append(time.process_time() - c0)
            assert result.created == args.products
        assert target is not None
        t0, c0 = time.perf_counter(), time.process_time()
        result = target.product_io.import_products(xlsx)
        update_s, update_cpu = time.perf_counter() - t0, time.process_time() - c0
        assert result.updated == args.products
    print(f"{args.products} products, xlsx {xlsx.name}")
    # On a shared, loaded machine the CPU seconds are the honest figure; wall clock includes waiting.
    print(f"{'what':<34}{'wall s':>8}{'CPU s':>8}{'budget':>8}")
    print(f"{'export to xlsx':<34}{export_s:>8.2f}{export_cpu:>8.2f}{'':>8}")
    med = statistics.median(creates)
    print(f"{'import xlsx, all new (median)':<34}{med:>8.2f}{statistics.median(creates_cpu):>8.2f}{10:>8}")
    print(f"{'import xlsx, all updated':<34}{update_s:>8.2f}{update_cpu:>8.2f}{10:>8}")
    return 0 if med < 10 and update_s < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
