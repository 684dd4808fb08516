"""Products tab figures at 100 000 products: keys typed into the filter box → rows shown, memory,
and (with --runs N) cold start.

    .venv/bin/python benchmarks/bench_products_tab.py --db FILE [--json] [--rounds 1] [--runs 0]

Text output: one line per figure. ``--json``: one JSON object on stdout,
``{"products": N, "load_avg": x, "typing": {"pinyin"|"name"|"code"|"all": {"p50_ms", "p95_ms",
"max_ms", "keys"}}, "budget_ms": 30, "rss_mb": M, "tab_open_ms": T, "service": {...},
"cold_start_s": [..]}`` (cold_start_s only with --runs). How keys are typed and timed: tab_typing.py.

Works on a private copy of the database (the window writes settings). If the file is missing,
``--make N`` fills a new one with N products through the catalog service first (slow: ~5 ms each).
Prints wall-clock and CPU time: on a shared, loaded machine the CPU figure is the honest one.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tab_typing  # noqa: E402  (the benchmark's sibling module)

DEFAULT_DB = Path("/work/bench/products100k.sqlite3")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


# ---------------------------------------------------------------------- child: one cold start
def child_startup(db: str) -> None:
    """Run the real start-up path; print seconds from process creation to the window shown with its
    first tab loaded, then quit."""
    import psutil

    from jxc_desktop import app

    created = psutil.Process().create_time()
    real_build = app.build_window

    def build(services, db_path):  # type: ignore[no-untyped-def]
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication

        window = real_build(services, db_path)

        def report() -> None:
            QApplication.processEvents()
            cpu = psutil.Process().cpu_times()
            print(f"startup_s={time.time() - created:.3f} cpu_s={cpu.user + cpu.system:.3f}", flush=True)
            QApplication.quit()

        QTimer.singleShot(0, report)  # after the first tab's own load (queued before this)
        return window

    app.build_window = build  # type: ignore[assignment]
    raise SystemExit(app.main(["--db", db]))


def cold_start(db: Path, runs: int) -> tuple[list[float], list[float]]:
    out: list[float] = []
    cpu: list[float] = []
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    for _ in range(runs):
        proc = subprocess.run([sys.executable, __file__, "--child-startup", str(db)], capture_output=True,
                              text=True, env=env, timeout=120)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("startup_s=")), None)
        if line is None:
            raise RuntimeError(proc.stdout + proc.stderr)
        wall, used = line.split()
        out.append(float(wall.split("=")[1]))
        cpu.append(float(used.split("=")[1]))
    return out, cpu


# ---------------------------------------------------------------------- in-process figures
def make_db(path: Path, n: int) -> None:
    from jxc_desktop.db.migrate import migrate
    from jxc_desktop.db.uow import Database
    from jxc_desktop.domain.barcode import with_check_digit
    from jxc_desktop.domain.product_rules import ProductInput
    from jxc_desktop.services.hub import Services

    migrate(path)
    services = Services(Database.for_file(path))
    rng = random.Random(7)
    brands = ["康师傅", "统一", "农夫山泉", "娃哈哈", "蒙牛", "伊利", "旺旺", "乐事", "金龙鱼", "海天", "心相印"]
    items = ["红烧牛肉面", "矿泉水", "纯牛奶", "薯片", "酱油", "抽纸", "啤酒", "绿茶", "大米", "饼干", "洗衣液"]
    for i in range(n):
        name = f"{rng.choice(brands)}{rng.choice(items)}{i % 997}号"
        cost = rng.randint(50, 5000)
        services.catalog.create_product(
            ProductInput(name=name, sale_price=cost + rng.randint(10, 900), ref_cost=cost,
                         barcodes=((with_check_digit(f"69{i:010d}"), 1),)),
            opening_qty=rng.choice([0, 12000, 48000]), opening_cost=cost)
        if i % 10000 == 0:
            print(f"  made {i} products", flush=True)


def in_process(db: Path, rounds: int, data: dict[str, object]) -> dict[str, str]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import psutil
    from PySide6.QtWidgets import QApplication

    from jxc_desktop.db.uow import Database
    from jxc_desktop.services.hub import Services
    from jxc_desktop.ui.i18n import install
    from jxc_desktop.ui.products_tab import ProductsTab

    qapp = QApplication.instance() or QApplication([])
    install(qapp, "zh_CN")
    services = Services(Database.for_file(db))
    rss_before = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    tab = ProductsTab(services)
    tab.resize(1300, 800)
    tab.show()
    tab.refresh()
    qapp.processEvents()
    open_ms = (time.perf_counter() - t0) * 1000
    if hasattr(tab.model, "finish_loading"):  # a model that reads a long list after its first screen
        tab.model.finish_loading()
    total = tab.model.rowCount()

    # Pick realistic queries from the data: pinyin prefixes and two-character name pieces.
    sample = services.catalog.rows(services.catalog.list_ids()[::997])
    rng = random.Random(3)
    pinyin = [p.pinyin[: rng.randint(1, 4)] for p in sample if p.pinyin][:100]
    names = [p.name[i:i + 2] for p in sample for i in [rng.randrange(max(1, len(p.name) - 1))]][:100]

    def timed(fn, texts):  # type: ignore[no-untyped-def]
        wall: list[float] = []
        cpu: list[float] = []
        for text in texts:
            w, c = time.perf_counter(), time.process_time()
            fn(text)
            wall.append((time.perf_counter() - w) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        return wall, cpu

    def tab_filter(text: str) -> None:
        tab.search.setText(text)
        tab.apply_filter()
        qapp.processEvents()  # includes painting the first screen of rows

    results: dict[str, str] = {"products": f"{total}", "tab open (ids + first screen)": f"{open_ms:.0f} ms"}
    data.update(products=total, tab_open_ms=round(open_ms, 1), budget_ms=30)
    typed = tab_typing.type_queries(tab, qapp, rounds)
    typed["all"] = [x for kind in list(typed) if "(cpu)" not in kind for x in typed[kind]]
    typed["all (cpu)"] = [x for kind in list(typed) if kind.endswith("(cpu)") and kind != "all (cpu)" for x in typed[kind]]
    data["typing"] = tab_typing.summary(typed)
    for kind, fig in data["typing"].items():  # type: ignore[union-attr]
        results[f"typed keys → rows shown, {kind}"] = (f"p50 {fig['p50_ms']:.1f} / p95 {fig['p95_ms']:.1f} / "
                                                       f"max {fig['max_ms']:.1f} ms (keys={fig['keys']})")
    service: dict[str, object] = {}
    data["service"] = service
    for label, fn, texts in (
            ("setText + apply_filter, pinyin prefix", tab_filter, pinyin),
            ("setText + apply_filter, name substring", tab_filter, names),
            ("service search, pinyin prefix", services.catalog.search, pinyin),
            ("service search, name substring", services.catalog.search, names)):
        wall, cpu = timed(fn, texts)
        service[label] = {"p50_ms": round(statistics.median(wall), 2), "p95_ms": round(pct(wall, .95), 2)}
        results[label] = (f"wall p50 {statistics.median(wall):.1f} / p95 {pct(wall, .95):.1f} ms; "
                          f"cpu p50 {statistics.median(cpu):.1f} / p95 {pct(cpu, .95):.1f} ms (n={len(texts)})")
    tab.search.clear()
    tab.apply_filter()
    for row in range(0, tab.model.rowCount(), max(1, tab.model.rowCount() // 50)):  # scroll through
        tab.table.scrollTo(tab.model.index(row, 0))
        qapp.processEvents()
    rss = psutil.Process().memory_info().rss
    data["rss_mb"] = round(rss / 2**20)
    results["RSS with the tab open, scrolled"] = (f"{rss / 2**20:.0f} MB "
                                                  f"(+{(rss - rss_before) / 2**20:.0f} MB for the tab)")
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=0, help="cold starts to time (0: none)")
    parser.add_argument("--rounds", type=int, default=1, help="times each query is typed")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    parser.add_argument("--make", type=int, default=0, help="build a database of N products if --db is missing")
    parser.add_argument("--child-startup", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_startup:
        child_startup(args.child_startup)
        return 0
    with tempfile.TemporaryDirectory(prefix="jxc-bench-") as tmp:
        work = Path(tmp) / "bench.sqlite3"
        if args.db.exists():
            shutil.copyfile(args.db, work)
            for tail in ("-wal", "-shm"):  # a WAL not yet checkpointed holds committed rows
                if Path(f"{args.db}{tail}").exists():
                    shutil.copyfile(f"{args.db}{tail}", f"{work}{tail}")
        elif args.make:
            print(f"{args.db} is missing: making {args.make} products through the catalog service…")
            make_db(work, args.make)
        else:
            print(f"{args.db} is missing: build it with benchmarks/make_db.py or pass --make N")
            return 2
        from jxc_desktop.db.migrate import migrate
        from jxc_desktop.db.uow import Database
        from jxc_desktop.services.hub import Services

        migrate(work)
        s = Services(Database.for_file(work))
        s.settings.update({"welcome_done": "1"})  # measure the window, not the first-run dialog
        s.db.dispose()
        data: dict[str, object] = {}
        rows: dict[str, str] = {}
        if args.runs:
            starts, cpu = cold_start(work, args.runs)
            data["cold_start_s"] = starts
            rows["cold start to window shown"] = (f"median {statistics.median(starts):.2f} s wall, "
                                                  f"{statistics.median(cpu):.2f} s cpu "
                                                  f"(runs: {', '.join(f'{x:.2f}' for x in starts)})")
        rows.update(in_process(work, args.rounds, data))
    data["load_avg"] = round(os.getloadavg()[0], 2)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        width = max(len(k) for k in rows)
        print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        for key, value in rows.items():
            print(f"{key:<{width}}  {value}")
    sys.stdout.flush()
    os._exit(0)  # skip Qt's teardown of the offscreen widgets: nothing left to save


if __name__ == "__main__":
    raise SystemExit(main())
